/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bank"

#include "bank/tenure-statement-private.h"

#include <string.h>

#include "base/tenure-i18n.h"

/* OFX 1.x is SGML whose leaf elements have no end tag ("<TRNAMT>-6.60"); OFX 2.x is the same
 * vocabulary as XML. One tokenizer reads both: a stack of open aggregates, and leaf values
 * taken up to the next tag. */

typedef struct
{
  const char *name;
  GError    **error;
  const char *text;
  const char *p;
  const char *end;
  guint       line;
  GPtrArray  *stack;          /* open aggregates (char *) */
  GPtrArray  *statements;
  TenureStatement     *statement;
  TenureStatementLine *entry;
  const TenureCurrency *currency;
  gboolean    seen_ofx_end;
  /* values of the current STMTTRN */
  char       *trn_amount;
  guint       trn_amount_line;
  char       *trn_posted;
  char       *trn_avail;
  char       *bal_amount;
  guint       bal_line;
  char       *bal_date;
} Ctx;

static gboolean
fail (Ctx *ctx, guint line, const char *field, const char *detail)
{
  tenure_bank_set_error (ctx->error, TENURE_ERROR_PARSE, ctx->name, line, field, detail);
  return FALSE;
}

/* Decodes &amp; &lt; &gt; &quot; &apos; and numeric references. */
static char *
unescape (const char *s, gsize len)
{
  GString *out = g_string_sized_new (len);
  const char *end = s + len;

  while (s < end)
    {
      if (*s == '&')
        {
          const char *semi = memchr (s, ';', end - s);
          static const struct { const char *name; char c; } ents[] = {
            { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
            { "nbsp", ' ' },
          };
          if (semi != NULL && semi - s <= 10)
            {
              gsize n = semi - s - 1;
              gboolean done = FALSE;

              for (gsize i = 0; i < G_N_ELEMENTS (ents); i++)
                if (strlen (ents[i].name) == n && strncmp (s + 1, ents[i].name, n) == 0)
                  {
                    g_string_append_c (out, ents[i].c);
                    done = TRUE;
                  }
              if (!done && n >= 2 && s[1] == '#')
                {
                  g_autofree char *num = g_strndup (s + 2, n - 1);
                  guint64 cp = 0;
                  gboolean ok;

                  if (num[0] == 'x' || num[0] == 'X')
                    ok = g_ascii_string_to_unsigned (num + 1, 16, 1, 0x10FFFF, &cp, NULL);
                  else
                    ok = g_ascii_string_to_unsigned (num, 10, 1, 0x10FFFF, &cp, NULL);
                  if (ok && g_unichar_validate ((gunichar) cp))
                    {
                      g_string_append_unichar (out, (gunichar) cp);
                      done = TRUE;
                    }
                }
              if (done)
                {
                  s = semi + 1;
                  continue;
                }
            }
        }
      g_string_append_c (out, *s++);
    }
  return g_strstrip (g_string_free (out, FALSE));
}

static const char *
top (Ctx *ctx)
{
  return ctx->stack->len > 0 ? g_ptr_array_index (ctx->stack, ctx->stack->len - 1) : "";
}

/* "20090401122017.000[-5:EST]" → 2009-04-01. */
static gboolean
parse_ofx_date (const char *value, TenureDate *out)
{
  int y, m, d;

  if (strlen (value) < 8)
    return FALSE;
  for (int i = 0; i < 8; i++)
    if (!g_ascii_isdigit (value[i]))
      return FALSE;
  y = (value[0] - '0') * 1000 + (value[1] - '0') * 100 + (value[2] - '0') * 10 + (value[3] - '0');
  m = (value[4] - '0') * 10 + (value[5] - '0');
  d = (value[6] - '0') * 10 + (value[7] - '0');
  if (!tenure_date_valid_ymd (y, m, d))
    return FALSE;
  *out = tenure_date_from_ymd (y, m, d);
  return TRUE;
}

static gboolean
date_field (Ctx *ctx, const char *value, const char *field, guint line, TenureDate *out)
{
  if (parse_ofx_date (value, out))
    return TRUE;
  {
    g_autofree char *detail = g_strdup_printf (_("“%s” is not a date (YYYYMMDD…)"), value);
    return fail (ctx, line, field, detail);
  }
}

static gboolean
amount_field (Ctx *ctx, const char *value, const char *field, guint line, gint64 *out)
{
  g_autofree char *where = g_strdup_printf (_("%s, line %u, %s"), ctx->name, line, field);
  gboolean comma = strchr (value, ',') != NULL && strchr (value, '.') == NULL;

  return tenure_bank_parse_amount (value, ctx->currency, comma, where, out, ctx->error);
}

static gboolean
open_aggregate (Ctx *ctx, const char *tag)
{
  if (strcmp (tag, "STMTRS") == 0 || strcmp (tag, "CCSTMTRS") == 0)
    {
      if (ctx->entry != NULL)
        return fail (ctx, ctx->line, tag, _("a statement inside a transaction (STMTTRN)"));
      ctx->statement = tenure_statement_new_empty (TENURE_STATEMENT_FORMAT_OFX);
      g_ptr_array_add (ctx->statements, ctx->statement);
      ctx->currency = NULL;
    }
  else if (strcmp (tag, "STMTTRN") == 0)
    {
      if (ctx->statement == NULL || ctx->currency == NULL)
        return fail (ctx, ctx->line, "STMTTRN",
                     _("a transaction outside a statement, or before its CURDEF"));
      tenure_statement_line_free (ctx->entry);
      ctx->entry = tenure_statement_line_new ();
      ctx->entry->source_line = ctx->line;
      ctx->entry->amount.currency = ctx->currency;
      g_clear_pointer (&ctx->trn_amount, g_free);
      g_clear_pointer (&ctx->trn_posted, g_free);
      g_clear_pointer (&ctx->trn_avail, g_free);
    }
  else if (strcmp (tag, "LEDGERBAL") == 0)
    {
      g_clear_pointer (&ctx->bal_amount, g_free);
      g_clear_pointer (&ctx->bal_date, g_free);
    }
  g_ptr_array_add (ctx->stack, g_strdup (tag));
  return TRUE;
}

static gboolean
close_entry (Ctx *ctx)
{
  g_autoptr(TenureStatementLine) entry = g_steal_pointer (&ctx->entry);
  guint line = entry->source_line;
  gint64 minor;

  if (ctx->trn_posted == NULL)
    return fail (ctx, line, "STMTTRN/DTPOSTED", _("the transaction has no posting date"));
  if (ctx->trn_amount == NULL)
    return fail (ctx, line, "STMTTRN/TRNAMT", _("the transaction has no amount"));
  if (!date_field (ctx, ctx->trn_posted, "STMTTRN/DTPOSTED", line, &entry->booked_on))
    return FALSE;
  entry->value_on = entry->booked_on;
  if (ctx->trn_avail != NULL
      && !date_field (ctx, ctx->trn_avail, "STMTTRN/DTAVAIL", line, &entry->value_on))
    return FALSE;
  /* The currency in force when the transaction began. */
  ctx->currency = entry->amount.currency;
  if (!amount_field (ctx, ctx->trn_amount, "STMTTRN/TRNAMT", ctx->trn_amount_line, &minor))
    return FALSE;
  entry->amount = tenure_money_new (minor, ctx->currency);
  g_ptr_array_add (ctx->statement->lines, g_steal_pointer (&entry));
  return TRUE;
}

static gboolean
close_aggregate (Ctx *ctx, const char *tag)
{
  gint found = -1;

  /* SGML may leave aggregates unclosed in theory; close up to the matching one. */
  for (gint i = (gint) ctx->stack->len - 1; i >= 0; i--)
    if (strcmp (g_ptr_array_index (ctx->stack, i), tag) == 0)
      {
        found = i;
        break;
      }
  if (found < 0)
    {
      g_autofree char *field = g_strdup_printf ("</%s>", tag);
      return fail (ctx, ctx->line, field, _("an end tag without its start tag"));
    }
  for (guint i = found; i < ctx->stack->len && ctx->entry != NULL; i++)
    if (strcmp (g_ptr_array_index (ctx->stack, i), "STMTTRN") == 0 && !close_entry (ctx))
      return FALSE;
  if (strcmp (tag, "LEDGERBAL") == 0 && ctx->statement != NULL && ctx->bal_amount != NULL)
    {
      gint64 minor;

      if (ctx->currency == NULL)
        return fail (ctx, ctx->bal_line, "LEDGERBAL/BALAMT", _("a balance before CURDEF"));
      if (!amount_field (ctx, ctx->bal_amount, "LEDGERBAL/BALAMT", ctx->bal_line, &minor))
        return FALSE;
      ctx->statement->closing.set = TRUE;
      ctx->statement->closing.amount = tenure_money_new (minor, ctx->currency);
      g_strlcpy (ctx->statement->closing.code, "LEDGERBAL", sizeof ctx->statement->closing.code);
      if (ctx->bal_date != NULL
          && !date_field (ctx, ctx->bal_date, "LEDGERBAL/DTASOF", ctx->bal_line,
                          &ctx->statement->closing.date))
        return FALSE;
      g_array_append_val (ctx->statement->balances, ctx->statement->closing);
    }
  if (strcmp (tag, "OFX") == 0)
    ctx->seen_ofx_end = TRUE;
  g_ptr_array_set_size (ctx->stack, found);
  return TRUE;
}

static void
set_string (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static gboolean
leaf (Ctx *ctx, const char *tag, const char *value, guint line)
{
  const char *parent = top (ctx);

  if (ctx->entry != NULL && strcmp (parent, "STMTTRN") == 0)
    {
      if (strcmp (tag, "TRNAMT") == 0)
        {
          set_string (&ctx->trn_amount, value);
          ctx->trn_amount_line = line;
        }
      else if (strcmp (tag, "DTPOSTED") == 0)
        set_string (&ctx->trn_posted, value);
      else if (strcmp (tag, "DTAVAIL") == 0)
        set_string (&ctx->trn_avail, value);
      else if (strcmp (tag, "FITID") == 0)
        set_string (&ctx->entry->bank_reference, value);
      else if (strcmp (tag, "NAME") == 0)
        set_string (&ctx->entry->counterparty_name, value);
      else if (strcmp (tag, "MEMO") == 0)
        set_string (&ctx->entry->remittance, value);
      else if (strcmp (tag, "TRNTYPE") == 0)
        set_string (&ctx->entry->transaction_code, value);
      else if (strcmp (tag, "REFNUM") == 0 && ctx->entry->end_to_end_id[0] == '\0')
        set_string (&ctx->entry->end_to_end_id, value);
      return TRUE;
    }
  if (ctx->entry != NULL && strcmp (parent, "PAYEE") == 0 && strcmp (tag, "NAME") == 0)
    set_string (&ctx->entry->counterparty_name, value);
  else if (ctx->entry != NULL && (strcmp (parent, "BANKACCTTO") == 0
                                  || strcmp (parent, "CCACCTTO") == 0)
           && strcmp (tag, "ACCTID") == 0)
    set_string (&ctx->entry->counterparty_account, value);
  else if (ctx->statement == NULL)
    return TRUE;
  else if (strcmp (tag, "CURDEF") == 0
           && (strcmp (parent, "STMTRS") == 0 || strcmp (parent, "CCSTMTRS") == 0))
    {
      ctx->currency = tenure_bank_currency_lookup (value);
      if (ctx->currency == NULL)
        {
          g_autofree char *detail = g_strdup_printf (_("unknown currency “%s”"), value);
          return fail (ctx, line, "CURDEF", detail);
        }
      ctx->statement->currency = ctx->currency;
    }
  else if (strcmp (tag, "ACCTID") == 0
           && (strcmp (parent, "BANKACCTFROM") == 0 || strcmp (parent, "CCACCTFROM") == 0))
    set_string (&ctx->statement->account, value);
  else if (strcmp (parent, "BANKTRANLIST") == 0 && strcmp (tag, "DTSTART") == 0)
    return date_field (ctx, value, "BANKTRANLIST/DTSTART", line, &ctx->statement->from);
  else if (strcmp (parent, "BANKTRANLIST") == 0 && strcmp (tag, "DTEND") == 0)
    return date_field (ctx, value, "BANKTRANLIST/DTEND", line, &ctx->statement->to);
  else if (strcmp (parent, "LEDGERBAL") == 0 && strcmp (tag, "BALAMT") == 0)
    {
      set_string (&ctx->bal_amount, value);
      ctx->bal_line = line;
    }
  else if (strcmp (parent, "LEDGERBAL") == 0 && strcmp (tag, "DTASOF") == 0)
    set_string (&ctx->bal_date, value);
  return TRUE;
}

/* Tags whose value is text, not an aggregate: anything followed by text before the next '<'.
 * SGML leaves have no end tag; XML leaves have one, which is skipped. */
static gboolean
run (Ctx *ctx)
{
  while (ctx->p < ctx->end)
    {
      const char *lt = memchr (ctx->p, '<', ctx->end - ctx->p);
      const char *gt;
      g_autofree char *tag = NULL;
      gboolean closing;

      for (const char *q = ctx->p; q < (lt != NULL ? lt : ctx->end); q++)
        ctx->line += *q == '\n';
      if (lt == NULL)
        break;
      ctx->p = lt;
      if (ctx->end - lt >= 4 && memcmp (lt, "<!--", 4) == 0)
        {
          const char *close = g_strstr_len (lt, ctx->end - lt, "-->");
          if (close == NULL)
            return fail (ctx, ctx->line, "<!--", _("a comment that never ends"));
          for (const char *q = lt; q < close; q++)
            ctx->line += *q == '\n';
          ctx->p = close + 3;
          continue;
        }
      gt = memchr (lt, '>', ctx->end - lt);
      if (gt == NULL)
        return fail (ctx, ctx->line, "<", _("the file ends inside a tag"));
      if (lt[1] == '?' || lt[1] == '!')
        {
          for (const char *q = lt; q < gt; q++)
            ctx->line += *q == '\n';
          ctx->p = gt + 1;
          continue;
        }
      closing = lt[1] == '/';
      tag = g_strndup (lt + 1 + closing, gt - lt - 1 - closing);
      g_strstrip (tag);
      if (tag[0] == '\0' || strpbrk (tag, " \t\r\n<\"'=") != NULL)
        {
          g_autofree char *shown = g_strndup (lt, MIN (gt - lt + 1, 40));
          g_autofree char *detail = g_strdup_printf (_("“%s” is not an OFX tag"), shown);
          return fail (ctx, ctx->line, _("tag"), detail);
        }
      ctx->p = gt + 1;
      if (closing)
        {
          if (!close_aggregate (ctx, tag))
            return FALSE;
          continue;
        }
      {
        const char *next = memchr (ctx->p, '<', ctx->end - ctx->p);
        const char *value_end = next != NULL ? next : ctx->end;
        g_autofree char *value = unescape (ctx->p, value_end - ctx->p);
        guint line = ctx->line;

        if (value[0] == '\0')
          {
            if (!open_aggregate (ctx, tag))
              return FALSE;
            continue;
          }
        if (!g_utf8_validate (value, -1, NULL))
          return fail (ctx, line, tag, _("the value is not valid text"));
        if (!leaf (ctx, tag, value, line))
          return FALSE;
        for (const char *q = ctx->p; q < value_end; q++)
          ctx->line += *q == '\n';
        ctx->p = value_end;
        /* The XML form closes the leaf: "<NAME>x</NAME>". */
        {
          gsize n = strlen (tag);
          if ((gsize) (ctx->end - ctx->p) >= n + 3 && ctx->p[1] == '/'
              && strncmp (ctx->p + 2, tag, n) == 0 && ctx->p[2 + n] == '>')
            ctx->p += n + 3;
        }
      }
    }
  return TRUE;
}

/* OFX 1 declares CHARSET:1252 (or ISO-8859-1) and ENCODING:USASCII; OFX 2 is UTF-8 XML. */
static char *
decode (Ctx *ctx, const char *data, gsize len)
{
  const char *bad;

  if (memchr (data, '\0', len) != NULL)
    {
      tenure_bank_set_error (ctx->error, TENURE_ERROR_ENCODING, ctx->name, 0, _("encoding"),
                             _("the file contains NUL bytes (a binary file?)"));
      return NULL;
    }
  if (g_utf8_validate_len (data, len, &bad))
    return g_strndup (data, len);
  if (g_strstr_len (data, MIN (len, 400), "CHARSET:1252") != NULL
      || g_strstr_len (data, MIN (len, 400), "CHARSET:ISO-8859-1") != NULL
      || g_strstr_len (data, MIN (len, 400), "ENCODING:USASCII") != NULL)
    {
      char *out = g_convert (data, len, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
      if (out == NULL)
        out = g_convert (data, len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
      return out;
    }
  {
    guint line = 1;
    g_autofree char *detail = NULL;

    for (const char *p = data; p < bad; p++)
      line += *p == '\n';
    detail = g_strdup_printf (_("byte 0x%02X at offset %lu is not UTF-8 as the file "
                                "declares"),
                              (guint) (guchar) *bad, (gulong) (bad - data));
    tenure_bank_set_error (ctx->error, TENURE_ERROR_ENCODING, ctx->name, line, _("encoding"),
                           detail);
  }
  return NULL;
}

GPtrArray *
tenure_ofx_parse (const char *data, gsize len, const char *name, GError **error)
{
  Ctx ctx = { 0 };
  g_autofree char *text = NULL;
  GPtrArray *result = NULL;
  gboolean ok;

  ctx.name = name;
  ctx.error = error;
  text = decode (&ctx, data, len);
  if (text == NULL)
    return NULL;
  ctx.text = text;
  ctx.p = text;
  ctx.end = text + strlen (text);
  ctx.line = 1;
  ctx.stack = g_ptr_array_new_with_free_func (g_free);
  ctx.statements = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_statement_free);

  ok = run (&ctx);
  if (ok && !ctx.seen_ofx_end)
    ok = fail (&ctx, ctx.line, "</OFX>", _("the file ends before </OFX>: it is truncated"));
  if (ok && ctx.statements->len == 0)
    ok = fail (&ctx, 0, "STMTRS", _("the file holds no bank statement"));
  if (ok)
    {
      for (guint i = 0; i < ctx.statements->len && ok; i++)
        {
          TenureStatement *s = g_ptr_array_index (ctx.statements, i);
          if (s->currency == NULL)
            ok = fail (&ctx, 0, "CURDEF", _("a statement has no currency"));
        }
    }
  if (ok)
    result = g_steal_pointer (&ctx.statements);

  g_clear_pointer (&ctx.statements, g_ptr_array_unref);
  g_ptr_array_unref (ctx.stack);
  tenure_statement_line_free (ctx.entry);
  g_free (ctx.trn_amount);
  g_free (ctx.trn_posted);
  g_free (ctx.trn_avail);
  g_free (ctx.bal_amount);
  g_free (ctx.bal_date);
  return result;
}
