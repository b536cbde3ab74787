/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"
#include "collections/tenure-open-item.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Aging (账龄, domain.md §10): the open items on a date by days past their due date
 * (as_of − due_date), in the buckets not due (≤ 0), 1–30, 31–60, 61–90, 91–180, 181–365 and
 * > 365, per group and currency. Balances come from tenure_open_items_load() as of the date,
 * so a payment posted after it does not count. */

typedef enum
{
  TENURE_AGING_NOT_DUE,
  TENURE_AGING_1_30,
  TENURE_AGING_31_60,
  TENURE_AGING_61_90,
  TENURE_AGING_91_180,
  TENURE_AGING_181_365,
  TENURE_AGING_OVER_365,
  TENURE_AGING_N_BUCKETS
} TenureAgingBucket;

typedef enum
{
  TENURE_AGING_BY_NONE,
  TENURE_AGING_BY_PROJECT,
  TENURE_AGING_BY_TENANT,
  TENURE_AGING_BY_CONTRACT,
} TenureAgingGroupBy;

/* Which items; NULL fields do not filter. Codes must exist (TENURE_ERROR_NOT_FOUND). */
typedef struct
{
  const char *project_code;
  const char *tenant_code;
  const char *contract_code;
  const char *legal_entity_code;
  const char *currency;
} TenureAgingFilter;

/* One group (a project, tenant or contract; everything for BY_NONE) in one currency. */
typedef struct
{
  gint64      group_id;                          /* 0 for BY_NONE and for totals */
  char       *group_code;                        /* NULL for BY_NONE and for totals */
  char       *group_name;                        /* or NULL */
  char        currency[4];
  gint64      amounts[TENURE_AGING_N_BUCKETS];   /* open amounts, minor units */
  guint       counts[TENURE_AGING_N_BUCKETS];    /* items */
  gint64      total;
  guint       count;
  GPtrArray  *items[TENURE_AGING_N_BUCKETS];     /* TenureOpenItem behind each bucket */
} TenureAgingRow;

typedef struct
{
  TenureDate          as_of;
  TenureAgingGroupBy  group_by;
  GPtrArray          *rows;    /* TenureAgingRow by group code, then currency */
  GPtrArray          *totals;  /* TenureAgingRow per currency (group_code NULL), by currency */
} TenureAgingReport;

void tenure_aging_report_free (TenureAgingReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureAgingReport, tenure_aging_report_free)

/* The bucket of an item @days_past_due days past its due date (0 or less: not due). */
TenureAgingBucket tenure_aging_bucket_for_days (gint64 days_past_due);
/* "Not due", "1–30 days", … (translated). */
const char *tenure_aging_bucket_label (TenureAgingBucket bucket);
/* "not_due", "1-30", "31-60", "61-90", "91-180", "181-365", "over_365": for files. */
const char *tenure_aging_bucket_key   (TenureAgingBucket bucket);
/* "none", "project", "tenant", "contract", and back (FALSE for anything else). */
const char *tenure_aging_group_by_to_string   (TenureAgingGroupBy by);
gboolean    tenure_aging_group_by_from_string (const char *text, TenureAgingGroupBy *out);

/* The aging of the open items matching @filter on @as_of, grouped by @group_by. Each item
 * appears in exactly one bucket of one row; totals add up the rows per currency. */
TenureAgingReport *tenure_aging (TenureDb                 *db,
                                 TenureDate                as_of,
                                 const TenureAgingFilter  *filter,
                                 TenureAgingGroupBy        group_by,
                                 GError                  **error);

G_END_DECLS
