/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Path of a file under ../shared/data (third-party samples), or NULL after marking the test
 * skipped with a message. With CI=true a missing file fails the test instead: CI always has it. */
char *tenure_test_shared_data (const char *relative_path);

/* conninfo of the throwaway PostgreSQL cluster (tests/util/with-postgres.sh), or NULL after
 * skipping the test. With CI=true a missing cluster fails instead. */
const char *tenure_test_pg_conninfo (void);

/* A fresh temporary directory for this test process, removed by the caller with
 * tenure_test_rm_rf (). */
char *tenure_test_make_tmpdir (void);
void  tenure_test_rm_rf       (const char *path);

G_END_DECLS
