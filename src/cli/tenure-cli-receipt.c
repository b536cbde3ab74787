/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "collections/tenure-receipt.h"

/* tenure-cli receipt add|show|reverse|write-off|offset|credit|apply-credit|attachment.
 * Output lines are comma-separated with a fixed first word (not translated: scripts read
 * them); amounts are plain decimals in the receipt's currency. */

static char *
plain (gint64      minor,
       const char *currency)
{
  const TenureCurrency *cur = tenure_currency_lookup (currency != NULL ? currency : "CNY");

  return tenure_money_format_plain (tenure_money_new (minor, cur));
}

/* A field for the comma-separated output: quoted when it holds a comma, quote or newline. */
static void
print_field (const char *text,
             gboolean    last)
{
  if (text == NULL)
    text = "";
  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      putchar ('"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            putchar ('"');
          putchar (*p);
        }
      putchar ('"');
    }
  else
    fputs (text, stdout);
  putchar (last ? '\n' : ',');
}

static void
print_int (gint64   value,
           gboolean last)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  print_field (buf, last);
}

static void
print_amount (gint64      minor,
              const char *currency,
              gboolean    last)
{
  g_autofree char *text = plain (minor, currency);

  print_field (text, last);
}

static gboolean
parse_amount (const char  *sub,
              const char  *option,
              const char  *text,
              const char  *currency,
              gint64      *out,
              int         *exit_code)
{
  g_autoptr(GError) error = NULL;
  const TenureCurrency *cur = tenure_currency_lookup (currency != NULL ? currency : "CNY");
  TenureMoney m;

  if (cur == NULL)
    {
      *exit_code = tenure_cli_fail (TENURE_CLI_INVALID, _("receipt %s: unknown currency “%s”"),
                                    sub, currency);
      return FALSE;
    }
  if (!tenure_money_parse (text, cur, &m, &error))
    {
      *exit_code = tenure_cli_fail (TENURE_CLI_INVALID, "receipt %s: %s: %s", sub, option,
                                    error->message);
      return FALSE;
    }
  *out = m.minor;
  return TRUE;
}

static gboolean
parse_date (const char  *sub,
            const char  *option,
            const char  *text,
            gboolean     required,
            TenureDate  *out,
            int         *exit_code)
{
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    {
      if (required)
        {
          *exit_code = tenure_cli_fail (TENURE_CLI_USAGE,
                                        _("receipt %s: %s YYYY-MM-DD is required"), sub,
                                        option);
          return FALSE;
        }
      *out = TENURE_DATE_INVALID;
      return TRUE;
    }
  if (!tenure_date_parse_iso (text, out, &error))
    {
      *exit_code = tenure_cli_fail (TENURE_CLI_USAGE, "receipt %s: %s: %s", sub, option,
                                    error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_id (const char  *sub,
          const char  *what,
          const char  *text,
          gint64      *out,
          int         *exit_code)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      *exit_code = tenure_cli_fail (TENURE_CLI_USAGE, _("receipt %s: %s must be a number, not "
                                                        "“%s”"), sub, what,
                                    text != NULL ? text : "");
      return FALSE;
    }
  *out = (gint64) value;
  return TRUE;
}

static GOptionEntry db_entry (char **location)
{
  GOptionEntry entry = { "db", 0, 0, G_OPTION_ARG_STRING, location,
                         N_("Database (default: the embedded database)"), N_("LOCATION") };

  return entry;
}

/* Prints a receipt, its allocations and attachments. */
static void
print_receipt (const TenureReceipt *r,
               gboolean             full)
{
  char b[TENURE_DATE_ISO_BUF_SIZE];

  if (full)
    {
      printf ("receipt,%s\n", r->code);
      print_field ("tenant", FALSE);
      print_field (r->tenant_code, TRUE);
      print_field ("method", FALSE);
      print_field (tenure_receipt_method_to_string (r->method), TRUE);
      print_field ("received_on", FALSE);
      print_field (tenure_date_format_iso_buf (r->received_on, b), TRUE);
      print_field ("posting_date", FALSE);
      print_field (tenure_date_format_iso_buf (r->posting_date, b), TRUE);
      print_field ("amount", FALSE);
      print_amount (r->amount, r->currency, FALSE);
      print_field (r->currency, TRUE);
      print_field ("legal_entity", FALSE);
      print_field (r->legal_entity_code, TRUE);
      print_field ("bank_account", FALSE);
      print_field (r->bank_account_code, TRUE);
      print_field ("payer_name", FALSE);
      print_field (r->payer_name, TRUE);
      print_field ("payer_account", FALSE);
      print_field (r->payer_account, TRUE);
      print_field ("reference", FALSE);
      print_field (r->bank_reference, TRUE);
      print_field ("memo", FALSE);
      print_field (r->memo, TRUE);
    }
  else
    printf ("%s\n", r->code);
  for (guint i = 0; i < r->allocations->len; i++)
    {
      const TenureAllocation *a = g_ptr_array_index (r->allocations, i);

      print_field ("allocation", FALSE);
      print_int (a->id, FALSE);
      print_field (a->bill_code, FALSE);
      print_field (a->contract_code, FALSE);
      print_int (a->bill_line_id, FALSE);
      print_field (a->charge_item_code, FALSE);
      print_amount (a->amount, r->currency, FALSE);
      print_field (tenure_date_format_iso_buf (a->posting_date, b), FALSE);
      if (a->reversal_of_id != 0)
        {
          g_autofree char *of = g_strdup_printf ("reversal-of-%" G_GINT64_FORMAT,
                                                 a->reversal_of_id);

          print_field (of, TRUE);
        }
      else
        print_field (a->reversed ? "reversed" : "", TRUE);
    }
  for (guint i = 0; i < r->attachments->len; i++)
    {
      const TenureReceiptAttachmentInfo *info = g_ptr_array_index (r->attachments, i);

      print_field ("attachment", FALSE);
      print_int (info->id, FALSE);
      print_field (info->file_name, FALSE);
      print_int (info->size, FALSE);
      print_field (info->sha256, TRUE);
    }
  print_field ("unapplied", FALSE);
  print_amount (r->unapplied, r->currency, FALSE);
  print_field (r->currency, TRUE);
}

/* Splits "B1:1,234.56,B2" at the commas between bills: a piece of three digits (and
 * decimals) after an amount continues that amount's thousands. */
static GStrv
split_spec (const char *spec)
{
  g_auto(GStrv) raw = g_strsplit (spec, ",", -1);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; raw[i] != NULL; i++)
    {
      const char *p = raw[i];
      gboolean group = out->len > 0 && strchr (g_ptr_array_index (out, out->len - 1), ':')
                       && g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1])
                       && g_ascii_isdigit (p[2]) && (p[3] == '\0' || p[3] == '.');

      if (group)
        {
          char *prev = g_ptr_array_index (out, out->len - 1);

          out->pdata[out->len - 1] = g_strconcat (prev, ",", p, NULL);
          g_free (prev);
        }
      else
        g_ptr_array_add (out, g_strdup (p));
    }
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/* The allocations asked by --allocate: "auto", "none", or BILL[:AMOUNT],… */
static gboolean
allocate_spec (TenureDb    *db,
               gint64       receipt_id,
               const char  *spec,
               const char  *contract,
               const char  *currency,
               GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (spec == NULL || strcmp (spec, "auto") == 0)
    return tenure_receipt_allocate (db, receipt_id, NULL, 0, contract, TENURE_DATE_INVALID,
                                    NULL, error);
  if (strcmp (spec, "none") == 0)
    return TRUE;
  parts = split_spec (spec);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *bill = g_strdup (g_strstrip (parts[i]));
      char *colon = strrchr (bill, ':');
      gint64 amount = 0;

      if (colon != NULL)
        {
          const TenureCurrency *cur = tenure_currency_lookup (currency);
          g_autoptr(GError) local = NULL;
          TenureMoney m;

          *colon = '\0';
          if (!tenure_money_parse (colon + 1, cur, &m, &local))
            {
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("--allocate, bill %s: %s"), bill, local->message);
              return FALSE;
            }
          amount = m.minor;
          if (amount <= 0)
            {
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("--allocate, bill %s: the amount must be more than zero"), bill);
              return FALSE;
            }
        }
      if (*bill == '\0')
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("--allocate: an empty bill code in “%s”"), spec);
          return FALSE;
        }
      if (!tenure_receipt_allocate_bill (db, receipt_id, bill, amount, TENURE_DATE_INVALID,
                                         NULL, error))
        return FALSE;
    }
  return TRUE;
}

static int
receipt_add (int argc, char **argv)
{
  g_autofree char *location = NULL, *tenant = NULL, *amount_text = NULL, *currency = NULL;
  g_autofree char *date_text = NULL, *posting_text = NULL, *method_text = NULL;
  g_autofree char *account = NULL, *entity = NULL, *payer_name = NULL, *payer_account = NULL;
  g_autofree char *memo = NULL, *reference = NULL, *allocate = NULL, *contract = NULL;
  g_auto(GStrv) attach = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(TenureReceipt) receipt = NULL;
  TenureReceiptInput in = { 0 };
  int exit_code = 0;
  gint64 id;
  GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant,
      N_("The paying tenant (omit for money not yet attributed)"), N_("CODE") },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount_text,
      N_("Amount received, e.g. 1,234.56 (required)"), N_("AMOUNT") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency,
      N_("Currency (default: the bank account's, else CNY)"), N_("CODE") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text,
      N_("Day received (required)"), N_("YYYY-MM-DD") },
    { "posting-date", 0, 0, G_OPTION_ARG_STRING, &posting_text,
      N_("Posting date (default: the day received)"), N_("YYYY-MM-DD") },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method_text,
      N_("bank (the default), cash or third-party"), N_("METHOD") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account,
      N_("The bank account it came into (required for bank)"), N_("CODE") },
    { "entity", 0, 0, G_OPTION_ARG_STRING, &entity,
      N_("Legal entity (default: the account's, else the tenant's contracts')"), N_("CODE") },
    { "payer-name", 0, 0, G_OPTION_ARG_STRING, &payer_name, N_("Payer name"), N_("TEXT") },
    { "payer-account", 0, 0, G_OPTION_ARG_STRING, &payer_account, N_("Payer account"),
      N_("TEXT") },
    { "memo", 0, 0, G_OPTION_ARG_STRING, &memo, N_("Memo"), N_("TEXT") },
    { "reference", 0, 0, G_OPTION_ARG_STRING, &reference, N_("Bank reference"), N_("TEXT") },
    { "attach", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &attach,
      N_("Attach a payment slip or voucher (repeatable)"), N_("FILE") },
    { "allocate", 0, 0, G_OPTION_ARG_STRING, &allocate,
      N_("auto (the default), none, or BILL[:AMOUNT],…"), N_("SPEC") },
    { "contract", 0, 0, G_OPTION_ARG_STRING, &contract,
      N_("With --allocate auto: only this contract's items"), N_("CODE") },
    db_entry (&location),
    { NULL }
  };

  context = tenure_cli_option_context (NULL, _("Record a receipt, attach its slips and allocate "
                                               "it, all or nothing. Prints the receipt code, "
                                               "its allocations and the unapplied rest."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "receipt add", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("receipt add: unexpected argument “%s”"),
                            argv[1]);
  if (amount_text == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("receipt add: --amount is required"));
  if (!parse_date ("add", "--date", date_text, TRUE, &in.received_on, &exit_code)
      || !parse_date ("add", "--posting-date", posting_text, FALSE, &in.posting_date,
                      &exit_code)
      || !parse_amount ("add", "--amount", amount_text, currency, &in.amount, &exit_code))
    return exit_code;
  if (method_text == NULL || strcmp (method_text, "bank") == 0)
    in.method = TENURE_RECEIPT_BANK;
  else if (strcmp (method_text, "cash") == 0)
    in.method = TENURE_RECEIPT_CASH;
  else if (strcmp (method_text, "third-party") == 0 || strcmp (method_text, "third_party") == 0)
    in.method = TENURE_RECEIPT_THIRD_PARTY;
  else
    return tenure_cli_fail (TENURE_CLI_USAGE, _("receipt add: --method must be bank, cash or "
                                                "third-party, not “%s”"), method_text);
  if (contract != NULL && allocate != NULL && strcmp (allocate, "auto") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("receipt add: --contract goes with --allocate auto only"));
  if (tenant == NULL && allocate != NULL && strcmp (allocate, "none") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("receipt add: a receipt without --tenant "
                                                "cannot be allocated (use --allocate none)"));

  /* Read every file first: a missing one stops everything before the database. */
  for (guint i = 0; attach != NULL && attach[i] != NULL; i++)
    {
      g_autofree char *data = NULL;
      gsize size = 0;

      if (!g_file_get_contents (attach[i], &data, &size, &error))
        return tenure_cli_fail (TENURE_CLI_INVALID, _("receipt add: --attach %s: %s"),
                                attach[i], error->message);
      g_ptr_array_add (contents, g_bytes_new_take (g_steal_pointer (&data), size));
    }

  in.tenant_code = tenant;
  in.currency = currency;
  in.bank_account_code = account;
  in.legal_entity_code = entity;
  in.payer_name = payer_name;
  in.payer_account = payer_account;
  in.memo = memo;
  in.bank_reference = reference;

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  if (!tenure_db_begin (db, &error))
    return tenure_cli_fail_error (error);
  id = tenure_receipt_add (db, &in, &error);
  if (id != 0)
    {
      g_autoptr(TenureReceipt) added = tenure_receipt_load (db, id, NULL, &error);

      for (guint i = 0; added != NULL && i < contents->len; i++)
        {
          g_autofree char *base = g_path_get_basename (attach[i]);

          if (tenure_receipt_attach (db, id, base, NULL, g_ptr_array_index (contents, i),
                                     &error) == 0)
            {
              g_prefix_error (&error, "%s: ", attach[i]);
              id = 0;
              break;
            }
        }
      if (added == NULL)
        id = 0;
      else if (id != 0 && tenant != NULL
               && !allocate_spec (db, id, allocate, contract, added->currency, &error))
        id = 0;
    }
  if (id == 0)
    {
      tenure_db_rollback (db);
      return tenure_cli_fail_error (error);
    }
  if (!tenure_db_commit (db, &error))
    return tenure_cli_fail_error (error);

  receipt = tenure_receipt_load (db, id, NULL, &error);
  if (receipt == NULL)
    return tenure_cli_fail_error (error);
  print_receipt (receipt, FALSE);
  return TENURE_CLI_OK;
}

/* Options of a subcommand with --db only and one positional argument. */
static int
receipt_one_arg (int          argc,
                 char       **argv,
                 const char  *sub,
                 const char  *parameter,
                 const char  *summary,
                 GOptionEntry *extra,
                 char       **out_location,
                 const char **out_arg)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *command = g_strconcat ("receipt ", sub, NULL);
  GOptionEntry entries[] = { db_entry (out_location), { NULL } };

  context = tenure_cli_option_context (parameter, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (extra != NULL)
    g_option_context_add_main_entries (context, extra, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, command, &argc, &argv))
    return TENURE_CLI_USAGE;
  if (parameter == NULL)
    {
      if (argc > 1)
        return tenure_cli_fail (TENURE_CLI_USAGE, _("%s: unexpected argument “%s”"), command,
                                argv[1]);
      return -1;
    }
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("%s: missing %s"), command, parameter);
  if (argc > 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("%s: unexpected argument “%s”"), command,
                            argv[2]);
  *out_arg = argv[1];
  return -1;
}

static int
receipt_show (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureReceipt) r = NULL;
  const char *code = NULL;
  int exit_code;

  exit_code = receipt_one_arg (argc, argv, "show", "CODE",
                               _("Show a receipt with its allocations and attachments."), NULL,
                               &location, &code);
  if (exit_code >= 0)
    return exit_code;
  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  r = tenure_receipt_load (db, 0, code, &error);
  if (r == NULL)
    return tenure_cli_fail_error (error);
  print_receipt (r, TRUE);
  return TENURE_CLI_OK;
}

static int
receipt_reverse (int argc, char **argv)
{
  g_autofree char *location = NULL, *date_text = NULL, *reason = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  const char *id_text = NULL;
  GOptionEntry extra[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("Posting date of the reversal"),
      N_("YYYY-MM-DD") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why (required)"), N_("TEXT") },
    { NULL }
  };
  TenureDate date;
  gint64 id, reversal;
  int exit_code;

  exit_code = receipt_one_arg (argc, argv, "reverse", "ALLOCATION-ID",
                               _("Reverse an allocation, offset or write-off with a new row of "
                                 "the opposite amount. Prints the reversal's id."), extra,
                               &location, &id_text);
  if (exit_code >= 0)
    return exit_code;
  if (!parse_id ("reverse", "ALLOCATION-ID", id_text, &id, &exit_code)
      || !parse_date ("reverse", "--date", date_text, TRUE, &date, &exit_code))
    return exit_code;
  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  reversal = tenure_allocation_reverse (db, id, date, reason, &error);
  if (reversal == 0)
    return tenure_cli_fail_error (error);
  printf ("reversal,%" G_GINT64_FORMAT "\n", reversal);
  return TENURE_CLI_OK;
}

static int
receipt_write_off (int argc, char **argv)
{
  g_autofree char *location = NULL, *date_text = NULL, *reason = NULL, *approved = NULL;
  g_autofree char *line_text = NULL, *amount_text = NULL, *currency = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry extra[] = {
    { "line", 0, 0, G_OPTION_ARG_STRING, &line_text, N_("The bill line (required)"), N_("ID") },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount_text, N_("Amount (required)"),
      N_("AMOUNT") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("Currency of the amount (CNY)"),
      N_("CODE") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("Posting date (required)"),
      N_("YYYY-MM-DD") },
    { "approved-by", 0, 0, G_OPTION_ARG_STRING, &approved,
      N_("Who approved it: not yourself (required)"), N_("USER") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why (required)"), N_("TEXT") },
    { NULL }
  };
  TenureDate date;
  gint64 line, amount, id;
  int exit_code;

  exit_code = receipt_one_arg (argc, argv, "write-off", NULL,
                               _("Write off part of a bill line, approved by another user. "
                                 "Prints the write-off's id."), extra, &location, NULL);
  if (exit_code >= 0)
    return exit_code;
  if (amount_text == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("receipt write-off: --amount is required"));
  if (!parse_id ("write-off", "--line", line_text, &line, &exit_code)
      || !parse_amount ("write-off", "--amount", amount_text, currency, &amount, &exit_code)
      || !parse_date ("write-off", "--date", date_text, TRUE, &date, &exit_code))
    return exit_code;
  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  id = tenure_write_off (db, line, amount, date, approved, reason, &error);
  if (id == 0)
    return tenure_cli_fail_error (error);
  printf ("write_off,%" G_GINT64_FORMAT "\n", id);
  return TENURE_CLI_OK;
}

static int
receipt_offset (int argc, char **argv)
{
  g_autofree char *location = NULL, *date_text = NULL, *contract = NULL;
  g_autofree char *line_text = NULL, *amount_text = NULL, *currency = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry extra[] = {
    { "contract", 0, 0, G_OPTION_ARG_STRING, &contract,
      N_("The contract whose deposit pays (required)"), N_("CODE") },
    { "line", 0, 0, G_OPTION_ARG_STRING, &line_text, N_("The bill line paid (required)"),
      N_("ID") },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount_text, N_("Amount (required)"),
      N_("AMOUNT") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("Currency of the amount (CNY)"),
      N_("CODE") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("Posting date (required)"),
      N_("YYYY-MM-DD") },
    { NULL }
  };
  TenureDate date;
  gint64 line, amount, id;
  int exit_code;

  exit_code = receipt_one_arg (argc, argv, "offset", NULL,
                               _("Offset a contract's deposit against an open bill line. "
                                 "Prints the offset's id."), extra, &location, NULL);
  if (exit_code >= 0)
    return exit_code;
  if (contract == NULL || amount_text == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("receipt offset: --contract and --amount are required"));
  if (!parse_id ("offset", "--line", line_text, &line, &exit_code)
      || !parse_amount ("offset", "--amount", amount_text, currency, &amount, &exit_code)
      || !parse_date ("offset", "--date", date_text, TRUE, &date, &exit_code))
    return exit_code;
  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  id = tenure_deposit_offset (db, contract, line, amount, date, &error);
  if (id == 0)
    return tenure_cli_fail_error (error);
  printf ("offset,%" G_GINT64_FORMAT "\n", id);
  return TENURE_CLI_OK;
}

static int
receipt_credit (int argc, char **argv, gboolean apply)
{
  g_autofree char *location = NULL, *date_text = NULL, *currency = NULL, *contract = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) credit = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *tenant = NULL;
  GOptionEntry extra[] = {
    { apply ? "date" : "as-of", 0, 0, G_OPTION_ARG_STRING, &date_text,
      apply ? N_("Posting date of the allocations (required)") : N_("As of this day"),
      N_("YYYY-MM-DD") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("Only this currency"), N_("CODE") },
    { "contract", 0, 0, G_OPTION_ARG_STRING, &contract, N_("Only this contract's items"),
      N_("CODE") },
    { NULL }
  };
  const char *sub = apply ? "apply-credit" : "credit";
  TenureDate date;
  int exit_code;

  if (!apply)
    extra[1].long_name = extra[2].long_name = NULL;
  exit_code = receipt_one_arg (argc, argv, sub, "TENANT",
                               apply ? _("Apply a tenant's unapplied credit to its open items "
                                         "in allocation order.")
                                     : _("A tenant's unapplied credit per currency."),
                               extra, &location, &tenant);
  if (exit_code >= 0)
    return exit_code;
  if (!parse_date (sub, apply ? "--date" : "--as-of", date_text, apply, &date, &exit_code))
    return exit_code;
  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  if (apply && !tenure_tenant_apply_credit (db, tenant, currency, contract, date, ids, &error))
    return tenure_cli_fail_error (error);
  if (apply)
    printf ("allocations,%u\n", ids->len);
  credit = tenure_tenant_unapplied_credit (db, tenant, apply ? TENURE_DATE_INVALID : date,
                                           &error);
  if (credit == NULL)
    return tenure_cli_fail_error (error);
  for (guint i = 0; i < credit->len; i++)
    {
      const TenureCredit *c = &g_array_index (credit, TenureCredit, i);

      print_field ("credit", FALSE);
      print_amount (c->amount, c->currency, FALSE);
      print_field (c->currency, TRUE);
    }
  return TENURE_CLI_OK;
}

static int
receipt_attachment (int argc, char **argv)
{
  g_autofree char *location = NULL, *output = NULL, *name = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *id_text = NULL;
  GOptionEntry extra[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write it to this file (default: standard output)"), N_("FILE") },
    { NULL }
  };
  gint64 id;
  int exit_code;
  gsize size;
  const char *data;

  exit_code = receipt_one_arg (argc, argv, "attachment", "ID",
                               _("Write out an attachment after checking its SHA-256."), extra,
                               &location, &id_text);
  if (exit_code >= 0)
    return exit_code;
  if (!parse_id ("attachment", "ID", id_text, &id, &exit_code))
    return exit_code;
  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  bytes = tenure_receipt_attachment_get (db, id, &name, &error);
  if (bytes == NULL)
    return tenure_cli_fail_error (error);
  data = g_bytes_get_data (bytes, &size);
  if (output != NULL)
    {
      if (!g_file_set_contents (output, data != NULL ? data : "", (gssize) size, &error))
        return tenure_cli_fail (TENURE_CLI_FAILED, "receipt attachment: %s", error->message);
    }
  else if (size > 0 && fwrite (data, 1, size, stdout) != size)
    return tenure_cli_fail (TENURE_CLI_FAILED, _("receipt attachment: cannot write the output"));
  return TENURE_CLI_OK;
}

int
tenure_cli_receipt (int argc, char **argv)
{
  static const char *subs = "add, show, reverse, write-off, offset, credit, apply-credit, "
                            "attachment";
  const char *sub;

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      if (argc >= 2)
        {
          g_print ("%s\n  tenure-cli receipt SUBCOMMAND [OPTION…]\n\n%s: %s\n%s\n",
                   _("Usage:"), _("Subcommands"), subs,
                   _("See tenure-cli receipt SUBCOMMAND --help."));
          return TENURE_CLI_OK;
        }
      return tenure_cli_fail (TENURE_CLI_USAGE, _("receipt: missing subcommand (%s)"), subs);
    }
  sub = argv[1];
  argc--;
  argv++;
  if (strcmp (sub, "add") == 0)
    return receipt_add (argc, argv);
  if (strcmp (sub, "show") == 0)
    return receipt_show (argc, argv);
  if (strcmp (sub, "reverse") == 0)
    return receipt_reverse (argc, argv);
  if (strcmp (sub, "write-off") == 0)
    return receipt_write_off (argc, argv);
  if (strcmp (sub, "offset") == 0)
    return receipt_offset (argc, argv);
  if (strcmp (sub, "credit") == 0)
    return receipt_credit (argc, argv, FALSE);
  if (strcmp (sub, "apply-credit") == 0)
    return receipt_credit (argc, argv, TRUE);
  if (strcmp (sub, "attachment") == 0)
    return receipt_attachment (argc, argv);
  return tenure_cli_fail (TENURE_CLI_USAGE, _("receipt: unknown subcommand “%s” (%s)"), sub,
                          subs);
}
