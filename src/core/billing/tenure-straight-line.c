/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-straight-line"

#include "billing/tenure-straight-line.h"

#include <stdlib.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "contracts/tenure-contract-store.h"

static const char * const default_charge_items[] = { "RENT", NULL };

void
tenure_straight_line_free (TenureStraightLine *schedule)
{
  if (schedule == NULL)
    return;
  g_clear_pointer (&schedule->months, g_array_unref);
  g_free (schedule);
}

static int
month_index (TenureDate date)
{
  int y, m;

  tenure_date_get_ymd (date, &y, &m, NULL);
  return y * 12 + (m - 1);
}

static gboolean
check_regimes (const TenureStraightLineRegime *regimes,
               gsize                           n,
               GError                        **error)
{
  if (n == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Straight-line revenue: there are no lease terms"));
      return FALSE;
    }
  for (gsize k = 0; k < n; k++)
    {
      const TenureStraightLineRegime *r = &regimes[k];

      if (!tenure_date_is_valid (r->from) || !tenure_date_is_valid (r->last_day)
          || r->from > r->last_day)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Straight-line revenue: terms %u do not have a valid first and last "
                         "day (the last day must not be before the first)"), (guint) k + 1);
          return FALSE;
        }
      if (k > 0 && (r->from <= regimes[k - 1].from
                    || r->from > regimes[k - 1].last_day + 1))
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Straight-line revenue: terms %u must start after terms %u start and "
                         "no later than the day after they end"), (guint) k + 1, (guint) k);
          return FALSE;
        }
    }
  return TRUE;
}

/* Exact cumulative revenue through @d (the regimes' piecewise daily amounts). */
static TenureExact
cumulative_at (const TenureStraightLineRegime *regimes,
               const TenureExact              *base,
               const TenureExact              *daily,
               gsize                           n,
               TenureDate                      d)
{
  gsize k = n - 1;

  if (d < regimes[0].from)
    return tenure_exact_int (0);
  while (k > 0 && regimes[k].from > d)
    k--;
  return tenure_exact_add (base[k], tenure_exact_mul (daily[k],
                                                      tenure_exact_int (d - regimes[k].from + 1)));
}

TenureStraightLine *
tenure_straight_line_compute (const TenureStraightLineRegime  *regimes,
                              gsize                            n_regimes,
                              const TenureStraightLineBilling *billing,
                              gsize                            n_billing,
                              TenureRounding                   rounding,
                              GError                         **error)
{
  g_autoptr(TenureStraightLine) sl = NULL;
  g_autofree TenureExact *base = NULL, *daily = NULL;
  g_autofree gint64 *billed = NULL;
  TenureDate first, last;
  int m0, n_months;
  gint64 prev_cum = 0, cum_billed = 0;

  g_return_val_if_fail (n_regimes == 0 || regimes != NULL, NULL);
  g_return_val_if_fail (n_billing == 0 || billing != NULL, NULL);

  if (!check_regimes (regimes, n_regimes, error))
    return NULL;

  first = regimes[0].from;
  last = regimes[n_regimes - 1].last_day;
  base = g_new (TenureExact, n_regimes);
  daily = g_new (TenureExact, n_regimes);
  for (gsize k = 0; k < n_regimes; k++)
    {
      const TenureStraightLineRegime *r = &regimes[k];

      /* The balance carried: what the earlier terms recognised up to the day before. */
      base[k] = k == 0 ? tenure_exact_int (0)
                       : tenure_exact_add (base[k - 1],
                                           tenure_exact_mul (daily[k - 1],
                                                             tenure_exact_int (
                                                               r->from - regimes[k - 1].from)));
      daily[k] = tenure_exact_div (tenure_exact_sub (tenure_exact_int (r->total_net), base[k]),
                                   tenure_exact_int (tenure_date_days_inclusive (r->from,
                                                                                 r->last_day)));
    }

  m0 = month_index (first);
  n_months = month_index (last) - m0 + 1;
  billed = g_new0 (gint64, n_months);
  for (gsize i = 0; i < n_billing; i++)
    {
      int idx;

      if (!tenure_date_is_valid (billing[i].due_date))
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Straight-line revenue: billed line %u has no valid due date"),
                       (guint) i + 1);
          return NULL;
        }
      idx = CLAMP (month_index (billing[i].due_date) - m0, 0, n_months - 1);
      if (!tenure_minor_add (billed[idx], billing[i].net, &billed[idx]))
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW,
                       _("Straight-line revenue: the billed amounts exceed 64 bits"));
          return NULL;
        }
    }

  sl = g_new0 (TenureStraightLine, 1);
  sl->months = g_array_sized_new (FALSE, TRUE, sizeof (TenureStraightLineMonth), n_months);
  sl->first_day = first;
  sl->last_day = last;
  sl->daily = daily[n_regimes - 1];

  for (int i = 0; i < n_months; i++)
    {
      TenureStraightLineMonth m = { 0 };
      TenureDate month_start, month_end;
      gint64 cum;

      m.year = (m0 + i) / 12;
      m.month = (m0 + i) % 12 + 1;
      month_start = tenure_date_from_ymd (m.year, m.month, 1);
      month_end = tenure_date_add_days (month_start,
                                        tenure_date_days_in_month (m.year, m.month) - 1);
      m.first = MAX (month_start, first);
      m.last = MIN (month_end, last);
      if (!tenure_exact_round (cumulative_at (regimes, base, daily, n_regimes, m.last),
                               rounding, &cum, error))
        return NULL;
      m.cumulative_revenue = cum;
      m.billed = billed[i];
      if (!tenure_minor_sub (cum, prev_cum, &m.revenue)
          || !tenure_minor_add (cum_billed, billed[i], &cum_billed)
          || !tenure_minor_sub (cum, cum_billed, &m.deferred))
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW,
                       _("Straight-line revenue: an amount exceeds 64 bits"));
          return NULL;
        }
      m.cumulative_billed = cum_billed;
      prev_cum = cum;
      g_array_append_val (sl->months, m);
    }
  sl->total_revenue = prev_cum;
  sl->total_billed = cum_billed;
  return g_steal_pointer (&sl);
}

gboolean
tenure_straight_line_counts (const TenureReceivableLine *line,
                             const char * const         *charge_items)
{
  if (line->kind != TENURE_LINE_NORMAL && line->kind != TENURE_LINE_DIFFERENCE)
    return FALSE;
  if (charge_items == NULL)
    charge_items = default_charge_items;
  return line->charge_item != NULL
         && g_strv_contains (charge_items, line->charge_item);
}

gboolean
tenure_straight_line_plan_total (GPtrArray          *lines,
                                 const char * const *charge_items,
                                 gint64             *out_total,
                                 GError            **error)
{
  gint64 total = 0, net;

  for (guint i = 0; i < lines->len; i++)
    {
      const TenureReceivableLine *line = g_ptr_array_index (lines, i);

      if (!tenure_straight_line_counts (line, charge_items))
        continue;
      if (!tenure_minor_sub (line->amount, line->tax, &net)
          || !tenure_minor_add (total, net, &total))
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW,
                       _("Straight-line revenue: the rent of the plan exceeds 64 bits"));
          return FALSE;
        }
    }
  *out_total = total;
  return TRUE;
}

/* The counted lines of @lines as billing. */
static GArray *
plan_billing (GPtrArray          *lines,
              const char * const *charge_items)
{
  GArray *billing = g_array_new (FALSE, TRUE, sizeof (TenureStraightLineBilling));

  for (guint i = 0; i < lines->len; i++)
    {
      const TenureReceivableLine *line = g_ptr_array_index (lines, i);
      TenureStraightLineBilling b;

      if (!tenure_straight_line_counts (line, charge_items))
        continue;
      b.due_date = line->due_date;
      /* Cannot overflow: plan_total () checked every difference first. */
      b.net = line->amount - line->tax;
      g_array_append_val (billing, b);
    }
  return billing;
}

TenureStraightLine *
tenure_straight_line_from_plan (GPtrArray          *lines,
                                TenureDate          first_day,
                                TenureDate          last_day,
                                const char * const *charge_items,
                                TenureRounding      rounding,
                                GError            **error)
{
  g_autoptr(GArray) billing = NULL;
  TenureStraightLineRegime regime = { first_day, last_day, 0 };

  g_return_val_if_fail (lines != NULL, NULL);

  if (!tenure_straight_line_plan_total (lines, charge_items, &regime.total_net, error))
    return NULL;
  billing = plan_billing (lines, charge_items);
  return tenure_straight_line_compute (&regime, 1,
                                       (TenureStraightLineBilling *) billing->data,
                                       billing->len, rounding, error);
}

/* Index-linked rent counts at the latest published index (IFRS 16 measures such payments at
 * the current index; a later index is a remeasurement): a CPI month after the last one
 * published takes that last one. A gap before a published month stays an error. */
#define CPI_SEARCH_MONTHS 240

static gboolean
held_cpi (const char *series,
          int         year,
          int         month,
          gint64     *value_e4,
          gpointer    user_data)
{
  const TenurePlanContext *inner = user_data;
  int idx = year * 12 + (month - 1);
  gint64 later;

  if (inner->cpi == NULL)
    return FALSE;
  if (inner->cpi (series, year, month, value_e4, inner->user_data))
    return TRUE;
  for (int k = 1; k <= CPI_SEARCH_MONTHS; k++)
    if (inner->cpi (series, (idx + k) / 12, (idx + k) % 12 + 1, &later, inner->user_data))
      return FALSE;
  for (int k = 1; k <= CPI_SEARCH_MONTHS && idx - k >= 12; k++)
    if (inner->cpi (series, (idx - k) / 12, (idx - k) % 12 + 1, value_e4, inner->user_data))
      return TRUE;
  return FALSE;
}

static gboolean
inner_vat (const char *charge_item,
           TenureDate  on,
           gint64     *rate_ppm,
           gpointer    user_data)
{
  const TenurePlanContext *inner = user_data;

  return inner->vat (charge_item, on, rate_ppm, inner->user_data);
}

static gboolean
inner_turnover (TenureDate  period_start,
                TenureDate  period_end,
                gint64     *amount,
                gpointer    user_data)
{
  const TenurePlanContext *inner = user_data;

  return inner->turnover (period_start, period_end, amount, inner->user_data);
}

/* @inner with the CPI lookup of held_cpi(); @inner must outlive @out. */
static void
hold_cpi_context (const TenurePlanContext *inner,
                  TenurePlanContext       *out)
{
  *out = *inner;
  out->cpi = inner->cpi != NULL ? held_cpi : NULL;
  out->vat = inner->vat != NULL ? inner_vat : NULL;
  out->turnover = inner->turnover != NULL ? inner_turnover : NULL;
  out->user_data = (gpointer) inner;
}

static int
version_by_effective (gconstpointer a,
                      gconstpointer b)
{
  const TenureContractVersion *va = *(TenureContractVersion * const *) a;
  const TenureContractVersion *vb = *(TenureContractVersion * const *) b;

  if (va->effective_from != vb->effective_from)
    return va->effective_from < vb->effective_from ? -1 : 1;
  return (va->version_no > vb->version_no) - (va->version_no < vb->version_no);
}

static TenureDate
effective_day (const TenureContractVersion *version,
               TenureDate                   start)
{
  return tenure_date_is_valid (version->effective_from)
         ? MAX (version->effective_from, start) : start;
}

/* The regimes of @contract (one per version in force at some point) into @regimes, and the
 * plan of the whole contract into @out_plan. */
static gboolean
contract_regimes (const TenureContract    *contract,
                  const TenurePlanContext *context,
                  const char * const      *charge_items,
                  GArray                  *regimes,
                  GPtrArray              **out_plan,
                  GError                 **error)
{
  g_autoptr(GPtrArray) eligible = g_ptr_array_new ();
  g_autoptr(GPtrArray) starts = g_ptr_array_new ();
  g_autoptr(GPtrArray) plan = NULL;
  TenureDate start = contract->start_date;
  TenureDate last = tenure_contract_last_day (contract);
  gboolean early = tenure_date_is_valid (contract->end_date) && last < contract->end_date;

  if (!tenure_date_is_valid (start) || !tenure_date_is_valid (last) || last < start)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Contract %s: straight-line revenue needs a valid start and end date"),
                   contract->code != NULL ? contract->code : "");
      return FALSE;
    }
  for (guint i = 0; i < contract->versions->len; i++)
    {
      TenureContractVersion *v = g_ptr_array_index (contract->versions, i);

      if (v->status == TENURE_VERSION_APPROVED || v->status == TENURE_VERSION_SUPERSEDED)
        g_ptr_array_add (eligible, v);
    }
  /* A draft contract's preview: its versions as they are. */
  if (eligible->len == 0)
    for (guint i = 0; i < contract->versions->len; i++)
      g_ptr_array_add (eligible, g_ptr_array_index (contract->versions, i));
  g_ptr_array_sort (eligible, version_by_effective);

  /* The versions that start a regime: in force on some day of the lease, the last of those
   * effective on the same day. */
  for (guint k = 0; k < eligible->len; k++)
    {
      const TenureContractVersion *v = g_ptr_array_index (eligible, k);
      const TenureContractVersion *next = k + 1 < eligible->len
                                          ? g_ptr_array_index (eligible, k + 1) : NULL;

      if (effective_day (v, start) > last)
        continue;
      if (next != NULL && effective_day (next, start) == effective_day (v, start))
        continue;
      g_ptr_array_add (starts, (gpointer) v);
    }

  for (guint k = 0; k < starts->len; k++)
    {
      const TenureContractVersion *v = g_ptr_array_index (starts, k);
      /* The first terms start with the lease whatever their stated date. */
      TenureDate from = k == 0 ? start : effective_day (v, start);
      g_autoptr(GPtrArray) versions = g_ptr_array_new ();
      g_autoptr(GPtrArray) lines = NULL;
      TenureStraightLineRegime r;
      TenureContract view;

      /* The contract as it stood with this version: the versions in force by then, in their
       * order. */
      for (guint i = 0; i < contract->versions->len; i++)
        {
          TenureContractVersion *w = g_ptr_array_index (contract->versions, i);

          if (g_ptr_array_find (eligible, w, NULL) && effective_day (w, start) <= from)
            g_ptr_array_add (versions, w);
        }
      view = *contract;
      view.versions = versions;
      r.from = from;
      r.last_day = last;
      if (early)
        {
          /* The termination is a modification of its own, below: until then the terms ran
           * to the end date. */
          if (view.status == TENURE_CONTRACT_TERMINATED)
            view.status = TENURE_CONTRACT_ACTIVE;
          view.terminated_on = TENURE_DATE_INVALID;
          view.termination_type = TENURE_TERMINATION_NONE;
          r.last_day = contract->end_date;
        }
      lines = tenure_plan_generate (&view, context, error);
      if (lines == NULL)
        return FALSE;
      if (!tenure_straight_line_plan_total (lines, charge_items, &r.total_net, error))
        return FALSE;
      g_array_append_val (regimes, r);
    }
  if (regimes->len == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Contract %s: no version is in force during the lease"),
                   contract->code != NULL ? contract->code : "");
      return FALSE;
    }
  /* Billing follows the plan of every version (drafts included when nothing is approved). */
  plan = tenure_plan_generate (contract, context, error);
  if (plan == NULL)
    return FALSE;
  if (early)
    {
      /* An early termination recognises the rest on its last day, so the months already
       * reported stay as they were: a one-day regime ending the lease with the plan's total. */
      TenureStraightLineRegime *prev = &g_array_index (regimes, TenureStraightLineRegime,
                                                       regimes->len - 1);
      TenureStraightLineRegime r = { last, last, 0 };

      if (!tenure_straight_line_plan_total (plan, charge_items, &r.total_net, error))
        return FALSE;
      if (prev->from == last)
        *prev = r;
      else
        g_array_append_val (regimes, r);
    }
  *out_plan = g_steal_pointer (&plan);
  return TRUE;
}

TenureStraightLine *
tenure_straight_line_for_contract (const TenureContract    *contract,
                                   const TenurePlanContext *context,
                                   const char * const      *charge_items,
                                   GError                 **error)
{
  g_autoptr(GArray) regimes = g_array_new (FALSE, TRUE, sizeof (TenureStraightLineRegime));
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GArray) billing = NULL;
  static const TenurePlanContext no_context = { NULL, NULL, NULL, NULL, TENURE_ROUND_DEFAULT };
  TenurePlanContext held;

  g_return_val_if_fail (contract != NULL, NULL);

  if (context == NULL)
    context = &no_context;
  hold_cpi_context (context, &held);
  if (!contract_regimes (contract, &held, charge_items, regimes, &plan, error))
    return NULL;
  billing = plan_billing (plan, charge_items);
  return tenure_straight_line_compute ((TenureStraightLineRegime *) regimes->data, regimes->len,
                                       (TenureStraightLineBilling *) billing->data,
                                       billing->len, context->rounding, error);
}

TenureStraightLine *
tenure_straight_line_for_stored (TenureDb           *db,
                                 const char         *contract_code,
                                 const char * const *charge_items,
                                 GError            **error)
{
  g_autoptr(TenureContract) contract = NULL;
  g_autoptr(TenurePlanLookups) lookups = NULL;
  g_autoptr(GArray) regimes = g_array_new (FALSE, TRUE, sizeof (TenureStraightLineRegime));
  g_autoptr(GArray) billing = g_array_new (FALSE, TRUE, sizeof (TenureStraightLineBilling));
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  TenurePlanContext context = { 0 }, held;
  guint n_items;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (contract_code != NULL, NULL);

  if (charge_items == NULL)
    charge_items = default_charge_items;
  n_items = g_strv_length ((char **) charge_items);

  contract = tenure_contract_store_load (db, contract_code, error);
  if (contract == NULL)
    return NULL;
  lookups = tenure_plan_lookups_new (db, contract, error);
  if (lookups == NULL)
    return NULL;
  tenure_plan_lookups_context (lookups, &context);
  hold_cpi_context (&context, &held);
  if (!contract_regimes (contract, &held, charge_items, regimes, &plan, error))
    return NULL;

  sql = g_string_new ("SELECT bl.due_date, bl.amount - bl.tax "
                      "FROM bill_line bl "
                      "JOIN bill b ON b.id = bl.bill_id "
                      "JOIN contract c ON c.id = b.contract_id "
                      "JOIN charge_item ci ON ci.id = bl.charge_item_id "
                      "JOIN receivable_line rl ON rl.id = bl.receivable_line_id "
                      "WHERE c.code = $1 AND rl.kind IN ('normal', 'difference') "
                      "AND ci.code IN (");
  for (guint i = 0; i < n_items; i++)
    g_string_append_printf (sql, "%s$%u", i > 0 ? ", " : "", i + 2);
  g_string_append (sql, ") ORDER BY bl.due_date, bl.id");
  stmt = tenure_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, contract_code);
  for (guint i = 0; i < n_items; i++)
    tenure_stmt_bind_text (stmt, i + 2, charge_items[i]);
  while (tenure_stmt_step (stmt, &local))
    {
      TenureStraightLineBilling b;
      const char *due = tenure_stmt_column_text (stmt, 0);

      if (due == NULL || !tenure_date_parse_iso (due, &b.due_date, NULL))
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                       _("Contract %s: a bill line has no valid due date (“%s”)"),
                       contract_code, due != NULL ? due : "");
          return NULL;
        }
      b.net = tenure_stmt_column_int64 (stmt, 1);
      g_array_append_val (billing, b);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return tenure_straight_line_compute ((TenureStraightLineRegime *) regimes->data, regimes->len,
                                       (TenureStraightLineBilling *) billing->data,
                                       billing->len, context.rounding, error);
}
