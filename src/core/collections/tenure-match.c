/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-match"

#include "collections/tenure-match.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

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
  gint64      amount_next; /* see amount index: index+1 of the next item of equal open */
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
  GHashTable *item_by_amount; /* gint64* → first MItem index + 1 (chained by amount_next) */
  GHashTable *bill_by_amount; /* gint64* → GPtrArray of MBill (multi-line bills only) */
  GArray     *amount_keys; /* gint64 storage for the keys above */
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

char *
tenure_match_normalize_reference (const char *text)
{
  g_autofree char *folded = nfkc (text);
  GString *out = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
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
  g_autofree char *folded = nfkc (memo);
  gboolean after_sep = TRUE;
  guint n = 0;

  *n_starts = 0;
  for (const char *p = folded; *p != '\0' && n < MAX_MEMO_LEN; p++)
    {
      if (!g_ascii_isalnum (*p))
        {
          after_sep = TRUE;
          continue;
        }
      if (after_sep)
        starts[(*n_starts)++] = n;
      after_sep = FALSE;
      out[n++] = g_ascii_toupper (*p);
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
  self->item_by_amount = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->bill_by_amount = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                (GDestroyNotify) g_ptr_array_unref);
  self->amount_keys = NULL;
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
  g_hash_table_unref (self->item_by_amount);
  g_hash_table_unref (self->bill_by_amount);
  g_clear_pointer (&self->amount_keys, g_array_unref);
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

  self->amount_keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                         self->items->len + self->bills->len);
  g_array_set_size (self->amount_keys, self->items->len + self->bills->len);
  for (guint i = 0; i < self->bills->len; i++)
    {
      MBill *b = self->bills->pdata[i];
      gint64 *key = &g_array_index (self->amount_keys, gint64, self->items->len + i);

      add_ref (self, b->code, b, NULL);
      if (b->items->len < 2)
        continue;
      *key = b->open;
      GPtrArray *list = g_hash_table_lookup (self->bill_by_amount, key);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (self->bill_by_amount, key, list);
        }
      g_ptr_array_add (list, b);
    }
  /* Items of equal open amount are chained, newest added first. */
  for (guint i = 0; i < self->items->len; i++)
    {
      MItem *mi = &g_array_index (self->items, MItem, i);
      gint64 *key = &g_array_index (self->amount_keys, gint64, i);
      gpointer first;

      *key = mi->open;
      first = g_hash_table_lookup (self->item_by_amount, key);
      mi->amount_next = GPOINTER_TO_SIZE (first);
      g_hash_table_insert (self->item_by_amount, key, GSIZE_TO_POINTER ((gsize) i + 1));
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
  return bill->open > 0 && strcmp (bill->currency, currency) == 0;
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

static void
step1 (TenureMatcher *self,
       MatchCtx      *ctx)
{
  char s[MAX_MEMO_LEN + 1];
  guint starts[MAX_MEMO_LEN];
  guint n_starts, n;
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (RefHit));
  char buf[MAX_REF_LEN + 1];

  if (ctx->line->memo == NULL || self->ref_lengths == 0)
    return;
  n = scan_memo (ctx->line->memo, s, starts, &n_starts);

  for (guint si = 0; si < n_starts; si++)
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

  /* One typo or two neighbours swapped, only when no reference is there as it is. */
  if (hits->len == 0)
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
  gsize next = GPOINTER_TO_SIZE (g_hash_table_lookup (self->item_by_amount, &amount));
  GPtrArray *bills = g_hash_table_lookup (self->bill_by_amount, &amount);
  TenureMatchProposal *p;
  char extra[64];

  for (; next != 0 && n < 2; next = g_array_index (self->items, MItem, next - 1).amount_next)
    {
      const MItem *mi = &g_array_index (self->items, MItem, next - 1);

      if (mi->open == amount && strcmp (mi->bill->currency, ctx->currency) == 0
          && in_window (self, mi->due, ctx->line->booked_on))
        {
          n++;
          item = mi;
        }
    }
  for (guint i = 0; bills != NULL && i < bills->len && n < 2; i++)
    {
      MBill *b = bills->pdata[i];

      if (b->open == amount && strcmp (b->currency, ctx->currency) == 0
          && in_window (self, b->due, ctx->line->booked_on))
        {
          n++;
          bill = b;
          item = NULL;
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

  step1 (self, &ctx);
  if (best_confidence (out) < TENURE_MATCH_DEFAULT_AUTO_CONFIRM)
    step2 (&ctx);
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
  if (best->step > 2 || best->suggestion_only || best->confidence < threshold || best->items->len == 0)
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
