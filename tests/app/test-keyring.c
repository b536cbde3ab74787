/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-keyring"

#include <locale.h>

#include "base/tenure-error.h"
#include "tenure-keyring.h"
#include "tenure-location.h"
#include "tenure-open-task.h"
#include "tenure-test-util.h"

/* PostgreSQL passwords through the desktop keyring: run by with-keyring.sh, which starts a
 * private session bus with an unlocked gnome-keyring, and with-postgres.sh. */

static gboolean
have_keyring (void)
{
  if (g_getenv ("TENURE_TEST_KEYRING") != NULL)
    return TRUE;
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    {
      g_test_message ("no keyring: tests/app/with-keyring.sh must run this test in CI");
      g_test_fail ();
    }
  else
    g_test_skip ("no keyring (run through tests/app/with-keyring.sh)");
  return FALSE;
}

static void
test_store_and_lookup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *alice = tenure_location_build_conninfo ("db.example.cn", 5432, "tenure",
                                                           "alice");
  g_autofree char *bob = tenure_location_build_conninfo ("db.example.cn", 5432, "tenure", "bob");
  g_autofree char *other_port = tenure_location_build_conninfo ("db.example.cn", 5433, "tenure",
                                                                "alice");
  g_autofree char *found = NULL;
  g_autofree char *none = NULL;
  g_autofree char *none_port = NULL;
  g_autofree char *replaced = NULL;

  if (!have_keyring ())
    return;

  g_assert_true (tenure_keyring_store_password (alice, "租金 s3cret", NULL, &error));
  g_assert_no_error (error);
  found = tenure_keyring_lookup_password (alice, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "租金 s3cret");

  /* Another user or port has no password. */
  none = tenure_keyring_lookup_password (bob, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  none_port = tenure_keyring_lookup_password (other_port, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none_port);

  /* Storing again replaces the password. */
  g_assert_true (tenure_keyring_store_password (alice, "n3w", NULL, &error));
  replaced = tenure_keyring_lookup_password (alice, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (replaced, ==, "n3w");
}

typedef struct
{
  TenureDb *db;
  GError   *error;
  gboolean  done;
} OpenResult;

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenResult *open = user_data;

  open->db = tenure_open_database_finish (result, &open->error);
  open->done = TRUE;
}

static TenureDb *
open_with (const char  *conninfo,
           const char  *new_password,
           GError     **error)
{
  OpenResult open = { 0 };

  tenure_open_database_async (conninfo, TENURE_DB_OPEN_DEFAULT, new_password, NULL,
                              opened_cb, &open);
  while (!open.done)
    g_main_context_iteration (NULL, TRUE);
  if (open.error != NULL)
    g_propagate_error (error, open.error);
  return open.db;
}

/* The app's connect path: the password typed goes to the keyring, and the conninfo given to
 * the store gets it from there. */
static void
test_connect_through_keyring (void)
{
  const char *host = g_getenv ("TENURE_TEST_PG_HOST");
  g_autoptr(GError) error = NULL;
  g_autoptr(TenureDb) admin = NULL;
  g_autoptr(TenureDb) db = NULL;
  g_autoptr(TenureDb) again = NULL;
  g_autoptr(TenureDb) refused = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *stored = NULL;

  if (!have_keyring () || tenure_test_pg_conninfo () == NULL)
    return;

  /* The schema is created by the superuser; the password role only uses it. */
  admin = tenure_db_open (tenure_test_pg_conninfo (), TENURE_DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (tenure_db_exec (admin, "GRANT USAGE ON SCHEMA public TO tenure_pw;"
                                        "GRANT SELECT, INSERT, UPDATE, DELETE"
                                        " ON ALL TABLES IN SCHEMA public TO tenure_pw;"
                                        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public"
                                        " TO tenure_pw", &error));
  g_assert_no_error (error);

  conninfo = tenure_location_build_conninfo (host, 5432, "tenure_test", "tenure_pw");
  db = open_with (conninfo, "secret", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tenure_db_get_kind (db), ==, TENURE_DB_POSTGRESQL);
  g_assert_cmpstr (tenure_db_get_actor (db), ==, "tenure_pw");
  stored = tenure_keyring_lookup_password (conninfo, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, "secret");

  /* Next time nothing is typed: the keyring has it. */
  again = open_with (conninfo, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);

  /* And what the keyring holds is what is used: a wrong one there is refused. */
  g_assert_true (tenure_keyring_store_password (conninfo, "not-the-password", NULL, &error));
  refused = open_with (conninfo, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, TENURE_ERROR, TENURE_ERROR_DB_AUTH);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/keyring/store-and-lookup", test_store_and_lookup);
  g_test_add_func ("/app/keyring/connect", test_connect_through_keyring);

  return g_test_run ();
}
