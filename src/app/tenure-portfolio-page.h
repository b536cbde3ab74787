/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TENURE_TYPE_PORTFOLIO_PAGE (tenure_portfolio_page_get_type ())
G_DECLARE_FINAL_TYPE (TenurePortfolioPage, tenure_portfolio_page,
                      TENURE, PORTFOLIO_PAGE, GtkWidget)

/* The Portfolio section: the projects of the open database with the counts and leasable area
 * of their asset trees, sortable by column. */

/* PROJECTS is a GListModel of TenureProjectSummary; NULL clears the page. */
void tenure_portfolio_page_set_projects   (TenurePortfolioPage *self,
                                           GListModel          *projects);
/* Selects the row of the project with CODE (the project selector's choice). */
void tenure_portfolio_page_select_project (TenurePortfolioPage *self,
                                           const char          *code);

G_END_DECLS
