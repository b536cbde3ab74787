/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The encodings text files from banks and from Excel come in. */
typedef enum
{
  TENURE_TEXT_ENCODING_UTF8,      /* UTF-8 without byte order mark (plain ASCII too) */
  TENURE_TEXT_ENCODING_UTF8_BOM,  /* UTF-8 with byte order mark (Excel "CSV UTF-8") */
  TENURE_TEXT_ENCODING_UTF16LE,   /* UTF-16 little endian with BOM (Excel "Unicode text") */
  TENURE_TEXT_ENCODING_UTF16BE,   /* UTF-16 big endian with BOM */
  TENURE_TEXT_ENCODING_GBK,       /* GBK, decoded as its superset GB18030 (Chinese banks) */
} TenureTextEncoding;

/* A short name for the encoding: "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE", "GBK". */
const char *tenure_text_encoding_to_string (TenureTextEncoding encoding);

/* Detects the encoding of @raw and returns its text as UTF-8 without byte order mark. Checked
 * in this order: a UTF-8, UTF-16LE or UTF-16BE byte order mark; valid UTF-8; GB18030. Text with
 * a NUL character, or that none of them decodes, fails with TENURE_ERROR_ENCODING naming
 * @display_name and the line and byte offset of the first bad byte. The result shares @raw's
 * memory when no conversion is needed (UTF-8), so decoding a large file copies nothing.
 * @encoding (may be NULL) receives what was found. */
GBytes     *tenure_text_decode             (GBytes             *raw,
                                            const char         *display_name,
                                            TenureTextEncoding *encoding,
                                            GError            **error);

/* Maps the file at @path and decodes it as tenure_text_decode() does. A missing file fails
 * with TENURE_ERROR_NOT_FOUND, an unreadable one with TENURE_ERROR_IO. */
GBytes     *tenure_text_decode_file        (const char         *path,
                                            TenureTextEncoding *encoding,
                                            GError            **error);

G_END_DECLS
