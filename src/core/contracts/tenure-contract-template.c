/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-contracts"

#include "contracts/tenure-contract-interchange.h"
#include "contracts/tenure-contract-private.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "base/tenure-money.h"
#include "io/tenure-csv-reader.h"
#include "io/tenure-xlsx-reader.h"

/* The Excel/CSV template (docs/contract-template.md): a header row, then one row per clause;
 * the contract columns are repeated on every row of a contract and must agree. Headers may be
 * the English keys or the Chinese names below. */

typedef enum
{
  COL_CODE, COL_TENANT, COL_PROJECT, COL_STATUS, COL_CURRENCY, COL_SIGNED_ON, COL_START,
  COL_END, COL_TERMINATED_ON, COL_TERMINATION_TYPE, COL_RENEWAL_OF, COL_UNITS,
  COL_CHARGE_ITEM, COL_BASIS, COL_PRICE, COL_AMOUNT, COL_CYCLE, COL_ALIGNMENT, COL_TIMING,
  COL_ADVANCE_DAYS, COL_DUE_DAYS, COL_DAYS_RULE, COL_CLAUSE_START, COL_CLAUSE_END,
  COL_RENT_FREE, COL_ESCALATION, COL_ESCALATION_BY, COL_ESCALATION_VALUE, COL_ESCALATION_DATE,
  COL_CPI_FLOOR, COL_CPI_CAP, COL_TURNOVER_TIERS, COL_TURNOVER_BREAKPOINT, COL_LATE_FEE_RATE,
  COL_LATE_FEE_GRACE, COL_LATE_FEE_CAP,
  N_COLS,
  FIRST_CLAUSE_COL = COL_CHARGE_ITEM,
} Col;

static const struct
{
  const char *key;
  const char *zh;
  gboolean    required;
} columns[N_COLS] = {
  [COL_CODE] = { "contract_code", "合同编号", TRUE },
  [COL_TENANT] = { "tenant", "租户编号", TRUE },
  [COL_PROJECT] = { "project", "项目编号", TRUE },
  [COL_STATUS] = { "status", "合同状态", FALSE },
  [COL_CURRENCY] = { "currency", "币种", FALSE },
  [COL_SIGNED_ON] = { "signed_on", "签约日期", FALSE },
  [COL_START] = { "start_date", "起租日期", TRUE },
  [COL_END] = { "end_date", "到期日期", TRUE },
  [COL_TERMINATED_ON] = { "terminated_on", "终止日期", FALSE },
  [COL_TERMINATION_TYPE] = { "termination_type", "终止类型", FALSE },
  [COL_RENEWAL_OF] = { "renewal_of", "续签原合同", FALSE },
  [COL_UNITS] = { "units", "单元及面积", TRUE },
  [COL_CHARGE_ITEM] = { "charge_item", "收费项目", TRUE },
  [COL_BASIS] = { "basis", "计价方式", TRUE },
  [COL_PRICE] = { "price", "单价", FALSE },
  [COL_AMOUNT] = { "amount", "金额", FALSE },
  [COL_CYCLE] = { "cycle_months", "账期月数", FALSE },
  [COL_ALIGNMENT] = { "alignment", "账期对齐", FALSE },
  [COL_TIMING] = { "timing", "收取方式", FALSE },
  [COL_ADVANCE_DAYS] = { "advance_days", "提前天数", FALSE },
  [COL_DUE_DAYS] = { "due_days", "账期后天数", FALSE },
  [COL_DAYS_RULE] = { "days_rule", "计天规则", FALSE },
  [COL_CLAUSE_START] = { "clause_start", "条款开始日期", FALSE },
  [COL_CLAUSE_END] = { "clause_end", "条款结束日期", FALSE },
  [COL_RENT_FREE] = { "rent_free", "免租期", FALSE },
  [COL_ESCALATION] = { "escalation", "递增方式", FALSE },
  [COL_ESCALATION_BY] = { "escalation_by", "递增基准", FALSE },
  [COL_ESCALATION_VALUE] = { "escalation_value", "递增值", FALSE },
  [COL_ESCALATION_DATE] = { "escalation_date", "调价日", FALSE },
  [COL_CPI_FLOOR] = { "cpi_floor", "CPI下限", FALSE },
  [COL_CPI_CAP] = { "cpi_cap", "CPI上限", FALSE },
  [COL_TURNOVER_TIERS] = { "turnover_tiers", "扣点", FALSE },
  [COL_TURNOVER_BREAKPOINT] = { "turnover_breakpoint", "人工保底点", FALSE },
  [COL_LATE_FEE_RATE] = { "late_fee_rate", "滞纳金日费率", FALSE },
  [COL_LATE_FEE_GRACE] = { "late_fee_grace_days", "滞纳金宽限天数", FALSE },
  [COL_LATE_FEE_CAP] = { "late_fee_cap", "滞纳金上限", FALSE },
};

typedef struct
{
  const TenureTable *table;
  GPtrArray         *problems;
  int                col[N_COLS];   /* column index, or -1 when absent */
  const TenureRow   *row;
  const char        *code;
  gboolean           row_ok;
} Sheet;

/* A problem at one cell: "FILE, line 3, column 5 (price): TEXT". */
static void
cell_problem (Sheet *s, Col col, const char *text)
{
  TenureContractProblem *p = g_new0 (TenureContractProblem, 1);
  guint column = s->col[col] >= 0 ? (guint) s->col[col] : 0;
  g_autofree char *place = tenure_table_describe_cell (s->table, s->row, column);

  p->contract_code = g_strdup (s->code);
  p->version_index = -1;
  p->clause_index = -1;
  p->field = g_strdup (columns[col].key);
  p->file = g_strdup (tenure_table_get_source (s->table));
  p->row = tenure_row_get_number (s->row);
  p->column = s->table && tenure_table_get_origin (s->table) == TENURE_TABLE_SHEET
              ? tenure_column_name (column) : g_strdup_printf ("%u", column + 1);
  /* TRANSLATORS: a place in a file, then what is wrong there */
  p->message = g_strdup_printf (_("%s: %s"), place, text);
  g_ptr_array_add (s->problems, p);
  s->row_ok = FALSE;
}

G_GNUC_PRINTF (3, 4) static void
cell_fail (Sheet *s, Col col, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  cell_problem (s, col, text);
}

static const TenureCell *
cell (Sheet *s, Col col)
{
  static const TenureCell empty = { TENURE_CELL_EMPTY, TENURE_DATE_INVALID, 0, "" };

  if (s->col[col] < 0)
    return &empty;
  return tenure_row_get_cell (s->row, (guint) s->col[col]);
}

/* The cell's text, trimmed, or NULL when blank. */
static char *
cell_text (Sheet *s, Col col)
{
  const TenureCell *c = cell (s, col);

  if (tenure_cell_is_blank (c))
    return NULL;
  if (c->kind == TENURE_CELL_ERROR)
    {
      cell_fail (s, col, _("the cell holds the error %s"), c->text);
      return NULL;
    }
  return g_strstrip (g_strdup (c->text));
}

/* Reads up to MAX_DIGITS ASCII digits; FALSE when there is none. */
static gboolean
read_number (const char **p, int max_digits, int *out)
{
  int n = 0, v = 0;

  while (g_ascii_isdigit (**p) && n < max_digits)
    {
      v = v * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  *out = v;
  return n > 0 && !g_ascii_isdigit (**p);
}

static gboolean
parse_date_text (const char *text, TenureDate *out, GError **error)
{
  /* Spreadsheet users write 2026/1/5 and 2026.1.5 as often as 2026-01-05. */
  const char *p = text;
  int y, m, d;
  char sep;

  if (read_number (&p, 4, &y) && (*p == '-' || *p == '/' || *p == '.'))
    {
      sep = *p++;
      if (read_number (&p, 2, &m) && *p == sep)
        {
          p++;
          if (read_number (&p, 2, &d) && *p == '\0')
            return tenure_date_new_ymd (y, m, d, out, error);
        }
    }
  return tenure_date_parse_iso (text, out, error);
}

static TenureDate
cell_date (Sheet *s, Col col, gboolean required)
{
  const TenureCell *c = cell (s, col);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  TenureDate d = TENURE_DATE_INVALID;

  if (c->kind == TENURE_CELL_DATE)
    {
      if (!tenure_date_is_valid (c->date))
        cell_fail (s, col, _("“%s” is not a calendar day"), c->text);
      return c->date;
    }
  text = cell_text (s, col);
  if (text == NULL)
    {
      if (required)
        cell_fail (s, col, _("the date is missing"));
      return TENURE_DATE_INVALID;
    }
  if (c->kind == TENURE_CELL_NUMBER)
    {
      cell_fail (s, col, _("“%s” is a number, not a date (write YYYY-MM-DD)"), text);
      return TENURE_DATE_INVALID;
    }
  if (!parse_date_text (text, &d, &error))
    {
      cell_problem (s, col, error->message);
      return TENURE_DATE_INVALID;
    }
  return d;
}

static gboolean
cell_decimal (Sheet *s, Col col, guint scale, gint64 fallback, gint64 *out)
{
  g_autofree char *text = cell_text (s, col);
  g_autoptr(GError) error = NULL;

  *out = fallback;
  if (text == NULL)
    return FALSE;
  if (!tenure_decimal_parse (text, scale, out, &error))
    {
      cell_problem (s, col, error->message);
      *out = fallback;
      return FALSE;
    }
  return TRUE;
}

static int
cell_int (Sheet *s, Col col, int fallback, int min, int max)
{
  gint64 v;

  if (!cell_decimal (s, col, 0, fallback, &v))
    return fallback;
  if (v < min || v > max)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, v);
      cell_fail (s, col, _("%s is outside %d to %d"), text, min, max);
      return fallback;
    }
  return (int) v;
}

static gboolean
cell_money (Sheet *s, Col col, const TenureCurrency *currency, gint64 *out)
{
  g_autofree char *text = cell_text (s, col);
  g_autoptr(GError) error = NULL;
  TenureMoney m;

  *out = 0;
  if (text == NULL)
    return FALSE;
  if (!tenure_money_parse (text, currency, &m, &error))
    {
      cell_problem (s, col, error->message);
      return FALSE;
    }
  *out = m.minor;
  return TRUE;
}

/* Splits "a; b；c" (ASCII or full-width semicolons, or line breaks) into trimmed parts. */
static char **
split_list (const char *text)
{
  g_autofree char *norm = NULL;
  g_auto(GStrv) parts = NULL;
  GPtrArray *out = g_ptr_array_new ();
  GString *s = g_string_new (text);

  g_string_replace (s, "；", ";", 0);
  g_string_replace (s, "\n", ";", 0);
  norm = g_string_free (s, FALSE);
  parts = g_strsplit (norm, ";", -1);
  for (char **p = parts; *p; p++)
    {
      g_strstrip (*p);
      if (**p != '\0')
        g_ptr_array_add (out, g_strdup (*p));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* "KEY=VALUE" (or full-width ＝, or ':'), both sides trimmed. */
static gboolean
split_pair (const char *item, char **key, char **value)
{
  const char *sep = strstr (item, "＝");
  gsize seplen = 3;

  if (sep == NULL)
    {
      sep = strpbrk (item, "=:");
      seplen = 1;
    }
  if (sep == NULL)
    return FALSE;
  *key = g_strstrip (g_strndup (item, (gsize) (sep - item)));
  *value = g_strstrip (g_strdup (sep + seplen));
  return **key != '\0' && **value != '\0';
}

static void
read_units (Sheet *s, TenureContractVersion *v)
{
  g_autofree char *text = cell_text (s, COL_UNITS);
  g_auto(GStrv) items = NULL;

  if (text == NULL)
    {
      cell_fail (s, COL_UNITS, _("the units are missing (write UNIT=AREA; …)"));
      return;
    }
  items = split_list (text);
  for (char **item = items; *item; item++)
    {
      g_autofree char *unit = NULL, *area_text = NULL;
      g_autoptr(GError) error = NULL;
      gint64 area;

      if (!split_pair (*item, &unit, &area_text))
        {
          cell_fail (s, COL_UNITS, _("“%s” is not UNIT=AREA (e.g. A-101=120.50)"), *item);
          continue;
        }
      if (!tenure_decimal_parse (area_text, TENURE_SCALE_AREA, &area, &error))
        {
          cell_fail (s, COL_UNITS, _("unit %s: %s"), unit, error->message);
          continue;
        }
      g_ptr_array_add (v->units, tenure_contract_unit_new (unit, area));
    }
}

static void
read_rent_free (Sheet *s, TenureClause *c)
{
  g_autofree char *text = cell_text (s, COL_RENT_FREE);
  g_auto(GStrv) items = NULL;

  if (text == NULL)
    return;
  items = split_list (text);
  for (char **item = items; *item; item++)
    {
      g_auto(GStrv) ends = NULL;
      TenureDateRange r;
      g_autoptr(GError) error = NULL;
      GString *g = g_string_new (*item);

      /* "FROM..TO", or "FROM~TO" and the Chinese forms with ～ or 至. */
      g_string_replace (g, "～", "..", 0);
      g_string_replace (g, "至", "..", 0);
      g_string_replace (g, "~", "..", 0);
      g_string_replace (g, "....", "..", 0);
      ends = g_strsplit (g->str, "..", 3);
      g_string_free (g, TRUE);
      if (g_strv_length (ends) != 2)
        {
          cell_fail (s, COL_RENT_FREE, _("“%s” is not FROM..TO (e.g. 2026-01-01..2026-03-31)"),
                     *item);
          continue;
        }
      g_strstrip (ends[0]);
      g_strstrip (ends[1]);
      if (!parse_date_text (ends[0], &r.start, &error)
          || !parse_date_text (ends[1], &r.end, &error))
        {
          cell_fail (s, COL_RENT_FREE, _("“%s”: %s"), *item, error->message);
          continue;
        }
      g_array_append_val (c->rent_free, r);
    }
}

static void
read_escalation (Sheet *s, TenureClause *c, const TenureCurrency *currency)
{
  g_autofree char *kind = cell_text (s, COL_ESCALATION);
  g_autofree char *by = cell_text (s, COL_ESCALATION_BY);
  g_autofree char *value = cell_text (s, COL_ESCALATION_VALUE);
  g_autofree char *date = cell_text (s, COL_ESCALATION_DATE);
  TenureEscalation *e = &c->escalation;
  gboolean per_m2 = c->basis == TENURE_BASIS_PER_M2_DAY || c->basis == TENURE_BASIS_PER_M2_MONTH;
  g_autoptr(GError) error = NULL;

  if (kind == NULL || g_ascii_strcasecmp (kind, "none") == 0)
    return;
  if (!tenure_escalation_kind_from_string (kind, &e->kind))
    {
      cell_fail (s, COL_ESCALATION, _("unknown escalation “%s” (percent, amount, table or cpi)"),
                 kind);
      return;
    }
  if (by == NULL || g_str_equal (by, "lease_year"))
    e->trigger = TENURE_ESCALATION_BY_LEASE_YEAR;
  else if (g_str_equal (by, "date"))
    e->trigger = TENURE_ESCALATION_BY_DATE;
  else
    cell_fail (s, COL_ESCALATION_BY, _("unknown value “%s” (date or lease_year)"), by);
  if (date != NULL)
    {
      const char *p = date;
      int m = 0, d = 0;
      gboolean ok = read_number (&p, 2, &m) && *p++ == '-' && read_number (&p, 2, &d)
                    && *p == '\0';
      if (!ok || m < 1 || m > 12 || d < 1 || d > tenure_date_days_in_month (2000, m))
        cell_fail (s, COL_ESCALATION_DATE, _("“%s” is not a day of the year (write MM-DD)"),
                   date);
      else
        {
          e->month = m;
          e->day = d;
        }
    }
  if (value == NULL)
    {
      cell_fail (s, COL_ESCALATION_VALUE, _("the escalation needs its value"));
      return;
    }
  switch (e->kind)
    {
    case TENURE_ESCALATION_PERCENT:
      cell_decimal (s, COL_ESCALATION_VALUE, TENURE_SCALE_PPM, 0, &e->percent_ppm);
      break;
    case TENURE_ESCALATION_AMOUNT:
      if (per_m2)
        cell_decimal (s, COL_ESCALATION_VALUE, TENURE_SCALE_PRICE, 0, &e->delta);
      else
        cell_money (s, COL_ESCALATION_VALUE, currency, &e->delta);
      break;
    case TENURE_ESCALATION_TABLE:
      {
        g_auto(GStrv) items = split_list (value);
        e->table = g_array_new (FALSE, TRUE, sizeof (TenurePriceStep));
        for (char **item = items; *item; item++)
          {
            g_autofree char *from = NULL, *v = NULL;
            TenurePriceStep step;
            TenureMoney m;
            gboolean ok;

            g_clear_error (&error);
            if (!split_pair (*item, &from, &v))
              {
                cell_fail (s, COL_ESCALATION_VALUE,
                           _("“%s” is not DATE=PRICE (e.g. 2027-01-01=5.2500)"), *item);
                continue;
              }
            ok = parse_date_text (from, &step.from, &error);
            if (ok && per_m2)
              ok = tenure_decimal_parse (v, TENURE_SCALE_PRICE, &step.value, &error);
            else if (ok)
              {
                ok = tenure_money_parse (v, currency, &m, &error);
                step.value = m.minor;
              }
            if (!ok)
              cell_fail (s, COL_ESCALATION_VALUE, _("“%s”: %s"), *item, error->message);
            else
              g_array_append_val (e->table, step);
          }
        break;
      }
    case TENURE_ESCALATION_CPI:
      e->cpi_series = g_strdup (value);
      cell_decimal (s, COL_CPI_FLOOR, TENURE_SCALE_PPM, 0, &e->floor_ppm);
      cell_decimal (s, COL_CPI_CAP, TENURE_SCALE_PPM, G_MAXINT64, &e->cap_ppm);
      break;
    case TENURE_ESCALATION_NONE:
    default:
      break;
    }
}

static void
read_turnover (Sheet *s, TenureClause *c, const TenureCurrency *currency)
{
  g_autofree char *tiers = cell_text (s, COL_TURNOVER_TIERS);
  g_auto(GStrv) items = NULL;
  gint64 breakpoint;

  if (c->basis != TENURE_BASIS_TURNOVER)
    {
      if (tiers != NULL)
        cell_fail (s, COL_TURNOVER_TIERS, _("turnover rates belong to a turnover clause only"));
      return;
    }
  c->turnover = g_new0 (TenureTurnoverTerms, 1);
  c->turnover->minimum = c->amount;
  c->turnover->breakpoint = -1;
  c->turnover->period_months = c->cycle_months;
  c->turnover->due_days = c->due_days;
  c->turnover->tiers = g_array_new (FALSE, TRUE, sizeof (TenureTurnoverTier));
  if (cell_money (s, COL_TURNOVER_BREAKPOINT, currency, &breakpoint))
    c->turnover->breakpoint = breakpoint;
  if (tiers == NULL)
    {
      cell_fail (s, COL_TURNOVER_TIERS, _("a turnover clause needs its rate (e.g. 8%%)"));
      return;
    }
  items = split_list (tiers);
  for (char **item = items; *item; item++)
    {
      g_autofree char *from = NULL, *rate = NULL;
      g_autoptr(GError) error = NULL;
      TenureTurnoverTier tier = { 0, 0 };
      TenureMoney m = { 0, NULL };
      gboolean ok;

      /* A lone rate is the tier from 0. */
      if (!split_pair (*item, &from, &rate))
        {
          g_clear_pointer (&from, g_free);
          rate = g_strdup (*item);
        }
      ok = from == NULL || tenure_money_parse (from, currency, &m, &error);
      ok = ok && tenure_decimal_parse (rate, TENURE_SCALE_PPM, &tier.rate_ppm, &error);
      if (!ok)
        {
          cell_fail (s, COL_TURNOVER_TIERS, _("“%s”: %s"), *item, error->message);
          continue;
        }
      tier.from = m.minor;
      g_array_append_val (c->turnover->tiers, tier);
    }
}

static TenureClause *
read_clause (Sheet *s, const TenureCurrency *currency)
{
  g_autofree char *item = cell_text (s, COL_CHARGE_ITEM);
  g_autofree char *basis_text = cell_text (s, COL_BASIS);
  g_autofree char *text = NULL;
  TenureBasis basis = TENURE_BASIS_FIXED_MONTH;
  TenureClause *c;

  if (item == NULL)
    cell_fail (s, COL_CHARGE_ITEM, _("the charge item is missing"));
  if (basis_text == NULL)
    cell_fail (s, COL_BASIS, _("the basis is missing"));
  else if (!tenure_basis_from_string (basis_text, &basis))
    cell_fail (s, COL_BASIS, _("unknown basis “%s” (per_m2_day, per_m2_month, fixed_month, "
                               "fixed_period, one_off or turnover)"), basis_text);
  c = tenure_clause_new (item, basis);
  if (basis == TENURE_BASIS_PER_M2_DAY || basis == TENURE_BASIS_PER_M2_MONTH)
    {
      if (!cell_decimal (s, COL_PRICE, TENURE_SCALE_PRICE, 0, &c->price_e4)
          && s->row_ok && tenure_cell_is_blank (cell (s, COL_PRICE)))
        cell_fail (s, COL_PRICE, _("a per-m² clause needs its unit price"));
    }
  else if (!cell_money (s, COL_AMOUNT, currency, &c->amount) && s->row_ok
           && tenure_cell_is_blank (cell (s, COL_AMOUNT)) && basis != TENURE_BASIS_TURNOVER)
    cell_fail (s, COL_AMOUNT, _("this clause needs its amount"));
  if ((basis == TENURE_BASIS_PER_M2_DAY || basis == TENURE_BASIS_PER_M2_MONTH)
      && !tenure_cell_is_blank (cell (s, COL_AMOUNT)))
    cell_fail (s, COL_AMOUNT, _("a per-m² clause takes a unit price, not an amount"));
  else if (basis != TENURE_BASIS_PER_M2_DAY && basis != TENURE_BASIS_PER_M2_MONTH
           && !tenure_cell_is_blank (cell (s, COL_PRICE)))
    cell_fail (s, COL_PRICE, _("this clause takes an amount, not a unit price"));
  c->cycle_months = cell_int (s, COL_CYCLE, 1, 1, 12);
  if ((text = cell_text (s, COL_ALIGNMENT))
      && !tenure_alignment_from_string (text, &c->alignment))
    cell_fail (s, COL_ALIGNMENT, _("unknown value “%s” (anniversary or calendar)"), text);
  g_clear_pointer (&text, g_free);
  if ((text = cell_text (s, COL_TIMING)) && !tenure_timing_from_string (text, &c->timing))
    cell_fail (s, COL_TIMING, _("unknown value “%s” (advance or arrears)"), text);
  g_clear_pointer (&text, g_free);
  if ((text = cell_text (s, COL_DAYS_RULE))
      && !tenure_days_rule_from_string (text, &c->days_rule))
    cell_fail (s, COL_DAYS_RULE, _("unknown value “%s” (ACTUAL, FIXED_30 or AVG_365_12)"),
               text);
  c->advance_days = cell_int (s, COL_ADVANCE_DAYS, 0, 0, 366);
  c->due_days = cell_int (s, COL_DUE_DAYS, 0, 0, 366);
  c->starts_on = cell_date (s, COL_CLAUSE_START, FALSE);
  c->ends_on = cell_date (s, COL_CLAUSE_END, FALSE);
  read_rent_free (s, c);
  read_escalation (s, c, currency);
  read_turnover (s, c, currency);
  cell_decimal (s, COL_LATE_FEE_RATE, TENURE_SCALE_PPM, c->late_fee_rate_ppm,
                &c->late_fee_rate_ppm);
  c->late_fee_grace_days = cell_int (s, COL_LATE_FEE_GRACE, c->late_fee_grace_days, 0, 3650);
  cell_decimal (s, COL_LATE_FEE_CAP, TENURE_SCALE_PPM, c->late_fee_cap_ppm,
                &c->late_fee_cap_ppm);
  return c;
}

/* Where each contract came from: its first row and each clause's row. */
typedef struct
{
  TenureContract *contract;
  const TenureRow *first_row;
  GPtrArray       *clause_rows;   /* const TenureRow*, by clause index */
  GPtrArray       *contract_text; /* char*, the contract columns of the first row */
  gboolean         broken;
} Pending;

static void
pending_free (Pending *p)
{
  tenure_contract_free (p->contract);
  g_ptr_array_unref (p->clause_rows);
  g_ptr_array_unref (p->contract_text);
  g_free (p);
}

static Pending *
start_contract (Sheet *s, const char *code, const char *file)
{
  Pending *p = g_new0 (Pending, 1);
  TenureContract *k = tenure_contract_new ();
  TenureContractVersion *v = tenure_contract_version_new ();
  g_autofree char *text = NULL;
  g_autofree char *base = g_path_get_basename (file);

  p->contract = k;
  p->first_row = s->row;
  p->clause_rows = g_ptr_array_new ();
  p->contract_text = g_ptr_array_new_with_free_func (g_free);
  for (int c = 0; c < FIRST_CLAUSE_COL; c++)
    g_ptr_array_add (p->contract_text, g_strdup (cell (s, (Col) c)->text));
  k->code = g_strdup (code);
  k->tenant_code = cell_text (s, COL_TENANT);
  if (k->tenant_code == NULL)
    cell_fail (s, COL_TENANT, _("the tenant is missing"));
  k->project_code = cell_text (s, COL_PROJECT);
  if (k->project_code == NULL)
    cell_fail (s, COL_PROJECT, _("the project is missing"));
  k->status = TENURE_CONTRACT_ACTIVE;
  if ((text = cell_text (s, COL_STATUS)) && !tenure_contract_status_from_string (text,
                                                                               &k->status))
    cell_fail (s, COL_STATUS, _("unknown value “%s” (draft, pending_approval, active, expired "
                                "or terminated)"), text);
  g_clear_pointer (&text, g_free);
  if ((text = cell_text (s, COL_CURRENCY)))
    {
      if (tenure_currency_lookup (text) == NULL)
        cell_fail (s, COL_CURRENCY, _("unknown currency “%s”"), text);
      else
        {
          g_free (k->currency);
          k->currency = g_strdup (text);
        }
    }
  g_clear_pointer (&text, g_free);
  k->signed_on = cell_date (s, COL_SIGNED_ON, FALSE);
  k->start_date = cell_date (s, COL_START, TRUE);
  k->end_date = cell_date (s, COL_END, TRUE);
  k->terminated_on = cell_date (s, COL_TERMINATED_ON, FALSE);
  if ((text = cell_text (s, COL_TERMINATION_TYPE))
      && !tenure_termination_type_from_string (text, &k->termination_type))
    cell_fail (s, COL_TERMINATION_TYPE, _("unknown value “%s” (normal, early_agreement or "
                                          "breach)"), text);
  k->renewal_of = cell_text (s, COL_RENEWAL_OF);

  v->version_no = 1;
  v->effective_from = k->start_date;
  v->reason = g_strdup_printf (_("Imported from %s"), base);
  v->status = k->status == TENURE_CONTRACT_DRAFT ? TENURE_VERSION_DRAFT
              : k->status == TENURE_CONTRACT_PENDING_APPROVAL
              ? TENURE_VERSION_PENDING_APPROVAL : TENURE_VERSION_APPROVED;
  read_units (s, v);
  g_ptr_array_add (k->versions, v);
  return p;
}

static int
find_column (const TenureTable *table, Col c)
{
  int i = tenure_table_lookup_column (table, columns[c].key);
  return i >= 0 ? i : tenure_table_lookup_column (table, columns[c].zh);
}

GPtrArray *
tenure_contracts_from_table (TenureTable *table, GPtrArray *problems, GError **error)
{
  const char *const keys_en[] = { "contract_code", NULL };
  const char *const keys_zh[] = { "合同编号", NULL };
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *contracts;
  Sheet s = { table, problems, { 0 }, NULL, NULL, TRUE };
  int header;
  guint missing = 0;
  g_autoptr(GString) missing_names = g_string_new (NULL);
  g_autoptr(TenureTable) header_table = NULL;

  header = tenure_table_find_header_row (table, keys_en, 10);
  if (header < 0)
    header = tenure_table_find_header_row (table, keys_zh, 10);
  if (header < 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   _("%s: no header row with “contract_code” (合同编号) in the first 10 rows; "
                     "see docs/contract-template.md"), tenure_table_get_source (table));
      return NULL;
    }
  tenure_table_set_header_row (table, header);
  for (int c = 0; c < N_COLS; c++)
    {
      s.col[c] = find_column (table, (Col) c);
      if (s.col[c] < 0 && columns[c].required)
        {
          g_string_append_printf (missing_names, "%s%s (%s)", missing ? ", " : "",
                                  columns[c].key, columns[c].zh);
          missing++;
        }
    }
  if (missing > 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   _("%s: the header row %d lacks the columns %s"),
                   tenure_table_get_source (table), header + 1, missing_names->str);
      return NULL;
    }

  for (guint i = (guint) header + 1; i < tenure_table_get_n_rows (table); i++)
    {
      g_autofree char *code = NULL;
      Pending *p;
      TenureClause *clause;

      s.row = tenure_table_get_row (table, i);
      s.row_ok = TRUE;
      s.code = NULL;
      if (tenure_row_is_blank (s.row))
        continue;
      code = cell_text (&s, COL_CODE);
      if (code == NULL)
        {
          cell_fail (&s, COL_CODE, _("the contract code is missing"));
          continue;
        }
      s.code = code;
      p = g_hash_table_lookup (by_code, code);
      if (p == NULL)
        {
          p = start_contract (&s, code, tenure_table_get_source (table));
          g_ptr_array_add (pending, p);
          g_hash_table_insert (by_code, p->contract->code, p);
        }
      else
        for (int c = 0; c < FIRST_CLAUSE_COL; c++)
          if (g_strcmp0 (g_ptr_array_index (p->contract_text, c), cell (&s, (Col) c)->text)
              != 0)
            cell_fail (&s, (Col) c, _("differs from row %u of contract %s (“%s”); contract "
                                      "columns must repeat the same values"),
                       tenure_row_get_number (p->first_row), code,
                       (const char *) g_ptr_array_index (p->contract_text, c));
      clause = read_clause (&s, tenure_currency_lookup (p->contract->currency));
      g_ptr_array_add (((TenureContractVersion *) g_ptr_array_index (p->contract->versions, 0))
                       ->clauses, clause);
      g_ptr_array_add (p->clause_rows, (gpointer) s.row);
      if (!s.row_ok)
        p->broken = TRUE;
    }

  /* The rows' places, kept for the validation messages (see tenure_contract_import_file). */
  contracts = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_contract_free);
  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = g_ptr_array_index (pending, i);
      if (!p->broken)
        g_ptr_array_add (contracts, g_steal_pointer (&p->contract));
    }
  return contracts;
}

/* ---------------------------------------------------------------------------------------------
 * Import */

/* Maps a validation field to the template column that holds it. */
static Col
column_of_field (const char *field, gboolean clause)
{
  static const struct { const char *field; Col col; } map[] = {
    { "code", COL_CODE }, { "tenant", COL_TENANT }, { "project", COL_PROJECT },
    { "currency", COL_CURRENCY }, { "start_date", COL_START }, { "end_date", COL_END },
    { "terminated_on", COL_TERMINATED_ON }, { "renewal_of", COL_RENEWAL_OF },
    { "units", COL_UNITS }, { "area", COL_UNITS }, { "effective_from", COL_START },
    { "versions", COL_CODE }, { "version", COL_CODE },
    { "charge_item", COL_CHARGE_ITEM }, { "basis", COL_BASIS }, { "price", COL_PRICE },
    { "amount", COL_AMOUNT }, { "cycle_months", COL_CYCLE }, { "advance_days", COL_ADVANCE_DAYS },
    { "due_days", COL_DUE_DAYS }, { "starts_on", COL_CLAUSE_START },
    { "ends_on", COL_CLAUSE_END }, { "rent_free", COL_RENT_FREE },
    { "late_fee", COL_LATE_FEE_RATE }, { "turnover", COL_TURNOVER_TIERS },
    { "escalation", COL_ESCALATION_VALUE }, { "clauses", COL_CHARGE_ITEM },
  };

  for (guint i = 0; field && i < G_N_ELEMENTS (map); i++)
    if (g_str_has_prefix (field, map[i].field))
      return map[i].col;
  return clause ? COL_CHARGE_ITEM : COL_CODE;
}

static gboolean
has_suffix_ci (const char *path, const char *suffix)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  return g_str_has_suffix (lower, suffix);
}

gboolean
tenure_contract_import_file (TenureDb    *db,
                             const char  *path,
                             GPtrArray   *problems,
                             guint       *n_imported,
                             GError     **error)
{
  g_autoptr(GPtrArray) contracts = NULL;
  g_autoptr(TenureTable) table = NULL;
  g_autofree char *base = g_path_get_basename (path);
  guint before = problems->len;
  Sheet s = { NULL, problems, { 0 }, NULL, NULL, TRUE };

  *n_imported = 0;
  if (has_suffix_ci (path, ".json"))
    {
      g_autofree char *data = NULL;
      gsize length = 0;
      g_autoptr(GError) local = NULL;

      if (!g_file_get_contents (path, &data, &length, &local))
        {
          g_set_error (error, TENURE_ERROR,
                       g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                       ? TENURE_ERROR_NOT_FOUND : TENURE_ERROR_IO,
                       "%s", local->message);
          return FALSE;
        }
      contracts = tenure_contracts_from_json (data, (gssize) length, base, problems, error);
    }
  else if (has_suffix_ci (path, ".csv") || has_suffix_ci (path, ".xlsx"))
    {
      table = has_suffix_ci (path, ".csv")
              ? tenure_csv_read_file (path, TENURE_CSV_DELIMITER_SNIFF, TENURE_CSV_FLAGS_NONE,
                                      error)
              : tenure_xlsx_read_file (path, NULL, error);
      if (table == NULL)
        return FALSE;
      contracts = tenure_contracts_from_table (table, problems, error);
      s.table = table;
      for (int c = 0; c < N_COLS; c++)
        s.col[c] = find_column (table, (Col) c);
    }
  else
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("%s: unknown file type; contracts import from .json, .csv or .xlsx"),
                   base);
      return FALSE;
    }
  if (contracts == NULL)
    return FALSE;

  if (!tenure_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < contracts->len; i++)
    {
      TenureContract *k = g_ptr_array_index (contracts, i);
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (
          (GDestroyNotify) tenure_contract_problem_free);
      gint64 existing = 0;
      g_autoptr(TenureStmt) stmt = NULL;

      stmt = tenure_db_prepare (db, "SELECT id FROM contract WHERE code = $1", error);
      if (stmt == NULL)
        goto fail;
      tenure_stmt_bind_text (stmt, 1, k->code);
      if (tenure_stmt_step (stmt, error))
        existing = tenure_stmt_column_int64 (stmt, 0);
      else if (*error)
        goto fail;
      if (existing != 0)
        tenure_contract_problem_add (found, k->code, -1, -1, "code",
                                     _("a contract with this code already exists"));
      else if (!tenure_contract_validate (db, k, found, error) && found->len == 0)
        goto fail;
      if (found->len == 0)
        {
          /* Saved inside the transaction so the next contracts of the file are checked
           * against it (two leases on one unit within the file). */
          if (!tenure_contract_store_insert_valid (db, k, error))
            goto fail;
          continue;
        }
      for (guint j = 0; j < found->len; j++)
        {
          TenureContractProblem *p = g_ptr_array_index (found, j);
          g_autofree char *message = p->message;

          if (table != NULL)
            {
              /* Point at the cell: the clause's row, or the contract's first row. */
              const TenureRow *row = NULL;
              int index = 0;
              int wanted = MAX (p->clause_index, 0);

              for (guint r = (guint) tenure_table_get_header_row (table) + 1;
                   r < tenure_table_get_n_rows (table) && row == NULL; r++)
                {
                  g_autofree char *code = NULL;

                  s.row = tenure_table_get_row (table, r);
                  code = cell_text (&s, COL_CODE);
                  if (g_strcmp0 (code, k->code) == 0 && index++ == wanted)
                    row = s.row;
                }
              if (row != NULL)
                {
                  Col col = column_of_field (p->field, p->clause_index >= 0);
                  guint column = s.col[col] >= 0 ? (guint) s.col[col] : 0;
                  g_autofree char *place = tenure_table_describe_cell (table, row, column);

                  p->row = tenure_row_get_number (row);
                  p->column = tenure_table_get_origin (table) == TENURE_TABLE_SHEET
                              ? tenure_column_name (column) : g_strdup_printf ("%u", column + 1);
                  p->message = g_strdup_printf (_("%s: %s"), place, message);
                }
              else
                p->message = g_strdup_printf (_("%s: %s"), base, message);
            }
          else
            p->message = g_strdup_printf (_("%s: %s"), base, message);
          p->file = g_strdup (base);
          g_ptr_array_add (problems, g_ptr_array_steal_index (found, j));
          j--;
        }
    }
  if (problems->len > before)
    {
      guint n = problems->len - before;
      tenure_db_rollback (db);
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "%u problem in %s; nothing was imported",
                                "%u problems in %s; nothing was imported", n),
                   n, base);
      return FALSE;
    }
  if (!tenure_db_commit (db, error))
    goto fail;
  *n_imported = contracts->len;
  return TRUE;

fail:
  tenure_db_rollback (db);
  return FALSE;
}
