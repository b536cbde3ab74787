/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "base/tenure-error.h"
#include "base/tenure-money.h"
#include "collections/tenure-match.h"

/* tenure-cli bank match: the auto-matching run (domain.md §7), and the queue, confirm and
 * reject for a person. */

static void
csv_field (const char *text,
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
             const char *currency)
{
  return tenure_money_format_plain (tenure_money_new (minor, tenure_currency_lookup (currency)));
}

/* IDs given on the command line, each a positive whole number. */
static gboolean
parse_ids (int      argc,
           char   **argv,
           GArray  *ids)
{
  for (int i = 1; i < argc; i++)
    {
      char *end = NULL;
      gint64 id = g_ascii_strtoll (argv[i], &end, 10);

      if (end == argv[i] || *end != '\0' || id <= 0)
        {
          tenure_cli_fail (TENURE_CLI_USAGE, _("bank match: “%s” is not a match id"), argv[i]);
          return FALSE;
        }
      g_array_append_val (ids, id);
    }
  return TRUE;
}

static int
print_queue (TenureDb *db,
             guint     limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queue = tenure_bank_queue_load (db, limit, &error);

  if (queue == NULL)
    return tenure_cli_fail_error (error);
  printf ("line,booked_on,amount,currency,payer_name,payer_account,memo,status,match,step,"
          "reason,confidence,tenant,items\n");
  for (guint i = 0; i < queue->len; i++)
    {
      const TenureBankQueueLine *l = queue->pdata[i];
      char booked[TENURE_DATE_ISO_BUF_SIZE];
      g_autofree char *line_id = g_strdup_printf ("%" G_GINT64_FORMAT, l->line_id);
      g_autofree char *amount = amount_text (l->amount, l->currency);

      for (guint k = 0; k < MAX (l->proposals->len, 1); k++)
        {
          const TenureBankMatchEntry *e = k < l->proposals->len ? l->proposals->pdata[k] : NULL;
          g_autofree char *id = e != NULL ? g_strdup_printf ("%" G_GINT64_FORMAT, e->id) : NULL;
          g_autofree char *step = e != NULL ? g_strdup_printf ("%d", e->step) : NULL;
          g_autofree char *confidence = e != NULL ? g_strdup_printf ("%d", e->confidence)
                                                  : NULL;
          g_autoptr(GString) items = g_string_new (NULL);

          for (guint j = 0; e != NULL && j < e->items->len; j++)
            {
              const TenureMatchItem *it = &g_array_index (e->items, TenureMatchItem, j);
              g_autofree char *a = amount_text (it->amount, l->currency);

              g_string_append_printf (items, "%s%" G_GINT64_FORMAT ":%s", j > 0 ? ";" : "",
                                      it->bill_line_id, a);
            }
          csv_field (line_id, FALSE);
          csv_field (tenure_date_format_iso_buf (l->booked_on, booked), FALSE);
          csv_field (amount, FALSE);
          csv_field (l->currency, FALSE);
          csv_field (l->payer_name, FALSE);
          csv_field (l->payer_account, FALSE);
          csv_field (l->memo, FALSE);
          csv_field (l->status, FALSE);
          csv_field (id, FALSE);
          csv_field (step, FALSE);
          csv_field (e != NULL ? e->reason : NULL, FALSE);
          csv_field (confidence, FALSE);
          csv_field (e != NULL ? e->tenant_code : NULL, FALSE);
          csv_field (items->str, TRUE);
        }
    }
  return TENURE_CLI_OK;
}

static void
print_stats (const TenureBankMatchStats *s,
             gboolean                    dry_run)
{
  printf (_("Lines looked at: %u\n"), s->lines);
  printf (_("Auto-confirmed (confidence ≥ %d): %u\n"), s->threshold, s->auto_confirmed);
  printf (_("Proposed for a person: %u\n"), s->proposed - s->auto_confirmed);
  printf (_("Unmatched (no proposal): %u\n"), s->unmatched);
  printf (_("By step of the best proposal: reference %u, payer %u, amount near due date %u, "
            "none %u\n"), s->by_step[1], s->by_step[2], s->by_step[3], s->by_step[0]);
  printf (_("By best confidence: 95–100: %u, 80–94: %u, 50–79: %u, below 50: %u\n"),
          s->by_band[0], s->by_band[1], s->by_band[2], s->by_band[3]);
  if (dry_run)
    printf (_("Dry run: nothing was written.\n"));
}

int
tenure_cli_bank_match (int argc, char **argv)
{
  g_autofree char *location = NULL;
  g_autofree char *posting = NULL;
  int threshold = 0, confirm_above = -1, limit = 0;
  gboolean dry_run = FALSE, queue = FALSE, confirm = FALSE, reject = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  TenureBankMatchOptions options = { 0 };
  TenureBankMatchStats stats;
  TenureDate posting_date = TENURE_DATE_INVALID;
  int exit_code = 0;
  GOptionEntry entries[] = {
    { "auto-confirm-above", 0, 0, G_OPTION_ARG_INT, &threshold,
      N_("Confirm proposals of at least this confidence (0–100; default: the setting "
         "matching.auto_confirm, else 95); 101 confirms none"), N_("C") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Match and count; write nothing"), NULL },
    { "posting-date", 0, 0, G_OPTION_ARG_STRING, &posting,
      N_("Posting date of the receipts (default: each line's booked date)"),
      N_("YYYY-MM-DD") },
    { "queue", 0, 0, G_OPTION_ARG_NONE, &queue,
      N_("List the lines waiting for a person and their proposals (CSV)"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_("With --queue: at most this many lines"), N_("N") },
    { "confirm", 0, 0, G_OPTION_ARG_NONE, &confirm,
      N_("Confirm the proposals whose ids follow"), NULL },
    { "confirm-all-above", 0, 0, G_OPTION_ARG_INT, &confirm_above,
      N_("Confirm every proposal of at least this confidence that is its line’s only one"),
      N_("C") },
    { "reject", 0, 0, G_OPTION_ARG_NONE, &reject,
      N_("Reject the proposals whose ids follow"), NULL },
    { "db", 0, 0, G_OPTION_ARG_STRING, &location,
      N_("Database (default: the embedded database)"), N_("LOCATION") },
    { NULL }
  };

  context = tenure_cli_option_context (_("[ID…]"),
                                       _("Match the unmatched bank lines to open items: a "
                                         "bill or contract number in the memo, the payer "
                                         "(account, name, learned aliases), or an amount near "
                                         "a due date. Proposals at or above the threshold are "
                                         "confirmed as receipts with their allocations; the "
                                         "others wait in the queue. Prints the counts by step "
                                         "and confidence."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!tenure_cli_parse (context, "bank match", &argc, &argv))
    return TENURE_CLI_USAGE;
  if ((queue ? 1 : 0) + (confirm ? 1 : 0) + (reject ? 1 : 0) + (confirm_above >= 0 ? 1 : 0) > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bank match: choose one of --queue, --confirm, "
                                                "--confirm-all-above and --reject"));
  if (threshold < 0 || threshold > 101 || confirm_above > 100 || limit < 0)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bank match: a confidence is from 0 to 100"));
  if ((confirm || reject) && argc < 2)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bank match: missing match ids"));
  if (!confirm && !reject && argc > 1)
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bank match: unexpected argument “%s”"),
                            argv[1]);
  if (!parse_ids (argc, argv, ids))
    return TENURE_CLI_USAGE;
  if (posting != NULL && !tenure_date_parse_iso (posting, &posting_date, &error))
    return tenure_cli_fail (TENURE_CLI_USAGE, _("bank match: --posting-date: %s"),
                            error->message);

  db = tenure_cli_open_db (location, NULL, TENURE_DB_OPEN_DEFAULT, &exit_code);
  if (db == NULL)
    return exit_code;

  if (queue)
    return print_queue (db, (guint) limit);
  if (reject)
    {
      for (guint i = 0; i < ids->len; i++)
        if (!tenure_bank_match_reject (db, g_array_index (ids, gint64, i), &error))
          return tenure_cli_fail_error (error);
      printf (_("Rejected: %u\n"), ids->len);
      return TENURE_CLI_OK;
    }
  if (confirm || confirm_above >= 0)
    {
      gint n = tenure_bank_match_confirm_bulk (db, (const gint64 *) ids->data, ids->len,
                                               MAX (confirm_above, 0), posting_date, &error);

      if (n < 0)
        return tenure_cli_fail_error (error);
      printf (_("Confirmed: %d\n"), n);
      return TENURE_CLI_OK;
    }

  options.auto_confirm = threshold;
  options.dry_run = dry_run;
  options.posting_date = posting_date;
  if (!tenure_bank_match_run (db, &options, &stats, &error))
    return tenure_cli_fail_error (error);
  print_stats (&stats, dry_run);
  return TENURE_CLI_OK;
}
