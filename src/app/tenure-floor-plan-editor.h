/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "store/tenure-db.h"
#include "tenure-edit-history.h"
#include "tenure-floor-plan.h"

G_BEGIN_DECLS

/* Editing unit outlines on a floor-plan map. While active, the editor works on a copy of the
 * floor's outlines shown on the map (units without one are hidden until drawn):
 *   - with a unit without outline selected (from the unit list), a drag draws a rectangle for
 *     it; clicks place the corners of a polygon, a double-click or Enter closes it, Escape
 *     drops it;
 *   - a press on a unit selects it and a drag moves it; a press near a corner of the selected
 *     unit drags that corner; a double-click on its edge adds a corner there; Delete removes
 *     the last corner pressed (a polygon keeps at least three);
 *   - every point snaps to other units' corners, then edges, within SNAP_PIXELS at the current
 *     zoom, else to the grid;
 *   - a shape that crosses itself, leaves the floor or overlaps another unit is refused with a
 *     message ("message" signal, get_message) and the unit keeps its previous outline;
 *   - every edit can be undone (Ctrl+Z) and redone (Ctrl+Shift+Z, Ctrl+Y); save writes every
 *     changed outline in one transaction (tenure_geometry_save_shapes).
 * The gestures on the map call the pointer functions below, which tests may call too. */

#define TENURE_FLOOR_PLAN_EDITOR_SNAP_PIXELS 8.0
/* Overlap allowed between neighbours, in plan units (a drawing's line width). */
#define TENURE_FLOOR_PLAN_EDITOR_TOLERANCE   0.5

#define TENURE_TYPE_FLOOR_PLAN_EDITOR (tenure_floor_plan_editor_get_type ())
G_DECLARE_FINAL_TYPE (TenureFloorPlanEditor, tenure_floor_plan_editor,
                      TENURE, FLOOR_PLAN_EDITOR, GObject)

/* An editor for PLAN (which it adds its gestures to; it keeps a weak reference). */
TenureFloorPlanEditor *tenure_floor_plan_editor_new          (TenureFloorPlan       *plan);
/* The database and floor that save writes to (the map must show that floor's units). */
void        tenure_floor_plan_editor_set_floor              (TenureFloorPlanEditor *self,
                                                             TenureDb              *db,
                                                             gint64                 floor_id);
/* Enters edit mode (outlines copied from the map's units) or leaves it, dropping unsaved
 * edits without asking (see request_leave); emits "left" when leaving. */
void        tenure_floor_plan_editor_set_active             (TenureFloorPlanEditor *self,
                                                             gboolean               active);
gboolean    tenure_floor_plan_editor_get_active             (TenureFloorPlanEditor *self);
/* Leaves edit mode, first asking in a dialog over PARENT when there are unsaved changes
 * (Save, Discard or Keep Editing). Returns the dialog (owned by GTK) or NULL when it left at
 * once. */
GtkWidget  *tenure_floor_plan_editor_request_leave          (TenureFloorPlanEditor *self,
                                                             GtkWindow             *parent);

/* The snapping grid in plan units; 0 turns it off. Default 10. */
void        tenure_floor_plan_editor_set_grid               (TenureFloorPlanEditor *self,
                                                             double                 grid);
double      tenure_floor_plan_editor_get_grid               (TenureFloorPlanEditor *self);

TenureEditHistory *tenure_floor_plan_editor_get_history     (TenureFloorPlanEditor *self);
gboolean    tenure_floor_plan_editor_has_unsaved_changes    (TenureFloorPlanEditor *self);
/* The last refusal or hint shown to the user ("" when none). */
const char *tenure_floor_plan_editor_get_message            (TenureFloorPlanEditor *self);
/* The outline unit UNIT_ID has in the editor (NULL, 0 points when none). */
const double *tenure_floor_plan_editor_get_shape            (TenureFloorPlanEditor *self,
                                                             gint64                 unit_id,
                                                             guint                 *n_points);

/* What the gestures call, in widget coordinates. pointer_down returns TRUE when the editor
 * takes the press (otherwise the map pans and selects as usual). */
gboolean    tenure_floor_plan_editor_pointer_down           (TenureFloorPlanEditor *self,
                                                             double                 x,
                                                             double                 y);
void        tenure_floor_plan_editor_pointer_move           (TenureFloorPlanEditor *self,
                                                             double                 x,
                                                             double                 y);
void        tenure_floor_plan_editor_pointer_up             (TenureFloorPlanEditor *self,
                                                             double                 x,
                                                             double                 y);
void        tenure_floor_plan_editor_double_click           (TenureFloorPlanEditor *self,
                                                             double                 x,
                                                             double                 y);
/* Enter, Escape, Delete/BackSpace, Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y; TRUE when handled. */
gboolean    tenure_floor_plan_editor_key                    (TenureFloorPlanEditor *self,
                                                             guint                  keyval,
                                                             GdkModifierType        state);

gboolean    tenure_floor_plan_editor_undo                   (TenureFloorPlanEditor *self);
gboolean    tenure_floor_plan_editor_redo                   (TenureFloorPlanEditor *self);
/* Lays out every unit without an outline (tenure_geometry_auto_layout) as one undoable
 * edit; FALSE with ERROR (also shown as the message) when there is no room. */
gboolean    tenure_floor_plan_editor_auto_layout            (TenureFloorPlanEditor *self,
                                                             GError               **error);
/* Writes every changed outline in one transaction; FALSE with ERROR (also shown) and nothing
 * written when the database refuses. */
gboolean    tenure_floor_plan_editor_save                   (TenureFloorPlanEditor *self,
                                                             GError               **error);

/* A bar with Undo, Redo, Auto Layout, the grid, Save, Cancel and the message line, bound to
 * this editor; Cancel calls request_leave. */
GtkWidget  *tenure_floor_plan_editor_create_toolbar         (TenureFloorPlanEditor *self);

G_END_DECLS
