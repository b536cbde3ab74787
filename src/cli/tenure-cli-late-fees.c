/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "billing/tenure-late-fee.h"

/* A CSV field (RFC 4180): quoted only when it holds a comma, quote or line break. */
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
print_amount (gint64      minor,
              const char *currency)
{
  const TenureCurrency *cur = tenure_currency_lookup (currency != NULL ? currency : "CNY");
  g_autofree char *text = tenure_money_format_plain (tenure_money_new (minor, cur));

  print_field (text, FALSE);
}

int
tenure_cli_late_fees (int argc, char **argv)
{
  g_autofree char *location = NULL, *as_of_text = NULL;
  g_autofree char *contract = NULL, *project = NULL, *building = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) warned = g_hash_table_new (g_str_hash, g_str_equal);
  TenureScopeKind scope = TENURE_SCOPE_ALL;
  const char *scope_code = NULL;
  TenureDate as_of;
  int exit_code = 0, n_scopes = 0;
  GOptionEntry entries[] = {
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of_text,
      N_("Compute the fees as of this day (required)"), N_("YYYY-MM-DD") },
    { "contract", 0, 0, G_OPTION_ARG_STRING, &contract,
      N_("Only this contract"), N_("CODE") },
    { "project", 0, 0, G_OPTION_ARG_STRING, &project,
      N_("Only the contracts of this project"), N_("CODE") },
    { "building", 0, 0, G_OPTION_ARG_STRING, &building,
      N_("Only the contracts with units in this building"), N_("CODE") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context (NULL,
                                       _("Late fees of every posted bill line as of a day, as "
                                         "CSV on stdout (columns in docs/cli.md); rates above "
                                         "the warning limit are reported on stderr."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "late-fees", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("late-fees: unexpected argument “%s”"),
                            argv[1]);
  if (as_of_text == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("late-fees: --as-of YYYY-MM-DD is required"));
  if (!tenure_date_parse_iso (as_of_text, &as_of, &error))
    return tenure_cli_fail (TENURE_CLI_USAGE, _("late-fees: --as-of: %s"), error->message);
  if (contract != NULL)
    scope = TENURE_SCOPE_CONTRACT, scope_code = contract, n_scopes++;
  if (project != NULL)
    scope = TENURE_SCOPE_PROJECT, scope_code = project, n_scopes++;
  if (building != NULL)
    scope = TENURE_SCOPE_BUILDING, scope_code = building, n_scopes++;
  if (n_scopes > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("late-fees: give at most one of --contract, --project and "
                              "--building"));

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  items = tenure_late_fees_as_of (db, as_of, scope, scope_code, &error);
  if (items == NULL)
    return tenure_cli_fail_error (error);

  /* Column names are fixed (not translated): scripts read them. */
  printf ("contract,bill,charge_item,period_start,period_end,due_date,principal,paid,unpaid,"
          "fee_days,fee,waived,billed_fee,net_fee,capped,currency\n");
  for (guint i = 0; i < items->len; i++)
    {
      const TenureLateFeeItem *item = g_ptr_array_index (items, i);
      char b[TENURE_DATE_ISO_BUF_SIZE];
      g_autofree char *days = g_strdup_printf ("%d", item->result.fee_days);

      print_field (item->contract_code, FALSE);
      print_field (item->bill_code, FALSE);
      print_field (item->charge_item, FALSE);
      print_field (tenure_date_format_iso_buf (item->period_start, b), FALSE);
      print_field (tenure_date_format_iso_buf (item->period_end, b), FALSE);
      print_field (tenure_date_format_iso_buf (item->terms.due_date, b), FALSE);
      print_amount (item->terms.principal, item->currency);
      print_amount (item->result.paid, item->currency);
      print_amount (item->result.unpaid, item->currency);
      print_field (days, FALSE);
      print_amount (item->result.fee, item->currency);
      print_amount (item->waived, item->currency);
      print_amount (item->billed_fee, item->currency);
      print_amount (item->net_fee, item->currency);
      print_field (item->result.capped ? "yes" : "no", FALSE);
      print_field (item->currency, TRUE);
      /* Once per contract and charge, not once per bill line. */
      if (item->warning != NULL && g_hash_table_add (warned, item->warning))
        g_printerr ("%s %s\n", _("Warning:"), item->warning);
    }
  return TENURE_CLI_OK;
}
