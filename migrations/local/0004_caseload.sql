-- The caseload: the rest of the client, the children, consent, consultations (a
-- group session is one consultation attended by several clients), their addenda,
-- and follow-ups. Dates are ISO `YYYY-MM-DD` text (the clinic's calendar date);
-- instants are Unix milliseconds. Every table carries the change-log columns.
--
-- `search_key`, `sort_key`, `last_contact` and `next_due` are derived by the store from the
-- other columns in the same transaction; they are never written by a change record.

ALTER TABLE clients ADD COLUMN latin_name TEXT;
ALTER TABLE clients ADD COLUMN iin TEXT;
ALTER TABLE clients ADD COLUMN birth_date TEXT;
ALTER TABLE clients ADD COLUMN phone TEXT;
ALTER TABLE clients ADD COLUMN address TEXT;
ALTER TABLE clients ADD COLUMN region TEXT;
ALTER TABLE clients ADD COLUMN district TEXT;
ALTER TABLE clients ADD COLUMN language TEXT;
ALTER TABLE clients ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN owner TEXT;
ALTER TABLE clients ADD COLUMN created_at INTEGER;
ALTER TABLE clients ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN last_contact TEXT;
ALTER TABLE clients ADD COLUMN next_due TEXT;

CREATE INDEX clients_by_name ON clients (archived, sort_key, id);
CREATE INDEX clients_by_last_contact ON clients (archived, last_contact);
CREATE INDEX clients_by_next_due ON clients (archived, next_due);
CREATE INDEX clients_by_district ON clients (district, archived, sort_key);

CREATE TABLE children (
    id             TEXT PRIMARY KEY,
    revision       INTEGER NOT NULL,
    updated_hlc    INTEGER NOT NULL,
    client_id      TEXT NOT NULL,
    name           TEXT,
    birth_date     TEXT,
    iin            TEXT,
    disability     TEXT,
    special_needs  INTEGER,
    diagnosis      TEXT,
    icd10          TEXT,
    diagnosed_on   TEXT,
    irp_status     TEXT
) STRICT;
CREATE INDEX children_by_client ON children (client_id);

CREATE TABLE consents (
    id             TEXT PRIMARY KEY,
    revision       INTEGER NOT NULL,
    updated_hlc    INTEGER NOT NULL,
    client_id      TEXT NOT NULL,
    scope          TEXT,
    given_by       TEXT,
    representative TEXT,
    method         TEXT,
    witness        TEXT,
    given_on       TEXT,
    withdrawn_on   TEXT
) STRICT;
CREATE INDEX consents_by_client ON consents (client_id);

CREATE TABLE consultations (
    id                  TEXT PRIMARY KEY,
    revision            INTEGER NOT NULL,
    updated_hlc         INTEGER NOT NULL,
    format              TEXT,
    held_on             TEXT,
    duration_minutes    INTEGER,
    participants        TEXT,
    concerns            TEXT,
    -- Intervention codes, comma-separated.
    interventions       TEXT,
    interventions_other TEXT,
    notes               TEXT,
    plan                TEXT,
    next_step           TEXT,
    created_at          INTEGER,
    signed_at           INTEGER,
    signed_by           TEXT
) STRICT;

-- A signed consultation is final: corrections are addenda.
CREATE TRIGGER consultations_signed_are_final BEFORE UPDATE ON consultations
WHEN OLD.signed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a signed consultation cannot be changed');
END;

CREATE TABLE attendances (
    id              TEXT PRIMARY KEY,
    revision        INTEGER NOT NULL,
    updated_hlc     INTEGER NOT NULL,
    consultation_id TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    UNIQUE (consultation_id, client_id)
) STRICT;
CREATE INDEX attendances_by_client ON attendances (client_id);

CREATE TABLE addenda (
    id              TEXT PRIMARY KEY,
    revision        INTEGER NOT NULL,
    updated_hlc     INTEGER NOT NULL,
    consultation_id TEXT NOT NULL,
    text            TEXT,
    written_at      INTEGER,
    author          TEXT
) STRICT;
CREATE INDEX addenda_by_consultation ON addenda (consultation_id);

CREATE TRIGGER addenda_are_final BEFORE UPDATE ON addenda
BEGIN
    SELECT RAISE(ABORT, 'an addendum cannot be changed');
END;

CREATE TABLE follow_ups (
    id              TEXT PRIMARY KEY,
    revision        INTEGER NOT NULL,
    updated_hlc     INTEGER NOT NULL,
    client_id       TEXT NOT NULL,
    kind            TEXT,
    due_on          TEXT,
    time            TEXT,
    note            TEXT,
    done_on         TEXT,
    consultation_id TEXT
) STRICT;
CREATE INDEX follow_ups_open ON follow_ups (done_on, due_on);
CREATE INDEX follow_ups_by_client ON follow_ups (client_id, done_on, due_on);
