/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The fixture shared by test-aging.c, test-reconcile.c and test-dunning.c: one legal entity
 * LE with projects P1 (mall) and P2 (office), units U1–U4, tenants T1–T4; contracts saved
 * through the contract store, their plans stored and billed month by month (each bill posted
 * on the first day of its month), receipts and allocations through the receipt API. */

#include <string.h>

#include "base/tenure-error.h"
#include "billing/tenure-bill-run.h"
#include "billing/tenure-plan-store.h"
#include "collections/tenure-receipt.h"
#include "contracts/tenure-contract-store.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

#define D(y, m, d) tenure_date_from_ymd (y, m, d)

static TenureTestBackend backend;

typedef struct
{
  char     *location;
  TenureDb *db;
} Fixture;

static void G_GNUC_UNUSED
exec_sql (TenureDb   *db,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!tenure_db_exec (db, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

static gint64 G_GNUC_UNUSED
query_int (TenureDb   *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 0;

  if (!tenure_db_query_int64 (db, sql, &value, &error))
    g_error ("%s: %s", sql, error->message);
  return value;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->location = tenure_test_db_new_location (backend);
  if (f->location == NULL)
    return;
  f->db = tenure_db_open (f->location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  exec_sql (f->db,
            "INSERT INTO legal_entity (code, name) VALUES ('LE', 'Entity');"
            "INSERT INTO project (code, legal_entity_id, name, format) "
            "SELECT 'P1', id, 'Mall', 'mall' FROM legal_entity;"
            "INSERT INTO project (code, legal_entity_id, name, format) "
            "SELECT 'P2', id, 'Tower', 'office' FROM legal_entity;"
            "INSERT INTO building (code, project_id, name) SELECT 'B1', id, 'B1' FROM project "
            "WHERE code = 'P1';"
            "INSERT INTO building (code, project_id, name) SELECT 'B2', id, 'B2' FROM project "
            "WHERE code = 'P2';"
            "INSERT INTO floor (code, building_id, name) SELECT 'F1', id, '1F' FROM building "
            "WHERE code = 'B1';"
            "INSERT INTO floor (code, building_id, name) SELECT 'F2', id, '1F' FROM building "
            "WHERE code = 'B2';"
            "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
            "SELECT 'U1', id, 'U1', 'mall', 10000, 10000 FROM floor WHERE code = 'F1';"
            "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
            "SELECT 'U2', id, 'U2', 'mall', 10000, 10000 FROM floor WHERE code = 'F1';"
            "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
            "SELECT 'U3', id, 'U3', 'office', 20000, 20000 FROM floor WHERE code = 'F2';"
            "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) "
            "SELECT 'U4', id, 'U4', 'office', 20000, 20000 FROM floor WHERE code = 'F2';"
            "INSERT INTO tenant (code, name) VALUES ('T1', 'Tenant one');"
            "INSERT INTO tenant (code, name) VALUES ('T2', 'Tenant two');"
            "INSERT INTO tenant (code, name) VALUES ('T3', 'Tenant three');"
            "INSERT INTO tenant (code, name) VALUES ('T4', 'Tenant four');");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  if (f->location != NULL)
    tenure_test_db_drop_location (backend, f->location);
  g_clear_pointer (&f->location, g_free);
}

/* A contract with one clause per @charges entry ("RENT", "PROPERTY_FEE", …): a fixed
 * monthly amount (calendar months, due on the 1st) or, with @one_off_on valid, one amount
 * due that day. Its plan is stored. */
static void G_GNUC_UNUSED
save_contract (Fixture    *f,
               const char *code,
               const char *tenant,
               const char *project,
               const char *unit,
               const char *currency,
               TenureDate  start,
               TenureDate  end,
               const char *charge,
               gint64      amount,
               TenureDate  one_off_on)
{
  g_autoptr(TenureContract) contract = tenure_contract_new ();
  TenureContractVersion *version = tenure_contract_version_new ();
  TenureClause *clause = tenure_clause_new (charge, tenure_date_is_valid (one_off_on)
                                                    ? TENURE_BASIS_ONE_OFF
                                                    : TENURE_BASIS_FIXED_MONTH);
  g_autoptr(GError) error = NULL;

  contract->code = g_strdup (code);
  contract->tenant_code = g_strdup (tenant);
  contract->project_code = g_strdup (project);
  if (currency != NULL)
    {
      g_free (contract->currency);
      contract->currency = g_strdup (currency);
    }
  contract->status = TENURE_CONTRACT_ACTIVE;
  contract->signed_on = start;
  contract->start_date = start;
  contract->end_date = end;
  version->version_no = 1;
  version->effective_from = start;
  version->status = TENURE_VERSION_APPROVED;
  g_ptr_array_add (version->units, tenure_contract_unit_new (unit, 10000));
  clause->amount = amount;
  clause->alignment = TENURE_ALIGN_CALENDAR;
  if (tenure_date_is_valid (one_off_on))
    {
      clause->starts_on = one_off_on;
      clause->ends_on = one_off_on;
    }
  g_ptr_array_add (version->clauses, clause);
  g_ptr_array_add (contract->versions, version);
  if (!tenure_contract_store_save (f->db, contract, &error))
    g_error ("saving %s: %s", code, error->message);
  if (!tenure_plan_store_regenerate (f->db, code, NULL, &error))
    g_error ("plan of %s: %s", code, error->message);
}

/* Posts the bill run of @year-@month, dated its first day. */
static void G_GNUC_UNUSED
bill_month (Fixture *f,
            int      year,
            int      month)
{
  TenureBillRunOptions options;
  g_autoptr(TenureBillRunResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tenure_bill_run_options_init (&options, year, month);
  options.posting_date = D (year, month, 1);
  result = tenure_bill_run_post (f->db, &options, NULL, &error);
  if (result == NULL)
    g_error ("bill run %04d-%02d: %s", year, month, error->message);
}

/* The bill line of contract @code due on @due (exactly one). */
static gint64 G_GNUC_UNUSED
line_id (Fixture    *f,
         const char *code,
         TenureDate  due)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *day = tenure_date_format_iso (due);
  gint64 id = 0;

  stmt = tenure_db_prepare (f->db,
                            "SELECT bl.id FROM bill_line bl JOIN bill b ON b.id = bl.bill_id "
                            "JOIN contract c ON c.id = b.contract_id "
                            "WHERE c.code = $1 AND bl.due_date = $2 AND bl.amount > 0",
                            &error);
  g_assert_no_error (error);
  tenure_stmt_bind_text (stmt, 1, code);
  tenure_stmt_bind_text (stmt, 2, day);
  if (!tenure_stmt_step_int64 (stmt, &id, &error))
    g_error ("no bill line of %s due %s: %s", code, day, error->message);
  return id;
}

/* A cash receipt of @amount from @tenant posted on @posted, allocated on @line (when not 0)
 * for @allocated on the same day. Returns the receipt id. */
static gint64 G_GNUC_UNUSED
pay (Fixture    *f,
     const char *tenant,
     const char *currency,
     gint64      amount,
     TenureDate  posted,
     gint64      line,
     gint64      allocated)
{
  TenureReceiptInput in = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 receipt;

  in.tenant_code = tenant;
  in.method = TENURE_RECEIPT_CASH;
  in.received_on = posted;
  in.posting_date = posted;
  in.amount = amount;
  in.currency = currency;
  in.legal_entity_code = "LE";
  receipt = tenure_receipt_add (f->db, &in, &error);
  g_assert_no_error (error);
  g_assert_cmpint (receipt, >, 0);
  if (line != 0)
    {
      TenureAllocationRequest request = { line, allocated };

      g_assert_true (tenure_receipt_allocate (f->db, receipt, &request, 1, NULL, posted, NULL,
                                              &error));
      g_assert_no_error (error);
    }
  return receipt;
}
