/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"

G_BEGIN_DECLS

/* What a spreadsheet or CSV cell holds. CSV cells are only ever EMPTY or TEXT: what a text means
 * (an amount, a date) is for the importer to decide. */
typedef enum
{
  TENURE_CELL_EMPTY,
  TENURE_CELL_TEXT,
  TENURE_CELL_NUMBER,
  TENURE_CELL_BOOLEAN,
  TENURE_CELL_DATE,     /* a number formatted as a date or time in Excel */
  TENURE_CELL_ERROR,    /* an Excel error value such as "#N/A" */
} TenureCellKind;

/* One cell, read-only. @text is the cell as written: the CSV field, the Excel string, the
 * number as stored in the file ("45123", "1.5E-3"), "TRUE"/"FALSE", the error ("#DIV/0!");
 * it is "" (never NULL) for an empty cell. @number holds NUMBER values, the serial number of a
 * DATE (with the time of day as fraction) and 0/1 for BOOLEAN. @date is the day of a DATE cell,
 * or TENURE_DATE_INVALID when the serial is no calendar day (a time of day alone, Excel's
 * 1900-02-29, a negative serial). */
typedef struct
{
  TenureCellKind kind;
  TenureDate     date;
  double         number;
  const char    *text;
} TenureCell;

/* Where a table came from: decides how messages name a place (CSV "line 12, column 4",
 * sheets "row 12, column D"). */
typedef enum
{
  TENURE_TABLE_CSV,
  TENURE_TABLE_SHEET,
} TenureTableOrigin;

/* One row: its cells and where it came from. */
typedef struct _TenureRow TenureRow;

/* A sheet or a CSV file read into memory: rows of cells, plus where they came from. */
typedef struct _TenureTable TenureTable;

/* Collects the cells of one row and turns them into a compact TenureRow (one allocation). */
typedef struct _TenureRowBuilder TenureRowBuilder;

/* Highest column and row number any reader accepts (Excel's own limits: XFD, 1,048,576). */
#define TENURE_TABLE_MAX_COLUMNS 16384
#define TENURE_TABLE_MAX_ROWS    1048576

const char *tenure_cell_kind_to_string  (TenureCellKind kind);
/* TRUE for an EMPTY cell and for a text cell holding only white space. */
gboolean    tenure_cell_is_blank        (const TenureCell *cell);

/* Number of cells, counting empty ones up to the last cell present in the source. */
guint             tenure_row_get_n_cells (const TenureRow *row);
/* Cell @column (0-based); an EMPTY cell for any column past the end, never NULL. */
const TenureCell *tenure_row_get_cell    (const TenureRow *row, guint column);
/* Shortcut for tenure_row_get_cell (row, column)->text. */
const char       *tenure_row_get_text    (const TenureRow *row, guint column);
/* Where the row starts in the source: the physical line (1-based) of a CSV file, which differs
 * from the record count when fields contain line breaks, or the row number of a sheet. */
guint             tenure_row_get_number  (const TenureRow *row);
/* TRUE when every cell is blank. */
gboolean          tenure_row_is_blank    (const TenureRow *row);
void              tenure_row_free        (TenureRow *row);

TenureRowBuilder *tenure_row_builder_new       (void);
void              tenure_row_builder_free      (TenureRowBuilder *builder);
/* Forgets the cells added so far. */
void              tenure_row_builder_reset     (TenureRowBuilder *builder);
guint             tenure_row_builder_get_n_cells (const TenureRowBuilder *builder);
/* Sets cell @column (0-based, below TENURE_TABLE_MAX_COLUMNS), filling any gap with empty
 * cells. @text (may be NULL for "") is copied, @text_len bytes or up to NUL when -1. */
void              tenure_row_builder_set       (TenureRowBuilder *builder,
                                                guint             column,
                                                TenureCellKind    kind,
                                                const char       *text,
                                                gssize            text_len,
                                                double            number,
                                                TenureDate        date);
/* Appends a cell after the last one. */
void              tenure_row_builder_append    (TenureRowBuilder *builder,
                                                TenureCellKind    kind,
                                                const char       *text,
                                                gssize            text_len,
                                                double            number,
                                                TenureDate        date);
/* The row built so far, numbered @number (see tenure_row_get_number()); the builder is reset.
 * Free with tenure_row_free(). */
TenureRow        *tenure_row_builder_end       (TenureRowBuilder *builder, guint number);

/* A new empty table. @source is the file it came from, @name the sheet name (or NULL for CSV);
 * both appear in messages. */
TenureTable      *tenure_table_new             (TenureTableOrigin origin,
                                                const char       *source,
                                                const char       *name);
void              tenure_table_free            (TenureTable *table);
/* Takes ownership of @row. */
void              tenure_table_append_row      (TenureTable *table, TenureRow *row);
guint             tenure_table_get_n_rows      (const TenureTable *table);
/* Row @index (0-based, below tenure_table_get_n_rows()). */
const TenureRow  *tenure_table_get_row         (const TenureTable *table, guint index);
/* Highest tenure_row_get_n_cells() of any row. */
guint             tenure_table_get_n_columns   (const TenureTable *table);
const char       *tenure_table_get_source      (const TenureTable *table);
const char       *tenure_table_get_name        (const TenureTable *table);
TenureTableOrigin tenure_table_get_origin      (const TenureTable *table);

/* Index of the first row, among the first @max_rows (0 for all), whose cells contain every
 * name in the NULL-terminated @names (compared with tenure_table_header_equal()); the header
 * line of a bank export that starts with a few lines about the account. -1 when none does. */
int               tenure_table_find_header_row (const TenureTable *table,
                                                const char *const *names,
                                                guint              max_rows);
/* Marks row @index as the header row, which tenure_table_lookup_column() searches and
 * tenure_table_describe_cell() quotes; -1 for none (the default). */
void              tenure_table_set_header_row  (TenureTable *table, int index);
int               tenure_table_get_header_row  (const TenureTable *table);
/* Column (0-based) whose header cell equals @name, or -1 (also without a header row). */
int               tenure_table_lookup_column   (const TenureTable *table, const char *name);
/* The header cell's text of @column, or NULL without a header row or beyond it. */
const char       *tenure_table_get_header      (const TenureTable *table, guint column);
/* Where cell @column of @row is, for messages (translated, newly allocated):
 * "statement.csv, line 12, column 4 (金额)" for CSV, "leases.xlsx, sheet Sheet1, row 12,
 * column D (Lease Number)" for a sheet; the part in parentheses needs a header row. */
char             *tenure_table_describe_cell   (const TenureTable *table,
                                                const TenureRow   *row,
                                                guint              column);

/* Whether two header names are the same: equal after trimming white space (including the
 * ideographic space U+3000), Unicode normalisation (NFKC: full-width letters and brackets
 * become ASCII) and ASCII case folding. */
gboolean          tenure_table_header_equal    (const char *a, const char *b);

/* "A1"-style column name of @column (0-based): 0 → "A", 25 → "Z", 26 → "AA". Newly allocated. */
char             *tenure_column_name           (guint column);
/* Column letters ("A", "aa", "XFD") → 0-based column; FALSE for anything else or beyond XFD. */
gboolean          tenure_column_parse          (const char *letters, guint *column);
/* A cell reference "B12" (optionally "$B$12") → 0-based column and 1-based row number;
 * FALSE when it is not one or outside Excel's limits. */
gboolean          tenure_cell_ref_parse        (const char *ref, guint *column, guint *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureRow, tenure_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureTable, tenure_table_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureRowBuilder, tenure_row_builder_free)

G_END_DECLS
