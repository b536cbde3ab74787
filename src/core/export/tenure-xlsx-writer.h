/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "base/tenure-date.h"
#include "base/tenure-money.h"

G_BEGIN_DECLS

/* A thin writer over libxlsxwriter for Tenure's Excel reports.
 *
 * - The file is written under a temporary name beside the target and renamed over it only by
 *   tenure_xlsx_close (): a failed or abandoned export (tenure_xlsx_free () without close)
 *   leaves no file, and never a half-written one under the target name.
 * - Amounts are written as numbers from integer minor units, converted at the last step
 *   (|minor| ≤ TENURE_XLSX_MAX_EXACT, so the cell reads back to the fen), with the currency's symbol and decimals as the
 *   cell's number format; dates as Excel serial days with a date format.
 * - Every sheet gets a bold header row, frozen, with an autofilter over its rows, and column
 *   widths computed from what was written (a CJK character counts as two).
 * - Numbers are formatted in the C locale whatever LC_NUMERIC says (libxlsxwriter prints them
 *   with printf): the writer switches its thread's numeric locale while it lives.
 * - In constant-memory mode (large exports) rows must be written top to bottom per sheet.
 *
 * One writer is used from one thread. */

typedef struct _TenureXlsx      TenureXlsx;
typedef struct _TenureXlsxSheet TenureXlsxSheet;

typedef enum
{
  TENURE_XLSX_TEXT,
  TENURE_XLSX_MONEY,    /* minor units of the currency given per cell */
  TENURE_XLSX_DATE,
  TENURE_XLSX_INTEGER,
  TENURE_XLSX_AREA,     /* 0.01 m², two decimals */
  TENURE_XLSX_PRICE,    /* 0.0001 yuan, four decimals */
  TENURE_XLSX_PERCENT,  /* parts per million, shown as a percentage with two decimals */
} TenureXlsxKind;

typedef struct
{
  const char     *title;  /* translated header */
  TenureXlsxKind  kind;
} TenureXlsxColumn;

/* Largest |minor units| written as a number. A double holds every integer up to 2^53, but
 * libxlsxwriter prints cells with 16 significant digits and only 15 are sure to read back as
 * the same decimal: 999,999,999,999,999 fen (about 10 trillion yuan) is the limit. */
#define TENURE_XLSX_MAX_EXACT G_GINT64_CONSTANT (999999999999999)

/* Starts a workbook that will become PATH. Fails with TENURE_ERROR_IO naming the path when its
 * folder does not exist or cannot be written (checked now, before any work). */
TenureXlsx      *tenure_xlsx_new            (const char              *path,
                                             gboolean                 constant_memory,
                                             GError                 **error);
/* Writes the workbook and renames it to its path; the writer stays to be freed. */
gboolean         tenure_xlsx_close          (TenureXlsx              *self,
                                             GError                 **error);
/* Frees the writer; without a successful close the temporary file is removed. */
void             tenure_xlsx_free           (TenureXlsx              *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureXlsx, tenure_xlsx_free)

const char      *tenure_xlsx_get_path       (TenureXlsx              *self);

/* Adds a sheet named NAME (made valid and unique: at most 31 characters, no []:*?/\) with
 * its header row. The sheet belongs to the writer. */
TenureXlsxSheet *tenure_xlsx_add_sheet      (TenureXlsx              *self,
                                             const char              *name,
                                             const TenureXlsxColumn  *columns,
                                             guint                    n_columns,
                                             GError                 **error);
/* The sheet's name as written (after making it valid). */
const char      *tenure_xlsx_sheet_get_name (TenureXlsxSheet         *sheet);
/* Data rows written so far (the header not counted). */
guint            tenure_xlsx_sheet_get_rows (TenureXlsxSheet         *sheet);

/* Cells of the current data row; COL counts from 0. Each fails (FALSE with ERROR naming the
 * sheet, row and column) when libxlsxwriter refuses the cell, an amount is beyond
 * TENURE_XLSX_MAX_EXACT, or the column's kind does not match. NULL text and invalid dates
 * leave the cell empty. */
gboolean         tenure_xlsx_write_text     (TenureXlsxSheet         *sheet,
                                             guint                    col,
                                             const char              *text,
                                             GError                 **error);
gboolean         tenure_xlsx_write_money    (TenureXlsxSheet         *sheet,
                                             guint                    col,
                                             gint64                   minor,
                                             const TenureCurrency    *currency,
                                             GError                 **error);
gboolean         tenure_xlsx_write_date     (TenureXlsxSheet         *sheet,
                                             guint                    col,
                                             TenureDate               date,
                                             GError                 **error);
/* An INTEGER, AREA, PRICE or PERCENT column: VALUE in the column's unit. */
gboolean         tenure_xlsx_write_scaled   (TenureXlsxSheet         *sheet,
                                             guint                    col,
                                             gint64                   value,
                                             GError                 **error);
/* Ends the current row; fails when the sheet is full (Excel's 1,048,576 rows). */
gboolean         tenure_xlsx_end_row        (TenureXlsxSheet         *sheet,
                                             GError                 **error);

/* A native column chart of one or more series over this sheet's data rows: categories from
 * column CAT_COL, one series per entry of VALUE_COLS (titled by their headers), placed at
 * (ROW, COL) of TARGET (NULL: this sheet, right of its columns). */
gboolean         tenure_xlsx_add_column_chart (TenureXlsxSheet       *sheet,
                                               const char            *title,
                                               guint                  cat_col,
                                               const guint           *value_cols,
                                               guint                  n_value_cols,
                                               GError               **error);

/* Masks a sensitive value (ID number, phone, bank account): keeps up to four characters at
 * each end, at most a third of the text each, and stars the rest: "6222********1234".
 * NULL stays NULL. */
char            *tenure_xlsx_mask           (const char              *text);

G_END_DECLS
