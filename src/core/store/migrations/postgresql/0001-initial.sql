-- SPDX-License-Identifier: GPL-3.0-or-later
-- Tenure schema v1 (PostgreSQL). The SQLite twin is ../sqlite/0001-initial.sql: keep table
-- and column names, types and CHECKs the same in both.
--
-- Conventions: money, areas and prices are bigint (fen, 0.01 m², 0.0001 yuan); rates in
-- parts per million; dates are text 'YYYY-MM-DD' (CHECKed to be real calendar dates) so that
-- one SQL serves both dialects; timestamps text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (UTC) from
-- tenure_now(); booleans 0/1. The functions below give SQL the same helpers as the SQLite
-- backend registers on its connections (tenure_now, tenure_actor, tenure_sha256).

CREATE FUNCTION tenure_now () RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT to_char (clock_timestamp () AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

CREATE FUNCTION tenure_actor () RETURNS text LANGUAGE sql STABLE AS $$
  SELECT current_user::text
$$;

CREATE FUNCTION tenure_sha256 (t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT encode (sha256 (convert_to (t, 'UTF8')), 'hex')
$$;

-- TRUE when D is a real calendar date written 'YYYY-MM-DD' (NULL for NULL, which a CHECK
-- accepts). No cast on unchecked text: a CHECK must fail, never raise a different error.
CREATE FUNCTION tenure_is_date (d text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN d IS NULL THEN NULL
    WHEN d !~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' THEN false
    WHEN substr (d, 1, 4) = '0000' THEN false
    ELSE substr (d, 9, 2)::int
         <= extract (day FROM make_date (substr (d, 1, 4)::int, substr (d, 6, 2)::int, 1)
                              + interval '1 month' - interval '1 day')
  END
$$;

-- TRUE when T parses as JSON (NULL for NULL).
CREATE FUNCTION tenure_is_json (t text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF t IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM t::jsonb;
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END
$$;

-- Audit log: one row per inserted, updated or deleted row of every table but audit_log and
-- schema_migrations, hash-chained (tenure-audit.c verifies the chain):
--   hash = sha256 (prev_hash|id|at|actor|table_name|row_id|action|old_values|new_values)
-- The chain is one sequence for the whole database, so writers serialize on a transaction
-- advisory lock (held to commit) and the first audited write of a transaction reads the head
-- under READ COMMITTED, which sees every chain row committed before the lock was granted.
-- While the lock is held nobody else appends, so the head is then kept in a transaction-local
-- setting (tenure.audit_head = 'id:hash'): bulk writes skip the lock and the lookup. A rolled
-- back savepoint reverts the setting together with the rows and the lock it took.
CREATE FUNCTION tenure_audit_row () RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_head   text := current_setting ('tenure.audit_head', true);
  v_id     bigint;
  v_at     text;
  v_actor  text := current_user;
  v_row    bigint;
  v_action text;
  v_old    text;
  v_new    text;
  v_prev   text;
  v_hash   text;
BEGIN
  IF v_head IS NULL OR v_head = '' THEN
    -- A REPEATABLE READ snapshot could miss the head committed by a concurrent writer and
    -- fork the chain: refuse rather than record a broken log.
    IF current_setting ('transaction_isolation') = 'repeatable read' THEN
      RAISE EXCEPTION 'audited writes need READ COMMITTED or SERIALIZABLE isolation (table %)',
        TG_TABLE_NAME USING ERRCODE = 'serialization_failure';
    END IF;
    PERFORM pg_advisory_xact_lock (7308604719586649204); -- "tenure audit" chain
    SELECT hash INTO v_prev FROM audit_log ORDER BY id DESC LIMIT 1;
    v_prev := coalesce (v_prev, '');
  ELSE
    v_prev := split_part (v_head, ':', 2);
  END IF;
  IF TG_OP = 'INSERT' THEN
    v_action := 'insert';
    v_row := NEW.id;
    v_new := to_jsonb (NEW)::text;
  ELSIF TG_OP = 'UPDATE' THEN
    v_action := 'update';
    v_row := NEW.id;
    v_old := to_jsonb (OLD)::text;
    v_new := to_jsonb (NEW)::text;
  ELSE
    v_action := 'delete';
    v_row := OLD.id;
    v_old := to_jsonb (OLD)::text;
  END IF;
  v_id := nextval ('audit_log_id_seq');
  v_at := tenure_now ();
  v_hash := tenure_sha256 (v_prev || '|' || v_id || '|' || v_at || '|' || v_actor || '|'
                           || TG_TABLE_NAME || '|' || v_row || '|' || v_action || '|'
                           || coalesce (v_old, '') || '|' || coalesce (v_new, ''));
  INSERT INTO audit_log (id, at, actor, table_name, row_id, action, old_values, new_values,
                         prev_hash, hash)
  VALUES (v_id, v_at, v_actor, TG_TABLE_NAME, v_row, v_action, v_old, v_new, v_prev, v_hash);
  PERFORM set_config ('tenure.audit_head', v_id || ':' || v_hash, true);
  RETURN NULL;
END
$$;

-- Attaches the audit trigger to every table of the current schema that lacks it; the
-- migration runner calls it at each "-- @audit-triggers" line and after each migration.
CREATE FUNCTION tenure_audit_attach_all () RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema () AND c.relkind IN ('r', 'p')
      AND c.relname NOT IN ('audit_log', 'schema_migrations')
      AND NOT EXISTS (SELECT 1 FROM pg_trigger g
                      WHERE g.tgrelid = c.oid AND g.tgname = 'tenure_audit')
    ORDER BY c.relname
  LOOP
    EXECUTE format ('CREATE TRIGGER tenure_audit AFTER INSERT OR UPDATE OR DELETE ON %I '
                    'FOR EACH ROW EXECUTE FUNCTION tenure_audit_row ()', t.relname);
  END LOOP;
END
$$;

CREATE TABLE schema_migrations (
  version     bigint PRIMARY KEY,
  description text NOT NULL,
  applied_at  text NOT NULL,
  applied_by  text NOT NULL
);

CREATE TABLE audit_log (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at          text NOT NULL,
  actor       text NOT NULL,
  table_name  text NOT NULL,
  row_id      bigint NOT NULL,
  action      text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  old_values  text,
  new_values  text,
  prev_hash   text NOT NULL,
  hash        text NOT NULL
);
CREATE INDEX audit_log_row_idx ON audit_log (table_name, row_id);

-- Assets --------------------------------------------------------------------------------

CREATE TABLE legal_entity (
  id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code          text NOT NULL UNIQUE CHECK (length(code) > 0),
  name          text NOT NULL CHECK (length(name) > 0),
  taxpayer_type text NOT NULL DEFAULT 'general'
                CHECK (taxpayer_type IN ('general', 'small_scale')),
  tax_id        text,
  created_at    text NOT NULL DEFAULT (tenure_now())
);

CREATE TABLE project (
  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code            text NOT NULL UNIQUE CHECK (length(code) > 0),
  legal_entity_id bigint NOT NULL REFERENCES legal_entity (id) ON DELETE RESTRICT,
  name            text NOT NULL CHECK (length(name) > 0),
  format          text NOT NULL
                  CHECK (format IN ('mall', 'office', 'industrial_park', 'apartment')),
  city            text,
  address         text,
  acquired_on     text CHECK (tenure_is_date(acquired_on)),
  vat_method      text NOT NULL DEFAULT 'general'
                  CHECK (vat_method IN ('general', 'simplified')),
  created_at      text NOT NULL DEFAULT (tenure_now())
);
CREATE INDEX project_legal_entity_idx ON project (legal_entity_id);

CREATE TABLE building (
  id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code       text NOT NULL UNIQUE CHECK (length(code) > 0),
  project_id bigint NOT NULL REFERENCES project (id) ON DELETE RESTRICT,
  name       text NOT NULL CHECK (length(name) > 0),
  sort_order bigint NOT NULL DEFAULT 0,
  created_at text NOT NULL DEFAULT (tenure_now())
);
CREATE INDEX building_project_idx ON building (project_id);

-- sort_order is explicit because names do not sort: B2 < B1 < 1F < 2F < … < 12F.
CREATE TABLE floor (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (length(code) > 0),
  building_id bigint NOT NULL REFERENCES building (id) ON DELETE RESTRICT,
  name        text NOT NULL CHECK (length(name) > 0),
  sort_order  bigint NOT NULL DEFAULT 0,
  plan_width  bigint NOT NULL DEFAULT 1000 CHECK (plan_width > 0),
  plan_height bigint NOT NULL DEFAULT 600 CHECK (plan_height > 0),
  created_at  text NOT NULL DEFAULT (tenure_now())
);
CREATE INDEX floor_building_idx ON floor (building_id, sort_order);

-- stored_status holds only the stored flags; leased and vacant are derived from contracts.
CREATE TABLE unit (
  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code            text NOT NULL UNIQUE CHECK (length(code) > 0),
  floor_id        bigint NOT NULL REFERENCES floor (id) ON DELETE RESTRICT,
  name            text NOT NULL CHECK (length(name) > 0),
  format          text NOT NULL
                  CHECK (format IN ('mall', 'office', 'industrial_park', 'apartment')),
  gfa_area_c      bigint NOT NULL CHECK (gfa_area_c > 0),
  leasable_area_c bigint NOT NULL CHECK (leasable_area_c > 0),
  stored_status   text NOT NULL DEFAULT 'available'
                  CHECK (stored_status IN ('available', 'reserved', 'not_for_lease',
                                           'renovation')),
  asking_price_e4 bigint CHECK (asking_price_e4 >= 0),
  vacancy_reason  text,
  polygon         text CHECK (tenure_is_json(polygon)),
  created_at      text NOT NULL DEFAULT (tenure_now()),
  retired_on      text CHECK (tenure_is_date(retired_on))
);
CREATE INDEX unit_floor_idx ON unit (floor_id);

CREATE TABLE unit_note (
  id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  unit_id    bigint NOT NULL REFERENCES unit (id) ON DELETE RESTRICT,
  noted_on   text NOT NULL CHECK (tenure_is_date(noted_on)),
  author     text NOT NULL DEFAULT (tenure_actor()),
  body       text NOT NULL CHECK (length(body) > 0),
  created_at text NOT NULL DEFAULT (tenure_now())
);
CREATE INDEX unit_note_unit_idx ON unit_note (unit_id, noted_on);

-- Tenants -------------------------------------------------------------------------------

CREATE TABLE tenant (
  id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code             text NOT NULL UNIQUE CHECK (length(code) > 0),
  name             text NOT NULL CHECK (length(name) > 0),
  short_name       text,
  kind             text NOT NULL DEFAULT 'company' CHECK (kind IN ('company', 'person')),
  parent_tenant_id bigint REFERENCES tenant (id) ON DELETE RESTRICT,
  id_number        text,
  phone            text,
  email            text,
  bank_account     text,
  industry         text,
  created_at       text NOT NULL DEFAULT (tenure_now())
);
CREATE INDEX tenant_parent_idx ON tenant (parent_tenant_id);

-- Charge items and VAT ----------------------------------------------------------------------

CREATE TABLE charge_item (
  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code         text NOT NULL UNIQUE CHECK (length(code) > 0),
  name         text NOT NULL CHECK (length(name) > 0),
  kind         text NOT NULL CHECK (kind IN ('rent', 'property_fee', 'deposit', 'parking',
                                             'advertising', 'energy', 'custom')),
  account_code text,
  is_builtin   bigint NOT NULL DEFAULT 0 CHECK (is_builtin IN (0, 1))
);

-- The rate in force on a date is the row with the latest effective_from on or before it.
CREATE TABLE vat_rate (
  id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  charge_item_id bigint NOT NULL REFERENCES charge_item (id) ON DELETE RESTRICT,
  effective_from text NOT NULL CHECK (tenure_is_date(effective_from)),
  rate_ppm       bigint NOT NULL CHECK (rate_ppm BETWEEN 0 AND 1000000),
  method         text NOT NULL CHECK (method IN ('general', 'simplified')),
  UNIQUE (charge_item_id, method, effective_from)
);

-- Contracts ------------------------------------------------------------------------------

CREATE TABLE contract (
  id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code             text NOT NULL UNIQUE CHECK (length(code) > 0),
  tenant_id        bigint NOT NULL REFERENCES tenant (id) ON DELETE RESTRICT,
  project_id       bigint NOT NULL REFERENCES project (id) ON DELETE RESTRICT,
  status           text NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'pending_approval', 'active', 'expired',
                                     'terminated')),
  currency         text NOT NULL DEFAULT 'CNY'
                   CHECK (length(currency) = 3 AND upper(currency) = currency),
  signed_on        text CHECK (tenure_is_date(signed_on)),
  start_date       text NOT NULL CHECK (tenure_is_date(start_date)),
  end_date         text NOT NULL CHECK (tenure_is_date(end_date)),
  renewal_of_id    bigint REFERENCES contract (id) ON DELETE RESTRICT,
  terminated_on    text CHECK (tenure_is_date(terminated_on)),
  termination_type text CHECK (termination_type IN ('normal', 'early_agreement', 'breach')),
  created_at       text NOT NULL DEFAULT (tenure_now()),
  CHECK (end_date >= start_date)
);
CREATE INDEX contract_tenant_idx ON contract (tenant_id);
CREATE INDEX contract_project_idx ON contract (project_id);
CREATE INDEX contract_renewal_of_idx ON contract (renewal_of_id);

CREATE TABLE contract_version (
  id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  contract_id    bigint NOT NULL REFERENCES contract (id) ON DELETE RESTRICT,
  version_no     bigint NOT NULL CHECK (version_no >= 1),
  effective_from text NOT NULL CHECK (tenure_is_date(effective_from)),
  reason         text,
  status         text NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'pending_approval', 'approved', 'superseded')),
  created_by     text NOT NULL DEFAULT (tenure_actor()),
  approved_by    text,
  approved_at    text,
  created_at     text NOT NULL DEFAULT (tenure_now()),
  UNIQUE (contract_id, version_no)
);

CREATE TABLE contract_unit (
  id                  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  contract_version_id bigint NOT NULL REFERENCES contract_version (id) ON DELETE RESTRICT,
  unit_id             bigint NOT NULL REFERENCES unit (id) ON DELETE RESTRICT,
  area_c              bigint NOT NULL CHECK (area_c > 0),
  UNIQUE (contract_version_id, unit_id)
);
CREATE INDEX contract_unit_unit_idx ON contract_unit (unit_id);

-- price_e4 for the per-m² bases, amount for the fixed ones, turnover (JSON) for 'turnover';
-- escalation and turnover are JSON documents described in schema.md.
CREATE TABLE clause (
  id                  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  contract_version_id bigint NOT NULL REFERENCES contract_version (id) ON DELETE RESTRICT,
  charge_item_id      bigint NOT NULL REFERENCES charge_item (id) ON DELETE RESTRICT,
  basis               text NOT NULL
                      CHECK (basis IN ('per_m2_day', 'per_m2_month', 'fixed_month',
                                       'fixed_period', 'one_off', 'turnover')),
  price_e4            bigint CHECK (price_e4 >= 0),
  amount              bigint,
  cycle_months        bigint NOT NULL DEFAULT 1 CHECK (cycle_months IN (1, 2, 3, 6, 12)),
  alignment           text NOT NULL DEFAULT 'anniversary'
                      CHECK (alignment IN ('anniversary', 'calendar')),
  timing              text NOT NULL DEFAULT 'advance' CHECK (timing IN ('advance', 'arrears')),
  advance_days        bigint NOT NULL DEFAULT 0,
  days_rule           text NOT NULL DEFAULT 'ACTUAL'
                      CHECK (days_rule IN ('ACTUAL', 'FIXED_30', 'AVG_365_12')),
  starts_on           text NOT NULL CHECK (tenure_is_date(starts_on)),
  ends_on             text NOT NULL CHECK (tenure_is_date(ends_on)),
  escalation          text CHECK (tenure_is_json(escalation)),
  turnover            text CHECK (tenure_is_json(turnover)),
  late_fee_rate_ppm   bigint NOT NULL DEFAULT 0 CHECK (late_fee_rate_ppm >= 0),
  late_fee_grace_days bigint NOT NULL DEFAULT 0 CHECK (late_fee_grace_days >= 0),
  late_fee_cap_ppm    bigint NOT NULL DEFAULT 0 CHECK (late_fee_cap_ppm >= 0),
  CHECK (ends_on >= starts_on),
  CHECK ((basis IN ('per_m2_day', 'per_m2_month') AND price_e4 IS NOT NULL)
         OR (basis IN ('fixed_month', 'fixed_period', 'one_off') AND amount IS NOT NULL)
         OR (basis = 'turnover' AND turnover IS NOT NULL))
);
CREATE INDEX clause_contract_version_idx ON clause (contract_version_id);
CREATE INDEX clause_charge_item_idx ON clause (charge_item_id);

CREATE TABLE rent_free (
  id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  clause_id bigint NOT NULL REFERENCES clause (id) ON DELETE RESTRICT,
  from_date text NOT NULL CHECK (tenure_is_date(from_date)),
  to_date   text NOT NULL CHECK (tenure_is_date(to_date)),
  CHECK (to_date >= from_date)
);
CREATE INDEX rent_free_clause_idx ON rent_free (clause_id);

CREATE TABLE turnover_report (
  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  contract_id  bigint NOT NULL REFERENCES contract (id) ON DELETE RESTRICT,
  period_start text NOT NULL CHECK (tenure_is_date(period_start)),
  period_end   text NOT NULL CHECK (tenure_is_date(period_end)),
  amount       bigint NOT NULL CHECK (amount >= 0),
  reported_on  text CHECK (tenure_is_date(reported_on)),
  CHECK (period_end >= period_start),
  UNIQUE (contract_id, period_start)
);

CREATE TABLE cpi_index (
  id       bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  series   text NOT NULL CHECK (length(series) > 0),
  period   text NOT NULL CHECK (tenure_is_date(period || '-01')),
  value_e4 bigint NOT NULL CHECK (value_e4 > 0),
  UNIQUE (series, period)
);

-- Receivables and bills ------------------------------------------------------------------

CREATE TABLE bill_run (
  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  period       text NOT NULL CHECK (tenure_is_date(period || '-01')),
  scope_kind   text NOT NULL DEFAULT 'all'
               CHECK (scope_kind IN ('all', 'project', 'building', 'contract')),
  scope_code   text,
  posting_date text NOT NULL CHECK (tenure_is_date(posting_date)),
  status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'posted', 'failed')),
  started_at   text NOT NULL DEFAULT (tenure_now()),
  finished_at  text,
  actor        text NOT NULL DEFAULT (tenure_actor()),
  CHECK ((scope_kind = 'all') = (scope_code IS NULL))
);

-- A posted bill is never edited: corrections are credit or debit notes pointing at it.
CREATE TABLE bill (
  id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code             text NOT NULL UNIQUE CHECK (length(code) > 0),
  bill_run_id      bigint REFERENCES bill_run (id) ON DELETE RESTRICT,
  contract_id      bigint NOT NULL REFERENCES contract (id) ON DELETE RESTRICT,
  tenant_id        bigint NOT NULL REFERENCES tenant (id) ON DELETE RESTRICT,
  kind             text NOT NULL DEFAULT 'bill'
                   CHECK (kind IN ('bill', 'credit_note', 'debit_note')),
  corrects_bill_id bigint REFERENCES bill (id) ON DELETE RESTRICT,
  period_start     text NOT NULL CHECK (tenure_is_date(period_start)),
  period_end       text NOT NULL CHECK (tenure_is_date(period_end)),
  due_date         text NOT NULL CHECK (tenure_is_date(due_date)),
  posting_date     text NOT NULL CHECK (tenure_is_date(posting_date)),
  total            bigint NOT NULL,
  tax              bigint NOT NULL DEFAULT 0,
  currency         text NOT NULL DEFAULT 'CNY'
                   CHECK (length(currency) = 3 AND upper(currency) = currency),
  created_at       text NOT NULL DEFAULT (tenure_now()),
  CHECK (period_end >= period_start),
  CHECK (kind = 'bill' OR corrects_bill_id IS NOT NULL)
);
CREATE INDEX bill_bill_run_idx ON bill (bill_run_id);
CREATE INDEX bill_contract_idx ON bill (contract_id);
CREATE INDEX bill_tenant_due_idx ON bill (tenant_id, due_date);
CREATE INDEX bill_corrects_idx ON bill (corrects_bill_id);

-- The receivable plan. trace is the calculation trace (JSON written by the engine; not
-- CHECKed so bulk plan generation stays cheap).
CREATE TABLE receivable_line (
  id                  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  contract_id         bigint NOT NULL REFERENCES contract (id) ON DELETE RESTRICT,
  contract_version_id bigint NOT NULL REFERENCES contract_version (id) ON DELETE RESTRICT,
  clause_id           bigint REFERENCES clause (id) ON DELETE RESTRICT,
  charge_item_id      bigint NOT NULL REFERENCES charge_item (id) ON DELETE RESTRICT,
  kind                text NOT NULL DEFAULT 'normal'
                      CHECK (kind IN ('normal', 'difference', 'late_fee', 'topup')),
  period_start        text NOT NULL CHECK (tenure_is_date(period_start)),
  period_end          text NOT NULL CHECK (tenure_is_date(period_end)),
  due_date            text NOT NULL CHECK (tenure_is_date(due_date)),
  amount              bigint NOT NULL,
  tax                 bigint NOT NULL DEFAULT 0,
  currency            text NOT NULL DEFAULT 'CNY'
                      CHECK (length(currency) = 3 AND upper(currency) = currency),
  trace               text,
  status              text NOT NULL DEFAULT 'planned'
                      CHECK (status IN ('planned', 'billed', 'superseded')),
  bill_id             bigint REFERENCES bill (id) ON DELETE RESTRICT,
  CHECK (period_end >= period_start),
  UNIQUE (contract_id, charge_item_id, kind, period_start, contract_version_id)
);
-- contract_id is covered by the UNIQUE index above.
CREATE INDEX receivable_line_contract_period_idx ON receivable_line (contract_id, period_start);
CREATE INDEX receivable_line_status_due_idx ON receivable_line (status, due_date);
CREATE INDEX receivable_line_version_idx ON receivable_line (contract_version_id);
CREATE INDEX receivable_line_clause_idx ON receivable_line (clause_id);
CREATE INDEX receivable_line_charge_item_idx ON receivable_line (charge_item_id);
CREATE INDEX receivable_line_bill_idx ON receivable_line (bill_id);

CREATE TABLE bill_line (
  id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  bill_id            bigint NOT NULL REFERENCES bill (id) ON DELETE RESTRICT,
  receivable_line_id bigint NOT NULL UNIQUE
                     REFERENCES receivable_line (id) ON DELETE RESTRICT,
  charge_item_id     bigint NOT NULL REFERENCES charge_item (id) ON DELETE RESTRICT,
  period_start       text NOT NULL CHECK (tenure_is_date(period_start)),
  period_end         text NOT NULL CHECK (tenure_is_date(period_end)),
  due_date           text NOT NULL CHECK (tenure_is_date(due_date)),
  amount             bigint NOT NULL,
  tax                bigint NOT NULL DEFAULT 0,
  CHECK (period_end >= period_start)
);
CREATE INDEX bill_line_bill_idx ON bill_line (bill_id);
CREATE INDEX bill_line_charge_item_idx ON bill_line (charge_item_id);

-- Banks ----------------------------------------------------------------------------------

CREATE TABLE bank_account (
  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code            text NOT NULL UNIQUE CHECK (length(code) > 0),
  legal_entity_id bigint NOT NULL REFERENCES legal_entity (id) ON DELETE RESTRICT,
  bank_name       text NOT NULL,
  account_number  text NOT NULL CHECK (length(account_number) > 0),
  currency        text NOT NULL DEFAULT 'CNY'
                  CHECK (length(currency) = 3 AND upper(currency) = currency)
);
CREATE INDEX bank_account_legal_entity_idx ON bank_account (legal_entity_id);

-- The same file imported twice is refused by UNIQUE (bank_account_id, file_sha256).
CREATE TABLE bank_statement (
  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  bank_account_id bigint NOT NULL REFERENCES bank_account (id) ON DELETE RESTRICT,
  format          text NOT NULL CHECK (format IN ('camt053', 'mt940', 'ofx', 'csv', 'xlsx')),
  file_name       text NOT NULL,
  file_sha256     text NOT NULL CHECK (length(file_sha256) = 64),
  statement_ref   text,
  from_date       text CHECK (tenure_is_date(from_date)),
  to_date         text CHECK (tenure_is_date(to_date)),
  opening_balance bigint,
  closing_balance bigint,
  currency        text NOT NULL DEFAULT 'CNY'
                  CHECK (length(currency) = 3 AND upper(currency) = currency),
  imported_at     text NOT NULL DEFAULT (tenure_now()),
  CHECK (to_date >= from_date),
  UNIQUE (bank_account_id, file_sha256)
);

-- amount is signed: credits (money in) positive, debits negative.
CREATE TABLE bank_statement_line (
  id                bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  bank_statement_id bigint NOT NULL REFERENCES bank_statement (id) ON DELETE RESTRICT,
  bank_account_id   bigint NOT NULL REFERENCES bank_account (id) ON DELETE RESTRICT,
  booked_on         text NOT NULL CHECK (tenure_is_date(booked_on)),
  value_date        text CHECK (tenure_is_date(value_date)),
  amount            bigint NOT NULL,
  currency          text NOT NULL DEFAULT 'CNY'
                    CHECK (length(currency) = 3 AND upper(currency) = currency),
  payer_name        text,
  payer_account     text,
  memo              text,
  bank_reference    text,
  dedupe_key        text NOT NULL CHECK (length(dedupe_key) > 0),
  status            text NOT NULL DEFAULT 'unmatched'
                    CHECK (status IN ('unmatched', 'suggested', 'matched', 'ignored')),
  UNIQUE (bank_account_id, dedupe_key)
);
CREATE INDEX bank_statement_line_statement_idx ON bank_statement_line (bank_statement_id);
CREATE INDEX bank_statement_line_status_idx ON bank_statement_line (status, booked_on);

-- Receipts and allocation ----------------------------------------------------------------

-- tenant_id is NULL for money not yet attributed to a tenant (待认领).
CREATE TABLE receipt (
  id                     bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code                   text NOT NULL UNIQUE CHECK (length(code) > 0),
  tenant_id              bigint REFERENCES tenant (id) ON DELETE RESTRICT,
  method                 text NOT NULL CHECK (method IN ('bank', 'cash', 'third_party')),
  received_on            text NOT NULL CHECK (tenure_is_date(received_on)),
  posting_date           text NOT NULL CHECK (tenure_is_date(posting_date)),
  amount                 bigint NOT NULL CHECK (amount > 0),
  currency               text NOT NULL DEFAULT 'CNY'
                         CHECK (length(currency) = 3 AND upper(currency) = currency),
  payer_name             text,
  payer_account          text,
  bank_reference         text,
  memo                   text,
  bank_statement_line_id bigint REFERENCES bank_statement_line (id) ON DELETE RESTRICT,
  created_at             text NOT NULL DEFAULT (tenure_now())
);
CREATE INDEX receipt_tenant_idx ON receipt (tenant_id, received_on);
CREATE INDEX receipt_bank_statement_line_idx ON receipt (bank_statement_line_id);

-- An allocation draws on a receipt; an offset (deposit against arrears) or a write-off has
-- none. A reversal is a new row pointing at the one it reverses.
CREATE TABLE allocation (
  id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  receipt_id     bigint REFERENCES receipt (id) ON DELETE RESTRICT,
  bill_line_id   bigint NOT NULL REFERENCES bill_line (id) ON DELETE RESTRICT,
  amount         bigint NOT NULL,
  kind           text NOT NULL DEFAULT 'allocation'
                 CHECK (kind IN ('allocation', 'offset', 'write_off')),
  posting_date   text NOT NULL CHECK (tenure_is_date(posting_date)),
  approved_by    text,
  reversal_of_id bigint REFERENCES allocation (id) ON DELETE RESTRICT,
  created_at     text NOT NULL DEFAULT (tenure_now()),
  CHECK (kind <> 'allocation' OR receipt_id IS NOT NULL)
);
CREATE INDEX allocation_receipt_idx ON allocation (receipt_id);
CREATE INDEX allocation_bill_line_idx ON allocation (bill_line_id);
CREATE INDEX allocation_reversal_of_idx ON allocation (reversal_of_id);

CREATE TABLE deposit_entry (
  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  contract_id  bigint NOT NULL REFERENCES contract (id) ON DELETE RESTRICT,
  kind         text NOT NULL
               CHECK (kind IN ('billed', 'received', 'offset', 'refunded', 'forfeited')),
  amount       bigint NOT NULL,
  entry_date   text NOT NULL CHECK (tenure_is_date(entry_date)),
  bill_line_id bigint REFERENCES bill_line (id) ON DELETE RESTRICT,
  receipt_id   bigint REFERENCES receipt (id) ON DELETE RESTRICT,
  memo         text,
  created_at   text NOT NULL DEFAULT (tenure_now())
);
CREATE INDEX deposit_entry_contract_idx ON deposit_entry (contract_id, entry_date);
CREATE INDEX deposit_entry_bill_line_idx ON deposit_entry (bill_line_id);
CREATE INDEX deposit_entry_receipt_idx ON deposit_entry (receipt_id);

CREATE TABLE late_fee_waiver (
  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  bill_line_id bigint NOT NULL REFERENCES bill_line (id) ON DELETE RESTRICT,
  amount       bigint NOT NULL CHECK (amount > 0),
  reason       text NOT NULL CHECK (length(reason) > 0),
  requested_by text NOT NULL DEFAULT (tenure_actor()),
  approved_by  text,
  approved_at  text,
  created_at   text NOT NULL DEFAULT (tenure_now())
);
CREATE INDEX late_fee_waiver_bill_line_idx ON late_fee_waiver (bill_line_id);

-- Meters ---------------------------------------------------------------------------------

CREATE TABLE meter (
  id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code          text NOT NULL UNIQUE CHECK (length(code) > 0),
  unit_id       bigint NOT NULL REFERENCES unit (id) ON DELETE RESTRICT,
  kind          text NOT NULL
                CHECK (kind IN ('water', 'electricity', 'gas', 'cooling', 'heating')),
  multiplier_e4 bigint NOT NULL DEFAULT 10000 CHECK (multiplier_e4 > 0),
  rollover_max  bigint CHECK (rollover_max > 0),
  installed_on  text CHECK (tenure_is_date(installed_on)),
  removed_on    text CHECK (tenure_is_date(removed_on)),
  start_reading bigint NOT NULL DEFAULT 0 CHECK (start_reading >= 0),
  created_at    text NOT NULL DEFAULT (tenure_now())
);
CREATE INDEX meter_unit_idx ON meter (unit_id);

CREATE TABLE meter_reading (
  id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  meter_id  bigint NOT NULL REFERENCES meter (id) ON DELETE RESTRICT,
  read_on   text NOT NULL CHECK (tenure_is_date(read_on)),
  value_e4  bigint NOT NULL CHECK (value_e4 >= 0),
  estimated bigint NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),
  UNIQUE (meter_id, read_on)
);

-- Finance and control --------------------------------------------------------------------

CREATE TABLE accounting_period (
  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  legal_entity_id bigint NOT NULL REFERENCES legal_entity (id) ON DELETE RESTRICT,
  period          text NOT NULL CHECK (tenure_is_date(period || '-01')),
  closed_at       text,
  closed_by       text,
  UNIQUE (legal_entity_id, period)
);

CREATE TABLE app_user (
  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  login        text NOT NULL UNIQUE CHECK (length(login) > 0),
  display_name text,
  created_at   text NOT NULL DEFAULT (tenure_now())
);

CREATE TABLE role (
  id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (length(code) > 0),
  name text NOT NULL
);

-- project_id NULL grants the role on every project.
CREATE TABLE user_role (
  id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES app_user (id) ON DELETE RESTRICT,
  role_id    bigint NOT NULL REFERENCES role (id) ON DELETE RESTRICT,
  project_id bigint REFERENCES project (id) ON DELETE RESTRICT,
  UNIQUE (user_id, role_id, project_id)
);
-- UNIQUE treats NULLs as distinct: one "all projects" grant per user and role.
CREATE UNIQUE INDEX user_role_all_projects_idx ON user_role (user_id, role_id)
  WHERE project_id IS NULL;
CREATE INDEX user_role_role_idx ON user_role (role_id);
CREATE INDEX user_role_project_idx ON user_role (project_id);

CREATE TABLE setting (
  id    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  key   text NOT NULL UNIQUE CHECK (length(key) > 0),
  value text
);

-- The builtin rows below are audited like any other write.
-- @audit-triggers

-- Builtin charge items and their VAT rates (domain.md §6, §9). Rates are date-effective:
-- real-estate leasing 11% from the 2016-05-01 VAT reform, 10% from 2018-05-01, 9% from
-- 2019-04-01; property-management services 6%; the simplified method 5%; deposits untaxed.
-- A general taxpayer's services stay at 6% when the leasing of its old property uses the
-- simplified method. ENERGY has no default rate: it depends on what is resold (set it
-- before billing).
INSERT INTO charge_item (code, name, kind, account_code, is_builtin) VALUES
  ('RENT', 'Rent', 'rent', '6001', 1),
  ('PROPERTY_FEE', 'Property fee', 'property_fee', '6051', 1),
  ('DEPOSIT', 'Deposit', 'deposit', '2241', 1),
  ('PARKING', 'Parking', 'parking', '6001', 1),
  ('ADVERTISING', 'Advertising space', 'advertising', '6001', 1),
  ('ENERGY', 'Energy', 'energy', '6051', 1);

INSERT INTO vat_rate (charge_item_id, effective_from, rate_ppm, method)
SELECT c.id, r.effective_from, r.rate_ppm, r.method
FROM charge_item c
JOIN (SELECT 'RENT' AS code, '2016-05-01' AS effective_from, 110000 AS rate_ppm,
             'general' AS method
      UNION ALL SELECT 'RENT', '2018-05-01', 100000, 'general'
      UNION ALL SELECT 'RENT', '2019-04-01', 90000, 'general'
      UNION ALL SELECT 'RENT', '2016-05-01', 50000, 'simplified'
      UNION ALL SELECT 'PARKING', '2016-05-01', 110000, 'general'
      UNION ALL SELECT 'PARKING', '2018-05-01', 100000, 'general'
      UNION ALL SELECT 'PARKING', '2019-04-01', 90000, 'general'
      UNION ALL SELECT 'PARKING', '2016-05-01', 50000, 'simplified'
      UNION ALL SELECT 'ADVERTISING', '2016-05-01', 110000, 'general'
      UNION ALL SELECT 'ADVERTISING', '2018-05-01', 100000, 'general'
      UNION ALL SELECT 'ADVERTISING', '2019-04-01', 90000, 'general'
      UNION ALL SELECT 'ADVERTISING', '2016-05-01', 50000, 'simplified'
      UNION ALL SELECT 'PROPERTY_FEE', '2016-05-01', 60000, 'general'
      UNION ALL SELECT 'PROPERTY_FEE', '2016-05-01', 60000, 'simplified'
      UNION ALL SELECT 'DEPOSIT', '2016-05-01', 0, 'general'
      UNION ALL SELECT 'DEPOSIT', '2016-05-01', 0, 'simplified') r ON r.code = c.code;
