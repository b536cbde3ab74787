/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-fuzz"

#include <string.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* libFuzzer entry point: one input, parsed as OFX. */
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  tenure_fuzz_parse (data, size, TENURE_STATEMENT_FORMAT_OFX, NULL);
  return 0;
}
