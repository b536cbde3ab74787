/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-portfolio"

#include "tenure-portfolio.h"

#include "collections/tenure-open-item.h"

#include <json-glib/json-glib.h>

#include <math.h>
#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "leasing/tenure-charge-item.h"

struct _TenureProjectSummary
{
  GObject parent_instance;

  char   *code;
  char   *name;
  char   *format;
  char   *city;
  gint64  building_count;
  gint64  floor_count;
  gint64  unit_count;
  gint64  leasable_area_c;
};

G_DEFINE_FINAL_TYPE (TenureProjectSummary, tenure_project_summary, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_FORMAT,
  PROP_FORMAT_LABEL,
  PROP_CITY,
  PROP_BUILDING_COUNT,
  PROP_FLOOR_COUNT,
  PROP_UNIT_COUNT,
  PROP_LEASABLE_AREA_C,
  PROP_LEASABLE_AREA_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tenure_project_summary_finalize (GObject *object)
{
  TenureProjectSummary *self = (TenureProjectSummary *)object;

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->format, g_free);
  g_clear_pointer (&self->city, g_free);

  G_OBJECT_CLASS (tenure_project_summary_parent_class)->finalize (object);
}

static void
tenure_project_summary_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TenureProjectSummary *self = TENURE_PROJECT_SUMMARY (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_FORMAT:
      g_value_set_string (value, self->format);
      break;
    case PROP_FORMAT_LABEL:
      g_value_set_string (value, tenure_portfolio_format_label (self->format));
      break;
    case PROP_CITY:
      g_value_set_string (value, self->city);
      break;
    case PROP_BUILDING_COUNT:
      g_value_set_int64 (value, self->building_count);
      break;
    case PROP_FLOOR_COUNT:
      g_value_set_int64 (value, self->floor_count);
      break;
    case PROP_UNIT_COUNT:
      g_value_set_int64 (value, self->unit_count);
      break;
    case PROP_LEASABLE_AREA_C:
      g_value_set_int64 (value, self->leasable_area_c);
      break;
    case PROP_LEASABLE_AREA_TEXT:
      g_value_take_string (value, tenure_portfolio_format_area_c (self->leasable_area_c));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tenure_project_summary_class_init (TenureProjectSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tenure_project_summary_finalize;
  object_class->get_property = tenure_project_summary_get_property;

  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_FORMAT] = g_param_spec_string ("format", NULL, NULL, NULL, flags);
  properties[PROP_FORMAT_LABEL] = g_param_spec_string ("format-label", NULL, NULL, NULL, flags);
  properties[PROP_CITY] = g_param_spec_string ("city", NULL, NULL, NULL, flags);
  properties[PROP_BUILDING_COUNT] =
    g_param_spec_int64 ("building-count", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FLOOR_COUNT] =
    g_param_spec_int64 ("floor-count", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UNIT_COUNT] =
    g_param_spec_int64 ("unit-count", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LEASABLE_AREA_C] =
    g_param_spec_int64 ("leasable-area-c", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LEASABLE_AREA_TEXT] =
    g_param_spec_string ("leasable-area-text", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tenure_project_summary_init (TenureProjectSummary *self)
{
}

const char *
tenure_project_summary_get_code (TenureProjectSummary *self)
{
  g_return_val_if_fail (TENURE_IS_PROJECT_SUMMARY (self), NULL);
  return self->code;
}

const char *
tenure_project_summary_get_name (TenureProjectSummary *self)
{
  g_return_val_if_fail (TENURE_IS_PROJECT_SUMMARY (self), NULL);
  return self->name;
}

const char *
tenure_project_summary_get_format (TenureProjectSummary *self)
{
  g_return_val_if_fail (TENURE_IS_PROJECT_SUMMARY (self), NULL);
  return self->format;
}

const char *
tenure_project_summary_get_city (TenureProjectSummary *self)
{
  g_return_val_if_fail (TENURE_IS_PROJECT_SUMMARY (self), NULL);
  return self->city;
}

gint64
tenure_project_summary_get_building_count (TenureProjectSummary *self)
{
  g_return_val_if_fail (TENURE_IS_PROJECT_SUMMARY (self), 0);
  return self->building_count;
}

gint64
tenure_project_summary_get_floor_count (TenureProjectSummary *self)
{
  g_return_val_if_fail (TENURE_IS_PROJECT_SUMMARY (self), 0);
  return self->floor_count;
}

gint64
tenure_project_summary_get_unit_count (TenureProjectSummary *self)
{
  g_return_val_if_fail (TENURE_IS_PROJECT_SUMMARY (self), 0);
  return self->unit_count;
}

gint64
tenure_project_summary_get_leasable_area_c (TenureProjectSummary *self)
{
  g_return_val_if_fail (TENURE_IS_PROJECT_SUMMARY (self), 0);
  return self->leasable_area_c;
}

/* Counts per project in one statement; CAST keeps PostgreSQL's sum() (numeric) an integer. */
static const char list_projects_sql[] =
  "SELECT p.code, p.name, p.format, p.city,"
  " (SELECT count(*) FROM building b WHERE b.project_id = p.id),"
  " (SELECT count(*) FROM floor f JOIN building b ON b.id = f.building_id"
  "   WHERE b.project_id = p.id),"
  " (SELECT count(*) FROM unit u JOIN floor f ON f.id = u.floor_id"
  "   JOIN building b ON b.id = f.building_id"
  "   WHERE b.project_id = p.id AND u.retired_on IS NULL),"
  " (SELECT CAST(coalesce(sum(u.leasable_area_c), 0) AS bigint) FROM unit u"
  "   JOIN floor f ON f.id = u.floor_id JOIN building b ON b.id = f.building_id"
  "   WHERE b.project_id = p.id AND u.retired_on IS NULL)"
  " FROM project p ORDER BY p.code";

GListModel *
tenure_portfolio_list_projects (TenureDb  *db,
                                GError   **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = tenure_db_prepare (db, list_projects_sql, error);
  if (stmt == NULL)
    return NULL;

  rows = g_ptr_array_new_with_free_func (g_object_unref);
  while (tenure_stmt_step (stmt, &local_error))
    {
      TenureProjectSummary *summary = g_object_new (TENURE_TYPE_PROJECT_SUMMARY, NULL);

      summary->code = g_strdup (tenure_stmt_column_text (stmt, 0));
      summary->name = g_strdup (tenure_stmt_column_text (stmt, 1));
      summary->format = g_strdup (tenure_stmt_column_text (stmt, 2));
      summary->city = g_strdup (tenure_stmt_column_text (stmt, 3));
      summary->building_count = tenure_stmt_column_int64 (stmt, 4);
      summary->floor_count = tenure_stmt_column_int64 (stmt, 5);
      summary->unit_count = tenure_stmt_column_int64 (stmt, 6);
      summary->leasable_area_c = tenure_stmt_column_int64 (stmt, 7);
      g_ptr_array_add (rows, summary);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  /* One batched items-changed for the whole list. */
  store = g_list_store_new (TENURE_TYPE_PROJECT_SUMMARY);
  g_list_store_splice (store, 0, 0, rows->pdata, rows->len);
  return G_LIST_MODEL (g_steal_pointer (&store));
}

char *
tenure_portfolio_format_area_c (gint64 area_c)
{
  GString *out = g_string_new (NULL);
  /* Work on the magnitude as unsigned so G_MININT64 has a positive value too. */
  guint64 magnitude = area_c < 0 ? (guint64) 0 - (guint64) area_c : (guint64) area_c;
  guint64 whole = magnitude / 100;
  guint cents = (guint) (magnitude % 100);
  char digits[32];
  gsize n_digits;

  g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, whole);
  n_digits = strlen (digits);

  if (area_c < 0)
    g_string_append_c (out, '-');
  for (gsize i = 0; i < n_digits; i++)
    {
      if (i > 0 && (n_digits - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  g_string_append_printf (out, ".%02u", cents);

  return g_string_free (out, FALSE);
}

const char *
tenure_portfolio_format_label (const char *format)
{
  if (g_strcmp0 (format, "mall") == 0)
    return _("Mall");
  if (g_strcmp0 (format, "office") == 0)
    return _("Office");
  if (g_strcmp0 (format, "industrial_park") == 0)
    return _("Industrial park");
  if (g_strcmp0 (format, "apartment") == 0)
    return _("Apartments");
  return format;
}

/* ---- Asset tree ------------------------------------------------------------------------ */

G_DEFINE_FINAL_TYPE (TenureAssetNode, tenure_asset_node, G_TYPE_OBJECT)

enum {
  NODE_PROP_0,
  NODE_PROP_CODE,
  NODE_PROP_NAME,
  NODE_N_PROPS
};

static GParamSpec *node_properties[NODE_N_PROPS];

static void
tenure_asset_node_finalize (GObject *object)
{
  TenureAssetNode *self = (TenureAssetNode *)object;

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->format, g_free);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (tenure_asset_node_parent_class)->finalize (object);
}

static void
tenure_asset_node_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TenureAssetNode *self = TENURE_ASSET_NODE (object);

  switch (prop_id)
    {
    case NODE_PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case NODE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tenure_asset_node_class_init (TenureAssetNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tenure_asset_node_finalize;
  object_class->get_property = tenure_asset_node_get_property;
  node_properties[NODE_PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, flags);
  node_properties[NODE_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, NODE_N_PROPS, node_properties);
}

static void
tenure_asset_node_init (TenureAssetNode *self)
{
}

static const char *const tree_sql[] = {
  "SELECT id, code, name, NULL, 0, 0, 0 FROM legal_entity ORDER BY code",
  "SELECT id, code, name, format, legal_entity_id, 0, 0 FROM project ORDER BY code",
  "SELECT id, code, name, NULL, project_id, 0, 0 FROM building ORDER BY sort_order, code",
  "SELECT id, code, name, NULL, building_id, plan_width, plan_height FROM floor"
  " ORDER BY sort_order, code",
};

GListModel *
tenure_portfolio_list_asset_tree (TenureDb  *db,
                                  GError   **error)
{
  g_autoptr(GListStore) roots = g_list_store_new (TENURE_TYPE_ASSET_NODE);
  g_autoptr(GHashTable) parents = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Each level is one query; a node finds its parent by id among the level above. */
  for (guint level = 0; level < G_N_ELEMENTS (tree_sql); level++)
    {
      g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, tree_sql[level], error);
      g_autoptr(GHashTable) nodes =
        g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_object_unref);
      GError *local_error = NULL;

      if (stmt == NULL)
        return NULL;
      while (tenure_stmt_step (stmt, &local_error))
        {
          TenureAssetNode *node = g_object_new (TENURE_TYPE_ASSET_NODE, NULL);

          node->kind = (TenureAssetKind) level;
          node->id = tenure_stmt_column_int64 (stmt, 0);
          node->code = g_strdup (tenure_stmt_column_text (stmt, 1));
          node->name = g_strdup (tenure_stmt_column_text (stmt, 2));
          node->format = g_strdup (tenure_stmt_column_text (stmt, 3));
          node->plan_width = tenure_stmt_column_int64 (stmt, 5);
          node->plan_height = tenure_stmt_column_int64 (stmt, 6);
          if (node->kind != TENURE_ASSET_FLOOR)
            node->children = g_list_store_new (TENURE_TYPE_ASSET_NODE);

          if (level == 0)
            g_list_store_append (roots, node);
          else
            {
              gint64 parent_id = tenure_stmt_column_int64 (stmt, 4);
              TenureAssetNode *parent = g_hash_table_lookup (parents, &parent_id);

              if (parent != NULL)
                g_list_store_append (parent->children, node);
            }
          g_hash_table_insert (nodes, &node->id, node);
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      g_clear_pointer (&parents, g_hash_table_unref);
      parents = g_steal_pointer (&nodes);
    }

  return G_LIST_MODEL (g_steal_pointer (&roots));
}

TenureDate
tenure_portfolio_get_as_of (TenureDb *db)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  TenureDate as_of = TENURE_DATE_INVALID;

  g_return_val_if_fail (TENURE_IS_DB (db), TENURE_DATE_INVALID);

  stmt = tenure_db_prepare (db, "SELECT value FROM setting WHERE key = 'demo.as_of'", NULL);
  if (stmt != NULL && tenure_stmt_step (stmt, NULL))
    {
      const char *text = tenure_stmt_column_text (stmt, 0);

      if (text == NULL || !tenure_date_parse_iso (text, &as_of, NULL))
        as_of = TENURE_DATE_INVALID;
    }
  if (as_of == TENURE_DATE_INVALID)
    as_of = tenure_date_from_ymd (g_date_time_get_year (now), g_date_time_get_month (now),
                                  g_date_time_get_day_of_month (now));
  return as_of;
}

/* ---- Units of a floor ------------------------------------------------------------------ */

const char *
tenure_unit_status_label (TenureUnitStatus status)
{
  switch (status)
    {
    case TENURE_UNIT_VACANT:
      return _("Vacant");
    case TENURE_UNIT_LEASED:
      return _("Leased");
    case TENURE_UNIT_EXPIRING:
      return _("Expiring within 90 days");
    case TENURE_UNIT_RESERVED:
      return _("Reserved");
    case TENURE_UNIT_NOT_FOR_LEASE:
      return _("Not for lease");
    case TENURE_UNIT_RENOVATION:
      return _("Under renovation");
    case TENURE_UNIT_N_STATUSES:
    default:
      break;
    }
  g_return_val_if_reached ("");
}

G_DEFINE_FINAL_TYPE (TenureUnitInfo, tenure_unit_info, G_TYPE_OBJECT)

enum {
  UNIT_PROP_0,
  UNIT_PROP_CODE,
  UNIT_PROP_NAME,
  UNIT_PROP_TENANT,
  UNIT_PROP_STATUS_LABEL,
  UNIT_PROP_AREA_TEXT,
  UNIT_N_PROPS
};

static GParamSpec *unit_properties[UNIT_N_PROPS];

static void
tenure_unit_info_finalize (GObject *object)
{
  TenureUnitInfo *self = (TenureUnitInfo *)object;

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->vacancy_reason, g_free);
  g_clear_pointer (&self->contract_code, g_free);
  g_clear_pointer (&self->tenant_name, g_free);
  g_clear_pointer (&self->tenant_short_name, g_free);
  g_clear_pointer (&self->points, g_free);

  G_OBJECT_CLASS (tenure_unit_info_parent_class)->finalize (object);
}

static void
tenure_unit_info_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TenureUnitInfo *self = TENURE_UNIT_INFO (object);

  switch (prop_id)
    {
    case UNIT_PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case UNIT_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case UNIT_PROP_TENANT:
      g_value_set_string (value, self->tenant_short_name ? self->tenant_short_name : "");
      break;
    case UNIT_PROP_STATUS_LABEL:
      g_value_set_string (value, tenure_unit_status_label (self->status));
      break;
    case UNIT_PROP_AREA_TEXT:
      g_value_take_string (value, tenure_portfolio_format_area_c (self->leasable_area_c));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tenure_unit_info_class_init (TenureUnitInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tenure_unit_info_finalize;
  object_class->get_property = tenure_unit_info_get_property;
  unit_properties[UNIT_PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, flags);
  unit_properties[UNIT_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  unit_properties[UNIT_PROP_TENANT] = g_param_spec_string ("tenant", NULL, NULL, NULL, flags);
  unit_properties[UNIT_PROP_STATUS_LABEL] =
    g_param_spec_string ("status-label", NULL, NULL, NULL, flags);
  unit_properties[UNIT_PROP_AREA_TEXT] =
    g_param_spec_string ("area-text", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, UNIT_N_PROPS, unit_properties);
}

static void
tenure_unit_info_init (TenureUnitInfo *self)
{
  self->asking_price_e4 = -1;
  self->rent_e4 = -1;
}

static void
skip_space (const char **p)
{
  while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
    (*p)++;
}

static gboolean
expect_char (const char **p,
             char         c)
{
  skip_space (p);
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

double *
tenure_portfolio_parse_polygon (const char *json,
                                guint      *n_points)
{
  g_autoptr(GArray) coords = NULL;
  const char *p = json;

  g_return_val_if_fail (n_points != NULL, NULL);
  *n_points = 0;
  if (json == NULL || !expect_char (&p, '['))
    return NULL;

  coords = g_array_new (FALSE, FALSE, sizeof (double));
  skip_space (&p);
  while (*p != ']')
    {
      if (coords->len > 0 && !expect_char (&p, ','))
        return NULL;
      if (!expect_char (&p, '['))
        return NULL;
      for (int i = 0; i < 2; i++)
        {
          char *end = NULL;
          double v;

          if (i == 1 && !expect_char (&p, ','))
            return NULL;
          skip_space (&p);
          v = g_ascii_strtod (p, &end);
          if (end == p || !isfinite (v))
            return NULL;
          p = end;
          g_array_append_val (coords, v);
        }
      if (!expect_char (&p, ']'))
        return NULL;
      skip_space (&p);
      if (*p == '\0')
        return NULL;
    }
  p++;
  skip_space (&p);
  if (*p != '\0' || coords->len < 6)
    return NULL;

  *n_points = coords->len / 2;
  return (double *) g_array_free (g_steal_pointer (&coords), FALSE);
}

static TenureDate
column_date (TenureStmt *stmt,
             int         column)
{
  TenureDate date = TENURE_DATE_INVALID;
  const char *text = tenure_stmt_column_text (stmt, column);

  if (text == NULL || !tenure_date_parse_iso (text, &date, NULL))
    return TENURE_DATE_INVALID;
  return date;
}

static char *
column_dup (TenureStmt *stmt,
            int         column)
{
  if (tenure_stmt_column_is_null (stmt, column))
    return NULL;
  return g_strdup (tenure_stmt_column_text (stmt, column));
}

static gint64
column_int64_or (TenureStmt *stmt,
                 int         column,
                 gint64      fallback)
{
  if (tenure_stmt_column_is_null (stmt, column))
    return fallback;
  return tenure_stmt_column_int64 (stmt, column);
}

/* The units, contracts and rents of one floor (SCOPE_FLOOR) or of every floor of a building
 * (SCOPE_BUILDING): one set of queries for a whole stacking plan. */
#define SCOPE_FLOOR "floor_id = $1"
#define SCOPE_BUILDING "floor_id IN (SELECT id FROM floor WHERE building_id = $1)"

#define UNITS_SQL(scope) \
  "SELECT id, code, name, leasable_area_c, gfa_area_c, stored_status, asking_price_e4," \
  " vacancy_reason, polygon, floor_id FROM unit" \
  " WHERE " scope " AND retired_on IS NULL ORDER BY code"

/* The version in force of a contract on $2: the latest approved (or since superseded) version
 * effective on or before it. Contracts that cover $2, up to their termination. */
#define COVERING_JOINS \
  " FROM unit u JOIN contract_unit cu ON cu.unit_id = u.id" \
  " JOIN contract_version v ON v.id = cu.contract_version_id" \
  " JOIN contract c ON c.id = v.contract_id" \
  " JOIN tenant t ON t.id = c.tenant_id"
#define COVERING_WHERE \
  " WHERE c.status IN ('active', 'expired', 'terminated')" \
  " AND c.start_date <= $2 AND c.end_date >= $2" \
  " AND (c.terminated_on IS NULL OR c.terminated_on >= $2)" \
  " AND v.status IN ('approved', 'superseded')" \
  " AND v.version_no = (SELECT max(v2.version_no) FROM contract_version v2" \
  "   WHERE v2.contract_id = c.id AND v2.status IN ('approved', 'superseded')" \
  "   AND v2.effective_from <= $2)"

#define CONTRACTS_SQL(scope) \
  "SELECT u.id, c.id, c.code, c.start_date, c.end_date, c.terminated_on, t.name," \
  " t.short_name, v.id, cu.area_c, c.status," \
  " (SELECT CAST(sum(cu2.area_c) AS bigint) FROM contract_unit cu2" \
  "   WHERE cu2.contract_version_id = v.id)" \
  COVERING_JOINS COVERING_WHERE \
  " AND u." scope " ORDER BY u.id, c.start_date"

#define RENTS_SQL(scope) \
  "SELECT DISTINCT v.id, cl.id, cl.basis, cl.price_e4, cl.amount" \
  COVERING_JOINS \
  " JOIN clause cl ON cl.contract_version_id = v.id" \
  " JOIN charge_item ci ON ci.id = cl.charge_item_id AND ci.kind = 'rent'" \
  COVERING_WHERE \
  " AND u." scope " AND cl.starts_on <= $2 AND cl.ends_on >= $2"

static const char *const scoped_sql[2][3] = {
  { UNITS_SQL (SCOPE_FLOOR), CONTRACTS_SQL (SCOPE_FLOOR), RENTS_SQL (SCOPE_FLOOR) },
  { UNITS_SQL (SCOPE_BUILDING), CONTRACTS_SQL (SCOPE_BUILDING), RENTS_SQL (SCOPE_BUILDING) },
};

/* Rent per m² per month in 0.0001 yuan of one clause, or -1; half up where it divides. */
static gint64
clause_rent_e4 (const char *basis,
                gint64      price_e4,
                gint64      amount,
                gint64      version_area_c)
{
  if (g_strcmp0 (basis, "per_m2_month") == 0 && price_e4 >= 0)
    return price_e4;
  if (g_strcmp0 (basis, "per_m2_day") == 0 && price_e4 >= 0 && price_e4 < G_MAXINT64 / 800)
    return (price_e4 * 365 * 2 + 12) / 24;
  /* fen per month over the contract's area: fen × 100 is 0.0001 yuan, area_c is 0.01 m². */
  if (g_strcmp0 (basis, "fixed_month") == 0 && amount >= 0 && version_area_c > 0
      && amount < G_MAXINT64 / 20000)
    return (amount * 20000 / version_area_c + 1) / 2;
  return -1;
}

static void
apply_contract (TenureUnitInfo *unit,
                TenureStmt     *stmt,
                TenureDate      as_of)
{
  TenureDate end = column_date (stmt, 4);
  TenureDate terminated = column_date (stmt, 5);

  unit->contract_id = tenure_stmt_column_int64 (stmt, 1);
  g_free (unit->contract_code);
  unit->contract_code = column_dup (stmt, 2);
  unit->contract_start = column_date (stmt, 3);
  if (terminated != TENURE_DATE_INVALID && terminated < end)
    end = terminated;
  unit->contract_end = end;
  unit->days_to_expiry = end - as_of;
  g_free (unit->tenant_name);
  unit->tenant_name = column_dup (stmt, 6);
  g_free (unit->tenant_short_name);
  unit->tenant_short_name = tenure_stmt_column_is_null (stmt, 7)
                            ? g_strdup (unit->tenant_name) : column_dup (stmt, 7);
}

static TenureUnitStatus
derive_status (const char *stored,
               gboolean    leased,
               gint32      days_to_expiry)
{
  if (g_strcmp0 (stored, "not_for_lease") == 0)
    return TENURE_UNIT_NOT_FOR_LEASE;
  if (g_strcmp0 (stored, "renovation") == 0)
    return TENURE_UNIT_RENOVATION;
  if (leased)
    return days_to_expiry <= TENURE_PORTFOLIO_EXPIRING_DAYS ? TENURE_UNIT_EXPIRING
                                                            : TENURE_UNIT_LEASED;
  if (g_strcmp0 (stored, "reserved") == 0)
    return TENURE_UNIT_RESERVED;
  return TENURE_UNIT_VACANT;
}

static TenureUnitInfo *
unit_from_row (TenureStmt *stmt)
{
  TenureUnitInfo *unit = g_object_new (TENURE_TYPE_UNIT_INFO, NULL);

  unit->id = tenure_stmt_column_int64 (stmt, 0);
  unit->code = column_dup (stmt, 1);
  unit->name = column_dup (stmt, 2);
  unit->leasable_area_c = tenure_stmt_column_int64 (stmt, 3);
  unit->gfa_area_c = tenure_stmt_column_int64 (stmt, 4);
  unit->asking_price_e4 = column_int64_or (stmt, 6, -1);
  unit->vacancy_reason = column_dup (stmt, 7);
  unit->points = tenure_portfolio_parse_polygon (tenure_stmt_column_text (stmt, 8),
                                                 &unit->n_points);
  unit->floor_id = tenure_stmt_column_int64 (stmt, 9);
  return unit;
}

/* The units of floor ID (BUILDING FALSE) or of every floor of building ID, ordered by code,
 * with status and rent on AS_OF, as a GPtrArray of TenureUnitInfo. */
static GPtrArray *
list_units_scoped (TenureDb    *db,
                   gboolean     building,
                   gint64       id,
                   TenureDate   as_of,
                   GError     **error)
{
  const char *const *sql = scoped_sql[building ? 1 : 0];
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) version_of = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                            g_free, g_free);
  g_autoptr(GHashTable) version_area = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                              g_free, g_free);
  g_autoptr(GHashTable) version_rent = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                              g_free, g_free);
  char as_of_text[TENURE_DATE_ISO_BUF_SIZE];
  GError *local_error = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (tenure_date_is_valid (as_of), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tenure_date_format_iso_buf (as_of, as_of_text);

  stmt = tenure_db_prepare (db, sql[0], error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, id);
  while (tenure_stmt_step (stmt, &local_error))
    {
      TenureUnitInfo *unit = unit_from_row (stmt);

      g_ptr_array_add (units, unit);
      g_ptr_array_add (stored, g_strdup (tenure_stmt_column_text (stmt, 5)));
      g_hash_table_insert (by_id, &unit->id, unit);
    }
  if (local_error != NULL)
    goto failed;
  g_clear_pointer (&stmt, tenure_stmt_free);

  /* The covering contract; of two (a gap in the data), the later start wins. */
  stmt = tenure_db_prepare (db, sql[1], error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, id);
  tenure_stmt_bind_text (stmt, 2, as_of_text);
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 unit_id = tenure_stmt_column_int64 (stmt, 0);
      TenureUnitInfo *unit = g_hash_table_lookup (by_id, &unit_id);
      gint64 version_id = tenure_stmt_column_int64 (stmt, 8);

      if (unit == NULL)
        continue;
      apply_contract (unit, stmt, as_of);
      g_hash_table_insert (version_of, g_memdup2 (&unit->id, sizeof (gint64)),
                           g_memdup2 (&version_id, sizeof (gint64)));
      g_hash_table_insert (version_area, g_memdup2 (&version_id, sizeof (gint64)),
                           g_memdup2 ((gint64[]) { column_int64_or (stmt, 11, 0) },
                                      sizeof (gint64)));
    }
  if (local_error != NULL)
    goto failed;
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = tenure_db_prepare (db, sql[2], error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, id);
  tenure_stmt_bind_text (stmt, 2, as_of_text);
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 version_id = tenure_stmt_column_int64 (stmt, 0);
      gint64 *area = g_hash_table_lookup (version_area, &version_id);
      gint64 *sum = g_hash_table_lookup (version_rent, &version_id);
      gint64 rent = clause_rent_e4 (tenure_stmt_column_text (stmt, 2),
                                    column_int64_or (stmt, 3, -1),
                                    column_int64_or (stmt, 4, -1), area ? *area : 0);

      if (rent < 0)
        continue;
      if (sum == NULL)
        g_hash_table_insert (version_rent, g_memdup2 (&version_id, sizeof (gint64)),
                             g_memdup2 (&rent, sizeof (gint64)));
      else if (*sum <= G_MAXINT64 - rent)
        *sum += rent;
    }
  if (local_error != NULL)
    goto failed;

  for (guint i = 0; i < units->len; i++)
    {
      TenureUnitInfo *unit = units->pdata[i];
      gint64 *version = g_hash_table_lookup (version_of, &unit->id);

      unit->status = derive_status (stored->pdata[i], unit->contract_id != 0,
                                    unit->days_to_expiry);
      if (version != NULL)
        {
          gint64 *rent = g_hash_table_lookup (version_rent, version);

          unit->rent_e4 = rent ? *rent : -1;
        }
    }

  return g_steal_pointer (&units);

failed:
  g_propagate_error (error, local_error);
  return NULL;
}

GListModel *
tenure_portfolio_list_floor_units (TenureDb    *db,
                                   gint64       floor_id,
                                   TenureDate   as_of,
                                   GError     **error)
{
  g_autoptr(GPtrArray) units = NULL;
  GListStore *store;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (tenure_date_is_valid (as_of), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  units = list_units_scoped (db, FALSE, floor_id, as_of, error);
  if (units == NULL)
    return NULL;
  store = g_list_store_new (TENURE_TYPE_UNIT_INFO);
  g_list_store_splice (store, 0, 0, units->pdata, units->len);
  return G_LIST_MODEL (store);
}

void
tenure_building_units_free (TenureBuildingUnits *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_floors; i++)
    g_clear_object (&self->floor_units[i]);
  g_free (self->floor_units);
  g_strfreev (self->floor_names);
  g_free (self->floor_ids);
  g_free (self);
}

TenureBuildingUnits *
tenure_portfolio_list_building_units (TenureDb      *db,
                                      gint64         building_id,
                                      TenureDate     as_of,
                                      GCancellable  *cancellable,
                                      GError       **error)
{
  g_autoptr(TenureBuildingUnits) building = g_new0 (TenureBuildingUnits, 1);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GHashTable) floor_of = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (tenure_date_is_valid (as_of), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = tenure_db_prepare (db, "SELECT id, name FROM floor WHERE building_id = $1"
                                " ORDER BY sort_order DESC, code DESC", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, building_id);
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      g_ptr_array_add (names, g_strdup (tenure_stmt_column_text (stmt, 1)));
    }
  g_ptr_array_add (names, NULL);
  building->floor_names = (char **) g_ptr_array_steal (names, NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);

  building->floor_units = g_new0 (GListModel *, ids->len);
  building->floor_ids = g_memdup2 (ids->data, ids->len * sizeof (gint64));
  building->n_floors = ids->len;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* One set of queries for the whole building, then each unit to its floor's list. */
  units = list_units_scoped (db, TRUE, building_id, as_of, error);
  if (units == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  floor_of = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint f = 0; f < ids->len; f++)
    {
      building->floor_units[f] = G_LIST_MODEL (g_list_store_new (TENURE_TYPE_UNIT_INFO));
      g_hash_table_insert (floor_of, &g_array_index (ids, gint64, f),
                           building->floor_units[f]);
    }
  for (guint i = 0; i < units->len; i++)
    {
      TenureUnitInfo *unit = units->pdata[i];
      GListStore *store = g_hash_table_lookup (floor_of, &unit->floor_id);

      if (store != NULL)
        g_list_store_append (store, unit);
    }
  return g_steal_pointer (&building);
}

/* ---- Unit detail ----------------------------------------------------------------------- */

static void
clause_info_free (gpointer data)
{
  TenureClauseInfo *clause = data;

  g_free (clause->charge_name);
  g_free (clause->charge_kind);
  g_free (clause->basis);
  g_free (clause);
}

static void
note_info_free (gpointer data)
{
  TenureUnitNoteInfo *note = data;

  g_free (note->author);
  g_free (note->body);
  g_free (note);
}

void
tenure_unit_detail_free (TenureUnitDetail *detail)
{
  if (detail == NULL)
    return;
  g_clear_object (&detail->unit);
  g_free (detail->floor_name);
  g_free (detail->building_name);
  g_free (detail->project_name);
  g_free (detail->contract_status);
  g_free (detail->last_bill_code);
  g_clear_pointer (&detail->clauses, g_ptr_array_unref);
  g_clear_pointer (&detail->notes, g_ptr_array_unref);
  g_free (detail);
}

static const char unit_detail_sql[] =
  "SELECT u.id, u.code, u.name, u.leasable_area_c, u.gfa_area_c, u.stored_status,"
  " u.asking_price_e4, u.vacancy_reason, u.polygon, u.floor_id, f.name, b.name, p.name"
  " FROM unit u JOIN floor f ON f.id = u.floor_id JOIN building b ON b.id = f.building_id"
  " JOIN project p ON p.id = b.project_id WHERE u.id = $1";

static const char unit_contract_sql[] =
  "SELECT u.id, c.id, c.code, c.start_date, c.end_date, c.terminated_on, t.name,"
  " t.short_name, v.id, cu.area_c, c.status"
  COVERING_JOINS COVERING_WHERE
  " AND u.id = $1 ORDER BY c.start_date DESC LIMIT 1";

static const char unit_clauses_sql[] =
  "SELECT ci.name, ci.kind, cl.basis, cl.price_e4, cl.amount, cl.cycle_months, cl.starts_on,"
  " cl.ends_on, cl.escalation IS NOT NULL, ci.is_builtin, ci.code"
  " FROM clause cl JOIN charge_item ci ON ci.id = cl.charge_item_id"
  " WHERE cl.contract_version_id = $1 ORDER BY cl.starts_on, ci.code, cl.id";

static const char unit_notes_sql[] =
  "SELECT noted_on, author, body FROM unit_note WHERE unit_id = $1"
  " ORDER BY noted_on DESC, id DESC";

/* The end of the unit's last lease before $2 (termination first when earlier). */
static const char unit_last_lease_sql[] =
  "SELECT max(CASE WHEN c.terminated_on IS NOT NULL AND c.terminated_on < c.end_date"
  "  THEN c.terminated_on ELSE c.end_date END)"
  " FROM contract_unit cu JOIN contract_version v ON v.id = cu.contract_version_id"
  " JOIN contract c ON c.id = v.contract_id"
  " WHERE cu.unit_id = $1 AND c.status IN ('active', 'expired', 'terminated')"
  " AND v.status IN ('approved', 'superseded') AND c.start_date < $2"
  " AND (CASE WHEN c.terminated_on IS NOT NULL AND c.terminated_on < c.end_date"
  "  THEN c.terminated_on ELSE c.end_date END) < $2";

/* The last bill of the unit's contract and its next planned receivable, into DETAIL. */
static gboolean
load_billing_status (TenureDb          *db,
                     TenureUnitDetail  *detail,
                     TenureDate         as_of,
                     GError           **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *date = tenure_date_format_iso (as_of);
  GError *local_error = NULL;

  stmt = tenure_db_prepare (db, "SELECT code, posting_date, due_date, total, currency FROM bill"
                                " WHERE contract_id = $1 AND kind = 'bill'"
                                " AND posting_date <= $2"
                                " ORDER BY posting_date DESC, id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, detail->unit->contract_id);
  tenure_stmt_bind_text (stmt, 2, date);
  if (tenure_stmt_step (stmt, &local_error))
    {
      const char *currency = tenure_stmt_column_text (stmt, 4);

      detail->last_bill_code = column_dup (stmt, 0);
      detail->last_bill_posted = column_date (stmt, 1);
      detail->last_bill_due = column_date (stmt, 2);
      detail->last_bill_total = tenure_stmt_column_int64 (stmt, 3);
      g_strlcpy (detail->bill_currency, currency ? currency : "", sizeof detail->bill_currency);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);

  /* The earliest planned line's due date, and what falls due that day. */
  stmt = tenure_db_prepare (db, "SELECT due_date, sum(amount), min(currency)"
                                " FROM receivable_line WHERE contract_id = $1"
                                " AND status = 'planned' AND bill_id IS NULL"
                                " GROUP BY due_date ORDER BY due_date LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, detail->unit->contract_id);
  if (tenure_stmt_step (stmt, &local_error))
    {
      const char *currency = tenure_stmt_column_text (stmt, 2);

      detail->next_due = column_date (stmt, 0);
      detail->next_amount = tenure_stmt_column_int64 (stmt, 1);
      if (detail->bill_currency[0] == '\0' && currency != NULL)
        g_strlcpy (detail->bill_currency, currency, sizeof detail->bill_currency);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

TenureUnitDetail *
tenure_portfolio_get_unit_detail (TenureDb    *db,
                                  gint64       unit_id,
                                  TenureDate   as_of,
                                  GError     **error)
{
  g_autoptr(TenureUnitDetail) detail = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  char as_of_text[TENURE_DATE_ISO_BUF_SIZE];
  g_autofree char *stored = NULL;
  gint64 version_id = 0;
  GError *local_error = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (tenure_date_is_valid (as_of), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tenure_date_format_iso_buf (as_of, as_of_text);
  detail = g_new0 (TenureUnitDetail, 1);
  detail->as_of = as_of;
  detail->days_vacant = -1;
  detail->clauses = g_ptr_array_new_with_free_func (clause_info_free);
  detail->notes = g_ptr_array_new_with_free_func (note_info_free);

  stmt = tenure_db_prepare (db, unit_detail_sql, error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, unit_id);
  if (!tenure_stmt_step (stmt, &local_error))
    {
      if (local_error == NULL)
        {
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, unit_id);
          g_set_error (&local_error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                       _("There is no unit with id %s"), id);
        }
      goto failed;
    }
  detail->unit = unit_from_row (stmt);
  stored = g_strdup (tenure_stmt_column_text (stmt, 5));
  detail->floor_name = column_dup (stmt, 10);
  detail->building_name = column_dup (stmt, 11);
  detail->project_name = column_dup (stmt, 12);
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = tenure_db_prepare (db, unit_contract_sql, error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, unit_id);
  tenure_stmt_bind_text (stmt, 2, as_of_text);
  if (tenure_stmt_step (stmt, &local_error))
    {
      apply_contract (detail->unit, stmt, as_of);
      version_id = tenure_stmt_column_int64 (stmt, 8);
      detail->contract_area_c = tenure_stmt_column_int64 (stmt, 9);
      detail->contract_status = column_dup (stmt, 10);
    }
  if (local_error != NULL)
    goto failed;
  g_clear_pointer (&stmt, tenure_stmt_free);
  detail->unit->status = derive_status (stored, detail->unit->contract_id != 0,
                                        detail->unit->days_to_expiry);

  if (version_id != 0)
    {
      gint64 version_area_c = 0;

      stmt = tenure_db_prepare (db, unit_clauses_sql, error);
      if (stmt == NULL)
        return NULL;
      tenure_stmt_bind_int64 (stmt, 1, version_id);
      while (tenure_stmt_step (stmt, &local_error))
        {
          TenureClauseInfo *clause = g_new0 (TenureClauseInfo, 1);
          const char *item_code = tenure_stmt_column_text (stmt, 10);
          const char *item_name = tenure_stmt_column_text (stmt, 0);

          clause->charge_name = tenure_stmt_column_int64 (stmt, 9) != 0
                                ? g_strdup (tenure_charge_item_label (item_code, item_name))
                                : column_dup (stmt, 0);
          clause->charge_kind = column_dup (stmt, 1);
          clause->basis = column_dup (stmt, 2);
          clause->price_e4 = column_int64_or (stmt, 3, -1);
          clause->amount = column_int64_or (stmt, 4, -1);
          clause->cycle_months = (int) tenure_stmt_column_int64 (stmt, 5);
          clause->starts_on = column_date (stmt, 6);
          clause->ends_on = column_date (stmt, 7);
          clause->escalates = tenure_stmt_column_int64 (stmt, 8) != 0;
          g_ptr_array_add (detail->clauses, clause);
        }
      if (local_error != NULL)
        goto failed;
      g_clear_pointer (&stmt, tenure_stmt_free);

      /* The same rent per m² the floor plan colours by. */
      stmt = tenure_db_prepare (db, "SELECT CAST(coalesce(sum(area_c), 0) AS bigint)"
                                    " FROM contract_unit WHERE contract_version_id = $1", error);
      if (stmt == NULL)
        return NULL;
      tenure_stmt_bind_int64 (stmt, 1, version_id);
      if (tenure_stmt_step (stmt, &local_error))
        version_area_c = tenure_stmt_column_int64 (stmt, 0);
      if (local_error != NULL)
        goto failed;
      g_clear_pointer (&stmt, tenure_stmt_free);
      for (guint i = 0; i < detail->clauses->len; i++)
        {
          TenureClauseInfo *clause = detail->clauses->pdata[i];
          gint64 rent;

          if (g_strcmp0 (clause->charge_kind, "rent") != 0
              || clause->starts_on > as_of || clause->ends_on < as_of)
            continue;
          rent = clause_rent_e4 (clause->basis, clause->price_e4, clause->amount,
                                 version_area_c);
          if (rent >= 0)
            detail->unit->rent_e4 = MAX (detail->unit->rent_e4, 0) + rent;
        }
    }
  else
    {
      stmt = tenure_db_prepare (db, unit_last_lease_sql, error);
      if (stmt == NULL)
        return NULL;
      tenure_stmt_bind_int64 (stmt, 1, unit_id);
      tenure_stmt_bind_text (stmt, 2, as_of_text);
      if (tenure_stmt_step (stmt, &local_error) && !tenure_stmt_column_is_null (stmt, 0))
        {
          TenureDate last = column_date (stmt, 0);

          if (last != TENURE_DATE_INVALID)
            detail->days_vacant = as_of - last;
        }
      if (local_error != NULL)
        goto failed;
      g_clear_pointer (&stmt, tenure_stmt_free);
    }

  stmt = tenure_db_prepare (db, unit_notes_sql, error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, unit_id);
  while (tenure_stmt_step (stmt, &local_error))
    {
      TenureUnitNoteInfo *note = g_new0 (TenureUnitNoteInfo, 1);

      note->noted_on = column_date (stmt, 0);
      note->author = column_dup (stmt, 1);
      note->body = column_dup (stmt, 2);
      g_ptr_array_add (detail->notes, note);
    }
  if (local_error != NULL)
    goto failed;

  if (detail->unit->contract_id != 0
      && !tenure_portfolio_get_contract_arrears (db, detail->unit->contract_id, as_of,
                                                 &detail->arrears, error))
    return NULL;
  if (detail->unit->contract_id != 0 && !load_billing_status (db, detail, as_of, error))
    return NULL;

  return g_steal_pointer (&detail);

failed:
  g_propagate_error (error, local_error);
  return NULL;
}

const char *
tenure_portfolio_basis_label (const char *basis)
{
  if (g_strcmp0 (basis, "per_m2_day") == 0)
    return _("per m² per day");
  if (g_strcmp0 (basis, "per_m2_month") == 0)
    return _("per m² per month");
  if (g_strcmp0 (basis, "fixed_month") == 0)
    return _("fixed per month");
  if (g_strcmp0 (basis, "fixed_period") == 0)
    return _("fixed per period");
  if (g_strcmp0 (basis, "one_off") == 0)
    return _("one-off");
  if (g_strcmp0 (basis, "turnover") == 0)
    return _("minimum or turnover share");
  return basis;
}

/* MAGNITUDE / 10^SCALE with thousands separators and at least MIN_DECIMALS decimals (trailing
 * zeros beyond them dropped). */
static char *
format_fixed (gint64 value,
              guint  scale,
              guint  min_decimals)
{
  guint64 magnitude = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;
  guint64 divisor = 1;
  g_autoptr(GString) out = g_string_new (value < 0 ? "-" : NULL);
  char digits[32];
  char fraction[32];
  gsize n_digits, n_fraction = scale;

  for (guint i = 0; i < scale; i++)
    divisor *= 10;
  g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, magnitude / divisor);
  g_snprintf (fraction, sizeof fraction, "%0*" G_GUINT64_FORMAT, (int) scale,
              magnitude % divisor);
  n_digits = strlen (digits);
  for (gsize i = 0; i < n_digits; i++)
    {
      if (i > 0 && (n_digits - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  while (n_fraction > min_decimals && fraction[n_fraction - 1] == '0')
    n_fraction--;
  if (n_fraction > 0)
    {
      g_string_append_c (out, '.');
      g_string_append_len (out, fraction, (gssize) n_fraction);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
tenure_portfolio_format_price_e4 (gint64 price_e4)
{
  return format_fixed (price_e4, 4, 2);
}

char *
tenure_portfolio_format_fen (gint64 fen)
{
  return format_fixed (fen, 2, 2);
}

/* ---- Search ---------------------------------------------------------------------------- */

G_DEFINE_FINAL_TYPE (TenureUnitHit, tenure_unit_hit, G_TYPE_OBJECT)

static void
tenure_unit_hit_finalize (GObject *object)
{
  TenureUnitHit *self = (TenureUnitHit *)object;

  g_free (self->unit_code);
  g_free (self->place);
  g_free (self->tenant_name);
  g_free (self->contract_code);

  G_OBJECT_CLASS (tenure_unit_hit_parent_class)->finalize (object);
}

static void
tenure_unit_hit_class_init (TenureUnitHitClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tenure_unit_hit_finalize;
}

static void
tenure_unit_hit_init (TenureUnitHit *self)
{
}

/* Units matched by their code, and units of contracts matched by number or tenant, each
 * side scanned once (a join of everything filtered afterwards is several times slower on the
 * large demo). */
static const char search_sql[] =
  "SELECT DISTINCT u.id, u.floor_id, u.code, p.name, b.name, f.name, t.name, c.code FROM ("
  "  SELECT u0.id AS unit_id, CAST(NULL AS bigint) AS contract_id FROM unit u0"
  "   WHERE lower(u0.code) LIKE $1 ESCAPE '!'"
  "  UNION ALL"
  "  SELECT cu.unit_id, c0.id FROM contract c0 JOIN tenant t0 ON t0.id = c0.tenant_id"
  "   JOIN contract_version v ON v.contract_id = c0.id"
  "   JOIN contract_unit cu ON cu.contract_version_id = v.id"
  "   WHERE lower(c0.code) LIKE $1 ESCAPE '!' OR lower(t0.name) LIKE $1 ESCAPE '!'"
  "   OR lower(t0.short_name) LIKE $1 ESCAPE '!') m"
  " JOIN unit u ON u.id = m.unit_id JOIN floor f ON f.id = u.floor_id"
  " JOIN building b ON b.id = f.building_id JOIN project p ON p.id = b.project_id"
  " LEFT JOIN contract c ON c.id = m.contract_id LEFT JOIN tenant t ON t.id = c.tenant_id"
  " WHERE u.retired_on IS NULL ORDER BY u.code, c.code LIMIT $2";

GListModel *
tenure_portfolio_search_units (TenureDb    *db,
                               const char  *text,
                               guint        limit,
                               GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (TENURE_TYPE_UNIT_HIT);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GString) pattern = g_string_new ("%");
  g_autofree char *folded = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The search text is literal: LIKE's wildcards in it are escaped. */
  folded = g_utf8_strdown (text, -1);
  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '!')
        g_string_append_c (pattern, '!');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');

  stmt = tenure_db_prepare (db, search_sql, error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, pattern->str);
  tenure_stmt_bind_int64 (stmt, 2, limit);
  while (tenure_stmt_step (stmt, &local_error))
    {
      g_autoptr(TenureUnitHit) hit = g_object_new (TENURE_TYPE_UNIT_HIT, NULL);
      guint n_hits;

      hit->unit_id = tenure_stmt_column_int64 (stmt, 0);
      hit->floor_id = tenure_stmt_column_int64 (stmt, 1);
      hit->unit_code = column_dup (stmt, 2);
      /* TRANSLATORS: project · building · floor */
      hit->place = g_strdup_printf (_("%s · %s · %s"), tenure_stmt_column_text (stmt, 3),
                                    tenure_stmt_column_text (stmt, 4),
                                    tenure_stmt_column_text (stmt, 5));
      hit->tenant_name = column_dup (stmt, 6);
      hit->contract_code = column_dup (stmt, 7);

      /* One hit per unit, not one per contract it ever had. */
      n_hits = g_list_model_get_n_items (G_LIST_MODEL (store));
      if (n_hits > 0)
        {
          g_autoptr(TenureUnitHit) last = g_list_model_get_item (G_LIST_MODEL (store),
                                                                 n_hits - 1);
          if (last->unit_id == hit->unit_id)
            continue;
        }
      g_list_store_append (store, hit);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* ---- Arrears ---------------------------------------------------------------------------- */

gboolean
tenure_portfolio_get_contract_arrears (TenureDb              *db,
                                       gint64                 contract_id,
                                       TenureDate             as_of,
                                       TenureContractArrears *out,
                                       GError               **error)
{
  TenureOpenItemFilter filter = { 0 };
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (contract_id > 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  filter.contract_id = contract_id;
  filter.as_of = as_of;
  items = tenure_open_items_load (db, &filter, error);
  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      const TenureOpenItem *item = items->pdata[i];

      if (item->open <= 0)
        continue;
      if (out->currency[0] == '\0')
        memcpy (out->currency, item->currency, sizeof out->currency);
      else if (strcmp (out->currency, item->currency) != 0)
        {
          /* Amounts of different currencies never add up: report the first one's. */
          out->mixed = TRUE;
          continue;
        }
      out->open_total += item->open;
      if (item->due_date < as_of)
        {
          out->overdue += item->open;
          out->n_overdue++;
          if (!tenure_date_is_valid (out->oldest_due) || item->due_date < out->oldest_due)
            out->oldest_due = item->due_date;
        }
    }
  return TRUE;
}

/* ---- Follow-up on vacant units -------------------------------------------------------- */

static gboolean
unit_exists (TenureDb  *db,
             gint64     unit_id,
             GError   **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, "SELECT count(*) FROM unit WHERE id = $1",
                                                  error);
  gint64 n = 0;

  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, unit_id);
  if (!tenure_stmt_step_int64 (stmt, &n, error))
    return FALSE;
  if (n == 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, unit_id);

      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("There is no unit with id %s"), id);
      return FALSE;
    }
  return TRUE;
}

gint64
tenure_portfolio_add_unit_note (TenureDb    *db,
                                gint64       unit_id,
                                TenureDate   noted_on,
                                const char  *body,
                                GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (body != NULL ? body : ""));
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *date = NULL;
  gint64 id = 0;

  g_return_val_if_fail (TENURE_IS_DB (db), 0);

  if (*text == '\0')
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("The note is empty: write what was done or agreed"));
      return 0;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_ENCODING,
                           _("The note is not valid UTF-8 text"));
      return 0;
    }
  if (!tenure_date_is_valid (noted_on))
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("The note has no valid date"));
      return 0;
    }
  if (!unit_exists (db, unit_id, error))
    return 0;
  date = tenure_date_format_iso (noted_on);
  stmt = tenure_db_prepare (db, "INSERT INTO unit_note (unit_id, noted_on, author, body)"
                                " VALUES ($1, $2, $3, $4) RETURNING id", error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_int64 (stmt, 1, unit_id);
  tenure_stmt_bind_text (stmt, 2, date);
  tenure_stmt_bind_text (stmt, 3, tenure_db_get_actor (db));
  tenure_stmt_bind_text (stmt, 4, text);
  if (!tenure_stmt_step_int64 (stmt, &id, error))
    return 0;
  return id;
}

gboolean
tenure_portfolio_set_vacancy_reason (TenureDb    *db,
                                     gint64       unit_id,
                                     const char  *reason,
                                     GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  g_autoptr(TenureStmt) stmt = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_ENCODING,
                           _("The vacancy reason is not valid UTF-8 text"));
      return FALSE;
    }
  if (!unit_exists (db, unit_id, error))
    return FALSE;
  stmt = tenure_db_prepare (db, "UPDATE unit SET vacancy_reason = $2 WHERE id = $1"
                                " AND vacancy_reason IS DISTINCT FROM $2", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, unit_id);
  if (*text == '\0')
    tenure_stmt_bind_null (stmt, 2);
  else
    tenure_stmt_bind_text (stmt, 2, text);
  return tenure_stmt_run (stmt, error);
}

void
tenure_field_change_free (TenureFieldChange *change)
{
  if (change == NULL)
    return;
  g_free (change->at);
  g_free (change->actor);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

/* The string member NAME of the JSON object TEXT; NULL when absent, null or not an object. */
static char *
json_member (const char *text,
             const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  JsonNode *member;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  member = json_object_get_member (object, name);
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
      || json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (member));
}

GPtrArray *
tenure_portfolio_list_vacancy_reason_history (TenureDb    *db,
                                              gint64       unit_id,
                                              GError     **error)
{
  g_autoptr(GPtrArray) changes =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_field_change_free);
  g_autoptr(TenureStmt) stmt = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);

  stmt = tenure_db_prepare (db, "SELECT at, actor, old_values, new_values FROM audit_log"
                                " WHERE table_name = 'unit' AND row_id = $1"
                                " AND action IN ('insert', 'update') ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, unit_id);
  while (tenure_stmt_step (stmt, &local_error))
    {
      g_autofree char *old_value = json_member (tenure_stmt_column_text (stmt, 2),
                                                "vacancy_reason");
      g_autofree char *new_value = json_member (tenure_stmt_column_text (stmt, 3),
                                                "vacancy_reason");
      TenureFieldChange *change;

      /* Only the writes that changed the reason (an insert that set one counts). */
      if (g_strcmp0 (old_value, new_value) == 0)
        continue;
      change = g_new0 (TenureFieldChange, 1);
      change->at = g_strdup (tenure_stmt_column_text (stmt, 0));
      change->actor = g_strdup (tenure_stmt_column_text (stmt, 1));
      change->old_value = g_steal_pointer (&old_value);
      change->new_value = g_steal_pointer (&new_value);
      g_ptr_array_add (changes, change);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&changes);
}
