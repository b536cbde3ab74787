/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "base/tenure-date.h"

G_BEGIN_DECLS

/* The expiry-density strip under the stacking plan: one bar per month (the KPI engine's
 * tenure_kpi_expiry buckets), its height the leased area whose lease ends that month. Hover
 * shows the month and area; a click selects the month ("month-selected" with its index, -1
 * when cleared), which the page uses to highlight the units in the stacking plan. */

#define TENURE_TYPE_EXPIRY_STRIP (tenure_expiry_strip_get_type ())
G_DECLARE_FINAL_TYPE (TenureExpiryStrip, tenure_expiry_strip, TENURE, EXPIRY_STRIP, GtkWidget)

GtkWidget  *tenure_expiry_strip_new            (void);
/* N_MONTHS bars: AREA_C[k] (centi-m²) ending in the month starting MONTHS[k]. N_MONTHS 0
 * clears. Clears the selected month. */
void        tenure_expiry_strip_set_months     (TenureExpiryStrip *self,
                                                guint              n_months,
                                                const gint64      *area_c,
                                                const TenureDate  *months);
guint       tenure_expiry_strip_get_n_months   (TenureExpiryStrip *self);
/* The value of bar K (centi-m²). */
gint64      tenure_expiry_strip_get_area_c     (TenureExpiryStrip *self,
                                                guint              k);
/* The first day of bar K's month. */
TenureDate  tenure_expiry_strip_get_month      (TenureExpiryStrip *self,
                                                guint              k);
/* The column of bar K in widget coordinates (its whole height, for clicks and hover). */
graphene_rect_t tenure_expiry_strip_get_bar_rect (TenureExpiryStrip *self,
                                                  guint              k);
/* The bar under the widget point (X, Y), or -1. */
int         tenure_expiry_strip_bar_at         (TenureExpiryStrip *self,
                                                double             x,
                                                double             y);
/* The tooltip text of bar K ("2027-03: 1,234.00 m²"), newly allocated. */
char       *tenure_expiry_strip_describe_bar   (TenureExpiryStrip *self,
                                                guint              k);
/* Selects month K (-1 clears; clicking the selected month again clears too) and emits
 * "month-selected". */
void        tenure_expiry_strip_select_month   (TenureExpiryStrip *self,
                                                int                k);
int         tenure_expiry_strip_get_selected   (TenureExpiryStrip *self);
/* What the click gesture does at (X, Y). */
void        tenure_expiry_strip_click          (TenureExpiryStrip *self,
                                                double             x,
                                                double             y);

G_END_DECLS
