/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-period-close"

#include "collections/tenure-period-close.h"

#include <stdlib.h>

#include "base/tenure-date.h"
#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "collections/tenure-aging.h"
#include "collections/tenure-reconcile.h"

/* The first month with a posting of the entity (bill, receipt or allocation), "" if none. */
static gboolean
first_active_month (TenureDb    *db,
                    gint64       entity_id,
                    char       **out,
                    GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  stmt = tenure_db_prepare (db,
                            "SELECT min (d) FROM ("
                            " SELECT min (b.posting_date) AS d FROM bill b "
                            " JOIN contract c ON c.id = b.contract_id "
                            " JOIN project p ON p.id = c.project_id "
                            " WHERE p.legal_entity_id = $1 "
                            " UNION ALL SELECT min (r.posting_date) FROM receipt r "
                            " WHERE r.legal_entity_id = $1 "
                            " UNION ALL SELECT min (a.posting_date) FROM allocation a "
                            " JOIN bill_line bl ON bl.id = a.bill_line_id "
                            " JOIN bill b ON b.id = bl.bill_id "
                            " JOIN contract c ON c.id = b.contract_id "
                            " JOIN project p ON p.id = c.project_id "
                            " WHERE p.legal_entity_id = $1) x",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, entity_id);
  if (!tenure_stmt_step (stmt, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *out = g_strndup (tenure_stmt_column_text (stmt, 0) != NULL
                    ? tenure_stmt_column_text (stmt, 0) : "", 7);
  return TRUE;
}

/* Closed months of the entity, as a set of "YYYY-MM". */
static GHashTable *
closed_months (TenureDb  *db,
               gint64     entity_id,
               GError   **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) local_error = NULL;

  stmt = tenure_db_prepare (db,
                            "SELECT period FROM accounting_period WHERE legal_entity_id = $1 "
                            "AND closed_at IS NOT NULL",
                            error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, entity_id);
  while (tenure_stmt_step (stmt, &local_error))
    g_hash_table_add (set, g_strdup (tenure_stmt_column_text (stmt, 0)));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&set);
}

static gboolean
record_event (TenureDb    *db,
              gint64       entity_id,
              const char  *period,
              const char  *action,
              const char  *reason,
              gint64       unresolved,
              GError     **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db,
                                                  "INSERT INTO accounting_period_event "
                                                  "(legal_entity_id, period, action, reason, "
                                                  " unresolved, actor) "
                                                  "VALUES ($1, $2, $3, $4, $5, $6)",
                                                  error);

  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, entity_id);
  tenure_stmt_bind_text (stmt, 2, period);
  tenure_stmt_bind_text (stmt, 3, action);
  tenure_stmt_bind_text (stmt, 4, reason);
  tenure_stmt_bind_int64 (stmt, 5, unresolved);
  tenure_stmt_bind_text (stmt, 6, tenure_db_get_actor (db));
  return tenure_stmt_run (stmt, error);
}

static gboolean
mark_reconciliations (TenureDb    *db,
                      gint64       entity_id,
                      const char  *period,
                      const char  *status,
                      GError     **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db,
                                                  "UPDATE reconciliation SET status = $3 "
                                                  "WHERE legal_entity_id = $1 AND period = $2",
                                                  error);

  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, entity_id);
  tenure_stmt_bind_text (stmt, 2, period);
  tenure_stmt_bind_text (stmt, 3, status);
  return tenure_stmt_run (stmt, error);
}

static gboolean
check_month (int      year,
             int      month,
             char     period[8],
             GError **error)
{
  if (!tenure_date_valid_ymd (year, month, 1))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("The period %04d-%02d is not a month."), year, month);
      return FALSE;
    }
  g_snprintf (period, 8, "%04d-%02d", year, month);
  return TRUE;
}

static gboolean
close_in_transaction (TenureDb    *db,
                      const char  *entity_code,
                      gint64       entity_id,
                      int          year,
                      int          month,
                      const char  *period,
                      const char  *force_reason,
                      GError     **error)
{
  g_autoptr(GHashTable) closed = NULL;
  g_autofree char *first = NULL;
  g_autoptr(GPtrArray) recs = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  guint unresolved = 0;

  closed = closed_months (db, entity_id, error);
  if (closed == NULL)
    return FALSE;
  if (g_hash_table_contains (closed, period))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("The accounting period %s of legal entity %s is already closed."),
                   period, entity_code);
      return FALSE;
    }
  if (!first_active_month (db, entity_id, &first, error))
    return FALSE;
  if (*first != '\0' && g_strcmp0 (first, period) < 0)
    {
      TenureDate d = tenure_date_from_ymd (atoi (first), atoi (first + 5), 1);
      TenureDate target = tenure_date_from_ymd (year, month, 1);

      for (; d < target; d = tenure_date_add_months (d, 1))
        {
          char earlier[8];

          g_snprintf (earlier, sizeof earlier, "%04d-%02d", tenure_date_get_year (d),
                      tenure_date_get_month (d));
          if (!g_hash_table_contains (closed, earlier))
            {
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("Cannot close %s of legal entity %s: the earlier period %s is "
                             "still open; close the months in order."),
                           period, entity_code, earlier);
              return FALSE;
            }
        }
    }

  recs = tenure_reconcile_run (db, entity_code, year, month, TENURE_RECONCILE_ENTITY, NULL,
                               error);
  if (recs == NULL)
    return FALSE;
  for (guint i = 0; i < recs->len; i++)
    unresolved += ((TenureReconciliation *) recs->pdata[i])->unresolved;
  if (unresolved > 0 && (force_reason == NULL || *force_reason == '\0'))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Cannot close %s of legal entity %s: its reconciliation has "
                                "%u unresolved difference. Resolve it, or close with a "
                                "reason.",
                                "Cannot close %s of legal entity %s: its reconciliation has "
                                "%u unresolved differences. Resolve them, or close with a "
                                "reason.", unresolved),
                   period, entity_code, unresolved);
      return FALSE;
    }

  stmt = tenure_db_prepare (db,
                            "INSERT INTO accounting_period (legal_entity_id, period, closed_at, "
                            "  closed_by) VALUES ($1, $2, tenure_now(), $3) "
                            "ON CONFLICT (legal_entity_id, period) DO UPDATE "
                            "SET closed_at = excluded.closed_at, closed_by = excluded.closed_by",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, entity_id);
  tenure_stmt_bind_text (stmt, 2, period);
  tenure_stmt_bind_text (stmt, 3, tenure_db_get_actor (db));
  if (!tenure_stmt_run (stmt, error))
    return FALSE;
  return mark_reconciliations (db, entity_id, period, "closed", error)
         && record_event (db, entity_id, period, unresolved > 0 ? "force_close" : "close",
                          *force_reason != '\0' ? force_reason : NULL, unresolved, error);
}

gboolean
tenure_period_close (TenureDb    *db,
                     const char  *legal_entity_code,
                     int          year,
                     int          month,
                     const char  *force_reason,
                     GError     **error)
{
  char period[8];
  gint64 entity_id;
  g_autofree char *reason = g_strstrip (g_strdup (force_reason != NULL ? force_reason : ""));

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (legal_entity_code != NULL, FALSE);

  if (!check_month (year, month, period, error))
    return FALSE;
  entity_id = tenure_collections_lookup_code (db, "legal_entity", legal_entity_code, error);
  if (entity_id == 0 || !tenure_db_begin (db, error))
    return FALSE;
  if (!close_in_transaction (db, legal_entity_code, entity_id, year, month, period, reason,
                             error))
    {
      tenure_db_rollback (db);
      return FALSE;
    }
  return tenure_db_commit (db, error);  /* a failed commit undoes the transaction itself */
}

static gboolean
reopen_in_transaction (TenureDb    *db,
                       const char  *entity_code,
                       gint64       entity_id,
                       const char  *period,
                       const char  *reason,
                       GError     **error)
{
  g_autoptr(GHashTable) closed = closed_months (db, entity_id, error);
  g_autoptr(TenureStmt) stmt = NULL;
  GHashTableIter iter;
  gpointer key;
  const char *later = NULL;

  if (closed == NULL)
    return FALSE;
  if (!g_hash_table_contains (closed, period))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("The accounting period %s of legal entity %s is not closed."),
                   period, entity_code);
      return FALSE;
    }
  g_hash_table_iter_init (&iter, closed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_strcmp0 (key, period) > 0 && (later == NULL || g_strcmp0 (key, later) > 0))
      later = key;
  if (later != NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Cannot reopen %s of legal entity %s while the later period %s is "
                     "closed; reopen the latest closed month first."),
                   period, entity_code, later);
      return FALSE;
    }
  stmt = tenure_db_prepare (db,
                            "UPDATE accounting_period SET closed_at = NULL, closed_by = NULL "
                            "WHERE legal_entity_id = $1 AND period = $2",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, entity_id);
  tenure_stmt_bind_text (stmt, 2, period);
  return tenure_stmt_run (stmt, error)
         && mark_reconciliations (db, entity_id, period, "open", error)
         && record_event (db, entity_id, period, "reopen", reason, 0, error);
}

gboolean
tenure_period_reopen (TenureDb    *db,
                      const char  *legal_entity_code,
                      int          year,
                      int          month,
                      const char  *reason,
                      GError     **error)
{
  char period[8];
  gint64 entity_id;
  g_autofree char *text = g_strstrip (g_strdup (reason != NULL ? reason : ""));

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (legal_entity_code != NULL, FALSE);

  if (!check_month (year, month, period, error))
    return FALSE;
  if (*text == '\0')
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Reopening %s of legal entity %s needs a reason."), period,
                   legal_entity_code);
      return FALSE;
    }
  entity_id = tenure_collections_lookup_code (db, "legal_entity", legal_entity_code, error);
  if (entity_id == 0 || !tenure_db_begin (db, error))
    return FALSE;
  if (!reopen_in_transaction (db, legal_entity_code, entity_id, period, text, error))
    {
      tenure_db_rollback (db);
      return FALSE;
    }
  return tenure_db_commit (db, error);  /* a failed commit undoes the transaction itself */
}
