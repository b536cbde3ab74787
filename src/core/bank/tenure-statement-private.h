/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bank/tenure-statement.h"
#include "base/tenure-error.h"
#include "io/tenure-table.h"

G_BEGIN_DECLS

/* Shared by the parsers of src/core/bank; not installed, not for callers outside it. */

TenureStatement      *tenure_statement_new_empty (TenureStatementFormat format);
TenureStatementLine  *tenure_statement_line_new  (void);

/* The currency for an ISO 4217 code: the base table, then a few more that banks report
 * (PLN, DEM, NOK, …). NULL when unknown. */
const TenureCurrency *tenure_bank_currency_lookup (const char *code);

/* Parses a plain decimal amount ("1234.5", "1,234.50" or, with @comma_decimal, "1234,5")
 * in minor units of @currency; zeros past the currency's decimals are allowed ("8.850").
 * On failure sets a TENURE_ERROR_PARSE message naming @where and the text. */
gboolean tenure_bank_parse_amount (const char           *text,
                                   const TenureCurrency *currency,
                                   gboolean              comma_decimal,
                                   const char           *where,
                                   gint64               *out,
                                   GError              **error);

/* "FILE, line N, FIELD: DETAIL" as a translated, newly allocated location prefix + detail. */
void tenure_bank_set_error (GError    **error,
                            TenureError code,
                            const char *file,
                            guint       line,
                            const char *field,
                            const char *detail);

/* Fills every line's dedupe key (see TenureStatementLine). */
void tenure_statement_set_dedupe_keys (GPtrArray *statements);

/* The parsers: each returns a new array of TenureStatement * or NULL with @error set. */
GPtrArray *tenure_camt053_parse (const char *data, gsize len, const char *name, GError **error);
GPtrArray *tenure_mt940_parse   (const char *data, gsize len, const char *name, GError **error);
GPtrArray *tenure_ofx_parse     (const char *data, gsize len, const char *name, GError **error);
GPtrArray *tenure_bank_table_parse (const TenureTable       *table,
                                    const TenureBankProfile *profile,
                                    TenureStatementFormat    format,
                                    GError                 **error);

G_END_DECLS
