-- SPDX-License-Identifier: GPL-3.0-or-later
-- Tenure schema v4 (PostgreSQL; twin of ../sqlite/0004-line-identity.sql): the identity of a
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

ALTER TABLE receivable_line
  ADD COLUMN clause_seq integer NOT NULL DEFAULT 1 CHECK (clause_seq >= 1),
  ADD COLUMN correction_no integer NOT NULL DEFAULT 0 CHECK (correction_no >= 0);

-- Up to now one line per (item, kind, period, version): clause_seq 1 for all; corrections are
-- numbered in the order they were written.
UPDATE receivable_line r SET correction_no = n.no
  FROM (SELECT id, row_number () OVER (PARTITION BY corrects_line_id ORDER BY id) AS no
        FROM receivable_line WHERE kind = 'difference') n
  WHERE r.id = n.id;

-- The old key (contract, charge item, kind, period start, version) has a generated name.
DO $$
DECLARE
  c name;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
           WHERE conrelid = 'receivable_line'::regclass AND contype = 'u'
  LOOP
    EXECUTE format ('ALTER TABLE receivable_line DROP CONSTRAINT %I', c);
  END LOOP;
END
$$;

CREATE UNIQUE INDEX receivable_line_plan_key ON receivable_line
  (contract_id, charge_item_id, clause_seq, kind, period_start, contract_version_id)
  WHERE kind <> 'difference';
CREATE UNIQUE INDEX receivable_line_correction_key ON receivable_line
  (corrects_line_id, correction_no) WHERE kind = 'difference';

-- @audit-triggers
