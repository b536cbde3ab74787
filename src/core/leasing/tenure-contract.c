/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-contract"

#include "tenure-contract.h"

#include <string.h>

/* Names used in storage, JSON and the CLI, indexed by enum value. */
static const char * const basis_names[] = {
  "per_m2_day", "per_m2_month", "fixed_month", "fixed_period", "one_off", "turnover",
};
static const char * const alignment_names[] = { "anniversary", "calendar" };
static const char * const timing_names[] = { "advance", "arrears" };
static const char * const days_rule_names[] = { "ACTUAL", "FIXED_30", "AVG_365_12" };
static const char * const contract_status_names[] = {
  "draft", "pending_approval", "active", "expired", "terminated",
};
static const char * const version_status_names[] = {
  "draft", "pending_approval", "approved", "superseded",
};
static const char * const termination_names[] = {
  "none", "normal", "early_agreement", "breach",
};
static const char * const escalation_kind_names[] = {
  "none", "percent", "amount", "table", "cpi",
};
static const char * const escalation_trigger_names[] = { "by_date", "by_lease_year" };

static const char *
name_of (const char * const *names, guint n_names, int value)
{
  if (value < 0 || (guint) value >= n_names)
    return NULL;
  return names[value];
}

static gboolean
value_of (const char * const *names, guint n_names, const char *text, int *out)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    if (strcmp (names[i], text) == 0)
      {
        *out = (int) i;
        return TRUE;
      }
  return FALSE;
}

#define DEFINE_ENUM_STRINGS(prefix, Type, names)                                 \
  const char *                                                                   \
  prefix##_to_string (Type value)                                                \
  {                                                                              \
    return name_of (names, G_N_ELEMENTS (names), (int) value);                   \
  }                                                                              \
  gboolean                                                                       \
  prefix##_from_string (const char *text, Type *out)                             \
  {                                                                              \
    int v;                                                                       \
    if (!value_of (names, G_N_ELEMENTS (names), text, &v))                       \
      return FALSE;                                                              \
    *out = (Type) v;                                                             \
    return TRUE;                                                                 \
  }

DEFINE_ENUM_STRINGS (tenure_basis, TenureBasis, basis_names)
DEFINE_ENUM_STRINGS (tenure_alignment, TenureAlignment, alignment_names)
DEFINE_ENUM_STRINGS (tenure_timing, TenureTiming, timing_names)
DEFINE_ENUM_STRINGS (tenure_days_rule, TenureDaysRule, days_rule_names)
DEFINE_ENUM_STRINGS (tenure_contract_status, TenureContractStatus, contract_status_names)
DEFINE_ENUM_STRINGS (tenure_version_status, TenureVersionStatus, version_status_names)
DEFINE_ENUM_STRINGS (tenure_termination_type, TenureTerminationType, termination_names)
DEFINE_ENUM_STRINGS (tenure_escalation_kind, TenureEscalationKind, escalation_kind_names)
DEFINE_ENUM_STRINGS (tenure_escalation_trigger, TenureEscalationTrigger,
                     escalation_trigger_names)

/**
 * tenure_contract_unit_new:
 * A unit under a contract version with its billing area in 0.01 m².
 */
TenureContractUnit *
tenure_contract_unit_new (const char *unit_code,
                          gint64      area_c)
{
  TenureContractUnit *unit = g_new0 (TenureContractUnit, 1);

  unit->unit_code = g_strdup (unit_code);
  unit->area_c = area_c;
  return unit;
}

void
tenure_contract_unit_free (TenureContractUnit *unit)
{
  if (unit == NULL)
    return;
  g_free (unit->unit_code);
  g_free (unit);
}

TenureContractUnit *
tenure_contract_unit_copy (const TenureContractUnit *unit)
{
  TenureContractUnit *copy;

  g_return_val_if_fail (unit != NULL, NULL);
  copy = tenure_contract_unit_new (unit->unit_code, unit->area_c);
  copy->unit_id = unit->unit_id;
  return copy;
}

/**
 * tenure_clause_new:
 * A clause with the defaults of domain.md §11 (see the header).
 */
TenureClause *
tenure_clause_new (const char  *charge_item,
                   TenureBasis  basis)
{
  TenureClause *clause = g_new0 (TenureClause, 1);

  clause->charge_item = g_strdup (charge_item);
  clause->basis = basis;
  clause->cycle_months = 1;
  clause->alignment = TENURE_ALIGN_ANNIVERSARY;
  clause->timing = TENURE_TIMING_ADVANCE;
  clause->advance_days = 0;
  clause->due_days = 0;
  clause->days_rule = TENURE_DAYS_ACTUAL;
  clause->starts_on = TENURE_DATE_INVALID;
  clause->ends_on = TENURE_DATE_INVALID;
  clause->escalation.kind = TENURE_ESCALATION_NONE;
  clause->escalation.trigger = TENURE_ESCALATION_BY_LEASE_YEAR;
  clause->escalation.month = 1;
  clause->escalation.day = 1;
  clause->escalation.every_years = 1;
  clause->escalation.first_review = TENURE_DATE_INVALID;
  clause->escalation.cpi_lag_months = 1;
  clause->escalation.floor_ppm = 0;
  clause->escalation.cap_ppm = G_MAXINT64;
  clause->rent_free = g_array_new (FALSE, FALSE, sizeof (TenureDateRange));
  clause->late_fee_rate_ppm = 500;
  clause->late_fee_grace_days = 5;
  clause->late_fee_cap_ppm = 300000;
  return clause;
}

void
tenure_clause_free (TenureClause *clause)
{
  if (clause == NULL)
    return;
  g_free (clause->charge_item);
  g_clear_pointer (&clause->escalation.table, g_array_unref);
  g_free (clause->escalation.cpi_series);
  g_clear_pointer (&clause->rent_free, g_array_unref);
  if (clause->turnover != NULL)
    {
      g_clear_pointer (&clause->turnover->tiers, g_array_unref);
      g_free (clause->turnover);
    }
  g_free (clause);
}

static GArray *
array_copy (const GArray *array)
{
  GArray *copy;

  if (array == NULL)
    return NULL;
  copy = g_array_sized_new (FALSE, FALSE, g_array_get_element_size ((GArray *) array),
                            array->len);
  g_array_append_vals (copy, array->data, array->len);
  return copy;
}

TenureClause *
tenure_clause_copy (const TenureClause *clause)
{
  TenureClause *copy;

  g_return_val_if_fail (clause != NULL, NULL);
  copy = g_new (TenureClause, 1);
  *copy = *clause;
  copy->charge_item = g_strdup (clause->charge_item);
  copy->escalation.table = array_copy (clause->escalation.table);
  copy->escalation.cpi_series = g_strdup (clause->escalation.cpi_series);
  copy->rent_free = array_copy (clause->rent_free);
  if (clause->turnover != NULL)
    {
      copy->turnover = g_new (TenureTurnoverTerms, 1);
      *copy->turnover = *clause->turnover;
      copy->turnover->tiers = array_copy (clause->turnover->tiers);
    }
  return copy;
}

/**
 * tenure_contract_version_new:
 * An empty draft version (no units, no clauses); effective_from unset.
 */
TenureContractVersion *
tenure_contract_version_new (void)
{
  TenureContractVersion *version = g_new0 (TenureContractVersion, 1);

  version->version_no = 1;
  version->effective_from = TENURE_DATE_INVALID;
  version->status = TENURE_VERSION_DRAFT;
  version->units = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_contract_unit_free);
  version->clauses = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_clause_free);
  return version;
}

void
tenure_contract_version_free (TenureContractVersion *version)
{
  if (version == NULL)
    return;
  g_free (version->reason);
  g_free (version->created_by);
  g_free (version->approved_by);
  g_clear_pointer (&version->units, g_ptr_array_unref);
  g_clear_pointer (&version->clauses, g_ptr_array_unref);
  g_free (version);
}

TenureContractVersion *
tenure_contract_version_copy (const TenureContractVersion *version)
{
  TenureContractVersion *copy;

  g_return_val_if_fail (version != NULL, NULL);
  copy = tenure_contract_version_new ();
  copy->id = version->id;
  copy->version_no = version->version_no;
  copy->effective_from = version->effective_from;
  copy->reason = g_strdup (version->reason);
  copy->status = version->status;
  copy->created_by = g_strdup (version->created_by);
  copy->approved_by = g_strdup (version->approved_by);
  for (guint i = 0; version->units != NULL && i < version->units->len; i++)
    g_ptr_array_add (copy->units, tenure_contract_unit_copy (version->units->pdata[i]));
  for (guint i = 0; version->clauses != NULL && i < version->clauses->len; i++)
    g_ptr_array_add (copy->clauses, tenure_clause_copy (version->clauses->pdata[i]));
  return copy;
}

/**
 * tenure_contract_new:
 * An empty draft contract in CNY without versions.
 */
TenureContract *
tenure_contract_new (void)
{
  TenureContract *contract = g_new0 (TenureContract, 1);

  contract->currency = g_strdup ("CNY");
  contract->status = TENURE_CONTRACT_DRAFT;
  contract->termination_type = TENURE_TERMINATION_NONE;
  contract->versions =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_contract_version_free);
  return contract;
}

void
tenure_contract_free (TenureContract *contract)
{
  if (contract == NULL)
    return;
  g_free (contract->code);
  g_free (contract->tenant_code);
  g_free (contract->project_code);
  g_free (contract->currency);
  g_free (contract->renewal_of);
  g_clear_pointer (&contract->versions, g_ptr_array_unref);
  g_free (contract);
}

TenureContract *
tenure_contract_copy (const TenureContract *contract)
{
  TenureContract *copy;

  g_return_val_if_fail (contract != NULL, NULL);
  copy = tenure_contract_new ();
  copy->id = contract->id;
  copy->code = g_strdup (contract->code);
  copy->tenant_code = g_strdup (contract->tenant_code);
  copy->project_code = g_strdup (contract->project_code);
  g_free (copy->currency);
  copy->currency = g_strdup (contract->currency);
  copy->status = contract->status;
  copy->signed_on = contract->signed_on;
  copy->start_date = contract->start_date;
  copy->end_date = contract->end_date;
  copy->terminated_on = contract->terminated_on;
  copy->termination_type = contract->termination_type;
  copy->renewal_of = g_strdup (contract->renewal_of);
  for (guint i = 0; contract->versions != NULL && i < contract->versions->len; i++)
    g_ptr_array_add (copy->versions, tenure_contract_version_copy (contract->versions->pdata[i]));
  return copy;
}

static gboolean
version_counts (const TenureContractVersion *version,
                gboolean                     any_status)
{
  return any_status || version->status == TENURE_VERSION_APPROVED
         || version->status == TENURE_VERSION_SUPERSEDED;
}

/**
 * tenure_contract_version_at:
 * The version in force on @date (see the header for which versions count).
 * Returns: (transfer none) (nullable)
 */
const TenureContractVersion *
tenure_contract_version_at (const TenureContract *contract,
                            TenureDate            date)
{
  const TenureContractVersion *best = NULL;
  TenureDate best_from = TENURE_DATE_INVALID;
  gboolean any_status = TRUE;

  g_return_val_if_fail (contract != NULL, NULL);

  for (guint i = 0; i < contract->versions->len; i++)
    if (version_counts (contract->versions->pdata[i], FALSE))
      any_status = FALSE;

  for (guint i = 0; i < contract->versions->len; i++)
    {
      const TenureContractVersion *version = contract->versions->pdata[i];
      TenureDate from = version->effective_from;

      if (!version_counts (version, any_status))
        continue;
      if (!tenure_date_is_valid (from) || from < contract->start_date)
        from = contract->start_date;
      if (from > date)
        continue;
      /* Same effective date: the later version number wins. */
      if (best == NULL || from > best_from
          || (from == best_from && version->version_no > best->version_no))
        {
          best = version;
          best_from = from;
        }
    }
  return best;
}

/**
 * tenure_contract_version_area:
 * Sum of the billing areas (0.01 m²) of @version's units; saturates at G_MAXINT64.
 */
gint64
tenure_contract_version_area (const TenureContractVersion *version)
{
  gint64 total = 0;

  g_return_val_if_fail (version != NULL, 0);
  for (guint i = 0; version->units != NULL && i < version->units->len; i++)
    {
      const TenureContractUnit *unit = version->units->pdata[i];

      if (unit->area_c > 0 && total > G_MAXINT64 - unit->area_c)
        return G_MAXINT64;
      total += unit->area_c;
    }
  return total;
}

/**
 * tenure_contract_last_day:
 * The termination date when terminated before the end, else the end date.
 */
TenureDate
tenure_contract_last_day (const TenureContract *contract)
{
  g_return_val_if_fail (contract != NULL, TENURE_DATE_INVALID);
  if (tenure_date_is_valid (contract->terminated_on)
      && contract->terminated_on < contract->end_date)
    return contract->terminated_on;
  return contract->end_date;
}
