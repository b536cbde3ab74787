/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-contracts"

#include "contracts/tenure-contract-interchange.h"
#include "contracts/tenure-contract-private.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

/* JSON of schema tenure.contract/1 (docs/contract-json.md). Amounts, prices, areas and rates
 * are integers in the units of the model (fen, 0.0001 yuan, 0.01 m², ppm): exact, and never a
 * floating-point number on the way in or out. */

/* ---------------------------------------------------------------------------------------------
 * Writing */

static void
add_date (JsonBuilder *b, const char *name, TenureDate date)
{
  char buf[TENURE_DATE_ISO_BUF_SIZE];

  json_builder_set_member_name (b, name);
  if (tenure_date_is_valid (date))
    json_builder_add_string_value (b, tenure_date_format_iso_buf (date, buf));
  else
    json_builder_add_null_value (b);
}

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_node (JsonBuilder *b, const char *name, JsonNode *node)
{
  json_builder_set_member_name (b, name);
  if (node != NULL)
    json_builder_add_value (b, node);
  else
    json_builder_add_null_value (b);
}

static void
build_clause (JsonBuilder *b, const TenureClause *c)
{
  gboolean per_m2 = c->basis == TENURE_BASIS_PER_M2_DAY || c->basis == TENURE_BASIS_PER_M2_MONTH;

  json_builder_begin_object (b);
  add_string (b, "charge_item", c->charge_item);
  add_string (b, "basis", tenure_basis_to_string (c->basis));
  if (per_m2)
    add_int (b, "price_e4", c->price_e4);
  else
    add_int (b, "amount", c->amount);
  add_int (b, "cycle_months", c->cycle_months);
  add_string (b, "alignment", tenure_alignment_to_string (c->alignment));
  add_string (b, "timing", tenure_timing_to_string (c->timing));
  add_int (b, "advance_days", c->advance_days);
  add_int (b, "due_days", c->due_days);
  add_string (b, "days_rule", tenure_days_rule_to_string (c->days_rule));
  add_date (b, "starts_on", c->starts_on);
  add_date (b, "ends_on", c->ends_on);
  add_node (b, "escalation", tenure_escalation_to_node (&c->escalation));
  add_node (b, "turnover", c->basis == TENURE_BASIS_TURNOVER
                           ? tenure_turnover_to_node (c->turnover) : NULL);
  json_builder_set_member_name (b, "rent_free");
  json_builder_begin_array (b);
  for (guint i = 0; c->rent_free && i < c->rent_free->len; i++)
    {
      const TenureDateRange *r = &g_array_index (c->rent_free, TenureDateRange, i);
      json_builder_begin_object (b);
      add_date (b, "from", r->start);
      add_date (b, "to", r->end);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "late_fee");
  json_builder_begin_object (b);
  add_int (b, "rate_ppm", c->late_fee_rate_ppm);
  add_int (b, "grace_days", c->late_fee_grace_days);
  add_int (b, "cap_ppm", c->late_fee_cap_ppm);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
build_contract (JsonBuilder *b, const TenureContract *k)
{
  json_builder_begin_object (b);
  add_string (b, "code", k->code);
  add_string (b, "tenant", k->tenant_code);
  add_string (b, "project", k->project_code);
  add_string (b, "currency", k->currency ? k->currency : "CNY");
  add_string (b, "status", tenure_contract_status_to_string (k->status));
  add_date (b, "signed_on", k->signed_on);
  add_date (b, "start_date", k->start_date);
  add_date (b, "end_date", k->end_date);
  add_date (b, "terminated_on", k->terminated_on);
  add_string (b, "termination_type", k->termination_type == TENURE_TERMINATION_NONE ? NULL
              : tenure_termination_type_to_string (k->termination_type));
  add_string (b, "renewal_of", k->renewal_of);
  json_builder_set_member_name (b, "versions");
  json_builder_begin_array (b);
  for (guint v = 0; k->versions && v < k->versions->len; v++)
    {
      const TenureContractVersion *version = g_ptr_array_index (k->versions, v);

      json_builder_begin_object (b);
      add_int (b, "version", version->version_no);
      add_date (b, "effective_from", version->effective_from);
      add_string (b, "reason", version->reason);
      add_string (b, "status", tenure_version_status_to_string (version->status));
      add_string (b, "created_by", version->created_by);
      add_string (b, "approved_by", version->approved_by);
      json_builder_set_member_name (b, "units");
      json_builder_begin_array (b);
      for (guint u = 0; version->units && u < version->units->len; u++)
        {
          const TenureContractUnit *unit = g_ptr_array_index (version->units, u);
          json_builder_begin_object (b);
          add_string (b, "unit", unit->unit_code);
          add_int (b, "area_c", unit->area_c);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "clauses");
      json_builder_begin_array (b);
      for (guint c = 0; version->clauses && c < version->clauses->len; c++)
        build_clause (b, g_ptr_array_index (version->clauses, c));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

char *
tenure_contracts_to_json (GPtrArray *contracts)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  add_string (b, "schema", TENURE_CONTRACT_JSON_SCHEMA);
  json_builder_set_member_name (b, "contracts");
  json_builder_begin_array (b);
  for (guint i = 0; i < contracts->len; i++)
    build_contract (b, g_ptr_array_index (contracts, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  return json_generator_to_data (gen, NULL);
}

char *
tenure_contract_to_json (const TenureContract *contract)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_ptr_array_add (one, (gpointer) contract);
  return tenure_contracts_to_json (one);
}

/* ---------------------------------------------------------------------------------------------
 * Reading */

typedef struct
{
  GPtrArray  *problems;
  const char *file;
  const char *code;      /* of the contract being read, for messages */
} Reader;

/* Records ERROR (whose message already names the place) as a problem. */
static gboolean
take (Reader *r, GError **error)
{
  TenureContractProblem *p;

  if (*error == NULL)
    return TRUE;
  p = g_new0 (TenureContractProblem, 1);
  p->contract_code = g_strdup (r->code);
  p->version_index = -1;
  p->clause_index = -1;
  p->file = g_strdup (r->file);
  p->message = g_strdup ((*error)->message);
  g_ptr_array_add (r->problems, p);
  g_clear_error (error);
  return FALSE;
}

static void
bad_member (Reader *r, const char *where, const char *member, const char *what)
{
  GError *error = NULL;

  g_set_error (&error, TENURE_ERROR, TENURE_ERROR_INVALID, _("%s: %s: %s"), where, member,
               what);
  take (r, &error);
}

static gboolean
get_small (Reader *r, JsonObject *o, const char *member, int fallback, int *out,
           const char *where)
{
  GError *error = NULL;
  gint64 v;

  if (!tenure_json_get_int (o, member, FALSE, fallback, &v, where, &error))
    return take (r, &error);
  if (v < G_MININT || v > G_MAXINT)
    {
      bad_member (r, where, member, _("is out of range"));
      return FALSE;
    }
  *out = (int) v;
  return TRUE;
}

#define GET_NAME(r, o, member, fn, out, where, choices)                                     \
  G_STMT_START {                                                                           \
    GError *e_ = NULL;                                                                     \
    const char *t_ = NULL;                                                                 \
    if (!tenure_json_get_string ((o), (member), FALSE, &t_, (where), &e_))                 \
      take ((r), &e_);                                                                     \
    else if (t_ != NULL && !fn (t_, (out)))                                                \
      {                                                                                    \
        g_autofree char *what_ = g_strdup_printf (_("unknown value “%s” (%s)"), t_,        \
                                                  (choices));                              \
        bad_member ((r), (where), (member), what_);                                        \
      }                                                                                    \
  } G_STMT_END

static TenureClause *
read_clause (Reader *r, JsonNode *node, const char *where)
{
  GError *error = NULL;
  JsonObject *o;
  const char *item = NULL, *basis_text = NULL;
  TenureBasis basis = TENURE_BASIS_FIXED_MONTH;
  TenureClause *c;
  JsonNode *n;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_member (r, where, "clauses", _("must hold objects"));
      return NULL;
    }
  o = json_node_get_object (node);
  if (!tenure_json_get_string (o, "charge_item", TRUE, &item, where, &error))
    take (r, &error);
  if (!tenure_json_get_string (o, "basis", TRUE, &basis_text, where, &error))
    take (r, &error);
  else if (!tenure_basis_from_string (basis_text, &basis))
    {
      g_autofree char *what = g_strdup_printf (_("unknown value “%s” (%s)"), basis_text,
                                               "per_m2_day, per_m2_month, fixed_month, "
                                               "fixed_period, one_off, turnover");
      bad_member (r, where, "basis", what);
    }
  c = tenure_clause_new (item, basis);
  if (!tenure_json_get_int (o, "price_e4", FALSE, 0, &c->price_e4, where, &error)
      || !tenure_json_get_int (o, "amount", FALSE, 0, &c->amount, where, &error))
    take (r, &error);
  get_small (r, o, "cycle_months", 1, &c->cycle_months, where);
  GET_NAME (r, o, "alignment", tenure_alignment_from_string, &c->alignment, where,
            "anniversary, calendar");
  GET_NAME (r, o, "timing", tenure_timing_from_string, &c->timing, where, "advance, arrears");
  GET_NAME (r, o, "days_rule", tenure_days_rule_from_string, &c->days_rule, where,
            "ACTUAL, FIXED_30, AVG_365_12");
  get_small (r, o, "advance_days", 0, &c->advance_days, where);
  get_small (r, o, "due_days", 0, &c->due_days, where);
  if (!tenure_json_get_date (o, "starts_on", FALSE, &c->starts_on, where, &error)
      || !tenure_json_get_date (o, "ends_on", FALSE, &c->ends_on, where, &error))
    take (r, &error);
  if (!tenure_escalation_from_node (json_object_get_member (o, "escalation"), &c->escalation,
                                    where, &error))
    take (r, &error);
  if (!tenure_turnover_from_node (json_object_get_member (o, "turnover"), &c->turnover, where,
                                  &error))
    take (r, &error);
  n = json_object_get_member (o, "rent_free");
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      if (!JSON_NODE_HOLDS_ARRAY (n))
        bad_member (r, where, "rent_free", _("must be a list"));
      else
        for (guint i = 0; i < json_array_get_length (json_node_get_array (n)); i++)
          {
            JsonNode *e = json_array_get_element (json_node_get_array (n), i);
            g_autofree char *w = g_strdup_printf ("%s.rent_free[%u]", where, i);
            TenureDateRange range = { 0 };

            if (!JSON_NODE_HOLDS_OBJECT (e))
              {
                bad_member (r, w, "rent_free", _("must hold objects"));
                continue;
              }
            if (!tenure_json_get_date (json_node_get_object (e), "from", TRUE, &range.start, w,
                                       &error)
                || !tenure_json_get_date (json_node_get_object (e), "to", TRUE, &range.end, w,
                                          &error))
              take (r, &error);
            else
              g_array_append_val (c->rent_free, range);
          }
    }
  n = json_object_get_member (o, "late_fee");
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      if (!JSON_NODE_HOLDS_OBJECT (n))
        bad_member (r, where, "late_fee", _("must be an object"));
      else
        {
          JsonObject *lf = json_node_get_object (n);
          g_autofree char *w = g_strdup_printf ("%s.late_fee", where);

          if (!tenure_json_get_int (lf, "rate_ppm", FALSE, c->late_fee_rate_ppm,
                                    &c->late_fee_rate_ppm, w, &error)
              || !tenure_json_get_int (lf, "cap_ppm", FALSE, c->late_fee_cap_ppm,
                                       &c->late_fee_cap_ppm, w, &error))
            take (r, &error);
          get_small (r, lf, "grace_days", c->late_fee_grace_days, &c->late_fee_grace_days, w);
        }
    }
  return c;
}

static TenureContractVersion *
read_version (Reader *r, JsonNode *node, const char *where, TenureDate start)
{
  GError *error = NULL;
  JsonObject *o;
  JsonNode *n;
  const char *text = NULL;
  TenureContractVersion *v;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_member (r, where, "versions", _("must hold objects"));
      return NULL;
    }
  o = json_node_get_object (node);
  v = tenure_contract_version_new ();
  get_small (r, o, "version", 1, &v->version_no, where);
  if (!tenure_json_get_date (o, "effective_from", FALSE, &v->effective_from, where, &error))
    take (r, &error);
  if (!tenure_date_is_valid (v->effective_from))
    v->effective_from = start;
  if (!tenure_json_get_string (o, "reason", FALSE, &text, where, &error))
    take (r, &error);
  v->reason = g_strdup (text);
  v->status = TENURE_VERSION_APPROVED;
  GET_NAME (r, o, "status", tenure_version_status_from_string, &v->status, where,
            "draft, pending_approval, approved, superseded");
  if (!tenure_json_get_string (o, "created_by", FALSE, &text, where, &error))
    take (r, &error);
  v->created_by = g_strdup (text);
  if (!tenure_json_get_string (o, "approved_by", FALSE, &text, where, &error))
    take (r, &error);
  v->approved_by = g_strdup (text);

  n = json_object_get_member (o, "units");
  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    bad_member (r, where, "units", _("must be a list"));
  else
    for (guint i = 0; i < json_array_get_length (json_node_get_array (n)); i++)
      {
        JsonNode *e = json_array_get_element (json_node_get_array (n), i);
        g_autofree char *w = g_strdup_printf ("%s.units[%u]", where, i);
        const char *unit = NULL;
        gint64 area = 0;

        if (!JSON_NODE_HOLDS_OBJECT (e))
          {
            bad_member (r, w, "units", _("must hold objects"));
            continue;
          }
        if (!tenure_json_get_string (json_node_get_object (e), "unit", TRUE, &unit, w, &error)
            || !tenure_json_get_int (json_node_get_object (e), "area_c", TRUE, 0, &area, w,
                                     &error))
          take (r, &error);
        else
          g_ptr_array_add (v->units, tenure_contract_unit_new (unit, area));
      }
  n = json_object_get_member (o, "clauses");
  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    bad_member (r, where, "clauses", _("must be a list"));
  else
    for (guint i = 0; i < json_array_get_length (json_node_get_array (n)); i++)
      {
        g_autofree char *w = g_strdup_printf ("%s.clauses[%u]", where, i);
        TenureClause *c = read_clause (r, json_array_get_element (json_node_get_array (n), i),
                                       w);
        if (c != NULL)
          g_ptr_array_add (v->clauses, c);
      }
  return v;
}

static TenureContract *
read_contract (Reader *r, JsonNode *node, guint index)
{
  GError *error = NULL;
  g_autoptr(TenureContract) k = NULL;
  g_autofree char *where = NULL;
  JsonObject *o;
  JsonNode *n;
  const char *text = NULL;
  guint before = r->problems->len;

  r->code = NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      where = g_strdup_printf ("%s: contracts[%u]", r->file, index);
      bad_member (r, where, "contracts", _("must hold objects"));
      return NULL;
    }
  o = json_node_get_object (node);
  k = tenure_contract_new ();
  if (tenure_json_get_string (o, "code", TRUE, &text, "", &error))
    k->code = g_strdup (text);
  g_clear_error (&error);
  r->code = k->code;
  where = k->code ? g_strdup_printf ("%s: contracts[%u] (%s)", r->file, index, k->code)
                  : g_strdup_printf ("%s: contracts[%u]", r->file, index);
  if (k->code == NULL)
    bad_member (r, where, "code", _("is missing"));
  if (!tenure_json_get_string (o, "tenant", TRUE, &text, where, &error))
    take (r, &error);
  k->tenant_code = g_strdup (text);
  if (!tenure_json_get_string (o, "project", TRUE, &text, where, &error))
    take (r, &error);
  k->project_code = g_strdup (text);
  if (!tenure_json_get_string (o, "currency", FALSE, &text, where, &error))
    take (r, &error);
  if (text != NULL)
    {
      g_free (k->currency);
      k->currency = g_strdup (text);
    }
  k->status = TENURE_CONTRACT_ACTIVE;
  GET_NAME (r, o, "status", tenure_contract_status_from_string, &k->status, where,
            "draft, pending_approval, active, expired, terminated");
  if (!tenure_json_get_date (o, "signed_on", FALSE, &k->signed_on, where, &error)
      || !tenure_json_get_date (o, "start_date", TRUE, &k->start_date, where, &error)
      || !tenure_json_get_date (o, "end_date", TRUE, &k->end_date, where, &error)
      || !tenure_json_get_date (o, "terminated_on", FALSE, &k->terminated_on, where, &error))
    take (r, &error);
  GET_NAME (r, o, "termination_type", tenure_termination_type_from_string,
            &k->termination_type, where, "normal, early_agreement, breach");
  if (!tenure_json_get_string (o, "renewal_of", FALSE, &text, where, &error))
    take (r, &error);
  k->renewal_of = g_strdup (text);

  n = json_object_get_member (o, "versions");
  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n) || json_array_get_length (json_node_get_array (n))
                                                 == 0)
    bad_member (r, where, "versions", _("must be a list of at least one version"));
  else
    for (guint i = 0; i < json_array_get_length (json_node_get_array (n)); i++)
      {
        g_autofree char *w = g_strdup_printf ("%s.versions[%u]", where, i);
        TenureContractVersion *v = read_version (r, json_array_get_element (
                                                     json_node_get_array (n), i),
                                                 w, k->start_date);
        if (v != NULL)
          g_ptr_array_add (k->versions, v);
      }
  if (r->problems->len > before)
    return NULL;
  return g_steal_pointer (&k);
}

GPtrArray *
tenure_contracts_from_json (const char  *data,
                            gssize       length,
                            const char  *file_name,
                            GPtrArray   *problems,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) contracts = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_contract_free);
  g_autoptr(GError) local = NULL;
  Reader r = { problems, file_name, NULL };
  JsonNode *root, *list;
  JsonObject *o;
  const char *schema = NULL;

  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE, _("%s is not valid JSON: %s"),
                   file_name, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   _("%s: the document must be an object with “schema” and “contracts”"),
                   file_name);
      return NULL;
    }
  o = json_node_get_object (root);
  if (!tenure_json_get_string (o, "schema", FALSE, &schema, file_name, NULL)
      || g_strcmp0 (schema, TENURE_CONTRACT_JSON_SCHEMA) != 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   _("%s: “schema” is “%s”; this version of Tenure reads “%s”"), file_name,
                   schema ? schema : "", TENURE_CONTRACT_JSON_SCHEMA);
      return NULL;
    }
  list = json_object_get_member (o, "contracts");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   _("%s: “contracts” must be a list"), file_name);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      TenureContract *k = read_contract (&r, json_array_get_element (json_node_get_array (list),
                                                                     i), i);
      if (k != NULL)
        g_ptr_array_add (contracts, k);
    }
  return g_steal_pointer (&contracts);
}
