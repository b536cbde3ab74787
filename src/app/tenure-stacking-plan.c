/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-stacking-plan"

#include "tenure-stacking-plan.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tenure-unit-colours.h"

#define MARGIN       8.0
#define NAME_WIDTH   64.0   /* the floor-name column */
#define ROW_GAP      4.0
#define LABEL_PAD    3.0
/* A label shows only where at least a few characters fit. */
#define MIN_LABEL_W  24.0
#define BLOCK_LINE   ((GdkRGBA) { 0.25, 0.25, 0.25, 1.0 })

typedef struct
{
  TenureUnitInfo *info;
  guint           floor;       /* row index, 0 = top */
  gint64          area_start;  /* Σ leasable area of the blocks left of it, centi-m² */
  guint           colour;
  gboolean        highlighted;
  PangoLayout    *layout;      /* cached label; re-wrapped only when the width changes */
  int             layout_width;
} Block;

typedef struct
{
  char   *name;
  guint   first;               /* index of its first block */
  guint   n_blocks;
  PangoLayout *layout;
} Floor;

struct _TenureStackingPlan
{
  GtkWidget            parent_instance;

  GArray              *blocks;         /* Block */
  GArray              *floors;         /* Floor */
  gint64               max_area;       /* the largest floor's leasable area, centi-m² */
  TenureFloorPlanMode  mode;
  GPtrArray           *legend;
  GArray              *palette;

  int                  selected;       /* index into blocks, -1 */
  int                  hover;
  char                *description;
  guint                n_highlighted;

  GskRenderNode       *node;           /* the cached drawing */
  int                  node_width;
  guint                n_node_builds;
};

G_DEFINE_FINAL_TYPE (TenureStackingPlan, tenure_stacking_plan, GTK_TYPE_WIDGET)

enum {
  UNIT_SELECTED,
  LEGEND_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
block_clear (gpointer data)
{
  Block *block = data;

  g_clear_object (&block->info);
  g_clear_object (&block->layout);
}

static void
floor_clear (gpointer data)
{
  Floor *floor = data;

  g_clear_pointer (&floor->name, g_free);
  g_clear_object (&floor->layout);
}

/* ---- Geometry ------------------------------------------------------------------------- */

static double
row_width (TenureStackingPlan *self)
{
  return MAX (gtk_widget_get_width (GTK_WIDGET (self)) - 2 * MARGIN - NAME_WIDTH, 1.0);
}

static double
area_x (TenureStackingPlan *self,
        gint64              area)
{
  if (self->max_area <= 0)
    return MARGIN + NAME_WIDTH;
  return MARGIN + NAME_WIDTH + round ((double) area * row_width (self) / self->max_area);
}

/* The block's rectangle in widget coordinates: edges on whole pixels, so neighbours share
 * their edge and every width is its area's share within a pixel. */
static graphene_rect_t
block_rect (TenureStackingPlan *self,
            const Block        *block)
{
  double x0 = area_x (self, block->area_start);
  double x1 = area_x (self, block->area_start + MAX (block->info->leasable_area_c, 0));
  double y0 = MARGIN + block->floor * TENURE_STACKING_PLAN_ROW_HEIGHT;

  return GRAPHENE_RECT_INIT (x0, y0, x1 - x0, TENURE_STACKING_PLAN_ROW_HEIGHT - ROW_GAP);
}

static int
block_index_at (TenureStackingPlan *self,
                double              x,
                double              y)
{
  double row;
  const Floor *level;

  if (self->floors->len == 0 || y < MARGIN)
    return -1;
  row = floor ((y - MARGIN) / TENURE_STACKING_PLAN_ROW_HEIGHT);
  if (row >= self->floors->len)
    return -1;
  level = &g_array_index (self->floors, Floor, (guint) row);
  for (guint i = level->first; i < level->first + level->n_blocks; i++)
    {
      graphene_rect_t rect = block_rect (self, &g_array_index (self->blocks, Block, i));

      if (rect.size.width > 0 && x >= rect.origin.x && x < rect.origin.x + rect.size.width
          && y >= rect.origin.y && y < rect.origin.y + rect.size.height)
        return (int) i;
    }
  return -1;
}

/* ---- Colours -------------------------------------------------------------------------- */

static void
invalidate_node (TenureStackingPlan *self)
{
  g_clear_pointer (&self->node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
classify (TenureStackingPlan *self)
{
  guint n = self->blocks->len;
  g_autofree TenureUnitInfo **infos = g_new (TenureUnitInfo *, MAX (n, 1));
  g_autofree guint *classes = g_new (guint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    infos[i] = g_array_index (self->blocks, Block, i).info;
  tenure_unit_colours_classify (self->mode, infos, n, classes, self->palette, self->legend);
  for (guint i = 0; i < n; i++)
    g_array_index (self->blocks, Block, i).colour = classes[i];
  g_signal_emit (self, signals[LEGEND_CHANGED], 0);
}

/* ---- Drawing -------------------------------------------------------------------------- */

static PangoLayout *
block_layout (TenureStackingPlan *self,
              Block              *block,
              int                 width)
{
  if (block->layout == NULL)
    {
      TenureUnitInfo *info = block->info;
      PangoAttrList *attrs = pango_attr_list_new ();
      g_autofree char *text = NULL;

      block->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
      pango_attr_list_insert (attrs, pango_attr_scale_new (0.75));
      pango_layout_set_attributes (block->layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_set_alignment (block->layout, PANGO_ALIGN_CENTER);
      pango_layout_set_ellipsize (block->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_height (block->layout, -1);
      text = g_strdup_printf ("%s\n%s", info->name,
                              info->tenant_short_name != NULL
                              ? info->tenant_short_name
                              : tenure_unit_status_label (info->status));
      pango_layout_set_text (block->layout, text, -1);
      block->layout_width = -1;
    }
  if (block->layout_width != width)
    {
      pango_layout_set_width (block->layout, width * PANGO_SCALE);
      block->layout_width = width;
    }
  return block->layout;
}

static GskRenderNode *
build_node (TenureStackingPlan *self)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  GdkRGBA text_colour = { 0.12, 0.12, 0.12, 1.0 };
  GdkRGBA name_colour = { 0.3, 0.3, 0.3, 1.0 };
  double row_right = MARGIN + NAME_WIDTH + row_width (self);

  self->n_node_builds++;
  for (guint f = 0; f < self->floors->len; f++)
    {
      Floor *floor = &g_array_index (self->floors, Floor, f);
      double y0 = MARGIN + f * TENURE_STACKING_PLAN_ROW_HEIGHT;
      double h = TENURE_STACKING_PLAN_ROW_HEIGHT - ROW_GAP;
      int lw, lh;

      /* The row's full width in a faint tone: how much smaller this floor is. */
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.5, 0.5, 0.5, 0.08 },
                                 &GRAPHENE_RECT_INIT (MARGIN + NAME_WIDTH, y0,
                                                      row_right - MARGIN - NAME_WIDTH, h));
      if (floor->layout == NULL)
        {
          floor->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), floor->name);
          pango_layout_set_ellipsize (floor->layout, PANGO_ELLIPSIZE_END);
          pango_layout_set_width (floor->layout, (int) (NAME_WIDTH - 8) * PANGO_SCALE);
        }
      pango_layout_get_pixel_size (floor->layout, &lw, &lh);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (MARGIN, round (y0 + (h - lh) / 2)));
      gtk_snapshot_append_layout (snapshot, floor->layout, &name_colour);
      gtk_snapshot_restore (snapshot);
    }

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = &g_array_index (self->blocks, Block, i);
      const GdkRGBA *fill = &g_array_index (self->palette, GdkRGBA, block->colour);
      graphene_rect_t rect = block_rect (self, block);
      graphene_rect_t inner;

      if (rect.size.width <= 0)
        continue;
      /* The outline colour under the fill inset by a pixel (two colour nodes). */
      gtk_snapshot_append_color (snapshot, &BLOCK_LINE, &rect);
      if (rect.size.width > 2)
        {
          graphene_rect_inset_r (&rect, 1, 1, &inner);
          gtk_snapshot_append_color (snapshot, fill, &inner);
        }
      if (rect.size.width - 2 * LABEL_PAD >= MIN_LABEL_W)
        {
          int w = (int) (rect.size.width - 2 * LABEL_PAD);
          PangoLayout *layout = block_layout (self, block, w);
          int lw, lh;

          pango_layout_get_pixel_size (layout, &lw, &lh);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_push_clip (snapshot, &inner);
          gtk_snapshot_translate (snapshot,
                                  &GRAPHENE_POINT_INIT (rect.origin.x + LABEL_PAD,
                                                        round (rect.origin.y
                                                               + (rect.size.height - lh) / 2)));
          gtk_snapshot_append_layout (snapshot, layout, &text_colour);
          gtk_snapshot_pop (snapshot);
          gtk_snapshot_restore (snapshot);
        }
    }
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
append_outline (GtkSnapshot        *snapshot,
                TenureStackingPlan *self,
                int                 index,
                const GdkRGBA      *colour,
                float               width)
{
  graphene_rect_t rect = block_rect (self, &g_array_index (self->blocks, Block, index));
  GskRoundedRect outline;

  graphene_rect_inset (&rect, -width + 1, -width + 1);
  gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
  gtk_snapshot_append_border (snapshot, &outline, (float[4]) { width, width, width, width },
                              (GdkRGBA[4]) { *colour, *colour, *colour, *colour });
}

static void
tenure_stacking_plan_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  TenureStackingPlan *self = TENURE_STACKING_PLAN (widget);
  int width = gtk_widget_get_width (widget);
  GdkRGBA highlight = { 0.85, 0.15, 0.1, 1.0 };

  if (self->blocks->len == 0 && self->floors->len == 0)
    return;
  if (self->node == NULL || self->node_width != width)
    {
      g_clear_pointer (&self->node, gsk_render_node_unref);
      self->node = build_node (self);
      self->node_width = width;
    }
  gtk_snapshot_append_node (snapshot, self->node);
  if (self->n_highlighted > 0)
    for (guint i = 0; i < self->blocks->len; i++)
      if (g_array_index (self->blocks, Block, i).highlighted)
        append_outline (snapshot, self, (int) i, &highlight, 2);
  if (self->hover >= 0 && self->hover != self->selected)
    append_outline (snapshot, self, self->hover, &(GdkRGBA) { 0.2, 0.2, 0.2, 0.8 }, 2);
  if (self->selected >= 0)
    append_outline (snapshot, self, self->selected, &(GdkRGBA) { 0.11, 0.44, 0.85, 1.0 }, 3);
}

static void
tenure_stacking_plan_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  TenureStackingPlan *self = TENURE_STACKING_PLAN (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 720;
    }
  else
    *minimum = *natural = (int) (2 * MARGIN)
                          + (int) self->floors->len * TENURE_STACKING_PLAN_ROW_HEIGHT;
}

/* ---- Selection ------------------------------------------------------------------------ */

static void
set_selected_index (TenureStackingPlan *self,
                    int                 index)
{
  if (index == self->selected)
    return;
  self->selected = index;
  g_clear_pointer (&self->description, g_free);
  if (index >= 0)
    {
      const Block *block = &g_array_index (self->blocks, Block, index);
      TenureUnitInfo *info = block->info;
      const char *floor = g_array_index (self->floors, Floor, block->floor).name;
      g_autofree char *area = tenure_portfolio_format_area_c (info->leasable_area_c);

      if (info->tenant_short_name != NULL)
        /* TRANSLATORS: stacking plan selection: unit code, floor, status, tenant, area */
        self->description = g_strdup_printf (_("Selected unit %s on %s: %s, %s, %s m²"),
                                             info->code, floor,
                                             tenure_unit_status_label (info->status),
                                             info->tenant_short_name, area);
      else
        /* TRANSLATORS: stacking plan selection: unit code, floor, status, area */
        self->description = g_strdup_printf (_("Selected unit %s on %s: %s, %s m²"),
                                             info->code, floor,
                                             tenure_unit_status_label (info->status), area);
    }
  else
    self->description = g_strdup (_("No unit selected"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[UNIT_SELECTED], 0,
                 index >= 0 ? g_array_index (self->blocks, Block, index).info : NULL);
}

gboolean
tenure_stacking_plan_select_unit (TenureStackingPlan *self,
                                  gint64              unit_id)
{
  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), FALSE);

  if (unit_id == 0)
    {
      set_selected_index (self, -1);
      return TRUE;
    }
  for (guint i = 0; i < self->blocks->len; i++)
    if (g_array_index (self->blocks, Block, i).info->id == unit_id)
      {
        set_selected_index (self, (int) i);
        return TRUE;
      }
  return FALSE;
}

TenureUnitInfo *
tenure_stacking_plan_get_selected (TenureStackingPlan *self)
{
  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), NULL);

  return self->selected >= 0 ? g_array_index (self->blocks, Block, self->selected).info : NULL;
}

gboolean
tenure_stacking_plan_move_selection (TenureStackingPlan *self,
                                     GtkDirectionType    direction)
{
  const Block *from;
  const Floor *floor;
  int target = -1;

  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), FALSE);

  if (self->blocks->len == 0)
    return FALSE;
  if (self->selected < 0)
    {
      set_selected_index (self, 0);
      return TRUE;
    }
  from = &g_array_index (self->blocks, Block, self->selected);
  floor = &g_array_index (self->floors, Floor, from->floor);
  switch (direction)
    {
    case GTK_DIR_LEFT:
      if ((guint) self->selected > floor->first)
        target = self->selected - 1;
      break;
    case GTK_DIR_RIGHT:
      if ((guint) self->selected + 1 < floor->first + floor->n_blocks)
        target = self->selected + 1;
      break;
    case GTK_DIR_UP:
    case GTK_DIR_DOWN:
      {
        /* The block of the next non-empty floor that way overlapping this one most (by
         * area position: the same horizontal stretch of the row). */
        gint64 a0 = from->area_start, a1 = from->area_start + from->info->leasable_area_c;
        int step = direction == GTK_DIR_UP ? -1 : 1;
        gint64 best = -1;

        for (int f = (int) from->floor + step; f >= 0 && f < (int) self->floors->len && target < 0;
             f += step)
          {
            const Floor *other = &g_array_index (self->floors, Floor, f);

            for (guint i = other->first; i < other->first + other->n_blocks; i++)
              {
                const Block *to = &g_array_index (self->blocks, Block, i);
                gint64 b0 = to->area_start, b1 = to->area_start + to->info->leasable_area_c;
                gint64 overlap = MIN (a1, b1) - MAX (a0, b0);

                /* No overlap: rank by distance instead (negative). */
                if (overlap <= 0)
                  overlap = -(MAX (a0, b0) - MIN (a1, b1)) - 1;
                if (target < 0 || overlap > best)
                  {
                    best = overlap;
                    target = (int) i;
                  }
              }
          }
      }
      break;
    case GTK_DIR_TAB_FORWARD:
    case GTK_DIR_TAB_BACKWARD:
    default:
      break;
    }
  if (target < 0)
    return FALSE;
  set_selected_index (self, target);
  return TRUE;
}

const char *
tenure_stacking_plan_get_description (TenureStackingPlan *self)
{
  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), NULL);
  return self->description;
}

TenureUnitInfo *
tenure_stacking_plan_unit_at (TenureStackingPlan *self,
                              double              x,
                              double              y)
{
  int index;

  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), NULL);
  index = block_index_at (self, x, y);
  return index >= 0 ? g_array_index (self->blocks, Block, index).info : NULL;
}

gboolean
tenure_stacking_plan_get_unit_rect (TenureStackingPlan *self,
                                    gint64              unit_id,
                                    graphene_rect_t    *rect)
{
  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), FALSE);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);

      if (block->info->id == unit_id)
        {
          *rect = block_rect (self, block);
          return TRUE;
        }
    }
  return FALSE;
}

double
tenure_stacking_plan_get_row_width (TenureStackingPlan *self)
{
  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), 0);
  return row_width (self);
}

void
tenure_stacking_plan_click (TenureStackingPlan *self,
                            double              x,
                            double              y)
{
  g_return_if_fail (TENURE_IS_STACKING_PLAN (self));
  set_selected_index (self, block_index_at (self, x, y));
}

guint
tenure_stacking_plan_highlight_month (TenureStackingPlan *self,
                                      TenureDate          month)
{
  gboolean valid = tenure_date_is_valid (month);

  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), 0);

  self->n_highlighted = 0;
  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = &g_array_index (self->blocks, Block, i);
      TenureUnitInfo *info = block->info;

      block->highlighted = valid && info->contract_id != 0
                           && tenure_date_is_valid (info->contract_end)
                           && tenure_date_get_year (info->contract_end)
                              == tenure_date_get_year (month)
                           && tenure_date_get_month (info->contract_end)
                              == tenure_date_get_month (month);
      self->n_highlighted += block->highlighted;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return self->n_highlighted;
}

gboolean
tenure_stacking_plan_is_highlighted (TenureStackingPlan *self,
                                     gint64              unit_id)
{
  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), FALSE);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);
      if (block->info->id == unit_id)
        return block->highlighted;
    }
  return FALSE;
}

/* ---- Data ----------------------------------------------------------------------------- */

void
tenure_stacking_plan_set_floors (TenureStackingPlan *self,
                                 guint               n_floors,
                                 const char *const  *floor_names,
                                 GListModel *const  *floor_units)
{
  g_return_if_fail (TENURE_IS_STACKING_PLAN (self));

  self->selected = -1;
  self->hover = -1;
  self->n_highlighted = 0;
  self->max_area = 0;
  g_array_set_size (self->blocks, 0);
  g_array_set_size (self->floors, 0);
  for (guint f = 0; f < n_floors; f++)
    {
      Floor floor = { g_strdup (floor_names[f]), self->blocks->len, 0, NULL };
      guint n = floor_units[f] != NULL ? g_list_model_get_n_items (floor_units[f]) : 0;
      gint64 area = 0;

      for (guint i = 0; i < n; i++)
        {
          Block block = { 0 };

          block.info = g_list_model_get_item (floor_units[f], i);
          block.floor = f;
          block.area_start = area;
          area += MAX (block.info->leasable_area_c, 0);
          g_array_append_val (self->blocks, block);
        }
      floor.n_blocks = n;
      self->max_area = MAX (self->max_area, area);
      g_array_append_val (self->floors, floor);
    }
  g_clear_pointer (&self->description, g_free);
  self->description = g_strdup (_("No unit selected"));
  classify (self);
  invalidate_node (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
tenure_stacking_plan_set_mode (TenureStackingPlan  *self,
                               TenureFloorPlanMode  mode)
{
  g_return_if_fail (TENURE_IS_STACKING_PLAN (self));
  g_return_if_fail (mode < TENURE_FLOOR_PLAN_N_MODES);

  if (mode == self->mode)
    return;
  self->mode = mode;
  classify (self);
  invalidate_node (self);
}

TenureFloorPlanMode
tenure_stacking_plan_get_mode (TenureStackingPlan *self)
{
  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), TENURE_FLOOR_PLAN_MODE_STATUS);
  return self->mode;
}

GPtrArray *
tenure_stacking_plan_get_legend (TenureStackingPlan *self)
{
  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), NULL);
  return self->legend;
}

const char *
tenure_stacking_plan_get_legend_title (TenureStackingPlan *self)
{
  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), NULL);

  switch (self->mode)
    {
    case TENURE_FLOOR_PLAN_MODE_EXPIRY_YEAR:
      return _("Year the current lease ends");
    case TENURE_FLOOR_PLAN_MODE_RENT_BAND:
      return _("Rent per m² per month (yuan), fifths of this building");
    case TENURE_FLOOR_PLAN_MODE_STATUS:
    case TENURE_FLOOR_PLAN_N_MODES:
    default:
      return _("Status");
    }
}

guint
tenure_stacking_plan_get_n_node_builds (TenureStackingPlan *self)
{
  g_return_val_if_fail (TENURE_IS_STACKING_PLAN (self), 0);
  return self->n_node_builds;
}

/* ---- Events --------------------------------------------------------------------------- */

static void
click_released_cb (GtkGestureClick    *gesture,
                   int                 n_press,
                   double              x,
                   double              y,
                   TenureStackingPlan *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  tenure_stacking_plan_click (self, x, y);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           TenureStackingPlan       *self)
{
  int hover = block_index_at (self, x, y);

  if (hover != self->hover)
    {
      self->hover = hover;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
leave_cb (GtkEventControllerMotion *controller,
          TenureStackingPlan       *self)
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
                TenureStackingPlan    *self)
{
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      tenure_stacking_plan_move_selection (self, GTK_DIR_LEFT);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      tenure_stacking_plan_move_selection (self, GTK_DIR_RIGHT);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      tenure_stacking_plan_move_selection (self, GTK_DIR_UP);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      tenure_stacking_plan_move_selection (self, GTK_DIR_DOWN);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
query_tooltip_cb (GtkWidget          *widget,
                  int                 x,
                  int                 y,
                  gboolean            keyboard,
                  GtkTooltip         *tooltip,
                  TenureStackingPlan *self)
{
  TenureUnitInfo *info = keyboard ? tenure_stacking_plan_get_selected (self)
                                  : tenure_stacking_plan_unit_at (self, x, y);
  g_autofree char *area = NULL;
  g_autofree char *text = NULL;

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
  tenure_stacking_plan_click (TENURE_STACKING_PLAN (widget), x, y);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
tenure_stacking_plan_finalize (GObject *object)
{
  TenureStackingPlan *self = TENURE_STACKING_PLAN (object);

  g_clear_pointer (&self->blocks, g_array_unref);
  g_clear_pointer (&self->floors, g_array_unref);
  g_clear_pointer (&self->legend, g_ptr_array_unref);
  g_clear_pointer (&self->palette, g_array_unref);
  g_clear_pointer (&self->node, gsk_render_node_unref);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (tenure_stacking_plan_parent_class)->finalize (object);
}

static void
tenure_stacking_plan_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  TenureStackingPlan *self = TENURE_STACKING_PLAN (widget);

  /* Block widths follow the width; snapshot sees the change and rebuilds. */
  if (self->node != NULL && self->node_width != width)
    gtk_widget_queue_draw (widget);
}

static void
tenure_stacking_plan_class_init (TenureStackingPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tenure_stacking_plan_finalize;
  widget_class->snapshot = tenure_stacking_plan_snapshot;
  widget_class->measure = tenure_stacking_plan_measure;
  widget_class->size_allocate = tenure_stacking_plan_size_allocate;

  /**
   * TenureStackingPlan::unit-selected:
   * @unit: (nullable): the selected TenureUnitInfo, NULL when the selection was cleared
   */
  signals[UNIT_SELECTED] =
    g_signal_new ("unit-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, TENURE_TYPE_UNIT_INFO);
  signals[LEGEND_CHANGED] =
    g_signal_new ("legend-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "stacking-plan.select-at", "(dd)",
                                   select_at_action);
  gtk_widget_class_set_css_name (widget_class, "stackingplan");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tenure_stacking_plan_init (TenureStackingPlan *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click;
  GtkEventController *motion, *key;

  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, block_clear);
  self->floors = g_array_new (FALSE, TRUE, sizeof (Floor));
  g_array_set_clear_func (self->floors, floor_clear);
  self->legend = g_ptr_array_new_with_free_func (tenure_unit_colours_legend_entry_free);
  self->palette = g_array_new (FALSE, FALSE, sizeof (GdkRGBA));
  self->selected = -1;
  self->hover = -1;
  self->description = g_strdup (_("No unit selected"));

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (widget, motion);
  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (widget, key);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Stacking plan"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

GtkWidget *
tenure_stacking_plan_new (void)
{
  return g_object_new (TENURE_TYPE_STACKING_PLAN, NULL);
}
