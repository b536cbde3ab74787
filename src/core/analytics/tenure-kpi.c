/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-kpi"

#include "analytics/tenure-kpi.h"
#include "analytics/tenure-kpi-private.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-exact.h"
#include "base/tenure-i18n.h"
#include "leasing/tenure-charge-item.h"
#include "contracts/tenure-contract-store.h"

/* ---- Helpers ------------------------------------------------------------------------------ */

gboolean
tenure_kpi_slice_parse (const char      *text,
                        TenureKpiSlice  *out,
                        GError         **error)
{
  static const struct { const char *name; TenureKpiSlice slice; } names[] = {
    { "project", TENURE_KPI_BY_PROJECT }, { "building", TENURE_KPI_BY_BUILDING },
    { "format", TENURE_KPI_BY_FORMAT }, { "area-band", TENURE_KPI_BY_AREA_BAND },
    { "term", TENURE_KPI_BY_TERM }, { "price-band", TENURE_KPI_BY_PRICE_BAND },
  };

  if (text == NULL || *text == '\0')
    {
      *out = TENURE_KPI_BY_NONE;
      return TRUE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (text, names[i].name) == 0)
      {
        *out = names[i].slice;
        return TRUE;
      }
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
               _("Unknown slice “%s”: use project, building, format, area-band, term or "
                 "price-band"), text);
  return FALSE;
}

gint64
tenure_kpi_ppm (gint64 num,
                gint64 den)
{
  gint64 ppm = 0;

  if (den == 0)
    return 0;
  if (!tenure_exact_round (tenure_exact_mul (tenure_exact_frac (num, den),
                                             tenure_exact_int (1000000)),
                           TENURE_ROUND_DEFAULT, &ppm, NULL))
    return 0;
  return ppm;
}

static gint64
column_int64_or (TenureStmt *stmt,
                 guint       column,
                 gint64      fallback)
{
  if (tenure_stmt_column_is_null (stmt, column))
    return fallback;
  return tenure_stmt_column_int64 (stmt, column);
}

/* Days of the lease left on AS_OF, both ends included. */
static gint64
remaining_days (TenureDate as_of,
                TenureDate end)
{
  return MAX (0, tenure_date_days_inclusive (as_of, end));
}

/* ---- Clauses ------------------------------------------------------------------------------ */

typedef struct
{
  char   *charge_code;
  char   *charge_name;
  char   *charge_kind;
  char   *basis;
  gint64  price_e4;
  gint64  amount;
  int     cycle_months;
  TenureDate starts_on;
  TenureDate ends_on;
  char   *escalation;   /* stored JSON, NULL for none */
} Clause;

static void
clause_free (gpointer data)
{
  Clause *c = data;

  g_free (c->charge_code);
  g_free (c->charge_name);
  g_free (c->charge_kind);
  g_free (c->basis);
  g_free (c->escalation);
  g_free (c);
}

/* The price (or amount) of clause C on AS_OF after the reviews of its escalation that fell
 * after the clause start, as the plan engine applies them (domain §5: stepped escalation rounds
 * half up to 4 decimals, amounts to fen), and the next review after AS_OF (or
 * TENURE_DATE_INVALID). A CPI escalation needs published indexes the KPI engine does not read:
 * the price stays the base one and only the next review date is given. */
static gboolean
clause_on (const Clause *c,
           TenureDate    contract_start,
           TenureDate    as_of,
           gint64       *price_e4,
           gint64       *amount,
           TenureDate   *next_review,
           GError      **error)
{
  g_autoptr(TenureClause) clause = NULL;
  const TenureEscalation *e;
  gboolean per_m2;

  *price_e4 = c->price_e4;
  *amount = c->amount;
  *next_review = TENURE_DATE_INVALID;
  if (c->escalation == NULL)
    return TRUE;
  clause = tenure_clause_new (c->charge_code, TENURE_BASIS_FIXED_MONTH);
  if (!tenure_clause_escalation_from_json (clause, c->escalation, c->charge_code, error))
    return FALSE;
  e = &clause->escalation;
  per_m2 = g_str_has_prefix (c->basis, "per_m2");
  if (e->kind == TENURE_ESCALATION_NONE)
    return TRUE;
  if (e->kind == TENURE_ESCALATION_TABLE)
    {
      for (guint i = 0; e->table != NULL && i < e->table->len; i++)
        {
          const TenurePriceStep *step = &g_array_index (e->table, TenurePriceStep, i);

          if (step->from <= as_of)
            *(per_m2 ? price_e4 : amount) = step->value;
          else if (*next_review == TENURE_DATE_INVALID && step->from <= c->ends_on)
            *next_review = step->from;
        }
      return TRUE;
    }
  /* Review dates strictly after the clause start, as the plan engine counts them. */
  for (gint64 k = 1, year = tenure_date_get_year (c->starts_on), first_year = -1;
       k < 2000; k++)
    {
      TenureDate r;

      if (e->trigger == TENURE_ESCALATION_BY_LEASE_YEAR)
        r = tenure_date_add_months (contract_start, 12 * e->every_years * k);
      else
        {
          int y = (int) year++;

          r = tenure_date_from_ymd (y, e->month, MIN (e->day, tenure_date_days_in_month (y,
                                                                                      e->month)));
          if (r != TENURE_DATE_INVALID && r > c->starts_on
              && (!tenure_date_is_valid (e->first_review) || r >= e->first_review))
            {
              if (first_year < 0)
                first_year = y;
              if ((y - first_year) % e->every_years != 0)
                continue;
            }
        }
      if (!tenure_date_is_valid (r))
        break;
      if (r <= c->starts_on || (tenure_date_is_valid (e->first_review) && r < e->first_review))
        continue;
      if (r > as_of)
        {
          if (r <= c->ends_on)
            *next_review = r;
          break;
        }
      if (e->kind == TENURE_ESCALATION_PERCENT)
        {
          gint64 *value = per_m2 ? price_e4 : amount;

          if (!tenure_exact_escalate_price (*value, e->percent_ppm, TENURE_ROUND_HALF_AWAY_FROM_ZERO,
                                            value, error))
            return FALSE;
        }
      else if (e->kind == TENURE_ESCALATION_AMOUNT)
        *(per_m2 ? price_e4 : amount) += e->delta;
    }
  return TRUE;
}

/* The exact monthly amount in fen of clause C for AREA_C of a version of VERSION_AREA_C, or an
 * exact 0 for the bases without a monthly amount (turnover, one-off). */
static TenureExact
clause_month_exact (const char *basis,
                    gint64      price_e4,
                    gint64      amount,
                    int         cycle_months,
                    gint64      area_c,
                    gint64      version_area_c)
{
  if (g_strcmp0 (basis, "per_m2_month") == 0 && price_e4 >= 0)
    return tenure_exact_rent_fen (price_e4, area_c, tenure_exact_int (1));
  if (g_strcmp0 (basis, "per_m2_day") == 0 && price_e4 >= 0)
    return tenure_exact_rent_fen (price_e4, area_c, tenure_exact_frac (365, 12));
  if (g_strcmp0 (basis, "fixed_month") == 0 && version_area_c > 0)
    return tenure_exact_mul (tenure_exact_int (amount),
                             tenure_exact_frac (area_c, version_area_c));
  if (g_strcmp0 (basis, "fixed_period") == 0 && version_area_c > 0 && cycle_months > 0)
    return tenure_exact_mul (tenure_exact_frac (amount, cycle_months),
                             tenure_exact_frac (area_c, version_area_c));
  return tenure_exact_int (0);
}

/* The exact amount in fen clause C carries for DAYS days of a month of DIM days. */
static TenureExact
clause_days_exact (const char *basis,
                   gint64      price_e4,
                   gint64      amount,
                   int         cycle_months,
                   gint64      area_c,
                   gint64      version_area_c,
                   gint64      days,
                   int         dim)
{
  if (g_strcmp0 (basis, "per_m2_day") == 0 && price_e4 >= 0)
    return tenure_exact_rent_fen (price_e4, area_c, tenure_exact_int (days));
  return tenure_exact_mul (clause_month_exact (basis, price_e4, amount, cycle_months, area_c,
                                               version_area_c),
                           tenure_exact_frac (days, dim));
}

#define FILTER_PROJECT " AND (CAST($2 AS text) IS NULL OR p.code = $2)"

/* SQL written with FILTER_PROJECT, prepared for one project or for all: the OR in the generic
 * filter keeps SQLite from driving the query from the project's contracts (a scan of the whole
 * group for one project's dashboard); $2 stays bound either way. */
static TenureStmt *
prepare_scoped (TenureDb    *db,
                const char  *sql,
                const char  *project_code,
                GError     **error)
{
  g_autoptr(GString) text = g_string_new (sql);

  g_string_replace (text, FILTER_PROJECT, project_code != NULL
                                          ? " AND p.code = CAST($2 AS text)"
                                          : " AND CAST($2 AS text) IS NULL", 0);
  return tenure_db_prepare (db, text->str, error);
}

/* Contracts that cover $1 through their version in force (alias c, v). */
#define COVERING_WHERE \
  " c.status IN ('active', 'expired', 'terminated')" \
  " AND c.start_date <= $1 AND c.end_date >= $1" \
  " AND (c.terminated_on IS NULL OR c.terminated_on >= $1)" \
  " AND v.status IN ('approved', 'superseded')" \
  " AND v.version_no = (SELECT max(v2.version_no) FROM contract_version v2" \
  "   WHERE v2.contract_id = c.id AND v2.status IN ('approved', 'superseded')" \
  "   AND v2.effective_from <= $1)"

#define ENDED \
  "CASE WHEN c.terminated_on IS NOT NULL AND c.terminated_on < c.end_date" \
  " THEN c.terminated_on ELSE c.end_date END"

static const char clauses_sql[] =
  "SELECT v.id, cl.basis, cl.price_e4, cl.amount, cl.cycle_months, ci.code, ci.name, ci.kind,"
  " cl.starts_on, cl.escalation, cl.ends_on"
  " FROM contract_version v JOIN contract c ON c.id = v.contract_id"
  " JOIN project p ON p.id = c.project_id"
  " JOIN clause cl ON cl.contract_version_id = v.id"
  " JOIN charge_item ci ON ci.id = cl.charge_item_id"
  " WHERE" COVERING_WHERE FILTER_PROJECT
  " AND cl.starts_on <= $1 AND cl.ends_on >= $1 AND ci.kind <> 'deposit'"
  " ORDER BY v.id, ci.code, cl.id";

/* Version id → GPtrArray of Clause in force on AS_OF. */
static GHashTable *
load_clauses (TenureDb    *db,
              TenureDate   as_of,
              const char  *project_code,
              GError     **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(TenureStmt) stmt = prepare_scoped (db, clauses_sql, project_code, error);
  GError *local = NULL;

  if (stmt == NULL)
    return NULL;
  _tenure_kpi_bind_date (stmt, 1, as_of);
  tenure_stmt_bind_text (stmt, 2, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      gint64 vid = tenure_stmt_column_int64 (stmt, 0);
      GPtrArray *list = g_hash_table_lookup (table, &vid);
      Clause *c = g_new0 (Clause, 1);

      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (clause_free);
          g_hash_table_insert (table, g_memdup2 (&vid, sizeof vid), list);
        }
      c->basis = g_strdup (tenure_stmt_column_text (stmt, 1));
      c->price_e4 = column_int64_or (stmt, 2, -1);
      c->amount = column_int64_or (stmt, 3, 0);
      c->cycle_months = (int) tenure_stmt_column_int64 (stmt, 4);
      c->charge_code = g_strdup (tenure_stmt_column_text (stmt, 5));
      c->charge_name = g_strdup (tenure_charge_item_label (c->charge_code,
                                                     tenure_stmt_column_text (stmt, 6)));
      c->charge_kind = g_strdup (tenure_stmt_column_text (stmt, 7));
      c->starts_on = _tenure_kpi_column_date (stmt, 8);
      c->escalation = g_strdup (tenure_stmt_column_text (stmt, 9));
      c->ends_on = _tenure_kpi_column_date (stmt, 10);
      g_ptr_array_add (list, c);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&table);
}

/* ---- Unit snapshot on a date ---------------------------------------------------------------- */

typedef struct
{
  gint64      id;
  char       *code;
  char       *project;
  char       *building;
  char       *format;
  char       *status;
  gint64      leasable_c;
  gint64      asking_e4;      /* -1 when unset */
  gboolean    asking_per_day;
  gboolean    leased;
  gint64      contract_id;
  gint64      version_id;
  char       *contract_code;
  char       *tenant;
  TenureDate  start;
  TenureDate  end;
  gint64      area_c;
  gint64      version_area_c;
  gint64      monthly_rent;   /* fen */
  char       *price_band;     /* with the rent: see TENURE_KPI_BY_PRICE_BAND */
} Unit;

static void
unit_free (gpointer data)
{
  Unit *u = data;

  g_free (u->code);
  g_free (u->project);
  g_free (u->building);
  g_free (u->format);
  g_free (u->status);
  g_free (u->contract_code);
  g_free (u->tenant);
  g_free (u->price_band);
  g_free (u);
}

static int
compare_rent_per_m2 (gconstpointer a,
                     gconstpointer b)
{
  const Unit *x = *(Unit * const *) a, *y = *(Unit * const *) b;
  int by_format = strcmp (x->format, y->format);
  __int128 l, r;

  if (by_format != 0)
    return by_format;
  /* rent / area compared exactly: x.rent × y.area against y.rent × x.area */
  l = (__int128) x->monthly_rent * y->area_c;
  r = (__int128) y->monthly_rent * x->area_c;
  if (l != r)
    return l < r ? -1 : 1;
  return strcmp (x->code, y->code);
}

/* Quintiles of rent per m² within each format (TENURE_KPI_BY_PRICE_BAND). */
static void
assign_price_bands (GPtrArray *units)
{
  g_autoptr(GPtrArray) ranked = g_ptr_array_new ();

  for (guint i = 0; i < units->len; i++)
    {
      Unit *u = g_ptr_array_index (units, i);

      if (!u->leased)
        u->price_band = g_strdup ("vacant");
      else if (u->monthly_rent <= 0 || u->area_c <= 0)
        u->price_band = g_strdup ("no-rent");
      else
        g_ptr_array_add (ranked, u);
    }
  g_ptr_array_sort (ranked, compare_rent_per_m2);
  for (guint i = 0; i < ranked->len; )
    {
      const char *format = ((Unit *) g_ptr_array_index (ranked, i))->format;
      guint n = 0;

      while (i + n < ranked->len
             && strcmp (((Unit *) g_ptr_array_index (ranked, i + n))->format, format) == 0)
        n++;
      for (guint k = 0; k < n; k++)
        {
          Unit *u = g_ptr_array_index (ranked, i + k);

          u->price_band = g_strdup_printf ("%s Q%u", format, (guint) ((guint64) 5 * k / n) + 1);
        }
      i += n;
    }
}

static const char units_sql[] =
  "WITH cov AS (SELECT cu.unit_id, c.id AS cid, c.code AS ccode, t.name AS tname,"
  "  c.start_date AS sd, " ENDED " AS ed, cu.area_c, v.id AS vid,"
  "  (SELECT CAST(sum(cu2.area_c) AS bigint) FROM contract_unit cu2"
  "    WHERE cu2.contract_version_id = v.id) AS varea"
  "  FROM contract_unit cu JOIN contract_version v ON v.id = cu.contract_version_id"
  "  JOIN contract c ON c.id = v.contract_id JOIN tenant t ON t.id = c.tenant_id"
  "  JOIN project p ON p.id = c.project_id"
  "  WHERE" COVERING_WHERE FILTER_PROJECT ")"
  " SELECT u.id, u.code, p.code, b.code, u.format, u.stored_status, u.leasable_area_c,"
  " u.asking_price_e4, u.asking_price_basis, cov.cid, cov.ccode, cov.tname, cov.sd, cov.ed,"
  " cov.area_c, cov.vid, cov.varea"
  " FROM unit u JOIN floor f ON f.id = u.floor_id JOIN building b ON b.id = f.building_id"
  " JOIN project p ON p.id = b.project_id LEFT JOIN cov ON cov.unit_id = u.id"
  " WHERE u.retired_on IS NULL" FILTER_PROJECT
  " ORDER BY u.code, cov.sd DESC, cov.cid DESC";

/* Every live unit (GPtrArray of Unit, by code) with its lease on AS_OF; with WITH_RENT the
 * monthly rent too, and when CLAUSES is not NULL it receives the clauses in force (see
 * load_clauses ()). Occupancy needs neither: the clauses are most of the work. */
static GPtrArray *
load_units (TenureDb     *db,
            TenureDate    as_of,
            const char   *project_code,
            gboolean      with_rent,
            GHashTable  **clauses_out,
            GError      **error)
{
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func (unit_free);
  g_autoptr(GHashTable) clauses = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  GError *local = NULL;
  Unit *last = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (with_rent || clauses_out != NULL)
    clauses = load_clauses (db, as_of, project_code, error);
  else
    clauses = g_hash_table_new (g_int64_hash, g_int64_equal);
  if (clauses == NULL)
    return NULL;
  g_debug ("clauses in force: %u versions, %.1f ms", g_hash_table_size (clauses),
           (g_get_monotonic_time () - t0) / 1000.0);
  stmt = prepare_scoped (db, units_sql, project_code, error);
  if (stmt == NULL)
    return NULL;
  _tenure_kpi_bind_date (stmt, 1, as_of);
  tenure_stmt_bind_text (stmt, 2, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);
      Unit *u;

      /* Two contracts covering one unit on a day is bad data: the latest start counts. */
      if (last != NULL && last->id == id)
        continue;
      u = g_new0 (Unit, 1);
      u->id = id;
      u->code = g_strdup (tenure_stmt_column_text (stmt, 1));
      u->project = g_strdup (tenure_stmt_column_text (stmt, 2));
      u->building = g_strdup (tenure_stmt_column_text (stmt, 3));
      u->format = g_strdup (tenure_stmt_column_text (stmt, 4));
      u->status = g_strdup (tenure_stmt_column_text (stmt, 5));
      u->leasable_c = tenure_stmt_column_int64 (stmt, 6);
      u->asking_e4 = column_int64_or (stmt, 7, -1);
      u->asking_per_day = g_strcmp0 (tenure_stmt_column_text (stmt, 8), "per_m2_day") == 0;
      if (!tenure_stmt_column_is_null (stmt, 9))
        {
          GPtrArray *list;
          TenureExact rent = tenure_exact_int (0);

          u->contract_id = tenure_stmt_column_int64 (stmt, 9);
          u->contract_code = g_strdup (tenure_stmt_column_text (stmt, 10));
          u->tenant = g_strdup (tenure_stmt_column_text (stmt, 11));
          u->start = _tenure_kpi_column_date (stmt, 12);
          u->end = _tenure_kpi_column_date (stmt, 13);
          u->area_c = MIN (tenure_stmt_column_int64 (stmt, 14), u->leasable_c);
          u->version_id = tenure_stmt_column_int64 (stmt, 15);
          u->version_area_c = column_int64_or (stmt, 16, 0);
          u->leased = strcmp (u->status, "renovation") != 0
                      && strcmp (u->status, "not_for_lease") != 0;
          list = g_hash_table_lookup (clauses, &u->version_id);
          for (guint i = 0; list != NULL && i < list->len; i++)
            {
              Clause *c = g_ptr_array_index (list, i);
              gint64 fen = 0, price_e4, amount;
              TenureDate next;

              if (g_strcmp0 (c->charge_kind, "rent") != 0)
                continue;
              if (!clause_on (c, u->start, as_of, &price_e4, &amount, &next, error))
                return NULL;
              /* Each clause's monthly amount is rounded once, as on a bill. */
              if (!tenure_exact_round (clause_month_exact (c->basis, price_e4, amount,
                                                           c->cycle_months,
                                                           tenure_stmt_column_int64 (stmt, 14),
                                                           u->version_area_c),
                                       TENURE_ROUND_DEFAULT, &fen, error))
                return NULL;
              rent = tenure_exact_add (rent, tenure_exact_int (fen));
            }
          if (!tenure_exact_round (rent, TENURE_ROUND_DEFAULT, &u->monthly_rent, error))
            return NULL;
        }
      g_ptr_array_add (units, u);
      last = u;
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (with_rent)
    assign_price_bands (units);
  g_debug ("units: %u, %.1f ms in all", units->len, (g_get_monotonic_time () - t0) / 1000.0);
  if (clauses_out != NULL)
    *clauses_out = g_steal_pointer (&clauses);
  return g_steal_pointer (&units);
}

static gboolean
unit_for_lease (const Unit *u)
{
  return strcmp (u->status, "not_for_lease") != 0;
}

static const char *
area_band (gint64 area_c)
{
  if (area_c < 10000)
    return "<100";
  if (area_c < 30000)
    return "100-300";
  if (area_c < 100000)
    return "300-1000";
  if (area_c < 300000)
    return "1000-3000";
  return ">=3000";
}

static const char *
term_band (const Unit *u,
           TenureDate  as_of)
{
  gint64 days;

  if (!u->leased)
    return "vacant";
  days = remaining_days (as_of, u->end);
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

static const char *
slice_key (const Unit     *u,
           TenureKpiSlice  by,
           TenureDate      as_of)
{
  switch (by)
    {
    case TENURE_KPI_BY_PROJECT:
      return u->project;
    case TENURE_KPI_BY_BUILDING:
      return u->building;
    case TENURE_KPI_BY_FORMAT:
      return u->format;
    case TENURE_KPI_BY_AREA_BAND:
      return area_band (u->leasable_c);
    case TENURE_KPI_BY_TERM:
      return term_band (u, as_of);
    case TENURE_KPI_BY_PRICE_BAND:
      return u->price_band != NULL ? u->price_band : "";
    case TENURE_KPI_BY_NONE:
    default:
      return "";
    }
}

/* Rows of SIZE bytes starting with a char *key, one per key, created zeroed on demand. */
typedef struct
{
  GHashTable *index;
  GPtrArray  *rows;
  gsize       size;
} Groups;

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

/* ---- Occupancy ------------------------------------------------------------------------------ */

static GPtrArray *
occupancy_of (GPtrArray      *units,
              TenureKpiSlice  by,
              TenureDate      as_of)
{
  Groups g;

  groups_init (&g, sizeof (TenureKpiOccupancy));
  if (by == TENURE_KPI_BY_NONE)
    groups_get (&g, "");
  for (guint i = 0; i < units->len; i++)
    {
      Unit *u = g_ptr_array_index (units, i);
      TenureKpiOccupancy *row;

      if (!unit_for_lease (u))
        continue;
      row = groups_get (&g, slice_key (u, by, as_of));
      row->units++;
      row->leasable_area_c += u->leasable_c;
      if (u->leased)
        {
          row->leased_units++;
          row->leased_area_c += u->area_c;
        }
    }
  return groups_finish (&g);
}

GHashTable *
_tenure_kpi_unit_price_bands (TenureDb    *db,
                              TenureDate   as_of,
                              const char  *project_code,
                              GError     **error)
{
  g_autoptr(GPtrArray) units = load_units (db, as_of, project_code, TRUE, NULL, error);
  GHashTable *bands;

  if (units == NULL)
    return NULL;
  bands = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint i = 0; i < units->len; i++)
    {
      Unit *u = g_ptr_array_index (units, i);

      g_hash_table_insert (bands, g_memdup2 (&u->id, sizeof u->id),
                           g_strdup (slice_key (u, TENURE_KPI_BY_PRICE_BAND, as_of)));
    }
  return bands;
}

GPtrArray *
tenure_kpi_occupancy (TenureDb        *db,
                      TenureDate       as_of,
                      const char      *project_code,
                      TenureKpiSlice   by,
                      GError         **error)
{
  g_autoptr(GPtrArray) units = NULL;

  if (!_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  units = load_units (db, as_of, project_code, by == TENURE_KPI_BY_PRICE_BAND, NULL, error);
  if (units == NULL)
    return NULL;
  return occupancy_of (units, by, as_of);
}

/* Every live unit of the scope (GPtrArray of Unit, by code) without any lease: what the month
 * series evaluate their leases against. */
static const char unit_list_sql[] =
  "SELECT u.id, u.code, p.code, b.code, u.format, u.stored_status, u.leasable_area_c,"
  " u.asking_price_e4, u.asking_price_basis"
  " FROM unit u JOIN floor f ON f.id = u.floor_id JOIN building b ON b.id = f.building_id"
  " JOIN project p ON p.id = b.project_id"
  " WHERE u.retired_on IS NULL%s ORDER BY u.code";

static GPtrArray *
load_unit_list (TenureDb     *db,
                const char   *project_code,
                GError      **error)
{
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func (unit_free);
  g_autofree char *sql = g_strdup_printf (unit_list_sql,
                                          project_code != NULL ? " AND p.code = $1" : "");
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, error);
  GError *local = NULL;

  if (stmt == NULL)
    return NULL;
  if (project_code != NULL)
    tenure_stmt_bind_text (stmt, 1, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      Unit *u = g_new0 (Unit, 1);

      u->id = tenure_stmt_column_int64 (stmt, 0);
      u->code = g_strdup (tenure_stmt_column_text (stmt, 1));
      u->project = g_strdup (tenure_stmt_column_text (stmt, 2));
      u->building = g_strdup (tenure_stmt_column_text (stmt, 3));
      u->format = g_strdup (tenure_stmt_column_text (stmt, 4));
      u->status = g_strdup (tenure_stmt_column_text (stmt, 5));
      u->leasable_c = tenure_stmt_column_int64 (stmt, 6);
      u->asking_e4 = column_int64_or (stmt, 7, -1);
      u->asking_per_day = g_strcmp0 (tenure_stmt_column_text (stmt, 8), "per_m2_day") == 0;
      g_ptr_array_add (units, u);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&units);
}

/* The leases of a scope over a range with every approved or superseded version and the units
 * each holds, so that the lease covering each unit can be found on any day of the range in
 * memory, by the rule of COVERING_WHERE and load_units (). */
static const char lease_versions_sql[] =
  "SELECT c.id, c.start_date, " ENDED ", v.version_no, v.effective_from, cu.unit_id,"
  " cu.area_c"
  " FROM contract c JOIN project p ON p.id = c.project_id"
  " JOIN contract_version v ON v.contract_id = c.id"
  " LEFT JOIN contract_unit cu ON cu.contract_version_id = v.id"
  " WHERE c.status IN ('active', 'expired', 'terminated')"
  " AND v.status IN ('approved', 'superseded')"
  " AND c.start_date <= $3 AND c.end_date >= $1"
  " AND (c.terminated_on IS NULL OR c.terminated_on >= $1)" FILTER_PROJECT
  " ORDER BY c.id, v.version_no, v.id";

typedef struct
{
  guint   unit;        /* index into the unit list */
  gint64  area_c;
} HeldUnit;

typedef struct
{
  gint64      version_no;
  TenureDate  effective_from;
  guint       first, n;   /* HeldUnit range */
} LeaseVersion;

typedef struct
{
  gint64      id;
  TenureDate  start, end;
  guint       first, n;   /* LeaseVersion range */
} Lease;

typedef struct
{
  GArray *leases;     /* Lease, by id */
  GArray *versions;   /* LeaseVersion */
  GArray *held;       /* HeldUnit */
} LeaseBook;

static void
lease_book_clear (LeaseBook *b)
{
  g_clear_pointer (&b->leases, g_array_unref);
  g_clear_pointer (&b->versions, g_array_unref);
  g_clear_pointer (&b->held, g_array_unref);
}

static gboolean
lease_book_load (TenureDb     *db,
                 GPtrArray    *units,
                 TenureDate    from,
                 TenureDate    to,
                 const char   *project_code,
                 LeaseBook    *b,
                 GError      **error)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(TenureStmt) stmt = NULL;
  GError *local = NULL;

  b->leases = g_array_new (FALSE, FALSE, sizeof (Lease));
  b->versions = g_array_new (FALSE, FALSE, sizeof (LeaseVersion));
  b->held = g_array_new (FALSE, FALSE, sizeof (HeldUnit));
  for (guint i = 0; i < units->len; i++)
    {
      Unit *u = g_ptr_array_index (units, i);
      g_hash_table_insert (index, &u->id, GUINT_TO_POINTER (i + 1));
    }
  stmt = prepare_scoped (db, lease_versions_sql, project_code, error);
  if (stmt == NULL)
    return FALSE;
  _tenure_kpi_bind_date (stmt, 1, from);
  tenure_stmt_bind_text (stmt, 2, project_code);
  _tenure_kpi_bind_date (stmt, 3, to);
  while (tenure_stmt_step (stmt, &local))
    {
      gint64 cid = tenure_stmt_column_int64 (stmt, 0);
      gint64 version_no = tenure_stmt_column_int64 (stmt, 3);
      TenureDate effective = _tenure_kpi_column_date (stmt, 4);
      Lease *lease = b->leases->len > 0
                     ? &g_array_index (b->leases, Lease, b->leases->len - 1) : NULL;
      LeaseVersion *v;
      guint unit;

      if (lease == NULL || lease->id != cid)
        {
          Lease fresh = { cid, _tenure_kpi_column_date (stmt, 1), _tenure_kpi_column_date (stmt, 2),
                          b->versions->len, 0 };

          g_array_append_val (b->leases, fresh);
          lease = &g_array_index (b->leases, Lease, b->leases->len - 1);
        }
      v = lease->n > 0 ? &g_array_index (b->versions, LeaseVersion, lease->first + lease->n - 1)
                       : NULL;
      /* Versions sharing a number are one: the in-force rule cannot tell them apart. */
      if (v == NULL || v->version_no != version_no)
        {
          LeaseVersion fresh = { version_no, effective, b->held->len, 0 };

          g_array_append_val (b->versions, fresh);
          lease->n++;
          v = &g_array_index (b->versions, LeaseVersion, b->versions->len - 1);
        }
      else
        v->effective_from = MIN (v->effective_from, effective);
      if (tenure_stmt_column_is_null (stmt, 5))
        continue;
      unit = GPOINTER_TO_UINT (g_hash_table_lookup (
        index, &(gint64) { tenure_stmt_column_int64 (stmt, 5) }));
      if (unit == 0)
        continue;
      g_array_append_val (b->held, ((HeldUnit) { unit - 1, column_int64_or (stmt, 6, 0) }));
      v->n++;
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* The lease of each unit on DAY: AREA[i] (the contracted area, uncapped) or -1 when no lease
 * covers unit i. Two leases on a unit is bad data: the latest start (then the larger id)
 * counts, as in load_units (). */
static void
lease_book_on (const LeaseBook *b,
               TenureDate       day,
               guint            n_units,
               gint64          *area,
               TenureDate      *start,
               gint64          *cid)
{
  for (guint i = 0; i < n_units; i++)
    area[i] = -1;
  for (guint l = 0; l < b->leases->len; l++)
    {
      const Lease *lease = &g_array_index (b->leases, Lease, l);
      const LeaseVersion *in_force = NULL;

      if (lease->start > day || lease->end < day)
        continue;
      for (guint k = 0; k < lease->n; k++)
        {
          const LeaseVersion *v = &g_array_index (b->versions, LeaseVersion, lease->first + k);

          if (v->effective_from <= day)
            in_force = v;   /* ordered by number: the last one is the highest */
        }
      for (guint k = 0; in_force != NULL && k < in_force->n; k++)
        {
          const HeldUnit *h = &g_array_index (b->held, HeldUnit, in_force->first + k);

          if (area[h->unit] >= 0
              && (start[h->unit] > lease->start
                  || (start[h->unit] == lease->start && cid[h->unit] > lease->id)))
            continue;
          area[h->unit] = h->area_c;
          start[h->unit] = lease->start;
          cid[h->unit] = lease->id;
        }
    }
}

GPtrArray *
tenure_kpi_occupancy_series (TenureDb        *db,
                             TenureDate       from,
                             TenureDate       to,
                             const char      *project_code,
                             GError         **error)
{
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func (keyed_free);
  g_autoptr(GPtrArray) units = NULL;
  g_autofree gint64 *area = NULL;
  g_autofree gint64 *cid = NULL;
  g_autofree TenureDate *start = NULL;
  LeaseBook book = { 0 };
  TenureDate first, last;

  if (!_tenure_kpi_check_date (from, _("The start date is not a valid date"), error)
      || !_tenure_kpi_check_date (to, _("The end date is not a valid date"), error))
    return NULL;
  first = tenure_date_from_ymd (tenure_date_get_year (from), tenure_date_get_month (from), 1);
  if (first > to)
    return g_steal_pointer (&series);
  last = tenure_date_period_end (to, TENURE_PERIOD_MONTH);
  /* One read of the units and of the leases over the whole range; each month end is then
   * evaluated in memory. */
  units = load_unit_list (db, project_code, error);
  if (units == NULL)
    return NULL;
  if (!lease_book_load (db, units, tenure_date_period_end (first, TENURE_PERIOD_MONTH), last,
                        project_code, &book, error))
    {
      lease_book_clear (&book);
      return NULL;
    }
  area = g_new (gint64, units->len + 1);
  cid = g_new (gint64, units->len + 1);
  start = g_new (TenureDate, units->len + 1);
  for (TenureDate month = first; month != TENURE_DATE_INVALID && month <= to;
       month = tenure_date_add_months (month, 1))
    {
      TenureDate end = tenure_date_period_end (month, TENURE_PERIOD_MONTH);
      TenureKpiOccupancy *row = g_new0 (TenureKpiOccupancy, 1);

      row->key = tenure_date_format_iso (end);
      g_ptr_array_add (series, row);
      lease_book_on (&book, end, units->len, area, start, cid);
      for (guint i = 0; i < units->len; i++)
        {
          Unit *u = g_ptr_array_index (units, i);

          if (!unit_for_lease (u))
            continue;
          row->units++;
          row->leasable_area_c += u->leasable_c;
          if (area[i] >= 0 && strcmp (u->status, "renovation") != 0)
            {
              row->leased_units++;
              row->leased_area_c += MIN (area[i], u->leasable_c);
            }
        }
    }
  lease_book_clear (&book);
  return g_steal_pointer (&series);
}

/* ---- Expiry and WALE ---------------------------------------------------------------------- */

static GPtrArray *
expiry_of (GPtrArray      *units,
           TenureKpiSlice  by,
           TenureDate      as_of)
{
  TenureDate first;
  Groups g;

  first = tenure_date_from_ymd (tenure_date_get_year (as_of), tenure_date_get_month (as_of), 1);
  groups_init (&g, sizeof (TenureKpiExpiry));
  if (by == TENURE_KPI_BY_NONE)
    groups_get (&g, "");
  for (guint i = 0; i < units->len; i++)
    {
      Unit *u = g_ptr_array_index (units, i);
      TenureKpiExpiry *row;
      int k;

      if (!unit_for_lease (u))
        continue;
      row = groups_get (&g, slice_key (u, by, as_of));
      if (row->month[0] == TENURE_DATE_INVALID)
        for (k = 0; k < TENURE_KPI_EXPIRY_MONTHS; k++)
          row->month[k] = tenure_date_add_months (first, k);
      if (!u->leased)
        continue;
      row->leased_area_c += u->area_c;
      row->monthly_rent += u->monthly_rent;
      k = (tenure_date_get_year (u->end) - tenure_date_get_year (as_of)) * 12
          + tenure_date_get_month (u->end) - tenure_date_get_month (as_of);
      if (k >= 0 && k < TENURE_KPI_EXPIRY_MONTHS)
        {
          row->area_c[k] += u->area_c;
          row->rent[k] += u->monthly_rent;
        }
    }
  return groups_finish (&g);
}

GPtrArray *
tenure_kpi_expiry (TenureDb        *db,
                   TenureDate       as_of,
                   const char      *project_code,
                   TenureKpiSlice   by,
                   GError         **error)
{
  g_autoptr(GPtrArray) units = NULL;

  if (!_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  units = load_units (db, as_of, project_code, TRUE, NULL, error);
  if (units == NULL)
    return NULL;
  return expiry_of (units, by, as_of);
}

typedef struct
{
  TenureKpiWale pub;
  TenureExact   rent_days;
  TenureExact   area_days;
} WaleAcc;

static gint64
wale_centi (TenureExact weighted_days,
            gint64      weight,
            GError    **error)
{
  gint64 centi = -1;

  if (weight == 0)
    return -1;
  /* years × 100 = Σ(days × w) × 100 / (365 × Σ w) */
  if (!tenure_exact_round (tenure_exact_div (tenure_exact_mul (weighted_days,
                                                               tenure_exact_int (100)),
                                             tenure_exact_mul (tenure_exact_int (365),
                                                               tenure_exact_int (weight))),
                           TENURE_ROUND_DEFAULT, &centi, error))
    return -2;
  return centi;
}

static GPtrArray *
wale_of (GPtrArray       *units,
         TenureKpiSlice   by,
         TenureDate       as_of,
         GError         **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (keyed_free);
  g_autoptr(GPtrArray) accs = NULL;
  Groups g;

  groups_init (&g, sizeof (WaleAcc));
  if (by == TENURE_KPI_BY_NONE)
    groups_get (&g, "");
  for (guint i = 0; i < units->len; i++)
    {
      Unit *u = g_ptr_array_index (units, i);
      WaleAcc *acc;
      gint64 days;

      if (!unit_for_lease (u))
        continue;
      acc = groups_get (&g, slice_key (u, by, as_of));
      if (acc->pub.leased_area_c == 0 && acc->pub.monthly_rent == 0
          && acc->rent_days.den == 0)
        {
          acc->rent_days = tenure_exact_int (0);
          acc->area_days = tenure_exact_int (0);
        }
      if (!u->leased)
        continue;
      days = remaining_days (as_of, u->end);
      acc->pub.leased_area_c += u->area_c;
      acc->pub.monthly_rent += u->monthly_rent;
      acc->rent_days = tenure_exact_add (acc->rent_days,
                                         tenure_exact_mul (tenure_exact_int (days),
                                                           tenure_exact_int (u->monthly_rent)));
      acc->area_days = tenure_exact_add (acc->area_days,
                                         tenure_exact_mul (tenure_exact_int (days),
                                                           tenure_exact_int (u->area_c)));
    }
  accs = groups_finish (&g);
  for (guint i = 0; i < accs->len; i++)
    {
      WaleAcc *acc = g_ptr_array_index (accs, i);
      TenureKpiWale *row = g_new0 (TenureKpiWale, 1);

      *row = acc->pub;
      row->key = g_strdup (acc->pub.key);
      g_ptr_array_add (result, row);
      if (acc->rent_days.den == 0)
        {
          acc->rent_days = tenure_exact_int (0);
          acc->area_days = tenure_exact_int (0);
        }
      row->by_rent_centi = wale_centi (acc->rent_days, row->monthly_rent, error);
      row->by_area_centi = wale_centi (acc->area_days, row->leased_area_c, error);
      if (row->by_rent_centi == -2 || row->by_area_centi == -2)
        return NULL;
    }
  return g_steal_pointer (&result);
}

GPtrArray *
tenure_kpi_wale (TenureDb        *db,
                 TenureDate       as_of,
                 const char      *project_code,
                 TenureKpiSlice   by,
                 GError         **error)
{
  g_autoptr(GPtrArray) units = NULL;

  if (!_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  units = load_units (db, as_of, project_code, TRUE, NULL, error);
  if (units == NULL)
    return NULL;
  return wale_of (units, by, as_of, error);
}

/* ---- Vacancy loss and rent-free loss -------------------------------------------------------- */

/* Every lease interval (start .. end or termination) of a unit in $1..$2, through any approved
 * or since superseded version that holds the unit. */
static const char leased_intervals_sql[] =
  "SELECT DISTINCT cu.unit_id, c.start_date, " ENDED
  " FROM contract_unit cu JOIN contract_version v ON v.id = cu.contract_version_id"
  " JOIN contract c ON c.id = v.contract_id JOIN project p ON p.id = c.project_id"
  " WHERE c.status IN ('active', 'expired', 'terminated')"
  " AND v.status IN ('approved', 'superseded')"
  " AND c.start_date <= $3 AND " ENDED " >= $1" FILTER_PROJECT
  " ORDER BY 1, 2";

/* Rent-free segments of the rent clauses of each contract's latest approved version. */
static const char rent_free_sql[] =
  "SELECT cu.unit_id, cu.area_c,"
  " (SELECT CAST(sum(cu2.area_c) AS bigint) FROM contract_unit cu2"
  "   WHERE cu2.contract_version_id = v.id),"
  " cl.basis, cl.price_e4, cl.amount, cl.cycle_months, rf.from_date, rf.to_date,"
  " c.start_date, " ENDED
  " FROM rent_free rf JOIN clause cl ON cl.id = rf.clause_id"
  " JOIN charge_item ci ON ci.id = cl.charge_item_id AND ci.kind = 'rent'"
  " JOIN contract_version v ON v.id = cl.contract_version_id"
  " JOIN contract c ON c.id = v.contract_id JOIN project p ON p.id = c.project_id"
  " JOIN contract_unit cu ON cu.contract_version_id = v.id"
  " WHERE c.status IN ('active', 'expired', 'terminated') AND v.status = 'approved'"
  " AND rf.from_date <= $3 AND rf.to_date >= $1" FILTER_PROJECT;

typedef struct
{
  TenureKpiVacancyLoss pub;
  TenureExact          vacancy;
  TenureExact          rent_free;
} LossAcc;

typedef struct
{
  TenureDate start;
  TenureDate end;
} Interval;

/* Days of FIRST..LAST not inside any of the sorted, possibly overlapping INTERVALS. */
static gint64
uncovered_days (const Interval *intervals,
                guint           n,
                TenureDate      first,
                TenureDate      last)
{
  gint64 covered = 0;
  TenureDate cursor = first; /* the first day not yet counted */

  for (guint i = 0; i < n; i++)
    {
      TenureDate s = MAX (intervals[i].start, cursor);
      TenureDate e = MIN (intervals[i].end, last);

      if (e >= s)
        {
          covered += e - s + 1;
          cursor = e + 1;
        }
    }
  return tenure_date_days_inclusive (first, last) - covered;
}

static void
loss_acc_init (LossAcc *acc)
{
  if (acc->vacancy.den == 0)
    {
      acc->vacancy = tenure_exact_int (0);
      acc->rent_free = tenure_exact_int (0);
    }
}

/* A rent-free segment of a rent clause on one unit, clipped to its lease. */
typedef struct
{
  Unit       *unit;
  char       *basis;
  gint64      area_c;
  gint64      version_area_c;
  gint64      price_e4;
  gint64      amount;
  int         cycle;
  TenureDate  first;
  TenureDate  last;
} FreeSegment;

static void
free_segment_free (gpointer data)
{
  FreeSegment *f = data;

  g_free (f->basis);
  g_free (f);
}

/* What vacancy and rent-free loss read over a range, loaded once for any sub-range. */
typedef struct
{
  GHashTable *spans;      /* unit id → GArray of Interval, sorted */
  GPtrArray  *segments;   /* FreeSegment */
} LossData;

static void
loss_data_clear (LossData *d)
{
  g_clear_pointer (&d->spans, g_hash_table_unref);
  g_clear_pointer (&d->segments, g_ptr_array_unref);
}

static gboolean
loss_data_load (TenureDb        *db,
                GPtrArray       *units,
                TenureDate       from,
                TenureDate       to,
                const char      *project_code,
                LossData        *d,
                GError         **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(TenureStmt) stmt = NULL;
  GError *local = NULL;

  d->spans = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                    (GDestroyNotify) g_array_unref);
  d->segments = g_ptr_array_new_with_free_func (free_segment_free);
  for (guint i = 0; i < units->len; i++)
    {
      Unit *u = g_ptr_array_index (units, i);
      g_hash_table_insert (by_id, &u->id, u);
    }

  stmt = prepare_scoped (db, leased_intervals_sql, project_code, error);
  if (stmt == NULL)
    return FALSE;
  _tenure_kpi_bind_date (stmt, 1, from);
  tenure_stmt_bind_text (stmt, 2, project_code);
  _tenure_kpi_bind_date (stmt, 3, to);
  while (tenure_stmt_step (stmt, &local))
    {
      Unit *u = g_hash_table_lookup (by_id, &(gint64) { tenure_stmt_column_int64 (stmt, 0) });
      GArray *list;
      Interval span = { _tenure_kpi_column_date (stmt, 1), _tenure_kpi_column_date (stmt, 2) };

      if (u == NULL)
        continue;
      list = g_hash_table_lookup (d->spans, &u->id);
      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (Interval));
          g_hash_table_insert (d->spans, &u->id, list);
        }
      g_array_append_val (list, span);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = prepare_scoped (db, rent_free_sql, project_code, error);
  if (stmt == NULL)
    return FALSE;
  _tenure_kpi_bind_date (stmt, 1, from);
  tenure_stmt_bind_text (stmt, 2, project_code);
  _tenure_kpi_bind_date (stmt, 3, to);
  while (tenure_stmt_step (stmt, &local))
    {
      Unit *u = g_hash_table_lookup (by_id, &(gint64) { tenure_stmt_column_int64 (stmt, 0) });
      FreeSegment *f;

      if (u == NULL || !unit_for_lease (u))
        continue;
      f = g_new0 (FreeSegment, 1);
      f->unit = u;
      f->area_c = tenure_stmt_column_int64 (stmt, 1);
      f->version_area_c = column_int64_or (stmt, 2, 0);
      f->basis = g_strdup (tenure_stmt_column_text (stmt, 3));
      f->price_e4 = column_int64_or (stmt, 4, -1);
      f->amount = column_int64_or (stmt, 5, 0);
      f->cycle = (int) tenure_stmt_column_int64 (stmt, 6);
      f->first = MAX (_tenure_kpi_column_date (stmt, 7), _tenure_kpi_column_date (stmt, 9));
      f->last = MIN (_tenure_kpi_column_date (stmt, 8), _tenure_kpi_column_date (stmt, 10));
      g_ptr_array_add (d->segments, f);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* Vacancy loss over FROM..TO (inside the range D was loaded for) of UNITS; slice keys on TO. */
static GPtrArray *
loss_compute (GPtrArray       *units,
              const LossData  *d,
              TenureDate       from,
              TenureDate       to,
              TenureKpiSlice   by,
              GError         **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (keyed_free);
  g_autoptr(GPtrArray) accs = NULL;
  Groups g;

  groups_init (&g, sizeof (LossAcc));
  if (by == TENURE_KPI_BY_NONE)
    loss_acc_init (groups_get (&g, ""));
  for (guint i = 0; i < units->len; i++)
    {
      Unit *u = g_ptr_array_index (units, i);
      GArray *list = g_hash_table_lookup (d->spans, &u->id);
      gboolean renovation = strcmp (u->status, "renovation") == 0;
      LossAcc *acc;

      if (!unit_for_lease (u))
        continue;
      acc = groups_get (&g, slice_key (u, by, to));
      loss_acc_init (acc);
      if (u->asking_e4 < 0)
        acc->pub.units_without_asking++;
      /* Month by month: a per-month asking price is spread over that month's days. */
      for (TenureDate month = from; month <= to; )
        {
          TenureDate next = tenure_date_add_months (
            tenure_date_from_ymd (tenure_date_get_year (month), tenure_date_get_month (month), 1),
            1);
          TenureDate last = MIN (to, next - 1);
          gint64 vacant;

          /* Renovation is a stored flag of today: the unit counts as vacant throughout. */
          if (renovation || list == NULL)
            vacant = tenure_date_days_inclusive (month, last);
          else
            vacant = uncovered_days ((Interval *) list->data, list->len, month, last);
          acc->pub.vacant_unit_days += vacant;
          if (vacant > 0 && u->asking_e4 >= 0)
            acc->vacancy = tenure_exact_add (
              acc->vacancy,
              u->asking_per_day
                ? tenure_exact_rent_fen (u->asking_e4, u->leasable_c, tenure_exact_int (vacant))
                : tenure_exact_rent_fen (u->asking_e4, u->leasable_c,
                                         tenure_exact_frac (vacant,
                                                            tenure_date_get_days_in_month (month))));
          month = next;
        }
    }

  for (guint i = 0; i < d->segments->len; i++)
    {
      FreeSegment *f = g_ptr_array_index (d->segments, i);
      TenureDate first = MAX (f->first, from);
      TenureDate last = MIN (f->last, to);
      LossAcc *acc;

      if (first > last)
        continue;
      acc = groups_get (&g, slice_key (f->unit, by, to));
      loss_acc_init (acc);
      for (TenureDate month = first; month <= last; )
        {
          TenureDate next = tenure_date_add_months (
            tenure_date_from_ymd (tenure_date_get_year (month), tenure_date_get_month (month), 1),
            1);
          TenureDate end = MIN (last, next - 1);

          acc->rent_free = tenure_exact_add (
            acc->rent_free,
            clause_days_exact (f->basis, f->price_e4, f->amount, f->cycle, f->area_c,
                               f->version_area_c, tenure_date_days_inclusive (month, end),
                               tenure_date_get_days_in_month (month)));
          month = next;
        }
    }
  accs = groups_finish (&g);
  for (guint i = 0; i < accs->len; i++)
    {
      LossAcc *acc = g_ptr_array_index (accs, i);
      TenureKpiVacancyLoss *row = g_new0 (TenureKpiVacancyLoss, 1);

      *row = acc->pub;
      row->key = g_strdup (acc->pub.key);
      g_ptr_array_add (result, row);
      if (!tenure_exact_round (acc->vacancy, TENURE_ROUND_DEFAULT, &row->vacancy_loss, error)
          || !tenure_exact_round (acc->rent_free, TENURE_ROUND_DEFAULT, &row->rent_free_loss,
                                  error))
        return NULL;
    }
  return g_steal_pointer (&result);
}

/* Vacancy loss over FROM..TO of UNITS (load_units () on TO). */
static GPtrArray *
vacancy_loss_of (TenureDb        *db,
                 GPtrArray       *units,
                 TenureDate       from,
                 TenureDate       to,
                 const char      *project_code,
                 TenureKpiSlice   by,
                 GError         **error)
{
  LossData d = { 0 };
  GPtrArray *rows = NULL;

  if (loss_data_load (db, units, from, to, project_code, &d, error))
    rows = loss_compute (units, &d, from, to, by, error);
  loss_data_clear (&d);
  return rows;
}

GPtrArray *
tenure_kpi_vacancy_loss (TenureDb        *db,
                         TenureDate       from,
                         TenureDate       to,
                         const char      *project_code,
                         TenureKpiSlice   by,
                         GError         **error)
{
  g_autoptr(GPtrArray) units = NULL;

  if (!_tenure_kpi_check_date (from, _("The start date is not a valid date"), error)
      || !_tenure_kpi_check_date (to, _("The end date is not a valid date"), error))
    return NULL;
  if (to < from)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("The end date comes before the start date"));
      return NULL;
    }
  units = load_units (db, to, project_code, by == TENURE_KPI_BY_PRICE_BAND, NULL, error);
  if (units == NULL)
    return NULL;
  return vacancy_loss_of (db, units, from, to, project_code, by, error);
}

GPtrArray *
tenure_kpi_vacancy_loss_series (TenureDb        *db,
                                TenureDate       from,
                                TenureDate       to,
                                const char      *project_code,
                                TenureKpiSlice   by,
                                GError         **error)
{
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func (
    (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) units = NULL;
  LossData d = { 0 };

  if (!_tenure_kpi_check_date (from, _("The start date is not a valid date"), error)
      || !_tenure_kpi_check_date (to, _("The end date is not a valid date"), error))
    return NULL;
  if (to < from)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("The end date comes before the start date"));
      return NULL;
    }
  if (by == TENURE_KPI_BY_TERM || by == TENURE_KPI_BY_PRICE_BAND)
    {
      /* These keys depend on each month's leases: each month is keyed on its last day from a
       * snapshot of that day, exactly as tenure_kpi_vacancy_loss () over the month. */
      for (TenureDate month = from; month <= to; )
        {
          TenureDate last = MIN (to, tenure_date_period_end (month, TENURE_PERIOD_MONTH));
          g_autoptr(GPtrArray) snapshot = load_units (db, last, project_code,
                                                      by == TENURE_KPI_BY_PRICE_BAND, NULL,
                                                      error);
          GPtrArray *rows;

          if (snapshot == NULL)
            return NULL;
          rows = vacancy_loss_of (db, snapshot, month, last, project_code, by, error);
          if (rows == NULL)
            return NULL;
          g_ptr_array_add (series, rows);
          month = last + 1;
        }
      return g_steal_pointer (&series);
    }
  /* The other slices do not depend on the leases: one list of units serves every month. */
  units = load_unit_list (db, project_code, error);
  if (units == NULL || !loss_data_load (db, units, from, to, project_code, &d, error))
    {
      loss_data_clear (&d);
      return NULL;
    }
  for (TenureDate month = from; month <= to; )
    {
      TenureDate last = MIN (to, tenure_date_period_end (month, TENURE_PERIOD_MONTH));
      GPtrArray *rows = loss_compute (units, &d, month, last, by, error);

      if (rows == NULL)
        {
          loss_data_clear (&d);
          return NULL;
        }
      g_ptr_array_add (series, rows);
      month = last + 1;
    }
  loss_data_clear (&d);
  return g_steal_pointer (&series);
}

static GPtrArray *rent_roll_of (TenureDb     *db,
                                GPtrArray    *units,
                                GHashTable   *clauses,
                                TenureDate    as_of,
                                const char   *project_code,
                                GError      **error);

gboolean
_tenure_kpi_part_one (TenureDb        *db,
                      TenureDate       as_of,
                      const char      *project_code,
                      TenureKpiSlice   by,
                      TenureDate       loss_from,
                      GPtrArray      **occupancy,
                      GPtrArray      **expiry,
                      GPtrArray      **loss,
                      GPtrArray      **wale,
                      GPtrArray      **rent_roll,
                      GError         **error)
{
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GHashTable) clauses = NULL;

  if (!_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error)
      || !_tenure_kpi_check_date (loss_from, _("The start date is not a valid date"), error))
    return FALSE;
  /* One snapshot with rents serves them all. */
  units = load_units (db, as_of, project_code, TRUE, rent_roll != NULL ? &clauses : NULL,
                      error);
  if (units == NULL)
    return FALSE;
  if (rent_roll != NULL
      && (*rent_roll = rent_roll_of (db, units, clauses, as_of, project_code, error)) == NULL)
    return FALSE;
  *loss = vacancy_loss_of (db, units, loss_from, as_of, project_code, by, error);
  if (*loss == NULL)
    return FALSE;
  if (wale != NULL && (*wale = wale_of (units, by, as_of, error)) == NULL)
    return FALSE;
  *occupancy = occupancy_of (units, by, as_of);
  *expiry = expiry_of (units, by, as_of);
  return TRUE;
}

/* ---- Renewals ----------------------------------------------------------------------------- */

/* One row per contract reaching its end in the window; keys in C so that the unit-based and
 * term slices take the money slices' helpers. */
static const char renewals_sql[] =
  "SELECT c.id, p.code, p.format, c.start_date, c.end_date, CASE WHEN EXISTS (SELECT 1"
  " FROM contract r WHERE r.renewal_of_id = c.id AND r.status <> 'draft') THEN 1 ELSE 0 END"
  " FROM contract c JOIN project p ON p.id = c.project_id"
  " WHERE c.status IN ('active', 'expired', 'terminated')"
  " AND c.end_date >= $1 AND c.end_date <= $3"
  /* Ended early (terminated before the end date) is not reaching expiry. */
  " AND (c.terminated_on IS NULL OR c.terminated_on >= c.end_date)" FILTER_PROJECT;

GPtrArray *
tenure_kpi_renewals (TenureDb        *db,
                     TenureDate       from,
                     TenureDate       to,
                     const char      *project_code,
                     TenureKpiSlice   by,
                     GError         **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) contract_keys = NULL;
  GError *local = NULL;
  Groups g;

  if (!_tenure_kpi_check_date (from, _("The start date is not a valid date"), error)
      || !_tenure_kpi_check_date (to, _("The end date is not a valid date"), error))
    return NULL;
  if (by == TENURE_KPI_BY_BUILDING || by == TENURE_KPI_BY_AREA_BAND)
    contract_keys = _tenure_kpi_contract_keys (db, project_code, by, error);
  else if (by == TENURE_KPI_BY_PRICE_BAND)
    /* Every lease counted still runs on FROM: its unit's band then is its own rent's. */
    contract_keys = _tenure_kpi_contract_id_keys (db, from, project_code, by, error);
  if ((by == TENURE_KPI_BY_BUILDING || by == TENURE_KPI_BY_AREA_BAND
       || by == TENURE_KPI_BY_PRICE_BAND) && contract_keys == NULL)
    return NULL;
  stmt = prepare_scoped (db, renewals_sql, project_code, error);
  if (stmt == NULL)
    return NULL;
  _tenure_kpi_bind_date (stmt, 1, from);
  tenure_stmt_bind_text (stmt, 2, project_code);
  _tenure_kpi_bind_date (stmt, 3, to);
  groups_init (&g, sizeof (TenureKpiRenewals));
  if (by == TENURE_KPI_BY_NONE)
    groups_get (&g, "");
  while (tenure_stmt_step (stmt, &local))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);
      const char *key;
      TenureKpiRenewals *row;

      switch (by)
        {
        case TENURE_KPI_BY_NONE:
          key = "";
          break;
        case TENURE_KPI_BY_PROJECT:
          key = tenure_stmt_column_text (stmt, 1);
          break;
        case TENURE_KPI_BY_FORMAT:
          key = tenure_stmt_column_text (stmt, 2);
          break;
        case TENURE_KPI_BY_TERM:
          /* The lease's whole term: its remaining term on its first day. */
          key = _tenure_kpi_term_band (_tenure_kpi_column_date (stmt, 3),
                                       _tenure_kpi_column_date (stmt, 4));
          break;
        case TENURE_KPI_BY_BUILDING:
        case TENURE_KPI_BY_AREA_BAND:
        case TENURE_KPI_BY_PRICE_BAND:
        default:
          key = g_hash_table_lookup (contract_keys, &id);
          break;
        }
      row = groups_get (&g, key != NULL ? key : "-");
      row->reached_expiry++;
      row->renewed += tenure_stmt_column_int64 (stmt, 5);
    }
  if (local != NULL)
    {
      g_hash_table_unref (g.index);
      g_ptr_array_unref (g.rows);
      g_propagate_error (error, local);
      return NULL;
    }
  return groups_finish (&g);
}

/* ---- Rent roll ---------------------------------------------------------------------------- */

static void
charge_free (gpointer data)
{
  TenureRentRollCharge *c = data;

  g_free (c->charge_code);
  g_free (c->charge_name);
  g_free (c->basis);
  g_free (c);
}

static void
rent_roll_row_free (gpointer data)
{
  TenureRentRollRow *r = data;

  g_free (r->unit_code);
  g_free (r->project_code);
  g_free (r->building_code);
  g_free (r->format);
  g_free (r->stored_status);
  g_free (r->contract_code);
  g_free (r->tenant_name);
  g_clear_pointer (&r->charges, g_ptr_array_unref);
  g_free (r);
}

static const char deposits_sql[] =
  "SELECT d.contract_id, CAST(sum(CASE d.kind WHEN 'received' THEN d.amount"
  "  WHEN 'billed' THEN 0 ELSE -d.amount END) AS bigint)"
  " FROM deposit_entry d JOIN contract c ON c.id = d.contract_id"
  " JOIN project p ON p.id = c.project_id"
  " WHERE d.entry_date <= $1" FILTER_PROJECT " GROUP BY d.contract_id";

/* The rent roll of UNITS and CLAUSES (load_units () on AS_OF with its clauses). */
static GPtrArray *
rent_roll_of (TenureDb     *db,
              GPtrArray    *units,
              GHashTable   *clauses,
              TenureDate    as_of,
              const char   *project_code,
              GError      **error)
{
  g_autoptr(GHashTable) deposits = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                          g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (rent_roll_row_free);
  g_autoptr(TenureStmt) stmt = NULL;
  GError *local = NULL;

  stmt = prepare_scoped (db, deposits_sql, project_code, error);
  if (stmt == NULL)
    return NULL;
  _tenure_kpi_bind_date (stmt, 1, as_of);
  tenure_stmt_bind_text (stmt, 2, project_code);
  while (tenure_stmt_step (stmt, &local))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);
      gint64 held = tenure_stmt_column_int64 (stmt, 1);

      g_hash_table_insert (deposits, g_memdup2 (&id, sizeof id), g_memdup2 (&held, sizeof held));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  for (guint i = 0; i < units->len; i++)
    {
      Unit *u = g_ptr_array_index (units, i);
      TenureRentRollRow *r = g_new0 (TenureRentRollRow, 1);
      GPtrArray *list;
      gint64 *held;

      g_ptr_array_add (rows, r);
      r->unit_code = g_strdup (u->code);
      r->project_code = g_strdup (u->project);
      r->building_code = g_strdup (u->building);
      r->format = g_strdup (u->format);
      r->stored_status = g_strdup (u->status);
      r->leasable_area_c = u->leasable_c;
      r->charges = g_ptr_array_new_with_free_func (charge_free);
      r->leased = u->leased;
      if (!u->leased)
        continue;
      r->contract_code = g_strdup (u->contract_code);
      r->tenant_name = g_strdup (u->tenant);
      r->start = u->start;
      r->end = u->end;
      r->leased_area_c = u->area_c;
      held = g_hash_table_lookup (deposits, &u->contract_id);
      r->deposit_held = held != NULL ? *held : 0;
      list = g_hash_table_lookup (clauses, &u->version_id);
      for (guint k = 0; list != NULL && k < list->len; k++)
        {
          Clause *c = g_ptr_array_index (list, k);
          TenureRentRollCharge *charge = g_new0 (TenureRentRollCharge, 1);
          gint64 price_e4, amount;

          g_ptr_array_add (r->charges, charge);
          if (!clause_on (c, u->start, as_of, &price_e4, &amount, &charge->next_review, error))
            return NULL;
          charge->price_e4 = g_str_has_prefix (c->basis, "per_m2") ? price_e4 : -1;
          charge->charge_code = g_strdup (c->charge_code);
          charge->charge_name = g_strdup (c->charge_name);
          charge->basis = g_strdup (c->basis);
          /* The unit's own contracted area gives its share (not the capped one). */
          if (!tenure_exact_round (clause_month_exact (c->basis, price_e4, amount,
                                                       c->cycle_months, u->area_c,
                                                       u->version_area_c),
                                   TENURE_ROUND_DEFAULT, &charge->monthly, error))
            return NULL;
          /* fen × 100 is 0.0001 yuan; area_c / 100 is m². */
          if (u->area_c > 0
              && !tenure_exact_round (tenure_exact_frac (charge->monthly * 10000, u->area_c),
                                      TENURE_ROUND_DEFAULT, &charge->per_m2_e4, error))
            return NULL;
        }
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
tenure_kpi_rent_roll (TenureDb     *db,
                      TenureDate    as_of,
                      const char   *project_code,
                      GError      **error)
{
  g_autoptr(GHashTable) clauses = NULL;
  g_autoptr(GPtrArray) units = NULL;

  if (!_tenure_kpi_check_date (as_of, _("The as-of date is not a valid date"), error))
    return NULL;
  units = load_units (db, as_of, project_code, TRUE, &clauses, error);
  if (units == NULL)
    return NULL;
  return rent_roll_of (db, units, clauses, as_of, project_code, error);
}
