-- SPDX-License-Identifier: GPL-3.0-or-later
-- Tenure schema v2 (SQLite; twin of ../postgresql/0002-import-profiles.sql): saved column
-- mappings for bank statement CSV/Excel imports, and the basis of a unit's asking price.

-- No Chinese bank publishes a standard statement layout, so the importer maps columns by
-- saved profiles. bank_account_id NULL: a template offered for any account.
CREATE TABLE import_profile (
  id              INTEGER PRIMARY KEY,
  bank_account_id INTEGER REFERENCES bank_account (id) ON DELETE RESTRICT,
  name            TEXT NOT NULL CHECK (length(name) > 0),
  mapping         TEXT NOT NULL CHECK (json_valid(mapping)),
  is_builtin      INTEGER NOT NULL DEFAULT 0 CHECK (is_builtin IN (0, 1)),
  created_at      TEXT NOT NULL DEFAULT (tenure_now()),
  UNIQUE (bank_account_id, name)
) STRICT;
-- UNIQUE treats NULLs as distinct: template names are unique among themselves too.
CREATE UNIQUE INDEX import_profile_template_name_idx ON import_profile (name)
  WHERE bank_account_id IS NULL;

-- Offices are quoted per m² per day, shops per m² per month; asking_price_e4 was per month in
-- v1, so existing units keep that basis.
ALTER TABLE unit ADD COLUMN asking_price_basis TEXT NOT NULL DEFAULT 'per_m2_month'
  CHECK (asking_price_basis IN ('per_m2_month', 'per_m2_day'));

-- @audit-triggers

-- The layout of the common Chinese bank export (preamble lines, then separate debit and credit
-- columns with thousands separators).
INSERT INTO import_profile (bank_account_id, name, mapping, is_builtin) VALUES
  (NULL, 'Chinese bank CSV (debit and credit columns)',
   '{"header_contains":"交易日期","columns":{"booked_on":"交易日期","debit":"借方发生额(支取)",'
   || '"credit":"贷方发生额(收入)","payer_name":"对方户名","payer_account":"对方账号",'
   || '"memo":"用途","bank_reference":"交易流水号"}}',
   1);
