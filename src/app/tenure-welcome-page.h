/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TENURE_TYPE_WELCOME_PAGE (tenure_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (TenureWelcomePage, tenure_welcome_page, TENURE, WELCOME_PAGE, GtkWidget)

/* The first page without a database: demo, new, open, connect, and the recent databases.
 * Its buttons activate the window's actions (win.open-demo, win.open-recent, …). */

/* Shows RECENT (most recent first) as rows; an empty list hides the group. */
void        tenure_welcome_page_set_recent   (TenureWelcomePage  *self,
                                              const char * const *recent);
/* Shows an inline error under TITLE; NULL MESSAGE hides it. */
void        tenure_welcome_page_show_error   (TenureWelcomePage  *self,
                                              const char         *title,
                                              const char         *message);
/* The error shown, or NULL. */
const char *tenure_welcome_page_get_error    (TenureWelcomePage  *self);
/* Replaces the buttons by a spinner and MESSAGE with a cancel button; NULL ends it. */
void        tenure_welcome_page_set_busy     (TenureWelcomePage  *self,
                                              const char         *message);
/* Shows the progress bar at FRACTION (0…1) with TEXT; a negative FRACTION hides it. */
void        tenure_welcome_page_set_progress (TenureWelcomePage  *self,
                                              double              fraction,
                                              const char         *text);

G_END_DECLS
