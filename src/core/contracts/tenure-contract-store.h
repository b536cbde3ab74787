/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "leasing/tenure-contract.h"
#include "leasing/tenure-plan.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Contracts in the database: a TenureContract (leasing/tenure-contract.h) with its versions,
 * units, clauses and rent-free periods, saved in one transaction and loaded back whole.
 * Tenants, projects, units, charge items and renewals are referenced by code; the store turns
 * codes into ids and refuses unknown ones.
 *
 * Storage of the clause columns (see docs/contract-json.md, "Storage"): escalation and
 * turnover are JSON documents in the clause row; `advance_days` holds the advance days of an
 * advance clause and the due days (after the period) of an arrears clause; clause dates left
 * open in memory (TENURE_DATE_INVALID) are stored as the contract's start and end. */

/* One problem found in a contract or an import file. @message is the whole translated text,
 * place included; the other fields say where, for a UI that points at the cell. */
typedef struct
{
  char  *contract_code;  /* or NULL */
  int    version_index;  /* 0-based index in contract->versions, or -1 */
  int    clause_index;   /* 0-based index in that version's clauses, or -1 */
  char  *field;          /* "end_date", "versions[0].clauses[1].price", "price", … or NULL */
  char  *file;           /* import file, or NULL */
  guint  row;            /* 1-based row/line of the file, 0 when not from a table */
  char  *column;         /* column name ("D", "4") or NULL */
  char  *message;
} TenureContractProblem;

void tenure_contract_problem_free (TenureContractProblem *problem);

/* A custom or builtin charge item (charge_item) with its VAT rate in force from @vat_from. */
typedef struct
{
  gint64      id;
  char       *code;
  char       *name;
  char       *kind;          /* "rent", "property_fee", …, "custom" */
  char       *account_code;  /* or NULL */
  gint64      vat_rate_ppm;  /* latest rate of the general method; -1 when none */
  TenureDate  vat_from;
  gboolean    builtin;
} TenureChargeItem;

void tenure_charge_item_free (TenureChargeItem *item);

/* Defines a custom charge item (kind "custom") with its own VAT rate from @vat_from (for both
 * the general and the simplified method) and its account code. Refuses a code in use, an
 * empty code or name, a rate outside 0–100 %. Returns the new id, or 0 with @error set. */
gint64     tenure_charge_item_define  (TenureDb    *db,
                                       const char  *code,
                                       const char  *name,
                                       const char  *account_code,
                                       gint64       vat_rate_ppm,
                                       TenureDate   vat_from,
                                       GError     **error);
/* Every charge item, builtin first, by code (TenureChargeItem). */
GPtrArray *tenure_charge_item_list    (TenureDb    *db,
                                       GError     **error);

/* Checks CONTRACT against itself and the database: required fields, end before start, areas
 * and prices that must be positive, unknown tenant/project/unit/charge item codes, two active
 * leases on one unit for overlapping dates, and whether the plan engine can express every
 * clause (tenure_plan_generate; CPI from cpi_index, VAT from vat_rate). Appends one
 * TenureContractProblem per finding to @problems (naming the contract code and the field);
 * returns TRUE when none was found. @error is set only when the database fails. */
gboolean   tenure_contract_validate   (TenureDb              *db,
                                       const TenureContract  *contract,
                                       GPtrArray             *problems,
                                       GError               **error);

/* Validates and inserts CONTRACT (a new code: saving never overwrites a stored contract;
 * changes are new versions, tenure_contract_store_add_version ()) with every version, unit, clause and rent-free
 * period in one transaction (nested in the caller's, if any). Fills in the ids of the contract,
 * its versions, units and clauses. A contract with problems fails with TENURE_ERROR_INVALID
 * whose message lists them (one per line); nothing is written. */
gboolean   tenure_contract_store_save (TenureDb        *db,
                                       TenureContract  *contract,
                                       GError         **error);

/* Adds VERSION to the stored contract @contract_code: version_no 0 takes the next number;
 * validates the contract with the version added; fills in the version's ids. The plan is
 * not regenerated here (that belongs to billing). */
gboolean   tenure_contract_store_add_version (TenureDb              *db,
                                              const char            *contract_code,
                                              TenureContractVersion *version,
                                              GError               **error);

/* Sets the status (and approver, for APPROVED) of a stored version. */
gboolean   tenure_contract_store_set_version_status (TenureDb            *db,
                                                     gint64               version_id,
                                                     TenureVersionStatus  status,
                                                     const char          *approved_by,
                                                     GError             **error);

/* Loads the contract with @code (or @id) with everything in it; TENURE_ERROR_NOT_FOUND when
 * there is none; TENURE_ERROR_INVALID when a stored clause cannot be read (naming the
 * contract, the version and the field). */
TenureContract *tenure_contract_store_load       (TenureDb    *db,
                                                  const char  *code,
                                                  GError     **error);
TenureContract *tenure_contract_store_load_by_id (TenureDb    *db,
                                                  gint64       id,
                                                  GError     **error);

/* One row of the contract list. */
typedef struct
{
  gint64                id;
  char                 *code;
  char                 *tenant_code;
  char                 *project_code;
  TenureContractStatus  status;
  TenureDate            start_date;
  TenureDate            end_date;
} TenureContractSummary;

void       tenure_contract_summary_free (TenureContractSummary *summary);
/* Contracts by code, optionally only those of the project @project_code (NULL for all). */
GPtrArray *tenure_contract_store_list   (TenureDb    *db,
                                         const char  *project_code,
                                         GError     **error);

/* Lookups from the database for tenure_plan_generate (): CPI from cpi_index, VAT from vat_rate
 * by the project's VAT method, turnover from turnover_report of one contract. Everything is
 * read when created, so the lookups never touch the database. */
typedef struct _TenurePlanLookups TenurePlanLookups;

TenurePlanLookups *tenure_plan_lookups_new     (TenureDb                *db,
                                                const TenureContract    *contract,
                                                GError                 **error);
/* A context whose lookups read from @lookups (which must outlive it). */
void               tenure_plan_lookups_context (TenurePlanLookups       *lookups,
                                                TenurePlanContext       *context);
void               tenure_plan_lookups_free    (TenurePlanLookups       *lookups);

/* Escalation and turnover terms as the JSON stored in the clause columns (NULL for none). */
char      *tenure_escalation_to_json   (const TenureEscalation    *escalation);
char      *tenure_turnover_to_json     (const TenureTurnoverTerms *terms);
/* Reads stored JSON into CLAUSE (whose escalation/turnover must still be empty); errors name
 * @where (e.g. "contract HT-1, version 1, clause 2"). */
gboolean   tenure_clause_escalation_from_json (TenureClause  *clause,
                                               const char    *json,
                                               const char    *where,
                                               GError       **error);
gboolean   tenure_clause_turnover_from_json   (TenureClause  *clause,
                                               const char    *json,
                                               const char    *where,
                                               GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureContractProblem, tenure_contract_problem_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureChargeItem, tenure_charge_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenurePlanLookups, tenure_plan_lookups_free)

G_END_DECLS
