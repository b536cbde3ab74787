/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-audit"

#include "store/tenure-audit.h"

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

/* Entries read per query: the log grows without bound, the memory used here must not. */
#define VERIFY_PAGE 5000

void
tenure_audit_entry_free (TenureAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->at);
  g_free (entry->actor);
  g_free (entry->table_name);
  g_free (entry->action);
  g_free (entry->old_values);
  g_free (entry->new_values);
  g_free (entry);
}

static const char *
text_or_empty (TenureStmt *stmt,
               guint       col)
{
  const char *text = tenure_stmt_column_text (stmt, col);
  return text != NULL ? text : "";
}

/* The hash of one entry as the triggers compute it, columns 0..7 of STMT being id, at, actor,
 * table_name, row_id, action, old_values, new_values. */
static char *
entry_hash (TenureStmt *stmt,
            const char *prev_hash)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  char number[32];

  g_checksum_update (sum, (const guchar *) prev_hash, -1);
  g_checksum_update (sum, (const guchar *) "|", 1);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, tenure_stmt_column_int64 (stmt, 0));
  g_checksum_update (sum, (const guchar *) number, -1);
  for (guint col = 1; col <= 7; col++)
    {
      g_checksum_update (sum, (const guchar *) "|", 1);
      if (col == 4)
        {
          g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT,
                      tenure_stmt_column_int64 (stmt, col));
          g_checksum_update (sum, (const guchar *) number, -1);
        }
      else
        g_checksum_update (sum, (const guchar *) text_or_empty (stmt, col), -1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* Messages take numbers as text: a format macro inside _() would hide the string from xgettext. */
static const char *
format_id (char   buf[32],
           gint64 id)
{
  g_snprintf (buf, 32, "%" G_GINT64_FORMAT, id);
  return buf;
}

gboolean
tenure_audit_verify (TenureDb  *db,
                     gint64    *out_first_bad_id,
                     GError   **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *prev_hash = g_strdup ("");
  gint64 last_id = G_MININT64;
  gint64 n_checked = 0;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);

  if (out_first_bad_id != NULL)
    *out_first_bad_id = 0;
  stmt = tenure_db_prepare (db, "SELECT id, at, actor, table_name, row_id, action, old_values, "
                                "new_values, prev_hash, hash FROM audit_log "
                                "WHERE id > $1 ORDER BY id LIMIT $2", error);
  if (stmt == NULL)
    return FALSE;

  for (;;)
    {
      GError *local_error = NULL;
      guint n_rows = 0;

      tenure_stmt_reset (stmt);
      tenure_stmt_bind_int64 (stmt, 1, last_id);
      tenure_stmt_bind_int64 (stmt, 2, VERIFY_PAGE);
      while (tenure_stmt_step (stmt, &local_error))
        {
          gint64 id = tenure_stmt_column_int64 (stmt, 0);
          const char *stored_prev = text_or_empty (stmt, 8);
          const char *stored_hash = text_or_empty (stmt, 9);
          g_autofree char *hash = NULL;
          char number[32];

          n_rows++;
          if (g_strcmp0 (stored_prev, prev_hash) != 0)
            {
              if (out_first_bad_id != NULL)
                *out_first_bad_id = id;
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("The audit log of “%s” is broken at entry %s: it does not follow "
                             "the entry before it (an entry was changed, removed or "
                             "inserted)."),
                           tenure_db_get_display_name (db), format_id (number, id));
              return FALSE;
            }
          hash = entry_hash (stmt, prev_hash);
          if (g_strcmp0 (hash, stored_hash) != 0)
            {
              if (out_first_bad_id != NULL)
                *out_first_bad_id = id;
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("The audit log of “%s” is broken at entry %s: its contents do "
                             "not match its hash (the entry was changed)."),
                           tenure_db_get_display_name (db), format_id (number, id));
              return FALSE;
            }
          g_free (prev_hash);
          prev_hash = g_strdup (stored_hash);
          last_id = id;
          n_checked++;
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (n_rows < VERIFY_PAGE)
        break;
    }
  g_debug ("%s: %" G_GINT64_FORMAT " audit entries verified",
           tenure_db_get_display_name (db), n_checked);
  return TRUE;
}

GPtrArray *
tenure_audit_list_for_row (TenureDb    *db,
                           const char  *table_name,
                           gint64       row_id,
                           GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (table_name != NULL, NULL);

  stmt = tenure_db_prepare (db, "SELECT id, at, actor, table_name, row_id, action, old_values, "
                                "new_values FROM audit_log "
                                "WHERE table_name = $1 AND row_id = $2 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, table_name);
  tenure_stmt_bind_int64 (stmt, 2, row_id);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_audit_entry_free);
  while (tenure_stmt_step (stmt, &local_error))
    {
      TenureAuditEntry *entry = g_new0 (TenureAuditEntry, 1);

      entry->id = tenure_stmt_column_int64 (stmt, 0);
      entry->at = g_strdup (tenure_stmt_column_text (stmt, 1));
      entry->actor = g_strdup (tenure_stmt_column_text (stmt, 2));
      entry->table_name = g_strdup (tenure_stmt_column_text (stmt, 3));
      entry->row_id = tenure_stmt_column_int64 (stmt, 4);
      entry->action = g_strdup (tenure_stmt_column_text (stmt, 5));
      entry->old_values = g_strdup (tenure_stmt_column_text (stmt, 6));
      entry->new_values = g_strdup (tenure_stmt_column_text (stmt, 7));
      g_ptr_array_add (entries, entry);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

gint64
tenure_audit_count (TenureDb  *db,
                    GError   **error)
{
  gint64 n = -1;

  g_return_val_if_fail (TENURE_IS_DB (db), -1);

  if (!tenure_db_query_int64 (db, "SELECT count(*) FROM audit_log", &n, error))
    return -1;
  return n;
}
