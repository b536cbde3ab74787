/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-settings-page"

#include "tenure-settings-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _TenureSettingsPage
{
  GtkWidget     parent_instance;

  AdwActionRow *location_row;
  AdwActionRow *backend_row;
  AdwActionRow *schema_row;
  GtkLabel     *actor_label;
  GtkSwitch    *mask_switch;
};

G_DEFINE_FINAL_TYPE (TenureSettingsPage, tenure_settings_page, GTK_TYPE_WIDGET)

static void
tenure_settings_page_dispose (GObject *object)
{
  GtkWidget *child;
  gtk_widget_dispose_template (GTK_WIDGET (object), TENURE_TYPE_SETTINGS_PAGE);
  /* A plain GtkWidget owns its template's top child: unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tenure_settings_page_parent_class)->dispose (object);
}

static void
tenure_settings_page_class_init (TenureSettingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tenure_settings_page_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/tenure/Tenure/tenure-settings-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, TenureSettingsPage, location_row);
  gtk_widget_class_bind_template_child (widget_class, TenureSettingsPage, backend_row);
  gtk_widget_class_bind_template_child (widget_class, TenureSettingsPage, schema_row);
  gtk_widget_class_bind_template_child (widget_class, TenureSettingsPage, actor_label);
  gtk_widget_class_bind_template_child (widget_class, TenureSettingsPage, mask_switch);
}

static void
tenure_settings_page_init (TenureSettingsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
tenure_settings_page_set_db (TenureSettingsPage *self,
                             TenureDb           *db)
{
  g_autofree char *schema = NULL;
  const char *backend = "";

  g_return_if_fail (TENURE_IS_SETTINGS_PAGE (self));

  if (db == NULL)
    {
      adw_action_row_set_subtitle (self->location_row, "");
      adw_action_row_set_subtitle (self->backend_row, "");
      adw_action_row_set_subtitle (self->schema_row, "");
      gtk_label_set_text (self->actor_label, "");
      return;
    }

  switch (tenure_db_get_kind (db))
    {
    case TENURE_DB_SQLITE:
      backend = _("SQLite file (this computer)");
      break;
    case TENURE_DB_POSTGRESQL:
      backend = _("PostgreSQL server (shared)");
      break;
    default:
      g_assert_not_reached ();
    }
  /* TRANSLATORS: schema version of the open database, then the newest this build knows */
  schema = g_strdup_printf (_("%d (this version of Tenure knows up to %d)"),
                            tenure_db_get_schema_version (db),
                            tenure_db_latest_schema_version ());

  adw_action_row_set_subtitle (self->location_row, tenure_db_get_display_name (db));
  adw_action_row_set_subtitle (self->backend_row, backend);
  adw_action_row_set_subtitle (self->schema_row, schema);
  gtk_label_set_text (self->actor_label, tenure_db_get_actor (db));
}

void
tenure_settings_page_set_settings (TenureSettingsPage *self,
                                   GSettings          *settings)
{
  g_return_if_fail (TENURE_IS_SETTINGS_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_bind (settings, "mask-sensitive", self->mask_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
}
