/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-chart-export"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "tenure-chart-export.h"

gboolean
tenure_chart_export_format_for_path (const char              *path,
                                     TenureChartExportFormat *format)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".png"))
    *format = TENURE_CHART_EXPORT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = TENURE_CHART_EXPORT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *format = TENURE_CHART_EXPORT_PDF;
  else
    return FALSE;
  return TRUE;
}

static gboolean
check_status (cairo_status_t   status,
              const char      *path,
              GError         **error)
{
  g_autofree char *display = NULL;

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  display = g_filename_display_name (path);
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO,
               /* Translators: the first %s is a file, the second Cairo's reason */
               _("Could not write the chart to “%s”: %s"), display,
               cairo_status_to_string (status));
  return FALSE;
}

gboolean
tenure_chart_export (TenureChart             *chart,
                     TenureChartExportFormat  format,
                     const char              *path,
                     int                      width,
                     int                      height,
                     gboolean                 dark,
                     GError                 **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (TENURE_IS_CHART (chart), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  if (width < 16 || height < 16 || width > 20000 || height > 20000)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("A chart export must be between 16 and 20,000 wide and high, not %d × %d"),
                   width, height);
      return FALSE;
    }
  switch (format)
    {
    case TENURE_CHART_EXPORT_SVG:
      surface = cairo_svg_surface_create (path, width, height);
      break;
    case TENURE_CHART_EXPORT_PDF:
      surface = cairo_pdf_surface_create (path, width, height);
      break;
    case TENURE_CHART_EXPORT_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      break;
    }
  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return check_status (status, path, error);
    }
  cr = cairo_create (surface);
  tenure_chart_draw (chart, cr, width, height, dark);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == TENURE_CHART_EXPORT_PNG)
    status = cairo_surface_write_to_png (surface, path);
  /* SVG and PDF are written as the surface finishes. */
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return check_status (status, path, error);
}
