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
  "  AND bl.due_date < $1 "

#define LINES_ORDER " ORDER BY c.code, bl.due_date, bl.id"

/* What reduces the principal: allocations that stand (not reversals, not reversed), and
 * billed credit notes (negative difference lines) correcting the line, from their posting. */
#define PAYMENTS_SQL \
  "SELECT CASE WHEN a.kind = 'allocation' THEN r.received_on ELSE a.posting_date END, " \
  "       a.amount " \
  "FROM allocation a LEFT JOIN receipt r ON r.id = a.receipt_id " \
  "WHERE a.bill_line_id = $1 AND a.reversal_of_id IS NULL AND a.amount > 0 " \
  "  AND NOT EXISTS (SELECT 1 FROM allocation x WHERE x.reversal_of_id = a.id) " \
  "UNION ALL " \
  "SELECT cb.posting_date, -cl.amount " \
  "FROM bill_line ol " \
  "JOIN receivable_line d ON d.corrects_line_id = ol.receivable_line_id " \
  "JOIN bill_line cl ON cl.receivable_line_id = d.id " \
  "JOIN bill cb ON cb.id = cl.bill_id " \
  "WHERE ol.id = $1 AND d.kind = 'difference' AND cl.amount < 0"

#define WAIVERS_SQL \
  "SELECT COALESCE (SUM (CASE WHEN approved_by IS NOT NULL THEN amount ELSE 0 END), 0), " \
  "       COALESCE (SUM (CASE WHEN approved_by IS NULL THEN amount ELSE 0 END), 0), " \
  "       (SELECT COALESCE (SUM (fl.amount), 0) FROM bill_line pl " \
  "        JOIN receivable_line f ON f.corrects_line_id = pl.receivable_line_id " \
  "        JOIN bill_line fl ON fl.receivable_line_id = f.id " \
  "        WHERE pl.id = $1 AND f.kind = 'late_fee') " \
  "FROM late_fee_waiver WHERE bill_line_id = $1"

static gboolean
load_payments (TenureStmt  *stmt,
               gint64       line_id,
               GArray      *payments,
               GError     **error)
{
  g_autoptr(GError) local = NULL;

  g_array_set_size (payments, 0);
  tenure_stmt_reset (stmt);
  tenure_stmt_bind_int64 (stmt, 1, line_id);
  while (tenure_stmt_step (stmt, &local))
    {
      TenureLateFeePayment p = { 0 };

      if (!column_date (stmt, 0, _("payment date"), line_id, &p.date, error))
        return FALSE;
      p.amount = tenure_stmt_column_int64 (stmt, 1);
      g_array_append_val (payments, p);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_waivers (TenureStmt        *stmt,
              TenureLateFeeItem *item,
              GError           **error)
{
  g_autoptr(GError) local = NULL;

  tenure_stmt_reset (stmt);
  tenure_stmt_bind_int64 (stmt, 1, item->bill_line_id);
  if (!tenure_stmt_step (stmt, &local))
    {
      if (local == NULL)
        g_set_error (&local, TENURE_ERROR, TENURE_ERROR_DB, "no waiver sum");
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  item->waived = tenure_stmt_column_int64 (stmt, 0);
  item->pending_waivers = tenure_stmt_column_int64 (stmt, 1);
  item->billed_fee = tenure_stmt_column_int64 (stmt, 2);
  while (tenure_stmt_step (stmt, &local))
    ;
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
tenure_late_fees_as_of (TenureDb        *db,
                        TenureDate       as_of,
                        TenureScopeKind  scope,
                        const char      *scope_code,
                        GError         **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tenure_late_fee_item_free);
  g_autoptr(GArray) payments = g_array_new (FALSE, TRUE, sizeof (TenureLateFeePayment));
  g_autoptr(TenureStmt) lines = NULL, pay = NULL, waive = NULL;
  g_autoptr(GString) sql = g_string_new (LINES_SQL);
  g_autoptr(GError) local = NULL;
  char as_of_text[TENURE_DATE_ISO_BUF_SIZE];
  gint64 limit;

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
      g_string_append (sql, " AND c.project_id = (SELECT id FROM project WHERE code = $2)");
      break;
    case TENURE_SCOPE_BUILDING:
      g_string_append (sql,
                       " AND EXISTS (SELECT 1 FROM contract_version cv "
                       "  JOIN contract_unit cu ON cu.contract_version_id = cv.id "
                       "  JOIN unit u ON u.id = cu.unit_id "
                       "  JOIN floor f ON f.id = u.floor_id "
                       "  JOIN building bd ON bd.id = f.building_id "
                       "  WHERE cv.contract_id = c.id AND bd.code = $2)");
      break;
    case TENURE_SCOPE_CONTRACT:
      g_string_append (sql, " AND c.code = $2");
      break;
    case TENURE_SCOPE_ALL:
    default:
      break;
    }
  g_string_append (sql, LINES_ORDER);

  lines = tenure_db_prepare (db, sql->str, error);
  if (lines == NULL)
    return NULL;
  pay = tenure_db_prepare (db, PAYMENTS_SQL, error);
  if (pay == NULL)
    return NULL;
  waive = tenure_db_prepare (db, WAIVERS_SQL, error);
  if (waive == NULL)
    return NULL;

  tenure_stmt_bind_text (lines, 1, tenure_date_format_iso_buf (as_of, as_of_text));
  if (scope != TENURE_SCOPE_ALL)
    tenure_stmt_bind_text (lines, 2, scope_code);

  /* Read the lines first: one statement at a time keeps both backends simple. */
  while (tenure_stmt_step (lines, &local))
    {
      g_autoptr(TenureLateFeeItem) item = g_new0 (TenureLateFeeItem, 1);

      item->bill_line_id = tenure_stmt_column_int64 (lines, 0);
      item->bill_code = g_strdup (tenure_stmt_column_text (lines, 1));
      item->contract_code = g_strdup (tenure_stmt_column_text (lines, 2));
      item->charge_item = g_strdup (tenure_stmt_column_text (lines, 3));
      item->currency = g_strdup (tenure_stmt_column_text (lines, 4));
      if (!column_date (lines, 5, _("period start"), item->bill_line_id,
                        &item->period_start, error)
          || !column_date (lines, 6, _("period end"), item->bill_line_id,
                           &item->period_end, error)
          || !column_date (lines, 7, _("due date"), item->bill_line_id,
                           &item->terms.due_date, error))
        return NULL;
      item->terms.principal = tenure_stmt_column_int64 (lines, 8);
      item->terms.rate_ppm = tenure_stmt_column_int64 (lines, 9);
      item->terms.grace_days = (int) CLAMP (tenure_stmt_column_int64 (lines, 10), 0, G_MAXINT);
      item->terms.cap_ppm = tenure_stmt_column_int64 (lines, 11);
      g_ptr_array_add (items, g_steal_pointer (&item));
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  for (guint i = 0; i < items->len; )
    {
      TenureLateFeeItem *item = g_ptr_array_index (items, i);
      g_autoptr(GError) calc_error = NULL;
      g_autofree char *where = NULL;

      if (!load_payments (pay, item->bill_line_id, payments, error))
        return NULL;
      if (!tenure_late_fee_compute (&item->terms, (TenureLateFeePayment *) payments->data,
                                    payments->len, as_of, TENURE_ROUND_DEFAULT,
                                    &item->result, &calc_error))
        {
          g_set_error (error, calc_error->domain, calc_error->code,
                       /* TRANSLATORS: "Contract C-1, bill B-1, RENT: Late fee: …" */
                       _("Contract %s, bill %s, %s: %s"), item->contract_code,
                       item->bill_code, item->charge_item, calc_error->message);
          return NULL;
        }
      if (item->result.fee == 0)
        {
          g_ptr_array_remove_index (items, i);
          continue;
        }
      if (!load_waivers (waive, item, error))
        return NULL;
      /* Waivers and billed fees are at most a fee each, so this cannot overflow. */
      item->net_fee = MAX (0, item->result.fee - MIN (item->waived, item->result.fee)
                              - CLAMP (item->billed_fee, 0, item->result.fee));
      where = g_strdup_printf ("%s %s", item->contract_code, item->charge_item);
      item->warning = tenure_late_fee_rate_warning (item->terms.rate_ppm, limit, where);
      i++;
    }
  return g_steal_pointer (&items);
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
  if (!tenure_stmt_step (stmt, &local))
    {
      if (local == NULL)
        g_set_error (&local, TENURE_ERROR, TENURE_ERROR_DB, "INSERT returned no id");
      g_propagate_error (error, g_steal_pointer (&local));
      return 0;
    }
  id = tenure_stmt_column_int64 (stmt, 0);
  while (tenure_stmt_step (stmt, &local))
    ;
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return 0;
    }
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
