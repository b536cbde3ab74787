/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-kpi"

#include "analytics/tenure-kpi-finance.h"
#include "analytics/tenure-kpi-private.h"
#include "analytics/tenure-kpi-slices.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "leasing/tenure-charge-item.h"
#include "collections/tenure-aging.h"
#include "collections/tenure-open-item.h"

/* ---- Helpers ------------------------------------------------------------------------------ */

#define GRACE_DAYS 5

static const char *
currency_or_default (const char *currency)
{
  return currency != NULL ? currency : "CNY";
}

static char *
month_key (TenureDate month)
{
  return g_strdup_printf ("%04d-%02d", tenure_date_get_year (month),
                          tenure_date_get_month (month));
}

/* x × num / den rounded half away from zero, in 128 bits (den > 0). */
static gint64
mul_div_round (gint64 x,
               gint64 num,
               gint64 den)
{
  __int128 p = (__int128) x * num;
  __int128 q = p / den, r = p % den;

  if (r < 0)
    r = -r;
  if (2 * r >= den)
    q += p < 0 ? -1 : 1;
  return (gint64) q;
}

/* Rows of SIZE bytes starting with a char *key, one per key, created zeroed on demand. */
typedef struct
{
  GHashTable *index;
  GPtrArray  *rows;
  gsize       size;
} Groups;

static void
keyed_free (gpointer data)
{
  g_free (*(char **) data);
  g_free (data);
}

static void
groups_init (Groups *g,
             gsize   size)
{
  g->index = g_hash_table_new (g_str_hash, g_str_equal);
  g->rows = g_ptr_array_new_with_free_func (keyed_free);
  g->size = size;
}

static gpointer
groups_get (Groups     *g,
            const char *key)
{
  gpointer row = g_hash_table_lookup (g->index, key);

  if (row == NULL)
    {
      row = g_malloc0 (g->size);
      *(char **) row = g_strdup (key);
      g_hash_table_insert (g->index, *(char **) row, row);
      g_ptr_array_add (g->rows, row);
    }
  return row;
}

static int
compare_key (gconstpointer a,
             gconstpointer b)
{
  return strcmp (**(char ***) a, **(char ***) b);
}

static GPtrArray *
groups_finish (Groups *g)
{
  g_hash_table_unref (g->index);
  g_ptr_array_sort (g->rows, compare_key);
  return g->rows;
}

static void
groups_abandon (Groups *g)
{
  g_hash_table_unref (g->index);
  g_ptr_array_unref (g->rows);
}

#define FILTER_PROJECT(n) " AND (CAST($" #n " AS text) IS NULL OR p.code = $" #n ")"

/* SQL written with FILTER_PROJECT (N), prepared for one project or for all: with the generic
 * OR, SQLite would scan the whole group's bills for one project. */
static TenureStmt *
prepare_scoped (TenureDb    *db,
                const char  *sql,
                guint        n,
                const char  *project_code,
                GError     **error)
{
  g_autoptr(GString) text = g_string_new (sql);
  g_autofree char *generic = g_strdup_printf (" AND (CAST($%u AS text) IS NULL OR p.code = $%u)",
                                              n, n);
  g_autofree char *scoped = project_code != NULL
                            ? g_strdup_printf (" AND p.code = CAST($%u AS text)", n)
                            : g_strdup_printf (" AND CAST($%u AS text) IS NULL", n);

  g_string_replace (text, generic, scoped, 0);
  /* For one project, reach plan lines through its contracts, not through the group-wide
   * (status, due date) index. */
  if (project_code != NULL)
    g_string_replace (text, "rl.status = 'planned'", "rl.status || '' = 'planned'", 0);
  return tenure_db_prepare (db, text->str, error);
}

/* ---- Slice keys of contracts ---------------------------------------------------------------- */

static const char area_bands[][10] = { "<100", "100-300", "300-1000", "1000-3000", ">=3000" };

static const char *
area_band (gint64 area_c)
{
  if (area_c < 10000)
    return area_bands[0];
  if (area_c < 30000)
    return area_bands[1];
  if (area_c < 100000)
    return area_bands[2];
  if (area_c < 300000)
    return area_bands[3];
  return area_bands[4];
}

/* The largest unit of each contract's latest approved or superseded version. */
static const char contract_keys_sql[] =
  "WITH lv AS (SELECT v.contract_id, max (v.version_no) AS n FROM contract_version v"
  "  JOIN contract c ON c.id = v.contract_id JOIN project p ON p.id = c.project_id"
  "  WHERE v.status IN ('approved', 'superseded')" FILTER_PROJECT (1)
  "  GROUP BY v.contract_id),"
  " cu AS (SELECT v.contract_id, b.code AS bcode, u.format AS fmt, u.id AS uid,"
  "  row_number () OVER (PARTITION BY v.contract_id ORDER BY cu.area_c DESC, u.code) AS rk,"
  "  sum (cu.area_c) OVER (PARTITION BY v.contract_id) AS total"
  "  FROM lv JOIN contract_version v ON v.contract_id = lv.contract_id AND v.version_no = lv.n"
  "  JOIN contract_unit cu ON cu.contract_version_id = v.id JOIN unit u ON u.id = cu.unit_id"
  "  JOIN floor f ON f.id = u.floor_id JOIN building b ON b.id = f.building_id)"
  " SELECT contract_id, bcode, fmt, CAST (total AS bigint), uid FROM cu WHERE rk = 1";

/* contract id → slice key (strings owned by the table), for the building, format and area
 * band slices. */
static GHashTable *
load_contract_keys (TenureDb        *db,
                    const char      *project_code,
                    TenureKpiSlice   by,
                    GError         **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      g_free);
  g_autoptr(TenureStmt) stmt = prepare_scoped (db, contract_keys_sql, 1, project_code, error);
  GError *local = NULL;

  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);
      const char *key;

      if (by == TENURE_KPI_BY_BUILDING)
        key = tenure_stmt_column_text (stmt, 1);
      else if (by == TENURE_KPI_BY_FORMAT)
        key = tenure_stmt_column_text (stmt, 2);
      else
        key = area_band (tenure_stmt_column_int64 (stmt, 3));
      g_hash_table_insert (keys, g_memdup2 (&id, sizeof id), g_strdup (key));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&keys);
}

/* The slice key of a contract; "" for the whole scope, "-" for a contract without units. */
static const char *
key_of (TenureKpiSlice  by,
        GHashTable     *contract_keys,
        const char     *project,
        gint64          contract_id)
{
  const char *key;

  if (by == TENURE_KPI_BY_NONE)
    return "";
  if (by == TENURE_KPI_BY_PROJECT)
    return project;
  key = g_hash_table_lookup (contract_keys, &contract_id);
  return key != NULL ? key : "-";
}

/* ---- The receivables ledger ------------------------------------------------------------------
 * The open items of a scope with every event that changes them, loaded once so that a whole
 * series of months is computed in one pass each. The items and their events are
 * tenure_open_items_load ()'s (the one balance definition of the project); only the scope's
 * other bill lines (credit notes, zero lines), which revenue counts, are read here. */

typedef struct
{
  gint64      id;
  gint64      contract_id;
  gint64      tenant_id;
  guint       project;        /* index into Ledger.projects */
  gboolean    deposit;
  TenureDate  due;
  TenureDate  posted;
  gint64      amount;
  const char *charge_code;    /* in Ledger.strings */
  TenureDate  period_start;
  gint64      tax;
} Line;

typedef enum
{
  EVENT_CREDIT,
  EVENT_RECEIVED,      /* allocation or offset */
  EVENT_WRITE_OFF,
} EventKind;

typedef struct
{
  guint       line;     /* index into Ledger.lines */
  EventKind   kind;
  TenureDate  date;
  gint64      amount;   /* credits negative, as stored */
} Event;

typedef struct
{
  GArray      *lines;     /* Line, by id: the open items (amount > 0) */
  GArray      *others;    /* Line: the scope's other bill lines (credit notes, zero lines) */
  GArray      *events;    /* Event */
  GPtrArray   *projects;  /* project codes */
  GPtrArray   *items;     /* TenureOpenItem with events, settled ones included */
  GStringChunk *strings;
  TenureDate   as_of;
} Ledger;

static void
ledger_clear (Ledger *l)
{
  g_clear_pointer (&l->lines, g_array_unref);
  g_clear_pointer (&l->others, g_array_unref);
  g_clear_pointer (&l->events, g_array_unref);
  g_clear_pointer (&l->projects, g_ptr_array_unref);
  g_clear_pointer (&l->items, g_ptr_array_unref);
  g_clear_pointer (&l->strings, g_string_chunk_free);
}

static int
compare_item_line_id (gconstpointer a,
                      gconstpointer b)
{
  gint64 x = (*(TenureOpenItem * const *) a)->bill_line_id;
  gint64 y = (*(TenureOpenItem * const *) b)->bill_line_id;

  return x < y ? -1 : x > y;
}

static guint
ledger_project (Ledger     *l,
                GHashTable *index,
                const char *code)
{
  gpointer found;

  if (!g_hash_table_lookup_extended (index, code, NULL, &found))
    {
      found = GUINT_TO_POINTER (l->projects->len);
      g_ptr_array_add (l->projects, g_strdup (code));
      g_hash_table_insert (index, g_ptr_array_index (l->projects, l->projects->len - 1), found);
    }
  return GPOINTER_TO_UINT (found);
}

static gboolean
ledger_load (Ledger      *l,
             TenureDb    *db,
             TenureDate   as_of,
             const char  *currency,
             const char  *project_code,
             GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) project_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       g_free);
  g_autoptr(GPtrArray) by_id = NULL;
  g_autoptr(GPtrArray) others = NULL;
  TenureOpenItemFilter filter = { 0 };
  GError *local = NULL;

  l->lines = g_array_new (FALSE, FALSE, sizeof (Line));
  l->others = g_array_new (FALSE, FALSE, sizeof (Line));
  l->events = g_array_new (FALSE, FALSE, sizeof (Event));
  l->projects = g_ptr_array_new_with_free_func (g_free);
  l->strings = g_string_chunk_new (256);
  l->as_of = as_of;

  /* Project ids to codes (the slices key projects by code); an unknown code scopes to
   * nothing, as the SQL filter did. */
  stmt = tenure_db_prepare (db, "SELECT id, code FROM project", error);
  if (stmt == NULL)
    return FALSE;
  filter.project_id = project_code != NULL ? -1 : 0;
  while (tenure_stmt_step (stmt, &local))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);
      const char *code = tenure_stmt_column_text (stmt, 1);

      g_hash_table_insert (codes, g_memdup2 (&id, sizeof id), g_strdup (code));
      if (project_code != NULL && g_strcmp0 (code, project_code) == 0)
        filter.project_id = id;
    }
  if (local != NULL)
    goto fail;
  g_clear_pointer (&stmt, tenure_stmt_free);

  filter.as_of = as_of;
  filter.currency = currency;
  filter.include_settled = TRUE;
  filter.events = TRUE;
  /* The scope's lines that are not open items (amount ≤ 0: credit notes, zero lines), which
   * revenue counts, come from the same pass over its bill lines. */
  l->items = tenure_open_items_load_with_others (db, &filter, &others, error);
  if (l->items == NULL)
    return FALSE;
  by_id = g_ptr_array_copy (l->items, NULL, NULL);
  g_ptr_array_set_free_func (by_id, NULL);   /* the copy borrows the items */
  g_ptr_array_sort (by_id, compare_item_line_id);
  for (guint i = 0; i < by_id->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (by_id, i);
      Line line;

      line.id = item->bill_line_id;
      line.contract_id = item->contract_id;
      line.tenant_id = item->tenant_id;
      line.project = ledger_project (l, project_index,
                                     g_hash_table_lookup (codes, &item->project_id));
      line.deposit = item->is_deposit;
      line.due = item->due_date;
      line.posted = item->posting_date;
      line.amount = item->amount;
      line.charge_code = g_string_chunk_insert_const (l->strings, item->charge_item_code);
      line.period_start = item->period_start;
      line.tax = item->tax;
      g_array_append_val (l->lines, line);
      for (guint k = 0; k < item->events->len; k++)
        {
          const TenureOpenItemEvent *e = &g_array_index (item->events, TenureOpenItemEvent, k);
          Event event = { i, EVENT_RECEIVED, e->date, e->amount };

          if (e->kind == TENURE_OPEN_ITEM_CREDIT)
            event.kind = EVENT_CREDIT;
          else if (e->kind == TENURE_OPEN_ITEM_WRITE_OFF)
            event.kind = EVENT_WRITE_OFF;
          g_array_append_val (l->events, event);
        }
    }

  for (guint i = 0; i < others->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (others, i);
      Line line;

      line.id = item->bill_line_id;
      line.contract_id = item->contract_id;
      line.tenant_id = item->tenant_id;
      line.project = ledger_project (l, project_index,
                                     g_hash_table_lookup (codes, &item->project_id));
      line.deposit = item->is_deposit;
      line.due = item->due_date;
      line.posted = item->posting_date;
      line.amount = item->amount;
      line.charge_code = g_string_chunk_insert_const (l->strings, item->charge_item_code);
      line.period_start = item->period_start;
      line.tax = item->tax;
      g_array_append_val (l->others, line);
    }
  return TRUE;

fail:
  g_propagate_error (error, local);
  return FALSE;
}

/* Per-line sums of the events up to a date. */
typedef struct
{
  gint64 credits;    /* credit notes (≤ 0) */
  gint64 settled;    /* allocations, offsets and write-offs */
  gint64 received;   /* allocations and offsets */
} Sums;

/* SUMS[i] for every line, counting events dated on or before UNTIL. */
static Sums *
ledger_sums (const Ledger *l,
             TenureDate    until)
{
  Sums *sums = g_new0 (Sums, l->lines->len + 1);

  for (guint i = 0; i < l->events->len; i++)
    {
      const Event *e = &g_array_index (l->events, Event, i);

      if (e->date > until)
        continue;
      if (e->kind == EVENT_CREDIT)
        sums[e->line].credits += e->amount;
      else
        {
          sums[e->line].settled += e->amount;
          if (e->kind == EVENT_RECEIVED)
            sums[e->line].received += e->amount;
        }
    }
  return sums;
}

static gint64
billed_of (const Line *line,
           const Sums *s)
{
  return MAX (0, line->amount + s->credits);
}

static gint64
open_of (const Line *line,
         const Sums *s)
{
  return CLAMP (line->amount + s->credits - s->settled, 0, line->amount);
}

/* Collection of one month from the ledger into ROWS (keyed by slice). */
static void
ledger_collection (const Ledger    *l,
                   TenureDate       month,
                   TenureKpiSlice   by,
                   GHashTable      *contract_keys,
                   Groups          *rows)
{
  TenureDate first = _tenure_kpi_month_first (month), last = _tenure_kpi_month_last (month);
  TenureDate cutoff = MIN (tenure_date_add_days (first, -1), l->as_of);
  TenureDate recovered_until = MIN (last, l->as_of);
  g_autofree Sums *at_as_of = ledger_sums (l, l->as_of);
  g_autofree Sums *at_cutoff = ledger_sums (l, cutoff);
  g_autofree Sums *before_month = ledger_sums (l, tenure_date_add_days (first, -1));
  g_autofree Sums *in_month = ledger_sums (l, recovered_until);

  for (guint i = 0; i < l->lines->len; i++)
    {
      const Line *line = &g_array_index (l->lines, Line, i);
      TenureKpiCollection *row;

      if (line->due > last)
        continue;
      row = groups_get (rows, key_of (by, contract_keys,
                                      g_ptr_array_index (l->projects, line->project),
                                      line->contract_id));
      if (line->due >= first)
        {
          row->due += billed_of (line, &at_as_of[i]);
          row->received += at_as_of[i].received;
        }
      else if (line->posted <= cutoff)
        {
          gint64 open = open_of (line, &at_cutoff[i]);

          if (open > 0)
            {
              row->arrears_open += open;
              if (recovered_until >= first)
                row->arrears_recovered += in_month[i].received - before_month[i].received;
            }
        }
    }
}

/* Collection of each month from the month of FROM to the month of TO (only the first unless
 * SERIES, whose keys are the months) from a loaded ledger. */
static GPtrArray *
collection_from_ledger (const Ledger   *l,
                        TenureDate      from,
                        TenureDate      to,
                        TenureKpiSlice  by,
                        GHashTable     *contract_keys,
                        gboolean        series)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (keyed_free);

  for (TenureDate m = _tenure_kpi_month_first (from); m != TENURE_DATE_INVALID && m <= to;
       m = tenure_date_add_months (m, 1))
    {
      Groups g;
      GPtrArray *rows;

      groups_init (&g, sizeof (TenureKpiCollection));
      if (by == TENURE_KPI_BY_NONE)
        groups_get (&g, "");
      ledger_collection (l, m, by, contract_keys, &g);
      rows = groups_finish (&g);
      for (guint i = 0; i < rows->len; i++)
        {
          TenureKpiCollection *row = g_ptr_array_index (rows, i);

          row->month = m;
          if (series)
            {
              g_free (row->key);
              row->key = month_key (m);
            }
        }
      g_ptr_array_extend_and_steal (out, rows);
      if (!series)
        break;
    }
  return out;
}

static GPtrArray *
collection_rows (TenureDb        *db,
                 TenureDate       from,
                 TenureDate       to,
                 TenureDate       as_of,
                 const char      *project_code,
                 const char      *currency,
                 TenureKpiSlice   by,
                 gboolean         series,
                 GError         **error)
{
  g_autoptr(GHashTable) contract_keys = NULL;
  Ledger l = { 0 };
  GPtrArray *out;

  if (!_tenure_kpi_check_date (from, _("The month is not a valid date"), error)
      || !_tenure_kpi_check_date (to, _("The month is not a valid date"), error)
      || !_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  /* Keys that need the as-of date come from the money slices (one month, so no series). */
  if (by == TENURE_KPI_BY_TERM || by == TENURE_KPI_BY_PRICE_BAND)
    return tenure_kpi_collection_sliced (db, from, to, as_of, project_code, currency, by,
                                         error);
  if (by != TENURE_KPI_BY_NONE && by != TENURE_KPI_BY_PROJECT)
    {
      contract_keys = load_contract_keys (db, project_code, by, error);
      if (contract_keys == NULL)
        return NULL;
    }
  if (!ledger_load (&l, db, as_of, currency_or_default (currency), project_code, error))
    {
      ledger_clear (&l);
      return NULL;
    }
  out = collection_from_ledger (&l, from, to, by, contract_keys, series);
  ledger_clear (&l);
  return out;
}

GPtrArray *
tenure_kpi_collection (TenureDb        *db,
                       TenureDate       month,
                       TenureDate       as_of,
                       const char      *project_code,
                       const char      *currency,
                       TenureKpiSlice   by,
                       GError         **error)
{
  return collection_rows (db, month, month, as_of, project_code, currency, by, FALSE, error);
}

GPtrArray *
tenure_kpi_collection_series (TenureDb        *db,
                              TenureDate       from,
                              TenureDate       to,
                              TenureDate       as_of,
                              const char      *project_code,
                              const char      *currency,
                              GError         **error)
{
  return collection_rows (db, from, to, as_of, project_code, currency, TENURE_KPI_BY_NONE, TRUE,
                          error);
}

/* ---- Aging -------------------------------------------------------------------------------- */

const char *
tenure_kpi_aging_bucket_name (guint bucket)
{
  g_return_val_if_fail (bucket < TENURE_KPI_AGING_BUCKETS, NULL);
  return tenure_aging_bucket_key ((TenureAgingBucket) bucket);
}

G_STATIC_ASSERT (TENURE_KPI_AGING_BUCKETS == TENURE_AGING_N_BUCKETS);

/* From the collections layer's aging (tenure_aging (), itself on tenure_open_items_load ()):
 * by contract when the slice needs the contract's units or term. */
GPtrArray *
tenure_kpi_aging (TenureDb        *db,
                  TenureDate       as_of,
                  const char      *project_code,
                  const char      *currency,
                  TenureKpiSlice   by,
                  GError         **error)
{
  TenureAgingFilter filter = { 0 };
  g_autoptr(TenureAgingReport) report = NULL;
  g_autoptr(GHashTable) contract_keys = NULL;
  TenureAgingGroupBy group_by = TENURE_AGING_BY_CONTRACT;
  Groups g;

  if (!_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  if (by == TENURE_KPI_BY_NONE)
    group_by = TENURE_AGING_BY_NONE;
  else if (by == TENURE_KPI_BY_PROJECT)
    group_by = TENURE_AGING_BY_PROJECT;
  else if (by == TENURE_KPI_BY_TERM || by == TENURE_KPI_BY_PRICE_BAND)
    {
      /* Keys on the as-of date, as the other money slices take them. */
      contract_keys = _tenure_kpi_contract_id_keys (db, as_of, project_code, by, error);
      if (contract_keys == NULL)
        return NULL;
    }
  else
    {
      contract_keys = load_contract_keys (db, project_code, by, error);
      if (contract_keys == NULL)
        return NULL;
    }
  filter.project_code = project_code;
  filter.currency = currency_or_default (currency);
  report = tenure_aging (db, as_of, &filter, group_by, error);
  if (report == NULL)
    return NULL;
  groups_init (&g, sizeof (TenureKpiAging));
  if (by == TENURE_KPI_BY_NONE)
    groups_get (&g, "");
  for (guint i = 0; i < report->rows->len; i++)
    {
      const TenureAgingRow *r = g_ptr_array_index (report->rows, i);
      TenureKpiAging *row = groups_get (&g, key_of (by, contract_keys,
                                                    r->group_code != NULL ? r->group_code : "",
                                                    r->group_id));

      for (guint b = 0; b < TENURE_KPI_AGING_BUCKETS; b++)
        {
          row->open[b] += r->amounts[b];
          row->items[b] += r->counts[b];
        }
      row->total += r->total;
    }
  return groups_finish (&g);
}

/* ---- Revenue structure ---------------------------------------------------------------------- */

static void
revenue_free (gpointer data)
{
  TenureKpiRevenue *r = data;

  g_free (r->key);
  g_free (r->charge_name);
  g_free (r->charge_kind);
  g_free (r);
}

static const char revenue_sql[] =
  "SELECT ci.code, ci.name, ci.kind, CAST (sum (bl.amount) AS bigint),"
  " CAST (sum (bl.tax) AS bigint)"
  " FROM bill_line bl JOIN bill b ON b.id = bl.bill_id JOIN contract c ON c.id = b.contract_id"
  " JOIN project p ON p.id = c.project_id JOIN charge_item ci ON ci.id = bl.charge_item_id"
  " WHERE bl.period_start >= $1 AND bl.period_start <= $2 AND b.posting_date <= $3"
  " AND b.currency = $4 AND ci.kind <> 'deposit'" FILTER_PROJECT (5)
  " GROUP BY ci.code, ci.name, ci.kind ORDER BY ci.code";

GPtrArray *
tenure_kpi_revenue (TenureDb     *db,
                    TenureDate    from,
                    TenureDate    to,
                    TenureDate    as_of,
                    const char   *project_code,
                    const char   *currency,
                    GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (revenue_free);
  g_autoptr(TenureStmt) stmt = NULL;
  GError *local = NULL;

  if (!_tenure_kpi_check_date (from, _("The start date is not a valid date"), error)
      || !_tenure_kpi_check_date (to, _("The end date is not a valid date"), error)
      || !_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  stmt = prepare_scoped (db, revenue_sql, 5, project_code, error);
  if (stmt == NULL)
    return NULL;
  _tenure_kpi_bind_date (stmt, 1, from);
  _tenure_kpi_bind_date (stmt, 2, to);
  _tenure_kpi_bind_date (stmt, 3, as_of);
  tenure_stmt_bind_text (stmt, 4, currency_or_default (currency));
  tenure_stmt_bind_text (stmt, 5, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      TenureKpiRevenue *r = g_new0 (TenureKpiRevenue, 1);

      r->key = g_strdup (tenure_stmt_column_text (stmt, 0));
      r->charge_name = g_strdup (tenure_charge_item_label (r->key,
                                                     tenure_stmt_column_text (stmt, 1)));
      r->charge_kind = g_strdup (tenure_stmt_column_text (stmt, 2));
      r->billed = tenure_stmt_column_int64 (stmt, 3);
      r->tax = tenure_stmt_column_int64 (stmt, 4);
      g_ptr_array_add (rows, r);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* ---- Unit revenue curve --------------------------------------------------------------------- */

static const char unit_revenue_sql[] =
  "SELECT bl.id, bl.period_start, bl.amount, u.code, cu.area_c"
  " FROM bill_line bl JOIN bill b ON b.id = bl.bill_id"
  " JOIN receivable_line rl ON rl.id = bl.receivable_line_id"
  " JOIN charge_item ci ON ci.id = bl.charge_item_id"
  " JOIN contract_unit cu ON cu.contract_version_id = rl.contract_version_id"
  " JOIN unit u ON u.id = cu.unit_id"
  " WHERE rl.contract_version_id IN (SELECT cu2.contract_version_id FROM contract_unit cu2"
  "   JOIN unit u2 ON u2.id = cu2.unit_id WHERE u2.code = $1)"
  " AND bl.period_start >= $2 AND bl.period_start <= $3 AND b.posting_date <= $4"
  " AND ci.kind <> 'deposit'"
  " ORDER BY bl.id, u.code";

typedef struct
{
  char   *code;
  gint64  area_c;
} Share;

/* The part of AMOUNT that falls to unit TARGET among SHARES by area: floors first, then the
 * remaining fen one each to the largest remainders (ties to the earlier unit code). */
static gint64
unit_share (gint64       amount,
            const GArray *shares,
            const char  *target)
{
  gint64 total = 0, given = 0, sign = amount < 0 ? -1 : 1, abs_amount = amount * sign;
  g_autofree gint64 *part = g_new0 (gint64, shares->len + 1);
  g_autofree gint64 *rem = g_new0 (gint64, shares->len + 1);
  gint64 result = 0;

  for (guint i = 0; i < shares->len; i++)
    total += g_array_index (shares, Share, i).area_c;
  if (total <= 0)
    return 0;
  for (guint i = 0; i < shares->len; i++)
    {
      __int128 p = (__int128) abs_amount * g_array_index (shares, Share, i).area_c;

      part[i] = (gint64) (p / total);
      rem[i] = (gint64) (p % total);
      given += part[i];
    }
  for (gint64 left = abs_amount - given; left > 0; left--)
    {
      guint best = 0;

      for (guint i = 1; i < shares->len; i++)
        if (rem[i] > rem[best])
          best = i;
      part[best]++;
      rem[best] = -1;
    }
  for (guint i = 0; i < shares->len; i++)
    if (strcmp (g_array_index (shares, Share, i).code, target) == 0)
      result = part[i];
  return result * sign;
}

static void
share_clear (gpointer data)
{
  g_free (((Share *) data)->code);
}

GPtrArray *
tenure_kpi_unit_revenue (TenureDb     *db,
                         const char   *unit_code,
                         TenureDate    from,
                         TenureDate    to,
                         TenureDate    as_of,
                         GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (keyed_free);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GArray) shares = g_array_new (FALSE, FALSE, sizeof (Share));
  TenureDate first, m;
  gint64 unit_id = 0, line = 0, amount = 0;
  TenureDate start = TENURE_DATE_INVALID;
  GError *local = NULL;

  if (!_tenure_kpi_check_date (from, _("The start date is not a valid date"), error)
      || !_tenure_kpi_check_date (to, _("The end date is not a valid date"), error)
      || !_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  stmt = tenure_db_prepare (db, "SELECT id FROM unit WHERE code = $1", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, unit_code);
  if (!tenure_stmt_step_int64 (stmt, &unit_id, error))
    return NULL;
  if (unit_id == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND, _("No unit “%s”"), unit_code);
      return NULL;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);

  first = _tenure_kpi_month_first (from);
  for (m = first; m != TENURE_DATE_INVALID && m <= to; m = tenure_date_add_months (m, 1))
    {
      TenureKpiUnitRevenue *row = g_new0 (TenureKpiUnitRevenue, 1);

      row->key = month_key (m);
      row->month = m;
      g_ptr_array_add (rows, row);
    }
  g_array_set_clear_func (shares, share_clear);
  stmt = tenure_db_prepare (db, unit_revenue_sql, error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, unit_code);
  _tenure_kpi_bind_date (stmt, 2, first);
  _tenure_kpi_bind_date (stmt, 3, _tenure_kpi_month_last (to));
  _tenure_kpi_bind_date (stmt, 4, as_of);
  for (;;)
    {
      gboolean more = tenure_stmt_step (stmt, &local);
      gint64 id = more ? tenure_stmt_column_int64 (stmt, 0) : 0;

      if (!more && local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
      /* A line ends when the next one begins: share it out. */
      if ((!more || id != line) && line != 0)
        {
          int months = (tenure_date_get_year (start) - tenure_date_get_year (first)) * 12
                       + tenure_date_get_month (start) - tenure_date_get_month (first);

          if (months >= 0 && (guint) months < rows->len)
            ((TenureKpiUnitRevenue *) g_ptr_array_index (rows, months))->billed
              += unit_share (amount, shares, unit_code);
          g_array_set_size (shares, 0);
        }
      if (!more)
        break;
      if (id != line)
        {
          line = id;
          start = _tenure_kpi_column_date (stmt, 1);
          amount = tenure_stmt_column_int64 (stmt, 2);
        }
      {
        Share s = { g_strdup (tenure_stmt_column_text (stmt, 3)),
                    tenure_stmt_column_int64 (stmt, 4) };

        g_array_append_val (shares, s);
      }
    }
  return g_steal_pointer (&rows);
}

/* ---- Cash-flow forecast --------------------------------------------------------------------- */

typedef struct
{
  gint64 on_time;   /* billed amount paid in full by due + grace */
  gint64 billed;
} Share2;

static Share2 *
share_get (GHashTable *table,
           gint64      key)
{
  Share2 *s = g_hash_table_lookup (table, &key);

  if (s == NULL)
    {
      s = g_new0 (Share2, 1);
      g_hash_table_insert (table, g_memdup2 (&key, sizeof key), s);
    }
  return s;
}

/* On-time shares by tenant and by project (index) from the ledger: see the header. */
static void
ledger_on_time (const Ledger *l,
                GHashTable   *tenants,
                GHashTable   *projects,
                Share2       *pooled)
{
  TenureDate month = _tenure_kpi_month_first (l->as_of);
  TenureDate from = tenure_date_add_months (month, -12), to = tenure_date_add_days (month, -1);
  g_autofree gint64 *received = g_new0 (gint64, l->lines->len + 1);
  g_autofree Sums *at_as_of = ledger_sums (l, l->as_of);

  /* Received by each line's due date + grace. */
  for (guint i = 0; i < l->events->len; i++)
    {
      const Event *e = &g_array_index (l->events, Event, i);
      const Line *line = &g_array_index (l->lines, Line, e->line);

      if (e->kind == EVENT_RECEIVED && e->date <= tenure_date_add_days (line->due, GRACE_DAYS))
        received[e->line] += e->amount;
    }
  for (guint i = 0; i < l->lines->len; i++)
    {
      const Line *line = &g_array_index (l->lines, Line, i);
      gint64 billed = billed_of (line, &at_as_of[i]);
      gint64 on_time;
      Share2 *s;

      if (line->deposit || line->due < from || line->due > to || billed <= 0)
        continue;
      on_time = received[i] >= billed ? billed : 0;
      s = share_get (tenants, line->tenant_id);
      s->on_time += on_time;
      s->billed += billed;
      s = share_get (projects, line->project);
      s->on_time += on_time;
      s->billed += billed;
      pooled->on_time += on_time;
      pooled->billed += billed;
    }
}

static const char planned_sql[] =
  "SELECT c.tenant_id, p.code, rl.due_date, rl.amount FROM receivable_line rl"
  " JOIN contract c ON c.id = rl.contract_id JOIN project p ON p.id = c.project_id"
  " WHERE rl.status = 'planned' AND rl.due_date >= $1 AND rl.due_date <= $2"
  " AND rl.currency = $3 AND c.status NOT IN ('draft', 'pending_approval')" FILTER_PROJECT (4);

/* (tenant, month) → amount due. */
typedef struct
{
  gint64      tenant_id;
  guint       project;    /* G_MAXUINT: not in the ledger */
  guint       month;
  gint64      amount;
} Due;

static guint
due_hash (gconstpointer p)
{
  const Due *d = p;

  return g_int64_hash (&d->tenant_id) * 31u + d->month;
}

static gboolean
due_equal (gconstpointer a,
           gconstpointer b)
{
  const Due *x = a, *y = b;

  return x->tenant_id == y->tenant_id && x->month == y->month;
}

static void
due_add (GHashTable *dues,
         gint64      tenant_id,
         guint       project,
         guint       month,
         gint64      amount)
{
  Due key = { tenant_id, project, month, 0 };
  Due *d = g_hash_table_lookup (dues, &key);

  if (d == NULL)
    {
      d = g_memdup2 (&key, sizeof key);
      g_hash_table_add (dues, d);
    }
  if (d->project == G_MAXUINT)
    d->project = project;
  d->amount += amount;
}

static gint64
renewal_rate_ppm (TenureDb     *db,
                  TenureDate    as_of,
                  const char   *project_code,
                  GError      **error)
{
  g_autoptr(GPtrArray) rows = tenure_kpi_renewals (db, tenure_date_add_months (as_of, -12),
                                                   tenure_date_add_days (as_of, -1),
                                                   project_code, TENURE_KPI_BY_NONE, error);
  gint64 reached = 0, renewed = 0;

  if (rows == NULL)
    return -1;
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiRenewals *r = g_ptr_array_index (rows, i);

      reached += r->reached_expiry;
      renewed += r->renewed;
    }
  return tenure_kpi_ppm (renewed, reached);
}

/* The forecast from a loaded ledger and the expiry of the scope (tenure_kpi_expiry, no slice);
 * used by the dashboard too. OUT has TENURE_KPI_FORECAST_MONTHS rows. */
static gboolean
cash_flow_fill (TenureDb           *db,
                const Ledger       *l,
                const TenureKpiExpiry *expiry,
                const char         *project_code,
                const char         *currency,
                gint64              renewal_ppm,
                TenureKpiCashFlow  *out,
                GError            **error)
{
  TenureDate first = _tenure_kpi_month_first (l->as_of);
  TenureDate last = _tenure_kpi_month_last (tenure_date_add_months (first,
                                                                    TENURE_KPI_FORECAST_MONTHS - 1));
  g_autoptr(GHashTable) tenants = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         g_free);
  g_autoptr(GHashTable) projects = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                          g_free);
  g_autoptr(GHashTable) project_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) dues = g_hash_table_new_full (due_hash, due_equal, g_free, NULL);
  g_autofree Sums *at_as_of = ledger_sums (l, l->as_of);
  g_autoptr(TenureStmt) stmt = NULL;
  Share2 pooled = { 0, 0 };
  gint64 expiring = 0;
  GHashTableIter iter;
  gpointer key;
  GError *local = NULL;

  for (guint i = 0; i < l->projects->len; i++)
    g_hash_table_insert (project_index, g_ptr_array_index (l->projects, i), GUINT_TO_POINTER (i));
  ledger_on_time (l, tenants, projects, &pooled);

  for (guint k = 0; k < TENURE_KPI_FORECAST_MONTHS; k++)
    {
      memset (&out[k], 0, sizeof out[k]);
      out[k].month = tenure_date_add_months (first, k);
    }

  /* Billed lines at their open amount on the as-of date. */
  for (guint i = 0; i < l->lines->len; i++)
    {
      const Line *line = &g_array_index (l->lines, Line, i);
      gint64 open;
      guint month;

      if (line->due < first || line->due > last)
        continue;
      open = open_of (line, &at_as_of[i]);
      month = (guint) ((tenure_date_get_year (line->due) - tenure_date_get_year (first)) * 12
                       + tenure_date_get_month (line->due) - tenure_date_get_month (first));
      if (open > 0)
        due_add (dues, line->tenant_id, line->project, month, open);
    }
  /* Planned lines in full. */
  stmt = prepare_scoped (db, planned_sql, 4, project_code, error);
  if (stmt == NULL)
    return FALSE;
  _tenure_kpi_bind_date (stmt, 1, first);
  _tenure_kpi_bind_date (stmt, 2, last);
  tenure_stmt_bind_text (stmt, 3, currency);
  tenure_stmt_bind_text (stmt, 4, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      TenureDate due = _tenure_kpi_column_date (stmt, 2);
      gpointer index = NULL;
      guint month = (guint) ((tenure_date_get_year (due) - tenure_date_get_year (first)) * 12
                             + tenure_date_get_month (due) - tenure_date_get_month (first));

      if (!g_hash_table_lookup_extended (project_index, tenure_stmt_column_text (stmt, 1), NULL,
                                         &index))
        index = GUINT_TO_POINTER (G_MAXUINT);
      due_add (dues, tenure_stmt_column_int64 (stmt, 0), GPOINTER_TO_UINT (index), month,
               tenure_stmt_column_int64 (stmt, 3));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }

  g_hash_table_iter_init (&iter, dues);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const Due *d = key;
      gint64 project_key = d->project;
      const Share2 *s = g_hash_table_lookup (tenants, &d->tenant_id);

      if (s == NULL || s->billed == 0)
        s = d->project != G_MAXUINT ? g_hash_table_lookup (projects, &project_key) : NULL;
      out[d->month].contractual += d->amount;
      out[d->month].expected += (s == NULL || s->billed == 0)
                                ? d->amount : mul_div_round (d->amount, s->on_time, s->billed);
    }

  /* Renewals: leases ending in month k pay again from month k + 1. */
  for (guint k = 0; k < TENURE_KPI_FORECAST_MONTHS; k++)
    {
      out[k].key = month_key (out[k].month);
      out[k].renewal = mul_div_round (expiring, renewal_ppm, 1000000);
      out[k].renewal_expected = pooled.billed == 0
                                ? out[k].renewal
                                : mul_div_round (out[k].renewal, pooled.on_time, pooled.billed);
      if (expiry != NULL && k < TENURE_KPI_EXPIRY_MONTHS)
        expiring += expiry->rent[k];
    }
  return TRUE;
}

static void
cash_flow_free (gpointer data)
{
  keyed_free (data);
}

gboolean
_tenure_kpi_cash_flow_fill (TenureDb              *db,
                            TenureDate             as_of,
                            const char            *project_code,
                            const char            *currency,
                            const TenureKpiExpiry *expiry,
                            gint64                 renewal_ppm,
                            TenureKpiCashFlow     *out,
                            GError               **error)
{
  Ledger l = { 0 };
  gboolean ok;

  if (!ledger_load (&l, db, as_of, currency_or_default (currency), project_code, error))
    {
      ledger_clear (&l);
      return FALSE;
    }
  ok = cash_flow_fill (db, &l, expiry, project_code, currency_or_default (currency),
                       renewal_ppm, out, error);
  ledger_clear (&l);
  return ok;
}

gint64
_tenure_kpi_renewal_ppm (TenureDb                       *db,
                         TenureDate                      as_of,
                         const char                     *project_code,
                         const TenureKpiForecastOptions *options,
                         GError                        **error)
{
  if (options != NULL && options->renewal_ppm >= 0)
    {
      if (options->renewal_ppm > 1000000)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("The renewal probability must be between 0 and 100 %%"));
          return -1;
        }
      return options->renewal_ppm;
    }
  if (options == NULL)
    return 0;
  return renewal_rate_ppm (db, as_of, project_code, error);
}

GPtrArray *
tenure_kpi_cash_flow (TenureDb                        *db,
                      TenureDate                       as_of,
                      const char                      *project_code,
                      const char                      *currency,
                      const TenureKpiForecastOptions  *options,
                      GError                         **error)
{
  g_autoptr(GPtrArray) expiry = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (cash_flow_free);
  TenureKpiCashFlow out[TENURE_KPI_FORECAST_MONTHS];
  gint64 ppm;

  if (!_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  ppm = _tenure_kpi_renewal_ppm (db, as_of, project_code, options, error);
  if (ppm < 0)
    return NULL;
  if (ppm > 0)
    {
      expiry = tenure_kpi_expiry (db, as_of, project_code, TENURE_KPI_BY_NONE, error);
      if (expiry == NULL)
        return NULL;
    }
  if (!_tenure_kpi_cash_flow_fill (db, as_of, project_code, currency,
                                   expiry != NULL && expiry->len > 0
                                   ? g_ptr_array_index (expiry, 0) : NULL,
                                   ppm, out, error))
    return NULL;
  for (guint k = 0; k < TENURE_KPI_FORECAST_MONTHS; k++)
    g_ptr_array_add (rows, g_memdup2 (&out[k], sizeof out[k]));
  return g_steal_pointer (&rows);
}

/* Revenue by charge item (as tenure_kpi_revenue ()) from a loaded ledger, which holds every
 * bill line of the scope posted by its as-of date. */
static GPtrArray *
ledger_revenue (TenureDb      *db,
                const Ledger  *l,
                TenureDate     from,
                TenureDate     to,
                GError       **error)
{
  g_autoptr(GHashTable) sums = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (revenue_free);
  g_autoptr(TenureStmt) stmt = NULL;
  GError *local = NULL;

  for (guint pass = 0; pass < 2; pass++)
    {
      const GArray *array = pass == 0 ? l->lines : l->others;

      for (guint i = 0; i < array->len; i++)
        {
          const Line *line = &g_array_index (array, Line, i);
          TenureKpiRevenue *r;

          if (line->deposit || line->period_start < from || line->period_start > to)
            continue;
          r = g_hash_table_lookup (sums, line->charge_code);
          if (r == NULL)
            {
              r = g_new0 (TenureKpiRevenue, 1);
              g_hash_table_insert (sums, (gpointer) line->charge_code, r);
              g_ptr_array_add (rows, r);
            }
          r->billed += line->amount;
          r->tax += line->tax;
        }
    }
  stmt = tenure_db_prepare (db, "SELECT code, name, kind FROM charge_item", error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, &local))
    {
      TenureKpiRevenue *r = g_hash_table_lookup (sums, tenure_stmt_column_text (stmt, 0));

      if (r == NULL)
        continue;
      r->key = g_strdup (tenure_stmt_column_text (stmt, 0));
      r->charge_name = g_strdup (tenure_charge_item_label (r->key,
                                                     tenure_stmt_column_text (stmt, 1)));
      r->charge_kind = g_strdup (tenure_stmt_column_text (stmt, 2));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiRevenue *r = g_ptr_array_index (rows, i);

      if (r->key == NULL)
        r->key = g_strdup ("");
    }
  g_ptr_array_sort (rows, compare_key);
  return g_steal_pointer (&rows);
}

/* ---- The dashboard's money figures from one ledger ------------------------------------ */

struct _TenureKpiLedger
{
  Ledger  l;
  char   *currency;
};

void
_tenure_kpi_ledger_free (TenureKpiLedger *ledger)
{
  if (ledger == NULL)
    return;
  ledger_clear (&ledger->l);
  g_free (ledger->currency);
  g_free (ledger);
}

TenureKpiLedger *
_tenure_kpi_money_load (TenureDb        *db,
                        TenureDate       as_of,
                        const char      *project_code,
                        const char      *currency,
                        TenureDate       revenue_from,
                        TenureDate       revenue_to,
                        GPtrArray      **revenue,
                        GPtrArray      **collection_series,
                        TenureKpiAging  *aging,
                        GError         **error)
{
  g_autoptr(TenureKpiLedger) ledger = g_new0 (TenureKpiLedger, 1);
  Ledger *l = &ledger->l;
  TenureDate month = _tenure_kpi_month_first (as_of);
  g_autofree Sums *at_as_of = NULL;
  gint64 t0 = g_get_monotonic_time ();

  ledger->currency = g_strdup (currency_or_default (currency));
  if (!ledger_load (l, db, as_of, ledger->currency, project_code, error))
    return NULL;
  g_debug ("ledger: %u lines, %u events, %.1f ms", l->lines->len, l->events->len,
           (g_get_monotonic_time () - t0) / 1000.0);
  *collection_series = collection_from_ledger (l, tenure_date_add_months (month, -11), month,
                                               TENURE_KPI_BY_NONE, NULL, TRUE);
  /* Aging of the same items: the open amounts are tenure_open_items_load ()'s (the tests
   * check the two against each other), bucketed as tenure_aging () does. */
  memset (aging, 0, sizeof *aging);
  at_as_of = ledger_sums (l, as_of);
  for (guint i = 0; i < l->lines->len; i++)
    {
      const Line *line = &g_array_index (l->lines, Line, i);
      gint64 open = open_of (line, &at_as_of[i]);
      guint b;

      if (open <= 0)
        continue;
      b = tenure_aging_bucket_for_days ((gint64) as_of - line->due);
      aging->open[b] += open;
      aging->items[b]++;
      aging->total += open;
    }
  *revenue = ledger_revenue (db, l, revenue_from, revenue_to, error);
  if (*revenue == NULL)
    {
      g_clear_pointer (collection_series, g_ptr_array_unref);
      return NULL;
    }
  g_debug ("ledger: collection, aging and revenue %.1f ms",
           (g_get_monotonic_time () - t0) / 1000.0);
  return g_steal_pointer (&ledger);
}

gboolean
_tenure_kpi_money_forecast (TenureDb               *db,
                            TenureKpiLedger        *ledger,
                            const char             *project_code,
                            const TenureKpiExpiry  *expiry,
                            gint64                  renewal_ppm,
                            TenureKpiCashFlow      *cash_flow,
                            GPtrArray             **open_items,
                            GError                **error)
{
  gint64 t0 = g_get_monotonic_time ();

  if (!cash_flow_fill (db, &ledger->l, expiry, project_code, ledger->currency, renewal_ppm,
                       cash_flow, error))
    return FALSE;
  g_debug ("ledger: forecast %.1f ms", (g_get_monotonic_time () - t0) / 1000.0);
  if (open_items != NULL)
    *open_items = g_steal_pointer (&ledger->l.items);
  return TRUE;
}

/* ---- Turnaround ----------------------------------------------------------------------------- */

static const char approval_sql[] =
  "SELECT p.code, c.signed_on, v.created_at, v.approved_at, c.code FROM contract_version v"
  " JOIN contract c ON c.id = v.contract_id JOIN project p ON p.id = c.project_id"
  " WHERE v.version_no = 1 AND v.approved_at IS NOT NULL"
  " AND v.status IN ('approved', 'superseded')"
  " AND v.approved_at >= $1 AND v.approved_at < $2" FILTER_PROJECT (3);

/* Bills grouped by their two dates: few distinct pairs, and no date arithmetic in SQL (the
 * dialects differ). */
static const char issue_sql[] =
  "SELECT p.code, b.period_start, b.posting_date, count (*) FROM bill b"
  " JOIN contract c ON c.id = b.contract_id JOIN project p ON p.id = c.project_id"
  " WHERE b.kind = 'bill' AND b.posting_date >= $1 AND b.posting_date <= $2" FILTER_PROJECT (3)
  " GROUP BY p.code, b.period_start, b.posting_date";

/* The same by contract, for the slices keyed by contract. */
static const char issue_by_contract_sql[] =
  "SELECT p.code, b.period_start, b.posting_date, count (*), c.code FROM bill b"
  " JOIN contract c ON c.id = b.contract_id JOIN project p ON p.id = c.project_id"
  " WHERE b.kind = 'bill' AND b.posting_date >= $1 AND b.posting_date <= $2" FILTER_PROJECT (3)
  " GROUP BY p.code, b.period_start, b.posting_date, c.code";

static const char reconciliation_sql[] =
  "SELECT CASE WHEN r.scope_kind = 'project' THEN r.scope_code"
  "  WHEN r.scope_kind = 'contract' THEN (SELECT p2.code FROM contract c2"
  "   JOIN project p2 ON p2.id = c2.project_id WHERE c2.code = r.scope_code) END AS pcode,"
  " r.period, r.created_at, r.status, r.updated_at,"
  " CASE WHEN r.scope_kind = 'contract' THEN r.scope_code END FROM reconciliation r"
  " WHERE r.created_at >= $1 AND r.created_at < $2";

/* The key of a turnaround row: "" unsliced, the project in column PROJECT_COLUMN, or the key
 * of the contract whose code is in column CONTRACT_COLUMN ("-": none, or not in KEYS). */
static const char *
turnaround_key (TenureKpiSlice  by,
                GHashTable     *keys,
                TenureStmt     *stmt,
                int             project_column,
                int             contract_column)
{
  const char *key;

  if (by == TENURE_KPI_BY_NONE)
    return "";
  if (keys == NULL)
    return tenure_stmt_column_text (stmt, project_column);
  key = tenure_stmt_column_is_null (stmt, contract_column)
        ? NULL : g_hash_table_lookup (keys, tenure_stmt_column_text (stmt, contract_column));
  return key != NULL ? key : "-";
}

GPtrArray *
tenure_kpi_turnaround (TenureDb        *db,
                       TenureDate       from,
                       TenureDate       to,
                       const char      *project_code,
                       TenureKpiSlice   by,
                       GError         **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) keys = NULL;
  char end_text[TENURE_DATE_ISO_BUF_SIZE];
  GError *local = NULL;
  Groups g;

  if (!_tenure_kpi_check_date (from, _("The start date is not a valid date"), error)
      || !_tenure_kpi_check_date (to, _("The end date is not a valid date"), error))
    return NULL;
  /* Other slices key each row by its contract, as the money slices do on TO. */
  if (by != TENURE_KPI_BY_NONE && by != TENURE_KPI_BY_PROJECT)
    {
      keys = tenure_kpi_contract_slice_keys (db, to, project_code, by, error);
      if (keys == NULL)
        return NULL;
    }
  /* Timestamps compare as text: everything before the day after TO. */
  tenure_date_format_iso_buf (tenure_date_add_days (to, 1), end_text);
  groups_init (&g, sizeof (TenureKpiTurnaround));
  if (by == TENURE_KPI_BY_NONE)
    groups_get (&g, "");

  stmt = prepare_scoped (db, approval_sql, 3, project_code, error);
  if (stmt == NULL)
    goto fail;
  _tenure_kpi_bind_date (stmt, 1, from);
  tenure_stmt_bind_text (stmt, 2, end_text);
  tenure_stmt_bind_text (stmt, 3, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      TenureKpiTurnaround *row = groups_get (&g, turnaround_key (by, keys, stmt, 0, 4));
      TenureDate start = _tenure_kpi_column_date (stmt, 1);
      TenureDate approved = _tenure_kpi_column_date (stmt, 3);

      if (start == TENURE_DATE_INVALID)
        start = _tenure_kpi_column_date (stmt, 2);
      if (start == TENURE_DATE_INVALID || approved == TENURE_DATE_INVALID)
        continue;
      row->contracts++;
      row->approval_days += (gint64) approved - start;
    }
  if (local != NULL)
    goto fail_local;
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = prepare_scoped (db, keys != NULL ? issue_by_contract_sql : issue_sql, 3, project_code,
                        error);
  if (stmt == NULL)
    goto fail;
  _tenure_kpi_bind_date (stmt, 1, from);
  _tenure_kpi_bind_date (stmt, 2, to);
  tenure_stmt_bind_text (stmt, 3, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      TenureKpiTurnaround *row = groups_get (&g, turnaround_key (by, keys, stmt, 0, 4));
      gint64 n = tenure_stmt_column_int64 (stmt, 3);

      row->bills += n;
      row->issue_days += n * ((gint64) _tenure_kpi_column_date (stmt, 2)
                              - _tenure_kpi_column_date (stmt, 1));
    }
  if (local != NULL)
    goto fail_local;
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = tenure_db_prepare (db, reconciliation_sql, error);
  if (stmt == NULL)
    goto fail;
  _tenure_kpi_bind_date (stmt, 1, from);
  tenure_stmt_bind_text (stmt, 2, end_text);
  while (tenure_stmt_step (stmt, &local))
    {
      const char *project = tenure_stmt_column_text (stmt, 0);
      g_autofree char *first_text = g_strdup_printf ("%s-01", tenure_stmt_column_text (stmt, 1));
      TenureDate first = TENURE_DATE_INVALID, created, period_end;
      TenureKpiTurnaround *row;

      if (project_code != NULL && g_strcmp0 (project, project_code) != 0)
        continue;
      if (by == TENURE_KPI_BY_PROJECT && project == NULL)
        project = "-";   /* a legal entity's reconciliation spans its projects */
      if (!tenure_date_parse_iso (first_text, &first, NULL))
        continue;
      period_end = _tenure_kpi_month_last (first);
      created = _tenure_kpi_column_date (stmt, 2);
      row = groups_get (&g, keys != NULL ? turnaround_key (by, keys, stmt, 0, 5)
                                         : by == TENURE_KPI_BY_NONE ? "" : project);
      row->reconciliations++;
      row->reconciliation_days += (gint64) created - period_end;
      if (g_strcmp0 (tenure_stmt_column_text (stmt, 3), "closed") == 0)
        {
          row->closed++;
          row->close_days += (gint64) _tenure_kpi_column_date (stmt, 4) - period_end;
        }
    }
  if (local != NULL)
    goto fail_local;
  return groups_finish (&g);

fail_local:
  g_propagate_error (error, local);
fail:
  groups_abandon (&g);
  return NULL;
}

/* ---- For the slices and the lists (tenure-kpi-slices.c) ---------------------------------- */

GHashTable *
_tenure_kpi_contract_keys (TenureDb        *db,
                           const char      *project_code,
                           TenureKpiSlice   by,
                           GError         **error)
{
  return load_contract_keys (db, project_code, by, error);
}

GHashTable *
_tenure_kpi_contract_largest_units (TenureDb    *db,
                                    const char  *project_code,
                                    GError     **error)
{
  g_autoptr(GHashTable) units = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       g_free);
  g_autoptr(TenureStmt) stmt = prepare_scoped (db, contract_keys_sql, 1, project_code, error);
  GError *local = NULL;

  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0), unit = tenure_stmt_column_int64 (stmt, 4);

      g_hash_table_insert (units, g_memdup2 (&id, sizeof id), g_memdup2 (&unit, sizeof unit));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&units);
}

static const char planned_lines_sql[] =
  "SELECT c.tenant_id, p.code, rl.due_date, rl.amount, c.id FROM receivable_line rl"
  " JOIN contract c ON c.id = rl.contract_id JOIN project p ON p.id = c.project_id"
  " WHERE rl.status = 'planned' AND rl.due_date >= $1 AND rl.due_date <= $2"
  " AND rl.currency = $3 AND c.status NOT IN ('draft', 'pending_approval')" FILTER_PROJECT (4);

/* One (tenant, month) of the forecast with its contracts' parts. */
typedef struct
{
  gint64  tenant_id;
  guint   month;
  guint   project;      /* the first line's, as in cash_flow_fill () */
  GArray *parts;        /* TenureKpiForecastLine */
} TenantMonth;

static void
tenant_month_free (gpointer data)
{
  TenantMonth *t = data;

  g_array_unref (t->parts);
  g_free (t);
}

static void
tenant_month_add (GHashTable *table,
                  GPtrArray  *order,
                  gint64      tenant_id,
                  gint64      contract_id,
                  guint       project,
                  guint       month,
                  gint64      amount)
{
  Due key = { tenant_id, project, month, 0 };
  TenantMonth *t = g_hash_table_lookup (table, &key);
  TenureKpiForecastLine *part = NULL;

  if (t == NULL)
    {
      t = g_new0 (TenantMonth, 1);
      t->tenant_id = tenant_id;
      t->month = month;
      t->project = project;
      t->parts = g_array_new (FALSE, TRUE, sizeof (TenureKpiForecastLine));
      g_hash_table_insert (table, g_memdup2 (&key, sizeof key), t);
      g_ptr_array_add (order, t);
    }
  if (t->project == G_MAXUINT)
    t->project = project;
  for (guint i = 0; i < t->parts->len && part == NULL; i++)
    if (g_array_index (t->parts, TenureKpiForecastLine, i).contract_id == contract_id)
      part = &g_array_index (t->parts, TenureKpiForecastLine, i);
  if (part == NULL)
    {
      TenureKpiForecastLine fresh = { tenant_id, contract_id, month, 0, 0 };

      g_array_append_val (t->parts, fresh);
      part = &g_array_index (t->parts, TenureKpiForecastLine, t->parts->len - 1);
    }
  part->contractual += amount;
}

/* Shares EXPECTED among PARTS in proportion to their contractual amounts: floors first, then
 * one fen each to the largest remainders (ties to the earlier part), so the parts add up. */
static void
share_expected (GArray *parts,
                gint64  expected)
{
  gint64 total = 0, given = 0, sign;
  g_autofree __int128 *rem = g_new0 (__int128, parts->len + 1);

  for (guint i = 0; i < parts->len; i++)
    total += g_array_index (parts, TenureKpiForecastLine, i).contractual;
  if (total == 0)
    {
      /* Nothing to weigh by: the first part carries it (0 unless amounts cancel out). */
      if (parts->len > 0)
        g_array_index (parts, TenureKpiForecastLine, 0).expected = expected;
      return;
    }
  sign = total < 0 ? -1 : 1;
  for (guint i = 0; i < parts->len; i++)
    {
      TenureKpiForecastLine *p = &g_array_index (parts, TenureKpiForecastLine, i);
      __int128 num = (__int128) expected * p->contractual * sign;
      __int128 den = (__int128) total * sign;
      __int128 q = num / den, r = num % den;

      if (r < 0)
        {
          q -= 1;
          r += den;
        }
      p->expected = (gint64) q;
      rem[i] = r;
      given += p->expected;
    }
  for (gint64 left = expected - given; left > 0; left--)
    {
      guint best = 0;

      for (guint i = 1; i < parts->len; i++)
        if (rem[i] > rem[best])
          best = i;
      g_array_index (parts, TenureKpiForecastLine, best).expected++;
      rem[best] = -1;
    }
}

GArray *
_tenure_kpi_cash_flow_lines (TenureDb     *db,
                             TenureDate    as_of,
                             const char   *project_code,
                             const char   *currency,
                             gint64       *pooled_on_time,
                             gint64       *pooled_billed,
                             GError      **error)
{
  TenureDate first = _tenure_kpi_month_first (as_of);
  TenureDate last = _tenure_kpi_month_last (tenure_date_add_months (first,
                                                                    TENURE_KPI_FORECAST_MONTHS - 1));
  g_autoptr(GHashTable) tenants = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         g_free);
  g_autoptr(GHashTable) projects = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                          g_free);
  g_autoptr(GHashTable) project_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) table = g_hash_table_new_full (due_hash, due_equal, g_free, NULL);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (tenant_month_free);
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (TenureKpiForecastLine));
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree Sums *at_as_of = NULL;
  Share2 pooled = { 0, 0 };
  GError *local = NULL;
  Ledger l = { 0 };

  if (!_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  currency = currency_or_default (currency);
  if (!ledger_load (&l, db, as_of, currency, project_code, error))
    {
      ledger_clear (&l);
      return NULL;
    }
  for (guint i = 0; i < l.projects->len; i++)
    g_hash_table_insert (project_index, g_ptr_array_index (l.projects, i), GUINT_TO_POINTER (i));
  ledger_on_time (&l, tenants, projects, &pooled);
  at_as_of = ledger_sums (&l, as_of);

  /* The same amounts as cash_flow_fill (), kept by contract. */
  for (guint i = 0; i < l.lines->len; i++)
    {
      const Line *line = &g_array_index (l.lines, Line, i);
      gint64 open;
      guint month;

      if (line->due < first || line->due > last)
        continue;
      open = open_of (line, &at_as_of[i]);
      month = (guint) ((tenure_date_get_year (line->due) - tenure_date_get_year (first)) * 12
                       + tenure_date_get_month (line->due) - tenure_date_get_month (first));
      if (open > 0)
        tenant_month_add (table, order, line->tenant_id, line->contract_id, line->project,
                          month, open);
    }
  stmt = prepare_scoped (db, planned_lines_sql, 4, project_code, error);
  if (stmt == NULL)
    goto fail;
  _tenure_kpi_bind_date (stmt, 1, first);
  _tenure_kpi_bind_date (stmt, 2, last);
  tenure_stmt_bind_text (stmt, 3, currency);
  tenure_stmt_bind_text (stmt, 4, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      TenureDate due = _tenure_kpi_column_date (stmt, 2);
      gpointer index = NULL;
      guint month = (guint) ((tenure_date_get_year (due) - tenure_date_get_year (first)) * 12
                             + tenure_date_get_month (due) - tenure_date_get_month (first));

      if (!g_hash_table_lookup_extended (project_index, tenure_stmt_column_text (stmt, 1), NULL,
                                         &index))
        index = GUINT_TO_POINTER (G_MAXUINT);
      tenant_month_add (table, order, tenure_stmt_column_int64 (stmt, 0),
                        tenure_stmt_column_int64 (stmt, 4), GPOINTER_TO_UINT (index), month,
                        tenure_stmt_column_int64 (stmt, 3));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      goto fail;
    }

  for (guint i = 0; i < order->len; i++)
    {
      TenantMonth *t = g_ptr_array_index (order, i);
      gint64 project_key = t->project, amount = 0;
      const Share2 *s = g_hash_table_lookup (tenants, &t->tenant_id);

      if (s == NULL || s->billed == 0)
        s = t->project != G_MAXUINT ? g_hash_table_lookup (projects, &project_key) : NULL;
      for (guint j = 0; j < t->parts->len; j++)
        amount += g_array_index (t->parts, TenureKpiForecastLine, j).contractual;
      share_expected (t->parts, (s == NULL || s->billed == 0)
                                ? amount : mul_div_round (amount, s->on_time, s->billed));
      g_array_append_vals (out, t->parts->data, t->parts->len);
    }
  if (pooled_on_time != NULL)
    *pooled_on_time = pooled.on_time;
  if (pooled_billed != NULL)
    *pooled_billed = pooled.billed;
  ledger_clear (&l);
  return g_steal_pointer (&out);

fail:
  ledger_clear (&l);
  return NULL;
}

GPtrArray *
_tenure_kpi_collection_keyed (TenureDb        *db,
                              TenureDate       from,
                              TenureDate       to,
                              TenureDate       as_of,
                              const char      *project_code,
                              const char      *currency,
                              TenureKpiSlice   by,
                              GHashTable      *contract_keys,
                              GError         **error)
{
  g_autoptr(GHashTable) own_keys = NULL;
  GPtrArray *out;
  Ledger l = { 0 };

  if (!_tenure_kpi_check_date (from, _("The month is not a valid date"), error)
      || !_tenure_kpi_check_date (to, _("The month is not a valid date"), error)
      || !_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  /* Keys given by the caller (the term slice) are looked up like the unit-based ones. */
  if (contract_keys != NULL)
    by = TENURE_KPI_BY_BUILDING;
  else if (by != TENURE_KPI_BY_NONE && by != TENURE_KPI_BY_PROJECT)
    {
      /* term and price band come with CONTRACT_KEYS (tenure_kpi_collection_sliced ()) */
      g_return_val_if_fail (by != TENURE_KPI_BY_TERM && by != TENURE_KPI_BY_PRICE_BAND, NULL);
      contract_keys = own_keys = load_contract_keys (db, project_code, by, error);
      if (contract_keys == NULL)
        return NULL;
    }
  if (!ledger_load (&l, db, as_of, currency_or_default (currency), project_code, error))
    {
      ledger_clear (&l);
      return NULL;
    }
  out = g_ptr_array_new_with_free_func (keyed_free);
  for (TenureDate m = _tenure_kpi_month_first (from); m != TENURE_DATE_INVALID && m <= to;
       m = tenure_date_add_months (m, 1))
    g_ptr_array_extend_and_steal (out, collection_from_ledger (&l, m, m, by, contract_keys,
                                                               FALSE));
  ledger_clear (&l);
  return out;
}
