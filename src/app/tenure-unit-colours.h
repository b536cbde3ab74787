/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "portfolio/tenure-portfolio.h"
#include "tenure-floor-plan.h"

G_BEGIN_DECLS

/* The colour modes shared by the floor plan and the stacking plan: which class each unit
 * falls in, the palette of the classes and the legend of those present. */

/* Frees a TenureFloorPlanLegendEntry (the free function of a legend array). */
void tenure_unit_colours_legend_entry_free (gpointer data);

/* Classes the N UNITS for MODE: CLASSES[i] becomes the palette index of UNITS[i]; PALETTE
 * (GdkRGBA) is refilled with every class of the mode and LEGEND (TenureFloorPlanLegendEntry,
 * freed by tenure_unit_colours_legend_entry_free) with the classes present, in order. */
void tenure_unit_colours_classify (TenureFloorPlanMode    mode,
                                   TenureUnitInfo *const *units,
                                   guint                  n,
                                   guint                 *classes,
                                   GArray                *palette,
                                   GPtrArray             *legend);

G_END_DECLS
