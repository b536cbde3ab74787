/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tenure-chart.h"

G_BEGIN_DECLS

#define TENURE_TYPE_LINE_CHART (tenure_line_chart_get_type ())
G_DECLARE_FINAL_TYPE (TenureLineChart, tenure_line_chart, TENURE, LINE_CHART, TenureChart)

/* A line chart: one line per series through the category centres, with a dot at each value. */
TenureChart *tenure_line_chart_new       (void);
/* The pixel position of the value of SERIES in category INDEX at FRAME. */
void         tenure_line_chart_get_point (TenureLineChart        *self,
                                          const TenureChartFrame *frame,
                                          guint                   series,
                                          guint                   index,
                                          graphene_point_t       *point);

G_END_DECLS
