/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Which store a test runs against. One test executable serves both: meson runs it once with
 * --backend=sqlite and once, through with-postgres.sh, with --backend=pg. */
typedef enum
{
  TENURE_TEST_SQLITE,
  TENURE_TEST_PG,
} TenureTestBackend;

/* Removes --backend=sqlite|pg from ARGV (call before g_test_init); default sqlite.
 * An unknown backend name aborts with a message. */
TenureTestBackend tenure_test_backend_from_args (int    *argc,
                                                 char ***argv);

/* Location of a brand-new empty database on BACKEND: a file in a fresh temp dir (the file does
 * not exist yet: open it with TENURE_DB_OPEN_CREATE), or a new database
 * (CREATE DATABASE t_<pid>_<n>) in the cluster of TENURE_TEST_PG, as a conninfo string.
 * NULL after skipping the test (failing it under CI=true) when no cluster is there.
 * Free with g_free () after tenure_test_db_drop_location (). */
char *tenure_test_db_new_location  (TenureTestBackend  backend);
/* Removes what new_location made: the temp dir, or the database (even with open sessions). */
void  tenure_test_db_drop_location (TenureTestBackend  backend,
                                    const char        *location);

/* For messages: "sqlite" or "pg". */
const char *tenure_test_backend_name (TenureTestBackend backend);

G_END_DECLS
