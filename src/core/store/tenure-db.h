/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* TenureDb: one open database, SQLite (embedded) or PostgreSQL (shared server), behind one
 * interface. Everything above the store speaks to this and never to sqlite3 or libpq.
 *
 * SQL is written once for both backends with $1..$N placeholders; the SQLite backend rewrites
 * them to ?1..?N. Keep to the SQL both dialects share (RETURNING, ON CONFLICT, CTEs, window
 * functions); DDL differs and lives in the per-dialect migrations.
 *
 * Money and areas are integers (fen, 0.01 m²) in the database: bind them with
 * tenure_stmt_bind_int64 (), never as doubles.
 *
 * One TenureDb is one connection: use it from one thread at a time (a GTask worker opens its
 * own). Statements and job locks keep a reference on their database. */

typedef enum
{
  TENURE_DB_SQLITE,
  TENURE_DB_POSTGRESQL,
} TenureDbKind;

typedef enum
{
  TENURE_DB_OPEN_DEFAULT = 0,
  TENURE_DB_OPEN_CREATE  = 1 << 0, /* create a missing SQLite file (and its folder) */
} TenureDbOpenFlags;

#define TENURE_TYPE_DB (tenure_db_get_type ())
G_DECLARE_DERIVABLE_TYPE (TenureDb, tenure_db, TENURE, DB, GObject)

typedef struct _TenureStmt TenureStmt;

/* Opens LOCATION and brings its schema up to date. LOCATION is
 *   NULL or ""                      the embedded default, $XDG_DATA_HOME/tenure/tenure.db
 *   a file path or sqlite:PATH      an SQLite file
 *   postgresql://… or postgres://…  a PostgreSQL URI
 *   key=value …                     a libpq conninfo string
 * Passwords come only from libpq's own sources (PGPASSWORD, ~/.pgpass) or from the caller's
 * conninfo (the app fills it from the keyring); they are never shown by get_display_name ().
 * A database written by a newer Tenure is refused (TENURE_ERROR_DB_TOO_NEW) without any write. */
TenureDb     *tenure_db_open                (const char         *location,
                                             TenureDbOpenFlags   flags,
                                             GError            **error);
char         *tenure_db_default_location    (void);
TenureDbKind  tenure_db_get_kind            (TenureDb           *self);
/* Location for humans: path, or user@host:port/dbname; never a password. */
const char   *tenure_db_get_display_name    (TenureDb           *self);
/* Who writes: the operating-system user (SQLite) or the database role (PostgreSQL). */
const char   *tenure_db_get_actor           (TenureDb           *self);
int           tenure_db_get_schema_version  (TenureDb           *self);
/* The newest schema version this build knows. */
int           tenure_db_latest_schema_version (void);

/* Runs SQL without parameters; may hold several statements (DDL, scripts). */
gboolean      tenure_db_exec                (TenureDb           *self,
                                             const char         *sql,
                                             GError            **error);

/* Transactions nest: the outermost begin starts a transaction (a write transaction on SQLite),
 * inner ones take savepoints. rollback undoes only the innermost level. */
gboolean      tenure_db_begin               (TenureDb           *self,
                                             GError            **error);
gboolean      tenure_db_commit              (TenureDb           *self,
                                             GError            **error);
void          tenure_db_rollback            (TenureDb           *self);
guint         tenure_db_get_transaction_depth (TenureDb         *self);

/* A read snapshot: every statement until the matching end_read sees the database as it was at
 * the first read after begin_read, whatever other connections commit meanwhile (SQLite: a
 * deferred transaction; PostgreSQL: REPEATABLE READ, READ ONLY). Nests; inside a write
 * transaction it changes nothing. Nothing may be written on the connection meanwhile. */
gboolean      tenure_db_begin_read          (TenureDb           *self,
                                             GError            **error);
void          tenure_db_end_read            (TenureDb           *self);

/* Prepared statements. Parameters are numbered from 1, columns from 0. */
TenureStmt   *tenure_db_prepare             (TenureDb           *self,
                                             const char         *sql,
                                             GError            **error);
/* Like tenure_db_prepare (), for reading big results row by row: on PostgreSQL the rows come
 * one at a time (libpq's single-row mode) instead of the whole result in memory; SQLite reads
 * row by row anyway. While such a statement is between its first step and its end (the step
 * that returns FALSE), a reset or a free, its connection runs nothing else: finish reading
 * before the next query on the same database. */
TenureStmt   *tenure_db_prepare_streaming   (TenureDb           *self,
                                             const char         *sql,
                                             GError            **error);
void          tenure_stmt_bind_int64        (TenureStmt         *stmt,
                                             guint               param,
                                             gint64              value);
void          tenure_stmt_bind_double       (TenureStmt         *stmt,
                                             guint               param,
                                             double              value);
void          tenure_stmt_bind_text         (TenureStmt         *stmt,
                                             guint               param,
                                             const char         *value); /* NULL binds NULL */
void          tenure_stmt_bind_null         (TenureStmt         *stmt,
                                             guint               param);
/* TRUE when a row is ready; FALSE at the end (error unset) or on failure (error set). */
gboolean      tenure_stmt_step              (TenureStmt         *stmt,
                                             GError            **error);
/* Runs a statement that returns no rows (or ignores them). */
gboolean      tenure_stmt_run               (TenureStmt         *stmt,
                                             GError            **error);
guint         tenure_stmt_column_count      (TenureStmt         *stmt);
gboolean      tenure_stmt_column_is_null    (TenureStmt         *stmt,
                                             guint               col);
gint64        tenure_stmt_column_int64      (TenureStmt         *stmt,
                                             guint               col);
double        tenure_stmt_column_double     (TenureStmt         *stmt,
                                             guint               col);
/* Valid until the next step, reset or free. NULL for SQL NULL. */
const char   *tenure_stmt_column_text       (TenureStmt         *stmt,
                                             guint               col);
/* Rows changed by the last run (INSERT/UPDATE/DELETE). */
gint64        tenure_stmt_changes           (TenureStmt         *stmt);
/* Clears bindings and results so the statement can run again. */
void          tenure_stmt_reset             (TenureStmt         *stmt);
void          tenure_stmt_free              (TenureStmt         *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureStmt, tenure_stmt_free)

/* Runs a bound statement and reads the first column of its first row as an integer (a count,
 * or the id from INSERT … RETURNING id), then drains the rest; FALSE with error when the
 * statement fails or returns no row. */
gboolean      tenure_stmt_step_int64        (TenureStmt         *stmt,
                                             gint64             *out_value,
                                             GError            **error);

/* Convenience: the first column of the first row as an integer; FALSE with error when the
 * statement fails or returns no row. */
gboolean      tenure_db_query_int64         (TenureDb           *self,
                                             const char         *sql,
                                             gint64             *out_value,
                                             GError            **error);

/* Exclusive jobs. At most one holder of JOB_KIND ("bill-run", "migration", …) per database, across
 * processes and machines; the lock dies with its holder (a killed process frees it at once).
 * try_lock fails with TENURE_ERROR_LOCKED naming the holder when another has it. */
typedef struct _TenureJobLock TenureJobLock;
TenureJobLock *tenure_db_try_lock_job       (TenureDb           *self,
                                             const char         *job_kind,
                                             GError            **error);
/* Waits up to TIMEOUT_MS for the lock, polling; cancellable. */
TenureJobLock *tenure_db_lock_job           (TenureDb           *self,
                                             const char         *job_kind,
                                             guint               timeout_ms,
                                             GCancellable       *cancellable,
                                             GError            **error);
void           tenure_job_lock_release      (TenureJobLock      *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureJobLock, tenure_job_lock_release)

G_END_DECLS
