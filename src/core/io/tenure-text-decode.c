/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-io"

#include "io/tenure-text-decode.h"

#include <string.h>

#include "base/tenure-error.h"
#include "base/tenure-i18n.h"

const char *
tenure_text_encoding_to_string (TenureTextEncoding encoding)
{
  switch (encoding)
    {
    case TENURE_TEXT_ENCODING_UTF8:
      return "UTF-8";
    case TENURE_TEXT_ENCODING_UTF8_BOM:
      return "UTF-8 (BOM)";
    case TENURE_TEXT_ENCODING_UTF16LE:
      return "UTF-16LE";
    case TENURE_TEXT_ENCODING_UTF16BE:
      return "UTF-16BE";
    case TENURE_TEXT_ENCODING_GBK:
      return "GBK";
    default:
      return "?";
    }
}

/* 1-based line of byte @offset: LF bytes before it (in GB18030 0x0A is never part of a
 * multi-byte character, so this holds for both byte encodings). */
static guint
byte_line_at (const guint8 *data, gsize offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      line++;
  return line;
}

/* Same for UTF-16 code units after a 2-byte BOM. */
static guint
utf16_line_at (const guint8 *data, gsize offset, gboolean big_endian)
{
  guint line = 1;

  for (gsize i = 2; i + 2 <= offset; i += 2)
    {
      guint unit = big_endian ? (guint) (data[i] << 8 | data[i + 1])
                              : (guint) (data[i + 1] << 8 | data[i]);
      if (unit == '\n')
        line++;
    }
  return line;
}

static void
set_bad_byte_error (GError    **error,
                    const char *display_name,
                    const guint8 *data,
                    gsize       len,
                    gsize       offset)
{
  guint line = byte_line_at (data, offset);

  if (offset < len && data[offset] == 0)
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_ENCODING,
                 /* Translators: file name, line number, byte offset */
                 _("%s: line %u, byte %lu: a NUL byte, which text never "
                   "contains (is this a binary file?)"),
                 display_name, line, (unsigned long) offset);
  else if (offset < len)
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_ENCODING,
                 /* Translators: file name, line number, byte offset, byte value */
                 _("%s: line %u, byte %lu: the text is neither UTF-8 nor GBK "
                   "(byte 0x%02X)"),
                 display_name, line, (unsigned long) offset, data[offset]);
  else
    g_set_error (error, TENURE_ERROR, TENURE_ERROR_ENCODING,
                 /* Translators: file name, line number, byte offset */
                 _("%s: line %u, byte %lu: the text ends in the middle of a "
                   "character (neither UTF-8 nor GBK)"),
                 display_name, line, (unsigned long) offset);
}

static GBytes *
decode_utf16 (GBytes             *raw,
              const char         *display_name,
              gboolean            big_endian,
              GError            **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (raw, &len);
  g_autoptr(GError) local_error = NULL;
  gsize bytes_read = 0;
  gsize bytes_written = 0;
  gsize bad;
  char *utf8;

  /* A NUL character would cut the text short for every later reader: refuse it. */
  for (gsize i = 2; i + 1 < len; i += 2)
    if (data[i] == 0 && data[i + 1] == 0)
      {
        g_set_error (error, TENURE_ERROR, TENURE_ERROR_ENCODING,
                     /* Translators: file name, line number, byte offset */
                     _("%s: line %u, byte %lu: a NUL character, which text "
                       "never contains (is this a binary file?)"),
                     display_name, utf16_line_at (data, i, big_endian), (unsigned long) i);
        return NULL;
      }

  utf8 = g_convert ((const char *) data + 2, len - 2, "UTF-8",
                    big_endian ? "UTF-16BE" : "UTF-16LE",
                    &bytes_read, &bytes_written, &local_error);
  /* With bytes_read given, g_convert() accepts a cut last character silently: check it. */
  if (utf8 != NULL && bytes_read == len - 2)
    return g_bytes_new_take (utf8, bytes_written);
  g_free (utf8);

  bad = bytes_read + 2;
  g_set_error (error, TENURE_ERROR, TENURE_ERROR_ENCODING,
               /* Translators: file name, line number, byte offset, encoding name */
               _("%s: line %u, byte %lu: the text is not valid %s"),
               display_name, utf16_line_at (data, bad, big_endian), (unsigned long) bad,
               big_endian ? "UTF-16BE" : "UTF-16LE");
  return NULL;
}

GBytes *
tenure_text_decode (GBytes             *raw,
                    const char         *display_name,
                    TenureTextEncoding *encoding,
                    GError            **error)
{
  gsize len;
  const guint8 *data;
  const char *utf8_end = NULL;
  const guint8 *nul;
  gsize gb_bad;
  gsize utf8_bad;
  g_autoptr(GError) local_error = NULL;
  gsize bytes_read = 0;
  gsize bytes_written = 0;
  char *converted;

  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (display_name == NULL)
    display_name = "";
  data = g_bytes_get_data (raw, &len);

  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    {
      if (!g_utf8_validate_len ((const char *) data + 3, len - 3, &utf8_end))
        {
          set_bad_byte_error (error, display_name, data, len,
                              (const guint8 *) utf8_end - data);
          return NULL;
        }
      if (encoding != NULL)
        *encoding = TENURE_TEXT_ENCODING_UTF8_BOM;
      return g_bytes_new_from_bytes (raw, 3, len - 3);
    }
  if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
    {
      gboolean big_endian = data[0] == 0xFE;
      GBytes *bytes = decode_utf16 (raw, display_name, big_endian, error);

      if (bytes != NULL && encoding != NULL)
        *encoding = big_endian ? TENURE_TEXT_ENCODING_UTF16BE : TENURE_TEXT_ENCODING_UTF16LE;
      return bytes;
    }

  if (g_utf8_validate_len ((const char *) data, len, &utf8_end))
    {
      if (encoding != NULL)
        *encoding = TENURE_TEXT_ENCODING_UTF8;
      return g_bytes_ref (raw);
    }
  utf8_bad = (const guint8 *) utf8_end - data;

  nul = memchr (data, 0, len);
  if (nul == NULL)
    {
      converted = g_convert ((const char *) data, len, "UTF-8", "GB18030",
                             &bytes_read, &bytes_written, &local_error);
      if (converted != NULL && bytes_read == len)
        {
          if (encoding != NULL)
            *encoding = TENURE_TEXT_ENCODING_GBK;
          return g_bytes_new_take (converted, bytes_written);
        }
      g_free (converted);
      gb_bad = bytes_read;
    }
  else
    gb_bad = nul - data;

  /* Whichever decoding got further is the one the writer most likely meant. */
  set_bad_byte_error (error, display_name, data, len, MAX (utf8_bad, gb_bad));
  return NULL;
}

GBytes *
tenure_text_decode_file (const char         *path,
                         TenureTextEncoding *encoding,
                         GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autofree char *display_name = g_path_get_basename (path);

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      gboolean missing = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

      g_set_error (error, TENURE_ERROR, missing ? TENURE_ERROR_NOT_FOUND : TENURE_ERROR_IO,
                   /* Translators: file path, system error message */
                   _("Cannot read %s: %s"), path, local_error->message);
      return NULL;
    }
  raw = g_mapped_file_get_bytes (mapped);
  return tenure_text_decode (raw, display_name, encoding, error);
}
