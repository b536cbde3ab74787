/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-heatmap"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "tenure-heatmap.h"

struct _TenureHeatmap
{
  TenureChart parent_instance;
};

G_DEFINE_FINAL_TYPE (TenureHeatmap, tenure_heatmap, TENURE_TYPE_CHART)

void
tenure_heatmap_get_cell (TenureHeatmap          *self,
                         const TenureChartFrame *frame,
                         guint                   series,
                         guint                   index,
                         graphene_rect_t        *rect)
{
  TenureChart *chart = TENURE_CHART (self);
  double w = frame->plot.size.width / MAX (tenure_chart_get_n_categories (chart), 1);
  double h = frame->plot.size.height / MAX (tenure_chart_get_n_series (chart), 1);
  double x0 = round (frame->plot.origin.x + index * w);
  double y0 = round (frame->plot.origin.y + series * h);

  /* Whole pixels with a 1 px gutter between cells. */
  graphene_rect_init (rect, x0, y0,
                      MAX (round (frame->plot.origin.x + (index + 1) * w) - x0 - 1, 1),
                      MAX (round (frame->plot.origin.y + (series + 1) * h) - y0 - 1, 1));
}

/* The smallest and largest value (FALSE without values). */
static gboolean
value_range (TenureChart *chart,
             gint64      *lo,
             gint64      *hi)
{
  *lo = G_MAXINT64;
  *hi = G_MININT64;
  for (guint s = 0; s < tenure_chart_get_n_series (chart); s++)
    for (guint i = 0; i < tenure_chart_get_n_categories (chart); i++)
      {
        gint64 v = tenure_chart_get_value (chart, s, i);

        *lo = MIN (*lo, v);
        *hi = MAX (*hi, v);
      }
  return *lo <= *hi;
}

/* The fill of VALUE on the scale from LO to HI. */
static void
scale_colour (gboolean  dark,
              gint64    lo,
              gint64    hi,
              gint64    value,
              GdkRGBA  *colour)
{
  TenureChartTheme theme;
  GdkRGBA strong;
  double t = 1;

  if (hi > lo)
    t = (double) ((__int128) value - lo) / (double) ((__int128) hi - lo);
  t = 0.1 + 0.9 * CLAMP (t, 0, 1);
  tenure_chart_theme (dark, &theme);
  tenure_chart_palette (0, &strong);
  colour->red = theme.background.red + (strong.red - theme.background.red) * t;
  colour->green = theme.background.green + (strong.green - theme.background.green) * t;
  colour->blue = theme.background.blue + (strong.blue - theme.background.blue) * t;
  colour->alpha = 1;
}

void
tenure_heatmap_cell_colour (TenureHeatmap *self,
                            gboolean       dark,
                            gint64         value,
                            GdkRGBA       *colour)
{
  gint64 lo, hi;

  value_range (TENURE_CHART (self), &lo, &hi);
  scale_colour (dark, lo, hi, value, colour);
}

static void
tenure_heatmap_draw_data (TenureChart            *chart,
                          cairo_t                *cr,
                          const TenureChartFrame *frame)
{
  TenureHeatmap *self = TENURE_HEATMAP (chart);
  guint n = tenure_chart_get_n_categories (chart), m = tenure_chart_get_n_series (chart);
  TenureChartTheme theme;
  double label_w = 0;
  guint every = 1;
  gint64 lo, hi;

  tenure_chart_theme (frame->dark, &theme);
  /* The scale once, not per cell. */
  value_range (chart, &lo, &hi);
  for (guint s = 0; s < m; s++)
    {
      g_autoptr(PangoLayout) row =
        tenure_chart_create_layout (chart, cr, tenure_chart_get_series_name (chart, s), 0.9);
      graphene_rect_t first;
      int w, h;

      tenure_heatmap_get_cell (self, frame, s, 0, &first);
      pango_layout_get_pixel_size (row, &w, &h);
      gdk_cairo_set_source_rgba (cr, &theme.muted);
      cairo_move_to (cr, frame->plot.origin.x - 6 - w,
                     first.origin.y + (first.size.height - h) / 2);
      pango_cairo_show_layout (cr, row);

      for (guint i = 0; i < n; i++)
        {
          gint64 value = tenure_chart_get_value (chart, s, i);
          g_autofree char *text = tenure_chart_format_value (tenure_chart_get_unit (chart),
                                                             value, 0);
          g_autoptr(PangoLayout) layout = tenure_chart_create_layout (chart, cr, text, 0.85);
          graphene_rect_t cell;
          GdkRGBA fill;

          tenure_heatmap_get_cell (self, frame, s, i, &cell);
          scale_colour (frame->dark, lo, hi, value, &fill);
          gdk_cairo_set_source_rgba (cr, &fill);
          cairo_rectangle (cr, cell.origin.x, cell.origin.y, cell.size.width, cell.size.height);
          cairo_fill (cr);
          pango_layout_get_pixel_size (layout, &w, &h);
          if (w + 6 <= cell.size.width && h + 2 <= cell.size.height)
            {
              /* Dark text on pale cells, white on strong ones. */
              double luma = 0.299 * fill.red + 0.587 * fill.green + 0.114 * fill.blue;

              cairo_set_source_rgb (cr, luma > 0.55 ? 0.12 : 1, luma > 0.55 ? 0.12 : 1,
                                    luma > 0.55 ? 0.12 : 1);
              cairo_move_to (cr, cell.origin.x + (cell.size.width - w) / 2,
                             cell.origin.y + (cell.size.height - h) / 2);
              pango_cairo_show_layout (cr, layout);
            }
        }
    }
  /* Column labels under the grid, thinned out so they never overlap. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PangoLayout) label =
        tenure_chart_create_layout (chart, cr, tenure_chart_get_category (chart, i), 1.0);
      int w, h;

      pango_layout_get_pixel_size (label, &w, &h);
      label_w = MAX (label_w, w + 8);
    }
  if (label_w > frame->plot.size.width / n)
    every = (guint) ceil (label_w / (frame->plot.size.width / n));
  for (guint i = 0; i < n; i += every)
    {
      g_autoptr(PangoLayout) label =
        tenure_chart_create_layout (chart, cr, tenure_chart_get_category (chart, i), 1.0);
      graphene_rect_t cell;
      int w, h;

      tenure_heatmap_get_cell (self, frame, m - 1, i, &cell);
      pango_layout_get_pixel_size (label, &w, &h);
      gdk_cairo_set_source_rgba (cr, &theme.muted);
      cairo_move_to (cr, cell.origin.x + (cell.size.width - w) / 2,
                     frame->plot.origin.y + frame->plot.size.height + 4);
      pango_cairo_show_layout (cr, label);
    }
}

static gboolean
tenure_heatmap_hit_test (TenureChart            *chart,
                         const TenureChartFrame *frame,
                         double                  x,
                         double                  y,
                         guint                  *series,
                         guint                  *index)
{
  double n = tenure_chart_get_n_categories (chart), m = tenure_chart_get_n_series (chart);
  double col = floor ((x - frame->plot.origin.x) / (frame->plot.size.width / n));
  double row = floor ((y - frame->plot.origin.y) / (frame->plot.size.height / m));

  if (col < 0 || col >= n || row < 0 || row >= m)
    return FALSE;
  *series = (guint) row;
  *index = (guint) col;
  return TRUE;
}

/* The scale: the lowest and the highest value with their colours. */
static GStrv
tenure_heatmap_legend_entries (TenureChart *chart)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gint64 lo, hi;

  if (value_range (chart, &lo, &hi))
    {
      g_autofree char *low = tenure_chart_format_value (tenure_chart_get_unit (chart), lo, 0);
      g_autofree char *high = tenure_chart_format_value (tenure_chart_get_unit (chart), hi, 0);

      g_strv_builder_add (builder, low);
      if (hi > lo)
        g_strv_builder_add (builder, high);
    }
  return g_strv_builder_end (builder);
}

static void
tenure_heatmap_legend_colour (TenureChart *chart,
                              guint        i,
                              gboolean     dark,
                              GdkRGBA     *colour)
{
  gint64 lo, hi;

  value_range (chart, &lo, &hi);
  tenure_heatmap_cell_colour (TENURE_HEATMAP (chart), dark, i == 0 ? lo : hi, colour);
}

static void
tenure_heatmap_class_init (TenureHeatmapClass *klass)
{
  TenureChartClass *chart_class = TENURE_CHART_CLASS (klass);

  chart_class->kind = N_("Heatmap");
  chart_class->draw_data = tenure_heatmap_draw_data;
  chart_class->hit_test = tenure_heatmap_hit_test;
  chart_class->legend_entries = tenure_heatmap_legend_entries;
  chart_class->legend_colour = tenure_heatmap_legend_colour;
}

static void
tenure_heatmap_init (TenureHeatmap *self)
{
}

/* Creates an empty heatmap. */
TenureChart *
tenure_heatmap_new (void)
{
  return g_object_new (TENURE_TYPE_HEATMAP, NULL);
}
