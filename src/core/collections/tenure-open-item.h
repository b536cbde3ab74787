/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Open items (domain.md §7, §10): what a tenant still owes, line by line. An open item is a
 * posted bill line with a positive amount (a bill's line, or a debit note's); its open amount
 * on a date is
 *
 *   amount
 *   + the credit-note lines correcting it (negative), posted on or before the date
 *   − the allocations, offsets and write-offs on it, posted on or before the date
 *     (a reversal is a row with the negated amount and reversal_of_id set, so reversed
 *     allocations cancel out from the reversal's posting date)
 *
 * never below 0 (a credit note larger than what is left becomes the tenant's credit). Every
 * engine that needs balances (allocation, matching, reconciliation, aging, dunning, KPIs,
 * exports) takes them from here, so they all agree. */

typedef enum
{
  TENURE_DEBT_PART_COST,       /* costs of collecting the debt (charge_item.debt_part) */
  TENURE_DEBT_PART_LATE_FEE,   /* a billed late fee (receivable_line.kind = 'late_fee') */
  TENURE_DEBT_PART_PRINCIPAL,  /* everything else */
} TenureDebtPart;

typedef struct
{
  gint64          bill_line_id;
  gint64          bill_id;
  char           *bill_code;
  gint64          contract_id;
  char           *contract_code;
  gint64          tenant_id;
  gint64          project_id;
  gint64          legal_entity_id;
  char           *charge_item_code;
  TenureDebtPart  part;
  gboolean        is_deposit;       /* a deposit line: paying it records deposit received */
  char            currency[4];
  TenureDate      due_date;
  TenureDate      period_start, period_end;
  TenureDate      posting_date;     /* the bill's */
  gint64          amount;           /* billed, minor units, > 0 */
  gint64          open;             /* still owed on the as-of date, 0 ≤ open ≤ amount */
  /* Only with TenureOpenItemFilter.breakdown (else 0), each as of the as-of date with
   * reversals netted: credit notes on the line (positive), receipts allocated to it,
   * deposit offsets and write-offs. open = CLAMP (amount − credited − allocated − offset
   * − written_off, 0, amount). */
  gint64          credited;
  gint64          allocated;
  gint64          offset;
  gint64          written_off;
  /* Only with TenureOpenItemFilter.events (else 0 and NULL): the line's tax, and every event
   * that moved its open amount up to the as-of date (TenureOpenItemEvent, in no particular
   * order), so that its balance on any earlier date can be computed without another query. */
  gint64          tax;
  GArray         *events;
} TenureOpenItem;

typedef enum
{
  TENURE_OPEN_ITEM_CREDIT,       /* a credit-note line correcting it (amount < 0, as stored) */
  TENURE_OPEN_ITEM_ALLOCATION,   /* a receipt allocated to it (reversals negative) */
  TENURE_OPEN_ITEM_OFFSET,       /* a deposit offset */
  TENURE_OPEN_ITEM_WRITE_OFF,
} TenureOpenItemEventKind;

typedef struct
{
  TenureOpenItemEventKind  kind;
  TenureDate               date;    /* the posting date */
  gint64                   amount;
} TenureOpenItemEvent;

void tenure_open_item_free (TenureOpenItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureOpenItem, tenure_open_item_free)

/* Which items to load; zero-initialise and set what matters. */
typedef struct
{
  gint64       tenant_id;         /* 0: every tenant */
  gint64       contract_id;       /* 0: every contract */
  gint64       project_id;        /* 0: every project */
  gint64       legal_entity_id;   /* 0: every legal entity */
  const char  *currency;          /* NULL: every currency */
  TenureDate   as_of;             /* TENURE_DATE_INVALID: every posting so far */
  gboolean     include_settled;   /* also items whose open amount is 0 */
  gboolean     breakdown;         /* fill credited, allocated, offset, written_off */
  TenureDate   due_from, due_to;  /* TENURE_DATE_INVALID: no bound on the due date */
  /* Fill tax and events (implies breakdown). The amounts then come from one read of the
   * scope's credit notes and allocations instead of a lookup per line: faster for a whole
   * project, slower for a handful of items. */
  gboolean     events;
} TenureOpenItemFilter;

/* The open items matching @filter (bills posted on or before as_of), in allocation order:
 * oldest due date first, then by bill, then by debt part in the project's allocation order
 * (project.allocation_order, default costs, late fees, principal), then by line id. */
GPtrArray *tenure_open_items_load (TenureDb                    *db,
                                   const TenureOpenItemFilter  *filter,
                                   GError                     **error);

/* As tenure_open_items_load () with @filter->events set (required), reading in the same pass
 * the scope's other bill lines (amount ≤ 0: credit notes, zero lines) into @others, a new
 * array of TenureOpenItem by line id with open 0, tax set and an empty events array. For
 * revenue, which counts every line. */
GPtrArray *tenure_open_items_load_with_others (TenureDb                    *db,
                                               const TenureOpenItemFilter  *filter,
                                               GPtrArray                  **others,
                                               GError                     **error);

/* One bill's money on an as-of date, summed over its lines. */
typedef struct
{
  gint64 bill_id;
  gint64 received;  /* allocations of receipts (not offsets or write-offs) */
  gint64 open;      /* the sum of its lines' open amounts, as the items define them */
} TenureBillBalance;

/* Every bill with lines in @filter's scope → its TenureBillBalance (keyed by a pointer to its
 * bill_id): the open amounts of tenure_open_items_load (), settled lines included, without
 * building the items. For summaries of whole projects, where the items would cost more than
 * the totals. @filter->include_settled, breakdown and events are ignored. */
GHashTable *tenure_open_items_balance_by_bill (TenureDb                    *db,
                                               const TenureOpenItemFilter  *filter,
                                               GError                     **error);

/* Sorts @items (TenureOpenItem) in allocation order; @part_order gives each project's order
 * of the three parts (NULL: the default for all). Used by tenure_open_items_load(). */
void       tenure_open_items_sort (GPtrArray                   *items,
                                   GHashTable                  *part_order);

/* "cost", "late_fee", "principal", as in charge_item.debt_part. */
const char *tenure_debt_part_to_string (TenureDebtPart part);

/* The id of the row with code @code in @table ("project", "tenant", "contract",
 * "legal_entity"), or 0 with TENURE_ERROR_NOT_FOUND naming the kind and the code. Shared by
 * the collections reports. */
gint64 tenure_collections_lookup_code (TenureDb    *db,
                                       const char  *table,
                                       const char  *code,
                                       GError     **error);

G_END_DECLS
