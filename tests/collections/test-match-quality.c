/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

/* Matching quality (issue 4 item 7): precision and recall of auto-confirmed matches on a
 * generated, labelled set of statement lines with noise in fixed, named shares
 * (match-noise.c). The auto-confirm threshold is chosen on seed A (the lowest threshold whose
 * precision on A is at least 99.9 %) and the figures are reported on seed B. */

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "match-noise.h"

#define SEED_A      20261127u
#define SEED_B      4099u
#define N_LINES     10000
#define N_ITEMS     40000
#define MIN_PRECISION 0.999
#define MIN_RECALL    0.90

typedef struct
{
  guint lines, with_truth, auto_confirmed, correct;
} Tally;

static void
measure (const MatchNoiseSet *set,
         TenureMatcher       *matcher,
         int                  threshold,
         Tally                by_class[MATCH_NOISE_N_CLASSES],
         Tally               *all)
{
  int debug_threshold = g_getenv ("MATCH_DEBUG") != NULL ? atoi (g_getenv ("MATCH_DEBUG")) : -1;

  memset (all, 0, sizeof *all);
  memset (by_class, 0, sizeof (Tally) * MATCH_NOISE_N_CLASSES);
  for (guint i = 0; i < set->lines->len; i++)
    {
      const MatchNoiseLine *l = set->lines->pdata[i];
      g_autoptr(GPtrArray) proposals = tenure_matcher_match (matcher, &l->line);
      TenureMatchProposal *pick = tenure_match_auto_pick (proposals, threshold);
      Tally *t = &by_class[l->klass];

      t->lines++;
      t->with_truth += l->truth->len > 0;
      if (pick != NULL)
        {
          gboolean ok = l->truth->len > 0 && match_noise_correct (set, l, pick);

          t->auto_confirmed++;
          t->correct += ok;
          /* MATCH_DEBUG=THRESHOLD shows the wrong confirmations at that threshold */
          if (!ok && debug_threshold == threshold)
            g_printerr ("wrong: %s %s %d memo=%s payer=%s/%s amount=%" G_GINT64_FORMAT
                        " detail=%s\n", match_noise_class_name (l->klass), pick->reason,
                        pick->confidence, l->line.memo, l->line.payer_name,
                        l->line.payer_account, l->line.amount, pick->detail);
        }
    }
  for (guint k = 0; k < MATCH_NOISE_N_CLASSES; k++)
    {
      all->lines += by_class[k].lines;
      all->with_truth += by_class[k].with_truth;
      all->auto_confirmed += by_class[k].auto_confirmed;
      all->correct += by_class[k].correct;
    }
}

static double
precision (const Tally *t)
{
  return t->auto_confirmed > 0 ? (double) t->correct / t->auto_confirmed : 1.0;
}

static double
recall (const Tally *t)
{
  return t->with_truth > 0 ? (double) t->correct / t->with_truth : 1.0;
}

static int chosen_threshold = 0;

static void
test_threshold_on_seed_a (void)
{
  g_autoptr(MatchNoiseSet) set = match_noise_generate (SEED_A, N_ITEMS, N_LINES);
  g_autoptr(TenureMatcher) matcher = match_noise_matcher (set);

  g_assert_cmpuint (set->lines->len, >=, 10000);
  g_test_message ("seed A = %u: %u lines, %u open items, %u tenants", SEED_A,
                  set->lines->len, set->items->len, set->tenants->len);
  guint best_correct = 0;

  g_test_message ("threshold  auto-confirmed  precision  recall");
  for (int threshold = 100; threshold >= 80; threshold--)
    {
      Tally by_class[MATCH_NOISE_N_CLASSES], all;

      measure (set, matcher, threshold, by_class, &all);
      g_test_message ("%9d  %14u  %8.3f%%  %5.2f%%", threshold, all.auto_confirmed,
                      100 * precision (&all), 100 * recall (&all));
      /* the best recall at the required precision; on a tie, the higher threshold */
      if (precision (&all) >= MIN_PRECISION && all.correct > best_correct)
        {
          chosen_threshold = threshold;
          best_correct = all.correct;
        }
    }
  g_test_message ("chosen auto-confirm threshold (best recall with precision >= 99.9%% on "
                  "seed A, the higher on a tie): %d", chosen_threshold);
  g_assert_cmpint (chosen_threshold, >=, 80);
  g_assert_cmpint (chosen_threshold, <=, 100);
}

static void
report (const MatchNoiseSet *set,
        int                  threshold,
        Tally               *all_out)
{
  g_autoptr(TenureMatcher) matcher = match_noise_matcher (set);
  Tally by_class[MATCH_NOISE_N_CLASSES], all;

  measure (set, matcher, threshold, by_class, &all);
  g_test_message ("seed %u, threshold %d: %u lines, %u open items", set->seed, threshold,
                  set->lines->len, set->items->len);
  g_test_message ("| class | share | lines | to match | auto-confirmed | correct | precision "
                  "| recall |");
  for (guint k = 0; k < MATCH_NOISE_N_CLASSES; k++)
    g_test_message ("| %s | %u %% | %u | %u | %u | %u | %.2f %% | %.2f %% |",
                    match_noise_class_name (k), match_noise_shares[k] / 10, by_class[k].lines,
                    by_class[k].with_truth, by_class[k].auto_confirmed, by_class[k].correct,
                    100 * precision (&by_class[k]), 100 * recall (&by_class[k]));
  g_test_message ("| all | 100 %% | %u | %u | %u | %u | %.3f %% | %.2f %% |", all.lines,
                  all.with_truth, all.auto_confirmed, all.correct, 100 * precision (&all),
                  100 * recall (&all));
  *all_out = all;
}

static void
test_report_on_seed_b (void)
{
  g_autoptr(MatchNoiseSet) set = match_noise_generate (SEED_B, N_ITEMS, N_LINES);
  Tally all;

  if (chosen_threshold == 0)
    test_threshold_on_seed_a ();
  report (set, chosen_threshold, &all);
  g_assert_cmpuint (all.lines, >=, 10000);
  g_assert_cmpfloat (precision (&all), >=, MIN_PRECISION);
  g_assert_cmpfloat (recall (&all), >=, MIN_RECALL);
}

/* The default threshold (95, domain.md §11) meets the goal on seed B as well. */
static void
test_default_threshold (void)
{
  g_autoptr(MatchNoiseSet) set = match_noise_generate (SEED_B, N_ITEMS, N_LINES);
  Tally all;

  report (set, TENURE_MATCH_DEFAULT_AUTO_CONFIRM, &all);
  g_assert_cmpfloat (precision (&all), >=, MIN_PRECISION);
  g_assert_cmpfloat (recall (&all), >=, MIN_RECALL);
}

/* Same seed, same set: the labels and lines do not depend on anything but the seed. */
static void
test_deterministic (void)
{
  g_autoptr(MatchNoiseSet) a = match_noise_generate (SEED_B, 5000, 1000);
  g_autoptr(MatchNoiseSet) b = match_noise_generate (SEED_B, 5000, 1000);

  g_assert_cmpuint (a->lines->len, ==, b->lines->len);
  g_assert_cmpuint (a->items->len, ==, b->items->len);
  for (guint i = 0; i < a->lines->len; i++)
    {
      const MatchNoiseLine *x = a->lines->pdata[i], *y = b->lines->pdata[i];

      g_assert_cmpint (x->klass, ==, y->klass);
      g_assert_cmpint (x->line.amount, ==, y->line.amount);
      g_assert_cmpstr (x->line.memo, ==, y->line.memo);
      g_assert_cmpstr (x->line.payer_account, ==, y->line.payer_account);
      g_assert_cmpuint (x->truth->len, ==, y->truth->len);
    }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/match/quality/deterministic", test_deterministic);
  g_test_add_func ("/match/quality/threshold-seed-a", test_threshold_on_seed_a);
  g_test_add_func ("/match/quality/report-seed-b", test_report_on_seed_b);
  g_test_add_func ("/match/quality/default-threshold", test_default_threshold);
  return g_test_run ();
}
