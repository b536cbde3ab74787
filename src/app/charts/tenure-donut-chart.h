/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tenure-chart.h"

G_BEGIN_DECLS

#define TENURE_TYPE_DONUT_CHART (tenure_donut_chart_get_type ())
G_DECLARE_FINAL_TYPE (TenureDonutChart, tenure_donut_chart, TENURE, DONUT_CHART, TenureChart)

/* A donut of the first series: one slice per category with a positive value, clockwise from
 * twelve o'clock, the total in the middle. */
TenureChart *tenure_donut_chart_new          (void);
/* The centre and radii of the ring at FRAME. */
void         tenure_donut_chart_get_ring     (TenureDonutChart       *self,
                                              const TenureChartFrame *frame,
                                              graphene_point_t       *centre,
                                              double                 *outer,
                                              double                 *inner);
/* The start and end angle of category INDEX's slice in radians, clockwise from twelve
 * o'clock (0 to 2π); FALSE when it has no slice (value 0 or negative). */
gboolean     tenure_donut_chart_get_slice    (TenureDonutChart *self,
                                              guint             index,
                                              double           *start,
                                              double           *end);

G_END_DECLS
