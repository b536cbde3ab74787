/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-plan-property"

/* Property tests over generated contracts. The expected amounts come from an oracle written
 * here, day by day in exact rationals, from the rules of domain.md §5 as stated there: it
 * never calls the plan engine. Properties: every line equals the rounded sum of its days; the
 * line is the rounded sum of its trace segments; lines tile the term without gap or overlap;
 * due dates follow the timing; nothing overflows. */

#include <stdlib.h>
#include <string.h>

#include "base/tenure-error.h"
#include "leasing/tenure-plan.h"

#define D(y, m, d) tenure_date_from_ymd (y, m, d)

static guint
iterations (guint fallback)
{
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");

  if (env != NULL && atoi (env) > 0)
    return (guint) atoi (env);
  return fallback;
}

/* A generated contract and what the oracle needs to know about it. */
typedef struct
{
  TenureContract *contract;
  guint           n_streams;          /* RENT, and sometimes PROPERTY_FEE */
  TenureClause   *clause[2];          /* version 1's clauses */
  TenureClause   *clause2[2];         /* version 2's, or NULL */
  gboolean        price_changed[2];   /* version 2 changed the price */
  TenureDate      eff2;               /* version 2's effective date */
  gint64          area1, area2;
} Case;

static TenureDate
random_date (GRand *rand, int year_from, int year_to)
{
  int y = g_rand_int_range (rand, year_from, year_to + 1);
  int m = g_rand_int_range (rand, 1, 13);
  int d;

  /* Favour the month ends and 29 February, where the grids clamp. */
  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:
      d = tenure_date_days_in_month (y, m);
      break;
    case 1:
      d = g_rand_int_range (rand, 28, 32);
      d = MIN (d, tenure_date_days_in_month (y, m));
      break;
    case 2:
      if (tenure_date_is_leap_year (y))
        return D (y, 2, 29);
      d = 1;
      break;
    default:
      d = g_rand_int_range (rand, 1, tenure_date_days_in_month (y, m) + 1);
      break;
    }
  return D (y, m, d);
}

static TenureClause *
random_clause (GRand *rand, const char *item, TenureDate start, TenureDate end, gint64 term_days)
{
  static const int cycles[] = { 1, 2, 3, 6, 12 };
  TenureClause *clause;
  gboolean extreme = g_rand_int_range (rand, 0, 20) == 0;

  clause = tenure_clause_new (item, (TenureBasis) g_rand_int_range (rand, 0, 4));
  clause->price_e4 = g_rand_int_range (rand, 1, 20000000);    /* up to 2,000 yuan */
  if (extreme)
    clause->price_e4 = g_rand_int_range (rand, 1, G_MAXINT32);  /* wide 128-bit products */
  clause->amount = (gint64) g_rand_int_range (rand, 1, G_MAXINT32);
  clause->amount *= g_rand_int_range (rand, 1, 100);
  clause->cycle_months = cycles[g_rand_int_range (rand, 0, 5)];
  clause->alignment = (TenureAlignment) g_rand_int_range (rand, 0, 2);
  clause->timing = (TenureTiming) g_rand_int_range (rand, 0, 2);
  clause->advance_days = g_rand_int_range (rand, 0, 20);
  clause->due_days = g_rand_int_range (rand, 0, 20);
  clause->days_rule = (TenureDaysRule) g_rand_int_range (rand, 0,
                                                         clause->basis == TENURE_BASIS_PER_M2_DAY
                                                         ? 3 : 2);
  /* Rent-free ranges: up to two, apart, inside the term. */
  for (int i = 0, n = g_rand_int_range (rand, 0, 3); i < n; i++)
    {
      TenureDate from = start + g_rand_int_range (rand, 0, (gint32) term_days);
      TenureDate to = from + g_rand_int_range (rand, 0, 120);
      TenureDateRange r;
      gboolean clash = FALSE;

      /* MIN evaluates its arguments twice: never a random draw inside it. */
      to = MIN (to, end);
      r.start = from;
      r.end = to;

      for (guint k = 0; k < clause->rent_free->len; k++)
        {
          TenureDateRange *o = &g_array_index (clause->rent_free, TenureDateRange, k);
          if (!(to < o->start || from > o->end))
            clash = TRUE;
        }
      if (!clash)
        g_array_append_val (clause->rent_free, r);
    }
  switch (g_rand_int_range (rand, 0, 5))
    {
    case 1:
      clause->escalation.kind = TENURE_ESCALATION_PERCENT;
      clause->escalation.trigger = TENURE_ESCALATION_BY_LEASE_YEAR;
      clause->escalation.percent_ppm = g_rand_int_range (rand, -50000, 150000);
      break;
    case 2:
      clause->escalation.kind = TENURE_ESCALATION_PERCENT;
      clause->escalation.trigger = TENURE_ESCALATION_BY_DATE;
      clause->escalation.month = g_rand_int_range (rand, 1, 13);
      clause->escalation.day = g_rand_int_range (rand, 1, 32);
      clause->escalation.day = MIN (clause->escalation.day,
                                    tenure_date_days_in_month (2024, clause->escalation.month));
      clause->escalation.every_years = g_rand_int_range (rand, 1, 3);
      clause->escalation.percent_ppm = g_rand_int_range (rand, 1, 100000);
      break;
    case 3:
      clause->escalation.kind = TENURE_ESCALATION_AMOUNT;
      clause->escalation.trigger = TENURE_ESCALATION_BY_LEASE_YEAR;
      clause->escalation.delta = g_rand_int_range (rand, 0, 5000);
      break;
    case 4:
      {
        TenureDate from = start;

        clause->escalation.kind = TENURE_ESCALATION_TABLE;
        clause->escalation.table = g_array_new (FALSE, FALSE, sizeof (TenurePriceStep));
        for (int i = 0, n = g_rand_int_range (rand, 1, 4); i < n; i++)
          {
            TenurePriceStep step;

            from += g_rand_int_range (rand, 1, 400);
            step.from = from;
            step.value = g_rand_int_range (rand, 1, 20000000);
            g_array_append_val (clause->escalation.table, step);
          }
      }
      break;
    default:
      break;
    }
  return clause;
}

static void
generate (GRand *rand, Case *c)
{
  TenureContract *contract = tenure_contract_new ();
  TenureContractVersion *v1 = tenure_contract_version_new ();
  TenureClause *clause;
  TenureDate start = random_date (rand, 2020, 2030);
  TenureDate end;
  gint64 term_days;

  memset (c, 0, sizeof *c);
  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0:
      term_days = g_rand_int_range (rand, 1, 40);   /* one day to a few weeks */
      break;
    case 1:
      term_days = g_rand_int_range (rand, 40, 400);
      break;
    default:
      term_days = g_rand_int_range (rand, 365, 5 * 366);
      break;
    }
  end = start + (TenureDate) term_days - 1;
  contract->code = g_strdup_printf ("P-%u", g_rand_int (rand));
  contract->start_date = start;
  contract->end_date = end;
  if (g_rand_int_range (rand, 0, 5) == 0)
    contract->terminated_on = start + g_rand_int_range (rand, 0, (gint32) term_days);
  c->area1 = g_rand_int_range (rand, 1, 5000000);    /* 0.01 to 50,000 m² */
  if (g_rand_int_range (rand, 0, 20) == 0)
    c->area1 = g_rand_int_range (rand, 1, G_MAXINT32);
  v1->effective_from = start;
  v1->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (v1->units, tenure_contract_unit_new ("U-1", c->area1));
  g_ptr_array_add (contract->versions, v1);

  c->n_streams = g_rand_int_range (rand, 0, 3) == 0 ? 2 : 1;
  for (guint k = 0; k < c->n_streams; k++)
    {
      clause = random_clause (rand, k == 0 ? "RENT" : "PROPERTY_FEE", start, end, term_days);
      g_ptr_array_add (v1->clauses, clause);
      c->clause[k] = clause;
    }

  c->area2 = c->area1;

  /* Sometimes a second version from a date inside the term: new area, maybe a new price. */
  if (term_days > 2 && g_rand_int_range (rand, 0, 3) == 0)
    {
      TenureContractVersion *v2 = tenure_contract_version_copy (v1);
      TenureContractUnit *unit = v2->units->pdata[0];

      v2->version_no = 2;
      c->eff2 = start + g_rand_int_range (rand, 1, (gint32) term_days);
      v2->effective_from = c->eff2;
      c->area2 = unit->area_c = g_rand_int_range (rand, 1, 5000000);
      for (guint k = 0; k < c->n_streams; k++)
        {
          c->clause2[k] = v2->clauses->pdata[k];
          if (g_rand_boolean (rand))
            {
              c->clause2[k]->price_e4 += g_rand_int_range (rand, 1, 10000);
              c->clause2[k]->amount += g_rand_int_range (rand, 1, 10000);
              c->price_changed[k] = TRUE;
            }
        }
      g_ptr_array_add (contract->versions, v2);
    }
  c->contract = contract;
}

/* Oracle ------------------------------------------------------------------------------------*/

static gint64
base_value (const TenureClause *clause)
{
  return clause->basis <= TENURE_BASIS_PER_M2_MONTH ? clause->price_e4 : clause->amount;
}

/* Half up on a positive integer ratio: v × (10^6 + p) / 10^6. */
static gint64
escalate_percent (gint64 v, gint64 p)
{
  __int128 n = (__int128) v * (1000000 + p);

  return (gint64) ((n + 500000) / 1000000);
}

/* The price (or amount) of CLAUSE on DAY with the path starting at ANCHOR. */
static gint64
oracle_price (const Case *c, const TenureClause *clause, TenureDate anchor, TenureDate day)
{
  const TenureEscalation *e = &clause->escalation;
  gint64 v = base_value (clause);

  switch (e->kind)
    {
    case TENURE_ESCALATION_TABLE:
      for (guint i = 0; i < e->table->len; i++)
        if (g_array_index (e->table, TenurePriceStep, i).from <= day)
          v = g_array_index (e->table, TenurePriceStep, i).value;
      return v;
    case TENURE_ESCALATION_PERCENT:
    case TENURE_ESCALATION_AMOUNT:
      if (e->trigger == TENURE_ESCALATION_BY_LEASE_YEAR)
        {
          for (int k = 1;; k++)
            {
              TenureDate r = tenure_date_add_months (c->contract->start_date, 12 * k);

              if (r > day)
                break;
              if (r > anchor)
                v = e->kind == TENURE_ESCALATION_PERCENT ? escalate_percent (v, e->percent_ppm)
                                                         : v + e->delta;
            }
        }
      else
        {
          int first = 0;

          for (int y = tenure_date_get_year (anchor); y <= tenure_date_get_year (day); y++)
            {
              int dim = tenure_date_days_in_month (y, e->month);
              TenureDate r = D (y, e->month, MIN (e->day, dim));

              if (r <= anchor || r > day)
                continue;
              if (first == 0)
                first = y;
              if ((y - first) % e->every_years == 0)
                v = escalate_percent (v, e->percent_ppm);
            }
        }
      return v;
    default:
      return v;
    }
}

/* Start of the cell of CYCLE months containing DAY. */
static TenureDate
oracle_cell (const TenureClause *clause, TenureDate anchor, int cycle, TenureDate day,
             TenureDate *end)
{
  TenureDate s;

  if (clause->alignment == TENURE_ALIGN_CALENDAR)
    {
      int m = tenure_date_get_month (day);

      s = D (tenure_date_get_year (day), ((m - 1) / cycle) * cycle + 1, 1);
      *end = tenure_date_add_months (s, cycle) - 1;
      return s;
    }
  for (int k = 0;; k++)
    {
      TenureDate next = tenure_date_add_months (anchor, (gint64) (k + 1) * cycle);

      if (next > day)
        {
          *end = next - 1;
          return tenure_date_add_months (anchor, (gint64) k * cycle);
        }
    }
}

static gboolean
oracle_rent_free (const TenureClause *clause, TenureDate day)
{
  for (guint i = 0; i < clause->rent_free->len; i++)
    {
      TenureDateRange *r = &g_array_index (clause->rent_free, TenureDateRange, i);
      if (day >= r->start && day <= r->end)
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  TenureDate  from, to;
  TenureExact sum;
} OraclePeriod;

/* Exact value of every period, day by day. */
static GArray *
oracle_periods (const Case *c, guint stream)
{
  const TenureContract *contract = c->contract;
  TenureDate start = contract->start_date;
  TenureDate last = tenure_date_is_valid (contract->terminated_on)
                    && contract->terminated_on < contract->end_date
                    ? contract->terminated_on : contract->end_date;
  GArray *periods = g_array_new (FALSE, FALSE, sizeof (OraclePeriod));
  TenureDate period_start = TENURE_DATE_INVALID;

  for (TenureDate day = start; day <= last; day++)
    {
      gboolean v2 = c->clause2[stream] != NULL && day >= c->eff2;
      const TenureClause *clause = v2 ? c->clause2[stream] : c->clause[stream];
      TenureDate anchor = v2 && c->price_changed[stream] ? c->eff2 : start;
      gint64 area = v2 ? c->area2 : c->area1;
      gint64 price = oracle_price (c, clause, anchor, day);
      TenureDate ps, pe, ms, me;
      gint64 dim, cov;
      gboolean full;
      TenureExact day_value;

      ps = oracle_cell (clause, start, clause->cycle_months, day, &pe);
      ms = oracle_cell (clause, start, 1, day, &me);
      dim = me - ms + 1;
      cov = MIN (me, last) - MAX (ms, start) + 1;
      full = cov == dim;

      switch (clause->basis)
        {
        case TENURE_BASIS_PER_M2_DAY:
          {
            TenureExact q;   /* days charged for this day */

            if (!full)
              q = tenure_exact_int (1);
            else if (clause->days_rule == TENURE_DAYS_AVG_365_12)
              q = tenure_exact_frac (365, 12 * dim);
            else if (clause->days_rule == TENURE_DAYS_FIXED_30)
              q = tenure_exact_frac (30, dim);
            else
              q = tenure_exact_int (1);
            day_value = tenure_exact_mul (tenure_exact_frac (price * area, 10000), q);
          }
          break;
        case TENURE_BASIS_PER_M2_MONTH:
        case TENURE_BASIS_FIXED_MONTH:
          {
            TenureExact month = clause->basis == TENURE_BASIS_FIXED_MONTH
                                ? tenure_exact_int (price)
                                : tenure_exact_frac (price * area, 10000);
            TenureExact q;   /* months charged for this day */

            if (full || clause->days_rule == TENURE_DAYS_ACTUAL)
              q = tenure_exact_frac (1, dim);
            else
              q = tenure_exact_frac (MIN (cov, 30), 30 * cov);
            day_value = tenure_exact_mul (month, q);
          }
          break;
        case TENURE_BASIS_FIXED_PERIOD:
        default:
          day_value = tenure_exact_frac (price, pe - ps + 1);
          break;
        }
      if (oracle_rent_free (clause, day))
        day_value = tenure_exact_int (0);

      if (period_start != ps)
        {
          OraclePeriod p = { day, day, tenure_exact_int (0) };

          g_array_append_val (periods, p);
          period_start = ps;
        }
      {
        OraclePeriod *p = &g_array_index (periods, OraclePeriod, periods->len - 1);

        p->to = day;
        p->sum = tenure_exact_add (p->sum, day_value);
      }
    }
  return periods;
}

static int
period_cmp (gconstpointer a, gconstpointer b)
{
  const TenureReceivableLine *x = *(TenureReceivableLine * const *) a;
  const TenureReceivableLine *y = *(TenureReceivableLine * const *) b;

  return x->period_start < y->period_start ? -1 : x->period_start > y->period_start;
}

/* The lines of one charge item against the oracle: same periods, same amounts. */
static guint
check_stream (const Case *c, guint stream, GPtrArray *all, guint iteration)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new ();
  g_autoptr (GArray) periods = NULL;
  const TenureClause *clause = c->clause[stream];

  for (guint i = 0; i < all->len; i++)
    if (strcmp (((TenureReceivableLine *) all->pdata[i])->charge_item, clause->charge_item) == 0)
      g_ptr_array_add (lines, all->pdata[i]);
  g_ptr_array_sort (lines, period_cmp);
  periods = oracle_periods (c, stream);
  if (lines->len != periods->len)
    {
      for (guint i = 0; i < lines->len; i++)
        {
          const TenureReceivableLine *line = lines->pdata[i];
          g_autofree char *a = tenure_date_format_iso (line->period_start);
          g_autofree char *b = tenure_date_format_iso (line->period_end);

          g_printerr ("line %s %s..%s\n", line->charge_item, a, b);
        }
      for (guint i = 0; i < periods->len; i++)
        {
          const OraclePeriod *p = &g_array_index (periods, OraclePeriod, i);
          g_autofree char *a = tenure_date_format_iso (p->from);
          g_autofree char *b = tenure_date_format_iso (p->to);

          g_printerr ("oracle %s..%s\n", a, b);
        }
      g_error ("case %u (%s) %s: %u lines, the oracle has %u periods", iteration,
               c->contract->code, clause->charge_item, lines->len, periods->len);
    }

  for (guint i = 0; i < lines->len; i++)
    {
      const TenureReceivableLine *line = lines->pdata[i];
      const OraclePeriod *p = &g_array_index (periods, OraclePeriod, i);
      TenureExact seg_sum = tenure_exact_int (0);
      TenureDate next = line->period_start;
      gint64 expected;

      /* Lines tile the term in order: the oracle's periods are consecutive days. */
      g_assert_cmpint (line->period_start, ==, p->from);
      g_assert_cmpint (line->period_end, ==, p->to);
      g_assert_true (tenure_exact_round (p->sum, TENURE_ROUND_HALF_AWAY_FROM_ZERO, &expected,
                                         NULL));
      if (line->amount != expected)
        {
          g_autofree char *json = tenure_trace_to_json (line->trace);
          g_error ("case %u (%s) line %u: %" G_GINT64_FORMAT " but the oracle says %"
                   G_GINT64_FORMAT "\n%s", iteration, c->contract->code, i, line->amount,
                   expected, json);
        }

      /* The line is its segments' exact sum rounded once; the segments tile the period. */
      for (guint k = 0; k < line->trace->segments->len; k++)
        {
          const TenureTraceSegment *seg = line->trace->segments->pdata[k];

          g_assert_cmpint (seg->from, ==, next);
          g_assert_cmpint (seg->to, >=, seg->from);
          next = seg->to + 1;
          seg_sum = tenure_exact_add (seg_sum, seg->value);
        }
      g_assert_cmpint (next, ==, line->period_end + 1);
      g_assert_cmpint (tenure_exact_cmp (seg_sum, line->trace->exact), ==, 0);
      g_assert_cmpint (tenure_exact_cmp (seg_sum, p->sum), ==, 0);

      /* Due dates: in advance before the period, in arrears after it. */
      if (clause->timing == TENURE_TIMING_ADVANCE)
        g_assert_cmpint (line->due_date, ==, line->period_start - clause->advance_days);
      else
        g_assert_cmpint (line->due_date, ==, line->period_end + clause->due_days);
      g_assert_cmpint (line->tax, >=, 0);
      g_assert_cmpint (line->tax, <=, line->amount);
    }
  return lines->len;
}

static void
check_case (const Case *c, guint iteration)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = tenure_plan_generate (c->contract, NULL, &error);
  guint checked = 0;

  if (error != NULL)
    {
      g_autofree char *s = tenure_date_format_iso (c->contract->start_date);
      g_autofree char *e = tenure_date_format_iso (c->contract->end_date);
      g_error ("case %u (%s, %s to %s): %s", iteration, c->contract->code, s, e,
               error->message);
    }
  for (guint k = 0; k < c->n_streams; k++)
    checked += check_stream (c, k, lines, iteration);
  /* No line of any other charge item. */
  g_assert_cmpuint (checked, ==, lines->len);
  /* Sorted by due date. */
  for (guint i = 1; i < lines->len; i++)
    g_assert_cmpint (((TenureReceivableLine *) lines->pdata[i - 1])->due_date, <=,
                     ((TenureReceivableLine *) lines->pdata[i])->due_date);
}

static void
test_oracle (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20260101);
  guint n = iterations (3000);

  for (guint i = 0; i < n; i++)
    {
      Case c;

      generate (rand, &c);
      check_case (&c, i);
      tenure_contract_free (c.contract);
    }
  g_test_message ("%u generated contracts agree with the oracle", n);
}

/* Amounts beyond 64 bits are refused with a message, never wrapped. */
static void
test_overflow (void)
{
  g_autoptr (TenureContract) contract = tenure_contract_new ();
  TenureContractVersion *version = tenure_contract_version_new ();
  TenureClause *clause = tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_DAY);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = NULL;

  contract->code = g_strdup ("BIG");
  contract->start_date = D (2026, 1, 1);
  contract->end_date = D (2026, 12, 31);
  version->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (version->units, tenure_contract_unit_new ("U", G_GINT64_CONSTANT (1) << 40));
  clause->price_e4 = G_GINT64_CONSTANT (1) << 40;
  clause->cycle_months = 12;
  g_ptr_array_add (version->clauses, clause);
  g_ptr_array_add (contract->versions, version);

  lines = tenure_plan_generate (contract, NULL, &error);
  g_assert_null (lines);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW);
  g_assert_nonnull (strstr (error->message, "BIG"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plan/property/oracle", test_oracle);
  g_test_add_func ("/plan/property/overflow", test_overflow);
  return g_test_run ();
}
