/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "analytics/tenure-kpi.h"
#include "analytics/tenure-kpi-finance.h"
#include "analytics/tenure-kpi-slices.h"
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

static void
print_collection (GPtrArray *rows)
{
  printf ("key,month,due,received,collection_rate,arrears_open,arrears_recovered,"
          "arrears_recovery_rate\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiCollection *c = g_ptr_array_index (rows, i);
      g_autofree char *month = g_strdup_printf ("%04d-%02d", tenure_date_get_year (c->month),
                                                tenure_date_get_month (c->month));

      print_field (c->key, FALSE);
      print_field (month, FALSE);
      print_scaled (c->due, 2, FALSE);
      print_scaled (c->received, 2, FALSE);
      print_scaled (tenure_kpi_ppm (c->received, c->due), 6, FALSE);
      print_scaled (c->arrears_open, 2, FALSE);
      print_scaled (c->arrears_recovered, 2, FALSE);
      print_scaled (tenure_kpi_ppm (c->arrears_recovered, c->arrears_open), 6, TRUE);
    }
}

static void
print_aging (GPtrArray *rows)
{
  printf ("key,bucket,open,items,share\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiAging *a = g_ptr_array_index (rows, i);

      for (guint b = 0; b < TENURE_KPI_AGING_BUCKETS; b++)
        {
          print_field (a->key, FALSE);
          print_field (tenure_kpi_aging_bucket_name (b), FALSE);
          print_scaled (a->open[b], 2, FALSE);
          print_scaled (a->items[b], 0, FALSE);
          print_scaled (tenure_kpi_ppm (a->open[b], a->total), 6, TRUE);
        }
    }
}

static void
print_revenue (GPtrArray *rows)
{
  printf ("charge_item,name,kind,billed,tax\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiRevenue *r = g_ptr_array_index (rows, i);

      print_field (r->key, FALSE);
      print_field (r->charge_name, FALSE);
      print_field (r->charge_kind, FALSE);
      print_scaled (r->billed, 2, FALSE);
      print_scaled (r->tax, 2, TRUE);
    }
}

static void
print_unit_revenue (GPtrArray *rows)
{
  printf ("month,billed\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiUnitRevenue *r = g_ptr_array_index (rows, i);

      print_field (r->key, FALSE);
      print_scaled (r->billed, 2, TRUE);
    }
}

static void
print_cash_flow (GPtrArray *rows)
{
  printf ("month,contractual,expected,renewal,renewal_expected\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiCashFlow *c = g_ptr_array_index (rows, i);

      print_field (c->key, FALSE);
      print_scaled (c->contractual, 2, FALSE);
      print_scaled (c->expected, 2, FALSE);
      print_scaled (c->renewal, 2, FALSE);
      print_scaled (c->renewal_expected, 2, TRUE);
    }
}

/* Σ days / count with 2 decimals, empty when there is nothing to average. */
static void
print_average (gint64   days,
               gint64   count,
               gboolean last)
{
  if (count == 0)
    print_field ("", last);
  else
    {
      gint64 num = days * 100, q = num / count, r = num % count;

      /* half away from zero (count > 0) */
      if (2 * (r < 0 ? -r : r) >= count)
        q += num < 0 ? -1 : 1;
      print_scaled (q, 2, last);
    }
}

static void
print_turnaround (GPtrArray *rows)
{
  printf ("key,contracts,approval_days,bills,issue_days,reconciliations,reconciliation_days,"
          "closed,close_days\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiTurnaround *t = g_ptr_array_index (rows, i);

      print_field (t->key, FALSE);
      print_scaled (t->contracts, 0, FALSE);
      print_average (t->approval_days, t->contracts, FALSE);
      print_scaled (t->bills, 0, FALSE);
      print_average (t->issue_days, t->bills, FALSE);
      print_scaled (t->reconciliations, 0, FALSE);
      print_average (t->reconciliation_days, t->reconciliations, FALSE);
      print_scaled (t->closed, 0, FALSE);
      print_average (t->close_days, t->closed, TRUE);
    }
}

static void
print_month_or_empty (TenureDate month)
{
  g_autofree char *text = tenure_date_is_valid (month)
                          ? g_strdup_printf ("%04d-%02d", tenure_date_get_year (month),
                                             tenure_date_get_month (month))
                          : NULL;

  print_field (text, FALSE);
}

/* Revenue by slice (tenure_kpi_revenue_sliced): key, month (series only), billed, tax. */
static void
print_revenue_sliced (GPtrArray *rows)
{
  printf ("key,month,billed,tax\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiRevenueSlice *r = g_ptr_array_index (rows, i);

      print_field (r->key, FALSE);
      print_month_or_empty (r->month);
      print_scaled (r->billed, 2, FALSE);
      print_scaled (r->tax, 2, TRUE);
    }
}

/* The forecast by slice (tenure_kpi_cash_flow_sliced): key, month (series only), amounts. */
static void
print_cash_flow_sliced (GPtrArray *rows)
{
  printf ("key,month,contractual,expected\n");
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiCashFlowSlice *r = g_ptr_array_index (rows, i);

      print_field (r->key, FALSE);
      print_month_or_empty (r->month);
      print_scaled (r->contractual, 2, FALSE);
      print_scaled (r->expected, 2, TRUE);
    }
}

/* "50", "12.5" (percent, up to 4 decimals) → parts per million. */
static gboolean
parse_percent (const char *text,
               gint64     *ppm)
{
  gint64 whole = 0, frac = 0;
  int digits = 0;
  const char *p = text;

  if (*p == '\0')
    return FALSE;
  for (; g_ascii_isdigit (*p) && whole <= 100; p++)
    whole = whole * 10 + (*p - '0');
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p) && digits < 4; p++, digits++)
      frac = frac * 10 + (*p - '0');
  if (*p != '\0')
    return FALSE;
  for (; digits < 4; digits++)
    frac *= 10;
  *ppm = whole * 10000 + frac;
  return *ppm <= 1000000;
}

int
tenure_cli_kpi (int argc, char **argv)
{
  g_autofree char *location = NULL, *as_of_text = NULL, *from_text = NULL;
  g_autofree char *project = NULL, *by_text = NULL;
  g_autofree char *currency = NULL, *unit = NULL, *renewal_text = NULL;
  TenureKpiForecastOptions forecast = { .renewal_ppm = 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  TenureDate as_of, from = TENURE_DATE_INVALID;
  TenureKpiSlice by;
  const char *kind;
  gboolean series = FALSE;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of_text,
      N_("The day of the figures; the last day of a range (required)"), N_("YYYY-MM-DD") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("First day of the range (vacancy-loss, renewals, revenue, unit-revenue, turnaround; "
         "default: a year before); occupancy and collection: one row per month from this "
         "month"), N_("YYYY-MM-DD") },
    { "project", 0, 0, G_OPTION_ARG_STRING, &project,
      N_("Only the units of this project"), N_("CODE") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by_text,
      N_("Slice: project, building, format, area-band, term or price-band"), N_("SLICE") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency,
      N_("Currency of the money indicators (default CNY)"), N_("CODE") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit,
      N_("The unit of unit-revenue (required there)"), N_("CODE") },
    { "renewal", 0, 0, G_OPTION_ARG_STRING, &renewal_text,
      N_("cash-flow: renewal probability in percent, or “history” for the last 12 months' "
         "renewal rate (default 0)"), N_("PERCENT") },
    { "series", 0, 0, G_OPTION_ARG_NONE, &series,
      N_("revenue, cash-flow: one row per slice and month"), NULL },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context ("occupancy|expiry|wale|vacancy-loss|renewals|rent-roll|"
                                       "collection|aging|revenue|unit-revenue|cash-flow|"
                                       "turnaround",
                                       _("Key performance indicators as CSV on stdout "
                                         "(columns in docs/cli.md)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "kpi", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("kpi: say which: occupancy, expiry, wale, vacancy-loss, renewals, "
                              "rent-roll, collection, aging, revenue, unit-revenue, cash-flow "
                              "or turnaround"));
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
  if (!g_strv_contains ((const char * const[]) { "occupancy", "expiry", "wale", "vacancy-loss",
                                                "renewals", "rent-roll", "collection", "aging",
                                                "revenue", "unit-revenue", "cash-flow",
                                                "turnaround", NULL }, kind))
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("kpi: unknown indicator “%s”: use occupancy, expiry, wale, "
                              "vacancy-loss, renewals, rent-roll, collection, aging, revenue, "
                              "unit-revenue, cash-flow or turnaround"), kind);
  if (series && strcmp (kind, "revenue") != 0 && strcmp (kind, "cash-flow") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("kpi: --series is for revenue and cash-flow (occupancy and "
                              "collection take --from)"));
  if (strcmp (kind, "unit-revenue") == 0 && unit == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("kpi: unit-revenue needs --unit CODE"));
  if (renewal_text != NULL)
    {
      if (strcmp (renewal_text, "history") == 0)
        forecast.renewal_ppm = -1;
      else if (!parse_percent (renewal_text, &forecast.renewal_ppm))
        return tenure_cli_fail (TENURE_CLI_USAGE,
                                _("kpi: --renewal: “%s” is not a percentage from 0 to 100 "
                                  "(at most 4 decimals) or “history”"), renewal_text);
    }
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
  else if (strcmp (kind, "collection") == 0
           && (by == TENURE_KPI_BY_TERM || by == TENURE_KPI_BY_PRICE_BAND
               || (from_text != NULL && by != TENURE_KPI_BY_NONE)))
    {
      /* By remaining lease term, or a series by slice (tenure-kpi-slices.h). */
      if ((rows = tenure_kpi_collection_sliced (db, from_text != NULL ? from : as_of, as_of,
                                                as_of, project, currency, by, &error)) != NULL)
        print_collection (rows);
    }
  else if (strcmp (kind, "collection") == 0)
    {
      if (from_text != NULL)
        rows = tenure_kpi_collection_series (db, from, as_of, as_of, project, currency, &error);
      else
        rows = tenure_kpi_collection (db, as_of, as_of, project, currency, by, &error);
      if (rows != NULL)
        print_collection (rows);
    }
  else if (strcmp (kind, "aging") == 0)
    {
      if ((rows = tenure_kpi_aging (db, as_of, project, currency, by, &error)) != NULL)
        print_aging (rows);
    }
  else if (strcmp (kind, "revenue") == 0 && (by != TENURE_KPI_BY_NONE || series))
    {
      if ((rows = tenure_kpi_revenue_sliced (db, from, as_of, as_of, project, currency, by,
                                             series, &error)) != NULL)
        print_revenue_sliced (rows);
    }
  else if (strcmp (kind, "revenue") == 0)
    {
      if ((rows = tenure_kpi_revenue (db, from, as_of, as_of, project, currency, &error)) != NULL)
        print_revenue (rows);
    }
  else if (strcmp (kind, "unit-revenue") == 0)
    {
      if ((rows = tenure_kpi_unit_revenue (db, unit, from, as_of, as_of, &error)) != NULL)
        print_unit_revenue (rows);
    }
  else if (strcmp (kind, "cash-flow") == 0 && (by != TENURE_KPI_BY_NONE || series))
    {
      if (renewal_text != NULL)
        return tenure_cli_fail (TENURE_CLI_USAGE,
                                _("kpi: cash-flow with --by or --series leaves renewals out "
                                  "(they belong to no contract yet): drop --renewal"));
      if ((rows = tenure_kpi_cash_flow_sliced (db, as_of, project, currency, by, series,
                                               &error)) != NULL)
        print_cash_flow_sliced (rows);
    }
  else if (strcmp (kind, "cash-flow") == 0)
    {
      if ((rows = tenure_kpi_cash_flow (db, as_of, project, currency, &forecast, &error))
          != NULL)
        print_cash_flow (rows);
    }
  else if (strcmp (kind, "turnaround") == 0)
    {
      if ((rows = tenure_kpi_turnaround (db, from, as_of, project, by, &error)) != NULL)
        print_turnaround (rows);
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
