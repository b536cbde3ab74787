/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tenure-chart.h"

G_BEGIN_DECLS

#define TENURE_TYPE_BAR_CHART (tenure_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (TenureBarChart, tenure_bar_chart, TENURE, BAR_CHART, TenureChart)

/* A bar chart: one group of bars per category, one bar per series; or, stacked, one bar per
 * category with the series on top of each other (negative values stack downwards). */
TenureChart *tenure_bar_chart_new         (gboolean stacked);
void         tenure_bar_chart_set_stacked (TenureBarChart *self,
                                           gboolean        stacked);
gboolean     tenure_bar_chart_get_stacked (TenureBarChart *self);
/* The rectangle of the bar of SERIES in category INDEX at FRAME (empty for a zero value). */
void         tenure_bar_chart_get_bar     (TenureBarChart         *self,
                                           const TenureChartFrame *frame,
                                           guint                   series,
                                           guint                   index,
                                           graphene_rect_t        *rect);

G_END_DECLS
