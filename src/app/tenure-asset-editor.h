/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "portfolio/tenure-asset-ledger.h"

G_BEGIN_DECLS

#define TENURE_TYPE_ASSET_EDITOR (tenure_asset_editor_get_type ())
G_DECLARE_FINAL_TYPE (TenureAssetEditor, tenure_asset_editor, TENURE, ASSET_EDITOR, AdwWindow)

/* The dialog that creates or edits one project, building, floor or unit of the asset ledger
 * (tenure-asset-ledger.h). One row per field, named by its field key (gtk_widget_get_name):
 * an AdwEntryRow for text, an AdwComboRow for a choice. Every change is validated; the
 * message, naming the field, shows under the rows and the offending row is marked, and Save
 * (named "save-button") stays disabled while the values are invalid. An existing object also
 * offers Retire ("retire-button"), after a confirmation. After a successful save or retire the
 * dialog emits "saved" (the object's id) and closes. */

/* A dialog for the object of KIND with id ID (0: a new one under PARENT_ID) on DB, modal over
 * PARENT (may be NULL), owned by GTK like any window (transfer none): present it. NULL with
 * ERROR when the object cannot be read. */
TenureAssetEditor *tenure_asset_editor_new       (GtkWindow         *parent,
                                                  TenureDb          *db,
                                                  TenureLedgerKind   kind,
                                                  gint64             id,
                                                  gint64             parent_id,
                                                  GError           **error);

/* Whether the current values pass validation (Save is enabled). */
gboolean           tenure_asset_editor_is_valid  (TenureAssetEditor *self);
/* The message shown for the current values ("" when valid). */
const char        *tenure_asset_editor_get_message (TenureAssetEditor *self);
/* Saves as the Save button does; FALSE with the message shown when refused. */
gboolean           tenure_asset_editor_save      (TenureAssetEditor *self);
/* Retires on DATE (after the confirmation the Retire button asks); FALSE with the message
 * shown when refused. */
gboolean           tenure_asset_editor_retire    (TenureAssetEditor *self,
                                                  TenureDate         date);

G_END_DECLS
