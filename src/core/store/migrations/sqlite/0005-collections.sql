-- SPDX-License-Identifier: GPL-3.0-or-later
-- Tenure schema v5 (SQLite; twin of ../postgresql/0005-collections.sql): the collections
-- engine (domain.md §7, §10): receipts with attachments, the allocation order, auto-matching
-- of bank lines with its reasons, the payer-alias table, reconciliation and dunning.

-- Receipts --------------------------------------------------------------------------------

-- The legal entity whose books a receipt is posted in (its period must be open) and, for a
-- bank receipt, the account it came into. NULL only on rows written before v5.
ALTER TABLE receipt ADD COLUMN legal_entity_id INTEGER
  REFERENCES legal_entity (id) ON DELETE RESTRICT;
ALTER TABLE receipt ADD COLUMN bank_account_id INTEGER
  REFERENCES bank_account (id) ON DELETE RESTRICT;
CREATE INDEX receipt_legal_entity_idx ON receipt (legal_entity_id, posting_date);

-- Payment slips and vouchers, kept in the database (a group shares one server) with the
-- SHA-256 of their bytes, so bill → receipt → voucher → reconciliation stays one chain.
CREATE TABLE receipt_attachment (
  id             INTEGER PRIMARY KEY,
  receipt_id     INTEGER NOT NULL REFERENCES receipt (id) ON DELETE RESTRICT,
  file_name      TEXT NOT NULL CHECK (length(file_name) > 0),
  media_type     TEXT,
  size           INTEGER NOT NULL CHECK (size >= 0),
  sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
  content_base64 TEXT NOT NULL,
  created_at     TEXT NOT NULL DEFAULT (tenure_now()),
  UNIQUE (receipt_id, sha256)
) STRICT;

-- Why an offset or write-off was made (write-offs also record approved_by).
ALTER TABLE allocation ADD COLUMN reason TEXT;

-- Allocation order (Civil Code Art. 561): oldest due date first; within one debt (a bill),
-- costs, then late fees, then principal. A line's part: late_fee for late-fee lines, else its
-- charge item's debt_part. The order of the parts is configurable per project.
ALTER TABLE charge_item ADD COLUMN debt_part TEXT NOT NULL DEFAULT 'principal'
  CHECK (debt_part IN ('cost', 'late_fee', 'principal'));
ALTER TABLE project ADD COLUMN allocation_order TEXT NOT NULL
  DEFAULT 'cost,late_fee,principal'
  CHECK (allocation_order IN ('cost,late_fee,principal', 'cost,principal,late_fee',
                              'late_fee,cost,principal', 'late_fee,principal,cost',
                              'principal,cost,late_fee', 'principal,late_fee,cost'));

-- Bank lines and matching --------------------------------------------------------------------

-- The line (or row) of the statement file a bank line came from, for messages.
ALTER TABLE bank_statement_line ADD COLUMN source_line INTEGER;

-- Payer account numbers and names learned from confirmed matches (cascade step 2). value is
-- normalised by the matcher (account: digits and letters only; name: case- and space-folded).
CREATE TABLE payer_alias (
  id                INTEGER PRIMARY KEY,
  tenant_id         INTEGER NOT NULL REFERENCES tenant (id) ON DELETE RESTRICT,
  kind              TEXT NOT NULL CHECK (kind IN ('account', 'name')),
  value             TEXT NOT NULL CHECK (length(value) > 0),
  confirmed_count   INTEGER NOT NULL DEFAULT 1 CHECK (confirmed_count >= 1),
  last_confirmed_at TEXT NOT NULL DEFAULT (tenure_now()),
  UNIQUE (kind, value, tenant_id)
) STRICT;
CREATE INDEX payer_alias_tenant_idx ON payer_alias (tenant_id);

-- A proposed match of one bank line: the cascade step, a reason code the UI translates
-- ('memo_reference', 'payer_single_item', 'payer_oldest_first', 'amount_near_due', …) with
-- its details as JSON, a confidence 0–100, and the open items it would pay (bank_match_item).
-- Confirming writes the receipt and its allocations in the same transaction.
CREATE TABLE bank_match (
  id                     INTEGER PRIMARY KEY,
  bank_statement_line_id INTEGER NOT NULL REFERENCES bank_statement_line (id)
                         ON DELETE RESTRICT,
  step                   INTEGER NOT NULL CHECK (step BETWEEN 1 AND 3),
  reason                 TEXT NOT NULL CHECK (length(reason) > 0),
  detail                 TEXT CHECK (detail IS NULL OR json_valid(detail)),
  confidence             INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
  tenant_id              INTEGER REFERENCES tenant (id) ON DELETE RESTRICT,
  status                 TEXT NOT NULL DEFAULT 'proposed'
                         CHECK (status IN ('proposed', 'confirmed', 'rejected')),
  decided_by             TEXT,
  decided_at             TEXT,
  receipt_id             INTEGER REFERENCES receipt (id) ON DELETE RESTRICT,
  created_at             TEXT NOT NULL DEFAULT (tenure_now()),
  CHECK ((status = 'confirmed') = (receipt_id IS NOT NULL))
) STRICT;
CREATE INDEX bank_match_line_idx ON bank_match (bank_statement_line_id);
CREATE INDEX bank_match_status_idx ON bank_match (status, confidence);
CREATE INDEX bank_match_receipt_idx ON bank_match (receipt_id);
CREATE INDEX bank_match_tenant_idx ON bank_match (tenant_id);

CREATE TABLE bank_match_item (
  id            INTEGER PRIMARY KEY,
  bank_match_id INTEGER NOT NULL REFERENCES bank_match (id) ON DELETE RESTRICT,
  bill_line_id  INTEGER NOT NULL REFERENCES bill_line (id) ON DELETE RESTRICT,
  amount        INTEGER NOT NULL CHECK (amount > 0),
  UNIQUE (bank_match_id, bill_line_id)
) STRICT;
CREATE INDEX bank_match_item_bill_line_idx ON bank_match_item (bill_line_id);

-- Reconciliation -------------------------------------------------------------------------

-- One reconciliation of a month and scope (the whole legal entity, a project or a contract):
-- receivable (due in the period), received (allocated to it) and the difference, each
-- difference with its cause and resolution. Closing the period is accounting_period.closed_at.
CREATE TABLE reconciliation (
  id              INTEGER PRIMARY KEY,
  legal_entity_id INTEGER NOT NULL REFERENCES legal_entity (id) ON DELETE RESTRICT,
  period          TEXT NOT NULL CHECK (date(period || '-01', '+0 days') IS period || '-01'),
  scope_kind      TEXT NOT NULL DEFAULT 'entity'
                  CHECK (scope_kind IN ('entity', 'project', 'contract')),
  scope_code      TEXT NOT NULL DEFAULT '',
  currency        TEXT NOT NULL DEFAULT 'CNY'
                  CHECK (length(currency) = 3 AND upper(currency) = currency),
  receivable      INTEGER NOT NULL,
  received        INTEGER NOT NULL,
  difference      INTEGER NOT NULL,
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_at      TEXT NOT NULL DEFAULT (tenure_now()),
  updated_at      TEXT NOT NULL DEFAULT (tenure_now()),
  actor           TEXT NOT NULL DEFAULT (tenure_actor()),
  CHECK ((scope_kind = 'entity') = (scope_code = '')),
  UNIQUE (legal_entity_id, period, scope_kind, scope_code, currency)
) STRICT;

CREATE TABLE reconciliation_difference (
  id                INTEGER PRIMARY KEY,
  reconciliation_id INTEGER NOT NULL REFERENCES reconciliation (id) ON DELETE RESTRICT,
  cause             TEXT NOT NULL
                    CHECK (cause IN ('unpaid', 'partly_paid', 'overpaid', 'unapplied_credit',
                                     'unmatched_bank_line', 'paid_after_period', 'write_off',
                                     'offset', 'other')),
  amount            INTEGER NOT NULL,
  contract_id       INTEGER REFERENCES contract (id) ON DELETE RESTRICT,
  bill_line_id      INTEGER REFERENCES bill_line (id) ON DELETE RESTRICT,
  bank_statement_line_id INTEGER REFERENCES bank_statement_line (id) ON DELETE RESTRICT,
  note              TEXT,
  resolution        TEXT,
  resolved_by       TEXT,
  resolved_at       TEXT,
  created_at        TEXT NOT NULL DEFAULT (tenure_now()),
  CHECK ((resolution IS NULL) = (resolved_by IS NULL))
) STRICT;
CREATE INDEX reconciliation_difference_rec_idx ON reconciliation_difference (reconciliation_id);
CREATE INDEX reconciliation_difference_contract_idx ON reconciliation_difference (contract_id);
CREATE INDEX reconciliation_difference_bill_line_idx
  ON reconciliation_difference (bill_line_id);
CREATE INDEX reconciliation_difference_bank_line_idx
  ON reconciliation_difference (bank_statement_line_id);

-- Dunning --------------------------------------------------------------------------------

-- Levels by days past due and overdue amount (domain.md §7, §11). project_id NULL: the group's
-- default levels; a project's own rows replace them. cadence_days NULL: once per overdue
-- episode. action 'notice' records a notice (delivered by a later issue over channel);
-- 'task' a task for a person.
CREATE TABLE dunning_level (
  id               INTEGER PRIMARY KEY,
  project_id       INTEGER REFERENCES project (id) ON DELETE RESTRICT,
  level            INTEGER NOT NULL CHECK (level BETWEEN 1 AND 9),
  name             TEXT NOT NULL CHECK (length(name) > 0),
  min_days_overdue INTEGER NOT NULL CHECK (min_days_overdue >= 1),
  min_amount       INTEGER NOT NULL DEFAULT 0 CHECK (min_amount >= 0),
  cadence_days     INTEGER CHECK (cadence_days >= 1),
  action           TEXT NOT NULL CHECK (action IN ('notice', 'task')),
  channel          TEXT CHECK (channel IN ('email', 'sms', 'wecom', 'letter')),
  UNIQUE (project_id, level)
) STRICT;
CREATE UNIQUE INDEX dunning_level_default_idx ON dunning_level (level) WHERE project_id IS NULL;

CREATE TABLE dunning_run (
  id          INTEGER PRIMARY KEY,
  as_of       TEXT NOT NULL CHECK (date(as_of, '+0 days') IS as_of),
  notices     INTEGER NOT NULL DEFAULT 0,
  tasks       INTEGER NOT NULL DEFAULT 0,
  started_at  TEXT NOT NULL DEFAULT (tenure_now()),
  actor       TEXT NOT NULL DEFAULT (tenure_actor())
) STRICT;

-- What a run produced, per contract and level: a notice waiting for delivery, or a task.
CREATE TABLE dunning_action (
  id               INTEGER PRIMARY KEY,
  dunning_run_id   INTEGER NOT NULL REFERENCES dunning_run (id) ON DELETE RESTRICT,
  dunning_level_id INTEGER NOT NULL REFERENCES dunning_level (id) ON DELETE RESTRICT,
  contract_id      INTEGER NOT NULL REFERENCES contract (id) ON DELETE RESTRICT,
  tenant_id        INTEGER NOT NULL REFERENCES tenant (id) ON DELETE RESTRICT,
  as_of            TEXT NOT NULL CHECK (date(as_of, '+0 days') IS as_of),
  kind             TEXT NOT NULL CHECK (kind IN ('notice', 'task')),
  channel          TEXT CHECK (channel IN ('email', 'sms', 'wecom', 'letter')),
  overdue_amount   INTEGER NOT NULL CHECK (overdue_amount > 0),
  currency         TEXT NOT NULL DEFAULT 'CNY'
                   CHECK (length(currency) = 3 AND upper(currency) = currency),
  oldest_due_date  TEXT NOT NULL CHECK (date(oldest_due_date, '+0 days') IS oldest_due_date),
  days_overdue     INTEGER NOT NULL CHECK (days_overdue >= 1),
  status           TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'sent', 'failed', 'open', 'done',
                                     'cancelled')),
  created_at       TEXT NOT NULL DEFAULT (tenure_now())
) STRICT;
CREATE INDEX dunning_action_run_idx ON dunning_action (dunning_run_id);
CREATE INDEX dunning_action_contract_idx ON dunning_action (contract_id, dunning_level_id, as_of);
CREATE INDEX dunning_action_level_idx ON dunning_action (dunning_level_id);
CREATE INDEX dunning_action_tenant_idx ON dunning_action (tenant_id);

-- @audit-triggers

-- The default levels of domain.md §11 (amounts in fen; only when the overdue amount is at
-- least 100.00).
INSERT INTO dunning_level (project_id, level, name, min_days_overdue, min_amount, cadence_days,
                           action, channel) VALUES
  (NULL, 1, 'Reminder', 1, 10000, 7, 'notice', 'email'),
  (NULL, 2, 'Second notice', 15, 10000, 7, 'notice', 'email'),
  (NULL, 3, 'Service restriction', 30, 10000, NULL, 'task', NULL),
  (NULL, 4, 'Legal action', 60, 10000, NULL, 'task', NULL);
