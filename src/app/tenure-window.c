/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-window"

#include "tenure-window.h"

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "demo/tenure-demo.h"
#include "portfolio/tenure-portfolio.h"
#include "tenure-analytics-page.h"
#include "tenure-floor-plan-editor.h"
#include "tenure-location.h"
#include "tenure-open-task.h"
#include "tenure-pg-dialog.h"
#include "tenure-portfolio-page.h"
#include "tenure-settings-page.h"
#include "tenure-welcome-page.h"

#define MAX_RECENT 10

struct _TenureWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  TenureWelcomePage    *welcome_page;
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkWidget            *content_box;
  GtkDropDown          *project_dropdown;
  AdwWindowTitle       *db_title;
  GtkSpinner           *busy_spinner;
  GtkStack             *section_stack;
  TenurePortfolioPage  *portfolio_page;
  TenureAnalyticsPage  *analytics_page;
  TenureSettingsPage   *settings_page;

  GSettings            *settings;
  TenureDb             *db;
  char                 *location;
  GListModel           *projects;
  GCancellable         *open_cancellable;
  GtkNativeDialog      *chooser;
  gboolean              busy;
};

G_DEFINE_FINAL_TYPE (TenureWindow, tenure_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DB,
  PROP_BUSY,
  PROP_SECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What an open in flight needs when it finishes. */
typedef struct
{
  TenureWindow *self;
  GCancellable *cancellable;
  char         *location;
} OpenRequest;

static void
open_request_free (OpenRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->cancellable);
  g_free (request->location);
  g_free (request);
}

static void
set_busy (TenureWindow *self,
          gboolean      busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), busy);
  gtk_spinner_set_spinning (self->busy_spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-open", busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static const char *
backend_label (TenureDb *db)
{
  return tenure_db_get_kind (db) == TENURE_DB_POSTGRESQL ? _("PostgreSQL") : _("SQLite");
}

static void
update_recent (TenureWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-databases");

  tenure_welcome_page_set_recent (self->welcome_page, (const char * const *) recent);
}

static void
remember_location (TenureWindow *self,
                   const char   *location)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-databases");
  g_auto(GStrv) updated = tenure_location_recent_add ((const char * const *) recent, location,
                                                      MAX_RECENT);

  g_settings_set_strv (self->settings, "recent-databases", (const char * const *) updated);
  g_settings_set_string (self->settings, "last-database", location);
  update_recent (self);
}

static void
show_workspace_or_welcome (TenureWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, self->db ? "workspace" : "welcome");
}

static void
set_database (TenureWindow *self,
              TenureDb     *db,
              const char   *location,
              GListModel   *projects)
{
  g_autoptr(GtkExpression) expression = NULL;
  g_autofree char *section = NULL;

  g_set_object (&self->db, db);
  g_set_object (&self->projects, projects);
  g_free (self->location);
  self->location = g_strdup (location);

  expression = gtk_property_expression_new (TENURE_TYPE_PROJECT_SUMMARY, NULL, "name");
  gtk_drop_down_set_expression (self->project_dropdown, expression);
  gtk_drop_down_set_model (self->project_dropdown, projects);
  gtk_widget_set_visible (GTK_WIDGET (self->project_dropdown),
                          projects != NULL && g_list_model_get_n_items (projects) > 0);

  tenure_portfolio_page_set_location (self->portfolio_page, location);
  tenure_portfolio_page_set_projects (self->portfolio_page, projects);
  tenure_settings_page_set_db (self->settings_page, db);
  tenure_analytics_page_set_database (self->analytics_page, db, location, projects);

  if (db != NULL)
    {
      adw_window_title_set_title (self->db_title, tenure_db_get_display_name (db));
      adw_window_title_set_subtitle (self->db_title, backend_label (db));
      /* The title may be cut short on a narrow window. */
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->db_title), tenure_db_get_display_name (db));
      section = g_settings_get_string (self->settings, "last-section");
      tenure_window_show_section (self, section);
      /* Show the content, not the sidebar, when the window is narrow. */
      adw_leaflet_set_visible_child (self->leaflet, self->content_box);
    }
  else
    {
      adw_window_title_set_title (self->db_title, "");
      adw_window_title_set_subtitle (self->db_title, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->db_title), NULL);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-database", db != NULL);
  show_workspace_or_welcome (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DB]);
}

static void
show_open_error (TenureWindow *self,
                 const GError *error)
{
  const char *title = _("Could not open the database");

  if (self->db == NULL)
    {
      tenure_welcome_page_show_error (self->welcome_page, title, error->message);
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
      return;
    }

  /* The previous database stays open; say why the new one did not. */
  show_workspace_or_welcome (self);
  {
    GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), title, error->message);

    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
    adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
    gtk_widget_set_name (dialog, "open-error-dialog");
    gtk_window_present (GTK_WINDOW (dialog));
  }
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
         || g_error_matches (error, TENURE_ERROR, TENURE_ERROR_CANCELLED);
}

static void
open_finished (OpenRequest *request,
               TenureDb    *db,
               GError      *error)
{
  TenureWindow *self = request->self;
  g_autoptr(GListModel) projects = NULL;
  g_autoptr(GError) list_error = NULL;

  /* A newer open (or a cancel) took over: this result is no longer wanted. */
  if (request->cancellable != self->open_cancellable)
    return;

  g_clear_object (&self->open_cancellable);
  set_busy (self, FALSE);
  tenure_welcome_page_set_busy (self->welcome_page, NULL);

  if (db != NULL)
    {
      projects = tenure_portfolio_list_projects (db, &list_error);
      error = list_error;
    }

  if (error != NULL)
    {
      if (is_cancelled (error))
        show_workspace_or_welcome (self);
      else
        show_open_error (self, error);
      return;
    }

  tenure_welcome_page_show_error (self->welcome_page, NULL, NULL);
  set_database (self, db, request->location, projects);
  remember_location (self, request->location);
}

static void
open_database_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OpenRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_open_database_finish (result, &error);

  open_finished (request, db, error);
  open_request_free (request);
}

static void
open_demo_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OpenRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_open_demo_finish (result, &error);

  open_finished (request, db, error);
  open_request_free (request);
}

/* Starts an open: any earlier one is dropped, the welcome page shows MESSAGE with a spinner. */
static OpenRequest *
begin_open (TenureWindow *self,
            const char   *location,
            const char   *message)
{
  OpenRequest *request = g_new0 (OpenRequest, 1);

  if (self->open_cancellable != NULL)
    g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  self->open_cancellable = g_cancellable_new ();

  request->self = g_object_ref (self);
  request->cancellable = g_object_ref (self->open_cancellable);
  request->location = g_strdup (location);

  set_busy (self, TRUE);
  tenure_welcome_page_show_error (self->welcome_page, NULL, NULL);
  tenure_welcome_page_set_busy (self->welcome_page, message);
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
  return request;
}

static void
open_location_full (TenureWindow      *self,
                    const char        *location,
                    TenureDbOpenFlags  flags,
                    const char        *new_password)
{
  g_autofree char *message = NULL;
  OpenRequest *request;

  if (tenure_location_is_postgresql (location))
    {
      g_autofree char *host = tenure_location_conninfo_get (location, "host");
      /* TRANSLATORS: %s is a server name */
      message = g_strdup_printf (_("Connecting to %s…"), host ? host : location);
    }
  else
    {
      /* TRANSLATORS: %s is a file path */
      message = g_strdup_printf (_("Opening %s…"), location);
    }

  request = begin_open (self, location, message);
  tenure_open_database_async (location, flags, new_password, request->cancellable,
                              open_database_cb, request);
}

void
tenure_window_open_location (TenureWindow      *self,
                             const char        *location,
                             TenureDbOpenFlags  flags)
{
  g_return_if_fail (TENURE_IS_WINDOW (self));
  g_return_if_fail (location != NULL);

  open_location_full (self, location, flags, NULL);
}

static void
demo_progress_cb (double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  TenureWindow *self = user_data;

  tenure_welcome_page_set_progress (self->welcome_page, fraction, message);
}

void
tenure_window_open_demo (TenureWindow *self,
                         const char   *location)
{
  g_autofree char *path = NULL;
  OpenRequest *request;

  g_return_if_fail (TENURE_IS_WINDOW (self));

  path = location ? g_strdup (location) : tenure_demo_default_location ();
  request = begin_open (self, path, _("Preparing the demo portfolio…"));
  /* The request holds a reference on the window until the task finishes, which keeps the
   * progress target alive. */
  tenure_open_demo_async (path, request->cancellable, demo_progress_cb, self,
                          open_demo_cb, request);
}

void
tenure_window_close_database (TenureWindow *self)
{
  g_return_if_fail (TENURE_IS_WINDOW (self));

  set_database (self, NULL, NULL, NULL);
  g_settings_set_string (self->settings, "last-database", "");
}

TenureDb *
tenure_window_get_db (TenureWindow *self)
{
  g_return_val_if_fail (TENURE_IS_WINDOW (self), NULL);
  return self->db;
}

gboolean
tenure_window_is_busy (TenureWindow *self)
{
  g_return_val_if_fail (TENURE_IS_WINDOW (self), FALSE);
  return self->busy;
}

static GtkListBoxRow *
sidebar_row_for (TenureWindow *self,
                 const char   *section)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "section"), section) == 0)
      return GTK_LIST_BOX_ROW (row);
  return NULL;
}

void
tenure_window_show_section (TenureWindow *self,
                            const char   *section)
{
  GtkListBoxRow *row;

  g_return_if_fail (TENURE_IS_WINDOW (self));

  row = sidebar_row_for (self, section);
  if (row == NULL)
    {
      g_warning ("No section “%s”", section);
      return;
    }
  gtk_stack_set_visible_child_name (self->section_stack, section);
  gtk_list_box_select_row (self->sidebar_list, row);
  g_settings_set_string (self->settings, "last-section", section);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECTION]);
}

const char *
tenure_window_get_section (TenureWindow *self)
{
  g_return_val_if_fail (TENURE_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->section_stack);
}

GtkWidget *
tenure_window_get_section_page (TenureWindow *self,
                                const char   *section)
{
  g_return_val_if_fail (TENURE_IS_WINDOW (self), NULL);
  return gtk_stack_get_child_by_name (self->section_stack, section);
}

static void
sidebar_row_activated_cb (TenureWindow  *self,
                          GtkListBoxRow *row)
{
  tenure_window_show_section (self, g_object_get_data (G_OBJECT (row), "section"));
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
back_clicked_cb (TenureWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
project_selected_cb (TenureWindow *self)
{
  TenureProjectSummary *project = gtk_drop_down_get_selected_item (self->project_dropdown);

  if (project != NULL)
    {
      tenure_portfolio_page_select_project (self->portfolio_page,
                                            tenure_project_summary_get_code (project));
      tenure_analytics_page_select_project (self->analytics_page,
                                            tenure_project_summary_get_code (project));
    }
}

/* One sidebar row per page of the section stack: its icon and title come from the stack. */
static void
build_sidebar (TenureWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->section_stack);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkStackPage *page = GTK_STACK_PAGE (item);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon = gtk_image_new_from_icon_name (gtk_stack_page_get_icon_name (page));
      GtkWidget *label = gtk_label_new (gtk_stack_page_get_title (page));
      g_autofree char *tooltip = NULL;

      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      /* TRANSLATORS: a section name and its keyboard shortcut */
      tooltip = g_strdup_printf (_("%s (Ctrl+%u)"), gtk_stack_page_get_title (page), i + 1);
      gtk_widget_set_tooltip_text (row, tooltip);
      g_object_set_data_full (G_OBJECT (row), "section",
                              g_strdup (gtk_stack_page_get_name (page)), g_free);
      gtk_list_box_append (self->sidebar_list, row);
    }
}

static void
show_section_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TenureWindow *self = TENURE_WINDOW (widget);

  if (self->db == NULL)
    return;
  tenure_window_show_section (self, g_variant_get_string (parameter, NULL));
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
open_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  tenure_window_open_demo (TENURE_WINDOW (widget), NULL);
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  tenure_window_open_location (TENURE_WINDOW (widget), g_variant_get_string (parameter, NULL),
                               TENURE_DB_OPEN_DEFAULT);
}

static void
forget_recent_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TenureWindow *self = TENURE_WINDOW (widget);
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-databases");
  g_auto(GStrv) updated =
    tenure_location_recent_remove ((const char * const *) recent,
                                   g_variant_get_string (parameter, NULL));

  g_settings_set_strv (self->settings, "recent-databases", (const char * const *) updated);
  update_recent (self);
}

static void
cancel_open_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TenureWindow *self = TENURE_WINDOW (widget);

  if (self->open_cancellable == NULL)
    return;
  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  set_busy (self, FALSE);
  tenure_welcome_page_set_busy (self->welcome_page, NULL);
  show_workspace_or_welcome (self);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Opening cancelled")));
}

static void
close_database_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  tenure_window_close_database (TENURE_WINDOW (widget));
}

static void
chooser_response_cb (TenureWindow         *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  gboolean create = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser))
                    == GTK_FILE_CHOOSER_ACTION_SAVE;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autoptr(GError) error = g_error_new (TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                                             _("%s is not a local file"),
                                             g_file_peek_path (file));
      show_open_error (self, error);
      return;
    }

  if (create && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* Never overwrite: whatever is there may be somebody's data. */
      g_autoptr(GError) error =
        g_error_new (TENURE_ERROR, TENURE_ERROR_INVALID,
                     _("%s already exists. Choose a new file name for the empty database, "
                       "or open the existing file."), path);
      show_open_error (self, error);
      return;
    }

  tenure_window_open_location (self, path,
                               create ? TENURE_DB_OPEN_CREATE : TENURE_DB_OPEN_DEFAULT);
}

static void
run_chooser (TenureWindow         *self,
             GtkFileChooserAction  action)
{
  gboolean create = action == GTK_FILE_CHOOSER_ACTION_SAVE;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) databases = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (create ? _("New Database") : _("Open Database"),
                                         GTK_WINDOW (self), action,
                                         create ? _("_Create") : _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (databases, _("Tenure databases"));
  gtk_file_filter_add_pattern (databases, "*.db");
  gtk_file_filter_add_pattern (databases, "*.sqlite");
  gtk_file_filter_add_pattern (databases, "*.sqlite3");
  gtk_file_filter_add_pattern (databases, "*.tenure");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), databases);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  if (create)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("portfolio.db"));

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
new_database_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  run_chooser (TENURE_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_SAVE);
}

static void
open_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  run_chooser (TENURE_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
pg_dialog_response_cb (TenureWindow   *self,
                       const char     *response,
                       TenurePgDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = NULL;

  if (g_strcmp0 (response, "connect") != 0)
    return;

  conninfo = tenure_pg_dialog_get_conninfo (dialog, &error);
  if (conninfo == NULL)
    {
      show_open_error (self, error);
      return;
    }
  open_location_full (self, conninfo, TENURE_DB_OPEN_DEFAULT,
                      tenure_pg_dialog_get_password (dialog));
}

static void
connect_postgresql_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  TenureWindow *self = TENURE_WINDOW (widget);
  TenurePgDialog *dialog = tenure_pg_dialog_new (GTK_WINDOW (self));

  if (self->db != NULL && tenure_db_get_kind (self->db) == TENURE_DB_POSTGRESQL)
    tenure_pg_dialog_set_conninfo (dialog, self->location);
  g_signal_connect_object (dialog, "response", G_CALLBACK (pg_dialog_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tenure_window_dispose (GObject *object)
{
  TenureWindow *self = TENURE_WINDOW (object);

  if (self->open_cancellable != NULL)
    g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), TENURE_TYPE_WINDOW);

  g_clear_object (&self->projects);
  g_clear_object (&self->db);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tenure_window_parent_class)->dispose (object);
}

static void
tenure_window_finalize (GObject *object)
{
  TenureWindow *self = TENURE_WINDOW (object);

  g_free (self->location);

  G_OBJECT_CLASS (tenure_window_parent_class)->finalize (object);
}

static void
tenure_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TenureWindow *self = TENURE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DB:
      g_value_set_object (value, self->db);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_SECTION:
      g_value_set_string (value, tenure_window_get_section (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tenure_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TenureWindow *self = TENURE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SECTION:
      tenure_window_show_section (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
close_after_leave_idle (gpointer data)
{
  g_autoptr(GtkWidget) window = g_weak_ref_get (data);

  if (window != NULL)
    gtk_window_close (GTK_WINDOW (window));
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* After the layout editor's Save / Discard / Keep Editing question asked on closing: close
 * once the editor has left (saved or discarded), stay open when the user keeps editing or the
 * save was refused. From an idle, since the dialog is still emitting its response and would
 * be destroyed with the window under its feet. */
static void
close_after_leave_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      TenureWindow     *self)
{
  TenureFloorPlanEditor *editor = tenure_portfolio_page_get_layout_editor (self->portfolio_page);
  GWeakRef *ref;

  if (editor != NULL && tenure_floor_plan_editor_get_active (editor))
    return;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_after_leave_idle, ref, weak_ref_free);
}

/* Closing the window never drops unsaved floor-plan outlines without asking. */
static gboolean
tenure_window_close_request (GtkWindow *window)
{
  TenureWindow *self = TENURE_WINDOW (window);
  TenureFloorPlanEditor *editor = tenure_portfolio_page_get_layout_editor (self->portfolio_page);

  if (editor != NULL && tenure_floor_plan_editor_get_active (editor)
      && tenure_floor_plan_editor_has_unsaved_changes (editor))
    {
      GtkWidget *dialog = tenure_floor_plan_editor_request_leave (editor, window);

      if (dialog != NULL)
        {
          /* Connected after the editor's own handler, so it sees the editor's decision. */
          g_signal_connect_object (dialog, "response", G_CALLBACK (close_after_leave_cb), self,
                                   G_CONNECT_DEFAULT);
          return TRUE;
        }
    }
  if (GTK_WINDOW_CLASS (tenure_window_parent_class)->close_request != NULL)
    return GTK_WINDOW_CLASS (tenure_window_parent_class)->close_request (window);
  return FALSE;
}

static void
tenure_window_class_init (TenureWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *sections[] = {
    "portfolio", "contracts", "billing", "collections", "analytics", "settings",
  };

  object_class->dispose = tenure_window_dispose;
  object_class->finalize = tenure_window_finalize;
  object_class->get_property = tenure_window_get_property;
  object_class->set_property = tenure_window_set_property;
  GTK_WINDOW_CLASS (klass)->close_request = tenure_window_close_request;

  properties[PROP_DB] =
    g_param_spec_object ("db", NULL, NULL, TENURE_TYPE_DB,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECTION] =
    g_param_spec_string ("section", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TENURE_TYPE_WELCOME_PAGE);
  g_type_ensure (TENURE_TYPE_PORTFOLIO_PAGE);
  g_type_ensure (TENURE_TYPE_SETTINGS_PAGE);
  g_type_ensure (TENURE_TYPE_ANALYTICS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tenure/Tenure/tenure-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, project_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, db_title);
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, section_stack);
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, portfolio_page);
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, settings_page);
  gtk_widget_class_bind_template_child (widget_class, TenureWindow, analytics_page);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.show-section", "s", show_section_action);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.new-database", NULL,
                                   new_database_action);
  gtk_widget_class_install_action (widget_class, "win.open-file", NULL, open_file_action);
  gtk_widget_class_install_action (widget_class, "win.connect-postgresql", NULL,
                                   connect_postgresql_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.forget-recent", "s",
                                   forget_recent_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-open", NULL, cancel_open_action);
  gtk_widget_class_install_action (widget_class, "win.close-database", NULL,
                                   close_database_action);

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_CONTROL_MASK,
                                         "win.show-section", "s", sections[i]);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open-file", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-database", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
tenure_window_init (TenureWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  build_sidebar (self);
  g_signal_connect_object (self->project_dropdown, "notify::selected",
                           G_CALLBACK (project_selected_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-open", FALSE);

  self->settings = g_settings_new ("io.github.tenure.Tenure");
  g_settings_bind (self->settings, "window-width", self, "default-width",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized",
                   G_SETTINGS_BIND_DEFAULT);
  tenure_settings_page_set_settings (self->settings_page, self->settings);
  update_recent (self);
  set_database (self, NULL, NULL, NULL);
}

TenureWindow *
tenure_window_new (TenureApplication *application)
{
  return g_object_new (TENURE_TYPE_WINDOW, "application", application, NULL);
}
