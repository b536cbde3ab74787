/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "store/tenure-db.h"
#include "tenure-expiry-strip.h"
#include "tenure-floor-plan.h"
#include "tenure-floor-plan-editor.h"
#include "tenure-stacking-plan.h"
#include "tenure-unit-panel.h"

G_BEGIN_DECLS

#define TENURE_TYPE_PORTFOLIO_PAGE (tenure_portfolio_page_get_type ())
G_DECLARE_FINAL_TYPE (TenurePortfolioPage, tenure_portfolio_page,
                      TENURE, PORTFOLIO_PAGE, GtkWidget)

/* The Portfolio section: a navigation tree (legal entity → project → building → floor) with
 * Ctrl+F search by unit code, tenant or contract number; above the floors the project table
 * (counts and leasable area, sortable); on a floor its plan (TenureFloorPlan), the unit list
 * beside it (filterable, in sync with the map's selection) and the unit panel. */

/* PROJECTS is a GListModel of TenureProjectSummary; NULL clears the page. */
void tenure_portfolio_page_set_projects   (TenurePortfolioPage *self,
                                           GListModel          *projects);
/* Selects the row of the project with CODE (the project selector's choice). */
void tenure_portfolio_page_select_project (TenurePortfolioPage *self,
                                           const char          *code);

/* The database the tree, floors and units come from (NULL clears); set_projects () takes it
 * from the window when the page sits in one. */
void     tenure_portfolio_page_set_db          (TenurePortfolioPage *self,
                                                TenureDb            *db);
/* Where the page's worker opens its own connection (the window's database location): with
 * one, the tree, floors and buildings load off the main thread with a spinner and Cancel in
 * the content area; without (NULL), on the main thread. Takes effect at the next set_db (). */
void     tenure_portfolio_page_set_location    (TenurePortfolioPage *self,
                                                const char          *location);
/* Expands the tree to floor FLOOR_ID and shows its plan; FALSE when there is no such floor.
 * Loads on the main thread (the tree too, when it is still loading): done on return. */
gboolean tenure_portfolio_page_open_floor      (TenurePortfolioPage *self,
                                                gint64               floor_id);
/* Opens floor FLOOR_ID and selects unit UNIT_ID on it (what a search result does). */
gboolean tenure_portfolio_page_open_unit       (TenurePortfolioPage *self,
                                                gint64               floor_id,
                                                gint64               unit_id);
/* Expands the tree to building BUILDING_ID and shows its stacking plan with the expiry strip
 * under it; FALSE when there is no such building. */
gboolean tenure_portfolio_page_open_building   (TenurePortfolioPage *self,
                                                gint64               building_id);
/* Select floor FLOOR_ID or building BUILDING_ID in the tree as a click does: with a location,
 * the load runs on the worker and its result shows when it arrives (a newer request or a
 * click elsewhere drops it); FALSE when there is no such node. */
gboolean tenure_portfolio_page_request_floor    (TenurePortfolioPage *self,
                                                 gint64               floor_id);
gboolean tenure_portfolio_page_request_building (TenurePortfolioPage *self,
                                                 gint64               building_id);
/* TRUE while a load runs (the spinner shows in the content area). */
gboolean tenure_portfolio_page_is_loading       (TenurePortfolioPage *self);
/* What the Cancel button does: drops the running load and shows the previous view again. */
void     tenure_portfolio_page_cancel_load      (TenurePortfolioPage *self);
/* The loading spinner, for tests. */
GtkSpinner *tenure_portfolio_page_get_load_spinner (TenurePortfolioPage *self);
/* The stacking plan, the expiry strip and the unit panel, for tests. */
TenureStackingPlan *tenure_portfolio_page_get_stacking_plan  (TenurePortfolioPage *self);
TenureExpiryStrip  *tenure_portfolio_page_get_expiry_strip   (TenurePortfolioPage *self);
TenureUnitPanel    *tenure_portfolio_page_get_unit_panel     (TenurePortfolioPage *self);
/* The map, the unit list view and its selection model, for tests. */
TenureFloorPlan    *tenure_portfolio_page_get_floor_plan     (TenurePortfolioPage *self);
GtkWidget          *tenure_portfolio_page_get_unit_list      (TenurePortfolioPage *self);
GtkSingleSelection *tenure_portfolio_page_get_unit_selection (TenurePortfolioPage *self);
/* The layout editor of the floor plan (its "Edit Layout" button and toolbar). */
TenureFloorPlanEditor *tenure_portfolio_page_get_layout_editor (TenurePortfolioPage *self);

G_END_DECLS
