/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "bank/tenure-statement.h"
#include "store/tenure-db.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean dry_run;   /* parse, check and count, write nothing */
} TenureBankImportOptions;

/* One line of the file as the import saw it. */
typedef struct
{
  const TenureStatementLine *line;      /* owned by TenureBankImportResult.statements */
  char                      *account_code;
  gboolean                   duplicate; /* already in the database (or its file was) */
  gint64                     id;        /* bank_statement_line.id when written, else 0 */
} TenureBankImportLine;

/* Credits (money in) and debits (money out, as a positive sum) of the lines added, in minor
 * units of @currency (a static entry). */
typedef struct
{
  const TenureCurrency *currency;
  gint64 credits;
  gint64 debits;
  guint  credit_count;
  guint  debit_count;
} TenureBankImportTotal;

/* What an import did (or, in a dry run, would do). */
typedef struct
{
  char                  *file_name;        /* the file's base name */
  char                  *file_sha256;      /* lower-case hex */
  TenureStatementFormat  format;
  guint                  statements;       /* statements in the file */
  guint                  statements_known; /* of those, already imported (same file, account) */
  guint                  lines_added;
  guint                  lines_skipped;    /* already there: same file, or same dedupe key */
  GArray                *totals;           /* TenureBankImportTotal by currency code */
  GPtrArray             *lines;            /* TenureBankImportLine *, in file order */
  GPtrArray             *statements_parsed; /* TenureStatement *, as parsed */
} TenureBankImportResult;

/* Frees what @result holds and zeroes it (safe on a zeroed or cleared result). */
void tenure_bank_import_result_clear (TenureBankImportResult *result);

/* Imports the statement file @path into its bank account(s) in one transaction.
 *
 * @account_code NULL finds each statement's account by the number the statement gives
 * (normalised; TENURE_ERROR_NOT_FOUND naming the file and the number when none has it); a given
 * account must be the one the statement names (a CSV that names none is taken as the account's).
 * CSV and Excel files are read through the import profile @profile_name, or the account's only
 * profile (tenure_import_profile_choose()). Each line's currency must be the account's.
 *
 * The statements of one file and account become one bank_statement row (file name, SHA-256,
 * the statement ids, first opening and last closing balance when in the account's currency),
 * their lines bank_statement_line rows with status 'unmatched'. A file already imported into
 * an account adds nothing; a line whose dedupe key the account already has (an overlapping
 * statement) is skipped and counted. With @options->dry_run nothing is written and @out holds
 * the same counts and lines. Any error leaves the database as it was; messages name the file,
 * line and field. @out must be zeroed (or cleared) before the call and is filled on success. */
gboolean tenure_bank_import_file (TenureDb                      *db,
                                  const char                    *path,
                                  const char                    *account_code,
                                  const char                    *profile_name,
                                  const TenureBankImportOptions *options,
                                  TenureBankImportResult        *out,
                                  GError                       **error);

G_END_DECLS
