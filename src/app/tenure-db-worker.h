/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/tenure-db.h"

G_BEGIN_DECLS

/* TenureDbWorker: loads for a screen off the main thread on a connection of its own (a TenureDb
 * is used by one thread at a time), one job at a time, the newest request winning. A job runs
 * in a GTask thread; a newer request cancels the running one and waits for it to end (the
 * connection is not shared), then runs; only the newest job's callback is ever called, so a
 * stale result can never show. The connection opens on the first job and reopens after a
 * failure (a lost PostgreSQL connection). */

#define TENURE_TYPE_DB_WORKER (tenure_db_worker_get_type ())
G_DECLARE_FINAL_TYPE (TenureDbWorker, tenure_db_worker, TENURE, DB_WORKER, GObject)

/* Runs in the worker thread on its connection DB; returns the result (freed with the job's
 * RESULT_FREE when not delivered) or NULL with ERROR set. Check CANCELLABLE between steps. */
typedef gpointer (*TenureDbWorkerFunc) (TenureDb      *db,
                                        gpointer       data,
                                        GCancellable  *cancellable,
                                        GError       **error);
/* Called on the main thread for the newest job only, with its RESULT (owned by the callee) or
 * ERROR (owned by the worker). Never called for a job cancelled or replaced. */
typedef void (*TenureDbWorkerDone) (gpointer      result,
                                    const GError *error,
                                    gpointer      user_data);

/* A worker that opens LOCATION for its connection as tenure_open_database_async () does
 * (keyring password included, no creation). */
TenureDbWorker *tenure_db_worker_new        (const char          *location);
const char     *tenure_db_worker_get_location (TenureDbWorker    *self);
/* Queues FUNC (DATA, freed with DATA_FREE once the job is over), replacing any running or
 * queued job; DONE (USER_DATA) gets the outcome unless a later run or a cancel comes first. */
void            tenure_db_worker_run        (TenureDbWorker      *self,
                                             TenureDbWorkerFunc   func,
                                             gpointer             data,
                                             GDestroyNotify       data_free,
                                             GDestroyNotify       result_free,
                                             TenureDbWorkerDone   done,
                                             gpointer             user_data);
/* Cancels the running and the queued job: neither callback will be called. */
void            tenure_db_worker_cancel     (TenureDbWorker      *self);
/* TRUE while a job whose callback is still due runs or waits. */
gboolean        tenure_db_worker_is_busy    (TenureDbWorker      *self);

G_END_DECLS
