/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* An undo/redo stack of edits. Each entry is an edit already done, kept as opaque DATA that
 * the history's APPLY function can undo (REDO FALSE) or do again (REDO TRUE). A new edit drops
 * whatever could have been redone. The history remembers which position was last saved, so
 * "unsaved changes" survives undoing back to it. Emits "changed" after every change of state. */

#define TENURE_TYPE_EDIT_HISTORY (tenure_edit_history_get_type ())
G_DECLARE_FINAL_TYPE (TenureEditHistory, tenure_edit_history, TENURE, EDIT_HISTORY, GObject)

typedef void (*TenureEditApplyFunc) (gpointer data,
                                     gboolean redo,
                                     gpointer user_data);

TenureEditHistory *tenure_edit_history_new        (TenureEditApplyFunc  apply,
                                                   gpointer             user_data);
/* Records an edit just done, described by LABEL (translated, for menus and tooltips); the
 * history owns DATA and frees it with FREE_DATA. */
void        tenure_edit_history_push              (TenureEditHistory   *self,
                                                   const char          *label,
                                                   gpointer             data,
                                                   GDestroyNotify       free_data);
/* Undoes the last edit / redoes the last undone one; FALSE when there is none. */
gboolean    tenure_edit_history_undo              (TenureEditHistory   *self);
gboolean    tenure_edit_history_redo              (TenureEditHistory   *self);
gboolean    tenure_edit_history_can_undo          (TenureEditHistory   *self);
gboolean    tenure_edit_history_can_redo          (TenureEditHistory   *self);
/* The label of what undo / redo would do, or NULL. */
const char *tenure_edit_history_get_undo_label    (TenureEditHistory   *self);
const char *tenure_edit_history_get_redo_label    (TenureEditHistory   *self);
/* How many edits are done (undo depth). */
guint       tenure_edit_history_get_position      (TenureEditHistory   *self);
/* Marks the current position as saved. */
void        tenure_edit_history_mark_saved        (TenureEditHistory   *self);
/* TRUE when the current position differs from the saved one. */
gboolean    tenure_edit_history_is_dirty          (TenureEditHistory   *self);
/* Forgets every edit (the current state becomes the saved one). */
void        tenure_edit_history_clear             (TenureEditHistory   *self);

G_END_DECLS
