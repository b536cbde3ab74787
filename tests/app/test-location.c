/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-location"

#include <glib.h>

#include "tenure-location.h"

static void
test_conninfo_round_trip (void)
{
  g_autofree char *conninfo =
    tenure_location_build_conninfo ("db.example.cn", 5433, "o'brien db", "fin\\ance");
  g_autofree char *host = tenure_location_conninfo_get (conninfo, "host");
  g_autofree char *port = tenure_location_conninfo_get (conninfo, "port");
  g_autofree char *dbname = tenure_location_conninfo_get (conninfo, "dbname");
  g_autofree char *user = tenure_location_conninfo_get (conninfo, "user");
  g_autofree char *password = tenure_location_conninfo_get (conninfo, "password");

  g_assert_cmpstr (conninfo, ==,
                   "host='db.example.cn' port='5433' dbname='o\\'brien db' user='fin\\\\ance'");
  g_assert_cmpstr (host, ==, "db.example.cn");
  g_assert_cmpstr (port, ==, "5433");
  g_assert_cmpstr (dbname, ==, "o'brien db");
  g_assert_cmpstr (user, ==, "fin\\ance");
  g_assert_null (password);
  g_assert_true (tenure_location_is_postgresql (conninfo));
}

static void
test_conninfo_parse (void)
{
  g_autofree char *bare = tenure_location_conninfo_get ("host=/tmp/pg port = 5432", "port");
  g_autofree char *broken = tenure_location_conninfo_get ("host='unterminated", "host");
  g_autofree char *no_equals = tenure_location_conninfo_get ("host localhost", "host");
  g_autofree char *no_port = tenure_location_build_conninfo ("h", 0, "d", "u");
  g_autofree char *with_pw = tenure_location_with_password ("host='h'", "p'w");
  g_autofree char *pw = tenure_location_conninfo_get (with_pw, "password");

  g_assert_cmpstr (bare, ==, "5432");
  g_assert_null (broken);
  g_assert_null (no_equals);
  g_assert_cmpstr (no_port, ==, "host='h' dbname='d' user='u'");
  g_assert_cmpstr (pw, ==, "p'w");
}

static void
test_is_postgresql (void)
{
  g_assert_true (tenure_location_is_postgresql ("postgresql://u@h/db"));
  g_assert_true (tenure_location_is_postgresql ("postgres://h/db"));
  g_assert_true (tenure_location_is_postgresql ("host=h dbname=d"));
  g_assert_false (tenure_location_is_postgresql ("/home/u/a=b.db"));
  g_assert_false (tenure_location_is_postgresql ("./a=b.db"));
  g_assert_false (tenure_location_is_postgresql ("sqlite:/x=y.db"));
  g_assert_false (tenure_location_is_postgresql ("portfolio.db"));
  g_assert_false (tenure_location_is_postgresql (NULL));
}

static void
test_recent_add (void)
{
  const char *start[] = { "/a.db", "/b.db", "/c.db", NULL };
  g_auto(GStrv) moved = tenure_location_recent_add (start, "/c.db", 10);
  g_auto(GStrv) added = tenure_location_recent_add (start, "/d.db", 10);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) many = NULL;
  g_auto(GStrv) capped = NULL;
  g_auto(GStrv) from_empty = tenure_location_recent_add (NULL, "/x.db", 10);

  g_assert_cmpstrv (moved, ((const char *[]) { "/c.db", "/a.db", "/b.db", NULL }));
  g_assert_cmpstrv (added, ((const char *[]) { "/d.db", "/a.db", "/b.db", "/c.db", NULL }));
  g_assert_cmpstrv (from_empty, ((const char *[]) { "/x.db", NULL }));

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *path = g_strdup_printf ("/%u.db", i);
      g_strv_builder_add (builder, path);
    }
  many = g_strv_builder_end (builder);
  capped = tenure_location_recent_add ((const char * const *) many, "/new.db", 10);
  g_assert_cmpuint (g_strv_length (capped), ==, 10);
  g_assert_cmpstr (capped[0], ==, "/new.db");
  g_assert_cmpstr (capped[9], ==, "/8.db");
}

static void
test_recent_never_keeps_password (void)
{
  const char *start[] = { "/a.db", NULL };
  g_auto(GStrv) conninfo = tenure_location_recent_add (start, "host='h' password='x'", 10);
  g_auto(GStrv) uri = tenure_location_recent_add (start, "postgresql://u:secret@h/db", 10);
  g_auto(GStrv) query = tenure_location_recent_add (start, "postgresql://h/db?password=x", 10);
  g_auto(GStrv) fine = tenure_location_recent_add (start, "postgresql://u@h:5432/db", 10);

  g_assert_cmpstrv (conninfo, start);
  g_assert_cmpstrv (uri, start);
  g_assert_cmpstrv (query, start);
  g_assert_cmpstrv (fine, ((const char *[]) { "postgresql://u@h:5432/db", "/a.db", NULL }));
}

static void
test_recent_remove (void)
{
  const char *start[] = { "/a.db", "/b.db", "/a.db", NULL };
  g_auto(GStrv) removed = tenure_location_recent_remove (start, "/a.db");
  g_auto(GStrv) absent = tenure_location_recent_remove (start, "/z.db");

  g_assert_cmpstrv (removed, ((const char *[]) { "/b.db", NULL }));
  g_assert_cmpstrv (absent, start);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/location/conninfo/round-trip", test_conninfo_round_trip);
  g_test_add_func ("/location/conninfo/parse", test_conninfo_parse);
  g_test_add_func ("/location/is-postgresql", test_is_postgresql);
  g_test_add_func ("/location/recent/add", test_recent_add);
  g_test_add_func ("/location/recent/no-password", test_recent_never_keeps_password);
  g_test_add_func ("/location/recent/remove", test_recent_remove);

  return g_test_run ();
}
