/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

#include "match-noise.h"

#include <string.h>

/* Shares in per mille: clean reference 35 %, typo 10 %, transposed digits 5 %, parent pays
 * 10 %, split payments 10 %, payer alias only 15 %, amount of two bills 5 %, unrelated 10 %. */
const guint match_noise_shares[MATCH_NOISE_N_CLASSES] = {
  350, 100, 50, 100, 100, 150, 50, 100,
};

static const char * const class_names[MATCH_NOISE_N_CLASSES] = {
  "clean_reference", "typo_in_memo", "transposed_digits", "parent_pays",
  "split_payment", "payer_alias_only", "amount_of_two", "unrelated",
};

const char *
match_noise_class_name (MatchNoiseClass klass)
{
  return class_names[klass];
}

static const char * const cities[] = {
  "上海", "北京", "深圳", "广州", "杭州", "南京", "苏州", "成都", "武汉", "西安",
  "重庆", "天津", "厦门", "青岛", "宁波", "长沙",
};
static const char * const words_a[] = {
  "华", "恒", "鼎", "金", "盛", "嘉", "瑞", "新", "宏", "博", "永", "祥", "丰", "泰", "安",
  "明", "信", "达", "远", "诚", "德", "汇", "中", "君", "卓", "佳", "润", "海", "天", "宇",
};
static const char * const words_b[] = {
  "兴", "通", "源", "昌", "隆", "晟", "辉", "茂", "升", "和", "悦", "创", "航", "星", "扬",
  "凯", "帆", "川", "耀", "翔", "科", "盈", "智", "邦", "康", "锦", "峰", "岳", "宸", "璟",
};
static const char * const trades[] = {
  "商贸", "餐饮管理", "科技", "服饰", "文化传媒", "健身", "教育咨询", "医疗美容",
  "电子", "咖啡", "零售", "物流",
};
static const char * const no_ref_memos[] = {
  "房租", "11月租金", "物业费", "货款", "租金及物业费", "", "RENT", "往来款", "付款",
};
static const char * const unrelated_memos[] = {
  "退款", "利息结息", "押金退回", "其他收入", "手续费返还", "", "保险理赔", "政府补贴",
};
static const char * const people[] = {
  "王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄婷", "周杰", "吴刚",
};

typedef struct
{
  gint64      id;
  char       *code;
  gint64      tenant_id;
  char        currency[4];
  TenureDate  due;
  gint64      open;
  GPtrArray  *items;      /* TenureOpenItem (borrowed), allocation order */
  gboolean    used;
} Bill;

typedef struct
{
  gint64      tenant_id;
  char       *code;
  GPtrArray  *bills;      /* Bill, oldest first */
} Contract;

typedef struct
{
  MatchNoiseTenant *t;
  GPtrArray        *bills;     /* Bill, oldest first (own only) */
  GPtrArray        *children;  /* TenantX */
  MatchNoiseAlias  *alias;     /* or NULL */
  gboolean          parent;
} TenantX;

typedef struct
{
  MatchNoiseSet *set;
  GRand         *rand;
  GPtrArray     *tx;         /* TenantX */
  GPtrArray     *bills;      /* Bill */
  GPtrArray     *contracts;  /* Contract */
  GHashTable    *amounts;    /* &open → GPtrArray of Bill (distinct tenants checked later) */
  GHashTable    *names;      /* used names */
  TenureDate     reference;  /* the latest due month */
} Gen;

static void
bill_free (Bill *b)
{
  g_ptr_array_unref (b->items);
  g_free (b);
}

static void
contract_free (Contract *c)
{
  g_ptr_array_unref (c->bills);
  g_free (c);
}

static void
tenantx_free (TenantX *x)
{
  g_ptr_array_unref (x->bills);
  g_ptr_array_unref (x->children);
  g_free (x);
}

static void
tenant_free (MatchNoiseTenant *t)
{
  g_free (t);
}

static void
alias_free (MatchNoiseAlias *a)
{
  g_free (a);
}

static void
line_free (MatchNoiseLine *l)
{
  g_array_unref (l->truth);
  g_free (l);
}

static char *
intern (Gen        *g,
        const char *text)
{
  return g_string_chunk_insert_const (g->set->strings, text);
}

static const char *
pick (Gen                *g,
      const char * const *list,
      guint               n)
{
  return list[g_rand_int_range (g->rand, 0, n)];
}
#define PICK(g, list) pick ((g), (list), G_N_ELEMENTS (list))

static char *
unique_name (Gen        *g,
             const char *suffix)
{
  for (;;)
    {
      g_autofree char *name = g_strconcat (PICK (g, cities), PICK (g, words_a), PICK (g, words_b),
                                           PICK (g, trades), suffix, NULL);

      if (!g_hash_table_contains (g->names, name))
        {
          char *s = intern (g, name);

          g_hash_table_add (g->names, s);
          return s;
        }
    }
}

static TenantX *
add_tenant (Gen     *g,
            TenantX *parent)
{
  MatchNoiseTenant *t = g_new0 (MatchNoiseTenant, 1);
  TenantX *x = g_new0 (TenantX, 1);
  char buf[64];
  const char *full;

  t->id = g->set->tenants->len + 1;
  g_snprintf (buf, sizeof buf, "T%06" G_GINT64_FORMAT, t->id);
  t->code = intern (g, buf);
  full = unique_name (g, "有限公司");
  t->name = (char *) full;
  /* The short name drops the city: two tenants may share it (a real ambiguity). */
  t->short_name = intern (g, full + strlen (cities[0]));
  g_snprintf (buf, sizeof buf, "6217%04d%08" G_GINT64_FORMAT,
              g_rand_int_range (g->rand, 0, 10000), t->id);
  t->account = intern (g, buf);
  t->parent_id = parent != NULL ? parent->t->id : 0;
  g_ptr_array_add (g->set->tenants, t);

  x->t = t;
  x->bills = g_ptr_array_new ();
  x->children = g_ptr_array_new ();
  g_ptr_array_add (g->tx, x);
  if (parent != NULL)
    g_ptr_array_add (parent->children, x);

  /* Learned aliases: another account of the tenant, or a former name. */
  if (g_rand_double (g->rand) < 0.4)
    {
      MatchNoiseAlias *a = g_new0 (MatchNoiseAlias, 1);

      a->tenant_id = t->id;
      if (g_rand_double (g->rand) < 0.7)
        {
          a->kind = TENURE_MATCH_ALIAS_ACCOUNT;
          g_snprintf (buf, sizeof buf, "6228 %04d %08" G_GINT64_FORMAT,
                      g_rand_int_range (g->rand, 0, 10000), t->id);
          a->value = intern (g, buf);
        }
      else
        {
          a->kind = TENURE_MATCH_ALIAS_NAME;
          a->value = unique_name (g, "有限责任公司");
        }
      g_ptr_array_add (g->set->aliases, a);
      x->alias = a;
    }
  return x;
}

static TenureOpenItem *
add_item (Gen            *g,
          Bill           *b,
          Contract       *c,
          const char     *charge,
          TenureDebtPart  part,
          gint64          amount)
{
  TenureOpenItem *it = g_new0 (TenureOpenItem, 1);

  it->bill_line_id = g->set->items->len + 1;
  it->bill_id = b->id;
  it->bill_code = g_strdup (b->code);
  it->contract_id = g->contracts->len;
  it->contract_code = g_strdup (c->code);
  it->tenant_id = b->tenant_id;
  it->project_id = 1;
  it->legal_entity_id = 1;
  it->charge_item_code = g_strdup (charge);
  it->part = part;
  g_strlcpy (it->currency, b->currency, sizeof it->currency);
  it->due_date = b->due;
  it->period_start = b->due;
  it->period_end = tenure_date_add_days (tenure_date_add_months (b->due, 1), -1);
  it->posting_date = b->due;
  it->amount = amount;
  /* One bill in ten is partly paid already. */
  it->open = g_rand_double (g->rand) < 0.1 ? amount - amount / 100 * 100 / 3 : amount;
  if (it->open <= 0)
    it->open = amount;
  b->open += it->open;
  g_ptr_array_add (g->set->items, it);
  g_ptr_array_add (b->items, it);
  return it;
}

static void
add_contract (Gen     *g,
              TenantX *x)
{
  Contract *c = g_new0 (Contract, 1);
  char buf[64];
  /* 2,000–150,000 a month; half of them round thousands, so amounts repeat across tenants */
  gint64 rent = g_rand_boolean (g->rand) ? (gint64) g_rand_int_range (g->rand, 2, 151) * 100000
                                         : (gint64) g_rand_int_range (g->rand, 20, 1501) * 10000;
  gint64 fee = g_rand_double (g->rand) < 0.2 ? 0
               : (gint64) g_rand_int_range (g->rand, 50, 2000) * 1000;
  const char *currency = g_rand_double (g->rand) < 0.02 ? "USD" : "CNY";
  guint k;
  double r = g_rand_double (g->rand);

  k = r < 0.35 ? 1 : r < 0.6 ? 2 : r < 0.75 ? 3 : (guint) g_rand_int_range (g->rand, 4, 9);
  c->tenant_id = x->t->id;
  g_snprintf (buf, sizeof buf, "HT-%d-%06u", g_rand_int_range (g->rand, 2021, 2026),
              g->contracts->len + 1);
  c->code = intern (g, buf);
  c->bills = g_ptr_array_new ();
  g_ptr_array_add (g->contracts, c);

  for (guint m = k; m-- > 0; )
    {
      Bill *b = g_new0 (Bill, 1);
      TenureDate due = tenure_date_add_months (g->reference, -(gint64) m);
      GPtrArray *list;

      b->id = g->bills->len + 1;
      b->tenant_id = x->t->id;
      g_strlcpy (b->currency, currency, sizeof b->currency);
      b->due = due;
      g_snprintf (buf, sizeof buf, "ZD-%04d%02d-%06" G_GINT64_FORMAT, tenure_date_get_year (due),
                  tenure_date_get_month (due), b->id);
      b->code = intern (g, buf);
      b->items = g_ptr_array_new ();
      g_ptr_array_add (g->bills, b);
      /* allocation order within a bill: late fee, then principal lines */
      if (m > 0 && g_rand_double (g->rand) < 0.3)
        add_item (g, b, c, "LATE", TENURE_DEBT_PART_LATE_FEE,
                  (gint64) g_rand_int_range (g->rand, 100, 500000));
      add_item (g, b, c, "RENT", TENURE_DEBT_PART_PRINCIPAL, rent);
      if (fee > 0)
        add_item (g, b, c, "PMF", TENURE_DEBT_PART_PRINCIPAL, fee);
      g_ptr_array_add (c->bills, b);
      g_ptr_array_add (x->bills, b);
      list = g_hash_table_lookup (g->amounts, &b->open);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (g->amounts, &b->open, list);
        }
      g_ptr_array_add (list, b);
    }
}

static void
add_pay (GArray *truth,
         gint64  bill_id,
         gint64  amount)
{
  MatchNoisePay pay = { bill_id, amount };

  g_array_append_val (truth, pay);
}

static MatchNoiseLine *
new_line (Gen            *g,
          MatchNoiseClass klass,
          gint64          amount,
          const char     *currency,
          TenureDate      due)
{
  MatchNoiseLine *l = g_new0 (MatchNoiseLine, 1);

  l->klass = klass;
  l->truth = g_array_new (FALSE, FALSE, sizeof (MatchNoisePay));
  l->line.id = g->set->lines->len + 1;
  l->line.amount = amount;
  l->line.currency = intern (g, currency);
  l->line.booked_on = tenure_date_add_days (due, g_rand_int_range (g->rand, -3, 9));
  g_ptr_array_add (g->set->lines, l);
  return l;
}

/* The way people write a number in a memo. */
static char *
format_ref (Gen        *g,
            const char *code)
{
  GString *s = g_string_new (NULL);
  int style = g_rand_int_range (g->rand, 0, 6);

  for (const char *p = code; *p != '\0'; p++)
    {
      char c = *p;

      if (c == '-' && style == 1)
        continue;
      if (c == '-' && style == 3)
        c = ' ';
      if (style == 2)
        c = g_ascii_tolower (c);
      if (style == 4 && c != '-')
        g_string_append_unichar (s, 0xFF00 + (gunichar) c - 0x20);  /* full width */
      else
        g_string_append_c (s, c);
    }
  return g_string_free (s, FALSE);
}

static const char *
memo_with (Gen        *g,
           const char *ref)
{
  g_autofree char *memo = NULL;

  switch (g_rand_int_range (g->rand, 0, 6))
    {
    case 0: memo = g_strdup (ref); break;
    case 1: memo = g_strdup_printf ("付款 %s", ref); break;
    case 2: memo = g_strdup_printf ("%s 房租", ref); break;
    case 3: memo = g_strdup_printf ("支付%s租金及物业费", ref); break;
    case 4: memo = g_strdup_printf ("RENT %s NOV", ref); break;
    default: memo = g_strdup_printf ("货款/%s/", ref); break;
    }
  return intern (g, memo);
}

static void
set_payer (Gen              *g,
           MatchNoiseLine   *l,
           MatchNoiseTenant *t)
{
  double r = g_rand_double (g->rand);

  if (r < 0.03)
    return;  /* the bank shows no counterparty */
  l->line.payer_account = t->account;
  l->line.payer_name = g_rand_boolean (g->rand) ? t->name : t->short_name;
}

static void
set_stranger (Gen            *g,
              MatchNoiseLine *l)
{
  char buf[64];

  l->line.payer_name = intern (g, PICK (g, people));
  g_snprintf (buf, sizeof buf, "6230%012u", g_rand_int (g->rand) % 1000000000u);
  l->line.payer_account = intern (g, buf);
}

/* A bill of the tenant nobody else pays in this set: with probability @p_oldest its oldest
 * (what a tenant usually pays first; NULL when another line pays that one), else any. */
static Bill *
choose_bill (Gen     *g,
             TenantX *x,
             double   p_oldest)
{
  guint n_free = 0;

  if (x->bills->len == 0)
    return NULL;
  if (g_rand_double (g->rand) < p_oldest)
    {
      Bill *oldest = x->bills->pdata[0];

      return oldest->used ? NULL : oldest;
    }
  for (guint i = 0; i < x->bills->len; i++)
    n_free += !((Bill *) x->bills->pdata[i])->used;
  if (n_free == 0)
    return NULL;
  for (guint skip = g_rand_int_range (g->rand, 0, n_free), i = 0; i < x->bills->len; i++)
    {
      Bill *b = x->bills->pdata[i];

      if (!b->used && skip-- == 0)
        return b;
    }
  g_assert_not_reached ();
}

static int
compare_bills (gconstpointer a,
               gconstpointer b)
{
  const Bill *x = *(Bill * const *) a;
  const Bill *y = *(Bill * const *) b;

  if (x->due != y->due)
    return x->due < y->due ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* What a payment of @b's amount pays when nothing names the bill (a garbled number, a payer
 * only): the allocation rule of domain.md §7 decides between equal debts, oldest due first,
 * so the truth is the oldest bill of the payer's scope with the same open amount. */
static Bill *
rule_bill (TenantX *payer,
           Bill    *b)
{
  Bill *best = b;

  for (guint i = 0; i < payer->bills->len; i++)
    {
      Bill *o = payer->bills->pdata[i];

      if (o->open == b->open && strcmp (o->currency, b->currency) == 0
          && compare_bills (&o, &best) < 0)
        best = o;
    }
  for (guint c = 0; c < payer->children->len; c++)
    {
      Bill *o = rule_bill (payer->children->pdata[c], b);

      if (compare_bills (&o, &best) < 0)
        best = o;
    }
  return best;
}

static TenantX *
random_payer (Gen     *g,
              gboolean with_alias,
              gboolean subsidiary)
{
  for (guint tries = 0; tries < 1000; tries++)
    {
      TenantX *x = g->tx->pdata[g_rand_int_range (g->rand, 0, g->tx->len)];

      if (x->bills->len == 0 || (with_alias && x->alias == NULL)
          || (subsidiary && x->t->parent_id == 0))
        continue;
      return x;
    }
  return NULL;
}

static char *
mutate (Gen        *g,
        const char *code,
        gboolean    transpose)
{
  char *s = g_strdup (code);
  guint len = strlen (s);

  for (guint tries = 0; tries < 50; tries++)
    {
      guint p = g_rand_int_range (g->rand, 3, len - 1);

      if (!g_ascii_isdigit (s[p]))
        continue;
      if (transpose)
        {
          char c = s[p];

          if (!g_ascii_isdigit (s[p + 1]) || s[p + 1] == c)
            continue;
          s[p] = s[p + 1];
          s[p + 1] = c;
        }
      else
        s[p] = '0' + (s[p] - '0' + g_rand_int_range (g->rand, 1, 10)) % 10;
      return s;
    }
  g_free (s);
  return NULL;
}

static gboolean
gen_line (Gen            *g,
          MatchNoiseClass klass)
{
  TenantX *x;
  Bill *b;
  MatchNoiseLine *l;

  switch (klass)
    {
    case MATCH_NOISE_CLEAN_REF:
      x = random_payer (g, FALSE, FALSE);
      if (x == NULL || (b = choose_bill (g, x, 0.5)) == NULL)
        return FALSE;
      b->used = TRUE;
      if (g_rand_double (g->rand) < 0.8)
        {
          g_autofree char *ref = format_ref (g, b->code);

          l = new_line (g, klass, b->open, b->currency, b->due);
          l->line.memo = memo_with (g, ref);
          add_pay (l->truth, b->id, b->open);
        }
      else
        {
          /* the contract number: its oldest bill, or all it owes */
          const char *contract = ((TenureOpenItem *) b->items->pdata[0])->contract_code;
          g_autofree char *ref = format_ref (g, contract);
          Contract *c = g->contracts->pdata[((TenureOpenItem *) b->items->pdata[0])
                                            ->contract_id - 1];
          gboolean all = g_rand_boolean (g->rand);
          gint64 amount = 0;
          Bill *first = c->bills->pdata[0];

          for (guint i = 0; i < (all ? c->bills->len : 1); i++)
            amount += ((Bill *) c->bills->pdata[i])->open;
          l = new_line (g, klass, amount, b->currency, first->due);
          l->line.memo = memo_with (g, ref);
          for (guint i = 0; i < (all ? c->bills->len : 1); i++)
            {
              Bill *cb = c->bills->pdata[i];

              cb->used = TRUE;
              add_pay (l->truth, cb->id, cb->open);
            }
        }
      set_payer (g, l, x->t);
      return TRUE;

    case MATCH_NOISE_TYPO:
    case MATCH_NOISE_TRANSPOSED:
      {
        g_autofree char *bad = NULL;
        g_autofree char *ref = NULL;

        x = random_payer (g, FALSE, FALSE);
        if (x == NULL || (b = choose_bill (g, x, 0.9)) == NULL)
          return FALSE;
        bad = mutate (g, b->code, klass == MATCH_NOISE_TRANSPOSED);
        if (bad == NULL)
          return FALSE;
        b->used = TRUE;
        ref = format_ref (g, bad);
        l = new_line (g, klass, b->open, b->currency, b->due);
        l->line.memo = memo_with (g, ref);
        add_pay (l->truth, rule_bill (x, b)->id, b->open);
        set_payer (g, l, x->t);
        return TRUE;
      }

    case MATCH_NOISE_PARENT:
      {
        TenantX *parent;

        x = random_payer (g, FALSE, TRUE);
        if (x == NULL || (b = choose_bill (g, x, 0.9)) == NULL)
          return FALSE;
        parent = NULL;
        for (guint i = 0; i < g->tx->len && parent == NULL; i++)
          if (((TenantX *) g->tx->pdata[i])->t->id == x->t->parent_id)
            parent = g->tx->pdata[i];
        b->used = TRUE;
        l = new_line (g, klass, b->open, b->currency, b->due);
        if (g_rand_boolean (g->rand))
          {
            g_autofree char *ref = format_ref (g, b->code);

            l->line.memo = memo_with (g, ref);
            add_pay (l->truth, b->id, b->open);
          }
        else
          {
            g_autofree char *memo = g_strdup_printf ("代付%s租金", x->t->short_name);

            l->line.memo = intern (g, memo);
            add_pay (l->truth, rule_bill (x, b)->id, b->open);  /* the memo names it */
          }
        set_payer (g, l, parent->t);
        return TRUE;
      }

    case MATCH_NOISE_SPLIT:
      {
        gint64 first;

        x = random_payer (g, FALSE, FALSE);
        if (x == NULL || (b = choose_bill (g, x, 0.7)) == NULL || b->open < 20000)
          return FALSE;
        b->used = TRUE;
        first = b->open * g_rand_int_range (g->rand, 30, 71) / 100 / 100 * 100;
        for (int part = 0; part < 2; part++)
          {
            g_autofree char *ref = format_ref (g, b->code);
            gint64 amount = part == 0 ? first : b->open - first;

            l = new_line (g, klass, amount, b->currency, b->due);
            l->line.memo = memo_with (g, ref);
            add_pay (l->truth, b->id, amount);
            set_payer (g, l, x->t);
          }
        return TRUE;
      }

    case MATCH_NOISE_ALIAS_ONLY:
      x = random_payer (g, TRUE, FALSE);
      if (x == NULL || (b = choose_bill (g, x, 0.9)) == NULL)
        return FALSE;
      b->used = TRUE;
      l = new_line (g, klass, b->open, b->currency, b->due);
      l->line.memo = intern (g, PICK (g, no_ref_memos));
      if (x->alias->kind == TENURE_MATCH_ALIAS_ACCOUNT)
        {
          l->line.payer_account = x->alias->value;
          l->line.payer_name = intern (g, PICK (g, people));
        }
      else
        l->line.payer_name = x->alias->value;
      add_pay (l->truth, rule_bill (x, b)->id, b->open);
      return TRUE;

    case MATCH_NOISE_AMOUNT_TWO:
      {
        GPtrArray *list;
        Bill *other = NULL;

        b = g->bills->pdata[g_rand_int_range (g->rand, 0, g->bills->len)];
        list = g_hash_table_lookup (g->amounts, &b->open);
        if (b->used || list == NULL)
          return FALSE;
        for (guint i = 0; i < list->len && other == NULL; i++)
          {
            Bill *o = list->pdata[i];

            if (o->tenant_id != b->tenant_id && o->due == b->due
                && strcmp (o->currency, b->currency) == 0)
              other = o;
          }
        if (other == NULL)
          return FALSE;
        b->used = TRUE;
        l = new_line (g, klass, b->open, b->currency, b->due);
        l->line.memo = intern (g, "转账");
        set_stranger (g, l);
        add_pay (l->truth, b->id, b->open);
        return TRUE;
      }

    case MATCH_NOISE_UNRELATED:
    default:
      {
        gint64 amount;

        do
          amount = g_rand_int_range (g->rand, 100, 5000000);
        while (g_hash_table_contains (g->amounts, &amount));
        l = new_line (g, klass, amount, "CNY",
                      tenure_date_add_days (g->reference, g_rand_int_range (g->rand, -60, 1)));
        l->line.memo = intern (g, PICK (g, unrelated_memos));
        x = random_payer (g, FALSE, FALSE);
        if (x != NULL && g_rand_double (g->rand) < 0.3)
          set_payer (g, l, x->t);
        else
          set_stranger (g, l);
        return TRUE;
      }
    }
}

MatchNoiseSet *
match_noise_generate (guint32 seed,
                      guint   n_items,
                      guint   n_lines)
{
  MatchNoiseSet *set = g_new0 (MatchNoiseSet, 1);
  Gen g = { 0 };
  guint counts[MATCH_NOISE_N_CLASSES], assigned = 0;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));

  set->seed = seed;
  set->tenants = g_ptr_array_new_with_free_func ((GDestroyNotify) tenant_free);
  set->aliases = g_ptr_array_new_with_free_func ((GDestroyNotify) alias_free);
  set->items = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_open_item_free);
  set->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  set->strings = g_string_chunk_new (4096);
  g.set = set;
  g.rand = g_rand_new_with_seed (seed);
  g.tx = g_ptr_array_new_with_free_func ((GDestroyNotify) tenantx_free);
  g.bills = g_ptr_array_new_with_free_func ((GDestroyNotify) bill_free);
  g.contracts = g_ptr_array_new_with_free_func ((GDestroyNotify) contract_free);
  g.amounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                     (GDestroyNotify) g_ptr_array_unref);
  g.names = g_hash_table_new (g_str_hash, g_str_equal);
  g.reference = tenure_date_from_ymd (2026, 11, 1);

  while (set->items->len < n_items)
    {
      TenantX *x = add_tenant (&g, NULL);
      double r = g_rand_double (g.rand);

      if (r < 0.06)
        {
          /* a group: the parent rarely leases itself; two to four subsidiaries do */
          guint n = g_rand_int_range (g.rand, 2, 5);

          if (g_rand_double (g.rand) < 0.3)
            add_contract (&g, x);
          for (guint i = 0; i < n; i++)
            add_contract (&g, add_tenant (&g, x));
        }
      else
        {
          add_contract (&g, x);
          if (r > 0.8)
            add_contract (&g, x);
        }
    }

  /* A tenant's bills oldest first across its contracts. */
  for (guint i = 0; i < g.tx->len; i++)
    g_ptr_array_sort (((TenantX *) g.tx->pdata[i])->bills, compare_bills);

  set->bill_of_line = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < set->items->len; i++)
    {
      TenureOpenItem *it = set->items->pdata[i];

      g_hash_table_insert (set->bill_of_line, &it->bill_line_id, it);
    }

  for (guint k = 0; k < MATCH_NOISE_N_CLASSES; k++)
    {
      counts[k] = (guint) ((guint64) n_lines * match_noise_shares[k] / 1000);
      assigned += counts[k];
    }
  counts[MATCH_NOISE_CLEAN_REF] += n_lines - assigned;
  /* A split payment is two lines. */
  counts[MATCH_NOISE_SPLIT] /= 2;
  for (guint k = 0; k < MATCH_NOISE_N_CLASSES; k++)
    for (guint i = 0; i < counts[k]; i++)
      g_array_append_val (order, k);
  /* Classes interleaved in a seeded order, as a statement mixes them. */
  for (guint i = order->len; i > 1; i--)
    {
      guint j = g_rand_int_range (g.rand, 0, i);
      guint tmp = g_array_index (order, guint, i - 1);

      g_array_index (order, guint, i - 1) = g_array_index (order, guint, j);
      g_array_index (order, guint, j) = tmp;
    }
  for (guint i = 0; i < order->len; i++)
    {
      guint tries = 0;

      while (!gen_line (&g, g_array_index (order, guint, i)) && ++tries < 10000)
        ;
      if (tries >= 10000)
        g_error ("match-noise: cannot generate a line of class %s",
                 class_names[g_array_index (order, guint, i)]);
    }

  g_rand_free (g.rand);
  g_ptr_array_unref (g.tx);
  g_ptr_array_unref (g.bills);
  g_ptr_array_unref (g.contracts);
  g_hash_table_unref (g.amounts);
  g_hash_table_unref (g.names);
  return set;
}

void
match_noise_free (MatchNoiseSet *set)
{
  if (set == NULL)
    return;
  g_hash_table_unref (set->bill_of_line);
  g_ptr_array_unref (set->lines);
  g_ptr_array_unref (set->items);
  g_ptr_array_unref (set->aliases);
  g_ptr_array_unref (set->tenants);
  g_string_chunk_free (set->strings);
  g_free (set);
}

TenureMatcher *
match_noise_matcher (const MatchNoiseSet *set)
{
  TenureMatcher *m = tenure_matcher_new ();

  for (guint i = 0; i < set->tenants->len; i++)
    {
      MatchNoiseTenant *t = set->tenants->pdata[i];

      tenure_matcher_add_tenant (m, t->id, t->code, t->name, t->short_name, t->parent_id,
                                 t->account);
    }
  for (guint i = 0; i < set->aliases->len; i++)
    {
      MatchNoiseAlias *a = set->aliases->pdata[i];

      tenure_matcher_add_alias (m, a->tenant_id, (TenureMatchAliasKind) a->kind, a->value);
    }
  for (guint i = 0; i < set->items->len; i++)
    tenure_matcher_add_item (m, set->items->pdata[i]);
  tenure_matcher_prepare (m);
  return m;
}

static int
compare_pay (gconstpointer a,
             gconstpointer b)
{
  const MatchNoisePay *x = a, *y = b;

  return x->bill_id < y->bill_id ? -1 : x->bill_id > y->bill_id;
}

gboolean
match_noise_correct (const MatchNoiseSet       *set,
                     const MatchNoiseLine      *line,
                     const TenureMatchProposal *proposal)
{
  g_autoptr(GArray) got = g_array_new (FALSE, FALSE, sizeof (MatchNoisePay));
  g_autoptr(GArray) want = g_array_copy (line->truth);

  for (guint i = 0; i < proposal->items->len; i++)
    {
      const TenureMatchItem *it = &g_array_index (proposal->items, TenureMatchItem, i);
      const TenureOpenItem *oi = g_hash_table_lookup (set->bill_of_line, &it->bill_line_id);
      gboolean found = FALSE;

      g_assert_nonnull (oi);
      for (guint k = 0; k < got->len && !found; k++)
        if (g_array_index (got, MatchNoisePay, k).bill_id == oi->bill_id)
          {
            g_array_index (got, MatchNoisePay, k).amount += it->amount;
            found = TRUE;
          }
      if (!found)
        add_pay (got, oi->bill_id, it->amount);
    }
  if (got->len != want->len)
    return FALSE;
  g_array_sort (got, compare_pay);
  g_array_sort (want, compare_pay);
  return memcmp (got->data, want->data, got->len * sizeof (MatchNoisePay)) == 0;
}
