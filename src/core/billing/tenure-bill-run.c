/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bill-run"

#include "billing/tenure-bill-run.h"
#include "billing/tenure-deposit.h"

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "billing/tenure-period.h"

#include <string.h>

#define JOB_KIND "bill-run"

void
tenure_bill_run_options_init (TenureBillRunOptions *options,
                              int                   year,
                              int                   month)
{
  memset (options, 0, sizeof *options);
  options->year = year;
  options->month = month;
  options->scope_kind = TENURE_BILL_SCOPE_ALL;
  options->posting_date = TENURE_DATE_INVALID;
  options->jump_threshold_ppm = 300000;
  options->lock_timeout_ms = 60 * 1000;
}

const char *
tenure_anomaly_kind_to_string (TenureAnomalyKind kind)
{
  switch (kind)
    {
    case TENURE_ANOMALY_ZERO_AMOUNT: return "zero_amount";
    case TENURE_ANOMALY_NEGATIVE_AMOUNT: return "negative_amount";
    case TENURE_ANOMALY_JUMP: return "jump";
    case TENURE_ANOMALY_EXPIRED_CONTRACT: return "expired_contract";
    case TENURE_ANOMALY_UNIT_LEASED_TWICE: return "unit_leased_twice";
    default: return "unknown";
    }
}

static void
bill_draft_free (gpointer data)
{
  TenureBillDraft *draft = data;

  g_free (draft->code);
  g_free (draft->contract_code);
  g_free (draft->kind);
  g_free (draft->currency);
  g_clear_pointer (&draft->line_ids, g_array_unref);
  g_free (draft);
}

static void
anomaly_free (gpointer data)
{
  TenureBillAnomaly *anomaly = data;

  g_free (anomaly->contract_code);
  g_free (anomaly->charge_item);
  g_free (anomaly->message);
  g_free (anomaly);
}

void
tenure_bill_run_result_free (TenureBillRunResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->bills, g_ptr_array_unref);
  g_clear_pointer (&result->anomalies, g_ptr_array_unref);
  g_free (result);
}

static TenureBillRunResult *
result_new (void)
{
  TenureBillRunResult *result = g_new0 (TenureBillRunResult, 1);

  result->bills = g_ptr_array_new_with_free_func (bill_draft_free);
  result->anomalies = g_ptr_array_new_with_free_func (anomaly_free);
  return result;
}

/* ---- the selection ------------------------------------------------------------------------ */

static gboolean
check_options (TenureDb                   *db,
               const TenureBillRunOptions *options,
               GError                    **error)
{
  static const char *const lookups[] = {
    NULL,
    "SELECT count(*) FROM project WHERE code = $1",
    "SELECT count(*) FROM building WHERE code = $1",
    "SELECT count(*) FROM contract WHERE code = $1",
  };
  g_autoptr(TenureStmt) stmt = NULL;

  if (!tenure_date_valid_ymd (options->year, options->month, 1))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("The bill run period %04d-%02d is not a valid month."),
                   options->year, options->month);
      return FALSE;
    }
  if (options->scope_kind == TENURE_BILL_SCOPE_ALL)
    return TRUE;
  if (options->scope_code == NULL || options->scope_code[0] == '\0')
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("The bill run scope needs a project, building or contract code."));
      return FALSE;
    }
  stmt = tenure_db_prepare (db, lookups[options->scope_kind], error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, options->scope_code);
  if (!tenure_stmt_step (stmt, error))
    return FALSE;
  if (tenure_stmt_column_int64 (stmt, 0) == 0)
    {
      const char *what = options->scope_kind == TENURE_BILL_SCOPE_PROJECT ? _("project")
                         : options->scope_kind == TENURE_BILL_SCOPE_BUILDING ? _("building")
                         : _("contract");
      /* TRANSLATORS: "There is no project “SH01” to bill." */
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("There is no %s “%s” to bill."), what, options->scope_code);
      return FALSE;
    }
  return TRUE;
}

/* The columns every selection shares, named for the outer ORDER BY. The note kind and the bill
 * a note corrects come from the billed line a difference line points at. The group key is
 * (contract code, gkind, gcorr, period, currency), ordered alike in preview, post and read-back
 * so that both number the bills the same way. */
#define PICK_COLUMNS \
  "r.id AS line_id, r.contract_id AS contract_id, c.code AS contract_code, " \
  "c.tenant_id AS tenant_id, r.charge_item_id AS charge_item_id, ci.code AS item_code, " \
  "r.kind AS kind, r.period_start AS period_start, r.period_end AS period_end, " \
  "r.due_date AS due_date, r.amount AS amount, r.tax AS tax, r.currency AS currency, " \
  "CASE WHEN r.kind = 'difference' AND o.bill_id IS NOT NULL THEN " \
  "  CASE WHEN r.amount < 0 THEN 'credit_note' ELSE 'debit_note' END " \
  "ELSE 'bill' END AS gkind, " \
  "CASE WHEN r.kind = 'difference' THEN o.bill_id END AS gcorr "

static char *
pick_where (const TenureBillRunOptions *options,
            gboolean                    with_zero,
            int                        *next_param)
{
  GString *s = g_string_new ("FROM receivable_line r "
                             "JOIN contract c ON c.id = r.contract_id "
                             "JOIN charge_item ci ON ci.id = r.charge_item_id "
                             "LEFT JOIN receivable_line o ON o.id = r.corrects_line_id "
                             "WHERE r.status = 'planned' AND r.due_date <= $1 "
                             /* Drafts and contracts awaiting approval are not billed. */
                             "AND c.status IN ('active', 'expired', 'terminated') ");
  int param = 2;

  switch (options->scope_kind)
    {
    case TENURE_BILL_SCOPE_PROJECT:
      g_string_append (s, "AND c.project_id = (SELECT id FROM project WHERE code = $2) ");
      param++;
      break;
    case TENURE_BILL_SCOPE_BUILDING:
      g_string_append (s, "AND EXISTS (SELECT 1 FROM contract_unit cu "
                          "JOIN unit u ON u.id = cu.unit_id JOIN floor f ON f.id = u.floor_id "
                          "JOIN building b ON b.id = f.building_id "
                          "WHERE cu.contract_version_id = r.contract_version_id "
                          "AND b.code = $2) ");
      param++;
      break;
    case TENURE_BILL_SCOPE_CONTRACT:
      g_string_append (s, "AND c.code = $2 ");
      param++;
      break;
    case TENURE_BILL_SCOPE_ALL:
    default:
      break;
    }
  if (with_zero)
    g_string_append_printf (s, "AND (r.amount <> 0 OR r.due_date >= $%d) ", param++);
  else
    g_string_append (s, "AND r.amount <> 0 ");
  *next_param = param;
  return g_string_free (s, FALSE);
}

static void
bind_pick (TenureStmt                 *stmt,
           const TenureBillRunOptions *options,
           gboolean                    with_zero)
{
  TenureDate first = tenure_date_from_ymd (options->year, options->month, 1);
  char last_buf[TENURE_DATE_ISO_BUF_SIZE], first_buf[TENURE_DATE_ISO_BUF_SIZE];
  int param = 2;

  tenure_date_format_iso_buf (tenure_date_add_days (tenure_date_add_months (first, 1), -1),
                              last_buf);
  tenure_date_format_iso_buf (first, first_buf);
  tenure_stmt_bind_text (stmt, 1, last_buf);
  if (options->scope_kind != TENURE_BILL_SCOPE_ALL)
    tenure_stmt_bind_text (stmt, param++, options->scope_code);
  if (with_zero)
    tenure_stmt_bind_text (stmt, param++, first_buf);
}

static TenureDate
column_date (TenureStmt *stmt,
             guint       col)
{
  TenureDate date = TENURE_DATE_INVALID;
  const char *text = tenure_stmt_column_text (stmt, col);

  if (text != NULL)
    tenure_date_parse_iso (text, &date, NULL);
  return date;
}

static void
add_anomaly (TenureBillRunResult *result,
             TenureAnomalyKind    kind,
             TenureStmt          *stmt,
             char                *message)
{
  TenureBillAnomaly *anomaly = g_new0 (TenureBillAnomaly, 1);

  anomaly->kind = kind;
  anomaly->receivable_line_id = tenure_stmt_column_int64 (stmt, 0);
  anomaly->contract_code = g_strdup (tenure_stmt_column_text (stmt, 2));
  anomaly->charge_item = g_strdup (tenure_stmt_column_text (stmt, 5));
  anomaly->period_start = column_date (stmt, 7);
  anomaly->message = message;
  g_ptr_array_add (result->anomalies, anomaly);
}

/* |a1/d1 − a0/d0| > threshold × a0/d0, exactly (in 128 bits: amount × days × ppm does not
 * fit in 64). */
static gboolean
is_jump (gint64 a0,
         gint64 d0,
         gint64 a1,
         gint64 d1,
         gint64 threshold_ppm)
{
  __int128 lhs = (__int128) a1 * d0 - (__int128) a0 * d1;

  if (a0 <= 0 || d0 <= 0 || d1 <= 0)
    return FALSE;
  if (lhs < 0)
    lhs = -lhs;
  return lhs * 1000000 > (__int128) threshold_ppm * a0 * d1;
}

static void
check_line (TenureBillRunResult        *result,
            const TenureBillRunOptions *options,
            TenureStmt                 *stmt)
{
  const char *contract = tenure_stmt_column_text (stmt, 2);
  const char *item = tenure_stmt_column_text (stmt, 5);
  const char *kind = tenure_stmt_column_text (stmt, 6);
  const char *period = tenure_stmt_column_text (stmt, 7);
  gint64 amount = tenure_stmt_column_int64 (stmt, 10);
  const char *status = tenure_stmt_column_text (stmt, 15);
  const char *last_day = tenure_stmt_column_text (stmt, 16);

  if (amount == 0)
    add_anomaly (result, TENURE_ANOMALY_ZERO_AMOUNT, stmt,
                 /* TRANSLATORS: contract code, charge item, period start; the line is skipped */
                 g_strdup_printf (_("Contract %s, %s from %s: the amount is zero; not billed."),
                                  contract, item, period));
  else if (amount < 0 && g_strcmp0 (kind, "difference") != 0)
    add_anomaly (result, TENURE_ANOMALY_NEGATIVE_AMOUNT, stmt,
                 g_strdup_printf (_("Contract %s, %s from %s: the amount is negative."),
                                  contract, item, period));

  if (g_strcmp0 (kind, "normal") == 0 && amount > 0 && !tenure_stmt_column_is_null (stmt, 17))
    {
      gint64 prev = tenure_stmt_column_int64 (stmt, 17);
      TenureDate p0 = column_date (stmt, 18), p1 = column_date (stmt, 19);
      TenureDate s = column_date (stmt, 7), e = column_date (stmt, 8);

      if (tenure_date_is_valid (p0) && tenure_date_is_valid (p1)
          && is_jump (prev, tenure_date_days_inclusive (p0, p1), amount,
                      tenure_date_days_inclusive (s, e), options->jump_threshold_ppm))
        {
          g_autofree char *limit = g_strdup_printf ("%" G_GINT64_FORMAT "%%",
                                                    options->jump_threshold_ppm / 10000);

          add_anomaly (result, TENURE_ANOMALY_JUMP, stmt,
                       /* TRANSLATORS: contract, item, period, previous period, "30%" */
                       g_strdup_printf (_("Contract %s, %s from %s: the amount per day changed "
                                          "by more than %s against the period from %s."),
                                        contract, item, period, limit,
                                        tenure_stmt_column_text (stmt, 18)));
        }
    }

  if (g_strcmp0 (status, "expired") == 0 || g_strcmp0 (status, "terminated") == 0
      || (last_day != NULL && g_strcmp0 (period, last_day) > 0))
    add_anomaly (result, TENURE_ANOMALY_EXPIRED_CONTRACT, stmt,
                 g_strdup_printf (_("Contract %s, %s from %s: the contract ended on %s."),
                                  contract, item, period, last_day));

  if (!tenure_stmt_column_is_null (stmt, 20))
    {
      /* "UNIT-CODE CONTRACT-CODE": codes hold no spaces. */
      g_auto(GStrv) pair = g_strsplit (tenure_stmt_column_text (stmt, 20), " ", 2);

      add_anomaly (result, TENURE_ANOMALY_UNIT_LEASED_TWICE, stmt,
                   /* TRANSLATORS: contract, item, period start, unit, the other contract */
                   g_strdup_printf (_("Contract %s, %s from %s: unit %s is also leased by "
                                      "active contract %s for these days."),
                                    contract, item, period, pair[0],
                                    pair[1] != NULL ? pair[1] : "?"));
    }
}

static gboolean
same_group (const TenureBillDraft *draft,
            TenureStmt            *stmt)
{
  return draft->contract_id == tenure_stmt_column_int64 (stmt, 1)
         && g_strcmp0 (draft->kind, tenure_stmt_column_text (stmt, 13)) == 0
         && draft->corrects_bill_id == tenure_stmt_column_int64 (stmt, 14)
         && draft->period_start == column_date (stmt, 7)
         && draft->period_end == column_date (stmt, 8)
         && g_strcmp0 (draft->currency, tenure_stmt_column_text (stmt, 12)) == 0;
}

TenureBillRunResult *
tenure_bill_run_preview (TenureDb                   *db,
                         const TenureBillRunOptions *options,
                         GError                    **error)
{
  g_autoptr(TenureBillRunResult) result = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  TenureBillDraft *draft = NULL;
  int next_param;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (!check_options (db, options, error))
    return NULL;

  where = pick_where (options, TRUE, &next_param);
  /* 15–16: contract status and last day; 17–19: the previous normal line of the same item;
   * 20: another active contract on one of this line's units for overlapping days. */
  sql = g_strconcat ("SELECT * FROM (SELECT " PICK_COLUMNS ", c.status AS cstatus, "
                     "coalesce (c.terminated_on, c.end_date) AS last_day, "
                     "(SELECT p.amount FROM receivable_line p WHERE p.contract_id = r.contract_id "
                     " AND p.charge_item_id = r.charge_item_id AND p.kind = 'normal' "
                     " AND p.status <> 'superseded' AND p.period_start < r.period_start "
                     " ORDER BY p.period_start DESC LIMIT 1) AS prev_amount, "
                     "(SELECT p.period_start FROM receivable_line p "
                     " WHERE p.contract_id = r.contract_id "
                     " AND p.charge_item_id = r.charge_item_id AND p.kind = 'normal' "
                     " AND p.status <> 'superseded' AND p.period_start < r.period_start "
                     " ORDER BY p.period_start DESC LIMIT 1) AS prev_start, "
                     "(SELECT p.period_end FROM receivable_line p "
                     " WHERE p.contract_id = r.contract_id "
                     " AND p.charge_item_id = r.charge_item_id AND p.kind = 'normal' "
                     " AND p.status <> 'superseded' AND p.period_start < r.period_start "
                     " ORDER BY p.period_start DESC LIMIT 1) AS prev_end, "
                     "(SELECT u.code || ' ' || c2.code FROM contract_unit cu "
                     " JOIN unit u ON u.id = cu.unit_id "
                     " JOIN contract_unit cu2 ON cu2.unit_id = cu.unit_id "
                     " JOIN contract_version v2 ON v2.id = cu2.contract_version_id "
                     " JOIN contract c2 ON c2.id = v2.contract_id "
                     " WHERE cu.contract_version_id = r.contract_version_id "
                     " AND c2.id <> r.contract_id AND c2.status = 'active' "
                     " AND v2.status = 'approved' AND c2.start_date <= r.period_end "
                     " AND coalesce (c2.terminated_on, c2.end_date) >= r.period_start "
                     " ORDER BY c2.code LIMIT 1) AS twice ",
                     where,
                     ") q ORDER BY contract_code, gkind, coalesce (gcorr, 0), period_start, "
                     "period_end, currency, item_code, line_id",
                     NULL);
  stmt = tenure_db_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_pick (stmt, options, TRUE);

  result = result_new ();
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 line_id = tenure_stmt_column_int64 (stmt, 0);
      gint64 amount = tenure_stmt_column_int64 (stmt, 10);

      check_line (result, options, stmt);
      if (amount == 0)
        continue;
      if (draft == NULL || !same_group (draft, stmt))
        {
          draft = g_new0 (TenureBillDraft, 1);
          draft->contract_id = tenure_stmt_column_int64 (stmt, 1);
          draft->contract_code = g_strdup (tenure_stmt_column_text (stmt, 2));
          draft->tenant_id = tenure_stmt_column_int64 (stmt, 3);
          draft->kind = g_strdup (tenure_stmt_column_text (stmt, 13));
          draft->corrects_bill_id = tenure_stmt_column_int64 (stmt, 14);
          draft->period_start = column_date (stmt, 7);
          draft->period_end = column_date (stmt, 8);
          draft->due_date = column_date (stmt, 9);
          draft->currency = g_strdup (tenure_stmt_column_text (stmt, 12));
          draft->line_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_ptr_array_add (result->bills, draft);
        }
      draft->due_date = MIN (draft->due_date, column_date (stmt, 9));
      draft->total += amount;
      draft->tax += tenure_stmt_column_int64 (stmt, 11);
      g_array_append_val (draft->line_ids, line_id);
      result->line_count++;
      result->total += amount;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&result);
}

/* ---- posting ------------------------------------------------------------------------------ */

static gboolean
run_sql (TenureDb    *db,
         const char  *sql,
         GError     **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, error);

  return stmt != NULL && tenure_stmt_run (stmt, error);
}

/* Every legal entity among the picked lines must have the posting date's month open. */
static gboolean
check_periods_open (TenureDb    *db,
                    TenureDate   posting_date,
                    GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) entities = g_array_new (FALSE, FALSE, sizeof (gint64));

  stmt = tenure_db_prepare (db,
                            "SELECT DISTINCT p.legal_entity_id FROM tenure_bill_pick k "
                            "JOIN contract c ON c.id = k.contract_id "
                            "JOIN project p ON p.id = c.project_id",
                            error);
  if (stmt == NULL)
    return FALSE;
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);
      g_array_append_val (entities, id);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);
  for (guint i = 0; i < entities->len; i++)
    if (!tenure_period_check_open (db, g_array_index (entities, gint64, i), posting_date, error))
      return FALSE;
  return TRUE;
}

static gint64
pick_lines (TenureDb                   *db,
            const TenureBillRunOptions *options,
            GError                    **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  gint64 count = -1;
  int next_param;

  /* Kept per connection; emptied before and after each run. */
  if (!run_sql (db, "CREATE TEMP TABLE IF NOT EXISTS tenure_bill_pick ("
                    "line_id BIGINT NOT NULL, grp BIGINT NOT NULL, contract_id BIGINT NOT NULL, "
                    "tenant_id BIGINT NOT NULL, charge_item_id BIGINT NOT NULL, "
                    "gkind TEXT NOT NULL, gcorr BIGINT, period_start TEXT NOT NULL, "
                    "period_end TEXT NOT NULL, due_date TEXT NOT NULL, amount BIGINT NOT NULL, "
                    "tax BIGINT NOT NULL, currency TEXT NOT NULL)", error)
      || !run_sql (db, "DELETE FROM tenure_bill_pick", error))
    return -1;

  where = pick_where (options, FALSE, &next_param);
  sql = g_strconcat ("INSERT INTO tenure_bill_pick (line_id, grp, contract_id, tenant_id, "
                     "charge_item_id, gkind, gcorr, period_start, period_end, due_date, amount, "
                     "tax, currency) "
                     "SELECT line_id, dense_rank () OVER (ORDER BY contract_code, gkind, "
                     "coalesce (gcorr, 0), period_start, period_end, currency), contract_id, "
                     "tenant_id, charge_item_id, gkind, gcorr, period_start, period_end, "
                     "due_date, amount, tax, currency FROM ("
                     "SELECT " PICK_COLUMNS,
                     where, ") q", NULL);
  stmt = tenure_db_prepare (db, sql, error);
  if (stmt == NULL)
    return -1;
  bind_pick (stmt, options, FALSE);
  if (!tenure_stmt_run (stmt, error))
    return -1;
  count = tenure_stmt_changes (stmt);
  return count;
}

static gint64
insert_run (TenureDb                   *db,
            const TenureBillRunOptions *options,
            GError                    **error)
{
  static const char *const scope_names[] = { "all", "project", "building", "contract" };
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *period = g_strdup_printf ("%04d-%02d", options->year, options->month);
  char posting[TENURE_DATE_ISO_BUF_SIZE];
  gint64 id;

  stmt = tenure_db_prepare (db,
                            "INSERT INTO bill_run (period, scope_kind, scope_code, posting_date) "
                            "VALUES ($1, $2, $3, $4) RETURNING id",
                            error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_text (stmt, 1, period);
  tenure_stmt_bind_text (stmt, 2, scope_names[options->scope_kind]);
  tenure_stmt_bind_text (stmt, 3, options->scope_kind == TENURE_BILL_SCOPE_ALL
                                  ? NULL : options->scope_code);
  tenure_stmt_bind_text (stmt, 4, tenure_date_format_iso_buf (options->posting_date, posting));
  if (!tenure_stmt_step_int64 (stmt, &id, error))
    return 0;
  return id;
}

static gboolean
write_bills (TenureDb                   *db,
             const TenureBillRunOptions *options,
             gint64                      run_id,
             const char                 *prefix,
             GError                    **error)
{
  g_autoptr(TenureStmt) bills = NULL;
  g_autoptr(TenureStmt) lines = NULL;
  g_autoptr(TenureStmt) mark = NULL;
  g_autoptr(TenureStmt) done = NULL;
  char posting[TENURE_DATE_ISO_BUF_SIZE];

  tenure_date_format_iso_buf (options->posting_date, posting);
  bills = tenure_db_prepare (db,
                             "INSERT INTO bill (code, bill_run_id, contract_id, tenant_id, kind, "
                             "corrects_bill_id, period_start, period_end, due_date, "
                             "posting_date, total, tax, currency) "
                             "SELECT $1 || CAST (grp AS TEXT), CAST ($2 AS BIGINT), contract_id, "
                             "tenant_id, gkind, gcorr, period_start, period_end, min (due_date), "
                             "CAST ($3 AS TEXT), sum (amount), sum (tax), currency "
                             "FROM tenure_bill_pick GROUP BY grp, contract_id, tenant_id, gkind, "
                             "gcorr, period_start, period_end, currency ORDER BY grp",
                             error);
  if (bills == NULL)
    return FALSE;
  tenure_stmt_bind_text (bills, 1, prefix);
  tenure_stmt_bind_int64 (bills, 2, run_id);
  tenure_stmt_bind_text (bills, 3, posting);
  if (!tenure_stmt_run (bills, error))
    return FALSE;

  lines = tenure_db_prepare (db,
                             "INSERT INTO bill_line (bill_id, receivable_line_id, charge_item_id, "
                             "period_start, period_end, due_date, amount, tax) "
                             "SELECT b.id, k.line_id, k.charge_item_id, k.period_start, "
                             "k.period_end, k.due_date, k.amount, k.tax "
                             "FROM tenure_bill_pick k JOIN bill b "
                             "ON b.code = $1 || CAST (k.grp AS TEXT) ORDER BY k.line_id",
                             error);
  if (lines == NULL)
    return FALSE;
  tenure_stmt_bind_text (lines, 1, prefix);
  if (!tenure_stmt_run (lines, error))
    return FALSE;

  mark = tenure_db_prepare (db,
                            "UPDATE receivable_line SET status = 'billed', bill_id = "
                            "(SELECT bl.bill_id FROM bill_line bl "
                            " WHERE bl.receivable_line_id = receivable_line.id) "
                            "WHERE id IN (SELECT line_id FROM tenure_bill_pick)",
                            error);
  if (mark == NULL || !tenure_stmt_run (mark, error))
    return FALSE;

  done = tenure_db_prepare (db,
                            "UPDATE bill_run SET status = 'posted', finished_at = tenure_now () "
                            "WHERE id = $1",
                            error);
  if (done == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (done, 1, run_id);
  return tenure_stmt_run (done, error) && run_sql (db, "DELETE FROM tenure_bill_pick", error);
}

/* The posted bills of RUN_ID as drafts with their ids and codes, in preview order. */
static gboolean
read_back (TenureDb             *db,
           gint64                run_id,
           TenureBillRunResult  *result,
           GError              **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  TenureBillDraft *draft = NULL;

  stmt = tenure_db_prepare (db,
                            "SELECT b.id, b.code, b.contract_id, c.code, b.tenant_id, b.kind, "
                            "b.corrects_bill_id, b.period_start, b.period_end, b.due_date, "
                            "b.total, b.tax, b.currency, bl.receivable_line_id, bl.amount "
                            "FROM bill b JOIN contract c ON c.id = b.contract_id "
                            "JOIN bill_line bl ON bl.bill_id = b.id "
                            "WHERE b.bill_run_id = $1 "
                            "ORDER BY c.code, b.kind, coalesce (b.corrects_bill_id, 0), "
                            "b.period_start, b.period_end, b.currency, b.id, "
                            "bl.receivable_line_id",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, run_id);
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 bill_id = tenure_stmt_column_int64 (stmt, 0);
      gint64 line_id = tenure_stmt_column_int64 (stmt, 13);

      if (draft == NULL || draft->id != bill_id)
        {
          draft = g_new0 (TenureBillDraft, 1);
          draft->id = bill_id;
          draft->code = g_strdup (tenure_stmt_column_text (stmt, 1));
          draft->contract_id = tenure_stmt_column_int64 (stmt, 2);
          draft->contract_code = g_strdup (tenure_stmt_column_text (stmt, 3));
          draft->tenant_id = tenure_stmt_column_int64 (stmt, 4);
          draft->kind = g_strdup (tenure_stmt_column_text (stmt, 5));
          draft->corrects_bill_id = tenure_stmt_column_int64 (stmt, 6);
          draft->period_start = column_date (stmt, 7);
          draft->period_end = column_date (stmt, 8);
          draft->due_date = column_date (stmt, 9);
          draft->total = tenure_stmt_column_int64 (stmt, 10);
          draft->tax = tenure_stmt_column_int64 (stmt, 11);
          draft->currency = g_strdup (tenure_stmt_column_text (stmt, 12));
          draft->line_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_ptr_array_add (result->bills, draft);
          result->total += draft->total;
        }
      g_array_append_val (draft->line_ids, line_id);
      result->line_count++;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

TenureBillRunResult *
tenure_bill_run_post (TenureDb                   *db,
                      const TenureBillRunOptions *options,
                      GCancellable               *cancellable,
                      GError                    **error)
{
  g_autoptr(TenureJobLock) lock = NULL;
  g_autoptr(TenureBillRunResult) result = NULL;
  g_autofree char *prefix = NULL;
  gint64 picked, run_id;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (!check_options (db, options, error))
    return NULL;
  if (!tenure_date_is_valid (options->posting_date))
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("A bill run needs a posting date."));
      return NULL;
    }
  lock = tenure_db_lock_job (db, JOB_KIND, options->lock_timeout_ms, cancellable, error);
  if (lock == NULL)
    return NULL;

  result = result_new ();
  if (!tenure_db_begin (db, error))
    return NULL;
  /* Lines are picked after the lock and inside the transaction: what an earlier (or killed)
   * run billed is no longer 'planned', so nothing is billed twice. */
  picked = pick_lines (db, options, error);
  if (picked < 0)
    goto fail;
  if (picked == 0)
    {
      tenure_db_rollback (db);
      return g_steal_pointer (&result);
    }
  if (!check_periods_open (db, options->posting_date, error))
    goto fail;
  run_id = insert_run (db, options, error);
  if (run_id <= 0)
    goto fail;
  prefix = g_strdup_printf ("B%04d%02d-%" G_GINT64_FORMAT "-", options->year, options->month,
                            run_id);
  if (!write_bills (db, options, run_id, prefix, error))
    goto fail;
  /* A billed deposit is a liability from the moment it is billed: its ledger entry is written
   * in the same transaction as the bill, so the ledger never lags behind the bills. */
  if (!tenure_deposit_record_billed (db, 0, NULL, error))
    goto fail;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;
  if (!tenure_db_commit (db, error))
    goto fail;
  result->bill_run_id = run_id;
  if (!read_back (db, run_id, result, error))
    return NULL;
  return g_steal_pointer (&result);

fail:
  tenure_db_rollback (db);
  return NULL;
}
