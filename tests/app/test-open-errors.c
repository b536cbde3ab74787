/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-open-errors"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "base/tenure-error.h"
#include "tenure-test-util.h"
#include "tenure-ui-test-util.h"
#include "tenure-window.h"

/* Databases that cannot be opened: the window shows the store's message (which names the
 * problem and the file), stays usable, and never changes the file. */

typedef struct
{
  TenureApplication *app;
  TenureWindow      *window;
  char              *tmpdir;
} Fixture;

static gboolean
window_settled (gpointer data)
{
  return !tenure_window_is_busy (TENURE_WINDOW (data));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!tenure_ui_test_have_display ())
    return;
  fixture->app = tenure_ui_test_application ();
  fixture->tmpdir = tenure_test_make_tmpdir ();
  fixture->window = tenure_window_new (fixture->app);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
  tenure_ui_test_spin (200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  tenure_ui_test_spin (50);
  g_clear_object (&fixture->app);
  if (fixture->tmpdir != NULL)
    tenure_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static void
open_and_wait (Fixture    *fixture,
               const char *location,
               TenureDbOpenFlags flags)
{
  tenure_window_open_location (fixture->window, location, flags);
  g_assert_true (tenure_window_is_busy (fixture->window));
  tenure_ui_test_wait_for (window_settled, fixture->window, 60000, location);
  tenure_ui_test_spin (300);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* The error the store gives for LOCATION, to compare with what the window shows. */
static char *
expected_error_full (const char        *location,
                     TenureDbOpenFlags  flags,
                     int                code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_db_open (location, flags, &error);

  g_assert_null (db);
  if (code >= 0)
    g_assert_error (error, TENURE_ERROR, code);
  g_assert_nonnull (error);
  return g_strdup (error->message);
}

static char *
expected_error (const char *location,
                int         code)
{
  return expected_error_full (location, TENURE_DB_OPEN_DEFAULT, code);
}

/* The welcome page's error label: mapped, showing MESSAGE. */
static void
assert_welcome_error (Fixture    *fixture,
                      const char *message)
{
  GtkWidget *label = tenure_ui_test_find_named (GTK_WIDGET (fixture->window), "welcome-error");

  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, message);
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (fixture->window),
                                               _("Could not open the database")));
  /* Still usable: the welcome actions are there. */
  label = tenure_ui_test_find_named (GTK_WIDGET (fixture->window), "welcome-demo-button");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_true (gtk_widget_is_sensitive (label));
  g_assert_null (tenure_window_get_db (fixture->window));
}

static void
write_garbage (const char *path)
{
  g_autoptr(GError) error = NULL;
  GString *junk = g_string_new (NULL);

  for (guint i = 0; i < 512; i++)
    g_string_append (junk, "This is a tenancy schedule, not a database. ");
  g_file_set_contents (path, junk->str, (gssize) junk->len, &error);
  g_assert_no_error (error);
  g_string_free (junk, TRUE);
}

/* The names in DIR, sorted and joined: compared before and after an open that must not write
 * anything there (no journal, no WAL, no copy). */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static char *
dir_listing (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) handle = g_dir_open (dir, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  g_assert_no_error (error);
  while ((entry = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("\n", (char **) names->pdata);
}

static void
test_garbage_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *listing_after = NULL;

  if (fixture->window == NULL)
    return;
  path = g_build_filename (fixture->tmpdir, "rent-roll.db", NULL);
  write_garbage (path);
  before = read_file (path);
  message = expected_error (path, TENURE_ERROR_DB_NOT_DATABASE);
  g_assert_nonnull (strstr (message, "rent-roll.db"));
  listing = dir_listing (fixture->tmpdir);
  g_assert_cmpstr (listing, ==, "rent-roll.db");

  open_and_wait (fixture, path, TENURE_DB_OPEN_DEFAULT);
  assert_welcome_error (fixture, message);

  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));
  listing_after = dir_listing (fixture->tmpdir);
  g_assert_cmpstr (listing_after, ==, listing);
}

static void
make_newer_schema_db (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_db_open (path, TENURE_DB_OPEN_CREATE, &error);
  g_autoptr(TenureStmt) stmt = NULL;

  g_assert_no_error (error);
  stmt = tenure_db_prepare (db, "INSERT INTO schema_migrations"
                                " (version, description, applied_at, applied_by)"
                                " VALUES ($1, 'from the future',"
                                " '2030-01-01T00:00:00.000000Z', 'test')", &error);
  g_assert_no_error (error);
  tenure_stmt_bind_int64 (stmt, 1, tenure_db_latest_schema_version () + 1);
  g_assert_true (tenure_stmt_run (stmt, &error));
  g_assert_no_error (error);
}

static void
test_newer_schema (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *listing_after = NULL;

  if (fixture->window == NULL)
    return;
  path = g_build_filename (fixture->tmpdir, "future.db", NULL);
  make_newer_schema_db (path);
  before = read_file (path);
  message = expected_error (path, TENURE_ERROR_DB_TOO_NEW);
  listing = dir_listing (fixture->tmpdir);

  open_and_wait (fixture, path, TENURE_DB_OPEN_DEFAULT);
  assert_welcome_error (fixture, message);

  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));
  listing_after = dir_listing (fixture->tmpdir);
  g_assert_cmpstr (listing_after, ==, listing);
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;

  if (fixture->window == NULL)
    return;
  path = g_build_filename (fixture->tmpdir, "nowhere", "missing.db", NULL);
  message = expected_error (path, -1);

  open_and_wait (fixture, path, TENURE_DB_OPEN_DEFAULT);
  assert_welcome_error (fixture, message);
  /* Opening without "create" never makes the file or its folder. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_read_only_location (Fixture       *fixture,
                         gconstpointer  data)
{
  /* Read-only even for root, so the test means the same in CI. */
  const char *path = "/proc/sys/tenure-test.db";
  g_autofree char *message = NULL;

  if (fixture->window == NULL)
    return;
  message = expected_error_full (path, TENURE_DB_OPEN_CREATE, TENURE_ERROR_DB_READ_ONLY);

  open_and_wait (fixture, path, TENURE_DB_OPEN_CREATE);
  assert_welcome_error (fixture, message);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static gboolean
progress_shown (gpointer data)
{
  GtkWidget *bar = data;
  return gtk_widget_get_mapped (bar)
         && gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar)) > 0.0;
}

typedef struct
{
  const char *partial;
} PartialGone;

static gboolean
partial_gone (gpointer data)
{
  return !g_file_test (((PartialGone *) data)->partial, G_FILE_TEST_EXISTS);
}

/* Cancelling the demo while it is generated: back to the welcome page at once, and neither the
 * demo nor its temporary file is left behind. */
static void
test_cancel_demo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *demo = NULL;
  g_autofree char *partial = NULL;
  GtkWidget *bar = NULL;
  PartialGone gone;

  if (fixture->window == NULL)
    return;
  demo = g_build_filename (fixture->tmpdir, "demo.db", NULL);
  partial = g_strconcat (demo, ".partial", NULL);

  tenure_window_open_demo (fixture->window, demo);
  bar = tenure_ui_test_find_named (GTK_WIDGET (fixture->window), "welcome-progress");
  g_assert_nonnull (bar);
  tenure_ui_test_wait_for (progress_shown, bar, 60000, "demo progress");
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel-open",
                                             NULL));
  g_assert_false (tenure_window_is_busy (fixture->window));
  g_assert_null (tenure_window_get_db (fixture->window));
  tenure_ui_test_spin (300);
  g_assert_false (gtk_widget_get_mapped (bar));
  g_assert_true (gtk_widget_get_mapped (
    tenure_ui_test_find_named (GTK_WIDGET (fixture->window), "welcome-demo-button")));

  /* The worker stops at its next check and removes its temporary file. */
  gone.partial = partial;
  tenure_ui_test_wait_for (partial_gone, &gone, 60000, "the partial demo to be removed");
  g_assert_false (g_file_test (demo, G_FILE_TEST_EXISTS));
}

static AdwMessageDialog *
find_error_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) widget = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (widget)
          && g_strcmp0 (gtk_widget_get_name (widget), "open-error-dialog") == 0
          && gtk_widget_get_mapped (widget))
        return ADW_MESSAGE_DIALOG (widget);
    }
  return NULL;
}

static void
test_error_keeps_open_database (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *message = NULL;
  g_autofree char *last = NULL;
  g_auto(GStrv) recent = NULL;
  AdwMessageDialog *dialog;
  TenureDb *db;

  if (fixture->window == NULL)
    return;
  good = g_build_filename (fixture->tmpdir, "good.db", NULL);
  bad = g_build_filename (fixture->tmpdir, "bad.db", NULL);
  write_garbage (bad);
  message = expected_error (bad, TENURE_ERROR_DB_NOT_DATABASE);

  open_and_wait (fixture, good, TENURE_DB_OPEN_CREATE);
  db = tenure_window_get_db (fixture->window);
  g_assert_nonnull (db);
  g_assert_true (g_file_test (good, G_FILE_TEST_IS_REGULAR));

  /* The opened database is remembered, most recent first. */
  settings = g_settings_new ("io.github.tenure.Tenure");
  recent = g_settings_get_strv (settings, "recent-databases");
  last = g_settings_get_string (settings, "last-database");
  g_assert_nonnull (recent[0]);
  g_assert_cmpstr (recent[0], ==, good);
  g_assert_cmpstr (last, ==, good);

  open_and_wait (fixture, bad, TENURE_DB_OPEN_DEFAULT);
  /* The previous database stays open and the workspace shows; a dialog says why. */
  g_assert_true (tenure_window_get_db (fixture->window) == db);
  g_assert_true (gtk_widget_get_mapped (tenure_window_get_section_page (fixture->window,
                                                                       "portfolio")));
  dialog = find_error_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, message);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   _("Could not open the database"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* A failed open is not remembered. */
  g_clear_pointer (&recent, g_strfreev);
  recent = g_settings_get_strv (settings, "recent-databases");
  g_assert_false (g_strv_contains ((const char * const *) recent, bad));

  /* Closing shows the welcome page with the database in its recent list, and forgets it as
   * the one to reopen at start. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.close-database",
                                             NULL));
  tenure_ui_test_spin (300);
  g_assert_null (tenure_window_get_db (fixture->window));
  g_clear_pointer (&last, g_free);
  last = g_settings_get_string (settings, "last-database");
  g_assert_cmpstr (last, ==, "");
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (fixture->window), "good.db"));
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (fixture->window), good));

  /* A recent row reopens it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-recent",
                                             "s", good));
  tenure_ui_test_wait_for (window_settled, fixture->window, 60000, good);
  g_assert_nonnull (tenure_window_get_db (fixture->window));
  g_assert_cmpstr (tenure_db_get_display_name (tenure_window_get_db (fixture->window)), ==,
                   good);

  /* Forgetting removes it from the list and from the page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.forget-recent",
                                             "s", good));
  g_clear_pointer (&recent, g_strfreev);
  recent = g_settings_get_strv (settings, "recent-databases");
  g_assert_false (g_strv_contains ((const char * const *) recent, good));
  tenure_window_close_database (fixture->window);
  tenure_ui_test_spin (300);
  g_assert_null (tenure_ui_test_find_label (GTK_WIDGET (fixture->window), "good.db"));
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *host = g_getenv ("TENURE_TEST_PG_HOST");
  g_autofree char *location = NULL;
  g_autofree char *message = NULL;

  if (fixture->window == NULL)
    return;
  if (tenure_test_pg_conninfo () == NULL)
    return;
  location = g_strdup_printf ("host=%s port=5432 dbname=tenure_test user=tenure_pw "
                              "password=wrong", host);
  message = expected_error (location, TENURE_ERROR_DB_AUTH);
  g_assert_null (strstr (message, "wrong"));

  open_and_wait (fixture, location, TENURE_DB_OPEN_DEFAULT);
  assert_welcome_error (fixture, message);
}

static void
test_unreachable_server (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *socket_dir = NULL;
  g_autofree char *location = NULL;
  g_autofree char *message = NULL;

  if (fixture->window == NULL)
    return;
  /* A socket folder with no server in it: refused at once, no network needed. */
  socket_dir = g_build_filename (fixture->tmpdir, "no-server", NULL);
  g_assert_cmpint (g_mkdir (socket_dir, 0700), ==, 0);
  location = g_strdup_printf ("host=%s port=5999 dbname=tenure user=nobody", socket_dir);
  message = expected_error (location, TENURE_ERROR_DB_UNREACHABLE);

  open_and_wait (fixture, location, TENURE_DB_OPEN_DEFAULT);
  assert_welcome_error (fixture, message);
}

int
main (int   argc,
      char *argv[])
{
  tenure_ui_test_init (&argc, &argv);

  g_test_add ("/app/open-errors/garbage-file", Fixture, NULL,
              fixture_set_up, test_garbage_file, fixture_tear_down);
  g_test_add ("/app/open-errors/newer-schema", Fixture, NULL,
              fixture_set_up, test_newer_schema, fixture_tear_down);
  g_test_add ("/app/open-errors/missing-file", Fixture, NULL,
              fixture_set_up, test_missing_file, fixture_tear_down);
  g_test_add ("/app/open-errors/keeps-open-database", Fixture, NULL,
              fixture_set_up, test_error_keeps_open_database, fixture_tear_down);
  g_test_add ("/app/open-errors/unreachable-server", Fixture, NULL,
              fixture_set_up, test_unreachable_server, fixture_tear_down);
  g_test_add ("/app/open-errors/read-only-location", Fixture, NULL,
              fixture_set_up, test_read_only_location, fixture_tear_down);
  g_test_add ("/app/open-errors/cancel-demo", Fixture, NULL,
              fixture_set_up, test_cancel_demo, fixture_tear_down);
  g_test_add ("/app/open-errors/wrong-password", Fixture, NULL,
              fixture_set_up, test_wrong_password, fixture_tear_down);

  return g_test_run ();
}
