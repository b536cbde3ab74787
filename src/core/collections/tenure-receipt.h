/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Receipts and their allocation (domain.md §7, §12): money received from a tenant (or not yet
 * attributed, 待认领), posted in a legal entity's books on a posting date, and applied to open
 * items (tenure-open-item.h). Allocation rows are never updated: a reversal is a new row with
 * the negated amount. Offsets (deposit against arrears) and write-offs are allocation rows
 * without a receipt. Every call below runs in one transaction: on error nothing is written. */

typedef enum
{
  TENURE_RECEIPT_BANK,
  TENURE_RECEIPT_CASH,
  TENURE_RECEIPT_THIRD_PARTY,
} TenureReceiptMethod;

/* "bank", "cash", "third_party" as in receipt.method, and back. */
const char *tenure_receipt_method_to_string   (TenureReceiptMethod method);
gboolean    tenure_receipt_method_from_string (const char *text, TenureReceiptMethod *out);

typedef struct
{
  const char          *tenant_code;        /* NULL: not yet attributed (待认领) */
  TenureReceiptMethod  method;
  TenureDate           received_on;
  TenureDate           posting_date;       /* TENURE_DATE_INVALID: received_on */
  gint64               amount;             /* minor units, > 0 */
  const char          *currency;           /* NULL: the bank account's, else CNY */
  const char          *payer_name;         /* the four may be NULL */
  const char          *payer_account;
  const char          *bank_reference;
  const char          *memo;
  const char          *bank_account_code;  /* the account it came into (bank), else NULL */
  gint64               bank_statement_line_id; /* 0 or the line it comes from */
  const char          *legal_entity_code;  /* NULL: from the bank account (or statement line),
                                              else the tenant's contracts (refused when
                                              ambiguous) */
} TenureReceiptInput;

/* Records a receipt with a generated code (RC-YYYYMM-NNNNNN, by posting month). Refuses
 * (TENURE_ERROR_INVALID, _NOT_FOUND, _CLOSED_PERIOD) an unknown tenant, account, line or
 * currency, a currency other than the account's, a bank receipt without account or line, an
 * ambiguous legal entity or a closed period. Returns the receipt id, or 0 on error. */
gint64   tenure_receipt_add            (TenureDb                  *db,
                                        const TenureReceiptInput  *in,
                                        GError                   **error);

/* Attributes a receipt recorded without tenant (待认领) to @tenant_code. Refused when it
 * already has one. */
gboolean tenure_receipt_set_tenant     (TenureDb                  *db,
                                        gint64                     receipt_id,
                                        const char                *tenant_code,
                                        GError                   **error);

typedef struct
{
  gint64 bill_line_id;
  gint64 amount;        /* minor units, > 0 */
} TenureAllocationRequest;

/* Allocates receipt @receipt_id on the given lines (exact amounts), or, when @n_requests is 0,
 * automatically over the open items of the receipt's tenant and its subsidiaries (合并收款) in
 * the receipt's currency (only @contract_code's when not NULL), in allocation order, as far as
 * the receipt's unapplied rest goes; what is left stays unapplied credit. Each amount must not
 * exceed the item's open amount on @posting_date (TENURE_DATE_INVALID: the receipt's posting
 * date; never before it) nor the receipt's unapplied rest, then or later. Paying a deposit line also
 * records a deposit_entry 'received'. Appends the new allocation ids to @out_allocation_ids
 * (GArray of gint64, may be NULL). */
gboolean tenure_receipt_allocate       (TenureDb                       *db,
                                        gint64                          receipt_id,
                                        const TenureAllocationRequest  *requests,
                                        guint                           n_requests,
                                        const char                     *contract_code,
                                        TenureDate                      posting_date,
                                        GArray                         *out_allocation_ids,
                                        GError                        **error);

/* Allocates receipt @receipt_id on the open lines of bill @bill_code in allocation order:
 * @amount (0: as much as the bill and the receipt allow). Refused when the bill has nothing
 * open for the receipt's tenant (or its subsidiaries) or @amount exceeds what is open or
 * what is left of the receipt. */
gboolean tenure_receipt_allocate_bill  (TenureDb    *db,
                                        gint64       receipt_id,
                                        const char  *bill_code,
                                        gint64       amount,
                                        TenureDate   posting_date,
                                        GArray      *out_allocation_ids,
                                        GError     **error);

/* What is left of the receipt on @as_of (TENURE_DATE_INVALID: all postings): amount − its
 * allocations (reversals included). -1 on error. */
gint64   tenure_receipt_unapplied      (TenureDb    *db,
                                        gint64       receipt_id,
                                        TenureDate   as_of,
                                        GError     **error);

/* Reverses allocation, offset or write-off row @allocation_id: a new row with the negated
 * amount, the same bill line and kind, reversal_of_id = @allocation_id, posted on
 * @posting_date with @reason (required). Refused for a reversal row and for a row already
 * reversed.
 * Deposit corrections mirror the allocation rule: reversing the payment of a deposit line
 * records a deposit_entry 'received' with the negated amount, reversing an offset a
 * deposit_entry 'offset' with the negated amount (memo "reversal of allocation N"); a
 * reversal that would leave the deposit held below zero (already refunded) is refused.
 * Returns the reversal's id, or 0 on error. */
gint64   tenure_allocation_reverse     (TenureDb    *db,
                                        gint64       allocation_id,
                                        TenureDate   posting_date,
                                        const char  *reason,
                                        GError     **error);

/* Writes off @amount of bill line @bill_line_id (≤ its open amount), approved by
 * @approved_by, who must not be the acting user (tenure_db_get_actor), with @reason. Returns
 * the allocation id (kind 'write_off'), or 0 on error. */
gint64   tenure_write_off              (TenureDb    *db,
                                        gint64       bill_line_id,
                                        gint64       amount,
                                        TenureDate   posting_date,
                                        const char  *approved_by,
                                        const char  *reason,
                                        GError     **error);

/* Offsets @amount of the deposit held on @contract_code against bill line @bill_line_id (an
 * open item of the same tenant and currency): an allocation row of kind 'offset' and a
 * deposit_entry 'offset'. Refuses more than the deposit held or the item's open amount.
 * Returns the allocation id, or 0 on error. */
gint64   tenure_deposit_offset         (TenureDb    *db,
                                        const char  *contract_code,
                                        gint64       bill_line_id,
                                        gint64       amount,
                                        TenureDate   posting_date,
                                        GError     **error);

/* Sets the order of the debt parts for project @project_code: "cost,late_fee,principal" or
 * another permutation of the three. */
gboolean tenure_project_set_allocation_order (TenureDb    *db,
                                              const char  *project_code,
                                              const char  *order,
                                              GError     **error);

/* Stores a payment slip or voucher with the receipt (SHA-256, size, base64). Returns the
 * attachment id, or 0 on error (the same content twice on one receipt is refused). */
gint64   tenure_receipt_attach         (TenureDb    *db,
                                        gint64       receipt_id,
                                        const char  *file_name,
                                        const char  *media_type,
                                        GBytes      *content,
                                        GError     **error);

/* The bytes of attachment @attachment_id after checking them against the stored SHA-256
 * (TENURE_ERROR_INVALID when they differ); *@out_file_name (may be NULL) gets its name. */
GBytes  *tenure_receipt_attachment_get (TenureDb    *db,
                                        gint64       attachment_id,
                                        char       **out_file_name,
                                        GError     **error);

/* One allocation row of a receipt (or an offset / write-off) as read back. */
typedef struct
{
  gint64      id;
  gint64      bill_line_id;
  char       *bill_code;
  char       *contract_code;
  char       *charge_item_code;
  char       *kind;              /* "allocation", "offset", "write_off" */
  gint64      amount;            /* negative for a reversal */
  TenureDate  posting_date;
  gint64      reversal_of_id;    /* 0 when none */
  gboolean    reversed;          /* a later row reverses this one */
  char       *approved_by;       /* or NULL */
  char       *reason;            /* or NULL */
} TenureAllocation;

void tenure_allocation_free (TenureAllocation *allocation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureAllocation, tenure_allocation_free)

typedef struct
{
  gint64               id;
  char                *code;
  gint64               tenant_id;        /* 0 when not attributed */
  char                *tenant_code;      /* or NULL */
  char                *tenant_name;      /* or NULL */
  TenureReceiptMethod  method;
  TenureDate           received_on;
  TenureDate           posting_date;
  gint64               amount;
  char                 currency[4];
  char                *payer_name, *payer_account, *bank_reference, *memo;  /* or NULL */
  gint64               legal_entity_id;
  char                *legal_entity_code;
  gint64               bank_account_id;  /* 0 when none */
  char                *bank_account_code; /* or NULL */
  gint64               bank_statement_line_id;
  gint64               unapplied;        /* amount − Σ allocations */
  GPtrArray           *allocations;      /* TenureAllocation, by id */
  GPtrArray           *attachments;      /* TenureReceiptAttachmentInfo, by id */
} TenureReceipt;

typedef struct
{
  gint64  id;
  char   *file_name;
  char   *media_type;  /* or NULL */
  gint64  size;
  char   *sha256;
} TenureReceiptAttachmentInfo;

void tenure_receipt_free (TenureReceipt *receipt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureReceipt, tenure_receipt_free)

/* Reads a receipt with its allocations and attachments, by id or (when @receipt_id is 0) by
 * @code. TENURE_ERROR_NOT_FOUND naming it when there is none. */
TenureReceipt *tenure_receipt_load     (TenureDb    *db,
                                        gint64       receipt_id,
                                        const char  *code,
                                        GError     **error);

/* One currency's unapplied credit of a tenant. */
typedef struct
{
  char   currency[4];
  gint64 amount;
} TenureCredit;

/* The unapplied credit of tenant @tenant_code (sum of its receipts' unapplied rests) per
 * currency, as a GArray of TenureCredit sorted by currency (only non-zero ones). */
GArray  *tenure_tenant_unapplied_credit (TenureDb    *db,
                                         const char  *tenant_code,
                                         TenureDate   as_of,
                                         GError     **error);

/* Applies the tenant's unapplied credit in @currency (NULL: every currency) to its open items
 * (and its subsidiaries'), oldest receipts first, in allocation order; @contract_code limits
 * the items as in tenure_receipt_allocate(); @posting_date is required (receipts posted after
 * it are left alone). Appends the new allocation ids. */
gboolean tenure_tenant_apply_credit    (TenureDb    *db,
                                        const char  *tenant_code,
                                        const char  *currency,
                                        const char  *contract_code,
                                        TenureDate   posting_date,
                                        GArray      *out_allocation_ids,
                                        GError     **error);

G_END_DECLS
