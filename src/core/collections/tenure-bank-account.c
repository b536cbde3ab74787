/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bank-account"

#include "collections/tenure-bank-account.h"

#include <string.h>

#include "bank/tenure-statement.h"
#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

void
tenure_bank_account_free (TenureBankAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->code);
  g_free (account->legal_entity_code);
  g_free (account->bank_name);
  g_free (account->account_number);
  g_free (account->currency);
  g_free (account);
}

void
tenure_import_profile_free (TenureImportProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->account_code);
  g_free (profile->name);
  g_free (profile->mapping);
  g_free (profile);
}

/**
 * tenure_bank_account_normalize_number:
 * Returns @number without blanks and dashes, upper-cased; newly allocated.
 */
char *
tenure_bank_account_normalize_number (const char *number)
{
  GString *out = g_string_new (NULL);

  for (const char *p = number != NULL ? number : ""; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '-' || *p == '\r' || *p == '\n')
        continue;
      g_string_append_c (out, g_ascii_toupper (*p));
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

#define ACCOUNT_COLUMNS \
  "SELECT a.id, a.code, e.code, a.bank_name, a.account_number, a.currency " \
  "FROM bank_account a JOIN legal_entity e ON e.id = a.legal_entity_id "

static TenureBankAccount *
account_from_row (TenureStmt *stmt)
{
  TenureBankAccount *account = g_new0 (TenureBankAccount, 1);

  account->id = tenure_stmt_column_int64 (stmt, 0);
  account->code = g_strdup (tenure_stmt_column_text (stmt, 1));
  account->legal_entity_code = g_strdup (tenure_stmt_column_text (stmt, 2));
  account->bank_name = g_strdup (tenure_stmt_column_text (stmt, 3));
  account->account_number = g_strdup (tenure_stmt_column_text (stmt, 4));
  account->currency = g_strdup (tenure_stmt_column_text (stmt, 5));
  return account;
}

/**
 * tenure_bank_account_list:
 * Returns (transfer full): every account, ordered by code.
 */
GPtrArray *
tenure_bank_account_list (TenureDb *db, GError **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) local_error = NULL;

  stmt = tenure_db_prepare (db, ACCOUNT_COLUMNS "ORDER BY a.code", error);
  if (stmt == NULL)
    return NULL;
  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_bank_account_free);
  while (tenure_stmt_step (stmt, &local_error))
    g_ptr_array_add (accounts, account_from_row (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

/**
 * tenure_bank_account_find:
 * Returns (transfer full): the account with @code.
 */
TenureBankAccount *
tenure_bank_account_find (TenureDb *db, const char *code, GError **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  stmt = tenure_db_prepare (db, ACCOUNT_COLUMNS "WHERE a.code = $1", error);
  if (stmt == NULL)
    return NULL;
  tenure_stmt_bind_text (stmt, 1, code);
  if (tenure_stmt_step (stmt, &local_error))
    return account_from_row (stmt);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                 _("No bank account has the code “%s”"), code);
  return NULL;
}

/**
 * tenure_bank_account_find_by_number:
 * Returns (transfer full): the account whose normalised number is @number's.
 */
TenureBankAccount *
tenure_bank_account_find_by_number (TenureDb *db, const char *number, GError **error)
{
  g_autoptr(GPtrArray) accounts = tenure_bank_account_list (db, error);
  g_autofree char *wanted = tenure_bank_account_normalize_number (number);

  if (accounts == NULL)
    return NULL;
  for (guint i = 0; i < accounts->len; i++)
    {
      TenureBankAccount *account = accounts->pdata[i];
      g_autofree char *have = tenure_bank_account_normalize_number (account->account_number);

      /* An empty number never matches (the CHECK keeps stored ones non-empty). */
      if (*wanted != '\0' && strcmp (have, wanted) == 0)
        return g_ptr_array_steal_index (accounts, i);
    }
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
               _("No bank account has the number “%s”"), number != NULL ? number : "");
  return NULL;
}

static gboolean
is_currency_code (const char *code)
{
  if (code == NULL || strlen (code) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_isupper (code[i]))
      return FALSE;
  return TRUE;
}

/**
 * tenure_bank_account_add:
 * Returns: the new account's id, or 0 with @error.
 */
gint64
tenure_bank_account_add (TenureDb   *db,
                         const char *code,
                         const char *legal_entity_code,
                         const char *bank_name,
                         const char *account_number,
                         const char *currency,
                         GError    **error)
{
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TenureBankAccount) same = NULL;
  g_autoptr(TenureBankAccount) other = NULL;
  gint64 entity_id = 0, id = 0;

  if (is_blank (code))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Bank account: the code is empty"));
      return 0;
    }
  if (is_blank (bank_name))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Bank account %s: the bank name is empty"), code);
      return 0;
    }
  {
    g_autofree char *normal = tenure_bank_account_normalize_number (account_number);
    if (*normal == '\0')
      {
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                     _("Bank account %s: the account number is empty"), code);
        return 0;
      }
  }
  if (!is_currency_code (currency))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Bank account %s: the currency “%s” is not an ISO 4217 code of three "
                     "capital letters"), code, currency != NULL ? currency : "");
      return 0;
    }

  stmt = tenure_db_prepare (db, "SELECT id FROM legal_entity WHERE code = $1", error);
  if (stmt == NULL)
    return 0;
  tenure_stmt_bind_text (stmt, 1, legal_entity_code);
  if (!tenure_stmt_step (stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("Bank account %s: no legal entity has the code “%s”"), code,
                     legal_entity_code != NULL ? legal_entity_code : "");
      return 0;
    }
  entity_id = tenure_stmt_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, tenure_stmt_free);

  if (!tenure_db_begin (db, error))
    return 0;
  same = tenure_bank_account_find (db, code, &local_error);
  if (same != NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Bank account %s: the code is already in use"), code);
      goto fail;
    }
  if (!g_error_matches (local_error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND))
    goto propagate;
  g_clear_error (&local_error);
  other = tenure_bank_account_find_by_number (db, account_number, &local_error);
  if (other != NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Bank account %s: the number “%s” is already registered as account %s"),
                   code, account_number, other->code);
      goto fail;
    }
  if (!g_error_matches (local_error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND))
    goto propagate;
  g_clear_error (&local_error);

  stmt = tenure_db_prepare (db, "INSERT INTO bank_account (code, legal_entity_id, bank_name, "
                                "account_number, currency) VALUES ($1, $2, $3, $4, $5) "
                                "RETURNING id", &local_error);
  if (stmt == NULL)
    goto propagate;
  tenure_stmt_bind_text (stmt, 1, code);
  tenure_stmt_bind_int64 (stmt, 2, entity_id);
  tenure_stmt_bind_text (stmt, 3, bank_name);
  tenure_stmt_bind_text (stmt, 4, account_number);
  tenure_stmt_bind_text (stmt, 5, currency);
  if (!tenure_stmt_step_int64 (stmt, &id, &local_error))
    goto propagate;
  if (!tenure_db_commit (db, &local_error))
    goto propagate;
  return id;

propagate:
  g_propagate_error (error, g_steal_pointer (&local_error));
fail:
  tenure_db_rollback (db);
  return 0;
}

/* ---- Import profiles ------------------------------------------------------------------- */

#define PROFILE_COLUMNS \
  "SELECT p.id, a.code, p.name, p.mapping, p.is_builtin " \
  "FROM import_profile p LEFT JOIN bank_account a ON a.id = p.bank_account_id "

static TenureImportProfile *
profile_from_row (TenureStmt *stmt)
{
  TenureImportProfile *profile = g_new0 (TenureImportProfile, 1);

  profile->id = tenure_stmt_column_int64 (stmt, 0);
  profile->account_code = g_strdup (tenure_stmt_column_text (stmt, 1));
  profile->name = g_strdup (tenure_stmt_column_text (stmt, 2));
  profile->mapping = g_strdup (tenure_stmt_column_text (stmt, 3));
  profile->builtin = tenure_stmt_column_int64 (stmt, 4) != 0;
  return profile;
}

/* Rows of @sql (PROFILE_COLUMNS …) with $1 bound to @text when not NULL. */
static GPtrArray *
query_profiles (TenureDb *db, const char *sql, const char *text, GError **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, sql, error);
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) local_error = NULL;

  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    tenure_stmt_bind_text (stmt, 1, text);
  profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_import_profile_free);
  while (tenure_stmt_step (stmt, &local_error))
    g_ptr_array_add (profiles, profile_from_row (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&profiles);
}

/**
 * tenure_import_profile_list:
 * Returns (transfer full): profiles of @account_code (all accounts when NULL), then the
 * templates when @with_templates.
 */
GPtrArray *
tenure_import_profile_list (TenureDb   *db,
                            const char *account_code,
                            gboolean    with_templates,
                            GError    **error)
{
  g_autoptr(GPtrArray) own = NULL;
  g_autoptr(GPtrArray) templates = NULL;

  if (account_code != NULL)
    {
      g_autoptr(TenureBankAccount) account = tenure_bank_account_find (db, account_code, error);
      if (account == NULL)
        return NULL;
      own = query_profiles (db, PROFILE_COLUMNS "WHERE a.code = $1 ORDER BY p.name",
                            account_code, error);
    }
  else
    own = query_profiles (db, PROFILE_COLUMNS "WHERE p.bank_account_id IS NOT NULL "
                              "ORDER BY a.code, p.name", NULL, error);
  if (own == NULL)
    return NULL;
  if (with_templates)
    {
      templates = query_profiles (db, PROFILE_COLUMNS "WHERE p.bank_account_id IS NULL "
                                      "ORDER BY p.name", NULL, error);
      if (templates == NULL)
        return NULL;
      for (guint i = 0; i < templates->len; i++)
        g_ptr_array_add (own, g_steal_pointer (&templates->pdata[i]));
    }
  return g_steal_pointer (&own);
}

/**
 * tenure_import_profile_add:
 * Returns: the new profile's id, or 0 with @error.
 */
gint64
tenure_import_profile_add (TenureDb   *db,
                           const char *account_code,
                           const char *name,
                           const char *mapping_json,
                           GError    **error)
{
  g_autoptr(TenureBankAccount) account = NULL;
  g_autoptr(TenureBankProfile) parsed = NULL;
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(TenureStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 id = 0;

  if (is_blank (name))
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Import profile: the name is empty"));
      return 0;
    }
  account = tenure_bank_account_find (db, account_code, error);
  if (account == NULL)
    return 0;
  parsed = tenure_bank_profile_new_from_json (mapping_json != NULL ? mapping_json : "",
                                              &local_error);
  if (parsed == NULL)
    {
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                   _("Import profile “%s” of account %s: %s"), name, account->code,
                   local_error->message);
      return 0;
    }
  if (!tenure_db_begin (db, error))
    return 0;
  existing = query_profiles (db, PROFILE_COLUMNS "WHERE a.code = $1", account->code,
                             &local_error);
  if (existing == NULL)
    goto propagate;
  for (guint i = 0; i < existing->len; i++)
    if (strcmp (((TenureImportProfile *) existing->pdata[i])->name, name) == 0)
      {
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                     _("Account %s already has an import profile named “%s”"), account->code,
                     name);
        tenure_db_rollback (db);
        return 0;
      }
  stmt = tenure_db_prepare (db, "INSERT INTO import_profile (bank_account_id, name, mapping) "
                                "VALUES ($1, $2, $3) RETURNING id", &local_error);
  if (stmt == NULL)
    goto propagate;
  tenure_stmt_bind_int64 (stmt, 1, account->id);
  tenure_stmt_bind_text (stmt, 2, name);
  tenure_stmt_bind_text (stmt, 3, mapping_json);
  if (!tenure_stmt_step_int64 (stmt, &id, &local_error)
      || !tenure_db_commit (db, &local_error))
    goto propagate;
  return id;

propagate:
  g_propagate_error (error, g_steal_pointer (&local_error));
  tenure_db_rollback (db);
  return 0;
}

/* "“A”, “B”" for messages. */
static char *
profile_names (GPtrArray *profiles)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < profiles->len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "“%s”", ((TenureImportProfile *) profiles->pdata[i])->name);
    }
  return g_string_free (text, FALSE);
}

/**
 * tenure_import_profile_choose:
 * Returns (transfer full): the profile to read @account_code's CSV/Excel statement with.
 */
TenureImportProfile *
tenure_import_profile_choose (TenureDb   *db,
                              const char *account_code,
                              const char *name,
                              GError    **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *names = NULL;

  if (account_code == NULL)
    {
      if (name == NULL)
        name = TENURE_IMPORT_PROFILE_RECOGNISED;
      found = query_profiles (db, PROFILE_COLUMNS "WHERE p.name = $1 "
                                  "AND p.bank_account_id IS NULL", name, error);
      if (found == NULL)
        return NULL;
      if (found->len == 0)
        {
          g_clear_pointer (&found, g_ptr_array_unref);
          found = query_profiles (db, PROFILE_COLUMNS "WHERE p.name = $1", name, error);
          if (found == NULL)
            return NULL;
        }
      if (found->len == 1)
        return g_ptr_array_steal_index (found, 0);
      if (found->len == 0)
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                     _("No import profile is named “%s”"), name);
      else
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                     _("Several accounts have an import profile named “%s”; give the "
                       "account"), name);
      return NULL;
    }

  found = tenure_import_profile_list (db, account_code, name != NULL, error);
  if (found == NULL)
    return NULL;
  if (name != NULL)
    {
      /* The account's own profile before a template of the same name (listed first). */
      for (guint i = 0; i < found->len; i++)
        if (strcmp (((TenureImportProfile *) found->pdata[i])->name, name) == 0)
          return g_ptr_array_steal_index (found, i);
      names = profile_names (found);
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND,
                   _("Account %s has no import profile named “%s”; the profiles are: %s"),
                   account_code, name, found->len > 0 ? names : _("(none)"));
      return NULL;
    }
  if (found->len == 1)
    return g_ptr_array_steal_index (found, 0);
  if (found->len == 0)
    return tenure_import_profile_choose (db, NULL, TENURE_IMPORT_PROFILE_RECOGNISED, error);
  names = profile_names (found);
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
               _("Account %s has several import profiles; choose one of %s"), account_code,
               names);
  return NULL;
}
