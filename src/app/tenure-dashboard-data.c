/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-dashboard"

#include "tenure-dashboard-data.h"

#include <glib/gi18n.h>
#include <string.h>
#include <time.h>

#include "base/tenure-error.h"
#include "portfolio/tenure-portfolio.h"

/* Everything is computed from what the core hands out (KPI engine, rent roll, open items):
 * no SQL here. Totals and the lists behind them come from the same rows, so a list always
 * adds up to the number that opened it. */

TenureDashboardAging
tenure_dashboard_aging_for (TenureDate due,
                         TenureDate as_of)
{
  gint64 days = (gint64) as_of - due;

  if (days <= 0)
    return TENURE_DASHBOARD_AGING_NOT_DUE;
  if (days <= 30)
    return TENURE_DASHBOARD_AGING_1_30;
  if (days <= 60)
    return TENURE_DASHBOARD_AGING_31_60;
  if (days <= 90)
    return TENURE_DASHBOARD_AGING_61_90;
  if (days <= 180)
    return TENURE_DASHBOARD_AGING_91_180;
  if (days <= 365)
    return TENURE_DASHBOARD_AGING_181_365;
  return TENURE_DASHBOARD_AGING_OVER_365;
}

const char *
tenure_dashboard_aging_label (TenureDashboardAging bucket)
{
  switch (bucket)
    {
    case TENURE_DASHBOARD_AGING_NOT_DUE:
      return _("Not due");
    case TENURE_DASHBOARD_AGING_1_30:
      return _("1–30");
    case TENURE_DASHBOARD_AGING_31_60:
      return _("31–60");
    case TENURE_DASHBOARD_AGING_61_90:
      return _("61–90");
    case TENURE_DASHBOARD_AGING_91_180:
      return _("91–180");
    case TENURE_DASHBOARD_AGING_181_365:
      return _("181–365");
    case TENURE_DASHBOARD_AGING_OVER_365:
      return _("> 365");
    default:
      g_return_val_if_reached ("");
    }
}

static void
kpis_clear (TenureDashboardKpis *kpis)
{
  g_clear_pointer (&kpis->code, g_free);
  g_clear_pointer (&kpis->name, g_free);
}

static void
kpis_free (gpointer data)
{
  kpis_clear (data);
  g_free (data);
}

void
tenure_dashboard_data_free (TenureDashboardData *data)
{
  if (data == NULL)
    return;
  g_free (data->project_code);
  kpis_clear (&data->kpis);
  g_clear_pointer (&data->charge_codes, g_ptr_array_unref);
  g_clear_pointer (&data->charge_names, g_ptr_array_unref);
  g_clear_pointer (&data->charge_billed, g_array_unref);
  g_clear_pointer (&data->aging_codes, g_ptr_array_unref);
  g_clear_pointer (&data->aging_names, g_ptr_array_unref);
  g_clear_pointer (&data->aging, g_array_unref);
  g_clear_pointer (&data->expiry, g_free);
  g_clear_pointer (&data->rent_roll, g_ptr_array_unref);
  g_clear_pointer (&data->open_items, g_ptr_array_unref);
  for (guint m = 0; m < TENURE_DASHBOARD_MONTHS; m++)
    g_clear_pointer (&data->vacancy_buildings[m], g_ptr_array_unref);
  g_clear_pointer (&data->projects, g_ptr_array_unref);
  g_free (data);
}

gint64
tenure_dashboard_vacant_area_c (const TenureRentRollRow *row)
{
  if (g_strcmp0 (row->stored_status, "not_for_lease") == 0)
    return 0;
  if (!row->leased)
    return row->leasable_area_c;
  return MAX (0, row->leasable_area_c - MIN (row->leased_area_c, row->leasable_area_c));
}

gboolean
tenure_dashboard_row_expiring (const TenureRentRollRow *row,
                               TenureDate               as_of)
{
  return row->leased && tenure_date_is_valid (row->end)
         && row->end <= tenure_date_add_days (as_of, TENURE_DASHBOARD_EXPIRING_DAYS);
}

int
tenure_dashboard_month_index (const TenureDashboardData *data,
                              TenureDate                 date)
{
  TenureDate first = tenure_date_period_start (date, TENURE_PERIOD_MONTH);

  for (int m = 0; m < TENURE_DASHBOARD_MONTHS; m++)
    if (data->months[m] == first)
      return m;
  return -1;
}

/* Wall and thread CPU time of each part, for the debug log (G_MESSAGES_DEBUG=tenure-dashboard):
 * the loader runs in a worker thread, so the thread's CPU is the one to read. */
typedef struct
{
  gint64 wall;
  double cpu;
} PartClock;

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
part_start (PartClock *clock)
{
  clock->wall = g_get_monotonic_time ();
  clock->cpu = thread_cpu_ms ();
}

static void
part_done (PartClock  *clock,
           const char *what)
{
  g_debug ("%s: %.1f ms wall, %.1f ms CPU", what,
           (g_get_monotonic_time () - clock->wall) / 1000.0, thread_cpu_ms () - clock->cpu);
  part_start (clock);
}

static gboolean
check_cancelled (GCancellable  *cancellable,
                 GError       **error)
{
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Code → (id, name) of every project, from the asset tree. */
typedef struct
{
  gint64  id;
  char   *code;
  char   *name;
} ProjectRef;

static void
project_ref_free (gpointer data)
{
  ProjectRef *ref = data;

  g_free (ref->code);
  g_free (ref->name);
  g_free (ref);
}

static GPtrArray *
load_projects (TenureDb  *db,
               GError   **error)
{
  g_autoptr(GListModel) tree = tenure_portfolio_list_asset_tree (db, error);
  g_autoptr(GPtrArray) projects = NULL;

  if (tree == NULL)
    return NULL;
  projects = g_ptr_array_new_with_free_func (project_ref_free);
  for (guint i = 0; i < g_list_model_get_n_items (tree); i++)
    {
      g_autoptr(TenureAssetNode) entity = g_list_model_get_item (tree, i);
      GListModel *children = G_LIST_MODEL (entity->children);

      for (guint j = 0; children != NULL && j < g_list_model_get_n_items (children); j++)
        {
          g_autoptr(TenureAssetNode) project = g_list_model_get_item (children, j);
          ProjectRef *ref = g_new0 (ProjectRef, 1);

          ref->id = project->id;
          ref->code = g_strdup (project->code);
          ref->name = g_strdup (project->name);
          g_ptr_array_add (projects, ref);
        }
    }
  return g_steal_pointer (&projects);
}

static int
compare_project_refs (gconstpointer a,
                      gconstpointer b)
{
  const ProjectRef *pa = *(ProjectRef * const *) a;
  const ProjectRef *pb = *(ProjectRef * const *) b;

  return strcmp (pa->code, pb->code);
}

gint64
tenure_dashboard_item_billed (const TenureOpenItem *item)
{
  return MAX (0, item->amount - item->credited);
}

gboolean
tenure_dashboard_item_in_revenue (const TenureDashboardData *data,
                                  const TenureOpenItem      *item)
{
  return !item->is_deposit && item->period_start >= data->months[0]
         && item->period_start <= tenure_date_period_end (data->as_of, TENURE_PERIOD_MONTH);
}

/* Leases ending within the expiring window, counted once per contract. */
static void
fill_expiring (TenureDashboardKpis *kpis,
               GPtrArray           *rent_roll,
               const char          *project_code,
               TenureDate           as_of)
{
  g_autoptr(GHashTable) contracts = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < rent_roll->len; i++)
    {
      TenureRentRollRow *row = g_ptr_array_index (rent_roll, i);

      if (project_code != NULL && g_strcmp0 (row->project_code, project_code) != 0)
        continue;
      if (!tenure_dashboard_row_expiring (row, as_of))
        continue;
      kpis->expiring_area_c += row->leased_area_c;
      if (row->contract_code != NULL && g_hash_table_add (contracts, row->contract_code))
        kpis->expiring_leases++;
    }
}

static guint
code_index (GPtrArray  *codes,
            const char *code)
{
  guint index;

  if (g_ptr_array_find_with_equal_func (codes, code, g_str_equal, &index))
    return index;
  g_ptr_array_add (codes, g_strdup (code));
  return codes->len - 1;
}

/* The name of each charge item code, from the rent roll (codes it lacks keep the code). */
static const char *
charge_name (TenureDashboardData *data,
             const char          *code)
{
  for (guint i = 0; i < data->rent_roll->len; i++)
    {
      TenureRentRollRow *row = g_ptr_array_index (data->rent_roll, i);

      for (guint c = 0; row->charges != NULL && c < row->charges->len; c++)
        {
          TenureRentRollCharge *charge = g_ptr_array_index (row->charges, c);

          if (g_strcmp0 (charge->charge_code, code) == 0 && charge->charge_name != NULL)
            return charge->charge_name;
        }
    }
  return code;
}

/* Revenue, collection, aging totals, expiry and the forecast from the engine's dashboard. */
static void
fill_from_engine (TenureDashboardData      *data,
                  const TenureKpiDashboard *dash)
{
  TenureDashboardKpis *k = &data->kpis;

  k->units = dash->units;
  k->leased_units = dash->leased_units;
  k->leasable_area_c = dash->leasable_area_c;
  k->leased_area_c = dash->leased_area_c;
  k->monthly_rent = dash->monthly_rent;
  k->collection_due = dash->collection.due;
  k->collection_received = dash->collection.received;
  k->arrears = dash->aging.total - dash->aging.open[0];
  k->vacancy_loss = dash->vacancy_loss;
  k->rent_free_loss = dash->rent_free_loss;

  data->charge_codes = g_ptr_array_new_with_free_func (g_free);
  data->charge_names = g_ptr_array_new_with_free_func (g_free);
  data->charge_billed = g_array_new (FALSE, TRUE, sizeof (gint64));
  for (guint i = 0; i < dash->revenue->len; i++)
    {
      TenureKpiRevenue *r = g_ptr_array_index (dash->revenue, i);

      g_ptr_array_add (data->charge_codes, g_strdup (r->key));
      g_ptr_array_add (data->charge_names, g_strdup (r->charge_name ? r->charge_name : r->key));
      g_array_append_val (data->charge_billed, r->billed);
    }

  for (guint i = 0; i < dash->collection_series->len; i++)
    {
      TenureKpiCollection *c = g_ptr_array_index (dash->collection_series, i);
      int m = tenure_dashboard_month_index (data, c->month);

      if (m < 0)
        continue;
      data->due[m] = c->due;
      data->received[m] = c->received;
    }

  G_STATIC_ASSERT (TENURE_KPI_AGING_BUCKETS == TENURE_DASHBOARD_AGING_BUCKETS);
  for (guint b = 0; b < TENURE_DASHBOARD_AGING_BUCKETS; b++)
    data->aging_total[b] = dash->aging.open[b];

  data->expiry = g_memdup2 (&dash->expiry, sizeof dash->expiry);
  data->expiry->key = NULL;

  data->renewal_ppm = dash->renewal_ppm;
  for (guint m = 0; m < TENURE_KPI_FORECAST_MONTHS; m++)
    {
      data->forecast_months[m] = dash->cash_flow[m].month;
      data->contractual[m] = dash->cash_flow[m].contractual;
      data->expected[m] = dash->cash_flow[m].expected;
      data->renewal_expected[m] = dash->cash_flow[m].renewal_expected;
    }
}

/* The aging split by charge item, from the open items (the engine gives bucket totals). */
static void
fill_aging_split (TenureDashboardData *data)
{
  guint n_buckets = TENURE_DASHBOARD_AGING_BUCKETS;

  data->aging_codes = g_ptr_array_new_with_free_func (g_free);
  data->aging_names = g_ptr_array_new_with_free_func (g_free);
  data->aging = g_array_new (FALSE, TRUE, sizeof (gint64));
  /* Series in the revenue donut's order first, so colours tell the same charge item. */
  for (guint c = 0; c < data->charge_codes->len; c++)
    {
      g_ptr_array_add (data->aging_codes, g_strdup (g_ptr_array_index (data->charge_codes, c)));
      g_ptr_array_add (data->aging_names, g_strdup (g_ptr_array_index (data->charge_names, c)));
    }
  for (guint i = 0; i < data->open_items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (data->open_items, i);
      guint k;

      if (item->open <= 0)
        continue;
      k = code_index (data->aging_codes, item->charge_item_code);
      if (k == data->aging_names->len)
        {
          const char *name = charge_name (data, item->charge_item_code);

          /* Deposits are neither revenue nor in the rent roll's charges: name them here. */
          g_ptr_array_add (data->aging_names,
                           g_strdup (item->is_deposit && name == item->charge_item_code
                                     ? _("Deposit") : name));
        }
      g_array_set_size (data->aging, MAX (data->aging->len, (k + 1) * n_buckets));
      g_array_index (data->aging, gint64,
                     k * n_buckets + tenure_dashboard_aging_for (item->due_date, data->as_of))
        += item->open;
    }
  g_array_set_size (data->aging, data->aging_codes->len * n_buckets);
}

static gboolean
fill_series (TenureDashboardData  *data,
             TenureDb             *db,
             GCancellable         *cancellable,
             GError              **error)
{
  g_autoptr(GPtrArray) series = NULL;
  TenureDate first = data->months[0];
  TenureDate last = tenure_date_period_end (data->as_of, TENURE_PERIOD_MONTH);
  PartClock clock;

  part_start (&clock);
  series = tenure_kpi_occupancy_series (db, first, last, data->project_code, error);
  if (series == NULL)
    return FALSE;
  for (guint i = 0; i < series->len; i++)
    {
      TenureKpiOccupancy *o = g_ptr_array_index (series, i);
      TenureDate end;
      int m;

      if (!tenure_date_parse_iso (o->key, &end, NULL))
        continue;
      m = tenure_dashboard_month_index (data, end);
      if (m < 0)
        continue;
      data->occupancy_area_ppm[m] = tenure_kpi_ppm (o->leased_area_c, o->leasable_area_c);
      data->occupancy_units_ppm[m] = tenure_kpi_ppm (o->leased_units, o->units);
    }
  part_done (&clock, "occupancy series");

  if (!check_cancelled (cancellable, error))
    return FALSE;
  /* Each month by building, from one read of the units and leases: each bar of a past month
   * is the sum of its buildings (each rounded once), so its list adds up to it exactly; the
   * as-of month's bar is the engine's own total (the tile's), its list closing with a
   * rounding row. */
  g_clear_pointer (&series, g_ptr_array_unref);
  series = tenure_kpi_vacancy_loss_series (db, first, data->as_of, data->project_code,
                                           TENURE_KPI_BY_BUILDING, error);
  if (series == NULL)
    return FALSE;
  for (guint m = 0; m < TENURE_DASHBOARD_MONTHS && m < series->len; m++)
    {
      GPtrArray *rows = g_ptr_array_ref (g_ptr_array_index (series, m));

      data->vacancy_buildings[m] = rows;
      for (guint i = 0; i < rows->len; i++)
        {
          TenureKpiVacancyLoss *row = g_ptr_array_index (rows, i);

          data->vacancy_loss[m] += row->vacancy_loss;
          data->rent_free_loss[m] += row->rent_free_loss;
        }
    }
  part_done (&clock, "vacancy loss by month and building");
  data->vacancy_loss[TENURE_DASHBOARD_MONTHS - 1] = data->kpis.vacancy_loss;
  data->rent_free_loss[TENURE_DASHBOARD_MONTHS - 1] = data->kpis.rent_free_loss;
  return TRUE;
}

static gboolean
load_rent_roll (TenureDashboardData  *data,
                TenureDb             *db,
                GCancellable         *cancellable,
                GError              **error)
{
  PartClock clock;

  part_start (&clock);
  data->rent_roll = tenure_kpi_rent_roll (db, data->as_of, data->project_code, error);
  if (data->rent_roll == NULL || !check_cancelled (cancellable, error))
    return FALSE;
  part_done (&clock, "rent roll");
  return TRUE;
}

static gboolean
load_items (TenureDashboardData  *data,
            TenureDb             *db,
            gint64                project_id,
            GCancellable         *cancellable,
            GError              **error)
{
  TenureOpenItemFilter filter = { 0 };
  PartClock clock;

  if (!load_rent_roll (data, db, cancellable, error))
    return FALSE;
  part_start (&clock);
  filter.project_id = project_id;
  filter.as_of = data->as_of;
  filter.currency = "CNY";  /* the engine's dashboard currency; others are never summed in */
  filter.include_settled = TRUE;
  filter.breakdown = TRUE;
  data->open_items = tenure_open_items_load (db, &filter, error);
  part_done (&clock, "open items");
  return data->open_items != NULL && check_cancelled (cancellable, error);
}

static gboolean
load_project (TenureDashboardData  *data,
              TenureDb             *db,
              TenureDb             *parallel_db,
              ProjectRef           *project,
              GCancellable         *cancellable,
              GError              **error)
{
  TenureKpiDashboard dash = { 0 };
  TenureKpiDashboardOptions options;
  PartClock clock;

  part_start (&clock);
  data->kpis.project_id = project->id;
  data->kpis.code = g_strdup (project->code);
  data->kpis.name = g_strdup (project->name);

  tenure_kpi_dashboard_options_init (&options);
  options.with_rent_roll = TRUE;
  options.parallel_db = parallel_db;
  if (!tenure_kpi_dashboard (db, project->code, data->as_of, &options, &dash, error))
    return FALSE;
  fill_from_engine (data, &dash);
  data->kpis.wale_rent_centi = dash.wale_by_rent_centi;
  data->kpis.wale_area_centi = dash.wale_by_area_centi;
  /* The engine read the project's open items for collection and aging: the lists behind
   * them are those same items (CNY, settled ones included, with breakdown). */
  data->open_items = g_steal_pointer (&dash.open_items);
  /* and the rent roll is the engine's snapshot of the units behind occupancy and WALE */
  data->rent_roll = g_steal_pointer (&dash.rent_roll);
  tenure_kpi_dashboard_clear (&dash);
  if (!check_cancelled (cancellable, error))
    return FALSE;
  part_done (&clock, "engine dashboard");


  fill_expiring (&data->kpis, data->rent_roll, NULL, data->as_of);
  fill_aging_split (data);
  return fill_series (data, db, cancellable, error);
}

static gboolean
load_group (TenureDashboardData  *data,
            TenureDb             *db,
            GPtrArray            *projects,
            GCancellable         *cancellable,
            GError              **error)
{
  g_autoptr(GPtrArray) rows = tenure_kpi_group_comparison (db, data->as_of, NULL, error);

  if (rows == NULL || !check_cancelled (cancellable, error))
    return FALSE;
  if (!load_items (data, db, 0, cancellable, error))
    return FALSE;

  data->projects = g_ptr_array_new_with_free_func (kpis_free);
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiProjectRow *r = g_ptr_array_index (rows, i);
      TenureDashboardKpis *k = g_new0 (TenureDashboardKpis, 1);

      for (guint j = 0; j < projects->len; j++)
        {
          ProjectRef *ref = g_ptr_array_index (projects, j);
          if (g_strcmp0 (ref->code, r->project_code) == 0)
            k->project_id = ref->id;
        }
      k->code = g_strdup (r->project_code);
      k->name = g_strdup (r->project_name ? r->project_name : r->project_code);
      k->units = r->units;
      k->leased_units = r->leased_units;
      k->leasable_area_c = r->leasable_area_c;
      k->leased_area_c = r->leased_area_c;
      k->monthly_rent = r->monthly_rent;
      k->wale_rent_centi = r->wale_by_rent_centi;
      k->wale_area_centi = -1;
      k->collection_due = r->collection.due;
      k->collection_received = r->collection.received;
      k->arrears = r->overdue;
      k->vacancy_loss = r->vacancy_loss;
      fill_expiring (k, data->rent_roll, r->project_code, data->as_of);
      g_ptr_array_add (data->projects, k);
    }
  return TRUE;
}

TenureDashboardData *
tenure_dashboard_data_load (TenureDb      *db,
                            TenureDb      *parallel_db,
                            const char    *project_code,
                            TenureDate     as_of,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(TenureDashboardData) data = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  TenureDate month = tenure_date_period_start (as_of, TENURE_PERIOD_MONTH);
  ProjectRef *project = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);

  if (!tenure_date_is_valid (as_of))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("The as-of date of the dashboard is not a valid date"));
      return NULL;
    }

  data = g_new0 (TenureDashboardData, 1);
  data->project_code = g_strdup (project_code);
  data->as_of = as_of;
  data->kpis.wale_rent_centi = data->kpis.wale_area_centi = -1;
  for (int m = 0; m < TENURE_DASHBOARD_MONTHS; m++)
    data->months[m] = tenure_date_add_months (month, m - (TENURE_DASHBOARD_MONTHS - 1));

  projects = load_projects (db, error);
  if (projects == NULL)
    return NULL;
  g_ptr_array_sort (projects, compare_project_refs);

  if (project_code == NULL)
    return load_group (data, db, projects, cancellable, error) ? g_steal_pointer (&data) : NULL;

  for (guint i = 0; i < projects->len && project == NULL; i++)
    if (g_strcmp0 (((ProjectRef *) g_ptr_array_index (projects, i))->code, project_code) == 0)
      project = g_ptr_array_index (projects, i);
  if (project == NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("There is no project with the code “%s”"), project_code);
      return NULL;
    }
  /* The engine's figures and the month series from one snapshot of the database. */
  if (!tenure_db_begin_read (db, error))
    return NULL;
  if (!load_project (data, db, parallel_db, project, cancellable, error))
    g_clear_pointer (&data, tenure_dashboard_data_free);
  tenure_db_end_read (db);
  return g_steal_pointer (&data);
}

typedef struct
{
  TenureDb   *db;
  TenureDb   *parallel_db;
  char       *project_code;
  TenureDate  as_of;
} LoadRequest;

static void
load_request_free (LoadRequest *request)
{
  g_clear_object (&request->db);
  g_clear_object (&request->parallel_db);
  g_free (request->project_code);
  g_free (request);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadRequest *request = task_data;
  GError *error = NULL;
  TenureDashboardData *data;

  data = tenure_dashboard_data_load (request->db, request->parallel_db, request->project_code,
                                     request->as_of, cancellable, &error);
  if (data == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, data, (GDestroyNotify) tenure_dashboard_data_free);
}

void
tenure_dashboard_data_load_async (TenureDb            *db,
                                  TenureDb            *parallel_db,
                                  const char          *project_code,
                                  TenureDate           as_of,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadRequest *request = g_new0 (LoadRequest, 1);

  request->db = g_object_ref (db);
  request->parallel_db = parallel_db != NULL ? g_object_ref (parallel_db) : NULL;
  request->project_code = g_strdup (project_code);
  request->as_of = as_of;
  g_task_set_source_tag (task, tenure_dashboard_data_load_async);
  g_task_set_task_data (task, request, (GDestroyNotify) load_request_free);
  /* Keep the connection busy until the worker is really done with it. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, load_thread);
}

TenureDashboardData *
tenure_dashboard_data_load_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
