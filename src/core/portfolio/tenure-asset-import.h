/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "base/tenure-date.h"
#include "io/tenure-table.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Batch import of units (with the buildings and floors they need) from a sheet or CSV file.
 *
 * 1. tenure_asset_import_read_file () reads .xlsx or .csv into a TenureTable;
 * 2. tenure_asset_import_preview () finds the columns by their headers (a TenureAssetMapping),
 *    parses and validates every row against the file and the database, and lists EVERY error
 *    by row and column; it writes nothing;
 * 3. tenure_asset_import_apply () writes the rows in one transaction: only when no row has an
 *    error, or, with TENURE_ASSET_IMPORT_SKIP_BAD_ROWS, the good rows only. A cancel or any
 *    failure leaves the database as it was. */

/* The fields of a unit row. */
typedef enum
{
  TENURE_ASSET_FIELD_PROJECT,       /* project code, must exist */
  TENURE_ASSET_FIELD_BUILDING,      /* building code or name in the project; created if new */
  TENURE_ASSET_FIELD_FLOOR,         /* floor code or name in the building; created if new */
  TENURE_ASSET_FIELD_UNIT_CODE,     /* unique in the file and the database */
  TENURE_ASSET_FIELD_NAME,          /* blank: the unit code */
  TENURE_ASSET_FIELD_FORMAT,        /* blank: the project's format */
  TENURE_ASSET_FIELD_GFA,           /* gross floor area */
  TENURE_ASSET_FIELD_LEASABLE,      /* blank or no column: the GFA */
  TENURE_ASSET_FIELD_STATUS,        /* blank: available */
  TENURE_ASSET_FIELD_ASKING_PRICE,  /* yuan per m², 4 decimals; blank: none */
  TENURE_ASSET_FIELD_PRICE_BASIS,   /* per month (default) or per day */
  TENURE_ASSET_FIELD_LEASE_START,   /* read and checked, shown in the preview; not stored */
  TENURE_ASSET_FIELD_LEASE_END,     /* same; must not be before the start */
  TENURE_ASSET_N_FIELDS
} TenureAssetField;

/* Unit of the area columns in the file; stored areas are always 0.01 m². */
typedef enum
{
  TENURE_AREA_SQUARE_METRE,
  TENURE_AREA_SQUARE_FOOT,  /* × 0.09290304, rounded half away from zero to 0.01 m² */
} TenureAreaUnit;

/* Which header names each field has in the file, constants for fields the file lacks, and
 * the area unit. */
typedef struct _TenureAssetMapping TenureAssetMapping;

/* The default mapping: each field under its usual Chinese and English headers (项目编码 /
 * project code, 楼栋 / building, 楼层 / floor, 单元编码 / unit code, 名称 / name, 业态 / format,
 * 建筑面积 / GFA, 可租面积 / leasable area, 状态 / status, 报价 / asking price, 报价单位 / price
 * basis, …), compared ignoring case, spaces and full-width forms; areas in m². */
TenureAssetMapping *tenure_asset_mapping_new          (void);
TenureAssetMapping *tenure_asset_mapping_copy         (const TenureAssetMapping *mapping);
void                tenure_asset_mapping_free         (TenureAssetMapping *mapping);
/* Reads @field from the column headed @header only (replacing the default names); NULL: the
 * field is not read from the file (its constant, if any, applies). */
void                tenure_asset_mapping_set_column   (TenureAssetMapping *mapping,
                                                       TenureAssetField    field,
                                                       const char         *header);
/* Adds one more header name under which @field is found. */
void                tenure_asset_mapping_add_column   (TenureAssetMapping *mapping,
                                                       TenureAssetField    field,
                                                       const char         *header);
/* The value of @field for every row whose file has no such column, or whose cell is blank
 * (e.g. the project code for a file of one project); NULL clears it. */
void                tenure_asset_mapping_set_constant (TenureAssetMapping *mapping,
                                                       TenureAssetField    field,
                                                       const char         *value);
const char         *tenure_asset_mapping_get_constant (const TenureAssetMapping *mapping,
                                                       TenureAssetField          field);
void                tenure_asset_mapping_set_area_unit (TenureAssetMapping *mapping,
                                                        TenureAreaUnit      unit);

/* The field's name for messages, translated ("unit code"). */
const char         *tenure_asset_field_label          (TenureAssetField field);

/* One data row as parsed. Text fields are NULL when missing; areas in 0.01 m² (0 when
 * missing or bad); @asking_price_e4 -1 when none; dates TENURE_DATE_INVALID when none. */
typedef struct
{
  guint       row_number;      /* row of the sheet, or physical line of the CSV file */
  gboolean    ok;              /* no error on this row */
  char       *project_code;
  char       *building;
  char       *floor;
  char       *unit_code;
  char       *name;
  char       *format;          /* 'mall', 'office', 'industrial_park', 'apartment' */
  char       *status;          /* 'available', 'reserved', 'not_for_lease', 'renovation' */
  char       *price_basis;     /* 'per_m2_month' or 'per_m2_day' */
  gint64      gfa_area_c;
  gint64      leasable_area_c;
  gint64      asking_price_e4;
  TenureDate  lease_start;
  TenureDate  lease_end;
} TenureAssetRow;

/* One error: where and what. @column is -1 for a row-wide problem; @location is the reader's
 * own wording ("units.xlsx, sheet Sheet1, row 12, column D (单元编码)"). */
typedef struct
{
  guint        row_number;
  int          column;          /* 0-based, -1 for none */
  char        *column_name;     /* "D" for a sheet, "4" for CSV; NULL without column */
  char        *header;          /* header text of the column, or NULL */
  char        *text;            /* the cell as written, or NULL (no column, blank cell) */
  TenureAssetField field;
  char        *message;         /* translated, without the location */
  char        *location;        /* translated */
} TenureAssetIssue;

/* The outcome of tenure_asset_import_preview (). */
typedef struct _TenureAssetPreview TenureAssetPreview;

/* Progress from 0 to 1. Called on the thread doing the work. */
typedef void (*TenureAssetProgressFunc) (double fraction, gpointer user_data);

/* Reads @path as a workbook (.xlsx, first sheet or @sheet_name) or CSV (any other name; UTF-8,
 * UTF-16 or GBK). Errors as from the readers (TENURE_ERROR_NOT_FOUND, _IO, _PARSE, _ENCODING). */
TenureTable *tenure_asset_import_read_file (const char  *path,
                                            const char  *sheet_name,
                                            GError     **error);

/* Finds the header row (among the first 20 rows, the first holding a unit-code header and the
 * GFA or leasable-area header; it becomes @table's header row), parses and checks every
 * non-blank row below it: the rules of the asset ledger (codes unique across the asset tree,
 * tenure_asset_ledger_validate () for rows on an existing floor) plus the file's own (a code
 * twice in the file). A floor is found by code, name or number ("3", "3F" and "3层" are one). Fails
 * (TENURE_ERROR_INVALID) only when the file has no such header row or a field that has no
 * constant lacks its column, with TENURE_ERROR_CANCELLED when @cancellable fires, or on a
 * database error; every problem of a row is an issue of the preview instead. Writes nothing. */
TenureAssetPreview *tenure_asset_import_preview (TenureDb                 *db,
                                                 const TenureTable        *table,
                                                 const TenureAssetMapping *mapping,
                                                 TenureAssetProgressFunc   progress,
                                                 gpointer                  user_data,
                                                 GCancellable             *cancellable,
                                                 GError                  **error);
void                tenure_asset_preview_free    (TenureAssetPreview *preview);

/* Data rows (blank rows are left out), in file order. */
guint                   tenure_asset_preview_get_n_rows     (const TenureAssetPreview *preview);
const TenureAssetRow   *tenure_asset_preview_get_row        (const TenureAssetPreview *preview,
                                                             guint                     index);
/* Rows with at least one error. */
guint                   tenure_asset_preview_get_n_bad_rows (const TenureAssetPreview *preview);
/* Errors sorted by row, then column. */
guint                   tenure_asset_preview_get_n_issues   (const TenureAssetPreview *preview);
const TenureAssetIssue *tenure_asset_preview_get_issue      (const TenureAssetPreview *preview,
                                                             guint                     index);
/* The column (0-based) @field was read from, or -1. */
int                     tenure_asset_preview_get_column     (const TenureAssetPreview *preview,
                                                             TenureAssetField          field);
/* Buildings and floors that the import would create. */
guint                   tenure_asset_preview_get_n_new_buildings (const TenureAssetPreview *p);
guint                   tenure_asset_preview_get_n_new_floors    (const TenureAssetPreview *p);

typedef enum
{
  TENURE_ASSET_IMPORT_DEFAULT       = 0,
  /* Import the good rows and leave out those with errors. */
  TENURE_ASSET_IMPORT_SKIP_BAD_ROWS = 1 << 0,
} TenureAssetImportFlags;

/* What tenure_asset_import_apply () wrote. */
typedef struct
{
  guint units;
  guint buildings;
  guint floors;
  guint skipped_rows;
} TenureAssetImportResult;

/* Writes the preview's rows in one transaction: missing buildings and floors first, then the
 * units, each through tenure_asset_ledger_create () (the ledger's checks; audited like every
 * change). Refuses with TENURE_ERROR_INVALID when rows have errors and @flags lacks
 * SKIP_BAD_ROWS, or when no row is left to import; TENURE_ERROR_CANCELLED on cancel; a row the
 * ledger refuses now (a code taken since the preview) fails with its error prefixed by the row
 * ("Row 12, unit X: …"). On any failure nothing is written. */
gboolean tenure_asset_import_apply (TenureDb                 *db,
                                    const TenureAssetPreview *preview,
                                    TenureAssetImportFlags    flags,
                                    TenureAssetProgressFunc   progress,
                                    gpointer                  user_data,
                                    GCancellable             *cancellable,
                                    TenureAssetImportResult  *result,
                                    GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureAssetMapping, tenure_asset_mapping_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureAssetPreview, tenure_asset_preview_free)

G_END_DECLS
