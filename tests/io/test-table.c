/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

#include <string.h>

#include "io/tenure-table.h"
#include "tenure-test-util.h"

static void
test_column_names (void)
{
  static const struct { guint column; const char *name; } cases[] = {
    { 0, "A" }, { 1, "B" }, { 25, "Z" }, { 26, "AA" }, { 27, "AB" }, { 51, "AZ" },
    { 52, "BA" }, { 701, "ZZ" }, { 702, "AAA" }, { 16383, "XFD" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = tenure_column_name (cases[i].column);
      guint column = G_MAXUINT;

      g_assert_cmpstr (name, ==, cases[i].name);
      g_assert_true (tenure_column_parse (cases[i].name, &column));
      g_assert_cmpuint (column, ==, cases[i].column);
    }
  g_assert_true (tenure_column_parse ("xfd", NULL));
  g_assert_false (tenure_column_parse ("XFE", NULL));
  g_assert_false (tenure_column_parse ("", NULL));
  g_assert_false (tenure_column_parse ("A1", NULL));
  g_assert_false (tenure_column_parse ("AAAAAAAAAAAAAAAAAAAAAAAA", NULL));
}

static void
test_cell_refs (void)
{
  guint column = 0;
  guint row = 0;

  g_assert_true (tenure_cell_ref_parse ("B12", &column, &row));
  g_assert_cmpuint (column, ==, 1);
  g_assert_cmpuint (row, ==, 12);
  g_assert_true (tenure_cell_ref_parse ("$AA$7", &column, &row));
  g_assert_cmpuint (column, ==, 26);
  g_assert_cmpuint (row, ==, 7);
  g_assert_true (tenure_cell_ref_parse ("XFD1048576", &column, &row));
  g_assert_cmpuint (column, ==, 16383);
  g_assert_cmpuint (row, ==, 1048576);

  g_assert_false (tenure_cell_ref_parse ("A0", NULL, NULL));
  g_assert_false (tenure_cell_ref_parse ("A1048577", NULL, NULL));
  g_assert_false (tenure_cell_ref_parse ("XFE1", NULL, NULL));
  g_assert_false (tenure_cell_ref_parse ("12", NULL, NULL));
  g_assert_false (tenure_cell_ref_parse ("B", NULL, NULL));
  g_assert_false (tenure_cell_ref_parse ("B1x", NULL, NULL));
  g_assert_false (tenure_cell_ref_parse ("B99999999999999999999", NULL, NULL));
}

static void
test_row_builder (void)
{
  g_autoptr(TenureRowBuilder) builder = tenure_row_builder_new ();
  g_autoptr(TenureRow) row = NULL;
  g_autoptr(TenureRow) second = NULL;
  TenureDate day = tenure_date_from_ymd (2026, 11, 2);
  const TenureCell *cell;

  tenure_row_builder_append (builder, TENURE_CELL_TEXT, "租金", -1, 0, TENURE_DATE_INVALID);
  /* Column C is skipped: B stays empty. */
  tenure_row_builder_set (builder, 2, TENURE_CELL_NUMBER, "86250.5xyz", 7, 86250.5,
                          TENURE_DATE_INVALID);
  tenure_row_builder_set (builder, 3, TENURE_CELL_DATE, "46328", -1, 46328, day);
  g_assert_cmpuint (tenure_row_builder_get_n_cells (builder), ==, 4);
  row = tenure_row_builder_end (builder, 12);
  g_assert_cmpuint (tenure_row_builder_get_n_cells (builder), ==, 0);

  g_assert_cmpuint (tenure_row_get_number (row), ==, 12);
  g_assert_cmpuint (tenure_row_get_n_cells (row), ==, 4);
  g_assert_cmpstr (tenure_row_get_text (row, 0), ==, "租金");
  cell = tenure_row_get_cell (row, 1);
  g_assert_cmpint (cell->kind, ==, TENURE_CELL_EMPTY);
  g_assert_cmpstr (cell->text, ==, "");
  cell = tenure_row_get_cell (row, 2);
  g_assert_cmpint (cell->kind, ==, TENURE_CELL_NUMBER);
  g_assert_cmpstr (cell->text, ==, "86250.5");
  g_assert_cmpfloat (cell->number, ==, 86250.5);
  cell = tenure_row_get_cell (row, 3);
  g_assert_cmpint (cell->kind, ==, TENURE_CELL_DATE);
  g_assert_cmpint (cell->date, ==, day);
  /* Past the end: an empty cell, never NULL. */
  cell = tenure_row_get_cell (row, 500);
  g_assert_cmpint (cell->kind, ==, TENURE_CELL_EMPTY);
  g_assert_cmpstr (cell->text, ==, "");
  g_assert_false (tenure_row_is_blank (row));

  /* The builder is reusable and the first row kept its own copy of the text. */
  tenure_row_builder_append (builder, TENURE_CELL_TEXT, " \u3000 ", -1, 0, TENURE_DATE_INVALID);
  tenure_row_builder_append (builder, TENURE_CELL_EMPTY, NULL, 0, 0, TENURE_DATE_INVALID);
  second = tenure_row_builder_end (builder, 13);
  g_assert_true (tenure_row_is_blank (second));
  g_assert_cmpstr (tenure_row_get_text (row, 0), ==, "租金");
}

static TenureTable *
make_statement_table (void)
{
  static const char *const lines[][4] = {
    { "账号：1001 2345", NULL, NULL, NULL },
    { "交易日期", "摘要", "借方发生额（支取）", " 对方户名 " },
    { "2026-11-02", "转账", "86,250.00", "上海星河餐饮管理有限公司" },
  };
  TenureTable *table = tenure_table_new (TENURE_TABLE_CSV, "/tmp/x/statement.csv", NULL);
  g_autoptr(TenureRowBuilder) builder = tenure_row_builder_new ();

  for (guint r = 0; r < G_N_ELEMENTS (lines); r++)
    {
      for (guint c = 0; c < 4 && lines[r][c] != NULL; c++)
        tenure_row_builder_append (builder, TENURE_CELL_TEXT, lines[r][c], -1, 0,
                                   TENURE_DATE_INVALID);
      tenure_table_append_row (table, tenure_row_builder_end (builder, r * 2 + 1));
    }
  return table;
}

static void
test_header_lookup (void)
{
  g_autoptr(TenureTable) table = make_statement_table ();
  const char *const wanted[] = { "交易日期", "借方发生额(支取)", NULL };
  const char *const absent[] = { "交易日期", "金额", NULL };
  int header;

  g_assert_cmpuint (tenure_table_get_n_rows (table), ==, 3);
  g_assert_cmpuint (tenure_table_get_n_columns (table), ==, 4);
  g_assert_cmpint (tenure_table_lookup_column (table, "摘要"), ==, -1);

  /* Full-width brackets in the file match ASCII ones in the profile. */
  header = tenure_table_find_header_row (table, wanted, 0);
  g_assert_cmpint (header, ==, 1);
  g_assert_cmpint (tenure_table_find_header_row (table, absent, 0), ==, -1);
  g_assert_cmpint (tenure_table_find_header_row (table, wanted, 1), ==, -1);

  tenure_table_set_header_row (table, header);
  g_assert_cmpint (tenure_table_get_header_row (table), ==, 1);
  g_assert_cmpint (tenure_table_lookup_column (table, "摘要"), ==, 1);
  g_assert_cmpint (tenure_table_lookup_column (table, "对方户名"), ==, 3);
  g_assert_cmpint (tenure_table_lookup_column (table, "余额"), ==, -1);
  g_assert_cmpstr (tenure_table_get_header (table, 2), ==, "借方发生额（支取）");
  g_assert_null (tenure_table_get_header (table, 9));

  g_assert_true (tenure_table_header_equal ("Lease Number", "  lease number\t"));
  g_assert_true (tenure_table_header_equal ("ＡＢＣ", "abc"));
  g_assert_false (tenure_table_header_equal ("金额", "余额"));
}

static void
test_describe_cell (void)
{
  g_autoptr(TenureTable) table = make_statement_table ();
  g_autoptr(TenureTable) sheet = tenure_table_new (TENURE_TABLE_SHEET, "/data/leases.xlsx",
                                                   "Sheet1");
  g_autoptr(TenureRowBuilder) builder = tenure_row_builder_new ();
  g_autofree char *plain = NULL;
  g_autofree char *named = NULL;
  g_autofree char *in_sheet = NULL;
  g_autofree char *in_sheet_named = NULL;

  plain = tenure_table_describe_cell (table, tenure_table_get_row (table, 2), 2);
  g_assert_cmpstr (plain, ==, "statement.csv, line 5, column 3");
  tenure_table_set_header_row (table, 1);
  named = tenure_table_describe_cell (table, tenure_table_get_row (table, 2), 2);
  g_assert_cmpstr (named, ==, "statement.csv, line 5, column 3 (借方发生额（支取）)");

  tenure_row_builder_set (builder, 3, TENURE_CELL_TEXT, "Lease Number", -1, 0,
                          TENURE_DATE_INVALID);
  tenure_table_append_row (sheet, tenure_row_builder_end (builder, 1));
  tenure_table_append_row (sheet, tenure_row_builder_end (builder, 2));
  in_sheet = tenure_table_describe_cell (sheet, tenure_table_get_row (sheet, 1), 3);
  g_assert_cmpstr (in_sheet, ==, "leases.xlsx, sheet Sheet1, row 2, column D");
  tenure_table_set_header_row (sheet, 0);
  in_sheet_named = tenure_table_describe_cell (sheet, tenure_table_get_row (sheet, 1), 3);
  g_assert_cmpstr (in_sheet_named, ==,
                   "leases.xlsx, sheet Sheet1, row 2, column D (Lease Number)");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/io/table/column-names", test_column_names);
  g_test_add_func ("/io/table/cell-refs", test_cell_refs);
  g_test_add_func ("/io/table/row-builder", test_row_builder);
  g_test_add_func ("/io/table/header-lookup", test_header_lookup);
  g_test_add_func ("/io/table/describe-cell", test_describe_cell);

  return g_test_run ();
}
