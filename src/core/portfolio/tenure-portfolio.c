/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-portfolio"

#include "tenure-portfolio.h"

#include <string.h>

#include "base/tenure-i18n.h"

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
