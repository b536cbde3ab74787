/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-floor-plan"
#include "tenure-floor-plan.h"
#include "tenure-ui-test-util.h"
int
main (int   argc,
      char *argv[])
{
  tenure_ui_test_init (&argc, &argv);
  return g_test_run ();
}
