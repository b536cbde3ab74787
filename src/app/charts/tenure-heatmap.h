/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tenure-chart.h"

G_BEGIN_DECLS

#define TENURE_TYPE_HEATMAP (tenure_heatmap_get_type ())
G_DECLARE_FINAL_TYPE (TenureHeatmap, tenure_heatmap, TENURE, HEATMAP, TenureChart)

/* A heatmap: the categories are the columns, each series a row; a cell's colour goes from
 * pale (the smallest value) to strong (the largest) and shows its value when it fits. */
TenureChart *tenure_heatmap_new        (void);
/* The rectangle of the cell of row SERIES, column INDEX at FRAME. */
void         tenure_heatmap_get_cell   (TenureHeatmap          *self,
                                        const TenureChartFrame *frame,
                                        guint                   series,
                                        guint                   index,
                                        graphene_rect_t        *rect);
/* The fill of a cell holding VALUE (light or DARK). */
void         tenure_heatmap_cell_colour (TenureHeatmap *self,
                                         gboolean       dark,
                                         gint64         value,
                                         GdkRGBA       *colour);

G_END_DECLS
