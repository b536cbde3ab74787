/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-asset-import"

#include <locale.h>
#include <string.h>

#include "base/tenure-error.h"
#include "io/tenure-xlsx-reader.h"
#include "portfolio/tenure-asset-import.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

static TenureTestBackend backend;

/* One legal entity, two projects; project SH-XH01 has building A (code SH-XH01-A) with floors
 * B1 and 1F and one unit; GSA is the project the US workbook is imported into. */
static const char fixture_sql[] =
  "INSERT INTO legal_entity (code, name) VALUES ('LE-SH', '上海置业有限公司');"
  "INSERT INTO project (code, legal_entity_id, name, format, city) VALUES"
  " ('SH-XH01', 1, '徐汇中心', 'mall', '上海'),"
  " ('SH-PD02', 1, 'Pudong Tower', 'office', 'Shanghai'),"
  " ('GSA', 1, 'GSA leased buildings', 'office', NULL);"
  "INSERT INTO building (code, project_id, name, sort_order) VALUES"
  " ('SH-XH01-A', 1, 'A座', 1);"
  "INSERT INTO floor (code, building_id, name, sort_order) VALUES"
  " ('SH-XH01-A-B1', 1, 'B1', -1), ('SH-XH01-A-1F', 1, '1F', 1);"
  "INSERT INTO unit (code, floor_id, name, format, gfa_area_c, leasable_area_c) VALUES"
  " ('SH-XH01-A-1F-01', 2, '1F-01', 'mall', 15000, 12345);";

typedef struct
{
  char     *location;
  char     *tmpdir;
  TenureDb *db;
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fx->location = tenure_test_db_new_location (backend);
  if (fx->location == NULL)
    return;
  fx->db = tenure_db_open (fx->location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_exec (fx->db, fixture_sql, &error));
  g_assert_no_error (error);
  fx->tmpdir = tenure_test_make_tmpdir ();
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  if (fx->location == NULL)
    return;
  g_clear_object (&fx->db);
  tenure_test_db_drop_location (backend, fx->location);
  g_free (fx->location);
  tenure_test_rm_rf (fx->tmpdir);
  g_free (fx->tmpdir);
}

static char *
write_file (Fixture *fx, const char *name, const char *contents)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (fx->tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

static gint64
query_int (TenureDb *db, const char *sql)
{
  g_autoptr (GError) error = NULL;
  gint64 value = -1;

  g_assert_true (tenure_db_query_int64 (db, sql, &value, &error));
  g_assert_no_error (error);
  return value;
}

static TenureAssetPreview *
preview_file (Fixture *fx, const char *path, const TenureAssetMapping *mapping)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TenureTable) table = tenure_asset_import_read_file (path, NULL, &error);
  TenureAssetPreview *preview;

  g_assert_no_error (error);
  preview = tenure_asset_import_preview (fx->db, table, mapping, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preview);
  return preview;
}

static void
log_issues (const TenureAssetPreview *preview)
{
  for (guint i = 0; i < tenure_asset_preview_get_n_issues (preview); i++)
    {
      const TenureAssetIssue *issue = tenure_asset_preview_get_issue (preview, i);

      g_test_message ("issue %u: %s: %s", i, issue->location, issue->message);
    }
}

static const char clean_csv[] =
  "项目编码,楼栋,楼层,单元编码,名称,业态,建筑面积,可租面积,状态,报价,报价单位\n"
  "SH-XH01,A座,1F,SH-XH01-A-1F-02,1F-02,,\"1,234.56\",1000.5,可租,12.5,元/㎡/月\n"
  "SH-XH01,SH-XH01-A,B1,SH-XH01-A-B1-01,B1-01,商业,200,200,预留,,\n"
  "\n"
  "SH-XH01,C,12F,SH-XH01-C-12-01,,写字楼,300.25,,装修中,5.1234,元/㎡/天\n"
  "SH-XH01,C,B2,SH-XH01-C-B2-01,B2 仓库,Office,50,40,not for lease,,\n"
  "SH-PD02,T,3,SH-PD02-T-3-01,301,,88.8,88.8,,,\n";

/* A clean file: every row imported, buildings and floors created where missing, areas to
 * 0.01 m², defaults applied (the project's format, available, GFA as leasable). */
static void
test_clean_csv (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TenureAssetMapping) mapping = tenure_asset_mapping_new ();
  g_autofree char *path = NULL;
  g_autoptr (TenureAssetPreview) preview = NULL;
  g_autoptr (TenureStmt) stmt = NULL;
  TenureAssetImportResult result = { 0 };
  const TenureAssetRow *row;

  if (fx->db == NULL)
    return;
  path = write_file (fx, "units.csv", clean_csv);
  preview = preview_file (fx, path, mapping);
  log_issues (preview);
  g_assert_cmpuint (tenure_asset_preview_get_n_issues (preview), ==, 0);
  g_assert_cmpuint (tenure_asset_preview_get_n_rows (preview), ==, 5);
  g_assert_cmpuint (tenure_asset_preview_get_n_bad_rows (preview), ==, 0);
  /* C under SH-XH01 and T under SH-PD02; floors 12F, B2 of C, 3 of T. */
  g_assert_cmpuint (tenure_asset_preview_get_n_new_buildings (preview), ==, 2);
  g_assert_cmpuint (tenure_asset_preview_get_n_new_floors (preview), ==, 3);
  row = tenure_asset_preview_get_row (preview, 0);
  g_assert_cmpuint (row->row_number, ==, 2);
  g_assert_cmpint (row->gfa_area_c, ==, 123456);
  g_assert_cmpint (row->leasable_area_c, ==, 100050);
  g_assert_cmpint (row->asking_price_e4, ==, 125000);
  row = tenure_asset_preview_get_row (preview, 2);
  g_assert_cmpuint (row->row_number, ==, 5); /* the blank line 4 is skipped */
  g_assert_cmpstr (row->name, ==, "SH-XH01-C-12-01");
  g_assert_cmpint (row->leasable_area_c, ==, 30025);
  /* Nothing written by the preview. */
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit"), ==, 1);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM building"), ==, 1);

  g_assert_true (tenure_asset_import_apply (fx->db, preview, TENURE_ASSET_IMPORT_DEFAULT, NULL,
                                            NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.units, ==, 5);
  g_assert_cmpuint (result.buildings, ==, 2);
  g_assert_cmpuint (result.floors, ==, 3);
  g_assert_cmpuint (result.skipped_rows, ==, 0);

  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit"), ==, 6);
  stmt = tenure_db_prepare (fx->db,
                            "SELECT u.code, u.name, u.format, u.gfa_area_c, u.leasable_area_c,"
                            " u.stored_status, coalesce(u.asking_price_e4, -1),"
                            " u.asking_price_basis, f.code, f.sort_order, b.code, p.code"
                            " FROM unit u JOIN floor f ON f.id = u.floor_id"
                            " JOIN building b ON b.id = f.building_id"
                            " JOIN project p ON p.id = b.project_id"
                            " WHERE u.code <> 'SH-XH01-A-1F-01' ORDER BY u.code", &error);
  g_assert_no_error (error);
  {
    static const struct
    {
      const char *code, *name, *format;
      gint64 gfa, leasable;
      const char *status;
      gint64 price;
      const char *basis, *floor;
      gint64 floor_sort;
      const char *building, *project;
    } want[] = {
      { "SH-PD02-T-3-01", "301", "office", 8880, 8880, "available", -1, "per_m2_month",
        "SH-PD02-T-3", 3, "SH-PD02-T", "SH-PD02" },
      { "SH-XH01-A-1F-02", "1F-02", "mall", 123456, 100050, "available", 125000,
        "per_m2_month", "SH-XH01-A-1F", 1, "SH-XH01-A", "SH-XH01" },
      { "SH-XH01-A-B1-01", "B1-01", "mall", 20000, 20000, "reserved", -1, "per_m2_month",
        "SH-XH01-A-B1", -1, "SH-XH01-A", "SH-XH01" },
      { "SH-XH01-C-12-01", "SH-XH01-C-12-01", "office", 30025, 30025, "renovation", 51234,
        "per_m2_day", "SH-XH01-C-12F", 12, "SH-XH01-C", "SH-XH01" },
      { "SH-XH01-C-B2-01", "B2 仓库", "office", 5000, 4000, "not_for_lease", -1,
        "per_m2_month", "SH-XH01-C-B2", -2, "SH-XH01-C", "SH-XH01" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (want); i++)
      {
        g_assert_true (tenure_stmt_step (stmt, &error));
        g_assert_no_error (error);
        g_assert_cmpstr (tenure_stmt_column_text (stmt, 0), ==, want[i].code);
        g_assert_cmpstr (tenure_stmt_column_text (stmt, 1), ==, want[i].name);
        g_assert_cmpstr (tenure_stmt_column_text (stmt, 2), ==, want[i].format);
        g_assert_cmpint (tenure_stmt_column_int64 (stmt, 3), ==, want[i].gfa);
        g_assert_cmpint (tenure_stmt_column_int64 (stmt, 4), ==, want[i].leasable);
        g_assert_cmpstr (tenure_stmt_column_text (stmt, 5), ==, want[i].status);
        g_assert_cmpint (tenure_stmt_column_int64 (stmt, 6), ==, want[i].price);
        g_assert_cmpstr (tenure_stmt_column_text (stmt, 7), ==, want[i].basis);
        g_assert_cmpstr (tenure_stmt_column_text (stmt, 8), ==, want[i].floor);
        g_assert_cmpint (tenure_stmt_column_int64 (stmt, 9), ==, want[i].floor_sort);
        g_assert_cmpstr (tenure_stmt_column_text (stmt, 10), ==, want[i].building);
        g_assert_cmpstr (tenure_stmt_column_text (stmt, 11), ==, want[i].project);
      }
    g_assert_false (tenure_stmt_step (stmt, &error));
    g_assert_no_error (error);
  }
  /* Audited like any other write. */
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM audit_log WHERE table_name = 'unit'"
                                      " AND action = 'insert'"), ==, 6);
}

/* One file with every kind of error: each is listed with its row and column. */
static const char bad_csv[] =
  "Project Code,Building,Floor,Unit Code,Name,Format,GFA,Leasable Area,Status,Asking Price\n"
  "SH-XH01,A座,1F,OK-1,ok,,100,90,,\n"                     /* line 2: good */
  "NOPE,A座,1F,BAD-2,x,,100,90,,\n"                        /* 3: unknown project */
  "SH-XH01,A座,1F,OK-1,x,,100,90,,\n"                      /* 4: duplicate in file */
  "SH-XH01,A座,1F,SH-XH01-A-1F-01,x,,100,90,,\n"           /* 5: duplicate in database */
  "SH-XH01,A座,1F,BAD-6,x,,12a,90,,\n"                     /* 6: bad number */
  "SH-XH01,A座,1F,BAD-7,x,,-5,,,\n"                        /* 7: negative area */
  "SH-XH01,A座,1F,BAD-8,x,,100,120,,\n"                    /* 8: leasable > GFA */
  "SH-XH01,A座,,BAD-9,x,,100,90,,\n"                       /* 9: floor missing */
  "SH-XH01,A座,1F,BAD-10,x,,100,90,occupied,\n"            /* 10: unknown status */
  "SH-XH01,A座,1F,BAD-11,x,casino,100,90,,\n"              /* 11: unknown format */
  "SH-XH01,A座,1F,BAD-12,x,,100,90,已租,\n"                /* 12: leased is derived */
  "SH-XH01,A座,1F,BAD-13,x,,100,90,,-3\n"                  /* 13: negative price */
  "SH-XH01,A座,1F,BAD 14,x,,100,90,,\n"                    /* 14: space in code */
  "SH-XH01,A座,1F,,x,,,90,,\n"                             /* 15: code missing (2 errors?) */
  "SH-XH01,D,5F,OK-16,ok,,100.5,,,\n";                     /* 16: good, new building */

static void
test_errors_listed (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TenureAssetMapping) mapping = tenure_asset_mapping_new ();
  g_autofree char *path = NULL;
  g_autoptr (TenureAssetPreview) preview = NULL;
  TenureAssetImportResult result = { 0 };
  static const struct
  {
    guint row;
    int column;
    TenureAssetField field;
    const char *needle;
  } want[] = {
    { 3, 0, TENURE_ASSET_FIELD_PROJECT, "NOPE" },
    { 4, 3, TENURE_ASSET_FIELD_UNIT_CODE, "first on row 2" },
    { 5, 3, TENURE_ASSET_FIELD_UNIT_CODE, "already exists" },
    { 6, 6, TENURE_ASSET_FIELD_GFA, "12a" },
    { 7, 6, TENURE_ASSET_FIELD_GFA, "greater than zero" },
    { 8, 7, TENURE_ASSET_FIELD_LEASABLE, "larger than the gross floor area" },
    { 9, 2, TENURE_ASSET_FIELD_FLOOR, "missing" },
    { 10, 8, TENURE_ASSET_FIELD_STATUS, "occupied" },
    { 11, 5, TENURE_ASSET_FIELD_FORMAT, "casino" },
    { 12, 8, TENURE_ASSET_FIELD_STATUS, "contracts" },
    { 13, 9, TENURE_ASSET_FIELD_ASKING_PRICE, "negative" },
    { 14, 3, TENURE_ASSET_FIELD_UNIT_CODE, "space" },
    { 15, 3, TENURE_ASSET_FIELD_UNIT_CODE, "missing" },
  };

  if (fx->db == NULL)
    return;
  path = write_file (fx, "bad.csv", bad_csv);
  preview = preview_file (fx, path, mapping);
  log_issues (preview);
  g_assert_cmpuint (tenure_asset_preview_get_n_rows (preview), ==, 15);
  g_assert_cmpuint (tenure_asset_preview_get_n_bad_rows (preview), ==, 13);
  g_assert_cmpuint (tenure_asset_preview_get_n_issues (preview), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      const TenureAssetIssue *issue = tenure_asset_preview_get_issue (preview, i);
      g_autofree char *column_name = g_strdup_printf ("%d", want[i].column + 1);

      g_assert_cmpuint (issue->row_number, ==, want[i].row);
      g_assert_cmpint (issue->column, ==, want[i].column);
      g_assert_cmpint (issue->field, ==, want[i].field);
      g_assert_cmpstr (issue->column_name, ==, column_name);
      g_assert_nonnull (strstr (issue->message, want[i].needle));
      /* The reader's own wording of the place: file, line, column and header. */
      g_assert_true (g_str_has_prefix (issue->location, "bad.csv, line "));
      g_assert_nonnull (strstr (issue->location, issue->header));
    }
  g_assert_false (tenure_asset_preview_get_row (preview, 0)->ok == FALSE);

  /* Not clean: nothing is imported without the explicit choice. */
  g_assert_false (tenure_asset_import_apply (fx->db, preview, TENURE_ASSET_IMPORT_DEFAULT,
                                             NULL, NULL, NULL, &result, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "13 rows have errors"));
  g_clear_error (&error);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit"), ==, 1);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM building"), ==, 1);

  /* Leaving the bad rows out: exactly the two good ones, in one go. */
  g_assert_true (tenure_asset_import_apply (fx->db, preview, TENURE_ASSET_IMPORT_SKIP_BAD_ROWS,
                                            NULL, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.units, ==, 2);
  g_assert_cmpuint (result.skipped_rows, ==, 13);
  g_assert_cmpuint (result.buildings, ==, 1);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit"), ==, 3);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit WHERE code IN ('OK-1', 'OK-16')"
                                      " AND gfa_area_c IN (10000, 10050)"), ==, 2);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit WHERE code LIKE 'BAD%'"), ==, 0);
}

/* Another layout mapped by hand; a project given for the whole file; a missing column and an
 * unknown project are refused as a whole. */
static void
test_mapping (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TenureAssetMapping) mapping = tenure_asset_mapping_new ();
  g_autoptr (TenureAssetPreview) preview = NULL;
  g_autoptr (TenureTable) table = NULL;
  g_autofree char *path = NULL;
  g_autofree char *nofloor = NULL;
  const TenureAssetRow *row;

  if (fx->db == NULL)
    return;
  /* Headers in other spellings: case, inner spaces and full-width letters do not matter. */
  path = write_file (fx, "other.csv",
                     "Notes;ＢＵＩＬＤＩＮＧ;floor ;Room No.;  Gross  Floor Area ;From;To\n"
                     "x;A座;2F;R-201;1076.39;2023/3/15;45000\n");
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_UNIT_CODE, "room no.");
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_LEASE_START, "from");
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_LEASE_END, "to");
  tenure_asset_mapping_set_area_unit (mapping, TENURE_AREA_SQUARE_FOOT);

  table = tenure_asset_import_read_file (path, NULL, &error);
  g_assert_no_error (error);
  /* No project column and no constant: refused, naming the field. */
  g_assert_null (tenure_asset_import_preview (fx->db, table, mapping, NULL, NULL, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "project code"));
  g_clear_error (&error);

  tenure_asset_mapping_set_constant (mapping, TENURE_ASSET_FIELD_PROJECT, "NOPE");
  g_assert_null (tenure_asset_import_preview (fx->db, table, mapping, NULL, NULL, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NOPE"));
  g_clear_error (&error);

  tenure_asset_mapping_set_constant (mapping, TENURE_ASSET_FIELD_PROJECT, " SH-XH01 ");
  preview = tenure_asset_import_preview (fx->db, table, mapping, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  log_issues (preview);
  g_assert_cmpuint (tenure_asset_preview_get_n_issues (preview), ==, 0);
  g_assert_cmpint (tenure_asset_preview_get_column (preview, TENURE_ASSET_FIELD_GFA), ==, 4);
  g_assert_cmpint (tenure_asset_preview_get_column (preview, TENURE_ASSET_FIELD_PROJECT), ==, -1);
  row = tenure_asset_preview_get_row (preview, 0);
  g_assert_cmpstr (row->project_code, ==, "SH-XH01");
  g_assert_cmpstr (row->unit_code, ==, "R-201");
  /* 1076.39 ft² × 0.09290304 = 99.99998… m² → 100.00 m². */
  g_assert_cmpint (row->gfa_area_c, ==, 10000);
  g_assert_cmpint (row->lease_start, ==, tenure_date_from_ymd (2023, 3, 15));
  /* A bare serial number in a text file counts as an Excel date: 45000 is 2023-03-15. */
  g_assert_cmpint (row->lease_end, ==, tenure_date_from_ymd (2023, 3, 15));
  g_assert_cmpuint (tenure_asset_preview_get_n_new_floors (preview), ==, 1);

  /* A file without any floor column. */
  nofloor = write_file (fx, "nofloor.csv", "项目编码,楼栋,单元编码,建筑面积\nSH-XH01,A座,X-1,10\n");
  g_clear_pointer (&table, tenure_table_free);
  g_clear_pointer (&mapping, tenure_asset_mapping_free);
  mapping = tenure_asset_mapping_new ();
  table = tenure_asset_import_read_file (nofloor, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (tenure_asset_import_preview (fx->db, table, mapping, NULL, NULL, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nofloor.csv"));
  g_assert_nonnull (strstr (error->message, "楼层"));
  g_clear_error (&error);

  /* No header row at all. */
  g_clear_pointer (&table, tenure_table_free);
  g_free (nofloor);
  nofloor = write_file (fx, "noheader.csv", "a,b,c\n1,2,3\n");
  table = tenure_asset_import_read_file (nofloor, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (tenure_asset_import_preview (fx->db, table, mapping, NULL, NULL, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "header"));
}

typedef struct
{
  GCancellable *cancellable;
  double        cancel_at;
  guint         calls;
  double        last;
} Progress;

static void
progress_cb (double fraction, gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpfloat (fraction, >=, p->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  p->last = fraction;
  p->calls++;
  if (p->cancellable != NULL && fraction >= p->cancel_at)
    g_cancellable_cancel (p->cancellable);
}

/* Progress is reported; a cancel during the preview or the write leaves nothing behind. */
static void
test_progress_cancel (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TenureAssetMapping) mapping = tenure_asset_mapping_new ();
  g_autoptr (TenureAssetPreview) preview = NULL;
  g_autoptr (TenureTable) table = NULL;
  g_autoptr (GString) csv = g_string_new ("项目编码,楼栋,楼层,单元编码,建筑面积\n");
  g_autofree char *path = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Progress progress = { 0 };
  gint64 audit_before;

  if (fx->db == NULL)
    return;
  for (guint i = 0; i < 1500; i++)
    g_string_append_printf (csv, "SH-XH01,N%u,%uF,N-%04u,%u.5\n", i / 100, i % 10 + 1, i,
                            i + 1);
  path = write_file (fx, "many.csv", csv->str);
  table = tenure_asset_import_read_file (path, NULL, &error);
  g_assert_no_error (error);

  progress.cancellable = cancellable;
  progress.cancel_at = 0.5;
  g_assert_null (tenure_asset_import_preview (fx->db, table, mapping, progress_cb, &progress,
                                              cancellable, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CANCELLED);
  g_clear_error (&error);

  progress = (Progress) { 0 };
  preview = tenure_asset_import_preview (fx->db, table, mapping, progress_cb, &progress, NULL,
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpuint (progress.calls, >=, 5);
  g_assert_cmpfloat (progress.last, ==, 1.0);
  g_assert_cmpuint (tenure_asset_preview_get_n_issues (preview), ==, 0);
  g_assert_cmpuint (tenure_asset_preview_get_n_new_buildings (preview), ==, 15);
  g_assert_cmpuint (tenure_asset_preview_get_n_new_floors (preview), ==, 150);

  audit_before = query_int (fx->db, "SELECT count(*) FROM audit_log");
  g_cancellable_reset (cancellable);
  progress = (Progress) { cancellable, 0.6, 0, 0 };
  g_assert_false (tenure_asset_import_apply (fx->db, preview, TENURE_ASSET_IMPORT_DEFAULT,
                                             progress_cb, &progress, cancellable, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (progress.calls, >=, 3);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit"), ==, 1);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM building"), ==, 1);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM floor"), ==, 2);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM audit_log"), ==, audit_before);
  g_assert_cmpuint (tenure_db_get_transaction_depth (fx->db), ==, 0);

  /* Once more without cancelling: all 1,500 with their exact areas. */
  g_assert_true (tenure_asset_import_apply (fx->db, preview, TENURE_ASSET_IMPORT_DEFAULT, NULL,
                                            NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit"), ==, 1501);
  g_assert_cmpint (query_int (fx->db, "SELECT sum(gfa_area_c) FROM unit WHERE code LIKE 'N-%'"),
                   ==, 1500 * 1501 / 2 * 100 + 1500 * 50);
  /* Building N3 got the floors 1F..10F, sorted by number. */
  g_assert_cmpint (query_int (fx->db, "SELECT sum(f.sort_order) FROM floor f JOIN building b"
                                      " ON b.id = f.building_id WHERE b.name = 'N3'"), ==, 55);
}

/* Codes taken between preview and write: the whole import is refused, nothing written. */
static void
test_race (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TenureAssetMapping) mapping = tenure_asset_mapping_new ();
  g_autoptr (TenureAssetPreview) preview = NULL;
  g_autofree char *path = NULL;

  if (fx->db == NULL)
    return;
  path = write_file (fx, "race.csv", "项目编码,楼栋,楼层,单元编码,建筑面积\n"
                                     "SH-XH01,Z,1F,R-1,10\nSH-XH01,Z,1F,R-2,10\n");
  preview = preview_file (fx, path, mapping);
  g_assert_cmpuint (tenure_asset_preview_get_n_issues (preview), ==, 0);
  g_assert_true (tenure_db_exec (fx->db, "INSERT INTO unit (code, floor_id, name, format,"
                                         " gfa_area_c, leasable_area_c) VALUES"
                                         " ('R-2', 1, 'R-2', 'mall', 1, 1)", &error));
  g_assert_no_error (error);
  g_assert_false (tenure_asset_import_apply (fx->db, preview, TENURE_ASSET_IMPORT_DEFAULT, NULL,
                                             NULL, NULL, NULL, &error));
  /* The ledger's own check, inside the write transaction, names the row and the code. */
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Row 3, unit R-2: "));
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit"), ==, 2);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM building"), ==, 1);
}

/* The US GSA workbook (written by someone else): 7,512 leases, areas in square feet, dates as
 * Excel serial numbers formatted as dates. Lease number → unit code, rentable square feet →
 * area, asset name → building, one floor, the GSA project given for the whole file. */
static void
test_gsa_workbook (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = tenure_test_shared_data ("leases/gsa-iolp-leases-2025-06-20.xlsx");
  g_autoptr (TenureAssetMapping) mapping = tenure_asset_mapping_new ();
  g_autoptr (TenureAssetPreview) preview = NULL;
  g_autoptr (TenureTable) table = NULL;
  TenureAssetImportResult result = { 0 };
  const TenureAssetRow *row;
  const TenureAssetIssue *issue = NULL;
  guint zero = 0, dup = 0;
  TenureDate serial_day = TENURE_DATE_INVALID;
  gint64 t0, t1;

  if (fx->db == NULL || path == NULL)
    return;
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_UNIT_CODE, "Lease Number");
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_GFA,
                                   "Building Rentable Square Feet");
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_LEASABLE, NULL);
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_BUILDING,
                                   "Real Property Asset Name");
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_NAME, "Street Address");
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_LEASE_START,
                                   "Lease Effective Date");
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_LEASE_END,
                                   "Lease Expiration Date");
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_PROJECT, NULL);
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_FLOOR, NULL);
  tenure_asset_mapping_set_column (mapping, TENURE_ASSET_FIELD_STATUS, NULL);
  tenure_asset_mapping_set_constant (mapping, TENURE_ASSET_FIELD_PROJECT, "GSA");
  tenure_asset_mapping_set_constant (mapping, TENURE_ASSET_FIELD_FLOOR, "1");
  tenure_asset_mapping_set_area_unit (mapping, TENURE_AREA_SQUARE_FOOT);

  t0 = g_get_monotonic_time ();
  table = tenure_asset_import_read_file (path, NULL, &error);
  g_assert_no_error (error);
  t1 = g_get_monotonic_time ();
  preview = tenure_asset_import_preview (fx->db, table, mapping, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("GSA workbook (%s): read %.0f ms, preview %.0f ms",
                  tenure_test_backend_name (backend), (t1 - t0) / 1000.0,
                  (g_get_monotonic_time () - t1) / 1000.0);
  g_assert_cmpuint (tenure_asset_preview_get_n_rows (preview), ==, 7512);

  /* Row 2: LPA00132, THE GATEWAY BLDG, 201 PENN ST, 54,743 ft², effective 2020-02-12
   * (cell Q2 holds the serial 43873), expiring 2035-02-11 (R2: 49351). */
  row = tenure_asset_preview_get_row (preview, 0);
  g_assert_cmpuint (row->row_number, ==, 2);
  g_assert_true (row->ok);
  g_assert_cmpstr (row->unit_code, ==, "LPA00132");
  g_assert_cmpstr (row->building, ==, "THE GATEWAY BLDG");
  g_assert_cmpstr (row->name, ==, "201 PENN ST");
  g_assert_cmpstr (row->format, ==, "office");
  g_assert_cmpint (row->gfa_area_c, ==, 508579); /* 54743 × 0.09290304 = 5085.791… m² */
  g_assert_cmpint (row->leasable_area_c, ==, 508579);
  g_assert_cmpint (row->lease_start, ==, tenure_date_from_ymd (2020, 2, 12));
  g_assert_cmpint (row->lease_end, ==, tenure_date_from_ymd (2035, 2, 11));
  g_assert_true (tenure_date_from_excel_serial (43873, FALSE, &serial_day, &error));
  g_assert_cmpint (serial_day, ==, row->lease_start);
  g_assert_true (tenure_date_from_excel_serial (45000, FALSE, &serial_day, &error));
  g_assert_cmpint (serial_day, ==, tenure_date_from_ymd (2023, 3, 15));
  /* Row 100: LCA02094, 550 CORPORATE CENTER, 35,546.9 ft² (a fraction), 2009-02-23 to
   * 2026-10-31. */
  row = tenure_asset_preview_get_row (preview, 98);
  g_assert_cmpuint (row->row_number, ==, 100);
  g_assert_cmpstr (row->unit_code, ==, "LCA02094");
  g_assert_cmpint (row->gfa_area_c, ==, 330242); /* 3302.4158… m² */
  g_assert_cmpint (row->lease_start, ==, tenure_date_from_ymd (2009, 2, 23));
  g_assert_cmpint (row->lease_end, ==, tenure_date_from_ymd (2026, 10, 31));
  /* Row 4637: LTX17021, the lease that expired in 2022 and is still listed. */
  row = tenure_asset_preview_get_row (preview, 4635);
  g_assert_cmpuint (row->row_number, ==, 4637);
  g_assert_cmpstr (row->unit_code, ==, "LTX17021");
  g_assert_cmpint (row->lease_end, ==, tenure_date_from_ymd (2022, 7, 14));
  /* Row 7513, the last: LCA00282, 888 S FIGUEROA ST, 38,789 ft², 2018-10-01 to 2028-09-30. */
  row = tenure_asset_preview_get_row (preview, 7511);
  g_assert_cmpuint (row->row_number, ==, 7513);
  g_assert_cmpstr (row->unit_code, ==, "LCA00282");
  g_assert_cmpint (row->gfa_area_c, ==, 360362);
  g_assert_cmpint (row->lease_start, ==, tenure_date_from_ymd (2018, 10, 1));
  g_assert_cmpint (row->lease_end, ==, tenure_date_from_ymd (2028, 9, 30));

  /* The file's own problems: 172 leases with 0 rentable square feet and 51 repeated lease
   * numbers (LTX17098 alone on 9 rows: 35, 278, 1460, …), never both on one row. */
  g_assert_cmpuint (tenure_asset_preview_get_n_bad_rows (preview), ==, 223);
  g_assert_cmpuint (tenure_asset_preview_get_n_issues (preview), ==, 223);
  for (guint i = 0; i < tenure_asset_preview_get_n_issues (preview); i++)
    {
      issue = tenure_asset_preview_get_issue (preview, i);
      if (issue->field == TENURE_ASSET_FIELD_GFA && strstr (issue->message, "greater than zero"))
        {
          g_assert_cmpstr (issue->column_name, ==, "L");
          zero++;
        }
      else if (issue->field == TENURE_ASSET_FIELD_UNIT_CODE &&
               strstr (issue->message, "appears twice"))
        {
          g_assert_cmpstr (issue->column_name, ==, "P");
          dup++;
        }
    }
  g_assert_cmpuint (zero, ==, 172);
  g_assert_cmpuint (dup, ==, 51);
  /* Row 61: LTN02764 with 0 ft², the first of them. */
  for (guint i = 0; i < tenure_asset_preview_get_n_issues (preview); i++)
    {
      issue = tenure_asset_preview_get_issue (preview, i);
      if (issue->row_number == 61)
        break;
    }
  g_assert_cmpuint (issue->row_number, ==, 61);
  g_assert_cmpstr (issue->header, ==, "Building Rentable Square Feet");
  g_assert_cmpstr (issue->location, ==, "gsa-iolp-leases-2025-06-20.xlsx, sheet Sheet1, "
                                        "row 61, column L (Building Rentable Square Feet)");

  /* The good rows go in (on SQLite: the PostgreSQL run checks the preview only, for time). */
  if (backend != TENURE_TEST_SQLITE)
    return;
  t0 = g_get_monotonic_time ();
  g_assert_true (tenure_asset_import_apply (fx->db, preview, TENURE_ASSET_IMPORT_SKIP_BAD_ROWS,
                                            NULL, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_test_message ("GSA workbook: apply %.0f ms (%u units, %u buildings, %u floors)",
                  (g_get_monotonic_time () - t0) / 1000.0, result.units, result.buildings,
                  result.floors);
  g_assert_cmpuint (result.units, ==, 7512 - 223);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM unit u JOIN floor f ON f.id ="
                                      " u.floor_id JOIN building b ON b.id = f.building_id"
                                      " WHERE b.project_id = 3"), ==, 7512 - 223);
  g_assert_cmpint (query_int (fx->db, "SELECT gfa_area_c FROM unit WHERE code = 'LPA00132'"),
                   ==, 508579);
  g_assert_cmpint (query_int (fx->db, "SELECT count(*) FROM building b JOIN floor f ON"
                                      " f.building_id = b.id JOIN unit u ON u.floor_id = f.id"
                                      " WHERE b.name = '888 S FIGUEROA ST' AND"
                                      " u.code = 'LCA00282'"), ==, 1);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  backend = tenure_test_backend_from_args (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/asset-import/clean-csv", Fixture, NULL, fixture_set_up, test_clean_csv,
              fixture_tear_down);
  g_test_add ("/asset-import/errors-listed", Fixture, NULL, fixture_set_up, test_errors_listed,
              fixture_tear_down);
  g_test_add ("/asset-import/mapping", Fixture, NULL, fixture_set_up, test_mapping,
              fixture_tear_down);
  g_test_add ("/asset-import/progress-cancel", Fixture, NULL, fixture_set_up,
              test_progress_cancel, fixture_tear_down);
  g_test_add ("/asset-import/race", Fixture, NULL, fixture_set_up, test_race, fixture_tear_down);
  g_test_add ("/asset-import/gsa-workbook", Fixture, NULL, fixture_set_up, test_gsa_workbook,
              fixture_tear_down);
  return g_test_run ();
}
