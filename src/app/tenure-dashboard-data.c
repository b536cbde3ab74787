/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-dashboard"

#include "tenure-dashboard-data.h"

#include <glib/gi18n.h>
#include <string.h>

#include "base/tenure-error.h"
#include "portfolio/tenure-portfolio.h"

/* Everything is computed from what the core hands out (KPI engine, rent roll, open items):
 * no SQL here. Totals and the lists behind them come from the same rows, so a list always
 * adds up to the number that opened it. */

TenureAgingBucket
tenure_aging_bucket_for (TenureDate due,
                         TenureDate as_of)
{
  gint64 days = (gint64) as_of - due;

  if (days <= 0)
    return TENURE_AGING_NOT_DUE;
  if (days <= 30)
    return TENURE_AGING_1_30;
  if (days <= 60)
    return TENURE_AGING_31_60;
  if (days <= 90)
    return TENURE_AGING_61_90;
  if (days <= 180)
    return TENURE_AGING_91_180;
  if (days <= 365)
    return TENURE_AGING_181_365;
  return TENURE_AGING_OVER_365;
}

const char *
tenure_aging_bucket_label (TenureAgingBucket bucket)
{
  switch (bucket)
    {
    case TENURE_AGING_NOT_DUE:
      return _("Not due");
    case TENURE_AGING_1_30:
      return _("1–30");
    case TENURE_AGING_31_60:
      return _("31–60");
    case TENURE_AGING_61_90:
      return _("61–90");
    case TENURE_AGING_91_180:
      return _("91–180");
    case TENURE_AGING_181_365:
      return _("181–365");
    case TENURE_AGING_OVER_365:
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
  g_clear_pointer (&data->expiry_rows, g_ptr_array_unref);
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

/* The KPI row of KEY in ROWS (a keyed array from the engine), or NULL. */
static gpointer
find_keyed (GPtrArray  *rows,
            const char *key)
{
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    if (g_strcmp0 (*(char **) g_ptr_array_index (rows, i), key) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* Occupancy, WALE and the as-of month's vacancy loss of one key into KPIS. */
static void
fill_engine_kpis (TenureDashboardKpis *kpis,
                  GPtrArray           *occupancy,
                  GPtrArray           *wale,
                  GPtrArray           *vacancy,
                  const char          *key)
{
  TenureKpiOccupancy *o = find_keyed (occupancy, key);
  TenureKpiWale *w = find_keyed (wale, key);
  TenureKpiVacancyLoss *v = find_keyed (vacancy, key);

  if (o != NULL)
    {
      kpis->leasable_area_c = o->leasable_area_c;
      kpis->leased_area_c = o->leased_area_c;
      kpis->units = o->units;
      kpis->leased_units = o->leased_units;
    }
  kpis->wale_rent_centi = w ? w->by_rent_centi : -1;
  kpis->wale_area_centi = w ? w->by_area_centi : -1;
  kpis->monthly_rent = w ? w->monthly_rent : 0;
  if (v != NULL)
    {
      kpis->vacancy_loss = v->vacancy_loss;
      kpis->rent_free_loss = v->rent_free_loss;
    }
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

/* Collection of the month of AS_OF and arrears of the open items of PROJECT_ID (0: all). */
static void
fill_item_kpis (TenureDashboardKpis *kpis,
                GPtrArray           *items,
                gint64               project_id,
                TenureDate           as_of)
{
  TenureDate month = tenure_date_period_start (as_of, TENURE_PERIOD_MONTH);
  TenureDate month_end = tenure_date_period_end (as_of, TENURE_PERIOD_MONTH);

  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (items, i);

      if (project_id != 0 && item->project_id != project_id)
        continue;
      if (item->due_date >= month && item->due_date <= month_end)
        {
          kpis->collection_due += tenure_dashboard_item_billed (item);
          kpis->collection_received += item->allocated + item->offset;
        }
      if (item->open > 0 && item->due_date < as_of)
        kpis->arrears += item->open;
    }
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

static void
fill_items (TenureDashboardData *data)
{
  guint n_buckets = TENURE_DASHBOARD_AGING_BUCKETS;

  data->charge_codes = g_ptr_array_new_with_free_func (g_free);
  data->charge_names = g_ptr_array_new_with_free_func (g_free);
  data->charge_billed = g_array_new (FALSE, TRUE, sizeof (gint64));
  data->aging_codes = g_ptr_array_new_with_free_func (g_free);
  data->aging_names = g_ptr_array_new_with_free_func (g_free);
  data->aging = g_array_new (FALSE, TRUE, sizeof (gint64));

  for (guint i = 0; i < data->open_items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (data->open_items, i);
      int m = tenure_dashboard_month_index (data, item->due_date);
      guint k;

      if (m >= 0)
        {
          data->due[m] += tenure_dashboard_item_billed (item);
          data->received[m] += item->allocated + item->offset;
        }
      if (tenure_dashboard_item_in_revenue (data, item))
        {
          k = code_index (data->charge_codes, item->charge_item_code);
          if (k == data->charge_names->len)
            {
              g_ptr_array_add (data->charge_names,
                               g_strdup (charge_name (data, item->charge_item_code)));
              g_array_set_size (data->charge_billed, k + 1);
            }
          g_array_index (data->charge_billed, gint64, k) += tenure_dashboard_item_billed (item);
        }
    }

  /* Aging series in the revenue donut's order first, so colours tell the same charge item. */
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

          /* Deposits are not in the rent roll's charges: name them here. */
          g_ptr_array_add (data->aging_names,
                           g_strdup (item->is_deposit && name == item->charge_item_code
                                     ? _("Deposit") : name));
        }
      g_array_set_size (data->aging, MAX (data->aging->len, (k + 1) * n_buckets));
      g_array_index (data->aging, gint64,
                     k * n_buckets + tenure_aging_bucket_for (item->due_date, data->as_of))
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

  for (guint m = 0; m < TENURE_DASHBOARD_MONTHS; m++)
    {
      TenureDate from = data->months[m];
      TenureDate to = MIN (tenure_date_period_end (from, TENURE_PERIOD_MONTH), data->as_of);
      g_autoptr(GPtrArray) total = NULL;
      TenureKpiVacancyLoss *row;

      if (!check_cancelled (cancellable, error))
        return FALSE;
      total = tenure_kpi_vacancy_loss (db, from, to, data->project_code, TENURE_KPI_BY_NONE,
                                       error);
      if (total == NULL)
        return FALSE;
      row = find_keyed (total, "");
      data->vacancy_loss[m] = row ? row->vacancy_loss : 0;
      data->rent_free_loss[m] = row ? row->rent_free_loss : 0;
      data->vacancy_buildings[m] = tenure_kpi_vacancy_loss (db, from, to, data->project_code,
                                                            TENURE_KPI_BY_BUILDING, error);
      if (data->vacancy_buildings[m] == NULL)
        return FALSE;
    }
  return TRUE;
}

TenureDashboardData *
tenure_dashboard_data_load (TenureDb      *db,
                            const char    *project_code,
                            TenureDate     as_of,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(TenureDashboardData) data = g_new0 (TenureDashboardData, 1);
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GPtrArray) occupancy = NULL;
  g_autoptr(GPtrArray) wale = NULL;
  g_autoptr(GPtrArray) vacancy = NULL;
  TenureOpenItemFilter filter = { 0 };
  TenureDate month = tenure_date_period_start (as_of, TENURE_PERIOD_MONTH);
  ProjectRef *project = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);

  if (!tenure_date_is_valid (as_of))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("The as-of date of the dashboard is not a valid date"));
      return NULL;
    }

  data->project_code = g_strdup (project_code);
  data->as_of = as_of;
  for (int m = 0; m < TENURE_DASHBOARD_MONTHS; m++)
    data->months[m] = tenure_date_add_months (month, m - (TENURE_DASHBOARD_MONTHS - 1));

  projects = load_projects (db, error);
  if (projects == NULL)
    return NULL;
  g_ptr_array_sort (projects, compare_project_refs);
  if (project_code != NULL)
    {
      for (guint i = 0; i < projects->len && project == NULL; i++)
        if (g_strcmp0 (((ProjectRef *) g_ptr_array_index (projects, i))->code,
                       project_code) == 0)
          project = g_ptr_array_index (projects, i);
      if (project == NULL)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                       _("There is no project with the code “%s”"), project_code);
          return NULL;
        }
      data->kpis.project_id = project->id;
      data->kpis.code = g_strdup (project->code);
      data->kpis.name = g_strdup (project->name);
    }

  /* Headline numbers from the KPI engine. */
  occupancy = tenure_kpi_occupancy (db, as_of, project_code, TENURE_KPI_BY_NONE, error);
  if (occupancy == NULL || !check_cancelled (cancellable, error))
    return NULL;
  wale = tenure_kpi_wale (db, as_of, project_code, TENURE_KPI_BY_NONE, error);
  if (wale == NULL || !check_cancelled (cancellable, error))
    return NULL;
  vacancy = tenure_kpi_vacancy_loss (db, month, as_of, project_code, TENURE_KPI_BY_NONE,
                                     error);
  if (vacancy == NULL || !check_cancelled (cancellable, error))
    return NULL;
  fill_engine_kpis (&data->kpis, occupancy, wale, vacancy, "");

  data->expiry_rows = tenure_kpi_expiry (db, as_of, project_code, TENURE_KPI_BY_NONE, error);
  if (data->expiry_rows == NULL || !check_cancelled (cancellable, error))
    return NULL;
  data->expiry = find_keyed (data->expiry_rows, "");

  data->rent_roll = tenure_kpi_rent_roll (db, as_of, project_code, error);
  if (data->rent_roll == NULL || !check_cancelled (cancellable, error))
    return NULL;
  fill_expiring (&data->kpis, data->rent_roll, NULL, as_of);

  filter.project_id = project ? project->id : 0;
  filter.as_of = as_of;
  filter.currency = "CNY";  /* amounts of other currencies are never summed with these */
  filter.include_settled = TRUE;
  filter.breakdown = TRUE;
  data->open_items = tenure_open_items_load (db, &filter, error);
  if (data->open_items == NULL || !check_cancelled (cancellable, error))
    return NULL;
  fill_item_kpis (&data->kpis, data->open_items, 0, as_of);

  fill_items (data);
  if (!fill_series (data, db, cancellable, error))
    return NULL;

  if (project_code == NULL)
    {
      g_autoptr(GPtrArray) by_occupancy = NULL;
      g_autoptr(GPtrArray) by_wale = NULL;
      g_autoptr(GPtrArray) by_vacancy = NULL;

      by_occupancy = tenure_kpi_occupancy (db, as_of, NULL, TENURE_KPI_BY_PROJECT, error);
      if (by_occupancy == NULL || !check_cancelled (cancellable, error))
        return NULL;
      by_wale = tenure_kpi_wale (db, as_of, NULL, TENURE_KPI_BY_PROJECT, error);
      if (by_wale == NULL || !check_cancelled (cancellable, error))
        return NULL;
      by_vacancy = tenure_kpi_vacancy_loss (db, month, as_of, NULL, TENURE_KPI_BY_PROJECT,
                                            error);
      if (by_vacancy == NULL || !check_cancelled (cancellable, error))
        return NULL;

      data->projects = g_ptr_array_new_with_free_func (kpis_free);
      for (guint i = 0; i < projects->len; i++)
        {
          ProjectRef *ref = g_ptr_array_index (projects, i);
          TenureDashboardKpis *kpis = g_new0 (TenureDashboardKpis, 1);

          kpis->project_id = ref->id;
          kpis->code = g_strdup (ref->code);
          kpis->name = g_strdup (ref->name);
          fill_engine_kpis (kpis, by_occupancy, by_wale, by_vacancy, ref->code);
          fill_item_kpis (kpis, data->open_items, ref->id, as_of);
          fill_expiring (kpis, data->rent_roll, ref->code, as_of);
          g_ptr_array_add (data->projects, kpis);
        }
    }

  return g_steal_pointer (&data);
}

typedef struct
{
  TenureDb   *db;
  char       *project_code;
  TenureDate  as_of;
} LoadRequest;

static void
load_request_free (LoadRequest *request)
{
  g_clear_object (&request->db);
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

  data = tenure_dashboard_data_load (request->db, request->project_code, request->as_of,
                                     cancellable, &error);
  if (data == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, data, (GDestroyNotify) tenure_dashboard_data_free);
}

void
tenure_dashboard_data_load_async (TenureDb            *db,
                                  const char          *project_code,
                                  TenureDate           as_of,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadRequest *request = g_new0 (LoadRequest, 1);

  request->db = g_object_ref (db);
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
