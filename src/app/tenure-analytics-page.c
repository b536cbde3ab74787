/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-analytics-page"

#include "tenure-analytics-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "analytics/tenure-kpi-slices.h"
#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "portfolio/tenure-portfolio.h"
#include "charts/tenure-bar-chart.h"
#include "charts/tenure-donut-chart.h"
#include "charts/tenure-line-chart.h"
#include "tenure-open-task.h"

/* The dashboards. A load runs on the page's own connection in a worker thread, one at a
 * time: the project's dashboard first, then the group's; a change while one runs queues
 * another. The numbers on screen and the lists they open come from the same loaded data. */

static const struct
{
  const char *id;
  const char *caption;
} tiles[] = {
  { "occupancy-area", N_("Occupancy by area") },
  { "occupancy-units", N_("Occupancy by units") },
  { "wale", N_("WALE") },
  { "collection", N_("Collection rate") },
  { "arrears", N_("Arrears") },
  { "vacancy-loss", N_("Vacancy loss this month") },
  { "expiring", N_("Leases expiring in 90 days") },
};

typedef enum
{
  CHART_REVENUE,
  CHART_OCCUPANCY,
  CHART_COLLECTION,
  CHART_AGING,
  CHART_EXPIRY,
  CHART_VACANCY,
  CHART_CASH_FLOW,
  N_CHARTS
} ChartId;

static const char *chart_ids[N_CHARTS] = {
  "revenue", "occupancy", "collection", "aging", "expiry", "vacancy", "cash-flow",
};

struct _TenureAnalyticsPage
{
  GtkWidget            parent_instance;

  /* Template children */
  GtkLabel            *scope_label;
  GtkSpinner          *spinner;
  GtkMenuButton       *as_of_button;
  GtkCalendar         *calendar;
  GtkLabel            *error_label;
  AdwViewStack        *view_stack;
  GtkFlowBox          *tiles_box;
  GtkFlowBox          *charts_box;
  GtkBox              *group_box;
  GtkColumnView       *group_view;
  GtkWidget           *export_bar;
  GtkLabel            *export_label;
  GtkProgressBar      *export_progress;
  GtkWidget           *export_cancel;

  GtkLabel            *tile_values[G_N_ELEMENTS (tiles)];
  GtkLabel            *tile_details[G_N_ELEMENTS (tiles)];
  GtkWidget           *tile_buttons[G_N_ELEMENTS (tiles)];
  TenureChart         *charts[N_CHARTS];
  TenureChart         *group_chart;
  GListStore          *group_rows;

  TenureDb            *db;
  char                *location;
  GListModel          *projects;
  TenureDb            *worker_db;
  TenureDb            *parallel_db;   /* a second worker connection, for a project's units */
  GCancellable        *cancellable;
  char                *project_code;
  TenureDate           as_of;
  gboolean             loading;
  gboolean             pending;
  gboolean             needs_load;   /* asked for while hidden: loads when shown */
  gboolean             setting_calendar;
  guint                generation;   /* bumped with each database: older results are dropped */

  TenureDashboardData *data;
  TenureDashboardData *group_data;
  TenureDashboardList *last_list;
  TenureDate           collection_month;   /* the month the collection tile shows */
  GtkColumnViewColumn *group_collection_column;

  /* "Slice by" of the revenue and forecast charts: the slice, the keys the charts show (by
   * category for revenue, by series for the forecast) and each contract's key. */
  GtkDropDown         *slice_dropdown;
  TenureKpiSlice       slice;
  GStrv                revenue_keys;
  GStrv                forecast_keys;
  GHashTable          *slice_keys;

  GtkNativeDialog     *chooser;
  TenureExportReport   chooser_report;
  GCancellable        *export_cancellable;
  gboolean             exporting;
  guint                export_hide_id;
};

G_DEFINE_FINAL_TYPE (TenureAnalyticsPage, tenure_analytics_page, GTK_TYPE_WIDGET)

/* Group rows ----------------------------------------------------------------------------- */

#define TENURE_TYPE_PROJECT_KPIS (tenure_project_kpis_get_type ())
G_DECLARE_FINAL_TYPE (TenureProjectKpis, tenure_project_kpis, TENURE, PROJECT_KPIS, GObject)

struct _TenureProjectKpis
{
  GObject             parent_instance;
  TenureDashboardKpis kpis;
};

G_DEFINE_FINAL_TYPE (TenureProjectKpis, tenure_project_kpis, G_TYPE_OBJECT)

static void
tenure_project_kpis_finalize (GObject *object)
{
  TenureProjectKpis *self = TENURE_PROJECT_KPIS (object);

  g_free (self->kpis.code);
  g_free (self->kpis.name);
  G_OBJECT_CLASS (tenure_project_kpis_parent_class)->finalize (object);
}

static void
tenure_project_kpis_class_init (TenureProjectKpisClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tenure_project_kpis_finalize;
}

static void
tenure_project_kpis_init (TenureProjectKpis *self)
{
}

static TenureProjectKpis *
project_kpis_new (const TenureDashboardKpis *kpis)
{
  TenureProjectKpis *self = g_object_new (TENURE_TYPE_PROJECT_KPIS, NULL);

  self->kpis = *kpis;
  self->kpis.code = g_strdup (kpis->code);
  self->kpis.name = g_strdup (kpis->name);
  return self;
}

/* Formatting ------------------------------------------------------------------------------ */

static char *
format_money (gint64 fen)
{
  return tenure_chart_format_value (TENURE_CHART_UNIT_MONEY_FEN, fen, 0);
}

static char *
format_area (gint64 area_c)
{
  return tenure_chart_format_value (TENURE_CHART_UNIT_AREA_C, area_c, 0);
}

static char *
format_ratio (gint64 num,
              gint64 den)
{
  return tenure_dashboard_format_ratio (num, den);
}

static char *
format_years (gint64 centi)
{
  g_autofree char *number = NULL;

  if (centi < 0)
    return g_strdup ("—");
  number = tenure_decimal_format (centi, 2, TRUE);
  /* TRANSLATORS: a weighted average lease expiry in years, "2.35 years" */
  return g_strdup_printf (_("%s years"), number);
}

static char *
format_month (TenureDate date)
{
  return g_strdup_printf ("%04d-%02d", tenure_date_get_year (date),
                          tenure_date_get_month (date));
}

static char *
format_date (TenureDate date)
{
  if (!tenure_date_is_valid (date))
    return g_strdup ("");
  return tenure_date_format_iso (date);
}

/* Project name (or the group) · as-of date: the subtitle of every list. */
static char *
scope_text_at (TenureAnalyticsPage *self,
               TenureDate           as_of,
               const char          *project_name)
{
  g_autofree char *date = format_date (as_of);

  /* TRANSLATORS: the scope of a dashboard list: project name, as-of date */
  return g_strdup_printf (_("%s · as of %s"),
                          project_name ? project_name : _("All projects"), date);
}

static char *
scope_text (TenureAnalyticsPage       *self,
            const TenureDashboardData *data,
            const char                *project_name)
{
  return scope_text_at (self, data->as_of, project_name);
}

static TenureDashboardList *
present_list (TenureAnalyticsPage *self,
              TenureDashboardList *list)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (list), GTK_WINDOW (root));
      gtk_window_set_modal (GTK_WINDOW (list), TRUE);
    }
  self->last_list = list;
  g_object_add_weak_pointer (G_OBJECT (list), (gpointer *) &self->last_list);
  gtk_window_present (GTK_WINDOW (list));
  return list;
}

/* What a slice key of the engine reads as on screen: the few words among them translated. */
static const char *
slice_key_label (const char *key)
{
  if (g_strcmp0 (key, "ended") == 0)
    /* TRANSLATORS: a remaining-lease-term slice: contracts already ended */
    return _("Ended");
  if (g_strcmp0 (key, "-") == 0)
    /* TRANSLATORS: a slice of contracts that have no units */
    return _("No units");
  return key;
}

/* Lists behind the numbers ----------------------------------------------------------------- */

/* Units of RENT_ROLL (as of AS_OF) with vacant area (BY_UNITS: units not leased at all) of
 * PROJECT (NULL: all rows). */
static TenureDashboardList *
list_vacant_at (TenureAnalyticsPage *self,
                GPtrArray           *rent_roll,
                TenureDate           as_of,
                const char          *project_code,
                const char          *project_name,
                gboolean             by_units)
{
  const char *columns[] = { _("Unit"), _("Project"), _("Building"), _("Status"),
                            _("Leasable area"), NULL };
  g_autofree char *subtitle = scope_text_at (self, as_of, project_name);
  TenureDashboardList *list =
    tenure_dashboard_list_new (NULL, by_units ? _("Vacant units") : _("Vacant area"), subtitle,
                               columns, by_units ? _("Units") : _("Vacant area"),
                               by_units ? TENURE_CHART_UNIT_COUNT
                                        : TENURE_CHART_UNIT_AREA_C);

  for (guint i = 0; i < rent_roll->len; i++)
    {
      TenureRentRollRow *row = g_ptr_array_index (rent_roll, i);
      gint64 vacant = tenure_dashboard_vacant_area_c (row);
      g_autofree char *area = format_area (row->leasable_area_c);
      const char *status;

      if (project_code != NULL && g_strcmp0 (row->project_code, project_code) != 0)
        continue;
      if (g_strcmp0 (row->stored_status, "not_for_lease") == 0)
        continue;
      if (by_units ? row->leased : vacant == 0)
        continue;
      status = row->leased ? _("Partly leased")
               : g_strcmp0 (row->stored_status, "renovation") == 0 ? _("Under renovation")
               : g_strcmp0 (row->stored_status, "reserved") == 0 ? _("Reserved") : _("Vacant");
      {
        const char *cells[] = { row->unit_code, row->project_code, row->building_code, status,
                                area, NULL };
        tenure_dashboard_list_add_row (list, cells, by_units ? 1 : vacant);
      }
    }
  return list;
}

static TenureDashboardList *
list_vacant (TenureAnalyticsPage       *self,
             const TenureDashboardData *data,
             const char                *project_code,
             const char                *project_name,
             gboolean                   by_units)
{
  return list_vacant_at (self, data->rent_roll, data->as_of, project_code, project_name,
                         by_units);
}

/* The leases behind WALE: each leased unit with its end date, weighted by leased area. */
static TenureDashboardList *
list_leases (TenureAnalyticsPage       *self,
             const TenureDashboardData *data,
             const char                *project_code,
             const char                *project_name,
             gboolean                   expiring)
{
  const char *columns[] = { _("Contract"), _("Tenant"), _("Units"), _("End date"), NULL };
  g_autofree char *subtitle = scope_text (self, data, project_name);
  TenureDashboardList *list =
    tenure_dashboard_list_new (NULL, expiring ? _("Leases expiring in 90 days")
                                              : _("Leases in force"),
                               subtitle, columns, _("Leased area"), TENURE_CHART_UNIT_AREA_C);
  g_autoptr(GHashTable) contracts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  /* One row per contract: its units joined, its area summed. */
  for (guint i = 0; i < data->rent_roll->len; i++)
    {
      TenureRentRollRow *row = g_ptr_array_index (data->rent_roll, i);

      if (!row->leased || row->contract_code == NULL)
        continue;
      if (project_code != NULL && g_strcmp0 (row->project_code, project_code) != 0)
        continue;
      if (expiring && !tenure_dashboard_row_expiring (row, data->as_of))
        continue;
      if (!g_hash_table_contains (contracts, row->contract_code))
        {
          g_hash_table_insert (contracts, row->contract_code, g_ptr_array_new ());
          g_ptr_array_add (order, row->contract_code);
        }
      g_ptr_array_add (g_hash_table_lookup (contracts, row->contract_code), row);
    }
  for (guint i = 0; i < order->len; i++)
    {
      GPtrArray *rows = g_hash_table_lookup (contracts, g_ptr_array_index (order, i));
      TenureRentRollRow *first = g_ptr_array_index (rows, 0);
      g_autoptr(GString) units = g_string_new (NULL);
      g_autofree char *end = format_date (first->end);
      gint64 area = 0;

      for (guint j = 0; j < rows->len; j++)
        {
          TenureRentRollRow *row = g_ptr_array_index (rows, j);

          if (j > 0)
            g_string_append (units, ", ");
          g_string_append (units, row->unit_code);
          area += row->leased_area_c;
        }
      {
        const char *cells[] = { first->contract_code, first->tenant_name, units->str, end,
                                NULL };
        tenure_dashboard_list_add_row (list, cells, area);
      }
      g_ptr_array_unref (rows);
    }
  return list;
}

typedef enum
{
  ITEMS_OVERDUE,   /* open and past due */
  ITEMS_AGING,     /* open, in BUCKET, charge item CODE (NULL: any) */
  ITEMS_REVENUE,   /* billed in the revenue window, charge item CODE */
} ItemsFilter;

static TenureDashboardList *
list_items (TenureAnalyticsPage       *self,
            const TenureDashboardData *data,
            gint64                     project_id,
            const char                *project_name,
            ItemsFilter                filter,
            int                        bucket,
            const char                *code,
            const char                *title)
{
  const char *columns[] = { _("Bill"), _("Contract"), _("Charge item"), _("Period"),
                            _("Due date"), NULL };
  g_autofree char *subtitle = scope_text (self, data, project_name);
  TenureDashboardList *list =
    tenure_dashboard_list_new (NULL, title, subtitle, columns,
                               filter == ITEMS_REVENUE ? _("Billed") : _("Open"),
                               TENURE_CHART_UNIT_MONEY_FEN);

  for (guint i = 0; i < data->open_items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (data->open_items, i);
      g_autofree char *period = NULL;
      g_autofree char *due = NULL;
      gint64 value;

      if (project_id != 0 && item->project_id != project_id)
        continue;
      switch (filter)
        {
        case ITEMS_OVERDUE:
          if (item->open <= 0 || item->due_date >= data->as_of)
            continue;
          value = item->open;
          break;
        case ITEMS_AGING:
          if (item->open <= 0
              || (int) tenure_dashboard_aging_for (item->due_date, data->as_of) != bucket
              || (code != NULL && g_strcmp0 (item->charge_item_code, code) != 0))
            continue;
          value = item->open;
          break;
        case ITEMS_REVENUE:
          if (!tenure_dashboard_item_in_revenue (data, item)
              || g_strcmp0 (item->charge_item_code, code) != 0)
            continue;
          value = tenure_dashboard_item_billed (item);
          break;
        default:
          g_assert_not_reached ();
        }
      {
        g_autofree char *from = format_date (item->period_start);
        g_autofree char *to = format_date (item->period_end);
        period = g_strdup_printf ("%s – %s", from, to);
        due = format_date (item->due_date);
      }
      {
        const char *cells[] = { item->bill_code, item->contract_code, item->charge_item_code,
                                period, due, NULL };
        tenure_dashboard_list_add_row (list, cells, value);
      }
    }
  return list;
}

/* The contracts behind a collection figure of month M (-1: the as-of month) of PROJECT_ID
 * (0: all): what was due and what was received on their items. */
static TenureDashboardList *
list_collection (TenureAnalyticsPage       *self,
                 const TenureDashboardData *data,
                 const char                *project_name,
                 gint64                     project_id,
                 TenureDate                 month,
                 gboolean                   received)
{
  const char *columns[] = { _("Contract"), received ? _("Due") : _("Received"), NULL };
  g_autofree char *subtitle = scope_text (self, data, project_name);
  g_autofree char *month_text = format_month (month);
  g_autofree char *title = g_strdup_printf (received ? _("Received on items due in %s")
                                                     : _("Due in %s"), month_text);
  TenureDashboardList *list =
    tenure_dashboard_list_new (NULL, title, subtitle, columns,
                               received ? _("Received") : _("Due"),
                               TENURE_CHART_UNIT_MONEY_FEN);
  TenureDate month_end = tenure_date_period_end (month, TENURE_PERIOD_MONTH);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autoptr(GArray) due = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_autoptr(GArray) got = g_array_new (FALSE, TRUE, sizeof (gint64));

  for (guint i = 0; i < data->open_items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (data->open_items, i);
      gpointer found;
      guint k;

      if (item->due_date < month || item->due_date > month_end)
        continue;
      if (project_id != 0 && item->project_id != project_id)
        continue;
      if (g_hash_table_lookup_extended (index, item->contract_code, NULL, &found))
        k = GPOINTER_TO_UINT (found);
      else
        {
          k = codes->len;
          g_ptr_array_add (codes, item->contract_code);
          g_hash_table_insert (index, item->contract_code, GUINT_TO_POINTER (k));
          g_array_set_size (due, k + 1);
          g_array_set_size (got, k + 1);
        }
      g_array_index (due, gint64, k) += tenure_dashboard_item_billed (item);
      g_array_index (got, gint64, k) += item->allocated + item->offset;
    }
  for (guint k = 0; k < codes->len; k++)
    {
      gint64 d = g_array_index (due, gint64, k), r = g_array_index (got, gint64, k);
      g_autofree char *other = format_money (received ? d : r);
      const char *cells[] = { g_ptr_array_index (codes, k), other, NULL };

      tenure_dashboard_list_add_row (list, cells, received ? r : d);
    }
  return list;
}

/* Leases ending in month K of the expiry density. */
static TenureDashboardList *
list_expiry_month (TenureAnalyticsPage       *self,
                   const TenureDashboardData *data,
                   const char                *project_name,
                   guint                      k)
{
  const char *columns[] = { _("Unit"), _("Contract"), _("Tenant"), _("End date"), NULL };
  g_autofree char *subtitle = scope_text (self, data, project_name);
  g_autofree char *month_text = format_month (data->expiry->month[k]);
  g_autofree char *title = g_strdup_printf (_("Leases ending in %s"), month_text);
  TenureDashboardList *list =
    tenure_dashboard_list_new (NULL, title, subtitle, columns, _("Leased area"),
                               TENURE_CHART_UNIT_AREA_C);
  TenureDate first = data->expiry->month[k];
  TenureDate last = tenure_date_period_end (first, TENURE_PERIOD_MONTH);

  for (guint i = 0; i < data->rent_roll->len; i++)
    {
      TenureRentRollRow *row = g_ptr_array_index (data->rent_roll, i);
      g_autofree char *end = NULL;

      if (!row->leased || row->end < MAX (first, data->as_of) || row->end > last)
        continue;
      end = format_date (row->end);
      {
        const char *cells[] = { row->unit_code, row->contract_code, row->tenant_name, end,
                                NULL };
        tenure_dashboard_list_add_row (list, cells, row->leased_area_c);
      }
    }
  return list;
}

/* Vacancy (or rent-free) loss of month M by building; the engine rounds once per key, so a
 * rounding row makes the buildings add up to the month's total. */
static TenureDashboardList *
list_vacancy (TenureAnalyticsPage       *self,
              const TenureDashboardData *data,
              const char                *project_name,
              guint                      m,
              gboolean                   rent_free)
{
  const char *columns[] = { _("Building"), _("Vacant unit-days"), NULL };
  g_autofree char *subtitle = scope_text (self, data, project_name);
  g_autofree char *month_text = format_month (data->months[m]);
  g_autofree char *title = g_strdup_printf (rent_free ? _("Rent-free loss in %s")
                                                      : _("Vacancy loss in %s"), month_text);
  TenureDashboardList *list =
    tenure_dashboard_list_new (NULL, title, subtitle, columns,
                               rent_free ? _("Rent-free loss") : _("Vacancy loss"),
                               TENURE_CHART_UNIT_MONEY_FEN);
  GPtrArray *rows = data->vacancy_buildings[m];
  gint64 sum = 0, total = rent_free ? data->rent_free_loss[m] : data->vacancy_loss[m];

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      TenureKpiVacancyLoss *row = g_ptr_array_index (rows, i);
      g_autofree char *days = g_strdup_printf ("%" G_GINT64_FORMAT, row->vacant_unit_days);
      gint64 value = rent_free ? row->rent_free_loss : row->vacancy_loss;
      const char *cells[] = { row->key, days, NULL };

      if (value == 0 && row->vacant_unit_days == 0)
        continue;
      tenure_dashboard_list_add_row (list, cells, value);
      sum += value;
    }
  if (sum != total)
    tenure_dashboard_list_add_adjustment (list, _("Rounding (each building rounded to the fen)"),
                                          total - sum);
  return list;
}

static void show_error (TenureAnalyticsPage *self,
                        const GError        *error);

/* The rows behind month K of the cash-flow forecast. SERIES 0 and 1: each contract's plan
 * lines due in the month (contractual, expected), from the engine on the page's connection
 * (they are not part of the dashboard's load); 2: the leases ending before the month, which
 * the renewals continue, each part rounded on its own and a rounding row for the rest. */
static TenureDashboardList *
list_forecast (TenureAnalyticsPage       *self,
               const TenureDashboardData *data,
               const char                *project_name,
               guint                      k,
               guint                      series)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *subtitle = scope_text (self, data, project_name);
  g_autofree char *month_text = NULL;
  g_autofree char *title = NULL;
  TenureDashboardList *list;
  gint64 on_time = 0, billed = 0;

  if (k >= TENURE_KPI_FORECAST_MONTHS || self->db == NULL)
    return NULL;
  items = tenure_kpi_cash_flow_items (self->db, data->as_of, data->project_code, NULL, &on_time,
                                      &billed, &error);
  if (items == NULL)
    {
      show_error (self, error);
      return NULL;
    }
  month_text = format_month (data->forecast_months[k]);
  if (series == 2)
    {
      const char *columns[] = { _("Leases ending in"), _("Monthly rent"), NULL };
      gint64 parts[TENURE_KPI_EXPIRY_MONTHS];
      gint64 sum = tenure_kpi_cash_flow_renewal_parts (data->expiry, data->renewal_ppm, on_time,
                                                       billed, k, parts);

      /* TRANSLATORS: a list title, %s is a month "2026-11" */
      title = g_strdup_printf (_("Expected from renewals in %s"), month_text);
      list = tenure_dashboard_list_new (NULL, title, subtitle, columns, _("Expected"),
                                        TENURE_CHART_UNIT_MONEY_FEN);
      for (guint j = 0; data->expiry != NULL && j < k && j < TENURE_KPI_EXPIRY_MONTHS; j++)
        {
          g_autofree char *ending = NULL;
          g_autofree char *rent = NULL;

          if (data->expiry->rent[j] == 0)
            continue;
          ending = format_month (data->expiry->month[j]);
          rent = format_money (data->expiry->rent[j]);
          {
            const char *cells[] = { ending, rent, NULL };
            tenure_dashboard_list_add_row (list, cells, parts[j]);
          }
        }
      if (sum != data->renewal_expected[k])
        tenure_dashboard_list_add_adjustment (list,
                                              _("Rounding (the forecast rounds each month once)"),
                                              data->renewal_expected[k] - sum);
      return list;
    }

  {
    const char *columns[] = { _("Contract"), _("Tenant"), _("Project"),
                              series == 0 ? _("Expected") : _("Contractual"), NULL };

    /* TRANSLATORS: list titles, %s is a month "2026-11" */
    title = g_strdup_printf (series == 0 ? _("Contractual receipts in %s")
                                         : _("Expected receipts in %s"), month_text);
    list = tenure_dashboard_list_new (NULL, title, subtitle, columns,
                                      series == 0 ? _("Contractual") : _("Expected"),
                                      TENURE_CHART_UNIT_MONEY_FEN);
  }
  for (guint i = 0; i < items->len; i++)
    {
      TenureKpiCashFlowSlice *item = g_ptr_array_index (items, i);
      g_autofree char *other = NULL;

      if (item->month != data->forecast_months[k])
        continue;
      other = format_money (series == 0 ? item->expected : item->contractual);
      {
        const char *cells[] = { item->contract_code, item->tenant_name, item->project_code,
                                other, NULL };
        tenure_dashboard_list_add_row (list, cells,
                                       series == 0 ? item->contractual : item->expected);
      }
    }
  return list;
}

/* The vacant units at the end of month M of the occupancy series: the rent roll of that day,
 * loaded now (the dashboard keeps only the as-of date's). */
static TenureDashboardList *
list_occupancy_point (TenureAnalyticsPage       *self,
                      const TenureDashboardData *data,
                      const char                *project_name,
                      guint                      m,
                      gboolean                   by_units)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rent_roll = NULL;
  TenureDate end;

  if (m >= TENURE_DASHBOARD_MONTHS || self->db == NULL)
    return NULL;
  end = tenure_date_period_end (data->months[m], TENURE_PERIOD_MONTH);
  rent_roll = tenure_kpi_rent_roll (self->db, end, data->project_code, &error);
  if (rent_roll == NULL)
    {
      show_error (self, error);
      return NULL;
    }
  return list_vacant_at (self, rent_roll, end, NULL, project_name, by_units);
}

/* A project's vacancy loss of the as-of month by building (group comparison), from the
 * engine; each building is rounded once, a rounding row makes them add up to the figure. */
static TenureDashboardList *
list_vacancy_project (TenureAnalyticsPage       *self,
                      const TenureDashboardData *data,
                      const TenureDashboardKpis *k)
{
  const char *columns[] = { _("Building"), _("Vacant unit-days"), NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *subtitle = scope_text (self, data, k->name);
  g_autofree char *month_text = format_month (data->as_of);
  g_autofree char *title = g_strdup_printf (_("Vacancy loss in %s"), month_text);
  TenureDashboardList *list;
  gint64 sum = 0;

  if (self->db == NULL)
    return NULL;
  rows = tenure_kpi_vacancy_loss (self->db,
                                  tenure_date_period_start (data->as_of, TENURE_PERIOD_MONTH),
                                  data->as_of, k->code, TENURE_KPI_BY_BUILDING, &error);
  if (rows == NULL)
    {
      show_error (self, error);
      return NULL;
    }
  list = tenure_dashboard_list_new (NULL, title, subtitle, columns, _("Vacancy loss"),
                                    TENURE_CHART_UNIT_MONEY_FEN);
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiVacancyLoss *row = g_ptr_array_index (rows, i);
      g_autofree char *days = g_strdup_printf ("%" G_GINT64_FORMAT, row->vacant_unit_days);
      const char *cells[] = { row->key, days, NULL };

      if (row->vacancy_loss == 0 && row->vacant_unit_days == 0)
        continue;
      tenure_dashboard_list_add_row (list, cells, row->vacancy_loss);
      sum += row->vacancy_loss;
    }
  if (sum != k->vacancy_loss)
    tenure_dashboard_list_add_adjustment (list, _("Rounding (each building rounded to the fen)"),
                                          k->vacancy_loss - sum);
  return list;
}

/* The bill lines behind a slice of the sliced revenue chart: those of the contracts whose key
 * is KEY. */
static TenureDashboardList *
list_revenue_slice (TenureAnalyticsPage       *self,
                    const TenureDashboardData *data,
                    const char                *project_name,
                    const char                *key)
{
  const char *columns[] = { _("Bill"), _("Contract"), _("Charge item"), _("Period"),
                            _("Due date"), NULL };
  g_autofree char *subtitle = scope_text (self, data, project_name);
  /* TRANSLATORS: a list title, %s is a slice key (a project, a building, "<1" years, …) */
  g_autofree char *title = g_strdup_printf (_("Billed: %s"), slice_key_label (key));
  TenureDashboardList *list =
    tenure_dashboard_list_new (NULL, title, subtitle, columns, _("Billed"),
                               TENURE_CHART_UNIT_MONEY_FEN);

  for (guint i = 0; i < data->open_items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (data->open_items, i);
      const char *item_key = self->slice_keys != NULL
                             ? g_hash_table_lookup (self->slice_keys, item->contract_code)
                             : NULL;
      g_autofree char *from = NULL, *to = NULL, *period = NULL, *due = NULL;

      if (!tenure_dashboard_item_in_revenue (data, item)
          || g_strcmp0 (item_key != NULL ? item_key : "-", key) != 0)
        continue;
      from = format_date (item->period_start);
      to = format_date (item->period_end);
      period = g_strdup_printf ("%s – %s", from, to);
      due = format_date (item->due_date);
      {
        const char *cells[] = { item->bill_code, item->contract_code, item->charge_item_code,
                                period, due, NULL };
        tenure_dashboard_list_add_row (list, cells, tenure_dashboard_item_billed (item));
      }
    }
  return list;
}

/* The contracts behind one bar of the sliced forecast: expected amounts in month K of the
 * contracts whose key is KEY. */
static TenureDashboardList *
list_forecast_slice (TenureAnalyticsPage       *self,
                     const TenureDashboardData *data,
                     const char                *project_name,
                     guint                      k,
                     const char                *key)
{
  const char *columns[] = { _("Contract"), _("Tenant"), _("Project"), _("Contractual"), NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *subtitle = scope_text (self, data, project_name);
  g_autofree char *month_text = NULL;
  g_autofree char *title = NULL;
  TenureDashboardList *list;

  if (k >= TENURE_KPI_FORECAST_MONTHS || self->db == NULL)
    return NULL;
  items = tenure_kpi_cash_flow_items (self->db, data->as_of, data->project_code, NULL, NULL,
                                      NULL, &error);
  if (items == NULL)
    {
      show_error (self, error);
      return NULL;
    }
  month_text = format_month (data->forecast_months[k]);
  /* TRANSLATORS: a list title: a month "2026-11" and a slice key */
  title = g_strdup_printf (_("Expected receipts in %s · %s"), month_text,
                           slice_key_label (key));
  list = tenure_dashboard_list_new (NULL, title, subtitle, columns, _("Expected"),
                                    TENURE_CHART_UNIT_MONEY_FEN);
  for (guint i = 0; i < items->len; i++)
    {
      TenureKpiCashFlowSlice *item = g_ptr_array_index (items, i);
      const char *item_key = self->slice_keys != NULL
                             ? g_hash_table_lookup (self->slice_keys, item->contract_code)
                             : NULL;
      g_autofree char *other = NULL;

      if (item->month != data->forecast_months[k]
          || g_strcmp0 (item_key != NULL ? item_key : "-", key) != 0)
        continue;
      other = format_money (item->contractual);
      {
        const char *cells[] = { item->contract_code, item->tenant_name, item->project_code,
                                other, NULL };
        tenure_dashboard_list_add_row (list, cells, item->expected);
      }
    }
  return list;
}

static TenureDate group_collection_month (const TenureDashboardData *data,
                                          const TenureDashboardKpis *k,
                                          gint64                    *due,
                                          gint64                    *received);

/* The list behind FIGURE (a tile id) of K in DATA: the project dashboard's (K its kpis) or a
 * row of the group comparison. */
static TenureDashboardList *
open_figure (TenureAnalyticsPage       *self,
             const TenureDashboardData *data,
             const TenureDashboardKpis *k,
             const char                *figure)
{
  gboolean group = data != self->data;
  const char *code = group ? k->code : NULL;
  gint64 project_id = group ? k->project_id : 0;
  TenureDashboardList *list = NULL;

  if (g_str_equal (figure, "occupancy-area"))
    list = list_vacant (self, data, code, k->name, FALSE);
  else if (g_str_equal (figure, "occupancy-units"))
    list = list_vacant (self, data, code, k->name, TRUE);
  else if (g_str_equal (figure, "wale"))
    list = list_leases (self, data, code, k->name, FALSE);
  else if (g_str_equal (figure, "expiring"))
    list = list_leases (self, data, code, k->name, TRUE);
  else if (g_str_equal (figure, "collection") && group)
    {
      gint64 due, received;

      list = list_collection (self, data, k->name, project_id,
                              group_collection_month (data, k, &due, &received), FALSE);
    }
  else if (g_str_equal (figure, "collection"))
    list = list_collection (self, data, k->name, project_id,
                            !tenure_date_is_valid (self->collection_month)
                            ? data->months[TENURE_DASHBOARD_MONTHS - 1]
                            : self->collection_month, FALSE);
  else if (g_str_equal (figure, "arrears"))
    list = list_items (self, data, project_id, k->name, ITEMS_OVERDUE, 0, NULL,
                       _("Overdue items"));
  else if (g_str_equal (figure, "vacancy-loss"))
    list = group ? list_vacancy_project (self, data, k)
                 : list_vacancy (self, data, k->name, TENURE_DASHBOARD_MONTHS - 1, FALSE);
  else
    g_warning ("No figure “%s”", figure);
  return list != NULL ? present_list (self, list) : NULL;
}

static const char *
project_name (TenureAnalyticsPage *self)
{
  return self->data ? self->data->kpis.name : NULL;
}

TenureDashboardList *
tenure_analytics_page_open_tile (TenureAnalyticsPage *self,
                                 const char          *tile)
{
  TenureDashboardData *data = self->data;
  const char *name = project_name (self);

  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), NULL);
  if (data == NULL)
    return NULL;
  (void) name;
  return open_figure (self, data, &data->kpis, tile);
}

TenureDashboardList *
tenure_analytics_page_open_group_cell (TenureAnalyticsPage *self,
                                       const char          *project_code,
                                       const char          *figure)
{
  TenureDashboardData *data = self->group_data;

  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), NULL);
  if (data == NULL || data->projects == NULL)
    return NULL;
  for (guint i = 0; i < data->projects->len; i++)
    {
      const TenureDashboardKpis *k = g_ptr_array_index (data->projects, i);

      if (g_strcmp0 (k->code, project_code) == 0)
        return open_figure (self, data, k, figure);
    }
  return NULL;
}

static void
tile_clicked_cb (GtkButton           *button,
                 TenureAnalyticsPage *self)
{
  tenure_analytics_page_open_tile (self, g_object_get_data (G_OBJECT (button), "tile"));
}

static void
chart_activated_cb (TenureChart         *chart,
                    guint                series,
                    guint                index,
                    TenureAnalyticsPage *self)
{
  TenureDashboardData *data = self->data;
  const char *name = project_name (self);
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (chart), "chart-id"));

  if (data == NULL)
    return;
  switch (id)
    {
    case CHART_REVENUE:
      if (self->revenue_keys != NULL)
        {
          if (index < g_strv_length (self->revenue_keys))
            present_list (self, list_revenue_slice (self, data, name,
                                                    self->revenue_keys[index]));
        }
      else if (index < data->charge_codes->len)
        {
          g_autofree char *title =
            /* TRANSLATORS: a list title, %s is a charge item name */
            g_strdup_printf (_("Billed: %s"), (char *) g_ptr_array_index (data->charge_names,
                                                                             index));
          present_list (self, list_items (self, data, 0, name, ITEMS_REVENUE, 0,
                                          g_ptr_array_index (data->charge_codes, index),
                                          title));
        }
      break;
    case CHART_OCCUPANCY:
      /* Each point is the occupancy at its month's end: the units vacant on that day. */
      {
        TenureDashboardList *list = list_occupancy_point (self, data, name, index,
                                                          series == 1);
        if (list != NULL)
          present_list (self, list);
      }
      break;
    case CHART_COLLECTION:
      present_list (self, list_collection (self, data, name, 0, data->months[index],
                                           series == 1));
      break;
    case CHART_AGING:
      {
        g_autofree char *title =
          /* TRANSLATORS: a list title: an aging bucket and a charge item */
          g_strdup_printf (_("Open items %s · %s"),
                           tenure_dashboard_aging_label (index),
                           tenure_chart_get_series_name (chart, series));
        present_list (self, list_items (self, data, 0, name, ITEMS_AGING, index,
                                        g_ptr_array_index (data->aging_codes, series),
                                        title));
      }
      break;
    case CHART_EXPIRY:
      if (data->expiry != NULL)
        present_list (self, list_expiry_month (self, data, name, index));
      break;
    case CHART_VACANCY:
      present_list (self, list_vacancy (self, data, name, index, series == 1));
      break;
    case CHART_CASH_FLOW:
      {
        TenureDashboardList *list =
          self->forecast_keys != NULL
          ? (series < g_strv_length (self->forecast_keys)
             ? list_forecast_slice (self, data, name, index, self->forecast_keys[series])
             : NULL)
          : list_forecast (self, data, name, index, series);
        if (list != NULL)
          present_list (self, list);
      }
      break;
    default:
      break;
    }
}

static void
group_chart_activated_cb (TenureChart         *chart,
                          guint                series,
                          guint                index,
                          TenureAnalyticsPage *self)
{
  TenureDashboardData *data = self->group_data;
  TenureDashboardKpis *kpis;

  if (data == NULL || data->projects == NULL || index >= data->projects->len)
    return;
  kpis = g_ptr_array_index (data->projects, index);
  if (series == 0)
    present_list (self, list_vacant (self, data, kpis->code, kpis->name, FALSE));
  else
    present_list (self, list_collection (self, data, kpis->name, kpis->project_id,
                                         data->months[TENURE_DASHBOARD_MONTHS - 1], TRUE));
}

/* Showing the numbers --------------------------------------------------------------------- */

static void
set_tile (TenureAnalyticsPage *self,
          guint                i,
          const char          *value,
          const char          *detail)
{
  g_autofree char *description = g_strdup_printf ("%s: %s. %s", _(tiles[i].caption), value,
                                                  detail);

  gtk_label_set_text (self->tile_values[i], value);
  gtk_label_set_text (self->tile_details[i], detail);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tile_buttons[i]),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

/* The latest month up to the as-of month in which something is due (billed), or
 * TENURE_DATE_INVALID when nothing is. */
static TenureDate
latest_billed_month_of (const TenureDashboardData *data,
                        gint64                     project_id)
{
  TenureDate last = tenure_date_period_end (data->as_of, TENURE_PERIOD_MONTH);
  TenureDate latest = TENURE_DATE_INVALID;

  for (guint i = 0; i < data->open_items->len; i++)
    {
      const TenureOpenItem *item = g_ptr_array_index (data->open_items, i);

      if (item->due_date > last || tenure_dashboard_item_billed (item) <= 0
          || (project_id != 0 && item->project_id != project_id))
        continue;
      if (latest == TENURE_DATE_INVALID || item->due_date > latest)
        latest = item->due_date;
    }
  return latest == TENURE_DATE_INVALID
         ? latest : tenure_date_period_start (latest, TENURE_PERIOD_MONTH);
}

static TenureDate
latest_billed_month (const TenureDashboardData *data)
{
  return latest_billed_month_of (data, 0);
}

/* The month the collection column of a group row K shows: the as-of month, or as the tile
 * does when nothing is due in it (not billed yet) the project's latest month billed; with
 * its due and received (the sums over the loaded items, what the list adds up). */
static TenureDate
group_collection_month (const TenureDashboardData *data,
                        const TenureDashboardKpis *k,
                        gint64                    *due,
                        gint64                    *received)
{
  TenureDate month = data->months[TENURE_DASHBOARD_MONTHS - 1], latest, end;

  *due = k->collection_due;
  *received = k->collection_received;
  if (k->collection_due != 0 || data->open_items == NULL || k->project_id == 0)
    return month;
  latest = latest_billed_month_of (data, k->project_id);
  if (!tenure_date_is_valid (latest))
    return month;
  end = tenure_date_period_end (latest, TENURE_PERIOD_MONTH);
  *due = *received = 0;
  for (guint i = 0; i < data->open_items->len; i++)
    {
      const TenureOpenItem *item = g_ptr_array_index (data->open_items, i);

      if (item->project_id != k->project_id || item->due_date < latest || item->due_date > end)
        continue;
      *due += tenure_dashboard_item_billed (item);
      *received += item->allocated + item->offset;
    }
  return latest;
}

/* Due and received of MONTH: the engine's series when it holds the month, else the same sums
 * over the loaded items (what the list behind the tile adds up). */
static void
month_collection (const TenureDashboardData *data,
                  TenureDate                 month,
                  gint64                    *due,
                  gint64                    *received)
{
  int m = tenure_dashboard_month_index (data, month);
  TenureDate end = tenure_date_period_end (month, TENURE_PERIOD_MONTH);

  if (m >= 0)
    {
      *due = data->due[m];
      *received = data->received[m];
      return;
    }
  *due = *received = 0;
  for (guint i = 0; i < data->open_items->len; i++)
    {
      const TenureOpenItem *item = g_ptr_array_index (data->open_items, i);

      if (item->due_date < month || item->due_date > end)
        continue;
      *due += tenure_dashboard_item_billed (item);
      *received += item->allocated + item->offset;
    }
}

static void
show_tiles (TenureAnalyticsPage *self)
{
  TenureDashboardData *data = self->data;
  TenureDashboardKpis *k = &data->kpis;
  g_autofree char *occ_area = format_ratio (k->leased_area_c, k->leasable_area_c);
  g_autofree char *occ_units = format_ratio (k->leased_units, k->units);
  g_autofree char *leased = format_area (k->leased_area_c);
  g_autofree char *leasable = format_area (k->leasable_area_c);
  g_autofree char *area_detail = NULL;
  g_autofree char *units_detail = NULL;
  g_autofree char *wale = format_years (k->wale_rent_centi);
  g_autofree char *wale_area = format_years (k->wale_area_centi);
  g_autofree char *wale_detail = NULL;
  TenureDate collection_month = data->months[TENURE_DASHBOARD_MONTHS - 1];
  gint64 collection_due = k->collection_due, collection_received = k->collection_received;
  g_autofree char *collection = NULL;
  g_autofree char *received = NULL;
  g_autofree char *due = NULL;
  g_autofree char *month = NULL;
  g_autofree char *collection_detail = NULL;
  g_autofree char *arrears = format_money (k->arrears);
  g_autofree char *as_of = format_date (data->as_of);
  g_autofree char *arrears_detail = NULL;
  g_autofree char *loss = format_money (k->vacancy_loss);
  g_autofree char *rent_free = format_money (k->rent_free_loss);
  g_autofree char *loss_detail = NULL;
  g_autofree char *expiring = tenure_chart_format_value (TENURE_CHART_UNIT_COUNT,
                                                         k->expiring_leases, 0);
  g_autofree char *expiring_area = format_area (k->expiring_area_c);

  /* TRANSLATORS: leased area of leasable area */
  area_detail = g_strdup_printf (_("%s of %s leased"), leased, leasable);
  {
    g_autofree char *leased_units = tenure_chart_format_value (TENURE_CHART_UNIT_COUNT,
                                                               k->leased_units, 0);
    g_autofree char *all_units = tenure_chart_format_value (TENURE_CHART_UNIT_COUNT,
                                                            k->units, 0);

    /* TRANSLATORS: leased units of all units for lease, "194 of 223 units leased" */
    units_detail = g_strdup_printf (g_dngettext (NULL, "%s of %s unit leased",
                                                 "%s of %s units leased",
                                                 (gulong) MAX (k->units, 0)),
                                    leased_units, all_units);
  }
  /* TRANSLATORS: the tile shows WALE by rent; this is WALE by area */
  wale_detail = g_strdup_printf (_("By rent; by area %s"), wale_area);
  /* Nothing due yet in the as-of month (not billed): the latest month that is. */
  if (collection_due == 0)
    {
      TenureDate latest = latest_billed_month (data);

      if (tenure_date_is_valid (latest))
        {
          collection_month = latest;
          month_collection (data, latest, &collection_due, &collection_received);
        }
    }
  self->collection_month = collection_month;
  collection = format_ratio (collection_received, collection_due);
  received = format_money (collection_received);
  due = format_money (collection_due);
  month = format_month (collection_month);
  if (collection_month != data->months[TENURE_DASHBOARD_MONTHS - 1])
    /* TRANSLATORS: received of due, in a month "2026-10" that is not the as-of month */
    collection_detail = g_strdup_printf (_("%s of %s due in %s, the latest month billed"),
                                         received, due, month);
  else
    /* TRANSLATORS: received of due, in a month "2026-11" */
    collection_detail = g_strdup_printf (_("%s of %s due in %s"), received, due, month);
  /* TRANSLATORS: %s is a date */
  arrears_detail = g_strdup_printf (_("Past due on %s"), as_of);
  /* TRANSLATORS: %s is an amount */
  loss_detail = g_strdup_printf (_("Rent-free loss %s"), rent_free);

  set_tile (self, 0, occ_area, area_detail);
  set_tile (self, 1, occ_units, units_detail);
  set_tile (self, 2, wale, wale_detail);
  set_tile (self, 3, collection, collection_detail);
  set_tile (self, 4, arrears, arrears_detail);
  set_tile (self, 5, loss, loss_detail);
  set_tile (self, 6, expiring, expiring_area);
}

static GStrv
month_labels (const TenureDate *months,
              guint             n)
{
  GStrv labels = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    labels[i] = format_month (months[i]);
  return labels;
}

/* Titles of the revenue and forecast charts by slice (TenureKpiSlice order); the keys are
 * the engine's, so the title says their unit. */
static const char *revenue_titles[] = {
  N_("Revenue by charge item, last 12 months"), N_("Revenue by project, last 12 months"),
  N_("Revenue by building, last 12 months"), N_("Revenue by format, last 12 months"),
  N_("Revenue by area band (m²), last 12 months"),
  N_("Revenue by remaining lease term (years), last 12 months"),
  N_("Revenue by price band, last 12 months"),
};
static const char *forecast_titles[] = {
  N_("Cash-flow forecast, next 12 months"), N_("Expected receipts by project, next 12 months"),
  N_("Expected receipts by building, next 12 months"),
  N_("Expected receipts by format, next 12 months"),
  N_("Expected receipts by area band (m²), next 12 months"),
  N_("Expected receipts by remaining lease term (years), next 12 months"),
  N_("Expected receipts by price band, next 12 months"),
};

/* The revenue and forecast charts: by charge item and by kind of amount, or, with a slice
 * chosen, by its keys (loaded now from the engine on the page's connection). */
static void
show_sliced_charts (TenureAnalyticsPage *self)
{
  TenureDashboardData *data = self->data;
  g_auto(GStrv) forecast = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revenue = NULL;
  g_autoptr(GPtrArray) cash_flow = NULL;

  g_clear_pointer (&self->revenue_keys, g_strfreev);
  g_clear_pointer (&self->forecast_keys, g_strfreev);
  g_clear_pointer (&self->slice_keys, g_hash_table_unref);
  if (data == NULL)
    return;
  forecast = month_labels (data->forecast_months, TENURE_KPI_FORECAST_MONTHS);
  if (self->slice != TENURE_KPI_BY_NONE && self->db != NULL)
    {
      TenureDate to = tenure_date_period_end (data->as_of, TENURE_PERIOD_MONTH);

      self->slice_keys = tenure_kpi_contract_slice_keys (self->db, data->as_of,
                                                         data->project_code, self->slice,
                                                         &error);
      if (self->slice_keys != NULL)
        revenue = tenure_kpi_revenue_sliced (self->db, data->months[0], to, data->as_of,
                                             data->project_code, NULL, self->slice, FALSE,
                                             &error);
      if (revenue != NULL)
        cash_flow = tenure_kpi_cash_flow_sliced (self->db, data->as_of, data->project_code,
                                                 NULL, self->slice, TRUE, &error);
      if (cash_flow == NULL)
        {
          show_error (self, error);
          g_clear_pointer (&revenue, g_ptr_array_unref);
          g_clear_pointer (&self->slice_keys, g_hash_table_unref);
        }
    }

  if (revenue != NULL)
    {
      g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (guint i = 0; i < revenue->len; i++)
        {
          TenureKpiRevenueSlice *r = g_ptr_array_index (revenue, i);

          g_strv_builder_add (keys, r->key);
          g_ptr_array_add (labels, (gpointer) slice_key_label (r->key));
          g_array_append_val (values, r->billed);
        }
      g_ptr_array_add (labels, NULL);
      self->revenue_keys = g_strv_builder_end (keys);
      tenure_chart_set_categories (self->charts[CHART_REVENUE],
                                   (const char * const *) labels->pdata);
      tenure_chart_add_series (self->charts[CHART_REVENUE], _("Billed"),
                               (gint64 *) values->data, values->len);
    }
  else
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      for (guint i = 0; i < data->charge_names->len; i++)
        g_ptr_array_add (names, g_ptr_array_index (data->charge_names, i));
      g_ptr_array_add (names, NULL);
      tenure_chart_set_categories (self->charts[CHART_REVENUE],
                                   (const char * const *) names->pdata);
      tenure_chart_add_series (self->charts[CHART_REVENUE], _("Billed"),
                               (gint64 *) data->charge_billed->data, data->charge_billed->len);
    }

  {
    guint t = revenue != NULL && self->slice < G_N_ELEMENTS (revenue_titles) ? self->slice : 0;

    tenure_chart_set_title (self->charts[CHART_REVENUE], _(revenue_titles[t]));
    tenure_chart_set_title (self->charts[CHART_CASH_FLOW], _(forecast_titles[t]));
  }
  tenure_chart_set_categories (self->charts[CHART_CASH_FLOW], (const char * const *) forecast);
  if (cash_flow != NULL)
    {
      g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
      gint64 values[TENURE_KPI_FORECAST_MONTHS];
      TenureDate first = data->forecast_months[0];

      /* Rows come by key, then month: one series (expected amounts) per key. */
      for (guint i = 0; i < cash_flow->len;)
        {
          TenureKpiCashFlowSlice *r = g_ptr_array_index (cash_flow, i);
          const char *key = r->key;

          memset (values, 0, sizeof values);
          for (; i < cash_flow->len; i++)
            {
              TenureKpiCashFlowSlice *row = g_ptr_array_index (cash_flow, i);
              int k = (tenure_date_get_year (row->month) - tenure_date_get_year (first)) * 12
                      + tenure_date_get_month (row->month) - tenure_date_get_month (first);

              if (g_strcmp0 (row->key, key) != 0)
                break;
              if (k >= 0 && k < TENURE_KPI_FORECAST_MONTHS)
                values[k] = row->expected;
            }
          g_strv_builder_add (keys, key);
          tenure_chart_add_series (self->charts[CHART_CASH_FLOW], slice_key_label (key), values,
                                   TENURE_KPI_FORECAST_MONTHS);
        }
      self->forecast_keys = g_strv_builder_end (keys);
    }
  else
    {
      tenure_chart_add_series (self->charts[CHART_CASH_FLOW], _("Contractual"),
                               data->contractual, TENURE_KPI_FORECAST_MONTHS);
      tenure_chart_add_series (self->charts[CHART_CASH_FLOW], _("Expected"),
                               data->expected, TENURE_KPI_FORECAST_MONTHS);
      tenure_chart_add_series (self->charts[CHART_CASH_FLOW], _("Expected from renewals"),
                               data->renewal_expected, TENURE_KPI_FORECAST_MONTHS);
    }
}

static void
slice_selected_cb (GtkDropDown         *dropdown,
                   GParamSpec          *pspec,
                   TenureAnalyticsPage *self)
{
  static const TenureKpiSlice slices[] = {
    TENURE_KPI_BY_NONE, TENURE_KPI_BY_PROJECT, TENURE_KPI_BY_BUILDING, TENURE_KPI_BY_FORMAT,
    TENURE_KPI_BY_AREA_BAND, TENURE_KPI_BY_TERM, TENURE_KPI_BY_PRICE_BAND,
  };
  guint selected = gtk_drop_down_get_selected (dropdown);

  self->slice = selected < G_N_ELEMENTS (slices) ? slices[selected] : TENURE_KPI_BY_NONE;
  show_sliced_charts (self);
}

void
tenure_analytics_page_set_slice (TenureAnalyticsPage *self,
                                 TenureKpiSlice       slice)
{
  static const TenureKpiSlice slices[] = {
    TENURE_KPI_BY_NONE, TENURE_KPI_BY_PROJECT, TENURE_KPI_BY_BUILDING, TENURE_KPI_BY_FORMAT,
    TENURE_KPI_BY_AREA_BAND, TENURE_KPI_BY_TERM, TENURE_KPI_BY_PRICE_BAND,
  };

  g_return_if_fail (TENURE_IS_ANALYTICS_PAGE (self));
  for (guint i = 0; i < G_N_ELEMENTS (slices); i++)
    if (slices[i] == slice)
      gtk_drop_down_set_selected (self->slice_dropdown, i);
}

static void
show_charts (TenureAnalyticsPage *self)
{
  TenureDashboardData *data = self->data;
  g_auto(GStrv) months = month_labels (data->months, TENURE_DASHBOARD_MONTHS);
  guint n_codes;

  show_sliced_charts (self);

  tenure_chart_set_categories (self->charts[CHART_OCCUPANCY], (const char * const *) months);
  tenure_chart_add_series (self->charts[CHART_OCCUPANCY], _("By area"),
                           data->occupancy_area_ppm, TENURE_DASHBOARD_MONTHS);
  tenure_chart_add_series (self->charts[CHART_OCCUPANCY], _("By units"),
                           data->occupancy_units_ppm, TENURE_DASHBOARD_MONTHS);

  tenure_chart_set_categories (self->charts[CHART_COLLECTION], (const char * const *) months);
  tenure_chart_add_series (self->charts[CHART_COLLECTION], _("Due"), data->due,
                           TENURE_DASHBOARD_MONTHS);
  tenure_chart_add_series (self->charts[CHART_COLLECTION], _("Received"), data->received,
                           TENURE_DASHBOARD_MONTHS);

  {
    const char *buckets[TENURE_DASHBOARD_AGING_BUCKETS + 1] = { NULL };

    for (guint b = 0; b < TENURE_DASHBOARD_AGING_BUCKETS; b++)
      buckets[b] = tenure_dashboard_aging_label (b);
    tenure_chart_set_categories (self->charts[CHART_AGING], buckets);
    n_codes = data->aging_codes->len;
    for (guint c = 0; c < n_codes; c++)
      {
        const char *label = g_ptr_array_index (data->aging_names, c);
        tenure_chart_add_series (self->charts[CHART_AGING], label,
                                 &g_array_index (data->aging, gint64,
                                                 c * TENURE_DASHBOARD_AGING_BUCKETS),
                                 TENURE_DASHBOARD_AGING_BUCKETS);
      }
  }

  if (data->expiry != NULL)
    {
      g_auto(GStrv) expiry_months = month_labels (data->expiry->month,
                                                  TENURE_KPI_EXPIRY_MONTHS);

      tenure_chart_set_categories (self->charts[CHART_EXPIRY],
                                   (const char * const *) expiry_months);
      tenure_chart_add_series (self->charts[CHART_EXPIRY], _("Leased area ending"),
                               data->expiry->area_c, TENURE_KPI_EXPIRY_MONTHS);
    }
  else
    tenure_chart_set_categories (self->charts[CHART_EXPIRY], NULL);


  tenure_chart_set_categories (self->charts[CHART_VACANCY], (const char * const *) months);
  tenure_chart_add_series (self->charts[CHART_VACANCY], _("Vacancy loss"), data->vacancy_loss,
                           TENURE_DASHBOARD_MONTHS);
  tenure_chart_add_series (self->charts[CHART_VACANCY], _("Rent-free loss"),
                           data->rent_free_loss, TENURE_DASHBOARD_MONTHS);
}

static void
show_group (TenureAnalyticsPage *self)
{
  TenureDashboardData *data = self->group_data;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) occupancy = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_autoptr(GArray) collection = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_autofree char *title = NULL;
  TenureDate shown = TENURE_DATE_INVALID;
  gboolean one_month = TRUE;

  g_list_store_remove_all (self->group_rows);
  if (data == NULL || data->projects == NULL)
    {
      tenure_chart_set_categories (self->group_chart, NULL);
      gtk_column_view_column_set_title (self->group_collection_column, _("Collection rate"));
      return;
    }
  for (guint i = 0; i < data->projects->len; i++)
    {
      TenureDashboardKpis *k = g_ptr_array_index (data->projects, i);
      g_autoptr(TenureProjectKpis) row = project_kpis_new (k);
      gint64 occ = tenure_kpi_ppm (k->leased_area_c, k->leasable_area_c);
      TenureDate month = group_collection_month (data, k, &row->kpis.collection_due,
                                                 &row->kpis.collection_received);
      gint64 col = tenure_kpi_ppm (row->kpis.collection_received, row->kpis.collection_due);

      if (i > 0 && month != shown)
        one_month = FALSE;
      shown = month;
      g_list_store_append (self->group_rows, row);
      g_ptr_array_add (names, k->name);
      g_array_append_val (occupancy, occ);
      g_array_append_val (collection, col);
    }
  g_ptr_array_add (names, NULL);
  tenure_chart_set_categories (self->group_chart, (const char * const *) names->pdata);
  tenure_chart_add_series (self->group_chart, _("Occupancy by area"),
                           (gint64 *) occupancy->data, occupancy->len);
  tenure_chart_add_series (self->group_chart, _("Collection rate"),
                           (gint64 *) collection->data, collection->len);

  /* The column says its month; rows falling back to different months say so instead. */
  if (one_month && tenure_date_is_valid (shown))
    {
      g_autofree char *month = format_month (shown);

      /* TRANSLATORS: column header, the collection rate of the month "2026-10" */
      title = g_strdup_printf (_("Collection rate %s"), month);
    }
  else
    /* TRANSLATORS: column header: each project's as-of month, or its latest month billed */
    title = g_strdup (_("Collection rate (latest month billed)"));
  gtk_column_view_column_set_title (self->group_collection_column, title);
}

static void
update_scope_label (TenureAnalyticsPage *self)
{
  g_autofree char *date = format_date (self->as_of);
  g_autofree char *text = NULL;
  const char *name = self->data ? self->data->kpis.name : NULL;

  if (!tenure_date_is_valid (self->as_of))
    {
      gtk_label_set_text (self->scope_label, "");
      gtk_menu_button_set_label (self->as_of_button, _("As of…"));
      return;
    }
  /* TRANSLATORS: the as-of date button, %s is a date */
  text = g_strdup_printf (_("As of %s"), date);
  gtk_menu_button_set_label (self->as_of_button, text);
  gtk_label_set_text (self->scope_label, name ? name : "");
}

/* Loading --------------------------------------------------------------------------------- */

static void start_load (TenureAnalyticsPage *self);

static void
set_loading (TenureAnalyticsPage *self,
             gboolean             loading)
{
  self->loading = loading;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);
}

static void
show_error (TenureAnalyticsPage *self,
            const GError        *error)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  gtk_label_set_text (self->error_label, error ? error->message : "");
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* What a callback needs to know whether its result still belongs to the page's database. */
typedef struct
{
  TenureAnalyticsPage *self;
  guint                generation;
} LoadRef;

static LoadRef *
load_ref_new (TenureAnalyticsPage *self)
{
  LoadRef *ref = g_new0 (LoadRef, 1);

  ref->self = g_object_ref (self);
  ref->generation = self->generation;
  return ref;
}

static void
load_ref_free (LoadRef *ref)
{
  g_object_unref (ref->self);
  g_free (ref);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadRef, load_ref_free)

static gboolean
load_ref_current (LoadRef *ref)
{
  return ref->generation == ref->self->generation;
}

/* A load finished: the project's, then the group's. */
static void
group_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LoadRef) ref = user_data;
  TenureAnalyticsPage *self = ref->self;
  g_autoptr(GError) error = NULL;
  TenureDashboardData *data = tenure_dashboard_data_load_finish (result, &error);

  if (!load_ref_current (ref))
    {
      g_clear_pointer (&data, tenure_dashboard_data_free);
      return;
    }
  if (data != NULL && !self->pending)
    {
      g_clear_pointer (&self->group_data, tenure_dashboard_data_free);
      self->group_data = data;
      show_group (self);
    }
  else
    g_clear_pointer (&data, tenure_dashboard_data_free);
  if (error != NULL && !is_cancelled (error))
    show_error (self, error);
  set_loading (self, FALSE);
  if (self->pending)
    start_load (self);
}

static void
project_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LoadRef) ref = user_data;
  TenureAnalyticsPage *self = ref->self;
  g_autoptr(GError) error = NULL;
  TenureDashboardData *data = tenure_dashboard_data_load_finish (result, &error);

  if (!load_ref_current (ref))
    {
      g_clear_pointer (&data, tenure_dashboard_data_free);
      return;
    }
  if (self->pending)
    {
      /* Something changed meanwhile: these numbers are stale. */
      g_clear_pointer (&data, tenure_dashboard_data_free);
      set_loading (self, FALSE);
      start_load (self);
      return;
    }
  if (data == NULL)
    {
      if (!is_cancelled (error))
        show_error (self, error);
      set_loading (self, FALSE);
      return;
    }
  show_error (self, NULL);
  g_clear_pointer (&self->data, tenure_dashboard_data_free);
  self->data = data;
  show_tiles (self);
  show_charts (self);
  update_scope_label (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tiles_box), TRUE);

  tenure_dashboard_data_load_async (self->worker_db, NULL, NULL, self->as_of, self->cancellable,
                                    group_loaded_cb, load_ref_new (self));
}

static void
start_load (TenureAnalyticsPage *self)
{
  if (self->worker_db == NULL || !tenure_date_is_valid (self->as_of))
    return;
  /* Nobody is looking: a large portfolio's numbers take a while, load them when shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->needs_load = TRUE;
      return;
    }
  self->needs_load = FALSE;
  if (self->loading)
    {
      self->pending = TRUE;
      return;
    }
  self->pending = FALSE;
  set_loading (self, TRUE);
  tenure_dashboard_data_load_async (self->worker_db, self->parallel_db, self->project_code,
                                    self->as_of,
                                    self->cancellable, project_loaded_cb, load_ref_new (self));
}

/* The second worker connection: loads use it once it is there; without it (it could not be
 * opened) they read everything on the first. */
static void
parallel_opened_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LoadRef) ref = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_open_database_finish (result, &error);

  if (!load_ref_current (ref) || db == NULL || ref->self->db == NULL)
    {
      if (db == NULL && !is_cancelled (error))
        g_debug ("no second connection for the dashboard: %s", error->message);
      return;
    }
  g_set_object (&ref->self->parallel_db, db);
}

static void
worker_opened_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LoadRef) ref = user_data;
  TenureAnalyticsPage *self = ref->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_open_database_finish (result, &error);

  if (!load_ref_current (ref))
    return;
  set_loading (self, FALSE);
  if (db == NULL)
    {
      if (!is_cancelled (error))
        show_error (self, error);
      return;
    }
  if (self->db == NULL)
    return;
  g_set_object (&self->worker_db, db);
  start_load (self);
  tenure_open_database_async (self->location, TENURE_DB_OPEN_DEFAULT, NULL, self->cancellable,
                              parallel_opened_cb, load_ref_new (self));
}

void
tenure_analytics_page_refresh (TenureAnalyticsPage *self)
{
  g_return_if_fail (TENURE_IS_ANALYTICS_PAGE (self));
  start_load (self);
}

gboolean
tenure_analytics_page_is_loading (TenureAnalyticsPage *self)
{
  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), FALSE);
  return self->loading || self->pending || self->needs_load
         || (self->db != NULL && self->worker_db == NULL);
}

static void
clear_numbers (TenureAnalyticsPage *self)
{
  g_clear_pointer (&self->data, tenure_dashboard_data_free);
  g_clear_pointer (&self->group_data, tenure_dashboard_data_free);
  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    set_tile (self, i, "—", "");
  for (guint c = 0; c < N_CHARTS; c++)
    tenure_chart_set_categories (self->charts[c], NULL);
  show_group (self);
  show_error (self, NULL);
}

void
tenure_analytics_page_set_database (TenureAnalyticsPage *self,
                                    TenureDb            *db,
                                    const char          *location,
                                    GListModel          *projects)
{
  g_return_if_fail (TENURE_IS_ANALYTICS_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker_db);
  g_clear_object (&self->parallel_db);
  tenure_analytics_page_cancel_export (self);
  g_set_object (&self->db, db);
  g_set_object (&self->projects, projects);
  g_free (self->location);
  self->location = g_strdup (location);
  g_clear_pointer (&self->project_code, g_free);
  self->generation++;
  self->pending = FALSE;
  self->needs_load = FALSE;
  set_loading (self, FALSE);
  clear_numbers (self);

  if (db == NULL)
    {
      self->as_of = TENURE_DATE_INVALID;
      update_scope_label (self);
      return;
    }

  if (projects != NULL && g_list_model_get_n_items (projects) > 0)
    {
      g_autoptr(GObject) first = g_list_model_get_item (projects, 0);

      self->project_code = g_strdup (tenure_project_summary_get_code (
                                       TENURE_PROJECT_SUMMARY (first)));
    }
  tenure_analytics_page_set_as_of (self, tenure_portfolio_get_as_of (db));

  /* The worker's own connection: one connection is used by one thread at a time. */
  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  tenure_open_database_async (location, TENURE_DB_OPEN_DEFAULT, NULL, self->cancellable,
                              worker_opened_cb, load_ref_new (self));
}

void
tenure_analytics_page_select_project (TenureAnalyticsPage *self,
                                      const char          *code)
{
  g_return_if_fail (TENURE_IS_ANALYTICS_PAGE (self));

  if (g_strcmp0 (code, self->project_code) == 0)
    return;
  g_free (self->project_code);
  self->project_code = g_strdup (code);
  start_load (self);
}

void
tenure_analytics_page_set_as_of (TenureAnalyticsPage *self,
                                 TenureDate           as_of)
{
  int y, m, d;

  g_return_if_fail (TENURE_IS_ANALYTICS_PAGE (self));

  if (as_of == self->as_of || !tenure_date_is_valid (as_of))
    return;
  self->as_of = as_of;
  tenure_date_get_ymd (as_of, &y, &m, &d);
  {
    g_autoptr(GDateTime) date = g_date_time_new_local (y, m, d, 12, 0, 0);

    self->setting_calendar = TRUE;
    gtk_calendar_select_day (self->calendar, date);
    self->setting_calendar = FALSE;
  }
  update_scope_label (self);
  start_load (self);
}

TenureDate
tenure_analytics_page_get_as_of (TenureAnalyticsPage *self)
{
  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), TENURE_DATE_INVALID);
  return self->as_of;
}

static void
calendar_day_selected_cb (TenureAnalyticsPage *self)
{
  g_autoptr(GDateTime) date = NULL;

  if (self->setting_calendar)
    return;
  date = gtk_calendar_get_date (self->calendar);
  tenure_analytics_page_set_as_of (self, tenure_date_from_ymd (g_date_time_get_year (date),
                                                               g_date_time_get_month (date),
                                                               g_date_time_get_day_of_month (date)));
  gtk_menu_button_popdown (self->as_of_button);
}

void
tenure_analytics_page_show_view (TenureAnalyticsPage *self,
                                 const char          *view)
{
  g_return_if_fail (TENURE_IS_ANALYTICS_PAGE (self));
  adw_view_stack_set_visible_child_name (self->view_stack, view);
}

static void
group_row_activated_cb (TenureAnalyticsPage *self,
                        guint                position)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (self->group_view));
  g_autoptr(TenureProjectKpis) row = g_list_model_get_item (model, position);

  if (row == NULL)
    return;
  tenure_analytics_page_select_project (self, row->kpis.code);
  tenure_analytics_page_show_view (self, "project");
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  tenure_analytics_page_refresh (TENURE_ANALYTICS_PAGE (widget));
}

/* Export to Excel ------------------------------------------------------------------------- */

static const char *
report_label (TenureExportReport report)
{
  switch (report)
    {
    case TENURE_EXPORT_RENT_ROLL:
      return _("rent roll");
    case TENURE_EXPORT_BILLS:
      return _("bill summary");
    case TENURE_EXPORT_AGING:
      return _("aging");
    case TENURE_EXPORT_KPI:
      return _("KPI report");
    default:
      g_return_val_if_reached ("");
    }
}

typedef struct
{
  TenureAnalyticsPage *self;
  TenureDb            *db;
  TenureExportReport   report;
  char                *path;
  char                *project_code;
  TenureDate           as_of;
  GCancellable        *cancellable;
  double               posted;     /* the last fraction sent to the main thread */
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->db);
  g_clear_object (&job->cancellable);
  g_free (job->path);
  g_free (job->project_code);
  g_free (job);
}

typedef struct
{
  TenureAnalyticsPage *self;
  GCancellable        *cancellable;
  double               fraction;
  guint64              rows;
} ExportProgress;

static gboolean
export_progress_idle (gpointer user_data)
{
  ExportProgress *progress = user_data;
  TenureAnalyticsPage *self = progress->self;

  /* Only the export still running moves the bar. */
  if (self->exporting && progress->cancellable == self->export_cancellable)
    {
      g_autofree char *rows = tenure_chart_format_value (TENURE_CHART_UNIT_COUNT,
                                                         (gint64) progress->rows, 0);
      /* TRANSLATORS: rows written so far by an export, "1,200 rows" */
      g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%s row", "%s rows",
                                                            (gulong) progress->rows), rows);

      gtk_progress_bar_set_fraction (self->export_progress, progress->fraction);
      gtk_progress_bar_set_text (self->export_progress, text);
    }
  g_object_unref (progress->self);
  g_object_unref (progress->cancellable);
  g_free (progress);
  return G_SOURCE_REMOVE;
}

/* Called in the exporting thread. */
static void
export_progress_cb (double   fraction,
                    guint64  rows,
                    gpointer user_data)
{
  ExportJob *job = user_data;
  ExportProgress *progress;

  if (fraction < 1.0 && fraction - job->posted < 0.01)
    return;
  job->posted = fraction;
  progress = g_new0 (ExportProgress, 1);
  progress->self = g_object_ref (job->self);
  progress->cancellable = g_object_ref (job->cancellable);
  progress->fraction = fraction;
  progress->rows = rows;
  g_idle_add (export_progress_idle, progress);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  TenureExportOptions options = { 0 };
  GError *error = NULL;

  options.as_of = job->as_of;
  options.project_code = job->project_code;
  options.mask = TENURE_EXPORT_MASK_DEFAULT;
  options.progress = export_progress_cb;
  options.progress_data = job;
  options.cancellable = cancellable;
  if (tenure_export_to_file (job->db, job->report, job->path, &options, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
hide_export_bar (gpointer user_data)
{
  TenureAnalyticsPage *self = user_data;

  self->export_hide_id = 0;
  if (!self->exporting)
    gtk_widget_set_visible (self->export_bar, FALSE);
  return G_SOURCE_REMOVE;
}

static void
export_finished (TenureAnalyticsPage *self,
                 const char          *message,
                 const GError        *error)
{
  self->exporting = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "analytics.cancel-export", FALSE);
  gtk_widget_set_visible (self->export_cancel, FALSE);
  if (error != NULL)
    {
      gtk_widget_set_visible (self->export_bar, FALSE);
      show_error (self, error);
      return;
    }
  gtk_label_set_text (self->export_label, message);
  g_clear_handle_id (&self->export_hide_id, g_source_remove);
  self->export_hide_id = g_timeout_add_seconds (6, hide_export_bar, self);
}

static gboolean
is_export_cancel (const GError *error)
{
  return g_error_matches (error, TENURE_ERROR, TENURE_ERROR_CANCELLED) || is_cancelled (error);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  TenureAnalyticsPage *self = job->self;
  g_autoptr(GError) error = NULL;

  if (job->cancellable != self->export_cancellable)
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (is_export_cancel (error))
        export_finished (self, _("Export cancelled; no file was written."), NULL);
      else
        export_finished (self, NULL, error);
      return;
    }
  {
    g_autofree char *name = g_path_get_basename (job->path);
    /* TRANSLATORS: %s is a file name */
    g_autofree char *message = g_strdup_printf (_("Saved %s"), name);

    gtk_progress_bar_set_fraction (self->export_progress, 1.0);
    export_finished (self, message, NULL);
  }
}

static void
export_db_opened_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ExportJob *job = user_data;
  TenureAnalyticsPage *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  job->db = tenure_open_database_finish (result, &error);
  if (job->db == NULL)
    {
      if (job->cancellable == self->export_cancellable)
        {
          if (is_export_cancel (error))
            export_finished (self, _("Export cancelled; no file was written."), NULL);
          else
            export_finished (self, NULL, error);
        }
      export_job_free (job);
      return;
    }
  task = g_task_new (NULL, job->cancellable, export_done_cb, NULL);
  g_task_set_source_tag (task, export_db_opened_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, export_thread);
}

gboolean
tenure_analytics_page_export_to_file (TenureAnalyticsPage *self,
                                      TenureExportReport   report,
                                      const char          *path)
{
  ExportJob *job;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  gboolean group;

  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->exporting || self->db == NULL || !tenure_date_is_valid (self->as_of))
    return FALSE;

  group = g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "group") == 0;
  job = g_new0 (ExportJob, 1);
  job->self = g_object_ref (self);
  job->report = report;
  job->path = g_strdup (path);
  job->project_code = group ? NULL : g_strdup (self->project_code);
  job->as_of = self->as_of;
  g_clear_object (&self->export_cancellable);
  self->export_cancellable = g_cancellable_new ();
  job->cancellable = g_object_ref (self->export_cancellable);

  self->exporting = TRUE;
  g_clear_handle_id (&self->export_hide_id, g_source_remove);
  show_error (self, NULL);
  name = g_path_get_basename (path);
  /* TRANSLATORS: exporting a report ("rent roll") to a file name */
  message = g_strdup_printf (_("Exporting the %s to %s…"), report_label (report), name);
  gtk_label_set_text (self->export_label, message);
  gtk_progress_bar_set_fraction (self->export_progress, 0.0);
  gtk_progress_bar_set_text (self->export_progress, NULL);
  gtk_widget_set_visible (self->export_cancel, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "analytics.cancel-export", TRUE);
  gtk_widget_set_visible (self->export_bar, TRUE);

  /* Its own connection: the dashboard's worker may be loading at the same time. */
  tenure_open_database_async (self->location, TENURE_DB_OPEN_DEFAULT, NULL,
                              self->export_cancellable, export_db_opened_cb, job);
  return TRUE;
}

gboolean
tenure_analytics_page_is_exporting (TenureAnalyticsPage *self)
{
  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), FALSE);
  return self->exporting;
}

void
tenure_analytics_page_cancel_export (TenureAnalyticsPage *self)
{
  g_return_if_fail (TENURE_IS_ANALYTICS_PAGE (self));
  if (self->exporting && self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

GtkProgressBar *
tenure_analytics_page_get_export_progress (TenureAnalyticsPage *self)
{
  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), NULL);
  return self->export_progress;
}

GtkLabel *
tenure_analytics_page_get_export_label (TenureAnalyticsPage *self)
{
  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), NULL);
  return self->export_label;
}

static void
chooser_response_cb (TenureAnalyticsPage  *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autoptr(GError) error = g_error_new (TENURE_ERROR, TENURE_ERROR_IO,
                                             _("%s is not a local file"),
                                             g_file_peek_path (file));
      show_error (self, error);
      return;
    }
  if (!g_str_has_suffix (path, ".xlsx"))
    {
      char *with_suffix = g_strconcat (path, ".xlsx", NULL);
      g_free (path);
      path = with_suffix;
    }
  tenure_analytics_page_export_to_file (self, self->chooser_report, path);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TenureAnalyticsPage *self = TENURE_ANALYTICS_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *date = format_date (self->as_of);
  g_autofree char *name = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  TenureExportReport report;
  gboolean group;

  if (self->chooser != NULL || self->exporting || self->db == NULL)
    return;
  if (!tenure_export_report_parse (g_variant_get_string (parameter, NULL), &report, &error))
    {
      show_error (self, error);
      return;
    }
  group = g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "group") == 0;
  name = g_strdup_printf ("%s-%s-%s.xlsx", g_variant_get_string (parameter, NULL),
                          group || self->project_code == NULL ? "all" : self->project_code,
                          date);
  chooser = gtk_file_chooser_native_new (_("Export to Excel"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Excel workbooks"));
  gtk_file_filter_add_pattern (filter, "*.xlsx");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  self->chooser_report = report;
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
cancel_export_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  tenure_analytics_page_cancel_export (TENURE_ANALYTICS_PAGE (widget));
}

/* Accessors for tests -------------------------------------------------------------------- */

static int
tile_index (const char *tile)
{
  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    if (g_strcmp0 (tiles[i].id, tile) == 0)
      return i;
  return -1;
}

GtkLabel *
tenure_analytics_page_get_tile_value (TenureAnalyticsPage *self,
                                      const char          *tile)
{
  int i = tile_index (tile);

  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), NULL);
  return i >= 0 ? self->tile_values[i] : NULL;
}

GtkLabel *
tenure_analytics_page_get_tile_detail (TenureAnalyticsPage *self,
                                       const char          *tile)
{
  int i = tile_index (tile);

  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), NULL);
  return i >= 0 ? self->tile_details[i] : NULL;
}

TenureChart *
tenure_analytics_page_get_chart (TenureAnalyticsPage *self,
                                 const char          *chart)
{
  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), NULL);
  if (g_strcmp0 (chart, "group") == 0)
    return self->group_chart;
  for (guint c = 0; c < N_CHARTS; c++)
    if (g_strcmp0 (chart_ids[c], chart) == 0)
      return self->charts[c];
  return NULL;
}

TenureDashboardList *
tenure_analytics_page_get_last_list (TenureAnalyticsPage *self)
{
  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), NULL);
  return self->last_list;
}

GtkColumnView *
tenure_analytics_page_get_group_view (TenureAnalyticsPage *self)
{
  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), NULL);
  return self->group_view;
}

const TenureDashboardKpis *
tenure_analytics_page_get_group_row (TenureAnalyticsPage *self,
                                     guint                position)
{
  GListModel *model;
  g_autoptr(TenureProjectKpis) row = NULL;

  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), NULL);
  model = G_LIST_MODEL (gtk_column_view_get_model (self->group_view));
  row = g_list_model_get_item (model, position);
  /* The store keeps the row alive after this reference goes. */
  return row ? &row->kpis : NULL;
}

const TenureDashboardData *
tenure_analytics_page_get_data (TenureAnalyticsPage *self)
{
  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), NULL);
  return self->data;
}

const TenureDashboardData *
tenure_analytics_page_get_group_data (TenureAnalyticsPage *self)
{
  g_return_val_if_fail (TENURE_IS_ANALYTICS_PAGE (self), NULL);
  return self->group_data;
}

/* Building the page ----------------------------------------------------------------------- */

static GtkWidget *
build_tile (TenureAnalyticsPage *self,
            guint                i)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *caption = gtk_label_new (_(tiles[i].caption));
  GtkWidget *value = gtk_label_new ("—");
  GtkWidget *detail = gtk_label_new ("");

  gtk_label_set_xalign (GTK_LABEL (caption), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_widget_add_css_class (caption, "caption-heading");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0.0f);
  gtk_widget_add_css_class (value, "title-2");
  gtk_widget_add_css_class (value, "numeric");
  gtk_label_set_xalign (GTK_LABEL (detail), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "card");
  gtk_widget_set_size_request (button, 170, -1);
  g_autofree char *name = g_strconcat ("tile-", tiles[i].id, NULL);
  gtk_widget_set_name (button, name);
  gtk_widget_set_tooltip_text (button, _("Show the list behind this number"));
  g_object_set_data (G_OBJECT (button), "tile", (gpointer) tiles[i].id);
  g_signal_connect (button, "clicked", G_CALLBACK (tile_clicked_cb), self);

  self->tile_values[i] = GTK_LABEL (value);
  self->tile_details[i] = GTK_LABEL (detail);
  self->tile_buttons[i] = button;
  return button;
}

static TenureChart *
build_chart (TenureAnalyticsPage *self,
             ChartId              id)
{
  TenureChart *chart;

  switch (id)
    {
    case CHART_REVENUE:
      chart = tenure_donut_chart_new ();
      tenure_chart_set_title (chart, _("Revenue by charge item, last 12 months"));
      tenure_chart_set_unit (chart, TENURE_CHART_UNIT_MONEY_FEN);
      break;
    case CHART_OCCUPANCY:
      chart = tenure_line_chart_new ();
      tenure_chart_set_title (chart, _("Occupancy at each month end"));
      tenure_chart_set_unit (chart, TENURE_CHART_UNIT_RATIO_PPM);
      break;
    case CHART_COLLECTION:
      chart = tenure_bar_chart_new (FALSE);
      tenure_chart_set_title (chart, _("Collection by due month"));
      tenure_chart_set_unit (chart, TENURE_CHART_UNIT_MONEY_FEN);
      break;
    case CHART_AGING:
      chart = tenure_bar_chart_new (TRUE);
      tenure_chart_set_title (chart, _("Aging of open items (days past due)"));
      tenure_chart_set_unit (chart, TENURE_CHART_UNIT_MONEY_FEN);
      break;
    case CHART_EXPIRY:
      chart = tenure_bar_chart_new (FALSE);
      tenure_chart_set_title (chart, _("Expiry density, next 24 months"));
      tenure_chart_set_unit (chart, TENURE_CHART_UNIT_AREA_C);
      break;
    case CHART_VACANCY:
      chart = tenure_bar_chart_new (FALSE);
      tenure_chart_set_title (chart, _("Vacancy and rent-free loss by month"));
      tenure_chart_set_unit (chart, TENURE_CHART_UNIT_MONEY_FEN);
      break;
    case CHART_CASH_FLOW:
      chart = tenure_bar_chart_new (FALSE);
      tenure_chart_set_title (chart, _("Cash-flow forecast, next 12 months"));
      tenure_chart_set_unit (chart, TENURE_CHART_UNIT_MONEY_FEN);
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_widget_set_size_request (GTK_WIDGET (chart), 380, 300);
  gtk_widget_set_name (GTK_WIDGET (chart), chart_ids[id]);
  g_object_set_data (G_OBJECT (chart), "chart-id", GUINT_TO_POINTER (id));
  g_signal_connect (chart, "point-activated", G_CALLBACK (chart_activated_cb), self);
  return chart;
}

/* Group table columns: the text of a cell and the key it sorts by. */
typedef enum
{
  COL_PROJECT,
  COL_OCCUPANCY_AREA,
  COL_OCCUPANCY_UNITS,
  COL_WALE,
  COL_COLLECTION,
  COL_ARREARS,
  COL_VACANCY_LOSS,
  COL_EXPIRING,
  N_COLS
} GroupColumn;

static const char *group_titles[N_COLS] = {
  N_("Project"), N_("Occupancy by area"), N_("Occupancy by units"), N_("WALE"),
  N_("Collection rate"), N_("Arrears"), N_("Vacancy loss this month"),
  N_("Leases expiring in 90 days"),
};

static gint64
group_key (const TenureDashboardKpis *k,
           GroupColumn                column)
{
  switch (column)
    {
    case COL_OCCUPANCY_AREA:
      return k->leasable_area_c > 0 ? tenure_kpi_ppm (k->leased_area_c, k->leasable_area_c)
                                    : -1;
    case COL_OCCUPANCY_UNITS:
      return k->units > 0 ? tenure_kpi_ppm (k->leased_units, k->units) : -1;
    case COL_WALE:
      return k->wale_rent_centi;
    case COL_COLLECTION:
      return k->collection_due > 0 ? tenure_kpi_ppm (k->collection_received, k->collection_due)
                                   : -1;
    case COL_ARREARS:
      return k->arrears;
    case COL_VACANCY_LOSS:
      return k->vacancy_loss;
    case COL_EXPIRING:
      return k->expiring_leases;
    case COL_PROJECT:
    case N_COLS:
    default:
      return 0;
    }
}

static char *
group_text (const TenureDashboardKpis *k,
            GroupColumn                column)
{
  switch (column)
    {
    case COL_PROJECT:
      return g_strdup (k->name);
    case COL_OCCUPANCY_AREA:
      return format_ratio (k->leased_area_c, k->leasable_area_c);
    case COL_OCCUPANCY_UNITS:
      return format_ratio (k->leased_units, k->units);
    case COL_WALE:
      return format_years (k->wale_rent_centi);
    case COL_COLLECTION:
      return format_ratio (k->collection_received, k->collection_due);
    case COL_ARREARS:
      return format_money (k->arrears);
    case COL_VACANCY_LOSS:
      return format_money (k->vacancy_loss);
    case COL_EXPIRING:
      return tenure_chart_format_value (TENURE_CHART_UNIT_COUNT, k->expiring_leases, 0);
    case N_COLS:
    default:
      return g_strdup ("");
    }
}

/* A click on a figure of the group table opens the list behind it. */
static void
group_cell_released_cb (GtkGestureClick *gesture,
                        int              n_press,
                        double           x,
                        double           y,
                        GtkWidget       *label)
{
  TenureAnalyticsPage *self = g_object_get_data (G_OBJECT (label), "page");
  GtkListItem *item = g_object_get_data (G_OBJECT (label), "item");
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "column"));
  TenureProjectKpis *row = item != NULL ? gtk_list_item_get_item (item) : NULL;

  if (self == NULL || row == NULL || column == COL_PROJECT || column > G_N_ELEMENTS (tiles))
    return;
  tenure_analytics_page_open_group_cell (self, row->kpis.code, tiles[column - 1].id);
}

static void
group_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gboolean is_name = GPOINTER_TO_UINT (user_data) == COL_PROJECT;

  if (!is_name)
    {
      GtkGesture *click = gtk_gesture_click_new ();

      g_object_set_data (G_OBJECT (label), "page",
                         g_object_get_data (G_OBJECT (factory), "page"));
      g_object_set_data (G_OBJECT (label), "item", item);
      g_object_set_data (G_OBJECT (label), "column", user_data);
      g_signal_connect (click, "released", G_CALLBACK (group_cell_released_cb), label);
      gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (click));
      gtk_widget_set_cursor_from_name (label, "pointer");
      gtk_widget_set_tooltip_text (label, _("Show the list behind this figure"));
    }

  /* Figures are never elided (a cut-off amount misleads); long project names are, after a
   * width that shows most of them. */
  gtk_label_set_xalign (GTK_LABEL (label), is_name ? 0 : 1);
  if (is_name)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 14);
    }
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
group_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  TenureProjectKpis *row = gtk_list_item_get_item (item);
  g_autofree char *text = group_text (&row->kpis, GPOINTER_TO_UINT (user_data));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static int
group_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const TenureDashboardKpis *ka = &((TenureProjectKpis *) a)->kpis;
  const TenureDashboardKpis *kb = &((TenureProjectKpis *) b)->kpis;
  GroupColumn column = GPOINTER_TO_UINT (user_data);
  int c;

  if (column == COL_PROJECT)
    c = g_utf8_collate (ka->name ? ka->name : "", kb->name ? kb->name : "");
  else
    {
      gint64 va = group_key (ka, column), vb = group_key (kb, column);
      c = va < vb ? -1 : va > vb ? 1 : 0;
    }
  return c < 0 ? GTK_ORDERING_SMALLER : c > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
build_group (TenureAnalyticsPage *self)
{
  g_autoptr(GtkSortListModel) sorted = NULL;

  for (guint c = 0; c < N_COLS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      GtkSorter *sorter;

      g_object_set_data (G_OBJECT (factory), "page", self);
      g_signal_connect (factory, "setup", G_CALLBACK (group_setup_cb), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (group_bind_cb), GUINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(group_titles[c]), factory);
      sorter = GTK_SORTER (gtk_custom_sorter_new (group_compare, GUINT_TO_POINTER (c), NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, c == COL_PROJECT);
      gtk_column_view_append_column (self->group_view, column);
      if (c == COL_COLLECTION)
        self->group_collection_column = column;
      g_object_unref (sorter);
      g_object_unref (column);
    }
  self->group_rows = g_list_store_new (TENURE_TYPE_PROJECT_KPIS);
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->group_rows)),
                                    g_object_ref (gtk_column_view_get_sorter (self->group_view)));
  gtk_column_view_set_model (self->group_view, GTK_SELECTION_MODEL (
    gtk_single_selection_new (G_LIST_MODEL (g_steal_pointer (&sorted)))));

  self->group_chart = tenure_bar_chart_new (FALSE);
  tenure_chart_set_title (self->group_chart, _("Occupancy and collection rate by project"));
  tenure_chart_set_unit (self->group_chart, TENURE_CHART_UNIT_RATIO_PPM);
  gtk_widget_set_size_request (GTK_WIDGET (self->group_chart), -1, 300);
  gtk_widget_set_name (GTK_WIDGET (self->group_chart), "group");
  g_signal_connect (self->group_chart, "point-activated",
                    G_CALLBACK (group_chart_activated_cb), self);
  gtk_box_append (self->group_box, GTK_WIDGET (self->group_chart));
}

static void
tenure_analytics_page_map (GtkWidget *widget)
{
  TenureAnalyticsPage *self = TENURE_ANALYTICS_PAGE (widget);

  GTK_WIDGET_CLASS (tenure_analytics_page_parent_class)->map (widget);
  if (self->needs_load)
    start_load (self);
}

static void
tenure_analytics_page_dispose (GObject *object)
{
  TenureAnalyticsPage *self = TENURE_ANALYTICS_PAGE (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  self->exporting = FALSE;
  g_clear_handle_id (&self->export_hide_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->last_list != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->last_list), (gpointer *) &self->last_list);
  self->last_list = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (object), TENURE_TYPE_ANALYTICS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->group_rows);
  g_clear_object (&self->worker_db);
  g_clear_object (&self->parallel_db);
  g_clear_object (&self->db);
  g_clear_object (&self->projects);
  g_clear_pointer (&self->data, tenure_dashboard_data_free);
  g_clear_pointer (&self->group_data, tenure_dashboard_data_free);
  g_clear_pointer (&self->revenue_keys, g_strfreev);
  g_clear_pointer (&self->forecast_keys, g_strfreev);
  g_clear_pointer (&self->slice_keys, g_hash_table_unref);

  G_OBJECT_CLASS (tenure_analytics_page_parent_class)->dispose (object);
}

static void
tenure_analytics_page_finalize (GObject *object)
{
  TenureAnalyticsPage *self = TENURE_ANALYTICS_PAGE (object);

  g_free (self->location);
  g_free (self->project_code);
  G_OBJECT_CLASS (tenure_analytics_page_parent_class)->finalize (object);
}

static void
tenure_analytics_page_class_init (TenureAnalyticsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tenure_analytics_page_dispose;
  object_class->finalize = tenure_analytics_page_finalize;
  widget_class->map = tenure_analytics_page_map;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/tenure/Tenure/tenure-analytics-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, scope_label);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, as_of_button);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, calendar);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, tiles_box);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, charts_box);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, group_box);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, group_view);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, export_bar);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, export_label);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, export_progress);
  gtk_widget_class_bind_template_child (widget_class, TenureAnalyticsPage, export_cancel);
  gtk_widget_class_bind_template_callback (widget_class, calendar_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, group_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "analytics.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "analytics.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "analytics.cancel-export", NULL,
                                   cancel_export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "analytics.refresh", NULL);
}

static void
tenure_analytics_page_init (TenureAnalyticsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    gtk_flow_box_append (self->tiles_box, build_tile (self, i));
  for (guint c = 0; c < N_CHARTS; c++)
    {
      self->charts[c] = build_chart (self, c);
      gtk_flow_box_append (self->charts_box, GTK_WIDGET (self->charts[c]));
    }
  {
    const char *slices[] = { _("Charge item and amount"), _("Project"), _("Building"),
                             _("Format"), _("Area band"), _("Remaining lease term"),
                             _("Price band"), NULL };
    GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
    GtkWidget *label = gtk_label_new (_("Slice revenue and forecast by"));

    self->slice_dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (slices));
    gtk_widget_set_name (GTK_WIDGET (self->slice_dropdown), "slice-by");
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->slice_dropdown),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Slice revenue and forecast by"), -1);
    g_signal_connect (self->slice_dropdown, "notify::selected",
                      G_CALLBACK (slice_selected_cb), self);
    gtk_box_append (GTK_BOX (row), label);
    gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->slice_dropdown));
    gtk_widget_set_halign (row, GTK_ALIGN_END);
    gtk_widget_insert_before (row, gtk_widget_get_parent (GTK_WIDGET (self->charts_box)),
                              GTK_WIDGET (self->charts_box));
  }
  build_group (self);
  update_scope_label (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "analytics.cancel-export", FALSE);
}
