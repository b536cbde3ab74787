/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-asset-ledger"

#include "tenure-asset-ledger.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "base/tenure-money.h"
#include "portfolio/tenure-portfolio.h"

/* Codes are identifiers shown everywhere; names and notes are free text with a sane bound. */
#define CODE_MAX_CHARS 64
#define NAME_MAX_CHARS 200
#define TEXT_MAX_CHARS 1000
/* 100 million m² in 0.01 m²: far above any real unit, far below overflow. */
#define AREA_MAX_C     G_GINT64_CONSTANT (10000000000)
/* 1 million yuan per m² in 0.0001 yuan. */
#define PRICE_MAX_E4   G_GINT64_CONSTANT (10000000000)

typedef enum
{
  F_CODE,
  F_NAME,
  F_TEXT,
  F_CHOICE,
  F_DATE,
  F_INT,
  F_AREA,
  F_PRICE,
} FieldType;

typedef struct
{
  const char         *key;
  const char         *column;
  FieldType           type;
  gboolean            required;
  const char * const *choices;
  const char         *default_text;  /* used when left empty on create */
  gint64              min;           /* F_INT bounds */
  gint64              max;
} FieldSpec;

static const char * const formats[] = { "mall", "office", "industrial_park", "apartment", NULL };
static const char * const vat_methods[] = { "general", "simplified", NULL };
static const char * const statuses[] = { "available", "reserved", "not_for_lease",
                                         "renovation", NULL };
static const char * const bases[] = { "per_m2_month", "per_m2_day", NULL };

static const FieldSpec project_fields[] = {
  { "code", "code", F_CODE, TRUE },
  { "name", "name", F_NAME, TRUE },
  { "format", "format", F_CHOICE, TRUE, formats },
  { "city", "city", F_TEXT, FALSE },
  { "address", "address", F_TEXT, FALSE },
  { "acquired_on", "acquired_on", F_DATE, FALSE },
  { "vat_method", "vat_method", F_CHOICE, FALSE, vat_methods, "general" },
  { NULL }
};

static const FieldSpec building_fields[] = {
  { "code", "code", F_CODE, TRUE },
  { "name", "name", F_NAME, TRUE },
  { "sort_order", "sort_order", F_INT, FALSE, NULL, NULL, -9999, 9999 },
  { NULL }
};

static const FieldSpec floor_fields[] = {
  { "code", "code", F_CODE, TRUE },
  { "name", "name", F_NAME, TRUE },
  { "sort_order", "sort_order", F_INT, FALSE, NULL, NULL, -9999, 9999 },
  { "plan_width", "plan_width", F_INT, FALSE, NULL, "1000", 1, 1000000 },
  { "plan_height", "plan_height", F_INT, FALSE, NULL, "600", 1, 1000000 },
  { NULL }
};

static const FieldSpec unit_fields[] = {
  { "code", "code", F_CODE, TRUE },
  { "name", "name", F_NAME, TRUE },
  { "format", "format", F_CHOICE, FALSE, formats },
  { "gfa_area", "gfa_area_c", F_AREA, TRUE },
  { "leasable_area", "leasable_area_c", F_AREA, TRUE },
  { "stored_status", "stored_status", F_CHOICE, FALSE, statuses, "available" },
  { "asking_price", "asking_price_e4", F_PRICE, FALSE },
  { "asking_price_basis", "asking_price_basis", F_CHOICE, FALSE, bases, "per_m2_month" },
  { "vacancy_reason", "vacancy_reason", F_TEXT, FALSE },
  { NULL }
};

typedef struct
{
  const char      *table;
  const char      *parent_column;
  const char      *parent_table;
  const FieldSpec *fields;
} KindInfo;

static const KindInfo kinds[TENURE_LEDGER_N_KINDS] = {
  { "project", "legal_entity_id", "legal_entity", project_fields },
  { "building", "project_id", "project", building_fields },
  { "floor", "building_id", "building", floor_fields },
  { "unit", "floor_id", "floor", unit_fields },
};

static const char * const project_keys[] = { "code", "name", "format", "city", "address",
                                             "acquired_on", "vat_method", NULL };
static const char * const building_keys[] = { "code", "name", "sort_order", NULL };
static const char * const floor_keys[] = { "code", "name", "sort_order", "plan_width",
                                           "plan_height", NULL };
static const char * const unit_keys[] = { "code", "name", "format", "gfa_area", "leasable_area",
                                          "stored_status", "asking_price", "asking_price_basis",
                                          "vacancy_reason", NULL };

const char *
tenure_ledger_kind_table (TenureLedgerKind kind)
{
  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, NULL);
  return kinds[kind].table;
}

gboolean
tenure_ledger_kind_from_table (const char       *table,
                               TenureLedgerKind *out_kind)
{
  for (guint i = 0; i < TENURE_LEDGER_N_KINDS; i++)
    if (g_strcmp0 (table, kinds[i].table) == 0)
      {
        *out_kind = (TenureLedgerKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
tenure_ledger_kind_label (TenureLedgerKind kind)
{
  switch (kind)
    {
    case TENURE_LEDGER_PROJECT:
      return _("Project");
    case TENURE_LEDGER_BUILDING:
      return _("Building");
    case TENURE_LEDGER_FLOOR:
      return _("Floor");
    case TENURE_LEDGER_UNIT:
      return _("Unit");
    case TENURE_LEDGER_N_KINDS:
    default:
      break;
    }
  g_return_val_if_reached ("");
}

const char * const *
tenure_asset_ledger_fields (TenureLedgerKind kind)
{
  static const char * const *keys[TENURE_LEDGER_N_KINDS] = {
    project_keys, building_keys, floor_keys, unit_keys
  };

  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, NULL);
  return keys[kind];
}

const char *
tenure_asset_ledger_field_label (const char *field)
{
  static const struct { const char *name; const char *label; } labels[] = {
    { "code", N_("Code") },
    { "name", N_("Name") },
    { "format", N_("Format") },
    { "city", N_("City") },
    { "address", N_("Address") },
    { "acquired_on", N_("Acquired on") },
    { "vat_method", N_("VAT method") },
    { "allocation_order", N_("Allocation order") },
    { "legal_entity_id", N_("Legal entity") },
    { "project_id", N_("Project") },
    { "building_id", N_("Building") },
    { "floor_id", N_("Floor") },
    { "sort_order", N_("Sort order") },
    { "plan_width", N_("Plan width") },
    { "plan_height", N_("Plan height") },
    { "gfa_area", N_("GFA (m²)") },
    { "gfa_area_c", N_("GFA (m²)") },
    { "leasable_area", N_("Leasable area (m²)") },
    { "leasable_area_c", N_("Leasable area (m²)") },
    { "stored_status", N_("Status") },
    { "asking_price", N_("Asking rent (yuan per m²)") },
    { "asking_price_e4", N_("Asking rent (yuan per m²)") },
    { "asking_price_basis", N_("Asking rent basis") },
    { "vacancy_reason", N_("Vacancy reason") },
    { "polygon", N_("Floor-plan shape") },
    { "retired_on", N_("Retired on") },
    { "created_at", N_("Created at") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (field, labels[i].name) == 0)
      return _(labels[i].label);
  return field;
}

static const FieldSpec *
find_spec (TenureLedgerKind  kind,
           const char       *key)
{
  for (const FieldSpec *f = kinds[kind].fields; f->key != NULL; f++)
    if (strcmp (f->key, key) == 0)
      return f;
  return NULL;
}

gboolean
tenure_asset_ledger_field_required (TenureLedgerKind  kind,
                                    const char       *field)
{
  const FieldSpec *spec;

  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, FALSE);
  spec = find_spec (kind, field);
  return spec != NULL && spec->required;
}

const char * const *
tenure_asset_ledger_field_choices (TenureLedgerKind  kind,
                                   const char       *field)
{
  const FieldSpec *spec;

  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, NULL);
  spec = find_spec (kind, field);
  return spec != NULL ? spec->choices : NULL;
}

const char *
tenure_asset_ledger_field_default (TenureLedgerKind  kind,
                                   const char       *field)
{
  const FieldSpec *spec;

  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, NULL);
  spec = find_spec (kind, field);
  return spec != NULL ? spec->default_text : NULL;
}

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static void
set_not_found (GError           **error,
               TenureLedgerKind   kind,
               gint64             id)
{
  g_autofree char *text = id_text (id);

  switch (kind)
    {
    case TENURE_LEDGER_PROJECT:
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("There is no project with id %s"), text);
      break;
    case TENURE_LEDGER_BUILDING:
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("There is no building with id %s"), text);
      break;
    case TENURE_LEDGER_FLOOR:
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("There is no floor with id %s"), text);
      break;
    case TENURE_LEDGER_UNIT:
    case TENURE_LEDGER_N_KINDS:
    default:
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("There is no unit with id %s"), text);
      break;
    }
}

/* ---- Loading ------------------------------------------------------------------------------ */

static char *
select_columns (TenureLedgerKind kind)
{
  GString *sql = g_string_new ("SELECT ");

  g_string_append (sql, kinds[kind].parent_column);
  for (const FieldSpec *f = kinds[kind].fields; f->key != NULL; f++)
    g_string_append_printf (sql, ", %s", f->column);
  if (kind == TENURE_LEDGER_UNIT)
    g_string_append (sql, ", retired_on");
  g_string_append_printf (sql, " FROM %s WHERE id = $1", kinds[kind].table);
  return g_string_free (sql, FALSE);
}

/* The row as text (see load ()), with its parent id in *OUT_PARENT_ID. */
static GHashTable *
load_row (TenureDb          *db,
          TenureLedgerKind   kind,
          gint64             id,
          gint64            *out_parent_id,
          GError           **error)
{
  g_autofree char *sql = select_columns (kind);
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, error);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GError *local_error = NULL;
  guint col = 1;

  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, id);
  if (!tenure_stmt_step (stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        set_not_found (error, kind, id);
      return NULL;
    }
  if (out_parent_id != NULL)
    *out_parent_id = tenure_stmt_column_int64 (stmt, 0);
  for (const FieldSpec *f = kinds[kind].fields; f->key != NULL; f++, col++)
    {
      char *text;

      if (tenure_stmt_column_is_null (stmt, col))
        text = g_strdup ("");
      else if (f->type == F_AREA)
        text = tenure_decimal_format (tenure_stmt_column_int64 (stmt, col), 2, FALSE);
      else if (f->type == F_PRICE)
        text = tenure_decimal_format (tenure_stmt_column_int64 (stmt, col), 4, FALSE);
      else if (f->type == F_INT)
        text = id_text (tenure_stmt_column_int64 (stmt, col));
      else
        text = g_strdup (tenure_stmt_column_text (stmt, col));
      g_hash_table_insert (values, (gpointer) f->key, text);
    }
  if (kind == TENURE_LEDGER_UNIT)
    g_hash_table_insert (values, (gpointer) "retired_on",
                         g_strdup (tenure_stmt_column_is_null (stmt, col)
                                   ? "" : tenure_stmt_column_text (stmt, col)));
  /* Drain so the statement ends cleanly on PostgreSQL. */
  while (tenure_stmt_step (stmt, &local_error))
    ;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&values);
}

GHashTable *
tenure_asset_ledger_load (TenureDb          *db,
                          TenureLedgerKind   kind,
                          gint64             id,
                          GError           **error)
{
  GHashTable *row;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, NULL);

  row = load_row (db, kind, id, NULL, error);
  if (row == NULL)
    return NULL;
  /* Callers own the table: give it owned keys so it outlives nothing static by surprise. */
  {
    GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, row);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
    g_hash_table_unref (row);
    return copy;
  }
}

gint64
tenure_asset_ledger_find (TenureDb          *db,
                          TenureLedgerKind   kind,
                          gboolean           for_parent,
                          const char        *code,
                          GError           **error)
{
  const char *table;
  g_autofree char *sql = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  GError *local_error = NULL;
  gint64 id = 0;

  g_return_val_if_fail (TENURE_IS_DB (db), 0);
  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, 0);

  table = for_parent ? kinds[kind].parent_table : kinds[kind].table;
  sql = g_strdup_printf ("SELECT id FROM %s WHERE code = $1", table);
  stmt = tenure_db_prepare (db, sql, error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_text (stmt, 1, code);
  while (tenure_stmt_step (stmt, &local_error))
    id = tenure_stmt_column_int64 (stmt, 0);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return 0;
    }
  if (id == 0)
    {
      if (strcmp (table, "legal_entity") == 0)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("There is no legal entity with the code “%s”"), code);
      else if (strcmp (table, "project") == 0)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("There is no project with the code “%s”"), code);
      else if (strcmp (table, "building") == 0)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("There is no building with the code “%s”"), code);
      else if (strcmp (table, "floor") == 0)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("There is no floor with the code “%s”"), code);
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("There is no unit with the code “%s”"), code);
    }
  return id;
}

/* ---- Validation --------------------------------------------------------------------------- */

typedef struct
{
  gboolean  is_null;
  gint64    i;
  char     *s;
} Value;

typedef struct
{
  TenureLedgerKind  kind;
  gint64            id;
  gint64            parent_id;
  GHashTable       *current;   /* update: the row as it is */
  Value             values[16];
  guint             n_values;
} Record;

static void
record_clear (Record *rec)
{
  for (guint i = 0; i < rec->n_values; i++)
    g_free (rec->values[i].s);
  g_clear_pointer (&rec->current, g_hash_table_unref);
}

static Value *
record_value (Record     *rec,
              const char *key)
{
  guint i = 0;

  for (const FieldSpec *f = kinds[rec->kind].fields; f->key != NULL; f++, i++)
    if (strcmp (f->key, key) == 0)
      return &rec->values[i];
  g_return_val_if_reached (NULL);
}

static gboolean
field_error (GError     **error,
             char       **out_field,
             const char  *field,
             const char  *format,
             ...) G_GNUC_PRINTF (4, 5);

/* Sets ERROR (TENURE_ERROR_INVALID) and *OUT_FIELD; always FALSE. */
static gboolean
field_error (GError     **error,
             char       **out_field,
             const char  *field,
             const char  *format,
             ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (TENURE_ERROR, TENURE_ERROR_INVALID, format, args);
  va_end (args);
  if (out_field != NULL)
    {
      g_free (*out_field);
      *out_field = g_strdup (field);
    }
  return FALSE;
}

static gboolean
has_space_or_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        return TRUE;
    }
  return FALSE;
}

static gboolean
parse_field (const FieldSpec  *f,
             const char       *raw,
             Value            *out,
             char            **out_field,
             GError          **error)
{
  g_autofree char *text = g_strstrip (g_strdup (raw != NULL ? raw : ""));
  const char *label = tenure_asset_ledger_field_label (f->key);
  g_autoptr(GError) local_error = NULL;

  out->is_null = TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    return field_error (error, out_field, f->key,
                        _("The field “%s” is not valid UTF-8 text"), label);
  if (*text == '\0' && f->default_text != NULL)
    {
      g_free (text);
      text = g_strdup (f->default_text);
    }
  if (*text == '\0')
    {
      if (f->required)
        return field_error (error, out_field, f->key, _("The field “%s” is required"), label);
      return TRUE;
    }

  switch (f->type)
    {
    case F_CODE:
      if (has_space_or_control (text))
        return field_error (error, out_field, f->key,
                            _("The code “%s” contains spaces or control characters"), text);
      if (g_utf8_strlen (text, -1) > CODE_MAX_CHARS)
        return field_error (error, out_field, f->key,
                            _("The code “%s” is longer than %d characters"), text,
                            CODE_MAX_CHARS);
      break;
    case F_NAME:
    case F_TEXT:
      {
        int max = f->type == F_NAME ? NAME_MAX_CHARS : TEXT_MAX_CHARS;

        if (g_utf8_strlen (text, -1) > max)
          return field_error (error, out_field, f->key,
                              _("The field “%s” is longer than %d characters"), label, max);
        for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
          if (g_unichar_iscntrl (g_utf8_get_char (p)) && *p != '\n')
            return field_error (error, out_field, f->key,
                                _("The field “%s” contains control characters"), label);
      }
      break;
    case F_CHOICE:
      if (!g_strv_contains (f->choices, text))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) f->choices);

          return field_error (error, out_field, f->key,
                              _("The field “%s” has the unknown value “%s” (expected one of: %s)"),
                              label, text, list);
        }
      break;
    case F_DATE:
      {
        TenureDate date;
        g_autofree char *iso = NULL;

        if (!tenure_date_parse_iso (text, &date, NULL))
          return field_error (error, out_field, f->key,
                              _("The field “%s” is not a valid date like 2026-01-31: “%s”"),
                              label, text);
        iso = tenure_date_format_iso (date);
        g_free (text);
        text = g_steal_pointer (&iso);
      }
      break;
    case F_INT:
      {
        gint64 n = 0;

        if (!g_ascii_string_to_signed (text, 10, f->min, f->max, &n, NULL))
          {
            g_autofree char *lo = id_text (f->min);
            g_autofree char *hi = id_text (f->max);

            return field_error (error, out_field, f->key,
                                _("The field “%s” must be a whole number from %s to %s, "
                                  "not “%s”"), label, lo, hi, text);
          }
        out->i = n;
      }
      break;
    case F_AREA:
    case F_PRICE:
      {
        guint scale = f->type == F_AREA ? 2 : 4;
        gint64 n = 0;

        if (!tenure_decimal_parse (text, scale, &n, &local_error))
          return field_error (error, out_field, f->key, _("The field “%s”: %s"), label,
                              local_error->message);
        if (f->type == F_AREA && n <= 0)
          return field_error (error, out_field, f->key,
                              _("The field “%s” must be greater than zero, not “%s”"),
                              label, text);
        if (f->type == F_PRICE && n < 0)
          return field_error (error, out_field, f->key,
                              _("The field “%s” must not be negative, not “%s”"), label, text);
        if (n > (f->type == F_AREA ? AREA_MAX_C : PRICE_MAX_E4))
          return field_error (error, out_field, f->key,
                              _("The field “%s” is too large: “%s”"), label, text);
        out->i = n;
      }
      break;
    default:
      g_assert_not_reached ();
    }
  out->is_null = FALSE;
  out->s = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
count_rows (TenureDb    *db,
            const char  *sql,
            gint64       id,
            gint64      *out_n,
            GError     **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, id);
  return tenure_stmt_step_int64 (stmt, out_n, error);
}

/* Codes are unique across the whole asset tree (domain.md §4), not only within one table. */
static gboolean
check_code_unique (TenureDb    *db,
                   Record      *rec,
                   const char  *code,
                   char       **out_field,
                   GError     **error)
{
  static const char sql[] =
    "SELECT 'legal_entity', id, name, '' FROM legal_entity WHERE code = $1"
    " UNION ALL SELECT 'project', id, name, '' FROM project WHERE code = $1"
    " UNION ALL SELECT 'building', b.id, b.name, p.name FROM building b"
    "   JOIN project p ON p.id = b.project_id WHERE b.code = $1"
    " UNION ALL SELECT 'floor', f.id, f.name, p.name || ' · ' || b.name FROM floor f"
    "   JOIN building b ON b.id = f.building_id JOIN project p ON p.id = b.project_id"
    "   WHERE f.code = $1"
    " UNION ALL SELECT 'unit', u.id, u.name, p.name || ' · ' || b.name || ' · ' || f.name"
    "   FROM unit u JOIN floor f ON f.id = u.floor_id JOIN building b ON b.id = f.building_id"
    "   JOIN project p ON p.id = b.project_id WHERE u.code = $1";
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, error);
  GError *local_error = NULL;
  g_autofree char *table = NULL, *name = NULL, *place = NULL;

  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, code);
  while (tenure_stmt_step (stmt, &local_error))
    {
      if (table == NULL
          && !(strcmp (tenure_stmt_column_text (stmt, 0), kinds[rec->kind].table) == 0
               && tenure_stmt_column_int64 (stmt, 1) == rec->id))
        {
          table = g_strdup (tenure_stmt_column_text (stmt, 0));
          name = g_strdup (tenure_stmt_column_text (stmt, 2));
          place = g_strdup (tenure_stmt_column_text (stmt, 3));
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (table == NULL)
    return TRUE;
  if (strcmp (table, "legal_entity") == 0)
    return field_error (error, out_field, "code",
                        _("The code “%s” is already used by the legal entity “%s”"), code, name);
  if (strcmp (table, "project") == 0)
    return field_error (error, out_field, "code",
                        _("The code “%s” is already used by the project “%s”"), code, name);
  if (strcmp (table, "building") == 0)
    return field_error (error, out_field, "code",
                        _("The code “%s” is already used by the building “%s” (%s)"),
                        code, name, place);
  if (strcmp (table, "floor") == 0)
    return field_error (error, out_field, "code",
                        _("The code “%s” is already used by the floor “%s” (%s)"),
                        code, name, place);
  return field_error (error, out_field, "code",
                      _("The code “%s” is already used by the unit “%s” (%s)"),
                      code, name, place);
}

/* The code and end of an active contract of unit UNIT_ID that runs on or after ON (as
 * *OUT_CODE, *OUT_END), or NULL codes when there is none. */
static gboolean
find_active_contract (TenureDb    *db,
                      gint64       unit_id,
                      TenureDate   on,
                      char       **out_code,
                      char       **out_end,
                      GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *date = tenure_date_format_iso (on);
  GError *local_error = NULL;

  *out_code = NULL;
  *out_end = NULL;
  stmt = tenure_db_prepare (db, "SELECT c.code, COALESCE (c.terminated_on, c.end_date)"
                                " FROM contract c"
                                " JOIN contract_version v ON v.contract_id = c.id"
                                " JOIN contract_unit cu ON cu.contract_version_id = v.id"
                                " WHERE cu.unit_id = $1 AND c.status = 'active'"
                                " AND COALESCE (c.terminated_on, c.end_date) >= $2"
                                " ORDER BY c.code", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, unit_id);
  tenure_stmt_bind_text (stmt, 2, date);
  while (tenure_stmt_step (stmt, &local_error))
    if (*out_code == NULL)
      {
        *out_code = g_strdup (tenure_stmt_column_text (stmt, 0));
        *out_end = g_strdup (tenure_stmt_column_text (stmt, 1));
      }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      g_clear_pointer (out_code, g_free);
      g_clear_pointer (out_end, g_free);
      return FALSE;
    }
  return TRUE;
}

/* Fills REC from VALUES (over the current row on update) and runs every check. */
static gboolean
prepare_record (TenureDb          *db,
                Record            *rec,
                TenureLedgerKind   kind,
                gint64             id,
                gint64             parent_id,
                GHashTable        *values,
                char             **out_field,
                GError           **error)
{
  const KindInfo *info = &kinds[kind];
  guint i = 0;

  memset (rec, 0, sizeof *rec);
  rec->kind = kind;
  rec->id = id;
  rec->parent_id = parent_id;

  if (id != 0)
    {
      const char *retired;

      rec->current = load_row (db, kind, id, &rec->parent_id, error);
      if (rec->current == NULL)
        return FALSE;
      retired = g_hash_table_lookup (rec->current, "retired_on");
      if (retired != NULL && *retired != '\0')
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("The unit “%s” was retired on %s and can no longer be edited"),
                       (const char *) g_hash_table_lookup (rec->current, "code"), retired);
          return FALSE;
        }
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE id = $1",
                                              info->parent_table);
      gint64 n = 0;

      if (!count_rows (db, sql, parent_id, &n, error))
        return FALSE;
      if (n == 0)
        {
          g_autofree char *text = id_text (parent_id);

          if (kind == TENURE_LEDGER_PROJECT)
            g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                         _("There is no legal entity with id %s"), text);
          else
            set_not_found (error, kind - 1, parent_id);
          return FALSE;
        }
    }

  for (const FieldSpec *f = info->fields; f->key != NULL; f++, i++)
    {
      const char *raw = NULL;

      if (values != NULL && g_hash_table_contains (values, f->key))
        raw = g_hash_table_lookup (values, f->key);
      else if (rec->current != NULL)
        raw = g_hash_table_lookup (rec->current, f->key);
      rec->n_values = i + 1;
      if (!parse_field (f, raw, &rec->values[i], out_field, error))
        return FALSE;
    }

  /* Defaults that depend on the parent. */
  if (kind == TENURE_LEDGER_UNIT && record_value (rec, "format")->is_null)
    {
      Value *v = record_value (rec, "format");
      g_autoptr(TenureStmt) stmt =
        tenure_db_prepare (db, "SELECT p.format FROM floor f"
                               " JOIN building b ON b.id = f.building_id"
                               " JOIN project p ON p.id = b.project_id WHERE f.id = $1", error);
      GError *local_error = NULL;

      if (stmt == NULL)
        return FALSE;
      tenure_stmt_bind_int64 (stmt, 1, rec->parent_id);
      while (tenure_stmt_step (stmt, &local_error))
        if (v->s == NULL)
          v->s = g_strdup (tenure_stmt_column_text (stmt, 0));
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      v->is_null = v->s == NULL;
    }
  if ((kind == TENURE_LEDGER_BUILDING || kind == TENURE_LEDGER_FLOOR)
      && record_value (rec, "sort_order")->is_null)
    {
      Value *v = record_value (rec, "sort_order");
      g_autofree char *sql =
        g_strdup_printf ("SELECT COALESCE (max(sort_order), 0) + 1 FROM %s WHERE %s = $1",
                         info->table, info->parent_column);

      if (!count_rows (db, sql, rec->parent_id, &v->i, error))
        return FALSE;
      v->is_null = FALSE;
      v->s = id_text (v->i);
    }

  if (!check_code_unique (db, rec, record_value (rec, "code")->s, out_field, error))
    return FALSE;

  if (kind == TENURE_LEDGER_FLOOR)
    {
      /* The sort order places the floor in the stacking plan: two floors of a building
       * cannot share one. */
      Value *v = record_value (rec, "sort_order");
      g_autoptr(TenureStmt) stmt =
        tenure_db_prepare (db, "SELECT name FROM floor WHERE building_id = $1"
                               " AND sort_order = $2 AND id <> $3 ORDER BY id", error);
      GError *local_error = NULL;
      g_autofree char *other = NULL;

      if (stmt == NULL)
        return FALSE;
      tenure_stmt_bind_int64 (stmt, 1, rec->parent_id);
      tenure_stmt_bind_int64 (stmt, 2, v->i);
      tenure_stmt_bind_int64 (stmt, 3, rec->id);
      while (tenure_stmt_step (stmt, &local_error))
        if (other == NULL)
          other = g_strdup (tenure_stmt_column_text (stmt, 0));
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (other != NULL)
        return field_error (error, out_field, "sort_order",
                            _("The sort order %s is already used by the floor “%s” of this "
                              "building"), v->s, other);
    }

  if (kind == TENURE_LEDGER_UNIT)
    {
      Value *gfa = record_value (rec, "gfa_area");
      Value *leasable = record_value (rec, "leasable_area");
      Value *status = record_value (rec, "stored_status");

      if (leasable->i > gfa->i)
        {
          g_autofree char *l = tenure_portfolio_format_area_c (leasable->i);
          g_autofree char *g = tenure_portfolio_format_area_c (gfa->i);

          return field_error (error, out_field, "leasable_area",
                              _("The leasable area (%s m²) is larger than the GFA (%s m²)"),
                              l, g);
        }
      if (rec->id != 0 && g_strcmp0 (status->s, "not_for_lease") == 0
          && g_strcmp0 (g_hash_table_lookup (rec->current, "stored_status"),
                        "not_for_lease") != 0)
        {
          g_autofree char *contract = NULL, *end = NULL;

          if (!find_active_contract (db, rec->id, tenure_portfolio_get_as_of (db),
                                     &contract, &end, error))
            return FALSE;
          if (contract != NULL)
            return field_error (error, out_field, "stored_status",
                                _("The unit “%s” is let under the active contract %s (until "
                                  "%s): it cannot be set not for lease"),
                                record_value (rec, "code")->s, contract, end);
        }
    }
  return TRUE;
}

gboolean
tenure_asset_ledger_validate (TenureDb          *db,
                              TenureLedgerKind   kind,
                              gint64             id,
                              gint64             parent_id,
                              GHashTable        *values,
                              char             **out_field,
                              GError           **error)
{
  Record rec;
  gboolean ok;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, FALSE);

  if (out_field != NULL)
    *out_field = NULL;
  ok = prepare_record (db, &rec, kind, id, parent_id, values, out_field, error);
  record_clear (&rec);
  return ok;
}

/* ---- Writing ------------------------------------------------------------------------------ */

static void
bind_value (TenureStmt      *stmt,
            guint            param,
            const FieldSpec *f,
            const Value     *v)
{
  if (v->is_null)
    tenure_stmt_bind_null (stmt, param);
  else if (f->type == F_INT || f->type == F_AREA || f->type == F_PRICE)
    tenure_stmt_bind_int64 (stmt, param, v->i);
  else
    tenure_stmt_bind_text (stmt, param, v->s);
}

static gint64
write_record (TenureDb  *db,
              Record    *rec,
              GError   **error)
{
  const KindInfo *info = &kinds[rec->kind];
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(TenureStmt) stmt = NULL;
  guint i = 0;
  gint64 id = rec->id;

  if (rec->id == 0)
    {
      g_autoptr(GString) params = g_string_new ("$1");

      g_string_printf (sql, "INSERT INTO %s (%s", info->table, info->parent_column);
      for (const FieldSpec *f = info->fields; f->key != NULL; f++, i++)
        {
          g_string_append_printf (sql, ", %s", f->column);
          g_string_append_printf (params, ", $%u", i + 2);
        }
      g_string_append_printf (sql, ") VALUES (%s) RETURNING id", params->str);
    }
  else
    {
      g_autoptr(GString) differs = g_string_new (NULL);

      g_string_printf (sql, "UPDATE %s SET ", info->table);
      for (const FieldSpec *f = info->fields; f->key != NULL; f++, i++)
        {
          g_string_append_printf (sql, "%s%s = $%u", i > 0 ? ", " : "", f->column, i + 2);
          g_string_append_printf (differs, "%s%s IS DISTINCT FROM $%u", i > 0 ? " OR " : "",
                                  f->column, i + 2);
        }
      /* A save that changes nothing writes nothing (and leaves no audit entry). */
      g_string_append_printf (sql, " WHERE id = $1 AND (%s)", differs->str);
    }

  stmt = tenure_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_int64 (stmt, 1, rec->id == 0 ? rec->parent_id : rec->id);
  i = 0;
  for (const FieldSpec *f = info->fields; f->key != NULL; f++, i++)
    bind_value (stmt, i + 2, f, &rec->values[i]);
  if (rec->id == 0)
    {
      if (!tenure_stmt_step_int64 (stmt, &id, error))
        return 0;
    }
  else if (!tenure_stmt_run (stmt, error))
    return 0;
  return id;
}

static gint64
save (TenureDb          *db,
      TenureLedgerKind   kind,
      gint64             id,
      gint64             parent_id,
      GHashTable        *values,
      char             **out_field,
      GError           **error)
{
  Record rec;
  gint64 saved = 0;

  if (out_field != NULL)
    *out_field = NULL;
  /* The checks read inside the write transaction, so a code cannot be taken in between. */
  if (!tenure_db_begin (db, error))
    return 0;
  if (prepare_record (db, &rec, kind, id, parent_id, values, out_field, error))
    saved = write_record (db, &rec, error);
  record_clear (&rec);
  if (saved == 0 || !tenure_db_commit (db, error))
    {
      tenure_db_rollback (db);
      return 0;
    }
  return saved;
}

gint64
tenure_asset_ledger_create (TenureDb          *db,
                            TenureLedgerKind   kind,
                            gint64             parent_id,
                            GHashTable        *values,
                            char             **out_field,
                            GError           **error)
{
  g_return_val_if_fail (TENURE_IS_DB (db), 0);
  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, 0);

  return save (db, kind, 0, parent_id, values, out_field, error);
}

gboolean
tenure_asset_ledger_update (TenureDb          *db,
                            TenureLedgerKind   kind,
                            gint64             id,
                            GHashTable        *values,
                            char             **out_field,
                            GError           **error)
{
  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, FALSE);
  g_return_val_if_fail (id > 0, FALSE);

  return save (db, kind, id, 0, values, out_field, error) != 0;
}

/* ---- Retiring ----------------------------------------------------------------------------- */

gboolean
tenure_asset_ledger_retire (TenureDb          *db,
                            TenureLedgerKind   kind,
                            gint64             id,
                            TenureDate         on,
                            GError           **error)
{
  static const char * const unit_queries[TENURE_LEDGER_N_KINDS] = {
    "SELECT u.id, u.code, u.retired_on FROM unit u JOIN floor f ON f.id = u.floor_id"
    " JOIN building b ON b.id = f.building_id WHERE b.project_id = $1 ORDER BY u.code",
    "SELECT u.id, u.code, u.retired_on FROM unit u JOIN floor f ON f.id = u.floor_id"
    " WHERE f.building_id = $1 ORDER BY u.code",
    "SELECT id, code, retired_on FROM unit WHERE floor_id = $1 ORDER BY code",
    "SELECT id, code, retired_on FROM unit WHERE id = $1",
  };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *date = NULL;
  g_autofree char *retired_code = NULL, *retired_on = NULL;
  GError *local_error = NULL;
  gint64 n = 0;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (kind < TENURE_LEDGER_N_KINDS, FALSE);

  if (!tenure_date_is_valid (on))
    {
      g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                           _("The retirement date is not a valid date"));
      return FALSE;
    }
  date = tenure_date_format_iso (on);

  if (!tenure_db_begin (db, error))
    return FALSE;

  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE id = $1",
                                            kinds[kind].table);

    if (!count_rows (db, sql, id, &n, error))
      goto fail;
    if (n == 0)
      {
        set_not_found (error, kind, id);
        goto fail;
      }
  }

  stmt = tenure_db_prepare (db, unit_queries[kind], error);
  if (stmt == NULL)
    goto fail;
  tenure_stmt_bind_int64 (stmt, 1, id);
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 unit_id = tenure_stmt_column_int64 (stmt, 0);

      if (!tenure_stmt_column_is_null (stmt, 2))
        {
          if (retired_code == NULL)
            {
              retired_code = g_strdup (tenure_stmt_column_text (stmt, 1));
              retired_on = g_strdup (tenure_stmt_column_text (stmt, 2));
            }
          continue;
        }
      g_array_append_val (ids, unit_id);
      g_ptr_array_add (codes, g_strdup (tenure_stmt_column_text (stmt, 1)));
    }
  g_clear_pointer (&stmt, tenure_stmt_free);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      goto fail;
    }
  if (ids->len == 0)
    {
      if (kind == TENURE_LEDGER_UNIT)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                     _("The unit “%s” was already retired on %s"), retired_code, retired_on);
      else
        g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                             _("There is no unit in use to retire here"));
      goto fail;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *contract = NULL, *end = NULL;

      if (!find_active_contract (db, g_array_index (ids, gint64, i), on, &contract, &end, error))
        goto fail;
      if (contract != NULL)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("The unit “%s” is let under the active contract %s until %s: it "
                         "cannot be retired on %s"),
                       (const char *) g_ptr_array_index (codes, i), contract, end, date);
          goto fail;
        }
    }

  stmt = tenure_db_prepare (db, "UPDATE unit SET retired_on = $2 WHERE id = $1"
                                " AND retired_on IS NULL", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < ids->len; i++)
    {
      tenure_stmt_reset (stmt);
      tenure_stmt_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      tenure_stmt_bind_text (stmt, 2, date);
      if (!tenure_stmt_run (stmt, error))
        goto fail;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);
  if (!tenure_db_commit (db, error))
    goto fail;
  return TRUE;

fail:
  g_clear_pointer (&stmt, tenure_stmt_free);
  tenure_db_rollback (db);
  return FALSE;
}
