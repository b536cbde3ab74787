/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-asset-editor"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "portfolio/tenure-asset-ledger.h"
#include "portfolio/tenure-portfolio.h"
#include "store/tenure-audit.h"
#include "tenure-asset-editor.h"
#include "tenure-history-view.h"
#include "tenure-portfolio-page.h"
#include "tenure-test-util.h"
#include "tenure-ui-test-util.h"
#include "tenure-window.h"

/* The asset ledger dialogs driven through their widgets on the Portfolio screen: a unit
 * created in the editor appears in the floor's unit list; an invalid area shows its message,
 * disables Save and writes nothing; the history dialog of an edited unit (from the unit
 * panel's History button) lists the change; retiring asks first and takes the unit off the
 * list. Screenshots into tests/app/screenshots/<lang>/asset-*.png. */

static const char fixture_sql[] =
  "INSERT INTO legal_entity (code, name) VALUES ('LE-SH', '上海置业有限公司');"
  "INSERT INTO project (code, legal_entity_id, name, format, city) VALUES"
  " ('SH-XH01', 1, '徐汇中心', 'mall', '上海');"
  "INSERT INTO building (code, project_id, name, sort_order) VALUES ('SH-XH01-A', 1, 'A', 1);"
  "INSERT INTO floor (code, building_id, name, sort_order) VALUES"
  " ('SH-XH01-A-1F', 1, '1F', 1);"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c, polygon)"
  " VALUES ('SH-XH01-A-1F-01', 1, '1F-01', 'mall', 20000, 15000,"
  "         '[[20,20],[300,20],[300,250],[20,250]]');";

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
window_settled (gpointer data)
{
  return !tenure_window_is_busy (data);
}

/* The first open toplevel of TYPE, or NULL. */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
editor_closed (gpointer data)
{
  return find_toplevel (TENURE_TYPE_ASSET_EDITOR) == NULL;
}

static GtkWidget *
named (GtkWidget  *root,
       const char *name)
{
  GtkWidget *widget = tenure_ui_test_find_named (root, name);

  g_assert_nonnull (widget);
  return widget;
}

static void
type_into (GtkWidget  *root,
           const char *field,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (named (root, field)), text);
}

static gint64
query_int (TenureDb   *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 n = -1;

  tenure_db_query_int64 (db, sql, &n, &error);
  g_assert_no_error (error);
  return n;
}

/* The position of the unit with CODE in the floor's unit list, or -1. */
static int
listed_position (GtkSingleSelection *selection,
                 const char         *code)
{
  GListModel *model = G_LIST_MODEL (selection);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TenureUnitInfo) unit = g_list_model_get_item (model, i);

      if (g_strcmp0 (unit->code, code) == 0)
        return (int) i;
    }
  return -1;
}

static void
test_asset_editor (void)
{
  g_autoptr(TenureApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *png_new = screenshot_path ("asset-editor");
  g_autofree char *png_invalid = screenshot_path ("asset-editor-invalid");
  g_autofree char *png_history = screenshot_path ("asset-history");
  g_autofree char *expected_change = NULL;
  g_autofree char *old_area = NULL, *new_area = NULL;
  TenureWindow *window;
  TenurePortfolioPage *page;
  GtkSingleSelection *units;
  GtkWindow *editor, *history;
  GtkWidget *message, *save, *button;
  TenureDb *db;
  gint64 audit_before, unit_id;
  int position;

  if (!tenure_ui_test_have_display ())
    return;

  tmpdir = tenure_test_make_tmpdir ();
  path = g_build_filename (tmpdir, "ledger.db", NULL);
  {
    g_autoptr(TenureDb) gen = tenure_db_open (path, TENURE_DB_OPEN_CREATE, &error);

    g_assert_no_error (error);
    tenure_db_exec (gen, fixture_sql, &error);
    g_assert_no_error (error);
  }

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
  g_assert_true (tenure_portfolio_page_open_floor (page, 1));
  units = tenure_portfolio_page_get_unit_selection (page);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (units)), ==, 1);
  /* The ledger's buttons are on the navigation. */
  g_assert_nonnull (named (GTK_WIDGET (page), "asset-new-button"));
  g_assert_nonnull (named (GTK_WIDGET (page), "asset-edit-button"));

  /* New unit: an empty form cannot be saved. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "portfolio.asset-new", "s",
                                             "unit"));
  tenure_ui_test_spin (200);
  editor = find_toplevel (TENURE_TYPE_ASSET_EDITOR);
  g_assert_nonnull (editor);
  save = named (GTK_WIDGET (editor), "save-button");
  message = named (GTK_WIDGET (editor), "validation-message");
  g_assert_false (gtk_widget_get_sensitive (save));

  type_into (GTK_WIDGET (editor), "code", "SH-XH01-A-1F-02");
  type_into (GTK_WIDGET (editor), "name", "1F-02");
  type_into (GTK_WIDGET (editor), "gfa_area", "1,250.50");
  type_into (GTK_WIDGET (editor), "leasable_area", "1,000");
  type_into (GTK_WIDGET (editor), "asking_price", "8.5");
  tenure_ui_test_spin (100);
  g_assert_true (gtk_widget_get_sensitive (save));
  g_assert_false (gtk_widget_get_visible (message));
  tenure_ui_test_screenshot (GTK_WIDGET (editor), png_new);

  /* An invalid area: the message names the field, Save is off, and nothing is written. */
  audit_before = tenure_audit_count (db, &error);
  g_assert_no_error (error);
  type_into (GTK_WIDGET (editor), "leasable_area", "-5");
  tenure_ui_test_spin (100);
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_true (gtk_widget_get_visible (message));
  g_test_message ("message: %s", gtk_label_get_text (GTK_LABEL (message)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)),
                            tenure_asset_ledger_field_label ("leasable_area")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "-5"));
  g_assert_true (gtk_widget_has_css_class (named (GTK_WIDGET (editor), "leasable_area"),
                                           "error"));
  tenure_ui_test_screenshot (GTK_WIDGET (editor), png_invalid);
  g_assert_false (tenure_asset_editor_save (TENURE_ASSET_EDITOR (editor)));
  g_assert_cmpint (tenure_audit_count (db, &error), ==, audit_before);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit"), ==, 1);

  /* Put right, save through the button: the row is written and shows in the unit list. */
  type_into (GTK_WIDGET (editor), "leasable_area", "1,000");
  tenure_ui_test_spin (100);
  g_assert_true (gtk_widget_get_sensitive (save));
  gtk_widget_activate (save);
  tenure_ui_test_wait_for (editor_closed, NULL, 5000, "the editor to close");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE code = 'SH-XH01-A-1F-02'"
                                  " AND floor_id = 1 AND gfa_area_c = 125050"
                                  " AND leasable_area_c = 100000 AND asking_price_e4 = 85000"
                                  " AND format = 'mall' AND stored_status = 'available'"), ==, 1);
  unit_id = query_int (db, "SELECT id FROM unit WHERE code = 'SH-XH01-A-1F-02'");
  units = tenure_portfolio_page_get_unit_selection (page);
  position = listed_position (units, "SH-XH01-A-1F-02");
  g_assert_cmpint (position, >=, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (units)), ==, 2);

  /* Edit the new unit from the list selection: a larger leasable area. */
  gtk_single_selection_set_selected (units, position);
  tenure_ui_test_spin (200);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "portfolio.asset-edit", NULL));
  tenure_ui_test_spin (200);
  editor = find_toplevel (TENURE_TYPE_ASSET_EDITOR);
  g_assert_nonnull (editor);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (GTK_WIDGET (editor), "code"))),
                   ==, "SH-XH01-A-1F-02");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (GTK_WIDGET (editor),
                                                                "leasable_area"))),
                   ==, "1000.00");
  type_into (GTK_WIDGET (editor), "leasable_area", "1,100.25");
  tenure_ui_test_spin (100);
  gtk_widget_activate (named (GTK_WIDGET (editor), "save-button"));
  tenure_ui_test_wait_for (editor_closed, NULL, 5000, "the editor to close");
  g_assert_cmpint (query_int (db, "SELECT leasable_area_c FROM unit"
                                  " WHERE code = 'SH-XH01-A-1F-02'"), ==, 110025);

  /* The unit panel of the edited unit offers its history, which lists the change. */
  units = tenure_portfolio_page_get_unit_selection (page);
  position = listed_position (units, "SH-XH01-A-1F-02");
  g_assert_cmpint (position, >=, 0);
  gtk_single_selection_set_selected (units, position);
  tenure_ui_test_spin (200);
  button = named (GTK_WIDGET (tenure_portfolio_page_get_unit_panel (page)),
                  "unit-history-button");
  g_assert_true (gtk_widget_get_visible (button));
  gtk_widget_activate (button);
  tenure_ui_test_spin (400);
  history = find_toplevel (TENURE_TYPE_HISTORY_VIEW);
  g_assert_nonnull (history);
  /* The edit and the creation. */
  g_assert_cmpuint (tenure_history_view_get_n_entries (TENURE_HISTORY_VIEW (history)), ==, 2);
  g_assert_nonnull (named (GTK_WIDGET (history), "history-list"));
  {
    g_autofree char *a = tenure_portfolio_format_area_c (100000);
    g_autofree char *b = tenure_portfolio_format_area_c (110025);

    old_area = g_strdup_printf (_("%s m²"), a);
    new_area = g_strdup_printf (_("%s m²"), b);
  }
  expected_change = g_strdup_printf (_("%s: %s → %s"),
                                     tenure_asset_ledger_field_label ("leasable_area_c"),
                                     old_area, new_area);
  g_test_message ("expecting: %s", expected_change);
  tenure_ui_test_spin (200);
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (history), expected_change));
  tenure_ui_test_screenshot (GTK_WIDGET (history), png_history);
  gtk_window_close (history);
  tenure_ui_test_spin (100);

  /* Retire asks first; confirmed, the unit leaves the list. */
  gtk_single_selection_set_selected (units, listed_position (units, "SH-XH01-A-1F-02"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "portfolio.asset-edit", NULL));
  tenure_ui_test_spin (200);
  editor = find_toplevel (TENURE_TYPE_ASSET_EDITOR);
  g_assert_nonnull (editor);
  gtk_widget_activate (named (GTK_WIDGET (editor), "retire-button"));
  tenure_ui_test_spin (400);
  {
    GtkWindow *confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

    g_assert_nonnull (confirm);
    /* Nothing happens before the answer. */
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE retired_on IS NOT NULL"),
                     ==, 0);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "retire");
  }
  tenure_ui_test_wait_for (editor_closed, NULL, 5000, "the editor to close");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM unit WHERE retired_on IS NOT NULL"),
                   ==, 1);
  g_assert_cmpint (query_int (db, "SELECT id FROM unit WHERE retired_on IS NOT NULL"),
                   ==, unit_id);
  units = tenure_portfolio_page_get_unit_selection (page);
  g_assert_cmpint (listed_position (units, "SH-XH01-A-1F-02"), ==, -1);
  g_assert_cmpint (listed_position (units, "SH-XH01-A-1F-01"), >=, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  tenure_ui_test_spin (100);
  tenure_test_rm_rf (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  tenure_ui_test_init (&argc, &argv);
  g_test_add_func ("/asset-editor/create-invalid-history-retire", test_asset_editor);
  return g_test_run ();
}
