/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-store"

#include "store/tenure-db-pg.h"

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

#include <locale.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* First key of every Tenure advisory lock ("TENU"); the second is hashtext (job_kind). */
#define JOB_LOCK_CLASS "1413828181"

typedef struct
{
  char *name;
  int   n_params;
  int   n_fields;
  int   users;    /* statements using it: only unused ones are evicted */
} PgPrepared;

/* Server-side prepared statements kept per connection before unused ones are dropped: SQL
 * built with values in its text must not grow the server's memory without bound. */
#define PREPARED_CACHE_MAX 256

struct _TenureDbPg
{
  TenureDb    parent_instance;
  PGconn     *conn;
  /* SQL text → PgPrepared: each distinct statement is prepared once per connection. */
  GHashTable *prepared;
  guint       next_name;
};

G_DEFINE_FINAL_TYPE (TenureDbPg, tenure_db_pg, TENURE_TYPE_DB)

typedef struct
{
  TenureStmt  parent;
  PgPrepared *prepared; /* owned by the database's cache */
  char      **params;   /* n_params text values, NULL for SQL NULL */
  PGresult   *res;
  int         row;
  gboolean    finished;
  gint64      changes;
  gboolean    active;   /* streaming: sent, and the connection still owes results */
} PgStmt;

#define SELF(db) ((TenureDbPg *) (db))

static void
pg_prepared_free (gpointer data)
{
  PgPrepared *p = data;

  g_free (p->name);
  g_free (p);
}

/* ---- errors ------------------------------------------------------------------------------- */

/* libpq's message on one line, without the trailing newline. */
static char *
clean_message (const char *message)
{
  char *text = g_strdup (message ? message : "");

  g_strstrip (text);
  for (char *p = text; *p; p++)
    if (*p == '\n' || *p == '\t')
      *p = ' ';
  return text;
}

static gboolean
connection_lost (TenureDbPg *self,
                 const char *sqlstate)
{
  if (PQstatus (self->conn) == CONNECTION_BAD)
    return TRUE;
  return sqlstate != NULL
    && (g_str_has_prefix (sqlstate, "08") || g_str_equal (sqlstate, "57P01")
        || g_str_equal (sqlstate, "57P02") || g_str_equal (sqlstate, "57P03"));
}

/* Sets ERROR from a failed result (RES may be NULL when libpq could not even send). */
static void
set_error_from_result (TenureDbPg  *self,
                       PGresult    *res,
                       GError     **error)
{
  const char *sqlstate = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *name = tenure_db_get_display_name (TENURE_DB (self));
  g_autofree char *detail = NULL;

  detail = clean_message (res && *PQresultErrorMessage (res) ? PQresultErrorMessage (res)
                                                            : PQerrorMessage (self->conn));
  if (connection_lost (self, sqlstate))
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_LOST,
                 _("The connection to the database %s was lost; the unfinished change was not "
                   "saved. Reconnect and try again (%s)."), name, detail);
  else if (sqlstate != NULL && g_str_has_prefix (sqlstate, "23"))
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT,
                 _("The database %s refused the change (%s)."), name, detail);
  else if (sqlstate != NULL
           && (g_str_equal (sqlstate, "40001") || g_str_equal (sqlstate, "40P01")
               || g_str_equal (sqlstate, "55P03")))
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_BUSY,
                 _("The database %s is busy with another user's change; try again (%s)."),
                 name, detail);
  else if (sqlstate != NULL && g_str_has_prefix (sqlstate, "53"))
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_FULL,
                 _("The database server of %s is out of disk space or memory; the change was "
                   "not saved (%s)."), name, detail);
  else if (sqlstate != NULL && g_str_equal (sqlstate, "25006"))
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_READ_ONLY,
                 _("The database %s is read-only (%s)."), name, detail);
  else
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                 _("Database error in %s: %s"), name, detail);
}

/* A failed PQconnectdb: the server was not there, refused who we are, or lacks the database.
 * libpq gives no SQLSTATE for these, so the (untranslated, see connect) message decides. */
static void
set_connect_error (TenureDbPg  *self,
                   GError     **error)
{
  const char *name = tenure_db_get_display_name (TENURE_DB (self));
  g_autofree char *detail = clean_message (PQerrorMessage (self->conn));

  if (PQconnectionNeedsPassword (self->conn)
      || strstr (detail, "password authentication failed") != NULL
      || strstr (detail, "no password supplied") != NULL
      || strstr (detail, "authentication failed") != NULL
      || strstr (detail, "pg_hba.conf") != NULL
      || (strstr (detail, "role \"") != NULL && strstr (detail, "does not exist") != NULL))
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_AUTH,
                 _("The PostgreSQL server %s refused the sign-in: check the user name and "
                   "password (%s)."), name, detail);
  else if (strstr (detail, "database \"") != NULL && strstr (detail, "does not exist") != NULL)
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                 _("The database %s does not exist on its server (%s)."), name, detail);
  else
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_UNREACHABLE,
                 _("Cannot reach the PostgreSQL server of %s: check the address and that the "
                   "server is running (%s)."), name, detail);
}

/* ---- open --------------------------------------------------------------------------------- */

static void
notice_cb (void       *data,
           const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

static void
update_display_name (TenureDbPg *self)
{
  const char *host = PQhost (self->conn);
  const char *port = PQport (self->conn);
  g_autofree char *name = NULL;

  name = g_strdup_printf ("%s@%s:%s/%s", PQuser (self->conn) ? PQuser (self->conn) : "",
                          host && *host ? host : "localhost", port && *port ? port : "5432",
                          PQdb (self->conn) ? PQdb (self->conn) : "");
  tenure_db_set_display_name (TENURE_DB (self), name);
}

static gboolean
tenure_db_pg_exec (TenureDb    *db,
                   const char  *sql,
                   GError     **error)
{
  TenureDbPg *self = SELF (db);
  PGresult *res = PQexec (self->conn, sql);
  ExecStatusType status = PQresultStatus (res);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
    {
      set_error_from_result (self, res, error);
      PQclear (res);
      return FALSE;
    }
  /* COMMIT of a transaction spoiled by an error "succeeds" as a ROLLBACK. */
  if (g_ascii_strcasecmp (sql, "COMMIT") == 0 && g_str_equal (PQcmdStatus (res), "ROLLBACK"))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                   _("The transaction on “%s” was rolled back after an error; nothing was "
                     "saved."), tenure_db_get_display_name (db));
      PQclear (res);
      return FALSE;
    }
  PQclear (res);
  return TRUE;
}

static gboolean
tenure_db_pg_connect (TenureDb           *db,
                      const char         *location,
                      TenureDbOpenFlags   flags,
                      GError            **error)
{
  TenureDbPg *self = SELF (db);
  /* Entries before dbname are defaults the location may override; those after it win. */
  const char *keywords[] = { "connect_timeout", "dbname", "application_name",
                             "client_encoding", NULL };
  const char *values[] = { "10", location, "tenure", "UTF8", NULL };
  locale_t c_locale;
  locale_t old_locale = (locale_t) 0;
  PGresult *res;
  char *errmsg = NULL;
  PQconninfoOption *options;

  /* Reject a malformed location before libpq reports it as an unreachable server. */
  options = PQconninfoParse (location, &errmsg);
  if (options == NULL)
    {
      g_autofree char *detail = clean_message (errmsg);
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_OPEN,
                   _("The database location is not valid: %s"), detail);
      PQfreemem (errmsg);
      return FALSE;
    }
  PQconninfoFree (options);

  /* libpq translates its own messages: keep them in English while connecting, so a failure
   * can be told apart (wrong password or no server) whatever the user's language. */
  c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  if (c_locale != (locale_t) 0)
    old_locale = uselocale (c_locale);
  self->conn = PQconnectdbParams (keywords, values, TRUE);
  if (c_locale != (locale_t) 0)
    {
      uselocale (old_locale);
      freelocale (c_locale);
    }
  if (self->conn == NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB_OPEN,
                   _("Could not connect to PostgreSQL: out of memory."));
      return FALSE;
    }
  update_display_name (self);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      set_connect_error (self, error);
      return FALSE;
    }
  PQsetNoticeProcessor (self->conn, notice_cb, NULL);

  res = PQexec (self->conn, "SELECT current_user");
  if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) != 1)
    {
      set_error_from_result (self, res, error);
      PQclear (res);
      return FALSE;
    }
  tenure_db_set_actor (db, PQgetvalue (res, 0, 0));
  PQclear (res);

  /* Job locks die with the session. A workstation that crashes or drops off the network never
   * closes its socket: have the server probe it, so its locks go within about 1.5 minutes
   * rather than the system default of hours (ignored on Unix sockets). */
  return tenure_db_pg_exec (db, "SET tcp_keepalives_idle = 60; "
                                "SET tcp_keepalives_interval = 10; "
                                "SET tcp_keepalives_count = 3", error);
}

static gboolean
tenure_db_pg_configure (TenureDb  *db,
                        GError   **error)
{
  return TRUE;
}

static void
tenure_db_pg_close (TenureDb *db)
{
  TenureDbPg *self = SELF (db);

  g_clear_pointer (&self->conn, PQfinish);
}

static gboolean
tenure_db_pg_in_transaction (TenureDb *db)
{
  PGTransactionStatusType status = PQtransactionStatus (SELF (db)->conn);

  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

static gboolean
tenure_db_pg_check_connection (TenureDb  *db,
                               GError   **error)
{
  TenureDbPg *self = SELF (db);

  if (PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;
  set_error_from_result (self, NULL, error);
  return FALSE;
}

/* ---- statements --------------------------------------------------------------------------- */

static PgPrepared *
lookup_or_prepare (TenureDbPg  *self,
                   const char  *sql,
                   GError     **error)
{
  PgPrepared *prepared = g_hash_table_lookup (self->prepared, sql);
  g_autofree char *name = NULL;
  PGresult *res;

  if (prepared != NULL)
    return prepared;

  if (g_hash_table_size (self->prepared) >= PREPARED_CACHE_MAX)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->prepared);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          PgPrepared *old = value;
          g_autofree char *sql_dealloc = NULL;

          if (old->users > 0)
            continue;
          sql_dealloc = g_strdup_printf ("DEALLOCATE %s", old->name);
          PQclear (PQexec (self->conn, sql_dealloc));
          g_hash_table_iter_remove (&iter);
        }
    }

  name = g_strdup_printf ("tenure_%u", self->next_name++);
  res = PQprepare (self->conn, name, sql, 0, NULL);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_error_from_result (self, res, error);
      PQclear (res);
      return NULL;
    }
  PQclear (res);

  res = PQdescribePrepared (self->conn, name);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_error_from_result (self, res, error);
      PQclear (res);
      return NULL;
    }
  prepared = g_new0 (PgPrepared, 1);
  prepared->name = g_steal_pointer (&name);
  prepared->n_params = PQnparams (res);
  prepared->n_fields = PQnfields (res);
  PQclear (res);
  g_hash_table_insert (self->prepared, g_strdup (sql), prepared);
  return prepared;
}

static TenureStmt *
tenure_db_pg_prepare (TenureDb    *db,
                      const char  *sql,
                      GError     **error)
{
  TenureDbPg *self = SELF (db);
  PgPrepared *prepared = lookup_or_prepare (self, sql, error);
  PgStmt *s;

  if (prepared == NULL)
    return NULL;
  s = g_new0 (PgStmt, 1);
  tenure_stmt_init (&s->parent, db, sql);
  s->prepared = prepared;
  prepared->users++;
  s->params = g_new0 (char *, prepared->n_params + 1);
  s->row = -1;
  return &s->parent;
}

static void
set_param (TenureStmt *stmt,
           guint       param,
           char       *value)
{
  PgStmt *s = (PgStmt *) stmt;

  if (param == 0 || param > (guint) s->prepared->n_params)
    {
      g_critical ("binding parameter %u of “%s”: it has %d parameters", param, stmt->sql,
                  s->prepared->n_params);
      g_free (value);
      return;
    }
  g_free (s->params[param - 1]);
  s->params[param - 1] = value;
}

static void
tenure_db_pg_stmt_bind_int64 (TenureStmt *stmt,
                              guint       param,
                              gint64      value)
{
  /* Integer formatting does not depend on the locale. */
  set_param (stmt, param, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

static void
tenure_db_pg_stmt_bind_double (TenureStmt *stmt,
                               guint       param,
                               double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  set_param (stmt, param, g_strdup (g_ascii_dtostr (buf, sizeof buf, value)));
}

static void
tenure_db_pg_stmt_bind_text (TenureStmt *stmt,
                             guint       param,
                             const char *value)
{
  set_param (stmt, param, g_strdup (value));
}

static void
tenure_db_pg_stmt_bind_null (TenureStmt *stmt,
                             guint       param)
{
  set_param (stmt, param, NULL);
}

/* Reads and drops whatever a streaming statement still has coming, so the connection can run
 * the next query; asks the server to stop first when rows are still to come. */
static void
stream_abandon (PgStmt *s)
{
  TenureDbPg *self = SELF (s->parent.db);
  PGresult *res;

  if (!s->active)
    return;
  s->active = FALSE;
  g_clear_pointer (&s->res, PQclear);
  /* Cancelling inside a transaction would abort it: there the rest is read and dropped. */
  if (tenure_db_get_transaction_depth (s->parent.db) == 0)
    {
      PGcancel *cancel = PQgetCancel (self->conn);
      char errbuf[256];

      if (cancel != NULL)
        {
          PQcancel (cancel, errbuf, sizeof errbuf);
          PQfreeCancel (cancel);
        }
    }
  while ((res = PQgetResult (self->conn)) != NULL)
    PQclear (res);
}

/* Streaming: each step takes the next single-row result from the connection. */
static gboolean
stream_step (PgStmt  *s,
             GError **error)
{
  TenureDbPg *self = SELF (s->parent.db);
  PGresult *res;
  ExecStatusType status;

  g_clear_pointer (&s->res, PQclear);
  if (s->finished)
    s->finished = FALSE; /* stepping past the end runs it again */
  if (!s->active)
    {
      if (!PQsendQueryPrepared (self->conn, s->prepared->name, s->prepared->n_params,
                                (const char * const *) s->params, NULL, NULL, 0))
        {
          set_error_from_result (self, NULL, error);
          return FALSE;
        }
      s->active = TRUE;
      s->changes = 0;
      if (!PQsetSingleRowMode (self->conn))
        {
          stream_abandon (s);
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                       _("Database error in %s: cannot read the rows one at a time."),
                       tenure_db_get_display_name (s->parent.db));
          return FALSE;
        }
    }

  res = PQgetResult (self->conn);
  status = res ? PQresultStatus (res) : PGRES_FATAL_ERROR;
  if (status == PGRES_SINGLE_TUPLE)
    {
      s->res = res;
      s->row = 0;
      return TRUE;
    }
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
    {
      PQclear (res);
      while ((res = PQgetResult (self->conn)) != NULL)
        PQclear (res);
      s->active = FALSE;
      s->finished = TRUE;
      return FALSE;
    }
  set_error_from_result (self, res, error);
  g_clear_pointer (&res, PQclear);
  while ((res = PQgetResult (self->conn)) != NULL)
    PQclear (res);
  s->active = FALSE;
  s->finished = TRUE;
  return FALSE;
}

static gboolean
tenure_db_pg_stmt_step (TenureStmt  *stmt,
                        GError     **error)
{
  PgStmt *s = (PgStmt *) stmt;
  TenureDbPg *self = SELF (stmt->db);

  if (stmt->streaming)
    return stream_step (s, error);

  if (s->finished)
    {
      /* Like SQLite: stepping past the end runs the statement again. */
      g_clear_pointer (&s->res, PQclear);
      s->finished = FALSE;
    }
  if (s->res == NULL)
    {
      PGresult *res;
      ExecStatusType status;

      /* The whole result comes at once (tenure_db_prepare_streaming () for huge reads). */
      res = PQexecPrepared (self->conn, s->prepared->name, s->prepared->n_params,
                            (const char * const *) s->params, NULL, NULL, 0);
      status = PQresultStatus (res);
      if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        {
          set_error_from_result (self, res, error);
          PQclear (res);
          return FALSE;
        }
      s->res = res;
      s->row = -1;
      /* Only writes count, as on SQLite (PQcmdTuples also counts a SELECT's rows). */
      if (g_str_has_prefix (PQcmdStatus (res), "INSERT ")
          || g_str_has_prefix (PQcmdStatus (res), "UPDATE ")
          || g_str_has_prefix (PQcmdStatus (res), "DELETE ")
          || g_str_has_prefix (PQcmdStatus (res), "MERGE "))
        s->changes = g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
      else
        s->changes = 0;
    }
  s->row++;
  if (s->row < PQntuples (s->res))
    return TRUE;
  s->finished = TRUE;
  return FALSE;
}

static gboolean
has_value (PgStmt *s,
           guint   col)
{
  return s->res != NULL && s->row >= 0 && s->row < PQntuples (s->res)
    && (int) col < PQnfields (s->res);
}

static guint
tenure_db_pg_stmt_column_count (TenureStmt *stmt)
{
  return (guint) ((PgStmt *) stmt)->prepared->n_fields;
}

static gboolean
tenure_db_pg_stmt_column_is_null (TenureStmt *stmt,
                                  guint       col)
{
  PgStmt *s = (PgStmt *) stmt;

  return !has_value (s, col) || PQgetisnull (s->res, s->row, (int) col);
}

static const char *
tenure_db_pg_stmt_column_text (TenureStmt *stmt,
                               guint       col)
{
  PgStmt *s = (PgStmt *) stmt;

  if (!has_value (s, col) || PQgetisnull (s->res, s->row, (int) col))
    return NULL;
  return PQgetvalue (s->res, s->row, (int) col);
}

static gint64
tenure_db_pg_stmt_column_int64 (TenureStmt *stmt,
                                guint       col)
{
  const char *text = tenure_db_pg_stmt_column_text (stmt, col);

  if (text == NULL)
    return 0;
  /* Booleans come as t/f in text results. */
  if (g_str_equal (text, "t"))
    return 1;
  if (g_str_equal (text, "f"))
    return 0;
  return g_ascii_strtoll (text, NULL, 10);
}

static double
tenure_db_pg_stmt_column_double (TenureStmt *stmt,
                                 guint       col)
{
  const char *text = tenure_db_pg_stmt_column_text (stmt, col);

  return text ? g_ascii_strtod (text, NULL) : 0.0;
}

static gint64
tenure_db_pg_stmt_changes (TenureStmt *stmt)
{
  return ((PgStmt *) stmt)->changes;
}

static void
tenure_db_pg_stmt_reset (TenureStmt *stmt)
{
  PgStmt *s = (PgStmt *) stmt;

  stream_abandon (s);
  g_clear_pointer (&s->res, PQclear);
  for (int i = 0; i < s->prepared->n_params; i++)
    g_clear_pointer (&s->params[i], g_free);
  s->row = -1;
  s->finished = FALSE;
  s->changes = 0;
}

static void
tenure_db_pg_stmt_finalize (TenureStmt *stmt)
{
  PgStmt *s = (PgStmt *) stmt;

  stream_abandon (s);
  g_clear_pointer (&s->res, PQclear);
  for (int i = 0; i < s->prepared->n_params; i++)
    g_free (s->params[i]);
  s->prepared->users--;
  g_free (s->params);
  g_free (s);
}

/* ---- job locks ---------------------------------------------------------------------------- */

/* One query with one text parameter; the result or NULL with ERROR set. */
static PGresult *
query1 (TenureDbPg  *self,
        const char  *sql,
        const char  *param,
        GError     **error)
{
  const char *params[1] = { param };
  PGresult *res = PQexecParams (self->conn, sql, 1, NULL, params, NULL, NULL, 0);

  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    {
      set_error_from_result (self, res, error);
      PQclear (res);
      return NULL;
    }
  return res;
}

/* "09:14" today, else "2026-11-26 09:14", in local time, from Unix seconds. */
static char *
format_since (gint64 unix_time)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (local == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* The holder's note is its application_name (set when it took the lock, see lock_job), which
 * other sessions can read in pg_stat_activity; pid and host are the client's, not the
 * server backend's. */
static void
set_locked_error (TenureDbPg     *self,
                  TenureJobLock  *lock,
                  GError        **error)
{
  const char *name = tenure_db_get_display_name (TENURE_DB (self));
  const char *label = tenure_job_kind_label (lock->job_kind);
  g_autoptr(GError) local_error = NULL;
  PGresult *res;
  int client_pid = 0;
  gint64 since = 0;
  char host[64] = "";

  res = query1 (self,
                "SELECT a.pid, coalesce (a.usename, ''), coalesce (a.application_name, '') "
                "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
                "AND l.database = (SELECT oid FROM pg_database "
                "                  WHERE datname = current_database ()) "
                "AND l.classid = " JOB_LOCK_CLASS " "
                "AND l.objid = ((hashtext ($1)::int8 + 4294967296) % 4294967296)::oid "
                "LIMIT 1", lock->job_kind, &local_error);
  if (res == NULL || PQntuples (res) == 0)
    {
      /* Released in between, or the holder's session is not visible to this role. */
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_LOCKED,
                   _("A %s is already running on %s in another program."), label, name);
      g_clear_pointer (&res, PQclear);
      return;
    }

  if (sscanf (PQgetvalue (res, 0, 2), "tenure pid=%d t=%" G_GINT64_MODIFIER "d host=%63s",
              &client_pid, &since, host) == 3)
    {
      g_autofree char *pid_text = g_strdup_printf ("%d", client_pid);
      g_autofree char *since_text = format_since (since);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_LOCKED,
                   _("A %s is already running on “%s” (process %s on host %s, user %s, "
                     "since %s)."), label, name, pid_text, host, PQgetvalue (res, 0, 1),
                   since_text);
    }
  else
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_LOCKED,
                 _("A %s is already running on %s (server process %s, user %s, "
                   "application “%s”)."), label, name, PQgetvalue (res, 0, 0),
                 PQgetvalue (res, 0, 1), PQgetvalue (res, 0, 2));
  PQclear (res);
}

static gboolean
tenure_db_pg_lock_job (TenureDb       *db,
                       TenureJobLock  *lock,
                       GError        **error)
{
  TenureDbPg *self = SELF (db);
  g_autofree char *note = NULL;
  g_autofree char *host = NULL;
  PGresult *res;
  gboolean got;

  /* A session lock: it outlives transactions and dies with the connection. */
  res = query1 (self, "SELECT pg_try_advisory_lock (" JOB_LOCK_CLASS ", hashtext ($1))",
                lock->job_kind, error);
  if (res == NULL)
    return FALSE;
  got = g_str_equal (PQgetvalue (res, 0, 0), "t");
  PQclear (res);
  if (!got)
    {
      set_locked_error (self, lock, error);
      return FALSE;
    }

  /* application_name holds 63 bytes: keep the host name ASCII and short. */
  host = g_strcanon (g_strdup (g_get_host_name ()),
                     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", '_');
  note = g_strdup_printf ("tenure pid=%d t=%" G_GINT64_FORMAT " host=%.20s", (int) getpid (),
                          g_get_real_time () / G_USEC_PER_SEC, host);
  res = query1 (self, "SELECT set_config ('application_name', $1, false)", note, NULL);
  g_clear_pointer (&res, PQclear);
  return TRUE;
}

static void
tenure_db_pg_unlock_job (TenureDb      *db,
                         TenureJobLock *lock)
{
  TenureDbPg *self = SELF (db);
  g_autoptr(GError) error = NULL;
  PGresult *res;

  if (PQstatus (self->conn) != CONNECTION_OK)
    return; /* the server dropped the lock with the session */
  res = query1 (self, "SELECT pg_advisory_unlock (" JOB_LOCK_CLASS ", hashtext ($1))",
                lock->job_kind, &error);
  if (res == NULL)
    g_warning ("releasing the %s lock: %s", lock->job_kind, error->message);
  g_clear_pointer (&res, PQclear);
}

/* ---- class -------------------------------------------------------------------------------- */

static void
tenure_db_pg_finalize (GObject *object)
{
  TenureDbPg *self = SELF (object);

  G_OBJECT_CLASS (tenure_db_pg_parent_class)->finalize (object);
  g_clear_pointer (&self->prepared, g_hash_table_unref);
}

static void
tenure_db_pg_class_init (TenureDbPgClass *klass)
{
  TenureDbClass *db_class = TENURE_DB_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tenure_db_pg_finalize;

  db_class->connect = tenure_db_pg_connect;
  db_class->configure = tenure_db_pg_configure;
  db_class->close = tenure_db_pg_close;
  db_class->exec = tenure_db_pg_exec;
  db_class->begin_sql = "BEGIN";
  db_class->read_begin_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
  db_class->in_transaction = tenure_db_pg_in_transaction;
  db_class->check_connection = tenure_db_pg_check_connection;
  db_class->prepare = tenure_db_pg_prepare;
  db_class->stmt_bind_int64 = tenure_db_pg_stmt_bind_int64;
  db_class->stmt_bind_double = tenure_db_pg_stmt_bind_double;
  db_class->stmt_bind_text = tenure_db_pg_stmt_bind_text;
  db_class->stmt_bind_null = tenure_db_pg_stmt_bind_null;
  db_class->stmt_step = tenure_db_pg_stmt_step;
  db_class->stmt_column_count = tenure_db_pg_stmt_column_count;
  db_class->stmt_column_is_null = tenure_db_pg_stmt_column_is_null;
  db_class->stmt_column_int64 = tenure_db_pg_stmt_column_int64;
  db_class->stmt_column_double = tenure_db_pg_stmt_column_double;
  db_class->stmt_column_text = tenure_db_pg_stmt_column_text;
  db_class->stmt_changes = tenure_db_pg_stmt_changes;
  db_class->stmt_reset = tenure_db_pg_stmt_reset;
  db_class->stmt_finalize = tenure_db_pg_stmt_finalize;
  db_class->lock_job = tenure_db_pg_lock_job;
  db_class->unlock_job = tenure_db_pg_unlock_job;
}

static void
tenure_db_pg_init (TenureDbPg *self)
{
  self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pg_prepared_free);
}
