/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-store"

#include "store/tenure-db-sqlite.h"

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct _TenureDbSqlite
{
  TenureDb  parent_instance;
  sqlite3  *db;
  char     *path;
};

G_DEFINE_FINAL_TYPE (TenureDbSqlite, tenure_db_sqlite, TENURE_TYPE_DB)

typedef struct
{
  TenureStmt    parent;
  sqlite3_stmt *stmt;
  gint64        changes;
} SqliteStmt;

#define SELF(db) ((TenureDbSqlite *) (db))

/* ---- errors ------------------------------------------------------------------------------- */

/* Whether PATH (or, when it does not exist, its folder) cannot be written by this process. */
static gboolean
location_is_read_only (const char *path)
{
  g_autofree char *dir = NULL;

  if (access (path, F_OK) == 0)
    {
      if (access (path, W_OK) != 0 && (errno == EACCES || errno == EROFS || errno == EPERM))
        return TRUE;
    }
  dir = g_path_get_dirname (path);
  return access (dir, W_OK) != 0 && (errno == EACCES || errno == EROFS || errno == EPERM);
}

static void
set_error_from_code (TenureDbSqlite  *self,
                     int              rc,
                     const char      *detail,
                     GError         **error)
{
  const char *path = self->path;
  int sys_errno = self->db != NULL ? sqlite3_system_errno (self->db) : 0;

  if (detail == NULL)
    detail = sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_NOT_DATABASE,
                   _("“%s” is damaged or is not a Tenure database (%s)."), path, detail);
      break;
    case SQLITE_READONLY:
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_READ_ONLY,
                   _("“%s” cannot be written: it or its folder is read-only (%s)."),
                   path, detail);
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      if (location_is_read_only (path))
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_READ_ONLY,
                     _("“%s” cannot be written: it or its folder is read-only (%s)."),
                     path, detail);
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_OPEN,
                     _("Could not open the database “%s” (%s)."), path, detail);
      break;
    case SQLITE_FULL:
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_FULL,
                   _("The disk holding “%s” is full; the change was not saved (%s)."),
                   path, detail);
      break;
    case SQLITE_IOERR:
      if (sys_errno == ENOSPC || sys_errno == EDQUOT)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_FULL,
                     _("The disk holding “%s” is full; the change was not saved (%s)."),
                     path, detail);
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                     _("Reading or writing “%s” failed (%s)."), path, detail);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_BUSY,
                   _("“%s” is busy: another program is writing to it; try again (%s)."),
                   path, detail);
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT,
                   _("The database “%s” refused the change (%s)."), path, detail);
      break;
    default:
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                   _("Database error in “%s”: %s."), path, detail);
      break;
    }
}

static void
set_error_from_db (TenureDbSqlite  *self,
                   int              rc,
                   GError         **error)
{
  set_error_from_code (self, rc, sqlite3_errmsg (self->db), error);
}

/* ---- SQL functions for the audit triggers ------------------------------------------------- */

static void
fn_actor (sqlite3_context  *ctx,
          int               argc,
          sqlite3_value   **argv)
{
  sqlite3_result_text (ctx, g_get_user_name (), -1, SQLITE_TRANSIENT);
}

static void
fn_now (sqlite3_context  *ctx,
        int               argc,
        sqlite3_value   **argv)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");

  sqlite3_result_text (ctx, text, -1, SQLITE_TRANSIENT);
}

static void
fn_sha256 (sqlite3_context  *ctx,
           int               argc,
           sqlite3_value   **argv)
{
  const unsigned char *text;
  g_autofree char *hex = NULL;

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL)
    {
      sqlite3_result_null (ctx);
      return;
    }
  text = sqlite3_value_text (argv[0]);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, text,
                                     (gsize) sqlite3_value_bytes (argv[0]));
  sqlite3_result_text (ctx, hex, -1, SQLITE_TRANSIENT);
}

/* ---- placeholders ------------------------------------------------------------------------- */

/* $N → ?N outside string literals, quoted identifiers and comments. */
static char *
rewrite_placeholders (const char *sql)
{
  GString *out = g_string_sized_new (strlen (sql));
  const char *p = sql;

  while (*p != '\0')
    {
      if (*p == '\'' || *p == '"' || *p == '`')
        {
          char quote = *p;
          g_string_append_c (out, *p++);
          while (*p != '\0')
            {
              g_string_append_c (out, *p);
              if (*p++ == quote)
                {
                  if (*p == quote) /* doubled quote inside */
                    g_string_append_c (out, *p++);
                  else
                    break;
                }
            }
        }
      else if (p[0] == '-' && p[1] == '-')
        {
          while (*p != '\0' && *p != '\n')
            g_string_append_c (out, *p++);
        }
      else if (p[0] == '/' && p[1] == '*')
        {
          const char *end = strstr (p + 2, "*/");
          gsize len = end ? (gsize) (end + 2 - p) : strlen (p);
          g_string_append_len (out, p, len);
          p += len;
        }
      else if (*p == '$' && g_ascii_isdigit (p[1])
               && (p == sql || !(g_ascii_isalnum (p[-1]) || p[-1] == '_' || p[-1] == '$')))
        {
          /* Not inside a name: SQLite allows "$" in identifiers such as a$1. */
          g_string_append_c (out, '?');
          p++;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* ---- open --------------------------------------------------------------------------------- */

static guint32
read_be32 (const guchar *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* Refuses what is not an SQLite database before SQLite may write to it (a hot journal, the WAL
 * pragma): a non-empty file must start with the SQLite header, name a valid page size and be
 * at least as long as the header says. */
/* A checkpoint copies pages from the WAL into the database file, page 1 (with the new page
 * count) first; a process killed in the middle leaves a file shorter than its header says, which
 * SQLite repairs from the WAL on the next open. Only without a WAL is that file truncated. */
static gboolean
wal_has_frames (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  struct stat st;

  return stat (wal, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 32;
}

static gboolean
check_header (const char  *path,
              GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  guchar header[100];
  struct stat st;
  ssize_t n;
  int fd;
  guint page_size;
  guint32 n_pages, change_counter, valid_for;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_OPEN,
                   _("Could not open the database “%s” (%s)."), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_NOT_DATABASE,
                   _("“%s” is not a file, so it cannot be a Tenure database."), path);
      return FALSE;
    }
  if (st.st_size == 0)
    {
      close (fd);
      return TRUE;
    }
  do
    n = pread (fd, header, sizeof header, 0);
  while (n < 0 && errno == EINTR);
  close (fd);

  if (n < (ssize_t) sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_NOT_DATABASE,
                   _("“%s” is not a Tenure database: it is not an SQLite file."), path);
      return FALSE;
    }

  page_size = (guint) header[16] << 8 | header[17];
  if (page_size == 1)
    page_size = 65536;
  change_counter = read_be32 (header + 24);
  n_pages = read_be32 (header + 28);
  valid_for = read_be32 (header + 92);
  if (page_size < 512 || (page_size & (page_size - 1)) != 0
      || (change_counter == valid_for && n_pages > 0
          && (guint64) n_pages * page_size > (guint64) st.st_size
          && !wal_has_frames (path)))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_NOT_DATABASE,
                   _("“%s” is damaged: the database file is truncated or garbled."), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
tenure_db_sqlite_connect (TenureDb           *db,
                          const char         *path,
                          TenureDbOpenFlags   flags,
                          GError            **error)
{
  TenureDbSqlite *self = SELF (db);
  int open_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;
  int rc;

  self->path = g_strdup (path);
  tenure_db_set_display_name (db, path);
  tenure_db_set_actor (db, g_get_user_name ());

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!check_header (path, error))
        return FALSE;
    }
  else if (flags & TENURE_DB_OPEN_CREATE)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, TENURE_ERROR,
                       (saved_errno == EACCES || saved_errno == EROFS || saved_errno == EPERM)
                         ? TENURE_ERROR_DB_READ_ONLY : TENURE_ERROR_DB_OPEN,
                       _("Could not create the folder “%s” for the database (%s)."),
                       dir, g_strerror (saved_errno));
          return FALSE;
        }
      open_flags |= SQLITE_OPEN_CREATE;
    }
  else
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("The database “%s” does not exist."), path);
      return FALSE;
    }

  rc = sqlite3_open_v2 (path, &self->db, open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_db (self, rc, error);
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);
  /* SQLite quietly opens a write-protected file read-only; Tenure has to write. */
  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      set_error_from_code (self, SQLITE_READONLY, g_strerror (EACCES), error);
      return FALSE;
    }
  sqlite3_busy_timeout (self->db, 5000);

  if (sqlite3_create_function (self->db, "tenure_actor", 0, SQLITE_UTF8, NULL,
                               fn_actor, NULL, NULL) != SQLITE_OK
      || sqlite3_create_function (self->db, "tenure_now", 0, SQLITE_UTF8, NULL,
                                  fn_now, NULL, NULL) != SQLITE_OK
      || sqlite3_create_function (self->db, "tenure_sha256", 1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                  fn_sha256, NULL, NULL) != SQLITE_OK)
    {
      set_error_from_db (self, sqlite3_errcode (self->db), error);
      return FALSE;
    }

  /* Read the schema once: a damaged file fails here, before anything writes. */
  rc = sqlite3_exec (self->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_db (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
tenure_db_sqlite_exec (TenureDb    *db,
                       const char  *sql,
                       GError     **error)
{
  TenureDbSqlite *self = SELF (db);
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_error_from_db (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* Address space, not memory: the kernel pages the file in as it is read. SQLite caps it at its
 * SQLITE_MAX_MMAP_SIZE (2 GB in the Debian build); beyond, pages are read as before. */
#define TENURE_SQLITE_MMAP_SIZE 2147418112

static gboolean
tenure_db_sqlite_configure (TenureDb  *db,
                            GError   **error)
{
  TenureDbSqlite *self = SELF (db);
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* journal_mode answers with the mode in force: WAL may be refused (a network file system). */
  rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode=WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          const char *mode = (const char *) sqlite3_column_text (stmt, 0);
          if (g_ascii_strcasecmp (mode, "wal") != 0)
            g_debug ("%s: journal mode stays %s", self->path, mode);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      set_error_from_db (self, rc, error);
      return FALSE;
    }
  /* Reads (the dashboards, reports) touch pages scattered over a large file: map it instead of
   * copying each page through read (), and keep more of it than the default 2 MB cache.
   * Both are upper bounds: a small database uses what it has. */
  return tenure_db_sqlite_exec (db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                                " PRAGMA mmap_size=" G_STRINGIFY (TENURE_SQLITE_MMAP_SIZE) ";"
                                " PRAGMA cache_size=-32768", error);
}

static void
tenure_db_sqlite_close (TenureDb *db)
{
  TenureDbSqlite *self = SELF (db);

  if (self->db != NULL)
    {
      /* Statements hold a reference on the database, so none is left here. */
      if (sqlite3_close (self->db) != SQLITE_OK)
        g_warning ("closing %s: %s", self->path, sqlite3_errmsg (self->db));
      self->db = NULL;
    }
}

static gboolean
tenure_db_sqlite_in_transaction (TenureDb *db)
{
  return !sqlite3_get_autocommit (SELF (db)->db);
}

/* ---- statements --------------------------------------------------------------------------- */

static TenureStmt *
tenure_db_sqlite_prepare (TenureDb    *db,
                          const char  *sql,
                          GError     **error)
{
  TenureDbSqlite *self = SELF (db);
  g_autofree char *rewritten = rewrite_placeholders (sql);
  sqlite3_stmt *stmt = NULL;
  const char *tail = NULL;
  SqliteStmt *s;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, rewritten, -1, &stmt, &tail);
  if (rc != SQLITE_OK)
    {
      set_error_from_db (self, rc, error);
      return NULL;
    }
  while (tail != NULL && (g_ascii_isspace (*tail) || *tail == ';'))
    tail++;
  if (stmt == NULL || (tail != NULL && *tail != '\0'))
    {
      sqlite3_finalize (stmt);
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                   _("A prepared statement must hold exactly one SQL statement: %s"), sql);
      return NULL;
    }

  s = g_new0 (SqliteStmt, 1);
  tenure_stmt_init (&s->parent, db, sql);
  s->stmt = stmt;
  return &s->parent;
}

static void
check_bind (TenureStmt *stmt,
            guint       param,
            int         rc)
{
  if (rc != SQLITE_OK)
    g_critical ("binding parameter %u of “%s”: %s", param, stmt->sql, sqlite3_errstr (rc));
}

static void
tenure_db_sqlite_stmt_bind_int64 (TenureStmt *stmt,
                                  guint       param,
                                  gint64      value)
{
  check_bind (stmt, param, sqlite3_bind_int64 (((SqliteStmt *) stmt)->stmt, (int) param, value));
}

static void
tenure_db_sqlite_stmt_bind_double (TenureStmt *stmt,
                                   guint       param,
                                   double      value)
{
  check_bind (stmt, param, sqlite3_bind_double (((SqliteStmt *) stmt)->stmt, (int) param, value));
}

static void
tenure_db_sqlite_stmt_bind_text (TenureStmt *stmt,
                                 guint       param,
                                 const char *value)
{
  check_bind (stmt, param, sqlite3_bind_text (((SqliteStmt *) stmt)->stmt, (int) param,
                                              value, -1, SQLITE_TRANSIENT));
}

static void
tenure_db_sqlite_stmt_bind_null (TenureStmt *stmt,
                                 guint       param)
{
  check_bind (stmt, param, sqlite3_bind_null (((SqliteStmt *) stmt)->stmt, (int) param));
}

static gboolean
tenure_db_sqlite_stmt_step (TenureStmt  *stmt,
                            GError     **error)
{
  SqliteStmt *s = (SqliteStmt *) stmt;
  TenureDbSqlite *self = SELF (stmt->db);
  int rc = sqlite3_step (s->stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    {
      s->changes = sqlite3_stmt_readonly (s->stmt) ? 0 : sqlite3_changes (self->db);
      return FALSE;
    }
  set_error_from_db (self, rc, error);
  /* Ends the failed run (and any read lock it holds); bindings stay for a retry. */
  sqlite3_reset (s->stmt);
  return FALSE;
}

static guint
tenure_db_sqlite_stmt_column_count (TenureStmt *stmt)
{
  return (guint) sqlite3_column_count (((SqliteStmt *) stmt)->stmt);
}

static gboolean
tenure_db_sqlite_stmt_column_is_null (TenureStmt *stmt,
                                      guint       col)
{
  return sqlite3_column_type (((SqliteStmt *) stmt)->stmt, (int) col) == SQLITE_NULL;
}

static gint64
tenure_db_sqlite_stmt_column_int64 (TenureStmt *stmt,
                                    guint       col)
{
  return sqlite3_column_int64 (((SqliteStmt *) stmt)->stmt, (int) col);
}

static double
tenure_db_sqlite_stmt_column_double (TenureStmt *stmt,
                                     guint       col)
{
  return sqlite3_column_double (((SqliteStmt *) stmt)->stmt, (int) col);
}

static const char *
tenure_db_sqlite_stmt_column_text (TenureStmt *stmt,
                                   guint       col)
{
  return (const char *) sqlite3_column_text (((SqliteStmt *) stmt)->stmt, (int) col);
}

static gint64
tenure_db_sqlite_stmt_changes (TenureStmt *stmt)
{
  return ((SqliteStmt *) stmt)->changes;
}

static void
tenure_db_sqlite_stmt_reset (TenureStmt *stmt)
{
  SqliteStmt *s = (SqliteStmt *) stmt;

  sqlite3_reset (s->stmt);
  sqlite3_clear_bindings (s->stmt);
  s->changes = 0;
}

static void
tenure_db_sqlite_stmt_finalize (TenureStmt *stmt)
{
  SqliteStmt *s = (SqliteStmt *) stmt;

  sqlite3_finalize (s->stmt);
  g_free (s);
}

/* ---- job locks ---------------------------------------------------------------------------- */

/* "host", "pid", "user", "since" from the side file's "key=value" lines. */
static char *
holder_field (const char *text,
              const char *key)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gsize key_len = strlen (key);

  for (char **l = lines; *l != NULL; l++)
    if (strncmp (*l, key, key_len) == 0 && (*l)[key_len] == '=')
      return g_strdup (*l + key_len + 1);
  return NULL;
}

/* "09:14" today, else "2026-11-26 09:14", in local time. */
static char *
format_since (const char *iso)
{
  g_autoptr(GDateTime) utc = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (utc == NULL)
    return g_strdup (iso ? iso : "?");
  local = g_date_time_to_local (utc);
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static void
set_locked_error (TenureDbSqlite  *self,
                  const char      *job_kind,
                  int              fd,
                  GError         **error)
{
  char buf[1024];
  ssize_t n = pread (fd, buf, sizeof buf - 1, 0);
  g_autofree char *pid = NULL;
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *started = NULL;
  g_autofree char *since = NULL;

  buf[MAX (n, 0)] = '\0';
  pid = holder_field (buf, "pid");
  host = holder_field (buf, "host");
  user = holder_field (buf, "user");
  started = holder_field (buf, "since");
  if (pid == NULL)
    {
      /* The holder has the lock but has not written its name yet. */
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_LOCKED,
                   _("A %s is already running on “%s” in another program."),
                   tenure_job_kind_label (job_kind), self->path);
      return;
    }
  since = format_since (started);
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_LOCKED,
               _("A %s is already running on “%s” (process %s on host %s, user %s, since %s)."),
               tenure_job_kind_label (job_kind), self->path, pid,
               host ? host : "?", user ? user : "?", since);
}

static gboolean
tenure_db_sqlite_lock_job (TenureDb       *db,
                           TenureJobLock  *lock,
                           GError        **error)
{
  TenureDbSqlite *self = SELF (db);
  g_autofree char *path = g_strdup_printf ("%s.%s.lock", self->path, lock->job_kind);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *since = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *info = NULL;
  gsize len, done = 0;
  int fd;

  fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, TENURE_ERROR,
                   (saved_errno == EACCES || saved_errno == EROFS || saved_errno == EPERM)
                     ? TENURE_ERROR_DB_READ_ONLY : TENURE_ERROR_IO,
                   _("Could not create the lock file “%s” (%s)."), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  /* flock belongs to this open file: the kernel drops it when the holder dies. */
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;
      if (saved_errno == EWOULDBLOCK)
        set_locked_error (self, lock->job_kind, fd, error);
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO,
                     _("Could not lock “%s” (%s)."), path, g_strerror (saved_errno));
      close (fd);
      return FALSE;
    }

  info = g_strdup_printf ("host=%s\npid=%d\nuser=%s\nsince=%s\n", g_get_host_name (),
                          (int) getpid (), g_get_user_name (), since);
  len = strlen (info);
  if (ftruncate (fd, 0) != 0)
    g_debug ("truncating %s: %s", path, g_strerror (errno));
  while (done < len)
    {
      ssize_t n = pwrite (fd, info + done, len - done, (off_t) done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          /* The lock holds without the note; others then see an unnamed holder. */
          g_debug ("writing %s: %s", path, g_strerror (errno));
          break;
        }
      done += (gsize) n;
    }

  lock->fd = fd;
  lock->path = g_steal_pointer (&path);
  return TRUE;
}

static void
tenure_db_sqlite_unlock_job (TenureDb      *db,
                             TenureJobLock *lock)
{
  if (lock->fd < 0)
    return;
  /* The file stays (unlinking races with a waiter that opened it); only the note goes. */
  if (ftruncate (lock->fd, 0) != 0)
    g_debug ("truncating %s: %s", lock->path, g_strerror (errno));
  close (lock->fd);
  lock->fd = -1;
}

/* ---- class -------------------------------------------------------------------------------- */

static void
tenure_db_sqlite_finalize (GObject *object)
{
  TenureDbSqlite *self = SELF (object);

  G_OBJECT_CLASS (tenure_db_sqlite_parent_class)->finalize (object);
  g_free (self->path);
}

static void
tenure_db_sqlite_class_init (TenureDbSqliteClass *klass)
{
  TenureDbClass *db_class = TENURE_DB_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tenure_db_sqlite_finalize;

  db_class->connect = tenure_db_sqlite_connect;
  db_class->configure = tenure_db_sqlite_configure;
  db_class->close = tenure_db_sqlite_close;
  db_class->exec = tenure_db_sqlite_exec;
  /* IMMEDIATE: take the write lock up front, so a second writer waits (busy_timeout) at
   * begin instead of failing half-way through its work. */
  db_class->begin_sql = "BEGIN IMMEDIATE";
  db_class->read_begin_sql = "BEGIN DEFERRED";
  db_class->in_transaction = tenure_db_sqlite_in_transaction;
  db_class->prepare = tenure_db_sqlite_prepare;
  db_class->stmt_bind_int64 = tenure_db_sqlite_stmt_bind_int64;
  db_class->stmt_bind_double = tenure_db_sqlite_stmt_bind_double;
  db_class->stmt_bind_text = tenure_db_sqlite_stmt_bind_text;
  db_class->stmt_bind_null = tenure_db_sqlite_stmt_bind_null;
  db_class->stmt_step = tenure_db_sqlite_stmt_step;
  db_class->stmt_column_count = tenure_db_sqlite_stmt_column_count;
  db_class->stmt_column_is_null = tenure_db_sqlite_stmt_column_is_null;
  db_class->stmt_column_int64 = tenure_db_sqlite_stmt_column_int64;
  db_class->stmt_column_double = tenure_db_sqlite_stmt_column_double;
  db_class->stmt_column_text = tenure_db_sqlite_stmt_column_text;
  db_class->stmt_changes = tenure_db_sqlite_stmt_changes;
  db_class->stmt_reset = tenure_db_sqlite_stmt_reset;
  db_class->stmt_finalize = tenure_db_sqlite_stmt_finalize;
  db_class->lock_job = tenure_db_sqlite_lock_job;
  db_class->unlock_job = tenure_db_sqlite_unlock_job;
}

static void
tenure_db_sqlite_init (TenureDbSqlite *self)
{
}
