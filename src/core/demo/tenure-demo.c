/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-demo"

#include "demo/tenure-demo.h"

#include <stdio.h>
#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "billing/tenure-bill-run.h"
#include "billing/tenure-deposit.h"
#include "billing/tenure-plan-store.h"
#include "collections/tenure-open-item.h"
#include "contracts/tenure-contract-store.h"

/* ---------------------------------------------------------------------------------------------
 * Deterministic randomness: splitmix64, never time or g_random, so a seed gives the same rows. */

typedef struct
{
  guint64 state;
} DemoRng;

static guint64
rng_next (DemoRng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. The multiply-shift bias is far below anything a demo can show. */
static guint32
rng_below (DemoRng *rng, guint32 n)
{
  return (guint32) (((rng_next (rng) >> 32) * (guint64) n) >> 32);
}

/* Uniform in [lo, hi]. */
static int
rng_range (DemoRng *rng, int lo, int hi)
{
  return lo + (int) rng_below (rng, (guint32) (hi - lo + 1));
}

static gboolean
rng_percent (DemoRng *rng, int percent)
{
  return (int) rng_below (rng, 100) < percent;
}

/* Picks an index from WEIGHTS (N entries, not all zero). */
static int
rng_weighted (DemoRng *rng, const int *weights, int n)
{
  int total = 0, pick;

  for (int i = 0; i < n; i++)
    total += weights[i];
  pick = (int) rng_below (rng, (guint32) total);
  for (int i = 0; i < n; i++)
    {
      if (pick < weights[i])
        return i;
      pick -= weights[i];
    }
  return n - 1;
}

#define PICK(rng, array) ((array)[rng_below ((rng), G_N_ELEMENTS (array))])

/* ---------------------------------------------------------------------------------------------
 * Dates as Julian day numbers (GDate), written 'YYYY-MM-DD'. */

typedef guint32 Day;

static Day
day_from_ymd (int y, int m, int d)
{
  GDate date;

  g_date_clear (&date, 1);
  d = MIN (d, g_date_get_days_in_month ((GDateMonth) m, (GDateYear) y));
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return g_date_get_julian (&date);
}

static Day
day_parse (const char *iso)
{
  int y = 0, m = 0, d = 0;

  sscanf (iso, "%d-%d-%d", &y, &m, &d);
  return day_from_ymd (y, m, d);
}

/* Adds N months (negative subtracts), clamping to the end of the month. */
static Day
day_add_months (Day day, int n)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, day);
  if (n >= 0)
    g_date_add_months (&date, (guint) n);
  else
    g_date_subtract_months (&date, (guint) -n);
  return g_date_get_julian (&date);
}

static void
day_split (Day day, int *y, int *m, int *d)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, day);
  *y = g_date_get_year (&date);
  *m = g_date_get_month (&date);
  *d = g_date_get_day (&date);
}

typedef struct
{
  char s[16];
} DayText;

static DayText
day_text (Day day)
{
  DayText t;
  int y, m, d;

  day_split (day, &y, &m, &d);
  g_snprintf (t.s, sizeof t.s, "%04d-%02d-%02d", y, m, d);
  return t;
}

static Day
day_month_start (Day day)
{
  int y, m, d;

  day_split (day, &y, &m, &d);
  return day_from_ymd (y, m, 1);
}

static char *
timestamp_of (Day day, int hour)
{
  return g_strdup_printf ("%sT%02d:00:00.000000Z", day_text (day).s, hour);
}

/* ---------------------------------------------------------------------------------------------
 * Unified codes. */

gboolean
tenure_demo_code_is_valid (const char *code)
{
  size_t len, seg_len = 0;
  gboolean first_segment = TRUE;

  if (code == NULL)
    return FALSE;
  len = strlen (code);
  if (len < 2 || len > 40)
    return FALSE;
  for (size_t i = 0; i <= len; i++)
    {
      char c = code[i];

      if (c == '-' || c == '\0')
        {
          if (seg_len == 0)
            return FALSE;
          first_segment = FALSE;
          seg_len = 0;
          continue;
        }
      if (g_ascii_isupper (c) || (g_ascii_isdigit (c) && !first_segment))
        seg_len++;
      else
        return FALSE;
    }
  return TRUE;
}

char *
tenure_demo_default_location (void)
{
  return g_build_filename (g_get_user_data_dir (), "tenure", "demo.db", NULL);
}

/* ---------------------------------------------------------------------------------------------
 * Batched inserts: rows collect into multi-row VALUES statements, prepared once per batch size,
 * so a large demo costs a round trip per batch, not per row. */

typedef struct
{
  int     kind; /* 0 NULL, 1 integer, 2 text */
  gint64  i;
  char   *s;
} DemoVal;

typedef struct
{
  TenureDb   *db;
  const char *table;
  const char *columns;
  guint       n_cols;
  guint       rows_per_stmt;
  TenureStmt *full;
  GArray     *vals;
} DemoBatch;

static void
demo_val_clear (gpointer p)
{
  g_free (((DemoVal *) p)->s);
}

static void
batch_init (DemoBatch *b, TenureDb *db, const char *table, const char *columns)
{
  memset (b, 0, sizeof *b);
  b->db = db;
  b->table = table;
  b->columns = columns;
  b->n_cols = 1;
  for (const char *p = columns; *p; p++)
    if (*p == ',')
      b->n_cols++;
  b->rows_per_stmt = MAX (1, 1500 / b->n_cols);
  b->vals = g_array_new (FALSE, TRUE, sizeof (DemoVal));
  g_array_set_clear_func (b->vals, demo_val_clear);
}

static void
batch_clear (DemoBatch *b)
{
  g_clear_pointer (&b->full, tenure_stmt_free);
  g_clear_pointer (&b->vals, g_array_unref);
}

static void
batch_int (DemoBatch *b, gint64 value)
{
  DemoVal v = { 1, value, NULL };
  g_array_append_val (b->vals, v);
}

static void
batch_text (DemoBatch *b, const char *value)
{
  DemoVal v = { value ? 2 : 0, 0, g_strdup (value) };
  g_array_append_val (b->vals, v);
}

static void
batch_null (DemoBatch *b)
{
  DemoVal v = { 0, 0, NULL };
  g_array_append_val (b->vals, v);
}

static TenureStmt *
batch_prepare (DemoBatch *b, guint n_rows, GError **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  guint param = 1;

  g_string_append_printf (sql, "INSERT INTO %s (%s) VALUES ", b->table, b->columns);
  for (guint r = 0; r < n_rows; r++)
    {
      g_string_append (sql, r ? ", (" : "(");
      for (guint c = 0; c < b->n_cols; c++)
        g_string_append_printf (sql, c ? ", $%u" : "$%u", param++);
      g_string_append_c (sql, ')');
    }
  return tenure_db_prepare (b->db, sql->str, error);
}

static gboolean
batch_flush (DemoBatch *b, GError **error)
{
  guint n_rows = b->vals->len / b->n_cols;
  g_autoptr(TenureStmt) partial = NULL;
  TenureStmt *stmt;
  gboolean ok;

  g_assert (b->vals->len % b->n_cols == 0);
  if (n_rows == 0)
    return TRUE;
  if (n_rows == b->rows_per_stmt)
    {
      if (b->full == NULL && (b->full = batch_prepare (b, n_rows, error)) == NULL)
        return FALSE;
      stmt = b->full;
    }
  else
    {
      if ((partial = batch_prepare (b, n_rows, error)) == NULL)
        return FALSE;
      stmt = partial;
    }
  for (guint i = 0; i < b->vals->len; i++)
    {
      DemoVal *v = &g_array_index (b->vals, DemoVal, i);
      if (v->kind == 1)
        tenure_stmt_bind_int64 (stmt, i + 1, v->i);
      else if (v->kind == 2)
        tenure_stmt_bind_text (stmt, i + 1, v->s);
      else
        tenure_stmt_bind_null (stmt, i + 1);
    }
  ok = tenure_stmt_run (stmt, error);
  tenure_stmt_reset (stmt);
  g_array_set_size (b->vals, 0);
  return ok;
}

/* Ends a row; flushes when the batch is full. */
static gboolean
batch_row (DemoBatch *b, GError **error)
{
  if (b->vals->len / b->n_cols >= b->rows_per_stmt)
    return batch_flush (b, error);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * The model held in memory before it is written. */

enum { FMT_MALL, FMT_OFFICE, FMT_PARK, FMT_APARTMENT, N_FMT };
static const char *const format_names[N_FMT] = {
  "mall", "office", "industrial_park", "apartment"
};

enum { B_PER_M2_DAY, B_PER_M2_MONTH, B_FIXED_MONTH, B_FIXED_PERIOD, B_ONE_OFF, B_TURNOVER,
       N_BASIS };
static const char *const basis_names[N_BASIS] = {
  "per_m2_day", "per_m2_month", "fixed_month", "fixed_period", "one_off", "turnover"
};
/* Which formats use which rent basis, and how often. */
static const int basis_weights[N_FMT][N_BASIS] = {
  [FMT_MALL] = { 0, 55, 12, 0, 10, 23 },
  [FMT_OFFICE] = { 60, 22, 10, 8, 0, 0 },
  [FMT_PARK] = { 40, 40, 0, 20, 0, 0 },
  [FMT_APARTMENT] = { 0, 0, 80, 20, 0, 0 },
};

enum { E_NONE, E_PERCENT, E_AMOUNT, E_TABLE, E_CPI, N_ESC };

enum { ROLE_CURRENT, ROLE_HISTORY, ROLE_PENDING };

typedef struct
{
  char       *code;
  const char *name;
  const char *taxpayer;
  char       *tax_id;
  gint64      id;
} DemoEntity;

typedef struct
{
  char       *code;
  char       *name;
  int         format;
  const char *city;
  char       *address;
  const char *acquired_on;
  const char *vat_method;
  int         entity;
  int         n_buildings;
  int         n_floors;     /* per building, above ground */
  int         first_floor;  /* the lowest above-ground floor with units */
  int         basements;
  int         upf_min, upf_max;
  int         plan_w, plan_h;
  int         contract_seq;
  gint64      id;
} DemoProject;

typedef struct
{
  char  *code;
  char  *name;
  int    project;
  gint64 id;
} DemoBuilding;

typedef struct
{
  char  *code;
  char  *name;
  int    building;
  int    project;
  int    level; /* -2 = B2, 1 = 1F */
  int    plan_w, plan_h;
  gint64 id;
} DemoFloor;

typedef struct
{
  char       *code;
  char       *name;
  int         floor;
  int         project;
  gint64      gfa_c, leasable_c;
  const char *status;
  gint64      asking_e4;
  char       *polygon;
  char       *vacancy_reason;
  int         row;      /* 0 top, 1 bottom: groups stay within a row */
  int         last_contract; /* newest contract on the unit, or -1 */
  gint64      id;
} DemoUnit;

typedef struct
{
  int first_unit;
  int n_units;
  int project;
  int current;    /* contract index or -1 */
  int pending;    /* contract index or -1 */
  int n_history;
  int history[3]; /* newest first */
  gboolean renewal; /* current renews history[0] */
} DemoGroup;

typedef struct
{
  char       *code;
  char       *name;
  char       *short_name;
  gboolean    person;
  int         parent; /* tenant index or -1 */
  char       *id_number;
  char       *phone;
  char       *email;
  char       *bank_account;
  const char *industry;
  Day         created;
  gint64      id;
} DemoTenant;

typedef struct
{
  char       *code;
  int         group;
  int         project;
  int         format;
  int         role;
  int         tenant;
  int         renewal_of; /* contract index or -1 */
  const char *status;
  int         basis;
  int         escalation;
  int         turnover_variant; /* 0 natural, 1 tiered, 2 artificial breakpoint */
  gboolean    rent_free;
  int         rent_free_months;
  int         term_months;
  Day         start, end, signed_on, terminated_on; /* terminated_on 0 = none */
  const char *termination_type;
  /* rent terms */
  gint64      price_e4;     /* per-m² bases */
  gint64      amount;       /* fixed bases, turnover minimum; fen */
  int         cycle;
  const char *alignment;
  int         advance_days;
  const char *days_rule;
  int         esc_by_date;
  gint64      esc_param;    /* rate_ppm or delta */
  int         turnover_rate_ppm;
  gint64      breakpoint;
  gint64      fee_price_e4;
  int         fee_cycle;
  const char *fee_days_rule;
  int         deposit_months;
  /* version 2 */
  gboolean    has_v2;
  int         v2_kind;      /* 0 price, 1 area */
  int         v2_factor;    /* per mille */
  Day         v2_from;
  gint64      v1_id, v2_id, id;
} DemoContract;

typedef struct
{
  TenureDb                *db;
  const TenureDemoOptions *opts;
  TenureDemoProgressFunc   progress;
  gpointer                 user_data;
  GCancellable            *cancellable;
  DemoRng                  rng;
  Day                      ref;
  gboolean                 large;

  GArray *entities, *projects, *buildings, *floors, *units, *groups, *tenants, *contracts;
  GHashTable *tenant_names;
  gint64 charge_rent, charge_fee, charge_deposit;

  const char *stage;
  double stage_base, stage_span, last_fraction;
} DemoGen;

#define ENTITY(g, i) (&g_array_index ((g)->entities, DemoEntity, (i)))
#define PROJECT(g, i) (&g_array_index ((g)->projects, DemoProject, (i)))
#define BUILDING(g, i) (&g_array_index ((g)->buildings, DemoBuilding, (i)))
#define FLOOR(g, i) (&g_array_index ((g)->floors, DemoFloor, (i)))
#define UNIT(g, i) (&g_array_index ((g)->units, DemoUnit, (i)))
#define GROUP(g, i) (&g_array_index ((g)->groups, DemoGroup, (i)))
#define TENANT(g, i) (&g_array_index ((g)->tenants, DemoTenant, (i)))
#define CONTRACT(g, i) (&g_array_index ((g)->contracts, DemoContract, (i)))

static void
entity_clear (gpointer p)
{
  DemoEntity *e = p;
  g_free (e->code);
  g_free (e->tax_id);
}

static void
project_clear (gpointer p)
{
  DemoProject *e = p;
  g_free (e->code);
  g_free (e->name);
  g_free (e->address);
}

static void
building_clear (gpointer p)
{
  DemoBuilding *e = p;
  g_free (e->code);
  g_free (e->name);
}

static void
floor_clear (gpointer p)
{
  DemoFloor *e = p;
  g_free (e->code);
  g_free (e->name);
}

static void
unit_clear (gpointer p)
{
  DemoUnit *e = p;
  g_free (e->code);
  g_free (e->name);
  g_free (e->polygon);
  g_free (e->vacancy_reason);
}

static void
tenant_clear (gpointer p)
{
  DemoTenant *e = p;
  g_free (e->code);
  g_free (e->name);
  g_free (e->short_name);
  g_free (e->id_number);
  g_free (e->phone);
  g_free (e->email);
  g_free (e->bank_account);
}

static void
contract_clear (gpointer p)
{
  g_free (((DemoContract *) p)->code);
}

static GArray *
model_array (gsize size, GDestroyNotify clear)
{
  GArray *a = g_array_new (FALSE, TRUE, (guint) size);
  if (clear)
    g_array_set_clear_func (a, clear);
  return a;
}

static void
demo_gen_clear (DemoGen *g)
{
  g_clear_pointer (&g->entities, g_array_unref);
  g_clear_pointer (&g->projects, g_array_unref);
  g_clear_pointer (&g->buildings, g_array_unref);
  g_clear_pointer (&g->floors, g_array_unref);
  g_clear_pointer (&g->units, g_array_unref);
  g_clear_pointer (&g->groups, g_array_unref);
  g_clear_pointer (&g->tenants, g_array_unref);
  g_clear_pointer (&g->contracts, g_array_unref);
  g_clear_pointer (&g->tenant_names, g_hash_table_unref);
}

/* ---------------------------------------------------------------------------------------------
 * Progress and cancellation. */

static void
stage_begin (DemoGen *g, const char *stage, double base, double span)
{
  g->stage = stage;
  g->stage_base = base;
  g->stage_span = span;
  g->last_fraction = -1;
  if (g->progress)
    g->progress (base, stage, g->user_data);
}

/* Reports DONE of TOTAL within the stage and checks for cancellation. */
static gboolean
stage_step (DemoGen *g, gsize done, gsize total, GError **error)
{
  double fraction = g->stage_base + g->stage_span * (total ? (double) done / total : 1.0);

  if (g_cancellable_is_cancelled (g->cancellable))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_CANCELLED,
                   _("Generating the demo portfolio was cancelled"));
      return FALSE;
    }
  if (g->progress && fraction - g->last_fraction >= 0.005)
    {
      g->last_fraction = fraction;
      g->progress (MIN (fraction, 1.0), g->stage, g->user_data);
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Identity numbers that look real: resident ID (GB 11643) and unified social credit code
 * (GB 32100), both with valid check characters, so masking and validation have data to show. */

static const char *const regions[] = {
  "310115", "310106", "310104", "110105", "110108", "440305", "440106", "330106",
  "320106", "510107", "420106", "610113", "500103", "120101", "430104", "370212",
};

static char *
make_resident_id (DemoRng *rng, int birth_year)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  char buf[19];
  int sum = 0;

  g_snprintf (buf, sizeof buf, "%s%04d%02d%02d%03d", PICK (rng, regions), birth_year,
              rng_range (rng, 1, 12), rng_range (rng, 1, 28), rng_range (rng, 1, 999));
  for (int i = 0; i < 17; i++)
    sum += (buf[i] - '0') * weights[i];
  buf[17] = "10X98765432"[sum % 11];
  buf[18] = '\0';
  return g_strdup (buf);
}

static char *
make_credit_code (DemoRng *rng)
{
  static const char charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  char buf[19];
  int sum = 0, weight = 1, check;

  g_snprintf (buf, sizeof buf, "91%s", PICK (rng, regions));
  for (int i = 8; i < 17; i++)
    buf[i] = i < 16 ? charset[rng_below (rng, 31)] : charset[rng_below (rng, 10)];
  for (int i = 0; i < 17; i++)
    {
      sum += (int) (strchr (charset, buf[i]) - charset) * weight;
      weight = weight * 3 % 31;
    }
  check = (31 - sum % 31) % 31;
  buf[17] = charset[check];
  buf[18] = '\0';
  return g_strdup (buf);
}

static char *
make_digits (DemoRng *rng, const char *prefix, int n)
{
  GString *s = g_string_new (prefix);

  for (int i = 0; i < n; i++)
    g_string_append_c (s, (char) ('0' + rng_below (rng, 10)));
  return g_string_free (s, FALSE);
}

static char *
make_mobile (DemoRng *rng)
{
  static const char *const prefixes[] = { "135", "136", "138", "139", "150", "158", "177",
                                          "186", "188", "199" };
  return make_digits (rng, PICK (rng, prefixes), 8);
}

/* ---------------------------------------------------------------------------------------------
 * Assets. */

typedef struct
{
  const char *code;
  const char *name;
  const char *district;
} DemoCity;

static const DemoCity cities[] = {
  { "SH", "上海", "上海市浦东新区" }, { "BJ", "北京", "北京市朝阳区" },
  { "GZ", "广州", "广州市天河区" }, { "SZ", "深圳", "深圳市南山区" },
  { "HZ", "杭州", "杭州市西湖区" }, { "NJ", "南京", "南京市建邺区" },
  { "SU", "苏州", "苏州市工业园区" }, { "CD", "成都", "成都市高新区" },
  { "WH", "武汉", "武汉市江汉区" }, { "XA", "西安", "西安市雁塔区" },
  { "CQ", "重庆", "重庆市渝北区" }, { "TJ", "天津", "天津市河西区" },
  { "CS", "长沙", "长沙市岳麓区" }, { "ZZ", "郑州", "郑州市金水区" },
  { "QD", "青岛", "青岛市市南区" }, { "XM", "厦门", "厦门市思明区" },
  { "NB", "宁波", "宁波市鄞州区" }, { "HF", "合肥", "合肥市蜀山区" },
  { "JN", "济南", "济南市历下区" }, { "FZ", "福州", "福州市鼓楼区" },
};

static const struct
{
  const char *abbr;
  const char *name;
} brands[] = {
  { "XH", "星河" }, { "YF", "云峰" }, { "JX", "锦绣" }, { "HJ", "汇金" }, { "TY", "天誉" },
  { "ZH", "中环" }, { "BJ", "滨江" }, { "MZ", "明珠" }, { "JH", "嘉禾" }, { "JQ", "金桥" },
  { "CH", "翠湖" }, { "RF", "瑞丰" }, { "HT", "宏图" }, { "YH", "颐和" }, { "ZJ", "紫荆" },
};

static const char *const streets[] = {
  "世纪大道", "南京西路", "张江路", "人民路", "建设路", "中山路", "解放路", "滨江大道",
  "科技路", "创新大道", "长江路", "学府路",
};

static void
add_entity (DemoGen *g, const char *code, const char *name, const char *taxpayer)
{
  DemoEntity e = { g_strdup (code), name, taxpayer, make_credit_code (&g->rng), 0 };
  g_array_append_val (g->entities, e);
}

static void
plan_projects (DemoGen *g)
{
  if (!g->large)
    {
      DemoProject p[3] = {
        { g_strdup ("SH-XH01"), g_strdup ("星河汇购物中心"), FMT_MALL, "上海",
          g_strdup ("上海市浦东新区世纪大道1888号"), "2014-06-30", "simplified", 0,
          1, 6, 1, 2, 28, 32, 1000, 600, 0, 0 },
        { g_strdup ("SH-XT02"), g_strdup ("星河中心大厦"), FMT_OFFICE, "上海",
          g_strdup ("上海市静安区南京西路1266号"), "2017-09-15", "general", 0,
          1, 24, 1, 0, 7, 9, 1000, 600, 0, 0 },
        { g_strdup ("SH-XY03"), g_strdup ("星寓·张江长租公寓"), FMT_APARTMENT, "上海",
          g_strdup ("上海市浦东新区张江路368号"), "2019-03-01", "simplified", 1,
          2, 4, 2, 0, 17, 19, 600, 300, 0, 0 },
      };

      add_entity (g, "LE-XHZY", "上海星河置业有限公司", "general");
      add_entity (g, "LE-XHGY", "上海星寓公寓管理有限公司", "small_scale");
      g_array_append_vals (g->projects, p, 3);
      return;
    }

  add_entity (g, "LE-XHJT", "星河控股集团有限公司", "general");
  add_entity (g, "LE-XHSY", "星河商业管理有限公司", "general");
  add_entity (g, "LE-XHCY", "星河产业园发展有限公司", "general");
  add_entity (g, "LE-XHGY", "星寓公寓管理有限公司", "small_scale");
  for (int i = 0; i < 50; i++)
    {
      static const char *const suffix[N_FMT][3] = {
        { "购物中心", "广场", "天地" },
        { "国际大厦", "金融中心", "商务中心" },
        { "科技园", "产业园", "创新园" },
        { "公寓", "青年社区", "长租公寓" },
      };
      const DemoCity *city = &cities[i % G_N_ELEMENTS (cities)];
      int b = (int) rng_below (&g->rng, G_N_ELEMENTS (brands));
      int format = i % N_FMT;
      int total_floors;
      DemoProject p = { 0 };

      p.code = g_strdup_printf ("%s-%s%02d", city->code, brands[b].abbr, i + 1);
      p.name = g_strdup_printf ("%s%s%s", city->name, brands[b].name,
                                suffix[format][rng_below (&g->rng, 3)]);
      p.format = format;
      p.city = city->name;
      p.address = g_strdup_printf ("%s%s%d号", city->district, PICK (&g->rng, streets),
                                   rng_range (&g->rng, 1, 2999));
      p.acquired_on = format == FMT_MALL && i < 12 ? "2015-08-31" : "2018-06-30";
      p.vat_method = format == FMT_APARTMENT || (format == FMT_MALL && i < 12)
                     ? "simplified" : "general";
      p.entity = format == FMT_APARTMENT ? 3 : format == FMT_PARK ? 2 : i % 2;
      p.first_floor = format == FMT_APARTMENT ? 2 : 1;
      p.basements = format == FMT_MALL ? 2 : 0;
      p.plan_w = format == FMT_APARTMENT ? 600 : 1000;
      p.plan_h = format == FMT_APARTMENT ? 300 : 600;
      switch (format)
        {
        case FMT_MALL: p.n_buildings = 2; p.upf_min = 36; p.upf_max = 40; break;
        case FMT_OFFICE: p.n_buildings = 3; p.upf_min = 16; p.upf_max = 20; break;
        case FMT_PARK: p.n_buildings = 8; p.upf_min = 24; p.upf_max = 30; break;
        default: p.n_buildings = 4; p.upf_min = 30; p.upf_max = 36; break;
        }
      /* Enough floors for 2,000 units whatever the draws (plan_assets stops there), so 50
       * projects hold just over 100,000 units. */
      total_floors = (2000 + p.upf_min - 1) / p.upf_min + 1;
      p.n_floors = (total_floors + p.n_buildings - 1) / p.n_buildings
                   - (p.basements * p.n_buildings + p.n_buildings - 1) / p.n_buildings;
      p.n_floors = MAX (p.n_floors, 1);
      g_array_append_val (g->projects, p);
    }
}

static gint64
asking_price_e4 (DemoGen *g, int format, int level)
{
  int lo, hi;

  switch (format)
    {
    case FMT_MALL:
      if (level == 1) { lo = 600; hi = 900; }
      else if (level == 2) { lo = 380; hi = 520; }
      else if (level == -1) { lo = 300; hi = 450; }
      else if (level < -1) { lo = 120; hi = 200; }
      else if (level <= 4) { lo = 250; hi = 380; }
      else { lo = 180; hi = 280; }
      break;
    case FMT_OFFICE:
      lo = 150 + MIN (level, 40) * 2;
      hi = lo + 60;
      break;
    case FMT_PARK: lo = 45; hi = 90; break;
    default: lo = 110; hi = 160; break;
    }
  return (gint64) rng_range (&g->rng, lo, hi) * 10000;
}

static const char *const reasons_available[] = {
  "招商中，已有意向客户带看",
  "面积偏大，拟分割后招租",
  "报价高于周边市场，待调价",
  "位置偏僻，客流不足",
  "业态调整中，暂缓招租",
  "工程条件不满足（排烟、荷载），待改造",
  "招商中，暂无意向客户",
};

/* Lays the units of one floor out in two rows along a corridor: rectangles whose widths follow
 * random weights, some cut to an L, never overlapping and always inside the plan. */
static void
plan_floor_units (DemoGen *g, int floor_index)
{
  DemoFloor *f = FLOOR (g, floor_index);
  DemoProject *p = PROJECT (g, f->project);
  int n = rng_range (&g->rng, p->upf_min, p->upf_max);
  int margin = 10, corridor = f->plan_h / 10, gap = 2;
  int row_h = (f->plan_h - 2 * margin - corridor) / 2;
  int in_row[2] = { (n + 1) / 2, n / 2 };
  int index = 1;

  for (int row = 0; row < 2; row++)
    {
      int weights[64], total = 0, cum = 0;
      int y0 = row == 0 ? margin : margin + row_h + corridor;
      int y1 = y0 + row_h;
      int span = f->plan_w - 2 * margin;

      g_assert (in_row[row] <= (int) G_N_ELEMENTS (weights));
      for (int i = 0; i < in_row[row]; i++)
        {
          weights[i] = rng_range (&g->rng, 60, 140);
          if (p->format == FMT_MALL && i == 0 && rng_percent (&g->rng, 30))
            weights[i] *= 3; /* an anchor store at the end of the row */
          total += weights[i];
        }
      for (int i = 0; i < in_row[row]; i++)
        {
          int x0 = margin + (int) ((gint64) span * cum / total);
          int x1;
          gint64 area;
          DemoUnit u = { 0 };

          cum += weights[i];
          x1 = margin + (int) ((gint64) span * cum / total) - gap;
          if (rng_percent (&g->rng, 12))
            {
              /* L-shape: the corner towards the corridor is cut away. */
              int xm = (x0 + x1) / 2;
              int ym = row == 0 ? y0 + (y1 - y0) * 2 / 3 : y0 + (y1 - y0) / 3;
              if (row == 0)
                u.polygon = g_strdup_printf ("[[%d,%d],[%d,%d],[%d,%d],[%d,%d],[%d,%d],[%d,%d]]",
                                             x0, y0, x1, y0, x1, ym, xm, ym, xm, y1, x0, y1);
              else
                u.polygon = g_strdup_printf ("[[%d,%d],[%d,%d],[%d,%d],[%d,%d],[%d,%d],[%d,%d]]",
                                             x0, y0, xm, y0, xm, ym, x1, ym, x1, y1, x0, y1);
              area = (gint64) (x1 - x0) * (y1 - y0)
                     - (gint64) (x1 - xm) * (row == 0 ? y1 - ym : ym - y0);
            }
          else
            {
              u.polygon = g_strdup_printf ("[[%d,%d],[%d,%d],[%d,%d],[%d,%d]]",
                                           x0, y0, x1, y0, x1, y1, x0, y1);
              area = (gint64) (x1 - x0) * (y1 - y0);
            }
          /* One plan unit is 0.1 m, so a plan unit² is exactly 0.01 m² (area_c). */
          u.leasable_c = area;
          u.gfa_c = area * rng_range (&g->rng, 1120, 1300) / 1000;
          if (f->level < 0)
            u.name = g_strdup_printf ("B%d%02d", -f->level, index);
          else
            u.name = g_strdup_printf ("%d%02d", f->level, index);
          u.code = g_strdup_printf ("%s-%s", f->code, u.name);
          u.floor = floor_index;
          u.project = f->project;
          u.row = row;
          u.asking_e4 = asking_price_e4 (g, p->format, f->level);
          u.last_contract = -1;
          switch (rng_below (&g->rng, 100))
            {
            case 0: case 1: case 2:
              u.status = "not_for_lease";
              u.vacancy_reason = g_strdup (rng_percent (&g->rng, 50) ? "物业自用（管理用房）"
                                                                       : "设备机房，不对外出租");
              break;
            case 3: case 4:
              u.status = "reserved";
              u.vacancy_reason = g_strdup ("已预留给意向客户，合同洽谈中");
              break;
            case 5: case 6: case 7:
              u.status = "renovation";
              u.vacancy_reason = g_strdup ("装修改造中，计划2027年第一季度完工");
              break;
            default:
              u.status = "available";
              break;
            }
          g_array_append_val (g->units, u);
          index++;
        }
    }
}

static void
plan_assets (DemoGen *g)
{
  for (guint pi = 0; pi < g->projects->len; pi++)
    {
      DemoProject *p = PROJECT (g, pi);
      guint project_units = 0, before;

      for (int b = 0; b < p->n_buildings; b++)
        {
          DemoBuilding bd = { 0 };
          int bi = (int) g->buildings->len;

          bd.code = g_strdup_printf ("%s-%c", p->code, 'A' + b);
          bd.name = p->format == FMT_PARK ? g_strdup_printf ("%d号楼", b + 1)
                                         : g_strdup_printf ("%c座", 'A' + b);
          bd.project = (int) pi;
          g_array_append_val (g->buildings, bd);

          for (int level = -p->basements; level < p->first_floor + p->n_floors; level++)
            {
              DemoFloor f = { 0 };

              if (level == 0 || (level > 0 && level < p->first_floor))
                continue;
              /* Large projects stop at their share of units: the last buildings are lower. */
              if (g->large && level > p->first_floor && project_units >= 2000)
                break;
              f.code = level < 0 ? g_strdup_printf ("%s-B%d", bd.code, -level)
                                 : g_strdup_printf ("%s-%d", bd.code, level);
              f.name = level < 0 ? g_strdup_printf ("B%d", -level)
                                 : g_strdup_printf ("%dF", level);
              f.building = bi;
              f.project = (int) pi;
              f.level = level;
              f.plan_w = p->plan_w;
              f.plan_h = p->plan_h;
              g_array_append_val (g->floors, f);
              before = g->units->len;
              plan_floor_units (g, (int) g->floors->len - 1);
              project_units += g->units->len - before;
            }
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * Contracts: which units are let, to whom, on what terms, along a timeline around the reference
 * date. Units are grouped (a tenant taking two or three neighbours); a group has at most one
 * current contract, earlier ones that ended before it began, and perhaps one awaiting approval. */

static void
plan_groups (DemoGen *g)
{
  guint i = 0;

  while (i < g->units->len)
    {
      DemoUnit *u = UNIT (g, i);
      int format = PROJECT (g, u->project)->format;
      int want = 1, n = 1;
      DemoGroup grp = { (int) i, 1, u->project, -1, -1, 0, { -1, -1, -1 }, FALSE };

      if (strcmp (u->status, "available") == 0)
        {
          static const int sizes[N_FMT][3] = {
            { 80, 15, 5 }, { 50, 35, 15 }, { 70, 30, 0 }, { 100, 0, 0 },
          };
          want = 1 + rng_weighted (&g->rng, sizes[format], 3);
          while (n < want && i + n < g->units->len)
            {
              DemoUnit *next = UNIT (g, i + n);
              if (next->floor != u->floor || next->row != u->row
                  || strcmp (next->status, "available") != 0)
                break;
              n++;
            }
        }
      grp.n_units = n;
      if (strcmp (u->status, "not_for_lease") != 0)
        g_array_append_val (g->groups, grp);
      i += n;
    }
}

static int
new_contract (DemoGen *g, int group, int role)
{
  DemoContract c = { 0 };
  DemoGroup *grp = GROUP (g, group);

  c.group = group;
  c.project = grp->project;
  c.format = PROJECT (g, grp->project)->format;
  c.role = role;
  c.tenant = -1;
  c.renewal_of = -1;
  c.basis = -1;
  g_array_append_val (g->contracts, c);
  return (int) g->contracts->len - 1;
}

static void
shuffle (DemoRng *rng, int *items, int n)
{
  for (int i = n - 1; i > 0; i--)
    {
      int j = (int) rng_below (rng, (guint32) i + 1);
      int t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
}

static void
plan_contract_slots (DemoGen *g)
{
  int n_groups = (int) g->groups->len;
  g_autofree int *order = g_new (int, n_groups);
  int target, pending_target, current_cap, n_current = 0, n_pending = 0, guard = 0;
  static const int leased_percent[N_FMT] = { 90, 86, 92, 88 };

  for (int i = 0; i < n_groups; i++)
    order[i] = i;
  shuffle (&g->rng, order, n_groups);

  if (g->large)
    {
      target = MAX ((int) g->units->len * 26 / 25, 100500);
      pending_target = target / 100;
      current_cap = target;
    }
  else
    {
      target = rng_range (&g->rng, 440, 470);
      pending_target = 8;
      current_cap = target - pending_target - target * 12 / 100;
    }

  /* Let a group today: only when its units are free to let. */
  for (int k = 0; k < n_groups && n_current < current_cap; k++)
    {
      DemoGroup *grp = GROUP (g, order[k]);
      DemoUnit *u = UNIT (g, grp->first_unit);
      int format = PROJECT (g, grp->project)->format;

      if (strcmp (u->status, "available") != 0 || !rng_percent (&g->rng, leased_percent[format]))
        continue;
      grp->current = new_contract (g, order[k], ROLE_CURRENT);
      n_current++;
    }
  /* Contracts awaiting approval on some vacant groups. */
  for (int k = n_groups - 1; k >= 0 && n_pending < pending_target; k--)
    {
      DemoGroup *grp = GROUP (g, order[k]);
      if (grp->current >= 0 || strcmp (UNIT (g, grp->first_unit)->status, "available") != 0)
        continue;
      grp->pending = new_contract (g, order[k], ROLE_PENDING);
      n_pending++;
    }
  /* Earlier contracts until the target count: renewals, moves-out, early terminations. */
  while ((int) g->contracts->len < target && guard++ < target * 20)
    {
      DemoGroup *grp = GROUP (g, rng_below (&g->rng, (guint32) n_groups));
      int ci;

      if (grp->n_history >= 3)
        continue;
      ci = new_contract (g, (int) (grp - GROUP (g, 0)), ROLE_HISTORY);
      if (grp->n_history == 0 && grp->current >= 0 && rng_percent (&g->rng, 50))
        grp->renewal = TRUE;
      grp->history[grp->n_history++] = ci;
    }
}

static gboolean
basis_allowed (int basis, int format)
{
  return basis_weights[format][basis] > 0;
}

static int
pick_term (DemoGen *g, DemoContract *c)
{
  DemoGroup *grp = GROUP (g, c->group);

  if (c->basis == B_ONE_OFF)
    return rng_range (&g->rng, 3, 6);
  switch (c->format)
    {
    case FMT_APARTMENT:
      {
        static const int terms[] = { 12, 12, 12, 12, 12, 12, 12, 6, 24, 24 };
        return PICK (&g->rng, terms);
      }
    case FMT_MALL:
      if (grp->n_units >= 2)
        {
          static const int terms[] = { 60, 96, 120 };
          return PICK (&g->rng, terms);
        }
      else
        {
          static const int terms[] = { 24, 36, 36, 60 };
          return PICK (&g->rng, terms);
        }
    case FMT_OFFICE:
      {
        static const int terms[] = { 24, 24, 36, 36, 36, 36, 36, 60, 60 };
        return PICK (&g->rng, terms);
      }
    default:
      {
        static const int terms[] = { 36, 60 };
        return PICK (&g->rng, terms);
      }
    }
}

/* Gives every contract its lease type. Quotas first (so each type of domain.md §5 appears at
 * least QUOTA times even in the small demo), then draws weighted by the project's format. */
static void
plan_lease_types (DemoGen *g)
{
  int n = (int) g->contracts->len;
  g_autofree int *order = g_new (int, n);
  const int quota = 26;
  static const int basis_order[] = { B_ONE_OFF, B_TURNOVER, B_PER_M2_DAY, B_FIXED_PERIOD,
                                     B_PER_M2_MONTH, B_FIXED_MONTH };
  static const int esc_order[] = { E_CPI, E_TABLE, E_AMOUNT, E_PERCENT };
  int taken, variant = 0;

  for (int i = 0; i < n; i++)
    order[i] = i;
  shuffle (&g->rng, order, n);

  for (guint b = 0; b < G_N_ELEMENTS (basis_order); b++)
    {
      taken = 0;
      for (int k = 0; k < n && taken < quota; k++)
        {
          DemoContract *c = CONTRACT (g, order[k]);
          if (c->basis < 0 && basis_allowed (basis_order[b], c->format))
            {
              c->basis = basis_order[b];
              taken++;
            }
        }
    }
  for (int i = 0; i < n; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      if (c->basis < 0)
        c->basis = rng_weighted (&g->rng, basis_weights[c->format], N_BASIS);
      c->term_months = pick_term (g, c);
      if (c->basis == B_TURNOVER)
        c->turnover_variant = variant++ % 3;
    }

  shuffle (&g->rng, order, n);
  for (guint e = 0; e < G_N_ELEMENTS (esc_order); e++)
    {
      taken = 0;
      for (int k = 0; k < n && taken < quota; k++)
        {
          DemoContract *c = CONTRACT (g, order[k]);
          gboolean per_m2 = c->basis == B_PER_M2_DAY || c->basis == B_PER_M2_MONTH;

          if (c->escalation != E_NONE || c->term_months < 24
              || !(per_m2 || (c->basis == B_FIXED_MONTH && esc_order[e] != E_CPI)))
            continue;
          c->escalation = esc_order[e];
          taken++;
        }
    }
  for (int i = 0; i < n; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      if (c->escalation == E_NONE && c->term_months >= 24 && c->basis <= B_FIXED_MONTH
          && rng_percent (&g->rng, 50))
        c->escalation = rng_percent (&g->rng, 80) ? E_PERCENT : E_AMOUNT;
    }

  shuffle (&g->rng, order, n);
  taken = 0;
  for (int k = 0; k < n; k++)
    {
      DemoContract *c = CONTRACT (g, order[k]);
      if (c->basis == B_ONE_OFF || c->term_months < 12 || c->format == FMT_APARTMENT)
        continue;
      if (taken < quota || rng_percent (&g->rng, 30))
        {
          c->rent_free = TRUE;
          c->rent_free_months = rng_range (&g->rng, 1, 3);
          taken++;
        }
    }
}

static Day
pick_start_in_month (DemoGen *g, Day month_start)
{
  static const int days[] = { 1, 1, 1, 1, 1, 1, 10, 15, 16, 20, 28, 31 };
  int y, m, d;

  day_split (month_start, &y, &m, &d);
  return day_from_ymd (y, m, PICK (&g->rng, days));
}

/* Places contracts on the calendar, newest first, so a unit is never let twice at once. */
static void
plan_timelines (DemoGen *g)
{
  Day ref_month = day_month_start (g->ref);

  for (guint gi = 0; gi < g->groups->len; gi++)
    {
      DemoGroup *grp = GROUP (g, gi);
      Day cursor = g->ref; /* the next contract starts on or after this */

      if (grp->pending >= 0)
        {
          DemoContract *c = CONTRACT (g, grp->pending);
          c->start = day_add_months (ref_month, rng_range (&g->rng, 1, 3));
          c->end = day_add_months (c->start, c->term_months) - 1;
          c->status = rng_percent (&g->rng, 50) ? "pending_approval" : "draft";
          c->signed_on = 0;
        }
      if (grp->current >= 0)
        {
          DemoContract *c = CONTRACT (g, grp->current);
          int back = rng_range (&g->rng, 0, c->term_months - 1);

          c->start = back == 0 ? g->ref
                               : pick_start_in_month (g, day_add_months (ref_month, -back));
          c->end = day_add_months (c->start, c->term_months) - 1;
          c->status = "active";
          cursor = c->start;
        }
      for (int h = 0; h < grp->n_history; h++)
        {
          DemoContract *c = CONTRACT (g, grp->history[h]);
          Day end;

          if (h == 0 && grp->renewal)
            {
              end = cursor - 1;
              CONTRACT (g, grp->current)->renewal_of = grp->history[h];
            }
          else if (h == 0 && grp->current < 0)
            end = cursor - 1 - (Day) rng_range (&g->rng, 0, 300);
          else
            end = cursor - 1 - (Day) rng_range (&g->rng, 0, 120);
          c->end = end;
          c->start = day_add_months (end + 1, -c->term_months);
          c->status = "expired";
          cursor = c->start;
          if (!(h == 0 && grp->renewal) && c->term_months >= 12 && rng_percent (&g->rng, 35))
            {
              int max_back = (int) (c->end - c->start) / 2;
              c->status = "terminated";
              c->terminated_on = c->end - (Day) rng_range (&g->rng, 30, MAX (31, max_back));
              c->termination_type = rng_percent (&g->rng, 60) ? "early_agreement" : "breach";
            }
        }
    }

  for (guint i = 0; i < g->contracts->len; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      if (c->role != ROLE_PENDING)
        c->signed_on = c->start - (Day) rng_range (&g->rng, 7, 60);
    }
}

static gint64
round_to (gint64 value, gint64 step)
{
  return MAX (step, (value + step / 2) / step * step);
}

static gint64
contract_area_c (DemoGen *g, DemoContract *c)
{
  DemoGroup *grp = GROUP (g, c->group);
  gint64 area = 0;

  for (int i = 0; i < grp->n_units; i++)
    area += UNIT (g, grp->first_unit + i)->leasable_c;
  return area;
}

/* Prices and billing terms. */
static void
plan_terms (DemoGen *g)
{
  for (guint i = 0; i < g->contracts->len; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      DemoGroup *grp = GROUP (g, c->group);
      gint64 month_e4 = UNIT (g, grp->first_unit)->asking_e4 * rng_range (&g->rng, 88, 105) / 100;
      gint64 monthly = round_to (contract_area_c (g, c) * month_e4 / 10000, 10000);

      c->alignment = rng_percent (&g->rng, 35) ? "calendar" : "anniversary";
      c->advance_days = rng_percent (&g->rng, 60) ? 0 : rng_range (&g->rng, 1, 3) * 5;
      c->days_rule = rng_percent (&g->rng, 65) ? "ACTUAL" : "FIXED_30";
      switch (c->format)
        {
        case FMT_MALL:
          {
            static const int cycles[] = { 1, 1, 1, 1, 1, 1, 3, 3, 3, 2 };
            c->cycle = PICK (&g->rng, cycles);
            c->fee_price_e4 = rng_range (&g->rng, 30, 45) * 10000;
            break;
          }
        case FMT_OFFICE:
          {
            static const int cycles[] = { 3, 3, 3, 3, 3, 3, 1, 6, 6, 12 };
            c->cycle = PICK (&g->rng, cycles);
            c->fee_price_e4 = rng_range (&g->rng, 18, 35) * 10000;
            break;
          }
        case FMT_PARK:
          {
            static const int cycles[] = { 3, 3, 3, 3, 6, 6, 12, 1 };
            c->cycle = PICK (&g->rng, cycles);
            c->fee_price_e4 = rng_range (&g->rng, 5, 12) * 10000;
            break;
          }
        default:
          {
            static const int cycles[] = { 1, 1, 1, 3, 3, 3, 3, 2, 6, 12 };
            c->cycle = PICK (&g->rng, cycles);
            c->fee_price_e4 = rng_range (&g->rng, 30, 60) * 1000;
            break;
          }
        }
      c->fee_cycle = c->cycle;
      c->fee_days_rule = c->days_rule;
      c->deposit_months = c->format == FMT_APARTMENT ? 1 : rng_range (&g->rng, 2, 3);

      switch (c->basis)
        {
        case B_PER_M2_DAY:
          c->price_e4 = round_to (month_e4 * 12 / 365, 500);
          if (rng_percent (&g->rng, 60))
            {
              /* 365/12 days a month applies to per-day prices only: fees keep ACTUAL. */
              c->days_rule = "AVG_365_12";
              c->fee_days_rule = "ACTUAL";
            }
          break;
        case B_PER_M2_MONTH:
          c->price_e4 = round_to (month_e4, 10000);
          break;
        case B_FIXED_MONTH:
          c->amount = monthly;
          break;
        case B_FIXED_PERIOD:
          if (c->cycle < 3)
            c->cycle = 3;
          c->amount = monthly * c->cycle;
          break;
        case B_ONE_OFF:
          c->amount = monthly * c->term_months;
          c->cycle = 1;
          c->fee_cycle = 1;
          break;
        case B_TURNOVER:
          c->amount = monthly; /* the guaranteed minimum per month */
          c->cycle = 1;
          c->fee_cycle = 1;
          c->turnover_rate_ppm = rng_range (&g->rng, 12, 30) * 5000;
          if (c->turnover_variant == 2)
            c->breakpoint = round_to (monthly * 1000000 / c->turnover_rate_ppm
                                      * rng_range (&g->rng, 80, 120) / 100, 1000000);
          break;
        default:
          g_assert_not_reached ();
        }
      switch (c->escalation)
        {
        case E_PERCENT:
        case E_TABLE:
          c->esc_by_date = rng_percent (&g->rng, 30);
          c->esc_param = rng_range (&g->rng, 3, 6) * 10000;
          break;
        case E_AMOUNT:
          c->esc_by_date = rng_percent (&g->rng, 30);
          c->esc_param = c->basis == B_PER_M2_DAY ? rng_range (&g->rng, 2, 5) * 1000
                         : c->basis == B_PER_M2_MONTH ? rng_range (&g->rng, 5, 20) * 10000
                         : round_to (c->amount * 3 / 100, 10000);
          break;
        default:
          break;
        }

      /* A change (supplementary agreement) some time after the rent-free months. */
      if (c->role != ROLE_PENDING && c->basis != B_ONE_OFF && c->term_months >= 24
          && rng_percent (&g->rng, 14))
        {
          Day last = MIN (c->end, g->ref);
          int months = rng_range (&g->rng, 6, c->term_months - 6);
          Day from;

          if (c->terminated_on)
            last = MIN (last, c->terminated_on);
          from = day_add_months (c->start, months);
          if (from < last && months > c->rent_free_months)
            {
              c->has_v2 = TRUE;
              c->v2_from = from;
              c->v2_kind = rng_percent (&g->rng, 60) ? 0 : 1;
              c->v2_factor = c->v2_kind == 0 ? rng_range (&g->rng, 940, 1080)
                                             : rng_range (&g->rng, 970, 1030);
            }
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * Tenants. */

static const char *const cores[] = {
  "悦味", "嘉禾", "鼎盛", "华彩", "瑞祥", "盛世", "恒通", "博雅", "新锐", "优品", "领航", "金鼎",
  "佳美", "同创", "宏远", "汇达", "星辰", "锦程", "天成", "云帆", "万嘉", "蓝鲸", "青禾", "朗悦",
  "富源", "知行", "睿思", "启明", "晨光", "海纳", "聚贤", "沐阳", "华庭", "鸿鹄", "璞玉",
  "德润", "安泰", "麦田", "拾光", "初见",
};

typedef struct
{
  const char *industry;
  const char *company; /* before 有限公司 */
  const char *brands[4];
} DemoTrade;

static const DemoTrade mall_trades[] = {
  { "餐饮", "餐饮管理", { "小馆", "火锅", "茶饮", "面馆" } },
  { "餐饮", "餐饮管理", { "咖啡", "烘焙", "烤肉", "甜品" } },
  { "零售", "服饰", { "服饰", "女装", "童装", "鞋履" } },
  { "零售", "商贸", { "优选", "生活馆", "眼镜", "珠宝" } },
  { "生活服务", "美容美发", { "美学", "造型", "美甲", "SPA" } },
  { "教育", "教育科技", { "少儿编程", "美术", "英语", "舞蹈" } },
  { "娱乐", "文化娱乐", { "影城", "KTV", "电玩", "剧本杀" } },
  { "健身", "健身管理", { "健身", "瑜伽", "拳馆", "攀岩" } },
};

static const DemoTrade office_trades[] = {
  { "科技", "信息技术", { "科技", "软件", "数据", "云" } },
  { "专业服务", "企业管理咨询", { "咨询", "顾问", "管理", "战略" } },
  { "金融", "投资管理", { "资本", "投资", "财富", "基金" } },
  { "文化传媒", "文化传媒", { "传媒", "广告", "影视", "设计" } },
  { "医疗", "医疗器械", { "医疗", "健康", "生物", "器械" } },
};

static const DemoTrade park_trades[] = {
  { "制造", "智能制造", { "智造", "精密", "机电", "自动化" } },
  { "科技", "生物科技", { "生物", "基因", "医药", "检测" } },
  { "物流", "供应链管理", { "物流", "供应链", "仓储", "速运" } },
  { "科技", "新材料科技", { "材料", "新能源", "光电", "半导体" } },
};

static const char *const surnames[] = {
  "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
  "何", "高", "林", "罗", "欧阳", "司马",
};

static const char *const given_names[] = {
  "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
  "超", "秀英", "霞", "平", "刚", "浩然", "子涵", "欣怡", "宇轩", "梓萱", "一诺", "思远", "晨曦",
  "佳怡", "俊杰", "雨桐",
};

static char *
tenant_code (int index)
{
  return g_strdup_printf ("TN-%06d", index + 1);
}

static const DemoTrade *
pick_trade (DemoGen *g, int format)
{
  switch (format)
    {
    case FMT_MALL: return &PICK (&g->rng, mall_trades);
    case FMT_PARK: return &PICK (&g->rng, park_trades);
    default: return &PICK (&g->rng, office_trades);
    }
}

static int
add_company (DemoGen *g, int format, const char *city, int parent)
{
  const DemoTrade *trade = pick_trade (g, format);
  DemoTenant t = { 0 };
  const char *core = PICK (&g->rng, cores);
  char *name = NULL;

  for (int attempt = 0; name == NULL; attempt++)
    {
      if (attempt > 0)
        core = PICK (&g->rng, cores);
      if (attempt == 0)
        name = g_strdup_printf ("%s%s%s有限公司", city, core, trade->company);
      else if (attempt < 12)
        name = g_strdup_printf ("%s%s%s%s有限公司", city, core, PICK (&g->rng, cores),
                                trade->company);
      else
        name = g_strdup_printf ("%s%s%s有限公司第%d分公司", city, core, trade->company, attempt);
      if (g_hash_table_contains (g->tenant_names, name))
        g_clear_pointer (&name, g_free);
    }
  g_hash_table_add (g->tenant_names, name);
  t.code = tenant_code ((int) g->tenants->len);
  t.name = g_strdup (name);
  t.short_name = g_strdup_printf ("%s%s", core, trade->brands[rng_below (&g->rng, 4)]);
  t.parent = parent;
  t.id_number = make_credit_code (&g->rng);
  t.phone = strcmp (city, "上海") == 0 && rng_percent (&g->rng, 60)
            ? make_digits (&g->rng, "021-", 8) : make_mobile (&g->rng);
  t.email = g_strdup_printf ("finance.%06u@example.cn", g->tenants->len + 1);
  t.bank_account = make_digits (&g->rng, PICK (&g->rng, ((const char *const[]) {
    "3100", "1001", "4403", "6226" })), 15);
  t.industry = trade->industry;
  g_array_append_val (g->tenants, t);
  return (int) g->tenants->len - 1;
}

static int
add_person (DemoGen *g)
{
  DemoTenant t = { 0 };

  t.code = tenant_code ((int) g->tenants->len);
  t.name = g_strdup_printf ("%s%s", PICK (&g->rng, surnames), PICK (&g->rng, given_names));
  t.short_name = g_strdup (t.name);
  t.person = TRUE;
  t.parent = -1;
  t.id_number = make_resident_id (&g->rng, rng_range (&g->rng, 1970, 2003));
  t.phone = make_mobile (&g->rng);
  t.email = rng_percent (&g->rng, 60)
            ? g_strdup_printf ("u%06u@example.com", g->tenants->len + 1) : NULL;
  t.bank_account = rng_percent (&g->rng, 70) ? make_digits (&g->rng, "6222", 15) : NULL;
  t.industry = "个人";
  g_array_append_val (g->tenants, t);
  return (int) g->tenants->len - 1;
}

static void
plan_tenants (DemoGen *g)
{
  static const char *const parent_names[] = {
    "星澜餐饮集团有限公司", "博雅教育科技集团有限公司", "恒通控股集团有限公司",
    "云帆科技集团股份有限公司", "嘉禾零售集团有限公司", "锦程健康产业集团有限公司",
  };
  int n_parents = g->large ? 60 : 5;
  g_autoptr(GArray) by_format = g_array_new (FALSE, FALSE, sizeof (int));

  for (int i = 0; i < n_parents; i++)
    {
      DemoTenant t = { 0 };

      t.code = tenant_code ((int) g->tenants->len);
      t.name = i < (int) G_N_ELEMENTS (parent_names)
               ? g_strdup (parent_names[i])
               : g_strdup_printf ("%s%s控股集团有限公司", PICK (&g->rng, cores),
                                  PICK (&g->rng, cores));
      if (g_hash_table_contains (g->tenant_names, t.name))
        {
          char *other = g_strdup_printf ("%s（%d）", t.name, i + 1);
          g_free (t.name);
          t.name = other;
        }
      g_hash_table_add (g->tenant_names, g_strdup (t.name));
      t.short_name = g_strndup (t.name, strlen ("星澜") * 2);
      t.parent = -1;
      t.id_number = make_credit_code (&g->rng);
      t.phone = make_digits (&g->rng, "400-", 7);
      t.email = g_strdup_printf ("ap.group%02d@example.cn", i + 1);
      t.bank_account = make_digits (&g->rng, "3100", 16);
      t.industry = "集团总部";
      g_array_append_val (g->tenants, t);
    }

  /* New tenants for every contract that is not a renewal; a few companies take a second lease
   * (chains). */
  for (guint i = 0; i < g->contracts->len; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      DemoProject *p = PROJECT (g, c->project);

      if (c->renewal_of >= 0)
        continue;
      if (c->format == FMT_APARTMENT && rng_percent (&g->rng, 85))
        c->tenant = add_person (g);
      else if (by_format->len > 20 && rng_percent (&g->rng, 8))
        c->tenant = g_array_index (by_format, int, rng_below (&g->rng, by_format->len));
      else
        {
          int parent = rng_percent (&g->rng, 8) ? rng_range (&g->rng, 0, n_parents - 1) : -1;
          c->tenant = add_company (g, c->format, p->city, parent);
          if (c->format != FMT_APARTMENT)
            g_array_append_val (by_format, c->tenant);
        }
    }
  for (guint i = 0; i < g->contracts->len; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      if (c->renewal_of >= 0)
        c->tenant = CONTRACT (g, c->renewal_of)->tenant;
    }
  for (guint i = 0; i < g->tenants->len; i++)
    TENANT (g, i)->created = day_from_ymd (2012, 1, 1);
  for (guint i = 0; i < g->contracts->len; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      DemoTenant *t = TENANT (g, c->tenant);
      Day when = c->signed_on ? c->signed_on : g->ref - 10;
      if (t->created == day_from_ymd (2012, 1, 1) || when < t->created)
        t->created = when;
    }
}

/* Contract numbers by project in the order the leases start. */
static int
contract_start_cmp (gconstpointer a, gconstpointer b, gpointer user_data)
{
  DemoGen *g = user_data;
  const DemoContract *x = CONTRACT (g, *(const int *) a);
  const DemoContract *y = CONTRACT (g, *(const int *) b);

  if (x->project != y->project)
    return x->project < y->project ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return *(const int *) a - *(const int *) b;
}

static void
plan_contract_codes (DemoGen *g)
{
  int n = (int) g->contracts->len;
  g_autofree int *order = g_new (int, n);

  for (int i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (int), contract_start_cmp, g);
  for (int k = 0; k < n; k++)
    {
      DemoContract *c = CONTRACT (g, order[k]);
      DemoProject *p = PROJECT (g, c->project);
      int y, m, d;

      day_split (c->start, &y, &m, &d);
      c->code = g_strdup_printf ("HT-%s-%04d-%05d", p->code, y, ++p->contract_seq);
    }
  /* Units remember their newest contract (for vacancy reasons). */
  for (int i = 0; i < n; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      DemoGroup *grp = GROUP (g, c->group);
      if (c->role == ROLE_PENDING)
        continue;
      for (int u = 0; u < grp->n_units; u++)
        {
          DemoUnit *unit = UNIT (g, grp->first_unit + u);
          if (unit->last_contract < 0 || CONTRACT (g, unit->last_contract)->start < c->start)
            unit->last_contract = i;
        }
    }
}

static void
plan_vacancy (DemoGen *g)
{
  for (guint gi = 0; gi < g->groups->len; gi++)
    {
      DemoGroup *grp = GROUP (g, gi);

      for (int k = 0; k < grp->n_units; k++)
        {
          DemoUnit *u = UNIT (g, grp->first_unit + k);

          if (grp->current >= 0 || u->vacancy_reason != NULL)
            continue;
          if (grp->pending >= 0)
            u->vacancy_reason = g_strdup ("新租户合同审批中");
          else if (u->last_contract >= 0)
            {
              DemoContract *c = CONTRACT (g, u->last_contract);
              u->vacancy_reason = g_strdup (c->terminated_on ? "原租户提前解约，重新招商中"
                                                             : "原租户到期退租，招商中");
            }
          else
            u->vacancy_reason = g_strdup (PICK (&g->rng, reasons_available));
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * Writing. */

static gboolean
insert_returning (TenureStmt *stmt, gint64 *id, GError **error)
{
  gboolean ok = tenure_stmt_step (stmt, error);

  if (ok)
    *id = tenure_stmt_column_int64 (stmt, 0);
  else if (error && *error == NULL)
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB, _("An insert returned no row"));
  tenure_stmt_reset (stmt);
  return ok;
}

/* Reads back (code, id) of TABLE and stores each id into the model row with that code. */
static gboolean
fetch_ids (DemoGen *g, const char *table, GArray *rows, gsize code_offset, gsize id_offset,
           gboolean require_all, GError **error)
{
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *sql = g_strdup_printf ("SELECT code, id FROM %s", table);
  g_autoptr(TenureStmt) stmt = NULL;
  char *base = rows->data;
  gsize size = g_array_get_element_size (rows);

  for (guint i = 0; i < rows->len; i++)
    g_hash_table_insert (by_code, *(char **) (base + i * size + code_offset),
                         base + i * size);
  if ((stmt = tenure_db_prepare (g->db, sql, error)) == NULL)
    return FALSE;
  while (tenure_stmt_step (stmt, error))
    {
      char *row = g_hash_table_lookup (by_code, tenure_stmt_column_text (stmt, 0));
      if (row != NULL)
        *(gint64 *) (row + id_offset) = tenure_stmt_column_int64 (stmt, 1);
    }
  if (error && *error)
    return FALSE;
  for (guint i = 0; i < rows->len && require_all; i++)
    if (*(gint64 *) (base + i * size + id_offset) == 0)
      {
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                     _("The demo row %s of table %s was not written"),
                     *(char **) (base + i * size + code_offset), table);
        return FALSE;
      }
  return TRUE;
}

static gboolean
write_assets (DemoGen *g, GError **error)
{
  g_autoptr(TenureStmt) st_entity = NULL, st_project = NULL, st_building = NULL, st_floor = NULL;
  g_autofree char *created = timestamp_of (day_from_ymd (2014, 6, 30), 9);
  DemoBatch units, notes;
  gboolean ok = FALSE;
  static const char *const authors[] = { "zhang.wei", "li.na", "wang.fang", "chen.jie" };
  static const char *const note_bodies[] = {
    "带看一组餐饮客户，意向面积150㎡左右，报价待回复",
    "客户反馈租金偏高，申请报价下调5%",
    "已发送招商资料，约下周二复看",
    "意向客户要求免租期3个月，待审批",
    "中介带看，客户考虑中",
    "工程部确认可按需分割，等待客户方案",
  };

  st_entity = tenure_db_prepare (g->db,
      "INSERT INTO legal_entity (code, name, taxpayer_type, tax_id, created_at) "
      "VALUES ($1, $2, $3, $4, $5) RETURNING id", error);
  st_project = tenure_db_prepare (g->db,
      "INSERT INTO project (code, legal_entity_id, name, format, city, address, acquired_on, "
      "vat_method, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id", error);
  st_building = tenure_db_prepare (g->db,
      "INSERT INTO building (code, project_id, name, sort_order, created_at) "
      "VALUES ($1, $2, $3, $4, $5) RETURNING id", error);
  st_floor = tenure_db_prepare (g->db,
      "INSERT INTO floor (code, building_id, name, sort_order, plan_width, plan_height, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id", error);
  if (!st_entity || !st_project || !st_building || !st_floor)
    return FALSE;

  for (guint i = 0; i < g->entities->len; i++)
    {
      DemoEntity *e = ENTITY (g, i);
      tenure_stmt_bind_text (st_entity, 1, e->code);
      tenure_stmt_bind_text (st_entity, 2, e->name);
      tenure_stmt_bind_text (st_entity, 3, e->taxpayer);
      tenure_stmt_bind_text (st_entity, 4, e->tax_id);
      tenure_stmt_bind_text (st_entity, 5, created);
      if (!insert_returning (st_entity, &e->id, error))
        return FALSE;
    }
  for (guint i = 0; i < g->projects->len; i++)
    {
      DemoProject *p = PROJECT (g, i);
      tenure_stmt_bind_text (st_project, 1, p->code);
      tenure_stmt_bind_int64 (st_project, 2, ENTITY (g, p->entity)->id);
      tenure_stmt_bind_text (st_project, 3, p->name);
      tenure_stmt_bind_text (st_project, 4, format_names[p->format]);
      tenure_stmt_bind_text (st_project, 5, p->city);
      tenure_stmt_bind_text (st_project, 6, p->address);
      tenure_stmt_bind_text (st_project, 7, p->acquired_on);
      tenure_stmt_bind_text (st_project, 8, p->vat_method);
      tenure_stmt_bind_text (st_project, 9, created);
      if (!insert_returning (st_project, &p->id, error))
        return FALSE;
    }
  for (guint i = 0; i < g->buildings->len; i++)
    {
      DemoBuilding *b = BUILDING (g, i);
      tenure_stmt_bind_text (st_building, 1, b->code);
      tenure_stmt_bind_int64 (st_building, 2, PROJECT (g, b->project)->id);
      tenure_stmt_bind_text (st_building, 3, b->name);
      tenure_stmt_bind_int64 (st_building, 4, i + 1);
      tenure_stmt_bind_text (st_building, 5, created);
      if (!insert_returning (st_building, &b->id, error))
        return FALSE;
    }
  for (guint i = 0; i < g->floors->len; i++)
    {
      DemoFloor *f = FLOOR (g, i);
      tenure_stmt_bind_text (st_floor, 1, f->code);
      tenure_stmt_bind_int64 (st_floor, 2, BUILDING (g, f->building)->id);
      tenure_stmt_bind_text (st_floor, 3, f->name);
      tenure_stmt_bind_int64 (st_floor, 4, f->level);
      tenure_stmt_bind_int64 (st_floor, 5, f->plan_w);
      tenure_stmt_bind_int64 (st_floor, 6, f->plan_h);
      tenure_stmt_bind_text (st_floor, 7, created);
      if (!insert_returning (st_floor, &f->id, error))
        return FALSE;
      if (!stage_step (g, i, g->floors->len + g->units->len, error))
        return FALSE;
    }

  batch_init (&units, g->db, "unit",
              "code, floor_id, name, format, gfa_area_c, leasable_area_c, stored_status, "
              "asking_price_e4, vacancy_reason, polygon, created_at");
  batch_init (&notes, g->db, "unit_note", "unit_id, noted_on, author, body");
  for (guint i = 0; i < g->units->len; i++)
    {
      DemoUnit *u = UNIT (g, i);
      batch_text (&units, u->code);
      batch_int (&units, FLOOR (g, u->floor)->id);
      batch_text (&units, u->name);
      batch_text (&units, format_names[PROJECT (g, u->project)->format]);
      batch_int (&units, u->gfa_c);
      batch_int (&units, u->leasable_c);
      batch_text (&units, u->status);
      batch_int (&units, u->asking_e4);
      batch_text (&units, u->vacancy_reason);
      batch_text (&units, u->polygon);
      batch_text (&units, created);
      if (!batch_row (&units, error))
        goto out;
      if ((i & 1023) == 0 && !stage_step (g, g->floors->len + i,
                                          g->floors->len + g->units->len, error))
        goto out;
    }
  if (!batch_flush (&units, error)
      || !fetch_ids (g, "unit", g->units, G_STRUCT_OFFSET (DemoUnit, code),
                     G_STRUCT_OFFSET (DemoUnit, id), TRUE, error))
    goto out;

  /* Follow-up notes on vacant units that are for lease. */
  for (guint i = 0; i < g->units->len; i++)
    {
      DemoUnit *u = UNIT (g, i);
      int n_notes;
      Day when;

      if (u->vacancy_reason == NULL || strcmp (u->status, "not_for_lease") == 0)
        continue;
      n_notes = rng_range (&g->rng, 0, 3);
      when = g->ref - (Day) rng_range (&g->rng, 60, 120);
      for (int k = 0; k < n_notes; k++)
        {
          when += (Day) rng_range (&g->rng, 5, 19);
          batch_int (&notes, u->id);
          batch_text (&notes, day_text (when).s);
          batch_text (&notes, PICK (&g->rng, authors));
          batch_text (&notes, PICK (&g->rng, note_bodies));
          if (!batch_row (&notes, error))
            goto out;
        }
    }
  ok = batch_flush (&notes, error);

out:
  batch_clear (&units);
  batch_clear (&notes);
  return ok;
}

static gboolean
write_tenant_rows (DemoGen *g, gboolean parents, GError **error)
{
  DemoBatch b;
  gboolean ok = TRUE;

  batch_init (&b, g->db, "tenant",
              "code, name, short_name, kind, parent_tenant_id, id_number, phone, email, "
              "bank_account, industry, created_at");
  for (guint i = 0; i < g->tenants->len && ok; i++)
    {
      DemoTenant *t = TENANT (g, i);
      g_autofree char *created = NULL;

      if ((t->industry && strcmp (t->industry, "集团总部") == 0) != parents)
        continue;
      created = timestamp_of (t->created, 10);
      batch_text (&b, t->code);
      batch_text (&b, t->name);
      batch_text (&b, t->short_name);
      batch_text (&b, t->person ? "person" : "company");
      if (t->parent >= 0)
        batch_int (&b, TENANT (g, t->parent)->id);
      else
        batch_null (&b);
      batch_text (&b, t->id_number);
      batch_text (&b, t->phone);
      batch_text (&b, t->email);
      batch_text (&b, t->bank_account);
      batch_text (&b, t->industry);
      batch_text (&b, created);
      ok = batch_row (&b, error)
           && ((i & 1023) || stage_step (g, i, g->tenants->len, error));
    }
  ok = ok && batch_flush (&b, error);
  batch_clear (&b);
  return ok;
}

static gboolean
write_tenants (DemoGen *g, GError **error)
{
  return write_tenant_rows (g, TRUE, error)
         && fetch_ids (g, "tenant", g->tenants, G_STRUCT_OFFSET (DemoTenant, code),
                       G_STRUCT_OFFSET (DemoTenant, id), FALSE, error)
         && write_tenant_rows (g, FALSE, error)
         && fetch_ids (g, "tenant", g->tenants, G_STRUCT_OFFSET (DemoTenant, code),
                       G_STRUCT_OFFSET (DemoTenant, id), TRUE, error);
}

static gboolean
write_contract_rows (DemoGen *g, gboolean renewals, GError **error)
{
  DemoBatch b;
  gboolean ok = TRUE;

  batch_init (&b, g->db, "contract",
              "code, tenant_id, project_id, status, currency, signed_on, start_date, end_date, "
              "renewal_of_id, terminated_on, termination_type, created_at");
  for (guint i = 0; i < g->contracts->len && ok; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      g_autofree char *created = NULL;

      if ((c->renewal_of >= 0) != renewals)
        continue;
      created = timestamp_of (c->signed_on ? c->signed_on : g->ref - 10, 9);
      batch_text (&b, c->code);
      batch_int (&b, TENANT (g, c->tenant)->id);
      batch_int (&b, PROJECT (g, c->project)->id);
      batch_text (&b, c->status);
      batch_text (&b, "CNY");
      batch_text (&b, c->signed_on ? day_text (c->signed_on).s : NULL);
      batch_text (&b, day_text (c->start).s);
      batch_text (&b, day_text (c->end).s);
      if (c->renewal_of >= 0)
        batch_int (&b, CONTRACT (g, c->renewal_of)->id);
      else
        batch_null (&b);
      batch_text (&b, c->terminated_on ? day_text (c->terminated_on).s : NULL);
      batch_text (&b, c->termination_type);
      batch_text (&b, created);
      ok = batch_row (&b, error)
           && ((i & 1023) || stage_step (g, i / 4, g->contracts->len, error));
    }
  ok = ok && batch_flush (&b, error);
  batch_clear (&b);
  return ok;
}

static char *
escalation_json (DemoGen *g, DemoContract *c, gint64 base)
{
  const char *by = c->esc_by_date ? "date" : "lease_year";

  switch (c->escalation)
    {
    case E_PERCENT:
      return g_strdup_printf ("{\"kind\":\"percent\",\"by\":\"%s\",\"params\":{\"rate_ppm\":%"
                              G_GINT64_FORMAT "}}", by, c->esc_param);
    case E_AMOUNT:
      return g_strdup_printf ("{\"kind\":\"amount\",\"by\":\"%s\",\"params\":{\"delta\":%"
                              G_GINT64_FORMAT "}}", by, c->esc_param);
    case E_CPI:
      return g_strdup ("{\"kind\":\"cpi\",\"by\":\"lease_year\",\"params\":{\"series\":\""
                       TENURE_DEMO_CPI_SERIES "\",\"floor_ppm\":0,\"cap_ppm\":50000,"
                       "\"review_months\":12}}");
    case E_TABLE:
      {
        GString *s = g_string_new ("{\"kind\":\"table\",\"by\":\"date\",\"params\":{\"steps\":[");
        gint64 value = base;
        gint64 step = c->basis == B_FIXED_MONTH ? 10000 : 100;

        for (int year = 1; year * 12 < c->term_months; year++)
          {
            /* Table steps on each anniversary: base grown by the rate, rounded to 0.01 yuan
             * (prices) or whole yuan (amounts) as a negotiated table would be. */
            value = round_to (value + value * c->esc_param / 1000000, step);
            g_string_append_printf (s, "%s{\"from\":\"%s\",\"value\":%" G_GINT64_FORMAT "}",
                                    year > 1 ? "," : "",
                                    day_text (day_add_months (c->start, 12 * year)).s, value);
          }
        g_string_append (s, "]}}");
        return g_string_free (s, FALSE);
      }
    default:
      return NULL;
    }
}

static char *
turnover_json (DemoContract *c, gint64 minimum)
{
  gint64 natural = minimum * 1000000 / c->turnover_rate_ppm;

  if (c->turnover_variant == 1)
    return g_strdup_printf ("{\"minimum\":%" G_GINT64_FORMAT ",\"tiers\":[{\"from\":0,"
                            "\"rate_ppm\":%d},{\"from\":%" G_GINT64_FORMAT ",\"rate_ppm\":%d}],"
                            "\"breakpoint\":null,\"period_months\":1}",
                            minimum, c->turnover_rate_ppm,
                            round_to (natural * 3 / 2, 1000000), c->turnover_rate_ppm - 20000);
  if (c->turnover_variant == 2)
    return g_strdup_printf ("{\"minimum\":%" G_GINT64_FORMAT ",\"tiers\":[{\"from\":0,"
                            "\"rate_ppm\":%d}],\"breakpoint\":%" G_GINT64_FORMAT
                            ",\"period_months\":1}", minimum, c->turnover_rate_ppm,
                            c->breakpoint);
  return g_strdup_printf ("{\"minimum\":%" G_GINT64_FORMAT ",\"tiers\":[{\"from\":0,"
                          "\"rate_ppm\":%d}],\"breakpoint\":null,\"period_months\":1}",
                          minimum, c->turnover_rate_ppm);
}

static void
clause_row (DemoBatch *b, gint64 version_id, gint64 charge, const char *basis, gint64 price_e4,
            gint64 amount, int cycle, const char *alignment, int advance_days,
            const char *days_rule, Day starts, Day ends, const char *escalation,
            const char *turnover, gboolean late_fee)
{
  batch_int (b, version_id);
  batch_int (b, charge);
  batch_text (b, basis);
  if (price_e4 >= 0) batch_int (b, price_e4); else batch_null (b);
  if (amount >= 0) batch_int (b, amount); else batch_null (b);
  batch_int (b, cycle);
  batch_text (b, alignment);
  batch_text (b, "advance");
  batch_int (b, advance_days);
  batch_text (b, days_rule);
  batch_text (b, day_text (starts).s);
  batch_text (b, day_text (ends).s);
  batch_text (b, escalation);
  batch_text (b, turnover);
  batch_int (b, late_fee ? 500 : 0);      /* 0.05 % a day */
  batch_int (b, late_fee ? 5 : 0);
  batch_int (b, late_fee ? 300000 : 0);   /* capped at 30 % of the principal */
}

static gboolean
write_contract_details (DemoGen *g, GError **error)
{
  static const char *const creators[] = { "zhang.wei", "li.na", "wang.fang", "chen.jie" };
  static const char *const approvers[] = { "liu.yang", "zhou.min" };
  DemoBatch versions, links, clauses, rent_free;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GHashTable) version_ids = NULL;
  g_autoptr(GHashTable) rent_clause = NULL;
  gboolean ok = FALSE;
  guint n = g->contracts->len;

  batch_init (&versions, g->db, "contract_version",
              "contract_id, version_no, effective_from, reason, status, created_by, "
              "approved_by, approved_at");
  batch_init (&links, g->db, "contract_unit", "contract_version_id, unit_id, area_c");
  batch_init (&clauses, g->db, "clause",
              "contract_version_id, charge_item_id, basis, price_e4, amount, cycle_months, "
              "alignment, timing, advance_days, days_rule, starts_on, ends_on, escalation, "
              "turnover, late_fee_rate_ppm, late_fee_grace_days, late_fee_cap_ppm");
  batch_init (&rent_free, g->db, "rent_free", "clause_id, from_date, to_date");

  for (guint i = 0; i < n; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      for (int v = 1; v <= (c->has_v2 ? 2 : 1); v++)
        {
          const char *status;
          g_autofree char *approved_at = NULL;

          if (c->role == ROLE_PENDING)
            status = c->status;
          else
            status = v == 1 && c->has_v2 ? "superseded" : "approved";
          batch_int (&versions, c->id);
          batch_int (&versions, v);
          batch_text (&versions, day_text (v == 1 ? c->start : c->v2_from).s);
          batch_text (&versions, v == 1 ? "新签"
                                 : c->v2_kind == 0 ? "租金调整（补充协议）" : "计租面积复测调整");
          batch_text (&versions, status);
          batch_text (&versions, PICK (&g->rng, creators));
          if (c->role == ROLE_PENDING)
            {
              batch_null (&versions);
              batch_null (&versions);
            }
          else
            {
              approved_at = timestamp_of (v == 1 ? c->signed_on : c->v2_from - 7, 16);
              batch_text (&versions, PICK (&g->rng, approvers));
              batch_text (&versions, approved_at);
            }
          if (!batch_row (&versions, error))
            goto out;
        }
      if ((i & 1023) == 0 && !stage_step (g, n / 4 + i / 4, n, error))
        goto out;
    }
  if (!batch_flush (&versions, error))
    goto out;

  /* (contract id, version) → version id */
  version_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  stmt = tenure_db_prepare (g->db, "SELECT contract_id, version_no, id FROM contract_version",
                            error);
  if (stmt == NULL)
    goto out;
  while (tenure_stmt_step (stmt, error))
    {
      gint64 *id = g_new (gint64, 1);
      *id = tenure_stmt_column_int64 (stmt, 2);
      g_hash_table_insert (version_ids,
                           g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                            tenure_stmt_column_int64 (stmt, 0),
                                            tenure_stmt_column_int64 (stmt, 1)), id);
    }
  if (error && *error)
    goto out;
  g_clear_pointer (&stmt, tenure_stmt_free);

  for (guint i = 0; i < n; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      DemoGroup *grp = GROUP (g, c->group);

      for (int v = 1; v <= (c->has_v2 ? 2 : 1); v++)
        {
          g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "/%d", c->id, v);
          gint64 *vid = g_hash_table_lookup (version_ids, key);
          int factor = v == 2 ? c->v2_factor : 1000;
          gboolean price_change = v == 2 && c->v2_kind == 0;
          gboolean area_change = v == 2 && c->v2_kind == 1;
          gint64 area = 0, price_e4 = -1, amount = -1, fee_price = c->fee_price_e4;
          g_autofree char *esc = NULL;
          g_autofree char *turnover = NULL;
          Day starts = v == 1 ? c->start : c->v2_from;

          if (vid == NULL)
            {
              g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                           _("The demo contract %s has no version %d"), c->code, v);
              goto out;
            }
          if (v == 1)
            c->v1_id = *vid;
          else
            c->v2_id = *vid;
          for (int k = 0; k < grp->n_units; k++)
            {
              DemoUnit *u = UNIT (g, grp->first_unit + k);
              gint64 a = area_change ? u->leasable_c * factor / 1000 : u->leasable_c;
              batch_int (&links, *vid);
              batch_int (&links, u->id);
              batch_int (&links, a);
              area += a;
              if (!batch_row (&links, error))
                goto out;
            }

          if (c->basis == B_PER_M2_DAY || c->basis == B_PER_M2_MONTH)
            price_e4 = price_change ? round_to (c->price_e4 * factor / 1000, 100) : c->price_e4;
          else if (price_change)
            amount = round_to (c->amount * factor / 1000, 10000);
          else if (area_change && c->basis != B_ONE_OFF)
            amount = round_to (c->amount * factor / 1000, 10000);
          else
            amount = c->amount;
          esc = escalation_json (g, c, price_e4 >= 0 ? price_e4 : amount);
          if (c->basis == B_TURNOVER)
            turnover = turnover_json (c, amount);
          clause_row (&clauses, *vid, g->charge_rent, basis_names[c->basis], price_e4, amount,
                      c->cycle, c->alignment, c->advance_days, c->days_rule, starts, c->end,
                      esc, turnover, TRUE);
          if (!batch_row (&clauses, error))
            goto out;
          clause_row (&clauses, *vid, g->charge_fee, "per_m2_month", fee_price, -1,
                      c->fee_cycle, c->alignment, c->advance_days, c->fee_days_rule, starts,
                      c->end, NULL, NULL, TRUE);
          if (!batch_row (&clauses, error))
            goto out;
          if (v == 1)
            {
              gint64 monthly = c->basis == B_PER_M2_DAY
                               ? area * price_e4 * 365 / 12 / 10000
                               : c->basis == B_PER_M2_MONTH ? area * price_e4 / 10000
                               : c->basis == B_FIXED_PERIOD ? amount / c->cycle
                               : c->basis == B_ONE_OFF ? amount / c->term_months
                               : amount;
              clause_row (&clauses, *vid, g->charge_deposit, "one_off", -1,
                          round_to (monthly * c->deposit_months, 100), 1, "anniversary", 0,
                          "ACTUAL", c->start, c->start, NULL, NULL, FALSE);
              if (!batch_row (&clauses, error))
                goto out;
            }
        }
      if ((i & 1023) == 0 && !stage_step (g, n / 2 + i / 4, n, error))
        goto out;
    }
  if (!batch_flush (&links, error) || !batch_flush (&clauses, error))
    goto out;

  /* Rent-free months belong to the first version's rent clause. */
  rent_clause = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  stmt = tenure_db_prepare (g->db, "SELECT contract_version_id, id FROM clause "
                                   "WHERE charge_item_id = $1", error);
  if (stmt == NULL)
    goto out;
  tenure_stmt_bind_int64 (stmt, 1, g->charge_rent);
  while (tenure_stmt_step (stmt, error))
    {
      gint64 *key = g_new (gint64, 1);
      *key = tenure_stmt_column_int64 (stmt, 0);
      g_hash_table_insert (rent_clause, key,
                           GSIZE_TO_POINTER ((gsize) tenure_stmt_column_int64 (stmt, 1)));
    }
  if (error && *error)
    goto out;
  for (guint i = 0; i < n; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      gpointer clause_id;

      if (!c->rent_free)
        continue;
      clause_id = g_hash_table_lookup (rent_clause, &c->v1_id);
      g_assert (clause_id != NULL);
      batch_int (&rent_free, (gint64) GPOINTER_TO_SIZE (clause_id));
      batch_text (&rent_free, day_text (c->start).s);
      batch_text (&rent_free, day_text (day_add_months (c->start, c->rent_free_months) - 1).s);
      if (!batch_row (&rent_free, error))
        goto out;
    }
  ok = batch_flush (&rent_free, error);

out:
  batch_clear (&versions);
  batch_clear (&links);
  batch_clear (&clauses);
  batch_clear (&rent_free);
  return ok;
}

static gboolean
write_contracts (DemoGen *g, GError **error)
{
  return write_contract_rows (g, FALSE, error)
         && fetch_ids (g, "contract", g->contracts, G_STRUCT_OFFSET (DemoContract, code),
                       G_STRUCT_OFFSET (DemoContract, id), FALSE, error)
         && write_contract_rows (g, TRUE, error)
         && fetch_ids (g, "contract", g->contracts, G_STRUCT_OFFSET (DemoContract, code),
                       G_STRUCT_OFFSET (DemoContract, id), TRUE, error)
         && write_contract_details (g, error);
}

/* The CPI series for indexed leases, and monthly turnover reports of the 保底+扣点 leases. */
static gboolean
write_turnover_and_cpi (DemoGen *g, GError **error)
{
  DemoBatch cpi, reports;
  gboolean ok = FALSE;
  gint64 value = 1000000; /* 100.0000 */
  Day month = day_from_ymd (2012, 1, 1);
  /* Seasonal turnover factors, per cent, January first (Spring Festival, Golden Week). */
  static const int season[12] = { 125, 120, 90, 92, 100, 98, 102, 104, 96, 118, 108, 115 };

  /* The series reaches back to the year before the earliest lease start, so that the plan of
   * every indexed lease finds its base month. */
  for (guint i = 0; i < g->contracts->len; i++)
    {
      Day before = day_add_months (day_month_start (CONTRACT (g, i)->start), -12);

      month = MIN (month, before);
    }
  batch_init (&cpi, g->db, "cpi_index", "series, period, value_e4");
  batch_init (&reports, g->db, "turnover_report",
              "contract_id, period_start, period_end, amount, reported_on");
  while (month < g->ref)
    {
      int y, m, d;
      g_autofree char *period = NULL;

      day_split (month, &y, &m, &d);
      period = g_strdup_printf ("%04d-%02d", y, m);
      batch_text (&cpi, TENURE_DEMO_CPI_SERIES);
      batch_text (&cpi, period);
      batch_int (&cpi, value);
      if (!batch_row (&cpi, error))
        goto out;
      value += value * rng_range (&g->rng, -30, 60) / 10000;
      month = day_add_months (month, 1);
    }
  if (!batch_flush (&cpi, error))
    goto out;

  for (guint i = 0; i < g->contracts->len; i++)
    {
      DemoContract *c = CONTRACT (g, i);
      gint64 natural;
      Day last, from;

      if (c->basis != B_TURNOVER || c->role == ROLE_PENDING)
        continue;
      natural = c->amount * 1000000 / c->turnover_rate_ppm;
      last = MIN (c->end, g->ref - 1);
      if (c->terminated_on)
        last = MIN (last, c->terminated_on);
      for (from = c->start; from <= last;)
        {
          Day next = day_add_months (day_month_start (from), 1);
          Day to = MIN (next - 1, last);
          Day reported = to + (Day) rng_range (&g->rng, 3, 10);
          int y, m, d;

          if (reported >= g->ref)
            break;
          day_split (from, &y, &m, &d);
          batch_int (&reports, c->id);
          batch_text (&reports, day_text (from).s);
          batch_text (&reports, day_text (to).s);
          batch_int (&reports, round_to (natural * rng_range (&g->rng, 60, 150) / 100
                                         * season[m - 1] / 100 * (gint64) (to - from + 1)
                                         / (next - day_month_start (from)), 100));
          batch_text (&reports, day_text (reported).s);
          if (!batch_row (&reports, error))
            goto out;
          from = next;
        }
      if ((i & 1023) == 0 && !stage_step (g, i, g->contracts->len, error))
        goto out;
    }
  ok = batch_flush (&reports, error);

out:
  batch_clear (&cpi);
  batch_clear (&reports);
  return ok;
}

/* ---------------------------------------------------------------------------------------------
 * Plans and two years of posted bills, through the billing layer (never SQL of our own), so the
 * demo's bills are exactly what the app would have posted month by month. */

static gboolean
demo_bills_wanted (const DemoGen *g)
{
  switch (g->opts->bills)
    {
    case TENURE_DEMO_BILLS_ON:
      return TRUE;
    case TENURE_DEMO_BILLS_OFF:
      return FALSE;
    case TENURE_DEMO_BILLS_DEFAULT:
    default:
      return !g->large;
    }
}

static int
code_ptr_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Every contract's receivable plan, in contract code order (the order of the line ids). */
static gboolean
write_plans (DemoGen *g, GError **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();

  for (guint i = 0; i < g->contracts->len; i++)
    g_ptr_array_add (codes, CONTRACT (g, i)->code);
  g_ptr_array_sort (codes, code_ptr_cmp);
  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);
      g_autoptr(TenureContract) contract = NULL;
      g_autoptr(TenurePlanLookups) lookups = NULL;
      g_autoptr(TenurePlanDiff) diff = NULL;
      TenurePlanContext context = { 0 };

      contract = tenure_contract_store_load (g->db, code, error);
      lookups = contract ? tenure_plan_lookups_new (g->db, contract, error) : NULL;
      if (lookups != NULL)
        {
          tenure_plan_lookups_context (lookups, &context);
          /* Indexed leases have reviews after the reference date, whose index is not
           * published yet: their plan stops there, as the app's does until it is. */
          context.cpi_until_known = TRUE;
          diff = tenure_plan_diff (g->db, contract, &context, error);
        }
      if (diff == NULL || !tenure_plan_diff_apply (g->db, diff, error))
        {
          g_prefix_error (error, _("Demo plan of contract %s: "), code);
          return FALSE;
        }
      if ((i & 15) == 0 && !stage_step (g, i, codes->len, error))
        return FALSE;
    }
  return TRUE;
}

/* The bill runs of the TENURE_DEMO_BILLED_MONTHS months before the reference month, each
 * posted on a working day early in its month; the runs also write the deposits' billed
 * entries (tenure_deposit_record_billed, run again at the end to be sure none is missing). */
static gboolean
write_bill_runs (DemoGen *g, GError **error)
{
  int ry, rm, rd;

  day_split (g->ref, &ry, &rm, &rd);
  for (int k = TENURE_DEMO_BILLED_MONTHS; k >= 1; k--)
    {
      g_autoptr(TenureBillRunResult) result = NULL;
      TenureBillRunOptions options;
      int y = ry, m = rm - k;

      while (m < 1)
        {
          m += 12;
          y--;
        }
      tenure_bill_run_options_init (&options, y, m);
      options.posting_date = tenure_date_from_ymd (y, m, 1 + rng_range (&g->rng, 2, 6));
      result = tenure_bill_run_post (g->db, &options, g->cancellable, error);
      if (result == NULL)
        {
          g_prefix_error (error, _("Demo bill run %04d-%02d: "), y, m);
          return FALSE;
        }
      if (!stage_step (g, TENURE_DEMO_BILLED_MONTHS - k + 1, TENURE_DEMO_BILLED_MONTHS, error))
        return FALSE;
    }
  return tenure_deposit_record_billed (g->db, 0, NULL, error);
}

/* ---------------------------------------------------------------------------------------------
 * Two years of collections (small scale, with bills): a bank account per legal entity and its
 * monthly camt.053 statements, the tenants' receipts and their allocations following each
 * tenant's payment behaviour, the deposit ledger's received, offset and refunded entries, and
 * in the last weeks an unmatched queue and confirmed bank matches. Everything is decided in
 * memory from the open items (tenure_open_items_load, read once after the bill runs), written
 * with batched inserts, and checked against the open items read back at the end. */

#define COLL_WINDOW_START "2024-11-01"  /* the first billed month: the demo's go-live */
#define COLL_RECENT_FROM "2026-09-01"   /* matches confirmed from here on keep their row */
#define COLL_QUEUE_FROM "2026-10-01"    /* transfers left in the unmatched queue */

enum { PAY_ON_TIME, PAY_LATE, PAY_PARTIAL, PAY_CHRONIC, PAY_OVERPAY, PAY_CASH };

typedef struct
{
  char       *code;
  int         tenant;        /* DemoTenant index (the payer) */
  int         entity;
  gboolean    cash;
  gboolean    migrated;      /* paid before go-live: no statement line */
  Day         received, posted;
  gint64      amount;
  char       *memo;
  int         line;          /* DemoBankLine index or -1 */
  gint64      id;
} DemoReceipt;

typedef struct
{
  TenureOpenItem *item;
  gint64          amount;
  gboolean        offset;    /* kind 'offset' (deposit against arrears), else 'allocation' */
  Day             on;
  int             receipt;   /* or -1 */
} DemoAllocation;

typedef struct
{
  int             contract;
  const char     *kind;
  gint64          amount;
  Day             on;
  TenureOpenItem *item;      /* or NULL */
  int             receipt;   /* or -1 */
  const char     *memo;
} DemoDepositMove;

typedef struct
{
  int         entity;        /* one account per legal entity */
  Day         on;
  gint64      amount;        /* credits positive */
  const char *payer_name;
  const char *payer_account;
  char       *memo;
  const char *status;
  int         receipt;       /* or -1 */
  int         seq;           /* creation order, for a stable sort */
  int         statement;
  int         source_line;
  char       *reference;
  char       *dedupe;
  gint64      id;
} DemoBankLine;

typedef struct
{
  int     entity;
  Day     from, to;
  gint64  opening, closing;
  char   *ref;
  char   *file_name;
  char   *sha256;
  gint64  id;
} DemoStatement;

typedef struct
{
  gint64     bill_id;
  gboolean   migrated;
  Day        due, posted;
  int        tenant, contract, entity;
  GPtrArray *items;          /* TenureOpenItem, allocation order (borrowed) */
} DemoPayable;

typedef struct
{
  DemoGen    *g;
  GPtrArray  *items;         /* every open item after the bill runs */
  GArray     *payables, *receipts, *allocations, *deposits, *lines, *statements;
  GHashTable *tenant_by_id, *contract_by_id;
  int        *profile, *late_base, *paid_by, *partial_count;
  Day        *trouble_from;
  Day        *stop_from;     /* per contract: bills due from here on go unpaid */
  gboolean   *overpaid;
  gint64     *account_ids;
  char      **account_numbers;
  Day         window, recent, queue;
  int         n_unmatched;
} DemoColl;

static void
receipt_clear (gpointer p)
{
  DemoReceipt *r = p;
  g_free (r->code);
  g_free (r->memo);
}

static void
bank_line_clear (gpointer p)
{
  DemoBankLine *l = p;
  g_free (l->memo);
  g_free (l->reference);
  g_free (l->dedupe);
}

static void
statement_clear (gpointer p)
{
  DemoStatement *s = p;
  g_free (s->ref);
  g_free (s->file_name);
  g_free (s->sha256);
}

static void
payable_clear (gpointer p)
{
  g_clear_pointer (&((DemoPayable *) p)->items, g_ptr_array_unref);
}

static void
coll_clear (DemoColl *k)
{
  g_clear_pointer (&k->items, g_ptr_array_unref);
  g_clear_pointer (&k->payables, g_array_unref);
  g_clear_pointer (&k->receipts, g_array_unref);
  g_clear_pointer (&k->allocations, g_array_unref);
  g_clear_pointer (&k->deposits, g_array_unref);
  g_clear_pointer (&k->lines, g_array_unref);
  g_clear_pointer (&k->statements, g_array_unref);
  g_clear_pointer (&k->tenant_by_id, g_hash_table_unref);
  g_clear_pointer (&k->contract_by_id, g_hash_table_unref);
  g_clear_pointer (&k->profile, g_free);
  g_clear_pointer (&k->late_base, g_free);
  g_clear_pointer (&k->paid_by, g_free);
  g_clear_pointer (&k->partial_count, g_free);
  g_clear_pointer (&k->trouble_from, g_free);
  g_clear_pointer (&k->stop_from, g_free);
  g_clear_pointer (&k->overpaid, g_free);
  g_clear_pointer (&k->account_ids, g_free);
  if (k->account_numbers)
    for (guint i = 0; i < k->g->entities->len; i++)
      g_free (k->account_numbers[i]);
  g_clear_pointer (&k->account_numbers, g_free);
}

#define RECEIPT(k, i) (&g_array_index ((k)->receipts, DemoReceipt, (i)))
#define BANK_LINE(k, i) (&g_array_index ((k)->lines, DemoBankLine, (i)))
#define PAYABLE(k, i) (&g_array_index ((k)->payables, DemoPayable, (i)))

static Day
day_of (TenureDate date)
{
  int y, m, d;

  tenure_date_get_ymd (date, &y, &m, &d);
  return day_from_ymd (y, m, d);
}

static int
entity_index (DemoGen *g, gint64 id)
{
  for (guint i = 0; i < g->entities->len; i++)
    if (ENTITY (g, i)->id == id)
      return (int) i;
  return 0;
}

static int
lookup_index (GHashTable *table, gint64 id)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (table, &id)) - 1;
}

static int
payable_cmp (gconstpointer a, gconstpointer b)
{
  const DemoPayable *x = a, *y = b;

  if (x->due != y->due)
    return x->due < y->due ? -1 : 1;
  if (x->bill_id != y->bill_id)
    return x->bill_id < y->bill_id ? -1 : 1;
  return x->migrated - y->migrated;
}

/* The open items after the bill runs, grouped by bill (and split at go-live: what fell due
 * before it was paid before the demo's books begin). */
static gboolean
coll_load (DemoColl *k, GError **error)
{
  DemoGen *g = k->g;
  TenureOpenItemFilter filter = { 0 };
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        NULL);

  k->items = tenure_open_items_load (g->db, &filter, error);
  if (k->items == NULL)
    return FALSE;
  for (guint i = 0; i < k->items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (k->items, i);
      gboolean migrated = day_of (item->due_date) < k->window;
      gint64 key = item->bill_id * 2 + migrated;
      int index = GPOINTER_TO_INT (g_hash_table_lookup (by_key, &key)) - 1;
      DemoPayable *p;

      if (index < 0)
        {
          DemoPayable np = { 0 };
          gint64 *stored = g_new (gint64, 1);

          np.bill_id = item->bill_id;
          np.migrated = migrated;
          np.due = day_of (item->due_date);
          np.posted = day_of (item->posting_date);
          np.tenant = lookup_index (k->tenant_by_id, item->tenant_id);
          np.contract = lookup_index (k->contract_by_id, item->contract_id);
          np.entity = entity_index (g, item->legal_entity_id);
          np.items = g_ptr_array_new ();
          g_assert (np.tenant >= 0 && np.contract >= 0);
          g_array_append_val (k->payables, np);
          index = (int) k->payables->len - 1;
          *stored = key;
          g_hash_table_insert (by_key, stored, GINT_TO_POINTER (index + 1));
        }
      p = PAYABLE (k, index);
      p->due = MIN (p->due, day_of (item->due_date));
      g_ptr_array_add (p->items, item);
    }
  g_array_sort (k->payables, payable_cmp);
  return TRUE;
}

/* Payment behaviour: most tenants pay on time in full, some late, some in part; a few chronic
 * debtors, two who overpay, a few who pay cash at the front desk, and one parent company that
 * pays its subsidiaries' bills in one monthly transfer. Terminated leases stop paying before
 * they end, so their deposit is offset against the arrears. */
static void
coll_profiles (DemoColl *k)
{
  DemoGen *g = k->g;
  guint n_tenants = g->tenants->len, n_contracts = g->contracts->len;
  g_autofree gboolean *billed = g_new0 (gboolean, n_tenants);
  g_autofree int *children = g_new0 (int, n_tenants);
  int chronic = 0, overpay = 0, cash = 0, parent = -1, offsets = 0;
  static const int weights[3] = { 74, 15, 11 };

  k->profile = g_new0 (int, n_tenants);
  k->late_base = g_new0 (int, n_tenants);
  k->paid_by = g_new (int, n_tenants);
  k->partial_count = g_new0 (int, n_tenants);
  k->trouble_from = g_new0 (Day, n_tenants);
  k->overpaid = g_new0 (gboolean, n_tenants);
  k->stop_from = g_new0 (Day, n_contracts);
  for (guint i = 0; i < k->payables->len; i++)
    if (!PAYABLE (k, i)->migrated)
      billed[PAYABLE (k, i)->tenant] = TRUE;

  for (guint t = 0; t < n_tenants; t++)
    {
      DemoTenant *tenant = TENANT (g, t);

      k->paid_by[t] = -1;
      k->late_base[t] = rng_range (&g->rng, 5, 30);
      k->profile[t] = rng_weighted (&g->rng, weights, 3);
      if (!billed[t])
        continue;
      if (tenant->person && cash < 4 && rng_percent (&g->rng, 15))
        {
          k->profile[t] = PAY_CASH;
          cash++;
        }
      else if (!tenant->person && chronic < 3 && rng_percent (&g->rng, 6))
        {
          k->profile[t] = PAY_CHRONIC;
          k->trouble_from[t] = day_from_ymd (2025, rng_range (&g->rng, 9, 12), 1)
                               + (Day) rng_range (&g->rng, 0, 120);
          chronic++;
        }
      else if (!tenant->person && overpay < 2 && rng_percent (&g->rng, 5))
        {
          k->profile[t] = PAY_OVERPAY;
          overpay++;
        }
      if (tenant->parent >= 0)
        children[tenant->parent]++;
    }

  /* The group with most billed subsidiaries pays for (up to three of) them. */
  for (guint t = 0; t < n_tenants; t++)
    if (children[t] >= 2 && (parent < 0 || children[t] > children[parent]))
      parent = (int) t;
  if (parent >= 0)
    {
      int n = 0;

      for (guint t = 0; t < n_tenants && n < 3; t++)
        if (TENANT (g, t)->parent == parent && billed[t] && k->profile[t] != PAY_CHRONIC)
          {
            k->paid_by[t] = parent;
            n++;
          }
    }

  /* Two leases terminated in the window with bills left unpaid at the end. */
  for (guint c = 0; c < n_contracts && offsets < 2; c++)
    {
      DemoContract *contract = CONTRACT (g, c);

      if (contract->terminated_on == 0 || contract->terminated_on < k->window + 90
          || contract->terminated_on > g->ref - 60 || k->paid_by[contract->tenant] >= 0)
        continue;
      k->stop_from[c] = contract->terminated_on - 75;
      offsets++;
    }
}

static DemoTenant *
payer_of (DemoColl *k, int tenant)
{
  return TENANT (k->g, tenant);
}

static char *
month_text (Day day)
{
  int y, m, d;

  day_split (day, &y, &m, &d);
  return g_strdup_printf ("%d年%d月", y, m);
}

/* What tenants write in a transfer's memo: a bill number, a contract number and month, their
 * short name, or nothing. */
static char *
coll_memo (DemoColl *k, const DemoPayable *p)
{
  DemoGen *g = k->g;
  const TenureOpenItem *first = g_ptr_array_index (p->items, 0);
  g_autofree char *month = month_text (p->due);

  switch (rng_below (&g->rng, 10))
    {
    case 0: case 1: case 2: case 3:
      return g_strdup_printf ("%s 租金及物业费", first->bill_code);
    case 4: case 5: case 6:
      return g_strdup_printf ("%s %s租金", first->contract_code, month);
    case 7: case 8:
      return g_strdup_printf ("%s%s房租", TENANT (g, p->tenant)->short_name, month);
    default:
      return NULL;
    }
}

static int
coll_add_line (DemoColl *k, int entity, Day on, gint64 amount, const char *payer_name,
               const char *payer_account, char *memo, const char *status, int receipt)
{
  DemoBankLine l = { 0 };

  l.entity = entity;
  l.on = on;
  l.amount = amount;
  l.payer_name = payer_name;
  l.payer_account = payer_account;
  l.memo = memo;
  l.status = status;
  l.receipt = receipt;
  l.seq = (int) k->lines->len;
  g_array_append_val (k->lines, l);
  return (int) k->lines->len - 1;
}

static void
coll_deposit (DemoColl *k, int contract, const char *kind, gint64 amount, Day on,
              TenureOpenItem *item, int receipt, const char *memo)
{
  DemoDepositMove d = { contract, kind, amount, on, item, receipt, memo };
  g_array_append_val (k->deposits, d);
}

/* A receipt of AMOUNT from TENANT on ON, allocated over TARGETS (open items, in allocation
 * order) as far as it goes; the rest is the tenant's unapplied credit. A bank receipt after
 * go-live arrives as a matched statement line. */
static int
coll_receipt (DemoColl *k, int tenant, int entity, gboolean cash, gboolean migrated,
              Day received, Day posted, gint64 amount, GPtrArray *targets, char *memo)
{
  DemoReceipt r = { 0 };
  DemoTenant *payer = payer_of (k, tenant);
  gint64 rest = amount;
  int index = (int) k->receipts->len;

  r.tenant = tenant;
  r.entity = entity;
  r.cash = cash;
  r.migrated = migrated;
  r.received = received;
  r.posted = posted;
  r.amount = amount;
  r.memo = memo;
  r.line = -1;
  for (guint i = 0; targets != NULL && i < targets->len && rest > 0; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (targets, i);
      gint64 part = MIN (item->open, rest);
      DemoAllocation a = { item, part, FALSE, posted, index };

      if (part <= 0)
        continue;
      item->open -= part;
      rest -= part;
      g_array_append_val (k->allocations, a);
      if (item->is_deposit)
        coll_deposit (k, lookup_index (k->contract_by_id, item->contract_id), "received", part,
                      posted, item, index, "押金到账");
    }
  if (!cash && !migrated)
    r.line = coll_add_line (k, entity, received, amount, payer->name, payer->bank_account,
                            g_strdup (memo), "matched", index);
  g_array_append_val (k->receipts, r);
  return index;
}

/* A transfer that waits in the matching queue: a bill number with a typo, only the payer's
 * name, or nothing at all. The bill stays open. */
static void
coll_unmatched (DemoColl *k, const DemoPayable *p, Day on, gint64 amount)
{
  DemoTenant *t = TENANT (k->g, p->tenant);
  const TenureOpenItem *first = g_ptr_array_index (p->items, 0);

  switch (k->n_unmatched++ % 3)
    {
    case 0:
      {
        /* Two digits of the bill's month swapped (of its year when they are equal), as when
         * typed from a paper bill: "B202610-…" becomes "B202601-…", which is no bill. */
        char *memo = g_strdup_printf ("%s 租金", first->bill_code);
        int at = memo[5] != memo[6] ? 5 : 3;
        char tmp = memo[at];

        g_assert (g_ascii_isdigit (memo[3]) && g_ascii_isdigit (memo[6]));
        memo[at] = memo[at + 1];
        memo[at + 1] = tmp;
        coll_add_line (k, p->entity, on, amount, t->name, t->bank_account, memo, "unmatched",
                       -1);
        break;
      }
    case 1:
      coll_add_line (k, p->entity, on, amount, t->name, NULL, NULL, "unmatched", -1);
      break;
    default:
      coll_add_line (k, p->entity, on, amount, NULL, NULL, NULL, "unmatched", -1);
      break;
    }
}

static Day
not_before (Day day, Day floor)
{
  return MAX (day, floor);
}

static gint64
round_down (gint64 value, gint64 step)
{
  return value / step * step;
}

/* The tenant's items open on ON (due and posted by then), oldest first. */
static GPtrArray *
coll_open_items (DemoColl *k, int tenant, Day on)
{
  GPtrArray *targets = g_ptr_array_new ();

  for (guint i = 0; i < k->items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (k->items, i);
      int c = lookup_index (k->contract_by_id, item->contract_id);

      if (item->open > 0 && lookup_index (k->tenant_by_id, item->tenant_id) == tenant
          && day_of (item->due_date) <= on && day_of (item->posting_date) <= on
          && !(k->stop_from[c] && day_of (item->due_date) >= k->stop_from[c]))
        g_ptr_array_add (targets, item);
    }
  return targets;
}

/* What is still open of P (an earlier catch-up may have paid some of it). */
static gint64
payable_open (const DemoPayable *p)
{
  gint64 sum = 0;

  for (guint i = 0; i < p->items->len; i++)
    sum += ((TenureOpenItem *) g_ptr_array_index (p->items, i))->open;
  return sum;
}

static void
coll_pay_payable (DemoColl *k, DemoPayable *p)
{
  DemoGen *g = k->g;
  int t = p->tenant;
  Day last = g->ref - 1, on;
  gint64 amount = payable_open (p);
  gboolean cash = FALSE;

  if (p->migrated)
    {
      /* Paid before go-live: the old system's receipt, posted with the opening bill. */
      Day received = p->due + (Day) rng_range (&g->rng, 0, 6) - 3;

      received = MIN (received, k->window - 1);
      coll_receipt (k, t, p->entity, FALSE, TRUE, received, p->posted, amount, p->items,
                    g_strdup_printf ("期初迁移：上线前已收款（%s）",
                                     ((TenureOpenItem *) g_ptr_array_index (p->items, 0))
                                     ->bill_code));
      return;
    }
  if (amount <= 0 || (k->stop_from[p->contract] && p->due >= k->stop_from[p->contract]))
    return;

  switch (k->profile[t])
    {
    case PAY_LATE:
      on = p->due + (Day) (k->late_base[t] + rng_range (&g->rng, 0, 10));
      break;
    case PAY_PARTIAL:
      on = p->due + (Day) rng_range (&g->rng, 0, 8);
      if (amount > 20000)
        amount = round_down (amount * rng_range (&g->rng, 50, 90) / 100, 10000);
      break;
    case PAY_CHRONIC:
      if (p->due >= k->trouble_from[t])
        {
          if (rng_percent (&g->rng, 35))
            return;
          on = p->due + (Day) rng_range (&g->rng, 20, 60);
          if (amount > 20000)
            amount = round_down (amount * rng_range (&g->rng, 30, 70) / 100, 10000);
        }
      else
        on = p->due + (Day) rng_range (&g->rng, 0, 12);
      break;
    case PAY_OVERPAY:
      on = p->due - (Day) rng_range (&g->rng, 0, 3);
      if (!k->overpaid[t] && p->due >= day_from_ymd (2026, 5, 1))
        {
          /* Rounded up to the next ten thousand yuan "to cover next month too". */
          amount = (amount / 1000000 + 1) * 1000000;
          k->overpaid[t] = TRUE;
        }
      break;
    case PAY_CASH:
      cash = TRUE;
      on = p->due + (Day) rng_range (&g->rng, 0, 7);
      break;
    default:
      on = p->due - (Day) rng_range (&g->rng, 0, 3);
      break;
    }
  /* (MIN and MAX evaluate their arguments twice: never give them a draw.) */
  amount = MAX (amount, MIN (10000, payable_open (p)));
  on = not_before (on, p->posted + (Day) rng_range (&g->rng, 0, 2));
  if (on > last || amount <= 0)
    return;
  if (!cash && on >= k->queue && k->n_unmatched < 9 && k->profile[t] != PAY_OVERPAY
      && rng_percent (&g->rng, 12))
    {
      coll_unmatched (k, p, on, amount);
      return;
    }
  coll_receipt (k, t, p->entity, cash, FALSE, on, on, amount, p->items, cash ? NULL
                : coll_memo (k, p));

  /* Partial payers catch up every few months, oldest items first. */
  if (k->profile[t] == PAY_PARTIAL && ++k->partial_count[t] % 3 == 0)
    {
      Day when = on + (Day) rng_range (&g->rng, 10, 20);
      g_autoptr(GPtrArray) targets = NULL;
      gint64 sum = 0;

      if (when > last)
        return;
      targets = coll_open_items (k, t, when);
      for (guint i = 0; i < targets->len; i++)
        sum += ((TenureOpenItem *) g_ptr_array_index (targets, i))->open;
      if (sum > 0)
        coll_receipt (k, t, p->entity, FALSE, FALSE, when, when, sum, targets,
                      g_strdup ("补缴前期欠款"));
    }
}

/* A parent company's monthly transfer for its subsidiaries' bills due that month. */
static void
coll_pay_for_subsidiaries (DemoColl *k)
{
  DemoGen *g = k->g;
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < k->payables->len; i++)
    {
      DemoPayable *p = PAYABLE (k, i);
      int y, m, d;
      gint64 key;
      GPtrArray *list;

      if (p->migrated || k->paid_by[p->tenant] < 0)
        continue;
      day_split (p->due, &y, &m, &d);
      key = ((gint64) (k->paid_by[p->tenant] * 16 + p->entity) << 20) | (y * 12 + m);
      list = g_hash_table_lookup (groups, &key);
      if (list == NULL)
        {
          gint64 *stored = g_new (gint64, 1);
          *stored = key;
          list = g_ptr_array_new ();
          g_hash_table_insert (groups, stored, list);
          g_array_append_val (order, key);
        }
      g_ptr_array_add (list, p);
    }
  for (guint i = 0; i < order->len; i++)
    {
      GPtrArray *list = g_hash_table_lookup (groups, &g_array_index (order, gint64, i));
      g_autoptr(GPtrArray) targets = g_ptr_array_new ();
      g_autoptr(GString) memo = g_string_new ("代付");
      int parent = k->paid_by[((DemoPayable *) g_ptr_array_index (list, 0))->tenant];
      Day on = 0;
      gint64 sum = 0;
      int entity = ((DemoPayable *) g_ptr_array_index (list, 0))->entity;

      for (guint j = 0; j < list->len; j++)
        {
          DemoPayable *p = g_ptr_array_index (list, j);
          const char *code;

          on = MAX (on, MAX (p->due, p->posted));
          sum += payable_open (p);
          g_ptr_array_extend (targets, p->items, NULL, NULL);
          code = ((TenureOpenItem *) g_ptr_array_index (p->items, 0))->contract_code;
          if (strstr (memo->str, code) == NULL)
            g_string_append_printf (memo, "%s%s", j ? "、" : "", code);
        }
      g_string_append (memo, " 租金");
      on += (Day) rng_range (&g->rng, 0, 3);
      if (on >= g->ref || sum <= 0)
        continue;
      coll_receipt (k, parent, entity, FALSE, FALSE, on, on, sum, targets,
                    g_string_free (g_steal_pointer (&memo), FALSE));
    }
}

/* Deposits of leases that ended in the window: offset against what the lease still owes, then
 * the rest refunded by bank transfer some weeks after the move-out. */
static void
coll_settle_deposits (DemoColl *k)
{
  DemoGen *g = k->g;

  for (guint c = 0; c < g->contracts->len; c++)
    {
      DemoContract *contract = CONTRACT (g, c);
      Day ended = contract->terminated_on ? MIN (contract->terminated_on, contract->end)
                                          : contract->end;
      Day on = ended + (Day) rng_range (&g->rng, 12, 30);
      gint64 held = 0;
      DemoTenant *t = TENANT (g, contract->tenant);

      if (contract->role == ROLE_PENDING || ended < k->window || on >= g->ref)
        continue;
      for (guint i = 0; i < k->deposits->len; i++)
        {
          DemoDepositMove *d = &g_array_index (k->deposits, DemoDepositMove, i);
          if (d->contract == (int) c && d->on <= on)
            held += strcmp (d->kind, "received") == 0 ? d->amount : -d->amount;
        }
      if (held <= 0)
        continue;
      for (guint i = 0; i < k->items->len && held > 0; i++)
        {
          TenureOpenItem *item = g_ptr_array_index (k->items, i);
          DemoAllocation a = { item, 0, TRUE, on, -1 };

          if (item->contract_id != contract->id || item->open <= 0 || item->is_deposit
              || day_of (item->due_date) > on || day_of (item->posting_date) > on)
            continue;
          a.amount = MIN (item->open, held);
          item->open -= a.amount;
          held -= a.amount;
          g_array_append_val (k->allocations, a);
          coll_deposit (k, (int) c, "offset", a.amount, on, item, -1, "退租押金抵扣欠款");
        }
      if (held > 0)
        {
          coll_deposit (k, (int) c, "refunded", held, on, NULL, -1, "退租押金退还");
          coll_add_line (k, entity_index (g, ENTITY (g, PROJECT (g, contract->project)->entity)
                                          ->id), on, -held, t->name, t->bank_account,
                         g_strdup_printf ("退还押金 %s", contract->code), "ignored", -1);
        }
    }
}

static int
bank_line_cmp (gconstpointer a, gconstpointer b)
{
  const DemoBankLine *x = *(const DemoBankLine * const *) a;
  const DemoBankLine *y = *(const DemoBankLine * const *) b;

  if (x->entity != y->entity)
    return x->entity - y->entity;
  if (x->on != y->on)
    return x->on < y->on ? -1 : 1;
  return x->seq - y->seq;
}

/* The monthly statements: the transfers above plus the bank's own lines (fees, the quarterly
 * interest on the 21st of the last month of a quarter, the month-end sweep to the group's cash
 * pool), each statement's opening balance the previous closing one. */
static void
coll_statements (DemoColl *k)
{
  DemoGen *g = k->g;
  static const char *const banks[] = { "CMB", "ICBC" };
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  guint next = 0, serial = 0;

  for (guint e = 0; e < g->entities->len; e++)
    {
      Day month = k->window;
      gint64 balance = (gint64) rng_range (&g->rng, 150, 400) * 1000000;

      while (month < g->ref)
        {
          Day end = day_add_months (month, 1) - 1;
          int y, m, d, n_fees = rng_range (&g->rng, 1, 3);
          gint64 running = balance;
          DemoStatement s = { 0 };
          g_autofree char *seed_text = NULL;

          day_split (month, &y, &m, &d);
          for (int f = 0; f < n_fees; f++)
            {
              Day on = month + (Day) rng_range (&g->rng, 0, (int) (end - month));
              gint64 fee = (gint64) rng_range (&g->rng, 1, 30) * 100;

              coll_add_line (k, (int) e, on, -fee, NULL, NULL, g_strdup ("跨行汇款手续费"),
                             "ignored", -1);
            }
          coll_add_line (k, (int) e, end - 1, -10000, NULL, NULL, g_strdup ("账户管理费"),
                         "ignored", -1);
          if (m % 3 == 0)
            coll_add_line (k, (int) e, day_from_ymd (y, m, 21), MAX (1, balance * 35 / 40000),
                           NULL, NULL, g_strdup ("结息"), "ignored", -1);
          for (guint i = 0; i < k->lines->len; i++)
            {
              DemoBankLine *l = BANK_LINE (k, i);
              if (l->entity == (int) e && l->on >= month && l->on <= end)
                running += l->amount;
            }
          /* The sweep leaves a working balance of about two million yuan. */
          if (running > 300000000)
            coll_add_line (k, (int) e, end, -(running - (gint64) rng_range (&g->rng, 180, 220)
                                               * 1000000),
                           NULL, NULL, g_strdup ("资金归集至集团资金池"), "ignored", -1);
          s.entity = (int) e;
          s.from = month;
          s.to = end;
          s.opening = balance;
          s.ref = g_strdup_printf ("%s-%04d%02d-%s", banks[e % 2], y, m,
                                   k->account_numbers[e] + strlen (k->account_numbers[e]) - 4);
          s.file_name = g_strdup_printf ("%s_%s_camt053_%04d%02d.xml", banks[e % 2],
                                         k->account_numbers[e], y, m);
          seed_text = g_strdup_printf ("%" G_GUINT64_FORMAT "/%s", g->opts->seed, s.file_name);
          s.sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed_text, -1);
          g_array_append_val (k->statements, s);
          for (guint i = 0; i < k->lines->len; i++)
            {
              DemoBankLine *l = BANK_LINE (k, i);
              if (l->entity == (int) e && l->on >= month && l->on <= end)
                {
                  balance += l->amount;
                  l->statement = (int) k->statements->len - 1;
                }
            }
          g_array_index (k->statements, DemoStatement, k->statements->len - 1).closing = balance;
          month = end + 1;
        }
    }

  /* References in booking order, one sequence per account. */
  for (guint i = 0; i < k->lines->len; i++)
    g_ptr_array_add (sorted, BANK_LINE (k, i));
  g_ptr_array_sort (sorted, bank_line_cmp);
  for (guint i = 0; i < sorted->len; i++)
    {
      DemoBankLine *l = g_ptr_array_index (sorted, i);
      int y, m, d;

      DemoBankLine *prev = i ? g_ptr_array_index (sorted, i - 1) : NULL;

      if (prev == NULL || prev->entity != l->entity)
        serial = 0;
      if (prev == NULL || prev->statement != l->statement)
        next = 0;
      day_split (l->on, &y, &m, &d);
      l->reference = g_strdup_printf ("%s%04d%02d%02d%07u", banks[l->entity % 2], y, m, d,
                                      ++serial);
      l->dedupe = g_strconcat ("ref:", l->reference, NULL);
      l->source_line = 42 + 31 * (int) next++; /* the <Ntry> element's line in the file */
    }
}

static int
receipt_order_cmp (gconstpointer a, gconstpointer b, gpointer user_data)
{
  DemoColl *k = user_data;
  const DemoReceipt *x = RECEIPT (k, *(const int *) a);
  const DemoReceipt *y = RECEIPT (k, *(const int *) b);

  if (x->posted != y->posted)
    return x->posted < y->posted ? -1 : 1;
  return *(const int *) a - *(const int *) b;
}

/* Receipt codes RC-YYYYMM-NNNNNN by posting month, in posting order. */
static void
coll_receipt_codes (DemoColl *k)
{
  int n = (int) k->receipts->len, seq = 0, month = -1;
  g_autofree int *order = g_new (int, MAX (n, 1));

  for (int i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (int), receipt_order_cmp, k);
  for (int i = 0; i < n; i++)
    {
      DemoReceipt *r = RECEIPT (k, order[i]);
      int y, m, d;

      day_split (r->posted, &y, &m, &d);
      if (y * 12 + m != month)
        {
          month = y * 12 + m;
          seq = 0;
        }
      r->code = g_strdup_printf ("RC-%04d%02d-%06d", y, m, ++seq);
    }
}

static gboolean
coll_plan (DemoColl *k, GError **error)
{
  DemoGen *g = k->g;

  k->window = day_parse (COLL_WINDOW_START);
  k->recent = day_parse (COLL_RECENT_FROM);
  k->queue = day_parse (COLL_QUEUE_FROM);
  k->payables = g_array_new (FALSE, TRUE, sizeof (DemoPayable));
  g_array_set_clear_func (k->payables, payable_clear);
  k->receipts = model_array (sizeof (DemoReceipt), receipt_clear);
  k->allocations = model_array (sizeof (DemoAllocation), NULL);
  k->deposits = model_array (sizeof (DemoDepositMove), NULL);
  k->lines = model_array (sizeof (DemoBankLine), bank_line_clear);
  k->statements = model_array (sizeof (DemoStatement), statement_clear);
  k->tenant_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  k->contract_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < g->tenants->len; i++)
    g_hash_table_insert (k->tenant_by_id, g_memdup2 (&TENANT (g, i)->id, sizeof (gint64)),
                         GINT_TO_POINTER (i + 1));
  for (guint i = 0; i < g->contracts->len; i++)
    g_hash_table_insert (k->contract_by_id, g_memdup2 (&CONTRACT (g, i)->id, sizeof (gint64)),
                         GINT_TO_POINTER (i + 1));
  k->account_numbers = g_new0 (char *, g->entities->len);
  k->account_ids = g_new0 (gint64, g->entities->len);
  for (guint e = 0; e < g->entities->len; e++)
    k->account_numbers[e] = make_digits (&g->rng, e % 2 ? "1001" : "1219", 12);

  if (!coll_load (k, error))
    return FALSE;
  coll_profiles (k);
  for (guint i = 0; i < k->payables->len; i++)
    {
      DemoPayable *p = PAYABLE (k, i);
      if (p->migrated || k->paid_by[p->tenant] < 0)
        coll_pay_payable (k, p);
    }
  coll_pay_for_subsidiaries (k);
  /* A transfer from someone who is not a tenant (a supplier's refund paid to the wrong
   * account), also waiting in the queue. */
  coll_add_line (k, 0, g->ref - (Day) rng_range (&g->rng, 3, 9), 128000, "上海申通快递有限公司",
                 "31001234567890123", g_strdup ("货款"), "unmatched", -1);
  coll_settle_deposits (k);
  coll_statements (k);
  coll_receipt_codes (k);
  return TRUE;
}

/* Reads back (key, id) pairs from SQL and stores each id into the model row with that key
 * (a string field at KEY_OFFSET); every row must be found. */
static gboolean
fetch_ids_by (DemoGen *g, const char *sql, const char *table, GArray *rows, gsize key_offset,
              gsize id_offset, GError **error)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TenureStmt) stmt = NULL;
  char *base = rows->data;
  gsize size = g_array_get_element_size (rows);

  for (guint i = 0; i < rows->len; i++)
    g_hash_table_insert (by_key, *(char **) (base + i * size + key_offset), base + i * size);
  if ((stmt = tenure_db_prepare (g->db, sql, error)) == NULL)
    return FALSE;
  while (tenure_stmt_step (stmt, error))
    {
      char *row = g_hash_table_lookup (by_key, tenure_stmt_column_text (stmt, 0));
      if (row != NULL)
        *(gint64 *) (row + id_offset) = tenure_stmt_column_int64 (stmt, 1);
    }
  if (error && *error)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    if (*(gint64 *) (base + i * size + id_offset) == 0)
      {
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                     _("The demo row %s of table %s was not written"),
                     *(char **) (base + i * size + key_offset), table);
        return FALSE;
      }
  return TRUE;
}

static gboolean
coll_write_accounts (DemoColl *k, GError **error)
{
  DemoGen *g = k->g;
  g_autoptr(TenureStmt) stmt = NULL;
  static const char *const bank_names[] = { "招商银行上海分行陆家嘴支行",
                                            "中国工商银行上海张江高科技园区支行" };

  stmt = tenure_db_prepare (g->db,
      "INSERT INTO bank_account (code, legal_entity_id, bank_name, account_number, currency) "
      "VALUES ($1, $2, $3, $4, 'CNY') RETURNING id", error);
  if (stmt == NULL)
    return FALSE;
  for (guint e = 0; e < g->entities->len; e++)
    {
      DemoEntity *entity = ENTITY (g, e);
      g_autofree char *code = g_strdup_printf ("BA-%s-CNY", entity->code + 3);

      tenure_stmt_bind_text (stmt, 1, code);
      tenure_stmt_bind_int64 (stmt, 2, entity->id);
      tenure_stmt_bind_text (stmt, 3, bank_names[e % 2]);
      tenure_stmt_bind_text (stmt, 4, k->account_numbers[e]);
      if (!insert_returning (stmt, &k->account_ids[e], error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
coll_write_statements (DemoColl *k, GError **error)
{
  DemoGen *g = k->g;
  DemoBatch statements, lines;
  gboolean ok = FALSE;

  batch_init (&statements, g->db, "bank_statement",
              "bank_account_id, format, file_name, file_sha256, statement_ref, from_date, "
              "to_date, opening_balance, closing_balance, currency, imported_at");
  batch_init (&lines, g->db, "bank_statement_line",
              "bank_statement_id, bank_account_id, booked_on, value_date, amount, currency, "
              "payer_name, payer_account, memo, bank_reference, dedupe_key, status, "
              "source_line");
  for (guint i = 0; i < k->statements->len; i++)
    {
      DemoStatement *s = &g_array_index (k->statements, DemoStatement, i);
      g_autofree char *imported = timestamp_of (s->to + 2, 9);

      batch_int (&statements, k->account_ids[s->entity]);
      batch_text (&statements, "camt053");
      batch_text (&statements, s->file_name);
      batch_text (&statements, s->sha256);
      batch_text (&statements, s->ref);
      batch_text (&statements, day_text (s->from).s);
      batch_text (&statements, day_text (s->to).s);
      batch_int (&statements, s->opening);
      batch_int (&statements, s->closing);
      batch_text (&statements, "CNY");
      batch_text (&statements, imported);
      if (!batch_row (&statements, error))
        goto out;
    }
  if (!batch_flush (&statements, error)
      || !fetch_ids_by (g, "SELECT statement_ref, id FROM bank_statement", "bank_statement",
                        k->statements, G_STRUCT_OFFSET (DemoStatement, ref),
                        G_STRUCT_OFFSET (DemoStatement, id), error))
    goto out;
  for (guint i = 0; i < k->lines->len; i++)
    {
      DemoBankLine *l = BANK_LINE (k, i);

      batch_int (&lines, g_array_index (k->statements, DemoStatement, l->statement).id);
      batch_int (&lines, k->account_ids[l->entity]);
      batch_text (&lines, day_text (l->on).s);
      batch_text (&lines, day_text (l->on).s);
      batch_int (&lines, l->amount);
      batch_text (&lines, "CNY");
      batch_text (&lines, l->payer_name);
      batch_text (&lines, l->payer_account);
      batch_text (&lines, l->memo);
      batch_text (&lines, l->reference);
      batch_text (&lines, l->dedupe);
      batch_text (&lines, l->status);
      batch_int (&lines, l->source_line);
      if (!batch_row (&lines, error))
        goto out;
    }
  ok = batch_flush (&lines, error)
       && fetch_ids_by (g, "SELECT dedupe_key, id FROM bank_statement_line",
                        "bank_statement_line", k->lines, G_STRUCT_OFFSET (DemoBankLine, dedupe),
                        G_STRUCT_OFFSET (DemoBankLine, id), error);
out:
  batch_clear (&statements);
  batch_clear (&lines);
  return ok;
}

static gboolean
coll_write_receipts (DemoColl *k, GError **error)
{
  DemoGen *g = k->g;
  DemoBatch receipts;
  gboolean ok = FALSE;

  batch_init (&receipts, g->db, "receipt",
              "code, tenant_id, method, received_on, posting_date, amount, currency, "
              "payer_name, payer_account, bank_reference, memo, bank_statement_line_id, "
              "legal_entity_id, bank_account_id, created_at");
  for (guint i = 0; i < k->receipts->len; i++)
    {
      DemoReceipt *r = RECEIPT (k, i);
      DemoTenant *t = TENANT (g, r->tenant);
      DemoBankLine *l = r->line >= 0 ? BANK_LINE (k, r->line) : NULL;
      g_autofree char *created = timestamp_of (r->posted, 11);

      batch_text (&receipts, r->code);
      batch_int (&receipts, t->id);
      batch_text (&receipts, r->cash ? "cash" : "bank");
      batch_text (&receipts, day_text (r->received).s);
      batch_text (&receipts, day_text (r->posted).s);
      batch_int (&receipts, r->amount);
      batch_text (&receipts, "CNY");
      batch_text (&receipts, t->name);
      batch_text (&receipts, r->cash ? NULL : t->bank_account);
      batch_text (&receipts, l ? l->reference : NULL);
      batch_text (&receipts, r->memo);
      if (l)
        batch_int (&receipts, l->id);
      else
        batch_null (&receipts);
      batch_int (&receipts, ENTITY (g, r->entity)->id);
      if (r->cash)
        batch_null (&receipts);
      else
        batch_int (&receipts, k->account_ids[r->entity]);
      batch_text (&receipts, created);
      if (!batch_row (&receipts, error))
        goto out;
      if ((i & 1023) == 0 && !stage_step (g, i, k->receipts->len * 2, error))
        goto out;
    }
  ok = batch_flush (&receipts, error)
       && fetch_ids (g, "receipt", k->receipts, G_STRUCT_OFFSET (DemoReceipt, code),
                     G_STRUCT_OFFSET (DemoReceipt, id), TRUE, error);
out:
  batch_clear (&receipts);
  return ok;
}

static gboolean
coll_write_allocations (DemoColl *k, GError **error)
{
  DemoGen *g = k->g;
  DemoBatch allocations, deposits;
  gboolean ok = FALSE;

  batch_init (&allocations, g->db, "allocation",
              "receipt_id, bill_line_id, amount, kind, posting_date, approved_by, reason, "
              "created_at");
  batch_init (&deposits, g->db, "deposit_entry",
              "contract_id, kind, amount, entry_date, bill_line_id, receipt_id, memo, "
              "created_at");
  for (guint i = 0; i < k->allocations->len; i++)
    {
      DemoAllocation *a = &g_array_index (k->allocations, DemoAllocation, i);
      g_autofree char *created = timestamp_of (a->on, 11);

      if (a->receipt >= 0)
        batch_int (&allocations, RECEIPT (k, a->receipt)->id);
      else
        batch_null (&allocations);
      batch_int (&allocations, a->item->bill_line_id);
      batch_int (&allocations, a->amount);
      batch_text (&allocations, a->offset ? "offset" : "allocation");
      batch_text (&allocations, day_text (a->on).s);
      batch_text (&allocations, a->offset ? "zhou.min" : NULL);
      batch_text (&allocations, a->offset ? "退租押金抵扣欠款" : NULL);
      batch_text (&allocations, created);
      if (!batch_row (&allocations, error))
        goto out;
    }
  for (guint i = 0; i < k->deposits->len; i++)
    {
      DemoDepositMove *d = &g_array_index (k->deposits, DemoDepositMove, i);
      g_autofree char *created = timestamp_of (d->on, 11);

      batch_int (&deposits, CONTRACT (g, d->contract)->id);
      batch_text (&deposits, d->kind);
      batch_int (&deposits, d->amount);
      batch_text (&deposits, day_text (d->on).s);
      if (d->item)
        batch_int (&deposits, d->item->bill_line_id);
      else
        batch_null (&deposits);
      if (d->receipt >= 0)
        batch_int (&deposits, RECEIPT (k, d->receipt)->id);
      else
        batch_null (&deposits);
      batch_text (&deposits, d->memo);
      batch_text (&deposits, created);
      if (!batch_row (&deposits, error))
        goto out;
    }
  ok = batch_flush (&allocations, error) && batch_flush (&deposits, error);
out:
  batch_clear (&allocations);
  batch_clear (&deposits);
  return ok;
}

/* The recent matched lines keep the match a person confirmed: its cascade step and reason,
 * and the items it paid. */
static gboolean
coll_write_matches (DemoColl *k, GError **error)
{
  DemoGen *g = k->g;
  DemoBatch matches, match_items;
  g_autoptr(GHashTable) match_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                           g_free);
  g_autoptr(TenureStmt) stmt = NULL;
  gboolean ok = FALSE;

  batch_init (&matches, g->db, "bank_match",
              "bank_statement_line_id, step, reason, detail, confidence, tenant_id, status, "
              "decided_by, decided_at, receipt_id, created_at");
  batch_init (&match_items, g->db, "bank_match_item", "bank_match_id, bill_line_id, amount");
  for (guint i = 0; i < k->receipts->len; i++)
    {
      DemoReceipt *r = RECEIPT (k, i);
      DemoBankLine *l = r->line >= 0 ? BANK_LINE (k, r->line) : NULL;
      g_autofree char *created = NULL, *decided = NULL;
      int step;
      const char *reason;
      int confidence;

      if (l == NULL || l->on < k->recent)
        continue;
      if (r->memo && (g_str_has_prefix (r->memo, "B") || g_str_has_prefix (r->memo, "HT-")))
        {
          step = 1;
          reason = "memo_reference";
          confidence = g_str_has_prefix (r->memo, "B") ? 98 : 96;
        }
      else
        {
          step = 2;
          reason = "payer_oldest_first";
          confidence = 90;
        }
      created = timestamp_of (l->on + 1, 8);
      decided = timestamp_of (l->on + 1, 10);
      batch_int (&matches, l->id);
      batch_int (&matches, step);
      batch_text (&matches, reason);
      batch_null (&matches);
      batch_int (&matches, confidence);
      batch_int (&matches, TENANT (g, r->tenant)->id);
      batch_text (&matches, "confirmed");
      batch_text (&matches, "li.na");
      batch_text (&matches, decided);
      batch_int (&matches, r->id);
      batch_text (&matches, created);
      if (!batch_row (&matches, error))
        goto out;
    }
  if (!batch_flush (&matches, error))
    goto out;
  stmt = tenure_db_prepare (g->db, "SELECT receipt_id, id FROM bank_match", error);
  if (stmt == NULL)
    goto out;
  while (tenure_stmt_step (stmt, error))
    {
      gint64 receipt_id = tenure_stmt_column_int64 (stmt, 0);
      gint64 id = tenure_stmt_column_int64 (stmt, 1);
      g_hash_table_insert (match_ids, g_memdup2 (&receipt_id, sizeof receipt_id),
                           g_memdup2 (&id, sizeof id));
    }
  if (error && *error)
    goto out;
  for (guint i = 0; i < k->allocations->len; i++)
    {
      DemoAllocation *a = &g_array_index (k->allocations, DemoAllocation, i);
      gint64 *match_id;

      if (a->receipt < 0)
        continue;
      match_id = g_hash_table_lookup (match_ids, &RECEIPT (k, a->receipt)->id);
      if (match_id == NULL)
        continue;
      batch_int (&match_items, *match_id);
      batch_int (&match_items, a->item->bill_line_id);
      batch_int (&match_items, a->amount);
      if (!batch_row (&match_items, error))
        goto out;
    }
  ok = batch_flush (&match_items, error);
out:
  batch_clear (&matches);
  batch_clear (&match_items);
  return ok;
}

/* The open items read back through the collections layer must be what the plan left. */
static gboolean
coll_verify (DemoColl *k, GError **error)
{
  TenureOpenItemFilter filter = { 0 };
  g_autoptr(GPtrArray) now = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new (g_int64_hash, g_int64_equal);

  filter.include_settled = TRUE;
  now = tenure_open_items_load (k->g->db, &filter, error);
  if (now == NULL)
    return FALSE;
  for (guint i = 0; i < k->items->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (k->items, i);
      g_hash_table_insert (expected, &item->bill_line_id, item);
    }
  for (guint i = 0; i < now->len; i++)
    {
      TenureOpenItem *item = g_ptr_array_index (now, i);
      TenureOpenItem *planned = g_hash_table_lookup (expected, &item->bill_line_id);

      if (planned == NULL || planned->open != item->open)
        {
          g_autofree char *line = g_strdup_printf ("%" G_GINT64_FORMAT, item->bill_line_id);
          g_autofree char *open = g_strdup_printf ("%" G_GINT64_FORMAT, item->open);
          g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   planned ? planned->open : item->amount);

          /* (Amounts in minor units: this is a check of the generator, for its developers.) */
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_DB,
                       _("Demo collections: line %s of bill %s is open for %s in the database "
                         "instead of %s"), line, item->bill_code, open, want);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
write_collections (DemoGen *g, GError **error)
{
  DemoColl k = { 0 };
  gboolean ok;

  k.g = g;
  ok = coll_plan (&k, error)
       && stage_step (g, 1, 4, error)
       && coll_write_accounts (&k, error)
       && coll_write_statements (&k, error)
       && coll_write_receipts (&k, error)
       && coll_write_allocations (&k, error)
       && coll_write_matches (&k, error)
       && coll_verify (&k, error);
  coll_clear (&k);
  return ok;
}

/* ---------------------------------------------------------------------------------------------
 * Guarding the user's data, and the charge items the clauses refer to. */

static gboolean
check_target (DemoGen *g, GError **error)
{
  gint64 projects = 0, marked = 0;

  if (!tenure_db_query_int64 (g->db, "SELECT count(*) FROM project", &projects, error)
      || !tenure_db_query_int64 (g->db,
                                 "SELECT count(*) FROM setting WHERE key = 'demo.seed'",
                                 &marked, error))
    return FALSE;
  if (projects > 0 && marked == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("%s already holds projects and is not a demo database: the demo "
                     "portfolio is only written into a new database or an earlier demo"),
                   tenure_db_get_display_name (g->db));
      return FALSE;
    }
  return TRUE;
}

/* Empties a demo database before it is generated again, children before parents. */
static gboolean
clear_demo (DemoGen *g, GError **error)
{
  static const char *const tables[] = {
    "dunning_action", "dunning_run", "reconciliation_difference", "reconciliation",
    "bank_match_item", "bank_match", "payer_alias", "receipt_attachment", "allocation",
    "late_fee_waiver", "deposit_entry", "bill_line", "receivable_line", "bill",
    "bill_run", "receipt", "bank_statement_line", "bank_statement", "bank_account",
    "meter_reading", "meter", "accounting_period", "turnover_report", "rent_free", "clause",
    "contract_unit", "contract_version", "contract", "unit_note", "unit", "floor", "building",
    "user_role", "project", "tenant", "legal_entity", "cpi_index",
  };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = NULL;

      if (strcmp (tables[i], "contract") == 0)
        {
          if (!tenure_db_exec (g->db, "UPDATE contract SET renewal_of_id = NULL", error))
            return FALSE;
        }
      else if (strcmp (tables[i], "tenant") == 0)
        {
          if (!tenure_db_exec (g->db, "UPDATE tenant SET parent_tenant_id = NULL", error))
            return FALSE;
        }
      else if (strcmp (tables[i], "bill") == 0)
        {
          if (!tenure_db_exec (g->db, "UPDATE bill SET corrects_bill_id = NULL", error))
            return FALSE;
        }
      sql = g_strdup_printf ("DELETE FROM %s%s", tables[i],
                             strcmp (tables[i], "user_role") == 0
                             ? " WHERE project_id IS NOT NULL" : "");
      if (!tenure_db_exec (g->db, sql, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
charge_item_id (DemoGen *g, const char *code, const char *name, const char *kind,
                const char *account, gint64 *out_id, GError **error)
{
  g_autoptr(TenureStmt) insert = NULL;
  g_autoptr(TenureStmt) select = NULL;

  /* The schema seeds the built-in items; add one only if a database lacks it. */
  insert = tenure_db_prepare (g->db,
      "INSERT INTO charge_item (code, name, kind, account_code, is_builtin) "
      "VALUES ($1, $2, $3, $4, 1) ON CONFLICT (code) DO NOTHING", error);
  if (insert == NULL)
    return FALSE;
  tenure_stmt_bind_text (insert, 1, code);
  tenure_stmt_bind_text (insert, 2, name);
  tenure_stmt_bind_text (insert, 3, kind);
  tenure_stmt_bind_text (insert, 4, account);
  if (!tenure_stmt_run (insert, error))
    return FALSE;
  select = tenure_db_prepare (g->db, "SELECT id FROM charge_item WHERE code = $1", error);
  if (select == NULL)
    return FALSE;
  tenure_stmt_bind_text (select, 1, code);
  if (!tenure_stmt_step (select, error))
    {
      if (error && *error == NULL)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("The charge item %s is missing"), code);
      return FALSE;
    }
  *out_id = tenure_stmt_column_int64 (select, 0);
  return TRUE;
}

static gboolean
write_settings (DemoGen *g, GError **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, g->opts->seed);
  const char *keys[] = { "demo.seed", "demo.scale", "demo.as_of" };
  const char *values[] = { seed, g->large ? "large" : "small", TENURE_DEMO_REFERENCE_DATE };

  stmt = tenure_db_prepare (g->db,
      "INSERT INTO setting (key, value) VALUES ($1, $2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      tenure_stmt_bind_text (stmt, 1, keys[i]);
      tenure_stmt_bind_text (stmt, 2, values[i]);
      if (!tenure_stmt_run (stmt, error))
        return FALSE;
      tenure_stmt_reset (stmt);
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Entry point. */

typedef gboolean (*DemoStageFunc) (DemoGen *g, GError **error);

static gboolean
run_stage (DemoGen *g, const char *name, double base, double span, DemoStageFunc func,
           GError **error)
{
  stage_begin (g, name, base, span);
  if (!stage_step (g, 0, 1, error) || !tenure_db_begin (g->db, error))
    return FALSE;
  if (!func (g, error))
    {
      tenure_db_rollback (g->db);
      return FALSE;
    }
  return tenure_db_commit (g->db, error);
}

static gboolean
prepare_database (DemoGen *g, GError **error)
{
  return check_target (g, error)
         && clear_demo (g, error)
         && write_settings (g, error)
         && charge_item_id (g, "RENT", "租金", "rent", "6001", &g->charge_rent, error)
         && charge_item_id (g, "PROPERTY_FEE", "物业管理费", "property_fee", "6051",
                            &g->charge_fee, error)
         && charge_item_id (g, "DEPOSIT", "押金", "deposit", "2241", &g->charge_deposit, error);
}

gboolean
tenure_demo_generate (TenureDb                *db,
                      const TenureDemoOptions *opts,
                      TenureDemoProgressFunc   progress,
                      gpointer                 user_data,
                      GCancellable            *cancellable,
                      GError                 **error)
{
  DemoGen g = { 0 };
  guint depth;
  gboolean ok;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (opts != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g.db = db;
  g.opts = opts;
  g.progress = progress;
  g.user_data = user_data;
  g.cancellable = cancellable;
  g.rng.state = opts->seed ^ G_GUINT64_CONSTANT (0x74656E7572652121);
  g.large = opts->scale == TENURE_DEMO_SCALE_LARGE;
  g.ref = day_parse (TENURE_DEMO_REFERENCE_DATE);
  g.entities = model_array (sizeof (DemoEntity), entity_clear);
  g.projects = model_array (sizeof (DemoProject), project_clear);
  g.buildings = model_array (sizeof (DemoBuilding), building_clear);
  g.floors = model_array (sizeof (DemoFloor), floor_clear);
  g.units = model_array (sizeof (DemoUnit), unit_clear);
  g.groups = model_array (sizeof (DemoGroup), NULL);
  g.tenants = model_array (sizeof (DemoTenant), tenant_clear);
  g.contracts = model_array (sizeof (DemoContract), contract_clear);
  g.tenant_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Plan everything in memory first (cheap, deterministic), then write it stage by stage. */
  stage_begin (&g, _("Planning"), 0.0, 0.02);
  plan_projects (&g);
  plan_assets (&g);
  plan_groups (&g);
  plan_contract_slots (&g);
  plan_lease_types (&g);
  plan_timelines (&g);
  plan_terms (&g);
  plan_tenants (&g);
  plan_contract_codes (&g);
  plan_vacancy (&g);

  depth = tenure_db_get_transaction_depth (db);
  ok = tenure_db_begin (db, error);
  ok = ok && prepare_database (&g, error);
  ok = ok && run_stage (&g, _("Projects, floors and units"), 0.02, 0.28, write_assets, error);
  ok = ok && run_stage (&g, _("Tenants"), 0.30, 0.10, write_tenants, error);
  /* With bills, the plans and bill runs take about as long as the contracts. */
  ok = ok && run_stage (&g, _("Contracts"), 0.40, demo_bills_wanted (&g) ? 0.20 : 0.50,
                        write_contracts, error);
  if (demo_bills_wanted (&g))
    {
      ok = ok && run_stage (&g, _("Turnover reports and price index"), 0.60, 0.02,
                            write_turnover_and_cpi, error);
      ok = ok && run_stage (&g, _("Receivable plans"), 0.62, 0.16, write_plans, error);
      ok = ok && run_stage (&g, _("Two years of bills"), 0.78, 0.15, write_bill_runs, error);
      /* Collections are planned in memory for a few hundred leases: the small demo only. */
      if (!g.large)
        ok = ok && run_stage (&g, _("Two years of receipts and bank statements"), 0.93, 0.06,
                              write_collections, error);
    }
  else
    ok = ok && run_stage (&g, _("Turnover reports and price index"), 0.90, 0.09,
                          write_turnover_and_cpi, error);
  ok = ok && tenure_db_commit (db, error);
  if (!ok)
    while (tenure_db_get_transaction_depth (db) > depth)
      tenure_db_rollback (db);
  else if (progress)
    progress (1.0, _("Done"), user_data);

  demo_gen_clear (&g);
  return ok;
}
