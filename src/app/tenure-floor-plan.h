/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "portfolio/tenure-portfolio.h"

G_BEGIN_DECLS

/* The floor-plan map: every unit of a floor as its polygon, coloured by the active mode, with
 * its code, tenant and area where they are legible. Ctrl+scroll, pinch and +/− zoom, drag
 * pans, 0 fits; a click selects the unit under it, arrow keys move to the neighbouring unit.
 * The drawing is cached as one render node rebuilt only when the data, size, zoom or mode
 * change. GTK 4.8 gives a drawn widget no accessible children: the map describes the selected
 * unit in its accessible description, and a unit list beside it offers every unit. */

#define TENURE_TYPE_FLOOR_PLAN (tenure_floor_plan_get_type ())
G_DECLARE_FINAL_TYPE (TenureFloorPlan, tenure_floor_plan, TENURE, FLOOR_PLAN, GtkWidget)

typedef enum
{
  TENURE_FLOOR_PLAN_MODE_STATUS,
  TENURE_FLOOR_PLAN_MODE_EXPIRY_YEAR,
  TENURE_FLOOR_PLAN_MODE_RENT_BAND,
  TENURE_FLOOR_PLAN_N_MODES
} TenureFloorPlanMode;

/* Zoom is relative to the whole floor fitting the widget (1.0). */
#define TENURE_FLOOR_PLAN_MIN_ZOOM 0.5
#define TENURE_FLOOR_PLAN_MAX_ZOOM 16.0

typedef struct
{
  GdkRGBA  colour;
  char    *label;
  guint    n_units;
} TenureFloorPlanLegendEntry;

GtkWidget      *tenure_floor_plan_new                 (void);

/* UNITS is a GListModel of TenureUnitInfo (NULL clears the map), drawn inside a plan of
 * PLAN_WIDTH × PLAN_HEIGHT plan units. Resets zoom and selection. */
void            tenure_floor_plan_set_units           (TenureFloorPlan     *self,
                                                       GListModel          *units,
                                                       double               plan_width,
                                                       double               plan_height);
void            tenure_floor_plan_set_mode            (TenureFloorPlan     *self,
                                                       TenureFloorPlanMode  mode);
TenureFloorPlanMode tenure_floor_plan_get_mode        (TenureFloorPlan     *self);
/* The translated name of MODE. */
const char     *tenure_floor_plan_mode_label          (TenureFloorPlanMode  mode);
/* The legend of the active mode (TenureFloorPlanLegendEntry), only the classes present on the
 * floor; owned by the map, valid until the next "legend-changed". */
GPtrArray      *tenure_floor_plan_get_legend          (TenureFloorPlan     *self);
/* The translated title of the legend ("Status", "Rent per m² per month (yuan)", …). */
const char     *tenure_floor_plan_get_legend_title    (TenureFloorPlan     *self);

double          tenure_floor_plan_get_zoom            (TenureFloorPlan     *self);
/* Sets the zoom, clamped to [MIN_ZOOM, MAX_ZOOM], keeping the plan point under the widget
 * point (ANCHOR_X, ANCHOR_Y) in place. */
void            tenure_floor_plan_set_zoom            (TenureFloorPlan     *self,
                                                       double               zoom,
                                                       double               anchor_x,
                                                       double               anchor_y);
void            tenure_floor_plan_zoom_to_fit         (TenureFloorPlan     *self);
/* Moves the view by (DX, DY) widget pixels, as a drag does. */
void            tenure_floor_plan_pan                 (TenureFloorPlan     *self,
                                                       double               dx,
                                                       double               dy);

/* The unit whose polygon contains the widget point (X, Y), or NULL (owned by the map). */
TenureUnitInfo *tenure_floor_plan_unit_at             (TenureFloorPlan     *self,
                                                       double               x,
                                                       double               y);
/* The widget point where the label of unit UNIT_ID sits (inside its polygon); FALSE when the
 * unit is not on the map. */
gboolean        tenure_floor_plan_get_unit_point      (TenureFloorPlan     *self,
                                                       gint64               unit_id,
                                                       double              *x,
                                                       double              *y);
/* The widget point showing the plan point (PX, PY) at the current zoom and pan. */
void            tenure_floor_plan_plan_to_widget      (TenureFloorPlan     *self,
                                                       double               px,
                                                       double               py,
                                                       double              *x,
                                                       double              *y);
/* A click at the widget point (X, Y): selects the unit there, or clears the selection. This
 * is what the click gesture runs (also the action "floor-plan.select-at" (dd)). */
void            tenure_floor_plan_click               (TenureFloorPlan     *self,
                                                       double               x,
                                                       double               y);

/* Selects unit UNIT_ID (0 clears); FALSE when it is not on the map. Emits "unit-selected". */
gboolean        tenure_floor_plan_select_unit         (TenureFloorPlan     *self,
                                                       gint64               unit_id);
/* The selected unit, or NULL. */
TenureUnitInfo *tenure_floor_plan_get_selected        (TenureFloorPlan     *self);
/* Selects the nearest unit in DIRECTION (GTK_DIR_LEFT/RIGHT/UP/DOWN) from the selected one
 * (the first unit when none is); FALSE when there is none that way. */
gboolean        tenure_floor_plan_move_selection      (TenureFloorPlan     *self,
                                                       GtkDirectionType     direction);
/* What the map tells assistive technology about the selection (its accessible
 * description). */
const char     *tenure_floor_plan_get_description     (TenureFloorPlan     *self);
/* How many times the render node was built (for tests of the cache). */
guint           tenure_floor_plan_get_n_node_builds   (TenureFloorPlan     *self);

/* ---- Hooks for the layout editor (tenure-floor-plan-editor.h) ---------------------------
 * Units without a stored polygon are drawn (dashed) where the automatic layout puts them
 * (tenure_geometry_auto_layout into the free part of the floor). */

/* The units on the map, in the model's order. */
guint           tenure_floor_plan_get_n_units         (TenureFloorPlan     *self);
TenureUnitInfo *tenure_floor_plan_get_unit            (TenureFloorPlan     *self,
                                                       guint                index);
/* The outline drawn for unit UNIT_ID (owned by the map; NULL and 0 points when it has none),
 * and whether it comes from the automatic layout. */
const double   *tenure_floor_plan_get_unit_points     (TenureFloorPlan     *self,
                                                       gint64               unit_id,
                                                       guint               *n_points,
                                                       gboolean            *auto_laid);
/* Draws unit UNIT_ID with the outline POINTS (copied; 0 points hides it); FALSE when the unit
 * is not on the map. The stored data are not touched. */
gboolean        tenure_floor_plan_set_unit_points     (TenureFloorPlan     *self,
                                                       gint64               unit_id,
                                                       const double        *points,
                                                       guint                n_points);
/* The plan point shown at the widget point (X, Y). */
void            tenure_floor_plan_widget_to_plan      (TenureFloorPlan     *self,
                                                       double               x,
                                                       double               y,
                                                       double              *px,
                                                       double              *py);
/* Widget pixels per plan unit at the current size and zoom. */
double          tenure_floor_plan_get_scale           (TenureFloorPlan     *self);
void            tenure_floor_plan_get_plan_size       (TenureFloorPlan     *self,
                                                       double              *width,
                                                       double              *height);

/* Draws over the map, after the units and the selection, in plan coordinates multiplied by
 * SCALE (the snapshot's origin is the plan's origin). */
typedef void (*TenureFloorPlanOverlayFunc) (TenureFloorPlan *self,
                                            GtkSnapshot     *snapshot,
                                            double           scale,
                                            gpointer         data);
void            tenure_floor_plan_set_overlay_func    (TenureFloorPlan            *self,
                                                       TenureFloorPlanOverlayFunc  func,
                                                       gpointer                    data,
                                                       GDestroyNotify              destroy);

G_END_DECLS
