/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "billing/tenure-straight-line.h"

static char *
amount_text (gint64 minor)
{
  return tenure_money_format_plain (tenure_money_new (minor, tenure_currency_default ()));
}

int
tenure_cli_straight_line (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_auto(GStrv) charge_items = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(TenureStraightLine) sl = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "charge-item", 0, 0, G_OPTION_ARG_STRING_ARRAY, &charge_items,
      N_("Charge item to straight-line (repeatable; default RENT)"), N_("CODE") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context (_("CODE"),
                                       _("Straight-line rent revenue of a contract by month "
                                         "(CAS 21 / IFRS 16), with what was billed and the "
                                         "deferred (accrued) rent, as CSV on stdout (columns "
                                         "in docs/cli.md). Amounts are net of VAT."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "straight-line", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("straight-line: missing contract code"));
  if (argc > 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("straight-line: unexpected argument “%s”"),
                            argv[2]);

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  sl = tenure_straight_line_for_stored (db, argv[1], (const char * const *) charge_items,
                                        &error);
  if (sl == NULL)
    return tenure_cli_fail_error (error);

  /* Column names are fixed (not translated): scripts read them. */
  printf ("month,days,revenue,billed,cumulative_revenue,cumulative_billed,deferred\n");
  for (guint i = 0; i < sl->months->len; i++)
    {
      const TenureStraightLineMonth *m = &g_array_index (sl->months, TenureStraightLineMonth,
                                                         i);
      g_autofree char *revenue = amount_text (m->revenue);
      g_autofree char *billed = amount_text (m->billed);
      g_autofree char *cum_revenue = amount_text (m->cumulative_revenue);
      g_autofree char *cum_billed = amount_text (m->cumulative_billed);
      g_autofree char *deferred = amount_text (m->deferred);

      printf ("%04d-%02d,%d,%s,%s,%s,%s,%s\n", m->year, m->month,
              tenure_date_days_inclusive (m->first, m->last), revenue, billed, cum_revenue,
              cum_billed, deferred);
    }
  return TENURE_CLI_OK;
}
