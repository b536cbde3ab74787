/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* The deposit ledger of a contract (押金/保证金, domain.md §6): a liability, not revenue.
 * Entries (deposit_entry) are billed (a deposit line on a posted bill), received, offset
 * against arrears, refunded or forfeited. Amounts are positive minor units; the kind says the
 * direction. Billed entries come from bills (tenure_deposit_record_billed); the others from
 * collections, through tenure_deposit_record. Entries are never edited. */

typedef enum
{
  TENURE_DEPOSIT_BILLED,
  TENURE_DEPOSIT_RECEIVED,
  TENURE_DEPOSIT_OFFSET,
  TENURE_DEPOSIT_REFUNDED,
  TENURE_DEPOSIT_FORFEITED,
} TenureDepositKind;

/* "billed", "received", … as in deposit_entry.kind, and back. */
const char *tenure_deposit_kind_to_string   (TenureDepositKind kind);
gboolean    tenure_deposit_kind_from_string (const char *text, TenureDepositKind *out);

typedef struct
{
  gint64             id;
  TenureDepositKind  kind;
  gint64             amount;        /* minor units, > 0 (a billed credit is negative) */
  TenureDate         entry_date;
  gint64             bill_line_id;  /* 0 when none */
  gint64             receipt_id;    /* 0 when none */
  char              *memo;          /* or NULL */
  char              *created_at;
} TenureDepositEntry;

void tenure_deposit_entry_free (TenureDepositEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureDepositEntry, tenure_deposit_entry_free)

typedef struct
{
  gint64 billed, received, offset, refunded, forfeited;
  gint64 held;         /* received − offset − refunded − forfeited: what the landlord owes back */
  gint64 outstanding;  /* billed − received: billed and not yet paid (never below 0) */
} TenureDepositBalance;

/* Records an entry on the deposit ledger of contract @contract_code, dated @entry_date (its
 * month must be open for the contract's legal entity). @bill_line_id and @receipt_id are 0 or
 * rows of that contract. Offsets, refunds and forfeits cannot exceed the deposit held on
 * @entry_date. Refuses (TENURE_ERROR_INVALID, _NOT_FOUND, _CLOSED_PERIOD) with a message
 * naming the contract and the field. Returns the new entry id, or 0 on error. */
gint64     tenure_deposit_record        (TenureDb           *db,
                                         const char         *contract_code,
                                         TenureDepositKind   kind,
                                         gint64              amount,
                                         TenureDate          entry_date,
                                         gint64              bill_line_id,
                                         gint64              receipt_id,
                                         const char         *memo,
                                         GError            **error);

/* Adds a billed entry for every deposit line (charge item of kind "deposit") of the bill
 * @bill_id (0: of every bill) that has none yet, dated by the bill's posting date. Safe to run
 * again: nothing is recorded twice. *@out_added (may be NULL) gets the number of entries. */
gboolean   tenure_deposit_record_billed (TenureDb           *db,
                                         gint64              bill_id,
                                         guint              *out_added,
                                         GError            **error);

/* The ledger of @contract_code by date and id (TenureDepositEntry); TENURE_ERROR_NOT_FOUND for
 * an unknown contract. */
GPtrArray *tenure_deposit_ledger        (TenureDb           *db,
                                         const char         *contract_code,
                                         GError            **error);

/* The balance of @contract_code from the entries dated on or before @as_of
 * (TENURE_DATE_INVALID: all of them). */
gboolean   tenure_deposit_balance       (TenureDb             *db,
                                         const char           *contract_code,
                                         TenureDate            as_of,
                                         TenureDepositBalance *out,
                                         GError              **error);

G_END_DECLS
