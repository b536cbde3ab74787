/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-charts"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "base/tenure-error.h"
#include "tenure-bar-chart.h"
#include "tenure-chart-export.h"
#include "tenure-donut-chart.h"
#include "tenure-heatmap.h"
#include "tenure-line-chart.h"
#include "tenure-test-util.h"
#include "tenure-ui-test-util.h"

/* The chart widgets rendered to pixels, on screen (widget paintable → texture) and through
 * the Cairo exports, and checked where the values say the pixels must be. Screenshots go to
 * <build>/tests/app/screenshots/charts/<lang>/. */

#define W 480
#define H 320

typedef struct
{
  int     width, height, stride;
  guchar *data;
} Image;

static void
image_clear (Image *image)
{
  g_clear_pointer (&image->data, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Image, image_clear)

static void
pixel (const Image *image,
       int          x,
       int          y,
       GdkRGBA     *colour)
{
  guint32 p;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, image->width);
  g_assert_cmpint (y, <, image->height);
  memcpy (&p, image->data + (gsize) y * image->stride + (gsize) x * 4, 4);
  /* Cairo's ARGB32, opaque here (every chart paints its background). */
  colour->alpha = 1;
  colour->red = ((p >> 16) & 0xff) / 255.0;
  colour->green = ((p >> 8) & 0xff) / 255.0;
  colour->blue = (p & 0xff) / 255.0;
}

static gboolean
same_colour (const GdkRGBA *a,
             const GdkRGBA *b)
{
  return fabs (a->red - b->red) < 0.03 && fabs (a->green - b->green) < 0.03
         && fabs (a->blue - b->blue) < 0.03;
}

static void
assert_colour_at (const Image   *image,
                  double         x,
                  double         y,
                  const GdkRGBA *expected,
                  const char    *what)
{
  GdkRGBA got;

  pixel (image, (int) floor (x), (int) floor (y), &got);
  if (!same_colour (&got, expected))
    g_error ("%s at (%.1f, %.1f): expected %s, got %s", what, x, y,
             gdk_rgba_to_string (expected), gdk_rgba_to_string (&got));
}

static void
assert_not_blank (const Image *image)
{
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);
  gsize most = 0;

  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      {
        guint32 p;
        gsize count;

        memcpy (&p, image->data + (gsize) y * image->stride + (gsize) x * 4, 4);
        count = GPOINTER_TO_SIZE (g_hash_table_lookup (colours, GUINT_TO_POINTER (p))) + 1;
        g_hash_table_insert (colours, GUINT_TO_POINTER (p), GSIZE_TO_POINTER (count));
        most = MAX (most, count);
      }
  g_assert_cmpuint (g_hash_table_size (colours), >=, 16);
  g_assert_cmpuint (most, <, (gsize) image->width * image->height * 97 / 100);
}

static char *
output_path (const char *name)
{
  const char *root = g_getenv ("TENURE_BUILD_ROOT");
  const char *lang = g_getenv ("TENURE_TEST_LANG");
  g_autofree char *dir = g_build_filename (root ? root : ".", "tests", "app", "screenshots",
                                           "charts", lang ? lang : "en", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return g_build_filename (dir, name, NULL);
}

static gboolean
sized (gpointer data)
{
  GtkWidget *chart = data;

  return gtk_widget_get_mapped (chart) && gtk_widget_get_width (chart) == W
         && gtk_widget_get_height (chart) == H;
}

/* Shows CHART alone in a window at W × H and renders it through its paintable to IMAGE (and
 * to NAME.png). Returns the window, for the caller to destroy. */
static void capture (TenureChart *chart, const char *name, Image *image);

static GtkWidget *
render_on_screen (TenureChart *chart,
                  const char  *name,
                  Image       *image)
{
  GtkWidget *window = gtk_window_new ();

  gtk_widget_set_size_request (GTK_WIDGET (chart), W, H);
  gtk_window_set_resizable (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_window_present (GTK_WINDOW (window));
  tenure_ui_test_wait_for (sized, chart, 5000, "the chart laid out at its size");
  capture (chart, name, image);
  return window;
}

/* Renders the shown CHART again through its paintable to IMAGE (and NAME.png). */
static void
capture (TenureChart *chart,
         const char  *name,
         Image       *image)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_native (GTK_WIDGET (chart)));
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = output_path (file);

  paintable = gtk_widget_paintable_new (GTK_WIDGET (chart));
  for (guint attempt = 0; node == NULL && attempt < 20; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      tenure_ui_test_spin (30);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), W, H);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                        &GRAPHENE_RECT_INIT (0, 0, W, H));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  image->width = gdk_texture_get_width (texture);
  image->height = gdk_texture_get_height (texture);
  image->stride = image->width * 4;
  image->data = g_malloc ((gsize) image->height * image->stride);
  gdk_texture_download (texture, image->data, image->stride);
  g_assert_cmpint (image->width, ==, W);
  g_assert_cmpint (image->height, ==, H);
  assert_not_blank (image);
}

/* Exports CHART as PNG (NAME-export.png) and reads it back into IMAGE. */
static void
render_exported (TenureChart *chart,
                 const char  *name,
                 gboolean     dark,
                 Image       *image)
{
  g_autofree char *file = g_strconcat (name, "-export.png", NULL);
  g_autofree char *path = output_path (file);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  g_assert_true (tenure_chart_export (chart, TENURE_CHART_EXPORT_PNG, path, W, H, dark,
                                      &error));
  g_assert_no_error (error);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  /* An opaque PNG comes back as RGB24: the same pixel layout, the alpha byte unused. */
  g_assert_true (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32
                 || cairo_image_surface_get_format (surface) == CAIRO_FORMAT_RGB24);
  image->width = cairo_image_surface_get_width (surface);
  image->height = cairo_image_surface_get_height (surface);
  image->stride = cairo_image_surface_get_stride (surface);
  image->data = g_memdup2 (cairo_image_surface_get_data (surface),
                           (gsize) image->height * image->stride);
  cairo_surface_destroy (surface);
  g_assert_cmpint (image->width, ==, W);
  assert_not_blank (image);
}

static char *
hover (TenureChart *chart,
       double       x,
       double       y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (chart));

  /* Through the widget's own motion controller, as a pointer would. */
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        {
          g_signal_emit_by_name (controller, "motion", x, y);
          return g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (chart)));
        }
    }
  g_assert_not_reached ();
}

/* TIP is the hover text of SERIES (NULL: a single series), CATEGORY and VALUE. */
static void
assert_tip (const char *tip,
            const char *series,
            const char *category,
            const char *value)
{
  g_autofree char *expected = series ? g_strdup_printf (_("%s · %s: %s"), series, category, value)
                                     : g_strdup_printf (_("%s: %s"), category, value);

  g_assert_cmpstr (tip, ==, expected);
}

/* The pixel row of VALUE by the axis of FRAME, computed here independently. */
static double
expected_y (const TenureChartFrame *frame,
            gint64                  value)
{
  return frame->plot.origin.y + frame->plot.size.height
         * (double) (frame->axis_hi - value) / (double) (frame->axis_hi - frame->axis_lo);
}

/* The first and last row in column X between Y0 and Y1 whose pixel is COLOUR. */
static gboolean
colour_run (const Image   *image,
            int            x,
            int            y0,
            int            y1,
            const GdkRGBA *colour,
            int           *first,
            int           *last)
{
  *first = *last = -1;
  for (int y = y0; y <= y1; y++)
    {
      GdkRGBA got;

      pixel (image, x, y, &got);
      if (same_colour (&got, colour))
        {
          if (*first < 0)
            *first = y;
          *last = y;
        }
    }
  return *first >= 0;
}

/* The iteration count, scaled by TENURE_TEST_ITERATIONS when set (CI lowers it). */
static guint
iterations_for (guint n)
{
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");

  return env && *env ? (guint) MAX (g_ascii_strtoull (env, NULL, 10), 1) : n;
}

/* Ticks ------------------------------------------------------------------------------------ */

static gboolean
is_nice (gint64 step)
{
  while (step >= 10 && step % 10 == 0)
    step /= 10;
  return step == 1 || step == 2 || step == 5;
}

static void
test_ticks_known (void)
{
  static const struct { gint64 lo, hi; guint max; gint64 tlo, thi, step; } cases[] = {
    { 0, 95, 5, 0, 100, 20 },
    { 0, 100, 5, 0, 100, 20 },
    { -1, 9, 5, -5, 10, 5 },
    { 0, 0, 5, 0, 1, 1 },
    { 123456, 987654, 6, 0, 1000000, 200000 },
    { 0, 1234567, 5, 0, 1500000, 500000 },
    { -350, -20, 4, -400, 0, 100 },
    { 0, 3, 10, 0, 3, 1 },
    { 0, 1000000, 4, 0, 1000000, 500000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 lo, hi, step;

      tenure_chart_nice_ticks (cases[i].lo, cases[i].hi, cases[i].max, &lo, &hi, &step);
      g_test_message ("[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "] → %" G_GINT64_FORMAT
                      "..%" G_GINT64_FORMAT " by %" G_GINT64_FORMAT, cases[i].lo, cases[i].hi,
                      lo, hi, step);
      g_assert_cmpint (step, ==, cases[i].step);
      g_assert_cmpint (lo, ==, cases[i].tlo);
      g_assert_cmpint (hi, ==, cases[i].thi);
    }
}

static void
test_ticks_random (void)
{
  guint iterations = iterations_for (20000);

  for (guint n = 0; n < iterations; n++)
    {
      int digits = g_test_rand_int_range (0, 19);
      gint64 scale = 1, a, b, lo, hi, step, smaller;
      guint max = (guint) g_test_rand_int_range (1, 12);

      for (int d = 0; d < digits; d++)
        scale *= 10;
      a = (gint64) (g_test_rand_double_range (-1, 1) * (double) scale);
      b = (gint64) (g_test_rand_double_range (-1, 1) * (double) scale);
      tenure_chart_nice_ticks (a, b, max, &lo, &hi, &step);
      g_assert_true (is_nice (step));
      g_assert_cmpint (lo % step, ==, 0);
      g_assert_cmpint (hi % step, ==, 0);
      g_assert_cmpint (lo, <=, MIN (MIN (a, b), 0));
      g_assert_cmpint (hi, >=, MAX (MAX (a, b), 0));
      g_assert_cmpint (hi, >, lo);
      /* Across zero at least two intervals. */
      if (MIN (a, b) < 0 && MAX (a, b) > 0)
        max = MAX (max, 2);
      g_assert_cmpint ((hi - lo) / step, <=, max);
      /* Minimal: the next smaller nice step needs more ticks than allowed. */
      smaller = step % 5 == 0 && is_nice (step / 5 * 2) && step / 5 * 2 < step ? step / 5 * 2
                : step % 2 == 0 ? step / 2 : step / 10;
      if (smaller >= 1 && is_nice (smaller))
        {
          gint64 slo = MIN (MIN (a, b), 0), shi = MAX (MAX (a, b), 0);
          gint64 flo = slo / smaller - (slo % smaller != 0);
          gint64 fhi = shi / smaller + (shi % smaller != 0);

          g_assert_cmpint (MAX (fhi - flo, 1), >, max);
        }
    }
}

static void
test_ticks_extremes (void)
{
  gint64 lo, hi, step;

  tenure_chart_nice_ticks (G_MININT64, G_MAXINT64, 4, &lo, &hi, &step);
  g_assert_true (is_nice (step));
  g_assert_cmpint (lo % step, ==, 0);
  g_assert_cmpint (hi % step, ==, 0);
  g_assert_cmpint (hi, >, 0);
  g_assert_cmpint (lo, <, 0);
  tenure_chart_nice_ticks (0, G_MAXINT64, 1, &lo, &hi, &step);
  g_assert_true (is_nice (step));
  g_assert_cmpint (lo, ==, 0);
  g_assert_cmpint (hi, >=, G_MAXINT64 - step);
}

/* Tick and value texts --------------------------------------------------------------------- */

static void
assert_format (TenureChartUnit unit,
               gint64          value,
               gint64          step,
               const char     *expected)
{
  g_autofree char *text = tenure_chart_format_value (unit, value, step);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format (void)
{
  gboolean zh = g_strcmp0 (g_getenv ("TENURE_TEST_LANG"), "zh_CN") == 0;

  assert_format (TENURE_CHART_UNIT_MONEY_FEN, 123456, 0, "¥1,234.56");
  assert_format (TENURE_CHART_UNIT_MONEY_FEN, -5, 0, "-¥0.05");
  assert_format (TENURE_CHART_UNIT_MONEY_FEN, 150, 50, "¥1.50");
  assert_format (TENURE_CHART_UNIT_MONEY_FEN, 200, 100, "¥2");
  assert_format (TENURE_CHART_UNIT_MONEY_FEN, 0, 100, "¥0");
  if (zh)
    {
      assert_format (TENURE_CHART_UNIT_MONEY_FEN, 150000000, 50000000, "¥150万");
      assert_format (TENURE_CHART_UNIT_MONEY_FEN, 500000, 500000, "¥0.5万");
      assert_format (TENURE_CHART_UNIT_MONEY_FEN, 25000000000, 5000000000, "¥2.5亿");
      assert_format (TENURE_CHART_UNIT_MONEY_FEN, -3000000, 1000000, "-¥3万");
      assert_format (TENURE_CHART_UNIT_AREA_C, 123456, 0, "1,234.56 ㎡");
    }
  else
    {
      assert_format (TENURE_CHART_UNIT_MONEY_FEN, 1500000, 500000, "¥15k");
      assert_format (TENURE_CHART_UNIT_MONEY_FEN, 250000000, 50000000, "¥2.5M");
      assert_format (TENURE_CHART_UNIT_MONEY_FEN, 100000000, 100000000, "¥1M");
      assert_format (TENURE_CHART_UNIT_MONEY_FEN, -3000000, 1000000, "-¥30k");
      assert_format (TENURE_CHART_UNIT_AREA_C, 123456, 0, "1,234.56 m²");
      assert_format (TENURE_CHART_UNIT_AREA_C, 5000000, 1000000, "50,000 m²");
    }
  assert_format (TENURE_CHART_UNIT_RATIO_PPM, 125000, 0, "12.50%");
  assert_format (TENURE_CHART_UNIT_RATIO_PPM, 100000, 50000, "10%");
  assert_format (TENURE_CHART_UNIT_RATIO_PPM, 25000, 5000, "2.5%");
  assert_format (TENURE_CHART_UNIT_RATIO_PPM, 123, 0, "0.0123%");
  assert_format (TENURE_CHART_UNIT_COUNT, 1234567, 0, "1,234,567");
  assert_format (TENURE_CHART_UNIT_COUNT, G_MININT64, 0, "-9,223,372,036,854,775,808");
}

/* Widgets ---------------------------------------------------------------------------------- */

static const char *months[] = { "一月", "二月", "三月", "四月", NULL };

static void
test_bar (void)
{
  static const gint64 rent[] = { 120000, 60000, 30000, 0 };
  TenureChart *chart;
  g_auto(Image) image = { 0 };
  g_auto(Image) exported = { 0 };
  g_auto(GStrv) legend = NULL;
  g_autofree char *tip = NULL;
  GtkWidget *window;
  TenureChartFrame frame;
  GdkRGBA blue;
  graphene_rect_t swatch;

  if (!tenure_ui_test_have_display ())
    return;
  chart = tenure_bar_chart_new (FALSE);
  tenure_chart_set_force_dark (chart, 0);
  tenure_chart_set_title (chart, "月租金收入");
  tenure_chart_set_unit (chart, TENURE_CHART_UNIT_MONEY_FEN);
  tenure_chart_set_categories (chart, months);
  tenure_chart_add_series (chart, "租金", rent, G_N_ELEMENTS (rent));
  window = render_on_screen (chart, "bar", &image);
  tenure_chart_palette (0, &blue);

  for (guint pass = 0; pass < 2; pass++)
    {
      const Image *img = pass == 0 ? &image : &exported;

      if (pass == 1)
        render_exported (chart, "bar", FALSE, &exported);
      tenure_chart_compute_frame (chart, W, H, FALSE, &frame);
      g_assert_cmpint (frame.axis_lo, ==, 0);
      g_assert_cmpint (frame.axis_hi, >=, 120000);
      g_assert_true (is_nice (frame.axis_step));
      for (guint i = 0; i < 3; i++)
        {
          graphene_rect_t bar;
          int first, last;
          double cx;

          tenure_bar_chart_get_bar (TENURE_BAR_CHART (chart), &frame, 0, i, &bar);
          cx = bar.origin.x + bar.size.width / 2;
          /* Category I's bar is centred in the I-th slot of the plot. */
          g_assert_cmpfloat (fabs (cx - (frame.plot.origin.x + (i + 0.5) * frame.plot.size.width
                                          / 4)), <=, 1.0);
          g_assert_true (colour_run (img, (int) cx, (int) frame.plot.origin.y,
                                     (int) (frame.plot.origin.y + frame.plot.size.height),
                                     &blue, &first, &last));
          g_test_message ("bar %u: rows %d..%d, expected %.1f..%.1f", i, first, last,
                          expected_y (&frame, rent[i]), expected_y (&frame, 0));
          g_assert_cmpfloat (fabs (first - expected_y (&frame, rent[i])), <=, 1.0);
          g_assert_cmpfloat (fabs (last + 1 - expected_y (&frame, 0)), <=, 1.0);
        }
      /* Twice the value, twice the height. */
      {
        graphene_rect_t a, b;

        tenure_bar_chart_get_bar (TENURE_BAR_CHART (chart), &frame, 0, 0, &a);
        tenure_bar_chart_get_bar (TENURE_BAR_CHART (chart), &frame, 0, 1, &b);
        g_assert_cmpfloat (fabs (a.size.height - 2 * b.size.height), <=, 1.0);
      }
      legend = (g_strfreev (legend), tenure_chart_get_legend_entries (chart));
      g_assert_cmpuint (g_strv_length (legend), ==, 1);
      g_assert_cmpstr (legend[0], ==, "租金");
      g_assert_true (tenure_chart_get_legend_swatch (chart, &frame, 0, &swatch));
      assert_colour_at (img, swatch.origin.x + 6, swatch.origin.y + 6, &blue, "legend swatch");
      g_assert_false (tenure_chart_get_legend_swatch (chart, &frame, 1, &swatch));
    }

  /* The scene is drawn once and reused until the data changes. */
  {
    guint builds = tenure_chart_get_scene_builds (chart);
    g_auto(Image) again = { 0 };
    static const gint64 more[] = { 1, 2, 3, 4 };

    g_assert_cmpuint (builds, >=, 1);
    capture (chart, "bar-again", &again);
    g_assert_cmpuint (tenure_chart_get_scene_builds (chart), ==, builds);
    tenure_chart_add_series (chart, "物业费", more, 4);
    image_clear (&again);
    capture (chart, "bar-two-series", &again);
    g_assert_cmpuint (tenure_chart_get_scene_builds (chart), ==, builds + 1);
  }

  /* Hover: the value under the pointer. */
  {
    graphene_rect_t bar;

    tenure_chart_compute_frame (chart, W, H, FALSE, &frame);
    tenure_bar_chart_get_bar (TENURE_BAR_CHART (chart), &frame, 0, 1, &bar);
    tip = hover (chart, bar.origin.x + bar.size.width / 2, bar.origin.y + 5);
    assert_tip (tip, "租金", "二月", "¥600.00");
    g_clear_pointer (&tip, g_free);
    tip = hover (chart, bar.origin.x + bar.size.width / 2, bar.origin.y - 10);
    g_assert_null (tip);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Losses below zero: the axis reaches down, the bar hangs from the zero line. */
static void
test_bar_negative (void)
{
  static const gint64 net[] = { -50000, 100000 };
  static const char *labels[] = { "亏损", "盈利", NULL };
  TenureChart *chart;
  g_auto(Image) image = { 0 };
  TenureChartFrame frame;
  GdkRGBA blue;

  if (!tenure_ui_test_have_display ())
    return;
  chart = g_object_ref_sink (tenure_bar_chart_new (FALSE));
  tenure_chart_set_unit (chart, TENURE_CHART_UNIT_MONEY_FEN);
  tenure_chart_set_categories (chart, labels);
  tenure_chart_add_series (chart, "净收益", net, 2);
  render_exported (chart, "bar-negative", FALSE, &image);
  tenure_chart_compute_frame (chart, W, H, FALSE, &frame);
  tenure_chart_palette (0, &blue);
  g_assert_cmpint (frame.axis_lo, <=, -50000);
  g_assert_cmpint (frame.axis_lo, >, -100000);
  g_assert_cmpint (frame.axis_hi, >=, 100000);
  for (guint i = 0; i < 2; i++)
    {
      graphene_rect_t bar;
      int first, last;

      tenure_bar_chart_get_bar (TENURE_BAR_CHART (chart), &frame, 0, i, &bar);
      g_assert_true (colour_run (&image, (int) (bar.origin.x + bar.size.width / 2), 0, H - 1,
                                 &blue, &first, &last));
      if (net[i] < 0)
        {
          g_assert_cmpfloat (fabs (first - expected_y (&frame, 0)), <=, 1.0);
          g_assert_cmpfloat (fabs (last + 1 - expected_y (&frame, net[i])), <=, 1.0);
        }
      else
        {
          g_assert_cmpfloat (fabs (first - expected_y (&frame, net[i])), <=, 1.0);
          g_assert_cmpfloat (fabs (last + 1 - expected_y (&frame, 0)), <=, 1.0);
        }
    }
  g_object_unref (chart);
}

static void
test_stacked (void)
{
  static const gint64 own[] = { 40000, 20000 }, other[] = { 20000, 40000 };
  static const char *labels[] = { "A座", "B座", NULL };
  TenureChart *chart;
  g_auto(Image) image = { 0 };
  g_auto(GStrv) legend = NULL;
  TenureChartFrame frame;
  GtkWidget *window;
  GdkRGBA c0, c1;

  if (!tenure_ui_test_have_display ())
    return;
  chart = tenure_bar_chart_new (TRUE);
  tenure_chart_set_force_dark (chart, 0);
  tenure_chart_set_unit (chart, TENURE_CHART_UNIT_AREA_C);
  tenure_chart_set_categories (chart, labels);
  tenure_chart_add_series (chart, "已租", own, 2);
  tenure_chart_add_series (chart, "空置", other, 2);
  window = render_on_screen (chart, "stacked-bar", &image);
  tenure_chart_compute_frame (chart, W, H, FALSE, &frame);
  tenure_chart_palette (0, &c0);
  tenure_chart_palette (1, &c1);
  g_assert_cmpint (frame.axis_hi, >=, 60000);
  for (guint i = 0; i < 2; i++)
    {
      graphene_rect_t bar;
      int first0, last0, first1, last1, x;

      tenure_bar_chart_get_bar (TENURE_BAR_CHART (chart), &frame, 0, i, &bar);
      x = (int) (bar.origin.x + bar.size.width / 2);
      g_assert_true (colour_run (&image, x, 0, H - 1, &c0, &first0, &last0));
      g_assert_true (colour_run (&image, x, 0, H - 1, &c1, &first1, &last1));
      /* The second series sits on the first: its bottom is the first's top. */
      g_assert_cmpfloat (fabs (first1 - expected_y (&frame, own[i] + other[i])), <=, 1.0);
      g_assert_cmpint (last1 + 1, ==, first0);
      g_assert_cmpfloat (fabs (first0 - expected_y (&frame, own[i])), <=, 1.0);
      g_assert_cmpfloat (fabs (last0 + 1 - expected_y (&frame, 0)), <=, 1.0);
    }
  legend = tenure_chart_get_legend_entries (chart);
  g_assert_cmpuint (g_strv_length (legend), ==, 2);
  g_assert_cmpstr (legend[1], ==, "空置");
  for (guint i = 0; i < 2; i++)
    {
      graphene_rect_t swatch;

      g_assert_true (tenure_chart_get_legend_swatch (chart, &frame, i, &swatch));
      assert_colour_at (&image, swatch.origin.x + 6, swatch.origin.y + 6, i ? &c1 : &c0,
                        "legend swatch");
    }
  {
    graphene_rect_t bar;
    g_autofree char *tip = NULL;

    tenure_bar_chart_get_bar (TENURE_BAR_CHART (chart), &frame, 1, 1, &bar);
    tip = hover (chart, bar.origin.x + 3, bar.origin.y + 3);
    {
      g_autofree char *area = tenure_chart_format_value (TENURE_CHART_UNIT_AREA_C, 40000, 0);

      assert_tip (tip, "空置", "B座", area);
    }
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_line (void)
{
  static const gint64 occupancy[] = { 850000, 900000, 875000, 950000 };
  static const gint64 target[] = { 900000, 900000, 900000, 900000 };
  TenureChart *chart;
  g_auto(Image) image = { 0 };
  TenureChartFrame frame;
  GtkWidget *window;
  g_autofree char *tip = NULL;

  if (!tenure_ui_test_have_display ())
    return;
  chart = tenure_line_chart_new ();
  tenure_chart_set_force_dark (chart, 0);
  tenure_chart_set_title (chart, "出租率");
  tenure_chart_set_unit (chart, TENURE_CHART_UNIT_RATIO_PPM);
  tenure_chart_set_categories (chart, months);
  tenure_chart_add_series (chart, "实际", occupancy, 4);
  tenure_chart_add_series (chart, "目标", target, 4);
  window = render_on_screen (chart, "line", &image);
  tenure_chart_compute_frame (chart, W, H, FALSE, &frame);
  g_assert_cmpint (frame.axis_hi, >=, 950000);
  for (guint i = 0; i < 4; i++)
    {
      graphene_point_t p;
      GdkRGBA colour;

      /* Series 0 is drawn first; sample its dots where the target line is far away. */
      tenure_line_chart_get_point (TENURE_LINE_CHART (chart), &frame, 0, i, &p);
      g_assert_cmpfloat (fabs (p.y - expected_y (&frame, occupancy[i])), <, 0.01);
      g_assert_cmpfloat (fabs (p.x - (frame.plot.origin.x + (i + 0.5) * frame.plot.size.width
                                       / 4)), <, 0.01);
      tenure_chart_palette (0, &colour);
      if (occupancy[i] != target[i])
        assert_colour_at (&image, p.x, p.y, &colour, "line dot");
      tenure_line_chart_get_point (TENURE_LINE_CHART (chart), &frame, 1, i, &p);
      tenure_chart_palette (1, &colour);
      assert_colour_at (&image, p.x, p.y, &colour, "target dot");
    }
  /* The line runs between consecutive dots, and nowhere else. */
  {
    graphene_point_t a, b;
    GdkRGBA colour;

    tenure_chart_palette (0, &colour);
    tenure_line_chart_get_point (TENURE_LINE_CHART (chart), &frame, 0, 0, &a);
    tenure_line_chart_get_point (TENURE_LINE_CHART (chart), &frame, 0, 1, &b);
    assert_colour_at (&image, (a.x + b.x) / 2, (a.y + b.y) / 2, &colour, "line segment");
    /* Below the lowest dot (85%) only grid lines: no pixel of either line. */
    for (int y = (int) expected_y (&frame, 850000) + 6;
         y < (int) (frame.plot.origin.y + frame.plot.size.height) - 1; y++)
      for (int x = (int) frame.plot.origin.x; x < (int) (frame.plot.origin.x
                                                          + frame.plot.size.width); x++)
        {
          GdkRGBA got;

          pixel (&image, x, y, &got);
          if (same_colour (&got, &colour))
            g_error ("a line pixel at (%d, %d), below every value", x, y);
        }
  }
  {
    graphene_point_t p;

    tenure_line_chart_get_point (TENURE_LINE_CHART (chart), &frame, 0, 3, &p);
    tip = hover (chart, p.x + 2, p.y - 2);
    assert_tip (tip, "实际", "四月", "95.00%");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_donut (void)
{
  static const gint64 units[] = { 1, 1, 2, 0 };
  static const char *formats[] = { "零售", "餐饮", "办公", "仓储", NULL };
  /* Slice middles and points just inside each boundary, in degrees clockwise from 12. */
  static const struct { double angle; guint slice; } samples[] = {
    { 45, 0 }, { 85, 0 }, { 95, 1 }, { 135, 1 }, { 175, 1 }, { 185, 2 }, { 270, 2 },
    { 355, 2 }, { 5, 0 },
  };
  TenureChart *chart;
  g_auto(Image) image = { 0 };
  g_auto(Image) exported = { 0 };
  g_auto(GStrv) legend = NULL;
  TenureChartFrame frame;
  GtkWidget *window;
  graphene_point_t c;
  double outer, inner, start, end;

  if (!tenure_ui_test_have_display ())
    return;
  chart = tenure_donut_chart_new ();
  tenure_chart_set_force_dark (chart, 0);
  tenure_chart_set_title (chart, "业态结构");
  tenure_chart_set_categories (chart, formats);
  tenure_chart_add_series (chart, NULL, units, 4);
  window = render_on_screen (chart, "donut", &image);
  render_exported (chart, "donut", FALSE, &exported);
  tenure_chart_compute_frame (chart, W, H, FALSE, &frame);
  tenure_donut_chart_get_ring (TENURE_DONUT_CHART (chart), &frame, &c, &outer, &inner);
  g_assert_cmpfloat (outer, >, 40);

  g_assert_true (tenure_donut_chart_get_slice (TENURE_DONUT_CHART (chart), 2, &start, &end));
  g_assert_cmpfloat (fabs (start - G_PI), <, 1e-9);
  g_assert_cmpfloat (fabs (end - 2 * G_PI), <, 1e-9);
  g_assert_false (tenure_donut_chart_get_slice (TENURE_DONUT_CHART (chart), 3, &start, &end));

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
      {
        double a = samples[i].angle * G_PI / 180, r = (outer + inner) / 2;
        GdkRGBA colour;

        tenure_chart_palette (samples[i].slice, &colour);
        assert_colour_at (pass ? &exported : &image, c.x + r * sin (a), c.y - r * cos (a),
                          &colour, "donut slice");
      }
  legend = tenure_chart_get_legend_entries (chart);
  g_assert_cmpuint (g_strv_length (legend), ==, 4);
  g_assert_cmpstr (legend[2], ==, "办公");
  {
    g_autofree char *tip = hover (chart, c.x - (outer + inner) / 2, c.y);
    g_autofree char *hole = hover (chart, c.x, c.y);

    assert_tip (tip, NULL, "办公", "2");
    g_assert_null (hole);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_heatmap (void)
{
  static const char *weeks[] = { "W1", "W2", "W3", NULL };
  static const gint64 mall[] = { 0, 5, 10 }, office[] = { 2, 8, 4 };
  TenureChart *chart;
  g_auto(Image) image = { 0 };
  TenureChartFrame frame;
  TenureChartTheme theme;
  GtkWidget *window;
  graphene_rect_t cell;
  GdkRGBA strong, pale, got;

  if (!tenure_ui_test_have_display ())
    return;
  chart = tenure_heatmap_new ();
  tenure_chart_set_force_dark (chart, 0);
  tenure_chart_set_title (chart, "到期密度");
  tenure_chart_set_categories (chart, weeks);
  tenure_chart_add_series (chart, "购物中心", mall, 3);
  tenure_chart_add_series (chart, "写字楼", office, 3);
  window = render_on_screen (chart, "heatmap", &image);
  tenure_chart_compute_frame (chart, W, H, FALSE, &frame);
  tenure_chart_theme (FALSE, &theme);
  tenure_chart_palette (0, &strong);

  /* The largest value is the full palette colour, the smallest nearly the background. */
  tenure_heatmap_get_cell (TENURE_HEATMAP (chart), &frame, 0, 2, &cell);
  assert_colour_at (&image, cell.origin.x + 2, cell.origin.y + 2, &strong, "hottest cell");
  tenure_heatmap_get_cell (TENURE_HEATMAP (chart), &frame, 0, 0, &cell);
  pixel (&image, (int) cell.origin.x + 2, (int) cell.origin.y + 2, &pale);
  g_assert_cmpfloat (fabs (pale.red - theme.background.red) + fabs (pale.blue - 1), <, 0.2);
  /* Hotter cells are darker (light theme): 8 > 4 > 2. */
  {
    double luma[3];
    guint cols[] = { 1, 2, 0 };

    for (guint k = 0; k < 3; k++)
      {
        tenure_heatmap_get_cell (TENURE_HEATMAP (chart), &frame, 1, cols[k], &cell);
        pixel (&image, (int) cell.origin.x + 2, (int) cell.origin.y + 2, &got);
        luma[k] = got.red + got.green + got.blue;
      }
    g_assert_cmpfloat (luma[0], <, luma[1]);
    g_assert_cmpfloat (luma[1], <, luma[2]);
  }
  {
    g_autofree char *tip = NULL;

    tenure_heatmap_get_cell (TENURE_HEATMAP (chart), &frame, 1, 1, &cell);
    tip = hover (chart, cell.origin.x + 3, cell.origin.y + cell.size.height - 3);
    assert_tip (tip, "写字楼", "W2", "8");
  }
  /* The legend is the scale: the lowest value pale, the highest strong. */
  {
    g_auto(GStrv) legend = tenure_chart_get_legend_entries (chart);
    graphene_rect_t swatch;

    g_assert_cmpuint (g_strv_length (legend), ==, 2);
    g_assert_cmpstr (legend[0], ==, "0");
    g_assert_cmpstr (legend[1], ==, "10");
    g_assert_true (tenure_chart_get_legend_swatch (chart, &frame, 1, &swatch));
    assert_colour_at (&image, swatch.origin.x + 6, swatch.origin.y + 6, &strong, "scale high");
    g_assert_true (tenure_chart_get_legend_swatch (chart, &frame, 0, &swatch));
    assert_colour_at (&image, swatch.origin.x + 6, swatch.origin.y + 6, &pale, "scale low");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The brightest and darkest pixel of a region: text shows there. */
static void
luma_range (const Image *image,
            int x0, int y0, int x1, int y1,
            double *lo, double *hi)
{
  *lo = 3;
  *hi = 0;
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        GdkRGBA c;

        pixel (image, x, y, &c);
        *lo = MIN (*lo, c.red + c.green + c.blue);
        *hi = MAX (*hi, c.red + c.green + c.blue);
      }
}

static void
test_dark (void)
{
  static const gint64 rent[] = { 120000, 60000, 30000, 90000 };
  AdwStyleManager *manager;
  TenureChart *chart;
  g_auto(Image) light = { 0 };
  g_auto(Image) dark = { 0 };
  g_auto(Image) exported = { 0 };
  GtkWidget *window;
  TenureChartTheme theme;
  double lo, hi;

  if (!tenure_ui_test_have_display ())
    return;
  adw_init ();
  manager = adw_style_manager_get_default ();
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  chart = tenure_bar_chart_new (FALSE);
  tenure_chart_set_title (chart, "深色模式 Dark");
  tenure_chart_set_unit (chart, TENURE_CHART_UNIT_MONEY_FEN);
  tenure_chart_set_categories (chart, months);
  tenure_chart_add_series (chart, "租金", rent, 4);
  window = render_on_screen (chart, "dark-off", &light);
  g_assert_false (tenure_chart_is_dark (chart));
  tenure_chart_theme (FALSE, &theme);
  assert_colour_at (&light, 2, 2, &theme.background, "light background");
  luma_range (&light, 12, 12, 200, 30, &lo, &hi);
  g_assert_cmpfloat (lo, <, 0.6);          /* dark title text */

  /* The system switches to dark: the same widget drops its cached scene and redraws. */
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (manager));
  g_assert_true (tenure_chart_is_dark (chart));
  capture (chart, "dark-on", &dark);
  tenure_chart_theme (TRUE, &theme);
  assert_colour_at (&dark, 2, 2, &theme.background, "dark background");
  luma_range (&dark, 12, 12, 200, 30, &lo, &hi);
  g_assert_cmpfloat (hi, >, 2.4);          /* light title text */
  render_exported (chart, "dark", TRUE, &exported);
  assert_colour_at (&exported, 2, 2, &theme.background, "dark export background");

  /* Forced light wins over the system's dark. */
  tenure_chart_set_force_dark (chart, 0);
  image_clear (&light);
  capture (chart, "dark-forced-light", &light);
  tenure_chart_theme (FALSE, &theme);
  assert_colour_at (&light, 2, 2, &theme.background, "forced light background");
  gtk_window_destroy (GTK_WINDOW (window));
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

static gsize
file_starts_with (const char *path,
                  const char *prefix,
                  const char *contains)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (length, >, 200);
  if (prefix)
    g_assert_true (g_str_has_prefix (data, prefix));
  if (contains)
    g_assert_nonnull (g_strstr_len (data, (gssize) length, contains));
  return length;
}

static void
test_export (void)
{
  static const gint64 rent[] = { 120000, 60000, 30000, 90000 };
  TenureChart *chart;
  g_autofree char *svg = output_path ("bar.svg");
  g_autofree char *pdf = output_path ("bar.pdf");
  g_autoptr(GError) error = NULL;
  g_autofree char *pdftoppm = g_find_program_in_path ("pdftoppm");
  TenureChartExportFormat format;

  if (!tenure_ui_test_have_display ())
    return;
  chart = g_object_ref_sink (tenure_bar_chart_new (TRUE));
  tenure_chart_set_title (chart, "导出 Export");
  tenure_chart_set_unit (chart, TENURE_CHART_UNIT_MONEY_FEN);
  tenure_chart_set_categories (chart, months);
  tenure_chart_add_series (chart, "租金", rent, 4);
  tenure_chart_add_series (chart, "物业费", rent, 4);

  g_assert_true (tenure_chart_export_format_for_path ("a/B.SVG", &format));
  g_assert_cmpint (format, ==, TENURE_CHART_EXPORT_SVG);
  g_assert_false (tenure_chart_export_format_for_path ("chart.xlsx", &format));

  g_assert_true (tenure_chart_export (chart, TENURE_CHART_EXPORT_SVG, svg, 640, 400, FALSE,
                                      &error));
  g_assert_no_error (error);
  file_starts_with (svg, NULL, "<svg");
  g_assert_true (tenure_chart_export (chart, TENURE_CHART_EXPORT_PDF, pdf, 640, 400, FALSE,
                                      &error));
  g_assert_no_error (error);
  file_starts_with (pdf, "%PDF", NULL);

  if (pdftoppm)
    {
      g_autofree char *prefix = output_path ("bar-pdf");
      g_autofree char *png = g_strconcat (prefix, ".png", NULL);
      const char *argv[] = { pdftoppm, "-png", "-r", "72", "-singlefile", pdf, prefix, NULL };
      int status = 0;
      g_auto(Image) image = { 0 };
      cairo_surface_t *surface;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   NULL, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      surface = cairo_image_surface_create_from_png (png);
      g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
      image.width = cairo_image_surface_get_width (surface);
      image.height = cairo_image_surface_get_height (surface);
      image.stride = cairo_image_surface_get_stride (surface);
      image.data = g_memdup2 (cairo_image_surface_get_data (surface),
                              (gsize) image.height * image.stride);
      cairo_surface_destroy (surface);
      g_assert_cmpint (image.width, ==, 640);
      assert_not_blank (&image);
    }
  else
    g_test_message ("pdftoppm not installed: the PDF is checked by its header only");

  /* Bad input: a clear error, nothing written. */
  g_assert_false (tenure_chart_export (chart, TENURE_CHART_EXPORT_PNG, svg, 0, 400, FALSE,
                                       &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tenure_chart_export (chart, TENURE_CHART_EXPORT_PNG,
                                       "/nonexistent-dir/chart.png", 300, 200, FALSE, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/chart.png"));
  g_clear_error (&error);
  g_assert_false (tenure_chart_export (chart, TENURE_CHART_EXPORT_PDF,
                                       "/nonexistent-dir/chart.pdf", 300, 200, FALSE, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_IO);
  g_object_unref (chart);
}

static void
test_describe (void)
{
  static const gint64 rent[] = { 120000, 60000, 30000, 0 };
  TenureChart *chart;
  g_autofree char *empty = NULL;
  g_autofree char *text = NULL;
  g_autofree char *many = NULL;
  g_autofree gint64 *values = g_new0 (gint64, 100);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_auto(Image) image = { 0 };

  if (!tenure_ui_test_have_display ())
    return;
  chart = g_object_ref_sink (tenure_bar_chart_new (FALSE));
  empty = tenure_chart_describe (chart);
  g_assert_nonnull (strstr (empty, _("No data.")));
  /* An empty chart still draws (background and axis) without data. */
  {
    g_autofree char *path = output_path ("empty.png");
    g_autoptr(GError) error = NULL;

    g_assert_true (tenure_chart_export (chart, TENURE_CHART_EXPORT_PNG, path, 200, 100, FALSE,
                                        &error));
    g_assert_no_error (error);
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  }

  tenure_chart_set_title (chart, "月租金收入");
  tenure_chart_set_unit (chart, TENURE_CHART_UNIT_MONEY_FEN);
  tenure_chart_set_categories (chart, months);
  tenure_chart_add_series (chart, "租金", rent, 4);
  text = tenure_chart_describe (chart);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "月租金收入"));
  g_assert_nonnull (strstr (text, "租金: 一月 ¥1,200.00, 二月 ¥600.00, 三月 ¥300.00, 四月 ¥0.00"));

  for (guint i = 0; i < 100; i++)
    {
      g_ptr_array_add (labels, g_strdup_printf ("U%03u", i));
      values[i] = i * 1000;
    }
  g_ptr_array_add (labels, NULL);
  tenure_chart_set_categories (chart, (const char * const *) labels->pdata);
  tenure_chart_add_series (chart, "面积", values, 100);
  many = tenure_chart_describe (chart);
  g_assert_nonnull (strstr (many, "U039"));
  g_assert_null (strstr (many, "U040"));
  g_assert_nonnull (strstr (many, "60"));
  /* 100 categories: labels thinned out, still draws. */
  render_exported (chart, "many", FALSE, &image);
  g_object_unref (chart);
}

int
main (int argc, char **argv)
{
  tenure_ui_test_init (&argc, &argv);

  g_test_add_func ("/charts/ticks/known", test_ticks_known);
  g_test_add_func ("/charts/ticks/random", test_ticks_random);
  g_test_add_func ("/charts/ticks/extremes", test_ticks_extremes);
  g_test_add_func ("/charts/format", test_format);
  g_test_add_func ("/charts/bar", test_bar);
  g_test_add_func ("/charts/bar/negative", test_bar_negative);
  g_test_add_func ("/charts/stacked-bar", test_stacked);
  g_test_add_func ("/charts/line", test_line);
  g_test_add_func ("/charts/donut", test_donut);
  g_test_add_func ("/charts/heatmap", test_heatmap);
  g_test_add_func ("/charts/dark", test_dark);
  g_test_add_func ("/charts/export", test_export);
  g_test_add_func ("/charts/describe", test_describe);
  return g_test_run ();
}
