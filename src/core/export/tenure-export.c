/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-export"

#include "export/tenure-export.h"

#include <string.h>

#include "analytics/tenure-kpi.h"
#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "base/tenure-money.h"
#include "collections/tenure-aging.h"
#include "collections/tenure-open-item.h"
#include "collections/tenure-reconcile.h"

/* Progress and the cancel check come every this many rows. */
#define PROGRESS_EVERY 1000

/* ---- common ------------------------------------------------------------------------------ */

gboolean
tenure_export_report_parse (const char          *text,
                            TenureExportReport  *out,
                            GError             **error)
{
  static const struct { const char *name; TenureExportReport report; } names[] = {
    { "rent-roll", TENURE_EXPORT_RENT_ROLL },
    { "bills", TENURE_EXPORT_BILLS },
    { "aging", TENURE_EXPORT_AGING },
    { "kpi", TENURE_EXPORT_KPI },
    { "reconciliation", TENURE_EXPORT_RECONCILIATION },
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (names); i++)
    if (strcmp (text, names[i].name) == 0)
      {
        *out = names[i].report;
        return TRUE;
      }
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
               _("Unknown report “%s”: use rent-roll, bills, aging, kpi or "
                 "reconciliation."),
               text ? text : "");
  return FALSE;
}

gboolean
tenure_export_mask_enabled (TenureDb                   *db,
                            const TenureExportOptions  *options,
                            GError                    **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = NULL;

  if (options->mask == TENURE_EXPORT_MASK_ON)
    return TRUE;
  if (options->mask == TENURE_EXPORT_MASK_OFF)
    return FALSE;
  stmt = tenure_db_prepare (db, "SELECT value FROM setting WHERE key = 'export.mask_sensitive'",
                            error);
  if (stmt == NULL)
    return TRUE;
  if (tenure_stmt_step (stmt, &local_error))
    value = g_strdup (tenure_stmt_column_text (stmt, 0));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return TRUE;
    }
  if (value == NULL)
    return TRUE;
  g_strstrip (value);
  if (g_ascii_strcasecmp (value, "false") == 0 || g_str_equal (value, "0")
      || g_ascii_strcasecmp (value, "no") == 0 || g_ascii_strcasecmp (value, "off") == 0)
    return FALSE;
  if (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1")
      || g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "on") == 0)
    return TRUE;
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
               _("The setting export.mask_sensitive must be true or false, not “%s”."), value);
  return TRUE;
}

static gboolean
check_cancelled (const TenureExportOptions  *options,
                 GError                    **error)
{
  if (!g_cancellable_is_cancelled (options->cancellable))
    return TRUE;
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_CANCELLED,
               _("The export was cancelled; no file was written."));
  return FALSE;
}

static void
report_progress (const TenureExportOptions *options,
                 guint64                    rows,
                 guint64                    total)
{
  if (options->progress != NULL)
    options->progress (total > 0 ? MIN (1.0, (double) rows / (double) total) : 1.0, rows,
                       options->progress_data);
}

static gboolean
parse_date (const char  *text,
            TenureDate  *out,
            GError     **error)
{
  if (text == NULL)
    {
      *out = TENURE_DATE_INVALID;
      return TRUE;
    }
  return tenure_date_parse_iso (text, out, error);
}

/* The sensitive TEXT as the export shows it. */
static char *
sensitive (const char *text,
           gboolean    mask)
{
  return mask ? tenure_xlsx_mask (text) : g_strdup (text);
}

typedef struct
{
  gint64  id;
  char   *code;
  char   *name;
} Project;

static void
project_free (Project *p)
{
  g_free (p->code);
  g_free (p->name);
  g_free (p);
}

/* The projects an export covers, by code: PROJECT_CODE alone (TENURE_ERROR_NOT_FOUND when
 * there is none), or all. */
static GPtrArray *
load_projects (TenureDb    *db,
               const char  *project_code,
               GError     **error)
{
  g_autoptr(GPtrArray) projects = g_ptr_array_new_with_free_func ((GDestroyNotify) project_free);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  stmt = tenure_db_prepare (db, project_code
                                ? "SELECT id, code, name FROM project WHERE code = $1"
                                : "SELECT id, code, name FROM project ORDER BY code", error);
  if (stmt == NULL)
    return NULL;
  if (project_code)
    tenure_stmt_bind_text (stmt, 1, project_code);
  while (tenure_stmt_step (stmt, &local_error))
    {
      Project *p = g_new0 (Project, 1);

      p->id = tenure_stmt_column_int64 (stmt, 0);
      p->code = g_strdup (tenure_stmt_column_text (stmt, 1));
      p->name = g_strdup (tenure_stmt_column_text (stmt, 2));
      g_ptr_array_add (projects, p);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (project_code != NULL && projects->len == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("There is no project with the code “%s”."), project_code);
      return NULL;
    }
  return g_steal_pointer (&projects);
}

static char *
project_sheet_name (const Project *p)
{
  return g_strdup_printf ("%s %s", p->code, p->name);
}

typedef struct
{
  char *code;
  char *name;
  char *phone;
  char *id_number;
  char *bank_account;
} Tenant;

static void
tenant_free (Tenant *t)
{
  g_free (t->code);
  g_free (t->name);
  g_free (t->phone);
  g_free (t->id_number);
  g_free (t->bank_account);
  g_free (t);
}

/* Tenants by id (gint64 keys), with their sensitive fields masked when MASK. */
static GHashTable *
load_tenants (TenureDb  *db,
              gboolean   mask,
              GError   **error)
{
  g_autoptr(GHashTable) tenants = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         (GDestroyNotify) tenant_free);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  stmt = tenure_db_prepare (db, "SELECT id, code, name, phone, id_number, bank_account "
                                "FROM tenant", error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);
      Tenant *t = g_new0 (Tenant, 1);

      t->code = g_strdup (tenure_stmt_column_text (stmt, 1));
      t->name = g_strdup (tenure_stmt_column_text (stmt, 2));
      t->phone = sensitive (tenure_stmt_column_text (stmt, 3), mask);
      t->id_number = sensitive (tenure_stmt_column_text (stmt, 4), mask);
      t->bank_account = sensitive (tenure_stmt_column_text (stmt, 5), mask);
      g_hash_table_insert (tenants, g_memdup2 (&id, sizeof id), t);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&tenants);
}

static const char *
format_label (const char *format)
{
  if (g_strcmp0 (format, "mall") == 0)
    return _("Shopping mall");
  if (g_strcmp0 (format, "office") == 0)
    return _("Office");
  if (g_strcmp0 (format, "industrial_park") == 0)
    return _("Industrial park");
  if (g_strcmp0 (format, "apartment") == 0)
    return _("Apartment");
  return format;
}

/* ---- rent roll --------------------------------------------------------------------------- */

enum
{
  RR_PROJECT, RR_BUILDING, RR_UNIT, RR_FORMAT, RR_STATUS, RR_LEASABLE, RR_CONTRACT, RR_TENANT,
  RR_PHONE, RR_ID_NUMBER, RR_START, RR_END, RR_LEASED, RR_CHARGE, RR_MONTHLY, RR_PER_M2,
  RR_PRICE, RR_NEXT_REVIEW, RR_DEPOSIT, RR_N_COLUMNS
};

static const char *
unit_status_label (const TenureRentRollRow *r)
{
  if (r->leased)
    return _("Leased");
  if (g_strcmp0 (r->stored_status, "reserved") == 0)
    return _("Reserved");
  if (g_strcmp0 (r->stored_status, "not_for_lease") == 0)
    return _("Not for lease");
  if (g_strcmp0 (r->stored_status, "renovation") == 0)
    return _("Under renovation");
  return _("Vacant");
}

/* Contract code → the tenant's sensitive fields (a Tenant with only those set). */
static GHashTable *
load_contract_tenants (TenureDb  *db,
                       gboolean   mask,
                       GError   **error)
{
  g_autoptr(GHashTable) map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                     (GDestroyNotify) tenant_free);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  stmt = tenure_db_prepare (db, "SELECT c.code, t.code, t.name, t.phone, t.id_number, "
                                "t.bank_account FROM contract c "
                                "JOIN tenant t ON t.id = c.tenant_id", error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, &local_error))
    {
      Tenant *t = g_new0 (Tenant, 1);

      t->code = g_strdup (tenure_stmt_column_text (stmt, 1));
      t->name = g_strdup (tenure_stmt_column_text (stmt, 2));
      t->phone = sensitive (tenure_stmt_column_text (stmt, 3), mask);
      t->id_number = sensitive (tenure_stmt_column_text (stmt, 4), mask);
      t->bank_account = sensitive (tenure_stmt_column_text (stmt, 5), mask);
      g_hash_table_insert (map, g_strdup (tenure_stmt_column_text (stmt, 0)), t);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&map);
}

static gboolean
write_rent_roll_rows (TenureXlsxSheet            *sheet,
                      GPtrArray                  *rows,
                      GHashTable                 *contract_tenants,
                      const TenureExportOptions  *options,
                      guint64                    *done,
                      guint64                     total,
                      GError                    **error)
{
  const TenureCurrency *cny = tenure_currency_default ();

  for (guint i = 0; i < rows->len; i++)
    {
      TenureRentRollRow *r = g_ptr_array_index (rows, i);
      Tenant *t = r->contract_code ? g_hash_table_lookup (contract_tenants, r->contract_code)
                                   : NULL;
      guint n_lines = MAX (1, r->charges ? r->charges->len : 0);

      for (guint k = 0; k < n_lines; k++)
        {
          TenureRentRollCharge *ch = r->charges && k < r->charges->len
                                     ? g_ptr_array_index (r->charges, k) : NULL;

          if (!tenure_xlsx_write_text (sheet, RR_PROJECT, r->project_code, error)
              || !tenure_xlsx_write_text (sheet, RR_BUILDING, r->building_code, error)
              || !tenure_xlsx_write_text (sheet, RR_UNIT, r->unit_code, error)
              || !tenure_xlsx_write_text (sheet, RR_FORMAT, format_label (r->format), error)
              || !tenure_xlsx_write_text (sheet, RR_STATUS, unit_status_label (r), error))
            return FALSE;
          /* Unit figures on the unit's first line only, so a column sums to the truth. */
          if (k == 0 && !tenure_xlsx_write_scaled (sheet, RR_LEASABLE, r->leasable_area_c, error))
            return FALSE;
          if (r->leased)
            {
              if (!tenure_xlsx_write_text (sheet, RR_CONTRACT, r->contract_code, error)
                  || !tenure_xlsx_write_text (sheet, RR_TENANT, r->tenant_name, error)
                  || !tenure_xlsx_write_text (sheet, RR_PHONE, t ? t->phone : NULL, error)
                  || !tenure_xlsx_write_text (sheet, RR_ID_NUMBER, t ? t->id_number : NULL,
                                              error)
                  || !tenure_xlsx_write_date (sheet, RR_START, r->start, error)
                  || !tenure_xlsx_write_date (sheet, RR_END, r->end, error))
                return FALSE;
              if (k == 0
                  && (!tenure_xlsx_write_scaled (sheet, RR_LEASED, r->leased_area_c, error)
                      || !tenure_xlsx_write_money (sheet, RR_DEPOSIT, r->deposit_held, cny,
                                                   error)))
                return FALSE;
            }
          if (ch != NULL)
            {
              if (!tenure_xlsx_write_text (sheet, RR_CHARGE, ch->charge_name, error)
                  || !tenure_xlsx_write_money (sheet, RR_MONTHLY, ch->monthly, cny, error)
                  || !tenure_xlsx_write_scaled (sheet, RR_PER_M2, ch->per_m2_e4, error)
                  || (ch->price_e4 >= 0
                      && !tenure_xlsx_write_scaled (sheet, RR_PRICE, ch->price_e4, error))
                  || !tenure_xlsx_write_date (sheet, RR_NEXT_REVIEW, ch->next_review, error))
                return FALSE;
            }
          if (!tenure_xlsx_end_row (sheet, error))
            return FALSE;
        }
      if (++*done % 200 == 0)
        {
          if (!check_cancelled (options, error))
            return FALSE;
          report_progress (options, *done, total);
        }
    }
  return TRUE;
}

gboolean
tenure_export_rent_roll (TenureDb                   *db,
                         TenureXlsx                 *xlsx,
                         const TenureExportOptions  *options,
                         GError                    **error)
{
  const TenureXlsxColumn columns[RR_N_COLUMNS] = {
    [RR_PROJECT] = { _("Project"), TENURE_XLSX_TEXT },
    [RR_BUILDING] = { _("Building"), TENURE_XLSX_TEXT },
    [RR_UNIT] = { _("Unit"), TENURE_XLSX_TEXT },
    [RR_FORMAT] = { _("Format"), TENURE_XLSX_TEXT },
    [RR_STATUS] = { _("Status"), TENURE_XLSX_TEXT },
    [RR_LEASABLE] = { _("Leasable area (m²)"), TENURE_XLSX_AREA },
    [RR_CONTRACT] = { _("Contract"), TENURE_XLSX_TEXT },
    [RR_TENANT] = { _("Tenant"), TENURE_XLSX_TEXT },
    [RR_PHONE] = { _("Tenant phone"), TENURE_XLSX_TEXT },
    [RR_ID_NUMBER] = { _("Tenant ID number"), TENURE_XLSX_TEXT },
    [RR_START] = { _("Start"), TENURE_XLSX_DATE },
    [RR_END] = { _("End"), TENURE_XLSX_DATE },
    [RR_LEASED] = { _("Leased area (m²)"), TENURE_XLSX_AREA },
    [RR_CHARGE] = { _("Charge"), TENURE_XLSX_TEXT },
    [RR_MONTHLY] = { _("Monthly amount"), TENURE_XLSX_MONEY },
    [RR_PER_M2] = { _("Monthly per m²"), TENURE_XLSX_PRICE },
    [RR_PRICE] = { _("Unit price"), TENURE_XLSX_PRICE },
    [RR_NEXT_REVIEW] = { _("Next review"), TENURE_XLSX_DATE },
    [RR_DEPOSIT] = { _("Deposit held"), TENURE_XLSX_MONEY },
  };
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GHashTable) contract_tenants = NULL;
  gboolean mask;
  guint64 done = 0;
  GError *local_error = NULL;

  g_return_val_if_fail (tenure_date_is_valid (options->as_of), FALSE);

  mask = tenure_export_mask_enabled (db, options, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  projects = load_projects (db, options->project_code, error);
  if (projects == NULL)
    return FALSE;
  contract_tenants = load_contract_tenants (db, mask, error);
  if (contract_tenants == NULL)
    return FALSE;

  if (options->sheet_per_project)
    {
      for (guint i = 0; i < projects->len; i++)
        {
          Project *p = g_ptr_array_index (projects, i);
          g_autofree char *name = project_sheet_name (p);
          g_autoptr(GPtrArray) rows = NULL;
          TenureXlsxSheet *sheet;

          if (!check_cancelled (options, error))
            return FALSE;
          rows = tenure_kpi_rent_roll (db, options->as_of, p->code, error);
          if (rows == NULL)
            return FALSE;
          sheet = tenure_xlsx_add_sheet (xlsx, name, columns, RR_N_COLUMNS, error);
          if (sheet == NULL
              || !write_rent_roll_rows (sheet, rows, contract_tenants, options, &done, 0,
                                        error))
            return FALSE;
          report_progress (options, done, 0);
          if (options->progress)
            options->progress ((double) (i + 1) / projects->len, done, options->progress_data);
        }
    }
  else
    {
      g_autoptr(GPtrArray) rows = tenure_kpi_rent_roll (db, options->as_of,
                                                        options->project_code, error);
      TenureXlsxSheet *sheet;

      if (rows == NULL)
        return FALSE;
      sheet = tenure_xlsx_add_sheet (xlsx, _("Rent roll"), columns, RR_N_COLUMNS, error);
      if (sheet == NULL
          || !write_rent_roll_rows (sheet, rows, contract_tenants, options, &done, rows->len,
                                    error))
        return FALSE;
    }
  if (!check_cancelled (options, error))
    return FALSE;
  report_progress (options, 1, 1);
  return TRUE;
}

/* ---- bill summary ------------------------------------------------------------------------ */

enum
{
  BL_PROJECT, BL_TENANT_CODE, BL_TENANT, BL_PHONE, BL_CONTRACT, BL_BILL, BL_KIND,
  BL_PERIOD_START, BL_PERIOD_END, BL_DUE, BL_POSTING, BL_CURRENCY, BL_BILLED, BL_TAX,
  BL_RECEIVED, BL_OPEN, BL_N_COLUMNS
};

/* The bills' own columns; received and open come from tenure_open_items_balance_by_bill (),
 * read before. Streamed: nothing else may run on the connection until the last row. */
#define BILLS_SQL \
  "SELECT p.code, t.code, t.name, t.phone, c.code, b.code, b.kind, b.period_start, " \
  "       b.period_end, b.due_date, b.posting_date, b.currency, b.total, b.tax, b.id " \
  "FROM bill b " \
  "JOIN contract c ON c.id = b.contract_id " \
  "JOIN project p ON p.id = c.project_id " \
  "JOIN tenant t ON t.id = b.tenant_id " \
  "WHERE b.posting_date <= $1 AND c.project_id = $2 " \
  "ORDER BY t.code, c.code, b.period_start, b.id"

static const char *
bill_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "credit_note") == 0)
    return _("Credit note");
  if (g_strcmp0 (kind, "debit_note") == 0)
    return _("Debit note");
  return _("Bill");
}

static gboolean
count_bills (TenureDb    *db,
             const char  *as_of,
             const char  *project_code,
             guint64     *out,
             GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  gint64 n = 0;

  stmt = tenure_db_prepare (db, project_code
                                ? "SELECT count (*) FROM bill b JOIN contract c "
                                  "ON c.id = b.contract_id JOIN project p ON p.id = c.project_id "
                                  "WHERE b.posting_date <= $1 AND p.code = $2"
                                : "SELECT count (*) FROM bill WHERE posting_date <= $1", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, as_of);
  if (project_code)
    tenure_stmt_bind_text (stmt, 2, project_code);
  if (!tenure_stmt_step_int64 (stmt, &n, error))
    return FALSE;
  *out = (guint64) n;
  return TRUE;
}

/* The bill summary runs in two threads: the calling one reads the database (rows, open
 * amounts, masking, dates) while a writer thread turns rows into cells, so on two cores the
 * reading costs little wall time. Rows travel in batches through a bounded pool (memory
 * stays flat: N_BATCHES × BATCH_ROWS rows at most are in flight). The workbook is used by
 * the writer thread alone until it is joined. */
#define BATCH_ROWS 512
#define N_BATCHES  32
#define NO_TEXT    G_MAXUINT32

enum
{
  BS_PROJECT, BS_TENANT_CODE, BS_TENANT, BS_PHONE, BS_CONTRACT, BS_BILL, BS_N_TEXTS
};

typedef struct
{
  guint32               text[BS_N_TEXTS];  /* offsets into the batch's text; NO_TEXT: none */
  const char           *kind;              /* translated label (static) */
  const TenureCurrency *currency;
  TenureDate            dates[4];          /* period start, period end, due, posting */
  gint64                amounts[4];        /* billed, tax, received, open */
} BillRow;

typedef struct
{
  char     *new_sheet;   /* start a sheet of this name before the rows */
  gboolean  end;         /* the last batch: the writer returns it and stops */
  guint     n_rows;
  GString  *text;
  BillRow   rows[BATCH_ROWS];
} BillBatch;

typedef struct
{
  TenureXlsx             *xlsx;
  const TenureXlsxColumn *columns;
  TenureXlsxSheet        *sheet;    /* the writer's current sheet */
  GAsyncQueue            *full;     /* reader → writer */
  GAsyncQueue            *empty;    /* writer → reader */
  BillBatch              *batch;    /* the reader's, being filled */
  gint                    failed;   /* atomic: the writer stopped on an error */
  GError                 *error;    /* the writer's, read after the join */
} BillPipe;

static void
bill_batch_free (BillBatch *batch)
{
  g_free (batch->new_sheet);
  g_string_free (batch->text, TRUE);
  g_free (batch);
}

static const char *
batch_text (const BillBatch *batch,
            guint32          offset)
{
  return offset == NO_TEXT ? NULL : batch->text->str + offset;
}

static gboolean
write_bill_batch (BillPipe   *pipe,
                  BillBatch  *batch,
                  GError    **error)
{
  if (batch->new_sheet != NULL)
    {
      pipe->sheet = tenure_xlsx_add_sheet (pipe->xlsx, batch->new_sheet, pipe->columns,
                                           BL_N_COLUMNS, error);
      if (pipe->sheet == NULL)
        return FALSE;
    }
  for (guint i = 0; i < batch->n_rows; i++)
    {
      const BillRow *r = &batch->rows[i];
      TenureXlsxSheet *sheet = pipe->sheet;

      for (guint k = 0; k < BS_N_TEXTS; k++)
        if (!tenure_xlsx_write_text (sheet, BL_PROJECT + k, batch_text (batch, r->text[k]),
                                     error))
          return FALSE;
      if (!tenure_xlsx_write_text (sheet, BL_KIND, r->kind, error))
        return FALSE;
      for (guint k = 0; k < 4; k++)
        if (!tenure_xlsx_write_date (sheet, BL_PERIOD_START + k, r->dates[k], error))
          return FALSE;
      if (!tenure_xlsx_write_text (sheet, BL_CURRENCY, r->currency->code, error))
        return FALSE;
      for (guint k = 0; k < 4; k++)
        if (!tenure_xlsx_write_money (sheet, BL_BILLED + k, r->amounts[k], r->currency,
                                      error))
          return FALSE;
      if (!tenure_xlsx_end_row (sheet, error))
        return FALSE;
    }
  return TRUE;
}

static gpointer
bill_writer_thread (gpointer data)
{
  BillPipe *pipe = data;

  for (;;)
    {
      BillBatch *batch = g_async_queue_pop (pipe->full);
      gboolean end = batch->end;

      /* After a failure, batches only go back to the reader until the end. */
      if (!g_atomic_int_get (&pipe->failed) && !write_bill_batch (pipe, batch, &pipe->error))
        g_atomic_int_set (&pipe->failed, 1);
      g_clear_pointer (&batch->new_sheet, g_free);
      batch->end = FALSE;
      batch->n_rows = 0;
      g_string_truncate (batch->text, 0);
      g_async_queue_push (pipe->empty, batch);
      if (end)
        return NULL;
    }
}

/* The reader's batch, taken from the pool (waiting for the writer) when it has none. */
static BillBatch *
pipe_batch (BillPipe *pipe)
{
  if (pipe->batch == NULL)
    pipe->batch = g_async_queue_pop (pipe->empty);
  return pipe->batch;
}

/* Hands the reader's batch to the writer; FALSE when the writer has failed. */
static gboolean
pipe_flush (BillPipe *pipe)
{
  if (pipe->batch != NULL)
    g_async_queue_push (pipe->full, g_steal_pointer (&pipe->batch));
  return !g_atomic_int_get (&pipe->failed);
}

static gboolean
pipe_start_sheet (BillPipe   *pipe,
                  const char *name)
{
  if (pipe->batch != NULL && pipe->batch->n_rows > 0 && !pipe_flush (pipe))
    return FALSE;
  pipe_batch (pipe)->new_sheet = g_strdup (name);
  return TRUE;
}

static guint32
batch_add_text (BillBatch  *batch,
                const char *text)
{
  guint32 offset;

  if (text == NULL)
    return NO_TEXT;
  offset = (guint32) batch->text->len;
  g_string_append_len (batch->text, text, (gssize) strlen (text) + 1);
  return offset;
}

static gboolean
read_bills_of_project (TenureDb                   *db,
                       BillPipe                   *pipe,
                       const Project              *project,
                       const char                 *as_of_text,
                       gboolean                    mask,
                       const TenureExportOptions  *options,
                       guint64                    *done,
                       guint64                     total,
                       GError                    **error)
{
  TenureOpenItemFilter filter = { 0 };
  g_autoptr(GHashTable) balances = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  const TenureCurrency *currency = tenure_currency_default ();
  char last_tenant_phone_code[64] = "";
  g_autofree char *masked_phone = NULL;

  /* Before the stream starts: it holds the connection until its last row. */
  filter.project_id = project->id;
  filter.as_of = options->as_of;
  balances = tenure_open_items_balance_by_bill (db, &filter, error);
  if (balances == NULL)
    return FALSE;
  stmt = tenure_db_prepare_streaming (db, BILLS_SQL, error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, as_of_text);
  tenure_stmt_bind_int64 (stmt, 2, project->id);

  while (tenure_stmt_step (stmt, &local_error))
    {
      const char *cur = tenure_stmt_column_text (stmt, 11);
      const char *tenant_code = tenure_stmt_column_text (stmt, 1);
      gint64 bill_id = tenure_stmt_column_int64 (stmt, 14);
      const TenureBillBalance *balance = g_hash_table_lookup (balances, &bill_id);
      BillBatch *batch;
      BillRow *r;

      if (cur == NULL || g_strcmp0 (cur, currency->code) != 0)
        {
          currency = tenure_currency_lookup (cur ? cur : "");
          if (currency == NULL)
            {
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("The bill %s has an unknown currency “%s”."),
                           tenure_stmt_column_text (stmt, 5), cur ? cur : "");
              return FALSE;
            }
        }
      batch = pipe_batch (pipe);
      r = &batch->rows[batch->n_rows];
      for (guint k = 0; k < 4; k++)
        if (!parse_date (tenure_stmt_column_text (stmt, 7 + k), &r->dates[k], error))
          return FALSE;
      /* Bills come by tenant: mask each tenant's phone once. */
      if (g_strcmp0 (tenant_code, last_tenant_phone_code) != 0)
        {
          g_strlcpy (last_tenant_phone_code, tenant_code ? tenant_code : "",
                     sizeof last_tenant_phone_code);
          g_free (masked_phone);
          masked_phone = sensitive (tenure_stmt_column_text (stmt, 3), mask);
        }
      r->text[BS_PROJECT] = batch_add_text (batch, tenure_stmt_column_text (stmt, 0));
      r->text[BS_TENANT_CODE] = batch_add_text (batch, tenant_code);
      r->text[BS_TENANT] = batch_add_text (batch, tenure_stmt_column_text (stmt, 2));
      r->text[BS_PHONE] = batch_add_text (batch, masked_phone);
      r->text[BS_CONTRACT] = batch_add_text (batch, tenure_stmt_column_text (stmt, 4));
      r->text[BS_BILL] = batch_add_text (batch, tenure_stmt_column_text (stmt, 5));
      r->kind = bill_kind_label (tenure_stmt_column_text (stmt, 6));
      r->currency = currency;
      r->amounts[0] = tenure_stmt_column_int64 (stmt, 12);
      r->amounts[1] = tenure_stmt_column_int64 (stmt, 13);
      r->amounts[2] = balance ? balance->received : 0;
      r->amounts[3] = balance ? balance->open : 0;
      if (++batch->n_rows == BATCH_ROWS && !pipe_flush (pipe))
        return TRUE; /* the caller reports the writer's error */

      /* Rows handed to the writer: at most the pool's worth ahead of the cells. */
      if (++*done % PROGRESS_EVERY == 0)
        {
          if (!check_cancelled (options, error))
            return FALSE;
          report_progress (options, *done, total);
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
export_bills (TenureDb                   *db,
              TenureXlsx                 *xlsx,
              const TenureExportOptions  *options,
              GError                    **error)
{
  const TenureXlsxColumn columns[BL_N_COLUMNS] = {
    [BL_PROJECT] = { _("Project"), TENURE_XLSX_TEXT },
    [BL_TENANT_CODE] = { _("Tenant code"), TENURE_XLSX_TEXT },
    [BL_TENANT] = { _("Tenant"), TENURE_XLSX_TEXT },
    [BL_PHONE] = { _("Tenant phone"), TENURE_XLSX_TEXT },
    [BL_CONTRACT] = { _("Contract"), TENURE_XLSX_TEXT },
    [BL_BILL] = { _("Bill"), TENURE_XLSX_TEXT },
    [BL_KIND] = { _("Kind"), TENURE_XLSX_TEXT },
    [BL_PERIOD_START] = { _("Period start"), TENURE_XLSX_DATE },
    [BL_PERIOD_END] = { _("Period end"), TENURE_XLSX_DATE },
    [BL_DUE] = { _("Due date"), TENURE_XLSX_DATE },
    [BL_POSTING] = { _("Posting date"), TENURE_XLSX_DATE },
    [BL_CURRENCY] = { _("Currency"), TENURE_XLSX_TEXT },
    [BL_BILLED] = { _("Billed"), TENURE_XLSX_MONEY },
    [BL_TAX] = { _("Tax"), TENURE_XLSX_MONEY },
    [BL_RECEIVED] = { _("Received"), TENURE_XLSX_MONEY },
    [BL_OPEN] = { _("Open"), TENURE_XLSX_MONEY },
  };
  g_autoptr(GPtrArray) projects = NULL;
  BillPipe pipe = { 0 };
  GThread *writer;
  char as_of[TENURE_DATE_ISO_BUF_SIZE];
  guint64 total = 0, done = 0;
  gboolean mask, ok = TRUE;
  GError *local_error = NULL;

  g_return_val_if_fail (tenure_date_is_valid (options->as_of), FALSE);

  tenure_date_format_iso_buf (options->as_of, as_of);
  mask = tenure_export_mask_enabled (db, options, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  projects = load_projects (db, options->project_code, error);
  if (projects == NULL || !count_bills (db, as_of, options->project_code, &total, error))
    return FALSE;

  pipe.xlsx = xlsx;
  pipe.columns = columns;
  pipe.full = g_async_queue_new_full ((GDestroyNotify) bill_batch_free);
  pipe.empty = g_async_queue_new_full ((GDestroyNotify) bill_batch_free);
  for (guint i = 0; i < N_BATCHES; i++)
    {
      BillBatch *batch = g_new0 (BillBatch, 1);

      batch->text = g_string_sized_new (BATCH_ROWS * 128);
      g_async_queue_push (pipe.empty, batch);
    }
  writer = g_thread_try_new ("tenure-export", bill_writer_thread, &pipe, error);
  if (writer == NULL)
    ok = FALSE;

  for (guint i = 0; ok && i < projects->len; i++)
    {
      Project *p = g_ptr_array_index (projects, i);

      ok = check_cancelled (options, error);
      if (ok && (i == 0 || options->sheet_per_project))
        {
          g_autofree char *name = options->sheet_per_project ? project_sheet_name (p)
                                                             : g_strdup (_("Bills"));

          ok = pipe_start_sheet (&pipe, name);
        }
      ok = ok && read_bills_of_project (db, &pipe, p, as_of, mask, options, &done, total,
                                        error)
           && !g_atomic_int_get (&pipe.failed);
    }
  if (writer != NULL)
    {
      pipe_batch (&pipe)->end = TRUE;
      pipe_flush (&pipe);
      g_thread_join (writer);
    }
  g_async_queue_unref (pipe.full);
  g_async_queue_unref (pipe.empty);
  if (pipe.error != NULL)
    {
      /* The writer's failure stopped the reader, which then has set no error. */
      if (error == NULL || *error == NULL)
        g_propagate_error (error, g_steal_pointer (&pipe.error));
      g_clear_error (&pipe.error);
      return FALSE;
    }
  if (!ok)
    return FALSE;

  if (pipe.sheet == NULL
      && tenure_xlsx_add_sheet (xlsx, _("Bills"), columns, BL_N_COLUMNS, error) == NULL)
    return FALSE;
  if (!check_cancelled (options, error))
    return FALSE;
  report_progress (options, done, done);
  return TRUE;
}

/* SQLite connections map the database file and keep a 32 MB page cache (for the dashboards'
 * scattered reads). The bill summary reads the whole file once: mapped, every page it touches
 * stays in the process's resident set (hundreds of MB on a large database), and the cache
 * would fill too. For this one pass the connection reads through a 2 MB cache instead, and
 * gets its settings back after, so the export's memory stays flat whatever the file size. */
gboolean
tenure_export_bills (TenureDb                   *db,
                     TenureXlsx                 *xlsx,
                     const TenureExportOptions  *options,
                     GError                    **error)
{
  gint64 mmap_size = 0, cache_size = 0;
  gboolean sqlite, ok;

  sqlite = tenure_db_get_kind (db) == TENURE_DB_SQLITE
           && tenure_db_query_int64 (db, "PRAGMA mmap_size", &mmap_size, NULL)
           && tenure_db_query_int64 (db, "PRAGMA cache_size", &cache_size, NULL)
           && tenure_db_exec (db, "PRAGMA mmap_size=0; PRAGMA cache_size=-2000", NULL);
  ok = export_bills (db, xlsx, options, error);
  if (sqlite)
    {
      g_autofree char *restore = g_strdup_printf ("PRAGMA mmap_size=%" G_GINT64_FORMAT
                                                  "; PRAGMA cache_size=%" G_GINT64_FORMAT,
                                                  mmap_size, cache_size);

      if (!tenure_db_exec (db, restore, NULL))
        g_warning ("could not restore the connection's settings after the export");
    }
  return ok;
}

/* ---- aging ------------------------------------------------------------------------------- */

#define N_BUCKETS TENURE_AGING_N_BUCKETS

/* The buckets of domain §10, as the aging engine defines them. */
static guint
aging_bucket (gint64 days_past_due)
{
  return (guint) tenure_aging_bucket_for_days (days_past_due);
}

static const char *
aging_bucket_label (guint bucket)
{
  return tenure_aging_bucket_label ((TenureAgingBucket) bucket);
}

typedef struct
{
  const char *project_code;
  gint64      tenant_id;
  const char *tenant_code;
  char        currency[4];
  gint64      bucket[N_BUCKETS];
  gint64      total;
} AgingGroup;

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const AgingGroup *x = *(AgingGroup * const *) a;
  const AgingGroup *y = *(AgingGroup * const *) b;
  int c = g_strcmp0 (x->project_code, y->project_code);

  if (c == 0)
    c = g_strcmp0 (x->tenant_code, y->tenant_code);
  if (c == 0)
    c = strcmp (x->currency, y->currency);
  return c;
}

enum
{
  AG_PROJECT, AG_TENANT_CODE, AG_TENANT, AG_PHONE, AG_CURRENCY, AG_BUCKET0,
  AG_TOTAL = AG_BUCKET0 + N_BUCKETS, AG_N_COLUMNS
};

enum
{
  AI_PROJECT, AI_TENANT_CODE, AI_TENANT, AI_CONTRACT, AI_BILL, AI_CHARGE, AI_DUE, AI_DAYS,
  AI_BUCKET, AI_CURRENCY, AI_AMOUNT, AI_OPEN, AI_N_COLUMNS
};

static gboolean
write_aging_scope (TenureDb                   *db,
                   TenureXlsx                 *xlsx,
                   const Project              *project,   /* NULL: all */
                   GHashTable                 *project_codes,
                   GHashTable                 *tenants,
                   const TenureExportOptions  *options,
                   GError                    **error)
{
  TenureXlsxColumn columns[AG_N_COLUMNS] = {
    [AG_PROJECT] = { _("Project"), TENURE_XLSX_TEXT },
    [AG_TENANT_CODE] = { _("Tenant code"), TENURE_XLSX_TEXT },
    [AG_TENANT] = { _("Tenant"), TENURE_XLSX_TEXT },
    [AG_PHONE] = { _("Tenant phone"), TENURE_XLSX_TEXT },
    [AG_CURRENCY] = { _("Currency"), TENURE_XLSX_TEXT },
    [AG_TOTAL] = { _("Total open"), TENURE_XLSX_MONEY },
  };
  const TenureXlsxColumn item_columns[AI_N_COLUMNS] = {
    [AI_PROJECT] = { _("Project"), TENURE_XLSX_TEXT },
    [AI_TENANT_CODE] = { _("Tenant code"), TENURE_XLSX_TEXT },
    [AI_TENANT] = { _("Tenant"), TENURE_XLSX_TEXT },
    [AI_CONTRACT] = { _("Contract"), TENURE_XLSX_TEXT },
    [AI_BILL] = { _("Bill"), TENURE_XLSX_TEXT },
    [AI_CHARGE] = { _("Charge"), TENURE_XLSX_TEXT },
    [AI_DUE] = { _("Due date"), TENURE_XLSX_DATE },
    [AI_DAYS] = { _("Days past due"), TENURE_XLSX_INTEGER },
    [AI_BUCKET] = { _("Aging bucket"), TENURE_XLSX_TEXT },
    [AI_CURRENCY] = { _("Currency"), TENURE_XLSX_TEXT },
    [AI_AMOUNT] = { _("Billed"), TENURE_XLSX_MONEY },
    [AI_OPEN] = { _("Open"), TENURE_XLSX_MONEY },
  };
  TenureOpenItemFilter filter = { 0 };
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *summary_name = NULL;
  g_autofree char *items_name = NULL;
  TenureXlsxSheet *summary, *detail;

  for (guint b = 0; b < N_BUCKETS; b++)
    columns[AG_BUCKET0 + b] = (TenureXlsxColumn) { aging_bucket_label (b), TENURE_XLSX_MONEY };

  filter.project_id = project ? project->id : 0;
  filter.as_of = options->as_of;
  items = tenure_open_items_load (db, &filter, error);
  if (items == NULL)
    return FALSE;

  if (project != NULL)
    {
      summary_name = g_strdup_printf ("%s %s", project->code, _("Aging"));
      items_name = g_strdup_printf ("%s %s", project->code, _("Open items"));
    }
  else
    {
      summary_name = g_strdup (_("Aging"));
      items_name = g_strdup (_("Open items"));
    }
  summary = tenure_xlsx_add_sheet (xlsx, summary_name, columns, AG_N_COLUMNS, error);
  if (summary == NULL)
    return FALSE;
  detail = tenure_xlsx_add_sheet (xlsx, items_name, item_columns, AI_N_COLUMNS, error);
  if (detail == NULL)
    return FALSE;

  /* Open items come in allocation order; the detail sheet keeps it. */
  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (items, i);
      const char *project_code = g_hash_table_lookup (project_codes, &item->project_id);
      Tenant *t = g_hash_table_lookup (tenants, &item->tenant_id);
      const TenureCurrency *currency = tenure_currency_lookup (item->currency);
      gint64 days = (gint64) options->as_of - item->due_date;
      guint bucket = aging_bucket (days);
      g_autofree char *key = NULL;
      AgingGroup *g;

      if (currency == NULL)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("The bill %s has an unknown currency “%s”."), item->bill_code,
                       item->currency);
          return FALSE;
        }
      key = g_strdup_printf ("%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%s", item->project_id,
                             item->tenant_id, item->currency);
      g = g_hash_table_lookup (by_key, key);
      if (g == NULL)
        {
          g = g_new0 (AgingGroup, 1);
          g->project_code = project_code;
          g->tenant_id = item->tenant_id;
          g->tenant_code = t ? t->code : NULL;
          g_strlcpy (g->currency, item->currency, sizeof g->currency);
          g_ptr_array_add (groups, g);
          g_hash_table_insert (by_key, g_steal_pointer (&key), g);
        }
      g->bucket[bucket] += item->open;
      g->total += item->open;

      if (!tenure_xlsx_write_text (detail, AI_PROJECT, project_code, error)
          || !tenure_xlsx_write_text (detail, AI_TENANT_CODE, t ? t->code : NULL, error)
          || !tenure_xlsx_write_text (detail, AI_TENANT, t ? t->name : NULL, error)
          || !tenure_xlsx_write_text (detail, AI_CONTRACT, item->contract_code, error)
          || !tenure_xlsx_write_text (detail, AI_BILL, item->bill_code, error)
          || !tenure_xlsx_write_text (detail, AI_CHARGE, item->charge_item_code, error)
          || !tenure_xlsx_write_date (detail, AI_DUE, item->due_date, error)
          || !tenure_xlsx_write_scaled (detail, AI_DAYS, MAX (days, 0), error)
          || !tenure_xlsx_write_text (detail, AI_BUCKET, aging_bucket_label (bucket), error)
          || !tenure_xlsx_write_text (detail, AI_CURRENCY, item->currency, error)
          || !tenure_xlsx_write_money (detail, AI_AMOUNT, item->amount, currency, error)
          || !tenure_xlsx_write_money (detail, AI_OPEN, item->open, currency, error)
          || !tenure_xlsx_end_row (detail, error))
        return FALSE;
      if ((i + 1) % PROGRESS_EVERY == 0)
        {
          if (!check_cancelled (options, error))
            return FALSE;
          report_progress (options, i + 1, items->len);
        }
    }

  g_ptr_array_sort (groups, compare_groups);
  for (guint i = 0; i < groups->len; i++)
    {
      AgingGroup *g = g_ptr_array_index (groups, i);
      Tenant *t = g_hash_table_lookup (tenants, &g->tenant_id);
      const TenureCurrency *currency = tenure_currency_lookup (g->currency);

      if (!tenure_xlsx_write_text (summary, AG_PROJECT, g->project_code, error)
          || !tenure_xlsx_write_text (summary, AG_TENANT_CODE, t ? t->code : NULL, error)
          || !tenure_xlsx_write_text (summary, AG_TENANT, t ? t->name : NULL, error)
          || !tenure_xlsx_write_text (summary, AG_PHONE, t ? t->phone : NULL, error)
          || !tenure_xlsx_write_text (summary, AG_CURRENCY, g->currency, error))
        return FALSE;
      for (guint b = 0; b < N_BUCKETS; b++)
        if (!tenure_xlsx_write_money (summary, AG_BUCKET0 + b, g->bucket[b], currency, error))
          return FALSE;
      if (!tenure_xlsx_write_money (summary, AG_TOTAL, g->total, currency, error)
          || !tenure_xlsx_end_row (summary, error))
        return FALSE;
    }
  return check_cancelled (options, error);
}

static GHashTable *
project_codes_by_id (TenureDb  *db,
                     GError   **error)
{
  g_autoptr(GPtrArray) all = load_projects (db, NULL, error);
  GHashTable *codes;

  if (all == NULL)
    return NULL;
  codes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint i = 0; i < all->len; i++)
    {
      Project *p = g_ptr_array_index (all, i);
      g_hash_table_insert (codes, g_memdup2 (&p->id, sizeof p->id), g_strdup (p->code));
    }
  return codes;
}

gboolean
tenure_export_aging (TenureDb                   *db,
                     TenureXlsx                 *xlsx,
                     const TenureExportOptions  *options,
                     GError                    **error)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GHashTable) codes = NULL;
  g_autoptr(GHashTable) tenants = NULL;
  gboolean mask;
  GError *local_error = NULL;

  g_return_val_if_fail (tenure_date_is_valid (options->as_of), FALSE);

  mask = tenure_export_mask_enabled (db, options, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  projects = load_projects (db, options->project_code, error);
  if (projects == NULL)
    return FALSE;
  codes = project_codes_by_id (db, error);
  if (codes == NULL)
    return FALSE;
  tenants = load_tenants (db, mask, error);
  if (tenants == NULL)
    return FALSE;

  if (options->sheet_per_project || options->project_code != NULL)
    {
      for (guint i = 0; i < projects->len; i++)
        if (!write_aging_scope (db, xlsx, g_ptr_array_index (projects, i), codes, tenants,
                                options, error))
          return FALSE;
    }
  else if (!write_aging_scope (db, xlsx, NULL, codes, tenants, options, error))
    return FALSE;
  report_progress (options, 1, 1);
  return TRUE;
}

/* ---- KPI report -------------------------------------------------------------------------- */

enum { OC_PROJECT, OC_UNITS, OC_LEASED_UNITS, OC_LEASABLE, OC_LEASED, OC_BY_AREA, OC_BY_UNITS,
       OC_N_COLUMNS };
enum { EX_MONTH, EX_AREA, EX_RENT, EX_AREA_SHARE, EX_RENT_SHARE, EX_N_COLUMNS };

static gboolean
write_kpi_occupancy (TenureDb                   *db,
                     TenureXlsx                 *xlsx,
                     const TenureExportOptions  *options,
                     GError                    **error)
{
  const TenureXlsxColumn columns[OC_N_COLUMNS] = {
    [OC_PROJECT] = { _("Project"), TENURE_XLSX_TEXT },
    [OC_UNITS] = { _("Units"), TENURE_XLSX_INTEGER },
    [OC_LEASED_UNITS] = { _("Leased units"), TENURE_XLSX_INTEGER },
    [OC_LEASABLE] = { _("Leasable area (m²)"), TENURE_XLSX_AREA },
    [OC_LEASED] = { _("Leased area (m²)"), TENURE_XLSX_AREA },
    [OC_BY_AREA] = { _("Occupancy by area"), TENURE_XLSX_PERCENT },
    [OC_BY_UNITS] = { _("Occupancy by units"), TENURE_XLSX_PERCENT },
  };
  static const guint chart_cols[] = { OC_BY_AREA, OC_BY_UNITS };
  g_autoptr(GPtrArray) rows = NULL;
  TenureXlsxSheet *sheet;

  rows = tenure_kpi_occupancy (db, options->as_of, options->project_code,
                               TENURE_KPI_BY_PROJECT, error);
  if (rows == NULL)
    return FALSE;
  sheet = tenure_xlsx_add_sheet (xlsx, _("Occupancy"), columns, OC_N_COLUMNS, error);
  if (sheet == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      TenureKpiOccupancy *o = g_ptr_array_index (rows, i);

      if (!tenure_xlsx_write_text (sheet, OC_PROJECT, o->key, error)
          || !tenure_xlsx_write_scaled (sheet, OC_UNITS, o->units, error)
          || !tenure_xlsx_write_scaled (sheet, OC_LEASED_UNITS, o->leased_units, error)
          || !tenure_xlsx_write_scaled (sheet, OC_LEASABLE, o->leasable_area_c, error)
          || !tenure_xlsx_write_scaled (sheet, OC_LEASED, o->leased_area_c, error)
          || !tenure_xlsx_write_scaled (sheet, OC_BY_AREA,
                                        tenure_kpi_ppm (o->leased_area_c, o->leasable_area_c),
                                        error)
          || !tenure_xlsx_write_scaled (sheet, OC_BY_UNITS,
                                        tenure_kpi_ppm (o->leased_units, o->units), error)
          || !tenure_xlsx_end_row (sheet, error))
        return FALSE;
    }
  return tenure_xlsx_add_column_chart (sheet, _("Occupancy by project"), OC_PROJECT,
                                       chart_cols, G_N_ELEMENTS (chart_cols), error);
}

static gboolean
write_kpi_expiry (TenureDb                   *db,
                  TenureXlsx                 *xlsx,
                  const TenureExportOptions  *options,
                  GError                    **error)
{
  const TenureXlsxColumn columns[EX_N_COLUMNS] = {
    [EX_MONTH] = { _("Month"), TENURE_XLSX_TEXT },
    [EX_AREA] = { _("Expiring area (m²)"), TENURE_XLSX_AREA },
    [EX_RENT] = { _("Expiring monthly rent"), TENURE_XLSX_MONEY },
    [EX_AREA_SHARE] = { _("Share of leased area"), TENURE_XLSX_PERCENT },
    [EX_RENT_SHARE] = { _("Share of monthly rent"), TENURE_XLSX_PERCENT },
  };
  static const guint chart_cols[] = { EX_AREA_SHARE, EX_RENT_SHARE };
  g_autoptr(GPtrArray) rows = NULL;
  TenureXlsxSheet *sheet;
  TenureKpiExpiry *e;

  rows = tenure_kpi_expiry (db, options->as_of, options->project_code, TENURE_KPI_BY_NONE,
                            error);
  if (rows == NULL)
    return FALSE;
  sheet = tenure_xlsx_add_sheet (xlsx, _("Expiry density"), columns, EX_N_COLUMNS, error);
  if (sheet == NULL)
    return FALSE;
  e = rows->len > 0 ? g_ptr_array_index (rows, 0) : NULL;
  for (int k = 0; e != NULL && k < TENURE_KPI_EXPIRY_MONTHS; k++)
    {
      g_autofree char *month = g_strdup_printf ("%04d-%02d", tenure_date_get_year (e->month[k]),
                                                tenure_date_get_month (e->month[k]));

      if (!tenure_xlsx_write_text (sheet, EX_MONTH, month, error)
          || !tenure_xlsx_write_scaled (sheet, EX_AREA, e->area_c[k], error)
          || !tenure_xlsx_write_money (sheet, EX_RENT, e->rent[k], NULL, error)
          || !tenure_xlsx_write_scaled (sheet, EX_AREA_SHARE,
                                        tenure_kpi_ppm (e->area_c[k], e->leased_area_c), error)
          || !tenure_xlsx_write_scaled (sheet, EX_RENT_SHARE,
                                        tenure_kpi_ppm (e->rent[k], e->monthly_rent), error)
          || !tenure_xlsx_end_row (sheet, error))
        return FALSE;
    }
  return tenure_xlsx_add_column_chart (sheet, _("Expiry density (next 24 months)"), EX_MONTH,
                                       chart_cols, G_N_ELEMENTS (chart_cols), error);
}

static int
compare_currency_codes (gconstpointer a,
                        gconstpointer b)
{
  const char *x = *(const char * const *) a;
  const char *y = *(const char * const *) b;

  /* CNY first: the product bills in it. */
  if (strcmp (x, y) == 0)
    return 0;
  if (strcmp (x, "CNY") == 0)
    return -1;
  if (strcmp (y, "CNY") == 0)
    return 1;
  return strcmp (x, y);
}

static gboolean
write_kpi_aging (TenureDb                   *db,
                 TenureXlsx                 *xlsx,
                 const TenureExportOptions  *options,
                 GError                    **error)
{
  TenureOpenItemFilter filter = { 0 };
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autofree TenureXlsxColumn *columns = NULL;
  g_autofree guint *chart_cols = NULL;
  TenureXlsxSheet *sheet;
  GHashTableIter iter;
  gpointer key;

  if (options->project_code != NULL)
    {
      projects = load_projects (db, options->project_code, error);
      if (projects == NULL)
        return FALSE;
      filter.project_id = ((Project *) g_ptr_array_index (projects, 0))->id;
    }
  filter.as_of = options->as_of;
  items = tenure_open_items_load (db, &filter, error);
  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (items, i);
      gint64 *b = g_hash_table_lookup (sums, item->currency);

      if (b == NULL)
        {
          b = g_new0 (gint64, N_BUCKETS);
          g_hash_table_insert (sums, g_strdup (item->currency), b);
        }
      b[aging_bucket ((gint64) options->as_of - item->due_date)] += item->open;
    }
  if (g_hash_table_size (sums) == 0)
    g_hash_table_insert (sums, g_strdup ("CNY"), g_new0 (gint64, N_BUCKETS));
  g_hash_table_iter_init (&iter, sums);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (codes, key);
  g_ptr_array_sort (codes, compare_currency_codes);

  columns = g_new0 (TenureXlsxColumn, codes->len + 1);
  chart_cols = g_new0 (guint, codes->len);
  columns[0] = (TenureXlsxColumn) { _("Aging bucket"), TENURE_XLSX_TEXT };
  for (guint c = 0; c < codes->len; c++)
    {
      /* The header names the currency: "Open (CNY)". */
      g_ptr_array_add (titles, g_strdup_printf (_("Open (%s)"),
                                                (const char *) codes->pdata[c]));
      columns[c + 1] = (TenureXlsxColumn) { titles->pdata[c], TENURE_XLSX_MONEY };
      chart_cols[c] = c + 1;
    }
  sheet = tenure_xlsx_add_sheet (xlsx, _("Aging"), columns, codes->len + 1, error);
  if (sheet == NULL)
    return FALSE;
  for (guint b = 0; b < N_BUCKETS; b++)
    {
      if (!tenure_xlsx_write_text (sheet, 0, aging_bucket_label (b), error))
        return FALSE;
      for (guint c = 0; c < codes->len; c++)
        {
          gint64 *sum = g_hash_table_lookup (sums, codes->pdata[c]);

          if (!tenure_xlsx_write_money (sheet, c + 1, sum[b],
                                        tenure_currency_lookup (codes->pdata[c]), error))
            return FALSE;
        }
      if (!tenure_xlsx_end_row (sheet, error))
        return FALSE;
    }
  return tenure_xlsx_add_column_chart (sheet, _("Aging of open items"), 0, chart_cols,
                                       codes->len, error);
}

gboolean
tenure_export_kpi (TenureDb                   *db,
                   TenureXlsx                 *xlsx,
                   const TenureExportOptions  *options,
                   GError                    **error)
{
  g_return_val_if_fail (tenure_date_is_valid (options->as_of), FALSE);

  if (options->project_code != NULL)
    {
      g_autoptr(GPtrArray) projects = load_projects (db, options->project_code, error);
      if (projects == NULL)
        return FALSE;
    }
  if (!write_kpi_occupancy (db, xlsx, options, error) || !check_cancelled (options, error))
    return FALSE;
  report_progress (options, 1, 3);
  if (!write_kpi_expiry (db, xlsx, options, error) || !check_cancelled (options, error))
    return FALSE;
  report_progress (options, 2, 3);
  if (!write_kpi_aging (db, xlsx, options, error) || !check_cancelled (options, error))
    return FALSE;
  report_progress (options, 3, 3);
  return TRUE;
}

/* ---- reconciliation ---------------------------------------------------------------------- */

enum { RC_ENTITY, RC_PERIOD, RC_SCOPE, RC_CURRENCY, RC_RECEIVABLE, RC_RECEIVED, RC_DIFFERENCE,
       RC_UNRESOLVED, RC_CLOSED, RC_N_COLUMNS };
enum { RD_ENTITY, RD_CURRENCY, RD_CAUSE, RD_ROLE, RD_CONTRACT, RD_BILL, RD_CHARGE, RD_DUE,
       RD_AMOUNT, RD_NOTE, RD_RESOLUTION, RD_RESOLVED_BY, RD_N_COLUMNS };

static const char *
difference_cause_label (const char *cause)
{
  static const struct { const char *key; const char *label; } causes[] = {
    { "offset", N_("Deposit offset") },
    { "write_off", N_("Write-off") },
    { "paid_after_period", N_("Paid after the period") },
    { "partly_paid", N_("Partly paid") },
    { "unpaid", N_("Unpaid") },
    { "overpaid", N_("Overpaid") },
    { "unapplied_credit", N_("Unapplied credit") },
    { "unmatched_bank_line", N_("Unmatched bank line") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (causes); i++)
    if (g_strcmp0 (cause, causes[i].key) == 0)
      return _(causes[i].label);
  return cause;
}

static const char *
scope_label (TenureReconcileScope scope)
{
  switch (scope)
    {
    case TENURE_RECONCILE_PROJECT: return _("Project");
    case TENURE_RECONCILE_CONTRACT: return _("Contract");
    default: return _("Legal entity");
    }
}

gboolean
tenure_export_reconciliation (TenureDb                   *db,
                              TenureXlsx                 *xlsx,
                              const TenureExportOptions  *options,
                              GError                    **error)
{
  const TenureXlsxColumn columns[RC_N_COLUMNS] = {
    [RC_ENTITY] = { _("Legal entity"), TENURE_XLSX_TEXT },
    [RC_PERIOD] = { _("Period"), TENURE_XLSX_TEXT },
    [RC_SCOPE] = { _("Scope"), TENURE_XLSX_TEXT },
    [RC_CURRENCY] = { _("Currency"), TENURE_XLSX_TEXT },
    [RC_RECEIVABLE] = { _("Receivable"), TENURE_XLSX_MONEY },
    [RC_RECEIVED] = { _("Received"), TENURE_XLSX_MONEY },
    [RC_DIFFERENCE] = { _("Difference"), TENURE_XLSX_MONEY },
    [RC_UNRESOLVED] = { _("Unresolved differences"), TENURE_XLSX_INTEGER },
    [RC_CLOSED] = { _("Period closed"), TENURE_XLSX_TEXT },
  };
  const TenureXlsxColumn diff_columns[RD_N_COLUMNS] = {
    [RD_ENTITY] = { _("Legal entity"), TENURE_XLSX_TEXT },
    [RD_CURRENCY] = { _("Currency"), TENURE_XLSX_TEXT },
    [RD_CAUSE] = { _("Cause"), TENURE_XLSX_TEXT },
    [RD_ROLE] = { _("Counts in the difference"), TENURE_XLSX_TEXT },
    [RD_CONTRACT] = { _("Contract"), TENURE_XLSX_TEXT },
    [RD_BILL] = { _("Bill"), TENURE_XLSX_TEXT },
    [RD_CHARGE] = { _("Charge"), TENURE_XLSX_TEXT },
    [RD_DUE] = { _("Due date"), TENURE_XLSX_DATE },
    [RD_AMOUNT] = { _("Amount"), TENURE_XLSX_MONEY },
    [RD_NOTE] = { _("Note"), TENURE_XLSX_TEXT },
    [RD_RESOLUTION] = { _("Resolution"), TENURE_XLSX_TEXT },
    [RD_RESOLVED_BY] = { _("Resolved by"), TENURE_XLSX_TEXT },
  };
  g_autoptr(GPtrArray) recs = NULL;
  TenureXlsxSheet *summary, *detail;
  int year, month;

  g_return_val_if_fail (tenure_date_is_valid (options->as_of), FALSE);

  tenure_date_get_ymd (options->as_of, &year, &month, NULL);
  recs = tenure_reconcile_run (db, NULL, year, month,
                               options->project_code ? TENURE_RECONCILE_PROJECT
                                                     : TENURE_RECONCILE_ENTITY,
                               options->project_code, error);
  if (recs == NULL || !check_cancelled (options, error))
    return FALSE;
  summary = tenure_xlsx_add_sheet (xlsx, _("Reconciliation"), columns, RC_N_COLUMNS, error);
  if (summary == NULL)
    return FALSE;
  detail = tenure_xlsx_add_sheet (xlsx, _("Differences"), diff_columns, RD_N_COLUMNS, error);
  if (detail == NULL)
    return FALSE;

  for (guint i = 0; i < recs->len; i++)
    {
      TenureReconciliation *rec = g_ptr_array_index (recs, i);
      const TenureCurrency *currency = tenure_currency_lookup (rec->currency);

      if (currency == NULL)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("The reconciliation of %s %s has an unknown currency “%s”."),
                       rec->legal_entity_code, rec->period, rec->currency);
          return FALSE;
        }
      if (!tenure_xlsx_write_text (summary, RC_ENTITY, rec->legal_entity_code, error)
          || !tenure_xlsx_write_text (summary, RC_PERIOD, rec->period, error)
          || !tenure_xlsx_write_text (summary, RC_SCOPE, scope_label (rec->scope), error)
          || !tenure_xlsx_write_text (summary, RC_CURRENCY, rec->currency, error)
          || !tenure_xlsx_write_money (summary, RC_RECEIVABLE, rec->receivable, currency, error)
          || !tenure_xlsx_write_money (summary, RC_RECEIVED, rec->received, currency, error)
          || !tenure_xlsx_write_money (summary, RC_DIFFERENCE, rec->difference, currency, error)
          || !tenure_xlsx_write_scaled (summary, RC_UNRESOLVED, rec->unresolved, error)
          || !tenure_xlsx_write_text (summary, RC_CLOSED, rec->closed ? _("Yes") : _("No"),
                                      error)
          || !tenure_xlsx_end_row (summary, error))
        return FALSE;

      for (guint k = 0; k < rec->differences->len; k++)
        {
          TenureReconcileDifference *d = g_ptr_array_index (rec->differences, k);
          TenureDate due = TENURE_DATE_INVALID;

          if (!parse_date (d->due_date, &due, error)
              || !tenure_xlsx_write_text (detail, RD_ENTITY, rec->legal_entity_code, error)
              || !tenure_xlsx_write_text (detail, RD_CURRENCY, rec->currency, error)
              || !tenure_xlsx_write_text (detail, RD_CAUSE, difference_cause_label (d->cause),
                                          error)
              || !tenure_xlsx_write_text (detail, RD_ROLE,
                                          d->beside ? _("No (shown beside)") : _("Yes"), error)
              || !tenure_xlsx_write_text (detail, RD_CONTRACT, d->contract_code, error)
              || !tenure_xlsx_write_text (detail, RD_BILL, d->bill_code, error)
              || !tenure_xlsx_write_text (detail, RD_CHARGE, d->charge_item_code, error)
              || !tenure_xlsx_write_date (detail, RD_DUE, due, error)
              || !tenure_xlsx_write_money (detail, RD_AMOUNT, d->amount, currency, error)
              || !tenure_xlsx_write_text (detail, RD_NOTE, d->note, error)
              || !tenure_xlsx_write_text (detail, RD_RESOLUTION, d->resolution, error)
              || !tenure_xlsx_write_text (detail, RD_RESOLVED_BY, d->resolved_by, error)
              || !tenure_xlsx_end_row (detail, error))
            return FALSE;
        }
      if (!check_cancelled (options, error))
        return FALSE;
      report_progress (options, i + 1, recs->len);
    }
  return TRUE;
}

/* ---- to a file --------------------------------------------------------------------------- */

gboolean
tenure_export_to_file (TenureDb                   *db,
                       TenureExportReport          report,
                       const char                 *path,
                       const TenureExportOptions  *options,
                       GError                    **error)
{
  g_autoptr(TenureXlsx) xlsx = NULL;
  gboolean ok;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (!tenure_date_is_valid (options->as_of))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("An export needs the date it is as of."));
      return FALSE;
    }
  /* Constant memory for every report: memory stays flat whatever the size. */
  xlsx = tenure_xlsx_new (path, TRUE, error);
  if (xlsx == NULL)
    return FALSE;
  switch (report)
    {
    case TENURE_EXPORT_RENT_ROLL:
      ok = tenure_export_rent_roll (db, xlsx, options, error);
      break;
    case TENURE_EXPORT_BILLS:
      ok = tenure_export_bills (db, xlsx, options, error);
      break;
    case TENURE_EXPORT_AGING:
      ok = tenure_export_aging (db, xlsx, options, error);
      break;
    case TENURE_EXPORT_KPI:
      ok = tenure_export_kpi (db, xlsx, options, error);
      break;
    case TENURE_EXPORT_RECONCILIATION:
      ok = tenure_export_reconciliation (db, xlsx, options, error);
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  /* A cancel that came with the last progress report still leaves no file. */
  return ok && check_cancelled (options, error) && tenure_xlsx_close (xlsx, error);
}

/* ---- in a worker thread ------------------------------------------------------------------ */

typedef struct
{
  char                *db_location;
  TenureExportReport   report;
  char                *path;
  char                *project_code;
  TenureExportOptions  options;          /* progress replaced by progress_in_thread */
  TenureExportProgressFunc caller_progress;
  gpointer             caller_data;
  GMainContext        *context;          /* the caller's, where progress is delivered */
  gint                 pending_progress; /* a progress idle is queued: drop the next ones */
  gboolean             done;
  GTask               *task;             /* not owned: it owns this job */
} ExportJob;

/* Holds the task, and so the job, until it is delivered or dropped. */
typedef struct
{
  GTask     *task;
  double     fraction;
  guint64    rows;
} ProgressUpdate;

static void
progress_update_free (ProgressUpdate *update)
{
  g_object_unref (update->task);
  g_free (update);
}

static void
export_job_free (ExportJob *job)
{
  g_free (job->db_location);
  g_free (job->path);
  g_free (job->project_code);
  g_clear_object (&job->options.cancellable);
  g_main_context_unref (job->context);
  g_free (job);
}

static gboolean
deliver_progress (gpointer data)
{
  ProgressUpdate *update = data;
  ExportJob *job = g_task_get_task_data (update->task);

  g_atomic_int_set (&job->pending_progress, 0);
  /* The task's callback may have run already (it is queued in the same context). */
  if (!job->done && job->caller_progress != NULL)
    job->caller_progress (update->fraction, update->rows, job->caller_data);
  return G_SOURCE_REMOVE;
}

static void
progress_in_thread (double   fraction,
                    guint64  rows,
                    gpointer user_data)
{
  ExportJob *job = user_data;
  ProgressUpdate *update;
  GSource *source;

  /* At most one update in flight: a busy main loop does not pile them up. */
  if (!g_atomic_int_compare_and_exchange (&job->pending_progress, 0, 1))
    return;
  update = g_new0 (ProgressUpdate, 1);
  update->task = g_object_ref (job->task);
  update->fraction = fraction;
  update->rows = rows;
  source = g_idle_source_new ();
  g_source_set_callback (source, deliver_progress, update,
                         (GDestroyNotify) progress_update_free);
  g_source_attach (source, job->context);
  g_source_unref (source);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(TenureDb) db = NULL;
  GError *error = NULL;

  db = tenure_db_open (job->db_location, TENURE_DB_OPEN_DEFAULT, &error);
  if (db == NULL || !tenure_export_to_file (db, job->report, job->path, &job->options, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
export_task_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = G_TASK (result);
  ExportJob *job = g_task_get_task_data (task);
  GAsyncReadyCallback callback = g_object_get_data (G_OBJECT (task), "tenure-callback");
  gpointer data = g_object_get_data (G_OBJECT (task), "tenure-callback-data");

  job->done = TRUE;
  if (callback != NULL)
    callback (source, result, data);
}

void
tenure_export_to_file_async (const char                 *db_location,
                             TenureExportReport          report,
                             const char                 *path,
                             const TenureExportOptions  *options,
                             GAsyncReadyCallback         callback,
                             gpointer                    user_data)
{
  ExportJob *job = g_new0 (ExportJob, 1);
  GTask *task;

  g_return_if_fail (path != NULL && options != NULL);

  job->db_location = g_strdup (db_location);
  job->report = report;
  job->path = g_strdup (path);
  job->project_code = g_strdup (options->project_code);
  job->options = *options;
  job->options.project_code = job->project_code;
  job->options.cancellable = options->cancellable ? g_object_ref (options->cancellable)
                                                  : g_cancellable_new ();
  job->caller_progress = options->progress;
  job->caller_data = options->progress_data;
  job->options.progress = progress_in_thread;
  job->options.progress_data = job;
  job->context = g_main_context_ref_thread_default ();

  task = g_task_new (NULL, job->options.cancellable, export_task_done, NULL);
  job->task = task;
  g_task_set_source_tag (task, tenure_export_to_file_async);
  /* The export reports cancellation itself (TENURE_ERROR_CANCELLED, nothing written). */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_object_set_data (G_OBJECT (task), "tenure-callback", callback);
  g_object_set_data (G_OBJECT (task), "tenure-callback-data", user_data);
  g_task_run_in_thread (task, export_thread);
  g_object_unref (task);
}

gboolean
tenure_export_to_file_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
