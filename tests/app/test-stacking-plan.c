/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-stacking-plan"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tenure-expiry-strip.h"
#include "tenure-stacking-plan.h"
#include "tenure-ui-test-util.h"

/* The stacking plan of a hand-made building, top floor first:
 *
 *   3F   A 150 m² leased to 2027-03   B 300 m² expiring 2026-12
 *   2F   C 250 m² vacant              D 250 m² leased to 2027-03   E 100 m² renovation
 *   B1   F 60 m² reserved
 *
 * 2F is the largest floor (600 m²): its row spans the whole width. */

typedef struct
{
  GtkWidget          *window;
  TenureStackingPlan *plan;
  GListStore         *floors[3];
} Fixture;

static TenureUnitInfo *
make_unit (gint64            id,
           const char       *code,
           gint64            area_m2,
           TenureUnitStatus  status,
           TenureDate        end,
           gint64            rent_e4)
{
  TenureUnitInfo *unit = g_object_new (TENURE_TYPE_UNIT_INFO, NULL);

  unit->id = id;
  unit->code = g_strdup (code);
  unit->name = g_strdup (code);
  unit->status = status;
  unit->leasable_area_c = area_m2 * 100;
  unit->asking_price_e4 = -1;
  if (tenure_date_is_valid (end))
    {
      unit->contract_id = id + 1000;
      unit->contract_code = g_strdup_printf ("HT-%s", code);
      unit->tenant_name = g_strdup_printf ("Tenant of %s", code);
      unit->tenant_short_name = g_strdup_printf ("T-%s", code);
      unit->contract_end = end;
    }
  unit->rent_e4 = rent_e4;
  return unit;
}

static void
add (GListStore     *store,
     TenureUnitInfo *unit)
{
  g_list_store_append (store, unit);
  g_object_unref (unit);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *names[] = { "3F", "2F", "B1" };
  TenureDate mar27 = tenure_date_from_ymd (2027, 3, 31);

  for (guint f = 0; f < 3; f++)
    fixture->floors[f] = g_list_store_new (TENURE_TYPE_UNIT_INFO);
  if (!tenure_ui_test_have_display ())
    return;
  add (fixture->floors[0], make_unit (1, "A", 150, TENURE_UNIT_LEASED, mar27, 1500000));
  add (fixture->floors[0], make_unit (2, "B", 300, TENURE_UNIT_EXPIRING,
                                      tenure_date_from_ymd (2026, 12, 15), 2000000));
  add (fixture->floors[1], make_unit (3, "C", 250, TENURE_UNIT_VACANT, 0, -1));
  add (fixture->floors[1], make_unit (4, "D", 250, TENURE_UNIT_LEASED,
                                      tenure_date_from_ymd (2027, 3, 1), 3000000));
  add (fixture->floors[1], make_unit (5, "E", 100, TENURE_UNIT_RENOVATION, 0, -1));
  add (fixture->floors[2], make_unit (6, "F", 60, TENURE_UNIT_RESERVED, 0, -1));

  fixture->window = gtk_window_new ();
  fixture->plan = TENURE_STACKING_PLAN (tenure_stacking_plan_new ());
  gtk_widget_set_valign (GTK_WIDGET (fixture->plan), GTK_ALIGN_START);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->plan));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 837, 300);
  gtk_window_present (GTK_WINDOW (fixture->window));
  tenure_stacking_plan_set_floors (fixture->plan, 3, names,
                                   (GListModel *const *) fixture->floors);
  tenure_ui_test_spin (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->plan)), >, 300);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  for (guint f = 0; f < 3; f++)
    g_clear_object (&fixture->floors[f]);
  tenure_ui_test_spin (50);
}

static graphene_rect_t
rect_of (Fixture *fixture,
         gint64   id)
{
  graphene_rect_t rect;

  g_assert_true (tenure_stacking_plan_get_unit_rect (fixture->plan, id, &rect));
  return rect;
}

/* A click (through the widget's action, as the gesture does) at the middle of each block
 * selects that unit; a click in the floor-name column or past the end of a short floor
 * clears the selection. */
static void
test_hit_testing (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *widget;
  graphene_rect_t a, e;

  if (!tenure_ui_test_have_display ())
    return;
  widget = GTK_WIDGET (fixture->plan);
  for (gint64 id = 1; id <= 6; id++)
    {
      graphene_rect_t rect = rect_of (fixture, id);
      double x = rect.origin.x + rect.size.width / 2, y = rect.origin.y + rect.size.height / 2;

      g_assert_true (gtk_widget_activate_action (widget, "stacking-plan.select-at", "(dd)",
                                                 x, y));
      g_assert_nonnull (tenure_stacking_plan_get_selected (fixture->plan));
      g_assert_cmpint (tenure_stacking_plan_get_selected (fixture->plan)->id, ==, id);
      /* Just inside the block's left edge too. */
      g_assert_cmpint (tenure_stacking_plan_unit_at (fixture->plan, rect.origin.x + 0.5,
                                                     y)->id, ==, id);
    }
  g_assert_nonnull (strstr (tenure_stacking_plan_get_description (fixture->plan), "F"));
  g_assert_nonnull (strstr (tenure_stacking_plan_get_description (fixture->plan), "B1"));

  /* Floor order: 3F above 2F above B1. */
  a = rect_of (fixture, 1);
  e = rect_of (fixture, 5);
  g_assert_cmpfloat (a.origin.y, <, e.origin.y);
  g_assert_cmpfloat (e.origin.y, <, rect_of (fixture, 6).origin.y);

  /* 3F has 450 of 600 m²: right of B there is nothing. */
  tenure_stacking_plan_click (fixture->plan, rect_of (fixture, 2).origin.x
                                             + rect_of (fixture, 2).size.width + 20,
                              a.origin.y + a.size.height / 2);
  g_assert_null (tenure_stacking_plan_get_selected (fixture->plan));
  g_assert_cmpstr (tenure_stacking_plan_get_description (fixture->plan), ==,
                   _("No unit selected"));
  tenure_stacking_plan_click (fixture->plan, 20, a.origin.y + a.size.height / 2);
  g_assert_null (tenure_stacking_plan_get_selected (fixture->plan));
}

/* Every block's width is its area's share of the row (the largest floor) within a pixel,
 * blocks of a floor touch, and the largest floor spans the whole row. */
static void
test_widths (Fixture       *fixture,
             gconstpointer  data)
{
  const gint64 areas[] = { 150, 300, 250, 250, 100, 60 };
  double row;

  if (!tenure_ui_test_have_display ())
    return;
  row = tenure_stacking_plan_get_row_width (fixture->plan);
  g_assert_cmpfloat (row, >, 300);
  for (gint64 id = 1; id <= 6; id++)
    {
      graphene_rect_t rect = rect_of (fixture, id);
      double expected = row * areas[id - 1] / 600.0;

      g_assert_cmpfloat (fabs (rect.size.width - expected), <=, 1.0);
    }
  g_assert_cmpfloat (rect_of (fixture, 1).origin.x + rect_of (fixture, 1).size.width, ==,
                     rect_of (fixture, 2).origin.x);
  g_assert_cmpfloat (rect_of (fixture, 5).origin.x + rect_of (fixture, 5).size.width
                     - rect_of (fixture, 3).origin.x, ==, row);
  g_assert_cmpfloat (rect_of (fixture, 1).origin.x, ==, rect_of (fixture, 6).origin.x);

  /* A narrower window: still proportional. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 503, 300);
  tenure_ui_test_spin (300);
  row = tenure_stacking_plan_get_row_width (fixture->plan);
  g_assert_cmpfloat (row, <, 500);
  for (gint64 id = 1; id <= 6; id++)
    g_assert_cmpfloat (fabs (rect_of (fixture, id).size.width - row * areas[id - 1] / 600.0),
                       <=, 1.0);
}

static const TenureFloorPlanLegendEntry *
legend_entry (Fixture *fixture,
              guint    i)
{
  GPtrArray *legend = tenure_stacking_plan_get_legend (fixture->plan);

  g_assert_cmpuint (i, <, legend->len);
  return legend->pdata[i];
}

/* The legend of each colour mode lists the classes present in the building with their unit
 * counts; switching modes rebuilds the cached drawing once. */
static void
test_legend (Fixture       *fixture,
             gconstpointer  data)
{
  GPtrArray *legend;
  guint builds;

  if (!tenure_ui_test_have_display ())
    return;
  legend = tenure_stacking_plan_get_legend (fixture->plan);
  g_assert_cmpstr (tenure_stacking_plan_get_legend_title (fixture->plan), ==, _("Status"));
  /* vacant 1, leased 2, expiring 1, reserved 1, renovation 1 (no "not for lease") */
  g_assert_cmpuint (legend->len, ==, 5);
  g_assert_cmpstr (legend_entry (fixture, 0)->label, ==,
                   tenure_unit_status_label (TENURE_UNIT_VACANT));
  g_assert_cmpuint (legend_entry (fixture, 1)->n_units, ==, 2);
  g_assert_cmpstr (legend_entry (fixture, 4)->label, ==,
                   tenure_unit_status_label (TENURE_UNIT_RENOVATION));

  builds = tenure_stacking_plan_get_n_node_builds (fixture->plan);
  g_assert_cmpuint (builds, >=, 1);
  gtk_widget_queue_draw (GTK_WIDGET (fixture->plan));
  tenure_ui_test_spin (100);
  g_assert_cmpuint (tenure_stacking_plan_get_n_node_builds (fixture->plan), ==, builds);

  tenure_stacking_plan_set_mode (fixture->plan, TENURE_FLOOR_PLAN_MODE_EXPIRY_YEAR);
  tenure_ui_test_spin (100);
  g_assert_cmpuint (tenure_stacking_plan_get_n_node_builds (fixture->plan), ==, builds + 1);
  legend = tenure_stacking_plan_get_legend (fixture->plan);
  g_assert_cmpstr (tenure_stacking_plan_get_legend_title (fixture->plan), ==,
                   _("Year the current lease ends"));
  /* 2026: B; 2027: A and D; no current lease: C, E, F */
  g_assert_cmpuint (legend->len, ==, 3);
  g_assert_cmpstr (legend_entry (fixture, 0)->label, ==, "2026");
  g_assert_cmpuint (legend_entry (fixture, 0)->n_units, ==, 1);
  g_assert_cmpstr (legend_entry (fixture, 1)->label, ==, "2027");
  g_assert_cmpuint (legend_entry (fixture, 1)->n_units, ==, 2);
  g_assert_cmpuint (legend_entry (fixture, 2)->n_units, ==, 3);

  tenure_stacking_plan_set_mode (fixture->plan, TENURE_FLOOR_PLAN_MODE_RENT_BAND);
  legend = tenure_stacking_plan_get_legend (fixture->plan);
  /* three rents, each its own band, and three units without one */
  g_assert_cmpuint (legend->len, ==, 4);
  g_assert_cmpstr (legend_entry (fixture, 0)->label, ==, "150.00");
  g_assert_cmpstr (legend_entry (fixture, 3)->label, ==, _("No rent per m²"));
  g_assert_cmpuint (legend_entry (fixture, 3)->n_units, ==, 3);
}

/* Arrow keys: along the floor, and up or down to the block of the next floor overlapping
 * the selected one most. */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  TenureStackingPlan *plan = fixture->plan;

  if (!tenure_ui_test_have_display ())
    return;
  g_assert_true (tenure_stacking_plan_move_selection (plan, GTK_DIR_RIGHT));
  g_assert_cmpint (tenure_stacking_plan_get_selected (plan)->id, ==, 1);
  g_assert_true (tenure_stacking_plan_move_selection (plan, GTK_DIR_RIGHT));
  g_assert_cmpint (tenure_stacking_plan_get_selected (plan)->id, ==, 2);
  g_assert_false (tenure_stacking_plan_move_selection (plan, GTK_DIR_RIGHT));
  g_assert_false (tenure_stacking_plan_move_selection (plan, GTK_DIR_UP));
  /* B spans 150–450 m² of the row: D (250–500) overlaps it more than C (0–250). */
  g_assert_true (tenure_stacking_plan_move_selection (plan, GTK_DIR_DOWN));
  g_assert_cmpint (tenure_stacking_plan_get_selected (plan)->id, ==, 4);
  g_assert_true (tenure_stacking_plan_move_selection (plan, GTK_DIR_RIGHT));
  g_assert_cmpint (tenure_stacking_plan_get_selected (plan)->id, ==, 5);
  /* E (500–600) overlaps nothing on B1 (0–60): the nearest block, F. */
  g_assert_true (tenure_stacking_plan_move_selection (plan, GTK_DIR_DOWN));
  g_assert_cmpint (tenure_stacking_plan_get_selected (plan)->id, ==, 6);
  g_assert_true (tenure_stacking_plan_move_selection (plan, GTK_DIR_UP));
  g_assert_cmpint (tenure_stacking_plan_get_selected (plan)->id, ==, 3);
  g_assert_false (tenure_stacking_plan_move_selection (plan, GTK_DIR_LEFT));
  g_assert_nonnull (strstr (tenure_stacking_plan_get_description (plan), "C"));
}

/* Highlighting a month marks exactly the units whose lease ends in it. */
static void
test_highlight (Fixture       *fixture,
                gconstpointer  data)
{
  TenureStackingPlan *plan = fixture->plan;

  if (!tenure_ui_test_have_display ())
    return;
  g_assert_cmpuint (tenure_stacking_plan_highlight_month (plan,
                                                          tenure_date_from_ymd (2027, 3, 1)),
                    ==, 2);
  g_assert_true (tenure_stacking_plan_is_highlighted (plan, 1));
  g_assert_true (tenure_stacking_plan_is_highlighted (plan, 4));
  g_assert_false (tenure_stacking_plan_is_highlighted (plan, 2));
  g_assert_cmpuint (tenure_stacking_plan_highlight_month (plan,
                                                          tenure_date_from_ymd (2026, 12, 1)),
                    ==, 1);
  g_assert_true (tenure_stacking_plan_is_highlighted (plan, 2));
  g_assert_cmpuint (tenure_stacking_plan_highlight_month (plan, TENURE_DATE_INVALID), ==, 0);
  g_assert_false (tenure_stacking_plan_is_highlighted (plan, 2));
  g_assert_cmpuint (tenure_stacking_plan_highlight_month (plan,
                                                          tenure_date_from_ymd (2028, 1, 1)),
                    ==, 0);
}

static void
month_selected_cb (TenureExpiryStrip *strip,
                   int                k,
                   int               *out)
{
  *out = k;
}

/* The strip's bars hold the values given, a click on a bar (or its month label) selects that
 * month, a second click clears it, and the tooltip names month and area. */
static void
test_expiry_strip (void)
{
  GtkWidget *window;
  TenureExpiryStrip *strip;
  gint64 area[24] = { 0 };
  TenureDate months[24];
  int selected = -2;
  graphene_rect_t rect;
  g_autofree char *tip = NULL;

  if (!tenure_ui_test_have_display ())
    return;
  for (guint k = 0; k < 24; k++)
    {
      months[k] = tenure_date_add_months (tenure_date_from_ymd (2026, 11, 1), (int) k);
      area[k] = (gint64) (k * 7 % 5) * 12345;
    }
  window = gtk_window_new ();
  strip = TENURE_EXPIRY_STRIP (tenure_expiry_strip_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (strip));
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 100);
  gtk_window_present (GTK_WINDOW (window));
  tenure_expiry_strip_set_months (strip, 24, area, months);
  g_signal_connect (strip, "month-selected", G_CALLBACK (month_selected_cb), &selected);
  tenure_ui_test_spin (300);

  g_assert_cmpuint (tenure_expiry_strip_get_n_months (strip), ==, 24);
  for (guint k = 0; k < 24; k++)
    g_assert_cmpint (tenure_expiry_strip_get_area_c (strip, k), ==, area[k]);
  rect = tenure_expiry_strip_get_bar_rect (strip, 5);
  g_assert_cmpfloat (rect.size.width, >, 5);
  tenure_expiry_strip_click (strip, rect.origin.x + rect.size.width / 2,
                             rect.origin.y + rect.size.height / 2);
  g_assert_cmpint (selected, ==, 5);
  g_assert_cmpint (tenure_expiry_strip_get_selected (strip), ==, 5);
  g_assert_cmpint (tenure_expiry_strip_get_month (strip, 5), ==,
                   tenure_date_from_ymd (2027, 4, 1));
  tenure_expiry_strip_click (strip, rect.origin.x + 1, rect.origin.y + rect.size.height + 4);
  g_assert_cmpint (selected, ==, -1);
  tip = tenure_expiry_strip_describe_bar (strip, 1);
  /* 7 % 5 = 2 → 24,690 centi-m² */
  g_assert_nonnull (strstr (tip, "2026-12"));
  g_assert_nonnull (strstr (tip, "246.90"));
  gtk_window_destroy (GTK_WINDOW (window));
  tenure_ui_test_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  tenure_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/stacking-plan/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("hit-testing", test_hit_testing);
  ADD ("widths", test_widths);
  ADD ("legend", test_legend);
  ADD ("keyboard", test_keyboard);
  ADD ("highlight", test_highlight);
#undef ADD
  g_test_add_func ("/stacking-plan/expiry-strip", test_expiry_strip);
  return g_test_run ();
}
