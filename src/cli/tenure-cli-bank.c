/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "collections/tenure-bank-account.h"
#include "collections/tenure-bank-import.h"

/* `tenure-cli bank SUBCOMMAND …`: each subcommand gets argv from its own name on, as commands
 * do (argv[0] is the subcommand). Tables go to stdout as CSV, messages to stderr. */

/* One CSV field: quoted when it holds a comma, quote or line break. */
static void
print_field (const char *text, gboolean last)
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

static char *
money_text (gint64 minor, const TenureCurrency *currency)
{
  return tenure_money_format_plain (tenure_money_new (minor, currency));
}

static int
bank_import (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autofree char *account = NULL;
  g_autofree char *profile = NULL;
  gboolean dry_run = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  TenureBankImportOptions options = { 0 };
  TenureBankImportResult result = { 0 };
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account,
      N_("The bank account (default: the one with the statement's account number)"),
      N_("CODE") },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile,
      N_("Import profile for a CSV or Excel file (default: the account's only profile)"),
      N_("NAME") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Show what would be imported; write nothing"), NULL },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context (_("FILE"),
                                       _("Import a bank statement (camt.053, MT940, OFX, or a "
                                         "bank's CSV/Excel export through an import profile) "
                                         "into its bank account, in one transaction. The "
                                         "lines are printed as CSV (columns in docs/cli.md), "
                                         "the counts on stderr. Importing the same file or "
                                         "lines again adds nothing."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "bank import", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bank import: missing FILE"));
  if (argc > 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bank import: unexpected argument “%s”"),
                            argv[2]);

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  options.dry_run = dry_run;
  if (!tenure_bank_import_file (db, argv[1], account, profile, &options, &result, &error))
    return tenure_cli_fail_error (error);

  printf ("account,source_line,booked_on,value_date,amount,currency,payer_name,payer_account,"
          "memo,bank_reference,status\n");
  for (guint i = 0; i < result.lines->len; i++)
    {
      const TenureBankImportLine *l = result.lines->pdata[i];
      char booked[TENURE_DATE_ISO_BUF_SIZE], value[TENURE_DATE_ISO_BUF_SIZE];
      g_autofree char *source = g_strdup_printf ("%u", l->line->source_line);
      g_autofree char *amount = tenure_money_format_plain (l->line->amount);

      print_field (l->account_code, FALSE);
      print_field (source, FALSE);
      print_field (tenure_date_format_iso_buf (l->line->booked_on, booked), FALSE);
      print_field (tenure_date_is_valid (l->line->value_on)
                   ? tenure_date_format_iso_buf (l->line->value_on, value) : "", FALSE);
      print_field (amount, FALSE);
      print_field (l->line->amount.currency->code, FALSE);
      print_field (l->line->counterparty_name, FALSE);
      print_field (l->line->counterparty_account, FALSE);
      print_field (l->line->remittance, FALSE);
      print_field (l->line->bank_reference, FALSE);
      print_field (l->duplicate ? "duplicate" : "new", TRUE);
    }

  /* TRANSLATORS: "statement.xml (camt.053): statements: 2, lines: 10" */
  fprintf (stderr, _("%s (%s): statements: %u, lines: %u\n"), result.file_name,
           tenure_statement_format_to_string (result.format), result.statements,
           result.lines_added + result.lines_skipped);
  for (guint i = 0; i < result.totals->len; i++)
    {
      const TenureBankImportTotal *t = &g_array_index (result.totals, TenureBankImportTotal, i);
      g_autofree char *credits = money_text (t->credits, t->currency);
      g_autofree char *debits = money_text (t->debits, t->currency);

      /* TRANSLATORS: "EUR: credits: 3, total 1250.00; debits: 1, total 99.00" (new lines) */
      fprintf (stderr, _("%s: credits: %u, total %s; debits: %u, total %s\n"), t->currency->code,
               t->credit_count, credits, t->debit_count, debits);
    }
  if (result.statements_known == result.statements)
    fprintf (stderr, _("This file was imported before: nothing to add.\n"));
  else if (dry_run)
    fprintf (stderr, _("Dry run: lines to add: %u, already there: %u; nothing was "
                       "written.\n"), result.lines_added, result.lines_skipped);
  else
    fprintf (stderr, _("Imported: lines added: %u, already there (skipped): %u.\n"),
             result.lines_added, result.lines_skipped);
  tenure_bank_import_result_clear (&result);
  return TENURE_CLI_OK;
}

static int
bank_accounts (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context (NULL, _("List the bank accounts as CSV."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "bank accounts", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bank accounts: unexpected argument “%s”"),
                            argv[1]);
  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  accounts = tenure_bank_account_list (db, &error);
  if (accounts == NULL)
    return tenure_cli_fail_error (error);
  printf ("code,legal_entity,bank,account_number,currency\n");
  for (guint i = 0; i < accounts->len; i++)
    {
      const TenureBankAccount *a = accounts->pdata[i];

      print_field (a->code, FALSE);
      print_field (a->legal_entity_code, FALSE);
      print_field (a->bank_name, FALSE);
      print_field (a->account_number, FALSE);
      print_field (a->currency, TRUE);
    }
  return TENURE_CLI_OK;
}

static int
bank_account_add (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autofree char *code = NULL;
  g_autofree char *entity = NULL;
  g_autofree char *bank = NULL;
  g_autofree char *number = NULL;
  g_autofree char *currency = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "code", 0, 0, G_OPTION_ARG_STRING, &code, N_("Code of the new account"), N_("CODE") },
    { "legal-entity", 0, 0, G_OPTION_ARG_STRING, &entity,
      N_("Code of the legal entity that holds it"), N_("CODE") },
    { "bank", 0, 0, G_OPTION_ARG_STRING, &bank, N_("Name of the bank (and branch)"),
      N_("NAME") },
    { "number", 0, 0, G_OPTION_ARG_STRING, &number,
      N_("Account number or IBAN as the bank writes it"), N_("NUMBER") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency,
      N_("ISO 4217 currency of the account (default: CNY)"), N_("CODE") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context (NULL, _("Add a bank account that statements are "
                                               "imported into. Numbers are compared without "
                                               "spaces and dashes, letters in any case."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "bank account-add", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bank account-add: unexpected argument “%s”"),
                            argv[1]);
  if (code == NULL || entity == NULL || bank == NULL || number == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("bank account-add: --code, --legal-entity, --bank and --number "
                              "are required"));
  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  if (tenure_bank_account_add (db, code, entity, bank, number,
                               currency != NULL ? currency : "CNY", &error) == 0)
    return tenure_cli_fail_error (error);
  fprintf (stderr, _("Bank account %s added.\n"), code);
  return TENURE_CLI_OK;
}

static int
bank_profile_add (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autofree char *account = NULL;
  g_autofree char *name = NULL;
  g_autofree char *mapping = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_("The bank account"), N_("CODE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name of the profile"), N_("NAME") },
    { "mapping", 0, 0, G_OPTION_ARG_STRING, &mapping,
      N_("The column mapping as JSON, or @FILE to read it from a file"), N_("JSON|@FILE") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context (NULL, _("Save a column mapping for the CSV or Excel "
                                               "exports of a bank account (keys in "
                                               "docs/cli.md)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "bank profile-add", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bank profile-add: unexpected argument “%s”"),
                            argv[1]);
  if (account == NULL || name == NULL || mapping == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("bank profile-add: --account, --name and --mapping are "
                              "required"));
  if (mapping[0] == '@')
    {
      g_autoptr(GError) read_error = NULL;
      gsize len;

      if (!g_file_get_contents (mapping + 1, &json, &len, &read_error))
        return tenure_cli_fail (TENURE_CLI_INVALID, _("bank profile-add: %s"),
                                read_error->message);
      if (!g_utf8_validate (json, (gssize) len, NULL))
        return tenure_cli_fail (TENURE_CLI_INVALID,
                                _("bank profile-add: %s is not UTF-8 text"), mapping + 1);
    }
  else
    json = g_strdup (mapping);
  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  if (tenure_import_profile_add (db, account, name, json, &error) == 0)
    return tenure_cli_fail_error (error);
  fprintf (stderr, _("Import profile “%s” saved for account %s.\n"), name, account);
  return TENURE_CLI_OK;
}

static int
bank_profiles (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autofree char *account = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account,
      N_("Only this account's profiles (and the templates)"), N_("CODE") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context (NULL, _("List the import profiles as CSV: the "
                                               "accounts' own, then the templates."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "bank profiles", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bank profiles: unexpected argument “%s”"),
                            argv[1]);
  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  profiles = tenure_import_profile_list (db, account, TRUE, &error);
  if (profiles == NULL)
    return tenure_cli_fail_error (error);
  printf ("account,name,builtin,mapping\n");
  for (guint i = 0; i < profiles->len; i++)
    {
      const TenureImportProfile *p = profiles->pdata[i];

      print_field (p->account_code, FALSE);
      print_field (p->name, FALSE);
      print_field (p->builtin ? "yes" : "no", FALSE);
      print_field (p->mapping, TRUE);
    }
  return TENURE_CLI_OK;
}

typedef struct
{
  const char *name;
  const char *summary; /* N_() */
  int       (*run) (int argc, char **argv);
} BankSubcommand;

static const BankSubcommand subcommands[] = {
  { "import", N_("Import a statement file (camt.053, MT940, OFX, CSV, Excel)"), bank_import },
  { "accounts", N_("List the bank accounts (CSV)"), bank_accounts },
  { "account-add", N_("Add a bank account"), bank_account_add },
  { "profiles", N_("List the import profiles (CSV)"), bank_profiles },
  { "profile-add", N_("Save an import profile (column mapping) for an account"),
    bank_profile_add },
  { "match", N_("Match the imported lines to open items"), tenure_cli_bank_match },
};

static void
print_bank_usage (void)
{
  printf ("%s\n  tenure-cli bank %s\n\n%s\n", _("Usage:"), _("SUBCOMMAND [OPTION…]"),
          _("Subcommands:"));
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    printf ("  %-12s %s\n", subcommands[i].name, _(subcommands[i].summary));
  printf ("\n%s\n\n%s\n", _("Run “tenure-cli bank SUBCOMMAND --help” for its options."),
          tenure_cli_exit_codes_help ());
}

int
tenure_cli_bank (int argc, char **argv)
{
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("bank: missing subcommand; see tenure-cli bank --help"));
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_bank_usage ();
      return TENURE_CLI_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (strcmp (argv[1], subcommands[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("tenure-cli bank %s", argv[1]);
        g_set_prgname (prgname);
        return subcommands[i].run (argc - 1, argv + 1);
      }
  return tenure_cli_fail (TENURE_CLI_USAGE,
                          _("bank: unknown subcommand “%s”; see tenure-cli bank --help"),
                          argv[1]);
}
