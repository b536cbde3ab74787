/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* PostgreSQL passwords in the desktop keyring (libsecret), keyed by the server, port, database
 * and user of a conninfo. They are never written to GSettings or to any file. Both calls block:
 * run them in a worker thread. */

gboolean  tenure_keyring_store_password  (const char    *conninfo,
                                          const char    *password,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* The stored password, or NULL (error unset) when the keyring has none for CONNINFO. */
char     *tenure_keyring_lookup_password (const char    *conninfo,
                                          GCancellable  *cancellable,
                                          GError       **error);

G_END_DECLS
