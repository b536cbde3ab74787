/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "analytics/tenure-kpi.h"
#include "base/tenure-error.h"

/* `tenure-cli kpi KIND`: the KPI engine as CSV on stdout. Numbers are written from integers
 * with a dot (never the locale's separator): areas with 2 decimals, amounts in yuan with 2,
 * unit prices with 4, ratios with 6, WALE in years with 2. */

/* A CSV field (RFC 4180): quoted only when it holds a comma, quote or line break. */
static void
print_field (const char *text,
             gboolean    last)
{
  if (text == NULL)
    text = "";
  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      putchar ('"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            putchar ('"');
          putchar (*p);
        }
      putchar ('"');
    }
  else
    fputs (text, stdout);
  putchar (last ? '\n' : ',');
}

/* VALUE / 10^DECIMALS as a decimal with exactly DECIMALS digits after the dot. */
static void
print_scaled (gint64   value,
              int      decimals,
              gboolean last)
{
  guint64 mag = value < 0 ? (guint64) -(value + 1) + 1 : (guint64) value;
  guint64 scale = 1;
  g_autofree char *text = NULL;

  for (int i = 0; i < decimals; i++)
    scale *= 10;
  if (decimals == 0)
    text = g_strdup_printf ("%s%" G_GUINT64_FORMAT, value < 0 ? "-" : "", mag);
  else
    text = g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT, value < 0 ? "-" : "",
                            mag / scale, decimals, mag % scale);
  print_field (text, last);
}

static void
print_date (TenureDate date,
            gboolean   last)
{
  char buf[TENURE_DATE_ISO_BUF_SIZE];

  print_field (date == TENURE_DATE_INVALID ? "" : tenure_date_format_iso_buf (date, buf), last);
}

static void
print_occupancy (GPtrArray *rows)
{
  printf ("key,units,leased_units,leasable_area,leased_area,occupancy_area,occupancy_units,"
          "vacancy_area\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiOccupancy *o = g_ptr_array_index (rows, i);
      gint64 ppm = tenure_kpi_ppm (o->leased_area_c, o->leasable_area_c);

      print_field (o->key, FALSE);
      print_scaled (o->units, 0, FALSE);
      print_scaled (o->leased_units, 0, FALSE);
      print_scaled (o->leasable_area_c, 2, FALSE);
      print_scaled (o->leased_area_c, 2, FALSE);
      print_scaled (ppm, 6, FALSE);
      print_scaled (tenure_kpi_ppm (o->leased_units, o->units), 6, FALSE);
      print_scaled (o->leasable_area_c > 0
                    ? tenure_kpi_ppm (o->leasable_area_c - o->leased_area_c, o->leasable_area_c)
                    : 0, 6, TRUE);
    }
}

static void
print_expiry (GPtrArray *rows)
{
  printf ("key,month,expiring_area,expiring_rent,area_share,rent_share,leased_area,"
          "monthly_rent\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiExpiry *e = g_ptr_array_index (rows, i);

      for (int k = 0; k < TENURE_KPI_EXPIRY_MONTHS; k++)
        {
          g_autofree char *month = g_strdup_printf ("%04d-%02d",
                                                    tenure_date_get_year (e->month[k]),
                                                    tenure_date_get_month (e->month[k]));
          print_field (e->key, FALSE);
          print_field (month, FALSE);
          print_scaled (e->area_c[k], 2, FALSE);
          print_scaled (e->rent[k], 2, FALSE);
          print_scaled (tenure_kpi_ppm (e->area_c[k], e->leased_area_c), 6, FALSE);
          print_scaled (tenure_kpi_ppm (e->rent[k], e->monthly_rent), 6, FALSE);
          print_scaled (e->leased_area_c, 2, FALSE);
          print_scaled (e->monthly_rent, 2, TRUE);
        }
    }
}

static void
print_wale (GPtrArray *rows)
{
  printf ("key,leased_area,monthly_rent,wale_by_rent,wale_by_area\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiWale *w = g_ptr_array_index (rows, i);

      print_field (w->key, FALSE);
      print_scaled (w->leased_area_c, 2, FALSE);
      print_scaled (w->monthly_rent, 2, FALSE);
      if (w->by_rent_centi < 0)
        print_field ("", FALSE);
      else
        print_scaled (w->by_rent_centi, 2, FALSE);
      if (w->by_area_centi < 0)
        print_field ("", TRUE);
      else
        print_scaled (w->by_area_centi, 2, TRUE);
    }
}

static void
print_loss (GPtrArray *rows)
{
  printf ("key,vacant_unit_days,vacancy_loss,rent_free_loss,units_without_asking_price\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiVacancyLoss *l = g_ptr_array_index (rows, i);

      print_field (l->key, FALSE);
      print_scaled (l->vacant_unit_days, 0, FALSE);
      print_scaled (l->vacancy_loss, 2, FALSE);
      print_scaled (l->rent_free_loss, 2, FALSE);
      print_scaled (l->units_without_asking, 0, TRUE);
    }
}

static void
print_renewals (GPtrArray *rows)
{
  printf ("key,reached_expiry,renewed,renewal_rate\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiRenewals *r = g_ptr_array_index (rows, i);

      print_field (r->key, FALSE);
      print_scaled (r->reached_expiry, 0, FALSE);
      print_scaled (r->renewed, 0, FALSE);
      print_scaled (tenure_kpi_ppm (r->renewed, r->reached_expiry), 6, TRUE);
    }
}

static void
print_rent_roll (GPtrArray *rows)
{
  printf ("unit,project,building,format,stored_status,leasable_area,leased,contract,tenant,"
          "start,end,leased_area,deposit_held,charge,basis,unit_price,monthly,monthly_per_m2,"
          "next_review\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureRentRollRow *r = g_ptr_array_index (rows, i);
      guint n = MAX (r->charges->len, 1);

      /* One line per charge; a unit without charges (vacant) still has its line. */
      for (guint k = 0; k < n; k++)
        {
          TenureRentRollCharge *c = k < r->charges->len ? g_ptr_array_index (r->charges, k)
                                                        : NULL;

          print_field (r->unit_code, FALSE);
          print_field (r->project_code, FALSE);
          print_field (r->building_code, FALSE);
          print_field (r->format, FALSE);
          print_field (r->stored_status, FALSE);
          print_scaled (r->leasable_area_c, 2, FALSE);
          print_field (r->leased ? "yes" : "no", FALSE);
          print_field (r->contract_code, FALSE);
          print_field (r->tenant_name, FALSE);
          print_date (r->leased ? r->start : TENURE_DATE_INVALID, FALSE);
          print_date (r->leased ? r->end : TENURE_DATE_INVALID, FALSE);
          if (r->leased)
            {
              print_scaled (r->leased_area_c, 2, FALSE);
              print_scaled (r->deposit_held, 2, FALSE);
            }
          else
            {
              print_field ("", FALSE);
              print_field ("", FALSE);
            }
          print_field (c != NULL ? c->charge_code : NULL, FALSE);
          print_field (c != NULL ? c->basis : NULL, FALSE);
          if (c != NULL && c->price_e4 >= 0)
            print_scaled (c->price_e4, 4, FALSE);
          else
            print_field ("", FALSE);
          if (c != NULL)
            {
              print_scaled (c->monthly, 2, FALSE);
              print_scaled (c->per_m2_e4, 4, FALSE);
              print_date (c->next_review, TRUE);
            }
          else
            {
              print_field ("", FALSE);
              print_field ("", FALSE);
              print_field ("", TRUE);
            }
        }
    }
}

int
tenure_cli_kpi (int argc, char **argv)
{
  g_autofree char *location = NULL, *as_of_text = NULL, *from_text = NULL;
  g_autofree char *project = NULL, *by_text = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  TenureDate as_of, from = TENURE_DATE_INVALID;
  TenureKpiSlice by;
  const char *kind;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of_text,
      N_("The day of the figures; the last day of a range (required)"), N_("YYYY-MM-DD") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("First day of the range (vacancy-loss, renewals; default: a year before); "
         "occupancy: month ends from this month"), N_("YYYY-MM-DD") },
    { "project", 0, 0, G_OPTION_ARG_STRING, &project,
      N_("Only the units of this project"), N_("CODE") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by_text,
      N_("Slice: project, building, format, area-band, term or price-band"), N_("SLICE") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context ("occupancy|expiry|wale|vacancy-loss|renewals|rent-roll",
                                       _("Key performance indicators as CSV on stdout "
                                         "(columns in docs/cli.md)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "kpi", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("kpi: say which: occupancy, expiry, wale, vacancy-loss, renewals "
                              "or rent-roll"));
  if (argc > 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("kpi: unexpected argument “%s”"), argv[2]);
  kind = argv[1];
  if (as_of_text == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("kpi: --as-of YYYY-MM-DD is required"));
  if (!tenure_date_parse_iso (as_of_text, &as_of, &error))
    return tenure_cli_fail (TENURE_CLI_USAGE, _("kpi: --as-of: %s"), error->message);
  if (from_text != NULL && !tenure_date_parse_iso (from_text, &from, &error))
    return tenure_cli_fail (TENURE_CLI_USAGE, _("kpi: --from: %s"), error->message);
  if (!tenure_kpi_slice_parse (by_text, &by, &error))
    return tenure_cli_fail (TENURE_CLI_USAGE, _("kpi: --by: %s"), error->message);
  if (strcmp (kind, "occupancy") != 0 && strcmp (kind, "expiry") != 0
      && strcmp (kind, "wale") != 0 && strcmp (kind, "vacancy-loss") != 0
      && strcmp (kind, "renewals") != 0 && strcmp (kind, "rent-roll") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("kpi: unknown indicator “%s”: use occupancy, expiry, wale, "
                              "vacancy-loss, renewals or rent-roll"), kind);
  if (from == TENURE_DATE_INVALID)
    from = tenure_date_add_days (tenure_date_add_months (as_of, -12), 1);

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;

  if (strcmp (kind, "occupancy") == 0)
    {
      if (from_text != NULL)
        rows = tenure_kpi_occupancy_series (db, from, as_of, project, &error);
      else
        rows = tenure_kpi_occupancy (db, as_of, project, by, &error);
      if (rows != NULL)
        print_occupancy (rows);
    }
  else if (strcmp (kind, "expiry") == 0)
    {
      if ((rows = tenure_kpi_expiry (db, as_of, project, by, &error)) != NULL)
        print_expiry (rows);
    }
  else if (strcmp (kind, "wale") == 0)
    {
      if ((rows = tenure_kpi_wale (db, as_of, project, by, &error)) != NULL)
        print_wale (rows);
    }
  else if (strcmp (kind, "vacancy-loss") == 0)
    {
      if ((rows = tenure_kpi_vacancy_loss (db, from, as_of, project, by, &error)) != NULL)
        print_loss (rows);
    }
  else if (strcmp (kind, "renewals") == 0)
    {
      if ((rows = tenure_kpi_renewals (db, from, as_of, project, by, &error)) != NULL)
        print_renewals (rows);
    }
  else
    {
      if (by != TENURE_KPI_BY_NONE)
        return tenure_cli_fail (TENURE_CLI_USAGE, _("kpi: rent-roll has no --by"));
      if ((rows = tenure_kpi_rent_roll (db, as_of, project, &error)) != NULL)
        print_rent_roll (rows);
    }
  if (rows == NULL)
    return tenure_cli_fail_error (error);
  return TENURE_CLI_OK;
}
