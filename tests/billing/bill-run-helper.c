/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bill-run-helper"

/* bill-run-helper LOCATION YEAR MONTH: posts the bill run of YEAR-MONTH on LOCATION for
 * test-bill-run-kill, which kills it at a random moment. Prints "ready" once the database is
 * open and "posted N" (bills) at the end; exit status 1 on failure. */

#include <stdio.h>
#include <stdlib.h>

#include "billing/tenure-bill-run.h"

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(TenureBillRunResult) result = NULL;
  TenureBillRunOptions options;

  if (argc != 4)
    {
      fprintf (stderr, "usage: bill-run-helper LOCATION YEAR MONTH\n");
      return 2;
    }
  db = tenure_db_open (argv[1], TENURE_DB_OPEN_DEFAULT, &error);
  if (db == NULL)
    {
      fprintf (stderr, "bill-run-helper: %s\n", error->message);
      return 1;
    }
  printf ("ready\n");
  fflush (stdout);
  tenure_bill_run_options_init (&options, atoi (argv[2]), atoi (argv[3]));
  options.posting_date = tenure_date_from_ymd (options.year, options.month, 1);
  result = tenure_bill_run_post (db, &options, NULL, &error);
  if (result == NULL)
    {
      fprintf (stderr, "bill-run-helper: %s\n", error->message);
      return 1;
    }
  printf ("posted %u\n", result->bills->len);
  return 0;
}
