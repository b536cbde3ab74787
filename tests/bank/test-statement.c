/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test-bank"

#include <json-glib/json-glib.h>
#include <xlsxwriter.h>
#include <string.h>

#include "bank/tenure-statement.h"
#include "base/tenure-error.h"
#include "store/tenure-db.h"
#include "tenure-test-util.h"

/* The built-in profile of migration 0002 (src/core/store/migrations/sqlite/0002-*.sql); the
 * store test below reads the same text from a migrated database. */
#define CN_BANK_PROFILE \
  "{\"header_contains\":\"交易日期\",\"columns\":{\"booked_on\":\"交易日期\"," \
  "\"debit\":\"借方发生额(支取)\",\"credit\":\"贷方发生额(收入)\",\"payer_name\":\"对方户名\"," \
  "\"payer_account\":\"对方账号\",\"memo\":\"用途\",\"bank_reference\":\"交易流水号\"}}"

static GPtrArray *
parse_shared (const char *relative, const char *profile_json)
{
  g_autofree char *path = tenure_test_shared_data (relative);
  g_autoptr(TenureBankProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *statements;

  if (path == NULL)
    return NULL;
  if (profile_json != NULL)
    {
      profile = tenure_bank_profile_new_from_json (profile_json, &error);
      g_assert_no_error (error);
    }
  statements = tenure_statement_parse_file (path, TENURE_STATEMENT_FORMAT_UNKNOWN, profile,
                                            &error);
  g_assert_no_error (error);
  g_assert_nonnull (statements);
  return statements;
}

static GPtrArray *
parse_text (const char *text, gssize len, const char *profile_json, GError **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, len < 0 ? strlen (text) : (gsize) len);
  g_autoptr(TenureBankProfile) profile = NULL;

  if (profile_json != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      profile = tenure_bank_profile_new_from_json (profile_json, &local_error);
      g_assert_no_error (local_error);
    }
  return tenure_statement_parse_bytes (bytes, "test.txt", TENURE_STATEMENT_FORMAT_UNKNOWN,
                                       profile, error);
}

static TenureStatementLine *
line_at (TenureStatement *statement, guint index)
{
  g_assert_cmpuint (index, <, statement->lines->len);
  return g_ptr_array_index (statement->lines, index);
}

static void
assert_date (TenureDate date, const char *iso)
{
  g_autofree char *text = tenure_date_format_iso (date);
  g_assert_cmpstr (text, ==, iso);
}

static void
assert_money (TenureMoney money, gint64 minor, const char *code)
{
  g_assert_nonnull (money.currency);
  g_assert_cmpstr (money.currency->code, ==, code);
  g_assert_cmpint (money.minor, ==, minor);
}

/* opening + Σ lines = closing: the bank's own check that every amount and sign is right. */
static void
assert_balances_add_up (TenureStatement *statement)
{
  gint64 sum = statement->opening.amount.minor;

  g_assert_true (statement->opening.set);
  g_assert_true (statement->closing.set);
  for (guint i = 0; i < statement->lines->len; i++)
    sum += line_at (statement, i)->amount.minor;
  g_assert_cmpint (sum, ==, statement->closing.amount.minor);
}

/* Every line of every statement has its own key. */
static void
assert_keys_distinct (GPtrArray *statements)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint s = 0; s < statements->len; s++)
    {
      TenureStatement *statement = g_ptr_array_index (statements, s);
      for (guint i = 0; i < statement->lines->len; i++)
        {
          const char *key = line_at (statement, i)->dedupe_key;
          g_assert_true (g_str_has_prefix (key, "ref:") || g_str_has_prefix (key, "sha256:"));
          g_assert_false (g_hash_table_contains (keys, key));
          g_hash_table_add (keys, (gpointer) key);
        }
    }
}

static char *
read_shared (const char *relative, gsize *len)
{
  g_autofree char *path = tenure_test_shared_data (relative);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (path == NULL)
    return NULL;
  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);
  return contents;
}

static void
assert_fails (const char *text, gssize len, const char *profile_json, int code,
              const char *const *parts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statements = parse_text (text, len, profile_json, &error);

  g_assert_null (statements);
  g_assert_error (error, TENURE_ERROR, code);
  g_test_message ("%s", error->message);
  for (guint i = 0; parts[i] != NULL; i++)
    g_assert_nonnull (strstr (error->message, parts[i]));
}

/* ---- camt.053 ---------------------------------------------------------------------------- */

static const char *
json_str (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? json_node_get_string (node) : NULL;
}

static JsonObject *
json_obj (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  g_assert_nonnull (node);
  return JSON_NODE_HOLDS_NULL (node) ? NULL : json_node_get_object (node);
}

/* A golden "Money\Money": minor units and currency. */
static void
assert_money_golden (TenureMoney money, JsonObject *golden)
{
  gint64 minor = g_ascii_strtoll (json_str (golden, "getAmount"), NULL, 10);
  const char *code = json_str (json_obj (golden, "getCurrency"), "getCode");
  assert_money (money, minor, code);
}

/* A golden DateTimeImmutable "2014-12-31T00:00:00+00:00": its day. */
static void
assert_date_golden (TenureDate date, JsonObject *golden)
{
  g_autofree char *day = g_strndup (json_str (golden, "0"), 10);
  assert_date (date, day);
}

static void
test_camt053_v2_golden (void)
{
  g_autoptr(GPtrArray) statements = parse_shared ("camt053/camt053.v2.minimal.xml", NULL);
  g_autofree char *golden_path = tenure_test_shared_data (
    "camt053/camt053.v2.minimal.expected.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *message, *entry, *record, *detail, *rmt;
  JsonArray *entries, *balances, *parties;
  TenureStatement *statement;
  TenureStatementLine *line;
  gboolean found_debtor = FALSE;

  if (statements == NULL || golden_path == NULL)
    return;
  json_parser_load_from_file (parser, golden_path, &error);
  g_assert_no_error (error);
  message = json_node_get_object (json_parser_get_root (parser));
  entries = json_object_get_array_member (message, "getEntries");

  g_assert_cmpuint (statements->len, ==, 1);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpuint (statement->lines->len, ==, json_array_get_length (entries));
  entry = json_array_get_object_element (entries, 0);
  record = json_obj (entry, "getRecord");
  g_assert_cmpstr (statement->statement_id, ==, json_str (record, "getId"));
  g_assert_cmpstr (statement->account, ==,
                   json_str (json_obj (record, "getAccount"), "getIdentification"));
  g_assert_cmpint (statement->format, ==, TENURE_STATEMENT_FORMAT_CAMT053);

  /* Four balances, each in its own currency (EUR, SEK, CHF, and JPY without minor unit). */
  balances = json_object_get_array_member (record, "getBalances");
  g_assert_cmpuint (statement->balances->len, ==, json_array_get_length (balances));
  for (guint i = 0; i < statement->balances->len; i++)
    {
      JsonObject *golden = json_array_get_object_element (balances, i);
      TenureStatementBalance *balance = &g_array_index (statement->balances,
                                                        TenureStatementBalance, i);
      static const char *const types[][2] = {
        { "OPBD", "opening" }, { "CLBD", "closing" }, { "OPAV", "opening_available" },
        { "CLAV", "closing_available" },
      };
      gboolean type_found = FALSE;

      assert_money_golden (balance->amount, json_obj (golden, "getAmount"));
      assert_date_golden (balance->date, json_obj (golden, "getDate"));
      for (guint t = 0; t < G_N_ELEMENTS (types); t++)
        if (strcmp (types[t][0], balance->code) == 0)
          {
            g_assert_cmpstr (types[t][1], ==, json_str (golden, "getType"));
            type_found = TRUE;
          }
      g_assert_true (type_found);
      if (strcmp (balance->code, "OPBD") == 0)
        assert_money (statement->opening.amount, balance->amount.minor, "EUR");
      if (strcmp (balance->code, "CLBD") == 0)
        assert_money (statement->closing.amount, balance->amount.minor, "SEK");
    }
  assert_money (g_array_index (statement->balances, TenureStatementBalance, 3).amount,
                -2700, "JPY");

  line = line_at (statement, 0);
  assert_money_golden (line->amount, json_obj (entry, "getAmount"));
  g_assert_cmpstr (json_str (entry, "getCreditDebitIndicator"), ==, "CRDT");
  g_assert_cmpint (line->amount.minor, >, 0);
  assert_date_golden (line->booked_on, json_obj (entry, "getBookingDate"));
  assert_date_golden (line->value_on, json_obj (entry, "getValueDate"));
  g_assert_null (json_str (entry, "getAccountServicerReference"));
  g_assert_cmpstr (line->bank_reference, ==, "");

  detail = json_obj (entry, "getTransactionDetail");
  g_assert_null (json_str (json_obj (detail, "getReference"), "getEndToEndId"));
  g_assert_cmpstr (line->end_to_end_id, ==, "");
  g_assert_cmpstr (line->transaction_code, ==,
                   json_str (json_obj (json_obj (detail, "getBankTransactionCode"),
                                       "getProprietary"), "getCode"));
  rmt = json_obj (detail, "getRemittanceInformation");
  g_assert_cmpstr (line->remittance, ==, json_str (rmt, "getMessage"));

  /* Money in: the counterparty is the debtor. */
  parties = json_object_get_array_member (detail, "getRelatedParties");
  for (guint i = 0; i < json_array_get_length (parties); i++)
    {
      JsonObject *party = json_array_get_object_element (parties, i);
      JsonObject *type = json_obj (party, "getRelatedPartyType");

      if (!g_str_has_suffix (json_str (type, "__CLASS__"), "\\Debtor"))
        continue;
      found_debtor = TRUE;
      g_assert_cmpstr (line->counterparty_name, ==, json_str (type, "getName"));
      g_assert_cmpstr (line->counterparty_account, ==,
                       json_str (json_obj (party, "getAccount"), "getIdentification"));
    }
  g_assert_true (found_debtor);
  g_assert_true (g_str_has_prefix (line->dedupe_key, "sha256:"));
}

/* Expected values by hand from camt053.v4.xml and .v8.xml (line numbers of those files). */
static void
check_camt_v4_v8 (const char *file, gboolean v8)
{
  g_autoptr(GPtrArray) statements = parse_shared (file, NULL);
  TenureStatement *statement;
  TenureStatementLine *line;

  if (statements == NULL)
    return;
  g_assert_cmpuint (statements->len, ==, 1);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpstr (statement->statement_id, ==, "253EURNL26VAYB8060476890"); /* v4:30 */
  g_assert_cmpstr (statement->account, ==, "NL26VAYB8060476890");  /* Acct/Id/Othr/Id v4:45 */
  g_assert_cmpstr (statement->currency->code, ==, "EUR");           /* no Acct/Ccy: OPBD's */
  assert_money (statement->opening.amount, 1815, "EUR");            /* v4:68 */
  assert_money (statement->closing.amount, -2700, "SEK");           /* v4:80 DBIT */
  assert_date (statement->from, "2007-10-18");
  g_assert_cmpuint (statement->balances->len, ==, 4);
  assert_money (g_array_index (statement->balances, TenureStatementBalance, 2).amount,
                3500, "CHF");
  assert_money (g_array_index (statement->balances, TenureStatementBalance, 3).amount,
                -2700, "JPY");                                      /* v4:104 "2700" JPY */
  g_assert_cmpuint (statement->lines->len, ==, 1);
  line = line_at (statement, 0);
  assert_money (line->amount, 885, "EUR");                          /* v4:111 */
  assert_date (line->booked_on, "2014-12-31");                      /* v8:117 DtTm */
  assert_date (line->value_on, "2015-01-02");
  g_assert_cmpstr (line->bank_reference, ==, "AAAASESS-FP-CN_98765/01");  /* v4:122 */
  g_assert_cmpstr (line->dedupe_key, ==, "ref:AAAASESS-FP-CN_98765/01");
  g_assert_cmpstr (line->counterparty_name, ==, "NAME NAME");      /* Dbtr (v8: Dbtr/Pty) */
  g_assert_cmpstr (line->counterparty_account, ==, "NL56AGDH9619008421");
  g_assert_cmpstr (line->remittance, ==, "4654654654654654");
  if (v8)
    {
      g_assert_cmpstr (line->end_to_end_id, ==, "MUELL/FINP/RA12345");  /* v8:135 */
      g_assert_cmpstr (line->transaction_code, ==, "PMNT/RCDT/BOOK");
    }
  else
    {
      g_assert_cmpstr (line->end_to_end_id, ==, "");
      g_assert_cmpstr (line->transaction_code, ==, "PAYM/0001/0005");
    }
}

static void
test_camt053_v4 (void)
{
  check_camt_v4_v8 ("camt053/camt053.v4.xml", FALSE);
}

static void
test_camt053_v8 (void)
{
  check_camt_v4_v8 ("camt053/camt053.v8.xml", TRUE);
}

/* camt053.v2.multi.statement.xml: two statements (lines 26 and 112). */
static void
test_camt053_multi (void)
{
  g_autoptr(GPtrArray) statements = parse_shared ("camt053/camt053.v2.multi.statement.xml",
                                                  NULL);
  TenureStatement *first, *second;
  TenureStatementLine *line;

  if (statements == NULL)
    return;
  g_assert_cmpuint (statements->len, ==, 2);
  first = g_ptr_array_index (statements, 0);
  second = g_ptr_array_index (statements, 1);
  g_assert_cmpstr (first->statement_id, ==, "253EURNL26VAYB8060476890");
  g_assert_cmpstr (second->statement_id, ==, "254EURNL26VAYB8060476890");
  assert_money (first->opening.amount, 1815, "EUR");     /* line 48 */
  assert_money (first->closing.amount, 2700, "EUR");     /* line 60 */
  assert_money (second->opening.amount, 2700, "EUR");    /* line 127 */
  assert_money (second->closing.amount, 2000, "EUR");    /* line 139 */
  assert_balances_add_up (second);

  line = line_at (first, 0);
  assert_money (line->amount, 885, "EUR");               /* line 67 CRDT */
  g_assert_cmpstr (line->end_to_end_id, ==, "000000001");
  /* Only the creditor is given (line 93): it is the only name there is. */
  g_assert_cmpstr (line->counterparty_name, ==, "Company Name 1");
  g_assert_cmpstr (line->remittance, ==, "Transaction Description 1");
  line = line_at (second, 0);
  assert_money (line->amount, -700, "EUR");              /* line 146 DBIT */
  assert_date (line->booked_on, "2014-12-31");
  assert_date (line->value_on, "2015-01-02");
  g_assert_cmpstr (line->counterparty_name, ==, "Company Name 2");   /* line 173 */
  g_assert_cmpstr (line->counterparty_account, ==, "NL56AGDH9619008421");
  g_assert_cmpstr (line->remittance, ==, "Transaction Description 2");
  g_assert_cmpstr (line->end_to_end_id, ==, "000000002");
  assert_keys_distinct (statements);
}

/* ---- MT940 ------------------------------------------------------------------------------- */

/* The few fields of the golden YAML (PyYAML dump of python-mt940 objects) the test compares:
 * a minimal reader for that one layout, not a YAML parser. */
typedef struct
{
  GHashTable *raw;   /* key → its text as in the file (first line and continuation lines) */
} GoldenTx;

static void
golden_tx_free (GoldenTx *tx)
{
  g_hash_table_unref (tx->raw);
  g_free (tx);
}

static GPtrArray *
read_golden_yaml (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *txs = g_ptr_array_new_with_free_func ((GDestroyNotify) golden_tx_free);
  GoldenTx *tx = NULL;
  GString *value = NULL;
  gboolean in_transactions = FALSE;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];

      if (strcmp (l, "transactions:") == 0)
        {
          in_transactions = TRUE;
          continue;
        }
      if (!in_transactions)
        continue;
      if (g_str_has_prefix (l, "- !!python/object:mt940.models.Transaction"))
        {
          tx = g_new0 (GoldenTx, 1);
          tx->raw = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_ptr_array_add (txs, tx);
          value = NULL;
          continue;
        }
      if (tx == NULL)
        continue;
      if (g_str_has_prefix (l, "    ") && l[4] != ' ' && l[4] != '-' && strchr (l, ':') != NULL)
        {
          const char *colon = strchr (l, ':');
          char *key = g_strndup (l + 4, colon - l - 4);
          value = g_string_new (colon[1] == ' ' ? colon + 2 : colon + 1);
          g_hash_table_replace (tx->raw, key, value);
          continue;
        }
      if (value != NULL && (g_str_has_prefix (l, "     ") || l[0] == '\0'
                            || g_str_has_prefix (l, "    - ")))
        {
          g_string_append_c (value, '\n');
          g_string_append (value, l);
        }
      else
        value = NULL;
    }
  return txs;
}

/* A scalar as YAML folds it: continuation lines joined by a space, quotes removed; NULL for
 * null. */
static char *
golden_scalar (GoldenTx *tx, const char *key)
{
  GString *raw = g_hash_table_lookup (tx->raw, key);
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) out = g_string_new ("");
  gboolean quoted;

  if (raw == NULL)
    g_error ("golden transaction without “%s”", key);
  if (strcmp (raw->str, "null") == 0)
    return NULL;
  parts = g_strsplit (raw->str, "\n", -1);
  quoted = parts[0][0] == '\'';
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *p = g_strstrip (parts[i]);
      if (i > 0 && p[0] == '\0')
        g_string_append_c (out, '\n');
      else if (i > 0 && out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c (out, ' ');
      g_string_append (out, p);
    }
  if (quoted)
    {
      g_autofree char *inner = g_strndup (out->str + 1, out->len - 2);
      g_auto(GStrv) pieces = g_strsplit (inner, "''", -1);
      return g_strjoinv ("'", pieces);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "amount: !!python/object:mt940.models.Amount" → the Decimal's text and the currency. */
static void
golden_amount (GoldenTx *tx, char **decimal, char **currency)
{
  GString *raw = g_hash_table_lookup (tx->raw, "amount");
  g_auto(GStrv) parts = g_strsplit (raw->str, "\n", -1);

  *decimal = NULL;
  *currency = NULL;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *p = g_strstrip (parts[i]);
      if (g_str_has_prefix (p, "- "))
        {
          p += 2;
          if (p[0] == '\'')
            *decimal = g_strndup (p + 1, strlen (p) - 2);
          else
            *decimal = g_strdup (p);
        }
      else if (g_str_has_prefix (p, "currency: "))
        *currency = g_strdup (p + strlen ("currency: "));
    }
  g_assert_nonnull (*decimal);
  g_assert_nonnull (*currency);
}

/* "!!python/object/apply:mt940.models.Date" with a 4-byte "!!binary" (year high, low, month,
 * day), base64. */
static TenureDate
golden_date (GoldenTx *tx, const char *key)
{
  GString *raw = g_hash_table_lookup (tx->raw, key);
  g_auto(GStrv) parts = g_strsplit (raw->str, "\n", -1);
  guint n = g_strv_length (parts);
  g_autofree guchar *bytes = NULL;
  gsize len;

  g_assert_cmpuint (n, >=, 3);
  bytes = g_base64_decode (g_strstrip (parts[n - 1]), &len);
  g_assert_cmpuint (len, ==, 4);
  return tenure_date_from_ymd (bytes[0] * 256 + bytes[1], bytes[2], bytes[3]);
}

static void
assert_same_text (const char *ours, const char *golden)
{
  g_autofree char *a = g_strstrip (g_strdup (ours));
  g_autofree char *b = g_strstrip (g_strdup (golden != NULL ? golden : ""));
  g_assert_cmpstr (a, ==, b);
}

static void
test_mt940_betterplace_golden (void)
{
  g_autoptr(GPtrArray) statements = parse_shared ("mt940/betterplace_sepa_mt9401.sta", NULL);
  g_autofree char *golden_path = tenure_test_shared_data (
    "mt940/betterplace_sepa_mt9401.expected.yml");
  g_autoptr(GPtrArray) golden = NULL;
  guint index = 0, reversals = 0, with_name = 0, with_e2e = 0;

  if (statements == NULL || golden_path == NULL)
    return;
  golden = read_golden_yaml (golden_path);
  g_assert_cmpuint (golden->len, ==, 97);

  for (guint s = 0; s < statements->len; s++)
    {
      TenureStatement *statement = g_ptr_array_index (statements, s);

      for (guint i = 0; i < statement->lines->len; i++, index++)
        {
          TenureStatementLine *line = line_at (statement, i);
          GoldenTx *tx;
          g_autofree char *decimal = NULL, *currency = NULL, *status = NULL;
          g_autofree char *bank_ref = NULL, *name = NULL, *iban = NULL, *e2e = NULL;
          g_autofree char *gvc = NULL, *reference = NULL;
          gint64 minor;

          g_assert_cmpuint (index, <, golden->len);
          tx = g_ptr_array_index (golden, index);
          g_test_message ("MT940 entry %u (line %u)", index, line->source_line);

          reference = golden_scalar (tx, "transaction_reference");
          g_assert_true (g_str_has_prefix (statement->statement_id, reference));
          golden_amount (tx, &decimal, &currency);
          g_assert_true (tenure_decimal_parse (decimal, 2, &minor, NULL));
          status = golden_scalar (tx, "status");
          if (strcmp (status, "RC") == 0)
            {
              /* python-mt940 signs only "D"; a reversed credit (RC) takes money out, which
               * the statement's own balances confirm (assert_balances_add_up below). */
              g_assert_cmpint (minor, >, 0);
              minor = -minor;
              reversals++;
            }
          assert_money (line->amount, minor, currency);
          g_assert_true (tenure_date_is_valid (line->value_on));
          g_assert_cmpint (line->value_on, ==, golden_date (tx, "date"));
          g_assert_cmpint (line->booked_on, ==, golden_date (tx, "entry_date"));

          bank_ref = golden_scalar (tx, "bank_reference");
          assert_same_text (line->bank_reference, bank_ref);
          name = golden_scalar (tx, "applicant_name");
          assert_same_text (line->counterparty_name, name);
          with_name += name != NULL;
          iban = golden_scalar (tx, "applicant_iban");
          assert_same_text (line->counterparty_account, iban);
          /* python-mt940 writes the SEPA keys only when the purpose has any. */
          if (g_hash_table_contains (tx->raw, "end_to_end_reference"))
            e2e = golden_scalar (tx, "end_to_end_reference");
          /* NONREF is SEPA's "no reference": we keep none. */
          assert_same_text (line->end_to_end_id,
                            e2e != NULL && strcmp (e2e, "NONREF") != 0 ? e2e : NULL);
          with_e2e += line->end_to_end_id[0] != '\0';
          gvc = golden_scalar (tx, "transaction_code");
          if (gvc != NULL)
            g_assert_cmpstr (line->transaction_code, ==, gvc);
        }
      assert_balances_add_up (statement);
    }
  g_assert_cmpuint (index, ==, golden->len);
  g_assert_cmpuint (reversals, ==, 2);
  g_assert_cmpuint (with_name, ==, 51);
  g_assert_cmpuint (with_e2e, >, 0);
  assert_keys_distinct (statements);
}

/* abnamro.sta by hand (line numbers of that file). */
static void
test_mt940_abnamro (void)
{
  g_autoptr(GPtrArray) statements = parse_shared ("mt940/abnamro.sta", NULL);
  TenureStatement *first, *second;
  TenureStatementLine *line;

  if (statements == NULL)
    return;
  g_assert_cmpuint (statements->len, ==, 2);
  first = g_ptr_array_index (statements, 0);
  second = g_ptr_array_index (statements, 1);
  g_assert_cmpstr (first->account, ==, "517852257");                 /* line 5 */
  g_assert_cmpstr (first->statement_id, ==, "ABN AMRO BANK NV/19321/1");
  assert_money (first->opening.amount, 323628, "EUR");               /* line 7 :60F: */
  assert_date (first->opening.date, "2011-05-22");
  assert_money (first->closing.amount, 87684, "EUR");                /* line 26 :62F: */
  g_assert_cmpuint (first->lines->len, ==, 8);
  line = line_at (first, 0);                                          /* line 8 */
  g_assert_cmpuint (line->source_line, ==, 8);
  assert_money (line->amount, -900, "EUR");                          /* "D9," */
  assert_date (line->value_on, "2011-05-24");
  assert_date (line->booked_on, "2011-05-24");
  g_assert_cmpstr (line->transaction_code, ==, "N192");
  g_assert_cmpstr (line->bank_reference, ==, "");                    /* NONREF, no // */
  /* :86: free text over three lines (9–11) */
  g_assert_cmpstr (line->remittance, ==,
                   "GIRO   428428 KPN - DIGITENNE    BETALINGSKENM.  000000042188659 "
                   "5314606715                       BETREFT FACTUUR D.D. 20-05-2011 "
                   "INCL. 1,44 BTW");
  line = line_at (first, 1);                                          /* line 12 */
  assert_money (line->amount, -1159, "EUR");
  assert_date (line->value_on, "2011-05-21");
  assert_date (line->booked_on, "2011-05-23");
  line = line_at (first, 3);                                          /* line 16: "D11,8" */
  assert_money (line->amount, -1180, "EUR");
  line = line_at (first, 6);                                          /* line 23 after a blank */
  assert_money (line->amount, -10700, "EUR");
  g_assert_true (g_str_has_prefix (line->remittance, "BEA   NR:XXX1234   21.05.11/12.04"));
  g_assert_cmpstr (second->statement_id, ==, "ABN AMRO BANK NV/19322/1");  /* :28C: line 33 */
  assert_money (second->opening.amount, 287684, "EUR");              /* :60M: line 34 */
  assert_money (second->closing.amount, 184975, "EUR");              /* :62M: line 39 */
  g_assert_cmpuint (second->lines->len, ==, 2);
  assert_money (line_at (second, 1)->amount, -1500, "EUR");         /* line 37 "D15," */
  assert_keys_distinct (statements);
}

/* cmxl_mt940.sta by hand: DEM and PLN, RC/DR marks, structured :86: across lines. */
static void
test_mt940_cmxl (void)
{
  g_autoptr(GPtrArray) statements = parse_shared ("mt940/cmxl_mt940.sta", NULL);
  TenureStatement *dem, *eur, *pln;
  TenureStatementLine *line;

  if (statements == NULL)
    return;
  g_assert_cmpuint (statements->len, ==, 3);
  dem = g_ptr_array_index (statements, 0);
  eur = g_ptr_array_index (statements, 1);
  pln = g_ptr_array_index (statements, 2);
  g_assert_cmpstr (dem->currency->code, ==, "DEM");                  /* line 4 */
  g_assert_cmpuint (dem->lines->len, ==, 11);
  assert_money (line_at (dem, 1)->amount, -62030, "DEM");           /* line 7 "D620,3" */
  assert_money (line_at (dem, 2)->amount, 1850000, "DEM");          /* line 9 */
  assert_balances_add_up (dem);                                      /* 84349,74 → 84437,04 */

  g_assert_cmpstr (eur->account, ==, "10020030/1234567");            /* line 33 */
  line = line_at (eur, 0);                                            /* line 36 */
  assert_money (line->amount, -80000, "EUR");                        /* "DR800," */
  assert_date (line->value_on, "2002-11-01");
  assert_date (line->booked_on, "2002-11-02");
  g_assert_cmpstr (line->bank_reference, ==, "55555");
  g_assert_cmpstr (line->counterparty_name, ==, "MUELLER");          /* ?32 */
  g_assert_cmpstr (line->counterparty_account, ==, "234567");        /* ?31 */
  g_assert_cmpstr (line->remittance, ==, "Miete November");          /* ?20 */
  g_assert_cmpstr (line->transaction_code, ==, "008");
  line = line_at (eur, 1);                                            /* lines 38–44 */
  assert_money (line->amount, 300000, "EUR");
  g_assert_cmpstr (line->remittance, ==, "Gehalt OktoberFirmaMustermannGmbH");
  g_assert_cmpstr (line->counterparty_account, ==, "0847564700");
  /* The bank gives both lines the reference 55555: still two lines. */
  g_assert_cmpstr (line_at (eur, 0)->dedupe_key, ==, "ref:55555");
  g_assert_cmpstr (line->dedupe_key, ==, "ref:55555#2");
  assert_balances_add_up (eur);

  g_assert_cmpstr (pln->currency->code, ==, "PLN");
  g_assert_cmpuint (pln->lines->len, ==, 3);
  line = line_at (pln, 0);                                            /* line 53 */
  assert_money (line->amount, 2000000, "PLN");
  g_assert_cmpstr (line->bank_reference, ==, "8327000090031789");
  g_assert_cmpstr (line->counterparty_name, ==,
                   "HUTA SZKLA TOPIC ULPRZEMYSLOWA 67 32-669 WROCLAW");  /* ?32 + ?33 */
  line = line_at (pln, 2);                                            /* line 70 */
  assert_money (line->amount, 4000, "PLN");
  g_assert_cmpstr (line->remittance, ==, "Odsetki od lokaty nr 101000022086");
  assert_balances_add_up (pln);
  assert_keys_distinct (statements);
}

/* ---- OFX --------------------------------------------------------------------------------- */

/* checking.ofx (SGML, one tag per line) by hand. */
static void
test_ofx_checking (void)
{
  g_autoptr(GPtrArray) statements = parse_shared ("ofx/checking.ofx", NULL);
  TenureStatement *statement;
  TenureStatementLine *line;

  if (statements == NULL)
    return;
  g_assert_cmpuint (statements->len, ==, 1);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpint (statement->format, ==, TENURE_STATEMENT_FORMAT_OFX);
  g_assert_cmpstr (statement->account, ==, "1452687~7");             /* line 40 */
  g_assert_cmpstr (statement->currency->code, ==, "USD");            /* line 37 */
  assert_date (statement->from, "2000-01-01");
  assert_date (statement->to, "2013-05-25");
  assert_money (statement->closing.amount, 10099, "USD");            /* LEDGERBAL line 71 */
  assert_date (statement->closing.date, "2013-05-25");
  g_assert_cmpuint (statement->lines->len, ==, 3);
  line = line_at (statement, 0);                                      /* lines 46–53 */
  assert_money (line->amount, 1, "USD");
  assert_date (line->booked_on, "2011-03-31");
  g_assert_cmpstr (line->bank_reference, ==, "0000486");
  g_assert_cmpstr (line->counterparty_name, ==, "DIVIDEND EARNED FOR PERIOD OF 03");
  g_assert_cmpstr (line->remittance, ==, "DIVIDEND EARNED FOR PERIOD OF 03/01/2011 THROUGH "
                   "03/31/2011 ANNUAL PERCENTAGE YIELD EARNED IS 0.05%");
  g_assert_cmpstr (line->transaction_code, ==, "CREDIT");
  line = line_at (statement, 1);
  assert_money (line->amount, -3451, "USD");
  assert_date (line->booked_on, "2011-04-05");
  line = line_at (statement, 2);
  assert_money (line->amount, -2500, "USD");
  g_assert_cmpstr (line->counterparty_name, ==, "RETURNED CHECK FEE, CHECK # 319");
  g_assert_cmpstr (line->dedupe_key, ==, "ref:0000488");
}

/* bank_medium.ofx (SGML, aggregates on few lines, dates with zones) by hand. */
static void
test_ofx_bank_medium (void)
{
  g_autoptr(GPtrArray) statements = parse_shared ("ofx/bank_medium.ofx", NULL);
  TenureStatement *statement;
  TenureStatementLine *line;

  if (statements == NULL)
    return;
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpstr (statement->account, ==, "12300 000012345678");    /* line 13 */
  g_assert_cmpstr (statement->currency->code, ==, "CAD");
  assert_money (statement->closing.amount, 38234, "CAD");            /* line 18 */
  g_assert_cmpuint (statement->lines->len, ==, 3);
  line = line_at (statement, 0);                                      /* line 15 */
  assert_money (line->amount, -660, "CAD");
  assert_date (line->booked_on, "2009-04-01");
  g_assert_cmpstr (line->counterparty_name, ==, "MCDONALD'S #112");
  g_assert_cmpstr (line->remittance, ==, "POS MERCHANDISE;MCDONALD'S #112");
  g_assert_cmpstr (line->bank_reference, ==, "0000123456782009040100001");
  line = line_at (statement, 1);                                      /* line 16 */
  assert_money (line->amount, -31667, "CAD");
  g_assert_cmpstr (line->counterparty_name, ==, "Joe's Bald Hairstyles");
  line = line_at (statement, 2);                                      /* line 17 */
  assert_money (line->amount, -2200, "CAD");
  assert_date (line->booked_on, "2009-04-03");
}

/* OFX 2 is XML: the same vocabulary with end tags and entities. */
static void
test_ofx_xml (void)
{
  const char *text =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<?OFX OFXHEADER=\"200\" VERSION=\"211\"?>\n"
    "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>JPY</CURDEF>\n"
    "<BANKACCTFROM><BANKID>0001</BANKID><ACCTID>1234567</ACCTID></BANKACCTFROM>\n"
    "<BANKTRANLIST><DTSTART>20260101</DTSTART><DTEND>20260131</DTEND>\n"
    "<STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20260105</DTPOSTED>"
    "<TRNAMT>120000</TRNAMT><FITID>A1</FITID><NAME>Sato &amp; Co</NAME>"
    "<MEMO>Rent &#x4E00;月</MEMO></STMTTRN>\n"
    "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260106120000[+9:JST]</DTPOSTED>"
    "<TRNAMT>-3300.00</TRNAMT><FITID>A2</FITID><NAME>Fee</NAME></STMTTRN>\n"
    "</BANKTRANLIST><LEDGERBAL><BALAMT>116700</BALAMT><DTASOF>20260131</DTASOF></LEDGERBAL>"
    "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statements = parse_text (text, -1, NULL, &error);
  TenureStatement *statement;

  g_assert_no_error (error);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpstr (statement->account, ==, "1234567");
  g_assert_cmpuint (statement->lines->len, ==, 2);
  /* Yen has no minor unit: 120000 yen is 120000, not 12000000. */
  assert_money (line_at (statement, 0)->amount, 120000, "JPY");
  g_assert_cmpstr (line_at (statement, 0)->counterparty_name, ==, "Sato & Co");
  g_assert_cmpstr (line_at (statement, 0)->remittance, ==, "Rent 一月");
  assert_money (line_at (statement, 1)->amount, -3300, "JPY");
  assert_date (line_at (statement, 1)->booked_on, "2026-01-06");
  assert_money (statement->closing.amount, 116700, "JPY");
}

/* OFX 1 declares its code page: Windows-1252 text becomes UTF-8; OFX 2 must be UTF-8. */
static void
test_ofx_charsets (void)
{
  const char *sgml =
    "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nENCODING:USASCII\nCHARSET:1252\n\n"
    "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><ACCTID>FR76 1</BANKACCTFROM>"
    "<BANKTRANLIST><STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260105<TRNAMT>12,50<FITID>F1"
    "<NAME>Caf\xe9 \x80 Soci\xe9t\xe9</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS>"
    "</BANKMSGSRSV1></OFX>";
  const char *xml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?OFX OFXHEADER=\"200\"?>\n"
    "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF>\n"
    "<NAME>Caf\xe9</NAME></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
  const char *const xml_parts[] = { "line 4", "0xE9", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statements = parse_text (sgml, -1, NULL, &error);
  TenureStatement *statement;

  g_assert_no_error (error);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpstr (line_at (statement, 0)->counterparty_name, ==, "Café € Société");
  /* A decimal comma, as some European banks write it. */
  assert_money (line_at (statement, 0)->amount, 1250, "EUR");
  assert_fails (xml, -1, NULL, TENURE_ERROR_ENCODING, xml_parts);
}

/* ---- bank CSV / Excel through profiles --------------------------------------------------- */

/* cn-bank/example-statement-gbk.csv by hand: GBK, six preamble lines, totals on line 17. */
static void
check_cn_bank (GPtrArray *statements)
{
  TenureStatement *statement;
  TenureStatementLine *line;
  gint64 credits = 0, debits = 0;

  g_assert_cmpuint (statements->len, ==, 1);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpint (statement->format, ==, TENURE_STATEMENT_FORMAT_CSV);
  g_assert_cmpstr (statement->account, ==, "1001 2345 6789 0123 456");  /* line 1 */
  g_assert_cmpstr (statement->currency->code, ==, "CNY");              /* line 3 人民币 */
  assert_date (statement->from, "2026-11-01");                         /* line 4 */
  assert_date (statement->to, "2026-11-30");
  g_assert_cmpuint (statement->lines->len, ==, 10);
  for (guint i = 0; i < statement->lines->len; i++)
    {
      gint64 minor = line_at (statement, i)->amount.minor;
      if (minor > 0)
        credits += minor;
      else
        debits -= minor;
    }
  g_assert_cmpint (credits, ==, 34195957);   /* 341,959.57 (SOURCES.md, line 17) */
  g_assert_cmpint (debits, ==, 302500);      /* 3,025.00 */

  line = line_at (statement, 0);              /* line 7 */
  g_assert_cmpuint (line->source_line, ==, 7);
  assert_date (line->booked_on, "2026-11-02");
  assert_money (line->amount, 8625000, "CNY");
  g_assert_cmpstr (line->counterparty_name, ==, "上海星河餐饮管理有限公司");
  g_assert_cmpstr (line->counterparty_account, ==, "31001520313050001234");
  g_assert_cmpstr (line->remittance, ==, "SH-XH01 星河广场 HT-2026-0012 第四季度租金");
  g_assert_cmpstr (line->bank_reference, ==, "2026110009000");
  g_assert_cmpstr (line->dedupe_key, ==, "ref:2026110009000");
  line = line_at (statement, 2);              /* line 9: a fee in the debit column */
  assert_money (line->amount, -2500, "CNY");
  g_assert_cmpstr (line->counterparty_name, ==, "");
  line = line_at (statement, 5);              /* line 12: deposit refund "3,000.00" */
  assert_money (line->amount, -300000, "CNY");
  g_assert_cmpstr (line->counterparty_name, ==, "王小明");
  line = line_at (statement, 6);              /* line 13: the parent pays for two */
  assert_money (line->amount, 15000000, "CNY");
  g_assert_cmpstr (line->counterparty_name, ==, "星河控股集团有限公司");
  line = line_at (statement, 9);              /* line 16: interest, unquoted 18.32 */
  assert_money (line->amount, 1832, "CNY");
  assert_date (line->booked_on, "2026-11-20");
}

static void
test_csv_cn_bank (void)
{
  g_autoptr(GPtrArray) statements = parse_shared ("cn-bank/example-statement-gbk.csv",
                                                  CN_BANK_PROFILE);
  if (statements != NULL)
    check_cn_bank (statements);
}

/* With the running balance mapped, the statement gets opening and closing balances. */
static void
test_csv_cn_bank_balance (void)
{
  g_autoptr(GPtrArray) statements = NULL;
  TenureStatement *statement;
  g_autofree char *json = g_strdup (CN_BANK_PROFILE);
  g_autofree char *with_balance = NULL;

  /* …"交易流水号"}} → …"交易流水号","balance":"余额"}} */
  json[strlen (json) - 2] = '\0';
  with_balance = g_strconcat (json, ",\"balance\":\"余额\"}}", NULL);
  statements = parse_shared ("cn-bank/example-statement-gbk.csv", with_balance);
  if (statements == NULL)
    return;
  statement = g_ptr_array_index (statements, 0);
  assert_money (statement->opening.amount, 100000000, "CNY");   /* 1,086,250.00 − 86,250.00 */
  assert_money (statement->closing.amount, 133893457, "CNY");   /* line 16: 1,338,934.57 */
  assert_balances_add_up (statement);
}

/* The mapping of a built-in profile as its migration stores it, read back from a real
 * database. */
static char *
stored_template (const char *name)
{
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autofree char *location = g_build_filename (dir, "tenure.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  char *mapping;

  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  stmt = tenure_db_prepare (db, "SELECT mapping FROM import_profile "
                                "WHERE is_builtin = 1 AND bank_account_id IS NULL "
                                "AND name = $1", &error);
  g_assert_no_error (error);
  tenure_stmt_bind_text (stmt, 1, name);
  g_assert_true (tenure_stmt_step (stmt, &error));
  g_assert_no_error (error);
  mapping = g_strdup (tenure_stmt_column_text (stmt, 0));
  g_clear_pointer (&stmt, tenure_stmt_free);
  g_clear_object (&db);
  tenure_test_rm_rf (dir);
  return mapping;
}

/* The built-in profile of migration 0002 on the sample it was written for. */
static void
test_csv_profile_from_store (void)
{
  g_autofree char *mapping = stored_template ("Chinese bank CSV (debit and credit columns)");
  g_autoptr(GPtrArray) statements = parse_shared ("cn-bank/example-statement-gbk.csv", mapping);

  if (statements != NULL)
    check_cn_bank (statements);
}

/* The built-in profile of migration 0008, which recognises the usual column names, reads the
 * same sample as the profile written for it, and finds its running balance on its own. */
static void
test_csv_recognised_sample (void)
{
  g_autofree char *mapping = stored_template ("Recognised columns");
  g_autoptr(GPtrArray) statements = parse_shared ("cn-bank/example-statement-gbk.csv", mapping);
  TenureStatement *statement;

  if (statements == NULL)
    return;
  check_cn_bank (statements);
  statement = g_ptr_array_index (statements, 0);
  assert_money (statement->opening.amount, 100000000, "CNY");   /* 1,086,250.00 − 86,250.00 */
  assert_money (statement->closing.amount, 133893457, "CNY");   /* line 16: 1,338,934.57 */
  assert_balances_add_up (statement);
}

/* Other banks' layouts through the same built-in profile, each line worked by hand: a signed
 * amount with a direction column (UTF-8 with its mark, CRLF), income and expense columns with
 * "-" for none and debits printed negative (the text from 交易用途, not the bank's 摘要), a
 * signed amount with compact dates, an English export. */
static void
test_csv_recognised_layouts (void)
{
  g_autofree char *mapping = stored_template ("Recognised columns");
  static const char direction[] =
    "\xef\xbb\xbf账号：6222 0000 1111 2222\r\n"
    "交易日期,交易时间,借贷标志,交易金额,账户余额,对方户名,对方账号,摘要,流水号\r\n"
    "2026-11-02,09:14:03,贷,\"86,250.00\",\"1,086,250.00\",上海星河餐饮管理有限公司,"
    "31001520313050001234,HT-2026-0012 租金,B001\r\n"
    "2026-11-03,10:00:00,借,25.00,\"1,086,225.00\",,,手续费,B002\r\n"
    "2026-11-04,11:00:00,C,0.50,\"1,086,225.50\",,,利息,B003\r\n";
  static const char income_expense[] =
    "记账日期,收入金额,支出金额,余额,对方名称,对方账户,摘要,交易用途,交易参考号\n"
    "2026/11/2,\"12,480.50\",-,\"512,480.50\",上海启明信息科技有限公司,1001234509876543210,"
    "转账,A座1203物业费11月,R1\n"
    "2026/11/3,-,-3000.00,\"509,480.50\",王小明,6222021001112223334,转账,押金退还,R2\n"
    "2026/11/3,—,25.00,\"509,455.50\",,,收费,手续费,R3\n";
  static const char signed_amount[] =
    "交易日,交易金额,余额,对方账户名称,附言,交易流水号\n"
    "20261105,30000,1030000,杭州青禾零售连锁有限公司,HT-2026-0077,S1\n"
    "20261106,-18.5,1029981.5,,短信费,S2\n";
  static const char english[] =
    "Date,Description,Debit,Credit,Balance,Reference\n"
    "2026-11-10,Rent November,,\"4,860.00\",\"10,000.00\",E1\n"
    "2026-11-11,Bank charge,1.20,,\"9,998.80\",E2\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statements = NULL;
  TenureStatement *statement;

  statements = parse_text (direction, -1, mapping, &error);
  g_assert_no_error (error);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpstr (statement->account, ==, "6222 0000 1111 2222");
  g_assert_cmpuint (statement->lines->len, ==, 3);
  assert_money (line_at (statement, 0)->amount, 8625000, "CNY");
  g_assert_cmpstr (line_at (statement, 0)->counterparty_name, ==, "上海星河餐饮管理有限公司");
  g_assert_cmpstr (line_at (statement, 0)->counterparty_account, ==, "31001520313050001234");
  g_assert_cmpstr (line_at (statement, 0)->remittance, ==, "HT-2026-0012 租金");
  g_assert_cmpstr (line_at (statement, 0)->bank_reference, ==, "B001");
  g_assert_cmpuint (line_at (statement, 0)->source_line, ==, 3);
  assert_money (line_at (statement, 1)->amount, -2500, "CNY");
  assert_money (line_at (statement, 2)->amount, 50, "CNY");
  assert_money (statement->opening.amount, 100000000, "CNY");
  assert_money (statement->closing.amount, 108622550, "CNY");
  assert_balances_add_up (statement);
  g_clear_pointer (&statements, g_ptr_array_unref);

  statements = parse_text (income_expense, -1, mapping, &error);
  g_assert_no_error (error);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpuint (statement->lines->len, ==, 3);
  assert_date (line_at (statement, 0)->booked_on, "2026-11-02");
  assert_money (line_at (statement, 0)->amount, 1248050, "CNY");
  g_assert_cmpstr (line_at (statement, 0)->remittance, ==, "A座1203物业费11月");
  g_assert_cmpstr (line_at (statement, 0)->counterparty_account, ==, "1001234509876543210");
  assert_money (line_at (statement, 1)->amount, -300000, "CNY");   /* "-3000.00" as a debit */
  g_assert_cmpstr (line_at (statement, 1)->counterparty_name, ==, "王小明");
  assert_money (line_at (statement, 2)->amount, -2500, "CNY");
  g_assert_cmpstr (line_at (statement, 2)->bank_reference, ==, "R3");
  assert_money (statement->opening.amount, 50000000, "CNY");
  assert_balances_add_up (statement);
  g_clear_pointer (&statements, g_ptr_array_unref);

  statements = parse_text (signed_amount, -1, mapping, &error);
  g_assert_no_error (error);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpuint (statement->lines->len, ==, 2);
  assert_date (line_at (statement, 0)->booked_on, "2026-11-05");
  assert_money (line_at (statement, 0)->amount, 3000000, "CNY");
  g_assert_cmpstr (line_at (statement, 0)->remittance, ==, "HT-2026-0077");
  assert_money (line_at (statement, 1)->amount, -1850, "CNY");
  assert_money (statement->closing.amount, 102998150, "CNY");
  assert_balances_add_up (statement);
  g_clear_pointer (&statements, g_ptr_array_unref);

  statements = parse_text (english, -1, mapping, &error);
  g_assert_no_error (error);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpuint (statement->lines->len, ==, 2);
  assert_money (line_at (statement, 0)->amount, 486000, "CNY");
  g_assert_cmpstr (line_at (statement, 0)->remittance, ==, "Rent November");
  assert_money (line_at (statement, 1)->amount, -120, "CNY");
  assert_money (statement->opening.amount, 514000, "CNY");
  assert_balances_add_up (statement);
}

/* A profile's own direction marks, and what is refused: a mark it does not know (the message
 * names the cell and the marks), a file without the date or without any amount column (the
 * message lists the names looked for). */
static void
test_csv_direction (void)
{
  const char *profile = "{\"columns\":{\"booked_on\":\"日期\",\"amount\":\"金额\","
                        "\"direction\":\"标志\"},\"credit_marks\":[\"1\"],"
                        "\"debit_marks\":[\"2\"]}";
  const char *csv = "日期,标志,金额\n2026-11-02,1,100.00\n2026-11-02,2,100.00\n"
                    "2026-11-03,2,-7.00\n";
  const char *bad_mark = "日期,标志,金额\n2026-11-02,1,100.00\n2026-11-02,贷,1.00\n";
  const char *const mark_parts[] = { "line 3, column 2 (标志)", "“贷”", "“1”", "“2”", NULL };
  g_autofree char *mapping = stored_template ("Recognised columns");
  const char *const no_date_parts[] = { "“交易日期”", "“记账日期”", "“Date”", NULL };
  const char *const no_amount_parts[] = { "line 1", "“交易金额”", "amount", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statements = parse_text (csv, -1, profile, &error);
  TenureStatement *statement;

  g_assert_no_error (error);
  statement = g_ptr_array_index (statements, 0);
  assert_money (line_at (statement, 0)->amount, 10000, "CNY");
  assert_money (line_at (statement, 1)->amount, -10000, "CNY");
  assert_money (line_at (statement, 2)->amount, -700, "CNY");   /* out, whatever the sign */
  assert_fails (bad_mark, -1, profile, TENURE_ERROR_PARSE, mark_parts);
  assert_fails ("时间,金额\n09:00,1.00\n", -1, mapping, TENURE_ERROR_PARSE, no_date_parts);
  assert_fails ("交易日期,对方户名\n2026-11-02,x\n", -1, mapping, TENURE_ERROR_PARSE,
                no_amount_parts);
}

/* An Excel export: dates as date cells, amounts as numbers, a signed amount column. */
static void
test_xlsx_signed_amount (void)
{
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "statement.xlsx", NULL);
  lxw_workbook *book = workbook_new (path);
  lxw_worksheet *sheet = workbook_add_worksheet (book, NULL);
  lxw_format *date_format = workbook_add_format (book);
  lxw_datetime day = { 2026, 3, 5, 0, 0, 0 };
  g_autoptr(TenureBankProfile) profile = NULL;
  g_autoptr(GPtrArray) statements = NULL;
  g_autoptr(GError) error = NULL;
  TenureStatement *statement;

  format_set_num_format (date_format, "yyyy-mm-dd");
  worksheet_write_string (sheet, 0, 0, "账号：6222 0000 1111", NULL);
  worksheet_write_string (sheet, 1, 0, "币种：美元", NULL);
  worksheet_write_string (sheet, 3, 0, "记账日期", NULL);
  worksheet_write_string (sheet, 3, 1, "金额", NULL);
  worksheet_write_string (sheet, 3, 2, "对方户名", NULL);
  worksheet_write_string (sheet, 3, 3, "摘要", NULL);
  worksheet_write_datetime (sheet, 4, 0, &day, date_format);
  worksheet_write_number (sheet, 4, 1, 12480.5, NULL);
  worksheet_write_string (sheet, 4, 2, "ACME Ltd", NULL);
  worksheet_write_string (sheet, 4, 3, "Rent March", NULL);
  worksheet_write_string (sheet, 5, 0, "2026/03/06", NULL);
  worksheet_write_string (sheet, 5, 1, "-1,234.56", NULL);
  /* A formula's binary noise is no extra decimal; a third decimal is. */
  worksheet_write_string (sheet, 6, 0, "2026-03-07", NULL);
  worksheet_write_number (sheet, 6, 1, 0.1 + 0.2, NULL);
  worksheet_write_string (sheet, 7, 0, "合计", NULL);
  worksheet_write_number (sheet, 7, 1, 11246.24, NULL);
  g_assert_cmpint (workbook_close (book), ==, LXW_NO_ERROR);

  profile = tenure_bank_profile_new_from_json (
    "{\"columns\":{\"booked_on\":\"记账日期\",\"amount\":\"金额\",\"payer_name\":\"对方户名\","
    "\"memo\":\"摘要\"}}", &error);
  g_assert_no_error (error);
  statements = tenure_statement_parse_file (path, TENURE_STATEMENT_FORMAT_UNKNOWN, profile,
                                            &error);
  g_assert_no_error (error);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpint (statement->format, ==, TENURE_STATEMENT_FORMAT_XLSX);
  g_assert_cmpstr (statement->account, ==, "6222 0000 1111");
  g_assert_cmpuint (statement->lines->len, ==, 3);
  assert_date (line_at (statement, 0)->booked_on, "2026-03-05");
  assert_money (line_at (statement, 0)->amount, 1248050, "USD");
  g_assert_cmpstr (line_at (statement, 0)->counterparty_name, ==, "ACME Ltd");
  g_assert_cmpuint (line_at (statement, 0)->source_line, ==, 5);
  assert_date (line_at (statement, 1)->booked_on, "2026-03-06");
  assert_money (line_at (statement, 1)->amount, -123456, "USD");
  assert_money (line_at (statement, 2)->amount, 30, "USD");
  g_clear_pointer (&statements, g_ptr_array_unref);

  /* The same profile on a sheet without the payer column: refused, naming the column. */
  book = workbook_new (path);
  sheet = workbook_add_worksheet (book, NULL);
  worksheet_write_string (sheet, 0, 0, "记账日期", NULL);
  worksheet_write_string (sheet, 0, 1, "金额", NULL);
  worksheet_write_string (sheet, 1, 0, "2026-03-05", NULL);
  worksheet_write_number (sheet, 1, 1, 1.5, NULL);
  g_assert_cmpint (workbook_close (book), ==, LXW_NO_ERROR);
  statements = tenure_statement_parse_file (path, TENURE_STATEMENT_FORMAT_UNKNOWN, profile,
                                            &error);
  g_assert_null (statements);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "sheet Sheet1, row 1"));
  g_assert_nonnull (strstr (error->message, "对方户名"));
  g_clear_error (&error);

  /* A third decimal in a number cell is refused, naming the cell. */
  g_clear_pointer (&profile, tenure_bank_profile_free);
  profile = tenure_bank_profile_new_from_json (
    "{\"columns\":{\"booked_on\":\"记账日期\",\"amount\":\"金额\"}}", &error);
  g_assert_no_error (error);
  book = workbook_new (path);
  sheet = workbook_add_worksheet (book, NULL);
  worksheet_write_string (sheet, 0, 0, "记账日期", NULL);
  worksheet_write_string (sheet, 0, 1, "金额", NULL);
  worksheet_write_string (sheet, 1, 0, "2026-03-05", NULL);
  worksheet_write_number (sheet, 1, 1, 1.005, NULL);
  g_assert_cmpint (workbook_close (book), ==, LXW_NO_ERROR);
  statements = tenure_statement_parse_file (path, TENURE_STATEMENT_FORMAT_UNKNOWN, profile,
                                            &error);
  g_assert_null (statements);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "row 2, column B (金额)"));
  g_assert_nonnull (strstr (error->message, "1.005"));
  tenure_test_rm_rf (dir);
}

/* ---- bad input ----------------------------------------------------------------------------- */

/* A batch entry (one credit of 1,000.00 booking three payments, as a payment provider or a
 * collective transfer gives them) becomes one line per payment, each with its payer, text and
 * amount; v02 gives the amounts in AmtDtls/TxAmt, v08 in TxDtls/Amt. Transactions whose amounts
 * do not add up to the entry's keep it one line. */
static void
test_camt053_batch (void)
{
  static const char *const heads[] = {
    "<?xml version=\"1.0\"?>\n"
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>\n"
    "<Stmt><Id>B1</Id><Acct><Id><IBAN>CN00BATCH</IBAN></Id><Ccy>CNY</Ccy></Acct>\n",
    "<?xml version=\"1.0\"?>\n"
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>\n"
    "<Stmt><Id>B1</Id><Acct><Id><IBAN>CN00BATCH</IBAN></Id><Ccy>CNY</Ccy></Acct>\n",
  };
  static const char *const amounts[][3] = {
    { "<Amt Ccy=\"CNY\">300.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>",
      "<Amt Ccy=\"CNY\">500.00</Amt>",
      "<Amt Ccy=\"CNY\">200.00</Amt>" },
    { "<AmtDtls><TxAmt><Amt Ccy=\"CNY\">300.00</Amt></TxAmt></AmtDtls>",
      "<AmtDtls><TxAmt><Amt Ccy=\"CNY\">500.00</Amt></TxAmt></AmtDtls>",
      "<AmtDtls><TxAmt><Amt Ccy=\"CNY\">200.00</Amt></TxAmt></AmtDtls>" },
  };
  static const char *const payers[] = { "上海星河餐饮管理有限公司", "杭州青禾零售连锁有限公司",
                                        "王小明" };
  static const char *const memos[] = { "HT-2026-0012", "HT-2026-0077", "HT-2025-0301" };

  for (guint v = 0; v < G_N_ELEMENTS (heads); v++)
    for (guint add_up = 0; add_up < 2; add_up++)
      {
        g_autoptr(GString) xml = g_string_new (heads[v]);
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) statements = NULL;
        TenureStatement *statement;

        g_string_append_printf (xml, "<Ntry><Amt Ccy=\"CNY\">%s</Amt>"
                                "<CdtDbtInd>CRDT</CdtDbtInd>\n"
                                "<BookgDt><Dt>2026-11-05</Dt></BookgDt>"
                                "<AcctSvcrRef>BATCH-1</AcctSvcrRef><NtryDtls>\n",
                                add_up ? "1000.00" : "1000.01");
        for (guint t = 0; t < 3; t++)
          g_string_append_printf (xml, "<TxDtls>%s<RltdPties><Dbtr><Nm>%s</Nm></Dbtr>"
                                  "</RltdPties><RmtInf><Ustrd>%s</Ustrd></RmtInf></TxDtls>\n",
                                  amounts[v][t], payers[t], memos[t]);
        g_string_append (xml, "</NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>\n");
        statements = parse_text (xml->str, -1, NULL, &error);
        g_assert_no_error (error);
        statement = g_ptr_array_index (statements, 0);
        if (!add_up)
          {
            g_assert_cmpuint (statement->lines->len, ==, 1);
            assert_money (line_at (statement, 0)->amount, 100001, "CNY");
            g_assert_cmpstr (line_at (statement, 0)->counterparty_name, ==, payers[0]);
            continue;
          }
        g_assert_cmpuint (statement->lines->len, ==, 3);
        assert_money (line_at (statement, 0)->amount, 30000, "CNY");
        assert_money (line_at (statement, 1)->amount, 50000, "CNY");
        assert_money (line_at (statement, 2)->amount, 20000, "CNY");
        for (guint t = 0; t < 3; t++)
          {
            TenureStatementLine *line = line_at (statement, t);

            g_assert_cmpstr (line->counterparty_name, ==, payers[t]);
            g_assert_cmpstr (line->remittance, ==, memos[t]);
            g_assert_cmpstr (line->bank_reference, ==, "BATCH-1");
            g_assert_cmpuint (line->source_line, ==, 6 + t);
            assert_date (line->booked_on, "2026-11-05");
          }
        /* one reference, three distinct lines for deduplication */
        g_assert_cmpstr (line_at (statement, 0)->dedupe_key, ==, "ref:BATCH-1");
        g_assert_cmpstr (line_at (statement, 1)->dedupe_key, ==, "ref:BATCH-1#2");
        g_assert_cmpstr (line_at (statement, 2)->dedupe_key, ==, "ref:BATCH-1#3");
      }
}

static void
test_bad_camt_truncated (void)
{
  gsize len;
  g_autofree char *xml = read_shared ("camt053/camt053.v2.minimal.xml", &len);
  const char *const parts[] = { "test.txt", "line ", "XML", NULL };

  if (xml == NULL)
    return;
  /* Cut inside the entry: no end tags after that. */
  assert_fails (xml, len / 2, NULL, TENURE_ERROR_PARSE, parts);
}

static void
test_bad_camt_encoding (void)
{
  gsize len;
  g_autofree char *xml = read_shared ("camt053/camt053.v2.multi.statement.xml", &len);
  const char *const parts[] = { "test.txt", "line 106", "0xFC", NULL };
  char *ustrd;

  if (xml == NULL)
    return;
  /* A Latin-1 "ü" in a file that declares UTF-8 (line 106 holds the first Ustrd). */
  ustrd = strstr (xml, "Transaction Description 1");
  g_assert_nonnull (ustrd);
  ustrd[1] = (char) 0xFC;
  assert_fails (xml, len, NULL, TENURE_ERROR_ENCODING, parts);
}

static void
test_bad_camt_fields (void)
{
  const char *head =
    "<?xml version=\"1.0\"?>\n"
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>\n"
    "<Stmt><Id>1</Id><Acct><Id><IBAN>X</IBAN></Id><Ccy>EUR</Ccy></Acct>\n";
  g_autofree char *bad_amount = g_strconcat (head,
    "<Ntry><Amt Ccy=\"EUR\">8.851</Amt><CdtDbtInd>CRDT</CdtDbtInd>\n"
    "<BookgDt><Dt>2014-12-31</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>", NULL);
  g_autofree char *bad_date = g_strconcat (head,
    "<Ntry><Amt Ccy=\"EUR\">8.85</Amt><CdtDbtInd>CRDT</CdtDbtInd>\n"
    "<BookgDt><Dt>2014-13-31</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>", NULL);
  g_autofree char *bad_ind = g_strconcat (head,
    "<Ntry><Amt Ccy=\"EUR\">8.85</Amt><CdtDbtInd>CRDX</CdtDbtInd>\n"
    "<BookgDt><Dt>2014-12-31</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>", NULL);
  g_autofree char *bad_ccy = g_strconcat (head,
    "<Ntry><Amt Ccy=\"XYZ\">8.85</Amt><CdtDbtInd>CRDT</CdtDbtInd>\n"
    "<BookgDt><Dt>2014-12-31</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>", NULL);
  const char *wrong_ns =
    "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\">"
    "<BkToCstmrStmt/></Document>";
  const char *const amount_parts[] = { "test.txt, line 4, Ntry/Amt", "8.851", "EUR", NULL };
  const char *const date_parts[] = { "line 5", "Ntry/BookgDt", "2014-13-31", NULL };
  const char *const ind_parts[] = { "line 4", "CRDX", NULL };
  const char *const ccy_parts[] = { "line 4", "XYZ", NULL };
  const char *const ns_parts[] = { "camt.053", NULL };

  assert_fails (bad_amount, -1, NULL, TENURE_ERROR_PARSE, amount_parts);
  assert_fails (bad_date, -1, NULL, TENURE_ERROR_PARSE, date_parts);
  assert_fails (bad_ind, -1, NULL, TENURE_ERROR_PARSE, ind_parts);
  assert_fails (bad_ccy, -1, NULL, TENURE_ERROR_PARSE, ccy_parts);
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static (wrong_ns, strlen (wrong_ns));
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) none = tenure_statement_parse_bytes (bytes, "test.txt",
                                                              TENURE_STATEMENT_FORMAT_CAMT053,
                                                              NULL, &error);
    g_assert_null (none);
    g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
    for (guint i = 0; ns_parts[i] != NULL; i++)
      g_assert_nonnull (strstr (error->message, ns_parts[i]));
  }
}

static void
test_bad_mt940 (void)
{
  const char *head = ":20:REF\n:25:ACC\n:28C:1/1\n:60F:C260101EUR100,00\n";
  g_autofree char *bad_date = g_strconcat (head, ":61:261301C5,00NTRFNONREF\n"
                                           ":62F:C260101EUR105,00\n", NULL);
  g_autofree char *no_mark = g_strconcat (head, ":61:260102X5,00NTRFNONREF\n", NULL);
  g_autofree char *no_amount = g_strconcat (head, ":61:260102CNTRFNONREF\n", NULL);
  g_autofree char *no_type = g_strconcat (head, ":61:260102C5,00\n", NULL);
  g_autofree char *dot_amount = g_strconcat (head, ":61:260102C5.00NTRFNONREF\n", NULL);
  const char *no_opening = ":20:REF\n:25:ACC\n:61:260102C5,00NTRFNONREF\n";
  const char *bad_ccy = ":20:REF\n:25:ACC\n:60F:C260101XYZ1,00\n";
  const char *const date_parts[] = { "test.txt, line 5, :61:", "261301", NULL };
  const char *const mark_parts[] = { "line 5, :61:", "C, D, RC or RD", NULL };
  const char *const amount_parts[] = { "line 5, :61:", "amount", NULL };
  const char *const type_parts[] = { "line 5, :61:", "NTRF", NULL };
  const char *const dot_parts[] = { "line 5, :61:", "5", NULL };
  const char *const opening_parts[] = { "line 3, :61:", ":60F:", NULL };
  const char *const ccy_parts[] = { "line 3, :60F:", "XYZ", NULL };
  const char nul[] = ":20:REF\n:25:A\0CC\n";
  const char *const nul_parts[] = { "line 2", NULL };

  assert_fails (bad_date, -1, NULL, TENURE_ERROR_PARSE, date_parts);
  assert_fails (no_mark, -1, NULL, TENURE_ERROR_PARSE, mark_parts);
  assert_fails (no_amount, -1, NULL, TENURE_ERROR_PARSE, amount_parts);
  assert_fails (no_type, -1, NULL, TENURE_ERROR_PARSE, type_parts);
  assert_fails (dot_amount, -1, NULL, TENURE_ERROR_PARSE, dot_parts);
  assert_fails (no_opening, -1, NULL, TENURE_ERROR_PARSE, opening_parts);
  assert_fails (bad_ccy, -1, NULL, TENURE_ERROR_PARSE, ccy_parts);
  assert_fails (nul, sizeof nul - 1, NULL, TENURE_ERROR_ENCODING, nul_parts);
}

/* Latin-1 MT940 (German umlauts) reads as text. */
static void
test_mt940_latin1 (void)
{
  const char *text = ":20:REF\n:25:ACC\n:60F:C260101EUR100,00\n"
                     ":61:2601020102C5,00NTRFNONREF//B1\n:86:166?00GUTSCHRIFT?20Miete M\xe4rz"
                     "?32J\xfcrgen M\xfcller\n:62F:C260102EUR105,00\n-\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statements = parse_text (text, -1, NULL, &error);
  TenureStatement *statement;

  g_assert_no_error (error);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpstr (line_at (statement, 0)->remittance, ==, "Miete März");
  g_assert_cmpstr (line_at (statement, 0)->counterparty_name, ==, "Jürgen Müller");
  assert_balances_add_up (statement);
}

static void
test_bad_ofx (void)
{
  gsize len;
  g_autofree char *ofx = read_shared ("ofx/checking.ofx", &len);
  const char *const truncated_parts[] = { "test.txt", "</OFX>", NULL };
  const char *no_amount =
    "OFXHEADER:100\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\n"
    "<BANKTRANLIST>\n<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20110405\n</STMTTRN>\n"
    "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
  const char *const amount_parts[] = { "line 5", "TRNAMT", NULL };
  const char *bad_amount =
    "OFXHEADER:100\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\n"
    "<BANKTRANLIST>\n<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20110405\n<TRNAMT>-3x.5</STMTTRN>\n"
    "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
  const char *const bad_amount_parts[] = { "line 6", "TRNAMT", "-3x.5", NULL };
  const char *bad_date =
    "OFXHEADER:100\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\n"
    "<BANKTRANLIST>\n<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20111305\n<TRNAMT>-3.5</STMTTRN>\n"
    "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
  const char *const bad_date_parts[] = { "DTPOSTED", "20111305", NULL };
  /* Found by fuzz-ofx: a statement opened inside a transaction once lost its currency. */
  const char *nested =
    "OFXHEADER:100\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\n"
    "<BANKTRANLIST>\n<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20110405<TRNAMT>-3.5\n"
    "<STMTRS><CURDEF>EUR</STMTTRN>\n"
    "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
  const char *const nested_parts[] = { "line 6", "STMTRS", "STMTTRN", NULL };

  const char *const inside_tag_parts[] = { "test.txt", "inside a tag", NULL };

  if (ofx != NULL)
    {
      assert_fails (ofx, strstr (ofx, "</OFX>") - ofx, NULL, TENURE_ERROR_PARSE,
                    truncated_parts);
      assert_fails (ofx, strstr (ofx, "</OFX>") - ofx + 3, NULL, TENURE_ERROR_PARSE,
                    inside_tag_parts);
    }
  assert_fails (no_amount, -1, NULL, TENURE_ERROR_PARSE, amount_parts);
  assert_fails (bad_amount, -1, NULL, TENURE_ERROR_PARSE, bad_amount_parts);
  assert_fails (bad_date, -1, NULL, TENURE_ERROR_PARSE, bad_date_parts);
  assert_fails (nested, -1, NULL, TENURE_ERROR_PARSE, nested_parts);
}

static void
test_bad_csv (void)
{
  const char *header = "交易日期,借方发生额(支取),贷方发生额(收入),余额,用途,对方户名,对方账号,"
                       "交易流水号\n";
  g_autofree char *missing_column = g_strdup (
    "交易日期,借方,贷方,用途,对方户名,对方账号,交易流水号\n2026-11-02,,1.00,x,y,z,1\n");
  g_autofree char *bad_amount = g_strconcat (header, "2026-11-02,,\"1,00.00\",,m,n,a,1\n", NULL);
  g_autofree char *bad_date = g_strconcat (header, "2026-11-02,,1.00,,m,n,a,1\n"
                                           "2026-11-31,,1.00,,m,n,a,2\n", NULL);
  g_autofree char *both = g_strconcat (header, "2026-11-02,2.00,1.00,,m,n,a,1\n", NULL);
  g_autofree char *neither = g_strconcat (header, "2026-11-02,,,,m,n,a,1\n", NULL);
  const char *const missing_parts[] = { "test.txt, line 1", "借方发生额(支取)", "profile", NULL };
  const char *const amount_parts[] = { "test.txt, line 2, column 3 (贷方发生额(收入))",
                                       "1,00.00", NULL };
  const char *const date_parts[] = { "line 3, column 1 (交易日期)", "2026-11-31", NULL };
  const char *const both_parts[] = { "line 2", "debit", NULL };
  const char *const no_header_parts[] = { "交易日期", "profile", NULL };
  /* 0x81 0x20 is no GBK character and no UTF-8. */
  g_autofree char *bad_bytes = g_strconcat (header, "2026-11-02,,1.00,,m,\x81 ,a,1\n", NULL);
  const char *const bytes_parts[] = { "test.txt", NULL };

  assert_fails (missing_column, -1, CN_BANK_PROFILE, TENURE_ERROR_PARSE, missing_parts);
  assert_fails (bad_amount, -1, CN_BANK_PROFILE, TENURE_ERROR_PARSE, amount_parts);
  assert_fails (bad_date, -1, CN_BANK_PROFILE, TENURE_ERROR_PARSE, date_parts);
  assert_fails (both, -1, CN_BANK_PROFILE, TENURE_ERROR_PARSE, both_parts);
  assert_fails (neither, -1, CN_BANK_PROFILE, TENURE_ERROR_PARSE, both_parts);
  assert_fails ("日期,金额\n2026-01-01,1\n", -1, CN_BANK_PROFILE, TENURE_ERROR_PARSE,
                no_header_parts);
  assert_fails (bad_bytes, -1, CN_BANK_PROFILE, TENURE_ERROR_ENCODING, bytes_parts);
}

static void
test_bad_profile (void)
{
  static const struct { const char *json; const char *part; } cases[] = {
    { "not json", "JSON" },
    { "[]", "object" },
    { "{\"columns\":{\"amount\":\"A\"}}", "columns.booked_on" },
    { "{\"columns\":{\"booked_on\":\"D\"}}", "columns.amount" },
    { "{\"columns\":{\"booked_on\":\"D\",\"debit\":\"X\"}}", "columns.amount" },
    { "{\"columns\":{\"booked_on\":\"D\",\"amount\":\"A\",\"debit\":\"X\"}}",
      "columns.amount" },
    { "{\"columns\":{\"booked_on\":\"D\",\"debit\":\"X\",\"credit\":\"Y\","
      "\"direction\":\"Z\"}}", "columns.direction" },
    { "{\"columns\":{\"booked_on\":[],\"amount\":\"A\"}}", "columns.booked_on" },
    { "{\"columns\":{\"booked_on\":[\"D\",3],\"amount\":\"A\"}}", "columns.booked_on" },
    { "{\"columns\":{\"booked_on\":\"D\",\"amount\":\"A\"},\"credit_marks\":\"\"}",
      "credit_marks" },
    { "{\"columns\":{\"booked_on\":\"D\",\"amount\":\"A\",\"colour\":\"C\"}}", "columns.colour" },
    { "{\"columns\":{\"booked_on\":\"D\",\"amount\":7}}", "columns.amount" },
    { "{\"currency\":\"XXQ\",\"columns\":{\"booked_on\":\"D\",\"amount\":\"A\"}}", "currency" },
    { "{\"credit_mark\":[\"1\"],\"columns\":{\"booked_on\":\"D\",\"amount\":\"A\"}}",
      "credit_mark" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TenureBankProfile) profile = tenure_bank_profile_new_from_json (cases[i].json,
                                                                                &error);
      g_assert_null (profile);
      g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].part));
    }
}

/* The "/KEY/value" form of :86: (ABN AMRO, ING, Rabobank…): payer, account, text and
 * end-to-end reference read from their keys, also when the line is wrapped inside a value, the
 * counterparty given as CNTP (account/BIC/name/city) or the text as REMI/USTD. A text that only
 * contains slashes stays free text. */
static void
test_mt940_slash_details (void)
{
  const char *text =
    ":20:STMT\r\n:25:NL12ABNA0123456789\r\n:28C:1/1\r\n:60F:C260301EUR1000,00\r\n"
    ":61:260302C100,00NTRFREF1//B1\r\n"
    ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL34ABNA0123456789/BIC/ABNANL2A/NAME/AC\r\n"
    "ME BV/REMI/INV 12/EREF/NOTPROVIDED\r\n"
    ":61:2603030303DR50,NTRFNONREF\r\n"
    ":86:/EREF/E2E-77//CNTP/NL08INGB0000000555/INGBNL2A/J. Jansen/AMSTERDAM/\r\n"
    "/REMI/USTD//Factuur 123/\r\n"
    ":61:2603030303D0,50NCHGNONREF\r\n"
    ":86:KOSTEN 01/03 T/M 03/03\r\n"
    ":62F:C260303EUR1049,50\r\n-\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statements = parse_text (text, -1, NULL, &error);
  TenureStatement *statement;
  TenureStatementLine *line;

  g_assert_no_error (error);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpuint (statement->lines->len, ==, 3);
  line = line_at (statement, 0);
  assert_money (line->amount, 10000, "EUR");
  g_assert_cmpstr (line->counterparty_name, ==, "ACME BV");
  g_assert_cmpstr (line->counterparty_account, ==, "NL34ABNA0123456789");
  g_assert_cmpstr (line->remittance, ==, "INV 12");
  g_assert_cmpstr (line->end_to_end_id, ==, "");
  g_assert_cmpstr (line->transaction_code, ==, "SEPA OVERBOEKING");
  line = line_at (statement, 1);
  assert_money (line->amount, -5000, "EUR");
  g_assert_cmpstr (line->counterparty_name, ==, "J. Jansen");
  g_assert_cmpstr (line->counterparty_account, ==, "NL08INGB0000000555");
  g_assert_cmpstr (line->remittance, ==, "Factuur 123");
  g_assert_cmpstr (line->end_to_end_id, ==, "E2E-77");
  line = line_at (statement, 2);
  g_assert_cmpstr (line->remittance, ==, "KOSTEN 01/03 T/M 03/03");
  g_assert_cmpstr (line->counterparty_name, ==, "");
  assert_balances_add_up (statement);
}

/* SWIFT envelope, reversal marks and a statement-level :86: after the closing balance. */
static void
test_mt940_reversals (void)
{
  const char *text =
    "{1:F01BANKDEFFAXXX0000000000}{2:O9400000000000BANKDEFFAXXX00000000000000000000N}{4:\r\n"
    ":20:STMT1\r\n:25:DE12500105170648489890\r\n:28C:7/1\r\n"
    ":60F:C260301EUR1000,00\r\n"
    ":61:2603020302RC100,00NTRFNONREF//R1\r\n"      /* reversed credit: money out */
    ":86:?20Storno Gutschrift\r\n"
    ":61:2603020302RD40,50NTRFNONREF//R2\r\n"       /* reversed debit: money back */
    ":61:2603030303D0,50NCHGNONREF//R3\r\n"
    ":62F:C260303EUR940,00\r\n"
    ":86:Statement information, not an entry\r\n"
    "-}\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statements = parse_text (text, -1, NULL, &error);
  TenureStatement *statement;

  g_assert_no_error (error);
  g_assert_cmpuint (statements->len, ==, 1);
  statement = g_ptr_array_index (statements, 0);
  g_assert_cmpstr (statement->account, ==, "DE12500105170648489890");
  g_assert_cmpuint (statement->lines->len, ==, 3);
  assert_money (line_at (statement, 0)->amount, -10000, "EUR");
  assert_money (line_at (statement, 1)->amount, 4050, "EUR");
  assert_money (line_at (statement, 2)->amount, -50, "EUR");
  g_assert_cmpstr (line_at (statement, 2)->remittance, ==, "");
  assert_balances_add_up (statement);
}

/* A currency column: each line keeps its own currency and minor unit. */
static void
test_csv_currency_column (void)
{
  const char *csv = "日期,币种,金额,流水号\n"
                    "2026-11-02,日元,\"1,200\",A\n"
                    "2026-11-02,USD,\"1,200.25\",B\n"
                    "2026-11-03,人民币,-0.01,C\n";
  const char *profile = "{\"columns\":{\"booked_on\":\"日期\",\"amount\":\"金额\","
                        "\"currency\":\"币种\",\"bank_reference\":\"流水号\"}}";
  const char *fractional_yen = "日期,币种,金额,流水号\n2026-11-02,JPY,1200.5,A\n";
  const char *const yen_parts[] = { "line 2, column 3", "1200.5", "JPY", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statements = parse_text (csv, -1, profile, &error);
  TenureStatement *statement;

  g_assert_no_error (error);
  statement = g_ptr_array_index (statements, 0);
  assert_money (line_at (statement, 0)->amount, 1200, "JPY");
  assert_money (line_at (statement, 1)->amount, 120025, "USD");
  assert_money (line_at (statement, 2)->amount, -1, "CNY");
  assert_fails (fractional_yen, -1, profile, TENURE_ERROR_PARSE, yen_parts);
}

/* A DTD could define entities that expand without bound: refused. */
static void
test_bad_camt_dtd (void)
{
  const char *xml =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [<!ENTITY a \"aaaaaaaaaa\">"
    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"
    "<Stmt><Id>&b;</Id></Stmt></BkToCstmrStmt></Document>";
  const char *const parts[] = { "DOCTYPE", NULL };

  assert_fails (xml, -1, NULL, TENURE_ERROR_PARSE, parts);
}

/* ---- deduplication and detection ----------------------------------------------------------- */

static void
test_dedupe (void)
{
  const char *csv =
    "日期,金额,对方户名,用途,流水号\n"
    "2026-11-02,100.00,甲公司,租金,\n"
    "2026-11-02,100.00,甲公司,租金,\n"       /* identical, no reference: still two lines */
    "2026-11-02,100.00,甲公司,租金,R1\n"
    "2026-11-02,100.00,甲公司,租金,R2\n";    /* identical but for the reference */
  const char *profile = "{\"columns\":{\"booked_on\":\"日期\",\"amount\":\"金额\","
                        "\"payer_name\":\"对方户名\",\"memo\":\"用途\","
                        "\"bank_reference\":\"流水号\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = parse_text (csv, -1, profile, &error);
  g_autoptr(GPtrArray) again = NULL;
  TenureStatement *a, *b;

  g_assert_no_error (error);
  again = parse_text (csv, -1, profile, &error);
  g_assert_no_error (error);
  a = g_ptr_array_index (first, 0);
  b = g_ptr_array_index (again, 0);
  g_assert_cmpuint (a->lines->len, ==, 4);
  assert_keys_distinct (first);
  g_assert_true (g_str_has_prefix (line_at (a, 0)->dedupe_key, "sha256:"));
  g_assert_cmpuint (strlen (line_at (a, 0)->dedupe_key), ==, strlen ("sha256:") + 64);
  g_assert_cmpstr (line_at (a, 2)->dedupe_key, ==, "ref:R1");
  g_assert_cmpstr (line_at (a, 3)->dedupe_key, ==, "ref:R2");
  /* Importing the same file again gives the same keys, so it adds nothing. */
  for (guint i = 0; i < a->lines->len; i++)
    g_assert_cmpstr (line_at (a, i)->dedupe_key, ==, line_at (b, i)->dedupe_key);
}

static void
test_detect (void)
{
  static const struct { const char *file; TenureStatementFormat format; } cases[] = {
    { "camt053/camt053.v2.minimal.xml", TENURE_STATEMENT_FORMAT_CAMT053 },
    { "camt053/camt053.v8.xml", TENURE_STATEMENT_FORMAT_CAMT053 },
    { "mt940/abnamro.sta", TENURE_STATEMENT_FORMAT_MT940 },
    { "mt940/cmxl_mt940.sta", TENURE_STATEMENT_FORMAT_MT940 },
    { "mt940/betterplace_sepa_mt9401.sta", TENURE_STATEMENT_FORMAT_MT940 },
    { "ofx/checking.ofx", TENURE_STATEMENT_FORMAT_OFX },
    { "ofx/bank_medium.ofx", TENURE_STATEMENT_FORMAT_OFX },
    { "cn-bank/example-statement-gbk.csv", TENURE_STATEMENT_FORMAT_CSV },
    { "leases/gsa-iolp-leases-2025-06-20.xlsx", TENURE_STATEMENT_FORMAT_XLSX },
    { "leases/gsa-iolp-metadata-iso19139.xml", TENURE_STATEMENT_FORMAT_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len;
      g_autofree char *data = read_shared (cases[i].file, &len);
      if (data == NULL)
        return;
      g_assert_cmpint (tenure_statement_detect_format ((const guint8 *) data, len), ==,
                       cases[i].format);
    }
}

/* Random damage to every sample: an error or a result, never a crash (ASan/UBSan watch). */
static void
test_mutations (void)
{
  static const char *const files[] = {
    "camt053/camt053.v8.xml", "mt940/cmxl_mt940.sta", "mt940/abnamro.sta",
    "ofx/bank_medium.ofx", "ofx/checking.ofx", "cn-bank/example-statement-gbk.csv",
  };
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");
  guint iterations = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 300;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261127);
  g_autoptr(TenureBankProfile) profile = tenure_bank_profile_new_from_json (CN_BANK_PROFILE,
                                                                            NULL);
  guint parsed = 0, failed = 0;

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      gsize len;
      g_autofree char *data = read_shared (files[f], &len);

      if (data == NULL)
        return;
      for (guint i = 0; i < iterations; i++)
        {
          g_autofree char *copy = g_memdup2 (data, len);
          gsize cut = g_rand_int_range (rand, 0, (gint32) len + 1);
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) statements = NULL;

          for (guint k = 0; k < 4; k++)
            copy[g_rand_int_range (rand, 0, (gint32) len)] = (char) g_rand_int_range (rand, 0,
                                                                                      256);
          bytes = g_bytes_new (copy, i % 2 == 0 ? len : cut);
          statements = tenure_statement_parse_bytes (bytes, files[f],
                                                     TENURE_STATEMENT_FORMAT_UNKNOWN, profile,
                                                     &error);
          g_assert_true ((statements == NULL) == (error != NULL));
          if (error != NULL)
            {
              g_assert_true (error->domain == TENURE_ERROR);
              if (!g_utf8_validate (error->message, -1, NULL))
                g_printerr ("BAD %s\n", error->message);
              g_assert_true (g_utf8_validate (error->message, -1, NULL));
            }
          parsed += statements != NULL;
          failed += error != NULL;
        }
    }
  g_test_message ("mutations: %u parsed, %u refused", parsed, failed);
  g_assert_cmpuint (parsed + failed, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bank/camt053/v2-golden", test_camt053_v2_golden);
  g_test_add_func ("/bank/camt053/v4", test_camt053_v4);
  g_test_add_func ("/bank/camt053/v8", test_camt053_v8);
  g_test_add_func ("/bank/camt053/multi", test_camt053_multi);
  g_test_add_func ("/bank/mt940/betterplace-golden", test_mt940_betterplace_golden);
  g_test_add_func ("/bank/mt940/abnamro", test_mt940_abnamro);
  g_test_add_func ("/bank/mt940/slash-details", test_mt940_slash_details);
  g_test_add_func ("/bank/mt940/cmxl", test_mt940_cmxl);
  g_test_add_func ("/bank/mt940/latin1", test_mt940_latin1);
  g_test_add_func ("/bank/mt940/reversals", test_mt940_reversals);
  g_test_add_func ("/bank/ofx/checking", test_ofx_checking);
  g_test_add_func ("/bank/ofx/bank-medium", test_ofx_bank_medium);
  g_test_add_func ("/bank/ofx/xml", test_ofx_xml);
  g_test_add_func ("/bank/ofx/charsets", test_ofx_charsets);
  g_test_add_func ("/bank/csv/cn-bank", test_csv_cn_bank);
  g_test_add_func ("/bank/csv/cn-bank-balance", test_csv_cn_bank_balance);
  g_test_add_func ("/bank/csv/profile-from-store", test_csv_profile_from_store);
  g_test_add_func ("/bank/csv/currency-column", test_csv_currency_column);
  g_test_add_func ("/bank/camt053/batch", test_camt053_batch);
  g_test_add_func ("/bank/csv/recognised-sample", test_csv_recognised_sample);
  g_test_add_func ("/bank/csv/recognised-layouts", test_csv_recognised_layouts);
  g_test_add_func ("/bank/csv/direction", test_csv_direction);
  g_test_add_func ("/bank/xlsx/signed-amount", test_xlsx_signed_amount);
  g_test_add_func ("/bank/bad/camt-truncated", test_bad_camt_truncated);
  g_test_add_func ("/bank/bad/camt-encoding", test_bad_camt_encoding);
  g_test_add_func ("/bank/bad/camt-fields", test_bad_camt_fields);
  g_test_add_func ("/bank/bad/camt-dtd", test_bad_camt_dtd);
  g_test_add_func ("/bank/bad/mt940", test_bad_mt940);
  g_test_add_func ("/bank/bad/ofx", test_bad_ofx);
  g_test_add_func ("/bank/bad/csv", test_bad_csv);
  g_test_add_func ("/bank/bad/profile", test_bad_profile);
  g_test_add_func ("/bank/dedupe", test_dedupe);
  g_test_add_func ("/bank/detect", test_detect);
  g_test_add_func ("/bank/mutations", test_mutations);
  return g_test_run ();
}
