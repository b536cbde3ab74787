/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "collections/tenure-match.h"

G_BEGIN_DECLS

/* A labelled set of bank lines for measuring the matcher (issue 4 item 7), shared by
 * test-match-quality and bench-match. From one seed it builds, in memory, a portfolio
 * (tenants, some grouped under parent companies, contracts, open bills of one to three lines
 * with monthly amounts that repeat), learned payer aliases, and statement lines in fixed,
 * named shares of noise classes, each line labelled with what it truly pays. */

typedef enum
{
  MATCH_NOISE_CLEAN_REF,     /* the bill or contract number as it is, exact amount */
  MATCH_NOISE_TYPO,          /* one character of the number wrong */
  MATCH_NOISE_TRANSPOSED,    /* two neighbouring digits swapped */
  MATCH_NOISE_PARENT,        /* the parent company pays a subsidiary's bill */
  MATCH_NOISE_SPLIT,         /* a bill paid in two transfers */
  MATCH_NOISE_ALIAS_ONLY,    /* no number; payer known only from the alias table */
  MATCH_NOISE_AMOUNT_TWO,    /* unknown payer, no number, amount = two open bills */
  MATCH_NOISE_UNRELATED,     /* nothing to match (refunds, interest, other income) */
  MATCH_NOISE_N_CLASSES
} MatchNoiseClass;

const char *match_noise_class_name (MatchNoiseClass klass);

typedef struct
{
  gint64 bill_id;
  gint64 amount;
} MatchNoisePay;

typedef struct
{
  MatchNoiseClass  klass;
  TenureMatchLine  line;      /* strings owned by the set */
  GArray          *truth;     /* MatchNoisePay by bill id; empty: nothing to match */
} MatchNoiseLine;

typedef struct
{
  gint64  id;
  char   *code, *name, *short_name, *account;
  gint64  parent_id;
} MatchNoiseTenant;

typedef struct
{
  gint64                kind;   /* TenureMatchAliasKind */
  gint64                tenant_id;
  char                 *value;
} MatchNoiseAlias;

typedef struct
{
  guint32     seed;
  GPtrArray  *tenants;   /* MatchNoiseTenant */
  GPtrArray  *aliases;   /* MatchNoiseAlias */
  GPtrArray  *items;     /* TenureOpenItem, allocation order */
  GHashTable *bill_of_line; /* &bill_line_id → TenureOpenItem */
  GPtrArray  *lines;     /* MatchNoiseLine */
  GStringChunk *strings;
} MatchNoiseSet;

/* The shares of the classes, in per mille, in the order of MatchNoiseClass (sum 1000). */
extern const guint match_noise_shares[MATCH_NOISE_N_CLASSES];

/* A set of about @n_items open items and @n_lines lines (rounded per class). */
MatchNoiseSet *match_noise_generate (guint32 seed,
                                     guint   n_items,
                                     guint   n_lines);
void           match_noise_free     (MatchNoiseSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MatchNoiseSet, match_noise_free)

/* A prepared matcher over the set's tenants, aliases and items. */
TenureMatcher *match_noise_matcher  (const MatchNoiseSet *set);

/* Whether @proposal pays exactly what @line truly pays (per bill). */
gboolean       match_noise_correct  (const MatchNoiseSet      *set,
                                     const MatchNoiseLine     *line,
                                     const TenureMatchProposal *proposal);

G_END_DECLS
