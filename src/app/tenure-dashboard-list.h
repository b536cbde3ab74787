/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "charts/tenure-chart.h"

G_BEGIN_DECLS

#define TENURE_TYPE_DASHBOARD_LIST (tenure_dashboard_list_get_type ())
G_DECLARE_FINAL_TYPE (TenureDashboardList, tenure_dashboard_list,
                      TENURE, DASHBOARD_LIST, AdwWindow)

/* The list behind a number of the dashboard: a window with a sortable table whose last
 * column is the value each row adds, and the total of those values underneath (it equals the
 * number that was clicked). */

/* A list titled TITLE (SUBTITLE under it: project and date) with the text columns COLUMNS
 * (NULL-terminated) followed by a value column VALUE_TITLE in UNIT. */
TenureDashboardList *tenure_dashboard_list_new       (GtkWindow          *parent,
                                                      const char         *title,
                                                      const char         *subtitle,
                                                      const char * const *columns,
                                                      const char         *value_title,
                                                      TenureChartUnit     unit);
/* Appends a row: one text per column given to new (), and its value. */
void                 tenure_dashboard_list_add_row   (TenureDashboardList *self,
                                                      const char * const  *cells,
                                                      gint64               value);
/* Appends a row that only carries a value (a rounding difference), not counted as an item. */
void                 tenure_dashboard_list_add_adjustment (TenureDashboardList *self,
                                                           const char          *label,
                                                           gint64               value);
/* Σ of the rows' values, and how many item rows there are. */
gint64               tenure_dashboard_list_get_total  (TenureDashboardList *self);
guint                tenure_dashboard_list_get_n_rows (TenureDashboardList *self);
/* The text of cell COLUMN of row ROW (the value column formatted), for tests. */
char                *tenure_dashboard_list_get_cell   (TenureDashboardList *self,
                                                       guint                row,
                                                       guint                column);
/* The footer label ("12 units · total 1,234.56 m²"). */
GtkLabel            *tenure_dashboard_list_get_total_label (TenureDashboardList *self);

/* NUM / DEN as a percentage with one decimal, rounded once (half away from zero) from the
 * exact ratio: "86.1%"; "—" when DEN is 0. What the tiles and the group table show. */
char                *tenure_dashboard_format_ratio (gint64 num,
                                                    gint64 den);

G_END_DECLS
