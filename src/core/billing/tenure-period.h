/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Accounting periods (domain.md §6–7): a month of a legal entity is closed when its
 * accounting_period row has closed_at set. Closing comes with the collections issue; every
 * posting (bill, credit note, receipt, allocation) asks here first. */

/* TRUE when DATE's month is open for postings of the legal entity LEGAL_ENTITY_ID; FALSE with
 * TENURE_ERROR_CLOSED_PERIOD naming the entity, the period and who closed it when it is closed,
 * or with a database error. */
gboolean tenure_period_check_open (TenureDb    *db,
                                   gint64       legal_entity_id,
                                   TenureDate   date,
                                   GError     **error);

G_END_DECLS
