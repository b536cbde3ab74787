/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-plan"

#include "tenure-plan.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "base/tenure-money.h"

/* How the engine works, per "stream" (one charge item of the contract, matched across versions
 * by charge item and its occurrence among the version's clauses):
 *  1. pieces: the days each version's clause is in force (version ranges ∩ clause dates ∩ term);
 *  2. the period grid of the clause in force at a period's first day (anniversary boundaries
 *     start + k × cycle from the clause start, or calendar periods), clipped to the stream;
 *  3. inside a period, segments split at month cells (anniversary months from the clause start,
 *     or calendar months), version changes, price reviews and rent-free boundaries;
 *  4. each segment's exact value; the line is their sum rounded once.
 * A month cell is full when the stream is in force on all its days (rent-free days count as in
 * force); a full month costs one month whatever its length (ACTUAL: its days for per-day
 * prices), a partial one follows the days rule, and segments share their month in proportion
 * to their days. */

static const char * const line_kind_names[] = { "normal", "difference", "topup", "late_fee" };

const char *
tenure_line_kind_to_string (TenureLineKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (line_kind_names))
    return NULL;
  return line_kind_names[kind];
}

gboolean
tenure_line_kind_from_string (const char *text, TenureLineKind *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (line_kind_names); i++)
    if (strcmp (line_kind_names[i], text) == 0)
      {
        *out = (TenureLineKind) i;
        return TRUE;
      }
  return FALSE;
}

void
tenure_receivable_line_free (TenureReceivableLine *line)
{
  if (line == NULL)
    return;
  g_free (line->charge_item);
  g_free (line->currency);
  g_clear_pointer (&line->trace, tenure_trace_free);
  g_free (line);
}

/**
 * tenure_plan_default_vat_rate:
 * The general taxpayer's rate of domain.md §6 for the built-in charge items.
 */
gboolean
tenure_plan_default_vat_rate (const char *charge_item,
                              gint64     *rate_ppm)
{
  static const struct { const char *code; gint64 ppm; } rates[] = {
    { "RENT", 90000 }, { "PARKING", 90000 }, { "ADVERTISING", 90000 },
    { "PROPERTY_FEE", 60000 }, { "DEPOSIT", 0 },
  };

  for (guint i = 0; charge_item != NULL && i < G_N_ELEMENTS (rates); i++)
    if (strcmp (rates[i].code, charge_item) == 0)
      {
        *rate_ppm = rates[i].ppm;
        return TRUE;
      }
  return FALSE;
}

/* Turnover ----------------------------------------------------------------------------------*/

TenureExact
tenure_turnover_rent (const TenureTurnoverTerms *terms,
                      gint64                     turnover)
{
  TenureExact rent = tenure_exact_int (0);

  for (guint i = 0; terms->tiers != NULL && i < terms->tiers->len; i++)
    {
      const TenureTurnoverTier *tier = &g_array_index (terms->tiers, TenureTurnoverTier, i);
      gint64 upper = turnover;

      if (turnover <= tier->from)
        break;
      if (i + 1 < terms->tiers->len)
        upper = MIN (turnover, g_array_index (terms->tiers, TenureTurnoverTier, i + 1).from);
      rent = tenure_exact_add (rent, tenure_exact_mul (tenure_exact_int (upper - tier->from),
                                                       tenure_exact_scaled (tier->rate_ppm, 6)));
    }
  return rent;
}

gboolean
tenure_turnover_breakpoint (const TenureTurnoverTerms  *terms,
                            gint64                     *out,
                            GError                    **error)
{
  TenureExact cum = tenure_exact_int (0);
  TenureExact minimum;

  g_return_val_if_fail (terms != NULL, FALSE);
  if (terms->breakpoint >= 0)
    {
      *out = terms->breakpoint;
      return TRUE;
    }
  minimum = tenure_exact_int (terms->minimum);
  for (guint i = 0; terms->tiers != NULL && i < terms->tiers->len; i++)
    {
      const TenureTurnoverTier *tier = &g_array_index (terms->tiers, TenureTurnoverTier, i);
      TenureExact rate = tenure_exact_scaled (tier->rate_ppm, 6);
      gboolean last = i + 1 == terms->tiers->len;
      TenureExact band_end = tenure_exact_int (0);

      if (!last)
        {
          gint64 next = g_array_index (terms->tiers, TenureTurnoverTier, i + 1).from;

          band_end = tenure_exact_add (cum, tenure_exact_mul (tenure_exact_int (next - tier->from),
                                                              rate));
        }
      if (tier->rate_ppm > 0 && (last || tenure_exact_cmp (minimum, band_end) <= 0))
        {
          TenureExact bp = tenure_exact_add (tenure_exact_int (tier->from),
                                             tenure_exact_div (tenure_exact_sub (minimum, cum),
                                                               rate));
          return tenure_exact_round (bp, TENURE_ROUND_DEFAULT, out, error);
        }
      if (!last)
        cum = band_end;
    }
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
               _("The turnover rates never reach the guaranteed minimum: no breakpoint."));
  return FALSE;
}

/* Context -----------------------------------------------------------------------------------*/

typedef struct
{
  TenureDate                   from, to;
  const TenureContractVersion *version;
} VersionRange;

typedef struct
{
  TenureDate   date;
  gint64       value;    /* price_e4, amount or minimum from this date on */
  const char  *why;      /* untranslated tag: "start", "review", "table", "cpi" */
} PriceChange;

typedef struct
{
  TenureDate                   from, to;
  const TenureContractVersion *version;
  const TenureClause          *clause;
  int                          clause_index;
  TenureDate                   clause_start;   /* anchor of the grid */
  gint64                       area_c;
  GArray                      *prices;         /* PriceChange, sorted, first at `from` */
} Piece;

typedef struct
{
  const TenureContract    *contract;
  const TenurePlanContext *ctx;
  const char              *code;
  TenureDate               last;
  GArray                  *versions;   /* VersionRange */
  GPtrArray               *lines;
  TenureExact              minor_scale; /* minor units per fen: 10^digits / 100 */
  TenureDate               stream_stop; /* the current stream's lines end before this */
  TenureDate               cpi_pending; /* the earliest such stop over all streams */
} Plan;

static void
piece_clear (Piece *piece)
{
  g_clear_pointer (&piece->prices, g_array_unref);
}

static char *
iso (TenureDate date)
{
  return tenure_date_format_iso (date);
}

/* Validation --------------------------------------------------------------------------------*/

static gboolean
clause_fail (GError                     **error,
             int                          code,
             const Plan                  *plan,
             const TenureContractVersion *version,
             guint                        index,
             const TenureClause          *clause,
             const char                  *problem)
{
  g_set_error (error, TENURE_ERROR, code, _("Contract %s, version %d, clause %u (%s): %s"),
               plan->code, version->version_no, index + 1,
               clause->charge_item != NULL ? clause->charge_item : "?", problem);
  return FALSE;
}

static gboolean
valid_cycle (int months)
{
  return months == 1 || months == 2 || months == 3 || months == 6 || months == 12;
}

static gboolean
validate_escalation (const Plan *plan, const TenureContractVersion *version, guint index,
                     const TenureClause *clause, GError **error)
{
  const TenureEscalation *e = &clause->escalation;
  g_autofree char *problem = NULL;

  if (e->kind == TENURE_ESCALATION_NONE)
    return TRUE;
  if (clause->basis == TENURE_BASIS_ONE_OFF)
    return clause_fail (error, TENURE_ERROR_UNSUPPORTED, plan, version, index, clause,
                        _("a one-off charge cannot have an escalation (field “escalation”)."));
  if (e->trigger == TENURE_ESCALATION_BY_DATE
      && (e->month < 1 || e->month > 12 || e->day < 1
          || e->day > tenure_date_days_in_month (2024, e->month)))
    {
      problem = g_strdup_printf (_("the review date %d-%d in field “escalation” is not a day "
                                   "of the year."), e->month, e->day);
      return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause, problem);
    }
  if (e->every_years < 1 || e->every_years > 100)
    return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                        _("field “escalation.every_years” must be between 1 and 100."));
  switch (e->kind)
    {
    case TENURE_ESCALATION_PERCENT:
      if (e->percent_ppm <= -1000000 || e->percent_ppm > 100000000)
        return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                            _("field “escalation.percent” must leave a price above zero."));
      break;
    case TENURE_ESCALATION_AMOUNT:
      break;
    case TENURE_ESCALATION_TABLE:
      if (e->table == NULL || e->table->len == 0)
        return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                            _("field “escalation.table” is empty."));
      for (guint i = 0; i < e->table->len; i++)
        {
          const TenurePriceStep *step = &g_array_index (e->table, TenurePriceStep, i);

          if (!tenure_date_is_valid (step->from) || step->value <= 0
              || (i > 0 && step->from <= g_array_index (e->table, TenurePriceStep, i - 1).from))
            {
              problem = g_strdup_printf (_("row %u of field “escalation.table” needs a date "
                                           "after the previous row and a price above zero."),
                                         i + 1);
              return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                                  problem);
            }
        }
      break;
    case TENURE_ESCALATION_CPI:
      if (e->cpi_series == NULL || e->cpi_series[0] == '\0')
        return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                            _("field “escalation.cpi_series” is empty."));
      if (e->cpi_lag_months < 0 || e->cpi_lag_months > 24)
        return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                            _("field “escalation.cpi_lag_months” must be between 0 and 24."));
      if (e->floor_ppm > e->cap_ppm || e->floor_ppm <= -1000000)
        return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                            _("field “escalation.floor” must leave a price above zero and "
                              "not exceed field “escalation.cap”."));
      break;
    case TENURE_ESCALATION_NONE:
    default:
      return clause_fail (error, TENURE_ERROR_UNSUPPORTED, plan, version, index, clause,
                          _("field “escalation” has a kind the engine does not know."));
    }
  return TRUE;
}

static gboolean
validate_turnover (const Plan *plan, const TenureContractVersion *version, guint index,
                   const TenureClause *clause, GError **error)
{
  const TenureTurnoverTerms *t = clause->turnover;

  if (t == NULL)
    return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                        _("a turnover clause needs field “turnover” (minimum and rates)."));
  if (t->minimum < 0)
    return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                        _("field “turnover.minimum” must not be negative."));
  if (!valid_cycle (t->period_months))
    return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                        _("field “turnover.period_months” must be 1, 2, 3, 6 or 12."));
  if (t->due_days < 0 || t->due_days > 366)
    return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                        _("field “turnover.due_days” must be between 0 and 366."));
  if (t->breakpoint < -1)
    return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                        _("field “turnover.breakpoint” must not be negative."));
  if (t->tiers == NULL || t->tiers->len == 0
      || g_array_index (t->tiers, TenureTurnoverTier, 0).from != 0)
    return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                        _("field “turnover.tiers” must start with a tier from 0."));
  for (guint i = 0; i < t->tiers->len; i++)
    {
      const TenureTurnoverTier *tier = &g_array_index (t->tiers, TenureTurnoverTier, i);

      if (tier->rate_ppm < 0 || tier->rate_ppm > 1000000
          || (i > 0 && tier->from <= g_array_index (t->tiers, TenureTurnoverTier, i - 1).from))
        {
          g_autofree char *problem =
            g_strdup_printf (_("tier %u of field “turnover.tiers” needs a rate between 0 and "
                               "100 %% and a threshold above the previous tier's."), i + 1);
          return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                              problem);
        }
    }
  return TRUE;
}

static gboolean
validate_clause (const Plan *plan, const TenureContractVersion *version, guint index,
                 const TenureClause *clause, GError **error)
{
  const TenureContract *contract = plan->contract;
  TenureDate cs, ce;
  g_autoptr (GArray) free_days = NULL;

  if (clause->charge_item == NULL || clause->charge_item[0] == '\0')
    return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                        _("field “charge_item” is empty."));
  if ((guint) clause->basis > TENURE_BASIS_TURNOVER)
    return clause_fail (error, TENURE_ERROR_UNSUPPORTED, plan, version, index, clause,
                        _("field “basis” has a value the engine does not know."));
  if (!valid_cycle (clause->cycle_months))
    {
      g_autofree char *problem =
        g_strdup_printf (_("field “cycle_months” must be 1, 2, 3, 6 or 12 (it is %d)."),
                         clause->cycle_months);
      return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause, problem);
    }
  if ((guint) clause->alignment > TENURE_ALIGN_CALENDAR
      || (guint) clause->timing > TENURE_TIMING_ARREARS
      || (guint) clause->days_rule > TENURE_DAYS_AVG_365_12)
    return clause_fail (error, TENURE_ERROR_UNSUPPORTED, plan, version, index, clause,
                        _("field “alignment”, “timing” or “days_rule” has a value the engine "
                          "does not know."));
  if (clause->advance_days < 0 || clause->advance_days > 366
      || clause->due_days < 0 || clause->due_days > 366)
    return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                        _("fields “advance_days” and “due_days” must be between 0 and 366."));
  switch (clause->basis)
    {
    case TENURE_BASIS_PER_M2_DAY:
    case TENURE_BASIS_PER_M2_MONTH:
      if (clause->price_e4 <= 0)
        return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                            _("field “price” must be greater than zero."));
      if (tenure_contract_version_area (version) <= 0)
        return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                            _("a per-m² price needs units with an area greater than zero "
                              "(field “area”)."));
      break;
    case TENURE_BASIS_FIXED_MONTH:
    case TENURE_BASIS_FIXED_PERIOD:
    case TENURE_BASIS_ONE_OFF:
      if (clause->amount <= 0)
        return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                            _("field “amount” must be greater than zero."));
      break;
    case TENURE_BASIS_TURNOVER:
      if (!validate_turnover (plan, version, index, clause, error))
        return FALSE;
      break;
    default:
      break;
    }
  if (clause->days_rule == TENURE_DAYS_AVG_365_12 && clause->basis != TENURE_BASIS_PER_M2_DAY)
    return clause_fail (error, TENURE_ERROR_UNSUPPORTED, plan, version, index, clause,
                        _("the days rule AVG_365_12 applies to per-day prices only (field "
                          "“days_rule”)."));

  cs = tenure_date_is_valid (clause->starts_on) ? clause->starts_on : contract->start_date;
  ce = tenure_date_is_valid (clause->ends_on) ? clause->ends_on : contract->end_date;
  if (cs < contract->start_date || ce > contract->end_date || ce < cs)
    {
      g_autofree char *a = iso (cs);
      g_autofree char *b = iso (ce);
      g_autofree char *problem =
        g_strdup_printf (_("fields “starts_on” and “ends_on” (%s to %s) must lie within the "
                           "contract term, the end not before the start."), a, b);
      return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause, problem);
    }

  if (clause->rent_free != NULL && clause->rent_free->len > 0)
    {
      free_days = g_array_copy (clause->rent_free);
      for (guint i = 0; i < free_days->len; i++)
        {
          const TenureDateRange *r = &g_array_index (free_days, TenureDateRange, i);

          if (!tenure_date_range_is_valid (r) || r->start < cs || r->end > ce)
            {
              g_autofree char *a = iso (r->start);
              g_autofree char *b = iso (r->end);
              g_autofree char *problem =
                g_strdup_printf (_("the rent-free period %s to %s (field “rent_free”) must lie "
                                   "within the clause's term, the end not before the start."),
                                 a, b);
              return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                                  problem);
            }
        }
      for (guint i = 0; i < free_days->len; i++)
        for (guint j = i + 1; j < free_days->len; j++)
          {
            const TenureDateRange *r = &g_array_index (free_days, TenureDateRange, i);
            const TenureDateRange *s = &g_array_index (free_days, TenureDateRange, j);
            TenureDateRange common;

            if (tenure_date_range_intersect (r, s, &common))
              {
                g_autofree char *a = iso (common.start);
                g_autofree char *problem =
                  g_strdup_printf (_("two rent-free periods (field “rent_free”) overlap on %s."),
                                   a);
                return clause_fail (error, TENURE_ERROR_INVALID, plan, version, index, clause,
                                    problem);
              }
          }
    }
  return validate_escalation (plan, version, index, clause, error);
}

static gboolean
validate_contract (Plan *plan, GError **error)
{
  const TenureContract *contract = plan->contract;

  if (!tenure_date_is_valid (contract->start_date) || !tenure_date_is_valid (contract->end_date)
      || contract->end_date < contract->start_date)
    {
      g_autofree char *a = iso (contract->start_date);
      g_autofree char *b = iso (contract->end_date);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Contract %s: field “end_date” (%s) is before field “start_date” (%s) or "
                     "one of them is missing."), plan->code, b, a);
      return FALSE;
    }
  if (tenure_date_is_valid (contract->terminated_on)
      && contract->terminated_on < contract->start_date)
    {
      g_autofree char *a = iso (contract->terminated_on);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Contract %s: field “terminated_on” (%s) is before the start date."),
                   plan->code, a);
      return FALSE;
    }
  if (tenure_contract_version_at (contract, contract->start_date) == NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Contract %s has no version in force on its start date: no terms to "
                     "bill."), plan->code);
      return FALSE;
    }
  {
    const TenureCurrency *currency =
      tenure_currency_lookup (contract->currency != NULL ? contract->currency : "CNY");
    gint64 scale = 1;

    if (currency == NULL)
      {
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                     _("Contract %s: field “currency” (%s) is not a known currency."),
                     plan->code, contract->currency);
        return FALSE;
      }
    for (guint i = 0; i < currency->digits; i++)
      scale *= 10;
    plan->minor_scale = tenure_exact_frac (scale, 100);
  }
  return TRUE;
}

/* Checks the versions that are in force on some day of the term (drafts beside an approved
 * version are not, and their mistakes do not stop the plan). */
static gboolean
validate_versions (Plan *plan, GError **error)
{
  for (guint r = 0; r < plan->versions->len; r++)
    {
      const TenureContractVersion *version =
        g_array_index (plan->versions, VersionRange, r).version;
      gboolean seen = FALSE;

      for (guint k = 0; k < r; k++)
        if (g_array_index (plan->versions, VersionRange, k).version == version)
          seen = TRUE;
      if (seen)
        continue;

      for (guint u = 0; version->units != NULL && u < version->units->len; u++)
        {
          const TenureContractUnit *unit = version->units->pdata[u];

          if (unit->area_c <= 0)
            {
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("Contract %s, version %d, unit %s: field “area” must be greater "
                             "than zero."), plan->code, version->version_no,
                           unit->unit_code != NULL ? unit->unit_code : "?");
              return FALSE;
            }
        }
      for (guint c = 0; c < version->clauses->len; c++)
        if (!validate_clause (plan, version, c, version->clauses->pdata[c], error))
          return FALSE;
    }
  return TRUE;
}

/* Versions ----------------------------------------------------------------------------------*/

static int
date_cmp (gconstpointer a, gconstpointer b)
{
  TenureDate x = *(const TenureDate *) a, y = *(const TenureDate *) b;

  return x < y ? -1 : x > y;
}

static void
build_version_ranges (Plan *plan)
{
  const TenureContract *contract = plan->contract;
  g_autoptr (GArray) dates = g_array_new (FALSE, FALSE, sizeof (TenureDate));

  plan->versions = g_array_new (FALSE, FALSE, sizeof (VersionRange));
  g_array_append_val (dates, contract->start_date);
  for (guint i = 0; i < contract->versions->len; i++)
    {
      const TenureContractVersion *version = contract->versions->pdata[i];

      if (version->effective_from > contract->start_date && version->effective_from <= plan->last)
        g_array_append_val (dates, version->effective_from);
    }
  g_array_sort (dates, date_cmp);
  for (guint i = 0; i < dates->len; i++)
    {
      TenureDate from = g_array_index (dates, TenureDate, i);
      VersionRange range;

      if (i > 0 && from == g_array_index (dates, TenureDate, i - 1))
        continue;
      range.from = from;
      range.to = plan->last;
      for (guint j = i + 1; j < dates->len; j++)
        if (g_array_index (dates, TenureDate, j) > from)
          {
            range.to = g_array_index (dates, TenureDate, j) - 1;
            break;
          }
      range.version = tenure_contract_version_at (contract, from);
      if (range.version == NULL)
        continue;
      if (plan->versions->len > 0)
        {
          VersionRange *prev = &g_array_index (plan->versions, VersionRange,
                                               plan->versions->len - 1);

          if (prev->version == range.version && prev->to + 1 == range.from)
            {
              prev->to = range.to;
              continue;
            }
        }
      g_array_append_val (plan->versions, range);
    }
}

/* The OCCURRENCE-th clause (from 0) of VERSION with CHARGE_ITEM, or -1. */
static int
find_clause (const TenureContractVersion *version, const char *charge_item, int occurrence)
{
  for (guint i = 0; i < version->clauses->len; i++)
    {
      const TenureClause *clause = version->clauses->pdata[i];

      if (strcmp (clause->charge_item, charge_item) == 0 && occurrence-- == 0)
        return (int) i;
    }
  return -1;
}

/* Prices ------------------------------------------------------------------------------------*/

static gint64
clause_base_value (const TenureClause *clause)
{
  switch (clause->basis)
    {
    case TENURE_BASIS_PER_M2_DAY:
    case TENURE_BASIS_PER_M2_MONTH:
      return clause->price_e4;
    case TENURE_BASIS_TURNOVER:
      return clause->turnover->minimum;
    default:
      return clause->amount;
    }
}

/* The review dates of E after ANCHOR up to UNTIL (inclusive), in order. */
static GArray *
review_dates (const TenureContract *contract, const TenureEscalation *e, TenureDate anchor,
              TenureDate until)
{
  GArray *dates = g_array_new (FALSE, FALSE, sizeof (TenureDate));

  if (e->trigger == TENURE_ESCALATION_BY_LEASE_YEAR)
    {
      for (gint64 k = 1;; k++)
        {
          TenureDate r = tenure_date_add_months (contract->start_date, 12 * e->every_years * k);

          if (!tenure_date_is_valid (r) || r > until)
            break;
          if (r > anchor && (!tenure_date_is_valid (e->first_review) || r >= e->first_review))
            g_array_append_val (dates, r);
        }
    }
  else
    {
      int first_year = -1;

      for (int y = tenure_date_get_year (anchor); y <= tenure_date_get_year (until); y++)
        {
          int day = MIN (e->day, tenure_date_days_in_month (y, e->month));
          TenureDate r = tenure_date_from_ymd (y, e->month, day);

          if (r <= anchor || r > until
              || (tenure_date_is_valid (e->first_review) && r < e->first_review))
            continue;
          if (first_year < 0)
            first_year = y;
          if ((y - first_year) % e->every_years == 0)
            g_array_append_val (dates, r);
        }
    }
  return dates;
}

static gboolean
cpi_value (const Plan *plan, const TenureClause *clause, TenureDate on, gint64 *value,
           GError **error)
{
  const TenureEscalation *e = &clause->escalation;
  TenureDate month = tenure_date_add_months (on, -e->cpi_lag_months);
  int y = tenure_date_get_year (month), m = tenure_date_get_month (month);

  if (plan->ctx == NULL || plan->ctx->cpi == NULL
      || !plan->ctx->cpi (e->cpi_series, y, m, value, plan->ctx->user_data) || *value <= 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("Contract %s, charge item %s: the CPI series “%s” has no index for "
                     "%04d-%02d."), plan->code, clause->charge_item, e->cpi_series, y, m);
      return FALSE;
    }
  return TRUE;
}

static gboolean
cpi_until_known (const Plan *plan)
{
  return plan->ctx != NULL && plan->ctx->cpi_until_known;
}

/* The values of CLAUSE from ANCHOR (its base value) through UNTIL, with each review. When the
 * context allows it, a review whose CPI index is not published yet ends the schedule: *STOP is
 * then that review's date (else TENURE_DATE_INVALID). */
static GArray *
price_schedule (const Plan *plan, const TenureClause *clause, TenureDate anchor, TenureDate until,
                TenureDate *stop, GError **error)
{
  const TenureEscalation *e = &clause->escalation;
  g_autoptr (GArray) changes = g_array_new (FALSE, FALSE, sizeof (PriceChange));
  g_autoptr (GArray) dates = NULL;
  PriceChange change = { anchor, clause_base_value (clause), "start" };
  gint64 cpi_base = 0;

  *stop = TENURE_DATE_INVALID;
  if (e->kind == TENURE_ESCALATION_TABLE)
    {
      for (guint i = 0; i < e->table->len; i++)
        {
          const TenurePriceStep *step = &g_array_index (e->table, TenurePriceStep, i);

          if (step->from <= anchor)
            change.value = step->value;
        }
      g_array_append_val (changes, change);
      for (guint i = 0; i < e->table->len; i++)
        {
          const TenurePriceStep *step = &g_array_index (e->table, TenurePriceStep, i);

          if (step->from > anchor && step->from <= until)
            {
              PriceChange c = { step->from, step->value, "table" };
              g_array_append_val (changes, c);
            }
        }
      return g_steal_pointer (&changes);
    }

  g_array_append_val (changes, change);
  if (e->kind == TENURE_ESCALATION_NONE)
    return g_steal_pointer (&changes);

  dates = review_dates (plan->contract, e, anchor, until);
  if (e->kind == TENURE_ESCALATION_CPI && dates->len > 0
      && !cpi_value (plan, clause, anchor, &cpi_base, cpi_until_known (plan) ? NULL : error))
    {
      if (!cpi_until_known (plan))
        return NULL;
      *stop = g_array_index (dates, TenureDate, 0);
      return g_steal_pointer (&changes);
    }

  for (guint i = 0; i < dates->len; i++)
    {
      TenureDate r = g_array_index (dates, TenureDate, i);
      gint64 old = change.value;
      gint64 next = 0;
      g_autoptr (GError) local = NULL;
      gboolean ok = TRUE;

      switch (e->kind)
        {
        case TENURE_ESCALATION_PERCENT:
          ok = tenure_exact_round (tenure_exact_mul (tenure_exact_int (old),
                                                     tenure_exact_frac (1000000 + e->percent_ppm,
                                                                        1000000)),
                                   TENURE_ROUND_HALF_AWAY_FROM_ZERO, &next, &local);
          change.why = "review";
          break;
        case TENURE_ESCALATION_AMOUNT:
          ok = tenure_minor_add (old, e->delta, &next);
          change.why = "review";
          break;
        case TENURE_ESCALATION_CPI:
          {
            gint64 now = 0;
            TenureExact ratio, lo, hi;

            if (!cpi_value (plan, clause, r, &now, cpi_until_known (plan) ? NULL : error))
              {
                if (!cpi_until_known (plan))
                  return NULL;
                *stop = r;
                return g_steal_pointer (&changes);
              }
            ratio = tenure_exact_frac (now, cpi_base);
            lo = tenure_exact_frac (1000000 + e->floor_ppm, 1000000);
            ratio = tenure_exact_max (ratio, lo);
            if (e->cap_ppm != G_MAXINT64 && e->cap_ppm < G_MAXINT64 - 1000000)
              {
                hi = tenure_exact_frac (1000000 + e->cap_ppm, 1000000);
                ratio = tenure_exact_min (ratio, hi);
              }
            ok = tenure_exact_round (tenure_exact_mul (tenure_exact_int (old), ratio),
                                     TENURE_ROUND_HALF_AWAY_FROM_ZERO, &next, &local);
            cpi_base = now;
            change.why = "cpi";
          }
          break;
        default:
          break;
        }
      if (!ok || next <= 0)
        {
          g_autofree char *d = iso (r);

          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Contract %s, charge item %s: the escalation on %s gives a price that "
                         "is zero, negative or too large (field “escalation”)."),
                       plan->code, clause->charge_item, d);
          return NULL;
        }
      change.date = r;
      change.value = next;
      g_array_append_val (changes, change);
    }
  return g_steal_pointer (&changes);
}

/* Grids -------------------------------------------------------------------------------------*/

/* Months from A's month to B's month. */
static gint64
month_diff (TenureDate a, TenureDate b)
{
  int ya, ma, yb, mb;

  tenure_date_get_ymd (a, &ya, &ma, NULL);
  tenure_date_get_ymd (b, &yb, &mb, NULL);
  return (gint64) (yb - ya) * 12 + (mb - ma);
}

/* The cell of CYCLE months containing DATE, on the grid of ALIGNMENT from ANCHOR. */
static void
grid_cell (TenureAlignment alignment, TenureDate anchor, int cycle, TenureDate date,
           TenureDate *start, TenureDate *end)
{
  if (alignment == TENURE_ALIGN_CALENDAR)
    {
      int y, m;
      TenureDate s;

      tenure_date_get_ymd (date, &y, &m, NULL);
      m = ((m - 1) / cycle) * cycle + 1;
      s = tenure_date_from_ymd (y, m, 1);
      *start = s;
      *end = tenure_date_add_days (tenure_date_add_months (s, cycle), -1);
    }
  else
    {
      gint64 k = month_diff (anchor, date) / cycle;
      TenureDate s;

      if (date < anchor)
        k = 0;
      /* Clamping can put the boundary a few days off the plain month count: adjust. */
      while (k > 0 && tenure_date_anniversary (anchor, k, cycle) > date)
        k--;
      while (tenure_date_anniversary (anchor, k + 1, cycle) <= date)
        k++;
      s = tenure_date_anniversary (anchor, k, cycle);
      *start = s;
      *end = tenure_date_anniversary (anchor, k + 1, cycle) - 1;
    }
}

/* Lines -------------------------------------------------------------------------------------*/

static const Piece *
piece_at (GArray *pieces, TenureDate date)
{
  for (guint i = 0; i < pieces->len; i++)
    {
      const Piece *p = &g_array_index (pieces, Piece, i);

      if (p->from <= date && date <= p->to)
        return p;
    }
  return NULL;
}

/* Days of [FROM, TO] on which the stream is in force. */
static gint64
covered_days (GArray *pieces, TenureDate from, TenureDate to)
{
  gint64 days = 0;

  for (guint i = 0; i < pieces->len; i++)
    {
      const Piece *p = &g_array_index (pieces, Piece, i);
      TenureDate a = MAX (from, p->from), b = MIN (to, p->to);

      if (a <= b)
        days += b - a + 1;
    }
  return days;
}

static gint64
price_on (const Piece *piece, TenureDate date, const char **why)
{
  const PriceChange *best = &g_array_index (piece->prices, PriceChange, 0);

  for (guint i = 1; i < piece->prices->len; i++)
    {
      const PriceChange *c = &g_array_index (piece->prices, PriceChange, i);

      if (c->date <= date)
        best = c;
    }
  if (why != NULL)
    *why = best->date == date ? best->why : NULL;
  return best->value;
}

static gboolean
is_rent_free (const TenureClause *clause, TenureDate date)
{
  for (guint i = 0; clause->rent_free != NULL && i < clause->rent_free->len; i++)
    if (tenure_date_range_contains (&g_array_index (clause->rent_free, TenureDateRange, i), date))
      return TRUE;
  return FALSE;
}

/* The first day after FROM (up to TO + 1) where PIECE's price or rent-free status changes. */
static TenureDate
next_boundary (const Piece *piece, TenureDate from, TenureDate to)
{
  TenureDate next = to + 1;

  for (guint k = 0; k < piece->prices->len; k++)
    {
      TenureDate d = g_array_index (piece->prices, PriceChange, k).date;

      if (d > from && d < next)
        next = d;
    }
  for (guint k = 0; piece->clause->rent_free != NULL && k < piece->clause->rent_free->len; k++)
    {
      const TenureDateRange *r = &g_array_index (piece->clause->rent_free, TenureDateRange, k);

      if (r->start > from && r->start < next)
        next = r->start;
      if (r->end + 1 > from && r->end + 1 < next)
        next = r->end + 1;
    }
  return next;
}

/* Quantity of one segment of N days in a month cell of DIM days the stream covers COV days of:
 * days for per-day prices, months for per-month prices and amounts. */
static TenureExact
segment_quantity (const TenureClause *clause, gint64 n, gint64 dim, gint64 cov)
{
  gboolean full = cov == dim;
  TenureExact month;

  if (clause->basis == TENURE_BASIS_PER_M2_DAY)
    {
      if (!full)
        return tenure_exact_int (n);
      switch (clause->days_rule)
        {
        case TENURE_DAYS_FIXED_30:
          month = tenure_exact_int (30);
          break;
        case TENURE_DAYS_AVG_365_12:
          month = tenure_exact_frac (365, 12);
          break;
        case TENURE_DAYS_ACTUAL:
        default:
          month = tenure_exact_int (dim);
          break;
        }
      return tenure_exact_mul (month, tenure_exact_frac (n, dim));
    }
  if (full)
    month = tenure_exact_int (1);
  else if (clause->days_rule == TENURE_DAYS_FIXED_30)
    month = tenure_exact_frac (MIN (cov, 30), 30);
  else
    month = tenure_exact_frac (cov, dim);
  return tenure_exact_mul (month, tenure_exact_frac (n, cov));
}

static gboolean
line_vat (const Plan *plan, TenureReceivableLine *line, GError **error)
{
  gint64 rate = 0;
  gboolean found;

  if (plan->ctx != NULL && plan->ctx->vat != NULL)
    found = plan->ctx->vat (line->charge_item, line->period_start, &rate, plan->ctx->user_data);
  else
    found = tenure_plan_default_vat_rate (line->charge_item, &rate);
  if (!found || rate < 0 || rate > 1000000)
    {
      g_autofree char *d = iso (line->period_start);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("Contract %s: no VAT rate for charge item %s on %s."),
                   plan->code, line->charge_item, d);
      return FALSE;
    }
  if (!tenure_exact_vat_inclusive (line->amount, rate, plan->ctx != NULL ? plan->ctx->rounding
                                                                         : TENURE_ROUND_DEFAULT,
                                   &line->tax, NULL, error))
    return FALSE;
  line->trace->vat_rate_ppm = rate;
  line->trace->tax = line->tax;
  return TRUE;
}

static TenureRounding
plan_rounding (const Plan *plan)
{
  return plan->ctx != NULL ? plan->ctx->rounding : TENURE_ROUND_DEFAULT;
}

static gboolean
finish_line (Plan *plan, TenureReceivableLine *line, GError **error)
{
  g_autoptr (GError) local = NULL;

  line->trace->rounding = plan_rounding (plan);
  if (!tenure_exact_round (line->trace->exact, line->trace->rounding, &line->amount, &local))
    {
      g_autofree char *a = iso (line->period_start);
      g_autofree char *b = iso (line->period_end);

      g_set_error (error, TENURE_ERROR, local->code,
                   _("Contract %s, charge item %s: the amount for %s to %s cannot be computed "
                     "(%s)."), plan->code, line->charge_item, a, b, local->message);
      return FALSE;
    }
  line->trace->rounded = line->amount;
  return line_vat (plan, line, error);
}

static TenureReceivableLine *
line_new (const Plan *plan, const Piece *piece, TenureLineKind kind, const char *rule)
{
  TenureReceivableLine *line = g_new0 (TenureReceivableLine, 1);

  line->charge_item = g_strdup (piece->clause->charge_item);
  line->clause_index = piece->clause_index;
  line->clause_id = piece->clause->id;
  line->version_no = piece->version->version_no;
  line->kind = kind;
  line->currency = g_strdup (plan->contract->currency != NULL ? plan->contract->currency : "CNY");
  line->trace = tenure_trace_new (rule);
  return line;
}

static void
set_input_int (TenureTrace *trace, const char *name, gint64 value, guint scale)
{
  g_autofree char *text = tenure_decimal_format (value, scale, FALSE);

  tenure_trace_set_input (trace, name, text);
}

static void
describe_clause (TenureTrace *trace, const Piece *piece, int cycle)
{
  const TenureClause *clause = piece->clause;
  g_autofree char *cycle_text = g_strdup_printf ("%d", cycle);

  tenure_trace_set_input (trace, "basis", tenure_basis_to_string (clause->basis));
  tenure_trace_set_input (trace, "days_rule", tenure_days_rule_to_string (clause->days_rule));
  tenure_trace_set_input (trace, "cycle_months", cycle_text);
  tenure_trace_set_input (trace, "alignment", tenure_alignment_to_string (clause->alignment));
  tenure_trace_set_input (trace, "timing", tenure_timing_to_string (clause->timing));
  if (clause->basis == TENURE_BASIS_PER_M2_DAY || clause->basis == TENURE_BASIS_PER_M2_MONTH)
    {
      set_input_int (trace, "price", clause->price_e4, 4);
      set_input_int (trace, "area", piece->area_c, 2);
    }
  else if (clause->basis == TENURE_BASIS_TURNOVER)
    set_input_int (trace, "minimum", clause->turnover->minimum, 2);
  else
    set_input_int (trace, "amount", clause->amount, 2);
}

/* One period's line of a periodic stream: segments over [PS, PE]. */
static gboolean
period_line (Plan *plan, GArray *pieces, const Piece *first, TenureDate ps, TenureDate pe,
             TenureDate nps, TenureDate npe, int cycle, TenureReceivableLine **out,
             GError **error)
{
  const TenureClause *clause = first->clause;
  g_autofree char *rule = g_strdup_printf ("%s/%s", tenure_basis_to_string (clause->basis),
                                           tenure_days_rule_to_string (clause->days_rule));
  g_autoptr (TenureReceivableLine) line = line_new (plan, first, TENURE_LINE_NORMAL, rule);
  TenureTrace *trace = line->trace;
  TenureDate cur = ps;
  gint64 nominal_days = npe - nps + 1;
  gboolean by_days = clause->basis == TENURE_BASIS_FIXED_PERIOD
                     || clause->basis == TENURE_BASIS_TURNOVER;

  line->period_start = ps;
  line->period_end = pe;
  describe_clause (trace, first, cycle);

  while (cur <= pe)
    {
      TenureDate ms, me, mend;
      gint64 dim, cov;

      /* Month cells on the clause's grid (calendar months or anniversary months). */
      grid_cell (clause->alignment, first->clause_start, 1, cur, &ms, &me);
      mend = MIN (me, pe);
      dim = me - ms + 1;
      cov = covered_days (pieces, ms, me);

      for (guint i = 0; i < pieces->len; i++)
        {
          const Piece *p = &g_array_index (pieces, Piece, i);
          TenureDateRange span = { MAX (cur, p->from), MIN (mend, p->to) };
          TenureDateRange part;

          if (span.start > span.end)
            continue;
          for (part.start = span.start; part.start <= span.end; part.start = part.end + 1)
            {
              const TenureDateRange *r = &part;
              TenureTraceSegment seg = { 0 };
              gint64 n;
              const char *why = NULL;
              gint64 value = price_on (p, r->start, &why);
              g_autofree char *note = NULL;

              part.end = next_boundary (p, part.start, span.end) - 1;
              n = r->end - r->start + 1;
              seg.from = r->start;
              seg.to = r->end;
              seg.version_no = p->version->version_no;
              seg.rent_free = is_rent_free (p->clause, r->start);
              if (p->clause->basis == TENURE_BASIS_PER_M2_DAY
                  || p->clause->basis == TENURE_BASIS_PER_M2_MONTH)
                {
                  seg.price_e4 = value;
                  seg.area_c = p->area_c;
                }
              else
                seg.amount = value;
              if (by_days)
                seg.quantity = tenure_exact_frac (n, nominal_days);
              else
                seg.quantity = segment_quantity (p->clause, n, dim, cov);
              if (seg.rent_free)
                seg.value = tenure_exact_int (0);
              else if (seg.area_c > 0)
                seg.value = tenure_exact_mul (tenure_exact_rent_fen (seg.price_e4, seg.area_c,
                                                                     seg.quantity),
                                              plan->minor_scale);
              else
                seg.value = tenure_exact_mul (tenure_exact_int (seg.amount), seg.quantity);

              if (seg.rent_free)
                note = g_strdup (_("rent-free"));
              else if (why != NULL && strcmp (why, "start") != 0)
                note = g_strdup (_("new price from this day"));
              else if (!by_days && cov != dim)
                note = g_strdup_printf (_("partial month: %d of %d days"), (int) cov, (int) dim);
              seg.note = note;
              trace->exact = tenure_exact_add (trace->exact, seg.value);
              tenure_trace_add_segment (trace, &seg);
            }
        }
      cur = mend + 1;
    }

  if (trace->segments->len == 0)
    {
      *out = NULL;
      return TRUE;
    }
  if (!finish_line (plan, line, error))
    return FALSE;
  *out = g_steal_pointer (&line);
  return TRUE;
}

static TenureDate
advance_due (const Plan *plan, const TenureClause *clause, TenureDate ps)
{
  const TenureContract *contract = plan->contract;

  /* The first period of the lease is paid at signing. */
  if (ps == contract->start_date && tenure_date_is_valid (contract->signed_on))
    return contract->signed_on;
  return tenure_date_add_days (ps, -clause->advance_days);
}

static gboolean
topup_line (Plan *plan, const Piece *piece, const TenureReceivableLine *minimum_line,
            GError **error)
{
  const TenureTurnoverTerms *terms = piece->clause->turnover;
  g_autoptr (TenureReceivableLine) line = NULL;
  TenureTraceSegment seg = { 0 };
  TenureExact rent, topup;
  gint64 turnover = 0;

  if (plan->ctx == NULL || plan->ctx->turnover == NULL
      || !plan->ctx->turnover (minimum_line->period_start, minimum_line->period_end, &turnover,
                               plan->ctx->user_data))
    return TRUE;
  if (turnover < 0)
    {
      g_autofree char *a = iso (minimum_line->period_start);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Contract %s: the turnover reported for the period from %s is negative."),
                   plan->code, a);
      return FALSE;
    }

  line = line_new (plan, piece, TENURE_LINE_TOPUP, "turnover/topup");
  line->period_start = minimum_line->period_start;
  line->period_end = minimum_line->period_end;
  line->due_date = tenure_date_add_days (line->period_end, terms->due_days);
  line->version_no = minimum_line->version_no;
  line->clause_index = minimum_line->clause_index;

  rent = tenure_turnover_rent (terms, turnover);
  {
    /* Rent-free days owe no turnover rent either: keep the share of the period that pays. */
    gint64 days = 0, free_days = 0;

    for (guint i = 0; i < minimum_line->trace->segments->len; i++)
      {
        const TenureTraceSegment *s = minimum_line->trace->segments->pdata[i];

        days += s->to - s->from + 1;
        if (s->rent_free)
          free_days += s->to - s->from + 1;
      }
    if (free_days > 0)
      rent = tenure_exact_mul (rent, tenure_exact_frac (days - free_days, days));
  }
  if (terms->breakpoint >= 0)
    /* Minimum + the rates on the part above the breakpoint. */
    topup = tenure_exact_max (tenure_exact_int (0),
                              tenure_exact_sub (rent, tenure_turnover_rent (terms,
                                                                            terms->breakpoint)));
  else
    topup = tenure_exact_max (tenure_exact_int (0),
                              tenure_exact_sub (rent, minimum_line->trace->exact));

  set_input_int (line->trace, "turnover", turnover, 2);
  {
    g_autofree char *exact = tenure_trace_exact_to_text (minimum_line->trace->exact);
    tenure_trace_set_input (line->trace, "minimum_exact", exact);
  }
  set_input_int (line->trace, "turnover_rent", 0, 0);
  {
    gint64 r = 0;
    if (tenure_exact_round (rent, TENURE_ROUND_DEFAULT, &r, NULL))
      set_input_int (line->trace, "turnover_rent", r, 2);
  }
  if (terms->breakpoint >= 0)
    set_input_int (line->trace, "breakpoint", terms->breakpoint, 2);
  for (guint i = 0; i < terms->tiers->len; i++)
    {
      const TenureTurnoverTier *tier = &g_array_index (terms->tiers, TenureTurnoverTier, i);
      g_autofree char *name = g_strdup_printf ("tier_%u", i + 1);
      g_autofree char *from = tenure_decimal_format (tier->from, 2, FALSE);
      g_autofree char *rate = tenure_decimal_format (tier->rate_ppm, 4, FALSE);
      g_autofree char *text = g_strdup_printf ("%s: %s%%", from, rate);

      tenure_trace_set_input (line->trace, name, text);
    }

  seg.from = line->period_start;
  seg.to = line->period_end;
  seg.version_no = line->version_no;
  seg.amount = turnover;
  seg.quantity = tenure_exact_int (1);
  seg.value = topup;
  seg.note = (char *) _("turnover rent above the minimum");
  tenure_trace_add_segment (line->trace, &seg);
  line->trace->exact = topup;
  if (!finish_line (plan, line, error))
    return FALSE;
  g_ptr_array_add (plan->lines, g_steal_pointer (&line));
  return TRUE;
}

static gboolean
one_off_lines (Plan *plan, GArray *pieces, GError **error)
{
  for (guint i = 0; i < pieces->len; i++)
    {
      const Piece *p = &g_array_index (pieces, Piece, i);
      g_autoptr (TenureReceivableLine) line = NULL;
      TenureTraceSegment seg = { 0 };

      if (p->clause_start < p->from || p->clause_start > p->to)
        continue;
      line = line_new (plan, p, TENURE_LINE_NORMAL, "one_off");
      describe_clause (line->trace, p, 0);
      line->period_start = line->period_end = p->clause_start;
      line->due_date = advance_due (plan, p->clause, p->clause_start);
      if (p->clause_start != plan->contract->start_date)
        line->due_date = p->clause_start;
      seg.from = seg.to = p->clause_start;
      seg.version_no = p->version->version_no;
      seg.amount = p->clause->amount;
      seg.quantity = tenure_exact_int (1);
      seg.value = tenure_exact_int (p->clause->amount);
      tenure_trace_add_segment (line->trace, &seg);
      line->trace->exact = seg.value;
      if (!finish_line (plan, line, error))
        return FALSE;
      g_ptr_array_add (plan->lines, g_steal_pointer (&line));
    }
  return TRUE;
}

static gboolean
stream_lines (Plan *plan, GArray *pieces, GError **error)
{
  TenureDate first = g_array_index (pieces, Piece, 0).from;
  TenureDate last = g_array_index (pieces, Piece, pieces->len - 1).to;
  TenureDate cur = first;

  if (g_array_index (pieces, Piece, 0).clause->basis == TENURE_BASIS_ONE_OFF)
    return one_off_lines (plan, pieces, error);

  while (cur <= last)
    {
      const Piece *piece = piece_at (pieces, cur);
      const TenureClause *clause;
      TenureDate nps, npe, pe;
      TenureReceivableLine *line = NULL;
      int cycle;

      if (piece == NULL)
        {
          /* A gap (a version without this charge): go to the next piece. */
          for (guint i = 0; i < pieces->len; i++)
            if (g_array_index (pieces, Piece, i).from > cur)
              {
                cur = g_array_index (pieces, Piece, i).from;
                break;
              }
          piece = piece_at (pieces, cur);
          if (piece == NULL)
            break;
        }
      clause = piece->clause;
      if (clause->basis == TENURE_BASIS_ONE_OFF)
        {
          cur = piece->to + 1;
          continue;
        }
      cycle = clause->basis == TENURE_BASIS_TURNOVER ? clause->turnover->period_months
                                                     : clause->cycle_months;
      grid_cell (clause->alignment, piece->clause_start, cycle, cur, &nps, &npe);
      pe = MIN (npe, last);
      /* A CPI index not yet published: no line for a period that needs it. */
      if (tenure_date_is_valid (plan->stream_stop) && pe >= plan->stream_stop)
        break;
      if (!period_line (plan, pieces, piece, cur, pe, nps, npe, cycle, &line, error))
        return FALSE;
      if (line != NULL)
        {
          gboolean advance = clause->timing == TENURE_TIMING_ADVANCE
                             || clause->basis == TENURE_BASIS_TURNOVER;

          line->due_date = advance ? advance_due (plan, clause, cur)
                                   : tenure_date_add_days (pe, clause->due_days);
          g_ptr_array_add (plan->lines, line);
          if (clause->basis == TENURE_BASIS_TURNOVER && !topup_line (plan, piece, line, error))
            return FALSE;
        }
      cur = pe + 1;
    }
  return TRUE;
}

static int
line_cmp (gconstpointer a, gconstpointer b)
{
  const TenureReceivableLine *x = *(TenureReceivableLine * const *) a;
  const TenureReceivableLine *y = *(TenureReceivableLine * const *) b;
  int c;

  if (x->due_date != y->due_date)
    return x->due_date < y->due_date ? -1 : 1;
  c = strcmp (x->charge_item, y->charge_item);
  if (c != 0)
    return c;
  if (x->period_start != y->period_start)
    return x->period_start < y->period_start ? -1 : 1;
  if (x->clause_index != y->clause_index)
    return x->clause_index < y->clause_index ? -1 : 1;
  return (int) x->kind - (int) y->kind;
}

/* The pieces of the stream (CHARGE_ITEM, OCCURRENCE): where each version's clause applies. */
static gboolean
stream_pieces (Plan *plan, const char *charge_item, int occurrence, GArray *pieces,
               GError **error)
{
  const TenureContract *contract = plan->contract;

  for (guint i = 0; i < plan->versions->len; i++)
    {
      const VersionRange *range = &g_array_index (plan->versions, VersionRange, i);
      int index = find_clause (range->version, charge_item, occurrence);
      const TenureClause *clause;
      TenureDate cs, ce, anchor, stop;
      Piece piece = { 0 };

      if (index < 0)
        continue;
      clause = range->version->clauses->pdata[index];
      cs = tenure_date_is_valid (clause->starts_on) ? clause->starts_on : contract->start_date;
      ce = tenure_date_is_valid (clause->ends_on) ? clause->ends_on : contract->end_date;
      piece.from = MAX (range->from, cs);
      piece.to = MIN (range->to, MIN (ce, plan->last));
      if (piece.from > piece.to)
        continue;
      piece.version = range->version;
      piece.clause = clause;
      piece.clause_index = index;
      piece.clause_start = cs;
      piece.area_c = tenure_contract_version_area (range->version);
      /* A clause carried into a new version unchanged keeps its price path from the clause
       * start; a version that changes the price (or its escalation) sets the price on its
       * effective date, and reviews continue after that. */
      anchor = cs;
      if (pieces->len > 0)
        {
          const Piece *prev = &g_array_index (pieces, Piece, pieces->len - 1);

          if (clause_base_value (prev->clause) != clause_base_value (clause)
              || prev->clause->escalation.kind != clause->escalation.kind)
            anchor = piece.from;
        }
      piece.prices = price_schedule (plan, clause, anchor, piece.to, &stop, error);
      if (piece.prices == NULL)
        return FALSE;
      if (tenure_date_is_valid (stop))
        {
          if (!tenure_date_is_valid (plan->stream_stop) || stop < plan->stream_stop)
            plan->stream_stop = stop;
          if (!tenure_date_is_valid (plan->cpi_pending) || stop < plan->cpi_pending)
            plan->cpi_pending = stop;
        }
      g_array_append_val (pieces, piece);
    }
  return TRUE;
}

/**
 * tenure_plan_generate:
 * Every line of @contract's plan (see the header). @context may be NULL (default VAT rates,
 * no CPI, no turnover reports).
 * Returns: (transfer full) (element-type TenureReceivableLine): the lines, or NULL on error.
 */
GPtrArray *
tenure_plan_generate (const TenureContract     *contract,
                      const TenurePlanContext  *context,
                      GError                  **error)
{
  Plan plan = { 0 };
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (GHashTable) seen = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (contract != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  plan.contract = contract;
  plan.ctx = context;
  plan.code = contract->code != NULL ? contract->code : "?";
  if (!validate_contract (&plan, error))
    return NULL;
  plan.last = tenure_contract_last_day (contract);
  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_receivable_line_free);
  plan.lines = lines;
  build_version_ranges (&plan);
  if (!validate_versions (&plan, error))
    {
      g_clear_pointer (&plan.versions, g_array_unref);
      return NULL;
    }

  /* Streams in order of first appearance. */
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint v = 0; ok && v < plan.versions->len; v++)
    {
      const TenureContractVersion *version =
        g_array_index (plan.versions, VersionRange, v).version;

      for (guint c = 0; ok && c < version->clauses->len; c++)
        {
          const TenureClause *clause = version->clauses->pdata[c];
          int occurrence = 0;
          g_autofree char *key = NULL;
          g_autoptr (GArray) pieces = NULL;

          for (guint k = 0; k < c; k++)
            if (strcmp (((TenureClause *) version->clauses->pdata[k])->charge_item,
                        clause->charge_item) == 0)
              occurrence++;
          key = g_strdup_printf ("%s#%d", clause->charge_item, occurrence);
          if (g_hash_table_contains (seen, key))
            continue;
          g_hash_table_add (seen, g_steal_pointer (&key));

          pieces = g_array_new (FALSE, TRUE, sizeof (Piece));
          g_array_set_clear_func (pieces, (GDestroyNotify) piece_clear);
          plan.stream_stop = TENURE_DATE_INVALID;
          ok = stream_pieces (&plan, clause->charge_item, occurrence, pieces, error);
          if (ok && pieces->len > 0)
            ok = stream_lines (&plan, pieces, error);
        }
    }
  g_clear_pointer (&plan.versions, g_array_unref);
  if (!ok)
    return NULL;
  if (context != NULL && context->cpi_pending_from != NULL)
    *context->cpi_pending_from = plan.cpi_pending;
  g_ptr_array_sort (lines, line_cmp);
  return g_steal_pointer (&lines);
}
