/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bench-bill-run"

/* One month's bill run over a large portfolio (TENURE_BENCH_CONTRACTS contracts, 100,000 by
 * default, with RENT, PROPERTY_FEE and PARKING lines due that month), against the fastest
 * honest baseline writing the same rows into the same tables in one transaction: a prepared
 * INSERT loop on SQLite, COPY on PostgreSQL (TENURE_BENCH_PG, an empty database). Both run on
 * the same database in the same process, with the same indexes and audit triggers: the
 * baseline first, its rows then deleted (untimed), then the bill run. Prints rows written per
 * second of each and their ratio (goal: ≥ 0.5 on SQLite, ≥ 0.3 on PostgreSQL). */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "billing/tenure-bill-run.h"

typedef struct
{
  gint64 id, bill_index, charge_item_id, amount, tax;
  char   period_start[11], period_end[11], due_date[11];
} Line;

static gboolean
run (TenureDb    *db,
     const char  *sql,
     GError     **error)
{
  return tenure_db_exec (db, sql, error);
}

static gboolean
seed (TenureDb  *db,
      int        contracts,
      GError   **error)
{
  g_autofree char *sql = NULL;

  if (!tenure_db_begin (db, error))
    return FALSE;
  sql = g_strdup_printf (
    "INSERT INTO legal_entity (code, name) VALUES ('LE', 'Entity');"
    "INSERT INTO project (code, legal_entity_id, name, format) "
    "SELECT 'P1', id, 'Park', 'industrial_park' FROM legal_entity;"
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
    "INSERT INTO tenant (code, name) SELECT 'T' || CAST (i AS TEXT), 'Tenant' FROM n;"
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
    "INSERT INTO contract (code, tenant_id, project_id, status, start_date, end_date) "
    "SELECT 'K' || CAST (i AS TEXT), (SELECT min (id) FROM tenant) + i %% 1000, "
    "(SELECT id FROM project), 'active', '2025-01-01', '2027-12-31' FROM n;"
    "INSERT INTO contract_version (contract_id, version_no, effective_from, status) "
    "SELECT id, 1, start_date, 'approved' FROM contract;"
    "INSERT INTO receivable_line (contract_id, contract_version_id, charge_item_id, "
    "period_start, period_end, due_date, amount, tax, trace) "
    "SELECT c.id, v.id, ci.id, '2026-03-01', '2026-03-31', '2026-03-01', "
    "100000 + (c.id * 37 + ci.id * 11) %% 900000, 8257, "
    "'{\"rule\":\"per_m2_month/ACTUAL\",\"rounded\":100000}' "
    "FROM contract c JOIN contract_version v ON v.contract_id = c.id, charge_item ci "
    "WHERE ci.code IN ('RENT', 'PROPERTY_FEE', 'PARKING')", contracts);
  if (!run (db, sql, error))
    {
      tenure_db_rollback (db);
      return FALSE;
    }
  return tenure_db_commit (db, error);
}

/* What the run will write, from its preview (untimed). */
static GArray *
load_lines (TenureDb             *db,
            TenureBillRunResult  *preview,
            GError              **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (Line));
  g_autoptr(GHashTable) bill_of = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         NULL);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  for (guint b = 0; b < preview->bills->len; b++)
    {
      TenureBillDraft *draft = preview->bills->pdata[b];

      for (guint l = 0; l < draft->line_ids->len; l++)
        g_hash_table_insert (bill_of, g_memdup2 (&g_array_index (draft->line_ids, gint64, l),
                                                 sizeof (gint64)), GUINT_TO_POINTER (b + 1));
    }
  stmt = tenure_db_prepare (db, "SELECT id, charge_item_id, period_start, period_end, due_date, "
                                "amount, tax FROM receivable_line WHERE status = 'planned' "
                                "ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, &local_error))
    {
      Line line = { 0 };

      line.id = tenure_stmt_column_int64 (stmt, 0);
      line.bill_index = GPOINTER_TO_UINT (g_hash_table_lookup (bill_of, &line.id));
      if (line.bill_index == 0)
        continue;
      line.bill_index--;
      line.charge_item_id = tenure_stmt_column_int64 (stmt, 1);
      g_strlcpy (line.period_start, tenure_stmt_column_text (stmt, 2), 11);
      g_strlcpy (line.period_end, tenure_stmt_column_text (stmt, 3), 11);
      g_strlcpy (line.due_date, tenure_stmt_column_text (stmt, 4), 11);
      line.amount = tenure_stmt_column_int64 (stmt, 5);
      line.tax = tenure_stmt_column_int64 (stmt, 6);
      g_array_append_val (lines, line);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&lines);
}

/* The SQLite baseline: one transaction, prepared INSERTs of the same bill and bill_line rows. */
static gboolean
baseline_sqlite (TenureDb             *db,
                 TenureBillRunResult  *preview,
                 GArray               *lines,
                 GError              **error)
{
  g_autoptr(TenureStmt) bill = NULL;
  g_autoptr(TenureStmt) line = NULL;
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), preview->bills->len);
  char buf[3][TENURE_DATE_ISO_BUF_SIZE];

  if (!tenure_db_begin (db, error))
    return FALSE;
  bill = tenure_db_prepare (db, "INSERT INTO bill (code, contract_id, tenant_id, kind, "
                                "period_start, period_end, due_date, posting_date, total, tax, "
                                "currency) VALUES ($1, $2, $3, 'bill', $4, $5, $6, '2026-03-01', "
                                "$7, $8, $9) RETURNING id", error);
  line = tenure_db_prepare (db, "INSERT INTO bill_line (bill_id, receivable_line_id, "
                                "charge_item_id, period_start, period_end, due_date, amount, "
                                "tax) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", error);
  if (bill == NULL || line == NULL)
    goto fail;
  for (guint b = 0; b < preview->bills->len; b++)
    {
      TenureBillDraft *d = preview->bills->pdata[b];
      g_autofree char *code = g_strdup_printf ("X-%u", b + 1);
      gint64 id;

      tenure_stmt_reset (bill);
      tenure_stmt_bind_text (bill, 1, code);
      tenure_stmt_bind_int64 (bill, 2, d->contract_id);
      tenure_stmt_bind_int64 (bill, 3, d->tenant_id);
      tenure_stmt_bind_text (bill, 4, tenure_date_format_iso_buf (d->period_start, buf[0]));
      tenure_stmt_bind_text (bill, 5, tenure_date_format_iso_buf (d->period_end, buf[1]));
      tenure_stmt_bind_text (bill, 6, tenure_date_format_iso_buf (d->due_date, buf[2]));
      tenure_stmt_bind_int64 (bill, 7, d->total);
      tenure_stmt_bind_int64 (bill, 8, d->tax);
      tenure_stmt_bind_text (bill, 9, d->currency);
      if (!tenure_stmt_step (bill, error))
        goto fail;
      id = tenure_stmt_column_int64 (bill, 0);
      g_array_append_val (ids, id);
    }
  for (guint i = 0; i < lines->len; i++)
    {
      Line *l = &g_array_index (lines, Line, i);

      tenure_stmt_reset (line);
      tenure_stmt_bind_int64 (line, 1, g_array_index (ids, gint64, l->bill_index));
      tenure_stmt_bind_int64 (line, 2, l->id);
      tenure_stmt_bind_int64 (line, 3, l->charge_item_id);
      tenure_stmt_bind_text (line, 4, l->period_start);
      tenure_stmt_bind_text (line, 5, l->period_end);
      tenure_stmt_bind_text (line, 6, l->due_date);
      tenure_stmt_bind_int64 (line, 7, l->amount);
      tenure_stmt_bind_int64 (line, 8, l->tax);
      if (!tenure_stmt_run (line, error))
        goto fail;
    }
  g_clear_pointer (&bill, tenure_stmt_free);
  g_clear_pointer (&line, tenure_stmt_free);
  return tenure_db_commit (db, error);

fail:
  tenure_db_rollback (db);
  return FALSE;
}

static gboolean
pg_ok (PGconn   *conn,
       PGresult *res,
       GError  **error)
{
  ExecStatusType status = PQresultStatus (res);
  gboolean ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK
                || status == PGRES_COPY_IN;

  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", PQerrorMessage (conn));
  PQclear (res);
  return ok;
}

static gboolean
pg_copy (PGconn      *conn,
         const char  *sql,
         GString     *data,
         GError     **error)
{
  PGresult *res;

  if (!pg_ok (conn, PQexec (conn, sql), error))
    return FALSE;
  if (PQputCopyData (conn, data->str, (int) data->len) != 1 || PQputCopyEnd (conn, NULL) != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", PQerrorMessage (conn));
      return FALSE;
    }
  res = PQgetResult (conn);
  if (!pg_ok (conn, res, error))
    return FALSE;
  while ((res = PQgetResult (conn)) != NULL)
    PQclear (res);
  return TRUE;
}

/* The PostgreSQL baseline: COPY of the same bill and bill_line rows in one transaction, on a
 * connection of its own (ids chosen above the current maximum). Building the text is timed. */
static gboolean
baseline_pg (const char           *conninfo,
             TenureBillRunResult  *preview,
             GArray               *lines,
             GError              **error)
{
  PGconn *conn = PQconnectdb (conninfo);
  g_autoptr(GString) bills = g_string_new (NULL);
  g_autoptr(GString) rows = g_string_new (NULL);
  char buf[3][TENURE_DATE_ISO_BUF_SIZE];
  gint64 first = 1000000000;
  gboolean ok = FALSE;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", PQerrorMessage (conn));
      PQfinish (conn);
      return FALSE;
    }
  for (guint b = 0; b < preview->bills->len; b++)
    {
      TenureBillDraft *d = preview->bills->pdata[b];

      g_string_append_printf (bills, "%" G_GINT64_FORMAT "\tX-%u\t%" G_GINT64_FORMAT "\t%"
                              G_GINT64_FORMAT "\tbill\t%s\t%s\t%s\t2026-03-01\t%" G_GINT64_FORMAT
                              "\t%" G_GINT64_FORMAT "\t%s\n", first + b, b + 1, d->contract_id,
                              d->tenant_id, tenure_date_format_iso_buf (d->period_start, buf[0]),
                              tenure_date_format_iso_buf (d->period_end, buf[1]),
                              tenure_date_format_iso_buf (d->due_date, buf[2]), d->total, d->tax,
                              d->currency);
    }
  for (guint i = 0; i < lines->len; i++)
    {
      Line *l = &g_array_index (lines, Line, i);

      g_string_append_printf (rows, "%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%"
                              G_GINT64_FORMAT "\t%s\t%s\t%s\t%" G_GINT64_FORMAT "\t%"
                              G_GINT64_FORMAT "\n", first + l->bill_index, l->id,
                              l->charge_item_id, l->period_start, l->period_end, l->due_date,
                              l->amount, l->tax);
    }
  ok = pg_ok (conn, PQexec (conn, "BEGIN"), error)
       && pg_copy (conn, "COPY bill (id, code, contract_id, tenant_id, kind, period_start, "
                         "period_end, due_date, posting_date, total, tax, currency) FROM STDIN",
                   bills, error)
       && pg_copy (conn, "COPY bill_line (bill_id, receivable_line_id, charge_item_id, "
                         "period_start, period_end, due_date, amount, tax) FROM STDIN",
                   rows, error)
       && pg_ok (conn, PQexec (conn, "COMMIT"), error);
  PQfinish (conn);
  return ok;
}

static gboolean
bench_one (const char *backend,
           const char *location,
           int         contracts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_autoptr(TenureBillRunResult) preview = NULL;
  g_autoptr(TenureBillRunResult) posted = NULL;
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  TenureBillRunOptions options;
  double seed_s, base_s, run_s;
  gint64 rows;

  if (db == NULL)
    goto fail;
  printf ("bill run, one month, %d contracts × 3 charge items, on %s (%s)\n", contracts,
          backend, tenure_db_get_display_name (db));
  if (!seed (db, contracts, &error))
    goto fail;
  seed_s = g_timer_elapsed (timer, NULL);
  tenure_bill_run_options_init (&options, 2026, 3);
  options.posting_date = tenure_date_from_ymd (2026, 3, 1);
  preview = tenure_bill_run_preview (db, &options, &error);
  if (preview == NULL)
    goto fail;
  lines = load_lines (db, preview, &error);
  if (lines == NULL)
    goto fail;
  rows = preview->bills->len + lines->len;
  printf ("  %s: portfolio written in %.1f s; the run writes %u bills and %u bill lines\n",
          backend, seed_s, preview->bills->len, lines->len);

  g_timer_start (timer);
  if (tenure_db_get_kind (db) == TENURE_DB_SQLITE
      ? !baseline_sqlite (db, preview, lines, &error)
      : !baseline_pg (location, preview, lines, &error))
    goto fail;
  base_s = g_timer_elapsed (timer, NULL);
  if (!run (db, "DELETE FROM bill_line; DELETE FROM bill", &error))
    goto fail;

  g_timer_start (timer);
  posted = tenure_bill_run_post (db, &options, NULL, &error);
  if (posted == NULL)
    goto fail;
  run_s = g_timer_elapsed (timer, NULL);
  if ((gint64) posted->bills->len + posted->line_count != rows)
    {
      g_printerr ("bench-bill-run: the run wrote %u bills and %" G_GINT64_FORMAT " lines, "
                  "expected %" G_GINT64_FORMAT " rows\n", posted->bills->len,
                  posted->line_count, rows);
      return FALSE;
    }
  printf ("  %s: baseline (%s) %.2f s, %.0f rows/s\n", backend,
          tenure_db_get_kind (db) == TENURE_DB_SQLITE ? "prepared INSERT loop" : "COPY",
          base_s, rows / base_s);
  printf ("  %s: bill run %.2f s, %.0f rows/s (also marks %u receivable lines billed)\n",
          backend, run_s, rows / run_s, lines->len);
  printf ("  %s: ratio %.2f\n", backend, base_s / run_s);
  return TRUE;

fail:
  g_printerr ("bench-bill-run: %s: %s\n", backend, error != NULL ? error->message : "?");
  return FALSE;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  const char *pg = g_getenv ("TENURE_BENCH_PG");
  const char *n = g_getenv ("TENURE_BENCH_CONTRACTS");
  int contracts = n != NULL ? atoi (n) : 100000;
  gboolean ok;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  dir = g_dir_make_tmp ("tenure-bench-bill-run-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("bench-bill-run: %s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "bench.db", NULL);
  ok = bench_one ("SQLite", path, MAX (contracts, 1));
  for (const char *const *s = (const char *const[]) { "", "-wal", "-shm", "-journal",
                                                      ".bill-run.lock", NULL }; *s; s++)
    {
      g_autofree char *file = g_strconcat (path, *s, NULL);
      g_remove (file);
    }
  g_rmdir (dir);
  if (pg != NULL && *pg != '\0')
    ok = bench_one ("PostgreSQL", pg, MAX (contracts, 1)) && ok;
  else
    printf ("PostgreSQL: set TENURE_BENCH_PG to a conninfo (an empty database) to measure it\n");
  return ok ? 0 : 1;
}
