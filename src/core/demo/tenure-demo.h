/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "store/tenure-db.h"

G_BEGIN_DECLS

/* The demo portfolio: a realistic, deterministic group of projects, tenants and contracts for
 * trying the app and for benchmarks. The same seed gives the same rows on both backends.
 *
 * Contracts are laid out around a fixed reference date (TENURE_DEMO_REFERENCE_DATE, also stored
 * as setting "demo.as_of"), never the clock: units leased on that date have a current contract,
 * every other unit has a vacancy reason.
 *
 * JSON written into clause columns (amounts in fen, prices in 0.0001 yuan, rates in ppm):
 *   escalation  {"kind":"percent","by":"lease_year"|"date","params":{"rate_ppm":50000}}
 *               {"kind":"amount","by":…,"params":{"delta":…}}  (price_e4 or fen, as the basis)
 *               {"kind":"table","by":"date","params":{"steps":[{"from":"2027-01-01",
 *                 "value":…}]}}  (value is price_e4 or fen, as the basis)
 *               {"kind":"cpi","by":"lease_year","params":{"series":"CN-CPI","floor_ppm":0,
 *                 "cap_ppm":50000,"review_months":12}}
 *               "by":"date" steps each 1 January; "lease_year" on each anniversary.
 *   turnover    {"minimum":…,"tiers":[{"from":0,"rate_ppm":80000},…],"breakpoint":null|…,
 *                "period_months":1}  (minimum and tier bounds per settlement period, in fen;
 *                a null breakpoint means the natural one; clause.amount repeats the minimum) */

#define TENURE_DEMO_REFERENCE_DATE "2026-11-01"
#define TENURE_DEMO_CPI_SERIES "CN-CPI"

typedef enum
{
  TENURE_DEMO_SCALE_SMALL, /* 3 projects, ~600 units, ~450 contracts */
  TENURE_DEMO_SCALE_LARGE, /* 50 projects, >= 100,000 units and contracts */
} TenureDemoScale;

/* Whether the demo stores each contract's receivable plan and posts the monthly bill runs of the
 * two years before the reference date (TENURE_DEMO_BILLED_MONTHS months, 2024-11 … 2026-10;
 * the first run also bills what fell due before it), and with them (small scale only) two
 * years of collections:
 *
 * - a CNY bank account per legal entity (bank_account "BA-<entity>-CNY") and for each of the
 *   24 months a camt.053 statement (fake file name and SHA-256, opening balance = the previous
 *   closing, closing = opening + lines): the tenants' transfers, bank fees (debits), quarterly
 *   interest (the 21st), deposit refunds and a month-end sweep to the group's cash pool (those
 *   lines 'ignored');
 * - receipts (codes RC-YYYYMM-NNNNNN of the posting month, legal entity and bank account set)
 *   allocated to the bills they pay, by deterministic payment profiles: most tenants pay on
 *   time in full, some 5–40 days late, some in part with a catch-up every few months, three
 *   chronic debtors whose arrears grow, two who overpay (unapplied credit), a few persons who
 *   pay cash, one parent company paying its subsidiaries' bills in one monthly transfer;
 * - what fell due before 2024-11 (billed by the first run) was paid in the old system: one
 *   migrated receipt per bill, received before 2024-11, posted with the bill, no statement line;
 * - deposit lines paid → deposit_entry 'received'; leases that ended in the window have their
 *   deposit offset against what they still owe (allocation kind 'offset' + deposit_entry
 *   'offset'; two terminated leases stop paying in their last months) and the rest refunded;
 * - in 2026-10 some transfers wait unmatched (a bill code with a typo, only a payer name,
 *   nothing, a stranger's payment), and matched lines from 2026-09 on keep their confirmed
 *   bank_match (step, reason, confidence) with its items.
 * No period is closed. */
typedef enum
{
  TENURE_DEMO_BILLS_DEFAULT, /* on for the small scale, off for the large one */
  TENURE_DEMO_BILLS_ON,
  TENURE_DEMO_BILLS_OFF,
} TenureDemoBills;

#define TENURE_DEMO_BILLED_MONTHS 24

typedef struct
{
  guint64         seed;
  TenureDemoScale scale;
  TenureDemoBills bills;  /* zero: the default of the scale */
} TenureDemoOptions;

/* FRACTION in [0,1]; called from the generating thread. STAGE is translated. */
typedef void (*TenureDemoProgressFunc) (double fraction, const char *stage, gpointer user_data);

/* Fills DB with the demo portfolio, in one transaction (a savepoint per stage): on failure or
 * cancellation (TENURE_ERROR_CANCELLED) nothing is written. Refuses (TENURE_ERROR_INVALID) a
 * database that holds projects and is not marked as a demo (setting "demo.seed"); a demo
 * database is emptied and generated again. */
gboolean  tenure_demo_generate         (TenureDb               *db,
                                        const TenureDemoOptions *opts,
                                        TenureDemoProgressFunc  progress,
                                        gpointer                user_data,
                                        GCancellable           *cancellable,
                                        GError                **error);

/* $XDG_DATA_HOME/tenure/demo.db (free with g_free ()). */
char     *tenure_demo_default_location (void);

/* TRUE when CODE is a well-formed unified code (统一编码): 2–40 characters, segments of upper-case
 * ASCII letters and digits joined by single hyphens, the first segment letters only. */
gboolean  tenure_demo_code_is_valid    (const char             *code);

G_END_DECLS
