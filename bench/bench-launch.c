/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-launch"

/* Launch time: from process start to the first frame of the main window showing a database
 * (the window mapped, the database open, its workspace painted once).
 *
 *   bench-launch [DB]   measures on DB; without DB it first generates the small demo into a
 *                       temporary file (not timed).
 *
 * Each run spawns a fresh process of itself (--child) so the figure includes process start,
 * GTK and libadwaita initialisation, the templates, the open in its GTask and the first frame.
 * It needs a display (xvfb-run); without one it exits 77 (skipped).
 *
 * On the large demo (50 projects, 100,000 units):
 *   build/src/cli/tenure-cli demo --scale=large --db=/tmp/tenure-large.db
 *   xvfb-run -a build/bench/bench-launch /tmp/tenure-large.db
 */

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>

#include "demo/tenure-demo.h"
#include "tenure-application.h"
#include "tenure-window.h"

#define RUNS 5

static gint64 t0;
static gint64 window_first_frame;
static GMainLoop *loop;
static int child_status = 1;

static void
after_paint_cb (GdkFrameClock *clock,
                TenureWindow  *window)
{
  gint64 now = g_get_monotonic_time ();

  if (window_first_frame == 0)
    window_first_frame = now;

  /* The frame that shows the open database: not busy any more, and a database is open. */
  if (tenure_window_is_busy (window) || tenure_window_get_db (window) == NULL)
    return;

  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, window);
  printf ("%.1f %.1f\n", (window_first_frame - t0) / 1000.0, (now - t0) / 1000.0);
  fflush (stdout);
  child_status = 0;
  g_main_loop_quit (loop);
}

static void
window_mapped_cb (GtkWidget    *widget,
                  TenureWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), window);
}

static void
db_changed_cb (TenureWindow *window)
{
  /* Make sure a frame follows the open even if nothing else asks for one. */
  gtk_widget_queue_draw (GTK_WIDGET (window));
}

static gboolean
open_failed_cb (gpointer data)
{
  TenureWindow *window = data;

  if (tenure_window_is_busy (window) || tenure_window_get_db (window) != NULL)
    return G_SOURCE_CONTINUE;
  g_printerr ("bench-launch: the database did not open\n");
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static int
run_child (const char *db)
{
  g_autoptr(TenureApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  TenureWindow *window;
  const char *t0_text = g_getenv ("TENURE_BENCH_T0");

  t0 = t0_text ? g_ascii_strtoll (t0_text, NULL, 10) : g_get_monotonic_time ();

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  if (!gtk_init_check ())
    {
      g_printerr ("bench-launch: no display (run under xvfb-run)\n");
      return 77;
    }

  app = tenure_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("bench-launch: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  window = tenure_window_new (app);
  g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), window);
  g_signal_connect (window, "notify::db", G_CALLBACK (db_changed_cb), NULL);
  tenure_window_open_location (window, db, TENURE_DB_OPEN_DEFAULT);
  gtk_window_present (GTK_WINDOW (window));
  g_timeout_add (100, open_failed_cb, window);

  g_main_loop_run (loop);
  gtk_window_destroy (GTK_WINDOW (window));
  g_main_loop_unref (loop);
  return child_status;
}

static gboolean
generate_demo (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_db_open (path, TENURE_DB_OPEN_CREATE, &error);
  TenureDemoOptions options = { .seed = 42, .scale = TENURE_DEMO_SCALE_SMALL };

  if (db == NULL || !tenure_demo_generate (db, &options, NULL, NULL, NULL, &error))
    {
      g_printerr ("bench-launch: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmpdir = NULL;
  g_autofree char *db = NULL;
  double window_ms[RUNS], db_ms[RUNS];

  if (argc == 3 && g_strcmp0 (argv[1], "--child") == 0)
    return run_child (argv[2]);

  if (argc > 2)
    {
      g_printerr ("usage: bench-launch [DB]\n");
      return 2;
    }
  if (argc == 2)
    db = g_strdup (argv[1]);
  else
    {
      tmpdir = g_dir_make_tmp ("tenure-bench-XXXXXX", NULL);
      db = g_build_filename (tmpdir, "demo-small.db", NULL);
      if (!generate_demo (db))
        return 1;
    }

  for (guint i = 0; i < RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *t0_text = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
      g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "TENURE_BENCH_T0", t0_text, TRUE);
      const char *child_argv[] = { argv[0], "--child", db, NULL };
      int status = 0;

      if (!g_spawn_sync (NULL, (char **) child_argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                         &out, NULL, &status, &error))
        {
          g_printerr ("bench-launch: %s\n", error->message);
          return 1;
        }
      if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
        return 77;
      if (!g_spawn_check_wait_status (status, &error)
          || sscanf (out, "%lf %lf", &window_ms[i], &db_ms[i]) != 2)
        {
          g_printerr ("bench-launch: run %u failed%s%s\n", i + 1,
                      error ? ": " : "", error ? error->message : "");
          return 1;
        }
    }

  qsort (window_ms, RUNS, sizeof (double), compare_doubles);
  qsort (db_ms, RUNS, sizeof (double), compare_doubles);
  printf ("launch %s: first frame %.1f ms, first frame with the database %.1f ms "
          "(median of %d runs; min %.1f, max %.1f)\n",
          db, window_ms[RUNS / 2], db_ms[RUNS / 2], RUNS, db_ms[0], db_ms[RUNS - 1]);

  if (tmpdir != NULL)
    {
      g_autofree char *lock = g_strconcat (db, ".migration.lock", NULL);
      g_remove (lock);
      g_remove (db);
      g_rmdir (tmpdir);
    }
  return 0;
}
