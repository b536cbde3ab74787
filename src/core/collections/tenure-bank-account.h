/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "store/tenure-db.h"

G_BEGIN_DECLS

/* A bank account of a legal entity, that statements are imported into (table bank_account).
 * Account numbers are kept as typed and compared normalised: spaces and dashes ignored,
 * letters upper-cased (an IBAN written in groups or lower case is the same account). */
typedef struct
{
  gint64  id;
  char   *code;
  char   *legal_entity_code;
  char   *bank_name;
  char   *account_number;
  char   *currency;          /* ISO 4217, upper case */
} TenureBankAccount;

void tenure_bank_account_free (TenureBankAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureBankAccount, tenure_bank_account_free)

/* @number without spaces, tabs and dashes, ASCII letters upper-cased. Newly allocated. */
char *tenure_bank_account_normalize_number (const char *number);

/* Adds an account; returns its id (> 0) or 0 with @error: TENURE_ERROR_INVALID for an empty
 * code, bank name or number, a currency that is not three capital letters, or a code or
 * (normalised) number already registered (naming the account that has it);
 * TENURE_ERROR_NOT_FOUND for an unknown legal entity. */
gint64 tenure_bank_account_add (TenureDb    *db,
                                const char  *code,
                                const char  *legal_entity_code,
                                const char  *bank_name,
                                const char  *account_number,
                                const char  *currency,
                                GError     **error);

/* Every account (TenureBankAccount *), by code; NULL with @error on a database failure. */
GPtrArray *tenure_bank_account_list (TenureDb *db, GError **error);

/* The account with @code, or NULL with TENURE_ERROR_NOT_FOUND naming the code. */
TenureBankAccount *tenure_bank_account_find (TenureDb    *db,
                                             const char  *code,
                                             GError     **error);

/* The account whose number equals @number once both are normalised, or NULL with
 * TENURE_ERROR_NOT_FOUND naming the number. */
TenureBankAccount *tenure_bank_account_find_by_number (TenureDb    *db,
                                                       const char  *number,
                                                       GError     **error);

/* A saved column mapping for a bank's CSV/Excel export (table import_profile): an account's
 * own (@account_code set) or a template offered for any account (@account_code NULL; the
 * built-in ones have @builtin). @mapping is the JSON tenure_bank_profile_new_from_json() reads. */
typedef struct
{
  gint64    id;
  char     *account_code;
  char     *name;
  char     *mapping;
  gboolean  builtin;
} TenureImportProfile;

void tenure_import_profile_free (TenureImportProfile *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureImportProfile, tenure_import_profile_free)

/* Saves @mapping_json as the profile @name of account @account_code, after checking it reads
 * as a mapping (TENURE_ERROR_INVALID naming the key at fault). A name the account already uses
 * is refused. Returns the id, or 0 with @error. */
gint64 tenure_import_profile_add (TenureDb    *db,
                                  const char  *account_code,
                                  const char  *name,
                                  const char  *mapping_json,
                                  GError     **error);

/* The profiles (TenureImportProfile *) of @account_code, then the templates when
 * @with_templates; @account_code NULL lists every account's profiles. By account, then name. */
GPtrArray *tenure_import_profile_list (TenureDb    *db,
                                       const char  *account_code,
                                       gboolean     with_templates,
                                       GError     **error);

/* The profile to read a CSV/Excel statement of @account_code with. @name given: the account's
 * profile of that name, else the template of that name. @name NULL: the account's only profile;
 * when it has none, the built-in TENURE_IMPORT_PROFILE_RECOGNISED (which reads the column names
 * banks commonly use); when it has several, TENURE_ERROR_INVALID whose message lists them.
 * @account_code NULL (the account comes from the statement): @name names a template or the
 * profile of exactly one account, or is NULL for TENURE_IMPORT_PROFILE_RECOGNISED.
 * TENURE_ERROR_NOT_FOUND for an unknown name. */
#define TENURE_IMPORT_PROFILE_RECOGNISED "Recognised columns"

TenureImportProfile *tenure_import_profile_choose (TenureDb    *db,
                                                   const char  *account_code,
                                                   const char  *name,
                                                   GError     **error);

G_END_DECLS
