/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-exact.h"
#include "leasing/tenure-contract.h"

G_BEGIN_DECLS

/* The receivable plan (domain.md §5–6): every amount a contract produces, one line per charge
 * item per billing period, each with the calculation trace that explains it. Pure computation:
 * no database here (lookups come through TenurePlanContext). */

typedef enum
{
  TENURE_LINE_NORMAL,      /* a period's charge from the plan */
  TENURE_LINE_DIFFERENCE,  /* credit/debit for an already billed period a change affected */
  TENURE_LINE_TOPUP,       /* turnover top-up above the guaranteed minimum, in arrears */
  TENURE_LINE_LATE_FEE,    /* a late fee once it is billed */
} TenureLineKind;

/* One stretch of days inside a period with one price, computed exactly. */
typedef struct
{
  TenureDate   from, to;      /* inclusive */
  int          version_no;    /* the contract version whose terms apply */
  gint64       price_e4;      /* per-m² bases: the unit price on these days */
  gint64       amount;        /* fixed bases: the amount per month/period */
  gint64       area_c;
  TenureExact  quantity;      /* days (per day), or the month fraction (per month) */
  gboolean     rent_free;
  TenureExact  value;         /* exact minor units; 0 when rent-free */
  char        *note;          /* why this segment starts here: "rent-free", "escalation +5%"… */
} TenureTraceSegment;

typedef struct
{
  char           *rule;        /* machine name: "per_m2_day/AVG_365_12", "turnover/topup" … */
  GHashTable     *inputs;      /* char* → char*: the inputs as text ("area" → "200.00") */
  GPtrArray      *segments;    /* TenureTraceSegment */
  TenureExact     exact;       /* the sum of the segments, before rounding */
  TenureRounding  rounding;
  gint64          rounded;     /* the line's amount: exact rounded once */
  gint64          vat_rate_ppm;
  gint64          tax;         /* round(gross × r / (1 + r)) */
} TenureTrace;

typedef struct
{
  char           *charge_item;
  int             clause_index;   /* index in the version's clauses */
  gint64          clause_id;      /* 0 when not stored */
  int             version_no;     /* the version in force at period start */
  TenureLineKind  kind;
  TenureDate      period_start, period_end, due_date;
  gint64          amount;         /* gross, minor units (tax-inclusive) */
  gint64          tax;
  char           *currency;
  TenureTrace    *trace;
} TenureReceivableLine;

/* Lookups the generator needs from outside. Each returns FALSE when it has no value; the
 * generator then fails with a message naming what is missing (a CPI month, a VAT rate). */
typedef gboolean (*TenureCpiLookup)      (const char *series, int year, int month,
                                          gint64 *value_e4, gpointer user_data);
typedef gboolean (*TenureVatLookup)      (const char *charge_item, TenureDate on,
                                          gint64 *rate_ppm, gpointer user_data);
/* Reported turnover of a settlement period; FALSE while not reported (no top-up line yet). */
typedef gboolean (*TenureTurnoverLookup) (TenureDate period_start, TenureDate period_end,
                                          gint64 *amount, gpointer user_data);

typedef struct
{
  TenureCpiLookup       cpi;
  TenureVatLookup       vat;        /* NULL: the built-in defaults of domain.md §6 */
  TenureTurnoverLookup  turnover;
  gpointer              user_data;
  TenureRounding        rounding;   /* TENURE_ROUND_DEFAULT */
  /* FALSE (default): a CPI index the lookup lacks fails the plan (TENURE_ERROR_NOT_FOUND).
   * TRUE: the plan of that charge item stops before the first period that needs an index not
   * published yet (a lease signed today has future reviews); *cpi_pending_from, when not NULL,
   * receives the earliest such review date, or TENURE_DATE_INVALID when the plan is complete. */
  gboolean              cpi_until_known;
  TenureDate           *cpi_pending_from;
} TenurePlanContext;

/* Every line of CONTRACT's plan over its whole term (to its termination date when terminated),
 * sorted by due date, charge item and period. Versions apply from their effective dates; a
 * period spanning a version change, price change or rent-free boundary is split into segments,
 * and each line is rounded once. Refuses (TENURE_ERROR_INVALID / UNSUPPORTED) a clause it
 * cannot express, naming the contract and the field; TENURE_ERROR_NOT_FOUND for a missing CPI
 * month or VAT rate; TENURE_ERROR_OVERFLOW for an amount beyond 64 bits.
 *
 * Conventions (domain.md §5 where it speaks, these where it does not):
 * - Clauses are matched across versions by charge item and their order among the version's
 *   clauses with that item (the 2nd RENT clause of v2 continues the 2nd RENT clause of v1).
 * - Periods: the grid of the clause in force on the period's first day: anniversary periods
 *   start at clause start + k × cycle months (clamped, never chained), calendar periods are
 *   months, 2-month blocks, quarters, half-years or years; the first and last are clipped to
 *   the term. TURNOVER clauses use turnover->period_months as their cycle.
 * - Months: anniversary months (start + k months) or calendar months, by the clause's
 *   alignment. A month is full when the clause is in force on all its days (rent-free days
 *   count as in force). Per day: a full month is DIM days (ACTUAL), 30 (FIXED_30) or 365/12
 *   (AVG_365_12); a partial month is its covered days. Per month and fixed monthly: a full
 *   month is 1; a partial one covered/DIM (ACTUAL) or min(covered, 30)/30 (FIXED_30). Days of
 *   one month split into segments share its quantity in proportion to their days. Fixed per
 *   period and the turnover minimum: amount × days / days of the nominal period.
 * - Prices: a clause carried unchanged into a new version keeps its price path from the clause
 *   start; a version that changes the base price (or the escalation kind) sets that price on
 *   its effective date, and later reviews build on it. Reviews strictly after that date count
 *   (a review on the start date does not). Escalated prices round half up to 4 decimals
 *   (amounts to minor units).
 * - Due dates: in advance, period start − advance_days, except the period that starts on the
 *   contract's start, due on signed_on when it is set ("the first period at signing"); in
 *   arrears, period end + due_days. A one-off is due on its start (at signing when that is
 *   the contract start). The turnover minimum is always in advance; a TOPUP line (period end
 *   + turnover->due_days) appears once context->turnover returns the period's turnover, called
 *   with the line's own (clipped) period_start and period_end. Rent-free days owe no turnover
 *   rent: the turnover rent is scaled by the paying share of the period's days.
 * - Segment quantity: days (per day), months (per month, fixed monthly), or the fraction of the
 *   period (fixed per period, turnover). Amounts are minor units of contract->currency. */
GPtrArray *tenure_plan_generate            (const TenureContract     *contract,
                                            const TenurePlanContext  *context,
                                            GError                  **error);

void       tenure_receivable_line_free     (TenureReceivableLine *line);
void       tenure_trace_free               (TenureTrace *trace);
/* Structured trace as JSON (stored with the line, printed by `tenure-cli plan --explain`). */
char      *tenure_trace_to_json            (const TenureTrace *trace);
TenureTrace *tenure_trace_from_json        (const char *json, GError **error);
/* The trace in words for people, translated: one line per segment and the rounding. */
char      *tenure_trace_explain            (const TenureTrace *trace, const char *currency);

/* Building traces (the engine, and tests that need a trace by hand). */
TenureTrace *tenure_trace_new               (const char *rule);
/* Appends a copy of SEGMENT (the note is duplicated); returns the stored copy. */
TenureTraceSegment *tenure_trace_add_segment (TenureTrace              *trace,
                                             const TenureTraceSegment *segment);
void         tenure_trace_set_input         (TenureTrace *trace,
                                             const char  *name,
                                             const char  *value);
/* Exact values as text in traces: "num/den", or "num" for an integer. */
char        *tenure_trace_exact_to_text     (TenureExact x);
gboolean     tenure_trace_exact_from_text   (const char *text, TenureExact *out);

/* "normal", "difference", "topup", "late_fee" (as in receivable_line.kind), and back. */
const char  *tenure_line_kind_to_string     (TenureLineKind kind);
gboolean     tenure_line_kind_from_string   (const char *text, TenureLineKind *out);

/* The VAT rate of domain.md §6 used when the context has no lookup: RENT, PARKING and
 * ADVERTISING 9 %, PROPERTY_FEE 6 %, DEPOSIT 0; FALSE for any other charge item. */
gboolean     tenure_plan_default_vat_rate   (const char *charge_item, gint64 *rate_ppm);

/* The turnover at which the turnover rent of TERMS reaches the minimum (natural breakpoint,
 * the minimum divided by the marginal rates), or the artificial breakpoint when one is set;
 * rounded to minor units. Fails (TENURE_ERROR_INVALID) when no rate is positive. */
gboolean     tenure_turnover_breakpoint     (const TenureTurnoverTerms *terms,
                                             gint64                    *out,
                                             GError                   **error);
/* Turnover rent of TURNOVER under the marginal tiers of TERMS, exact (before rounding). */
TenureExact  tenure_turnover_rent           (const TenureTurnoverTerms *terms,
                                             gint64                     turnover);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureTrace, tenure_trace_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureReceivableLine, tenure_receivable_line_free)

G_END_DECLS
