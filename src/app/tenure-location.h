/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Helpers for database locations as the app keeps them: file paths, or libpq conninfo strings
 * "host=… port=… dbname=… user=…" that never hold a password. */

/* TRUE when LOCATION names a PostgreSQL database (a URI or a key=value conninfo). */
gboolean  tenure_location_is_postgresql   (const char         *location);

/* A conninfo from its parts, values quoted as libpq wants; PORT 0 leaves the port out. */
char     *tenure_location_build_conninfo  (const char         *host,
                                           guint               port,
                                           const char         *dbname,
                                           const char         *user);

/* The value of KEY in a key=value conninfo, unquoted, or NULL when it is absent or the
 * conninfo does not parse. */
char     *tenure_location_conninfo_get    (const char         *conninfo,
                                           const char         *key);

/* CONNINFO with " password='…'" appended, quoted. */
char     *tenure_location_with_password   (const char         *conninfo,
                                           const char         *password);

/* A new recent list: LOCATION first, its older copies removed, at most MAX_ITEMS entries.
 * Passwords are never kept: a location that holds one is refused (returns a copy of RECENT). */
char    **tenure_location_recent_add      (const char * const *recent,
                                           const char         *location,
                                           guint               max_items);

/* The recent list without LOCATION. */
char    **tenure_location_recent_remove   (const char * const *recent,
                                           const char         *location);

G_END_DECLS
