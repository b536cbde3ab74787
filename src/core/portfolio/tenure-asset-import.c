/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-asset-import"

#include "tenure-asset-import.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-exact.h"
#include "base/tenure-i18n.h"
#include "base/tenure-money.h"
#include "io/tenure-csv-reader.h"
#include "io/tenure-xlsx-reader.h"
#include "portfolio/tenure-asset-ledger.h"

/* Rows between two progress reports and cancellation checks. */
#define CHECK_EVERY 256
/* The header row is searched among the first rows only. */
#define HEADER_SEARCH_ROWS 20
/* Longest code accepted, in characters. */
#define MAX_CODE_CHARS 64

struct _TenureAssetMapping
{
  GPtrArray      *headers[TENURE_ASSET_N_FIELDS]; /* char*, owned */
  char           *constant[TENURE_ASSET_N_FIELDS];
  TenureAreaUnit  area_unit;
};

struct _TenureAssetPreview
{
  GArray    *rows;    /* TenureAssetRow */
  GArray    *issues;  /* TenureAssetIssue */
  int        columns[TENURE_ASSET_N_FIELDS];
  guint      n_bad_rows;
  guint      n_new_buildings;
  guint      n_new_floors;
};

static const char *const default_headers[TENURE_ASSET_N_FIELDS][8] = {
  [TENURE_ASSET_FIELD_PROJECT] = { "项目编码", "项目代码", "项目", "project code", "project",
                                   NULL },
  [TENURE_ASSET_FIELD_BUILDING] = { "楼栋", "楼宇", "楼栋编码", "building", "building code",
                                    NULL },
  [TENURE_ASSET_FIELD_FLOOR] = { "楼层", "floor", NULL },
  [TENURE_ASSET_FIELD_UNIT_CODE] = { "单元编码", "房源编码", "单元代码", "单元号", "unit code",
                                     "unit", NULL },
  [TENURE_ASSET_FIELD_NAME] = { "名称", "单元名称", "房源名称", "name", "unit name", NULL },
  [TENURE_ASSET_FIELD_FORMAT] = { "业态", "format", NULL },
  [TENURE_ASSET_FIELD_GFA] = { "建筑面积", "建筑面积(㎡)", "建筑面积(m²)", "gfa",
                               "gross floor area", "gross area", NULL },
  [TENURE_ASSET_FIELD_LEASABLE] = { "可租面积", "租赁面积", "可租面积(㎡)", "可租面积(m²)",
                                    "leasable area", "net leasable area", "nla", NULL },
  [TENURE_ASSET_FIELD_STATUS] = { "状态", "房源状态", "status", NULL },
  [TENURE_ASSET_FIELD_ASKING_PRICE] = { "报价", "挂牌价", "报价(元/㎡)", "asking price",
                                        "asking rent", NULL },
  [TENURE_ASSET_FIELD_PRICE_BASIS] = { "报价单位", "计价单位", "price basis",
                                       "asking price basis", NULL },
  [TENURE_ASSET_FIELD_LEASE_START] = { "起租日", "租赁开始日期", "lease start", NULL },
  [TENURE_ASSET_FIELD_LEASE_END] = { "到期日", "租赁结束日期", "lease end", NULL },
};

const char *
tenure_asset_field_label (TenureAssetField field)
{
  switch (field)
    {
    case TENURE_ASSET_FIELD_PROJECT: return _("project code");
    case TENURE_ASSET_FIELD_BUILDING: return _("building");
    case TENURE_ASSET_FIELD_FLOOR: return _("floor");
    case TENURE_ASSET_FIELD_UNIT_CODE: return _("unit code");
    case TENURE_ASSET_FIELD_NAME: return _("name");
    case TENURE_ASSET_FIELD_FORMAT: return _("format");
    case TENURE_ASSET_FIELD_GFA: return _("gross floor area");
    case TENURE_ASSET_FIELD_LEASABLE: return _("leasable area");
    case TENURE_ASSET_FIELD_STATUS: return _("status");
    case TENURE_ASSET_FIELD_ASKING_PRICE: return _("asking price");
    case TENURE_ASSET_FIELD_PRICE_BASIS: return _("price basis");
    case TENURE_ASSET_FIELD_LEASE_START: return _("lease start");
    case TENURE_ASSET_FIELD_LEASE_END: return _("lease end");
    case TENURE_ASSET_N_FIELDS:
    default:
      break;
    }
  g_return_val_if_reached ("");
}

/* Mapping ---------------------------------------------------------------------------------- */

TenureAssetMapping *
tenure_asset_mapping_new (void)
{
  TenureAssetMapping *mapping = g_new0 (TenureAssetMapping, 1);

  for (guint f = 0; f < TENURE_ASSET_N_FIELDS; f++)
    {
      mapping->headers[f] = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; default_headers[f][i] != NULL; i++)
        g_ptr_array_add (mapping->headers[f], g_strdup (default_headers[f][i]));
    }
  mapping->area_unit = TENURE_AREA_SQUARE_METRE;
  return mapping;
}

TenureAssetMapping *
tenure_asset_mapping_copy (const TenureAssetMapping *mapping)
{
  TenureAssetMapping *copy = g_new0 (TenureAssetMapping, 1);

  for (guint f = 0; f < TENURE_ASSET_N_FIELDS; f++)
    {
      copy->headers[f] = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < mapping->headers[f]->len; i++)
        g_ptr_array_add (copy->headers[f], g_strdup (g_ptr_array_index (mapping->headers[f], i)));
      copy->constant[f] = g_strdup (mapping->constant[f]);
    }
  copy->area_unit = mapping->area_unit;
  return copy;
}

void
tenure_asset_mapping_free (TenureAssetMapping *mapping)
{
  if (mapping == NULL)
    return;
  for (guint f = 0; f < TENURE_ASSET_N_FIELDS; f++)
    {
      g_ptr_array_unref (mapping->headers[f]);
      g_free (mapping->constant[f]);
    }
  g_free (mapping);
}

void
tenure_asset_mapping_set_column (TenureAssetMapping *mapping,
                                 TenureAssetField    field,
                                 const char         *header)
{
  g_return_if_fail (field < TENURE_ASSET_N_FIELDS);
  g_ptr_array_set_size (mapping->headers[field], 0);
  if (header != NULL)
    g_ptr_array_add (mapping->headers[field], g_strdup (header));
}

void
tenure_asset_mapping_add_column (TenureAssetMapping *mapping,
                                 TenureAssetField    field,
                                 const char         *header)
{
  g_return_if_fail (field < TENURE_ASSET_N_FIELDS);
  g_return_if_fail (header != NULL);
  g_ptr_array_add (mapping->headers[field], g_strdup (header));
}

void
tenure_asset_mapping_set_constant (TenureAssetMapping *mapping,
                                   TenureAssetField    field,
                                   const char         *value)
{
  g_return_if_fail (field < TENURE_ASSET_N_FIELDS);
  g_free (mapping->constant[field]);
  mapping->constant[field] = value != NULL ? g_strstrip (g_strdup (value)) : NULL;
  if (mapping->constant[field] != NULL && mapping->constant[field][0] == '\0')
    g_clear_pointer (&mapping->constant[field], g_free);
}

const char *
tenure_asset_mapping_get_constant (const TenureAssetMapping *mapping,
                                   TenureAssetField          field)
{
  g_return_val_if_fail (field < TENURE_ASSET_N_FIELDS, NULL);
  return mapping->constant[field];
}

void
tenure_asset_mapping_set_area_unit (TenureAssetMapping *mapping,
                                    TenureAreaUnit      unit)
{
  mapping->area_unit = unit;
}

/* Header names and values compare as keys: NFKC, no white space, case-folded, so "Unit Code",
 * "unitcode" and "ＵＮＩＴ　ＣＯＤＥ" are the same. */
static char *
make_key (const char *text)
{
  g_autofree char *norm = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = NULL;
  GString *out;

  if (norm == NULL)
    return g_strdup ("");
  folded = g_utf8_casefold (norm, -1);
  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && c != '_')
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* Reading --------------------------------------------------------------------------------- */

TenureTable *
tenure_asset_import_read_file (const char *path, const char *sheet_name, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".xlsx") || g_str_has_suffix (lower, ".xlsm"))
    return tenure_xlsx_read_file (path, sheet_name, error);
  return tenure_csv_read_file (path, TENURE_CSV_DELIMITER_SNIFF, TENURE_CSV_FLAGS_NONE, error);
}

/* The database side: projects, their buildings and the buildings' floors, looked up once and
 * kept; the preview marks what is new, the apply step creates it. ------------------------- */

typedef struct _Node Node;
struct _Node
{
  gint64      id;           /* 0: not in the database (yet) */
  char       *code;         /* NULL for a new node until it is written */
  char       *name;
  char       *format;       /* projects */
  int         sort_order;
  Node       *parent;
  gboolean    loaded;       /* children read from the database */
  int         max_child_sort;
  GPtrArray  *children;     /* Node*, owned */
  GHashTable *child_by_code;
  GHashTable *child_by_name;
};

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  g_free (node->code);
  g_free (node->name);
  g_free (node->format);
  g_clear_pointer (&node->child_by_code, g_hash_table_unref);
  g_clear_pointer (&node->child_by_name, g_hash_table_unref);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node);
}

static Node *
node_new (gint64 id, const char *code, const char *name, int sort_order)
{
  Node *node = g_new0 (Node, 1);

  node->id = id;
  node->code = g_strdup (code);
  node->name = g_strdup (name);
  node->sort_order = sort_order;
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  node->child_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  node->child_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  return node;
}

static void
node_add_child (Node *parent, Node *child)
{
  child->parent = parent;
  g_ptr_array_add (parent->children, child);
  if (child->code != NULL && !g_hash_table_contains (parent->child_by_code, child->code))
    g_hash_table_insert (parent->child_by_code, child->code, child);
  if (!g_hash_table_contains (parent->child_by_name, child->name))
    g_hash_table_insert (parent->child_by_name, child->name, child);
  parent->max_child_sort = MAX (parent->max_child_sort, child->sort_order);
}

typedef struct
{
  TenureDb   *db;
  gboolean    create;       /* apply: write new buildings and floors */
  GHashTable *projects;     /* code → Node* (owned), or → NULL for an unknown code */
  TenureStmt *find_project;
  TenureStmt *unit_exists;
  guint       new_buildings;
  guint       new_floors;
} Resolver;

enum { LEVEL_BUILDING, LEVEL_FLOOR };

/* Codes are unique across the whole asset tree (domain.md §4): which table uses one, if any. */
static const char code_used_sql[] =
  "SELECT 'unit' FROM unit WHERE code = $1"
  " UNION ALL SELECT 'floor' FROM floor WHERE code = $1"
  " UNION ALL SELECT 'building' FROM building WHERE code = $1"
  " UNION ALL SELECT 'project' FROM project WHERE code = $1"
  " UNION ALL SELECT 'legal_entity' FROM legal_entity WHERE code = $1";

/* The table that uses @code (a static string), or NULL; FALSE on a database error. */
static gboolean
code_used_by (Resolver *r, const char *code, const char **out_table, GError **error)
{
  static const char *const tables[] = { "unit", "floor", "building", "project", "legal_entity" };

  *out_table = NULL;
  tenure_stmt_reset (r->unit_exists);
  tenure_stmt_bind_text (r->unit_exists, 1, code);
  while (tenure_stmt_step (r->unit_exists, error))
    for (guint i = 0; i < G_N_ELEMENTS (tables) && *out_table == NULL; i++)
      if (strcmp (tenure_stmt_column_text (r->unit_exists, 0), tables[i]) == 0)
        *out_table = tables[i];
  return *error == NULL;
}

static void
resolver_clear (Resolver *r)
{
  g_clear_pointer (&r->projects, g_hash_table_unref);
  g_clear_pointer (&r->find_project, tenure_stmt_free);
  g_clear_pointer (&r->unit_exists, tenure_stmt_free);
}

static gboolean
resolver_init (Resolver *r, TenureDb *db, gboolean create, GError **error)
{
  memset (r, 0, sizeof *r);
  r->db = db;
  r->create = create;
  r->projects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) node_free);
  r->find_project = tenure_db_prepare (db, "SELECT id, name, format FROM project WHERE code = $1",
                                       error);
  if (r->find_project == NULL)
    return FALSE;
  r->unit_exists = tenure_db_prepare (db, code_used_sql, error);
  if (r->unit_exists == NULL)
    return FALSE;
  if (!create)
    return TRUE;
  return TRUE;
}

/* The project with @code, or NULL (with @error unset) when there is none. */
static Node *
resolver_project (Resolver *r, const char *code, GError **error)
{
  Node *project = NULL;
  gboolean found;

  if (g_hash_table_lookup_extended (r->projects, code, NULL, (gpointer *) &project))
    return project;

  tenure_stmt_reset (r->find_project);
  tenure_stmt_bind_text (r->find_project, 1, code);
  found = tenure_stmt_step (r->find_project, error);
  if (!found && *error != NULL)
    return NULL;
  if (found)
    {
      project = node_new (tenure_stmt_column_int64 (r->find_project, 0), code,
                          tenure_stmt_column_text (r->find_project, 1), 0);
      project->format = g_strdup (tenure_stmt_column_text (r->find_project, 2));
      while (tenure_stmt_step (r->find_project, NULL))
        ;
    }
  g_hash_table_insert (r->projects, g_strdup (code), project);
  return project;
}

static gboolean
node_load_children (Resolver *r, Node *node, int level, GError **error)
{
  g_autoptr (TenureStmt) stmt = NULL;

  if (node->loaded)
    return TRUE;
  node->loaded = TRUE;
  if (node->id == 0)
    return TRUE;
  stmt = tenure_db_prepare (r->db, level == LEVEL_BUILDING
                            ? "SELECT id, code, name, sort_order FROM building "
                              "WHERE project_id = $1 ORDER BY id"
                            : "SELECT id, code, name, sort_order FROM floor "
                              "WHERE building_id = $1 ORDER BY id",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, node->id);
  while (tenure_stmt_step (stmt, error))
    node_add_child (node, node_new (tenure_stmt_column_int64 (stmt, 0),
                                    tenure_stmt_column_text (stmt, 1),
                                    tenure_stmt_column_text (stmt, 2),
                                    (int) tenure_stmt_column_int64 (stmt, 3)));
  return *error == NULL;
}

/* Floors sort by their number: "B2" → -2, "12F", "12层", "F12", "12" → 12. */
static gboolean
floor_sort_from_text (const char *text, int *out)
{
  const char *p = text;
  int sign = 1;
  gint64 n = 0;
  int digits = 0;

  if (*p == 'B' || *p == 'b' || *p == '-')
    {
      sign = -1;
      p++;
    }
  else if (*p == 'F' || *p == 'f' || *p == 'L' || *p == 'l')
    p++;
  while (g_ascii_isdigit (*p) && digits < 4)
    {
      n = n * 10 + (*p - '0');
      p++;
      digits++;
    }
  if (digits == 0)
    return FALSE;
  if (*p != '\0' && strcmp (p, "F") != 0 && strcmp (p, "f") != 0 && strcmp (p, "层") != 0 &&
      strcmp (p, "楼") != 0)
    return FALSE;
  *out = sign * (int) n;
  return TRUE;
}

/* A code can be made from @text when it is short and plain ASCII without spaces. */
static gboolean
text_is_code_like (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || len > 20)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
code_taken (Resolver *r, const char *code, gboolean *taken, GError **error)
{
  const char *table = NULL;

  if (!code_used_by (r, code, &table, error))
    return FALSE;
  *taken = table != NULL;
  return TRUE;
}

/* Writes a new building or floor under its (written) parent with a code of its own:
 * PARENT-TEXT when the text makes a code, else PARENT-B1 / PARENT-F1…, plus -2, -3… when taken. */
static gboolean
node_write (Resolver *r, Node *node, int level, GError **error)
{
  Node *parent = node->parent;
  g_autofree char *base = NULL;
  g_autofree char *code = NULL;
  gboolean taken = TRUE;
  gint64 id = 0;
  g_autoptr (GHashTable) values = NULL;
  char sort[16];

  if (text_is_code_like (node->name))
    base = g_strdup_printf ("%s-%s", parent->code, node->name);
  else
    base = g_strdup_printf ("%s-%s%u", parent->code, level == LEVEL_BUILDING ? "B" : "F",
                            parent->children->len);
  for (guint k = 1; taken; k++)
    {
      g_free (code);
      code = k == 1 ? g_strdup (base) : g_strdup_printf ("%s-%u", base, k);
      if (!code_taken (r, code, &taken, error))
        return FALSE;
    }
  /* Through the ledger, so a new building or floor passes the same checks as one typed in. */
  values = g_hash_table_new (g_str_hash, g_str_equal);
  g_snprintf (sort, sizeof sort, "%d", node->sort_order);
  g_hash_table_insert (values, (char *) "code", code);
  g_hash_table_insert (values, (char *) "name", node->name);
  g_hash_table_insert (values, (char *) "sort_order", sort);
  id = tenure_asset_ledger_create (r->db, level == LEVEL_BUILDING ? TENURE_LEDGER_BUILDING
                                                                  : TENURE_LEDGER_FLOOR,
                                   parent->id, values, NULL, error);
  if (id == 0)
    return FALSE;
  node->id = id;
  node->code = g_steal_pointer (&code);
  g_hash_table_insert (parent->child_by_code, node->code, node);
  if (level == LEVEL_BUILDING)
    r->new_buildings++;
  else
    r->new_floors++;
  return TRUE;
}

/* The child of @parent whose code, else whose name, is @text; a new one when there is none
 * (written at once when the resolver creates). */
static Node *
resolver_child (Resolver *r, Node *parent, int level, const char *text, GError **error)
{
  Node *child;
  int sort_order;

  if (!node_load_children (r, parent, level, error))
    return NULL;
  child = g_hash_table_lookup (parent->child_by_code, text);
  if (child == NULL)
    child = g_hash_table_lookup (parent->child_by_name, text);
  if (child != NULL)
    return child;

  if (level == LEVEL_FLOOR && floor_sort_from_text (text, &sort_order))
    {
      /* "1", "1F" and "1层" are the same floor: a building has one floor per sort order. */
      for (guint i = 0; i < parent->children->len; i++)
        {
          child = g_ptr_array_index (parent->children, i);
          if (child->sort_order == sort_order)
            return child;
        }
    }
  else
    sort_order = parent->children->len == 0 ? 1 : parent->max_child_sort + 1;
  child = node_new (0, NULL, text, sort_order);
  child->loaded = TRUE;
  node_add_child (parent, child);
  if (r->create)
    {
      if (!node_write (r, child, level, error))
        return NULL;
    }
  else if (level == LEVEL_BUILDING)
    r->new_buildings++;
  else
    r->new_floors++;
  return child;
}

/* Parsing cells ---------------------------------------------------------------------------- */

typedef struct
{
  TenureAssetPreview *preview;
  const TenureTable  *table;
  const TenureRow    *row;
  gboolean            row_ok;
} RowCtx;

static void
add_issue (RowCtx *ctx, TenureAssetField field, int column, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static void
add_issue (RowCtx *ctx, TenureAssetField field, int column, const char *format, ...)
{
  TenureAssetIssue issue = { 0 };
  va_list args;

  va_start (args, format);
  issue.message = g_strdup_vprintf (format, args);
  va_end (args);
  issue.row_number = tenure_row_get_number (ctx->row);
  issue.column = column;
  issue.field = field;
  if (column >= 0)
    {
      const char *header = tenure_table_get_header (ctx->table, (guint) column);

      issue.column_name = tenure_table_get_origin (ctx->table) == TENURE_TABLE_CSV
                          ? g_strdup_printf ("%d", column + 1)
                          : tenure_column_name ((guint) column);
      const TenureCell *cell = tenure_row_get_cell (ctx->row, (guint) column);

      issue.header = g_strdup (header);
      if (cell != NULL && !tenure_cell_is_blank (cell))
        issue.text = g_strdup (cell->text);
      issue.location = tenure_table_describe_cell (ctx->table, ctx->row, (guint) column);
    }
  else
    {
      g_autofree char *file = g_path_get_basename (tenure_table_get_source (ctx->table));

      /* Translators: file name, row number */
      issue.location = g_strdup_printf (_("%s, row %u"), file, issue.row_number);
    }
  g_array_append_val (ctx->preview->issues, issue);
  ctx->row_ok = FALSE;
}

/* The trimmed text of @field in the row (a copy), its constant when the cell is blank or the
 * file lacks the column, or NULL. */
static char *
field_text (RowCtx *ctx, const TenureAssetMapping *mapping, TenureAssetField field)
{
  int column = ctx->preview->columns[field];

  if (column >= 0)
    {
      const TenureCell *cell = tenure_row_get_cell (ctx->row, (guint) column);

      if (!tenure_cell_is_blank (cell))
        return g_strstrip (g_strdup (cell->text));
    }
  return g_strdup (mapping->constant[field]);
}

/* A decimal cell at @scale: numbers as Excel stores them (binary doubles, so 123.45 may come as
 * 123.45000000000002) are accepted when they are within rounding noise of @scale decimals. */
static gboolean
cell_decimal (const TenureCell *cell, const char *text, guint scale, gint64 *out, char **message)
{
  g_autoptr (GError) local = NULL;

  if (cell != NULL && cell->kind == TENURE_CELL_NUMBER)
    {
      double x = cell->number * pow (10, scale);
      double r = round (x);

      if (!isfinite (x) || fabs (x) > 9.0e15)
        {
          *message = g_strdup_printf (_("“%s” is too large"), cell->text);
          return FALSE;
        }
      if (fabs (x - r) > 1e-6 * MAX (1.0, fabs (x)))
        {
          *message = g_strdup_printf (_("“%s” has more than %u decimals"), cell->text, scale);
          return FALSE;
        }
      *out = (gint64) r;
      return TRUE;
    }
  if (cell != NULL && cell->kind != TENURE_CELL_TEXT && cell->kind != TENURE_CELL_EMPTY)
    {
      *message = g_strdup_printf (_("“%s” is not a number"), cell->text);
      return FALSE;
    }
  if (!tenure_decimal_parse (text, scale, out, &local))
    {
      *message = g_strdup (local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_area (RowCtx *ctx, const TenureAssetMapping *mapping, TenureAssetField field,
            gint64 *out)
{
  int column = ctx->preview->columns[field];
  const TenureCell *cell = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  gint64 value = 0;

  if (column >= 0)
    {
      cell = tenure_row_get_cell (ctx->row, (guint) column);
      if (tenure_cell_is_blank (cell))
        cell = NULL;
    }
  text = cell != NULL ? g_strstrip (g_strdup (cell->text)) : g_strdup (mapping->constant[field]);
  if (text == NULL)
    return FALSE;

  if (!cell_decimal (cell, text, 2, &value, &message))
    {
      add_issue (ctx, field, column, _("The %s is not valid: %s"),
                 tenure_asset_field_label (field), message);
      *out = -1;
      return TRUE;
    }
  if (mapping->area_unit == TENURE_AREA_SQUARE_FOOT)
    {
      TenureExact m2 = tenure_exact_mul (tenure_exact_int (value),
                                         tenure_exact_frac (9290304, 100000000));
      g_autoptr (GError) local = NULL;

      if (!tenure_exact_round (m2, TENURE_ROUND_HALF_AWAY_FROM_ZERO, &value, &local))
        {
          add_issue (ctx, field, column, _("The %s is not valid: %s"),
                     tenure_asset_field_label (field), local->message);
          *out = -1;
          return TRUE;
        }
    }
  if (value <= 0)
    {
      add_issue (ctx, field, column, _("The %s must be greater than zero, not “%s”"),
                 tenure_asset_field_label (field), text);
      *out = -1;
      return TRUE;
    }
  *out = value;
  return TRUE;
}

static gboolean
parse_text_date (const char *text, TenureDate *out)
{
  int y, m, d;
  char tail;
  gsize len = strlen (text);
  guint64 n;

  if (tenure_date_parse_iso (text, out, NULL))
    return TRUE;
  /* Bare digits: 20230315, or an Excel serial number that lost its date format in a CSV. */
  if (len > 0 && len <= 8 && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &n, NULL))
    {
      if (len == 8)
        {
          y = (int) (n / 10000);
          m = (int) (n / 100 % 100);
          d = (int) (n % 100);
          if (!tenure_date_valid_ymd (y, m, d))
            return FALSE;
          *out = tenure_date_from_ymd (y, m, d);
          return TRUE;
        }
      return len <= 6 && tenure_date_from_excel_serial ((double) n, FALSE, out, NULL);
    }
  if ((sscanf (text, "%d/%d/%d%c", &y, &m, &d, &tail) == 3 ||
       sscanf (text, "%d.%d.%d%c", &y, &m, &d, &tail) == 3 ||
       sscanf (text, "%d年%d月%d日%c", &y, &m, &d, &tail) == 3) &&
      tenure_date_valid_ymd (y, m, d))
    {
      *out = tenure_date_from_ymd (y, m, d);
      return TRUE;
    }
  return FALSE;
}

static TenureDate
parse_date (RowCtx *ctx, const TenureAssetMapping *mapping, TenureAssetField field)
{
  int column = ctx->preview->columns[field];
  const TenureCell *cell = NULL;
  g_autofree char *text = NULL;
  TenureDate date = TENURE_DATE_INVALID;

  if (column >= 0)
    {
      cell = tenure_row_get_cell (ctx->row, (guint) column);
      if (tenure_cell_is_blank (cell))
        cell = NULL;
    }
  if (cell != NULL && (cell->kind == TENURE_CELL_DATE || cell->kind == TENURE_CELL_NUMBER))
    {
      if (cell->kind == TENURE_CELL_DATE && tenure_date_is_valid (cell->date))
        return cell->date;
      /* A serial number in a cell not formatted as a date. */
      if (cell->kind == TENURE_CELL_NUMBER &&
          tenure_date_from_excel_serial (cell->number, FALSE, &date, NULL))
        return date;
      add_issue (ctx, field, column, _("The %s “%s” is not a calendar day"),
                 tenure_asset_field_label (field), cell->text);
      return TENURE_DATE_INVALID;
    }
  text = cell != NULL ? g_strstrip (g_strdup (cell->text)) : g_strdup (mapping->constant[field]);
  if (text == NULL)
    return TENURE_DATE_INVALID;
  if (!parse_text_date (text, &date))
    {
      add_issue (ctx, field, column, _("The %s “%s” is not a date (use YYYY-MM-DD)"),
                 tenure_asset_field_label (field), text);
      return TENURE_DATE_INVALID;
    }
  return date;
}

typedef struct
{
  const char *value;
  const char *names[10];
} Synonyms;

static const Synonyms format_names[] = {
  { "mall", { "mall", "商业", "购物中心", "商场", "零售", "商铺", "retail", "shop", NULL } },
  { "office", { "office", "写字楼", "办公", "办公楼", NULL } },
  { "industrial_park", { "industrial_park", "industrial park", "industrial", "产业园", "园区",
                         "厂房", NULL } },
  { "apartment", { "apartment", "公寓", "住宅", NULL } },
};

static const Synonyms status_names[] = {
  { "available", { "available", "vacant", "可租", "空置", "待租", NULL } },
  { "reserved", { "reserved", "预留", "预定", NULL } },
  { "not_for_lease", { "not_for_lease", "not for lease", "不可租", "自用", "配套", NULL } },
  { "renovation", { "renovation", "under renovation", "装修", "装修中", "改造", "改造中",
                    NULL } },
};

static const Synonyms basis_names[] = {
  { "per_m2_month", { "per_m2_month", "per m2 per month", "per month", "month", "元/㎡/月",
                      "元/平方米/月", "元/m²/月", "月", NULL } },
  { "per_m2_day", { "per_m2_day", "per m2 per day", "per day", "day", "元/㎡/天", "元/㎡/日",
                    "元/平方米/天", "元/m²/天", "天", NULL } },
};

static const char *
lookup_synonym (const Synonyms *table, gsize n, const char *text)
{
  g_autofree char *key = make_key (text);

  for (gsize i = 0; i < n; i++)
    for (guint j = 0; table[i].names[j] != NULL; j++)
      {
        g_autofree char *name_key = make_key (table[i].names[j]);

        if (strcmp (key, name_key) == 0)
          return table[i].value;
      }
  return NULL;
}

static gboolean
check_code (RowCtx *ctx, TenureAssetField field, const char *code)
{
  if (g_utf8_strlen (code, -1) > MAX_CODE_CHARS)
    {
      add_issue (ctx, field, ctx->preview->columns[field],
                 _("The %s “%s” is longer than %d characters"),
                 tenure_asset_field_label (field), code, MAX_CODE_CHARS);
      return FALSE;
    }
  for (const char *p = code; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          add_issue (ctx, field, ctx->preview->columns[field],
                     _("The %s “%s” contains a space or control character"),
                     tenure_asset_field_label (field), code);
          return FALSE;
        }
    }
  return TRUE;
}

static void
asset_row_clear (TenureAssetRow *row)
{
  g_free (row->project_code);
  g_free (row->building);
  g_free (row->floor);
  g_free (row->unit_code);
  g_free (row->name);
  g_free (row->format);
  g_free (row->status);
  g_free (row->price_basis);
}

static void
asset_issue_clear (TenureAssetIssue *issue)
{
  g_free (issue->column_name);
  g_free (issue->header);
  g_free (issue->text);
  g_free (issue->message);
  g_free (issue->location);
}

/* A row as the ledger's text values (tenure-asset-ledger.h); the strings are owned. */
static GHashTable *
unit_values (const TenureAssetRow *row)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (values, (char *) "code", g_strdup (row->unit_code));
  g_hash_table_insert (values, (char *) "name", g_strdup (row->name));
  g_hash_table_insert (values, (char *) "format", g_strdup (row->format));
  g_hash_table_insert (values, (char *) "gfa_area",
                       tenure_decimal_format (row->gfa_area_c, 2, FALSE));
  g_hash_table_insert (values, (char *) "leasable_area",
                       tenure_decimal_format (row->leasable_area_c, 2, FALSE));
  g_hash_table_insert (values, (char *) "stored_status", g_strdup (row->status));
  g_hash_table_insert (values, (char *) "asking_price",
                       row->asking_price_e4 >= 0
                       ? tenure_decimal_format (row->asking_price_e4, 4, FALSE) : g_strdup (""));
  g_hash_table_insert (values, (char *) "asking_price_basis", g_strdup (row->price_basis));
  return values;
}

static TenureAssetField
field_from_ledger_key (const char *key)
{
  static const struct { const char *key; TenureAssetField field; } map[] = {
    { "name", TENURE_ASSET_FIELD_NAME },
    { "format", TENURE_ASSET_FIELD_FORMAT },
    { "gfa_area", TENURE_ASSET_FIELD_GFA },
    { "leasable_area", TENURE_ASSET_FIELD_LEASABLE },
    { "stored_status", TENURE_ASSET_FIELD_STATUS },
    { "asking_price", TENURE_ASSET_FIELD_ASKING_PRICE },
    { "asking_price_basis", TENURE_ASSET_FIELD_PRICE_BASIS },
  };

  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (map); i++)
    if (strcmp (key, map[i].key) == 0)
      return map[i].field;
  return TENURE_ASSET_FIELD_UNIT_CODE;
}

/* Parses and checks one row into @out; its issues go to the preview. */
static gboolean
parse_row (RowCtx                   *ctx,
           const TenureAssetMapping *mapping,
           Resolver                 *resolver,
           GHashTable               *seen_codes,
           TenureAssetRow           *out,
           GError                  **error)
{
  TenureAssetPreview *p = ctx->preview;
  static const TenureAssetField required[] = {
    TENURE_ASSET_FIELD_PROJECT, TENURE_ASSET_FIELD_BUILDING, TENURE_ASSET_FIELD_FLOOR,
    TENURE_ASSET_FIELD_UNIT_CODE,
  };
  char **texts[] = { &out->project_code, &out->building, &out->floor, &out->unit_code };
  g_autofree char *format = NULL;
  g_autofree char *status = NULL;
  g_autofree char *basis = NULL;
  g_autofree char *price = NULL;
  Node *project = NULL;
  Node *floor = NULL;
  gboolean have_gfa, have_leasable;

  out->row_number = tenure_row_get_number (ctx->row);
  out->asking_price_e4 = -1;

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      *texts[i] = field_text (ctx, mapping, required[i]);
      if (*texts[i] == NULL)
        add_issue (ctx, required[i], p->columns[required[i]], _("The %s is missing"),
                   tenure_asset_field_label (required[i]));
    }

  if (out->project_code != NULL)
    {
      project = resolver_project (resolver, out->project_code, error);
      if (*error != NULL)
        return FALSE;
      if (project == NULL)
        add_issue (ctx, TENURE_ASSET_FIELD_PROJECT, p->columns[TENURE_ASSET_FIELD_PROJECT],
                   _("There is no project with the code “%s”"), out->project_code);
    }

  if (out->unit_code != NULL && check_code (ctx, TENURE_ASSET_FIELD_UNIT_CODE, out->unit_code))
    {
      gpointer first = g_hash_table_lookup (seen_codes, out->unit_code);
      const char *table = NULL;

      if (first != NULL)
        add_issue (ctx, TENURE_ASSET_FIELD_UNIT_CODE, p->columns[TENURE_ASSET_FIELD_UNIT_CODE],
                   _("The unit code “%s” appears twice in the file (first on row %u)"),
                   out->unit_code, GPOINTER_TO_UINT (first));
      else
        g_hash_table_insert (seen_codes, g_strdup (out->unit_code),
                             GUINT_TO_POINTER (out->row_number));

      if (!code_used_by (resolver, out->unit_code, &table, error))
        return FALSE;
      if (g_strcmp0 (table, "unit") == 0)
        add_issue (ctx, TENURE_ASSET_FIELD_UNIT_CODE, p->columns[TENURE_ASSET_FIELD_UNIT_CODE],
                   _("A unit with the code “%s” already exists"), out->unit_code);
      else if (table != NULL)
        add_issue (ctx, TENURE_ASSET_FIELD_UNIT_CODE, p->columns[TENURE_ASSET_FIELD_UNIT_CODE],
                   _("The code “%s” is already used by a project, building or floor "
                     "(codes are unique across the asset tree)"), out->unit_code);
    }

  if (project != NULL && out->building != NULL && out->floor != NULL)
    {
      Node *building = resolver_child (resolver, project, LEVEL_BUILDING, out->building, error);

      if (building == NULL)
        return FALSE;
      floor = resolver_child (resolver, building, LEVEL_FLOOR, out->floor, error);
      if (floor == NULL)
        return FALSE;
    }

  out->name = field_text (ctx, mapping, TENURE_ASSET_FIELD_NAME);
  if (out->name == NULL)
    out->name = g_strdup (out->unit_code);

  format = field_text (ctx, mapping, TENURE_ASSET_FIELD_FORMAT);
  if (format != NULL)
    {
      const char *value = lookup_synonym (format_names, G_N_ELEMENTS (format_names), format);

      if (value == NULL)
        add_issue (ctx, TENURE_ASSET_FIELD_FORMAT, p->columns[TENURE_ASSET_FIELD_FORMAT],
                   _("Unknown format “%s” (use mall, office, industrial park or apartment)"),
                   format);
      out->format = g_strdup (value);
    }
  else if (project != NULL)
    out->format = g_strdup (project->format);

  status = field_text (ctx, mapping, TENURE_ASSET_FIELD_STATUS);
  if (status != NULL)
    {
      const char *value = lookup_synonym (status_names, G_N_ELEMENTS (status_names), status);
      g_autofree char *key = make_key (status);

      if (value == NULL && (strcmp (key, "leased") == 0 || strcmp (key, "已租") == 0 ||
                            strcmp (key, "出租") == 0 || strcmp (key, "已出租") == 0))
        add_issue (ctx, TENURE_ASSET_FIELD_STATUS, p->columns[TENURE_ASSET_FIELD_STATUS],
                   _("Status “%s” cannot be imported: whether a unit is leased comes from its "
                     "contracts"), status);
      else if (value == NULL)
        add_issue (ctx, TENURE_ASSET_FIELD_STATUS, p->columns[TENURE_ASSET_FIELD_STATUS],
                   _("Unknown status “%s” (use available, reserved, not for lease or "
                     "renovation)"), status);
      out->status = g_strdup (value);
    }
  else
    out->status = g_strdup ("available");

  have_gfa = parse_area (ctx, mapping, TENURE_ASSET_FIELD_GFA, &out->gfa_area_c);
  have_leasable = parse_area (ctx, mapping, TENURE_ASSET_FIELD_LEASABLE, &out->leasable_area_c);
  if (!have_gfa && !have_leasable)
    {
      TenureAssetField f = p->columns[TENURE_ASSET_FIELD_GFA] >= 0
                           ? TENURE_ASSET_FIELD_GFA : TENURE_ASSET_FIELD_LEASABLE;

      add_issue (ctx, f, p->columns[f], _("The %s is missing"), tenure_asset_field_label (f));
    }
  else if (!have_gfa)
    out->gfa_area_c = out->leasable_area_c;
  else if (!have_leasable)
    out->leasable_area_c = out->gfa_area_c;
  else if (out->gfa_area_c > 0 && out->leasable_area_c > out->gfa_area_c)
    {
      g_autofree char *leasable = tenure_decimal_format (out->leasable_area_c, 2, TRUE);
      g_autofree char *gfa = tenure_decimal_format (out->gfa_area_c, 2, TRUE);

      add_issue (ctx, TENURE_ASSET_FIELD_LEASABLE, p->columns[TENURE_ASSET_FIELD_LEASABLE],
                 _("The leasable area %s m² is larger than the gross floor area %s m²"),
                 leasable, gfa);
    }
  if (out->gfa_area_c < 0)
    out->gfa_area_c = 0;
  if (out->leasable_area_c < 0)
    out->leasable_area_c = 0;

  price = field_text (ctx, mapping, TENURE_ASSET_FIELD_ASKING_PRICE);
  if (price != NULL)
    {
      int column = p->columns[TENURE_ASSET_FIELD_ASKING_PRICE];
      const TenureCell *cell = column >= 0 ? tenure_row_get_cell (ctx->row, (guint) column)
                                           : NULL;
      g_autofree char *message = NULL;
      gint64 value = 0;

      if (cell != NULL && tenure_cell_is_blank (cell))
        cell = NULL;
      if (!cell_decimal (cell, price, 4, &value, &message))
        add_issue (ctx, TENURE_ASSET_FIELD_ASKING_PRICE, column, _("The %s is not valid: %s"),
                   tenure_asset_field_label (TENURE_ASSET_FIELD_ASKING_PRICE), message);
      else if (value < 0)
        add_issue (ctx, TENURE_ASSET_FIELD_ASKING_PRICE, column,
                   _("The asking price must not be negative, not “%s”"), price);
      else
        out->asking_price_e4 = value;
    }

  basis = field_text (ctx, mapping, TENURE_ASSET_FIELD_PRICE_BASIS);
  if (basis != NULL)
    {
      const char *value = lookup_synonym (basis_names, G_N_ELEMENTS (basis_names), basis);

      if (value == NULL)
        add_issue (ctx, TENURE_ASSET_FIELD_PRICE_BASIS,
                   p->columns[TENURE_ASSET_FIELD_PRICE_BASIS],
                   _("Unknown price basis “%s” (use 元/㎡/月 or 元/㎡/天)"), basis);
      out->price_basis = g_strdup (value);
    }
  else
    out->price_basis = g_strdup ("per_m2_month");

  out->lease_start = parse_date (ctx, mapping, TENURE_ASSET_FIELD_LEASE_START);
  out->lease_end = parse_date (ctx, mapping, TENURE_ASSET_FIELD_LEASE_END);
  if (tenure_date_is_valid (out->lease_start) && tenure_date_is_valid (out->lease_end) &&
      out->lease_end < out->lease_start)
    {
      char a[TENURE_DATE_ISO_BUF_SIZE], b[TENURE_DATE_ISO_BUF_SIZE];

      add_issue (ctx, TENURE_ASSET_FIELD_LEASE_END, p->columns[TENURE_ASSET_FIELD_LEASE_END],
                 _("The lease ends on %s, before it starts on %s"),
                 tenure_date_format_iso_buf (out->lease_end, b),
                 tenure_date_format_iso_buf (out->lease_start, a));
    }

  /* A clean row on an existing floor also passes the ledger's own checks, so the preview
   * refuses what the ledger would (new floors are checked by the ledger when written). */
  if (ctx->row_ok && floor != NULL && floor->id != 0)
    {
      g_autoptr (GHashTable) values = unit_values (out);
      g_autofree char *key = NULL;
      GError *local = NULL;

      if (!tenure_asset_ledger_validate (resolver->db, TENURE_LEDGER_UNIT, 0, floor->id, values,
                                         &key, &local))
        {
          TenureAssetField field = field_from_ledger_key (key);
          int column = p->columns[field] >= 0 ? p->columns[field]
                                              : p->columns[TENURE_ASSET_FIELD_UNIT_CODE];

          if (local->domain != TENURE_ERROR || local->code != TENURE_ERROR_INVALID)
            {
              g_propagate_error (error, local);
              return FALSE;
            }
          add_issue (ctx, field, column, "%s", local->message);
          g_error_free (local);
        }
    }

  out->ok = ctx->row_ok;
  return TRUE;
}

/* Finding the columns ---------------------------------------------------------------------- */

static int
find_column (const TenureRow *row, GPtrArray *names)
{
  guint n = tenure_row_get_n_cells (row);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *want = make_key (g_ptr_array_index (names, i));

      for (guint c = 0; c < n; c++)
        {
          const TenureCell *cell = tenure_row_get_cell (row, c);
          g_autofree char *have = NULL;

          if (cell->kind != TENURE_CELL_TEXT)
            continue;
          have = make_key (cell->text);
          if (strcmp (have, want) == 0)
            return (int) c;
        }
    }
  return -1;
}

static gboolean
find_header (const TenureTable        *table,
             const TenureAssetMapping *mapping,
             int                       columns[TENURE_ASSET_N_FIELDS],
             int                      *header_row,
             GError                  **error)
{
  guint limit = MIN (tenure_table_get_n_rows (table), HEADER_SEARCH_ROWS);
  g_autofree char *file = g_path_get_basename (tenure_table_get_source (table));

  for (guint r = 0; r < limit; r++)
    {
      const TenureRow *row = tenure_table_get_row (table, r);

      for (guint f = 0; f < TENURE_ASSET_N_FIELDS; f++)
        columns[f] = find_column (row, mapping->headers[f]);
      if (columns[TENURE_ASSET_FIELD_UNIT_CODE] >= 0 &&
          (columns[TENURE_ASSET_FIELD_GFA] >= 0 || columns[TENURE_ASSET_FIELD_LEASABLE] >= 0 ||
           mapping->constant[TENURE_ASSET_FIELD_GFA] != NULL))
        {
          *header_row = (int) r;
          return TRUE;
        }
    }
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
               _("%s: no header row with a unit code column and an area column in the first "
                 "%u rows (expected headers such as 单元编码 / unit code and 建筑面积 / GFA)"),
               file, (guint) HEADER_SEARCH_ROWS);
  return FALSE;
}

/* Preview ---------------------------------------------------------------------------------- */

void
tenure_asset_preview_free (TenureAssetPreview *preview)
{
  if (preview == NULL)
    return;
  g_array_unref (preview->rows);
  g_array_unref (preview->issues);
  g_free (preview);
}

static int
compare_issues (gconstpointer a, gconstpointer b)
{
  const TenureAssetIssue *x = a, *y = b;

  if (x->row_number != y->row_number)
    return x->row_number < y->row_number ? -1 : 1;
  return (x->column > y->column) - (x->column < y->column);
}

static gboolean
check_cancel (GCancellable *cancellable, GError **error)
{
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_CANCELLED,
                           _("The import was cancelled; nothing was written"));
      return TRUE;
    }
  return FALSE;
}

TenureAssetPreview *
tenure_asset_import_preview (TenureDb                 *db,
                             const TenureTable        *table,
                             const TenureAssetMapping *mapping,
                             TenureAssetProgressFunc   progress,
                             gpointer                  user_data,
                             GCancellable             *cancellable,
                             GError                  **error)
{
  g_autoptr (TenureAssetPreview) preview = g_new0 (TenureAssetPreview, 1);
  g_autoptr (GHashTable) seen_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             NULL);
  g_autofree char *file = g_path_get_basename (tenure_table_get_source (table));
  Resolver resolver;
  guint n_rows = tenure_table_get_n_rows (table);
  int header_row = -1;
  gboolean ok = TRUE;
  GError *local = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (table != NULL && mapping != NULL, NULL);

  preview->rows = g_array_new (FALSE, TRUE, sizeof (TenureAssetRow));
  g_array_set_clear_func (preview->rows, (GDestroyNotify) asset_row_clear);
  preview->issues = g_array_new (FALSE, TRUE, sizeof (TenureAssetIssue));
  g_array_set_clear_func (preview->issues, (GDestroyNotify) asset_issue_clear);

  if (!find_header (table, mapping, preview->columns, &header_row, error))
    return NULL;

  /* A field with neither a column nor a constant can never be filled. */
  for (TenureAssetField f = TENURE_ASSET_FIELD_PROJECT; f <= TENURE_ASSET_FIELD_FLOOR; f++)
    if (preview->columns[f] < 0 && mapping->constant[f] == NULL)
      {
        g_autofree char *names = NULL;
        GPtrArray *h = mapping->headers[f];
        g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
        g_auto (GStrv) v = NULL;

        for (guint i = 0; i < h->len; i++)
          g_strv_builder_add (b, g_ptr_array_index (h, i));
        v = g_strv_builder_end (b);
        names = g_strjoinv (" / ", v);
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                     _("%s: no column for the %s (looked for: %s)"), file,
                     tenure_asset_field_label (f), names);
        return NULL;
      }

  if (!resolver_init (&resolver, db, FALSE, error))
    {
      resolver_clear (&resolver);
      return NULL;
    }


  /* A project given for the whole file must exist: one message, not one per row. */
  if (preview->columns[TENURE_ASSET_FIELD_PROJECT] < 0)
    {
      const char *code = mapping->constant[TENURE_ASSET_FIELD_PROJECT];

      if (resolver_project (&resolver, code, &local) == NULL)
        {
          if (local == NULL)
            g_set_error (&local, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                         _("There is no project with the code “%s”"), code);
          g_propagate_error (error, local);
          resolver_clear (&resolver);
          return NULL;
        }
    }

  tenure_table_set_header_row ((TenureTable *) table, header_row);
  for (guint r = (guint) header_row + 1; r < n_rows && ok; r++)
    {
      const TenureRow *row = tenure_table_get_row (table, r);
      RowCtx ctx = { preview, table, row, TRUE };
      TenureAssetRow parsed = { 0 };

      if ((r - (guint) header_row) % CHECK_EVERY == 0)
        {
          if (check_cancel (cancellable, &local))
            {
              ok = FALSE;
              break;
            }
          if (progress != NULL)
            progress ((double) r / n_rows, user_data);
        }
      if (tenure_row_is_blank (row))
        continue;
      ok = parse_row (&ctx, mapping, &resolver, seen_codes, &parsed, &local);
      g_array_append_val (preview->rows, parsed);
      if (!parsed.ok)
        preview->n_bad_rows++;
    }
  if (ok && check_cancel (cancellable, &local))
    ok = FALSE;
  preview->n_new_buildings = resolver.new_buildings;
  preview->n_new_floors = resolver.new_floors;
  resolver_clear (&resolver);
  if (!ok)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  /* Stable: a row's issues stay in the order of its columns. */
  g_array_sort (preview->issues, compare_issues);
  if (progress != NULL)
    progress (1.0, user_data);
  return g_steal_pointer (&preview);
}

guint
tenure_asset_preview_get_n_rows (const TenureAssetPreview *preview)
{
  return preview->rows->len;
}

const TenureAssetRow *
tenure_asset_preview_get_row (const TenureAssetPreview *preview, guint index)
{
  g_return_val_if_fail (index < preview->rows->len, NULL);
  return &g_array_index (preview->rows, TenureAssetRow, index);
}

guint
tenure_asset_preview_get_n_bad_rows (const TenureAssetPreview *preview)
{
  return preview->n_bad_rows;
}

guint
tenure_asset_preview_get_n_issues (const TenureAssetPreview *preview)
{
  return preview->issues->len;
}

const TenureAssetIssue *
tenure_asset_preview_get_issue (const TenureAssetPreview *preview, guint index)
{
  g_return_val_if_fail (index < preview->issues->len, NULL);
  return &g_array_index (preview->issues, TenureAssetIssue, index);
}

int
tenure_asset_preview_get_column (const TenureAssetPreview *preview, TenureAssetField field)
{
  g_return_val_if_fail (field < TENURE_ASSET_N_FIELDS, -1);
  return preview->columns[field];
}

guint
tenure_asset_preview_get_n_new_buildings (const TenureAssetPreview *p)
{
  return p->n_new_buildings;
}

guint
tenure_asset_preview_get_n_new_floors (const TenureAssetPreview *p)
{
  return p->n_new_floors;
}

/* Apply ------------------------------------------------------------------------------------ */

static gboolean
apply_row (Resolver *r, const TenureAssetRow *row, GError **error)
{
  Node *project = resolver_project (r, row->project_code, error);
  Node *building, *floor;
  g_autoptr (GHashTable) values = NULL;

  if (project == NULL)
    {
      if (*error == NULL)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("There is no project with the code “%s”"), row->project_code);
      return FALSE;
    }
  building = resolver_child (r, project, LEVEL_BUILDING, row->building, error);
  if (building == NULL)
    return FALSE;
  floor = resolver_child (r, building, LEVEL_FLOOR, row->floor, error);
  if (floor == NULL)
    return FALSE;

  values = unit_values (row);
  if (tenure_asset_ledger_create (r->db, TENURE_LEDGER_UNIT, floor->id, values, NULL,
                                  error) == 0)
    {
      g_prefix_error (error, _("Row %u, unit %s: "), row->row_number, row->unit_code);
      return FALSE;
    }
  return TRUE;
}

gboolean
tenure_asset_import_apply (TenureDb                 *db,
                           const TenureAssetPreview *preview,
                           TenureAssetImportFlags    flags,
                           TenureAssetProgressFunc   progress,
                           gpointer                  user_data,
                           GCancellable             *cancellable,
                           TenureAssetImportResult  *result,
                           GError                  **error)
{
  Resolver resolver;
  guint n = preview->rows->len;
  guint n_good = n - preview->n_bad_rows;
  guint written = 0;
  gboolean ok = TRUE;
  GError *local = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);

  if (preview->n_bad_rows > 0 && !(flags & TENURE_ASSET_IMPORT_SKIP_BAD_ROWS))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u row has errors: correct the file or leave the bad rows out",
                                "%u rows have errors: correct the file or leave the bad rows out",
                                preview->n_bad_rows),
                   preview->n_bad_rows);
      return FALSE;
    }
  if (n_good == 0)
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("There is no row without errors to import"));
      return FALSE;
    }
  if (check_cancel (cancellable, error))
    return FALSE;
  if (!tenure_db_begin (db, error))
    return FALSE;
  if (!resolver_init (&resolver, db, TRUE, &local))
    ok = FALSE;

  for (guint i = 0; i < n && ok; i++)
    {
      const TenureAssetRow *row = &g_array_index (preview->rows, TenureAssetRow, i);

      if (i % CHECK_EVERY == 0 && i > 0)
        {
          if (check_cancel (cancellable, &local))
            {
              ok = FALSE;
              break;
            }
          if (progress != NULL)
            progress ((double) i / n, user_data);
        }
      if (!row->ok)
        continue;
      ok = apply_row (&resolver, row, &local);
      written++;
    }
  /* The last chance to cancel: after the commit the rows are there. */
  if (ok && check_cancel (cancellable, &local))
    ok = FALSE;
  if (ok)
    ok = tenure_db_commit (db, &local);
  else
    tenure_db_rollback (db);
  if (ok && result != NULL)
    {
      result->units = written;
      result->buildings = resolver.new_buildings;
      result->floors = resolver.new_floors;
      result->skipped_rows = preview->n_bad_rows;
    }
  resolver_clear (&resolver);
  if (!ok)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (progress != NULL)
    progress (1.0, user_data);
  return TRUE;
}
