/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

#include <archive.h>
#include <archive_entry.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/tenure-error.h"
#include "io/tenure-xlsx-reader.h"
#include "tenure-test-util.h"

#define MAIN_NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define REL_NS  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define PKG_NS  "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define REL_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const TenureCell *
cell_at (const TenureTable *table, guint row_number, const char *column)
{
  guint col = 0;

  g_assert_true (tenure_column_parse (column, &col));
  g_assert_cmpuint (row_number, >=, 1);
  g_assert_cmpuint (row_number, <=, tenure_table_get_n_rows (table));
  return tenure_row_get_cell (tenure_table_get_row (table, row_number - 1), col);
}

static void
assert_text (const TenureTable *table, guint row, const char *column, const char *expected)
{
  const TenureCell *cell = cell_at (table, row, column);

  g_assert_cmpint (cell->kind, ==, TENURE_CELL_TEXT);
  g_assert_cmpstr (cell->text, ==, expected);
}

static void
assert_number (const TenureTable *table, guint row, const char *column, double expected)
{
  const TenureCell *cell = cell_at (table, row, column);

  g_assert_cmpint (cell->kind, ==, TENURE_CELL_NUMBER);
  g_assert_cmpfloat_with_epsilon (cell->number, expected, 1e-9);
}

static void
assert_date (const TenureTable *table, guint row, const char *column, int y, int m, int d)
{
  const TenureCell *cell = cell_at (table, row, column);

  g_assert_cmpint (cell->kind, ==, TENURE_CELL_DATE);
  g_assert_cmpint (cell->date, ==, tenure_date_from_ymd (y, m, d));
}

static void
assert_empty (const TenureTable *table, guint row, const char *column)
{
  const TenureCell *cell = cell_at (table, row, column);

  g_assert_cmpint (cell->kind, ==, TENURE_CELL_EMPTY);
  g_assert_cmpstr (cell->text, ==, "");
}

/* Writes a zip of (name, content) pairs ending with NULL. */
static char *
write_zip (const char *dir, const char *file_name, const char *const *entries)
{
  char *path = g_build_filename (dir, file_name, NULL);
  struct archive *zip = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_zip (zip), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (zip, path), ==, ARCHIVE_OK);
  for (guint i = 0; entries[i] != NULL; i += 2)
    {
      struct archive_entry *entry = archive_entry_new ();
      gsize len = strlen (entries[i + 1]);

      archive_entry_set_pathname (entry, entries[i]);
      archive_entry_set_size (entry, (la_int64_t) len);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      g_assert_cmpint (archive_write_header (zip, entry), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (zip, entries[i + 1], len), ==, (la_ssize_t) len);
      archive_entry_free (entry);
    }
  g_assert_cmpint (archive_write_close (zip), ==, ARCHIVE_OK);
  archive_write_free (zip);
  return path;
}

static const char handmade_workbook[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
  "<workbook " MAIN_NS " " REL_NS "><workbookPr date1904=\"1\"/><sheets>"
  "<sheet name=\"数据\" sheetId=\"1\" r:id=\"rId1\"/>"
  "<sheet name=\"Second\" sheetId=\"2\" r:id=\"rId2\"/>"
  "</sheets></workbook>";

/* Targets: one absolute, one relative through "..". */
static const char handmade_rels[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships " PKG_NS ">"
  "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
  "<Relationship Id=\"rId2\" Type=\"" REL_TYPE "worksheet\""
  " Target=\"worksheets/../worksheets/sheet2.xml\"/>"
  "<Relationship Id=\"rId3\" Type=\"" REL_TYPE "sharedStrings\" Target=\"sharedStrings.xml\"/>"
  "<Relationship Id=\"rId4\" Type=\"" REL_TYPE "styles\" Target=\"styles.xml\"/>"
  "<Relationship Id=\"rId5\" Type=\"" REL_TYPE "hyperlink\" Target=\"http://example.com/\""
  " TargetMode=\"External\"/>"
  "</Relationships>";

static const char handmade_strings[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst " MAIN_NS " count=\"6\" uniqueCount=\"6\">"
  "<si><t>租金</t></si>"
  "<si><r><rPr><b/></rPr><t>星河</t></r><r><t xml:space=\"preserve\"> 广场 </t></r></si>"
  "<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh></si>"
  "<si><t>a_x000D_b_x005F_x0041_</t></si>"
  "<si><t/></si>"
  "<si><t>Tom &amp; Jerry</t></si>"
  "</sst>";

static const char handmade_styles[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet " MAIN_NS ">"
  "<numFmts count=\"4\">"
  "<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
  "<numFmt numFmtId=\"165\" formatCode=\"0.00&quot; days&quot;\"/>"
  "<numFmt numFmtId=\"166\" formatCode=\"[Red]#,##0.00\"/>"
  "<numFmt numFmtId=\"167\" formatCode=\"[$-F800]dddd, mmmm dd, yyyy\"/>"
  "</numFmts>"
  "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
  "<cellXfs count=\"8\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
  "<xf numFmtId=\"14\"/><xf numFmtId=\"4\"/><xf numFmtId=\"166\"/><xf numFmtId=\"20\"/>"
  "<xf numFmtId=\"167\"/></cellXfs>"
  "</styleSheet>";

static const char handmade_sheet1[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet " MAIN_NS "><sheetData>"
  "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
  "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c>"
  "<c r=\"E1\" t=\"s\"><v>4</v></c><c r=\"F1\" t=\"s\"><v>5</v></c></row>"
  /* Cells without r attributes. */
  "<row r=\"2\"><c t=\"inlineStr\"><is><t>内联</t></is></c>"
  "<c t=\"inlineStr\"><is><r><t>富</t></r><r><t>文本</t></r></is></c>"
  "<c t=\"str\"><f>A1&amp;\"x\"</f><v>租金x</v></c>"
  "<c t=\"b\"><v>1</v></c><c t=\"b\"><v>0</v></c><c t=\"e\"><v>#N/A</v></c></row>"
  /* Row 3 is missing. */
  "<row r=\"4\"><c r=\"B4\" s=\"1\"><v>0</v></c><c r=\"D4\" s=\"2\"><v>12.5</v></c>"
  "<c r=\"E4\" s=\"3\"><v>45658</v></c><c r=\"F4\" s=\"7\"><v>1462</v></c>"
  "<c r=\"G4\" s=\"4\"><v>1234.5</v></c><c r=\"H4\" s=\"5\"><v>-3</v></c>"
  "<c r=\"I4\" s=\"1\"/><c r=\"J4\"><f>1+1</f></c><c r=\"K4\"><v>1.5E-3</v></c></row>"
  "<row r=\"5\"/>"
  "<row r=\"6\"><c r=\"A6\" t=\"d\"><v>2026-11-27T00:00:00</v></c></row>"
  "</sheetData></worksheet>";

static const char handmade_sheet2[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet " MAIN_NS "><sheetData>"
  "<row><c><v>1</v></c></row><row><c><v>2</v></c><c><v>3</v></c></row>"
  "</sheetData>"
  /* Not cells: element names reused outside sheetData. */
  "<extLst><ext uri=\"x\"><row r=\"50\"><c r=\"A50\"><v>9</v></c></row></ext></extLst>"
  "</worksheet>";

static char *
write_handmade (const char *dir, const char *file_name, const char *sheet1)
{
  const char *const entries[] = {
    "[Content_Types].xml", "<Types/>",
    "xl/workbook.xml", handmade_workbook,
    "xl/_rels/workbook.xml.rels", handmade_rels,
    "xl/sharedStrings.xml", handmade_strings,
    "xl/styles.xml", handmade_styles,
    "xl/worksheets/data.xml", sheet1,
    "xl/worksheets/sheet2.xml", handmade_sheet2,
    NULL,
  };

  return write_zip (dir, file_name, entries);
}

static void
test_handmade (void)
{
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autofree char *path = write_handmade (dir, "handmade.xlsx", handmade_sheet1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureXlsxBook) book = tenure_xlsx_book_open (path, &error);
  g_autoptr(TenureTable) table = NULL;
  g_autoptr(TenureTable) second = NULL;
  const TenureCell *cell;

  g_assert_no_error (error);
  g_assert_cmpuint (tenure_xlsx_book_get_n_sheets (book), ==, 2);
  g_assert_cmpstr (tenure_xlsx_book_get_sheet_name (book, 0), ==, "数据");
  g_assert_cmpstr (tenure_xlsx_book_get_sheet_name (book, 1), ==, "Second");
  g_assert_true (tenure_xlsx_book_get_date1904 (book));

  table = tenure_xlsx_book_read_sheet (book, "数据", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tenure_table_get_name (table), ==, "数据");
  g_assert_cmpint (tenure_table_get_origin (table), ==, TENURE_TABLE_SHEET);
  g_assert_cmpuint (tenure_table_get_n_rows (table), ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpuint (tenure_row_get_number (tenure_table_get_row (table, i)), ==, i + 1);

  /* Shared strings: plain, rich runs with preserved spaces, phonetic guide left out, _xHHHH_
   * escapes, an empty string, an entity. */
  assert_text (table, 1, "A", "租金");
  assert_text (table, 1, "B", "星河 广场 ");
  assert_text (table, 1, "C", "東京");
  assert_text (table, 1, "D", "a\rb_x0041_");
  assert_empty (table, 1, "E");
  assert_text (table, 1, "F", "Tom & Jerry");

  assert_text (table, 2, "A", "内联");
  assert_text (table, 2, "B", "富文本");
  assert_text (table, 2, "C", "租金x");
  cell = cell_at (table, 2, "D");
  g_assert_cmpint (cell->kind, ==, TENURE_CELL_BOOLEAN);
  g_assert_cmpstr (cell->text, ==, "TRUE");
  g_assert_cmpfloat (cell->number, ==, 1.0);
  cell = cell_at (table, 2, "E");
  g_assert_cmpint (cell->kind, ==, TENURE_CELL_BOOLEAN);
  g_assert_cmpstr (cell->text, ==, "FALSE");
  cell = cell_at (table, 2, "F");
  g_assert_cmpint (cell->kind, ==, TENURE_CELL_ERROR);
  g_assert_cmpstr (cell->text, ==, "#N/A");

  /* The missing row 3 is an empty row. */
  g_assert_cmpuint (tenure_row_get_n_cells (tenure_table_get_row (table, 2)), ==, 0);

  /* 1904 system: 0 is 1904-01-01, 45658 is 2029-01-02. */
  assert_empty (table, 4, "A");
  assert_date (table, 4, "B", 1904, 1, 1);
  assert_empty (table, 4, "C");
  assert_number (table, 4, "D", 12.5);       /* "0.00 days": the d is quoted */
  assert_date (table, 4, "E", 2029, 1, 2);    /* built-in 14 */
  assert_date (table, 4, "F", 1908, 1, 2);    /* [$-F800]dddd, mmmm dd, yyyy */
  g_assert_cmpfloat (cell_at (table, 4, "E")->number, ==, 45658);
  g_assert_cmpstr (cell_at (table, 4, "E")->text, ==, "45658");
  assert_number (table, 4, "G", 1234.5);
  assert_number (table, 4, "H", -3);          /* [Red]: a bracket, not a date */
  assert_empty (table, 4, "I");               /* styled, no value */
  assert_empty (table, 4, "J");               /* formula never calculated */
  assert_number (table, 4, "K", 0.0015);
  g_assert_cmpstr (cell_at (table, 4, "K")->text, ==, "1.5E-3");
  g_assert_cmpuint (tenure_row_get_n_cells (tenure_table_get_row (table, 3)), ==, 11);

  g_assert_cmpuint (tenure_row_get_n_cells (tenure_table_get_row (table, 4)), ==, 0);
  assert_date (table, 6, "A", 2026, 11, 27);
  g_assert_cmpstr (cell_at (table, 6, "A")->text, ==, "2026-11-27T00:00:00");

  /* The second sheet by case-insensitive name: rows and cells without r attributes. */
  second = tenure_xlsx_book_read_sheet (book, "second", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tenure_table_get_n_rows (second), ==, 2);
  assert_number (second, 1, "A", 1);
  assert_number (second, 2, "A", 2);
  assert_number (second, 2, "B", 3);
  g_assert_cmpuint (tenure_row_get_number (tenure_table_get_row (second, 1)), ==, 2);
  g_assert_cmpuint (tenure_table_get_n_columns (second), ==, 2);

  tenure_test_rm_rf (dir);
}

/* Shared strings and styles at their usual place but missing from the relationships. */
static void
test_parts_without_relationship (void)
{
  static const char rels[] =
    "<Relationships " PKG_NS "><Relationship Id=\"rId1\" Type=\"" REL_TYPE "worksheet\""
    " Target=\"worksheets/data.xml\"/><Relationship Id=\"rId2\" Type=\"" REL_TYPE
    "worksheet\" Target=\"worksheets/sheet2.xml\"/></Relationships>";
  const char *const entries[] = {
    "xl/workbook.xml", handmade_workbook, "xl/_rels/workbook.xml.rels", rels,
    "xl/sharedStrings.xml", handmade_strings, "xl/styles.xml", handmade_styles,
    "xl/worksheets/data.xml", handmade_sheet1, NULL,
  };
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autofree char *path = write_zip (dir, "norels.xlsx", entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureTable) table = tenure_xlsx_read_file (path, NULL, &error);

  g_assert_no_error (error);
  assert_text (table, 1, "A", "租金");
  assert_date (table, 4, "E", 2029, 1, 2);
  tenure_test_rm_rf (dir);
}

static void
test_format_codes (void)
{
  g_assert_true (tenure_xlsx_format_code_is_date ("yyyy-mm-dd"));
  g_assert_true (tenure_xlsx_format_code_is_date ("d/m/yy h:mm"));
  g_assert_true (tenure_xlsx_format_code_is_date ("[h]:mm:ss"));
  g_assert_true (tenure_xlsx_format_code_is_date ("yyyy\"年\"m\"月\""));
  g_assert_false (tenure_xlsx_format_code_is_date ("General"));
  g_assert_false (tenure_xlsx_format_code_is_date ("#,##0.00_);[Red](#,##0.00)"));
  g_assert_false (tenure_xlsx_format_code_is_date ("0.00\" days\""));
  g_assert_false (tenure_xlsx_format_code_is_date ("\\d0"));
  g_assert_false (tenure_xlsx_format_code_is_date ("0.00E+00"));
  g_assert_false (tenure_xlsx_format_code_is_date ("\"unclosed d"));

  for (guint id = 0; id < 200; id++)
    {
      gboolean expected = (id >= 14 && id <= 22) || (id >= 27 && id <= 36)
                          || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
      g_assert_cmpint (tenure_xlsx_builtin_format_is_date (id), ==, expected);
    }
}

/* A workbook written by libxlsxwriter, as Tenure's own exports are, read back field by field. */
static char *
write_with_libxlsxwriter (const char *dir, const char *file_name, gboolean constant_memory)
{
  char *path = g_build_filename (dir, file_name, NULL);
  lxw_workbook_options options = { .constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE };
  lxw_workbook *workbook = workbook_new_opt (path, &options);
  lxw_worksheet *tenants = workbook_add_worksheet (workbook, "租户");
  lxw_worksheet *summary = workbook_add_worksheet (workbook, "Summary");
  lxw_format *date_format = workbook_add_format (workbook);
  lxw_format *builtin_date = workbook_add_format (workbook);
  lxw_format *time_format = workbook_add_format (workbook);
  lxw_format *money_format = workbook_add_format (workbook);
  lxw_format *bold = workbook_add_format (workbook);
  lxw_datetime start = { 2026, 11, 2, 0, 0, 0 };
  lxw_datetime leap = { 2024, 2, 29, 0, 0, 0 };
  lxw_datetime evening = { 0, 0, 0, 18, 0, 0 };
  lxw_rich_string_tuple part1 = { .format = bold, .string = "星河" };
  lxw_rich_string_tuple part2 = { .format = NULL, .string = "广场" };
  lxw_rich_string_tuple *rich[] = { &part1, &part2, NULL };

  format_set_num_format (date_format, "yyyy-mm-dd");
  format_set_num_format_index (builtin_date, 14);
  format_set_num_format (time_format, "hh:mm");
  format_set_num_format (money_format, "#,##0.00");
  format_set_bold (bold);

  worksheet_write_string (tenants, 0, 0, "租户", NULL);
  worksheet_write_string (tenants, 0, 1, "金额", NULL);
  worksheet_write_string (tenants, 0, 2, "起租日", NULL);
  worksheet_write_string (tenants, 0, 3, "已付", NULL);
  worksheet_write_string (tenants, 0, 4, "备注", NULL);
  worksheet_write_string (tenants, 0, 5, "时间", NULL);

  worksheet_write_string (tenants, 1, 0, "上海星河餐饮管理有限公司", NULL);
  worksheet_write_number (tenants, 1, 1, 86250.5, money_format);
  worksheet_write_datetime (tenants, 1, 2, &start, date_format);
  worksheet_write_boolean (tenants, 1, 3, 1, NULL);
  /* E2 is left empty. */
  worksheet_write_datetime (tenants, 1, 5, &evening, time_format);

  worksheet_write_string (tenants, 2, 0, "王小明", NULL);
  worksheet_write_number (tenants, 2, 1, -3000, money_format);
  worksheet_write_datetime (tenants, 2, 2, &leap, builtin_date);
  worksheet_write_boolean (tenants, 2, 3, 0, NULL);
  worksheet_write_string (tenants, 2, 4, "押金退还\n第二行 & <备注>", NULL);

  /* Row 4 only has a formatted blank cell; row 5 is missing; row 6 has G6 only. */
  worksheet_write_blank (tenants, 3, 4, bold);
  worksheet_write_number (tenants, 5, 6, 86250.57, NULL);

  worksheet_write_number (summary, 0, 0, 1, NULL);
  if (!constant_memory)
    worksheet_write_rich_string (summary, 1, 0, rich, NULL);
  worksheet_write_formula_num (summary, 2, 0, "=1+1", NULL, 2);
  worksheet_write_formula_str (summary, 3, 0, "=\"a\"&\"b\"", NULL, "ab");

  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);
  return path;
}

static void
check_libxlsxwriter_book (const char *path, gboolean constant_memory)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureXlsxBook) book = tenure_xlsx_book_open (path, &error);
  g_autoptr(TenureTable) tenants = NULL;
  g_autoptr(TenureTable) summary = NULL;
  const TenureCell *cell;
  const char *const header[] = { "已付", "金额", NULL };

  g_assert_no_error (error);
  g_assert_cmpuint (tenure_xlsx_book_get_n_sheets (book), ==, 2);
  g_assert_false (tenure_xlsx_book_get_date1904 (book));

  tenants = tenure_xlsx_book_read_sheet (book, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tenure_table_get_name (tenants), ==, "租户");
  g_assert_cmpuint (tenure_table_get_n_rows (tenants), ==, 6);
  g_assert_cmpuint (tenure_table_get_n_columns (tenants), ==, 7);
  g_assert_cmpint (tenure_table_find_header_row (tenants, header, 0), ==, 0);
  tenure_table_set_header_row (tenants, 0);
  g_assert_cmpint (tenure_table_lookup_column (tenants, "起租日"), ==, 2);

  assert_text (tenants, 1, "A", "租户");
  assert_text (tenants, 1, "F", "时间");
  assert_text (tenants, 2, "A", "上海星河餐饮管理有限公司");
  assert_number (tenants, 2, "B", 86250.5);
  assert_date (tenants, 2, "C", 2026, 11, 2);
  g_assert_cmpfloat (cell_at (tenants, 2, "C")->number, ==, 46328);
  cell = cell_at (tenants, 2, "D");
  g_assert_cmpint (cell->kind, ==, TENURE_CELL_BOOLEAN);
  g_assert_cmpfloat (cell->number, ==, 1);
  assert_empty (tenants, 2, "E");
  /* A time of day alone: a DATE cell without a calendar day. */
  cell = cell_at (tenants, 2, "F");
  g_assert_cmpint (cell->kind, ==, TENURE_CELL_DATE);
  g_assert_cmpint (cell->date, ==, TENURE_DATE_INVALID);
  g_assert_cmpfloat_with_epsilon (cell->number, 0.75, 1e-12);

  assert_text (tenants, 3, "A", "王小明");
  assert_number (tenants, 3, "B", -3000);
  assert_date (tenants, 3, "C", 2024, 2, 29);
  g_assert_cmpfloat (cell_at (tenants, 3, "C")->number, ==, 45351);
  cell = cell_at (tenants, 3, "D");
  g_assert_cmpint (cell->kind, ==, TENURE_CELL_BOOLEAN);
  g_assert_cmpfloat (cell->number, ==, 0);
  assert_text (tenants, 3, "E", "押金退还\n第二行 & <备注>");

  g_assert_cmpuint (tenure_row_get_number (tenure_table_get_row (tenants, 3)), ==, 4);
  assert_empty (tenants, 4, "E");
  g_assert_true (tenure_row_is_blank (tenure_table_get_row (tenants, 3)));
  g_assert_cmpuint (tenure_row_get_n_cells (tenure_table_get_row (tenants, 4)), ==, 0);
  assert_number (tenants, 6, "G", 86250.57);
  g_assert_cmpfloat (cell_at (tenants, 6, "G")->number, ==, 86250.57);
  /* libxlsxwriter prints %.16G: the text as written is longer, the double the same. */
  g_assert_cmpstr (cell_at (tenants, 6, "G")->text, ==, "86250.57000000001");

  summary = tenure_xlsx_book_read_sheet (book, "Summary", &error);
  g_assert_no_error (error);
  assert_number (summary, 1, "A", 1);
  if (!constant_memory)
    assert_text (summary, 2, "A", "星河广场");
  assert_number (summary, 3, "A", 2);
  assert_text (summary, 4, "A", "ab");
}

static void
test_libxlsxwriter (void)
{
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autofree char *path = write_with_libxlsxwriter (dir, "tenants.xlsx", FALSE);
  g_autofree char *streamed = write_with_libxlsxwriter (dir, "streamed.xlsx", TRUE);

  check_libxlsxwriter_book (path, FALSE);
  /* constant_memory mode writes inline strings instead of shared ones. */
  check_libxlsxwriter_book (streamed, TRUE);
  tenure_test_rm_rf (dir);
}

static void
expect_parse_error (const char *path, const char *sheet, const char *const *fragments)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureTable) table = tenure_xlsx_read_file (path, sheet, &error);

  g_assert_null (table);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
  g_test_message ("%s", error->message);
  for (guint i = 0; fragments[i] != NULL; i++)
    g_assert_nonnull (strstr (error->message, fragments[i]));
}

static void
test_bad_files (void)
{
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autofree char *good = write_with_libxlsxwriter (dir, "good.xlsx", FALSE);
  g_autofree char *not_zip = g_build_filename (dir, "notes.xlsx", NULL);
  g_autofree char *truncated = g_build_filename (dir, "truncated.xlsx", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.xlsx", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (not_zip, "交易日期,金额\n2026-11-02,100\n", -1, &error);
  g_assert_no_error (error);
  expect_parse_error (not_zip, NULL, (const char *const[]) { "notes.xlsx", "zip", NULL });

  g_file_set_contents (empty, "", 0, &error);
  g_assert_no_error (error);
  expect_parse_error (empty, NULL, (const char *const[]) { "empty.xlsx", NULL });

  g_file_get_contents (good, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (truncated, contents, (gssize) (len * 2 / 3), &error);
  g_assert_no_error (error);
  expect_parse_error (truncated, NULL, (const char *const[]) { "truncated.xlsx", NULL });

  expect_parse_error (good, "Rent roll",
                      (const char *const[]) { "good.xlsx", "Rent roll", "租户", NULL });

  /* A missing workbook, a missing sheet part, a missing shared strings part. */
  {
    const char *const no_workbook[] = { "xl/_rels/workbook.xml.rels", handmade_rels, NULL };
    const char *const no_sheet[] = {
      "xl/workbook.xml", handmade_workbook, "xl/_rels/workbook.xml.rels", handmade_rels,
      "xl/sharedStrings.xml", handmade_strings, "xl/styles.xml", handmade_styles, NULL,
    };
    const char *const no_strings[] = {
      "xl/workbook.xml", handmade_workbook, "xl/_rels/workbook.xml.rels", handmade_rels,
      "xl/styles.xml", handmade_styles, "xl/worksheets/data.xml", handmade_sheet1, NULL,
    };
    g_autofree char *p1 = write_zip (dir, "no-workbook.xlsx", no_workbook);
    g_autofree char *p2 = write_zip (dir, "no-sheet.xlsx", no_sheet);
    g_autofree char *p3 = write_zip (dir, "no-strings.xlsx", no_strings);

    expect_parse_error (p1, NULL, (const char *const[]) { "no-workbook.xlsx",
                                                          "xl/workbook.xml", NULL });
    expect_parse_error (p2, NULL, (const char *const[]) { "no-sheet.xlsx",
                                                          "xl/worksheets/data.xml", NULL });
    expect_parse_error (p3, NULL, (const char *const[]) { "no-strings.xlsx",
                                                          "xl/sharedStrings.xml", NULL });
  }

  /* Malformed XML in row 300 (line 301) of the sheet, after rows the reader has handed out. */
  {
    g_autoptr(GString) xml = g_string_new ("<?xml version=\"1.0\"?><worksheet " MAIN_NS ">"
                                           "<sheetData>\n");
    g_autofree char *p = NULL;

    for (guint r = 1; r < 300; r++)
      g_string_append_printf (xml, "<row r=\"%u\"><c r=\"A%u\"><v>%u</v></c></row>\n",
                              r, r, r);
    g_string_append (xml, "<row r=\"300\"><c r=\"A300\"><v>3</v></row>\n"
                          "</sheetData></worksheet>");
    p = write_handmade (dir, "broken.xlsx", xml->str);
    expect_parse_error (p, NULL, (const char *const[]) { "broken.xlsx",
                                                         "xl/worksheets/data.xml", "after row",
                                                         "line 301", "column", NULL });
  }

  /* Malformed XML in the shared strings. */
  {
    const char *const entries[] = {
      "xl/workbook.xml", handmade_workbook, "xl/_rels/workbook.xml.rels", handmade_rels,
      "xl/sharedStrings.xml", "<sst><si><t>unclosed</si></sst>", NULL,
    };
    g_autofree char *p = write_zip (dir, "bad-strings.xlsx", entries);
    expect_parse_error (p, NULL, (const char *const[]) { "bad-strings.xlsx",
                                                         "xl/sharedStrings.xml", NULL });
  }

  /* Values the format does not allow. */
  {
    g_autofree char *bad_index = write_handmade (dir, "bad-index.xlsx",
      "<worksheet " MAIN_NS "><sheetData><row r=\"7\"><c r=\"C7\" t=\"s\"><v>99</v></c></row>"
      "</sheetData></worksheet>");
    g_autofree char *bad_number = write_handmade (dir, "bad-number.xlsx",
      "<worksheet " MAIN_NS "><sheetData><row r=\"2\"><c r=\"B2\"><v>12,5</v></c></row>"
      "</sheetData></worksheet>");
    g_autofree char *disorder = write_handmade (dir, "disorder.xlsx",
      "<worksheet " MAIN_NS "><sheetData><row r=\"5\"/><row r=\"3\"/>"
      "</sheetData></worksheet>");
    g_autofree char *twice = write_handmade (dir, "twice.xlsx",
      "<worksheet " MAIN_NS "><sheetData><row r=\"2\"><c r=\"B2\"><v>1</v></c>"
      "<c r=\"B2\"><v>1</v></c></row></sheetData></worksheet>");
    g_autofree char *bad_ref = write_handmade (dir, "bad-ref.xlsx",
      "<worksheet " MAIN_NS "><sheetData><row r=\"2\"><c r=\"XFE2\"><v>1</v></c></row>"
      "</sheetData></worksheet>");

    expect_parse_error (bad_index, NULL,
                        (const char *const[]) { "bad-index.xlsx", "row 7", "C7", "99", NULL });
    expect_parse_error (bad_number, NULL,
                        (const char *const[]) { "row 2", "B2", "12,5", NULL });
    expect_parse_error (disorder, NULL, (const char *const[]) { "row 3", "row 5", NULL });
    expect_parse_error (twice, NULL, (const char *const[]) { "row 2", "B2", NULL });
    expect_parse_error (bad_ref, NULL, (const char *const[]) { "row 2", "XFE2", NULL });
  }

  {
    g_autoptr(TenureTable) table = tenure_xlsx_read_file ("/nonexistent/book.xlsx", NULL,
                                                          &error);
    g_assert_null (table);
    g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  }
  tenure_test_rm_rf (dir);
}

static void
test_size_limit (void)
{
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autoptr(GString) sheet = g_string_new ("<worksheet " MAIN_NS "><sheetData>");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureXlsxBook) book = NULL;
  g_autoptr(TenureTable) table = NULL;

  /* Compresses to almost nothing, unpacks to about 300 KB. */
  for (guint r = 1; r <= 10000; r++)
    g_string_append_printf (sheet, "<row r=\"%u\"><c><v>0</v></c></row>", r);
  g_string_append (sheet, "</sheetData></worksheet>");
  path = write_handmade (dir, "bomb.xlsx", sheet->str);

  /* The small parts fit under 64 KiB, the sheet does not. */
  book = tenure_xlsx_book_open_with_limit (path, 64 * 1024, &error);
  g_assert_no_error (error);
  table = tenure_xlsx_book_read_sheet_at (book, 0, &error);
  g_assert_null (table);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "bomb.xlsx"));
  g_assert_nonnull (strstr (error->message, "xl/worksheets/data.xml"));
  g_assert_nonnull (strstr (error->message, "64"));
  g_clear_error (&error);

  /* Under the default limit the same file reads fine. */
  g_clear_pointer (&book, tenure_xlsx_book_free);
  book = tenure_xlsx_book_open (path, &error);
  g_assert_no_error (error);
  table = tenure_xlsx_book_read_sheet_at (book, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tenure_table_get_n_rows (table), ==, 10000);

  g_clear_pointer (&table, tenure_table_free);
  table = tenure_xlsx_book_read_sheet_at (book, 2, &error);
  g_assert_null (table);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
  tenure_test_rm_rf (dir);
}

static guint
iterations (guint fallback)
{
  const char *env = g_getenv ("TENURE_TEST_ITERATIONS");

  return env != NULL ? (guint) MAX (1, atoi (env)) : fallback;
}

/* Reads every sheet; any failure must be a clear TENURE_ERROR, never a crash. */
static void
read_whole_book (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureXlsxBook) book = tenure_xlsx_book_open (path, &error);

  if (book == NULL)
    {
      g_assert_error (error, TENURE_ERROR, TENURE_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, "damaged.xlsx"));
      return;
    }
  for (guint i = 0; i < tenure_xlsx_book_get_n_sheets (book); i++)
    {
      g_autoptr(TenureTable) table = tenure_xlsx_book_read_sheet_at (book, i, &error);

      if (table == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == TENURE_ERROR);
          g_assert_true (error->code == TENURE_ERROR_PARSE
                         || error->code == TENURE_ERROR_UNSUPPORTED);
          g_assert_true (g_str_has_prefix (error->message, "damaged.xlsx"));
          g_clear_error (&error);
          continue;
        }
      for (guint r = 0; r < tenure_table_get_n_rows (table); r++)
        {
          const TenureRow *row = tenure_table_get_row (table, r);

          g_assert_cmpuint (tenure_row_get_number (row), ==, r + 1);
          for (guint c = 0; c < tenure_row_get_n_cells (row); c++)
            g_assert_true (g_utf8_validate (tenure_row_get_cell (row, c)->text, -1, NULL));
        }
    }
}

/* Damaged XML parts and damaged zip bytes give errors, not crashes or garbage. */
static void
test_mutations (void)
{
  static const char interesting[] = "<>\"/=&;#x0 9AZrsvtc\n";
  const char *parts[] = { handmade_workbook, handmade_rels, handmade_strings, handmade_styles,
                          handmade_sheet1, handmade_sheet2 };
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "damaged.xlsx", NULL);
  g_autofree char *good = write_handmade (dir, "good.xlsx", handmade_sheet1);
  g_autofree char *zip_bytes = NULL;
  gsize zip_len = 0;
  GRand *rand = g_rand_new_with_seed (4637);
  guint n = iterations (300);
  g_autoptr(GError) error = NULL;

  g_file_get_contents (good, &zip_bytes, &zip_len, &error);
  g_assert_no_error (error);

  for (guint it = 0; it < n; it++)
    {
      g_autofree char *copies[G_N_ELEMENTS (parts)] = { NULL };
      guint target = g_rand_int_range (rand, 0, G_N_ELEMENTS (parts));
      guint n_changes = g_rand_int_range (rand, 1, 4);

      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        copies[i] = g_strdup (parts[i]);
      for (guint k = 0; k < n_changes; k++)
        {
          gsize len = strlen (copies[target]);
          gsize at = g_rand_int_range (rand, 0, (gint32) len);

          copies[target][at] = interesting[g_rand_int_range (rand, 0, sizeof interesting - 1)];
        }
      {
        const char *const entries[] = {
          "xl/workbook.xml", copies[0], "xl/_rels/workbook.xml.rels", copies[1],
          "xl/sharedStrings.xml", copies[2], "xl/styles.xml", copies[3],
          "xl/worksheets/data.xml", copies[4], "xl/worksheets/sheet2.xml", copies[5], NULL,
        };
        g_autofree char *written = write_zip (dir, "damaged.xlsx", entries);
        read_whole_book (written);
      }
      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        g_clear_pointer (&copies[i], g_free);

      /* Now the zip itself: a few random bytes anywhere. */
      {
        g_autofree char *bytes = g_memdup2 (zip_bytes, zip_len);

        for (guint k = 0; k < n_changes; k++)
          bytes[g_rand_int_range (rand, 0, (gint32) zip_len)] = (char) g_rand_int (rand);
        /* No fsync: hundreds of rewrites of the same file must stay fast. */
        g_file_set_contents_full (path, bytes, (gssize) zip_len, G_FILE_SET_CONTENTS_NONE, 0644,
                                  &error);
        g_assert_no_error (error);
        read_whole_book (path);
      }
    }
  g_rand_free (rand);
  tenure_test_rm_rf (dir);
}

/* The GSA lease inventory: expected values read by hand from the file's XML (and checked with
 * openpyxl), never produced by this reader. */
static void
test_gsa_leases (void)
{
  g_autofree char *path = tenure_test_shared_data ("leases/gsa-iolp-leases-2025-06-20.xlsx");
  static const char *const headers[] = {
    "Location Code", "Real Property Asset Name", "Installation Name", "Federal Leased Code",
    "GSA Region", "Street Address", "City", "State", "Zip Code", "Latitude", "Longitude",
    "Building Rentable Square Feet", "Available Square Feet", "Congressional District",
    "Congressional District Representative", "Lease Number", "Lease Effective Date",
    "Lease Expiration Date", "Real Property Asset type",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureXlsxBook) book = NULL;
  g_autoptr(TenureTable) table = NULL;
  const TenureRow *header;
  int lease_col;
  int expiry_col;
  g_autofree char *where = NULL;

  if (path == NULL)
    return;
  book = tenure_xlsx_book_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tenure_xlsx_book_get_n_sheets (book), ==, 1);
  g_assert_cmpstr (tenure_xlsx_book_get_sheet_name (book, 0), ==, "Sheet1");
  g_assert_false (tenure_xlsx_book_get_date1904 (book));
  table = tenure_xlsx_book_read_sheet (book, "Sheet1", &error);
  g_assert_no_error (error);

  /* A header row and 7,512 leases. */
  g_assert_cmpuint (tenure_table_get_n_rows (table), ==, 7513);
  g_assert_cmpuint (tenure_table_get_n_columns (table), ==, 19);
  header = tenure_table_get_row (table, 0);
  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    g_assert_cmpstr (tenure_row_get_text (header, i), ==, headers[i]);
  tenure_table_set_header_row (table, 0);
  lease_col = tenure_table_lookup_column (table, "lease number");
  expiry_col = tenure_table_lookup_column (table, "Lease Expiration Date");
  g_assert_cmpint (lease_col, ==, 15);
  g_assert_cmpint (expiry_col, ==, 17);

  assert_text (table, 2, "A", "PA0656");
  assert_text (table, 2, "B", "THE GATEWAY BLDG");
  assert_number (table, 2, "E", 3);
  assert_text (table, 2, "I", "19601");       /* a zip code kept as text */
  assert_number (table, 2, "J", 40.33587);
  assert_number (table, 2, "K", -75.933271);
  g_assert_cmpstr (cell_at (table, 2, "K")->text, ==, "-75.933271000000005");
  assert_number (table, 2, "L", 54743);
  assert_empty (table, 2, "M");               /* the empty vacancy column */
  assert_text (table, 2, "N", "4206");
  assert_text (table, 2, "P", "LPA00132");
  assert_date (table, 2, "Q", 2020, 2, 12);   /* serial 43873 */
  assert_date (table, 2, "R", 2035, 2, 11);   /* serial 49351 */
  g_assert_cmpfloat (cell_at (table, 2, "Q")->number, ==, 43873);

  assert_text (table, 3, "B", "BLM NAT'L TRAIN CTR");
  assert_text (table, 3, "N", "0408");
  assert_date (table, 3, "Q", 2020, 11, 1);
  assert_date (table, 3, "R", 2032, 10, 31);

  assert_text (table, 101, "P", "LNC50006");
  assert_date (table, 101, "R", 2025, 8, 31);
  assert_text (table, 3758, "O", "SANFORD BISHOP");
  assert_date (table, 3758, "Q", 2004, 12, 22);

  /* The lease that expired in 2022 and is still listed. */
  assert_text (table, 4637, "A", "TX2465");
  assert_text (table, 4637, "P", "LTX17021");
  assert_date (table, 4637, "Q", 2012, 7, 15);
  assert_date (table, 4637, "R", 2022, 7, 14);

  assert_text (table, 7513, "A", "CA6395");
  assert_text (table, 7513, "G", "LOS ANGELES");
  assert_number (table, 7513, "L", 38789);
  assert_date (table, 7513, "R", 2028, 9, 30);
  g_assert_cmpuint (tenure_row_get_number (tenure_table_get_row (table, 7512)), ==, 7513);

  where = tenure_table_describe_cell (table, tenure_table_get_row (table, 4636), expiry_col);
  g_assert_cmpstr (where, ==, "gsa-iolp-leases-2025-06-20.xlsx, sheet Sheet1, row 4637, "
                              "column R (Lease Expiration Date)");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/io/xlsx/format-codes", test_format_codes);
  g_test_add_func ("/io/xlsx/handmade", test_handmade);
  g_test_add_func ("/io/xlsx/parts-without-relationship", test_parts_without_relationship);
  g_test_add_func ("/io/xlsx/libxlsxwriter", test_libxlsxwriter);
  g_test_add_func ("/io/xlsx/bad-files", test_bad_files);
  g_test_add_func ("/io/xlsx/size-limit", test_size_limit);
  g_test_add_func ("/io/xlsx/mutations", test_mutations);
  g_test_add_func ("/io/xlsx/gsa-leases", test_gsa_leases);

  return g_test_run ();
}
