/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test-schema"

/* The schema, its migrations and the audit log, on both backends: run as schema-sqlite
 * (--backend=sqlite) and schema-pg (--backend=pg, inside with-postgres.sh). */

#include "store/tenure-audit.h"
#include "store/tenure-db-private.h"
#include "store/tenure-migrations.h"

#include "base/tenure-error.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <string.h>
#include <unistd.h>

static TenureTestBackend backend;
static const char *self_exe;

/* Every table of the latest schema. */
static const char *const all_tables[] = {
  "schema_migrations", "audit_log", "legal_entity", "project", "building", "floor", "unit",
  "unit_note", "tenant", "charge_item", "vat_rate", "contract", "contract_version",
  "contract_unit", "clause", "rent_free", "turnover_report", "cpi_index", "bill_run", "bill",
  "receivable_line", "bill_line", "bank_account", "bank_statement", "bank_statement_line",
  "receipt", "allocation", "deposit_entry", "late_fee_waiver", "meter", "meter_reading",
  "accounting_period", "app_user", "role", "user_role", "setting", "import_profile",
  "receipt_attachment", "payer_alias", "bank_match", "bank_match_item", "reconciliation",
  "reconciliation_difference", "dunning_level", "dunning_run", "dunning_action",
  "accounting_period_event",
};

/* ---- helpers ------------------------------------------------------------------------------ */

typedef struct
{
  char     *location;
  TenureDb *db;
} Fixture;

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
  g_assert_nonnull (f->db);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  tenure_test_db_drop_location (backend, f->location);
  g_clear_pointer (&f->location, g_free);
}

static gint64
query_int (TenureDb   *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = G_MININT64;

  tenure_db_query_int64 (db, sql, &value, &error);
  g_assert_no_error (error);
  return value;
}

/* The first column of the first row as text (a copy), NULL for SQL NULL. */
static char *
query_text (TenureDb   *db,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, &error);
  gboolean row;

  g_assert_no_error (error);
  row = tenure_stmt_step (stmt, &error);
  g_assert_no_error (error);
  g_assert_true (row);
  return g_strdup (tenure_stmt_column_text (stmt, 0));
}

/* The first column of every row, one a line. */
static char *
query_column (TenureDb   *db,
              const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  while (tenure_stmt_step (stmt, &error))
    g_string_append_printf (out, "%s\n", tenure_stmt_column_text (stmt, 0));
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
exec_ok (TenureDb   *db,
         const char *sql)
{
  g_autoptr(GError) error = NULL;

  tenure_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

static gboolean
table_exists (TenureDb   *db,
              const char *table)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  gboolean row;

  if (tenure_db_get_kind (db) == TENURE_DB_POSTGRESQL)
    stmt = tenure_db_prepare (db, "SELECT 1 FROM pg_tables WHERE schemaname = current_schema () "
                                  "AND tablename = $1", &error);
  else
    stmt = tenure_db_prepare (db, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                  "AND name = $1", &error);
  g_assert_no_error (error);
  tenure_stmt_bind_text (stmt, 1, table);
  row = tenure_stmt_step (stmt, &error);
  g_assert_no_error (error);
  return row;
}

/* legal entity → project → building → floor → unit; returns the unit's id. */
static gint64
insert_asset_chain (TenureDb *db)
{
  exec_ok (db, "INSERT INTO legal_entity (code, name, taxpayer_type, tax_id) VALUES "
               "('LE-01', '上海智汇资产管理有限公司', 'general', '91310000MA1FL0XX1X')");
  exec_ok (db, "INSERT INTO project (code, legal_entity_id, name, format, city, acquired_on, "
               "vat_method) SELECT 'SH-XH01', id, '星河汇购物中心', 'mall', '上海', "
               "'2015-06-30', 'simplified' FROM legal_entity WHERE code = 'LE-01'");
  exec_ok (db, "INSERT INTO building (code, project_id, name, sort_order) "
               "SELECT 'SH-XH01-A', id, 'A座', 1 FROM project WHERE code = 'SH-XH01'");
  exec_ok (db, "INSERT INTO floor (code, building_id, name, sort_order, plan_width, "
               "plan_height) SELECT 'SH-XH01-A-B1', id, 'B1', -1, 1000, 600 FROM building "
               "WHERE code = 'SH-XH01-A'");
  exec_ok (db, "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c, "
               "asking_price_e4, polygon) SELECT 'SH-XH01-A-B1-001', id, 'B1-001', 'mall', "
               "12050, 8550, 3200000, '[[0,0],[100,0],[100,80],[0,80]]' FROM floor "
               "WHERE code = 'SH-XH01-A-B1'");
  return query_int (db, "SELECT id FROM unit WHERE code = 'SH-XH01-A-B1-001'");
}

static void
assert_constraint (TenureDb   *db,
                   const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (tenure_db_exec (db, sql, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
}

/* sha256 of a file's bytes. */
static char *
file_checksum (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* Row counts of every table, through libpq (TenureDb refuses the database in these tests). */
static char *
pg_row_counts (const char *conninfo)
{
  PGconn *conn = PQconnectdb (conninfo);
  g_autoptr(GString) out = g_string_new (NULL);
  PGresult *tables;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  tables = PQexec (conn, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                         "ORDER BY tablename");
  g_assert_cmpint (PQresultStatus (tables), ==, PGRES_TUPLES_OK);
  for (int i = 0; i < PQntuples (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"",
                                              PQgetvalue (tables, i, 0));
      PGresult *count = PQexec (conn, sql);

      g_assert_cmpint (PQresultStatus (count), ==, PGRES_TUPLES_OK);
      g_string_append_printf (out, "%s=%s;", PQgetvalue (tables, i, 0), PQgetvalue (count, 0, 0));
      PQclear (count);
    }
  PQclear (tables);
  PQfinish (conn);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (json);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* ---- the schema --------------------------------------------------------------------------- */

static void
test_resources (void)
{
  int latest = tenure_migrations_latest_version ();

  g_assert_cmpint (latest, >=, 2);
  for (int v = 1; v <= tenure_migrations_latest_version (); v++)
    {
      g_autoptr(GBytes) lite = tenure_migrations_get_sql (TENURE_DB_SQLITE, v);
      g_autoptr(GBytes) pg = tenure_migrations_get_sql (TENURE_DB_POSTGRESQL, v);

      g_assert_nonnull (lite);
      g_assert_nonnull (pg);
      g_assert_cmpuint (g_bytes_get_size (lite), >, 100);
      g_assert_cmpuint (g_bytes_get_size (pg), >, 100);
    }
  g_assert_null (tenure_migrations_get_sql (TENURE_DB_SQLITE, 0));
  g_assert_null (tenure_migrations_get_sql (TENURE_DB_SQLITE, latest + 1));
  g_assert_null (tenure_migrations_get_sql (TENURE_DB_POSTGRESQL, latest + 1));
}

static void
test_apply_full (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *method = NULL;
  int version = -1;

  if (f->db == NULL)
    return;
  g_assert_cmpint (tenure_db_get_schema_version (f->db), ==, tenure_migrations_latest_version ());
  tenure_migrations_check (f->db, &version, &error);
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, tenure_migrations_latest_version ());
  for (gsize i = 0; i < G_N_ELEMENTS (all_tables); i++)
    {
      if (!table_exists (f->db, all_tables[i]))
        g_error ("table %s is missing", all_tables[i]);
    }
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM schema_migrations"), ==,
                   tenure_migrations_latest_version ());

  /* Builtin charge items, their accounts and the rates in force on 2026-06-01. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM charge_item WHERE is_builtin = 1 "
                                     "AND code IN ('RENT', 'PROPERTY_FEE', 'DEPOSIT', "
                                     "'PARKING', 'ADVERTISING', 'ENERGY')"), ==, 6);
#define RATE_ON(code, method, date) \
  "SELECT v.rate_ppm FROM vat_rate v JOIN charge_item c ON c.id = v.charge_item_id " \
  "WHERE c.code = '" code "' AND v.method = '" method "' AND v.effective_from <= '" date "' " \
  "ORDER BY v.effective_from DESC LIMIT 1"
  g_assert_cmpint (query_int (f->db, RATE_ON ("RENT", "general", "2026-06-01")), ==, 90000);
  g_assert_cmpint (query_int (f->db, RATE_ON ("RENT", "general", "2018-06-01")), ==, 100000);
  g_assert_cmpint (query_int (f->db, RATE_ON ("RENT", "simplified", "2026-06-01")), ==, 50000);
  g_assert_cmpint (query_int (f->db, RATE_ON ("PARKING", "general", "2026-06-01")), ==, 90000);
  g_assert_cmpint (query_int (f->db, RATE_ON ("ADVERTISING", "general", "2026-06-01")), ==,
                   90000);
  g_assert_cmpint (query_int (f->db, RATE_ON ("PROPERTY_FEE", "general", "2026-06-01")), ==,
                   60000);
  g_assert_cmpint (query_int (f->db, RATE_ON ("DEPOSIT", "general", "2026-06-01")), ==, 0);
#undef RATE_ON
  method = query_text (f->db, "SELECT account_code FROM charge_item WHERE code = 'DEPOSIT'");
  g_assert_cmpstr (method, ==, "2241");
  g_free (method);
  method = query_text (f->db, "SELECT account_code FROM charge_item WHERE code = 'RENT'");
  g_assert_cmpstr (method, ==, "6001");

  /* The builtin rows were audited like any write, and the chain holds. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE "
                                     "table_name = 'charge_item' AND action = 'insert'"), ==, 6);
  g_assert_true (tenure_audit_verify (f->db, NULL, &error));
  g_assert_no_error (error);
}

/* "table.column …" of the schema, in column order, for comparing the dialects. */
static char *
schema_columns (TenureDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (tenure_db_get_kind (db) == TENURE_DB_POSTGRESQL)
    stmt = tenure_db_prepare (db, "SELECT table_name::text, column_name::text "
                                  "FROM information_schema.columns "
                                  "WHERE table_schema = current_schema () "
                                  "ORDER BY table_name, ordinal_position", &error);
  else
    stmt = tenure_db_prepare (db, "SELECT m.name, c.name FROM sqlite_master m, "
                                  "pragma_table_info (m.name) c WHERE m.type = 'table' "
                                  "ORDER BY m.name, c.cid", &error);
  g_assert_no_error (error);
  while (tenure_stmt_step (stmt, &error))
    g_string_append_printf (out, "%s.%s\n", tenure_stmt_column_text (stmt, 0),
                            tenure_stmt_column_text (stmt, 1));
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The PostgreSQL schema has exactly the tables and columns of the SQLite one, in the same
 * order, and the same builtin rows. */
static void
test_dialects_match (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *lite = NULL;
  g_autofree char *rates_mine = NULL;
  g_autofree char *rates_lite = NULL;
  TenureDb *other;
  const char *rates = "SELECT c.code || ':' || c.kind || ':' || c.account_code || ':' "
                      "|| v.method || ':' || v.effective_from || ':' || v.rate_ppm "
                      "FROM vat_rate v JOIN charge_item c ON c.id = v.charge_item_id "
                      "ORDER BY c.code, v.method, v.effective_from";

  if (f->db == NULL)
    return;
  if (backend != TENURE_TEST_PG)
    {
      g_test_skip ("compares PostgreSQL with SQLite; runs in schema-pg");
      return;
    }
  dir = tenure_test_make_tmpdir ();
  path = g_build_filename (dir, "twin.db", NULL);
  other = tenure_db_open (path, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);

  mine = schema_columns (f->db);
  lite = schema_columns (other);
  g_assert_nonnull (strstr (mine, "\nunit.asking_price_basis\n"));
  g_assert_cmpstr (mine, ==, lite);
  rates_mine = query_column (f->db, rates);
  rates_lite = query_column (other, rates);
  g_assert_nonnull (strstr (rates_mine, "RENT:rent:6001:general:2019-04-01:90000\n"));
  g_assert_cmpstr (rates_mine, ==, rates_lite);

  g_object_unref (other);
  tenure_test_rm_rf (dir);
}

static void
test_asset_chain (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = NULL;
  gint64 unit_id;

  if (f->db == NULL)
    return;
  unit_id = insert_asset_chain (f->db);
  g_assert_cmpint (unit_id, >, 0);
  path = query_text (f->db,
                     "SELECT le.code || '/' || p.code || '/' || b.code || '/' || fl.name || '/' "
                     "|| u.name || '/' || u.leasable_area_c || '/' || u.stored_status "
                     "|| '/' || u.asking_price_basis || '/' || u.created_at "
                     "FROM unit u JOIN floor fl ON fl.id = u.floor_id "
                     "JOIN building b ON b.id = fl.building_id "
                     "JOIN project p ON p.id = b.project_id "
                     "JOIN legal_entity le ON le.id = p.legal_entity_id");
  g_assert_true (g_str_has_prefix (path, "LE-01/SH-XH01/SH-XH01-A/B1/B1-001/8550/available/"
                                         "per_m2_month/"));
  /* created_at defaults to the UTC timestamp form. */
  g_assert_true (g_regex_match_simple ("/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$",
                                       path, 0, 0));
}

static void
test_constraints (Fixture       *f,
                  gconstpointer  data)
{
  if (f->db == NULL)
    return;
  insert_asset_chain (f->db);
  exec_ok (f->db, "INSERT INTO tenant (code, name) VALUES ('T-001', '上海星河餐饮管理有限公司')");

#define UNIT_INSERT(area, format) \
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) " \
  "SELECT 'SH-XH01-A-B1-002', id, 'B1-002', " format ", 10000, " area " FROM floor"
  /* Negative and zero area, unknown format. */
  assert_constraint (f->db, UNIT_INSERT ("-100", "'mall'"));
  assert_constraint (f->db, UNIT_INSERT ("0", "'mall'"));
  assert_constraint (f->db, UNIT_INSERT ("5000", "'casino'"));
  exec_ok (f->db, UNIT_INSERT ("5000", "'office'"));
#undef UNIT_INSERT
  /* A duplicate code, a floor that does not exist. */
  assert_constraint (f->db, "INSERT INTO building (code, project_id, name) "
                            "SELECT 'SH-XH01-A', id, 'again' FROM project");
  assert_constraint (f->db, "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, "
                            "leasable_area_c) VALUES ('X-1', 999999, 'x', 'mall', 1, 1)");

#define CONTRACT_INSERT(code, start, end) \
  "INSERT INTO contract (code, tenant_id, project_id, status, start_date, end_date) " \
  "SELECT '" code "', t.id, p.id, 'draft', '" start "', '" end "' FROM tenant t, project p"
  /* End before start, dates that are not calendar dates, an unknown status. */
  assert_constraint (f->db, CONTRACT_INSERT ("HT-1", "2026-03-10", "2026-03-09"));
  assert_constraint (f->db, CONTRACT_INSERT ("HT-1", "2026-02-01", "2026-02-30"));
  assert_constraint (f->db, CONTRACT_INSERT ("HT-1", "2026-2-01", "2027-01-31"));
  assert_constraint (f->db, CONTRACT_INSERT ("HT-1", "2026/02/01", "2027-01-31"));
  assert_constraint (f->db, "INSERT INTO contract (code, tenant_id, project_id, status, "
                            "start_date, end_date) SELECT 'HT-1', t.id, p.id, 'signed', "
                            "'2026-03-10', '2027-03-09' FROM tenant t, project p");
  exec_ok (f->db, CONTRACT_INSERT ("HT-1", "2026-03-10", "2027-03-09"));
  exec_ok (f->db, CONTRACT_INSERT ("HT-2", "2024-02-29", "2024-02-29"));
#undef CONTRACT_INSERT

  /* A clause needs the amount its basis uses; a polygon must be JSON. */
  exec_ok (f->db, "INSERT INTO contract_version (contract_id, version_no, effective_from) "
                  "SELECT id, 1, start_date FROM contract WHERE code = 'HT-1'");
  assert_constraint (f->db, "INSERT INTO clause (contract_version_id, charge_item_id, basis, "
                            "amount, starts_on, ends_on) SELECT v.id, c.id, 'per_m2_month', "
                            "100, '2026-03-10', '2027-03-09' FROM contract_version v, "
                            "charge_item c WHERE c.code = 'RENT'");
  assert_constraint (f->db, "INSERT INTO clause (contract_version_id, charge_item_id, basis, "
                            "price_e4, cycle_months, starts_on, ends_on) SELECT v.id, c.id, "
                            "'per_m2_month', 3200000, 4, '2026-03-10', '2027-03-09' "
                            "FROM contract_version v, charge_item c WHERE c.code = 'RENT'");
  exec_ok (f->db, "INSERT INTO clause (contract_version_id, charge_item_id, basis, price_e4, "
                  "cycle_months, starts_on, ends_on) SELECT v.id, c.id, 'per_m2_month', "
                  "3200000, 3, '2026-03-10', '2027-03-09' FROM contract_version v, "
                  "charge_item c WHERE c.code = 'RENT'");
  assert_constraint (f->db, "UPDATE unit SET polygon = '[[0,0],[1,' "
                            "WHERE code = 'SH-XH01-A-B1-001'");
  assert_constraint (f->db, "UPDATE unit SET stored_status = 'leased'");

  /* A row that others reference cannot be deleted. */
  assert_constraint (f->db, "DELETE FROM floor");

  /* Only the good rows are there. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM unit"), ==, 2);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM contract"), ==, 2);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM clause"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM floor"), ==, 1);
}

/* ---- the audit log ------------------------------------------------------------------------ */

static void
test_audit_records (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *expected_actor;
  TenureAuditEntry *e;
  JsonObject *o;
  gint64 id;

  if (f->db == NULL)
    return;
  expected_actor = backend == TENURE_TEST_PG ? "postgres" : g_get_user_name ();
  g_assert_cmpstr (tenure_db_get_actor (f->db), ==, expected_actor);

  exec_ok (f->db, "INSERT INTO tenant (code, name, kind, phone) "
                  "VALUES ('T-100', '上海启明信息科技有限公司', 'company', '021-5555 0101')");
  id = query_int (f->db, "SELECT id FROM tenant WHERE code = 'T-100'");
  exec_ok (f->db, "UPDATE tenant SET name = '上海启明科技有限公司', phone = NULL "
                  "WHERE code = 'T-100'");
  exec_ok (f->db, "DELETE FROM tenant WHERE code = 'T-100'");

  history = tenure_audit_list_for_row (f->db, "tenant", id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 3);

  e = g_ptr_array_index (history, 0);
  g_assert_cmpstr (e->action, ==, "insert");
  g_assert_cmpstr (e->table_name, ==, "tenant");
  g_assert_cmpint (e->row_id, ==, id);
  g_assert_cmpstr (e->actor, ==, expected_actor);
  g_assert_null (e->old_values);
  o = parse_object (parser, e->new_values);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "上海启明信息科技有限公司");
  g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, "021-5555 0101");
  g_assert_cmpint (json_object_get_int_member (o, "id"), ==, id);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$",
                                       e->at, 0, 0));

  e = g_ptr_array_index (history, 1);
  g_assert_cmpstr (e->action, ==, "update");
  g_assert_cmpstr (e->actor, ==, expected_actor);
  o = parse_object (parser, e->old_values);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "上海启明信息科技有限公司");
  g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, "021-5555 0101");
  o = parse_object (parser, e->new_values);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "上海启明科技有限公司");
  g_assert_true (json_object_has_member (o, "phone"));
  g_assert_true (json_object_get_null_member (o, "phone"));

  e = g_ptr_array_index (history, 2);
  g_assert_cmpstr (e->action, ==, "delete");
  g_assert_null (e->new_values);
  o = parse_object (parser, e->old_values);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "上海启明科技有限公司");

  /* Timestamps and ids go forward. */
  g_assert_cmpint (((TenureAuditEntry *) history->pdata[0])->id, <,
                   ((TenureAuditEntry *) history->pdata[2])->id);
  g_assert_cmpstr (((TenureAuditEntry *) history->pdata[0])->at, <=,
                   ((TenureAuditEntry *) history->pdata[2])->at);

  /* A write that fails leaves no audit entry. */
  {
    gint64 before = tenure_audit_count (f->db, &error);
    g_assert_no_error (error);
    assert_constraint (f->db, "INSERT INTO tenant (code, name, kind) VALUES ('T-101', 'x', 'x')");
    g_assert_cmpint (tenure_audit_count (f->db, &error), ==, before);
    g_assert_no_error (error);
  }

  /* A row without history has an empty one. */
  g_clear_pointer (&history, g_ptr_array_unref);
  history = tenure_audit_list_for_row (f->db, "tenant", id + 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 0);
}

static void
test_audit_verify (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 bad = -1;
  gint64 middle;
  gint64 last;

  if (f->db == NULL)
    return;
  insert_asset_chain (f->db);
  for (int i = 0; i < 20; i++)
    {
      g_autofree char *insert = g_strdup_printf ("INSERT INTO setting (key, value) "
                                                 "VALUES ('k%d', '值 %d')", i, i);
      exec_ok (f->db, insert);
    }
  exec_ok (f->db, "UPDATE setting SET value = 'changed' WHERE key = 'k3'");
  g_assert_true (tenure_audit_verify (f->db, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bad, ==, 0);

  /* Change the recorded new values of one entry in the middle: caught exactly there. */
  middle = query_int (f->db, "SELECT id FROM audit_log WHERE table_name = 'setting' "
                             "ORDER BY id LIMIT 1 OFFSET 10");
  last = query_int (f->db, "SELECT max (id) FROM audit_log");
  g_assert_cmpint (middle, <, last);
  sql = g_strdup_printf ("UPDATE audit_log SET new_values = replace (new_values, '值', '价') "
                         "WHERE id = %" G_GINT64_FORMAT, middle);
  exec_ok (f->db, sql);
  g_assert_false (tenure_audit_verify (f->db, &bad, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_cmpint (bad, ==, middle);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Rewrite that entry's hash too: its successor no longer follows it. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE audit_log SET hash = tenure_sha256 ('forged') "
                         "WHERE id = %" G_GINT64_FORMAT, middle);
  exec_ok (f->db, sql);
  g_assert_false (tenure_audit_verify (f->db, &bad, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_cmpint (bad, ==, middle);
  g_clear_error (&error);
}

static void
test_audit_verify_deleted (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 bad = -1;
  gint64 victim;
  gint64 next;

  if (f->db == NULL)
    return;
  insert_asset_chain (f->db);
  victim = query_int (f->db, "SELECT id FROM audit_log WHERE table_name = 'building'");
  next = query_int (f->db, "SELECT min (id) FROM audit_log WHERE table_name = 'floor'");
  sql = g_strdup_printf ("DELETE FROM audit_log WHERE id = %" G_GINT64_FORMAT, victim);
  exec_ok (f->db, sql);
  g_assert_false (tenure_audit_verify (f->db, &bad, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_cmpint (bad, ==, next);
}

/* Rolled back work leaves no trace in the chain, and writers on two connections append to
 * one chain. */
static void
test_audit_savepoints (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TenureDb *other;

  if (f->db == NULL)
    return;
  g_assert_true (tenure_db_begin (f->db, &error));
  /* The first audited write of the transaction inside a savepoint that is rolled back. */
  g_assert_true (tenure_db_begin (f->db, &error));
  exec_ok (f->db, "INSERT INTO setting (key, value) VALUES ('a', '1')");
  tenure_db_rollback (f->db);
  exec_ok (f->db, "INSERT INTO setting (key, value) VALUES ('b', '2')");
  g_assert_true (tenure_db_begin (f->db, &error));
  exec_ok (f->db, "INSERT INTO setting (key, value) VALUES ('c', '3')");
  exec_ok (f->db, "UPDATE setting SET value = '22' WHERE key = 'b'");
  tenure_db_rollback (f->db);
  exec_ok (f->db, "INSERT INTO setting (key, value) VALUES ('d', '4')");
  g_assert_true (tenure_db_commit (f->db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM audit_log WHERE "
                                     "table_name = 'setting'"), ==, 2);
  g_assert_true (tenure_audit_verify (f->db, NULL, &error));
  g_assert_no_error (error);

  /* A whole transaction rolled back. */
  g_assert_true (tenure_db_begin (f->db, &error));
  exec_ok (f->db, "INSERT INTO setting (key, value) VALUES ('e', '5')");
  tenure_db_rollback (f->db);

  other = tenure_db_open (f->location, TENURE_DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 10; i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO setting (key, value) "
                                              "VALUES ('x%d', '%d')", i, i);
      TenureDb *db = i % 2 ? other : f->db;

      g_assert_true (tenure_db_begin (db, &error));
      exec_ok (db, sql);
      exec_ok (db, "UPDATE setting SET value = value || '+' WHERE key = 'd'");
      g_assert_true (tenure_db_commit (db, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (query_int (other, "SELECT count(*) FROM audit_log WHERE "
                                     "table_name = 'setting'"), ==, 22);
  g_assert_true (tenure_audit_verify (other, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (other);
}

/* PostgreSQL: a REPEATABLE READ snapshot could fork the chain, so audited writes refuse it. */
static void
test_audit_repeatable_read (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (f->db == NULL)
    return;
  if (backend != TENURE_TEST_PG)
    {
      g_test_skip ("PostgreSQL only: SQLite has one writer at a time");
      return;
    }
  exec_ok (f->db, "BEGIN ISOLATION LEVEL REPEATABLE READ");
  g_assert_false (tenure_db_exec (f->db, "INSERT INTO setting (key, value) VALUES ('r', '1')",
                                  &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "READ COMMITTED"));
  exec_ok (f->db, "ROLLBACK");
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM setting"), ==, 0);
}

/* Many rows in one transaction: every row audited, chain intact, time logged. */
static void
test_audit_bulk (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  const char *env = g_getenv ("TENURE_TEST_AUDIT_ROWS");
  gint64 n = env != NULL ? g_ascii_strtoll (env, NULL, 10) : 5000;
  gint64 before;
  gint64 meter_id;
  gint64 t0;
  double seconds;

  if (f->db == NULL)
    return;
  stmt = tenure_db_prepare (f->db, "INSERT INTO meter_reading (meter_id, read_on, value_e4) "
                                   "VALUES ($1, $2, $3)", &error);
  g_assert_no_error (error);
  insert_asset_chain (f->db);
  exec_ok (f->db, "INSERT INTO meter (code, unit_id, kind) SELECT 'M-1', id, 'electricity' "
                  "FROM unit");
  meter_id = query_int (f->db, "SELECT id FROM meter");
  before = tenure_audit_count (f->db, &error);
  g_assert_no_error (error);

  t0 = g_get_monotonic_time ();
  tenure_db_begin (f->db, &error);
  g_assert_no_error (error);
  for (gint64 i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_new_utc (1970, 1, 1, 0, 0, 0);
      g_autoptr(GDateTime) d = g_date_time_add_days (day, (int) i);
      g_autofree char *date = g_date_time_format (d, "%Y-%m-%d");

      tenure_stmt_reset (stmt);
      tenure_stmt_bind_int64 (stmt, 1, meter_id);
      tenure_stmt_bind_text (stmt, 2, date);
      tenure_stmt_bind_int64 (stmt, 3, i * 10000);
      tenure_stmt_run (stmt, &error);
      g_assert_no_error (error);
    }
  tenure_db_commit (f->db, &error);
  g_assert_no_error (error);
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  g_test_message ("%s: %" G_GINT64_FORMAT " audited inserts in %.2f s (%.0f rows/s)",
                  tenure_test_backend_name (backend), n, seconds, n / seconds);

  g_assert_cmpint (tenure_audit_count (f->db, &error), ==, before + n);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM meter_reading"), ==, n);
  t0 = g_get_monotonic_time ();
  g_assert_true (tenure_audit_verify (f->db, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("verified %" G_GINT64_FORMAT " entries in %.2f s", before + n,
                  (g_get_monotonic_time () - t0) / 1e6);
}

/* ---- versions ----------------------------------------------------------------------------- */

static void
test_too_new (void)
{
  g_autofree char *location = tenure_test_db_new_location (backend);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;
  TenureDb *db;

  if (location == NULL)
    return;
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  insert_asset_chain (db);
  exec_ok (db, "INSERT INTO schema_migrations (version, description, applied_at, applied_by) "
               "VALUES (9999, 'from the future', '2099-01-01T00:00:00.000000Z', 'someone')");
  g_object_unref (db);

  if (backend == TENURE_TEST_SQLITE)
    before = file_checksum (location);
  else
    before = pg_row_counts (location);

  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_null (db);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_TOO_NEW);
  expected = g_strdup_printf ("%d", tenure_migrations_latest_version ());
  g_assert_nonnull (strstr (error->message, "9999"));
  g_assert_nonnull (strstr (error->message, expected));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* The private open that would migrate to a given version refuses it the same way. */
  db = tenure_db_open_full (location, TENURE_DB_OPEN_DEFAULT, 1, &error);
  g_assert_null (db);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_TOO_NEW);
  g_clear_error (&error);

  if (backend == TENURE_TEST_SQLITE)
    {
      g_autofree char *wal = g_strconcat (location, "-wal", NULL);
      after = file_checksum (location);
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    }
  else
    after = pg_row_counts (location);
  g_assert_cmpstr (before, ==, after);

  tenure_test_db_drop_location (backend, location);
}

static void
test_upgrade (void)
{
  g_autofree char *location = tenure_test_db_new_location (backend);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  TenureAuditEntry *e;
  TenureDb *db;
  gint64 unit_id;
  gint64 audit_v1;
  gint64 last_v1;

  if (location == NULL)
    return;

  /* Version 1, with data. */
  db = tenure_db_open_full (location, TENURE_DB_OPEN_CREATE, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_db_get_schema_version (db), ==, 1);
  g_assert_false (table_exists (db, "import_profile"));
  unit_id = insert_asset_chain (db);
  exec_ok (db, "INSERT INTO bank_account (code, legal_entity_id, bank_name, account_number) "
               "SELECT 'BA-1', id, '招商银行上海分行', '1001 2345 6789 0123 456' "
               "FROM legal_entity");
  audit_v1 = tenure_audit_count (db, &error);
  g_assert_no_error (error);
  last_v1 = query_int (db, "SELECT max (id) FROM audit_log");
  g_object_unref (db);

  /* The latest version, in place. */
  db = tenure_db_open (location, TENURE_DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_db_get_schema_version (db), ==, tenure_migrations_latest_version ());
  g_assert_true (table_exists (db, "import_profile"));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM schema_migrations"), ==,
                   tenure_migrations_latest_version ());
  text = query_text (db, "SELECT applied_by FROM schema_migrations WHERE version = 2");
  g_assert_cmpstr (text, ==, tenure_db_get_actor (db));
  g_clear_pointer (&text, g_free);
  text = query_text (db, "SELECT description FROM schema_migrations WHERE version = 2");
  g_assert_nonnull (strstr (text, "import"));
  g_clear_pointer (&text, g_free);

  /* The old rows are intact and the new column has its default. */
  g_assert_cmpint (query_int (db, "SELECT id FROM unit WHERE code = 'SH-XH01-A-B1-001'"), ==,
                   unit_id);
  g_assert_cmpint (query_int (db, "SELECT leasable_area_c FROM unit"), ==, 8550);
  g_assert_cmpint (query_int (db, "SELECT asking_price_e4 FROM unit"), ==, 3200000);
  text = query_text (db, "SELECT asking_price_basis FROM unit");
  g_assert_cmpstr (text, ==, "per_m2_month");
  g_clear_pointer (&text, g_free);
  text = query_text (db, "SELECT account_number FROM bank_account");
  g_assert_cmpstr (text, ==, "1001 2345 6789 0123 456");
  g_clear_pointer (&text, g_free);

  /* The migrations' own writes (the templates of versions 2 and 8) are audited, after
   * everything of version 1. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM import_profile WHERE is_builtin = 1"),
                   ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM audit_log WHERE "
                                  "table_name = 'import_profile' AND action = 'insert'"), ==, 2);
  g_assert_cmpint (tenure_audit_count (db, &error), >=, audit_v1 + 1);
  g_assert_cmpint (query_int (db, "SELECT min (id) FROM audit_log "
                                  "WHERE table_name = 'import_profile'"), >, last_v1);
  g_assert_true (tenure_audit_verify (db, NULL, &error));
  g_assert_no_error (error);

  /* The new table and column are usable and audited with the new column. */
  exec_ok (db, "INSERT INTO import_profile (bank_account_id, name, mapping) SELECT id, "
               "'招行导出', '{\"columns\":{}}' FROM bank_account");
  assert_constraint (db, "INSERT INTO import_profile (bank_account_id, name, mapping) "
                         "SELECT id, 'bad', '{not json' FROM bank_account");
  assert_constraint (db, "UPDATE unit SET asking_price_basis = 'per_year'");
  exec_ok (db, "UPDATE unit SET asking_price_basis = 'per_m2_day', asking_price_e4 = 105000");
  history = tenure_audit_list_for_row (db, "unit", unit_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  e = g_ptr_array_index (history, 1);
  g_assert_cmpstr (e->action, ==, "update");
  g_assert_cmpstr (json_object_get_string_member (parse_object (parser, e->old_values),
                                                  "asking_price_basis"), ==, "per_m2_month");
  g_assert_cmpstr (json_object_get_string_member (parse_object (parser, e->new_values),
                                                  "asking_price_basis"), ==, "per_m2_day");
  g_assert_true (tenure_audit_verify (db, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (db);

  tenure_test_db_drop_location (backend, location);
}

static void
test_reapply (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 audit_before;
  TenureDb *db;

  if (f->db == NULL)
    return;
  audit_before = tenure_audit_count (f->db, &error);
  g_assert_no_error (error);

  g_assert_true (tenure_migrations_apply (f->db, -1, &error));
  g_assert_no_error (error);
  g_assert_true (tenure_migrations_apply (f->db, 1, &error));
  g_assert_no_error (error);
  g_assert_false (tenure_migrations_apply (f->db, tenure_migrations_latest_version () + 1,
                                           &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);

  db = tenure_db_open (f->location, TENURE_DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_db_get_schema_version (db), ==, tenure_migrations_latest_version ());
  g_object_unref (db);

  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM schema_migrations"), ==,
                   tenure_migrations_latest_version ());
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM charge_item"), ==, 6);
  g_assert_cmpint (tenure_audit_count (f->db, &error), ==, audit_before);
}

/* A database that holds someone else's tables is not taken over. */
static void
test_foreign_database (void)
{
  g_autofree char *location = tenure_test_db_new_location (backend);
  g_autoptr(GError) error = NULL;
  TenureDb *db;

  if (location == NULL)
    return;
  db = tenure_db_open_full (location, TENURE_DB_OPEN_CREATE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_db_get_schema_version (db), ==, 0);
  exec_ok (db, "CREATE TABLE customers (id integer PRIMARY KEY, name text)");
  g_object_unref (db);

  db = tenure_db_open (location, TENURE_DB_OPEN_DEFAULT, &error);
  g_assert_null (db);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_OPEN);
  g_clear_error (&error);

  db = tenure_db_open_full (location, TENURE_DB_OPEN_DEFAULT, 0, &error);
  g_assert_no_error (error);
  g_assert_false (table_exists (db, "schema_migrations"));
  g_object_unref (db);
  tenure_test_db_drop_location (backend, location);
}

/* A migration that fails half-way (SQLite: the disk fills up) leaves nothing behind, and the
 * database migrates fine once there is room. */
static void
test_failed_migration (void)
{
  g_autofree char *location = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n = -1;
  int version = -1;
  TenureDb *db;

  if (backend != TENURE_TEST_SQLITE)
    {
      g_test_skip ("SQLite only: PRAGMA max_page_count simulates a full disk");
      return;
    }
  location = tenure_test_db_new_location (backend);
  db = tenure_db_open_full (location, TENURE_DB_OPEN_CREATE, 0, &error);
  g_assert_no_error (error);
  /* Room for version 1's first tables, not for all of them. */
  exec_ok (db, "PRAGMA max_page_count = 30");
  g_assert_false (tenure_migrations_apply (db, -1, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_FULL);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (tenure_db_get_transaction_depth (db), ==, 0);
  tenure_migrations_check (db, &version, &error);
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 0);
  tenure_db_query_int64 (db, "SELECT count(*) FROM sqlite_master", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);

  exec_ok (db, "PRAGMA max_page_count = 1073741823");
  g_assert_true (tenure_migrations_apply (db, -1, &error));
  g_assert_no_error (error);
  tenure_migrations_check (db, &version, &error);
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, tenure_migrations_latest_version ());
  g_assert_true (tenure_audit_verify (db, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (db);
  tenure_test_db_drop_location (backend, location);
}

/* Several processes open (and so migrate) the same new database at once. */
static void
test_concurrent (void)
{
  g_autofree char *location = tenure_test_db_new_location (backend);
  g_autoptr(GError) error = NULL;
  GSubprocess *children[3];
  TenureDb *db;

  if (location == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (children); i++)
    {
      children[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, self_exe,
                                      "--migrate-child", location, NULL);
      g_assert_no_error (error);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (children); i++)
    {
      g_subprocess_wait_check (children[i], NULL, &error);
      g_assert_no_error (error);
      g_object_unref (children[i]);
    }

  db = tenure_db_open (location, TENURE_DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_db_get_schema_version (db), ==, tenure_migrations_latest_version ());
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM schema_migrations"), ==,
                   tenure_migrations_latest_version ());
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT version) FROM schema_migrations"), ==,
                   tenure_migrations_latest_version ());
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM charge_item"), ==, 6);
  /* the templates of migrations 2 and 8, each written once */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM import_profile"), ==, 2);
  g_assert_true (tenure_audit_verify (db, NULL, &error));
  g_assert_no_error (error);
  /* Each child wrote its marker row once the schema was there. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM setting WHERE key LIKE 'child.%'"), ==,
                   G_N_ELEMENTS (children));
  g_object_unref (db);
  tenure_test_db_drop_location (backend, location);
}

static int
migrate_child (const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_autofree char *sql = NULL;

  if (db == NULL)
    {
      g_printerr ("child %d: %s\n", (int) getpid (), error->message);
      return 1;
    }
  sql = g_strdup_printf ("INSERT INTO setting (key, value) VALUES ('child.%d', '%d')",
                         (int) getpid (), tenure_db_get_schema_version (db));
  if (!tenure_db_exec (db, sql, &error))
    {
      g_printerr ("child %d: %s\n", (int) getpid (), error->message);
      return 1;
    }
  return 0;
}

int
main (int argc, char **argv)
{
  self_exe = argv[0];
  if (argc == 3 && g_str_equal (argv[1], "--migrate-child"))
    return migrate_child (argv[2]);

  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/schema/resources", test_resources);
  g_test_add ("/schema/apply/full", Fixture, NULL, fixture_set_up, test_apply_full,
              fixture_tear_down);
  g_test_add ("/schema/apply/dialects-match", Fixture, NULL, fixture_set_up,
              test_dialects_match, fixture_tear_down);
  g_test_add ("/schema/assets/chain", Fixture, NULL, fixture_set_up, test_asset_chain,
              fixture_tear_down);
  g_test_add ("/schema/constraints", Fixture, NULL, fixture_set_up, test_constraints,
              fixture_tear_down);
  g_test_add ("/schema/audit/records", Fixture, NULL, fixture_set_up, test_audit_records,
              fixture_tear_down);
  g_test_add ("/schema/audit/verify/tampered", Fixture, NULL, fixture_set_up,
              test_audit_verify, fixture_tear_down);
  g_test_add ("/schema/audit/verify/deleted", Fixture, NULL, fixture_set_up,
              test_audit_verify_deleted, fixture_tear_down);
  g_test_add ("/schema/audit/savepoints", Fixture, NULL, fixture_set_up,
              test_audit_savepoints, fixture_tear_down);
  g_test_add ("/schema/audit/repeatable-read", Fixture, NULL, fixture_set_up,
              test_audit_repeatable_read, fixture_tear_down);
  g_test_add ("/schema/audit/bulk", Fixture, NULL, fixture_set_up, test_audit_bulk,
              fixture_tear_down);
  g_test_add_func ("/schema/version/too-new", test_too_new);
  g_test_add_func ("/schema/version/upgrade", test_upgrade);
  g_test_add ("/schema/version/reapply", Fixture, NULL, fixture_set_up, test_reapply,
              fixture_tear_down);
  g_test_add_func ("/schema/version/foreign-database", test_foreign_database);
  g_test_add_func ("/schema/version/failed", test_failed_migration);
  g_test_add_func ("/schema/version/concurrent", test_concurrent);

  return g_test_run ();
}
