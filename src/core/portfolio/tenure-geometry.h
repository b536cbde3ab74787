/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Floor-plan geometry: unit outlines as polygons in plan units (x to the right, y down, inside
 * the floor's plan_width × plan_height), their validation, snapping while editing, and the
 * automatic layout of units without an outline. Everything but the last section is pure. */

/* A unit's outline: N_POINTS (x, y) pairs in POINTS. */
typedef struct
{
  gint64  unit_id;
  char   *code;       /* for messages; may be NULL */
  double *points;
  guint   n_points;
} TenureUnitShape;

TenureUnitShape *tenure_unit_shape_new  (gint64        unit_id,
                                         const char   *code,
                                         const double *points,
                                         guint         n_points);
TenureUnitShape *tenure_unit_shape_copy (const TenureUnitShape *shape);
void             tenure_unit_shape_free (TenureUnitShape *shape);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureUnitShape, tenure_unit_shape_free)

/* The polygon's area (absolute value of the shoelace sum). */
double    tenure_geometry_area          (const double *points,
                                         guint         n_points);
/* TRUE when the point lies inside the polygon (even-odd rule). */
gboolean  tenure_geometry_contains      (const double *points,
                                         guint         n_points,
                                         double        x,
                                         double        y);
/* TRUE when segments AB and CD share at least one point (touching counts). */
gboolean  tenure_geometry_segments_touch (const double *a,
                                          const double *b,
                                          const double *c,
                                          const double *d);
/* TRUE when the polygon is simple: at least 3 points, no repeated consecutive point, no two
 * edges touching except neighbours at their shared corner, a non-zero area. */
gboolean  tenure_geometry_is_simple     (const double *points,
                                         guint         n_points);
/* TRUE when every point lies within [0, WIDTH] × [0, HEIGHT] (the floor is a rectangle, so the
 * whole polygon then does). */
gboolean  tenure_geometry_inside_floor  (const double *points,
                                         guint         n_points,
                                         double        width,
                                         double        height);
/* The area common to two simple polygons, exact up to rounding (slab integration: between
 * consecutive vertex and crossing abscissas the common height is linear in x). */
double    tenure_geometry_overlap_area  (const double *a,
                                         guint         n_a,
                                         const double *b,
                                         guint         n_b);

/* Checks SHAPE for the floor of WIDTH × HEIGHT against OTHERS (TenureUnitShape; entries with
 * SHAPE's unit id are skipped): simple, inside the floor, and overlapping no other unit by
 * more than a sliver: the common area may not exceed TOLERANCE (plan units) times the longer
 * side of its bounding box, i.e. a strip on average TOLERANCE wide along a shared wall. FALSE
 * with TENURE_ERROR_INVALID and a translated message naming the unit and the problem. */
gboolean  tenure_geometry_validate      (const TenureUnitShape *shape,
                                         double                 width,
                                         double                 height,
                                         GPtrArray             *others,
                                         double                 tolerance,
                                         GError               **error);

typedef enum
{
  TENURE_SNAP_NONE,
  TENURE_SNAP_GRID,
  TENURE_SNAP_EDGE,
  TENURE_SNAP_VERTEX,
} TenureSnapKind;

/* Where the point (X, Y) snaps: to the nearest vertex of TARGETS (TenureUnitShape, those of
 * unit EXCLUDE_ID skipped) within RADIUS, else the nearest point on one of their edges within
 * RADIUS, else the nearest grid point (GRID > 0; each axis on its own), else nowhere. The
 * result is clamped into the floor [0, WIDTH] × [0, HEIGHT]. */
TenureSnapKind tenure_geometry_snap     (double     x,
                                         double     y,
                                         GPtrArray *targets,
                                         gint64     exclude_id,
                                         double     radius,
                                         double     grid,
                                         double     width,
                                         double     height,
                                         double    *out_x,
                                         double    *out_y);

/* The polygon as JSON, "[[x,y],…]", each coordinate rounded to 0.01 and written without a
 * locale ("12.5", never "12,5"). */
char     *tenure_geometry_to_json       (const double *points,
                                         guint         n_points);

/* The automatic layout: N_AREAS rectangles (4 points each, 8 doubles per rectangle into OUT)
 * whose areas are proportional to AREAS (all > 0), packed as a squarified treemap into the
 * largest free axis-aligned rectangle of the floor WIDTH × HEIGHT that overlaps none of
 * PLACED (TenureUnitShape; the whole floor when PLACED is empty or NULL). Deterministic: the
 * same input gives the same output. FALSE with TENURE_ERROR_INVALID when an area is not
 * positive or no free space is left. */
gboolean  tenure_geometry_auto_layout   (double         width,
                                         double         height,
                                         GPtrArray     *placed,
                                         const gint64  *areas,
                                         guint          n_areas,
                                         double        *out,
                                         GError       **error);

/* ---- Storage ------------------------------------------------------------------------- */

/* Writes the outlines SHAPES (TenureUnitShape; n_points 0 clears an outline) of units of
 * floor FLOOR_ID in one transaction: every shape is validated against the floor and against
 * the other units' outlines as they will be after the write (TOLERANCE as in validate); one
 * bad shape or a unit not on the floor writes nothing. The audit triggers record each
 * change. */
gboolean  tenure_geometry_save_shapes   (TenureDb   *db,
                                         gint64      floor_id,
                                         GPtrArray  *shapes,
                                         double      tolerance,
                                         GError    **error);

G_END_DECLS
