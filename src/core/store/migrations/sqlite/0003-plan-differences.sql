-- SPDX-License-Identifier: GPL-3.0-or-later
-- Tenure schema v3 (SQLite; twin of ../postgresql/0003-plan-differences.sql): a difference
-- line (credit or debit for a billed period a contract change affected) points at the billed
-- line it corrects, so the bill run can issue it as a note against that line's bill.

ALTER TABLE receivable_line ADD COLUMN corrects_line_id INTEGER
  REFERENCES receivable_line (id) ON DELETE RESTRICT;
CREATE INDEX receivable_line_corrects_idx ON receivable_line (corrects_line_id);

-- @audit-triggers
