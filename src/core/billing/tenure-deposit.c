/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-deposit"

#include "billing/tenure-deposit.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-exact.h"
#include "base/tenure-i18n.h"
#include "base/tenure-money.h"
#include "billing/tenure-period.h"

static const char * const kind_names[] = {
  "billed", "received", "offset", "refunded", "forfeited",
};

const char *
tenure_deposit_kind_to_string (TenureDepositKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
tenure_deposit_kind_from_string (const char        *text,
                                 TenureDepositKind *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (text, kind_names[i]) == 0)
      {
        *out = (TenureDepositKind) i;
        return TRUE;
      }
  return FALSE;
}

/* The kind as words for messages. */
static const char *
kind_label (TenureDepositKind kind)
{
  switch (kind)
    {
    case TENURE_DEPOSIT_BILLED: return _("deposit billed");
    case TENURE_DEPOSIT_RECEIVED: return _("deposit received");
    case TENURE_DEPOSIT_OFFSET: return _("deposit offset");
    case TENURE_DEPOSIT_REFUNDED: return _("deposit refund");
    case TENURE_DEPOSIT_FORFEITED: return _("deposit forfeit");
    default: return _("deposit entry");
    }
}

void
tenure_deposit_entry_free (TenureDepositEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->memo);
  g_free (entry->created_at);
  g_free (entry);
}

/* Id, tenant and legal entity of the contract @code. */
static gboolean
lookup_contract (TenureDb    *db,
                 const char  *code,
                 gint64      *id,
                 gint64      *tenant_id,
                 gint64      *legal_entity_id,
                 GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;

  stmt = tenure_db_prepare (db, "SELECT c.id, c.tenant_id, p.legal_entity_id FROM contract c "
                                "JOIN project p ON p.id = c.project_id WHERE c.code = $1",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, code);
  if (!tenure_stmt_step (stmt, &local))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("There is no contract “%s”"), code);
      return FALSE;
    }
  *id = tenure_stmt_column_int64 (stmt, 0);
  if (tenant_id != NULL)
    *tenant_id = tenure_stmt_column_int64 (stmt, 1);
  if (legal_entity_id != NULL)
    *legal_entity_id = tenure_stmt_column_int64 (stmt, 2);
  return TRUE;
}

static gboolean
sum_balance (TenureDb             *db,
             gint64                contract_id,
             TenureDate            as_of,
             TenureDepositBalance *out,
             GError              **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  char as_of_text[TENURE_DATE_ISO_BUF_SIZE];
  TenureDepositBalance b = { 0 };

  stmt = tenure_db_prepare (db, tenure_date_is_valid (as_of)
                            ? "SELECT kind, SUM (amount) FROM deposit_entry "
                              "WHERE contract_id = $1 AND entry_date <= $2 GROUP BY kind"
                            : "SELECT kind, SUM (amount) FROM deposit_entry "
                              "WHERE contract_id = $1 GROUP BY kind", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, contract_id);
  if (tenure_date_is_valid (as_of))
    tenure_stmt_bind_text (stmt, 2, tenure_date_format_iso_buf (as_of, as_of_text));
  while (tenure_stmt_step (stmt, &local))
    {
      TenureDepositKind kind;
      gint64 sum = tenure_stmt_column_int64 (stmt, 1);

      if (!tenure_deposit_kind_from_string (tenure_stmt_column_text (stmt, 0), &kind))
        continue;
      switch (kind)
        {
        case TENURE_DEPOSIT_BILLED: b.billed = sum; break;
        case TENURE_DEPOSIT_RECEIVED: b.received = sum; break;
        case TENURE_DEPOSIT_OFFSET: b.offset = sum; break;
        case TENURE_DEPOSIT_REFUNDED: b.refunded = sum; break;
        case TENURE_DEPOSIT_FORFEITED: b.forfeited = sum; break;
        default: break;
        }
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!tenure_minor_sub (b.received, b.offset, &b.held)
      || !tenure_minor_sub (b.held, b.refunded, &b.held)
      || !tenure_minor_sub (b.held, b.forfeited, &b.held)
      || !tenure_minor_sub (b.billed, b.received, &b.outstanding))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW,
                   _("The deposit ledger adds up to more than 64 bits"));
      return FALSE;
    }
  b.outstanding = MAX (b.outstanding, 0);
  *out = b;
  return TRUE;
}

gboolean
tenure_deposit_balance (TenureDb             *db,
                        const char           *contract_code,
                        TenureDate            as_of,
                        TenureDepositBalance *out,
                        GError              **error)
{
  gint64 contract_id;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup_contract (db, contract_code, &contract_id, NULL, NULL, error))
    return FALSE;
  return sum_balance (db, contract_id, as_of, out, error);
}

/* TRUE when the one-row query @sql with $1 = @a and $2 = @b returns a row. */
static gboolean
row_exists (TenureDb   *db,
            const char *sql,
            gint64      a,
            gint64      b,
            gboolean   *out,
            GError    **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, error);
  g_autoptr(GError) local = NULL;

  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, a);
  tenure_stmt_bind_int64 (stmt, 2, b);
  *out = tenure_stmt_step (stmt, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static gint64
record_locked (TenureDb          *db,
               const char        *contract_code,
               TenureDepositKind  kind,
               gint64             amount,
               TenureDate         entry_date,
               gint64             bill_line_id,
               gint64             receipt_id,
               const char        *memo,
               GError           **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  char date_text[TENURE_DATE_ISO_BUF_SIZE];
  gint64 contract_id, tenant_id, entity_id, id;
  gboolean found;

  if (!lookup_contract (db, contract_code, &contract_id, &tenant_id, &entity_id, error))
    return 0;
  if (!tenure_period_check_open (db, entity_id, entry_date, error))
    return 0;
  if (bill_line_id != 0)
    {
      if (!row_exists (db, "SELECT 1 FROM bill_line bl JOIN bill b ON b.id = bl.bill_id "
                           "WHERE bl.id = $1 AND b.contract_id = $2",
                       bill_line_id, contract_id, &found, error))
        return 0;
      if (!found)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Contract %s, deposit entry: the bill line is not one of this "
                         "contract’s bills"), contract_code);
          return 0;
        }
    }
  if (receipt_id != 0)
    {
      if (!row_exists (db, "SELECT 1 FROM receipt WHERE id = $1 AND tenant_id = $2",
                       receipt_id, tenant_id, &found, error))
        return 0;
      if (!found)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Contract %s, deposit entry: the receipt is not from this "
                         "contract’s tenant"), contract_code);
          return 0;
        }
    }
  if (kind == TENURE_DEPOSIT_OFFSET || kind == TENURE_DEPOSIT_REFUNDED
      || kind == TENURE_DEPOSIT_FORFEITED)
    {
      TenureDepositBalance then, now;

      /* Money can only leave the deposit once it is held, then and from then on. */
      if (!sum_balance (db, contract_id, entry_date, &then, error)
          || !sum_balance (db, contract_id, TENURE_DATE_INVALID, &now, error))
        return 0;
      if (amount > MIN (then.held, now.held))
        {
          g_autofree char *amount_text = tenure_decimal_format (amount, 2, TRUE);
          g_autofree char *held_text = tenure_decimal_format (MIN (then.held, now.held), 2,
                                                              TRUE);

          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       /* TRANSLATORS: "Contract C-1, deposit refund: 5,000.00 is more
                        * than the 3,000.00 held" */
                       _("Contract %s, %s: %s is more than the deposit of %s held"),
                       contract_code, kind_label (kind), amount_text,
                       held_text);
          return 0;
        }
    }

  stmt = tenure_db_prepare (db, "INSERT INTO deposit_entry (contract_id, kind, amount, "
                                "entry_date, bill_line_id, receipt_id, memo) "
                                "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id", error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_int64 (stmt, 1, contract_id);
  tenure_stmt_bind_text (stmt, 2, tenure_deposit_kind_to_string (kind));
  tenure_stmt_bind_int64 (stmt, 3, amount);
  tenure_stmt_bind_text (stmt, 4, tenure_date_format_iso_buf (entry_date, date_text));
  if (bill_line_id != 0)
    tenure_stmt_bind_int64 (stmt, 5, bill_line_id);
  else
    tenure_stmt_bind_null (stmt, 5);
  if (receipt_id != 0)
    tenure_stmt_bind_int64 (stmt, 6, receipt_id);
  else
    tenure_stmt_bind_null (stmt, 6);
  tenure_stmt_bind_text (stmt, 7, memo);
  if (!tenure_stmt_step_int64 (stmt, &id, error))
    return 0;
  return id;
}

gint64
tenure_deposit_record (TenureDb           *db,
                       const char         *contract_code,
                       TenureDepositKind   kind,
                       gint64              amount,
                       TenureDate          entry_date,
                       gint64              bill_line_id,
                       gint64              receipt_id,
                       const char         *memo,
                       GError            **error)
{
  gint64 id;

  g_return_val_if_fail (TENURE_IS_DB (db), 0);
  g_return_val_if_fail (contract_code != NULL, 0);

  if ((guint) kind >= G_N_ELEMENTS (kind_names))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Contract %s, deposit entry: unknown kind %d"), contract_code, (int) kind);
      return 0;
    }
  if (amount <= 0 && !(kind == TENURE_DEPOSIT_BILLED && amount < 0))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Contract %s, %s: the amount must be more than zero"),
                   contract_code, kind_label (kind));
      return 0;
    }
  if (!tenure_date_is_valid (entry_date))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Contract %s, %s: the entry date is not a valid date"),
                   contract_code, kind_label (kind));
      return 0;
    }

  /* The balance check and the insert in one transaction. */
  if (!tenure_db_begin (db, error))
    return 0;
  id = record_locked (db, contract_code, kind, amount, entry_date, bill_line_id, receipt_id,
                      memo, error);
  if (id == 0)
    {
      tenure_db_rollback (db);
      return 0;
    }
  if (!tenure_db_commit (db, error))
    return 0;
  return id;
}

gboolean
tenure_deposit_record_billed (TenureDb  *db,
                              gint64     bill_id,
                              guint     *out_added,
                              GError   **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GString) sql = g_string_new (
    "INSERT INTO deposit_entry (contract_id, kind, amount, entry_date, bill_line_id) "
    "SELECT b.contract_id, 'billed', bl.amount, b.posting_date, bl.id "
    "FROM bill_line bl "
    "JOIN bill b ON b.id = bl.bill_id "
    "JOIN charge_item ci ON ci.id = bl.charge_item_id "
    "WHERE ci.kind = 'deposit' AND bl.amount <> 0 "
    "  AND NOT EXISTS (SELECT 1 FROM deposit_entry d "
    "                  WHERE d.bill_line_id = bl.id AND d.kind = 'billed')");

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);

  if (bill_id != 0)
    g_string_append (sql, " AND b.id = $1");
  g_string_append (sql, " ORDER BY bl.id");
  stmt = tenure_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  if (bill_id != 0)
    tenure_stmt_bind_int64 (stmt, 1, bill_id);
  if (!tenure_stmt_run (stmt, error))
    return FALSE;
  if (out_added != NULL)
    *out_added = (guint) tenure_stmt_changes (stmt);
  return TRUE;
}

GPtrArray *
tenure_deposit_ledger (TenureDb    *db,
                       const char  *contract_code,
                       GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tenure_deposit_entry_free);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  gint64 contract_id;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);

  if (!lookup_contract (db, contract_code, &contract_id, NULL, NULL, error))
    return NULL;
  stmt = tenure_db_prepare (db, "SELECT id, kind, amount, entry_date, bill_line_id, "
                                "receipt_id, memo, created_at FROM deposit_entry "
                                "WHERE contract_id = $1 ORDER BY entry_date, id", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, contract_id);
  while (tenure_stmt_step (stmt, &local))
    {
      g_autoptr(TenureDepositEntry) e = g_new0 (TenureDepositEntry, 1);
      const char *kind = tenure_stmt_column_text (stmt, 1);
      const char *date = tenure_stmt_column_text (stmt, 3);

      e->id = tenure_stmt_column_int64 (stmt, 0);
      if (!tenure_deposit_kind_from_string (kind, &e->kind)
          || date == NULL || !tenure_date_parse_iso (date, &e->entry_date, NULL))
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                       _("Contract %s: a deposit entry has an unknown kind or date"),
                       contract_code);
          return NULL;
        }
      e->amount = tenure_stmt_column_int64 (stmt, 2);
      e->bill_line_id = tenure_stmt_column_int64 (stmt, 4);
      e->receipt_id = tenure_stmt_column_int64 (stmt, 5);
      e->memo = g_strdup (tenure_stmt_column_text (stmt, 6));
      e->created_at = g_strdup (tenure_stmt_column_text (stmt, 7));
      g_ptr_array_add (entries, g_steal_pointer (&e));
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&entries);
}
