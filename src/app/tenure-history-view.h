/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "portfolio/tenure-asset-ledger.h"

G_BEGIN_DECLS

#define TENURE_TYPE_HISTORY_VIEW (tenure_history_view_get_type ())
G_DECLARE_FINAL_TYPE (TenureHistoryView, tenure_history_view, TENURE, HISTORY_VIEW, AdwWindow)

/* The history of one project, building, floor or unit from the audit log
 * (tenure-asset-history.h), newest first: each change with when (local time), who, what was
 * done and every changed field as "label: old → new". Above a unit, a switch adds the changes
 * of everything under it. The list is a GtkListBox named "history-list"; each row's labels are
 * plain GtkLabels (screen readers read them in order). */

/* A window for the object of KIND with id ID on DB titled after TITLE (its code), over
 * PARENT (may be NULL); owned by GTK like any window: present it. NULL with ERROR when the
 * history cannot be read. */
TenureHistoryView *tenure_history_view_new          (GtkWindow         *parent,
                                                     TenureDb          *db,
                                                     TenureLedgerKind   kind,
                                                     gint64             id,
                                                     const char        *title,
                                                     GError           **error);

/* Rows shown. */
guint              tenure_history_view_get_n_entries (TenureHistoryView *self);
/* Includes (or not) the changes of the objects under this one, and reloads. */
gboolean           tenure_history_view_set_include_children (TenureHistoryView  *self,
                                                             gboolean            include,
                                                             GError            **error);

G_END_DECLS
