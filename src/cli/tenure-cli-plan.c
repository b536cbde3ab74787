/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "billing/tenure-plan-store.h"
#include "contracts/tenure-contract-store.h"

static char *
amount_text (gint64      minor,
             const char *currency)
{
  const TenureCurrency *c = currency != NULL ? tenure_currency_lookup (currency) : NULL;

  if (c == NULL)
    c = tenure_currency_default ();
  return tenure_money_format_plain (tenure_money_new (minor, c));
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void
print_field (const char *text,
             gboolean    last)
{
  if (text == NULL)
    text = "";
  if (strpbrk (text, ",\"\n\r") != NULL)
    {
      g_autoptr(GString) s = g_string_new (text);

      g_string_replace (s, "\"", "\"\"", 0);
      printf ("\"%s\"", s->str);
    }
  else
    fputs (text, stdout);
  fputs (last ? "\n" : ",", stdout);
}

static char *
explain (const TenureStoredLine *line)
{
  g_autoptr(TenureTrace) trace = NULL;
  g_autoptr(GError) error = NULL;

  if (line->trace_json == NULL)
    return g_strdup ("");
  trace = tenure_trace_from_json (line->trace_json, &error);
  if (trace == NULL)
    return g_strdup (error->message);
  return tenure_trace_explain (trace, line->currency);
}

static void
print_csv (GPtrArray *lines,
           gboolean   with_explain)
{
  /* Column names are fixed (not translated): scripts read them. See docs/cli.md. */
  printf ("id,charge_item,kind,period_start,period_end,due_date,amount,tax,currency,status,"
          "version,bill_id%s\n", with_explain ? ",explanation" : "");
  for (guint i = 0; i < lines->len; i++)
    {
      const TenureStoredLine *l = lines->pdata[i];
      char d1[TENURE_DATE_ISO_BUF_SIZE], d2[TENURE_DATE_ISO_BUF_SIZE];
      char d3[TENURE_DATE_ISO_BUF_SIZE];
      g_autofree char *amount = amount_text (l->amount, l->currency);
      g_autofree char *tax = amount_text (l->tax, l->currency);
      g_autofree char *bill = l->bill_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, l->bill_id)
                                             : g_strdup ("");

      printf ("%" G_GINT64_FORMAT ",", l->id);
      print_field (l->charge_item, FALSE);
      printf ("%s,%s,%s,%s,%s,%s,", tenure_line_kind_to_string (l->kind),
              tenure_date_format_iso_buf (l->period_start, d1),
              tenure_date_format_iso_buf (l->period_end, d2),
              tenure_date_format_iso_buf (l->due_date, d3), amount, tax);
      print_field (l->currency, FALSE);
      printf ("%s,%d,", l->status, l->version_no);
      if (with_explain)
        {
          g_autofree char *text = explain (l);

          printf ("%s,", bill);
          print_field (g_strchomp (text), TRUE);
        }
      else
        printf ("%s\n", bill);
    }
}

static void
print_json (const char *code,
            GPtrArray  *lines,
            gboolean    with_explain)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "contract");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "lines");
  json_builder_begin_array (b);
  for (guint i = 0; i < lines->len; i++)
    {
      const TenureStoredLine *l = lines->pdata[i];
      g_autofree char *d1 = tenure_date_format_iso (l->period_start);
      g_autofree char *d2 = tenure_date_format_iso (l->period_end);
      g_autofree char *d3 = tenure_date_format_iso (l->due_date);
      g_autofree char *amount = amount_text (l->amount, l->currency);
      g_autofree char *tax = amount_text (l->tax, l->currency);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, l->id);
      json_builder_set_member_name (b, "charge_item");
      json_builder_add_string_value (b, l->charge_item);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, tenure_line_kind_to_string (l->kind));
      json_builder_set_member_name (b, "period_start");
      json_builder_add_string_value (b, d1);
      json_builder_set_member_name (b, "period_end");
      json_builder_add_string_value (b, d2);
      json_builder_set_member_name (b, "due_date");
      json_builder_add_string_value (b, d3);
      /* Decimal strings, never floating point numbers. */
      json_builder_set_member_name (b, "amount");
      json_builder_add_string_value (b, amount);
      json_builder_set_member_name (b, "tax");
      json_builder_add_string_value (b, tax);
      json_builder_set_member_name (b, "currency");
      json_builder_add_string_value (b, l->currency);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, l->status);
      json_builder_set_member_name (b, "version");
      json_builder_add_int_value (b, l->version_no);
      json_builder_set_member_name (b, "bill_id");
      if (l->bill_id > 0)
        json_builder_add_int_value (b, l->bill_id);
      else
        json_builder_add_null_value (b);
      if (l->corrects_line_id > 0)
        {
          json_builder_set_member_name (b, "corrects_line_id");
          json_builder_add_int_value (b, l->corrects_line_id);
        }
      if (with_explain)
        {
          g_autoptr(JsonNode) trace = l->trace_json != NULL ? json_from_string (l->trace_json,
                                                                                NULL)
                                                            : NULL;
          g_autofree char *words = explain (l);

          json_builder_set_member_name (b, "trace");
          if (trace != NULL)
            json_builder_add_value (b, g_steal_pointer (&trace));
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "explanation");
          json_builder_add_string_value (b, g_strchomp (words));
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

static const char *
change_name (TenurePlanChangeKind kind)
{
  static const char *const names[] = { "unchanged", "added", "changed", "removed", "billed",
                                        "difference" };

  return names[kind];
}

/* --dry-run: the diff between the stored plan and the plan the contract gives now. */
static int
print_diff (TenureDb   *db,
            const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureContract) contract = NULL;
  g_autoptr(TenurePlanLookups) lookups = NULL;
  g_autoptr(TenurePlanDiff) diff = NULL;
  TenurePlanContext context = { 0 };
  GPtrArray *changes;

  contract = tenure_contract_store_load (db, code, &error);
  if (contract == NULL)
    return tenure_cli_fail_error (error);
  lookups = tenure_plan_lookups_new (db, contract, &error);
  if (lookups == NULL)
    return tenure_cli_fail_error (error);
  tenure_plan_lookups_context (lookups, &context);
  diff = tenure_plan_diff (db, contract, &context, &error);
  if (diff == NULL)
    return tenure_cli_fail_error (error);
  changes = tenure_plan_diff_get_changes (diff);
  printf ("change,charge_item,kind,period_start,period_end,due_date,old_amount,new_amount,"
          "difference\n");
  for (guint i = 0; i < changes->len; i++)
    {
      const TenurePlanChange *c = changes->pdata[i];
      char d1[TENURE_DATE_ISO_BUF_SIZE], d2[TENURE_DATE_ISO_BUF_SIZE];
      char d3[TENURE_DATE_ISO_BUF_SIZE];
      g_autofree char *old_amount = amount_text (c->old_amount, contract->currency);
      g_autofree char *new_amount = amount_text (c->new_amount, contract->currency);
      g_autofree char *difference = amount_text (c->difference, contract->currency);

      printf ("%s,", change_name (c->kind));
      print_field (c->charge_item, FALSE);
      printf ("%s,%s,%s,%s,%s,%s,%s\n", tenure_line_kind_to_string (c->line_kind),
              tenure_date_format_iso_buf (c->period_start, d1),
              tenure_date_format_iso_buf (c->period_end, d2),
              tenure_date_format_iso_buf (c->due_date, d3),
              c->kind == TENURE_PLAN_CHANGE_ADDED ? "" : old_amount,
              c->kind == TENURE_PLAN_CHANGE_REMOVED ? "" : new_amount,
              c->kind == TENURE_PLAN_CHANGE_DIFFERENCE ? difference : "");
    }
  fprintf (stderr, _("Dry run: %u lines would be written; nothing was written.\n"),
           tenure_plan_diff_count_writes (diff));
  return TENURE_CLI_OK;
}

int
tenure_cli_plan (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autofree char *format = NULL;
  gboolean with_explain = FALSE, dry_run = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = 0;
  guint writes = 0;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: csv (default) or json"), N_("csv|json") },
    { "explain", 0, 0, G_OPTION_ARG_NONE, &with_explain,
      N_("Add each line's calculation trace"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Show how the stored plan would change, as CSV, and write nothing"), NULL },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context (_("CODE"),
                                       _("Generate the receivable plan of a contract, store it "
                                         "(only unbilled lines are rewritten; billed periods a "
                                         "change affects get difference lines) and print it "
                                         "(columns in docs/cli.md). Amounts are decimal with "
                                         "the currency's minor unit."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "plan", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("plan: missing contract code"));
  if (argc > 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("plan: unexpected argument “%s”"), argv[2]);
  if (format != NULL && strcmp (format, "csv") != 0 && strcmp (format, "json") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("plan: --format “%s” is neither “csv” nor “json”"), format);

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  if (dry_run)
    return print_diff (db, argv[1]);
  if (!tenure_plan_store_regenerate (db, argv[1], &writes, &error))
    return tenure_cli_fail_error (error);
  lines = tenure_plan_store_load (db, argv[1], &error);
  if (lines == NULL)
    return tenure_cli_fail_error (error);
  if (format != NULL && strcmp (format, "json") == 0)
    print_json (argv[1], lines, with_explain);
  else
    print_csv (lines, with_explain);
  return TENURE_CLI_OK;
}
