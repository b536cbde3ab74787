/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bank/tenure-statement.h"

/* Parses @data as @format and touches every field of the result, so ASan sees any bad
 * pointer; an error is an acceptable outcome, a crash, hang or leak is not. */
static inline void
tenure_fuzz_parse (const uint8_t *data, size_t size, TenureStatementFormat format,
                   const char *profile_json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(TenureBankProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statements = NULL;

  if (profile_json != NULL)
    {
      profile = tenure_bank_profile_new_from_json (profile_json, &error);
      g_assert_no_error (error);
    }
  statements = tenure_statement_parse_bytes (bytes, "fuzz", format, profile, &error);
  g_assert ((statements == NULL) == (error != NULL));
  if (statements == NULL)
    {
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  for (guint s = 0; s < statements->len; s++)
    {
      TenureStatement *statement = g_ptr_array_index (statements, s);
      gsize total = strlen (statement->account) + strlen (statement->statement_id);

      g_assert (statement->currency != NULL);
      for (guint i = 0; i < statement->lines->len; i++)
        {
          TenureStatementLine *line = g_ptr_array_index (statement->lines, i);

          g_assert (line->amount.currency != NULL);
          g_assert (tenure_date_is_valid (line->booked_on));
          g_assert (line->dedupe_key[0] != '\0');
          total += strlen (line->counterparty_name) + strlen (line->counterparty_account)
                   + strlen (line->remittance) + strlen (line->bank_reference)
                   + strlen (line->end_to_end_id) + strlen (line->transaction_code);
          g_assert (g_utf8_validate (line->remittance, -1, NULL));
          g_assert (g_utf8_validate (line->counterparty_name, -1, NULL));
        }
      g_assert (total < G_MAXSIZE);
    }
}
