/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli-assets-import"

/* tenure-cli assets import as a script runs it: errors by row and column on stdout, exit codes,
 * --dry-run writes nothing, --skip-bad-rows, --project; the database read back. */

#include <locale.h>
#include <string.h>
#include <sys/wait.h>

#include "store/tenure-db.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

static TenureTestBackend backend;

static const char fixture_sql[] =
  "INSERT INTO legal_entity (code, name) VALUES ('LE-SH', '上海置业有限公司');"
  "INSERT INTO project (code, legal_entity_id, name, format) VALUES"
  " ('SH-XH01', 1, '徐汇中心', 'mall');"
  "INSERT INTO building (code, project_id, name, sort_order) VALUES ('SH-XH01-A', 1, 'A座', 1);"
  "INSERT INTO floor (code, building_id, name, sort_order) VALUES"
  " ('SH-XH01-A-1F', 1, '1F', 1);"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) VALUES"
  " ('SH-XH01-A-1F-01', 1, '1F-01', 'mall', 15000, 12345);";

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static void
run_cli (Run *run, const char *location, ...)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *cli = g_build_filename (g_getenv ("TENURE_BUILD_ROOT"), "src", "cli",
                                           "tenure-cli", NULL);
  g_auto (GStrv) envp = g_get_environ ();
  va_list args;
  const char *arg;

  envp = g_environ_setenv (envp, "LANGUAGE", "C", TRUE);
  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (char *) "assets");
  g_ptr_array_add (argv, (char *) "import");
  va_start (args, location);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) location);
  g_ptr_array_add (argv, NULL);

  run_clear (run);
  memset (run, 0, sizeof *run);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &run->status, &error));
  g_assert_no_error (error);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

static int
exit_code (const Run *run)
{
  g_assert_true (WIFEXITED (run->status));
  return WEXITSTATUS (run->status);
}

static gint64
query_int (TenureDb *db, const char *sql)
{
  g_autoptr (GError) error = NULL;
  gint64 value = -1;

  g_assert_true (tenure_db_query_int64 (db, sql, &value, &error));
  g_assert_no_error (error);
  return value;
}

static void
test_cli_import (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *location = tenure_test_db_new_location (backend);
  g_autofree char *tmpdir = NULL;
  g_autofree char *bad = NULL, *clean = NULL, *noproject = NULL;
  g_autoptr (TenureDb) db = NULL;
  Run run = { 0 };

  if (location == NULL)
    return;
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_exec (db, fixture_sql, &error));
  g_assert_no_error (error);

  tmpdir = tenure_test_make_tmpdir ();
  bad = g_build_filename (tmpdir, "bad.csv", NULL);
  clean = g_build_filename (tmpdir, "clean.csv", NULL);
  noproject = g_build_filename (tmpdir, "noproject.csv", NULL);
  g_assert_true (g_file_set_contents (bad,
                                      "项目编码,楼栋,楼层,单元编码,建筑面积,可租面积\n"
                                      "SH-XH01,A座,1F,N-1,100,90\n"
                                      "SH-XH01,A座,1F,SH-XH01-A-1F-01,100,90\n"
                                      "SH-XH01,A座,1F,N-3,abc,90\n"
                                      "SH-XH01,B座,2F,N-4,50.25,\n", -1, NULL));
  g_assert_true (g_file_set_contents (clean,
                                      "项目编码,楼栋,楼层,单元编码,建筑面积,可租面积\n"
                                      "SH-XH01,A座,1F,C-1,100,90\n"
                                      "SH-XH01,C座,3F,C-2,75.5,70\n", -1, NULL));
  g_assert_true (g_file_set_contents (noproject, "楼栋,楼层,单元编码,建筑面积\nA座,1F,P-1,10\n",
                                      -1, NULL));

  /* Errors: listed by row and column, exit 4, nothing written. */
  run_cli (&run, location, bad, NULL);
  g_assert_cmpint (exit_code (&run), ==, 4);
  g_assert_cmpstr (run.out, ==,
                   "row 3, column 4 (单元编码): A unit with the code “SH-XH01-A-1F-01” already "
                   "exists\n"
                   "row 4, column 5 (建筑面积): The gross floor area is not valid: “abc” is not "
                   "a valid number: unexpected character “a”\n");
  g_assert_nonnull (strstr (run.err, "2 of 4 rows have errors"));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit"), ==, 1);

  /* A dry run of the good rows: the counts, and still nothing written. */
  run_cli (&run, location, bad, "--dry-run", "--skip-bad-rows", NULL);
  g_assert_cmpint (exit_code (&run), ==, 0);
  g_assert_nonnull (strstr (run.out, "Units to import: 2, new buildings: 1, new floors: 1, rows left out: 2."));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM building"), ==, 1);

  /* Leaving the bad rows out. */
  run_cli (&run, location, bad, "--skip-bad-rows", NULL);
  g_assert_cmpint (exit_code (&run), ==, 0);
  g_assert_nonnull (strstr (run.out, "Imported. Units: 2, new buildings: 1, new floors: 1, "
                                     "rows left out: 2."));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE code IN ('N-1', 'N-4')"),
                   ==, 2);
  g_assert_cmpint (query_int (db, "SELECT leasable_area_c FROM unit WHERE code = 'N-4'"), ==,
                   5025);

  /* A clean file. */
  run_cli (&run, location, clean, NULL);
  g_assert_cmpint (exit_code (&run), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit"), ==, 5);
  g_assert_cmpint (query_int (db, "SELECT gfa_area_c FROM unit WHERE code = 'C-2'"), ==, 7550);
  /* Importing it again: every code is taken now. */
  run_cli (&run, location, clean, NULL);
  g_assert_cmpint (exit_code (&run), ==, 4);
  g_assert_nonnull (strstr (run.out, "row 2, column 4 (单元编码): A unit with the code “C-1”"));
  g_assert_nonnull (strstr (run.out, "row 3, column 4 (单元编码): A unit with the code “C-2”"));

  /* No project column: --project gives it, an unknown one is refused. */
  run_cli (&run, location, noproject, NULL);
  g_assert_cmpint (exit_code (&run), ==, 4);
  g_assert_nonnull (strstr (run.err, "no column for the project code"));
  run_cli (&run, location, noproject, "--project", "NOPE", NULL);
  g_assert_cmpint (exit_code (&run), ==, 4);
  g_assert_nonnull (strstr (run.err, "NOPE"));
  run_cli (&run, location, noproject, "--project", "SH-XH01", NULL);
  g_assert_cmpint (exit_code (&run), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE code = 'P-1'"), ==, 1);

  /* Usage and file errors. */
  run_cli (&run, location, NULL);
  g_assert_cmpint (exit_code (&run), ==, 2);
  run_cli (&run, location, "/nonexistent/units.csv", NULL);
  g_assert_cmpint (exit_code (&run), !=, 0);
  g_assert_cmpint (exit_code (&run), !=, 2);
  g_assert_nonnull (strstr (run.err, "units.csv"));

  run_clear (&run);
  g_clear_object (&db);
  tenure_test_db_drop_location (backend, location);
  tenure_test_rm_rf (tmpdir);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/asset-import/cli", test_cli_import);
  return g_test_run ();
}
