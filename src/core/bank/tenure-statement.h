/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "base/tenure-date.h"
#include "base/tenure-money.h"

G_BEGIN_DECLS

/* The file formats banks deliver statements in. */
typedef enum
{
  TENURE_STATEMENT_FORMAT_UNKNOWN,
  TENURE_STATEMENT_FORMAT_CAMT053,  /* ISO 20022 camt.053.001.02, .04, .08 */
  TENURE_STATEMENT_FORMAT_MT940,    /* SWIFT MT940, UTF-8 or Latin-1 */
  TENURE_STATEMENT_FORMAT_OFX,      /* OFX 1.x (SGML) and 2.x (XML) */
  TENURE_STATEMENT_FORMAT_CSV,      /* a bank's CSV export, read through a profile */
  TENURE_STATEMENT_FORMAT_XLSX,     /* a bank's Excel export, read through a profile */
} TenureStatementFormat;

/* One booked line of a statement. Strings are never NULL ("" when the file has none).
 * @amount is signed: money in (credit) is positive, money out (debit) negative, in minor units
 * of the line's own currency. @source_line is the line (CSV, MT940, XML) or sheet row the entry
 * starts on, for messages. @dedupe_key identifies the line across imports of the same file:
 * "ref:" and the bank reference, or "sha256:" and a hash of the line's fields and its ordinal
 * among identical lines of the file (so two identical lines stay two lines). */
typedef struct
{
  TenureDate  booked_on;
  TenureDate  value_on;
  TenureMoney amount;
  char       *counterparty_name;
  char       *counterparty_account;
  char       *remittance;
  char       *bank_reference;
  char       *end_to_end_id;
  char       *transaction_code;
  char       *dedupe_key;
  guint       source_line;
} TenureStatementLine;

/* A balance reported by the bank; @set is FALSE when the statement has none. @code is the
 * bank's type: camt.053 "OPBD", "CLBD", "OPAV", "CLAV", …; MT940 "60F", "62F", "64", …;
 * OFX "LEDGERBAL". */
typedef struct
{
  gboolean    set;
  TenureMoney amount;
  TenureDate  date;
  char        code[12];
} TenureStatementBalance;

/* One statement: an account over a period, its balances and lines (TenureStatementLine *).
 * @opening is the booked opening balance (camt OPBD, MT940 :60F:/:60M:), @closing the booked
 * closing one (CLBD, :62F:/:62M:, OFX LEDGERBAL); each may be in another currency than the
 * account when the bank says so. */
typedef struct
{
  TenureStatementFormat   format;
  char                   *statement_id;
  char                   *account;        /* IBAN or the bank's account number */
  const TenureCurrency   *currency;       /* the account's currency */
  TenureDate              from;           /* TENURE_DATE_INVALID when not stated */
  TenureDate              to;
  TenureStatementBalance  opening;
  TenureStatementBalance  closing;
  GArray                 *balances;       /* every TenureStatementBalance, in file order */
  GPtrArray              *lines;
} TenureStatement;

/* Column mapping of a bank's CSV/Excel export: the JSON held in import_profile.mapping. */
typedef struct _TenureBankProfile TenureBankProfile;

const char *tenure_statement_format_to_string (TenureStatementFormat format);

/* Guesses the format from the first bytes of @data: camt.053 and OFX 2 by their XML, OFX 1 by
 * its header, MT940 by its :20:/:25:/:60F: tags, .xlsx by its zip signature; anything else is
 * taken as CSV. */
TenureStatementFormat tenure_statement_detect_format (const guint8 *data, gsize len);

/* Reads @profile_json, the mapping of import_profile (migration 0002):
 * {"header_contains": "交易日期", "columns": {"booked_on": …, "value_on": …, "amount": … |
 *  "debit": … + "credit": …, "payer_name": …, "payer_account": …, "memo": …,
 *  "bank_reference": …, "end_to_end_id": …, "currency": …}, "currency": "CNY"}.
 * Columns name header cells. Fails with TENURE_ERROR_INVALID naming the key at fault. */
TenureBankProfile *tenure_bank_profile_new_from_json (const char *profile_json,
                                                      GError    **error);
void               tenure_bank_profile_free          (TenureBankProfile *profile);

/* Parses the statement file @data (@display_name names it in messages) into a new array of
 * TenureStatement * (several per file for camt.053 and MT940; one for OFX and CSV). @format
 * TENURE_STATEMENT_FORMAT_UNKNOWN detects it. CSV needs @profile; .xlsx can only be read from
 * a file (tenure_statement_parse_file()). Errors are TENURE_ERROR_PARSE (or _ENCODING, _INVALID,
 * _UNSUPPORTED) with a message naming the file, line and field; nothing is returned then. */
GPtrArray *tenure_statement_parse_bytes (GBytes                  *data,
                                         const char              *display_name,
                                         TenureStatementFormat    format,
                                         const TenureBankProfile *profile,
                                         GError                 **error);
/* Same for the file at @path (the only way to read .xlsx). */
GPtrArray *tenure_statement_parse_file  (const char              *path,
                                         TenureStatementFormat    format,
                                         const TenureBankProfile *profile,
                                         GError                 **error);

void       tenure_statement_free        (TenureStatement *statement);
void       tenure_statement_line_free   (TenureStatementLine *line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureStatement, tenure_statement_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureStatementLine, tenure_statement_line_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureBankProfile, tenure_bank_profile_free)

G_END_DECLS
