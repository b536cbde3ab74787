/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli-assets-ledger"

/* tenure-cli assets add|edit|retire|history as a script runs them: what is written, the exit
 * code and message of a refused value (nothing written), the history lines. */

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
  " ('SH-XH01-A-1F', 1, '1F', 1);";

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
run_cli (Run *run, const char *location, ...) G_GNUC_NULL_TERMINATED;

static void
run_cli (Run *run, const char *location, ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *cli = g_build_filename (g_getenv ("TENURE_BUILD_ROOT"), "src", "cli",
                                           "tenure-cli", NULL);
  g_auto(GStrv) envp = g_get_environ ();
  va_list args;
  const char *arg;

  envp = g_environ_setenv (envp, "LANGUAGE", "C", TRUE);
  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (char *) "assets");
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
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  g_assert_true (tenure_db_query_int64 (db, sql, &value, &error));
  g_assert_no_error (error);
  return value;
}

static void
test_cli_ledger (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *location = tenure_test_db_new_location (backend);
  g_autoptr(TenureDb) db = NULL;
  Run run = { 0 };
  gint64 audit_before;

  if (location == NULL)
    return;
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_exec (db, fixture_sql, &error));
  g_assert_no_error (error);

  /* A unit on the floor, areas as people write them. */
  run_cli (&run, location, "add", "unit", "SH-XH01-A-1F", "code=SH-XH01-A-1F-01",
           "name=1F-01", "gfa_area=1,234.56", "leasable_area=1000", NULL);
  g_assert_cmpint (exit_code (&run), ==, 0);
  g_assert_nonnull (strstr (run.out, "Created unit SH-XH01-A-1F-01"));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE code = 'SH-XH01-A-1F-01'"
                                  " AND floor_id = 1 AND gfa_area_c = 123456"
                                  " AND leasable_area_c = 100000 AND format = 'mall'"), ==, 1);

  /* A negative area: exit 4, the field named on stderr, nothing written. */
  audit_before = query_int (db, "SELECT count(*) FROM audit_log");
  run_cli (&run, location, "edit", "unit", "SH-XH01-A-1F-01", "leasable_area=-5", NULL);
  g_assert_cmpint (exit_code (&run), ==, 4);
  g_assert_nonnull (strstr (run.err, "The field “Leasable area (m²)” must be greater than zero,"
                                     " not “-5”"));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM audit_log"), ==, audit_before);

  /* An unknown field and an unknown code are refused before any write. */
  run_cli (&run, location, "edit", "unit", "SH-XH01-A-1F-01", "colour=red", NULL);
  g_assert_cmpint (exit_code (&run), ==, 2);
  g_assert_nonnull (strstr (run.err, "“colour=red” is not FIELD=VALUE"));
  run_cli (&run, location, "edit", "unit", "NOPE", "name=x", NULL);
  g_assert_cmpint (exit_code (&run), !=, 0);
  g_assert_nonnull (strstr (run.err, "There is no unit with the code “NOPE”"));

  run_cli (&run, location, "edit", "unit", "SH-XH01-A-1F-01", "leasable_area=1,100.25", NULL);
  g_assert_cmpint (exit_code (&run), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT leasable_area_c FROM unit WHERE id = 1"), ==, 110025);

  /* History: newest first, the change as old → new. */
  run_cli (&run, location, "history", "unit", "SH-XH01-A-1F-01", NULL);
  g_assert_cmpint (exit_code (&run), ==, 0);
  g_assert_nonnull (strstr (run.out, "  Leasable area (m²): 1,000.00 m² → 1,100.25 m²\n"));
  g_assert_true (strstr (run.out, "Changed") < strstr (run.out, "Created"));
  g_assert_nonnull (strstr (run.out, tenure_db_get_actor (db)));

  /* The floor's history with its children has the unit's entries too. */
  run_cli (&run, location, "history", "floor", "SH-XH01-A-1F", "--children", NULL);
  g_assert_cmpint (exit_code (&run), ==, 0);
  g_assert_nonnull (strstr (run.out, "Unit SH-XH01-A-1F-01"));

  run_cli (&run, location, "retire", "unit", "SH-XH01-A-1F-01", "--on", "2026-06-30", NULL);
  g_assert_cmpint (exit_code (&run), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE retired_on = '2026-06-30'"),
                   ==, 1);
  run_cli (&run, location, "retire", "unit", "SH-XH01-A-1F-01", NULL);
  g_assert_cmpint (exit_code (&run), ==, 4);
  g_assert_nonnull (strstr (run.err, "was already retired on 2026-06-30"));

  run_clear (&run);
  g_clear_object (&db);
  tenure_test_db_drop_location (backend, location);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/asset-ledger/cli", test_cli_ledger);
  return g_test_run ();
}
