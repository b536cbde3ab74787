/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-dunning"

#include "collections/tenure-dunning.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "collections/tenure-open-item.h"

static void
action_free (TenureDunningAction *a)
{
  if (a == NULL)
    return;
  g_free (a->contract_code);
  g_free (a->tenant_code);
  g_free (a->level_name);
  g_free (a->kind);
  g_free (a->channel);
  g_free (a);
}

void
tenure_dunning_result_free (TenureDunningResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->actions, g_ptr_array_unref);
  g_free (result);
}

typedef struct
{
  gint64  id;
  gint64  project_id;   /* 0: the group default */
  int     level;
  char   *name;
  int     min_days;
  gint64  min_amount;
  int     cadence_days; /* 0: once per overdue episode */
  char   *action;
  char   *channel;
} Level;

static void
level_free (Level *l)
{
  g_free (l->name);
  g_free (l->action);
  g_free (l->channel);
  g_free (l);
}

/* Levels by project (0: defaults), each list by ascending level. */
static GHashTable *
load_levels (TenureDb  *db,
             GError   **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) by_project = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                            g_free,
                                                            (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GError) local_error = NULL;

  stmt = tenure_db_prepare (db,
                            "SELECT id, coalesce (project_id, 0), level, name, "
                            "  min_days_overdue, min_amount, coalesce (cadence_days, 0), "
                            "  action, channel FROM dunning_level ORDER BY level",
                            error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, &local_error))
    {
      Level *l = g_new0 (Level, 1);
      GPtrArray *list;

      l->id = tenure_stmt_column_int64 (stmt, 0);
      l->project_id = tenure_stmt_column_int64 (stmt, 1);
      l->level = (int) tenure_stmt_column_int64 (stmt, 2);
      l->name = g_strdup (tenure_stmt_column_text (stmt, 3));
      l->min_days = (int) tenure_stmt_column_int64 (stmt, 4);
      l->min_amount = tenure_stmt_column_int64 (stmt, 5);
      l->cadence_days = (int) tenure_stmt_column_int64 (stmt, 6);
      l->action = g_strdup (tenure_stmt_column_text (stmt, 7));
      l->channel = g_strdup (tenure_stmt_column_text (stmt, 8));
      list = g_hash_table_lookup (by_project, &l->project_id);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func ((GDestroyNotify) level_free);
          g_hash_table_insert (by_project, g_memdup2 (&l->project_id, sizeof (gint64)), list);
        }
      g_ptr_array_add (list, l);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&by_project);
}

/* One contract's overdue items in one currency. */
typedef struct
{
  gint64      contract_id;
  char       *contract_code;
  gint64      tenant_id;
  gint64      project_id;
  char        currency[4];
  gint64      amount;
  TenureDate  oldest;
} Overdue;

static void
overdue_free (Overdue *o)
{
  g_free (o->contract_code);
  g_free (o);
}

static int
compare_overdue (gconstpointer a,
                 gconstpointer b)
{
  const Overdue *x = *(Overdue * const *) a;
  const Overdue *y = *(Overdue * const *) b;
  int c = strcmp (x->contract_code, y->contract_code);

  return c != 0 ? c : strcmp (x->currency, y->currency);
}

/* Σ open of the items of a contract and currency due before @day, as of @day. */
static gboolean
overdue_on (TenureDb    *db,
            gint64       contract_id,
            const char  *currency,
            TenureDate   day,
            gint64      *out,
            GError     **error)
{
  TenureOpenItemFilter filter = { 0 };
  g_autoptr(GPtrArray) items = NULL;

  filter.contract_id = contract_id;
  filter.currency = currency;
  filter.as_of = day;
  items = tenure_open_items_load (db, &filter, error);
  if (items == NULL)
    return FALSE;
  *out = 0;
  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = items->pdata[i];

      if (item->due_date < day)
        *out += item->open;
    }
  return TRUE;
}

/* TRUE in *@out_ended when the contract's overdue balance reached 0 on some day after @since
 * up to @until: it can only fall on a day something was posted against its items. */
static gboolean
episode_ended (TenureDb    *db,
               gint64       contract_id,
               const char  *currency,
               TenureDate   since,
               TenureDate   until,
               gboolean    *out_ended,
               GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (TenureDate));
  g_autoptr(GError) local_error = NULL;
  char from[TENURE_DATE_ISO_BUF_SIZE], to[TENURE_DATE_ISO_BUF_SIZE];

  *out_ended = FALSE;
  stmt = tenure_db_prepare (db,
                            "SELECT a.posting_date FROM allocation a "
                            "JOIN bill_line bl ON bl.id = a.bill_line_id "
                            "JOIN bill b ON b.id = bl.bill_id "
                            "WHERE b.contract_id = $1 AND b.currency = $2 "
                            "AND a.posting_date > $3 AND a.posting_date <= $4 "
                            "UNION SELECT b.posting_date FROM bill b "
                            "WHERE b.contract_id = $1 AND b.currency = $2 "
                            "AND b.kind = 'credit_note' "
                            "AND b.posting_date > $3 AND b.posting_date <= $4 "
                            "ORDER BY 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, contract_id);
  tenure_stmt_bind_text (stmt, 2, currency);
  tenure_stmt_bind_text (stmt, 3, tenure_date_format_iso_buf (since, from));
  tenure_stmt_bind_text (stmt, 4, tenure_date_format_iso_buf (until, to));
  while (tenure_stmt_step (stmt, &local_error))
    {
      TenureDate day;

      if (!tenure_date_parse_iso (tenure_stmt_column_text (stmt, 0), &day, error))
        return FALSE;
      g_array_append_val (days, day);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < days->len; i++)
    {
      gint64 balance = 0;

      if (!overdue_on (db, contract_id, currency, g_array_index (days, TenureDate, i),
                       &balance, error))
        return FALSE;
      if (balance == 0)
        {
          *out_ended = TRUE;
          return TRUE;
        }
    }
  return TRUE;
}

/* Whether @level may be issued for @o now, given what earlier runs issued. */
static gboolean
may_issue (TenureDb       *db,
           const Overdue  *o,
           const Level    *level,
           TenureDate      as_of,
           gboolean       *out_may,
           GError        **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  char day[TENURE_DATE_ISO_BUF_SIZE];
  TenureDate last;
  gboolean ended = FALSE;

  stmt = tenure_db_prepare (db,
                            "SELECT max (as_of) FROM dunning_action "
                            "WHERE contract_id = $1 AND dunning_level_id = $2 "
                            "AND currency = $3 AND as_of <= $4 AND status <> 'cancelled'",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, o->contract_id);
  tenure_stmt_bind_int64 (stmt, 2, level->id);
  tenure_stmt_bind_text (stmt, 3, o->currency);
  tenure_stmt_bind_text (stmt, 4, tenure_date_format_iso_buf (as_of, day));
  if (!tenure_stmt_step (stmt, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *out_may = TRUE;
  if (tenure_stmt_column_is_null (stmt, 0))
    return TRUE;
  if (!tenure_date_parse_iso (tenure_stmt_column_text (stmt, 0), &last, error))
    return FALSE;
  if (level->cadence_days > 0 && as_of - last >= level->cadence_days)
    return TRUE;
  /* Within the cadence, or a once-only level: only a new overdue episode allows it. */
  if (!episode_ended (db, o->contract_id, o->currency, last, as_of, &ended, error))
    return FALSE;
  *out_may = ended;
  return TRUE;
}

static gboolean
write_action (TenureDb             *db,
              gint64                run_id,
              TenureDate            as_of,
              TenureDunningAction  *a,
              GError              **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  char day[TENURE_DATE_ISO_BUF_SIZE], oldest[TENURE_DATE_ISO_BUF_SIZE];

  stmt = tenure_db_prepare (db,
                            "INSERT INTO dunning_action (dunning_run_id, dunning_level_id, "
                            "  contract_id, tenant_id, as_of, kind, channel, overdue_amount, "
                            "  currency, oldest_due_date, days_overdue, status) "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                            "RETURNING id",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, run_id);
  tenure_stmt_bind_int64 (stmt, 2, a->dunning_level_id);
  tenure_stmt_bind_int64 (stmt, 3, a->contract_id);
  tenure_stmt_bind_int64 (stmt, 4, a->tenant_id);
  tenure_stmt_bind_text (stmt, 5, tenure_date_format_iso_buf (as_of, day));
  tenure_stmt_bind_text (stmt, 6, a->kind);
  tenure_stmt_bind_text (stmt, 7, a->channel);
  tenure_stmt_bind_int64 (stmt, 8, a->overdue_amount);
  tenure_stmt_bind_text (stmt, 9, a->currency);
  tenure_stmt_bind_text (stmt, 10, tenure_date_format_iso_buf (a->oldest_due_date, oldest));
  tenure_stmt_bind_int64 (stmt, 11, a->days_overdue);
  tenure_stmt_bind_text (stmt, 12, strcmp (a->kind, "task") == 0 ? "open" : "pending");
  return tenure_stmt_step_int64 (stmt, &a->id, error);
}

static gboolean
tenant_code (TenureDb    *db,
             gint64       tenant_id,
             char       **out,
             GError     **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, "SELECT code FROM tenant WHERE id = $1",
                                                  error);
  g_autoptr(GError) local_error = NULL;

  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, tenant_id);
  if (!tenure_stmt_step (stmt, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      *out = g_strdup ("?");
      return TRUE;
    }
  *out = g_strdup (tenure_stmt_column_text (stmt, 0));
  return TRUE;
}

static gboolean
dunning_in_transaction (TenureDb             *db,
                        TenureDate            as_of,
                        gboolean              dry_run,
                        TenureDunningResult  *result,
                        GError              **error)
{
  TenureOpenItemFilter filter = { 0 };
  g_autoptr(GHashTable) levels = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) overdue = g_ptr_array_new_with_free_func ((GDestroyNotify) overdue_free);
  char day[TENURE_DATE_ISO_BUF_SIZE];

  levels = load_levels (db, error);
  if (levels == NULL)
    return FALSE;
  filter.as_of = as_of;
  items = tenure_open_items_load (db, &filter, error);
  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = items->pdata[i];
      g_autofree char *key = NULL;
      Overdue *o;

      if (item->due_date >= as_of)
        continue;
      key = g_strdup_printf ("%" G_GINT64_FORMAT "/%s", item->contract_id, item->currency);
      o = g_hash_table_lookup (groups, key);
      if (o == NULL)
        {
          o = g_new0 (Overdue, 1);
          o->contract_id = item->contract_id;
          o->contract_code = g_strdup (item->contract_code);
          o->tenant_id = item->tenant_id;
          o->project_id = item->project_id;
          g_strlcpy (o->currency, item->currency, sizeof o->currency);
          o->oldest = item->due_date;
          g_ptr_array_add (overdue, o);
          g_hash_table_insert (groups, g_steal_pointer (&key), o);
        }
      o->amount += item->open;
      o->oldest = MIN (o->oldest, item->due_date);
    }
  g_ptr_array_sort (overdue, compare_overdue);
  result->contracts_overdue = overdue->len;

  if (!dry_run)
    {
      g_autoptr(TenureStmt) stmt = tenure_db_prepare (db,
                                                      "INSERT INTO dunning_run (as_of, actor) "
                                                      "VALUES ($1, $2) RETURNING id",
                                                      error);

      if (stmt == NULL)
        return FALSE;
      tenure_stmt_bind_text (stmt, 1, tenure_date_format_iso_buf (as_of, day));
      tenure_stmt_bind_text (stmt, 2, tenure_db_get_actor (db));
      if (!tenure_stmt_step_int64 (stmt, &result->run_id, error))
        return FALSE;
    }

  for (guint i = 0; i < overdue->len; i++)
    {
      Overdue *o = overdue->pdata[i];
      GPtrArray *list = g_hash_table_lookup (levels, &o->project_id);
      gint64 zero = 0;
      const Level *chosen = NULL;
      int days = (int) (as_of - o->oldest);
      gboolean may = FALSE;
      TenureDunningAction *a;

      /* A project's own levels replace the defaults entirely. */
      if (list == NULL || list->len == 0)
        list = g_hash_table_lookup (levels, &zero);
      for (guint k = 0; list != NULL && k < list->len; k++)
        {
          const Level *l = list->pdata[k];

          if (days >= l->min_days && o->amount >= l->min_amount)
            chosen = l;
        }
      if (chosen == NULL)
        continue;
      if (!may_issue (db, o, chosen, as_of, &may, error))
        return FALSE;
      if (!may)
        {
          result->repeats_skipped++;
          continue;
        }
      a = g_new0 (TenureDunningAction, 1);
      g_ptr_array_add (result->actions, a);
      a->contract_id = o->contract_id;
      a->contract_code = g_strdup (o->contract_code);
      a->tenant_id = o->tenant_id;
      if (!tenant_code (db, o->tenant_id, &a->tenant_code, error))
        return FALSE;
      g_strlcpy (a->currency, o->currency, sizeof a->currency);
      a->dunning_level_id = chosen->id;
      a->level = chosen->level;
      a->level_name = g_strdup (chosen->name);
      a->kind = g_strdup (chosen->action);
      a->channel = g_strdup (chosen->channel);
      a->overdue_amount = o->amount;
      a->oldest_due_date = o->oldest;
      a->days_overdue = days;
      if (strcmp (a->kind, "task") == 0)
        result->tasks++;
      else
        result->notices++;
      if (!dry_run && !write_action (db, result->run_id, as_of, a, error))
        return FALSE;
    }

  if (!dry_run)
    {
      g_autoptr(TenureStmt) stmt = tenure_db_prepare (db,
                                                      "UPDATE dunning_run SET notices = $2, "
                                                      "tasks = $3 WHERE id = $1",
                                                      error);

      if (stmt == NULL)
        return FALSE;
      tenure_stmt_bind_int64 (stmt, 1, result->run_id);
      tenure_stmt_bind_int64 (stmt, 2, result->notices);
      tenure_stmt_bind_int64 (stmt, 3, result->tasks);
      if (!tenure_stmt_run (stmt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tenure_dunning_run (TenureDb              *db,
                    TenureDate             as_of,
                    gboolean               dry_run,
                    TenureDunningResult  **out_result,
                    GError               **error)
{
  g_autoptr(TenureDunningResult) result = g_new0 (TenureDunningResult, 1);

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);

  if (!tenure_date_is_valid (as_of))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("A dunning run needs the date it runs as of."));
      return FALSE;
    }
  result->as_of = as_of;
  result->dry_run = dry_run;
  result->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) action_free);
  if (!tenure_db_begin (db, error))
    return FALSE;
  if (!dunning_in_transaction (db, as_of, dry_run, result, error))
    {
      tenure_db_rollback (db);
      return FALSE;
    }
  /* A dry run wrote nothing but may have read under the write lock: let it go. */
  if (dry_run)
    tenure_db_rollback (db);
  else if (!tenure_db_commit (db, error))
    return FALSE;  /* commit undoes the transaction itself */
  if (out_result != NULL)
    *out_result = g_steal_pointer (&result);
  return TRUE;
}
