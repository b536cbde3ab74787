/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "store/tenure-db-private.h"

G_BEGIN_DECLS

/* Declared by hand: G_DECLARE_FINAL_TYPE would define a TENURE_DB_PG cast macro, and that
 * name is taken by TenureDbKind. */
#define TENURE_TYPE_DB_PG (tenure_db_pg_get_type ())
#define TENURE_IS_DB_PG(obj) (G_TYPE_CHECK_INSTANCE_TYPE ((obj), TENURE_TYPE_DB_PG))

typedef struct _TenureDbPg TenureDbPg;
typedef struct
{
  TenureDbClass parent_class;
} TenureDbPgClass;

GType tenure_db_pg_get_type (void) G_GNUC_CONST;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TenureDbPg, g_object_unref)

G_END_DECLS
