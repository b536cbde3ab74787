/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "io/tenure-table.h"
#include "io/tenure-text-decode.h"

G_BEGIN_DECLS

/* The field separator; SNIFF picks comma, tab or semicolon from the first lines (the one that
 * splits most lines into the same number of fields; comma on a tie). */
typedef enum
{
  TENURE_CSV_DELIMITER_SNIFF     = 0,
  TENURE_CSV_DELIMITER_COMMA     = ',',
  TENURE_CSV_DELIMITER_TAB       = '\t',
  TENURE_CSV_DELIMITER_SEMICOLON = ';',
} TenureCsvDelimiter;

typedef enum
{
  TENURE_CSV_FLAGS_NONE = 0,
  /* Every record must have as many fields as the first one; a ragged record fails with
   * TENURE_ERROR_PARSE. Without it, short records simply have fewer cells. */
  TENURE_CSV_FLAGS_STRICT_FIELD_COUNT = 1 << 0,
} TenureCsvFlags;

/* Reads RFC 4180 CSV (quotes, doubled quotes, commas and line breaks inside quotes, CRLF or LF)
 * one record at a time, so a file of hundreds of megabytes never exists twice in memory: UTF-8
 * files are mapped, not copied. Fields keep their text exactly, spaces included; lines that
 * are entirely empty are skipped. Every record knows the physical line it starts on. */
typedef struct _TenureCsvReader TenureCsvReader;

/* Opens and decodes (see tenure_text_decode_file()) the file at @path. Fails with
 * TENURE_ERROR_NOT_FOUND, TENURE_ERROR_IO or TENURE_ERROR_ENCODING. */
TenureCsvReader   *tenure_csv_reader_new_for_file  (const char         *path,
                                                    TenureCsvDelimiter  delimiter,
                                                    TenureCsvFlags      flags,
                                                    GError            **error);
/* Same for bytes in memory; @display_name names them in messages. */
TenureCsvReader   *tenure_csv_reader_new_for_bytes (GBytes             *raw,
                                                    const char         *display_name,
                                                    TenureCsvDelimiter  delimiter,
                                                    TenureCsvFlags      flags,
                                                    GError            **error);
void               tenure_csv_reader_free          (TenureCsvReader *reader);

/* The encoding the text was found in. */
TenureTextEncoding tenure_csv_reader_get_encoding  (const TenureCsvReader *reader);
/* The delimiter in use (the sniffed one with TENURE_CSV_DELIMITER_SNIFF). */
TenureCsvDelimiter tenure_csv_reader_get_delimiter (const TenureCsvReader *reader);

/* How much of the text has been read, from 0 to 1, for a progress bar. */
double             tenure_csv_reader_get_fraction  (const TenureCsvReader *reader);

/* The next record (free with tenure_row_free()), or NULL at the end of the file (@error unset)
 * or on an error: TENURE_ERROR_PARSE for a quoted field that is never closed (naming the line
 * and column where it starts) or, in strict mode, a ragged record. */
TenureRow         *tenure_csv_reader_next_row      (TenureCsvReader *reader,
                                                    GError         **error);
/* Reads all remaining records into a table (origin TENURE_TABLE_CSV). On error nothing is
 * returned: no partial table. */
TenureTable       *tenure_csv_reader_read_all      (TenureCsvReader *reader,
                                                    GError         **error);

/* Opens, decodes and reads the whole file at @path. */
TenureTable       *tenure_csv_read_file            (const char         *path,
                                                    TenureCsvDelimiter  delimiter,
                                                    TenureCsvFlags      flags,
                                                    GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureCsvReader, tenure_csv_reader_free)

G_END_DECLS
