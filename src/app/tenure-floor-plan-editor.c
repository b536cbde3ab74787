/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-floor-plan-editor"

#include "tenure-floor-plan-editor.h"

#include "base/tenure-error.h"
#include "portfolio/tenure-geometry.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

/* A press within this many pixels of the last one, and in time, makes a double-click. */
#define DOUBLE_CLICK_PIXELS 5.0
/* A press moving farther than this turns into a drag. */
#define DRAG_PIXELS         4.0

typedef enum
{
  DRAG_NONE,
  DRAG_PENDING,   /* pressed while drawing, not moved yet: a click unless it moves */
  DRAG_RECT,
  DRAG_MOVE,
  DRAG_VERTEX,
} DragKind;

struct _TenureFloorPlanEditor
{
  GObject            parent_instance;

  TenureFloorPlan   *plan;          /* weak */
  TenureDb          *db;
  gint64             floor_id;
  gboolean           active;
  double             grid;

  GPtrArray         *shapes;        /* TenureUnitShape in the map's order, as edited */
  GPtrArray         *stored;        /* the same as last loaded or saved */
  TenureEditHistory *history;
  char              *message;

  DragKind           drag;
  double             press_x;       /* widget */
  double             press_y;
  double             press_px;      /* plan, snapped for a rectangle */
  double             press_py;
  double             cur_px;
  double             cur_py;
  gint64             drag_unit;
  guint              drag_vertex;
  TenureUnitShape   *drag_orig;
  GArray            *draft;         /* corners (x, y) of the polygon being drawn */
  gint64             draft_unit;
  int                selected_vertex;

  gint64             last_press_time;
  double             last_press_x;
  double             last_press_y;

  GtkEventController *drag_gesture;
  GtkEventController *key_controller;
  GtkEventController *shortcuts;
  gulong              selected_handler;

  /* The toolbar's widgets (weak: owned by the toolbar). */
  GtkWidget         *toolbar;
  GtkWidget         *undo_button;
  GtkWidget         *redo_button;
  GtkWidget         *save_button;
  GtkWidget         *message_label;
};

G_DEFINE_FINAL_TYPE (TenureFloorPlanEditor, tenure_floor_plan_editor, G_TYPE_OBJECT)

enum {
  MESSAGE,
  LEFT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- Shapes ---------------------------------------------------------------------------- */

static TenureUnitShape *
find_shape (GPtrArray *shapes,
            gint64     unit_id)
{
  for (guint i = 0; shapes != NULL && i < shapes->len; i++)
    {
      TenureUnitShape *shape = g_ptr_array_index (shapes, i);
      if (shape->unit_id == unit_id)
        return shape;
    }
  return NULL;
}

static void
shape_set_points (TenureUnitShape *shape,
                  const double    *points,
                  guint            n_points)
{
  g_clear_pointer (&shape->points, g_free);
  shape->n_points = points != NULL && n_points >= 3 ? n_points : 0;
  if (shape->n_points > 0)
    shape->points = g_memdup2 (points, sizeof (double) * 2 * n_points);
}

static gboolean
same_points (const TenureUnitShape *a,
             const double          *points,
             guint                  n_points)
{
  return a->n_points == n_points
         && (n_points == 0 || memcmp (a->points, points, sizeof (double) * 2 * n_points) == 0);
}

/* The outlines of every unit but EXCLUDE_ID that has one (not owning). */
static GPtrArray *
other_shapes (TenureFloorPlanEditor *self,
              gint64                 exclude_id)
{
  GPtrArray *others = g_ptr_array_new ();

  for (guint i = 0; i < self->shapes->len; i++)
    {
      TenureUnitShape *shape = g_ptr_array_index (self->shapes, i);
      if (shape->unit_id != exclude_id && shape->n_points >= 3)
        g_ptr_array_add (others, shape);
    }
  return others;
}

static void
show_shape (TenureFloorPlanEditor *self,
            const TenureUnitShape *shape)
{
  if (self->plan != NULL)
    tenure_floor_plan_set_unit_points (self->plan, shape->unit_id, shape->points,
                                       shape->n_points);
}

static gint64
selected_id (TenureFloorPlanEditor *self)
{
  TenureUnitInfo *info = self->plan ? tenure_floor_plan_get_selected (self->plan) : NULL;

  return info != NULL ? info->id : 0;
}

static void
queue_draw (TenureFloorPlanEditor *self)
{
  if (self->plan != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self->plan));
}

static void
set_message (TenureFloorPlanEditor *self,
             const char            *text)
{
  g_free (self->message);
  self->message = g_strdup (text != NULL ? text : "");
  if (self->message_label != NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->message_label), self->message);
      gtk_widget_set_visible (self->message_label, *self->message != '\0');
    }
  g_signal_emit (self, signals[MESSAGE], 0, self->message);
}

/* ---- Edits and history ----------------------------------------------------------------- */

/* One undoable edit: each changed unit's outline before and after. */
typedef struct
{
  GPtrArray *before;   /* TenureUnitShape */
  GPtrArray *after;
} Edit;

static void
edit_free (gpointer data)
{
  Edit *edit = data;

  g_ptr_array_unref (edit->before);
  g_ptr_array_unref (edit->after);
  g_free (edit);
}

static void
apply_edit (gpointer data,
            gboolean redo,
            gpointer user_data)
{
  TenureFloorPlanEditor *self = user_data;
  Edit *edit = data;
  GPtrArray *states = redo ? edit->after : edit->before;

  for (guint i = 0; i < states->len; i++)
    {
      const TenureUnitShape *state = g_ptr_array_index (states, i);
      TenureUnitShape *shape = find_shape (self->shapes, state->unit_id);

      if (shape == NULL)
        continue;
      shape_set_points (shape, state->points, state->n_points);
      show_shape (self, shape);
    }
  self->selected_vertex = -1;
  queue_draw (self);
}

/* Applies NEW_SHAPES (TenureUnitShape of units on the map) as one edit named LABEL. */
static void
push_edit (TenureFloorPlanEditor *self,
           const char            *label,
           GPtrArray             *new_shapes)
{
  Edit *edit = g_new0 (Edit, 1);

  edit->before = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_unit_shape_free);
  edit->after = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_unit_shape_free);
  for (guint i = 0; i < new_shapes->len; i++)
    {
      const TenureUnitShape *next = g_ptr_array_index (new_shapes, i);
      TenureUnitShape *shape = find_shape (self->shapes, next->unit_id);

      g_ptr_array_add (edit->before, tenure_unit_shape_copy (shape));
      g_ptr_array_add (edit->after, tenure_unit_shape_copy (next));
      shape_set_points (shape, next->points, next->n_points);
      show_shape (self, shape);
    }
  tenure_edit_history_push (self->history, label, edit, edit_free);
  queue_draw (self);
}

/* Gives unit UNIT_ID the outline POINTS as the edit LABEL when it is valid; otherwise shows
 * why, puts the unit's outline back and returns FALSE. */
static gboolean
commit_shape (TenureFloorPlanEditor *self,
              const char            *label,
              gint64                 unit_id,
              const double          *points,
              guint                  n_points)
{
  TenureUnitShape *shape = find_shape (self->shapes, unit_id);
  g_autoptr(TenureUnitShape) next = NULL;
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  double width = 1, height = 1;

  if (shape == NULL)
    return FALSE;
  if (same_points (shape, points, n_points))
    {
      show_shape (self, shape);
      return TRUE;
    }
  next = tenure_unit_shape_new (unit_id, shape->code, points, n_points);
  others = other_shapes (self, unit_id);
  tenure_floor_plan_get_plan_size (self->plan, &width, &height);
  if (!tenure_geometry_validate (next, width, height, others,
                                 TENURE_FLOOR_PLAN_EDITOR_TOLERANCE, &error))
    {
      set_message (self, error->message);
      show_shape (self, shape);
      queue_draw (self);
      return FALSE;
    }
  list = g_ptr_array_new ();
  g_ptr_array_add (list, next);
  push_edit (self, label, list);
  set_message (self, "");
  return TRUE;
}

/* ---- Snapping -------------------------------------------------------------------------- */

static double
snap_radius (TenureFloorPlanEditor *self)
{
  return TENURE_FLOOR_PLAN_EDITOR_SNAP_PIXELS / tenure_floor_plan_get_scale (self->plan);
}

static void
snap_point (TenureFloorPlanEditor *self,
            double                 px,
            double                 py,
            gint64                 exclude_id,
            double                *sx,
            double                *sy)
{
  g_autoptr(GPtrArray) others = other_shapes (self, exclude_id);
  double width, height;

  tenure_floor_plan_get_plan_size (self->plan, &width, &height);
  tenure_geometry_snap (px, py, others, exclude_id, snap_radius (self), self->grid, width,
                        height, sx, sy);
}

/* Moves POINTS (in place) by the smallest shift that puts one of its corners on another
 * unit's corner or edge within the snap radius, else puts its first corner on the grid, then
 * keeps the whole outline on the floor. */
static void
snap_moved (TenureFloorPlanEditor *self,
            double                *points,
            guint                  n_points,
            gint64                 unit_id)
{
  g_autoptr(GPtrArray) others = other_shapes (self, unit_id);
  double width, height, best = G_MAXDOUBLE, dx = 0, dy = 0;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  tenure_floor_plan_get_plan_size (self->plan, &width, &height);
  for (guint i = 0; i < n_points; i++)
    {
      double sx, sy;

      /* Unclamped floor: the clamp below keeps the outline whole. */
      if (tenure_geometry_snap (points[2 * i], points[2 * i + 1], others, unit_id,
                                snap_radius (self), 0, G_MAXDOUBLE, G_MAXDOUBLE, &sx, &sy)
          != TENURE_SNAP_NONE
          && hypot (sx - points[2 * i], sy - points[2 * i + 1]) < best)
        {
          best = hypot (sx - points[2 * i], sy - points[2 * i + 1]);
          dx = sx - points[2 * i];
          dy = sy - points[2 * i + 1];
        }
    }
  if (best == G_MAXDOUBLE && self->grid > 0)
    {
      dx = round (points[0] / self->grid) * self->grid - points[0];
      dy = round (points[1] / self->grid) * self->grid - points[1];
    }
  for (guint i = 0; i < n_points; i++)
    {
      points[2 * i] += dx;
      points[2 * i + 1] += dy;
      x0 = MIN (x0, points[2 * i]);
      x1 = MAX (x1, points[2 * i]);
      y0 = MIN (y0, points[2 * i + 1]);
      y1 = MAX (y1, points[2 * i + 1]);
    }
  dx = x0 < 0 ? -x0 : x1 > width ? width - x1 : 0;
  dy = y0 < 0 ? -y0 : y1 > height ? height - y1 : 0;
  for (guint i = 0; i < n_points; i++)
    {
      points[2 * i] += dx;
      points[2 * i + 1] += dy;
    }
}

/* ---- Drawing --------------------------------------------------------------------------- */

static void
overlay_cb (TenureFloorPlan *plan,
            GtkSnapshot     *snapshot,
            double           scale,
            gpointer         data)
{
  TenureFloorPlanEditor *self = data;
  GdkRGBA accent = { 0.11, 0.44, 0.85, 1.0 };
  double width, height;
  gint64 sel = selected_id (self);
  TenureUnitShape *shape = sel != 0 ? find_shape (self->shapes, sel) : NULL;
  cairo_t *cr;

  if (!self->active)
    return;
  tenure_floor_plan_get_plan_size (plan, &width, &height);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (-8, -8, width * scale + 16,
                                                                 height * scale + 16));
  cairo_set_line_width (cr, 1);

  /* The grid, where its lines are far enough apart to help. */
  if (self->grid > 0 && self->grid * scale >= 12)
    {
      cairo_set_source_rgba (cr, 0.3, 0.3, 0.5, 0.15);
      for (double x = 0; x <= width; x += self->grid)
        {
          cairo_move_to (cr, round (x * scale) + 0.5, 0);
          cairo_line_to (cr, round (x * scale) + 0.5, height * scale);
        }
      for (double y = 0; y <= height; y += self->grid)
        {
          cairo_move_to (cr, 0, round (y * scale) + 0.5);
          cairo_line_to (cr, width * scale, round (y * scale) + 0.5);
        }
      cairo_stroke (cr);
    }

  /* Handles on the selected unit's corners. */
  if (shape != NULL && shape->n_points >= 3)
    for (guint i = 0; i < shape->n_points; i++)
      {
        double x = round (shape->points[2 * i] * scale);
        double y = round (shape->points[2 * i + 1] * scale);

        cairo_rectangle (cr, x - 4, y - 4, 8, 8);
        if ((int) i == self->selected_vertex)
          gdk_cairo_set_source_rgba (cr, &accent);
        else
          cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_fill_preserve (cr);
        gdk_cairo_set_source_rgba (cr, &accent);
        cairo_stroke (cr);
      }

  /* The rectangle being dragged out. */
  if (self->drag == DRAG_RECT)
    {
      double x0 = MIN (self->press_px, self->cur_px) * scale;
      double y0 = MIN (self->press_py, self->cur_py) * scale;

      cairo_rectangle (cr, x0, y0, fabs (self->cur_px - self->press_px) * scale,
                       fabs (self->cur_py - self->press_py) * scale);
      cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 0.2);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &accent);
      cairo_set_dash (cr, (double[]) { 5, 3 }, 2, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  /* The polygon being drawn. */
  if (self->draft->len >= 2)
    {
      const double *p = (const double *) (gpointer) self->draft->data;
      guint n = self->draft->len / 2;

      cairo_move_to (cr, p[0] * scale, p[1] * scale);
      for (guint i = 1; i < n; i++)
        cairo_line_to (cr, p[2 * i] * scale, p[2 * i + 1] * scale);
      gdk_cairo_set_source_rgba (cr, &accent);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
      for (guint i = 0; i < n; i++)
        {
          cairo_arc (cr, p[2 * i] * scale, p[2 * i + 1] * scale, 4, 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }
  cairo_destroy (cr);
}

/* ---- Pointer and keys ------------------------------------------------------------------ */

static TenureUnitShape *
drawing_target (TenureFloorPlanEditor *self)
{
  gint64 sel = selected_id (self);
  TenureUnitShape *shape = sel != 0 ? find_shape (self->shapes, sel) : NULL;

  return shape != NULL && shape->n_points < 3 ? shape : NULL;
}

gboolean
tenure_floor_plan_editor_pointer_down (TenureFloorPlanEditor *self,
                                       double                 x,
                                       double                 y)
{
  TenureUnitShape *shape;
  TenureUnitInfo *info;
  double px, py, scale;
  gint64 sel;

  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), FALSE);

  if (!self->active || self->plan == NULL)
    return FALSE;
  self->drag = DRAG_NONE;
  self->press_x = x;
  self->press_y = y;
  tenure_floor_plan_widget_to_plan (self->plan, x, y, &px, &py);
  scale = tenure_floor_plan_get_scale (self->plan);

  /* Drawing the selected unit: a drag makes a rectangle, clicks make corners (a press on
   * another unit before the first corner selects that unit instead). */
  shape = drawing_target (self);
  if (self->draft->len > 0
      || (shape != NULL && tenure_floor_plan_unit_at (self->plan, x, y) == NULL))
    {
      snap_point (self, px, py, 0, &self->press_px, &self->press_py);
      self->cur_px = self->press_px;
      self->cur_py = self->press_py;
      self->drag = DRAG_PENDING;
      return TRUE;
    }

  /* A corner of the selected unit. */
  sel = selected_id (self);
  shape = sel != 0 ? find_shape (self->shapes, sel) : NULL;
  if (shape != NULL)
    {
      int best = -1;
      double best_d = TENURE_FLOOR_PLAN_EDITOR_SNAP_PIXELS;

      for (guint i = 0; i < shape->n_points; i++)
        {
          double d = hypot (shape->points[2 * i] - px, shape->points[2 * i + 1] - py) * scale;
          if (d <= best_d)
            {
              best_d = d;
              best = (int) i;
            }
        }
      if (best >= 0)
        {
          self->drag = DRAG_VERTEX;
          self->drag_unit = sel;
          self->drag_vertex = (guint) best;
          self->selected_vertex = best;
          g_clear_pointer (&self->drag_orig, tenure_unit_shape_free);
          self->drag_orig = tenure_unit_shape_copy (shape);
          queue_draw (self);
          return TRUE;
        }
    }

  /* A unit: select it, and a drag moves it. */
  info = tenure_floor_plan_unit_at (self->plan, x, y);
  if (info != NULL)
    {
      gint64 id = info->id;

      tenure_floor_plan_select_unit (self->plan, id);
      self->selected_vertex = -1;
      self->drag = DRAG_MOVE;
      self->drag_unit = id;
      self->press_px = px;
      self->press_py = py;
      g_clear_pointer (&self->drag_orig, tenure_unit_shape_free);
      self->drag_orig = tenure_unit_shape_copy (find_shape (self->shapes, id));
      return TRUE;
    }
  return FALSE;
}

void
tenure_floor_plan_editor_pointer_move (TenureFloorPlanEditor *self,
                                       double                 x,
                                       double                 y)
{
  double px, py;

  g_return_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self));

  if (!self->active || self->plan == NULL || self->drag == DRAG_NONE)
    return;
  tenure_floor_plan_widget_to_plan (self->plan, x, y, &px, &py);
  switch (self->drag)
    {
    case DRAG_PENDING:
      if (self->draft->len > 0 || hypot (x - self->press_x, y - self->press_y) < DRAG_PIXELS)
        return;
      self->drag = DRAG_RECT;
      G_GNUC_FALLTHROUGH;
    case DRAG_RECT:
      snap_point (self, px, py, 0, &self->cur_px, &self->cur_py);
      queue_draw (self);
      break;
    case DRAG_VERTEX:
      {
        g_autofree double *points = g_memdup2 (self->drag_orig->points,
                                               sizeof (double) * 2 * self->drag_orig->n_points);

        snap_point (self, px, py, self->drag_unit, &points[2 * self->drag_vertex],
                    &points[2 * self->drag_vertex + 1]);
        tenure_floor_plan_set_unit_points (self->plan, self->drag_unit, points,
                                           self->drag_orig->n_points);
        shape_set_points (find_shape (self->shapes, self->drag_unit), points,
                          self->drag_orig->n_points);
      }
      break;
    case DRAG_MOVE:
      {
        guint n = self->drag_orig->n_points;
        g_autofree double *points = NULL;

        if (n < 3)
          return;
        points = g_memdup2 (self->drag_orig->points, sizeof (double) * 2 * n);
        for (guint i = 0; i < n; i++)
          {
            points[2 * i] += px - self->press_px;
            points[2 * i + 1] += py - self->press_py;
          }
        snap_moved (self, points, n, self->drag_unit);
        tenure_floor_plan_set_unit_points (self->plan, self->drag_unit, points, n);
        shape_set_points (find_shape (self->shapes, self->drag_unit), points, n);
      }
      break;
    case DRAG_NONE:
    default:
      break;
    }
}

/* Ends a move or reshape: the outline the drag left becomes an edit if valid. */
static void
finish_shape_drag (TenureFloorPlanEditor *self,
                   const char            *label)
{
  TenureUnitShape *shape = find_shape (self->shapes, self->drag_unit);
  g_autoptr(TenureUnitShape) moved = NULL;

  if (shape == NULL || self->drag_orig == NULL)
    return;
  /* Back to where it started, then the result as one edit. */
  moved = tenure_unit_shape_copy (shape);
  shape_set_points (shape, self->drag_orig->points, self->drag_orig->n_points);
  if (!same_points (shape, moved->points, moved->n_points))
    commit_shape (self, label, moved->unit_id, moved->points, moved->n_points);
  else
    show_shape (self, shape);
}

void
tenure_floor_plan_editor_pointer_up (TenureFloorPlanEditor *self,
                                     double                 x,
                                     double                 y)
{
  DragKind drag;

  g_return_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self));

  if (!self->active || self->plan == NULL)
    return;
  tenure_floor_plan_editor_pointer_move (self, x, y);
  drag = self->drag;
  self->drag = DRAG_NONE;
  switch (drag)
    {
    case DRAG_PENDING:
      {
        /* A click while drawing: one more corner. */
        TenureUnitShape *target = drawing_target (self);

        if (self->draft->len == 0)
          {
            if (target == NULL)
              break;
            self->draft_unit = target->unit_id;
          }
        g_array_append_val (self->draft, self->press_px);
        g_array_append_val (self->draft, self->press_py);
        set_message (self, _("Click the next corner; double-click or press Enter to close "
                             "the outline, Backspace removes the last corner"));
        queue_draw (self);
      }
      break;
    case DRAG_RECT:
      {
        TenureUnitShape *target = drawing_target (self);
        double x0 = MIN (self->press_px, self->cur_px), x1 = MAX (self->press_px, self->cur_px);
        double y0 = MIN (self->press_py, self->cur_py), y1 = MAX (self->press_py, self->cur_py);
        double rect[8] = { x0, y0, x1, y0, x1, y1, x0, y1 };

        queue_draw (self);
        if (target == NULL)
          break;
        if (x1 - x0 <= 0 || y1 - y0 <= 0)
          {
            set_message (self, _("The rectangle has no area: drag across and down"));
            break;
          }
        commit_shape (self, _("Draw unit"), target->unit_id, rect, 4);
      }
      break;
    case DRAG_MOVE:
      finish_shape_drag (self, _("Move unit"));
      break;
    case DRAG_VERTEX:
      finish_shape_drag (self, _("Move corner"));
      break;
    case DRAG_NONE:
    default:
      break;
    }
  g_clear_pointer (&self->drag_orig, tenure_unit_shape_free);
}

static void
drop_draft (TenureFloorPlanEditor *self)
{
  g_array_set_size (self->draft, 0);
  self->draft_unit = 0;
  queue_draw (self);
}

/* Closes the polygon being drawn into the unit's outline. */
static void
close_draft (TenureFloorPlanEditor *self)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));
  const double *p = (const double *) (gpointer) self->draft->data;
  guint n = self->draft->len / 2;

  /* A double-click's presses leave repeated corners: keep one of each. */
  for (guint i = 0; i < n; i++)
    {
      guint k = points->len / 2;

      if (k > 0 && g_array_index (points, double, 2 * k - 2) == p[2 * i]
          && g_array_index (points, double, 2 * k - 1) == p[2 * i + 1])
        continue;
      g_array_append_vals (points, p + 2 * i, 2);
    }
  n = points->len / 2;
  if (n >= 2 && g_array_index (points, double, 0) == g_array_index (points, double, 2 * n - 2)
      && g_array_index (points, double, 1) == g_array_index (points, double, 2 * n - 1))
    n--;
  if (n < 3)
    {
      set_message (self, _("An outline needs at least three corners"));
      return;
    }
  if (commit_shape (self, _("Draw unit"), self->draft_unit,
                    (const double *) (gpointer) points->data, n))
    drop_draft (self);
}

void
tenure_floor_plan_editor_double_click (TenureFloorPlanEditor *self,
                                       double                 x,
                                       double                 y)
{
  TenureUnitShape *shape;
  double px, py, scale, best = TENURE_FLOOR_PLAN_EDITOR_SNAP_PIXELS, fx = 0, fy = 0;
  int edge = -1;
  gint64 sel;

  g_return_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self));

  if (!self->active || self->plan == NULL)
    return;
  self->drag = DRAG_NONE;
  if (self->draft->len > 0)
    {
      close_draft (self);
      return;
    }

  /* On an edge of the selected unit: a new corner there. */
  sel = selected_id (self);
  shape = sel != 0 ? find_shape (self->shapes, sel) : NULL;
  if (shape == NULL || shape->n_points < 3)
    return;
  tenure_floor_plan_widget_to_plan (self->plan, x, y, &px, &py);
  scale = tenure_floor_plan_get_scale (self->plan);
  for (guint i = 0; i < shape->n_points; i++)
    {
      const double *a = shape->points + 2 * i;
      const double *b = shape->points + 2 * ((i + 1) % shape->n_points);
      double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy, s, d;

      if (len2 <= 0)
        continue;
      s = CLAMP (((px - a[0]) * dx + (py - a[1]) * dy) / len2, 0, 1);
      d = hypot (a[0] + s * dx - px, a[1] + s * dy - py) * scale;
      /* Not at a corner: that would only double it. */
      if (d <= best && s * sqrt (len2) * scale > 2 && (1 - s) * sqrt (len2) * scale > 2)
        {
          best = d;
          edge = (int) i;
          fx = a[0] + s * dx;
          fy = a[1] + s * dy;
        }
    }
  if (edge < 0)
    return;
  {
    g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));
    double corner[2] = { round (fx * 100) / 100, round (fy * 100) / 100 };

    g_array_append_vals (points, shape->points, 2 * (edge + 1));
    g_array_append_vals (points, corner, 2);
    g_array_append_vals (points, shape->points + 2 * (edge + 1),
                         2 * (shape->n_points - edge - 1));
    if (commit_shape (self, _("Add corner"), sel, (const double *) (gpointer) points->data,
                      shape->n_points + 1))
      self->selected_vertex = edge + 1;
  }
}

static gboolean
delete_vertex (TenureFloorPlanEditor *self)
{
  gint64 sel = selected_id (self);
  TenureUnitShape *shape = sel != 0 ? find_shape (self->shapes, sel) : NULL;
  g_autoptr(GArray) points = NULL;
  guint k;

  if (shape == NULL || self->selected_vertex < 0
      || (guint) self->selected_vertex >= shape->n_points)
    return FALSE;
  if (shape->n_points <= 3)
    {
      set_message (self, _("An outline needs at least three corners"));
      return TRUE;
    }
  k = (guint) self->selected_vertex;
  points = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_vals (points, shape->points, 2 * k);
  g_array_append_vals (points, shape->points + 2 * (k + 1), 2 * (shape->n_points - k - 1));
  if (commit_shape (self, _("Delete corner"), sel, (const double *) (gpointer) points->data,
                    shape->n_points - 1))
    self->selected_vertex = -1;
  return TRUE;
}

gboolean
tenure_floor_plan_editor_key (TenureFloorPlanEditor *self,
                              guint                  keyval,
                              GdkModifierType        state)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), FALSE);

  if (!self->active)
    return FALSE;
  if ((state & GDK_CONTROL_MASK) != 0)
    {
      if (keyval == GDK_KEY_z && (state & GDK_SHIFT_MASK) == 0)
        return tenure_floor_plan_editor_undo (self), TRUE;
      if (keyval == GDK_KEY_Z || keyval == GDK_KEY_z || keyval == GDK_KEY_y)
        return tenure_floor_plan_editor_redo (self), TRUE;
      return FALSE;
    }
  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      if (self->draft->len == 0)
        return FALSE;
      close_draft (self);
      return TRUE;
    case GDK_KEY_Escape:
      if (self->draft->len == 0)
        return FALSE;
      drop_draft (self);
      set_message (self, "");
      return TRUE;
    case GDK_KEY_BackSpace:
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      if (self->draft->len > 0)
        {
          g_array_set_size (self->draft, self->draft->len - 2);
          queue_draw (self);
          return TRUE;
        }
      return delete_vertex (self);
    default:
      return FALSE;
    }
}

gboolean
tenure_floor_plan_editor_undo (TenureFloorPlanEditor *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), FALSE);
  if (!self->active)
    return FALSE;
  if (self->draft->len > 0)
    {
      drop_draft (self);
      return TRUE;
    }
  return tenure_edit_history_undo (self->history);
}

gboolean
tenure_floor_plan_editor_redo (TenureFloorPlanEditor *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), FALSE);
  if (!self->active)
    return FALSE;
  return tenure_edit_history_redo (self->history);
}

/* ---- Gestures -------------------------------------------------------------------------- */

static void
drag_begin_cb (GtkGestureDrag        *gesture,
               double                 x,
               double                 y,
               TenureFloorPlanEditor *self)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self->plan));
  gint64 now = g_get_monotonic_time ();
  int double_click_ms = 400;

  if (!self->active)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  g_object_get (settings, "gtk-double-click-time", &double_click_ms, NULL);
  if (now - self->last_press_time < double_click_ms * (gint64) 1000
      && hypot (x - self->last_press_x, y - self->last_press_y) <= DOUBLE_CLICK_PIXELS)
    {
      self->last_press_time = 0;
      tenure_floor_plan_editor_double_click (self, x, y);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }
  self->last_press_time = now;
  self->last_press_x = x;
  self->last_press_y = y;
  gtk_widget_grab_focus (GTK_WIDGET (self->plan));
  if (tenure_floor_plan_editor_pointer_down (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  else
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static void
drag_update_cb (GtkGestureDrag        *gesture,
                double                 dx,
                double                 dy,
                TenureFloorPlanEditor *self)
{
  double x, y;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  tenure_floor_plan_editor_pointer_move (self, x + dx, y + dy);
}

static void
drag_end_cb (GtkGestureDrag        *gesture,
             double                 dx,
             double                 dy,
             TenureFloorPlanEditor *self)
{
  double x, y;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  tenure_floor_plan_editor_pointer_up (self, x + dx, y + dy);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TenureFloorPlanEditor *self)
{
  /* Undo and redo come through the shortcuts, wherever the focus is. */
  if ((state & GDK_CONTROL_MASK) != 0)
    return FALSE;
  return tenure_floor_plan_editor_key (self, keyval, state);
}

static gboolean
undo_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   data)
{
  TenureFloorPlanEditor *self = data;

  if (!self->active)
    return FALSE;
  tenure_floor_plan_editor_undo (self);
  return TRUE;
}

static gboolean
redo_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   data)
{
  TenureFloorPlanEditor *self = data;

  if (!self->active)
    return FALSE;
  tenure_floor_plan_editor_redo (self);
  return TRUE;
}

static void
unit_selected_cb (TenureFloorPlan       *plan,
                  TenureUnitInfo        *info,
                  TenureFloorPlanEditor *self)
{
  TenureUnitShape *shape;

  if (!self->active)
    return;
  self->selected_vertex = -1;
  if (info == NULL || (self->draft_unit != 0 && self->draft_unit != info->id))
    drop_draft (self);
  if (info == NULL)
    return;
  shape = find_shape (self->shapes, info->id);
  if (shape != NULL && shape->n_points < 3)
    {
      g_autofree char *hint = NULL;

      /* TRANSLATORS: %s is a unit code */
      hint = g_strdup_printf (_("Draw unit %s: drag a rectangle, or click its corners"),
                              info->code);
      set_message (self, hint);
    }
  else
    set_message (self, _("Drag the unit to move it, or its corners to reshape it; "
                         "double-click an edge to add a corner"));
  queue_draw (self);
}

/* ---- Public ---------------------------------------------------------------------------- */

TenureFloorPlanEditor *
tenure_floor_plan_editor_new (TenureFloorPlan *plan)
{
  TenureFloorPlanEditor *self;
  GtkGesture *gesture;
  GtkShortcutController *shortcuts;

  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN (plan), NULL);

  self = g_object_new (TENURE_TYPE_FLOOR_PLAN_EDITOR, NULL);
  self->plan = plan;
  g_object_add_weak_pointer (G_OBJECT (plan), (gpointer *) &self->plan);

  /* Before the map's own pan and click: the editor takes the presses it wants. */
  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  self->drag_gesture = GTK_EVENT_CONTROLLER (gesture);
  gtk_widget_add_controller (GTK_WIDGET (plan), self->drag_gesture);

  self->key_controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (self->key_controller, GTK_PHASE_CAPTURE);
  g_signal_connect (self->key_controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (plan), self->key_controller);

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_set_scope (shortcuts, GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (shortcuts, gtk_shortcut_new (
    gtk_shortcut_trigger_parse_string ("<Control>z"),
    gtk_callback_action_new (undo_shortcut_cb, self, NULL)));
  gtk_shortcut_controller_add_shortcut (shortcuts, gtk_shortcut_new (
    gtk_alternative_trigger_new (gtk_shortcut_trigger_parse_string ("<Control><Shift>z"),
                                 gtk_shortcut_trigger_parse_string ("<Control>y")),
    gtk_callback_action_new (redo_shortcut_cb, self, NULL)));
  self->shortcuts = GTK_EVENT_CONTROLLER (shortcuts);
  gtk_widget_add_controller (GTK_WIDGET (plan), self->shortcuts);

  self->selected_handler = g_signal_connect (plan, "unit-selected",
                                             G_CALLBACK (unit_selected_cb), self);
  return self;
}

void
tenure_floor_plan_editor_set_floor (TenureFloorPlanEditor *self,
                                    TenureDb              *db,
                                    gint64                 floor_id)
{
  g_return_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self));

  g_set_object (&self->db, db);
  self->floor_id = floor_id;
}

static void
update_toolbar (TenureFloorPlanEditor *self)
{
  if (self->toolbar == NULL)
    return;
  gtk_widget_set_visible (self->toolbar, self->active);
  gtk_widget_set_sensitive (self->undo_button, tenure_edit_history_can_undo (self->history));
  gtk_widget_set_sensitive (self->redo_button, tenure_edit_history_can_redo (self->history));
  gtk_widget_set_sensitive (self->save_button, tenure_edit_history_is_dirty (self->history));
  gtk_widget_set_tooltip_text (self->undo_button,
                               tenure_edit_history_get_undo_label (self->history));
  gtk_widget_set_tooltip_text (self->redo_button,
                               tenure_edit_history_get_redo_label (self->history));
}

void
tenure_floor_plan_editor_set_active (TenureFloorPlanEditor *self,
                                     gboolean               active)
{
  g_return_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self));

  active = !!active;
  if (active == self->active || self->plan == NULL)
    return;
  self->active = active;
  self->drag = DRAG_NONE;
  self->selected_vertex = -1;
  g_clear_pointer (&self->drag_orig, tenure_unit_shape_free);
  g_array_set_size (self->draft, 0);
  self->draft_unit = 0;
  g_ptr_array_set_size (self->shapes, 0);
  g_ptr_array_set_size (self->stored, 0);
  tenure_edit_history_clear (self->history);

  if (active)
    {
      /* Work on the stored outlines: the automatic layout is only a placeholder. */
      for (guint i = 0; i < tenure_floor_plan_get_n_units (self->plan); i++)
        {
          TenureUnitInfo *info = tenure_floor_plan_get_unit (self->plan, i);
          TenureUnitShape *shape = tenure_unit_shape_new (info->id, info->code, info->points,
                                                          info->n_points);

          g_ptr_array_add (self->shapes, shape);
          g_ptr_array_add (self->stored, tenure_unit_shape_copy (shape));
          show_shape (self, shape);
        }
      tenure_floor_plan_set_overlay_func (self->plan, overlay_cb, self, NULL);
      set_message (self, _("Select a unit to move or reshape it; pick a unit without an "
                           "outline in the list to draw it"));
    }
  else
    {
      tenure_floor_plan_set_overlay_func (self->plan, NULL, NULL, NULL);
      set_message (self, "");
    }
  update_toolbar (self);
  queue_draw (self);
  if (!active)
    g_signal_emit (self, signals[LEFT], 0);
}

gboolean
tenure_floor_plan_editor_get_active (TenureFloorPlanEditor *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), FALSE);
  return self->active;
}

void
tenure_floor_plan_editor_set_grid (TenureFloorPlanEditor *self,
                                   double                 grid)
{
  g_return_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self));
  self->grid = isfinite (grid) && grid > 0 ? grid : 0;
  queue_draw (self);
}

double
tenure_floor_plan_editor_get_grid (TenureFloorPlanEditor *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), 0);
  return self->grid;
}

TenureEditHistory *
tenure_floor_plan_editor_get_history (TenureFloorPlanEditor *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), NULL);
  return self->history;
}

gboolean
tenure_floor_plan_editor_has_unsaved_changes (TenureFloorPlanEditor *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), FALSE);
  return self->active && tenure_edit_history_is_dirty (self->history);
}

const char *
tenure_floor_plan_editor_get_message (TenureFloorPlanEditor *self)
{
  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), NULL);
  return self->message;
}

const double *
tenure_floor_plan_editor_get_shape (TenureFloorPlanEditor *self,
                                    gint64                 unit_id,
                                    guint                 *n_points)
{
  TenureUnitShape *shape;

  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), NULL);

  shape = find_shape (self->shapes, unit_id);
  *n_points = shape != NULL ? shape->n_points : 0;
  return shape != NULL ? shape->points : NULL;
}

gboolean
tenure_floor_plan_editor_auto_layout (TenureFloorPlanEditor *self,
                                      GError               **error)
{
  g_autoptr(GPtrArray) placed = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autoptr(GPtrArray) laid = NULL;
  g_autofree gint64 *areas = NULL;
  g_autofree double *rects = NULL;
  g_autoptr(GError) local_error = NULL;
  double width, height;

  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), FALSE);

  if (!self->active || self->plan == NULL)
    return FALSE;
  drop_draft (self);
  placed = other_shapes (self, 0);
  for (guint i = 0; i < self->shapes->len; i++)
    {
      TenureUnitShape *shape = g_ptr_array_index (self->shapes, i);
      if (shape->n_points < 3)
        g_ptr_array_add (missing, shape);
    }
  if (missing->len == 0)
    {
      set_message (self, _("Every unit of this floor already has an outline"));
      return TRUE;
    }
  areas = g_new (gint64, missing->len);
  rects = g_new (double, 8 * missing->len);
  for (guint k = 0; k < missing->len; k++)
    {
      TenureUnitShape *shape = g_ptr_array_index (missing, k);
      TenureUnitInfo *info = NULL;

      for (guint i = 0; i < tenure_floor_plan_get_n_units (self->plan) && info == NULL; i++)
        if (tenure_floor_plan_get_unit (self->plan, i)->id == shape->unit_id)
          info = tenure_floor_plan_get_unit (self->plan, i);
      areas[k] = info != NULL && info->leasable_area_c > 0 ? info->leasable_area_c : 1;
    }
  tenure_floor_plan_get_plan_size (self->plan, &width, &height);
  if (!tenure_geometry_auto_layout (width, height, placed, areas, missing->len, rects,
                                    &local_error))
    {
      set_message (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  laid = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_unit_shape_free);
  for (guint k = 0; k < missing->len; k++)
    {
      TenureUnitShape *shape = g_ptr_array_index (missing, k);
      double *r = rects + 8 * k;

      /* What will be stored: coordinates to 0.01. */
      for (guint i = 0; i < 8; i++)
        r[i] = round (r[i] * 100) / 100;
      g_ptr_array_add (laid, tenure_unit_shape_new (shape->unit_id, shape->code, r, 4));
    }
  push_edit (self, C_("layout editor", "Auto layout"), laid);
  {
    g_autofree char *text = g_strdup_printf (ngettext ("Laid out %u unit without an outline",
                                                       "Laid out %u units without an outline",
                                                       missing->len), missing->len);
    set_message (self, text);
  }
  return TRUE;
}

gboolean
tenure_floor_plan_editor_save (TenureFloorPlanEditor *self,
                               GError               **error)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func
                                   ((GDestroyNotify) tenure_unit_shape_free);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), FALSE);

  if (!self->active)
    return TRUE;
  for (guint i = 0; i < self->shapes->len; i++)
    {
      TenureUnitShape *shape = g_ptr_array_index (self->shapes, i);
      TenureUnitShape *stored = find_shape (self->stored, shape->unit_id);

      if (stored == NULL || !same_points (stored, shape->points, shape->n_points))
        g_ptr_array_add (changed, tenure_unit_shape_copy (shape));
    }
  if (changed->len > 0)
    {
      if (self->db == NULL)
        {
          g_set_error_literal (&local_error, TENURE_ERROR, TENURE_ERROR_FAILED,
                               _("No database is open"));
        }
      else
        tenure_geometry_save_shapes (self->db, self->floor_id, changed,
                                     TENURE_FLOOR_PLAN_EDITOR_TOLERANCE, &local_error);
      if (local_error != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("Nothing was saved: %s"),
                                                   local_error->message);
          set_message (self, text);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  g_ptr_array_set_size (self->stored, 0);
  for (guint i = 0; i < self->shapes->len; i++)
    g_ptr_array_add (self->stored, tenure_unit_shape_copy (g_ptr_array_index (self->shapes, i)));
  tenure_edit_history_mark_saved (self->history);
  {
    g_autofree char *text = g_strdup_printf (ngettext ("Saved %u outline",
                                                       "Saved %u outlines", changed->len),
                                             changed->len);
    set_message (self, text);
  }
  return TRUE;
}

static void
leave_response_cb (AdwMessageDialog      *dialog,
                   const char            *response,
                   TenureFloorPlanEditor *self)
{
  if (g_str_equal (response, "save"))
    {
      if (tenure_floor_plan_editor_save (self, NULL))
        tenure_floor_plan_editor_set_active (self, FALSE);
    }
  else if (g_str_equal (response, "discard"))
    tenure_floor_plan_editor_set_active (self, FALSE);
  g_object_unref (self);
}

GtkWidget *
tenure_floor_plan_editor_request_leave (TenureFloorPlanEditor *self,
                                        GtkWindow             *parent)
{
  GtkWidget *dialog;

  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), NULL);

  if (!tenure_floor_plan_editor_has_unsaved_changes (self))
    {
      tenure_floor_plan_editor_set_active (self, FALSE);
      return NULL;
    }
  dialog = adw_message_dialog_new (parent, _("Save Changes to the Floor Plan?"),
                                   _("Leaving the layout editor without saving discards "
                                     "the outlines you changed."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", C_("layout editor", "_Keep Editing"),
                                    "discard", C_("layout editor", "_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (leave_response_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* ---- Toolbar --------------------------------------------------------------------------- */

static void
undo_clicked_cb (GtkButton             *button,
                 TenureFloorPlanEditor *self)
{
  tenure_floor_plan_editor_undo (self);
}

static void
redo_clicked_cb (GtkButton             *button,
                 TenureFloorPlanEditor *self)
{
  tenure_floor_plan_editor_redo (self);
}

static void
auto_layout_clicked_cb (GtkButton             *button,
                        TenureFloorPlanEditor *self)
{
  tenure_floor_plan_editor_auto_layout (self, NULL);
}

static void
save_clicked_cb (GtkButton             *button,
                 TenureFloorPlanEditor *self)
{
  tenure_floor_plan_editor_save (self, NULL);
}

static void
cancel_clicked_cb (GtkButton             *button,
                   TenureFloorPlanEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  tenure_floor_plan_editor_request_leave (self, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
}

static void
grid_changed_cb (GtkSpinButton         *spin,
                 TenureFloorPlanEditor *self)
{
  tenure_floor_plan_editor_set_grid (self, gtk_spin_button_get_value (spin));
}

GtkWidget *
tenure_floor_plan_editor_create_toolbar (TenureFloorPlanEditor *self)
{
  GtkWidget *outer, *box, *linked, *button, *label, *spin, *spacer;

  g_return_val_if_fail (TENURE_IS_FLOOR_PLAN_EDITOR (self), NULL);

  /* The buttons on one row, the hint or refusal under them (it may be long). */
  outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_name (outer, "layout-editor-toolbar");
  gtk_widget_set_margin_start (outer, 12);
  gtk_widget_set_margin_end (outer, 12);
  gtk_widget_set_margin_top (outer, 6);
  gtk_widget_set_margin_bottom (outer, 6);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (outer), box);

  linked = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (linked, "linked");
  self->undo_button = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->undo_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, C_("layout editor", "Undo"), -1);
  g_signal_connect (self->undo_button, "clicked", G_CALLBACK (undo_clicked_cb), self);
  gtk_box_append (GTK_BOX (linked), self->undo_button);
  self->redo_button = gtk_button_new_from_icon_name ("edit-redo-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->redo_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, C_("layout editor", "Redo"), -1);
  g_signal_connect (self->redo_button, "clicked", G_CALLBACK (redo_clicked_cb), self);
  gtk_box_append (GTK_BOX (linked), self->redo_button);
  gtk_box_append (GTK_BOX (box), linked);

  button = gtk_button_new_with_mnemonic (C_("layout editor", "_Auto Layout"));
  gtk_widget_set_tooltip_text (button, _("Place every unit without an outline in the free "
                                         "part of the floor, sized by its leasable area"));
  g_signal_connect (button, "clicked", G_CALLBACK (auto_layout_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), button);

  label = gtk_label_new_with_mnemonic (C_("layout editor", "_Grid"));
  gtk_box_append (GTK_BOX (box), label);
  spin = gtk_spin_button_new_with_range (0, 100, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), self->grid);
  gtk_widget_set_tooltip_text (spin, _("Snapping grid in plan units (0: off)"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  g_signal_connect (spin, "value-changed", G_CALLBACK (grid_changed_cb), self);
  gtk_box_append (GTK_BOX (box), spin);

  spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_box_append (GTK_BOX (box), spacer);

  button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect (button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), button);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect (self->save_button, "clicked", G_CALLBACK (save_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), self->save_button);

  self->message_label = gtk_label_new (self->message);
  gtk_label_set_xalign (GTK_LABEL (self->message_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->message_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->message_label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (self->message_label, "caption");
  gtk_widget_set_visible (self->message_label, *self->message != '\0');
  gtk_box_append (GTK_BOX (outer), self->message_label);

  self->toolbar = outer;
  g_object_add_weak_pointer (G_OBJECT (outer), (gpointer *) &self->toolbar);
  g_object_add_weak_pointer (G_OBJECT (self->undo_button), (gpointer *) &self->undo_button);
  g_object_add_weak_pointer (G_OBJECT (self->redo_button), (gpointer *) &self->redo_button);
  g_object_add_weak_pointer (G_OBJECT (self->save_button), (gpointer *) &self->save_button);
  g_object_add_weak_pointer (G_OBJECT (self->message_label), (gpointer *) &self->message_label);
  update_toolbar (self);
  return outer;
}

/* ---- GObject --------------------------------------------------------------------------- */

static void
history_changed_cb (TenureEditHistory     *history,
                    TenureFloorPlanEditor *self)
{
  update_toolbar (self);
}

static void
drop_weak (GtkWidget **widget)
{
  if (*widget != NULL)
    g_object_remove_weak_pointer (G_OBJECT (*widget), (gpointer *) widget);
  *widget = NULL;
}

static void
tenure_floor_plan_editor_dispose (GObject *object)
{
  TenureFloorPlanEditor *self = TENURE_FLOOR_PLAN_EDITOR (object);

  if (self->plan != NULL)
    {
      g_clear_signal_handler (&self->selected_handler, self->plan);
      if (self->active)
        tenure_floor_plan_set_overlay_func (self->plan, NULL, NULL, NULL);
      gtk_widget_remove_controller (GTK_WIDGET (self->plan), self->drag_gesture);
      gtk_widget_remove_controller (GTK_WIDGET (self->plan), self->key_controller);
      gtk_widget_remove_controller (GTK_WIDGET (self->plan), self->shortcuts);
      g_object_remove_weak_pointer (G_OBJECT (self->plan), (gpointer *) &self->plan);
      self->plan = NULL;
    }
  drop_weak (&self->toolbar);
  drop_weak (&self->undo_button);
  drop_weak (&self->redo_button);
  drop_weak (&self->save_button);
  drop_weak (&self->message_label);
  g_clear_object (&self->db);
  G_OBJECT_CLASS (tenure_floor_plan_editor_parent_class)->dispose (object);
}

static void
tenure_floor_plan_editor_finalize (GObject *object)
{
  TenureFloorPlanEditor *self = TENURE_FLOOR_PLAN_EDITOR (object);

  g_clear_pointer (&self->shapes, g_ptr_array_unref);
  g_clear_pointer (&self->stored, g_ptr_array_unref);
  g_clear_object (&self->history);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->drag_orig, tenure_unit_shape_free);
  g_clear_pointer (&self->draft, g_array_unref);
  G_OBJECT_CLASS (tenure_floor_plan_editor_parent_class)->finalize (object);
}

static void
tenure_floor_plan_editor_class_init (TenureFloorPlanEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tenure_floor_plan_editor_dispose;
  object_class->finalize = tenure_floor_plan_editor_finalize;

  /* The hint or refusal shown to the user changed (a translated string, "" when none). */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Edit mode ended (saved, discarded or nothing changed): the map should be reloaded. */
  signals[LEFT] = g_signal_new ("left", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tenure_floor_plan_editor_init (TenureFloorPlanEditor *self)
{
  self->grid = 10;
  self->selected_vertex = -1;
  self->message = g_strdup ("");
  self->shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_unit_shape_free);
  self->stored = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_unit_shape_free);
  self->draft = g_array_new (FALSE, FALSE, sizeof (double));
  self->history = tenure_edit_history_new (apply_edit, self);
  g_signal_connect (self->history, "changed", G_CALLBACK (history_changed_cb), self);
}
