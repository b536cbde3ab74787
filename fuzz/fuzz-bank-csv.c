/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tenure-fuzz"

#include <string.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The built-in profile of migration 0002, plus the running balance. */
#define PROFILE \
  "{\"header_contains\":\"交易日期\",\"columns\":{\"booked_on\":\"交易日期\"," \
  "\"debit\":\"借方发生额(支取)\",\"credit\":\"贷方发生额(收入)\",\"payer_name\":\"对方户名\"," \
  "\"payer_account\":\"对方账号\",\"memo\":\"用途\",\"bank_reference\":\"交易流水号\"," \
  "\"balance\":\"余额\"}}"

/* libFuzzer entry point: one input, parsed as a Chinese bank's CSV export. */
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  tenure_fuzz_parse (data, size, TENURE_STATEMENT_FORMAT_CSV, PROFILE);
  return 0;
}
