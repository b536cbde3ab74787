/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bank"

#include "bank/tenure-statement-private.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "base/tenure-i18n.h"

#define CAMT053_NS_PREFIX "urn:iso:std:iso:20022:tech:xsd:camt.053.001."

typedef struct
{
  const char *name;
  GError    **error;
} Ctx;

static gboolean
is_element (xmlNode *node, const char *name)
{
  return node->type == XML_ELEMENT_NODE && strcmp ((const char *) node->name, name) == 0;
}

static xmlNode *
child (xmlNode *node, const char *name)
{
  if (node == NULL)
    return NULL;
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    if (is_element (c, name))
      return c;
  return NULL;
}

/* Follows a "A/B/C" path of first children. */
static xmlNode *
path (xmlNode *node, const char *p)
{
  g_auto(GStrv) parts = g_strsplit (p, "/", -1);

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    node = child (node, parts[i]);
  return node;
}

/* The trimmed text of @node, newly allocated; "" for NULL. */
static char *
text (xmlNode *node)
{
  xmlChar *content;
  char *result;

  if (node == NULL)
    return g_strdup ("");
  content = xmlNodeGetContent (node);
  result = g_strstrip (g_strdup (content != NULL ? (const char *) content : ""));
  xmlFree (content);
  return result;
}

static guint
line_of (xmlNode *node)
{
  long line = xmlGetLineNo (node);

  return line > 0 && line < G_MAXINT ? (guint) line : 0;
}

static gboolean
fail (Ctx *ctx, xmlNode *node, const char *field, const char *detail)
{
  tenure_bank_set_error (ctx->error, TENURE_ERROR_PARSE, ctx->name, line_of (node), field,
                         detail);
  return FALSE;
}

/* A Dt or DtTm element inside @node ("2014-12-31", "2014-12-31T13:15:00+01:00"); the bank's
 * own calendar day is kept, whatever the zone. A missing element gives TENURE_DATE_INVALID. */
static gboolean
read_date (Ctx *ctx, xmlNode *node, const char *field, TenureDate *out)
{
  xmlNode *d;
  g_autofree char *value = NULL;
  char day[11];

  *out = TENURE_DATE_INVALID;
  if (node == NULL)
    return TRUE;
  d = child (node, "Dt");
  if (d == NULL)
    d = child (node, "DtTm");
  if (d == NULL)
    return TRUE;
  value = text (d);
  if (strlen (value) >= 10)
    {
      memcpy (day, value, 10);
      day[10] = '\0';
      if ((value[10] == '\0' || value[10] == 'T')
          && tenure_date_parse_iso (day, out, NULL))
        return TRUE;
    }
  {
    g_autofree char *detail = g_strdup_printf (_("“%s” is not a date"), value);
    return fail (ctx, d, field, detail);
  }
}

/* Amt with its Ccy attribute and the CdtDbtInd beside it: a signed amount. Without a
 * CdtDbtInd, @default_sign (+1 or −1) gives the sign; 0 makes the indicator required. */
static gboolean
read_amount_signed (Ctx *ctx, xmlNode *parent, const char *field, int default_sign,
                    TenureMoney *out)
{
  xmlNode *amt = child (parent, "Amt");
  xmlNode *ind = child (parent, "CdtDbtInd");
  g_autofree char *value = NULL;
  g_autofree char *indicator = NULL;
  g_autofree char *where = NULL;
  xmlChar *ccy;
  const TenureCurrency *currency;
  gint64 minor;

  if (amt == NULL)
    return fail (ctx, parent, field, _("the amount (Amt) is missing"));
  ccy = xmlGetProp (amt, (const xmlChar *) "Ccy");
  currency = tenure_bank_currency_lookup ((const char *) ccy);
  if (currency == NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("unknown currency “%s”"),
                                                 ccy != NULL ? (const char *) ccy : "");
      xmlFree (ccy);
      return fail (ctx, amt, field, detail);
    }
  xmlFree (ccy);
  value = text (amt);
  where = g_strdup_printf (_("%s, line %u, %s"), ctx->name, line_of (amt), field);
  if (!tenure_bank_parse_amount (value, currency, FALSE, where, &minor, ctx->error))
    return FALSE;
  if (minor < 0)
    return fail (ctx, amt, field, _("the amount is negative; the sign belongs in CdtDbtInd"));
  indicator = text (ind);
  if (ind == NULL && default_sign != 0)
    minor *= default_sign;
  else if (strcmp (indicator, "DBIT") == 0)
    minor = -minor;
  else if (strcmp (indicator, "CRDT") != 0)
    {
      g_autofree char *detail = g_strdup_printf (_("credit/debit indicator “%s” is neither "
                                                   "CRDT nor DBIT"), indicator);
      return fail (ctx, ind != NULL ? ind : parent, field, detail);
    }
  *out = tenure_money_new (minor, currency);
  return TRUE;
}

static gboolean
read_amount (Ctx *ctx, xmlNode *parent, const char *field, TenureMoney *out)
{
  return read_amount_signed (ctx, parent, field, 0, out);
}

/* The account of a party: an IBAN, else another identification. */
static char *
account_id (xmlNode *acct)
{
  xmlNode *id = child (acct, "Id");
  xmlNode *iban = child (id, "IBAN");

  if (iban != NULL)
    return text (iban);
  return text (path (id, "Othr/Id"));
}

/* A party's name: v02/v04 have it directly, v08 inside Pty. */
static char *
party_name (xmlNode *party)
{
  xmlNode *nm = child (party, "Nm");

  if (nm == NULL)
    nm = path (party, "Pty/Nm");
  return text (nm);
}

static void
append_text (GString *out, const char *piece)
{
  if (piece[0] == '\0')
    return;
  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, piece);
}

/* One line of the statement for AMOUNT: entry NTRY with its transaction TX (NULL: none
 * given), or, SPLIT, transaction TX of a batch entry (its line of the file, its own reference
 * before the entry's). */
static void
add_line (xmlNode *ntry, xmlNode *tx, gboolean split, TenureMoney amount, TenureDate booked,
          TenureDate value, TenureStatement *statement)
{
  g_autoptr(GString) remittance = g_string_new ("");
  TenureStatementLine *line;
  xmlNode *parties = child (tx, "RltdPties");
  xmlNode *bktx;
  const char *side, *other;

  line = tenure_statement_line_new ();
  g_ptr_array_add (statement->lines, line);
  line->source_line = line_of (split ? tx : ntry);
  line->amount = amount;
  line->booked_on = booked;
  line->value_on = value != TENURE_DATE_INVALID ? value : booked;

  g_free (line->bank_reference);
  line->bank_reference = text (split ? path (tx, "Refs/AcctSvcrRef")
                                     : child (ntry, "AcctSvcrRef"));
  if (line->bank_reference[0] == '\0')
    {
      g_free (line->bank_reference);
      line->bank_reference = text (split ? child (ntry, "AcctSvcrRef")
                                         : path (tx, "Refs/AcctSvcrRef"));
    }
  g_free (line->end_to_end_id);
  line->end_to_end_id = text (path (tx, "Refs/EndToEndId"));
  if (strcmp (line->end_to_end_id, "NOTPROVIDED") == 0)
    line->end_to_end_id[0] = '\0';

  /* Money in comes from the debtor, money out goes to the creditor; some banks fill only
   * the other side, which then is the best name there is. */
  side = amount.minor >= 0 ? "Dbtr" : "Cdtr";
  other = amount.minor >= 0 ? "Cdtr" : "Dbtr";
  if (child (parties, side) == NULL && child (parties, other) != NULL)
    side = other;
  {
    g_autofree char *acct_name = g_strconcat (side, "Acct", NULL);

    g_free (line->counterparty_name);
    line->counterparty_name = party_name (child (parties, side));
    g_free (line->counterparty_account);
    line->counterparty_account = account_id (child (parties, acct_name));
  }

  for (xmlNode *rmt = child (tx, "RmtInf"); rmt != NULL; rmt = NULL)
    for (xmlNode *c = rmt->children; c != NULL; c = c->next)
      {
        if (is_element (c, "Ustrd"))
          {
            g_autofree char *piece = text (c);
            append_text (remittance, piece);
          }
        else if (is_element (c, "Strd"))
          {
            g_autofree char *ref = text (path (c, "CdtrRefInf/Ref"));
            append_text (remittance, ref);
            for (xmlNode *a = c->children; a != NULL; a = a->next)
              if (is_element (a, "AddtlRmtInf"))
                {
                  g_autofree char *piece = text (a);
                  append_text (remittance, piece);
                }
          }
      }
  if (remittance->len == 0)
    {
      g_autofree char *piece = text (child (tx, "AddtlTxInf"));
      if (piece[0] == '\0')
        {
          g_free (piece);
          piece = text (child (ntry, "AddtlNtryInf"));
        }
      append_text (remittance, piece);
    }
  g_free (line->remittance);
  line->remittance = g_strdup (remittance->str);

  bktx = child (ntry, "BkTxCd");
  if (child (bktx, "Domn") != NULL)
    {
      g_autofree char *domain = text (path (bktx, "Domn/Cd"));
      g_autofree char *family = text (path (bktx, "Domn/Fmly/Cd"));
      g_autofree char *sub = text (path (bktx, "Domn/Fmly/SubFmlyCd"));
      g_free (line->transaction_code);
      line->transaction_code = g_strjoin ("/", domain, family, sub, NULL);
    }
  else
    {
      g_free (line->transaction_code);
      line->transaction_code = text (path (bktx, "Prtry/Cd"));
    }
}

/* The transactions of an entry: every TxDtls of its NtryDtls. */
static GPtrArray *
entry_transactions (xmlNode *ntry)
{
  GPtrArray *txs = g_ptr_array_new ();

  for (xmlNode *d = ntry->children; d != NULL; d = d->next)
    if (is_element (d, "NtryDtls"))
      for (xmlNode *t = d->children; t != NULL; t = t->next)
        if (is_element (t, "TxDtls"))
          g_ptr_array_add (txs, t);
  return txs;
}

/* The amount of transaction TX in the entry's currency: its Amt (v04 and later) or
 * AmtDtls/TxAmt/Amt (v02), signed by its own CdtDbtInd, else the entry's sign. FALSE with
 * *found FALSE when it gives none or another currency; FALSE with an error when it is
 * malformed. */
static gboolean
transaction_amount (Ctx *ctx, xmlNode *tx, TenureMoney entry, gboolean *found,
                    TenureMoney *out)
{
  xmlNode *holder = child (tx, "Amt") != NULL ? tx : path (tx, "AmtDtls/TxAmt");
  int sign = entry.minor < 0 ? -1 : 1;

  *found = FALSE;
  if (child (holder, "Amt") == NULL)
    return FALSE;
  if (child (holder, "CdtDbtInd") == NULL && child (tx, "CdtDbtInd") != NULL)
    {
      g_autofree char *indicator = text (child (tx, "CdtDbtInd"));
      sign = strcmp (indicator, "DBIT") == 0 ? -1 : 1;
    }
  if (!read_amount_signed (ctx, holder, "TxDtls/Amt", sign, out))
    return FALSE;
  *found = out->currency == entry.currency;
  return *found;
}

/* An entry is one line, or one per transaction when it books a batch (several TxDtls whose
 * amounts add up to the entry's): a payment provider's or a bank's collective credit then
 * gives each payer's payment a line of its own to match. */
static gboolean
read_entry (Ctx *ctx, xmlNode *ntry, TenureStatement *statement)
{
  g_autoptr(GPtrArray) txs = entry_transactions (ntry);
  g_autoptr(GArray) amounts = NULL;
  TenureMoney amount;
  TenureDate booked, value;
  gint64 sum = 0;

  if (!read_amount (ctx, ntry, "Ntry/Amt", &amount)
      || !read_date (ctx, child (ntry, "BookgDt"), "Ntry/BookgDt", &booked)
      || !read_date (ctx, child (ntry, "ValDt"), "Ntry/ValDt", &value))
    return FALSE;
  if (booked == TENURE_DATE_INVALID)
    booked = value;
  if (booked == TENURE_DATE_INVALID)
    return fail (ctx, ntry, "Ntry/BookgDt", _("the entry has no booking date"));

  if (txs->len >= 2)
    {
      amounts = g_array_new (FALSE, FALSE, sizeof (TenureMoney));
      for (guint i = 0; i < txs->len; i++)
        {
          TenureMoney one;
          gboolean found;

          if (!transaction_amount (ctx, txs->pdata[i], amount, &found, &one))
            {
              if (!found && (ctx->error == NULL || *ctx->error == NULL))
                break;
              return FALSE;
            }
          g_array_append_val (amounts, one);
          sum += one.minor;
        }
      if (amounts->len == txs->len && sum == amount.minor)
        {
          for (guint i = 0; i < txs->len; i++)
            add_line (ntry, txs->pdata[i], TRUE, g_array_index (amounts, TenureMoney, i),
                      booked, value, statement);
          return TRUE;
        }
    }
  add_line (ntry, txs->len > 0 ? txs->pdata[0] : NULL, FALSE, amount, booked, value,
            statement);
  return TRUE;
}

static gboolean
read_balance (Ctx *ctx, xmlNode *bal, TenureStatement *statement)
{
  g_autofree char *code = text (path (bal, "Tp/CdOrPrtry/Cd"));
  TenureStatementBalance *target = NULL;
  TenureMoney amount;
  TenureDate date;

  /* Booked opening (or the previous day's closing) and booked closing; available and
   * forward balances are not what a reconciliation compares. */
  if (strcmp (code, "OPBD") == 0 || (strcmp (code, "PRCD") == 0 && !statement->opening.set))
    target = &statement->opening;
  else if (strcmp (code, "CLBD") == 0)
    target = &statement->closing;
  if (!read_amount (ctx, bal, "Bal/Amt", &amount)
      || !read_date (ctx, child (bal, "Dt"), "Bal/Dt", &date))
    return FALSE;
  {
    TenureStatementBalance balance = { TRUE, amount, date, "" };

    g_strlcpy (balance.code, code, sizeof balance.code);
    g_array_append_val (statement->balances, balance);
    if (target != NULL)
      *target = balance;
  }
  return TRUE;
}

static gboolean
read_statement (Ctx *ctx, xmlNode *stmt, TenureStatement *statement)
{
  xmlNode *acct = child (stmt, "Acct");
  g_autofree char *ccy = text (child (acct, "Ccy"));
  xmlNode *frto = child (stmt, "FrToDt");

  g_free (statement->statement_id);
  statement->statement_id = text (child (stmt, "Id"));
  g_free (statement->account);
  statement->account = account_id (acct);
  if (ccy[0] != '\0')
    {
      statement->currency = tenure_bank_currency_lookup (ccy);
      if (statement->currency == NULL)
        {
          g_autofree char *detail = g_strdup_printf (_("unknown currency “%s”"), ccy);
          return fail (ctx, child (acct, "Ccy"), "Stmt/Acct/Ccy", detail);
        }
    }
  if (frto != NULL)
    {
      xmlNode *from = child (frto, "FrDtTm");
      xmlNode *to = child (frto, "ToDtTm");
      g_autofree char *from_text = text (from);
      g_autofree char *to_text = text (to);

      if (strlen (from_text) >= 10)
        {
          from_text[10] = '\0';
          tenure_date_parse_iso (from_text, &statement->from, NULL);
        }
      if (strlen (to_text) >= 10)
        {
          to_text[10] = '\0';
          tenure_date_parse_iso (to_text, &statement->to, NULL);
        }
    }
  for (xmlNode *c = stmt->children; c != NULL; c = c->next)
    {
      if (is_element (c, "Bal") && !read_balance (ctx, c, statement))
        return FALSE;
      if (is_element (c, "Ntry") && !read_entry (ctx, c, statement))
        return FALSE;
    }
  if (statement->currency == NULL && statement->opening.set)
    statement->currency = statement->opening.amount.currency;
  if (statement->currency == NULL && statement->lines->len > 0)
    statement->currency = ((TenureStatementLine *) statement->lines->pdata[0])->amount.currency;
  if (statement->currency == NULL)
    return fail (ctx, stmt, "Stmt/Acct/Ccy", _("the statement names no currency"));
  return TRUE;
}

/* Text that claims to be UTF-8 must be: libxml2 would only say "not proper UTF-8". */
static gboolean
check_utf8 (Ctx *ctx, const char *data, gsize len)
{
  const char *bad;
  g_autofree char *decl = g_ascii_strdown (data, MIN (len, 200));
  char *decl_end = strstr (decl, "?>");

  if (decl_end != NULL)
    *decl_end = '\0';
  if (g_str_has_prefix (decl, "<?xml") && strstr (decl, "encoding") != NULL
      && strstr (decl, "utf-8") == NULL)
    return TRUE;  /* another declared encoding: libxml2 converts it */
  if (g_utf8_validate_len (data, len, &bad))
    return TRUE;
  {
    guint line = 1;
    g_autofree char *detail = NULL;

    for (const char *p = data; p < bad; p++)
      if (*p == '\n')
        line++;
    detail = g_strdup_printf (_("byte 0x%02X at offset %lu is not UTF-8 as the file "
                                "declares"),
                              (guint) (guchar) *bad, (gulong) (bad - data));
    tenure_bank_set_error (ctx->error, TENURE_ERROR_ENCODING, ctx->name, line,
                           _("encoding"), detail);
  }
  return FALSE;
}

GPtrArray *
tenure_camt053_parse (const char *data, gsize len, const char *name, GError **error)
{
  Ctx ctx = { name, error };
  g_autoptr(GPtrArray) statements = NULL;
  xmlParserCtxtPtr parser;
  xmlDocPtr doc;
  xmlNode *root, *body;
  const char *ns;

  if (!check_utf8 (&ctx, data, len))
    return NULL;
  if (len > G_MAXINT)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE, _("%s: the file is too large"),
                   name);
      return NULL;
    }
  parser = xmlNewParserCtxt ();
  if (parser == NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED, _("%s: out of memory"), name);
      return NULL;
    }
  /* No network, no external entities, no output on stderr. */
  doc = xmlCtxtReadMemory (parser, data, (int) len, name, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL || !parser->wellFormed)
    {
      const xmlError *xerr = xmlCtxtGetLastError (parser);
      g_autofree char *detail = g_strdup_printf (
        _("the XML is not well-formed (%s)"),
        xerr != NULL && xerr->message != NULL ? g_strstrip (xerr->message) : "?");

      tenure_bank_set_error (error, TENURE_ERROR_PARSE, name,
                             xerr != NULL && xerr->line > 0 ? (guint) xerr->line : 0,
                             "XML", detail);
      if (doc != NULL)
        xmlFreeDoc (doc);
      xmlFreeParserCtxt (parser);
      return NULL;
    }
  xmlFreeParserCtxt (parser);

  /* Statements have no use for a DTD; its entities could expand without bound. */
  if (doc->intSubset != NULL || doc->extSubset != NULL)
    {
      tenure_bank_set_error (error, TENURE_ERROR_PARSE, name, 0, "DOCTYPE",
                             _("a statement must not declare a DTD or entities"));
      xmlFreeDoc (doc);
      return NULL;
    }
  root = xmlDocGetRootElement (doc);
  ns = root != NULL && root->ns != NULL ? (const char *) root->ns->href : "";
  if (root == NULL || !is_element (root, "Document") || !g_str_has_prefix (ns, CAMT053_NS_PREFIX))
    {
      fail (&ctx, root, "Document",
            _("not an ISO 20022 camt.053 document (namespace "
              "urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN)"));
      xmlFreeDoc (doc);
      return NULL;
    }
  body = child (root, "BkToCstmrStmt");
  if (body == NULL)
    {
      fail (&ctx, root, "BkToCstmrStmt", _("the element is missing"));
      xmlFreeDoc (doc);
      return NULL;
    }
  statements = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_statement_free);
  for (xmlNode *c = body->children; c != NULL; c = c->next)
    {
      TenureStatement *statement;

      if (!is_element (c, "Stmt"))
        continue;
      statement = tenure_statement_new_empty (TENURE_STATEMENT_FORMAT_CAMT053);
      g_ptr_array_add (statements, statement);
      if (!read_statement (&ctx, c, statement))
        {
          xmlFreeDoc (doc);
          return NULL;
        }
    }
  xmlFreeDoc (doc);
  if (statements->len == 0)
    {
      tenure_bank_set_error (error, TENURE_ERROR_PARSE, name, 0, "Stmt",
                             _("the file holds no statement"));
      return NULL;
    }
  return g_steal_pointer (&statements);
}
