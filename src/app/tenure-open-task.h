/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Opening a database off the main thread: a PostgreSQL connect can take seconds, a demo
 * portfolio takes longer to generate. */

/* Opens LOCATION in a worker thread. For a PostgreSQL conninfo the password comes from the
 * keyring; NEW_PASSWORD, when not NULL, is first stored there. Cancelling makes the task
 * finish with G_IO_ERROR_CANCELLED and drop whatever it opened. */
void      tenure_open_database_async  (const char          *location,
                                       TenureDbOpenFlags    flags,
                                       const char          *new_password,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
TenureDb *tenure_open_database_finish (GAsyncResult        *result,
                                       GError             **error);

/* The same open (keyring password included) in the calling thread: a worker's own
 * connection. */
TenureDb *tenure_open_database_sync   (const char          *location,
                                       GCancellable        *cancellable,
                                       GError             **error);

/* Called on the main thread while the demo is generated; FRACTION runs from 0 to 1. */
typedef void (*TenureOpenProgress) (double      fraction,
                                    const char *message,
                                    gpointer    user_data);

/* Opens the demo portfolio at LOCATION (NULL: tenure_demo_default_location ()), generating the
 * small demo first when the file is missing. The demo is written to a temporary file beside
 * it and renamed into place only when complete, so a cancelled or failed run leaves nothing.
 * PROGRESS_DATA must stay alive until CALLBACK runs. */
void      tenure_open_demo_async      (const char          *location,
                                       GCancellable        *cancellable,
                                       TenureOpenProgress   progress,
                                       gpointer             progress_data,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
TenureDb *tenure_open_demo_finish     (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
