/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "analytics/tenure-kpi.h"
#include "base/tenure-date.h"
#include "export/tenure-export.h"
#include "store/tenure-db.h"
#include "charts/tenure-chart.h"
#include "tenure-dashboard-data.h"
#include "tenure-dashboard-list.h"

G_BEGIN_DECLS

#define TENURE_TYPE_ANALYTICS_PAGE (tenure_analytics_page_get_type ())
G_DECLARE_FINAL_TYPE (TenureAnalyticsPage, tenure_analytics_page,
                      TENURE, ANALYTICS_PAGE, GtkWidget)

/* The Analytics section: the project dashboard (KPI tiles and charts of the project chosen in
 * the header's selector) and the group comparison (one row per project, sortable, and a bar
 * chart). Numbers load off the main thread on a connection of the page's own, once the page
 * is shown; every tile, bar and slice opens the list behind it (TenureDashboardList), whose
 * rows add up to it. */

/* The database and its location (the page opens its own worker connection there), and the
 * projects (GListModel of TenureProjectSummary). NULL clears the page. */
void        tenure_analytics_page_set_database    (TenureAnalyticsPage *self,
                                                   TenureDb            *db,
                                                   const char          *location,
                                                   GListModel          *projects);
/* Shows the dashboard of project CODE. */
void        tenure_analytics_page_select_project  (TenureAnalyticsPage *self,
                                                   const char          *code);
void        tenure_analytics_page_set_as_of       (TenureAnalyticsPage *self,
                                                   TenureDate           as_of);
TenureDate  tenure_analytics_page_get_as_of       (TenureAnalyticsPage *self);
/* Loads the numbers again (the "analytics.refresh" action, F5). */
void        tenure_analytics_page_refresh         (TenureAnalyticsPage *self);
/* Whether a load is running or queued (a page that is not shown loads when it is). */
gboolean    tenure_analytics_page_is_loading      (TenureAnalyticsPage *self);
/* "project" or "group". */
void        tenure_analytics_page_show_view       (TenureAnalyticsPage *self,
                                                   const char          *view);

/* Writes REPORT of the chosen project (all projects while the group comparison shows) as of
 * the page's date to PATH in a worker thread on a connection of its own, with a progress bar
 * and Cancel under the toolbar ("Export to Excel…" asks for PATH with a file chooser first).
 * FALSE when an export is already running. */
gboolean    tenure_analytics_page_export_to_file  (TenureAnalyticsPage *self,
                                                   TenureExportReport   report,
                                                   const char          *path);
gboolean    tenure_analytics_page_is_exporting    (TenureAnalyticsPage *self);
/* Stops the running export: nothing is left at its path. */
void        tenure_analytics_page_cancel_export   (TenureAnalyticsPage *self);
/* The export bar's progress and message, for tests. */
GtkProgressBar *tenure_analytics_page_get_export_progress (TenureAnalyticsPage *self);
GtkLabel       *tenure_analytics_page_get_export_label    (TenureAnalyticsPage *self);

/* For tests: what is on screen and what the numbers were loaded from. Tiles are
 * "occupancy-area", "occupancy-units", "wale", "collection", "arrears", "vacancy-loss" and
 * "expiring"; charts "revenue", "occupancy", "collection", "aging", "expiry", "vacancy" and
 * "group". */
GtkLabel                  *tenure_analytics_page_get_tile_value (TenureAnalyticsPage *self,
                                                                 const char          *tile);
/* The detail line under tile TILE's value (for the collection tile: which month). */
GtkLabel                  *tenure_analytics_page_get_tile_detail (TenureAnalyticsPage *self,
                                                                  const char          *tile);
/* The "Slice by" of the revenue and forecast charts: TENURE_KPI_BY_NONE (by charge item and
 * kind of amount), project, building, format, area band or term (the dropdown above the
 * charts); the sliced charts load from the engine on the page's connection. */
void                       tenure_analytics_page_set_slice      (TenureAnalyticsPage *self,
                                                                 TenureKpiSlice       slice);
/* Clicks tile TILE; returns the list it opened (owned by the page's window list), or NULL. */
TenureDashboardList       *tenure_analytics_page_open_tile      (TenureAnalyticsPage *self,
                                                                 const char          *tile);
TenureChart               *tenure_analytics_page_get_chart      (TenureAnalyticsPage *self,
                                                                 const char          *chart);
/* Clicks the figure FIGURE (a tile id) in the group comparison's row of PROJECT_CODE; returns
 * the list it opened, or NULL. */
TenureDashboardList       *tenure_analytics_page_open_group_cell (TenureAnalyticsPage *self,
                                                                  const char          *project_code,
                                                                  const char          *figure);
/* The list window opened last (by a tile or a chart), or NULL. */
TenureDashboardList       *tenure_analytics_page_get_last_list  (TenureAnalyticsPage *self);
GtkColumnView             *tenure_analytics_page_get_group_view (TenureAnalyticsPage *self);
/* The numbers of the group table's row at POSITION as sorted on screen, or NULL. */
const TenureDashboardKpis *tenure_analytics_page_get_group_row  (TenureAnalyticsPage *self,
                                                                 guint                position);
const TenureDashboardData *tenure_analytics_page_get_data       (TenureAnalyticsPage *self);
const TenureDashboardData *tenure_analytics_page_get_group_data (TenureAnalyticsPage *self);

G_END_DECLS
