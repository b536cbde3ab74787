/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A calendar date without time zone: the day number counted from 0001-01-01 (= 1) in the
 * proleptic Gregorian calendar. Dates compare and subtract as plain integers; years 1..9999
 * are supported. 0 (TENURE_DATE_INVALID) is no date: functions that cannot produce a date
 * (out of range) return it. */
typedef gint32 TenureDate;

#define TENURE_DATE_INVALID  ((TenureDate) 0)
#define TENURE_DATE_MIN_YEAR 1
#define TENURE_DATE_MAX_YEAR 9999
/* 0001-01-01 and 9999-12-31 */
#define TENURE_DATE_MIN      ((TenureDate) 1)
#define TENURE_DATE_MAX      ((TenureDate) 3652059)

/* Length of "YYYY-MM-DD" plus the terminating NUL. */
#define TENURE_DATE_ISO_BUF_SIZE 11

/* Inclusive date range: both start and end belong to it. */
typedef struct
{
  TenureDate start;
  TenureDate end;
} TenureDateRange;

/* Calendar periods (quarters are Jan–Mar, Apr–Jun, …; half-years Jan–Jun, Jul–Dec). */
typedef enum
{
  TENURE_PERIOD_MONTH,
  TENURE_PERIOD_QUARTER,
  TENURE_PERIOD_HALF_YEAR,
  TENURE_PERIOD_YEAR,
} TenurePeriod;

/* TRUE when @year is a Gregorian leap year. */
gboolean   tenure_date_is_leap_year     (int year);
/* Days in @month (1–12) of @year; 0 for a month outside 1–12. */
int        tenure_date_days_in_month    (int year, int month);
/* 365 or 366. */
int        tenure_date_days_in_year     (int year);
/* TRUE when y-m-d is a real date within the supported years. */
gboolean   tenure_date_valid_ymd        (int year, int month, int day);

/* Builds the date y-m-d, or fails with TENURE_ERROR_INVALID naming the date and what is wrong
 * (month 13, 2026-02-30, 2025-02-29, year 0). */
gboolean   tenure_date_new_ymd          (int         year,
                                         int         month,
                                         int         day,
                                         TenureDate *out,
                                         GError    **error);
/* Like tenure_date_new_ymd() for dates known to be valid (constants, tests): returns
 * TENURE_DATE_INVALID for an impossible date. */
TenureDate tenure_date_from_ymd         (int year, int month, int day);

/* TRUE when @date is a date (not TENURE_DATE_INVALID, within the supported range). */
gboolean   tenure_date_is_valid         (TenureDate date);
/* Splits a valid date into year, month (1–12) and day (1–31); any pointer may be NULL.
 * An invalid date gives zeros (and a critical warning). */
void       tenure_date_get_ymd          (TenureDate date, int *year, int *month, int *day);
int        tenure_date_get_year         (TenureDate date);
int        tenure_date_get_month        (TenureDate date);
int        tenure_date_get_day          (TenureDate date);
/* Day of the week, G_DATE_MONDAY (1) … G_DATE_SUNDAY (7). */
GDateWeekday tenure_date_get_weekday    (TenureDate date);
/* Days in the month of @date. */
int        tenure_date_get_days_in_month (TenureDate date);

/* Strict ISO 8601 calendar date "YYYY-MM-DD" (ASCII digits, nothing around it). Fails with
 * TENURE_ERROR_INVALID naming the text. */
gboolean   tenure_date_parse_iso        (const char *text, TenureDate *out, GError **error);
/* "YYYY-MM-DD" (newly allocated), or "" for an invalid date. */
char      *tenure_date_format_iso       (TenureDate date);
/* Same into a caller's buffer of TENURE_DATE_ISO_BUF_SIZE bytes; returns @buf. */
char      *tenure_date_format_iso_buf   (TenureDate date, char buf[TENURE_DATE_ISO_BUF_SIZE]);

/* Days from @first to @last counting both ends (2026-01-01..2026-01-31 is 31); 0 or less when
 * @last is before @first. */
gint32     tenure_date_days_inclusive   (TenureDate first, TenureDate last);
/* @date + @days (may be negative); TENURE_DATE_INVALID when out of range. */
TenureDate tenure_date_add_days         (TenureDate date, gint64 days);
/* @date + @months calendar months (may be negative), clamping the day to the end of the target
 * month: 2026-01-31 + 1 = 2026-02-28. TENURE_DATE_INVALID when out of range. */
TenureDate tenure_date_add_months       (TenureDate date, gint64 months);
/* Start of the @k-th anniversary period: @start + @k × @cycle_months months, always computed
 * from the original @start (never chained), so 08-31 gives 11-30, 02-28, 05-31. */
TenureDate tenure_date_anniversary      (TenureDate start, gint64 k, int cycle_months);

/* First and last day of the calendar @period containing @date. */
TenureDate tenure_date_period_start     (TenureDate date, TenurePeriod period);
TenureDate tenure_date_period_end       (TenureDate date, TenurePeriod period);
TenureDateRange tenure_date_period_range (TenureDate date, TenurePeriod period);

/* Excel serial day number → date. 1900 system: 1 = 1900-01-01, 59 = 1900-02-28, 60 is Excel's
 * fictitious 1900-02-29 (refused: no such day), 61 = 1900-03-01, 45658 = 2025-01-01.
 * 1904 system (@date1904): 0 = 1904-01-01. The fraction (time of day) is dropped. Fails with
 * TENURE_ERROR_INVALID for negative, NaN, infinite, 0 (1900 system) or beyond 9999-12-31. */
gboolean   tenure_date_from_excel_serial (double      serial,
                                          gboolean    date1904,
                                          TenureDate *out,
                                          GError    **error);
/* Date → Excel serial day number (the inverse of tenure_date_from_excel_serial()). Fails with
 * TENURE_ERROR_INVALID for dates Excel cannot show (before 1900-01-01, or 1904-01-01). */
gboolean   tenure_date_to_excel_serial  (TenureDate  date,
                                         gboolean    date1904,
                                         gint32     *out,
                                         GError    **error);

/* A range from @start to @end inclusive. */
TenureDateRange tenure_date_range_make  (TenureDate start, TenureDate end);
/* TRUE when both ends are dates and start <= end. */
gboolean   tenure_date_range_is_valid   (const TenureDateRange *range);
/* Days in the range, both ends counted; 0 for an invalid range. */
gint32     tenure_date_range_days       (const TenureDateRange *range);
gboolean   tenure_date_range_contains   (const TenureDateRange *range, TenureDate date);
/* Common part of @a and @b into @out; FALSE (and @out untouched) when they do not overlap. */
gboolean   tenure_date_range_intersect  (const TenureDateRange *a,
                                         const TenureDateRange *b,
                                         TenureDateRange       *out);
/* Splits @range into consecutive segments: each boundary date b with start < b <= end starts a
 * new segment (the previous one ends the day before). @boundaries must be sorted ascending;
 * duplicates and dates outside the range are ignored. Returns a GArray of TenureDateRange
 * (at least one element for a valid range, none for an invalid one). Free with g_array_unref. */
GArray    *tenure_date_range_split      (const TenureDateRange *range,
                                         const TenureDate      *boundaries,
                                         gsize                  n_boundaries);

G_END_DECLS
