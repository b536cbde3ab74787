/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "match-cli-sql"

/* The helper of test-cli-bank-match.sh: runs SQL on a database through the store, whose audit
 * triggers and defaults need its SQL functions (tenure_now, tenure_actor):
 *   match-cli-sql LOCATION SQL
 * Exit status 1 on failure. */

#include <stdio.h>

#include "store/tenure-db.h"

int
main (int argc, char **argv)
{
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 3)
    {
      fprintf (stderr, "usage: match-cli-sql LOCATION SQL\n");
      return 1;
    }
  db = tenure_db_open (argv[1], TENURE_DB_OPEN_DEFAULT, &error);
  if (db == NULL || !tenure_db_exec (db, argv[2], &error))
    {
      fprintf (stderr, "match-cli-sql: %s\n", error->message);
      return 1;
    }
  return 0;
}
