/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "store/tenure-db.h"

G_BEGIN_DECLS

/* What a backend implements. tenure-db.c holds the logic both share (location parsing, the
 * open sequence, transaction nesting, job-lock bookkeeping) and calls these for the rest. */
struct _TenureDbClass
{
  GObjectClass parent_class;

  /* Connects without writing anything. */
  gboolean     (*connect)          (TenureDb           *self,
                                    const char         *location,
                                    TenureDbOpenFlags   flags,
                                    GError            **error);
  /* Runs after the schema version was read and accepted, before migrations: settings that
   * may write (SQLite's journal mode). */
  gboolean     (*configure)        (TenureDb           *self,
                                    GError            **error);
  void         (*close)            (TenureDb           *self);

  gboolean     (*exec)             (TenureDb           *self,
                                    const char         *sql,
                                    GError            **error);
  /* The SQL that starts the outermost transaction, and a read snapshot. */
  const char  *begin_sql;
  const char  *read_begin_sql;
  /* Whether the server still has a transaction open (it may have rolled one back itself). */
  gboolean     (*in_transaction)   (TenureDb           *self);
  /* FALSE with TENURE_ERROR_DB_LOST when the connection is gone; NULL when it cannot be. */
  gboolean     (*check_connection) (TenureDb           *self,
                                    GError            **error);

  TenureStmt  *(*prepare)          (TenureDb           *self,
                                    const char         *sql,
                                    GError            **error);
  void         (*stmt_bind_int64)  (TenureStmt *stmt, guint param, gint64 value);
  void         (*stmt_bind_double) (TenureStmt *stmt, guint param, double value);
  void         (*stmt_bind_text)   (TenureStmt *stmt, guint param, const char *value);
  void         (*stmt_bind_null)   (TenureStmt *stmt, guint param);
  gboolean     (*stmt_step)        (TenureStmt *stmt, GError **error);
  guint        (*stmt_column_count)(TenureStmt *stmt);
  gboolean     (*stmt_column_is_null) (TenureStmt *stmt, guint col);
  gint64       (*stmt_column_int64)(TenureStmt *stmt, guint col);
  double       (*stmt_column_double) (TenureStmt *stmt, guint col);
  const char  *(*stmt_column_text) (TenureStmt *stmt, guint col);
  gint64       (*stmt_changes)     (TenureStmt *stmt);
  void         (*stmt_reset)       (TenureStmt *stmt);
  void         (*stmt_finalize)    (TenureStmt *stmt);

  /* Takes the exclusive lock for JOB_KIND (already validated) or fails with
   * TENURE_ERROR_LOCKED naming the holder; fills the backend part of LOCK. */
  gboolean     (*lock_job)         (TenureDb           *self,
                                    TenureJobLock      *lock,
                                    GError            **error);
  void         (*unlock_job)       (TenureDb           *self,
                                    TenureJobLock      *lock);
};

/* The part of every statement tenure-db.c sees; backends embed it first in their own struct. */
struct _TenureStmt
{
  TenureDb *db;   /* owned reference: a statement keeps its database open */
  char     *sql;  /* as the caller wrote it, for messages */
  gboolean  streaming; /* tenure_db_prepare_streaming (): fetch rows one at a time */
};

struct _TenureJobLock
{
  TenureDb *db;   /* owned reference */
  char     *job_kind;
  int       fd;   /* SQLite: the locked side file; -1 otherwise */
  char     *path; /* SQLite: path of the side file */
};

/* Opens LOCATION like tenure_db_open () but migrates only up to TARGET_SCHEMA_VERSION
 * (-1 = latest, 0 = no migrations at all): for the migration tests and tools. */
TenureDb   *tenure_db_open_full           (const char         *location,
                                           TenureDbOpenFlags   flags,
                                           int                 target_schema_version,
                                           GError            **error);

/* For backends. */
void        tenure_db_set_display_name    (TenureDb           *self,
                                           const char         *display_name);
void        tenure_db_set_actor           (TenureDb           *self,
                                           const char         *actor);
void        tenure_stmt_init              (TenureStmt         *stmt,
                                           TenureDb           *db,
                                           const char         *sql);
/* Human name of a job kind for messages ("bill run"), translated. */
const char *tenure_job_kind_label         (const char         *job_kind);
/* The SQLite file path a location means, or NULL when it is a PostgreSQL location. */
char       *tenure_db_location_sqlite_path (const char        *location);

G_END_DECLS
