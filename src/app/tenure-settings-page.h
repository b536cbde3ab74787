/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "store/tenure-db.h"

G_BEGIN_DECLS

#define TENURE_TYPE_SETTINGS_PAGE (tenure_settings_page_get_type ())
G_DECLARE_FINAL_TYPE (TenureSettingsPage, tenure_settings_page, TENURE, SETTINGS_PAGE, GtkWidget)

/* The Settings section: what database is open (location, backend, schema version, acting
 * user) and the preferences kept in GSettings. */

/* Shows DB's facts; NULL clears them. */
void tenure_settings_page_set_db       (TenureSettingsPage *self,
                                        TenureDb           *db);
/* Binds the preference switches to SETTINGS (schema io.github.tenure.Tenure). */
void tenure_settings_page_set_settings (TenureSettingsPage *self,
                                        GSettings          *settings);

G_END_DECLS
