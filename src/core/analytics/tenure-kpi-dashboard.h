/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "analytics/tenure-kpi.h"
#include "analytics/tenure-kpi-finance.h"
#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* The single entry point of the project dashboard and the group comparison: every number the
 * screens show, computed in one call on the caller's thread (run it in a GTask). Definitions
 * are those of tenure-kpi.h and tenure-kpi-finance.h; the windows are fixed here so the
 * screens and the Excel KPI report agree. Money is in the dashboard's currency (CNY unless
 * set in the options). */

typedef struct
{
  const char                *currency;      /* NULL: "CNY" */
  TenureKpiForecastOptions   forecast;      /* renewal_ppm; zero-initialised options mean 0 */
  gboolean                   with_rent_roll; /* also fill TenureKpiDashboard.rent_roll */
  /* A second connection to the same database, or NULL: the units, leases and renewals are
   * then read on it in a thread of their own while the receivables are read on the first
   * (the figures are the same; the wall time is about that of the longer part). Neither
   * connection may be used by anything else during the call. */
  TenureDb                  *parallel_db;
} TenureKpiDashboardOptions;

/* Defaults: currency CNY, renewal probability = the last 12 months' renewal rate (-1). */
void tenure_kpi_dashboard_options_init (TenureKpiDashboardOptions *options);

typedef struct
{
  char        *project_code;      /* NULL for the group */
  char        *project_name;      /* NULL for the group */
  TenureDate   as_of;
  char         currency[4];

  /* Occupancy on the as-of date (units for lease). */
  gint64       units;
  gint64       leased_units;
  gint64       leasable_area_c;
  gint64       leased_area_c;
  gint64       monthly_rent;      /* current monthly rent of the leased units, fen */

  /* Revenue structure: billed by charge item over the 12 months ending with the as-of month
   * (revenue_from = first day of as-of month − 11 months, revenue_to = end of as-of month). */
  TenureDate   revenue_from, revenue_to;
  GPtrArray   *revenue;           /* TenureKpiRevenue, ordered by charge item code */
  gint64       revenue_total;

  /* Collection rate and arrears recovery of the as-of month as seen on the as-of date, and the
   * 12 months ending with it (oldest first). */
  TenureKpiCollection  collection;
  GPtrArray           *collection_series;   /* TenureKpiCollection */

  /* Aging on the as-of date. */
  TenureKpiAging       aging;

  /* Expiry density: the 24 months from the as-of month (tenure_kpi_expiry, no slice). */
  TenureKpiExpiry      expiry;

  /* Vacancy and rent-free loss from the first day of the as-of month to the as-of date. */
  TenureDate   loss_from, loss_to;
  gint64       vacant_unit_days;
  gint64       vacancy_loss;
  gint64       rent_free_loss;

  /* Cash-flow forecast for the 12 months from the as-of month. */
  gint64               renewal_ppm;         /* the probability used */
  TenureKpiCashFlow    cash_flow[TENURE_KPI_FORECAST_MONTHS];

  /* WALE on the as-of date (tenure_kpi_wale, no slice), -1 when nothing is leased. */
  gint64               wale_by_rent_centi;
  gint64               wale_by_area_centi;

  /* The open items behind collection and aging (tenure_open_items_load () on the as-of date
   * in the dashboard's currency, settled ones included, with breakdown and events), so the
   * lists behind the numbers need no second read. */
  GPtrArray           *open_items;
  /* With TenureKpiDashboardOptions.with_rent_roll: the rent roll on the as-of date
   * (tenure_kpi_rent_roll ()) from the same snapshot of the units; else NULL. */
  GPtrArray           *rent_roll;
} TenureKpiDashboard;

/* Fills OUT (zero it first, or reuse after tenure_kpi_dashboard_clear ()) for PROJECT_CODE
 * (NULL: the whole group) on AS_OF. OPTIONS NULL: defaults. On failure OUT is left cleared. */
gboolean tenure_kpi_dashboard       (TenureDb                         *db,
                                     const char                       *project_code,
                                     TenureDate                        as_of,
                                     const TenureKpiDashboardOptions  *options,
                                     TenureKpiDashboard               *out,
                                     GError                          **error);
/* Frees what OUT owns and zeroes it. */
void     tenure_kpi_dashboard_clear (TenureKpiDashboard               *out);

/* ---- Group comparison: one row per project ------------------------------------------- */
typedef struct
{
  char    *project_code;
  char    *project_name;
  gint64   units;
  gint64   leased_units;
  gint64   leasable_area_c;
  gint64   leased_area_c;
  gint64   monthly_rent;
  gint64   revenue_12m;           /* billed over the same 12 months as the dashboard */
  TenureKpiCollection collection; /* as-of month */
  gint64   open_total;            /* aging total */
  gint64   overdue;               /* aging total − not due */
  gint64   vacancy_loss;          /* as-of month to date */
  gint64   wale_by_rent_centi;    /* -1 when nothing is leased */
  gint64   expiring_12m_area_c;   /* leased area ending in the 12 months from the as-of month */
} TenureKpiProjectRow;

/* One TenureKpiProjectRow per project (every project, also those without units), ordered by
 * project code. */
GPtrArray *tenure_kpi_group_comparison (TenureDb                         *db,
                                        TenureDate                        as_of,
                                        const TenureKpiDashboardOptions  *options,
                                        GError                          **error);

G_END_DECLS
