/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "billing/tenure-bill-run.h"

static char *
amount_text (gint64      minor,
             const char *currency)
{
  const TenureCurrency *c = currency != NULL ? tenure_currency_lookup (currency) : NULL;

  if (c == NULL)
    c = tenure_currency_default ();
  return tenure_money_format_plain (tenure_money_new (minor, c));
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

/* Bills as CSV on stdout (columns in docs/cli.md). */
static void
print_bills (const TenureBillRunResult *result)
{
  printf ("bill,contract,kind,period_start,period_end,due_date,lines,total,tax,currency\n");
  for (guint i = 0; i < result->bills->len; i++)
    {
      const TenureBillDraft *b = result->bills->pdata[i];
      char d1[TENURE_DATE_ISO_BUF_SIZE], d2[TENURE_DATE_ISO_BUF_SIZE];
      char d3[TENURE_DATE_ISO_BUF_SIZE];
      g_autofree char *total = amount_text (b->total, b->currency);
      g_autofree char *tax = amount_text (b->tax, b->currency);

      printf ("%s,%s,%s,%s,%s,%s,%u,%s,%s,%s\n", b->code != NULL ? b->code : "",
              b->contract_code, b->kind, tenure_date_format_iso_buf (b->period_start, d1),
              tenure_date_format_iso_buf (b->period_end, d2),
              tenure_date_format_iso_buf (b->due_date, d3), b->line_ids->len, total, tax,
              b->currency);
    }
}

int
tenure_cli_bill (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autofree char *period = NULL;
  g_autofree char *project = NULL;
  g_autofree char *building = NULL;
  g_autofree char *contract = NULL;
  g_autofree char *posting = NULL;
  gboolean dry_run = FALSE, accept = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(TenureBillRunResult) preview = NULL;
  g_autoptr(TenureBillRunResult) posted = NULL;
  g_autoptr(GError) error = NULL;
  TenureBillRunOptions options;
  guint blocking = 0, scopes = 0;
  int year = 0, month = 0, exit_code = 0;
  GOptionEntry entries[] = {
    { "period", 0, 0, G_OPTION_ARG_STRING, &period,
      N_("The month to bill: every unbilled line due by its last day"), N_("YYYY-MM") },
    { "project", 0, 0, G_OPTION_ARG_STRING, &project, N_("Only this project"), N_("CODE") },
    { "building", 0, 0, G_OPTION_ARG_STRING, &building, N_("Only this building"), N_("CODE") },
    { "contract", 0, 0, G_OPTION_ARG_STRING, &contract, N_("Only this contract"), N_("CODE") },
    { "posting-date", 0, 0, G_OPTION_ARG_STRING, &posting,
      N_("Posting date of the bills (default: today)"), N_("YYYY-MM-DD") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Preview the bills and anomalies; write nothing"), NULL },
    { "accept-anomalies", 0, 0, G_OPTION_ARG_NONE, &accept,
      N_("Post even when the checks found anomalies"), NULL },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context ("run",
                                       _("Bill a month: collect every unbilled plan line due "
                                         "by the month's end into bills (one per contract and "
                                         "period), check them for anomalies and post them in "
                                         "one transaction. Bills are printed as CSV (columns in "
                                         "docs/cli.md), anomalies on stderr. Anomalies other "
                                         "than zero lines stop the posting (exit status 4) "
                                         "unless --accept-anomalies is given. Running it again "
                                         "bills nothing twice."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "bill", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("bill: missing subcommand; use “tenure-cli bill run”"));
  if (strcmp (argv[1], "run") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("bill: unknown subcommand “%s”; use “tenure-cli bill run”"),
                            argv[1]);
  if (argc > 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bill run: unexpected argument “%s”"),
                            argv[2]);
  if (period == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bill run: --period YYYY-MM is required"));
  if (!parse_period (period, &year, &month))
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("bill run: --period “%s” is not a month written YYYY-MM"), period);
  tenure_bill_run_options_init (&options, year, month);
  scopes = (project != NULL) + (building != NULL) + (contract != NULL);
  if (scopes > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("bill run: give at most one of --project, --building and "
                              "--contract"));
  if (project != NULL)
    {
      options.scope_kind = TENURE_BILL_SCOPE_PROJECT;
      options.scope_code = project;
    }
  else if (building != NULL)
    {
      options.scope_kind = TENURE_BILL_SCOPE_BUILDING;
      options.scope_code = building;
    }
  else if (contract != NULL)
    {
      options.scope_kind = TENURE_BILL_SCOPE_CONTRACT;
      options.scope_code = contract;
    }
  if (posting != NULL)
    {
      if (!tenure_date_parse_iso (posting, &options.posting_date, NULL))
        return tenure_cli_fail (TENURE_CLI_USAGE,
                                _("bill run: --posting-date “%s” is not a date written "
                                  "YYYY-MM-DD"), posting);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      options.posting_date = tenure_date_from_ymd (g_date_time_get_year (now),
                                                   g_date_time_get_month (now),
                                                   g_date_time_get_day_of_month (now));
    }

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  preview = tenure_bill_run_preview (db, &options, &error);
  if (preview == NULL)
    return tenure_cli_fail_error (error);
  for (guint i = 0; i < preview->anomalies->len; i++)
    {
      const TenureBillAnomaly *a = preview->anomalies->pdata[i];

      /* TRANSLATORS: "warning: <anomaly message>" on stderr */
      fprintf (stderr, _("warning: %s\n"), a->message);
      if (a->kind != TENURE_ANOMALY_ZERO_AMOUNT)
        blocking++;
    }
  if (dry_run)
    {
      g_autofree char *total = amount_text (preview->total, NULL);
      g_autofree char *bills = g_strdup_printf ("%u", preview->bills->len);
      g_autofree char *lines = g_strdup_printf ("%" G_GINT64_FORMAT, preview->line_count);

      print_bills (preview);
      fprintf (stderr, _("Dry run for %s: %s bills, %s lines, total %s; nothing was posted.\n"),
               period, bills, lines, total);
      return TENURE_CLI_OK;
    }
  if (blocking > 0 && !accept)
    return tenure_cli_fail (TENURE_CLI_INVALID,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "bill run %s: %u anomaly found; check it and post with "
                                         "--accept-anomalies",
                                         "bill run %s: %u anomalies found; check them and post "
                                         "with --accept-anomalies", blocking),
                            period, blocking);
  posted = tenure_bill_run_post (db, &options, NULL, &error);
  if (posted == NULL)
    return tenure_cli_fail_error (error);
  print_bills (posted);
  {
    g_autofree char *total = amount_text (posted->total, NULL);
    g_autofree char *bills = g_strdup_printf ("%u", posted->bills->len);
    g_autofree char *lines = g_strdup_printf ("%" G_GINT64_FORMAT, posted->line_count);
    g_autofree char *run = g_strdup_printf ("%" G_GINT64_FORMAT, posted->bill_run_id);

    if (posted->bill_run_id == 0)
      fprintf (stderr, _("Nothing to bill for %s: every line due is already billed.\n"),
               period);
    else
      fprintf (stderr, _("Bill run %s for %s posted: %s bills, %s lines, total %s.\n"), run,
               period, bills, lines, total);
  }
  return TENURE_CLI_OK;
}
