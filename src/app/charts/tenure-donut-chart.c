/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-donut-chart"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "tenure-donut-chart.h"

struct _TenureDonutChart
{
  TenureChart parent_instance;
};

G_DEFINE_FINAL_TYPE (TenureDonutChart, tenure_donut_chart, TENURE_TYPE_CHART)

/* The sum of the positive values, exactly. */
static __int128
total (TenureChart *chart)
{
  __int128 sum = 0;

  for (guint i = 0; i < tenure_chart_get_n_categories (chart); i++)
    sum += MAX (tenure_chart_get_value (chart, 0, i), 0);
  return sum;
}

void
tenure_donut_chart_get_ring (TenureDonutChart       *self,
                             const TenureChartFrame *frame,
                             graphene_point_t       *centre,
                             double                 *outer,
                             double                 *inner)
{
  centre->x = frame->plot.origin.x + frame->plot.size.width / 2;
  centre->y = frame->plot.origin.y + frame->plot.size.height / 2;
  *outer = MAX (MIN (frame->plot.size.width, frame->plot.size.height) / 2 - 4, 2);
  *inner = *outer * 0.6;
}

gboolean
tenure_donut_chart_get_slice (TenureDonutChart *self,
                              guint             index,
                              double           *start,
                              double           *end)
{
  TenureChart *chart = TENURE_CHART (self);
  __int128 sum = total (chart), before = 0;

  if (tenure_chart_get_n_series (chart) == 0 || sum == 0
      || tenure_chart_get_value (chart, 0, index) <= 0)
    return FALSE;
  for (guint i = 0; i < index; i++)
    before += MAX (tenure_chart_get_value (chart, 0, i), 0);
  *start = 2 * G_PI * ((double) before / (double) sum);
  *end = 2 * G_PI * ((double) (before + tenure_chart_get_value (chart, 0, index))
                     / (double) sum);
  return TRUE;
}

static void
tenure_donut_chart_draw_data (TenureChart            *chart,
                              cairo_t                *cr,
                              const TenureChartFrame *frame)
{
  TenureDonutChart *self = TENURE_DONUT_CHART (chart);
  TenureChartTheme theme;
  graphene_point_t c;
  double outer, inner;
  __int128 sum = total (chart);
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  int w, h;

  tenure_chart_theme (frame->dark, &theme);
  tenure_donut_chart_get_ring (self, frame, &c, &outer, &inner);
  for (guint i = 0; i < tenure_chart_get_n_categories (chart); i++)
    {
      double start, end;
      GdkRGBA colour;

      if (!tenure_donut_chart_get_slice (self, i, &start, &end))
        continue;
      tenure_chart_palette (i, &colour);
      gdk_cairo_set_source_rgba (cr, &colour);
      /* Cairo's angle 0 is three o'clock: ours is twelve. */
      cairo_new_path (cr);
      cairo_arc (cr, c.x, c.y, outer, start - G_PI / 2, end - G_PI / 2);
      cairo_arc_negative (cr, c.x, c.y, inner, end - G_PI / 2, start - G_PI / 2);
      cairo_close_path (cr);
      cairo_fill_preserve (cr);
      /* A thin gap between slices in the background colour. */
      gdk_cairo_set_source_rgba (cr, &theme.background);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
    }
  text = tenure_chart_format_value (tenure_chart_get_unit (chart),
                                    sum > G_MAXINT64 ? G_MAXINT64 : (gint64) sum, 0);
  layout = tenure_chart_create_layout (chart, cr, text, 1.2);
  pango_layout_get_pixel_size (layout, &w, &h);
  if (w < inner * 2 - 8)
    {
      gdk_cairo_set_source_rgba (cr, &theme.text);
      cairo_move_to (cr, c.x - w / 2.0, c.y - h / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
}

static gboolean
tenure_donut_chart_hit_test (TenureChart            *chart,
                             const TenureChartFrame *frame,
                             double                  x,
                             double                  y,
                             guint                  *series,
                             guint                  *index)
{
  TenureDonutChart *self = TENURE_DONUT_CHART (chart);
  graphene_point_t c;
  double outer, inner, distance, angle;

  tenure_donut_chart_get_ring (self, frame, &c, &outer, &inner);
  distance = hypot (x - c.x, y - c.y);
  if (distance < inner || distance > outer)
    return FALSE;
  /* Clockwise from twelve o'clock, in [0, 2π). */
  angle = atan2 (x - c.x, -(y - c.y));
  if (angle < 0)
    angle += 2 * G_PI;
  for (guint i = 0; i < tenure_chart_get_n_categories (chart); i++)
    {
      double start, end;

      if (tenure_donut_chart_get_slice (self, i, &start, &end) && angle >= start && angle < end)
        {
          *series = 0;
          *index = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
tenure_donut_chart_class_init (TenureDonutChartClass *klass)
{
  TenureChartClass *chart_class = TENURE_CHART_CLASS (klass);

  chart_class->kind = N_("Donut chart");
  chart_class->legend_by_category = TRUE;
  chart_class->draw_data = tenure_donut_chart_draw_data;
  chart_class->hit_test = tenure_donut_chart_hit_test;
}

static void
tenure_donut_chart_init (TenureDonutChart *self)
{
}

/* Creates an empty donut chart. */
TenureChart *
tenure_donut_chart_new (void)
{
  return g_object_new (TENURE_TYPE_DONUT_CHART, NULL);
}
