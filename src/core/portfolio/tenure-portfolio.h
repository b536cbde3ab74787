/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Read-side queries the screens need: the UI asks these and never writes SQL itself. */

#define TENURE_TYPE_PROJECT_SUMMARY (tenure_project_summary_get_type ())
G_DECLARE_FINAL_TYPE (TenureProjectSummary, tenure_project_summary,
                      TENURE, PROJECT_SUMMARY, GObject)

/* One project with the counts of its asset tree. Properties (read-only): "code", "name",
 * "format" (the stored key: mall, office, …), "format-label" (translated), "city",
 * "building-count", "floor-count", "unit-count", "leasable-area-c" (centi-m², live units),
 * "leasable-area-text" (the area with two decimals). */
const char *tenure_project_summary_get_code            (TenureProjectSummary *self);
const char *tenure_project_summary_get_name            (TenureProjectSummary *self);
const char *tenure_project_summary_get_format          (TenureProjectSummary *self);
const char *tenure_project_summary_get_city            (TenureProjectSummary *self);
gint64      tenure_project_summary_get_building_count  (TenureProjectSummary *self);
gint64      tenure_project_summary_get_floor_count     (TenureProjectSummary *self);
gint64      tenure_project_summary_get_unit_count      (TenureProjectSummary *self);
gint64      tenure_project_summary_get_leasable_area_c (TenureProjectSummary *self);

/* Every project of DB ordered by code, as a GListModel of TenureProjectSummary.
 * Retired units (retired_on set) count neither in units nor in area. */
GListModel *tenure_portfolio_list_projects (TenureDb  *db,
                                            GError   **error);

/* AREA_C (hundredths of a square metre) as text with two decimals and thousands separators,
 * "12,345.67", computed on integers only. */
char       *tenure_portfolio_format_area_c (gint64 area_c);

/* The translated name of a business format key ("mall" → "Mall"); unknown keys come back
 * as they are. */
const char *tenure_portfolio_format_label  (const char *format);

G_END_DECLS
