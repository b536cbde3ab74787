/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-store"

#include "store/tenure-db-private.h"
#include "store/tenure-db-sqlite.h"
#include "store/tenure-db-pg.h"
#include "store/tenure-migrations.h"

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

#include <string.h>

typedef struct
{
  char       *display_name;
  char       *actor;
  int         schema_version;
  guint       depth;
  /* The server ended the transaction itself (SQLite on a full disk): the levels still open
   * only unwind, and the outermost commit reports the loss. */
  gboolean    aborted;
  /* A statement failed at the innermost level: it can only roll back (see note_failure). */
  gboolean    level_failed;
  /* Job kinds this object holds: the PostgreSQL advisory lock is re-entrant per session, and
   * one program must not run the same job twice either. */
  GHashTable *held_jobs;
  /* Read snapshots open (tenure_db_begin_read); the outermost one started a transaction
   * unless a write transaction was already open (read_started FALSE). */
  guint       read_depth;
  gboolean    read_started;
} TenureDbPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (TenureDb, tenure_db, G_TYPE_OBJECT)

static void     note_failure       (TenureDb  *self);
static gboolean check_level_usable (TenureDb  *self,
                                    GError   **error);

static void
tenure_db_finalize (GObject *object)
{
  TenureDb *self = TENURE_DB (object);
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  if (priv->depth > 0 && TENURE_DB_GET_CLASS (self)->exec != NULL)
    {
      g_warning ("closing %s inside a transaction: rolling it back", priv->display_name);
      TENURE_DB_GET_CLASS (self)->exec (self, "ROLLBACK", NULL);
    }
  if (TENURE_DB_GET_CLASS (self)->close != NULL)
    TENURE_DB_GET_CLASS (self)->close (self);
  g_free (priv->display_name);
  g_free (priv->actor);
  g_clear_pointer (&priv->held_jobs, g_hash_table_unref);

  G_OBJECT_CLASS (tenure_db_parent_class)->finalize (object);
}

static void
tenure_db_class_init (TenureDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tenure_db_finalize;
}

static void
tenure_db_init (TenureDb *self)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  priv->held_jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ---- locations ---------------------------------------------------------------------------- */

char *
tenure_db_default_location (void)
{
  return g_build_filename (g_get_user_data_dir (), "tenure", "tenure.db", NULL);
}

static gboolean
location_is_postgresql (const char *location)
{
  if (g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://"))
    return TRUE;
  /* A libpq conninfo is "keyword=value …"; a file path is taken as one even with '=' in it
   * when it contains a slash before the first '='. */
  for (const char *p = location; *p != '\0'; p++)
    {
      if (*p == '=')
        return p > location;
      if (!(g_ascii_isalnum (*p) || *p == '_' || *p == ' ' || *p == '\t'))
        return FALSE;
      if ((*p == ' ' || *p == '\t') && p > location && g_ascii_isalnum (p[-1]))
        {
          /* "host = x" is still a conninfo; "my file=1" is not. */
          const char *q = p;
          while (*q == ' ' || *q == '\t')
            q++;
          return *q == '=';
        }
    }
  return FALSE;
}

char *
tenure_db_location_sqlite_path (const char *location)
{
  if (location == NULL || *location == '\0')
    return tenure_db_default_location ();
  if (g_str_has_prefix (location, "sqlite:"))
    {
      const char *path = location + strlen ("sqlite:");
      /* sqlite:///abs/path as well as sqlite:/abs/path and sqlite:relative. */
      if (g_str_has_prefix (path, "//"))
        path += 2;
      return g_strdup (path);
    }
  if (location_is_postgresql (location))
    return NULL;
  return g_strdup (location);
}

/* ---- open --------------------------------------------------------------------------------- */

/* How long opening keeps trying while another program holds the database busy. */
#define OPEN_BUSY_TIMEOUT_US (30 * G_USEC_PER_SEC)

static TenureDb *
open_once (const char         *location,
           TenureDbOpenFlags   flags,
           int                 target_schema_version,
           GError            **error)
{
  g_autoptr(TenureDb) db = NULL;
  g_autofree char *sqlite_path = NULL;
  TenureDbPrivate *priv;
  int version = 0;

  sqlite_path = tenure_db_location_sqlite_path (location);
  if (sqlite_path != NULL)
    db = g_object_new (TENURE_TYPE_DB_SQLITE, NULL);
  else
    db = g_object_new (TENURE_TYPE_DB_PG, NULL);
  priv = tenure_db_get_instance_private (db);

  /* Nothing is written before the schema version was read and accepted: a database of a newer
   * Tenure, or a file that is no database at all, stays as it was. */
  if (!TENURE_DB_GET_CLASS (db)->connect (db, sqlite_path ? sqlite_path : location, flags,
                                          error))
    return NULL;
  if (!tenure_migrations_check (db, &version, error))
    return NULL;
  priv->schema_version = version;
  if (!TENURE_DB_GET_CLASS (db)->configure (db, error))
    return NULL;

  if (target_schema_version != 0
      && version != (target_schema_version < 0 ? tenure_migrations_latest_version ()
                                               : target_schema_version))
    {
      if (!tenure_migrations_apply (db, target_schema_version, error))
        return NULL;
      if (!tenure_migrations_check (db, &version, error))
        return NULL;
      priv->schema_version = version;
    }
  return g_steal_pointer (&db);
}

/* Programs that open a new database at the same moment race to set it up: SQLite answers
 * BUSY at once, without waiting, to one that would otherwise deadlock on the file's locks
 * (switching a new file to WAL takes its exclusive lock while the others hold shared ones).
 * Nothing is written before the step that was refused, so opening simply starts again. */
TenureDb *
tenure_db_open_full (const char         *location,
                     TenureDbOpenFlags   flags,
                     int                 target_schema_version,
                     GError            **error)
{
  gint64 deadline = g_get_monotonic_time () + OPEN_BUSY_TIMEOUT_US;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (;;)
    {
      GError *local_error = NULL;
      TenureDb *db = open_once (location, flags, target_schema_version, &local_error);

      if (db != NULL)
        return db;
      if (!g_error_matches (local_error, TENURE_ERROR, TENURE_ERROR_DB_BUSY)
          || g_get_monotonic_time () >= deadline)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      g_debug ("opening %s again: %s", location, local_error->message);
      g_error_free (local_error);
      g_usleep (50 * 1000);
    }
}

TenureDb *
tenure_db_open (const char         *location,
                TenureDbOpenFlags   flags,
                GError            **error)
{
  return tenure_db_open_full (location, flags, -1, error);
}

TenureDbKind
tenure_db_get_kind (TenureDb *self)
{
  g_return_val_if_fail (TENURE_IS_DB (self), TENURE_DB_SQLITE);

  return TENURE_IS_DB_PG (self) ? TENURE_DB_POSTGRESQL : TENURE_DB_SQLITE;
}

const char *
tenure_db_get_display_name (TenureDb *self)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  g_return_val_if_fail (TENURE_IS_DB (self), NULL);
  return priv->display_name;
}

void
tenure_db_set_display_name (TenureDb   *self,
                            const char *display_name)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  g_free (priv->display_name);
  priv->display_name = g_strdup (display_name);
}

const char *
tenure_db_get_actor (TenureDb *self)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  g_return_val_if_fail (TENURE_IS_DB (self), NULL);
  return priv->actor;
}

void
tenure_db_set_actor (TenureDb   *self,
                     const char *actor)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  g_free (priv->actor);
  priv->actor = g_strdup (actor);
}

int
tenure_db_get_schema_version (TenureDb *self)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  g_return_val_if_fail (TENURE_IS_DB (self), 0);
  return priv->schema_version;
}

int
tenure_db_latest_schema_version (void)
{
  return tenure_migrations_latest_version ();
}

gboolean
tenure_db_exec (TenureDb    *self,
                const char  *sql,
                GError     **error)
{
  g_return_val_if_fail (TENURE_IS_DB (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  if (!check_level_usable (self, error))
    return FALSE;
  if (TENURE_DB_GET_CLASS (self)->exec (self, sql, error))
    return TRUE;
  note_failure (self);
  return FALSE;
}

/* ---- transactions ------------------------------------------------------------------------- */

/* A statement that fails inside a transaction spoils its level on PostgreSQL (everything after
 * it fails until a rollback) but not on SQLite. Both backends behave like PostgreSQL here, so
 * code tried on SQLite does not surprise on a server: after a failure the level only rolls
 * back. */
static void
note_failure (TenureDb *self)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  if (priv->depth > 0)
    priv->level_failed = TRUE;
}

static gboolean
check_level_usable (TenureDb  *self,
                    GError   **error)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  if (priv->depth == 0 || !priv->level_failed)
    return TRUE;
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
               _("A statement in the current transaction on “%s” failed; roll the transaction "
                 "back before going on."), priv->display_name);
  return FALSE;
}

gboolean
tenure_db_begin (TenureDb  *self,
                 GError   **error)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);
  g_autofree char *sql = NULL;

  g_return_val_if_fail (TENURE_IS_DB (self), FALSE);

  if (priv->read_depth > 0 && priv->read_started)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                   _("Nothing can be written on “%s” while it reads a snapshot."),
                   priv->display_name);
      return FALSE;
    }
  if (priv->depth == 0)
    {
      priv->aborted = FALSE;
      priv->level_failed = FALSE;
      if (!TENURE_DB_GET_CLASS (self)->exec (self, TENURE_DB_GET_CLASS (self)->begin_sql, error))
        return FALSE;
    }
  else if (priv->aborted)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                   _("The transaction on “%s” was already rolled back after an error."),
                   priv->display_name);
      return FALSE;
    }
  else
    {
      if (!check_level_usable (self, error))
        return FALSE;
      sql = g_strdup_printf ("SAVEPOINT s%u", priv->depth);
      if (!TENURE_DB_GET_CLASS (self)->exec (self, sql, error))
        {
          note_failure (self);
          return FALSE;
        }
    }
  priv->depth++;
  return TRUE;
}

/* Undoes the innermost level; FALSE when the server had already thrown the transaction away. */
static gboolean
rollback_level (TenureDb *self)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);
  TenureDbClass *klass = TENURE_DB_GET_CLASS (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  priv->depth--;
  priv->level_failed = FALSE;
  if (priv->aborted || !klass->in_transaction (self))
    {
      priv->aborted = priv->depth > 0;
      return FALSE;
    }
  if (priv->depth == 0)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO s%u; RELEASE s%u", priv->depth, priv->depth);
  if (!klass->exec (self, sql, &error))
    {
      g_warning ("rollback on %s failed: %s", priv->display_name, error->message);
      /* Without the savepoint the outer levels cannot be trusted either. */
      if (priv->depth > 0)
        priv->aborted = TRUE;
    }
  return TRUE;
}

gboolean
tenure_db_commit (TenureDb  *self,
                  GError   **error)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);
  TenureDbClass *klass;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (TENURE_IS_DB (self), FALSE);
  g_return_val_if_fail (priv->depth > 0, FALSE);

  klass = TENURE_DB_GET_CLASS (self);
  if (priv->aborted || !klass->in_transaction (self) || priv->level_failed)
    {
      /* Never pretend failed work was saved: undo the level and say so. */
      rollback_level (self);
      if (klass->check_connection != NULL && !klass->check_connection (self, error))
        return FALSE;
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                   _("The transaction on “%s” was rolled back after an error; nothing was "
                     "saved."), priv->display_name);
      return FALSE;
    }

  priv->depth--;
  if (priv->depth == 0)
    {
      if (klass->exec (self, "COMMIT", error))
        return TRUE;
      /* A commit that failed (busy, disk full) must not leave a half-open transaction behind:
       * undo it so the database stays as it was before begin. */
      if (klass->in_transaction (self))
        klass->exec (self, "ROLLBACK", NULL);
      return FALSE;
    }

  sql = g_strdup_printf ("RELEASE s%u", priv->depth);
  if (klass->exec (self, sql, error))
    return TRUE;
  /* Put this level back so the caller's rollback undoes exactly it. */
  priv->depth++;
  note_failure (self);
  return FALSE;
}

void
tenure_db_rollback (TenureDb *self)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  g_return_if_fail (TENURE_IS_DB (self));
  g_return_if_fail (priv->depth > 0);

  rollback_level (self);
}

gboolean
tenure_db_begin_read (TenureDb  *self,
                      GError   **error)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  g_return_val_if_fail (TENURE_IS_DB (self), FALSE);

  if (priv->read_depth == 0)
    {
      /* Inside a write transaction the view is already one. */
      priv->read_started = priv->depth == 0;
      if (priv->read_started
          && !TENURE_DB_GET_CLASS (self)->exec (self, TENURE_DB_GET_CLASS (self)->read_begin_sql,
                                                error))
        return FALSE;
    }
  priv->read_depth++;
  return TRUE;
}

void
tenure_db_end_read (TenureDb *self)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  g_return_if_fail (TENURE_IS_DB (self));
  g_return_if_fail (priv->read_depth > 0);

  if (--priv->read_depth > 0 || !priv->read_started)
    return;
  priv->read_started = FALSE;
  /* Nothing was written: ending it either way is the same, and a rollback also ends a
   * transaction a failed statement spoilt (PostgreSQL). A lost connection has no
   * transaction left to end. */
  if (TENURE_DB_GET_CLASS (self)->in_transaction == NULL
      || TENURE_DB_GET_CLASS (self)->in_transaction (self))
    TENURE_DB_GET_CLASS (self)->exec (self, "ROLLBACK", NULL);
}

guint
tenure_db_get_transaction_depth (TenureDb *self)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);

  g_return_val_if_fail (TENURE_IS_DB (self), 0);
  return priv->depth;
}

/* ---- statements --------------------------------------------------------------------------- */

void
tenure_stmt_init (TenureStmt *stmt,
                  TenureDb   *db,
                  const char *sql)
{
  stmt->db = g_object_ref (db);
  stmt->sql = g_strdup (sql);
  stmt->streaming = FALSE;
}

TenureStmt *
tenure_db_prepare (TenureDb    *self,
                   const char  *sql,
                   GError     **error)
{
  TenureStmt *stmt;

  g_return_val_if_fail (TENURE_IS_DB (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  if (!check_level_usable (self, error))
    return NULL;
  stmt = TENURE_DB_GET_CLASS (self)->prepare (self, sql, error);
  if (stmt == NULL)
    note_failure (self);
  return stmt;
}

TenureStmt *
tenure_db_prepare_streaming (TenureDb    *self,
                             const char  *sql,
                             GError     **error)
{
  TenureStmt *stmt = tenure_db_prepare (self, sql, error);

  if (stmt != NULL)
    stmt->streaming = TRUE;
  return stmt;
}

#define STMT_CLASS(stmt) TENURE_DB_GET_CLASS ((stmt)->db)

void
tenure_stmt_bind_int64 (TenureStmt *stmt,
                        guint       param,
                        gint64      value)
{
  g_return_if_fail (stmt != NULL && param > 0);
  STMT_CLASS (stmt)->stmt_bind_int64 (stmt, param, value);
}

void
tenure_stmt_bind_double (TenureStmt *stmt,
                         guint       param,
                         double      value)
{
  g_return_if_fail (stmt != NULL && param > 0);
  STMT_CLASS (stmt)->stmt_bind_double (stmt, param, value);
}

void
tenure_stmt_bind_text (TenureStmt *stmt,
                       guint       param,
                       const char *value)
{
  g_return_if_fail (stmt != NULL && param > 0);
  if (value == NULL)
    STMT_CLASS (stmt)->stmt_bind_null (stmt, param);
  else
    STMT_CLASS (stmt)->stmt_bind_text (stmt, param, value);
}

void
tenure_stmt_bind_null (TenureStmt *stmt,
                       guint       param)
{
  g_return_if_fail (stmt != NULL && param > 0);
  STMT_CLASS (stmt)->stmt_bind_null (stmt, param);
}

gboolean
tenure_stmt_step (TenureStmt  *stmt,
                  GError     **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (stmt != NULL, FALSE);
  if (!check_level_usable (stmt->db, error))
    return FALSE;
  if (STMT_CLASS (stmt)->stmt_step (stmt, &local_error))
    return TRUE;
  if (local_error != NULL)
    {
      note_failure (stmt->db);
      g_propagate_error (error, local_error);
    }
  return FALSE;
}

gboolean
tenure_stmt_run (TenureStmt  *stmt,
                 GError     **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (stmt != NULL, FALSE);
  while (tenure_stmt_step (stmt, &local_error))
    ;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

guint
tenure_stmt_column_count (TenureStmt *stmt)
{
  g_return_val_if_fail (stmt != NULL, 0);
  return STMT_CLASS (stmt)->stmt_column_count (stmt);
}

gboolean
tenure_stmt_column_is_null (TenureStmt *stmt,
                            guint       col)
{
  g_return_val_if_fail (stmt != NULL, TRUE);
  return STMT_CLASS (stmt)->stmt_column_is_null (stmt, col);
}

gint64
tenure_stmt_column_int64 (TenureStmt *stmt,
                          guint       col)
{
  g_return_val_if_fail (stmt != NULL, 0);
  return STMT_CLASS (stmt)->stmt_column_int64 (stmt, col);
}

double
tenure_stmt_column_double (TenureStmt *stmt,
                           guint       col)
{
  g_return_val_if_fail (stmt != NULL, 0);
  return STMT_CLASS (stmt)->stmt_column_double (stmt, col);
}

const char *
tenure_stmt_column_text (TenureStmt *stmt,
                         guint       col)
{
  g_return_val_if_fail (stmt != NULL, NULL);
  return STMT_CLASS (stmt)->stmt_column_text (stmt, col);
}

gint64
tenure_stmt_changes (TenureStmt *stmt)
{
  g_return_val_if_fail (stmt != NULL, 0);
  return STMT_CLASS (stmt)->stmt_changes (stmt);
}

void
tenure_stmt_reset (TenureStmt *stmt)
{
  g_return_if_fail (stmt != NULL);
  STMT_CLASS (stmt)->stmt_reset (stmt);
}

void
tenure_stmt_free (TenureStmt *stmt)
{
  TenureDb *db;

  if (stmt == NULL)
    return;
  db = stmt->db;
  g_free (stmt->sql);
  /* The backend frees the whole struct; drop the database after it. */
  TENURE_DB_GET_CLASS (db)->stmt_finalize (stmt);
  g_object_unref (db);
}

gboolean
tenure_stmt_step_int64 (TenureStmt  *stmt,
                        gint64      *out_value,
                        GError     **error)
{
  GError *local_error = NULL;
  gint64 value;

  if (!tenure_stmt_step (stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                             _("The query returned no row."));
      return FALSE;
    }
  value = tenure_stmt_column_int64 (stmt, 0);
  while (tenure_stmt_step (stmt, &local_error))
    ;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_value != NULL)
    *out_value = value;
  return TRUE;
}

gboolean
tenure_db_query_int64 (TenureDb    *self,
                       const char  *sql,
                       gint64      *out_value,
                       GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (TENURE_IS_DB (self), FALSE);

  stmt = tenure_db_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  if (!tenure_stmt_step_int64 (stmt, out_value, &local_error))
    {
      /* Name the query when it found nothing: the caller's SQL is the only clue. */
      if (g_error_matches (local_error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND))
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                       _("The query returned no row: %s"), sql);
          g_error_free (local_error);
        }
      else
        g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* ---- job locks ---------------------------------------------------------------------------- */

static const struct
{
  const char *kind;
  const char *label;
} job_labels[] = {
  { "bill-run", N_("bill run") },
  { "migration", N_("database upgrade") },
  { "import", N_("import") },
  { "bank-import", N_("bank statement import") },
  { "period-close", N_("period close") },
};

const char *
tenure_job_kind_label (const char *job_kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (job_labels); i++)
    if (g_str_equal (job_labels[i].kind, job_kind))
      return _(job_labels[i].label);
  return job_kind;
}

static gboolean
job_kind_is_valid (const char *job_kind)
{
  if (job_kind == NULL || *job_kind == '\0' || strlen (job_kind) > 64)
    return FALSE;
  /* It becomes part of a file name next to the database. */
  for (const char *p = job_kind; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-' || *p == '_'))
      return FALSE;
  return TRUE;
}

TenureJobLock *
tenure_db_try_lock_job (TenureDb    *self,
                        const char  *job_kind,
                        GError     **error)
{
  TenureDbPrivate *priv = tenure_db_get_instance_private (self);
  TenureJobLock *lock;

  g_return_val_if_fail (TENURE_IS_DB (self), NULL);

  if (!job_kind_is_valid (job_kind))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("“%s” is not a valid job name (use a-z, 0-9, - and _)."),
                   job_kind ? job_kind : "");
      return NULL;
    }
  if (g_hash_table_contains (priv->held_jobs, job_kind))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_LOCKED,
                   _("A %s is already running in this program on “%s”."),
                   tenure_job_kind_label (job_kind), priv->display_name);
      return NULL;
    }

  lock = g_new0 (TenureJobLock, 1);
  lock->db = g_object_ref (self);
  lock->job_kind = g_strdup (job_kind);
  lock->fd = -1;
  if (!TENURE_DB_GET_CLASS (self)->lock_job (self, lock, error))
    {
      g_object_unref (lock->db);
      g_free (lock->job_kind);
      g_free (lock);
      return NULL;
    }
  g_hash_table_add (priv->held_jobs, g_strdup (job_kind));
  return lock;
}

TenureJobLock *
tenure_db_lock_job (TenureDb      *self,
                    const char    *job_kind,
                    guint          timeout_ms,
                    GCancellable  *cancellable,
                    GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_return_val_if_fail (TENURE_IS_DB (self), NULL);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      TenureJobLock *lock = tenure_db_try_lock_job (self, job_kind, &local_error);
      gint64 now;

      if (lock != NULL)
        return lock;
      now = g_get_monotonic_time ();
      if (!g_error_matches (local_error, TENURE_ERROR, TENURE_ERROR_LOCKED) || now >= deadline)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_CANCELLED,
                       _("Stopped waiting for the running %s."),
                       tenure_job_kind_label (job_kind));
          return NULL;
        }
      /* The holder's death frees the lock at once: a short poll notices it quickly. */
      g_usleep (MIN (75 * 1000, deadline - now));
    }
}

void
tenure_job_lock_release (TenureJobLock *lock)
{
  TenureDbPrivate *priv;

  if (lock == NULL)
    return;
  priv = tenure_db_get_instance_private (lock->db);
  TENURE_DB_GET_CLASS (lock->db)->unlock_job (lock->db, lock);
  g_hash_table_remove (priv->held_jobs, lock->job_kind);
  g_object_unref (lock->db);
  g_free (lock->job_kind);
  g_free (lock->path);
  g_free (lock);
}
