/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "collections/tenure-period-close.h"

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

int
tenure_cli_period (int argc, char **argv)
{
  g_autofree char *location = NULL, *period = NULL, *entity = NULL, *reason = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  int year = 0, month = 0, exit_code = 0;
  gboolean closing;
  GOptionEntry entries[] = {
    { "entity", 0, 0, G_OPTION_ARG_STRING, &entity, N_("The legal entity (required)"),
      N_("CODE") },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, N_("The month (required)"),
      N_("YYYY-MM") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why: required to reopen, and to close with unresolved differences"), N_("TEXT") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context ("close|reopen",
                                       _("Close an accounting month of a legal entity (after "
                                         "its reconciliation is resolved and the earlier "
                                         "months are closed), or reopen it with a reason. "
                                         "Postings dated in a closed month are refused."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "period", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("period: missing subcommand; use “tenure-cli period close” or "
                              "“tenure-cli period reopen”"));
  if (strcmp (argv[1], "close") != 0 && strcmp (argv[1], "reopen") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("period: unknown subcommand “%s”; use close or reopen"),
                            argv[1]);
  closing = strcmp (argv[1], "close") == 0;
  if (argc > 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("period: unexpected argument “%s”"), argv[2]);
  if (entity == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("period: --entity CODE is required"));
  if (period == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("period: --period YYYY-MM is required"));
  if (!parse_period (period, &year, &month))
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("period: --period “%s” is not a month written YYYY-MM"), period);
  if (!closing && reason == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("period reopen: --reason TEXT is required"));

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  if (closing ? !tenure_period_close (db, entity, year, month, reason, &error)
              : !tenure_period_reopen (db, entity, year, month, reason, &error))
    return tenure_cli_fail_error (error);
  printf (closing ? _("Closed %s of legal entity %s.\n") : _("Reopened %s of legal entity "
                                                             "%s.\n"), period, entity);
  return TENURE_CLI_OK;
}
