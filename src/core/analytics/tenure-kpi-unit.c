/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-kpi-unit"

#include "analytics/tenure-kpi-unit.h"
#include "analytics/tenure-kpi-private.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-exact.h"
#include "base/tenure-i18n.h"

/* A lease: a contract active, or since expired or terminated, through an approved (or since
 * superseded) version; it ends on its end date or its earlier termination, as in the KPIs. */
#define ENDED \
  "CASE WHEN c.terminated_on IS NOT NULL AND c.terminated_on < c.end_date" \
  " THEN c.terminated_on ELSE c.end_date END"
#define LEASES_OF_UNIT \
  " FROM contract_unit cu JOIN contract_version v ON v.id = cu.contract_version_id" \
  " JOIN contract c ON c.id = v.contract_id" \
  " WHERE cu.unit_id = $1 AND c.status IN ('active', 'expired', 'terminated')" \
  " AND v.status IN ('approved', 'superseded')"

static const char unit_sql[] =
  "SELECT leasable_area_c, stored_status, asking_price_e4, asking_price_basis,"
  " CAST(created_at AS text) FROM unit WHERE id = $1 AND retired_on IS NULL";

/* How many leases cover $2, and the last day of the latest one that ended before it. */
static const char leases_sql[] =
  "SELECT (SELECT count(*)" LEASES_OF_UNIT " AND c.start_date <= $2 AND " ENDED " >= $2),"
  " (SELECT max(" ENDED ")" LEASES_OF_UNIT " AND c.start_date < $2 AND " ENDED " < $2)";

gboolean
tenure_kpi_unit_vacancy_loss (TenureDb              *db,
                              gint64                 unit_id,
                              TenureDate             as_of,
                              TenureKpiUnitVacancy  *out,
                              GError               **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  char as_of_text[TENURE_DATE_ISO_BUF_SIZE];
  TenureExact loss = tenure_exact_int (0);
  GError *local = NULL;
  gint64 area_c, covering;
  TenureDate created, last_end;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (tenure_date_is_valid (as_of), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->vacant_since = TENURE_DATE_INVALID;
  tenure_date_format_iso_buf (as_of, as_of_text);

  stmt = tenure_db_prepare (db, unit_sql, error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, unit_id);
  if (!tenure_stmt_step (stmt, &local))
    {
      if (local != NULL)
        g_propagate_error (error, local);
      else
        {
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, unit_id);

          g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                       _("There is no unit with id %s"), id);
        }
      return FALSE;
    }
  area_c = tenure_stmt_column_int64 (stmt, 0);
  out->for_lease = g_strcmp0 (tenure_stmt_column_text (stmt, 1), "not_for_lease") != 0;
  out->asking_price_e4 = tenure_stmt_column_is_null (stmt, 2)
                         ? -1 : tenure_stmt_column_int64 (stmt, 2);
  out->asking_per_day = g_strcmp0 (tenure_stmt_column_text (stmt, 3), "per_m2_day") == 0;
  created = _tenure_kpi_column_date (stmt, 4);
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = tenure_db_prepare (db, leases_sql, error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, unit_id);
  tenure_stmt_bind_text (stmt, 2, as_of_text);
  if (!tenure_stmt_step (stmt, &local))
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  covering = tenure_stmt_column_int64 (stmt, 0);
  last_end = tenure_stmt_column_is_null (stmt, 1) ? TENURE_DATE_INVALID
                                                   : _tenure_kpi_column_date (stmt, 1);

  out->vacant = covering == 0;
  if (!out->vacant || !out->for_lease)
    return TRUE;
  out->ever_leased = last_end != TENURE_DATE_INVALID;
  out->vacant_since = out->ever_leased ? last_end + 1 : created;
  if (out->vacant_since == TENURE_DATE_INVALID || out->vacant_since > as_of)
    return TRUE;
  out->vacant_days = tenure_date_days_inclusive (out->vacant_since, as_of);
  if (out->asking_price_e4 < 0)
    return TRUE;

  /* Month by month, as the KPI: a monthly price is spread over that month's days. */
  for (TenureDate month = out->vacant_since; month <= as_of; )
    {
      TenureDate last = MIN (as_of, tenure_date_period_end (month, TENURE_PERIOD_MONTH));
      gint64 days = tenure_date_days_inclusive (month, last);

      loss = tenure_exact_add (
        loss, out->asking_per_day
              ? tenure_exact_rent_fen (out->asking_price_e4, area_c, tenure_exact_int (days))
              : tenure_exact_rent_fen (out->asking_price_e4, area_c,
                                       tenure_exact_frac (days,
                                                          tenure_date_get_days_in_month (month))));
      month = last + 1;
    }
  return tenure_exact_round (loss, TENURE_ROUND_DEFAULT, &out->vacancy_loss, error);
}
