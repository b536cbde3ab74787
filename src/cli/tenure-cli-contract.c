/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "contracts/tenure-contract-interchange.h"

static int
contract_import (TenureDb *db, const char *path)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tenure_contract_problem_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  guint n = 0;

  if (!tenure_contract_import_file (db, path, problems, &n, &error))
    {
      /* The exception to the one-line rule: every problem of the file, one per line, so the
       * user can fix them all at once; the last line sums up. */
      for (guint i = 0; i < problems->len; i++)
        {
          const TenureContractProblem *p = g_ptr_array_index (problems, i);
          g_autofree char *line = g_strdup (p->message);
          g_strdelimit (line, "\r\n", ' ');
          g_printerr ("%s\n", line);
        }
      return tenure_cli_fail_error (error);
    }
  count = g_strdup_printf ("%u", n);
  printf (g_dngettext (GETTEXT_PACKAGE, "Imported %s contract from %s\n",
                       "Imported %s contracts from %s\n", n), count, path);
  return TENURE_CLI_OK;
}

static char *
percent_text (gint64 ppm)
{
  /* ppm → percent with up to four decimals: 50000 → "5%", 500 → "0.05%". */
  g_autofree char *text = tenure_decimal_format (ppm, 4, FALSE);
  char *end = text + strlen (text) - 1;

  while (*end == '0')
    *end-- = '\0';
  if (*end == '.')
    *end = '\0';
  return g_strdup_printf ("%s%%", text);
}

static char *
amount_text (gint64 minor, const char *currency)
{
  const TenureCurrency *cur = tenure_currency_lookup (currency ? currency : "CNY");
  return tenure_money_format_plain (tenure_money_new (minor, cur));
}

static void
print_clause (const TenureContract *k, guint index, const TenureClause *c)
{
  char b1[TENURE_DATE_ISO_BUF_SIZE], b2[TENURE_DATE_ISO_BUF_SIZE];
  gboolean per_m2 = c->basis == TENURE_BASIS_PER_M2_DAY || c->basis == TENURE_BASIS_PER_M2_MONTH;
  g_autofree char *value = per_m2 ? tenure_decimal_format (c->price_e4, 4, TRUE)
                                  : amount_text (c->amount, k->currency);
  g_autofree char *index_text = g_strdup_printf ("%u", index + 1);
  g_autofree char *cycle = g_strdup_printf ("%d", c->cycle_months);
  g_autofree char *days = g_strdup_printf ("%d", c->timing == TENURE_TIMING_ARREARS
                                                 ? c->due_days : c->advance_days);

  /* TRANSLATORS: "Clause 1: RENT, per_m2_day 5.0000, 3-month cycle (anniversary), advance
   * (0 days), AVG_365_12, 2026-01-01 to 2028-12-31" */
  printf (_("  Clause %s: %s, %s %s, %s-month cycle (%s), %s (%s days), %s, %s to %s\n"),
          index_text, c->charge_item, tenure_basis_to_string (c->basis), value, cycle,
          tenure_alignment_to_string (c->alignment), tenure_timing_to_string (c->timing), days,
          tenure_days_rule_to_string (c->days_rule),
          tenure_date_format_iso_buf (tenure_date_is_valid (c->starts_on) ? c->starts_on
                                                                         : k->start_date, b1),
          tenure_date_format_iso_buf (tenure_date_is_valid (c->ends_on) ? c->ends_on
                                                                       : k->end_date, b2));
  switch (c->escalation.kind)
    {
    case TENURE_ESCALATION_PERCENT:
      {
        g_autofree char *pct = percent_text (c->escalation.percent_ppm);
        printf (_("    Escalation: %s a year (%s)\n"), pct,
                tenure_escalation_trigger_to_string (c->escalation.trigger));
        break;
      }
    case TENURE_ESCALATION_AMOUNT:
      {
        g_autofree char *delta = per_m2 ? tenure_decimal_format (c->escalation.delta, 4, TRUE)
                                        : amount_text (c->escalation.delta, k->currency);
        printf (_("    Escalation: +%s a year (%s)\n"), delta,
                tenure_escalation_trigger_to_string (c->escalation.trigger));
        break;
      }
    case TENURE_ESCALATION_TABLE:
      for (guint i = 0; c->escalation.table && i < c->escalation.table->len; i++)
        {
          const TenurePriceStep *s = &g_array_index (c->escalation.table, TenurePriceStep, i);
          g_autofree char *v = per_m2 ? tenure_decimal_format (s->value, 4, TRUE)
                                      : amount_text (s->value, k->currency);
          printf (_("    From %s: %s\n"), tenure_date_format_iso_buf (s->from, b1), v);
        }
      break;
    case TENURE_ESCALATION_CPI:
      {
        g_autofree char *floor_text = percent_text (c->escalation.floor_ppm);
        g_autofree char *cap_text = c->escalation.cap_ppm == G_MAXINT64
                                    ? g_strdup (_("none")) : percent_text (c->escalation.cap_ppm);
        printf (_("    CPI indexation: series %s, floor %s, cap %s\n"),
                c->escalation.cpi_series ? c->escalation.cpi_series : "", floor_text, cap_text);
        break;
      }
    case TENURE_ESCALATION_NONE:
    default:
      break;
    }
  if (c->turnover != NULL)
    {
      g_autofree char *minimum = amount_text (c->turnover->minimum, k->currency);
      printf (_("    Guaranteed minimum %s per settlement period\n"), minimum);
      for (guint i = 0; c->turnover->tiers && i < c->turnover->tiers->len; i++)
        {
          const TenureTurnoverTier *t = &g_array_index (c->turnover->tiers,
                                                        TenureTurnoverTier, i);
          g_autofree char *from = amount_text (t->from, k->currency);
          g_autofree char *rate = percent_text (t->rate_ppm);
          printf (_("    Turnover from %s: %s\n"), from, rate);
        }
      if (c->turnover->breakpoint >= 0)
        {
          g_autofree char *bp = amount_text (c->turnover->breakpoint, k->currency);
          printf (_("    Artificial breakpoint: %s\n"), bp);
        }
    }
  for (guint i = 0; c->rent_free && i < c->rent_free->len; i++)
    {
      const TenureDateRange *r = &g_array_index (c->rent_free, TenureDateRange, i);
      printf (_("    Rent-free: %s to %s\n"), tenure_date_format_iso_buf (r->start, b1),
              tenure_date_format_iso_buf (r->end, b2));
    }
  if (c->late_fee_rate_ppm > 0)
    {
      g_autofree char *rate = percent_text (c->late_fee_rate_ppm);
      g_autofree char *cap = percent_text (c->late_fee_cap_ppm);
      g_autofree char *grace = g_strdup_printf ("%d", c->late_fee_grace_days);
      printf (_("    Late fee: %s a day after %s days, capped at %s\n"), rate, grace, cap);
    }
}

static int
contract_show (TenureDb *db, const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureContract) k = tenure_contract_store_load (db, code, &error);
  char b1[TENURE_DATE_ISO_BUF_SIZE], b2[TENURE_DATE_ISO_BUF_SIZE];

  if (k == NULL)
    return tenure_cli_fail_error (error);
  printf (_("Contract: %s\n"), k->code);
  printf (_("Tenant: %s\n"), k->tenant_code);
  printf (_("Project: %s\n"), k->project_code);
  printf (_("Status: %s\n"), tenure_contract_status_to_string (k->status));
  printf (_("Currency: %s\n"), k->currency);
  printf (_("Term: %s to %s\n"), tenure_date_format_iso_buf (k->start_date, b1),
          tenure_date_format_iso_buf (k->end_date, b2));
  if (tenure_date_is_valid (k->signed_on))
    printf (_("Signed: %s\n"), tenure_date_format_iso_buf (k->signed_on, b1));
  if (tenure_date_is_valid (k->terminated_on))
    printf (_("Terminated: %s (%s)\n"), tenure_date_format_iso_buf (k->terminated_on, b1),
            tenure_termination_type_to_string (k->termination_type));
  if (k->renewal_of)
    printf (_("Renews: %s\n"), k->renewal_of);
  for (guint v = 0; v < k->versions->len; v++)
    {
      const TenureContractVersion *version = g_ptr_array_index (k->versions, v);
      g_autofree char *no = g_strdup_printf ("%d", version->version_no);
      g_autofree char *area = tenure_decimal_format (tenure_contract_version_area (version), 2,
                                                     TRUE);

      printf (_("Version %s: %s, effective %s, %s\n"), no,
              tenure_version_status_to_string (version->status),
              tenure_date_format_iso_buf (version->effective_from, b1),
              version->reason ? version->reason : "");
      if (version->approved_by)
        printf (_("  Approved by: %s\n"), version->approved_by);
      printf (_("  Area: %s m²\n"), area);
      for (guint u = 0; u < version->units->len; u++)
        {
          const TenureContractUnit *unit = g_ptr_array_index (version->units, u);
          g_autofree char *a = tenure_decimal_format (unit->area_c, 2, TRUE);
          printf (_("  Unit %s: %s m²\n"), unit->unit_code, a);
        }
      for (guint c = 0; c < version->clauses->len; c++)
        print_clause (k, c, g_ptr_array_index (version->clauses, c));
    }
  return TENURE_CLI_OK;
}

static int
contract_export (TenureDb *db, const char *code, const char *format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureContract) k = NULL;
  g_autofree char *json = NULL;

  if (format != NULL && strcmp (format, "json") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("contract export: --format “%s” is not known (json)"), format);
  k = tenure_contract_store_load (db, code, &error);
  if (k == NULL)
    return tenure_cli_fail_error (error);
  json = tenure_contract_to_json (k);
  printf ("%s\n", json);
  return TENURE_CLI_OK;
}

int
tenure_cli_contract (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autofree char *format = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  const char *sub;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("export: the output format (json, the default)"), N_("FORMAT") },
    { NULL }
  };

  context = tenure_cli_option_context (N_("import FILE | show CODE | export CODE"),
                                       _("Contracts: import a .json, .csv or .xlsx file (all or "
                                         "nothing; every problem is listed on stderr, one per "
                                         "line, exit status 4), show a contract's terms and "
                                         "versions, or export it as JSON "
                                         "(schema tenure.contract/1)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "contract", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("contract: missing subcommand (import, show or export)"));
  sub = argv[1];
  if (strcmp (sub, "import") != 0 && strcmp (sub, "show") != 0 && strcmp (sub, "export") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("contract: unknown subcommand “%s” (import, show or export)"),
                            sub);
  if (argc < 3)
    return tenure_cli_fail (TENURE_CLI_USAGE, strcmp (sub, "import") == 0
                            ? _("contract import: missing FILE")
                            : _("contract: missing contract CODE"));
  if (argc > 3)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("contract %s: unexpected argument “%s”"), sub,
                            argv[3]);
  if (format != NULL && strcmp (sub, "export") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("contract %s: --format is for export only"),
                            sub);

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  if (strcmp (sub, "import") == 0)
    return contract_import (db, argv[2]);
  if (strcmp (sub, "show") == 0)
    return contract_show (db, argv[2]);
  return contract_export (db, argv[2], format);
}
