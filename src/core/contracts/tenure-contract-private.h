/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "contracts/tenure-contract-store.h"

G_BEGIN_DECLS

/* Shared between the files of src/core/contracts; not for other layers. */

/* Appends a problem "Contract CODE, version V, clause C, field F: TEXT" (indexes -1 = none). */
TenureContractProblem *tenure_contract_problem_add (GPtrArray  *problems,
                                                    const char *contract_code,
                                                    int         version_index,
                                                    int         clause_index,
                                                    const char *field,
                                                    const char *text);
/* The messages, one per line. */
char      *tenure_contract_problems_join (GPtrArray *problems);

JsonNode  *tenure_escalation_to_node   (const TenureEscalation *escalation);
gboolean   tenure_escalation_from_node (JsonNode               *node,
                                        TenureEscalation       *out,
                                        const char             *where,
                                        GError                **error);
JsonNode  *tenure_turnover_to_node     (const TenureTurnoverTerms *terms);
gboolean   tenure_turnover_from_node   (JsonNode                  *node,
                                        TenureTurnoverTerms      **out,
                                        const char                *where,
                                        GError                   **error);

/* Strict member readers: a member of the wrong type fails naming WHERE and the member. */
gboolean   tenure_json_get_int    (JsonObject *o, const char *member, gboolean required,
                                   gint64 fallback, gint64 *out, const char *where,
                                   GError **error);
gboolean   tenure_json_get_string (JsonObject *o, const char *member, gboolean required,
                                   const char **out, const char *where, GError **error);
gboolean   tenure_json_get_date   (JsonObject *o, const char *member, gboolean required,
                                   TenureDate *out, const char *where, GError **error);

/* Inserts an already validated contract (inside the caller's transaction). */
gboolean   tenure_contract_store_insert_valid (TenureDb *db, TenureContract *contract,
                                               GError **error);

G_END_DECLS
