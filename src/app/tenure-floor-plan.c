/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-floor-plan"

#include "tenure-floor-plan.h"
#include "tenure-unit-colours.h"

#include "portfolio/tenure-geometry.h"

#include <glib/gi18n.h>
#include <math.h>

#define MARGIN        12.0
#define LABEL_PAD     2.0
/* A label shows only where at least its first line fits at this size. */
#define MIN_LABEL_W   28.0
#define UNIT_LINE_RGBA 0.25, 0.25, 0.25, 1.0
#define UNIT_LINE     ((GdkRGBA) { UNIT_LINE_RGBA })
#define FLOOR_LINE    ((GdkRGBA) { 0.5, 0.5, 0.5, 0.6 })

typedef struct
{
  TenureUnitInfo  *info;
  /* The outline drawn: the stored polygon, an automatic layout's rectangle (auto_laid), or
   * what the layout editor set; n_points 0 hides the unit. */
  double          *points;
  guint            n_points;
  gboolean         auto_laid;
  graphene_rect_t  bounds;      /* plan units */
  double           label_x;     /* a point inside the polygon, plan units */
  double           label_y;
  guint            colour;      /* index into the mode's palette */
  gboolean         is_rect;     /* an axis-aligned rectangle: drawn with colour and border nodes */
  PangoLayout     *layout;      /* cached label, re-texted only when its line count changes */
  int              layout_lines;
  int              layout_width;
} Unit;

struct _TenureFloorPlan
{
  GtkWidget            parent_instance;

  GArray              *units;          /* Unit */
  double               plan_width;
  double               plan_height;
  TenureFloorPlanMode  mode;
  GPtrArray           *legend;
  GArray              *palette;        /* GdkRGBA of the active mode's classes */

  double               zoom;
  double               centre_x;       /* the plan point at the widget's centre */
  double               centre_y;
  double               drag_centre_x;
  double               drag_centre_y;
  gboolean             dragged;

  int                  selected;       /* index into units, -1 */
  int                  hover;
  char                *description;

  GskRenderNode       *node;           /* the cached drawing at node_scale, origin at 0,0 */
  double               node_scale;
  graphene_rect_t      node_area;      /* what it covers, in scaled plan coordinates */
  guint                n_node_builds;

  TenureFloorPlanOverlayFunc overlay_func;
  gpointer             overlay_data;
  GDestroyNotify       overlay_destroy;
};

G_DEFINE_FINAL_TYPE (TenureFloorPlan, tenure_floor_plan, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODE,
  PROP_ZOOM,
  N_PROPS
};

enum {
  UNIT_SELECTED,
  LEGEND_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
unit_clear (gpointer data)
{
  Unit *unit = data;

  g_clear_object (&unit->info);
  g_clear_object (&unit->layout);
  g_clear_pointer (&unit->points, g_free);
}

/* ---- Geometry ------------------------------------------------------------------------- */

/* Even-odd ray casting: TRUE when (X, Y) is inside the polygon (boundary points may fall
 * either way, which is fine for a pointer). */
static gboolean
polygon_contains (const double *points,
                  guint         n_points,
                  double        x,
                  double        y)
{
  gboolean inside = FALSE;

  for (guint i = 0, j = n_points - 1; i < n_points; j = i++)
    {
      double xi = points[2 * i], yi = points[2 * i + 1];
      double xj = points[2 * j], yj = points[2 * j + 1];

      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
        inside = !inside;
    }
  return inside;
}

/* A point inside the polygon for the label: the bounding box's centre when inside (most
 * units), else the centre of the widest horizontal run through the polygon. */
static void
find_label_point (Unit *unit)
{
  const double *p = unit->points;
  guint n = unit->n_points;
  double best = -1;

  unit->label_x = unit->bounds.origin.x + unit->bounds.size.width / 2;
  unit->label_y = unit->bounds.origin.y + unit->bounds.size.height / 2;
  if (polygon_contains (p, n, unit->label_x, unit->label_y))
    return;

  for (int k = 1; k < 8; k++)
    {
      double y = unit->bounds.origin.y + unit->bounds.size.height * k / 8.0;
      double xs[64];
      guint n_xs = 0;

      for (guint i = 0, j = n - 1; i < n && n_xs < G_N_ELEMENTS (xs); j = i++)
        {
          double yi = p[2 * i + 1], yj = p[2 * j + 1];

          if ((yi > y) != (yj > y))
            xs[n_xs++] = (p[2 * j] - p[2 * i]) * (y - yi) / (yj - yi) + p[2 * i];
        }
      /* Sort the crossings; pairs of them bound the runs inside. */
      for (guint a = 1; a < n_xs; a++)
        for (guint b = a; b > 0 && xs[b - 1] > xs[b]; b--)
          {
            double t = xs[b];
            xs[b] = xs[b - 1];
            xs[b - 1] = t;
          }
      for (guint a = 0; a + 1 < n_xs; a += 2)
        if (xs[a + 1] - xs[a] > best)
          {
            best = xs[a + 1] - xs[a];
            unit->label_x = (xs[a] + xs[a + 1]) / 2;
            unit->label_y = y;
          }
    }
}

static double
fit_scale (TenureFloorPlan *self)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self)) - 2 * MARGIN;
  double h = gtk_widget_get_height (GTK_WIDGET (self)) - 2 * MARGIN;

  if (self->plan_width <= 0 || self->plan_height <= 0 || w <= 0 || h <= 0)
    return 1.0;
  return MIN (w / self->plan_width, h / self->plan_height);
}

static double
view_scale (TenureFloorPlan *self)
{
  return fit_scale (self) * self->zoom;
}

static void
view_origin (TenureFloorPlan *self,
             double          *ox,
             double          *oy)
{
  double scale = view_scale (self);

  *ox = round (gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 - self->centre_x * scale);
  *oy = round (gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 - self->centre_y * scale);
}

static int
unit_index_at (TenureFloorPlan *self,
               double           x,
               double           y)
{
  double ox, oy, scale = view_scale (self);
  double px, py;

  view_origin (self, &ox, &oy);
  px = (x - ox) / scale;
  py = (y - oy) / scale;
  for (guint i = 0; i < self->units->len; i++)
    {
      Unit *unit = &g_array_index (self->units, Unit, i);

      if (unit->n_points >= 3
          && graphene_rect_contains_point (&unit->bounds, &GRAPHENE_POINT_INIT (px, py))
          && polygon_contains (unit->points, unit->n_points, px, py))
        return (int) i;
    }
  return -1;
}

/* ---- Colours and legend --------------------------------------------------------------- */

/* Assigns each unit its colour class and rebuilds the palette and legend for the mode (the
 * classes are shared with the stacking plan, tenure-unit-colours.c). */
static void
classify (TenureFloorPlan *self)
{
  guint n = self->units->len;
  g_autofree TenureUnitInfo **infos = g_new (TenureUnitInfo *, MAX (n, 1));
  g_autofree guint *classes = g_new (guint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    infos[i] = g_array_index (self->units, Unit, i).info;
  tenure_unit_colours_classify (self->mode, infos, n, classes, self->palette, self->legend);
  for (guint i = 0; i < n; i++)
    g_array_index (self->units, Unit, i).colour = classes[i];

  g_signal_emit (self, signals[LEGEND_CHANGED], 0);
}

static void
invalidate_node (TenureFloorPlan *self)
{
  g_clear_pointer (&self->node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- Drawing -------------------------------------------------------------------------- */

/* Vertices land on whole pixels (OFFSET 0.5 for 1-pixel outlines): units drawn from the
 * usual axis-aligned plans then stay rectilinear, which Cairo fills and strokes as boxes,
 * many times faster than general polygons. */
static void
path_polygon (cairo_t      *cr,
              const double *points,
              guint         n_points,
              double        scale,
              double        offset)
{
  cairo_move_to (cr, round (points[0] * scale) + offset, round (points[1] * scale) + offset);
  for (guint k = 1; k < n_points; k++)
    cairo_line_to (cr, round (points[2 * k] * scale) + offset,
                   round (points[2 * k + 1] * scale) + offset);
  cairo_close_path (cr);
}

/* The label of UNIT for a box of WIDTH pixels with room for LINES lines, re-texted only when
 * the line count changes and re-wrapped only when the width does. */
static PangoLayout *
unit_layout (TenureFloorPlan *self,
             Unit            *unit,
             int              lines,
             int              width)
{
  if (unit->layout == NULL)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      unit->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
      pango_attr_list_insert (attrs, pango_attr_scale_new (0.8));
      pango_layout_set_attributes (unit->layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_set_alignment (unit->layout, PANGO_ALIGN_CENTER);
      pango_layout_set_ellipsize (unit->layout, PANGO_ELLIPSIZE_END);
      /* Each line is its own paragraph of one line at most. */
      pango_layout_set_height (unit->layout, -1);
    }
  if (unit->layout_lines != lines)
    {
      TenureUnitInfo *info = unit->info;
      g_autofree char *area = tenure_portfolio_format_area_c (info->leasable_area_c);
      g_autofree char *area_text = g_strdup_printf (_("%s m²"), area);
      g_autoptr(GString) text = g_string_new (info->name);

      if (lines >= 2)
        g_string_append_printf (text, "\n%s",
                                info->tenant_short_name ? info->tenant_short_name
                                                        : tenure_unit_status_label (info->status));
      if (lines >= 3)
        g_string_append_printf (text, "\n%s", area_text);
      pango_layout_set_text (unit->layout, text->str, -1);
      unit->layout_lines = lines;
    }
  if (unit->layout_width != width)
    {
      pango_layout_set_width (unit->layout, width * PANGO_SCALE);
      unit->layout_width = width;
    }
  return unit->layout;
}

/* TRUE when UNIT, drawn at SCALE, reaches into AREA. */
static gboolean
unit_in_area (const Unit            *unit,
              double                 scale,
              const graphene_rect_t *area)
{
  graphene_rect_t scaled;

  graphene_rect_scale (&unit->bounds, scale, scale, &scaled);
  return unit->n_points >= 3 && graphene_rect_intersection (&scaled, area, NULL);
}

/* The drawing of the units that reach into AREA (scaled plan coordinates): at high zoom only
 * the neighbourhood of the view is drawn, not thousands of units far off screen. */
static GskRenderNode *
build_node (TenureFloorPlan       *self,
            double                 scale,
            const graphene_rect_t *area)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (-2, -2, self->plan_width * scale + 4,
                                               self->plan_height * scale + 4);
  GdkRGBA text_colour = { 0.12, 0.12, 0.12, 1.0 };
  int line_height;

  self->n_node_builds++;
  if (!graphene_rect_intersection (&bounds, area, &bounds))
    return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));

  /* The floor, then every unit. Rectangles (most units) become colour and border nodes, which
   * the renderers draw directly; other polygons get a small Cairo node each, since a Cairo
   * node as large as the floor is rasterised whole before it is clipped. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.5, 0.5, 0.5, 0.08 }, &bounds);
  {
    GskRoundedRect outline;
    graphene_rect_t floor_rect = GRAPHENE_RECT_INIT (0, 0, round (self->plan_width * scale),
                                                     round (self->plan_height * scale));

    gsk_rounded_rect_init_from_rect (&outline, &floor_rect, 0);
    gtk_snapshot_append_border (snapshot, &outline, (float[4]) { 1, 1, 1, 1 },
                                (GdkRGBA[4]) { FLOOR_LINE, FLOOR_LINE, FLOOR_LINE, FLOOR_LINE });
  }
  for (guint i = 0; i < self->units->len; i++)
    {
      Unit *unit = &g_array_index (self->units, Unit, i);
      const GdkRGBA *fill = &g_array_index (self->palette, GdkRGBA, unit->colour);
      graphene_rect_t rect;

      if (!unit_in_area (unit, scale, area))
        continue;
      if (unit->is_rect)
        {
          graphene_rect_t inner;
          double x0 = round (unit->bounds.origin.x * scale);
          double y0 = round (unit->bounds.origin.y * scale);
          double x1 = round ((unit->bounds.origin.x + unit->bounds.size.width) * scale);
          double y1 = round ((unit->bounds.origin.y + unit->bounds.size.height) * scale);

          /* The outline colour under the fill inset by a pixel: two pixel-aligned colour
           * nodes, the cheapest thing any renderer draws. */
          rect = GRAPHENE_RECT_INIT (x0, y0, MAX (x1 - x0, 1), MAX (y1 - y0, 1));
          gtk_snapshot_append_color (snapshot, &UNIT_LINE, &rect);
          if (rect.size.width > 2 && rect.size.height > 2)
            {
              graphene_rect_inset_r (&rect, 1, 1, &inner);
              gtk_snapshot_append_color (snapshot, fill, &inner);
            }
        }
      else
        {
          cairo_t *cr;

          graphene_rect_scale (&unit->bounds, scale, scale, &rect);
          graphene_rect_inset (&rect, -2, -2);
          graphene_rect_round_extents (&rect, &rect);
          cr = gtk_snapshot_append_cairo (snapshot, &rect);
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
          path_polygon (cr, unit->points, unit->n_points, scale, 0);
          gdk_cairo_set_source_rgba (cr, fill);
          cairo_fill (cr);
          path_polygon (cr, unit->points, unit->n_points, scale, 0.5);
          gdk_cairo_set_source_rgba (cr, &(GdkRGBA) { UNIT_LINE_RGBA });
          cairo_set_line_width (cr, 1.0);
          /* An automatic layout is a placeholder, not a surveyed outline: dashed. */
          if (unit->auto_laid)
            cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
          cairo_stroke (cr);
          cairo_destroy (cr);
        }
    }

  /* Labels with Pango where the unit is big enough to read them. */
  {
    g_autoptr(PangoLayout) probe = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Ag");
    PangoAttrList *attrs = pango_attr_list_new ();
    pango_attr_list_insert (attrs, pango_attr_scale_new (0.8));
    pango_layout_set_attributes (probe, attrs);
    pango_attr_list_unref (attrs);
    pango_layout_get_pixel_size (probe, NULL, &line_height);
    line_height = MAX (line_height, 1);
  }
  for (guint i = 0; i < self->units->len; i++)
    {
      Unit *unit = &g_array_index (self->units, Unit, i);
      double w = unit->bounds.size.width * scale - 2 * LABEL_PAD;
      double h = unit->bounds.size.height * scale - 2 * LABEL_PAD;
      int lines = (int) MIN (3.0, floor (h / line_height));
      PangoLayout *layout;
      int lw, lh;

      if (w < MIN_LABEL_W || lines < 1 || !unit_in_area (unit, scale, area))
        continue;
      layout = unit_layout (self, unit, lines, (int) w);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (round (unit->label_x * scale - w / 2),
                                                    round (unit->label_y * scale - lh / 2.0)));
      gtk_snapshot_append_layout (snapshot, layout, &text_colour);
      gtk_snapshot_restore (snapshot);
    }

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
append_outline (GtkSnapshot     *snapshot,
                TenureFloorPlan *self,
                int              index,
                const GdkRGBA   *colour,
                double           width)
{
  Unit *unit = &g_array_index (self->units, Unit, index);
  double scale = view_scale (self);
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (unit->bounds.origin.x * scale - width,
                                               unit->bounds.origin.y * scale - width,
                                               unit->bounds.size.width * scale + 2 * width,
                                               unit->bounds.size.height * scale + 2 * width);
  cairo_t *cr;

  /* A unit without an outline (being drawn in the editor) has nothing to outline. */
  if (unit->n_points < 3)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);

  path_polygon (cr, unit->points, unit->n_points, scale, 0);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_set_line_width (cr, width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
tenure_floor_plan_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  TenureFloorPlan *self = TENURE_FLOOR_PLAN (widget);
  double scale = view_scale (self);
  double ox, oy;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t visible;

  if ((self->units->len == 0 && self->overlay_func == NULL) || width <= 0 || height <= 0)
    return;

  /* Panning only moves the cached node, until the view leaves the area it covers (one view
   * around the visible one); a new scale (size or zoom) rebuilds it. */
  view_origin (self, &ox, &oy);
  visible = GRAPHENE_RECT_INIT (-ox, -oy, width, height);
  if (self->node == NULL || self->node_scale != scale
      || !graphene_rect_contains_rect (&self->node_area, &visible))
    {
      g_clear_pointer (&self->node, gsk_render_node_unref);
      graphene_rect_inset_r (&visible, -width, -height, &self->node_area);
      self->node = build_node (self, scale, &self->node_area);
      self->node_scale = scale;
    }

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (ox, oy));
  gtk_snapshot_append_node (snapshot, self->node);
  if (self->hover >= 0 && self->hover != self->selected)
    {
      GdkRGBA hover = { 0.2, 0.2, 0.2, 0.8 };
      append_outline (snapshot, self, self->hover, &hover, 2.0);
    }
  if (self->selected >= 0)
    {
      GdkRGBA accent = { 0.11, 0.44, 0.85, 1.0 };
      append_outline (snapshot, self, self->selected, &accent, 3.0);
    }
  if (self->overlay_func != NULL)
    self->overlay_func (self, snapshot, scale, self->overlay_data);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);
}

static void
tenure_floor_plan_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  TenureFloorPlan *self = TENURE_FLOOR_PLAN (widget);

  /* The scale follows the size; snapshot sees the change and rebuilds. */
  if (self->node != NULL && self->node_scale != view_scale (self))
    gtk_widget_queue_draw (widget);
}

static void
tenure_floor_plan_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 150;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 400;
}

/* ---- Selection ------------------------------------------------------------------------ */

static void
set_selected_index (TenureFloorPlan *self,
                    int              index)
{
  if (index == self->selected)
    return;
  self->selected = index;

  g_clear_pointer (&self->description, g_free);
  if (index >= 0)
    {
      TenureUnitInfo *info = g_array_index (self->units, Unit, index).info;
      g_autofree char *area = tenure_portfolio_format_area_c (info->leasable_area_c);

      if (info->tenant_short_name != NULL)
        /* TRANSLATORS: selected unit: code, status, tenant, area */
        self->description = g_strdup_printf (_("Selected unit %s: %s, %s, %s m²"), info->code,
                                             tenure_unit_status_label (info->status),
                                             info->tenant_short_name, area);
      else
        /* TRANSLATORS: selected unit: code, status, area */
        self->description = g_strdup_printf (_("Selected unit %s: %s, %s m²"), info->code,
                                             tenure_unit_status_label (info->status), area);
    }
  else
    self->description = g_strdup (_("No unit selected"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[UNIT_SELECTED], 0,
                 index >= 0 ? g_array_index (self->units, Unit, index).info : NULL);
}

gboolean
tenure_floor_plan_select_unit (TenureFloorPlan *self,
                               gint64           unit_id)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), FALSE);

  if (unit_id == 0)
    {
      set_selected_index (self, -1);
      return TRUE;
    }
  for (guint i = 0; i < self->units->len; i++)
    if (g_array_index (self->units, Unit, i).info->id == unit_id)
      {
        set_selected_index (self, (int) i);
        return TRUE;
      }
  return FALSE;
}

TenureUnitInfo *
tenure_floor_plan_get_selected (TenureFloorPlan *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), NULL);
  if (self->selected < 0)
    return NULL;
  return g_array_index (self->units, Unit, self->selected).info;
}

gboolean
tenure_floor_plan_move_selection (TenureFloorPlan  *self,
                                  GtkDirectionType  direction)
{
  const Unit *from;
  double fx, fy, best_score = G_MAXDOUBLE;
  int best = -1;

  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), FALSE);

  if (self->units->len == 0)
    return FALSE;
  if (self->selected < 0)
    {
      set_selected_index (self, 0);
      return TRUE;
    }

  /* The nearest unit whose centre lies that way, sideways offsets weighing double. */
  from = &g_array_index (self->units, Unit, self->selected);
  fx = from->bounds.origin.x + from->bounds.size.width / 2;
  fy = from->bounds.origin.y + from->bounds.size.height / 2;
  for (guint i = 0; i < self->units->len; i++)
    {
      const Unit *to = &g_array_index (self->units, Unit, i);
      double dx = to->bounds.origin.x + to->bounds.size.width / 2 - fx;
      double dy = to->bounds.origin.y + to->bounds.size.height / 2 - fy;
      double along, across, score;

      if ((int) i == self->selected)
        continue;
      switch (direction)
        {
        case GTK_DIR_LEFT:  along = -dx; across = dy; break;
        case GTK_DIR_RIGHT: along = dx;  across = dy; break;
        case GTK_DIR_UP:    along = -dy; across = dx; break;
        case GTK_DIR_DOWN:  along = dy;  across = dx; break;
        case GTK_DIR_TAB_FORWARD:
        case GTK_DIR_TAB_BACKWARD:
        default:
          return FALSE;
        }
      if (along <= 0.5)
        continue;
      score = along + 2 * fabs (across);
      if (score < best_score)
        {
          best_score = score;
          best = (int) i;
        }
    }
  if (best < 0)
    return FALSE;
  set_selected_index (self, best);
  return TRUE;
}

const char *
tenure_floor_plan_get_description (TenureFloorPlan *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), NULL);
  return self->description;
}

TenureUnitInfo *
tenure_floor_plan_unit_at (TenureFloorPlan *self,
                           double           x,
                           double           y)
{
  int index;

  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), NULL);
  index = unit_index_at (self, x, y);
  return index >= 0 ? g_array_index (self->units, Unit, index).info : NULL;
}

gboolean
tenure_floor_plan_get_unit_point (TenureFloorPlan *self,
                                  gint64           unit_id,
                                  double          *x,
                                  double          *y)
{
  double ox, oy, scale;

  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), FALSE);

  scale = view_scale (self);
  view_origin (self, &ox, &oy);
  for (guint i = 0; i < self->units->len; i++)
    {
      const Unit *unit = &g_array_index (self->units, Unit, i);
      if (unit->info->id == unit_id)
        {
          *x = ox + unit->label_x * scale;
          *y = oy + unit->label_y * scale;
          return TRUE;
        }
    }
  return FALSE;
}

void
tenure_floor_plan_plan_to_widget (TenureFloorPlan *self,
                                  double           px,
                                  double           py,
                                  double          *x,
                                  double          *y)
{
  double ox, oy, scale;

  g_return_if_fail (TENURE_IS_FLOOR_PLAN (self));

  scale = view_scale (self);
  view_origin (self, &ox, &oy);
  *x = ox + px * scale;
  *y = oy + py * scale;
}

void
tenure_floor_plan_click (TenureFloorPlan *self,
                         double           x,
                         double           y)
{
  g_return_if_fail (TENURE_IS_FLOOR_PLAN (self));
  set_selected_index (self, unit_index_at (self, x, y));
}

/* ---- Zoom and pan --------------------------------------------------------------------- */

static void
clamp_centre (TenureFloorPlan *self)
{
  self->centre_x = CLAMP (self->centre_x, 0, self->plan_width);
  self->centre_y = CLAMP (self->centre_y, 0, self->plan_height);
}

double
tenure_floor_plan_get_zoom (TenureFloorPlan *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), 1.0);
  return self->zoom;
}

void
tenure_floor_plan_set_zoom (TenureFloorPlan *self,
                            double           zoom,
                            double           anchor_x,
                            double           anchor_y)
{
  double old_scale, new_scale, ox, oy, px, py;

  g_return_if_fail (TENURE_IS_FLOOR_PLAN (self));

  if (!isfinite (zoom))
    return;
  zoom = CLAMP (zoom, TENURE_FLOOR_PLAN_MIN_ZOOM, TENURE_FLOOR_PLAN_MAX_ZOOM);
  if (zoom == self->zoom)
    return;

  /* Keep the plan point under the anchor where it is. */
  old_scale = view_scale (self);
  view_origin (self, &ox, &oy);
  px = (anchor_x - ox) / old_scale;
  py = (anchor_y - oy) / old_scale;
  self->zoom = zoom;
  new_scale = view_scale (self);
  self->centre_x = px + (gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 - anchor_x) / new_scale;
  self->centre_y = py + (gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 - anchor_y) / new_scale;
  clamp_centre (self);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
tenure_floor_plan_zoom_to_fit (TenureFloorPlan *self)
{
  g_return_if_fail (TENURE_IS_FLOOR_PLAN (self));

  self->centre_x = self->plan_width / 2;
  self->centre_y = self->plan_height / 2;
  if (self->zoom != 1.0)
    {
      self->zoom = 1.0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tenure_floor_plan_pan (TenureFloorPlan *self,
                       double           dx,
                       double           dy)
{
  double scale;

  g_return_if_fail (TENURE_IS_FLOOR_PLAN (self));

  scale = view_scale (self);
  self->centre_x -= dx / scale;
  self->centre_y -= dy / scale;
  clamp_centre (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
scrolled_cb (GtkEventControllerScroll *controller,
             double                    dx,
             double                    dy,
             TenureFloorPlan          *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));

  if (event != NULL)
    {
      double ex, ey;
      GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
      double nx, ny;

      gdk_event_get_position (event, &ex, &ey);
      gtk_native_get_surface_transform (native, &nx, &ny);
      gtk_widget_translate_coordinates (GTK_WIDGET (native), GTK_WIDGET (self),
                                        ex - nx, ey - ny, &x, &y);
    }
  if ((state & GDK_CONTROL_MASK) != 0)
    {
      tenure_floor_plan_set_zoom (self, self->zoom * pow (1.15, -dy), x, y);
      return TRUE;
    }
  /* Without Ctrl the wheel pans, as in map viewers. */
  tenure_floor_plan_pan (self, -dx * 30, -dy * 30);
  return TRUE;
}

static void
zoom_scale_changed_cb (GtkGestureZoom  *gesture,
                       double           scale,
                       TenureFloorPlan *self)
{
  double x, y;
  double start = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (gesture), "start-zoom")) / 1000.0;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;
  tenure_floor_plan_set_zoom (self, start * scale, x, y);
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               TenureFloorPlan  *self)
{
  g_object_set_data (G_OBJECT (gesture), "start-zoom",
                     GUINT_TO_POINTER ((guint) (self->zoom * 1000)));
}

static void
drag_begin_cb (GtkGestureDrag  *gesture,
               double           x,
               double           y,
               TenureFloorPlan *self)
{
  self->drag_centre_x = self->centre_x;
  self->drag_centre_y = self->centre_y;
  self->dragged = FALSE;
}

static void
drag_update_cb (GtkGestureDrag  *gesture,
                double           dx,
                double           dy,
                TenureFloorPlan *self)
{
  double scale = view_scale (self);

  if (!self->dragged && hypot (dx, dy) < 4)
    return;
  self->dragged = TRUE;
  self->centre_x = self->drag_centre_x - dx / scale;
  self->centre_y = self->drag_centre_y - dy / scale;
  clamp_centre (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   TenureFloorPlan *self)
{
  if (self->dragged)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  tenure_floor_plan_click (self, x, y);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           TenureFloorPlan          *self)
{
  int hover = unit_index_at (self, x, y);

  if (hover != self->hover)
    {
      self->hover = hover;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
leave_cb (GtkEventControllerMotion *controller,
          TenureFloorPlan          *self)
{
  if (self->hover >= 0)
    {
      self->hover = -1;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TenureFloorPlan       *self)
{
  double cx = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double cy = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      tenure_floor_plan_move_selection (self, GTK_DIR_LEFT);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      tenure_floor_plan_move_selection (self, GTK_DIR_RIGHT);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      tenure_floor_plan_move_selection (self, GTK_DIR_UP);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      tenure_floor_plan_move_selection (self, GTK_DIR_DOWN);
      return TRUE;
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      tenure_floor_plan_set_zoom (self, self->zoom * 1.25, cx, cy);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      tenure_floor_plan_set_zoom (self, self->zoom / 1.25, cx, cy);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      tenure_floor_plan_zoom_to_fit (self);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
query_tooltip_cb (GtkWidget       *widget,
                  int              x,
                  int              y,
                  gboolean         keyboard,
                  GtkTooltip      *tooltip,
                  TenureFloorPlan *self)
{
  TenureUnitInfo *info;
  g_autofree char *area = NULL;
  g_autofree char *text = NULL;

  if (keyboard)
    info = tenure_floor_plan_get_selected (self);
  else
    info = tenure_floor_plan_unit_at (self, x, y);
  if (info == NULL)
    return FALSE;

  area = tenure_portfolio_format_area_c (info->leasable_area_c);
  if (info->tenant_name != NULL)
    /* TRANSLATORS: tooltip: unit code, status, tenant, area */
    text = g_strdup_printf (_("%s · %s\n%s\n%s m²"), info->code,
                            tenure_unit_status_label (info->status), info->tenant_name, area);
  else
    /* TRANSLATORS: tooltip: unit code, status, area */
    text = g_strdup_printf (_("%s · %s\n%s m²"), info->code,
                            tenure_unit_status_label (info->status), area);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
select_at_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  double x, y;

  g_variant_get (parameter, "(dd)", &x, &y);
  tenure_floor_plan_click (TENURE_FLOOR_PLAN (widget), x, y);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  tenure_floor_plan_zoom_to_fit (TENURE_FLOOR_PLAN (widget));
}

static void
zoom_step_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TenureFloorPlan *self = TENURE_FLOOR_PLAN (widget);
  double factor = g_str_equal (action_name, "floor-plan.zoom-in") ? 1.25 : 1 / 1.25;

  tenure_floor_plan_set_zoom (self, self->zoom * factor, gtk_widget_get_width (widget) / 2.0,
                              gtk_widget_get_height (widget) / 2.0);
}

/* ---- Data ----------------------------------------------------------------------------- */

/* Gives UNIT the outline POINTS (copied; N_POINTS 0 hides it) with its bounds, label point
 * and rectangle flag. */
static void
unit_set_points (Unit         *unit,
                 const double *points,
                 guint         n_points)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  g_clear_pointer (&unit->points, g_free);
  unit->n_points = n_points >= 3 && points != NULL ? n_points : 0;
  unit->auto_laid = FALSE;
  unit->is_rect = FALSE;
  graphene_rect_init (&unit->bounds, 0, 0, 0, 0);
  if (unit->n_points == 0)
    return;
  unit->points = g_memdup2 (points, sizeof (double) * 2 * n_points);
  for (guint k = 0; k < n_points; k++)
    {
      x0 = MIN (x0, points[2 * k]);
      x1 = MAX (x1, points[2 * k]);
      y0 = MIN (y0, points[2 * k + 1]);
      y1 = MAX (y1, points[2 * k + 1]);
    }
  graphene_rect_init (&unit->bounds, x0, y0, x1 - x0, y1 - y0);
  find_label_point (unit);
  /* Four corners, each on the bounding box's, in order: a rectangle. */
  if (n_points == 4)
    {
      unit->is_rect = TRUE;
      for (guint k = 0; k < 4 && unit->is_rect; k++)
        {
          const double *a = points + 2 * k, *b = points + 2 * ((k + 1) % 4);

          unit->is_rect = (a[0] == x0 || a[0] == x1) && (a[1] == y0 || a[1] == y1)
                          && (a[0] == b[0]) != (a[1] == b[1]);
        }
    }
}

/* Units without an outline get a place on the floor anyway: an automatic layout of their
 * leasable areas into the free part of the floor (tenure_geometry_auto_layout), drawn
 * dashed. When no room is left they stay off the map (the unit list still has them). */
static void
auto_layout (TenureFloorPlan *self)
{
  g_autoptr(GPtrArray) placed = g_ptr_array_new_with_free_func
                                  ((GDestroyNotify) tenure_unit_shape_free);
  g_autoptr(GArray) missing = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree gint64 *areas = NULL;
  g_autofree double *rects = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->units->len; i++)
    {
      Unit *unit = &g_array_index (self->units, Unit, i);

      if (unit->n_points >= 3)
        g_ptr_array_add (placed, tenure_unit_shape_new (unit->info->id, unit->info->code,
                                                        unit->points, unit->n_points));
      else
        g_array_append_val (missing, i);
    }
  if (missing->len == 0)
    return;
  areas = g_new (gint64, missing->len);
  rects = g_new (double, 8 * missing->len);
  for (guint k = 0; k < missing->len; k++)
    {
      Unit *unit = &g_array_index (self->units, Unit, g_array_index (missing, guint, k));

      areas[k] = unit->info->leasable_area_c > 0 ? unit->info->leasable_area_c : 1;
    }
  if (!tenure_geometry_auto_layout (self->plan_width, self->plan_height, placed, areas,
                                    missing->len, rects, &error))
    {
      g_debug ("No automatic layout for %u units: %s", missing->len, error->message);
      return;
    }
  for (guint k = 0; k < missing->len; k++)
    {
      Unit *unit = &g_array_index (self->units, Unit, g_array_index (missing, guint, k));

      unit_set_points (unit, rects + 8 * k, 4);
      unit->auto_laid = TRUE;
      unit->is_rect = FALSE;
    }
}

void
tenure_floor_plan_set_units (TenureFloorPlan *self,
                             GListModel      *units,
                             double           plan_width,
                             double           plan_height)
{
  guint n;

  g_return_if_fail (TENURE_IS_FLOOR_PLAN (self));
  g_return_if_fail (units == NULL || G_IS_LIST_MODEL (units));

  set_selected_index (self, -1);
  self->hover = -1;
  g_array_set_size (self->units, 0);
  self->plan_width = plan_width > 0 ? plan_width : 1;
  self->plan_height = plan_height > 0 ? plan_height : 1;

  n = units ? g_list_model_get_n_items (units) : 0;
  for (guint i = 0; i < n; i++)
    {
      Unit unit = { 0 };

      unit.info = g_list_model_get_item (units, i);
      if (unit.info->n_points >= 3)
        unit_set_points (&unit, unit.info->points, unit.info->n_points);
      g_array_append_val (self->units, unit);
    }
  auto_layout (self);

  self->zoom = 1.0;
  self->centre_x = self->plan_width / 2;
  self->centre_y = self->plan_height / 2;
  classify (self);
  invalidate_node (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
tenure_floor_plan_set_mode (TenureFloorPlan     *self,
                            TenureFloorPlanMode  mode)
{
  g_return_if_fail (TENURE_IS_FLOOR_PLAN (self));
  g_return_if_fail (mode < TENURE_FLOOR_PLAN_N_MODES);

  if (mode == self->mode)
    return;
  self->mode = mode;
  classify (self);
  invalidate_node (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

TenureFloorPlanMode
tenure_floor_plan_get_mode (TenureFloorPlan *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), TENURE_FLOOR_PLAN_MODE_STATUS);
  return self->mode;
}

const char *
tenure_floor_plan_mode_label (TenureFloorPlanMode mode)
{
  switch (mode)
    {
    case TENURE_FLOOR_PLAN_MODE_STATUS:
      return _("Status");
    case TENURE_FLOOR_PLAN_MODE_EXPIRY_YEAR:
      return _("Expiry year");
    case TENURE_FLOOR_PLAN_MODE_RENT_BAND:
      return _("Rent per m²");
    case TENURE_FLOOR_PLAN_N_MODES:
    default:
      break;
    }
  g_return_val_if_reached ("");
}

GPtrArray *
tenure_floor_plan_get_legend (TenureFloorPlan *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), NULL);
  return self->legend;
}

const char *
tenure_floor_plan_get_legend_title (TenureFloorPlan *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), NULL);

  switch (self->mode)
    {
    case TENURE_FLOOR_PLAN_MODE_EXPIRY_YEAR:
      return _("Year the current lease ends");
    case TENURE_FLOOR_PLAN_MODE_RENT_BAND:
      return _("Rent per m² per month (yuan), fifths of this floor");
    case TENURE_FLOOR_PLAN_MODE_STATUS:
    case TENURE_FLOOR_PLAN_N_MODES:
    default:
      return _("Status");
    }
}

guint
tenure_floor_plan_get_n_node_builds (TenureFloorPlan *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), 0);
  return self->n_node_builds;
}

GtkWidget *
tenure_floor_plan_new (void)
{
  return g_object_new (TENURE_TYPE_FLOOR_PLAN, NULL);
}

/* ---- Hooks for the layout editor ------------------------------------------------------ */

static int
unit_index (TenureFloorPlan *self,
            gint64           unit_id)
{
  for (guint i = 0; i < self->units->len; i++)
    if (g_array_index (self->units, Unit, i).info->id == unit_id)
      return (int) i;
  return -1;
}

guint
tenure_floor_plan_get_n_units (TenureFloorPlan *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), 0);
  return self->units->len;
}

TenureUnitInfo *
tenure_floor_plan_get_unit (TenureFloorPlan *self,
                            guint            index)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), NULL);
  g_return_val_if_fail (index < self->units->len, NULL);
  return g_array_index (self->units, Unit, index).info;
}

const double *
tenure_floor_plan_get_unit_points (TenureFloorPlan *self,
                                   gint64           unit_id,
                                   guint           *n_points,
                                   gboolean        *auto_laid)
{
  int i;
  Unit *unit;

  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), NULL);

  i = unit_index (self, unit_id);
  unit = i >= 0 ? &g_array_index (self->units, Unit, i) : NULL;
  if (n_points != NULL)
    *n_points = unit != NULL ? unit->n_points : 0;
  if (auto_laid != NULL)
    *auto_laid = unit != NULL && unit->auto_laid;
  return unit != NULL ? unit->points : NULL;
}

gboolean
tenure_floor_plan_set_unit_points (TenureFloorPlan *self,
                                   gint64           unit_id,
                                   const double    *points,
                                   guint            n_points)
{
  int i;

  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), FALSE);

  i = unit_index (self, unit_id);
  if (i < 0)
    return FALSE;
  unit_set_points (&g_array_index (self->units, Unit, i), points, n_points);
  invalidate_node (self);
  return TRUE;
}

void
tenure_floor_plan_widget_to_plan (TenureFloorPlan *self,
                                  double           x,
                                  double           y,
                                  double          *px,
                                  double          *py)
{
  double ox, oy, scale;

  g_return_if_fail (TENURE_IS_FLOOR_PLAN (self));

  scale = view_scale (self);
  view_origin (self, &ox, &oy);
  *px = (x - ox) / scale;
  *py = (y - oy) / scale;
}

double
tenure_floor_plan_get_scale (TenureFloorPlan *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (self), 1.0);
  return view_scale (self);
}

void
tenure_floor_plan_get_plan_size (TenureFloorPlan *self,
                                 double          *width,
                                 double          *height)
{
  g_return_if_fail (TENURE_IS_FLOOR_PLAN (self));
  *width = self->plan_width;
  *height = self->plan_height;
}

void
tenure_floor_plan_set_overlay_func (TenureFloorPlan            *self,
                                    TenureFloorPlanOverlayFunc  func,
                                    gpointer                    data,
                                    GDestroyNotify              destroy)
{
  g_return_if_fail (TENURE_IS_FLOOR_PLAN (self));

  if (self->overlay_destroy != NULL)
    self->overlay_destroy (self->overlay_data);
  self->overlay_func = func;
  self->overlay_data = data;
  self->overlay_destroy = destroy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
tenure_floor_plan_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  TenureFloorPlan *self = TENURE_FLOOR_PLAN (widget);

  GTK_WIDGET_CLASS (tenure_floor_plan_parent_class)->css_changed (widget, change);
  /* Fonts may have changed: drop the cached layouts with the node. */
  for (guint i = 0; i < self->units->len; i++)
    {
      Unit *unit = &g_array_index (self->units, Unit, i);
      g_clear_object (&unit->layout);
      unit->layout_lines = 0;
      unit->layout_width = 0;
    }
  invalidate_node (self);
}

static void
tenure_floor_plan_finalize (GObject *object)
{
  TenureFloorPlan *self = TENURE_FLOOR_PLAN (object);

  g_clear_pointer (&self->units, g_array_unref);
  g_clear_pointer (&self->legend, g_ptr_array_unref);
  g_clear_pointer (&self->palette, g_array_unref);
  g_clear_pointer (&self->node, gsk_render_node_unref);
  g_clear_pointer (&self->description, g_free);
  if (self->overlay_destroy != NULL)
    self->overlay_destroy (self->overlay_data);

  G_OBJECT_CLASS (tenure_floor_plan_parent_class)->finalize (object);
}

static void
tenure_floor_plan_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TenureFloorPlan *self = TENURE_FLOOR_PLAN (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_uint (value, self->mode);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tenure_floor_plan_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TenureFloorPlan *self = TENURE_FLOOR_PLAN (object);

  switch (prop_id)
    {
    case PROP_MODE:
      tenure_floor_plan_set_mode (self, g_value_get_uint (value));
      break;
    case PROP_ZOOM:
      tenure_floor_plan_set_zoom (self, g_value_get_double (value),
                                  gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                                  gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tenure_floor_plan_class_init (TenureFloorPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tenure_floor_plan_finalize;
  object_class->get_property = tenure_floor_plan_get_property;
  object_class->set_property = tenure_floor_plan_set_property;
  widget_class->snapshot = tenure_floor_plan_snapshot;
  widget_class->measure = tenure_floor_plan_measure;
  widget_class->size_allocate = tenure_floor_plan_size_allocate;
  widget_class->css_changed = tenure_floor_plan_css_changed;

  properties[PROP_MODE] =
    g_param_spec_uint ("mode", NULL, NULL, 0, TENURE_FLOOR_PLAN_N_MODES - 1, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, TENURE_FLOOR_PLAN_MIN_ZOOM,
                         TENURE_FLOOR_PLAN_MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The selected unit changed (NULL when cleared). */
  signals[UNIT_SELECTED] =
    g_signal_new ("unit-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, TENURE_TYPE_UNIT_INFO);
  signals[LEGEND_CHANGED] =
    g_signal_new ("legend-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "floor-plan.select-at", "(dd)",
                                   select_at_action);
  gtk_widget_class_install_action (widget_class, "floor-plan.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "floor-plan.zoom-in", NULL, zoom_step_action);
  gtk_widget_class_install_action (widget_class, "floor-plan.zoom-out", NULL, zoom_step_action);

  gtk_widget_class_set_css_name (widget_class, "floorplan");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tenure_floor_plan_init (TenureFloorPlan *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;

  self->units = g_array_new (FALSE, TRUE, sizeof (Unit));
  g_array_set_clear_func (self->units, unit_clear);
  self->legend = g_ptr_array_new_with_free_func (tenure_unit_colours_legend_entry_free);
  self->palette = g_array_new (FALSE, FALSE, sizeof (GdkRGBA));
  self->zoom = 1.0;
  self->selected = -1;
  self->hover = -1;
  self->plan_width = 1;
  self->plan_height = 1;
  self->description = g_strdup (_("No unit selected"));

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scrolled_cb), self);
  gtk_widget_add_controller (widget, controller);

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (widget, controller);
}
