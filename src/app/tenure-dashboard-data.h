/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "analytics/tenure-kpi.h"
#include "analytics/tenure-kpi-dashboard.h"
#include "base/tenure-date.h"
#include "collections/tenure-open-item.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* The numbers of the Analytics dashboards, gathered in one go (off the main thread): the
 * headline figures, revenue, collection, aging, expiry and the cash-flow forecast from the KPI
 * engine's dashboard entry points (tenure_kpi_dashboard, tenure_kpi_group_comparison), the
 * series from its time-series calls, and the rows behind them (rent roll, open items) so that
 * every number on screen can open its list without another query. Nothing here touches GTK:
 * a worker thread fills it on its own database connection. */

#define TENURE_DASHBOARD_MONTHS        12
#define TENURE_DASHBOARD_AGING_BUCKETS 7
#define TENURE_DASHBOARD_EXPIRING_DAYS 90

/* Aging buckets by days past the due date (domain §10). */
typedef enum
{
  TENURE_DASHBOARD_AGING_NOT_DUE,
  TENURE_DASHBOARD_AGING_1_30,
  TENURE_DASHBOARD_AGING_31_60,
  TENURE_DASHBOARD_AGING_61_90,
  TENURE_DASHBOARD_AGING_91_180,
  TENURE_DASHBOARD_AGING_181_365,
  TENURE_DASHBOARD_AGING_OVER_365,
} TenureDashboardAging;

/* The bucket of an item due on DUE, seen on AS_OF. */
TenureDashboardAging tenure_dashboard_aging_for (TenureDate due,
                                           TenureDate as_of);
/* "Not due", "1–30", … "> 365" (days past due, translated). */
const char       *tenure_dashboard_aging_label (TenureDashboardAging bucket);

/* The headline numbers of a project (or of the whole group). */
typedef struct
{
  gint64  project_id;         /* 0 for the group */
  char   *code;               /* project code; NULL for the group */
  char   *name;
  gint64  leasable_area_c;
  gint64  leased_area_c;
  gint64  units;
  gint64  leased_units;
  gint64  wale_rent_centi;    /* -1 when nothing is leased */
  gint64  wale_area_centi;    /* -1 also in group rows (the engine compares by rent) */
  gint64  monthly_rent;       /* WALE's weight by rent, fen */
  /* Collection of the as-of month (domain §10, as tenure-kpi-finance.h defines it): the
   * billed amount of the items due in the month (credit notes deducted), and what was
   * received on them (allocations and deposit offsets) by the as-of date. */
  gint64  collection_due;
  gint64  collection_received;
  gint64  arrears;            /* open on the as-of date and past due (aging − not due) */
  gint64  vacancy_loss;       /* the as-of month up to the as-of date */
  gint64  rent_free_loss;
  gint64  expiring_leases;    /* contracts ending within TENURE_DASHBOARD_EXPIRING_DAYS */
  gint64  expiring_area_c;
} TenureDashboardKpis;

typedef struct
{
  char                *project_code;  /* NULL: the group */
  TenureDate           as_of;
  TenureDashboardKpis  kpis;

  /* Months of the time series, oldest first; the last is the as-of month (first days). */
  TenureDate           months[TENURE_DASHBOARD_MONTHS];
  gint64               occupancy_area_ppm[TENURE_DASHBOARD_MONTHS];  /* at each month end */
  gint64               occupancy_units_ppm[TENURE_DASHBOARD_MONTHS];
  gint64               due[TENURE_DASHBOARD_MONTHS];      /* collection of each month */
  gint64               received[TENURE_DASHBOARD_MONTHS];
  gint64               vacancy_loss[TENURE_DASHBOARD_MONTHS];
  gint64               rent_free_loss[TENURE_DASHBOARD_MONTHS];

  /* Revenue structure: billed per charge item (credit notes deducted, deposits left out) on
   * the items whose period starts in the 12 months. */
  GPtrArray           *charge_codes;   /* char * */
  GPtrArray           *charge_names;   /* char * */
  GArray              *charge_billed;  /* gint64, one per charge code */

  /* Aging: the engine's open amount per bucket, and the same split per charge item (series,
   * in charge_codes order, then the others) from the open items. */
  gint64               aging_total[TENURE_DASHBOARD_AGING_BUCKETS];
  GPtrArray           *aging_codes;    /* char * */
  GPtrArray           *aging_names;    /* char *, the charge item's name */
  GArray              *aging;          /* gint64 [n_codes × TENURE_DASHBOARD_AGING_BUCKETS] */

  /* Expiry density (the KPI engine's single row) */
  TenureKpiExpiry     *expiry;         /* key unset */

  /* Cash-flow forecast, 12 months from the as-of month */
  TenureDate           forecast_months[TENURE_KPI_FORECAST_MONTHS];
  gint64               contractual[TENURE_KPI_FORECAST_MONTHS];
  gint64               expected[TENURE_KPI_FORECAST_MONTHS];
  gint64               renewal_expected[TENURE_KPI_FORECAST_MONTHS];
  gint64               renewal_ppm;

  /* The rows behind the numbers */
  GPtrArray           *rent_roll;      /* TenureRentRollRow */
  GPtrArray           *open_items;     /* TenureOpenItem, settled ones included */
  /* Vacancy and rent-free loss of each whole month (the as-of month: up to the as-of date),
   * and by building (TenureKpiVacancyLoss). Past months are the sum of their buildings (each
   * rounded once); the as-of month is the engine's total, as on the tile. */
  GPtrArray           *vacancy_buildings[TENURE_DASHBOARD_MONTHS];

  /* Group loads: one row per project, ordered by code */
  GPtrArray           *projects;       /* TenureDashboardKpis */
} TenureDashboardData;

void tenure_dashboard_data_free (TenureDashboardData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureDashboardData, tenure_dashboard_data_free)

/* Loads the dashboard of PROJECT_CODE on AS_OF; with PROJECT_CODE NULL, the group
 * comparison instead (->projects, one TenureDashboardKpis per project, with the group's rent
 * roll and open items behind them; the series and charts stay empty). Blocking: call it from
 * a worker thread with a connection of its own. PARALLEL_DB (or NULL): a second connection to
 * the same database, on which a project's units are read beside its receivables
 * (TenureKpiDashboardOptions.parallel_db). */
TenureDashboardData *tenure_dashboard_data_load (TenureDb      *db,
                                                 TenureDb      *parallel_db,
                                                 const char    *project_code,
                                                 TenureDate     as_of,
                                                 GCancellable  *cancellable,
                                                 GError       **error);

/* The same in a worker thread on DB (and PARALLEL_DB), which the caller must not use until
 * CALLBACK runs. */
void                 tenure_dashboard_data_load_async  (TenureDb            *db,
                                                        TenureDb            *parallel_db,
                                                        const char          *project_code,
                                                        TenureDate           as_of,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
TenureDashboardData *tenure_dashboard_data_load_finish (GAsyncResult        *result,
                                                        GError             **error);

/* Helpers on loaded data */
/* The vacant part of a rent-roll row (leasable − leased area; 0 for units not for lease). */
gint64   tenure_dashboard_vacant_area_c (const TenureRentRollRow *row);
/* Whether a rent-roll row's lease ends within the expiring window of AS_OF. */
gboolean tenure_dashboard_row_expiring  (const TenureRentRollRow *row,
                                         TenureDate               as_of);
/* Whether an item's period starts in the revenue window (the 12 months). */
gboolean tenure_dashboard_item_in_revenue (const TenureDashboardData *data,
                                           const TenureOpenItem      *item);
/* The billed amount of an item: its amount less credit notes, never below 0. */
gint64   tenure_dashboard_item_billed   (const TenureOpenItem *item);
/* The index of the month of DATE in data->months, or -1. */
int      tenure_dashboard_month_index   (const TenureDashboardData *data,
                                         TenureDate                 date);

G_END_DECLS
