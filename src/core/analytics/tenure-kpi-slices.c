/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-kpi"

#include "analytics/tenure-kpi-slices.h"
#include "analytics/tenure-kpi-private.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

/* ---- Helpers ------------------------------------------------------------------------------ */

static int
month_diff (TenureDate from,
            TenureDate to)
{
  return (tenure_date_get_year (to) - tenure_date_get_year (from)) * 12
         + tenure_date_get_month (to) - tenure_date_get_month (from);
}

/* SQL ending in a project filter on parameter N: "p.code = $N" for one project, nothing for
 * all (a generic OR would make SQLite scan the whole group). */
static TenureStmt *
prepare_scoped (TenureDb    *db,
                const char  *sql,
                guint        n,
                const char  *project_code,
                GError     **error)
{
  g_autofree char *text = project_code != NULL
    ? g_strdup_printf ("%s AND p.code = CAST($%u AS text)", sql, n)
    : g_strdup_printf ("%s AND CAST($%u AS text) IS NULL", sql, n);

  return tenure_db_prepare (db, text, error);
}

/* Remaining term bands, as tenure-kpi.h's TENURE_KPI_BY_TERM. */
const char *
_tenure_kpi_term_band (TenureDate as_of,
                       TenureDate end)
{
  gint64 days;

  if (end == TENURE_DATE_INVALID || end < as_of)
    return "ended";
  days = (gint64) end - as_of + 1;
  if (days < 365)
    return "<1";
  if (days < 730)
    return "1-2";
  if (days < 1095)
    return "2-3";
  if (days <= 1825)
    return "3-5";
  return ">5";
}

/* What a contract contributes to the slices and the lists. */
typedef struct
{
  char *code;
  char *tenant;
  char *project;
  char *term;
} Contract;

static void
contract_free (gpointer data)
{
  Contract *c = data;

  g_free (c->code);
  g_free (c->tenant);
  g_free (c->project);
  g_free (c);
}

static const char contracts_sql[] =
  "SELECT c.id, c.code, t.name, p.code, c.end_date, c.terminated_on FROM contract c"
  " JOIN tenant t ON t.id = c.tenant_id JOIN project p ON p.id = c.project_id WHERE 1 = 1";

/* contract id → Contract of the scope. */
static GHashTable *
load_contracts (TenureDb    *db,
                TenureDate   as_of,
                const char  *project_code,
                GError     **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       contract_free);
  g_autoptr(TenureStmt) stmt = prepare_scoped (db, contracts_sql, 1, project_code, error);
  GError *local = NULL;

  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);
      Contract *c = g_new0 (Contract, 1);
      TenureDate end = _tenure_kpi_column_date (stmt, 4);
      TenureDate terminated = _tenure_kpi_column_date (stmt, 5);

      if (terminated != TENURE_DATE_INVALID && terminated < end)
        end = terminated;
      c->code = g_strdup (tenure_stmt_column_text (stmt, 1));
      c->tenant = g_strdup (tenure_stmt_column_text (stmt, 2));
      c->project = g_strdup (tenure_stmt_column_text (stmt, 3));
      c->term = (char *) _tenure_kpi_term_band (as_of, end);
      g_hash_table_insert (table, g_memdup2 (&id, sizeof id), c);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&table);
}

/* The slicer of one call: contracts and, for unit-based slices, the keys of their units. */
typedef struct
{
  TenureKpiSlice  by;
  GHashTable     *contracts;
  GHashTable     *unit_keys;
} Slicer;

static void
slicer_clear (Slicer *s)
{
  g_clear_pointer (&s->contracts, g_hash_table_unref);
  g_clear_pointer (&s->unit_keys, g_hash_table_unref);
}

/* contract id → the price band on AS_OF of its largest unit (the unit whose building and
 * format the other unit-based slices take). */
static GHashTable *
price_band_keys (TenureDb    *db,
                 TenureDate   as_of,
                 const char  *project_code,
                 GError     **error)
{
  g_autoptr(GHashTable) bands = _tenure_kpi_unit_price_bands (db, as_of, project_code, error);
  g_autoptr(GHashTable) units = NULL;
  GHashTable *keys;
  GHashTableIter iter;
  gpointer id, unit;

  if (bands == NULL)
    return NULL;
  units = _tenure_kpi_contract_largest_units (db, project_code, error);
  if (units == NULL)
    return NULL;
  keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, units);
  while (g_hash_table_iter_next (&iter, &id, &unit))
    {
      const char *band = g_hash_table_lookup (bands, unit);

      /* a retired unit has no band */
      g_hash_table_insert (keys, g_memdup2 (id, sizeof (gint64)),
                           g_strdup (band != NULL ? band : "-"));
    }
  return keys;
}

static gboolean
slicer_init (Slicer          *s,
             TenureDb        *db,
             TenureDate       as_of,
             const char      *project_code,
             TenureKpiSlice   by,
             GError         **error)
{
  memset (s, 0, sizeof *s);
  s->by = by;
  s->contracts = load_contracts (db, as_of, project_code, error);
  if (s->contracts == NULL)
    return FALSE;
  if (by == TENURE_KPI_BY_PRICE_BAND)
    {
      s->unit_keys = price_band_keys (db, as_of, project_code, error);
      if (s->unit_keys == NULL)
        {
          slicer_clear (s);
          return FALSE;
        }
    }
  if (by == TENURE_KPI_BY_BUILDING || by == TENURE_KPI_BY_FORMAT
      || by == TENURE_KPI_BY_AREA_BAND)
    {
      s->unit_keys = _tenure_kpi_contract_keys (db, project_code, by, error);
      if (s->unit_keys == NULL)
        {
          slicer_clear (s);
          return FALSE;
        }
    }
  return TRUE;
}

static const char *
slicer_key (const Slicer *s,
            gint64        contract_id)
{
  const Contract *c;
  const char *key;

  switch (s->by)
    {
    case TENURE_KPI_BY_NONE:
      return "";
    case TENURE_KPI_BY_PROJECT:
      c = g_hash_table_lookup (s->contracts, &contract_id);
      return c != NULL ? c->project : "-";
    case TENURE_KPI_BY_TERM:
      c = g_hash_table_lookup (s->contracts, &contract_id);
      return c != NULL ? c->term : "-";
    case TENURE_KPI_BY_BUILDING:
    case TENURE_KPI_BY_FORMAT:
    case TENURE_KPI_BY_AREA_BAND:
    case TENURE_KPI_BY_PRICE_BAND:
    default:
      key = s->unit_keys != NULL ? g_hash_table_lookup (s->unit_keys, &contract_id) : NULL;
      return key != NULL ? key : "-";
    }
}

GHashTable *
tenure_kpi_contract_slice_keys (TenureDb        *db,
                                TenureDate       as_of,
                                const char      *project_code,
                                TenureKpiSlice   by,
                                GError         **error)
{
  GHashTable *keys;
  GHashTableIter iter;
  gpointer id, value;
  Slicer s;

  if (!_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  if (!slicer_init (&s, db, as_of, project_code, by, error))
    return NULL;
  keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, s.contracts);
  while (g_hash_table_iter_next (&iter, &id, &value))
    g_hash_table_insert (keys, g_strdup (((Contract *) value)->code),
                         g_strdup (slicer_key (&s, *(gint64 *) id)));
  slicer_clear (&s);
  return keys;
}

GHashTable *
_tenure_kpi_contract_id_keys (TenureDb        *db,
                              TenureDate       as_of,
                              const char      *project_code,
                              TenureKpiSlice   by,
                              GError         **error)
{
  GHashTable *keys;
  GHashTableIter iter;
  gpointer id, value;
  Slicer s;

  if (!_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  if (!slicer_init (&s, db, as_of, project_code, by, error))
    return NULL;
  keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, s.contracts);
  while (g_hash_table_iter_next (&iter, &id, &value))
    g_hash_table_insert (keys, g_memdup2 (id, sizeof (gint64)),
                         g_strdup (slicer_key (&s, *(gint64 *) id)));
  slicer_clear (&s);
  return keys;
}

/* Rows keyed by (key, month index), created on demand; ROW_SIZE bytes starting with char *key
 * then TenureDate month. */
typedef struct
{
  char       *key;
  TenureDate  month;
} RowHead;

typedef struct
{
  GHashTable *index;    /* "key\tmonth" → row */
  GPtrArray  *rows;
  gsize       size;
} Rows;

static void
row_free (gpointer data)
{
  g_free (((RowHead *) data)->key);
  g_free (data);
}

static void
rows_init (Rows  *r,
           gsize  size)
{
  r->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->rows = g_ptr_array_new_with_free_func (row_free);
  r->size = size;
}

static gpointer
rows_get (Rows       *r,
          const char *key,
          TenureDate  month)
{
  g_autofree char *id = g_strdup_printf ("%s\t%d", key, (int) month);
  RowHead *row = g_hash_table_lookup (r->index, id);

  if (row == NULL)
    {
      row = g_malloc0 (r->size);
      row->key = g_strdup (key);
      row->month = month;
      g_hash_table_insert (r->index, g_steal_pointer (&id), row);
      g_ptr_array_add (r->rows, row);
    }
  return row;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const RowHead *x = *(RowHead * const *) a, *y = *(RowHead * const *) b;
  int c = strcmp (x->key, y->key);

  if (c != 0)
    return c;
  return x->month < y->month ? -1 : x->month > y->month;
}

static GPtrArray *
rows_finish (Rows *r)
{
  g_hash_table_unref (r->index);
  g_ptr_array_sort (r->rows, compare_rows);
  return r->rows;
}

static void
rows_abandon (Rows *r)
{
  g_hash_table_unref (r->index);
  g_ptr_array_unref (r->rows);
}

/* Every month of FIRST..LAST for every key seen, so a series has no holes. */
static void
rows_fill_months (Rows       *r,
                  TenureDate  first,
                  TenureDate  last)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < r->rows->len; i++)
    {
      RowHead *row = g_ptr_array_index (r->rows, i);

      if (!g_hash_table_contains (seen, row->key))
        {
          char *key = g_strdup (row->key);

          g_ptr_array_add (keys, key);
          g_hash_table_add (seen, key);
        }
    }
  for (guint i = 0; i < keys->len; i++)
    for (TenureDate m = first; m != TENURE_DATE_INVALID && m <= last;
         m = tenure_date_add_months (m, 1))
      rows_get (r, g_ptr_array_index (keys, i), m);
}

/* ---- Revenue ---------------------------------------------------------------------------- */

static const char revenue_sql[] =
  "SELECT b.contract_id, bl.period_start, CAST (sum (bl.amount) AS bigint),"
  " CAST (sum (bl.tax) AS bigint)"
  " FROM bill_line bl JOIN bill b ON b.id = bl.bill_id JOIN contract c ON c.id = b.contract_id"
  " JOIN project p ON p.id = c.project_id JOIN charge_item ci ON ci.id = bl.charge_item_id"
  " WHERE bl.period_start >= $1 AND bl.period_start <= $2 AND b.posting_date <= $3"
  " AND b.currency = $4 AND ci.kind <> 'deposit'";

GPtrArray *
tenure_kpi_revenue_sliced (TenureDb        *db,
                           TenureDate       from,
                           TenureDate       to,
                           TenureDate       as_of,
                           const char      *project_code,
                           const char      *currency,
                           TenureKpiSlice   by,
                           gboolean         series,
                           GError         **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  TenureDate first;
  GError *local = NULL;
  Slicer s;
  Rows r;

  if (!_tenure_kpi_check_date (from, _("The start date is not a valid date"), error)
      || !_tenure_kpi_check_date (to, _("The end date is not a valid date"), error)
      || !_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  if (!slicer_init (&s, db, as_of, project_code, by, error))
    return NULL;
  first = _tenure_kpi_month_first (from);
  rows_init (&r, sizeof (TenureKpiRevenueSlice));
  if (by == TENURE_KPI_BY_NONE && !series)
    rows_get (&r, "", TENURE_DATE_INVALID);

  sql = g_strconcat (revenue_sql, project_code != NULL ? " AND p.code = CAST($5 AS text)"
                                                       : " AND CAST($5 AS text) IS NULL",
                     " GROUP BY b.contract_id, bl.period_start", NULL);
  stmt = tenure_db_prepare (db, sql, error);
  if (stmt == NULL)
    goto fail;
  /* A series covers whole months. */
  _tenure_kpi_bind_date (stmt, 1, series ? first : from);
  if (series)
    to = _tenure_kpi_month_last (to);
  _tenure_kpi_bind_date (stmt, 2, to);
  _tenure_kpi_bind_date (stmt, 3, as_of);
  tenure_stmt_bind_text (stmt, 4, currency != NULL ? currency : "CNY");
  tenure_stmt_bind_text (stmt, 5, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      TenureDate start = _tenure_kpi_column_date (stmt, 1);
      TenureKpiRevenueSlice *row =
        rows_get (&r, slicer_key (&s, tenure_stmt_column_int64 (stmt, 0)),
                  series ? tenure_date_add_months (first, month_diff (first, start))
                         : TENURE_DATE_INVALID);

      row->billed += tenure_stmt_column_int64 (stmt, 2);
      row->tax += tenure_stmt_column_int64 (stmt, 3);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      goto fail;
    }
  if (series)
    {
      if (by == TENURE_KPI_BY_NONE)
        rows_get (&r, "", first);
      rows_fill_months (&r, first, _tenure_kpi_month_first (to));
    }
  slicer_clear (&s);
  return rows_finish (&r);

fail:
  slicer_clear (&s);
  rows_abandon (&r);
  return NULL;
}

/* ---- Collection rate ------------------------------------------------------------------- */

GPtrArray *
tenure_kpi_collection_sliced (TenureDb        *db,
                              TenureDate       from,
                              TenureDate       to,
                              TenureDate       as_of,
                              const char      *project_code,
                              const char      *currency,
                              TenureKpiSlice   by,
                              GError         **error)
{
  g_autoptr(GHashTable) keys = NULL;

  if (by != TENURE_KPI_BY_TERM && by != TENURE_KPI_BY_PRICE_BAND)
    {
      return _tenure_kpi_collection_keyed (db, from, to, as_of, project_code, currency, by,
                                           NULL, error);
    }
  keys = _tenure_kpi_contract_id_keys (db, as_of, project_code, by, error);
  if (keys == NULL)
    return NULL;
  return _tenure_kpi_collection_keyed (db, from, to, as_of, project_code, currency, by, keys,
                                       error);
}

/* ---- Cash-flow forecast ----------------------------------------------------------------- */

static void
cash_flow_slice_free (gpointer data)
{
  TenureKpiCashFlowSlice *row = data;

  g_free (row->key);
  g_free (row->contract_code);
  g_free (row->tenant_name);
  g_free (row->project_code);
  g_free (row);
}

GPtrArray *
tenure_kpi_cash_flow_sliced (TenureDb        *db,
                             TenureDate       as_of,
                             const char      *project_code,
                             const char      *currency,
                             TenureKpiSlice   by,
                             gboolean         series,
                             GError         **error)
{
  g_autoptr(GArray) lines = NULL;
  TenureDate first;
  Slicer s;
  Rows r;

  if (!_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  if (!slicer_init (&s, db, as_of, project_code, by, error))
    return NULL;
  lines = _tenure_kpi_cash_flow_lines (db, as_of, project_code, currency, NULL, NULL, error);
  if (lines == NULL)
    {
      slicer_clear (&s);
      return NULL;
    }
  first = _tenure_kpi_month_first (as_of);
  rows_init (&r, sizeof (TenureKpiCashFlowSlice));
  if (by == TENURE_KPI_BY_NONE)
    rows_get (&r, "", series ? first : TENURE_DATE_INVALID);
  for (guint i = 0; i < lines->len; i++)
    {
      const TenureKpiForecastLine *line = &g_array_index (lines, TenureKpiForecastLine, i);
      TenureKpiCashFlowSlice *row =
        rows_get (&r, slicer_key (&s, line->contract_id),
                  series ? tenure_date_add_months (first, (int) line->month)
                         : TENURE_DATE_INVALID);

      row->contractual += line->contractual;
      row->expected += line->expected;
    }
  if (series)
    rows_fill_months (&r, first,
                      tenure_date_add_months (first, TENURE_KPI_FORECAST_MONTHS - 1));
  slicer_clear (&s);
  /* Rows carry no strings past the key here; the free function handles both layouts. */
  g_ptr_array_set_free_func (r.rows, cash_flow_slice_free);
  return rows_finish (&r);
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const TenureKpiCashFlowSlice *x = *(TenureKpiCashFlowSlice * const *) a;
  const TenureKpiCashFlowSlice *y = *(TenureKpiCashFlowSlice * const *) b;

  if (x->month != y->month)
    return x->month < y->month ? -1 : 1;
  return strcmp (x->key, y->key);
}

GPtrArray *
tenure_kpi_cash_flow_items (TenureDb        *db,
                            TenureDate       as_of,
                            const char      *project_code,
                            const char      *currency,
                            gint64          *pooled_on_time,
                            gint64          *pooled_billed,
                            GError         **error)
{
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GHashTable) contracts = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (cash_flow_slice_free);
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TenureDate first;

  if (!_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  contracts = load_contracts (db, as_of, project_code, error);
  if (contracts == NULL)
    return NULL;
  lines = _tenure_kpi_cash_flow_lines (db, as_of, project_code, currency, pooled_on_time,
                                       pooled_billed, error);
  if (lines == NULL)
    return NULL;
  first = _tenure_kpi_month_first (as_of);
  for (guint i = 0; i < lines->len; i++)
    {
      const TenureKpiForecastLine *line = &g_array_index (lines, TenureKpiForecastLine, i);
      const Contract *c = g_hash_table_lookup (contracts, &line->contract_id);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT "\t%u", line->contract_id,
                                             line->month);
      TenureKpiCashFlowSlice *row = g_hash_table_lookup (index, id);

      if (row == NULL)
        {
          row = g_new0 (TenureKpiCashFlowSlice, 1);
          row->key = g_strdup (c != NULL ? c->code : "-");
          row->contract_code = g_strdup (row->key);
          row->tenant_name = g_strdup (c != NULL ? c->tenant : "");
          row->project_code = g_strdup (c != NULL ? c->project : "");
          row->month = tenure_date_add_months (first, (int) line->month);
          g_hash_table_insert (index, g_steal_pointer (&id), row);
          g_ptr_array_add (out, row);
        }
      row->contractual += line->contractual;
      row->expected += line->expected;
    }
  g_ptr_array_sort (out, compare_items);
  return g_steal_pointer (&out);
}

/* x × num / den rounded half away from zero, in 128 bits (den > 0). */
static gint64
mul_div_round (__int128 x,
               __int128 num,
               __int128 den)
{
  __int128 p = x * num;
  __int128 q = p / den, r = p % den;

  if (r < 0)
    r = -r;
  if (2 * r >= den)
    q += p < 0 ? -1 : 1;
  return (gint64) q;
}

gint64
tenure_kpi_cash_flow_renewal_parts (const TenureKpiExpiry *expiry,
                                    gint64                 renewal_ppm,
                                    gint64                 pooled_on_time,
                                    gint64                 pooled_billed,
                                    guint                  k,
                                    gint64                *parts)
{
  gint64 sum = 0;

  g_return_val_if_fail (parts != NULL, 0);
  memset (parts, 0, sizeof (gint64) * TENURE_KPI_EXPIRY_MONTHS);
  if (expiry == NULL)
    return 0;
  for (guint j = 0; j < k && j < TENURE_KPI_EXPIRY_MONTHS; j++)
    {
      parts[j] = pooled_billed == 0
                 ? mul_div_round (expiry->rent[j], renewal_ppm, 1000000)
                 : mul_div_round ((__int128) expiry->rent[j] * renewal_ppm, pooled_on_time,
                                  (__int128) pooled_billed * 1000000);
      sum += parts[j];
    }
  return sum;
}
