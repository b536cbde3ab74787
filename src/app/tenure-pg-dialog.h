/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TENURE_TYPE_PG_DIALOG (tenure_pg_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TenurePgDialog, tenure_pg_dialog, TENURE, PG_DIALOG, AdwMessageDialog)

/* Asks for a PostgreSQL server, port, database, user and password. The "connect" response
 * is enabled only while the fields are valid; the reason is shown under them otherwise. */
TenurePgDialog *tenure_pg_dialog_new          (GtkWindow      *parent);

/* The conninfo without a password ("host=… port=… dbname=… user=…"), or NULL when a field is
 * invalid (ERROR names it). */
char           *tenure_pg_dialog_get_conninfo (TenurePgDialog *self,
                                               GError        **error);
/* The password typed, possibly empty. */
const char     *tenure_pg_dialog_get_password (TenurePgDialog *self);
/* Fills the fields from a conninfo (a recent entry or the last attempt). */
void            tenure_pg_dialog_set_conninfo (TenurePgDialog *self,
                                               const char     *conninfo);

G_END_DECLS
