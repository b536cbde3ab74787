/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-location"

#include "tenure-location.h"

#include <string.h>

gboolean
tenure_location_is_postgresql (const char *location)
{
  if (location == NULL)
    return FALSE;
  if (g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://"))
    return TRUE;
  /* A conninfo has key=value pairs; a file path with '=' in it starts with '/' or '.'. */
  return strchr (location, '=') != NULL && location[0] != '/' && location[0] != '.'
         && !g_str_has_prefix (location, "sqlite:");
}

static void
append_quoted (GString    *out,
               const char *value)
{
  g_string_append_c (out, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

static void
append_pair (GString    *out,
             const char *key,
             const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, key);
  g_string_append_c (out, '=');
  append_quoted (out, value);
}

char *
tenure_location_build_conninfo (const char *host,
                                guint       port,
                                const char *dbname,
                                const char *user)
{
  GString *out = g_string_new (NULL);

  append_pair (out, "host", host);
  if (port != 0)
    {
      char port_text[16];
      g_snprintf (port_text, sizeof port_text, "%u", port);
      append_pair (out, "port", port_text);
    }
  append_pair (out, "dbname", dbname);
  append_pair (out, "user", user);
  return g_string_free (out, FALSE);
}

/* Reads one value at *P (quoted or bare) into OUT; FALSE on an unterminated quote. */
static gboolean
read_value (const char **p,
            GString     *out)
{
  const char *s = *p;

  if (*s == '\'')
    {
      s++;
      while (*s != '\'')
        {
          if (*s == '\0')
            return FALSE;
          if (*s == '\\' && s[1] != '\0')
            s++;
          g_string_append_c (out, *s++);
        }
      s++;
    }
  else
    {
      while (*s != '\0' && !g_ascii_isspace (*s))
        {
          if (*s == '\\' && s[1] != '\0')
            s++;
          g_string_append_c (out, *s++);
        }
    }
  *p = s;
  return TRUE;
}

char *
tenure_location_conninfo_get (const char *conninfo,
                              const char *key)
{
  const char *p = conninfo;

  g_return_val_if_fail (key != NULL, NULL);
  if (conninfo == NULL)
    return NULL;

  while (*p != '\0')
    {
      g_autoptr(GString) name = g_string_new (NULL);
      g_autoptr(GString) value = g_string_new (NULL);

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;
      while (*p != '\0' && *p != '=' && !g_ascii_isspace (*p))
        g_string_append_c (name, *p++);
      while (g_ascii_isspace (*p))
        p++;
      if (*p != '=')
        return NULL;
      p++;
      while (g_ascii_isspace (*p))
        p++;
      if (!read_value (&p, value))
        return NULL;
      if (strcmp (name->str, key) == 0)
        return g_string_free (g_steal_pointer (&value), FALSE);
    }
  return NULL;
}

char *
tenure_location_with_password (const char *conninfo,
                               const char *password)
{
  GString *out = g_string_new (conninfo);

  append_pair (out, "password", password);
  return g_string_free (out, FALSE);
}

static gboolean
holds_password (const char *location)
{
  g_autofree char *password = NULL;

  if (!tenure_location_is_postgresql (location))
    return FALSE;
  if (g_str_has_prefix (location, "postgres"))
    {
      /* postgresql://user:secret@host/… or …?password=… */
      const char *rest = strstr (location, "://") + 3;
      const char *at = strchr (rest, '@');
      const char *colon = strchr (rest, ':');
      return (at != NULL && colon != NULL && colon < at) || strstr (location, "password=") != NULL;
    }
  password = tenure_location_conninfo_get (location, "password");
  return password != NULL;
}

char **
tenure_location_recent_add (const char * const *recent,
                            const char         *location,
                            guint               max_items)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  if (location == NULL || *location == '\0' || holds_password (location))
    return g_strdupv ((char **) recent);

  g_strv_builder_add (builder, location);
  n++;
  for (guint i = 0; recent != NULL && recent[i] != NULL && n < max_items; i++)
    {
      if (strcmp (recent[i], location) == 0)
        continue;
      g_strv_builder_add (builder, recent[i]);
      n++;
    }
  return g_strv_builder_end (builder);
}

char **
tenure_location_recent_remove (const char * const *recent,
                               const char         *location)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; recent != NULL && recent[i] != NULL; i++)
    if (g_strcmp0 (recent[i], location) != 0)
      g_strv_builder_add (builder, recent[i]);
  return g_strv_builder_end (builder);
}
