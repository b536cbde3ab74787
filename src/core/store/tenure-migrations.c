/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-migrations"

#include "store/tenure-migrations.h"

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "tenure-store-resources.h"

#include <string.h>

#define RESOURCE_PREFIX "/io/github/tenure/Tenure/store/migrations"
#define AUDIT_MARKER    "\n-- @audit-triggers\n"
/* How long a second process waits for the one that migrates the same database. */
#define LOCK_TIMEOUT_MS (5 * 60 * 1000)

typedef struct
{
  int         version;
  const char *name;        /* file name without number and extension */
  const char *description; /* recorded in schema_migrations */
  gboolean    rebuilds;    /* rebuilds a table on SQLite: foreign keys off around it */
} Migration;

/* Append only: a released version never changes. */
static const Migration migrations[] = {
  { 1, "initial", "Initial schema: assets, tenants, contracts, billing, banks, audit log" },
  { 2, "import-profiles", "Bank import profiles; unit asking price basis" },
  { 3, "plan-differences", "Difference lines point at the billed line they correct" },
  { 4, "line-identity", "Receivable lines keyed by clause position and correction number",
    TRUE },
  { 5, "collections", "Collections: receipt attachments, allocation order, bank matching, "
    "payer aliases, reconciliation, dunning" },
  { 6, "period-events", "History of closing and reopening accounting periods" },
  { 7, "plan-line-cover", "Covering index for the plan lines of a project's contracts" },
  { 8, "recognised-bank-columns", "Built-in import profile that recognises bank export columns" },
};

/* A GResource in a static library is dropped by the linker unless something references it:
 * register it by hand before the first lookup. */
static void
ensure_resource_registered (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      tenure_store_register_resource ();
      g_once_init_leave (&once, 1);
    }
}

int
tenure_migrations_latest_version (void)
{
  return migrations[G_N_ELEMENTS (migrations) - 1].version;
}

static const Migration *
find_migration (int version)
{
  for (gsize i = 0; i < G_N_ELEMENTS (migrations); i++)
    if (migrations[i].version == version)
      return &migrations[i];
  return NULL;
}

GBytes *
tenure_migrations_get_sql (TenureDbKind kind,
                           int          version)
{
  const Migration *m = find_migration (version);
  g_autofree char *path = NULL;

  if (m == NULL)
    return NULL;
  ensure_resource_registered ();
  path = g_strdup_printf (RESOURCE_PREFIX "/%s/%04d-%s.sql",
                          kind == TENURE_DB_POSTGRESQL ? "postgresql" : "sqlite",
                          m->version, m->name);
  return g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

/* ---- reading the version ------------------------------------------------------------------ */

static gboolean
count_tables (TenureDb    *db,
              const char  *only_name,
              gint64      *out_count,
              GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  GError *local_error = NULL;
  const char *sql;

  if (tenure_db_get_kind (db) == TENURE_DB_POSTGRESQL)
    sql = "SELECT count(*) FROM pg_catalog.pg_tables "
          "WHERE schemaname = current_schema () AND ($1::text IS NULL OR tablename = $1)";
  else
    sql = "SELECT count(*) FROM sqlite_master "
          "WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
          "AND ($1 IS NULL OR name = $1)";
  stmt = tenure_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, only_name);
  if (!tenure_stmt_step (stmt, &local_error))
    {
      if (local_error == NULL)
        g_set_error (&local_error, TENURE_ERROR, TENURE_ERROR_DB,
                     _("Could not read the tables of “%s”."), tenure_db_get_display_name (db));
      g_propagate_error (error, local_error);
      return FALSE;
    }
  *out_count = tenure_stmt_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
tenure_migrations_check (TenureDb  *db,
                         int       *out_version,
                         GError   **error)
{
  gint64 n = 0;
  gint64 version = 0;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (out_version != NULL, FALSE);

  *out_version = 0;
  if (!count_tables (db, "schema_migrations", &n, error))
    return FALSE;
  if (n == 0)
    return TRUE;
  if (!tenure_db_query_int64 (db, "SELECT coalesce (max (version), 0) FROM schema_migrations",
                              &version, error))
    return FALSE;
  if (version > tenure_migrations_latest_version ())
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_TOO_NEW,
                   _("The database “%s” was written by a newer version of Tenure (schema "
                     "version %d; this version knows up to %d). Update Tenure to open it."),
                   tenure_db_get_display_name (db), (int) MIN (version, G_MAXINT),
                   tenure_migrations_latest_version ());
      return FALSE;
    }
  if (version < 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                   _("The database “%s” records an impossible schema version (%d)."),
                   tenure_db_get_display_name (db), (int) MAX (version, G_MININT));
      return FALSE;
    }
  *out_version = (int) version;
  return TRUE;
}

/* ---- audit triggers ----------------------------------------------------------------------- */

static gboolean
is_audited_table (const char *name)
{
  return g_strcmp0 (name, "audit_log") != 0 && g_strcmp0 (name, "schema_migrations") != 0
         && !g_str_has_prefix (name, "sqlite_");
}

/* "name" with embedded quotes doubled; identifiers here are ours, but stay correct anyway. */
static void
append_ident (GString    *s,
              const char *ident)
{
  g_string_append_c (s, '"');
  for (const char *p = ident; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

static void
append_literal (GString    *s,
                const char *text)
{
  g_string_append_c (s, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append_c (s, '\'');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '\'');
}

/* json_object ('col', REF."col", …) over COLUMNS. */
static void
append_json_object (GString    *s,
                    const char *ref,
                    GPtrArray  *columns)
{
  g_string_append (s, "json_object (");
  for (guint i = 0; i < columns->len; i++)
    {
      const char *col = g_ptr_array_index (columns, i);

      if (i > 0)
        g_string_append (s, ", ");
      append_literal (s, col);
      g_string_append_printf (s, ", %s.", ref);
      append_ident (s, col);
    }
  g_string_append (s, ")");
}

/* One AFTER trigger: a single INSERT … SELECT over a one-row subquery, so tenure_now () and
 * the chain head are read once and the hash covers exactly the values stored. */
static void
append_sqlite_trigger (GString    *s,
                       const char *table,
                       const char *action,
                       GPtrArray  *columns)
{
  gboolean has_old = g_strcmp0 (action, "insert") != 0;
  gboolean has_new = g_strcmp0 (action, "delete") != 0;
  g_autofree char *trigger = g_strdup_printf ("tenure_audit_%s_%s", table, action);

  g_string_append (s, "CREATE TRIGGER ");
  append_ident (s, trigger);
  g_string_append_printf (s, " AFTER %s ON ", action);
  append_ident (s, table);
  g_string_append (s, " BEGIN INSERT INTO audit_log (id, at, actor, table_name, row_id, action, "
                      "old_values, new_values, prev_hash, hash) "
                      "SELECT a.id, a.at, a.actor, a.table_name, a.row_id, a.action, "
                      "a.old_values, a.new_values, a.prev_hash, "
                      "tenure_sha256 (a.prev_hash || '|' || a.id || '|' || a.at || '|' "
                      "|| a.actor || '|' || a.table_name || '|' || a.row_id || '|' "
                      "|| a.action || '|' || coalesce (a.old_values, '') || '|' "
                      "|| coalesce (a.new_values, '')) "
                      "FROM (SELECT coalesce ((SELECT max (id) FROM audit_log), 0) + 1 AS id, "
                      "tenure_now () AS at, tenure_actor () AS actor, ");
  append_literal (s, table);
  g_string_append_printf (s, " AS table_name, %s.id AS row_id, '%s' AS action, ",
                          has_new ? "NEW" : "OLD", action);
  if (has_old)
    append_json_object (s, "OLD", columns);
  else
    g_string_append (s, "NULL");
  g_string_append (s, " AS old_values, ");
  if (has_new)
    append_json_object (s, "NEW", columns);
  else
    g_string_append (s, "NULL");
  g_string_append (s, " AS new_values, coalesce ((SELECT hash FROM audit_log "
                      "ORDER BY id DESC LIMIT 1), '') AS prev_hash) AS a; END;\n");
}

static gboolean
install_sqlite_audit_triggers (TenureDb  *db,
                               GError   **error)
{
  g_autoptr(TenureStmt) tables = NULL;
  g_autoptr(TenureStmt) cols = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) sql = g_string_new (NULL);
  static const char *const actions[] = { "insert", "update", "delete" };
  GError *local_error = NULL;

  /* Every trigger we made before, including those of tables dropped since. */
  tables = tenure_db_prepare (db, "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                  "AND name LIKE 'tenure\\_audit\\_%' ESCAPE '\\'", error);
  if (tables == NULL)
    return FALSE;
  while (tenure_stmt_step (tables, &local_error))
    {
      g_string_append (sql, "DROP TRIGGER ");
      append_ident (sql, tenure_stmt_column_text (tables, 0));
      g_string_append (sql, ";\n");
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  g_clear_pointer (&tables, tenure_stmt_free);

  tables = tenure_db_prepare (db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                  "ORDER BY name", error);
  if (tables == NULL)
    return FALSE;
  while (tenure_stmt_step (tables, &local_error))
    {
      const char *name = tenure_stmt_column_text (tables, 0);
      if (is_audited_table (name))
        g_ptr_array_add (names, g_strdup (name));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  cols = tenure_db_prepare (db, "SELECT name FROM pragma_table_info ($1) ORDER BY cid", error);
  if (cols == NULL)
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *table = g_ptr_array_index (names, i);
      g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);

      tenure_stmt_reset (cols);
      tenure_stmt_bind_text (cols, 1, table);
      while (tenure_stmt_step (cols, &local_error))
        g_ptr_array_add (columns, g_strdup (tenure_stmt_column_text (cols, 0)));
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      for (gsize a = 0; a < G_N_ELEMENTS (actions); a++)
        append_sqlite_trigger (sql, table, actions[a], columns);
    }
  return sql->len == 0 || tenure_db_exec (db, sql->str, error);
}

gboolean
tenure_migrations_install_audit_triggers (TenureDb  *db,
                                          GError   **error)
{
  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);

  if (tenure_db_get_kind (db) == TENURE_DB_POSTGRESQL)
    return tenure_db_exec (db, "SELECT tenure_audit_attach_all ()", error);
  return install_sqlite_audit_triggers (db, error);
}

/* ---- applying ----------------------------------------------------------------------------- */

/* Runs the SQL of one migration, (re)creating the audit triggers at each marker line and at
 * the end. */
static gboolean
run_migration_sql (TenureDb    *db,
                   const char  *sql,
                   GError     **error)
{
  const char *part = sql;

  for (;;)
    {
      const char *marker = strstr (part, AUDIT_MARKER);
      g_autofree char *chunk = NULL;

      chunk = marker ? g_strndup (part, marker - part) : g_strdup (part);
      if (!tenure_db_exec (db, chunk, error))
        return FALSE;
      if (!tenure_migrations_install_audit_triggers (db, error))
        return FALSE;
      if (marker == NULL)
        return TRUE;
      part = marker + strlen (AUDIT_MARKER) - 1;
    }
}

/* A migration that rebuilds a table (create new, copy, drop, rename) runs with SQLite's
 * foreign keys off, else dropping the old table would delete through bill_line's reference.
 * The pragma is a no-op inside a transaction, so refuse to run there. */
static gboolean
sqlite_foreign_keys_off (TenureDb         *db,
                         const Migration  *m,
                         GError          **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!tenure_db_exec (db, "PRAGMA foreign_keys=OFF", error))
    return FALSE;
  stmt = tenure_db_prepare (db, "PRAGMA foreign_keys", error);
  if (stmt == NULL)
    return FALSE;
  if (!tenure_stmt_step (stmt, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  else if (tenure_stmt_column_int64 (stmt, 0) != 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED,
                   _("Could not upgrade “%s” to schema version %d: it rebuilds a table, which "
                     "cannot be done inside a transaction."),
                   tenure_db_get_display_name (db), m->version);
      return FALSE;
    }
  return TRUE;
}

/* Every foreign key still holds after a rebuild (SQLite's documented last step). */
static gboolean
sqlite_foreign_keys_hold (TenureDb  *db,
                          GError   **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, "PRAGMA foreign_key_check", error);
  g_autoptr(GError) local_error = NULL;

  if (stmt == NULL)
    return FALSE;
  if (tenure_stmt_step (stmt, &local_error))
    {
      g_autofree char *row = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              tenure_stmt_column_int64 (stmt, 1));

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT,
                   _("Row %s of table %s refers to a row of %s that does not exist."),
                   row, tenure_stmt_column_text (stmt, 0), tenure_stmt_column_text (stmt, 2));
      return FALSE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_one (TenureDb         *db,
           const Migration  *m,
           GError          **error)
{
  g_autoptr(GBytes) bytes = tenure_migrations_get_sql (tenure_db_get_kind (db), m->version);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TenureStmt) record = NULL;
  g_autofree char *sql = NULL;
  guint depth = tenure_db_get_transaction_depth (db);
  gboolean fk_off = FALSE;

  if (bytes == NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED,
                   _("The SQL of schema migration %d is missing from this build."),
                   m->version);
      return FALSE;
    }
  sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  fk_off = m->rebuilds && tenure_db_get_kind (db) == TENURE_DB_SQLITE;
  if (fk_off && !sqlite_foreign_keys_off (db, m, error))
    return FALSE;
  if (!tenure_db_begin (db, &local_error))
    goto failed;
  if (!run_migration_sql (db, sql, &local_error))
    goto failed;
  if (fk_off && !sqlite_foreign_keys_hold (db, &local_error))
    goto failed;
  record = tenure_db_prepare (db, "INSERT INTO schema_migrations "
                                  "(version, description, applied_at, applied_by) "
                                  "VALUES ($1, $2, tenure_now (), tenure_actor ())",
                              &local_error);
  if (record == NULL)
    goto failed;
  tenure_stmt_bind_int64 (record, 1, m->version);
  tenure_stmt_bind_text (record, 2, m->description);
  if (!tenure_stmt_run (record, &local_error))
    goto failed;
  g_clear_pointer (&record, tenure_stmt_free);
  if (!tenure_db_commit (db, &local_error))
    goto failed;
  if (fk_off && !tenure_db_exec (db, "PRAGMA foreign_keys=ON", error))
    return FALSE;
  g_debug ("%s: migrated to schema version %d", tenure_db_get_display_name (db), m->version);
  return TRUE;

failed:
  g_clear_pointer (&record, tenure_stmt_free);
  /* Nothing of a failed migration stays (a failed commit may already have unwound). */
  while (tenure_db_get_transaction_depth (db) > depth)
    tenure_db_rollback (db);
  if (fk_off)
    tenure_db_exec (db, "PRAGMA foreign_keys=ON", NULL);
  g_set_error (error, local_error->domain, local_error->code,
               _("Could not upgrade “%s” to schema version %d: %s"),
               tenure_db_get_display_name (db), m->version, local_error->message);
  return FALSE;
}

gboolean
tenure_migrations_apply (TenureDb  *db,
                         int        target_version,
                         GError   **error)
{
  g_autoptr(TenureJobLock) lock = NULL;
  int latest = tenure_migrations_latest_version ();
  int version = 0;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);

  if (target_version < 0)
    target_version = latest;
  if (target_version > latest)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Schema version %d does not exist (this version of Tenure knows up to "
                     "%d)."), target_version, latest);
      return FALSE;
    }

  /* Another process may be migrating the same database: wait for it, then read the version
   * again, since it has probably done the work. */
  lock = tenure_db_lock_job (db, "migration", LOCK_TIMEOUT_MS, NULL, error);
  if (lock == NULL)
    return FALSE;
  if (!tenure_migrations_check (db, &version, error))
    return FALSE;

  if (version == 0)
    {
      gint64 n_tables = 0;

      if (!count_tables (db, NULL, &n_tables, error))
        return FALSE;
      if (n_tables > 0)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_OPEN,
                       _("The database “%s” holds tables but no Tenure schema: it belongs to "
                         "another program. Choose an empty database."),
                       tenure_db_get_display_name (db));
          return FALSE;
        }
    }

  for (gsize i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      const Migration *m = &migrations[i];

      if (m->version <= version)
        continue;
      if (m->version > target_version)
        break;
      if (!apply_one (db, m, error))
        return FALSE;
    }
  return TRUE;
}
