/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "portfolio/tenure-portfolio.h"
#include "tenure-floor-plan.h"

G_BEGIN_DECLS

/* The stacking plan of a building: one row per floor (top floor at the top, basements at the
 * bottom), each unit a block whose width is proportional to its leasable area on a common
 * scale (the largest floor fills the row), coloured by the floor plan's modes
 * (tenure-unit-colours.h) and labelled with code and tenant where legible. A click selects
 * the unit, arrow keys move; the drawing is cached as one render node rebuilt only when the
 * data, width or mode change. The selection is described in the accessible description. */

#define TENURE_TYPE_STACKING_PLAN (tenure_stacking_plan_get_type ())
G_DECLARE_FINAL_TYPE (TenureStackingPlan, tenure_stacking_plan, TENURE, STACKING_PLAN,
                      GtkWidget)

/* Height of a floor row in pixels. */
#define TENURE_STACKING_PLAN_ROW_HEIGHT 36

GtkWidget      *tenure_stacking_plan_new              (void);

/* N_FLOORS floors, top floor first: FLOOR_NAMES[i] and FLOOR_UNITS[i] (a GListModel of
 * TenureUnitInfo, in the order the blocks go from left to right). N_FLOORS 0 clears. Resets
 * the selection and highlight. */
void            tenure_stacking_plan_set_floors       (TenureStackingPlan   *self,
                                                       guint                 n_floors,
                                                       const char *const    *floor_names,
                                                       GListModel *const    *floor_units);
void            tenure_stacking_plan_set_mode         (TenureStackingPlan   *self,
                                                       TenureFloorPlanMode   mode);
TenureFloorPlanMode tenure_stacking_plan_get_mode     (TenureStackingPlan   *self);
/* The legend of the active mode (TenureFloorPlanLegendEntry), only the classes present in the
 * building; owned by the plan, valid until the next "legend-changed". */
GPtrArray      *tenure_stacking_plan_get_legend       (TenureStackingPlan   *self);
const char     *tenure_stacking_plan_get_legend_title (TenureStackingPlan   *self);

/* The unit whose block contains the widget point (X, Y), or NULL (owned by the plan). */
TenureUnitInfo *tenure_stacking_plan_unit_at          (TenureStackingPlan   *self,
                                                       double                x,
                                                       double                y);
/* The block of unit UNIT_ID in widget coordinates; FALSE when it is not in the plan. */
gboolean        tenure_stacking_plan_get_unit_rect    (TenureStackingPlan   *self,
                                                       gint64                unit_id,
                                                       graphene_rect_t      *rect);
/* The width in pixels that a whole row (the largest floor's area) spans. */
double          tenure_stacking_plan_get_row_width    (TenureStackingPlan   *self);
/* A click at (X, Y): selects the unit there or clears the selection (the click gesture;
 * also the action "stacking-plan.select-at" (dd)). */
void            tenure_stacking_plan_click            (TenureStackingPlan   *self,
                                                       double                x,
                                                       double                y);
/* Selects unit UNIT_ID (0 clears); FALSE when it is not in the plan. Emits "unit-selected". */
gboolean        tenure_stacking_plan_select_unit      (TenureStackingPlan   *self,
                                                       gint64                unit_id);
TenureUnitInfo *tenure_stacking_plan_get_selected     (TenureStackingPlan   *self);
/* Left/right: the neighbouring block on the floor; up/down: the block on the floor above or
 * below that overlaps it most. FALSE when there is none that way. */
gboolean        tenure_stacking_plan_move_selection   (TenureStackingPlan   *self,
                                                       GtkDirectionType      direction);
const char     *tenure_stacking_plan_get_description  (TenureStackingPlan   *self);
/* Outlines the units whose current lease ends in the month of MONTH (any day of it);
 * an invalid date clears. Returns how many units are highlighted. */
guint           tenure_stacking_plan_highlight_month  (TenureStackingPlan   *self,
                                                       TenureDate            month);
gboolean        tenure_stacking_plan_is_highlighted   (TenureStackingPlan   *self,
                                                       gint64                unit_id);
/* How many times the render node was built (for tests of the cache). */
guint           tenure_stacking_plan_get_n_node_builds (TenureStackingPlan  *self);

G_END_DECLS
