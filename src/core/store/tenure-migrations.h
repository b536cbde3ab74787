/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Schema migrations. Each version is one SQL file per dialect, compiled into the library as a
 * GResource (migrations/sqlite/NNNN-name.sql, migrations/postgresql/NNNN-name.sql), applied in
 * its own transaction and recorded in schema_migrations (version, description, applied_at,
 * applied_by). A line "-- @audit-triggers" in a file (and the end of every file) (re)creates
 * the audit triggers, so rows the migration writes after it are audited with every column. */

/* Reads the schema version without writing anything: 0 for an empty database.
 * TENURE_ERROR_DB_TOO_NEW (naming both versions) when the database is newer than this build. */
gboolean tenure_migrations_check           (TenureDb  *db,
                                            int       *out_version,
                                            GError   **error);

/* Applies the missing migrations up to TARGET_VERSION (-1 = latest), each in its own
 * transaction, holding the "migration" job lock meanwhile (a second process waits for it and
 * then finds nothing left to do). A database already at or past TARGET_VERSION is left as it
 * is. A database with tables but without a schema_migrations table is refused
 * (TENURE_ERROR_DB_OPEN): it belongs to another program. */
gboolean tenure_migrations_apply           (TenureDb  *db,
                                            int        target_version,
                                            GError   **error);

/* The newest schema version this build knows. */
int      tenure_migrations_latest_version  (void);

/* The SQL of migration VERSION for the dialect of KIND (owned by the resource), or NULL. */
GBytes  *tenure_migrations_get_sql         (TenureDbKind  kind,
                                            int           version);

/* Drops and re-creates the audit triggers of every table (SQLite: generated from each table's
 * columns; PostgreSQL: attaches the trigger where it is missing). Called by the migrations;
 * exposed for tests and repair tools. Run it inside a transaction. */
gboolean tenure_migrations_install_audit_triggers (TenureDb  *db,
                                                   GError   **error);

G_END_DECLS
