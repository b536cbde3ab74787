/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "store/tenure-db.h"

G_BEGIN_DECLS

/* Exit codes of tenure-cli, documented in --help and docs/cli.md. */
typedef enum
{
  TENURE_CLI_OK          = 0,
  TENURE_CLI_FAILED      = 1,
  TENURE_CLI_USAGE       = 2,
  TENURE_CLI_DB_OPEN     = 3, /* missing, not a database, read-only, unreachable, refused, newer */
  TENURE_CLI_INVALID     = 4,
  TENURE_CLI_LOCKED      = 5,
  TENURE_CLI_CANCELLED   = 6,
} TenureCliExit;

/* One command: `tenure-cli NAME …`. RUN gets the arguments after the command name, with
 * argv[0] set to "tenure-cli NAME", and returns an exit code. */
typedef struct
{
  const char *name;
  const char *summary; /* N_() */
  int       (*run) (int argc, char **argv);
} TenureCliCommand;

int  tenure_cli_demo  (int argc, char **argv);
int  tenure_cli_info  (int argc, char **argv);
int  tenure_cli_audit (int argc, char **argv);
int  tenure_cli_contract (int argc, char **argv);
int  tenure_cli_late_fees (int argc, char **argv);
int  tenure_cli_straight_line (int argc, char **argv);
int  tenure_cli_plan (int argc, char **argv);
int  tenure_cli_bill (int argc, char **argv);
int  tenure_cli_kpi (int argc, char **argv);
int  tenure_cli_bank (int argc, char **argv);
/* `tenure-cli bank match …` (tenure-cli-bank-match.c), called by the bank dispatcher with
 * argv[0] "match". */
int  tenure_cli_bank_match (int argc, char **argv);
int  tenure_cli_aging (int argc, char **argv);
int  tenure_cli_reconcile (int argc, char **argv);
int  tenure_cli_dunning (int argc, char **argv);
int  tenure_cli_period (int argc, char **argv);

int  tenure_cli_export (int argc, char **argv);
/* `tenure-cli receipt …` (tenure-cli-receipt.c). */
int  tenure_cli_receipt (int argc, char **argv);
/* `tenure-cli assets …` (tenure-cli-assets.c): import. */
int  tenure_cli_assets (int argc, char **argv);
/* `tenure-cli assets add|edit|retire|history …` (tenure-cli-assets-ledger.c), called by the
 * assets dispatcher when handles () accepts its argv[1]. */
gboolean tenure_cli_assets_ledger_handles (const char *subcommand);
int  tenure_cli_assets_ledger (int argc, char **argv);
/* The text on exit codes shown at the end of every --help. */
const char   *tenure_cli_exit_codes_help (void);

/* A GOptionContext for COMMAND with its summary and the exit codes as description. */
GOptionContext *tenure_cli_option_context (const char *parameter_string,
                                           const char *summary);

/* Parses options; on a usage error prints the one line and returns FALSE. */
gboolean      tenure_cli_parse         (GOptionContext  *context,
                                        const char      *command,
                                        int             *argc,
                                        char          ***argv);

/* Prints "tenure-cli: MESSAGE" on stderr (one line) and returns CODE. */
int           tenure_cli_fail          (int              code,
                                        const char      *format,
                                        ...) G_GNUC_PRINTF (2, 3);

/* The exit code for an error of the core. */
int           tenure_cli_exit_code     (const GError    *error);

/* Prints ERROR as the one failure line and returns its exit code. */
int           tenure_cli_fail_error    (const GError    *error);

/* Opens LOCATION (NULL: DEFAULT_LOCATION, or the embedded default) after refusing a PostgreSQL
 * location that carries a password. On failure prints the line, sets *EXIT_CODE, returns NULL. */
TenureDb     *tenure_cli_open_db       (const char      *location,
                                        const char      *default_location,
                                        TenureDbOpenFlags flags,
                                        int             *exit_code);

G_END_DECLS
