/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "portfolio/tenure-asset-history.h"
#include "portfolio/tenure-asset-ledger.h"
#include "portfolio/tenure-portfolio.h"

/* `tenure-cli assets add|edit|retire|history`: the asset ledger from the command line, with
 * the same validation as the app's editor (tenure-asset-ledger.h). */

static const char * const ledger_subcommands[] = { "add", "edit", "retire", "history", NULL };

gboolean
tenure_cli_assets_ledger_handles (const char *subcommand)
{
  return subcommand != NULL && g_strv_contains (ledger_subcommands, subcommand);
}

static gboolean
parse_kind (const char       *text,
            TenureLedgerKind *out_kind)
{
  return tenure_ledger_kind_from_table (text, out_kind);
}

/* FIELD=VALUE arguments into a table of the ledger's keys; a usage error for anything else. */
static GHashTable *
parse_values (TenureLedgerKind   kind,
              int                argc,
              char             **argv,
              int                first,
              int               *exit_code)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        g_free);
  const char * const *keys = tenure_asset_ledger_fields (kind);

  for (int i = first; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');
      g_autofree char *key = eq != NULL ? g_strndup (argv[i], eq - argv[i]) : NULL;

      if (key == NULL || !g_strv_contains (keys, key))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) keys);

          *exit_code = tenure_cli_fail (TENURE_CLI_USAGE,
                                        _("assets: “%s” is not FIELD=VALUE with a field of %s "
                                          "(%s)"), argv[i], tenure_ledger_kind_table (kind),
                                        list);
          return NULL;
        }
      g_hash_table_insert (values, g_steal_pointer (&key), g_strdup (eq + 1));
    }
  return g_steal_pointer (&values);
}

static void
print_history (GPtrArray *entries)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const TenureAssetHistoryEntry *entry = g_ptr_array_index (entries, i);

      /* Translators: when, who, what was done, kind of object, its code */
      printf (_("%s  %s  %s  %s %s\n"), entry->at, entry->actor,
              tenure_asset_history_action_label (entry->action),
              tenure_ledger_kind_label (entry->kind), entry->code != NULL ? entry->code : "");
      for (guint j = 0; j < entry->changes->len; j++)
        {
          const TenureAssetFieldChange *change = g_ptr_array_index (entry->changes, j);

          /* Translators: field: old value → new value */
          printf (_("  %s: %s → %s\n"), change->label,
                  change->old_value != NULL ? change->old_value : "—",
                  change->new_value != NULL ? change->new_value : "—");
        }
    }
}

int
tenure_cli_assets_ledger (int    argc,
                          char **argv)
{
  g_autofree char *location = NULL, *on_text = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  gboolean children = FALSE;
  int limit = 0;
  int exit_code = TENURE_CLI_OK;
  TenureLedgerKind kind;
  const char *sub;
  GOptionEntry entries[] = {
    { "on", 0, 0, G_OPTION_ARG_STRING, &on_text,
      N_("retire: the retirement date (default: the as-of date of the screens)"),
      N_("YYYY-MM-DD") },
    { "children", 0, 0, G_OPTION_ARG_NONE, &children,
      N_("history: include everything under the object (a building's floors and units)"),
      NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_("history: at most N changes, newest first (default: all)"), N_("N") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context ("add|edit|retire|history KIND CODE [FIELD=VALUE…]",
                                       _("Edit the asset ledger. KIND is project, building, "
                                         "floor or unit. “add KIND PARENT-CODE FIELD=VALUE…” "
                                         "creates one under its parent (a project under its "
                                         "legal entity, …); “edit KIND CODE FIELD=VALUE…” "
                                         "changes the fields given; “retire KIND CODE” retires "
                                         "a unit, or every unit under a floor, building or "
                                         "project; “history KIND CODE” lists every change: "
                                         "when, who, field, old → new. Fields: code, name, "
                                         "format, city, address, acquired_on, vat_method, "
                                         "sort_order, plan_width, plan_height, gfa_area, "
                                         "leasable_area (m², “1,234.56”), stored_status, "
                                         "asking_price, asking_price_basis, vacancy_reason. "
                                         "Every value is validated and each write is one "
                                         "transaction."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "assets", &argc, &argv))
    return TENURE_CLI_USAGE;
  sub = argv[1];
  if (argc < 4)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("assets %s: missing KIND and CODE"), sub);
  if (!parse_kind (argv[2], &kind))
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("assets %s: unknown kind “%s”; use project, building, floor or "
                              "unit"), sub, argv[2]);
  if (strcmp (sub, "add") != 0 && strcmp (sub, "edit") != 0 && argc > 4)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("assets %s: unexpected argument “%s”"), sub,
                            argv[4]);

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;

  if (strcmp (sub, "add") == 0 || strcmp (sub, "edit") == 0)
    {
      gboolean add = strcmp (sub, "add") == 0;
      g_autoptr(GHashTable) values = parse_values (kind, argc, argv, 4, &exit_code);
      g_autofree char *field = NULL;
      gint64 id;

      if (values == NULL)
        return exit_code;
      id = tenure_asset_ledger_find (db, kind, add, argv[3], &error);
      if (id == 0)
        return tenure_cli_fail_error (error);
      if (add)
        {
          id = tenure_asset_ledger_create (db, kind, id, values, &field, &error);
          if (id == 0)
            return tenure_cli_fail_error (error);
          g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

          /* Translators: kind of object, its code, its id */
          printf (_("Created %s %s (id %s).\n"), tenure_ledger_kind_table (kind),
                  (const char *) g_hash_table_lookup (values, "code"), id_text);
        }
      else
        {
          if (!tenure_asset_ledger_update (db, kind, id, values, &field, &error))
            return tenure_cli_fail_error (error);
          printf (_("Saved %s %s.\n"), tenure_ledger_kind_table (kind), argv[3]);
        }
      return TENURE_CLI_OK;
    }

  if (strcmp (sub, "retire") == 0)
    {
      TenureDate on = tenure_portfolio_get_as_of (db);
      gint64 id;

      if (on_text != NULL && !tenure_date_parse_iso (on_text, &on, &error))
        return tenure_cli_fail (TENURE_CLI_USAGE, _("assets retire: --on: %s"), error->message);
      id = tenure_asset_ledger_find (db, kind, FALSE, argv[3], &error);
      if (id == 0 || !tenure_asset_ledger_retire (db, kind, id, on, &error))
        return tenure_cli_fail_error (error);
      {
        g_autofree char *date = tenure_date_format_iso (on);

        printf (_("Retired %s %s on %s.\n"), tenure_ledger_kind_table (kind), argv[3], date);
      }
      return TENURE_CLI_OK;
    }

  /* history */
  {
    g_autoptr(GPtrArray) history = NULL;
    gint64 id = tenure_asset_ledger_find (db, kind, FALSE, argv[3], &error);

    if (id == 0)
      return tenure_cli_fail_error (error);
    if (limit < 0)
      return tenure_cli_fail (TENURE_CLI_USAGE, _("assets history: --limit must not be "
                                                  "negative"));
    history = tenure_asset_history_list (db, kind, id, children, (guint) limit, &error);
    if (history == NULL)
      return tenure_cli_fail_error (error);
    print_history (history);
    return TENURE_CLI_OK;
  }
}
