/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-kpi"

#include "analytics/tenure-kpi-dashboard.h"

#include <string.h>
#include <time.h>

#include "analytics/tenure-kpi-private.h"
#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

void
tenure_kpi_dashboard_options_init (TenureKpiDashboardOptions *options)
{
  memset (options, 0, sizeof *options);
  options->currency = "CNY";
  options->forecast.renewal_ppm = -1;
}

void
tenure_kpi_dashboard_clear (TenureKpiDashboard *out)
{
  g_free (out->project_code);
  g_free (out->project_name);
  g_clear_pointer (&out->revenue, g_ptr_array_unref);
  g_clear_pointer (&out->collection_series, g_ptr_array_unref);
  g_free (out->collection.key);
  g_free (out->aging.key);
  g_free (out->expiry.key);
  for (guint k = 0; k < TENURE_KPI_FORECAST_MONTHS; k++)
    g_free (out->cash_flow[k].key);
  g_clear_pointer (&out->open_items, g_ptr_array_unref);
  g_clear_pointer (&out->rent_roll, g_ptr_array_unref);
  memset (out, 0, sizeof *out);
}

/* Process CPU time in ms, for the debug log of each part (wall time on a busy machine says
 * little). */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static gboolean
project_name_of (TenureDb    *db,
                 const char  *code,
                 char       **name,
                 GError     **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, "SELECT name FROM project WHERE code = $1",
                                                  error);
  GError *local = NULL;

  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, code);
  if (tenure_stmt_step (stmt, &local))
    {
      *name = g_strdup (tenure_stmt_column_text (stmt, 0));
      return TRUE;
    }
  if (local != NULL)
    g_propagate_error (error, local);
  else
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND, _("No project “%s”"), code);
  return FALSE;
}

/* Moves the single row of ROWS (a one-row GPtrArray of SIZE-byte keyed rows) into DEST. */
static void
take_single (GPtrArray *rows,
             gpointer   dest,
             gsize      size)
{
  gpointer row = rows->len > 0 ? g_ptr_array_index (rows, 0) : NULL;

  if (row == NULL)
    return;
  memcpy (dest, row, size);
  *(char **) row = NULL;   /* the key now belongs to DEST */
}

/* The units' part of the dashboard: occupancy, expiry, vacancy loss (and the rent roll) from
 * one snapshot of the units, then the renewal rate. Runs on the caller's thread, or on a
 * thread of its own with the parallel connection. */
typedef struct
{
  TenureDb                        *db;
  const char                      *project_code;
  TenureDate                       as_of;
  const TenureKpiDashboardOptions *options;
  GPtrArray                       *occupancy;
  GPtrArray                       *expiry;
  GPtrArray                       *loss;
  GPtrArray                       *wale;
  GPtrArray                       *rent_roll;
  gint64                           renewal_ppm;
  GError                          *error;
} UnitsPart;

static void
units_part_clear (UnitsPart *part)
{
  g_clear_pointer (&part->occupancy, g_ptr_array_unref);
  g_clear_pointer (&part->expiry, g_ptr_array_unref);
  g_clear_pointer (&part->loss, g_ptr_array_unref);
  g_clear_pointer (&part->wale, g_ptr_array_unref);
  g_clear_pointer (&part->rent_roll, g_ptr_array_unref);
  g_clear_error (&part->error);
}

static gpointer
units_part_run (gpointer data)
{
  UnitsPart *part = data;
  gint64 t0 = g_get_monotonic_time ();
  double c0 = cpu_ms ();

  /* One snapshot of the units (on the caller's connection this nests in the caller's). */
  if (!tenure_db_begin_read (part->db, &part->error))
    return NULL;
  if (!_tenure_kpi_part_one (part->db, part->as_of, part->project_code, TENURE_KPI_BY_NONE,
                             _tenure_kpi_month_first (part->as_of), &part->occupancy,
                             &part->expiry, &part->loss, &part->wale,
                             part->options->with_rent_roll ? &part->rent_roll : NULL,
                             &part->error))
    {
      tenure_db_end_read (part->db);
      return NULL;
    }
  g_debug ("dashboard: occupancy, expiry, vacancy loss %.1f ms wall, %.1f ms CPU",
           (g_get_monotonic_time () - t0) / 1000.0, cpu_ms () - c0);
  part->renewal_ppm = _tenure_kpi_renewal_ppm (part->db, part->as_of, part->project_code,
                                               &part->options->forecast, &part->error);
  tenure_db_end_read (part->db);
  g_debug ("dashboard: and renewal rate %.1f ms wall", (g_get_monotonic_time () - t0) / 1000.0);
  return NULL;
}

gboolean
tenure_kpi_dashboard (TenureDb                         *db,
                      const char                       *project_code,
                      TenureDate                        as_of,
                      const TenureKpiDashboardOptions  *options,
                      TenureKpiDashboard               *out,
                      GError                          **error)
{
  TenureKpiDashboardOptions defaults;
  UnitsPart units = { 0 };
  g_autoptr(TenureKpiLedger) ledger = NULL;
  GThread *thread = NULL;
  GError *money_error = NULL;
  const char *currency;
  TenureDate month;
  gint64 t0 = g_get_monotonic_time ();
  double c0 = cpu_ms ();

  memset (out, 0, sizeof *out);
  if (!tenure_date_is_valid (as_of))
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("The as-of date is not a valid date"));
      return FALSE;
    }
  if (options == NULL)
    {
      tenure_kpi_dashboard_options_init (&defaults);
      options = &defaults;
    }
  currency = options->currency != NULL ? options->currency : "CNY";
  month = _tenure_kpi_month_first (as_of);
  out->as_of = as_of;
  g_strlcpy (out->currency, currency, sizeof out->currency);
  /* Every figure read on this connection from one snapshot: a bill run or a receipt committed
   * meanwhile does not make two of them disagree. The units' part, on a second connection,
   * reads a snapshot of its own, taken as it starts. */
  if (!tenure_db_begin_read (db, error))
    {
      tenure_kpi_dashboard_clear (out);
      return FALSE;
    }
  if (project_code != NULL)
    {
      out->project_code = g_strdup (project_code);
      if (!project_name_of (db, project_code, &out->project_name, error))
        goto fail;
    }
  out->loss_from = month;
  out->loss_to = as_of;
  out->revenue_from = tenure_date_add_months (month, -11);
  out->revenue_to = _tenure_kpi_month_last (as_of);

  /* The units' part, beside the receivables when there is a second connection. */
  units.db = options->parallel_db != NULL ? options->parallel_db : db;
  units.project_code = project_code;
  units.as_of = as_of;
  units.options = options;
  if (options->parallel_db != NULL)
    thread = g_thread_new ("tenure-dashboard-units", units_part_run, &units);
  else
    units_part_run (&units);

  /* Collection, aging and revenue from one load of the receivables (unless the units failed
   * first on this thread; the units' thread is not looked at before it is joined). */
  if (thread != NULL || units.error == NULL)
    ledger = _tenure_kpi_money_load (db, as_of, project_code, currency, out->revenue_from,
                                     out->revenue_to, &out->revenue, &out->collection_series,
                                     &out->aging, &money_error);
  if (thread != NULL)
    g_thread_join (thread);
  if (units.error != NULL)
    {
      g_clear_error (&money_error);
      g_propagate_error (error, g_steal_pointer (&units.error));
      goto fail;
    }
  if (ledger == NULL)
    {
      g_propagate_error (error, money_error);
      goto fail;
    }

  {
    TenureKpiOccupancy *o = g_ptr_array_index (units.occupancy, 0);
    TenureKpiWale *w = g_ptr_array_index (units.wale, 0);

    out->units = o->units;
    out->leased_units = o->leased_units;
    out->leasable_area_c = o->leasable_area_c;
    out->leased_area_c = o->leased_area_c;
    out->wale_by_rent_centi = w->by_rent_centi;
    out->wale_by_area_centi = w->by_area_centi;
  }
  take_single (units.expiry, &out->expiry, sizeof out->expiry);
  out->monthly_rent = out->expiry.monthly_rent;
  for (guint i = 0; i < units.loss->len; i++)
    {
      TenureKpiVacancyLoss *v = g_ptr_array_index (units.loss, i);

      out->vacant_unit_days += v->vacant_unit_days;
      out->vacancy_loss += v->vacancy_loss;
      out->rent_free_loss += v->rent_free_loss;
    }
  out->rent_roll = g_steal_pointer (&units.rent_roll);
  out->renewal_ppm = units.renewal_ppm;

  /* The forecast continues the leases that expire: it needs the expiry. */
  if (!_tenure_kpi_money_forecast (db, ledger, project_code, &out->expiry, out->renewal_ppm,
                                   out->cash_flow, &out->open_items, error))
    goto fail;
  for (guint i = 0; i < out->revenue->len; i++)
    out->revenue_total += ((TenureKpiRevenue *) g_ptr_array_index (out->revenue, i))->billed;
  {
    TenureKpiCollection *last = g_ptr_array_index (out->collection_series,
                                                   out->collection_series->len - 1);

    out->collection = *last;
    out->collection.key = g_strdup (last->key);
  }
  units_part_clear (&units);
  tenure_db_end_read (db);
  g_debug ("dashboard: in all %.1f ms wall, %.1f ms CPU%s",
           (g_get_monotonic_time () - t0) / 1000.0, cpu_ms () - c0,
           options->parallel_db != NULL ? " (units on a second connection)" : "");
  return TRUE;

fail:
  units_part_clear (&units);
  tenure_db_end_read (db);
  tenure_kpi_dashboard_clear (out);
  return FALSE;
}

/* ---- Group comparison ----------------------------------------------------------------------- */

static void
project_row_free (gpointer data)
{
  TenureKpiProjectRow *r = data;

  g_free (r->project_code);
  g_free (r->project_name);
  g_free (r->collection.key);
  g_free (r);
}

static const char revenue_by_project_sql[] =
  "SELECT p.code, CAST (sum (bl.amount) AS bigint)"
  " FROM bill_line bl JOIN bill b ON b.id = bl.bill_id JOIN contract c ON c.id = b.contract_id"
  " JOIN project p ON p.id = c.project_id JOIN charge_item ci ON ci.id = bl.charge_item_id"
  " WHERE bl.period_start >= $1 AND bl.period_start <= $2 AND b.posting_date <= $3"
  " AND b.currency = $4 AND ci.kind <> 'deposit' GROUP BY p.code";

GPtrArray *
tenure_kpi_group_comparison (TenureDb                         *db,
                             TenureDate                        as_of,
                             const TenureKpiDashboardOptions  *options,
                             GError                          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (project_row_free);
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GPtrArray) occupancy = NULL, expiry = NULL, wale = NULL, loss = NULL;
  g_autoptr(GPtrArray) collection = NULL, aging = NULL;
  const char *currency = options != NULL && options->currency != NULL ? options->currency
                                                                       : "CNY";
  TenureDate month;
  GError *local = NULL;

  if (!tenure_date_is_valid (as_of))
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("The as-of date is not a valid date"));
      return NULL;
    }
  month = _tenure_kpi_month_first (as_of);
  stmt = tenure_db_prepare (db, "SELECT code, name FROM project ORDER BY code", error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, &local))
    {
      TenureKpiProjectRow *r = g_new0 (TenureKpiProjectRow, 1);

      r->project_code = g_strdup (tenure_stmt_column_text (stmt, 0));
      r->project_name = g_strdup (tenure_stmt_column_text (stmt, 1));
      r->wale_by_rent_centi = -1;
      r->collection.month = month;
      g_ptr_array_add (rows, r);
      g_hash_table_insert (by_code, r->project_code, r);
    }
  if (local != NULL)
    goto fail_local;
  g_clear_pointer (&stmt, tenure_stmt_free);

#define EACH(array, type, var) \
  for (guint i_ = 0; i_ < (array)->len; i_++) \
    for (type *var = g_ptr_array_index ((array), i_), *once_ = var; once_ != NULL; once_ = NULL)
#define ROW_OF(key) ((TenureKpiProjectRow *) g_hash_table_lookup (by_code, (key)))

  if (!_tenure_kpi_part_one (db, as_of, NULL, TENURE_KPI_BY_PROJECT, month, &occupancy, &expiry,
                             &loss, &wale, NULL, error))
    return NULL;
  EACH (occupancy, TenureKpiOccupancy, o)
    {
      TenureKpiProjectRow *r = ROW_OF (o->key);

      if (r == NULL)
        continue;
      r->units = o->units;
      r->leased_units = o->leased_units;
      r->leasable_area_c = o->leasable_area_c;
      r->leased_area_c = o->leased_area_c;
    }
  EACH (expiry, TenureKpiExpiry, e)
    {
      TenureKpiProjectRow *r = ROW_OF (e->key);

      if (r == NULL)
        continue;
      r->monthly_rent = e->monthly_rent;
      for (guint k = 0; k < 12; k++)
        r->expiring_12m_area_c += e->area_c[k];
    }
  EACH (wale, TenureKpiWale, w)
    {
      TenureKpiProjectRow *r = ROW_OF (w->key);

      if (r != NULL)
        r->wale_by_rent_centi = w->by_rent_centi;
    }
  EACH (loss, TenureKpiVacancyLoss, v)
    {
      TenureKpiProjectRow *r = ROW_OF (v->key);

      if (r != NULL)
        r->vacancy_loss = v->vacancy_loss;
    }
  collection = tenure_kpi_collection (db, month, as_of, NULL, currency, TENURE_KPI_BY_PROJECT,
                                      error);
  if (collection == NULL)
    return NULL;
  EACH (collection, TenureKpiCollection, c)
    {
      TenureKpiProjectRow *r = ROW_OF (c->key);

      if (r == NULL)
        continue;
      r->collection = *c;
      r->collection.key = g_strdup (c->key);
    }
  aging = tenure_kpi_aging (db, as_of, NULL, currency, TENURE_KPI_BY_PROJECT, error);
  if (aging == NULL)
    return NULL;
  EACH (aging, TenureKpiAging, a)
    {
      TenureKpiProjectRow *r = ROW_OF (a->key);

      if (r == NULL)
        continue;
      r->open_total = a->total;
      r->overdue = a->total - a->open[0];
    }

  stmt = tenure_db_prepare (db, revenue_by_project_sql, error);
  if (stmt == NULL)
    return NULL;
  {
    char buf[TENURE_DATE_ISO_BUF_SIZE];

    tenure_stmt_bind_text (stmt, 1, tenure_date_format_iso_buf (tenure_date_add_months (month,
                                                                                        -11),
                                                                buf));
    tenure_stmt_bind_text (stmt, 2, tenure_date_format_iso_buf (_tenure_kpi_month_last (as_of),
                                                                buf));
    tenure_stmt_bind_text (stmt, 3, tenure_date_format_iso_buf (as_of, buf));
  }
  tenure_stmt_bind_text (stmt, 4, currency);
  while (tenure_stmt_step (stmt, &local))
    {
      TenureKpiProjectRow *r = ROW_OF (tenure_stmt_column_text (stmt, 0));

      if (r != NULL)
        r->revenue_12m = tenure_stmt_column_int64 (stmt, 1);
    }
  if (local != NULL)
    goto fail_local;
#undef EACH
#undef ROW_OF
  return g_steal_pointer (&rows);

fail_local:
  g_propagate_error (error, local);
  return NULL;
}
