/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-aging"

#include "collections/tenure-aging.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

static const char * const bucket_keys[] = {
  "not_due", "1-30", "31-60", "61-90", "91-180", "181-365", "over_365",
};
static const char * const bucket_labels[] = {
  N_("Not due"), N_("1–30 days"), N_("31–60 days"), N_("61–90 days"), N_("91–180 days"),
  N_("181–365 days"), N_("Over 365 days"),
};
static const char * const group_names[] = { "none", "project", "tenant", "contract" };

G_STATIC_ASSERT (G_N_ELEMENTS (bucket_keys) == TENURE_AGING_N_BUCKETS);
G_STATIC_ASSERT (G_N_ELEMENTS (bucket_labels) == TENURE_AGING_N_BUCKETS);

TenureAgingBucket
tenure_aging_bucket_for_days (gint64 days_past_due)
{
  if (days_past_due <= 0)
    return TENURE_AGING_NOT_DUE;
  if (days_past_due <= 30)
    return TENURE_AGING_1_30;
  if (days_past_due <= 60)
    return TENURE_AGING_31_60;
  if (days_past_due <= 90)
    return TENURE_AGING_61_90;
  if (days_past_due <= 180)
    return TENURE_AGING_91_180;
  if (days_past_due <= 365)
    return TENURE_AGING_181_365;
  return TENURE_AGING_OVER_365;
}

const char *
tenure_aging_bucket_label (TenureAgingBucket bucket)
{
  g_return_val_if_fail ((guint) bucket < TENURE_AGING_N_BUCKETS, NULL);
  return _(bucket_labels[bucket]);
}

const char *
tenure_aging_bucket_key (TenureAgingBucket bucket)
{
  g_return_val_if_fail ((guint) bucket < TENURE_AGING_N_BUCKETS, NULL);
  return bucket_keys[bucket];
}

const char *
tenure_aging_group_by_to_string (TenureAgingGroupBy by)
{
  g_return_val_if_fail ((guint) by < G_N_ELEMENTS (group_names), NULL);
  return group_names[by];
}

gboolean
tenure_aging_group_by_from_string (const char         *text,
                                   TenureAgingGroupBy *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (group_names); i++)
    if (strcmp (text, group_names[i]) == 0)
      {
        *out = (TenureAgingGroupBy) i;
        return TRUE;
      }
  return FALSE;
}

static void
aging_row_free (TenureAgingRow *row)
{
  if (row == NULL)
    return;
  g_free (row->group_code);
  g_free (row->group_name);
  for (guint b = 0; b < TENURE_AGING_N_BUCKETS; b++)
    g_clear_pointer (&row->items[b], g_ptr_array_unref);
  g_free (row);
}

void
tenure_aging_report_free (TenureAgingReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->rows, g_ptr_array_unref);
  g_clear_pointer (&report->totals, g_ptr_array_unref);
  g_free (report);
}

static TenureAgingRow *
aging_row_new (gint64      group_id,
               const char *currency,
               gboolean    owns_items)
{
  TenureAgingRow *row = g_new0 (TenureAgingRow, 1);

  row->group_id = group_id;
  g_strlcpy (row->currency, currency, sizeof row->currency);
  for (guint b = 0; b < TENURE_AGING_N_BUCKETS; b++)
    row->items[b] = g_ptr_array_new_with_free_func (
      owns_items ? (GDestroyNotify) tenure_open_item_free : NULL);
  return row;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const TenureAgingRow *x = *(TenureAgingRow * const *) a;
  const TenureAgingRow *y = *(TenureAgingRow * const *) b;
  int c = g_strcmp0 (x->group_code, y->group_code);

  return c != 0 ? c : strcmp (x->currency, y->currency);
}

/* Codes and names of the groups, read once per report. */
static gboolean
name_groups (TenureDb            *db,
             TenureAgingGroupBy   by,
             GPtrArray           *rows,
             GError             **error)
{
  const char *sql = NULL;
  g_autoptr(TenureStmt) stmt = NULL;

  switch (by)
    {
    case TENURE_AGING_BY_PROJECT:
      sql = "SELECT code, name FROM project WHERE id = $1";
      break;
    case TENURE_AGING_BY_TENANT:
      sql = "SELECT code, name FROM tenant WHERE id = $1";
      break;
    case TENURE_AGING_BY_CONTRACT:
      sql = "SELECT c.code, t.name FROM contract c JOIN tenant t ON t.id = c.tenant_id "
            "WHERE c.id = $1";
      break;
    case TENURE_AGING_BY_NONE:
    default:
      return TRUE;
    }
  stmt = tenure_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      TenureAgingRow *row = rows->pdata[i];
      g_autoptr(GError) local_error = NULL;

      tenure_stmt_reset (stmt);
      tenure_stmt_bind_int64 (stmt, 1, row->group_id);
      if (!tenure_stmt_step (stmt, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          continue;
        }
      row->group_code = g_strdup (tenure_stmt_column_text (stmt, 0));
      row->group_name = g_strdup (tenure_stmt_column_text (stmt, 1));
    }
  return TRUE;
}

static void
row_add (TenureAgingRow    *row,
         TenureAgingBucket  bucket,
         TenureOpenItem    *item)
{
  row->amounts[bucket] += item->open;
  row->counts[bucket]++;
  row->total += item->open;
  row->count++;
  g_ptr_array_add (row->items[bucket], item);
}

TenureAgingReport *
tenure_aging (TenureDb                 *db,
              TenureDate                as_of,
              const TenureAgingFilter  *filter,
              TenureAgingGroupBy        group_by,
              GError                  **error)
{
  TenureOpenItemFilter items_filter = { 0 };
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TenureAgingReport) report = NULL;
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) totals = g_hash_table_new (g_str_hash, g_str_equal);
  TenureAgingFilter no_filter = { 0 };

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (tenure_date_is_valid (as_of), NULL);

  if (filter == NULL)
    filter = &no_filter;
  if (filter->project_code != NULL
      && (items_filter.project_id = tenure_collections_lookup_code (db, "project",
                                                                    filter->project_code,
                                                                    error)) == 0)
    return NULL;
  if (filter->tenant_code != NULL
      && (items_filter.tenant_id = tenure_collections_lookup_code (db, "tenant",
                                                                   filter->tenant_code,
                                                                   error)) == 0)
    return NULL;
  if (filter->contract_code != NULL
      && (items_filter.contract_id = tenure_collections_lookup_code (db, "contract",
                                                                     filter->contract_code,
                                                                     error)) == 0)
    return NULL;
  if (filter->legal_entity_code != NULL
      && (items_filter.legal_entity_id
          = tenure_collections_lookup_code (db, "legal_entity", filter->legal_entity_code,
                                            error)) == 0)
    return NULL;
  items_filter.currency = filter->currency;
  items_filter.as_of = as_of;

  items = tenure_open_items_load (db, &items_filter, error);
  if (items == NULL)
    return NULL;

  report = g_new0 (TenureAgingReport, 1);
  report->as_of = as_of;
  report->group_by = group_by;
  report->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) aging_row_free);
  report->totals = g_ptr_array_new_with_free_func ((GDestroyNotify) aging_row_free);
  /* Each row owns its items; the totals borrow them from the rows. */
  g_ptr_array_set_free_func (items, NULL);

  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = items->pdata[i];
      TenureAgingBucket bucket = tenure_aging_bucket_for_days ((gint64) as_of - item->due_date);
      gint64 group_id = 0;
      g_autofree char *key = NULL;
      TenureAgingRow *row, *total;

      switch (group_by)
        {
        case TENURE_AGING_BY_PROJECT:
          group_id = item->project_id;
          break;
        case TENURE_AGING_BY_TENANT:
          group_id = item->tenant_id;
          break;
        case TENURE_AGING_BY_CONTRACT:
          group_id = item->contract_id;
          break;
        case TENURE_AGING_BY_NONE:
        default:
          break;
        }
      key = g_strdup_printf ("%" G_GINT64_FORMAT "/%s", group_id, item->currency);
      row = g_hash_table_lookup (groups, key);
      if (row == NULL)
        {
          row = aging_row_new (group_id, item->currency, TRUE);
          g_ptr_array_add (report->rows, row);
          g_hash_table_insert (groups, g_steal_pointer (&key), row);
        }
      row_add (row, bucket, item);
      total = g_hash_table_lookup (totals, item->currency);
      if (total == NULL)
        {
          total = aging_row_new (0, item->currency, FALSE);
          g_ptr_array_add (report->totals, total);
          g_hash_table_insert (totals, total->currency, total);
        }
      row_add (total, bucket, item);
    }

  if (!name_groups (db, group_by, report->rows, error))
    return NULL;
  g_ptr_array_sort (report->rows, compare_rows);
  g_ptr_array_sort (report->totals, compare_rows);
  return g_steal_pointer (&report);
}
