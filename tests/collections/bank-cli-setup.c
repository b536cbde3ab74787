/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bank-cli-setup"

/* The helper of test-cli-bank.sh, so the test needs no demo:
 *   bank-cli-setup PATH
 * creates the SQLite database PATH with the current schema and the legal entity LE (through
 * the store, whose audit triggers need its SQL functions). Exit status 1 on failure. */

#include <stdio.h>

#include "store/tenure-db.h"

int
main (int argc, char **argv)
{
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bank-cli-setup PATH\n");
      return 1;
    }
  db = tenure_db_open (argv[1], TENURE_DB_OPEN_CREATE, &error);
  if (db == NULL
      || !tenure_db_exec (db, "INSERT INTO legal_entity (code, name) "
                              "VALUES ('LE', '上海智汇资产管理有限公司')", &error))
    {
      fprintf (stderr, "bank-cli-setup: %s\n", error->message);
      return 1;
    }
  return 0;
}
