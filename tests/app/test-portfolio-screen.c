/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-portfolio-screen"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "analytics/tenure-kpi.h"
#include "base/tenure-money.h"
#include "collections/tenure-open-item.h"
#include "demo/tenure-demo.h"
#include "portfolio/tenure-portfolio.h"
#include "tenure-floor-plan.h"
#include "tenure-portfolio-page.h"
#include "tenure-test-util.h"
#include "tenure-ui-test-util.h"
#include "tenure-window.h"

/* The Portfolio screen end to end on the small demo: open a floor from the navigation tree,
 * click a unit on the map as a user would, read the unit panel, keep the unit list in step,
 * search with Ctrl+F and open a result on its floor; screenshots into
 * tests/app/screenshots/<lang>/portfolio-floor*.png. */

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

/* One text column of the first row of SQL with $1 = ID, from the test's own query. */
static char *
query_text (TenureDb   *db,
            const char *sql,
            gint64      id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, &error);
  char *text = NULL;

  g_assert_no_error (error);
  tenure_stmt_bind_int64 (stmt, 1, id);
  if (tenure_stmt_step (stmt, &error))
    text = g_strdup (tenure_stmt_column_text (stmt, 0));
  g_assert_no_error (error);
  return text;
}

/* The first column of the first row of SQL, with $1 = ARG when HAS_ARG. */
static gint64
query_id_full (TenureDb   *db,
               const char *sql,
               gboolean    has_arg,
               gint64      arg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, &error);
  gint64 id = 0;

  g_assert_no_error (error);
  if (has_arg)
    tenure_stmt_bind_int64 (stmt, 1, arg);
  if (tenure_stmt_step (stmt, &error))
    id = tenure_stmt_column_int64 (stmt, 0);
  g_assert_no_error (error);
  return id;
}

/* The action name bound to ACCEL ("<Control>f") on WIDGET, or NULL. */
static const char *
bound_action (GtkWidget  *widget,
              const char *accel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger =
            gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (g_strcmp0 (trigger, accel) == 0 && GTK_IS_NAMED_ACTION (action))
            return gtk_named_action_get_action_name (GTK_NAMED_ACTION (action));
        }
    }
  return NULL;
}

#define query_id(db, sql) query_id_full (db, sql, FALSE, 0)
#define query_id1(db, sql, arg) query_id_full (db, sql, TRUE, arg)

/* Clicks the middle of UNIT's label point through the map's click path. */
static void
click_unit (TenureFloorPlan *plan,
            gint64           unit_id)
{
  double x, y;

  g_assert_true (tenure_floor_plan_get_unit_point (plan, unit_id, &x, &y));
  g_assert_cmpint (tenure_floor_plan_unit_at (plan, x, y)->id, ==, unit_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan), "floor-plan.select-at",
                                             "(dd)", x, y));
  tenure_ui_test_spin (200);
}

/* The overdue open amount of CONTRACT_ID on AS_OF straight from tenure_open_items_load (CNY
 * items due before the date), and how many items. */
static gint64
overdue_of (TenureDb   *db,
            gint64      contract_id,
            TenureDate  as_of,
            guint      *n_items)
{
  TenureOpenItemFilter filter = { .contract_id = contract_id, .as_of = as_of };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gint64 sum = 0;
  guint n = 0;

  if (contract_id == 0)
    return 0;
  items = tenure_open_items_load (db, &filter, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      const TenureOpenItem *item = items->pdata[i];

      g_assert_cmpstr (item->currency, ==, "CNY");
      if (item->open > 0 && item->due_date < as_of)
        {
          sum += item->open;
          n++;
        }
    }
  if (n_items != NULL)
    *n_items = n;
  return sum;
}

/* The building of floor FLOOR_ID from the tree: its stacking plan holds every floor's units,
 * the expiry strip's bars equal tenure_kpi_expiry's row of the building, a click on a month
 * marks exactly the units whose lease ends in it, and a click on a leased block opens the
 * unit panel with its contract. */
static void
test_stacking_plan (TenureDb            *db,
                    TenurePortfolioPage *page,
                    TenureDate           as_of,
                    gint64               floor_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) expiry = NULL;
  g_autofree char *building_code = NULL;
  g_autofree char *project_code = NULL;
  g_autofree char *contract = NULL;
  const TenureKpiExpiry *row = NULL;
  TenureStackingPlan *stacking = tenure_portfolio_page_get_stacking_plan (page);
  TenureExpiryStrip *strip = tenure_portfolio_page_get_expiry_strip (page);
  gint64 building_id, n_units, leased_id = 0;
  int month = -1;
  guint marked = 0, expected_marked = 0;
  graphene_rect_t rect;

  building_id = query_id1 (db, "SELECT building_id FROM floor WHERE id = $1", floor_id);
  building_code = query_text (db, "SELECT code FROM building WHERE id = $1", building_id);
  project_code = query_text (db, "SELECT p.code FROM building b JOIN project p"
                                 " ON p.id = b.project_id WHERE b.id = $1", building_id);
  n_units = query_id1 (db, "SELECT count(*) FROM unit u JOIN floor f ON f.id = u.floor_id"
                           " WHERE f.building_id = $1 AND u.retired_on IS NULL", building_id);
  g_assert_true (tenure_portfolio_page_open_building (page, building_id));
  tenure_ui_test_spin (400);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (stacking)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (strip)));
  g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (
                     tenure_portfolio_page_get_unit_selection (page))), ==, n_units);

  expiry = tenure_kpi_expiry (db, as_of, project_code, TENURE_KPI_BY_BUILDING, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < expiry->len; i++)
    if (g_strcmp0 (((TenureKpiExpiry *) expiry->pdata[i])->key, building_code) == 0)
      row = expiry->pdata[i];
  g_assert_nonnull (row);
  g_assert_cmpuint (tenure_expiry_strip_get_n_months (strip), ==, TENURE_KPI_EXPIRY_MONTHS);
  for (guint k = 0; k < TENURE_KPI_EXPIRY_MONTHS; k++)
    {
      g_assert_cmpint (tenure_expiry_strip_get_area_c (strip, k), ==, row->area_c[k]);
      g_assert_cmpint (tenure_expiry_strip_get_month (strip, k), ==, row->month[k]);
      if (month < 0 && row->area_c[k] > 0)
        month = (int) k;
    }
  g_assert_cmpint (month, >=, 0);

  /* Click that month's bar: the units marked are those whose lease ends in it. */
  rect = tenure_expiry_strip_get_bar_rect (strip, (guint) month);
  tenure_expiry_strip_click (strip, rect.origin.x + rect.size.width / 2,
                             rect.origin.y + rect.size.height - 1);
  g_assert_cmpint (tenure_expiry_strip_get_selected (strip), ==, month);
  for (guint i = 0; i < (guint) n_units; i++)
    {
      g_autoptr(TenureUnitInfo) unit =
        g_list_model_get_item (G_LIST_MODEL (tenure_portfolio_page_get_unit_selection (page)),
                               i);
      gboolean ends = unit->contract_id != 0
                      && tenure_date_get_year (unit->contract_end)
                         == tenure_date_get_year (row->month[month])
                      && tenure_date_get_month (unit->contract_end)
                         == tenure_date_get_month (row->month[month]);

      g_assert_cmpint (tenure_stacking_plan_is_highlighted (stacking, unit->id), ==, ends);
      marked += tenure_stacking_plan_is_highlighted (stacking, unit->id);
      expected_marked += ends;
      if (leased_id == 0 && unit->status == TENURE_UNIT_LEASED
          && overdue_of (db, unit->contract_id, as_of, NULL) > 0)
        leased_id = unit->id;
    }
  g_assert_cmpuint (marked, >, 0);
  g_assert_cmpuint (marked, ==, expected_marked);

  /* A click on the block of a leased unit in arrears selects it; the unit panel shows its
   * contract and the overdue amount to the fen as the open items have it. */
  g_assert_cmpint (leased_id, >, 0);
  g_assert_true (tenure_stacking_plan_get_unit_rect (stacking, leased_id, &rect));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (stacking), "stacking-plan.select-at",
                                             "(dd)", rect.origin.x + rect.size.width / 2,
                                             rect.origin.y + rect.size.height / 2));
  tenure_ui_test_spin (200);
  g_assert_cmpint (tenure_stacking_plan_get_selected (stacking)->id, ==, leased_id);
  contract = g_strdup (tenure_stacking_plan_get_selected (stacking)->contract_code);
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), contract));
  {
    guint n_overdue = 0;
    gint64 overdue = overdue_of (db, tenure_stacking_plan_get_selected (stacking)->contract_id,
                                 as_of, &n_overdue);
    g_autofree char *amount = tenure_money_format (tenure_money_new (overdue, NULL),
                                                   TENURE_MONEY_FORMAT_DEFAULT);
    g_autofree char *items = g_strdup_printf (ngettext ("%u overdue item",
                                                        "%u overdue items", n_overdue),
                                              n_overdue);
    GtkWidget *arrears_row = tenure_ui_test_find_named (GTK_WIDGET (page), "unit-arrears");

    g_test_message ("arrears of %s: %s in %u items", contract, amount, n_overdue);
    {
      /* The last bill's total, read here with the test's own query. */
      gint64 bill_total = query_id1 (db, "SELECT total FROM bill WHERE contract_id = $1"
                                         " AND kind = 'bill' AND posting_date <= '2026-11-01'"
                                         " ORDER BY posting_date DESC, id DESC LIMIT 1",
                                     tenure_stacking_plan_get_selected (stacking)->contract_id);
      g_autofree char *bill_text = tenure_money_format (tenure_money_new (bill_total, NULL),
                                                        TENURE_MONEY_FORMAT_DEFAULT);

      g_assert_cmpint (bill_total, >, 0);
      g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), _("Last bill")));
      g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), bill_text));
      g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), _("Next bill")));
    }
    g_assert_nonnull (arrears_row);
    g_assert_nonnull (tenure_ui_test_find_label (arrears_row, amount));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (arrears_row)),
                              items));
  }
  g_assert_nonnull (strstr (tenure_stacking_plan_get_description (stacking),
                            tenure_stacking_plan_get_selected (stacking)->code));
  g_assert_cmpint (((TenureUnitInfo *) gtk_single_selection_get_selected_item (
                      tenure_portfolio_page_get_unit_selection (page)))->id, ==, leased_id);
  /* The legend on screen is the stacking plan's. */
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), _("Leased")));
}

static void
test_portfolio_screen (void)
{
  g_autoptr(TenureApplication) app = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *demo = NULL;
  g_autofree char *png = screenshot_path ("portfolio-floor");
  g_autofree char *png_vacant = screenshot_path ("portfolio-floor-vacant");
  g_autofree char *png_search = screenshot_path ("portfolio-search");
  g_autofree char *png_stacking = screenshot_path ("portfolio-stacking");
  g_autofree char *expected_contract = NULL;
  g_autofree char *expected_tenant = NULL;
  g_autofree char *expected_note = NULL;
  g_autofree char *expected_reason = NULL;
  g_autofree char *other_contract = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) units = NULL;
  TenureDemoOptions options = { .seed = 42, .scale = TENURE_DEMO_SCALE_SMALL };
  TenureWindow *window;
  TenurePortfolioPage *page;
  TenureFloorPlan *plan;
  TenureDb *db;
  TenureDate as_of;
  gint64 floor_id, leased_id = 0, vacant_id, other_unit, other_floor;
  GtkSingleSelection *list_selection;
  TenureUnitInfo *listed;
  GtkWidget *search_entry;

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
  gtk_window_set_default_size (GTK_WINDOW (window), 1440, 900);
  gtk_window_present (GTK_WINDOW (window));
  tenure_window_open_location (window, demo, 0);
  tenure_ui_test_wait_for (window_settled, window, 60000, "the demo to open");
  db = tenure_window_get_db (window);
  g_assert_nonnull (db);
  tenure_window_show_section (window, "portfolio");
  tenure_ui_test_spin (300);
  page = TENURE_PORTFOLIO_PAGE (tenure_window_get_section_page (window, "portfolio"));
  plan = tenure_portfolio_page_get_floor_plan (page);

  /* A floor with follow-up notes on a vacant unit, and a leased unit on it. */
  as_of = tenure_portfolio_get_as_of (db);
  g_assert_cmpint (as_of, ==, tenure_date_from_ymd (2026, 11, 1));
  vacant_id = query_id (db, "SELECT n.unit_id FROM unit_note n JOIN unit u ON u.id = n.unit_id"
                            " WHERE u.stored_status = 'available' AND NOT EXISTS ("
                            "  SELECT 1 FROM contract_unit cu"
                            "  JOIN contract_version v ON v.id = cu.contract_version_id"
                            "  JOIN contract c ON c.id = v.contract_id"
                            "  WHERE cu.unit_id = u.id AND c.status IN ('active', 'expired',"
                            "   'terminated') AND c.start_date <= '2026-11-01'"
                            "   AND c.end_date >= '2026-11-01' AND (c.terminated_on IS NULL"
                            "   OR c.terminated_on >= '2026-11-01'))"
                            " ORDER BY u.floor_id, u.code LIMIT 1");
  g_assert_cmpint (vacant_id, >, 0);
  floor_id = query_id1 (db, "SELECT floor_id FROM unit WHERE id = $1", vacant_id);
  units = tenure_portfolio_list_floor_units (db, floor_id, as_of, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (units) && leased_id == 0; i++)
    {
      g_autoptr(TenureUnitInfo) unit = g_list_model_get_item (units, i);
      if (unit->status == TENURE_UNIT_LEASED)
        leased_id = unit->id;
    }
  g_assert_cmpint (leased_id, >, 0);

  /* Open the floor from the tree. */
  g_assert_true (tenure_portfolio_page_open_floor (page, floor_id));
  tenure_ui_test_spin (400);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (plan)));
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), _("Leased")));
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), _("No Unit Selected")));
  g_assert_cmpuint (tenure_floor_plan_get_n_node_builds (plan), >=, 1);

  /* Click the leased unit: the panel shows its contract and tenant as the database has them. */
  click_unit (plan, leased_id);
  g_assert_cmpint (tenure_floor_plan_get_selected (plan)->id, ==, leased_id);
  expected_contract = query_text (db, "SELECT c.code FROM contract c"
                                      " JOIN contract_version v ON v.contract_id = c.id"
                                      " JOIN contract_unit cu ON cu.contract_version_id = v.id"
                                      " WHERE cu.unit_id = $1 AND c.status = 'active'"
                                      " AND c.start_date <= '2026-11-01'"
                                      " AND c.end_date >= '2026-11-01'", leased_id);
  expected_tenant = query_text (db, "SELECT t.name FROM contract c"
                                    " JOIN tenant t ON t.id = c.tenant_id"
                                    " JOIN contract_version v ON v.contract_id = c.id"
                                    " JOIN contract_unit cu ON cu.contract_version_id = v.id"
                                    " WHERE cu.unit_id = $1 AND c.status = 'active'"
                                    " AND c.start_date <= '2026-11-01'"
                                    " AND c.end_date >= '2026-11-01'", leased_id);
  g_assert_nonnull (expected_contract);
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), expected_contract));
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), expected_tenant));
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), _("Arrears")));
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), _("Charges")));
  /* The accessible description names the unit; the list selects the same unit. */
  g_assert_nonnull (strstr (tenure_floor_plan_get_description (plan),
                            tenure_floor_plan_get_selected (plan)->code));
  list_selection = tenure_portfolio_page_get_unit_selection (page);
  listed = gtk_single_selection_get_selected_item (list_selection);
  g_assert_nonnull (listed);
  g_assert_cmpint (listed->id, ==, leased_id);
  tenure_ui_test_screenshot (GTK_WIDGET (window), png);

  /* Click the vacant unit: vacancy reason and the newest note. */
  click_unit (plan, vacant_id);
  expected_reason = query_text (db, "SELECT vacancy_reason FROM unit WHERE id = $1", vacant_id);
  expected_note = query_text (db, "SELECT body FROM unit_note WHERE unit_id = $1"
                                  " ORDER BY noted_on DESC, id DESC", vacant_id);
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), _("Vacancy reason")));
  if (expected_reason != NULL)
    g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), expected_reason));
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), expected_note));
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), _("Vacancy loss to date")));
  listed = gtk_single_selection_get_selected_item (list_selection);
  g_assert_cmpint (listed->id, ==, vacant_id);
  tenure_ui_test_screenshot (GTK_WIDGET (window), png_vacant);

  /* Edit the follow-up as a user would: type a note and apply, change the reason and apply;
   * both are stored and the panel shows them with the reason's history. */
  {
    GtkWidget *entry = tenure_ui_test_find_named (GTK_WIDGET (page), "unit-note-entry");
    g_autofree char *stored_reason = NULL;
    g_autofree char *history = NULL;
    g_autoptr(GPtrArray) changes = NULL;
    gint64 notes_before = query_id1 (db, "SELECT count(*) FROM unit_note WHERE unit_id = $1",
                                     vacant_id);

    g_assert_nonnull (entry);
    gtk_editable_set_text (GTK_EDITABLE (entry), "  Viewing with two prospects  ");
    g_signal_emit_by_name (entry, "apply");
    tenure_ui_test_spin (100);
    g_assert_cmpint (query_id1 (db, "SELECT count(*) FROM unit_note WHERE unit_id = $1",
                                vacant_id), ==, notes_before + 1);
    g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page),
                                                 "Viewing with two prospects"));

    entry = tenure_ui_test_find_named (GTK_WIDGET (page), "unit-reason-entry");
    g_assert_nonnull (entry);
    gtk_editable_set_text (GTK_EDITABLE (entry), "招商定位调整");
    g_signal_emit_by_name (entry, "apply");
    tenure_ui_test_spin (100);
    stored_reason = query_text (db, "SELECT vacancy_reason FROM unit WHERE id = $1", vacant_id);
    g_assert_cmpstr (stored_reason, ==, "招商定位调整");
    changes = tenure_portfolio_list_vacancy_reason_history (db, vacant_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (changes->len, >=, 1);
    history = g_strdup_printf (_("Vacancy reason: %s → %s"),
                               expected_reason ? expected_reason : _("(none)"), "招商定位调整");
    g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), history));
    g_assert_null (tenure_ui_test_find_named (GTK_WIDGET (page), "unit-edit-error"));

    /* An empty note is refused with a message, and nothing is written. */
    entry = tenure_ui_test_find_named (GTK_WIDGET (page), "unit-note-entry");
    gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
    g_signal_emit_by_name (entry, "apply");
    tenure_ui_test_spin (100);
    g_assert_nonnull (tenure_ui_test_find_named (GTK_WIDGET (page), "unit-edit-error"));
    g_assert_cmpint (query_id1 (db, "SELECT count(*) FROM unit_note WHERE unit_id = $1",
                                vacant_id), ==, notes_before + 1);
  }

  /* Choosing in the list moves the map's selection. */
  gtk_single_selection_set_selected (list_selection, 0);
  listed = gtk_single_selection_get_selected_item (list_selection);
  g_assert_cmpint (tenure_floor_plan_get_selected (plan)->id, ==, listed->id);

  /* Colour modes change the legend on screen. */
  tenure_floor_plan_set_mode (plan, TENURE_FLOOR_PLAN_MODE_EXPIRY_YEAR);
  tenure_ui_test_spin (100);
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), _("No current lease")));
  tenure_floor_plan_set_mode (plan, TENURE_FLOOR_PLAN_MODE_STATUS);

  /* Ctrl+F, then a contract number of a unit on another floor: the result opens its floor
   * with the unit selected. */
  g_assert_cmpstr (bound_action (GTK_WIDGET (page), "<Control>f"), ==, "portfolio.search");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "portfolio.search", NULL));
  tenure_ui_test_spin (100);
  other_unit = query_id1 (db,
    "SELECT cu.unit_id FROM contract c JOIN contract_version v ON v.contract_id = c.id"
    " JOIN contract_unit cu ON cu.contract_version_id = v.id JOIN unit u ON u.id = cu.unit_id"
    " WHERE c.status = 'active' AND u.floor_id <> $1"
    " ORDER BY c.code DESC LIMIT 1", floor_id);
  other_floor = query_id1 (db, "SELECT floor_id FROM unit WHERE id = $1", other_unit);
  other_contract = query_text (db, "SELECT c.code FROM contract c"
                                   " JOIN contract_version v ON v.contract_id = c.id"
                                   " JOIN contract_unit cu ON cu.contract_version_id = v.id"
                                   " WHERE cu.unit_id = $1 AND c.status = 'active'"
                                   " ORDER BY c.code DESC", other_unit);
  {
    GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));
    GtkWidget *focus = gtk_root_get_focus (root);

    g_assert_nonnull (focus);
    search_entry = focus;
    while (search_entry != NULL && !GTK_IS_SEARCH_ENTRY (search_entry))
      search_entry = gtk_widget_get_parent (search_entry);
    g_assert_nonnull (search_entry);
  }
  gtk_editable_set_text (GTK_EDITABLE (search_entry), other_contract);
  tenure_ui_test_spin (500);
  tenure_ui_test_screenshot (GTK_WIDGET (window), png_search);
  g_signal_emit_by_name (search_entry, "activate");
  tenure_ui_test_spin (300);
  g_assert_nonnull (tenure_floor_plan_get_selected (plan));
  g_assert_cmpint (tenure_floor_plan_get_selected (plan)->id, ==, other_unit);
  g_assert_cmpint (tenure_floor_plan_get_selected (plan)->floor_id, ==, other_floor);
  g_assert_nonnull (tenure_ui_test_find_label (GTK_WIDGET (page), other_contract));

  test_stacking_plan (db, page, as_of, other_floor);
  tenure_ui_test_screenshot (GTK_WIDGET (window), png_stacking);

  gtk_window_destroy (GTK_WINDOW (window));
  tenure_ui_test_spin (100);
  tenure_test_rm_rf (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  tenure_ui_test_init (&argc, &argv);
  g_test_add_func ("/portfolio-screen/floor-unit-panel-search", test_portfolio_screen);
  return g_test_run ();
}
