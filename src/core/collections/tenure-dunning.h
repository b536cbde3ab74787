/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Dunning (催缴, domain.md §7, §11). For each contract (and currency) with overdue items on
 * the as-of date (open, due before it), days overdue count from the oldest overdue item and
 * the overdue amount is their sum. The highest level in dunning_level whose min_days_overdue
 * and min_amount are both met applies (a project's own levels replace the group defaults).
 * A notice level records a dunning_action of kind notice, status pending, on the level's
 * channel (delivery comes later); a task level one of kind task, status open.
 *
 * Never repeated: a level with a cadence is not issued again for the same contract within
 * cadence_days of its last issue; a level without cadence is issued once per overdue episode
 * (an episode ends when the contract's overdue balance reaches 0). Balances come from
 * tenure_open_items_load(). */

typedef struct
{
  gint64      id;               /* dunning_action.id; 0 in a dry run */
  gint64      contract_id;
  char       *contract_code;
  gint64      tenant_id;
  char       *tenant_code;
  char        currency[4];
  gint64      dunning_level_id;
  int         level;
  char       *level_name;
  char       *kind;             /* "notice" or "task" */
  char       *channel;          /* "email", "sms", "wecom", "letter" or NULL */
  gint64      overdue_amount;   /* minor units */
  TenureDate  oldest_due_date;
  int         days_overdue;
} TenureDunningAction;

typedef struct
{
  TenureDate  as_of;
  gboolean    dry_run;
  gint64      run_id;           /* dunning_run.id; 0 in a dry run */
  guint       notices, tasks;
  guint       contracts_overdue; /* contracts (and currencies) with overdue items */
  guint       repeats_skipped;   /* a level was due but issued within its cadence or episode */
  GPtrArray  *actions;          /* TenureDunningAction by contract code */
} TenureDunningResult;

void tenure_dunning_result_free (TenureDunningResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureDunningResult, tenure_dunning_result_free)

/* Runs dunning on @as_of: records a dunning_run with its counts and the actions it
 * produced, in one transaction; with @dry_run, computes the same and writes nothing.
 * *@out_result (may be NULL) gets what was produced. */
gboolean tenure_dunning_run (TenureDb              *db,
                             TenureDate             as_of,
                             gboolean               dry_run,
                             TenureDunningResult  **out_result,
                             GError               **error);

G_END_DECLS
