/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tenure-application.h"

G_BEGIN_DECLS

/* Sets the locale and text domain like main.c, g_test_init ()s and initialises GTK when a
 * display is there. */
void               tenure_ui_test_init           (int    *argc,
                                                  char ***argv);
/* Call first in each UI test: FALSE after skipping the test (failing it with CI=true) when
 * there is no display. */
gboolean           tenure_ui_test_have_display   (void);

/* A registered TenureApplication (non-unique, no D-Bus name) whose startup has run: its
 * style sheet, icons and help overlay are loaded as in the real app. */
TenureApplication *tenure_ui_test_application    (void);

/* Iterates the main loop until CONDITION (DATA) holds, failing after TIMEOUT_MS. */
void               tenure_ui_test_wait_for       (gboolean (*condition) (gpointer data),
                                                  gpointer    data,
                                                  guint       timeout_ms,
                                                  const char *what);
/* Iterates the main loop for MS milliseconds (animations, transitions). */
void               tenure_ui_test_spin           (guint       ms);

/* The first mapped GtkLabel under ROOT whose text equals TEXT, or NULL. */
GtkWidget         *tenure_ui_test_find_label     (GtkWidget  *root,
                                                  const char *text);
/* How many mapped GtkLabels under ROOT show TEXT. */
guint              tenure_ui_test_count_labels   (GtkWidget  *root,
                                                  const char *text);
/* The first widget under ROOT with widget name NAME, or NULL. */
GtkWidget         *tenure_ui_test_find_named     (GtkWidget  *root,
                                                  const char *name);

/* Renders WIDGET to a PNG at PATH (folders created) and asserts the picture is not blank. */
void               tenure_ui_test_screenshot     (GtkWidget  *widget,
                                                  const char *path);

G_END_DECLS
