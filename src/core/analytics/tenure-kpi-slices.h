/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "analytics/tenure-kpi.h"
#include "analytics/tenure-kpi-finance.h"
#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* The money indicators sliced every way and as time series, and the rows behind the
 * cash-flow forecast (issue 5). Definitions are tenure-kpi-finance.h's; a bill or plan line
 * belongs to its contract, which takes its slice key as tenure-kpi-finance.h says (project;
 * building, format and area band of its largest unit), and for TENURE_KPI_BY_TERM the
 * contract's remaining term on the as-of date (to its end or its termination date, both ends
 * included, a year is 365 days): "<1", "1-2", "2-3", "3-5", ">5" years, "ended" when it
 * ended before the as-of date; a contract without units has the key "-". For
 * TENURE_KPI_BY_PRICE_BAND a contract takes the price band on the as-of date (tenure-kpi.h:
 * quintiles of rent per m² within a format, "vacant", "no-rent") of the same largest unit,
 * the bands computed over the units of the scope. Rows are ordered by key, then month. Σ over the keys is the
 * unsliced figure exactly (every line counts once, under one key). */

/* The slice key BY of every contract of PROJECT_CODE (NULL: all) on AS_OF, as a hash table
 * contract code → key (both owned by the table): what the money slices key a line by. */
GHashTable *tenure_kpi_contract_slice_keys (TenureDb        *db,
                                            TenureDate       as_of,
                                            const char      *project_code,
                                            TenureKpiSlice   by,
                                            GError         **error);

/* ---- Revenue ---------------------------------------------------------------------------- */
typedef struct
{
  char       *key;      /* slice key ("" unsliced) */
  TenureDate  month;    /* first day of the month (series), else TENURE_DATE_INVALID */
  gint64      billed;   /* as TenureKpiRevenue.billed, all charge items (deposits left out) */
  gint64      tax;
} TenureKpiRevenueSlice;

/* Billed revenue of the lines whose period starts in FROM..TO on bills posted on or before
 * AS_OF (as tenure_kpi_revenue (), all charge items together), one row per key; with SERIES,
 * one row per key and month over the whole months from the month of FROM to the month of TO
 * (months without revenue included with 0 for every key that has some). */
GPtrArray  *tenure_kpi_revenue_sliced   (TenureDb        *db,
                                         TenureDate       from,
                                         TenureDate       to,
                                         TenureDate       as_of,
                                         const char      *project_code,
                                         const char      *currency,
                                         TenureKpiSlice   by,
                                         gboolean         series,
                                         GError         **error);

/* ---- Collection rate ------------------------------------------------------------------- */
/* Collection (TenureKpiCollection, as tenure_kpi_collection ()) of each month from the month
 * of FROM to the month of TO, each as seen on AS_OF, one row per month and slice key (key =
 * the slice key, month = the month), ordered by month then key; TENURE_KPI_BY_TERM as above.
 * One month with one key per row adds to tenure_kpi_collection_series ()'s month. */
GPtrArray  *tenure_kpi_collection_sliced (TenureDb        *db,
                                          TenureDate       from,
                                          TenureDate       to,
                                          TenureDate       as_of,
                                          const char      *project_code,
                                          const char      *currency,
                                          TenureKpiSlice   by,
                                          GError         **error);

/* ---- Cash-flow forecast ----------------------------------------------------------------- */
typedef struct
{
  char       *key;           /* slice key, or in tenure_kpi_cash_flow_items () the contract */
  TenureDate  month;         /* series and items: the month; else TENURE_DATE_INVALID */
  gint64      contractual;   /* as TenureKpiCashFlow */
  gint64      expected;
  /* Items only: */
  char       *contract_code;
  char       *tenant_name;
  char       *project_code;
} TenureKpiCashFlowSlice;

/* The forecast's contractual and expected amounts of the TENURE_KPI_FORECAST_MONTHS months
 * from the as-of month (renewals left out: they belong to no contract yet), one row per key
 * over the whole window, or with SERIES per key and month. Expected amounts are rounded per
 * tenant and month as in tenure_kpi_cash_flow () and shared among the tenant's contracts by
 * largest remainder, so that the slices add up to it to the fen. */
GPtrArray  *tenure_kpi_cash_flow_sliced (TenureDb        *db,
                                         TenureDate       as_of,
                                         const char      *project_code,
                                         const char      *currency,
                                         TenureKpiSlice   by,
                                         gboolean         series,
                                         GError         **error);

/* The rows behind the forecast: one per contract and month with an amount (key = contract
 * code), ordered by month then contract code, with the tenant's name and the project. The
 * pooled on-time share of the scope (what renewals are weighed by) into POOLED_ON_TIME /
 * POOLED_BILLED (either may be NULL; billed 0 means a share of 1). */
GPtrArray  *tenure_kpi_cash_flow_items  (TenureDb        *db,
                                         TenureDate       as_of,
                                         const char      *project_code,
                                         const char      *currency,
                                         gint64          *pooled_on_time,
                                         gint64          *pooled_billed,
                                         GError         **error);

/* The expected renewal amount of forecast month K (0 = the as-of month) split by the month in
 * which the leases end (bucket j < K of EXPIRY, each part rounded on its own) into
 * PARTS[TENURE_KPI_EXPIRY_MONTHS]; returns Σ parts. The forecast rounds once per month, so the
 * caller shows the difference to TenureKpiCashFlow.renewal_expected as a rounding row. */
gint64      tenure_kpi_cash_flow_renewal_parts (const TenureKpiExpiry *expiry,
                                                gint64                 renewal_ppm,
                                                gint64                 pooled_on_time,
                                                gint64                 pooled_billed,
                                                guint                  k,
                                                gint64                *parts);

G_END_DECLS
