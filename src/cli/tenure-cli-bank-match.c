/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <glib/gi18n.h>

/* Placeholder until the matching engine lands: the "match" engineer replaces this body. */
int
tenure_cli_bank_match (int argc, char **argv)
{
  (void) argc;
  (void) argv;
  return tenure_cli_fail (TENURE_CLI_FAILED, _("bank match: not built yet"));
}
