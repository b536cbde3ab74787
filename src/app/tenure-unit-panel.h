/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "portfolio/tenure-portfolio.h"

G_BEGIN_DECLS

#define TENURE_TYPE_UNIT_PANEL (tenure_unit_panel_get_type ())
G_DECLARE_FINAL_TYPE (TenureUnitPanel, tenure_unit_panel, TENURE, UNIT_PANEL, GtkWidget)

/* The unit panel beside the floor plan: for a leased unit its current contract, tenant, areas,
 * each charge term with its contract price, end date and days to expiry; for a vacant one the
 * vacancy reason, days vacant, asking rent and follow-up notes. A leased unit also shows its
 * contract's arrears (open items), last bill and next planned bill; vacancy loss to date is
 * not computed yet and says so. */

GtkWidget *tenure_unit_panel_new        (void);
/* Shows DETAIL (copied what it needs; NULL shows "select a unit"). */
void       tenure_unit_panel_set_detail (TenureUnitPanel  *self,
                                         TenureUnitDetail *detail);

/* The database edits go to: with one, a vacant unit's panel offers to change the vacancy
 * reason and add a follow-up note (through the portfolio core functions) and lists the
 * reason's history; NULL makes the panel read-only. */
void       tenure_unit_panel_set_db     (TenureUnitPanel  *self,
                                         TenureDb         *db);

G_END_DECLS
