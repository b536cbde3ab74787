/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-pg-dialog"

#include "tenure-pg-dialog.h"

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "tenure-location.h"

struct _TenurePgDialog
{
  AdwMessageDialog  parent_instance;

  AdwEntryRow      *host_row;
  AdwEntryRow      *port_row;
  AdwEntryRow      *dbname_row;
  AdwEntryRow      *user_row;
  AdwEntryRow      *password_row;
  GtkLabel         *problem_label;
};

G_DEFINE_FINAL_TYPE (TenurePgDialog, tenure_pg_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
fields_changed_cb (TenurePgDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = tenure_pg_dialog_get_conninfo (self, &error);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "connect",
                                           conninfo != NULL);
  gtk_label_set_text (self->problem_label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), error != NULL);
}

static void
tenure_pg_dialog_class_init (TenurePgDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tenure/Tenure/tenure-pg-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TenurePgDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, TenurePgDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, TenurePgDialog, dbname_row);
  gtk_widget_class_bind_template_child (widget_class, TenurePgDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, TenurePgDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, TenurePgDialog, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, fields_changed_cb);
}

static void
tenure_pg_dialog_init (TenurePgDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), g_get_user_name ());
  fields_changed_cb (self);
}

TenurePgDialog *
tenure_pg_dialog_new (GtkWindow *parent)
{
  return g_object_new (TENURE_TYPE_PG_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}

static char *
field_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

char *
tenure_pg_dialog_get_conninfo (TenurePgDialog  *self,
                               GError         **error)
{
  g_autofree char *host = field_text (self->host_row);
  g_autofree char *port_text = field_text (self->port_row);
  g_autofree char *dbname = field_text (self->dbname_row);
  g_autofree char *user = field_text (self->user_row);
  guint64 port = 0;

  g_return_val_if_fail (TENURE_IS_PG_DIALOG (self), NULL);

  if (*host == '\0')
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID, _("Server: enter a host name."));
      return NULL;
    }
  if (*port_text != '\0'
      && (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL)))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Port: “%s” is not a port number from 1 to 65535."), port_text);
      return NULL;
    }
  if (*dbname == '\0')
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Database: enter the name of the database."));
      return NULL;
    }
  if (*user == '\0')
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID, _("User: enter a user name."));
      return NULL;
    }
  return tenure_location_build_conninfo (host, (guint) port, dbname, user);
}

const char *
tenure_pg_dialog_get_password (TenurePgDialog *self)
{
  g_return_val_if_fail (TENURE_IS_PG_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

void
tenure_pg_dialog_set_conninfo (TenurePgDialog *self,
                               const char     *conninfo)
{
  struct { const char *key; AdwEntryRow *row; } fields[] = {
    { "host", self->host_row },
    { "port", self->port_row },
    { "dbname", self->dbname_row },
    { "user", self->user_row },
  };

  g_return_if_fail (TENURE_IS_PG_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = tenure_location_conninfo_get (conninfo, fields[i].key);
      if (value != NULL)
        gtk_editable_set_text (GTK_EDITABLE (fields[i].row), value);
    }
}
