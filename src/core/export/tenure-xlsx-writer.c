/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-export"

#include "export/tenure-xlsx-writer.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

/* Column widths in Excel's character units: at least the header's, at most this. */
#define MAX_COLUMN_WIDTH 60
/* Excel's last row (0-based index of row 1,048,576). */
#define MAX_ROW 1048575u

struct _TenureXlsxSheet
{
  TenureXlsx       *owner;
  lxw_worksheet    *ws;
  char             *name;
  TenureXlsxColumn *columns;
  guint             n_columns;
  guint            *width;   /* widest content per column, in character cells */
  guint             row;     /* current data row, 1-based: row 0 is the header */
};

struct _TenureXlsx
{
  char         *path;
  char         *tmp_path;
  lxw_workbook *wb;
  gboolean      closed;
  GPtrArray    *sheets;      /* TenureXlsxSheet, owned */
  GHashTable   *names;       /* casefolded sheet names in use */
  GHashTable   *money_fmt;   /* currency code → lxw_format (owned by the workbook) */
  char          last_money_code[16];    /* the last money cell's currency and format: */
  lxw_format   *last_money_fmt;         /* most exports write one currency throughout */
  lxw_format   *header_fmt;
  lxw_format   *date_fmt;
  lxw_format   *integer_fmt;
  lxw_format   *area_fmt;
  lxw_format   *price_fmt;
  lxw_format   *percent_fmt;
  locale_t      c_numeric;   /* the "C" locale (shared, never freed) */
};

/* libxlsxwriter prints numbers with printf, which follows LC_NUMERIC: every call that may
 * print (a cell write flushes the previous row in constant-memory mode; close prints the
 * rest) runs in the "C" locale on this thread, and only those calls, so messages and the
 * caller's own formatting keep the user's locale. (libxlsxwriter's text is UTF-8 bytes that
 * printf copies as they are in any locale.) */
#define IN_C_NUMERIC(self, call) \
  G_STMT_START { \
    locale_t old_locale_ = (self)->c_numeric ? uselocale ((self)->c_numeric) : (locale_t) 0; \
    call; \
    if (old_locale_) \
      uselocale (old_locale_); \
  } G_STMT_END

/* One "C" locale for the process: glibc's newlocale with a base locale leaks a little on
 * each call, and "C" needs no allocation at all. */
static locale_t
c_locale (void)
{
  static gsize once = 0;
  static locale_t c;

  if (g_once_init_enter (&once))
    {
      c = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
      g_once_init_leave (&once, 1);
    }
  return c;
}

static void
sheet_free (TenureXlsxSheet *sheet)
{
  g_free (sheet->name);
  g_free (sheet->columns);
  g_free (sheet->width);
  g_free (sheet);
}

/* Display width of UTF-8 TEXT in character cells: East Asian wide characters count two. */
static guint
text_width (const char *text)
{
  guint width = 0;

  if (text == NULL)
    return 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if ((guchar) *p < 0x80)
        width++;
      else
        width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
    }
  return width;
}

/* Digits of |V| with thousands separators. */
static guint
grouped_digits (guint64 v)
{
  guint digits = 1;

  while (v >= 10)
    {
      v /= 10;
      digits++;
    }
  return digits + (digits - 1) / 3;
}

TenureXlsx *
tenure_xlsx_new (const char  *path,
                 gboolean     constant_memory,
                 GError     **error)
{
  g_autoptr(TenureXlsx) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  lxw_workbook_options options = { 0 };
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (*path == '\0')
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO, _("No output file was given."));
      return NULL;
    }
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO,
                   _("Cannot write “%s”: it is a folder."), path);
      return NULL;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO,
                   _("Cannot write “%s”: the folder “%s” does not exist."), path, dir);
      return NULL;
    }

  self = g_new0 (TenureXlsx, 1);
  self->path = g_strdup (path);
  /* A hidden name in the same folder, so the final rename stays on one file system; created
   * now (mode 0666 less the umask, like any new file) to prove the folder can be written. */
  for (guint attempt = 0;; attempt++)
    {
      g_free (self->tmp_path);
      self->tmp_path = g_strdup_printf ("%s%s.%s.%08x.tmp", dir, G_DIR_SEPARATOR_S, base,
                                        g_random_int ());
      fd = g_open (self->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd >= 0 || errno != EEXIST || attempt >= 100)
        break;
    }
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO,
                   _("Cannot write “%s”: %s."), path, g_strerror (saved));
      g_clear_pointer (&self->tmp_path, g_free);
      return NULL;
    }
  close (fd);

  self->c_numeric = c_locale ();

  options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
  options.use_zip64 = LXW_TRUE;
  self->wb = workbook_new_opt (self->tmp_path, &options);
  if (self->wb == NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO,
                   _("Cannot start the workbook “%s”: out of memory or no temporary "
                     "folder."), path);
      return NULL;
    }
  self->sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) sheet_free);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->money_fmt = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->header_fmt = workbook_add_format (self->wb);
  format_set_bold (self->header_fmt);
  format_set_bottom (self->header_fmt, LXW_BORDER_THIN);
  format_set_bg_color (self->header_fmt, 0xE8EEF4);
  self->date_fmt = workbook_add_format (self->wb);
  format_set_num_format (self->date_fmt, "yyyy-mm-dd");
  self->integer_fmt = workbook_add_format (self->wb);
  format_set_num_format (self->integer_fmt, "#,##0");
  self->area_fmt = workbook_add_format (self->wb);
  format_set_num_format (self->area_fmt, "#,##0.00");
  self->price_fmt = workbook_add_format (self->wb);
  format_set_num_format (self->price_fmt, "#,##0.0000");
  self->percent_fmt = workbook_add_format (self->wb);
  format_set_num_format (self->percent_fmt, "0.00%");
  return g_steal_pointer (&self);
}

const char *
tenure_xlsx_get_path (TenureXlsx *self)
{
  return self->path;
}

static void
finish_sheet (TenureXlsxSheet *sheet)
{
  for (guint c = 0; c < sheet->n_columns; c++)
    {
      guint w = MIN (sheet->width[c], MAX_COLUMN_WIDTH);

      /* Room for the autofilter button beside the header. */
      worksheet_set_column (sheet->ws, c, c, w + 3, NULL);
    }
  worksheet_autofilter (sheet->ws, 0, 0, sheet->row == 0 ? 0 : sheet->row - 1,
                        sheet->n_columns - 1);
}

gboolean
tenure_xlsx_close (TenureXlsx  *self,
                   GError     **error)
{
  lxw_error err;

  g_return_val_if_fail (self != NULL && !self->closed, FALSE);

  for (guint i = 0; i < self->sheets->len; i++)
    finish_sheet (g_ptr_array_index (self->sheets, i));
  if (self->sheets->len == 0)
    workbook_add_worksheet (self->wb, NULL);
  IN_C_NUMERIC (self, err = workbook_close (self->wb));
  self->wb = NULL;
  if (err != LXW_NO_ERROR)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO,
                   _("Cannot write “%s”: %s."), self->path, lxw_strerror (err));
      return FALSE;
    }
  if (g_rename (self->tmp_path, self->path) != 0)
    {
      int saved = errno;
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO,
                   _("Cannot write “%s”: %s."), self->path, g_strerror (saved));
      return FALSE;
    }
  self->closed = TRUE;
  return TRUE;
}

void
tenure_xlsx_free (TenureXlsx *self)
{
  if (self == NULL)
    return;
  if (self->wb != NULL)
    lxw_workbook_free (self->wb);
  if (!self->closed && self->tmp_path != NULL)
    g_unlink (self->tmp_path);
  g_clear_pointer (&self->sheets, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->money_fmt, g_hash_table_unref);
  g_free (self->path);
  g_free (self->tmp_path);
  g_free (self);
}

/* ---- sheets ------------------------------------------------------------------------------ */

/* A valid Excel sheet name: no []:*?/\, not blank, no apostrophe at either end, at most 31
 * characters, unique among this workbook's sheets (Excel compares without case). */
static char *
unique_sheet_name (TenureXlsx *self,
                   const char *wanted)
{
  g_autoptr(GString) clean = g_string_new (NULL);

  for (const char *p = wanted ? wanted : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (strchr ("[]:*?/\\", (int) c) != NULL && c < 0x80)
        g_string_append_c (clean, '_');
      else if (g_unichar_iscntrl (c))
        g_string_append_c (clean, ' ');
      else
        g_string_append_unichar (clean, c);
    }
  g_strstrip (clean->str);
  g_string_set_size (clean, strlen (clean->str));
  while (clean->len > 0 && clean->str[0] == '\'')
    g_string_erase (clean, 0, 1);
  while (clean->len > 0 && clean->str[clean->len - 1] == '\'')
    g_string_truncate (clean, clean->len - 1);
  if (clean->len == 0)
    g_string_assign (clean, "Sheet");

  for (guint n = 1;; n++)
    {
      g_autofree char *suffix = n == 1 ? g_strdup ("") : g_strdup_printf (" (%u)", n);
      glong keep = 31 - (glong) strlen (suffix);
      g_autofree char *head = NULL;
      g_autofree char *name = NULL;
      g_autofree char *key = NULL;

      head = g_utf8_substring (clean->str, 0, MIN (keep, g_utf8_strlen (clean->str, -1)));
      g_strchomp (head);
      name = g_strconcat (head, suffix, NULL);
      key = g_utf8_casefold (name, -1);
      if (!g_hash_table_contains (self->names, key))
        {
          g_hash_table_add (self->names, g_steal_pointer (&key));
          return g_steal_pointer (&name);
        }
    }
}

TenureXlsxSheet *
tenure_xlsx_add_sheet (TenureXlsx              *self,
                       const char              *name,
                       const TenureXlsxColumn  *columns,
                       guint                    n_columns,
                       GError                 **error)
{
  TenureXlsxSheet *sheet;
  g_autofree char *valid = NULL;

  g_return_val_if_fail (self != NULL && self->wb != NULL, NULL);
  g_return_val_if_fail (n_columns > 0, NULL);

  valid = unique_sheet_name (self, name);
  sheet = g_new0 (TenureXlsxSheet, 1);
  sheet->owner = self;
  sheet->ws = workbook_add_worksheet (self->wb, valid);
  if (sheet->ws == NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED,
                   _("Cannot add the sheet “%s” to “%s”."), valid, self->path);
      g_free (sheet);
      return NULL;
    }
  sheet->name = g_steal_pointer (&valid);
  sheet->columns = g_memdup2 (columns, sizeof (TenureXlsxColumn) * n_columns);
  sheet->n_columns = n_columns;
  sheet->width = g_new0 (guint, n_columns);
  g_ptr_array_add (self->sheets, sheet);

  for (guint c = 0; c < n_columns; c++)
    {
      sheet->width[c] = text_width (columns[c].title);
      IN_C_NUMERIC (self, worksheet_write_string (sheet->ws, 0, c, columns[c].title,
                                                  self->header_fmt));
      /* The caller's titles may not outlive this call; charts name series by cell. */
      sheet->columns[c].title = NULL;
    }
  worksheet_freeze_panes (sheet->ws, 1, 0);
  sheet->row = 1;
  return sheet;
}

const char *
tenure_xlsx_sheet_get_name (TenureXlsxSheet *sheet)
{
  return sheet->name;
}

guint
tenure_xlsx_sheet_get_rows (TenureXlsxSheet *sheet)
{
  return sheet->row - 1;
}

static gboolean
cell_failed (TenureXlsxSheet  *sheet,
             guint             col,
             lxw_error         err,
             GError          **error)
{
  char cell[16];

  lxw_rowcol_to_cell (cell, sheet->row, (lxw_col_t) col);
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED,
               _("Cannot write cell %s of the sheet “%s” in “%s”: %s."), cell, sheet->name,
               sheet->owner->path, lxw_strerror (err));
  return FALSE;
}

static gboolean
check_column (TenureXlsxSheet  *sheet,
              guint             col,
              gboolean          ok_kind,
              GError          **error)
{
  if (col < sheet->n_columns && ok_kind)
    return TRUE;
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED,
               "column %u of the sheet “%s” does not take this kind of value", col,
               sheet->name);
  return FALSE;
}

gboolean
tenure_xlsx_write_text (TenureXlsxSheet  *sheet,
                        guint             col,
                        const char       *text,
                        GError          **error)
{
  lxw_error err;
  guint w;

  if (!check_column (sheet, col, sheet->columns[MIN (col, sheet->n_columns - 1)].kind
                                   == TENURE_XLSX_TEXT, error))
    return FALSE;
  if (text == NULL || *text == '\0')
    return TRUE;
  IN_C_NUMERIC (sheet->owner,
                err = worksheet_write_string (sheet->ws, sheet->row, (lxw_col_t) col, text,
                                              NULL));
  if (err != LXW_NO_ERROR)
    return cell_failed (sheet, col, err, error);
  /* A character is never wider than its UTF-8 bytes: most cells of a long sheet are no
   * longer than the widest so far, and need no measuring. */
  if (sheet->width[col] < MAX_COLUMN_WIDTH && strlen (text) > sheet->width[col])
    {
      w = text_width (text);
      if (w > sheet->width[col])
        sheet->width[col] = w;
    }
  return TRUE;
}

static lxw_format *
money_format (TenureXlsx           *self,
              const TenureCurrency *currency)
{
  lxw_format *fmt;
  g_autofree char *zeros = NULL;
  g_autofree char *number = NULL;
  g_autofree char *spec = NULL;

  if (self->last_money_fmt != NULL && strcmp (currency->code, self->last_money_code) == 0)
    return self->last_money_fmt;
  fmt = g_hash_table_lookup (self->money_fmt, currency->code);
  if (fmt != NULL)
    {
      g_strlcpy (self->last_money_code, currency->code, sizeof self->last_money_code);
      self->last_money_fmt = fmt;
      return fmt;
    }
  zeros = currency->digits > 0 ? g_strnfill (currency->digits, '0') : g_strdup ("");
  number = g_strdup_printf ("#,##0%s%s", currency->digits > 0 ? "." : "", zeros);
  /* "¥"#,##0.00;-"¥"#,##0.00: the symbol before the number, the sign before the symbol. */
  spec = g_strdup_printf ("\"%s\"%s;-\"%s\"%s", currency->symbol, number, currency->symbol,
                          number);
  fmt = workbook_add_format (self->wb);
  format_set_num_format (fmt, spec);
  g_hash_table_insert (self->money_fmt, g_strdup (currency->code), fmt);
  g_strlcpy (self->last_money_code, currency->code, sizeof self->last_money_code);
  self->last_money_fmt = fmt;
  return fmt;
}

static const double pow10_table[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };

gboolean
tenure_xlsx_write_money (TenureXlsxSheet       *sheet,
                         guint                  col,
                         gint64                 minor,
                         const TenureCurrency  *currency,
                         GError               **error)
{
  lxw_error err;
  guint64 mag;
  guint digits, w;

  if (!check_column (sheet, col, sheet->columns[MIN (col, sheet->n_columns - 1)].kind
                                   == TENURE_XLSX_MONEY, error))
    return FALSE;
  if (currency == NULL)
    currency = tenure_currency_default ();
  digits = MIN (currency->digits, G_N_ELEMENTS (pow10_table) - 1);
  if (minor > TENURE_XLSX_MAX_EXACT || minor < -TENURE_XLSX_MAX_EXACT)
    {
      char cell[16];
      g_autofree char *text = tenure_money_format (tenure_money_new (minor, currency), 0);

      lxw_rowcol_to_cell (cell, sheet->row, (lxw_col_t) col);
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW,
                   _("The amount %s in cell %s of the sheet “%s” is too large for an Excel "
                     "number to keep every cent."), text, cell, sheet->name);
      return FALSE;
    }
  /* The one conversion to floating point, at the last step. */
  IN_C_NUMERIC (sheet->owner,
                err = worksheet_write_number (sheet->ws, sheet->row, (lxw_col_t) col,
                                              (double) minor / pow10_table[digits],
                                              money_format (sheet->owner, currency)));
  if (err != LXW_NO_ERROR)
    return cell_failed (sheet, col, err, error);

  mag = minor < 0 ? (guint64) -minor : (guint64) minor;
  for (guint i = 0; i < digits; i++)
    mag /= 10;
  w = grouped_digits (mag) + (digits > 0 ? digits + 1 : 0) + (minor < 0 ? 1 : 0);
  /* The symbol's bytes bound its width: measure it only when that could widen the column. */
  if (w + strlen (currency->symbol) > sheet->width[col])
    {
      w += text_width (currency->symbol);
      if (w > sheet->width[col])
        sheet->width[col] = w;
    }
  return TRUE;
}

gboolean
tenure_xlsx_write_date (TenureXlsxSheet  *sheet,
                        guint             col,
                        TenureDate        date,
                        GError          **error)
{
  lxw_error err;
  gint32 serial;

  if (!check_column (sheet, col, sheet->columns[MIN (col, sheet->n_columns - 1)].kind
                                   == TENURE_XLSX_DATE, error))
    return FALSE;
  if (!tenure_date_is_valid (date))
    return TRUE;
  if (!tenure_date_to_excel_serial (date, FALSE, &serial, error))
    return FALSE;
  IN_C_NUMERIC (sheet->owner,
                err = worksheet_write_number (sheet->ws, sheet->row, (lxw_col_t) col, serial,
                                              sheet->owner->date_fmt));
  if (err != LXW_NO_ERROR)
    return cell_failed (sheet, col, err, error);
  if (sheet->width[col] < 10)
    sheet->width[col] = 10;
  return TRUE;
}

gboolean
tenure_xlsx_write_scaled (TenureXlsxSheet  *sheet,
                          guint             col,
                          gint64            value,
                          GError          **error)
{
  TenureXlsx *self = sheet->owner;
  TenureXlsxKind kind = sheet->columns[MIN (col, sheet->n_columns - 1)].kind;
  lxw_format *fmt;
  double number;
  guint decimals;
  guint64 mag = value < 0 ? (guint64) -value : (guint64) value;
  guint w;
  lxw_error err;

  switch (kind)
    {
    case TENURE_XLSX_INTEGER:
      fmt = self->integer_fmt;
      decimals = 0;
      number = (double) value;
      break;
    case TENURE_XLSX_AREA:
      fmt = self->area_fmt;
      decimals = 2;
      number = (double) value / 100.0;
      break;
    case TENURE_XLSX_PRICE:
      fmt = self->price_fmt;
      decimals = 4;
      number = (double) value / 10000.0;
      break;
    case TENURE_XLSX_PERCENT:
      /* ppm → a fraction shown as 0.00%. */
      fmt = self->percent_fmt;
      decimals = 2;
      number = (double) value / 1000000.0;
      mag /= 10000;
      break;
    default:
      return check_column (sheet, col, FALSE, error);
    }
  if (!check_column (sheet, col, TRUE, error))
    return FALSE;
  if (value > TENURE_XLSX_MAX_EXACT || value < -TENURE_XLSX_MAX_EXACT)
    {
      char cell[16];

      lxw_rowcol_to_cell (cell, sheet->row, (lxw_col_t) col);
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_OVERFLOW,
                   _("The value in cell %s of the sheet “%s” is too large for an Excel "
                     "number."), cell, sheet->name);
      return FALSE;
    }
  IN_C_NUMERIC (self, err = worksheet_write_number (sheet->ws, sheet->row, (lxw_col_t) col,
                                                    number, fmt));
  if (err != LXW_NO_ERROR)
    return cell_failed (sheet, col, err, error);
  if (kind != TENURE_XLSX_PERCENT)
    for (guint i = 0; i < decimals; i++)
      mag /= 10;
  w = grouped_digits (mag) + (decimals > 0 ? decimals + 1 : 0) + (value < 0 ? 1 : 0)
      + (kind == TENURE_XLSX_PERCENT ? 1 : 0);
  if (w > sheet->width[col])
    sheet->width[col] = w;
  return TRUE;
}

gboolean
tenure_xlsx_end_row (TenureXlsxSheet  *sheet,
                     GError          **error)
{
  if (sheet->row >= MAX_ROW)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_UNSUPPORTED,
                   _("The sheet “%s” is full: Excel holds at most 1,048,576 rows. Export "
                     "one project at a time or one sheet per project."), sheet->name);
      return FALSE;
    }
  sheet->row++;
  return TRUE;
}

/* ---- charts ------------------------------------------------------------------------------ */

gboolean
tenure_xlsx_add_column_chart (TenureXlsxSheet  *sheet,
                              const char       *title,
                              guint             cat_col,
                              const guint      *value_cols,
                              guint             n_value_cols,
                              GError          **error)
{
  TenureXlsx *self = sheet->owner;
  lxw_chart *chart;
  guint last = sheet->row - 1;
  lxw_error err;

  if (last < 1)
    return TRUE; /* nothing to draw */
  chart = workbook_add_chart (self->wb, LXW_CHART_COLUMN);
  if (chart == NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED,
                   _("Cannot add the chart “%s” to “%s”."), title, self->path);
      return FALSE;
    }
  chart_title_set_name (chart, title);
  for (guint i = 0; i < n_value_cols; i++)
    {
      lxw_chart_series *series = chart_add_series (chart, NULL, NULL);

      chart_series_set_categories (series, sheet->name, 1, (lxw_col_t) cat_col, last,
                                   (lxw_col_t) cat_col);
      chart_series_set_values (series, sheet->name, 1, (lxw_col_t) value_cols[i], last,
                               (lxw_col_t) value_cols[i]);
      chart_series_set_name_range (series, sheet->name, 0, (lxw_col_t) value_cols[i]);
    }
  if (n_value_cols < 2)
    chart_legend_set_position (chart, LXW_CHART_LEGEND_NONE);
  err = worksheet_insert_chart (sheet->ws, 1, (lxw_col_t) (sheet->n_columns + 1), chart);
  if (err != LXW_NO_ERROR)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED,
                   _("Cannot add the chart “%s” to “%s”: %s."), title, self->path,
                   lxw_strerror (err));
      return FALSE;
    }
  return TRUE;
}

/* ---- masking ----------------------------------------------------------------------------- */

char *
tenure_xlsx_mask (const char *text)
{
  glong n, keep;
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;
  n = g_utf8_strlen (text, -1);
  keep = MIN (4, n / 3);
  out = g_string_sized_new (strlen (text));
  p = text;
  for (glong i = 0; i < n; i++, p = g_utf8_next_char (p))
    {
      if (i < keep || i >= n - keep)
        g_string_append_unichar (out, g_utf8_get_char (p));
      else
        g_string_append_c (out, '*');
    }
  return g_string_free (out, FALSE);
}
