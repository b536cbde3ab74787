/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-cli"

#include "tenure-cli-private.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

/* `tenure-cli bank SUBCOMMAND …`: each subcommand gets argv from its own name on, with argv[0]
 * set to "tenure-cli bank SUBCOMMAND", as commands do. */
typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
} BankSubcommand;

static const BankSubcommand subcommands[] = {
  { "match", tenure_cli_bank_match },
};

int
tenure_cli_bank (int argc, char **argv)
{
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      if (argc < 2)
        return tenure_cli_fail (TENURE_CLI_USAGE,
                                _("bank: missing subcommand; see tenure-cli bank --help"));
      printf ("%s\n  tenure-cli bank match [OPTION…]\n", _("Usage:"));
      return TENURE_CLI_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (strcmp (argv[1], subcommands[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("tenure-cli bank %s", argv[1]);
        g_set_prgname (prgname);
        return subcommands[i].run (argc - 1, argv + 1);
      }
  return tenure_cli_fail (TENURE_CLI_USAGE,
                          _("bank: unknown subcommand “%s”; see tenure-cli bank --help"),
                          argv[1]);
}
