/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-plan-store"

#include "billing/tenure-plan-store.h"

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "contracts/tenure-contract-store.h"

#include <string.h>

#define JOB_KIND "bill-run"
#define LOCK_TIMEOUT_MS (60 * 1000)

struct _TenurePlanDiff
{
  gint64      contract_id;
  char       *contract_code;
  char       *currency;
  gint64      latest_version_id;
  TenureDate  latest_effective;
  GHashTable *version_ids;    /* version_no → gint64 id (boxed) */
  GHashTable *item_ids;       /* charge item code → gint64 id (boxed) */
  GPtrArray  *lines;          /* TenureReceivableLine: the new plan */
  GArray     *clause_seqs;    /* int per line: its clause's position among the version's
                               * clauses with that charge item, from 1 */
  GPtrArray  *changes;        /* Change */
  char       *fingerprint;    /* of the stored lines the diff was made against */
};

/* TenurePlanChange and what apply needs beyond it. */
typedef struct
{
  TenurePlanChange public;
  gint64           pending_id;     /* an unbilled difference line for the same billed line */
  gboolean         pending_same;   /* … which already carries this difference */
  gint64           clause_id;      /* of the billed line, for its difference line */
  int              clause_seq;     /* of the line (difference: of the billed line) */
  int              correction_no;  /* a new difference line's: 1 + the last correction's */
} Change;

void
tenure_stored_line_free (TenureStoredLine *line)
{
  if (line == NULL)
    return;
  g_free (line->charge_item);
  g_free (line->currency);
  g_free (line->status);
  g_free (line->trace_json);
  g_free (line);
}

static void
change_free (gpointer data)
{
  Change *change = data;

  g_free (change->public.charge_item);
  g_free (change);
}

void
tenure_plan_diff_free (TenurePlanDiff *diff)
{
  if (diff == NULL)
    return;
  g_free (diff->contract_code);
  g_free (diff->currency);
  g_clear_pointer (&diff->version_ids, g_hash_table_unref);
  g_clear_pointer (&diff->item_ids, g_hash_table_unref);
  g_clear_pointer (&diff->lines, g_ptr_array_unref);
  g_clear_pointer (&diff->clause_seqs, g_array_unref);
  g_clear_pointer (&diff->changes, g_ptr_array_unref);
  g_free (diff->fingerprint);
  g_free (diff);
}

GPtrArray *
tenure_plan_diff_get_changes (TenurePlanDiff *diff)
{
  return diff->changes;
}

static gboolean
change_writes (const Change *change)
{
  switch (change->public.kind)
    {
    case TENURE_PLAN_CHANGE_ADDED:
    case TENURE_PLAN_CHANGE_CHANGED:
    case TENURE_PLAN_CHANGE_REMOVED:
      return TRUE;
    case TENURE_PLAN_CHANGE_DIFFERENCE:
      return !change->pending_same;
    case TENURE_PLAN_CHANGE_UNCHANGED:
    case TENURE_PLAN_CHANGE_BILLED:
    default:
      return FALSE;
    }
}

guint
tenure_plan_diff_count_writes (TenurePlanDiff *diff)
{
  guint n = 0;

  for (guint i = 0; i < diff->changes->len; i++)
    if (change_writes (g_ptr_array_index (diff->changes, i)))
      n++;
  return n;
}

/* ---- reading the stored plan -------------------------------------------------------------- */

static TenureDate
column_date (TenureStmt *stmt,
             guint       col)
{
  TenureDate date = TENURE_DATE_INVALID;
  const char *text = tenure_stmt_column_text (stmt, col);

  if (text != NULL)
    tenure_date_parse_iso (text, &date, NULL);
  return date;
}

#define STORED_COLUMNS \
  "r.id, ci.code, r.kind, r.period_start, r.period_end, r.due_date, r.amount, r.tax, " \
  "r.currency, r.status, r.bill_id, r.corrects_line_id, v.version_no, r.trace, " \
  "r.contract_version_id, r.clause_id, r.clause_seq, r.correction_no "

static TenureStoredLine *
stored_line_from_row (TenureStmt *stmt)
{
  TenureStoredLine *line = g_new0 (TenureStoredLine, 1);

  line->id = tenure_stmt_column_int64 (stmt, 0);
  line->charge_item = g_strdup (tenure_stmt_column_text (stmt, 1));
  if (!tenure_line_kind_from_string (tenure_stmt_column_text (stmt, 2), &line->kind))
    line->kind = TENURE_LINE_NORMAL;
  line->period_start = column_date (stmt, 3);
  line->period_end = column_date (stmt, 4);
  line->due_date = column_date (stmt, 5);
  line->amount = tenure_stmt_column_int64 (stmt, 6);
  line->tax = tenure_stmt_column_int64 (stmt, 7);
  line->currency = g_strdup (tenure_stmt_column_text (stmt, 8));
  line->status = g_strdup (tenure_stmt_column_text (stmt, 9));
  line->bill_id = tenure_stmt_column_int64 (stmt, 10);
  line->corrects_line_id = tenure_stmt_column_int64 (stmt, 11);
  line->version_no = (int) tenure_stmt_column_int64 (stmt, 12);
  line->trace_json = g_strdup (tenure_stmt_column_text (stmt, 13));
  return line;
}

/* The lines of CONTRACT_ID the plan manages (not late fees, not superseded), by id, and a
 * fingerprint of their state for apply's check that nothing changed in between. */
/* Besides the ids of version and clause, each stored line's identity: OUT_SEQS gets its
 * clause_seq, OUT_CORRECTIONS its correction_no (int each). */
static GPtrArray *
read_stored (TenureDb     *db,
             gint64        contract_id,
             GArray      **out_version_ids,
             GArray      **out_clause_ids,
             GArray      **out_seqs,
             GArray      **out_corrections,
             char        **out_fingerprint,
             GError      **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GArray) version_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) clause_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) corrections = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  stmt = tenure_db_prepare (db,
                            "SELECT " STORED_COLUMNS
                            "FROM receivable_line r "
                            "JOIN charge_item ci ON ci.id = r.charge_item_id "
                            "JOIN contract_version v ON v.id = r.contract_version_id "
                            "WHERE r.contract_id = $1 AND r.status <> 'superseded' "
                            "AND r.kind <> 'late_fee' ORDER BY r.id",
                            error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, contract_id);
  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_stored_line_free);
  while (tenure_stmt_step (stmt, &local_error))
    {
      TenureStoredLine *line = stored_line_from_row (stmt);
      gint64 version_id = tenure_stmt_column_int64 (stmt, 14);
      gint64 clause_id = tenure_stmt_column_int64 (stmt, 15);
      int seq = (int) tenure_stmt_column_int64 (stmt, 16);
      int correction = (int) tenure_stmt_column_int64 (stmt, 17);
      g_autofree char *row = NULL;

      row = g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                             "|%d|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%s\n",
                             line->id, line->status, line->amount, line->tax,
                             (int) line->due_date, line->bill_id, version_id,
                             line->trace_json != NULL ? line->trace_json : "");
      g_checksum_update (sum, (const guchar *) row, -1);
      g_ptr_array_add (lines, line);
      g_array_append_val (version_ids, version_id);
      g_array_append_val (clause_ids, clause_id);
      g_array_append_val (seqs, seq);
      g_array_append_val (corrections, correction);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (out_version_ids != NULL)
    *out_version_ids = g_steal_pointer (&version_ids);
  if (out_clause_ids != NULL)
    *out_clause_ids = g_steal_pointer (&clause_ids);
  if (out_seqs != NULL)
    *out_seqs = g_steal_pointer (&seqs);
  if (out_corrections != NULL)
    *out_corrections = g_steal_pointer (&corrections);
  *out_fingerprint = g_strdup (g_checksum_get_string (sum));
  return g_steal_pointer (&lines);
}

static gint64 *
boxed_id (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

static gboolean
read_item_ids (TenureDb    *db,
               GHashTable  *item_ids,
               GError     **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, "SELECT id, code FROM charge_item", error);
  g_autoptr(GError) local_error = NULL;

  if (stmt == NULL)
    return FALSE;
  while (tenure_stmt_step (stmt, &local_error))
    g_hash_table_insert (item_ids, g_strdup (tenure_stmt_column_text (stmt, 1)),
                         boxed_id (tenure_stmt_column_int64 (stmt, 0)));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* A plan line's identity across versions (the unique index receivable_line_plan_key of
 * migration 0004 without the version, which a regenerated line may change). */
static char *
line_key (const char     *item,
          int             clause_seq,
          TenureLineKind  kind,
          TenureDate      period_start)
{
  return g_strdup_printf ("%s|%d|%d|%d", item, clause_seq, (int) kind, (int) period_start);
}

/* LINE's clause's position (from 1) among the clauses of its version with the same charge
 * item: the 2nd RENT clause of a version is 2 in every version, as the plan engine matches
 * clauses across versions. 1 when the line names no clause of CONTRACT. */
static int
clause_seq_of (const TenureContract       *contract,
               const TenureReceivableLine *line)
{
  for (guint i = 0; contract->versions != NULL && i < contract->versions->len; i++)
    {
      const TenureContractVersion *v = g_ptr_array_index (contract->versions, i);
      const TenureClause *clause;
      int seq = 1;

      if (v->version_no != line->version_no)
        continue;
      if (v->clauses == NULL || line->clause_index < 0
          || (guint) line->clause_index >= v->clauses->len)
        return 1;
      clause = g_ptr_array_index (v->clauses, line->clause_index);
      for (int j = 0; j < line->clause_index; j++)
        {
          const TenureClause *other = g_ptr_array_index (v->clauses, j);

          if (g_strcmp0 (other->charge_item, clause->charge_item) == 0)
            seq++;
        }
      return seq;
    }
  return 1;
}

/* ---- the diff ----------------------------------------------------------------------------- */

static Change *
change_new (TenurePlanChangeKind kind,
            const char          *item,
            TenureLineKind       line_kind,
            TenureDate           period_start,
            TenureDate           period_end)
{
  Change *change = g_new0 (Change, 1);

  change->public.kind = kind;
  change->public.charge_item = g_strdup (item);
  change->public.line_kind = line_kind;
  change->public.period_start = period_start;
  change->public.period_end = period_end;
  return change;
}

/* The stored trace of a new line, as written: the same text means the same line. */
static char *
line_trace_json (const TenureReceivableLine *line)
{
  return line->trace != NULL ? tenure_trace_to_json (line->trace) : NULL;
}

static gint64
version_id_of (TenurePlanDiff *diff,
               int             version_no)
{
  gint64 *id = g_hash_table_lookup (diff->version_ids, GINT_TO_POINTER (version_no));

  return id != NULL ? *id : 0;
}

/* BASE is billed; NEW_AMOUNT/NEW_TAX is what the plan says now (0 when dropped). */
static Change *
billed_change (TenurePlanDiff          *diff,
               const TenureStoredLine  *base,
               GPtrArray               *stored,
               gint64                   base_clause_id,
               int                      base_seq,
               GArray                  *corrections,
               gint64                   new_amount,
               gint64                   new_tax,
               TenureDate               new_due,
               const TenureReceivableLine *line,
               Change                 **out_pending_removal)
{
  gint64 billed = base->amount, billed_tax = base->tax;
  const TenureStoredLine *pending = NULL;
  int last_correction = 0;
  Change *change;

  *out_pending_removal = NULL;
  for (guint i = 0; i < stored->len; i++)
    {
      const TenureStoredLine *s = g_ptr_array_index (stored, i);

      if (s->kind != TENURE_LINE_DIFFERENCE || s->corrects_line_id != base->id)
        continue;
      last_correction = MAX (last_correction, g_array_index (corrections, int, i));
      if (g_strcmp0 (s->status, "billed") == 0)
        {
          billed += s->amount;
          billed_tax += s->tax;
        }
      else
        pending = s;
    }

  if (new_amount == billed && new_tax == billed_tax)
    {
      change = change_new (TENURE_PLAN_CHANGE_BILLED, base->charge_item, base->kind,
                           base->period_start, base->period_end);
      change->public.stored_line_id = base->id;
      change->public.old_amount = billed;
      change->public.new_amount = new_amount;
      change->public.due_date = base->due_date;
      change->public.line = line;
      if (pending != NULL)
        {
          Change *removal = change_new (TENURE_PLAN_CHANGE_REMOVED, base->charge_item,
                                        TENURE_LINE_DIFFERENCE, base->period_start,
                                        base->period_end);
          removal->public.stored_line_id = pending->id;
          removal->public.old_amount = pending->amount;
          removal->public.due_date = pending->due_date;
          *out_pending_removal = removal;
        }
      return change;
    }

  change = change_new (TENURE_PLAN_CHANGE_DIFFERENCE, base->charge_item, base->kind,
                       base->period_start, base->period_end);
  change->public.stored_line_id = base->id;
  change->public.old_amount = billed;
  change->public.new_amount = new_amount;
  change->public.difference = new_amount - billed;
  change->public.difference_tax = new_tax - billed_tax;
  /* Due when the change takes effect, never before the period's own due date. */
  change->public.due_date = MAX (new_due, diff->latest_effective);
  change->public.line = line;
  change->clause_id = base_clause_id;
  change->clause_seq = base_seq;
  change->correction_no = last_correction + 1;
  if (pending != NULL)
    {
      change->pending_id = pending->id;
      change->pending_same = pending->amount == change->public.difference
                             && pending->tax == change->public.difference_tax
                             && pending->due_date == change->public.due_date;
    }
  return change;
}

static gboolean
compute_changes (TenureDb        *db,
                 TenurePlanDiff  *diff,
                 GError         **error)
{
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GArray) version_ids = NULL;
  g_autoptr(GArray) clause_ids = NULL;
  g_autoptr(GArray) seqs = NULL;
  g_autoptr(GArray) corrections = NULL;
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) matched = g_hash_table_new (g_direct_hash, g_direct_equal);

  g_clear_pointer (&diff->changes, g_ptr_array_unref);
  g_clear_pointer (&diff->fingerprint, g_free);
  stored = read_stored (db, diff->contract_id, &version_ids, &clause_ids, &seqs, &corrections,
                        &diff->fingerprint, error);
  if (stored == NULL)
    return FALSE;
  diff->changes = g_ptr_array_new_with_free_func (change_free);

  for (guint i = 0; i < stored->len; i++)
    {
      TenureStoredLine *s = g_ptr_array_index (stored, i);

      if (s->kind != TENURE_LINE_DIFFERENCE)
        g_hash_table_insert (by_key, line_key (s->charge_item, g_array_index (seqs, int, i),
                                               s->kind, s->period_start),
                             GUINT_TO_POINTER (i + 1));
    }

  for (guint i = 0; i < diff->lines->len; i++)
    {
      const TenureReceivableLine *line = g_ptr_array_index (diff->lines, i);
      int seq = g_array_index (diff->clause_seqs, int, i);
      g_autofree char *key = line_key (line->charge_item, seq, line->kind, line->period_start);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (by_key, key));
      const TenureStoredLine *s;
      Change *change;

      if (index == 0)
        {
          change = change_new (TENURE_PLAN_CHANGE_ADDED, line->charge_item, line->kind,
                               line->period_start, line->period_end);
          change->public.new_amount = line->amount;
          change->public.due_date = line->due_date;
          change->public.line = line;
          change->clause_seq = seq;
          g_ptr_array_add (diff->changes, change);
          continue;
        }
      s = g_ptr_array_index (stored, index - 1);
      g_hash_table_add (matched, GUINT_TO_POINTER (index));
      if (g_strcmp0 (s->status, "billed") == 0)
        {
          Change *removal = NULL;

          change = billed_change (diff, s, stored, g_array_index (clause_ids, gint64, index - 1),
                                  seq, corrections, line->amount, line->tax, line->due_date,
                                  line, &removal);
          g_ptr_array_add (diff->changes, change);
          if (removal != NULL)
            g_ptr_array_add (diff->changes, removal);
        }
      else
        {
          g_autofree char *json = line_trace_json (line);
          gboolean same = s->amount == line->amount && s->tax == line->tax
                          && s->due_date == line->due_date && s->period_end == line->period_end
                          && g_strcmp0 (s->currency, line->currency) == 0
                          && g_array_index (version_ids, gint64, index - 1)
                             == version_id_of (diff, line->version_no)
                          && g_strcmp0 (s->trace_json, json) == 0;

          change = change_new (same ? TENURE_PLAN_CHANGE_UNCHANGED : TENURE_PLAN_CHANGE_CHANGED,
                               line->charge_item, line->kind, line->period_start,
                               line->period_end);
          change->public.stored_line_id = s->id;
          change->public.old_amount = s->amount;
          change->public.new_amount = line->amount;
          change->public.due_date = line->due_date;
          change->public.line = line;
          g_ptr_array_add (diff->changes, change);
        }
    }

  /* Stored lines the new plan no longer has. */
  for (guint i = 0; i < stored->len; i++)
    {
      const TenureStoredLine *s = g_ptr_array_index (stored, i);
      Change *change, *removal = NULL;

      if (s->kind == TENURE_LINE_DIFFERENCE
          || g_hash_table_contains (matched, GUINT_TO_POINTER (i + 1)))
        continue;
      if (g_strcmp0 (s->status, "billed") == 0)
        {
          change = billed_change (diff, s, stored, g_array_index (clause_ids, gint64, i),
                                  g_array_index (seqs, int, i), corrections, 0, 0,
                                  s->due_date, NULL, &removal);
          g_ptr_array_add (diff->changes, change);
          if (removal != NULL)
            g_ptr_array_add (diff->changes, removal);
          continue;
        }
      change = change_new (TENURE_PLAN_CHANGE_REMOVED, s->charge_item, s->kind,
                           s->period_start, s->period_end);
      change->public.stored_line_id = s->id;
      change->public.old_amount = s->amount;
      change->public.due_date = s->due_date;
      g_ptr_array_add (diff->changes, change);
    }
  return TRUE;
}

TenurePlanDiff *
tenure_plan_diff_lines (TenureDb              *db,
                        const TenureContract  *contract,
                        GPtrArray             *lines,
                        GError               **error)
{
  g_autoptr(TenurePlanDiff) diff = g_new0 (TenurePlanDiff, 1);
  g_autoptr(GPtrArray) owned = lines;
  const TenureContractVersion *latest;

  g_return_val_if_fail (TENURE_IS_DB (db), NULL);
  g_return_val_if_fail (contract != NULL && lines != NULL, NULL);

  if (contract->id <= 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Contract %s is not stored: save it before storing its plan."),
                   contract->code != NULL ? contract->code : "?");
      return NULL;
    }
  diff->contract_id = contract->id;
  diff->contract_code = g_strdup (contract->code);
  diff->currency = g_strdup (contract->currency != NULL ? contract->currency : "CNY");
  diff->version_ids = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  diff->item_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; contract->versions != NULL && i < contract->versions->len; i++)
    {
      const TenureContractVersion *v = g_ptr_array_index (contract->versions, i);

      if (v->id <= 0)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Contract %s: version %d is not stored."), contract->code,
                       v->version_no);
          return NULL;
        }
      g_hash_table_insert (diff->version_ids, GINT_TO_POINTER (v->version_no), boxed_id (v->id));
    }
  latest = tenure_contract_version_at (contract, TENURE_DATE_MAX);
  if (latest == NULL && contract->versions != NULL && contract->versions->len > 0)
    latest = g_ptr_array_index (contract->versions, contract->versions->len - 1);
  if (latest == NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Contract %s has no version."), contract->code);
      return NULL;
    }
  diff->latest_version_id = latest->id;
  diff->latest_effective = latest->effective_from;
  if (!read_item_ids (db, diff->item_ids, error))
    return NULL;

  for (guint i = 0; i < lines->len; i++)
    {
      const TenureReceivableLine *line = g_ptr_array_index (lines, i);

      if (line->kind != TENURE_LINE_NORMAL && line->kind != TENURE_LINE_TOPUP)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Contract %s: the plan has a %s line for %s; a plan holds only normal "
                         "and top-up lines."), contract->code,
                       tenure_line_kind_to_string (line->kind), line->charge_item);
          return NULL;
        }
      if (!g_hash_table_contains (diff->item_ids, line->charge_item))
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                       _("Contract %s: unknown charge item “%s”."), contract->code,
                       line->charge_item);
          return NULL;
        }
      if (version_id_of (diff, line->version_no) == 0)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("Contract %s: a plan line refers to version %d, which it does not "
                         "have."), contract->code, line->version_no);
          return NULL;
        }
    }
  diff->clause_seqs = g_array_sized_new (FALSE, FALSE, sizeof (int), lines->len);
  for (guint i = 0; i < lines->len; i++)
    {
      int seq = clause_seq_of (contract, g_ptr_array_index (lines, i));

      g_array_append_val (diff->clause_seqs, seq);
    }
  diff->lines = g_steal_pointer (&owned);
  if (!compute_changes (db, diff, error))
    return NULL;
  return g_steal_pointer (&diff);
}

TenurePlanDiff *
tenure_plan_diff (TenureDb                 *db,
                  const TenureContract     *contract,
                  const TenurePlanContext  *context,
                  GError                  **error)
{
  GPtrArray *lines = tenure_plan_generate (contract, context, error);

  if (lines == NULL)
    return NULL;
  return tenure_plan_diff_lines (db, contract, lines, error);
}

/* ---- applying ----------------------------------------------------------------------------- */

static void
bind_id_or_null (TenureStmt *stmt,
                 guint       param,
                 gint64      id)
{
  if (id > 0)
    tenure_stmt_bind_int64 (stmt, param, id);
  else
    tenure_stmt_bind_null (stmt, param);
}

static char *
difference_trace (const Change *change)
{
  g_autoptr(TenureTrace) trace = tenure_trace_new ("difference");
  g_autofree char *billed = g_strdup_printf ("%" G_GINT64_FORMAT, change->public.old_amount);
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, change->public.new_amount);
  g_autofree char *line = g_strdup_printf ("%" G_GINT64_FORMAT, change->public.stored_line_id);

  tenure_trace_set_input (trace, "billed", billed);
  tenure_trace_set_input (trace, "new", now);
  tenure_trace_set_input (trace, "corrects_line_id", line);
  trace->exact = tenure_exact_int (change->public.difference);
  trace->rounded = change->public.difference;
  trace->tax = change->public.difference_tax;
  return tenure_trace_to_json (trace);
}

static gboolean
expect_one (TenureStmt      *stmt,
            TenurePlanDiff  *diff,
            GError         **error)
{
  if (!tenure_stmt_run (stmt, error))
    return FALSE;
  if (tenure_stmt_changes (stmt) != 1)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED,
                   _("The stored plan of contract %s changed while it was being written."),
                   diff->contract_code);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_changes (TenureDb        *db,
               TenurePlanDiff  *diff,
               GError         **error)
{
  g_autoptr(TenureStmt) insert = NULL;
  g_autoptr(TenureStmt) update = NULL;
  g_autoptr(TenureStmt) delete = NULL;

  insert = tenure_db_prepare (db,
                              "INSERT INTO receivable_line (contract_id, contract_version_id, "
                              "clause_id, charge_item_id, kind, period_start, period_end, "
                              "due_date, amount, tax, currency, trace, corrects_line_id, "
                              "clause_seq, correction_no) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                              "$14, $15)",
                              error);
  update = tenure_db_prepare (db,
                              "UPDATE receivable_line SET contract_version_id = $2, "
                              "clause_id = $3, period_end = $4, due_date = $5, amount = $6, "
                              "tax = $7, currency = $8, trace = $9 "
                              "WHERE id = $1 AND status = 'planned'",
                              error);
  delete = tenure_db_prepare (db,
                              "DELETE FROM receivable_line WHERE id = $1 AND status = 'planned'",
                              error);
  if (insert == NULL || update == NULL || delete == NULL)
    return FALSE;

  for (guint i = 0; i < diff->changes->len; i++)
    {
      Change *change = g_ptr_array_index (diff->changes, i);
      const TenurePlanChange *c = &change->public;
      const TenureReceivableLine *line = c->line;
      char d1[TENURE_DATE_ISO_BUF_SIZE], d2[TENURE_DATE_ISO_BUF_SIZE];
      char d3[TENURE_DATE_ISO_BUF_SIZE];
      g_autofree char *json = NULL;

      switch (c->kind)
        {
        case TENURE_PLAN_CHANGE_ADDED:
          json = line_trace_json (line);
          tenure_stmt_reset (insert);
          tenure_stmt_bind_int64 (insert, 1, diff->contract_id);
          tenure_stmt_bind_int64 (insert, 2, version_id_of (diff, line->version_no));
          bind_id_or_null (insert, 3, line->clause_id);
          tenure_stmt_bind_int64 (insert, 4,
                                  *(gint64 *) g_hash_table_lookup (diff->item_ids,
                                                                   line->charge_item));
          tenure_stmt_bind_text (insert, 5, tenure_line_kind_to_string (line->kind));
          tenure_stmt_bind_text (insert, 6, tenure_date_format_iso_buf (line->period_start, d1));
          tenure_stmt_bind_text (insert, 7, tenure_date_format_iso_buf (line->period_end, d2));
          tenure_stmt_bind_text (insert, 8, tenure_date_format_iso_buf (line->due_date, d3));
          tenure_stmt_bind_int64 (insert, 9, line->amount);
          tenure_stmt_bind_int64 (insert, 10, line->tax);
          tenure_stmt_bind_text (insert, 11, line->currency != NULL ? line->currency
                                                                    : diff->currency);
          tenure_stmt_bind_text (insert, 12, json);
          tenure_stmt_bind_null (insert, 13);
          tenure_stmt_bind_int64 (insert, 14, change->clause_seq);
          tenure_stmt_bind_int64 (insert, 15, 0);
          if (!tenure_stmt_run (insert, error))
            return FALSE;
          break;

        case TENURE_PLAN_CHANGE_CHANGED:
          json = line_trace_json (line);
          tenure_stmt_reset (update);
          tenure_stmt_bind_int64 (update, 1, c->stored_line_id);
          tenure_stmt_bind_int64 (update, 2, version_id_of (diff, line->version_no));
          bind_id_or_null (update, 3, line->clause_id);
          tenure_stmt_bind_text (update, 4, tenure_date_format_iso_buf (line->period_end, d2));
          tenure_stmt_bind_text (update, 5, tenure_date_format_iso_buf (line->due_date, d3));
          tenure_stmt_bind_int64 (update, 6, line->amount);
          tenure_stmt_bind_int64 (update, 7, line->tax);
          tenure_stmt_bind_text (update, 8, line->currency != NULL ? line->currency
                                                                   : diff->currency);
          tenure_stmt_bind_text (update, 9, json);
          if (!expect_one (update, diff, error))
            return FALSE;
          break;

        case TENURE_PLAN_CHANGE_REMOVED:
          tenure_stmt_reset (delete);
          tenure_stmt_bind_int64 (delete, 1, c->stored_line_id);
          if (!expect_one (delete, diff, error))
            return FALSE;
          break;

        case TENURE_PLAN_CHANGE_DIFFERENCE:
          if (change->pending_same)
            break;
          json = difference_trace (change);
          if (change->pending_id > 0)
            {
              tenure_stmt_reset (update);
              tenure_stmt_bind_int64 (update, 1, change->pending_id);
              tenure_stmt_bind_int64 (update, 2, diff->latest_version_id);
              bind_id_or_null (update, 3, change->clause_id);
              tenure_stmt_bind_text (update, 4, tenure_date_format_iso_buf (c->period_end, d2));
              tenure_stmt_bind_text (update, 5, tenure_date_format_iso_buf (c->due_date, d3));
              tenure_stmt_bind_int64 (update, 6, c->difference);
              tenure_stmt_bind_int64 (update, 7, c->difference_tax);
              tenure_stmt_bind_text (update, 8, diff->currency);
              tenure_stmt_bind_text (update, 9, json);
              if (!expect_one (update, diff, error))
                return FALSE;
              break;
            }
          tenure_stmt_reset (insert);
          tenure_stmt_bind_int64 (insert, 1, diff->contract_id);
          tenure_stmt_bind_int64 (insert, 2, diff->latest_version_id);
          bind_id_or_null (insert, 3, change->clause_id);
          tenure_stmt_bind_int64 (insert, 4,
                                  *(gint64 *) g_hash_table_lookup (diff->item_ids,
                                                                   c->charge_item));
          tenure_stmt_bind_text (insert, 5, "difference");
          tenure_stmt_bind_text (insert, 6, tenure_date_format_iso_buf (c->period_start, d1));
          tenure_stmt_bind_text (insert, 7, tenure_date_format_iso_buf (c->period_end, d2));
          tenure_stmt_bind_text (insert, 8, tenure_date_format_iso_buf (c->due_date, d3));
          tenure_stmt_bind_int64 (insert, 9, c->difference);
          tenure_stmt_bind_int64 (insert, 10, c->difference_tax);
          tenure_stmt_bind_text (insert, 11, diff->currency);
          tenure_stmt_bind_text (insert, 12, json);
          tenure_stmt_bind_int64 (insert, 13, c->stored_line_id);
          tenure_stmt_bind_int64 (insert, 14, change->clause_seq);
          tenure_stmt_bind_int64 (insert, 15, change->correction_no);
          if (!tenure_stmt_run (insert, error))
            return FALSE;
          break;

        case TENURE_PLAN_CHANGE_UNCHANGED:
        case TENURE_PLAN_CHANGE_BILLED:
        default:
          break;
        }
    }
  return TRUE;
}

gboolean
tenure_plan_diff_apply (TenureDb        *db,
                        TenurePlanDiff  *diff,
                        GError         **error)
{
  g_autoptr(TenureJobLock) lock = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (diff != NULL, FALSE);

  if (tenure_plan_diff_count_writes (diff) == 0)
    return TRUE;
  lock = tenure_db_lock_job (db, JOB_KIND, LOCK_TIMEOUT_MS, NULL, error);
  if (lock == NULL)
    return FALSE;
  if (!tenure_db_begin (db, error))
    return FALSE;
  stored = read_stored (db, diff->contract_id, NULL, NULL, NULL, NULL, &fingerprint, error);
  if (stored == NULL)
    goto fail;
  if (g_strcmp0 (fingerprint, diff->fingerprint) != 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_FAILED,
                   _("The stored plan of contract %s changed since this preview (a bill run?); "
                     "preview the change again."), diff->contract_code);
      goto fail;
    }
  if (!write_changes (db, diff, error) || !tenure_db_commit (db, error))
    goto fail;
  return TRUE;

fail:
  tenure_db_rollback (db);
  return FALSE;
}

gboolean
tenure_plan_store_regenerate (TenureDb    *db,
                              const char  *contract_code,
                              guint       *out_writes,
                              GError     **error)
{
  g_autoptr(TenureContract) contract = NULL;
  g_autoptr(TenurePlanLookups) lookups = NULL;
  g_autoptr(TenurePlanDiff) diff = NULL;
  TenurePlanContext context = { 0 };

  contract = tenure_contract_store_load (db, contract_code, error);
  if (contract == NULL)
    return FALSE;
  lookups = tenure_plan_lookups_new (db, contract, error);
  if (lookups == NULL)
    return FALSE;
  tenure_plan_lookups_context (lookups, &context);
  diff = tenure_plan_diff (db, contract, &context, error);
  if (diff == NULL)
    return FALSE;
  if (out_writes != NULL)
    *out_writes = tenure_plan_diff_count_writes (diff);
  return tenure_plan_diff_apply (db, diff, error);
}

GPtrArray *
tenure_plan_store_load (TenureDb    *db,
                        const char  *contract_code,
                        GError     **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  gint64 contract_id = 0;

  stmt = tenure_db_prepare (db, "SELECT id FROM contract WHERE code = $1", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, contract_code);
  if (!tenure_stmt_step (stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("There is no contract “%s”."), contract_code);
      return NULL;
    }
  contract_id = tenure_stmt_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = tenure_db_prepare (db,
                            "SELECT " STORED_COLUMNS
                            "FROM receivable_line r "
                            "JOIN charge_item ci ON ci.id = r.charge_item_id "
                            "JOIN contract_version v ON v.id = r.contract_version_id "
                            "WHERE r.contract_id = $1 AND r.status <> 'superseded' "
                            "ORDER BY r.due_date, ci.code, r.period_start, r.kind, r.id",
                            error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_int64 (stmt, 1, contract_id);
  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_stored_line_free);
  while (tenure_stmt_step (stmt, &local_error))
    g_ptr_array_add (lines, stored_line_from_row (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&lines);
}
