/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* The KPI engine, part one: indicators that need only assets, contracts and their clauses
 * (domain §10). Collection rate, aging and the cash-flow forecast need receipts and are not
 * here yet.
 *
 * Common rules. Live units only (retired_on unset); units not for lease are outside every
 * indicator. A unit is leased on day d when a contract that is active (or was, and has since
 * expired or terminated) covers d up to its termination date, through the version in force on
 * d (the latest approved or superseded version effective on or before d), which gives the
 * leased area (capped at the unit's leasable area). Units under renovation count as vacant.
 * Monthly rent is the rent clauses' price in force on the as-of date (stepped and table
 * escalations applied as the plan engine does; CPI reviews are not: the base price stays),
 * rounded once to fen per unit: per m² per month × area, per m² per day × area ×
 * 365/12, fixed monthly by area share, fixed per period / cycle months; turnover and one-off
 * clauses count 0. Remaining term is counted in days, both ends included, and a year is 365
 * days. Ratios are integer pairs; tenure_kpi_ppm () turns one into parts per million. */

typedef enum
{
  TENURE_KPI_BY_NONE,       /* one row, key "" */
  TENURE_KPI_BY_PROJECT,    /* project code */
  TENURE_KPI_BY_BUILDING,   /* building code */
  TENURE_KPI_BY_FORMAT,     /* the unit's format key (mall, office, …) */
  TENURE_KPI_BY_AREA_BAND,  /* <100, 100-300, 300-1000, 1000-3000, >=3000 (m², leasable) */
  TENURE_KPI_BY_TERM,       /* remaining term <1, 1-2, 2-3, 3-5, >5 years; vacant units "vacant" */
  /* Quintiles of monthly rent per m² within a format, "mall Q1" (cheapest) … "mall Q5": the
   * leased unit ranked i (from 0) of n by rent per m² is in quintile ⌊5i/n⌋ + 1; vacant units
   * "vacant", leased ones without a monthly rent (turnover only) "no-rent". */
  TENURE_KPI_BY_PRICE_BAND,
} TenureKpiSlice;

/* Parses "project", "building", "format", "area-band", "term", "price-band" (or NULL/""); fails with
 * TENURE_ERROR_INVALID naming the text. */
gboolean    tenure_kpi_slice_parse (const char      *text,
                                    TenureKpiSlice  *out,
                                    GError         **error);

/* NUM / DEN in parts per million, half away from zero; 0 when DEN is 0. */
gint64      tenure_kpi_ppm         (gint64 num,
                                    gint64 den);

/* ---- Occupancy ------------------------------------------------------------------------ */
typedef struct
{
  char   *key;
  gint64  leasable_area_c;   /* units for lease (0.01 m²) */
  gint64  leased_area_c;
  gint64  units;
  gint64  leased_units;
} TenureKpiOccupancy;

/* Occupancy on AS_OF of the units of PROJECT_CODE (NULL: all), one row per slice key ordered
 * by key, as a GPtrArray of TenureKpiOccupancy (owning). Vacancy is 1 − the ratio. */
GPtrArray  *tenure_kpi_occupancy        (TenureDb        *db,
                                         TenureDate       as_of,
                                         const char      *project_code,
                                         TenureKpiSlice   by,
                                         GError         **error);
/* Occupancy (no slices) at each month end from the month of FROM to the month of TO; the key of
 * each row is the month end "YYYY-MM-DD". One read of the units and leases of the scope serves
 * every month end (the same figures as tenure_kpi_occupancy () on each). */
GPtrArray  *tenure_kpi_occupancy_series (TenureDb        *db,
                                         TenureDate       from,
                                         TenureDate       to,
                                         const char      *project_code,
                                         GError         **error);

/* ---- Expiry density and WALE ----------------------------------------------------------- */
#define TENURE_KPI_EXPIRY_MONTHS 24

typedef struct
{
  char   *key;
  gint64  leased_area_c;     /* leased on the as-of date */
  gint64  monthly_rent;      /* fen */
  /* Bucket k: leases ending in the calendar month of the as-of date + k (k = 0 is the rest of
   * the as-of month). */
  gint64  area_c[TENURE_KPI_EXPIRY_MONTHS];
  gint64  rent[TENURE_KPI_EXPIRY_MONTHS];
  TenureDate month[TENURE_KPI_EXPIRY_MONTHS]; /* first day of each bucket's month */
} TenureKpiExpiry;

GPtrArray  *tenure_kpi_expiry (TenureDb        *db,
                               TenureDate       as_of,
                               const char      *project_code,
                               TenureKpiSlice   by,
                               GError         **error);

typedef struct
{
  char   *key;
  /* WALE in hundredths of a year, half away from zero, from the exact ratio
   * Σ(remaining days × weight) / (365 × Σ weight); -1 when Σ weight is 0. */
  gint64  by_rent_centi;
  gint64  by_area_centi;
  gint64  monthly_rent;      /* Σ weight by rent, fen */
  gint64  leased_area_c;     /* Σ weight by area */
} TenureKpiWale;

GPtrArray  *tenure_kpi_wale (TenureDb        *db,
                             TenureDate       as_of,
                             const char      *project_code,
                             TenureKpiSlice   by,
                             GError         **error);

/* ---- Vacancy loss ---------------------------------------------------------------------- */
typedef struct
{
  char   *key;
  gint64  vacant_unit_days;
  /* Σ over vacant unit-days in the range of the asking rent per day, rounded once per key:
   * per m² per day × area, or per m² per month × area / days in that month. Units without an
   * asking price add days but no loss. */
  gint64  vacancy_loss;
  gint64  units_without_asking;
  /* The rent the rent-free segments of leases in the range would have carried (base price,
   * same proration), rounded once per key. */
  gint64  rent_free_loss;
} TenureKpiVacancyLoss;

/* Over FROM..TO (both included); the term slice uses the status on TO. */
GPtrArray  *tenure_kpi_vacancy_loss (TenureDb        *db,
                                     TenureDate       from,
                                     TenureDate       to,
                                     const char      *project_code,
                                     TenureKpiSlice   by,
                                     GError         **error);

/* Vacancy loss of each calendar month from the month of FROM to the month of TO, each clipped
 * to FROM..TO: a GPtrArray (one per month, oldest first) of GPtrArray of TenureKpiVacancyLoss,
 * each the rows tenure_kpi_vacancy_loss () gives for that month (each key rounded once per
 * month), from one read of the units and leases. The term and price-band slices depend on
 * the leases: each month takes them on its last day (clipped to TO) from a snapshot of that
 * day, as tenure_kpi_vacancy_loss () over the month does, so each month equals that call. */
GPtrArray  *tenure_kpi_vacancy_loss_series (TenureDb        *db,
                                            TenureDate       from,
                                            TenureDate       to,
                                            const char      *project_code,
                                            TenureKpiSlice   by,
                                            GError         **error);

/* ---- Renewals -------------------------------------------------------------------------- */
typedef struct
{
  char   *key;
  gint64  reached_expiry;   /* contracts whose end date falls in the window, not ended early */
  gint64  renewed;          /* of those, the ones another (non-draft) contract renews */
} TenureKpiRenewals;

/* Contracts reaching their end date in FROM..TO, sliced by project, format (the project's),
 * building and area band of the contract's largest unit (as the money slices,
 * tenure-kpi-finance.h), price band of that unit on FROM (every lease counted still runs
 * then; tenure-kpi-slices.h), or term: the lease's whole term from its start to its end date
 * ("<1", "1-2", "2-3", "3-5", ">5" years of 365 days, both days counted), since the term left
 * at the window's start would put nearly every lease of a year's window under "<1". A contract
 * without units has the key "-". Σ over the keys is the unsliced count. */
GPtrArray  *tenure_kpi_renewals (TenureDb        *db,
                                 TenureDate       from,
                                 TenureDate       to,
                                 const char      *project_code,
                                 TenureKpiSlice   by,
                                 GError         **error);

/* ---- Rent roll ------------------------------------------------------------------------- */
typedef struct
{
  char   *charge_code;
  char   *charge_name;
  char   *basis;
  gint64  monthly;          /* fen, this unit's share */
  gint64  per_m2_e4;        /* monthly per m² of the unit's leased area, 0.0001 yuan */
  gint64  price_e4;         /* the clause's unit price in force (per-m² bases), else -1 */
  TenureDate next_review;   /* the next escalation review, TENURE_DATE_INVALID for none */
} TenureRentRollCharge;

typedef struct
{
  char       *unit_code;
  char       *project_code;
  char       *building_code;
  char       *format;
  char       *stored_status;
  gint64      leasable_area_c;
  gboolean    leased;
  /* When leased on the as-of date: */
  char       *contract_code;
  char       *tenant_name;
  TenureDate  start;
  TenureDate  end;              /* the termination date when it comes first */
  gint64      leased_area_c;
  GPtrArray  *charges;          /* TenureRentRollCharge, empty when vacant */
  gint64      deposit_held;     /* fen: received − offset − refunded − forfeited by the as-of date */
} TenureRentRollRow;

/* Every live unit of PROJECT_CODE (NULL: all) ordered by unit code, not-for-lease units
 * included (stored status says so), as a GPtrArray of TenureRentRollRow. */
GPtrArray  *tenure_kpi_rent_roll (TenureDb     *db,
                                  TenureDate    as_of,
                                  const char   *project_code,
                                  GError      **error);

G_END_DECLS
