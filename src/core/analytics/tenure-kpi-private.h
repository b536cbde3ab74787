/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "analytics/tenure-kpi-finance.h"
#include "base/tenure-error.h"

G_BEGIN_DECLS

/* The first day of DATE's month. */
static inline TenureDate
_tenure_kpi_month_first (TenureDate date)
{
  return tenure_date_from_ymd (tenure_date_get_year (date), tenure_date_get_month (date), 1);
}

/* The last day of DATE's month. */
static inline TenureDate
_tenure_kpi_month_last (TenureDate date)
{
  return tenure_date_add_days (tenure_date_add_months (_tenure_kpi_month_first (date), 1), -1);
}

/* DATE bound as ISO text (how both dialects store dates). */
static inline void
_tenure_kpi_bind_date (TenureStmt *stmt,
                       guint       param,
                       TenureDate  date)
{
  char buf[TENURE_DATE_ISO_BUF_SIZE];

  tenure_stmt_bind_text (stmt, param, tenure_date_format_iso_buf (date, buf));
}

/* The day in COLUMN: a date, or a timestamp ("2026-10-01 08:00:00", approved_at and
 * created_at in UTC) by its first ten characters; TENURE_DATE_INVALID for NULL or other text. */
static inline TenureDate
_tenure_kpi_column_date (TenureStmt *stmt,
                         guint       column)
{
  const char *text = tenure_stmt_column_text (stmt, column);
  TenureDate date = TENURE_DATE_INVALID;
  char day[11];

  if (text == NULL || strlen (text) < 10)
    return TENURE_DATE_INVALID;
  memcpy (day, text, 10);
  day[10] = '\0';
  if (!tenure_date_parse_iso (day, &date, NULL))
    return TENURE_DATE_INVALID;
  return date;
}

/* TRUE for a valid DATE, else TENURE_ERROR_INVALID with MESSAGE. */
static inline gboolean
_tenure_kpi_check_date (TenureDate   date,
                        const char  *message,
                        GError     **error)
{
  if (tenure_date_is_valid (date))
    return TRUE;
  g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID, message);
  return FALSE;
}


/* Shared between the finance indicators and the dashboard; not public API. */

/* The forecast of the scope into OUT[TENURE_KPI_FORECAST_MONTHS], with the expiry of the scope
 * (tenure_kpi_expiry, no slice; NULL: no renewals). */
gboolean _tenure_kpi_cash_flow_fill (TenureDb              *db,
                                     TenureDate             as_of,
                                     const char            *project_code,
                                     const char            *currency,
                                     const TenureKpiExpiry *expiry,
                                     gint64                 renewal_ppm,
                                     TenureKpiCashFlow     *out,
                                     GError               **error);

/* The renewal probability OPTIONS ask for (NULL: 0; -1: last 12 months' rate), or -1 with
 * ERROR set. */
gint64   _tenure_kpi_renewal_ppm    (TenureDb                       *db,
                                     TenureDate                      as_of,
                                     const char                     *project_code,
                                     const TenureKpiForecastOptions *options,
                                     GError                        **error);

/* Occupancy, expiry, WALE (when WALE is not NULL) on AS_OF and vacancy loss over
 * LOSS_FROM..AS_OF of one scope, sliced BY, from a single snapshot of its units: the
 * dashboard's and the group comparison's part-one figures; with RENT_ROLL, the rent roll of
 * the same snapshot (as tenure_kpi_rent_roll ()). */
gboolean _tenure_kpi_part_one       (TenureDb        *db,
                                     TenureDate       as_of,
                                     const char      *project_code,
                                     TenureKpiSlice   by,
                                     TenureDate       loss_from,
                                     GPtrArray      **occupancy,
                                     GPtrArray      **expiry,
                                     GPtrArray      **loss,
                                     GPtrArray      **wale,
                                     GPtrArray      **rent_roll,
                                     GError         **error);

/* The dashboard's money figures of one scope from a single load of its receivables, in two
 * steps so that the forecast, which needs the expiry of the scope, can wait for it while the
 * rest does not. _tenure_kpi_money_load: revenue by charge item over
 * REVENUE_FROM..REVENUE_TO (as tenure_kpi_revenue ()), the collection of the 12 months ending
 * with the as-of month (oldest first) and the aging on AS_OF (the same numbers as
 * tenure_kpi_aging (), key NULL); returns the loaded receivables for the second step.
 * _tenure_kpi_money_forecast: the forecast (as _tenure_kpi_cash_flow_fill ()) on the same
 * connection; OPEN_ITEMS (when not NULL) receives the open items read, settled ones included,
 * with their events. Free the receivables with _tenure_kpi_ledger_free (). */
typedef struct _TenureKpiLedger TenureKpiLedger;

TenureKpiLedger *_tenure_kpi_money_load (TenureDb        *db,
                                         TenureDate       as_of,
                                         const char      *project_code,
                                         const char      *currency,
                                         TenureDate       revenue_from,
                                         TenureDate       revenue_to,
                                         GPtrArray      **revenue,
                                         GPtrArray      **collection_series,
                                         TenureKpiAging  *aging,
                                         GError         **error);
gboolean _tenure_kpi_money_forecast (TenureDb               *db,
                                     TenureKpiLedger        *ledger,
                                     const char             *project_code,
                                     const TenureKpiExpiry  *expiry,
                                     gint64                  renewal_ppm,
                                     TenureKpiCashFlow      *cash_flow,
                                     GPtrArray             **open_items,
                                     GError                **error);
void     _tenure_kpi_ledger_free    (TenureKpiLedger        *ledger);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureKpiLedger, _tenure_kpi_ledger_free)

/* contract id (gint64 *) → slice key (building, format or area band of its largest unit),
 * as the money indicators slice; see tenure-kpi-finance.h. */
GHashTable *_tenure_kpi_contract_keys (TenureDb        *db,
                                       const char      *project_code,
                                       TenureKpiSlice   by,
                                       GError         **error);

/* unit id (gint64 *) → its price band on AS_OF (TENURE_KPI_BY_PRICE_BAND, the bands of the
 * units of PROJECT_CODE, NULL: all), for every live unit of the scope. */
GHashTable *_tenure_kpi_unit_price_bands (TenureDb    *db,
                                          TenureDate   as_of,
                                          const char  *project_code,
                                          GError     **error);

/* contract id (gint64 *) → unit id (gint64 *) of its largest unit, the one whose building,
 * format … _tenure_kpi_contract_keys () takes. */
GHashTable *_tenure_kpi_contract_largest_units (TenureDb    *db,
                                                const char  *project_code,
                                                GError     **error);

/* contract id (gint64 *) → slice key BY on AS_OF of every contract of the scope, the keys of
 * tenure_kpi_contract_slice_keys () (term and price band included). */
GHashTable *_tenure_kpi_contract_id_keys (TenureDb        *db,
                                          TenureDate       as_of,
                                          const char      *project_code,
                                          TenureKpiSlice   by,
                                          GError         **error);

/* The remaining-term band on AS_OF of a lease ending on END (TENURE_DATE_INVALID or before
 * AS_OF: "ended"): "<1", "1-2", "2-3", "3-5", ">5" years of 365 days, both days counted. */
const char *_tenure_kpi_term_band (TenureDate as_of,
                                   TenureDate end);

/* The forecast's plan lines of one tenant, contract and month. */
typedef struct
{
  gint64 tenant_id;
  gint64 contract_id;
  guint  month;          /* 0 … TENURE_KPI_FORECAST_MONTHS − 1 from the as-of month */
  gint64 contractual;
  gint64 expected;       /* the tenant's rounded expected amount shared by largest remainder */
} TenureKpiForecastLine;

/* The contractual and expected amounts of the forecast (as _tenure_kpi_cash_flow_fill ())
 * by tenant, contract and month, which add up to its months exactly, as a GArray of
 * TenureKpiForecastLine; the scope's pooled on-time amounts (the renewals' share) into
 * POOLED_ON_TIME / POOLED_BILLED. */
GArray  *_tenure_kpi_cash_flow_lines (TenureDb     *db,
                                      TenureDate    as_of,
                                      const char   *project_code,
                                      const char   *currency,
                                      gint64       *pooled_on_time,
                                      gint64       *pooled_billed,
                                      GError      **error);

/* Collection of each month from the month of FROM to the month of TO as seen on AS_OF from
 * one load of the ledger, one row per key and month: keyed BY (as tenure_kpi_collection ()),
 * or when CONTRACT_KEYS is given (contract id → key), by those keys. */
GPtrArray *_tenure_kpi_collection_keyed (TenureDb        *db,
                                         TenureDate       from,
                                         TenureDate       to,
                                         TenureDate       as_of,
                                         const char      *project_code,
                                         const char      *currency,
                                         TenureKpiSlice   by,
                                         GHashTable      *contract_keys,
                                         GError         **error);

G_END_DECLS
