/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the integer values of a chart count. Values stay integers; they become doubles only
 * for pixel positions. */
typedef enum
{
  TENURE_CHART_UNIT_COUNT,     /* plain counts */
  TENURE_CHART_UNIT_MONEY_FEN, /* money in fen (¥0.01) */
  TENURE_CHART_UNIT_AREA_C,    /* areas in centi-m² (0.01 m²) */
  TENURE_CHART_UNIT_RATIO_PPM, /* ratios in parts per million (1,000,000 = 100%) */
} TenureChartUnit;

/* Colours of one rendering: light or dark. */
typedef struct
{
  GdkRGBA background;
  GdkRGBA text;
  GdkRGBA muted;  /* tick labels, legend text */
  GdkRGBA grid;
  GdkRGBA axis;
} TenureChartTheme;

/* The geometry of one rendering at a size, shared by drawing and hit-testing. */
typedef struct
{
  double          width, height;
  graphene_rect_t plot;      /* the data area inside axes, title and legend */
  gint64          axis_lo;   /* value axis: lowest and highest tick and tick step */
  gint64          axis_hi;
  gint64          axis_step;
  double          legend_y;  /* top of the legend row (0 without legend) */
  gboolean        dark;
} TenureChartFrame;

#define TENURE_TYPE_CHART (tenure_chart_get_type ())
G_DECLARE_DERIVABLE_TYPE (TenureChart, tenure_chart, TENURE, CHART, GtkWidget)

struct _TenureChartClass
{
  GtkWidgetClass parent_class;

  /* A short translated name of the kind ("Bar chart") for the accessible description. */
  const char *kind;
  /* Whether the chart has a value axis with ticks (not the donut, not the heatmap). */
  gboolean    has_value_axis;
  /* Whether the legend lists the categories (a donut's slices) instead of the series. */
  gboolean    legend_by_category;

  /* The range the value axis must cover (only with has_value_axis). */
  void      (*data_range) (TenureChart *self, gint64 *lo, gint64 *hi);
  /* Draws the data inside FRAME->plot (the base drew background, title, axes and legend). */
  void      (*draw_data)  (TenureChart *self, cairo_t *cr, const TenureChartFrame *frame);
  /* The point under (X, Y): series and category index, or FALSE. */
  gboolean  (*hit_test)   (TenureChart *self, const TenureChartFrame *frame, double x, double y,
                           guint *series, guint *index);
  /* Optional: legend entries other than the series or categories (a heatmap's scale), and
   * the colour of entry I. */
  GStrv     (*legend_entries) (TenureChart *self);
  void      (*legend_colour)  (TenureChart *self, guint i, gboolean dark, GdkRGBA *colour);
};

/* Chooses axis ticks covering [LO, HI] in at most MAX_TICKS intervals (two across zero): the
 * smallest step of 1, 2 or 5 × 10^n (at least 1) that fits, and the lowest and highest tick as
 * multiples of it (0 is always covered). Pure; near the ends of gint64 the outer ticks are the
 * last representable multiples. */
void        tenure_chart_nice_ticks      (gint64  lo,
                                          gint64  hi,
                                          guint   max_ticks,
                                          gint64 *out_lo,
                                          gint64 *out_hi,
                                          gint64 *out_step);
/* VALUE in UNIT as display text: "¥1,234.56", "1,234.5 m²", "12.5%", "1,234". With a STEP
 * (a tick label) it shows only the decimals the step needs and groups large yuan amounts as
 * 万/亿 in Chinese or k/M otherwise. Newly allocated. */
char       *tenure_chart_format_value    (TenureChartUnit unit,
                                          gint64          value,
                                          gint64          step);

/* Sets the unit of every value. */
void        tenure_chart_set_unit        (TenureChart     *self,
                                          TenureChartUnit  unit);
TenureChartUnit tenure_chart_get_unit    (TenureChart     *self);
/* Sets the title drawn above the chart (NULL for none). */
void        tenure_chart_set_title       (TenureChart     *self,
                                          const char      *title);
/* Sets the category labels (x axis; slices of a donut; columns of a heatmap) and removes all
 * series. */
void        tenure_chart_set_categories  (TenureChart        *self,
                                          const char * const *labels);
/* Adds a series (a bar colour, a line; a heatmap row) of N_VALUES values, one per category. */
void        tenure_chart_add_series      (TenureChart  *self,
                                          const char   *name,
                                          const gint64 *values,
                                          guint         n_values);
guint       tenure_chart_get_n_categories (TenureChart *self);
guint       tenure_chart_get_n_series    (TenureChart *self);
const char *tenure_chart_get_category    (TenureChart *self, guint index);
const char *tenure_chart_get_series_name (TenureChart *self, guint series);
gint64      tenure_chart_get_value       (TenureChart *self, guint series, guint index);

/* Follows AdwStyleManager's dark mode unless forced: -1 follows, 0 light, 1 dark. */
void        tenure_chart_set_force_dark  (TenureChart *self,
                                          int          force_dark);
gboolean    tenure_chart_is_dark         (TenureChart *self);

/* The palette colour of series (or slice) I. */
void        tenure_chart_palette         (guint    i,
                                          GdkRGBA *colour);
/* The theme colours for light or dark. */
void        tenure_chart_theme           (gboolean          dark,
                                          TenureChartTheme *theme);

/* The geometry at WIDTH × HEIGHT (the widget's own size when both are 0). */
void        tenure_chart_compute_frame   (TenureChart      *self,
                                          double            width,
                                          double            height,
                                          gboolean          dark,
                                          TenureChartFrame *frame);
/* The pixel row of VALUE on the value axis of FRAME. */
double      tenure_chart_value_to_y      (const TenureChartFrame *frame,
                                          gint64                  value);
/* The legend entries' texts (series names; a donut's categories; a heatmap's lowest and
 * highest value), newly allocated. */
GStrv       tenure_chart_get_legend_entries (TenureChart *self);
/* The colour of legend entry I (light or DARK). */
void        tenure_chart_get_legend_colour  (TenureChart *self,
                                             guint        i,
                                             gboolean     dark,
                                             GdkRGBA     *colour);
/* The colour swatch of legend entry I at FRAME, or FALSE. */
gboolean    tenure_chart_get_legend_swatch  (TenureChart            *self,
                                             const TenureChartFrame *frame,
                                             guint                   i,
                                             graphene_rect_t        *rect);
/* The point under (X, Y) at the widget's current size, or FALSE. */
gboolean    tenure_chart_hit_test        (TenureChart *self,
                                          double       x,
                                          double       y,
                                          guint       *series,
                                          guint       *index);
/* Emits "point-activated" (series, index) for the point under (X, Y), as a click there
 * does (also the action "chart.activate-at" with "(dd)"); FALSE when nothing is there. */
gboolean    tenure_chart_activate_at     (TenureChart *self,
                                          double       x,
                                          double       y);
/* The hover text for the point under (X, Y) ("Rent · 2026-01: ¥1,200.00"), or NULL. */
char       *tenure_chart_describe_point  (TenureChart *self,
                                          double       x,
                                          double       y);
/* The accessible description: kind, title and the values, newly allocated. */
char       *tenure_chart_describe        (TenureChart *self);

/* Draws the whole scene (background, title, axes, data, legend) on CR at WIDTH × HEIGHT; used
 * by snapshot and by the exports. */
void        tenure_chart_draw            (TenureChart *self,
                                          cairo_t     *cr,
                                          double       width,
                                          double       height,
                                          gboolean     dark);

/* How many times snapshot drew the scene afresh (the cached render node was missing or stale):
 * for tests and benchmarks. */
guint       tenure_chart_get_scene_builds (TenureChart *self);

/* For subclasses: the PangoLayout of TEXT in the chart's font at SCALE × its size. */
PangoLayout *tenure_chart_create_layout  (TenureChart *self,
                                          cairo_t     *cr,
                                          const char  *text,
                                          double       scale);
/* For subclasses: drop the cached scene and redraw (data or mode changed). */
void        tenure_chart_invalidate      (TenureChart *self);

G_END_DECLS
