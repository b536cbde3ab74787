/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>

#include <glib/gi18n.h>

int
tenure_cli_info (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) seed = NULL;
  int exit_code = 0;
  gint64 projects, units, contracts;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context (NULL, _("Show which database this is: backend, "
                                               "location, schema version, acting user and "
                                               "the number of projects, units and contracts."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "info", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("info: unexpected argument “%s”"), argv[1]);

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  if (!tenure_db_query_int64 (db, "SELECT count(*) FROM project", &projects, &error)
      || !tenure_db_query_int64 (db, "SELECT count(*) FROM unit", &units, &error)
      || !tenure_db_query_int64 (db, "SELECT count(*) FROM contract", &contracts, &error))
    return tenure_cli_fail_error (error);

  printf ("%s %s\n", _("Backend:"),
          tenure_db_get_kind (db) == TENURE_DB_SQLITE ? "SQLite" : "PostgreSQL");
  printf ("%s %s\n", _("Location:"), tenure_db_get_display_name (db));
  printf ("%s %d\n", _("Schema version:"), tenure_db_get_schema_version (db));
  printf ("%s %s\n", _("Acting user:"), tenure_db_get_actor (db));
  printf ("%s %" G_GINT64_FORMAT "\n", _("Projects:"), projects);
  printf ("%s %" G_GINT64_FORMAT "\n", _("Units:"), units);
  printf ("%s %" G_GINT64_FORMAT "\n", _("Contracts:"), contracts);

  seed = tenure_db_prepare (db, "SELECT value FROM setting WHERE key = 'demo.seed'", &error);
  if (seed == NULL)
    return tenure_cli_fail_error (error);
  if (tenure_stmt_step (seed, &error))
    printf ("%s %s\n", _("Demo seed:"), tenure_stmt_column_text (seed, 0));
  else if (error != NULL)
    return tenure_cli_fail_error (error);
  return TENURE_CLI_OK;
}
