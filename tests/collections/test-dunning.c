/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-dunning"

/* Dunning runs on SQLite and PostgreSQL over contracts billed through the engines: the
 * default levels of domain.md §11 (L1 ≥ 1 day and L2 ≥ 15 days every 7 days, L3 ≥ 30 and
 * L4 ≥ 60 days once, all only from 100.00), cadence (no repeat on day d + 3, a repeat on
 * d + 7), once-per-episode tasks, a project's own levels, the threshold, dry runs. */

#include "collections/tenure-dunning.h"
#include "recon-fixture.h"

/* C1: T1 in P1, 10,000.00 a month from 2025-01-01; C2: T2 in P2, one 1,000.00 due
 * 2025-01-01; C3: T3 in P1, one 99.99 due 2025-01-01 (below the threshold); C4: T4 in P2,
 * one 400.00 due 2025-01-01. P2 has its own single level: from 5 days and 500.00, every 3
 * days, by SMS. January billed. */
static void
dunning_fixture (Fixture *f)
{
  save_contract (f, "C1", "T1", "P1", "U1", NULL, D (2025, 1, 1), D (2025, 12, 31), "RENT",
                 1000000, TENURE_DATE_INVALID);
  save_contract (f, "C2", "T2", "P2", "U3", NULL, D (2025, 1, 1), D (2025, 12, 31),
                 "PROPERTY_FEE", 100000, D (2025, 1, 1));
  save_contract (f, "C3", "T3", "P1", "U2", NULL, D (2025, 1, 1), D (2025, 12, 31),
                 "PROPERTY_FEE", 9999, D (2025, 1, 1));
  save_contract (f, "C4", "T4", "P2", "U4", NULL, D (2025, 1, 1), D (2025, 12, 31),
                 "PROPERTY_FEE", 40000, D (2025, 1, 1));
  exec_sql (f->db,
            "INSERT INTO dunning_level (project_id, level, name, min_days_overdue, min_amount, "
            "  cadence_days, action, channel) "
            "SELECT id, 1, 'Project reminder', 5, 50000, 3, 'notice', 'sms' FROM project "
            "WHERE code = 'P2'");
  bill_month (f, 2025, 1);
}

static TenureDunningResult *
run (Fixture    *f,
     TenureDate  as_of,
     gboolean    dry_run)
{
  TenureDunningResult *result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tenure_dunning_run (f->db, as_of, dry_run, &result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static const TenureDunningAction *
action_of (TenureDunningResult *result,
           const char          *contract)
{
  for (guint i = 0; i < result->actions->len; i++)
    {
      const TenureDunningAction *a = result->actions->pdata[i];

      if (g_strcmp0 (a->contract_code, contract) == 0)
        return a;
    }
  return NULL;
}

static void
assert_action (TenureDunningResult *result,
               const char          *contract,
               int                  level,
               const char          *kind,
               const char          *channel,
               gint64               amount,
               int                  days)
{
  const TenureDunningAction *a = action_of (result, contract);

  g_assert_nonnull (a);
  g_assert_cmpint (a->level, ==, level);
  g_assert_cmpstr (a->kind, ==, kind);
  g_assert_cmpstr (a->channel, ==, channel);
  g_assert_cmpint (a->overdue_amount, ==, amount);
  g_assert_cmpint (a->days_overdue, ==, days);
  g_assert_true (result->dry_run || a->id > 0);
}

static void
test_levels_and_cadence (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TenureDunningResult) r = NULL;

  if (f->db == NULL)
    return;
  dunning_fixture (f);

  /* Day d = 2025-01-02: C1 one day overdue, L1 by email. Nothing for C2 (its project wants 5
   * days), C3 (99.99) or C4. Nothing is overdue on the due day itself. */
  r = run (f, D (2025, 1, 1), FALSE);
  g_assert_cmpuint (r->actions->len, ==, 0);
  g_assert_cmpuint (r->contracts_overdue, ==, 0);
  g_clear_pointer (&r, tenure_dunning_result_free);
  r = run (f, D (2025, 1, 2), FALSE);
  g_assert_cmpuint (r->actions->len, ==, 1);
  g_assert_cmpuint (r->contracts_overdue, ==, 4);
  assert_action (r, "C1", 1, "notice", "email", 1000000, 1);
  g_assert_cmpuint (r->notices, ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM dunning_action a "
                                     "JOIN contract c ON c.id = a.contract_id "
                                     "WHERE c.code = 'C1' AND a.status = 'pending' "
                                     "AND a.kind = 'notice' AND a.channel = 'email' "
                                     "AND a.oldest_due_date = '2025-01-01' "
                                     "AND a.overdue_amount = 1000000"), ==, 1);
  g_clear_pointer (&r, tenure_dunning_result_free);

  /* d + 3: no repeat. */
  r = run (f, D (2025, 1, 5), FALSE);
  g_assert_null (action_of (r, "C1"));
  g_assert_cmpuint (r->repeats_skipped, ==, 1);
  g_clear_pointer (&r, tenure_dunning_result_free);

  /* Day 5 of C2: its project's level, by SMS; C4 stays below 500.00. */
  r = run (f, D (2025, 1, 6), FALSE);
  assert_action (r, "C2", 1, "notice", "sms", 100000, 5);
  g_assert_cmpuint (r->actions->len, ==, 1);
  g_clear_pointer (&r, tenure_dunning_result_free);

  /* d + 7: L1 again for C1; C2 again after its 3 days. */
  r = run (f, D (2025, 1, 9), FALSE);
  assert_action (r, "C1", 1, "notice", "email", 1000000, 8);
  assert_action (r, "C2", 1, "notice", "sms", 100000, 8);
  g_clear_pointer (&r, tenure_dunning_result_free);

  /* 15 days: L2 for C1; C2 keeps its project's only level (the defaults do not apply). */
  r = run (f, D (2025, 1, 16), FALSE);
  assert_action (r, "C1", 2, "notice", "email", 1000000, 15);
  assert_action (r, "C2", 1, "notice", "sms", 100000, 15);
  g_clear_pointer (&r, tenure_dunning_result_free);

  /* 30 days: L3, a task, once. */
  r = run (f, D (2025, 1, 31), FALSE);
  assert_action (r, "C1", 3, "task", NULL, 1000000, 30);
  g_assert_cmpuint (r->tasks, ==, 1);
  g_clear_pointer (&r, tenure_dunning_result_free);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM dunning_action "
                                     "WHERE kind = 'task' AND status = 'open'"), ==, 1);
  r = run (f, D (2025, 2, 1), FALSE);
  g_assert_null (action_of (r, "C1"));
  g_clear_pointer (&r, tenure_dunning_result_free);
  g_assert_null (action_of (r = run (f, D (2025, 2, 9), FALSE), "C1"));
  g_clear_pointer (&r, tenure_dunning_result_free);

  /* Never anything for C3 (99.99) or C4 (400.00 < its project's 500.00). */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM dunning_action a "
                                     "JOIN contract c ON c.id = a.contract_id "
                                     "WHERE c.code IN ('C3', 'C4')"), ==, 0);
  /* Every run recorded with its counts. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM dunning_run"), ==, 9);
  g_assert_cmpint (query_int (f->db, "SELECT sum (notices) FROM dunning_run"), ==,
                   query_int (f->db, "SELECT count(*) FROM dunning_action "
                                     "WHERE kind = 'notice'"));
  g_assert_cmpint (query_int (f->db, "SELECT notices FROM dunning_run "
                                     "WHERE as_of = '2025-01-09'"), ==, 2);
}

/* A task is issued once per overdue episode: after the overdue balance reached 0 a new
 * episode may bring it again. A dry run writes nothing. */
static void
test_episodes (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TenureDunningResult) r = NULL;
  gint64 actions, runs;

  if (f->db == NULL)
    return;
  dunning_fixture (f);
  r = run (f, D (2025, 1, 31), FALSE);
  assert_action (r, "C1", 3, "task", NULL, 1000000, 30);
  g_clear_pointer (&r, tenure_dunning_result_free);

  /* January paid on 02-01 (nothing was overdue that day: February is due on it). */
  pay (f, "T1", NULL, 1000000, D (2025, 2, 1), line_id (f, "C1", D (2025, 1, 1)), 1000000);
  bill_month (f, 2025, 2);
  bill_month (f, 2025, 3);

  /* A dry run on 02-05: L1 for C1's February (4 days), computed but not written. */
  actions = query_int (f->db, "SELECT count(*) FROM dunning_action");
  runs = query_int (f->db, "SELECT count(*) FROM dunning_run");
  r = run (f, D (2025, 2, 5), TRUE);
  assert_action (r, "C1", 1, "notice", "email", 1000000, 4);
  g_assert_cmpint (r->run_id, ==, 0);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM dunning_action"), ==, actions);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM dunning_run"), ==, runs);
  g_clear_pointer (&r, tenure_dunning_result_free);

  /* 03-03: February 30 days overdue, March 2: 20,000.00, a new episode, so L3 again. */
  r = run (f, D (2025, 3, 3), FALSE);
  assert_action (r, "C1", 3, "task", NULL, 2000000, 30);
  g_clear_pointer (&r, tenure_dunning_result_free);
  r = run (f, D (2025, 3, 10), FALSE);
  g_assert_null (action_of (r, "C1"));
  g_clear_pointer (&r, tenure_dunning_result_free);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM dunning_action a "
                                     "JOIN contract c ON c.id = a.contract_id "
                                     "WHERE c.code = 'C1' AND a.kind = 'task'"), ==, 2);

  /* 59 days after February's due date still L3 (already issued); 60 days (04-02): L4. */
  r = run (f, D (2025, 4, 1), FALSE);
  g_assert_null (action_of (r, "C1"));
  g_clear_pointer (&r, tenure_dunning_result_free);
  r = run (f, D (2025, 4, 2), FALSE);
  assert_action (r, "C1", 4, "task", NULL, 2000000, 60);
  g_clear_pointer (&r, tenure_dunning_result_free);
}

int
main (int argc, char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/dunning/levels-and-cadence", Fixture, NULL, fixture_set_up,
              test_levels_and_cadence, fixture_tear_down);
  g_test_add ("/dunning/episodes", Fixture, NULL, fixture_set_up, test_episodes,
              fixture_tear_down);
  return g_test_run ();
}
