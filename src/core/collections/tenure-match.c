/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-match"

#include "collections/tenure-match.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "collections/tenure-receipt.h"

/* Longest reference (normalised) the memo scan looks for; longer codes are still matched
 * exactly by the hash map but not found in memos. */
#define MAX_REF_LEN 48
/* Memos are read up to this many normalised characters. */
#define MAX_MEMO_LEN 512

/* Confidences (0–100). Auto-confirm (default 95) takes only steps 1–2 with one candidate:
 * an exact reference with the exact open balance, or a known payer whose amount singles out
 * one bill or its oldest items. Anything fuzzy, partial or ambiguous stays below 95. */
enum
{
  CONF_REF_BILL           = 99,
  CONF_REF_BILLS          = 98,
  CONF_REF_CONTRACT_BILL  = 97,
  CONF_REF_CONTRACT_OLD   = 96,
  CONF_REF_PARTIAL_PAYER  = 95,  /* a partial payment of the named bill, by its own tenant */
  CONF_REF_PARTIAL        = 88,
  CONF_REF_CONTRACT_AMBIG = 85,
  CONF_REF_OVERPAID       = 80,
  CONF_REF_CONTRACT_PART  = 75,
  CONF_REF_FUZZY          = 85,  /* a one-typo or transposed reference, amount exact */
  CONF_REF_FUZZY_OTHER    = 70,
  CONF_REF_OTHER_PAYER    = 90,  /* cap when the payer is known to be someone else */
  CONF_PAYER_ACCOUNT      = 98,
  CONF_PAYER_NAME         = 97,
  CONF_PAYER_SEVERAL      = 85,  /* cap when the payer fits several tenants */
  CONF_PAYER_AMBIG        = 80,
  CONF_PAYER_PARTIAL      = 60,
  CONF_AMOUNT_NEAR_DUE    = 70,
};

typedef struct _MBill MBill;
typedef struct _MContract MContract;
typedef struct _MTenant MTenant;

typedef struct
{
  gint64      line_id;
  MBill      *bill;
  gint64      open;
  TenureDate  due;
  guint       seq;         /* input order: allocation order within a bill */
} MItem;

struct _MBill
{
  gint64      id;
  char       *code;
  MContract  *contract;
  MTenant    *tenant;
  char        currency[4];
  TenureDate  due;
  gint64      open;
  GPtrArray  *items;       /* MItem, allocation order */
};

struct _MContract
{
  char       *code;
  MTenant    *tenant;
  GPtrArray  *bills;       /* MBill, oldest first */
};

struct _MTenant
{
  gint64      id;
  char       *code;
  char       *key_name, *key_short;  /* normalised, for finding it named in a memo */
  gint64      parent_id;
  MTenant    *parent;
  GPtrArray  *children;    /* MTenant */
  GPtrArray  *bills;       /* MBill, oldest first */
};

typedef struct
{
  char       *key;         /* normalised */
  MBill      *bill;        /* either or both */
  MContract  *contract;
} MRef;

/* An item, or a bill of several lines, by its open amount when the matcher was prepared. */
typedef struct
{
  gint64      amount;
  TenureDate  due;
  guint       index;       /* into items, or bills when is_bill */
  gboolean    is_bill;
} AmountEntry;

struct _TenureMatcher
{
  int         window_days;
  gboolean    prepared;
  GPtrArray  *tenants;     /* MTenant */
  GPtrArray  *bills;       /* MBill */
  GPtrArray  *contracts;   /* MContract */
  GArray     *items;       /* MItem */
  GHashTable *tenant_by_id;
  GHashTable *bill_by_id;
  GHashTable *item_by_line; /* bill_line_id → MItem */
  GHashTable *contract_by_code;
  GPtrArray  *refs;        /* MRef */
  GHashTable *ref_by_key;  /* key → MRef */
  GHashTable *fuzzy;       /* 64-bit hash of key with one '?' → MRef index + 1, or AMBIGUOUS */
  guint64     ref_lengths; /* bit l: some key has length l */
  GHashTable *by_account;  /* normalised → GPtrArray of MTenant */
  GHashTable *by_name;
  GArray     *by_amount;   /* AmountEntry by amount and due date: step 3's window is a
                              hash lookup, a binary search in one amount's run, a scan */
  GHashTable *amount_runs; /* &amount of a run's first entry → its start + 1 */
};

#define FUZZY_AMBIGUOUS G_MAXSIZE

/* Normalisation ---------------------------------------------------------------------------- */

static char *
nfkc (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  for (const char *p = text; ; p++)
    {
      if (*p == '\0')
        return g_strdup (text);  /* ASCII: nothing to fold */
      if ((guchar) *p >= 0x80)
        break;
    }
  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup ("");
  return g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
}

/* The next character of @p folded as NFKC folds full-width forms (Ａ１－ → A1-), as ASCII,
 * or 0 for anything else; advances *@p. Enough for references and account numbers, and much
 * cheaper than normalising the whole text. */
static char
next_folded (const char **p)
{
  const guchar *s = (const guchar *) *p;
  gunichar c;

  if (*s < 0x80)
    {
      (*p)++;
      return (char) *s;
    }
  c = g_utf8_get_char_validated (*p, -1);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      (*p)++;
      return 0;
    }
  *p = g_utf8_next_char (*p);
  if (c >= 0xFF01 && c <= 0xFF5E)
    return (char) (c - 0xFEE0);
  return 0;
}

char *
tenure_match_normalize_reference (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text != NULL ? text : ""; *p != '\0'; )
    {
      char c = next_folded (&p);

      if (g_ascii_isalnum (c))
        g_string_append_c (out, g_ascii_toupper (c));
    }
  return g_string_free (out, FALSE);
}

char *
tenure_match_normalize_account (const char *text)
{
  return tenure_match_normalize_reference (text);
}

char *
tenure_match_normalize_name (const char *text)
{
  g_autofree char *folded = nfkc (text);
  g_autofree char *lower = g_utf8_casefold (folded, -1);
  GString *out = g_string_sized_new (strlen (lower));

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* The memo as one run of upper-case ASCII letters and digits, and where words begin in it
 * (after any other character): references are looked for only from those places, and
 * separators inside a reference ("BL-2026 11/0001") are ignored. */
static guint
scan_memo (const char *memo,
           char        out[MAX_MEMO_LEN + 1],
           guint       starts[MAX_MEMO_LEN],
           guint      *n_starts)
{
  gboolean after_sep = TRUE;
  guint n = 0;

  *n_starts = 0;
  for (const char *p = memo; *p != '\0' && n < MAX_MEMO_LEN; )
    {
      char c = next_folded (&p);

      if (!g_ascii_isalnum (c))
        {
          after_sep = TRUE;
          continue;
        }
      if (after_sep)
        starts[(*n_starts)++] = n;
      after_sep = FALSE;
      out[n++] = g_ascii_toupper (c);
    }
  out[n] = '\0';
  return n;
}

/* FNV-1a of @key with position @wild read as '?'. */
static guint64
hash_wild (const char *key,
           guint       len,
           guint       wild)
{
  guint64 h = 14695981039346656037ull;

  for (guint i = 0; i < len; i++)
    {
      h ^= (guchar) (i == wild ? '?' : key[i]);
      h *= 1099511628211ull;
    }
  /* never 0, so it can be a hash table key by value */
  return h | 1;
}

/* Building ----------------------------------------------------------------------------- */

static void
m_tenant_free (MTenant *t)
{
  g_free (t->code);
  g_free (t->key_name);
  g_free (t->key_short);
  g_ptr_array_unref (t->children);
  g_ptr_array_unref (t->bills);
  g_free (t);
}

static void
m_bill_free (MBill *b)
{
  g_free (b->code);
  g_ptr_array_unref (b->items);
  g_free (b);
}

static void
m_contract_free (MContract *c)
{
  g_free (c->code);
  g_ptr_array_unref (c->bills);
  g_free (c);
}

static void
m_ref_free (MRef *r)
{
  g_free (r->key);
  g_free (r);
}

void
tenure_match_proposal_free (TenureMatchProposal *proposal)
{
  if (proposal == NULL)
    return;
  g_free (proposal->detail);
  g_clear_pointer (&proposal->items, g_array_unref);
  g_free (proposal);
}

/**
 * tenure_matcher_new:
 *
 * An empty matcher: add tenants, aliases and open items, then prepare.
 */
TenureMatcher *
tenure_matcher_new (void)
{
  TenureMatcher *self = g_new0 (TenureMatcher, 1);

  self->window_days = TENURE_MATCH_DEFAULT_WINDOW_DAYS;
  self->tenants = g_ptr_array_new_with_free_func ((GDestroyNotify) m_tenant_free);
  self->bills = g_ptr_array_new_with_free_func ((GDestroyNotify) m_bill_free);
  self->contracts = g_ptr_array_new_with_free_func ((GDestroyNotify) m_contract_free);
  self->items = g_array_new (FALSE, TRUE, sizeof (MItem));
  self->tenant_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->bill_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->item_by_line = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->contract_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->refs = g_ptr_array_new_with_free_func ((GDestroyNotify) m_ref_free);
  self->ref_by_key = g_hash_table_new (g_str_hash, g_str_equal);
  /* keys are the 64-bit hashes themselves (never 0) */
  self->fuzzy = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->by_account = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
  self->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->by_amount = g_array_new (FALSE, FALSE, sizeof (AmountEntry));
  self->amount_runs = g_hash_table_new (g_int64_hash, g_int64_equal);
  return self;
}

/** tenure_matcher_free: frees @self and everything it holds. */
void
tenure_matcher_free (TenureMatcher *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->tenant_by_id);
  g_hash_table_unref (self->bill_by_id);
  g_hash_table_unref (self->item_by_line);
  g_hash_table_unref (self->contract_by_code);
  g_hash_table_unref (self->ref_by_key);
  g_hash_table_unref (self->fuzzy);
  g_hash_table_unref (self->by_account);
  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->amount_runs);
  g_array_unref (self->by_amount);
  g_ptr_array_unref (self->refs);
  g_ptr_array_unref (self->tenants);
  g_ptr_array_unref (self->bills);
  g_ptr_array_unref (self->contracts);
  g_array_unref (self->items);
  g_free (self);
}

/** tenure_matcher_set_window_days: the ±days of step 3. */
void
tenure_matcher_set_window_days (TenureMatcher *self,
                                int            days)
{
  self->window_days = MAX (days, 0);
}

static MTenant *
ensure_tenant (TenureMatcher *self,
               gint64         id)
{
  MTenant *t = g_hash_table_lookup (self->tenant_by_id, &id);

  if (t != NULL)
    return t;
  t = g_new0 (MTenant, 1);
  t->id = id;
  t->children = g_ptr_array_new ();
  t->bills = g_ptr_array_new ();
  g_ptr_array_add (self->tenants, t);
  g_hash_table_insert (self->tenant_by_id, &t->id, t);
  return t;
}

static void
index_payer (GHashTable *index,
             char       *key,      /* taken */
             MTenant    *tenant)
{
  GPtrArray *list;

  if (key == NULL || *key == '\0')
    {
      g_free (key);
      return;
    }
  list = g_hash_table_lookup (index, key);
  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (index, key, list);
    }
  else
    g_free (key);
  for (guint i = 0; i < list->len; i++)
    if (list->pdata[i] == tenant)
      return;
  g_ptr_array_add (list, tenant);
}

/**
 * tenure_matcher_add_tenant:
 *
 * Adds (or completes) tenant @id with its names, parent and own bank account.
 */
void
tenure_matcher_add_tenant (TenureMatcher *self,
                           gint64         id,
                           const char    *code,
                           const char    *name,
                           const char    *short_name,
                           gint64         parent_id,
                           const char    *bank_account)
{
  MTenant *t;

  g_return_if_fail (!self->prepared);
  t = ensure_tenant (self, id);
  g_free (t->code);
  t->code = g_strdup (code);
  t->parent_id = parent_id;
  g_free (t->key_name);
  g_free (t->key_short);
  t->key_name = tenure_match_normalize_name (name);
  t->key_short = tenure_match_normalize_name (short_name);
  index_payer (self->by_name, g_strdup (t->key_name), t);
  index_payer (self->by_name, g_strdup (t->key_short), t);
  index_payer (self->by_account, tenure_match_normalize_account (bank_account), t);
}

/** tenure_matcher_add_alias: a payer account or name learned for @tenant_id. */
void
tenure_matcher_add_alias (TenureMatcher        *self,
                          gint64                tenant_id,
                          TenureMatchAliasKind  kind,
                          const char           *value)
{
  g_return_if_fail (!self->prepared);
  if (kind == TENURE_MATCH_ALIAS_ACCOUNT)
    index_payer (self->by_account, tenure_match_normalize_account (value),
                 ensure_tenant (self, tenant_id));
  else
    index_payer (self->by_name, tenure_match_normalize_name (value),
                 ensure_tenant (self, tenant_id));
}

/** tenure_matcher_add_item: copies what matching needs of @item. */
void
tenure_matcher_add_item (TenureMatcher        *self,
                         const TenureOpenItem *item)
{
  MBill *bill;
  MItem mi = { 0 };

  g_return_if_fail (!self->prepared);
  if (item->open <= 0)
    return;
  bill = g_hash_table_lookup (self->bill_by_id, &item->bill_id);
  if (bill == NULL)
    {
      MContract *contract = g_hash_table_lookup (self->contract_by_code,
                                                 item->contract_code != NULL
                                                 ? item->contract_code : "");

      bill = g_new0 (MBill, 1);
      bill->id = item->bill_id;
      bill->code = g_strdup (item->bill_code != NULL ? item->bill_code : "");
      bill->tenant = ensure_tenant (self, item->tenant_id);
      g_strlcpy (bill->currency, item->currency, sizeof bill->currency);
      bill->due = item->due_date;
      bill->items = g_ptr_array_new ();
      g_ptr_array_add (self->bills, bill);
      g_hash_table_insert (self->bill_by_id, &bill->id, bill);
      if (contract == NULL && item->contract_code != NULL)
        {
          contract = g_new0 (MContract, 1);
          contract->code = g_strdup (item->contract_code);
          contract->tenant = bill->tenant;
          contract->bills = g_ptr_array_new ();
          g_ptr_array_add (self->contracts, contract);
          g_hash_table_insert (self->contract_by_code, contract->code, contract);
        }
      bill->contract = contract;
      if (contract != NULL)
        g_ptr_array_add (contract->bills, bill);
      g_ptr_array_add (bill->tenant->bills, bill);
    }
  bill->open += item->open;
  bill->due = MIN (bill->due, item->due_date);
  mi.line_id = item->bill_line_id;
  mi.bill = bill;
  mi.open = item->open;
  mi.due = item->due_date;
  mi.seq = self->items->len;
  g_array_append_val (self->items, mi);
}

static int
compare_bills (gconstpointer a,
               gconstpointer b)
{
  const MBill *x = *(MBill * const *) a;
  const MBill *y = *(MBill * const *) b;

  if (x->due != y->due)
    return x->due < y->due ? -1 : 1;
  return x->id < y->id ? -1 : (x->id > y->id);
}

static int
compare_amount_entries (gconstpointer a,
                        gconstpointer b)
{
  const AmountEntry *x = a, *y = b;

  if (x->amount != y->amount)
    return x->amount < y->amount ? -1 : 1;
  if (x->due != y->due)
    return x->due < y->due ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static void
add_ref (TenureMatcher *self,
         const char    *code,
         MBill         *bill,
         MContract     *contract)
{
  g_autofree char *key = tenure_match_normalize_reference (code);
  guint len = strlen (key);
  MRef *ref;

  if (len == 0)
    return;
  ref = g_hash_table_lookup (self->ref_by_key, key);
  if (ref == NULL)
    {
      ref = g_new0 (MRef, 1);
      ref->key = g_steal_pointer (&key);
      g_ptr_array_add (self->refs, ref);
      g_hash_table_insert (self->ref_by_key, ref->key, ref);
      if (len <= MAX_REF_LEN)
        {
          gsize index = self->refs->len;  /* + 1 */

          self->ref_lengths |= G_GUINT64_CONSTANT (1) << len;
          /* The fuzzy map needs distinct keys per slot: short codes are too easily hit by
           * a typo of something else to be worth it. */
          if (len >= 6)
            for (guint p = 0; p < len; p++)
              {
                gpointer wild = GSIZE_TO_POINTER (hash_wild (ref->key, len, p));
                gsize old = GPOINTER_TO_SIZE (g_hash_table_lookup (self->fuzzy, wild));

                g_hash_table_insert (self->fuzzy, wild,
                                     GSIZE_TO_POINTER (old == 0 || old == index
                                                       ? index : FUZZY_AMBIGUOUS));
              }
        }
    }
  if (bill != NULL)
    ref->bill = ref->bill != NULL && ref->bill != bill ? NULL : bill;
  if (contract != NULL)
    ref->contract = contract;
}

/**
 * tenure_matcher_prepare:
 *
 * Sorts each tenant's and contract's bills oldest first and builds the reference, payer and
 * amount indexes.
 */
void
tenure_matcher_prepare (TenureMatcher *self)
{
  g_return_if_fail (!self->prepared);

  for (guint i = 0; i < self->items->len; i++)
    {
      MItem *mi = &g_array_index (self->items, MItem, i);

      g_ptr_array_add (mi->bill->items, mi);
      g_hash_table_insert (self->item_by_line, &mi->line_id, mi);
    }
  for (guint i = 0; i < self->tenants->len; i++)
    {
      MTenant *t = self->tenants->pdata[i];

      if (t->parent_id != 0 && t->parent_id != t->id)
        {
          t->parent = g_hash_table_lookup (self->tenant_by_id, &t->parent_id);
          if (t->parent != NULL)
            g_ptr_array_add (t->parent->children, t);
        }
      g_ptr_array_sort (t->bills, compare_bills);
    }
  for (guint i = 0; i < self->contracts->len; i++)
    {
      MContract *c = self->contracts->pdata[i];

      g_ptr_array_sort (c->bills, compare_bills);
      add_ref (self, c->code, NULL, c);
    }

  for (guint i = 0; i < self->bills->len; i++)
    {
      MBill *b = self->bills->pdata[i];
      AmountEntry e = { b->open, b->due, i, TRUE };

      add_ref (self, b->code, b, NULL);
      if (b->items->len >= 2)
        g_array_append_val (self->by_amount, e);
    }
  for (guint i = 0; i < self->items->len; i++)
    {
      MItem *mi = &g_array_index (self->items, MItem, i);
      AmountEntry e = { mi->open, mi->due, i, FALSE };

      g_array_append_val (self->by_amount, e);
    }
  g_array_sort (self->by_amount, compare_amount_entries);
  for (guint i = 0; i < self->by_amount->len; i++)
    {
      AmountEntry *e = &g_array_index (self->by_amount, AmountEntry, i);

      if (i == 0 || e[-1].amount != e->amount)
        g_hash_table_insert (self->amount_runs, &e->amount, GUINT_TO_POINTER (i + 1));
    }
  self->prepared = TRUE;
}

/* Matching ------------------------------------------------------------------------------- */

typedef struct
{
  const TenureMatchLine *line;
  char                   currency[4];
  GPtrArray             *payers;      /* MTenant the payer resolves to (borrowed) */
  const char            *payer_via;   /* "account" or "name" */
  char                  *payer_key;
  char                  *memo_key;    /* the memo as a name, when needed */
  GPtrArray             *out;         /* TenureMatchProposal */
} MatchCtx;

static void
json_string (GString    *out,
             const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static TenureMatchProposal *
proposal_new (int         step,
              const char *reason,
              int         confidence,
              MTenant    *tenant)
{
  TenureMatchProposal *p = g_new0 (TenureMatchProposal, 1);

  p->step = step;
  p->reason = reason;
  p->confidence = CLAMP (confidence, 0, 100);
  p->tenant_id = tenant != NULL ? tenant->id : 0;
  p->items = g_array_new (FALSE, FALSE, sizeof (TenureMatchItem));
  return p;
}

/* Adds @bill's items to @p, at most @budget in all (allocation order); returns what is left
 * of the budget. */
static gint64
take_bill (TenureMatchProposal *p,
           const MBill         *bill,
           gint64               budget)
{
  for (guint i = 0; i < bill->items->len && budget > 0; i++)
    {
      const MItem *mi = bill->items->pdata[i];
      TenureMatchItem it = { mi->line_id, MIN (mi->open, budget) };

      if (mi->open <= 0)
        continue;
      g_array_append_val (p->items, it);
      p->total += it.amount;
      budget -= it.amount;
    }
  return budget;
}

static gboolean
bill_open_in (const MBill *bill,
              const char  *currency)
{
  return bill->open > 0 && memcmp (bill->currency, currency, 4) == 0;
}

static gboolean
tenant_in (const MTenant *t,
           GPtrArray     *set)
{
  for (guint i = 0; set != NULL && i < set->len; i++)
    if (set->pdata[i] == t)
      return TRUE;
  return FALSE;
}

/* The payer, if known, as the tenant itself or its parent. */
static MTenant *
payer_for (const MatchCtx *ctx,
           MTenant        *tenant)
{
  if (ctx->payers == NULL)
    return NULL;
  if (tenant_in (tenant, ctx->payers))
    return tenant;
  if (tenant->parent != NULL && tenant_in (tenant->parent, ctx->payers))
    return tenant->parent;
  return NULL;
}

static char *
ref_detail (const char *kind,
            const char *code,
            const char *found,
            int         distance)
{
  GString *d = g_string_new ("{\"kind\":");

  json_string (d, kind);
  g_string_append (d, ",\"reference\":");
  json_string (d, code);
  g_string_append (d, ",\"found\":");
  json_string (d, found);
  g_string_append_printf (d, ",\"distance\":%d}", distance);
  return g_string_free (d, FALSE);
}

static void
propose_bill_ref (MatchCtx   *ctx,
                  MBill      *bill,
                  const char *found,
                  int         distance)
{
  gint64 amount = ctx->line->amount;
  MTenant *payer = payer_for (ctx, bill->tenant);
  TenureMatchProposal *p;
  const char *reason;
  int conf;

  if (!bill_open_in (bill, ctx->currency))
    return;
  if (amount == bill->open)
    {
      reason = "memo_reference";
      conf = distance == 0 ? CONF_REF_BILL : CONF_REF_FUZZY;
    }
  else if (amount < bill->open)
    {
      reason = "memo_reference_partial";
      conf = distance > 0 ? CONF_REF_FUZZY_OTHER
             : payer != NULL ? CONF_REF_PARTIAL_PAYER : CONF_REF_PARTIAL;
    }
  else
    {
      reason = "memo_reference_overpaid";
      conf = distance == 0 ? CONF_REF_OVERPAID : CONF_REF_FUZZY_OTHER;
    }
  if (ctx->payers != NULL && payer == NULL)
    conf = MIN (conf, CONF_REF_OTHER_PAYER);
  p = proposal_new (1, reason, conf, payer != NULL ? payer : bill->tenant);
  /* Only the exact balance, or a part of it paid by the bill's own tenant, is certain: a
   * typo can turn one bill number into another. */
  p->suggestion_only = distance > 0 || (ctx->payers != NULL && payer == NULL)
                       || amount > bill->open || (amount < bill->open && payer == NULL);
  take_bill (p, bill, amount);
  p->detail = ref_detail ("bill", bill->code, found, distance);
  g_ptr_array_add (ctx->out, p);
}

static void
propose_contract_ref (MatchCtx   *ctx,
                      MContract  *contract,
                      const char *found,
                      int         distance)
{
  gint64 amount = ctx->line->amount, prefix = 0, total = 0;
  MBill *single = NULL, *oldest_equal = NULL;
  guint n_equal = 0, prefix_n = 0;
  MTenant *payer = payer_for (ctx, contract->tenant);
  TenureMatchProposal *p;
  const char *reason;
  int conf;

  for (guint i = 0; i < contract->bills->len; i++)
    {
      MBill *b = contract->bills->pdata[i];

      if (!bill_open_in (b, ctx->currency))
        continue;
      total += b->open;
      if (prefix_n == 0 && (prefix += b->open) == amount)
        prefix_n = i + 1;
      if (b->open == amount)
        {
          n_equal++;
          if (oldest_equal == NULL)
            oldest_equal = b;
          single = b;
        }
    }
  if (total == 0)
    return;
  if (n_equal == 1)
    {
      reason = "memo_contract_bill";
      conf = CONF_REF_CONTRACT_BILL;
    }
  else if (prefix_n > 0)
    {
      reason = "memo_contract_oldest_first";
      conf = CONF_REF_CONTRACT_OLD;
      single = NULL;
    }
  else if (n_equal > 1)
    {
      reason = "memo_contract_bill";
      conf = CONF_REF_CONTRACT_AMBIG;
      single = oldest_equal;
    }
  else
    {
      reason = amount < total ? "memo_contract_partial" : "memo_contract_overpaid";
      conf = amount < total ? CONF_REF_CONTRACT_PART : CONF_REF_OVERPAID;
      single = NULL;
    }
  if (distance > 0)
    conf = MIN (conf, conf >= CONF_REF_CONTRACT_OLD ? CONF_REF_FUZZY : CONF_REF_FUZZY_OTHER);
  if (ctx->payers != NULL && payer == NULL)
    conf = MIN (conf, CONF_REF_OTHER_PAYER);
  p = proposal_new (1, reason, conf, payer != NULL ? payer : contract->tenant);
  p->suggestion_only = distance > 0 || (ctx->payers != NULL && payer == NULL)
                       || conf < CONF_REF_CONTRACT_OLD;
  if (single != NULL)
    take_bill (p, single, amount);
  else
    {
      gint64 budget = amount;

      for (guint i = 0; i < contract->bills->len && budget > 0; i++)
        {
          MBill *b = contract->bills->pdata[i];

          if (strcmp (b->currency, ctx->currency) == 0)
            budget = take_bill (p, b, budget);
        }
    }
  p->detail = ref_detail ("contract", contract->code, found, distance);
  g_ptr_array_add (ctx->out, p);
}

typedef struct
{
  MRef *ref;
  int   distance;
  char  found[MAX_REF_LEN + 1];
} RefHit;

static void
add_hit (GArray     *hits,
         MRef       *ref,
         int         distance,
         const char *found,
         guint       len)
{
  RefHit h = { ref, distance, { 0 } };

  for (guint i = 0; i < hits->len; i++)
    {
      RefHit *o = &g_array_index (hits, RefHit, i);

      if (o->ref == ref)
        {
          o->distance = MIN (o->distance, distance);
          return;
        }
    }
  memcpy (h.found, found, len);
  h.found[len] = '\0';
  g_array_append_val (hits, h);
}

static guint
hamming (const char *a,
         const char *b,
         guint       len)
{
  guint d = 0;

  for (guint i = 0; i < len; i++)
    d += a[i] != b[i];
  return d;
}

/* Step 1 with the references as written (@fuzzy FALSE), or, when none was found and
 * nothing else is sure, with one typo or two neighbours swapped (@fuzzy TRUE). */
static void
step1 (TenureMatcher *self,
       MatchCtx      *ctx,
       gboolean       fuzzy)
{
  char s[MAX_MEMO_LEN + 1];
  guint starts[MAX_MEMO_LEN];
  guint n_starts, n;
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (RefHit));
  char buf[MAX_REF_LEN + 1];

  if (ctx->line->memo == NULL || self->ref_lengths == 0)
    return;
  n = scan_memo (ctx->line->memo, s, starts, &n_starts);

  for (guint si = 0; si < n_starts && !fuzzy; si++)
    for (guint len = 1; len <= MAX_REF_LEN && starts[si] + len <= n; len++)
      {
        MRef *ref;

        if ((self->ref_lengths & (G_GUINT64_CONSTANT (1) << len)) == 0)
          continue;
        memcpy (buf, s + starts[si], len);
        buf[len] = '\0';
        ref = g_hash_table_lookup (self->ref_by_key, buf);
        if (ref != NULL)
          add_hit (hits, ref, 0, buf, len);
      }

  if (fuzzy)
    for (guint si = 0; si < n_starts; si++)
      for (guint len = 6; len <= MAX_REF_LEN && starts[si] + len <= n; len++)
        {
          if ((self->ref_lengths & (G_GUINT64_CONSTANT (1) << len)) == 0)
            continue;
          memcpy (buf, s + starts[si], len);
          buf[len] = '\0';
          for (guint p = 0; p < len; p++)
            {
              gpointer key = GSIZE_TO_POINTER (hash_wild (buf, len, p));
              gsize index = GPOINTER_TO_SIZE (g_hash_table_lookup (self->fuzzy, key));
              MRef *ref;

              if (index == 0 || index == FUZZY_AMBIGUOUS)
                continue;
              ref = self->refs->pdata[index - 1];
              if (strlen (ref->key) == len && hamming (ref->key, buf, len) == 1)
                add_hit (hits, ref, 1, buf, len);
            }
          for (guint p = 0; p + 1 < len; p++)
            {
              MRef *ref;
              char c = buf[p];

              if (c == buf[p + 1])
                continue;
              buf[p] = buf[p + 1];
              buf[p + 1] = c;
              ref = g_hash_table_lookup (self->ref_by_key, buf);
              buf[p + 1] = buf[p];
              buf[p] = c;
              if (ref != NULL)
                add_hit (hits, ref, 1, buf, len);
            }
        }

  /* Several bills named together and paid together (same tenant, exact total). */
  if (hits->len > 1)
    {
      gint64 sum = 0;
      MTenant *tenant = NULL;
      gboolean all = TRUE;

      for (guint i = 0; i < hits->len && all; i++)
        {
          RefHit *h = &g_array_index (hits, RefHit, i);

          all = h->distance == 0 && h->ref->bill != NULL
                && bill_open_in (h->ref->bill, ctx->currency)
                && (tenant == NULL || tenant == h->ref->bill->tenant);
          if (all)
            {
              sum += h->ref->bill->open;
              tenant = h->ref->bill->tenant;
            }
        }
      if (all && sum == ctx->line->amount)
        {
          MTenant *payer = payer_for (ctx, tenant);
          TenureMatchProposal *p = proposal_new (1, "memo_references",
                                                 ctx->payers != NULL && payer == NULL
                                                 ? CONF_REF_OTHER_PAYER : CONF_REF_BILLS,
                                                 payer != NULL ? payer : tenant);
          GString *d = g_string_new ("{\"kind\":\"bills\",\"references\":[");

          p->suggestion_only = ctx->payers != NULL && payer == NULL;

          for (guint i = 0; i < hits->len; i++)
            {
              MBill *b = g_array_index (hits, RefHit, i).ref->bill;

              take_bill (p, b, b->open);
              if (i > 0)
                g_string_append_c (d, ',');
              json_string (d, b->code);
            }
          g_string_append (d, "]}");
          p->detail = g_string_free (d, FALSE);
          g_ptr_array_add (ctx->out, p);
          return;
        }
    }

  for (guint i = 0; i < hits->len; i++)
    {
      RefHit *h = &g_array_index (hits, RefHit, i);

      if (h->ref->bill != NULL)
        propose_bill_ref (ctx, h->ref->bill, h->found, h->distance);
      if (h->ref->contract != NULL)
        propose_contract_ref (ctx, h->ref->contract, h->found, h->distance);
    }
}

static char *
payer_detail (const MatchCtx *ctx,
              const MTenant  *tenant,
              gboolean        for_subsidiary,
              const char     *extra)
{
  GString *d = g_string_new ("{\"payer\":");

  json_string (d, ctx->payer_via);
  g_string_append (d, ",\"alias\":");
  json_string (d, ctx->payer_key);
  g_string_append (d, ",\"tenant\":");
  json_string (d, tenant->code);
  if (for_subsidiary)
    g_string_append (d, ",\"subsidiaries\":true");
  if (extra != NULL)
    g_string_append_printf (d, ",%s", extra);
  g_string_append_c (d, '}');
  return g_string_free (d, FALSE);
}

/* Step 2 for one tenant the payer resolves to: its bills and its subsidiaries', oldest first. */
static void
step2_tenant (MatchCtx *ctx,
              MTenant  *tenant,
              int       base)
{
  g_autoptr(GPtrArray) bills = g_ptr_array_new ();
  gint64 amount = ctx->line->amount, prefix = 0, total = 0;
  MBill *single_bill = NULL, *oldest_equal = NULL;
  const MItem *single_item = NULL;
  guint n_bills_equal = 0, n_items_equal = 0;
  gboolean prefix_hit = FALSE, subsidiary = FALSE;
  TenureMatchProposal *p;

  for (guint i = 0; i < tenant->bills->len; i++)
    if (bill_open_in (tenant->bills->pdata[i], ctx->currency))
      g_ptr_array_add (bills, tenant->bills->pdata[i]);
  for (guint c = 0; c < tenant->children->len; c++)
    {
      MTenant *child = tenant->children->pdata[c];

      for (guint i = 0; i < child->bills->len; i++)
        if (bill_open_in (child->bills->pdata[i], ctx->currency))
          g_ptr_array_add (bills, child->bills->pdata[i]);
    }
  if (bills->len == 0)
    return;
  if (tenant->children->len > 0)
    {
      MTenant *named = NULL;
      guint n_named = 0;

      /* "代付某某商贸租金": a parent naming one subsidiary pays only its items. */
      if (ctx->memo_key == NULL)
        ctx->memo_key = tenure_match_normalize_name (ctx->line->memo);
      for (guint c = 0; c < tenant->children->len && *ctx->memo_key != '\0'; c++)
        {
          MTenant *child = tenant->children->pdata[c];

          if ((child->key_short != NULL && *child->key_short != '\0'
               && strstr (ctx->memo_key, child->key_short) != NULL)
              || (child->key_name != NULL && *child->key_name != '\0'
                  && strstr (ctx->memo_key, child->key_name) != NULL))
            {
              named = child;
              n_named++;
            }
        }
      if (n_named == 1)
        {
          g_ptr_array_set_size (bills, 0);
          for (guint i = 0; i < named->bills->len; i++)
            if (bill_open_in (named->bills->pdata[i], ctx->currency))
              g_ptr_array_add (bills, named->bills->pdata[i]);
          if (bills->len == 0)
            return;
        }
      else
        g_ptr_array_sort (bills, compare_bills);
    }

  /* Oldest first item by item; the prefix must end exactly on the amount. */
  for (guint i = 0; i < bills->len; i++)
    {
      MBill *b = bills->pdata[i];

      total += b->open;
      if (b->open == amount)
        {
          n_bills_equal++;
          single_bill = b;
          if (oldest_equal == NULL)
            oldest_equal = b;
        }
      for (guint k = 0; k < b->items->len; k++)
        {
          const MItem *mi = b->items->pdata[k];

          if (mi->open <= 0)
            continue;
          if (!prefix_hit && prefix < amount && (prefix += mi->open) == amount)
            prefix_hit = TRUE;
          if (mi->open == amount && b->items->len > 1)
            {
              n_items_equal++;
              single_item = mi;
            }
        }
    }

  /* Every reading that fits is proposed: when two differ, neither is confirmed alone. */
  if (n_bills_equal == 1)
    {
      p = proposal_new (2, "payer_single_bill", base, tenant);
      take_bill (p, single_bill, amount);
      p->detail = payer_detail (ctx, tenant, single_bill->tenant != tenant, NULL);
      g_ptr_array_add (ctx->out, p);
    }
  if (prefix_hit)
    {
      gint64 budget = amount;

      p = proposal_new (2, "payer_oldest_first", base - 2, tenant);
      for (guint i = 0; i < bills->len && budget > 0; i++)
        {
          subsidiary |= ((MBill *) bills->pdata[i])->tenant != tenant;
          budget = take_bill (p, bills->pdata[i], budget);
        }
      p->detail = payer_detail (ctx, tenant, subsidiary, NULL);
      g_ptr_array_add (ctx->out, p);
    }
  if (n_bills_equal == 0 && n_items_equal == 1)
    {
      TenureMatchItem it = { single_item->line_id, amount };

      p = proposal_new (2, "payer_single_item", base - 1, tenant);
      g_array_append_val (p->items, it);
      p->total = amount;
      p->detail = payer_detail (ctx, tenant, single_item->bill->tenant != tenant, NULL);
      g_ptr_array_add (ctx->out, p);
    }
  if (n_bills_equal == 1 || prefix_hit || (n_bills_equal == 0 && n_items_equal == 1))
    return;
  /* From here on the amount fits no single reading. */

  if (n_bills_equal > 1)
    {
      p = proposal_new (2, "payer_amount_ambiguous", MIN (base, CONF_PAYER_AMBIG), tenant);
      take_bill (p, oldest_equal, amount);
      subsidiary = oldest_equal->tenant != tenant;
    }
  else
    {
      gint64 budget = amount;

      p = proposal_new (2, amount < total ? "payer_partial" : "payer_overpaid",
                        MIN (base, CONF_PAYER_PARTIAL), tenant);
      for (guint i = 0; i < bills->len && budget > 0; i++)
        {
          subsidiary |= ((MBill *) bills->pdata[i])->tenant != tenant;
          budget = take_bill (p, bills->pdata[i], budget);
        }
    }
  p->suggestion_only = TRUE;
  p->detail = payer_detail (ctx, tenant, subsidiary, NULL);
  g_ptr_array_add (ctx->out, p);
}

static void
step2 (MatchCtx *ctx)
{
  int base;

  if (ctx->payers == NULL)
    return;
  base = strcmp (ctx->payer_via, "account") == 0 ? CONF_PAYER_ACCOUNT : CONF_PAYER_NAME;
  if (ctx->payers->len > 1)
    base = MIN (base, CONF_PAYER_SEVERAL);
  for (guint i = 0; i < ctx->payers->len; i++)
    {
      guint first = ctx->out->len;

      step2_tenant (ctx, ctx->payers->pdata[i], base);
      /* a name several tenants share proves none of them */
      for (guint k = first; k < ctx->out->len && ctx->payers->len > 1; k++)
        ((TenureMatchProposal *) ctx->out->pdata[k])->suggestion_only = TRUE;
    }
}

static gboolean
in_window (TenureMatcher *self,
           TenureDate     due,
           TenureDate     booked)
{
  gint64 d = (gint64) booked - due;

  return !tenure_date_is_valid (booked) || ABS (d) <= self->window_days;
}

static void
step3 (TenureMatcher *self,
       MatchCtx      *ctx)
{
  gint64 amount = ctx->line->amount;
  const MItem *item = NULL;
  MBill *bill = NULL;
  guint n = 0;
  TenureDate from = TENURE_DATE_MIN;
  guint lo = GPOINTER_TO_UINT (g_hash_table_lookup (self->amount_runs, &amount)), hi;
  TenureMatchProposal *p;
  char extra[64];

  if (lo-- == 0)
    return;
  if (tenure_date_is_valid (ctx->line->booked_on))
    from = ctx->line->booked_on - self->window_days;
  /* the first entry of the run due on or after @from: the end of the run bounds the search */
  for (hi = lo + 1; hi < self->by_amount->len
                    && g_array_index (self->by_amount, AmountEntry, hi).amount == amount
                    && hi - lo < 8; hi++)
    ;
  if (hi - lo == 8)
    for (guint step = 8; ; step *= 2)
      {
        guint next = MIN (lo + step, self->by_amount->len);

        if (next == self->by_amount->len
            || g_array_index (self->by_amount, AmountEntry, next).amount != amount)
          {
            hi = next;
            break;
          }
      }
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const AmountEntry *e = &g_array_index (self->by_amount, AmountEntry, mid);

      if (e->amount < amount || (e->amount == amount && e->due < from))
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < self->by_amount->len && n < 2; i++)
    {
      const AmountEntry *e = &g_array_index (self->by_amount, AmountEntry, i);

      if (e->amount != amount || !in_window (self, e->due, ctx->line->booked_on))
        break;
      if (e->is_bill)
        {
          MBill *b = self->bills->pdata[e->index];

          if (b->open == amount && memcmp (b->currency, ctx->currency, 4) == 0)
            {
              n++;
              bill = b;
              item = NULL;
            }
        }
      else
        {
          const MItem *mi = &g_array_index (self->items, MItem, e->index);

          if (mi->open == amount && memcmp (mi->bill->currency, ctx->currency, 4) == 0)
            {
              n++;
              item = mi;
              bill = NULL;
            }
        }
    }
  if (n != 1)
    return;
  if (bill == NULL)
    bill = item->bill;
  p = proposal_new (3, "amount_near_due", CONF_AMOUNT_NEAR_DUE, bill->tenant);
  if (item != NULL)
    {
      TenureMatchItem it = { item->line_id, amount };

      g_array_append_val (p->items, it);
      p->total = amount;
    }
  else
    take_bill (p, bill, amount);
  g_snprintf (extra, sizeof extra, "{\"due_date_days\":%" G_GINT64_FORMAT ",\"window\":%d}",
              tenure_date_is_valid (ctx->line->booked_on)
              ? (gint64) ctx->line->booked_on - (item != NULL ? item->due : bill->due) : 0,
              self->window_days);
  p->detail = g_strdup (extra);
  g_ptr_array_add (ctx->out, p);
}

static gboolean
same_items (const TenureMatchProposal *a,
            const TenureMatchProposal *b)
{
  if (a->items->len != b->items->len)
    return FALSE;
  return memcmp (a->items->data, b->items->data,
                 a->items->len * sizeof (TenureMatchItem)) == 0;
}

static int
compare_proposals (gconstpointer a,
                   gconstpointer b)
{
  const TenureMatchProposal *x = *(TenureMatchProposal * const *) a;
  const TenureMatchProposal *y = *(TenureMatchProposal * const *) b;

  if (x->confidence != y->confidence)
    return x->confidence > y->confidence ? -1 : 1;
  return x->step - y->step;
}

static int
best_confidence (GPtrArray *out)
{
  int best = -1;

  for (guint i = 0; i < out->len; i++)
    best = MAX (best, ((TenureMatchProposal *) out->pdata[i])->confidence);
  return best;
}

static void
resolve_payer (TenureMatcher *self,
               MatchCtx      *ctx)
{
  g_autofree char *account = tenure_match_normalize_account (ctx->line->payer_account);

  if (*account != '\0')
    {
      ctx->payers = g_hash_table_lookup (self->by_account, account);
      if (ctx->payers != NULL)
        {
          ctx->payer_via = "account";
          ctx->payer_key = g_steal_pointer (&account);
          return;
        }
    }
  if (ctx->line->payer_name != NULL)
    {
      g_autofree char *name = tenure_match_normalize_name (ctx->line->payer_name);

      ctx->payers = *name != '\0' ? g_hash_table_lookup (self->by_name, name) : NULL;
      if (ctx->payers != NULL)
        {
          ctx->payer_via = "name";
          ctx->payer_key = g_steal_pointer (&name);
        }
    }
}

/**
 * tenure_matcher_match:
 *
 * Runs the cascade for @line: step 2 only when step 1 found nothing at 95 or above, step 3
 * only when neither did. Proposals that pay the same items are kept once (the higher).
 * Returns: (transfer full): TenureMatchProposal, best first.
 */
GPtrArray *
tenure_matcher_match (TenureMatcher         *self,
                      const TenureMatchLine *line)
{
  MatchCtx ctx = { 0 };
  GPtrArray *out = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tenure_match_proposal_free);

  g_return_val_if_fail (self->prepared, out);
  if (line->amount <= 0)
    return out;
  ctx.line = line;
  g_strlcpy (ctx.currency, line->currency != NULL ? line->currency : "CNY",
             sizeof ctx.currency);
  ctx.out = out;
  resolve_payer (self, &ctx);

  step1 (self, &ctx, FALSE);
  if (best_confidence (out) < TENURE_MATCH_DEFAULT_AUTO_CONFIRM)
    step2 (&ctx);
  /* A garbled reference is looked for only when nothing is sure yet (it never is itself). */
  if (out->len == 0 || best_confidence (out) < TENURE_MATCH_DEFAULT_AUTO_CONFIRM)
    step1 (self, &ctx, TRUE);
  if (best_confidence (out) < TENURE_MATCH_DEFAULT_AUTO_CONFIRM)
    step3 (self, &ctx);
  g_free (ctx.payer_key);
  g_free (ctx.memo_key);

  g_ptr_array_sort (out, compare_proposals);
  for (guint i = 1; i < out->len; i++)
    for (guint j = 0; j < i; j++)
      if (same_items (out->pdata[i], out->pdata[j]))
        {
          g_ptr_array_remove_index (out, i--);
          break;
        }
  return out;
}

/**
 * tenure_match_auto_pick:
 *
 * Returns: (transfer none) (nullable): the proposal to confirm without a person.
 */
TenureMatchProposal *
tenure_match_auto_pick (GPtrArray *proposals,
                        int        threshold)
{
  TenureMatchProposal *best;

  if (proposals == NULL || proposals->len == 0)
    return NULL;
  best = proposals->pdata[0];
  if (best->step > 2 || best->suggestion_only || best->confidence < threshold
      || best->items->len == 0)
    return NULL;
  if (proposals->len > 1
      && ((TenureMatchProposal *) proposals->pdata[1])->confidence >= threshold)
    return NULL;
  return best;
}

/**
 * tenure_matcher_consume:
 *
 * Takes @proposal's amounts off its items, as if it had been confirmed, so that the next
 * lines of the same run (the second half of a split payment) see what is left.
 */
void
tenure_matcher_consume (TenureMatcher             *self,
                        const TenureMatchProposal *proposal)
{
  g_return_if_fail (self->prepared);
  for (guint i = 0; i < proposal->items->len; i++)
    {
      const TenureMatchItem *it = &g_array_index (proposal->items, TenureMatchItem, i);
      MItem *mi = g_hash_table_lookup (self->item_by_line, &it->bill_line_id);
      gint64 take;

      if (mi == NULL)
        continue;
      take = MIN (mi->open, it->amount);
      mi->open -= take;
      mi->bill->open -= take;
    }
}

/* Persistence ---------------------------------------------------------------------------- */

/* Ids enter translated messages as text: xgettext cannot read G_GINT64_FORMAT. */
#define ID_TEXT(id) (g_snprintf (id_buf, sizeof id_buf, "%" G_GINT64_FORMAT, (gint64) (id)), \
                     id_buf)

static gboolean
read_setting_int (TenureDb    *db,
                  const char  *key,
                  int          fallback,
                  int          min,
                  int          max,
                  int         *out,
                  GError     **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, "SELECT value FROM setting WHERE key = $1",
                                                  error);
  g_autoptr(GError) local_error = NULL;
  gint64 value;
  char *end = NULL;
  const char *text;

  *out = fallback;
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_text (stmt, 1, key);
  if (!tenure_stmt_step (stmt, &local_error))
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  text = tenure_stmt_column_text (stmt, 0);
  if (text == NULL)
    return TRUE;
  value = g_ascii_strtoll (text, &end, 10);
  if (end == text || *end != '\0' || value < min || value > max)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Setting %s: “%s” is not a whole number from %d to %d"), key, text, min,
                   max);
      return FALSE;
    }
  *out = (int) value;
  return TRUE;
}

static TenureMatcher *
load_matcher (TenureDb  *db,
              int        window_days,
              GError   **error)
{
  g_autoptr(TenureMatcher) matcher = tenure_matcher_new ();
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) local_error = NULL;
  TenureOpenItemFilter filter = { 0 };

  tenure_matcher_set_window_days (matcher, window_days);
  stmt = tenure_db_prepare (db, "SELECT id, code, name, short_name, parent_tenant_id, "
                                "bank_account FROM tenant", error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, &local_error))
    tenure_matcher_add_tenant (matcher, tenure_stmt_column_int64 (stmt, 0),
                               tenure_stmt_column_text (stmt, 1),
                               tenure_stmt_column_text (stmt, 2),
                               tenure_stmt_column_text (stmt, 3),
                               tenure_stmt_column_int64 (stmt, 4),
                               tenure_stmt_column_text (stmt, 5));
  if (local_error != NULL)
    goto failed;
  g_clear_pointer (&stmt, tenure_stmt_free);

  stmt = tenure_db_prepare (db, "SELECT tenant_id, kind, value FROM payer_alias", error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, &local_error))
    tenure_matcher_add_alias (matcher, tenure_stmt_column_int64 (stmt, 0),
                              g_strcmp0 (tenure_stmt_column_text (stmt, 1), "account") == 0
                              ? TENURE_MATCH_ALIAS_ACCOUNT : TENURE_MATCH_ALIAS_NAME,
                              tenure_stmt_column_text (stmt, 2));
  if (local_error != NULL)
    goto failed;

  filter.as_of = TENURE_DATE_INVALID;
  items = tenure_open_items_load (db, &filter, error);
  if (items == NULL)
    return NULL;
  for (guint i = 0; i < items->len; i++)
    tenure_matcher_add_item (matcher, g_ptr_array_index (items, i));
  tenure_matcher_prepare (matcher);
  return g_steal_pointer (&matcher);

failed:
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* "bill_line:amount,…" of each rejected match, per bank line, so a new run does not propose
 * again what a person turned down. */
static GHashTable *
load_rejected (TenureDb  *db,
               GError   **error)
{
  g_autoptr(GHashTable) rejected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          NULL);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) sig = g_string_new (NULL);
  gint64 current = 0, line = 0;

  stmt = tenure_db_prepare (db, "SELECT m.id, m.bank_statement_line_id, i.bill_line_id, "
                                "i.amount FROM bank_match m "
                                "JOIN bank_match_item i ON i.bank_match_id = m.id "
                                "WHERE m.status = 'rejected' ORDER BY m.id, i.bill_line_id",
                            error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);

      if (id != current && current != 0)
        {
          g_hash_table_add (rejected, g_strdup (sig->str));
          g_string_truncate (sig, 0);
        }
      if (id != current)
        {
          current = id;
          line = tenure_stmt_column_int64 (stmt, 1);
          g_string_append_printf (sig, "%" G_GINT64_FORMAT "|", line);
        }
      g_string_append_printf (sig, "%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ",",
                              tenure_stmt_column_int64 (stmt, 2),
                              tenure_stmt_column_int64 (stmt, 3));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (current != 0)
    g_hash_table_add (rejected, g_strdup (sig->str));
  return g_steal_pointer (&rejected);
}

static int
compare_match_items (gconstpointer a,
                     gconstpointer b)
{
  const TenureMatchItem *x = a, *y = b;

  return x->bill_line_id < y->bill_line_id ? -1 : x->bill_line_id > y->bill_line_id;
}

static char *
proposal_signature (gint64                     line_id,
                    const TenureMatchProposal *p)
{
  g_autoptr(GArray) items = g_array_copy (p->items);
  GString *sig = g_string_new (NULL);

  g_array_sort (items, compare_match_items);
  g_string_append_printf (sig, "%" G_GINT64_FORMAT "|", line_id);
  for (guint i = 0; i < items->len; i++)
    {
      const TenureMatchItem *it = &g_array_index (items, TenureMatchItem, i);

      g_string_append_printf (sig, "%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ",",
                              it->bill_line_id, it->amount);
    }
  return g_string_free (sig, FALSE);
}

/* Writes the proposals of one line and marks it suggested; returns the id of @pick's row
 * (0 when @pick is NULL or was not written). */
static gboolean
write_proposals (TenureDb             *db,
                 gint64                line_id,
                 GPtrArray            *proposals,
                 TenureMatchProposal  *pick,
                 gint64               *out_pick_id,
                 GError              **error)
{
  g_autoptr(TenureStmt) match = NULL;
  g_autoptr(TenureStmt) item = NULL;
  g_autoptr(TenureStmt) line = NULL;

  *out_pick_id = 0;
  if (!tenure_db_begin (db, error))
    return FALSE;
  match = tenure_db_prepare (db, "INSERT INTO bank_match (bank_statement_line_id, step, reason, "
                                 "detail, confidence, tenant_id) VALUES ($1, $2, $3, $4, $5, "
                                 "$6) RETURNING id", error);
  item = match == NULL ? NULL
         : tenure_db_prepare (db, "INSERT INTO bank_match_item (bank_match_id, bill_line_id, "
                                  "amount) VALUES ($1, $2, $3)", error);
  line = item == NULL ? NULL
         : tenure_db_prepare (db, "UPDATE bank_statement_line SET status = 'suggested' "
                                  "WHERE id = $1 AND status = 'unmatched'", error);
  if (line == NULL)
    goto failed;
  for (guint i = 0; i < proposals->len; i++)
    {
      TenureMatchProposal *p = proposals->pdata[i];
      gint64 id;

      tenure_stmt_reset (match);
      tenure_stmt_bind_int64 (match, 1, line_id);
      tenure_stmt_bind_int64 (match, 2, p->step);
      tenure_stmt_bind_text (match, 3, p->reason);
      tenure_stmt_bind_text (match, 4, p->detail);
      tenure_stmt_bind_int64 (match, 5, p->confidence);
      if (p->tenant_id != 0)
        tenure_stmt_bind_int64 (match, 6, p->tenant_id);
      else
        tenure_stmt_bind_null (match, 6);
      if (!tenure_stmt_step_int64 (match, &id, error))
        goto failed;
      if (p == pick)
        *out_pick_id = id;
      for (guint k = 0; k < p->items->len; k++)
        {
          const TenureMatchItem *it = &g_array_index (p->items, TenureMatchItem, k);

          tenure_stmt_reset (item);
          tenure_stmt_bind_int64 (item, 1, id);
          tenure_stmt_bind_int64 (item, 2, it->bill_line_id);
          tenure_stmt_bind_int64 (item, 3, it->amount);
          if (!tenure_stmt_run (item, error))
            goto failed;
        }
    }
  tenure_stmt_bind_int64 (line, 1, line_id);
  if (!tenure_stmt_run (line, error) || !tenure_db_commit (db, error))
    goto failed;
  return TRUE;

failed:
  tenure_db_rollback (db);
  return FALSE;
}

/**
 * tenure_bank_match_run:
 *
 * Loads the unmatched credit lines, the tenants, the aliases and the open items once, and
 * goes through the lines by booked date: each line's proposals are written, and the one
 * proposal at or above the threshold is confirmed at once, so a later line (the rest of a
 * split payment) sees what is left.
 */
gboolean
tenure_bank_match_run (TenureDb                     *db,
                       const TenureBankMatchOptions *options,
                       TenureBankMatchStats         *stats,
                       GError                      **error)
{
  TenureBankMatchOptions defaults = { 0 };
  TenureBankMatchStats local_stats;
  g_autoptr(TenureMatcher) matcher = NULL;
  g_autoptr(GHashTable) rejected = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStringChunk) strings = g_string_chunk_new (4096);
  int threshold, window;

  if (options == NULL)
    options = &defaults;
  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);

  if (options->auto_confirm > 0)
    threshold = options->auto_confirm;
  else if (!read_setting_int (db, "matching.auto_confirm", TENURE_MATCH_DEFAULT_AUTO_CONFIRM,
                              0, 101, &threshold, error))
    return FALSE;
  if (options->window_days > 0)
    window = options->window_days;
  else if (!read_setting_int (db, "matching.window_days", TENURE_MATCH_DEFAULT_WINDOW_DAYS,
                              0, 366, &window, error))
    return FALSE;
  stats->threshold = threshold;

  matcher = load_matcher (db, window, error);
  if (matcher == NULL)
    return FALSE;
  rejected = load_rejected (db, error);
  if (rejected == NULL)
    return FALSE;

  stmt = tenure_db_prepare (db, "SELECT id, booked_on, amount, currency, payer_name, "
                                "payer_account, memo FROM bank_statement_line "
                                "WHERE status = 'unmatched' AND amount > 0 "
                                "ORDER BY booked_on, id", error);
  if (stmt == NULL)
    return FALSE;
  while (tenure_stmt_step (stmt, &local_error))
    {
      TenureMatchLine *line = g_new0 (TenureMatchLine, 1);

      g_ptr_array_add (lines, line);
      line->id = tenure_stmt_column_int64 (stmt, 0);
      if (!tenure_date_parse_iso (tenure_stmt_column_text (stmt, 1), &line->booked_on, error))
        return FALSE;
      line->amount = tenure_stmt_column_int64 (stmt, 2);
      line->currency = g_string_chunk_insert_const (strings, tenure_stmt_column_text (stmt, 3));
#define OPT_TEXT(col) (tenure_stmt_column_is_null (stmt, col) ? NULL \
                       : g_string_chunk_insert (strings, tenure_stmt_column_text (stmt, col)))
      line->payer_name = OPT_TEXT (4);
      line->payer_account = OPT_TEXT (5);
      line->memo = OPT_TEXT (6);
#undef OPT_TEXT
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);

  for (guint i = 0; i < lines->len; i++)
    {
      const TenureMatchLine *line = lines->pdata[i];
      g_autoptr(GPtrArray) proposals = tenure_matcher_match (matcher, line);
      TenureMatchProposal *pick;
      gint64 pick_id = 0;
      int best;

      /* what a person turned down for this line stays turned down */
      for (guint k = proposals->len; k > 0; k--)
        {
          g_autofree char *sig = proposal_signature (line->id, proposals->pdata[k - 1]);

          if (g_hash_table_contains (rejected, sig))
            g_ptr_array_remove_index (proposals, k - 1);
        }
      stats->lines++;
      if (proposals->len == 0)
        {
          stats->unmatched++;
          stats->by_step[0]++;
          continue;
        }
      best = ((TenureMatchProposal *) proposals->pdata[0])->confidence;
      stats->proposed++;
      stats->by_step[((TenureMatchProposal *) proposals->pdata[0])->step]++;
      stats->by_band[best >= 95 ? 0 : best >= 80 ? 1 : best >= 50 ? 2 : 3]++;
      stats->proposals += proposals->len;
      pick = tenure_match_auto_pick (proposals, threshold);

      if (options->dry_run)
        {
          if (pick != NULL)
            {
              stats->auto_confirmed++;
              tenure_matcher_consume (matcher, pick);
            }
          continue;
        }
      if (!write_proposals (db, line->id, proposals, pick, &pick_id, error))
        return FALSE;
      if (pick_id != 0)
        {
          g_autoptr(GError) confirm_error = NULL;

          if (tenure_bank_match_confirm (db, pick_id, options->posting_date, &confirm_error) != 0)
            {
              stats->auto_confirmed++;
              tenure_matcher_consume (matcher, pick);
            }
          else
            g_debug ("bank line %" G_GINT64_FORMAT ": match %" G_GINT64_FORMAT
                     " left for a person: %s", line->id, pick_id, confirm_error->message);
        }
    }
  return TRUE;
}

typedef struct
{
  gint64      line_id;
  gint64      tenant_id;
  char       *status;
  char       *tenant_code;
  char       *line_status;
  TenureDate  booked_on;
  gint64      amount;
  char       *currency, *payer_name, *payer_account, *memo, *bank_reference;
} MatchRow;

static void
match_row_clear (MatchRow *row)
{
  g_free (row->status);
  g_free (row->tenant_code);
  g_free (row->line_status);
  g_free (row->currency);
  g_free (row->payer_name);
  g_free (row->payer_account);
  g_free (row->memo);
  g_free (row->bank_reference);
}

static gboolean
load_match_row (TenureDb  *db,
                gint64     match_id,
                MatchRow  *row,
                GError   **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  char id_buf[24];

  stmt = tenure_db_prepare (db, "SELECT m.status, m.bank_statement_line_id, "
                                "coalesce (m.tenant_id, 0), t.code, l.status, l.booked_on, "
                                "l.amount, l.currency, l.payer_name, l.payer_account, l.memo, "
                                "l.bank_reference FROM bank_match m "
                                "JOIN bank_statement_line l ON l.id = m.bank_statement_line_id "
                                "LEFT JOIN tenant t ON t.id = m.tenant_id WHERE m.id = $1",
                            error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, match_id);
  if (!tenure_stmt_step (stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("Bank match %s does not exist"), ID_TEXT (match_id));
      return FALSE;
    }
  row->status = g_strdup (tenure_stmt_column_text (stmt, 0));
  row->line_id = tenure_stmt_column_int64 (stmt, 1);
  row->tenant_id = tenure_stmt_column_int64 (stmt, 2);
  row->tenant_code = g_strdup (tenure_stmt_column_text (stmt, 3));
  row->line_status = g_strdup (tenure_stmt_column_text (stmt, 4));
  row->amount = tenure_stmt_column_int64 (stmt, 6);
  row->currency = g_strdup (tenure_stmt_column_text (stmt, 7));
  row->payer_name = g_strdup (tenure_stmt_column_text (stmt, 8));
  row->payer_account = g_strdup (tenure_stmt_column_text (stmt, 9));
  row->memo = g_strdup (tenure_stmt_column_text (stmt, 10));
  row->bank_reference = g_strdup (tenure_stmt_column_text (stmt, 11));
  return tenure_date_parse_iso (tenure_stmt_column_text (stmt, 5), &row->booked_on, error);
}

static gboolean
run_sql_id (TenureDb    *db,
            const char  *sql,
            gint64       id,
            GError     **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, id);
  return tenure_stmt_run (stmt, error);
}

static gboolean
learn_alias (TenureDb    *db,
             gint64       tenant_id,
             const char  *kind,
             char        *value,   /* taken */
             GError     **error)
{
  g_autofree char *owned = value;
  g_autoptr(TenureStmt) stmt = NULL;

  if (value == NULL || *value == '\0')
    return TRUE;
  stmt = tenure_db_prepare (db, "INSERT INTO payer_alias (tenant_id, kind, value) "
                                "VALUES ($1, $2, $3) ON CONFLICT (kind, value, tenant_id) "
                                "DO UPDATE SET confirmed_count = payer_alias.confirmed_count + 1, "
                                "last_confirmed_at = excluded.last_confirmed_at", error);
  if (stmt == NULL)
    return FALSE;
  tenure_stmt_bind_int64 (stmt, 1, tenant_id);
  tenure_stmt_bind_text (stmt, 2, kind);
  tenure_stmt_bind_text (stmt, 3, value);
  return tenure_stmt_run (stmt, error);
}

static gboolean
confirm_in_transaction (TenureDb    *db,
                        gint64       match_id,
                        TenureDate   posting_date,
                        gint64      *out_receipt,
                        GError     **error)
{
  MatchRow row = { 0 };
  g_autoptr(GArray) requests = g_array_new (FALSE, FALSE, sizeof (TenureAllocationRequest));
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  TenureReceiptInput in = { 0 };
  gboolean ok = FALSE;
  gint64 receipt;
  char id_buf[24];

  if (!load_match_row (db, match_id, &row, error))
    goto out;
  if (g_strcmp0 (row.status, "proposed") != 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Bank match %s is %s, not proposed: it cannot be "
                     "confirmed"), ID_TEXT (match_id), row.status);
      goto out;
    }
  if (row.tenant_id == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Bank match %s names no tenant: it cannot be "
                     "confirmed"), ID_TEXT (match_id));
      goto out;
    }

  stmt = tenure_db_prepare (db, "SELECT bill_line_id, amount FROM bank_match_item "
                                "WHERE bank_match_id = $1 ORDER BY id", error);
  if (stmt == NULL)
    goto out;
  tenure_stmt_bind_int64 (stmt, 1, match_id);
  while (tenure_stmt_step (stmt, &local_error))
    {
      TenureAllocationRequest r = { tenure_stmt_column_int64 (stmt, 0),
                                    tenure_stmt_column_int64 (stmt, 1) };

      g_array_append_val (requests, r);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }

  in.tenant_code = row.tenant_code;
  in.method = TENURE_RECEIPT_BANK;
  in.received_on = row.booked_on;
  in.posting_date = tenure_date_is_valid (posting_date) ? posting_date : row.booked_on;
  in.amount = row.amount;
  in.currency = row.currency;
  in.payer_name = row.payer_name;
  in.payer_account = row.payer_account;
  in.bank_reference = row.bank_reference;
  in.memo = row.memo;
  in.bank_statement_line_id = row.line_id;
  receipt = tenure_receipt_add (db, &in, error);
  if (receipt == 0)
    goto out;
  /* The receipt checks each item is still open for the amount on the posting date: another
   * receipt may have paid it since the proposal was made. */
  if (requests->len > 0
      && !tenure_receipt_allocate (db, receipt, (TenureAllocationRequest *) requests->data,
                                   requests->len, NULL, in.posting_date, NULL, &local_error))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Bank match %s is out of date and was not confirmed "
                     "(its items are no longer open as proposed): %s"), ID_TEXT (match_id),
                   local_error->message);
      goto out;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);
  stmt = tenure_db_prepare (db, "UPDATE bank_match SET status = 'confirmed', receipt_id = $2, "
                                "decided_by = $3, decided_at = tenure_now () WHERE id = $1",
                            error);
  if (stmt == NULL)
    goto out;
  tenure_stmt_bind_int64 (stmt, 1, match_id);
  tenure_stmt_bind_int64 (stmt, 2, receipt);
  tenure_stmt_bind_text (stmt, 3, tenure_db_get_actor (db));
  if (!tenure_stmt_run (stmt, error))
    goto out;
  g_clear_pointer (&stmt, tenure_stmt_free);
  stmt = tenure_db_prepare (db, "UPDATE bank_match SET status = 'rejected', decided_by = $3, "
                                "decided_at = tenure_now () WHERE bank_statement_line_id = $1 "
                                "AND id <> $2 AND status = 'proposed'", error);
  if (stmt == NULL)
    goto out;
  tenure_stmt_bind_int64 (stmt, 1, row.line_id);
  tenure_stmt_bind_int64 (stmt, 2, match_id);
  tenure_stmt_bind_text (stmt, 3, tenure_db_get_actor (db));
  if (!tenure_stmt_run (stmt, error)
      || !run_sql_id (db, "UPDATE bank_statement_line SET status = 'matched' WHERE id = $1",
                      row.line_id, error)
      || !learn_alias (db, row.tenant_id, "account",
                       tenure_match_normalize_account (row.payer_account), error)
      || !learn_alias (db, row.tenant_id, "name", tenure_match_normalize_name (row.payer_name),
                       error))
    goto out;
  *out_receipt = receipt;
  ok = TRUE;

out:
  match_row_clear (&row);
  return ok;
}

/**
 * tenure_bank_match_confirm:
 *
 * Returns: the id of the receipt written, or 0 on error (nothing written).
 */
gint64
tenure_bank_match_confirm (TenureDb    *db,
                           gint64       match_id,
                           TenureDate   posting_date,
                           GError     **error)
{
  gint64 receipt = 0;

  if (!tenure_db_begin (db, error))
    return 0;
  if (!confirm_in_transaction (db, match_id, posting_date, &receipt, error)
      || !tenure_db_commit (db, error))
    {
      tenure_db_rollback (db);
      return 0;
    }
  return receipt;
}

/** tenure_bank_match_reject: see the header. */
gboolean
tenure_bank_match_reject (TenureDb    *db,
                          gint64       match_id,
                          GError     **error)
{
  MatchRow row = { 0 };
  g_autoptr(TenureStmt) stmt = NULL;
  gboolean ok = FALSE;
  char id_buf[24];

  if (!tenure_db_begin (db, error))
    return FALSE;
  if (!load_match_row (db, match_id, &row, error))
    goto out;
  if (g_strcmp0 (row.status, "proposed") != 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Bank match %s is %s, not proposed: it cannot be "
                     "rejected"), ID_TEXT (match_id), row.status);
      goto out;
    }
  stmt = tenure_db_prepare (db, "UPDATE bank_match SET status = 'rejected', decided_by = $2, "
                                "decided_at = tenure_now () WHERE id = $1", error);
  if (stmt == NULL)
    goto out;
  tenure_stmt_bind_int64 (stmt, 1, match_id);
  tenure_stmt_bind_text (stmt, 2, tenure_db_get_actor (db));
  if (!tenure_stmt_run (stmt, error)
      || !run_sql_id (db, "UPDATE bank_statement_line SET status = 'unmatched' WHERE id = $1 "
                          "AND status = 'suggested' AND NOT EXISTS (SELECT 1 FROM bank_match "
                          "WHERE bank_statement_line_id = $1 AND status = 'proposed')",
                      row.line_id, error)
      || !tenure_db_commit (db, error))
    goto out;
  ok = TRUE;

out:
  if (!ok)
    tenure_db_rollback (db);
  match_row_clear (&row);
  return ok;
}

/** tenure_bank_match_confirm_bulk: see the header. */
gint
tenure_bank_match_confirm_bulk (TenureDb      *db,
                                const gint64  *ids,
                                guint          n_ids,
                                int            min_confidence,
                                TenureDate     posting_date,
                                GError       **error)
{
  g_autoptr(GArray) todo = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint confirmed = 0;

  if (n_ids > 0)
    g_array_append_vals (todo, ids, n_ids);
  else
    {
      g_autoptr(TenureStmt) stmt = NULL;
      g_autoptr(GError) local_error = NULL;

      stmt = tenure_db_prepare (db, "SELECT m.id FROM bank_match m WHERE m.status = 'proposed' "
                                    "AND m.confidence >= $1 AND NOT EXISTS (SELECT 1 FROM "
                                    "bank_match o WHERE o.bank_statement_line_id = "
                                    "m.bank_statement_line_id AND o.status = 'proposed' "
                                    "AND o.id <> m.id) ORDER BY m.id", error);
      if (stmt == NULL)
        return -1;
      tenure_stmt_bind_int64 (stmt, 1, min_confidence);
      while (tenure_stmt_step (stmt, &local_error))
        {
          gint64 id = tenure_stmt_column_int64 (stmt, 0);

          g_array_append_val (todo, id);
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return -1;
        }
    }
  for (guint i = 0; i < todo->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 id = g_array_index (todo, gint64, i);

      if (tenure_bank_match_confirm (db, id, posting_date, &local_error) != 0)
        confirmed++;
      else if (n_ids > 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return -1;
        }
      else
        g_debug ("bulk confirm: %s", local_error->message);
    }
  return confirmed;
}

static void
entry_free (TenureBankMatchEntry *e)
{
  g_free (e->reason);
  g_free (e->detail);
  g_free (e->tenant_code);
  g_clear_pointer (&e->items, g_array_unref);
  g_free (e);
}

void
tenure_bank_queue_line_free (TenureBankQueueLine *line)
{
  if (line == NULL)
    return;
  g_free (line->payer_name);
  g_free (line->payer_account);
  g_free (line->memo);
  g_free (line->bank_reference);
  g_free (line->status);
  g_clear_pointer (&line->proposals, g_ptr_array_unref);
  g_free (line);
}

/**
 * tenure_bank_queue_load:
 *
 * Returns: (transfer full): TenureBankQueueLine, or NULL with @error set.
 */
GPtrArray *
tenure_bank_queue_load (TenureDb    *db,
                        guint        limit,
                        GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (
    (GDestroyNotify) tenure_bank_queue_line_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) entries = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) sql = g_string_new (
    "SELECT id, booked_on, amount, currency, payer_name, payer_account, memo, bank_reference, "
    "status FROM bank_statement_line WHERE status IN ('unmatched', 'suggested') "
    "AND amount > 0 ORDER BY booked_on, id");

  if (limit > 0)
    g_string_append_printf (sql, " LIMIT %u", limit);
  stmt = tenure_db_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, &local_error))
    {
      TenureBankQueueLine *l = g_new0 (TenureBankQueueLine, 1);

      g_ptr_array_add (out, l);
      l->line_id = tenure_stmt_column_int64 (stmt, 0);
      if (!tenure_date_parse_iso (tenure_stmt_column_text (stmt, 1), &l->booked_on, error))
        return NULL;
      l->amount = tenure_stmt_column_int64 (stmt, 2);
      g_strlcpy (l->currency, tenure_stmt_column_text (stmt, 3), sizeof l->currency);
      l->payer_name = g_strdup (tenure_stmt_column_text (stmt, 4));
      l->payer_account = g_strdup (tenure_stmt_column_text (stmt, 5));
      l->memo = g_strdup (tenure_stmt_column_text (stmt, 6));
      l->bank_reference = g_strdup (tenure_stmt_column_text (stmt, 7));
      l->status = g_strdup (tenure_stmt_column_text (stmt, 8));
      l->proposals = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
      g_hash_table_insert (by_id, &l->line_id, l);
    }
  if (local_error != NULL)
    goto failed;
  g_clear_pointer (&stmt, tenure_stmt_free);

  /* Proposals and their items, in one pass each (matched to the lines read above). */
  stmt = tenure_db_prepare (db, "SELECT m.id, m.bank_statement_line_id, m.step, m.reason, "
                                "m.detail, m.confidence, coalesce (m.tenant_id, 0), t.code, "
                                "i.bill_line_id, i.amount FROM bank_match m "
                                "JOIN bank_statement_line l ON l.id = m.bank_statement_line_id "
                                "LEFT JOIN tenant t ON t.id = m.tenant_id "
                                "LEFT JOIN bank_match_item i ON i.bank_match_id = m.id "
                                "WHERE m.status = 'proposed' AND l.status = 'suggested' "
                                "ORDER BY m.confidence DESC, m.id, i.id", error);
  if (stmt == NULL)
    return NULL;
  while (tenure_stmt_step (stmt, &local_error))
    {
      gint64 id = tenure_stmt_column_int64 (stmt, 0);
      gint64 line_id = tenure_stmt_column_int64 (stmt, 1);
      TenureBankQueueLine *l = g_hash_table_lookup (by_id, &line_id);
      TenureBankMatchEntry *e;

      if (l == NULL)
        continue;  /* beyond the limit */
      e = g_hash_table_lookup (entries, &id);
      if (e == NULL)
        {
          e = g_new0 (TenureBankMatchEntry, 1);
          e->id = id;
          e->step = (int) tenure_stmt_column_int64 (stmt, 2);
          e->reason = g_strdup (tenure_stmt_column_text (stmt, 3));
          e->detail = g_strdup (tenure_stmt_column_text (stmt, 4));
          e->confidence = (int) tenure_stmt_column_int64 (stmt, 5);
          e->tenant_id = tenure_stmt_column_int64 (stmt, 6);
          e->tenant_code = g_strdup (tenure_stmt_column_text (stmt, 7));
          e->items = g_array_new (FALSE, FALSE, sizeof (TenureMatchItem));
          g_ptr_array_add (l->proposals, e);
          g_hash_table_insert (entries, &e->id, e);
        }
      if (!tenure_stmt_column_is_null (stmt, 8))
        {
          TenureMatchItem it = { tenure_stmt_column_int64 (stmt, 8),
                                 tenure_stmt_column_int64 (stmt, 9) };

          g_array_append_val (e->items, it);
        }
    }
  if (local_error != NULL)
    goto failed;
  return g_steal_pointer (&out);

failed:
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}
