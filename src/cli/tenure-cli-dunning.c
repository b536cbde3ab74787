/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "collections/tenure-dunning.h"

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

int
tenure_cli_dunning (int argc, char **argv)
{
  g_autofree char *location = NULL, *as_of_text = NULL;
  gboolean dry_run = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(TenureDunningResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TenureDate as_of;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of_text,
      N_("Run as of this day (required)"), N_("YYYY-MM-DD") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Show what the run would produce; write nothing"), NULL },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context ("run",
                                       _("Run dunning: for each contract with overdue items, "
                                         "the highest level its days overdue and overdue "
                                         "amount reach records a notice (pending delivery) or "
                                         "a task, never repeating one within its cadence. "
                                         "The actions are printed as CSV (columns in "
                                         "docs/cli.md), the counts on stderr."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "dunning", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("dunning: missing subcommand; use “tenure-cli dunning run”"));
  if (strcmp (argv[1], "run") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("dunning: unknown subcommand “%s”; use “tenure-cli dunning "
                              "run”"), argv[1]);
  if (argc > 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("dunning run: unexpected argument “%s”"),
                            argv[2]);
  if (as_of_text == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("dunning run: --as-of YYYY-MM-DD is required"));
  if (!tenure_date_parse_iso (as_of_text, &as_of, &error))
    return tenure_cli_fail (TENURE_CLI_USAGE, _("dunning run: --as-of: %s"), error->message);

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  if (!tenure_dunning_run (db, as_of, dry_run, &result, &error))
    return tenure_cli_fail_error (error);

  /* Column names are fixed (not translated): scripts read them. */
  printf ("action_id,contract,tenant,level,level_name,kind,channel,overdue_amount,currency,"
          "oldest_due_date,days_overdue\n");
  for (guint i = 0; i < result->actions->len; i++)
    {
      const TenureDunningAction *a = result->actions->pdata[i];
      const TenureCurrency *cur = tenure_currency_lookup (a->currency);
      g_autofree char *id = a->id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, a->id) : NULL;
      g_autofree char *level = g_strdup_printf ("%d", a->level);
      g_autofree char *days = g_strdup_printf ("%d", a->days_overdue);
      g_autofree char *amount = tenure_money_format_plain (
        tenure_money_new (a->overdue_amount, cur != NULL ? cur : tenure_currency_default ()));
      char oldest[TENURE_DATE_ISO_BUF_SIZE];

      print_field (id, FALSE);
      print_field (a->contract_code, FALSE);
      print_field (a->tenant_code, FALSE);
      print_field (level, FALSE);
      print_field (a->level_name, FALSE);
      print_field (a->kind, FALSE);
      print_field (a->channel, FALSE);
      print_field (amount, FALSE);
      print_field (a->currency, FALSE);
      print_field (tenure_date_format_iso_buf (a->oldest_due_date, oldest), FALSE);
      print_field (days, TRUE);
    }
  if (dry_run)
    g_printerr (_("Dry run as of %s: %u notices and %u tasks would be recorded (%u contracts "
                  "overdue, %u not repeated within their cadence); nothing was written.\n"),
                as_of_text, result->notices, result->tasks, result->contracts_overdue,
                result->repeats_skipped);
  else
    {
      /* The id goes in as text: gettext cannot see through G_GINT64_FORMAT. */
      g_autofree char *run_id = g_strdup_printf ("%" G_GINT64_FORMAT, result->run_id);

      g_printerr (_("Dunning run %s as of %s: %u notices and %u tasks recorded (%u contracts "
                    "overdue, %u not repeated within their cadence).\n"),
                  run_id, as_of_text, result->notices, result->tasks,
                  result->contracts_overdue, result->repeats_skipped);
    }
  return TENURE_CLI_OK;
}
