/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-late-fee"

#include "billing/tenure-late-fee.h"

#include <stdlib.h>
#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "base/tenure-money.h"

static int
payment_cmp (gconstpointer a,
             gconstpointer b)
{
  const TenureLateFeePayment *pa = a, *pb = b;

  return (pa->date > pb->date) - (pa->date < pb->date);
}

static gboolean
check_terms (const TenureLateFeeTerms *terms,
             TenureDate                as_of,
             GError                  **error)
{
  if (terms->principal <= 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Late fee: the principal must be more than zero"));
      return FALSE;
    }
  if (!tenure_date_is_valid (terms->due_date))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Late fee: the due date is not a valid date"));
      return FALSE;
    }
  if (!tenure_date_is_valid (as_of))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Late fee: the as-of date is not a valid date"));
      return FALSE;
    }
  if (terms->grace_days < 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Late fee: the grace period cannot be negative (%d days)"),
                   terms->grace_days);
      return FALSE;
    }
  if (terms->rate_ppm < 0 || terms->cap_ppm < 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Late fee: the daily rate and the cap cannot be negative"));
      return FALSE;
    }
  return TRUE;
}

gboolean
tenure_late_fee_compute (const TenureLateFeeTerms   *terms,
                         const TenureLateFeePayment *payments,
                         gsize                       n_payments,
                         TenureDate                  as_of,
                         TenureRounding              rounding,
                         TenureLateFeeResult        *out,
                         GError                    **error)
{
  g_autofree TenureLateFeePayment *sorted = NULL;
  g_autoptr(GArray) segments = NULL;
  TenureExact total = tenure_exact_int (0);
  TenureExact rate, cap = tenure_exact_int (0);
  TenureDate first_fee_day, cursor;
  gint64 unpaid, paid = 0, cap_minor = 0, fee;
  int fee_days = 0;
  gboolean capped = FALSE;

  g_return_val_if_fail (terms != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (n_payments == 0 || payments != NULL, FALSE);

  if (!check_terms (terms, as_of, error))
    return FALSE;
  for (gsize i = 0; i < n_payments; i++)
    {
      if (!tenure_date_is_valid (payments[i].date) || payments[i].amount <= 0)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Late fee: payment %u has no valid date or an amount of zero or less"),
                       (guint) i + 1);
          return FALSE;
        }
    }

  sorted = g_new (TenureLateFeePayment, MAX (n_payments, 1));
  if (n_payments > 0)
    memcpy (sorted, payments, n_payments * sizeof *sorted);
  qsort (sorted, n_payments, sizeof *sorted, payment_cmp);

  for (gsize i = 0; i < n_payments && sorted[i].date <= as_of; i++)
    if (!tenure_minor_add (paid, sorted[i].amount, &paid))
      {
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW,
                     _("Late fee: the payments add up to more than 64 bits"));
        return FALSE;
      }

  segments = g_array_new (FALSE, TRUE, sizeof (TenureLateFeeSegment));
  rate = tenure_exact_scaled (terms->rate_ppm, TENURE_SCALE_PPM);
  first_fee_day = tenure_date_add_days (terms->due_date, (gint64) terms->grace_days + 1);
  unpaid = terms->principal;
  cursor = first_fee_day;

  /* Walk the days that can bear a fee, one segment per unpaid amount. */
  if (terms->rate_ppm > 0 && tenure_date_is_valid (first_fee_day) && first_fee_day <= as_of)
    {
      gsize i = 0;

      /* Payments before the first fee day only reduce the principal. */
      for (; i < n_payments && sorted[i].date < first_fee_day; i++)
        unpaid = sorted[i].amount >= unpaid ? 0 : unpaid - sorted[i].amount;

      while (unpaid > 0 && cursor <= as_of)
        {
          TenureLateFeeSegment seg = { 0 };
          /* The fee runs through the next payment's day (unpaid at the start of it). */
          TenureDate to = (i < n_payments && sorted[i].date <= as_of) ? sorted[i].date : as_of;

          seg.from = cursor;
          seg.to = to;
          seg.unpaid = unpaid;
          seg.value = tenure_exact_mul (tenure_exact_mul (tenure_exact_int (unpaid),
                                                          tenure_exact_int (to - cursor + 1)),
                                        rate);
          total = tenure_exact_add (total, seg.value);
          fee_days += to - cursor + 1;
          g_array_append_val (segments, seg);

          /* Every payment of that day applies at its end. */
          for (; i < n_payments && sorted[i].date == to; i++)
            unpaid = sorted[i].amount >= unpaid ? 0 : unpaid - sorted[i].amount;
          cursor = to + 1;
        }
    }

  if (terms->cap_ppm > 0)
    {
      cap = tenure_exact_mul (tenure_exact_int (terms->principal),
                              tenure_exact_scaled (terms->cap_ppm, TENURE_SCALE_PPM));
      if (tenure_exact_is_ok (cap) && tenure_exact_is_ok (total)
          && tenure_exact_cmp (total, cap) > 0)
        {
          total = cap;
          capped = TRUE;
        }
      if (!tenure_exact_round (cap, rounding, &cap_minor, error))
        return FALSE;
    }
  if (!tenure_exact_round (total, rounding, &fee, error))
    return FALSE;

  out->exact = total;
  out->fee = fee;
  out->capped = capped;
  out->cap = cap_minor;
  out->fee_days = fee_days;
  out->paid = paid;
  out->unpaid = paid >= terms->principal ? 0 : terms->principal - paid;
  out->segments = g_steal_pointer (&segments);
  return TRUE;
}

void
tenure_late_fee_result_clear (TenureLateFeeResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->segments, g_array_unref);
}

char *
tenure_late_fee_rate_warning (gint64      rate_ppm,
                              gint64      limit_ppm,
                              const char *where)
{
  g_autofree char *rate = NULL, *limit = NULL;

  if (rate_ppm <= limit_ppm)
    return NULL;
  /* ppm per day shown as a percentage per day: 1000 ppm = 0.1000 %. */
  rate = tenure_decimal_format (rate_ppm, 4, FALSE);
  limit = tenure_decimal_format (limit_ppm, 4, FALSE);
  /* TRANSLATORS: "C-001 RENT: the late-fee rate 0.2000 %/day exceeds the limit of …" */
  return g_strdup_printf (_("%s: the late-fee rate %s %%/day exceeds the limit of %s %%/day; "
                            "a court may reduce it (Civil Code Art. 585)"),
                          where != NULL ? where : "", rate, limit);
}

gboolean
tenure_late_fee_warn_limit (TenureDb *db,
                            gint64   *out_ppm,
                            GError  **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  const char *text;
  gint64 value;

  stmt = tenure_db_prepare (db, "SELECT value FROM setting WHERE key = 'late_fee.warn_rate_ppm'",
                            error);
  if (stmt == NULL)
    return FALSE;
  if (!tenure_stmt_step (stmt, error))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      *out_ppm = TENURE_LATE_FEE_WARN_RATE_PPM_DEFAULT;
      return TRUE;
    }
  text = tenure_stmt_column_text (stmt, 0);
  if (text == NULL || !tenure_decimal_parse (text, 0, &value, NULL) || value < 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("The setting late_fee.warn_rate_ppm must be a whole number of parts per "
                     "million, not “%s”"), text != NULL ? text : "");
      return FALSE;
    }
  *out_ppm = value;
  return TRUE;
}

void
tenure_late_fee_item_free (TenureLateFeeItem *item)
{
  if (item == NULL)
    return;
  g_free (item->bill_code);
  g_free (item->contract_code);
  g_free (item->charge_item);
  g_free (item->currency);
  g_free (item->warning);
  tenure_late_fee_result_clear (&item->result);
  g_free (item);
}

/* Parses a stored date; the schema CHECKs them, so a failure means a damaged row. */
static gboolean
column_date (TenureStmt  *stmt,
             guint        col,
             const char  *what,
             gint64       row_id,
             TenureDate  *out,
             GError     **error)
{
  g_autoptr(GError) local = NULL;
  const char *text = tenure_stmt_column_text (stmt, col);
  g_autofree char *row_text = NULL;

  if (text != NULL && tenure_date_parse_iso (text, out, &local))
    return TRUE;
  row_text = g_strdup_printf ("%" G_GINT64_FORMAT, row_id);
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
               _("Bill line %s: the %s “%s” is not a date"),
               row_text, what, text != NULL ? text : "");
  return FALSE;
}

/* Checks that the scope's code exists so a typo is an error, not an empty report. */
static gboolean
check_scope (TenureDb         *db,
             TenureScopeKind   scope,
             const char       *code,
             GError          **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  const char *sql, *missing, *unknown;

  switch (scope)
    {
    case TENURE_SCOPE_PROJECT:
      sql = "SELECT 1 FROM project WHERE code = $1";
      missing = _("Late fees: the scope needs a project code");
      unknown = _("There is no project “%s”");
      break;
    case TENURE_SCOPE_BUILDING:
      sql = "SELECT 1 FROM building WHERE code = $1";
      missing = _("Late fees: the scope needs a building code");
      unknown = _("There is no building “%s”");
      break;
    case TENURE_SCOPE_CONTRACT:
      sql = "SELECT 1 FROM contract WHERE code = $1";
      missing = _("Late fees: the scope needs a contract code");
      unknown = _("There is no contract “%s”");
      break;
    case TENURE_SCOPE_ALL:
    default:
      return TRUE;
    }
  if (code == NULL || *code == '\0')
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID, missing);
      return FALSE;
    }
  stmt = tenure_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, code);
  if (tenure_stmt_step (stmt, error))
    return TRUE;
  if (error == NULL || *error == NULL)
    {
      /* The format is one of the three literals above. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND, unknown, code);
#pragma GCC diagnostic pop
    }
  return FALSE;
}

/* Lines are read in batches by id so memory stays bounded on a large portfolio; each batch's
 * payments, waivers and billed fees come in one query each over its id range. */
#define BATCH_SIZE 2000

#define LINES_SQL \
  "SELECT bl.id, b.code, c.code, ci.code, b.currency, bl.period_start, bl.period_end, " \
  "       bl.due_date, bl.amount, cl.late_fee_rate_ppm, cl.late_fee_grace_days, " \
  "       cl.late_fee_cap_ppm " \
  "FROM bill_line bl " \
  "JOIN bill b ON b.id = bl.bill_id " \
  "JOIN contract c ON c.id = b.contract_id " \
  "JOIN charge_item ci ON ci.id = bl.charge_item_id " \
  "JOIN receivable_line rl ON rl.id = bl.receivable_line_id " \
  "JOIN clause cl ON cl.id = rl.clause_id " \
  "WHERE rl.kind <> 'late_fee' AND bl.amount > 0 AND cl.late_fee_rate_ppm > 0 " \
  "  AND bl.due_date < $1 AND bl.id > $2 "

#define LINES_ORDER " ORDER BY bl.id LIMIT " G_STRINGIFY (BATCH_SIZE)

/* What reduces the principal: allocations that stand (not reversals, not reversed), and
 * billed credit notes (negative difference lines) correcting the line, from their posting. */
#define PAYMENTS_SQL \
  "SELECT a.bill_line_id, " \
  "       CASE WHEN a.kind = 'allocation' THEN r.received_on ELSE a.posting_date END, " \
  "       a.amount " \
  "FROM allocation a LEFT JOIN receipt r ON r.id = a.receipt_id " \
  "WHERE a.bill_line_id BETWEEN $1 AND $2 AND a.reversal_of_id IS NULL AND a.amount > 0 " \
  "  AND NOT EXISTS (SELECT 1 FROM allocation x WHERE x.reversal_of_id = a.id) " \
  "UNION ALL " \
  "SELECT ol.id, cb.posting_date, -cl.amount " \
  "FROM bill_line ol " \
  "JOIN receivable_line d ON d.corrects_line_id = ol.receivable_line_id " \
  "JOIN bill_line cl ON cl.receivable_line_id = d.id " \
  "JOIN bill cb ON cb.id = cl.bill_id " \
  "WHERE ol.id BETWEEN $1 AND $2 AND d.kind = 'difference' AND cl.amount < 0"

#define WAIVERS_SQL \
  "SELECT bill_line_id, " \
  "       SUM (CASE WHEN approved_by IS NOT NULL THEN amount ELSE 0 END), " \
  "       SUM (CASE WHEN approved_by IS NULL THEN amount ELSE 0 END) " \
  "FROM late_fee_waiver WHERE bill_line_id BETWEEN $1 AND $2 GROUP BY bill_line_id"

/* Late fees already billed: late-fee lines pointing at the principal's receivable line. */
#define BILLED_FEES_SQL \
  "SELECT pl.id, SUM (fl.amount) " \
  "FROM bill_line pl " \
  "JOIN receivable_line f ON f.corrects_line_id = pl.receivable_line_id " \
  "JOIN bill_line fl ON fl.receivable_line_id = f.id " \
  "WHERE pl.id BETWEEN $1 AND $2 AND f.kind = 'late_fee' GROUP BY pl.id"

/* One batch of lines with their payments, by bill line id. */
typedef struct
{
  GPtrArray  *items;      /* TenureLateFeeItem, by id */
  GHashTable *by_id;      /* gint64* → TenureLateFeeItem* (borrowed) */
  GHashTable *payments;   /* gint64* → GArray of TenureLateFeePayment */
} Batch;

static void
batch_clear (Batch *batch)
{
  g_clear_pointer (&batch->by_id, g_hash_table_unref);
  g_clear_pointer (&batch->payments, g_hash_table_unref);
  g_clear_pointer (&batch->items, g_ptr_array_unref);
}

static TenureLateFeeItem *
batch_item (Batch  *batch,
            gint64  id)
{
  return g_hash_table_lookup (batch->by_id, &id);
}

/* Reads up to BATCH_SIZE lines after @after into @batch; FALSE on error. */
static gboolean
read_lines (TenureStmt  *stmt,
            const char  *as_of_text,
            const char  *scope_code,
            gint64       after,
            Batch       *batch,
            GError     **error)
{
  g_autoptr(GError) local = NULL;

  tenure_stmt_reset (stmt);
  tenure_stmt_bind_text (stmt, 1, as_of_text);
  tenure_stmt_bind_int64 (stmt, 2, after);
  if (scope_code != NULL)
    tenure_stmt_bind_text (stmt, 3, scope_code);
  while (tenure_stmt_step (stmt, &local))
    {
      g_autoptr(TenureLateFeeItem) item = g_new0 (TenureLateFeeItem, 1);

      item->bill_line_id = tenure_stmt_column_int64 (stmt, 0);
      item->bill_code = g_strdup (tenure_stmt_column_text (stmt, 1));
      item->contract_code = g_strdup (tenure_stmt_column_text (stmt, 2));
      item->charge_item = g_strdup (tenure_stmt_column_text (stmt, 3));
      item->currency = g_strdup (tenure_stmt_column_text (stmt, 4));
      if (!column_date (stmt, 5, _("period start"), item->bill_line_id,
                        &item->period_start, error)
          || !column_date (stmt, 6, _("period end"), item->bill_line_id,
                           &item->period_end, error)
          || !column_date (stmt, 7, _("due date"), item->bill_line_id,
                           &item->terms.due_date, error))
        return FALSE;
      item->terms.principal = tenure_stmt_column_int64 (stmt, 8);
      item->terms.rate_ppm = tenure_stmt_column_int64 (stmt, 9);
      item->terms.grace_days = (int) CLAMP (tenure_stmt_column_int64 (stmt, 10), 0, G_MAXINT);
      item->terms.cap_ppm = tenure_stmt_column_int64 (stmt, 11);
      g_hash_table_insert (batch->by_id, &item->bill_line_id, item);
      g_ptr_array_add (batch->items, g_steal_pointer (&item));
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/* Runs @stmt over the batch's id range, calling @row for each row of a line in the batch. */
static gboolean
for_each_in_range (TenureStmt  *stmt,
                   Batch       *batch,
                   gboolean   (*row) (TenureStmt *, TenureLateFeeItem *, Batch *, GError **),
                   GError     **error)
{
  g_autoptr(GError) local = NULL;
  TenureLateFeeItem *first = g_ptr_array_index (batch->items, 0);
  TenureLateFeeItem *last = g_ptr_array_index (batch->items, batch->items->len - 1);

  tenure_stmt_reset (stmt);
  tenure_stmt_bind_int64 (stmt, 1, first->bill_line_id);
  tenure_stmt_bind_int64 (stmt, 2, last->bill_line_id);
  while (tenure_stmt_step (stmt, &local))
    {
      /* The range also holds lines that are not eligible: skip them. */
      TenureLateFeeItem *item = batch_item (batch, tenure_stmt_column_int64 (stmt, 0));

      if (item != NULL && !row (stmt, item, batch, error))
        return FALSE;
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static gboolean
payment_row (TenureStmt        *stmt,
             TenureLateFeeItem *item,
             Batch             *batch,
             GError           **error)
{
  TenureLateFeePayment p = { 0 };
  GArray *list;

  if (!column_date (stmt, 1, _("payment date"), item->bill_line_id, &p.date, error))
    return FALSE;
  p.amount = tenure_stmt_column_int64 (stmt, 2);
  list = g_hash_table_lookup (batch->payments, &item->bill_line_id);
  if (list == NULL)
    {
      list = g_array_new (FALSE, TRUE, sizeof (TenureLateFeePayment));
      g_hash_table_insert (batch->payments, &item->bill_line_id, list);
    }
  g_array_append_val (list, p);
  return TRUE;
}

static gboolean
waiver_row (TenureStmt        *stmt,
            TenureLateFeeItem *item,
            Batch             *batch,
            GError           **error)
{
  item->waived = tenure_stmt_column_int64 (stmt, 1);
  item->pending_waivers = tenure_stmt_column_int64 (stmt, 2);
  return TRUE;
}

static gboolean
billed_fee_row (TenureStmt        *stmt,
                TenureLateFeeItem *item,
                Batch             *batch,
                GError           **error)
{
  item->billed_fee = tenure_stmt_column_int64 (stmt, 1);
  return TRUE;
}

static int
item_order (gconstpointer a,
            gconstpointer b)
{
  const TenureLateFeeItem *ia = *(TenureLateFeeItem * const *) a;
  const TenureLateFeeItem *ib = *(TenureLateFeeItem * const *) b;
  int c = g_strcmp0 (ia->contract_code, ib->contract_code);

  if (c != 0)
    return c;
  if (ia->terms.due_date != ib->terms.due_date)
    return ia->terms.due_date < ib->terms.due_date ? -1 : 1;
  return (ia->bill_line_id > ib->bill_line_id) - (ia->bill_line_id < ib->bill_line_id);
}

GPtrArray *
tenure_late_fees_as_of (TenureDb        *db,
                        TenureDate       as_of,
                        TenureScopeKind  scope,
                        const char      *scope_code,
                        GError         **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tenure_late_fee_item_free);
  g_autoptr(TenureStmt) lines = NULL, pay = NULL, waive = NULL, billed = NULL;
  g_autoptr(GString) sql = g_string_new (LINES_SQL);
  char as_of_text[TENURE_DATE_ISO_BUF_SIZE];
  gint64 limit, after = 0;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);

  if (!tenure_date_is_valid (as_of))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Late fees: the as-of date is not a valid date"));
      return NULL;
    }
  if (!check_scope (db, scope, scope_code, error)
      || !tenure_late_fee_warn_limit (db, &limit, error))
    return NULL;

  switch (scope)
    {
    case TENURE_SCOPE_PROJECT:
      g_string_append (sql, " AND c.project_id = (SELECT id FROM project WHERE code = $3)");
      break;
    case TENURE_SCOPE_BUILDING:
      g_string_append (sql,
                       " AND EXISTS (SELECT 1 FROM contract_version cv "
                       "  JOIN contract_unit cu ON cu.contract_version_id = cv.id "
                       "  JOIN unit u ON u.id = cu.unit_id "
                       "  JOIN floor f ON f.id = u.floor_id "
                       "  JOIN building bd ON bd.id = f.building_id "
                       "  WHERE cv.contract_id = c.id AND bd.code = $3)");
      break;
    case TENURE_SCOPE_CONTRACT:
      g_string_append (sql, " AND c.code = $3");
      break;
    case TENURE_SCOPE_ALL:
    default:
      scope_code = NULL;
      break;
    }
  g_string_append (sql, LINES_ORDER);

  if ((lines = tenure_db_prepare (db, sql->str, error)) == NULL
      || (pay = tenure_db_prepare (db, PAYMENTS_SQL, error)) == NULL
      || (waive = tenure_db_prepare (db, WAIVERS_SQL, error)) == NULL
      || (billed = tenure_db_prepare (db, BILLED_FEES_SQL, error)) == NULL)
    return NULL;
  tenure_date_format_iso_buf (as_of, as_of_text);

  for (;;)
    {
      Batch batch = {
        g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_late_fee_item_free),
        g_hash_table_new (g_int64_hash, g_int64_equal),
        g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                               (GDestroyNotify) g_array_unref),
      };
      gboolean ok;
      guint n;

      /* Read every result set to its end before the next statement runs. */
      ok = read_lines (lines, as_of_text, scope_code, after, &batch, error);
      n = batch.items->len;
      if (n > 0)
        after = ((TenureLateFeeItem *) g_ptr_array_index (batch.items, n - 1))->bill_line_id;
      if (ok && n > 0)
        ok = for_each_in_range (pay, &batch, payment_row, error)
             && for_each_in_range (waive, &batch, waiver_row, error)
             && for_each_in_range (billed, &batch, billed_fee_row, error);

      for (guint i = 0; ok && i < n; i++)
        {
          TenureLateFeeItem *item = g_ptr_array_index (batch.items, i);
          GArray *payments = g_hash_table_lookup (batch.payments, &item->bill_line_id);
          g_autoptr(GError) calc_error = NULL;
          g_autofree char *where = NULL;

          if (!tenure_late_fee_compute (&item->terms,
                                        payments ? (TenureLateFeePayment *) payments->data
                                                 : NULL,
                                        payments ? payments->len : 0, as_of,
                                        TENURE_ROUND_DEFAULT, &item->result, &calc_error))
            {
              g_set_error (error, calc_error->domain, calc_error->code,
                           /* TRANSLATORS: "Contract C-1, bill B-1, RENT: Late fee: …" */
                           _("Contract %s, bill %s, %s: %s"), item->contract_code,
                           item->bill_code, item->charge_item, calc_error->message);
              ok = FALSE;
              break;
            }
          if (item->result.fee == 0)
            continue;
          /* Waivers and billed fees are at most a fee each, so this cannot overflow. */
          item->net_fee = item->result.fee - MIN (item->waived, item->result.fee);
          item->net_fee = MAX (0, item->net_fee - CLAMP (item->billed_fee, 0, item->result.fee));
          where = g_strdup_printf ("%s %s", item->contract_code, item->charge_item);
          item->warning = tenure_late_fee_rate_warning (item->terms.rate_ppm, limit, where);
          /* Move the item to the result (the batch's slot is cleared, not freed). */
          g_ptr_array_add (result, item);
          batch.items->pdata[i] = NULL;
        }
      batch_clear (&batch);
      if (!ok)
        return NULL;
      if (n < BATCH_SIZE)
        break;
    }
  g_ptr_array_sort (result, item_order);
  return g_steal_pointer (&result);
}

gint64
tenure_late_fee_waiver_request (TenureDb   *db,
                                gint64      bill_line_id,
                                gint64      amount,
                                const char *reason,
                                GError    **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *line_text = g_strdup_printf ("%" G_GINT64_FORMAT, bill_line_id);
  g_autofree char *stripped = NULL;
  gint64 exists = 0, id;

  g_return_val_if_fail (TENURE_IS_DB (db), 0);

  if (amount <= 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Late-fee waiver for bill line %s"
                     ": the amount must be more than zero"), line_text);
      return 0;
    }
  stripped = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  if (*stripped == '\0')
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Late-fee waiver for bill line %s"
                     ": a reason is required"), line_text);
      return 0;
    }
  stmt = tenure_db_prepare (db, "SELECT count(*) FROM bill_line WHERE id = $1", error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_int64 (stmt, 1, bill_line_id);
  if (tenure_stmt_step (stmt, &local))
    exists = tenure_stmt_column_int64 (stmt, 0);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return 0;
    }
  if (exists == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("Late-fee waiver: there is no bill line %s"),
                   line_text);
      return 0;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = tenure_db_prepare (db,
                            "INSERT INTO late_fee_waiver (bill_line_id, amount, reason, "
                            "requested_by) VALUES ($1, $2, $3, $4) RETURNING id", error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_int64 (stmt, 1, bill_line_id);
  tenure_stmt_bind_int64 (stmt, 2, amount);
  tenure_stmt_bind_text (stmt, 3, reason);
  tenure_stmt_bind_text (stmt, 4, tenure_db_get_actor (db));
  if (!tenure_stmt_step_int64 (stmt, &id, error))
    return 0;
  return id;
}

gboolean
tenure_late_fee_waiver_approve (TenureDb   *db,
                                gint64      waiver_id,
                                GError    **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *requested_by = NULL;
  const char *actor = tenure_db_get_actor (db);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, waiver_id);
  gboolean approved;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);

  stmt = tenure_db_prepare (db, "SELECT requested_by, approved_by IS NOT NULL "
                                "FROM late_fee_waiver WHERE id = $1", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, waiver_id);
  if (!tenure_stmt_step (stmt, &local))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("There is no late-fee waiver %s"), id_text);
      return FALSE;
    }
  requested_by = g_strdup (tenure_stmt_column_text (stmt, 0));
  /* PostgreSQL gives booleans as "t"/"f", SQLite as 0/1. */
  approved = g_strcmp0 (tenure_stmt_column_text (stmt, 1), "t") == 0
             || g_strcmp0 (tenure_stmt_column_text (stmt, 1), "1") == 0;
  g_clear_pointer (&stmt, tenure_stmt_free);

  if (approved)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Late-fee waiver %s is already approved"), id_text);
      return FALSE;
    }
  if (g_strcmp0 (requested_by, actor) == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Late-fee waiver %s: %s requested it and cannot also "
                     "approve it"), id_text, actor);
      return FALSE;
    }

  stmt = tenure_db_prepare (db, "UPDATE late_fee_waiver SET approved_by = $1, "
                                "approved_at = tenure_now () "
                                "WHERE id = $2 AND approved_by IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, actor);
  tenure_stmt_bind_int64 (stmt, 2, waiver_id);
  if (!tenure_stmt_run (stmt, error))
    return FALSE;
  if (tenure_stmt_changes (stmt) != 1)
    {
      /* Someone approved it between our read and this write. */
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Late-fee waiver %s is already approved"), id_text);
      return FALSE;
    }
  return TRUE;
}
