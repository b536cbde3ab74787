/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tenure-test-util.h"

#include <gio/gio.h>

static gboolean
running_in_ci (void)
{
  return g_strcmp0 (g_getenv ("CI"), "true") == 0;
}

char *
tenure_test_shared_data (const char *relative_path)
{
  const char *root = g_getenv ("TENURE_SHARED_DATA");
  g_autofree char *path = NULL;

  if (root == NULL)
    root = "../shared/data";
  path = g_build_filename (root, relative_path, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&path);

  if (running_in_ci ())
    {
      g_test_message ("%s is missing, and CI must have ../shared/data", path);
      g_test_fail ();
    }
  else
    g_test_skip_printf ("%s not found: the shared sample data is not beside this checkout", path);
  return NULL;
}

const char *
tenure_test_pg_conninfo (void)
{
  const char *conninfo = g_getenv ("TENURE_TEST_PG");

  if (conninfo != NULL && *conninfo != '\0')
    return conninfo;
  if (running_in_ci ())
    {
      g_test_message ("TENURE_TEST_PG is unset: PostgreSQL tests must run in CI");
      g_test_fail ();
    }
  else
    g_test_skip ("no PostgreSQL test cluster (run through tests/util/with-postgres.sh)");
  return NULL;
}

char *
tenure_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tenure-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
rm_rf_file (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;
      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));
          rm_rf_file (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

void
tenure_test_rm_rf (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  rm_rf_file (file);
}
