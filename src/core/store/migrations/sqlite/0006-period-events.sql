-- SPDX-License-Identifier: GPL-3.0-or-later
-- Tenure schema v6 (SQLite; twin of ../postgresql/0006-period-events.sql): the history of
-- closing and reopening accounting periods (domain.md §7). accounting_period.closed_at/by say
-- whether a month is closed now; each close, forced close (with unresolved reconciliation
-- differences) and reopen is kept here with who, when and why.
CREATE TABLE accounting_period_event (
  id              INTEGER PRIMARY KEY,
  legal_entity_id INTEGER NOT NULL REFERENCES legal_entity (id) ON DELETE RESTRICT,
  period          TEXT NOT NULL CHECK (date(period || '-01', '+0 days') IS period || '-01'),
  action          TEXT NOT NULL CHECK (action IN ('close', 'force_close', 'reopen')),
  reason          TEXT,
  unresolved      INTEGER NOT NULL DEFAULT 0 CHECK (unresolved >= 0),
  actor           TEXT NOT NULL DEFAULT (tenure_actor()),
  at              TEXT NOT NULL DEFAULT (tenure_now()),
  CHECK (action = 'close' OR length(reason) > 0)
) STRICT;
CREATE INDEX accounting_period_event_period_idx
  ON accounting_period_event (legal_entity_id, period);
