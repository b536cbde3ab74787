/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "collections/tenure-aging.h"

/* A CSV field (RFC 4180): quoted only when it holds a comma, quote or line break. */
static void
print_field (const char *text,
             gboolean    last)
{
  if (text == NULL)
    text = "";
  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      putchar ('"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            putchar ('"');
          putchar (*p);
        }
      putchar ('"');
    }
  else
    fputs (text, stdout);
  putchar (last ? '\n' : ',');
}

static char *
amount_text (gint64      minor,
             const char *currency,
             gboolean    grouped)
{
  const TenureCurrency *cur = tenure_currency_lookup (currency);

  if (cur == NULL)
    cur = tenure_currency_default ();
  if (grouped)
    return tenure_money_format (tenure_money_new (minor, cur), TENURE_MONEY_FORMAT_NO_SYMBOL);
  return tenure_money_format_plain (tenure_money_new (minor, cur));
}

static void
print_csv_row (const char           *kind,
               const TenureAgingRow *row)
{
  g_autofree char *count = g_strdup_printf ("%u", row->count);

  print_field (kind, FALSE);
  print_field (row->group_code, FALSE);
  print_field (row->group_name, FALSE);
  print_field (row->currency, FALSE);
  for (int b = 0; b < TENURE_AGING_N_BUCKETS; b++)
    {
      g_autofree char *a = amount_text (row->amounts[b], row->currency, FALSE);

      print_field (a, FALSE);
    }
  {
    g_autofree char *t = amount_text (row->total, row->currency, FALSE);

    print_field (t, FALSE);
  }
  print_field (count, TRUE);
}

static void
print_text_row (const char           *label,
                const TenureAgingRow *row)
{
  printf ("%-24s %-3s", label, row->currency);
  for (int b = 0; b < TENURE_AGING_N_BUCKETS; b++)
    {
      g_autofree char *a = amount_text (row->amounts[b], row->currency, TRUE);

      printf (" %15s", a);
    }
  {
    g_autofree char *t = amount_text (row->total, row->currency, TRUE);

    printf (" %16s\n", t);
  }
}

static void
print_items (const TenureAgingReport *report)
{
  printf ("bucket,contract,bill,charge_item,due_date,days_past_due,amount,open,currency\n");
  for (guint r = 0; r < report->rows->len; r++)
    {
      const TenureAgingRow *row = report->rows->pdata[r];

      for (int b = 0; b < TENURE_AGING_N_BUCKETS; b++)
        for (guint i = 0; i < row->items[b]->len; i++)
          {
            const TenureOpenItem *item = row->items[b]->pdata[i];
            char due[TENURE_DATE_ISO_BUF_SIZE];
            g_autofree char *days = g_strdup_printf ("%d",
                                                     (int) (report->as_of - item->due_date));
            g_autofree char *amount = amount_text (item->amount, item->currency, FALSE);
            g_autofree char *open = amount_text (item->open, item->currency, FALSE);

            print_field (tenure_aging_bucket_key (b), FALSE);
            print_field (item->contract_code, FALSE);
            print_field (item->bill_code, FALSE);
            print_field (item->charge_item_code, FALSE);
            print_field (tenure_date_format_iso_buf (item->due_date, due), FALSE);
            print_field (days, FALSE);
            print_field (amount, FALSE);
            print_field (open, FALSE);
            print_field (item->currency, TRUE);
          }
    }
}

int
tenure_cli_aging (int argc, char **argv)
{
  g_autofree char *location = NULL, *as_of_text = NULL, *by_text = NULL, *format = NULL;
  g_autofree char *project = NULL, *tenant = NULL, *contract = NULL, *entity = NULL;
  g_autofree char *currency = NULL;
  gboolean items = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(TenureAgingReport) report = NULL;
  g_autoptr(GError) error = NULL;
  TenureAgingFilter filter = { 0 };
  TenureAgingGroupBy by = TENURE_AGING_BY_NONE;
  TenureDate as_of;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of_text,
      N_("Age the open items as of this day (required)"), N_("YYYY-MM-DD") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by_text,
      N_("One row per project, tenant or contract (default: one in all)"),
      N_("project|tenant|contract") },
    { "project", 0, 0, G_OPTION_ARG_STRING, &project, N_("Only this project"), N_("CODE") },
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, N_("Only this tenant"), N_("CODE") },
    { "contract", 0, 0, G_OPTION_ARG_STRING, &contract, N_("Only this contract"), N_("CODE") },
    { "entity", 0, 0, G_OPTION_ARG_STRING, &entity, N_("Only this legal entity"), N_("CODE") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("Only this currency"), N_("ISO") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format (default: text)"),
      N_("text|csv") },
    { "items", 0, 0, G_OPTION_ARG_NONE, &items,
      N_("List the open items behind the buckets instead (CSV)"), NULL },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context (NULL,
                                       _("Aging of the open items as of a day, by days past "
                                         "the due date: not due, 1–30, 31–60, 61–90, 91–180, "
                                         "181–365 and over 365 days, per group and currency, "
                                         "with totals (CSV columns in docs/cli.md)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "aging", &argc, &argv))
    return TENURE_CLI_USAGE;
  if (argc > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("aging: unexpected argument “%s”"), argv[1]);
  if (as_of_text == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("aging: --as-of YYYY-MM-DD is required"));
  if (!tenure_date_parse_iso (as_of_text, &as_of, &error))
    return tenure_cli_fail (TENURE_CLI_USAGE, _("aging: --as-of: %s"), error->message);
  if (by_text != NULL && !tenure_aging_group_by_from_string (by_text, &by))
    return tenure_cli_fail (TENURE_CLI_USAGE,
                            _("aging: --by “%s” is not project, tenant or contract"), by_text);
  if (format != NULL && strcmp (format, "text") != 0 && strcmp (format, "csv") != 0)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("aging: --format “%s” is not text or csv"),
                            format);
  if (currency != NULL && tenure_currency_lookup (currency) == NULL)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("aging: --currency “%s” is not a known "
                                                "ISO 4217 code"), currency);
  filter.project_code = project;
  filter.tenant_code = tenant;
  filter.contract_code = contract;
  filter.legal_entity_code = entity;
  filter.currency = currency;

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;
  report = tenure_aging (db, as_of, &filter, by, &error);
  if (report == NULL)
    return tenure_cli_fail_error (error);

  if (items)
    print_items (report);
  else if (format != NULL && strcmp (format, "csv") == 0)
    {
      /* Column names are fixed (not translated): scripts read them. */
      printf ("row,group,name,currency");
      for (int b = 0; b < TENURE_AGING_N_BUCKETS; b++)
        printf (",%s", tenure_aging_bucket_key (b));
      printf (",total,items\n");
      for (guint i = 0; i < report->rows->len; i++)
        print_csv_row (by == TENURE_AGING_BY_NONE ? "all" : "group", report->rows->pdata[i]);
      for (guint i = 0; i < report->totals->len; i++)
        print_csv_row ("total", report->totals->pdata[i]);
    }
  else
    {
      printf (_("Aging as of %s"), as_of_text);
      printf ("\n%-24s %-3s", by == TENURE_AGING_BY_PROJECT ? _("Project")
                              : by == TENURE_AGING_BY_TENANT ? _("Tenant")
                              : by == TENURE_AGING_BY_CONTRACT ? _("Contract") : "", "");
      for (int b = 0; b < TENURE_AGING_N_BUCKETS; b++)
        printf (" %15s", tenure_aging_bucket_label (b));
      printf (" %16s\n", _("Total"));
      if (by != TENURE_AGING_BY_NONE)
        for (guint i = 0; i < report->rows->len; i++)
          {
            const TenureAgingRow *row = report->rows->pdata[i];

            print_text_row (row->group_code != NULL ? row->group_code : "?", row);
          }
      for (guint i = 0; i < report->totals->len; i++)
        print_text_row (_("Total"), report->totals->pdata[i]);
      if (report->totals->len == 0)
        printf ("%s\n", _("No open items."));
    }
  return TENURE_CLI_OK;
}
