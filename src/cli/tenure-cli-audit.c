/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "store/tenure-audit.h"

int
tenure_cli_audit (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count_text = NULL;
  gint64 bad_id = 0, count;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context ("verify",
                                       _("Recompute the hash chain of the audit log and report "
                                         "the first entry that does not match (exit status 1)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "audit", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("audit: missing subcommand; use “tenure-cli audit verify”"));
  if (strcmp (argv[1], "verify") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("audit: unknown subcommand “%s”; use “tenure-cli audit verify”"),
                            argv[1]);
  if (argc > 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("audit verify: unexpected argument “%s”"),
                            argv[2]);

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  if (!tenure_audit_verify (db, &bad_id, &error))
    {
      /* A broken chain is a failed verification, not bad input. */
      if (bad_id > 0)
        return tenure_cli_fail (TENURE_CLI_FAILED, "%s", error->message);
      return tenure_cli_fail_error (error);
    }
  count = tenure_audit_count (db, &error);
  if (count < 0)
    return tenure_cli_fail_error (error);
  count_text = g_strdup_printf ("%" G_GINT64_FORMAT, count);
  printf (g_dngettext (GETTEXT_PACKAGE, "Audit log intact: %s entry verified\n",
                       "Audit log intact: %s entries verified\n", (gulong) count), count_text);
  return TENURE_CLI_OK;
}
