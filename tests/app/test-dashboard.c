/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-dashboard"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "analytics/tenure-kpi.h"
#include "analytics/tenure-kpi-finance.h"
#include "analytics/tenure-kpi-slices.h"
#include "base/tenure-money.h"
#include "charts/tenure-bar-chart.h"
#include "charts/tenure-donut-chart.h"
#include "collections/tenure-open-item.h"
#include "demo/tenure-demo.h"
#include "portfolio/tenure-portfolio.h"
#include "tenure-analytics-page.h"
#include "tenure-test-util.h"
#include "tenure-ui-test-util.h"
#include "tenure-window.h"

/* The Analytics dashboards end to end on the small demo: the tiles show the KPI engine's
 * numbers (computed here on the test's own connection); clicking a tile, an aging bar, an
 * expiry bar, a collection bar or a revenue slice opens the list behind it, whose rows add up
 * to what was clicked; the group comparison has one row per project and sorts; a new as-of
 * date reloads; screenshots (light and dark) into tests/app/screenshots/<lang>/analytics-*.png. */

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
page_settled (gpointer data)
{
  return !tenure_analytics_page_is_loading (data);
}

static void
wait_page (TenureAnalyticsPage *page)
{
  tenure_ui_test_wait_for (page_settled, page, 120000, "the dashboard to load");
  tenure_ui_test_spin (100);
}

static const char *
tile_text (TenureAnalyticsPage *page,
           const char          *tile)
{
  GtkLabel *label = tenure_analytics_page_get_tile_value (page, tile);

  g_assert_nonnull (label);
  return gtk_label_get_text (label);
}

static char *
ratio_text (gint64 num,
            gint64 den)
{
  return tenure_dashboard_format_ratio (num, den);
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static void
close_list (TenureDashboardList *list)
{
  gtk_window_destroy (GTK_WINDOW (list));
  tenure_ui_test_spin (50);
}

/* Clicks the middle of the bar of SERIES in category INDEX and returns the list it opened. */
static TenureDashboardList *
click_bar (TenureAnalyticsPage *page,
           TenureChart         *chart,
           guint                series,
           guint                index)
{
  TenureChartFrame frame;
  graphene_rect_t rect;
  TenureDashboardList *before = tenure_analytics_page_get_last_list (page);
  TenureDashboardList *list;

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (chart)));
  tenure_chart_compute_frame (chart, 0, 0, tenure_chart_is_dark (chart), &frame);
  tenure_bar_chart_get_bar (TENURE_BAR_CHART (chart), &frame, series, index, &rect);
  g_assert_cmpfloat (rect.size.height, >, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chart), "chart.activate-at", "(dd)",
                                             (double) (rect.origin.x + rect.size.width / 2),
                                             (double) (rect.origin.y + rect.size.height / 2)));
  tenure_ui_test_spin (100);
  list = tenure_analytics_page_get_last_list (page);
  g_assert_nonnull (list);
  g_assert_true (list != before);
  return list;
}

static gint64
sum_values (TenureChart *chart,
            guint        index)
{
  gint64 sum = 0;

  for (guint s = 0; s < tenure_chart_get_n_series (chart); s++)
    sum += tenure_chart_get_value (chart, s, index);
  return sum;
}

static void
check_tiles (TenureAnalyticsPage *page,
             TenureDb            *db,
             const char          *project,
             TenureDate           as_of)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) occupancy = NULL;
  g_autoptr(GPtrArray) wale = NULL;
  g_autoptr(GPtrArray) loss = NULL;
  g_autoptr(GPtrArray) items = NULL;
  TenureOpenItemFilter filter = { 0 };
  TenureKpiOccupancy *o;
  TenureKpiWale *w;
  TenureKpiVacancyLoss *v;
  g_autofree char *area = NULL, *units = NULL, *wale_text = NULL, *loss_text = NULL;
  g_autofree char *arrears_text = NULL, *wale_number = NULL;
  gint64 arrears = 0;
  TenureDashboardList *list;
  const TenureDashboardData *data = tenure_analytics_page_get_data (page);

  g_assert_nonnull (data);
  g_assert_cmpstr (data->project_code, ==, project);
  g_assert_cmpint (data->as_of, ==, as_of);

  occupancy = tenure_kpi_occupancy (db, as_of, project, TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (occupancy->len, ==, 1);
  o = g_ptr_array_index (occupancy, 0);
  g_assert_cmpint (o->units, >, 0);
  area = ratio_text (o->leased_area_c, o->leasable_area_c);
  units = ratio_text (o->leased_units, o->units);
  g_assert_cmpstr (tile_text (page, "occupancy-area"), ==, area);
  g_assert_cmpstr (tile_text (page, "occupancy-units"), ==, units);

  wale = tenure_kpi_wale (db, as_of, project, TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  w = g_ptr_array_index (wale, 0);
  wale_number = tenure_decimal_format (w->by_rent_centi, 2, TRUE);
  wale_text = g_strdup_printf (_("%s years"), wale_number);
  g_assert_cmpstr (tile_text (page, "wale"), ==, wale_text);

  loss = tenure_kpi_vacancy_loss (db, tenure_date_period_start (as_of, TENURE_PERIOD_MONTH),
                                  as_of, project, TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  v = g_ptr_array_index (loss, 0);
  loss_text = tenure_chart_format_value (TENURE_CHART_UNIT_MONEY_FEN, v->vacancy_loss, 0);
  g_assert_cmpstr (tile_text (page, "vacancy-loss"), ==, loss_text);

  /* Arrears: every open item of the project past due, from the one open-item source. */
  filter.project_id = data->kpis.project_id;
  filter.as_of = as_of;
  filter.currency = "CNY";
  items = tenure_open_items_load (db, &filter, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (items, i);
      if (item->due_date < as_of)
        arrears += item->open;
    }
  arrears_text = tenure_chart_format_value (TENURE_CHART_UNIT_MONEY_FEN, arrears, 0);
  g_assert_cmpstr (tile_text (page, "arrears"), ==, arrears_text);
  {
    g_autoptr(GPtrArray) aging = tenure_kpi_aging (db, as_of, project, "CNY", TENURE_KPI_BY_NONE,
                                                   &error);
    TenureKpiAging *a;

    g_assert_no_error (error);
    a = g_ptr_array_index (aging, 0);
    g_assert_cmpint (a->total - a->open[0], ==, arrears);
  }

  /* Collection rate of the as-of month from the engine, or when nothing is due in it yet
   * (not billed), of the latest month before it that has something due; "—" only when no
   * month of the last two years has. */
  {
    TenureDate month = tenure_date_period_start (as_of, TENURE_PERIOD_MONTH);
    g_autoptr(GPtrArray) series =
      tenure_kpi_collection_series (db, tenure_date_add_months (month, -23), month, as_of,
                                    project, "CNY", &error);
    g_autofree char *rate = NULL;
    g_autofree char *month_text = NULL;
    gint64 due = 0, received = 0;
    TenureDate shown = month;

    g_assert_no_error (error);
    g_assert_cmpuint (series->len, ==, 24);
    for (guint i = series->len; i > 0; i--)
      {
        TenureKpiCollection *c = g_ptr_array_index (series, i - 1);

        if (c->due > 0)
          {
            due = c->due;
            received = c->received;
            shown = c->month;
            break;
          }
      }
    rate = ratio_text (received, due);
    g_assert_cmpstr (tile_text (page, "collection"), ==, rate);
    month_text = g_strdup_printf ("%04d-%02d", tenure_date_get_year (shown),
                                  tenure_date_get_month (shown));
    g_test_message ("collection tile: %s of %s (%s)", rate, project, month_text);
    g_assert_nonnull (strstr (gtk_label_get_text (tenure_analytics_page_get_tile_detail (
      page, "collection")), month_text));
    list = tenure_analytics_page_open_tile (page, "collection");
    g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, due);
    close_list (list);
  }

  /* Each tile's list adds up to it. */
  list = tenure_analytics_page_open_tile (page, "occupancy-area");
  g_assert_nonnull (list);
  g_assert_cmpint (tenure_dashboard_list_get_total (list), ==,
                   o->leasable_area_c - o->leased_area_c);
  g_assert_cmpuint (tenure_dashboard_list_get_n_rows (list), >, 0);
  close_list (list);

  list = tenure_analytics_page_open_tile (page, "occupancy-units");
  g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, o->units - o->leased_units);
  g_assert_cmpuint (tenure_dashboard_list_get_n_rows (list), ==, o->units - o->leased_units);
  close_list (list);

  list = tenure_analytics_page_open_tile (page, "wale");
  g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, w->leased_area_c);
  close_list (list);

  list = tenure_analytics_page_open_tile (page, "arrears");
  g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, arrears);
  close_list (list);

  list = tenure_analytics_page_open_tile (page, "vacancy-loss");
  g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, v->vacancy_loss);
  close_list (list);

  list = tenure_analytics_page_open_tile (page, "expiring");
  {
    g_autofree char *count = tenure_chart_format_value (TENURE_CHART_UNIT_COUNT,
                                                        tenure_dashboard_list_get_n_rows (list),
                                                        0);
    g_assert_cmpstr (tile_text (page, "expiring"), ==, count);
    g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, data->kpis.expiring_area_c);
  }
  close_list (list);
}

static void
check_charts (TenureAnalyticsPage *page,
              TenureDb            *db,
              const char          *project,
              TenureDate           as_of)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) expiry = NULL;
  g_autoptr(GPtrArray) items = NULL;
  TenureOpenItemFilter filter = { 0 };
  const TenureDashboardData *data = tenure_analytics_page_get_data (page);
  TenureChart *aging = tenure_analytics_page_get_chart (page, "aging");
  TenureChart *chart;
  TenureKpiExpiry *e;
  TenureDashboardList *list;
  gint64 open_total = 0, chart_total = 0;
  guint bucket = G_MAXUINT, series = 0;

  /* Aging: the bars hold every open amount of the project; a bar opens its items. */
  filter.project_id = data->kpis.project_id;
  filter.as_of = as_of;
  filter.currency = "CNY";
  items = tenure_open_items_load (db, &filter, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    open_total += ((TenureOpenItem *) g_ptr_array_index (items, i))->open;
  g_assert_cmpuint (tenure_chart_get_n_categories (aging), ==, TENURE_DASHBOARD_AGING_BUCKETS);
  {
    g_autoptr(GPtrArray) engine = tenure_kpi_aging (db, as_of, project, "CNY",
                                                    TENURE_KPI_BY_NONE, &error);
    TenureKpiAging *a;

    g_assert_no_error (error);
    a = g_ptr_array_index (engine, 0);
    for (guint b = 0; b < TENURE_DASHBOARD_AGING_BUCKETS; b++)
      {
        g_assert_cmpint (sum_values (aging, b), ==, a->open[b]);
        chart_total += sum_values (aging, b);
      }
  }
  g_assert_cmpint (chart_total, ==, open_total);
  g_assert_cmpint (open_total, >, 0);
  for (guint b = TENURE_DASHBOARD_AGING_BUCKETS; b > 0 && bucket == G_MAXUINT; b--)
    for (guint s = 0; s < tenure_chart_get_n_series (aging); s++)
      if (tenure_chart_get_value (aging, s, b - 1) > 0)
        {
          bucket = b - 1;
          series = s;
          break;
        }
  g_assert_cmpuint (bucket, !=, G_MAXUINT);
  list = click_bar (page, aging, series, bucket);
  g_assert_cmpint (tenure_dashboard_list_get_total (list), ==,
                   tenure_chart_get_value (aging, series, bucket));
  g_assert_cmpuint (tenure_dashboard_list_get_n_rows (list), >, 0);
  {
    g_autofree char *total = tenure_chart_format_value (
      TENURE_CHART_UNIT_MONEY_FEN, tenure_chart_get_value (aging, series, bucket), 0);
    g_assert_nonnull (strstr (gtk_label_get_text (tenure_dashboard_list_get_total_label (list)),
                              total));
  }
  {
    g_autofree char *png = screenshot_path ("analytics-aging-list");
    /* A busy machine may take a while to map the new window. */
    tenure_ui_test_wait_for (has_size, list, 20000, "the list window to be shown");
    tenure_ui_test_screenshot (GTK_WIDGET (list), png);
  }
  close_list (list);

  /* Expiry density: the engine's areas; a month's bar opens the leases ending in it. */
  expiry = tenure_kpi_expiry (db, as_of, project, TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  e = g_ptr_array_index (expiry, 0);
  chart = tenure_analytics_page_get_chart (page, "expiry");
  g_assert_cmpuint (tenure_chart_get_n_categories (chart), ==, TENURE_KPI_EXPIRY_MONTHS);
  for (guint k = 0; k < TENURE_KPI_EXPIRY_MONTHS; k++)
    g_assert_cmpint (tenure_chart_get_value (chart, 0, k), ==, e->area_c[k]);
  for (guint k = 0, clicked = 0; k < TENURE_KPI_EXPIRY_MONTHS && clicked < 3; k++)
    {
      if (e->area_c[k] <= 0)
        continue;
      list = click_bar (page, chart, 0, k);
      g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, e->area_c[k]);
      close_list (list);
      clicked++;
    }

  /* Collection: each month's bars are the engine's; the due bar opens the contracts behind
   * it, whose items (billed less credit notes) add up to it. */
  chart = tenure_analytics_page_get_chart (page, "collection");
  {
    g_autoptr(GPtrArray) months = tenure_kpi_collection_series (
      db, data->months[0], as_of, as_of, project, "CNY", &error);
    guint clicked = 0;

    g_assert_no_error (error);
    g_assert_cmpuint (months->len, ==, TENURE_DASHBOARD_MONTHS);
    for (guint m = 0; m < TENURE_DASHBOARD_MONTHS; m++)
      {
        TenureKpiCollection *c = g_ptr_array_index (months, m);
        g_autoptr(GPtrArray) all = NULL;
        TenureOpenItemFilter f = filter;
        gint64 due = 0;

        g_assert_cmpint (tenure_chart_get_value (chart, 0, m), ==, c->due);
        g_assert_cmpint (tenure_chart_get_value (chart, 1, m), ==, c->received);
        f.include_settled = TRUE;
        f.breakdown = TRUE;
        f.due_from = data->months[m];
        f.due_to = tenure_date_period_end (data->months[m], TENURE_PERIOD_MONTH);
        all = tenure_open_items_load (db, &f, &error);
        g_assert_no_error (error);
        for (guint i = 0; i < all->len; i++)
          {
            TenureOpenItem *item = g_ptr_array_index (all, i);
            due += MAX (0, item->amount - item->credited);
          }
        g_assert_cmpint (c->due, ==, due);
        if (due > 0 && clicked < 2)
          {
            list = click_bar (page, chart, 0, m);
            g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, due);
            close_list (list);
            clicked++;
          }
      }
    g_assert_cmpuint (clicked, >, 0);
  }

  /* Vacancy loss: the as-of month's bar is the tile's figure; a month's bar opens its
   * buildings, which add up to it. */
  chart = tenure_analytics_page_get_chart (page, "vacancy");
  g_assert_cmpint (tenure_chart_get_value (chart, 0, TENURE_DASHBOARD_MONTHS - 1), ==,
                   data->kpis.vacancy_loss);
  for (guint m = TENURE_DASHBOARD_MONTHS - 1; m > 0; m--)
    if (tenure_chart_get_value (chart, 0, m - 1) > 0)
      {
        list = click_bar (page, chart, 0, m - 1);
        g_assert_cmpint (tenure_dashboard_list_get_total (list), ==,
                         tenure_chart_get_value (chart, 0, m - 1));
        close_list (list);
        break;
      }

  /* Occupancy series: each point is the occupancy at its month's end and opens the units
   * vacant on that day, whose vacant area (or count) is the engine's. */
  chart = tenure_analytics_page_get_chart (page, "occupancy");
  for (guint m = 0; m < TENURE_DASHBOARD_MONTHS; m += 4)
    {
      TenureDate end = tenure_date_period_end (data->months[m], TENURE_PERIOD_MONTH);
      g_autoptr(GPtrArray) occ = tenure_kpi_occupancy (db, end, project, TENURE_KPI_BY_NONE,
                                                       &error);
      TenureKpiOccupancy *o;

      g_assert_no_error (error);
      o = g_ptr_array_index (occ, 0);
      g_assert_cmpint (tenure_chart_get_value (chart, 0, m), ==,
                       tenure_kpi_ppm (o->leased_area_c, o->leasable_area_c));
      /* The line chart's points may coincide (area and units): activate each one itself. */
      g_signal_emit_by_name (chart, "point-activated", 0u, m);
      tenure_ui_test_spin (50);
      list = tenure_analytics_page_get_last_list (page);
      g_assert_nonnull (list);
      g_assert_cmpint (tenure_dashboard_list_get_total (list), ==,
                       o->leasable_area_c - o->leased_area_c);
      close_list (list);
      g_signal_emit_by_name (chart, "point-activated", 1u, m);
      tenure_ui_test_spin (50);
      list = tenure_analytics_page_get_last_list (page);
      g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, o->units - o->leased_units);
      g_assert_cmpuint (tenure_dashboard_list_get_n_rows (list), ==,
                        o->units - o->leased_units);
      close_list (list);
    }

  /* Cash-flow forecast: every bar of every series opens rows adding up to it to the fen. */
  chart = tenure_analytics_page_get_chart (page, "cash-flow");
  {
    guint clicked = 0;

    for (guint s = 0; s < 3; s++)
      for (guint k = 0; k < TENURE_KPI_FORECAST_MONTHS; k++)
        {
          gint64 value = tenure_chart_get_value (chart, s, k);

          if (value <= 0)
            continue;
          {
            TenureChartFrame frame;
            graphene_rect_t rect;

            tenure_chart_compute_frame (chart, 0, 0, tenure_chart_is_dark (chart), &frame);
            tenure_bar_chart_get_bar (TENURE_BAR_CHART (chart), &frame, s, k, &rect);
            if (rect.size.height >= 1)
              list = click_bar (page, chart, s, k);
            else
              {
                /* A bar too small to hit: activate it directly. */
                g_signal_emit_by_name (chart, "point-activated", s, k);
                tenure_ui_test_spin (50);
                list = tenure_analytics_page_get_last_list (page);
              }
          }
          g_assert_nonnull (list);
          g_test_message ("forecast series %u month %u: %" G_GINT64_FORMAT, s, k, value);
          g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, value);
          close_list (list);
          clicked++;
        }
    g_assert_cmpuint (clicked, >, 12);
  }

  /* Revenue structure: a slice opens the bill lines of its charge item. */
  chart = tenure_analytics_page_get_chart (page, "revenue");
  g_assert_cmpuint (tenure_chart_get_n_categories (chart), >, 0);
  {
    g_autoptr(GPtrArray) revenue = tenure_kpi_revenue (
      db, data->months[0], tenure_date_period_end (as_of, TENURE_PERIOD_MONTH), as_of, project,
      "CNY", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (revenue->len, ==, tenure_chart_get_n_categories (chart));
    for (guint i = 0; i < revenue->len; i++)
      g_assert_cmpint (tenure_chart_get_value (chart, 0, i), ==,
                       ((TenureKpiRevenue *) g_ptr_array_index (revenue, i))->billed);
  }
  {
    TenureChartFrame frame;
    graphene_point_t centre;
    double outer, inner, start, end, angle, r;

    tenure_chart_compute_frame (chart, 0, 0, tenure_chart_is_dark (chart), &frame);
    tenure_donut_chart_get_ring (TENURE_DONUT_CHART (chart), &frame, &centre, &outer, &inner);
    g_assert_true (tenure_donut_chart_get_slice (TENURE_DONUT_CHART (chart), 0, &start, &end));
    angle = (start + end) / 2;
    r = (outer + inner) / 2;
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chart), "chart.activate-at",
                                               "(dd)", centre.x + r * sin (angle),
                                               centre.y - r * cos (angle)));
    tenure_ui_test_spin (100);
    list = tenure_analytics_page_get_last_list (page);
    g_assert_nonnull (list);
    g_assert_cmpint (tenure_dashboard_list_get_total (list), ==,
                     tenure_chart_get_value (chart, 0, 0));
    close_list (list);
  }
}

/* "Slice by": the revenue and forecast charts by the engine's slices; the slices add up to the
 * unsliced figures, and each slice (revenue) or bar (forecast) opens rows adding up to it. */
static void
check_slices (TenureAnalyticsPage *page,
              TenureDb            *db,
              const char          *project,
              TenureDate           as_of)
{
  const TenureDashboardData *data = tenure_analytics_page_get_data (page);
  TenureChart *revenue = tenure_analytics_page_get_chart (page, "revenue");
  TenureChart *forecast = tenure_analytics_page_get_chart (page, "cash-flow");
  static const TenureKpiSlice slices[] = { TENURE_KPI_BY_BUILDING, TENURE_KPI_BY_TERM,
                                           TENURE_KPI_BY_PRICE_BAND };
  gint64 revenue_total = 0;
  guint n_charge_items = tenure_chart_get_n_categories (revenue);

  for (guint i = 0; i < n_charge_items; i++)
    revenue_total += tenure_chart_get_value (revenue, 0, i);
  g_assert_cmpint (revenue_total, >, 0);

  for (guint c = 0; c < G_N_ELEMENTS (slices); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      gint64 sum = 0;
      gint64 month_sum[TENURE_KPI_FORECAST_MONTHS] = { 0 };
      TenureDashboardList *list;

      tenure_analytics_page_set_slice (page, slices[c]);
      tenure_ui_test_spin (100);
      rows = tenure_kpi_revenue_sliced (db, data->months[0],
                                        tenure_date_period_end (as_of, TENURE_PERIOD_MONTH),
                                        as_of, project, "CNY", slices[c], FALSE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (tenure_chart_get_n_categories (revenue), ==, rows->len);
      for (guint i = 0; i < rows->len; i++)
        {
          TenureKpiRevenueSlice *r = g_ptr_array_index (rows, i);

          g_assert_cmpint (tenure_chart_get_value (revenue, 0, i), ==, r->billed);
          sum += r->billed;
          g_signal_emit_by_name (revenue, "point-activated", 0u, i);
          tenure_ui_test_spin (50);
          list = tenure_analytics_page_get_last_list (page);
          g_assert_nonnull (list);
          g_test_message ("revenue slice %s: %" G_GINT64_FORMAT, r->key, r->billed);
          g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, r->billed);
          close_list (list);
        }
      g_assert_cmpint (sum, ==, revenue_total);

      g_assert_cmpuint (tenure_chart_get_n_series (forecast), >, 0);
      for (guint s = 0; s < tenure_chart_get_n_series (forecast); s++)
        for (guint k = 0; k < TENURE_KPI_FORECAST_MONTHS; k++)
          {
            gint64 value = tenure_chart_get_value (forecast, s, k);

            month_sum[k] += value;
            if (value == 0 || k % 3 != 0)
              continue;
            g_signal_emit_by_name (forecast, "point-activated", s, k);
            tenure_ui_test_spin (50);
            list = tenure_analytics_page_get_last_list (page);
            g_assert_nonnull (list);
            g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, value);
            close_list (list);
          }
      for (guint k = 0; k < TENURE_KPI_FORECAST_MONTHS; k++)
        g_assert_cmpint (month_sum[k], ==, data->expected[k]);
    }
  {
    g_autofree char *png = screenshot_path ("analytics-charts-sliced");
    GtkWidget *charts = gtk_widget_get_ancestor (GTK_WIDGET (forecast), GTK_TYPE_FLOW_BOX);

    tenure_ui_test_screenshot (charts, png);
  }
  tenure_analytics_page_set_slice (page, TENURE_KPI_BY_NONE);
  tenure_ui_test_spin (100);
  g_assert_cmpuint (tenure_chart_get_n_categories (revenue), ==, n_charge_items);
  g_assert_cmpuint (tenure_chart_get_n_series (forecast), ==, 3);
}

/* The group table's collection column, as the tile: each project's as-of month from the
 * engine, or when nothing is due in it (not billed) its latest month with something due (the
 * engine's series); the row's list adds up to that month's due, and the column header names
 * the month when the rows share it. Returns how many rows fell back to an earlier month. */
static guint
check_group_collection (TenureAnalyticsPage *page,
                        TenureDb            *db,
                        TenureDate           as_of)
{
  GtkColumnView *view = tenure_analytics_page_get_group_view (page);
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (view));
  g_autoptr(GtkColumnViewColumn) column =
    g_list_model_get_item (gtk_column_view_get_columns (view), 4);
  TenureDate month = tenure_date_period_start (as_of, TENURE_PERIOD_MONTH);
  TenureDate common = TENURE_DATE_INVALID;
  gboolean one_month = TRUE;
  guint fell_back = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      const TenureDashboardKpis *k = tenure_analytics_page_get_group_row (page, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) series =
        tenure_kpi_collection_series (db, tenure_date_add_months (month, -23), month, as_of,
                                      k->code, "CNY", &error);
      gint64 due = 0, received = 0;
      TenureDate shown = month;
      TenureDashboardList *list;

      g_assert_no_error (error);
      for (guint j = series->len; j > 0; j--)
        {
          TenureKpiCollection *c = g_ptr_array_index (series, j - 1);

          if (c->due > 0)
            {
              due = c->due;
              received = c->received;
              shown = c->month;
              break;
            }
        }
      g_test_message ("group collection %s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                      " in %d-%02d", k->code, received, due, tenure_date_get_year (shown),
                      tenure_date_get_month (shown));
      g_assert_cmpint (k->collection_due, ==, due);
      g_assert_cmpint (k->collection_received, ==, received);
      if (shown != month)
        fell_back++;
      if (i > 0 && shown != common)
        one_month = FALSE;
      common = shown;
      list = tenure_analytics_page_open_group_cell (page, k->code, "collection");
      g_assert_nonnull (list);
      g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, due);
      close_list (list);
    }
  if (one_month)
    {
      g_autofree char *month_text = g_strdup_printf ("%04d-%02d", tenure_date_get_year (common),
                                                     tenure_date_get_month (common));

      g_assert_nonnull (strstr (gtk_column_view_column_get_title (column), month_text));
    }
  return fell_back;
}

static void
check_group (TenureAnalyticsPage *page,
             TenureDb            *db,
             TenureDate           as_of)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) projects = tenure_portfolio_list_projects (db, &error);
  g_autoptr(GPtrArray) occupancy = NULL;
  GtkColumnView *view = tenure_analytics_page_get_group_view (page);
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (view));
  GListModel *columns = gtk_column_view_get_columns (view);
  TenureChart *chart = tenure_analytics_page_get_chart (page, "group");
  TenureDashboardList *list;
  const TenureDashboardData *group = tenure_analytics_page_get_group_data (page);

  g_assert_no_error (error);
  g_assert_nonnull (group);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, g_list_model_get_n_items (projects));
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 2);
  g_assert_cmpuint (tenure_chart_get_n_categories (chart), ==,
                    g_list_model_get_n_items (projects));

  /* The occupancy bars are the engine's, project by project. */
  occupancy = tenure_kpi_occupancy (db, as_of, NULL, TENURE_KPI_BY_PROJECT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (projects); i++)
    {
      g_autoptr(TenureProjectSummary) p = g_list_model_get_item (projects, i);
      for (guint j = 0; j < occupancy->len; j++)
        {
          TenureKpiOccupancy *o = g_ptr_array_index (occupancy, j);
          if (g_strcmp0 (o->key, tenure_project_summary_get_code (p)) == 0)
            g_assert_cmpint (tenure_chart_get_value (chart, 0, i), ==,
                             tenure_kpi_ppm (o->leased_area_c, o->leasable_area_c));
        }
    }

  /* Sorting by occupancy (descending) orders the rows by it. */
  {
    g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 1);
    gint64 previous = G_MAXINT64;

    gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
    tenure_ui_test_spin (100);
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        const TenureDashboardKpis *k = tenure_analytics_page_get_group_row (page, i);
        gint64 occ = tenure_kpi_ppm (k->leased_area_c, k->leasable_area_c);

        g_assert_cmpint (occ, <=, previous);
        previous = occ;
      }
    gtk_column_view_sort_by_column (view, column, GTK_SORT_ASCENDING);
    tenure_ui_test_spin (100);
    previous = -1;
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        const TenureDashboardKpis *k = tenure_analytics_page_get_group_row (page, i);
        gint64 occ = tenure_kpi_ppm (k->leased_area_c, k->leasable_area_c);

        g_assert_cmpint (occ, >=, previous);
        previous = occ;
      }
  }

  /* Every figure of every row opens its list, which adds up to it. */
  for (guint i = 0; i < group->projects->len; i++)
    {
      const TenureDashboardKpis *k = g_ptr_array_index (group->projects, i);
      static const char *figures[] = { "occupancy-area", "occupancy-units", "wale",
                                       "collection", "arrears", "vacancy-loss", "expiring" };
      gint64 want[G_N_ELEMENTS (figures)];

      want[0] = k->leasable_area_c - k->leased_area_c;
      want[1] = k->units - k->leased_units;
      want[2] = k->leased_area_c;
      want[3] = -1;   /* check_group_collection () */
      want[4] = k->arrears;
      want[5] = k->vacancy_loss;
      want[6] = k->expiring_area_c;
      for (guint f = 0; f < G_N_ELEMENTS (figures); f++)
        {
          if (want[f] < 0)
            continue;
          list = tenure_analytics_page_open_group_cell (page, k->code, figures[f]);
          g_assert_nonnull (list);
          g_test_message ("group %s %s: %" G_GINT64_FORMAT, k->code, figures[f], want[f]);
          g_assert_cmpint (tenure_dashboard_list_get_total (list), ==, want[f]);
          if (f == 6)
            g_assert_cmpuint (tenure_dashboard_list_get_n_rows (list), ==, k->expiring_leases);
          close_list (list);
        }
    }

  /* A project's occupancy bar opens its vacant units. */
  for (guint i = 0; i < group->projects->len; i++)
    {
      const TenureDashboardKpis *k = g_ptr_array_index (group->projects, i);

      if (k->leasable_area_c == k->leased_area_c)
        continue;
      list = click_bar (page, chart, 0, i);
      g_assert_cmpint (tenure_dashboard_list_get_total (list), ==,
                       k->leasable_area_c - k->leased_area_c);
      close_list (list);
      break;
    }
}

static gboolean
export_done (gpointer data)
{
  return !tenure_analytics_page_is_exporting (data);
}

/* Export to Excel from the page: a workbook is written with the bar showing its progress;
 * a cancelled export leaves no file. */
static void
check_export (TenureAnalyticsPage *page,
              const char          *tmpdir)
{
  g_autofree char *kpi = g_build_filename (tmpdir, "kpi.xlsx", NULL);
  g_autofree char *bills = g_build_filename (tmpdir, "bills.xlsx", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (tenure_analytics_page_export_to_file (page, TENURE_EXPORT_KPI, kpi));
  g_assert_true (tenure_analytics_page_is_exporting (page));
  /* One export at a time. */
  g_assert_false (tenure_analytics_page_export_to_file (page, TENURE_EXPORT_AGING, bills));
  g_assert_true (gtk_widget_get_visible (
    GTK_WIDGET (tenure_analytics_page_get_export_progress (page))));
  tenure_ui_test_wait_for (export_done, page, 120000, "the KPI export");
  g_assert_true (g_file_get_contents (kpi, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (memcmp (contents, "PK", 2) == 0);   /* a zip: an .xlsx */
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (tenure_analytics_page_get_export_progress (page)),
                     ==, 1.0);
  g_assert_nonnull (strstr (gtk_label_get_text (tenure_analytics_page_get_export_label (page)),
                            "kpi.xlsx"));

  g_assert_true (tenure_analytics_page_export_to_file (page, TENURE_EXPORT_BILLS, bills));
  tenure_analytics_page_cancel_export (page);
  tenure_ui_test_wait_for (export_done, page, 120000, "the cancelled export");
  g_assert_false (g_file_test (bills, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (gtk_label_get_text (tenure_analytics_page_get_export_label (page)), ==,
                   _("Export cancelled; no file was written."));
}

static void
test_ratio_format (void)
{
  g_autofree char *a = tenure_dashboard_format_ratio (861187, 1000000);
  g_autofree char *b = tenure_dashboard_format_ratio (1, 3);
  g_autofree char *c = tenure_dashboard_format_ratio (2, 2);
  g_autofree char *d = tenure_dashboard_format_ratio (1, 0);
  g_autofree char *e = tenure_dashboard_format_ratio (1, 2000);   /* 0.05% rounds up */

  /* The chart's percentage format, as translated. */
  g_autofree char *pa = g_strdup_printf (_("%s%%"), "86.1");
  g_autofree char *pb = g_strdup_printf (_("%s%%"), "33.3");
  g_autofree char *pc = g_strdup_printf (_("%s%%"), "100.0");
  g_autofree char *pe = g_strdup_printf (_("%s%%"), "0.1");

  g_assert_cmpstr (a, ==, pa);
  g_assert_cmpstr (b, ==, pb);
  g_assert_cmpstr (c, ==, pc);
  g_assert_cmpstr (d, ==, "—");
  g_assert_cmpstr (e, ==, pe);
}

static void
test_dashboard (void)
{
  g_autoptr(TenureApplication) app = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *demo = NULL;
  g_autofree char *png = screenshot_path ("analytics-project");
  g_autofree char *png_dark = screenshot_path ("analytics-project-dark");
  g_autofree char *png_group = screenshot_path ("analytics-group");
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) projects = NULL;
  TenureDemoOptions options = { .seed = 42, .scale = TENURE_DEMO_SCALE_SMALL };
  TenureWindow *window;
  TenureAnalyticsPage *page;
  TenureDb *db;
  TenureDate as_of;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

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
  gtk_window_set_default_size (GTK_WINDOW (window), 1440, 1000);
  gtk_window_present (GTK_WINDOW (window));
  tenure_window_open_location (window, demo, 0);
  tenure_ui_test_wait_for (window_settled, window, 60000, "the demo to open");
  db = tenure_window_get_db (window);
  g_assert_nonnull (db);
  tenure_window_show_section (window, "analytics");
  page = TENURE_ANALYTICS_PAGE (tenure_window_get_section_page (window, "analytics"));
  g_assert_true (TENURE_IS_ANALYTICS_PAGE (page));
  wait_page (page);

  projects = tenure_portfolio_list_projects (db, &error);
  g_assert_no_error (error);
  {
    g_autoptr(TenureProjectSummary) p0 = g_list_model_get_item (projects, 0);
    g_autoptr(TenureProjectSummary) p1 = g_list_model_get_item (projects, 1);
    first = g_strdup (tenure_project_summary_get_code (p0));
    second = g_strdup (tenure_project_summary_get_code (p1));
  }
  as_of = tenure_portfolio_get_as_of (db);
  g_assert_cmpint (tenure_analytics_page_get_as_of (page), ==, as_of);

  check_tiles (page, db, first, as_of);
  check_charts (page, db, first, as_of);
  check_slices (page, db, first, as_of);
  tenure_ui_test_screenshot (GTK_WIDGET (window), png);
  {
    /* Every chart, also those below the fold. */
    g_autofree char *png_charts = screenshot_path ("analytics-charts");
    GtkWidget *charts = gtk_widget_get_ancestor (
      GTK_WIDGET (tenure_analytics_page_get_chart (page, "cash-flow")), GTK_TYPE_FLOW_BOX);

    g_assert_nonnull (charts);
    g_assert_cmpuint (tenure_chart_get_n_series (tenure_analytics_page_get_chart (page,
                                                                                  "cash-flow")),
                      ==, 3);
    tenure_ui_test_screenshot (charts, png_charts);
  }

  /* Dark mode: the charts redraw with the dark theme. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  tenure_ui_test_spin (300);
  g_assert_true (tenure_chart_is_dark (tenure_analytics_page_get_chart (page, "aging")));
  tenure_ui_test_screenshot (GTK_WIDGET (window), png_dark);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  tenure_ui_test_spin (300);

  /* The project selector in the header picks the project. */
  tenure_analytics_page_select_project (page, second);
  wait_page (page);
  check_tiles (page, db, second, as_of);

  /* Another as-of date reloads the numbers for it. */
  {
    TenureDate earlier = tenure_date_add_months (as_of, -6);

    tenure_analytics_page_set_as_of (page, earlier);
    wait_page (page);
    check_tiles (page, db, second, earlier);
    tenure_analytics_page_set_as_of (page, as_of);
    wait_page (page);
  }

  tenure_analytics_page_show_view (page, "group");
  tenure_ui_test_spin (300);
  check_group (page, db, as_of);
  check_group_collection (page, db, as_of);
  tenure_ui_test_screenshot (GTK_WIDGET (window), png_group);
  /* Two months on nothing is billed yet: the column falls back to the latest month billed,
   * as the tile does, and says which. */
  tenure_analytics_page_set_as_of (page, tenure_date_add_months (as_of, 2));
  wait_page (page);
  tenure_ui_test_spin (300);
  g_assert_cmpuint (check_group_collection (page, db, tenure_date_add_months (as_of, 2)), >,
                    0);
  tenure_analytics_page_set_as_of (page, as_of);
  wait_page (page);
  check_export (page, tmpdir);

  gtk_window_destroy (GTK_WINDOW (window));
  tenure_ui_test_spin (100);
  tenure_test_rm_rf (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  tenure_ui_test_init (&argc, &argv);
  g_test_add_func ("/analytics/dashboard/ratio-format", test_ratio_format);
  g_test_add_func ("/analytics/dashboard/tiles-charts-lists-group", test_dashboard);
  return g_test_run ();
}
