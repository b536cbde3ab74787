/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "portfolio/tenure-asset-import.h"

/* `tenure-cli assets import FILE`: every problem of the file as "row R, column C (header):
 * message" on stdout, then what was (or would be) written. */
static int
assets_import (int argc, char **argv, const char *location, const char *project,
               const char *sheet, gboolean dry_run, gboolean skip_bad, gboolean square_feet)
{
  g_autoptr (TenureDb) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TenureTable) table = NULL;
  g_autoptr (TenureAssetMapping) mapping = tenure_asset_mapping_new ();
  g_autoptr (TenureAssetPreview) preview = NULL;
  TenureAssetImportResult result = { 0 };
  guint n_rows, n_bad;
  int exit_code = 0;

  if (argc < 3)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("assets import: missing FILE (.xlsx or .csv)"));
  if (argc > 3)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("assets import: unexpected argument “%s”"),
                            argv[3]);
  if (project != NULL)
    tenure_asset_mapping_set_constant (mapping, TENURE_ASSET_FIELD_PROJECT, project);
  if (square_feet)
    tenure_asset_mapping_set_area_unit (mapping, TENURE_AREA_SQUARE_FOOT);

  table = tenure_asset_import_read_file (argv[2], sheet, &error);
  if (table == NULL)
    return tenure_cli_fail_error (error);
  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  preview = tenure_asset_import_preview (db, table, mapping, NULL, NULL, NULL, &error);
  if (preview == NULL)
    return tenure_cli_fail_error (error);

  for (guint i = 0; i < tenure_asset_preview_get_n_issues (preview); i++)
    {
      const TenureAssetIssue *issue = tenure_asset_preview_get_issue (preview, i);

      if (issue->column_name == NULL)
        /* Translators: row number, message */
        printf (_("row %u: %s\n"), issue->row_number, issue->message);
      else if (issue->header != NULL)
        /* Translators: row number, column (letter or number), column header, message */
        printf (_("row %u, column %s (%s): %s\n"), issue->row_number, issue->column_name,
                issue->header, issue->message);
      else
        /* Translators: row number, column (letter or number), message */
        printf (_("row %u, column %s: %s\n"), issue->row_number, issue->column_name,
                issue->message);
    }

  n_rows = tenure_asset_preview_get_n_rows (preview);
  n_bad = tenure_asset_preview_get_n_bad_rows (preview);
  if (n_bad > 0 && !skip_bad)
    return tenure_cli_fail (TENURE_CLI_INVALID,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "assets import: %u of %u rows has errors; nothing was "
                                         "imported (correct the file, or leave them out with "
                                         "--skip-bad-rows)",
                                         "assets import: %u of %u rows have errors; nothing was "
                                         "imported (correct the file, or leave them out with "
                                         "--skip-bad-rows)", n_bad),
                            n_bad, n_rows);
  if (dry_run)
    {
      printf (_("Dry run, nothing was written. Units to import: %u, new buildings: %u, "
                "new floors: %u, rows left out: %u.\n"),
              n_rows - n_bad, tenure_asset_preview_get_n_new_buildings (preview),
              tenure_asset_preview_get_n_new_floors (preview), n_bad);
      return TENURE_CLI_OK;
    }
  if (!tenure_asset_import_apply (db, preview,
                                  skip_bad ? TENURE_ASSET_IMPORT_SKIP_BAD_ROWS
                                           : TENURE_ASSET_IMPORT_DEFAULT,
                                  NULL, NULL, NULL, &result, &error))
    return tenure_cli_fail_error (error);
  printf (_("Imported. Units: %u, new buildings: %u, new floors: %u, rows left out: %u.\n"),
          result.units, result.buildings, result.floors, result.skipped_rows);
  return TENURE_CLI_OK;
}

int
tenure_cli_assets (int argc, char **argv)
{
  g_autofree char *location = NULL, *project = NULL, *sheet = NULL;
  g_autoptr (GOptionContext) context = NULL;
  gboolean dry_run = FALSE, skip_bad = FALSE, square_feet = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Check the file and show what would be imported; write nothing"), NULL },
    { "skip-bad-rows", 0, 0, G_OPTION_ARG_NONE, &skip_bad,
      N_("Import the rows without errors and leave out the others"), NULL },
    { "project", 0, 0, G_OPTION_ARG_STRING, &project,
      N_("Project of rows without a project code (or of a file without that column)"),
      N_("CODE") },
    { "sheet", 0, 0, G_OPTION_ARG_STRING, &sheet,
      N_("Sheet of a workbook (default: the first)"), N_("NAME") },
    { "square-feet", 0, 0, G_OPTION_ARG_NONE, &square_feet,
      N_("The file's areas are in square feet (stored in m²)"), NULL },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  /* add, edit, retire, history: the ledger's own (tenure-cli-assets-ledger.c). */
  if (argc >= 2 && tenure_cli_assets_ledger_handles (argv[1]))
    return tenure_cli_assets_ledger (argc, argv);

  context = tenure_cli_option_context ("import FILE",
                                       _("Import units from an Excel (.xlsx) or CSV file: "
                                         "columns found by their headers (项目编码/project "
                                         "code, 楼栋/building, 楼层/floor, 单元编码/unit code, "
                                         "名称/name, 业态/format, 建筑面积/GFA, 可租面积/leasable "
                                         "area, 状态/status, 报价/asking price, 报价单位/price "
                                         "basis); missing buildings and floors of an existing "
                                         "project are created. Every error is listed by row "
                                         "and column; nothing is imported until the file is "
                                         "clean, unless --skip-bad-rows leaves the bad rows "
                                         "out. All rows are written in one transaction."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "assets", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("assets: missing subcommand; use “tenure-cli assets import FILE”"));
  if (strcmp (argv[1], "import") == 0)
    return assets_import (argc, argv, location, project, sheet, dry_run, skip_bad,
                          square_feet);
  return tenure_cli_fail (TENURE_CLI_USAGE, _("assets: unknown subcommand “%s”; use import"),
                          argv[1]);
}
