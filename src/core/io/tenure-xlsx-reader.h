/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "io/tenure-table.h"

G_BEGIN_DECLS

/* Largest uncompressed part an .xlsx may have by default: a guard against zip bombs. */
#define TENURE_XLSX_DEFAULT_MAX_PART_SIZE (G_GUINT64_CONSTANT (1) << 30)

/* An Excel 2007+ workbook (.xlsx) opened for reading: the zip is read with libarchive, each
 * XML part streamed through libxml2, so a sheet never exists as a whole XML text in memory.
 * Errors are TENURE_ERROR_PARSE naming the file and the part ("leases.xlsx:
 * xl/worksheets/sheet1.xml, row 12: …") for a file that is not a zip, a damaged or truncated
 * zip, a missing part, malformed XML, a part larger than the limit, or an unknown sheet. */
typedef struct _TenureXlsxBook TenureXlsxBook;

/* Opens @path and reads the workbook, its relationships, shared strings and styles. A missing
 * file fails with TENURE_ERROR_NOT_FOUND, an unreadable one with TENURE_ERROR_IO. */
TenureXlsxBook *tenure_xlsx_book_open            (const char *path,
                                                  GError    **error);
/* Same with another limit on the uncompressed size of any part, in bytes. */
TenureXlsxBook *tenure_xlsx_book_open_with_limit (const char *path,
                                                  guint64     max_part_size,
                                                  GError    **error);
void            tenure_xlsx_book_free            (TenureXlsxBook *book);

/* Sheets in workbook order (hidden ones included). */
guint           tenure_xlsx_book_get_n_sheets    (const TenureXlsxBook *book);
const char     *tenure_xlsx_book_get_sheet_name  (const TenureXlsxBook *book, guint index);
/* TRUE when the workbook counts dates from 1904 (old Mac Excel). */
gboolean        tenure_xlsx_book_get_date1904    (const TenureXlsxBook *book);

/* Reads the sheet called @name (exactly, else ignoring ASCII case), or the first sheet when
 * @name is NULL, into a table (origin TENURE_TABLE_SHEET) whose rows are numbered as in Excel.
 * Rows and cells missing from the file are filled in as empty, so row i of the table is sheet
 * row i + 1. Strings, numbers, booleans, errors, formula results and dates (numbers whose
 * format is a date or time format, converted with tenure_date_from_excel_serial()) become
 * the matching TenureCell kinds; a zero-length string is an EMPTY cell. */
TenureTable    *tenure_xlsx_book_read_sheet      (TenureXlsxBook *book,
                                                  const char     *name,
                                                  GError        **error);
/* Same for the sheet at @index (below tenure_xlsx_book_get_n_sheets()). */
TenureTable    *tenure_xlsx_book_read_sheet_at   (TenureXlsxBook *book,
                                                  guint           index,
                                                  GError        **error);

/* Opens @path and reads one sheet (@sheet_name, or the first when NULL). */
TenureTable    *tenure_xlsx_read_file            (const char *path,
                                                  const char *sheet_name,
                                                  GError    **error);

/* TRUE when the number format @code shows a date or time: it has y, m, d, h or s outside
 * quoted text, [brackets] and escaped characters. */
gboolean        tenure_xlsx_format_code_is_date  (const char *code);
/* TRUE for Excel's built-in date and time formats (14–22, 27–36, 45–47, 50–58). */
gboolean        tenure_xlsx_builtin_format_is_date (guint num_fmt_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureXlsxBook, tenure_xlsx_book_free)

G_END_DECLS
