/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-floor-plan"

/* The floor-plan map on a floor of 2,000 units (a 50 × 40 grid of shops, every seventh an
 * L-shape, all six statuses, tenants and rents) in a 1280 × 800 widget with the Cairo
 * renderer:
 *
 *   build   the widget's snapshot with the render node invalidated (polygons by colour class,
 *           outlines, and the Pango labels that are legible at that zoom)
 *   draw    rendering the snapshot's node into a texture (what a frame costs)
 *   cached  the snapshot when nothing changed (the cache hit of every other frame)
 *   empty-frame  render_texture of a single colour node of the same size: the renderer's
 *           fixed cost (surface, texture download) included in "draw"
 *
 * at zoom-to-fit (labels too small to show) and at 6× (every label laid out and cached).
 * Median of RUNS runs, in milliseconds of wall time and of this thread's CPU time (on a busy
 * machine the two differ); goal: build and draw under 8 ms each.
 * Needs a display (xvfb-run); without one it exits 77 (skipped). */

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <time.h>

#include "tenure-floor-plan.h"

#define RUNS 31
#define COLUMNS 50
#define ROWS 40

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), (GCompareFunc) compare_double);
  return values[n / 2];
}

static GListModel *
make_floor (void)
{
  GListStore *store = g_list_store_new (TENURE_TYPE_UNIT_INFO);

  for (int row = 0; row < ROWS; row++)
    for (int col = 0; col < COLUMNS; col++)
      {
        TenureUnitInfo *unit = g_object_new (TENURE_TYPE_UNIT_INFO, NULL);
        int i = row * COLUMNS + col;
        int x0 = 10 + col * 80, y0 = 10 + row * 60, x1 = x0 + 76, y1 = y0 + 56;
        g_autofree char *polygon = NULL;

        unit->id = i + 1;
        unit->code = g_strdup_printf ("F01-%04d", i + 1);
        unit->name = g_strdup_printf ("%04d", i + 1);
        unit->status = (TenureUnitStatus) (i * 7 % TENURE_UNIT_N_STATUSES);
        unit->leasable_area_c = 42560 + i;
        if (unit->status == TENURE_UNIT_LEASED || unit->status == TENURE_UNIT_EXPIRING)
          {
            unit->contract_id = i + 1;
            unit->contract_code = g_strdup_printf ("HT-2026-%05d", i + 1);
            unit->tenant_name = g_strdup_printf ("上海星河商贸有限公司 %d", i);
            unit->tenant_short_name = g_strdup_printf ("星河商贸%d", i);
            unit->contract_end = tenure_date_from_ymd (2027 + i % 6, 6, 30);
            unit->rent_e4 = 1500000 + (i % 97) * 10000;
          }
        else
          unit->rent_e4 = -1;
        if (i % 7 == 0)
          polygon = g_strdup_printf ("[[%d,%d],[%d,%d],[%d,%d],[%d,%d],[%d,%d],[%d,%d]]",
                                     x0, y0, x1, y0, x1, (y0 + y1) / 2, (x0 + x1) / 2,
                                     (y0 + y1) / 2, (x0 + x1) / 2, y1, x0, y1);
        else
          polygon = g_strdup_printf ("[[%d,%d],[%d,%d],[%d,%d],[%d,%d]]",
                                     x0, y0, x1, y0, x1, y1, x0, y1);
        unit->points = tenure_portfolio_parse_polygon (polygon, &unit->n_points);
        g_assert (unit->points != NULL);
        g_list_store_append (store, unit);
        g_object_unref (unit);
      }
  return G_LIST_MODEL (store);
}

/* CPU time of this thread in µs: on a shared, loaded machine wall time also counts the time
 * other processes held the CPU; both are printed. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static GskRenderNode *
snapshot_widget (GtkWidget *widget,
                 double    *ms,
                 double    *cpu_ms)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  gint64 start = g_get_monotonic_time ();
  gint64 cpu_start = thread_cpu_us ();
  GskRenderNode *node;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  *ms = (g_get_monotonic_time () - start) / 1000.0;
  *cpu_ms = (thread_cpu_us () - cpu_start) / 1000.0;
  return node;
}

static void
measure (TenureFloorPlan *plan,
         GskRenderer     *renderer,
         const char      *what)
{
  GtkWidget *widget = GTK_WIDGET (plan);
  graphene_rect_t viewport = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                 gtk_widget_get_height (widget));
  double build[RUNS], draw[RUNS], cached[RUNS];
  double build_cpu[RUNS], draw_cpu[RUNS], cached_cpu[RUNS];

  for (guint run = 0; run < RUNS; run++)
    {
      GskRenderNode *node;
      GdkTexture *texture;
      gint64 start, cpu_start;

      /* A mode change invalidates the node; switch back and forth so every run builds. */
      tenure_floor_plan_set_mode (plan, run % 2 ? TENURE_FLOOR_PLAN_MODE_STATUS
                                                : TENURE_FLOOR_PLAN_MODE_RENT_BAND);
      node = snapshot_widget (widget, &build[run], &build_cpu[run]);
      gsk_render_node_unref (snapshot_widget (widget, &cached[run], &cached_cpu[run]));

      start = g_get_monotonic_time ();
      cpu_start = thread_cpu_us ();
      texture = gsk_renderer_render_texture (renderer, node, &viewport);
      draw[run] = (g_get_monotonic_time () - start) / 1000.0;
      draw_cpu[run] = (thread_cpu_us () - cpu_start) / 1000.0;
      g_object_unref (texture);
      gsk_render_node_unref (node);
    }
  printf ("floor-plan %-8s units=%d %dx%d  build %.2f ms (cpu %.2f)  draw %.2f ms (cpu %.2f)"
          "  cached %.3f ms\n",
          what, COLUMNS * ROWS, gtk_widget_get_width (widget), gtk_widget_get_height (widget),
          median (build, RUNS), median (build_cpu, RUNS), median (draw, RUNS),
          median (draw_cpu, RUNS), median (cached, RUNS));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GListModel) units = NULL;
  GtkWidget *window;
  TenureFloorPlan *plan;
  GskRenderer *renderer;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  if (!gtk_init_check ())
    {
      fprintf (stderr, "bench-floor-plan: no display, skipped\n");
      return 77;
    }

  units = make_floor ();
  window = gtk_window_new ();
  plan = TENURE_FLOOR_PLAN (tenure_floor_plan_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (plan));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  tenure_floor_plan_set_units (plan, units, 10 + COLUMNS * 80, 10 + ROWS * 60);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  while (gtk_widget_get_width (GTK_WIDGET (plan)) == 0)
    g_main_context_iteration (NULL, TRUE);

  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, NULL, &error))
    {
      fprintf (stderr, "bench-floor-plan: %s\n", error->message);
      return 1;
    }

  /* The renderer's own cost for a frame of this size: one colour node, nothing else. */
  {
    graphene_rect_t viewport = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (plan)),
                                                   gtk_widget_get_height (GTK_WIDGET (plan)));
    GskRenderNode *node = gsk_color_node_new (&(GdkRGBA) { 1, 1, 1, 1 }, &viewport);
    double frame[RUNS];

    for (guint run = 0; run < RUNS; run++)
      {
        gint64 start = g_get_monotonic_time ();
        GdkTexture *texture = gsk_renderer_render_texture (renderer, node, &viewport);

        frame[run] = (g_get_monotonic_time () - start) / 1000.0;
        g_object_unref (texture);
      }
    printf ("floor-plan empty-frame  render_texture of one colour node %.2f ms\n",
            median (frame, RUNS));
    gsk_render_node_unref (node);
  }
  measure (plan, renderer, "fit");
  tenure_floor_plan_set_zoom (plan, 6.0, 640, 400);
  measure (plan, renderer, "zoom-6x");

  gsk_renderer_unrealize (renderer);
  g_object_unref (renderer);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
