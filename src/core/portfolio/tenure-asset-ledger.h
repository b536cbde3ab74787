/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Editing the asset ledger: projects, buildings, floors and units are created, changed and
 * retired here, each write validated and done in one transaction. The audit triggers record
 * every write with the database's actor (tenure_db_get_actor ()).
 *
 * Values travel as text, as a person types them, in a GHashTable of field key → text (both
 * char *). The keys:
 *   every kind  "code", "name"
 *   project     "format" (mall, office, industrial_park, apartment), "city", "address",
 *               "acquired_on" (YYYY-MM-DD), "vat_method" (general, simplified)
 *   building    "sort_order"
 *   floor       "sort_order", "plan_width", "plan_height"
 *   unit        "format", "gfa_area", "leasable_area" (m², "1,234.56"), "stored_status"
 *               (available, reserved, not_for_lease, renovation), "asking_price" (yuan per m²,
 *               up to 4 decimals), "asking_price_basis" (per_m2_month, per_m2_day),
 *               "vacancy_reason"
 * Empty text clears an optional field. On update, keys left out keep their value. */

typedef enum
{
  TENURE_LEDGER_PROJECT,
  TENURE_LEDGER_BUILDING,
  TENURE_LEDGER_FLOOR,
  TENURE_LEDGER_UNIT,
  TENURE_LEDGER_N_KINDS
} TenureLedgerKind;

/* The table of KIND ("project", …). */
const char *tenure_ledger_kind_table       (TenureLedgerKind kind);
/* KIND of TABLE; FALSE for a table that is not a ledger level. */
gboolean    tenure_ledger_kind_from_table  (const char       *table,
                                            TenureLedgerKind *out_kind);
/* The translated name of KIND ("Unit"). */
const char *tenure_ledger_kind_label       (TenureLedgerKind kind);

/* The field keys of KIND in the order an editor shows them (static, NULL-terminated). */
const char * const *tenure_asset_ledger_fields (TenureLedgerKind kind);
/* The translated label of a field key or of a column of the ledger tables ("leasable_area"
 * and "leasable_area_c" are both "Leasable area"); unknown names come back as they are. */
const char *tenure_asset_ledger_field_label (const char *field);
/* Whether a field of KIND must be filled in on create (optional ones may stay empty;
 * sort orders and a unit's format have defaults). */
gboolean    tenure_asset_ledger_field_required (TenureLedgerKind  kind,
                                                const char       *field);

/* The stored keys a choice field of KIND accepts (static, NULL-terminated; "format" →
 * mall, office, …), or NULL for a free-text field. */
const char * const *tenure_asset_ledger_field_choices (TenureLedgerKind  kind,
                                                       const char       *field);
/* The default of an optional field of KIND ("general" for a project's VAT method), or NULL. */
const char *tenure_asset_ledger_field_default (TenureLedgerKind  kind,
                                               const char       *field);

/* The id of the object of KIND with CODE, or with FOR_PARENT of the level above KIND (the
 * legal entity of a project, the project of a building, …) with CODE; 0 with
 * TENURE_ERROR_NOT_FOUND naming the code. */
gint64      tenure_asset_ledger_find       (TenureDb          *db,
                                            TenureLedgerKind   kind,
                                            gboolean           for_parent,
                                            const char        *code,
                                            GError           **error);

/* The current values of the object of KIND with id ID as text in the keys above (areas as
 * "1234.56", prices with 4 decimals, NULL as ""), plus "retired_on" for a unit ("" when live).
 * NULL with TENURE_ERROR_NOT_FOUND when there is none. */
GHashTable *tenure_asset_ledger_load       (TenureDb          *db,
                                            TenureLedgerKind   kind,
                                            gint64             id,
                                            GError           **error);

/* Checks VALUES as create (ID 0, under PARENT_ID: the legal entity of a project, the project of
 * a building, …) or update (ID of the object; PARENT_ID ignored) would, without writing.
 * FALSE with TENURE_ERROR_INVALID (a bad value; the message names the field and, for a code in
 * use, where it is used), TENURE_ERROR_NOT_FOUND (no such object or parent) or a database
 * error; *OUT_FIELD (may be NULL) then holds the key of the offending field, or NULL. */
gboolean    tenure_asset_ledger_validate   (TenureDb          *db,
                                            TenureLedgerKind   kind,
                                            gint64             id,
                                            gint64             parent_id,
                                            GHashTable        *values,
                                            char             **out_field,
                                            GError           **error);

/* Creates an object of KIND under PARENT_ID from VALUES after the checks of validate ();
 * returns its id, 0 on failure (nothing written). */
gint64      tenure_asset_ledger_create     (TenureDb          *db,
                                            TenureLedgerKind   kind,
                                            gint64             parent_id,
                                            GHashTable        *values,
                                            char             **out_field,
                                            GError           **error);

/* Changes the object of KIND with id ID to VALUES after the checks of validate (); a write
 * that changes nothing leaves no audit entry. A retired unit cannot be edited. */
gboolean    tenure_asset_ledger_update     (TenureDb          *db,
                                            TenureLedgerKind   kind,
                                            gint64             id,
                                            GHashTable        *values,
                                            char             **out_field,
                                            GError           **error);

/* Retires on ON a unit, or every live unit of a floor, building or project (the levels above a
 * unit have no retirement of their own: their units leave the ledger's counts). Refused with
 * TENURE_ERROR_INVALID, naming the unit and the contract, when a unit is in an active
 * contract that runs on or after ON; all or nothing. Retiring an already retired unit fails. */
gboolean    tenure_asset_ledger_retire     (TenureDb          *db,
                                            TenureLedgerKind   kind,
                                            gint64             id,
                                            TenureDate         on,
                                            GError           **error);

G_END_DECLS
