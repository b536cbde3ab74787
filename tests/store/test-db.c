/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

/* TenureDb on both backends: run as db-sqlite (--backend=sqlite) and db-pg (--backend=pg,
 * inside tests/util/with-postgres.sh). */

#include "store/tenure-db-private.h"
#include "store/tenure-migrations.h"
#include "base/tenure-error.h"
#include "tenure-test-db.h"
#include "tenure-test-util.h"

#include <gio/gio.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static TenureTestBackend backend;

/* A fresh database (no schema migrations) and its location. */
typedef struct
{
  char     *location;
  TenureDb *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->location = tenure_test_db_new_location (backend);
  if (f->location == NULL)
    return;
  f->db = tenure_db_open_full (f->location, TENURE_DB_OPEN_CREATE, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->db);
  tenure_db_exec (f->db,
                  "CREATE TABLE t (id bigint NOT NULL PRIMARY KEY, a text, b bigint, "
                  "                code text UNIQUE, c bigint CHECK (c IS NULL OR c >= 0))",
                  &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  tenure_test_db_drop_location (backend, f->location);
  g_free (f->location);
}

#define SKIP_WITHOUT_DB(f) G_STMT_START { if ((f)->db == NULL) return; } G_STMT_END

static gint64
count_rows (TenureDb   *db,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 n = -1;

  tenure_db_query_int64 (db, sql, &n, &error);
  g_assert_no_error (error);
  return n;
}

static void
insert_row (TenureDb   *db,
            gint64      id,
            const char *code,
            GError    **error)
{
  g_autoptr(TenureStmt) stmt = tenure_db_prepare (db, "INSERT INTO t (id, code) VALUES ($1, $2)",
                                                  error);
  if (stmt == NULL)
    return;
  tenure_stmt_bind_int64 (stmt, 1, id);
  tenure_stmt_bind_text (stmt, 2, code);
  tenure_stmt_run (stmt, error);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, len);
}

/* ---- values ------------------------------------------------------------------------------- */

static void
test_placeholders (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) ins = NULL;
  g_autoptr(TenureStmt) sel = NULL;

  SKIP_WITHOUT_DB (f);
  /* Out of order, repeated, and one inside a string literal that must stay text. */
  ins = tenure_db_prepare (f->db,
                           "INSERT INTO t (id, a, b, code) VALUES ($2, '$1 and ''$2''', $2, $1)"
                           "  -- $3 in a comment", &error);
  g_assert_no_error (error);
  tenure_stmt_bind_text (ins, 1, "K-1");
  tenure_stmt_bind_int64 (ins, 2, 7);
  g_assert_true (tenure_stmt_run (ins, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tenure_stmt_changes (ins), ==, 1);

  sel = tenure_db_prepare (f->db, "SELECT id, a, b, code FROM t WHERE code = $1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tenure_stmt_column_count (sel), ==, 4);
  tenure_stmt_bind_text (sel, 1, "K-1");
  g_assert_true (tenure_stmt_step (sel, &error));
  g_assert_cmpint (tenure_stmt_column_int64 (sel, 0), ==, 7);
  g_assert_cmpstr (tenure_stmt_column_text (sel, 1), ==, "$1 and '$2'");
  g_assert_cmpint (tenure_stmt_column_int64 (sel, 2), ==, 7);
  g_assert_cmpstr (tenure_stmt_column_text (sel, 3), ==, "K-1");
  g_assert_false (tenure_stmt_step (sel, &error));
  g_assert_no_error (error);

  /* "$" inside a name is part of the name (SQLite allows it; PostgreSQL too). */
  g_assert_true (tenure_db_exec (f->db, "CREATE TABLE d (a$1 bigint)", &error));
  g_assert_no_error (error);
  {
    g_autoptr(TenureStmt) d = tenure_db_prepare (f->db, "INSERT INTO d (a$1) VALUES ($1)",
                                                 &error);
    g_assert_no_error (error);
    tenure_stmt_bind_int64 (d, 1, 5);
    g_assert_true (tenure_stmt_run (d, &error));
    g_assert_cmpint (count_rows (f->db, "SELECT a$1 FROM d"), ==, 5);
  }

  /* Many distinct statements (SQL with values in its text) while one stays in use. */
  for (int i = 0; i < 600; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT id + %d FROM t WHERE code = $1", i);
      g_autoptr(TenureStmt) many = tenure_db_prepare (f->db, sql, &error);

      g_assert_no_error (error);
      tenure_stmt_bind_text (many, 1, "K-1");
      g_assert_true (tenure_stmt_step (many, &error));
      g_assert_cmpint (tenure_stmt_column_int64 (many, 0), ==, 7 + i);
    }
  if (backend == TENURE_TEST_PG)
    g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM pg_prepared_statements"), <=,
                     300);
  tenure_stmt_reset (sel);
  tenure_stmt_bind_text (sel, 1, "K-1");
  g_assert_true (tenure_stmt_step (sel, &error));
  g_assert_cmpint (tenure_stmt_column_int64 (sel, 0), ==, 7);

  /* Reset and reuse with another value: no row. */
  tenure_stmt_reset (sel);
  tenure_stmt_bind_text (sel, 1, "nope");
  g_assert_false (tenure_stmt_step (sel, &error));
  g_assert_no_error (error);
}

static void
test_int64_extremes (Fixture       *f,
                     gconstpointer  data)
{
  const gint64 values[] = { G_MININT64, G_MININT64 + 1, -1, 0, 1,
                            (G_GINT64_CONSTANT (1) << 53) + 1, G_MAXINT64 - 1, G_MAXINT64 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) ins = NULL;
  g_autoptr(TenureStmt) sel = NULL;
  gsize i = 0;

  SKIP_WITHOUT_DB (f);
  ins = tenure_db_prepare (f->db, "INSERT INTO t (id, b) VALUES ($1, $2)", &error);
  g_assert_no_error (error);
  for (i = 0; i < G_N_ELEMENTS (values); i++)
    {
      tenure_stmt_reset (ins);
      tenure_stmt_bind_int64 (ins, 1, (gint64) i);
      tenure_stmt_bind_int64 (ins, 2, values[i]);
      g_assert_true (tenure_stmt_run (ins, &error));
      g_assert_no_error (error);
    }

  sel = tenure_db_prepare (f->db, "SELECT b, b = $1 FROM t ORDER BY id", &error);
  g_assert_no_error (error);
  /* Bound on the way in and compared in SQL, read on the way out. */
  tenure_stmt_bind_int64 (sel, 1, G_MAXINT64);
  for (i = 0; tenure_stmt_step (sel, &error); i++)
    {
      g_assert_cmpint (tenure_stmt_column_int64 (sel, 0), ==, values[i]);
      g_assert_cmpint (tenure_stmt_column_int64 (sel, 1), ==, values[i] == G_MAXINT64);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (values));
  g_assert_cmpint (count_rows (f->db, "SELECT sum (b / 1000000) FROM t WHERE b > 0"), ==,
                   G_MAXINT64 / 1000000 + (G_MAXINT64 - 1) / 1000000 + 1 / 1000000
                   + ((G_GINT64_CONSTANT (1) << 53) + 1) / 1000000);
}

static void
test_text (Fixture       *f,
           gconstpointer  data)
{
  const char *texts[] = {
    "上海陆家嘴中心 3F-301 租户：张三",
    "O'Brien \"quoted\" \\backslash; DROP TABLE t; --",
    "line one\nline two\ttab",
    "",
    "😀 emoji and 全角（括号）",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) ins = NULL;
  g_autoptr(TenureStmt) sel = NULL;
  gsize i;

  SKIP_WITHOUT_DB (f);
  ins = tenure_db_prepare (f->db, "INSERT INTO t (id, a) VALUES ($1, $2)", &error);
  g_assert_no_error (error);
  for (i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      tenure_stmt_reset (ins);
      tenure_stmt_bind_int64 (ins, 1, (gint64) i);
      tenure_stmt_bind_text (ins, 2, texts[i]);
      g_assert_true (tenure_stmt_run (ins, &error));
      g_assert_no_error (error);
    }
  sel = tenure_db_prepare (f->db, "SELECT a, length (a) FROM t ORDER BY id", &error);
  g_assert_no_error (error);
  for (i = 0; tenure_stmt_step (sel, &error); i++)
    {
      g_assert_false (tenure_stmt_column_is_null (sel, 0));
      g_assert_cmpstr (tenure_stmt_column_text (sel, 0), ==, texts[i]);
      /* Characters, not bytes: both sides see UTF-8. */
      g_assert_cmpint (tenure_stmt_column_int64 (sel, 1), ==, g_utf8_strlen (texts[i], -1));
    }
  g_assert_no_error (error);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (texts));
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t WHERE a LIKE '%陆家嘴%'"), ==, 1);
}

static void
test_nulls (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) ins = NULL;
  g_autoptr(TenureStmt) sel = NULL;

  SKIP_WITHOUT_DB (f);
  ins = tenure_db_prepare (f->db, "INSERT INTO t (id, a, b, code) VALUES ($1, $2, $3, $4)",
                           &error);
  g_assert_no_error (error);
  tenure_stmt_bind_int64 (ins, 1, 1);
  tenure_stmt_bind_text (ins, 2, NULL);
  tenure_stmt_bind_null (ins, 3);
  tenure_stmt_bind_text (ins, 4, "");
  g_assert_true (tenure_stmt_run (ins, &error));
  g_assert_no_error (error);

  sel = tenure_db_prepare (f->db, "SELECT a, b, code, a IS NULL, code IS NULL FROM t", &error);
  g_assert_no_error (error);
  g_assert_true (tenure_stmt_step (sel, &error));
  g_assert_true (tenure_stmt_column_is_null (sel, 0));
  g_assert_null (tenure_stmt_column_text (sel, 0));
  g_assert_true (tenure_stmt_column_is_null (sel, 1));
  g_assert_cmpint (tenure_stmt_column_int64 (sel, 1), ==, 0);
  /* The empty string is not NULL. */
  g_assert_false (tenure_stmt_column_is_null (sel, 2));
  g_assert_cmpstr (tenure_stmt_column_text (sel, 2), ==, "");
  g_assert_cmpint (tenure_stmt_column_int64 (sel, 3), ==, 1);
  g_assert_cmpint (tenure_stmt_column_int64 (sel, 4), ==, 0);

  /* A query without a row is an error for query_int64. */
  g_assert_false (tenure_db_query_int64 (f->db, "SELECT b FROM t WHERE id = 99", NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
}

static void
test_changes (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) upd = NULL;

  SKIP_WITHOUT_DB (f);
  for (int i = 1; i <= 5; i++)
    {
      g_autofree char *code = g_strdup_printf ("C%d", i);
      insert_row (f->db, i, code, &error);
      g_assert_no_error (error);
    }
  upd = tenure_db_prepare (f->db, "UPDATE t SET b = $1 WHERE id > $2", &error);
  g_assert_no_error (error);
  tenure_stmt_bind_int64 (upd, 1, 42);
  tenure_stmt_bind_int64 (upd, 2, 2);
  g_assert_true (tenure_stmt_run (upd, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tenure_stmt_changes (upd), ==, 3);
  g_assert_cmpint (count_rows (f->db, "SELECT sum (b) FROM t"), ==, 3 * 42);

  /* RETURNING hands back the rows it wrote; a SELECT changes nothing. */
  {
    g_autoptr(TenureStmt) ret = NULL;
    g_autoptr(TenureStmt) sel = NULL;
    gint64 sum = 0;
    guint rows = 0;

    ret = tenure_db_prepare (f->db, "UPDATE t SET b = b + 1 WHERE id <= $1 RETURNING id, b",
                             &error);
    g_assert_no_error (error);
    tenure_stmt_bind_int64 (ret, 1, 3);
    while (tenure_stmt_step (ret, &error))
      {
        sum += tenure_stmt_column_int64 (ret, 1);
        rows++;
      }
    g_assert_no_error (error);
    g_assert_cmpuint (rows, ==, 3);
    g_assert_cmpint (sum, ==, 43); /* ids 1 and 2 hold NULL, and NULL + 1 stays NULL */
    g_assert_cmpint (tenure_stmt_changes (ret), ==, 3);

    sel = tenure_db_prepare (f->db, "SELECT id FROM t", &error);
    g_assert_true (tenure_stmt_run (sel, &error));
    g_assert_cmpint (tenure_stmt_changes (sel), ==, 0);
  }
}

static void
test_double (Fixture       *f,
             gconstpointer  data)
{
  const double values[] = { 0.1, -1234567.125, 1e-300, 6.02214076e23, 0.0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) ins = NULL;
  g_autoptr(TenureStmt) sel = NULL;
  gsize i;

  SKIP_WITHOUT_DB (f);
  tenure_db_exec (f->db, "CREATE TABLE r (id bigint PRIMARY KEY, x double precision)", &error);
  g_assert_no_error (error);
  ins = tenure_db_prepare (f->db, "INSERT INTO r (id, x) VALUES ($1, $2)", &error);
  g_assert_no_error (error);
  for (i = 0; i < G_N_ELEMENTS (values); i++)
    {
      tenure_stmt_reset (ins);
      tenure_stmt_bind_int64 (ins, 1, (gint64) i);
      tenure_stmt_bind_double (ins, 2, values[i]);
      g_assert_true (tenure_stmt_run (ins, &error));
      g_assert_no_error (error);
    }
  sel = tenure_db_prepare (f->db, "SELECT x FROM r ORDER BY id", &error);
  for (i = 0; tenure_stmt_step (sel, &error); i++)
    g_assert_cmpfloat (tenure_stmt_column_double (sel, 0), ==, values[i]);
  g_assert_no_error (error);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (values));
}

/* ---- transactions ------------------------------------------------------------------------- */

static void
test_savepoints (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_DB (f);
  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 1, "outer", &error);
  g_assert_no_error (error);

  g_assert_true (tenure_db_begin (f->db, &error));
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 2);
  insert_row (f->db, 2, "inner-undone", &error);
  g_assert_no_error (error);
  tenure_db_rollback (f->db);
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 1);

  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 3, "inner-kept", &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 4, "innermost-kept", &error);
  g_assert_true (tenure_db_commit (f->db, &error));
  g_assert_true (tenure_db_commit (f->db, &error));
  g_assert_true (tenure_db_commit (f->db, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 0);

  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 3);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t WHERE id = 2"), ==, 0);

  /* Rolling back the outermost level undoes inner levels that were committed. */
  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 10, "gone", &error);
  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 11, "gone too", &error);
  g_assert_true (tenure_db_commit (f->db, &error));
  g_assert_no_error (error);
  tenure_db_rollback (f->db);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 3);
}

static void
test_constraint (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) check = NULL;

  SKIP_WITHOUT_DB (f);
  insert_row (f->db, 1, "A", &error);
  g_assert_no_error (error);

  /* Unique violation in a transaction: the error, then a clean rollback. */
  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 2, "B", &error);
  g_assert_no_error (error);
  insert_row (f->db, 3, "A", &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
  g_test_message ("constraint message: %s", error->message);
  g_clear_error (&error);
  tenure_db_rollback (f->db);
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 0);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 1);

  /* Inside a savepoint: the outer work goes on after the inner level rolls back. */
  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 2, "B", &error);
  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 1, "dup-id", &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
  g_clear_error (&error);
  tenure_db_rollback (f->db);
  insert_row (f->db, 3, "C", &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_commit (f->db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 3);

  /* CHECK and NOT NULL are constraints too. */
  check = tenure_db_prepare (f->db, "UPDATE t SET c = $1 WHERE id = 1", &error);
  g_assert_no_error (error);
  tenure_stmt_bind_int64 (check, 1, -5);
  g_assert_false (tenure_stmt_run (check, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (tenure_db_exec (f->db, "INSERT INTO t (id) VALUES (NULL)", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
}

/* A second writer is told the database is busy, and gets in once the first one is done. */
static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db2 = NULL;
  g_autoptr(TenureStmt) upd = NULL;

  SKIP_WITHOUT_DB (f);
  insert_row (f->db, 1, "A", &error);
  g_assert_no_error (error);
  db2 = tenure_db_open_full (f->location, TENURE_DB_OPEN_DEFAULT, 0, &error);
  g_assert_no_error (error);
  /* Wait 0.2 s rather than the default 5 s before giving up. */
  g_assert_true (tenure_db_exec (db2, backend == TENURE_TEST_SQLITE
                                        ? "PRAGMA busy_timeout = 200"
                                        : "SET lock_timeout = '200ms'", &error));

  g_assert_true (tenure_db_begin (f->db, &error));
  g_assert_true (tenure_db_exec (f->db, "UPDATE t SET b = 1 WHERE id = 1", &error));
  g_assert_no_error (error);

  if (backend == TENURE_TEST_SQLITE)
    {
      /* BEGIN IMMEDIATE asks for the write lock up front. */
      g_assert_false (tenure_db_begin (db2, &error));
      g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_BUSY);
      g_assert_cmpuint (tenure_db_get_transaction_depth (db2), ==, 0);
    }
  else
    {
      g_assert_true (tenure_db_begin (db2, &error));
      g_assert_false (tenure_db_exec (db2, "UPDATE t SET b = 2 WHERE id = 1", &error));
      g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_BUSY);
      tenure_db_rollback (db2);
    }
  g_test_message ("busy: %s", error->message);
  g_clear_error (&error);
  g_assert_true (tenure_db_commit (f->db, &error));
  g_assert_no_error (error);

  g_assert_true (tenure_db_begin (db2, &error));
  upd = tenure_db_prepare (db2, "UPDATE t SET b = b + $1 WHERE id = 1", &error);
  tenure_stmt_bind_int64 (upd, 1, 10);
  g_assert_true (tenure_stmt_run (upd, &error));
  g_assert_true (tenure_db_commit (db2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->db, "SELECT b FROM t WHERE id = 1"), ==, 11);
}

/* A read snapshot sees the database as it was at its first read, whatever another connection
 * commits meanwhile; nested snapshots share it; nothing can be written inside one; a failed
 * statement does not keep it open; inside a write transaction it changes nothing. */
static void
test_read_snapshot (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db2 = NULL;

  SKIP_WITHOUT_DB (f);
  insert_row (f->db, 1, "A", &error);
  g_assert_no_error (error);
  db2 = tenure_db_open_full (f->location, TENURE_DB_OPEN_DEFAULT, 0, &error);
  g_assert_no_error (error);

  g_assert_true (tenure_db_begin_read (f->db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 1);
  insert_row (db2, 2, "B", &error);            /* committed on the other connection */
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (db2, "SELECT count (*) FROM t"), ==, 2);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 1);
  g_assert_true (tenure_db_begin_read (f->db, &error));   /* nested: the same snapshot */
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 1);
  g_assert_false (tenure_db_begin (f->db, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB);
  g_clear_error (&error);
  tenure_db_end_read (f->db);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 1);
  tenure_db_end_read (f->db);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 2);
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 0);

  /* A statement that fails inside the snapshot: ending it leaves the connection usable. */
  g_assert_true (tenure_db_begin_read (f->db, &error));
  g_assert_false (tenure_db_exec (f->db, "SELECT * FROM no_such_table", &error));
  g_clear_error (&error);
  tenure_db_end_read (f->db);
  insert_row (f->db, 3, "C", &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 3);

  /* Inside a write transaction: the transaction's own view, writes still allowed. */
  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 4, "D", &error);
  g_assert_true (tenure_db_begin_read (f->db, &error));
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 4);
  tenure_db_end_read (f->db);
  g_assert_true (tenure_db_commit (f->db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (db2, "SELECT count (*) FROM t"), ==, 4);
}

/* After a failed statement a transaction level only rolls back, on both backends. */
static void
test_failed_statement (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) stmt = NULL;

  SKIP_WITHOUT_DB (f);
  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 1, "A", &error);
  g_assert_no_error (error);
  insert_row (f->db, 2, "A", &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
  g_clear_error (&error);

  /* Everything else at this level is refused… */
  insert_row (f->db, 3, "C", &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB);
  g_clear_error (&error);
  g_assert_false (tenure_db_begin (f->db, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB);
  g_clear_error (&error);
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 1);

  /* …and a commit undoes the level instead of saving half of it. */
  g_assert_false (tenure_db_commit (f->db, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB);
  g_test_message ("commit after failure: %s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 0);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 0);

  /* Outside a transaction a failure spoils nothing. */
  insert_row (f->db, 1, "A", &error);
  insert_row (f->db, 2, "A", &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
  g_clear_error (&error);
  insert_row (f->db, 3, "C", &error);
  g_assert_no_error (error);

  /* A failed inner level committed: that level is undone, the outer one goes on. */
  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 4, "D", &error);
  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 5, "E", &error);
  g_assert_no_error (error);
  stmt = tenure_db_prepare (f->db, "SELECT no_such_column FROM t", &error);
  g_assert_null (stmt);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB);
  g_clear_error (&error);
  g_assert_false (tenure_db_commit (f->db, &error));
  g_clear_error (&error);
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 1);
  insert_row (f->db, 6, "F", &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_commit (f->db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 4);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t WHERE id = 5"), ==, 0);
}

/* Foreign keys are on, and a commit that fails (a deferred check) leaves nothing behind. */
static void
test_failed_commit (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_DB (f);
  tenure_db_exec (f->db,
                  "CREATE TABLE child (id bigint PRIMARY KEY, "
                  "  t_id bigint NOT NULL REFERENCES t (id));"
                  "CREATE TABLE late (id bigint PRIMARY KEY, "
                  "  t_id bigint REFERENCES t (id) DEFERRABLE INITIALLY DEFERRED)", &error);
  g_assert_no_error (error);

  g_assert_false (tenure_db_exec (f->db, "INSERT INTO child VALUES (1, 999)", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
  g_clear_error (&error);

  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 1, "A", &error);
  g_assert_true (tenure_db_exec (f->db, "INSERT INTO late VALUES (1, 999)", &error));
  g_assert_no_error (error);
  g_assert_false (tenure_db_commit (f->db, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 0);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 0);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM late"), ==, 0);

  /* And the database takes a new transaction. */
  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 1, "A", &error);
  g_assert_true (tenure_db_commit (f->db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 1);
}

/* ---- open --------------------------------------------------------------------------------- */

static void
test_open_info (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *def = tenure_db_default_location ();
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_DB (f);
  g_assert_true (g_str_has_prefix (def, g_get_user_data_dir ()));
  g_assert_true (g_str_has_suffix (def, "/tenure/tenure.db"));

  if (backend == TENURE_TEST_SQLITE)
    {
      gint64 n = 0;
      g_autoptr(TenureStmt) stmt = NULL;
      g_autoptr(TenureDb) again = NULL;
      g_autofree char *prefixed = g_strconcat ("sqlite:", f->location, NULL);

      g_assert_cmpint (tenure_db_get_kind (f->db), ==, TENURE_DB_SQLITE);
      g_assert_cmpstr (tenure_db_get_display_name (f->db), ==, f->location);
      g_assert_cmpstr (tenure_db_get_actor (f->db), ==, g_get_user_name ());

      stmt = tenure_db_prepare (f->db, "SELECT tenure_sha256 ($1), tenure_actor (), "
                                       "tenure_now (), tenure_sha256 (NULL)", &error);
      g_assert_no_error (error);
      tenure_stmt_bind_text (stmt, 1, "abc");
      g_assert_true (tenure_stmt_step (stmt, &error));
      g_assert_cmpstr (tenure_stmt_column_text (stmt, 0), ==,
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
      g_assert_cmpstr (tenure_stmt_column_text (stmt, 1), ==, g_get_user_name ());
      g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$",
                                           tenure_stmt_column_text (stmt, 2), 0, 0));
      g_assert_true (tenure_stmt_column_is_null (stmt, 3));

      stmt = (tenure_stmt_free (stmt), NULL);
      stmt = tenure_db_prepare (f->db, "PRAGMA journal_mode", &error);
      g_assert_true (tenure_stmt_step (stmt, &error));
      g_assert_cmpstr (tenure_stmt_column_text (stmt, 0), ==, "wal");
      g_assert_true (tenure_db_query_int64 (f->db, "PRAGMA foreign_keys", &n, &error));
      g_assert_cmpint (n, ==, 1);

      /* sqlite:PATH opens the same file. */
      again = tenure_db_open_full (prefixed, TENURE_DB_OPEN_DEFAULT, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpint (count_rows (again, "SELECT count (*) FROM t"), ==, 0);
    }
  else
    {
      g_assert_cmpint (tenure_db_get_kind (f->db), ==, TENURE_DB_POSTGRESQL);
      g_assert_cmpstr (tenure_db_get_actor (f->db), ==, "postgres");
      g_assert_true (g_regex_match_simple ("^postgres@/.+:5432/t_\\d+_\\d+$",
                                           tenure_db_get_display_name (f->db), 0, 0));
    }
}

/* tenure_db_open () brings a new database to the newest schema this build knows. */
static void
test_open_migrates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autofree char *location = tenure_test_db_new_location (backend);

  if (location == NULL)
    return;
  db = tenure_db_open (location, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_db_get_schema_version (db), ==, tenure_db_latest_schema_version ());
  g_clear_object (&db);

  /* Opening again finds it current. */
  db = tenure_db_open (location, TENURE_DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_db_get_schema_version (db), ==, tenure_db_latest_schema_version ());
  g_clear_object (&db);
  tenure_test_db_drop_location (backend, location);
}

static void
test_locations (void)
{
  static const struct
  {
    const char *location;
    const char *sqlite_path; /* NULL: PostgreSQL */
  } cases[] = {
    { "/var/lib/tenure/tenure.db", "/var/lib/tenure/tenure.db" },
    { "relative/tenure.db", "relative/tenure.db" },
    { "sqlite:/srv/t.db", "/srv/t.db" },
    { "sqlite:///srv/t.db", "/srv/t.db" },
    { "sqlite:t.db", "t.db" },
    { "/data/a=b.db", "/data/a=b.db" },
    { "postgresql://u@db.example.com/tenure", NULL },
    { "postgres://db.example.com:5433/tenure", NULL },
    { "host=db.example.com dbname=tenure", NULL },
    { "dbname = tenure", NULL },
  };
  g_autofree char *def = tenure_db_location_sqlite_path (NULL);
  g_autofree char *empty = tenure_db_location_sqlite_path ("");
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "tenure", "tenure.db",
                                                NULL);

  g_assert_cmpstr (def, ==, expected);
  g_assert_cmpstr (empty, ==, expected);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = tenure_db_location_sqlite_path (cases[i].location);
      g_assert_cmpstr (path, ==, cases[i].sqlite_path);
    }
}

/* A missing file without TENURE_DB_OPEN_CREATE, and the folder made with it. */
static void
test_open_missing (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;

  dir = tenure_test_make_tmpdir ();
  path = g_build_filename (dir, "sub", "folder", "tenure.db", NULL);
  db = tenure_db_open_full (path, TENURE_DB_OPEN_DEFAULT, 0, &error);
  g_assert_null (db);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  db = tenure_db_open_full (path, TENURE_DB_OPEN_CREATE, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_clear_object (&db);
  tenure_test_rm_rf (dir);
}

/* Opens PATH, expects DB_NOT_DATABASE and checks the file kept every byte and no journal or WAL
 * appeared beside it. */
static void
assert_refused_untouched (const char *path)
{
  g_autofree char *before = file_checksum (path);
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;

  db = tenure_db_open_full (path, TENURE_DB_OPEN_CREATE, -1, &error);
  g_assert_null (db);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_NOT_DATABASE);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

static void
make_sample_db (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_db_open_full (path, TENURE_DB_OPEN_CREATE, 0, &error);

  g_assert_no_error (error);
  tenure_db_exec (db, "PRAGMA journal_mode=DELETE;"
                      "CREATE TABLE big (id INTEGER PRIMARY KEY, v text);"
                      "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                      "                         WHERE i < 2000) "
                      "INSERT INTO big SELECT i, printf ('%0100d', i) FROM n", &error);
  g_assert_no_error (error);
}


static gpointer
open_in_thread (gpointer data)
{
  GError *error = NULL;
  TenureDb *db = tenure_db_open (data, TENURE_DB_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return db;
}

/* Another program holds a new file's exclusive lock for longer than one statement waits
 * (5 s): opening keeps trying and sets the database up once the file is free. */
static void
test_open_waits_for_busy (void)
{
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "shared.db", NULL);
  g_autoptr(TenureDb) db = NULL;
  sqlite3 *holder = NULL;
  GThread *opener;
  gint64 start = g_get_monotonic_time ();
  gint64 version = 0;

  g_assert_cmpint (sqlite3_open (path, &holder), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (holder, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);
  opener = g_thread_new ("opener", open_in_thread, path);
  g_usleep (6500 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (sqlite3_exec (holder, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  db = g_thread_join (opener);
  g_assert_nonnull (db);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 6500 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (tenure_db_query_int64 (db, "SELECT max (version) FROM schema_migrations",
                                        &version, NULL));
  g_assert_cmpint (version, ==, tenure_migrations_latest_version ());
  sqlite3_close (holder);
}

static void
test_not_database (void)
{
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autofree char *hello = g_build_filename (dir, "hello.db", NULL);
  g_autofree char *truncated = g_build_filename (dir, "truncated.db", NULL);
  g_autofree char *garbled = g_build_filename (dir, "garbled.db", NULL);
  g_autofree char *badpage = g_build_filename (dir, "badpage.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_file_set_contents (hello, "hello", -1, &error);
  g_assert_no_error (error);
  assert_refused_untouched (hello);

  make_sample_db (truncated);
  g_file_get_contents (truncated, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 100000);

  /* Cut in the middle: the header promises more pages than the file has. */
  g_file_set_contents (truncated, contents, (gssize) (len / 2), &error);
  g_assert_no_error (error);
  assert_refused_untouched (truncated);

  /* Page 1 (the schema) overwritten after the 100-byte header. */
  memset (contents + 100, 0xa5, 3000);
  g_file_set_contents (garbled, contents, (gssize) len, &error);
  g_assert_no_error (error);
  assert_refused_untouched (garbled);

  /* A header that names an impossible page size. */
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (truncated, &contents, &len, &error);
  g_assert_no_error (error);
  contents[16] = 0x03;
  contents[17] = 0x01;
  g_file_set_contents (badpage, contents, (gssize) len, &error);
  g_assert_no_error (error);
  assert_refused_untouched (badpage);

  tenure_test_rm_rf (dir);
}

/* Runs in a subprocess: as root, first becomes nobody so that permissions count. */
static void
drop_root (void)
{
  if (getuid () == 0)
    {
      g_assert_cmpint (setgid (65534), ==, 0);
      g_assert_cmpint (setuid (65534), ==, 0);
    }
}

static void
read_only_child (void)
{
  const char *folder_db = g_getenv ("TENURE_TEST_RO_FOLDER_DB");
  const char *file_db = g_getenv ("TENURE_TEST_RO_FILE_DB");
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;

  drop_root ();

  /* A new database in a folder nobody may write. */
  db = tenure_db_open_full (folder_db, TENURE_DB_OPEN_CREATE, 0, &error);
  g_assert_null (db);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "ro-folder"));
  g_printerr ("%s\n", error->message);
  g_clear_error (&error);

  /* An existing database file that is read-only. */
  db = tenure_db_open_full (file_db, TENURE_DB_OPEN_DEFAULT, 0, &error);
  g_assert_null (db);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_READ_ONLY);
  g_assert_nonnull (strstr (error->message, file_db));
  g_printerr ("%s\n", error->message);
}

static void
test_read_only (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *ro_dir = NULL;
  g_autofree char *folder_db = NULL;
  g_autofree char *rw_dir = NULL;
  g_autofree char *file_db = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (g_test_subprocess ())
    {
      read_only_child ();
      return;
    }
  dir = tenure_test_make_tmpdir ();
  ro_dir = g_build_filename (dir, "ro-folder", NULL);
  folder_db = g_build_filename (ro_dir, "tenure.db", NULL);
  rw_dir = g_build_filename (dir, "rw-folder", NULL);
  file_db = g_build_filename (rw_dir, "tenure.db", NULL);

  g_assert_cmpint (g_mkdir (ro_dir, 0555), ==, 0);
  g_assert_cmpint (g_mkdir (rw_dir, 0777), ==, 0);
  g_assert_cmpint (g_chmod (rw_dir, 0777), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  make_sample_db (file_db);
  g_assert_cmpint (g_chmod (file_db, 0444), ==, 0);
  before = file_checksum (file_db);

  g_setenv ("TENURE_TEST_RO_FOLDER_DB", folder_db, TRUE);
  g_setenv ("TENURE_TEST_RO_FILE_DB", file_db, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*cannot be written*cannot be written*");

  after = file_checksum (file_db);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (g_file_test (folder_db, G_FILE_TEST_EXISTS));
  g_chmod (ro_dir, 0755);
  tenure_test_rm_rf (dir);
}

static void
test_full (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureStmt) ins = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *filler = g_strnfill (3000, 'x');
  gint64 pages = 0;
  int i;

  SKIP_WITHOUT_DB (f);
  for (i = 1; i <= 50; i++)
    {
      g_autofree char *code = g_strdup_printf ("C%d", i);
      insert_row (f->db, i, code, &error);
      g_assert_no_error (error);
    }
  /* The file may not grow any more: exactly what a full disk does to SQLite. */
  g_assert_true (tenure_db_query_int64 (f->db, "PRAGMA page_count", &pages, &error));
  sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 2);
  g_assert_true (tenure_db_exec (f->db, sql, &error));

  g_assert_true (tenure_db_begin (f->db, &error));
  ins = tenure_db_prepare (f->db, "INSERT INTO t (id, a) VALUES ($1, $2)", &error);
  g_assert_no_error (error);
  for (i = 100; i < 1000; i++)
    {
      tenure_stmt_reset (ins);
      tenure_stmt_bind_int64 (ins, 1, i);
      tenure_stmt_bind_text (ins, 2, filler);
      if (!tenure_stmt_run (ins, &error))
        break;
    }
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_FULL);
  g_assert_nonnull (strstr (error->message, f->location));
  g_assert_cmpint (i, >, 100);
  tenure_db_rollback (f->db);
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 0);

  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t"), ==, 50);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t WHERE id >= 100"), ==, 0);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM t WHERE code = 'C50'"), ==, 1);
}

/* ---- job locks ---------------------------------------------------------------------------- */

static void
test_lock_same_process (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureJobLock) lock = NULL;
  g_autoptr(TenureJobLock) other = NULL;
  g_autoptr(TenureJobLock) second = NULL;
  g_autoptr(TenureDb) db2 = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 start;

  SKIP_WITHOUT_DB (f);
  lock = tenure_db_try_lock_job (f->db, "bill-run", &error);
  g_assert_no_error (error);
  g_assert_nonnull (lock);

  /* The same object, and a second connection to the same database. */
  g_assert_null (tenure_db_try_lock_job (f->db, "bill-run", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_LOCKED);
  g_clear_error (&error);
  db2 = tenure_db_open_full (f->location, TENURE_DB_OPEN_DEFAULT, 0, &error);
  g_assert_no_error (error);
  g_assert_null (tenure_db_try_lock_job (db2, "bill-run", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_LOCKED);
  g_test_message ("locked: %s", error->message);
  g_assert_nonnull (strstr (error->message, "bill run"));
  g_clear_error (&error);

  /* Another job kind is independent. */
  other = tenure_db_try_lock_job (db2, "import", &error);
  g_assert_no_error (error);

  /* Waiting runs out after the timeout, or at once when cancelled. */
  start = g_get_monotonic_time ();
  g_assert_null (tenure_db_lock_job (db2, "bill-run", 300, NULL, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_LOCKED);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_clear_error (&error);
  g_cancellable_cancel (cancellable);
  g_assert_null (tenure_db_lock_job (db2, "bill-run", 10000, cancellable, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_null (tenure_db_try_lock_job (db2, "../evil", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_INVALID);
  g_clear_error (&error);

  g_clear_pointer (&lock, tenure_job_lock_release);
  second = tenure_db_try_lock_job (db2, "bill-run", &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

/* Cancelling stops a wait that would otherwise last 30 s. */
static void
test_lock_cancel (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureJobLock) lock = NULL;
  g_autoptr(TenureDb) db2 = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GThread *thread;
  gint64 start, elapsed;

  SKIP_WITHOUT_DB (f);
  lock = tenure_db_try_lock_job (f->db, "period-close", &error);
  g_assert_no_error (error);
  db2 = tenure_db_open_full (f->location, TENURE_DB_OPEN_DEFAULT, 0, &error);
  g_assert_no_error (error);

  thread = g_thread_new ("cancel", cancel_later, cancellable);
  start = g_get_monotonic_time ();
  g_assert_null (tenure_db_lock_job (db2, "period-close", 30000, cancellable, &error));
  elapsed = g_get_monotonic_time () - start;
  g_thread_join (thread);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_CANCELLED);
  g_assert_cmpint (elapsed, >=, 150 * 1000);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);
}

static void
test_lock_kill (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) holder = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(TenureJobLock) lock = NULL;
  g_autofree char *exe = NULL;
  g_autofree char *line = NULL;
  const char *root = g_getenv ("TENURE_BUILD_ROOT");
  gint64 start, elapsed;

  SKIP_WITHOUT_DB (f);
  exe = g_build_filename (root ? root : ".", "tests", "store", "lock-holder", NULL);
  holder = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe, f->location,
                             "bill-run", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "locked");

  g_assert_null (tenure_db_try_lock_job (f->db, "bill-run", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_LOCKED);
  g_test_message ("while held: %s", error->message);
  {
    g_autofree char *pid = g_strdup_printf ("process %s ", g_subprocess_get_identifier (holder));
    g_assert_nonnull (strstr (error->message, pid));
    g_assert_nonnull (strstr (error->message, g_get_host_name ()));
  }
  g_clear_error (&error);

  g_subprocess_send_signal (holder, SIGKILL);
  start = g_get_monotonic_time ();
  lock = tenure_db_lock_job (f->db, "bill-run", 10000, NULL, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_nonnull (lock);
  g_test_message ("lock free %.3f s after the kill", elapsed / 1e6);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  g_subprocess_wait (holder, NULL, NULL);
}

/* ---- PostgreSQL connection failures ------------------------------------------------------- */

static void
assert_open_fails (const char *location,
                   int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = tenure_db_open_full (location, TENURE_DB_OPEN_DEFAULT, 0, &error);

  g_assert_null (db);
  g_test_message ("%s → %s", location, error ? error->message : "(no error)");
  g_assert_error (error, TENURE_ERROR, code);
  g_assert_null (strstr (error->message, "secret"));
  g_assert_null (strstr (error->message, "wrong-pw"));
}

static void
test_pg_unreachable (void)
{
  g_autofree char *empty = NULL;
  g_autofree char *location = NULL;

  if (tenure_test_pg_conninfo () == NULL)
    return;
  empty = tenure_test_make_tmpdir ();
  location = g_strdup_printf ("host=%s port=5432 user=postgres dbname=tenure_test", empty);
  assert_open_fails (location, TENURE_ERROR_DB_UNREACHABLE);
  assert_open_fails ("host=127.0.0.1 port=1 dbname=tenure_test connect_timeout=5",
                     TENURE_ERROR_DB_UNREACHABLE);
  assert_open_fails ("postgresql://127.0.0.1:1/tenure_test", TENURE_ERROR_DB_UNREACHABLE);
  tenure_test_rm_rf (empty);
}

static void
test_pg_auth (void)
{
  const char *host = g_getenv ("TENURE_TEST_PG_HOST");
  g_autofree char *wrong = NULL;
  g_autofree char *none = NULL;
  g_autofree char *right = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;

  if (tenure_test_pg_conninfo () == NULL || host == NULL)
    return;

  wrong = g_strdup_printf ("host=%s port=5432 user=tenure_pw password=wrong-pw dbname=tenure_test",
                           host);
  assert_open_fails (wrong, TENURE_ERROR_DB_AUTH);
  none = g_strdup_printf ("host=%s port=5432 user=tenure_pw dbname=tenure_test", host);
  assert_open_fails (none, TENURE_ERROR_DB_AUTH);
  missing = g_strdup_printf ("host=%s port=5432 user=postgres dbname=no_such_db", host);
  assert_open_fails (missing, TENURE_ERROR_NOT_FOUND);

  /* The right password gets in, and the display name does not show it. */
  right = g_strdup_printf ("host=%s port=5432 user=tenure_pw password=secret dbname=tenure_test",
                           host);
  db = tenure_db_open_full (right, TENURE_DB_OPEN_DEFAULT, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tenure_db_get_actor (db), ==, "tenure_pw");
  g_assert_null (strstr (tenure_db_get_display_name (db), "secret"));
  g_assert_true (g_str_has_prefix (tenure_db_get_display_name (db), "tenure_pw@"));
  g_clear_object (&db);

  /* The same as a URI with the password in it (socket folder as a query parameter). */
  uri = g_strdup_printf ("postgresql://tenure_pw:secret@/tenure_test?host=%s&port=5432", host);
  db = tenure_db_open_full (uri, TENURE_DB_OPEN_DEFAULT, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_db_get_kind (db), ==, TENURE_DB_POSTGRESQL);
  g_assert_null (strstr (tenure_db_get_display_name (db), "secret"));
  g_test_message ("display name: %s", tenure_db_get_display_name (db));
}

static void
test_pg_lost (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) killer = NULL;
  g_autoptr(TenureStmt) kill = NULL;
  g_autoptr(TenureJobLock) lock = NULL;
  gint64 pid = 0;

  SKIP_WITHOUT_DB (f);
  insert_row (f->db, 1, "kept", &error);
  g_assert_no_error (error);
  lock = tenure_db_try_lock_job (f->db, "bill-run", &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_query_int64 (f->db, "SELECT pg_backend_pid ()", &pid, &error));

  g_assert_true (tenure_db_begin (f->db, &error));
  insert_row (f->db, 2, "lost", &error);
  g_assert_no_error (error);

  killer = tenure_db_open_full (f->location, TENURE_DB_OPEN_DEFAULT, 0, &error);
  g_assert_no_error (error);
  kill = tenure_db_prepare (killer, "SELECT pg_terminate_backend ($1::int, 5000)", &error);
  g_assert_no_error (error);
  tenure_stmt_bind_int64 (kill, 1, pid);
  g_assert_true (tenure_stmt_step (kill, &error));
  g_assert_cmpint (tenure_stmt_column_int64 (kill, 0), ==, 1);

  insert_row (f->db, 3, "after", &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_LOST);
  g_test_message ("lost: %s", error->message);
  g_clear_error (&error);
  g_assert_false (tenure_db_commit (f->db, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_LOST);
  g_clear_error (&error);
  g_assert_cmpuint (tenure_db_get_transaction_depth (f->db), ==, 0);
  g_assert_false (tenure_db_exec (f->db, "SELECT 1", &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_LOST);
  g_clear_error (&error);
  g_assert_false (tenure_db_begin (f->db, &error));
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_LOST);
  g_clear_error (&error);

  /* The work of the lost transaction is gone, the committed row stays, the lock is free. */
  g_assert_cmpint (count_rows (killer, "SELECT count (*) FROM t"), ==, 1);
  g_clear_pointer (&lock, tenure_job_lock_release);
  lock = tenure_db_try_lock_job (killer, "bill-run", &error);
  g_assert_no_error (error);
}

/* ---- main --------------------------------------------------------------------------------- */

#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)

/* A checkpoint killed after writing page 1 leaves a database file shorter than its header says,
 * with the rest still in the WAL: SQLite recovers it, so Tenure must open it, not call it
 * damaged. Built by hand: rows kept in the WAL, then the WAL's newest page 1 copied over the
 * file's (what the killed checkpoint wrote first). */
static void
test_interrupted_checkpoint (void)
{
  g_autofree char *dir = tenure_test_make_tmpdir ();
  g_autofree char *live = g_build_filename (dir, "live.db", NULL);
  g_autofree char *live_wal = g_strconcat (live, "-wal", NULL);
  g_autofree char *copy = g_build_filename (dir, "copy.db", NULL);
  g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);
  g_autofree char *wal = NULL, *main_file = NULL;
  gsize wal_len = 0, main_len = 0, page_size = 4096, frame;
  const guchar *page1 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) db = NULL;
  sqlite3 *raw = NULL;
  gint64 count = 0;

  db = tenure_db_open (live, TENURE_DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_clear_object (&db);
  g_assert_cmpint (sqlite3_open (live, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;"
                                      "CREATE TABLE t (x INTEGER);", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                      "FROM n WHERE i < 5000) INSERT INTO t SELECT i FROM n;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  /* Copied while the writer still holds the WAL open (closing would checkpoint it away). */
  g_assert_true (g_file_get_contents (live, &main_file, &main_len, NULL));
  g_assert_true (g_file_get_contents (live_wal, &wal, &wal_len, NULL));
  sqlite3_close (raw);

  /* WAL frames: a 32-byte file header, then per frame a 24-byte header (page number first,
   * big-endian) and the page. The last frame for page 1 holds the newest header. */
  for (frame = 32; frame + 24 + page_size <= wal_len; frame += 24 + page_size)
    {
      const guchar *h = (const guchar *) wal + frame;
      if (((guint32) h[0] << 24 | (guint32) h[1] << 16 | (guint32) h[2] << 8 | h[3]) == 1)
        page1 = h + 24;
    }
  g_assert_nonnull (page1);
  g_assert_cmpuint (main_len, >=, page_size);
  memcpy (main_file, page1, page_size);
  g_assert_true (g_file_set_contents (copy, main_file, main_len, NULL));
  g_assert_true (g_file_set_contents (copy_wal, wal, wal_len, NULL));

  db = tenure_db_open (copy, TENURE_DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_query_int64 (db, "SELECT count(*) FROM t", &count, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 5000);
  g_clear_object (&db);

  /* Without its WAL the same short file is truncated, and refused as such. */
  g_assert_true (g_file_set_contents (copy, main_file, main_len, NULL));
  g_remove (copy_wal);
  db = tenure_db_open (copy, TENURE_DB_OPEN_DEFAULT, &error);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_NOT_DATABASE);
  g_assert_null (db);
  tenure_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  backend = tenure_test_backend_from_args (&argc, &argv);
  /* Only the passwords a test passes count: no ~/.pgpass or PGPASSWORD of the machine. */
  g_setenv ("PGPASSFILE", "/nonexistent/pgpass", TRUE);
  g_unsetenv ("PGPASSWORD");
  g_test_init (&argc, &argv, NULL);

  ADD ("/db/values/placeholders", test_placeholders);
  ADD ("/db/values/int64-extremes", test_int64_extremes);
  ADD ("/db/values/text", test_text);
  ADD ("/db/values/nulls", test_nulls);
  ADD ("/db/values/changes", test_changes);
  ADD ("/db/values/double", test_double);
  ADD ("/db/transaction/savepoints", test_savepoints);
  ADD ("/db/transaction/constraint", test_constraint);
  ADD ("/db/transaction/failed-commit", test_failed_commit);
  ADD ("/db/transaction/busy", test_busy);
  ADD ("/db/transaction/read-snapshot", test_read_snapshot);
  ADD ("/db/transaction/failed-statement", test_failed_statement);
  ADD ("/db/open/info", test_open_info);
  g_test_add_func ("/db/open/migrates", test_open_migrates);
  ADD ("/db/lock/same-process", test_lock_same_process);
  ADD ("/db/lock/cancel", test_lock_cancel);
  ADD ("/db/lock/kill-holder", test_lock_kill);

  if (backend == TENURE_TEST_SQLITE)
    {
      g_test_add_func ("/db/open/locations", test_locations);
      g_test_add_func ("/db/sqlite/missing", test_open_missing);
      g_test_add_func ("/db/sqlite/not-database", test_not_database);
      g_test_add_func ("/db/sqlite/open-waits-for-busy", test_open_waits_for_busy);
      g_test_add_func ("/db/sqlite/interrupted-checkpoint", test_interrupted_checkpoint);
      g_test_add_func ("/db/sqlite/read-only", test_read_only);
      ADD ("/db/sqlite/full", test_full);
    }
  else
    {
      g_test_add_func ("/db/pg/unreachable", test_pg_unreachable);
      g_test_add_func ("/db/pg/auth", test_pg_auth);
      ADD ("/db/pg/lost", test_pg_lost);
    }
  return g_test_run ();
}
