/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tenure-chart.h"

G_BEGIN_DECLS

typedef enum
{
  TENURE_CHART_EXPORT_PNG,
  TENURE_CHART_EXPORT_SVG,
  TENURE_CHART_EXPORT_PDF,
} TenureChartExportFormat;

/* Writes CHART at WIDTH × HEIGHT (points; pixels for PNG) to PATH as FORMAT, drawing the same
 * scene as on screen, in the light or DARK theme. Fails with TENURE_ERROR_INVALID for a size
 * outside 16–20,000 and TENURE_ERROR_IO naming the file when it cannot be written. */
gboolean tenure_chart_export (TenureChart             *chart,
                              TenureChartExportFormat  format,
                              const char              *path,
                              int                      width,
                              int                      height,
                              gboolean                 dark,
                              GError                 **error);
/* The format a file name's extension asks for (.png, .svg, .pdf), or FALSE. */
gboolean tenure_chart_export_format_for_path (const char              *path,
                                              TenureChartExportFormat *format);

G_END_DECLS
