/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test-bank-import"

/* Bank accounts, import profiles and statement import into the database, on both backends
 * (bank-import on SQLite, bank-import-pg through with-postgres.sh). The files are the
 * third-party samples of ../shared/data; expected values are written by hand from those files
 * (their line numbers in comments), never taken from the parser. */

#include <string.h>
#include <xlsxwriter.h>

#include "base/tenure-error.h"
#include "collections/tenure-bank-account.h"
#include "collections/tenure-bank-import.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

#define CN_TEMPLATE "Chinese bank CSV (debit and credit columns)"

static TenureTestBackend backend;

typedef struct
{
  char     *location;
  char     *tmpdir;
  TenureDb *db;
} Fixture;

static void
db_exec (TenureDb *db, const char *sql)
{
  g_autoptr(GError) error = NULL;
  tenure_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

static gint64
query (TenureDb *db, const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 v = -1;

  g_assert_true (tenure_db_query_int64 (db, sql, &v, &error));
  g_assert_no_error (error);
  return v;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->location = tenure_test_db_new_location (backend);
  if (f->location == NULL)
    return;
  f->db = tenure_db_open (f->location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->tmpdir = tenure_test_make_tmpdir ();
  db_exec (f->db, "INSERT INTO legal_entity (code, name) VALUES ('LE', 'Entity'), "
                  "('LE2', 'Second entity')");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->db);
  if (f->location != NULL)
    tenure_test_db_drop_location (backend, f->location);
  if (f->tmpdir != NULL)
    tenure_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->location);
}

static gint64
add_account (Fixture *f, const char *code, const char *number, const char *currency)
{
  g_autoptr(GError) error = NULL;
  gint64 id = tenure_bank_account_add (f->db, code, "LE", "Test bank", number, currency,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static char *
write_tmp (Fixture *f, const char *name, const char *data, gssize len)
{
  char *path = g_build_filename (f->tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return path;
}

static char *
read_file (const char *path, gsize *len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);
  return contents;
}

static void
import_ok (Fixture                *f,
           const char             *path,
           const char             *account,
           const char             *profile,
           gboolean                dry_run,
           TenureBankImportResult *result)
{
  TenureBankImportOptions options = { .dry_run = dry_run };
  g_autoptr(GError) error = NULL;

  memset (result, 0, sizeof *result);
  g_assert_true (tenure_bank_import_file (f->db, path, account, profile, &options, result,
                                          &error));
  g_assert_no_error (error);
}

static gint64
n_lines (Fixture *f)
{
  return query (f->db, "SELECT count(*) FROM bank_statement_line");
}

static gint64
n_statements (Fixture *f)
{
  return query (f->db, "SELECT count(*) FROM bank_statement");
}

/* The import fails with @code, its message holds every one of @parts, and no row changed. */
static void
import_fails (Fixture           *f,
              const char        *path,
              const char        *account,
              const char        *profile,
              int                code,
              const char *const *parts)
{
  TenureBankImportResult result = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 lines = n_lines (f), statements = n_statements (f);

  for (guint dry = 0; dry < 2; dry++)
    {
      TenureBankImportOptions options = { .dry_run = dry };

      g_assert_false (tenure_bank_import_file (f->db, path, account, profile, &options,
                                               &result, &error));
      g_assert_error (error, TENURE_ERROR, code);
      g_test_message ("%s", error->message);
      for (guint i = 0; parts[i] != NULL; i++)
        if (strstr (error->message, parts[i]) == NULL)
          g_error ("“%s” not in the message “%s”", parts[i], error->message);
      g_assert_null (result.lines);
      g_clear_error (&error);
    }
  g_assert_cmpint (n_lines (f), ==, lines);
  g_assert_cmpint (n_statements (f), ==, statements);
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 0);
}

/* The stored line of account @account from file line @source_line, as
 * "booked|value|amount|currency|payer|payer account|memo|reference|status" (NULL as "-"). */
static char *
stored_line (Fixture *f, const char *account, guint source_line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  GString *text = g_string_new (NULL);

  stmt = tenure_db_prepare (f->db, "SELECT l.booked_on, l.value_date, l.amount, l.currency, "
                                   "l.payer_name, l.payer_account, l.memo, l.bank_reference, "
                                   "l.status FROM bank_statement_line l JOIN bank_account a "
                                   "ON a.id = l.bank_account_id "
                                   "WHERE a.code = $1 AND l.source_line = $2", &error);
  g_assert_no_error (error);
  tenure_stmt_bind_text (stmt, 1, account);
  tenure_stmt_bind_int64 (stmt, 2, source_line);
  if (!tenure_stmt_step (stmt, &error))
    {
      g_assert_no_error (error);
      g_error ("no line %u stored for account %s", source_line, account);
    }
  for (guint c = 0; c < 9; c++)
    {
      const char *v = tenure_stmt_column_text (stmt, c);
      g_string_append_printf (text, "%s%s", c > 0 ? "|" : "", v != NULL ? v : "-");
    }
  g_assert_false (tenure_stmt_step (stmt, &error));
  g_assert_no_error (error);
  return g_string_free (text, FALSE);
}

static void
assert_stored (Fixture *f, const char *account, guint source_line, const char *expected)
{
  g_autofree char *have = stored_line (f, account, source_line);
  g_assert_cmpstr (have, ==, expected);
}

static gint64
account_query (Fixture *f, const char *sql_with_code, const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (f->db, sql_with_code, &error);
  gint64 v = -1;

  g_assert_no_error (error);
  tenure_stmt_bind_text (stmt, 1, code);
  g_assert_true (tenure_stmt_step_int64 (stmt, &v, &error));
  g_assert_no_error (error);
  return v;
}

static gint64
lines_of (Fixture *f, const char *code)
{
  return account_query (f, "SELECT count(*) FROM bank_statement_line l JOIN bank_account a "
                           "ON a.id = l.bank_account_id WHERE a.code = $1", code);
}

static gint64
sum_of (Fixture *f, const char *code)
{
  return account_query (f, "SELECT coalesce(sum(l.amount), 0) FROM bank_statement_line l "
                           "JOIN bank_account a ON a.id = l.bank_account_id "
                           "WHERE a.code = $1", code);
}

/* The bank_statement row of @code as "format|file|ref|from|to|opening|closing|currency". */
static char *
stored_statement (Fixture *f, const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  GString *text = g_string_new (NULL);

  stmt = tenure_db_prepare (f->db, "SELECT s.format, s.file_name, s.statement_ref, "
                                   "s.from_date, s.to_date, s.opening_balance, "
                                   "s.closing_balance, s.currency FROM bank_statement s "
                                   "JOIN bank_account a ON a.id = s.bank_account_id "
                                   "WHERE a.code = $1 ORDER BY s.id", &error);
  g_assert_no_error (error);
  tenure_stmt_bind_text (stmt, 1, code);
  g_assert_true (tenure_stmt_step (stmt, &error));
  for (guint c = 0; c < 8; c++)
    {
      const char *v = tenure_stmt_column_text (stmt, c);
      g_string_append_printf (text, "%s%s", c > 0 ? "|" : "", v != NULL ? v : "-");
    }
  return g_string_free (text, FALSE);
}

static const TenureBankImportTotal *
total_of (const TenureBankImportResult *result, const char *currency)
{
  for (guint i = 0; i < result->totals->len; i++)
    if (strcmp (g_array_index (result->totals, TenureBankImportTotal, i).currency->code,
                currency) == 0)
      return &g_array_index (result->totals, TenureBankImportTotal, i);
  g_error ("no total in %s", currency);
  return NULL;
}

/* Imports @path again: nothing added, every line counted as skipped, no row changed. */
static void
assert_reimport_adds_nothing (Fixture *f, const char *path, const char *account,
                              const char *profile, guint lines)
{
  TenureBankImportResult again;
  gint64 before = n_lines (f), statements = n_statements (f);

  import_ok (f, path, account, profile, FALSE, &again);
  g_assert_cmpuint (again.lines_added, ==, 0);
  g_assert_cmpuint (again.lines_skipped, ==, lines);
  g_assert_cmpuint (again.statements_known, ==, again.statements);
  g_assert_cmpuint (again.totals->len, ==, 0);
  g_assert_cmpint (n_lines (f), ==, before);
  g_assert_cmpint (n_statements (f), ==, statements);
  tenure_bank_import_result_clear (&again);
}

/* ---- accounts and profiles ---------------------------------------------------------------- */

static void
test_accounts (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(TenureBankAccount) found = NULL;
  TenureBankAccount *a;

  if (f->db == NULL)
    return;
  add_account (f, "ICBC-01", "1001 2345 6789 0123 456", "CNY");
  add_account (f, "EUR-01", "NL26 VAYB 8060 4768 90", "EUR");

  accounts = tenure_bank_account_list (f->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  a = accounts->pdata[0];                        /* by code: EUR-01 first */
  g_assert_cmpstr (a->code, ==, "EUR-01");
  g_assert_cmpstr (a->legal_entity_code, ==, "LE");
  g_assert_cmpstr (a->bank_name, ==, "Test bank");
  g_assert_cmpstr (a->account_number, ==, "NL26 VAYB 8060 4768 90");
  g_assert_cmpstr (a->currency, ==, "EUR");

  /* Spaces, dashes and case do not matter. */
  found = tenure_bank_account_find_by_number (f->db, "nl26vayb8060476890", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->code, ==, "EUR-01");
  g_clear_pointer (&found, tenure_bank_account_free);
  found = tenure_bank_account_find_by_number (f->db, "1001-2345-6789-0123-456", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->code, ==, "ICBC-01");
  g_clear_pointer (&found, tenure_bank_account_free);
  g_assert_null (tenure_bank_account_find_by_number (f->db, "1001 2345 6789 0123 45", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  found = tenure_bank_account_find (f->db, "ICBC-01", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->account_number, ==, "1001 2345 6789 0123 456");
  g_assert_null (tenure_bank_account_find (f->db, "NOPE", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NOPE"));
  g_clear_error (&error);

  /* Refusals, each naming what is wrong; nothing is added. */
  g_assert_cmpint (tenure_bank_account_add (f->db, "X", "LE", "B", "10012345-67890123456",
                                            "CNY", &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "ICBC-01"));
  g_clear_error (&error);
  g_assert_cmpint (tenure_bank_account_add (f->db, "ICBC-01", "LE", "B", "999", "CNY",
                                            &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tenure_bank_account_add (f->db, "X", "NOLE", "B", "999", "CNY", &error),
                   ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NOLE"));
  g_clear_error (&error);
  g_assert_cmpint (tenure_bank_account_add (f->db, "X", "LE", "B", "999", "rmb", &error),
                   ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "rmb"));
  g_clear_error (&error);
  g_assert_cmpint (tenure_bank_account_add (f->db, "X", "LE", "B", " - ", "CNY", &error),
                   ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM bank_account"), ==, 2);
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 0);
}

#define SEK_PROFILE \
  "{\"columns\":{\"booked_on\":\"Date\",\"amount\":\"Amount\",\"payer_name\":\"Payer\"," \
  "\"bank_reference\":\"Reference\",\"memo\":\"Text\"},\"currency\":\"SEK\"}"

static void
test_profiles (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureImportProfile) chosen = NULL;
  g_autoptr(GPtrArray) list = NULL;

  if (f->db == NULL)
    return;
  add_account (f, "SEK-01", "SE45 5000 0000 0583 9825 7466", "SEK");
  add_account (f, "ICBC-01", "1001 2345 6789 0123 456", "CNY");

  /* No profile of its own: the template that recognises the usual column names; the same
   * without an account. */
  chosen = tenure_import_profile_choose (f->db, "SEK-01", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chosen->name, ==, TENURE_IMPORT_PROFILE_RECOGNISED);
  g_assert_true (chosen->builtin);
  g_clear_pointer (&chosen, tenure_import_profile_free);
  chosen = tenure_import_profile_choose (f->db, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chosen->name, ==, TENURE_IMPORT_PROFILE_RECOGNISED);
  g_clear_pointer (&chosen, tenure_import_profile_free);
  /* A template by name. */
  chosen = tenure_import_profile_choose (f->db, "ICBC-01", CN_TEMPLATE, &error);
  g_assert_no_error (error);
  g_assert_true (chosen->builtin);
  g_assert_null (chosen->account_code);
  g_clear_pointer (&chosen, tenure_import_profile_free);

  g_assert_cmpint (tenure_import_profile_add (f->db, "SEK-01", "Swedbank", SEK_PROFILE,
                                              &error), >, 0);
  g_assert_no_error (error);
  chosen = tenure_import_profile_choose (f->db, "SEK-01", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chosen->name, ==, "Swedbank");
  g_assert_cmpstr (chosen->account_code, ==, "SEK-01");
  g_assert_cmpstr (chosen->mapping, ==, SEK_PROFILE);
  g_assert_false (chosen->builtin);
  g_clear_pointer (&chosen, tenure_import_profile_free);
  /* Without an account, the name must say which. */
  chosen = tenure_import_profile_choose (f->db, NULL, "Swedbank", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chosen->account_code, ==, "SEK-01");
  g_clear_pointer (&chosen, tenure_import_profile_free);

  /* The same name twice for one account, a mapping that is not one, an unknown account. */
  g_assert_cmpint (tenure_import_profile_add (f->db, "SEK-01", "Swedbank", SEK_PROFILE,
                                              &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tenure_import_profile_add (f->db, "SEK-01", "Bad",
                                              "{\"columns\":{\"booked_on\":\"D\"}}", &error),
                   ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "columns.amount"));
  g_clear_error (&error);
  g_assert_cmpint (tenure_import_profile_add (f->db, "SEK-01", "Bad", "{not json", &error),
                   ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tenure_import_profile_add (f->db, "NOPE", "X", SEK_PROFILE, &error), ==, 0);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A second profile: choosing without a name refuses and lists both. */
  g_assert_cmpint (tenure_import_profile_add (f->db, "SEK-01", "Swedbank old", SEK_PROFILE,
                                              &error), >, 0);
  g_assert_no_error (error);
  g_assert_null (tenure_import_profile_choose (f->db, "SEK-01", NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“Swedbank”"));
  g_assert_nonnull (strstr (error->message, "“Swedbank old”"));
  g_clear_error (&error);
  g_assert_null (tenure_import_profile_choose (f->db, "SEK-01", "Nordea", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = tenure_import_profile_list (f->db, "SEK-01", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  g_assert_cmpstr (((TenureImportProfile *) list->pdata[0])->name, ==, "Swedbank");
  g_assert_cmpstr (((TenureImportProfile *) list->pdata[1])->name, ==, "Swedbank old");
  g_assert_cmpstr (((TenureImportProfile *) list->pdata[2])->name, ==, CN_TEMPLATE);
  g_assert_cmpstr (((TenureImportProfile *) list->pdata[3])->name, ==,
                   TENURE_IMPORT_PROFILE_RECOGNISED);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = tenure_import_profile_list (f->db, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (query (f->db, "SELECT count(*) FROM import_profile "
                                 "WHERE bank_account_id IS NOT NULL"), ==, 2);
}

/* ---- the shared sample files -------------------------------------------------------------- */

static void
test_camt053_v2_minimal (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tenure_test_shared_data ("camt053/camt053.v2.minimal.xml");
  g_autofree char *statement = NULL;
  TenureBankImportResult result;

  if (f->db == NULL || path == NULL)
    return;
  add_account (f, "EUR-01", "NL26VAYB8060476890", "EUR");   /* line 38 */
  import_ok (f, path, NULL, NULL, FALSE, &result);
  g_assert_cmpuint (result.statements, ==, 1);
  g_assert_cmpuint (result.lines_added, ==, 1);
  g_assert_cmpuint (result.lines_skipped, ==, 0);
  g_assert_cmpint (result.format, ==, TENURE_STATEMENT_FORMAT_CAMT053);
  g_assert_cmpuint (strlen (result.file_sha256), ==, 64);
  g_assert_cmpint (total_of (&result, "EUR")->credits, ==, 885);
  g_assert_cmpint (total_of (&result, "EUR")->debits, ==, 0);
  /* Entry at line 90: 8.85 EUR CRDT booked 2014-12-31 (96), value 2015-01-02 (99); the
   * debtor NAME NAME (121) and its IBAN (130); the creditor reference (163) as memo; no
   * AcctSvcrRef. */
  assert_stored (f, "EUR-01", 90, "2014-12-31|2015-01-02|885|EUR|NAME NAME|NL56AGDH9619008421|"
                                  "4654654654654654|-|unmatched");
  /* FrToDt 2007-10-18 (lines 32–33); OPBD 18.15 EUR (48) is kept; CLBD is given in SEK
   * (60), not the account's currency. */
  statement = stored_statement (f, "EUR-01");
  g_assert_cmpstr (statement, ==, "camt053|camt053.v2.minimal.xml|253EURNL26VAYB8060476890|"
                                  "2007-10-18|2007-10-18|1815|-|EUR");
  assert_reimport_adds_nothing (f, path, NULL, NULL, 1);
  tenure_bank_import_result_clear (&result);
}

static void
test_camt053_v4_v8 (Fixture *f, gconstpointer data)
{
  g_autofree char *v4 = tenure_test_shared_data ("camt053/camt053.v4.xml");
  g_autofree char *v8 = tenure_test_shared_data ("camt053/camt053.v8.xml");
  TenureBankImportResult result;

  if (f->db == NULL || v4 == NULL || v8 == NULL)
    return;
  add_account (f, "EUR-01", "NL26VAYB8060476890", "EUR");   /* Othr/Id, v4 line 47 */
  import_ok (f, v4, "EUR-01", NULL, FALSE, &result);
  g_assert_cmpuint (result.lines_added, ==, 1);
  /* v4 line 110: 8.85 EUR, AcctSvcrRef AAAASESS-FP-CN_98765/01 (120). */
  assert_stored (f, "EUR-01", 110, "2014-12-31|2015-01-02|885|EUR|NAME NAME|NL56AGDH9619008421|"
                                   "4654654654654654|AAAASESS-FP-CN_98765/01|unmatched");
  tenure_bank_import_result_clear (&result);
  /* v8 is another file (new SHA-256) with the same entry: the bank reference says it is
   * already there. */
  import_ok (f, v8, NULL, NULL, FALSE, &result);
  g_assert_cmpuint (result.statements_known, ==, 0);
  g_assert_cmpuint (result.lines_added, ==, 0);
  g_assert_cmpuint (result.lines_skipped, ==, 1);
  g_assert_true (((TenureBankImportLine *) result.lines->pdata[0])->duplicate);
  g_assert_cmpint (n_statements (f), ==, 2);
  g_assert_cmpint (n_lines (f), ==, 1);
  tenure_bank_import_result_clear (&result);
}

static void
test_camt053_multi (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tenure_test_shared_data ("camt053/camt053.v2.multi.statement.xml");
  g_autofree char *statement = NULL;
  TenureBankImportResult result;

  if (f->db == NULL || path == NULL)
    return;
  add_account (f, "EUR-01", "NL26VAYB8060476890", "EUR");
  import_ok (f, path, NULL, NULL, FALSE, &result);
  g_assert_cmpuint (result.statements, ==, 2);
  g_assert_cmpuint (result.lines_added, ==, 2);
  g_assert_cmpint (total_of (&result, "EUR")->credits, ==, 885);    /* line 67 */
  g_assert_cmpint (total_of (&result, "EUR")->debits, ==, 700);     /* line 146 */
  /* Both statements are for one account: one row, the first's FrToDt (32–33; the second
   * has none), first opening (48), last closing (139). */
  statement = stored_statement (f, "EUR-01");
  g_assert_cmpstr (statement, ==, "camt053|camt053.v2.multi.statement.xml|"
                                  "253EURNL26VAYB8060476890, 254EURNL26VAYB8060476890|"
                                  "2007-10-18|2007-10-18|1815|2000|EUR");
  g_assert_cmpint (n_statements (f), ==, 1);
  /* Line 66: only the creditor is given (93, its IBAN 101): it is the only party there is. */
  assert_stored (f, "EUR-01", 66, "2014-12-31|2015-01-02|885|EUR|Company Name 1|"
                                  "NL56AGDH9619008421|Transaction Description 1|-|unmatched");
  assert_stored (f, "EUR-01", 145, "2014-12-31|2015-01-02|-700|EUR|Company Name 2|"
                                   "NL56AGDH9619008421|Transaction Description 2|-|unmatched");
  assert_reimport_adds_nothing (f, path, NULL, NULL, 2);
  tenure_bank_import_result_clear (&result);
}

static void
test_mt940_abnamro (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tenure_test_shared_data ("mt940/abnamro.sta");
  g_autofree char *statement = NULL;
  TenureBankImportResult result;

  if (f->db == NULL || path == NULL)
    return;
  add_account (f, "ABN-01", "517852257", "EUR");                  /* lines 5 and 33 */
  import_ok (f, path, NULL, NULL, FALSE, &result);
  g_assert_cmpuint (result.statements, ==, 2);
  g_assert_cmpuint (result.lines_added, ==, 10);                   /* 8 + 2 :61: lines */
  g_assert_cmpint (lines_of (f, "ABN-01"), ==, 10);
  /* 9 + 11.59 + 11.63 + 11.8 + 13.45 + 15.49 + 107 + 141.48 + 9.49 + 15 */
  g_assert_cmpint (sum_of (f, "ABN-01"), ==, -34593);
  g_assert_cmpint (total_of (&result, "EUR")->debits, ==, 34593);
  g_assert_cmpuint (total_of (&result, "EUR")->debit_count, ==, 10);
  /* Line 12: D11,59 valued 2011-05-21, booked 05-23; NONREF is no reference. */
  assert_stored (f, "ABN-01", 12, "2011-05-23|2011-05-21|-1159|EUR|-|-|"
                                  "BEA   NR:XXX1234   21.05.11/12.54 DIRCKIII FIL2500 "
                                  "KATWIJK,PAS999|-|unmatched");
  /* Line 38 of the second statement: D15, on 2011-05-24. */
  assert_stored (f, "ABN-01", 38, "2011-05-24|2011-05-24|-1500|EUR|-|-|"
                                  "52.89.39.882                    MYCOM DEN HAAG|-|unmatched");
  /* :60F: C3236,28 of 2011-05-22 (line 7) and :62M: C1849,75 of 2011-05-24 (line 40). */
  statement = stored_statement (f, "ABN-01");
  g_assert_cmpstr (statement, ==, "mt940|abnamro.sta|ABN AMRO BANK NV/19321/1, "
                                  "ABN AMRO BANK NV/19322/1|2011-05-22|2011-05-24|323628|184975|"
                                  "EUR");
  assert_reimport_adds_nothing (f, path, NULL, NULL, 10);
  tenure_bank_import_result_clear (&result);
}

/* cmxl_mt940.sta: three statements for three accounts in DEM, EUR and PLN. */
static void
test_mt940_cmxl (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tenure_test_shared_data ("mt940/cmxl_mt940.sta");
  TenureBankImportResult result;

  if (f->db == NULL || path == NULL)
    return;
  add_account (f, "DEM-01", "45050050/76198810", "DEM");           /* line 2 */
  add_account (f, "EUR-02", "10020030/1234567", "EUR");            /* line 33 */
  add_account (f, "PLN-01", "BPHKPLPK/320000546101", "PLN");       /* line 50 */
  import_ok (f, path, NULL, NULL, FALSE, &result);
  g_assert_cmpuint (result.statements, ==, 3);
  g_assert_cmpuint (result.lines_added, ==, 16);
  g_assert_cmpint (lines_of (f, "DEM-01"), ==, 11);
  g_assert_cmpint (lines_of (f, "EUR-02"), ==, 2);
  g_assert_cmpint (lines_of (f, "PLN-01"), ==, 3);
  /* Each account's lines add up to closing − opening: 84437,04 − 84349,74 (lines 4, 27),
   * 4387,95 − 2187,95 (35, 45), 50040,00 − 40000,00 (52, 73). */
  g_assert_cmpint (sum_of (f, "DEM-01"), ==, 8730);
  g_assert_cmpint (sum_of (f, "EUR-02"), ==, 220000);
  g_assert_cmpint (sum_of (f, "PLN-01"), ==, 1004000);
  g_assert_cmpint (total_of (&result, "PLN")->credits, ==, 2004000);
  g_assert_cmpint (total_of (&result, "PLN")->debits, ==, 1000000);
  /* Line 36: DR800, value 2002-11-01, booked 11-02, bank reference 55555, ?32 MUELLER. */
  assert_stored (f, "EUR-02", 36, "2002-11-02|2002-11-01|-80000|EUR|MUELLER|234567|"
                                  "Miete November|55555|unmatched");
  /* Line 38: the bank gave the same reference 55555 to a second line: both are kept. */
  assert_stored (f, "EUR-02", 38, "2002-11-02|2002-11-02|300000|EUR|MUELLER|0847564700|"
                                  "Gehalt OktoberFirmaMustermannGmbH|55555|unmatched");
  /* Line 9: C18500, in DEM, no entry date (booked on the value date); :86: without
   * ?-subfields is free text (line 10). */
  assert_stored (f, "DEM-01", 9, "2013-10-17|2013-10-17|1850000|DEM|-|-|999PN2406SCHECK|-|"
                                 "unmatched");
  assert_reimport_adds_nothing (f, path, NULL, NULL, 16);
  tenure_bank_import_result_clear (&result);
}

/* betterplace_sepa_mt9401.sta: 97 entries over many accounts (the golden file counts 97). */
static void
test_mt940_betterplace (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tenure_test_shared_data ("mt940/betterplace_sepa_mt9401.sta");
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TenureBankImportResult result;
  guint n = 0;

  if (f->db == NULL || path == NULL)
    return;
  /* Register every :25: account of the file (read as text, not through the parser). */
  contents = read_file (path, NULL);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], ":25:"))
      {
        g_autofree char *number = g_strstrip (g_strdup (lines[i] + 4));
        g_autofree char *code = NULL;

        if (g_hash_table_contains (numbers, number))
          continue;
        code = g_strdup_printf ("BP-%02u", n++);
        add_account (f, code, number, "EUR");
        g_hash_table_add (numbers, g_steal_pointer (&number));
      }
  import_ok (f, path, NULL, NULL, FALSE, &result);
  g_assert_cmpuint (result.lines_added, ==, 97);
  g_assert_cmpint (n_lines (f), ==, 97);
  /* One bank_statement row per account, even where the bank split one (lines 129 and 160). */
  g_assert_cmpint (n_statements (f), ==, n);
  /* 50880050/0194774600888: D1234718,36 (line 4) to D1237628,23 (line 23). */
  g_assert_cmpint (sum_of (f, "BP-00"), ==, -123762823 + 123471836);
  g_assert_cmpint (lines_of (f, "BP-00"), ==, 7);
  /* Line 5: CR300, (a credit "C", funds code "R") on 2007-09-04, bank reference
   * 0724710345313905; the purpose is ?20–?23 of lines 6–7 joined as the bank split them
   * (the golden file's end_to_end_reference, its lines 152 and 162, is the same text after
   * "EREF+"); ?00 RETOURE is the posting text, not the memo. */
  assert_stored (f, "BP-00", 5, "2007-09-04|2007-09-04|30000|EUR|-|-|"
                                "EREF+TFNR 40005 00005MTLG:Grund nicht spezifiziert "
                                "Reject aus SEPA-Ueberweisungsauftrag|0724710345313905|"
                                "unmatched");
  assert_reimport_adds_nothing (f, path, NULL, NULL, 97);
  tenure_bank_import_result_clear (&result);
}

static void
test_ofx (Fixture *f, gconstpointer data)
{
  g_autofree char *checking = tenure_test_shared_data ("ofx/checking.ofx");
  g_autofree char *medium = tenure_test_shared_data ("ofx/bank_medium.ofx");
  TenureBankImportResult result;

  if (f->db == NULL || checking == NULL || medium == NULL)
    return;
  add_account (f, "USD-01", "1452687~7", "USD");                  /* checking.ofx line 40 */
  add_account (f, "CAD-01", "12300-000012345678", "CAD");         /* bank_medium.ofx line 13 */
  import_ok (f, checking, NULL, NULL, FALSE, &result);
  g_assert_cmpuint (result.lines_added, ==, 3);
  g_assert_cmpint (total_of (&result, "USD")->credits, ==, 1);     /* 0.01 */
  g_assert_cmpint (total_of (&result, "USD")->debits, ==, 5951);   /* 34.51 + 25.00 */
  /* Lines 46–53: 0.01 USD posted 2011-03-31 (no DTUSER: value date = posting), FITID
   * 0000486. */
  assert_stored (f, "USD-01", 46, "2011-03-31|2011-03-31|1|USD|DIVIDEND EARNED FOR PERIOD OF 03|-|"
                                  "DIVIDEND EARNED FOR PERIOD OF 03/01/2011 THROUGH 03/31/2011 "
                                  "ANNUAL PERCENTAGE YIELD EARNED IS 0.05%|0000486|unmatched");
  {
    /* DTSTART 2000-01-01 (44), DTEND 2013-05-25 (45), LEDGERBAL 100.99 (73). */
    g_autofree char *statement = stored_statement (f, "USD-01");
    g_assert_cmpstr (statement, ==, "ofx|checking.ofx|-|2000-01-01|2013-05-25|-|10099|USD");
  }
  tenure_bank_import_result_clear (&result);

  import_ok (f, medium, NULL, NULL, FALSE, &result);
  g_assert_cmpuint (result.lines_added, ==, 3);
  /* Line 16: -316.67 CAD on 2009-04-02. */
  assert_stored (f, "CAD-01", 16, "2009-04-02|2009-04-02|-31667|CAD|Joe's Bald Hairstyles|-|"
                                  "MISCELLANEOUS PAYMENTS;Joe's Bald Hairstyles|"
                                  "0000123456782009040200004|unmatched");
  assert_reimport_adds_nothing (f, checking, NULL, NULL, 3);
  assert_reimport_adds_nothing (f, medium, "CAD-01", NULL, 3);
  tenure_bank_import_result_clear (&result);
}

static void
test_cn_bank_csv (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tenure_test_shared_data ("cn-bank/example-statement-gbk.csv");
  g_autofree char *statement = NULL;
  TenureBankImportResult result;

  if (f->db == NULL || path == NULL)
    return;
  /* Registered with dashes; the file writes it with spaces (line 1). */
  add_account (f, "ICBC-01", "1001-2345-6789-0123-456", "CNY");
  import_ok (f, path, NULL, CN_TEMPLATE, FALSE, &result);
  g_assert_cmpint (result.format, ==, TENURE_STATEMENT_FORMAT_CSV);
  g_assert_cmpuint (result.lines_added, ==, 10);                   /* lines 7–16 */
  /* The totals row (line 17): 3,025.00 out, 341,959.57 in. */
  g_assert_cmpint (total_of (&result, "CNY")->credits, ==, 34195957);
  g_assert_cmpint (total_of (&result, "CNY")->debits, ==, 302500);
  g_assert_cmpuint (total_of (&result, "CNY")->credit_count, ==, 8);
  g_assert_cmpuint (total_of (&result, "CNY")->debit_count, ==, 2);
  assert_stored (f, "ICBC-01", 7, "2026-11-02|2026-11-02|8625000|CNY|上海星河餐饮管理有限公司|"
                                  "31001520313050001234|SH-XH01 星河广场 HT-2026-0012 "
                                  "第四季度租金|2026110009000|unmatched");
  assert_stored (f, "ICBC-01", 9, "2026-11-03|2026-11-03|-2500|CNY|-|-|跨行汇款手续费|2026110029002|"
                                  "unmatched");
  assert_stored (f, "ICBC-01", 13, "2026-11-10|2026-11-10|15000000|CNY|星河控股集团有限公司|"
                                   "31001520313050009999|集团代付 星河餐饮 青禾零售 11月租金|"
                                   "2026110069006|unmatched");
  assert_stored (f, "ICBC-01", 16, "2026-11-20|2026-11-20|1832|CNY|-|-|活期结息|2026110099009|"
                                   "unmatched");
  /* 起止日期 2026-11-01 至 2026-11-30 (line 4); no balance column in the template. */
  statement = stored_statement (f, "ICBC-01");
  g_assert_cmpstr (statement, ==, "csv|example-statement-gbk.csv|-|2026-11-01|2026-11-30|-|-|"
                                  "CNY");
  assert_reimport_adds_nothing (f, path, "ICBC-01", CN_TEMPLATE, 10);
  tenure_bank_import_result_clear (&result);
}

/* An Excel export through the account's profile: the account found by the number above the
 * header, rows stored with their sheet row; imported again, nothing is added. */
static void
test_xlsx (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  lxw_workbook *book;
  lxw_worksheet *sheet;
  lxw_format *date_format;
  lxw_datetime day = { 2026, 3, 5, 0, 0, 0 };
  TenureBankImportResult result;

  if (f->db == NULL)
    return;
  path = g_build_filename (f->tmpdir, "statement.xlsx", NULL);
  book = workbook_new (path);
  sheet = workbook_add_worksheet (book, NULL);
  date_format = workbook_add_format (book);
  format_set_num_format (date_format, "yyyy-mm-dd");
  worksheet_write_string (sheet, 0, 0, "账号：6222-0000-1111", NULL);
  worksheet_write_string (sheet, 2, 0, "记账日期", NULL);
  worksheet_write_string (sheet, 2, 1, "金额", NULL);
  worksheet_write_string (sheet, 2, 2, "对方户名", NULL);
  worksheet_write_string (sheet, 2, 3, "流水号", NULL);
  worksheet_write_datetime (sheet, 3, 0, &day, date_format);
  worksheet_write_number (sheet, 3, 1, 12480.5, NULL);
  worksheet_write_string (sheet, 3, 2, "ACME Ltd", NULL);
  worksheet_write_string (sheet, 3, 3, "X-1", NULL);
  worksheet_write_string (sheet, 4, 0, "2026-03-06", NULL);
  worksheet_write_string (sheet, 4, 1, "-1,234.56", NULL);
  worksheet_write_string (sheet, 4, 3, "X-2", NULL);
  g_assert_cmpint (workbook_close (book), ==, LXW_NO_ERROR);

  add_account (f, "USD-02", "6222 0000 1111", "USD");
  g_assert_cmpint (tenure_import_profile_add (f->db, "USD-02", "Excel",
                                              "{\"columns\":{\"booked_on\":\"记账日期\","
                                              "\"amount\":\"金额\",\"payer_name\":\"对方户名\","
                                              "\"bank_reference\":\"流水号\"},\"currency\":\"USD\"}",
                                              NULL), >, 0);
  import_ok (f, path, "USD-02", NULL, FALSE, &result);
  g_assert_cmpint (result.format, ==, TENURE_STATEMENT_FORMAT_XLSX);
  g_assert_cmpuint (result.lines_added, ==, 2);
  /* Sheet rows 4 and 5 (1-based, as Excel shows them). */
  assert_stored (f, "USD-02", 4, "2026-03-05|2026-03-05|1248050|USD|ACME Ltd|-|-|X-1|"
                                 "unmatched");
  assert_stored (f, "USD-02", 5, "2026-03-06|2026-03-06|-123456|USD|-|-|-|X-2|unmatched");
  {
    g_autofree char *statement = stored_statement (f, "USD-02");
    g_assert_cmpstr (statement, ==, "xlsx|statement.xlsx|-|-|-|-|-|USD");
  }
  tenure_bank_import_result_clear (&result);
  assert_reimport_adds_nothing (f, path, "USD-02", NULL, 2);
}

/* ---- overlaps, duplicates, currencies, dry run -------------------------------------------- */

/* The GBK statement with one new line before the totals: only that line is added. */
static void
test_overlap_csv (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tenure_test_shared_data ("cn-bank/example-statement-gbk.csv");
  g_autofree char *gbk = NULL, *utf8 = NULL, *copy = NULL, *copy_gbk = NULL, *copy_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = NULL;
  g_auto(GStrv) rows = NULL;
  TenureBankImportResult result;
  gsize len, copy_len;

  if (f->db == NULL || path == NULL)
    return;
  add_account (f, "ICBC-01", "1001 2345 6789 0123 456", "CNY");
  g_assert_cmpint (tenure_import_profile_add (f->db, "ICBC-01", "ICBC export",
                                              "{\"header_contains\":\"交易日期\",\"columns\":"
                                              "{\"booked_on\":\"交易日期\",\"debit\":"
                                              "\"借方发生额(支取)\",\"credit\":"
                                              "\"贷方发生额(收入)\",\"payer_name\":\"对方户名\","
                                              "\"memo\":\"用途\",\"bank_reference\":"
                                              "\"交易流水号\"}}", &error), >, 0);
  g_assert_no_error (error);
  /* The account's only profile is used when none is named. */
  import_ok (f, path, "ICBC-01", NULL, FALSE, &result);
  g_assert_cmpuint (result.lines_added, ==, 10);
  tenure_bank_import_result_clear (&result);

  gbk = read_file (path, &len);
  utf8 = g_convert (gbk, len, "UTF-8", "GBK", NULL, NULL, &error);
  g_assert_no_error (error);
  rows = g_strsplit (utf8, "\n", -1);
  text = g_string_new (NULL);
  for (guint i = 0; rows[i] != NULL; i++)
    {
      if (g_str_has_prefix (rows[i], "合计"))
        g_string_append (text, "2026-11-30,17:00:00,,转账,,\"9,999.99\",\"1,348,934.56\","
                               "HT-2026-0099 12月租金,上海新客户有限公司,6222000000000001,"
                               "工商银行,2026113009999\r\n");
      g_string_append (text, rows[i]);
      if (rows[i + 1] != NULL)
        g_string_append_c (text, '\n');
    }
  copy = g_string_free (g_steal_pointer (&text), FALSE);
  copy_gbk = g_convert (copy, -1, "GBK", "UTF-8", NULL, &copy_len, &error);
  g_assert_no_error (error);
  copy_path = write_tmp (f, "statement-2.csv", copy_gbk, (gssize) copy_len);

  import_ok (f, copy_path, "ICBC-01", NULL, TRUE, &result);   /* dry run first */
  g_assert_cmpuint (result.lines_added, ==, 1);
  g_assert_cmpuint (result.lines_skipped, ==, 10);
  g_assert_cmpint (n_lines (f), ==, 10);
  g_assert_cmpint (n_statements (f), ==, 1);
  tenure_bank_import_result_clear (&result);
  import_ok (f, copy_path, "ICBC-01", NULL, FALSE, &result);
  g_assert_cmpuint (result.lines_added, ==, 1);
  g_assert_cmpuint (result.lines_skipped, ==, 10);
  g_assert_cmpint (total_of (&result, "CNY")->credits, ==, 999999);
  g_assert_cmpint (n_lines (f), ==, 11);
  g_assert_cmpint (n_statements (f), ==, 2);
  assert_stored (f, "ICBC-01", 17, "2026-11-30|2026-11-30|999999|CNY|上海新客户有限公司|-|"
                                   "HT-2026-0099 12月租金|2026113009999|unmatched");
  tenure_bank_import_result_clear (&result);
}

/* abnamro.sta has no bank references (NONREF): lines are known by their content. A copy with
 * one amount changed adds that line only. */
static void
test_overlap_mt940 (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tenure_test_shared_data ("mt940/abnamro.sta");
  g_autofree char *contents = NULL, *copy_path = NULL;
  char *at;
  TenureBankImportResult result;

  if (f->db == NULL || path == NULL)
    return;
  add_account (f, "ABN-01", "517852257", "EUR");
  import_ok (f, path, NULL, NULL, FALSE, &result);
  g_assert_cmpuint (result.lines_added, ==, 10);
  tenure_bank_import_result_clear (&result);

  contents = read_file (path, NULL);
  at = strstr (contents, ":61:1105210523D13,45N426NONREF");       /* line 18 */
  g_assert_nonnull (at);
  at[18] = '6';                                                    /* D13,45 → D13,65 */
  copy_path = write_tmp (f, "abnamro-2.sta", contents, -1);
  import_ok (f, copy_path, NULL, NULL, FALSE, &result);
  g_assert_cmpuint (result.lines_added, ==, 1);
  g_assert_cmpuint (result.lines_skipped, ==, 9);
  g_assert_cmpint (total_of (&result, "EUR")->debits, ==, 1365);
  g_assert_cmpint (n_lines (f), ==, 11);
  for (guint i = 0; i < result.lines->len; i++)
    {
      TenureBankImportLine *line = result.lines->pdata[i];
      g_assert_true (line->duplicate == (line->line->source_line != 18));
      g_assert_true ((line->id > 0) == !line->duplicate);
    }
  tenure_bank_import_result_clear (&result);
}

#define SEK_CSV \
  "Date,Amount,Payer,Reference,Text\n" \
  "2026-01-05,\"12,500.50\",Svensson AB,SE-1,Hyra januari\n" \
  "2026-01-05,\"12,500.50\",Svensson AB,SE-2,Hyra januari\n" \
  "2026-01-06,-99.00,Banken,,Avgift\n" \
  "2026-01-06,-99.00,Banken,,Avgift\n"

/* Identical lines are separate payments when their references differ, and when neither has
 * one they are still two lines (the parser numbers identical lines). */
static void
test_identical_lines (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  TenureBankImportResult result;

  if (f->db == NULL)
    return;
  path = write_tmp (f, "sek.csv", SEK_CSV, -1);
  add_account (f, "SEK-01", "SE45 5000 0000 0583 9825 7466", "SEK");
  g_assert_cmpint (tenure_import_profile_add (f->db, "SEK-01", "Swedbank", SEK_PROFILE, NULL),
                   >, 0);
  import_ok (f, path, "SEK-01", NULL, FALSE, &result);
  g_assert_cmpuint (result.lines_added, ==, 4);
  g_assert_cmpint (lines_of (f, "SEK-01"), ==, 4);
  assert_stored (f, "SEK-01", 2, "2026-01-05|2026-01-05|1250050|SEK|Svensson AB|-|"
                                 "Hyra januari|SE-1|unmatched");
  assert_stored (f, "SEK-01", 3, "2026-01-05|2026-01-05|1250050|SEK|Svensson AB|-|"
                                 "Hyra januari|SE-2|unmatched");
  assert_stored (f, "SEK-01", 5, "2026-01-06|2026-01-06|-9900|SEK|Banken|-|Avgift|-|unmatched");
  g_assert_cmpint (total_of (&result, "SEK")->credits, ==, 2500100);
  g_assert_cmpint (total_of (&result, "SEK")->debits, ==, 19800);
  assert_reimport_adds_nothing (f, path, "SEK-01", "Swedbank", 4);
  tenure_bank_import_result_clear (&result);
}

/* JPY has no minor unit, CHF and SEK two: each line keeps its currency. */
static void
test_currencies (Fixture *f, gconstpointer data)
{
  const char *jpy =
    ":20:STMT-JPY-1\n:25:0001-1234567\n:28C:1/1\n:60F:C260101JPY1000000,\n"
    ":61:2601050105C150000,NTRFNONREF//JP-1\n:86:Rent January Tanaka\n"
    ":61:2601060106D3300,NCHGNONREF//JP-2\n:86:Bank fee\n"
    ":62F:C260106JPY1146700,\n-\n";
  g_autofree char *jpy_path = NULL;
  g_autofree char *v8 = tenure_test_shared_data ("camt053/camt053.v8.xml");
  g_autofree char *xml = NULL, *chf_path = NULL, *sek_path = NULL;
  g_autoptr(GRegex) eur = NULL;
  TenureBankImportResult result;

  if (f->db == NULL || v8 == NULL)
    return;
  jpy_path = write_tmp (f, "jpy.sta", jpy, -1);
  add_account (f, "JPY-01", "0001 1234567", "JPY");
  import_ok (f, jpy_path, NULL, NULL, FALSE, &result);
  g_assert_cmpint (total_of (&result, "JPY")->credits, ==, 150000);
  g_assert_cmpint (total_of (&result, "JPY")->debits, ==, 3300);
  assert_stored (f, "JPY-01", 5, "2026-01-05|2026-01-05|150000|JPY|-|-|Rent January Tanaka|"
                                 "JP-1|unmatched");
  {
    g_autofree char *statement = stored_statement (f, "JPY-01");
    g_assert_cmpstr (statement, ==, "mt940|jpy.sta|STMT-JPY-1/1/1|2026-01-01|2026-01-06|1000000|"
                                    "1146700|JPY");
  }
  tenure_bank_import_result_clear (&result);

  /* camt053.v8.xml with every EUR amount in CHF. */
  xml = read_file (v8, NULL);
  eur = g_regex_new ("Ccy=\"EUR\"", 0, 0, NULL);
  {
    g_autofree char *chf = g_regex_replace_literal (eur, xml, -1, 0, "Ccy=\"CHF\"", 0, NULL);
    chf_path = write_tmp (f, "chf.xml", chf, -1);
  }
  add_account (f, "CHF-01", "NL26VAYB8060476890", "CHF");
  import_ok (f, chf_path, NULL, NULL, FALSE, &result);
  g_assert_cmpuint (result.lines_added, ==, 1);
  assert_stored (f, "CHF-01", 110, "2014-12-31|2015-01-02|885|CHF|NAME NAME|NL56AGDH9619008421|"
                                   "4654654654654654|AAAASESS-FP-CN_98765/01|unmatched");
  tenure_bank_import_result_clear (&result);

  sek_path = write_tmp (f, "sek.csv", SEK_CSV, -1);
  add_account (f, "SEK-01", "SE45 5000 0000 0583 9825 7466", "SEK");
  g_assert_cmpint (tenure_import_profile_add (f->db, "SEK-01", "Swedbank", SEK_PROFILE, NULL),
                   >, 0);
  import_ok (f, sek_path, "SEK-01", NULL, FALSE, &result);
  tenure_bank_import_result_clear (&result);

  g_assert_cmpint (query (f->db, "SELECT count(*) FROM bank_statement_line l JOIN bank_account "
                                 "a ON a.id = l.bank_account_id WHERE l.currency <> a.currency"),
                   ==, 0);
  g_assert_cmpint (query (f->db, "SELECT count(DISTINCT currency) FROM bank_statement_line"),
                   ==, 3);
}

/* A dry run returns what the import will do, line by line, and writes nothing. */
static void
test_dry_run (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tenure_test_shared_data ("mt940/cmxl_mt940.sta");
  TenureBankImportResult dry, real;

  if (f->db == NULL || path == NULL)
    return;
  add_account (f, "DEM-01", "45050050/76198810", "DEM");
  add_account (f, "EUR-02", "10020030/1234567", "EUR");
  add_account (f, "PLN-01", "BPHKPLPK/320000546101", "PLN");
  import_ok (f, path, NULL, NULL, TRUE, &dry);
  g_assert_cmpint (n_lines (f), ==, 0);
  g_assert_cmpint (n_statements (f), ==, 0);
  g_assert_cmpuint (dry.statements, ==, 3);
  g_assert_cmpuint (dry.lines_added, ==, 16);
  g_assert_cmpuint (dry.lines->len, ==, 16);
  import_ok (f, path, NULL, NULL, FALSE, &real);
  g_assert_cmpuint (real.lines_added, ==, dry.lines_added);
  g_assert_cmpuint (real.lines_skipped, ==, dry.lines_skipped);
  g_assert_cmpuint (real.totals->len, ==, dry.totals->len);
  for (guint i = 0; i < dry.totals->len; i++)
    {
      TenureBankImportTotal *d = &g_array_index (dry.totals, TenureBankImportTotal, i);
      TenureBankImportTotal *r = &g_array_index (real.totals, TenureBankImportTotal, i);

      g_assert_cmpstr (d->currency->code, ==, r->currency->code);
      g_assert_cmpint (d->credits, ==, r->credits);
      g_assert_cmpint (d->debits, ==, r->debits);
      g_assert_cmpuint (d->credit_count, ==, r->credit_count);
      g_assert_cmpuint (d->debit_count, ==, r->debit_count);
    }
  for (guint i = 0; i < dry.lines->len; i++)
    {
      TenureBankImportLine *d = dry.lines->pdata[i], *r = real.lines->pdata[i];
      g_assert_cmpstr (d->account_code, ==, r->account_code);
      g_assert_cmpuint (d->line->source_line, ==, r->line->source_line);
      g_assert_false (d->duplicate);
      g_assert_cmpint (d->id, ==, 0);
      g_assert_cmpint (r->id, >, 0);
    }
  g_assert_cmpstr (((TenureBankImportLine *) dry.lines->pdata[15])->account_code, ==, "PLN-01");
  tenure_bank_import_result_clear (&dry);
  tenure_bank_import_result_clear (&real);
  /* After the import, a dry run sees every line as known. */
  import_ok (f, path, NULL, NULL, TRUE, &dry);
  g_assert_cmpuint (dry.lines_added, ==, 0);
  g_assert_cmpuint (dry.lines_skipped, ==, 16);
  g_assert_cmpuint (dry.statements_known, ==, 3);
  tenure_bank_import_result_clear (&dry);
}

/* ---- bad input: a clear message, nothing written ------------------------------------------ */

static void
bad_input_set_up (Fixture *f)
{
  g_autofree char *checking = tenure_test_shared_data ("ofx/checking.ofx");
  TenureBankImportResult result;

  /* Rows already there, so "unchanged" means something. */
  add_account (f, "USD-01", "1452687~7", "USD");
  add_account (f, "EUR-01", "NL26VAYB8060476890", "EUR");
  add_account (f, "ICBC-01", "1001 2345 6789 0123 456", "CNY");
  if (checking != NULL)
    {
      import_ok (f, checking, NULL, NULL, FALSE, &result);
      tenure_bank_import_result_clear (&result);
    }
}

static void
test_bad_truncated_xml (Fixture *f, gconstpointer data)
{
  g_autofree char *v4 = tenure_test_shared_data ("camt053/camt053.v4.xml");
  g_autofree char *xml = NULL, *cut = NULL;
  const char *const parts[] = { "cut.xml", "line", NULL };
  gsize len;

  if (f->db == NULL || v4 == NULL)
    return;
  bad_input_set_up (f);
  xml = read_file (v4, &len);
  cut = write_tmp (f, "cut.xml", xml, (gssize) (len / 2));
  import_fails (f, cut, NULL, NULL, TENURE_ERROR_PARSE, parts);
}

static void
test_bad_encoding (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = tenure_test_shared_data ("cn-bank/example-statement-gbk.csv");
  g_autofree char *gbk = NULL, *utf8 = NULL, *utf16 = NULL, *utf16_path = NULL;
  g_autofree char *bin_path = NULL;
  g_autoptr(GError) error = NULL;
  const char *const utf16_parts[] = { "utf16.csv", "line 1", NULL };
  const char *const bin_parts[] = { "binary.csv", "line ", "NUL", NULL };
  guint8 binary[512];
  gsize len, utf16_len;

  if (f->db == NULL || csv == NULL)
    return;
  bad_input_set_up (f);
  gbk = read_file (csv, &len);
  utf8 = g_convert (gbk, len, "UTF-8", "GBK", NULL, NULL, &error);
  g_assert_no_error (error);
  /* UTF-16 with its byte-order mark, as Excel's "Unicode text" writes it, is read as such
   * (no import: the account must stay empty for the cases below). */
  utf16 = g_convert (utf8, -1, "UTF-16", "UTF-8", NULL, &utf16_len, &error);
  g_assert_no_error (error);
  utf16_path = write_tmp (f, "utf16-bom.csv", utf16, (gssize) utf16_len);
  {
    TenureBankImportResult result;

    import_ok (f, utf16_path, "ICBC-01", CN_TEMPLATE, TRUE, &result);
    g_assert_cmpuint (result.lines_added, ==, 10);
    g_assert_cmpint (total_of (&result, "CNY")->credits, ==, 34195957);
    tenure_bank_import_result_clear (&result);
  }
  g_clear_pointer (&utf16, g_free);
  g_clear_pointer (&utf16_path, g_free);
  /* Without the mark, UTF-16 is not text in any encoding a bank CSV comes in. */
  utf16 = g_convert (utf8, -1, "UTF-16LE", "UTF-8", NULL, &utf16_len, &error);
  g_assert_no_error (error);
  utf16_path = write_tmp (f, "utf16.csv", utf16, (gssize) utf16_len);
  import_fails (f, utf16_path, "ICBC-01", CN_TEMPLATE, TENURE_ERROR_ENCODING, utf16_parts);

  for (guint i = 0; i < sizeof binary; i++)
    binary[i] = (guint8) ((i * 151u + 7u) % 256u);
  bin_path = write_tmp (f, "binary.csv", (const char *) binary, sizeof binary);
  import_fails (f, bin_path, "ICBC-01", CN_TEMPLATE, TENURE_ERROR_ENCODING, bin_parts);
}

static void
test_bad_columns (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL, *missing = NULL;
  const char *const parts[] = { "sek.csv", "交易日期", NULL };
  const char *const missing_parts[] = { "missing.csv", "line 1", "Reference", NULL };

  if (f->db == NULL)
    return;
  path = write_tmp (f, "sek.csv", SEK_CSV, -1);
  missing = write_tmp (f, "missing.csv", "Date,Amount,Payer,Text\n2026-01-05,1.00,A,B\n", -1);
  bad_input_set_up (f);
  g_assert_cmpint (tenure_import_profile_add (f->db, "ICBC-01", "Swedbank", SEK_PROFILE, NULL),
                   >, 0);
  /* A Swedish export through the Chinese template: no header row fits. */
  import_fails (f, path, "ICBC-01", CN_TEMPLATE, TENURE_ERROR_PARSE, parts);
  /* A header that lacks a column the profile maps. */
  import_fails (f, missing, "ICBC-01", "Swedbank", TENURE_ERROR_PARSE, missing_parts);
}

static void
test_bad_date (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  const char *const parts[] = { "date.csv", "line 3", "2026-02-30", NULL };

  if (f->db == NULL)
    return;
  path = write_tmp (f, "date.csv", "Date,Amount,Payer,Reference,Text\n"
                                   "2026-01-05,1.00,A,R1,ok\n"
                                   "2026-02-30,2.00,B,R2,impossible\n", -1);
  bad_input_set_up (f);
  g_assert_cmpint (tenure_import_profile_add (f->db, "ICBC-01", "Swedbank", SEK_PROFILE, NULL),
                   >, 0);
  import_fails (f, path, "ICBC-01", NULL, TENURE_ERROR_PARSE, parts);
}

static void
test_bad_account (Fixture *f, gconstpointer data)
{
  g_autofree char *medium = tenure_test_shared_data ("ofx/bank_medium.ofx");
  g_autofree char *cmxl = tenure_test_shared_data ("mt940/cmxl_mt940.sta");
  g_autofree char *jpy_path = NULL;
  const char *const unknown[] = { "bank_medium.ofx", "12300 000012345678", NULL };
  const char *const mismatch[] = { "bank_medium.ofx", "12300 000012345678", "EUR-01", NULL };
  const char *const no_code[] = { "bank_medium.ofx", "NOPE", NULL };
  const char *const later[] = { "cmxl_mt940.sta", "BPHKPLPK/320000546101", NULL };
  const char *const currency[] = { "jpy.sta", "line 5", "JPY", "EUR", NULL };

  if (f->db == NULL || medium == NULL || cmxl == NULL)
    return;
  bad_input_set_up (f);
  /* No account has the statement's number. */
  import_fails (f, medium, NULL, NULL, TENURE_ERROR_NOT_FOUND, unknown);
  /* The account given is not the statement's. */
  import_fails (f, medium, "EUR-01", NULL, TENURE_ERROR_INVALID, mismatch);
  import_fails (f, medium, "NOPE", NULL, TENURE_ERROR_NOT_FOUND, no_code);
  /* The first two statements have accounts, the third not: none is imported. */
  add_account (f, "DEM-01", "45050050/76198810", "DEM");
  add_account (f, "EUR-02", "10020030/1234567", "EUR");
  import_fails (f, cmxl, NULL, NULL, TENURE_ERROR_NOT_FOUND, later);
  /* Yen lines into a euro account. */
  add_account (f, "EUR-03", "0001 1234567", "EUR");
  jpy_path = write_tmp (f, "jpy.sta",
                        ":20:S\n:25:0001-1234567\n:28C:1/1\n:60F:C260101JPY0,\n"
                        ":61:2601050105C150000,NTRFNONREF//JP-1\n:86:Rent\n"
                        ":62F:C260105JPY150000,\n-\n", -1);
  import_fails (f, jpy_path, NULL, NULL, TENURE_ERROR_INVALID, currency);
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/bank-import/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("accounts", test_accounts);
  ADD ("profiles", test_profiles);
  ADD ("camt053/v2-minimal", test_camt053_v2_minimal);
  ADD ("camt053/v4-v8", test_camt053_v4_v8);
  ADD ("camt053/multi", test_camt053_multi);
  ADD ("mt940/abnamro", test_mt940_abnamro);
  ADD ("mt940/cmxl", test_mt940_cmxl);
  ADD ("mt940/betterplace", test_mt940_betterplace);
  ADD ("ofx", test_ofx);
  ADD ("csv/cn-bank-gbk", test_cn_bank_csv);
  ADD ("xlsx", test_xlsx);
  ADD ("overlap/csv", test_overlap_csv);
  ADD ("overlap/mt940", test_overlap_mt940);
  ADD ("identical-lines", test_identical_lines);
  ADD ("currencies", test_currencies);
  ADD ("dry-run", test_dry_run);
  ADD ("bad/truncated-xml", test_bad_truncated_xml);
  ADD ("bad/encoding", test_bad_encoding);
  ADD ("bad/columns", test_bad_columns);
  ADD ("bad/date", test_bad_date);
  ADD ("bad/account", test_bad_account);
#undef ADD
  return g_test_run ();
}
