/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "recon-cli-setup"

/* The helper of test-cli-recon.sh, so the test needs no demo:
 *   recon-cli-setup PATH
 *     creates the SQLite database PATH with the current schema and the assets (legal entity
 *     LE, project P1 with units U1 and U2, tenants T1 and T2);
 *   recon-cli-setup PATH pay TENANT CONTRACT DUE AMOUNT DATE
 *     records a cash receipt of AMOUNT (minor units) from TENANT posted on DATE and
 *     allocates it to the bill line of CONTRACT due on DUE, through the receipt API.
 * Exit status 1 on failure. */

#include <stdio.h>
#include <stdlib.h>

#include "collections/tenure-receipt.h"
#include "store/tenure-db.h"

static gboolean
pay (TenureDb  *db,
     char     **argv,
     GError   **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  TenureReceiptInput in = { 0 };
  TenureAllocationRequest request = { 0 };
  TenureDate posted;
  gint64 receipt;

  if (!tenure_date_parse_iso (argv[7], &posted, error))
    return FALSE;
  stmt = tenure_db_prepare (db,
                            "SELECT bl.id FROM bill_line bl JOIN bill b ON b.id = bl.bill_id "
                            "JOIN contract c ON c.id = b.contract_id "
                            "WHERE c.code = $1 AND bl.due_date = $2 AND bl.amount > 0",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, argv[4]);
  tenure_stmt_bind_text (stmt, 2, argv[5]);
  if (!tenure_stmt_step_int64 (stmt, &request.bill_line_id, error))
    return FALSE;
  request.amount = g_ascii_strtoll (argv[6], NULL, 10);
  in.tenant_code = argv[3];
  in.method = TENURE_RECEIPT_CASH;
  in.received_on = posted;
  in.posting_date = posted;
  in.amount = request.amount;
  in.legal_entity_code = "LE";
  receipt = tenure_receipt_add (db, &in, error);
  return receipt > 0
         && tenure_receipt_allocate (db, receipt, &request, 1, NULL, posted, NULL, error);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;

  if (argc != 2 && !(argc == 8 && g_str_equal (argv[2], "pay")))
    {
      fprintf (stderr, "usage: recon-cli-setup PATH [pay TENANT CONTRACT DUE AMOUNT DATE]\n");
      return 2;
    }
  db = tenure_db_open (argv[1], argc == 2 ? TENURE_DB_OPEN_CREATE : TENURE_DB_OPEN_DEFAULT,
                       &error);
  if (db == NULL)
    goto fail;
  if (argc == 8)
    {
      if (!pay (db, argv, &error))
        goto fail;
      return 0;
    }
  if (!tenure_db_exec (db,
                       "INSERT INTO legal_entity (code, name) VALUES ('LE', 'Entity');"
                       "INSERT INTO project (code, legal_entity_id, name, format) "
                       "SELECT 'P1', id, 'Mall', 'mall' FROM legal_entity;"
                       "INSERT INTO building (code, project_id, name) "
                       "SELECT 'B1', id, 'B1' FROM project;"
                       "INSERT INTO floor (code, building_id, name) "
                       "SELECT 'F1', id, '1F' FROM building;"
                       "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, "
                       "  leasable_area_c) SELECT 'U1', id, 'U1', 'mall', 10000, 10000 "
                       "FROM floor;"
                       "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, "
                       "  leasable_area_c) SELECT 'U2', id, 'U2', 'mall', 10000, 10000 "
                       "FROM floor;"
                       "INSERT INTO tenant (code, name) VALUES ('T1', 'Tenant one');"
                       "INSERT INTO tenant (code, name) VALUES ('T2', 'Tenant two');",
                       &error))
    goto fail;
  return 0;

fail:
  fprintf (stderr, "recon-cli-setup: %s\n", error->message);
  return 1;
}
