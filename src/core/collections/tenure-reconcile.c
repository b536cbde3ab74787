/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-reconcile"

#include "collections/tenure-reconcile.h"

#include <string.h>

#include "base/tenure-date.h"
#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "collections/tenure-aging.h"
#include "collections/tenure-open-item.h"

static const char * const scope_names[] = { "entity", "project", "contract" };

const char *
tenure_reconcile_scope_to_string (TenureReconcileScope scope)
{
  g_return_val_if_fail ((guint) scope < G_N_ELEMENTS (scope_names), NULL);
  return scope_names[scope];
}

static void
difference_free (TenureReconcileDifference *d)
{
  if (d == NULL)
    return;
  g_free (d->cause);
  g_free (d->contract_code);
  g_free (d->bill_code);
  g_free (d->charge_item_code);
  g_free (d->due_date);
  g_free (d->note);
  g_free (d->resolution);
  g_free (d->resolved_by);
  g_free (d->resolved_at);
  g_free (d);
}

void
tenure_reconciliation_free (TenureReconciliation *rec)
{
  if (rec == NULL)
    return;
  g_free (rec->legal_entity_code);
  g_free (rec->period);
  g_free (rec->scope_code);
  g_clear_pointer (&rec->differences, g_ptr_array_unref);
  g_free (rec);
}

static gboolean
cause_is_beside (const char *cause)
{
  return g_strcmp0 (cause, "unapplied_credit") == 0
         || g_strcmp0 (cause, "unmatched_bank_line") == 0;
}

/* A difference as computed, before it is stored. */
typedef struct
{
  const char *cause;
  gint64      amount;
  gint64      contract_id;
  gint64      bill_line_id;
  gint64      bank_line_id;
  char       *note;
} Found;

static void
found_free (Found *f)
{
  g_free (f->note);
  g_free (f);
}

static void
add_found (GPtrArray  *list,
           const char *cause,
           gint64      amount,
           gint64      contract_id,
           gint64      bill_line_id,
           gint64      bank_line_id,
           const char *note)
{
  Found *f = g_new0 (Found, 1);

  f->cause = cause;
  f->amount = amount;
  f->contract_id = contract_id;
  f->bill_line_id = bill_line_id;
  f->bank_line_id = bank_line_id;
  f->note = g_strdup (note);
  g_ptr_array_add (list, f);
}

static char *
found_key (const char *cause,
           gint64      contract_id,
           gint64      bill_line_id,
           gint64      bank_line_id,
           const char *note)
{
  return g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                          "|%s", cause, contract_id, bill_line_id, bank_line_id,
                          note != NULL ? note : "");
}

/* What one currency of a scope adds up to. */
typedef struct
{
  char       currency[4];
  gint64     receivable;
  gint64     received;
  GPtrArray *found;   /* Found */
} Sums;

static void
sums_free (Sums *s)
{
  g_ptr_array_unref (s->found);
  g_free (s);
}

static Sums *
sums_for (GHashTable *by_currency,
          const char *currency)
{
  Sums *s = g_hash_table_lookup (by_currency, currency);

  if (s == NULL)
    {
      s = g_new0 (Sums, 1);
      g_strlcpy (s->currency, currency, sizeof s->currency);
      s->found = g_ptr_array_new_with_free_func ((GDestroyNotify) found_free);
      g_hash_table_insert (by_currency, s->currency, s);
    }
  return s;
}

typedef struct
{
  gint64                entity_id;
  char                 *entity_code;
  TenureReconcileScope  scope;
  const char           *scope_code;   /* "" for an entity */
  gint64                scope_id;     /* project or contract id */
  char                  period[8];
  TenureDate            first, last;
} Scope;

/* The bill lines due in the month, explained line by line. */
static gboolean
explain_lines (TenureDb    *db,
               const Scope *scope,
               GHashTable  *by_currency,
               GError     **error)
{
  TenureOpenItemFilter filter = { 0 };
  g_autoptr(GPtrArray) at_end = NULL;
  g_autoptr(GPtrArray) now = NULL;
  g_autoptr(GHashTable) open_now = g_hash_table_new (g_int64_hash, g_int64_equal);

  filter.legal_entity_id = scope->entity_id;
  if (scope->scope == TENURE_RECONCILE_PROJECT)
    filter.project_id = scope->scope_id;
  else if (scope->scope == TENURE_RECONCILE_CONTRACT)
    filter.contract_id = scope->scope_id;
  filter.include_settled = TRUE;
  filter.due_from = scope->first;
  filter.due_to = scope->last;
  now = tenure_open_items_load (db, &filter, error);
  if (now == NULL)
    return FALSE;
  for (guint i = 0; i < now->len; i++)
    {
      TenureOpenItem *item = now->pdata[i];

      g_hash_table_insert (open_now, &item->bill_line_id, &item->open);
    }
  filter.as_of = scope->last;
  filter.breakdown = TRUE;
  at_end = tenure_open_items_load (db, &filter, error);
  if (at_end == NULL)
    return FALSE;

  for (guint i = 0; i < at_end->len; i++)
    {
      TenureOpenItem *item = at_end->pdata[i];
      Sums *sums = sums_for (by_currency, item->currency);
      gint64 receivable = MAX (item->amount - item->credited, 0);
      gint64 rest = receivable - item->allocated - item->offset - item->written_off;
      const gint64 *later = g_hash_table_lookup (open_now, &item->bill_line_id);
      gint64 paid_after = 0;

      sums->receivable += receivable;
      sums->received += item->allocated;
      if (item->offset != 0)
        add_found (sums->found, "offset", item->offset, item->contract_id, item->bill_line_id,
                   0, NULL);
      if (item->written_off != 0)
        add_found (sums->found, "write_off", item->written_off, item->contract_id,
                   item->bill_line_id, 0, NULL);
      if (rest > 0)
        {
          /* What was settled after the month's end (by payment, offset or write-off). */
          if (later != NULL && *later < item->open)
            paid_after = MIN (rest, item->open - *later);
          if (paid_after > 0)
            add_found (sums->found, "paid_after_period", paid_after, item->contract_id,
                       item->bill_line_id, 0, NULL);
          if (rest - paid_after > 0)
            add_found (sums->found,
                       /* a write-off pays nothing */
                       item->allocated + item->offset + paid_after > 0
                       ? "partly_paid" : "unpaid",
                       rest - paid_after, item->contract_id, item->bill_line_id, 0, NULL);
        }
      else if (rest < 0)
        add_found (sums->found, "overpaid", rest, item->contract_id, item->bill_line_id, 0,
                   NULL);
    }
  return TRUE;
}

/* Beside the difference: what receipts of the month left unapplied at its end, and money
 * booked in the month that no receipt records. */
static gboolean
find_beside (TenureDb    *db,
             const Scope *scope,
             GHashTable  *by_currency,
             GError     **error)
{
  g_autoptr(GString) sql = g_string_new (
    "SELECT r.code, r.currency, r.amount - coalesce ((SELECT sum (a.amount) FROM allocation a "
    "  WHERE a.receipt_id = r.id AND a.posting_date <= $3), 0) "
    "FROM receipt r WHERE r.legal_entity_id = $1 AND r.posting_date >= $2 "
    "AND r.posting_date <= $3");
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  char first[TENURE_DATE_ISO_BUF_SIZE], last[TENURE_DATE_ISO_BUF_SIZE];
  gint64 contract_id = scope->scope == TENURE_RECONCILE_CONTRACT ? scope->scope_id : 0;

  tenure_date_format_iso_buf (scope->first, first);
  tenure_date_format_iso_buf (scope->last, last);
  if (scope->scope == TENURE_RECONCILE_PROJECT)
    g_string_append (sql, " AND r.tenant_id IN (SELECT tenant_id FROM contract "
                          "WHERE project_id = $4)");
  else if (scope->scope == TENURE_RECONCILE_CONTRACT)
    g_string_append (sql, " AND r.tenant_id = (SELECT tenant_id FROM contract WHERE id = $4)");
  g_string_append (sql, " ORDER BY r.code");
  stmt = tenure_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, scope->entity_id);
  tenure_stmt_bind_text (stmt, 2, first);
  tenure_stmt_bind_text (stmt, 3, last);
  if (scope->scope != TENURE_RECONCILE_ENTITY)
    tenure_stmt_bind_int64 (stmt, 4, scope->scope_id);
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 rest = tenure_stmt_column_int64 (stmt, 2);

      if (rest > 0)
        add_found (sums_for (by_currency, tenure_stmt_column_text (stmt, 1))->found,
                   "unapplied_credit", rest, contract_id, 0, 0,
                   tenure_stmt_column_text (stmt, 0));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);

  /* Bank lines cannot be told apart by project or contract until they are matched. */
  if (scope->scope != TENURE_RECONCILE_ENTITY)
    return TRUE;
  stmt = tenure_db_prepare (db,
                            "SELECT l.id, l.currency, l.amount, "
                            "       coalesce (l.payer_name, l.bank_reference, l.memo) "
                            "FROM bank_statement_line l "
                            "JOIN bank_account a ON a.id = l.bank_account_id "
                            "WHERE a.legal_entity_id = $1 AND l.booked_on >= $2 "
                            "AND l.booked_on <= $3 AND l.amount > 0 "
                            "AND l.status IN ('unmatched', 'suggested') "
                            "AND NOT EXISTS (SELECT 1 FROM receipt r "
                            "                WHERE r.bank_statement_line_id = l.id) "
                            "ORDER BY l.booked_on, l.id",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, scope->entity_id);
  tenure_stmt_bind_text (stmt, 2, first);
  tenure_stmt_bind_text (stmt, 3, last);
  while (tenure_stmt_step (stmt, &local_error))
    add_found (sums_for (by_currency, tenure_stmt_column_text (stmt, 1))->found,
               "unmatched_bank_line", tenure_stmt_column_int64 (stmt, 2), 0,
               0, tenure_stmt_column_int64 (stmt, 0), tenure_stmt_column_text (stmt, 3));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static void
bind_opt_id (TenureStmt *stmt,
             guint       param,
             gint64      id)
{
  if (id != 0)
    tenure_stmt_bind_int64 (stmt, param, id);
  else
    tenure_stmt_bind_null (stmt, param);
}

/* Stores one currency: the reconciliation row, then its differences, keeping the
 * resolutions of those found again unchanged. */
static gboolean
store_sums (TenureDb    *db,
            const Scope *scope,
            Sums        *sums,
            GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) local_error = NULL;
  gint64 rec_id = 0;
  GHashTableIter iter;
  gpointer value;

  stmt = tenure_db_prepare (db,
                            "INSERT INTO reconciliation (legal_entity_id, period, scope_kind, "
                            "  scope_code, currency, receivable, received, difference) "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                            "ON CONFLICT (legal_entity_id, period, scope_kind, scope_code, "
                            "  currency) DO UPDATE SET receivable = excluded.receivable, "
                            "  received = excluded.received, difference = excluded.difference, "
                            "  updated_at = tenure_now(), actor = excluded.actor "
                            "RETURNING id",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, scope->entity_id);
  tenure_stmt_bind_text (stmt, 2, scope->period);
  tenure_stmt_bind_text (stmt, 3, tenure_reconcile_scope_to_string (scope->scope));
  tenure_stmt_bind_text (stmt, 4, scope->scope_code);
  tenure_stmt_bind_text (stmt, 5, sums->currency);
  tenure_stmt_bind_int64 (stmt, 6, sums->receivable);
  tenure_stmt_bind_int64 (stmt, 7, sums->received);
  tenure_stmt_bind_int64 (stmt, 8, sums->receivable - sums->received);
  if (!tenure_stmt_step_int64 (stmt, &rec_id, error))
    return FALSE;
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = tenure_db_prepare (db,
                            "SELECT id, cause, coalesce (contract_id, 0), "
                            "  coalesce (bill_line_id, 0), coalesce (bank_statement_line_id, 0), "
                            "  note, amount FROM reconciliation_difference "
                            "WHERE reconciliation_id = $1",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, rec_id);
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 *row = g_new (gint64, 2);

      row[0] = tenure_stmt_column_int64 (stmt, 0);
      row[1] = tenure_stmt_column_int64 (stmt, 6);
      g_hash_table_insert (known,
                           found_key (tenure_stmt_column_text (stmt, 1),
                                      tenure_stmt_column_int64 (stmt, 2),
                                      tenure_stmt_column_int64 (stmt, 3),
                                      tenure_stmt_column_int64 (stmt, 4),
                                      tenure_stmt_column_text (stmt, 5)),
                           row);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);

  for (guint i = 0; i < sums->found->len; i++)
    {
      Found *f = sums->found->pdata[i];
      g_autofree char *key = found_key (f->cause, f->contract_id, f->bill_line_id,
                                        f->bank_line_id, f->note);
      gint64 *row = g_hash_table_lookup (known, key);
      g_autoptr(TenureStmt) write = NULL;

      if (row != NULL && row[1] == f->amount)
        {
          g_hash_table_remove (known, key);
          continue;
        }
      if (row != NULL)
        {
          /* Another amount is another fact: its old resolution no longer answers it. */
          write = tenure_db_prepare (db,
                                     "UPDATE reconciliation_difference SET amount = $2, "
                                     "resolution = NULL, resolved_by = NULL, "
                                     "resolved_at = NULL WHERE id = $1",
                                     error);
          if (write == NULL)
            return FALSE;
          tenure_stmt_bind_int64 (write, 1, row[0]);
          tenure_stmt_bind_int64 (write, 2, f->amount);
          g_hash_table_remove (known, key);
        }
      else
        {
          write = tenure_db_prepare (db,
                                     "INSERT INTO reconciliation_difference "
                                     "(reconciliation_id, cause, amount, contract_id, "
                                     " bill_line_id, bank_statement_line_id, note) "
                                     "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                     error);
          if (write == NULL)
            return FALSE;
          tenure_stmt_bind_int64 (write, 1, rec_id);
          tenure_stmt_bind_text (write, 2, f->cause);
          tenure_stmt_bind_int64 (write, 3, f->amount);
          bind_opt_id (write, 4, f->contract_id);
          bind_opt_id (write, 5, f->bill_line_id);
          bind_opt_id (write, 6, f->bank_line_id);
          tenure_stmt_bind_text (write, 7, f->note);
        }
      if (!tenure_stmt_run (write, error))
        return FALSE;
    }

  g_hash_table_iter_init (&iter, known);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_autoptr(TenureStmt) del = tenure_db_prepare (db,
                                                     "DELETE FROM reconciliation_difference "
                                                     "WHERE id = $1",
                                                     error);

      if (del == NULL)
        return FALSE;
      tenure_stmt_bind_int64 (del, 1, ((gint64 *) value)[0]);
      if (!tenure_stmt_run (del, error))
        return FALSE;
    }
  return TRUE;
}

/* The stored reconciliations of a scope, with their differences. */
static gboolean
load_stored (TenureDb    *db,
             const Scope *scope,
             gboolean     closed,
             GPtrArray   *out,
             GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(TenureStmt) diffs = NULL;
  g_autoptr(GError) local_error = NULL;

  stmt = tenure_db_prepare (db,
                            "SELECT id, currency, receivable, received, difference, status "
                            "FROM reconciliation WHERE legal_entity_id = $1 AND period = $2 "
                            "AND scope_kind = $3 AND scope_code = $4 ORDER BY currency",
                            error);
  diffs = tenure_db_prepare (db,
                             "SELECT d.id, d.cause, d.amount, coalesce (d.contract_id, 0), "
                             "  c.code, coalesce (d.bill_line_id, 0), b.code, ci.code, "
                             "  bl.due_date, coalesce (d.bank_statement_line_id, 0), d.note, "
                             "  d.resolution, d.resolved_by, d.resolved_at "
                             "FROM reconciliation_difference d "
                             "LEFT JOIN contract c ON c.id = d.contract_id "
                             "LEFT JOIN bill_line bl ON bl.id = d.bill_line_id "
                             "LEFT JOIN bill b ON b.id = bl.bill_id "
                             "LEFT JOIN charge_item ci ON ci.id = bl.charge_item_id "
                             "WHERE d.reconciliation_id = $1 "
                             "ORDER BY CASE WHEN d.cause IN ('unapplied_credit', "
                             "  'unmatched_bank_line') THEN 1 ELSE 0 END, "
                             "  coalesce (c.code, ''), coalesce (bl.due_date, ''), "
                             "  coalesce (d.bill_line_id, 0), d.cause, d.id",
                             error);
  if (stmt == NULL || diffs == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, scope->entity_id);
  tenure_stmt_bind_text (stmt, 2, scope->period);
  tenure_stmt_bind_text (stmt, 3, tenure_reconcile_scope_to_string (scope->scope));
  tenure_stmt_bind_text (stmt, 4, scope->scope_code);
  while (tenure_stmt_step (stmt, &local_error))
    {
      TenureReconciliation *rec = g_new0 (TenureReconciliation, 1);

      g_ptr_array_add (out, rec);
      rec->id = tenure_stmt_column_int64 (stmt, 0);
      rec->legal_entity_id = scope->entity_id;
      rec->legal_entity_code = g_strdup (scope->entity_code);
      rec->period = g_strdup (scope->period);
      rec->scope = scope->scope;
      rec->scope_code = g_strdup (scope->scope_code);
      g_strlcpy (rec->currency, tenure_stmt_column_text (stmt, 1), sizeof rec->currency);
      rec->receivable = tenure_stmt_column_int64 (stmt, 2);
      rec->received = tenure_stmt_column_int64 (stmt, 3);
      rec->difference = tenure_stmt_column_int64 (stmt, 4);
      rec->closed = closed || g_strcmp0 (tenure_stmt_column_text (stmt, 5), "closed") == 0;
      rec->differences = g_ptr_array_new_with_free_func ((GDestroyNotify) difference_free);

      tenure_stmt_reset (diffs);
      tenure_stmt_bind_int64 (diffs, 1, rec->id);
      while (tenure_stmt_step (diffs, &local_error))
        {
          TenureReconcileDifference *d = g_new0 (TenureReconcileDifference, 1);

          d->id = tenure_stmt_column_int64 (diffs, 0);
          d->cause = g_strdup (tenure_stmt_column_text (diffs, 1));
          d->beside = cause_is_beside (d->cause);
          d->amount = tenure_stmt_column_int64 (diffs, 2);
          d->contract_id = tenure_stmt_column_int64 (diffs, 3);
          d->contract_code = g_strdup (tenure_stmt_column_text (diffs, 4));
          d->bill_line_id = tenure_stmt_column_int64 (diffs, 5);
          d->bill_code = g_strdup (tenure_stmt_column_text (diffs, 6));
          d->charge_item_code = g_strdup (tenure_stmt_column_text (diffs, 7));
          d->due_date = g_strdup (tenure_stmt_column_text (diffs, 8));
          d->bank_statement_line_id = tenure_stmt_column_int64 (diffs, 9);
          d->note = g_strdup (tenure_stmt_column_text (diffs, 10));
          d->resolution = g_strdup (tenure_stmt_column_text (diffs, 11));
          d->resolved_by = g_strdup (tenure_stmt_column_text (diffs, 12));
          d->resolved_at = g_strdup (tenure_stmt_column_text (diffs, 13));
          if (d->resolution == NULL)
            rec->unresolved++;
          g_ptr_array_add (rec->differences, d);
        }
      if (local_error != NULL)
        break;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
period_is_closed (TenureDb    *db,
                  gint64       entity_id,
                  const char  *period,
                  gboolean    *out_closed,
                  GError     **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db,
                                                  "SELECT count(*) FROM accounting_period "
                                                  "WHERE legal_entity_id = $1 AND period = $2 "
                                                  "AND closed_at IS NOT NULL",
                                                  error);
  gint64 n = 0;

  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, entity_id);
  tenure_stmt_bind_text (stmt, 2, period);
  if (!tenure_stmt_step_int64 (stmt, &n, error))
    return FALSE;
  *out_closed = n > 0;
  return TRUE;
}

static gboolean
reconcile_scope (TenureDb    *db,
                 const Scope *scope,
                 GPtrArray   *out,
                 GError     **error)
{
  g_autoptr(GHashTable) by_currency = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                             (GDestroyNotify) sums_free);
  g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tenure_reconciliation_free);
  g_autoptr(GList) currencies = NULL;
  gboolean closed = FALSE;

  if (!period_is_closed (db, scope->entity_id, scope->period, &closed, error))
    return FALSE;
  if (closed)
    return load_stored (db, scope, TRUE, out, error);

  if (!tenure_db_begin (db, error))
    return FALSE;
  /* A currency stored before and gone now is stored again with zeros and no differences. */
  if (!load_stored (db, scope, FALSE, stored, error)
      || !explain_lines (db, scope, by_currency, error)
      || !find_beside (db, scope, by_currency, error))
    goto fail;
  for (guint i = 0; i < stored->len; i++)
    sums_for (by_currency, ((TenureReconciliation *) stored->pdata[i])->currency);
  if (g_hash_table_size (by_currency) == 0)
    sums_for (by_currency, "CNY");
  currencies = g_hash_table_get_keys (by_currency);
  for (GList *l = currencies; l != NULL; l = l->next)
    if (!store_sums (db, scope, g_hash_table_lookup (by_currency, l->data), error))
      goto fail;
  if (!load_stored (db, scope, FALSE, out, error))
    goto fail;
  return tenure_db_commit (db, error);  /* a failed commit undoes the transaction itself */

fail:
  tenure_db_rollback (db);
  return FALSE;
}

GPtrArray *
tenure_reconcile_run (TenureDb              *db,
                      const char            *legal_entity_code,
                      int                    year,
                      int                    month,
                      TenureReconcileScope   scope_kind,
                      const char            *scope_code,
                      GError               **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tenure_reconciliation_free);
  g_autoptr(GPtrArray) entities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) entity_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  Scope scope = { 0 };

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);

  if (!tenure_date_valid_ymd (year, month, 1))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("The period %04d-%02d is not a month."), year, month);
      return NULL;
    }
  scope.scope = scope_kind;
  scope.scope_code = scope_kind == TENURE_RECONCILE_ENTITY ? "" : scope_code;
  g_snprintf (scope.period, sizeof scope.period, "%04d-%02d", year, month);
  scope.first = tenure_date_from_ymd (year, month, 1);
  scope.last = tenure_date_period_end (scope.first, TENURE_PERIOD_MONTH);

  if (scope_kind != TENURE_RECONCILE_ENTITY)
    {
      const char *sql = scope_kind == TENURE_RECONCILE_PROJECT
        ? "SELECT p.id, e.id, e.code FROM project p "
          "JOIN legal_entity e ON e.id = p.legal_entity_id WHERE p.code = $1"
        : "SELECT c.id, e.id, e.code FROM contract c JOIN project p ON p.id = c.project_id "
          "JOIN legal_entity e ON e.id = p.legal_entity_id WHERE c.code = $1";

      g_return_val_if_fail (scope_code != NULL, NULL);
      if (tenure_collections_lookup_code (db, scope_kind == TENURE_RECONCILE_PROJECT
                                              ? "project" : "contract",
                                          scope_code, error) == 0)
        return NULL;
      stmt = tenure_db_prepare (db, sql, error);
      if (stmt == NULL)
        return NULL;
      tenure_stmt_bind_text (stmt, 1, scope_code);
      if (!tenure_stmt_step (stmt, error))
        return NULL;
      scope.scope_id = tenure_stmt_column_int64 (stmt, 0);
      if (legal_entity_code != NULL
          && g_strcmp0 (legal_entity_code, tenure_stmt_column_text (stmt, 2)) != 0)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("“%s” belongs to legal entity %s, not %s."), scope_code,
                       tenure_stmt_column_text (stmt, 2), legal_entity_code);
          return NULL;
        }
      g_array_append_vals (entity_ids, &(gint64) { tenure_stmt_column_int64 (stmt, 1) }, 1);
      g_ptr_array_add (entities, g_strdup (tenure_stmt_column_text (stmt, 2)));
    }
  else if (legal_entity_code != NULL)
    {
      gint64 id = tenure_collections_lookup_code (db, "legal_entity", legal_entity_code,
                                                  error);

      if (id == 0)
        return NULL;
      g_array_append_val (entity_ids, id);
      g_ptr_array_add (entities, g_strdup (legal_entity_code));
    }
  else
    {
      stmt = tenure_db_prepare (db, "SELECT id, code FROM legal_entity ORDER BY code", error);
      if (stmt == NULL)
        return NULL;
      while (tenure_stmt_step (stmt, &local_error))
        {
          gint64 id = tenure_stmt_column_int64 (stmt, 0);

          g_array_append_val (entity_ids, id);
          g_ptr_array_add (entities, g_strdup (tenure_stmt_column_text (stmt, 1)));
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  for (guint i = 0; i < entity_ids->len; i++)
    {
      scope.entity_id = g_array_index (entity_ids, gint64, i);
      scope.entity_code = entities->pdata[i];
      if (!reconcile_scope (db, &scope, out, error))
        return NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
tenure_reconcile_resolve (TenureDb    *db,
                          gint64       difference_id,
                          const char  *resolution,
                          GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = g_strstrip (g_strdup (resolution != NULL ? resolution : ""));
  gboolean closed = FALSE;
  gint64 entity_id;
  g_autofree char *period = NULL;
  char id[24];

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);

  /* Ids go in as text: gettext cannot see through G_GINT64_FORMAT. */
  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, difference_id);
  if (*text == '\0')
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Difference %s: a resolution needs a text saying how it was resolved."),
                   id);
      return FALSE;
    }
  stmt = tenure_db_prepare (db,
                            "SELECT r.legal_entity_id, r.period FROM reconciliation_difference d "
                            "JOIN reconciliation r ON r.id = d.reconciliation_id "
                            "WHERE d.id = $1",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, difference_id);
  if (!tenure_stmt_step (stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("There is no reconciliation difference %s."), id);
      return FALSE;
    }
  entity_id = tenure_stmt_column_int64 (stmt, 0);
  period = g_strdup (tenure_stmt_column_text (stmt, 1));
  g_clear_pointer (&stmt, tenure_stmt_free);
  if (!period_is_closed (db, entity_id, period, &closed, error))
    return FALSE;
  if (closed)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_CLOSED_PERIOD,
                   _("Difference %s belongs to the closed period %s: reopen the period to "
                     "change its resolution."), id, period);
      return FALSE;
    }
  stmt = tenure_db_prepare (db,
                            "UPDATE reconciliation_difference SET resolution = $2, "
                            "resolved_by = $3, resolved_at = tenure_now() WHERE id = $1",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, difference_id);
  tenure_stmt_bind_text (stmt, 2, text);
  tenure_stmt_bind_text (stmt, 3, tenure_db_get_actor (db));
  return tenure_stmt_run (stmt, error);
}
