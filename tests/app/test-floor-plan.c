/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-floor-plan"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tenure-floor-plan.h"
#include "tenure-ui-test-util.h"

/* The floor-plan map on a hand-made floor of 400 × 300 plan units:
 *
 *   A [10,10]-[100,100]   B [105,10]-[200,100]   (a 5-unit gap between them)
 *   L an L-shape: [10,120]→[200,120]→[200,160]→[60,160]→[60,250]→[10,250]
 *   C [210,10]-[300,250]  D a triangle without a lease far right
 */

typedef struct
{
  GtkWidget       *window;
  TenureFloorPlan *plan;
  GListStore      *units;
} Fixture;

static TenureUnitInfo *
make_unit (gint64            id,
           const char       *code,
           const char       *polygon,
           TenureUnitStatus  status,
           int               end_year,
           gint64            rent_e4)
{
  TenureUnitInfo *unit = g_object_new (TENURE_TYPE_UNIT_INFO, NULL);

  unit->id = id;
  unit->code = g_strdup (code);
  unit->name = g_strdup (code);
  unit->status = status;
  unit->leasable_area_c = 123456;
  unit->points = tenure_portfolio_parse_polygon (polygon, &unit->n_points);
  g_assert_nonnull (unit->points);
  if (end_year > 0)
    {
      unit->contract_id = id + 1000;
      unit->contract_code = g_strdup_printf ("HT-%s", code);
      unit->tenant_name = g_strdup_printf ("Tenant of %s", code);
      unit->tenant_short_name = g_strdup_printf ("T-%s", code);
      unit->contract_end = tenure_date_from_ymd (end_year, 6, 30);
    }
  unit->rent_e4 = rent_e4;
  return unit;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  TenureUnitInfo *units[] = {
    make_unit (1, "A", "[[10,10],[100,10],[100,100],[10,100]]", TENURE_UNIT_LEASED, 2027,
               1500000),
    make_unit (2, "B", "[[105,10],[200,10],[200,100],[105,100]]", TENURE_UNIT_EXPIRING, 2026,
               2000000),
    make_unit (3, "L", "[[10,120],[200,120],[200,160],[60,160],[60,250],[10,250]]",
               TENURE_UNIT_VACANT, 0, -1),
    make_unit (4, "C", "[[210,10],[300,10],[300,250],[210,250]]", TENURE_UNIT_LEASED, 2031,
               3000000),
    make_unit (5, "D", "[[320,200],[390,200],[355,290]]", TENURE_UNIT_RENOVATION, 0, -1),
  };

  fixture->units = g_list_store_new (TENURE_TYPE_UNIT_INFO);
  /* Without a display each test skips itself. */
  if (!tenure_ui_test_have_display ())
    {
      for (guint i = 0; i < G_N_ELEMENTS (units); i++)
        g_object_unref (units[i]);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_list_store_append (fixture->units, units[i]);
      g_object_unref (units[i]);
    }
  fixture->window = gtk_window_new ();
  fixture->plan = TENURE_FLOOR_PLAN (tenure_floor_plan_new ());
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->plan));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 824, 624);
  gtk_window_present (GTK_WINDOW (fixture->window));
  tenure_floor_plan_set_units (fixture->plan, G_LIST_MODEL (fixture->units), 400, 300);
  tenure_ui_test_spin (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->plan)), >, 100);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->units);
  tenure_ui_test_spin (50);
}

static gint64
id_at_plan (Fixture *fixture,
            double   px,
            double   py)
{
  double x, y;
  TenureUnitInfo *unit;

  tenure_floor_plan_plan_to_widget (fixture->plan, px, py, &x, &y);
  unit = tenure_floor_plan_unit_at (fixture->plan, x, y);
  return unit ? unit->id : 0;
}

static void
test_hit_testing (Fixture       *fixture,
                  gconstpointer  data)
{
  if (!tenure_ui_test_have_display ())
    return;

  /* Inside rectangles, near their corners too. */
  g_assert_cmpint (id_at_plan (fixture, 50, 50), ==, 1);
  g_assert_cmpint (id_at_plan (fixture, 11, 11), ==, 1);
  g_assert_cmpint (id_at_plan (fixture, 199, 99), ==, 2);
  g_assert_cmpint (id_at_plan (fixture, 250, 200), ==, 4);
  /* The gap between A and B belongs to neither. */
  g_assert_cmpint (id_at_plan (fixture, 102.5, 50), ==, 0);
  /* The L: both arms in, the cut-away corner (inside its bounding box) out. */
  g_assert_cmpint (id_at_plan (fixture, 150, 140), ==, 3);
  g_assert_cmpint (id_at_plan (fixture, 30, 240), ==, 3);
  g_assert_cmpint (id_at_plan (fixture, 150, 220), ==, 0);
  g_assert_cmpint (id_at_plan (fixture, 61, 161), ==, 0);
  /* The triangle: the tip in, beside its slanted sides out. */
  g_assert_cmpint (id_at_plan (fixture, 355, 280), ==, 5);
  g_assert_cmpint (id_at_plan (fixture, 325, 280), ==, 0);
  /* Outside the plan and outside the widget. */
  g_assert_cmpint (id_at_plan (fixture, 5, 5), ==, 0);
  g_assert_null (tenure_floor_plan_unit_at (fixture->plan, -50, -50));

  /* A click selects what is under it and clears on empty floor. */
  {
    double x, y;

    tenure_floor_plan_plan_to_widget (fixture->plan, 30, 240, &x, &y);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->plan),
                                               "floor-plan.select-at", "(dd)", x, y));
    g_assert_cmpint (tenure_floor_plan_get_selected (fixture->plan)->id, ==, 3);
    g_assert_nonnull (strstr (tenure_floor_plan_get_description (fixture->plan), "L"));
    tenure_floor_plan_plan_to_widget (fixture->plan, 150, 220, &x, &y);
    tenure_floor_plan_click (fixture->plan, x, y);
    g_assert_null (tenure_floor_plan_get_selected (fixture->plan));
    g_assert_cmpstr (tenure_floor_plan_get_description (fixture->plan), ==,
                     _("No unit selected"));
  }

  /* The label point of each unit lies inside it, the L's included. */
  for (gint64 id = 1; id <= 5; id++)
    {
      double x, y;

      g_assert_true (tenure_floor_plan_get_unit_point (fixture->plan, id, &x, &y));
      g_assert_cmpint (tenure_floor_plan_unit_at (fixture->plan, x, y)->id, ==, id);
    }
}

static const TenureFloorPlanLegendEntry *
legend_entry (TenureFloorPlan *plan,
              guint            index)
{
  GPtrArray *legend = tenure_floor_plan_get_legend (plan);

  g_assert_cmpuint (index, <, legend->len);
  return legend->pdata[index];
}

static void
assert_distinct_colours (TenureFloorPlan *plan)
{
  GPtrArray *legend = tenure_floor_plan_get_legend (plan);

  for (guint i = 0; i < legend->len; i++)
    for (guint j = i + 1; j < legend->len; j++)
      g_assert_false (gdk_rgba_equal (&legend_entry (plan, i)->colour,
                                      &legend_entry (plan, j)->colour));
}

static void
test_legend (Fixture       *fixture,
             gconstpointer  data)
{
  TenureFloorPlan *plan = fixture->plan;
  guint changed = 0;

  if (!tenure_ui_test_have_display ())
    return;

  g_signal_connect_swapped (plan, "legend-changed", G_CALLBACK (g_atomic_int_inc), &changed);

  /* Status: only the statuses on the floor, in order, with their counts. */
  g_assert_cmpint (tenure_floor_plan_get_mode (plan), ==, TENURE_FLOOR_PLAN_MODE_STATUS);
  g_assert_cmpuint (tenure_floor_plan_get_legend (plan)->len, ==, 4);
  g_assert_cmpstr (legend_entry (plan, 0)->label, ==, _("Vacant"));
  g_assert_cmpuint (legend_entry (plan, 0)->n_units, ==, 1);
  g_assert_cmpstr (legend_entry (plan, 1)->label, ==, _("Leased"));
  g_assert_cmpuint (legend_entry (plan, 1)->n_units, ==, 2);
  g_assert_cmpstr (legend_entry (plan, 2)->label, ==, _("Expiring within 90 days"));
  g_assert_cmpstr (legend_entry (plan, 3)->label, ==, _("Under renovation"));
  assert_distinct_colours (plan);

  /* Expiry year: from the earliest year on, the last class "or later", then no lease. */
  tenure_floor_plan_set_mode (plan, TENURE_FLOOR_PLAN_MODE_EXPIRY_YEAR);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (tenure_floor_plan_get_legend (plan)->len, ==, 4);
  g_assert_cmpstr (legend_entry (plan, 0)->label, ==, "2026");
  g_assert_cmpstr (legend_entry (plan, 1)->label, ==, "2027");
  g_assert_nonnull (strstr (legend_entry (plan, 2)->label, "2031"));
  g_assert_cmpuint (legend_entry (plan, 2)->n_units, ==, 1);
  g_assert_cmpstr (legend_entry (plan, 3)->label, ==, _("No current lease"));
  g_assert_cmpuint (legend_entry (plan, 3)->n_units, ==, 2);
  assert_distinct_colours (plan);

  /* Rent bands: three rents fall in three fifths, printed from integers. */
  tenure_floor_plan_set_mode (plan, TENURE_FLOOR_PLAN_MODE_RENT_BAND);
  g_assert_cmpuint (tenure_floor_plan_get_legend (plan)->len, ==, 4);
  g_assert_cmpstr (legend_entry (plan, 0)->label, ==, "150.00");
  g_assert_cmpstr (legend_entry (plan, 1)->label, ==, "200.00");
  g_assert_cmpstr (legend_entry (plan, 2)->label, ==, "300.00");
  g_assert_cmpstr (legend_entry (plan, 3)->label, ==, _("No rent per m²"));
  assert_distinct_colours (plan);
  g_assert_cmpstr (tenure_floor_plan_get_legend_title (plan), !=,
                   tenure_floor_plan_mode_label (TENURE_FLOOR_PLAN_MODE_STATUS));

  /* Setting the same mode again changes nothing. */
  tenure_floor_plan_set_mode (plan, TENURE_FLOOR_PLAN_MODE_RENT_BAND);
  g_assert_cmpuint (changed, ==, 2);
}

static void
test_zoom_bounds (Fixture       *fixture,
                  gconstpointer  data)
{
  TenureFloorPlan *plan = fixture->plan;
  double ax = 200, ay = 150, before_x, before_y, after_x, after_y;

  if (!tenure_ui_test_have_display ())
    return;

  g_assert_cmpfloat (tenure_floor_plan_get_zoom (plan), ==, 1.0);
  tenure_floor_plan_set_zoom (plan, 1000.0, 0, 0);
  g_assert_cmpfloat (tenure_floor_plan_get_zoom (plan), ==, TENURE_FLOOR_PLAN_MAX_ZOOM);
  tenure_floor_plan_set_zoom (plan, 0.001, 0, 0);
  g_assert_cmpfloat (tenure_floor_plan_get_zoom (plan), ==, TENURE_FLOOR_PLAN_MIN_ZOOM);
  tenure_floor_plan_set_zoom (plan, NAN, 0, 0);
  g_assert_cmpfloat (tenure_floor_plan_get_zoom (plan), ==, TENURE_FLOOR_PLAN_MIN_ZOOM);
  tenure_floor_plan_set_zoom (plan, -3, 0, 0);
  g_assert_cmpfloat (tenure_floor_plan_get_zoom (plan), ==, TENURE_FLOOR_PLAN_MIN_ZOOM);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan), "floor-plan.zoom-fit", NULL));
  g_assert_cmpfloat (tenure_floor_plan_get_zoom (plan), ==, 1.0);

  /* Zooming keeps the plan point under the anchor in place (to a pixel's rounding). */
  tenure_floor_plan_plan_to_widget (plan, ax, ay, &before_x, &before_y);
  tenure_floor_plan_set_zoom (plan, 3.0, before_x, before_y);
  tenure_floor_plan_plan_to_widget (plan, ax, ay, &after_x, &after_y);
  g_assert_cmpfloat (fabs (after_x - before_x), <=, 1.0);
  g_assert_cmpfloat (fabs (after_y - before_y), <=, 1.0);
  /* At 3× a unit is three times as wide on screen. */
  {
    double x0, y0, x1, y1;

    tenure_floor_plan_plan_to_widget (plan, 10, 10, &x0, &y0);
    tenure_floor_plan_plan_to_widget (plan, 100, 10, &x1, &y1);
    g_assert_cmpfloat (fabs ((x1 - x0) - 90 * 3 * 800.0 / 400), <=, 6.0);
  }

  /* Panning never loses the plan: the view centre stays on it. */
  tenure_floor_plan_pan (plan, 1e6, 1e6);
  tenure_floor_plan_plan_to_widget (plan, 0, 0, &after_x, &after_y);
  g_assert_cmpfloat (after_x, <=, gtk_widget_get_width (GTK_WIDGET (plan)) / 2.0 + 1);
  g_assert_cmpfloat (after_y, <=, gtk_widget_get_height (GTK_WIDGET (plan)) / 2.0 + 1);
  tenure_floor_plan_zoom_to_fit (plan);
  g_assert_cmpint (id_at_plan (fixture, 50, 50), ==, 1);
}

static void
test_arrow_keys (Fixture       *fixture,
                 gconstpointer  data)
{
  TenureFloorPlan *plan = fixture->plan;

  if (!tenure_ui_test_have_display ())
    return;

  /* Nothing selected: any arrow starts at the first unit. */
  g_assert_true (tenure_floor_plan_move_selection (plan, GTK_DIR_RIGHT));
  g_assert_cmpint (tenure_floor_plan_get_selected (plan)->id, ==, 1);

  g_assert_true (tenure_floor_plan_move_selection (plan, GTK_DIR_RIGHT));
  g_assert_cmpint (tenure_floor_plan_get_selected (plan)->id, ==, 2);
  g_assert_true (tenure_floor_plan_move_selection (plan, GTK_DIR_RIGHT));
  g_assert_cmpint (tenure_floor_plan_get_selected (plan)->id, ==, 4);
  g_assert_true (tenure_floor_plan_move_selection (plan, GTK_DIR_LEFT));
  g_assert_cmpint (tenure_floor_plan_get_selected (plan)->id, ==, 2);
  g_assert_true (tenure_floor_plan_move_selection (plan, GTK_DIR_DOWN));
  g_assert_cmpint (tenure_floor_plan_get_selected (plan)->id, ==, 3);
  /* From the L's middle, B is nearer straight up than A. */
  g_assert_true (tenure_floor_plan_move_selection (plan, GTK_DIR_UP));
  g_assert_cmpint (tenure_floor_plan_get_selected (plan)->id, ==, 2);
  g_assert_true (tenure_floor_plan_move_selection (plan, GTK_DIR_LEFT));
  g_assert_cmpint (tenure_floor_plan_get_selected (plan)->id, ==, 1);
  /* Nothing further left or up: the selection stays. */
  g_assert_false (tenure_floor_plan_move_selection (plan, GTK_DIR_LEFT));
  g_assert_false (tenure_floor_plan_move_selection (plan, GTK_DIR_UP));
  g_assert_cmpint (tenure_floor_plan_get_selected (plan)->id, ==, 1);
}

static void
unit_selected_cb (TenureFloorPlan *plan,
                  TenureUnitInfo  *unit,
                  gint64          *out)
{
  *out = unit ? unit->id : 0;
}

static void
test_selection_signal (Fixture       *fixture,
                       gconstpointer  data)
{
  TenureFloorPlan *plan = fixture->plan;
  gint64 signalled = -1;

  if (!tenure_ui_test_have_display ())
    return;

  g_signal_connect (plan, "unit-selected", G_CALLBACK (unit_selected_cb), &signalled);
  g_assert_true (tenure_floor_plan_select_unit (plan, 4));
  g_assert_cmpint (signalled, ==, 4);
  g_assert_nonnull (strstr (tenure_floor_plan_get_description (plan), "T-C"));
  g_assert_true (tenure_floor_plan_move_selection (plan, GTK_DIR_RIGHT));
  g_assert_cmpint (signalled, ==, 5);
  g_assert_false (tenure_floor_plan_select_unit (plan, 99));
  g_assert_cmpint (signalled, ==, 5);
  g_assert_true (tenure_floor_plan_select_unit (plan, 0));
  g_assert_cmpint (signalled, ==, 0);
}

static guint
draw (TenureFloorPlan *plan)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  GTK_WIDGET_GET_CLASS (plan)->snapshot (GTK_WIDGET (plan), snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  return tenure_floor_plan_get_n_node_builds (plan);
}

static void
test_node_cache (Fixture       *fixture,
                 gconstpointer  data)
{
  TenureFloorPlan *plan = fixture->plan;
  guint builds;

  if (!tenure_ui_test_have_display ())
    return;

  builds = draw (plan);
  g_assert_cmpuint (builds, >=, 1);
  /* Redrawing, panning, hovering and selecting reuse the node. */
  g_assert_cmpuint (draw (plan), ==, builds);
  tenure_floor_plan_pan (plan, 10, 5);
  g_assert_true (tenure_floor_plan_select_unit (plan, 2));
  g_assert_cmpuint (draw (plan), ==, builds);
  /* Zoom, mode and data rebuild it, once each. */
  tenure_floor_plan_set_zoom (plan, 2.0, 100, 100);
  g_assert_cmpuint (draw (plan), ==, builds + 1);
  g_assert_cmpuint (draw (plan), ==, builds + 1);
  tenure_floor_plan_set_mode (plan, TENURE_FLOOR_PLAN_MODE_EXPIRY_YEAR);
  g_assert_cmpuint (draw (plan), ==, builds + 2);
  tenure_floor_plan_set_units (plan, G_LIST_MODEL (fixture->units), 400, 300);
  g_assert_cmpuint (draw (plan), ==, builds + 3);
  /* Zoomed in, the node covers the view's neighbourhood: small pans reuse it, a pan past
   * that area rebuilds it. */
  tenure_floor_plan_set_zoom (plan, TENURE_FLOOR_PLAN_MAX_ZOOM, 100, 100);
  builds = draw (plan);
  tenure_floor_plan_pan (plan, -20, 0);
  g_assert_cmpuint (draw (plan), ==, builds);
  tenure_floor_plan_pan (plan, -3 * gtk_widget_get_width (GTK_WIDGET (plan)), 0);
  g_assert_cmpuint (draw (plan), ==, builds + 1);
  tenure_floor_plan_set_units (plan, G_LIST_MODEL (fixture->units), 400, 300);
  builds = draw (plan) - 3;
  /* And a new size. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 500, 400);
  tenure_ui_test_spin (300);
  g_assert_cmpuint (draw (plan), >, builds + 3);
}

int
main (int   argc,
      char *argv[])
{
  tenure_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/floor-plan/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("hit-testing", test_hit_testing);
  ADD ("legend", test_legend);
  ADD ("zoom-bounds", test_zoom_bounds);
  ADD ("arrow-keys", test_arrow_keys);
  ADD ("selection-signal", test_selection_signal);
  ADD ("node-cache", test_node_cache);
#undef ADD

  return g_test_run ();
}
