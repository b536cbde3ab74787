/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-unit-colours"

#include "tenure-unit-colours.h"

#include <glib/gi18n.h>

/* Status colours, in TenureUnitStatus order. */
static const char *const status_colours[TENURE_UNIT_N_STATUSES] = {
  "#f4a99b", /* vacant */
  "#9fd4a6", /* leased */
  "#f6d36b", /* expiring */
  "#a9c9f2", /* reserved */
  "#cfcfcf", /* not for lease */
  "#cbb5e8", /* renovation */
};
/* Sequential classes (soonest or cheapest first), and grey for units outside them. */
static const char *const expiry_colours[] = {
  "#f28e79", "#f7bd6a", "#dfe28a", "#9ed3a9", "#86bfdc", "#a7a8dd",
};
static const char *const band_colours[] = {
  "#e3eef9", "#bcd6ee", "#90bce0", "#66a0d0", "#4f8cc4",
};
#define OUTSIDE_COLOUR "#ebebeb"

void
tenure_unit_colours_legend_entry_free (gpointer data)
{
  TenureFloorPlanLegendEntry *entry = data;

  g_free (entry->label);
  g_free (entry);
}

static void
add_legend (GPtrArray  *legend,
            const char *colour,
            char       *label,
            guint       n_units)
{
  TenureFloorPlanLegendEntry *entry = g_new0 (TenureFloorPlanLegendEntry, 1);

  gdk_rgba_parse (&entry->colour, colour);
  entry->label = label;
  entry->n_units = n_units;
  g_ptr_array_add (legend, entry);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static char *
year_or_later (gint64 year)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, year);

  /* TRANSLATORS: contracts that end in this year or later */
  return g_strdup_printf (_("%s or later"), text);
}

void
tenure_unit_colours_classify (TenureFloorPlanMode    mode,
                              TenureUnitInfo *const *units,
                              guint                  n,
                              guint                 *classes,
                              GArray                *palette,
                              GPtrArray             *legend)
{
  guint outside = 0;

  g_ptr_array_set_size (legend, 0);
  g_array_set_size (palette, 0);

  if (mode == TENURE_FLOOR_PLAN_MODE_STATUS)
    {
      guint counts[TENURE_UNIT_N_STATUSES] = { 0 };

      for (guint i = 0; i < TENURE_UNIT_N_STATUSES; i++)
        {
          GdkRGBA rgba;
          gdk_rgba_parse (&rgba, status_colours[i]);
          g_array_append_val (palette, rgba);
        }
      for (guint i = 0; i < n; i++)
        {
          classes[i] = units[i]->status;
          counts[classes[i]]++;
        }
      for (guint s = 0; s < TENURE_UNIT_N_STATUSES; s++)
        if (counts[s] > 0)
          add_legend (legend, status_colours[s], g_strdup (tenure_unit_status_label (s)),
                      counts[s]);
    }
  else if (mode == TENURE_FLOOR_PLAN_MODE_EXPIRY_YEAR)
    {
      g_autoptr(GArray) years = g_array_new (FALSE, FALSE, sizeof (gint64));
      guint n_classes = G_N_ELEMENTS (expiry_colours);
      guint counts[G_N_ELEMENTS (expiry_colours)] = { 0 };
      gint64 first_year = 0;

      for (guint i = 0; i < n; i++)
        {
          TenureUnitInfo *info = units[i];
          if (info->contract_id != 0 && tenure_date_is_valid (info->contract_end))
            {
              gint64 year = tenure_date_get_year (info->contract_end);
              g_array_append_val (years, year);
            }
        }
      g_array_sort (years, compare_gint64);
      if (years->len > 0)
        first_year = g_array_index (years, gint64, 0);
      for (guint c = 0; c < n_classes; c++)
        {
          GdkRGBA rgba;
          gdk_rgba_parse (&rgba, expiry_colours[c]);
          g_array_append_val (palette, rgba);
        }
      {
        GdkRGBA rgba;
        gdk_rgba_parse (&rgba, OUTSIDE_COLOUR);
        g_array_append_val (palette, rgba);
      }
      for (guint i = 0; i < n; i++)
        {
          TenureUnitInfo *info = units[i];

          if (info->contract_id != 0 && tenure_date_is_valid (info->contract_end))
            {
              gint64 offset = tenure_date_get_year (info->contract_end) - first_year;
              classes[i] = (guint) MIN (offset, (gint64) n_classes - 1);
              counts[classes[i]]++;
            }
          else
            {
              classes[i] = n_classes;
              outside++;
            }
        }
      for (guint c = 0; c < n_classes; c++)
        if (counts[c] > 0)
          add_legend (legend, expiry_colours[c],
                      c + 1 < n_classes
                      ? g_strdup_printf ("%" G_GINT64_FORMAT, first_year + c)
                      : year_or_later (first_year + c),
                      counts[c]);
      if (outside > 0)
        add_legend (legend, OUTSIDE_COLOUR, g_strdup (_("No current lease")), outside);
    }
  else
    {
      /* Quintiles of the floor's rents per m² per month: band k holds the rents from the
       * k-th fifth of the sorted list on. */
      g_autoptr(GArray) rents = g_array_new (FALSE, FALSE, sizeof (gint64));
      gint64 low[5], high[5], cut[4] = { 0 };
      guint counts[5] = { 0 };

      for (guint i = 0; i < n; i++)
        {
          TenureUnitInfo *info = units[i];
          if (info->rent_e4 >= 0)
            g_array_append_val (rents, info->rent_e4);
        }
      g_array_sort (rents, compare_gint64);
      for (guint k = 0; k < 4 && rents->len > 0; k++)
        cut[k] = g_array_index (rents, gint64, (k + 1) * rents->len / 5);
      for (guint c = 0; c < 5; c++)
        {
          GdkRGBA rgba;
          gdk_rgba_parse (&rgba, band_colours[c]);
          g_array_append_val (palette, rgba);
          low[c] = G_MAXINT64;
          high[c] = -1;
        }
      {
        GdkRGBA rgba;
        gdk_rgba_parse (&rgba, OUTSIDE_COLOUR);
        g_array_append_val (palette, rgba);
      }
      for (guint i = 0; i < n; i++)
        {
          gint64 rent = units[i]->rent_e4;
          guint band = 0;

          if (rent < 0)
            {
              classes[i] = 5;
              outside++;
              continue;
            }
          while (band < 4 && rent >= cut[band])
            band++;
          classes[i] = band;
          counts[band]++;
          low[band] = MIN (low[band], rent);
          high[band] = MAX (high[band], rent);
        }
      for (guint c = 0; c < 5; c++)
        if (counts[c] > 0)
          {
            g_autofree char *lo = tenure_portfolio_format_price_e4 (low[c]);
            g_autofree char *hi = tenure_portfolio_format_price_e4 (high[c]);

            add_legend (legend, band_colours[c],
                        low[c] == high[c] ? g_strdup (lo) : g_strdup_printf ("%s – %s", lo, hi),
                        counts[c]);
          }
      if (outside > 0)
        add_legend (legend, OUTSIDE_COLOUR, g_strdup (_("No rent per m²")), outside);
    }
}
