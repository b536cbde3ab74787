/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

#include <string.h>

#include "base/tenure-error.h"
#include "io/tenure-text-decode.h"
#include "tenure-test-util.h"

static const char sample_utf8[] = "日期,金额\n2026-11-02,\"86,250.00\"\n备注：押金退还\n";

static GBytes *
decode (const void *data, gsize len, TenureTextEncoding *encoding, GError **error)
{
  g_autoptr(GBytes) raw = g_bytes_new (data, len);

  return tenure_text_decode (raw, "sample.csv", encoding, error);
}

static void
assert_bytes_equal_str (GBytes *bytes, const char *expected)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *copy = g_strndup (data, len);

  g_assert_cmpstr (copy, ==, expected);
  g_assert_cmpuint (len, ==, strlen (expected));
}

static void
test_utf8_plain (void)
{
  g_autoptr(GError) error = NULL;
  TenureTextEncoding encoding = TENURE_TEXT_ENCODING_GBK;
  g_autoptr(GBytes) raw = g_bytes_new_static (sample_utf8, strlen (sample_utf8));
  g_autoptr(GBytes) text = tenure_text_decode (raw, "sample.csv", &encoding, &error);

  g_assert_no_error (error);
  g_assert_cmpint (encoding, ==, TENURE_TEXT_ENCODING_UTF8);
  g_assert_cmpstr (tenure_text_encoding_to_string (encoding), ==, "UTF-8");
  assert_bytes_equal_str (text, sample_utf8);
  /* Valid UTF-8 is handed back without a copy. */
  g_assert_true (g_bytes_get_data (text, NULL) == (gconstpointer) sample_utf8);
}

static void
test_utf8_bom (void)
{
  g_autoptr(GError) error = NULL;
  TenureTextEncoding encoding = TENURE_TEXT_ENCODING_UTF8;
  g_autofree char *with_bom = g_strconcat ("\xEF\xBB\xBF", sample_utf8, NULL);
  g_autoptr(GBytes) text = decode (with_bom, strlen (with_bom), &encoding, &error);

  g_assert_no_error (error);
  g_assert_cmpint (encoding, ==, TENURE_TEXT_ENCODING_UTF8_BOM);
  assert_bytes_equal_str (text, sample_utf8);
}

static void
test_utf16 (gconstpointer data)
{
  gboolean big_endian = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  TenureTextEncoding encoding = TENURE_TEXT_ENCODING_UTF8;
  gsize len = 0;
  g_autofree char *body = g_convert (sample_utf8, -1, big_endian ? "UTF-16BE" : "UTF-16LE",
                                     "UTF-8", NULL, &len, &error);
  g_autofree char *with_bom = NULL;
  g_autoptr(GBytes) text = NULL;

  g_assert_no_error (error);
  with_bom = g_malloc (len + 2);
  with_bom[0] = big_endian ? '\xFE' : '\xFF';
  with_bom[1] = big_endian ? '\xFF' : '\xFE';
  memcpy (with_bom + 2, body, len);

  text = decode (with_bom, len + 2, &encoding, &error);
  g_assert_no_error (error);
  g_assert_cmpint (encoding, ==, big_endian ? TENURE_TEXT_ENCODING_UTF16BE
                                            : TENURE_TEXT_ENCODING_UTF16LE);
  assert_bytes_equal_str (text, sample_utf8);

  /* An odd number of bytes: the last character is cut. */
  g_clear_pointer (&text, g_bytes_unref);
  text = decode (with_bom, len + 1, &encoding, &error);
  g_assert_null (text);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "sample.csv"));
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (error->message, big_endian ? "UTF-16BE" : "UTF-16LE"));
}

static void
test_utf16_unpaired_surrogate (void)
{
  /* "A\n" then a lone high surrogate D800 followed by "B". */
  static const guint8 data[] = { 0xFF, 0xFE, 'A', 0, '\n', 0, 0x00, 0xD8, 'B', 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) text = decode (data, sizeof data, NULL, &error);

  g_assert_null (text);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "line 2, byte 6"));
}

static void
test_gbk (void)
{
  g_autoptr(GError) error = NULL;
  TenureTextEncoding encoding = TENURE_TEXT_ENCODING_UTF8;
  gsize len = 0;
  g_autofree char *gbk = g_convert (sample_utf8, -1, "GBK", "UTF-8", NULL, &len, &error);
  g_autoptr(GBytes) text = NULL;

  g_assert_no_error (error);
  /* The GBK bytes are not UTF-8, or the test would prove nothing. */
  g_assert_false (g_utf8_validate (gbk, len, NULL));
  text = decode (gbk, len, &encoding, &error);
  g_assert_no_error (error);
  g_assert_cmpint (encoding, ==, TENURE_TEXT_ENCODING_GBK);
  g_assert_cmpstr (tenure_text_encoding_to_string (encoding), ==, "GBK");
  assert_bytes_equal_str (text, sample_utf8);
}

static void
test_gb18030_four_byte (void)
{
  /* U+20BB7 (𠮷) only exists in GB18030's four-byte range. */
  static const char utf8[] = "吉\xF0\xA0\xAE\xB7野家";
  g_autoptr(GError) error = NULL;
  TenureTextEncoding encoding = TENURE_TEXT_ENCODING_UTF8;
  gsize len = 0;
  g_autofree char *gb = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, &len, &error);
  g_autoptr(GBytes) text = NULL;

  g_assert_no_error (error);
  text = decode (gb, len, &encoding, &error);
  g_assert_no_error (error);
  g_assert_cmpint (encoding, ==, TENURE_TEXT_ENCODING_GBK);
  assert_bytes_equal_str (text, utf8);
}

static void
test_neither (void)
{
  /* Latin-1 "café" on line 3: 0xE9 followed by a space is neither UTF-8 nor GB18030. */
  static const char latin1[] = "a,b\nc,d\ncaf\xE9 au lait\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) text = decode (latin1, strlen (latin1), NULL, &error);

  g_assert_null (text);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_ENCODING);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "sample.csv"));
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (error->message, "byte 11"));
  g_assert_nonnull (strstr (error->message, "0xE9"));
}

static void
test_bad_byte_in_utf8 (void)
{
  /* Mostly UTF-8 Chinese, then a stray 0xFF on line 2: the error points at that byte. */
  static const char text_bytes[] = "金额,备注\n100,租金\xFF\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) text = decode (text_bytes, strlen (text_bytes), NULL, &error);

  g_assert_null (text);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "line 2, byte 24"));
}

static void
test_nul (void)
{
  static const char data[] = "a,b\n1,\0002\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) text = decode (data, sizeof data - 1, NULL, &error);

  g_assert_null (text);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "line 2, byte 6"));
  g_assert_nonnull (strstr (error->message, "NUL"));
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  TenureTextEncoding encoding = TENURE_TEXT_ENCODING_GBK;
  g_autoptr(GBytes) text = decode ("", 0, &encoding, &error);

  g_assert_no_error (error);
  g_assert_cmpint (encoding, ==, TENURE_TEXT_ENCODING_UTF8);
  g_assert_cmpuint (g_bytes_get_size (text), ==, 0);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "nope.csv", NULL);
  g_autoptr(GBytes) text = tenure_text_decode_file (path, NULL, &error);

  g_assert_null (text);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nope.csv"));
  tenure_test_rm_rf (dir);
}

static void
test_bank_statement_file (void)
{
  g_autofree char *path = tenure_test_shared_data ("cn-bank/example-statement-gbk.csv");
  g_autoptr(GError) error = NULL;
  TenureTextEncoding encoding = TENURE_TEXT_ENCODING_UTF8;
  g_autoptr(GBytes) text = NULL;
  g_autofree char *copy = NULL;
  gsize len;
  const char *data;

  if (path == NULL)
    return;
  text = tenure_text_decode_file (path, &encoding, &error);
  g_assert_no_error (error);
  g_assert_cmpint (encoding, ==, TENURE_TEXT_ENCODING_GBK);
  data = g_bytes_get_data (text, &len);
  copy = g_strndup (data, len);
  g_assert_true (g_str_has_prefix (copy, "账号：1001 2345 6789 0123 456\r\n"
                                         "户名：上海智汇资产管理有限公司\r\n"));
  g_assert_true (g_str_has_suffix (copy, "合计,,,,\"3,025.00\",\"341,959.57\",,,,,,\r\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/io/decode/utf8/plain", test_utf8_plain);
  g_test_add_func ("/io/decode/utf8/bom", test_utf8_bom);
  g_test_add_data_func ("/io/decode/utf16/le", GINT_TO_POINTER (FALSE), test_utf16);
  g_test_add_data_func ("/io/decode/utf16/be", GINT_TO_POINTER (TRUE), test_utf16);
  g_test_add_func ("/io/decode/utf16/unpaired-surrogate", test_utf16_unpaired_surrogate);
  g_test_add_func ("/io/decode/gbk/converted", test_gbk);
  g_test_add_func ("/io/decode/gbk/gb18030-four-byte", test_gb18030_four_byte);
  g_test_add_func ("/io/decode/bad/neither", test_neither);
  g_test_add_func ("/io/decode/bad/stray-byte-in-utf8", test_bad_byte_in_utf8);
  g_test_add_func ("/io/decode/bad/nul", test_nul);
  g_test_add_func ("/io/decode/empty", test_empty);
  g_test_add_func ("/io/decode/file/missing", test_missing_file);
  g_test_add_func ("/io/decode/file/bank-statement", test_bank_statement_file);

  return g_test_run ();
}
