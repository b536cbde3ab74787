/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-command-line"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "base/tenure-error.h"
#include "tenure-test-util.h"
#include "tenure-ui-test-util.h"
#include "tenure-window.h"

/* `tenure [--db LOCATION] [--demo]` run in-process through g_application_run (), and the
 * reopening of the last database at start. GSettings is the memory backend: what one run
 * stores, the next one in this process reads. */

static char *tmpdir;

typedef void (*CheckFunc) (TenureWindow *window, gpointer data);

typedef struct
{
  TenureApplication *app;
  CheckFunc          check;
  gpointer           data;
  gboolean           checked;
  gint64             deadline;
} Run;

static gboolean
poll_cb (gpointer user_data)
{
  Run *run = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));

  g_assert_cmpint (g_get_monotonic_time (), <, run->deadline);
  if (window == NULL || tenure_window_is_busy (TENURE_WINDOW (window)))
    return G_SOURCE_CONTINUE;

  /* Let the last transition draw before looking at the screen. */
  tenure_ui_test_spin (300);
  run->check (TENURE_WINDOW (window), run->data);
  run->checked = TRUE;
  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

static void
run_app (const char * const *args,
         CheckFunc           check,
         gpointer            data)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  Run run = { 0 };
  int status;

  run.app = tenure_application_new ();
  run.check = check;
  run.data = data;
  run.deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  g_application_set_flags (G_APPLICATION (run.app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);

  g_ptr_array_add (argv, (gpointer) "tenure");
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_timeout_add (50, poll_cb, &run);
  status = g_application_run (G_APPLICATION (run.app), (int) argv->len - 1,
                              (char **) argv->pdata);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.checked);
  g_clear_object (&run.app);
}

static void
check_open (TenureWindow *window,
            gpointer      data)
{
  const char *path = data;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.tenure.Tenure");
  g_autofree char *last = g_settings_get_string (settings, "last-database");

  g_assert_nonnull (tenure_window_get_db (window));
  g_assert_cmpstr (tenure_db_get_display_name (tenure_window_get_db (window)), ==, path);
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (window), path));
  g_assert_cmpstr (last, ==, path);
}

static void
check_error (TenureWindow *window,
             gpointer      data)
{
  const char *message = data;
  GtkWidget *label = tenure_ui_test_find_named (GTK_WIDGET (window), "welcome-error");

  g_assert_null (tenure_window_get_db (window));
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, message);
}

static void
check_welcome (TenureWindow *window,
               gpointer      data)
{
  GtkWidget *label = tenure_ui_test_find_named (GTK_WIDGET (window), "welcome-error");

  g_assert_null (tenure_window_get_db (window));
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (window), _("Welcome to Tenure")));
  g_assert_false (gtk_widget_get_mapped (label));
}

static char *
make_database (const char *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(TenureDb) db = tenure_db_open (path, TENURE_DB_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return path;
}

static char *
store_error (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_db_open (path, TENURE_DB_OPEN_DEFAULT, &error);

  g_assert_null (db);
  return g_strdup (error->message);
}

static void
test_db_option_and_reopen (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (!tenure_ui_test_have_display ())
    return;
  path = make_database ("leases.db");
  settings = g_settings_new ("io.github.tenure.Tenure");
  g_settings_set_string (settings, "last-database", "");

  /* Nothing remembered: the welcome page. */
  run_app (NULL, check_welcome, NULL);
  run_app ((const char *[]) { "--db", path, NULL }, check_open, path);
  /* No option: the last database opens again. */
  run_app (NULL, check_open, path);
}

static void
test_db_option_relative (void)
{
  g_autofree char *path = NULL;
  g_autofree char *cwd = g_get_current_dir ();

  if (!tenure_ui_test_have_display ())
    return;
  path = make_database ("relative.db");
  g_assert_cmpint (g_chdir (tmpdir), ==, 0);
  run_app ((const char *[]) { "--db", "relative.db", NULL }, check_open, path);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
}

static void
test_db_option_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;

  if (!tenure_ui_test_have_display ())
    return;
  path = g_build_filename (tmpdir, "notes.db", NULL);
  g_file_set_contents (path, "minutes of the leasing meeting, not a database\n", -1, &error);
  g_assert_no_error (error);
  message = store_error (path);

  run_app ((const char *[]) { "--db", path, NULL }, check_error, message);

  /* A last database that no longer opens falls back to the welcome page with the error. */
  settings = g_settings_new ("io.github.tenure.Tenure");
  g_settings_set_string (settings, "last-database", path);
  run_app (NULL, check_error, message);
}

static void
check_demo (TenureWindow *window,
            gpointer      data)
{
  const char *path = data;

  g_assert_nonnull (tenure_window_get_db (window));
  g_assert_cmpstr (tenure_db_get_display_name (tenure_window_get_db (window)), ==, path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_demo_option (void)
{
  g_autofree char *demo = NULL;
  g_autofree char *partial = NULL;
  GStatBuf first, second;

  if (!tenure_ui_test_have_display ())
    return;
  /* XDG_DATA_HOME points into tmpdir (set in main ()), so this is the test's own demo. */
  demo = g_build_filename (tmpdir, "data", "tenure", "demo.db", NULL);
  partial = g_strconcat (demo, ".partial", NULL);
  g_assert_false (g_file_test (demo, G_FILE_TEST_EXISTS));

  run_app ((const char *[]) { "--demo", NULL }, check_demo, demo);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_stat (demo, &first), ==, 0);

  /* The second time it is opened, not generated again (that would rename a new file in). */
  run_app ((const char *[]) { "--demo", NULL }, check_demo, demo);
  g_assert_cmpint (g_stat (demo, &second), ==, 0);
  g_assert_cmpuint (first.st_ino, ==, second.st_ino);
}

int
main (int   argc,
      char *argv[])
{
  int status;
  g_autofree char *data_home = NULL;

  tmpdir = g_dir_make_tmp ("tenure-cmdline-XXXXXX", NULL);
  data_home = g_build_filename (tmpdir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  tenure_ui_test_init (&argc, &argv);

  g_test_add_func ("/app/command-line/db-and-reopen", test_db_option_and_reopen);
  g_test_add_func ("/app/command-line/db-relative", test_db_option_relative);
  g_test_add_func ("/app/command-line/db-garbage", test_db_option_garbage);
  g_test_add_func ("/app/command-line/demo", test_demo_option);

  status = g_test_run ();
  tenure_test_rm_rf (tmpdir);
  g_free (tmpdir);
  return status;
}
