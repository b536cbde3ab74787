/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TENURE_TYPE_APPLICATION (tenure_application_get_type ())
G_DECLARE_FINAL_TYPE (TenureApplication, tenure_application,
                      TENURE, APPLICATION, AdwApplication)

/* The application: `tenure [--db LOCATION] [--demo]`, the About window, app-wide accelerators.
 * At start it reopens the last database, or shows the welcome page. */
TenureApplication *tenure_application_new          (void);

/* The settings (schema io.github.tenure.Tenure) shared by every window. */
GSettings         *tenure_application_get_settings (TenureApplication *self);

/* Registers the compiled-in resources (templates, CSS, icons); safe to call more than once. */
void               tenure_application_register_resources (void);

G_END_DECLS
