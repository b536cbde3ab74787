/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Closing and reopening a legal entity's accounting month (domain.md §7). Once a month is
 * closed, tenure_period_check_open() (billing/tenure-period.h) refuses every posting dated in
 * it: bills, credit notes, receipts, allocations, deposits. Each close and reopen is kept in
 * accounting_period_event with the acting user, the time and the reason. */

/* Closes @year-@month of legal entity @legal_entity_code. First refreshes the month's
 * reconciliation of the whole entity (tenure_reconcile_run); refuses (TENURE_ERROR_INVALID)
 * while it has unresolved differences unless @force_reason is given (it is recorded with
 * their number), while an earlier month with postings is still open, or when the month is
 * already closed. Sets accounting_period.closed_at/by and marks the month's reconciliations
 * closed, in one transaction. */
gboolean tenure_period_close  (TenureDb    *db,
                               const char  *legal_entity_code,
                               int          year,
                               int          month,
                               const char  *force_reason,
                               GError     **error);

/* Reopens a closed month with @reason (required). Refused while a later month is closed
 * (reopen that first) and for a month that is not closed. */
gboolean tenure_period_reopen (TenureDb    *db,
                               const char  *legal_entity_code,
                               int          year,
                               int          month,
                               const char  *reason,
                               GError     **error);

G_END_DECLS
