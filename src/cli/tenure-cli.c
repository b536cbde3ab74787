/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libpq-fe.h>

#include "base/tenure-error.h"

/* The commands. A later command is one more file (tenure-cli-<name>.c) and one more row. */
static const TenureCliCommand commands[] = {
  { "demo",  N_("Generate the demo portfolio (default: the demo database)"), tenure_cli_demo },
  { "info",  N_("Show the backend, schema version, acting user and counts"), tenure_cli_info },
  { "audit", N_("Verify the hash chain of the audit log (audit verify)"), tenure_cli_audit },
  { "contract", N_("Import, show or export contracts (contract import|show|export)"),
    tenure_cli_contract },
  { "late-fees", N_("Late fees of posted bills as of a day (CSV)"), tenure_cli_late_fees },
  { "straight-line", N_("Straight-line revenue and deferred rent of a contract (CSV)"),
    tenure_cli_straight_line },
  { "plan", N_("Generate, store and print the receivable plan of a contract (CSV or JSON)"),
    tenure_cli_plan },
  { "bill", N_("Bill a month: preview, check and post the bills (bill run)"), tenure_cli_bill },
  { "kpi",
    N_("Indicators: occupancy, expiry, WALE, vacancy loss, collection, aging, cash flow… (CSV)"),
    tenure_cli_kpi },
  { "bank", N_("Bank accounts, import profiles, statement import and matching (bank …)"),
    tenure_cli_bank },
  { "export", N_("Excel reports: rent roll, bill summary, aging, KPIs with charts"),
    tenure_cli_export },
  { "aging", N_("Aging of open items by days past due as of a day"), tenure_cli_aging },
  { "reconcile", N_("Reconcile a month: receivable, received, difference and its causes"),
    tenure_cli_reconcile },
  { "dunning", N_("Run dunning: notices and tasks for overdue contracts (dunning run)"),
    tenure_cli_dunning },
  { "period", N_("Close or reopen an accounting month (period close|reopen)"),
    tenure_cli_period },
  { "receipt", N_("Receipts: add, show, reverse, write off, offset, credit (receipt …)"),
    tenure_cli_receipt },
  { "assets", N_("Import units from Excel or CSV with a preview of every error (assets import)"),
    tenure_cli_assets },
};

const char *
tenure_cli_exit_codes_help (void)
{
  return _("Exit status:\n"
           "  0  success\n"
           "  1  failure\n"
           "  2  usage error (unknown command or option, a password in --db)\n"
           "  3  the database cannot be opened (not found, not a database, read-only,\n"
           "     unreachable, wrong password, written by a newer Tenure)\n"
           "  4  invalid input data\n"
           "  5  locked by another job\n"
           "  6  cancelled\n"
           "On failure one line on stderr: \"tenure-cli: <problem and where>\".\n"
           "PostgreSQL passwords come only from PGPASSWORD or ~/.pgpass.");
}

int
tenure_cli_fail (int code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Exactly one line, whatever the message holds. */
  g_strdelimit (message, "\r\n", ' ');
  g_printerr ("tenure-cli: %s\n", message);
  return code;
}

int
tenure_cli_exit_code (const GError *error)
{
  if (error == NULL)
    return TENURE_CLI_OK;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return TENURE_CLI_CANCELLED;
  if (error->domain != TENURE_ERROR)
    return TENURE_CLI_FAILED;
  switch ((TenureError) error->code)
    {
    case TENURE_ERROR_DB_OPEN:
    case TENURE_ERROR_DB_NOT_DATABASE:
    case TENURE_ERROR_DB_READ_ONLY:
    case TENURE_ERROR_DB_UNREACHABLE:
    case TENURE_ERROR_DB_AUTH:
    case TENURE_ERROR_DB_TOO_NEW:
      return TENURE_CLI_DB_OPEN;
    case TENURE_ERROR_INVALID:
    case TENURE_ERROR_PARSE:
    case TENURE_ERROR_OVERFLOW:
    case TENURE_ERROR_ENCODING:
    case TENURE_ERROR_NOT_FOUND:
    case TENURE_ERROR_UNSUPPORTED:
    case TENURE_ERROR_CLOSED_PERIOD:
      return TENURE_CLI_INVALID;
    case TENURE_ERROR_LOCKED:
    case TENURE_ERROR_DB_BUSY:
      return TENURE_CLI_LOCKED;
    case TENURE_ERROR_CANCELLED:
      return TENURE_CLI_CANCELLED;
    default:
      return TENURE_CLI_FAILED;
    }
}

int
tenure_cli_fail_error (const GError *error)
{
  return tenure_cli_fail (tenure_cli_exit_code (error), "%s", error->message);
}

GOptionContext *
tenure_cli_option_context (const char *parameter_string, const char *summary)
{
  GOptionContext *context = g_option_context_new (parameter_string);

  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, tenure_cli_exit_codes_help ());
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  return context;
}

gboolean
tenure_cli_parse (GOptionContext *context, const char *command, int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;

  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;
  /* TRANSLATORS: "tenure-cli demo: Unknown option --x; see tenure-cli demo --help" */
  tenure_cli_fail (TENURE_CLI_USAGE, _("%s: %s; see tenure-cli %s --help"),
                   command, error->message, command);
  return FALSE;
}

/* A libpq location (URI or keyword=value), the way the store tells them from file paths. */
static gboolean
location_is_postgresql (const char *location)
{
  const char *eq, *slash;

  if (g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://"))
    return TRUE;
  if (g_str_has_prefix (location, "sqlite:"))
    return FALSE;
  eq = strchr (location, '=');
  slash = strchr (location, '/');
  return eq != NULL && eq > location && (slash == NULL || slash > eq);
}

/* A password on the command line shows in the process list and the shell history. */
static gboolean
location_has_password (const char *location, char **out_parse_error)
{
  char *errmsg = NULL;
  PQconninfoOption *options = PQconninfoParse (location, &errmsg);
  gboolean found = FALSE;

  *out_parse_error = NULL;
  if (options == NULL)
    {
      *out_parse_error = g_strstrip (g_strdup (errmsg ? errmsg : ""));
      PQfreemem (errmsg);
      return FALSE;
    }
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (strcmp (o->keyword, "password") == 0 && o->val != NULL && *o->val != '\0')
      found = TRUE;
  PQconninfoFree (options);
  return found;
}

TenureDb *
tenure_cli_open_db (const char       *location,
                    const char       *default_location,
                    TenureDbOpenFlags flags,
                    int              *exit_code)
{
  g_autoptr(GError) error = NULL;
  TenureDb *db;

  if (location == NULL || *location == '\0')
    location = default_location;
  if (location != NULL && location_is_postgresql (location))
    {
      g_autofree char *parse_error = NULL;

      if (location_has_password (location, &parse_error))
        {
          *exit_code = tenure_cli_fail (TENURE_CLI_USAGE,
                                        _("--db: a password in the connection string is "
                                          "refused; put it in PGPASSWORD or ~/.pgpass"));
          return NULL;
        }
      if (parse_error != NULL)
        {
          *exit_code = tenure_cli_fail (TENURE_CLI_USAGE,
                                        _("--db: the connection string cannot be read: %s"),
                                        parse_error);
          return NULL;
        }
    }
  db = tenure_db_open (location, flags, &error);
  if (db == NULL)
    {
      int code = tenure_cli_exit_code (error);
      /* Whatever stops the open (a missing file too) is "cannot be opened", unless another
       * job holds it or the user cancelled. */
      if (code != TENURE_CLI_LOCKED && code != TENURE_CLI_CANCELLED)
        code = TENURE_CLI_DB_OPEN;
      *exit_code = tenure_cli_fail (code, "%s", error->message);
    }
  return db;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n  tenure-cli %s\n\n%s\n", _("Usage:"), _("COMMAND [OPTION…]"),
           _("Tenure on the command line: the same core as the app, for automation."));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-13s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “tenure-cli COMMAND --help” for the options of a command; "
                            "--db LOCATION takes a file path or a PostgreSQL URI/conninfo."));
  fprintf (out, "\n%s\n", tenure_cli_exit_codes_help ());
}

int
main (int argc, char **argv)
{
  const char *name;

  setlocale (LC_ALL, "");
  /* Numbers cross into SQL and output in the C locale (domain.md §3). */
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("TENURE_LOCALEDIR") ? g_getenv ("TENURE_LOCALEDIR")
                                                                 : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("tenure-cli");

  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("missing command; see tenure-cli --help"));
  name = argv[1];
  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0 || strcmp (name, "help") == 0
      || strcmp (name, "-?") == 0)
    {
      print_usage (stdout);
      return TENURE_CLI_OK;
    }
  if (strcmp (name, "--version") == 0)
    {
      printf ("tenure-cli %s\n", TENURE_VERSION);
      return TENURE_CLI_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (name, commands[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("tenure-cli %s", name);
        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }
  return tenure_cli_fail (TENURE_CLI_USAGE, _("unknown command “%s”; see tenure-cli --help"),
                          name);
}
