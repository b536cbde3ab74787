/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-floor-plan-editor"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "portfolio/tenure-geometry.h"
#include "tenure-edit-history.h"
#include "tenure-floor-plan-editor.h"
#include "tenure-floor-plan.h"
#include "tenure-portfolio-page.h"
#include "tenure-test-db.h"
#include "tenure-ui-test-util.h"

/* The layout editor on a floor of 400 × 300 plan units in a real SQLite database:
 *   U1 [0,0]-[100,100] (stored), U2 and U3 without an outline (20 m² and 10 m²). */

static const char fixture_sql[] =
  "INSERT INTO legal_entity (code, name) VALUES ('LE', 'Entity');"
  "INSERT INTO project (code, legal_entity_id, name, format) VALUES ('P', 1, 'P', 'mall');"
  "INSERT INTO building (code, project_id, name) VALUES ('P-A', 1, 'A');"
  "INSERT INTO floor (code, building_id, name, plan_width, plan_height) VALUES"
  " ('P-A-1F', 1, '1F', 400, 300);"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c, polygon)"
  " VALUES ('U1', 1, 'U1', 'mall', 3000, 3000, '[[0,0],[100,0],[100,100],[0,100]]'),"
  " ('U2', 1, 'U2', 'mall', 2000, 2000, NULL),"
  " ('U3', 1, 'U3', 'mall', 1000, 1000, NULL);";

typedef struct
{
  char                  *location;
  TenureDb              *db;
  GtkWidget             *window;
  TenureFloorPlan       *plan;
  TenureFloorPlanEditor *editor;
  GtkWidget             *toolbar;
  guint                  n_left;
} Fixture;

static void
load_units (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) units = tenure_portfolio_list_floor_units (fixture->db, 1,
                                                                   tenure_date_from_ymd (2026,
                                                                                         11, 1),
                                                                   &error);
  g_assert_no_error (error);
  tenure_floor_plan_set_units (fixture->plan, units, 400, 300);
}

static void
left_cb (TenureFloorPlanEditor *editor,
         Fixture               *fixture)
{
  fixture->n_left++;
}

static gboolean
plan_allocated (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 100 && gtk_widget_get_mapped (data);
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *box;

  if (!tenure_ui_test_have_display ())
    return;
  fixture->location = tenure_test_db_new_location (TENURE_TEST_SQLITE);
  fixture->db = tenure_db_open (fixture->location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_exec (fixture->db, fixture_sql, &error));
  g_assert_no_error (error);

  fixture->window = gtk_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  fixture->plan = TENURE_FLOOR_PLAN (tenure_floor_plan_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (fixture->plan), TRUE);
  fixture->editor = tenure_floor_plan_editor_new (fixture->plan);
  fixture->toolbar = tenure_floor_plan_editor_create_toolbar (fixture->editor);
  gtk_box_append (GTK_BOX (box), fixture->toolbar);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->plan));
  gtk_window_set_child (GTK_WINDOW (fixture->window), box);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 824, 680);
  gtk_window_present (GTK_WINDOW (fixture->window));
  load_units (fixture);
  tenure_floor_plan_editor_set_floor (fixture->editor, fixture->db, 1);
  g_signal_connect (fixture->editor, "left", G_CALLBACK (left_cb), fixture);
  tenure_ui_test_wait_for (plan_allocated, fixture->plan, 10000, "the map's allocation");
  tenure_ui_test_spin (100);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->editor);
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  tenure_ui_test_spin (50);
  g_clear_object (&fixture->db);
  if (fixture->location != NULL)
    tenure_test_db_drop_location (TENURE_TEST_SQLITE, fixture->location);
  g_clear_pointer (&fixture->location, g_free);
}

/* ---- Helpers: act in plan coordinates through the widget's --------------------------- */

static void
to_widget (Fixture *fixture,
           double   px,
           double   py,
           double  *x,
           double  *y)
{
  tenure_floor_plan_plan_to_widget (fixture->plan, px, py, x, y);
}

static void
drag_plan (Fixture *fixture,
           double   px0,
           double   py0,
           double   px1,
           double   py1)
{
  double x0, y0, x1, y1;

  to_widget (fixture, px0, py0, &x0, &y0);
  to_widget (fixture, px1, py1, &x1, &y1);
  tenure_floor_plan_editor_pointer_down (fixture->editor, x0, y0);
  tenure_floor_plan_editor_pointer_move (fixture->editor, (x0 + x1) / 2, (y0 + y1) / 2);
  tenure_floor_plan_editor_pointer_move (fixture->editor, x1, y1);
  tenure_floor_plan_editor_pointer_up (fixture->editor, x1, y1);
}

static void
click_plan (Fixture *fixture,
            double   px,
            double   py)
{
  double x, y;

  to_widget (fixture, px, py, &x, &y);
  tenure_floor_plan_editor_pointer_down (fixture->editor, x, y);
  tenure_floor_plan_editor_pointer_up (fixture->editor, x, y);
}

static gint64
id_at_plan (Fixture *fixture,
            double   px,
            double   py)
{
  double x, y;
  TenureUnitInfo *unit;

  to_widget (fixture, px, py, &x, &y);
  unit = tenure_floor_plan_unit_at (fixture->plan, x, y);
  return unit ? unit->id : 0;
}

static void
assert_shape (Fixture      *fixture,
              gint64        unit_id,
              const double *expected,
              guint         n_expected)
{
  guint n = 0;
  const double *points = tenure_floor_plan_editor_get_shape (fixture->editor, unit_id, &n);

  g_assert_cmpuint (n, ==, n_expected);
  for (guint i = 0; i < 2 * n; i++)
    g_assert_cmpfloat_with_epsilon (points[i], expected[i], 1e-9);
}

static char *
stored_polygon (Fixture *fixture,
                gint64   unit_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (fixture->db,
                                                  "SELECT polygon FROM unit WHERE id = $1",
                                                  &error);
  g_assert_no_error (error);
  tenure_stmt_bind_int64 (stmt, 1, unit_id);
  g_assert_true (tenure_stmt_step (stmt, &error));
  return g_strdup (tenure_stmt_column_text (stmt, 0));
}

/* ---- Tests ----------------------------------------------------------------------------- */

static void
apply_counter (gpointer data,
               gboolean redo,
               gpointer user_data)
{
  int *value = user_data;

  *value += redo ? GPOINTER_TO_INT (data) : -GPOINTER_TO_INT (data);
}

/* The undo stack on its own: redo branch dropped by a new edit, the saved position. */
static void
test_history (void)
{
  int value = 0;
  g_autoptr(TenureEditHistory) history = tenure_edit_history_new (apply_counter, &value);

  g_assert_false (tenure_edit_history_can_undo (history));
  g_assert_false (tenure_edit_history_undo (history));
  value += 5;
  tenure_edit_history_push (history, "add 5", GINT_TO_POINTER (5), NULL);
  value += 3;
  tenure_edit_history_push (history, "add 3", GINT_TO_POINTER (3), NULL);
  g_assert_true (tenure_edit_history_is_dirty (history));
  tenure_edit_history_mark_saved (history);
  g_assert_false (tenure_edit_history_is_dirty (history));
  g_assert_cmpstr (tenure_edit_history_get_undo_label (history), ==, "add 3");

  g_assert_true (tenure_edit_history_undo (history));
  g_assert_cmpint (value, ==, 5);
  g_assert_true (tenure_edit_history_is_dirty (history));
  g_assert_cmpstr (tenure_edit_history_get_redo_label (history), ==, "add 3");
  g_assert_true (tenure_edit_history_redo (history));
  g_assert_cmpint (value, ==, 8);
  g_assert_false (tenure_edit_history_is_dirty (history));
  g_assert_false (tenure_edit_history_redo (history));

  /* Undo twice, then a new edit: the redo branch (and the saved state on it) is gone. */
  g_assert_true (tenure_edit_history_undo (history));
  g_assert_true (tenure_edit_history_undo (history));
  g_assert_cmpint (value, ==, 0);
  value += 7;
  tenure_edit_history_push (history, "add 7", GINT_TO_POINTER (7), NULL);
  g_assert_false (tenure_edit_history_can_redo (history));
  g_assert_true (tenure_edit_history_is_dirty (history));
  g_assert_true (tenure_edit_history_undo (history));
  g_assert_true (tenure_edit_history_is_dirty (history));
  g_assert_cmpint (value, ==, 0);
}

/* Outside edit mode, units without an outline are drawn where the automatic layout puts them:
 * in the free part of the floor, areas in proportion, clickable. */
static void
test_auto_layout_display (Fixture       *fixture,
                          gconstpointer  data)
{
  guint n2 = 0, n3 = 0, n1 = 0;
  gboolean auto2 = FALSE, auto1 = TRUE;
  const double *p1, *p2, *p3;
  double a2, a3, cx = 0, cy = 0;

  if (!tenure_ui_test_have_display ())
    return;
  p1 = tenure_floor_plan_get_unit_points (fixture->plan, 1, &n1, &auto1);
  p2 = tenure_floor_plan_get_unit_points (fixture->plan, 2, &n2, &auto2);
  p3 = tenure_floor_plan_get_unit_points (fixture->plan, 3, &n3, NULL);
  g_assert_false (auto1);
  g_assert_cmpuint (n1, ==, 4);
  g_assert_true (auto2);
  g_assert_cmpuint (n2, ==, 4);
  g_assert_cmpuint (n3, ==, 4);
  a2 = tenure_geometry_area (p2, 4);
  a3 = tenure_geometry_area (p3, 4);
  /* 20 m² against 10 m² */
  g_assert_cmpfloat (fabs (a2 / a3 - 2.0), <, 0.02);
  g_assert_cmpfloat (tenure_geometry_overlap_area (p1, 4, p2, 4), <, 1e-9);
  g_assert_cmpfloat (tenure_geometry_overlap_area (p1, 4, p3, 4), <, 1e-9);
  g_assert_cmpfloat (tenure_geometry_overlap_area (p2, 4, p3, 4), <, 1e-9);
  /* The largest free rectangle right of U1 is 300 × 300: the two share it. */
  g_assert_cmpfloat_with_epsilon (a2 + a3, 90000, 1e-6);
  for (guint i = 0; i < 4; i++)
    {
      cx += p2[2 * i] / 4;
      cy += p2[2 * i + 1] / 4;
    }
  g_assert_cmpint (id_at_plan (fixture, cx, cy), ==, 2);
}

/* Draw a rectangle with a drag (snapped to the grid), undo, redo, reshape with snapping to a
 * neighbour's corner and edge, a refused overlap, move, save, reload. */
static void
test_draw_undo_redo_save (Fixture       *fixture,
                          gconstpointer  data)
{
  TenureEditHistory *history;
  g_autoptr(GError) error = NULL;
  char *text;

  if (!tenure_ui_test_have_display ())
    return;
  history = tenure_floor_plan_editor_get_history (fixture->editor);
  tenure_floor_plan_editor_set_active (fixture->editor, TRUE);
  tenure_ui_test_spin (50);
  g_assert_true (gtk_widget_get_visible (fixture->toolbar));
  /* In edit mode the automatic layout's placeholders are gone. */
  g_assert_cmpint (id_at_plan (fixture, 250, 150), ==, 0);
  g_assert_cmpint (id_at_plan (fixture, 50, 50), ==, 1);

  /* U2 chosen (as from the unit list), a drag from near (120, 10) to near (200, 100). */
  g_assert_true (tenure_floor_plan_select_unit (fixture->plan, 2));
  g_assert_nonnull (strstr (tenure_floor_plan_editor_get_message (fixture->editor), "U2"));
  drag_plan (fixture, 121.3, 9.2, 198.6, 101.4);
  {
    double want[] = { 120, 10, 200, 10, 200, 100, 120, 100 };
    assert_shape (fixture, 2, want, 4);
  }
  g_assert_cmpint (id_at_plan (fixture, 150, 50), ==, 2);
  g_assert_true (tenure_floor_plan_editor_has_unsaved_changes (fixture->editor));

  /* Undo and redo, by the keys. */
  g_assert_true (tenure_floor_plan_editor_key (fixture->editor, GDK_KEY_z, GDK_CONTROL_MASK));
  assert_shape (fixture, 2, NULL, 0);
  g_assert_cmpint (id_at_plan (fixture, 150, 50), ==, 0);
  g_assert_false (tenure_floor_plan_editor_has_unsaved_changes (fixture->editor));
  g_assert_true (tenure_floor_plan_editor_key (fixture->editor, GDK_KEY_Z,
                                               GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  g_assert_cmpint (id_at_plan (fixture, 150, 50), ==, 2);

  /* Reshape: the corner (120, 10) dragged near U1's corner (100, 0) lands on it; the corner
   * (120, 100) dragged near U1's right edge lands on the edge. */
  drag_plan (fixture, 120, 10, 102.5, 1.5);
  drag_plan (fixture, 120, 100, 101.7, 63.3);
  {
    double want[] = { 100, 0, 200, 10, 200, 100, 100, 63.3 };
    assert_shape (fixture, 2, want, 4);
  }
  g_assert_cmpuint (tenure_edit_history_get_position (history), ==, 3);

  /* Into U1: refused, with a message naming both, and nothing changes. */
  drag_plan (fixture, 200, 100, 90, 80);
  g_assert_nonnull (strstr (tenure_floor_plan_editor_get_message (fixture->editor), "U1"));
  g_assert_nonnull (strstr (tenure_floor_plan_editor_get_message (fixture->editor), "U2"));
  {
    double want[] = { 100, 0, 200, 10, 200, 100, 100, 63.3 };
    assert_shape (fixture, 2, want, 4);
  }
  g_assert_cmpuint (tenure_edit_history_get_position (history), ==, 3);
  /* Dragged past the floor's edge, a corner stops on it. */
  drag_plan (fixture, 200, 100, 200, 340);
  {
    double want[] = { 100, 0, 200, 10, 200, 300, 100, 63.3 };
    assert_shape (fixture, 2, want, 4);
  }
  g_assert_true (tenure_floor_plan_editor_undo (fixture->editor));

  /* U3: a rectangle, then moved by (21.7, 38.9): its corner snaps to the grid. */
  g_assert_true (tenure_floor_plan_select_unit (fixture->plan, 3));
  drag_plan (fixture, 250, 150, 300, 200);
  drag_plan (fixture, 275, 175, 296.7, 213.9);
  {
    double want[] = { 270, 190, 320, 190, 320, 240, 270, 240 };
    assert_shape (fixture, 3, want, 4);
  }

  /* Save: one transaction, both outlines stored, nothing left unsaved. */
  g_assert_true (tenure_floor_plan_editor_save (fixture->editor, &error));
  g_assert_no_error (error);
  g_assert_false (tenure_floor_plan_editor_has_unsaved_changes (fixture->editor));
  text = stored_polygon (fixture, 2);
  g_assert_cmpstr (text, ==, "[[100,0],[200,10],[200,100],[100,63.3]]");
  g_free (text);
  text = stored_polygon (fixture, 3);
  g_assert_cmpstr (text, ==, "[[270,190],[320,190],[320,240],[270,240]]");
  g_free (text);

  /* Leaving without changes asks nothing; the reloaded floor shows the stored outlines. */
  g_assert_null (tenure_floor_plan_editor_request_leave (fixture->editor,
                                                         GTK_WINDOW (fixture->window)));
  g_assert_false (tenure_floor_plan_editor_get_active (fixture->editor));
  g_assert_cmpuint (fixture->n_left, ==, 1);
  load_units (fixture);
  {
    guint n = 0;
    gboolean is_auto = TRUE;
    const double *p = tenure_floor_plan_get_unit_points (fixture->plan, 3, &n, &is_auto);

    g_assert_false (is_auto);
    g_assert_cmpuint (n, ==, 4);
    g_assert_cmpfloat (p[0], ==, 270);
    g_assert_cmpfloat (p[1], ==, 190);
  }
  g_assert_cmpint (id_at_plan (fixture, 290, 210), ==, 3);
}

/* A polygon by clicks closed with a double-click, a corner added on an edge and deleted,
 * a self-crossing reshape refused, Enter and Escape while drawing. */
static void
test_polygon (Fixture       *fixture,
              gconstpointer  data)
{
  double x, y;

  if (!tenure_ui_test_have_display ())
    return;
  tenure_floor_plan_editor_set_active (fixture->editor, TRUE);
  g_assert_true (tenure_floor_plan_select_unit (fixture->plan, 3));

  /* Escape drops a started polygon. */
  click_plan (fixture, 200, 200);
  click_plan (fixture, 300, 200);
  g_assert_true (tenure_floor_plan_editor_key (fixture->editor, GDK_KEY_Escape, 0));
  assert_shape (fixture, 3, NULL, 0);

  /* Four corners (snapped to the grid), the double-click's second press repeats the last. */
  click_plan (fixture, 201, 199);
  click_plan (fixture, 300.4, 200);
  click_plan (fixture, 300, 280);
  click_plan (fixture, 250, 281);
  click_plan (fixture, 250, 281);
  to_widget (fixture, 250, 281, &x, &y);
  tenure_floor_plan_editor_double_click (fixture->editor, x, y);
  {
    double want[] = { 200, 200, 300, 200, 300, 280, 250, 280 };
    assert_shape (fixture, 3, want, 4);
  }

  /* A corner on the edge (200, 200)-(300, 200). */
  to_widget (fixture, 240, 201, &x, &y);
  tenure_floor_plan_editor_double_click (fixture->editor, x, y);
  {
    double want[] = { 200, 200, 240, 200, 300, 200, 300, 280, 250, 280 };
    assert_shape (fixture, 3, want, 5);
  }
  /* Dragging it up makes a peak. */
  drag_plan (fixture, 240, 200, 240, 170);
  {
    double want[] = { 200, 200, 240, 170, 300, 200, 300, 280, 250, 280 };
    assert_shape (fixture, 3, want, 5);
  }
  /* Pressing it selects it; Delete removes it. */
  click_plan (fixture, 240, 170);
  g_assert_true (tenure_floor_plan_editor_key (fixture->editor, GDK_KEY_Delete, 0));
  {
    double want[] = { 200, 200, 300, 200, 300, 280, 250, 280 };
    assert_shape (fixture, 3, want, 4);
  }
  /* (250, 280) dragged across the opposite side: the outline would cross itself. */
  drag_plan (fixture, 250, 280, 250, 150);
  g_assert_nonnull (strstr (tenure_floor_plan_editor_get_message (fixture->editor), "U3"));
  g_assert_nonnull (strstr (tenure_floor_plan_editor_get_message (fixture->editor), "U3"));
  {
    double want[] = { 200, 200, 300, 200, 300, 280, 250, 280 };
    assert_shape (fixture, 3, want, 4);
  }

  /* U2 by clicks closed with Enter; undo takes the whole polygon back. */
  g_assert_true (tenure_floor_plan_select_unit (fixture->plan, 2));
  click_plan (fixture, 120, 0);
  click_plan (fixture, 180, 0);
  click_plan (fixture, 150, 60);
  g_assert_true (tenure_floor_plan_editor_key (fixture->editor, GDK_KEY_Return, 0));
  {
    double want[] = { 120, 0, 180, 0, 150, 60 };
    assert_shape (fixture, 2, want, 3);
  }
  g_assert_true (tenure_floor_plan_editor_undo (fixture->editor));
  assert_shape (fixture, 2, NULL, 0);
  g_assert_cmpuint (tenure_edit_history_get_position
                      (tenure_floor_plan_editor_get_history (fixture->editor)), ==, 4);
}

/* Auto layout in edit mode: one undoable edit placing every unit without an outline. */
static void
test_auto_layout_edit (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const double *p1, *p2, *p3;
  guint n1, n2, n3;
  char *text;

  if (!tenure_ui_test_have_display ())
    return;
  tenure_floor_plan_editor_set_active (fixture->editor, TRUE);
  g_assert_true (tenure_floor_plan_editor_auto_layout (fixture->editor, &error));
  g_assert_no_error (error);
  p1 = tenure_floor_plan_editor_get_shape (fixture->editor, 1, &n1);
  p2 = tenure_floor_plan_editor_get_shape (fixture->editor, 2, &n2);
  p3 = tenure_floor_plan_editor_get_shape (fixture->editor, 3, &n3);
  g_assert_cmpuint (n2, ==, 4);
  g_assert_cmpuint (n3, ==, 4);
  g_assert_cmpfloat (fabs (tenure_geometry_area (p2, 4) / tenure_geometry_area (p3, 4) - 2), <,
                     0.02);
  g_assert_cmpfloat (tenure_geometry_overlap_area (p1, n1, p2, 4), <, 1e-9);
  g_assert_cmpfloat (tenure_geometry_overlap_area (p1, n1, p3, 4), <, 1e-9);
  g_assert_cmpfloat (tenure_geometry_overlap_area (p2, 4, p3, 4), <, 1e-9);

  g_assert_true (tenure_floor_plan_editor_undo (fixture->editor));
  tenure_floor_plan_editor_get_shape (fixture->editor, 2, &n2);
  tenure_floor_plan_editor_get_shape (fixture->editor, 3, &n3);
  g_assert_cmpuint (n2 + n3, ==, 0);
  g_assert_true (tenure_floor_plan_editor_redo (fixture->editor));
  g_assert_true (tenure_floor_plan_editor_save (fixture->editor, &error));
  g_assert_no_error (error);
  text = stored_polygon (fixture, 2);
  g_assert_nonnull (text);
  g_free (text);
  text = stored_polygon (fixture, 3);
  g_assert_nonnull (text);
  g_free (text);
}

/* Leaving with unsaved changes asks: Keep Editing stays, Discard leaves and writes nothing. */
static void
test_leave_confirm (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *dialog;
  char *text;

  if (!tenure_ui_test_have_display ())
    return;
  tenure_floor_plan_editor_set_active (fixture->editor, TRUE);
  g_assert_true (tenure_floor_plan_select_unit (fixture->plan, 2));
  drag_plan (fixture, 120, 10, 200, 100);
  g_assert_true (tenure_floor_plan_editor_has_unsaved_changes (fixture->editor));

  dialog = tenure_floor_plan_editor_request_leave (fixture->editor,
                                                   GTK_WINDOW (fixture->window));
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  tenure_ui_test_spin (100);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  tenure_ui_test_spin (100);
  g_assert_true (tenure_floor_plan_editor_get_active (fixture->editor));
  g_assert_cmpuint (fixture->n_left, ==, 0);

  dialog = tenure_floor_plan_editor_request_leave (fixture->editor,
                                                   GTK_WINDOW (fixture->window));
  g_assert_nonnull (dialog);
  tenure_ui_test_spin (100);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "discard");
  tenure_ui_test_spin (100);
  g_assert_false (tenure_floor_plan_editor_get_active (fixture->editor));
  g_assert_cmpuint (fixture->n_left, ==, 1);
  text = stored_polygon (fixture, 2);
  g_assert_null (text);

  /* Again, answered with Save: written, then left. */
  tenure_floor_plan_editor_set_active (fixture->editor, TRUE);
  g_assert_true (tenure_floor_plan_select_unit (fixture->plan, 2));
  drag_plan (fixture, 120, 10, 200, 100);
  dialog = tenure_floor_plan_editor_request_leave (fixture->editor,
                                                   GTK_WINDOW (fixture->window));
  tenure_ui_test_spin (100);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  tenure_ui_test_spin (100);
  g_assert_false (tenure_floor_plan_editor_get_active (fixture->editor));
  text = stored_polygon (fixture, 2);
  g_assert_cmpstr (text, ==, "[[120,10],[200,10],[200,100],[120,100]]");
  g_free (text);
}

/* Edit mode as the user sees it, in the test's language, written as an artifact. */
static void
test_screenshot (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *root = g_getenv ("TENURE_BUILD_ROOT");
  const char *lang = g_getenv ("TENURE_TEST_LANG");
  g_autofree char *path = NULL;

  if (!tenure_ui_test_have_display ())
    return;
  path = g_build_filename (root ? root : ".", "tests", "app", "screenshots", lang ? lang : "en",
                           "floor-plan-editor.png", NULL);
  tenure_floor_plan_editor_set_active (fixture->editor, TRUE);
  g_assert_true (tenure_floor_plan_select_unit (fixture->plan, 2));
  drag_plan (fixture, 120, 10, 200, 100);
  g_assert_true (tenure_floor_plan_select_unit (fixture->plan, 3));
  click_plan (fixture, 220, 140);
  click_plan (fixture, 320, 140);
  click_plan (fixture, 320, 230);
  tenure_ui_test_spin (200);
  tenure_ui_test_screenshot (fixture->window, path);
  g_test_message ("screenshot: %s", path);
}

static GtkWidget *
find_toggle (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_TOGGLE_BUTTON (child) && gtk_widget_get_mapped (child)
          && gtk_button_get_use_underline (GTK_BUTTON (child)))
        return child;
      found = find_toggle (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* The Portfolio page: its Edit Layout button opens the editor (the tree locked), a drawn
 * unit, the button again asks about the unsaved change, Save writes it and the reloaded map
 * shows it; a screenshot of the page in edit mode. */
static void
test_portfolio_page (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *root = g_getenv ("TENURE_BUILD_ROOT");
  const char *lang = g_getenv ("TENURE_TEST_LANG");
  g_autofree char *path = NULL;
  GtkWidget *window, *toggle, *toolbar;
  TenurePortfolioPage *page;
  TenureFloorPlanEditor *editor;
  AdwMessageDialog *dialog;
  Fixture page_fixture = { 0 };
  char *text;
  guint n = 0;
  gboolean is_auto = TRUE;

  if (!tenure_ui_test_have_display ())
    return;
  /* The fixture's own window stays closed: the page brings its map and editor. */
  gtk_widget_set_visible (fixture->window, FALSE);
  tenure_ui_test_application ();
  window = gtk_window_new ();
  page = g_object_new (TENURE_TYPE_PORTFOLIO_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  tenure_portfolio_page_set_db (page, fixture->db);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GListModel) projects = tenure_portfolio_list_projects (fixture->db, &error);

    g_assert_no_error (error);
    tenure_portfolio_page_set_projects (page, projects);
  }
  g_assert_true (tenure_portfolio_page_open_floor (page, 1));
  tenure_ui_test_wait_for (plan_allocated, tenure_portfolio_page_get_floor_plan (page), 10000,
                           "the page's map");
  tenure_ui_test_spin (100);

  editor = tenure_portfolio_page_get_layout_editor (page);
  page_fixture.plan = tenure_portfolio_page_get_floor_plan (page);
  page_fixture.editor = editor;
  toggle = find_toggle (GTK_WIDGET (page));
  g_assert_nonnull (toggle);
  toolbar = tenure_ui_test_find_named (GTK_WIDGET (page), "layout-editor-toolbar");
  g_assert_nonnull (toolbar);
  g_assert_false (gtk_widget_get_visible (toolbar));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  g_assert_true (tenure_floor_plan_editor_get_active (editor));
  g_assert_true (gtk_widget_get_visible (toolbar));
  tenure_ui_test_wait_for (widget_mapped, toolbar, 10000, "the editor's toolbar");
  /* The map shrank under the toolbar: its new size before any pointer work. */
  tenure_ui_test_spin (200);

  /* U2 picked in the unit list (index 1: the list is ordered by code). */
  gtk_single_selection_set_selected (tenure_portfolio_page_get_unit_selection (page), 1);
  tenure_ui_test_spin (50);
  g_assert_cmpint (tenure_floor_plan_get_selected (page_fixture.plan)->id, ==, 2);
  drag_plan (&page_fixture, 120, 10, 200, 100);
  g_assert_true (tenure_floor_plan_editor_has_unsaved_changes (editor));
  g_assert_true (tenure_floor_plan_select_unit (page_fixture.plan, 3));
  click_plan (&page_fixture, 220, 140);
  click_plan (&page_fixture, 320, 140);
  click_plan (&page_fixture, 320, 230);
  tenure_ui_test_spin (200);
  path = g_build_filename (root ? root : ".", "tests", "app", "screenshots", lang ? lang : "en",
                           "portfolio-floor-edit.png", NULL);
  tenure_ui_test_screenshot (window, path);
  g_test_message ("screenshot: %s", path);
  g_assert_true (tenure_floor_plan_editor_key (editor, GDK_KEY_Escape, 0));

  /* The button up again: asked, the button stays down until answered. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);
  tenure_ui_test_spin (100);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  g_assert_true (tenure_floor_plan_editor_get_active (editor));
  adw_message_dialog_response (dialog, "save");
  tenure_ui_test_spin (200);
  g_assert_false (tenure_floor_plan_editor_get_active (editor));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  g_assert_false (gtk_widget_get_visible (toolbar));
  text = stored_polygon (fixture, 2);
  g_assert_cmpstr (text, ==, "[[120,10],[200,10],[200,100],[120,100]]");
  g_free (text);
  /* The map was reloaded: U2 stored, U3 back in the automatic layout. */
  tenure_floor_plan_get_unit_points (page_fixture.plan, 2, &n, &is_auto);
  g_assert_false (is_auto);
  g_assert_cmpuint (n, ==, 4);
  tenure_floor_plan_get_unit_points (page_fixture.plan, 3, &n, &is_auto);
  g_assert_true (is_auto);

  gtk_window_destroy (GTK_WINDOW (window));
  tenure_ui_test_spin (100);
}

int
main (int   argc,
      char *argv[])
{
  tenure_ui_test_init (&argc, &argv);

  g_test_add_func ("/floor-plan-editor/history", test_history);
  g_test_add ("/floor-plan-editor/auto-layout-display", Fixture, NULL, fixture_set_up,
              test_auto_layout_display, fixture_tear_down);
  g_test_add ("/floor-plan-editor/draw-undo-redo-save", Fixture, NULL, fixture_set_up,
              test_draw_undo_redo_save, fixture_tear_down);
  g_test_add ("/floor-plan-editor/polygon", Fixture, NULL, fixture_set_up, test_polygon,
              fixture_tear_down);
  g_test_add ("/floor-plan-editor/auto-layout-edit", Fixture, NULL, fixture_set_up,
              test_auto_layout_edit, fixture_tear_down);
  g_test_add ("/floor-plan-editor/leave-confirm", Fixture, NULL, fixture_set_up,
              test_leave_confirm, fixture_tear_down);
  g_test_add ("/floor-plan-editor/screenshot", Fixture, NULL, fixture_set_up, test_screenshot,
              fixture_tear_down);
  g_test_add ("/floor-plan-editor/portfolio-page", Fixture, NULL, fixture_set_up,
              test_portfolio_page, fixture_tear_down);
  return g_test_run ();
}
