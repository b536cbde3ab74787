/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-date"

#include "tenure-date.h"

#include <math.h>
#include <string.h>

#include "tenure-error.h"
#include "tenure-i18n.h"

/* Day number of 1970-01-01 counted from 0001-01-01 = 1. */
#define UNIX_EPOCH_DAY 719163

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm: exact for every
 * year, no tables, no floating point). */
static gint64
days_from_civil (gint64 y, int m, int d)
{
  gint64 era;
  gint64 yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void
civil_from_days (gint64 z, int *year, int *month, int *day)
{
  gint64 era, doe, yoe, y, doy, mp;
  int d, m;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = (int) (doy - (153 * mp + 2) / 5 + 1);
  m = (int) (mp < 10 ? mp + 3 : mp - 9);
  if (year)
    *year = (int) (y + (m <= 2));
  if (month)
    *month = m;
  if (day)
    *day = d;
}

static TenureDate
date_from_ymd_unchecked (int year, int month, int day)
{
  return (TenureDate) (days_from_civil (year, month, day) + UNIX_EPOCH_DAY);
}

/* Text of a user's input, safe and short enough to quote in a message. */
static char *
quote_for_message (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  if (g_utf8_strlen (valid, -1) > 40)
    {
      g_autofree char *head = g_utf8_substring (valid, 0, 40);
      return g_strconcat (head, "…", NULL);
    }
  return g_steal_pointer (&valid);
}

gboolean
tenure_date_is_leap_year (int year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
tenure_date_days_in_month (int year, int month)
{
  static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month < 1 || month > 12)
    return 0;
  if (month == 2 && tenure_date_is_leap_year (year))
    return 29;
  return days[month - 1];
}

int
tenure_date_days_in_year (int year)
{
  return tenure_date_is_leap_year (year) ? 366 : 365;
}

gboolean
tenure_date_valid_ymd (int year, int month, int day)
{
  return year >= TENURE_DATE_MIN_YEAR && year <= TENURE_DATE_MAX_YEAR
         && month >= 1 && month <= 12
         && day >= 1 && day <= tenure_date_days_in_month (year, month);
}

gboolean
tenure_date_new_ymd (int         year,
                     int         month,
                     int         day,
                     TenureDate *out,
                     GError    **error)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (year < TENURE_DATE_MIN_YEAR || year > TENURE_DATE_MAX_YEAR)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("“%04d-%02d-%02d” is not a supported date: the year must be "
                     "between 1 and 9999"), year, month, day);
      return FALSE;
    }
  if (month < 1 || month > 12)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("“%04d-%02d-%02d” is not a date: there is no month %d"),
                   year, month, day, month);
      return FALSE;
    }
  if (day < 1 || day > tenure_date_days_in_month (year, month))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("“%04d-%02d-%02d” is not a date: %04d-%02d has %d days"),
                   year, month, day, year, month, tenure_date_days_in_month (year, month));
      return FALSE;
    }
  *out = date_from_ymd_unchecked (year, month, day);
  return TRUE;
}

TenureDate
tenure_date_from_ymd (int year, int month, int day)
{
  if (!tenure_date_valid_ymd (year, month, day))
    return TENURE_DATE_INVALID;
  return date_from_ymd_unchecked (year, month, day);
}

gboolean
tenure_date_is_valid (TenureDate date)
{
  return date >= TENURE_DATE_MIN && date <= TENURE_DATE_MAX;
}

void
tenure_date_get_ymd (TenureDate date, int *year, int *month, int *day)
{
  /* Defined outputs even for a bad date, so callers never read garbage. */
  if (year)
    *year = 0;
  if (month)
    *month = 0;
  if (day)
    *day = 0;
  g_return_if_fail (tenure_date_is_valid (date));

  civil_from_days ((gint64) date - UNIX_EPOCH_DAY, year, month, day);
}

int
tenure_date_get_year (TenureDate date)
{
  int y = 0;

  tenure_date_get_ymd (date, &y, NULL, NULL);
  return y;
}

int
tenure_date_get_month (TenureDate date)
{
  int m = 0;

  tenure_date_get_ymd (date, NULL, &m, NULL);
  return m;
}

int
tenure_date_get_day (TenureDate date)
{
  int d = 0;

  tenure_date_get_ymd (date, NULL, NULL, &d);
  return d;
}

GDateWeekday
tenure_date_get_weekday (TenureDate date)
{
  g_return_val_if_fail (tenure_date_is_valid (date), G_DATE_BAD_WEEKDAY);

  /* 0001-01-01 (day 1) was a Monday in the proleptic Gregorian calendar. */
  return (GDateWeekday) ((date - 1) % 7 + 1);
}

int
tenure_date_get_days_in_month (TenureDate date)
{
  int y = 0, m = 0;

  tenure_date_get_ymd (date, &y, &m, NULL);
  return tenure_date_days_in_month (y, m);
}

static gboolean
parse_digits (const char *p, int n, int *out)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    {
      if (p[i] < '0' || p[i] > '9')
        return FALSE;
      v = v * 10 + (p[i] - '0');
    }
  *out = v;
  return TRUE;
}

gboolean
tenure_date_parse_iso (const char *text, TenureDate *out, GError **error)
{
  int y, m, d;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-'
      || !parse_digits (text, 4, &y) || !parse_digits (text + 5, 2, &m)
      || !parse_digits (text + 8, 2, &d))
    {
      g_autofree char *quoted = quote_for_message (text);

      if (*text == '\0')
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                     _("The date is empty: expected a date like 2026-01-31"));
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                     _("“%s” is not a date in the form YYYY-MM-DD (like 2026-01-31)"), quoted);
      return FALSE;
    }
  return tenure_date_new_ymd (y, m, d, out, error);
}

char *
tenure_date_format_iso_buf (TenureDate date, char buf[TENURE_DATE_ISO_BUF_SIZE])
{
  int y, m, d;

  if (!tenure_date_is_valid (date))
    {
      buf[0] = '\0';
      return buf;
    }
  tenure_date_get_ymd (date, &y, &m, &d);
  g_snprintf (buf, TENURE_DATE_ISO_BUF_SIZE, "%04d-%02d-%02d", y, m, d);
  return buf;
}

char *
tenure_date_format_iso (TenureDate date)
{
  char buf[TENURE_DATE_ISO_BUF_SIZE];

  return g_strdup (tenure_date_format_iso_buf (date, buf));
}

gint32
tenure_date_days_inclusive (TenureDate first, TenureDate last)
{
  return last - first + 1;
}

TenureDate
tenure_date_add_days (TenureDate date, gint64 days)
{
  if (!tenure_date_is_valid (date))
    return TENURE_DATE_INVALID;
  /* Any |days| beyond the whole supported range lands outside it; checking first keeps the
   * sum from overflowing. */
  if (days > TENURE_DATE_MAX || days < -(gint64) TENURE_DATE_MAX)
    return TENURE_DATE_INVALID;
  if (!tenure_date_is_valid ((TenureDate) (date + days)))
    return TENURE_DATE_INVALID;
  return (TenureDate) (date + days);
}

TenureDate
tenure_date_add_months (TenureDate date, gint64 months)
{
  int y, m, d, dim;
  gint64 index;

  if (!tenure_date_is_valid (date))
    return TENURE_DATE_INVALID;
  if (months > 12 * 10000 || months < -12 * 10000)
    return TENURE_DATE_INVALID;
  tenure_date_get_ymd (date, &y, &m, &d);
  index = (gint64) y * 12 + (m - 1) + months;
  if (index < (gint64) TENURE_DATE_MIN_YEAR * 12
      || index >= (gint64) (TENURE_DATE_MAX_YEAR + 1) * 12)
    return TENURE_DATE_INVALID;
  y = (int) (index / 12);
  m = (int) (index % 12) + 1;
  dim = tenure_date_days_in_month (y, m);
  return date_from_ymd_unchecked (y, m, MIN (d, dim));
}

TenureDate
tenure_date_anniversary (TenureDate start, gint64 k, int cycle_months)
{
  g_return_val_if_fail (cycle_months > 0, TENURE_DATE_INVALID);

  if (k > 12 * 10000 || k < -12 * 10000)
    return TENURE_DATE_INVALID;
  return tenure_date_add_months (start, k * cycle_months);
}

static int
period_months (TenurePeriod period)
{
  switch (period)
    {
    case TENURE_PERIOD_MONTH:
      return 1;
    case TENURE_PERIOD_QUARTER:
      return 3;
    case TENURE_PERIOD_HALF_YEAR:
      return 6;
    case TENURE_PERIOD_YEAR:
      return 12;
    default:
      g_return_val_if_reached (1);
    }
}

TenureDate
tenure_date_period_start (TenureDate date, TenurePeriod period)
{
  int y, m, len;

  g_return_val_if_fail (tenure_date_is_valid (date), TENURE_DATE_INVALID);

  len = period_months (period);
  tenure_date_get_ymd (date, &y, &m, NULL);
  m = (m - 1) / len * len + 1;
  return date_from_ymd_unchecked (y, m, 1);
}

TenureDate
tenure_date_period_end (TenureDate date, TenurePeriod period)
{
  int y, m, len;

  g_return_val_if_fail (tenure_date_is_valid (date), TENURE_DATE_INVALID);

  len = period_months (period);
  tenure_date_get_ymd (date, &y, &m, NULL);
  m = (m - 1) / len * len + len;
  return date_from_ymd_unchecked (y, m, tenure_date_days_in_month (y, m));
}

TenureDateRange
tenure_date_period_range (TenureDate date, TenurePeriod period)
{
  return tenure_date_range_make (tenure_date_period_start (date, period),
                                 tenure_date_period_end (date, period));
}

/* Excel's 1900 system counts 1899-12-31 as day 0 up to serial 59 and, because it believes
 * 1900-02-29 existed, 1899-12-30 as day 0 from serial 61 on. */
#define EXCEL_1900_LATE_SERIAL 61

static TenureDate
excel_epoch (gboolean date1904, gboolean late)
{
  if (date1904)
    return date_from_ymd_unchecked (1904, 1, 1);
  return late ? date_from_ymd_unchecked (1899, 12, 30) : date_from_ymd_unchecked (1899, 12, 31);
}

gboolean
tenure_date_from_excel_serial (double      serial,
                               gboolean    date1904,
                               TenureDate *out,
                               GError    **error)
{
  double whole;
  gint64 day;
  TenureDate date;

  g_return_val_if_fail (out != NULL, FALSE);

  if (isnan (serial) || isinf (serial) || serial < 0 || serial > (double) TENURE_DATE_MAX)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("%g is not an Excel date serial number"), serial);
      return FALSE;
    }
  whole = floor (serial);
  day = (gint64) whole;
  if (!date1904 && day == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Excel date serial number %g is a time of day without a date"), serial);
      return FALSE;
    }
  if (!date1904 && day == 60)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Excel date serial number %g is 1900-02-29, a day that did not exist"),
                   serial);
      return FALSE;
    }
  date = tenure_date_add_days (excel_epoch (date1904, day >= EXCEL_1900_LATE_SERIAL), day);
  if (date == TENURE_DATE_INVALID)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Excel date serial number %g is after 9999-12-31"), serial);
      return FALSE;
    }
  *out = date;
  return TRUE;
}

gboolean
tenure_date_to_excel_serial (TenureDate  date,
                             gboolean    date1904,
                             gint32     *out,
                             GError    **error)
{
  TenureDate first = date1904 ? date_from_ymd_unchecked (1904, 1, 1)
                              : date_from_ymd_unchecked (1900, 1, 1);

  g_return_val_if_fail (out != NULL, FALSE);

  if (!tenure_date_is_valid (date) || date < first)
    {
      char buf[TENURE_DATE_ISO_BUF_SIZE];

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("The date “%s” is before the first date Excel can store (%s)"),
                   tenure_date_format_iso_buf (date, buf),
                   date1904 ? "1904-01-01" : "1900-01-01");
      return FALSE;
    }
  if (date1904)
    *out = date - excel_epoch (TRUE, FALSE);
  else if (date >= date_from_ymd_unchecked (1900, 3, 1))
    *out = date - excel_epoch (FALSE, TRUE);
  else
    *out = date - excel_epoch (FALSE, FALSE);
  return TRUE;
}

TenureDateRange
tenure_date_range_make (TenureDate start, TenureDate end)
{
  TenureDateRange r = { start, end };

  return r;
}

gboolean
tenure_date_range_is_valid (const TenureDateRange *range)
{
  return tenure_date_is_valid (range->start) && tenure_date_is_valid (range->end)
         && range->start <= range->end;
}

gint32
tenure_date_range_days (const TenureDateRange *range)
{
  if (!tenure_date_range_is_valid (range))
    return 0;
  return tenure_date_days_inclusive (range->start, range->end);
}

gboolean
tenure_date_range_contains (const TenureDateRange *range, TenureDate date)
{
  return tenure_date_range_is_valid (range) && tenure_date_is_valid (date)
         && range->start <= date && date <= range->end;
}

gboolean
tenure_date_range_intersect (const TenureDateRange *a,
                             const TenureDateRange *b,
                             TenureDateRange       *out)
{
  TenureDateRange r;

  if (!tenure_date_range_is_valid (a) || !tenure_date_range_is_valid (b))
    return FALSE;
  r.start = MAX (a->start, b->start);
  r.end = MIN (a->end, b->end);
  if (r.start > r.end)
    return FALSE;
  *out = r;
  return TRUE;
}

GArray *
tenure_date_range_split (const TenureDateRange *range,
                         const TenureDate      *boundaries,
                         gsize                  n_boundaries)
{
  GArray *segments = g_array_new (FALSE, FALSE, sizeof (TenureDateRange));
  TenureDate seg_start;

  g_return_val_if_fail (boundaries != NULL || n_boundaries == 0, segments);

  if (!tenure_date_range_is_valid (range))
    return segments;

  seg_start = range->start;
  for (gsize i = 0; i < n_boundaries; i++)
    {
      TenureDate b = boundaries[i];

      g_warn_if_fail (i == 0 || boundaries[i - 1] <= b);
      if (b <= seg_start || b > range->end)
        continue;
      TenureDateRange seg = { seg_start, b - 1 };
      g_array_append_val (segments, seg);
      seg_start = b;
    }
  TenureDateRange last = { seg_start, range->end };
  g_array_append_val (segments, last);
  return segments;
}
