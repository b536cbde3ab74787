/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-ui-test"
#define _GNU_SOURCE /* dl_iterate_phdr */

#include "tenure-ui-test-util.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#include <link.h>
#include <sanitizer/lsan_interface.h>
/* From the sanitizer runtime's allocator interface (GCC installs no header for it). */
int __sanitizer_get_ownership (const volatile void *p);
size_t __sanitizer_get_allocated_size (const volatile void *p);
#endif

static gboolean have_display;

#if defined(__SANITIZE_ADDRESS__)
/* GLib keeps its quark strings in an array that grows by 2048 entries, and drops the old
 * array on purpose when it grows (gquark.c: "This leaks the old quarks array … but it allows
 * us to do lockless lookup"). A GTK test passes 2048 quarks, so LeakSanitizer reports the
 * first array, which GLib's constructor allocated: its stack ends in g_malloc, where no
 * suppression could name it without naming every g_malloc. While it is still GLib's current
 * array (before GTK starts), it is found through GLib's own pointer to it and marked as not
 * a leak. Only that one object: a growth past 4096 quarks would need the same again. */
#define QUARK_BLOCK_BYTES (2048 * sizeof (char *))

static int
ignore_first_quark_array (struct dl_phdr_info *info,
                          size_t               size,
                          void                *data)
{
  gboolean *found = data;

  if (strstr (info->dlpi_name, "libglib-2.0.so") == NULL)
    return 0;
  for (int i = 0; i < info->dlpi_phnum && !*found; i++)
    {
      const ElfW (Phdr) *ph = &info->dlpi_phdr[i];
      const char *const *const *word;
      const char *const *const *end;

      if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W) == 0)
        continue;
      word = (const void *) (info->dlpi_addr + ph->p_vaddr);
      end = word + ph->p_memsz / sizeof *word;
      for (; word < end && !*found; word++)
        {
          const char *const *array = *word;

          /* Only heap blocks of the array's size are read: any other word is left alone. */
          if (array == NULL || !__sanitizer_get_ownership (array)
              || __sanitizer_get_allocated_size (array) != QUARK_BLOCK_BYTES)
            continue;
          if (array[0] == NULL && array[1] == g_quark_to_string (1)
              && array[2] == g_quark_to_string (2))
            {
              __lsan_ignore_object (array);
              *found = TRUE;
            }
        }
    }
  return *found;
}
#endif

void
tenure_ui_test_init (int    *argc,
                     char ***argv)
{
  const char *localedir = g_getenv ("TENURE_LOCALEDIR");

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

#if defined(__SANITIZE_ADDRESS__)
  {
    gboolean found = FALSE;

    dl_iterate_phdr (ignore_first_quark_array, &found);
    if (!found)
      g_printerr ("# GLib's first quark array not found: LeakSanitizer may report it\n");
  }
#endif
  g_test_init (argc, argv, NULL);
  have_display = gtk_init_check ();
}

gboolean
tenure_ui_test_have_display (void)
{
  if (have_display)
    return TRUE;
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    {
      g_test_message ("no display: UI tests must run under Xvfb in CI");
      g_test_fail ();
    }
  else
    g_test_skip ("no display (run under xvfb-run)");
  return FALSE;
}

TenureApplication *
tenure_ui_test_application (void)
{
  g_autoptr(GError) error = NULL;
  TenureApplication *app = tenure_application_new ();

  /* No D-Bus name: tests run in parallel and without a session bus. */
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
tenure_ui_test_wait_for (gboolean  (*condition) (gpointer data),
                         gpointer    data,
                         guint       timeout_ms,
                         const char *what)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  if (timed_out && !condition (data))
    g_error ("timed out after %u ms waiting for %s", timeout_ms, what);
}

void
tenure_ui_test_spin (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timed_out_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static void
collect_labels (GtkWidget  *widget,
                const char *text,
                GPtrArray  *found)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, text, found);
}

GtkWidget *
tenure_ui_test_find_label (GtkWidget  *root,
                           const char *text)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_labels (root, text, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

guint
tenure_ui_test_count_labels (GtkWidget  *root,
                             const char *text)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_labels (root, text, found);
  return found->len;
}

GtkWidget *
tenure_ui_test_find_named (GtkWidget  *root,
                           const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tenure_ui_test_find_named (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

void
tenure_ui_test_screenshot (GtkWidget  *widget,
                           const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree guchar *pixels = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GHashTable) colours = NULL;
  gsize stride, most_common = 0;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  /* A widget waiting for its next layout paints nothing: let the frame clock run. */
  for (guint attempt = 0; node == NULL && attempt < 20; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      tenure_ui_test_spin (50);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                        &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  /* Not blank: a real page has text, icons and frames, so it holds many colours and its most
   * common colour (the background) does not cover nearly everything. */
  stride = (gsize) width * 4;
  pixels = g_malloc ((gsize) height * stride);
  gdk_texture_download (texture, pixels, stride);
  colours = g_hash_table_new (NULL, NULL);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      guint32 pixel;
      gsize count;

      memcpy (&pixel, pixels + i * 4, 4);
      count = GPOINTER_TO_SIZE (g_hash_table_lookup (colours, GUINT_TO_POINTER (pixel))) + 1;
      g_hash_table_insert (colours, GUINT_TO_POINTER (pixel), GSIZE_TO_POINTER (count));
      most_common = MAX (most_common, count);
    }
  g_test_message ("%s: %d×%d, %u colours, the most common on %" G_GSIZE_FORMAT " pixels",
                  path, width, height, g_hash_table_size (colours), most_common);
  g_assert_cmpuint (g_hash_table_size (colours), >=, 32);
  g_assert_cmpuint (most_common, <, (gsize) width * height * 98 / 100);
}
