/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "export/tenure-export.h"

/* `tenure-cli export REPORT --out FILE.xlsx`: an Excel report. The export runs in a worker
 * thread so that Ctrl+C (SIGINT) or SIGTERM cancels it cleanly: no file is left behind. */

typedef struct
{
  TenureDb            *db;
  TenureExportReport   report;
  const char          *out;
  TenureExportOptions  options;
  GMainLoop           *loop;
  gboolean             ok;
  GError              *error;
  gboolean             show_progress;
  gint                 last_percent;
} ExportJob;

static void
progress_cb (double   fraction,
             guint64  rows,
             gpointer user_data)
{
  ExportJob *job = user_data;
  int percent = (int) (fraction * 100.0);

  if (!job->show_progress || percent == job->last_percent)
    return;
  job->last_percent = percent;
  fprintf (stderr, "\r%3d %% (%" G_GUINT64_FORMAT ")", percent, rows);
}

static gboolean
job_done_cb (gpointer user_data)
{
  ExportJob *job = user_data;

  g_main_loop_quit (job->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
export_thread (gpointer user_data)
{
  ExportJob *job = user_data;

  job->ok = tenure_export_to_file (job->db, job->report, job->out, &job->options,
                                   &job->error);
  g_idle_add (job_done_cb, job);
  return NULL;
}

static gboolean
signal_cb (gpointer user_data)
{
  ExportJob *job = user_data;

  g_cancellable_cancel (job->options.cancellable);
  return G_SOURCE_CONTINUE;
}

int
tenure_cli_export (int argc, char **argv)
{
  g_autofree char *location = NULL, *as_of_text = NULL, *project = NULL, *out = NULL;
  gboolean sheet_per_project = FALSE, no_mask = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = NULL;
  ExportJob job = { 0 };
  GThread *thread;
  guint sigint_id, sigterm_id;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("The Excel file to write (required)"), N_("FILE.xlsx") },
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of_text,
      N_("The day of the figures (default: today)"), N_("YYYY-MM-DD") },
    { "project", 0, 0, G_OPTION_ARG_STRING, &project,
      N_("Only this project"), N_("CODE") },
    { "sheet-per-project", 0, 0, G_OPTION_ARG_NONE, &sheet_per_project,
      N_("One sheet per project"), NULL },
    { "no-mask", 0, 0, G_OPTION_ARG_NONE, &no_mask,
      N_("Show ID numbers, phones and bank accounts in full"), NULL },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context ("rent-roll|bills|aging|kpi|reconciliation",
                                       _("Write an Excel report: rent roll, bill summary, "
                                         "aging, the KPI report with charts, or the "
                                         "reconciliation of the month."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "export", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("export: say which report: rent-roll, bills, aging, kpi or "
                              "reconciliation"));
  if (argc > 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("export: unexpected argument “%s”"), argv[2]);
  if (!tenure_export_report_parse (argv[1], &job.report, &error))
    return tenure_cli_fail (TENURE_CLI_USAGE, _("export: %s"), error->message);
  if (out == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("export: --out FILE.xlsx is required"));
  if (as_of_text != NULL)
    {
      if (!tenure_date_parse_iso (as_of_text, &job.options.as_of, &error))
        return tenure_cli_fail (TENURE_CLI_USAGE, _("export: --as-of: %s"), error->message);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      int y, m, d;

      g_date_time_get_ymd (now, &y, &m, &d);
      job.options.as_of = tenure_date_from_ymd (y, m, d);
    }

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;

  loop = g_main_loop_new (NULL, FALSE);
  job.db = db;
  job.out = out;
  job.loop = loop;
  job.last_percent = -1;
  job.show_progress = isatty (STDERR_FILENO);
  job.options.project_code = project;
  job.options.sheet_per_project = sheet_per_project;
  job.options.mask = no_mask ? TENURE_EXPORT_MASK_OFF : TENURE_EXPORT_MASK_DEFAULT;
  job.options.progress = progress_cb;
  job.options.progress_data = &job;
  job.options.cancellable = cancellable;

  sigint_id = g_unix_signal_add (SIGINT, signal_cb, &job);
  sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, &job);
  thread = g_thread_new ("export", export_thread, &job);
  g_main_loop_run (loop);
  g_thread_join (thread);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (job.show_progress)
    fputc ('\n', stderr);

  if (!job.ok)
    {
      int code = tenure_cli_fail_error (job.error);
      g_clear_error (&job.error);
      return code;
    }
  return TENURE_CLI_OK;
}
