-- SPDX-License-Identifier: GPL-3.0-or-later
-- Tenure schema v4 (SQLite; twin of ../postgresql/0004-line-identity.sql): the identity of a
-- receivable line.
--
-- A normal, top-up or late-fee line is (contract, charge item, clause_seq, kind, period start,
-- version): clause_seq is the clause's position (from 1) among the clauses of its version with
-- the same charge item, so two RENT clauses of one version have lines of their own, and the
-- 2nd RENT clause of a new version continues the 2nd RENT clause of the old one (the plan
-- engine matches clauses across versions the same way).
-- A difference line is (the line it corrects, correction_no): the 1st, 2nd… correction of that
-- billed line, so a billed period can be corrected again (a revised turnover report, late CPI
-- data) without a new version.
--
-- SQLite cannot drop a table constraint: the table is rebuilt (create new, copy, drop, rename,
-- as SQLite's ALTER TABLE documentation says). The migration runner switches foreign keys off
-- around this migration and checks them before it commits (bill_line refers to this table).

CREATE TABLE receivable_line_new (
  id                  INTEGER PRIMARY KEY,
  contract_id         INTEGER NOT NULL REFERENCES contract (id) ON DELETE RESTRICT,
  contract_version_id INTEGER NOT NULL REFERENCES contract_version (id) ON DELETE RESTRICT,
  clause_id           INTEGER REFERENCES clause (id) ON DELETE RESTRICT,
  charge_item_id      INTEGER NOT NULL REFERENCES charge_item (id) ON DELETE RESTRICT,
  kind                TEXT NOT NULL DEFAULT 'normal'
                      CHECK (kind IN ('normal', 'difference', 'late_fee', 'topup')),
  period_start        TEXT NOT NULL CHECK (date(period_start, '+0 days') IS period_start),
  period_end          TEXT NOT NULL CHECK (date(period_end, '+0 days') IS period_end),
  due_date            TEXT NOT NULL CHECK (date(due_date, '+0 days') IS due_date),
  amount              INTEGER NOT NULL,
  tax                 INTEGER NOT NULL DEFAULT 0,
  currency            TEXT NOT NULL DEFAULT 'CNY'
                      CHECK (length(currency) = 3 AND upper(currency) = currency),
  trace               TEXT,
  status              TEXT NOT NULL DEFAULT 'planned'
                      CHECK (status IN ('planned', 'billed', 'superseded')),
  bill_id             INTEGER REFERENCES bill (id) ON DELETE RESTRICT,
  corrects_line_id    INTEGER REFERENCES receivable_line (id) ON DELETE RESTRICT,
  clause_seq          INTEGER NOT NULL DEFAULT 1 CHECK (clause_seq >= 1),
  correction_no       INTEGER NOT NULL DEFAULT 0 CHECK (correction_no >= 0),
  CHECK (period_end >= period_start)
) STRICT;

-- Up to now one line per (item, kind, period, version): clause_seq 1 for all; corrections are
-- numbered in the order they were written.
INSERT INTO receivable_line_new (id, contract_id, contract_version_id, clause_id,
                                 charge_item_id, kind, period_start, period_end, due_date,
                                 amount, tax, currency, trace, status, bill_id,
                                 corrects_line_id, clause_seq, correction_no)
  SELECT id, contract_id, contract_version_id, clause_id, charge_item_id, kind, period_start,
         period_end, due_date, amount, tax, currency, trace, status, bill_id, corrects_line_id,
         1,
         CASE WHEN kind = 'difference'
              THEN row_number () OVER (PARTITION BY kind = 'difference', corrects_line_id
                                       ORDER BY id)
              ELSE 0 END
  FROM receivable_line;

DROP TABLE receivable_line;
ALTER TABLE receivable_line_new RENAME TO receivable_line;

CREATE UNIQUE INDEX receivable_line_plan_key ON receivable_line
  (contract_id, charge_item_id, clause_seq, kind, period_start, contract_version_id)
  WHERE kind <> 'difference';
CREATE UNIQUE INDEX receivable_line_correction_key ON receivable_line
  (corrects_line_id, correction_no) WHERE kind = 'difference';
CREATE INDEX receivable_line_contract_period_idx ON receivable_line (contract_id, period_start);
CREATE INDEX receivable_line_status_due_idx ON receivable_line (status, due_date);
CREATE INDEX receivable_line_version_idx ON receivable_line (contract_version_id);
CREATE INDEX receivable_line_clause_idx ON receivable_line (clause_id);
CREATE INDEX receivable_line_charge_item_idx ON receivable_line (charge_item_id);
CREATE INDEX receivable_line_bill_idx ON receivable_line (bill_id);
CREATE INDEX receivable_line_corrects_idx ON receivable_line (corrects_line_id);

-- @audit-triggers
