/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "leasing/tenure-contract.h"
#include "leasing/tenure-plan.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* The stored receivable plan (receivable_line) of a contract, kept in step with its versions.
 *
 * Storing a plan is preview → approve: tenure_plan_diff () compares the newly generated plan
 * with what is stored and returns every change without writing; tenure_plan_diff_apply ()
 * writes it. Only unbilled lines are ever rewritten or removed. For a billed line whose amount
 * the new plan changes (or drops), a DIFFERENCE line carries new − billed (a credit when
 * negative, a debit when positive); the bill run issues it as a credit or debit note against
 * the bill that billed the line. Late-fee lines are not part of the plan and are left alone. */

typedef enum
{
  TENURE_PLAN_CHANGE_UNCHANGED,   /* stored line equals the new one */
  TENURE_PLAN_CHANGE_ADDED,       /* a new unbilled line */
  TENURE_PLAN_CHANGE_CHANGED,     /* an unbilled line rewritten (amount, due date, trace…) */
  TENURE_PLAN_CHANGE_REMOVED,     /* an unbilled line the new plan no longer has */
  TENURE_PLAN_CHANGE_BILLED,      /* billed and still right: kept as is */
  TENURE_PLAN_CHANGE_DIFFERENCE,  /* billed and now different: a difference line */
} TenurePlanChangeKind;

typedef struct
{
  TenurePlanChangeKind  kind;
  char                 *charge_item;
  TenureLineKind        line_kind;        /* of the plan line (normal or top-up) */
  TenureDate            period_start, period_end;
  TenureDate            due_date;         /* new due date (difference: of the difference line) */
  gint64                stored_line_id;   /* 0 when added */
  gint64                old_amount;       /* stored (billed lines: billed incl. earlier diffs) */
  gint64                new_amount;       /* 0 when removed */
  gint64                difference;       /* DIFFERENCE: new − billed */
  gint64                difference_tax;
  const TenureReceivableLine *line;       /* the new line, or NULL when removed */
} TenurePlanChange;

typedef struct _TenurePlanDiff TenurePlanDiff;

/* Generates CONTRACT's plan (tenure_plan_generate with CONTEXT) and compares it with what is
 * stored. CONTRACT must be stored (ids of the contract and its versions set). */
TenurePlanDiff *tenure_plan_diff              (TenureDb                 *db,
                                               const TenureContract     *contract,
                                               const TenurePlanContext  *context,
                                               GError                  **error);
/* The same for lines generated elsewhere (takes LINES). */
TenurePlanDiff *tenure_plan_diff_lines        (TenureDb                 *db,
                                               const TenureContract     *contract,
                                               GPtrArray                *lines,
                                               GError                  **error);
/* The changes, in plan order (TenurePlanChange, owned by DIFF). */
GPtrArray      *tenure_plan_diff_get_changes  (TenurePlanDiff           *diff);
/* The number of changes that would write something (all but UNCHANGED and BILLED). */
guint           tenure_plan_diff_count_writes (TenurePlanDiff           *diff);
/* Writes DIFF in one transaction under the "bill-run" job lock (a bill run never sees half a
 * plan). Fails with TENURE_ERROR_FAILED, writing nothing, when the stored plan changed since
 * the diff was made (a bill run in between): make a new diff. */
gboolean        tenure_plan_diff_apply        (TenureDb                 *db,
                                               TenurePlanDiff           *diff,
                                               GError                  **error);
void            tenure_plan_diff_free         (TenurePlanDiff           *diff);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenurePlanDiff, tenure_plan_diff_free)

/* Loads the stored contract CODE, generates its plan with the database's CPI, VAT and
 * turnover figures and writes it (diff + apply). *OUT_WRITES (may be NULL) gets the number of
 * lines written; regenerating an unchanged contract writes nothing. */
gboolean        tenure_plan_store_regenerate  (TenureDb                 *db,
                                               const char               *contract_code,
                                               guint                    *out_writes,
                                               GError                  **error);

/* A stored line of the plan, as read back. */
typedef struct
{
  gint64          id;
  char           *charge_item;
  TenureLineKind  kind;
  TenureDate      period_start, period_end, due_date;
  gint64          amount, tax;
  char           *currency;
  char           *status;          /* "planned" or "billed" */
  gint64          bill_id;         /* 0 unless billed */
  gint64          corrects_line_id;
  int             version_no;
  char           *trace_json;      /* or NULL */
} TenureStoredLine;

void       tenure_stored_line_free  (TenureStoredLine *line);
/* The stored plan of CONTRACT_CODE by due date, charge item and period (TenureStoredLine);
 * TENURE_ERROR_NOT_FOUND when there is no such contract. */
GPtrArray *tenure_plan_store_load   (TenureDb    *db,
                                     const char  *contract_code,
                                     GError     **error);

G_END_DECLS
