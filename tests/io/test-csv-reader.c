/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

#include <stdlib.h>
#include <string.h>

#include "base/tenure-error.h"
#include "io/tenure-csv-reader.h"
#include "tenure-test-util.h"

/* A statement in UTF-8: quoted amounts with thousands separators, a doubled quote, a comma
 * and a line break inside quotes, an empty field, a blank line and spaces kept as written. */
static const char statement_utf8[] =
  "交易日期,摘要,金额,备注\r\n"
  "2026-11-02,转账,\"86,250.00\",\"SH-XH01 \"\"星河广场\"\" 租金\"\r\n"
  "2026-11-03,手续费,25.00,\"第一行\r\n第二行\"\r\n"
  "\r\n"
  "2026-11-05, 退款 ,,\r\n"
  "合计,,\"86,275.00\",\r\n";

/* Checks that @table holds statement_utf8, field by field and line by line. */
static void
assert_statement (const TenureTable *table)
{
  const TenureRow *row;

  g_assert_cmpuint (tenure_table_get_n_rows (table), ==, 5);
  g_assert_cmpuint (tenure_table_get_n_columns (table), ==, 4);

  row = tenure_table_get_row (table, 0);
  g_assert_cmpuint (tenure_row_get_number (row), ==, 1);
  g_assert_cmpstr (tenure_row_get_text (row, 0), ==, "交易日期");
  g_assert_cmpstr (tenure_row_get_text (row, 3), ==, "备注");

  row = tenure_table_get_row (table, 1);
  g_assert_cmpuint (tenure_row_get_number (row), ==, 2);
  g_assert_cmpuint (tenure_row_get_n_cells (row), ==, 4);
  g_assert_cmpstr (tenure_row_get_text (row, 2), ==, "86,250.00");
  g_assert_cmpstr (tenure_row_get_text (row, 3), ==, "SH-XH01 \"星河广场\" 租金");
  g_assert_cmpint (tenure_row_get_cell (row, 2)->kind, ==, TENURE_CELL_TEXT);

  row = tenure_table_get_row (table, 2);
  g_assert_cmpuint (tenure_row_get_number (row), ==, 3);
  g_assert_cmpstr (tenure_row_get_text (row, 2), ==, "25.00");
  g_assert_cmpstr (tenure_row_get_text (row, 3), ==, "第一行\r\n第二行");

  /* The quoted line break made the file one line longer, and the blank line is skipped. */
  row = tenure_table_get_row (table, 3);
  g_assert_cmpuint (tenure_row_get_number (row), ==, 6);
  g_assert_cmpstr (tenure_row_get_text (row, 1), ==, " 退款 ");
  g_assert_cmpint (tenure_row_get_cell (row, 2)->kind, ==, TENURE_CELL_EMPTY);
  g_assert_cmpint (tenure_row_get_cell (row, 3)->kind, ==, TENURE_CELL_EMPTY);
  g_assert_cmpuint (tenure_row_get_n_cells (row), ==, 4);

  row = tenure_table_get_row (table, 4);
  g_assert_cmpuint (tenure_row_get_number (row), ==, 7);
  g_assert_cmpstr (tenure_row_get_text (row, 0), ==, "合计");
  g_assert_cmpstr (tenure_row_get_text (row, 2), ==, "86,275.00");
}

static char *
write_file (const char *dir, const char *name, const void *data, gsize len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

static TenureTable *
read_file_expecting (const char         *path,
                     TenureTextEncoding  expected_encoding,
                     TenureCsvDelimiter  delimiter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureCsvReader) reader = tenure_csv_reader_new_for_file (path, delimiter,
                                                                     TENURE_CSV_FLAGS_NONE,
                                                                     &error);
  TenureTable *table;

  g_assert_no_error (error);
  g_assert_cmpint (tenure_csv_reader_get_encoding (reader), ==, expected_encoding);
  table = tenure_csv_reader_read_all (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tenure_table_get_source (table), ==, path);
  return table;
}

static void
test_encodings (void)
{
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *gbk = g_convert (statement_utf8, -1, "GBK", "UTF-8", NULL, &len, &error);
  gsize len16 = 0;
  g_autofree char *utf16 = g_convert (statement_utf8, -1, "UTF-16LE", "UTF-8", NULL, &len16,
                                      &error);
  g_autofree char *utf16_bom = g_malloc (len16 + 2);
  g_autofree char *utf8_bom = g_strconcat ("\xEF\xBB\xBF", statement_utf8, NULL);
  struct
  {
    const char        *name;
    const char        *data;
    gsize              len;
    TenureTextEncoding encoding;
  } files[] = {
    { "utf8.csv", statement_utf8, strlen (statement_utf8), TENURE_TEXT_ENCODING_UTF8 },
    { "utf8-bom.csv", utf8_bom, strlen (utf8_bom), TENURE_TEXT_ENCODING_UTF8_BOM },
    { "utf16le.csv", utf16_bom, len16 + 2, TENURE_TEXT_ENCODING_UTF16LE },
    { "gbk.csv", gbk, len, TENURE_TEXT_ENCODING_GBK },
  };

  g_assert_no_error (error);
  utf16_bom[0] = '\xFF';
  utf16_bom[1] = '\xFE';
  memcpy (utf16_bom + 2, utf16, len16);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = write_file (dir, files[i].name, files[i].data, files[i].len);
      g_autoptr(TenureTable) table = read_file_expecting (path, files[i].encoding,
                                                          TENURE_CSV_DELIMITER_COMMA);

      g_test_message ("%s", files[i].name);
      assert_statement (table);
    }
  tenure_test_rm_rf (dir);
}

static void
test_delimiters (void)
{
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autofree char *tabbed = NULL;
  g_autofree char *semi = NULL;
  g_autofree char *tab_path = NULL;
  g_autofree char *semi_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureCsvReader) reader = NULL;
  g_autoptr(TenureTable) table = NULL;

  /* Replace the separators (commas outside quotes) by tabs; the amounts keep their commas. */
  tabbed = g_strdup ("交易日期\t摘要\t金额\t备注\n"
                     "2026-11-02\t转账\t\"86,250.00\"\t\"SH-XH01 \"\"星河广场\"\" 租金\"\n");
  semi = g_strdup ("交易日期;摘要;金额;备注\n"
                   "2026-11-02;转账;86,250.00;\"a;b\"\n");
  tab_path = write_file (dir, "tab.txt", tabbed, strlen (tabbed));
  semi_path = write_file (dir, "semi.csv", semi, strlen (semi));

  table = tenure_csv_read_file (tab_path, TENURE_CSV_DELIMITER_TAB, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tenure_table_get_n_columns (table), ==, 4);
  g_assert_cmpstr (tenure_row_get_text (tenure_table_get_row (table, 1), 3), ==,
                   "SH-XH01 \"星河广场\" 租金");
  g_clear_pointer (&table, tenure_table_free);

  /* Sniffed: tab for the tab file, semicolon for the other, comma for the statement. */
  reader = tenure_csv_reader_new_for_file (tab_path, TENURE_CSV_DELIMITER_SNIFF, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_csv_reader_get_delimiter (reader), ==, TENURE_CSV_DELIMITER_TAB);
  g_clear_pointer (&reader, tenure_csv_reader_free);

  reader = tenure_csv_reader_new_for_file (semi_path, TENURE_CSV_DELIMITER_SNIFF, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_csv_reader_get_delimiter (reader), ==,
                   TENURE_CSV_DELIMITER_SEMICOLON);
  table = tenure_csv_reader_read_all (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tenure_row_get_text (tenure_table_get_row (table, 1), 2), ==, "86,250.00");
  g_assert_cmpstr (tenure_row_get_text (tenure_table_get_row (table, 1), 3), ==, "a;b");
  g_clear_pointer (&reader, tenure_csv_reader_free);
  g_clear_pointer (&table, tenure_table_free);

  {
    g_autoptr(GBytes) raw = g_bytes_new_static (statement_utf8, strlen (statement_utf8));
    reader = tenure_csv_reader_new_for_bytes (raw, "statement.csv",
                                              TENURE_CSV_DELIMITER_SNIFF, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tenure_csv_reader_get_delimiter (reader), ==, TENURE_CSV_DELIMITER_COMMA);
  }
  tenure_test_rm_rf (dir);
}

static TenureTable *
read_string (const char *text, TenureCsvFlags flags, GError **error)
{
  g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));
  g_autoptr(TenureCsvReader) reader = tenure_csv_reader_new_for_bytes (raw, "input.csv",
                                                                      TENURE_CSV_DELIMITER_COMMA,
                                                                      flags, error);
  if (reader == NULL)
    return NULL;
  return tenure_csv_reader_read_all (reader, error);
}

static void
test_line_endings (void)
{
  g_autoptr(GError) error = NULL;
  /* LF, CRLF, a lone CR (old Mac), and no line break after the last record. */
  g_autoptr(TenureTable) table = read_string ("a,b\nc,d\r\ne,f\rg,\"h\ni\"\n\n\nj,k", 0,
                                              &error);
  static const guint lines[] = { 1, 2, 3, 4, 8 };

  g_assert_no_error (error);
  g_assert_cmpuint (tenure_table_get_n_rows (table), ==, G_N_ELEMENTS (lines));
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    g_assert_cmpuint (tenure_row_get_number (tenure_table_get_row (table, i)), ==, lines[i]);
  g_assert_cmpstr (tenure_row_get_text (tenure_table_get_row (table, 2), 1), ==, "f");
  g_assert_cmpstr (tenure_row_get_text (tenure_table_get_row (table, 3), 1), ==, "h\ni");
  g_assert_cmpstr (tenure_row_get_text (tenure_table_get_row (table, 4), 1), ==, "k");
}

static void
test_empty_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureTable) table = read_string ("", 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (tenure_table_get_n_rows (table), ==, 0);
  g_clear_pointer (&table, tenure_table_free);
  table = read_string ("\r\n\n", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tenure_table_get_n_rows (table), ==, 0);
}

static void
test_unterminated_quote (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureTable) table = read_string ("日期,备注\n2026-11-02,ok\n"
                                              "2026-11-03,\"押金\n退还\n", 0, &error);

  g_assert_null (table);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "input.csv"));
  g_assert_nonnull (strstr (error->message, "line 3, column 2"));
}

static void
test_unterminated_quote_streaming (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = g_bytes_new_static ("a,b\n\"c,d\n", 9);
  g_autoptr(TenureCsvReader) reader = tenure_csv_reader_new_for_bytes (raw, "input.csv", 0, 0,
                                                                      &error);
  g_autoptr(TenureRow) first = NULL;
  TenureRow *second;

  g_assert_no_error (error);
  first = tenure_csv_reader_next_row (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tenure_row_get_text (first, 1), ==, "b");
  second = tenure_csv_reader_next_row (reader, &error);
  g_assert_null (second);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 2, column 1"));
  g_clear_error (&error);
  /* After an error the reader stays at the end. */
  g_assert_null (tenure_csv_reader_next_row (reader, &error));
  g_assert_no_error (error);
}

static void
test_strict_field_count (void)
{
  g_autoptr(GError) error = NULL;
  const char *ragged = "a,b,c\n1,2,3\n4,5\n6,7,8\n";
  g_autoptr(TenureTable) table = read_string (ragged, 0, &error);

  /* Lenient by default: the short record simply has fewer cells. */
  g_assert_no_error (error);
  g_assert_cmpuint (tenure_table_get_n_rows (table), ==, 4);
  g_assert_cmpuint (tenure_row_get_n_cells (tenure_table_get_row (table, 2)), ==, 2);
  g_clear_pointer (&table, tenure_table_free);

  table = read_string (ragged, TENURE_CSV_FLAGS_STRICT_FIELD_COUNT, &error);
  g_assert_null (table);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "input.csv, line 3"));
  g_assert_nonnull (strstr (error->message, "2 fields"));
}

static void
test_bad_encoding (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureTable) table = read_string ("a,b\nca\xE9 ,d\n", 0, &error);

  g_assert_null (table);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "input.csv: line 2, byte 6"));
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureTable) table = tenure_csv_read_file ("/nonexistent/dir/x.csv", 0, 0, &error);

  g_assert_null (table);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
}

/* Random fields (quotes, separators, line breaks, Chinese, spaces) written the RFC 4180 way
 * must read back identically, with the right line numbers. */
static void
test_round_trip_random (void)
{
  static const char *const pieces[] = {
    "a", "Z9", " ", "\"", ",", "\n", "\r\n", "租金", "￥", "押金退还", "\t", ";", "''", "x\"y",
  };
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");
  guint iterations = env != NULL ? (guint) MAX (1, atoi (env)) : 200;
  GRand *rand = g_rand_new_with_seed (20261127);

  for (guint it = 0; it < iterations; it++)
    {
      guint n_rows = g_rand_int_range (rand, 1, 8);
      guint n_cols = g_rand_int_range (rand, 1, 6);
      g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GString) csv = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(TenureTable) table = NULL;
      guint line = 1;

      for (guint r = 0; r < n_rows; r++)
        {
          g_array_append_val (lines, line);
          for (guint c = 0; c < n_cols; c++)
            {
              g_autoptr(GString) field = g_string_new (NULL);
              guint n_pieces = g_rand_int_range (rand, 0, 4);

              /* A record of one empty field would be a blank line, which is skipped. */
              if (n_cols == 1 && n_pieces == 0)
                n_pieces = 1;
              for (guint p = 0; p < n_pieces; p++)
                g_string_append (field,
                                 pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
              if (c > 0)
                g_string_append_c (csv, ',');
              if (strpbrk (field->str, "\",\r\n") != NULL || g_rand_boolean (rand))
                {
                  g_autofree char *escaped = NULL;
                  g_auto(GStrv) parts = g_strsplit (field->str, "\"", -1);

                  escaped = g_strjoinv ("\"\"", parts);
                  g_string_append_printf (csv, "\"%s\"", escaped);
                  for (const char *q = field->str; *q != '\0'; q++)
                    if (*q == '\n' || (*q == '\r' && q[1] != '\n'))
                      line++;
                }
              else
                g_string_append (csv, field->str);
              g_ptr_array_add (expected, g_string_free (g_steal_pointer (&field), FALSE));
            }
          g_string_append (csv, g_rand_boolean (rand) ? "\r\n" : "\n");
          line++;
        }

      table = read_string (csv->str, TENURE_CSV_FLAGS_STRICT_FIELD_COUNT, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (tenure_table_get_n_rows (table), ==, n_rows);
      for (guint r = 0; r < n_rows; r++)
        {
          const TenureRow *row = tenure_table_get_row (table, r);

          g_assert_cmpuint (tenure_row_get_number (row), ==, g_array_index (lines, guint, r));
          g_assert_cmpuint (tenure_row_get_n_cells (row), ==, n_cols);
          for (guint c = 0; c < n_cols; c++)
            g_assert_cmpstr (tenure_row_get_text (row, c), ==,
                             g_ptr_array_index (expected, r * n_cols + c));
        }
    }
  g_rand_free (rand);
}

/* Random bytes: either records with sane line numbers and UTF-8 text, or a clear error. */
static void
test_random_bytes (void)
{
  static const char *const alphabet[] = {
    "\"", ",", "\r", "\n", "a", " ", "\t", ";", "中", "\xD6\xD0", "\xFF", "\xE4\xB8",
  };
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");
  guint n = env != NULL ? (guint) MAX (1, atoi (env)) * 5 : 1000;
  GRand *rand = g_rand_new_with_seed (12);

  for (guint it = 0; it < n; it++)
    {
      g_autoptr(GString) input = g_string_new (NULL);
      guint len = g_rand_int_range (rand, 0, 40);
      g_autoptr(GBytes) raw = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(TenureCsvReader) reader = NULL;
      g_autoptr(TenureTable) table = NULL;
      guint n_lines = 1;
      guint last = 0;

      for (guint i = 0; i < len; i++)
        g_string_append (input, alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))]);
      for (gsize i = 0; i < input->len; i++)
        if (input->str[i] == '\n' || (input->str[i] == '\r' && input->str[i + 1] != '\n'))
          n_lines++;

      raw = g_bytes_new (input->str, input->len);
      reader = tenure_csv_reader_new_for_bytes (raw, "random.csv", TENURE_CSV_DELIMITER_SNIFF,
                                                0, &error);
      if (reader == NULL)
        {
          g_assert_error (error, TENURE_ERROR, TENURE_ERROR_ENCODING);
          continue;
        }
      table = tenure_csv_reader_read_all (reader, &error);
      if (table == NULL)
        {
          g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
          g_assert_true (g_str_has_prefix (error->message, "random.csv, line "));
          continue;
        }
      g_assert_no_error (error);
      for (guint r = 0; r < tenure_table_get_n_rows (table); r++)
        {
          const TenureRow *row = tenure_table_get_row (table, r);

          g_assert_cmpuint (tenure_row_get_number (row), >, last);
          g_assert_cmpuint (tenure_row_get_number (row), <=, n_lines);
          last = tenure_row_get_number (row);
          for (guint c = 0; c < tenure_row_get_n_cells (row); c++)
            g_assert_true (g_utf8_validate (tenure_row_get_text (row, c), -1, NULL));
        }
    }
  g_rand_free (rand);
}

/* A file of many records is read one record at a time with the right line numbers. */
static void
test_many_records_streaming (void)
{
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");
  guint n = env != NULL ? (guint) MAX (10, atoi (env) * 100) : 100000;
  g_autoptr(GString) csv = g_string_new ("编号,金额\n");
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureCsvReader) reader = NULL;
  TenureRow *row;
  guint count = 0;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "%u,\"%u,%03u.%02u\"\n", i, i / 1000, i % 1000, i % 100);
  raw = g_bytes_new (csv->str, csv->len);
  reader = tenure_csv_reader_new_for_bytes (raw, "big.csv", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (tenure_csv_reader_get_fraction (reader), ==, 0.0);
  g_assert_nonnull ((row = tenure_csv_reader_next_row (reader, &error)));
  tenure_row_free (row);
  g_assert_cmpfloat (tenure_csv_reader_get_fraction (reader), ==,
                     (double) strlen ("编号,金额\n") / csv->len);
  while ((row = tenure_csv_reader_next_row (reader, &error)) != NULL)
    {
      g_autofree char *amount = g_strdup_printf ("%u,%03u.%02u", count / 1000, count % 1000,
                                                 count % 100);

      g_assert_cmpuint (tenure_row_get_number (row), ==, count + 2);
      g_assert_cmpuint (strtoul (tenure_row_get_text (row, 0), NULL, 10), ==, count);
      g_assert_cmpstr (tenure_row_get_text (row, 1), ==, amount);
      tenure_row_free (row);
      count++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, n);
  g_assert_cmpfloat (tenure_csv_reader_get_fraction (reader), ==, 1.0);
}

static void
test_bank_statement (void)
{
  g_autofree char *path = tenure_test_shared_data ("cn-bank/example-statement-gbk.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureCsvReader) reader = NULL;
  g_autoptr(TenureTable) table = NULL;
  const char *const wanted[] = { "交易日期", "借方发生额(支取)", "贷方发生额(收入)", NULL };
  const TenureRow *row;
  int header;
  int debit;
  int credit;
  g_autofree char *where = NULL;

  if (path == NULL)
    return;
  reader = tenure_csv_reader_new_for_file (path, TENURE_CSV_DELIMITER_SNIFF, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_csv_reader_get_encoding (reader), ==, TENURE_TEXT_ENCODING_GBK);
  g_assert_cmpint (tenure_csv_reader_get_delimiter (reader), ==, TENURE_CSV_DELIMITER_COMMA);
  table = tenure_csv_reader_read_all (reader, &error);
  g_assert_no_error (error);

  /* 4 preamble lines, (a blank line), the header, 10 entries and the totals line. */
  g_assert_cmpuint (tenure_table_get_n_rows (table), ==, 16);
  row = tenure_table_get_row (table, 0);
  g_assert_cmpuint (tenure_row_get_number (row), ==, 1);
  g_assert_cmpuint (tenure_row_get_n_cells (row), ==, 1);
  g_assert_cmpstr (tenure_row_get_text (row, 0), ==, "账号：1001 2345 6789 0123 456");
  row = tenure_table_get_row (table, 3);
  g_assert_cmpuint (tenure_row_get_number (row), ==, 4);
  g_assert_cmpstr (tenure_row_get_text (row, 0), ==, "起止日期：2026-11-01 至 2026-11-30");

  header = tenure_table_find_header_row (table, wanted, 10);
  g_assert_cmpint (header, ==, 4);
  tenure_table_set_header_row (table, header);
  row = tenure_table_get_row (table, header);
  g_assert_cmpuint (tenure_row_get_number (row), ==, 6);
  g_assert_cmpuint (tenure_row_get_n_cells (row), ==, 12);
  g_assert_cmpstr (tenure_row_get_text (row, 3), ==, "摘要");
  g_assert_cmpstr (tenure_row_get_text (row, 11), ==, "交易流水号");
  debit = tenure_table_lookup_column (table, "借方发生额(支取)");
  credit = tenure_table_lookup_column (table, "贷方发生额(收入)");
  g_assert_cmpint (debit, ==, 4);
  g_assert_cmpint (credit, ==, 5);
  g_assert_cmpint (tenure_table_lookup_column (table, "余额"), ==, 6);

  /* First entry, line 7. */
  row = tenure_table_get_row (table, 5);
  g_assert_cmpuint (tenure_row_get_number (row), ==, 7);
  g_assert_cmpstr (tenure_row_get_text (row, 0), ==, "2026-11-02");
  g_assert_cmpstr (tenure_row_get_text (row, 1), ==, "09:14:03");
  g_assert_cmpint (tenure_row_get_cell (row, 2)->kind, ==, TENURE_CELL_EMPTY);
  g_assert_cmpstr (tenure_row_get_text (row, credit), ==, "86,250.00");
  g_assert_cmpstr (tenure_row_get_text (row, 6), ==, "1,086,250.00");
  g_assert_cmpstr (tenure_row_get_text (row, 7), ==,
                   "SH-XH01 星河广场 HT-2026-0012 第四季度租金");
  g_assert_cmpstr (tenure_row_get_text (row, 8), ==, "上海星河餐饮管理有限公司");
  g_assert_cmpstr (tenure_row_get_text (row, 11), ==, "2026110009000");

  /* The deposit refund on line 12 is a debit. */
  row = tenure_table_get_row (table, 10);
  g_assert_cmpuint (tenure_row_get_number (row), ==, 12);
  g_assert_cmpstr (tenure_row_get_text (row, 3), ==, "退款");
  g_assert_cmpstr (tenure_row_get_text (row, debit), ==, "3,000.00");
  g_assert_cmpint (tenure_row_get_cell (row, credit)->kind, ==, TENURE_CELL_EMPTY);
  g_assert_cmpstr (tenure_row_get_text (row, 8), ==, "王小明");
  where = tenure_table_describe_cell (table, row, debit);
  g_assert_cmpstr (where, ==, "example-statement-gbk.csv, line 12, column 5 (借方发生额(支取))");

  /* Interest on line 16, unquoted amount. */
  row = tenure_table_get_row (table, 14);
  g_assert_cmpuint (tenure_row_get_number (row), ==, 16);
  g_assert_cmpstr (tenure_row_get_text (row, credit), ==, "18.32");
  g_assert_cmpstr (tenure_row_get_text (row, 7), ==, "活期结息");

  /* The totals line. */
  row = tenure_table_get_row (table, 15);
  g_assert_cmpuint (tenure_row_get_number (row), ==, 17);
  g_assert_cmpuint (tenure_row_get_n_cells (row), ==, 12);
  g_assert_cmpstr (tenure_row_get_text (row, 0), ==, "合计");
  g_assert_cmpstr (tenure_row_get_text (row, debit), ==, "3,025.00");
  g_assert_cmpstr (tenure_row_get_text (row, credit), ==, "341,959.57");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/io/csv/encodings", test_encodings);
  g_test_add_func ("/io/csv/delimiters", test_delimiters);
  g_test_add_func ("/io/csv/line-endings", test_line_endings);
  g_test_add_func ("/io/csv/empty", test_empty_input);
  g_test_add_func ("/io/csv/bad/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/io/csv/bad/unterminated-quote-streaming",
                   test_unterminated_quote_streaming);
  g_test_add_func ("/io/csv/bad/strict-field-count", test_strict_field_count);
  g_test_add_func ("/io/csv/bad/encoding", test_bad_encoding);
  g_test_add_func ("/io/csv/bad/missing-file", test_missing_file);
  g_test_add_func ("/io/csv/round-trip-random", test_round_trip_random);
  g_test_add_func ("/io/csv/random-bytes", test_random_bytes);
  g_test_add_func ("/io/csv/many-records-streaming", test_many_records_streaming);
  g_test_add_func ("/io/csv/bank-statement", test_bank_statement);

  return g_test_run ();
}
