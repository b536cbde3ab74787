/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-application"

#include "tenure-application.h"

#include <glib/gi18n.h>

#include "tenure-location.h"
#include "tenure-resources.h"
#include "tenure-window.h"

struct _TenureApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (TenureApplication, tenure_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Open the database at LOCATION (a file or a PostgreSQL conninfo)"), N_("LOCATION") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the demo portfolio, generating it first when missing"), NULL },
  { NULL }
};

void
tenure_application_register_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      tenure_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

GSettings *
tenure_application_get_settings (TenureApplication *self)
{
  g_return_val_if_fail (TENURE_IS_APPLICATION (self), NULL);
  return self->settings;
}

static TenureWindow *
get_window (TenureApplication *self,
            gboolean          *created)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  *created = window == NULL;
  if (window == NULL)
    window = GTK_WINDOW (tenure_window_new (self));
  return TENURE_WINDOW (window);
}

static int
tenure_application_command_line (GApplication            *application,
                                 GApplicationCommandLine *command_line)
{
  TenureApplication *self = TENURE_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree char *location = NULL;
  gboolean demo = FALSE;
  gboolean created;
  TenureWindow *window;

  g_variant_dict_lookup (options, "db", "s", &location);
  g_variant_dict_lookup (options, "demo", "b", &demo);

  window = get_window (self, &created);
  if (demo)
    tenure_window_open_demo (window, NULL);
  else if (location != NULL)
    {
      /* A relative path means relative to where the command ran. */
      g_autoptr(GFile) file = NULL;

      if (!g_path_is_absolute (location) && !tenure_location_is_postgresql (location))
        {
          file = g_application_command_line_create_file_for_arg (command_line, location);
          g_free (location);
          location = g_file_get_path (file);
        }
      tenure_window_open_location (window, location, TENURE_DB_OPEN_DEFAULT);
    }
  else if (created)
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-database");
      if (*last != '\0')
        tenure_window_open_location (window, last, TENURE_DB_OPEN_DEFAULT);
    }

  gtk_window_present (GTK_WINDOW (window));
  return 0;
}

static void
tenure_application_activate (GApplication *application)
{
  TenureApplication *self = TENURE_APPLICATION (application);
  gboolean created;
  TenureWindow *window = get_window (self, &created);

  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  TenureApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "Tenure developers", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Tenure"),
                         "application-icon", "io.github.tenure.Tenure",
                         "version", TENURE_VERSION,
                         "developer-name", _("Tenure developers"),
                         "developers", developers,
                         "comments", _("Leasing, billing and collections for property "
                                       "portfolios"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
tenure_application_startup (GApplication *application)
{
  TenureApplication *self = TENURE_APPLICATION (application);
  static const GActionEntry actions[] = {
    { "about", about_action },
    { "quit", quit_action },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };

  tenure_application_register_resources ();

  G_APPLICATION_CLASS (tenure_application_parent_class)->startup (application);

  self->settings = g_settings_new ("io.github.tenure.Tenure");
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static void
tenure_application_dispose (GObject *object)
{
  TenureApplication *self = TENURE_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tenure_application_parent_class)->dispose (object);
}

static void
tenure_application_class_init (TenureApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tenure_application_dispose;
  app_class->startup = tenure_application_startup;
  app_class->activate = tenure_application_activate;
  app_class->command_line = tenure_application_command_line;
}

static void
tenure_application_init (TenureApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  /* Translated when --help prints. */
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Leasing, billing and collections for "
                                              "property portfolios"));
}

TenureApplication *
tenure_application_new (void)
{
  return g_object_new (TENURE_TYPE_APPLICATION,
                       "application-id", TENURE_APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/tenure/Tenure",
                       NULL);
}
