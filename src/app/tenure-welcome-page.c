/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-welcome-page"

#include "tenure-welcome-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tenure-location.h"

struct _TenureWelcomePage
{
  GtkWidget       parent_instance;

  AdwStatusPage  *status_page;
  GtkWidget      *error_box;
  GtkLabel       *error_title;
  GtkLabel       *error_label;
  GtkWidget      *busy_box;
  GtkSpinner     *busy_spinner;
  GtkLabel       *busy_label;
  GtkProgressBar *progress_bar;
  GtkWidget      *actions_box;
  GtkWidget      *demo_button;
  GtkWidget      *recent_group;
  GtkListBox     *recent_list;
};

G_DEFINE_FINAL_TYPE (TenureWelcomePage, tenure_welcome_page, GTK_TYPE_WIDGET)

static void
dismiss_error_cb (TenureWelcomePage *self)
{
  tenure_welcome_page_show_error (self, NULL, NULL);
}

static void
recent_row_activated_cb (TenureWelcomePage *self,
                         GtkListBoxRow     *row)
{
  const char *location = g_object_get_data (G_OBJECT (row), "location");

  if (location != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-recent", "s", location);
}

static void
tenure_welcome_page_dispose (GObject *object)
{
  GtkWidget *child;
  gtk_widget_dispose_template (GTK_WIDGET (object), TENURE_TYPE_WELCOME_PAGE);
  /* A plain GtkWidget owns its template's top child: unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tenure_welcome_page_parent_class)->dispose (object);
}

static void
tenure_welcome_page_class_init (TenureWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tenure_welcome_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tenure/Tenure/tenure-welcome-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, TenureWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, TenureWelcomePage, error_box);
  gtk_widget_class_bind_template_child (widget_class, TenureWelcomePage, error_title);
  gtk_widget_class_bind_template_child (widget_class, TenureWelcomePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TenureWelcomePage, busy_box);
  gtk_widget_class_bind_template_child (widget_class, TenureWelcomePage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, TenureWelcomePage, busy_label);
  gtk_widget_class_bind_template_child (widget_class, TenureWelcomePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TenureWelcomePage, actions_box);
  gtk_widget_class_bind_template_child (widget_class, TenureWelcomePage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, TenureWelcomePage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, TenureWelcomePage, recent_list);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_error_cb);
  gtk_widget_class_bind_template_callback (widget_class, recent_row_activated_cb);
}

static void
tenure_welcome_page_init (TenureWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The icon ships in the resource, so it shows uninstalled and under a .Devel id too. */
  adw_status_page_set_icon_name (self->status_page, "io.github.tenure.Tenure");
}

/* A short title for a location: the file name, or user@host/dbname. */
static char *
location_title (const char *location)
{
  if (tenure_location_is_postgresql (location))
    {
      g_autofree char *host = tenure_location_conninfo_get (location, "host");
      g_autofree char *dbname = tenure_location_conninfo_get (location, "dbname");
      g_autofree char *user = tenure_location_conninfo_get (location, "user");

      if (host == NULL && dbname == NULL)
        return g_strdup (location);
      return g_strdup_printf ("%s%s%s/%s", user ? user : "", user ? "@" : "",
                              host ? host : "localhost", dbname ? dbname : "");
    }
  return g_path_get_basename (location);
}

void
tenure_welcome_page_set_recent (TenureWelcomePage  *self,
                                const char * const *recent)
{
  GtkWidget *child;
  guint n = 0;

  g_return_if_fail (TENURE_IS_WELCOME_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (; recent != NULL && recent[n] != NULL; n++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *forget = gtk_button_new_from_icon_name ("edit-delete-symbolic");
      g_autofree char *title = location_title (recent[n]);
      gboolean remote = tenure_location_is_postgresql (recent[n]);

      /* Titles are data (file names), not markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), recent[n]);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row),
                                    remote ? "network-server-symbolic"
                                           : "x-office-document-symbolic");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "location", g_strdup (recent[n]), g_free);

      gtk_widget_set_valign (forget, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (forget, "flat");
      gtk_widget_set_tooltip_text (forget, _("Remove from the list"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (forget), "win.forget-recent");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (forget), "s", recent[n]);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), forget);

      gtk_list_box_append (self->recent_list, row);
    }
  gtk_widget_set_visible (self->recent_group, n > 0);
}

void
tenure_welcome_page_show_error (TenureWelcomePage *self,
                                const char        *title,
                                const char        *message)
{
  g_return_if_fail (TENURE_IS_WELCOME_PAGE (self));

  gtk_label_set_text (self->error_title, title ? title : "");
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (self->error_box, message != NULL);
}

const char *
tenure_welcome_page_get_error (TenureWelcomePage *self)
{
  g_return_val_if_fail (TENURE_IS_WELCOME_PAGE (self), NULL);

  if (!gtk_widget_get_visible (self->error_box))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

void
tenure_welcome_page_set_busy (TenureWelcomePage *self,
                              const char        *message)
{
  gboolean busy = message != NULL;

  g_return_if_fail (TENURE_IS_WELCOME_PAGE (self));

  gtk_label_set_text (self->busy_label, message ? message : "");
  gtk_widget_set_visible (self->busy_box, busy);
  gtk_spinner_set_spinning (self->busy_spinner, busy);
  gtk_widget_set_visible (self->actions_box, !busy);
  gtk_widget_set_sensitive (self->recent_group, !busy);
  if (!busy)
    gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
}

void
tenure_welcome_page_set_progress (TenureWelcomePage *self,
                                  double             fraction,
                                  const char        *text)
{
  g_return_if_fail (TENURE_IS_WELCOME_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), fraction >= 0);
  if (fraction >= 0)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
      gtk_progress_bar_set_text (self->progress_bar, text);
    }
}
