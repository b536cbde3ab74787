/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"
#include "collections/tenure-open-item.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Auto-matching of bank lines (domain.md §7, §11): the cascade
 *   1. a bill or contract number in the memo, amount = its open balance;
 *   2. payer account or name → tenant (alias table, the tenant's own account and names;
 *      a parent company pays for its subsidiaries), amount = one open item or bill, or the
 *      tenant's open items taken oldest first;
 *   3. amount = exactly one open item within ±N days of its due date (suggestion only);
 *   4. nothing: the line waits in the unmatched queue.
 * Each proposal carries its step, a reason code, details (JSON), a confidence 0–100 and the
 * open items it pays with amounts. Only credits, and only items of the line's currency.
 *
 * TenureMatcher is pure and in memory (no database): fill it, call prepare, then match lines.
 * Lookups go through hash maps keyed by reference, payer and amount, so matching n lines costs
 * about n hash lookups each. tenure_bank_match_run() and friends below persist the results. */

#define TENURE_MATCH_DEFAULT_AUTO_CONFIRM 95
#define TENURE_MATCH_DEFAULT_WINDOW_DAYS  10

typedef enum
{
  TENURE_MATCH_ALIAS_ACCOUNT,
  TENURE_MATCH_ALIAS_NAME,
} TenureMatchAliasKind;

/* One bank line to match. Strings may be NULL. */
typedef struct
{
  gint64       id;              /* the caller's (bank_statement_line.id) */
  gint64       amount;          /* minor units; only credits (> 0) are matched */
  const char  *currency;        /* NULL: CNY */
  TenureDate   booked_on;
  const char  *payer_name;
  const char  *payer_account;
  const char  *memo;
} TenureMatchLine;

typedef struct
{
  gint64 bill_line_id;
  gint64 amount;               /* > 0, ≤ the item's open amount */
} TenureMatchItem;

typedef struct
{
  int         step;            /* 1–3 */
  const char *reason;          /* static: "memo_reference", "payer_single_item", … */
  char       *detail;          /* JSON object, or NULL */
  int         confidence;      /* 0–100 */
  gint64      tenant_id;
  GArray     *items;           /* TenureMatchItem, in allocation order */
  gint64      total;           /* Σ items' amounts (= the line's amount, or less) */
  gboolean    suggestion_only; /* never confirmed without a person, whatever the threshold:
                                  a reference with a typo or swapped digits, evidence that
                                  disagrees (the payer is someone else), an amount that
                                  fits several items or none exactly, several payers */
} TenureMatchProposal;

void tenure_match_proposal_free (TenureMatchProposal *proposal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureMatchProposal, tenure_match_proposal_free)

typedef struct _TenureMatcher TenureMatcher;

TenureMatcher *tenure_matcher_new      (void);
void           tenure_matcher_free     (TenureMatcher *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureMatcher, tenure_matcher_free)

/* ±days around an item's due date for step 3 (default 10). */
void tenure_matcher_set_window_days    (TenureMatcher *self,
                                        int            days);

/* A tenant: its names and own bank account identify it as a payer; @parent_id (0: none)
 * lets the parent pay the tenant's items. */
void tenure_matcher_add_tenant         (TenureMatcher *self,
                                        gint64         id,
                                        const char    *code,
                                        const char    *name,
                                        const char    *short_name,
                                        gint64         parent_id,
                                        const char    *bank_account);

/* A learned payer alias (payer_alias row); @value raw or normalised. */
void tenure_matcher_add_alias          (TenureMatcher        *self,
                                        gint64                tenant_id,
                                        TenureMatchAliasKind  kind,
                                        const char           *value);

/* An open item (copied). Add them in allocation order (as tenure_open_items_load returns
 * them): within a bill, that order decides which lines a partial payment pays first. */
void tenure_matcher_add_item           (TenureMatcher        *self,
                                        const TenureOpenItem *item);

/* Builds the indexes; call once after adding everything and before matching. */
void tenure_matcher_prepare            (TenureMatcher *self);

/* The proposals for @line (TenureMatchProposal), best first; empty for the unmatched queue.
 * Read only: several threads may match at once (but not while consuming). */
GPtrArray *tenure_matcher_match        (TenureMatcher          *self,
                                        const TenureMatchLine  *line);

/* Takes @proposal's amounts off its items (after confirming it), so later lines of the same
 * run see what is left. Not thread-safe. */
void tenure_matcher_consume            (TenureMatcher             *self,
                                        const TenureMatchProposal *proposal);

/* The proposal to confirm without a person, or NULL: the best proposal when it comes from
 * step 1 or 2, is not suggestion_only, its confidence ≥ @threshold, and no other proposal
 * reaches @threshold. */
TenureMatchProposal *tenure_match_auto_pick (GPtrArray *proposals,
                                             int        threshold);

/* Normalised forms, as stored in payer_alias.value and used as keys: a reference keeps
 * ASCII letters and digits, upper-cased, after folding full-width forms (NFKC); an account
 * the same; a name is NFKC, case-folded, without spaces and punctuation. */
char *tenure_match_normalize_reference (const char *text);
char *tenure_match_normalize_account   (const char *text);
char *tenure_match_normalize_name      (const char *text);

/* Persistence ---------------------------------------------------------------------------- */

typedef struct
{
  int         auto_confirm;    /* 0: setting "matching.auto_confirm", else 95; > 100: never */
  int         window_days;     /* 0: setting "matching.window_days", else 10 */
  gboolean    dry_run;         /* match and count, write nothing */
  TenureDate  posting_date;    /* of confirmed receipts; TENURE_DATE_INVALID: the line's date */
} TenureBankMatchOptions;

typedef struct
{
  guint lines;                 /* unmatched credit lines looked at */
  guint proposed;              /* lines with at least one proposal */
  guint unmatched;             /* lines left without proposal */
  guint auto_confirmed;
  guint by_step[4];            /* lines by the step of their best proposal (0: none) */
  guint by_band[4];            /* best confidence: ≥ 95, 80–94, 50–79, < 50 */
  guint proposals;             /* bank_match rows written */
  int   threshold;             /* the auto-confirm threshold used */
} TenureBankMatchStats;

/* Matches every unmatched bank line against the open items: writes bank_match and
 * bank_match_item rows (status 'proposed', the line 'suggested'), then confirms those at or
 * above the threshold (each in its own transaction; a failing confirmation leaves its
 * proposal for a person and is counted out of auto_confirmed). */
gboolean tenure_bank_match_run         (TenureDb                     *db,
                                        const TenureBankMatchOptions *options,
                                        TenureBankMatchStats         *stats,
                                        GError                      **error);

/* Confirms proposal @match_id in one transaction: a bank receipt for the line's payer and
 * tenant, allocated on the proposal's items, the match 'confirmed' (receipt, who, when), the
 * other proposals of the line 'rejected', the line 'matched', the payer's account and name
 * learned as aliases of the tenant. Refused (TENURE_ERROR_INVALID) when the match is not
 * proposed or an item is no longer open for the proposed amount; nothing is written then.
 * @posting_date TENURE_DATE_INVALID: the line's booked date. Returns the receipt id or 0. */
gint64   tenure_bank_match_confirm     (TenureDb    *db,
                                        gint64       match_id,
                                        TenureDate   posting_date,
                                        GError     **error);

/* Rejects proposal @match_id; the line goes back to 'unmatched' when no other proposal of it
 * is still proposed. */
gboolean tenure_bank_match_reject      (TenureDb    *db,
                                        gint64       match_id,
                                        GError     **error);

/* Confirms @ids (n_ids > 0), or, when @n_ids is 0, every proposed match with confidence ≥
 * @min_confidence that is the only proposal of its line. Each in its own transaction; stops
 * at the first failure when given ids. Returns the number confirmed, -1 on error. */
gint     tenure_bank_match_confirm_bulk (TenureDb      *db,
                                         const gint64  *ids,
                                         guint          n_ids,
                                         int            min_confidence,
                                         TenureDate     posting_date,
                                         GError       **error);

/* The queue for a person: one entry per bank line that is 'unmatched' or 'suggested'. */
typedef struct
{
  gint64      id;
  int         step;
  char       *reason;
  char       *detail;          /* JSON or NULL */
  int         confidence;
  gint64      tenant_id;       /* 0: none */
  char       *tenant_code;     /* or NULL */
  GArray     *items;           /* TenureMatchItem */
} TenureBankMatchEntry;

typedef struct
{
  gint64      line_id;
  TenureDate  booked_on;
  gint64      amount;
  char        currency[4];
  char       *payer_name, *payer_account, *memo, *bank_reference;  /* or NULL */
  char       *status;          /* "unmatched" or "suggested" */
  GPtrArray  *proposals;       /* TenureBankMatchEntry, best first (proposed ones only) */
} TenureBankQueueLine;

void tenure_bank_queue_line_free (TenureBankQueueLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureBankQueueLine, tenure_bank_queue_line_free)

/* Lines waiting for a person (TenureBankQueueLine), by booked date and id; at most @limit
 * (0: all). */
GPtrArray *tenure_bank_queue_load      (TenureDb    *db,
                                        guint        limit,
                                        GError     **error);

G_END_DECLS
