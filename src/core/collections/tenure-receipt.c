/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-receipt"

#include "collections/tenure-receipt.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-exact.h"
#include "base/tenure-i18n.h"
#include "base/tenure-money.h"
#include "billing/tenure-deposit.h"
#include "billing/tenure-period.h"
#include "collections/tenure-open-item.h"

/* Payment slips are scans and PDFs; anything bigger is a mistake, not a voucher. */
#define MAX_ATTACHMENT_SIZE (32 * 1024 * 1024)

static const char * const method_names[] = { "bank", "cash", "third_party" };

const char *
tenure_receipt_method_to_string (TenureReceiptMethod method)
{
  g_return_val_if_fail ((guint) method < G_N_ELEMENTS (method_names), NULL);
  return method_names[method];
}

gboolean
tenure_receipt_method_from_string (const char          *text,
                                   TenureReceiptMethod *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (method_names); i++)
    if (strcmp (text, method_names[i]) == 0)
      {
        *out = (TenureReceiptMethod) i;
        return TRUE;
      }
  return FALSE;
}

/* Helpers ------------------------------------------------------------------------------- */

static char *
format_amount (gint64      minor,
               const char *currency)
{
  const TenureCurrency *cur = tenure_currency_lookup (currency != NULL ? currency : "CNY");

  return tenure_money_format (tenure_money_new (minor, cur ? cur : tenure_currency_default ()),
                              TENURE_MONEY_FORMAT_NO_SYMBOL);
}

/* Steps @stmt once: TRUE with a row, FALSE with *@found = FALSE at the end, FALSE with error
 * on failure (then *@found is untouched). */
static gboolean
step_row (TenureStmt  *stmt,
          gboolean    *found,
          GError     **error)
{
  g_autoptr(GError) local = NULL;

  *found = tenure_stmt_step (stmt, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* TRUE for NULL, "" or only white space. */
static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
is_pg (TenureDb *db)
{
  return tenure_db_get_kind (db) == TENURE_DB_POSTGRESQL;
}

/* On PostgreSQL, locks the tenant rows @ids (ascending, so two writers never deadlock): every
 * write that changes a tenant's balances takes them first. SQLite already serialises writers. */
static gboolean
lock_tenants (TenureDb  *db,
              GArray    *ids,
              GError   **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GArray) sorted = NULL;

  if (!is_pg (db) || ids->len == 0)
    return TRUE;
  sorted = g_array_copy (ids);
  g_array_sort (sorted, compare_int64);
  stmt = tenure_db_prepare (db, "SELECT id FROM tenant WHERE id = $1 FOR UPDATE", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < sorted->len; i++)
    {
      tenure_stmt_reset (stmt);
      tenure_stmt_bind_int64 (stmt, 1, g_array_index (sorted, gint64, i));
      if (!tenure_stmt_run (stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
lock_one_tenant (TenureDb  *db,
                 gint64     tenant_id,
                 GError   **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_append_val (ids, tenant_id);
  return lock_tenants (db, ids, error);
}

static gboolean
lookup_tenant (TenureDb    *db,
               const char  *code,
               gint64      *out_id,
               GError     **error)
{
  *out_id = tenure_collections_lookup_code (db, "tenant", code, error);
  return *out_id != 0;
}

static char *
tenant_code_of (TenureDb *db,
                gint64    tenant_id)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, "SELECT code FROM tenant WHERE id = $1",
                                                  NULL);

  if (stmt == NULL)
    return g_strdup ("?");
  tenure_stmt_bind_int64 (stmt, 1, tenant_id);
  if (!tenure_stmt_step (stmt, NULL))
    return g_strdup ("?");
  return g_strdup (tenure_stmt_column_text (stmt, 0));
}

/* @tenant_id and its subsidiaries (tenant.parent_tenant_id, any depth): whose items a receipt
 * of @tenant_id may pay (合并收款). */
static GArray *
payable_tenants (TenureDb  *db,
                 gint64     tenant_id,
                 GError   **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      NULL);

  stmt = tenure_db_prepare (db, "SELECT id FROM tenant WHERE parent_tenant_id = $1 ORDER BY id",
                            error);
  if (stmt == NULL)
    return NULL;
  g_array_append_val (ids, tenant_id);
  g_hash_table_add (seen, g_memdup2 (&tenant_id, sizeof tenant_id));
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) local = NULL;

      tenure_stmt_reset (stmt);
      tenure_stmt_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      while (tenure_stmt_step (stmt, &local))
        {
          gint64 child = tenure_stmt_column_int64 (stmt, 0);

          /* A cycle in parent links must not loop forever. */
          if (g_hash_table_add (seen, g_memdup2 (&child, sizeof child)))
            g_array_append_val (ids, child);
        }
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  return g_steal_pointer (&ids);
}

/* The open items of the tenants @tenant_ids in legal entity @entity_id and @currency (only
 * contract @contract_id's when not 0) as of @as_of, in allocation order. */
static GPtrArray *
load_items (TenureDb    *db,
            GArray      *tenant_ids,
            gint64       entity_id,
            const char  *currency,
            gint64       contract_id,
            TenureDate   as_of,
            gboolean     include_settled,
            GError     **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tenure_open_item_free);
  g_autoptr(GHashTable) orders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        g_free);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;

  for (guint i = 0; i < tenant_ids->len; i++)
    {
      TenureOpenItemFilter filter = { 0 };
      g_autoptr(GPtrArray) items = NULL;

      filter.tenant_id = g_array_index (tenant_ids, gint64, i);
      filter.legal_entity_id = entity_id;
      filter.currency = currency;
      filter.contract_id = contract_id;
      filter.as_of = as_of;
      filter.include_settled = include_settled;
      items = tenure_open_items_load (db, &filter, error);
      if (items == NULL)
        return NULL;
      for (guint j = 0; j < items->len; j++)
        g_ptr_array_add (all, g_steal_pointer (&g_ptr_array_index (items, j)));
      g_ptr_array_set_free_func (items, NULL);
    }
  if (tenant_ids->len <= 1)
    return g_steal_pointer (&all);

  /* Items of several tenants: one order over all of them. */
  stmt = tenure_db_prepare (db, "SELECT id, allocation_order FROM project", error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, &local))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);

      g_hash_table_insert (orders, g_memdup2 (&id, sizeof id),
                           g_strdup (tenure_stmt_column_text (stmt, 1)));
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  tenure_open_items_sort (all, orders);
  return g_steal_pointer (&all);
}

/* What is still owed on each item of @items on every date from @as_of on: the smallest of its
 * open amount on @as_of, after each later posting date of an allocation on it, and after every
 * posting so far (a later allocation already recorded must not be paid twice, on no date).
 * Fills @open (bill line id → gint64 *). */
static gboolean
fill_open (TenureDb    *db,
           GPtrArray   *items,
           GArray      *tenant_ids,
           gint64       entity_id,
           const char  *currency,
           gint64       contract_id,
           TenureDate   as_of,
           GHashTable  *open,
           GError     **error)
{
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GHashTable) running = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         g_free);
  g_autoptr(TenureStmt) stmt = NULL;
  char date_text[TENURE_DATE_ISO_BUF_SIZE];

  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (items, i);
      gint64 *v = g_new (gint64, 2);  /* the running balance and its minimum */

      v[0] = v[1] = item->open;
      g_hash_table_insert (running, g_memdup2 (&item->bill_line_id, sizeof (gint64)), v);
    }

  /* Allocations posted after @as_of, date by date. */
  stmt = tenure_db_prepare (db, "SELECT a.bill_line_id, a.posting_date, sum (a.amount) "
                                "FROM allocation a JOIN bill_line bl ON bl.id = a.bill_line_id "
                                "JOIN bill b ON b.id = bl.bill_id WHERE b.tenant_id = $1 "
                                "AND a.posting_date > $2 GROUP BY a.bill_line_id, "
                                "a.posting_date ORDER BY a.bill_line_id, a.posting_date", error);
  if (stmt == NULL)
    return FALSE;
  tenure_date_format_iso_buf (as_of, date_text);
  for (guint t = 0; t < tenant_ids->len; t++)
    {
      g_autoptr(GError) local = NULL;

      tenure_stmt_reset (stmt);
      tenure_stmt_bind_int64 (stmt, 1, g_array_index (tenant_ids, gint64, t));
      tenure_stmt_bind_text (stmt, 2, date_text);
      while (tenure_stmt_step (stmt, &local))
        {
          gint64 line = tenure_stmt_column_int64 (stmt, 0);
          gint64 *v = g_hash_table_lookup (running, &line);

          if (v == NULL)
            continue;
          v[0] -= tenure_stmt_column_int64 (stmt, 2);
          v[1] = MIN (v[1], v[0]);
        }
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }

  /* Credit notes posted later lower the balance too: the engine's figure after everything. */
  later = load_items (db, tenant_ids, entity_id, currency, contract_id, TENURE_DATE_INVALID,
                      TRUE, error);
  if (later == NULL)
    return FALSE;
  for (guint i = 0; i < later->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (later, i);
      gint64 *v = g_hash_table_lookup (running, &item->bill_line_id);

      if (v != NULL)
        v[1] = MIN (v[1], item->open);
    }
  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (items, i);
      gint64 *v = g_hash_table_lookup (running, &item->bill_line_id);
      gint64 *out = g_new (gint64, 1);

      *out = MAX (v[1], 0);
      g_hash_table_insert (open, g_memdup2 (&item->bill_line_id, sizeof (gint64)), out);
    }
  return TRUE;
}

/* A deposit ledger entry written here (received from an allocation, or the negated entry of a
 * reversal), linked to the allocation through its memo "allocation N". */
static gboolean
insert_deposit_entry (TenureDb    *db,
                      gint64       contract_id,
                      const char  *kind,
                      gint64       amount,
                      TenureDate   date,
                      gint64       bill_line_id,
                      gint64       receipt_id,
                      gint64       allocation_id,
                      GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *memo = g_strdup_printf ("allocation %" G_GINT64_FORMAT, allocation_id);
  char date_text[TENURE_DATE_ISO_BUF_SIZE];

  stmt = tenure_db_prepare (db, "INSERT INTO deposit_entry (contract_id, kind, amount, "
                                "entry_date, bill_line_id, receipt_id, memo) "
                                "VALUES ($1, $2, $3, $4, $5, $6, $7)", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, contract_id);
  tenure_stmt_bind_text (stmt, 2, kind);
  tenure_stmt_bind_int64 (stmt, 3, amount);
  tenure_stmt_bind_text (stmt, 4, tenure_date_format_iso_buf (date, date_text));
  if (bill_line_id != 0)
    tenure_stmt_bind_int64 (stmt, 5, bill_line_id);
  else
    tenure_stmt_bind_null (stmt, 5);
  if (receipt_id != 0)
    tenure_stmt_bind_int64 (stmt, 6, receipt_id);
  else
    tenure_stmt_bind_null (stmt, 6);
  tenure_stmt_bind_text (stmt, 7, memo);
  return tenure_stmt_run (stmt, error);
}

/* Inserts an allocation row; returns its id or 0. */
static gint64
insert_allocation (TenureDb    *db,
                   gint64       receipt_id,
                   gint64       bill_line_id,
                   gint64       amount,
                   const char  *kind,
                   TenureDate   posting_date,
                   const char  *approved_by,
                   gint64       reversal_of_id,
                   const char  *reason,
                   GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  char date_text[TENURE_DATE_ISO_BUF_SIZE];
  gint64 id = 0;

  stmt = tenure_db_prepare (db, "INSERT INTO allocation (receipt_id, bill_line_id, amount, kind, "
                                "posting_date, approved_by, reversal_of_id, reason) "
                                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id", error);
  if (stmt == NULL)
    return 0;
  if (receipt_id != 0)
    tenure_stmt_bind_int64 (stmt, 1, receipt_id);
  else
    tenure_stmt_bind_null (stmt, 1);
  tenure_stmt_bind_int64 (stmt, 2, bill_line_id);
  tenure_stmt_bind_int64 (stmt, 3, amount);
  tenure_stmt_bind_text (stmt, 4, kind);
  tenure_stmt_bind_text (stmt, 5, tenure_date_format_iso_buf (posting_date, date_text));
  tenure_stmt_bind_text (stmt, 6, approved_by);
  if (reversal_of_id != 0)
    tenure_stmt_bind_int64 (stmt, 7, reversal_of_id);
  else
    tenure_stmt_bind_null (stmt, 7);
  tenure_stmt_bind_text (stmt, 8, reason);
  if (!tenure_stmt_step_int64 (stmt, &id, error))
    return 0;
  return id;
}

/* Runs @body inside one transaction: commit when it succeeds, roll back otherwise. */
#define IN_TRANSACTION(db, error, ok_expr, result, fail_value)        \
  G_STMT_START {                                                      \
    if (!tenure_db_begin ((db), (error)))                             \
      return (fail_value);                                            \
    (result) = (ok_expr);                                             \
    if ((result) == (fail_value))                                     \
      {                                                               \
        tenure_db_rollback (db);                                      \
        return (fail_value);                                          \
      }                                                               \
    if (!tenure_db_commit ((db), (error)))                            \
      return (fail_value);                                            \
  } G_STMT_END

/* Receipts ------------------------------------------------------------------------------ */

typedef struct
{
  gint64      id;
  char       *code;
  gint64      tenant_id;
  gint64      legal_entity_id;
  char        currency[4];
  gint64      amount;
  TenureDate  posting_date;
} ReceiptRow;

static void
receipt_row_clear (ReceiptRow *row)
{
  g_clear_pointer (&row->code, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReceiptRow, receipt_row_clear)

static gboolean
read_receipt_row (TenureDb    *db,
                  gint64       receipt_id,
                  ReceiptRow  *out,
                  GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  gboolean found;

  stmt = tenure_db_prepare (db, "SELECT id, code, tenant_id, legal_entity_id, currency, amount, "
                                "posting_date FROM receipt WHERE id = $1", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, receipt_id);
  if (!step_row (stmt, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("There is no receipt with id %lld"), (long long) receipt_id);
      return FALSE;
    }
  out->id = receipt_id;
  out->code = g_strdup (tenure_stmt_column_text (stmt, 1));
  out->tenant_id = tenure_stmt_column_int64 (stmt, 2);
  out->legal_entity_id = tenure_stmt_column_int64 (stmt, 3);
  g_strlcpy (out->currency, tenure_stmt_column_text (stmt, 4), sizeof out->currency);
  out->amount = tenure_stmt_column_int64 (stmt, 5);
  if (!tenure_date_parse_iso (tenure_stmt_column_text (stmt, 6), &out->posting_date, error))
    return FALSE;
  return TRUE;
}

/* Σ allocations drawing on @receipt_id posted on or before @as_of (INVALID: all). */
static gboolean
sum_allocated (TenureDb    *db,
               gint64       receipt_id,
               TenureDate   as_of,
               gint64      *out,
               GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  char date_text[TENURE_DATE_ISO_BUF_SIZE];

  stmt = tenure_db_prepare (db, "SELECT coalesce (sum (amount), 0) FROM allocation "
                                "WHERE receipt_id = $1 AND posting_date <= $2", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, receipt_id);
  if (tenure_date_is_valid (as_of))
    tenure_stmt_bind_text (stmt, 2, tenure_date_format_iso_buf (as_of, date_text));
  else
    tenure_stmt_bind_text (stmt, 2, "9999-12-31");
  return tenure_stmt_step_int64 (stmt, out, error);
}

/* The legal entity a receipt of @tenant_id is posted in when nothing else says: that of the
 * tenant's contracts, when they all belong to one. */
static gboolean
entity_from_tenant (TenureDb    *db,
                    gint64       tenant_id,
                    const char  *tenant_code,
                    gint64      *out,
                    GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  gint64 id = 0;

  stmt = tenure_db_prepare (db, "SELECT DISTINCT e.id, e.code FROM contract c "
                                "JOIN project p ON p.id = c.project_id "
                                "JOIN legal_entity e ON e.id = p.legal_entity_id "
                                "WHERE c.tenant_id = $1 ORDER BY e.code", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, tenant_id);
  while (tenure_stmt_step (stmt, &local))
    {
      id = tenure_stmt_column_int64 (stmt, 0);
      g_ptr_array_add (codes, g_strdup (tenure_stmt_column_text (stmt, 1)));
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (codes->len == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt from tenant %s: the tenant has no contract, so the legal entity "
                     "is unknown; give the legal entity or the bank account"), tenant_code);
      return FALSE;
    }
  if (codes->len > 1)
    {
      g_ptr_array_add (codes, NULL);
      g_autofree char *list = g_strjoinv (", ", (char **) codes->pdata);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt from tenant %s: the tenant has contracts with several legal "
                     "entities (%s); give the legal entity or the bank account"),
                   tenant_code, list);
      return FALSE;
    }
  *out = id;
  return TRUE;
}

/* The next free code RC-YYYYMM-NNNNNN of the month of @date. */
static char *
next_receipt_code (TenureDb    *db,
                   TenureDate   date,
                   guint        skip,
                   GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *prefix = g_strdup_printf ("RC-%04d%02d-", tenure_date_get_year (date),
                                             tenure_date_get_month (date));
  g_autofree char *pattern = g_strconcat (prefix, "%", NULL);
  gint64 last = 0;
  gboolean found;

  stmt = tenure_db_prepare (db, "SELECT max (code) FROM receipt WHERE code LIKE $1", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, pattern);
  if (!step_row (stmt, &found, error))
    return NULL;
  if (found && !tenure_stmt_column_is_null (stmt, 0))
    last = g_ascii_strtoll (tenure_stmt_column_text (stmt, 0) + strlen (prefix), NULL, 10);
  return g_strdup_printf ("%s%06" G_GINT64_FORMAT, prefix, last + 1 + skip);
}

static gint64
receipt_add_locked (TenureDb                  *db,
                    const TenureReceiptInput  *in,
                    GError                   **error)
{
  const char *who = in->tenant_code != NULL ? in->tenant_code : _("(unattributed)");
  const char *currency = in->currency;
  gint64 tenant_id = 0, entity_id = 0, account_id = 0, line_id = in->bank_statement_line_id;
  g_autofree char *account_currency = NULL;
  TenureDate posting = in->posting_date;
  char received_text[TENURE_DATE_ISO_BUF_SIZE], posting_text[TENURE_DATE_ISO_BUF_SIZE];

  if (in->tenant_code != NULL && !lookup_tenant (db, in->tenant_code, &tenant_id, error))
    return 0;

  if (in->bank_account_code != NULL)
    {
      g_autoptr(TenureStmt) stmt = NULL;
      gboolean found;

      stmt = tenure_db_prepare (db, "SELECT id, legal_entity_id, currency FROM bank_account "
                                    "WHERE code = $1", error);
      if (stmt == NULL)
        return 0;
      tenure_stmt_bind_text (stmt, 1, in->bank_account_code);
      if (!step_row (stmt, &found, error))
        return 0;
      if (!found)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                       _("Receipt from %s: there is no bank account “%s”"), who,
                       in->bank_account_code);
          return 0;
        }
      account_id = tenure_stmt_column_int64 (stmt, 0);
      entity_id = tenure_stmt_column_int64 (stmt, 1);
      account_currency = g_strdup (tenure_stmt_column_text (stmt, 2));
    }

  if (line_id != 0)
    {
      g_autoptr(TenureStmt) stmt = NULL;
      gboolean found;
      gint64 line_account, line_amount, taken = 0;

      stmt = tenure_db_prepare (db, "SELECT l.bank_account_id, a.legal_entity_id, l.currency, "
                                    "l.amount, (SELECT coalesce (sum (r.amount), 0) "
                                    "FROM receipt r WHERE r.bank_statement_line_id = l.id) "
                                    "FROM bank_statement_line l JOIN bank_account a "
                                    "ON a.id = l.bank_account_id WHERE l.id = $1", error);
      if (stmt == NULL)
        return 0;
      tenure_stmt_bind_int64 (stmt, 1, line_id);
      if (!step_row (stmt, &found, error))
        return 0;
      if (!found)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                       _("Receipt from %s: there is no bank statement line %lld"),
                       who, (long long) line_id);
          return 0;
        }
      line_account = tenure_stmt_column_int64 (stmt, 0);
      line_amount = tenure_stmt_column_int64 (stmt, 3);
      taken = tenure_stmt_column_int64 (stmt, 4);
      if (account_id != 0 && account_id != line_account)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Receipt from %s: bank statement line %lld is not a "
                         "line of account %s"), who, (long long) line_id, in->bank_account_code);
          return 0;
        }
      if (account_id == 0)
        {
          account_id = line_account;
          entity_id = tenure_stmt_column_int64 (stmt, 1);
          account_currency = g_strdup (tenure_stmt_column_text (stmt, 2));
        }
      if (line_amount <= 0 || in->amount > line_amount - taken)
        {
          g_autofree char *left = format_amount (MAX (line_amount - taken, 0),
                                                 account_currency);

          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Receipt from %s: bank statement line %lld has only "
                         "%s left to receive"), who, (long long) line_id, left);
          return 0;
        }
    }

  if (currency == NULL)
    currency = account_currency != NULL ? account_currency : "CNY";
  if (tenure_currency_lookup (currency) == NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt from %s: unknown currency “%s”"), who, currency);
      return 0;
    }
  if (account_currency != NULL && strcmp (currency, account_currency) != 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt from %s: the currency %s is not that of the bank account (%s)"),
                   who, currency, account_currency);
      return 0;
    }
  if (in->method == TENURE_RECEIPT_BANK && account_id == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt from %s: a bank receipt needs the bank account it came into or "
                     "its bank statement line"), who);
      return 0;
    }

  if (in->legal_entity_code != NULL)
    {
      gint64 given;

      given = tenure_collections_lookup_code (db, "legal_entity", in->legal_entity_code,
                                              error);
      if (given == 0)
        return 0;
      if (entity_id != 0 && entity_id != given)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Receipt from %s: the bank account belongs to another legal entity "
                         "than %s"), who, in->legal_entity_code);
          return 0;
        }
      entity_id = given;
    }
  if (entity_id == 0)
    {
      if (tenant_id == 0)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Receipt without tenant: give the bank account or the legal entity "
                         "it is posted in"));
          return 0;
        }
      if (!entity_from_tenant (db, tenant_id, in->tenant_code, &entity_id, error))
        return 0;
    }

  if (!tenure_date_is_valid (posting))
    posting = in->received_on;
  if (!tenure_period_check_open (db, entity_id, posting, error))
    return 0;

  tenure_date_format_iso_buf (in->received_on, received_text);
  tenure_date_format_iso_buf (posting, posting_text);
  /* A concurrent writer may take the same number: try the next ones. */
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_autoptr(TenureStmt) stmt = NULL;
      g_autoptr(GError) local = NULL;
      g_autofree char *code = next_receipt_code (db, posting, attempt, error);
      gint64 id;

      if (code == NULL || !tenure_db_begin (db, error))
        return 0;
      stmt = tenure_db_prepare (db, "INSERT INTO receipt (code, tenant_id, method, received_on, "
                                    "posting_date, amount, currency, payer_name, payer_account, "
                                    "bank_reference, memo, bank_statement_line_id, "
                                    "legal_entity_id, bank_account_id) VALUES ($1, $2, $3, $4, "
                                    "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                                error);
      if (stmt == NULL)
        {
          tenure_db_rollback (db);
          return 0;
        }
      tenure_stmt_bind_text (stmt, 1, code);
      if (tenant_id != 0)
        tenure_stmt_bind_int64 (stmt, 2, tenant_id);
      else
        tenure_stmt_bind_null (stmt, 2);
      tenure_stmt_bind_text (stmt, 3, tenure_receipt_method_to_string (in->method));
      tenure_stmt_bind_text (stmt, 4, received_text);
      tenure_stmt_bind_text (stmt, 5, posting_text);
      tenure_stmt_bind_int64 (stmt, 6, in->amount);
      tenure_stmt_bind_text (stmt, 7, currency);
      tenure_stmt_bind_text (stmt, 8, in->payer_name);
      tenure_stmt_bind_text (stmt, 9, in->payer_account);
      tenure_stmt_bind_text (stmt, 10, in->bank_reference);
      tenure_stmt_bind_text (stmt, 11, in->memo);
      if (line_id != 0)
        tenure_stmt_bind_int64 (stmt, 12, line_id);
      else
        tenure_stmt_bind_null (stmt, 12);
      tenure_stmt_bind_int64 (stmt, 13, entity_id);
      if (account_id != 0)
        tenure_stmt_bind_int64 (stmt, 14, account_id);
      else
        tenure_stmt_bind_null (stmt, 14);
      if (tenure_stmt_step_int64 (stmt, &id, &local))
        {
          if (!tenure_db_commit (db, error))
            return 0;
          return id;
        }
      tenure_db_rollback (db);
      if (!g_error_matches (local, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return 0;
        }
    }
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED,
               _("Receipt from %s: no free receipt code was found"), who);
  return 0;
}

gint64
tenure_receipt_add (TenureDb                  *db,
                    const TenureReceiptInput  *in,
                    GError                   **error)
{
  const char *who;
  gint64 id;

  g_return_val_if_fail (TENURE_IS_DB (db), 0);
  g_return_val_if_fail (in != NULL, 0);

  who = in->tenant_code != NULL ? in->tenant_code : _("(unattributed)");
  if (in->amount <= 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt from %s: the amount must be more than zero"), who);
      return 0;
    }
  if ((guint) in->method >= G_N_ELEMENTS (method_names))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt from %s: unknown payment method %d"), who, (int) in->method);
      return 0;
    }
  if (!tenure_date_is_valid (in->received_on))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt from %s: the date received is not a valid date"), who);
      return 0;
    }
  if (in->posting_date != TENURE_DATE_INVALID && !tenure_date_is_valid (in->posting_date))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt from %s: the posting date is not a valid date"), who);
      return 0;
    }
  IN_TRANSACTION (db, error, receipt_add_locked (db, in, error), id, 0);
  return id;
}

static gboolean
set_tenant_locked (TenureDb    *db,
                   gint64       receipt_id,
                   const char  *tenant_code,
                   GError     **error)
{
  g_auto(ReceiptRow) row = { 0 };
  g_autoptr(TenureStmt) stmt = NULL;
  gint64 tenant_id;

  if (!read_receipt_row (db, receipt_id, &row, error)
      || !lookup_tenant (db, tenant_code, &tenant_id, error))
    return FALSE;
  if (row.tenant_id != 0)
    {
      g_autofree char *current = tenant_code_of (db, row.tenant_id);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt %s already belongs to tenant %s"), row.code, current);
      return FALSE;
    }
  if (!tenure_period_check_open (db, row.legal_entity_id, row.posting_date, error))
    return FALSE;
  stmt = tenure_db_prepare (db, "UPDATE receipt SET tenant_id = $1 WHERE id = $2 "
                                "AND tenant_id IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, tenant_id);
  tenure_stmt_bind_int64 (stmt, 2, receipt_id);
  return tenure_stmt_run (stmt, error);
}

gboolean
tenure_receipt_set_tenant (TenureDb    *db,
                           gint64       receipt_id,
                           const char  *tenant_code,
                           GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (tenant_code != NULL, FALSE);

  IN_TRANSACTION (db, error, set_tenant_locked (db, receipt_id, tenant_code, error), ok, FALSE);
  return ok;
}

gint64
tenure_receipt_unapplied (TenureDb    *db,
                          gint64       receipt_id,
                          TenureDate   as_of,
                          GError     **error)
{
  g_auto(ReceiptRow) row = { 0 };
  gint64 allocated;

  g_return_val_if_fail (TENURE_IS_DB (db), -1);

  if (!read_receipt_row (db, receipt_id, &row, error))
    return -1;
  if (tenure_date_is_valid (as_of) && row.posting_date > as_of)
    return 0;
  if (!sum_allocated (db, receipt_id, as_of, &allocated, error))
    return -1;
  return row.amount - allocated;
}

/* The smallest unapplied rest of receipt @row on @date and every later posting date. */
static gboolean
receipt_rest (TenureDb    *db,
              ReceiptRow  *row,
              TenureDate   date,
              gint64      *out,
              GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  char date_text[TENURE_DATE_ISO_BUF_SIZE];
  gint64 allocated, rest, lowest;

  if (!sum_allocated (db, row->id, date, &allocated, error))
    return FALSE;
  rest = lowest = row->amount - allocated;
  stmt = tenure_db_prepare (db, "SELECT posting_date, sum (amount) FROM allocation "
                                "WHERE receipt_id = $1 AND posting_date > $2 "
                                "GROUP BY posting_date ORDER BY posting_date", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, row->id);
  tenure_stmt_bind_text (stmt, 2, tenure_date_format_iso_buf (date, date_text));
  while (tenure_stmt_step (stmt, &local))
    {
      rest -= tenure_stmt_column_int64 (stmt, 1);
      lowest = MIN (lowest, rest);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *out = lowest;
  return TRUE;
}

/* Allocation ---------------------------------------------------------------------------- */

/* Allocates @row (locked) on @requests or automatically; see tenure_receipt_allocate(). */
static gboolean
allocate_locked (TenureDb                       *db,
                 ReceiptRow                     *row,
                 const TenureAllocationRequest  *requests,
                 guint                           n_requests,
                 const char                     *contract_code,
                 const char                     *bill_code,
                 gint64                          limit,
                 TenureDate                      posting_date,
                 GArray                         *out_ids,
                 GError                        **error)
{
  g_autoptr(GArray) tenants = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) open = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      g_free);
  g_autoptr(GHashTable) by_line = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree char *tenant_code = NULL;
  gint64 contract_id = 0, rest;

  if (row->tenant_id == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt %s is not attributed to a tenant yet: it cannot be allocated"),
                   row->code);
      return FALSE;
    }
  if (posting_date < row->posting_date)
    {
      g_autofree char *d = tenure_date_format_iso (posting_date);
      g_autofree char *r = tenure_date_format_iso (row->posting_date);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt %s: the allocation date %s is before the receipt’s posting date "
                     "%s"), row->code, d, r);
      return FALSE;
    }
  if (!tenure_period_check_open (db, row->legal_entity_id, posting_date, error))
    return FALSE;
  if (contract_code != NULL
      && (contract_id = tenure_collections_lookup_code (db, "contract", contract_code,
                                                        error)) == 0)
    return FALSE;

  tenant_code = tenant_code_of (db, row->tenant_id);
  tenants = payable_tenants (db, row->tenant_id, error);
  if (tenants == NULL || !lock_tenants (db, tenants, error))
    return FALSE;

  /* The unapplied rest, then and on every later posting date. */
  if (!receipt_rest (db, row, posting_date, &rest, error))
    return FALSE;

  items = load_items (db, tenants, row->legal_entity_id, row->currency, contract_id,
                      posting_date, FALSE, error);
  if (items == NULL
      || !fill_open (db, items, tenants, row->legal_entity_id, row->currency, contract_id,
                     posting_date, open, error))
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (items, i);

      g_hash_table_insert (by_line, &item->bill_line_id, item);
    }

  /* One bill only, up to @limit (0: all of it the receipt can pay). */
  if (bill_code != NULL)
    {
      gint64 bill_open = 0;

      for (guint i = items->len; i > 0; i--)
        {
          TenureOpenItem *item = g_ptr_array_index (items, i - 1);

          if (strcmp (item->bill_code, bill_code) == 0)
            bill_open += *(gint64 *) g_hash_table_lookup (open, &item->bill_line_id);
          else
            {
              g_hash_table_remove (by_line, &item->bill_line_id);
              g_ptr_array_remove_index (items, i - 1);
            }
        }
      if (bill_open == 0)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Receipt %s: bill %s has nothing open for tenant %s (or its "
                         "subsidiaries) in %s"), row->code, bill_code, tenant_code,
                       row->currency);
          return FALSE;
        }
      if (limit > bill_open || limit > rest)
        {
          g_autofree char *a = format_amount (limit, row->currency);
          g_autofree char *o = format_amount (limit > bill_open ? bill_open : MAX (rest, 0),
                                              row->currency);

          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       limit > bill_open
                       ? _("Receipt %s, bill %s: %s is more than the %s still open")
                       : _("Receipt %s, bill %s: %s is more than the %s of the receipt not "
                           "yet allocated"), row->code, bill_code, a, o);
          return FALSE;
        }
      if (limit > 0)
        rest = limit;
    }

  for (guint i = 0; i < (n_requests > 0 ? n_requests : items->len); i++)
    {
      TenureOpenItem *item;
      gint64 *item_open, amount, id;

      if (n_requests > 0)
        {
          const TenureAllocationRequest *req = &requests[i];

          item = g_hash_table_lookup (by_line, &req->bill_line_id);
          if (item == NULL)
            {
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("Receipt %s: bill line %lld is not an open item "
                             "of tenant %s (or its subsidiaries) in %s posted by the "
                             "allocation date"),
                           row->code, (long long) req->bill_line_id, tenant_code, row->currency);
              return FALSE;
            }
          amount = req->amount;
          item_open = g_hash_table_lookup (open, &item->bill_line_id);
          if (amount <= 0)
            {
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("Receipt %s, bill %s line %lld: the amount must "
                             "be more than zero"), row->code, item->bill_code,
                           (long long) item->bill_line_id);
              return FALSE;
            }
          if (amount > *item_open)
            {
              g_autofree char *a = format_amount (amount, row->currency);
              g_autofree char *o = format_amount (*item_open, row->currency);

              g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("Receipt %s, bill %s line %lld: %s is more than "
                             "the %s still open"), row->code, item->bill_code,
                           (long long) item->bill_line_id, a, o);
              return FALSE;
            }
          if (amount > rest)
            {
              g_autofree char *a = format_amount (amount, row->currency);
              g_autofree char *r = format_amount (MAX (rest, 0), row->currency);

              g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("Receipt %s, bill %s line %lld: %s is more than "
                             "the %s of the receipt not yet allocated"), row->code,
                           item->bill_code, (long long) item->bill_line_id, a, r);
              return FALSE;
            }
        }
      else
        {
          if (rest <= 0)
            break;
          item = g_ptr_array_index (items, i);
          item_open = g_hash_table_lookup (open, &item->bill_line_id);
          amount = MIN (rest, *item_open);
          if (amount <= 0)
            continue;
        }

      id = insert_allocation (db, row->id, item->bill_line_id, amount, "allocation",
                              posting_date, NULL, 0, NULL, error);
      if (id == 0)
        return FALSE;
      if (item->is_deposit
          && !insert_deposit_entry (db, item->contract_id, "received", amount, posting_date,
                                    item->bill_line_id, row->id, id, error))
        return FALSE;
      *item_open -= amount;
      rest -= amount;
      if (out_ids != NULL)
        g_array_append_val (out_ids, id);
    }
  return TRUE;
}

static gboolean
allocate (TenureDb                       *db,
          gint64                          receipt_id,
          const TenureAllocationRequest  *requests,
          guint                           n_requests,
          const char                     *contract_code,
          const char                     *bill_code,
          gint64                          limit,
          TenureDate                      posting_date,
          GArray                         *out_allocation_ids,
          GError                        **error)
{
  g_auto(ReceiptRow) row = { 0 };
  guint n_before = out_allocation_ids != NULL ? out_allocation_ids->len : 0;
  gboolean ok;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (n_requests == 0 || requests != NULL, FALSE);

  if (!tenure_db_begin (db, error))
    return FALSE;
  ok = read_receipt_row (db, receipt_id, &row, error);
  if (ok)
    {
      if (posting_date == TENURE_DATE_INVALID)
        posting_date = row.posting_date;
      ok = allocate_locked (db, &row, requests, n_requests, contract_code, bill_code, limit,
                            posting_date, out_allocation_ids, error);
    }
  if (!ok || !tenure_db_commit (db, error))
    {
      if (ok == FALSE)
        tenure_db_rollback (db);
      if (out_allocation_ids != NULL)
        g_array_set_size (out_allocation_ids, n_before);
      return FALSE;
    }
  return TRUE;
}

gboolean
tenure_receipt_allocate (TenureDb                       *db,
                         gint64                          receipt_id,
                         const TenureAllocationRequest  *requests,
                         guint                           n_requests,
                         const char                     *contract_code,
                         TenureDate                      posting_date,
                         GArray                         *out_allocation_ids,
                         GError                        **error)
{
  return allocate (db, receipt_id, requests, n_requests, contract_code, NULL, 0, posting_date,
                   out_allocation_ids, error);
}

gboolean
tenure_receipt_allocate_bill (TenureDb    *db,
                              gint64       receipt_id,
                              const char  *bill_code,
                              gint64       amount,
                              TenureDate   posting_date,
                              GArray      *out_allocation_ids,
                              GError     **error)
{
  g_return_val_if_fail (bill_code != NULL, FALSE);

  if (amount < 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Bill %s: the amount to allocate must be more than zero"), bill_code);
      return FALSE;
    }
  return allocate (db, receipt_id, NULL, 0, NULL, bill_code, amount, posting_date,
                   out_allocation_ids, error);
}

/* Reversal ------------------------------------------------------------------------------ */

typedef struct
{
  gint64      id;
  gint64      receipt_id;
  gint64      bill_line_id;
  gint64      amount;
  char       *kind;
  TenureDate  posting_date;
  gint64      reversal_of_id;
  gint64      contract_id;
  char       *contract_code;
  gint64      tenant_id;
  gint64      legal_entity_id;   /* the bill's */
  gboolean    is_deposit;
} AllocationRow;

static void
allocation_row_clear (AllocationRow *row)
{
  g_clear_pointer (&row->kind, g_free);
  g_clear_pointer (&row->contract_code, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AllocationRow, allocation_row_clear)

static gboolean
read_allocation_row (TenureDb       *db,
                     gint64          allocation_id,
                     AllocationRow  *out,
                     GError        **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  gboolean found;

  stmt = tenure_db_prepare (db, "SELECT a.receipt_id, a.bill_line_id, a.amount, a.kind, "
                                "a.posting_date, a.reversal_of_id, c.id, c.code, b.tenant_id, "
                                "p.legal_entity_id, CASE WHEN ci.kind = 'deposit' THEN 1 "
                                "ELSE 0 END FROM allocation a "
                                "JOIN bill_line bl ON bl.id = a.bill_line_id "
                                "JOIN bill b ON b.id = bl.bill_id "
                                "JOIN contract c ON c.id = b.contract_id "
                                "JOIN project p ON p.id = c.project_id "
                                "JOIN charge_item ci ON ci.id = bl.charge_item_id "
                                "WHERE a.id = $1", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, allocation_id);
  if (!step_row (stmt, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("There is no allocation with id %lld"), (long long) allocation_id);
      return FALSE;
    }
  out->id = allocation_id;
  out->receipt_id = tenure_stmt_column_int64 (stmt, 0);
  out->bill_line_id = tenure_stmt_column_int64 (stmt, 1);
  out->amount = tenure_stmt_column_int64 (stmt, 2);
  out->kind = g_strdup (tenure_stmt_column_text (stmt, 3));
  if (!tenure_date_parse_iso (tenure_stmt_column_text (stmt, 4), &out->posting_date, error))
    return FALSE;
  out->reversal_of_id = tenure_stmt_column_int64 (stmt, 5);
  out->contract_id = tenure_stmt_column_int64 (stmt, 6);
  out->contract_code = g_strdup (tenure_stmt_column_text (stmt, 7));
  out->tenant_id = tenure_stmt_column_int64 (stmt, 8);
  out->legal_entity_id = tenure_stmt_column_int64 (stmt, 9);
  out->is_deposit = tenure_stmt_column_int64 (stmt, 10) != 0;
  return TRUE;
}

/* The contract whose deposit an offset row drew on (its deposit_entry memo names the row). */
static gboolean
offset_contract (TenureDb    *db,
                 gint64       allocation_id,
                 gint64      *out_contract_id,
                 char       **out_contract_code,
                 GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *memo = g_strdup_printf ("allocation %" G_GINT64_FORMAT, allocation_id);
  gboolean found;

  stmt = tenure_db_prepare (db, "SELECT d.contract_id, c.code FROM deposit_entry d "
                                "JOIN contract c ON c.id = d.contract_id "
                                "WHERE d.kind = 'offset' AND d.memo = $1 AND d.amount > 0",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, memo);
  if (!step_row (stmt, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("Offset %lld: its deposit ledger entry is missing"),
                   (long long) allocation_id);
      return FALSE;
    }
  *out_contract_id = tenure_stmt_column_int64 (stmt, 0);
  *out_contract_code = g_strdup (tenure_stmt_column_text (stmt, 1));
  return TRUE;
}

static gint64
reverse_locked (TenureDb    *db,
                gint64       allocation_id,
                TenureDate   posting_date,
                const char  *reason,
                GError     **error)
{
  g_auto(AllocationRow) row = { 0 };
  g_autoptr(TenureStmt) stmt = NULL;
  gboolean found;
  gint64 id;

  if (!read_allocation_row (db, allocation_id, &row, error)
      || !lock_one_tenant (db, row.tenant_id, error))
    return 0;
  if (row.reversal_of_id != 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Allocation %lld is itself a reversal (of %lld): it cannot be "
                     "reversed"),
                   (long long) allocation_id, (long long) row.reversal_of_id);
      return 0;
    }
  stmt = tenure_db_prepare (db, "SELECT id FROM allocation WHERE reversal_of_id = $1", error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_int64 (stmt, 1, allocation_id);
  if (!step_row (stmt, &found, error))
    return 0;
  if (found)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Allocation %lld is already reversed (by %lld)"), (long long) allocation_id, (long long) tenure_stmt_column_int64 (stmt, 0));
      return 0;
    }
  if (posting_date < row.posting_date)
    {
      g_autofree char *d = tenure_date_format_iso (posting_date);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Allocation %lld: the reversal date %s is before the "
                     "allocation’s posting date"), (long long) allocation_id, d);
      return 0;
    }
  if (!tenure_period_check_open (db, row.legal_entity_id, posting_date, error))
    return 0;
  if (row.receipt_id != 0)
    {
      g_auto(ReceiptRow) receipt = { 0 };

      if (!read_receipt_row (db, row.receipt_id, &receipt, error)
          || (receipt.legal_entity_id != row.legal_entity_id
              && !tenure_period_check_open (db, receipt.legal_entity_id, posting_date, error)))
        return 0;
    }

  id = insert_allocation (db, row.receipt_id, row.bill_line_id, -row.amount, row.kind,
                          posting_date, NULL, allocation_id, reason, error);
  if (id == 0)
    return 0;

  if (strcmp (row.kind, "allocation") == 0 && row.is_deposit)
    {
      TenureDepositBalance then, now;

      /* The deposit is no longer received: refused when it has already left (refunded,
       * offset or forfeited) so that the ledger would hold less than nothing. */
      if (!tenure_deposit_balance (db, row.contract_code, posting_date, &then, error)
          || !tenure_deposit_balance (db, row.contract_code, TENURE_DATE_INVALID, &now, error))
        return 0;
      if (row.amount > MIN (then.held, now.held))
        {
          g_autofree char *a = format_amount (row.amount, NULL);
          g_autofree char *h = format_amount (MIN (then.held, now.held), NULL);

          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Allocation %lld: it paid %s of the deposit of "
                         "contract %s, but only %s is still held; reverse the refund, offset "
                         "or forfeit first"), (long long) allocation_id, a, row.contract_code, h);
          return 0;
        }
      if (!insert_deposit_entry (db, row.contract_id, "received", -row.amount, posting_date,
                                 row.bill_line_id, row.receipt_id, id, error))
        return 0;
    }
  else if (strcmp (row.kind, "offset") == 0)
    {
      g_autofree char *code = NULL;
      gint64 contract_id;

      if (!offset_contract (db, allocation_id, &contract_id, &code, error)
          || !insert_deposit_entry (db, contract_id, "offset", -row.amount, posting_date, 0, 0,
                                    id, error))
        return 0;
    }
  return id;
}

gint64
tenure_allocation_reverse (TenureDb    *db,
                           gint64       allocation_id,
                           TenureDate   posting_date,
                           const char  *reason,
                           GError     **error)
{
  gint64 id;

  g_return_val_if_fail (TENURE_IS_DB (db), 0);

  if (is_blank (reason))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Allocation %lld: a reversal needs a reason"),
                   (long long) allocation_id);
      return 0;
    }
  if (!tenure_date_is_valid (posting_date))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Allocation %lld: the reversal date is not a valid date"),
                   (long long) allocation_id);
      return 0;
    }
  IN_TRANSACTION (db, error, reverse_locked (db, allocation_id, posting_date, reason, error),
                  id, 0);
  return id;
}

/* Write-offs and offsets ---------------------------------------------------------------- */

/* The open item of bill line @bill_line_id on @date (and from then on): fills @out (owned by
 * the returned array). NOT_FOUND / INVALID naming the line when it is not open. */
static GPtrArray *
load_one_item (TenureDb         *db,
               gint64            bill_line_id,
               TenureDate        date,
               const char       *what,
               TenureOpenItem  **out,
               gint64           *out_open,
               GError          **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GArray) tenants = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) open = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      g_free);
  gboolean found;
  gint64 tenant_id, contract_id;

  stmt = tenure_db_prepare (db, "SELECT b.tenant_id, b.contract_id FROM bill_line bl "
                                "JOIN bill b ON b.id = bl.bill_id WHERE bl.id = $1", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, bill_line_id);
  if (!step_row (stmt, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("%s: there is no bill line %lld"), what, (long long) bill_line_id);
      return NULL;
    }
  tenant_id = tenure_stmt_column_int64 (stmt, 0);
  contract_id = tenure_stmt_column_int64 (stmt, 1);
  g_array_append_val (tenants, tenant_id);
  if (!lock_tenants (db, tenants, error))
    return NULL;
  items = load_items (db, tenants, 0, NULL, contract_id, date, FALSE, error);
  if (items == NULL
      || !fill_open (db, items, tenants, 0, NULL, contract_id, date, open, error))
    return NULL;
  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (items, i);

      if (item->bill_line_id == bill_line_id)
        {
          *out = item;
          *out_open = *(gint64 *) g_hash_table_lookup (open, &bill_line_id);
          return g_steal_pointer (&items);
        }
    }
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
               _("%s: bill line %lld is not an open item on that date"),
               what, (long long) bill_line_id);
  return NULL;
}

static gint64
write_off_locked (TenureDb    *db,
                  gint64       bill_line_id,
                  gint64       amount,
                  TenureDate   posting_date,
                  const char  *approved_by,
                  const char  *reason,
                  GError     **error)
{
  g_autoptr(GPtrArray) items = NULL;
  TenureOpenItem *item = NULL;
  gint64 open = 0;

  items = load_one_item (db, bill_line_id, posting_date, _("Write-off"), &item, &open, error);
  if (items == NULL || !tenure_period_check_open (db, item->legal_entity_id, posting_date, error))
    return 0;
  if (amount > open)
    {
      g_autofree char *a = format_amount (amount, item->currency);
      g_autofree char *o = format_amount (open, item->currency);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Write-off of bill %s line %lld: %s is more than the %s "
                     "still open"), item->bill_code, (long long) bill_line_id, a, o);
      return 0;
    }
  return insert_allocation (db, 0, bill_line_id, amount, "write_off", posting_date, approved_by,
                            0, reason, error);
}

gint64
tenure_write_off (TenureDb    *db,
                  gint64       bill_line_id,
                  gint64       amount,
                  TenureDate   posting_date,
                  const char  *approved_by,
                  const char  *reason,
                  GError     **error)
{
  const char *actor;
  gint64 id;

  g_return_val_if_fail (TENURE_IS_DB (db), 0);

  actor = tenure_db_get_actor (db);
  if (amount <= 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Write-off of bill line %lld: the amount must be more "
                     "than zero"), (long long) bill_line_id);
      return 0;
    }
  if (!tenure_date_is_valid (posting_date))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Write-off of bill line %lld: the posting date is not a "
                     "valid date"), (long long) bill_line_id);
      return 0;
    }
  if (is_blank (approved_by))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Write-off of bill line %lld: who approved it is "
                     "required"), (long long) bill_line_id);
      return 0;
    }
  if (g_strcmp0 (approved_by, actor) == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Write-off of bill line %lld: %s cannot approve their own "
                     "write-off (segregation of duties)"), (long long) bill_line_id, approved_by);
      return 0;
    }
  if (is_blank (reason))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Write-off of bill line %lld: a reason is required"),
                   (long long) bill_line_id);
      return 0;
    }
  IN_TRANSACTION (db, error,
                  write_off_locked (db, bill_line_id, amount, posting_date, approved_by, reason,
                                    error), id, 0);
  return id;
}

/* The currency of the deposit of @contract_id: that of the bill carrying its deposit line
 * (CNY when none was billed). */
static gboolean
deposit_currency (TenureDb    *db,
                  gint64       contract_id,
                  char         out[4],
                  GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  gboolean found;

  stmt = tenure_db_prepare (db, "SELECT b.currency FROM bill b JOIN bill_line bl "
                                "ON bl.bill_id = b.id JOIN charge_item ci "
                                "ON ci.id = bl.charge_item_id WHERE b.contract_id = $1 "
                                "AND ci.kind = 'deposit' ORDER BY bl.id LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, contract_id);
  if (!step_row (stmt, &found, error))
    return FALSE;
  g_strlcpy (out, found ? tenure_stmt_column_text (stmt, 0) : "CNY", 4);
  return TRUE;
}

static gint64
deposit_offset_locked (TenureDb    *db,
                       const char  *contract_code,
                       gint64       bill_line_id,
                       gint64       amount,
                       TenureDate   posting_date,
                       GError     **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *what = g_strdup_printf (_("Deposit offset of contract %s"), contract_code);
  g_autofree char *memo = NULL;
  TenureOpenItem *item = NULL;
  gint64 open = 0, contract_id, tenant_id, id;
  char currency[4];
  gboolean found;

  stmt = tenure_db_prepare (db, "SELECT id, tenant_id FROM contract WHERE code = $1", error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_text (stmt, 1, contract_code);
  if (!step_row (stmt, &found, error))
    return 0;
  if (!found)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND, _("There is no contract “%s”"),
                   contract_code);
      return 0;
    }
  contract_id = tenure_stmt_column_int64 (stmt, 0);
  tenant_id = tenure_stmt_column_int64 (stmt, 1);

  items = load_one_item (db, bill_line_id, posting_date, what, &item, &open, error);
  if (items == NULL || !tenure_period_check_open (db, item->legal_entity_id, posting_date, error)
      || !deposit_currency (db, contract_id, currency, error))
    return 0;
  if (item->tenant_id != tenant_id)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("%s: bill %s is not a bill of the contract’s tenant"), what,
                   item->bill_code);
      return 0;
    }
  if (item->is_deposit)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("%s: bill %s line %lld is itself a deposit"), what,
                   item->bill_code, (long long) bill_line_id);
      return 0;
    }
  if (strcmp (item->currency, currency) != 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("%s: the deposit is in %s, bill %s in %s"), what, currency,
                   item->bill_code, item->currency);
      return 0;
    }
  if (amount > open)
    {
      g_autofree char *a = format_amount (amount, item->currency);
      g_autofree char *o = format_amount (open, item->currency);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("%s: %s is more than the %s still open on bill %s line %lld"),
                   what, a, o, item->bill_code, (long long) bill_line_id);
      return 0;
    }
  id = insert_allocation (db, 0, bill_line_id, amount, "offset", posting_date, NULL, 0, NULL,
                          error);
  if (id == 0)
    return 0;
  /* The ledger checks the deposit held (then and from then on) and the period. */
  memo = g_strdup_printf ("allocation %" G_GINT64_FORMAT, id);
  if (tenure_deposit_record (db, contract_code, TENURE_DEPOSIT_OFFSET, amount, posting_date,
                             item->contract_id == contract_id ? bill_line_id : 0, 0, memo,
                             error) == 0)
    return 0;
  return id;
}

gint64
tenure_deposit_offset (TenureDb    *db,
                       const char  *contract_code,
                       gint64       bill_line_id,
                       gint64       amount,
                       TenureDate   posting_date,
                       GError     **error)
{
  gint64 id;

  g_return_val_if_fail (TENURE_IS_DB (db), 0);
  g_return_val_if_fail (contract_code != NULL, 0);

  if (amount <= 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Deposit offset of contract %s: the amount must be more than zero"),
                   contract_code);
      return 0;
    }
  if (!tenure_date_is_valid (posting_date))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Deposit offset of contract %s: the posting date is not a valid date"),
                   contract_code);
      return 0;
    }
  IN_TRANSACTION (db, error,
                  deposit_offset_locked (db, contract_code, bill_line_id, amount, posting_date,
                                         error), id, 0);
  return id;
}

gboolean
tenure_project_set_allocation_order (TenureDb    *db,
                                     const char  *project_code,
                                     const char  *order,
                                     GError     **error)
{
  static const char * const orders[] = {
    "cost,late_fee,principal", "cost,principal,late_fee", "late_fee,cost,principal",
    "late_fee,principal,cost", "principal,cost,late_fee", "principal,late_fee,cost",
  };
  g_autoptr(TenureStmt) stmt = NULL;
  gboolean known = FALSE;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (project_code != NULL, FALSE);

  for (guint i = 0; order != NULL && i < G_N_ELEMENTS (orders); i++)
    known |= strcmp (order, orders[i]) == 0;
  if (!known)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Project %s: “%s” is not an allocation order (cost, late_fee and "
                     "principal, each once, separated by commas)"), project_code,
                   order != NULL ? order : "");
      return FALSE;
    }
  stmt = tenure_db_prepare (db, "UPDATE project SET allocation_order = $1 WHERE code = $2",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, order);
  tenure_stmt_bind_text (stmt, 2, project_code);
  if (!tenure_stmt_run (stmt, error))
    return FALSE;
  if (tenure_stmt_changes (stmt) == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND, _("There is no project “%s”"),
                   project_code);
      return FALSE;
    }
  return TRUE;
}

/* Attachments --------------------------------------------------------------------------- */

static gint64
attach_locked (TenureDb    *db,
               gint64       receipt_id,
               const char  *file_name,
               const char  *media_type,
               GBytes      *content,
               GError     **error)
{
  g_auto(ReceiptRow) row = { 0 };
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *sha = NULL, *b64 = NULL;
  gsize size = 0;
  const guchar *data = g_bytes_get_data (content, &size);
  gboolean found;
  gint64 id;

  if (!read_receipt_row (db, receipt_id, &row, error))
    return 0;
  if (size > MAX_ATTACHMENT_SIZE)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt %s, attachment %s: %zu bytes is more than the "
                     "%d MiB allowed"), row.code, file_name, size, MAX_ATTACHMENT_SIZE >> 20);
      return 0;
    }
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data != NULL ? data : (guchar *) "",
                                     size);
  stmt = tenure_db_prepare (db, "SELECT file_name FROM receipt_attachment "
                                "WHERE receipt_id = $1 AND sha256 = $2", error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_int64 (stmt, 1, receipt_id);
  tenure_stmt_bind_text (stmt, 2, sha);
  if (!step_row (stmt, &found, error))
    return 0;
  if (found)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt %s, attachment %s: the same content is already attached as %s"),
                   row.code, file_name, tenure_stmt_column_text (stmt, 0));
      return 0;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);
  b64 = g_base64_encode (data, size);
  stmt = tenure_db_prepare (db, "INSERT INTO receipt_attachment (receipt_id, file_name, "
                                "media_type, size, sha256, content_base64) "
                                "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_int64 (stmt, 1, receipt_id);
  tenure_stmt_bind_text (stmt, 2, file_name);
  tenure_stmt_bind_text (stmt, 3, media_type);
  tenure_stmt_bind_int64 (stmt, 4, (gint64) size);
  tenure_stmt_bind_text (stmt, 5, sha);
  tenure_stmt_bind_text (stmt, 6, b64);
  if (!tenure_stmt_step_int64 (stmt, &id, error))
    return 0;
  return id;
}

gint64
tenure_receipt_attach (TenureDb    *db,
                       gint64       receipt_id,
                       const char  *file_name,
                       const char  *media_type,
                       GBytes      *content,
                       GError     **error)
{
  gint64 id;

  g_return_val_if_fail (TENURE_IS_DB (db), 0);
  g_return_val_if_fail (content != NULL, 0);

  if (file_name == NULL || *file_name == '\0' || !g_utf8_validate (file_name, -1, NULL))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt attachment: the file name is empty or not UTF-8"));
      return 0;
    }
  IN_TRANSACTION (db, error,
                  attach_locked (db, receipt_id, file_name, media_type, content, error), id, 0);
  return id;
}

GBytes *
tenure_receipt_attachment_get (TenureDb    *db,
                               gint64       attachment_id,
                               char       **out_file_name,
                               GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *sha = NULL;
  g_autofree guchar *data = NULL;
  gsize size = 0;
  gboolean found;
  const char *b64;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);

  stmt = tenure_db_prepare (db, "SELECT a.file_name, a.size, a.sha256, a.content_base64, r.code "
                                "FROM receipt_attachment a JOIN receipt r ON r.id = a.receipt_id "
                                "WHERE a.id = $1", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, attachment_id);
  if (!step_row (stmt, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("There is no receipt attachment with id %lld"),
                   (long long) attachment_id);
      return NULL;
    }
  b64 = tenure_stmt_column_text (stmt, 3);
  if (b64 != NULL && *b64 != '\0')
    data = g_base64_decode (b64, &size);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data != NULL ? data : (guchar *) "",
                                     size);
  if ((gint64) size != tenure_stmt_column_int64 (stmt, 1)
      || g_strcmp0 (sha, tenure_stmt_column_text (stmt, 2)) != 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Receipt %s, attachment %s: the stored content does not match its SHA-256 "
                     "(changed or damaged)"), tenure_stmt_column_text (stmt, 4),
                   tenure_stmt_column_text (stmt, 0));
      return NULL;
    }
  if (out_file_name != NULL)
    *out_file_name = g_strdup (tenure_stmt_column_text (stmt, 0));
  return g_bytes_new_take (g_steal_pointer (&data), size);
}

/* Reading ------------------------------------------------------------------------------- */

void
tenure_allocation_free (TenureAllocation *a)
{
  if (a == NULL)
    return;
  g_free (a->bill_code);
  g_free (a->contract_code);
  g_free (a->charge_item_code);
  g_free (a->kind);
  g_free (a->approved_by);
  g_free (a->reason);
  g_free (a);
}

static void
attachment_info_free (TenureReceiptAttachmentInfo *info)
{
  g_free (info->file_name);
  g_free (info->media_type);
  g_free (info->sha256);
  g_free (info);
}

void
tenure_receipt_free (TenureReceipt *r)
{
  if (r == NULL)
    return;
  g_free (r->code);
  g_free (r->tenant_code);
  g_free (r->tenant_name);
  g_free (r->payer_name);
  g_free (r->payer_account);
  g_free (r->bank_reference);
  g_free (r->memo);
  g_free (r->legal_entity_code);
  g_free (r->bank_account_code);
  g_clear_pointer (&r->allocations, g_ptr_array_unref);
  g_clear_pointer (&r->attachments, g_ptr_array_unref);
  g_free (r);
}

static char *
dup_column (TenureStmt *stmt,
            guint       col)
{
  return g_strdup (tenure_stmt_column_text (stmt, col));
}

TenureReceipt *
tenure_receipt_load (TenureDb    *db,
                     gint64       receipt_id,
                     const char  *code,
                     GError     **error)
{
  g_autoptr(TenureReceipt) r = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  gboolean found;
  gint64 allocated = 0;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (receipt_id != 0 || code != NULL, NULL);

  stmt = tenure_db_prepare (db, receipt_id != 0
    ? "SELECT r.id, r.code, r.tenant_id, t.code, t.name, r.method, r.received_on, "
      "r.posting_date, r.amount, r.currency, r.payer_name, r.payer_account, r.bank_reference, "
      "r.memo, r.legal_entity_id, e.code, r.bank_account_id, a.code, r.bank_statement_line_id "
      "FROM receipt r LEFT JOIN tenant t ON t.id = r.tenant_id "
      "LEFT JOIN legal_entity e ON e.id = r.legal_entity_id "
      "LEFT JOIN bank_account a ON a.id = r.bank_account_id WHERE r.id = $1"
    : "SELECT r.id, r.code, r.tenant_id, t.code, t.name, r.method, r.received_on, "
      "r.posting_date, r.amount, r.currency, r.payer_name, r.payer_account, r.bank_reference, "
      "r.memo, r.legal_entity_id, e.code, r.bank_account_id, a.code, r.bank_statement_line_id "
      "FROM receipt r LEFT JOIN tenant t ON t.id = r.tenant_id "
      "LEFT JOIN legal_entity e ON e.id = r.legal_entity_id "
      "LEFT JOIN bank_account a ON a.id = r.bank_account_id WHERE r.code = $1", error);
  if (stmt == NULL)
    return NULL;
  if (receipt_id != 0)
    tenure_stmt_bind_int64 (stmt, 1, receipt_id);
  else
    tenure_stmt_bind_text (stmt, 1, code);
  if (!step_row (stmt, &found, error))
    return NULL;
  if (!found)
    {
      if (receipt_id != 0)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("There is no receipt with id %lld"), (long long) receipt_id);
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND, _("There is no receipt “%s”"),
                     code);
      return NULL;
    }
  r = g_new0 (TenureReceipt, 1);
  r->id = tenure_stmt_column_int64 (stmt, 0);
  r->code = dup_column (stmt, 1);
  r->tenant_id = tenure_stmt_column_int64 (stmt, 2);
  r->tenant_code = dup_column (stmt, 3);
  r->tenant_name = dup_column (stmt, 4);
  if (!tenure_receipt_method_from_string (tenure_stmt_column_text (stmt, 5), &r->method))
    r->method = TENURE_RECEIPT_BANK;
  if (!tenure_date_parse_iso (tenure_stmt_column_text (stmt, 6), &r->received_on, error)
      || !tenure_date_parse_iso (tenure_stmt_column_text (stmt, 7), &r->posting_date, error))
    return NULL;
  r->amount = tenure_stmt_column_int64 (stmt, 8);
  g_strlcpy (r->currency, tenure_stmt_column_text (stmt, 9), sizeof r->currency);
  r->payer_name = dup_column (stmt, 10);
  r->payer_account = dup_column (stmt, 11);
  r->bank_reference = dup_column (stmt, 12);
  r->memo = dup_column (stmt, 13);
  r->legal_entity_id = tenure_stmt_column_int64 (stmt, 14);
  r->legal_entity_code = dup_column (stmt, 15);
  r->bank_account_id = tenure_stmt_column_int64 (stmt, 16);
  r->bank_account_code = dup_column (stmt, 17);
  r->bank_statement_line_id = tenure_stmt_column_int64 (stmt, 18);
  g_clear_pointer (&stmt, tenure_stmt_free);

  r->allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_allocation_free);
  stmt = tenure_db_prepare (db, "SELECT a.id, a.bill_line_id, b.code, c.code, ci.code, a.kind, "
                                "a.amount, a.posting_date, a.reversal_of_id, "
                                "(SELECT count (*) FROM allocation x "
                                " WHERE x.reversal_of_id = a.id), a.approved_by, a.reason "
                                "FROM allocation a JOIN bill_line bl ON bl.id = a.bill_line_id "
                                "JOIN bill b ON b.id = bl.bill_id "
                                "JOIN contract c ON c.id = b.contract_id "
                                "JOIN charge_item ci ON ci.id = bl.charge_item_id "
                                "WHERE a.receipt_id = $1 ORDER BY a.id", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, r->id);
  while (tenure_stmt_step (stmt, &local))
    {
      TenureAllocation *a = g_new0 (TenureAllocation, 1);

      g_ptr_array_add (r->allocations, a);
      a->id = tenure_stmt_column_int64 (stmt, 0);
      a->bill_line_id = tenure_stmt_column_int64 (stmt, 1);
      a->bill_code = dup_column (stmt, 2);
      a->contract_code = dup_column (stmt, 3);
      a->charge_item_code = dup_column (stmt, 4);
      a->kind = dup_column (stmt, 5);
      a->amount = tenure_stmt_column_int64 (stmt, 6);
      if (!tenure_date_parse_iso (tenure_stmt_column_text (stmt, 7), &a->posting_date, error))
        return NULL;
      a->reversal_of_id = tenure_stmt_column_int64 (stmt, 8);
      a->reversed = tenure_stmt_column_int64 (stmt, 9) > 0;
      a->approved_by = dup_column (stmt, 10);
      a->reason = dup_column (stmt, 11);
      allocated += a->amount;
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  r->unapplied = r->amount - allocated;
  g_clear_pointer (&stmt, tenure_stmt_free);

  r->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_info_free);
  stmt = tenure_db_prepare (db, "SELECT id, file_name, media_type, size, sha256 "
                                "FROM receipt_attachment WHERE receipt_id = $1 ORDER BY id",
                            error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, r->id);
  while (tenure_stmt_step (stmt, &local))
    {
      TenureReceiptAttachmentInfo *info = g_new0 (TenureReceiptAttachmentInfo, 1);

      info->id = tenure_stmt_column_int64 (stmt, 0);
      info->file_name = dup_column (stmt, 1);
      info->media_type = dup_column (stmt, 2);
      info->size = tenure_stmt_column_int64 (stmt, 3);
      info->sha256 = dup_column (stmt, 4);
      g_ptr_array_add (r->attachments, info);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&r);
}

/* Tenant credit ------------------------------------------------------------------------- */

/* The tenant's receipts with something unapplied on @as_of, oldest first (ids, in @currency
 * when not NULL). */
static GArray *
receipts_with_credit (TenureDb    *db,
                      gint64       tenant_id,
                      const char  *currency,
                      TenureDate   as_of,
                      GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  char date_text[TENURE_DATE_ISO_BUF_SIZE];

  stmt = tenure_db_prepare (db, currency != NULL
    ? "SELECT r.id FROM receipt r WHERE r.tenant_id = $1 AND r.posting_date <= $2 "
      "AND r.amount > coalesce ((SELECT sum (a.amount) FROM allocation a "
      "WHERE a.receipt_id = r.id), 0) AND r.currency = $3 ORDER BY r.posting_date, r.id"
    : "SELECT r.id FROM receipt r WHERE r.tenant_id = $1 AND r.posting_date <= $2 "
      "AND r.amount > coalesce ((SELECT sum (a.amount) FROM allocation a "
      "WHERE a.receipt_id = r.id), 0) ORDER BY r.posting_date, r.id", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, tenant_id);
  tenure_stmt_bind_text (stmt, 2, tenure_date_format_iso_buf (as_of, date_text));
  if (currency != NULL)
    tenure_stmt_bind_text (stmt, 3, currency);
  while (tenure_stmt_step (stmt, &local))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

GArray *
tenure_tenant_unapplied_credit (TenureDb    *db,
                                const char  *tenant_code,
                                TenureDate   as_of,
                                GError     **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (TenureCredit));
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  char date_text[TENURE_DATE_ISO_BUF_SIZE];
  gint64 tenant_id;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);

  if (!lookup_tenant (db, tenant_code, &tenant_id, error))
    return NULL;
  stmt = tenure_db_prepare (db, "SELECT r.currency, sum (r.amount - coalesce ((SELECT sum "
                                "(a.amount) FROM allocation a WHERE a.receipt_id = r.id "
                                "AND a.posting_date <= $2), 0)) FROM receipt r "
                                "WHERE r.tenant_id = $1 AND r.posting_date <= $2 "
                                "GROUP BY r.currency ORDER BY r.currency", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, tenant_id);
  if (tenure_date_is_valid (as_of))
    tenure_stmt_bind_text (stmt, 2, tenure_date_format_iso_buf (as_of, date_text));
  else
    tenure_stmt_bind_text (stmt, 2, "9999-12-31");
  while (tenure_stmt_step (stmt, &local))
    {
      TenureCredit c = { { 0 }, 0 };

      g_strlcpy (c.currency, tenure_stmt_column_text (stmt, 0), sizeof c.currency);
      c.amount = tenure_stmt_column_int64 (stmt, 1);
      if (c.amount != 0)
        g_array_append_val (out, c);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gboolean
apply_credit_locked (TenureDb    *db,
                     const char  *tenant_code,
                     const char  *currency,
                     const char  *contract_code,
                     TenureDate   posting_date,
                     GArray      *out_ids,
                     GError     **error)
{
  g_autoptr(GArray) receipts = NULL;
  gint64 tenant_id;

  if (!lookup_tenant (db, tenant_code, &tenant_id, error)
      || !lock_one_tenant (db, tenant_id, error))
    return FALSE;
  receipts = receipts_with_credit (db, tenant_id, currency, posting_date, error);
  if (receipts == NULL)
    return FALSE;
  for (guint i = 0; i < receipts->len; i++)
    {
      g_auto(ReceiptRow) row = { 0 };

      if (!read_receipt_row (db, g_array_index (receipts, gint64, i), &row, error)
          || !allocate_locked (db, &row, NULL, 0, contract_code, NULL, 0, posting_date, out_ids,
                               error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tenure_tenant_apply_credit (TenureDb    *db,
                            const char  *tenant_code,
                            const char  *currency,
                            const char  *contract_code,
                            TenureDate   posting_date,
                            GArray      *out_allocation_ids,
                            GError     **error)
{
  guint n_before = out_allocation_ids != NULL ? out_allocation_ids->len : 0;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (tenant_code != NULL, FALSE);

  if (!tenure_date_is_valid (posting_date))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Tenant %s, applying credit: the posting date is not a valid date"),
                   tenant_code);
      return FALSE;
    }
  if (!tenure_db_begin (db, error))
    return FALSE;
  if (!apply_credit_locked (db, tenant_code, currency, contract_code, posting_date,
                            out_allocation_ids, error))
    {
      tenure_db_rollback (db);
      if (out_allocation_ids != NULL)
        g_array_set_size (out_allocation_ids, n_before);
      return FALSE;
    }
  if (!tenure_db_commit (db, error))
    {
      if (out_allocation_ids != NULL)
        g_array_set_size (out_allocation_ids, n_before);
      return FALSE;
    }
  return TRUE;
}
