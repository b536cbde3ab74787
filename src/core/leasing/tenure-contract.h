/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"

G_BEGIN_DECLS

/* The contract model in memory (domain.md §5): what a lease says, independent of storage.
 * Units: unit prices in 0.0001 yuan (`_e4`), areas in 0.01 m² (`_c`), rates in parts per
 * million (`_ppm`), money in minor units of the contract's currency. Dates are TenureDate.
 * Plain structs owned by their parent: free a contract and everything in it goes. */

typedef enum
{
  TENURE_BASIS_PER_M2_DAY,    /* 元/㎡/天: price_e4 × area × days */
  TENURE_BASIS_PER_M2_MONTH,  /* 元/㎡/月: price_e4 × area per month */
  TENURE_BASIS_FIXED_MONTH,   /* amount per month */
  TENURE_BASIS_FIXED_PERIOD,  /* amount per billing period */
  TENURE_BASIS_ONE_OFF,       /* amount once, due on starts_on */
  TENURE_BASIS_TURNOVER,      /* guaranteed minimum + turnover percentage */
} TenureBasis;

typedef enum
{
  TENURE_ALIGN_ANNIVERSARY,   /* periods from the clause start: start + k × cycle months */
  TENURE_ALIGN_CALENDAR,      /* months, quarters Jan–Mar, half-years, years */
} TenureAlignment;

typedef enum
{
  TENURE_TIMING_ADVANCE,      /* due advance_days before the period starts */
  TENURE_TIMING_ARREARS,      /* due due_days after the period ends */
} TenureTiming;

typedef enum
{
  TENURE_DAYS_ACTUAL,         /* days in that calendar month */
  TENURE_DAYS_FIXED_30,       /* partial month × min(days, 30) / 30 */
  TENURE_DAYS_AVG_365_12,     /* per-day prices: a full month is 365/12 days */
} TenureDaysRule;

typedef enum
{
  TENURE_ESCALATION_NONE,
  TENURE_ESCALATION_PERCENT,  /* new = previous × (1 + percent) */
  TENURE_ESCALATION_AMOUNT,   /* new = previous + delta */
  TENURE_ESCALATION_TABLE,    /* explicit prices from dates */
  TENURE_ESCALATION_CPI,      /* new = old × CPI_now / CPI_base, change clamped to [floor, cap] */
} TenureEscalationKind;

typedef enum
{
  TENURE_ESCALATION_BY_DATE,        /* every `every_years` on month/day (e.g. each 1 January) */
  TENURE_ESCALATION_BY_LEASE_YEAR,  /* at each lease anniversary (start + 12 × k months) */
} TenureEscalationTrigger;

/* One row of an explicit price table: from `from` on, the price (or amount) is `value`. */
typedef struct
{
  TenureDate from;
  gint64     value;   /* price_e4 for per-m² bases, minor units for fixed bases */
} TenurePriceStep;

typedef struct
{
  TenureEscalationKind    kind;
  TenureEscalationTrigger trigger;
  int                     month, day;      /* BY_DATE: the yearly review date */
  int                     every_years;     /* 1 by default */
  TenureDate              first_review;    /* optional: no review before this date */
  gint64                  percent_ppm;     /* PERCENT: 50000 = +5 % */
  gint64                  delta;           /* AMOUNT: + price_e4 or + minor units */
  GArray                 *table;           /* TABLE: TenurePriceStep, sorted by date */
  char                   *cpi_series;      /* CPI: series name in cpi_index */
  int                     cpi_lag_months;  /* CPI: which month's index applies (default 1 back) */
  gint64                  floor_ppm;       /* CPI: lowest change per review, e.g. 0 */
  gint64                  cap_ppm;         /* CPI: highest change per review; G_MAXINT64 = none */
} TenureEscalation;

/* Marginal tier: the rate applies to the part of turnover from `from` up to the next tier. */
typedef struct
{
  gint64 from;        /* minor units of turnover per settlement period */
  gint64 rate_ppm;
} TenureTurnoverTier;

typedef struct
{
  gint64  minimum;         /* guaranteed minimum per settlement period, billed in advance */
  GArray *tiers;           /* TenureTurnoverTier, sorted; one tier from 0 is a flat rate */
  gint64  breakpoint;      /* artificial breakpoint (minor units), or -1 for none */
  int     period_months;   /* settlement period = turnover reporting period, 1 by default */
  int     due_days;        /* top-up due this many days after the period ends */
} TenureTurnoverTerms;

typedef struct
{
  gint64               id;               /* 0 until stored */
  char                *charge_item;      /* code: RENT, PROPERTY_FEE, DEPOSIT, … or custom */
  TenureBasis          basis;
  gint64               price_e4;         /* per-m² bases */
  gint64               amount;           /* fixed bases and one-off, minor units */
  int                  cycle_months;     /* 1, 2, 3, 6 or 12 */
  TenureAlignment      alignment;
  TenureTiming         timing;
  int                  advance_days;     /* ADVANCE: due this many days before the period */
  int                  due_days;         /* ARREARS: due this many days after the period */
  TenureDaysRule       days_rule;
  TenureDate           starts_on;        /* TENURE_DATE_INVALID = the contract's start */
  TenureDate           ends_on;          /* TENURE_DATE_INVALID = the contract's end */
  TenureEscalation     escalation;
  GArray              *rent_free;        /* TenureDateRange */
  TenureTurnoverTerms *turnover;         /* TURNOVER basis only */
  /* Late fees on this charge (domain.md §6); rate 0 = not eligible. */
  gint64               late_fee_rate_ppm;   /* per day: 500 = 0.05 %/day */
  int                  late_fee_grace_days;
  gint64               late_fee_cap_ppm;    /* of the principal; 300000 = 30 % */
} TenureClause;

typedef struct
{
  gint64  unit_id;
  char   *unit_code;
  gint64  area_c;      /* the billing area of this unit under this contract */
} TenureContractUnit;

typedef enum
{
  TENURE_VERSION_DRAFT,
  TENURE_VERSION_PENDING_APPROVAL,
  TENURE_VERSION_APPROVED,
  TENURE_VERSION_SUPERSEDED,
} TenureVersionStatus;

typedef struct
{
  gint64               id;
  int                  version_no;      /* 1, 2, … */
  TenureDate           effective_from;  /* the first day these terms apply */
  char                *reason;
  TenureVersionStatus  status;
  char                *created_by;
  char                *approved_by;
  GPtrArray           *units;           /* TenureContractUnit */
  GPtrArray           *clauses;         /* TenureClause */
} TenureContractVersion;

typedef enum
{
  TENURE_CONTRACT_DRAFT,
  TENURE_CONTRACT_PENDING_APPROVAL,
  TENURE_CONTRACT_ACTIVE,
  TENURE_CONTRACT_EXPIRED,
  TENURE_CONTRACT_TERMINATED,
} TenureContractStatus;

typedef enum
{
  TENURE_TERMINATION_NONE,
  TENURE_TERMINATION_NORMAL,
  TENURE_TERMINATION_EARLY_AGREEMENT,
  TENURE_TERMINATION_BREACH,
} TenureTerminationType;

typedef struct
{
  gint64                 id;
  char                  *code;
  char                  *tenant_code;
  char                  *project_code;
  char                  *currency;        /* ISO 4217, "CNY" by default */
  TenureContractStatus   status;
  TenureDate             signed_on;
  TenureDate             start_date;
  TenureDate             end_date;        /* inclusive */
  TenureDate             terminated_on;   /* TENURE_DATE_INVALID unless terminated */
  TenureTerminationType  termination_type;
  char                  *renewal_of;      /* code of the contract this renews, or NULL */
  GPtrArray             *versions;        /* TenureContractVersion, by version_no */
} TenureContract;

TenureContract        *tenure_contract_new           (void);
void                   tenure_contract_free          (TenureContract *contract);
TenureContractVersion *tenure_contract_version_new   (void);
void                   tenure_contract_version_free  (TenureContractVersion *version);
/* A clause with the defaults of domain.md §11: monthly, anniversary, in advance, 0 advance
 * days, ACTUAL, no escalation, no rent-free, late fee 0.05 %/day after 5 days capped at 30 %. */
TenureClause          *tenure_clause_new             (const char *charge_item, TenureBasis basis);
void                   tenure_clause_free            (TenureClause *clause);
TenureClause          *tenure_clause_copy            (const TenureClause *clause);
TenureContractUnit    *tenure_contract_unit_new      (const char *unit_code, gint64 area_c);
void                   tenure_contract_unit_free     (TenureContractUnit *unit);
/* Deep copies (a plan preview edits a copy, never the stored contract). */
TenureContract        *tenure_contract_copy          (const TenureContract *contract);
TenureContractVersion *tenure_contract_version_copy  (const TenureContractVersion *version);
TenureContractUnit    *tenure_contract_unit_copy     (const TenureContractUnit *unit);

/* The version in force on DATE (the approved one with the latest effective_from <= DATE).
 * Superseded versions were approved and stay in force until the next one; draft and pending
 * versions count only while the contract has no approved version at all (a draft's preview).
 * An effective_from of TENURE_DATE_INVALID means the contract's start. NULL when none. */
const TenureContractVersion *tenure_contract_version_at (const TenureContract *contract,
                                                         TenureDate            date);
/* Sum of the units' billing areas of VERSION. */
gint64                 tenure_contract_version_area  (const TenureContractVersion *version);
/* Last day rent is owed: the termination date when terminated, else the end date. */
TenureDate             tenure_contract_last_day      (const TenureContract *contract);

/* Names used in storage, JSON and the CLI ("per_m2_day", "anniversary", "ACTUAL", …), and back. */
const char *tenure_basis_to_string          (TenureBasis basis);
gboolean    tenure_basis_from_string        (const char *text, TenureBasis *out);
const char *tenure_alignment_to_string      (TenureAlignment alignment);
gboolean    tenure_alignment_from_string    (const char *text, TenureAlignment *out);
const char *tenure_timing_to_string         (TenureTiming timing);
gboolean    tenure_timing_from_string       (const char *text, TenureTiming *out);
const char *tenure_days_rule_to_string      (TenureDaysRule rule);
gboolean    tenure_days_rule_from_string    (const char *text, TenureDaysRule *out);
const char *tenure_contract_status_to_string (TenureContractStatus status);
gboolean    tenure_contract_status_from_string (const char *text, TenureContractStatus *out);
const char *tenure_version_status_to_string (TenureVersionStatus status);
gboolean    tenure_version_status_from_string (const char *text, TenureVersionStatus *out);
const char *tenure_termination_type_to_string (TenureTerminationType type);
gboolean    tenure_termination_type_from_string (const char *text, TenureTerminationType *out);
const char *tenure_escalation_kind_to_string (TenureEscalationKind kind);
gboolean    tenure_escalation_kind_from_string (const char *text, TenureEscalationKind *out);
const char *tenure_escalation_trigger_to_string (TenureEscalationTrigger trigger);
gboolean    tenure_escalation_trigger_from_string (const char *text,
                                                   TenureEscalationTrigger *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureContract, tenure_contract_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureClause, tenure_clause_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureContractVersion, tenure_contract_version_free)

G_END_DECLS
