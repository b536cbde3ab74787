/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"
#include "base/tenure-exact.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Late fees (滞纳金, domain.md §6): a simple daily rate on the unpaid principal after a grace
 * period. A fee accrues for each day after the last fee-free day (due date + grace days) up to
 * and including the as-of date, on the amount unpaid at the start of that day (so a payment
 * still bears the fee on its own day). The fee is capped at a share of the principal, computed
 * exactly and rounded once. Until a fee is billed, payments go to the principal. */

/* Default warning limit for a daily rate (domain.md §11): 0.1 %/day. The setting
 * "late_fee.warn_rate_ppm" overrides it per database. */
#define TENURE_LATE_FEE_WARN_RATE_PPM_DEFAULT 1000

/* The terms of one open item. */
typedef struct
{
  gint64     principal;    /* minor units, > 0 */
  TenureDate due_date;
  int        grace_days;   /* >= 0: days after the due date that are still fee-free */
  gint64     rate_ppm;     /* per day, >= 0: 500 = 0.05 %/day; 0 = not eligible */
  gint64     cap_ppm;      /* of the principal, >= 0: 300000 = 30 %; 0 = no cap */
} TenureLateFeeTerms;

/* Money applied to the principal on a date (a receipt's allocation, an offset, a write-off). */
typedef struct
{
  TenureDate date;
  gint64     amount;       /* minor units, > 0 */
} TenureLateFeePayment;

/* One stretch of days with the same unpaid amount. */
typedef struct
{
  TenureDate  from, to;    /* inclusive */
  gint64      unpaid;      /* minor units unpaid at the start of each of these days */
  TenureExact value;       /* unpaid × days × rate, exact minor units */
} TenureLateFeeSegment;

typedef struct
{
  TenureExact exact;       /* the fee before rounding, after the cap */
  gint64      fee;         /* rounded once */
  gboolean    capped;      /* the cap was reached */
  gint64      cap;         /* the cap rounded to minor units (0 when there is none) */
  int         fee_days;    /* days that bore a fee */
  gint64      paid;        /* payments dated on or before the as-of date */
  gint64      unpaid;      /* principal still unpaid at the end of the as-of date */
  GArray     *segments;    /* TenureLateFeeSegment; owned, may be empty */
} TenureLateFeeResult;

/* The fee on one open item as of @as_of (inclusive). @payments may be in any order; payments
 * after @as_of are ignored. Fails with TENURE_ERROR_INVALID (no principal, a negative rate,
 * cap or grace, an invalid date, a payment of zero or less) or TENURE_ERROR_OVERFLOW. @out is
 * filled on success; free its contents with tenure_late_fee_result_clear(). */
gboolean tenure_late_fee_compute       (const TenureLateFeeTerms   *terms,
                                        const TenureLateFeePayment *payments,
                                        gsize                       n_payments,
                                        TenureDate                  as_of,
                                        TenureRounding              rounding,
                                        TenureLateFeeResult        *out,
                                        GError                    **error);
void     tenure_late_fee_result_clear  (TenureLateFeeResult *result);

/* A translated warning when @rate_ppm per day exceeds @limit_ppm (courts may reduce such a rate,
 * Civil Code Art. 585), naming @where (a contract code and charge item); NULL when it does not.
 * Newly allocated. */
char    *tenure_late_fee_rate_warning  (gint64      rate_ppm,
                                        gint64      limit_ppm,
                                        const char *where);

/* The warning limit of @db: the setting "late_fee.warn_rate_ppm", else the default. */
gboolean tenure_late_fee_warn_limit    (TenureDb *db,
                                        gint64   *out_ppm,
                                        GError  **error);

/* Which billed lines a report covers (the same scopes as a bill run). */
typedef enum
{
  TENURE_SCOPE_ALL,
  TENURE_SCOPE_PROJECT,
  TENURE_SCOPE_BUILDING,
  TENURE_SCOPE_CONTRACT,
} TenureScopeKind;

/* One billed line that bears a late fee as of the report date. */
typedef struct
{
  gint64      bill_line_id;
  char       *bill_code;
  char       *contract_code;
  char       *charge_item;     /* code */
  char       *currency;
  TenureDate  period_start, period_end;
  TenureLateFeeTerms terms;
  TenureLateFeeResult result;
  gint64      waived;          /* approved waivers on this line */
  gint64      pending_waivers; /* requested, not yet approved */
  gint64      billed_fee;      /* late fees on this line already billed (see below) */
  gint64      net_fee;         /* max (0, result.fee − waived − billed_fee): still to bill */
  char       *warning;         /* rate above the limit, or NULL */
} TenureLateFeeItem;

void tenure_late_fee_item_free (TenureLateFeeItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureLateFeeItem, tenure_late_fee_item_free)

/* The late fees of every posted bill line in the scope as of @as_of: lines of charges whose
 * clause has a late-fee rate (0 = not eligible), due before @as_of, except late-fee lines
 * themselves and non-positive amounts. Payments are the allocations to each line (receipt
 * allocations dated by the receipt's received_on, offsets and write-offs by their posting date;
 * reversed allocations and their reversals do not count) and billed credit notes correcting
 * the line (by their posting date). A late fee that was billed is a receivable_line of kind
 * late_fee whose corrects_line_id is the principal's receivable line; billed ones count in
 * billed_fee. Only lines with a fee (before
 * waivers) are returned, ordered by contract code, due date and line. @scope_code names the
 * project, building or contract (NULL for TENURE_SCOPE_ALL); an unknown code fails with
 * TENURE_ERROR_NOT_FOUND. Returns a GPtrArray of TenureLateFeeItem, or NULL on error. */
GPtrArray *tenure_late_fees_as_of      (TenureDb        *db,
                                        TenureDate       as_of,
                                        TenureScopeKind  scope,
                                        const char      *scope_code,
                                        GError         **error);

/* Requests a waiver of @amount (minor units, > 0) of the late fee on @bill_line_id with a
 * @reason (not empty); the requester is the database's acting user. Returns the waiver id, or
 * 0 on error (TENURE_ERROR_INVALID, TENURE_ERROR_NOT_FOUND). */
gint64   tenure_late_fee_waiver_request (TenureDb   *db,
                                         gint64      bill_line_id,
                                         gint64      amount,
                                         const char *reason,
                                         GError    **error);
/* Approves waiver @waiver_id as the database's acting user, who must not be its requester
 * (segregation of duties, TENURE_ERROR_INVALID); an approved waiver cannot be approved again. */
gboolean tenure_late_fee_waiver_approve (TenureDb   *db,
                                         gint64      waiver_id,
                                         GError    **error);

G_END_DECLS
