/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-asset-import-dialog"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "portfolio/tenure-asset-ledger.h"
#include "portfolio/tenure-portfolio.h"
#include "tenure-asset-import-dialog.h"
#include "tenure-portfolio-page.h"
#include "tenure-test-util.h"
#include "tenure-ui-test-util.h"
#include "tenure-window.h"

/* The batch import dialog on its own connection (a worker thread): a file with errors lists
 * them by row and column, the preview marks its rows and the buttons say how many rows they
 * import; a clean file is imported with the button and its units are read back through the
 * core. Screenshots into tests/app/screenshots/<lang>/asset-import-*.png. */

static const char fixture_sql[] =
  "INSERT INTO legal_entity (code, name) VALUES ('LE-SH', '上海置业有限公司');"
  "INSERT INTO project (code, legal_entity_id, name, format, city) VALUES"
  " ('SH-XH01', 1, '徐汇中心', 'mall', '上海');"
  "INSERT INTO building (code, project_id, name, sort_order) VALUES ('SH-XH01-A', 1, 'A座', 1);"
  "INSERT INTO floor (code, building_id, name, sort_order) VALUES"
  " ('SH-XH01-A-1F', 1, '1F', 1);"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) VALUES"
  " ('SH-XH01-A-1F-01', 1, '1F-01', 'mall', 20000, 15000);";

static const char bad_csv[] =
  "项目编码,楼栋,楼层,单元编码,名称,建筑面积,可租面积,状态\n"
  "SH-XH01,A座,1F,SH-XH01-A-1F-02,1F-02,120.5,100,可租\n"
  "SH-XH01,A座,1F,SH-XH01-A-1F-01,重复,80,80,\n"
  "SH-XH01,A座,2F,SH-XH01-A-2F-01,2F-01,-3,,\n"
  "SH-XH01,B座,1F,SH-XH01-B-1F-01,B-1,300,320,\n"
  "SH-XH01,B座,1F,SH-XH01-B-1F-02,B-2,200,200,预留\n";

static const char clean_csv[] =
  "项目编码,楼栋,楼层,单元编码,名称,建筑面积,可租面积,状态\n"
  "SH-XH01,A座,1F,SH-XH01-A-1F-02,1F-02,120.5,100,可租\n"
  "SH-XH01,B座,3F,SH-XH01-B-3F-01,B-301,300,280.25,预留\n";

static char *
screenshot_path (const char *name)
{
  const char *root = g_getenv ("TENURE_BUILD_ROOT");
  const char *lang = g_getenv ("TENURE_TEST_LANG");
  g_autofree char *file = g_strconcat (name, ".png", NULL);

  return g_build_filename (root ? root : ".", "tests", "app", "screenshots",
                           lang ? lang : "en", file, NULL);
}

static gboolean
dialog_idle (gpointer data)
{
  return !tenure_asset_import_dialog_is_busy (data);
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
imported_cb (TenureAssetImportDialog *dialog, guint units, gpointer data)
{
  *(guint *) data += units;
}

/* The texts of the rows of the error list, in order. */
static GPtrArray *
error_lines (GtkWidget *list)
{
  GPtrArray *lines = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

      g_ptr_array_add (lines, (gpointer) gtk_label_get_text (GTK_LABEL (label)));
    }
  return lines;
}

static void
test_import_dialog (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *location = NULL, *bad = NULL, *clean = NULL;
  g_autofree char *png_errors = screenshot_path ("asset-import-errors");
  g_autofree char *png_done = screenshot_path ("asset-import-done");
  g_autoptr (TenureDb) db = NULL;
  g_autoptr (GFile) bad_file = NULL, clean_file = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (GListModel) hits = NULL;
  g_autofree char *want_import = NULL, *want_skip = NULL, *want_row3 = NULL, *want_row4 = NULL;
  g_autofree char *want_row5 = NULL;
  TenureAssetImportDialog *dialog;
  GtkWidget *list, *import_button, *skip_button, *view, *summary;
  guint imported = 0;

  if (!tenure_ui_test_have_display ())
    return;
  tenure_ui_test_application ();

  tmpdir = tenure_test_make_tmpdir ();
  location = g_build_filename (tmpdir, "assets.db", NULL);
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_exec (db, fixture_sql, &error));
  g_assert_no_error (error);
  bad = g_build_filename (tmpdir, "units-with-errors.csv", NULL);
  clean = g_build_filename (tmpdir, "units.csv", NULL);
  g_assert_true (g_file_set_contents (bad, bad_csv, -1, NULL));
  g_assert_true (g_file_set_contents (clean, clean_csv, -1, NULL));
  bad_file = g_file_new_for_path (bad);
  clean_file = g_file_new_for_path (clean);

  dialog = tenure_asset_import_dialog_new (NULL, location, NULL);
  g_object_ref_sink (dialog);
  g_signal_connect (dialog, "imported", G_CALLBACK (imported_cb), &imported);
  gtk_window_present (GTK_WINDOW (dialog));
  list = tenure_ui_test_find_named (GTK_WIDGET (dialog), "error-list");
  import_button = tenure_ui_test_find_named (GTK_WIDGET (dialog), "import-button");
  skip_button = tenure_ui_test_find_named (GTK_WIDGET (dialog), "skip-import-button");
  view = tenure_ui_test_find_named (GTK_WIDGET (dialog), "preview-view");
  summary = tenure_ui_test_find_named (GTK_WIDGET (dialog), "summary-label");
  g_assert_nonnull (list);
  g_assert_nonnull (import_button);
  g_assert_nonnull (skip_button);
  g_assert_nonnull (view);

  /* A file with errors: read off the main thread, then every error by row and column. */
  tenure_asset_import_dialog_load_file (dialog, bad_file);
  g_assert_true (tenure_asset_import_dialog_is_busy (dialog));
  tenure_ui_test_wait_for (dialog_idle, dialog, 30000, "the preview");
  tenure_ui_test_spin (200);
  g_test_message ("summary: %s", gtk_label_get_text (GTK_LABEL (summary)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (
                      gtk_column_view_get_model (GTK_COLUMN_VIEW (view)))), ==, 5);
  lines = error_lines (list);
  for (guint i = 0; i < lines->len; i++)
    g_test_message ("error: %s", (char *) g_ptr_array_index (lines, i));
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_true (gtk_widget_get_mapped (list));
  want_row3 = g_strdup_printf (_("Row %u, column %s (%s): %s"), 3, "4", "单元编码", "");
  want_row4 = g_strdup_printf (_("Row %u, column %s (%s): %s"), 4, "6", "建筑面积", "");
  want_row5 = g_strdup_printf (_("Row %u, column %s (%s): %s"), 5, "7", "可租面积", "");
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, 0), want_row3));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 0), "SH-XH01-A-1F-01"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, 1), want_row4));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 1), "-3"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, 2), want_row5));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 2), "320.00"));
  /* The buttons say how many rows: all five cannot go in, the three good ones can. */
  want_import = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Import %u Row",
                                              "_Import %u Rows", 5), 5);
  want_skip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "_Leave Out %u Bad Row and Import %u",
                                            "_Leave Out %u Bad Rows and Import %u", 3), 3, 2);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (import_button)), ==, want_import);
  g_assert_false (gtk_widget_get_sensitive (import_button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (skip_button)), ==, want_skip);
  g_assert_true (gtk_widget_get_visible (skip_button));
  g_assert_true (gtk_widget_get_sensitive (skip_button));
  /* The marked rows: the bad ones' cells carry the error style. */
  g_assert_cmpuint (tenure_ui_test_count_labels (view, "⚠ 3"), ==, 1);
  g_assert_cmpuint (tenure_ui_test_count_labels (view, "2"), >=, 1);
  g_assert_true (gtk_widget_has_css_class (tenure_ui_test_find_label (view, "⚠ 3"), "error"));
  g_assert_false (gtk_widget_has_css_class (tenure_ui_test_find_label (view, "2"), "error"));
  /* Row 4's area that could not be taken shows as written, not as an empty cell. */
  g_assert_cmpuint (tenure_ui_test_count_labels (view, "-3"), ==, 1);
  tenure_ui_test_screenshot (GTK_WIDGET (dialog), png_errors);
  /* Nothing written by the preview. */
  hits = tenure_portfolio_search_units (db, "SH-XH01", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 1);
  g_clear_object (&hits);

  /* A big file (200,000 rows, generated: big enough that reading and checking it takes well
   * over a frame on any machine, so the test never races the worker) is read off the main
   * thread: the window keeps running, shows progress, and Cancel stops it with nothing
   * written. */
  {
    g_autoptr (GString) rows = g_string_new ("项目编码,楼栋,楼层,单元编码,名称,建筑面积,可租面积,状态\n");
    g_autofree char *big = g_build_filename (tmpdir, "big.csv", NULL);
    g_autoptr (GFile) big_file = g_file_new_for_path (big);
    GtkWidget *cancel = tenure_ui_test_find_named (GTK_WIDGET (dialog), "cancel-button");
    GtkWidget *progress = tenure_ui_test_find_named (GTK_WIDGET (dialog), "progress-bar");

    for (guint i = 0; i < 200000; i++)
      g_string_append_printf (rows, "SH-XH01,C座,%uF,SH-XH01-C-BIG-%06u,C-%u,120.5,100,可租\n",
                              i % 60 + 1, i, i);
    g_assert_true (g_file_set_contents (big, rows->str, (gssize) rows->len, NULL));
    tenure_asset_import_dialog_load_file (dialog, big_file);
    g_assert_true (tenure_asset_import_dialog_is_busy (dialog));
    tenure_ui_test_wait_for (widget_mapped, progress, 10000, "the progress bar");
    g_assert_true (tenure_asset_import_dialog_is_busy (dialog));
    g_assert_true (gtk_widget_get_mapped (cancel));
    g_assert_false (gtk_widget_get_sensitive (import_button));
    g_signal_emit_by_name (cancel, "clicked");
    g_assert_false (tenure_asset_import_dialog_is_busy (dialog));
    g_assert_false (gtk_widget_get_mapped (progress));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (summary)), ==,
                     _("Cancelled; nothing was written"));
    g_assert_false (gtk_widget_get_sensitive (import_button));
    hits = tenure_portfolio_search_units (db, "SH-XH01-C-BIG", 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 0);
    g_clear_object (&hits);
  }

  /* The clean file: Import 2 Rows, then the units are there. */
  tenure_asset_import_dialog_load_file (dialog, clean_file);
  tenure_ui_test_wait_for (dialog_idle, dialog, 30000, "the preview");
  g_free (want_import);
  want_import = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Import %u Row",
                                              "_Import %u Rows", 2), 2);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (import_button)), ==, want_import);
  g_assert_true (gtk_widget_get_sensitive (import_button));
  g_assert_false (gtk_widget_get_visible (skip_button));
  g_assert_null (gtk_widget_get_first_child (list));
  g_assert_false (gtk_widget_get_mapped (list));
  g_signal_emit_by_name (import_button, "clicked");
  tenure_ui_test_wait_for (dialog_idle, dialog, 30000, "the import");
  tenure_ui_test_spin (300);
  g_assert_cmpuint (imported, ==, 2);
  tenure_ui_test_screenshot (GTK_WIDGET (dialog), png_done);

  hits = tenure_portfolio_search_units (db, "SH-XH01", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 3);
  {
    g_autoptr (TenureUnitHit) hit = g_list_model_get_item (hits, 2);
    g_autoptr (GHashTable) values = NULL;

    g_assert_cmpstr (hit->unit_code, ==, "SH-XH01-B-3F-01");
    g_assert_nonnull (strstr (hit->place, "B座"));
    g_assert_nonnull (strstr (hit->place, "3F"));
    values = tenure_asset_ledger_load (db, TENURE_LEDGER_UNIT, hit->unit_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (g_hash_table_lookup (values, "leasable_area"), ==, "280.25");
    g_assert_cmpstr (g_hash_table_lookup (values, "gfa_area"), ==, "300.00");
    g_assert_cmpstr (g_hash_table_lookup (values, "stored_status"), ==, "reserved");
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  g_clear_object (&db);
  tenure_test_rm_rf (tmpdir);
}

static gboolean
window_settled (gpointer data)
{
  return !tenure_window_is_busy (data);
}

static GtkWindow *
find_import_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (TENURE_IS_ASSET_IMPORT_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* From the Portfolio screen: Import Assets… opens the dialog on the window's database; after
 * the import the navigation holds the new building and floor, and the floor lists the unit. */
static void
test_import_from_page (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmpdir = NULL, *path = NULL, *clean = NULL;
  g_autoptr (GFile) clean_file = NULL;
  g_autoptr (GListModel) hits = NULL;
  g_autoptr (TenureUnitHit) hit = NULL;
  TenureApplication *app;
  TenureWindow *window;
  TenurePortfolioPage *page;
  GtkSingleSelection *units;
  GtkWindow *dialog;
  TenureDb *db;
  gboolean listed = FALSE;

  if (!tenure_ui_test_have_display ())
    return;
  tmpdir = tenure_test_make_tmpdir ();
  path = g_build_filename (tmpdir, "page.db", NULL);
  {
    g_autoptr (TenureDb) gen = tenure_db_open (path, TENURE_DB_OPEN_CREATE, &error);

    g_assert_no_error (error);
    g_assert_true (tenure_db_exec (gen, fixture_sql, &error));
    g_assert_no_error (error);
  }
  clean = g_build_filename (tmpdir, "units.csv", NULL);
  g_assert_true (g_file_set_contents (clean, clean_csv, -1, NULL));
  clean_file = g_file_new_for_path (clean);

  app = tenure_ui_test_application ();
  window = tenure_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  tenure_window_open_location (window, path, 0);
  tenure_ui_test_wait_for (window_settled, window, 60000, "the database to open");
  db = tenure_window_get_db (window);
  g_assert_nonnull (db);
  tenure_window_show_section (window, "portfolio");
  tenure_ui_test_spin (300);
  page = TENURE_PORTFOLIO_PAGE (tenure_window_get_section_page (window, "portfolio"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "portfolio.asset-import",
                                             NULL));
  tenure_ui_test_spin (200);
  dialog = find_import_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  tenure_asset_import_dialog_load_file (TENURE_ASSET_IMPORT_DIALOG (dialog), clean_file);
  tenure_ui_test_wait_for (dialog_idle, dialog, 30000, "the preview");
  tenure_asset_import_dialog_import (TENURE_ASSET_IMPORT_DIALOG (dialog), FALSE);
  tenure_ui_test_wait_for (dialog_idle, dialog, 30000, "the import");
  tenure_ui_test_spin (200);

  hits = tenure_portfolio_search_units (db, "SH-XH01-B-3F-01", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (hits), ==, 1);
  hit = g_list_model_get_item (hits, 0);
  /* The new floor is in the reloaded navigation and lists its unit. */
  g_assert_true (tenure_portfolio_page_open_floor (page, hit->floor_id));
  tenure_ui_test_spin (200);
  units = tenure_portfolio_page_get_unit_selection (page);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (units)); i++)
    {
      g_autoptr (TenureUnitInfo) unit = g_list_model_get_item (G_LIST_MODEL (units), i);

      listed = listed || g_strcmp0 (unit->code, "SH-XH01-B-3F-01") == 0;
    }
  g_assert_true (listed);

  gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  tenure_ui_test_spin (100);
  tenure_test_rm_rf (tmpdir);
}

int
main (int argc, char *argv[])
{
  tenure_ui_test_init (&argc, &argv);
  g_test_add_func ("/asset-import-dialog/errors-then-import", test_import_dialog);
  g_test_add_func ("/asset-import-dialog/from-portfolio-page", test_import_from_page);
  return g_test_run ();
}
