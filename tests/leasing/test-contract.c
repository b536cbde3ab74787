/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-contract"

/* The contract model: defaults, deep copies, the version in force, areas, last day, names. */

#include <string.h>

#include "leasing/tenure-contract.h"

#define D(y, m, d) tenure_date_from_ymd (y, m, d)

static TenureContractVersion *
version (int no, TenureDate from, TenureVersionStatus status)
{
  TenureContractVersion *v = tenure_contract_version_new ();

  v->version_no = no;
  v->effective_from = from;
  v->status = status;
  return v;
}

static void
test_clause_defaults (void)
{
  g_autoptr (TenureClause) clause = tenure_clause_new ("RENT", TENURE_BASIS_PER_M2_DAY);

  g_assert_cmpstr (clause->charge_item, ==, "RENT");
  g_assert_cmpint (clause->cycle_months, ==, 1);
  g_assert_cmpint (clause->alignment, ==, TENURE_ALIGN_ANNIVERSARY);
  g_assert_cmpint (clause->timing, ==, TENURE_TIMING_ADVANCE);
  g_assert_cmpint (clause->advance_days, ==, 0);
  g_assert_cmpint (clause->days_rule, ==, TENURE_DAYS_ACTUAL);
  g_assert_cmpint (clause->escalation.kind, ==, TENURE_ESCALATION_NONE);
  g_assert_cmpuint (clause->rent_free->len, ==, 0);
  g_assert_cmpint (clause->late_fee_rate_ppm, ==, 500);
  g_assert_cmpint (clause->late_fee_grace_days, ==, 5);
  g_assert_cmpint (clause->late_fee_cap_ppm, ==, 300000);
  g_assert_false (tenure_date_is_valid (clause->starts_on));
}

static void
test_copy (void)
{
  g_autoptr (TenureContract) contract = tenure_contract_new ();
  g_autoptr (TenureContract) copy = NULL;
  TenureContractVersion *v = version (1, D (2026, 1, 1), TENURE_VERSION_APPROVED);
  TenureClause *clause = tenure_clause_new ("RENT", TENURE_BASIS_TURNOVER);
  TenureClause *copied;
  TenureDateRange free_days = { D (2026, 1, 1), D (2026, 1, 31) };
  TenurePriceStep step = { D (2027, 1, 1), 123 };
  TenureTurnoverTier tier = { 0, 80000 };

  contract->code = g_strdup ("C-1");
  contract->renewal_of = g_strdup ("C-0");
  g_array_append_val (clause->rent_free, free_days);
  clause->escalation.kind = TENURE_ESCALATION_TABLE;
  clause->escalation.table = g_array_new (FALSE, FALSE, sizeof (TenurePriceStep));
  g_array_append_val (clause->escalation.table, step);
  clause->escalation.cpi_series = g_strdup ("CPI");
  clause->turnover = g_new0 (TenureTurnoverTerms, 1);
  clause->turnover->minimum = 5000000;
  clause->turnover->tiers = g_array_new (FALSE, FALSE, sizeof (TenureTurnoverTier));
  g_array_append_val (clause->turnover->tiers, tier);
  g_ptr_array_add (v->clauses, clause);
  g_ptr_array_add (v->units, tenure_contract_unit_new ("A-101", 12345));
  v->reason = g_strdup ("signing");
  g_ptr_array_add (contract->versions, v);

  copy = tenure_contract_copy (contract);
  /* Changing the original leaves the copy as it was: nothing shared. */
  g_array_index (clause->rent_free, TenureDateRange, 0).end = D (2026, 6, 30);
  g_array_index (clause->escalation.table, TenurePriceStep, 0).value = 999;
  clause->turnover->minimum = 1;
  g_array_index (clause->turnover->tiers, TenureTurnoverTier, 0).rate_ppm = 1;
  ((TenureContractUnit *) v->units->pdata[0])->area_c = 1;

  g_assert_cmpstr (copy->code, ==, "C-1");
  g_assert_cmpstr (copy->renewal_of, ==, "C-0");
  g_assert_cmpstr (copy->currency, ==, "CNY");
  g_assert_cmpuint (copy->versions->len, ==, 1);
  copied = ((TenureContractVersion *) copy->versions->pdata[0])->clauses->pdata[0];
  g_assert_true (copied != clause);
  g_assert_cmpint (g_array_index (copied->rent_free, TenureDateRange, 0).end, ==,
                   D (2026, 1, 31));
  g_assert_cmpint (g_array_index (copied->escalation.table, TenurePriceStep, 0).value, ==, 123);
  g_assert_cmpstr (copied->escalation.cpi_series, ==, "CPI");
  g_assert_cmpint (copied->turnover->minimum, ==, 5000000);
  g_assert_cmpint (g_array_index (copied->turnover->tiers, TenureTurnoverTier, 0).rate_ppm, ==,
                   80000);
  g_assert_cmpint (tenure_contract_version_area (copy->versions->pdata[0]), ==, 12345);
  g_assert_cmpstr (((TenureContractVersion *) copy->versions->pdata[0])->reason, ==, "signing");
}

static void
test_version_at (void)
{
  g_autoptr (TenureContract) contract = tenure_contract_new ();
  TenureContractVersion *v1 = version (1, TENURE_DATE_INVALID, TENURE_VERSION_SUPERSEDED);
  TenureContractVersion *v2 = version (2, D (2026, 7, 1), TENURE_VERSION_APPROVED);
  TenureContractVersion *v3 = version (3, D (2026, 9, 1), TENURE_VERSION_PENDING_APPROVAL);

  contract->start_date = D (2026, 1, 1);
  contract->end_date = D (2026, 12, 31);
  /* A draft contract (no approved version) previews its draft. */
  g_ptr_array_add (contract->versions, v3);
  g_assert_true (tenure_contract_version_at (contract, D (2026, 9, 1)) == v3);
  g_assert_null (tenure_contract_version_at (contract, D (2026, 8, 31)));

  g_ptr_array_add (contract->versions, v1);
  g_ptr_array_add (contract->versions, v2);
  g_assert_null (tenure_contract_version_at (contract, D (2025, 12, 31)));
  /* effective_from unset: from the contract start. */
  g_assert_true (tenure_contract_version_at (contract, D (2026, 1, 1)) == v1);
  g_assert_true (tenure_contract_version_at (contract, D (2026, 6, 30)) == v1);
  g_assert_true (tenure_contract_version_at (contract, D (2026, 7, 1)) == v2);
  /* The pending version does not count once an approved one exists. */
  g_assert_true (tenure_contract_version_at (contract, D (2026, 12, 31)) == v2);
  v3->status = TENURE_VERSION_APPROVED;
  g_assert_true (tenure_contract_version_at (contract, D (2026, 12, 31)) == v3);
  /* Same effective date: the later version wins. */
  v3->effective_from = D (2026, 7, 1);
  g_assert_true (tenure_contract_version_at (contract, D (2026, 7, 1)) == v3);
}

static void
test_area_last_day (void)
{
  g_autoptr (TenureContract) contract = tenure_contract_new ();
  TenureContractVersion *v = version (1, D (2026, 1, 1), TENURE_VERSION_APPROVED);

  g_ptr_array_add (v->units, tenure_contract_unit_new ("A", 8550));
  g_ptr_array_add (v->units, tenure_contract_unit_new ("B", 11450));
  g_ptr_array_add (contract->versions, v);
  g_assert_cmpint (tenure_contract_version_area (v), ==, 20000);
  g_ptr_array_add (v->units, tenure_contract_unit_new ("C", G_MAXINT64));
  g_assert_cmpint (tenure_contract_version_area (v), ==, G_MAXINT64);

  contract->start_date = D (2026, 1, 1);
  contract->end_date = D (2028, 12, 31);
  g_assert_cmpint (tenure_contract_last_day (contract), ==, D (2028, 12, 31));
  contract->terminated_on = D (2027, 3, 15);
  g_assert_cmpint (tenure_contract_last_day (contract), ==, D (2027, 3, 15));
  /* Terminated after the end (a late record): the end date. */
  contract->terminated_on = D (2029, 1, 15);
  g_assert_cmpint (tenure_contract_last_day (contract), ==, D (2028, 12, 31));
}

static void
test_names (void)
{
  TenureBasis basis;
  TenureAlignment alignment;
  TenureTiming timing;
  TenureDaysRule rule;
  TenureContractStatus status;
  TenureVersionStatus vstatus;
  TenureTerminationType termination;
  TenureEscalationKind kind;
  TenureEscalationTrigger trigger;

  for (int i = 0; i <= TENURE_BASIS_TURNOVER; i++)
    {
      g_assert_true (tenure_basis_from_string (tenure_basis_to_string (i), &basis));
      g_assert_cmpint (basis, ==, i);
    }
  g_assert_cmpstr (tenure_basis_to_string (TENURE_BASIS_PER_M2_DAY), ==, "per_m2_day");
  g_assert_cmpstr (tenure_basis_to_string (TENURE_BASIS_ONE_OFF), ==, "one_off");
  g_assert_null (tenure_basis_to_string (99));
  g_assert_false (tenure_basis_from_string ("per_m2_week", &basis));
  g_assert_false (tenure_basis_from_string (NULL, &basis));

  g_assert_true (tenure_alignment_from_string ("calendar", &alignment));
  g_assert_cmpint (alignment, ==, TENURE_ALIGN_CALENDAR);
  g_assert_true (tenure_timing_from_string ("arrears", &timing));
  g_assert_cmpint (timing, ==, TENURE_TIMING_ARREARS);
  g_assert_true (tenure_days_rule_from_string ("AVG_365_12", &rule));
  g_assert_cmpint (rule, ==, TENURE_DAYS_AVG_365_12);
  g_assert_false (tenure_days_rule_from_string ("actual", &rule));
  g_assert_true (tenure_contract_status_from_string ("pending_approval", &status));
  g_assert_cmpint (status, ==, TENURE_CONTRACT_PENDING_APPROVAL);
  g_assert_cmpstr (tenure_contract_status_to_string (TENURE_CONTRACT_TERMINATED), ==,
                   "terminated");
  g_assert_true (tenure_version_status_from_string ("superseded", &vstatus));
  g_assert_cmpint (vstatus, ==, TENURE_VERSION_SUPERSEDED);
  g_assert_true (tenure_termination_type_from_string ("early_agreement", &termination));
  g_assert_cmpint (termination, ==, TENURE_TERMINATION_EARLY_AGREEMENT);
  g_assert_true (tenure_escalation_kind_from_string ("cpi", &kind));
  g_assert_cmpint (kind, ==, TENURE_ESCALATION_CPI);
  g_assert_true (tenure_escalation_trigger_from_string ("by_lease_year", &trigger));
  g_assert_cmpint (trigger, ==, TENURE_ESCALATION_BY_LEASE_YEAR);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/contract/clause/defaults", test_clause_defaults);
  g_test_add_func ("/contract/copy/deep", test_copy);
  g_test_add_func ("/contract/version-at", test_version_at);
  g_test_add_func ("/contract/area-last-day", test_area_last_day);
  g_test_add_func ("/contract/names", test_names);
  return g_test_run ();
}
