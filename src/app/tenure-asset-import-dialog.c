/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-asset-import-dialog"

#include "tenure-asset-import-dialog.h"

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "portfolio/tenure-asset-import.h"
#include "portfolio/tenure-portfolio.h"
#include "tenure-db-worker.h"

/* Errors listed at most; the rest are counted in one more line. */
#define MAX_LISTED_ISSUES 1000

/* ---- A preview row for the column view --------------------------------------------------- */

enum
{
  COL_ROW,
  COL_PROJECT,
  COL_BUILDING,
  COL_FLOOR,
  COL_UNIT,
  COL_NAME,
  COL_FORMAT,
  COL_GFA,
  COL_LEASABLE,
  COL_STATUS,
  N_COLS
};

#define TENURE_TYPE_IMPORT_ROW (tenure_import_row_get_type ())
G_DECLARE_FINAL_TYPE (TenureImportRow, tenure_import_row, TENURE, IMPORT_ROW, GObject)

struct _TenureImportRow
{
  GObject   parent_instance;
  char     *text[N_COLS];
  gboolean  bad;
};

G_DEFINE_FINAL_TYPE (TenureImportRow, tenure_import_row, G_TYPE_OBJECT)

static void
tenure_import_row_finalize (GObject *object)
{
  TenureImportRow *self = TENURE_IMPORT_ROW (object);

  for (guint i = 0; i < N_COLS; i++)
    g_free (self->text[i]);
  G_OBJECT_CLASS (tenure_import_row_parent_class)->finalize (object);
}

static void
tenure_import_row_class_init (TenureImportRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tenure_import_row_finalize;
}

static void
tenure_import_row_init (TenureImportRow *self)
{
}

/* The stored status as the portfolio screens name it (available units show as vacant). */
static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "reserved") == 0)
    return tenure_unit_status_label (TENURE_UNIT_RESERVED);
  if (g_strcmp0 (status, "not_for_lease") == 0)
    return tenure_unit_status_label (TENURE_UNIT_NOT_FOR_LEASE);
  if (g_strcmp0 (status, "renovation") == 0)
    return tenure_unit_status_label (TENURE_UNIT_RENOVATION);
  if (g_strcmp0 (status, "available") == 0)
    return tenure_unit_status_label (TENURE_UNIT_VACANT);
  return NULL;
}

static TenureImportRow *
import_row_new (const TenureAssetRow *row)
{
  TenureImportRow *self = g_object_new (TENURE_TYPE_IMPORT_ROW, NULL);

  self->bad = !row->ok;
  self->text[COL_ROW] = g_strdup_printf ("%s%u", row->ok ? "" : "⚠ ", row->row_number);
  self->text[COL_PROJECT] = g_strdup (row->project_code);
  self->text[COL_BUILDING] = g_strdup (row->building);
  self->text[COL_FLOOR] = g_strdup (row->floor);
  self->text[COL_UNIT] = g_strdup (row->unit_code);
  self->text[COL_NAME] = g_strdup (row->name);
  self->text[COL_FORMAT] = g_strdup (row->format != NULL
                                     ? tenure_portfolio_format_label (row->format) : NULL);
  self->text[COL_GFA] = row->gfa_area_c > 0 ? tenure_decimal_format (row->gfa_area_c, 2, TRUE)
                                            : NULL;
  self->text[COL_LEASABLE] = row->leasable_area_c > 0
                             ? tenure_decimal_format (row->leasable_area_c, 2, TRUE) : NULL;
  self->text[COL_STATUS] = g_strdup (status_label (row->status));
  return self;
}

/* The preview column showing @field, or -1. */
static int
field_column (TenureAssetField field)
{
  switch (field)
    {
    case TENURE_ASSET_FIELD_PROJECT: return COL_PROJECT;
    case TENURE_ASSET_FIELD_BUILDING: return COL_BUILDING;
    case TENURE_ASSET_FIELD_FLOOR: return COL_FLOOR;
    case TENURE_ASSET_FIELD_UNIT_CODE: return COL_UNIT;
    case TENURE_ASSET_FIELD_NAME: return COL_NAME;
    case TENURE_ASSET_FIELD_FORMAT: return COL_FORMAT;
    case TENURE_ASSET_FIELD_GFA: return COL_GFA;
    case TENURE_ASSET_FIELD_LEASABLE: return COL_LEASABLE;
    case TENURE_ASSET_FIELD_STATUS: return COL_STATUS;
    default: return -1;
    }
}

/* ---- Work off the main thread ------------------------------------------------------------ */

/* Progress shared by the worker thread and the main thread's poll, in thousandths. */
typedef struct
{
  gint permille;
} Progress;

/* The preview, shared by the dialog and an import job that may outlive it. */
typedef struct
{
  TenureAssetPreview *preview;
} Shared;

static void
shared_clear (gpointer data)
{
  Shared *shared = data;

  g_clear_pointer (&shared->preview, tenure_asset_preview_free);
}

static void
shared_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, shared_clear);
}

typedef struct
{
  char     *path;
  Progress *progress;
  Shared   *shared;          /* apply */
  gboolean  skip_bad_rows;   /* apply */
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->path);
  g_atomic_rc_box_release (job->progress);
  if (job->shared != NULL)
    shared_unref (job->shared);
  g_free (job);
}

static void
progress_cb (double fraction, gpointer user_data)
{
  Progress *progress = user_data;

  g_atomic_int_set (&progress->permille, (gint) (fraction * 1000));
}

static gpointer
preview_job (TenureDb *db, gpointer data, GCancellable *cancellable, GError **error)
{
  Job *job = data;
  g_autoptr (TenureTable) table = NULL;
  g_autoptr (TenureAssetMapping) mapping = tenure_asset_mapping_new ();

  table = tenure_asset_import_read_file (job->path, NULL, error);
  if (table == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return tenure_asset_import_preview (db, table, mapping, progress_cb, job->progress,
                                      cancellable, error);
}

static gpointer
apply_job (TenureDb *db, gpointer data, GCancellable *cancellable, GError **error)
{
  Job *job = data;
  TenureAssetImportResult *result = g_new0 (TenureAssetImportResult, 1);

  if (!tenure_asset_import_apply (db, job->shared->preview,
                                  job->skip_bad_rows ? TENURE_ASSET_IMPORT_SKIP_BAD_ROWS
                                                     : TENURE_ASSET_IMPORT_DEFAULT,
                                  progress_cb, job->progress, cancellable, result, error))
    g_clear_pointer (&result, g_free);
  return result;
}

/* ---- The dialog -------------------------------------------------------------------------- */

struct _TenureAssetImportDialog
{
  AdwWindow        parent_instance;

  TenureDb        *db;
  TenureDbWorker  *worker;
  Shared          *shared;
  Progress        *progress;
  guint            poll_id;
  gboolean         busy;

  AdwToastOverlay *toasts;
  GtkWidget       *choose_button;
  GtkWidget       *file_label;
  GtkWidget       *progress_box;
  GtkWidget       *progress_bar;
  GtkWidget       *summary_label;
  GtkWidget       *column_view;
  GListStore      *rows;
  GtkWidget       *errors_box;
  GtkWidget       *error_list;
  GtkWidget       *import_button;
  GtkWidget       *skip_button;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (TenureAssetImportDialog, tenure_asset_import_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
poll_progress_cb (gpointer data)
{
  TenureAssetImportDialog *self = data;

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
                                 g_atomic_int_get (&self->progress->permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
set_busy (TenureAssetImportDialog *self, gboolean busy, const char *what)
{
  self->busy = busy;
  gtk_widget_set_visible (self->progress_box, busy);
  gtk_widget_set_sensitive (self->choose_button, !busy);
  if (busy)
    {
      gtk_widget_set_sensitive (self->import_button, FALSE);
      gtk_widget_set_sensitive (self->skip_button, FALSE);
      g_atomic_int_set (&self->progress->permille, 0);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), what);
      if (self->poll_id == 0)
        self->poll_id = g_timeout_add (100, poll_progress_cb, self);
    }
  else
    g_clear_handle_id (&self->poll_id, g_source_remove);
}

static void
clear_errors (TenureAssetImportDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->error_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->error_list), child);
}

static void
add_error_line (TenureAssetImportDialog *self, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_list_box_append (GTK_LIST_BOX (self->error_list), label);
}

/* The buttons say what they will do: "Import 5 Rows", "Leave Out 2 Bad Rows and Import 3". */
static void
update_buttons (TenureAssetImportDialog *self)
{
  const TenureAssetPreview *preview = self->shared != NULL ? self->shared->preview : NULL;
  guint n = preview != NULL ? tenure_asset_preview_get_n_rows (preview) : 0;
  guint bad = preview != NULL ? tenure_asset_preview_get_n_bad_rows (preview) : 0;
  g_autofree char *import_label = NULL;
  g_autofree char *skip_label = NULL;

  if (preview != NULL)
    import_label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Import %u Row",
                                                 "_Import %u Rows", n), n);
  else
    import_label = g_strdup (_("_Import"));
  gtk_button_set_label (GTK_BUTTON (self->import_button), import_label);
  gtk_widget_set_sensitive (self->import_button, !self->busy && n > 0 && bad == 0);

  /* Translators: the first number is of bad rows, the second of rows that are imported. */
  skip_label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "_Leave Out %u Bad Row and Import %u",
                                             "_Leave Out %u Bad Rows and Import %u", bad),
                                bad, n - bad);
  gtk_button_set_label (GTK_BUTTON (self->skip_button), skip_label);
  gtk_widget_set_visible (self->skip_button, bad > 0);
  gtk_widget_set_sensitive (self->skip_button, !self->busy && bad > 0 && bad < n);
}

static void
show_preview (TenureAssetImportDialog *self)
{
  const TenureAssetPreview *preview = self->shared->preview;
  guint n = tenure_asset_preview_get_n_rows (preview);
  guint n_issues = tenure_asset_preview_get_n_issues (preview);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *rows_text = NULL;
  g_autofree char *summary = NULL;

  g_autoptr (GHashTable) by_number = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = 0; i < n; i++)
    {
      const TenureAssetRow *row = tenure_asset_preview_get_row (preview, i);
      TenureImportRow *item = import_row_new (row);

      g_ptr_array_add (items, item);
      g_hash_table_insert (by_number, GUINT_TO_POINTER (row->row_number), item);
    }
  /* A value that could not be read shows as written, beside the row's warning sign. */
  for (guint i = 0; i < n_issues; i++)
    {
      const TenureAssetIssue *issue = tenure_asset_preview_get_issue (preview, i);
      TenureImportRow *item = g_hash_table_lookup (by_number,
                                                   GUINT_TO_POINTER (issue->row_number));
      int col = field_column (issue->field);

      if (item != NULL && col >= 0 && issue->text != NULL && item->text[col] == NULL)
        item->text[col] = g_strdup (issue->text);
    }
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       items->pdata, items->len);

  clear_errors (self);
  for (guint i = 0; i < n_issues && i < MAX_LISTED_ISSUES; i++)
    {
      const TenureAssetIssue *issue = tenure_asset_preview_get_issue (preview, i);
      g_autofree char *line = NULL;

      if (issue->column_name != NULL && issue->header != NULL)
        /* Translators: row number, column (letter or number), column header, message */
        line = g_strdup_printf (_("Row %u, column %s (%s): %s"), issue->row_number,
                                issue->column_name, issue->header, issue->message);
      else if (issue->column_name != NULL)
        /* Translators: row number, column (letter or number), message */
        line = g_strdup_printf (_("Row %u, column %s: %s"), issue->row_number,
                                issue->column_name, issue->message);
      else
        /* Translators: row number, message */
        line = g_strdup_printf (_("Row %u: %s"), issue->row_number, issue->message);
      add_error_line (self, line);
    }
  if (n_issues > MAX_LISTED_ISSUES)
    {
      g_autofree char *more = g_strdup_printf (_("… and %u more errors"),
                                               n_issues - MAX_LISTED_ISSUES);
      add_error_line (self, more);
    }
  gtk_widget_set_visible (self->errors_box, n_issues > 0);

  rows_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row", "%u rows", n), n);
  /* Translators: "12 rows", then counts of rows with errors, new buildings and new floors */
  summary = g_strdup_printf (_("%s; with errors: %u; new buildings: %u; new floors: %u"),
                             rows_text, tenure_asset_preview_get_n_bad_rows (preview),
                             tenure_asset_preview_get_n_new_buildings (preview),
                             tenure_asset_preview_get_n_new_floors (preview));
  gtk_label_set_text (GTK_LABEL (self->summary_label), summary);
  update_buttons (self);
}

static void
show_failure (TenureAssetImportDialog *self, const GError *error)
{
  gtk_label_set_text (GTK_LABEL (self->summary_label), error->message);
  gtk_widget_add_css_class (self->summary_label, "error");
}

static void
preview_done (gpointer result, const GError *error, gpointer user_data)
{
  TenureAssetImportDialog *self = user_data;

  set_busy (self, FALSE, NULL);
  if (result == NULL)
    {
      show_failure (self, error);
      update_buttons (self);
      return;
    }
  self->shared = g_atomic_rc_box_new0 (Shared);
  self->shared->preview = result;
  show_preview (self);
}

static void
drop_preview (TenureAssetImportDialog *self)
{
  g_clear_pointer (&self->shared, shared_unref);
  g_list_store_remove_all (self->rows);
  clear_errors (self);
  gtk_widget_set_visible (self->errors_box, FALSE);
  gtk_label_set_text (GTK_LABEL (self->summary_label), "");
  gtk_widget_remove_css_class (self->summary_label, "error");
}

static Job *
job_new (TenureAssetImportDialog *self)
{
  Job *job = g_new0 (Job, 1);

  job->progress = g_atomic_rc_box_acquire (self->progress);
  return job;
}

void
tenure_asset_import_dialog_load_file (TenureAssetImportDialog *self, GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  Job *job;

  g_return_if_fail (TENURE_IS_ASSET_IMPORT_DIALOG (self));
  drop_preview (self);
  gtk_label_set_text (GTK_LABEL (self->file_label), name);
  if (path == NULL)
    return;
  job = job_new (self);
  job->path = g_steal_pointer (&path);
  set_busy (self, TRUE, _("Reading and checking the file…"));
  update_buttons (self);
  if (self->worker != NULL)
    {
      tenure_db_worker_run (self->worker, preview_job, job, job_free,
                            (GDestroyNotify) tenure_asset_preview_free, preview_done, self);
    }
  else
    {
      g_autoptr (GError) error = NULL;
      gpointer result = preview_job (self->db, job, NULL, &error);

      job_free (job);
      preview_done (result, error, self);
    }
}

static void
apply_done (gpointer result, const GError *error, gpointer user_data)
{
  TenureAssetImportDialog *self = user_data;
  g_autofree TenureAssetImportResult *outcome = result;
  g_autofree char *text = NULL;

  set_busy (self, FALSE, NULL);
  if (outcome == NULL)
    {
      show_failure (self, error);
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      update_buttons (self);
      return;
    }
  text = g_strdup_printf (_("Imported %u units (new buildings: %u, new floors: %u, rows left "
                            "out: %u)"),
                          outcome->units, outcome->buildings, outcome->floors,
                          outcome->skipped_rows);
  drop_preview (self);
  gtk_label_set_text (GTK_LABEL (self->summary_label), text);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
  update_buttons (self);
  g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, outcome->units);
}

void
tenure_asset_import_dialog_import (TenureAssetImportDialog *self, gboolean skip_bad_rows)
{
  Job *job;

  g_return_if_fail (TENURE_IS_ASSET_IMPORT_DIALOG (self));
  if (self->busy || self->shared == NULL)
    return;
  job = job_new (self);
  job->shared = g_atomic_rc_box_acquire (self->shared);
  job->skip_bad_rows = skip_bad_rows;
  set_busy (self, TRUE, _("Importing…"));
  if (self->worker != NULL)
    {
      tenure_db_worker_run (self->worker, apply_job, job, job_free, g_free, apply_done, self);
    }
  else
    {
      g_autoptr (GError) error = NULL;
      gpointer result = apply_job (self->db, job, NULL, &error);

      job_free (job);
      apply_done (result, error, self);
    }
}

void
tenure_asset_import_dialog_cancel (TenureAssetImportDialog *self)
{
  g_return_if_fail (TENURE_IS_ASSET_IMPORT_DIALOG (self));
  if (!self->busy)
    return;
  if (self->worker != NULL)
    tenure_db_worker_cancel (self->worker);
  set_busy (self, FALSE, NULL);
  gtk_label_set_text (GTK_LABEL (self->summary_label),
                      _("Cancelled; nothing was written"));
  update_buttons (self);
}

gboolean
tenure_asset_import_dialog_is_busy (TenureAssetImportDialog *self)
{
  g_return_val_if_fail (TENURE_IS_ASSET_IMPORT_DIALOG (self), FALSE);
  return self->busy;
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, TenureAssetImportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        tenure_asset_import_dialog_load_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
choose_clicked_cb (GtkButton *button, TenureAssetImportDialog *self)
{
  GtkFileFilter *filter;

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Choose a File of Units"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Excel workbooks and CSV files"));
  gtk_file_filter_add_suffix (filter, "xlsx");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Excel workbooks (.xlsx)"));
  gtk_file_filter_add_suffix (filter, "xlsx");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("CSV files (.csv)"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
import_clicked_cb (GtkButton *button, TenureAssetImportDialog *self)
{
  tenure_asset_import_dialog_import (self, GTK_WIDGET (button) == self->skip_button);
}

static void
cancel_clicked_cb (GtkButton *button, TenureAssetImportDialog *self)
{
  tenure_asset_import_dialog_cancel (self);
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);
  guint col = GPOINTER_TO_UINT (data);

  gtk_label_set_xalign (GTK_LABEL (label), col == COL_GFA || col == COL_LEASABLE ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  TenureImportRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *text = row->text[GPOINTER_TO_UINT (data)];

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  if (row->bad)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

static void
add_column (TenureAssetImportDialog *self, const char *title, guint col, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GUINT_TO_POINTER (col));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GUINT_TO_POINTER (col));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->column_view), column);
  g_object_unref (column);
}

static void
tenure_asset_import_dialog_dispose (GObject *object)
{
  TenureAssetImportDialog *self = TENURE_ASSET_IMPORT_DIALOG (object);

  if (self->worker != NULL)
    tenure_db_worker_cancel (self->worker);
  g_clear_object (&self->worker);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->shared, shared_unref);
  g_clear_object (&self->rows);
  g_clear_object (&self->db);
  G_OBJECT_CLASS (tenure_asset_import_dialog_parent_class)->dispose (object);
}

static void
tenure_asset_import_dialog_finalize (GObject *object)
{
  TenureAssetImportDialog *self = TENURE_ASSET_IMPORT_DIALOG (object);

  g_atomic_rc_box_release (self->progress);
  G_OBJECT_CLASS (tenure_asset_import_dialog_parent_class)->finalize (object);
}

static void
tenure_asset_import_dialog_class_init (TenureAssetImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tenure_asset_import_dialog_dispose;
  object_class->finalize = tenure_asset_import_dialog_finalize;

  /* Units were written: the number of units. */
  signals[SIGNAL_IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_UINT);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tenure_asset_import_dialog_init (TenureAssetImportDialog *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *file_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *errors_title = gtk_label_new (_("Errors"));
  GtkWidget *errors_scroller = gtk_scrolled_window_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkSelectionModel *selection;

  self->progress = g_atomic_rc_box_new0 (Progress);
  self->errors_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->rows = g_list_store_new (TENURE_TYPE_IMPORT_ROW);

  gtk_window_set_title (GTK_WINDOW (self), _("Import Assets"));
  gtk_window_set_default_size (GTK_WINDOW (self), 960, 640);
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, content);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toasts));
  gtk_box_append (GTK_BOX (content), header);
  gtk_box_append (GTK_BOX (content), body);
  gtk_widget_set_vexpand (body, TRUE);
  gtk_widget_set_margin_start (body, 12);
  gtk_widget_set_margin_end (body, 12);
  gtk_widget_set_margin_top (body, 12);
  gtk_widget_set_margin_bottom (body, 12);

  self->choose_button = gtk_button_new_with_mnemonic (_("_Choose File…"));
  gtk_widget_set_name (self->choose_button, "choose-button");
  gtk_widget_set_tooltip_text (self->choose_button,
                               _("An Excel workbook (.xlsx) or CSV file with one unit per row "
                                 "under headers such as 项目编码, 楼栋, 楼层, 单元编码, 建筑面积"));
  g_signal_connect (self->choose_button, "clicked", G_CALLBACK (choose_clicked_cb), self);
  self->file_label = gtk_label_new (_("No file chosen"));
  gtk_label_set_ellipsize (GTK_LABEL (self->file_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (self->file_label), 0);
  gtk_widget_set_hexpand (self->file_label, TRUE);
  gtk_box_append (GTK_BOX (file_row), self->choose_button);
  gtk_box_append (GTK_BOX (file_row), self->file_label);
  gtk_box_append (GTK_BOX (body), file_row);

  self->progress_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->progress_bar = gtk_progress_bar_new ();
  gtk_widget_set_name (self->progress_bar, "progress-bar");
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (self->progress_bar), TRUE);
  gtk_widget_set_hexpand (self->progress_bar, TRUE);
  gtk_widget_set_valign (self->progress_bar, GTK_ALIGN_CENTER);
  gtk_widget_set_name (cancel_button, "cancel-button");
  g_signal_connect (cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->progress_box), self->progress_bar);
  gtk_box_append (GTK_BOX (self->progress_box), cancel_button);
  gtk_widget_set_visible (self->progress_box, FALSE);
  gtk_box_append (GTK_BOX (body), self->progress_box);

  self->summary_label = gtk_label_new (NULL);
  gtk_widget_set_name (self->summary_label, "summary-label");
  gtk_label_set_xalign (GTK_LABEL (self->summary_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->summary_label), TRUE);
  gtk_box_append (GTK_BOX (body), self->summary_label);

  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows))));
  self->column_view = gtk_column_view_new (selection);
  gtk_widget_set_name (self->column_view, "preview-view");
  gtk_column_view_set_show_column_separators (GTK_COLUMN_VIEW (self->column_view), TRUE);
  add_column (self, _("Row"), COL_ROW, FALSE);
  add_column (self, _("Project"), COL_PROJECT, FALSE);
  add_column (self, _("Building"), COL_BUILDING, TRUE);
  add_column (self, _("Floor"), COL_FLOOR, FALSE);
  add_column (self, _("Unit code"), COL_UNIT, TRUE);
  add_column (self, _("Name"), COL_NAME, TRUE);
  add_column (self, _("Format"), COL_FORMAT, FALSE);
  add_column (self, _("GFA (m²)"), COL_GFA, FALSE);
  add_column (self, _("Leasable area (m²)"), COL_LEASABLE, FALSE);
  add_column (self, _("Status"), COL_STATUS, FALSE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->column_view);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_add_css_class (scroller, "card");
  gtk_box_append (GTK_BOX (body), scroller);

  gtk_label_set_xalign (GTK_LABEL (errors_title), 0);
  gtk_widget_add_css_class (errors_title, "heading");
  self->error_list = gtk_list_box_new ();
  gtk_widget_set_name (self->error_list, "error-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->error_list), GTK_SELECTION_NONE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Errors"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (errors_scroller), self->error_list);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (errors_scroller), 120);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (errors_scroller), 180);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (errors_scroller), TRUE);
  gtk_widget_add_css_class (errors_scroller, "card");
  gtk_box_append (GTK_BOX (self->errors_box), errors_title);
  gtk_box_append (GTK_BOX (self->errors_box), errors_scroller);
  gtk_widget_set_visible (self->errors_box, FALSE);
  gtk_box_append (GTK_BOX (body), self->errors_box);

  self->skip_button = gtk_button_new_with_mnemonic ("");
  gtk_widget_set_name (self->skip_button, "skip-import-button");
  g_signal_connect (self->skip_button, "clicked", G_CALLBACK (import_clicked_cb), self);
  self->import_button = gtk_button_new_with_mnemonic ("");
  gtk_widget_set_name (self->import_button, "import-button");
  gtk_widget_add_css_class (self->import_button, "suggested-action");
  g_signal_connect (self->import_button, "clicked", G_CALLBACK (import_clicked_cb), self);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), self->skip_button);
  gtk_box_append (GTK_BOX (buttons), self->import_button);
  gtk_box_append (GTK_BOX (body), buttons);
  update_buttons (self);
}

TenureAssetImportDialog *
tenure_asset_import_dialog_new (GtkWindow *parent, const char *location, TenureDb *db)
{
  TenureAssetImportDialog *self = g_object_new (TENURE_TYPE_ASSET_IMPORT_DIALOG, NULL);

  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_modal (GTK_WINDOW (self), TRUE);
    }
  if (location != NULL)
    self->worker = tenure_db_worker_new (location);
  self->db = db != NULL ? g_object_ref (db) : NULL;
  return self;
}
