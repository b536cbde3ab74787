/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-contracts"

#include "contracts/tenure-contract-store.h"
#include "contracts/tenure-contract-private.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "base/tenure-money.h"

/* ---------------------------------------------------------------------------------------------
 * Problems */

void
tenure_contract_problem_free (TenureContractProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->contract_code);
  g_free (problem->field);
  g_free (problem->file);
  g_free (problem->column);
  g_free (problem->message);
  g_free (problem);
}

TenureContractProblem *
tenure_contract_problem_add (GPtrArray  *problems,
                             const char *contract_code,
                             int         version_index,
                             int         clause_index,
                             const char *field,
                             const char *text)
{
  TenureContractProblem *p = g_new0 (TenureContractProblem, 1);
  g_autofree char *place = NULL;

  p->contract_code = g_strdup (contract_code);
  p->version_index = version_index;
  p->clause_index = clause_index;
  p->field = g_strdup (field);
  if (version_index >= 0 && clause_index >= 0)
    /* TRANSLATORS: where in a contract: "version 2, clause 1, field price_e4" */
    place = g_strdup_printf (_("version %d, clause %d, field %s"), version_index + 1,
                             clause_index + 1, field);
  else if (version_index >= 0)
    place = g_strdup_printf (_("version %d, field %s"), version_index + 1, field);
  else
    place = g_strdup_printf (_("field %s"), field);
  /* TRANSLATORS: "Contract HT-001, field end_date: the end date … is before …" */
  p->message = g_strdup_printf (_("Contract %s, %s: %s"),
                                contract_code && *contract_code ? contract_code : "?",
                                place, text);
  g_ptr_array_add (problems, p);
  return p;
}

G_GNUC_PRINTF (6, 7) static void
problem (GPtrArray  *problems,
         const char *contract_code,
         int         version_index,
         int         clause_index,
         const char *field,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  tenure_contract_problem_add (problems, contract_code, version_index, clause_index, field,
                               text);
}

char *
tenure_contract_problems_join (GPtrArray *problems)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      const TenureContractProblem *p = g_ptr_array_index (problems, i);
      if (i > 0)
        g_string_append_c (s, '\n');
      g_string_append (s, p->message);
    }
  return g_string_free (s, FALSE);
}

/* The termination type as stored: NULL for none. */
static const char *
termination_column (TenureTerminationType type)
{
  return type == TENURE_TERMINATION_NONE ? NULL : tenure_termination_type_to_string (type);
}

static gboolean
termination_from_column (const char *text, TenureTerminationType *out)
{
  if (text == NULL || *text == '\0')
    {
      *out = TENURE_TERMINATION_NONE;
      return TRUE;
    }
  return tenure_termination_type_from_string (text, out);
}

/* ---------------------------------------------------------------------------------------------
 * Escalation and turnover JSON (the clause columns; the same objects in tenure.contract/1) */

JsonNode *
tenure_escalation_to_node (const TenureEscalation *e)
{
  g_autoptr(JsonBuilder) b = NULL;

  if (e == NULL || e->kind == TENURE_ESCALATION_NONE)
    return NULL;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, tenure_escalation_kind_to_string (e->kind));
  json_builder_set_member_name (b, "by");
  json_builder_add_string_value (b, e->trigger == TENURE_ESCALATION_BY_DATE ? "date"
                                                                           : "lease_year");
  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  switch (e->kind)
    {
    case TENURE_ESCALATION_PERCENT:
      json_builder_set_member_name (b, "rate_ppm");
      json_builder_add_int_value (b, e->percent_ppm);
      break;
    case TENURE_ESCALATION_AMOUNT:
      json_builder_set_member_name (b, "delta");
      json_builder_add_int_value (b, e->delta);
      break;
    case TENURE_ESCALATION_TABLE:
      json_builder_set_member_name (b, "steps");
      json_builder_begin_array (b);
      for (guint i = 0; e->table && i < e->table->len; i++)
        {
          const TenurePriceStep *step = &g_array_index (e->table, TenurePriceStep, i);
          char buf[TENURE_DATE_ISO_BUF_SIZE];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "from");
          json_builder_add_string_value (b, tenure_date_format_iso_buf (step->from, buf));
          json_builder_set_member_name (b, "value");
          json_builder_add_int_value (b, step->value);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      break;
    case TENURE_ESCALATION_CPI:
      json_builder_set_member_name (b, "series");
      json_builder_add_string_value (b, e->cpi_series ? e->cpi_series : "");
      json_builder_set_member_name (b, "floor_ppm");
      json_builder_add_int_value (b, e->floor_ppm);
      json_builder_set_member_name (b, "cap_ppm");
      if (e->cap_ppm == G_MAXINT64)
        json_builder_add_null_value (b);
      else
        json_builder_add_int_value (b, e->cap_ppm);
      json_builder_set_member_name (b, "lag_months");
      json_builder_add_int_value (b, e->cpi_lag_months);
      json_builder_set_member_name (b, "review_months");
      json_builder_add_int_value (b, 12 * MAX (e->every_years, 1));
      break;
    case TENURE_ESCALATION_NONE:
    default:
      break;
    }
  if (e->trigger == TENURE_ESCALATION_BY_DATE && e->kind != TENURE_ESCALATION_TABLE)
    {
      json_builder_set_member_name (b, "month");
      json_builder_add_int_value (b, e->month);
      json_builder_set_member_name (b, "day");
      json_builder_add_int_value (b, e->day);
    }
  if (e->kind != TENURE_ESCALATION_CPI && e->kind != TENURE_ESCALATION_TABLE)
    {
      json_builder_set_member_name (b, "every_years");
      json_builder_add_int_value (b, MAX (e->every_years, 1));
    }
  if (tenure_date_is_valid (e->first_review))
    {
      char buf[TENURE_DATE_ISO_BUF_SIZE];
      json_builder_set_member_name (b, "first_review");
      json_builder_add_string_value (b, tenure_date_format_iso_buf (e->first_review, buf));
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = NULL;

  if (node == NULL)
    return NULL;
  gen = json_generator_new ();
  json_generator_set_root (gen, node);
  json_node_unref (node);
  return json_generator_to_data (gen, NULL);
}

char *
tenure_escalation_to_json (const TenureEscalation *escalation)
{
  return node_to_string (tenure_escalation_to_node (escalation));
}

/* Reading JSON members strictly: the wrong type is an error naming the member. */
typedef struct
{
  const char *where;
  GError    **error;
} JsonCtx;

static gboolean
json_fail (JsonCtx *cx, const char *member, const char *what)
{
  /* TRANSLATORS: "contract HT-1, version 1, clause 2: escalation.params.rate_ppm: must be a
   * whole number" */
  g_set_error (cx->error, TENURE_ERROR, TENURE_ERROR_INVALID, _("%s: %s: %s"), cx->where,
               member, what);
  return FALSE;
}

gboolean
tenure_json_get_int (JsonObject *o, const char *member, gboolean required, gint64 fallback,
                     gint64 *out, const char *where, GError **error)
{
  JsonCtx cx = { where, error };
  JsonNode *node = o ? json_object_get_member (o, member) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return json_fail (&cx, member, _("is missing"));
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return json_fail (&cx, member, _("must be a whole number"));
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
tenure_json_get_string (JsonObject *o, const char *member, gboolean required,
                        const char **out, const char *where, GError **error)
{
  JsonCtx cx = { where, error };
  JsonNode *node = o ? json_object_get_member (o, member) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return json_fail (&cx, member, _("is missing"));
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return json_fail (&cx, member, _("must be a text"));
  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
tenure_json_get_date (JsonObject *o, const char *member, gboolean required, TenureDate *out,
                      const char *where, GError **error)
{
  const char *text;
  g_autoptr(GError) local = NULL;

  if (!tenure_json_get_string (o, member, required, &text, where, error))
    return FALSE;
  if (text == NULL)
    {
      *out = TENURE_DATE_INVALID;
      return TRUE;
    }
  if (!tenure_date_parse_iso (text, out, &local))
    {
      JsonCtx cx = { where, error };
      return json_fail (&cx, member, local->message);
    }
  return TRUE;
}

static gboolean
get_int_range (JsonObject *o, const char *member, gint64 fallback, gint64 min, gint64 max,
               int *out, const char *where, GError **error)
{
  gint64 v;

  if (!tenure_json_get_int (o, member, FALSE, fallback, &v, where, error))
    return FALSE;
  if (v < min || v > max)
    {
      g_autofree char *lo = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *hi = g_strdup_printf ("%" G_GINT64_FORMAT, max);
      g_autofree char *what = g_strdup_printf (_("must be from %s to %s"), lo, hi);
      JsonCtx cx = { where, error };
      return json_fail (&cx, member, what);
    }
  *out = (int) v;
  return TRUE;
}

gboolean
tenure_escalation_from_node (JsonNode         *node,
                             TenureEscalation *e,
                             const char       *where,
                             GError          **error)
{
  JsonCtx cx = { where, error };
  JsonObject *o, *params;
  const char *kind = NULL, *by = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      e->kind = TENURE_ESCALATION_NONE;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return json_fail (&cx, "escalation", _("must be an object"));
  o = json_node_get_object (node);
  if (!tenure_json_get_string (o, "kind", TRUE, &kind, where, error)
      || !tenure_json_get_string (o, "by", FALSE, &by, where, error))
    return FALSE;
  if (!tenure_escalation_kind_from_string (kind, &e->kind))
    {
      g_autofree char *what = g_strdup_printf (_("unknown kind “%s” (percent, amount, table "
                                                 "or cpi)"), kind);
      return json_fail (&cx, "escalation.kind", what);
    }
  if (e->kind == TENURE_ESCALATION_NONE)
    return TRUE;
  if (by == NULL || g_str_equal (by, "lease_year"))
    e->trigger = TENURE_ESCALATION_BY_LEASE_YEAR;
  else if (g_str_equal (by, "date"))
    e->trigger = TENURE_ESCALATION_BY_DATE;
  else
    {
      g_autofree char *what = g_strdup_printf (_("unknown value “%s” (date or lease_year)"), by);
      return json_fail (&cx, "escalation.by", what);
    }
  node = json_object_get_member (o, "params");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return json_fail (&cx, "escalation.params", _("must be an object"));
  params = json_node_get_object (node);
  /* A yearly review on a date without one given: each 1 January (domain.md example 1). */
  if (!get_int_range (params, "month", 1, 1, 12, &e->month, where, error)
      || !get_int_range (params, "day", 1, 1, 31, &e->day, where, error)
      || !get_int_range (params, "every_years", 1, 1, 99, &e->every_years, where, error)
      || !tenure_json_get_date (params, "first_review", FALSE, &e->first_review, where, error))
    return FALSE;
  if (e->day > tenure_date_days_in_month (2001, e->month) && !(e->month == 2 && e->day == 29))
    return json_fail (&cx, "escalation.params.day", _("is not a day of that month"));
  switch (e->kind)
    {
    case TENURE_ESCALATION_PERCENT:
      return tenure_json_get_int (params, "rate_ppm", TRUE, 0, &e->percent_ppm, where, error);
    case TENURE_ESCALATION_AMOUNT:
      return tenure_json_get_int (params, "delta", TRUE, 0, &e->delta, where, error);
    case TENURE_ESCALATION_TABLE:
      {
        JsonNode *steps = json_object_get_member (params, "steps");
        JsonArray *a;

        if (steps == NULL || !JSON_NODE_HOLDS_ARRAY (steps))
          return json_fail (&cx, "escalation.params.steps", _("must be a list"));
        a = json_node_get_array (steps);
        e->table = g_array_new (FALSE, TRUE, sizeof (TenurePriceStep));
        for (guint i = 0; i < json_array_get_length (a); i++)
          {
            JsonNode *s = json_array_get_element (a, i);
            TenurePriceStep step = { 0 };
            g_autofree char *w = g_strdup_printf ("%s: escalation.params.steps[%u]", where, i);

            if (!JSON_NODE_HOLDS_OBJECT (s))
              return json_fail (&cx, "escalation.params.steps", _("must hold objects"));
            if (!tenure_json_get_date (json_node_get_object (s), "from", TRUE, &step.from, w,
                                       error)
                || !tenure_json_get_int (json_node_get_object (s), "value", TRUE, 0,
                                         &step.value, w, error))
              return FALSE;
            g_array_append_val (e->table, step);
          }
        return TRUE;
      }
    case TENURE_ESCALATION_CPI:
      {
        const char *series;
        gint64 review;

        if (!tenure_json_get_string (params, "series", TRUE, &series, where, error)
            || !tenure_json_get_int (params, "floor_ppm", FALSE, 0, &e->floor_ppm, where,
                                     error)
            || !tenure_json_get_int (params, "cap_ppm", FALSE, G_MAXINT64, &e->cap_ppm, where,
                                     error)
            || !get_int_range (params, "lag_months", 1, 0, 24, &e->cpi_lag_months, where,
                               error)
            || !tenure_json_get_int (params, "review_months", FALSE, 12, &review, where, error))
          return FALSE;
        if (review <= 0 || review % 12 != 0 || review > 12 * 99)
          return json_fail (&cx, "escalation.params.review_months",
                            _("must be a whole number of years (12, 24, …)"));
        e->every_years = (int) (review / 12);
        e->cpi_series = g_strdup (series);
        return TRUE;
      }
    case TENURE_ESCALATION_NONE:
    default:
      return TRUE;
    }
}

gboolean
tenure_clause_escalation_from_json (TenureClause *clause,
                                    const char   *json,
                                    const char   *where,
                                    GError      **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;

  if (json == NULL || *json == '\0')
    {
      clause->escalation.kind = TENURE_ESCALATION_NONE;
      return TRUE;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, &local))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID, _("%s: %s: %s"), where,
                   "escalation", local->message);
      return FALSE;
    }
  return tenure_escalation_from_node (json_parser_get_root (parser), &clause->escalation,
                                      where, error);
}

JsonNode *
tenure_turnover_to_node (const TenureTurnoverTerms *t)
{
  g_autoptr(JsonBuilder) b = NULL;

  if (t == NULL)
    return NULL;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "minimum");
  json_builder_add_int_value (b, t->minimum);
  json_builder_set_member_name (b, "tiers");
  json_builder_begin_array (b);
  for (guint i = 0; t->tiers && i < t->tiers->len; i++)
    {
      const TenureTurnoverTier *tier = &g_array_index (t->tiers, TenureTurnoverTier, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "from");
      json_builder_add_int_value (b, tier->from);
      json_builder_set_member_name (b, "rate_ppm");
      json_builder_add_int_value (b, tier->rate_ppm);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "breakpoint");
  if (t->breakpoint < 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, t->breakpoint);
  json_builder_set_member_name (b, "period_months");
  json_builder_add_int_value (b, t->period_months);
  json_builder_set_member_name (b, "due_days");
  json_builder_add_int_value (b, t->due_days);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
tenure_turnover_to_json (const TenureTurnoverTerms *terms)
{
  return node_to_string (tenure_turnover_to_node (terms));
}

static void
turnover_terms_free (TenureTurnoverTerms *t)
{
  if (t == NULL)
    return;
  g_clear_pointer (&t->tiers, g_array_unref);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureTurnoverTerms, turnover_terms_free)

gboolean
tenure_turnover_from_node (JsonNode              *node,
                           TenureTurnoverTerms  **out,
                           const char            *where,
                           GError               **error)
{
  JsonCtx cx = { where, error };
  g_autoptr(TenureTurnoverTerms) t = g_new0 (TenureTurnoverTerms, 1);
  JsonObject *o;
  JsonNode *tiers;
  JsonArray *a;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return json_fail (&cx, "turnover", _("must be an object"));
  o = json_node_get_object (node);
  if (!tenure_json_get_int (o, "minimum", TRUE, 0, &t->minimum, where, error)
      || !tenure_json_get_int (o, "breakpoint", FALSE, -1, &t->breakpoint, where, error)
      || !get_int_range (o, "period_months", 1, 1, 12, &t->period_months, where, error)
      || !get_int_range (o, "due_days", 0, 0, 366, &t->due_days, where, error))
    return FALSE;
  tiers = json_object_get_member (o, "tiers");
  if (tiers == NULL || !JSON_NODE_HOLDS_ARRAY (tiers))
    return json_fail (&cx, "turnover.tiers", _("must be a list"));
  a = json_node_get_array (tiers);
  t->tiers = g_array_new (FALSE, TRUE, sizeof (TenureTurnoverTier));
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      TenureTurnoverTier tier = { 0 };
      g_autofree char *w = g_strdup_printf ("%s: turnover.tiers[%u]", where, i);

      if (!JSON_NODE_HOLDS_OBJECT (n))
        return json_fail (&cx, "turnover.tiers", _("must hold objects"));
      if (!tenure_json_get_int (json_node_get_object (n), "from", TRUE, 0, &tier.from, w, error)
          || !tenure_json_get_int (json_node_get_object (n), "rate_ppm", TRUE, 0,
                                   &tier.rate_ppm, w, error))
        return FALSE;
      g_array_append_val (t->tiers, tier);
    }
  *out = g_steal_pointer (&t);
  return TRUE;
}

gboolean
tenure_clause_turnover_from_json (TenureClause *clause,
                                  const char   *json,
                                  const char   *where,
                                  GError      **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;

  if (json == NULL || *json == '\0')
    return TRUE;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, &local))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID, _("%s: %s: %s"), where,
                   "turnover", local->message);
      return FALSE;
    }
  return tenure_turnover_from_node (json_parser_get_root (parser), &clause->turnover, where,
                                    error);
}

/* ---------------------------------------------------------------------------------------------
 * Small database helpers */

static gboolean
lookup_id (TenureDb *db, const char *sql, const char *code, gint64 *out, GError **error)
{
  g_autoptr(TenureStmt) stmt = NULL;

  *out = 0;
  if (code == NULL || *code == '\0')
    return TRUE;
  stmt = tenure_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, code);
  if (tenure_stmt_step (stmt, error))
    *out = tenure_stmt_column_int64 (stmt, 0);
  return error == NULL || *error == NULL;
}

static void
bind_date (TenureStmt *stmt, guint param, TenureDate date)
{
  char buf[TENURE_DATE_ISO_BUF_SIZE];

  if (tenure_date_is_valid (date))
    tenure_stmt_bind_text (stmt, param, tenure_date_format_iso_buf (date, buf));
  else
    tenure_stmt_bind_null (stmt, param);
}

static TenureDate
column_date (TenureStmt *stmt, guint col)
{
  TenureDate d = TENURE_DATE_INVALID;
  const char *text = tenure_stmt_column_text (stmt, col);

  if (text != NULL && !tenure_date_parse_iso (text, &d, NULL))
    d = TENURE_DATE_INVALID;
  return d;
}

static gboolean
contract_occupies (TenureContractStatus status)
{
  return status == TENURE_CONTRACT_ACTIVE || status == TENURE_CONTRACT_EXPIRED
         || status == TENURE_CONTRACT_TERMINATED;
}

/* ---------------------------------------------------------------------------------------------
 * Charge items */

static gboolean
blank (const char *text)
{
  for (; text && *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

void
tenure_charge_item_free (TenureChargeItem *item)
{
  if (item == NULL)
    return;
  g_free (item->code);
  g_free (item->name);
  g_free (item->kind);
  g_free (item->account_code);
  g_free (item);
}

gint64
tenure_charge_item_define (TenureDb    *db,
                           const char  *code,
                           const char  *name,
                           const char  *account_code,
                           gint64       vat_rate_ppm,
                           TenureDate   vat_from,
                           GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  gint64 id = 0;
  static const char *const methods[] = { "general", "simplified" };

  if (blank (code))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Charge item: the code is empty"));
      return 0;
    }
  if (blank (name))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Charge item %s: the name is empty"), code);
      return 0;
    }
  if (vat_rate_ppm < 0 || vat_rate_ppm > 1000000)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Charge item %s: the VAT rate must be from 0 to 100%%"), code);
      return 0;
    }
  if (!tenure_date_is_valid (vat_from))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Charge item %s: the VAT rate needs the date it applies from"), code);
      return 0;
    }
  if (!lookup_id (db, "SELECT id FROM charge_item WHERE code = $1", code, &id, error))
    return 0;
  if (id != 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Charge item %s already exists"), code);
      return 0;
    }
  if (!tenure_db_begin (db, error))
    return 0;
  stmt = tenure_db_prepare (db, "INSERT INTO charge_item (code, name, kind, account_code, "
                                "is_builtin) VALUES ($1, $2, 'custom', $3, 0) RETURNING id",
                            error);
  if (stmt == NULL)
    goto fail;
  tenure_stmt_bind_text (stmt, 1, code);
  tenure_stmt_bind_text (stmt, 2, name);
  tenure_stmt_bind_text (stmt, 3, account_code && *account_code ? account_code : NULL);
  if (!tenure_stmt_step (stmt, error))
    goto fail;
  id = tenure_stmt_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, tenure_stmt_free);
  stmt = tenure_db_prepare (db, "INSERT INTO vat_rate (charge_item_id, effective_from, "
                                "rate_ppm, method) VALUES ($1, $2, $3, $4)", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      tenure_stmt_reset (stmt);
      tenure_stmt_bind_int64 (stmt, 1, id);
      bind_date (stmt, 2, vat_from);
      tenure_stmt_bind_int64 (stmt, 3, vat_rate_ppm);
      tenure_stmt_bind_text (stmt, 4, methods[i]);
      if (!tenure_stmt_run (stmt, error))
        goto fail;
    }
  if (!tenure_db_commit (db, error))
    goto fail;
  return id;

fail:
  tenure_db_rollback (db);
  return 0;
}

GPtrArray *
tenure_charge_item_list (TenureDb *db, GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_charge_item_free);
  g_autoptr(TenureStmt) stmt = NULL;

  stmt = tenure_db_prepare (db,
      "SELECT c.id, c.code, c.name, c.kind, c.account_code, c.is_builtin, "
      "  (SELECT v.rate_ppm FROM vat_rate v WHERE v.charge_item_id = c.id "
      "     AND v.method = 'general' ORDER BY v.effective_from DESC LIMIT 1), "
      "  (SELECT v.effective_from FROM vat_rate v WHERE v.charge_item_id = c.id "
      "     AND v.method = 'general' ORDER BY v.effective_from DESC LIMIT 1) "
      "FROM charge_item c ORDER BY c.is_builtin DESC, c.code", error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, error))
    {
      TenureChargeItem *item = g_new0 (TenureChargeItem, 1);

      item->id = tenure_stmt_column_int64 (stmt, 0);
      item->code = g_strdup (tenure_stmt_column_text (stmt, 1));
      item->name = g_strdup (tenure_stmt_column_text (stmt, 2));
      item->kind = g_strdup (tenure_stmt_column_text (stmt, 3));
      item->account_code = g_strdup (tenure_stmt_column_text (stmt, 4));
      item->builtin = tenure_stmt_column_int64 (stmt, 5) != 0;
      item->vat_rate_ppm = tenure_stmt_column_is_null (stmt, 6)
                           ? -1 : tenure_stmt_column_int64 (stmt, 6);
      item->vat_from = column_date (stmt, 7);
      g_ptr_array_add (items, item);
    }
  if (error && *error)
    return NULL;
  return g_steal_pointer (&items);
}

/* ---------------------------------------------------------------------------------------------
 * Plan lookups */

typedef struct
{
  TenureDate from;
  gint64     rate_ppm;
} VatStep;

typedef struct
{
  TenureDate start, end;
  gint64     amount;
} TurnoverRow;

struct _TenurePlanLookups
{
  GHashTable *vat;       /* charge item code → GArray of VatStep, by date */
  GHashTable *cpi;       /* "series/YYYY-MM" → gint64* value_e4 */
  GArray     *turnover;  /* TurnoverRow */
};

void
tenure_plan_lookups_free (TenurePlanLookups *lookups)
{
  if (lookups == NULL)
    return;
  g_clear_pointer (&lookups->vat, g_hash_table_unref);
  g_clear_pointer (&lookups->cpi, g_hash_table_unref);
  g_clear_pointer (&lookups->turnover, g_array_unref);
  g_free (lookups);
}

TenurePlanLookups *
tenure_plan_lookups_new (TenureDb              *db,
                         const TenureContract  *contract,
                         GError               **error)
{
  g_autoptr(TenurePlanLookups) l = g_new0 (TenurePlanLookups, 1);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) series = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;

  l->vat = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) g_array_unref);
  l->cpi = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  l->turnover = g_array_new (FALSE, FALSE, sizeof (TurnoverRow));

  /* The project's VAT method picks the rates; an unknown project reads the general ones. */
  stmt = tenure_db_prepare (db,
      "SELECT c.code, v.effective_from, v.rate_ppm FROM vat_rate v "
      "JOIN charge_item c ON c.id = v.charge_item_id "
      "WHERE v.method = COALESCE ((SELECT vat_method FROM project WHERE code = $1), "
      "                           'general') "
      "ORDER BY c.code, v.effective_from", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, contract->project_code ? contract->project_code : "");
  while (tenure_stmt_step (stmt, error))
    {
      const char *code = tenure_stmt_column_text (stmt, 0);
      GArray *steps = g_hash_table_lookup (l->vat, code);
      VatStep step = { column_date (stmt, 1), tenure_stmt_column_int64 (stmt, 2) };

      if (steps == NULL)
        {
          steps = g_array_new (FALSE, FALSE, sizeof (VatStep));
          g_hash_table_insert (l->vat, g_strdup (code), steps);
        }
      g_array_append_val (steps, step);
    }
  if (error && *error)
    return NULL;
  g_clear_pointer (&stmt, tenure_stmt_free);

  for (guint v = 0; contract->versions && v < contract->versions->len; v++)
    {
      const TenureContractVersion *version = g_ptr_array_index (contract->versions, v);
      for (guint c = 0; version->clauses && c < version->clauses->len; c++)
        {
          const TenureClause *clause = g_ptr_array_index (version->clauses, c);
          if (clause->escalation.kind == TENURE_ESCALATION_CPI && clause->escalation.cpi_series)
            g_hash_table_add (series, clause->escalation.cpi_series);
        }
    }
  g_hash_table_iter_init (&iter, series);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (stmt == NULL)
        stmt = tenure_db_prepare (db, "SELECT period, value_e4 FROM cpi_index "
                                      "WHERE series = $1", error);
      if (stmt == NULL)
        return NULL;
      tenure_stmt_reset (stmt);
      tenure_stmt_bind_text (stmt, 1, key);
      while (tenure_stmt_step (stmt, error))
        {
          gint64 *value = g_new (gint64, 1);
          *value = tenure_stmt_column_int64 (stmt, 1);
          g_hash_table_insert (l->cpi, g_strdup_printf ("%s/%s", (const char *) key,
                                                        tenure_stmt_column_text (stmt, 0)),
                               value);
        }
      if (error && *error)
        return NULL;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);

  if (contract->id != 0)
    {
      stmt = tenure_db_prepare (db, "SELECT period_start, period_end, amount "
                                    "FROM turnover_report WHERE contract_id = $1 "
                                    "ORDER BY period_start", error);
      if (stmt == NULL)
        return NULL;
      tenure_stmt_bind_int64 (stmt, 1, contract->id);
      while (tenure_stmt_step (stmt, error))
        {
          TurnoverRow row = { column_date (stmt, 0), column_date (stmt, 1),
                              tenure_stmt_column_int64 (stmt, 2) };
          g_array_append_val (l->turnover, row);
        }
      if (error && *error)
        return NULL;
    }
  return g_steal_pointer (&l);
}

static gboolean
lookups_cpi (const char *series, int year, int month, gint64 *value_e4, gpointer user_data)
{
  TenurePlanLookups *l = user_data;
  g_autofree char *key = g_strdup_printf ("%s/%04d-%02d", series, year, month);
  gint64 *value = g_hash_table_lookup (l->cpi, key);

  if (value == NULL)
    return FALSE;
  *value_e4 = *value;
  return TRUE;
}

static gboolean
lookups_vat (const char *charge_item, TenureDate on, gint64 *rate_ppm, gpointer user_data)
{
  TenurePlanLookups *l = user_data;
  GArray *steps = g_hash_table_lookup (l->vat, charge_item);
  gboolean found = FALSE;

  for (guint i = 0; steps && i < steps->len; i++)
    {
      const VatStep *s = &g_array_index (steps, VatStep, i);
      if (s->from > on)
        break;
      *rate_ppm = s->rate_ppm;
      found = TRUE;
    }
  /* Leasing paid business tax, not VAT, before the reform of 2016-05-01: no VAT in a line of
   * an old lease (the demo has leases from the 1990s). */
  if (!found && steps != NULL && on < tenure_date_from_ymd (2016, 5, 1))
    {
      *rate_ppm = 0;
      found = TRUE;
    }
  return found;
}

static gboolean
lookups_turnover (TenureDate start, TenureDate end, gint64 *amount, gpointer user_data)
{
  TenurePlanLookups *l = user_data;

  for (guint i = 0; i < l->turnover->len; i++)
    {
      const TurnoverRow *r = &g_array_index (l->turnover, TurnoverRow, i);
      if (r->start == start && r->end == end)
        {
          *amount = r->amount;
          return TRUE;
        }
    }
  return FALSE;
}

void
tenure_plan_lookups_context (TenurePlanLookups *lookups, TenurePlanContext *context)
{
  memset (context, 0, sizeof *context);
  context->cpi = lookups_cpi;
  context->vat = lookups_vat;
  context->turnover = lookups_turnover;
  context->user_data = lookups;
  context->rounding = TENURE_ROUND_DEFAULT;
}

/* ---------------------------------------------------------------------------------------------
 * Validation */

static gboolean
valid_cycle (int months)
{
  return months == 1 || months == 2 || months == 3 || months == 6 || months == 12;
}

static void
validate_clause (const TenureContract *k,
                 int                   vi,
                 int                   ci,
                 const TenureClause   *c,
                 GHashTable           *charge_items,
                 GPtrArray            *problems)
{
  const char *code = k->code;
  TenureDate starts = tenure_date_is_valid (c->starts_on) ? c->starts_on : k->start_date;
  TenureDate ends = tenure_date_is_valid (c->ends_on) ? c->ends_on : k->end_date;
  /* With no sound term, dates measured against it would only repeat that problem. */
  gboolean term_ok = tenure_date_is_valid (k->start_date) && tenure_date_is_valid (k->end_date)
                     && k->start_date <= k->end_date;
  char b1[TENURE_DATE_ISO_BUF_SIZE], b2[TENURE_DATE_ISO_BUF_SIZE];

  if (c->charge_item == NULL || *c->charge_item == '\0')
    problem (problems, code, vi, ci, "charge_item", _("the charge item is missing"));
  else if (!g_hash_table_contains (charge_items, c->charge_item))
    problem (problems, code, vi, ci, "charge_item",
             _("unknown charge item “%s” (define it first)"), c->charge_item);

  switch (c->basis)
    {
    case TENURE_BASIS_PER_M2_DAY:
    case TENURE_BASIS_PER_M2_MONTH:
      if (c->price_e4 <= 0)
        {
          g_autofree char *text = tenure_decimal_format (c->price_e4, TENURE_SCALE_PRICE, FALSE);
          problem (problems, code, vi, ci, "price",
                   _("the unit price must be greater than zero, not %s"), text);
        }
      break;
    case TENURE_BASIS_FIXED_MONTH:
    case TENURE_BASIS_FIXED_PERIOD:
    case TENURE_BASIS_ONE_OFF:
      if (c->amount <= 0)
        {
          const TenureCurrency *cur = tenure_currency_lookup (k->currency ? k->currency : "CNY");
          g_autofree char *text = tenure_money_format_plain (tenure_money_new (c->amount, cur));
          problem (problems, code, vi, ci, "amount",
                   _("the amount must be greater than zero, not %s"), text);
        }
      break;
    case TENURE_BASIS_TURNOVER:
      if (c->turnover == NULL)
        {
          problem (problems, code, vi, ci, "turnover",
                   _("a turnover clause needs its minimum and rates"));
          break;
        }
      if (c->turnover->minimum < 0)
        problem (problems, code, vi, ci, "turnover.minimum",
                 _("the guaranteed minimum must not be negative"));
      if (c->turnover->tiers == NULL || c->turnover->tiers->len == 0)
        problem (problems, code, vi, ci, "turnover.tiers",
                 _("at least one turnover rate is needed"));
      for (guint i = 0; c->turnover->tiers && i < c->turnover->tiers->len; i++)
        {
          const TenureTurnoverTier *t = &g_array_index (c->turnover->tiers,
                                                        TenureTurnoverTier, i);
          const TenureTurnoverTier *prev = i > 0 ? t - 1 : NULL;

          if (t->rate_ppm <= 0 || t->rate_ppm > 1000000)
            problem (problems, code, vi, ci, "turnover.tiers",
                     _("tier %u: the rate must be above 0 and at most 100%%"), i + 1);
          if ((i == 0 && t->from != 0) || (prev && t->from <= prev->from))
            problem (problems, code, vi, ci, "turnover.tiers",
                     _("tier %u: tiers must start at 0 and rise"), i + 1);
        }
      if (c->turnover->breakpoint < -1)
        problem (problems, code, vi, ci, "turnover.breakpoint",
                 _("the breakpoint must not be negative"));
      break;
    default:
      problem (problems, code, vi, ci, "basis", _("unknown basis"));
    }
  /* A value the basis does not use would be dropped when stored: refuse it instead. */
  if ((c->basis == TENURE_BASIS_PER_M2_DAY || c->basis == TENURE_BASIS_PER_M2_MONTH)
      && c->amount != 0)
    problem (problems, code, vi, ci, "amount",
             _("a per-m² clause takes a unit price, not an amount"));
  else if (c->basis != TENURE_BASIS_PER_M2_DAY && c->basis != TENURE_BASIS_PER_M2_MONTH
           && c->price_e4 != 0)
    problem (problems, code, vi, ci, "price",
             _("this clause takes an amount, not a unit price"));
  if (!valid_cycle (c->cycle_months))
    problem (problems, code, vi, ci, "cycle_months",
             _("the billing cycle must be 1, 2, 3, 6 or 12 months, not %d"), c->cycle_months);
  if (c->advance_days < 0 || c->advance_days > 366)
    problem (problems, code, vi, ci, "advance_days",
             _("the advance days must be from 0 to 366, not %d"), c->advance_days);
  if (c->due_days < 0 || c->due_days > 366)
    problem (problems, code, vi, ci, "due_days",
             _("the due days must be from 0 to 366, not %d"), c->due_days);
  if (!term_ok)
    goto after_dates;
  if (tenure_date_is_valid (starts) && tenure_date_is_valid (ends) && ends < starts)
    problem (problems, code, vi, ci, "ends_on",
             _("the clause ends on %s, before it starts on %s"),
             tenure_date_format_iso_buf (ends, b1), tenure_date_format_iso_buf (starts, b2));
  if (tenure_date_is_valid (starts) && tenure_date_is_valid (k->start_date)
      && tenure_date_is_valid (k->end_date)
      && (starts < k->start_date || starts > k->end_date))
    problem (problems, code, vi, ci, "starts_on",
             _("the clause starts on %s, outside the contract term"),
             tenure_date_format_iso_buf (starts, b1));
  if (tenure_date_is_valid (ends) && tenure_date_is_valid (k->end_date) && ends > k->end_date)
    problem (problems, code, vi, ci, "ends_on",
             _("the clause ends on %s, after the contract ends"),
             tenure_date_format_iso_buf (ends, b1));
  for (guint i = 0; c->rent_free && i < c->rent_free->len; i++)
    {
      const TenureDateRange *r = &g_array_index (c->rent_free, TenureDateRange, i);
      if (!tenure_date_range_is_valid (r))
        problem (problems, code, vi, ci, "rent_free",
                 _("rent-free period %u ends before it starts"), i + 1);
      else if (r->start < starts || r->end > ends)
        problem (problems, code, vi, ci, "rent_free",
                 _("rent-free period %u (%s to %s) is outside the clause"), i + 1,
                 tenure_date_format_iso_buf (r->start, b1),
                 tenure_date_format_iso_buf (r->end, b2));
    }
after_dates:
  switch (c->escalation.kind)
    {
    case TENURE_ESCALATION_PERCENT:
      if (c->escalation.percent_ppm <= -1000000)
        problem (problems, code, vi, ci, "escalation.rate",
                 _("an escalation of -100%% or less is not possible"));
      break;
    case TENURE_ESCALATION_TABLE:
      if (c->escalation.table == NULL || c->escalation.table->len == 0)
        problem (problems, code, vi, ci, "escalation.steps", _("the price table is empty"));
      for (guint i = 0; c->escalation.table && i < c->escalation.table->len; i++)
        {
          const TenurePriceStep *s = &g_array_index (c->escalation.table, TenurePriceStep, i);
          if (s->value <= 0)
            problem (problems, code, vi, ci, "escalation.steps",
                     _("step %u: the price must be greater than zero"), i + 1);
          if (i > 0 && s->from <= (s - 1)->from)
            problem (problems, code, vi, ci, "escalation.steps",
                     _("step %u: the dates must rise"), i + 1);
        }
      break;
    case TENURE_ESCALATION_CPI:
      if (c->escalation.cpi_series == NULL || *c->escalation.cpi_series == '\0')
        problem (problems, code, vi, ci, "escalation.series", _("the CPI series is missing"));
      if (c->escalation.cap_ppm < c->escalation.floor_ppm)
        problem (problems, code, vi, ci, "escalation.cap",
                 _("the CPI cap is below the floor"));
      break;
    default:
      break;
    }
  if (c->late_fee_rate_ppm < 0 || c->late_fee_grace_days < 0 || c->late_fee_cap_ppm < 0)
    problem (problems, code, vi, ci, "late_fee", _("late-fee terms must not be negative"));
}

/* The units the contract covers in any version, each once. */
static GPtrArray *
contract_unit_codes (const TenureContract *k)
{
  GPtrArray *codes = g_ptr_array_new ();

  for (guint v = 0; k->versions && v < k->versions->len; v++)
    {
      const TenureContractVersion *version = g_ptr_array_index (k->versions, v);
      for (guint u = 0; version->units && u < version->units->len; u++)
        {
          const TenureContractUnit *unit = g_ptr_array_index (version->units, u);
          gboolean seen = FALSE;
          for (guint i = 0; i < codes->len && !seen; i++)
            seen = g_strcmp0 (g_ptr_array_index (codes, i), unit->unit_code) == 0;
          if (!seen && unit->unit_code)
            g_ptr_array_add (codes, unit->unit_code);
        }
    }
  return codes;
}

static gboolean
check_overlaps (TenureDb *db, const TenureContract *k, GPtrArray *problems, GError **error)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  TenureDate last = tenure_contract_last_day (k);

  if (!contract_occupies (k->status) || !tenure_date_is_valid (k->start_date)
      || !tenure_date_is_valid (last) || last < k->start_date)
    return TRUE;
  codes = contract_unit_codes (k);
  stmt = tenure_db_prepare (db,
      "SELECT DISTINCT c.code, c.start_date, "
      "  CASE WHEN c.status = 'terminated' AND c.terminated_on IS NOT NULL "
      "       THEN c.terminated_on ELSE c.end_date END AS last_day "
      "FROM contract c "
      "JOIN contract_version v ON v.contract_id = c.id "
      "JOIN contract_unit cu ON cu.contract_version_id = v.id "
      "JOIN unit u ON u.id = cu.unit_id "
      "WHERE u.code = $1 AND c.code <> $2 "
      "  AND c.status IN ('active', 'expired', 'terminated') "
      "  AND c.start_date <= $3 "
      "  AND (CASE WHEN c.status = 'terminated' AND c.terminated_on IS NOT NULL "
      "            THEN c.terminated_on ELSE c.end_date END) >= $4 "
      "ORDER BY c.code", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < codes->len; i++)
    {
      tenure_stmt_reset (stmt);
      tenure_stmt_bind_text (stmt, 1, g_ptr_array_index (codes, i));
      tenure_stmt_bind_text (stmt, 2, k->code ? k->code : "");
      bind_date (stmt, 3, last);
      bind_date (stmt, 4, k->start_date);
      while (tenure_stmt_step (stmt, error))
        problem (problems, k->code, -1, -1, "units",
                 _("unit %s is already leased by active contract %s from %s to %s"),
                 (const char *) g_ptr_array_index (codes, i), tenure_stmt_column_text (stmt, 0),
                 tenure_stmt_column_text (stmt, 1), tenure_stmt_column_text (stmt, 2));
      if (error && *error)
        return FALSE;
    }
  return TRUE;
}

static GHashTable *
load_codes (TenureDb *db, const char *sql, GError **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, error);
  g_autoptr(GHashTable) set = NULL;

  if (stmt == NULL)
    return NULL;
  set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while (tenure_stmt_step (stmt, error))
    g_hash_table_insert (set, g_strdup (tenure_stmt_column_text (stmt, 0)),
                         g_strdup (tenure_stmt_column_text (stmt, 1)));
  if (error && *error)
    return NULL;
  return g_steal_pointer (&set);
}

gboolean
tenure_contract_validate (TenureDb              *db,
                          const TenureContract  *k,
                          GPtrArray             *problems,
                          GError               **error)
{
  const char *code = k->code;
  guint before = problems->len;
  gint64 id;
  g_autoptr(GHashTable) charge_items = NULL;
  g_autoptr(TenureStmt) unit_stmt = NULL;
  gboolean term_ok, project_known = FALSE;
  char b1[TENURE_DATE_ISO_BUF_SIZE], b2[TENURE_DATE_ISO_BUF_SIZE];

  if (code == NULL || *code == '\0')
    problem (problems, code, -1, -1, "code", _("the contract code is empty"));
  if (k->tenant_code == NULL || *k->tenant_code == '\0')
    problem (problems, code, -1, -1, "tenant", _("the tenant is missing"));
  else
    {
      if (!lookup_id (db, "SELECT id FROM tenant WHERE code = $1", k->tenant_code, &id, error))
        return FALSE;
      if (id == 0)
        problem (problems, code, -1, -1, "tenant", _("unknown tenant “%s”"), k->tenant_code);
    }
  if (k->project_code == NULL || *k->project_code == '\0')
    problem (problems, code, -1, -1, "project", _("the project is missing"));
  else
    {
      if (!lookup_id (db, "SELECT id FROM project WHERE code = $1", k->project_code, &id,
                      error))
        return FALSE;
      if (id == 0)
        problem (problems, code, -1, -1, "project", _("unknown project “%s”"),
                 k->project_code);
      project_known = id != 0;
    }
  if (k->renewal_of != NULL && *k->renewal_of != '\0')
    {
      if (!lookup_id (db, "SELECT id FROM contract WHERE code = $1", k->renewal_of, &id,
                      error))
        return FALSE;
      if (id == 0)
        problem (problems, code, -1, -1, "renewal_of", _("unknown contract “%s”"),
                 k->renewal_of);
    }
  if (k->currency != NULL && tenure_currency_lookup (k->currency) == NULL)
    problem (problems, code, -1, -1, "currency", _("unknown currency “%s”"), k->currency);
  if (!tenure_date_is_valid (k->start_date))
    problem (problems, code, -1, -1, "start_date", _("the start date is missing"));
  if (!tenure_date_is_valid (k->end_date))
    problem (problems, code, -1, -1, "end_date", _("the end date is missing"));
  if (tenure_date_is_valid (k->start_date) && tenure_date_is_valid (k->end_date)
      && k->end_date < k->start_date)
    problem (problems, code, -1, -1, "end_date",
             _("the end date %s is before the start date %s"),
             tenure_date_format_iso_buf (k->end_date, b1),
             tenure_date_format_iso_buf (k->start_date, b2));
  term_ok = tenure_date_is_valid (k->start_date) && tenure_date_is_valid (k->end_date)
            && k->start_date <= k->end_date;
  if (term_ok && tenure_date_is_valid (k->terminated_on)
      && (k->terminated_on < k->start_date || k->terminated_on > k->end_date))
    problem (problems, code, -1, -1, "terminated_on",
             _("the termination date %s is outside the contract term"),
             tenure_date_format_iso_buf (k->terminated_on, b1));
  if (k->status == TENURE_CONTRACT_TERMINATED && !tenure_date_is_valid (k->terminated_on))
    problem (problems, code, -1, -1, "terminated_on",
             _("a terminated contract needs its termination date"));

  charge_items = load_codes (db, "SELECT code, kind FROM charge_item", error);
  if (charge_items == NULL)
    return FALSE;
  unit_stmt = tenure_db_prepare (db,
      "SELECT p.code FROM unit u JOIN floor f ON f.id = u.floor_id "
      "JOIN building b ON b.id = f.building_id JOIN project p ON p.id = b.project_id "
      "WHERE u.code = $1", error);
  if (unit_stmt == NULL)
    return FALSE;

  if (k->versions == NULL || k->versions->len == 0)
    problem (problems, code, -1, -1, "versions", _("the contract has no version"));
  for (guint v = 0; k->versions && v < k->versions->len; v++)
    {
      const TenureContractVersion *version = g_ptr_array_index (k->versions, v);

      for (guint w = 0; w < v; w++)
        if (((TenureContractVersion *) g_ptr_array_index (k->versions, w))->version_no
            == version->version_no)
          problem (problems, code, (int) v, -1, "version",
                   _("version number %d appears twice"), version->version_no);
      if (version->version_no < 1)
        problem (problems, code, (int) v, -1, "version",
                 _("the version number must be 1 or more"));
      if (!tenure_date_is_valid (version->effective_from))
        problem (problems, code, (int) v, -1, "effective_from",
                 _("the effective date is missing"));
      else if (term_ok && (version->effective_from < k->start_date
                   || version->effective_from > k->end_date))
        problem (problems, code, (int) v, -1, "effective_from",
                 _("the effective date %s is outside the contract term"),
                 tenure_date_format_iso_buf (version->effective_from, b1));
      if (version->units == NULL || version->units->len == 0)
        problem (problems, code, (int) v, -1, "units", _("the version has no unit"));
      for (guint u = 0; version->units && u < version->units->len; u++)
        {
          const TenureContractUnit *unit = g_ptr_array_index (version->units, u);

          if (unit->area_c <= 0)
            {
              g_autofree char *text = tenure_decimal_format (unit->area_c, TENURE_SCALE_AREA,
                                                             FALSE);
              problem (problems, code, (int) v, -1, "area",
                       _("unit %s: the area must be greater than zero, not %s"),
                       unit->unit_code ? unit->unit_code : "?", text);
            }
          for (guint w = 0; w < u; w++)
            if (g_strcmp0 (((TenureContractUnit *) g_ptr_array_index (version->units, w))
                           ->unit_code, unit->unit_code) == 0)
              problem (problems, code, (int) v, -1, "units",
                       _("unit %s appears twice"), unit->unit_code);
          if (unit->unit_code == NULL || *unit->unit_code == '\0')
            {
              problem (problems, code, (int) v, -1, "units", _("a unit code is empty"));
              continue;
            }
          tenure_stmt_reset (unit_stmt);
          tenure_stmt_bind_text (unit_stmt, 1, unit->unit_code);
          if (tenure_stmt_step (unit_stmt, error))
            {
              const char *project = tenure_stmt_column_text (unit_stmt, 0);
              if (project_known && g_strcmp0 (project, k->project_code) != 0)
                problem (problems, code, (int) v, -1, "units",
                         _("unit %s belongs to project %s, not %s"), unit->unit_code,
                         project, k->project_code);
            }
          else if (error && *error)
            return FALSE;
          else
            problem (problems, code, (int) v, -1, "units", _("unknown unit “%s”"),
                     unit->unit_code);
        }
      for (guint c = 0; version->clauses && c < version->clauses->len; c++)
        validate_clause (k, (int) v, (int) c, g_ptr_array_index (version->clauses, c),
                         charge_items, problems);
    }

  if (!check_overlaps (db, k, problems, error))
    return FALSE;

  /* Only a contract that is otherwise sound goes to the plan engine: its refusals then
   * concern what a clause says, not a missing field. */
  if (problems->len == before)
    {
      g_autoptr(TenurePlanLookups) lookups = tenure_plan_lookups_new (db, k, error);
      g_autoptr(GPtrArray) lines = NULL;
      g_autoptr(GError) plan_error = NULL;
      TenurePlanContext context;

      if (lookups == NULL)
        return FALSE;
      tenure_plan_lookups_context (lookups, &context);
      lines = tenure_plan_generate (k, &context, &plan_error);
      /* Missing reference data (a CPI month not yet published, a VAT rate not yet set) stops
       * a plan but says nothing against the contract: billing reports it when it bills. */
      if (lines == NULL
          && !g_error_matches (plan_error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND))
        {
          const char *text = plan_error ? plan_error->message : _("the plan cannot be generated");

          /* The engine's messages name the contract already; do not say it twice. */
          if (code != NULL && strstr (text, code) != NULL)
            {
              TenureContractProblem *p = tenure_contract_problem_add (problems, code, -1, -1,
                                                                      "clauses", text);
              g_free (p->message);
              p->message = g_strdup (text);
            }
          else
            problem (problems, code, -1, -1, "clauses", "%s", text);
        }
      else if (lines == NULL)
        g_debug ("%s: plan not checked: %s", code, plan_error->message);
    }
  return problems->len == before;
}

/* ---------------------------------------------------------------------------------------------
 * Saving */

static gboolean
insert_version (TenureDb              *db,
                const TenureContract  *k,
                TenureContractVersion *version,
                GError               **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(TenureStmt) unit_stmt = NULL;
  g_autoptr(TenureStmt) clause_stmt = NULL;
  g_autoptr(TenureStmt) free_stmt = NULL;
  gboolean approved = version->status == TENURE_VERSION_APPROVED
                      || version->status == TENURE_VERSION_SUPERSEDED;

  stmt = tenure_db_prepare (db,
      "INSERT INTO contract_version (contract_id, version_no, effective_from, reason, status, "
      "  created_by, approved_by, approved_at) "
      "VALUES ($1, $2, $3, $4, $5, COALESCE ($6, tenure_actor ()), $7, "
      "        CASE WHEN $8 = 1 THEN tenure_now () END) RETURNING id, created_by", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, k->id);
  tenure_stmt_bind_int64 (stmt, 2, version->version_no);
  bind_date (stmt, 3, version->effective_from);
  tenure_stmt_bind_text (stmt, 4, version->reason);
  tenure_stmt_bind_text (stmt, 5, tenure_version_status_to_string (version->status));
  tenure_stmt_bind_text (stmt, 6, version->created_by);
  tenure_stmt_bind_text (stmt, 7, version->approved_by);
  tenure_stmt_bind_int64 (stmt, 8, approved ? 1 : 0);
  if (!tenure_stmt_step (stmt, error))
    {
      if (error && *error == NULL)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB, _("Contract %s: no version id"),
                     k->code);
      return FALSE;
    }
  version->id = tenure_stmt_column_int64 (stmt, 0);
  /* The store names the actor when the caller did not. */
  if (version->created_by == NULL)
    version->created_by = g_strdup (tenure_stmt_column_text (stmt, 1));

  unit_stmt = tenure_db_prepare (db,
      "INSERT INTO contract_unit (contract_version_id, unit_id, area_c) "
      "SELECT $1, id, $2 FROM unit WHERE code = $3 RETURNING unit_id", error);
  if (unit_stmt == NULL)
    return FALSE;
  for (guint u = 0; version->units && u < version->units->len; u++)
    {
      TenureContractUnit *unit = g_ptr_array_index (version->units, u);

      tenure_stmt_reset (unit_stmt);
      tenure_stmt_bind_int64 (unit_stmt, 1, version->id);
      tenure_stmt_bind_int64 (unit_stmt, 2, unit->area_c);
      tenure_stmt_bind_text (unit_stmt, 3, unit->unit_code);
      if (!tenure_stmt_step (unit_stmt, error))
        {
          if (error && *error == NULL)
            g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                         _("Contract %s: unknown unit “%s”"), k->code, unit->unit_code);
          return FALSE;
        }
      unit->unit_id = tenure_stmt_column_int64 (unit_stmt, 0);
    }

  clause_stmt = tenure_db_prepare (db,
      "INSERT INTO clause (contract_version_id, charge_item_id, basis, price_e4, amount, "
      "  cycle_months, alignment, timing, advance_days, days_rule, starts_on, ends_on, "
      "  escalation, turnover, late_fee_rate_ppm, late_fee_grace_days, late_fee_cap_ppm) "
      "SELECT $1, id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 "
      "FROM charge_item WHERE code = $17 RETURNING id", error);
  free_stmt = tenure_db_prepare (db, "INSERT INTO rent_free (clause_id, from_date, to_date) "
                                     "VALUES ($1, $2, $3)", error);
  if (clause_stmt == NULL || free_stmt == NULL)
    return FALSE;
  for (guint c = 0; version->clauses && c < version->clauses->len; c++)
    {
      TenureClause *clause = g_ptr_array_index (version->clauses, c);
      gboolean per_m2 = clause->basis == TENURE_BASIS_PER_M2_DAY
                        || clause->basis == TENURE_BASIS_PER_M2_MONTH;
      g_autofree char *esc = tenure_escalation_to_json (&clause->escalation);
      g_autofree char *turnover = clause->basis == TENURE_BASIS_TURNOVER
                                  ? tenure_turnover_to_json (clause->turnover) : NULL;

      tenure_stmt_reset (clause_stmt);
      tenure_stmt_bind_int64 (clause_stmt, 1, version->id);
      tenure_stmt_bind_text (clause_stmt, 2, tenure_basis_to_string (clause->basis));
      if (per_m2)
        {
          tenure_stmt_bind_int64 (clause_stmt, 3, clause->price_e4);
          tenure_stmt_bind_null (clause_stmt, 4);
        }
      else
        {
          tenure_stmt_bind_null (clause_stmt, 3);
          tenure_stmt_bind_int64 (clause_stmt, 4, clause->amount);
        }
      tenure_stmt_bind_int64 (clause_stmt, 5, clause->cycle_months);
      tenure_stmt_bind_text (clause_stmt, 6, tenure_alignment_to_string (clause->alignment));
      tenure_stmt_bind_text (clause_stmt, 7, tenure_timing_to_string (clause->timing));
      /* One column for the due-date offset: before the period (advance) or after (arrears). */
      tenure_stmt_bind_int64 (clause_stmt, 8, clause->timing == TENURE_TIMING_ARREARS
                                              ? clause->due_days : clause->advance_days);
      tenure_stmt_bind_text (clause_stmt, 9, tenure_days_rule_to_string (clause->days_rule));
      bind_date (clause_stmt, 10, tenure_date_is_valid (clause->starts_on) ? clause->starts_on
                                                                          : k->start_date);
      bind_date (clause_stmt, 11, tenure_date_is_valid (clause->ends_on) ? clause->ends_on
                                                                        : k->end_date);
      tenure_stmt_bind_text (clause_stmt, 12, esc);
      tenure_stmt_bind_text (clause_stmt, 13, turnover);
      tenure_stmt_bind_int64 (clause_stmt, 14, clause->late_fee_rate_ppm);
      tenure_stmt_bind_int64 (clause_stmt, 15, clause->late_fee_grace_days);
      tenure_stmt_bind_int64 (clause_stmt, 16, clause->late_fee_cap_ppm);
      tenure_stmt_bind_text (clause_stmt, 17, clause->charge_item);
      if (!tenure_stmt_step (clause_stmt, error))
        {
          if (error && *error == NULL)
            g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                         _("Contract %s: unknown charge item “%s”"), k->code,
                         clause->charge_item);
          return FALSE;
        }
      clause->id = tenure_stmt_column_int64 (clause_stmt, 0);
      for (guint r = 0; clause->rent_free && r < clause->rent_free->len; r++)
        {
          const TenureDateRange *range = &g_array_index (clause->rent_free, TenureDateRange, r);
          tenure_stmt_reset (free_stmt);
          tenure_stmt_bind_int64 (free_stmt, 1, clause->id);
          bind_date (free_stmt, 2, range->start);
          bind_date (free_stmt, 3, range->end);
          if (!tenure_stmt_run (free_stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
fail_with_problems (GPtrArray *problems, GError **error)
{
  g_autofree char *text = tenure_contract_problems_join (problems);
  g_set_error_literal (error, TENURE_ERROR, TENURE_ERROR_INVALID, text);
  return FALSE;
}

gboolean
tenure_contract_store_insert_valid (TenureDb *db, TenureContract *k, GError **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  const char *termination = termination_column (k->termination_type);

  stmt = tenure_db_prepare (db,
      "INSERT INTO contract (code, tenant_id, project_id, status, currency, signed_on, "
      "  start_date, end_date, renewal_of_id, terminated_on, termination_type) "
      "VALUES ($1, (SELECT id FROM tenant WHERE code = $2), "
      "  (SELECT id FROM project WHERE code = $3), $4, $5, $6, $7, $8, "
      "  (SELECT id FROM contract WHERE code = $9), $10, $11) RETURNING id", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, k->code);
  tenure_stmt_bind_text (stmt, 2, k->tenant_code);
  tenure_stmt_bind_text (stmt, 3, k->project_code);
  tenure_stmt_bind_text (stmt, 4, tenure_contract_status_to_string (k->status));
  tenure_stmt_bind_text (stmt, 5, k->currency ? k->currency : "CNY");
  bind_date (stmt, 6, k->signed_on);
  bind_date (stmt, 7, k->start_date);
  bind_date (stmt, 8, k->end_date);
  tenure_stmt_bind_text (stmt, 9, k->renewal_of);
  bind_date (stmt, 10, k->terminated_on);
  tenure_stmt_bind_text (stmt, 11, termination);
  if (!tenure_stmt_step (stmt, error))
    {
      if (error && *error == NULL)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB, _("Contract %s: no id"), k->code);
      return FALSE;
    }
  k->id = tenure_stmt_column_int64 (stmt, 0);
  for (guint v = 0; k->versions && v < k->versions->len; v++)
    if (!insert_version (db, k, g_ptr_array_index (k->versions, v), error))
      return FALSE;
  return TRUE;
}

gboolean
tenure_contract_store_save (TenureDb        *db,
                            TenureContract  *k,
                            GError         **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_contract_problem_free);
  gint64 existing = 0;

  if (!tenure_db_begin (db, error))
    return FALSE;
  if (!lookup_id (db, "SELECT id FROM contract WHERE code = $1", k->code, &existing, error))
    goto fail;
  if (existing != 0)
    problem (problems, k->code, -1, -1, "code", _("a contract with this code already exists"));
  else if (!tenure_contract_validate (db, k, problems, error) && problems->len == 0)
    goto fail;
  if (problems->len > 0)
    {
      fail_with_problems (problems, error);
      goto fail;
    }
  if (!tenure_contract_store_insert_valid (db, k, error) || !tenure_db_commit (db, error))
    goto fail;
  return TRUE;

fail:
  tenure_db_rollback (db);
  k->id = 0;
  return FALSE;
}

gboolean
tenure_contract_store_add_version (TenureDb              *db,
                                   const char            *contract_code,
                                   TenureContractVersion *version,
                                   GError               **error)
{
  g_autoptr(TenureContract) k = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_contract_problem_free);
  gboolean ok;

  if (!tenure_db_begin (db, error))
    return FALSE;
  k = tenure_contract_store_load (db, contract_code, error);
  if (k == NULL)
    goto fail;
  if (version->version_no == 0)
    {
      int next = 0;
      for (guint v = 0; v < k->versions->len; v++)
        next = MAX (next, ((TenureContractVersion *) g_ptr_array_index (k->versions, v))
                          ->version_no);
      version->version_no = next + 1;
    }
  /* Validate the contract as it will be, with the version borrowed into it. */
  g_ptr_array_add (k->versions, version);
  ok = tenure_contract_validate (db, k, problems, error);
  g_ptr_array_steal_index (k->versions, k->versions->len - 1);
  if (!ok && problems->len == 0)
    goto fail;
  if (problems->len > 0)
    {
      fail_with_problems (problems, error);
      goto fail;
    }
  if (!insert_version (db, k, version, error) || !tenure_db_commit (db, error))
    goto fail;
  return TRUE;

fail:
  tenure_db_rollback (db);
  return FALSE;
}

gboolean
tenure_contract_store_set_version_status (TenureDb            *db,
                                          gint64               version_id,
                                          TenureVersionStatus  status,
                                          const char          *approved_by,
                                          GError             **error)
{
  g_autoptr(TenureStmt) stmt = NULL;

  stmt = tenure_db_prepare (db,
      "UPDATE contract_version SET status = $1, "
      "  approved_by = CASE WHEN $1 = 'approved' THEN COALESCE ($2, tenure_actor ()) "
      "                     ELSE approved_by END, "
      "  approved_at = CASE WHEN $1 = 'approved' THEN tenure_now () ELSE approved_at END "
      "WHERE id = $3", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, tenure_version_status_to_string (status));
  tenure_stmt_bind_text (stmt, 2, approved_by);
  tenure_stmt_bind_int64 (stmt, 3, version_id);
  if (!tenure_stmt_run (stmt, error))
    return FALSE;
  if (tenure_stmt_changes (stmt) == 0)
    {
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, version_id);
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("There is no contract version with id %s"), id_text);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Loading */

static gboolean
bad_stored (GError **error, const char *code, const char *field, const char *value)
{
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
               _("Contract %s: the stored %s “%s” cannot be read"), code, field,
               value ? value : "");
  return FALSE;
}

static TenureContractVersion *
find_version (TenureContract *k, gint64 id)
{
  for (guint v = 0; v < k->versions->len; v++)
    {
      TenureContractVersion *version = g_ptr_array_index (k->versions, v);
      if (version->id == id)
        return version;
    }
  return NULL;
}

static gboolean
load_details (TenureDb *db, TenureContract *k, GError **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) clauses = g_hash_table_new (g_int64_hash, g_int64_equal);

  stmt = tenure_db_prepare (db,
      "SELECT id, version_no, effective_from, reason, status, created_by, approved_by "
      "FROM contract_version WHERE contract_id = $1 ORDER BY version_no", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, k->id);
  while (tenure_stmt_step (stmt, error))
    {
      TenureContractVersion *version = tenure_contract_version_new ();

      g_ptr_array_add (k->versions, version);
      version->id = tenure_stmt_column_int64 (stmt, 0);
      version->version_no = (int) tenure_stmt_column_int64 (stmt, 1);
      version->effective_from = column_date (stmt, 2);
      version->reason = g_strdup (tenure_stmt_column_text (stmt, 3));
      if (!tenure_version_status_from_string (tenure_stmt_column_text (stmt, 4),
                                              &version->status))
        return bad_stored (error, k->code, "contract_version.status",
                           tenure_stmt_column_text (stmt, 4));
      version->created_by = g_strdup (tenure_stmt_column_text (stmt, 5));
      version->approved_by = g_strdup (tenure_stmt_column_text (stmt, 6));
    }
  if (error && *error)
    return FALSE;
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = tenure_db_prepare (db,
      "SELECT cu.contract_version_id, u.id, u.code, cu.area_c FROM contract_unit cu "
      "JOIN unit u ON u.id = cu.unit_id "
      "JOIN contract_version v ON v.id = cu.contract_version_id "
      "WHERE v.contract_id = $1 ORDER BY cu.id", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, k->id);
  while (tenure_stmt_step (stmt, error))
    {
      TenureContractVersion *version = find_version (k, tenure_stmt_column_int64 (stmt, 0));
      TenureContractUnit *unit = tenure_contract_unit_new (tenure_stmt_column_text (stmt, 2),
                                                           tenure_stmt_column_int64 (stmt, 3));
      unit->unit_id = tenure_stmt_column_int64 (stmt, 1);
      g_ptr_array_add (version->units, unit);
    }
  if (error && *error)
    return FALSE;
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = tenure_db_prepare (db,
      "SELECT cl.id, cl.contract_version_id, ci.code, cl.basis, cl.price_e4, cl.amount, "
      "  cl.cycle_months, cl.alignment, cl.timing, cl.advance_days, cl.days_rule, "
      "  cl.starts_on, cl.ends_on, cl.escalation, cl.turnover, cl.late_fee_rate_ppm, "
      "  cl.late_fee_grace_days, cl.late_fee_cap_ppm, v.version_no "
      "FROM clause cl JOIN charge_item ci ON ci.id = cl.charge_item_id "
      "JOIN contract_version v ON v.id = cl.contract_version_id "
      "WHERE v.contract_id = $1 ORDER BY cl.id", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, k->id);
  while (tenure_stmt_step (stmt, error))
    {
      TenureContractVersion *version = find_version (k, tenure_stmt_column_int64 (stmt, 1));
      TenureBasis basis;
      TenureClause *clause;
      g_autofree char *where = NULL;

      if (!tenure_basis_from_string (tenure_stmt_column_text (stmt, 3), &basis))
        return bad_stored (error, k->code, "clause.basis", tenure_stmt_column_text (stmt, 3));
      clause = tenure_clause_new (tenure_stmt_column_text (stmt, 2), basis);
      g_ptr_array_add (version->clauses, clause);
      clause->id = tenure_stmt_column_int64 (stmt, 0);
      g_hash_table_insert (clauses, &clause->id, clause);
      clause->price_e4 = tenure_stmt_column_is_null (stmt, 4) ? 0
                         : tenure_stmt_column_int64 (stmt, 4);
      clause->amount = tenure_stmt_column_is_null (stmt, 5) ? 0
                       : tenure_stmt_column_int64 (stmt, 5);
      clause->cycle_months = (int) tenure_stmt_column_int64 (stmt, 6);
      if (!tenure_alignment_from_string (tenure_stmt_column_text (stmt, 7), &clause->alignment))
        return bad_stored (error, k->code, "clause.alignment",
                           tenure_stmt_column_text (stmt, 7));
      if (!tenure_timing_from_string (tenure_stmt_column_text (stmt, 8), &clause->timing))
        return bad_stored (error, k->code, "clause.timing", tenure_stmt_column_text (stmt, 8));
      clause->advance_days = 0;
      clause->due_days = 0;
      if (clause->timing == TENURE_TIMING_ARREARS)
        clause->due_days = (int) tenure_stmt_column_int64 (stmt, 9);
      else
        clause->advance_days = (int) tenure_stmt_column_int64 (stmt, 9);
      if (!tenure_days_rule_from_string (tenure_stmt_column_text (stmt, 10),
                                         &clause->days_rule))
        return bad_stored (error, k->code, "clause.days_rule",
                           tenure_stmt_column_text (stmt, 10));
      clause->starts_on = column_date (stmt, 11);
      clause->ends_on = column_date (stmt, 12);
      where = g_strdup_printf (_("contract %s, version %d, clause %u"), k->code,
                               (int) tenure_stmt_column_int64 (stmt, 18),
                               version->clauses->len);
      if (!tenure_clause_escalation_from_json (clause, tenure_stmt_column_text (stmt, 13), where,
                                               error)
          || !tenure_clause_turnover_from_json (clause, tenure_stmt_column_text (stmt, 14),
                                                where, error))
        return FALSE;
      clause->late_fee_rate_ppm = tenure_stmt_column_int64 (stmt, 15);
      clause->late_fee_grace_days = (int) tenure_stmt_column_int64 (stmt, 16);
      clause->late_fee_cap_ppm = tenure_stmt_column_int64 (stmt, 17);
    }
  if (error && *error)
    return FALSE;
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = tenure_db_prepare (db,
      "SELECT rf.clause_id, rf.from_date, rf.to_date FROM rent_free rf "
      "JOIN clause cl ON cl.id = rf.clause_id "
      "JOIN contract_version v ON v.id = cl.contract_version_id "
      "WHERE v.contract_id = $1 ORDER BY rf.clause_id, rf.from_date", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, k->id);
  while (tenure_stmt_step (stmt, error))
    {
      gint64 clause_id = tenure_stmt_column_int64 (stmt, 0);
      TenureClause *clause = g_hash_table_lookup (clauses, &clause_id);
      TenureDateRange range = tenure_date_range_make (column_date (stmt, 1),
                                                      column_date (stmt, 2));
      if (clause->rent_free == NULL)
        clause->rent_free = g_array_new (FALSE, FALSE, sizeof (TenureDateRange));
      g_array_append_val (clause->rent_free, range);
    }
  return error == NULL || *error == NULL;
}

static TenureContract *
load_where (TenureDb *db, const char *condition, const char *code, gint64 id, GError **error)
{
  g_autofree char *sql = g_strconcat (
      "SELECT c.id, c.code, t.code, p.code, c.status, c.currency, c.signed_on, c.start_date, "
      "  c.end_date, c.terminated_on, c.termination_type, r.code "
      "FROM contract c JOIN tenant t ON t.id = c.tenant_id "
      "JOIN project p ON p.id = c.project_id "
      "LEFT JOIN contract r ON r.id = c.renewal_of_id WHERE ", condition, NULL);
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, error);
  g_autoptr(TenureContract) k = NULL;
  g_autoptr(GError) local = NULL;

  if (stmt == NULL)
    return NULL;
  if (code != NULL)
    tenure_stmt_bind_text (stmt, 1, code);
  else
    tenure_stmt_bind_int64 (stmt, 1, id);
  if (!tenure_stmt_step (stmt, &local))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else if (code != NULL)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("There is no contract with code “%s”"), code);
      else
        {
          g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                       _("There is no contract with id %s"), id_text);
        }
      return NULL;
    }
  k = tenure_contract_new ();
  k->id = tenure_stmt_column_int64 (stmt, 0);
  g_free (k->code);
  k->code = g_strdup (tenure_stmt_column_text (stmt, 1));
  g_free (k->tenant_code);
  k->tenant_code = g_strdup (tenure_stmt_column_text (stmt, 2));
  g_free (k->project_code);
  k->project_code = g_strdup (tenure_stmt_column_text (stmt, 3));
  if (!tenure_contract_status_from_string (tenure_stmt_column_text (stmt, 4), &k->status))
    {
      bad_stored (error, k->code, "contract.status", tenure_stmt_column_text (stmt, 4));
      return NULL;
    }
  g_free (k->currency);
  k->currency = g_strdup (tenure_stmt_column_text (stmt, 5));
  k->signed_on = column_date (stmt, 6);
  k->start_date = column_date (stmt, 7);
  k->end_date = column_date (stmt, 8);
  k->terminated_on = column_date (stmt, 9);
  if (!termination_from_column (tenure_stmt_column_text (stmt, 10),
                                            &k->termination_type))
    {
      bad_stored (error, k->code, "contract.termination_type",
                  tenure_stmt_column_text (stmt, 10));
      return NULL;
    }
  g_free (k->renewal_of);
  k->renewal_of = g_strdup (tenure_stmt_column_text (stmt, 11));
  g_clear_pointer (&stmt, tenure_stmt_free);
  if (!load_details (db, k, error))
    return NULL;
  return g_steal_pointer (&k);
}

TenureContract *
tenure_contract_store_load (TenureDb *db, const char *code, GError **error)
{
  g_return_val_if_fail (code != NULL, NULL);
  return load_where (db, "c.code = $1", code, 0, error);
}

TenureContract *
tenure_contract_store_load_by_id (TenureDb *db, gint64 id, GError **error)
{
  return load_where (db, "c.id = $1", NULL, id, error);
}

void
tenure_contract_summary_free (TenureContractSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->code);
  g_free (summary->tenant_code);
  g_free (summary->project_code);
  g_free (summary);
}

GPtrArray *
tenure_contract_store_list (TenureDb *db, const char *project_code, GError **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_contract_summary_free);
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db,
      "SELECT c.id, c.code, t.code, p.code, c.status, c.start_date, c.end_date "
      "FROM contract c JOIN tenant t ON t.id = c.tenant_id "
      "JOIN project p ON p.id = c.project_id "
      "WHERE $1 = '' OR p.code = $1 ORDER BY c.code", error);

  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, project_code ? project_code : "");
  while (tenure_stmt_step (stmt, error))
    {
      TenureContractSummary *s = g_new0 (TenureContractSummary, 1);

      s->id = tenure_stmt_column_int64 (stmt, 0);
      s->code = g_strdup (tenure_stmt_column_text (stmt, 1));
      s->tenant_code = g_strdup (tenure_stmt_column_text (stmt, 2));
      s->project_code = g_strdup (tenure_stmt_column_text (stmt, 3));
      if (!tenure_contract_status_from_string (tenure_stmt_column_text (stmt, 4), &s->status))
        s->status = TENURE_CONTRACT_DRAFT;
      s->start_date = column_date (stmt, 5);
      s->end_date = column_date (stmt, 6);
      g_ptr_array_add (list, s);
    }
  if (error && *error)
    return NULL;
  return g_steal_pointer (&list);
}
