/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-geometry"

#include "portfolio/tenure-geometry.h"
#include "portfolio/tenure-portfolio.h"

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Coordinates are plan units (a floor is typically 1000 × 600): this is far below anything
 * drawn or typed, and far above double rounding. */
#define EPS 1e-7

#define PX(p, i) ((p)[2 * (i)])
#define PY(p, i) ((p)[2 * (i) + 1])

TenureUnitShape *
tenure_unit_shape_new (gint64        unit_id,
                       const char   *code,
                       const double *points,
                       guint         n_points)
{
  TenureUnitShape *shape = g_new0 (TenureUnitShape, 1);

  shape->unit_id = unit_id;
  shape->code = g_strdup (code);
  shape->n_points = points != NULL ? n_points : 0;
  if (shape->n_points > 0)
    shape->points = g_memdup2 (points, sizeof (double) * 2 * n_points);
  return shape;
}

TenureUnitShape *
tenure_unit_shape_copy (const TenureUnitShape *shape)
{
  return tenure_unit_shape_new (shape->unit_id, shape->code, shape->points, shape->n_points);
}

void
tenure_unit_shape_free (TenureUnitShape *shape)
{
  if (shape == NULL)
    return;
  g_free (shape->code);
  g_free (shape->points);
  g_free (shape);
}

/* ---- Basic predicates ------------------------------------------------------------------ */

double
tenure_geometry_area (const double *points,
                      guint         n_points)
{
  double sum = 0;

  for (guint i = 0, j = n_points - 1; i < n_points; j = i++)
    sum += PX (points, j) * PY (points, i) - PX (points, i) * PY (points, j);
  return fabs (sum) / 2;
}

gboolean
tenure_geometry_contains (const double *points,
                          guint         n_points,
                          double        x,
                          double        y)
{
  gboolean inside = FALSE;

  for (guint i = 0, j = n_points - 1; i < n_points; j = i++)
    {
      double xi = PX (points, i), yi = PY (points, i);
      double xj = PX (points, j), yj = PY (points, j);

      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
        inside = !inside;
    }
  return inside;
}

static double
cross3 (const double *o,
        const double *a,
        const double *b)
{
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

static int
orientation (const double *o,
             const double *a,
             const double *b)
{
  double c = cross3 (o, a, b);

  return c > EPS ? 1 : c < -EPS ? -1 : 0;
}

/* P, collinear with AB, lies within AB's bounding box. */
static gboolean
on_segment (const double *a,
            const double *b,
            const double *p)
{
  return p[0] <= MAX (a[0], b[0]) + EPS && p[0] >= MIN (a[0], b[0]) - EPS
         && p[1] <= MAX (a[1], b[1]) + EPS && p[1] >= MIN (a[1], b[1]) - EPS;
}

gboolean
tenure_geometry_segments_touch (const double *a,
                                const double *b,
                                const double *c,
                                const double *d)
{
  int o1 = orientation (a, b, c), o2 = orientation (a, b, d);
  int o3 = orientation (c, d, a), o4 = orientation (c, d, b);

  if (o1 != o2 && o3 != o4)
    return TRUE;
  return (o1 == 0 && on_segment (a, b, c)) || (o2 == 0 && on_segment (a, b, d))
         || (o3 == 0 && on_segment (c, d, a)) || (o4 == 0 && on_segment (c, d, b));
}

gboolean
tenure_geometry_is_simple (const double *points,
                           guint         n_points)
{
  if (points == NULL || n_points < 3)
    return FALSE;
  for (guint i = 0; i < n_points; i++)
    {
      const double *a = points + 2 * i;
      const double *b = points + 2 * ((i + 1) % n_points);
      const double *c = points + 2 * ((i + 2) % n_points);
      double ux = b[0] - a[0], uy = b[1] - a[1], vx = c[0] - b[0], vy = c[1] - b[1];

      if (!isfinite (a[0]) || !isfinite (a[1]) || hypot (ux, uy) < EPS)
        return FALSE;
      /* Neighbouring edges may continue straight on, never fold back over each other. */
      if (fabs (ux * vy - uy * vx) <= EPS * MAX (1, hypot (ux, uy) * hypot (vx, vy))
          && ux * vx + uy * vy < 0)
        return FALSE;
    }
  for (guint i = 0; i < n_points; i++)
    for (guint j = i + 2; j < n_points; j++)
      {
        if (i == 0 && j == n_points - 1)
          continue;   /* neighbours through the closing corner */
        if (tenure_geometry_segments_touch (points + 2 * i, points + 2 * ((i + 1) % n_points),
                                            points + 2 * j,
                                            points + 2 * ((j + 1) % n_points)))
          return FALSE;
      }
  return tenure_geometry_area (points, n_points) > EPS;
}

gboolean
tenure_geometry_inside_floor (const double *points,
                              guint         n_points,
                              double        width,
                              double        height)
{
  for (guint i = 0; i < n_points; i++)
    if (!(PX (points, i) >= -EPS && PX (points, i) <= width + EPS
          && PY (points, i) >= -EPS && PY (points, i) <= height + EPS))
      return FALSE;
  return TRUE;
}

static void
bounds (const double *p,
        guint         n,
        double       *x0,
        double       *y0,
        double       *x1,
        double       *y1)
{
  *x0 = *y0 = G_MAXDOUBLE;
  *x1 = *y1 = -G_MAXDOUBLE;
  for (guint i = 0; i < n; i++)
    {
      *x0 = MIN (*x0, PX (p, i));
      *x1 = MAX (*x1, PX (p, i));
      *y0 = MIN (*y0, PY (p, i));
      *y1 = MAX (*y1, PY (p, i));
    }
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* The ordinates where the vertical line at X crosses the polygon, sorted: consecutive pairs
 * bound the runs inside. */
static void
crossings_at (const double *p,
              guint         n,
              double        x,
              GArray       *out)
{
  g_array_set_size (out, 0);
  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      double xi = PX (p, i), xj = PX (p, j);

      if ((xi > x) != (xj > x))
        {
          double y = PY (p, i) + (PY (p, j) - PY (p, i)) * (x - xi) / (xj - xi);
          g_array_append_val (out, y);
        }
    }
  qsort (out->data, out->len, sizeof (double), compare_double);
}

/* The common area, and in *EXTENT the longer side of its bounding box (from the slabs'
 * midlines: exact for the axis-aligned slivers it is used to judge). */
static double
overlap (const double *a,
         guint         n_a,
         const double *b,
         guint         n_b,
         double       *extent)
{
  double ax0, ay0, ax1, ay1, bx0, by0, bx1, by1, lo, hi, area = 0;
  double ox0 = G_MAXDOUBLE, ox1 = -G_MAXDOUBLE, oy0 = G_MAXDOUBLE, oy1 = -G_MAXDOUBLE;
  g_autoptr(GArray) xs = NULL;
  g_autoptr(GArray) ya = NULL;
  g_autoptr(GArray) yb = NULL;

  *extent = 0;
  if (n_a < 3 || n_b < 3)
    return 0;
  bounds (a, n_a, &ax0, &ay0, &ax1, &ay1);
  bounds (b, n_b, &bx0, &by0, &bx1, &by1);
  lo = MAX (ax0, bx0);
  hi = MIN (ax1, bx1);
  if (lo >= hi || MAX (ay0, by0) >= MIN (ay1, by1))
    return 0;

  /* Slab boundaries: every vertex and every crossing of an edge of A with one of B. */
  xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_val (xs, lo);
  g_array_append_val (xs, hi);
  for (guint i = 0; i < n_a; i++)
    g_array_append_val (xs, PX (a, i));
  for (guint i = 0; i < n_b; i++)
    g_array_append_val (xs, PX (b, i));
  for (guint i = 0; i < n_a; i++)
    {
      const double *p = a + 2 * i, *p2 = a + 2 * ((i + 1) % n_a);
      double rx = p2[0] - p[0], ry = p2[1] - p[1];

      for (guint j = 0; j < n_b; j++)
        {
          const double *q = b + 2 * j, *q2 = b + 2 * ((j + 1) % n_b);
          double sx = q2[0] - q[0], sy = q2[1] - q[1];
          double denom = rx * sy - ry * sx, t, u;

          if (fabs (denom) < 1e-12)
            continue;
          t = ((q[0] - p[0]) * sy - (q[1] - p[1]) * sx) / denom;
          u = ((q[0] - p[0]) * ry - (q[1] - p[1]) * rx) / denom;
          if (t >= 0 && t <= 1 && u >= 0 && u <= 1)
            {
              double x = p[0] + t * rx;
              g_array_append_val (xs, x);
            }
        }
    }
  qsort (xs->data, xs->len, sizeof (double), compare_double);

  ya = g_array_new (FALSE, FALSE, sizeof (double));
  yb = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint k = 0; k + 1 < xs->len; k++)
    {
      double x0 = g_array_index (xs, double, k), x1 = g_array_index (xs, double, k + 1);
      double xm = (x0 + x1) / 2, len = 0;
      guint i = 0, j = 0;

      if (x0 < lo || x1 > hi || x1 - x0 < 1e-12)
        continue;
      crossings_at (a, n_a, xm, ya);
      crossings_at (b, n_b, xm, yb);
      /* Intersect the two lists of runs. */
      while (i + 1 < ya->len && j + 1 < yb->len)
        {
          double a0 = g_array_index (ya, double, i), a1 = g_array_index (ya, double, i + 1);
          double b0 = g_array_index (yb, double, j), b1 = g_array_index (yb, double, j + 1);

          if (MIN (a1, b1) > MAX (a0, b0))
            {
              len += MIN (a1, b1) - MAX (a0, b0);
              oy0 = MIN (oy0, MAX (a0, b0));
              oy1 = MAX (oy1, MIN (a1, b1));
            }
          if (a1 < b1)
            i += 2;
          else
            j += 2;
        }
      if (len > 0)
        {
          ox0 = MIN (ox0, x0);
          ox1 = MAX (ox1, x1);
        }
      area += (x1 - x0) * len;
    }
  if (area > 0)
    *extent = MAX (ox1 - ox0, oy1 - oy0);
  return area;
}

double
tenure_geometry_overlap_area (const double *a,
                              guint         n_a,
                              const double *b,
                              guint         n_b)
{
  double extent;

  return overlap (a, n_a, b, n_b, &extent);
}

static const char *
shape_name (const TenureUnitShape *shape,
            char                   buf[32])
{
  if (shape->code != NULL)
    return shape->code;
  g_snprintf (buf, 32, "#%" G_GINT64_FORMAT, shape->unit_id);
  return buf;
}

gboolean
tenure_geometry_validate (const TenureUnitShape *shape,
                          double                 width,
                          double                 height,
                          GPtrArray             *others,
                          double                 tolerance,
                          GError               **error)
{
  char buf[32], other_buf[32];
  const char *name;

  g_return_val_if_fail (shape != NULL, FALSE);

  name = shape_name (shape, buf);
  if (shape->n_points < 3)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Unit %s: an outline needs at least three corners"), name);
      return FALSE;
    }
  if (!tenure_geometry_is_simple (shape->points, shape->n_points))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Unit %s: the outline crosses or touches itself"), name);
      return FALSE;
    }
  for (guint i = 0; i < shape->n_points; i++)
    if (!tenure_geometry_inside_floor (shape->points + 2 * i, 1, width, height))
      {
        /* TRANSLATORS: a corner (x, y) outside a floor plan of width × height */
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                     _("Unit %s: the corner (%.2f, %.2f) lies outside the floor (%.0f × %.0f)"),
                     name, PX (shape->points, i), PY (shape->points, i), width, height);
        return FALSE;
      }
  for (guint k = 0; others != NULL && k < others->len; k++)
    {
      const TenureUnitShape *other = g_ptr_array_index (others, k);
      double common, extent;

      if (other->unit_id == shape->unit_id || other->n_points < 3)
        continue;
      common = overlap (shape->points, shape->n_points, other->points, other->n_points,
                        &extent);
      /* A sliver along a shared wall, on average at most TOLERANCE wide, is a drawing
       * inaccuracy; anything thicker is a real overlap. */
      if (common > MAX (tolerance * extent, EPS))
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Unit %s overlaps unit %s"), name, shape_name (other, other_buf));
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- Snapping -------------------------------------------------------------------------- */

TenureSnapKind
tenure_geometry_snap (double     x,
                      double     y,
                      GPtrArray *targets,
                      gint64     exclude_id,
                      double     radius,
                      double     grid,
                      double     width,
                      double     height,
                      double    *out_x,
                      double    *out_y)
{
  TenureSnapKind kind = TENURE_SNAP_NONE;
  double best = radius, bx = x, by = y;

  for (guint k = 0; targets != NULL && k < targets->len; k++)
    {
      const TenureUnitShape *t = g_ptr_array_index (targets, k);

      if (t->unit_id == exclude_id && exclude_id != 0)
        continue;
      for (guint i = 0; i < t->n_points; i++)
        {
          double d = hypot (PX (t->points, i) - x, PY (t->points, i) - y);

          if (d <= best)
            {
              best = d;
              bx = PX (t->points, i);
              by = PY (t->points, i);
              kind = TENURE_SNAP_VERTEX;
            }
        }
    }
  if (kind == TENURE_SNAP_NONE)
    for (guint k = 0; targets != NULL && k < targets->len; k++)
      {
        const TenureUnitShape *t = g_ptr_array_index (targets, k);

        if (t->unit_id == exclude_id && exclude_id != 0)
          continue;
        for (guint i = 0, j = t->n_points - 1; i < t->n_points; j = i++)
          {
            double ax = PX (t->points, j), ay = PY (t->points, j);
            double dx = PX (t->points, i) - ax, dy = PY (t->points, i) - ay;
            double len2 = dx * dx + dy * dy, s, px, py, d;

            if (len2 <= 0)
              continue;
            s = CLAMP (((x - ax) * dx + (y - ay) * dy) / len2, 0, 1);
            px = ax + s * dx;
            py = ay + s * dy;
            d = hypot (px - x, py - y);
            if (d <= best)
              {
                best = d;
                bx = px;
                by = py;
                kind = TENURE_SNAP_EDGE;
              }
          }
      }
  if (kind == TENURE_SNAP_NONE && grid > 0)
    {
      bx = round (x / grid) * grid;
      by = round (y / grid) * grid;
      kind = TENURE_SNAP_GRID;
    }
  *out_x = CLAMP (bx, 0, width);
  *out_y = CLAMP (by, 0, height);
  return kind;
}

/* ---- JSON ------------------------------------------------------------------------------ */

static void
append_number (GString *s,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double r = round (v * 100) / 100;

  if (r == 0)
    r = 0;   /* no "-0" */
  g_ascii_formatd (buf, sizeof buf, "%.2f", r);
  /* Drop trailing zeros: "12.50" → "12.5", "12.00" → "12". */
  {
    size_t len = strlen (buf);
    while (len > 0 && buf[len - 1] == '0')
      buf[--len] = '\0';
    if (len > 0 && buf[len - 1] == '.')
      buf[--len] = '\0';
  }
  g_string_append (s, buf);
}

char *
tenure_geometry_to_json (const double *points,
                         guint         n_points)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < n_points; i++)
    {
      g_string_append (s, i > 0 ? ",[" : "[");
      append_number (s, PX (points, i));
      g_string_append_c (s, ',');
      append_number (s, PY (points, i));
      g_string_append_c (s, ']');
    }
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* ---- Automatic layout ------------------------------------------------------------------ */

typedef struct
{
  double x, y, w, h;
} Rect;

static void
add_unique (GArray *a,
            double  v)
{
  g_array_append_val (a, v);
}

static void
sort_unique (GArray *a)
{
  guint k = 0;

  qsort (a->data, a->len, sizeof (double), compare_double);
  for (guint i = 0; i < a->len; i++)
    if (k == 0 || g_array_index (a, double, i) - g_array_index (a, double, k - 1) > EPS)
      g_array_index (a, double, k++) = g_array_index (a, double, i);
  g_array_set_size (a, k);
}

/* The largest axis-aligned rectangle of the floor that no placed outline overlaps: the floor
 * is cut into a grid at every outline's bounding-box edges, cells are marked occupied where an
 * outline covers part of them, and each grid row's column of free heights is a histogram
 * whose largest rectangle a stack finds in one pass. Ties keep the first (top-left) found. */
static gboolean
largest_free_rect (double     width,
                   double     height,
                   GPtrArray *placed,
                   Rect      *out)
{
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree guint8 *busy = NULL;
  g_autofree double *run = NULL;
  g_autofree guint *stack = NULL;
  g_autofree double *stack_h = NULL;
  guint nx, ny;
  double best = 0;

  add_unique (xs, 0);
  add_unique (xs, width);
  add_unique (ys, 0);
  add_unique (ys, height);
  for (guint k = 0; k < placed->len; k++)
    {
      const TenureUnitShape *s = g_ptr_array_index (placed, k);
      double x0, y0, x1, y1;

      if (s->n_points < 3)
        continue;
      bounds (s->points, s->n_points, &x0, &y0, &x1, &y1);
      add_unique (xs, CLAMP (x0, 0, width));
      add_unique (xs, CLAMP (x1, 0, width));
      add_unique (ys, CLAMP (y0, 0, height));
      add_unique (ys, CLAMP (y1, 0, height));
    }
  sort_unique (xs);
  sort_unique (ys);
  nx = xs->len - 1;
  ny = ys->len - 1;
  if (nx == 0 || ny == 0)
    return FALSE;
  busy = g_new0 (guint8, (gsize) nx * ny);

  for (guint k = 0; k < placed->len; k++)
    {
      const TenureUnitShape *s = g_ptr_array_index (placed, k);
      double x0, y0, x1, y1;

      if (s->n_points < 3)
        continue;
      bounds (s->points, s->n_points, &x0, &y0, &x1, &y1);
      for (guint j = 0; j < ny; j++)
        {
          double cy0 = g_array_index (ys, double, j), cy1 = g_array_index (ys, double, j + 1);

          if (cy1 <= y0 + EPS || cy0 >= y1 - EPS)
            continue;
          for (guint i = 0; i < nx; i++)
            {
              double cx0 = g_array_index (xs, double, i);
              double cx1 = g_array_index (xs, double, i + 1);
              double cell[8] = { cx0, cy0, cx1, cy0, cx1, cy1, cx0, cy1 };

              if (busy[j * nx + i] || cx1 <= x0 + EPS || cx0 >= x1 - EPS)
                continue;
              if (tenure_geometry_overlap_area (cell, 4, s->points, s->n_points)
                  > EPS * (cx1 - cx0) * (cy1 - cy0) + EPS)
                busy[j * nx + i] = 1;
            }
        }
    }

  run = g_new0 (double, nx);
  stack = g_new (guint, nx + 1);
  stack_h = g_new (double, nx + 1);
  for (guint j = 0; j < ny; j++)
    {
      double cy0 = g_array_index (ys, double, j), cy1 = g_array_index (ys, double, j + 1);
      guint top = 0;

      for (guint i = 0; i < nx; i++)
        run[i] = busy[j * nx + i] ? 0 : run[i] + (cy1 - cy0);
      /* Largest rectangle under the histogram RUN (column i spans xs[i]..xs[i+1]). */
      for (guint i = 0; i <= nx; i++)
        {
          double h = i < nx ? run[i] : 0;
          guint start = i;

          while (top > 0 && stack_h[top - 1] >= h)
            {
              double sh = stack_h[top - 1];
              guint si = stack[top - 1];
              double w = g_array_index (xs, double, i) - g_array_index (xs, double, si);

              top--;
              if (sh * w > best + EPS)
                {
                  best = sh * w;
                  *out = (Rect) { g_array_index (xs, double, si), cy1 - sh, w, sh };
                }
              start = si;
            }
          stack[top] = start;
          stack_h[top] = h;
          top++;
        }
    }
  return best > EPS;
}

static double
worst_ratio (double rmax,
             double rmin,
             double sum,
             double side)
{
  double s2 = side * side, sum2 = sum * sum;

  return MAX (s2 * rmax / sum2, sum2 / (s2 * rmin));
}

typedef struct
{
  guint  index;
  gint64 area;
} Item;

static int
compare_items (const void *a,
               const void *b)
{
  const Item *x = a, *y = b;

  if (x->area != y->area)
    return x->area > y->area ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index ? 1 : 0;
}

static void
put_rect (double *out,
          guint   index,
          double  x0,
          double  y0,
          double  x1,
          double  y1)
{
  double *r = out + 8 * index;

  r[0] = x0; r[1] = y0;
  r[2] = x1; r[3] = y0;
  r[4] = x1; r[5] = y1;
  r[6] = x0; r[7] = y1;
}

/* Squarified treemap (Bruls, Huizing, van Wijk): rows of items in decreasing size laid along
 * the shorter side, a row growing while that keeps its worst aspect ratio from worsening. */
static void
squarify (const Item *items,
          guint       n,
          Rect        r,
          double      scale,
          double     *out)
{
  guint i = 0;

  while (i < n)
    {
      double side = MIN (r.w, r.h);
      double sum = items[i].area * scale, rmax = sum, rmin = sum;
      double worst = worst_ratio (rmax, rmin, sum, side);
      guint j = i + 1;
      double strip, pos;

      while (j < n)
        {
          double a = items[j].area * scale;
          double w = worst_ratio (MAX (rmax, a), MIN (rmin, a), sum + a, side);

          if (w > worst)
            break;
          worst = w;
          sum += a;
          rmax = MAX (rmax, a);
          rmin = MIN (rmin, a);
          j++;
        }
      if (j == n)
        sum = r.w * r.h;   /* the last row takes what is left, whatever the rounding */
      if (r.w >= r.h)
        {
          /* A column on the left. */
          strip = j == n ? r.w : sum / r.h;
          pos = r.y;
          for (guint k = i; k < j; k++)
            {
              double h = k + 1 == j ? r.y + r.h - pos : items[k].area * scale / strip;
              put_rect (out, items[k].index, r.x, pos, r.x + strip, pos + h);
              pos += h;
            }
          r.x += strip;
          r.w -= strip;
        }
      else
        {
          /* A row along the top. */
          strip = j == n ? r.h : sum / r.w;
          pos = r.x;
          for (guint k = i; k < j; k++)
            {
              double w = k + 1 == j ? r.x + r.w - pos : items[k].area * scale / strip;
              put_rect (out, items[k].index, pos, r.y, pos + w, r.y + strip);
              pos += w;
            }
          r.y += strip;
          r.h -= strip;
        }
      i = j;
    }
}

gboolean
tenure_geometry_auto_layout (double         width,
                             double         height,
                             GPtrArray     *placed,
                             const gint64  *areas,
                             guint          n_areas,
                             double        *out,
                             GError       **error)
{
  g_autofree Item *items = NULL;
  Rect free_rect = { 0, 0, width, height };
  double total = 0;

  g_return_val_if_fail (n_areas == 0 || (areas != NULL && out != NULL), FALSE);

  if (n_areas == 0)
    return TRUE;
  if (!(width > 0) || !(height > 0))
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("The floor plan has no size"));
      return FALSE;
    }
  items = g_new (Item, n_areas);
  for (guint i = 0; i < n_areas; i++)
    {
      if (areas[i] <= 0)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Unit number %u has no leasable area to lay out"), i + 1);
          return FALSE;
        }
      items[i] = (Item) { i, areas[i] };
      total += (double) areas[i];
    }
  if (placed != NULL && placed->len > 0 && !largest_free_rect (width, height, placed, &free_rect))
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("No free space is left on the floor for an automatic layout"));
      return FALSE;
    }
  qsort (items, n_areas, sizeof (Item), compare_items);
  squarify (items, n_areas, free_rect, free_rect.w * free_rect.h / total, out);
  return TRUE;
}

/* ---- Storage --------------------------------------------------------------------------- */

static gboolean
save_shapes (TenureDb   *db,
             gint64      floor_id,
             GPtrArray  *shapes,
             double      tolerance,
             GError    **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func
                                 ((GDestroyNotify) tenure_unit_shape_free);
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  double width, height;

  stmt = tenure_db_prepare (db, "SELECT plan_width, plan_height FROM floor WHERE id = $1",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, floor_id);
  if (!tenure_stmt_step (stmt, error))
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, floor_id);

      if (error == NULL || *error == NULL)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("No floor with id %s exists to draw on"), id);
      return FALSE;
    }
  width = (double) tenure_stmt_column_int64 (stmt, 0);
  height = (double) tenure_stmt_column_int64 (stmt, 1);
  g_clear_pointer (&stmt, tenure_stmt_free);

  /* Every live unit of the floor with its outline as it will be after the write. */
  stmt = tenure_db_prepare (db, "SELECT id, code, polygon FROM unit"
                                " WHERE floor_id = $1 AND retired_on IS NULL ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, floor_id);
  while (tenure_stmt_step (stmt, error))
    {
      const char *json = tenure_stmt_column_text (stmt, 2);
      guint n = 0;
      g_autofree double *points = tenure_portfolio_parse_polygon (json, &n);
      TenureUnitShape *s = tenure_unit_shape_new (tenure_stmt_column_int64 (stmt, 0),
                                                  tenure_stmt_column_text (stmt, 1), points, n);

      g_ptr_array_add (after, s);
      g_hash_table_insert (index, &s->unit_id, s);
    }
  if (error != NULL && *error != NULL)
    return FALSE;
  g_clear_pointer (&stmt, tenure_stmt_free);

  for (guint i = 0; i < shapes->len; i++)
    {
      const TenureUnitShape *s = g_ptr_array_index (shapes, i);
      TenureUnitShape *target = g_hash_table_lookup (index, &s->unit_id);

      if (target == NULL)
        {
          char buf[32];

          g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                       _("Unit %s is not a live unit of this floor"), shape_name (s, buf));
          return FALSE;
        }
      g_clear_pointer (&target->points, g_free);
      target->n_points = s->n_points;
      if (s->n_points > 0)
        target->points = g_memdup2 (s->points, sizeof (double) * 2 * s->n_points);
    }

  stmt = tenure_db_prepare (db, "UPDATE unit SET polygon = $2 WHERE id = $1"
                                " AND polygon IS DISTINCT FROM $2", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < shapes->len; i++)
    {
      const TenureUnitShape *s = g_ptr_array_index (shapes, i);
      const TenureUnitShape *target = g_hash_table_lookup (index, &s->unit_id);
      g_autofree char *json = NULL;

      if (s->n_points > 0)
        {
          /* Validate what is stored: the rounded coordinates. */
          g_autofree double *stored = NULL;
          guint n = 0;
          g_autoptr(TenureUnitShape) check = NULL;

          json = tenure_geometry_to_json (s->points, s->n_points);
          stored = tenure_portfolio_parse_polygon (json, &n);
          check = tenure_unit_shape_new (s->unit_id, target->code, stored, n);
          if (!tenure_geometry_validate (check, width, height, after, tolerance, error))
            return FALSE;
        }
      tenure_stmt_reset (stmt);
      tenure_stmt_bind_int64 (stmt, 1, s->unit_id);
      tenure_stmt_bind_text (stmt, 2, json);
      if (!tenure_stmt_run (stmt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tenure_geometry_save_shapes (TenureDb   *db,
                             gint64      floor_id,
                             GPtrArray  *shapes,
                             double      tolerance,
                             GError    **error)
{
  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (shapes != NULL, FALSE);

  if (!tenure_db_begin (db, error))
    return FALSE;
  if (!save_shapes (db, floor_id, shapes, tolerance, error))
    {
      tenure_db_rollback (db);
      return FALSE;
    }
  return tenure_db_commit (db, error);
}
