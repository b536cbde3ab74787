/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bar-chart"

#include <glib/gi18n.h>
#include <math.h>

#include "tenure-bar-chart.h"

struct _TenureBarChart
{
  TenureChart parent_instance;
  gboolean    stacked;
};

G_DEFINE_FINAL_TYPE (TenureBarChart, tenure_bar_chart, TENURE_TYPE_CHART)

static gint64
clamp64 (__int128 v)
{
  return v > G_MAXINT64 ? G_MAXINT64 : v < G_MININT64 ? G_MININT64 : (gint64) v;
}

/* The stacked extent of category INDEX below series SERIES: where that series' bar starts. */
static gint64
stack_base (TenureChart *chart,
            guint        series,
            guint        index,
            gint64       value)
{
  __int128 base = 0;

  for (guint s = 0; s < series; s++)
    {
      gint64 v = tenure_chart_get_value (chart, s, index);

      if ((v >= 0) == (value >= 0))
        base += v;
    }
  return clamp64 (base);
}

static void
tenure_bar_chart_data_range (TenureChart *chart,
                             gint64      *lo,
                             gint64      *hi)
{
  TenureBarChart *self = TENURE_BAR_CHART (chart);
  guint n = tenure_chart_get_n_categories (chart), m = tenure_chart_get_n_series (chart);

  *lo = *hi = 0;
  for (guint i = 0; i < n; i++)
    {
      __int128 pos = 0, neg = 0;

      for (guint s = 0; s < m; s++)
        {
          gint64 v = tenure_chart_get_value (chart, s, i);

          if (self->stacked)
            {
              if (v >= 0)
                pos += v;
              else
                neg += v;
            }
          else
            {
              *lo = MIN (*lo, v);
              *hi = MAX (*hi, v);
            }
        }
      if (self->stacked)
        {
          *lo = MIN (*lo, clamp64 (neg));
          *hi = MAX (*hi, clamp64 (pos));
        }
    }
}

void
tenure_bar_chart_get_bar (TenureBarChart         *self,
                          const TenureChartFrame *frame,
                          guint                   series,
                          guint                   index,
                          graphene_rect_t        *rect)
{
  TenureChart *chart = TENURE_CHART (self);
  guint n = tenure_chart_get_n_categories (chart), m = tenure_chart_get_n_series (chart);
  double slot = frame->plot.size.width / MAX (n, 1);
  double group = slot * 0.7, x, width, y0, y1;
  gint64 value = tenure_chart_get_value (chart, series, index), base = 0;

  if (self->stacked)
    {
      width = group;
      x = frame->plot.origin.x + index * slot + (slot - group) / 2;
      base = stack_base (chart, series, index, value);
    }
  else
    {
      width = group / MAX (m, 1);
      x = frame->plot.origin.x + index * slot + (slot - group) / 2 + series * width;
    }
  /* Whole pixels: crisp edges, and bars that touch in a stack. */
  y0 = round (tenure_chart_value_to_y (frame, base));
  y1 = round (tenure_chart_value_to_y (frame, clamp64 ((__int128) base + value)));
  x = round (x);
  width = MAX (round (width) - (self->stacked || m == 1 ? 0 : 1), 1);
  graphene_rect_init (rect, x, MIN (y0, y1), width, fabs (y1 - y0));
}

static void
tenure_bar_chart_draw_data (TenureChart            *chart,
                            cairo_t                *cr,
                            const TenureChartFrame *frame)
{
  TenureBarChart *self = TENURE_BAR_CHART (chart);
  guint n = tenure_chart_get_n_categories (chart), m = tenure_chart_get_n_series (chart);

  for (guint s = 0; s < m; s++)
    {
      GdkRGBA colour;

      tenure_chart_palette (s, &colour);
      gdk_cairo_set_source_rgba (cr, &colour);
      for (guint i = 0; i < n; i++)
        {
          graphene_rect_t bar;

          tenure_bar_chart_get_bar (self, frame, s, i, &bar);
          cairo_rectangle (cr, bar.origin.x, bar.origin.y, bar.size.width, bar.size.height);
        }
      cairo_fill (cr);
    }
}

static gboolean
tenure_bar_chart_hit_test (TenureChart            *chart,
                           const TenureChartFrame *frame,
                           double                  x,
                           double                  y,
                           guint                  *series,
                           guint                  *index)
{
  TenureBarChart *self = TENURE_BAR_CHART (chart);
  guint n = tenure_chart_get_n_categories (chart), m = tenure_chart_get_n_series (chart);

  for (guint s = 0; s < m; s++)
    for (guint i = 0; i < n; i++)
      {
        graphene_rect_t bar;

        tenure_bar_chart_get_bar (self, frame, s, i, &bar);
        /* A thin bar still answers across its full pixel height of at least 3 px. */
        if (bar.size.height < 3)
          graphene_rect_inset (&bar, 0, -1.5);
        if (graphene_rect_contains_point (&bar, &GRAPHENE_POINT_INIT (x, y)))
          {
            *series = s;
            *index = i;
            return TRUE;
          }
      }
  return FALSE;
}

static void
tenure_bar_chart_class_init (TenureBarChartClass *klass)
{
  TenureChartClass *chart_class = TENURE_CHART_CLASS (klass);

  chart_class->kind = N_("Bar chart");
  chart_class->has_value_axis = TRUE;
  chart_class->data_range = tenure_bar_chart_data_range;
  chart_class->draw_data = tenure_bar_chart_draw_data;
  chart_class->hit_test = tenure_bar_chart_hit_test;
}

static void
tenure_bar_chart_init (TenureBarChart *self)
{
}

/* Creates a bar chart, STACKED or grouped. */
TenureChart *
tenure_bar_chart_new (gboolean stacked)
{
  TenureBarChart *self = g_object_new (TENURE_TYPE_BAR_CHART, NULL);

  self->stacked = stacked;
  return TENURE_CHART (self);
}

void
tenure_bar_chart_set_stacked (TenureBarChart *self,
                              gboolean        stacked)
{
  g_return_if_fail (TENURE_IS_BAR_CHART (self));
  self->stacked = !!stacked;
  tenure_chart_invalidate (TENURE_CHART (self));
}

gboolean
tenure_bar_chart_get_stacked (TenureBarChart *self)
{
  return self->stacked;
}
