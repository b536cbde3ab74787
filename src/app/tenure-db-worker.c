/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-db-worker"

#include "tenure-db-worker.h"

#include "tenure-open-task.h"

typedef struct
{
  TenureDbWorkerFunc  func;
  gpointer            data;
  GDestroyNotify      data_free;
  GDestroyNotify      result_free;
  TenureDbWorkerDone  done;
  gpointer            user_data;
  GCancellable       *cancellable;
  gboolean            dropped;   /* replaced or cancelled: DONE is not called */
} Job;

struct _TenureDbWorker
{
  GObject   parent_instance;

  char     *location;
  TenureDb *db;        /* touched only by the one job running, or between jobs */
  Job      *running;
  Job      *pending;
};

G_DEFINE_FINAL_TYPE (TenureDbWorker, tenure_db_worker, G_TYPE_OBJECT)

static void
job_free (Job *job)
{
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  TenureDbWorker *self = source_object;
  Job *job = task_data;
  GError *error = NULL;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->db == NULL)
    {
      self->db = tenure_open_database_sync (self->location, cancellable, &error);
      if (self->db == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  result = job->func (self->db, job->data, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error != NULL ? error
                                             : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                                    "no result"));
  else
    g_task_return_pointer (task, result, job->result_free);
}

static void start_job (TenureDbWorker *self,
                       Job            *job);

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  TenureDbWorker *self = TENURE_DB_WORKER (source);
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  gpointer value = g_task_propagate_pointer (G_TASK (result), &error);

  g_assert (self->running == job);
  self->running = NULL;
  /* The connection may be what failed: the next job opens a fresh one. */
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_clear_object (&self->db);

  if (!job->dropped)
    job->done (value, error, job->user_data);
  else if (value != NULL && job->result_free != NULL)
    job->result_free (value);
  job_free (job);

  if (self->running == NULL && self->pending != NULL)
    {
      Job *next = g_steal_pointer (&self->pending);

      start_job (self, next);
    }
}

static void
start_job (TenureDbWorker *self,
           Job            *job)
{
  g_autoptr(GTask) task = g_task_new (self, job->cancellable, job_done_cb, job);

  self->running = job;
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, NULL);
  /* The thread must end before the next job takes the connection. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, job_thread);
}

TenureDbWorker *
tenure_db_worker_new (const char *location)
{
  TenureDbWorker *self = g_object_new (TENURE_TYPE_DB_WORKER, NULL);

  self->location = g_strdup (location);
  return self;
}

const char *
tenure_db_worker_get_location (TenureDbWorker *self)
{
  g_return_val_if_fail (TENURE_IS_DB_WORKER (self), NULL);
  return self->location;
}

void
tenure_db_worker_run (TenureDbWorker     *self,
                      TenureDbWorkerFunc  func,
                      gpointer            data,
                      GDestroyNotify      data_free,
                      GDestroyNotify      result_free,
                      TenureDbWorkerDone  done,
                      gpointer            user_data)
{
  Job *job;

  g_return_if_fail (TENURE_IS_DB_WORKER (self));
  g_return_if_fail (func != NULL && done != NULL);

  job = g_new0 (Job, 1);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  job->done = done;
  job->user_data = user_data;
  job->cancellable = g_cancellable_new ();

  tenure_db_worker_cancel (self);
  if (self->running != NULL)
    self->pending = job;
  else
    start_job (self, job);
}

void
tenure_db_worker_cancel (TenureDbWorker *self)
{
  g_return_if_fail (TENURE_IS_DB_WORKER (self));

  if (self->running != NULL)
    {
      self->running->dropped = TRUE;
      g_cancellable_cancel (self->running->cancellable);
    }
  g_clear_pointer (&self->pending, job_free);
}

gboolean
tenure_db_worker_is_busy (TenureDbWorker *self)
{
  g_return_val_if_fail (TENURE_IS_DB_WORKER (self), FALSE);
  return self->pending != NULL || (self->running != NULL && !self->running->dropped);
}

static void
tenure_db_worker_finalize (GObject *object)
{
  TenureDbWorker *self = TENURE_DB_WORKER (object);

  /* A running task holds a reference: nothing runs by now. */
  g_assert (self->running == NULL);
  g_clear_pointer (&self->pending, job_free);
  g_clear_object (&self->db);
  g_free (self->location);

  G_OBJECT_CLASS (tenure_db_worker_parent_class)->finalize (object);
}

static void
tenure_db_worker_class_init (TenureDbWorkerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tenure_db_worker_finalize;
}

static void
tenure_db_worker_init (TenureDbWorker *self)
{
}
