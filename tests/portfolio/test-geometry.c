/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-geometry"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "base/tenure-error.h"
#include "portfolio/tenure-geometry.h"
#include "portfolio/tenure-portfolio.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

static TenureTestBackend backend;

static guint
iterations (guint fallback)
{
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");

  if (env != NULL && g_ascii_strtoull (env, NULL, 10) > 0)
    return MIN (fallback, (guint) g_ascii_strtoull (env, NULL, 10));
  return fallback;
}

static TenureUnitShape *
rect_shape (gint64      id,
            const char *code,
            double      x0,
            double      y0,
            double      x1,
            double      y1)
{
  double p[8] = { x0, y0, x1, y0, x1, y1, x0, y1 };

  return tenure_unit_shape_new (id, code, p, 4);
}

/* ---- Pure geometry --------------------------------------------------------------------- */

static void
test_area_contains (void)
{
  double square[] = { 0, 0, 10, 0, 10, 10, 0, 10 };
  double ell[] = { 10, 120, 200, 120, 200, 160, 60, 160, 60, 250, 10, 250 };

  g_assert_cmpfloat_with_epsilon (tenure_geometry_area (square, 4), 100, 1e-9);
  /* 190 × 40 + 50 × 90 */
  g_assert_cmpfloat_with_epsilon (tenure_geometry_area (ell, 6), 7600 + 4500, 1e-9);
  g_assert_true (tenure_geometry_contains (ell, 6, 30, 200));
  g_assert_false (tenure_geometry_contains (ell, 6, 100, 200));
}

static void
test_simple (void)
{
  double square[] = { 0, 0, 10, 0, 10, 10, 0, 10 };
  double bowtie[] = { 0, 0, 10, 10, 10, 0, 0, 10 };
  double fold[] = { 0, 0, 10, 0, 5, 0, 5, 5 };           /* an edge folds back on the last */
  double dup[] = { 0, 0, 10, 0, 10, 0, 10, 10 };          /* a repeated corner */
  double pinch[] = { 0, 0, 10, 0, 10, 10, 5, 0, 0, 10 };  /* a corner touches another edge */
  double flat[] = { 0, 0, 5, 0, 10, 0 };                  /* no area */
  double straight[] = { 0, 0, 5, 0, 10, 0, 10, 10, 0, 10 }; /* a corner on a straight side */

  g_assert_true (tenure_geometry_is_simple (square, 4));
  g_assert_true (tenure_geometry_is_simple (straight, 5));
  g_assert_false (tenure_geometry_is_simple (bowtie, 4));
  g_assert_false (tenure_geometry_is_simple (fold, 4));
  g_assert_false (tenure_geometry_is_simple (dup, 4));
  g_assert_false (tenure_geometry_is_simple (pinch, 5));
  g_assert_false (tenure_geometry_is_simple (flat, 3));
  g_assert_false (tenure_geometry_is_simple (square, 2));
}

static void
test_inside (void)
{
  double in[] = { 0, 0, 400, 0, 400, 300, 0, 300 };
  double out[] = { 0, 0, 400.5, 0, 400, 300, 0, 300 };
  double neg[] = { -1, 5, 10, 5, 10, 10 };

  g_assert_true (tenure_geometry_inside_floor (in, 4, 400, 300));
  g_assert_false (tenure_geometry_inside_floor (out, 4, 400, 300));
  g_assert_false (tenure_geometry_inside_floor (neg, 3, 400, 300));
}

static void
test_overlap_area (void)
{
  double a[] = { 0, 0, 10, 0, 10, 10, 0, 10 };
  double b[] = { 0, 5, 10, 5, 10, 15, 0, 15 };     /* shares both side walls: overlap 50 */
  double c[] = { 10, 0, 20, 0, 20, 10, 10, 10 };   /* touches along x = 10: overlap 0 */
  double d[] = { 5, -2.5, 12.5, 5, 5, 12.5, -2.5, 5 };  /* a diamond around (5, 5) */
  double ell[] = { 10, 120, 200, 120, 200, 160, 60, 160, 60, 250, 10, 250 };
  double in_notch[] = { 100, 200, 150, 200, 150, 240, 100, 240 };  /* in the L's notch */
  double across[] = { 0, 130, 300, 130, 300, 140, 0, 140 };

  g_assert_cmpfloat_with_epsilon (tenure_geometry_overlap_area (a, 4, b, 4), 50, 1e-9);
  g_assert_cmpfloat_with_epsilon (tenure_geometry_overlap_area (a, 4, c, 4), 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (tenure_geometry_overlap_area (a, 4, a, 4), 100, 1e-9);
  /* The diamond cut by the square: the square minus its four corner triangles of legs 2.5
   * (3.125 each) = 100 − 12.5. */
  g_assert_cmpfloat_with_epsilon (tenure_geometry_overlap_area (a, 4, d, 4), 87.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (tenure_geometry_overlap_area (d, 4, a, 4), 87.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (tenure_geometry_overlap_area (ell, 6, in_notch, 4), 0, 1e-9);
  /* A band y 130–140 across the L: x 10–200 inside it. */
  g_assert_cmpfloat_with_epsilon (tenure_geometry_overlap_area (ell, 6, across, 4), 1900, 1e-9);
}

static void
test_validate (void)
{
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func
                                  ((GDestroyNotify) tenure_unit_shape_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureUnitShape) ok = rect_shape (3, "U3", 100, 0, 200, 100);
  g_autoptr(TenureUnitShape) sliver = rect_shape (3, "U3", 99.8, 0, 200, 100);
  g_autoptr(TenureUnitShape) over = rect_shape (3, "U3", 90, 0, 200, 100);
  g_autoptr(TenureUnitShape) outside = rect_shape (3, "U3", 300, 0, 420.5, 100);
  double bow[] = { 100, 0, 200, 100, 200, 0, 100, 100 };
  g_autoptr(TenureUnitShape) bowtie = tenure_unit_shape_new (3, "U3", bow, 4);
  g_autoptr(TenureUnitShape) self_moved = rect_shape (1, "U1", 5, 5, 105, 105);

  g_ptr_array_add (others, rect_shape (1, "U1", 0, 0, 100, 100));
  g_ptr_array_add (others, rect_shape (2, "U2", 0, 100, 100, 200));

  g_assert_true (tenure_geometry_validate (ok, 400, 300, others, 0.5, &error));
  g_assert_no_error (error);
  /* 0.2 wide over a 100 high wall: within a 0.5 tolerance, refused without one. */
  g_assert_true (tenure_geometry_validate (sliver, 400, 300, others, 0.5, &error));
  g_assert_no_error (error);
  g_assert_false (tenure_geometry_validate (sliver, 400, 300, others, 0, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (tenure_geometry_validate (over, 400, 300, others, 0.5, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "U3"));
  g_assert_nonnull (strstr (error->message, "U1"));
  g_clear_error (&error);

  g_assert_false (tenure_geometry_validate (outside, 400, 300, others, 0.5, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "420.50"));
  g_clear_error (&error);

  g_assert_false (tenure_geometry_validate (bowtie, 400, 300, others, 0.5, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "crosses"));
  g_clear_error (&error);

  /* A unit is never compared with its own old outline, only with the others: moved by 5 it
   * now overlaps U2 (5 × 95 = 475 > 0.5 × 95). */
  g_assert_false (tenure_geometry_validate (self_moved, 400, 300, others, 0.5, &error));
  g_assert_nonnull (strstr (error->message, "U2"));
  g_clear_error (&error);

  /* A corner poking into U1 (about 58 in a 10 × 11.7 box) is no sliver. */
  {
    double tri[] = { 100, 40, 150, 40, 150, 60, 90, 50 };
    g_autoptr(TenureUnitShape) notch = tenure_unit_shape_new (3, "U3", tri, 4);

    g_assert_false (tenure_geometry_validate (notch, 400, 300, others, 0.5, &error));
    g_assert_nonnull (strstr (error->message, "U1"));
  }
}

static void
test_snap (void)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func
                                   ((GDestroyNotify) tenure_unit_shape_free);
  double x, y;

  g_ptr_array_add (targets, rect_shape (1, "U1", 10, 10, 100, 100));

  /* Near a corner: the corner, even with an edge closer. */
  g_assert_cmpint (tenure_geometry_snap (102, 103, targets, 0, 5, 10, 400, 300, &x, &y), ==,
                   TENURE_SNAP_VERTEX);
  g_assert_cmpfloat (x, ==, 100);
  g_assert_cmpfloat (y, ==, 100);
  /* Near the right edge, far from corners: the foot on the edge. */
  g_assert_cmpint (tenure_geometry_snap (103, 47, targets, 0, 5, 10, 400, 300, &x, &y), ==,
                   TENURE_SNAP_EDGE);
  g_assert_cmpfloat (x, ==, 100);
  g_assert_cmpfloat (y, ==, 47);
  /* Far from everything: the grid. */
  g_assert_cmpint (tenure_geometry_snap (203, 147, targets, 0, 5, 10, 400, 300, &x, &y), ==,
                   TENURE_SNAP_GRID);
  g_assert_cmpfloat (x, ==, 200);
  g_assert_cmpfloat (y, ==, 150);
  /* No grid: nothing moves. */
  g_assert_cmpint (tenure_geometry_snap (203, 147, targets, 0, 5, 0, 400, 300, &x, &y), ==,
                   TENURE_SNAP_NONE);
  g_assert_cmpfloat (x, ==, 203);
  /* The unit being edited is no target; the result stays on the floor. */
  g_assert_cmpint (tenure_geometry_snap (102, 103, targets, 1, 5, 0, 400, 300, &x, &y), ==,
                   TENURE_SNAP_NONE);
  g_assert_cmpint (tenure_geometry_snap (405, -3, NULL, 0, 5, 0, 400, 300, &x, &y), ==,
                   TENURE_SNAP_NONE);
  g_assert_cmpfloat (x, ==, 400);
  g_assert_cmpfloat (y, ==, 0);
}

static void
test_json (void)
{
  double p[] = { 0, 0, 12.5, -0.001, 100.004, 7.126, 3, 1e-12 };
  g_autofree char *json = tenure_geometry_to_json (p, 4);
  g_autofree double *back = NULL;
  guint n = 0;

  g_assert_cmpstr (json, ==, "[[0,0],[12.5,0],[100,7.13],[3,0]]");
  back = tenure_portfolio_parse_polygon (json, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (back[5], ==, 7.13);
}

/* Checks a layout: proportional areas (1 %), inside the free rectangle, no overlaps among the
 * new rectangles nor with PLACED. */
static void
check_layout (const double *out,
              const gint64 *areas,
              guint         n,
              double        width,
              double        height,
              GPtrArray    *placed)
{
  double total_area = 0, total_rect = 0;

  for (guint i = 0; i < n; i++)
    {
      total_area += areas[i];
      total_rect += tenure_geometry_area (out + 8 * i, 4);
    }
  for (guint i = 0; i < n; i++)
    {
      double share = tenure_geometry_area (out + 8 * i, 4) / total_rect;
      double want = areas[i] / total_area;

      g_assert_cmpfloat (fabs (share - want), <=, 0.01 * want);
      g_assert_true (tenure_geometry_is_simple (out + 8 * i, 4));
      g_assert_true (tenure_geometry_inside_floor (out + 8 * i, 4, width, height));
      for (guint j = i + 1; j < n; j++)
        g_assert_cmpfloat (tenure_geometry_overlap_area (out + 8 * i, 4, out + 8 * j, 4), <,
                           1e-6);
      for (guint k = 0; placed != NULL && k < placed->len; k++)
        {
          const TenureUnitShape *s = g_ptr_array_index (placed, k);
          g_assert_cmpfloat (tenure_geometry_overlap_area (out + 8 * i, 4, s->points,
                                                           s->n_points), <, 1e-6);
        }
    }
}

static void
test_auto_layout_whole_floor (void)
{
  gint64 areas[] = { 12000, 5000, 5000, 30000, 800, 2500, 9999, 1 };
  guint n = G_N_ELEMENTS (areas);
  g_autofree double *out = g_new (double, 8 * n);
  g_autofree double *again = g_new (double, 8 * n);
  g_autoptr(GError) error = NULL;
  double total = 0;

  g_assert_true (tenure_geometry_auto_layout (1000, 600, NULL, areas, n, out, &error));
  g_assert_no_error (error);
  check_layout (out, areas, n, 1000, 600, NULL);
  /* The whole floor is used. */
  for (guint i = 0; i < n; i++)
    total += tenure_geometry_area (out + 8 * i, 4);
  g_assert_cmpfloat_with_epsilon (total, 600000, 1e-3);
  /* Deterministic. */
  g_assert_true (tenure_geometry_auto_layout (1000, 600, NULL, areas, n, again, &error));
  g_assert_cmpmem (out, 8 * n * sizeof (double), again, 8 * n * sizeof (double));
}

static void
test_auto_layout_free_part (void)
{
  g_autoptr(GPtrArray) placed = g_ptr_array_new_with_free_func
                                  ((GDestroyNotify) tenure_unit_shape_free);
  double ell[] = { 10, 120, 200, 120, 200, 160, 60, 160, 60, 250, 10, 250 };
  gint64 areas[] = { 300, 200, 100 };
  double out[24];
  g_autoptr(GError) error = NULL;
  double x0 = G_MAXDOUBLE, x1 = 0;

  /* The left half is taken (a block and an L); the free right part is 200 × 300. */
  g_ptr_array_add (placed, rect_shape (1, "A", 0, 0, 200, 120));
  g_ptr_array_add (placed, tenure_unit_shape_new (2, "L", ell, 6));
  g_assert_true (tenure_geometry_auto_layout (400, 300, placed, areas, 3, out, &error));
  g_assert_no_error (error);
  check_layout (out, areas, 3, 400, 300, placed);
  for (guint i = 0; i < 12; i++)
    {
      x0 = MIN (x0, out[2 * i]);
      x1 = MAX (x1, out[2 * i]);
    }
  g_assert_cmpfloat (x0, ==, 200);
  g_assert_cmpfloat (x1, ==, 400);

  /* A full floor has no room. */
  g_ptr_array_add (placed, rect_shape (3, "B", 0, 0, 400, 300));
  g_assert_false (tenure_geometry_auto_layout (400, 300, placed, areas, 3, out, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);

  /* A unit without area. */
  areas[1] = 0;
  g_assert_false (tenure_geometry_auto_layout (400, 300, NULL, areas, 3, out, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
}

/* Random floors: some random placed rectangles, random areas; the layout stays proportional,
 * overlaps nothing, and repeats itself exactly. */
static void
test_auto_layout_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261127);
  guint n_iter = iterations (200);

  for (guint it = 0; it < n_iter; it++)
    {
      g_autoptr(GPtrArray) placed = g_ptr_array_new_with_free_func
                                      ((GDestroyNotify) tenure_unit_shape_free);
      guint n = g_rand_int_range (rand, 1, 60);
      g_autofree gint64 *areas = g_new (gint64, n);
      g_autofree double *out = g_new (double, 8 * n);
      g_autofree double *again = g_new (double, 8 * n);
      g_autoptr(GError) error = NULL;
      guint n_placed = g_rand_int_range (rand, 0, 5);

      /* Non-overlapping placed blocks: one per column of a 5-column split. */
      for (guint k = 0; k < n_placed; k++)
        {
          double x0 = k * 200 + g_rand_int_range (rand, 0, 50);
          double y0 = g_rand_int_range (rand, 0, 300);
          g_ptr_array_add (placed, rect_shape (k + 1, NULL, x0, y0,
                                               x0 + g_rand_int_range (rand, 10, 150),
                                               y0 + g_rand_int_range (rand, 10, 300)));
        }
      for (guint i = 0; i < n; i++)
        areas[i] = g_rand_int_range (rand, 1000, 500000);
      g_assert_true (tenure_geometry_auto_layout (1000, 600, placed, areas, n, out, &error));
      g_assert_no_error (error);
      check_layout (out, areas, n, 1000, 600, placed);
      g_assert_true (tenure_geometry_auto_layout (1000, 600, placed, areas, n, again, NULL));
      g_assert_cmpmem (out, 8 * n * sizeof (double), again, 8 * n * sizeof (double));
    }
}

/* ---- Saving ---------------------------------------------------------------------------- */

static const char fixture_sql[] =
  "INSERT INTO legal_entity (code, name) VALUES ('LE', 'Entity');"
  "INSERT INTO project (code, legal_entity_id, name, format) VALUES ('P', 1, 'P', 'mall');"
  "INSERT INTO building (code, project_id, name) VALUES ('P-A', 1, 'A');"
  "INSERT INTO floor (code, building_id, name, plan_width, plan_height) VALUES"
  " ('P-A-1F', 1, '1F', 400, 300), ('P-A-2F', 1, '2F', 400, 300);"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c, polygon)"
  " VALUES ('U1', 1, 'U1', 'mall', 100, 100, '[[0,0],[100,0],[100,100],[0,100]]'),"
  " ('U2', 1, 'U2', 'mall', 100, 100, NULL),"
  " ('U3', 1, 'U3', 'mall', 100, 100, NULL),"
  " ('U4', 2, 'U4', 'mall', 100, 100, NULL);";

static char *
stored_polygon (TenureDb *db,
                gint64    unit_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, "SELECT polygon FROM unit WHERE id = $1",
                                                  &error);
  g_assert_no_error (error);
  tenure_stmt_bind_int64 (stmt, 1, unit_id);
  g_assert_true (tenure_stmt_step (stmt, &error));
  return g_strdup (tenure_stmt_column_text (stmt, 0));
}

static void
test_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *location = tenure_test_db_new_location (backend);
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GPtrArray) shapes = g_ptr_array_new_with_free_func
                                  ((GDestroyNotify) tenure_unit_shape_free);
  gint64 n_audit_before = 0, n_audit_after = 0;
  char *text;

  if (location == NULL)
    return;
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_exec (db, fixture_sql, &error));
  g_assert_no_error (error);
  g_assert_true (tenure_db_query_int64 (db, "SELECT count(*) FROM audit_log WHERE"
                                            " table_name = 'unit' AND action = 'update'",
                                        &n_audit_before, &error));

  /* Two shapes, the second one bad (it overlaps U1 as stored): nothing is written. */
  g_ptr_array_add (shapes, rect_shape (2, "U2", 100, 0, 200.25, 100));
  g_ptr_array_add (shapes, rect_shape (3, "U3", 50, 50, 150, 150));
  g_assert_false (tenure_geometry_save_shapes (db, 1, shapes, 0.5, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "U3"));
  g_clear_error (&error);
  text = stored_polygon (db, 2);
  g_assert_null (text);

  /* U3 against U2's new outline (written in the same call) is refused too. */
  g_ptr_array_remove_index (shapes, 1);
  g_ptr_array_add (shapes, rect_shape (3, "U3", 150, 0, 250, 100));
  g_assert_false (tenure_geometry_save_shapes (db, 1, shapes, 0.5, &error));
  g_assert_nonnull (strstr (error->message, "U2"));
  g_clear_error (&error);

  /* A unit of another floor is refused. */
  g_ptr_array_remove_index (shapes, 1);
  g_ptr_array_add (shapes, rect_shape (4, "U4", 300, 0, 400, 100));
  g_assert_false (tenure_geometry_save_shapes (db, 1, shapes, 0.5, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  text = stored_polygon (db, 2);
  g_assert_null (text);

  /* Good shapes are written together; U1 is cleared. */
  g_ptr_array_remove_index (shapes, 1);
  g_ptr_array_add (shapes, rect_shape (3, "U3", 200.25, 0, 300, 100));
  g_ptr_array_add (shapes, tenure_unit_shape_new (1, "U1", NULL, 0));
  g_assert_true (tenure_geometry_save_shapes (db, 1, shapes, 0.5, &error));
  g_assert_no_error (error);
  text = stored_polygon (db, 2);
  g_assert_cmpstr (text, ==, "[[100,0],[200.25,0],[200.25,100],[100,100]]");
  g_free (text);
  text = stored_polygon (db, 3);
  g_assert_cmpstr (text, ==, "[[200.25,0],[300,0],[300,100],[200.25,100]]");
  g_free (text);
  text = stored_polygon (db, 1);
  g_assert_null (text);
  /* Audited: one update row per changed unit. */
  g_assert_true (tenure_db_query_int64 (db, "SELECT count(*) FROM audit_log WHERE"
                                            " table_name = 'unit' AND action = 'update'",
                                        &n_audit_after, &error));
  g_assert_cmpint (n_audit_after - n_audit_before, ==, 3);
  /* Saving the same again changes nothing. */
  g_assert_true (tenure_geometry_save_shapes (db, 1, shapes, 0.5, &error));
  g_assert_true (tenure_db_query_int64 (db, "SELECT count(*) FROM audit_log WHERE"
                                            " table_name = 'unit' AND action = 'update'",
                                        &n_audit_after, &error));
  g_assert_cmpint (n_audit_after - n_audit_before, ==, 3);

  /* An unknown floor. */
  g_assert_false (tenure_geometry_save_shapes (db, 99, shapes, 0.5, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_object (&db);
  tenure_test_db_drop_location (backend, location);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  if (backend == TENURE_TEST_SQLITE)
    {
      g_test_add_func ("/geometry/area-contains", test_area_contains);
      g_test_add_func ("/geometry/simple", test_simple);
      g_test_add_func ("/geometry/inside-floor", test_inside);
      g_test_add_func ("/geometry/overlap-area", test_overlap_area);
      g_test_add_func ("/geometry/validate", test_validate);
      g_test_add_func ("/geometry/snap", test_snap);
      g_test_add_func ("/geometry/json", test_json);
      g_test_add_func ("/geometry/auto-layout/whole-floor", test_auto_layout_whole_floor);
      g_test_add_func ("/geometry/auto-layout/free-part", test_auto_layout_free_part);
      g_test_add_func ("/geometry/auto-layout/random", test_auto_layout_random);
    }
  g_test_add_func ("/geometry/save", test_save);
  return g_test_run ();
}
