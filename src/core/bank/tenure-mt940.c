/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bank"

#include "bank/tenure-statement-private.h"

#include <string.h>

#include "base/tenure-i18n.h"

/* One tagged field (":61:…") with its continuation lines joined by "\n". */
typedef struct
{
  char    tag[8];
  GString *value;
  guint    line;
} Field;

typedef struct
{
  const char *name;
  GError    **error;
} Ctx;

/* SEPA keywords inside the :86: purpose text (German banks, DFÜ agreement annex 3). */
static const char *const sepa_keys[] = {
  "EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "SVWZ+", "ABWA+", "ABWE+", "COAM+", "OAMT+",
  "IBAN+", "BIC+", "PURP+", "MDAT+", "SQTP+", "ORCR+", "ORMR+", "DDAT+", NULL
};

static void
field_free (Field *field)
{
  g_string_free (field->value, TRUE);
  g_free (field);
}

static gboolean
fail (Ctx *ctx, guint line, const char *field, const char *detail)
{
  tenure_bank_set_error (ctx->error, TENURE_ERROR_PARSE, ctx->name, line, field, detail);
  return FALSE;
}

/* "YYMMDD" → date; SWIFT years 80–99 are 19xx. */
static gboolean
parse_yymmdd (const char *p, TenureDate *out)
{
  int yy, mm, dd;

  for (int i = 0; i < 6; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;
  yy = (p[0] - '0') * 10 + (p[1] - '0');
  mm = (p[2] - '0') * 10 + (p[3] - '0');
  dd = (p[4] - '0') * 10 + (p[5] - '0');
  if (!tenure_date_valid_ymd (yy >= 80 ? 1900 + yy : 2000 + yy, mm, dd))
    return FALSE;
  *out = tenure_date_from_ymd (yy >= 80 ? 1900 + yy : 2000 + yy, mm, dd);
  return TRUE;
}

/* :60F:, :62F: and the like: "C110522EUR3236,28". */
static gboolean
parse_balance (Ctx *ctx, Field *field, TenureStatementBalance *out)
{
  const char *v = field->value->str;
  const TenureCurrency *currency;
  g_autofree char *field_name = g_strdup_printf (":%s:", field->tag);
  g_autofree char *code = NULL;
  g_autofree char *where = NULL;
  TenureDate date;
  gint64 minor;

  if (v[0] != 'C' && v[0] != 'D')
    return fail (ctx, field->line, field_name, _("the balance has no debit/credit mark"));
  if (strlen (v) < 11 || !parse_yymmdd (v + 1, &date))
    return fail (ctx, field->line, field_name, _("the balance has no valid date (YYMMDD)"));
  code = g_strndup (v + 7, 3);
  currency = tenure_bank_currency_lookup (code);
  if (currency == NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("unknown currency “%s”"), code);
      return fail (ctx, field->line, field_name, detail);
    }
  where = g_strdup_printf (_("%s, line %u, %s"), ctx->name, field->line, field_name);
  if (!tenure_bank_parse_amount (v + 10, currency, TRUE, where, &minor, ctx->error))
    return FALSE;
  out->set = TRUE;
  out->date = date;
  out->amount = tenure_money_new (v[0] == 'D' ? -minor : minor, currency);
  g_strlcpy (out->code, field->tag, sizeof out->code);
  return TRUE;
}

/* Text after a SEPA keyword up to the next keyword. */
static char *
sepa_value (const char *purpose, const char *key)
{
  const char *start = strstr (purpose, key);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (key);
  end = start + strlen (start);
  for (guint i = 0; sepa_keys[i] != NULL; i++)
    {
      const char *next = strstr (start, sepa_keys[i]);
      if (next != NULL && next < end)
        end = next;
    }
  return g_strstrip (g_strndup (start, end - start));
}

/* The keys of the "/KEY/value" form of :86: (Dutch banks' and others' structured
 * information: /TRTP/SEPA OVERBOEKING/IBAN/NL34…/NAME/ACME BV/REMI/INV 12/EREF/NOTPROVIDED). */
static const char *const slash_keys[] = {
  "TRTP", "NAME", "REMI", "EREF", "IBAN", "ACCW", "BIC", "CNTP", "ORDP", "BENM", "MARF",
  "CSID", "ADDR", "PURP", "RTRN", "ISDT", "PREF", "IREF", "ULTC", "ULTD", "USTD", "STRD",
  "CDTRREFTP", "CDTRREF", "CUR", "CD", "ID", "SVCL", NULL
};

/* The key of a "/KEY/" marker at P (P points at the first '/'), or NULL. */
static const char *
slash_key_at (const char *p)
{
  if (*p != '/')
    return NULL;
  for (guint i = 0; slash_keys[i] != NULL; i++)
    {
      gsize n = strlen (slash_keys[i]);

      if (strncmp (p + 1, slash_keys[i], n) == 0 && p[1 + n] == '/')
        return slash_keys[i];
    }
  return NULL;
}

/* Reads the "/KEY/value" form into LINE; FALSE when TEXT is not in it. */
static gboolean
parse_slash_details (const char *text, TenureStatementLine *line)
{
  g_autoptr(GHashTable) values = NULL;
  const char *key, *value_start = NULL, *current = NULL;
  const char *remittance, *account;

  if (slash_key_at (text) == NULL)
    return FALSE;
  values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (const char *p = text; ; p++)
    {
      key = *p != '\0' ? slash_key_at (p) : NULL;
      if (key == NULL && *p != '\0')
        continue;
      if (current != NULL && !g_hash_table_contains (values, current))
        {
          /* the value runs to the next marker; its own trailing '/' and spaces go */
          g_autofree char *value = g_strndup (value_start, p > value_start ? p - value_start : 0);
          gsize n = strlen (value);

          while (n > 0 && (value[n - 1] == '/' || value[n - 1] == ' '))
            value[--n] = '\0';
          while (*value == '/')
            memmove (value, value + 1, n--);
          g_hash_table_insert (values, (gpointer) current, g_strstrip (g_steal_pointer (&value)));
        }
      if (*p == '\0')
        break;
      current = key;
      /* The '/' after the key may open the next marker (an empty value: /REMI/USTD//…). */
      p += strlen (key);
      value_start = p + 2;
    }

  /* CNTP: account/BIC/name/city */
  if (g_hash_table_contains (values, "CNTP"))
    {
      g_auto(GStrv) parts = g_strsplit (g_hash_table_lookup (values, "CNTP"), "/", 4);

      if (parts[0] != NULL && parts[0][0] != '\0')
        {
          g_free (line->counterparty_account);
          line->counterparty_account = g_strdup (parts[0]);
        }
      if (parts[0] != NULL && parts[1] != NULL && parts[2] != NULL && parts[2][0] != '\0')
        {
          g_free (line->counterparty_name);
          line->counterparty_name = g_strdup (parts[2]);
        }
    }
  if (g_hash_table_contains (values, "NAME"))
    {
      g_free (line->counterparty_name);
      line->counterparty_name = g_strdup (g_hash_table_lookup (values, "NAME"));
    }
  account = g_hash_table_lookup (values, "IBAN");
  if (account == NULL)
    account = g_hash_table_lookup (values, "ACCW");
  if (account != NULL && account[0] != '\0')
    {
      g_free (line->counterparty_account);
      line->counterparty_account = g_strndup (account, strcspn (account, ","));
    }
  /* REMI, or its unstructured (USTD) or structured reference (STRD/CUR) part */
  remittance = g_hash_table_lookup (values, "REMI");
  if (remittance == NULL || remittance[0] == '\0')
    remittance = g_hash_table_lookup (values, "USTD");
  if (remittance == NULL || remittance[0] == '\0')
    remittance = g_hash_table_lookup (values, "CUR");
  g_free (line->remittance);
  line->remittance = g_strdup (remittance != NULL ? remittance : "");
  if (g_hash_table_contains (values, "EREF"))
    {
      const char *eref = g_hash_table_lookup (values, "EREF");

      if (strcmp (eref, "NOTPROVIDED") != 0 && strcmp (eref, "NONREF") != 0)
        {
          g_free (line->end_to_end_id);
          line->end_to_end_id = g_strdup (eref);
        }
    }
  if (g_hash_table_contains (values, "TRTP"))
    {
      g_free (line->transaction_code);
      line->transaction_code = g_strdup (g_hash_table_lookup (values, "TRTP"));
    }
  return TRUE;
}

/* :86: "166?00GUTSCHRIFT?20…?32Name": structured subfields, else free text. */
static void
parse_details (const char *raw, TenureStatementLine *line)
{
  g_autofree char *joined = NULL;
  const char *v = raw;

  while (*v == ' ')
    v++;
  if (strlen (v) >= 4 && g_ascii_isdigit (v[0]) && g_ascii_isdigit (v[1])
      && g_ascii_isdigit (v[2]) && (v[3] == '?' || (v[3] == '\n' && v[4] == '?')))
    {
      g_autoptr(GString) purpose = g_string_new ("");
      g_autoptr(GString) name = g_string_new ("");
      g_autofree char *account = NULL;
      g_auto(GStrv) parts = NULL;

      /* Lines were wrapped at 65 characters, anywhere: join them as they were. */
      joined = g_strdup (v);
      {
        char *w = joined;
        for (const char *r = joined; *r != '\0'; r++)
          if (*r != '\n' && *r != '\r')
            *w++ = *r;
        *w = '\0';
      }
      parts = g_strsplit (joined + 3, "?", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          const char *p = parts[i];
          int key;

          if (strlen (p) < 2 || !g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]))
            continue;
          key = (p[0] - '0') * 10 + (p[1] - '0');
          p += 2;
          if ((key >= 20 && key <= 29) || (key >= 60 && key <= 63))
            g_string_append (purpose, p);
          else if (key == 31)
            {
              g_free (account);
              account = g_strdup (p);
            }
          else if (key == 32 || key == 33)
            g_string_append (name, p);
        }
      g_free (line->remittance);
      line->remittance = g_strstrip (g_strdup (purpose->str));
      g_free (line->counterparty_name);
      line->counterparty_name = g_strstrip (g_strdup (name->str));
      if (account != NULL)
        {
          g_free (line->counterparty_account);
          line->counterparty_account = g_strstrip (g_steal_pointer (&account));
        }
      {
        char *eref = sepa_value (line->remittance, "EREF+");
        if (eref != NULL && strcmp (eref, "NOTPROVIDED") != 0 && strcmp (eref, "NONREF") != 0)
          {
            g_free (line->end_to_end_id);
            line->end_to_end_id = eref;
          }
        else
          g_free (eref);
      }
      g_free (line->transaction_code);
      line->transaction_code = g_strndup (v, 3);
    }
  else
    {
      g_auto(GStrv) pieces = g_strsplit (v, "\n", -1);

      for (guint i = 0; pieces[i] != NULL; i++)
        g_strstrip (pieces[i]);
      /* The "/KEY/value" form was wrapped at 65 characters anywhere: joined as it was. */
      joined = g_strjoinv ("", pieces);
      if (parse_slash_details (joined, line))
        return;
      g_free (joined);
      joined = g_strjoinv (" ", pieces);
      g_free (line->remittance);
      line->remittance = g_strstrip (g_steal_pointer (&joined));
    }
}

/* :61: "0709040904CR300,NTRFTFNr 40005 MSGID//0724710345313905\nsupplementary". */
static gboolean
parse_entry (Ctx *ctx, Field *field, const TenureCurrency *currency, TenureStatementLine *line)
{
  const char *v = field->value->str;
  const char *p = v;
  const char *amount_start;
  g_autofree char *amount_text = NULL;
  g_autofree char *where = NULL;
  gboolean negative, reversal = FALSE;
  TenureDate value;
  gint64 minor;

  if (!parse_yymmdd (p, &value))
    {
      g_autofree char *head = g_strndup (v, 6);
      g_autofree char *detail = g_strdup_printf (_("value date “%s” is not a date (YYMMDD)"),
                                                 head);
      return fail (ctx, field->line, ":61:", detail);
    }
  p += 6;
  line->value_on = value;
  line->booked_on = value;
  if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2])
      && g_ascii_isdigit (p[3]))
    {
      int y = tenure_date_get_year (value);
      int vm = tenure_date_get_month (value);
      int mm = (p[0] - '0') * 10 + (p[1] - '0');
      int dd = (p[2] - '0') * 10 + (p[3] - '0');

      /* The entry date has no year: it is the one nearest the value date. */
      if (vm == 1 && mm == 12)
        y--;
      else if (vm == 12 && mm == 1)
        y++;
      if (!tenure_date_valid_ymd (y, mm, dd))
        {
          g_autofree char *head = g_strndup (p, 4);
          g_autofree char *detail = g_strdup_printf (_("entry date “%s” is not a date (MMDD)"),
                                                     head);
          return fail (ctx, field->line, ":61:", detail);
        }
      line->booked_on = tenure_date_from_ymd (y, mm, dd);
      p += 4;
    }
  if (p[0] == 'R' && (p[1] == 'C' || p[1] == 'D'))
    {
      reversal = TRUE;
      p++;
    }
  if (p[0] != 'C' && p[0] != 'D')
    return fail (ctx, field->line, ":61:",
                 _("the debit/credit mark (C, D, RC or RD) is missing after the dates"));
  /* A reversed credit takes money out, a reversed debit puts it back. */
  negative = (p[0] == 'D') != reversal;
  p++;
  if (g_ascii_isupper (p[0]) && !g_ascii_isdigit (p[0]))
    p++;  /* funds code: third letter of the currency */
  if (p[0] == ' ' || p[0] == '\n')
    p++;
  amount_start = p;
  while (g_ascii_isdigit (*p) || *p == ',')
    p++;
  amount_text = g_strndup (amount_start, p - amount_start);
  if (amount_text[0] == '\0' || strchr (amount_text, ',') == NULL || strlen (amount_text) > 15)
    {
      g_autofree char *detail = g_strdup_printf (
        _("the amount “%s” is not an amount with a decimal comma"), amount_text);
      return fail (ctx, field->line, ":61:", detail);
    }
  where = g_strdup_printf (_("%s, line %u, %s"), ctx->name, field->line, ":61:");
  if (!tenure_bank_parse_amount (amount_text, currency, TRUE, where, &minor, ctx->error))
    return FALSE;
  line->amount = tenure_money_new (negative ? -minor : minor, currency);

  /* Transaction type: N, F or S and three characters ("NTRF", "N192"). */
  if (strlen (p) < 4 || !g_ascii_isupper (p[0]))
    return fail (ctx, field->line, ":61:",
                 _("the transaction type (such as NTRF) is missing after the amount"));
  g_free (line->transaction_code);
  line->transaction_code = g_strndup (p, 4);
  p += 4;
  {
    const char *eol = strchr (p, '\n');
    g_autofree char *first = eol != NULL ? g_strndup (p, eol - p) : g_strdup (p);
    char *slashes = strstr (first, "//");

    if (slashes != NULL)
      {
        g_free (line->bank_reference);
        line->bank_reference = g_strstrip (g_strdup (slashes + 2));
      }
  }
  return TRUE;
}

/* Splits the text into tagged fields, statement by statement. */
static GPtrArray *
read_fields (const char *text)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  Field *current = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *l = lines[i];
      gsize n = strlen (l);
      const char *colon;

      if (n > 0 && l[n - 1] == '\r')
        l[--n] = '\0';
      /* SWIFT envelope "{1:…}{2:…}{4:" and its end "-}" */
      if (l[0] == '{')
        {
          char *body = strstr (l, "{4:");
          if (body == NULL)
            continue;
          l = body + 3;
          n = strlen (l);
        }
      if (strcmp (l, "-") == 0 || strcmp (l, "-}") == 0)
        {
          current = NULL;
          continue;
        }
      if (l[0] == ':' && (colon = strchr (l + 1, ':')) != NULL && colon - l >= 3
          && colon - l <= 5 && g_ascii_isdigit (l[1]) && g_ascii_isdigit (l[2]))
        {
          current = g_new0 (Field, 1);
          memcpy (current->tag, l + 1, colon - l - 1);
          current->value = g_string_new (colon + 1);
          current->line = i + 1;
          g_ptr_array_add (fields, current);
          continue;
        }
      if (current == NULL)
        continue;   /* bank header lines ("ABNANL2A", "940") and blank lines */
      if (n == 0 && strcmp (current->tag, "86") != 0)
        continue;
      g_string_append_c (current->value, '\n');
      g_string_append (current->value, l);
    }
  return fields;
}

/* UTF-8 as it is; anything else is taken as Latin-1, which German and Dutch banks use. */
static char *
decode (Ctx *ctx, const char *data, gsize len)
{
  const char *nul = memchr (data, '\0', len);

  if (nul != NULL)
    {
      guint line = 1;
      g_autofree char *detail = NULL;

      for (const char *p = data; p < nul; p++)
        line += *p == '\n';
      detail = g_strdup_printf (_("a NUL byte at offset %lu (a binary file?)"),
                                (gulong) (nul - data));
      tenure_bank_set_error (ctx->error, TENURE_ERROR_ENCODING, ctx->name, line,
                             _("encoding"), detail);
      return NULL;
    }
  if (g_utf8_validate_len (data, len, NULL))
    return g_strndup (data, len);
  return g_convert (data, len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
}

GPtrArray *
tenure_mt940_parse (const char *data, gsize len, const char *name, GError **error)
{
  Ctx ctx = { name, error };
  g_autofree char *text = decode (&ctx, data, len);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) statements = NULL;
  TenureStatement *statement = NULL;
  TenureStatementLine *last = NULL;

  if (text == NULL)
    return NULL;
  fields = read_fields (text);
  statements = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_statement_free);
  for (guint i = 0; i < fields->len; i++)
    {
      Field *f = g_ptr_array_index (fields, i);
      const char *tag = f->tag;

      if (strcmp (tag, "20") == 0)
        {
          statement = tenure_statement_new_empty (TENURE_STATEMENT_FORMAT_MT940);
          g_ptr_array_add (statements, statement);
          g_free (statement->statement_id);
          statement->statement_id = g_strstrip (g_strdup (f->value->str));
          last = NULL;
          continue;
        }
      if (statement == NULL)
        {
          g_autofree char *field_name = g_strdup_printf (":%s:", tag);
          fail (&ctx, f->line, field_name, _("the field comes before the first :20:"));
          return NULL;
        }
      if (strcmp (tag, "25") == 0)
        {
          g_free (statement->account);
          statement->account = g_strstrip (g_strdup (f->value->str));
        }
      else if (strcmp (tag, "28C") == 0 || strcmp (tag, "28") == 0)
        {
          g_autofree char *number = g_strstrip (g_strdup (f->value->str));
          char *id = g_strconcat (statement->statement_id, "/", number, NULL);
          g_free (statement->statement_id);
          statement->statement_id = id;
        }
      else if (g_str_has_prefix (tag, "60"))
        {
          if (!parse_balance (&ctx, f, &statement->opening))
            return NULL;
          statement->currency = statement->opening.amount.currency;
          statement->from = statement->opening.date;
          g_array_append_val (statement->balances, statement->opening);
        }
      else if (g_str_has_prefix (tag, "62"))
        {
          if (!parse_balance (&ctx, f, &statement->closing))
            return NULL;
          statement->to = statement->closing.date;
          g_array_append_val (statement->balances, statement->closing);
        }
      else if (strcmp (tag, "64") == 0 || strcmp (tag, "65") == 0)
        {
          TenureStatementBalance available = { 0 };

          if (!parse_balance (&ctx, f, &available))
            return NULL;
          g_array_append_val (statement->balances, available);
        }
      else if (strcmp (tag, "61") == 0)
        {
          if (statement->currency == NULL)
            {
              fail (&ctx, f->line, ":61:",
                    _("an entry before the opening balance (:60F:) that gives the currency"));
              return NULL;
            }
          last = tenure_statement_line_new ();
          g_ptr_array_add (statement->lines, last);
          last->source_line = f->line;
          if (!parse_entry (&ctx, f, statement->currency, last))
            return NULL;
        }
      if (strcmp (tag, "86") == 0 && last != NULL)
        parse_details (f->value->str, last);
      /* Only a :86: right after its :61: describes the entry; others describe the
       * statement. */
      if (strcmp (tag, "61") != 0)
        last = NULL;
    }
  if (statements->len == 0)
    {
      tenure_bank_set_error (error, TENURE_ERROR_PARSE, name, 0, ":20:",
                             _("the file holds no MT940 statement"));
      return NULL;
    }
  for (guint i = 0; i < statements->len; i++)
    {
      TenureStatement *s = g_ptr_array_index (statements, i);
      if (s->currency == NULL)
        {
          tenure_bank_set_error (error, TENURE_ERROR_PARSE, name, 0, ":60F:",
                                 _("a statement has no opening balance"));
          return NULL;
        }
    }
  return g_steal_pointer (&statements);
}
