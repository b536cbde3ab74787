/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-expiry-strip"

#include "tenure-expiry-strip.h"

#include <glib/gi18n.h>
#include <math.h>

#include "portfolio/tenure-portfolio.h"

#define MARGIN      8.0
#define NAME_WIDTH  64.0   /* lines up with the stacking plan's floor-name column */
#define LABEL_H     16.0   /* month labels under the bars */
#define BAR_GAP     2.0

struct _TenureExpiryStrip
{
  GtkWidget   parent_instance;

  GArray     *area_c;   /* gint64 */
  GArray     *months;   /* TenureDate */
  gint64      max_area;
  int         selected;
  int         hover;
};

G_DEFINE_FINAL_TYPE (TenureExpiryStrip, tenure_expiry_strip, GTK_TYPE_WIDGET)

enum {
  MONTH_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

graphene_rect_t
tenure_expiry_strip_get_bar_rect (TenureExpiryStrip *self,
                                  guint              k)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self)) - 2 * MARGIN - NAME_WIDTH;
  double height = gtk_widget_get_height (GTK_WIDGET (self)) - 2 * MARGIN - LABEL_H;
  guint n = MAX (self->area_c->len, 1);
  double x0 = MARGIN + NAME_WIDTH + round (MAX (width, 0) * k / n);
  double x1 = MARGIN + NAME_WIDTH + round (MAX (width, 0) * (k + 1) / n);

  return GRAPHENE_RECT_INIT (x0, MARGIN, x1 - x0, MAX (height, 0));
}

int
tenure_expiry_strip_bar_at (TenureExpiryStrip *self,
                            double             x,
                            double             y)
{
  g_return_val_if_fail (TENURE_IS_EXPIRY_STRIP (self), -1);

  for (guint k = 0; k < self->area_c->len; k++)
    {
      graphene_rect_t rect = tenure_expiry_strip_get_bar_rect (self, k);

      /* The column and the month label under it. */
      if (x >= rect.origin.x && x < rect.origin.x + rect.size.width
          && y >= rect.origin.y && y < rect.origin.y + rect.size.height + LABEL_H)
        return (int) k;
    }
  return -1;
}

static void
tenure_expiry_strip_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  TenureExpiryStrip *self = TENURE_EXPIRY_STRIP (widget);
  GdkRGBA bar = { 0.95, 0.62, 0.27, 1.0 };
  GdkRGBA selected = { 0.85, 0.15, 0.1, 1.0 };
  GdkRGBA base = { 0.5, 0.5, 0.5, 0.5 };
  GdkRGBA text = { 0.3, 0.3, 0.3, 1.0 };
  g_autoptr(PangoLayout) title = NULL;
  double label_end = 0;   /* right edge of the last month label drawn */
  int tw, th;

  if (self->area_c->len == 0)
    return;
  title = gtk_widget_create_pango_layout (widget, _("Expiring m²"));
  pango_layout_set_width (title, (int) (NAME_WIDTH - 6) * PANGO_SCALE);
  pango_layout_set_wrap (title, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_pixel_size (title, &tw, &th);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (MARGIN, MARGIN));
  gtk_snapshot_append_layout (snapshot, title, &text);
  gtk_snapshot_restore (snapshot);

  for (guint k = 0; k < self->area_c->len; k++)
    {
      graphene_rect_t col = tenure_expiry_strip_get_bar_rect (self, k);
      gint64 area = g_array_index (self->area_c, gint64, k);
      TenureDate month = g_array_index (self->months, TenureDate, k);
      double h = self->max_area > 0 ? round (col.size.height * area / self->max_area) : 0;

      if ((int) k == self->hover)
        gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.5, 0.5, 0.5, 0.12 }, &col);
      if (h > 0)
        gtk_snapshot_append_color (snapshot, (int) k == self->selected ? &selected : &bar,
                                   &GRAPHENE_RECT_INIT (col.origin.x + BAR_GAP / 2,
                                                        col.origin.y + col.size.height - h,
                                                        MAX (col.size.width - BAR_GAP, 1), h));
      /* Month numbers under the bars; the year where it starts (January and the first). */
      if (tenure_date_is_valid (month))
        {
          g_autofree char *label = NULL;
          g_autoptr(PangoLayout) layout = NULL;
          PangoAttrList *attrs = pango_attr_list_new ();
          int lw, lh;

          if (k == 0 || tenure_date_get_month (month) == 1)
            label = g_strdup_printf ("%d/%02d", tenure_date_get_year (month) % 100,
                                     tenure_date_get_month (month));
          else
            label = g_strdup_printf ("%d", tenure_date_get_month (month));
          layout = gtk_widget_create_pango_layout (widget, label);
          pango_attr_list_insert (attrs, pango_attr_scale_new (0.7));
          pango_layout_set_attributes (layout, attrs);
          pango_attr_list_unref (attrs);
          pango_layout_get_pixel_size (layout, &lw, &lh);
          /* Labels that would run into the previous one are left out. */
          if (round (col.origin.x + (col.size.width - lw) / 2) >= label_end + 3)
            {
              label_end = round (col.origin.x + (col.size.width - lw) / 2) + lw;
              gtk_snapshot_save (snapshot);
              gtk_snapshot_translate (snapshot,
                                      &GRAPHENE_POINT_INIT (round (col.origin.x
                                                                   + (col.size.width - lw) / 2),
                                                            col.origin.y + col.size.height + 1));
              gtk_snapshot_append_layout (snapshot, layout, &text);
              gtk_snapshot_restore (snapshot);
            }
        }
    }
  {
    graphene_rect_t first = tenure_expiry_strip_get_bar_rect (self, 0);
    graphene_rect_t last = tenure_expiry_strip_get_bar_rect (self, self->area_c->len - 1);

    gtk_snapshot_append_color (snapshot, &base,
                               &GRAPHENE_RECT_INIT (first.origin.x,
                                                    first.origin.y + first.size.height,
                                                    last.origin.x + last.size.width
                                                    - first.origin.x, 1));
  }
}

static void
tenure_expiry_strip_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 720;
    }
  else
    {
      *minimum = 72;
      *natural = 96;
    }
}

void
tenure_expiry_strip_set_months (TenureExpiryStrip *self,
                                guint              n_months,
                                const gint64      *area_c,
                                const TenureDate  *months)
{
  g_return_if_fail (TENURE_IS_EXPIRY_STRIP (self));

  g_array_set_size (self->area_c, 0);
  g_array_set_size (self->months, 0);
  self->max_area = 0;
  if (n_months > 0)
    {
      g_array_append_vals (self->area_c, area_c, n_months);
      g_array_append_vals (self->months, months, n_months);
      for (guint k = 0; k < n_months; k++)
        self->max_area = MAX (self->max_area, area_c[k]);
    }
  self->selected = -1;
  self->hover = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tenure_expiry_strip_get_n_months (TenureExpiryStrip *self)
{
  g_return_val_if_fail (TENURE_IS_EXPIRY_STRIP (self), 0);
  return self->area_c->len;
}

gint64
tenure_expiry_strip_get_area_c (TenureExpiryStrip *self,
                                guint              k)
{
  g_return_val_if_fail (TENURE_IS_EXPIRY_STRIP (self), 0);
  g_return_val_if_fail (k < self->area_c->len, 0);
  return g_array_index (self->area_c, gint64, k);
}

TenureDate
tenure_expiry_strip_get_month (TenureExpiryStrip *self,
                               guint              k)
{
  g_return_val_if_fail (TENURE_IS_EXPIRY_STRIP (self), TENURE_DATE_INVALID);
  g_return_val_if_fail (k < self->months->len, TENURE_DATE_INVALID);
  return g_array_index (self->months, TenureDate, k);
}

char *
tenure_expiry_strip_describe_bar (TenureExpiryStrip *self,
                                  guint              k)
{
  TenureDate month;
  g_autofree char *area = NULL;

  g_return_val_if_fail (TENURE_IS_EXPIRY_STRIP (self), NULL);
  g_return_val_if_fail (k < self->area_c->len, NULL);

  month = g_array_index (self->months, TenureDate, k);
  area = tenure_portfolio_format_area_c (g_array_index (self->area_c, gint64, k));
  /* TRANSLATORS: expiry strip tooltip: year, month, leased area whose lease ends then */
  return g_strdup_printf (_("%d-%02d: %s m² expiring"), tenure_date_get_year (month),
                          tenure_date_get_month (month), area);
}

void
tenure_expiry_strip_select_month (TenureExpiryStrip *self,
                                  int                k)
{
  g_return_if_fail (TENURE_IS_EXPIRY_STRIP (self));

  if (k >= (int) self->area_c->len)
    k = -1;
  self->selected = k;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[MONTH_SELECTED], 0, k);
}

int
tenure_expiry_strip_get_selected (TenureExpiryStrip *self)
{
  g_return_val_if_fail (TENURE_IS_EXPIRY_STRIP (self), -1);
  return self->selected;
}

void
tenure_expiry_strip_click (TenureExpiryStrip *self,
                           double             x,
                           double             y)
{
  int k;

  g_return_if_fail (TENURE_IS_EXPIRY_STRIP (self));
  k = tenure_expiry_strip_bar_at (self, x, y);
  /* A second click on the selected month clears it. */
  tenure_expiry_strip_select_month (self, k == self->selected ? -1 : k);
}

static void
click_released_cb (GtkGestureClick   *gesture,
                   int                n_press,
                   double             x,
                   double             y,
                   TenureExpiryStrip *self)
{
  tenure_expiry_strip_click (self, x, y);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           TenureExpiryStrip        *self)
{
  int hover = tenure_expiry_strip_bar_at (self, x, y);

  if (hover != self->hover)
    {
      self->hover = hover;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
leave_cb (GtkEventControllerMotion *controller,
          TenureExpiryStrip        *self)
{
  self->hover = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
query_tooltip_cb (GtkWidget         *widget,
                  int                x,
                  int                y,
                  gboolean           keyboard,
                  GtkTooltip        *tooltip,
                  TenureExpiryStrip *self)
{
  int k = keyboard ? self->selected : tenure_expiry_strip_bar_at (self, x, y);
  g_autofree char *text = NULL;

  if (k < 0)
    return FALSE;
  text = tenure_expiry_strip_describe_bar (self, (guint) k);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
tenure_expiry_strip_finalize (GObject *object)
{
  TenureExpiryStrip *self = TENURE_EXPIRY_STRIP (object);

  g_clear_pointer (&self->area_c, g_array_unref);
  g_clear_pointer (&self->months, g_array_unref);
  G_OBJECT_CLASS (tenure_expiry_strip_parent_class)->finalize (object);
}

static void
tenure_expiry_strip_class_init (TenureExpiryStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tenure_expiry_strip_finalize;
  widget_class->snapshot = tenure_expiry_strip_snapshot;
  widget_class->measure = tenure_expiry_strip_measure;

  /**
   * TenureExpiryStrip::month-selected:
   * @k: the selected month's index, -1 when cleared
   */
  signals[MONTH_SELECTED] =
    g_signal_new ("month-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  gtk_widget_class_set_css_name (widget_class, "expirystrip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tenure_expiry_strip_init (TenureExpiryStrip *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->area_c = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->months = g_array_new (FALSE, FALSE, sizeof (TenureDate));
  self->selected = -1;
  self->hover = -1;

  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (widget, motion);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Leased area expiring per month"), -1);
}

GtkWidget *
tenure_expiry_strip_new (void)
{
  return g_object_new (TENURE_TYPE_EXPIRY_STRIP, NULL);
}
