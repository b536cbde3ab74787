/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Bill runs (出账, domain.md §6): for a month and a scope, every unbilled, non-zero plan line
 * due on or before the month's last day is collected into bills (one per contract, period and
 * currency; difference lines become credit or debit notes against the bill of the line they
 * correct), checked for anomalies, previewed, then posted in one transaction.
 *
 * Nothing is billed twice: bill_line.receivable_line_id is UNIQUE in the schema, a run holds
 * the "bill-run" job lock and picks its lines inside its own transaction, so a second run
 * (or a run after a crash) bills only what is still unbilled. */

typedef enum
{
  TENURE_BILL_SCOPE_ALL,
  TENURE_BILL_SCOPE_PROJECT,
  TENURE_BILL_SCOPE_BUILDING,
  TENURE_BILL_SCOPE_CONTRACT,
} TenureBillScopeKind;

typedef struct
{
  int                  year, month;         /* the month billed */
  TenureBillScopeKind  scope_kind;
  const char          *scope_code;          /* project, building or contract code */
  TenureDate           posting_date;        /* required for post */
  gint64               jump_threshold_ppm;  /* anomaly above this change; 300000 = 30 % */
  guint                lock_timeout_ms;     /* wait for another run this long */
} TenureBillRunOptions;

/* Defaults of domain.md §11 (30 % jump, all scope, 60 s lock wait) for YEAR-MONTH. */
void tenure_bill_run_options_init (TenureBillRunOptions *options,
                                   int                   year,
                                   int                   month);

typedef enum
{
  TENURE_ANOMALY_ZERO_AMOUNT,       /* a zero line (skipped, e.g. rent-free) */
  TENURE_ANOMALY_NEGATIVE_AMOUNT,   /* a negative plan line that is not a difference */
  TENURE_ANOMALY_JUMP,              /* per-day amount changed more than the threshold */
  TENURE_ANOMALY_EXPIRED_CONTRACT,  /* the contract is expired or terminated */
  TENURE_ANOMALY_UNIT_LEASED_TWICE, /* a unit is in another active contract for these days */
} TenureAnomalyKind;

typedef struct
{
  TenureAnomalyKind  kind;
  gint64             receivable_line_id;
  char              *contract_code;
  char              *charge_item;
  TenureDate         period_start;
  char              *message;       /* translated, names the contract, item and period */
} TenureBillAnomaly;

typedef struct
{
  gint64      id;                /* 0 in a preview */
  char       *code;              /* NULL in a preview */
  gint64      contract_id;
  char       *contract_code;
  gint64      tenant_id;
  char       *kind;              /* "bill", "credit_note" or "debit_note" */
  gint64      corrects_bill_id;  /* notes: the bill corrected */
  TenureDate  period_start, period_end, due_date;
  gint64      total, tax;
  char       *currency;
  GArray     *line_ids;          /* gint64: the receivable lines */
} TenureBillDraft;

typedef struct
{
  gint64      bill_run_id;       /* 0 for a preview or when nothing was due */
  GPtrArray  *bills;             /* TenureBillDraft, by contract code and period */
  GPtrArray  *anomalies;         /* TenureBillAnomaly */
  gint64      line_count;
  gint64      total;             /* sum of all bill totals (one currency assumed for display) */
} TenureBillRunResult;

void tenure_bill_run_result_free (TenureBillRunResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureBillRunResult, tenure_bill_run_result_free)

/* What a run would bill now, with the anomaly checks; writes nothing. Fails with
 * TENURE_ERROR_NOT_FOUND when the scope's code does not exist. */
TenureBillRunResult *tenure_bill_run_preview (TenureDb                   *db,
                                              const TenureBillRunOptions *options,
                                              GError                    **error);

/* Posts the run atomically: takes the "bill-run" job lock (waiting up to lock_timeout_ms),
 * refuses a posting date in a closed period of any legal entity involved
 * (TENURE_ERROR_CLOSED_PERIOD), then writes bill_run, bill and bill_line rows and marks the
 * receivable lines billed, all in one transaction. Returns what was posted (the anomalies as
 * in the preview); with nothing due, a result with no bills and bill_run_id 0. */
TenureBillRunResult *tenure_bill_run_post    (TenureDb                   *db,
                                              const TenureBillRunOptions *options,
                                              GCancellable               *cancellable,
                                              GError                    **error);

const char *tenure_anomaly_kind_to_string (TenureAnomalyKind kind);

G_END_DECLS
