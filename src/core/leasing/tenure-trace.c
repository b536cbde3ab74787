/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-trace"

#include "tenure-plan.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "base/tenure-money.h"

static const char * const rounding_names[] = {
  "half_away_from_zero", "half_even", "toward_zero", "away_from_zero", "floor", "ceiling",
};

static void
segment_free (TenureTraceSegment *segment)
{
  if (segment == NULL)
    return;
  g_free (segment->note);
  g_free (segment);
}

/**
 * tenure_trace_new:
 * An empty trace for @rule: no inputs, no segments, exact value 0.
 */
TenureTrace *
tenure_trace_new (const char *rule)
{
  TenureTrace *trace = g_new0 (TenureTrace, 1);

  trace->rule = g_strdup (rule);
  trace->inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  trace->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) segment_free);
  trace->exact = tenure_exact_int (0);
  trace->rounding = TENURE_ROUND_DEFAULT;
  return trace;
}

/**
 * tenure_trace_add_segment:
 * Appends a copy of @segment (its note is duplicated) and returns the stored one.
 */
TenureTraceSegment *
tenure_trace_add_segment (TenureTrace              *trace,
                          const TenureTraceSegment *segment)
{
  TenureTraceSegment *copy = g_new (TenureTraceSegment, 1);

  *copy = *segment;
  copy->note = g_strdup (segment->note);
  g_ptr_array_add (trace->segments, copy);
  return copy;
}

/**
 * tenure_trace_set_input:
 * Records an input of the calculation as text (replacing an earlier one of that name).
 */
void
tenure_trace_set_input (TenureTrace *trace,
                        const char  *name,
                        const char  *value)
{
  g_hash_table_replace (trace->inputs, g_strdup (name), g_strdup (value));
}

void
tenure_trace_free (TenureTrace *trace)
{
  if (trace == NULL)
    return;
  g_free (trace->rule);
  g_clear_pointer (&trace->inputs, g_hash_table_unref);
  g_clear_pointer (&trace->segments, g_ptr_array_unref);
  g_free (trace);
}

/* Exact values as text "num/den" (or "num"): 128-bit parts do not fit JSON numbers. */
static char *
i128_to_text (__int128 v)
{
  char buf[64];
  int pos = sizeof buf - 1;
  unsigned __int128 u = v < 0 ? (unsigned __int128) 0 - (unsigned __int128) v
                              : (unsigned __int128) v;

  buf[pos] = '\0';
  do
    {
      buf[--pos] = (char) ('0' + (int) (u % 10));
      u /= 10;
    }
  while (u != 0);
  if (v < 0)
    buf[--pos] = '-';
  return g_strdup (buf + pos);
}

/**
 * tenure_trace_exact_to_text:
 * "num/den" or "num" for an integer; "error" for the overflow value. Newly allocated.
 */
char *
tenure_trace_exact_to_text (TenureExact x)
{
  g_autofree char *num = NULL;
  g_autofree char *den = NULL;

  if (!tenure_exact_is_ok (x))
    return g_strdup ("error");
  num = i128_to_text (x.num);
  if (x.den == 1)
    return g_steal_pointer (&num);
  den = i128_to_text (x.den);
  return g_strdup_printf ("%s/%s", num, den);
}

static gboolean
i128_from_text (const char *text, __int128 *out)
{
  gboolean negative = FALSE;
  unsigned __int128 u = 0;
  const unsigned __int128 limit = ((unsigned __int128) 1 << 127) - 1;

  if (*text == '-')
    {
      negative = TRUE;
      text++;
    }
  if (*text == '\0')
    return FALSE;
  for (; *text != '\0'; text++)
    {
      if (*text < '0' || *text > '9')
        return FALSE;
      if (u > (limit - (unsigned __int128) (*text - '0')) / 10)
        return FALSE;
      u = u * 10 + (unsigned __int128) (*text - '0');
    }
  *out = negative ? -(__int128) u : (__int128) u;
  return TRUE;
}

/**
 * tenure_trace_exact_from_text:
 * Parses what tenure_trace_exact_to_text() writes; FALSE for anything else or a zero denominator.
 */
gboolean
tenure_trace_exact_from_text (const char *text, TenureExact *out)
{
  g_auto (GStrv) parts = NULL;
  __int128 num, den = 1;
  TenureExact one;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, "/", 3);
  if (parts[0] == NULL || !i128_from_text (parts[0], &num))
    return FALSE;
  if (parts[1] != NULL && (parts[2] != NULL || !i128_from_text (parts[1], &den) || den <= 0))
    return FALSE;
  /* Reduce through the exact arithmetic itself: num/1 × 1/den keeps the invariants. */
  one.num = num;
  one.den = 1;
  *out = tenure_exact_div (one, (TenureExact) { den, 1 });
  return tenure_exact_is_ok (*out);
}

static char *
date_text (TenureDate date)
{
  return tenure_date_format_iso (date);
}

/**
 * tenure_trace_to_json:
 * The trace as a JSON object (see docs: rule, inputs, segments, exact, rounding, rounded,
 * vat_rate_ppm, tax). Newly allocated.
 */
char *
tenure_trace_to_json (const TenureTrace *trace)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GList) keys = NULL;
  g_autofree char *exact = NULL;

  g_return_val_if_fail (trace != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rule");
  json_builder_add_string_value (builder, trace->rule != NULL ? trace->rule : "");

  json_builder_set_member_name (builder, "inputs");
  json_builder_begin_object (builder);
  keys = g_hash_table_get_keys (trace->inputs);
  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (trace->inputs, l->data));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "segments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < trace->segments->len; i++)
    {
      const TenureTraceSegment *s = trace->segments->pdata[i];
      g_autofree char *from = date_text (s->from);
      g_autofree char *to = date_text (s->to);
      g_autofree char *quantity = tenure_trace_exact_to_text (s->quantity);
      g_autofree char *value = tenure_trace_exact_to_text (s->value);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "from");
      json_builder_add_string_value (builder, from);
      json_builder_set_member_name (builder, "to");
      json_builder_add_string_value (builder, to);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, s->version_no);
      json_builder_set_member_name (builder, "price_e4");
      json_builder_add_int_value (builder, s->price_e4);
      json_builder_set_member_name (builder, "amount");
      json_builder_add_int_value (builder, s->amount);
      json_builder_set_member_name (builder, "area_c");
      json_builder_add_int_value (builder, s->area_c);
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_string_value (builder, quantity);
      json_builder_set_member_name (builder, "rent_free");
      json_builder_add_boolean_value (builder, s->rent_free);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, value);
      if (s->note != NULL)
        {
          json_builder_set_member_name (builder, "note");
          json_builder_add_string_value (builder, s->note);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  exact = tenure_trace_exact_to_text (trace->exact);
  json_builder_set_member_name (builder, "exact");
  json_builder_add_string_value (builder, exact);
  json_builder_set_member_name (builder, "rounding");
  json_builder_add_string_value (builder,
                                 (guint) trace->rounding < G_N_ELEMENTS (rounding_names)
                                 ? rounding_names[trace->rounding] : rounding_names[0]);
  json_builder_set_member_name (builder, "rounded");
  json_builder_add_int_value (builder, trace->rounded);
  json_builder_set_member_name (builder, "vat_rate_ppm");
  json_builder_add_int_value (builder, trace->vat_rate_ppm);
  json_builder_set_member_name (builder, "tax");
  json_builder_add_int_value (builder, trace->tax);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
trace_error (GError **error, const char *field)
{
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
               _("The calculation trace is damaged: field “%s” is missing or wrong."), field);
  return FALSE;
}

static gboolean
get_string (JsonObject *object, const char *name, const char **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return trace_error (error, name);
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_int (JsonObject *object, const char *name, gint64 *out, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return trace_error (error, name);
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_exact (JsonObject *object, const char *name, TenureExact *out, GError **error)
{
  const char *text;

  if (!get_string (object, name, &text, error))
    return FALSE;
  if (!tenure_trace_exact_from_text (text, out))
    return trace_error (error, name);
  return TRUE;
}

static gboolean
get_date (JsonObject *object, const char *name, TenureDate *out, GError **error)
{
  const char *text;

  if (!get_string (object, name, &text, error))
    return FALSE;
  if (!tenure_date_parse_iso (text, out, NULL))
    return trace_error (error, name);
  return TRUE;
}

/**
 * tenure_trace_from_json:
 * Parses what tenure_trace_to_json() writes. Fails with TENURE_ERROR_PARSE naming the field.
 */
TenureTrace *
tenure_trace_from_json (const char  *json,
                        GError     **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (TenureTrace) trace = NULL;
  g_autoptr (GError) local = NULL;
  JsonObject *root, *inputs;
  JsonArray *segments;
  const char *text;
  gint64 v;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   _("The calculation trace is not valid JSON: %s"), local->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return trace_error (error, "/"), NULL;
  root = json_node_get_object (json_parser_get_root (parser));

  if (!get_string (root, "rule", &text, error))
    return NULL;
  trace = tenure_trace_new (text);

  if (!json_object_has_member (root, "inputs")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "inputs")))
    return trace_error (error, "inputs"), NULL;
  inputs = json_object_get_object_member (root, "inputs");
  {
    g_autoptr (GList) names = json_object_get_members (inputs);

    for (GList *l = names; l != NULL; l = l->next)
      {
        if (!get_string (inputs, l->data, &text, error))
          return NULL;
        tenure_trace_set_input (trace, l->data, text);
      }
  }

  if (!json_object_has_member (root, "segments")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "segments")))
    return trace_error (error, "segments"), NULL;
  segments = json_object_get_array_member (root, "segments");
  for (guint i = 0; i < json_array_get_length (segments); i++)
    {
      JsonNode *node = json_array_get_element (segments, i);
      TenureTraceSegment s = { 0 };
      JsonObject *o;
      JsonNode *flag;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return trace_error (error, "segments"), NULL;
      o = json_node_get_object (node);
      if (!get_date (o, "from", &s.from, error) || !get_date (o, "to", &s.to, error))
        return NULL;
      if (!get_int (o, "version", &v, error))
        return NULL;
      s.version_no = (int) CLAMP (v, G_MININT, G_MAXINT);
      if (!get_int (o, "price_e4", &s.price_e4, error)
          || !get_int (o, "amount", &s.amount, error)
          || !get_int (o, "area_c", &s.area_c, error)
          || !get_exact (o, "quantity", &s.quantity, error)
          || !get_exact (o, "value", &s.value, error))
        return NULL;
      flag = json_object_get_member (o, "rent_free");
      if (flag == NULL || !JSON_NODE_HOLDS_VALUE (flag)
          || json_node_get_value_type (flag) != G_TYPE_BOOLEAN)
        return trace_error (error, "rent_free"), NULL;
      s.rent_free = json_node_get_boolean (flag);
      if (json_object_has_member (o, "note"))
        {
          if (!get_string (o, "note", &text, error))
            return NULL;
          s.note = (char *) text;
        }
      tenure_trace_add_segment (trace, &s);
    }

  if (!get_exact (root, "exact", &trace->exact, error))
    return NULL;
  if (!get_string (root, "rounding", &text, error))
    return NULL;
  {
    gboolean found = FALSE;

    for (guint i = 0; i < G_N_ELEMENTS (rounding_names); i++)
      if (strcmp (rounding_names[i], text) == 0)
        {
          trace->rounding = (TenureRounding) i;
          found = TRUE;
        }
    if (!found)
      return trace_error (error, "rounding"), NULL;
  }
  if (!get_int (root, "rounded", &trace->rounded, error)
      || !get_int (root, "vat_rate_ppm", &trace->vat_rate_ppm, error)
      || !get_int (root, "tax", &trace->tax, error))
    return NULL;
  return g_steal_pointer (&trace);
}

/* An exact value as a decimal with @digits places, "≈" when that is not exact. */
static char *
exact_decimal (TenureExact x, guint digits)
{
  gint64 scaled;
  TenureExact back;
  g_autofree char *text = NULL;

  if (!tenure_exact_round_scaled (x, digits, TENURE_ROUND_HALF_AWAY_FROM_ZERO, &scaled, NULL))
    return tenure_trace_exact_to_text (x);
  text = tenure_decimal_format (scaled, digits, TRUE);
  back = tenure_exact_scaled (scaled, digits);
  if (tenure_exact_cmp (back, x) != 0)
    return g_strconcat ("≈", text, NULL);
  return g_steal_pointer (&text);
}

/* An exact amount of minor units in the currency's major unit with 4 decimals: "¥15,208.3333". */
static char *
exact_money (TenureExact minor, const TenureCurrency *cur)
{
  gint64 scale = 1;
  g_autofree char *text = NULL;

  for (guint i = 0; i < cur->digits; i++)
    scale *= 10;
  text = exact_decimal (tenure_exact_div (minor, tenure_exact_int (scale)), 4);
  if (g_str_has_prefix (text, "≈"))
    return g_strdup_printf ("≈%s%s", cur->symbol, text + strlen ("≈"));
  return g_strdup_printf ("%s%s", cur->symbol, text);
}

/* A rate in ppm as a percentage without trailing zeros: 90000 → "9", 55000 → "5.5". */
static char *
percent_text (gint64 ppm)
{
  char *text = tenure_decimal_format (ppm, 4, FALSE);
  char *end = text + strlen (text) - 1;

  while (end > text && *end == '0')
    *end-- = '\0';
  if (*end == '.')
    *end = '\0';
  return text;
}

static const char *
rounding_label (TenureRounding rounding)
{
  switch (rounding)
    {
    case TENURE_ROUND_HALF_AWAY_FROM_ZERO:
      return _("half away from zero");
    case TENURE_ROUND_HALF_EVEN:
      return _("half to even");
    case TENURE_ROUND_TOWARD_ZERO:
      return _("toward zero");
    case TENURE_ROUND_AWAY_FROM_ZERO:
      return _("away from zero");
    case TENURE_ROUND_FLOOR:
      return _("down");
    case TENURE_ROUND_CEILING:
      return _("up");
    default:
      return "?";
    }
}

/**
 * tenure_trace_explain:
 * The trace in words, translated: the rule, one line per segment, the exact total, the
 * rounding and the tax. Amounts in @currency (NULL: CNY). Newly allocated.
 */
char *
tenure_trace_explain (const TenureTrace *trace,
                      const char        *currency)
{
  const TenureCurrency *cur = currency != NULL ? tenure_currency_lookup (currency) : NULL;
  GString *out = g_string_new (NULL);
  g_autofree char *exact = NULL;
  g_autofree char *rounded = NULL;
  g_autofree char *tax = NULL;
  g_autofree char *rate = NULL;
  g_autoptr (GList) keys = NULL;

  g_return_val_if_fail (trace != NULL, NULL);
  if (cur == NULL)
    cur = tenure_currency_default ();

  g_string_append_printf (out, _("Rule: %s"), trace->rule);
  g_string_append_c (out, '\n');
  keys = g_list_sort (g_hash_table_get_keys (trace->inputs), (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    g_string_append_printf (out, "  %s = %s\n", (const char *) l->data,
                            (const char *) g_hash_table_lookup (trace->inputs, l->data));

  for (guint i = 0; i < trace->segments->len; i++)
    {
      const TenureTraceSegment *s = trace->segments->pdata[i];
      g_autofree char *from = date_text (s->from);
      g_autofree char *to = date_text (s->to);
      g_autofree char *value = exact_money (s->value, cur);
      g_autofree char *quantity = tenure_trace_exact_to_text (s->quantity);
      g_autofree char *qdec = exact_decimal (s->quantity, 4);

      if (s->rent_free)
        g_string_append_printf (out, _("%s – %s (version %d): rent-free, 0"), from, to,
                                s->version_no);
      else if (s->area_c > 0 && s->price_e4 > 0)
        {
          g_autofree char *price = tenure_decimal_format (s->price_e4, 4, TRUE);
          g_autofree char *area = tenure_decimal_format (s->area_c, 2, TRUE);

          g_string_append_printf (out,
                                  _("%s – %s (version %d): price %s × area %s m² × %s (%s) = "
                                    "%s"),
                                  from, to, s->version_no, price, area, quantity, qdec, value);
        }
      else
        {
          TenureMoney m = tenure_money_new (s->amount, cur);
          g_autofree char *amount = tenure_money_format (m, TENURE_MONEY_FORMAT_DEFAULT);

          g_string_append_printf (out,
                                  _("%s – %s (version %d): amount %s × %s (%s) = %s"),
                                  from, to, s->version_no, amount, quantity, qdec, value);
        }
      if (!s->rent_free && s->note != NULL && s->note[0] != '\0')
        g_string_append_printf (out, " [%s]", s->note);
      g_string_append_c (out, '\n');
    }

  exact = exact_money (trace->exact, cur);
  rounded = tenure_money_format (tenure_money_new (trace->rounded, cur),
                                 TENURE_MONEY_FORMAT_DEFAULT);
  g_string_append_printf (out, _("Exact total %s, rounded once (%s) to %s"),
                          exact, rounding_label (trace->rounding), rounded);
  g_string_append_c (out, '\n');
  tax = tenure_money_format (tenure_money_new (trace->tax, cur), TENURE_MONEY_FORMAT_DEFAULT);
  rate = percent_text (trace->vat_rate_ppm);
  g_string_append_printf (out, _("VAT at %s%% included: %s"), rate, tax);
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}
