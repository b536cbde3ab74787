/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bank"

#include "bank/tenure-statement-private.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "base/tenure-i18n.h"

/* The roles a profile maps to header names. */
typedef enum
{
  ROLE_BOOKED_ON,
  ROLE_VALUE_ON,
  ROLE_AMOUNT,
  ROLE_DEBIT,
  ROLE_CREDIT,
  ROLE_PAYER_NAME,
  ROLE_PAYER_ACCOUNT,
  ROLE_MEMO,
  ROLE_BANK_REFERENCE,
  ROLE_END_TO_END_ID,
  ROLE_CURRENCY,
  ROLE_BALANCE,
  ROLE_DIRECTION,
  N_ROLES
} Role;

static const char *const role_keys[N_ROLES] = {
  "booked_on", "value_on", "amount", "debit", "credit", "payer_name", "payer_account", "memo",
  "bank_reference", "end_to_end_id", "currency", "balance", "direction",
};

/* A profile maps each role to a header name, which the file must have, or to a list of names
 * of which the first one the header has is taken, and which may be missing but for the date
 * and the amounts: one profile then reads the exports of several banks. */
struct _TenureBankProfile
{
  GStrv                 header_contains;    /* a header row has one of these cells */
  GStrv                 columns[N_ROLES];   /* header names, NULL when unmapped */
  gboolean              optional[N_ROLES];  /* mapped to a list: read when the header has it */
  GStrv                 credit_marks;       /* what the direction column says for money in */
  GStrv                 debit_marks;        /* … and for money out */
  const TenureCurrency *currency;           /* NULL: from the file, else CNY */
};

/* The marks banks print in a direction column (借贷标志, 收支), compared case-folded. */
static const char *const default_credit_marks[] = {
  "贷", "贷方", "收", "收入", "来账", "入账", "存入", "c", "cr", "crdt", "credit", "+", NULL
};
static const char *const default_debit_marks[] = {
  "借", "借方", "支", "支出", "付", "付出", "往账", "出账", "支取", "d", "dr", "dbit", "debit",
  "-", NULL
};

/* What banks print in an amount cell that has no amount. */
static const char *const blank_amounts[] = { "-", "--", "—", "——", "/", NULL };

/* Lines that close a bank export: the totals, never an entry. */
static const char *const totals_words[] = {
  "合计", "总计", "本页合计", "本页小计", "小计", "累计", "汇总", "合計", "總計",
  "total", "totals", "sum", NULL
};

/* Chinese currency names banks print in the preamble or a currency column. */
static const struct { const char *name; const char *code; } currency_names[] = {
  { "人民币", "CNY" }, { "人民幣", "CNY" }, { "美元", "USD" }, { "欧元", "EUR" },
  { "日元", "JPY" }, { "港币", "HKD" }, { "港元", "HKD" }, { "英镑", "GBP" },
  { "瑞士法郎", "CHF" }, { "新加坡元", "SGD" }, { "澳元", "AUD" }, { "加元", "CAD" },
};

void
tenure_bank_profile_free (TenureBankProfile *profile)
{
  if (profile == NULL)
    return;
  g_strfreev (profile->header_contains);
  for (guint i = 0; i < N_ROLES; i++)
    g_strfreev (profile->columns[i]);
  g_strfreev (profile->credit_marks);
  g_strfreev (profile->debit_marks);
  g_free (profile);
}

static void
profile_error (GError **error, const char *key, const char *detail)
{
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
               _("import profile, key “%s”: %s"), key, detail);
}

/* A text or a non-empty list of texts, each non-empty; NULL (with @error) otherwise. */
static GStrv
names_from_node (JsonNode *node, const char *key, GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
      && json_node_get_string (node)[0] != '\0')
    {
      g_strv_builder_add (builder, json_node_get_string (node));
      return g_strv_builder_end (builder);
    }
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    {
      profile_error (error, key, _("must be a text or a list of texts"));
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING
          || json_node_get_string (element)[0] == '\0')
        {
          profile_error (error, key, _("must be a text or a list of texts"));
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

/**
 * tenure_bank_profile_new_from_json:
 * Returns: (transfer full): the profile, or NULL with @error set.
 */
TenureBankProfile *
tenure_bank_profile_new_from_json (const char *profile_json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(TenureBankProfile) profile = g_new0 (TenureBankProfile, 1);
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object, *columns;
  JsonNode *node;

  if (!json_parser_load_from_data (parser, profile_json, -1, &local_error))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("import profile: not valid JSON (%s)"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      profile_error (error, "/", _("the mapping must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);
  {
    /* A misspelt key would otherwise be ignored without a word. */
    static const char *const known[] = { "header_contains", "currency", "columns",
                                         "credit_marks", "debit_marks", NULL };
    g_autoptr(GList) members = json_object_get_members (object);

    for (GList *l = members; l != NULL; l = l->next)
      if (!g_strv_contains (known, l->data))
        {
          profile_error (error, l->data, _("not a key of an import profile"));
          return NULL;
        }
  }

  node = json_object_get_member (object, "header_contains");
  if (node != NULL
      && (profile->header_contains = names_from_node (node, "header_contains", error)) == NULL)
    return NULL;
  node = json_object_get_member (object, "credit_marks");
  if (node != NULL
      && (profile->credit_marks = names_from_node (node, "credit_marks", error)) == NULL)
    return NULL;
  node = json_object_get_member (object, "debit_marks");
  if (node != NULL
      && (profile->debit_marks = names_from_node (node, "debit_marks", error)) == NULL)
    return NULL;
  node = json_object_get_member (object, "currency");
  if (node != NULL)
    {
      const char *code = JSON_NODE_HOLDS_VALUE (node)
                         && json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : NULL;
      profile->currency = tenure_bank_currency_lookup (code);
      if (profile->currency == NULL)
        {
          profile_error (error, "currency", _("not a known ISO 4217 currency code"));
          return NULL;
        }
    }
  node = json_object_get_member (object, "columns");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      profile_error (error, "columns", _("must be an object of column names"));
      return NULL;
    }
  columns = json_node_get_object (node);
  {
    g_autoptr(GList) members = json_object_get_members (columns);

    for (GList *l = members; l != NULL; l = l->next)
      {
        const char *key = l->data;
        JsonNode *value = json_object_get_member (columns, key);
        g_autofree char *path = g_strconcat ("columns.", key, NULL);
        guint role;

        for (role = 0; role < N_ROLES; role++)
          if (strcmp (role_keys[role], key) == 0)
            break;
        if (role == N_ROLES)
          {
            profile_error (error, path, _("not a column Tenure knows"));
            return NULL;
          }
        profile->columns[role] = names_from_node (value, path, error);
        if (profile->columns[role] == NULL)
          return NULL;
        profile->optional[role] = JSON_NODE_HOLDS_ARRAY (value) && role != ROLE_BOOKED_ON
                                  && role != ROLE_AMOUNT && role != ROLE_DEBIT
                                  && role != ROLE_CREDIT;
      }
  }
  if (profile->columns[ROLE_BOOKED_ON] == NULL)
    {
      profile_error (error, "columns.booked_on", _("the date column is required"));
      return NULL;
    }
  /* Both kinds may be mapped (a profile for several banks): the file's header decides. */
  if ((profile->columns[ROLE_DEBIT] == NULL) != (profile->columns[ROLE_CREDIT] == NULL)
      || (profile->columns[ROLE_AMOUNT] == NULL && profile->columns[ROLE_DEBIT] == NULL))
    {
      profile_error (error, "columns.amount",
                     _("map one amount column (signed, or with a direction column), or both "
                       "debit and credit"));
      return NULL;
    }
  if (profile->columns[ROLE_DIRECTION] != NULL && profile->columns[ROLE_AMOUNT] == NULL)
    {
      profile_error (error, "columns.direction", _("a direction column needs an amount column"));
      return NULL;
    }
  if (profile->header_contains == NULL)
    profile->header_contains = g_strdupv (profile->columns[ROLE_BOOKED_ON]);
  return g_steal_pointer (&profile);
}

static const TenureCurrency *
currency_from_text (const char *text)
{
  g_autofree char *code = g_ascii_strup (text, -1);
  const TenureCurrency *currency;

  g_strstrip (code);
  currency = tenure_bank_currency_lookup (code);
  if (currency != NULL)
    return currency;
  for (gsize i = 0; i < G_N_ELEMENTS (currency_names); i++)
    if (strstr (text, currency_names[i].name) != NULL)
      return tenure_currency_lookup (currency_names[i].code);
  return NULL;
}

/* "账号：1001 2345" → "1001 2345" when @text starts with one of @labels. */
static char *
preamble_value (const char *text, const char *const *labels)
{
  for (guint i = 0; labels[i] != NULL; i++)
    if (g_str_has_prefix (text, labels[i]))
      {
        const char *p = text + strlen (labels[i]);

        while (*p == ' ')
          p++;
        if (g_str_has_prefix (p, "："))
          p += strlen ("：");
        else if (*p == ':')
          p++;
        else
          continue;
        return g_strstrip (g_strdup (p));
      }
  return NULL;
}

/* Dates as bank exports write them: 2026-11-02, 2026/11/2, 2026.11.02, 20261102,
 * 2026年11月2日, optionally followed by a time. */
static gboolean
parse_text_date (const char *text, TenureDate *out)
{
  int y = 0, m = 0, d = 0;
  const char *p = text;
  int n = 0;

  while (*p == ' ')
    p++;
  for (n = 0; n < 4 && g_ascii_isdigit (p[n]); n++)
    y = y * 10 + (p[n] - '0');
  if (n != 4)
    return FALSE;
  p += 4;
  if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2])
      && g_ascii_isdigit (p[3]) && !g_ascii_isdigit (p[4]))
    {
      m = (p[0] - '0') * 10 + (p[1] - '0');
      d = (p[2] - '0') * 10 + (p[3] - '0');
      p += 4;
    }
  else
    {
      const char *seps[] = { "-", "/", ".", "年" };
      const char *sep = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (seps); i++)
        if (g_str_has_prefix (p, seps[i]))
          sep = seps[i];
      if (sep == NULL)
        return FALSE;
      p += strlen (sep);
      for (n = 0; n < 2 && g_ascii_isdigit (*p); n++, p++)
        m = m * 10 + (*p - '0');
      if (n == 0)
        return FALSE;
      if (strcmp (sep, "年") == 0)
        {
          if (!g_str_has_prefix (p, "月"))
            return FALSE;
          p += strlen ("月");
        }
      else if (g_str_has_prefix (p, sep))
        p += strlen (sep);
      else
        return FALSE;
      for (n = 0; n < 2 && g_ascii_isdigit (*p); n++, p++)
        d = d * 10 + (*p - '0');
      if (n == 0)
        return FALSE;
      if (strcmp (sep, "年") == 0 && g_str_has_prefix (p, "日"))
        p += strlen ("日");
    }
  if (*p != '\0' && *p != ' ' && *p != 'T')
    return FALSE;
  if (!tenure_date_valid_ymd (y, m, d))
    return FALSE;
  *out = tenure_date_from_ymd (y, m, d);
  return TRUE;
}

static gboolean
cell_date (const TenureTable *table, const TenureRow *row, int column, TenureDate *out,
           GError **error)
{
  const TenureCell *cell = tenure_row_get_cell (row, column);

  if (cell->kind == TENURE_CELL_DATE && tenure_date_is_valid (cell->date))
    {
      *out = cell->date;
      return TRUE;
    }
  if (cell->kind == TENURE_CELL_NUMBER
      && tenure_date_from_excel_serial (cell->number, FALSE, out, NULL))
    return TRUE;
  if (cell->kind == TENURE_CELL_TEXT && parse_text_date (cell->text, out))
    return TRUE;
  {
    g_autofree char *where = tenure_table_describe_cell (table, row, column);
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE, _("%s: “%s” is not a date"),
                 where, cell->text);
  }
  return FALSE;
}

static gboolean
is_blank_amount (const TenureCell *cell)
{
  g_autofree char *text = NULL;

  if (cell->kind != TENURE_CELL_TEXT)
    return FALSE;
  text = g_strstrip (g_strdup (cell->text));
  return g_strv_contains (blank_amounts, text);
}

/* Amount text of a cell: a number cell gives the number as stored. */
static gboolean
cell_amount (const TenureTable *table, const TenureRow *row, int column,
             const TenureCurrency *currency, gboolean *blank, gint64 *out, GError **error)
{
  const TenureCell *cell = tenure_row_get_cell (row, column);
  g_autoptr(GError) local_error = NULL;
  TenureMoney money;

  *blank = tenure_cell_is_blank (cell) || is_blank_amount (cell);
  *out = 0;
  if (*blank)
    return TRUE;
  if ((cell->kind == TENURE_CELL_TEXT || cell->kind == TENURE_CELL_NUMBER)
      && tenure_money_parse (cell->text, currency, &money, &local_error))
    {
      *out = money.minor;
      return TRUE;
    }
  if (cell->kind == TENURE_CELL_NUMBER)
    {
      g_autofree char *where = tenure_table_describe_cell (table, row, column);
      g_clear_error (&local_error);
      /* Excel stores 12480.5 as a double, and a formula may leave binary noise
       * (0.30000000000000004): printed with the currency's decimals (C locale), it must
       * read back as the same number but for that noise, else it has more decimals. */
      {
        char format[8], fixed[G_ASCII_DTOSTR_BUF_SIZE];
        double back;

        g_snprintf (format, sizeof format, "%%.%uf", currency->digits);
        g_ascii_formatd (fixed, sizeof fixed, format, cell->number);
        back = g_ascii_strtod (fixed, NULL);
        if (ABS (back - cell->number) <= 1e-9 * MAX (1.0, ABS (cell->number))
            && tenure_bank_parse_amount (fixed, currency, FALSE, where, out, error))
          return TRUE;
        g_clear_error (error);
      }
    }
  {
    g_autofree char *where = tenure_table_describe_cell (table, row, column);
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE, _("%s: “%s” is not an amount in %s"),
                 where, cell->text, currency->code);
  }
  return FALSE;
}

static gboolean
is_totals_row (const TenureRow *row)
{
  for (guint c = 0; c < tenure_row_get_n_cells (row); c++)
    {
      const TenureCell *cell = tenure_row_get_cell (row, c);
      g_autofree char *folded = NULL;

      if (tenure_cell_is_blank (cell))
        continue;
      folded = g_utf8_casefold (cell->text, -1);
      g_strstrip (folded);
      for (guint i = 0; totals_words[i] != NULL; i++)
        if (g_str_has_prefix (folded, totals_words[i]))
          return TRUE;
      return FALSE;
    }
  return FALSE;
}

static char *
cell_string (const TenureRow *row, int column)
{
  if (column < 0)
    return g_strdup ("");
  return g_strstrip (g_strdup (tenure_row_get_text (row, column)));
}

/* “交易日期” or “交易日期”, “记账日期” for an error message. */
static char *
quoted_names (const char *const *names)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (text, i == 0 ? "“%s”" : ", “%s”", names[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The first of the first 50 rows that has a cell named one of NAMES; -1 when none. */
static int
find_header (const TenureTable *table, const char *const *names)
{
  int found = -1;

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *one[] = { names[i], NULL };
      int row = tenure_table_find_header_row (table, one, 50);

      if (row >= 0 && (found < 0 || row < found))
        found = row;
    }
  return found;
}

/* The column of the first of NAMES the header has; -1 when none (or NAMES is NULL). */
static int
lookup_column (const TenureTable *table, const char *const *names)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      int column = tenure_table_lookup_column (table, names[i]);

      if (column >= 0)
        return column;
    }
  return -1;
}

/* TRUE when TEXT is one of MARKS, case-folded and trimmed. */
static gboolean
is_mark (const char *text, const char *const *marks)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);

  g_strstrip (folded);
  for (guint i = 0; marks[i] != NULL; i++)
    {
      g_autofree char *mark = g_utf8_casefold (marks[i], -1);

      if (strcmp (folded, g_strstrip (mark)) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Signs AMOUNT by the direction mark in COLUMN: money out is negative whatever the sign
 * written; money in keeps its sign (negative: a credit reversed). */
static gboolean
apply_direction (const TenureTable        *table,
                 const TenureRow          *row,
                 int                       column,
                 const TenureBankProfile  *profile,
                 gint64                   *amount,
                 GError                  **error)
{
  const char *text = tenure_row_get_text (row, column);
  const char *const *credit = profile->credit_marks != NULL
                              ? (const char *const *) profile->credit_marks
                              : default_credit_marks;
  const char *const *debit = profile->debit_marks != NULL
                             ? (const char *const *) profile->debit_marks
                             : default_debit_marks;

  if (text != NULL && is_mark (text, debit))
    {
      *amount = -ABS (*amount);
      return TRUE;
    }
  if (text != NULL && is_mark (text, credit))
    return TRUE;
  {
    g_autofree char *where = tenure_table_describe_cell (table, row, column);
    g_autofree char *credits = quoted_names (credit);
    g_autofree char *debits = quoted_names (debit);

    g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                 _("%s: “%s” says neither money in (%s) nor money out (%s)"), where,
                 text != NULL ? text : "", credits, debits);
  }
  return FALSE;
}

GPtrArray *
tenure_bank_table_parse (const TenureTable       *const_table,
                         const TenureBankProfile *profile,
                         TenureStatementFormat    format,
                         GError                 **error)
{
  /* The header row is marked on the table; nothing else is changed. */
  TenureTable *table = (TenureTable *) const_table;
  const char *source = tenure_table_get_source (table);
  static const char *const account_labels[] = { "账号", "帐号", "账户", "账户号", "Account",
                                                "account", NULL };
  static const char *const currency_labels[] = { "币种", "货币", "Currency", "currency", NULL };
  static const char *const period_labels[] = { "起止日期", "查询日期", "交易日期", "Period",
                                               NULL };
  g_autoptr(GPtrArray) statements = NULL;
  TenureStatement *statement;
  const TenureCurrency *currency = profile->currency;
  int columns[N_ROLES];
  int header;
  gboolean have_balance = FALSE;
  gint64 first_balance = 0, first_amount = 0, last_balance = 0;

  header = find_header (table, (const char *const *) profile->header_contains);
  if (header < 0)
    {
      g_autofree char *names = quoted_names ((const char *const *) profile->header_contains);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   _("%s: no header row with %s in the first 50 lines: the file does not "
                     "fit the import profile"), source, names);
      return NULL;
    }
  tenure_table_set_header_row (table, header);
  for (guint role = 0; role < N_ROLES; role++)
    columns[role] = lookup_column (table, (const char *const *) profile->columns[role]);
  /* A profile mapping both kinds of amount takes the debit and credit columns when the header
   * has both, else the one amount column. */
  if (columns[ROLE_DEBIT] >= 0 && columns[ROLE_CREDIT] >= 0)
    columns[ROLE_AMOUNT] = columns[ROLE_DIRECTION] = -1;
  else if (profile->columns[ROLE_AMOUNT] != NULL && columns[ROLE_AMOUNT] >= 0)
    columns[ROLE_DEBIT] = columns[ROLE_CREDIT] = -1;
  for (guint role = 0; role < N_ROLES; role++)
    {
      const TenureRow *row = tenure_table_get_row (table, header);
      g_autofree char *names = NULL;
      guint missing = role;

      if (profile->columns[role] == NULL || columns[role] >= 0 || profile->optional[role])
        continue;
      /* An amount mapped beside debit and credit is missing only when neither kind is there. */
      if ((role == ROLE_AMOUNT || role == ROLE_DIRECTION)
          && columns[ROLE_DEBIT] >= 0 && columns[ROLE_CREDIT] >= 0)
        continue;
      if ((role == ROLE_DEBIT || role == ROLE_CREDIT) && columns[ROLE_AMOUNT] >= 0)
        continue;
      if ((role == ROLE_DEBIT || role == ROLE_CREDIT) && profile->columns[ROLE_AMOUNT] != NULL)
        missing = ROLE_AMOUNT;
      names = quoted_names ((const char *const *) profile->columns[missing]);
      if (tenure_table_get_origin (table) == TENURE_TABLE_SHEET)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                     _("%s, sheet %s, row %u: the header has no column %s (%s in the "
                       "import profile): the file does not fit the profile"),
                     source, tenure_table_get_name (table), tenure_row_get_number (row),
                     names, role_keys[missing]);
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                     _("%s, line %u: the header has no column %s (%s in the import "
                       "profile): the file does not fit the profile"),
                     source, tenure_row_get_number (row), names, role_keys[missing]);
      return NULL;
    }

  statement = tenure_statement_new_empty (format);
  statements = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_statement_free);
  g_ptr_array_add (statements, statement);

  /* What the lines above the header say about the account. */
  for (int r = 0; r < header; r++)
    {
      const TenureRow *row = tenure_table_get_row (table, r);

      for (guint c = 0; c < tenure_row_get_n_cells (row); c++)
        {
          const char *cell = tenure_row_get_text (row, c);
          g_autofree char *account = preamble_value (cell, account_labels);
          g_autofree char *ccy = preamble_value (cell, currency_labels);
          g_autofree char *period = preamble_value (cell, period_labels);

          if (account != NULL && statement->account[0] == '\0')
            {
              g_free (statement->account);
              statement->account = g_steal_pointer (&account);
            }
          if (ccy != NULL && profile->currency == NULL)
            currency = currency_from_text (ccy);
          if (period != NULL)
            {
              g_auto(GStrv) parts = g_regex_split_simple ("\\s*(?:至|到|~|—)\\s*|\\s+--?\\s+",
                                                          period, 0, 0);
              if (g_strv_length (parts) == 2)
                {
                  parse_text_date (parts[0], &statement->from);
                  parse_text_date (parts[1], &statement->to);
                }
            }
        }
    }
  if (currency == NULL)
    currency = tenure_currency_default ();
  statement->currency = currency;

  for (guint r = header + 1; r < tenure_table_get_n_rows (table); r++)
    {
      const TenureRow *row = tenure_table_get_row (table, r);
      const TenureCurrency *line_currency = currency;
      g_autoptr(TenureStatementLine) line = NULL;
      gint64 amount;
      gboolean blank;

      if (tenure_row_is_blank (row) || is_totals_row (row))
        continue;
      line = tenure_statement_line_new ();
      line->source_line = tenure_row_get_number (row);
      if (!cell_date (table, row, columns[ROLE_BOOKED_ON], &line->booked_on, error))
        return NULL;
      line->value_on = line->booked_on;
      if (columns[ROLE_VALUE_ON] >= 0
          && !tenure_cell_is_blank (tenure_row_get_cell (row, columns[ROLE_VALUE_ON]))
          && !cell_date (table, row, columns[ROLE_VALUE_ON], &line->value_on, error))
        return NULL;
      if (columns[ROLE_CURRENCY] >= 0
          && !tenure_cell_is_blank (tenure_row_get_cell (row, columns[ROLE_CURRENCY])))
        {
          const char *text = tenure_row_get_text (row, columns[ROLE_CURRENCY]);

          line_currency = currency_from_text (text);
          if (line_currency == NULL)
            {
              g_autofree char *where = tenure_table_describe_cell (table, row,
                                                                   columns[ROLE_CURRENCY]);
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                           _("%s: unknown currency “%s”"), where, text);
              return NULL;
            }
        }
      if (columns[ROLE_AMOUNT] >= 0)
        {
          if (!cell_amount (table, row, columns[ROLE_AMOUNT], line_currency, &blank, &amount,
                            error))
            return NULL;
          if (blank)
            {
              g_autofree char *where = tenure_table_describe_cell (table, row,
                                                                   columns[ROLE_AMOUNT]);
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE, _("%s: the amount is empty"),
                           where);
              return NULL;
            }
          if (columns[ROLE_DIRECTION] >= 0
              && !apply_direction (table, row, columns[ROLE_DIRECTION], profile, &amount, error))
            return NULL;
        }
      else
        {
          gint64 debit, credit;
          gboolean debit_blank, credit_blank;

          if (!cell_amount (table, row, columns[ROLE_DEBIT], line_currency, &debit_blank, &debit,
                            error)
              || !cell_amount (table, row, columns[ROLE_CREDIT], line_currency, &credit_blank,
                               &credit, error))
            return NULL;
          if ((debit != 0 && credit != 0) || (debit_blank && credit_blank))
            {
              g_autofree char *where = tenure_table_describe_cell (table, row,
                                                                   columns[ROLE_DEBIT]);
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                           _("%s: a line needs one amount, in either the debit or the credit "
                             "column"), where);
              return NULL;
            }
          /* Some banks print debits negative: the column, not the sign, says money out. A
           * negative credit is a credit reversed (冲正): money out as well. */
          amount = credit - ABS (debit);
        }
      line->amount = tenure_money_new (amount, line_currency);
      g_free (line->counterparty_name);
      line->counterparty_name = cell_string (row, columns[ROLE_PAYER_NAME]);
      g_free (line->counterparty_account);
      line->counterparty_account = cell_string (row, columns[ROLE_PAYER_ACCOUNT]);
      g_free (line->remittance);
      line->remittance = cell_string (row, columns[ROLE_MEMO]);
      g_free (line->bank_reference);
      line->bank_reference = cell_string (row, columns[ROLE_BANK_REFERENCE]);
      g_free (line->end_to_end_id);
      line->end_to_end_id = cell_string (row, columns[ROLE_END_TO_END_ID]);
      if (columns[ROLE_BALANCE] >= 0 && line_currency == currency)
        {
          gint64 balance;

          if (!cell_amount (table, row, columns[ROLE_BALANCE], currency, &blank, &balance,
                            error))
            return NULL;
          if (!blank)
            {
              if (!have_balance)
                {
                  first_balance = balance;
                  first_amount = amount;
                  statement->opening.date = line->booked_on;
                }
              have_balance = TRUE;
              last_balance = balance;
              statement->closing.date = line->booked_on;
            }
        }
      g_ptr_array_add (statement->lines, g_steal_pointer (&line));
    }
  if (have_balance)
    {
      /* The running balance of the first line includes that line. */
      statement->opening.set = TRUE;
      statement->opening.amount = tenure_money_new (first_balance - first_amount, currency);
      statement->closing.set = TRUE;
      statement->closing.amount = tenure_money_new (last_balance, currency);
    }
  return g_steal_pointer (&statements);
}
