/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "analytics/tenure-kpi.h"
#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* The KPI engine, part two: indicators that need bills, receipts and the plan (domain §10).
 *
 * Common rules. Money is in minor units of one currency (CURRENCY, NULL: "CNY"); items in other
 * currencies are left out, never summed. An item is an open item as defined by
 * collections/tenure-open-item.h: a bill line with a positive amount on a bill (or debit note)
 * posted on or before the as-of date; its billed amount is that amount plus the credit-note
 * lines correcting it posted by the as-of date (never below 0), and its open amount on a date
 * is the one tenure_open_items_load () gives. Received means allocations of kind 'allocation'
 * and 'offset' (a deposit set against arrears) posted on or before the as-of date, their
 * reversals included (they are negative); write-offs are not received.
 *
 * Slices. Bills belong to a contract; a contract's project is its own, and its building,
 * format and area band are those of its largest unit (by leased area, then unit code) in its
 * latest approved or superseded version, the area band from the sum of that version's leased
 * areas. Aging also takes TENURE_KPI_BY_TERM and TENURE_KPI_BY_PRICE_BAND, each contract keyed
 * on the as-of date as tenure-kpi-slices.h says (remaining term; price band of its largest
 * unit), and so does tenure_kpi_collection () (as tenure_kpi_collection_sliced () over its
 * month). Rows are ordered by key. */

/* ---- Collection rate (收缴率) and arrears recovery (清欠率) --------------------------------- */
typedef struct
{
  char       *key;                /* slice key, or the month "YYYY-MM" in a series */
  TenureDate  month;              /* the first day of the period month */
  /* Collection rate = received / due. */
  gint64      due;                /* billed amount of the items due in the month */
  gint64      received;           /* received on those items by the as-of date */
  /* Arrears recovery = recovered / arrears_open. */
  gint64      arrears_open;       /* open at the start of the month (end of the day before) of
                                   * the items due before the month */
  gint64      arrears_recovered;  /* received on those items with a posting date in the month
                                   * and on or before the as-of date */
} TenureKpiCollection;

/* Collection for the calendar month of MONTH as seen on AS_OF, one row per slice key. */
GPtrArray  *tenure_kpi_collection        (TenureDb        *db,
                                          TenureDate       month,
                                          TenureDate       as_of,
                                          const char      *project_code,
                                          const char      *currency,
                                          TenureKpiSlice   by,
                                          GError         **error);
/* Collection of each month from the month of FROM to the month of TO (no slices), each as seen
 * on AS_OF. */
GPtrArray  *tenure_kpi_collection_series (TenureDb        *db,
                                          TenureDate       from,
                                          TenureDate       to,
                                          TenureDate       as_of,
                                          const char      *project_code,
                                          const char      *currency,
                                          GError         **error);

/* ---- Aging (账龄) ------------------------------------------------------------------------ */
/* Days past the due date on the as-of date: not due (≤ 0), 1–30, 31–60, 61–90, 91–180,
 * 181–365, > 365. */
#define TENURE_KPI_AGING_BUCKETS 7

typedef struct
{
  char   *key;
  gint64  open[TENURE_KPI_AGING_BUCKETS];   /* open amount */
  gint64  items[TENURE_KPI_AGING_BUCKETS];  /* open items (open amount > 0) */
  gint64  total;                            /* Σ open */
} TenureKpiAging;

/* Aging comes from collections/tenure-aging.h (tenure_aging ()), so both agree to the fen;
 * this adds the building, format, area-band and price-band slices (by each contract's largest
 * unit) and the term slice (the contract's remaining term on AS_OF, "ended" after its end). */

/* "not_due", "1-30", "31-60", "61-90", "91-180", "181-365", "over_365"
 * (tenure_aging_bucket_key ()). */
const char *tenure_kpi_aging_bucket_name (guint bucket);

GPtrArray  *tenure_kpi_aging (TenureDb        *db,
                              TenureDate       as_of,
                              const char      *project_code,
                              const char      *currency,
                              TenureKpiSlice   by,
                              GError         **error);

/* ---- Revenue structure ----------------------------------------------------------------- */
typedef struct
{
  char   *key;            /* charge item code */
  char   *charge_name;
  char   *charge_kind;    /* charge_item.kind: rent, property_fee, parking, … */
  gint64  billed;         /* tax-inclusive, credit notes included (negative) */
  gint64  tax;
} TenureKpiRevenue;

/* Billed revenue by charge item: bill lines (credit notes included) whose period starts in
 * FROM..TO on bills posted on or before AS_OF; deposits are not revenue and are left out. */
GPtrArray  *tenure_kpi_revenue (TenureDb     *db,
                                TenureDate    from,
                                TenureDate    to,
                                TenureDate    as_of,
                                const char   *project_code,
                                const char   *currency,
                                GError      **error);

/* ---- Unit revenue curve ---------------------------------------------------------------- */
typedef struct
{
  char       *key;        /* "YYYY-MM" */
  TenureDate  month;
  gint64      billed;     /* the unit's share of the month's billed revenue */
} TenureKpiUnitRevenue;

/* Billed revenue of UNIT_CODE for each month from the month of FROM to the month of TO: each
 * bill line (deposits left out, credit notes included) counts in the month its period starts,
 * and is shared among the units of the contract version it was planned from by leased area
 * (largest remainder, ties to the lower unit code, so shares add up to the line). */
GPtrArray  *tenure_kpi_unit_revenue (TenureDb     *db,
                                     const char   *unit_code,
                                     TenureDate    from,
                                     TenureDate    to,
                                     TenureDate    as_of,
                                     GError      **error);

/* ---- Cash-flow forecast ---------------------------------------------------------------- */
#define TENURE_KPI_FORECAST_MONTHS 12

typedef struct
{
  /* Renewal probability in parts per million for leases ending in the window;
   * -1: the renewal success rate of the 12 months before the as-of date (tenure_kpi_renewals),
   * 0 when none reached expiry. */
  gint64 renewal_ppm;
} TenureKpiForecastOptions;

typedef struct
{
  char       *key;            /* "YYYY-MM" */
  TenureDate  month;
  /* Plan lines due in the month: planned ones (of contracts past approval) in full, billed
   * ones at their open amount on the as-of date (what is paid is no longer expected). */
  gint64      contractual;
  /* Σ over tenants of round (their contractual amount in the month × their on-time share). */
  gint64      expected;
  /* Leases ending from the as-of month on, before this month, continued at their current
   * monthly rent (tenure-kpi.h, as in tenure_kpi_expiry) from the month after they end,
   * × the renewal probability (rounded once per month). */
  gint64      renewal;
  /* renewal × the on-time share of the whole scope (all its tenants pooled). */
  gint64      renewal_expected;
} TenureKpiCashFlow;

/* On-time share of a tenant: of its items (deposits left out) due in the 12 months before
 * the as-of month (due dates in [as-of month − 12, as-of month − 1]), the billed amount of those
 * received in full by the due date + 5 days' grace, over the billed amount of all of them.
 * A tenant with no such item takes its project's share (all the project's tenants pooled);
 * a project with none, 1. */

/* The next TENURE_KPI_FORECAST_MONTHS months starting with the as-of month, as a GPtrArray of
 * TenureKpiCashFlow. OPTIONS NULL: no renewals (probability 0). */
GPtrArray  *tenure_kpi_cash_flow (TenureDb                        *db,
                                  TenureDate                       as_of,
                                  const char                      *project_code,
                                  const char                      *currency,
                                  const TenureKpiForecastOptions  *options,
                                  GError                         **error);

/* ---- Turnaround times ------------------------------------------------------------------ */
typedef struct
{
  char   *key;
  /* Contract approval: contracts whose first version was approved in the range; days from
   * signed_on (else the version's created_at date) to that version's approved_at date. */
  gint64  contracts;
  gint64  approval_days;     /* Σ days */
  /* Bill issue: bills (kind 'bill') posted in the range; days from the period start to the
   * posting date (negative when posted ahead). */
  gint64  bills;
  gint64  issue_days;
  /* Reconciliation: reconciliations created in the range; days from their period's last day
   * to the created_at date, and for the closed ones to updated_at (the schema keeps no
   * closing time; a closed reconciliation is no longer changed, so its last change is the
   * closing). */
  gint64  reconciliations;
  gint64  reconciliation_days;
  gint64  closed;
  gint64  close_days;
} TenureKpiTurnaround;

/* Over FROM..TO. By project, each row falls under its contract's project (a reconciliation
 * under the project it covers or its contract's; a legal entity's under "-"). By the other
 * slices, approvals and bills take the key of their contract on TO, as the money slices do
 * (tenure_kpi_contract_slice_keys ()); a reconciliation of a contract takes that contract's
 * key, one of a project or a legal entity has no contract and falls under "-". Averages are
 * Σ days / count, left to the caller. */
GPtrArray  *tenure_kpi_turnaround (TenureDb        *db,
                                   TenureDate       from,
                                   TenureDate       to,
                                   const char      *project_code,
                                   TenureKpiSlice   by,
                                   GError         **error);

G_END_DECLS
