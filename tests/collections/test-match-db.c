/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

/* Matching bank lines in the database, on SQLite and PostgreSQL (match-db, match-db-pg): a
 * run writes proposals and confirms the sure ones as receipts with allocations; reject, bulk
 * confirm, the alias learned from a confirmation, currency isolation, a stale proposal.
 * The fixture is built through the engines (contracts, plans, bill runs); expected amounts are
 * written by hand from the contracts below. */

#include <string.h>

#include "base/tenure-error.h"
#include "billing/tenure-bill-run.h"
#include "billing/tenure-plan-store.h"
#include "collections/tenure-match.h"
#include "collections/tenure-open-item.h"
#include "collections/tenure-receipt.h"
#include "contracts/tenure-contract-store.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

#define D(y, m, d) tenure_date_from_ymd (y, m, d)
#define YUAN(x) ((gint64) (x) * 100)

static TenureTestBackend backend;

typedef struct
{
  char     *location;
  TenureDb *db;
  guint     n_statements;
} Fixture;

static void
exec_sql (TenureDb   *db,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!tenure_db_exec (db, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

static gint64
query_printf (TenureDb   *db,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static gint64
query_printf (TenureDb   *db,
              const char *format,
              ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 value = 0;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  if (!tenure_db_query_int64 (db, sql, &value, &error))
    g_error ("%s: %s", sql, error->message);
  return value;
}

static char *
query_text (TenureDb   *db,
            const char *sql,
            gint64      id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, &error);

  g_assert_no_error (error);
  tenure_stmt_bind_int64 (stmt, 1, id);
  if (!tenure_stmt_step (stmt, &error))
    {
      g_assert_no_error (error);
      return NULL;
    }
  return g_strdup (tenure_stmt_column_text (stmt, 0));
}

static TenureClause *
fixed_month (const char *charge,
             gint64      amount)
{
  TenureClause *clause = tenure_clause_new (charge, TENURE_BASIS_FIXED_MONTH);

  clause->amount = amount;
  clause->alignment = TENURE_ALIGN_CALENDAR;
  return clause;
}

static void
save_contract (Fixture    *f,
               const char *code,
               const char *tenant,
               const char *unit,
               const char *currency,
               gint64      rent)
{
  g_autoptr(GError) error = NULL;
  TenureContract *contract = tenure_contract_new ();
  TenureContractVersion *version = tenure_contract_version_new ();

  contract->code = g_strdup (code);
  contract->tenant_code = g_strdup (tenant);
  contract->project_code = g_strdup ("P1");
  g_free (contract->currency);
  contract->currency = g_strdup (currency);
  contract->status = TENURE_CONTRACT_ACTIVE;
  contract->signed_on = contract->start_date = D (2026, 1, 1);
  contract->end_date = D (2026, 12, 31);
  version->version_no = 1;
  version->effective_from = D (2026, 1, 1);
  version->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (version->units, tenure_contract_unit_new (unit, 10000));
  g_ptr_array_add (version->clauses, fixed_month ("RENT", rent));
  g_ptr_array_add (contract->versions, version);
  if (!tenure_contract_store_save (f->db, contract, &error))
    g_error ("saving %s: %s", code, error->message);
  tenure_contract_free (contract);
  if (!tenure_plan_store_regenerate (f->db, code, NULL, &error))
    g_error ("storing the plan of %s: %s", code, error->message);
}

/* Legal entity LE, project P1. Tenants: T1 Alpha Trading (account 6222000011112222); GROUP
 * Gamma Holdings with subsidiary S1; T3 Euro Shop. Contracts for 2026, rent monthly in
 * advance, due on the 1st: C1 T1 10,000.00 CNY; C2 S1 4,000.00 CNY; C3 T3 1,000.00 EUR.
 * Bills of January and February 2026, posted on the 1st. Bank accounts BA-CNY, BA-EUR. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->location = tenure_test_db_new_location (backend);
  if (f->location == NULL)
    return;
  f->db = tenure_db_open (f->location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  exec_sql (f->db,
            "INSERT INTO legal_entity (code, name) VALUES ('LE', 'Entity');"
            "INSERT INTO project (code, legal_entity_id, name, format) "
            "SELECT 'P1', id, 'Mall', 'mall' FROM legal_entity;"
            "INSERT INTO building (code, project_id, name) SELECT 'B1', id, 'B' FROM project;"
            "INSERT INTO floor (code, building_id, name) SELECT 'F1', id, '1F' FROM building;"
            "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
            "SELECT 'U' || n, f.id, 'U' || n, 'mall', 10000, 10000 FROM floor f, "
            "(SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) k;"
            "INSERT INTO tenant (code, name, short_name, bank_account) "
            "VALUES ('T1', 'Alpha Trading Co., Ltd.', 'Alpha Trading', '6222000011112222');"
            "INSERT INTO tenant (code, name, bank_account) "
            "VALUES ('GROUP', 'Gamma Holdings', '6222000055556666');"
            "INSERT INTO tenant (code, name, parent_tenant_id) "
            "SELECT 'S1', 'Gamma Retail', id FROM tenant WHERE code = 'GROUP';"
            "INSERT INTO tenant (code, name) VALUES ('T3', 'Euro Shop');"
            "INSERT INTO bank_account (code, legal_entity_id, bank_name, account_number, "
            "currency) SELECT 'BA-CNY', id, 'ICBC', '6222999900001111', 'CNY' "
            "FROM legal_entity;"
            "INSERT INTO bank_account (code, legal_entity_id, bank_name, account_number, "
            "currency) SELECT 'BA-EUR', id, 'BOC', 'DE89370400440532013000', 'EUR' "
            "FROM legal_entity;");
  save_contract (f, "C1", "T1", "U1", "CNY", YUAN (10000));
  save_contract (f, "C2", "S1", "U2", "CNY", YUAN (4000));
  save_contract (f, "C3", "T3", "U3", "EUR", YUAN (1000));
  for (int month = 1; month <= 2; month++)
    {
      g_autoptr(TenureBillRunResult) result = NULL;
      TenureBillRunOptions options;

      tenure_bill_run_options_init (&options, 2026, month);
      options.posting_date = D (2026, month, 1);
      result = tenure_bill_run_post (f->db, &options, NULL, &error);
      if (result == NULL)
        g_error ("bill run 2026-%02d: %s", month, error->message);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  if (f->location != NULL)
    tenure_test_db_drop_location (backend, f->location);
  g_clear_pointer (&f->location, g_free);
}

/* The bill code and rent line of @contract for @month of 2026. */
static char *
bill_code (Fixture    *f,
           const char *contract,
           int         month)
{
  g_autofree char *sql = g_strdup_printf ("SELECT b.code FROM bill b JOIN contract c "
                                          "ON c.id = b.contract_id WHERE c.code = '%s' "
                                          "AND b.period_start = '2026-%02d-01' AND $1 = $1",
                                          contract, month);

  return query_text (f->db, sql, 1);
}

static gint64
rent_line (Fixture    *f,
           const char *contract,
           int         month)
{
  return query_printf (f->db, "SELECT bl.id FROM bill_line bl JOIN bill b ON b.id = bl.bill_id "
                              "JOIN contract c ON c.id = b.contract_id WHERE c.code = '%s' "
                              "AND bl.period_start = '2026-%02d-01'", contract, month);
}

static gint64
open_of (Fixture *f,
         gint64   line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  TenureOpenItemFilter filter = { 0 };

  filter.include_settled = TRUE;
  items = tenure_open_items_load (f->db, &filter, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    if (((TenureOpenItem *) items->pdata[i])->bill_line_id == line)
      return ((TenureOpenItem *) items->pdata[i])->open;
  g_error ("bill line %" G_GINT64_FORMAT " is not an item", line);
  return -1;
}

/* One statement with one line; returns the line's id. */
static gint64
add_line (Fixture    *f,
          const char *account,
          TenureDate  booked,
          gint64      amount,
          const char *payer_name,
          const char *payer_account,
          const char *memo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                        account, -1);
  g_autofree char *date = tenure_date_format_iso (booked);
  g_autofree char *key = g_strdup_printf ("line-%u", ++f->n_statements);
  gint64 statement, line;

  stmt = tenure_db_prepare (f->db, "INSERT INTO bank_statement (bank_account_id, format, "
                                   "file_name, file_sha256, currency) SELECT id, 'csv', $2, "
                                   "$3, currency FROM bank_account WHERE code = $1 "
                                   "RETURNING id", &error);
  g_assert_no_error (error);
  tenure_stmt_bind_text (stmt, 1, account);
  tenure_stmt_bind_text (stmt, 2, key);
  /* a distinct hash per statement */
  {
    g_autofree char *seed = g_strdup_printf ("%s%s", sha, key);
    g_autofree char *unique = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);

    tenure_stmt_bind_text (stmt, 3, unique);
    g_assert_true (tenure_stmt_step_int64 (stmt, &statement, &error));
  }
  g_assert_no_error (error);
  g_clear_pointer (&stmt, tenure_stmt_free);
  stmt = tenure_db_prepare (f->db, "INSERT INTO bank_statement_line (bank_statement_id, "
                                   "bank_account_id, booked_on, amount, currency, payer_name, "
                                   "payer_account, memo, bank_reference, dedupe_key) "
                                   "SELECT $1, s.bank_account_id, $2, $3, s.currency, $4, $5, "
                                   "$6, $7, $7 FROM bank_statement s WHERE s.id = $1 "
                                   "RETURNING id", &error);
  g_assert_no_error (error);
  tenure_stmt_bind_int64 (stmt, 1, statement);
  tenure_stmt_bind_text (stmt, 2, date);
  tenure_stmt_bind_int64 (stmt, 3, amount);
  tenure_stmt_bind_text (stmt, 4, payer_name);
  tenure_stmt_bind_text (stmt, 5, payer_account);
  tenure_stmt_bind_text (stmt, 6, memo);
  tenure_stmt_bind_text (stmt, 7, key);
  g_assert_true (tenure_stmt_step_int64 (stmt, &line, &error));
  g_assert_no_error (error);
  return line;
}

static gint64
match_of (Fixture *f,
          gint64   line)
{
  return query_printf (f->db, "SELECT id FROM bank_match WHERE bank_statement_line_id = %"
                              G_GINT64_FORMAT " ORDER BY confidence DESC, id LIMIT 1", line);
}

static char *
line_status (Fixture *f,
             gint64   line)
{
  return query_text (f->db, "SELECT status FROM bank_statement_line WHERE id = $1", line);
}

static char *
match_status (Fixture *f,
              gint64   match)
{
  return query_text (f->db, "SELECT status FROM bank_match WHERE id = $1", match);
}

static void
run (Fixture              *f,
     int                   auto_confirm,
     gboolean              dry_run,
     TenureBankMatchStats *stats)
{
  g_autoptr(GError) error = NULL;
  TenureBankMatchOptions options = { 0 };

  options.auto_confirm = auto_confirm;
  options.dry_run = dry_run;
  g_assert_true (tenure_bank_match_run (f->db, &options, stats, &error));
  g_assert_no_error (error);
}

/* A reference and its exact amount is confirmed: receipt, allocation, statuses, aliases; an
 * amount near a due date is only proposed; a debit is left alone. */
static void
test_run_confirm (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *jan = NULL;
  g_autofree char *memo = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  TenureBankMatchStats stats;
  gint64 a, b, c, receipt, match;

  if (f->db == NULL)
    return;
  jan = bill_code (f, "C1", 1);
  memo = g_strdup_printf ("付款 %s 一月租金", jan);
  a = add_line (f, "BA-CNY", D (2026, 1, 5), YUAN (10000), "ALPHA TRADING",
                "6222 0000 1111 2222", memo);
  b = add_line (f, "BA-CNY", D (2026, 1, 3), YUAN (4000), "Zhang San", "999", "转账");
  c = add_line (f, "BA-CNY", D (2026, 1, 3), -YUAN (500), "Bank", NULL, "fee");

  run (f, 0, FALSE, &stats);
  g_assert_cmpuint (stats.lines, ==, 2);
  g_assert_cmpuint (stats.proposed, ==, 2);
  g_assert_cmpuint (stats.auto_confirmed, ==, 1);
  g_assert_cmpuint (stats.by_step[1], ==, 1);
  g_assert_cmpuint (stats.by_step[3], ==, 1);
  g_assert_cmpint (stats.threshold, ==, 95);

  match = match_of (f, a);
  receipt = query_printf (f->db, "SELECT receipt_id FROM bank_match WHERE id = %"
                                 G_GINT64_FORMAT, match);
  g_assert_cmpint (query_printf (f->db, "SELECT amount FROM receipt WHERE id = %"
                                        G_GINT64_FORMAT " AND method = 'bank' AND "
                                        "bank_statement_line_id = %" G_GINT64_FORMAT
                                        " AND tenant_id = (SELECT id FROM tenant "
                                        "WHERE code = 'T1')", receipt, a), ==, YUAN (10000));
  g_assert_cmpint (query_printf (f->db, "SELECT sum (amount) FROM allocation WHERE receipt_id = "
                                        "%" G_GINT64_FORMAT " AND bill_line_id = %"
                                        G_GINT64_FORMAT, receipt, rent_line (f, "C1", 1)),
                   ==, YUAN (10000));
  g_assert_cmpint (open_of (f, rent_line (f, "C1", 1)), ==, 0);
  g_assert_cmpint (open_of (f, rent_line (f, "C1", 2)), ==, YUAN (10000));
  g_free (status);
  status = match_status (f, match);
  g_assert_cmpstr (status, ==, "confirmed");
  g_free (status);
  status = query_text (f->db, "SELECT decided_by FROM bank_match WHERE id = $1", match);
  g_assert_cmpstr (status, ==, tenure_db_get_actor (f->db));
  g_free (status);
  status = line_status (f, a);
  g_assert_cmpstr (status, ==, "matched");
  g_free (status);
  status = line_status (f, b);
  g_assert_cmpstr (status, ==, "suggested");
  g_free (status);
  status = line_status (f, c);
  g_assert_cmpstr (status, ==, "unmatched");
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM bank_match WHERE "
                                        "bank_statement_line_id = %" G_GINT64_FORMAT
                                        " AND step = 3 AND reason = 'amount_near_due' "
                                        "AND status = 'proposed' AND receipt_id IS NULL", b),
                   ==, 1);
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM receipt"), ==, 1);
  /* learned: the account and the name, for T1 */
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM payer_alias a JOIN tenant t ON "
                                        "t.id = a.tenant_id WHERE t.code = 'T1' AND ((a.kind = "
                                        "'account' AND a.value = '6222000011112222') OR (a.kind = "
                                        "'name' AND a.value = 'alphatrading')) "
                                        "AND confirmed_count = 1"), ==, 2);

  queue = tenure_bank_queue_load (f->db, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 1);
  {
    TenureBankQueueLine *q = queue->pdata[0];
    TenureBankMatchEntry *e;

    g_assert_cmpint (q->line_id, ==, b);
    g_assert_cmpint (q->amount, ==, YUAN (4000));
    g_assert_cmpstr (q->status, ==, "suggested");
    g_assert_cmpuint (q->proposals->len, ==, 1);
    e = q->proposals->pdata[0];
    g_assert_cmpstr (e->reason, ==, "amount_near_due");
    g_assert_cmpstr (e->tenant_code, ==, "S1");
    g_assert_cmpuint (e->items->len, ==, 1);
    g_assert_cmpint (g_array_index (e->items, TenureMatchItem, 0).bill_line_id, ==,
                     rent_line (f, "C2", 1));
    g_assert_cmpint (g_array_index (e->items, TenureMatchItem, 0).amount, ==, YUAN (4000));
  }

  /* a second run finds nothing new to do */
  run (f, 0, FALSE, &stats);
  g_assert_cmpuint (stats.lines, ==, 0);
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM bank_match"), ==, 2);
}

/* Rejecting sends the line back to the queue, and the next run does not propose it again. */
static void
test_reject (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  TenureBankMatchStats stats;
  gint64 b, match;

  if (f->db == NULL)
    return;
  b = add_line (f, "BA-CNY", D (2026, 1, 3), YUAN (4000), "Zhang San", "999", "转账");
  run (f, 0, FALSE, &stats);
  match = match_of (f, b);
  g_assert_true (tenure_bank_match_reject (f->db, match, &error));
  g_assert_no_error (error);
  status = match_status (f, match);
  g_assert_cmpstr (status, ==, "rejected");
  g_free (status);
  status = line_status (f, b);
  g_assert_cmpstr (status, ==, "unmatched");

  run (f, 0, FALSE, &stats);
  g_assert_cmpuint (stats.lines, ==, 1);
  g_assert_cmpuint (stats.unmatched, ==, 1);
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM bank_match"), ==, 1);
  g_free (status);
  status = line_status (f, b);
  g_assert_cmpstr (status, ==, "unmatched");

  /* neither a rejected one nor an unknown one can be rejected or confirmed */
  g_assert_false (tenure_bank_match_reject (f->db, match, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tenure_bank_match_confirm (f->db, match, TENURE_DATE_INVALID, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tenure_bank_match_confirm (f->db, 9999, TENURE_DATE_INVALID, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
}

/* Nothing confirmed by the run (threshold above 100), then in bulk: first "all ≥ 95", then
 * by id. */
static void
test_bulk_confirm (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *jan = NULL;
  TenureBankMatchStats stats;
  gint64 a, b, ids[1];
  int n;

  if (f->db == NULL)
    return;
  jan = bill_code (f, "C1", 1);
  a = add_line (f, "BA-CNY", D (2026, 1, 5), YUAN (10000), NULL, NULL, jan);
  b = add_line (f, "BA-CNY", D (2026, 1, 3), YUAN (4000), "Zhang San", "999", "转账");
  run (f, 101, FALSE, &stats);
  g_assert_cmpuint (stats.auto_confirmed, ==, 0);
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM receipt"), ==, 0);

  n = tenure_bank_match_confirm_bulk (f->db, NULL, 0, 95, TENURE_DATE_INVALID, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpint (open_of (f, rent_line (f, "C1", 1)), ==, 0);
  g_assert_cmpint (open_of (f, rent_line (f, "C2", 1)), ==, YUAN (4000));

  ids[0] = match_of (f, b);
  n = tenure_bank_match_confirm_bulk (f->db, ids, 1, 0, D (2026, 1, 31), &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpint (open_of (f, rent_line (f, "C2", 1)), ==, 0);
  /* the suggestion named S1, so S1's receipt, posted on the date given */
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM receipt r JOIN tenant t ON "
                                        "t.id = r.tenant_id WHERE t.code = 'S1' AND "
                                        "r.posting_date = '2026-01-31' AND r.amount = %"
                                        G_GINT64_FORMAT, YUAN (4000)), ==, 1);
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM bank_statement_line "
                                        "WHERE status = 'matched' AND id IN (%" G_GINT64_FORMAT
                                        ", %" G_GINT64_FORMAT ")", a, b), ==, 2);
}

/* A new account confirmed once pays by itself next time (step 2 through the alias). */
static void
test_alias_learned (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *jan = NULL;
  g_autofree char *reason = NULL;
  TenureBankMatchStats stats;
  gint64 first, second;

  if (f->db == NULL)
    return;
  jan = bill_code (f, "C1", 1);
  first = add_line (f, "BA-CNY", D (2026, 1, 5), YUAN (10000), "Alpha New Name Ltd",
                    "8888 7777 6666", jan);
  run (f, 0, FALSE, &stats);
  g_assert_cmpuint (stats.auto_confirmed, ==, 1);
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM payer_alias WHERE kind = "
                                        "'account' AND value = '888877776666'"), ==, 1);

  second = add_line (f, "BA-CNY", D (2026, 2, 3), YUAN (10000), NULL, "8888-7777-6666",
                     "FEB");
  run (f, 0, FALSE, &stats);
  g_assert_cmpuint (stats.lines, ==, 1);
  g_assert_cmpuint (stats.auto_confirmed, ==, 1);
  g_assert_cmpuint (stats.by_step[2], ==, 1);
  reason = query_text (f->db, "SELECT reason FROM bank_match WHERE bank_statement_line_id = $1",
                       second);
  g_assert_cmpstr (reason, ==, "payer_single_bill");
  g_assert_cmpint (open_of (f, rent_line (f, "C1", 2)), ==, 0);
  g_assert_cmpint (query_printf (f->db, "SELECT confirmed_count FROM payer_alias WHERE kind = "
                                        "'account' AND value = '888877776666'"), ==, 2);
  g_assert_cmpint (first, !=, second);
}

/* An EUR line never pays a CNY item, even naming its bill; it pays the EUR one. */
static void
test_currency (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *cny = NULL;
  g_autofree char *eur = NULL;
  g_autofree char *status = NULL;
  TenureBankMatchStats stats;
  gint64 wrong, right, receipt;

  if (f->db == NULL)
    return;
  cny = bill_code (f, "C1", 1);
  eur = bill_code (f, "C3", 1);
  wrong = add_line (f, "BA-EUR", D (2026, 1, 5), YUAN (10000), "Alpha Trading",
                    "6222000011112222", cny);
  right = add_line (f, "BA-EUR", D (2026, 1, 6), YUAN (1000), "Euro Shop", NULL, eur);
  run (f, 0, FALSE, &stats);
  g_assert_cmpuint (stats.lines, ==, 2);
  g_assert_cmpuint (stats.unmatched, ==, 1);
  g_assert_cmpuint (stats.auto_confirmed, ==, 1);
  status = line_status (f, wrong);
  g_assert_cmpstr (status, ==, "unmatched");
  g_assert_cmpint (open_of (f, rent_line (f, "C1", 1)), ==, YUAN (10000));
  receipt = query_printf (f->db, "SELECT receipt_id FROM bank_match WHERE "
                                 "bank_statement_line_id = %" G_GINT64_FORMAT, right);
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM receipt WHERE id = %"
                                        G_GINT64_FORMAT " AND currency = 'EUR' AND amount = %"
                                        G_GINT64_FORMAT, receipt, YUAN (1000)), ==, 1);
  g_assert_cmpint (open_of (f, rent_line (f, "C3", 1)), ==, 0);
}

/* Paid by someone else after the proposal: confirming is refused and writes nothing. */
static void
test_stale (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *jan = NULL;
  g_autofree char *status = NULL;
  TenureBankMatchStats stats;
  TenureReceiptInput in = { 0 };
  TenureAllocationRequest request;
  gint64 a, match, cash;

  if (f->db == NULL)
    return;
  jan = bill_code (f, "C1", 1);
  a = add_line (f, "BA-CNY", D (2026, 1, 5), YUAN (10000), NULL, NULL, jan);
  run (f, 101, FALSE, &stats);
  match = match_of (f, a);

  in.tenant_code = "T1";
  in.method = TENURE_RECEIPT_CASH;
  in.received_on = D (2026, 1, 4);
  in.amount = YUAN (10000);
  in.legal_entity_code = "LE";
  cash = tenure_receipt_add (f->db, &in, &error);
  g_assert_no_error (error);
  request.bill_line_id = rent_line (f, "C1", 1);
  request.amount = YUAN (10000);
  g_assert_true (tenure_receipt_allocate (f->db, cash, &request, 1, NULL, TENURE_DATE_INVALID,
                                          NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (tenure_bank_match_confirm (f->db, match, TENURE_DATE_INVALID, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "out of date"));
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM receipt"), ==, 1);
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM payer_alias"), ==, 0);
  status = match_status (f, match);
  g_assert_cmpstr (status, ==, "proposed");
  g_free (status);
  status = line_status (f, a);
  g_assert_cmpstr (status, ==, "suggested");
}

/* A dry run counts and writes nothing. */
static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *jan = NULL;
  TenureBankMatchStats stats;

  if (f->db == NULL)
    return;
  jan = bill_code (f, "C1", 1);
  add_line (f, "BA-CNY", D (2026, 1, 5), YUAN (10000), NULL, NULL, jan);
  run (f, 0, TRUE, &stats);
  g_assert_cmpuint (stats.lines, ==, 1);
  g_assert_cmpuint (stats.auto_confirmed, ==, 1);
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM bank_match"), ==, 0);
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM receipt"), ==, 0);
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM bank_statement_line "
                                        "WHERE status = 'unmatched'"), ==, 1);
}

/* A bill paid in two transfers in one statement: both confirmed, the bill settled. */
static void
test_split (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *jan = NULL;
  TenureBankMatchStats stats;

  if (f->db == NULL)
    return;
  jan = bill_code (f, "C1", 1);
  add_line (f, "BA-CNY", D (2026, 1, 3), YUAN (4000), NULL, "6222000011112222", jan);
  add_line (f, "BA-CNY", D (2026, 1, 5), YUAN (6000), NULL, "6222000011112222", jan);
  run (f, 0, FALSE, &stats);
  g_assert_cmpuint (stats.auto_confirmed, ==, 2);
  g_assert_cmpint (open_of (f, rent_line (f, "C1", 1)), ==, 0);
  g_assert_cmpint (query_printf (f->db, "SELECT count(*) FROM receipt"), ==, 2);
}

/* A setting that is not a number is named. */
static void
test_bad_setting (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (f->db == NULL)
    return;
  exec_sql (f->db, "INSERT INTO setting (key, value) VALUES ('matching.auto_confirm', 'high')");
  g_assert_false (tenure_bank_match_run (f->db, NULL, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "matching.auto_confirm"));
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/match/db/run-confirm", test_run_confirm);
  ADD ("/match/db/reject", test_reject);
  ADD ("/match/db/bulk-confirm", test_bulk_confirm);
  ADD ("/match/db/alias-learned", test_alias_learned);
  ADD ("/match/db/currency", test_currency);
  ADD ("/match/db/stale", test_stale);
  ADD ("/match/db/dry-run", test_dry_run);
  ADD ("/match/db/split", test_split);
  ADD ("/match/db/bad-setting", test_bad_setting);
#undef ADD
  return g_test_run ();
}
