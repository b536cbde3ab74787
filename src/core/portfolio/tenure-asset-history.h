/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "portfolio/tenure-asset-ledger.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* The history of the asset ledger read from the audit log (tenure-audit.h): every insert,
 * update and delete of a project, building, floor or unit with who, when, and each changed
 * field's old and new value as text for people (areas in m², statuses and formats
 * translated). */

typedef struct
{
  char       *field;      /* the column, "leasable_area_c" */
  const char *label;      /* its translated label, "Leasable area (m²)" */
  char       *old_value;  /* for display; NULL when there was none (or on insert) */
  char       *new_value;  /* for display; NULL when cleared (or on delete) */
} TenureAssetFieldChange;

typedef struct
{
  gint64            audit_id;
  char             *at;          /* as the log stores it, UTC */
  char             *actor;
  char             *action;      /* "insert", "update" or "delete" */
  TenureLedgerKind  kind;
  gint64            row_id;
  char             *code;        /* the object's code after (or before a delete) the change */
  GPtrArray        *changes;     /* TenureAssetFieldChange, in column order; never empty */
} TenureAssetHistoryEntry;

void tenure_asset_history_entry_free (TenureAssetHistoryEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureAssetHistoryEntry, tenure_asset_history_entry_free)

/* The changes of the object of KIND with id ID, newest first, as a GPtrArray of
 * TenureAssetHistoryEntry (owning); with INCLUDE_CHILDREN also those of everything under it (a
 * building's floors and units, …). Writes that changed no shown field are left out. At most
 * LIMIT entries (0: all). TENURE_ERROR_NOT_FOUND when there is no such object. */
GPtrArray  *tenure_asset_history_list         (TenureDb          *db,
                                               TenureLedgerKind   kind,
                                               gint64             id,
                                               gboolean           include_children,
                                               guint              limit,
                                               GError           **error);

/* The translated name of an audit action ("update" → "Changed"). */
const char *tenure_asset_history_action_label (const char *action);

/* A stored value of COLUMN (as JSON scalar text: 12345 for an area in 0.01 m²) as people
 * read it ("123.45 m²"); NULL for NULL. Newly allocated. */
char       *tenure_asset_history_format_value (const char *column,
                                               const char *raw);

G_END_DECLS
