/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-period"

#include "billing/tenure-period.h"

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

gboolean
tenure_period_check_open (TenureDb    *db,
                          gint64       legal_entity_id,
                          TenureDate   date,
                          GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *period = NULL;
  g_autofree char *day = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (tenure_date_is_valid (date), FALSE);

  period = g_strdup_printf ("%04d-%02d", tenure_date_get_year (date),
                            tenure_date_get_month (date));
  stmt = tenure_db_prepare (db,
                            "SELECT e.code, p.closed_at, p.closed_by "
                            "FROM accounting_period p JOIN legal_entity e "
                            "ON e.id = p.legal_entity_id "
                            "WHERE p.legal_entity_id = $1 AND p.period = $2 "
                            "AND p.closed_at IS NOT NULL",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, legal_entity_id);
  tenure_stmt_bind_text (stmt, 2, period);
  if (!tenure_stmt_step (stmt, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }

  day = tenure_date_format_iso (date);
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_CLOSED_PERIOD,
               _("The accounting period %s of legal entity %s is closed (closed by %s at %s): "
                 "nothing can be posted on %s."),
               period, tenure_stmt_column_text (stmt, 0),
               tenure_stmt_column_text (stmt, 2) != NULL ? tenure_stmt_column_text (stmt, 2)
                                                         : "?",
               tenure_stmt_column_text (stmt, 1), day);
  return FALSE;
}
