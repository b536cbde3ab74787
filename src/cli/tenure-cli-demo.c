/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "demo/tenure-demo.h"

static volatile sig_atomic_t interrupted;

static void
interrupt_handler (int signum)
{
  interrupted = 1;
}

typedef struct
{
  GCancellable *cancellable;
  gboolean      tty;
  int           last_percent;
} DemoProgress;

/* Runs on the generating (main) thread: the signal handler only sets a flag, and the
 * cancellation happens here, where it is safe. */
static void
demo_progress (double fraction, const char *stage, gpointer user_data)
{
  DemoProgress *p = user_data;
  int percent = (int) (fraction * 100.0 + 0.5);

  if (interrupted)
    g_cancellable_cancel (p->cancellable);
  if (!p->tty || percent == p->last_percent)
    return;
  p->last_percent = percent;
  fprintf (stderr, "\r\033[K%3d%%  %s", percent, stage);
  fflush (stderr);
}

int
tenure_cli_demo (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autofree char *scale = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *default_location = tenure_demo_default_location ();
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  TenureDemoOptions opts = { 42, TENURE_DEMO_SCALE_SMALL };
  DemoProgress progress = { cancellable, isatty (STDERR_FILENO), -1 };
  struct sigaction action = { 0 }, old_int, old_term;
  int exit_code = 0;
  gboolean ok;
  g_autofree char *db_help = g_strdup_printf (_("Database to fill (default: %s)"),
                                              default_location);
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &location, db_help, N_("LOCATION") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Seed of the generator: the same seed gives the same data (default: 42)"), N_("N") },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale,
      N_("small (3 projects, ~600 units) or large (50 projects, 100,000 units)"),
      N_("small|large") },
    { NULL }
  };

  context = tenure_cli_option_context (NULL,
                                       _("Generate the demo portfolio: projects, floors, units, "
                                         "tenants and contracts. Refuses a database that holds "
                                         "real data; a demo database is generated again."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "demo", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("demo: unexpected argument “%s”"), argv[1]);
  if (seed_text != NULL)
    {
      guint64 seed;
      if (!g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT64, &seed, NULL))
        return tenure_cli_fail (TENURE_CLI_USAGE,
                                _("demo: --seed “%s” is not a whole number from 0 to "
                                  "18446744073709551615"), seed_text);
      opts.seed = seed;
    }
  if (scale == NULL || strcmp (scale, "small") == 0)
    opts.scale = TENURE_DEMO_SCALE_SMALL;
  else if (strcmp (scale, "large") == 0)
    opts.scale = TENURE_DEMO_SCALE_LARGE;
  else
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("demo: --scale “%s” is neither “small” nor “large”"), scale);

  db = tenure_cli_open_db (location, default_location, TENURE_DB_OPEN_CREATE, &exit_code);
  if (db == NULL)
    return exit_code;

  action.sa_handler = interrupt_handler;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, &old_int);
  sigaction (SIGTERM, &action, &old_term);
  ok = tenure_demo_generate (db, &opts, demo_progress, &progress, cancellable, &error);
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);
  if (progress.tty && progress.last_percent >= 0)
    fprintf (stderr, "\r\033[K");
  if (!ok)
    return tenure_cli_fail_error (error);
  g_free (seed_text);
  seed_text = g_strdup_printf ("%" G_GUINT64_FORMAT, opts.seed);
  printf (_("Demo portfolio (seed %s, %s) written to %s\n"), seed_text,
          opts.scale == TENURE_DEMO_SCALE_LARGE ? "large" : "small",
          tenure_db_get_display_name (db));
  return TENURE_CLI_OK;
}
