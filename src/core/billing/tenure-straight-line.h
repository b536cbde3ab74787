/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"
#include "base/tenure-exact.h"
#include "leasing/tenure-contract.h"
#include "leasing/tenure-plan.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Straight-line rent revenue for lessors (CAS 21 / IFRS 16, domain.md §9): rent is recognised
 * evenly over the lease term, rent-free periods included. Daily amount = total contractual rent
 * net of VAT / days in the term; monthly revenue by cumulative rounding (round the exact
 * cumulative revenue at each month end and take differences, so the months add up to the total
 * exactly); deferred (accrued) rent = cumulative revenue − cumulative billed. A modification
 * restarts the calculation from its effective date with the balance carried: from then on the
 * daily amount is (the new total − the revenue recognised before) / the remaining days.
 *
 * "Billed" counts a line in the month of its due date, clamped to the months of the term (rent
 * due before the lease starts counts in its first month). All amounts are net of VAT, minor
 * units. */

/* The terms in force from one date: the first regime starts on the lease's first day; each
 * modification adds one. */
typedef struct
{
  TenureDate from;        /* first day of these terms */
  TenureDate last_day;    /* last day of the lease under these terms (inclusive) */
  gint64     total_net;   /* total contractual rent over the whole lease under these terms */
} TenureStraightLineRegime;

/* A billed (or to-be-billed) amount. */
typedef struct
{
  TenureDate due_date;
  gint64     net;         /* amount − tax; negative for a credit */
} TenureStraightLineBilling;

typedef struct
{
  int        year, month;
  TenureDate first, last;          /* the part of the month inside the lease */
  gint64     revenue;              /* recognised in this month */
  gint64     billed;               /* billed in this month */
  gint64     cumulative_revenue;
  gint64     cumulative_billed;
  gint64     deferred;             /* cumulative revenue − cumulative billed (accrued when > 0) */
} TenureStraightLineMonth;

typedef struct
{
  GArray      *months;             /* TenureStraightLineMonth, in order */
  TenureDate   first_day, last_day;
  gint64       total_revenue;      /* = the last regime's total_net */
  gint64       total_billed;
  TenureExact  daily;              /* the daily amount of the last regime, exact */
} TenureStraightLine;

/* Straight-line schedule over the regimes (sorted by `from`, strictly increasing, each
 * `from` <= its `last_day`, the next `from` <= the previous `last_day` + 1) and the billing.
 * Fails with TENURE_ERROR_INVALID naming the regime or line, or TENURE_ERROR_OVERFLOW. */
TenureStraightLine *tenure_straight_line_compute (const TenureStraightLineRegime  *regimes,
                                                  gsize                            n_regimes,
                                                  const TenureStraightLineBilling *billing,
                                                  gsize                            n_billing,
                                                  TenureRounding                   rounding,
                                                  GError                         **error);
void                tenure_straight_line_free    (TenureStraightLine *schedule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureStraightLine, tenure_straight_line_free)

/* TRUE when a plan line counts as contractual rent for straight-lining: a normal or
 * difference line (not a turnover top-up, which is variable rent recognised when earned, nor a
 * late fee) of one of @charge_items (NULL-terminated codes; NULL means { "RENT" }). */
gboolean tenure_straight_line_counts (const TenureReceivableLine *line,
                                      const char * const         *charge_items);

/* Sum of amount − tax of the counted lines of @lines (TenureReceivableLine). */
gboolean tenure_straight_line_plan_total (GPtrArray          *lines,
                                          const char * const *charge_items,
                                          gint64             *out_total,
                                          GError            **error);

/* The schedule of a plan with no modification: one regime over @first_day..@last_day with the
 * plan's total, billed as the plan bills it. */
TenureStraightLine *tenure_straight_line_from_plan (GPtrArray          *lines,
                                                    TenureDate          first_day,
                                                    TenureDate          last_day,
                                                    const char * const *charge_items,
                                                    TenureRounding      rounding,
                                                    GError            **error);

/* The schedule of @contract: one regime per approved (or superseded) version, each with the
 * total of the plan generated with the versions up to it (tenure_plan_generate with @context),
 * billed as the plan of all versions bills it. An early termination is a last, one-day regime
 * on the termination date: what is left to recognise (positive or negative) falls on that day,
 * and the months before stay as they were reported. CPI months after the last published one
 * take the last published index (index-linked rent at the current index, IFRS 16); a missing
 * month before a published one is still an error. */
TenureStraightLine *tenure_straight_line_for_contract (const TenureContract    *contract,
                                                       const TenurePlanContext *context,
                                                       const char * const      *charge_items,
                                                       GError                 **error);

/* The schedule of the stored contract @contract_code with the database's CPI, VAT and turnover
 * figures; billed = the bill lines actually posted for the counted charge items (a bill's
 * line in the month of its due date). TENURE_ERROR_NOT_FOUND for an unknown contract. */
TenureStraightLine *tenure_straight_line_for_stored (TenureDb           *db,
                                                     const char         *contract_code,
                                                     const char * const *charge_items,
                                                     GError            **error);

G_END_DECLS
