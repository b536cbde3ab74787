/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-open-task"

#include "tenure-open-task.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "base/tenure-error.h"
#include "demo/tenure-demo.h"
#include "tenure-keyring.h"
#include "tenure-location.h"

typedef struct
{
  char              *location;
  TenureDbOpenFlags  flags;
  char              *new_password;

  /* Demo progress, forwarded to the caller's main context. */
  GMainContext      *context;
  TenureOpenProgress progress;
  gpointer           progress_data;
  GCancellable      *cancellable;
  double             last_fraction;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->location);
  if (data->new_password != NULL)
    {
      /* Do not leave the password lying around in freed memory. */
      memset (data->new_password, 0, strlen (data->new_password));
      g_free (data->new_password);
    }
  g_clear_pointer (&data->context, g_main_context_unref);
  g_clear_object (&data->cancellable);
  g_free (data);
}

/* Runs in the worker: the password for a PostgreSQL location goes keyring → conninfo. */
static TenureDb *
open_location (OpenData      *data,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *password = NULL;
  g_autofree char *conninfo = NULL;
  g_autoptr(GError) keyring_error = NULL;
  TenureDb *db;

  if (!tenure_location_is_postgresql (data->location)
      || g_str_has_prefix (data->location, "postgres"))
    return tenure_db_open (data->location, data->flags, error);

  /* A conninfo given with its password (tenure --db "… password=…") needs no keyring. */
  password = tenure_location_conninfo_get (data->location, "password");
  if (password != NULL)
    {
      memset (password, 0, strlen (password));
      return tenure_db_open (data->location, data->flags, error);
    }

  if (data->new_password != NULL && *data->new_password != '\0'
      && !tenure_keyring_store_password (data->location, data->new_password, cancellable, error))
    return NULL;

  password = tenure_keyring_lookup_password (data->location, cancellable, &keyring_error);
  if (keyring_error != NULL)
    /* No keyring: libpq may still find the password in ~/.pgpass or PGPASSWORD. */
    g_message ("%s", keyring_error->message);

  if (password == NULL)
    return tenure_db_open (data->location, data->flags, error);

  conninfo = tenure_location_with_password (data->location, password);
  db = tenure_db_open (conninfo, data->flags, error);
  memset (password, 0, strlen (password));
  memset (conninfo, 0, strlen (conninfo));
  return db;
}

TenureDb *
tenure_open_database_sync (const char    *location,
                           GCancellable  *cancellable,
                           GError       **error)
{
  OpenData data = { .location = (char *) location, .flags = TENURE_DB_OPEN_DEFAULT };

  return open_location (&data, cancellable, error);
}

static void
open_database_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  OpenData *data = task_data;
  g_autoptr(TenureDb) db = NULL;
  GError *error = NULL;

  db = open_location (data, cancellable, &error);
  if (db == NULL)
    g_task_return_error (task, error);
  else if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_steal_pointer (&db), g_object_unref);
}

void
tenure_open_database_async (const char          *location,
                            TenureDbOpenFlags    flags,
                            const char          *new_password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  OpenData *data = g_new0 (OpenData, 1);

  data->location = g_strdup (location);
  data->flags = flags;
  data->new_password = g_strdup (new_password);
  g_task_set_source_tag (task, tenure_open_database_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  /* The result is dropped on cancel; keep the error instead of a stale database. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, open_database_thread);
}

TenureDb *
tenure_open_database_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  TenureOpenProgress  progress;
  gpointer            progress_data;
  GCancellable       *cancellable;
  double              fraction;
  char               *message;
} ProgressUpdate;

static void
progress_update_free (ProgressUpdate *update)
{
  g_clear_object (&update->cancellable);
  g_free (update->message);
  g_free (update);
}

static gboolean
progress_update_dispatch (gpointer user_data)
{
  ProgressUpdate *update = user_data;

  /* After a cancel the caller has moved on and may no longer expect updates. */
  if (!g_cancellable_is_cancelled (update->cancellable))
    update->progress (update->fraction, update->message, update->progress_data);
  return G_SOURCE_REMOVE;
}

static void
demo_progress_cb (double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  OpenData *data = user_data;
  ProgressUpdate *update;

  if (data->progress == NULL)
    return;
  /* Coalesce: the generator may report far more often than a progress bar can show. */
  if (fraction < 1.0 && fraction - data->last_fraction < 0.005)
    return;
  data->last_fraction = fraction;

  update = g_new0 (ProgressUpdate, 1);
  update->progress = data->progress;
  update->progress_data = data->progress_data;
  update->cancellable = data->cancellable ? g_object_ref (data->cancellable) : NULL;
  update->fraction = CLAMP (fraction, 0.0, 1.0);
  update->message = g_strdup (message);
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, progress_update_dispatch,
                              update, (GDestroyNotify) progress_update_free);
}

static void
remove_sqlite_files (const char *path)
{
  /* The file, SQLite's companions and the store's migration lock beside it. */
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal", ".migration.lock" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_remove (file);
    }
}

static gboolean
generate_demo (OpenData      *data,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *partial = g_strconcat (data->location, ".partial", NULL);
  g_autofree char *dir = g_path_get_dirname (data->location);
  g_autoptr(TenureDb) db = NULL;
  /* The seed tenure-cli uses by default, so both make the same demo. */
  TenureDemoOptions options = { .seed = 42, .scale = TENURE_DEMO_SCALE_SMALL };

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO,
                   _("Could not create the folder %s for the demo portfolio: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* A leftover from an interrupted run is never a usable demo. */
  remove_sqlite_files (partial);
  db = tenure_db_open (partial, TENURE_DB_OPEN_CREATE, error);
  if (db == NULL)
    return FALSE;
  if (!tenure_demo_generate (db, &options, demo_progress_cb, data, cancellable, error))
    {
      g_clear_object (&db);
      remove_sqlite_files (partial);
      return FALSE;
    }
  g_clear_object (&db);

  if (g_rename (partial, data->location) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_IO,
                   _("Could not move the demo portfolio into place at %s: %s"),
                   data->location, g_strerror (saved_errno));
      remove_sqlite_files (partial);
      return FALSE;
    }
  /* Only the lock of the temporary name is left; the renamed file has its own. */
  remove_sqlite_files (partial);
  return TRUE;
}

static void
open_demo_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  OpenData *data = task_data;
  g_autoptr(TenureDb) db = NULL;
  GError *error = NULL;

  if (!g_file_test (data->location, G_FILE_TEST_EXISTS)
      && !generate_demo (data, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  db = tenure_db_open (data->location, TENURE_DB_OPEN_DEFAULT, &error);
  if (db == NULL)
    g_task_return_error (task, error);
  else if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_steal_pointer (&db), g_object_unref);
}

void
tenure_open_demo_async (const char          *location,
                        GCancellable        *cancellable,
                        TenureOpenProgress   progress,
                        gpointer             progress_data,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  OpenData *data = g_new0 (OpenData, 1);

  data->location = location ? g_strdup (location) : tenure_demo_default_location ();
  data->context = g_main_context_ref_thread_default ();
  data->progress = progress;
  data->progress_data = progress_data;
  data->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  data->last_fraction = -1.0;
  g_task_set_source_tag (task, tenure_open_demo_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_demo_thread);
}

TenureDb *
tenure_open_demo_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
