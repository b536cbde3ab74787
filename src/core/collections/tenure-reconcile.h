/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Reconciliation (对账, domain.md §7) of a month and a scope (a legal entity, a project or a
 * contract), per currency:
 *
 *   receivable  the bill lines due in the month (of bills posted by the month's end), net of
 *               the credit notes on them posted by then (each line counts at least 0)
 *   received    the receipts allocated to those lines, posted by the month's end
 *   difference  receivable − received
 *
 * The difference is explained line by line: offset and write_off (deposit offsets and
 * write-offs posted by the month's end), paid_after_period (unpaid at the month's end, paid
 * since), partly_paid and unpaid (the rest), overpaid (negative). These explaining
 * differences add up to the difference exactly. Shown beside them, and not part of that sum:
 * unapplied_credit (the rest of each receipt posted in the month, at the month's end) and
 * unmatched_bank_line (money booked into the entity's accounts in the month that no receipt
 * records; entity scope only). Balances come from tenure_open_items_load(). */

typedef enum
{
  TENURE_RECONCILE_ENTITY,
  TENURE_RECONCILE_PROJECT,
  TENURE_RECONCILE_CONTRACT,
} TenureReconcileScope;

/* "entity", "project", "contract" as in reconciliation.scope_kind. */
const char *tenure_reconcile_scope_to_string (TenureReconcileScope scope);

typedef struct
{
  gint64    id;
  char     *cause;                   /* reconciliation_difference.cause */
  gboolean  beside;                  /* unapplied_credit, unmatched_bank_line */
  gint64    amount;                  /* minor units; negative when overpaid */
  gint64    contract_id;             /* 0 when none */
  char     *contract_code;           /* or NULL */
  gint64    bill_line_id;            /* 0 when none */
  char     *bill_code;               /* or NULL */
  char     *charge_item_code;        /* or NULL */
  char     *due_date;                /* "YYYY-MM-DD" of the bill line, or NULL */
  gint64    bank_statement_line_id;  /* 0 when none */
  char     *note;                    /* the receipt's code, the bank line's payer, or NULL */
  char     *resolution;              /* NULL while unresolved */
  char     *resolved_by;
  char     *resolved_at;
} TenureReconcileDifference;

typedef struct
{
  gint64                id;
  gint64                legal_entity_id;
  char                 *legal_entity_code;
  char                 *period;            /* "YYYY-MM" */
  TenureReconcileScope  scope;
  char                 *scope_code;        /* "" for an entity */
  char                  currency[4];
  gint64                receivable;
  gint64                received;
  gint64                difference;
  gboolean              closed;            /* the period is closed: nothing was refreshed */
  guint                 unresolved;        /* differences without resolution */
  GPtrArray            *differences;       /* TenureReconcileDifference: explaining ones by
                                              contract, due date and line, then beside ones */
} TenureReconciliation;

void tenure_reconciliation_free (TenureReconciliation *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureReconciliation, tenure_reconciliation_free)

/* Computes the reconciliation of @year-@month for the scope and stores it (one
 * reconciliation row per legal entity and currency, with its differences), refreshing a
 * stored one: a difference found again with the same cause, line and amount keeps its
 * resolution; one whose amount changed is unresolved again; one no longer found is removed.
 * @legal_entity_code NULL: every legal entity (entity scope), or the project's / contract's
 * one. @scope_code names the project or contract (NULL for an entity). A closed period is
 * not recomputed: its stored reconciliations are returned. Returns a GPtrArray of
 * TenureReconciliation by entity and currency (a CNY row with zeros when nothing is due). */
GPtrArray *tenure_reconcile_run     (TenureDb              *db,
                                     const char            *legal_entity_code,
                                     int                    year,
                                     int                    month,
                                     TenureReconcileScope   scope,
                                     const char            *scope_code,
                                     GError               **error);

/* Records @resolution (required) on difference @difference_id with the acting user and the
 * time. Refused (TENURE_ERROR_CLOSED_PERIOD) once the period is closed; TENURE_ERROR_NOT_FOUND
 * for an unknown id. A new resolution replaces an earlier one. */
gboolean   tenure_reconcile_resolve (TenureDb    *db,
                                     gint64       difference_id,
                                     const char  *resolution,
                                     GError     **error);

G_END_DECLS
