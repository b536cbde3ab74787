/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-stacking"

/* The stacking plan of a 60-floor tower (58 floors above ground, 2 basements), 40 units a
 * floor of 40 to 400 m² (2,400 blocks, all six statuses, tenants and rents), 1280 pixels
 * wide in a scrolled window, with the Cairo renderer:
 *
 *   build   the widget's snapshot with the render node invalidated (every block, floor name
 *           and the labels that fit, their Pango layouts cached after the first run)
 *   first   the very first build, when every label is laid out
 *   draw    rendering the node (the whole plan, 2,176 pixels high) into a texture
 *   cached  the snapshot when nothing changed
 *
 * Median of RUNS runs in milliseconds of wall and thread CPU time; goal: build under 16 ms.
 * Needs a display (xvfb-run); without one it exits 77 (skipped). */

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <time.h>

#include "tenure-stacking-plan.h"

#define RUNS 31
#define FLOORS 60
#define PER_FLOOR 40

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

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static GListModel *
make_floor (int f)
{
  GListStore *store = g_list_store_new (TENURE_TYPE_UNIT_INFO);

  for (int k = 0; k < PER_FLOOR; k++)
    {
      TenureUnitInfo *unit = g_object_new (TENURE_TYPE_UNIT_INFO, NULL);
      int i = f * PER_FLOOR + k;

      unit->id = i + 1;
      unit->floor_id = f + 1;
      unit->code = g_strdup_printf ("T1-%02d-%02d", f, k + 1);
      unit->name = g_strdup_printf ("%02d%02d", f, k + 1);
      unit->status = (TenureUnitStatus) (i * 7 % TENURE_UNIT_N_STATUSES);
      unit->leasable_area_c = (4000 + (i * 37 % 36000)) * (f < 2 ? 2 : 1);
      unit->asking_price_e4 = -1;
      if (unit->status == TENURE_UNIT_LEASED || unit->status == TENURE_UNIT_EXPIRING)
        {
          unit->contract_id = i + 1;
          unit->contract_code = g_strdup_printf ("HT-2026-%05d", i + 1);
          unit->tenant_name = g_strdup_printf ("上海星河商贸有限公司 %d", i);
          unit->tenant_short_name = g_strdup_printf ("星河商贸%d", i);
          unit->contract_end = tenure_date_from_ymd (2027 + i % 6, 1 + i % 12, 28);
          unit->rent_e4 = 1500000 + (i % 97) * 10000;
        }
      else
        unit->rent_e4 = -1;
      g_list_store_append (store, unit);
      g_object_unref (unit);
    }
  return G_LIST_MODEL (store);
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

int
main (int   argc,
      char *argv[])
{
  GListModel *floors[FLOORS];
  char *names[FLOORS];
  GtkWidget *window, *scrolled;
  TenureStackingPlan *plan;
  GtkWidget *widget;
  GskRenderer *renderer;
  g_autoptr(GError) error = NULL;
  double build[RUNS], draw[RUNS], cached[RUNS];
  double build_cpu[RUNS], draw_cpu[RUNS], cached_cpu[RUNS];
  double first, first_cpu;
  graphene_rect_t viewport;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  if (!gtk_init_check ())
    {
      fprintf (stderr, "bench-stacking: no display, skipped\n");
      return 77;
    }

  /* Top floor first: 58F … 1F, B1, B2. */
  for (int f = 0; f < FLOORS; f++)
    {
      int level = FLOORS - 2 - f;

      names[f] = level > 0 ? g_strdup_printf ("%dF", level) : g_strdup_printf ("B%d", 1 - level);
      floors[f] = make_floor (f);
    }
  window = gtk_window_new ();
  scrolled = gtk_scrolled_window_new ();
  plan = TENURE_STACKING_PLAN (tenure_stacking_plan_new ());
  widget = GTK_WIDGET (plan);
  gtk_widget_set_valign (widget, GTK_ALIGN_START);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), widget);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  tenure_stacking_plan_set_floors (plan, FLOORS, (const char *const *) names, floors);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  while (gtk_widget_get_height (widget) < FLOORS * TENURE_STACKING_PLAN_ROW_HEIGHT)
    g_main_context_iteration (NULL, TRUE);

  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, NULL, &error))
    {
      fprintf (stderr, "bench-stacking: %s\n", error->message);
      return 1;
    }
  viewport = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                 gtk_widget_get_height (widget));

  /* The widget drew once while the loop ran; a new data set makes the first build cold. */
  tenure_stacking_plan_set_floors (plan, FLOORS, (const char *const *) names, floors);
  gsk_render_node_unref (snapshot_widget (widget, &first, &first_cpu));
  for (guint run = 0; run < RUNS; run++)
    {
      GskRenderNode *node;
      GdkTexture *texture;
      gint64 start, cpu_start;

      /* A mode change invalidates the node; switch back and forth so every run builds. */
      tenure_stacking_plan_set_mode (plan, run % 2 ? TENURE_FLOOR_PLAN_MODE_STATUS
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
  printf ("stacking-plan floors=%d units=%d %dx%d  first %.2f ms (cpu %.2f)  build %.2f ms"
          " (cpu %.2f)  draw %.2f ms (cpu %.2f)  cached %.3f ms\n",
          FLOORS, FLOORS * PER_FLOOR, gtk_widget_get_width (widget),
          gtk_widget_get_height (widget), first, first_cpu, median (build, RUNS),
          median (build_cpu, RUNS), median (draw, RUNS), median (draw_cpu, RUNS),
          median (cached, RUNS));

  gsk_renderer_unrealize (renderer);
  g_object_unref (renderer);
  gtk_window_destroy (GTK_WINDOW (window));
  for (int f = 0; f < FLOORS; f++)
    {
      g_object_unref (floors[f]);
      g_free (names[f]);
    }
  return 0;
}
