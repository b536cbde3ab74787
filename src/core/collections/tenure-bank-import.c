/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bank-import"

#include "collections/tenure-bank-import.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "collections/tenure-bank-account.h"

static void
import_line_free (TenureBankImportLine *line)
{
  g_free (line->account_code);
  g_free (line);
}

/**
 * tenure_bank_import_result_clear:
 * Frees the members of @result and zeroes it.
 */
void
tenure_bank_import_result_clear (TenureBankImportResult *result)
{
  if (result == NULL)
    return;
  g_free (result->file_name);
  g_free (result->file_sha256);
  g_clear_pointer (&result->totals, g_array_unref);
  /* Lines point into the statements: drop them first. */
  g_clear_pointer (&result->lines, g_ptr_array_unref);
  g_clear_pointer (&result->statements_parsed, g_ptr_array_unref);
  memset (result, 0, sizeof *result);
}

static const char *
format_column (TenureStatementFormat format)
{
  switch (format)
    {
    case TENURE_STATEMENT_FORMAT_CAMT053: return "camt053";
    case TENURE_STATEMENT_FORMAT_MT940: return "mt940";
    case TENURE_STATEMENT_FORMAT_OFX: return "ofx";
    case TENURE_STATEMENT_FORMAT_XLSX: return "xlsx";
    case TENURE_STATEMENT_FORMAT_CSV:
    case TENURE_STATEMENT_FORMAT_UNKNOWN:
    default: return "csv";
    }
}

/* The statements of one file that go to one account: one bank_statement row. */
typedef struct
{
  TenureBankAccount *account;
  GPtrArray         *statements;  /* TenureStatement *, borrowed, in file order */
} AccountGroup;

static void
account_group_free (AccountGroup *group)
{
  tenure_bank_account_free (group->account);
  g_ptr_array_unref (group->statements);
  g_free (group);
}

static void
bind_date_or_null (TenureStmt *stmt, guint param, TenureDate date)
{
  char buf[TENURE_DATE_ISO_BUF_SIZE];

  if (tenure_date_is_valid (date))
    tenure_stmt_bind_text (stmt, param, tenure_date_format_iso_buf (date, buf));
  else
    tenure_stmt_bind_null (stmt, param);
}

static void
bind_text_or_null (TenureStmt *stmt, guint param, const char *text)
{
  tenure_stmt_bind_text (stmt, param, text != NULL && *text != '\0' ? text : NULL);
}

/* The account a statement belongs to: @given (checked against the number the statement
 * states) or the one registered with that number. */
static TenureBankAccount *
statement_account (TenureDb              *db,
                   const char            *file_name,
                   const TenureStatement *statement,
                   const TenureBankAccount *given,
                   GError               **error)
{
  g_autofree char *stated = tenure_bank_account_normalize_number (statement->account);
  g_autoptr(GError) local_error = NULL;
  TenureBankAccount *account;

  if (given != NULL)
    {
      g_autofree char *have = tenure_bank_account_normalize_number (given->account_number);

      if (*stated != '\0' && strcmp (stated, have) != 0)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("%s, account: the statement is for account number “%s”, but bank "
                         "account %s has the number “%s”"), file_name, statement->account,
                       given->code, given->account_number);
          return NULL;
        }
      account = g_new0 (TenureBankAccount, 1);
      account->id = given->id;
      account->code = g_strdup (given->code);
      account->legal_entity_code = g_strdup (given->legal_entity_code);
      account->bank_name = g_strdup (given->bank_name);
      account->account_number = g_strdup (given->account_number);
      account->currency = g_strdup (given->currency);
      return account;
    }
  if (*stated == '\0')
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("%s, account: the statement names no account number; give the bank "
                     "account to import it into"), file_name);
      return NULL;
    }
  account = tenure_bank_account_find_by_number (db, statement->account, &local_error);
  if (account == NULL)
    {
      if (g_error_matches (local_error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND))
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("%s, account: no bank account has the number “%s”; add it before "
                       "importing its statements"), file_name, statement->account);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return account;
}

/* Every line in the account's currency, with a booking date. */
static gboolean
check_statement (const char              *file_name,
                 const TenureStatement   *statement,
                 const TenureBankAccount *account,
                 GError                 **error)
{
  for (guint i = 0; i < statement->lines->len; i++)
    {
      const TenureStatementLine *line = statement->lines->pdata[i];

      if (line->amount.currency == NULL
          || strcmp (line->amount.currency->code, account->currency) != 0)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("%s, line %u, currency: the amount is in %s, but bank account %s is "
                         "in %s"), file_name, line->source_line,
                       line->amount.currency != NULL ? line->amount.currency->code : "?",
                       account->code, account->currency);
          return FALSE;
        }
      if (!tenure_date_is_valid (line->booked_on))
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("%s, line %u, booking date: the line has no booking date"),
                       file_name, line->source_line);
          return FALSE;
        }
      if (*line->dedupe_key == '\0')
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("%s, line %u: the line has no identity to recognise it by on a "
                         "second import"), file_name, line->source_line);
          return FALSE;
        }
    }
  /* A statement without lines still says which currency it is in. */
  if (statement->currency != NULL && strcmp (statement->currency->code, account->currency) != 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("%s, currency: the statement is in %s, but bank account %s is in %s"),
                   file_name, statement->currency->code, account->code, account->currency);
      return FALSE;
    }
  return TRUE;
}

static void
add_to_totals (GArray *totals, const TenureStatementLine *line)
{
  TenureBankImportTotal *total = NULL;

  for (guint i = 0; i < totals->len && total == NULL; i++)
    if (strcmp (g_array_index (totals, TenureBankImportTotal, i).currency->code,
                line->amount.currency->code) == 0)
      total = &g_array_index (totals, TenureBankImportTotal, i);
  if (total == NULL)
    {
      TenureBankImportTotal fresh = { line->amount.currency, 0, 0, 0, 0 };

      g_array_append_val (totals, fresh);
      total = &g_array_index (totals, TenureBankImportTotal, totals->len - 1);
    }
  /* Sums of real statement lines stay far inside 64 bits (parsed amounts are ±INT64_MAX at
   * most, and a statement holds at most millions of lines of bank-sized amounts). */
  if (line->amount.minor >= 0)
    {
      total->credits += line->amount.minor;
      total->credit_count++;
    }
  else
    {
      total->debits -= line->amount.minor;
      total->debit_count++;
    }
}

/* Writes (or in a dry run, looks up) one account's statements of the file. */
static gboolean
import_group (TenureDb               *db,
              const AccountGroup     *group,
              TenureBankImportResult *result,
              gboolean                dry_run,
              GError                **error)
{
  const TenureBankAccount *account = group->account;
  const TenureStatement *first = group->statements->pdata[0];
  const TenureStatement *last = group->statements->pdata[group->statements->len - 1];
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(TenureStmt) insert = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) refs = g_string_new (NULL);
  TenureDate from = TENURE_DATE_INVALID, to = TENURE_DATE_INVALID;
  gboolean known = FALSE;
  gint64 statement_id = 0;

  for (guint s = 0; s < group->statements->len; s++)
    {
      const TenureStatement *statement = group->statements->pdata[s];

      if (*statement->statement_id != '\0')
        g_string_append_printf (refs, "%s%s", refs->len > 0 ? ", " : "",
                                statement->statement_id);
      if (tenure_date_is_valid (statement->from)
          && (from == TENURE_DATE_INVALID || statement->from < from))
        from = statement->from;
      if (tenure_date_is_valid (statement->to) && statement->to > to)
        to = statement->to;
    }
  if (from == TENURE_DATE_INVALID || to == TENURE_DATE_INVALID || to < from)
    from = to = TENURE_DATE_INVALID;

  if (dry_run)
    {
      stmt = tenure_db_prepare (db, "SELECT id FROM bank_statement WHERE bank_account_id = $1 "
                                    "AND file_sha256 = $2", error);
      if (stmt == NULL)
        return FALSE;
      tenure_stmt_bind_int64 (stmt, 1, account->id);
      tenure_stmt_bind_text (stmt, 2, result->file_sha256);
      known = tenure_stmt_step (stmt, &local_error);
    }
  else
    {
      stmt = tenure_db_prepare (db, "INSERT INTO bank_statement (bank_account_id, format, "
                                    "file_name, file_sha256, statement_ref, from_date, "
                                    "to_date, opening_balance, closing_balance, currency) "
                                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                                    "ON CONFLICT (bank_account_id, file_sha256) DO NOTHING "
                                    "RETURNING id", error);
      if (stmt == NULL)
        return FALSE;
      tenure_stmt_bind_int64 (stmt, 1, account->id);
      tenure_stmt_bind_text (stmt, 2, format_column (result->format));
      tenure_stmt_bind_text (stmt, 3, result->file_name);
      tenure_stmt_bind_text (stmt, 4, result->file_sha256);
      bind_text_or_null (stmt, 5, refs->str);
      bind_date_or_null (stmt, 6, from);
      bind_date_or_null (stmt, 7, to);
      /* A balance the bank gives in another currency cannot stand in the account's. */
      if (first->opening.set && first->opening.amount.currency != NULL
          && strcmp (first->opening.amount.currency->code, account->currency) == 0)
        tenure_stmt_bind_int64 (stmt, 8, first->opening.amount.minor);
      else
        tenure_stmt_bind_null (stmt, 8);
      if (last->closing.set && last->closing.amount.currency != NULL
          && strcmp (last->closing.amount.currency->code, account->currency) == 0)
        tenure_stmt_bind_int64 (stmt, 9, last->closing.amount.minor);
      else
        tenure_stmt_bind_null (stmt, 9);
      tenure_stmt_bind_text (stmt, 10, account->currency);
      known = !tenure_stmt_step (stmt, &local_error);
      if (!known)
        statement_id = tenure_stmt_column_int64 (stmt, 0);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_pointer (&stmt, tenure_stmt_free);
  if (known)
    result->statements_known += group->statements->len;

  if (!known)
    {
      if (dry_run)
        insert = tenure_db_prepare (db, "SELECT id FROM bank_statement_line "
                                        "WHERE bank_account_id = $1 AND dedupe_key = $2",
                                    error);
      else
        insert = tenure_db_prepare (db, "INSERT INTO bank_statement_line (bank_statement_id, "
                                        "bank_account_id, booked_on, value_date, amount, "
                                        "currency, payer_name, payer_account, memo, "
                                        "bank_reference, dedupe_key, source_line) VALUES ($1, "
                                        "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                                        "ON CONFLICT (bank_account_id, dedupe_key) DO NOTHING "
                                        "RETURNING id", error);
      if (insert == NULL)
        return FALSE;
    }

  for (guint s = 0; s < group->statements->len; s++)
    {
      const TenureStatement *statement = group->statements->pdata[s];

      for (guint i = 0; i < statement->lines->len; i++)
        {
          const TenureStatementLine *line = statement->lines->pdata[i];
          TenureBankImportLine *out = g_new0 (TenureBankImportLine, 1);

          out->line = line;
          out->account_code = g_strdup (account->code);
          g_ptr_array_add (result->lines, out);
          if (known)
            {
              out->duplicate = TRUE;
              result->lines_skipped++;
              continue;
            }
          tenure_stmt_reset (insert);
          if (dry_run)
            {
              tenure_stmt_bind_int64 (insert, 1, account->id);
              tenure_stmt_bind_text (insert, 2, line->dedupe_key);
            }
          else
            {
              tenure_stmt_bind_int64 (insert, 1, statement_id);
              tenure_stmt_bind_int64 (insert, 2, account->id);
              bind_date_or_null (insert, 3, line->booked_on);
              bind_date_or_null (insert, 4, line->value_on);
              tenure_stmt_bind_int64 (insert, 5, line->amount.minor);
              tenure_stmt_bind_text (insert, 6, line->amount.currency->code);
              bind_text_or_null (insert, 7, line->counterparty_name);
              bind_text_or_null (insert, 8, line->counterparty_account);
              bind_text_or_null (insert, 9, line->remittance);
              bind_text_or_null (insert, 10, line->bank_reference);
              tenure_stmt_bind_text (insert, 11, line->dedupe_key);
              if (line->source_line > 0)
                tenure_stmt_bind_int64 (insert, 12, line->source_line);
              else
                tenure_stmt_bind_null (insert, 12);
            }
          if (tenure_stmt_step (insert, &local_error))
            {
              /* Dry run: the key is there already. Import: the new row's id. */
              if (!dry_run)
                out->id = tenure_stmt_column_int64 (insert, 0);
              out->duplicate = dry_run;
            }
          else if (local_error != NULL)
            {
              g_prefix_error (&local_error, _("%s, line %u: "), result->file_name,
                              line->source_line);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          else
            out->duplicate = !dry_run;
          /* The same key twice in one file counts as the database would count it. */
          if (!out->duplicate && !g_hash_table_add (seen, line->dedupe_key))
            out->duplicate = TRUE;
          if (out->duplicate)
            result->lines_skipped++;
          else
            {
              result->lines_added++;
              add_to_totals (result->totals, line);
            }
        }
    }
  return TRUE;
}

/**
 * tenure_bank_import_file:
 * Imports the statements of @path; see the header. Returns: TRUE with @out filled.
 */
gboolean
tenure_bank_import_file (TenureDb                      *db,
                         const char                    *path,
                         const char                    *account_code,
                         const char                    *profile_name,
                         const TenureBankImportOptions *options,
                         TenureBankImportResult        *out,
                         GError                       **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TenureBankAccount) given = NULL;
  g_autoptr(TenureImportProfile) stored_profile = NULL;
  g_autoptr(TenureBankProfile) profile = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  TenureBankImportResult result = { 0 };
  gboolean dry_run = options != NULL && options->dry_run;
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (TENURE_IS_DB (db), FALSE);
  g_return_val_if_fail (path != NULL && out != NULL, FALSE);

  result.file_name = g_path_get_basename (path);
  result.totals = g_array_new (FALSE, TRUE, sizeof (TenureBankImportTotal));
  result.lines = g_ptr_array_new_with_free_func ((GDestroyNotify) import_line_free);

  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file == NULL)
    {
      int code = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                 ? TENURE_ERROR_NOT_FOUND : TENURE_ERROR_IO;
      g_set_error (error, TENURE_ERROR, code, _("%s: cannot read the file: %s"),
                   result.file_name, local_error->message);
      goto fail;
    }
  bytes = g_mapped_file_get_bytes (file);
  data = g_bytes_get_data (bytes, &len);
  result.file_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  result.format = tenure_statement_detect_format (data != NULL ? data : (const guint8 *) "",
                                                  len);

  if (account_code != NULL)
    {
      given = tenure_bank_account_find (db, account_code, &local_error);
      if (given == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ",
                                      result.file_name);
          goto fail;
        }
    }
  if (result.format == TENURE_STATEMENT_FORMAT_CSV
      || result.format == TENURE_STATEMENT_FORMAT_XLSX)
    {
      stored_profile = tenure_import_profile_choose (db, account_code, profile_name,
                                                     &local_error);
      if (stored_profile == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ",
                                      result.file_name);
          goto fail;
        }
      profile = tenure_bank_profile_new_from_json (stored_profile->mapping, &local_error);
      if (profile == NULL)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("%s: the import profile “%s” cannot be used: %s"), result.file_name,
                       stored_profile->name, local_error->message);
          goto fail;
        }
    }

  if (result.format == TENURE_STATEMENT_FORMAT_XLSX)
    result.statements_parsed = tenure_statement_parse_file (path, result.format, profile,
                                                            error);
  else
    result.statements_parsed = tenure_statement_parse_bytes (bytes, result.file_name,
                                                             result.format, profile, error);
  if (result.statements_parsed == NULL)
    goto fail;
  result.statements = result.statements_parsed->len;
  if (result.statements == 0)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   _("%s: the file holds no statement"), result.file_name);
      goto fail;
    }

  /* Resolve and check every statement before writing anything. */
  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) account_group_free);
  for (guint s = 0; s < result.statements; s++)
    {
      TenureStatement *statement = result.statements_parsed->pdata[s];
      g_autoptr(TenureBankAccount) account = NULL;
      AccountGroup *group = NULL;

      account = statement_account (db, result.file_name, statement, given, error);
      if (account == NULL)
        goto fail;
      if (!check_statement (result.file_name, statement, account, error))
        goto fail;
      for (guint g = 0; g < groups->len && group == NULL; g++)
        if (((AccountGroup *) groups->pdata[g])->account->id == account->id)
          group = groups->pdata[g];
      if (group == NULL)
        {
          group = g_new0 (AccountGroup, 1);
          group->account = g_steal_pointer (&account);
          group->statements = g_ptr_array_new ();
          g_ptr_array_add (groups, group);
        }
      g_ptr_array_add (group->statements, statement);
    }

  if (!dry_run && !tenure_db_begin (db, error))
    goto fail;
  for (guint g = 0; g < groups->len; g++)
    if (!import_group (db, groups->pdata[g], &result, dry_run, error))
      {
        if (!dry_run)
          tenure_db_rollback (db);
        goto fail;
      }
  if (!dry_run && !tenure_db_commit (db, error))
    {
      tenure_db_rollback (db);
      goto fail;
    }
  *out = result;
  return TRUE;

fail:
  tenure_bank_import_result_clear (&result);
  return FALSE;
}
