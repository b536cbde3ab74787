/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

#include <string.h>

#include <glib.h>

#include "analytics/tenure-kpi-dashboard.h"
#include "analytics/tenure-kpi-finance.h"
#include "analytics/tenure-kpi-slices.h"
#include "base/tenure-error.h"
#include "collections/tenure-open-item.h"
#include "tenure-test-db.h"

/* The KPI engine, part two, against a small portfolio whose figures are worked out by hand in
 * the comments. Rows are written with SQL (bills, credit notes, receipts and allocations exactly
 * as the billing and collections engines store them), so the expected numbers do not come from
 * the code under test. As of 2026-06-15 (month: June 2026), amounts in fen.
 *
 * P1 (mall), building A: U1 100 m², U2 250 m², U4 50 m². P2 (office), building B: U3 1,200 m².
 *   C1 T1 U1 (10,000 c)            2026-01-01..2027-12-31, rent 1,000,000 a month (fixed)
 *   C2 T2 U2 (25,000) + U4 (5,000) 2026-01-01..2026-12-31, rent 2,000,000 a month
 *   C3 T3 U3 (120,000)             2025-01-01..2028-12-31, rent 3,000,000 a month
 * Bills (due = period start unless said):
 *   B0 C2 deposit  500,000 due 2026-01-01, posted 01-01; never paid
 *   B1 C1 rent   1,000,000 due 2026-04-01, posted 04-01; paid 04-03 in full
 *   B2 C1 rent   1,000,000 due 2026-05-01, posted 04-28; 400,000 on 05-20, 300,000 on 06-10
 *   B3 C1 rent   1,000,000 (tax 82,569) + property fee 50,000 (tax 2,830) due 06-01, posted
 *      06-01; rent paid 06-02
 *   B4 C2 rent   2,000,000 due 2026-03-01, posted 03-03; credit note −500,000 posted 03-20;
 *      write-off 200,000 on 06-05; 600,000 received 06-12; 100,000 on 06-20 (after the as-of)
 *   B5 C2 rent   2,000,000 due 06-01, posted 06-01; 1,500,000 on 06-14, reversed 06-15
 *   B6 C3 rent   3,000,000 due 2025-05-01, posted 2025-05-01; never paid
 *   B7 C3 rent   3,000,000 period 06-01..06-30 due 06-30, posted 06-10
 *   B8 C3 parking 99,999 in USD due 06-01, posted 06-01 (left out of every CNY figure)
 * Planned: C1 and C2 rent July..December 2026 (1,000,000 and 2,000,000), C3 rent due
 * 2026-09-30 3,000,000. */

static TenureTestBackend backend;

typedef struct
{
  char     *location;
  TenureDb *db;
} Fixture;

static gint64
q (TenureDb   *db,
   const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  gboolean ok = tenure_db_query_int64 (db, sql, &id, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return id;
}

static gint64
qf (TenureDb   *db,
    const char *format,
    ...) G_GNUC_PRINTF (2, 3);

static gint64
qf (TenureDb   *db,
    const char *format,
    ...)
{
  va_list ap;
  g_autofree char *sql = NULL;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  return q (db, sql);
}

static void
x (TenureDb   *db,
   const char *sql)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = tenure_db_exec (db, sql, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static gint64
unit (TenureDb   *db,
      const char *floor_code,
      const char *code,
      const char *format,
      gint64      area_c)
{
  return qf (db, "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c)"
             " SELECT '%s', id, '%s', '%s', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
             " FROM floor WHERE code = '%s' RETURNING id", code, code, format, area_c, area_c,
             floor_code);
}

/* A contract, its approved version 1 with one rent clause; returns the version id. */
static gint64
contract (TenureDb   *db,
          const char *code,
          const char *project,
          const char *start,
          const char *end,
          const char *signed_on,
          const char *created_at,
          const char *approved_at,
          gint64      rent)
{
  gint64 tenant = qf (db, "INSERT INTO tenant (code, name) VALUES ('T-%s', 'Tenant %s')"
                      " RETURNING id", code, code);
  gint64 c = qf (db, "INSERT INTO contract (code, tenant_id, project_id, status, signed_on,"
                 " start_date, end_date) SELECT '%s', %" G_GINT64_FORMAT ", id, 'active', %s,"
                 " '%s', '%s' FROM project WHERE code = '%s' RETURNING id", code, tenant,
                 signed_on, start, end, project);
  gint64 v = qf (db, "INSERT INTO contract_version (contract_id, version_no, effective_from,"
                 " status, approved_by, approved_at, created_at) VALUES (%" G_GINT64_FORMAT
                 ", 1, '%s', 'approved', 'boss', '%s', '%s') RETURNING id", c, start,
                 approved_at, created_at);

  qf (db, "INSERT INTO clause (contract_version_id, charge_item_id, basis, amount, starts_on,"
      " ends_on) SELECT %" G_GINT64_FORMAT ", id, 'fixed_month', %" G_GINT64_FORMAT
      ", '%s', '%s' FROM charge_item WHERE code = 'RENT' RETURNING id", v, rent, start, end);
  return v;
}

static void
lease (TenureDb   *db,
       gint64      version,
       gint64      unit_id,
       gint64      area_c)
{
  qf (db, "INSERT INTO contract_unit (contract_version_id, unit_id, area_c) VALUES (%"
      G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ") RETURNING id", version,
      unit_id, area_c);
}

static gint64
bill (TenureDb   *db,
      const char *code,
      const char *contract_code,
      const char *kind,
      const char *corrects,
      const char *period_start,
      const char *period_end,
      const char *due,
      const char *posted,
      const char *currency)
{
  return qf (db, "INSERT INTO bill (code, contract_id, tenant_id, kind, corrects_bill_id,"
             " period_start, period_end, due_date, posting_date, total, currency)"
             " SELECT '%s', c.id, c.tenant_id, '%s', (SELECT id FROM bill WHERE code = '%s'),"
             " '%s', '%s', '%s', '%s', 0, '%s' FROM contract c WHERE c.code = '%s' RETURNING id",
             code, kind, corrects, period_start, period_end, due, posted, currency,
             contract_code);
}

/* A plan line of CONTRACT_CODE (status STATUS) and, when BILL_ID is not 0, its bill line;
 * returns the bill line id (or the plan line id when not billed). */
static gint64
line (TenureDb   *db,
      const char *contract_code,
      gint64      bill_id,
      const char *charge,
      const char *kind,
      gint64      corrects_rl,
      const char *period_start,
      const char *period_end,
      const char *due,
      gint64      amount,
      gint64      tax,
      const char *currency,
      gint64     *rl_out)
{
  g_autofree char *corrects = corrects_rl != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT,
                                                                  corrects_rl)
                                               : g_strdup ("NULL");
  g_autofree char *billed = bill_id != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, bill_id)
                                         : g_strdup ("NULL");
  gint64 rl = qf (db, "INSERT INTO receivable_line (contract_id, contract_version_id,"
                  " charge_item_id, kind, period_start, period_end, due_date, amount, tax,"
                  " currency, status, bill_id, corrects_line_id, correction_no)"
                  " SELECT c.id, (SELECT max (v.id) FROM contract_version v"
                  " WHERE v.contract_id = c.id), ci.id, '%s', '%s', '%s', '%s', %"
                  G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '%s', '%s', %s, %s, %d"
                  " FROM contract c, charge_item ci WHERE c.code = '%s' AND ci.code = '%s'"
                  " RETURNING id", kind, period_start, period_end, due, amount, tax, currency,
                  bill_id != 0 ? "billed" : "planned",
                  billed, corrects, corrects_rl != 0 ? 1 : 0, contract_code, charge);

  if (rl_out != NULL)
    *rl_out = rl;
  if (bill_id == 0)
    return rl;
  return qf (db, "INSERT INTO bill_line (bill_id, receivable_line_id, charge_item_id,"
             " period_start, period_end, due_date, amount, tax) SELECT %" G_GINT64_FORMAT
             ", id, charge_item_id, period_start, period_end, due_date, amount, tax"
             " FROM receivable_line WHERE id = %" G_GINT64_FORMAT " RETURNING id", bill_id, rl);
}

/* A receipt of AMOUNT on DATE from the tenant of CONTRACT_CODE allocated to BILL_LINE. */
static gint64
pay (TenureDb   *db,
     const char *contract_code,
     gint64      bill_line,
     const char *date,
     gint64      amount)
{
  static int n;
  gint64 receipt = qf (db, "INSERT INTO receipt (code, tenant_id, method, received_on,"
                       " posting_date, amount) SELECT 'R%d', tenant_id, 'bank', '%s', '%s', %"
                       G_GINT64_FORMAT " FROM contract WHERE code = '%s' RETURNING id", ++n,
                       date, date, amount, contract_code);

  return qf (db, "INSERT INTO allocation (receipt_id, bill_line_id, amount, kind, posting_date)"
             " VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
             ", 'allocation', '%s') RETURNING id", receipt, bill_line, amount, date);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 le, u1, u2, u3, u4, v1, v2, v3, b, bl, rl, a;
  TenureDb *db;

  f->location = tenure_test_db_new_location (backend);
  if (f->location == NULL)
    return;
  f->db = db = tenure_db_open (f->location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);

  le = q (db, "INSERT INTO legal_entity (code, name) VALUES ('LE', 'E') RETURNING id");
  qf (db, "INSERT INTO project (code, legal_entity_id, name, format) VALUES ('P1', %"
      G_GINT64_FORMAT ", 'Mall', 'mall'), ('P2', %" G_GINT64_FORMAT ", 'Tower', 'office')"
      " RETURNING id", le, le);
  x (db, "INSERT INTO building (code, project_id, name) SELECT 'A', id, 'A' FROM project"
         " WHERE code = 'P1'");
  x (db, "INSERT INTO building (code, project_id, name) SELECT 'B', id, 'B' FROM project"
         " WHERE code = 'P2'");
  x (db, "INSERT INTO floor (code, building_id, name) SELECT 'A1', id, '1F' FROM building"
         " WHERE code = 'A'");
  x (db, "INSERT INTO floor (code, building_id, name) SELECT 'B1', id, '1F' FROM building"
         " WHERE code = 'B'");
  u1 = unit (db, "A1", "U1", "mall", 10000);
  u2 = unit (db, "A1", "U2", "mall", 25000);
  u4 = unit (db, "A1", "U4", "mall", 5000);
  u3 = unit (db, "B1", "U3", "office", 120000);

  /* Approval: C1 signed 2025-12-10, approved 12-20 (10 days); C2 unsigned, created 12-01,
   * approved 12-04 (3 days); C3 approved 2024-12-01 (outside the turnaround window). */
  v1 = contract (db, "C1", "P1", "2026-01-01", "2027-12-31", "'2025-12-10'",
                 "2025-12-01T09:00:00Z", "2025-12-20T08:00:00Z", 1000000);
  v2 = contract (db, "C2", "P1", "2026-01-01", "2026-12-31", "NULL",
                 "2025-12-01T09:00:00Z", "2025-12-04T08:00:00Z", 2000000);
  v3 = contract (db, "C3", "P2", "2025-01-01", "2028-12-31", "'2024-11-20'",
                 "2024-11-20T09:00:00Z", "2024-12-01T08:00:00Z", 3000000);
  lease (db, v1, u1, 10000);
  lease (db, v2, u2, 25000);
  lease (db, v2, u4, 5000);
  lease (db, v3, u3, 120000);

  b = bill (db, "B0", "C2", "bill", "", "2026-01-01", "2026-01-31", "2026-01-01", "2026-01-01",
            "CNY");
  line (db, "C2", b, "DEPOSIT", "normal", 0, "2026-01-01", "2026-01-31", "2026-01-01", 500000, 0,
        "CNY", NULL);
  b = bill (db, "B1", "C1", "bill", "", "2026-04-01", "2026-04-30", "2026-04-01", "2026-04-01",
            "CNY");
  bl = line (db, "C1", b, "RENT", "normal", 0, "2026-04-01", "2026-04-30", "2026-04-01", 1000000,
             0, "CNY", NULL);
  pay (db, "C1", bl, "2026-04-03", 1000000);
  b = bill (db, "B2", "C1", "bill", "", "2026-05-01", "2026-05-31", "2026-05-01", "2026-04-28",
            "CNY");
  bl = line (db, "C1", b, "RENT", "normal", 0, "2026-05-01", "2026-05-31", "2026-05-01", 1000000,
             0, "CNY", NULL);
  pay (db, "C1", bl, "2026-05-20", 400000);
  pay (db, "C1", bl, "2026-06-10", 300000);
  b = bill (db, "B3", "C1", "bill", "", "2026-06-01", "2026-06-30", "2026-06-01", "2026-06-01",
            "CNY");
  bl = line (db, "C1", b, "RENT", "normal", 0, "2026-06-01", "2026-06-30", "2026-06-01", 1000000,
             82569, "CNY", NULL);
  pay (db, "C1", bl, "2026-06-02", 1000000);
  line (db, "C1", b, "PROPERTY_FEE", "normal", 0, "2026-06-01", "2026-06-30", "2026-06-01",
        50000, 2830, "CNY", NULL);
  b = bill (db, "B4", "C2", "bill", "", "2026-03-01", "2026-03-31", "2026-03-01", "2026-03-03",
            "CNY");
  bl = line (db, "C2", b, "RENT", "normal", 0, "2026-03-01", "2026-03-31", "2026-03-01", 2000000,
             0, "CNY", &rl);
  b = bill (db, "CN4", "C2", "credit_note", "B4", "2026-03-01", "2026-03-31", "2026-03-01",
            "2026-03-20", "CNY");
  line (db, "C2", b, "RENT", "difference", rl, "2026-03-01", "2026-03-31", "2026-03-01", -500000,
        0, "CNY", NULL);
  qf (db, "INSERT INTO allocation (bill_line_id, amount, kind, posting_date, approved_by)"
      " VALUES (%" G_GINT64_FORMAT ", 200000, 'write_off', '2026-06-05', 'boss') RETURNING id",
      bl);
  pay (db, "C2", bl, "2026-06-12", 600000);
  pay (db, "C2", bl, "2026-06-20", 100000);
  b = bill (db, "B5", "C2", "bill", "", "2026-06-01", "2026-06-30", "2026-06-01", "2026-06-01",
            "CNY");
  bl = line (db, "C2", b, "RENT", "normal", 0, "2026-06-01", "2026-06-30", "2026-06-01", 2000000,
             0, "CNY", NULL);
  a = pay (db, "C2", bl, "2026-06-14", 1500000);
  qf (db, "INSERT INTO allocation (receipt_id, bill_line_id, amount, kind, posting_date,"
      " reversal_of_id) SELECT receipt_id, bill_line_id, -amount, kind, '2026-06-15', id"
      " FROM allocation WHERE id = %" G_GINT64_FORMAT " RETURNING id", a);
  b = bill (db, "B6", "C3", "bill", "", "2025-05-01", "2025-05-31", "2025-05-01", "2025-05-01",
            "CNY");
  line (db, "C3", b, "RENT", "normal", 0, "2025-05-01", "2025-05-31", "2025-05-01", 3000000, 0,
        "CNY", NULL);
  b = bill (db, "B7", "C3", "bill", "", "2026-06-01", "2026-06-30", "2026-06-30", "2026-06-10",
            "CNY");
  line (db, "C3", b, "RENT", "normal", 0, "2026-06-01", "2026-06-30", "2026-06-30", 3000000, 0,
        "CNY", NULL);
  b = bill (db, "B8", "C3", "bill", "", "2026-06-01", "2026-06-30", "2026-06-01", "2026-06-01",
            "USD");
  line (db, "C3", b, "PARKING", "normal", 0, "2026-06-01", "2026-06-30", "2026-06-01", 99999, 0,
        "USD", NULL);
  for (int m = 7; m <= 12; m++)
    {
      g_autofree char *first = g_strdup_printf ("2026-%02d-01", m);
      g_autofree char *last = g_strdup_printf ("2026-%02d-28", m);

      line (db, "C1", 0, "RENT", "normal", 0, first, last, first, 1000000, 0, "CNY", NULL);
      line (db, "C2", 0, "RENT", "normal", 0, first, last, first, 2000000, 0, "CNY", NULL);
    }
  line (db, "C3", 0, "RENT", "normal", 0, "2026-09-01", "2026-09-30", "2026-09-30", 3000000, 0,
        "CNY", NULL);

  /* Reconciliations: P1's May, created 06-05 (5 days after 05-31), closed 06-08 (8 days); the
   * entity's April, created 05-03 (3 days), still open. */
  qf (db, "INSERT INTO reconciliation (legal_entity_id, period, scope_kind, scope_code,"
      " receivable, received, difference, status, created_at, updated_at) VALUES (%"
      G_GINT64_FORMAT ", '2026-05', 'project', 'P1', 0, 0, 0, 'closed', '2026-06-05T10:00:00Z',"
      " '2026-06-08T10:00:00Z'), (%" G_GINT64_FORMAT ", '2026-04', 'entity', '', 0, 0, 0,"
      " 'open', '2026-05-03T10:00:00Z', '2026-05-03T10:00:00Z') RETURNING id", le, le);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  if (f->location != NULL)
    tenure_test_db_drop_location (backend, f->location);
  g_free (f->location);
}

static TenureDate
d (const char *iso)
{
  TenureDate date = TENURE_DATE_INVALID;

  g_assert_true (tenure_date_parse_iso (iso, &date, NULL));
  return date;
}

static void
assert_collection (const TenureKpiCollection *c,
                   const char                *key,
                   gint64                     due,
                   gint64                     received,
                   gint64                     arrears_open,
                   gint64                     arrears_recovered)
{
  g_assert_cmpstr (c->key, ==, key);
  g_assert_cmpint (c->due, ==, due);
  g_assert_cmpint (c->received, ==, received);
  g_assert_cmpint (c->arrears_open, ==, arrears_open);
  g_assert_cmpint (c->arrears_recovered, ==, arrears_recovered);
}

static void
test_collection (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  if (f->db == NULL)
    return;
  /* June as of 06-15. Due in June: B3 rent 1,000,000 (received 1,000,000) + B3 fee 50,000
   * + B5 2,000,000 (1,500,000 received then reversed: 0) + B7 3,000,000 = 6,050,000; the USD
   * parking line is left out. Arrears open on 05-31: B2 600,000 + B4 2,000,000 − 500,000
   * credit = 1,500,000 + B0 deposit 500,000 + B6 3,000,000 = 5,600,000 (B1 was paid);
   * recovered in June by 06-15: B2 300,000 + B4 600,000 (the write-off is not received, the
   * 06-20 receipt is after the as-of date) = 900,000. */
  rows = tenure_kpi_collection (f->db, d ("2026-06-01"), d ("2026-06-15"), NULL, NULL,
                                TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_collection (g_ptr_array_index (rows, 0), "", 6050000, 1000000, 5600000, 900000);
  g_assert_cmpint (tenure_kpi_ppm (1000000, 6050000), ==, 165289);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* By project: P1 = C1 + C2, P2 = C3. */
  rows = tenure_kpi_collection (f->db, d ("2026-06-20"), d ("2026-06-15"), NULL, "CNY",
                                TENURE_KPI_BY_PROJECT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  assert_collection (g_ptr_array_index (rows, 0), "P1", 3050000, 1000000, 2600000, 900000);
  assert_collection (g_ptr_array_index (rows, 1), "P2", 3000000, 0, 3000000, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* By area band of the contract's units: C1 100 m² → 100-300; C2 250 + 50 = 300 m²
   * → 300-1000; C3 1,200 m² → 1000-3000. */
  rows = tenure_kpi_collection (f->db, d ("2026-06-01"), d ("2026-06-15"), NULL, NULL,
                                TENURE_KPI_BY_AREA_BAND, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  assert_collection (g_ptr_array_index (rows, 0), "100-300", 1050000, 1000000, 600000, 300000);
  assert_collection (g_ptr_array_index (rows, 1), "1000-3000", 3000000, 0, 3000000, 0);
  assert_collection (g_ptr_array_index (rows, 2), "300-1000", 2000000, 0, 2000000, 600000);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Building and format: of the largest unit (C2's is U2 in A). */
  rows = tenure_kpi_collection (f->db, d ("2026-06-01"), d ("2026-06-15"), "P1", NULL,
                                TENURE_KPI_BY_BUILDING, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_collection (g_ptr_array_index (rows, 0), "A", 3050000, 1000000, 2600000, 900000);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = tenure_kpi_collection (f->db, d ("2026-06-01"), d ("2026-06-15"), NULL, NULL,
                                TENURE_KPI_BY_FORMAT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  assert_collection (g_ptr_array_index (rows, 0), "mall", 3050000, 1000000, 2600000, 900000);
  assert_collection (g_ptr_array_index (rows, 1), "office", 3000000, 0, 3000000, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The USD figures alone: B8 99,999 due in June, nothing received, no arrears. */
  rows = tenure_kpi_collection (f->db, d ("2026-06-01"), d ("2026-06-15"), NULL, "USD",
                                TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  assert_collection (g_ptr_array_index (rows, 0), "", 99999, 0, 0, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Series March..June as of 06-15:
   *   March: due B4 billed 1,500,000 (after the credit), received 600,000 (06-12); arrears on
   *          02-28: B0 500,000 + B6 3,000,000 = 3,500,000, none recovered in March.
   *   April: due B1 1,000,000 received 1,000,000; arrears on 03-31: B4 1,500,000 + B0 + B6
   *          = 5,000,000, none recovered.
   *   May:   due B2 1,000,000, received 700,000 by 06-15; arrears on 04-30 5,000,000 (B1 was
   *          paid on 04-03), none recovered in May.
   *   June:  as above. */
  rows = tenure_kpi_collection_series (f->db, d ("2026-03-31"), d ("2026-06-01"),
                                       d ("2026-06-15"), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  assert_collection (g_ptr_array_index (rows, 0), "2026-03", 1500000, 600000, 3500000, 0);
  assert_collection (g_ptr_array_index (rows, 1), "2026-04", 1000000, 1000000, 5000000, 0);
  assert_collection (g_ptr_array_index (rows, 2), "2026-05", 1000000, 700000, 5000000, 0);
  assert_collection (g_ptr_array_index (rows, 3), "2026-06", 6050000, 1000000, 5600000, 900000);
  g_assert_true (((TenureKpiCollection *) g_ptr_array_index (rows, 3))->month
                 == d ("2026-06-01"));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* May as seen on 05-31: only 400,000 of B2 was received by then. */
  rows = tenure_kpi_collection (f->db, d ("2026-05-01"), d ("2026-05-31"), NULL, NULL,
                                TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  assert_collection (g_ptr_array_index (rows, 0), "", 1000000, 400000, 5000000, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* By remaining term (as test_collection_sliced: C1 "1-2", C3 "2-3", C2 "<1"); a bad date
   * is refused. */
  rows = tenure_kpi_collection (f->db, d ("2026-06-01"), d ("2026-06-15"), NULL, NULL,
                                TENURE_KPI_BY_TERM, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  assert_collection (g_ptr_array_index (rows, 0), "1-2", 1050000, 1000000, 600000, 300000);
  assert_collection (g_ptr_array_index (rows, 1), "2-3", 3000000, 0, 3000000, 0);
  assert_collection (g_ptr_array_index (rows, 2), "<1", 2000000, 0, 2000000, 600000);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = tenure_kpi_collection (f->db, TENURE_DATE_INVALID, d ("2026-06-15"), NULL, NULL,
                                TENURE_KPI_BY_NONE, &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_null (rows);
}

static void
assert_aging (const TenureKpiAging *a,
              const char           *key,
              const gint64          open[TENURE_KPI_AGING_BUCKETS],
              const gint64          items[TENURE_KPI_AGING_BUCKETS])
{
  gint64 total = 0;

  g_assert_cmpstr (a->key, ==, key);
  for (guint i = 0; i < TENURE_KPI_AGING_BUCKETS; i++)
    {
      g_assert_cmpint (a->open[i], ==, open[i]);
      g_assert_cmpint (a->items[i], ==, items[i]);
      total += open[i];
    }
  g_assert_cmpint (a->total, ==, total);
}

static void
test_aging (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  /* On 06-15: B7 3,000,000 due 06-30 not due; B3 fee 50,000 and B5 2,000,000 (the reversal
   * cancels the receipt) 14 days past due; B2 300,000 45 days; B4 2,000,000 − 500,000
   * − 200,000 − 600,000 = 700,000 106 days and B0 500,000 165 days (91-180); B6 3,000,000
   * 410 days (>365). */
  static const gint64 all[] = { 3000000, 2050000, 300000, 0, 1200000, 0, 3000000 };
  static const gint64 all_n[] = { 1, 2, 1, 0, 2, 0, 1 };
  static const gint64 p1[] = { 0, 2050000, 300000, 0, 1200000, 0, 0 };
  static const gint64 p1_n[] = { 0, 2, 1, 0, 2, 0, 0 };
  static const gint64 p2[] = { 3000000, 0, 0, 0, 0, 0, 3000000 };
  static const gint64 p2_n[] = { 1, 0, 0, 0, 0, 0, 1 };

  if (f->db == NULL)
    return;
  rows = tenure_kpi_aging (f->db, d ("2026-06-15"), NULL, NULL, TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_aging (g_ptr_array_index (rows, 0), "", all, all_n);
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = tenure_kpi_aging (f->db, d ("2026-06-15"), NULL, NULL, TENURE_KPI_BY_PROJECT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  assert_aging (g_ptr_array_index (rows, 0), "P1", p1, p1_n);
  assert_aging (g_ptr_array_index (rows, 1), "P2", p2, p2_n);
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = tenure_kpi_aging (f->db, d ("2026-06-15"), "P2", NULL, TENURE_KPI_BY_FORMAT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_aging (g_ptr_array_index (rows, 0), "office", p2, p2_n);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* By contract on 06-15: C1 B3 fee 50,000 (1-30), B2 300,000 (31-60); C2 B5 2,000,000
   * (1-30), B4 700,000 + B0 500,000 (91-180); C3 B7 (not due), B6 (>365). Remaining terms on
   * 06-15 (see test_collection_sliced): C1 "1-2", C2 "<1", C3 "2-3"; price bands: C1
   * "mall Q4", C2 "mall Q2", C3 "office Q1". */
  {
    static const gint64 c1[] = { 0, 50000, 300000, 0, 0, 0, 0 };
    static const gint64 c1_n[] = { 0, 1, 1, 0, 0, 0, 0 };
    static const gint64 c2[] = { 0, 2000000, 0, 0, 1200000, 0, 0 };
    static const gint64 c2_n[] = { 0, 1, 0, 0, 2, 0, 0 };

    rows = tenure_kpi_aging (f->db, d ("2026-06-15"), NULL, NULL, TENURE_KPI_BY_TERM, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 3);
    assert_aging (g_ptr_array_index (rows, 0), "1-2", c1, c1_n);
    assert_aging (g_ptr_array_index (rows, 1), "2-3", p2, p2_n);
    assert_aging (g_ptr_array_index (rows, 2), "<1", c2, c2_n);
    g_clear_pointer (&rows, g_ptr_array_unref);

    rows = tenure_kpi_aging (f->db, d ("2026-06-15"), NULL, NULL, TENURE_KPI_BY_PRICE_BAND,
                             &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 3);
    assert_aging (g_ptr_array_index (rows, 0), "mall Q2", c2, c2_n);
    assert_aging (g_ptr_array_index (rows, 1), "mall Q4", c1, c1_n);
    assert_aging (g_ptr_array_index (rows, 2), "office Q1", p2, p2_n);
    g_clear_pointer (&rows, g_ptr_array_unref);

    /* P1 alone by term: its two contracts. */
    rows = tenure_kpi_aging (f->db, d ("2026-06-15"), "P1", NULL, TENURE_KPI_BY_TERM, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 2);
    assert_aging (g_ptr_array_index (rows, 0), "1-2", c1, c1_n);
    assert_aging (g_ptr_array_index (rows, 1), "<1", c2, c2_n);
    g_clear_pointer (&rows, g_ptr_array_unref);
  }

  /* Every slice adds up to the unsliced aging, bucket by bucket. */
  for (TenureKpiSlice by = TENURE_KPI_BY_NONE; by <= TENURE_KPI_BY_PRICE_BAND; by++)
    {
      gint64 sum[TENURE_KPI_AGING_BUCKETS] = { 0 }, n[TENURE_KPI_AGING_BUCKETS] = { 0 };
      gint64 total = 0;

      rows = tenure_kpi_aging (f->db, d ("2026-06-15"), NULL, NULL, by, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        {
          TenureKpiAging *a = g_ptr_array_index (rows, i);

          for (guint b = 0; b < TENURE_KPI_AGING_BUCKETS; b++)
            {
              sum[b] += a->open[b];
              n[b] += a->items[b];
            }
          total += a->total;
        }
      for (guint b = 0; b < TENURE_KPI_AGING_BUCKETS; b++)
        {
          g_assert_cmpint (sum[b], ==, all[b]);
          g_assert_cmpint (n[b], ==, all_n[b]);
        }
      g_assert_cmpint (total, ==, 9550000);
      g_clear_pointer (&rows, g_ptr_array_unref);
    }

  g_assert_cmpstr (tenure_kpi_aging_bucket_name (0), ==, "not_due");
  g_assert_cmpstr (tenure_kpi_aging_bucket_name (6), ==, "over_365");
  rows = tenure_kpi_aging (f->db, d ("2026-06-15"), "NOPE", NULL, TENURE_KPI_BY_NONE, &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_null (rows);
}

static void
test_revenue_and_unit_curve (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TenureKpiRevenue *r;
  static const gint64 u4[] = { 0, 0, 250000, 0, 0, 333333 };
  static const gint64 u2[] = { 0, 0, 1250000, 0, 0, 1666667 };
  static const gint64 u1[] = { 0, 0, 0, 1000000, 1000000, 1050000 };

  if (f->db == NULL)
    return;
  /* 2025-07-01..2026-06-30 as of 06-15, deposits out: rent B1 + B2 + B3 1,000,000 each, B4
   * 2,000,000 − 500,000, B5 2,000,000, B7 3,000,000 = 9,500,000 (tax 82,569); property fee
   * 50,000 (tax 2,830). B6 (May 2025) is before the window; B8 is in USD. */
  rows = tenure_kpi_revenue (f->db, d ("2025-07-01"), d ("2026-06-30"), d ("2026-06-15"), NULL,
                             NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  r = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (r->key, ==, "PROPERTY_FEE");
  g_assert_cmpint (r->billed, ==, 50000);
  g_assert_cmpint (r->tax, ==, 2830);
  r = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (r->key, ==, "RENT");
  g_assert_cmpstr (r->charge_kind, ==, "rent");
  g_assert_cmpint (r->billed, ==, 9500000);
  g_assert_cmpint (r->tax, ==, 82569);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* P2 alone: B7. As of 06-05, B7 (posted 06-10) is not there yet. */
  rows = tenure_kpi_revenue (f->db, d ("2025-07-01"), d ("2026-06-30"), d ("2026-06-05"), "P2",
                             NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Unit curves January..June 2026. C2's lines are shared 25,000 : 5,000 between U2 and U4:
   * B4 2,000,000 → U2 1,666,666.67, U4 333,333.33: floors 1,666,666 and 333,333, the fen
   * left goes to the larger remainder (U2); the credit −500,000 → U2 −416,667, U4 −83,333;
   * March: U2 1,250,000, U4 250,000. B5 in June: U2 1,666,667, U4 333,333. The deposit is
   * not revenue. U1 (C1 alone): April, May 1,000,000, June 1,000,000 + 50,000. */
  for (guint which = 0; which < 3; which++)
    {
      const char *code = which == 0 ? "U4" : which == 1 ? "U2" : "U1";
      const gint64 *want = which == 0 ? u4 : which == 1 ? u2 : u1;

      rows = tenure_kpi_unit_revenue (f->db, code, d ("2026-01-15"), d ("2026-06-01"),
                                      d ("2026-06-15"), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, 6);
      for (guint i = 0; i < 6; i++)
        {
          TenureKpiUnitRevenue *row = g_ptr_array_index (rows, i);

          g_assert_cmpint (row->billed, ==, want[i]);
        }
      g_assert_cmpstr (((TenureKpiUnitRevenue *) g_ptr_array_index (rows, 2))->key, ==,
                       "2026-03");
      g_clear_pointer (&rows, g_ptr_array_unref);
    }
  rows = tenure_kpi_unit_revenue (f->db, "U9", d ("2026-01-01"), d ("2026-06-01"),
                                  d ("2026-06-15"), &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_null (rows);
}

static void
test_cash_flow (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TenureKpiForecastOptions options = { .renewal_ppm = 500000 };

  if (f->db == NULL)
    return;
  /* On-time shares (items due 2025-06-01..2026-05-31, deposits out, paid in full by due + 5):
   * T1 B1 on time, B2 not: 1/2. T2 B4 (billed 1,500,000) not: 0. T3 has none (B6 is older):
   * its project P2 has none either: 1. Pooled: 1,000,000 / 3,500,000 = 2/7.
   * June: B3 fee 50,000 (T1) + B5 2,000,000 (T2) + B7 3,000,000 (T3) open = 5,050,000;
   *       expected 25,000 + 0 + 3,000,000.
   * July..December: planned C1 1,000,000 + C2 2,000,000, expected 500,000; September also
   *       C3 3,000,000 (expected in full).
   * Renewals at 50 %: C2 ends in December at 2,000,000 a month: from January 1,000,000,
   *       expected × 2/7 = 285,714.29 → 285,714. */
  rows = tenure_kpi_cash_flow (f->db, d ("2026-06-15"), NULL, NULL, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, TENURE_KPI_FORECAST_MONTHS);
  for (guint k = 0; k < TENURE_KPI_FORECAST_MONTHS; k++)
    {
      TenureKpiCashFlow *c = g_ptr_array_index (rows, k);
      gint64 contractual = k == 0 ? 5050000 : k == 3 ? 6000000 : k <= 6 ? 3000000 : 0;
      gint64 expected = k == 0 ? 3025000 : k == 3 ? 3500000 : k <= 6 ? 500000 : 0;

      g_test_message ("month %u %s", k, c->key);
      g_assert_cmpint (c->contractual, ==, contractual);
      g_assert_cmpint (c->expected, ==, expected);
      g_assert_cmpint (c->renewal, ==, k >= 7 ? 1000000 : 0);
      g_assert_cmpint (c->renewal_expected, ==, k >= 7 ? 285714 : 0);
    }
  g_assert_cmpstr (((TenureKpiCashFlow *) g_ptr_array_index (rows, 7))->key, ==, "2027-01");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* No options: no renewals; a probability above 100 % is refused. */
  rows = tenure_kpi_cash_flow (f->db, d ("2026-06-15"), "P1", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((TenureKpiCashFlow *) g_ptr_array_index (rows, 0))->contractual, ==,
                   2050000);
  g_assert_cmpint (((TenureKpiCashFlow *) g_ptr_array_index (rows, 0))->expected, ==, 25000);
  g_assert_cmpint (((TenureKpiCashFlow *) g_ptr_array_index (rows, 11))->renewal, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  options.renewal_ppm = 1000001;
  rows = tenure_kpi_cash_flow (f->db, d ("2026-06-15"), NULL, NULL, &options, &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_null (rows);
}

static void
test_turnaround (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TenureKpiTurnaround *t;

  if (f->db == NULL)
    return;
  /* 2025-12-01..2026-06-15: approvals C1 10 days, C2 3 days. Bills (kind bill) posted in the
   * range: B0, B1, B3, B5, B8 on their period start (0), B2 3 days ahead (−3), B4 2 days
   * late, B7 9 days late: 8 bills, 8 days. Reconciliations: P1's May 5 days, closed after 8;
   * the entity's April 3 days, open. */
  rows = tenure_kpi_turnaround (f->db, d ("2025-12-01"), d ("2026-06-15"), NULL,
                                TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  t = g_ptr_array_index (rows, 0);
  g_assert_cmpint (t->contracts, ==, 2);
  g_assert_cmpint (t->approval_days, ==, 13);
  g_assert_cmpint (t->bills, ==, 8);
  g_assert_cmpint (t->issue_days, ==, 8);
  g_assert_cmpint (t->reconciliations, ==, 2);
  g_assert_cmpint (t->reconciliation_days, ==, 8);
  g_assert_cmpint (t->closed, ==, 1);
  g_assert_cmpint (t->close_days, ==, 8);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* By project: "-" holds the entity-wide reconciliation; P2 only B7 and B8. */
  rows = tenure_kpi_turnaround (f->db, d ("2025-12-01"), d ("2026-06-15"), NULL,
                                TENURE_KPI_BY_PROJECT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  t = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (t->key, ==, "-");
  g_assert_cmpint (t->reconciliations, ==, 1);
  g_assert_cmpint (t->reconciliation_days, ==, 3);
  t = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (t->key, ==, "P1");
  g_assert_cmpint (t->contracts, ==, 2);
  g_assert_cmpint (t->bills, ==, 6);
  g_assert_cmpint (t->issue_days, ==, -1);
  g_assert_cmpint (t->reconciliations, ==, 1);
  g_assert_cmpint (t->close_days, ==, 8);
  t = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (t->key, ==, "P2");
  g_assert_cmpint (t->contracts, ==, 0);
  g_assert_cmpint (t->bills, ==, 2);
  g_assert_cmpint (t->issue_days, ==, 9);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A reconciliation of one contract (C3's May, created 06-04: 4 days, open) falls under
   * C3's key; the project's and the entity's have no contract: "-". */
  qf (f->db, "INSERT INTO reconciliation (legal_entity_id, period, scope_kind, scope_code,"
      " receivable, received, difference, status, created_at, updated_at) SELECT"
      " legal_entity_id, '2026-05', 'contract', 'C3', 0, 0, 0, 'open', '2026-06-04T10:00:00Z',"
      " '2026-06-04T10:00:00Z' FROM reconciliation WHERE scope_kind = 'project' RETURNING id");

  /* By format of the contract's largest unit: mall C1 + C2 (2 approvals, 13 days; B0..B5
   * 6 bills, −1 day), office C3 (B7, B8: 2 bills, 9 days; its reconciliation). */
  rows = tenure_kpi_turnaround (f->db, d ("2025-12-01"), d ("2026-06-15"), NULL,
                                TENURE_KPI_BY_FORMAT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  t = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (t->key, ==, "-");
  g_assert_cmpint (t->contracts, ==, 0);
  g_assert_cmpint (t->bills, ==, 0);
  g_assert_cmpint (t->reconciliations, ==, 2);
  g_assert_cmpint (t->reconciliation_days, ==, 8);
  g_assert_cmpint (t->closed, ==, 1);
  g_assert_cmpint (t->close_days, ==, 8);
  t = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (t->key, ==, "mall");
  g_assert_cmpint (t->contracts, ==, 2);
  g_assert_cmpint (t->approval_days, ==, 13);
  g_assert_cmpint (t->bills, ==, 6);
  g_assert_cmpint (t->issue_days, ==, -1);
  g_assert_cmpint (t->reconciliations, ==, 0);
  t = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (t->key, ==, "office");
  g_assert_cmpint (t->contracts, ==, 0);
  g_assert_cmpint (t->bills, ==, 2);
  g_assert_cmpint (t->issue_days, ==, 9);
  g_assert_cmpint (t->reconciliations, ==, 1);
  g_assert_cmpint (t->reconciliation_days, ==, 4);
  g_assert_cmpint (t->closed, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* By price band on 06-15 (see test_revenue_sliced): C2 "mall Q2" (3 days; B0, B4, B5:
   * +2), C1 "mall Q4" (10 days; B1, B2, B3: −3), C3 "office Q1". */
  rows = tenure_kpi_turnaround (f->db, d ("2025-12-01"), d ("2026-06-15"), NULL,
                                TENURE_KPI_BY_PRICE_BAND, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  t = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (t->key, ==, "mall Q2");
  g_assert_cmpint (t->contracts, ==, 1);
  g_assert_cmpint (t->approval_days, ==, 3);
  g_assert_cmpint (t->bills, ==, 3);
  g_assert_cmpint (t->issue_days, ==, 2);
  t = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (t->key, ==, "mall Q4");
  g_assert_cmpint (t->contracts, ==, 1);
  g_assert_cmpint (t->approval_days, ==, 10);
  g_assert_cmpint (t->bills, ==, 3);
  g_assert_cmpint (t->issue_days, ==, -3);
  t = g_ptr_array_index (rows, 3);
  g_assert_cmpstr (t->key, ==, "office Q1");
  g_assert_cmpint (t->bills, ==, 2);
  g_assert_cmpint (t->reconciliations, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Every slice counts every row once: Σ = the unsliced figures (3 reconciliations now). */
  for (TenureKpiSlice by = TENURE_KPI_BY_PROJECT; by <= TENURE_KPI_BY_PRICE_BAND; by++)
    {
      gint64 sum[8] = { 0 };

      rows = tenure_kpi_turnaround (f->db, d ("2025-12-01"), d ("2026-06-15"), NULL, by,
                                    &error);
      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        {
          t = g_ptr_array_index (rows, i);
          sum[0] += t->contracts;
          sum[1] += t->approval_days;
          sum[2] += t->bills;
          sum[3] += t->issue_days;
          sum[4] += t->reconciliations;
          sum[5] += t->reconciliation_days;
          sum[6] += t->closed;
          sum[7] += t->close_days;
        }
      g_assert_cmpint (sum[0], ==, 2);
      g_assert_cmpint (sum[1], ==, 13);
      g_assert_cmpint (sum[2], ==, 8);
      g_assert_cmpint (sum[3], ==, 8);
      g_assert_cmpint (sum[4], ==, 3);
      g_assert_cmpint (sum[5], ==, 12);
      g_assert_cmpint (sum[6], ==, 1);
      g_assert_cmpint (sum[7], ==, 8);
      g_clear_pointer (&rows, g_ptr_array_unref);
    }
}

/* The ledger behind collection and the forecast agrees with tenure_open_items_load () (the one
 * definition of open amounts) on every date of the fixture's history. */
/* The open items read with their events (one set-based read of credit notes and allocations)
 * against the per-line SQL sums, field by field; SEEN collects which kinds of movement the
 * fixture exercised. */
static void
check_events_agree (TenureDb    *db,
                    TenureDate   day,
                    gboolean     include_settled,
                    GPtrArray   *dashboard_items,
                    guint       *seen)
{
  g_autoptr(GError) error = NULL;
  TenureOpenItemFilter filter = { .as_of = day, .currency = "CNY", .breakdown = TRUE,
                                  .include_settled = include_settled };
  g_autoptr(GPtrArray) plain = tenure_open_items_load (db, &filter, &error);
  g_autoptr(GPtrArray) evented = NULL;

  g_assert_no_error (error);
  filter.events = TRUE;
  evented = tenure_open_items_load (db, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (evented->len, ==, plain->len);
  if (dashboard_items != NULL)
    g_assert_cmpuint (dashboard_items->len, ==, plain->len);
  for (guint i = 0; i < plain->len; i++)
    {
      TenureOpenItem *a = g_ptr_array_index (plain, i);
      TenureOpenItem *b = g_ptr_array_index (evented, i);
      gint64 net = 0;

      g_assert_cmpint (b->bill_line_id, ==, a->bill_line_id);
      g_assert_cmpint (b->open, ==, a->open);
      g_assert_cmpint (b->credited, ==, a->credited);
      g_assert_cmpint (b->allocated, ==, a->allocated);
      g_assert_cmpint (b->offset, ==, a->offset);
      g_assert_cmpint (b->written_off, ==, a->written_off);
      g_assert_cmpstr (b->charge_item_code, ==, a->charge_item_code);
      g_assert_nonnull (b->events);
      for (guint k = 0; k < b->events->len; k++)
        {
          const TenureOpenItemEvent *e = &g_array_index (b->events, TenureOpenItemEvent, k);

          g_assert_cmpint (e->date, <=, day);
          net += e->amount;
          *seen |= 1u << e->kind;
        }
      /* credits are stored negative, everything else positive (reversals net out) */
      g_assert_cmpint (net, ==, -a->credited + a->allocated + a->offset + a->written_off);
      if (dashboard_items != NULL)
        {
          TenureOpenItem *c = g_ptr_array_index (dashboard_items, i);

          g_assert_cmpint (c->bill_line_id, ==, a->bill_line_id);
          g_assert_cmpint (c->open, ==, a->open);
          g_assert_cmpint (c->allocated, ==, a->allocated);
        }
    }
}

static void
test_open_amounts_agree (Fixture       *f,
                         gconstpointer  data)
{
  guint seen = 0;

  if (f->db == NULL)
    return;
  for (TenureDate day = d ("2026-02-25"); day <= d ("2026-07-05"); day += 1)
    {
      g_autoptr(GError) error = NULL;
      TenureOpenItemFilter filter = { .as_of = day, .currency = "CNY" };
      g_autoptr(GPtrArray) items = tenure_open_items_load (f->db, &filter, &error);
      g_autoptr(GPtrArray) aging = NULL;
      g_autoptr(GPtrArray) flow = NULL;
      gint64 open = 0, open_in_month = 0;
      TenureDate first = day - tenure_date_get_day (day) + 1;

      g_assert_no_error (error);
      for (guint i = 0; i < items->len; i++)
        {
          TenureOpenItem *item = g_ptr_array_index (items, i);

          open += item->open;
          if (item->due_date >= first
              && item->due_date <= first + tenure_date_get_days_in_month (day) - 1)
            open_in_month += item->open;
        }
      aging = tenure_kpi_aging (f->db, day, NULL, NULL, TENURE_KPI_BY_NONE, &error);
      g_assert_no_error (error);
      g_assert_cmpint (((TenureKpiAging *) g_ptr_array_index (aging, 0))->total, ==, open);
      /* The dashboard computes aging from its own load of the receivables: bucket by bucket
       * the same as the collections layer's. */
      {
        TenureKpiDashboard dash = { 0 };
        TenureKpiAging *a = g_ptr_array_index (aging, 0);

        g_assert_true (tenure_kpi_dashboard (f->db, NULL, day, NULL, &dash, &error));
        g_assert_no_error (error);
        for (guint b = 0; b < TENURE_KPI_AGING_BUCKETS; b++)
          {
            g_assert_cmpint (dash.aging.open[b], ==, a->open[b]);
            g_assert_cmpint (dash.aging.items[b], ==, a->items[b]);
          }
        g_assert_cmpint (dash.aging.total, ==, open);
        check_events_agree (f->db, day, TRUE, dash.open_items, &seen);
        check_events_agree (f->db, day, FALSE, NULL, &seen);
        tenure_kpi_dashboard_clear (&dash);
      }
      /* The forecast's first month counts billed lines at their open amount plus planned
       * lines (none of which are due before July). */
      flow = tenure_kpi_cash_flow (f->db, day, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      if (tenure_date_get_month (day) < 7)
        g_assert_cmpint (((TenureKpiCashFlow *) g_ptr_array_index (flow, 0))->contractual, ==,
                         open_in_month);
    }
  /* The fixture's history has credit notes, allocations (and a reversal) and a write-off, so
   * the comparison above is not empty; it has no deposit offset. */
  g_assert_cmphex (seen, ==, (1u << TENURE_OPEN_ITEM_CREDIT) | (1u << TENURE_OPEN_ITEM_ALLOCATION)
                             | (1u << TENURE_OPEN_ITEM_WRITE_OFF));
}

/* Two dashboards of the same data: every figure equal. */
static void
assert_dashboards_equal (const TenureKpiDashboard *a,
                         const TenureKpiDashboard *b)
{
  g_assert_cmpstr (a->project_name, ==, b->project_name);
  g_assert_cmpint (a->units, ==, b->units);
  g_assert_cmpint (a->leased_units, ==, b->leased_units);
  g_assert_cmpint (a->leasable_area_c, ==, b->leasable_area_c);
  g_assert_cmpint (a->leased_area_c, ==, b->leased_area_c);
  g_assert_cmpint (a->monthly_rent, ==, b->monthly_rent);
  g_assert_cmpint (a->revenue_total, ==, b->revenue_total);
  g_assert_cmpuint (a->revenue->len, ==, b->revenue->len);
  for (guint i = 0; i < a->revenue->len; i++)
    {
      TenureKpiRevenue *x = g_ptr_array_index (a->revenue, i);
      TenureKpiRevenue *y = g_ptr_array_index (b->revenue, i);

      g_assert_cmpstr (x->key, ==, y->key);
      g_assert_cmpint (x->billed, ==, y->billed);
      g_assert_cmpint (x->tax, ==, y->tax);
    }
  g_assert_cmpuint (a->collection_series->len, ==, b->collection_series->len);
  for (guint i = 0; i < a->collection_series->len; i++)
    {
      TenureKpiCollection *x = g_ptr_array_index (a->collection_series, i);
      TenureKpiCollection *y = g_ptr_array_index (b->collection_series, i);

      assert_collection (y, x->key, x->due, x->received, x->arrears_open,
                         x->arrears_recovered);
    }
  g_assert_cmpmem (&a->aging.open, sizeof a->aging.open, &b->aging.open, sizeof b->aging.open);
  g_assert_cmpmem (&a->aging.items, sizeof a->aging.items, &b->aging.items,
                   sizeof b->aging.items);
  g_assert_cmpmem (a->expiry.area_c, sizeof a->expiry.area_c, b->expiry.area_c,
                   sizeof b->expiry.area_c);
  g_assert_cmpmem (a->expiry.rent, sizeof a->expiry.rent, b->expiry.rent, sizeof b->expiry.rent);
  g_assert_cmpint (a->vacant_unit_days, ==, b->vacant_unit_days);
  g_assert_cmpint (a->vacancy_loss, ==, b->vacancy_loss);
  g_assert_cmpint (a->rent_free_loss, ==, b->rent_free_loss);
  g_assert_cmpint (a->renewal_ppm, ==, b->renewal_ppm);
  for (guint k = 0; k < TENURE_KPI_FORECAST_MONTHS; k++)
    {
      g_assert_cmpstr (a->cash_flow[k].key, ==, b->cash_flow[k].key);
      g_assert_cmpint (a->cash_flow[k].contractual, ==, b->cash_flow[k].contractual);
      g_assert_cmpint (a->cash_flow[k].expected, ==, b->cash_flow[k].expected);
      g_assert_cmpint (a->cash_flow[k].renewal, ==, b->cash_flow[k].renewal);
      g_assert_cmpint (a->cash_flow[k].renewal_expected, ==, b->cash_flow[k].renewal_expected);
    }
  g_assert_cmpint (a->wale_by_rent_centi, ==, b->wale_by_rent_centi);
  g_assert_cmpint (a->wale_by_area_centi, ==, b->wale_by_area_centi);
  g_assert_cmpuint (a->open_items->len, ==, b->open_items->len);
  g_assert_cmpuint (a->rent_roll != NULL ? a->rent_roll->len : 0, ==,
                    b->rent_roll != NULL ? b->rent_roll->len : 0);
}

/* With a second connection the units are read on it in a thread of their own: the same
 * figures as on one connection (checked by hand above), for a project and for the group with
 * a renewal probability; an unknown project fails the same way, with nothing left behind. */
static void
test_dashboard_parallel (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) second = NULL;
  TenureKpiDashboardOptions options;
  const char *scopes[] = { "P1", NULL };

  if (f->db == NULL)
    return;
  second = tenure_db_open (f->location, TENURE_DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (scopes); i++)
    {
      TenureKpiDashboard one = { 0 }, two = { 0 };

      tenure_kpi_dashboard_options_init (&options);
      options.with_rent_roll = TRUE;
      options.forecast.renewal_ppm = scopes[i] == NULL ? 500000 : -1;
      g_assert_true (tenure_kpi_dashboard (f->db, scopes[i], d ("2026-06-15"), &options, &one,
                                           &error));
      g_assert_no_error (error);
      options.parallel_db = second;
      g_assert_true (tenure_kpi_dashboard (f->db, scopes[i], d ("2026-06-15"), &options, &two,
                                           &error));
      g_assert_no_error (error);
      g_assert_cmpint (one.units, >, 0);
      g_assert_cmpint (one.revenue_total, >, 0);
      assert_dashboards_equal (&one, &two);
      tenure_kpi_dashboard_clear (&one);
      tenure_kpi_dashboard_clear (&two);
    }
  {
    TenureKpiDashboard none = { 0 };

    g_assert_false (tenure_kpi_dashboard (f->db, "NOPE", d ("2026-06-15"), &options, &none,
                                          &error));
    g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
    g_assert_null (none.revenue);
  }
}

static void
test_dashboard (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) group = NULL;
  TenureKpiDashboard dash = { 0 };
  TenureKpiDashboardOptions options;
  TenureKpiProjectRow *p;

  if (f->db == NULL)
    return;
  tenure_kpi_dashboard_options_init (&options);
  options.with_rent_roll = TRUE;
  g_assert_true (tenure_kpi_dashboard (f->db, "P1", d ("2026-06-15"), &options, &dash, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dash.project_name, ==, "Mall");
  /* WALE and the rent roll come from the dashboard's own snapshot of the units: the same as
   * the stand-alone calls. */
  {
    g_autoptr(GPtrArray) wale = tenure_kpi_wale (f->db, d ("2026-06-15"), "P1",
                                                 TENURE_KPI_BY_NONE, &error);
    g_autoptr(GPtrArray) roll = tenure_kpi_rent_roll (f->db, d ("2026-06-15"), "P1", &error);
    TenureKpiWale *w;

    g_assert_no_error (error);
    w = g_ptr_array_index (wale, 0);
    g_assert_cmpint (dash.wale_by_rent_centi, ==, w->by_rent_centi);
    g_assert_cmpint (dash.wale_by_area_centi, ==, w->by_area_centi);
    g_assert_cmpint (w->by_rent_centi, >, 0);
    g_assert_nonnull (dash.rent_roll);
    g_assert_cmpuint (dash.rent_roll->len, ==, roll->len);
    g_assert_cmpuint (roll->len, >, 0);
    for (guint i = 0; i < roll->len; i++)
      {
        TenureRentRollRow *a = g_ptr_array_index (roll, i);
        TenureRentRollRow *b = g_ptr_array_index (dash.rent_roll, i);

        g_assert_cmpstr (b->unit_code, ==, a->unit_code);
        g_assert_cmpint (b->leased, ==, a->leased);
        g_assert_cmpstr (b->contract_code, ==, a->contract_code);
        g_assert_cmpint (b->leased_area_c, ==, a->leased_area_c);
        g_assert_cmpint (b->deposit_held, ==, a->deposit_held);
        g_assert_cmpuint (b->charges->len, ==, a->charges->len);
        for (guint c = 0; c < a->charges->len; c++)
          g_assert_cmpint (((TenureRentRollCharge *) g_ptr_array_index (b->charges, c))->monthly,
                           ==,
                           ((TenureRentRollCharge *) g_ptr_array_index (a->charges, c))->monthly);
      }
  }
  g_assert_cmpstr (dash.currency, ==, "CNY");
  /* U1, U2, U4 all leased: 3 units, 400 m²; rent 1,000,000 + 2,000,000 a month. */
  g_assert_cmpint (dash.units, ==, 3);
  g_assert_cmpint (dash.leased_units, ==, 3);
  g_assert_cmpint (dash.leasable_area_c, ==, 40000);
  g_assert_cmpint (dash.leased_area_c, ==, 40000);
  g_assert_cmpint (dash.monthly_rent, ==, 3000000);
  /* Revenue 2025-07..2026-06 of P1: rent 9,500,000 − B7 3,000,000; fee 50,000. */
  g_assert_true (dash.revenue_from == d ("2025-07-01"));
  g_assert_true (dash.revenue_to == d ("2026-06-30"));
  g_assert_cmpuint (dash.revenue->len, ==, 2);
  g_assert_cmpint (dash.revenue_total, ==, 6550000);
  assert_collection (&dash.collection, "2026-06", 3050000, 1000000, 2600000, 900000);
  g_assert_cmpuint (dash.collection_series->len, ==, 12);
  assert_collection (g_ptr_array_index (dash.collection_series, 10), "2026-05", 1000000, 700000,
                     2000000, 0);
  g_assert_cmpint (dash.aging.total, ==, 3550000);
  g_assert_cmpint (dash.aging.open[4], ==, 1200000);
  /* C2 (250 + 50 m², 2,000,000) ends in December: bucket 6. */
  g_assert_cmpint (dash.expiry.area_c[6], ==, 30000);
  g_assert_cmpint (dash.expiry.rent[6], ==, 2000000);
  g_assert_cmpint (dash.vacant_unit_days, ==, 0);
  g_assert_cmpint (dash.vacancy_loss, ==, 0);
  /* Renewal rate of the last 12 months: no lease reached expiry, so 0. */
  g_assert_cmpint (dash.renewal_ppm, ==, 0);
  g_assert_cmpint (dash.cash_flow[0].contractual, ==, 2050000);
  g_assert_cmpint (dash.cash_flow[0].expected, ==, 25000);
  g_assert_cmpint (dash.cash_flow[1].contractual, ==, 3000000);
  g_assert_cmpint (dash.cash_flow[11].renewal, ==, 0);
  tenure_kpi_dashboard_clear (&dash);

  /* The group with a 50 % renewal probability: June due 6,050,000; from January
   * 1,000,000 of renewals. */
  options.forecast.renewal_ppm = 500000;
  g_assert_true (tenure_kpi_dashboard (f->db, NULL, d ("2026-06-15"), &options, &dash, &error));
  g_assert_no_error (error);
  g_assert_null (dash.project_code);
  g_assert_cmpint (dash.units, ==, 4);
  g_assert_cmpint (dash.monthly_rent, ==, 6000000);
  g_assert_cmpint (dash.revenue_total, ==, 9550000);
  /* The dashboard sums revenue from its own load of the bills: row by row as
   * tenure_kpi_revenue (). */
  {
    g_autoptr(GPtrArray) revenue = tenure_kpi_revenue (f->db, dash.revenue_from, dash.revenue_to,
                                                       d ("2026-06-15"), NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (dash.revenue->len, ==, revenue->len);
    for (guint i = 0; i < revenue->len; i++)
      {
        TenureKpiRevenue *a = g_ptr_array_index (revenue, i);
        TenureKpiRevenue *b = g_ptr_array_index (dash.revenue, i);

        g_assert_cmpstr (a->key, ==, b->key);
        g_assert_cmpstr (a->charge_name, ==, b->charge_name);
        g_assert_cmpint (a->billed, ==, b->billed);
        g_assert_cmpint (a->tax, ==, b->tax);
      }
    g_assert_cmpstr (((TenureKpiRevenue *) g_ptr_array_index (revenue, 1))->key, ==, "RENT");
    g_assert_cmpint (((TenureKpiRevenue *) g_ptr_array_index (revenue, 1))->billed, ==,
                     9500000);
  }
  assert_collection (&dash.collection, "2026-06", 6050000, 1000000, 5600000, 900000);
  g_assert_cmpint (dash.aging.total, ==, 9550000);
  g_assert_cmpint (dash.cash_flow[7].renewal, ==, 1000000);
  g_assert_cmpint (dash.cash_flow[7].renewal_expected, ==, 285714);
  tenure_kpi_dashboard_clear (&dash);

  g_assert_false (tenure_kpi_dashboard (f->db, "NOPE", d ("2026-06-15"), NULL, &dash, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_null (dash.revenue);
  g_clear_error (&error);

  group = tenure_kpi_group_comparison (f->db, d ("2026-06-15"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (group->len, ==, 2);
  p = g_ptr_array_index (group, 0);
  g_assert_cmpstr (p->project_code, ==, "P1");
  g_assert_cmpint (p->units, ==, 3);
  g_assert_cmpint (p->monthly_rent, ==, 3000000);
  g_assert_cmpint (p->revenue_12m, ==, 6550000);
  assert_collection (&p->collection, "P1", 3050000, 1000000, 2600000, 900000);
  g_assert_cmpint (p->open_total, ==, 3550000);
  g_assert_cmpint (p->overdue, ==, 3550000);
  g_assert_cmpint (p->expiring_12m_area_c, ==, 30000);
  g_assert_cmpint (p->wale_by_rent_centi, >, 0);
  p = g_ptr_array_index (group, 1);
  g_assert_cmpstr (p->project_code, ==, "P2");
  g_assert_cmpint (p->leasable_area_c, ==, 120000);
  g_assert_cmpint (p->revenue_12m, ==, 3000000);
  g_assert_cmpint (p->open_total, ==, 6000000);
  g_assert_cmpint (p->overdue, ==, 3000000);
  g_assert_cmpint (p->expiring_12m_area_c, ==, 0);
}

/* ---- Slices (tenure-kpi-slices.h) ---------------------------------------------------------- */

static void
assert_revenue_slice (GPtrArray  *rows,
                      guint       i,
                      const char *key,
                      gint64      billed)
{
  TenureKpiRevenueSlice *r = g_ptr_array_index (rows, i);

  g_assert_cmpstr (r->key, ==, key);
  g_assert_cmpint (r->billed, ==, billed);
}

static void
test_revenue_sliced (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  static const struct
  {
    TenureKpiSlice by;
    const char *keys[3];
    gint64 billed[3];
  } cases[] = {
    /* By contract, 2025-07-01..2026-06-30 as of 06-15 (deposits, B6 and B8 out):
     *   C1 B1 + B2 + B3 rent 1,000,000 each + fee 50,000 = 3,050,000 (tax 85,399)
     *   C2 B4 2,000,000 − credit 500,000 + B5 2,000,000 = 3,500,000
     *   C3 B7 3,000,000
     * Projects: P1 = C1 + C2, P2 = C3. Buildings and formats of the largest unit: C1 U1 and
     * C2 U2 in A (mall), C3 U3 in B (office). Area bands from the version's leased areas:
     * C1 100 m² "100-300", C2 300 m² "300-1000", C3 1,200 m² "1000-3000". Remaining term on
     * 2026-06-15, both ends counted: C1 to 2027-12-31 565 days "1-2", C2 to 2026-12-31 200
     * days "<1", C3 to 2028-12-31 931 days "2-3". */
    { TENURE_KPI_BY_NONE, { "" }, { 9550000 } },
    { TENURE_KPI_BY_PROJECT, { "P1", "P2" }, { 6550000, 3000000 } },
    { TENURE_KPI_BY_BUILDING, { "A", "B" }, { 6550000, 3000000 } },
    { TENURE_KPI_BY_FORMAT, { "mall", "office" }, { 6550000, 3000000 } },
    { TENURE_KPI_BY_AREA_BAND, { "100-300", "1000-3000", "300-1000" },
      { 3050000, 3000000, 3500000 } },
    { TENURE_KPI_BY_TERM, { "1-2", "2-3", "<1" }, { 3050000, 3000000, 3500000 } },
    /* Price bands on 06-15 (rent per m² within a format, quintile ⌊5i/n⌋ + 1): C2's 2,000,000
     * over U2 250 m² and U4 50 m² is 1,666,667 and 333,333; mall per m² U4 6,666.66 <
     * U2 6,666.668 < U1 10,000 → Q1, Q2, Q4; office U3 alone → Q1. Each contract takes its
     * largest unit's band: C1 U1 "mall Q4", C2 U2 "mall Q2", C3 U3 "office Q1". */
    { TENURE_KPI_BY_PRICE_BAND, { "mall Q2", "mall Q4", "office Q1" },
      { 3500000, 3050000, 3000000 } },
  };
  static const gint64 p1[] = { 1500000, 1000000, 1000000, 3050000 };
  static const gint64 p2[] = { 0, 0, 0, 3000000 };

  if (f->db == NULL)
    return;
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gint64 sum = 0;
      guint n = 0;

      while (n < 3 && cases[c].keys[n] != NULL)
        n++;
      rows = tenure_kpi_revenue_sliced (f->db, d ("2025-07-01"), d ("2026-06-30"),
                                        d ("2026-06-15"), NULL, NULL, cases[c].by, FALSE,
                                        &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, n);
      for (guint i = 0; i < n; i++)
        {
          assert_revenue_slice (rows, i, cases[c].keys[i], cases[c].billed[i]);
          sum += ((TenureKpiRevenueSlice *) g_ptr_array_index (rows, i))->billed;
        }
      /* Σ over the slices is the unsliced total, which is tenure_kpi_revenue ()'s. */
      g_assert_cmpint (sum, ==, 9550000);
      g_clear_pointer (&rows, g_ptr_array_unref);
    }
  rows = tenure_kpi_revenue_sliced (f->db, d ("2025-07-01"), d ("2026-06-30"), d ("2026-06-15"),
                                    NULL, NULL, TENURE_KPI_BY_PROJECT, FALSE, &error);
  g_assert_cmpint (((TenureKpiRevenueSlice *) g_ptr_array_index (rows, 0))->tax, ==, 85399);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Series by project, March..June: P1 March B4 − CN4, April B1, May B2, June B3 + B5; P2 only
   * June (B7), the other months present with 0. */
  rows = tenure_kpi_revenue_sliced (f->db, d ("2026-03-10"), d ("2026-06-30"), d ("2026-06-15"),
                                    NULL, NULL, TENURE_KPI_BY_PROJECT, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      TenureKpiRevenueSlice *r = g_ptr_array_index (rows, i);

      g_assert_cmpstr (r->key, ==, i < 4 ? "P1" : "P2");
      g_assert_cmpint (r->month, ==, tenure_date_add_months (d ("2026-03-01"), (int) (i % 4)));
      g_assert_cmpint (r->billed, ==, i < 4 ? p1[i] : p2[i - 4]);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Each contract's key, as the slices use it (area bands as above). */
  {
    g_autoptr(GHashTable) keys = tenure_kpi_contract_slice_keys (f->db, d ("2026-06-15"), NULL,
                                                                 TENURE_KPI_BY_AREA_BAND,
                                                                 &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_hash_table_size (keys), ==, 3);
    g_assert_cmpstr (g_hash_table_lookup (keys, "C1"), ==, "100-300");
    g_assert_cmpstr (g_hash_table_lookup (keys, "C2"), ==, "300-1000");
    g_assert_cmpstr (g_hash_table_lookup (keys, "C3"), ==, "1000-3000");
  }

  /* One project: P2 alone. */
  rows = tenure_kpi_revenue_sliced (f->db, d ("2025-07-01"), d ("2026-06-30"), d ("2026-06-15"),
                                    "P2", NULL, TENURE_KPI_BY_BUILDING, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_revenue_slice (rows, 0, "B", 3000000);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The bands are those of the scope's units: P1 alone has the same mall units. */
  rows = tenure_kpi_revenue_sliced (f->db, d ("2025-07-01"), d ("2026-06-30"), d ("2026-06-15"),
                                    "P1", NULL, TENURE_KPI_BY_PRICE_BAND, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  assert_revenue_slice (rows, 0, "mall Q2", 3500000);
  assert_revenue_slice (rows, 1, "mall Q4", 3050000);
  g_clear_pointer (&rows, g_ptr_array_unref);
  {
    g_autoptr(GHashTable) keys = tenure_kpi_contract_slice_keys (f->db, d ("2026-06-15"), NULL,
                                                                 TENURE_KPI_BY_PRICE_BAND,
                                                                 &error);

    g_assert_no_error (error);
    g_assert_cmpstr (g_hash_table_lookup (keys, "C1"), ==, "mall Q4");
    g_assert_cmpstr (g_hash_table_lookup (keys, "C2"), ==, "mall Q2");
    g_assert_cmpstr (g_hash_table_lookup (keys, "C3"), ==, "office Q1");
  }
}

static void
test_collection_sliced (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) series = NULL;

  if (f->db == NULL)
    return;
  /* June as of 06-15 by remaining term (see test_collection and test_revenue_sliced): C1
   * "1-2" due 1,050,000, received 1,000,000, arrears 600,000, recovered 300,000; C3 "2-3"
   * 3,000,000, 0, 3,000,000 (B6), 0; C2 "<1" 2,000,000, 0, arrears B4 1,500,000 + B0 500,000
   * = 2,000,000, recovered 600,000. */
  rows = tenure_kpi_collection_sliced (f->db, d ("2026-06-10"), d ("2026-06-10"),
                                       d ("2026-06-15"), NULL, NULL, TENURE_KPI_BY_TERM, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  assert_collection (g_ptr_array_index (rows, 0), "1-2", 1050000, 1000000, 600000, 300000);
  assert_collection (g_ptr_array_index (rows, 1), "2-3", 3000000, 0, 3000000, 0);
  assert_collection (g_ptr_array_index (rows, 2), "<1", 2000000, 0, 2000000, 600000);
  g_assert_cmpint (((TenureKpiCollection *) g_ptr_array_index (rows, 2))->month, ==,
                   d ("2026-06-01"));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The same by price band (see test_revenue_sliced): C2 "mall Q2", C1 "mall Q4", C3
   * "office Q1". */
  rows = tenure_kpi_collection_sliced (f->db, d ("2026-06-10"), d ("2026-06-10"),
                                       d ("2026-06-15"), NULL, NULL, TENURE_KPI_BY_PRICE_BAND,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  assert_collection (g_ptr_array_index (rows, 0), "mall Q2", 2000000, 0, 2000000, 600000);
  assert_collection (g_ptr_array_index (rows, 1), "mall Q4", 1050000, 1000000, 600000, 300000);
  assert_collection (g_ptr_array_index (rows, 2), "office Q1", 3000000, 0, 3000000, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A series by slice: every month's keys add up to the unsliced series (March..June). */
  series = tenure_kpi_collection_series (f->db, d ("2026-03-01"), d ("2026-06-01"),
                                         d ("2026-06-15"), NULL, NULL, &error);
  g_assert_no_error (error);
  for (TenureKpiSlice by = TENURE_KPI_BY_NONE; by <= TENURE_KPI_BY_PRICE_BAND; by++)
    {
      gint64 due[4] = { 0 }, received[4] = { 0 }, open[4] = { 0 }, recovered[4] = { 0 };

      rows = tenure_kpi_collection_sliced (f->db, d ("2026-03-01"), d ("2026-06-01"),
                                           d ("2026-06-15"), NULL, NULL, by, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        {
          TenureKpiCollection *c = g_ptr_array_index (rows, i);
          int m = tenure_date_get_month (c->month) - 3;

          g_assert_cmpint (m, >=, 0);
          g_assert_cmpint (m, <, 4);
          due[m] += c->due;
          received[m] += c->received;
          open[m] += c->arrears_open;
          recovered[m] += c->arrears_recovered;
        }
      for (guint m = 0; m < 4; m++)
        {
          TenureKpiCollection *c = g_ptr_array_index (series, m);

          g_assert_cmpint (due[m], ==, c->due);
          g_assert_cmpint (received[m], ==, c->received);
          g_assert_cmpint (open[m], ==, c->arrears_open);
          g_assert_cmpint (recovered[m], ==, c->arrears_recovered);
        }
      g_clear_pointer (&rows, g_ptr_array_unref);
    }
}

static void
test_cash_flow_sliced (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) total = NULL;
  g_autoptr(GPtrArray) expiry = NULL;
  TenureKpiForecastOptions options = { .renewal_ppm = 500000 };
  gint64 on_time = -1, billed = -1;
  gint64 v;

  if (f->db == NULL)
    return;
  /* A second contract of T1 (C1's tenant), C4 in P2 without units, with a plan line of
   * 333,333 in July. T1's July: 1,000,000 + 333,333 = 1,333,333 × 1/2 = 666,666.5 → 666,667,
   * shared by contractual amount: C1 500,000.375, C4 166,666.625: floors 500,000 + 166,666,
   * the fen left to the larger remainder (C4) → C1 500,000, C4 166,667. */
  v = qf (f->db, "INSERT INTO contract (code, tenant_id, project_id, status, start_date,"
          " end_date) SELECT 'C4', t.id, p.id, 'active', '2026-07-01', '2026-07-31'"
          " FROM tenant t, project p WHERE t.code = 'T-C1' AND p.code = 'P2' RETURNING id");
  v = qf (f->db, "INSERT INTO contract_version (contract_id, version_no, effective_from, status,"
          " approved_by, approved_at) VALUES (%" G_GINT64_FORMAT ", 1, '2026-07-01', 'approved',"
          " 'boss', '2026-06-01T00:00:00Z') RETURNING id", v);
  line (f->db, "C4", 0, "RENT", "normal", 0, "2026-07-01", "2026-07-31", "2026-07-01", 333333, 0,
        "CNY", NULL);

  /* By contract over the 12 months (see test_cash_flow): C1 June fee 50,000 (expected 25,000)
   * + 6 × 1,000,000 (500,000, July 500,000 as above) = 6,050,000 / 3,025,000; C2 2,000,000 +
   * 6 × 2,000,000 = 14,000,000, expected 0; C3 June and September 3,000,000 each, in full;
   * C4 333,333 / 166,667. P1 = C1 + C2, P2 = C3 + C4. */
  rows = tenure_kpi_cash_flow_sliced (f->db, d ("2026-06-15"), NULL, NULL,
                                      TENURE_KPI_BY_PROJECT, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  {
    TenureKpiCashFlowSlice *a = g_ptr_array_index (rows, 0), *b = g_ptr_array_index (rows, 1);

    g_assert_cmpstr (a->key, ==, "P1");
    g_assert_cmpint (a->contractual, ==, 20050000);
    g_assert_cmpint (a->expected, ==, 3025000);
    g_assert_cmpstr (b->key, ==, "P2");
    g_assert_cmpint (b->contractual, ==, 6333333);
    g_assert_cmpint (b->expected, ==, 6166667);
  }
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Term on 06-15: C1 "1-2", C3 "2-3", C2 "<1", C4 (to 07-31, 47 days) "<1". Building: C4
   * has no units, "-". */
  rows = tenure_kpi_cash_flow_sliced (f->db, d ("2026-06-15"), NULL, NULL, TENURE_KPI_BY_TERM,
                                      FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (((TenureKpiCashFlowSlice *) g_ptr_array_index (rows, 2))->key, ==, "<1");
  g_assert_cmpint (((TenureKpiCashFlowSlice *) g_ptr_array_index (rows, 2))->expected, ==,
                   166667);
  g_assert_cmpint (((TenureKpiCashFlowSlice *) g_ptr_array_index (rows, 0))->expected, ==,
                   3025000);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = tenure_kpi_cash_flow_sliced (f->db, d ("2026-06-15"), NULL, NULL,
                                      TENURE_KPI_BY_BUILDING, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (((TenureKpiCashFlowSlice *) g_ptr_array_index (rows, 0))->key, ==, "-");
  g_assert_cmpint (((TenureKpiCashFlowSlice *) g_ptr_array_index (rows, 0))->contractual, ==,
                   333333);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Series by building, and Σ over the slices of each month = the forecast's month, for every
   * slice. */
  total = tenure_kpi_cash_flow (f->db, d ("2026-06-15"), NULL, NULL, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((TenureKpiCashFlow *) g_ptr_array_index (total, 1))->expected, ==, 666667);
  for (TenureKpiSlice by = TENURE_KPI_BY_NONE; by <= TENURE_KPI_BY_PRICE_BAND; by++)
    {
      gint64 contractual[TENURE_KPI_FORECAST_MONTHS] = { 0 };
      gint64 expected[TENURE_KPI_FORECAST_MONTHS] = { 0 };

      rows = tenure_kpi_cash_flow_sliced (f->db, d ("2026-06-15"), NULL, NULL, by, TRUE,
                                          &error);
      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        {
          TenureKpiCashFlowSlice *r = g_ptr_array_index (rows, i);
          int k = (tenure_date_get_year (r->month) - 2026) * 12 + tenure_date_get_month (r->month)
                  - 6;

          g_assert_cmpint (k, >=, 0);
          g_assert_cmpint (k, <, TENURE_KPI_FORECAST_MONTHS);
          contractual[k] += r->contractual;
          expected[k] += r->expected;
        }
      for (guint k = 0; k < TENURE_KPI_FORECAST_MONTHS; k++)
        {
          TenureKpiCashFlow *c = g_ptr_array_index (total, k);

          g_assert_cmpint (contractual[k], ==, c->contractual);
          g_assert_cmpint (expected[k], ==, c->expected);
        }
      g_clear_pointer (&rows, g_ptr_array_unref);
    }

  /* The rows behind July: C1 1,000,000 / 500,000, C2 2,000,000 / 0, C4 333,333 / 166,667;
   * pooled share 1,000,000 / 3,500,000. */
  rows = tenure_kpi_cash_flow_items (f->db, d ("2026-06-15"), NULL, NULL, &on_time, &billed,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpint (on_time, ==, 1000000);
  g_assert_cmpint (billed, ==, 3500000);
  {
    static const char *codes[] = { "C1", "C2", "C3", "C1", "C2", "C4" };
    static const gint64 want_c[] = { 50000, 2000000, 3000000, 1000000, 2000000, 333333 };
    static const gint64 want_e[] = { 25000, 0, 3000000, 500000, 0, 166667 };

    g_assert_cmpuint (rows->len, >=, 6);
    for (guint i = 0; i < 6; i++)
      {
        TenureKpiCashFlowSlice *r = g_ptr_array_index (rows, i);

        g_assert_cmpstr (r->contract_code, ==, codes[i]);
        g_assert_cmpint (r->month, ==, i < 3 ? d ("2026-06-01") : d ("2026-07-01"));
        g_assert_cmpint (r->contractual, ==, want_c[i]);
        g_assert_cmpint (r->expected, ==, want_e[i]);
      }
    g_assert_cmpstr (((TenureKpiCashFlowSlice *) g_ptr_array_index (rows, 5))->tenant_name, ==,
                     "Tenant C1");
    g_assert_cmpstr (((TenureKpiCashFlowSlice *) g_ptr_array_index (rows, 5))->project_code, ==,
                     "P2");
  }
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Renewals of January 2027 (k = 7): C2's 2,000,000 ending in December (bucket 6) × 50 % ×
   * 2/7 = 285,714.29 → 285,714, the forecast's figure. */
  expiry = tenure_kpi_expiry (f->db, d ("2026-06-15"), NULL, TENURE_KPI_BY_NONE, &error);
  g_assert_no_error (error);
  {
    gint64 parts[TENURE_KPI_EXPIRY_MONTHS];
    gint64 sum = tenure_kpi_cash_flow_renewal_parts (g_ptr_array_index (expiry, 0), 500000,
                                                     on_time, billed, 7, parts);

    g_assert_cmpint (parts[6], ==, 285714);
    g_assert_cmpint (sum, ==, 285714);
    g_assert_cmpint (sum, ==,
                     ((TenureKpiCashFlow *) g_ptr_array_index (total, 7))->renewal_expected);
    g_assert_cmpint (tenure_kpi_cash_flow_renewal_parts (g_ptr_array_index (expiry, 0), 500000,
                                                         on_time, billed, 6, parts), ==, 0);
  }

  /* By price band: "-" C4 (no units) 333,333 / 166,667; "mall Q2" C2 14,000,000 / 0;
   * "mall Q4" C1 6,050,000 / 3,025,000; "office Q1" C3 6,000,000 / 6,000,000. */
  rows = tenure_kpi_cash_flow_sliced (f->db, d ("2026-06-15"), NULL, NULL,
                                      TENURE_KPI_BY_PRICE_BAND, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  {
    static const char *keys[] = { "-", "mall Q2", "mall Q4", "office Q1" };
    static const gint64 want_c[] = { 333333, 14000000, 6050000, 6000000 };
    static const gint64 want_e[] = { 166667, 0, 3025000, 6000000 };

    for (guint i = 0; i < 4; i++)
      {
        TenureKpiCashFlowSlice *r = g_ptr_array_index (rows, i);

        g_assert_cmpstr (r->key, ==, keys[i]);
        g_assert_cmpint (r->contractual, ==, want_c[i]);
        g_assert_cmpint (r->expected, ==, want_e[i]);
      }
  }
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/kpi/finance/collection", test_collection);
  ADD ("/kpi/finance/aging", test_aging);
  ADD ("/kpi/finance/revenue-unit-curve", test_revenue_and_unit_curve);
  ADD ("/kpi/finance/cash-flow", test_cash_flow);
  ADD ("/kpi/finance/turnaround", test_turnaround);
  ADD ("/kpi/finance/open-amounts-agree", test_open_amounts_agree);
  ADD ("/kpi/finance/dashboard", test_dashboard);
  ADD ("/kpi/finance/dashboard-parallel", test_dashboard_parallel);
  ADD ("/kpi/finance/revenue-sliced", test_revenue_sliced);
  ADD ("/kpi/finance/cash-flow-sliced", test_cash_flow_sliced);
  ADD ("/kpi/finance/collection-sliced", test_collection_sliced);
#undef ADD
  return g_test_run ();
}
