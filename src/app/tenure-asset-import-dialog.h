/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "store/tenure-db.h"

G_BEGIN_DECLS

#define TENURE_TYPE_ASSET_IMPORT_DIALOG (tenure_asset_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TenureAssetImportDialog, tenure_asset_import_dialog, TENURE,
                      ASSET_IMPORT_DIALOG, AdwWindow)

/* The batch import of units (portfolio/tenure-asset-import.h): choose an .xlsx or .csv file,
 * which is read and checked off the main thread with a progress bar and Cancel; a preview of
 * every row (rows with errors marked) and the list of errors by row and column; then "Import N
 * Rows" (only for a clean file) or "Leave Out M Bad Rows and Import". The outcome shows as a
 * toast and the "imported" signal (the number of units) tells the page to reload.
 * Widget names for tests and accessibility: "choose-button", "progress-bar", "cancel-button",
 * "summary-label", "preview-view", "error-list", "import-button", "skip-import-button". */

/* A dialog modal over PARENT (may be NULL) that works on its own connection to LOCATION, or,
 * when LOCATION is NULL, on DB in the main thread. Owned by GTK like any window. */
TenureAssetImportDialog *tenure_asset_import_dialog_new       (GtkWindow   *parent,
                                                               const char  *location,
                                                               TenureDb    *db);
/* Reads and checks FILE as the file chooser does (any earlier preview is dropped). */
void                     tenure_asset_import_dialog_load_file (TenureAssetImportDialog *self,
                                                               GFile                   *file);
/* Imports as the buttons do: all rows (refused while rows have errors) or, with SKIP_BAD_ROWS,
 * the good ones. */
void                     tenure_asset_import_dialog_import    (TenureAssetImportDialog *self,
                                                               gboolean     skip_bad_rows);
/* Cancels the running read or import (nothing is written). */
void                     tenure_asset_import_dialog_cancel    (TenureAssetImportDialog *self);
/* TRUE while a read or an import runs. */
gboolean                 tenure_asset_import_dialog_is_busy   (TenureAssetImportDialog *self);

G_END_DECLS
