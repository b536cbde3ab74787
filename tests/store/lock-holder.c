/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

/* lock-holder LOCATION JOB: takes the job lock on LOCATION, prints "locked" and sleeps until
 * killed. test-db kills it to check the lock dies with its holder. */

#include "store/tenure-db-private.h"
#include "base/tenure-error.h"

#include <stdio.h>
#include <unistd.h>

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(TenureJobLock) lock = NULL;

  if (argc != 3)
    {
      fprintf (stderr, "usage: lock-holder LOCATION JOB\n");
      return 2;
    }
  db = tenure_db_open_full (argv[1], TENURE_DB_OPEN_DEFAULT, 0, &error);
  if (db != NULL)
    lock = tenure_db_try_lock_job (db, argv[2], &error);
  if (lock == NULL)
    {
      fprintf (stderr, "lock-holder: %s\n", error->message);
      return 1;
    }
  printf ("locked\n");
  fflush (stdout);
  for (;;)
    pause ();
}
