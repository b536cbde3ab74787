/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Per-unit indicators for the unit panel, by the KPI engine's rules (domain.md §10). */

typedef struct
{
  gboolean    for_lease;        /* FALSE for a unit not for lease: no vacancy, no loss */
  gboolean    vacant;           /* no lease covers the as-of date */
  gboolean    ever_leased;      /* VACANT_SINCE follows a lease; else the unit's creation */
  /* The first day of the current vacancy: the day after its last lease ended (its end or
   * earlier termination), or the day the unit was created when it never had a lease; invalid
   * when not vacant. */
  TenureDate  vacant_since;
  gint64      vacant_days;      /* VACANT_SINCE..as-of, both included; 0 when after it */
  gint64      asking_price_e4;  /* -1 when the unit has no asking price */
  gboolean    asking_per_day;   /* the asking price is per m² per day, else per month */
  /* Σ over the vacant days of the asking rent per day: per m² per day × area, or per m² per
   * month × area / the days of that month; exact, rounded once (fen). 0 without an asking
   * price. Equals tenure_kpi_vacancy_loss () over VACANT_SINCE..as-of for this unit alone. */
  gint64      vacancy_loss;
} TenureKpiUnitVacancy;

/* The current vacancy of live unit UNIT_ID on AS_OF and its loss to date into OUT; FALSE with
 * TENURE_ERROR_NOT_FOUND when there is no such live unit. */
gboolean tenure_kpi_unit_vacancy_loss (TenureDb              *db,
                                       gint64                 unit_id,
                                       TenureDate             as_of,
                                       TenureKpiUnitVacancy  *out,
                                       GError               **error);

G_END_DECLS
