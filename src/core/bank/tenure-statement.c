/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-bank"

#include "bank/tenure-statement-private.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"
#include "io/tenure-csv-reader.h"
#include "io/tenure-xlsx-reader.h"

/* ISO 4217 currencies banks report that the base table does not carry. */
static const TenureCurrency extra_currencies[] = {
  { "PLN", 2, "zł" }, { "DEM", 2, "DM" }, { "NOK", 2, "kr" }, { "DKK", 2, "kr" },
  { "CZK", 2, "Kč" }, { "HUF", 2, "Ft" }, { "NZD", 2, "NZ$" }, { "ZAR", 2, "R" },
  { "INR", 2, "₹" }, { "TWD", 2, "NT$" }, { "MOP", 2, "MOP$" }, { "THB", 2, "฿" },
  { "MYR", 2, "RM" }, { "TRY", 2, "₺" }, { "ISK", 0, "kr" }, { "KWD", 3, "KD" },
  { "BHD", 3, "BD" },
};

const char *
tenure_statement_format_to_string (TenureStatementFormat format)
{
  switch (format)
    {
    case TENURE_STATEMENT_FORMAT_CAMT053: return "camt.053";
    case TENURE_STATEMENT_FORMAT_MT940: return "MT940";
    case TENURE_STATEMENT_FORMAT_OFX: return "OFX";
    case TENURE_STATEMENT_FORMAT_CSV: return "CSV";
    case TENURE_STATEMENT_FORMAT_XLSX: return "XLSX";
    case TENURE_STATEMENT_FORMAT_UNKNOWN:
    default: return "unknown";
    }
}

TenureStatement *
tenure_statement_new_empty (TenureStatementFormat format)
{
  TenureStatement *statement = g_new0 (TenureStatement, 1);

  statement->format = format;
  statement->statement_id = g_strdup ("");
  statement->account = g_strdup ("");
  statement->balances = g_array_new (FALSE, TRUE, sizeof (TenureStatementBalance));
  statement->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) tenure_statement_line_free);
  return statement;
}

TenureStatementLine *
tenure_statement_line_new (void)
{
  TenureStatementLine *line = g_new0 (TenureStatementLine, 1);

  line->counterparty_name = g_strdup ("");
  line->counterparty_account = g_strdup ("");
  line->remittance = g_strdup ("");
  line->bank_reference = g_strdup ("");
  line->end_to_end_id = g_strdup ("");
  line->transaction_code = g_strdup ("");
  line->dedupe_key = g_strdup ("");
  return line;
}

/**
 * tenure_statement_line_free:
 * Frees @line and its strings.
 */
void
tenure_statement_line_free (TenureStatementLine *line)
{
  if (line == NULL)
    return;
  g_free (line->counterparty_name);
  g_free (line->counterparty_account);
  g_free (line->remittance);
  g_free (line->bank_reference);
  g_free (line->end_to_end_id);
  g_free (line->transaction_code);
  g_free (line->dedupe_key);
  g_free (line);
}

/**
 * tenure_statement_free:
 * Frees @statement with its lines.
 */
void
tenure_statement_free (TenureStatement *statement)
{
  if (statement == NULL)
    return;
  g_free (statement->statement_id);
  g_free (statement->account);
  g_array_unref (statement->balances);
  g_ptr_array_unref (statement->lines);
  g_free (statement);
}

const TenureCurrency *
tenure_bank_currency_lookup (const char *code)
{
  const TenureCurrency *currency;

  if (code == NULL)
    return NULL;
  currency = tenure_currency_lookup (code);
  if (currency != NULL)
    return currency;
  for (gsize i = 0; i < G_N_ELEMENTS (extra_currencies); i++)
    if (strcmp (extra_currencies[i].code, code) == 0)
      return &extra_currencies[i];
  return NULL;
}

void
tenure_bank_set_error (GError    **error,
                       TenureError code,
                       const char *file,
                       guint       line,
                       const char *field,
                       const char *detail)
{
  /* Details quote the input, which a damaged file may cut inside a character. */
  g_autofree char *valid = g_utf8_make_valid (detail, -1);

  if (line > 0)
    g_set_error (error, TENURE_ERROR, code, _("%s, line %u, %s: %s"), file, line, field, valid);
  else
    g_set_error (error, TENURE_ERROR, code, _("%s, %s: %s"), file, field, valid);
}

gboolean
tenure_bank_parse_amount (const char           *text,
                          const TenureCurrency *currency,
                          gboolean              comma_decimal,
                          const char           *where,
                          gint64               *out,
                          GError              **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  g_autoptr(GError) local_error = NULL;
  char *point;

  if (comma_decimal)
    {
      /* MT940: "1234,5" and "9," (no decimals written). */
      if (strchr (copy, '.') != NULL)
        goto bad;
      g_strdelimit (copy, ",", '.');
    }
  point = strrchr (copy, '.');
  if (point != NULL)
    {
      char *end = copy + strlen (copy);

      /* Zeros beyond the minor unit carry no value ("8.850", JPY "2700.00"). */
      while (end > point + 1 + currency->digits && end[-1] == '0')
        *--end = '\0';
      if (end == point + 1)
        *point = '\0';
    }
  if (copy[0] == '\0' || strchr (copy, ' ') != NULL)
    goto bad;
  if (tenure_decimal_parse (copy, currency->digits, out, &local_error))
    return TRUE;

bad:
  {
    g_autofree char *detail = g_strdup_printf (_("“%s” is not an amount in %s"),
                                               text, currency->code);
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE, "%s: %s", where, detail);
  }
  return FALSE;
}

static void
hash_field (GChecksum *checksum, const char *text)
{
  g_checksum_update (checksum, (const guchar *) text, strlen (text));
  g_checksum_update (checksum, (const guchar *) "\x1f", 1);
}

/* The fields that make two lines "identical" for deduplication. */
static char *
line_content_digest (const TenureStatement *statement, const TenureStatementLine *line)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char number[64];

  hash_field (checksum, statement->account);
  hash_field (checksum, line->amount.currency->code);
  g_snprintf (number, sizeof number, "%d %d %" G_GINT64_FORMAT,
              line->booked_on, line->value_on, line->amount.minor);
  hash_field (checksum, number);
  hash_field (checksum, line->counterparty_name);
  hash_field (checksum, line->counterparty_account);
  hash_field (checksum, line->remittance);
  hash_field (checksum, line->end_to_end_id);
  hash_field (checksum, line->transaction_code);
  return g_strdup (g_checksum_get_string (checksum));
}

void
tenure_statement_set_dedupe_keys (GPtrArray *statements)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint s = 0; s < statements->len; s++)
    {
      TenureStatement *statement = g_ptr_array_index (statements, s);

      for (guint i = 0; i < statement->lines->len; i++)
        {
          TenureStatementLine *line = g_ptr_array_index (statement->lines, i);
          g_autofree char *base = NULL;
          guint ordinal;

          if (line->bank_reference[0] != '\0')
            base = g_strconcat ("ref:", line->bank_reference, NULL);
          else
            base = line_content_digest (statement, line);
          ordinal = GPOINTER_TO_UINT (g_hash_table_lookup (seen, base)) + 1;
          g_hash_table_replace (seen, g_strdup (base), GUINT_TO_POINTER (ordinal));

          g_free (line->dedupe_key);
          if (line->bank_reference[0] != '\0')
            {
              /* A reference a bank repeats within one file still gives distinct lines. */
              line->dedupe_key = ordinal == 1 ? g_steal_pointer (&base)
                                              : g_strdup_printf ("%s#%u", base, ordinal);
            }
          else
            {
              g_autofree char *with_ordinal = g_strdup_printf ("%s#%u", base, ordinal);
              g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                                       with_ordinal, -1);
              line->dedupe_key = g_strconcat ("sha256:", digest, NULL);
            }
        }
    }
}

static gboolean
has_prefix_ci (const char *p, const char *end, const char *prefix)
{
  gsize n = strlen (prefix);

  return (gsize) (end - p) >= n && g_ascii_strncasecmp (p, prefix, n) == 0;
}

/* TRUE when @needle occurs in the first @len bytes of @data. */
static gboolean
contains (const guint8 *data, gsize len, const char *needle)
{
  gsize n = strlen (needle);

  if (n > len)
    return FALSE;
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

TenureStatementFormat
tenure_statement_detect_format (const guint8 *data, gsize len)
{
  gsize head = MIN (len, 4096);
  const char *p = (const char *) data;
  const char *end = p + head;

  if (len >= 4 && memcmp (data, "PK\x03\x04", 4) == 0)
    return TENURE_STATEMENT_FORMAT_XLSX;
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  while (p < end && g_ascii_isspace (*p))
    p++;
  if (has_prefix_ci (p, end, "OFXHEADER") || contains (data, head, "<OFX>")
      || contains (data, head, "<?OFX"))
    return TENURE_STATEMENT_FORMAT_OFX;
  if (p < end && *p == '<')
    {
      if (contains (data, head, "camt.053"))
        return TENURE_STATEMENT_FORMAT_CAMT053;
      return TENURE_STATEMENT_FORMAT_UNKNOWN;
    }
  if ((contains (data, head, ":20:") || contains (data, head, "{1:"))
      && (contains (data, head, ":25:") || contains (data, head, ":60F:")
          || contains (data, head, ":61:")))
    return TENURE_STATEMENT_FORMAT_MT940;
  return TENURE_STATEMENT_FORMAT_CSV;
}

static GPtrArray *
parse_text (GBytes                  *data,
            const char              *name,
            TenureStatementFormat    format,
            const TenureBankProfile *profile,
            GError                 **error)
{
  gsize len;
  const char *raw = g_bytes_get_data (data, &len);
  GPtrArray *statements = NULL;

  if (raw == NULL)
    raw = "";
  switch (format)
    {
    case TENURE_STATEMENT_FORMAT_CAMT053:
      statements = tenure_camt053_parse (raw, len, name, error);
      break;
    case TENURE_STATEMENT_FORMAT_MT940:
      statements = tenure_mt940_parse (raw, len, name, error);
      break;
    case TENURE_STATEMENT_FORMAT_OFX:
      statements = tenure_ofx_parse (raw, len, name, error);
      break;
    case TENURE_STATEMENT_FORMAT_CSV:
      {
        g_autoptr(TenureCsvReader) reader = NULL;
        g_autoptr(TenureTable) table = NULL;

        if (profile == NULL)
          {
            g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                         _("%s: a CSV statement needs a column-mapping profile"), name);
            return NULL;
          }
        reader = tenure_csv_reader_new_for_bytes (data, name, TENURE_CSV_DELIMITER_SNIFF,
                                                  TENURE_CSV_FLAGS_NONE, error);
        if (reader == NULL)
          return NULL;
        table = tenure_csv_reader_read_all (reader, error);
        if (table == NULL)
          return NULL;
        statements = tenure_bank_table_parse (table, profile, format, error);
      }
      break;
    case TENURE_STATEMENT_FORMAT_XLSX:
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_UNSUPPORTED,
                   _("%s: an Excel statement can only be read from a file"), name);
      return NULL;
    case TENURE_STATEMENT_FORMAT_UNKNOWN:
    default:
      g_set_error (error, TENURE_ERROR, TENURE_ERROR_PARSE,
                   _("%s: not a bank statement Tenure can read (camt.053, MT940, OFX, CSV)"),
                   name);
      return NULL;
    }
  if (statements != NULL)
    tenure_statement_set_dedupe_keys (statements);
  return statements;
}

/**
 * tenure_statement_parse_bytes:
 * Returns: (transfer full): a new array of TenureStatement *, or NULL with @error set.
 */
GPtrArray *
tenure_statement_parse_bytes (GBytes                  *data,
                              const char              *display_name,
                              TenureStatementFormat    format,
                              const TenureBankProfile *profile,
                              GError                 **error)
{
  g_return_val_if_fail (data != NULL, NULL);

  if (display_name == NULL)
    display_name = "statement";
  if (format == TENURE_STATEMENT_FORMAT_UNKNOWN)
    {
      gsize len;
      const guint8 *raw = g_bytes_get_data (data, &len);

      format = tenure_statement_detect_format (raw != NULL ? raw : (const guint8 *) "", len);
    }
  return parse_text (data, display_name, format, profile, error);
}

/**
 * tenure_statement_parse_file:
 * Returns: (transfer full): a new array of TenureStatement *, or NULL with @error set.
 */
GPtrArray *
tenure_statement_parse_file (const char              *path,
                             TenureStatementFormat    format,
                             const TenureBankProfile *profile,
                             GError                 **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = g_path_get_basename (path);

  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file == NULL)
    {
      int code = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                 ? TENURE_ERROR_NOT_FOUND : TENURE_ERROR_IO;
      g_set_error (error, TENURE_ERROR, code, _("%s: cannot read the file: %s"),
                   name, local_error->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (file);
  if (format == TENURE_STATEMENT_FORMAT_UNKNOWN)
    {
      gsize len;
      const guint8 *raw = g_bytes_get_data (bytes, &len);

      format = tenure_statement_detect_format (raw != NULL ? raw : (const guint8 *) "", len);
    }
  if (format == TENURE_STATEMENT_FORMAT_XLSX)
    {
      g_autoptr(TenureTable) table = NULL;
      GPtrArray *statements;

      if (profile == NULL)
        {
          g_set_error (error, TENURE_ERROR, TENURE_ERROR_INVALID,
                       _("%s: an Excel statement needs a column-mapping profile"), name);
          return NULL;
        }
      table = tenure_xlsx_read_file (path, NULL, error);
      if (table == NULL)
        return NULL;
      statements = tenure_bank_table_parse (table, profile, format, error);
      if (statements != NULL)
        tenure_statement_set_dedupe_keys (statements);
      return statements;
    }
  return parse_text (bytes, name, format, profile, error);
}
