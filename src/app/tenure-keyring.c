/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-keyring"

#include "tenure-keyring.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "base/tenure-error.h"
#include "tenure-location.h"

static const SecretSchema *
tenure_keyring_schema (void)
{
  static const SecretSchema schema = {
    "io.github.tenure.Tenure.PostgreSQL", SECRET_SCHEMA_NONE,
    {
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "port", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "dbname", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

/* Attributes from the conninfo; absent parts are stored as "" so lookups match exactly. */
static GHashTable *
attributes_for (const char *conninfo)
{
  static const char *keys[] = { "host", "port", "dbname", "user" };
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      char *value = tenure_location_conninfo_get (conninfo, keys[i]);
      g_hash_table_insert (attributes, (gpointer) keys[i], value ? value : g_strdup (""));
    }
  return attributes;
}

gboolean
tenure_keyring_store_password (const char    *conninfo,
                               const char    *password,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GHashTable) attributes = attributes_for (conninfo);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *user = tenure_location_conninfo_get (conninfo, "user");
  g_autofree char *host = tenure_location_conninfo_get (conninfo, "host");
  g_autofree char *label = g_strdup_printf (_("Tenure database password for %s on %s"),
                                            user ? user : "", host ? host : "");

  if (!secret_password_storev_sync (tenure_keyring_schema (), attributes,
                                    SECRET_COLLECTION_DEFAULT, label, password,
                                    cancellable, &local_error))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED,
                   _("Could not save the password in the keyring: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

char *
tenure_keyring_lookup_password (const char    *conninfo,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(GHashTable) attributes = attributes_for (conninfo);
  g_autoptr(GError) local_error = NULL;
  char *secret;

  secret = secret_password_lookupv_sync (tenure_keyring_schema (), attributes, cancellable,
                                         &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED,
                   _("Could not read the password from the keyring: %s"),
                   local_error->message);
      return NULL;
    }
  if (secret == NULL)
    return NULL;

  /* Hand back ordinary memory; the secret copy is wiped on free. */
  {
    char *copy = g_strdup (secret);
    secret_password_free (secret);
    return copy;
  }
}
