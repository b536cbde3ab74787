/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test-export"

/* Excel export, read back by a real client: every workbook is converted to CSV (one file per
 * sheet) by LibreOffice headless, and each value is compared to the database to the fen. Runs
 * on SQLite and, through with-postgres.sh, on PostgreSQL (the bill summary streams its rows
 * there in single-row mode). */

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "analytics/tenure-kpi.h"
#include "base/tenure-error.h"
#include "collections/tenure-open-item.h"
#include "collections/tenure-reconcile.h"
#include "demo/tenure-demo.h"
#include "export/tenure-export.h"
#include "store/tenure-db.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

static TenureTestBackend backend;
static char *db_location;
static TenureDb *fixture_db;
static char *lo_profile;   /* one LibreOffice profile per test process */
static char *private_locpath;

#define AS_OF "2026-11-01"

/* ---- fixture: the small demo with receipts, allocations, a reversal and a write-off ------- */

static gboolean
exec_sql (TenureDb *db, const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!tenure_db_exec (db, sql, &error))
    g_error ("%s: %s", sql, error->message);
  return TRUE;
}

/* Pays part of some bills: the first line of every 7th bill fully, every 11th half, one
 * allocation reversed, one written off, one allocation posted after the as-of date. */
static void
add_payments (TenureDb *db)
{
  g_autoptr(TenureStmt) lines = NULL;
  g_autoptr(GPtrArray) picked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  lines = tenure_db_prepare (db,
                             "SELECT bl.id, bl.amount, b.tenant_id FROM bill_line bl "
                             "JOIN bill b ON b.id = bl.bill_id "
                             "WHERE bl.amount > 0 AND b.posting_date <= '" AS_OF "' "
                             "ORDER BY bl.id", &error);
  g_assert_no_error (error);
  while (tenure_stmt_step (lines, &error))
    {
      if (n++ % 7 != 0)
        continue;
      gint64 *row = g_new (gint64, 3);
      row[0] = tenure_stmt_column_int64 (lines, 0);
      row[1] = tenure_stmt_column_int64 (lines, 1);
      row[2] = tenure_stmt_column_int64 (lines, 2);
      g_ptr_array_add (picked, row);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (picked->len, >, 100);

  g_assert_true (tenure_db_begin (db, &error));
  for (guint i = 0; i < picked->len; i++)
    {
      gint64 *row = g_ptr_array_index (picked, i);
      gint64 amount = i % 11 == 0 ? row[1] / 2 : row[1];
      g_autoptr(TenureStmt) r = NULL;
      g_autoptr(TenureStmt) a = NULL;
      g_autofree char *code = g_strdup_printf ("RC-T-%05u", i);
      gint64 receipt_id = 0, alloc_id = 0;
      const char *posted = i == 5 ? "2026-11-20" : "2026-10-15";

      r = tenure_db_prepare (db, "INSERT INTO receipt (code, tenant_id, method, received_on, "
                                 "posting_date, amount, currency) "
                                 "VALUES ($1, $2, 'bank', $3, $3, $4, 'CNY') RETURNING id",
                             &error);
      g_assert_no_error (error);
      tenure_stmt_bind_text (r, 1, code);
      tenure_stmt_bind_int64 (r, 2, row[2]);
      tenure_stmt_bind_text (r, 3, posted);
      tenure_stmt_bind_int64 (r, 4, MAX (amount, 1));
      g_assert_true (tenure_stmt_step_int64 (r, &receipt_id, &error));
      if (amount <= 0)
        continue;
      a = tenure_db_prepare (db, "INSERT INTO allocation (receipt_id, bill_line_id, amount, "
                                 "kind, posting_date) VALUES ($1, $2, $3, 'allocation', $4) "
                                 "RETURNING id", &error);
      g_assert_no_error (error);
      tenure_stmt_bind_int64 (a, 1, receipt_id);
      tenure_stmt_bind_int64 (a, 2, row[0]);
      tenure_stmt_bind_int64 (a, 3, amount);
      tenure_stmt_bind_text (a, 4, posted);
      g_assert_true (tenure_stmt_step_int64 (a, &alloc_id, &error));
      if (i == 3)
        {
          /* A reversal: a new row with the negated amount. */
          g_autoptr(TenureStmt) rev = tenure_db_prepare (
            db, "INSERT INTO allocation (receipt_id, bill_line_id, amount, kind, posting_date, "
                "reversal_of_id) VALUES ($1, $2, $3, 'allocation', '2026-10-20', $4)", &error);
          g_assert_no_error (error);
          tenure_stmt_bind_int64 (rev, 1, receipt_id);
          tenure_stmt_bind_int64 (rev, 2, row[0]);
          tenure_stmt_bind_int64 (rev, 3, -amount);
          tenure_stmt_bind_int64 (rev, 4, alloc_id);
          g_assert_true (tenure_stmt_run (rev, &error));
        }
    }
  {
    /* A write-off is not money received: it lowers the open amount only. */
    gint64 *row = g_ptr_array_index (picked, 1);
    g_autoptr(TenureStmt) w = tenure_db_prepare (
      db, "INSERT INTO allocation (bill_line_id, amount, kind, posting_date, approved_by, "
          "reason) VALUES ($1, 1, 'write_off', '2026-10-16', 'boss', 'test')", &error);
    g_assert_no_error (error);
    /* The 2nd picked line was paid in full; write off a line of the 3rd, half paid? No:
     * pick an unpaid line next to it. */
    tenure_stmt_bind_int64 (w, 1, row[0] + 1);
    g_assert_true (tenure_stmt_run (w, &error));
  }
  g_assert_true (tenure_db_commit (db, &error));
}

static TenureDb *
fixture (void)
{
  TenureDemoOptions opts = { .seed = 42, .scale = TENURE_DEMO_SCALE_SMALL };
  g_autoptr(GError) error = NULL;

  if (fixture_db != NULL)
    return fixture_db;
  db_location = tenure_test_db_new_location (backend);
  if (db_location == NULL)
    return NULL;
  fixture_db = tenure_db_open (db_location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_demo_generate (fixture_db, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  add_payments (fixture_db);
  return fixture_db;
}

/* ---- reading back: LibreOffice, CSV, the zip ------------------------------------------ */

static gboolean
have_soffice (void)
{
  g_autofree char *path = g_find_program_in_path ("soffice");

  if (path != NULL)
    return TRUE;
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    {
      g_test_message ("soffice (libreoffice-calc) is missing: install-deps.sh --test has it");
      g_test_fail ();
    }
  else
    g_test_skip ("soffice (libreoffice-calc) is not installed");
  return FALSE;
}

/* Converts every sheet of XLSX to OUTDIR/<base>-<sheet>.csv (UTF-8, raw values) under LOCALE
 * (NULL: C.UTF-8). */
static void
soffice_convert (const char *xlsx,
                 const char *outdir,
                 const char *locale)
{
  g_autofree char *profile = g_strdup_printf ("-env:UserInstallation=file://%s", lo_profile);
  const char *argv[] = {
    "soffice", profile, "--headless", "--norestore", "--convert-to",
    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
    "--outdir", outdir, xlsx, NULL
  };
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  envp = g_environ_setenv (envp, "LC_ALL", locale ? locale : "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LANG", locale ? locale : "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  if (private_locpath != NULL)
    envp = g_environ_setenv (envp, "LOCPATH", private_locpath, TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("soffice failed: %s %s", out, err);
}

/* One CSV file (RFC 4180, as LibreOffice writes it) as rows of fields. */
static GPtrArray *
read_csv (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE, any = FALSE;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            g_string_append_c (field, '"'), p++;
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
          continue;
        }
      if (*p == '"')
        quoted = TRUE, any = TRUE;
      else if (*p == ',')
        {
          g_ptr_array_add (row, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          any = TRUE;
        }
      else if (*p == '\n' || *p == '\r')
        {
          if (*p == '\r' && p[1] == '\n')
            p++;
          g_ptr_array_add (row, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
          any = FALSE;
        }
      else
        g_string_append_c (field, *p), any = TRUE;
    }
  if (any || field->len > 0)
    {
      g_ptr_array_add (row, g_string_free (field, FALSE));
      g_ptr_array_add (rows, row);
    }
  else
    {
      g_string_free (field, TRUE);
      g_ptr_array_unref (row);
    }
  return rows;
}

static const char *
cell (GPtrArray *rows, guint r, guint c)
{
  GPtrArray *row = g_ptr_array_index (rows, r);

  return c < row->len ? g_ptr_array_index (row, c) : "";
}

static guint
column_of (GPtrArray *rows, const char *title)
{
  GPtrArray *header = g_ptr_array_index (rows, 0);

  for (guint c = 0; c < header->len; c++)
    if (g_strcmp0 (g_ptr_array_index (header, c), title) == 0)
      return c;
  g_error ("no column “%s” in the CSV", title);
  return 0;
}

static char decimal_mark = '.';

/* A number as LibreOffice wrote it ("7311.2", "-5", "3.408%"; with a comma under de_DE)
 * scaled by 10^SCALE, exactly: no floating point between the sheet and the comparison. */
static gint64
scaled (const char *text,
        guint       scale)
{
  gint64 whole = 0, frac = 0;
  guint digits = 0;
  gboolean neg = FALSE, percent = FALSE, in_frac = FALSE;
  gsize len = strlen (text);

  g_assert_cmpuint (len, >, 0);
  if (text[len - 1] == '%')
    {
      percent = TRUE;
      len--;
    }
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (i == 0 && c == '-')
        neg = TRUE;
      else if (c == decimal_mark && !in_frac)
        in_frac = TRUE;
      else if (g_ascii_isdigit (c))
        {
          if (in_frac)
            {
              frac = frac * 10 + (c - '0');
              digits++;
            }
          else
            whole = whole * 10 + (c - '0');
        }
      else
        g_error ("“%s” is not a plain number (decimal mark '%c')", text, decimal_mark);
    }
  if (percent)
    scale -= 2; /* 86.1187% at scale 6 is 861187 ppm */
  g_assert_cmpuint (digits, <=, scale);
  for (; digits < scale; digits++)
    frac *= 10;
  for (guint i = 0; i < scale; i++)
    whole *= 10;
  return neg ? -(whole + frac) : whole + frac;
}

/* Blank cells are 0 or absent. */
static gint64
scaled_or_zero (const char *text, guint scale)
{
  return *text == '\0' ? 0 : scaled (text, scale);
}

/* The text of ENTRY in the zip XLSX, or NULL. */
static char *
zip_entry (const char *xlsx,
           const char *entry_name,
           guint      *n_matching_prefix)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  char *found = NULL;

  archive_read_support_format_zip (a);
  g_assert_cmpint (archive_read_open_filename (a, xlsx, 65536), ==, ARCHIVE_OK);
  if (n_matching_prefix)
    *n_matching_prefix = 0;
  while (archive_read_next_header (a, &entry) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);

      if (n_matching_prefix && g_str_has_prefix (name, entry_name))
        (*n_matching_prefix)++;
      if (found == NULL && g_strcmp0 (name, entry_name) == 0)
        {
          GString *s = g_string_new (NULL);
          char buf[65536];
          la_ssize_t n;

          while ((n = archive_read_data (a, buf, sizeof buf)) > 0)
            g_string_append_len (s, buf, n);
          found = g_string_free (s, FALSE);
        }
    }
  archive_read_free (a);
  return found;
}

/* ---- checks against the database ------------------------------------------------------ */

static GHashTable *
open_by_bill (TenureDb *db, TenureDate as_of)
{
  TenureOpenItemFilter filter = { .as_of = as_of };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = tenure_open_items_load (db, &filter, &error);
  GHashTable *open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (items, i);
      gint64 *sum = g_hash_table_lookup (open, item->bill_code);

      if (sum == NULL)
        g_hash_table_insert (open, g_strdup (item->bill_code), sum = g_new0 (gint64, 1));
      *sum += item->open;
    }
  return open;
}

/* Every bill posted by the date appears once, each amount equal to the database's. */
static void
check_bills_sheet (TenureDb   *db,
                   GPtrArray  *rows,
                   gboolean    masked)
{
  g_autoptr(GHashTable) open = NULL;
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  TenureDate as_of = 0;
  guint c_bill = column_of (rows, _("Bill")), c_billed = column_of (rows, _("Billed"));
  guint c_tax = column_of (rows, _("Tax")), c_received = column_of (rows, _("Received"));
  guint c_open = column_of (rows, _("Open")), c_start = column_of (rows, _("Period start"));
  guint c_due = column_of (rows, _("Due date")), c_phone = column_of (rows, _("Tenant phone"));
  guint n_bills = 0, n_received = 0, n_open = 0;

  g_assert_true (tenure_date_parse_iso (AS_OF, &as_of, NULL));
  open = open_by_bill (db, as_of);
  for (guint r = 1; r < rows->len; r++)
    g_hash_table_insert (by_code, (gpointer) cell (rows, r, c_bill), GUINT_TO_POINTER (r));
  g_assert_cmpuint (g_hash_table_size (by_code), ==, rows->len - 1);

  /* Received computed here on its own: receipts' allocations and reversals by the date. */
  stmt = tenure_db_prepare (db,
                            "SELECT b.code, b.total, b.tax, b.period_start, b.due_date, t.phone, "
                            "  (SELECT coalesce (sum (a.amount), 0) FROM allocation a "
                            "   JOIN bill_line bl ON bl.id = a.bill_line_id "
                            "   WHERE bl.bill_id = b.id AND a.receipt_id IS NOT NULL "
                            "     AND a.posting_date <= '" AS_OF "') "
                            "FROM bill b JOIN tenant t ON t.id = b.tenant_id "
                            "WHERE b.posting_date <= '" AS_OF "'", &error);
  g_assert_no_error (error);
  while (tenure_stmt_step (stmt, &error))
    {
      const char *code = tenure_stmt_column_text (stmt, 0);
      const char *phone = tenure_stmt_column_text (stmt, 5);
      guint r = GPOINTER_TO_UINT (g_hash_table_lookup (by_code, code));
      gint64 *o = g_hash_table_lookup (open, code);

      if (r == 0)
        g_error ("bill %s is missing from the sheet", code);
      n_bills++;
      g_assert_cmpint (scaled (cell (rows, r, c_billed), 2), ==,
                       tenure_stmt_column_int64 (stmt, 1));
      g_assert_cmpint (scaled (cell (rows, r, c_tax), 2), ==,
                       tenure_stmt_column_int64 (stmt, 2));
      g_assert_cmpint (scaled (cell (rows, r, c_received), 2), ==,
                       tenure_stmt_column_int64 (stmt, 6));
      g_assert_cmpint (scaled (cell (rows, r, c_open), 2), ==, o ? *o : 0);
      /* Dates arrive as dates (the cell's yyyy-mm-dd format), never as serial numbers. */
      g_assert_cmpstr (cell (rows, r, c_start), ==, tenure_stmt_column_text (stmt, 3));
      g_assert_cmpstr (cell (rows, r, c_due), ==, tenure_stmt_column_text (stmt, 4));
      if (masked && phone != NULL && *phone != '\0')
        {
          g_assert_nonnull (strchr (cell (rows, r, c_phone), '*'));
          g_assert_cmpstr (cell (rows, r, c_phone), !=, phone);
        }
      else if (!masked)
        g_assert_cmpstr (cell (rows, r, c_phone), ==, phone ? phone : "");
      n_received += tenure_stmt_column_int64 (stmt, 6) != 0;
      n_open += o != NULL && *o > 0;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_bills, ==, rows->len - 1);
  /* The fixture really has both paid and open bills. */
  g_assert_cmpuint (n_received, >, 50);
  g_assert_cmpuint (n_open, >, 50);
}

static void
check_rent_roll_sheet (TenureDb  *db,
                       GPtrArray *rows,
                       gboolean   masked)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) roll = NULL;
  TenureDate as_of = 0;
  guint c_unit = column_of (rows, _("Unit")), c_area = column_of (rows, _("Leasable area (m²)"));
  guint c_monthly = column_of (rows, _("Monthly amount"));
  guint c_deposit = column_of (rows, _("Deposit held")), c_end = column_of (rows, _("End"));
  guint c_id = column_of (rows, _("Tenant ID number"));
  guint r = 1, n_masked = 0;

  g_assert_true (tenure_date_parse_iso (AS_OF, &as_of, NULL));
  roll = tenure_kpi_rent_roll (db, as_of, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < roll->len; i++)
    {
      TenureRentRollRow *u = g_ptr_array_index (roll, i);
      guint lines = MAX (1, u->charges->len);
      gint64 monthly = 0, sheet_monthly = 0;

      g_assert_cmpuint (r + lines, <=, rows->len);
      g_assert_cmpstr (cell (rows, r, c_unit), ==, u->unit_code);
      g_assert_cmpint (scaled (cell (rows, r, c_area), 2), ==, u->leasable_area_c);
      if (u->leased)
        {
          char end[TENURE_DATE_ISO_BUF_SIZE];

          g_assert_cmpint (scaled (cell (rows, r, c_deposit), 2), ==, u->deposit_held);
          g_assert_cmpstr (cell (rows, r, c_end), ==, tenure_date_format_iso_buf (u->end, end));
          if (masked && *cell (rows, r, c_id) != '\0')
            {
              g_assert_nonnull (strchr (cell (rows, r, c_id), '*'));
              n_masked++;
            }
        }
      for (guint k = 0; k < lines; k++, r++)
        {
          g_assert_cmpstr (cell (rows, r, c_unit), ==, u->unit_code);
          if (k < u->charges->len)
            monthly += ((TenureRentRollCharge *) g_ptr_array_index (u->charges, k))->monthly;
          sheet_monthly += scaled_or_zero (cell (rows, r, c_monthly), 2);
        }
      g_assert_cmpint (sheet_monthly, ==, monthly);
    }
  g_assert_cmpuint (r, ==, rows->len);
  if (masked)
    g_assert_cmpuint (n_masked, >, 10);
}

static void
check_aging_sheets (TenureDb  *db,
                    GPtrArray *summary,
                    GPtrArray *detail)
{
  TenureOpenItemFilter filter = { 0 };
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total = 0, sheet_total = 0, detail_total = 0;
  gint64 buckets[7] = { 0 }, sheet_buckets[7] = { 0 };
  guint c_total = column_of (summary, _("Total open"));
  guint c_b0 = column_of (summary, _("Not due"));
  guint c_open = column_of (detail, _("Open"));
  static const int upper[] = { 0, 30, 60, 90, 180, 365 };

  g_assert_true (tenure_date_parse_iso (AS_OF, &filter.as_of, NULL));
  items = tenure_open_items_load (db, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detail->len - 1, ==, items->len);
  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (items, i);
      int days = filter.as_of - item->due_date, b = 6;

      for (int k = 0; k < 6; k++)
        if (days <= upper[k])
          {
            b = k;
            break;
          }
      buckets[b] += item->open;
      total += item->open;
      g_assert_cmpint (scaled (cell (detail, i + 1, c_open), 2), ==, item->open);
    }
  for (guint r = 1; r < summary->len; r++)
    {
      gint64 row_sum = 0;

      for (guint b = 0; b < 7; b++)
        {
          gint64 v = scaled (cell (summary, r, c_b0 + b), 2);
          sheet_buckets[b] += v;
          row_sum += v;
        }
      g_assert_cmpint (row_sum, ==, scaled (cell (summary, r, c_total), 2));
      sheet_total += row_sum;
    }
  for (guint r = 1; r < detail->len; r++)
    detail_total += scaled (cell (detail, r, c_open), 2);
  g_assert_cmpint (sheet_total, ==, total);
  g_assert_cmpint (detail_total, ==, total);
  for (guint b = 0; b < 7; b++)
    g_assert_cmpint (sheet_buckets[b], ==, buckets[b]);
  g_assert_cmpint (total, >, 0);
}

static void
check_kpi_sheets (TenureDb  *db,
                  GPtrArray *occupancy,
                  GPtrArray *expiry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) occ = NULL;
  g_autoptr(GPtrArray) exp = NULL;
  TenureKpiExpiry *e;
  TenureDate as_of = 0;

  g_assert_true (tenure_date_parse_iso (AS_OF, &as_of, NULL));
  occ = tenure_kpi_occupancy (db, as_of, NULL, TENURE_KPI_BY_PROJECT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (occupancy->len - 1, ==, occ->len);
  for (guint i = 0; i < occ->len; i++)
    {
      TenureKpiOccupancy *o = g_ptr_array_index (occ, i);

      g_assert_cmpstr (cell (occupancy, i + 1, 0), ==, o->key);
      g_assert_cmpint (scaled (cell (occupancy, i + 1, 1), 0), ==, o->units);
      g_assert_cmpint (scaled (cell (occupancy, i + 1, 3), 2), ==, o->leasable_area_c);
      g_assert_cmpint (scaled (cell (occupancy, i + 1, 4), 2), ==, o->leased_area_c);
      g_assert_cmpint (scaled (cell (occupancy, i + 1, 5), 6), ==,
                       tenure_kpi_ppm (o->leased_area_c, o->leasable_area_c));
    }
  exp = tenure_kpi_expiry (db, as_of, NULL, TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  e = g_ptr_array_index (exp, 0);
  g_assert_cmpuint (expiry->len - 1, ==, TENURE_KPI_EXPIRY_MONTHS);
  for (guint k = 0; k < TENURE_KPI_EXPIRY_MONTHS; k++)
    {
      g_assert_cmpint (scaled (cell (expiry, k + 1, 1), 2), ==, e->area_c[k]);
      g_assert_cmpint (scaled (cell (expiry, k + 1, 2), 2), ==, e->rent[k]);
    }
}

/* Locale and language tests exercise the writer, the same on both backends: SQLite only, to
 * keep LibreOffice runs few. */
static gboolean
sqlite_only (void)
{
  if (backend == TENURE_TEST_SQLITE)
    return TRUE;
  g_test_skip ("the same on both backends: runs with --backend=sqlite");
  return FALSE;
}

/* The month's reconciliation as the engine computes it (again: a refresh changes nothing),
 * and its explaining differences adding up to the difference. */
static void
check_reconciliation_sheets (TenureDb  *db,
                             GPtrArray *summary,
                             GPtrArray *differences)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recs = tenure_reconcile_run (db, NULL, 2026, 10, TENURE_RECONCILE_ENTITY,
                                                    NULL, &error);
  guint c_recv = column_of (summary, _("Receivable"));
  guint c_got = column_of (summary, _("Received")), c_diff = column_of (summary, _("Difference"));
  guint c_amount = column_of (differences, _("Amount"));
  guint c_role = column_of (differences, _("Counts in the difference"));
  guint r_diff = 1;

  g_assert_no_error (error);
  g_assert_cmpuint (summary->len - 1, ==, recs->len);
  for (guint i = 0; i < recs->len; i++)
    {
      TenureReconciliation *rec = g_ptr_array_index (recs, i);
      gint64 explained = 0;

      g_assert_cmpstr (cell (summary, i + 1, 1), ==, "2026-10");
      g_assert_cmpint (scaled (cell (summary, i + 1, c_recv), 2), ==, rec->receivable);
      g_assert_cmpint (scaled (cell (summary, i + 1, c_got), 2), ==, rec->received);
      g_assert_cmpint (scaled (cell (summary, i + 1, c_diff), 2), ==, rec->difference);
      g_assert_cmpint (rec->received, >, 0);
      for (guint k = 0; k < rec->differences->len; k++, r_diff++)
        {
          TenureReconcileDifference *d = g_ptr_array_index (rec->differences, k);

          g_assert_cmpint (scaled (cell (differences, r_diff, c_amount), 2), ==, d->amount);
          g_assert_cmpstr (cell (differences, r_diff, c_role), ==,
                           d->beside ? _("No (shown beside)") : _("Yes"));
          if (!d->beside)
            explained += scaled (cell (differences, r_diff, c_amount), 2);
        }
      g_assert_cmpint (explained, ==, rec->difference);
    }
  g_assert_cmpuint (r_diff, ==, differences->len);
}

static char *
csv_path (const char *outdir, const char *base, const char *sheet)
{
  g_autofree char *name = g_strdup_printf ("%s-%s.csv", base, sheet);
  return g_build_filename (outdir, name, NULL);
}

/* ---- tests ---------------------------------------------------------------------------- */

/* All four reports in one workbook, masked (the default), read back by LibreOffice. */
static void
test_combined (void)
{
  TenureDb *db = fixture ();
  g_autofree char *tmp = NULL, *path = NULL, *outdir = NULL;
  g_autoptr(TenureXlsx) xlsx = NULL;
  g_autoptr(GError) error = NULL;
  TenureExportOptions opts = { 0 };
  g_autofree char *sheet_xml = NULL, *bills_xml = NULL;
  guint n_charts = 0;
  struct { const char *sheet; GPtrArray *rows; } s[9] = {
    { N_("Rent roll") }, { N_("Bills") }, { N_("Aging") }, { N_("Open items") },
    { N_("Occupancy") }, { N_("Expiry density") }, { N_("Reconciliation") },
    { N_("Differences") }, { NULL },
  };

  if (db == NULL || !have_soffice ())
    return;
  g_assert_true (tenure_date_parse_iso (AS_OF, &opts.as_of, NULL));
  tmp = tenure_test_make_tmpdir ();
  path = g_build_filename (tmp, "all.xlsx", NULL);
  outdir = g_build_filename (tmp, "out", NULL);

  xlsx = tenure_xlsx_new (path, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_export_rent_roll (db, xlsx, &opts, &error));
  g_assert_no_error (error);
  g_assert_true (tenure_export_bills (db, xlsx, &opts, &error));
  g_assert_no_error (error);
  g_assert_true (tenure_export_aging (db, xlsx, &opts, &error));
  g_assert_no_error (error);
  g_assert_true (tenure_export_kpi (db, xlsx, &opts, &error));
  g_assert_no_error (error);
  /* October 2026: the fixture's receipts are posted in it. */
  opts.as_of = tenure_date_from_ymd (2026, 10, 31);
  g_assert_true (tenure_export_reconciliation (db, xlsx, &opts, &error));
  g_assert_no_error (error);
  g_assert_true (tenure_date_parse_iso (AS_OF, &opts.as_of, NULL));
  g_assert_true (tenure_xlsx_close (xlsx, &error));
  g_assert_no_error (error);

  /* The workbook itself: header frozen, autofilter over every row, widths from content,
   * three native charts. */
  sheet_xml = zip_entry (path, "xl/worksheets/sheet1.xml", NULL);
  g_assert_nonnull (sheet_xml);
  g_assert_nonnull (strstr (sheet_xml, "state=\"frozen\""));
  g_assert_nonnull (strstr (sheet_xml, "<autoFilter ref=\"A1:S"));
  bills_xml = zip_entry (path, "xl/worksheets/sheet2.xml", NULL);
  g_assert_nonnull (strstr (bills_xml, "<autoFilter ref=\"A1:P"));
  g_free (zip_entry (path, "xl/charts/chart", &n_charts));
  g_assert_cmpuint (n_charts, ==, 3);

  soffice_convert (path, outdir, NULL);
  for (guint i = 0; s[i].sheet != NULL; i++)
    {
      g_autofree char *csv = csv_path (outdir, "all", _(s[i].sheet));
      s[i].rows = read_csv (csv);
    }
  check_rent_roll_sheet (db, s[0].rows, TRUE);
  check_bills_sheet (db, s[1].rows, TRUE);
  check_aging_sheets (db, s[2].rows, s[3].rows);
  check_kpi_sheets (db, s[4].rows, s[5].rows);
  check_reconciliation_sheets (db, s[6].rows, s[7].rows);
  for (guint i = 0; s[i].sheet != NULL; i++)
    g_ptr_array_unref (s[i].rows);
  tenure_test_rm_rf (tmp);
}

/* Masking off, one sheet per project; headers in Chinese under LANGUAGE=zh_CN. */
static void
test_unmasked_chinese (void)
{
  TenureDb *db;
  g_autofree char *tmp = NULL, *path = NULL, *outdir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) projects = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func (
    (GDestroyNotify) g_ptr_array_unref);
  TenureExportOptions opts = { 0 };
  /* meson runs this test a second time with LANGUAGE=zh_CN (GLib decides once per process
   * whether to translate, so the language is set before the program starts). */
  gboolean chinese = g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "",
                                       "zh_CN");

  if (!sqlite_only ())
    return;
  db = fixture ();
  if (db == NULL || !have_soffice ())
    return;
  /* The catalogue must really be there: otherwise this would test nothing. */
  if (chinese)
    g_assert_cmpstr (_("Billed"), ==, "应收金额");
  g_assert_true (tenure_date_parse_iso (AS_OF, &opts.as_of, NULL));
  opts.mask = TENURE_EXPORT_MASK_OFF;
  opts.sheet_per_project = TRUE;
  tmp = tenure_test_make_tmpdir ();
  path = g_build_filename (tmp, "zh.xlsx", NULL);
  outdir = g_build_filename (tmp, "out", NULL);
  g_assert_true (tenure_export_to_file (db, TENURE_EXPORT_BILLS, path, &opts, &error));
  g_assert_no_error (error);
  soffice_convert (path, outdir, NULL);

  stmt = tenure_db_prepare (db, "SELECT code, name FROM project ORDER BY code", &error);
  g_assert_no_error (error);
  while (tenure_stmt_step (stmt, &error))
    g_ptr_array_add (projects, g_strdup_printf ("%s %s", tenure_stmt_column_text (stmt, 0),
                                                tenure_stmt_column_text (stmt, 1)));
  g_assert_cmpuint (projects->len, >=, 2);
  /* One sheet per project; their rows together are every bill, each to the fen. */
  for (guint i = 0; i < projects->len; i++)
    {
      g_autofree char *name = g_utf8_substring (projects->pdata[i], 0,
                                                MIN (31, g_utf8_strlen (projects->pdata[i], -1)));
      g_autofree char *csv = csv_path (outdir, "zh", name);
      g_autoptr(GPtrArray) rows = read_csv (csv);

      g_assert_cmpstr (cell (rows, 0, 0), ==, chinese ? "项目" : "Project");
      g_assert_cmpstr (cell (rows, 0, 12), ==, chinese ? "应收金额" : "Billed");
      if (merged->len == 0)
        g_ptr_array_add (merged, g_ptr_array_ref (g_ptr_array_index (rows, 0)));
      for (guint r = 1; r < rows->len; r++)
        g_ptr_array_add (merged, g_ptr_array_ref (g_ptr_array_index (rows, r)));
    }
  check_bills_sheet (db, merged, FALSE);
  tenure_test_rm_rf (tmp);
}

/* de_DE.UTF-8, generated privately when the system lacks it (as tests/base/test-money.c). */
static gboolean
use_german_locale (char **tmp_out)
{
  if (setlocale (LC_ALL, "de_DE.UTF-8") != NULL)
    return TRUE;
  {
    g_autofree char *tmp = tenure_test_make_tmpdir ();
    g_autofree char *dest = g_build_filename (tmp, "de_DE.UTF-8", NULL);
    const char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", dest, NULL };
    int status = -1;

    if (!g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                       | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL)
        || !g_spawn_check_wait_status (status, NULL))
      {
        tenure_test_rm_rf (tmp);
        return FALSE;
      }
    g_setenv ("LOCPATH", tmp, TRUE);
    if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
      {
        g_unsetenv ("LOCPATH");
        tenure_test_rm_rf (tmp);
        return FALSE;
      }
    private_locpath = g_strdup (tmp);
    *tmp_out = g_steal_pointer (&tmp);
    return TRUE;
  }
}

/* The whole process and LibreOffice in a comma-decimal locale: the file is the same and the
 * CSV (with comma decimals) parses to the same fen. */
static void
test_comma_locale (void)
{
  TenureDb *db;
  g_autofree char *saved = NULL, *loctmp = NULL;
  g_autofree char *tmp = NULL, *path = NULL, *outdir = NULL, *csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TenureExportOptions opts = { 0 };
  gboolean saw_comma = FALSE;

  if (!sqlite_only ())
    return;
  db = fixture ();
  if (db == NULL || !have_soffice ())
    return;
  saved = g_strdup (setlocale (LC_ALL, NULL));
  if (!use_german_locale (&loctmp))
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_test_fail ();
      g_test_skip ("no de_DE.UTF-8 locale and localedef cannot make one");
      return;
    }
  {
    g_autofree char *check = g_strdup_printf ("%.2f", 1.5);
    g_assert_cmpstr (check, ==, "1,50");
  }
  g_assert_true (tenure_date_parse_iso (AS_OF, &opts.as_of, NULL));
  tmp = tenure_test_make_tmpdir ();
  path = g_build_filename (tmp, "de.xlsx", NULL);
  outdir = g_build_filename (tmp, "out", NULL);
  g_assert_true (tenure_export_to_file (db, TENURE_EXPORT_BILLS, path, &opts, &error));
  g_assert_no_error (error);
  /* The process's own locale is untouched by the export. */
  {
    g_autofree char *check = g_strdup_printf ("%.2f", 1.5);
    g_assert_cmpstr (check, ==, "1,50");
  }
  soffice_convert (path, outdir, "de_DE.UTF-8");
  csv = csv_path (outdir, "de", _("Bills"));
  rows = read_csv (csv);
  for (guint r = 1; r < rows->len && !saw_comma; r++)
    saw_comma = strchr (cell (rows, r, column_of (rows, _("Tax"))), ',') != NULL;
  /* LibreOffice did write comma decimals, so this run means something. */
  g_assert_true (saw_comma);
  decimal_mark = ',';
  setlocale (LC_ALL, saved);
  setlocale (LC_NUMERIC, "C");
  check_bills_sheet (db, rows, TRUE);
  decimal_mark = '.';
  tenure_test_rm_rf (tmp);
  if (loctmp)
    tenure_test_rm_rf (loctmp);
}

static void
cancel_on_progress (double fraction, guint64 rows, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/* Cancelling leaves no file, not even a temporary one; an existing file stays as it was. */
static void
test_cancel (void)
{
  TenureDb *db = fixture ();
  g_autofree char *tmp = NULL, *path = NULL, *old = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  TenureExportOptions opts = { 0 };
  const TenureExportReport reports[] = { TENURE_EXPORT_BILLS, TENURE_EXPORT_RENT_ROLL,
                                          TENURE_EXPORT_AGING, TENURE_EXPORT_KPI };

  if (db == NULL)
    return;
  g_assert_true (tenure_date_parse_iso (AS_OF, &opts.as_of, NULL));
  tmp = tenure_test_make_tmpdir ();
  path = g_build_filename (tmp, "cancelled.xlsx", NULL);
  opts.cancellable = cancellable;
  opts.progress = cancel_on_progress;
  opts.progress_data = cancellable;
  for (guint i = 0; i < G_N_ELEMENTS (reports); i++)
    {
      g_cancellable_reset (cancellable);
      g_clear_error (&error);
      g_assert_false (tenure_export_to_file (db, reports[i], path, &opts, &error));
      g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CANCELLED);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
  dir = g_dir_open (tmp, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
  g_clear_error (&error);

  /* The database connection is usable after a cancelled stream. */
  {
    gint64 n = 0;
    g_assert_true (tenure_db_query_int64 (db, "SELECT count (*) FROM bill", &n, &error));
    g_assert_no_error (error);
    g_assert_cmpint (n, >, 1000);
  }
  /* An earlier export at the same path survives a cancelled one. */
  g_assert_true (g_file_set_contents (path, "before", -1, NULL));
  g_cancellable_reset (cancellable);
  g_clear_error (&error);
  g_assert_false (tenure_export_to_file (db, TENURE_EXPORT_BILLS, path, &opts, &error));
  g_assert_true (g_file_get_contents (path, &old, NULL, NULL));
  g_assert_cmpstr (old, ==, "before");
  tenure_test_rm_rf (tmp);
}

typedef struct
{
  GMainLoop *loop;
  GThread   *main_thread;
  guint      progress_calls;
  gboolean   ok;
  GError    *error;
} AsyncRun;

static void
async_progress (double fraction, guint64 rows, gpointer user_data)
{
  AsyncRun *run = user_data;

  /* Delivered in the caller's thread, never in the worker. */
  g_assert_true (g_thread_self () == run->main_thread);
  g_assert_cmpfloat (fraction, >=, 0.0);
  g_assert_cmpfloat (fraction, <=, 1.0);
  run->progress_calls++;
}

static void
async_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncRun *run = user_data;

  run->ok = tenure_export_to_file_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

/* In a worker thread with its own connection: progress in the main thread, cancel. */
static void
test_async (void)
{
  TenureDb *db = fixture ();
  g_autofree char *tmp = NULL, *path = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TenureExportOptions opts = { 0 };
  AsyncRun run = { loop, g_thread_self (), 0, FALSE, NULL };

  if (db == NULL)
    return;
  g_assert_true (tenure_date_parse_iso (AS_OF, &opts.as_of, NULL));
  tmp = tenure_test_make_tmpdir ();
  path = g_build_filename (tmp, "async.xlsx", NULL);
  opts.progress = async_progress;
  opts.progress_data = &run;
  opts.cancellable = cancellable;
  tenure_export_to_file_async (db_location, TENURE_EXPORT_BILLS, path, &opts, async_done, &run);
  g_main_loop_run (loop);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (run.progress_calls, >, 0);
  g_assert_cmpint (g_unlink (path), ==, 0);

  /* Cancelled before it starts: no file. */
  run.ok = TRUE;
  g_cancellable_cancel (cancellable);
  tenure_export_to_file_async (db_location, TENURE_EXPORT_BILLS, path, &opts, async_done, &run);
  g_main_loop_run (loop);
  g_assert_false (run.ok);
  g_assert_error (run.error, TENURE_ERROR, TENURE_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  tenure_test_rm_rf (tmp);
}

/* A bad output path is a clear error naming it, before any work. */
static void
test_bad_path (void)
{
  TenureDb *db = fixture ();
  g_autofree char *tmp = NULL, *missing = NULL;
  g_autoptr(GError) error = NULL;
  TenureExportOptions opts = { 0 };

  if (db == NULL)
    return;
  g_assert_true (tenure_date_parse_iso (AS_OF, &opts.as_of, NULL));
  tmp = tenure_test_make_tmpdir ();
  missing = g_build_filename (tmp, "no-such-folder", "x.xlsx", NULL);
  g_assert_false (tenure_export_to_file (db, TENURE_EXPORT_KPI, missing, &opts, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);

  /* A folder where the file should go. */
  g_assert_false (tenure_export_to_file (db, TENURE_EXPORT_KPI, tmp, &opts, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, tmp));
  g_clear_error (&error);

  /* An unknown project. */
  {
    g_autofree char *ok_path = g_build_filename (tmp, "p.xlsx", NULL);
    opts.project_code = "NO-SUCH";
    g_assert_false (tenure_export_to_file (db, TENURE_EXPORT_BILLS, ok_path, &opts, &error));
    g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "NO-SUCH"));
    g_assert_false (g_file_test (ok_path, G_FILE_TEST_EXISTS));
  }
  tenure_test_rm_rf (tmp);
}

/* The setting export.mask_sensitive: default on, "false" turns it off, junk is an error. */
static void
test_mask_setting (void)
{
  TenureDb *db = fixture ();
  TenureExportOptions opts = { 0 };
  g_autoptr(GError) error = NULL;

  if (db == NULL)
    return;
  g_assert_true (tenure_export_mask_enabled (db, &opts, &error));
  g_assert_no_error (error);
  exec_sql (db, "INSERT INTO setting (key, value) VALUES ('export.mask_sensitive', 'false')");
  g_assert_false (tenure_export_mask_enabled (db, &opts, &error));
  g_assert_no_error (error);
  {
    /* The export follows the setting: a tenant's phone in full in the sheet. */
    g_autofree char *tmp = tenure_test_make_tmpdir ();
    g_autofree char *path = g_build_filename (tmp, "s.xlsx", NULL);
    g_autofree char *xml = NULL, *phone = NULL, *masked = NULL;
    g_autoptr(TenureStmt) stmt = tenure_db_prepare (
      db, "SELECT t.phone FROM bill b JOIN tenant t ON t.id = b.tenant_id "
          "WHERE t.phone IS NOT NULL ORDER BY t.code LIMIT 1", &error);

    g_assert_true (tenure_stmt_step (stmt, &error));
    phone = g_strdup (tenure_stmt_column_text (stmt, 0));
    masked = tenure_xlsx_mask (phone);
    g_clear_pointer (&stmt, tenure_stmt_free);
    g_assert_true (tenure_date_parse_iso (AS_OF, &opts.as_of, NULL));
    g_assert_true (tenure_export_to_file (db, TENURE_EXPORT_BILLS, path, &opts, &error));
    g_assert_no_error (error);
    xml = zip_entry (path, "xl/worksheets/sheet1.xml", NULL);
    g_assert_nonnull (strstr (xml, phone));
    g_assert_null (strstr (xml, masked));
    tenure_test_rm_rf (tmp);
  }
  opts.mask = TENURE_EXPORT_MASK_ON;
  g_assert_true (tenure_export_mask_enabled (db, &opts, &error));
  opts.mask = TENURE_EXPORT_MASK_DEFAULT;
  exec_sql (db, "UPDATE setting SET value = 'maybe' WHERE key = 'export.mask_sensitive'");
  tenure_export_mask_enabled (db, &opts, &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "maybe"));
  exec_sql (db, "DELETE FROM setting WHERE key = 'export.mask_sensitive'");
}

/* Rows read one at a time; a stream left half-read does not block the next query. */
static void
test_streaming (void)
{
  TenureDb *db = fixture ();
  g_autoptr(GError) error = NULL;
  gint64 expected = 0, n = 0, sum = 0, expected_sum = 0;

  if (db == NULL)
    return;
  g_assert_true (tenure_db_query_int64 (db, "SELECT count (*) FROM bill", &expected, &error));
  g_assert_true (tenure_db_query_int64 (db, "SELECT sum (total) FROM bill", &expected_sum,
                                        &error));
  {
    g_autoptr(TenureStmt) stmt = tenure_db_prepare_streaming (
      db, "SELECT id, total FROM bill WHERE total > $1 ORDER BY id", &error);
    g_assert_no_error (error);
    tenure_stmt_bind_int64 (stmt, 1, G_MININT64 + 1);
    while (tenure_stmt_step (stmt, &error))
      {
        n++;
        sum += tenure_stmt_column_int64 (stmt, 1);
      }
    g_assert_no_error (error);
    g_assert_cmpint (n, ==, expected);
    g_assert_cmpint (sum, ==, expected_sum);
    /* Stepping past the end runs it again. */
    g_assert_true (tenure_stmt_step (stmt, &error));
    g_assert_true (tenure_stmt_step (stmt, &error));
    /* Reset in the middle, then other queries. */
    tenure_stmt_reset (stmt);
    g_assert_true (tenure_db_query_int64 (db, "SELECT count (*) FROM project", &n, &error));
    g_assert_no_error (error);
    g_assert_cmpint (n, >=, 2);
    tenure_stmt_bind_int64 (stmt, 1, 0);
    g_assert_true (tenure_stmt_step (stmt, &error));
  }
  /* Freed in the middle. */
  g_assert_true (tenure_db_query_int64 (db, "SELECT count (*) FROM tenant", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 100);
  /* Inside a transaction, a half-read stream is drained, not cancelled: the transaction
   * stays usable. */
  g_assert_true (tenure_db_begin (db, &error));
  {
    g_autoptr(TenureStmt) stmt = tenure_db_prepare_streaming (db, "SELECT id FROM bill",
                                                              &error);
    g_assert_true (tenure_stmt_step (stmt, &error));
  }
  g_assert_true (tenure_db_query_int64 (db, "SELECT count (*) FROM bill", &n, &error));
  g_assert_no_error (error);
  g_assert_true (tenure_db_commit (db, &error));
  g_assert_no_error (error);
  /* A failing statement reports its error and leaves the connection usable. */
  {
    g_autoptr(TenureStmt) stmt = tenure_db_prepare_streaming (
      db, "SELECT 1 / (total - total) FROM bill", &error);
    g_assert_no_error (error);
    if (backend == TENURE_TEST_PG)
      {
        g_assert_false (tenure_stmt_step (stmt, &error));
        g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB);
        g_clear_error (&error);
      }
  }
  g_assert_true (tenure_db_query_int64 (db, "SELECT count (*) FROM bill", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, expected);
}

/* The writer alone: masking, sheet names, widths, other currencies, the amount limit. */
static void
test_writer (void)
{
  g_autofree char *tmp = NULL, *path = NULL, *outdir = NULL, *csv = NULL, *xml = NULL;
  g_autoptr(TenureXlsx) xlsx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const TenureXlsxColumn columns[] = {
    { "Name", TENURE_XLSX_TEXT }, { "Amount", TENURE_XLSX_MONEY },
    { "Day", TENURE_XLSX_DATE }, { "Rate", TENURE_XLSX_PERCENT },
  };
  TenureXlsxSheet *sheet, *twin;
  const TenureCurrency *jpy = tenure_currency_lookup ("JPY");
  char *m;

  m = tenure_xlsx_mask ("6222021234561234");
  g_assert_cmpstr (m, ==, "6222********1234");
  g_free (m);
  m = tenure_xlsx_mask ("13812345678");
  g_assert_cmpstr (m, ==, "138*****678");
  g_free (m);
  m = tenure_xlsx_mask ("310101199001011234");
  g_assert_cmpstr (m, ==, "3101**********1234");
  g_free (m);
  m = tenure_xlsx_mask ("12");
  g_assert_cmpstr (m, ==, "**");
  g_free (m);
  g_assert_null (tenure_xlsx_mask (NULL));

  if (!have_soffice ())
    return;
  tmp = tenure_test_make_tmpdir ();
  path = g_build_filename (tmp, "w.xlsx", NULL);
  outdir = g_build_filename (tmp, "out", NULL);
  xlsx = tenure_xlsx_new (path, TRUE, &error);
  g_assert_no_error (error);
  sheet = tenure_xlsx_add_sheet (xlsx, "a/b:c*d?e[f]g\\ and a very long name beyond 31",
                                 columns, G_N_ELEMENTS (columns), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tenure_xlsx_sheet_get_name (sheet), ==, "a_b_c_d_e_f_g_ and a very long");
  twin = tenure_xlsx_add_sheet (xlsx, "A_B_C_D_E_F_G_ AND A VERY LONG N", columns, 1, &error);
  g_assert_cmpstr (tenure_xlsx_sheet_get_name (twin), ==, "A_B_C_D_E_F_G_ AND A VERY L (2)");

  g_assert_true (tenure_xlsx_write_text (sheet, 0, "上海徐汇商业广场有限公司", &error));
  g_assert_true (tenure_xlsx_write_money (sheet, 1, -123456, NULL, &error));
  g_assert_true (tenure_xlsx_write_date (sheet, 2, tenure_date_from_ymd (2024, 2, 29), &error));
  g_assert_true (tenure_xlsx_write_scaled (sheet, 3, 90000, &error));
  g_assert_true (tenure_xlsx_end_row (sheet, &error));
  g_assert_true (tenure_xlsx_write_text (sheet, 0, "x", &error));
  g_assert_true (tenure_xlsx_write_money (sheet, 1, 1235, jpy, &error));
  g_assert_true (tenure_xlsx_end_row (sheet, &error));
  g_assert_true (tenure_xlsx_write_money (sheet, 1, TENURE_XLSX_MAX_EXACT, NULL, &error));
  g_assert_false (tenure_xlsx_write_money (sheet, 1, TENURE_XLSX_MAX_EXACT + 1, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW);
  g_assert_nonnull (strstr (error->message, "B4"));
  g_clear_error (&error);
  /* A text cell refuses an amount. */
  g_assert_false (tenure_xlsx_write_money (sheet, 0, 1, NULL, &error));
  g_clear_error (&error);
  g_assert_true (tenure_xlsx_end_row (sheet, &error));
  g_assert_true (tenure_xlsx_close (xlsx, &error));
  g_assert_no_error (error);

  /* The CJK name (12 characters) is 24 cells wide, plus the filter button's room. */
  xml = zip_entry (path, "xl/worksheets/sheet1.xml", NULL);
  g_assert_nonnull (strstr (xml, "<col min=\"1\" max=\"1\" width=\"27.7109375\""));
  g_assert_nonnull (strstr (xml, "<c r=\"C2\" s=\""));
  {
    g_autofree char *styles = zip_entry (path, "xl/styles.xml", NULL);
    g_assert_nonnull (strstr (styles, "formatCode=\"&quot;¥&quot;#,##0.00;-&quot;¥&quot;"
                                      "#,##0.00\""));
    g_assert_nonnull (strstr (styles, "formatCode=\"&quot;JP¥&quot;#,##0;"));
    g_assert_nonnull (strstr (styles, "formatCode=\"yyyy-mm-dd\""));
  }
  soffice_convert (path, outdir, NULL);
  csv = csv_path (outdir, "w", "a_b_c_d_e_f_g_ and a very long");
  rows = read_csv (csv);
  g_assert_cmpstr (cell (rows, 1, 0), ==, "上海徐汇商业广场有限公司");
  g_assert_cmpint (scaled (cell (rows, 1, 1), 2), ==, -123456);
  g_assert_cmpstr (cell (rows, 1, 2), ==, "2024-02-29");
  g_assert_cmpint (scaled (cell (rows, 1, 3), 6), ==, 90000);
  g_assert_cmpint (scaled (cell (rows, 2, 1), 0), ==, 1235);
  g_assert_cmpint (scaled (cell (rows, 3, 1), 2), ==, TENURE_XLSX_MAX_EXACT);
  tenure_test_rm_rf (tmp);
}

/* The bill summary writes its cells in a thread of its own: a cell that thread refuses (an
 * amount too large for Excel, in the 600th row, a later batch than the first) fails the
 * export with the message naming the cell, leaves no file, and the connection usable. */
static void
test_writer_thread_error (void)
{
  TenureDb *db = fixture ();
  g_autofree char *tmp = NULL, *path = NULL, *update = NULL, *cell_name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  TenureExportOptions opts = { 0 };
  gint64 bill_id = 0, n = 0;

  if (db == NULL)
    return;
  g_assert_true (tenure_date_parse_iso (AS_OF, &opts.as_of, NULL));
  {
    g_autoptr(TenureStmt) stmt = tenure_db_prepare (
      db, "SELECT b.id FROM bill b JOIN contract c ON c.id = b.contract_id "
          "JOIN project p ON p.id = c.project_id JOIN tenant t ON t.id = b.tenant_id "
          "WHERE b.posting_date <= $1 "
          "ORDER BY p.code, t.code, c.code, b.period_start, b.id LIMIT 1 OFFSET 599", &error);
    g_assert_no_error (error);
    tenure_stmt_bind_text (stmt, 1, AS_OF);
    g_assert_true (tenure_stmt_step_int64 (stmt, &bill_id, &error));
    g_assert_no_error (error);
  }
  g_assert_true (tenure_db_begin (db, &error));
  update = g_strdup_printf ("UPDATE bill SET total = %" G_GINT64_FORMAT " WHERE id = %"
                            G_GINT64_FORMAT, TENURE_XLSX_MAX_EXACT + 1, bill_id);
  exec_sql (db, update);

  tmp = tenure_test_make_tmpdir ();
  path = g_build_filename (tmp, "overflow.xlsx", NULL);
  g_assert_false (tenure_export_to_file (db, TENURE_EXPORT_BILLS, path, &opts, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW);
  /* Row 601 (the header is row 1), column M (billed). */
  g_assert_nonnull (strstr (error->message, "M601"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  dir = g_dir_open (tmp, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
  g_clear_error (&error);

  g_assert_true (tenure_db_query_int64 (db, "SELECT count (*) FROM bill", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 1000);
  tenure_db_rollback (db);

  /* Without the bad amount the same export succeeds. On SQLite it reads without mapping
   * the file, and gives the connection its settings back. */
  if (backend == TENURE_TEST_SQLITE)
    exec_sql (db, "PRAGMA mmap_size=1048576; PRAGMA cache_size=-4321");
  g_assert_true (tenure_export_to_file (db, TENURE_EXPORT_BILLS, path, &opts, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  if (backend == TENURE_TEST_SQLITE)
    {
      g_assert_true (tenure_db_query_int64 (db, "PRAGMA mmap_size", &n, &error));
      g_assert_cmpint (n, ==, 1048576);
      g_assert_true (tenure_db_query_int64 (db, "PRAGMA cache_size", &n, &error));
      g_assert_cmpint (n, ==, -4321);
    }
  tenure_test_rm_rf (tmp);
}

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("TENURE_LOCALEDIR");
  int ret;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  lo_profile = tenure_test_make_tmpdir ();

  g_test_add_func ("/export/writer", test_writer);
  g_test_add_func ("/export/streaming", test_streaming);
  g_test_add_func ("/export/combined", test_combined);
  g_test_add_func ("/export/comma-locale", test_comma_locale);
  g_test_add_func ("/export/unmasked-chinese-per-project", test_unmasked_chinese);
  g_test_add_func ("/export/cancel", test_cancel);
  g_test_add_func ("/export/async", test_async);
  g_test_add_func ("/export/bad-path", test_bad_path);
  g_test_add_func ("/export/mask-setting", test_mask_setting);
  g_test_add_func ("/export/writer-thread-error", test_writer_thread_error);
  ret = g_test_run ();

  g_clear_object (&fixture_db);
  if (db_location)
    {
      tenure_test_db_drop_location (backend, db_location);
      g_free (db_location);
    }
  tenure_test_rm_rf (lo_profile);
  g_free (lo_profile);
  g_free (private_locpath);
  return ret;
}
