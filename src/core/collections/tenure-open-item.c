/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-open-item"

#include "collections/tenure-open-item.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

static const char * const part_names[] = { "cost", "late_fee", "principal" };

const char *
tenure_debt_part_to_string (TenureDebtPart part)
{
  g_return_val_if_fail ((guint) part < G_N_ELEMENTS (part_names), NULL);
  return part_names[part];
}

static TenureDebtPart
debt_part_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (part_names); i++)
    if (strcmp (text, part_names[i]) == 0)
      return (TenureDebtPart) i;
  return TENURE_DEBT_PART_PRINCIPAL;
}

void
tenure_open_item_free (TenureOpenItem *item)
{
  if (item == NULL)
    return;
  g_free (item->bill_code);
  g_free (item->contract_code);
  g_free (item->charge_item_code);
  g_clear_pointer (&item->events, g_array_unref);
  g_free (item);
}

/* The rank of each part in an order such as "late_fee,principal,cost" (packed 2 bits each). */
static guint
part_ranks_from_order (const char *order)
{
  g_auto(GStrv) parts = g_strsplit (order != NULL ? order : "", ",", -1);
  guint ranks = 0;

  if (g_strv_length (parts) != 3)
    return (0u << (2 * TENURE_DEBT_PART_COST)) | (1u << (2 * TENURE_DEBT_PART_LATE_FEE))
           | (2u << (2 * TENURE_DEBT_PART_PRINCIPAL));
  for (guint rank = 0; rank < 3; rank++)
    ranks |= rank << (2 * debt_part_from_string (parts[rank]));
  return ranks;
}

static guint
part_rank (guint ranks, TenureDebtPart part)
{
  return (ranks >> (2 * part)) & 3u;
}

static guint
ranks_for_project (GHashTable *part_order,
                   gint64      project_id)
{
  const char *order = NULL;

  if (part_order != NULL)
    order = g_hash_table_lookup (part_order, &project_id);
  return part_ranks_from_order (order);
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      part_order)
{
  const TenureOpenItem *x = *(TenureOpenItem * const *) a;
  const TenureOpenItem *y = *(TenureOpenItem * const *) b;

  if (x->due_date != y->due_date)
    return x->due_date < y->due_date ? -1 : 1;
  if (x->bill_id != y->bill_id)
    return x->bill_id < y->bill_id ? -1 : 1;
  if (x->part != y->part)
    {
      guint ranks = ranks_for_project (part_order, x->project_id);
      guint rx = part_rank (ranks, x->part), ry = part_rank (ranks, y->part);

      if (rx != ry)
        return rx < ry ? -1 : 1;
    }
  if (x->bill_line_id != y->bill_line_id)
    return x->bill_line_id < y->bill_line_id ? -1 : 1;
  return 0;
}

void
tenure_open_items_sort (GPtrArray  *items,
                        GHashTable *part_order)
{
  g_ptr_array_sort_with_data (items, compare_items, part_order);
}

/* A line's open amount before clamping to [0, amount]: credit notes reduce the line they
 * correct from their posting date; allocations, offsets, write-offs and their reversals
 * (negated rows) from theirs. */
#define OPEN_LINE_SQL \
  "bl.amount " \
  "+ coalesce ((SELECT sum (cl.amount) FROM receivable_line d " \
  "             JOIN bill_line cl ON cl.receivable_line_id = d.id " \
  "             JOIN bill cb ON cb.id = cl.bill_id " \
  "             WHERE d.corrects_line_id = bl.receivable_line_id " \
  "               AND d.kind = 'difference' AND cl.amount < 0 " \
  "               AND cb.posting_date <= $1), 0) " \
  "- coalesce ((SELECT sum (a.amount) FROM allocation a " \
  "             WHERE a.bill_line_id = bl.id AND a.posting_date <= $1), 0)"

#define ITEMS_SQL \
  "SELECT bl.id, b.id, b.code, c.id, c.code, b.tenant_id, p.id, p.legal_entity_id, ci.code, " \
  "       CASE WHEN rl.kind = 'late_fee' THEN 'late_fee' ELSE ci.debt_part END, " \
  "       CASE WHEN ci.kind = 'deposit' THEN 1 ELSE 0 END, b.currency, bl.due_date, " \
  "       bl.period_start, bl.period_end, b.posting_date, bl.amount, " \
  "       " OPEN_LINE_SQL ", " \
  "       p.allocation_order%s " \
  "FROM bill_line bl " \
  "JOIN bill b ON b.id = bl.bill_id " \
  "JOIN contract c ON c.id = b.contract_id " \
  "JOIN project p ON p.id = c.project_id " \
  "JOIN charge_item ci ON ci.id = bl.charge_item_id " \
  "JOIN receivable_line rl ON rl.id = bl.receivable_line_id " \
  "WHERE bl.amount > 0 AND b.posting_date <= $1"

/* Every line of the scope's bills (the joins to charge_item and receivable_line that
 * ITEMS_SQL needs for its columns drop none: both keys are NOT NULL and checked), with its
 * open amount and what receipts paid on it. */
#define BILL_BALANCE_SQL \
  "SELECT b.id, bl.amount, " OPEN_LINE_SQL ", " \
  "       coalesce ((SELECT sum (a.amount) FROM allocation a " \
  "                  WHERE a.bill_line_id = bl.id AND a.kind = 'allocation' " \
  "                    AND a.posting_date <= $1), 0) " \
  "FROM bill_line bl " \
  "JOIN bill b ON b.id = bl.bill_id " \
  "JOIN contract c ON c.id = b.contract_id " \
  "JOIN project p ON p.id = c.project_id " \
  "WHERE b.posting_date <= $1"

/* The parts of the open amount, for reconciliation (only when asked: they cost three more
 * subqueries per line). */
#define BREAKDOWN_SQL \
  ", - coalesce ((SELECT sum (cl.amount) FROM receivable_line d " \
  "               JOIN bill_line cl ON cl.receivable_line_id = d.id " \
  "               JOIN bill cb ON cb.id = cl.bill_id " \
  "               WHERE d.corrects_line_id = bl.receivable_line_id " \
  "                 AND d.kind = 'difference' AND cl.amount < 0 " \
  "                 AND cb.posting_date <= $1), 0), " \
  "  coalesce ((SELECT sum (a.amount) FROM allocation a WHERE a.bill_line_id = bl.id " \
  "             AND a.kind = 'allocation' AND a.posting_date <= $1), 0), " \
  "  coalesce ((SELECT sum (a.amount) FROM allocation a WHERE a.bill_line_id = bl.id " \
  "             AND a.kind = 'offset' AND a.posting_date <= $1), 0), " \
  "  coalesce ((SELECT sum (a.amount) FROM allocation a WHERE a.bill_line_id = bl.id " \
  "             AND a.kind = 'write_off' AND a.posting_date <= $1), 0)"

/* The same items with their tax and no balance, each with its allocations (one row per
 * allocation, NULLs when it has none) read in the same pass over the scope's lines; the
 * credit notes are read after them. %s: " AND bl.amount > 0", or nothing when the caller
 * also wants the scope's other lines (their allocations are not joined). */
#define EVENT_ITEMS_SQL \
  "SELECT bl.id, b.id, b.code, c.id, c.code, b.tenant_id, p.id, p.legal_entity_id, ci.code, " \
  "       CASE WHEN rl.kind = 'late_fee' THEN 'late_fee' ELSE ci.debt_part END, " \
  "       CASE WHEN ci.kind = 'deposit' THEN 1 ELSE 0 END, b.currency, bl.due_date, " \
  "       bl.period_start, bl.period_end, b.posting_date, bl.amount, 0, " \
  "       p.allocation_order, bl.tax, a.kind, a.posting_date, a.amount " \
  "FROM bill_line bl " \
  "JOIN bill b ON b.id = bl.bill_id " \
  "JOIN contract c ON c.id = b.contract_id " \
  "JOIN project p ON p.id = c.project_id " \
  "JOIN charge_item ci ON ci.id = bl.charge_item_id " \
  "JOIN receivable_line rl ON rl.id = bl.receivable_line_id " \
  "LEFT JOIN allocation a ON a.bill_line_id = bl.id AND bl.amount > 0 " \
  "                      AND a.posting_date <= $1 " \
  "WHERE b.posting_date <= $1%s"

/* Whether any credit note can exist at all: the partial index on difference lines answers
 * at once, and without one the scope's credit-note query is skipped. */
#define ANY_DIFFERENCE_SQL \
  "SELECT count(*) FROM (SELECT 1 FROM receivable_line WHERE kind = 'difference' LIMIT 1) x"

/* The events of the items of a scope (bl is the item's line), as ITEMS_SQL sums them. */
#define EVENT_CREDITS_SQL \
  "SELECT bl.id, cb.posting_date, cl.amount " \
  "FROM bill_line cl " \
  "JOIN bill cb ON cb.id = cl.bill_id " \
  "JOIN receivable_line d ON d.id = cl.receivable_line_id " \
  "JOIN bill_line bl ON bl.receivable_line_id = d.corrects_line_id " \
  "JOIN bill b ON b.id = bl.bill_id " \
  "JOIN contract c ON c.id = b.contract_id " \
  "JOIN project p ON p.id = c.project_id " \
  "WHERE d.kind = 'difference' AND cl.amount < 0 AND cb.posting_date <= $1 " \
  "  AND bl.amount > 0 AND b.posting_date <= $1"

/* Only the conditions asked for, so each query can use its index. */
static void
append_scope (GString                    *sql,
              const TenureOpenItemFilter *filter)
{
  guint n = 1;

  if (filter->tenant_id != 0)
    g_string_append_printf (sql, " AND b.tenant_id = $%u", ++n);
  if (filter->contract_id != 0)
    g_string_append_printf (sql, " AND b.contract_id = $%u", ++n);
  if (filter->project_id != 0)
    g_string_append_printf (sql, " AND c.project_id = $%u", ++n);
  if (filter->legal_entity_id != 0)
    g_string_append_printf (sql, " AND p.legal_entity_id = $%u", ++n);
  if (filter->currency != NULL)
    g_string_append_printf (sql, " AND b.currency = $%u", ++n);
  if (tenure_date_is_valid (filter->due_from))
    g_string_append_printf (sql, " AND bl.due_date >= $%u", ++n);
  if (tenure_date_is_valid (filter->due_to))
    g_string_append_printf (sql, " AND bl.due_date <= $%u", ++n);
}

static TenureStmt *
prepare_scope (TenureDb                    *db,
               const char                  *select,
               const TenureOpenItemFilter  *filter,
               GError                     **error)
{
  g_autoptr(GString) sql = g_string_new (select);
  TenureStmt *stmt;
  char as_of[TENURE_DATE_ISO_BUF_SIZE];
  char day[TENURE_DATE_ISO_BUF_SIZE];
  guint n = 1;

  append_scope (sql, filter);
  stmt = tenure_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  if (tenure_date_is_valid (filter->as_of))
    tenure_date_format_iso_buf (filter->as_of, as_of);
  else
    g_strlcpy (as_of, "9999-12-31", sizeof as_of);
  tenure_stmt_bind_text (stmt, n, as_of);
  if (filter->tenant_id != 0)
    tenure_stmt_bind_int64 (stmt, ++n, filter->tenant_id);
  if (filter->contract_id != 0)
    tenure_stmt_bind_int64 (stmt, ++n, filter->contract_id);
  if (filter->project_id != 0)
    tenure_stmt_bind_int64 (stmt, ++n, filter->project_id);
  if (filter->legal_entity_id != 0)
    tenure_stmt_bind_int64 (stmt, ++n, filter->legal_entity_id);
  if (filter->currency != NULL)
    tenure_stmt_bind_text (stmt, ++n, filter->currency);
  if (tenure_date_is_valid (filter->due_from))
    tenure_stmt_bind_text (stmt, ++n, tenure_date_format_iso_buf (filter->due_from, day));
  if (tenure_date_is_valid (filter->due_to))
    tenure_stmt_bind_text (stmt, ++n, tenure_date_format_iso_buf (filter->due_to, day));
  return stmt;
}

/* Appends the allocation in columns 20–22 of the row (NULL when the item has none). */
static gboolean
add_allocation_event (TenureOpenItem  *item,
                      TenureStmt      *stmt,
                      GError         **error)
{
  TenureOpenItemEvent e;
  const char *kind;

  if (tenure_stmt_column_is_null (stmt, 20))
    return TRUE;
  kind = tenure_stmt_column_text (stmt, 20);
  e.kind = g_strcmp0 (kind, "offset") == 0 ? TENURE_OPEN_ITEM_OFFSET
           : g_strcmp0 (kind, "write_off") == 0 ? TENURE_OPEN_ITEM_WRITE_OFF
           : TENURE_OPEN_ITEM_ALLOCATION;
  if (!tenure_date_parse_iso (tenure_stmt_column_text (stmt, 21), &e.date, error))
    return FALSE;
  e.amount = tenure_stmt_column_int64 (stmt, 22);
  g_array_append_val (item->events, e);
  return TRUE;
}

/* Reads the credit notes of the scope into the events of ITEMS (found by line id in
 * BY_LINE; their allocations are already there), then their breakdown and open amounts. */
static gboolean
load_events (TenureDb                    *db,
             const TenureOpenItemFilter  *filter,
             GPtrArray                   *items,
             GHashTable                  *by_line,
             GError                     **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 any_difference = 0;

  if (!tenure_db_query_int64 (db, ANY_DIFFERENCE_SQL, &any_difference, error))
    return FALSE;
  if (any_difference != 0)
    {
      g_autoptr(TenureStmt) stmt = prepare_scope (db, EVENT_CREDITS_SQL, filter, error);

      if (stmt == NULL)
        return FALSE;
      while (tenure_stmt_step (stmt, &local_error))
        {
          gint64 line = tenure_stmt_column_int64 (stmt, 0);
          TenureOpenItem *item = g_hash_table_lookup (by_line, &line);
          TenureOpenItemEvent e;

          if (item == NULL)
            continue;
          e.kind = TENURE_OPEN_ITEM_CREDIT;
          if (!tenure_date_parse_iso (tenure_stmt_column_text (stmt, 1), &e.date, error))
            return FALSE;
          e.amount = tenure_stmt_column_int64 (stmt, 2);
          g_array_append_val (item->events, e);
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  for (guint i = 0; i < items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (items, i);

      for (guint k = 0; k < item->events->len; k++)
        {
          const TenureOpenItemEvent *e = &g_array_index (item->events, TenureOpenItemEvent, k);

          switch (e->kind)
            {
            case TENURE_OPEN_ITEM_CREDIT:
              item->credited -= e->amount;
              break;
            case TENURE_OPEN_ITEM_ALLOCATION:
              item->allocated += e->amount;
              break;
            case TENURE_OPEN_ITEM_OFFSET:
              item->offset += e->amount;
              break;
            case TENURE_OPEN_ITEM_WRITE_OFF:
            default:
              item->written_off += e->amount;
              break;
            }
        }
      item->open = CLAMP (item->amount - item->credited - item->allocated - item->offset
                          - item->written_off, 0, item->amount);
    }
  return TRUE;
}

static int
compare_line_id (gconstpointer a,
                 gconstpointer b)
{
  gint64 x = (*(TenureOpenItem * const *) a)->bill_line_id;
  gint64 y = (*(TenureOpenItem * const *) b)->bill_line_id;

  return x < y ? -1 : x > y;
}

static GPtrArray *
load_items (TenureDb                    *db,
            const TenureOpenItemFilter  *filter,
            GPtrArray                  **others_out,
            GError                     **error)
{
  g_autofree char *select = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tenure_open_item_free);
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GHashTable) orders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        g_free);
  g_autoptr(GHashTable) by_line = NULL;
  g_autoptr(GError) local_error = NULL;

  if (filter->events)
    {
      select = g_strdup_printf (EVENT_ITEMS_SQL, others_out != NULL ? "" : " AND bl.amount > 0");
      by_line = g_hash_table_new (g_int64_hash, g_int64_equal);
      if (others_out != NULL)
        others = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_open_item_free);
    }
  else
    select = g_strdup_printf (ITEMS_SQL, filter->breakdown ? BREAKDOWN_SQL : "");
  stmt = prepare_scope (db, select, filter, error);
  if (stmt == NULL)
    return NULL;

  while (tenure_stmt_step (stmt, &local_error))
    {
      g_autoptr(TenureOpenItem) item = NULL;
      gint64 line = tenure_stmt_column_int64 (stmt, 0);
      gint64 open = tenure_stmt_column_int64 (stmt, 17);
      TenureOpenItem *seen;

      /* Another allocation of an item already read. */
      if (by_line != NULL && (seen = g_hash_table_lookup (by_line, &line)) != NULL)
        {
          if (!add_allocation_event (seen, stmt, error))
            return NULL;
          continue;
        }
      item = g_new0 (TenureOpenItem, 1);
      item->amount = tenure_stmt_column_int64 (stmt, 16);
      item->open = item->amount > 0 ? CLAMP (open, 0, item->amount) : 0;
      /* With events the open amount is known only once they are read. */
      if (item->open == 0 && !filter->include_settled && !filter->events)
        continue;
      item->bill_line_id = line;
      item->bill_id = tenure_stmt_column_int64 (stmt, 1);
      item->bill_code = g_strdup (tenure_stmt_column_text (stmt, 2));
      item->contract_id = tenure_stmt_column_int64 (stmt, 3);
      item->contract_code = g_strdup (tenure_stmt_column_text (stmt, 4));
      item->tenant_id = tenure_stmt_column_int64 (stmt, 5);
      item->project_id = tenure_stmt_column_int64 (stmt, 6);
      item->legal_entity_id = tenure_stmt_column_int64 (stmt, 7);
      item->charge_item_code = g_strdup (tenure_stmt_column_text (stmt, 8));
      item->part = debt_part_from_string (tenure_stmt_column_text (stmt, 9));
      item->is_deposit = tenure_stmt_column_int64 (stmt, 10) != 0;
      if (filter->events)
        {
          item->tax = tenure_stmt_column_int64 (stmt, 19);
          item->events = g_array_new (FALSE, FALSE, sizeof (TenureOpenItemEvent));
          if (item->amount > 0)
            {
              g_hash_table_insert (by_line, &item->bill_line_id, item);
              if (!add_allocation_event (item, stmt, error))
                return NULL;
            }
        }
      else if (filter->breakdown)
        {
          item->credited = tenure_stmt_column_int64 (stmt, 19);
          item->allocated = tenure_stmt_column_int64 (stmt, 20);
          item->offset = tenure_stmt_column_int64 (stmt, 21);
          item->written_off = tenure_stmt_column_int64 (stmt, 22);
        }
      g_strlcpy (item->currency, tenure_stmt_column_text (stmt, 11), sizeof item->currency);
      if (!tenure_date_parse_iso (tenure_stmt_column_text (stmt, 12), &item->due_date, error)
          || !tenure_date_parse_iso (tenure_stmt_column_text (stmt, 13), &item->period_start,
                                     error)
          || !tenure_date_parse_iso (tenure_stmt_column_text (stmt, 14), &item->period_end,
                                     error)
          || !tenure_date_parse_iso (tenure_stmt_column_text (stmt, 15), &item->posting_date,
                                     error))
        return NULL;
      if (item->amount <= 0)
        {
          /* A credit note or zero line: only with others_out (the SQL reads none else). */
          g_ptr_array_add (others, g_steal_pointer (&item));
          continue;
        }
      if (!g_hash_table_contains (orders, &item->project_id))
        g_hash_table_insert (orders, g_memdup2 (&item->project_id, sizeof (gint64)),
                             g_strdup (tenure_stmt_column_text (stmt, 18)));
      g_ptr_array_add (items, g_steal_pointer (&item));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);

  if (filter->events)
    {
      if (!load_events (db, filter, items, by_line, error))
        return NULL;
      if (!filter->include_settled)
        for (guint i = items->len; i-- > 0; )
          if (((TenureOpenItem *) g_ptr_array_index (items, i))->open == 0)
            g_ptr_array_remove_index_fast (items, i);
    }
  tenure_open_items_sort (items, orders);
  if (others_out != NULL)
    {
      g_ptr_array_sort (others, compare_line_id);
      *others_out = g_steal_pointer (&others);
    }
  return g_steal_pointer (&items);
}

GPtrArray *
tenure_open_items_load (TenureDb                    *db,
                        const TenureOpenItemFilter  *filter,
                        GError                     **error)
{
  g_return_val_if_fail (filter != NULL, NULL);

  return load_items (db, filter, NULL, error);
}

GPtrArray *
tenure_open_items_load_with_others (TenureDb                    *db,
                                    const TenureOpenItemFilter  *filter,
                                    GPtrArray                  **others,
                                    GError                     **error)
{
  g_return_val_if_fail (filter != NULL && filter->events, NULL);
  g_return_val_if_fail (others != NULL && *others == NULL, NULL);

  return load_items (db, filter, others, error);
}

GHashTable *
tenure_open_items_balance_by_bill (TenureDb                    *db,
                                   const TenureOpenItemFilter  *filter,
                                   GError                     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) balances = NULL;
  g_autoptr(GError) local_error = NULL;
  TenureBillBalance *balance = NULL;

  g_return_val_if_fail (filter != NULL, NULL);

  stmt = prepare_scope (db, BILL_BALANCE_SQL, filter, error);
  if (stmt == NULL)
    return NULL;
  balances = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 bill_id = tenure_stmt_column_int64 (stmt, 0);
      gint64 amount = tenure_stmt_column_int64 (stmt, 1);
      gint64 open = tenure_stmt_column_int64 (stmt, 2);

      /* A bill's lines mostly come together: look it up only when the bill changes. */
      if (balance == NULL || balance->bill_id != bill_id)
        {
          balance = g_hash_table_lookup (balances, &bill_id);
          if (balance == NULL)
            {
              balance = g_new0 (TenureBillBalance, 1);
              balance->bill_id = bill_id;
              g_hash_table_insert (balances, &balance->bill_id, balance);
            }
        }
      /* As the items count it: only lines that charge something can be open. */
      if (amount > 0)
        balance->open += CLAMP (open, 0, amount);
      balance->received += tenure_stmt_column_int64 (stmt, 3);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&balances);
}

gint64
tenure_collections_lookup_code (TenureDb    *db,
                                const char  *table,
                                const char  *code,
                                GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) local_error = NULL;

  /* table is one of four constants chosen by the caller, never user input. */
  g_return_val_if_fail (g_strv_contains ((const char * const[]) { "project", "tenant",
                                                                  "contract", "legal_entity",
                                                                  NULL }, table), 0);
  sql = g_strdup_printf ("SELECT id FROM %s WHERE code = $1", table);
  stmt = tenure_db_prepare (db, sql, error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_text (stmt, 1, code);
  if (tenure_stmt_step (stmt, &local_error))
    return tenure_stmt_column_int64 (stmt, 0);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }
  if (strcmp (table, "project") == 0)
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                 _("There is no project with code “%s”."), code);
  else if (strcmp (table, "tenant") == 0)
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                 _("There is no tenant with code “%s”."), code);
  else if (strcmp (table, "contract") == 0)
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                 _("There is no contract with code “%s”."), code);
  else
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                 _("There is no legal entity with code “%s”."), code);
  return 0;
}
