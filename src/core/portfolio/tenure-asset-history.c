/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-asset-history"

#include "tenure-asset-history.h"

#include <json-glib/json-glib.h>

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "portfolio/tenure-portfolio.h"

static void
field_change_free (TenureAssetFieldChange *change)
{
  g_free (change->field);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

void
tenure_asset_history_entry_free (TenureAssetHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->at);
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->code);
  g_clear_pointer (&entry->changes, g_ptr_array_unref);
  g_free (entry);
}

const char *
tenure_asset_history_action_label (const char *action)
{
  if (g_strcmp0 (action, "insert") == 0)
    return _("Created");
  if (g_strcmp0 (action, "update") == 0)
    return _("Changed");
  if (g_strcmp0 (action, "delete") == 0)
    return _("Deleted");
  return action;
}

static gboolean
parse_int (const char *raw,
           gint64     *out)
{
  return raw != NULL && g_ascii_string_to_signed (raw, 10, G_MININT64, G_MAXINT64, out, NULL);
}

char *
tenure_asset_history_format_value (const char *column,
                                   const char *raw)
{
  gint64 n = 0;

  if (raw == NULL)
    return NULL;
  if (g_str_has_suffix (column, "_area_c") && parse_int (raw, &n))
    {
      g_autofree char *area = tenure_portfolio_format_area_c (n);

      return g_strdup_printf (_("%s m²"), area);
    }
  if (strcmp (column, "asking_price_e4") == 0 && parse_int (raw, &n))
    return tenure_portfolio_format_price_e4 (n);
  if (strcmp (column, "format") == 0)
    return g_strdup (tenure_portfolio_format_label (raw));
  if (strcmp (column, "asking_price_basis") == 0)
    return g_strdup (tenure_portfolio_basis_label (raw));
  if (strcmp (column, "stored_status") == 0)
    {
      if (strcmp (raw, "available") == 0)
        return g_strdup (_("Available"));
      if (strcmp (raw, "reserved") == 0)
        return g_strdup (_("Reserved"));
      if (strcmp (raw, "not_for_lease") == 0)
        return g_strdup (_("Not for lease"));
      if (strcmp (raw, "renovation") == 0)
        return g_strdup (_("Under renovation"));
    }
  if (strcmp (column, "vat_method") == 0)
    {
      if (strcmp (raw, "general") == 0)
        return g_strdup (_("General method"));
      if (strcmp (raw, "simplified") == 0)
        return g_strdup (_("Simplified method"));
    }
  if (strcmp (column, "polygon") == 0)
    {
      guint n_points = 0;
      g_autofree double *points = tenure_portfolio_parse_polygon (raw, &n_points);

      if (points != NULL)
        return g_strdup_printf (_("Polygon of %u points"), n_points);
    }
  return g_strdup (raw);
}

/* A JSON scalar as text, NULL for null; nested values as JSON. */
static char *
node_raw (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
      if (type == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
        }
      return g_strdup (json_node_get_string (node));
    }
  return json_to_string (node, FALSE);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_get_object (root);
}

/* Bookkeeping columns no one edits, and the parent's id (the tree shows where a thing is;
 * the ledger never moves one). */
static gboolean
column_hidden (const char *column)
{
  return strcmp (column, "id") == 0 || strcmp (column, "created_at") == 0
         || g_str_has_suffix (column, "_id");
}

static TenureAssetHistoryEntry *
entry_from_row (TenureStmt *stmt)
{
  g_autoptr(JsonParser) old_parser = json_parser_new ();
  g_autoptr(JsonParser) new_parser = json_parser_new ();
  JsonObject *old_obj = parse_object (old_parser, tenure_stmt_column_text (stmt, 6));
  JsonObject *new_obj = parse_object (new_parser, tenure_stmt_column_text (stmt, 7));
  g_autoptr(TenureAssetHistoryEntry) entry = g_new0 (TenureAssetHistoryEntry, 1);
  g_autoptr(GList) columns = NULL;
  JsonObject *names = new_obj != NULL ? new_obj : old_obj;

  if (names == NULL)
    return NULL;
  entry->audit_id = tenure_stmt_column_int64 (stmt, 0);
  entry->at = g_strdup (tenure_stmt_column_text (stmt, 1));
  entry->actor = g_strdup (tenure_stmt_column_text (stmt, 2));
  if (!tenure_ledger_kind_from_table (tenure_stmt_column_text (stmt, 3), &entry->kind))
    return NULL;
  entry->row_id = tenure_stmt_column_int64 (stmt, 4);
  entry->action = g_strdup (tenure_stmt_column_text (stmt, 5));
  entry->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) field_change_free);
  entry->code = node_raw (json_object_get_member (names, "code"));

  /* json-glib keeps members in document order, which is the table's column order. */
  columns = json_object_get_members (names);
  for (GList *l = columns; l != NULL; l = l->next)
    {
      const char *column = l->data;
      g_autofree char *old_raw = NULL;
      g_autofree char *new_raw = NULL;
      TenureAssetFieldChange *change;

      if (column_hidden (column))
        continue;
      if (old_obj != NULL)
        old_raw = node_raw (json_object_get_member (old_obj, column));
      if (new_obj != NULL)
        new_raw = node_raw (json_object_get_member (new_obj, column));
      if (g_strcmp0 (old_raw, new_raw) == 0)
        continue;
      change = g_new0 (TenureAssetFieldChange, 1);
      change->field = g_strdup (column);
      change->label = tenure_asset_ledger_field_label (column);
      change->old_value = tenure_asset_history_format_value (column, old_raw);
      change->new_value = tenure_asset_history_format_value (column, new_raw);
      g_ptr_array_add (entry->changes, change);
    }
  if (entry->changes->len == 0)
    return NULL;
  return g_steal_pointer (&entry);
}

GPtrArray *
tenure_asset_history_list (TenureDb          *db,
                           TenureLedgerKind   kind,
                           gint64             id,
                           gboolean           include_children,
                           guint              limit,
                           GError           **error)
{
  /* The rows under each level, as subqueries on $1. */
  static const char * const building_rows[] = {
    "SELECT id FROM building WHERE project_id = $1", NULL, NULL, NULL };
  static const char * const floor_rows[] = {
    "SELECT f.id FROM floor f JOIN building b ON b.id = f.building_id WHERE b.project_id = $1",
    "SELECT id FROM floor WHERE building_id = $1", NULL, NULL };
  static const char * const unit_rows[] = {
    "SELECT u.id FROM unit u JOIN floor f ON f.id = u.floor_id"
    " JOIN building b ON b.id = f.building_id WHERE b.project_id = $1",
    "SELECT u.id FROM unit u JOIN floor f ON f.id = u.floor_id WHERE f.building_id = $1",
    "SELECT id FROM unit WHERE floor_id = $1", NULL };
  g_autoptr(GPtrArray) entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_asset_history_entry_free);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) current = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, NULL);

  /* Refuses an unknown object with the ledger's own message. */
  current = tenure_asset_ledger_load (db, kind, id, error);
  if (current == NULL)
    return NULL;

  g_string_printf (sql, "SELECT id, at, actor, table_name, row_id, action, old_values,"
                        " new_values FROM audit_log WHERE (table_name = '%s' AND row_id = $1)",
                   tenure_ledger_kind_table (kind));
  if (include_children)
    {
      if (building_rows[kind] != NULL)
        g_string_append_printf (sql, " OR (table_name = 'building' AND row_id IN (%s))",
                                building_rows[kind]);
      if (floor_rows[kind] != NULL)
        g_string_append_printf (sql, " OR (table_name = 'floor' AND row_id IN (%s))",
                                floor_rows[kind]);
      if (unit_rows[kind] != NULL)
        g_string_append_printf (sql, " OR (table_name = 'unit' AND row_id IN (%s))",
                                unit_rows[kind]);
    }
  g_string_append (sql, " ORDER BY id DESC");

  stmt = tenure_db_prepare_streaming (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, id);
  while (tenure_stmt_step (stmt, &local_error))
    {
      TenureAssetHistoryEntry *entry;

      if (limit != 0 && entries->len >= limit)
        continue;   /* drain: a streaming statement must reach its end */
      entry = entry_from_row (stmt);
      if (entry != NULL)
        g_ptr_array_add (entries, entry);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}
