/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bench"

/* bench-export: the bill summary of 1,000,000 bills exported to Excel (tenure_export_to_file:
 * streamed from the database, open amounts from tenure_open_items_load, every cell formatted)
 * against a bare libxlsxwriter constant_memory loop writing the same cells (same types and
 * formats, values made up in the loop) in the same run. Goal (issue 5): the export within
 * 1.25× the bare loop's time, peak memory under 50 MB.
 *
 *   TENURE_BENCH_DB     the database (default /tmp/tenure-export-bench.db). Made when missing:
 *                       20 projects, 20,000 tenants and contracts, 50 monthly bills each
 *                       (1,000,000 bills, plan lines and bill lines), one bill line in ten
 *                       paid by a receipt. A synthetic file: its audit triggers are dropped
 *                       for the fill (the fill is not what is measured).
 *   TENURE_BENCH_BILLS  bills per contract (default 50)
 *   TENURE_BENCH_OUT    folder for the two workbooks (default /tmp)
 *   TENURE_BENCH_RUNS   rounds (default 3): each round times the export then the bare loop,
 *                       and each part's best round counts, so a burst of load from other
 *                       processes on a shared machine weighs on one round, not the result
 *
 * Peak memory is the process's VmHWM, reset (/proc/self/clear_refs) before each timed part
 * (the highest over the rounds counts). The load average is printed before and after. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "base/tenure-error.h"
#include "export/tenure-export.h"

#define N_PROJECTS  20
#define N_CONTRACTS 20000

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Peak resident memory since the last reset, in MB. */
static double
peak_mb (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (p = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return g_ascii_strtod (p + 6, NULL) / 1024.0;
}

/* Writes straight into the file (g_file_set_contents would rename a temporary over it). */
static void
reset_peak (void)
{
  FILE *f = fopen ("/proc/self/clear_refs", "w");

  if (f != NULL)
    {
      fputs ("5", f);
      fclose (f);
    }
}

static void
print_load (const char *when)
{
  g_autofree char *text = NULL;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    printf ("load average %s: %s", when, text);
}

static gboolean
exec (TenureDb *db, const char *sql, GError **error)
{
  if (tenure_db_exec (db, sql, error))
    return TRUE;
  g_prefix_error (error, "%.60s…: ", sql);
  return FALSE;
}

static gboolean
fill (TenureDb  *db,
      int        bills_per_contract,
      GError   **error)
{
  g_autoptr(TenureStmt) triggers = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *months = NULL;
  GError *local_error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  triggers = tenure_db_prepare (db, "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                    "AND name LIKE 'tenure_audit_%'", error);
  if (triggers == NULL)
    return FALSE;
  while (tenure_stmt_step (triggers, &local_error))
    g_ptr_array_add (names, g_strdup (tenure_stmt_column_text (triggers, 0)));
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TRIGGER %s", (char *) names->pdata[i]);
      if (!exec (db, sql, error))
        return FALSE;
    }

  months = g_strdup_printf (
    "CREATE TEMP TABLE bm AS WITH RECURSIVE m (n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM m "
    "WHERE n + 1 < %d) SELECT n, date ('2026-10-01', '-' || n || ' months') AS ms, "
    "date ('2026-10-01', '-' || n || ' months', '+1 month', '-1 day') AS me FROM m",
    bills_per_contract);
  if (!tenure_db_begin (db, error)
      || !exec (db, "INSERT INTO legal_entity (code, name) VALUES ('LE-B', '星河置业有限公司')",
                error)
      || !exec (db, "WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
                    "WHERE n < 20) INSERT INTO project (code, legal_entity_id, name, format) "
                    "SELECT printf ('PB%02d', n), 1, '星河广场' || n || '期', 'mall' FROM s",
                error)
      || !exec (db, "WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
                    "WHERE n < 20000) INSERT INTO tenant (code, name, phone, id_number) "
                    "SELECT printf ('TB-%06d', n), '上海星河贸易有限公司第' || n || '分店', "
                    "printf ('138%08d', n), printf ('91310000%010d', n) FROM s", error)
      || !exec (db, "INSERT INTO contract (code, tenant_id, project_id, status, start_date, "
                    "end_date) SELECT printf ('HB-%06d', id), id, (id - 1) % 20 + 1, 'active', "
                    "'2022-01-01', '2027-12-31' FROM tenant", error)
      || !exec (db, "INSERT INTO contract_version (contract_id, version_no, effective_from, "
                    "status) SELECT id, 1, start_date, 'approved' FROM contract", error)
      || !exec (db, months, error)
      || !exec (db, "INSERT INTO receivable_line (contract_id, contract_version_id, "
                    "charge_item_id, period_start, period_end, due_date, amount, tax, status) "
                    "SELECT c.id, c.id, (SELECT id FROM charge_item WHERE code = 'RENT'), "
                    "bm.ms, bm.me, bm.ms, 100000 + (c.id * 7919 + bm.n * 104729) % 5000000, "
                    "(100000 + (c.id * 7919 + bm.n * 104729) % 5000000) * 9 / 109, 'billed' "
                    "FROM contract c CROSS JOIN bm", error)
      || !exec (db, "INSERT INTO bill (id, code, contract_id, tenant_id, period_start, "
                    "period_end, due_date, posting_date, total, tax) "
                    "SELECT rl.id, printf ('BB-%07d', rl.id), rl.contract_id, rl.contract_id, "
                    "rl.period_start, rl.period_end, rl.due_date, date (rl.period_start, "
                    "'-10 days'), rl.amount, rl.tax FROM receivable_line rl", error)
      || !exec (db, "UPDATE receivable_line SET bill_id = id", error)
      || !exec (db, "INSERT INTO bill_line (id, bill_id, receivable_line_id, charge_item_id, "
                    "period_start, period_end, due_date, amount, tax) SELECT id, id, id, "
                    "charge_item_id, period_start, period_end, due_date, amount, tax "
                    "FROM receivable_line", error)
      || !exec (db, "INSERT INTO receipt (id, code, tenant_id, method, received_on, "
                    "posting_date, amount) SELECT bl.id, printf ('RB-%07d', bl.id), "
                    "b.tenant_id, 'bank', bl.due_date, bl.due_date, bl.amount FROM bill_line bl "
                    "JOIN bill b ON b.id = bl.bill_id WHERE bl.id % 10 = 0", error)
      || !exec (db, "INSERT INTO allocation (receipt_id, bill_line_id, amount, kind, "
                    "posting_date) SELECT id, id, amount, 'allocation', posting_date "
                    "FROM receipt WHERE code LIKE 'RB-%'", error)
      || !tenure_db_commit (db, error))
    return FALSE;
  printf ("fill: %d bills per contract in %.1f s\n", bills_per_contract,
          (g_get_monotonic_time () - t0) / 1e6);
  fflush (stdout);
  return TRUE;
}

/* The same 16 cells per row as the bill summary, with the same formats, values made up. */
static gboolean
bare_loop (const char *path,
           gint64      rows,
           GError    **error)
{
  lxw_workbook_options options = { .constant_memory = LXW_TRUE, .use_zip64 = LXW_TRUE };
  lxw_workbook *wb = workbook_new_opt (path, &options);
  lxw_worksheet *ws = workbook_add_worksheet (wb, "Bills");
  lxw_format *date_fmt = workbook_add_format (wb);
  lxw_format *money_fmt = workbook_add_format (wb);
  lxw_format *bold = workbook_add_format (wb);
  static const char *const headers[] = {
    "Project", "Tenant code", "Tenant", "Tenant phone", "Contract", "Bill", "Kind",
    "Period start", "Period end", "Due date", "Posting date", "Currency", "Billed", "Tax",
    "Received", "Open",
  };
  char buf[6][64];
  lxw_error err;

  format_set_num_format (date_fmt, "yyyy-mm-dd");
  format_set_num_format (money_fmt, "\"¥\"#,##0.00;-\"¥\"#,##0.00");
  format_set_bold (bold);
  for (int c = 0; c < 16; c++)
    worksheet_write_string (ws, 0, c, headers[c], bold);
  worksheet_freeze_panes (ws, 1, 0);
  for (gint64 r = 1; r <= rows; r++)
    {
      gint64 amount = 100000 + (r * 7919) % 5000000;
      double serial = 44000 + r % 1500;

      g_snprintf (buf[0], sizeof buf[0], "PB%02d", (int) (r % 20) + 1);
      g_snprintf (buf[1], sizeof buf[1], "TB-%06d", (int) (r % 20000) + 1);
      g_snprintf (buf[2], sizeof buf[2], "上海星河贸易有限公司第%d分店", (int) (r % 20000) + 1);
      g_snprintf (buf[3], sizeof buf[3], "138*****%03d", (int) (r % 1000));
      g_snprintf (buf[4], sizeof buf[4], "HB-%06d", (int) (r % 20000) + 1);
      g_snprintf (buf[5], sizeof buf[5], "BB-%07d", (int) r);
      worksheet_write_string (ws, r, 0, buf[0], NULL);
      worksheet_write_string (ws, r, 1, buf[1], NULL);
      worksheet_write_string (ws, r, 2, buf[2], NULL);
      worksheet_write_string (ws, r, 3, buf[3], NULL);
      worksheet_write_string (ws, r, 4, buf[4], NULL);
      worksheet_write_string (ws, r, 5, buf[5], NULL);
      worksheet_write_string (ws, r, 6, "Bill", NULL);
      worksheet_write_number (ws, r, 7, serial, date_fmt);
      worksheet_write_number (ws, r, 8, serial + 30, date_fmt);
      worksheet_write_number (ws, r, 9, serial, date_fmt);
      worksheet_write_number (ws, r, 10, serial - 10, date_fmt);
      worksheet_write_string (ws, r, 11, "CNY", NULL);
      worksheet_write_number (ws, r, 12, amount / 100.0, money_fmt);
      worksheet_write_number (ws, r, 13, amount * 9 / 109 / 100.0, money_fmt);
      worksheet_write_number (ws, r, 14, r % 10 == 0 ? amount / 100.0 : 0, money_fmt);
      worksheet_write_number (ws, r, 15, r % 10 == 0 ? 0 : amount / 100.0, money_fmt);
    }
  worksheet_autofilter (ws, 0, 0, rows, 15);
  for (int c = 0; c < 16; c++)
    worksheet_set_column (ws, c, c, 14, NULL);
  err = workbook_close (wb);
  if (err != LXW_NO_ERROR)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO, "%s: %s", path, lxw_strerror (err));
      return FALSE;
    }
  return TRUE;
}

int
main (void)
{
  const char *location = g_getenv ("TENURE_BENCH_DB");
  const char *outdir = g_getenv ("TENURE_BENCH_OUT");
  const char *bills_env = g_getenv ("TENURE_BENCH_BILLS");
  const char *runs_env = g_getenv ("TENURE_BENCH_RUNS");
  int bills_per_contract = bills_env ? atoi (bills_env) : 50;
  int runs = runs_env ? MAX (1, atoi (runs_env)) : 3;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *export_path = NULL, *bare_path = NULL;
  TenureExportOptions opts = { 0 };
  gint64 n_bills = 0, t0;
  double c0, s, cpu, mb;
  double export_s = G_MAXDOUBLE, export_cpu = G_MAXDOUBLE, export_mb = 0;
  double bare_s = G_MAXDOUBLE, bare_cpu = G_MAXDOUBLE, bare_mb = 0;
  gboolean fresh;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  if (location == NULL)
    location = "/tmp/tenure-export-bench.db";
  if (outdir == NULL)
    outdir = "/tmp";
  fresh = !g_file_test (location, G_FILE_TEST_EXISTS);
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  if (db == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (fresh && !fill (db, bills_per_contract, &error))
    {
      g_printerr ("fill: %s\n", error->message);
      g_clear_object (&db);
      g_unlink (location);
      return 1;
    }
  /* The bench's own reads stay out of the resident set the export is measured by (SQLite
   * connections map the file by default; the export turns that off for its pass). */
  if (tenure_db_get_kind (db) == TENURE_DB_SQLITE
      && !tenure_db_exec (db, "PRAGMA mmap_size=0", &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (!tenure_db_query_int64 (db, "SELECT count (*) FROM bill", &n_bills, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  export_path = g_build_filename (outdir, "bench-export-bills.xlsx", NULL);
  bare_path = g_build_filename (outdir, "bench-export-bare.xlsx", NULL);
  tenure_date_parse_iso ("2026-11-01", &opts.as_of, NULL);
  opts.mask = TENURE_EXPORT_MASK_ON;

  print_load ("before");
  for (int run = 1; run <= runs; run++)
    {
      reset_peak ();
      t0 = g_get_monotonic_time ();
      c0 = cpu_seconds ();
      if (!tenure_export_to_file (db, TENURE_EXPORT_BILLS, export_path, &opts, &error))
        {
          g_printerr ("export: %s\n", error->message);
          return 1;
        }
      s = (g_get_monotonic_time () - t0) / 1e6;
      cpu = cpu_seconds () - c0;
      mb = peak_mb ();
      printf ("round %d: tenure export      %7.2f s wall %7.2f s CPU  peak %6.1f MB\n", run,
              s, cpu, mb);
      export_s = MIN (export_s, s);
      export_cpu = MIN (export_cpu, cpu);
      export_mb = MAX (export_mb, mb);
      g_unlink (export_path);

      reset_peak ();
      t0 = g_get_monotonic_time ();
      c0 = cpu_seconds ();
      if (!bare_loop (bare_path, n_bills, &error))
        {
          g_printerr ("bare loop: %s\n", error->message);
          return 1;
        }
      s = (g_get_monotonic_time () - t0) / 1e6;
      cpu = cpu_seconds () - c0;
      mb = peak_mb ();
      printf ("round %d: bare libxlsxwriter %7.2f s wall %7.2f s CPU  peak %6.1f MB\n", run,
              s, cpu, mb);
      fflush (stdout);
      bare_s = MIN (bare_s, s);
      bare_cpu = MIN (bare_cpu, cpu);
      bare_mb = MAX (bare_mb, mb);
      g_unlink (bare_path);
    }
  print_load ("after");

  printf ("bills exported:      %" G_GINT64_FORMAT " rows x 16 cells (%s)\n", n_bills,
          tenure_db_get_display_name (db));
  printf ("best of %d rounds:\n", runs);
  printf ("tenure export:       %7.2f s wall %7.2f s CPU  peak %6.1f MB\n", export_s,
          export_cpu, export_mb);
  printf ("bare libxlsxwriter:  %7.2f s wall %7.2f s CPU  peak %6.1f MB\n", bare_s, bare_cpu,
          bare_mb);
  printf ("ratio (wall):        %7.3f  (goal <= 1.25)\n", export_s / bare_s);
  printf ("ratio (CPU):         %7.3f\n", export_cpu / bare_cpu);
  return export_s / bare_s <= 1.25 && export_mb < 50 ? 0 : 1;
}
