/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "contracts/tenure-contract-store.h"
#include "io/tenure-table.h"

G_BEGIN_DECLS

/* Contracts in and out of files: JSON with the versioned schema "tenure.contract/1"
 * (docs/contract-json.md) and the Excel/CSV template (docs/contract-template.md). */

#define TENURE_CONTRACT_JSON_SCHEMA "tenure.contract/1"

/* A JSON document of schema tenure.contract/1 holding CONTRACTS (TenureContract), pretty
 * printed, newly allocated. */
char      *tenure_contracts_to_json    (GPtrArray             *contracts);
/* Same for one contract. */
char      *tenure_contract_to_json     (const TenureContract  *contract);

/* Reads a tenure.contract/1 document. Every problem (a member of the wrong type, an unknown
 * name, a bad date) is appended to @problems naming @file_name and the path inside the
 * document; the contracts that read cleanly are returned (NULL only when the text is no
 * JSON or not this schema, with @error set). */
GPtrArray *tenure_contracts_from_json  (const char            *data,
                                        gssize                 length,
                                        const char            *file_name,
                                        GPtrArray             *problems,
                                        GError               **error);

/* Reads the Excel/CSV template (one row per clause, contract columns repeated; see
 * docs/contract-template.md) from a table read by the io readers, and marks its header row
 * (tenure_table_set_header_row). Problems name the file, row, column and field; the contracts
 * without any are returned. NULL (with @error) when the header row or a required column is
 * missing. */
GPtrArray *tenure_contracts_from_table (TenureTable           *table,
                                        GPtrArray             *problems,
                                        GError               **error);

/* Imports the contracts of the file at @path (.json, .csv or .xlsx, by extension) into @db:
 * every contract is read and validated (tenure_contract_validate) with every problem appended
 * to @problems, each naming its place; when there is any problem nothing is written and the
 * result is FALSE with TENURE_ERROR_INVALID ("N problems in FILE; nothing was imported").
 * Otherwise all contracts are saved in one transaction and @n_imported says how many.
 * A file that cannot be read at all fails with its own error and no problems. */
gboolean   tenure_contract_import_file (TenureDb              *db,
                                        const char            *path,
                                        GPtrArray             *problems,
                                        guint                 *n_imported,
                                        GError               **error);

G_END_DECLS
