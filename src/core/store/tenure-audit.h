/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "store/tenure-db.h"

G_BEGIN_DECLS

/* The audit log (domain.md §12): triggers record every insert, update and delete of every
 * table (but audit_log and schema_migrations) with when, who, the table and row, and the row's
 * values before and after as JSON objects. Each entry carries the hash of the one before:
 *   hash = sha256 (prev_hash|id|at|actor|table_name|row_id|action|old_values|new_values)
 * (lowercase hex; NULL values as empty text; prev_hash of the first entry is empty), so
 * editing or deleting an entry breaks the chain from there on. */

typedef struct
{
  gint64  id;
  char   *at;          /* 'YYYY-MM-DDTHH:MM:SS.ffffffZ', UTC */
  char   *actor;       /* OS user (SQLite) or database role (PostgreSQL) */
  char   *table_name;
  gint64  row_id;
  char   *action;      /* "insert", "update" or "delete" */
  char   *old_values;  /* JSON object, NULL for an insert */
  char   *new_values;  /* JSON object, NULL for a delete */
} TenureAuditEntry;

void tenure_audit_entry_free (TenureAuditEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureAuditEntry, tenure_audit_entry_free)

/* Recomputes the whole hash chain. TRUE when every entry matches (*OUT_FIRST_BAD_ID = 0).
 * When an entry does not match its contents or its predecessor, FALSE with
 * TENURE_ERROR_INVALID naming it and *OUT_FIRST_BAD_ID = its id; FALSE with a database error
 * (and *OUT_FIRST_BAD_ID = 0) when the log cannot be read. OUT_FIRST_BAD_ID may be NULL. */
gboolean   tenure_audit_verify       (TenureDb     *db,
                                      gint64       *out_first_bad_id,
                                      GError      **error);

/* The history of one row, oldest first: a GPtrArray of TenureAuditEntry (freed with it). */
GPtrArray *tenure_audit_list_for_row (TenureDb     *db,
                                      const char   *table_name,
                                      gint64        row_id,
                                      GError      **error);

/* Number of entries in the log, or -1 with ERROR set. */
gint64     tenure_audit_count        (TenureDb     *db,
                                      GError      **error);

G_END_DECLS
