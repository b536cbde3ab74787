/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "collections/tenure-reconcile.h"

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

static char *
amount_text (gint64      minor,
             const char *currency,
             gboolean    grouped)
{
  const TenureCurrency *cur = tenure_currency_lookup (currency);

  if (cur == NULL)
    cur = tenure_currency_default ();
  if (grouped)
    return tenure_money_format (tenure_money_new (minor, cur), TENURE_MONEY_FORMAT_NO_SYMBOL);
  return tenure_money_format_plain (tenure_money_new (minor, cur));
}

static gboolean
parse_period (const char *text,
              int        *year,
              int        *month)
{
  guint64 y, m;
  g_auto(GStrv) parts = NULL;

  if (text == NULL || strlen (text) != 7 || text[4] != '-')
    return FALSE;
  parts = g_strsplit (text, "-", 2);
  if (!g_ascii_string_to_unsigned (parts[0], 10, 1, 9999, &y, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &m, NULL))
    return FALSE;
  *year = (int) y;
  *month = (int) m;
  return TRUE;
}

/* The cause as staff read it. */
static const char *
cause_label (const char *cause)
{
  static const struct { const char *cause; const char *label; } labels[] = {
    { "unpaid", N_("unpaid") },
    { "partly_paid", N_("partly paid") },
    { "overpaid", N_("overpaid") },
    { "unapplied_credit", N_("unapplied credit") },
    { "unmatched_bank_line", N_("unmatched bank line") },
    { "paid_after_period", N_("paid after the period") },
    { "write_off", N_("written off") },
    { "offset", N_("offset against deposit") },
    { "other", N_("other") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (cause, labels[i].cause) == 0)
      return _(labels[i].label);
  return cause;
}

static void
print_text (const TenureReconciliation *rec)
{
  g_autofree char *receivable = amount_text (rec->receivable, rec->currency, TRUE);
  g_autofree char *received = amount_text (rec->received, rec->currency, TRUE);
  g_autofree char *difference = amount_text (rec->difference, rec->currency, TRUE);
  gboolean beside_header = FALSE;

  if (rec->scope == TENURE_RECONCILE_ENTITY)
    printf (_("Reconciliation %s, legal entity %s, %s"), rec->period, rec->legal_entity_code,
            rec->currency);
  else
    printf (_("Reconciliation %s, legal entity %s, %s %s, %s"), rec->period,
            rec->legal_entity_code,
            rec->scope == TENURE_RECONCILE_PROJECT ? _("project") : _("contract"),
            rec->scope_code, rec->currency);
  if (rec->closed)
    printf (" (%s)", _("closed"));
  printf ("\n  %-12s %18s\n  %-12s %18s\n  %-12s %18s\n", _("Receivable"), receivable,
          _("Received"), received, _("Difference"), difference);
  if (rec->differences->len == 0)
    printf ("  %s\n", _("No differences."));
  for (guint i = 0; i < rec->differences->len; i++)
    {
      const TenureReconcileDifference *d = rec->differences->pdata[i];
      g_autofree char *amount = amount_text (d->amount, rec->currency, TRUE);

      if (d->beside && !beside_header)
        {
          printf ("  %s\n", _("Beside the difference:"));
          beside_header = TRUE;
        }
      printf ("  #%-6" G_GINT64_FORMAT " %-22s %-10s %-18s %-12s %-10s %16s", d->id,
              cause_label (d->cause), d->contract_code != NULL ? d->contract_code : "",
              d->bill_code != NULL ? d->bill_code : "",
              d->charge_item_code != NULL ? d->charge_item_code : "",
              d->due_date != NULL ? d->due_date : "", amount);
      if (d->note != NULL)
        printf ("  %s", d->note);
      if (d->resolution != NULL)
        printf ("  [%s: %s]", d->resolved_by, d->resolution);
      printf ("\n");
    }
  if (rec->unresolved > 0)
    {
      printf ("  ");
      printf (g_dngettext (GETTEXT_PACKAGE, "%u difference unresolved",
                           "%u differences unresolved", rec->unresolved), rec->unresolved);
      printf ("\n");
    }
}

static void
print_csv (const TenureReconciliation *rec)
{
  g_autofree char *receivable = amount_text (rec->receivable, rec->currency, FALSE);
  g_autofree char *received = amount_text (rec->received, rec->currency, FALSE);
  g_autofree char *difference = amount_text (rec->difference, rec->currency, FALSE);

  for (guint i = 0; i <= rec->differences->len; i++)
    {
      const TenureReconcileDifference *d = i < rec->differences->len
                                           ? rec->differences->pdata[i] : NULL;
      g_autofree char *id = NULL;
      g_autofree char *amount = NULL;

      /* A reconciliation without differences still gets its line. */
      if (d == NULL && rec->differences->len > 0)
        break;
      print_field (rec->legal_entity_code, FALSE);
      print_field (rec->period, FALSE);
      print_field (tenure_reconcile_scope_to_string (rec->scope), FALSE);
      print_field (rec->scope_code, FALSE);
      print_field (rec->currency, FALSE);
      print_field (receivable, FALSE);
      print_field (received, FALSE);
      print_field (difference, FALSE);
      print_field (rec->closed ? "closed" : "open", FALSE);
      if (d == NULL)
        {
          printf (",,,,,,,,,,\n");
          continue;
        }
      id = g_strdup_printf ("%" G_GINT64_FORMAT, d->id);
      amount = amount_text (d->amount, rec->currency, FALSE);
      print_field (id, FALSE);
      print_field (d->cause, FALSE);
      print_field (d->beside ? "yes" : "no", FALSE);
      print_field (d->contract_code, FALSE);
      print_field (d->bill_code, FALSE);
      print_field (d->charge_item_code, FALSE);
      print_field (d->due_date, FALSE);
      print_field (amount, FALSE);
      print_field (d->note, FALSE);
      print_field (d->resolution, FALSE);
      print_field (d->resolved_by, TRUE);
    }
}

static int
resolve (TenureDb    *db,
         int          argc,
         char       **argv)
{
  g_autoptr(GError) error = NULL;
  guint64 id;

  if (argc != 4)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("reconcile resolve: give the difference number and the "
                              "resolution text"));
  if (!g_ascii_string_to_unsigned (argv[2], 10, 1, G_MAXINT64, &id, NULL))
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("reconcile resolve: “%s” is not a difference number"), argv[2]);
  if (!tenure_reconcile_resolve (db, (gint64) id, argv[3], &error))
    return tenure_cli_fail_error (error);
  return TENURE_CLI_OK;
}

int
tenure_cli_reconcile (int argc, char **argv)
{
  g_autofree char *location = NULL, *period = NULL, *entity = NULL, *project = NULL;
  g_autofree char *contract = NULL, *format = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GPtrArray) recs = NULL;
  g_autoptr(GError) error = NULL;
  TenureReconcileScope scope = TENURE_RECONCILE_ENTITY;
  const char *scope_code = NULL;
  int year = 0, month = 0, exit_code = 0;
  gboolean csv;
  GOptionEntry entries[] = {
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, N_("The month to reconcile (required)"),
      N_("YYYY-MM") },
    { "entity", 0, 0, G_OPTION_ARG_STRING, &entity,
      N_("Only this legal entity (default: each one)"), N_("CODE") },
    { "project", 0, 0, G_OPTION_ARG_STRING, &project, N_("Only this project"), N_("CODE") },
    { "contract", 0, 0, G_OPTION_ARG_STRING, &contract, N_("Only this contract"), N_("CODE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format (default: text)"),
      N_("text|csv") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context (_("[resolve ID TEXT]"),
                                       _("Reconcile a month: receivable (bill lines due in "
                                         "it, net of credit notes), received (allocated to "
                                         "them by its end) and the difference, explained line "
                                         "by line, with unapplied credit and unmatched bank "
                                         "lines beside. The result is stored; “resolve ID "
                                         "TEXT” records how a difference was resolved."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "reconcile", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc > 1 && strcmp (argv[1], "resolve") == 0)
    {
      db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
      if (db == NULL)
        return exit_code;
      return resolve (db, argc, argv);
    }
  if (argc > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("reconcile: unexpected argument “%s”"),
                            argv[1]);
  if (period == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("reconcile: --period YYYY-MM is required"));
  if (!parse_period (period, &year, &month))
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("reconcile: --period “%s” is not a month written YYYY-MM"),
                            period);
  if (project != NULL && contract != NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("reconcile: give at most one of --project and --contract"));
  if (format != NULL && strcmp (format, "text") != 0 && strcmp (format, "csv") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("reconcile: --format “%s” is not text or csv"), format);
  csv = format != NULL && strcmp (format, "csv") == 0;
  if (project != NULL)
    scope = TENURE_RECONCILE_PROJECT, scope_code = project;
  else if (contract != NULL)
    scope = TENURE_RECONCILE_CONTRACT, scope_code = contract;

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  recs = tenure_reconcile_run (db, entity, year, month, scope, scope_code, &error);
  if (recs == NULL)
    return tenure_cli_fail_error (error);
  /* Column names are fixed (not translated): scripts read them. */
  if (csv)
    printf ("entity,period,scope,scope_code,currency,receivable,received,difference,status,"
            "difference_id,cause,beside,contract,bill,charge_item,due_date,amount,note,"
            "resolution,resolved_by\n");
  for (guint i = 0; i < recs->len; i++)
    {
      if (csv)
        print_csv (recs->pdata[i]);
      else
        print_text (recs->pdata[i]);
    }
  return TENURE_CLI_OK;
}
