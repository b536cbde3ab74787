/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "store/tenure-db.h"
#include "tenure-application.h"

G_BEGIN_DECLS

#define TENURE_TYPE_WINDOW (tenure_window_get_type ())
G_DECLARE_FINAL_TYPE (TenureWindow, tenure_window, TENURE, WINDOW, AdwApplicationWindow)

/* The main window: the welcome page while no database is open, else a sidebar of sections
 * (Portfolio, Contracts, Billing, Collections, Analytics, Settings) beside their content, with
 * the open database and a project selector in the header. */

TenureWindow *tenure_window_new               (TenureApplication *application);

/* Opens LOCATION (a file path or a PostgreSQL conninfo) in the background. On success it
 * becomes the open database; on failure the previous one stays, or the welcome page shows the
 * error. */
void          tenure_window_open_location     (TenureWindow      *self,
                                               const char        *location,
                                               TenureDbOpenFlags  flags);
/* Opens the demo portfolio at LOCATION (NULL: the default demo file), generating it first when
 * it does not exist, with progress and cancel on the welcome page. */
void          tenure_window_open_demo         (TenureWindow      *self,
                                               const char        *location);
/* Closes the open database and shows the welcome page. */
void          tenure_window_close_database    (TenureWindow      *self);

/* The open database, or NULL. */
TenureDb     *tenure_window_get_db            (TenureWindow      *self);
/* TRUE while a database opens (the "busy" property). */
gboolean      tenure_window_is_busy           (TenureWindow      *self);

/* Sections by name: portfolio, contracts, billing, collections, analytics, settings. */
void          tenure_window_show_section      (TenureWindow      *self,
                                               const char        *section);
const char   *tenure_window_get_section       (TenureWindow      *self);
/* The page widget of SECTION, for tests. */
GtkWidget    *tenure_window_get_section_page  (TenureWindow      *self,
                                               const char        *section);

G_END_DECLS
