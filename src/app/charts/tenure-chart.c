/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-chart"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "base/tenure-money.h"
#include "tenure-chart.h"

/* The base of the chart widgets: the data (categories × series of integers in one unit), the
 * layout (title, value axis with nice ticks, category labels, legend), the theme (light or
 * dark), the cached render node, hover and the accessible description. Subclasses draw the
 * data and hit-test it; everything is drawn with Cairo and Pango so that the widget and the
 * PNG/SVG/PDF exports draw the same scene. */

#define PAD 12.0
#define SWATCH 12.0
#define MAX_DESCRIBED 40

typedef struct
{
  char   *name;
  gint64 *values;
} Series;

typedef struct
{
  TenureChartUnit unit;
  char           *title;
  GPtrArray      *categories;  /* char * */
  GPtrArray      *series;      /* Series * */
  int             force_dark;
  GskRenderNode  *node;        /* the cached scene */
  int             node_width, node_height;
  gboolean        node_dark;
  char           *tooltip;
  guint           scene_builds;
} TenureChartPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TenureChart, tenure_chart, GTK_TYPE_WIDGET)

enum {
  POINT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
series_free (gpointer data)
{
  Series *series = data;

  g_free (series->name);
  g_free (series->values);
  g_free (series);
}

/* Ticks ------------------------------------------------------------------------------------ */

static __int128
floor_div (__int128 a, __int128 b)
{
  __int128 q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

static __int128
ceil_div (__int128 a, __int128 b)
{
  __int128 q = a / b;
  return (a % b != 0 && a > 0) ? q + 1 : q;
}

/* The next smaller 1/2/5 × 10^n below STEP (at least 1). */
static __int128
smaller_nice (__int128 step)
{
  __int128 p = 1;

  while (p * 10 <= step)
    p *= 10;
  if (step / p == 5)
    return 2 * p;
  if (step / p == 2)
    return p;
  return MAX (p / 2, 1);
}

void
tenure_chart_nice_ticks (gint64  lo,
                         gint64  hi,
                         guint   max_ticks,
                         gint64 *out_lo,
                         gint64 *out_hi,
                         gint64 *out_step)
{
  static const int mults[] = { 1, 2, 5 };
  __int128 range, mag = 1, step = 1, tlo, thi;
  guint m = 0;

  if (lo > hi)
    {
      gint64 t = lo;
      lo = hi;
      hi = t;
    }
  lo = MIN (lo, 0);
  hi = MAX (hi, 0);
  /* Across zero there are always at least two intervals. */
  max_ticks = MAX (max_ticks, lo < 0 && hi > 0 ? 2 : 1);
  range = (__int128) hi - lo;
  if (range == 0)
    range = 1;
  /* The smallest 1/2/5 × 10^n step whose rounded-out ticks fit into MAX_TICKS intervals. */
  while (mag * 10 <= range / max_ticks)
    mag *= 10;
  for (;;)
    {
      step = mults[m] * mag;
      tlo = floor_div (lo, step) * step;
      thi = ceil_div (hi, step) * step;
      if (thi == tlo)
        thi = tlo + step;
      if ((thi - tlo) / step <= max_ticks)
        break;
      if (++m == G_N_ELEMENTS (mults))
        {
          m = 0;
          mag *= 10;
        }
    }
  /* Near the ends of gint64 the outer ticks are the last representable multiples. */
  while (step > G_MAXINT64)
    step = smaller_nice (step);
  if (tlo < G_MININT64)
    tlo = ceil_div (G_MININT64, step) * step;
  if (thi > G_MAXINT64)
    thi = floor_div (G_MAXINT64, step) * step;
  *out_lo = (gint64) tlo;
  *out_hi = (gint64) thi;
  *out_step = (gint64) step;
}

/* VALUE / 10^SCALE with grouping, exactly. */
static char *
decimal (gint64 value,
         guint  scale)
{
  return tenure_decimal_format (value, scale, TRUE);
}

/* Decimals a tick STEP of QUANTUM^-1 units needs (0 when step is a multiple of 10^MAXD). */
static guint
decimals_for (gint64 step,
              guint  max_decimals)
{
  gint64 p = 1;

  for (guint i = 0; i < max_decimals; i++)
    p *= 10;
  for (guint d = 0; d < max_decimals; d++, p /= 10)
    if (step % p == 0)
      return d;
  return max_decimals;
}

/* VALUE (divisible by 10^(MAXD - decimals)) shown with the decimals STEP needs. */
static char *
scaled (gint64 value,
        gint64 step,
        guint  max_decimals)
{
  guint d = step > 0 ? decimals_for (step, max_decimals) : max_decimals;
  gint64 div = 1;

  for (guint i = d; i < max_decimals; i++)
    div *= 10;
  if (value % div != 0)
    return decimal (value, max_decimals);
  return decimal (value / div, d);
}

/* FORMAT (a translated "¥%s") with NUMBER in place of its %s, the sign before the symbol:
 * -¥12.00. Done by hand because the format comes from a translation. */
static char *
money_text (const char *format,
            const char *number)
{
  const char *hole = strstr (format, "%s");
  gboolean negative = number[0] == '-';

  if (hole == NULL)
    return g_strdup (number);
  return g_strdup_printf ("%s%.*s%s%s", negative ? "-" : "", (int) (hole - format), format,
                          negative ? number + 1 : number, hole + 2);
}

char *
tenure_chart_format_value (TenureChartUnit unit,
                           gint64          value,
                           gint64          step)
{
  g_autofree char *number = NULL;

  switch (unit)
    {
    case TENURE_CHART_UNIT_MONEY_FEN:
      if (step > 0)
        {
          /* Translators: write "wan" to group large amounts in tick labels by 万 and 亿
           * (10^4 and 10^8 yuan), anything else groups them by thousands (k, M). */
          gboolean wan = g_strcmp0 (C_("chart large amounts", "thousands"), "wan") == 0;
          struct { gint64 fen; const char *format; } units[] = {
            { wan ? G_GINT64_CONSTANT (10000000000) : 100000000,
              wan ? C_("chart 10^8 yuan", "¥%s×10⁸") : _("¥%sM") },
            { wan ? 1000000 : 100000,
              wan ? C_("chart 10^4 yuan", "¥%s×10⁴") : _("¥%sk") },
          };

          for (guint i = 0; i < G_N_ELEMENTS (units); i++)
            if (step >= units[i].fen / 10 && value % (units[i].fen / 10) == 0)
              {
                gint64 tenth = units[i].fen / 10;
                guint d = step % units[i].fen == 0 && value % units[i].fen == 0 ? 0 : 1;

                number = d == 0 ? decimal (value / units[i].fen, 0) : decimal (value / tenth, 1);
                return money_text (units[i].format, number);
              }
        }
      /* Whole yuan when the step allows, otherwise always both decimals of the fen. */
      number = scaled (value, step % 100 == 0 ? step : 0, 2);
      return money_text (_("¥%s"), number);
    case TENURE_CHART_UNIT_AREA_C:
      number = scaled (value, step, 2);
      /* Translators: an area in square metres */
      return g_strdup_printf (_("%s m²"), number);
    case TENURE_CHART_UNIT_RATIO_PPM:
      /* 1% is 10,000 ppm: four decimals of a percent at most. */
      number = scaled (value, step, 4);
      if (step <= 0 && value % 100 == 0)
        {
          g_clear_pointer (&number, g_free);
          number = decimal (value / 100, 2);
        }
      /* Translators: a percentage */
      return g_strdup_printf (_("%s%%"), number);
    case TENURE_CHART_UNIT_COUNT:
    default:
      return decimal (value, 0);
    }
}

/* Theme ------------------------------------------------------------------------------------ */

/* GNOME palette tones that read on both a white and a near-black background. */
static const char *palette[] = {
  "#3584e4", "#e66100", "#26a269", "#c061cb", "#e5a50a", "#1c71d8", "#c01c28", "#2ec27e",
  "#986a44", "#613583", "#f66151", "#0f9cb0",
};

void
tenure_chart_palette (guint    i,
                      GdkRGBA *colour)
{
  gdk_rgba_parse (colour, palette[i % G_N_ELEMENTS (palette)]);
}

void
tenure_chart_theme (gboolean          dark,
                    TenureChartTheme *theme)
{
  gdk_rgba_parse (&theme->background, dark ? "#242424" : "#ffffff");
  gdk_rgba_parse (&theme->text, dark ? "#ffffff" : "#1e1e1e");
  gdk_rgba_parse (&theme->muted, dark ? "#c0bfbc" : "#5e5c64");
  gdk_rgba_parse (&theme->grid, dark ? "#3d3d3d" : "#e6e6e6");
  gdk_rgba_parse (&theme->axis, dark ? "#77767b" : "#9a9996");
}

/* Data ------------------------------------------------------------------------------------- */

static void
data_changed (TenureChart *self)
{
  g_autofree char *description = tenure_chart_describe (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  tenure_chart_invalidate (self);
}

void
tenure_chart_invalidate (TenureChart *self)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  g_clear_pointer (&priv->node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tenure_chart_set_unit (TenureChart     *self,
                       TenureChartUnit  unit)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  g_return_if_fail (TENURE_IS_CHART (self));
  priv->unit = unit;
  data_changed (self);
}

TenureChartUnit
tenure_chart_get_unit (TenureChart *self)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  return priv->unit;
}

void
tenure_chart_set_title (TenureChart *self,
                        const char  *title)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  g_return_if_fail (TENURE_IS_CHART (self));
  g_free (priv->title);
  priv->title = g_strdup (title);
  data_changed (self);
}

void
tenure_chart_set_categories (TenureChart        *self,
                             const char * const *labels)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  g_return_if_fail (TENURE_IS_CHART (self));
  g_ptr_array_set_size (priv->series, 0);
  g_ptr_array_set_size (priv->categories, 0);
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    g_ptr_array_add (priv->categories, g_strdup (labels[i]));
  data_changed (self);
}

void
tenure_chart_add_series (TenureChart  *self,
                         const char   *name,
                         const gint64 *values,
                         guint         n_values)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);
  Series *series;

  g_return_if_fail (TENURE_IS_CHART (self));
  g_return_if_fail (n_values == priv->categories->len);
  g_return_if_fail (values != NULL || n_values == 0);
  series = g_new0 (Series, 1);
  series->name = g_strdup (name ? name : "");
  series->values = g_memdup2 (values, sizeof (gint64) * n_values);
  g_ptr_array_add (priv->series, series);
  data_changed (self);
}

guint
tenure_chart_get_n_categories (TenureChart *self)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  return priv->categories->len;
}

guint
tenure_chart_get_n_series (TenureChart *self)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  return priv->series->len;
}

const char *
tenure_chart_get_category (TenureChart *self,
                           guint        index)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  g_return_val_if_fail (index < priv->categories->len, NULL);
  return g_ptr_array_index (priv->categories, index);
}

const char *
tenure_chart_get_series_name (TenureChart *self,
                              guint        series)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  g_return_val_if_fail (series < priv->series->len, NULL);
  return ((Series *) g_ptr_array_index (priv->series, series))->name;
}

gint64
tenure_chart_get_value (TenureChart *self,
                        guint        series,
                        guint        index)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  g_return_val_if_fail (series < priv->series->len, 0);
  g_return_val_if_fail (index < priv->categories->len, 0);
  return ((Series *) g_ptr_array_index (priv->series, series))->values[index];
}

/* Dark mode -------------------------------------------------------------------------------- */

void
tenure_chart_set_force_dark (TenureChart *self,
                             int          force_dark)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  priv->force_dark = CLAMP (force_dark, -1, 1);
  tenure_chart_invalidate (self);
}

gboolean
tenure_chart_is_dark (TenureChart *self)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  if (priv->force_dark >= 0)
    return priv->force_dark == 1;
  return adw_is_initialized () && adw_style_manager_get_dark (adw_style_manager_get_default ());
}

/* Layout ----------------------------------------------------------------------------------- */

PangoLayout *
tenure_chart_create_layout (TenureChart *self,
                            cairo_t     *cr,
                            const char  *text,
                            double       scale)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  g_autoptr(PangoFontDescription) font =
    pango_font_description_copy (pango_context_get_font_description (context));
  PangoLayout *layout = cr ? pango_cairo_create_layout (cr)
                           : gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  int size = pango_font_description_get_size (font);

  if (size <= 0)
    size = 10 * PANGO_SCALE;
  pango_font_description_set_size (font, (int) (size * scale));
  if (scale > 1.0)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
text_size (TenureChart *self,
           const char  *text,
           double       scale,
           double      *width,
           double      *height)
{
  g_autoptr(PangoLayout) layout = tenure_chart_create_layout (self, NULL, text, scale);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (width)
    *width = w;
  if (height)
    *height = h;
}

static gboolean
legend_by_category (TenureChart *self)
{
  return TENURE_CHART_GET_CLASS (self)->legend_by_category;
}

GStrv
tenure_chart_get_legend_entries (TenureChart *self)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (TENURE_CHART_GET_CLASS (self)->legend_entries)
    return TENURE_CHART_GET_CLASS (self)->legend_entries (self);
  if (legend_by_category (self))
    for (guint i = 0; i < priv->categories->len; i++)
      g_strv_builder_add (builder, g_ptr_array_index (priv->categories, i));
  else if (TENURE_CHART_GET_CLASS (self)->has_value_axis)
    for (guint i = 0; i < priv->series->len; i++)
      g_strv_builder_add (builder, ((Series *) g_ptr_array_index (priv->series, i))->name);
  return g_strv_builder_end (builder);
}

void
tenure_chart_get_legend_colour (TenureChart *self,
                                guint        i,
                                gboolean     dark,
                                GdkRGBA     *colour)
{
  if (TENURE_CHART_GET_CLASS (self)->legend_colour)
    TENURE_CHART_GET_CLASS (self)->legend_colour (self, i, dark, colour);
  else
    tenure_chart_palette (i, colour);
}

/* Places legend entry I (or all, I = -1) in rows of WIDTH starting at Y: its swatch and text
 * position; returns the legend's height. */
static double
legend_place (TenureChart     *self,
              double           width,
              double           y,
              int              target,
              graphene_rect_t *swatch,
              double          *text_x)
{
  g_auto(GStrv) entries = tenure_chart_get_legend_entries (self);
  double x = PAD, row_h, line_h;
  guint rows = 0;

  if (entries[0] == NULL)
    return 0;
  text_size (self, "Ag", 1.0, NULL, &line_h);
  row_h = MAX (line_h, SWATCH) + 4;
  rows = 1;
  for (int i = 0; entries[i] != NULL; i++)
    {
      double tw, entry_w;

      text_size (self, entries[i], 1.0, &tw, NULL);
      entry_w = SWATCH + 6 + tw;
      if (x > PAD && x + entry_w > width - PAD)
        {
          x = PAD;
          rows++;
        }
      if (i == target)
        {
          double top = y + (rows - 1) * row_h;

          graphene_rect_init (swatch, x, top + (row_h - SWATCH) / 2, SWATCH, SWATCH);
          *text_x = x + SWATCH + 6;
        }
      x += entry_w + 16;
    }
  return rows * row_h;
}

void
tenure_chart_compute_frame (TenureChart      *self,
                            double            width,
                            double            height,
                            gboolean          dark,
                            TenureChartFrame *frame)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);
  TenureChartClass *klass = TENURE_CHART_GET_CLASS (self);
  double title_h = 0, legend_h, label_h, left = 0, bottom = 0, top;

  if (width <= 0 && height <= 0)
    {
      width = gtk_widget_get_width (GTK_WIDGET (self));
      height = gtk_widget_get_height (GTK_WIDGET (self));
    }
  memset (frame, 0, sizeof *frame);
  frame->width = width;
  frame->height = height;
  frame->dark = dark;
  if (priv->title && *priv->title)
    {
      text_size (self, priv->title, 1.2, NULL, &title_h);
      title_h += 8;
    }
  legend_h = legend_place (self, width, 0, -1, NULL, NULL);
  frame->legend_y = legend_h > 0 ? height - PAD - legend_h : 0;
  text_size (self, "Ag", 1.0, NULL, &label_h);
  top = PAD + title_h;

  if (klass->has_value_axis || priv->series->len > 0)
    bottom = label_h + 6;
  if (klass->has_value_axis)
    {
      gint64 lo = 0, hi = 0;
      double estimate = height - top - PAD - legend_h - bottom;

      if (klass->data_range && priv->categories->len > 0)
        klass->data_range (self, &lo, &hi);
      tenure_chart_nice_ticks (lo, hi, (guint) CLAMP (estimate / 40, 2, 10), &frame->axis_lo,
                               &frame->axis_hi, &frame->axis_step);
      for (__int128 v = frame->axis_lo; v <= frame->axis_hi; v += frame->axis_step)
        {
          g_autofree char *text = tenure_chart_format_value (priv->unit, (gint64) v,
                                                             frame->axis_step);
          double w;

          text_size (self, text, 0.9, &w, NULL);
          left = MAX (left, w + 8);
        }
    }
  else if (!legend_by_category (self))
    {
      /* A heatmap: row labels on the left. */
      for (guint i = 0; i < priv->series->len; i++)
        {
          double w;

          text_size (self, ((Series *) g_ptr_array_index (priv->series, i))->name, 0.9, &w,
                     NULL);
          left = MAX (left, w + 8);
        }
    }
  if (legend_by_category (self))
    bottom = 0;
  frame->plot.origin.x = PAD + left;
  frame->plot.origin.y = top + (klass->has_value_axis ? label_h / 2 : 0);
  frame->plot.size.width = MAX (width - frame->plot.origin.x - PAD, 1);
  frame->plot.size.height = MAX ((legend_h > 0 ? frame->legend_y - 6 : height - PAD)
                                 - bottom - frame->plot.origin.y, 1);
}

double
tenure_chart_value_to_y (const TenureChartFrame *frame,
                         gint64                  value)
{
  double span = (double) ((__int128) frame->axis_hi - frame->axis_lo);
  double above = (double) ((__int128) frame->axis_hi - value);

  if (span <= 0)
    return frame->plot.origin.y + frame->plot.size.height;
  return frame->plot.origin.y + frame->plot.size.height * above / span;
}

gboolean
tenure_chart_get_legend_swatch (TenureChart            *self,
                                const TenureChartFrame *frame,
                                guint                   i,
                                graphene_rect_t        *rect)
{
  g_auto(GStrv) entries = tenure_chart_get_legend_entries (self);
  double text_x;

  if (i >= g_strv_length (entries))
    return FALSE;
  legend_place (self, frame->width, frame->legend_y, (int) i, rect, &text_x);
  return TRUE;
}

/* Drawing ---------------------------------------------------------------------------------- */

static void
show_text (TenureChart   *self,
           cairo_t       *cr,
           const char    *text,
           double         scale,
           const GdkRGBA *colour,
           double         x,
           double         y,
           double         xalign,
           double         yalign)
{
  g_autoptr(PangoLayout) layout = tenure_chart_create_layout (self, cr, text, scale);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_move_to (cr, x - w * xalign, y - h * yalign);
  pango_cairo_show_layout (cr, layout);
  cairo_new_path (cr);
}

void
tenure_chart_draw (TenureChart *self,
                   cairo_t     *cr,
                   double       width,
                   double       height,
                   gboolean     dark)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);
  TenureChartClass *klass = TENURE_CHART_GET_CLASS (self);
  TenureChartFrame frame;
  TenureChartTheme theme;
  g_auto(GStrv) entries = NULL;
  const graphene_rect_t *plot = &frame.plot;

  tenure_chart_compute_frame (self, width, height, dark, &frame);
  tenure_chart_theme (dark, &theme);

  cairo_save (cr);
  gdk_cairo_set_source_rgba (cr, &theme.background);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);

  if (priv->title && *priv->title)
    show_text (self, cr, priv->title, 1.2, &theme.text, PAD, PAD, 0, 0);

  if (klass->has_value_axis)
    {
      guint n = priv->categories->len;
      double label_w = 0, slot = n > 0 ? plot->size.width / n : 0;
      guint every = 1;

      cairo_set_line_width (cr, 1);
      for (__int128 v = frame.axis_lo; v <= frame.axis_hi; v += frame.axis_step)
        {
          g_autofree char *text = tenure_chart_format_value (priv->unit, (gint64) v,
                                                             frame.axis_step);
          double y = round (tenure_chart_value_to_y (&frame, (gint64) v)) + 0.5;

          gdk_cairo_set_source_rgba (cr, v == 0 ? &theme.axis : &theme.grid);
          cairo_move_to (cr, plot->origin.x, y);
          cairo_line_to (cr, plot->origin.x + plot->size.width, y);
          cairo_stroke (cr);
          show_text (self, cr, text, 0.9, &theme.muted, plot->origin.x - 6, y, 1, 0.5);
        }
      /* Category labels under the plot, thinned out so they never overlap. */
      for (guint i = 0; i < n; i++)
        {
          double w;

          text_size (self, g_ptr_array_index (priv->categories, i), 1.0, &w, NULL);
          label_w = MAX (label_w, w + 8);
        }
      if (slot > 0 && label_w > slot)
        every = (guint) ceil (label_w / slot);
      for (guint i = 0; i < n; i += every)
        show_text (self, cr, g_ptr_array_index (priv->categories, i), 1.0, &theme.muted,
                   plot->origin.x + (i + 0.5) * slot, plot->origin.y + plot->size.height + 4,
                   0.5, 0);
    }

  if (klass->draw_data && priv->categories->len > 0 && priv->series->len > 0)
    {
      cairo_save (cr);
      klass->draw_data (self, cr, &frame);
      cairo_restore (cr);
    }

  entries = tenure_chart_get_legend_entries (self);
  for (guint i = 0; entries[i] != NULL; i++)
    {
      graphene_rect_t swatch;
      double text_x = 0;
      GdkRGBA colour;

      legend_place (self, width, frame.legend_y, (int) i, &swatch, &text_x);
      tenure_chart_get_legend_colour (self, i, dark, &colour);
      gdk_cairo_set_source_rgba (cr, &colour);
      cairo_rectangle (cr, swatch.origin.x, swatch.origin.y, SWATCH, SWATCH);
      cairo_fill (cr);
      show_text (self, cr, entries[i], 1.0, &theme.text, text_x,
                 swatch.origin.y + SWATCH / 2, 0, 0.5);
    }
  cairo_restore (cr);
}

static void
tenure_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  TenureChart *self = TENURE_CHART (widget);
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean dark = tenure_chart_is_dark (self);

  if (width <= 0 || height <= 0)
    return;
  if (priv->node == NULL || priv->node_width != width || priv->node_height != height
      || priv->node_dark != dark)
    {
      GtkSnapshot *scene = gtk_snapshot_new ();
      cairo_t *cr = gtk_snapshot_append_cairo (scene, &GRAPHENE_RECT_INIT (0, 0, width, height));

      tenure_chart_draw (self, cr, width, height, dark);
      cairo_destroy (cr);
      g_clear_pointer (&priv->node, gsk_render_node_unref);
      priv->node = gtk_snapshot_free_to_node (scene);
      priv->node_width = width;
      priv->node_height = height;
      priv->node_dark = dark;
      priv->scene_builds++;
    }
  if (priv->node)
    gtk_snapshot_append_node (snapshot, priv->node);
}

guint
tenure_chart_get_scene_builds (TenureChart *self)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  return priv->scene_builds;
}

/* Hover and description -------------------------------------------------------------------- */

gboolean
tenure_chart_hit_test (TenureChart *self,
                       double       x,
                       double       y,
                       guint       *series,
                       guint       *index)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);
  TenureChartClass *klass = TENURE_CHART_GET_CLASS (self);
  TenureChartFrame frame;
  guint s = 0, i = 0;

  if (klass->hit_test == NULL || priv->categories->len == 0 || priv->series->len == 0)
    return FALSE;
  tenure_chart_compute_frame (self, 0, 0, tenure_chart_is_dark (self), &frame);
  if (!klass->hit_test (self, &frame, x, y, &s, &i))
    return FALSE;
  if (series)
    *series = s;
  if (index)
    *index = i;
  return TRUE;
}

char *
tenure_chart_describe_point (TenureChart *self,
                             double       x,
                             double       y)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);
  g_autofree char *value = NULL;
  const char *name;
  guint s, i;

  if (!tenure_chart_hit_test (self, x, y, &s, &i))
    return NULL;
  value = tenure_chart_format_value (priv->unit, tenure_chart_get_value (self, s, i), 0);
  name = tenure_chart_get_series_name (self, s);
  if (name == NULL || *name == '\0' || priv->series->len == 1)
    /* Translators: hover text of a chart point: category, value */
    return g_strdup_printf (_("%s: %s"), tenure_chart_get_category (self, i), value);
  /* Translators: hover text of a chart point: series, category, value */
  return g_strdup_printf (_("%s · %s: %s"), name, tenure_chart_get_category (self, i), value);
}

char *
tenure_chart_describe (TenureChart *self)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);
  TenureChartClass *klass = TENURE_CHART_GET_CLASS (self);
  GString *text = g_string_new (NULL);
  guint described = 0, total = priv->series->len * priv->categories->len;

  if (priv->title && *priv->title)
    /* Translators: accessible description of a chart: its kind and title */
    g_string_append_printf (text, _("%s “%s”."), klass->kind ? _(klass->kind) : "",
                            priv->title);
  else
    g_string_append_printf (text, "%s.", klass->kind ? _(klass->kind) : "");
  if (total == 0)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("No data."));
      return g_string_free (text, FALSE);
    }
  for (guint s = 0; s < priv->series->len; s++)
    {
      Series *series = g_ptr_array_index (priv->series, s);

      g_string_append_c (text, ' ');
      if (*series->name)
        g_string_append_printf (text, "%s: ", series->name);
      for (guint i = 0; i < priv->categories->len && described < MAX_DESCRIBED; i++)
        {
          g_autofree char *value = tenure_chart_format_value (priv->unit, series->values[i], 0);

          g_string_append_printf (text, i > 0 ? ", %s %s" : "%s %s",
                                  (char *) g_ptr_array_index (priv->categories, i), value);
          described++;
        }
      g_string_append_c (text, ';');
    }
  if (described < total)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, g_dngettext (NULL, "and %u more value.",
                                                 "and %u more values.", total - described),
                              total - described);
    }
  return g_string_free (text, FALSE);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           TenureChart              *self)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);
  g_autofree char *text = tenure_chart_describe_point (self, x, y);

  if (g_strcmp0 (text, priv->tooltip) == 0)
    return;
  g_free (priv->tooltip);
  priv->tooltip = g_steal_pointer (&text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), priv->tooltip);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          TenureChart              *self)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  g_clear_pointer (&priv->tooltip, g_free);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
}

gboolean
tenure_chart_activate_at (TenureChart *self,
                          double       x,
                          double       y)
{
  guint s, i;

  g_return_val_if_fail (TENURE_IS_CHART (self), FALSE);

  if (!tenure_chart_hit_test (self, x, y, &s, &i))
    return FALSE;
  g_signal_emit (self, signals[POINT_ACTIVATED], 0, s, i);
  return TRUE;
}

static void
released_cb (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             TenureChart     *self)
{
  if (tenure_chart_activate_at (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
activate_at_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  double x, y;

  g_variant_get (parameter, "(dd)", &x, &y);
  tenure_chart_activate_at (TENURE_CHART (widget), x, y);
}

/* Object ----------------------------------------------------------------------------------- */

static void
tenure_chart_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 300;
}

static void
tenure_chart_finalize (GObject *object)
{
  TenureChart *self = TENURE_CHART (object);
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);

  g_clear_pointer (&priv->node, gsk_render_node_unref);
  g_clear_pointer (&priv->title, g_free);
  g_clear_pointer (&priv->tooltip, g_free);
  g_ptr_array_unref (priv->categories);
  g_ptr_array_unref (priv->series);
  G_OBJECT_CLASS (tenure_chart_parent_class)->finalize (object);
}

static void
tenure_chart_class_init (TenureChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tenure_chart_finalize;
  widget_class->snapshot = tenure_chart_snapshot;
  widget_class->measure = tenure_chart_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "chart");

  /**
   * TenureChart::point-activated:
   * @series: the series (bar colour, line, stack segment) under the click
   * @index: the category (bar group, slice, column)
   *
   * A click on a bar, slice, point or cell: what the dashboards open the list behind with.
   */
  signals[POINT_ACTIVATED] =
    g_signal_new ("point-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  gtk_widget_class_install_action (widget_class, "chart.activate-at", "(dd)",
                                   activate_at_action);
}

static void
tenure_chart_init (TenureChart *self)
{
  TenureChartPrivate *priv = tenure_chart_get_instance_private (self);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  priv->categories = g_ptr_array_new_with_free_func (g_free);
  priv->series = g_ptr_array_new_with_free_func (series_free);
  priv->force_dark = -1;
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  /* Redraw with the other colours when the system switches between light and dark. */
  if (adw_is_initialized ())
    g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                             G_CALLBACK (tenure_chart_invalidate), self, G_CONNECT_SWAPPED);
}
