/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-line-chart"

#include <glib/gi18n.h>
#include <math.h>

#include "tenure-line-chart.h"

#define DOT_RADIUS 3.5
#define HIT_DISTANCE 12.0

struct _TenureLineChart
{
  TenureChart parent_instance;
};

G_DEFINE_FINAL_TYPE (TenureLineChart, tenure_line_chart, TENURE_TYPE_CHART)

static void
tenure_line_chart_data_range (TenureChart *chart,
                              gint64      *lo,
                              gint64      *hi)
{
  guint n = tenure_chart_get_n_categories (chart), m = tenure_chart_get_n_series (chart);

  *lo = *hi = 0;
  for (guint s = 0; s < m; s++)
    for (guint i = 0; i < n; i++)
      {
        gint64 v = tenure_chart_get_value (chart, s, i);

        *lo = MIN (*lo, v);
        *hi = MAX (*hi, v);
      }
}

void
tenure_line_chart_get_point (TenureLineChart        *self,
                             const TenureChartFrame *frame,
                             guint                   series,
                             guint                   index,
                             graphene_point_t       *point)
{
  TenureChart *chart = TENURE_CHART (self);
  double slot = frame->plot.size.width / MAX (tenure_chart_get_n_categories (chart), 1);

  point->x = frame->plot.origin.x + (index + 0.5) * slot;
  point->y = tenure_chart_value_to_y (frame, tenure_chart_get_value (chart, series, index));
}

static void
tenure_line_chart_draw_data (TenureChart            *chart,
                             cairo_t                *cr,
                             const TenureChartFrame *frame)
{
  TenureLineChart *self = TENURE_LINE_CHART (chart);
  guint n = tenure_chart_get_n_categories (chart), m = tenure_chart_get_n_series (chart);

  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint s = 0; s < m; s++)
    {
      GdkRGBA colour;

      tenure_chart_palette (s, &colour);
      gdk_cairo_set_source_rgba (cr, &colour);
      /* Text drawn before leaves a current point: start the line afresh. */
      cairo_new_path (cr);
      for (guint i = 0; i < n; i++)
        {
          graphene_point_t p;

          tenure_line_chart_get_point (self, frame, s, i, &p);
          cairo_line_to (cr, p.x, p.y);
        }
      cairo_stroke (cr);
      for (guint i = 0; i < n; i++)
        {
          graphene_point_t p;

          tenure_line_chart_get_point (self, frame, s, i, &p);
          cairo_new_sub_path (cr);
          cairo_arc (cr, p.x, p.y, DOT_RADIUS, 0, 2 * G_PI);
        }
      cairo_fill (cr);
    }
}

static gboolean
tenure_line_chart_hit_test (TenureChart            *chart,
                            const TenureChartFrame *frame,
                            double                  x,
                            double                  y,
                            guint                  *series,
                            guint                  *index)
{
  TenureLineChart *self = TENURE_LINE_CHART (chart);
  guint n = tenure_chart_get_n_categories (chart), m = tenure_chart_get_n_series (chart);
  double slot = frame->plot.size.width / MAX (n, 1), best = HIT_DISTANCE;
  double column = floor ((x - frame->plot.origin.x) / slot);
  gboolean found = FALSE;

  /* The category under the pointer's column, then the series whose dot is nearest. */
  if (column < 0 || column >= n)
    return FALSE;
  for (guint s = 0; s < m; s++)
    {
      graphene_point_t p;

      tenure_line_chart_get_point (self, frame, s, (guint) column, &p);
      if (fabs (p.y - y) <= best)
        {
          best = fabs (p.y - y);
          *series = s;
          *index = (guint) column;
          found = TRUE;
        }
    }
  return found;
}

static void
tenure_line_chart_class_init (TenureLineChartClass *klass)
{
  TenureChartClass *chart_class = TENURE_CHART_CLASS (klass);

  chart_class->kind = N_("Line chart");
  chart_class->has_value_axis = TRUE;
  chart_class->data_range = tenure_line_chart_data_range;
  chart_class->draw_data = tenure_line_chart_draw_data;
  chart_class->hit_test = tenure_line_chart_hit_test;
}

static void
tenure_line_chart_init (TenureLineChart *self)
{
}

/* Creates an empty line chart. */
TenureChart *
tenure_line_chart_new (void)
{
  return g_object_new (TENURE_TYPE_LINE_CHART, NULL);
}
