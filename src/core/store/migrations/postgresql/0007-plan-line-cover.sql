-- SPDX-License-Identifier: GPL-3.0-or-later
-- Tenure schema v7 (PostgreSQL; twin of ../sqlite/0007-plan-line-cover.sql): a covering index
-- for the plan lines of a project's contracts, which the cash-flow forecast reads through
-- its contracts (an index-only scan where the visibility map allows).
CREATE INDEX receivable_line_contract_status_due_idx
  ON receivable_line (contract_id, status, due_date, currency, amount);
