/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-test"

#include "tenure-test-db.h"
#include "tenure-test-util.h"

#include <libpq-fe.h>
#include <string.h>
#include <unistd.h>

TenureTestBackend
tenure_test_backend_from_args (int    *argc,
                               char ***argv)
{
  TenureTestBackend backend = TENURE_TEST_SQLITE;
  int out = 1;

  for (int i = 1; i < *argc; i++)
    {
      const char *arg = (*argv)[i];
      const char *value = NULL;

      if (g_str_has_prefix (arg, "--backend="))
        value = arg + strlen ("--backend=");
      else if (g_str_equal (arg, "--backend") && i + 1 < *argc)
        value = (*argv)[++i];

      if (value == NULL)
        {
          (*argv)[out++] = (*argv)[i];
          continue;
        }
      if (g_str_equal (value, "sqlite"))
        backend = TENURE_TEST_SQLITE;
      else if (g_str_equal (value, "pg") || g_str_equal (value, "postgresql"))
        backend = TENURE_TEST_PG;
      else
        g_error ("unknown --backend=%s (use sqlite or pg)", value);
    }
  (*argv)[out] = NULL;
  *argc = out;
  return backend;
}

const char *
tenure_test_backend_name (TenureTestBackend backend)
{
  return backend == TENURE_TEST_PG ? "pg" : "sqlite";
}

/* Runs SQL on the maintenance connection; aborts the test on failure. */
static void
pg_admin_exec (const char *conninfo,
               const char *sql)
{
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *res;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to the test cluster (%s): %s", conninfo, PQerrorMessage (conn));
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (res);
  PQfinish (conn);
}

/* CONNINFO with its dbname replaced by DBNAME (a plain identifier). */
static char *
conninfo_with_dbname (const char *conninfo,
                      const char *dbname)
{
  g_autoptr(GString) out = g_string_new (NULL);
  char *errmsg = NULL;
  PQconninfoOption *options = PQconninfoParse (conninfo, &errmsg);

  if (options == NULL)
    g_error ("bad TENURE_TEST_PG conninfo: %s", errmsg ? errmsg : "out of memory");
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL || g_str_equal (o->keyword, "dbname"))
        continue;
      g_string_append_printf (out, "%s='", o->keyword);
      for (const char *p = o->val; *p; p++)
        {
          if (*p == '\'' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append (out, "' ");
    }
  g_string_append_printf (out, "dbname=%s", dbname);
  PQconninfoFree (options);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
tenure_test_db_new_location (TenureTestBackend backend)
{
  static guint counter;

  if (backend == TENURE_TEST_SQLITE)
    {
      g_autofree char *dir = tenure_test_make_tmpdir ();
      return g_build_filename (dir, "tenure.db", NULL);
    }
  else
    {
      const char *base = tenure_test_pg_conninfo ();
      g_autofree char *name = NULL;
      g_autofree char *sql = NULL;

      if (base == NULL)
        return NULL;
      name = g_strdup_printf ("t_%d_%u", (int) getpid (), g_atomic_int_add (&counter, 1));
      sql = g_strdup_printf ("CREATE DATABASE %s", name);
      pg_admin_exec (base, sql);
      return conninfo_with_dbname (base, name);
    }
}

void
tenure_test_db_drop_location (TenureTestBackend  backend,
                              const char        *location)
{
  if (location == NULL)
    return;
  if (backend == TENURE_TEST_SQLITE)
    {
      g_autofree char *dir = g_path_get_dirname (location);
      tenure_test_rm_rf (dir);
    }
  else
    {
      const char *base = g_getenv ("TENURE_TEST_PG");
      g_autofree char *dbname = NULL;
      g_autofree char *sql = NULL;
      char *errmsg = NULL;
      PQconninfoOption *options = PQconninfoParse (location, &errmsg);

      g_assert_nonnull (options);
      for (PQconninfoOption *o = options; o->keyword != NULL; o++)
        if (g_str_equal (o->keyword, "dbname"))
          dbname = g_strdup (o->val);
      PQconninfoFree (options);
      g_assert_nonnull (base);
      g_assert_nonnull (dbname);
      /* FORCE: a test that failed half-way may still hold a session on it. */
      sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", dbname);
      pg_admin_exec (base, sql);
    }
}
