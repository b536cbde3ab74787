/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "base/tenure-date.h"
#include "export/tenure-xlsx-writer.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Excel reports (issue 5, item 4): rent roll, bill summary, aging and the KPI report with
 * native charts. Each report adds its sheets to a TenureXlsx, so several reports can share one
 * workbook; tenure_export_to_file () writes one report to a file.
 *
 * Headers are translated strings (Chinese under a Chinese locale). Amounts are the integers of
 * the database and of the engines (tenure_kpi_*, tenure_open_items_load) written as numbers.
 * Sensitive fields (tenant ID number, phone, bank account) are masked unless the options say
 * otherwise; the default is the setting "export.mask_sensitive" (true when unset).
 *
 * The bill summary streams its rows (tenure_db_prepare_streaming): on PostgreSQL at most one
 * row is in memory, and rows go to the workbook as they come. */

typedef enum
{
  TENURE_EXPORT_RENT_ROLL,
  TENURE_EXPORT_BILLS,
  TENURE_EXPORT_AGING,
  TENURE_EXPORT_KPI,
  TENURE_EXPORT_RECONCILIATION,
} TenureExportReport;

typedef enum
{
  TENURE_EXPORT_MASK_DEFAULT, /* the setting "export.mask_sensitive", true when unset */
  TENURE_EXPORT_MASK_ON,
  TENURE_EXPORT_MASK_OFF,
} TenureExportMask;

/* FRACTION in [0,1] of this report, ROWS data rows written so far; called from the exporting
 * thread every few hundred rows. */
typedef void (*TenureExportProgressFunc) (double   fraction,
                                          guint64  rows,
                                          gpointer user_data);

typedef struct
{
  TenureDate                as_of;             /* required */
  const char               *project_code;      /* NULL: every project */
  gboolean                  sheet_per_project;
  TenureExportMask          mask;
  TenureExportProgressFunc  progress;
  gpointer                  progress_data;
  GCancellable             *cancellable;       /* TENURE_ERROR_CANCELLED, nothing written */
} TenureExportOptions;

/* Parses "rent-roll", "bills", "aging", "kpi", "reconciliation"; TENURE_ERROR_INVALID naming
 * the text. */
gboolean tenure_export_report_parse (const char          *text,
                                     TenureExportReport  *out,
                                     GError             **error);

/* Whether sensitive fields are masked under OPTIONS (reads the setting for the default). */
gboolean tenure_export_mask_enabled (TenureDb                   *db,
                                     const TenureExportOptions  *options,
                                     GError                    **error);

/* Rent roll as of the date (tenure_kpi_rent_roll): one row per unit and charge, vacant units
 * included. */
gboolean tenure_export_rent_roll    (TenureDb                   *db,
                                     TenureXlsx                 *xlsx,
                                     const TenureExportOptions  *options,
                                     GError                    **error);
/* Bill summary: one row per bill posted on or before the date (credit and debit notes
 * included), by project, tenant, contract and period: billed, tax, received (allocations of
 * receipts), open (tenure_open_items_load). */
gboolean tenure_export_bills        (TenureDb                   *db,
                                     TenureXlsx                 *xlsx,
                                     const TenureExportOptions  *options,
                                     GError                    **error);
/* Aging on the date (domain §10 buckets: not due, 1–30, 31–60, 61–90, 91–180, 181–365,
 * >365 days past due) per project, tenant and currency, plus a sheet of the open items. */
gboolean tenure_export_aging        (TenureDb                   *db,
                                     TenureXlsx                 *xlsx,
                                     const TenureExportOptions  *options,
                                     GError                    **error);
/* KPI report: occupancy by project, expiry density over 24 months and aging totals, each with
 * a native column chart over its cells. */
gboolean tenure_export_kpi          (TenureDb                   *db,
                                     TenureXlsx                 *xlsx,
                                     const TenureExportOptions  *options,
                                     GError                    **error);

/* Reconciliation (tenure_reconcile_run) of the month of the as-of date: every legal entity,
 * or the project given; one row per entity and currency (receivable, received, difference,
 * unresolved differences) and a sheet of the differences with their causes and resolutions.
 * Like `tenure-cli reconcile`, this refreshes the stored reconciliation of an open period. */
gboolean tenure_export_reconciliation (TenureDb                   *db,
                                       TenureXlsx                 *xlsx,
                                       const TenureExportOptions  *options,
                                       GError                    **error);

/* Writes REPORT to PATH (constant-memory mode for the bill summary). On any failure or
 * cancellation no file is left at PATH (an existing file there stays as it was). */
gboolean tenure_export_to_file      (TenureDb                   *db,
                                     TenureExportReport          report,
                                     const char                 *path,
                                     const TenureExportOptions  *options,
                                     GError                    **error);

/* The same in a worker thread with its own connection to DB_LOCATION (a TenureDb is used from
 * one thread at a time), for the app: OPTIONS is copied; its progress callback is called in
 * the thread-default main context of the caller, never after CALLBACK. Cancelling
 * OPTIONS->cancellable (or CANCELLABLE, the same one or NULL) ends it with
 * TENURE_ERROR_CANCELLED and no file. */
void     tenure_export_to_file_async  (const char                 *db_location,
                                       TenureExportReport          report,
                                       const char                 *path,
                                       const TenureExportOptions  *options,
                                       GAsyncReadyCallback         callback,
                                       gpointer                    user_data);
gboolean tenure_export_to_file_finish (GAsyncResult               *result,
                                       GError                    **error);

G_END_DECLS
