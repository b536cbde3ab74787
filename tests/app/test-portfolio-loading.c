/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

/* The Portfolio screen loads off the main thread (issue 6, item 7): on the demo opened through
 * the window (so the page has the location for its worker connection), a floor request shows
 * the spinner and then the floor's units; of two requests the second wins and nothing of the
 * first ever shows; Cancel leaves the previous view; a building loads its stacking plan; a
 * connection that cannot be made shows its message in the content area. */

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>

#include "analytics/tenure-kpi-unit.h"
#include "base/tenure-money.h"
#include "demo/tenure-demo.h"
#include "portfolio/tenure-portfolio.h"
#include "tenure-floor-plan-editor.h"
#include "tenure-portfolio-page.h"
#include "tenure-ui-test-util.h"
#include "tenure-window.h"
#include "tenure-test-util.h"

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

static gboolean
page_loaded (gpointer data)
{
  return !tenure_portfolio_page_is_loading (data);
}

static gint64
query_int (TenureDb   *db,
           const char *sql,
           gint64      arg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, &error);

  g_assert_no_error (error);
  if (arg != 0)
    tenure_stmt_bind_int64 (stmt, 1, arg);
  g_assert_true (tenure_stmt_step (stmt, &error));
  g_assert_no_error (error);
  return tenure_stmt_column_int64 (stmt, 0);
}

static gint64
query_int2 (TenureDb   *db,
            const char *sql,
            gint64      a,
            gint64      b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, &error);

  g_assert_no_error (error);
  tenure_stmt_bind_int64 (stmt, 1, a);
  tenure_stmt_bind_int64 (stmt, 2, b);
  g_assert_true (tenure_stmt_step (stmt, &error));
  g_assert_no_error (error);
  return tenure_stmt_column_int64 (stmt, 0);
}

/* Every unit the page's list holds is on FLOOR_ID; returns how many. */
static guint
assert_list_on_floor (TenurePortfolioPage *page,
                      gint64               floor_id)
{
  GListModel *list = G_LIST_MODEL (tenure_portfolio_page_get_unit_selection (page));
  guint n = g_list_model_get_n_items (list);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TenureUnitInfo) unit = g_list_model_get_item (list, i);
      g_assert_cmpint (unit->floor_id, ==, floor_id);
    }
  return n;
}

/* Fails the test when a unit of a floor in FORBIDDEN ever enters the page's unit list. */
static void
items_changed_cb (GListModel *list,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  GArray *forbidden = user_data;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TenureUnitInfo) unit = g_list_model_get_item (list, i);

      for (guint k = 0; k < forbidden->len; k++)
        if (unit->floor_id == g_array_index (forbidden, gint64, k))
          g_error ("unit %s of a dropped request's floor %" G_GINT64_FORMAT " showed",
                   unit->code, unit->floor_id);
    }
}

static GtkWidget *
find_error_label (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "tenure-error-box"))
        return child;
      if ((found = find_error_label (child)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_loading (void)
{
  g_autoptr(TenureApplication) app = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *demo = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) forbidden = g_array_new (FALSE, FALSE, sizeof (gint64));
  TenureDemoOptions options = { .seed = 7, .scale = TENURE_DEMO_SCALE_SMALL,
                                .bills = TENURE_DEMO_BILLS_OFF };
  TenureWindow *window;
  TenurePortfolioPage *page;
  GtkSpinner *spinner;
  GListModel *list;
  TenureDb *db;
  gint64 floor_a, floor_b, floor_c, building, n_a, n_c, building_units;
  gulong handler;
  guint n;

  if (!tenure_ui_test_have_display ())
    return;

  tmpdir = tenure_test_make_tmpdir ();
  demo = g_build_filename (tmpdir, "demo.db", NULL);
  {
    g_autoptr(TenureDb) gen = tenure_db_open (demo, TENURE_DB_OPEN_CREATE, &error);
    g_assert_no_error (error);
    g_assert_true (tenure_demo_generate (gen, &options, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  app = tenure_ui_test_application ();
  window = tenure_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  tenure_window_open_location (window, demo, 0);
  tenure_ui_test_wait_for (window_settled, window, 60000, "the demo to open");
  db = tenure_window_get_db (window);
  g_assert_nonnull (db);
  tenure_window_show_section (window, "portfolio");
  page = TENURE_PORTFOLIO_PAGE (tenure_window_get_section_page (window, "portfolio"));
  spinner = tenure_portfolio_page_get_load_spinner (page);
  list = G_LIST_MODEL (tenure_portfolio_page_get_unit_selection (page));
  /* The navigation tree comes from the worker too. */
  tenure_ui_test_wait_for (page_loaded, page, 30000, "the navigation tree");
  tenure_ui_test_spin (200);

  /* The largest floor, another floor of another building, and a third building. */
  floor_a = query_int (db, "SELECT floor_id FROM unit GROUP BY floor_id"
                           " ORDER BY count(*) DESC, floor_id LIMIT 1", 0);
  n_a = query_int (db, "SELECT count(*) FROM unit WHERE floor_id = $1", floor_a);
  floor_b = query_int (db, "SELECT min(f.id) FROM floor f JOIN unit u ON u.floor_id = f.id"
                           " WHERE f.building_id <> (SELECT building_id FROM floor WHERE id = $1)",
                       floor_a);
  floor_c = query_int2 (db, "SELECT max(floor_id) FROM unit WHERE floor_id NOT IN ($1, $2)",
                        floor_a, floor_b);
  g_assert_cmpint (floor_b, !=, floor_a);
  g_assert_cmpint (floor_c, !=, floor_a);
  g_assert_cmpint (floor_c, !=, floor_b);
  n_c = query_int (db, "SELECT count(*) FROM unit WHERE floor_id = $1", floor_c);
  building = query_int (db, "SELECT building_id FROM floor WHERE id = $1", floor_b);
  g_assert_cmpint (n_a, >, 0);
  g_assert_cmpint (n_c, >, 0);

  /* A floor: the spinner shows at once, the units arrive later. */
  g_assert_true (tenure_portfolio_page_request_floor (page, floor_a));
  g_assert_true (tenure_portfolio_page_is_loading (page));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (spinner)));
  g_assert_true (gtk_spinner_get_spinning (spinner));
  tenure_ui_test_wait_for (page_loaded, page, 30000, "the largest floor");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (spinner)));
  g_assert_false (gtk_spinner_get_spinning (spinner));
  n = assert_list_on_floor (page, floor_a);
  g_assert_cmpuint (n, ==, (guint) n_a);
  g_assert_cmpuint (tenure_floor_plan_get_n_units (tenure_portfolio_page_get_floor_plan (page)),
                    ==, (guint) n_a);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (tenure_portfolio_page_get_floor_plan (page))));

  /* Two requests: the second wins, nothing of the first ever shows. */
  g_array_append_val (forbidden, floor_b);
  handler = g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), forbidden);
  g_assert_true (tenure_portfolio_page_request_floor (page, floor_b));
  g_assert_true (tenure_portfolio_page_request_floor (page, floor_c));
  g_assert_true (tenure_portfolio_page_is_loading (page));
  tenure_ui_test_wait_for (page_loaded, page, 30000, "the second floor request");
  tenure_ui_test_spin (300);
  g_assert_cmpuint (assert_list_on_floor (page, floor_c), ==, (guint) n_c);
  g_assert_cmpuint (tenure_floor_plan_get_n_units (tenure_portfolio_page_get_floor_plan (page)),
                    ==, (guint) n_c);

  /* Cancel: the building's result is dropped, floor C stays. */
  {
    g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, "SELECT id FROM floor"
                                                        " WHERE building_id = $1", &error);
    g_assert_no_error (error);
    tenure_stmt_bind_int64 (stmt, 1, building);
    while (tenure_stmt_step (stmt, &error))
      {
        gint64 id = tenure_stmt_column_int64 (stmt, 0);
        g_array_append_val (forbidden, id);
      }
    g_assert_no_error (error);
  }
  g_assert_true (tenure_portfolio_page_request_building (page, building));
  g_assert_true (tenure_portfolio_page_is_loading (page));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (spinner)));
  /* As the Cancel button does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "portfolio.cancel-load", NULL));
  g_assert_false (tenure_portfolio_page_is_loading (page));
  tenure_ui_test_spin (500);
  g_assert_false (tenure_portfolio_page_is_loading (page));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (tenure_portfolio_page_get_floor_plan (page))));
  g_assert_cmpuint (assert_list_on_floor (page, floor_c), ==, (guint) n_c);
  g_signal_handler_disconnect (list, handler);

  /* A building: its stacking plan with every floor's units, the same as each floor's own
   * load gives. */
  {
    g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, "SELECT id FROM floor"
                                                        " WHERE building_id = $1", &error);
    guint total = 0;

    g_assert_no_error (error);
    tenure_stmt_bind_int64 (stmt, 1, building);
    while (tenure_stmt_step (stmt, &error))
      {
        g_autoptr(GListModel) floor =
          tenure_portfolio_list_floor_units (db, tenure_stmt_column_int64 (stmt, 0),
                                             tenure_portfolio_get_as_of (db), NULL);

        g_assert_nonnull (floor);
        total += g_list_model_get_n_items (floor);
      }
    g_assert_no_error (error);
    building_units = total;
  }
  g_assert_true (tenure_portfolio_page_request_building (page, building));
  g_assert_true (gtk_spinner_get_spinning (spinner));
  /* What the content area shows meanwhile: the spinner, what loads, Cancel. */
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), _("Cancel")));
  tenure_ui_test_wait_for (page_loaded, page, 30000, "the building");
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, (guint) building_units);
  g_assert_true (gtk_widget_get_mapped (
                   GTK_WIDGET (tenure_portfolio_page_get_stacking_plan (page))));

  /* The synchronous entry point still answers at once. */
  g_assert_true (tenure_portfolio_page_open_floor (page, floor_a));
  g_assert_false (tenure_portfolio_page_is_loading (page));
  g_assert_cmpuint (assert_list_on_floor (page, floor_a), ==, (guint) n_a);

  gtk_window_destroy (GTK_WINDOW (window));
  tenure_ui_test_spin (100);
  tenure_test_rm_rf (tmpdir);
}

/* The worker cannot connect (the file went away): the message shows in the content area and
 * the page stays usable. */
static void
test_load_error (void)
{
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;
  GtkWidget *window;
  TenurePortfolioPage *page;
  GtkWidget *label;

  if (!tenure_ui_test_have_display ())
    return;

  tmpdir = tenure_test_make_tmpdir ();
  path = g_build_filename (tmpdir, "empty.db", NULL);
  gone = g_build_filename (tmpdir, "gone", "moved.db", NULL);
  db = tenure_db_open (path, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  page = g_object_new (TENURE_TYPE_PORTFOLIO_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  tenure_portfolio_page_set_location (page, gone);
  tenure_portfolio_page_set_db (page, db);
  g_assert_true (tenure_portfolio_page_is_loading (page));
  tenure_ui_test_wait_for (page_loaded, page, 30000, "the failed tree load");

  label = find_error_label (GTK_WIDGET (page));
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (label));
  g_test_message ("error shown: %s", gtk_label_get_text (GTK_LABEL (label)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "moved.db"));
  g_assert_false (gtk_spinner_get_spinning (tenure_portfolio_page_get_load_spinner (page)));

  gtk_window_destroy (GTK_WINDOW (window));
  tenure_ui_test_spin (100);
  tenure_test_rm_rf (tmpdir);
}

/* A vacant unit whose lease was terminated 2026-09-15 (120.00 m² at 150.0000 a month), one
 * without an asking price, one leased. */
static const char panel_sql[] =
  "INSERT INTO legal_entity (code, name) VALUES ('LE', '测试置业');"
  "INSERT INTO project (code, legal_entity_id, name, format) VALUES ('P1', 1, 'P1', 'office');"
  "INSERT INTO building (code, project_id, name) VALUES ('B1', 1, 'B1');"
  "INSERT INTO floor (code, building_id, name, sort_order) VALUES ('F1', 1, '1F', 1);"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c,"
  " asking_price_e4, created_at) VALUES"
  " ('P1-101', 1, '101', 'office', 15000, 12000, 1500000, '2024-01-01 00:00:00'),"
  " ('P1-102', 1, '102', 'office', 15000, 12000, NULL, '2024-01-01 00:00:00');"
  "INSERT INTO tenant (code, name) VALUES ('T1', '甲');"
  "INSERT INTO contract (code, tenant_id, project_id, status, start_date, end_date,"
  " terminated_on) VALUES"
  " ('C1', 1, 1, 'terminated', '2025-01-01', '2026-12-31', '2026-09-15');"
  "INSERT INTO contract_version (contract_id, version_no, effective_from, status) VALUES"
  " (1, 1, '2025-01-01', 'approved');"
  "INSERT INTO contract_unit (contract_version_id, unit_id, area_c) VALUES (1, 1, 12000);";

/* The text of the value label of the panel's vacancy-loss row. */
static gboolean
row_has_label (GtkWidget  *row,
               const char *text)
{
  return tenure_ui_test_find_label (row, text) != NULL;
}

/* The unit panel of a vacant unit shows the vacancy loss to date, the same amount as the
 * per-unit KPI (3,300,000 fen by hand: 15/30 + 1 + 10/30 months of 18,000.00), since when,
 * and "No asking price" for a unit without one. */
static void
test_panel_vacancy_loss (void)
{
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(TenureUnitDetail) detail = NULL;
  TenureKpiUnitVacancy vacancy;
  TenureDate as_of = tenure_date_from_ymd (2026, 11, 10);
  GtkWidget *window;
  TenureUnitPanel *panel;
  GtkWidget *row;

  if (!tenure_ui_test_have_display ())
    return;

  tmpdir = tenure_test_make_tmpdir ();
  path = g_build_filename (tmpdir, "panel.db", NULL);
  db = tenure_db_open (path, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  tenure_db_exec (db, panel_sql, &error);
  g_assert_no_error (error);

  g_assert_true (tenure_kpi_unit_vacancy_loss (db, 1, as_of, &vacancy, &error));
  g_assert_cmpint (vacancy.vacancy_loss, ==, 3300000);
  expected = tenure_money_format (tenure_money_new (3300000, tenure_currency_lookup ("CNY")),
                                  TENURE_MONEY_FORMAT_DEFAULT);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 900);
  panel = g_object_new (TENURE_TYPE_UNIT_PANEL, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (panel));
  gtk_window_present (GTK_WINDOW (window));
  tenure_unit_panel_set_db (panel, db);
  detail = tenure_portfolio_get_unit_detail (db, 1, as_of, &error);
  g_assert_no_error (error);
  tenure_unit_panel_set_detail (panel, detail);
  tenure_ui_test_spin (200);

  row = tenure_ui_test_find_named (GTK_WIDGET (panel), "unit-vacancy-loss");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_mapped (row));
  g_test_message ("vacancy loss shown: %s", expected);
  g_assert_true (row_has_label (row, expected));
  g_assert_true (row_has_label (row, _("Vacancy loss to date")));
  {
    g_autofree char *since = g_strdup_printf (_("Since %s, the day after the last lease ended"),
                                              "2026-09-16");
    g_assert_true (row_has_label (row, since));
  }
  g_assert_null (tenure_ui_test_find_label (GTK_WIDGET (panel), _("Not available yet")));

  /* No asking price. */
  g_clear_pointer (&detail, tenure_unit_detail_free);
  detail = tenure_portfolio_get_unit_detail (db, 2, as_of, &error);
  g_assert_no_error (error);
  tenure_unit_panel_set_detail (panel, detail);
  tenure_ui_test_spin (100);
  row = tenure_ui_test_find_named (GTK_WIDGET (panel), "unit-vacancy-loss");
  g_assert_nonnull (row);
  g_assert_true (row_has_label (row, _("No asking price")));

  gtk_window_destroy (GTK_WINDOW (window));
  tenure_ui_test_spin (100);
  tenure_test_rm_rf (tmpdir);
}

/* Cancelling the navigation tree's load says the tree is missing and how to get it. */
static void
test_cancel_tree (void)
{
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;
  GtkWidget *window;
  TenurePortfolioPage *page;
  GtkWidget *label;

  if (!tenure_ui_test_have_display ())
    return;

  tmpdir = tenure_test_make_tmpdir ();
  path = g_build_filename (tmpdir, "tree.db", NULL);
  db = tenure_db_open (path, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  tenure_db_exec (db, panel_sql, &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  page = g_object_new (TENURE_TYPE_PORTFOLIO_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  tenure_portfolio_page_set_location (page, path);
  tenure_portfolio_page_set_db (page, db);
  g_assert_true (tenure_portfolio_page_is_loading (page));
  tenure_portfolio_page_cancel_load (page);
  g_assert_false (tenure_portfolio_page_is_loading (page));
  tenure_ui_test_spin (300);
  label = find_error_label (GTK_WIDGET (page));
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==,
                   _("Loading the navigation was cancelled: open the database "
                     "again to browse its buildings and floors."));
  /* The dropped tree never arrives: no floor can be requested. */
  g_assert_false (tenure_portfolio_page_request_floor (page, 1));

  /* The synchronous entry point reads the tree itself. */
  g_assert_true (tenure_portfolio_page_open_floor (page, 1));
  g_assert_cmpuint (g_list_model_get_n_items (
                      G_LIST_MODEL (tenure_portfolio_page_get_unit_selection (page))), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
  tenure_ui_test_spin (100);
  tenure_test_rm_rf (tmpdir);
}

/* A PostgreSQL server that accepts the connection and never answers: the page keeps its
 * spinner (screenshot), the window stays responsive, and when libpq gives up the message shows
 * in the content area. */
static void
test_unresponsive_server (void)
{
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *socket_path = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *png = screenshot_path ("portfolio-loading");
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GSocket) server = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GListModel) projects = NULL;
  GtkWidget *window;
  TenurePortfolioPage *page;
  GtkWidget *label;
  gint64 t0;

  if (!tenure_ui_test_have_display ())
    return;

  tmpdir = tenure_test_make_tmpdir ();
  path = g_build_filename (tmpdir, "local.db", NULL);
  db = tenure_db_open (path, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  tenure_db_exec (db, panel_sql, &error);
  g_assert_no_error (error);
  projects = tenure_portfolio_list_projects (db, &error);
  g_assert_no_error (error);
  socket_path = g_build_filename (tmpdir, ".s.PGSQL.5499", NULL);
  server = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                         &error);
  g_assert_no_error (error);
  address = g_unix_socket_address_new (socket_path);
  g_assert_true (g_socket_bind (server, address, TRUE, &error));
  g_assert_true (g_socket_listen (server, &error));
  conninfo = g_strdup_printf ("host=%s port=5499 dbname=tenure user=tenure connect_timeout=3",
                              tmpdir);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  page = g_object_new (TENURE_TYPE_PORTFOLIO_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  tenure_portfolio_page_set_projects (page, projects);
  tenure_portfolio_page_set_location (page, conninfo);
  tenure_portfolio_page_set_db (page, db);

  /* The main loop keeps turning while the worker waits on the server. */
  t0 = g_get_monotonic_time ();
  tenure_ui_test_spin (500);
  g_assert_true (tenure_portfolio_page_is_loading (page));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (tenure_portfolio_page_get_load_spinner (page))));
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), _("Loading the portfolio…")));
  tenure_ui_test_screenshot (window, png);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 2500000);
  g_assert_true (tenure_portfolio_page_is_loading (page));

  tenure_ui_test_wait_for (page_loaded, page, 30000, "libpq to give up");
  label = find_error_label (GTK_WIDGET (page));
  g_assert_true (gtk_widget_get_visible (label));
  g_test_message ("error shown: %s", gtk_label_get_text (GTK_LABEL (label)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), !=, "");
  g_assert_false (gtk_widget_get_mapped (
                    GTK_WIDGET (tenure_portfolio_page_get_load_spinner (page))));

  gtk_window_destroy (GTK_WINDOW (window));
  tenure_ui_test_spin (100);
  g_socket_close (server, NULL);
  tenure_test_rm_rf (tmpdir);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* Closing the window while the floor-plan layout editor holds unsaved outlines asks first:
 * Keep Editing leaves the window open, Discard closes it with nothing written. */
static void
test_close_with_unsaved_layout (void)
{
  g_autoptr(TenureApplication) app = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *demo = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  TenureDemoOptions options = { .seed = 7, .scale = TENURE_DEMO_SCALE_SMALL,
                                .bills = TENURE_DEMO_BILLS_OFF };
  TenureWindow *window;
  GtkWidget *alive;
  TenurePortfolioPage *page;
  TenureFloorPlanEditor *editor;
  AdwMessageDialog *dialog;
  gint64 floor_id;

  if (!tenure_ui_test_have_display ())
    return;

  tmpdir = tenure_test_make_tmpdir ();
  demo = g_build_filename (tmpdir, "demo.db", NULL);
  {
    g_autoptr(TenureDb) gen = tenure_db_open (demo, TENURE_DB_OPEN_CREATE, &error);
    g_assert_no_error (error);
    g_assert_true (tenure_demo_generate (gen, &options, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    /* A floor whose units have no outline yet: Auto Layout gives them one (unsaved). */
    floor_id = query_int (gen, "SELECT min(floor_id) FROM unit", 0);
    sql = g_strdup_printf ("UPDATE unit SET polygon = NULL WHERE floor_id = %" G_GINT64_FORMAT,
                           floor_id);
    g_assert_true (tenure_db_exec (gen, sql, &error));
    g_assert_no_error (error);
  }

  app = tenure_ui_test_application ();
  window = tenure_window_new (app);
  alive = GTK_WIDGET (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &alive);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  tenure_window_open_location (window, demo, 0);
  tenure_ui_test_wait_for (window_settled, window, 60000, "the demo to open");
  tenure_window_show_section (window, "portfolio");
  page = TENURE_PORTFOLIO_PAGE (tenure_window_get_section_page (window, "portfolio"));
  tenure_ui_test_wait_for (page_loaded, page, 30000, "the navigation tree");
  g_assert_true (tenure_portfolio_page_open_floor (page, floor_id));
  tenure_ui_test_spin (200);

  editor = tenure_portfolio_page_get_layout_editor (page);
  tenure_floor_plan_editor_set_active (editor, TRUE);
  g_assert_true (tenure_floor_plan_editor_auto_layout (editor, &error));
  g_assert_no_error (error);
  g_assert_true (tenure_floor_plan_editor_has_unsaved_changes (editor));

  /* Close: asked; Keep Editing keeps the window and the edits. */
  gtk_window_close (GTK_WINDOW (window));
  tenure_ui_test_spin (100);
  g_assert_nonnull (alive);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  tenure_ui_test_spin (100);
  g_assert_nonnull (alive);
  g_assert_true (tenure_floor_plan_editor_get_active (editor));
  g_assert_true (tenure_floor_plan_editor_has_unsaved_changes (editor));

  /* Close again, Discard: the window closes and no outline was written. */
  gtk_window_close (GTK_WINDOW (window));
  tenure_ui_test_spin (100);
  g_assert_nonnull (alive);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  tenure_ui_test_spin (300);
  g_assert_null (alive);
  {
    g_autoptr(TenureDb) check = tenure_db_open (demo, TENURE_DB_OPEN_DEFAULT, &error);
    g_assert_no_error (error);
    g_assert_cmpint (query_int (check, "SELECT count(*) FROM unit WHERE floor_id = $1"
                                       " AND polygon IS NOT NULL", floor_id), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  tenure_ui_test_init (&argc, &argv);
  g_test_add_func ("/portfolio-loading/floor-building-cancel", test_loading);
  g_test_add_func ("/portfolio-loading/error", test_load_error);
  g_test_add_func ("/unit-panel/vacancy-loss", test_panel_vacancy_loss);
  g_test_add_func ("/portfolio-loading/cancel-tree", test_cancel_tree);
  g_test_add_func ("/portfolio-loading/unresponsive-server", test_unresponsive_server);
  g_test_add_func ("/portfolio-loading/close-with-unsaved-layout",
                   test_close_with_unsaved_layout);
  return g_test_run ();
}
