-- The caseload: the rest of the client, the children, consent, consultations (a
-- group session is one consultation attended by several clients), their addenda,
-- and follow-ups. Dates are ISO `YYYY-MM-DD` text (the clinic's calendar date);
-- instants are Unix milliseconds. Every table carries the change-log columns.
--
-- The store's own checks back up the forms' rules: lengths, date shapes, the lists
-- of codes. A form that missed something still cannot write it.
--
-- `search_key`, `sort_key`, `last_contact` and `next_due` are derived by the store from the
-- other columns in the same transaction; they are never written by a change record.

ALTER TABLE clients ADD COLUMN latin_name TEXT CHECK (latin_name IS NULL OR length(latin_name) <= 300);
ALTER TABLE clients ADD COLUMN iin TEXT CHECK (iin IS NULL OR iin GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]');
ALTER TABLE clients ADD COLUMN birth_date TEXT CHECK (birth_date IS NULL OR birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]');
ALTER TABLE clients ADD COLUMN phone TEXT CHECK (phone IS NULL OR phone GLOB '+7[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]');
ALTER TABLE clients ADD COLUMN address TEXT CHECK (address IS NULL OR length(address) <= 300);
ALTER TABLE clients ADD COLUMN region TEXT CHECK (region IS NULL OR length(region) <= 100);
ALTER TABLE clients ADD COLUMN district TEXT CHECK (district IS NULL OR length(district) <= 100);
ALTER TABLE clients ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('kk', 'ru', 'en'));
ALTER TABLE clients ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1));
ALTER TABLE clients ADD COLUMN owner TEXT;
ALTER TABLE clients ADD COLUMN created_at INTEGER;
ALTER TABLE clients ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN last_contact TEXT;
ALTER TABLE clients ADD COLUMN next_due TEXT;

-- The name columns came before their rules (0003); triggers hold them to them.
CREATE TRIGGER clients_names_insert BEFORE INSERT ON clients
WHEN length(NEW.family_name) > 100 OR length(NEW.given_name) > 100 OR length(NEW.patronymic) > 100
BEGIN
    SELECT RAISE(ABORT, 'a name part is longer than 100 characters');
END;

CREATE TRIGGER clients_names_update BEFORE UPDATE ON clients
WHEN length(NEW.family_name) > 100 OR length(NEW.given_name) > 100 OR length(NEW.patronymic) > 100
BEGIN
    SELECT RAISE(ABORT, 'a name part is longer than 100 characters');
END;

CREATE INDEX clients_by_name ON clients (archived, sort_key, id);
CREATE INDEX clients_by_last_contact ON clients (archived, last_contact);
CREATE INDEX clients_by_next_due ON clients (archived, next_due);
CREATE INDEX clients_by_district ON clients (district, archived, sort_key);

CREATE TABLE children (
    id             TEXT PRIMARY KEY,
    revision       INTEGER NOT NULL,
    updated_hlc    INTEGER NOT NULL,
    client_id      TEXT NOT NULL,
    name TEXT CHECK (name IS NULL OR length(name) <= 300),
    birth_date TEXT CHECK (birth_date IS NULL OR birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    iin            TEXT CHECK (iin IS NULL OR iin GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    disability     TEXT CHECK (disability IS NULL OR disability IN ('none', 'child', 'group_1', 'group_2', 'group_3')),
    special_needs  INTEGER CHECK (special_needs IS NULL OR special_needs IN (0, 1)),
    diagnosis TEXT CHECK (diagnosis IS NULL OR length(diagnosis) <= 300),
    icd10          TEXT CHECK (icd10 IS NULL OR icd10 GLOB '[A-Z][0-9][0-9AB]*'),
    diagnosed_on TEXT CHECK (diagnosed_on IS NULL OR diagnosed_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    irp_status     TEXT CHECK (irp_status IS NULL OR irp_status IN ('none', 'in_preparation', 'active', 'completed', 'expired'))
) STRICT;
CREATE INDEX children_by_client ON children (client_id);

CREATE TABLE consents (
    id             TEXT PRIMARY KEY,
    revision       INTEGER NOT NULL,
    updated_hlc    INTEGER NOT NULL,
    client_id      TEXT NOT NULL,
    scope          TEXT CHECK (scope IN ('record', 'server', 'referral')),
    given_by       TEXT CHECK (given_by IN ('client', 'representative')),
    representative TEXT CHECK (representative IS NULL OR length(representative) <= 300),
    method         TEXT CHECK (method IN ('signed_paper', 'verbal_witness')),
    witness TEXT CHECK (witness IS NULL OR length(witness) <= 300),
    given_on TEXT CHECK (given_on IS NULL OR given_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    withdrawn_on   TEXT CHECK (withdrawn_on IS NULL OR (withdrawn_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND withdrawn_on >= given_on))
) STRICT;
CREATE INDEX consents_by_client ON consents (client_id);

CREATE TABLE consultations (
    id                  TEXT PRIMARY KEY,
    revision            INTEGER NOT NULL,
    updated_hlc         INTEGER NOT NULL,
    format              TEXT CHECK (format IS NULL OR format IN ('individual', 'group', 'online', 'home_visit')),
    held_on TEXT CHECK (held_on IS NULL OR held_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    duration_minutes    INTEGER CHECK (duration_minutes IS NULL OR duration_minutes BETWEEN 5 AND 480),
    participants TEXT CHECK (participants IS NULL OR length(participants) <= 300),
    concerns            TEXT CHECK (concerns IS NULL OR length(concerns) <= 20000),
    -- Intervention codes, comma-separated.
    interventions       TEXT,
    interventions_other TEXT,
    notes               TEXT CHECK (notes IS NULL OR length(notes) <= 20000),
    plan                TEXT CHECK (plan IS NULL OR length(plan) <= 20000),
    next_step           TEXT CHECK (next_step IS NULL OR length(next_step) <= 20000),
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

-- Who attended a signed consultation is as final as what it says.
CREATE TRIGGER attendances_of_signed_are_final BEFORE INSERT ON attendances
WHEN (SELECT signed_at FROM consultations WHERE id = NEW.consultation_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a signed consultation cannot change');
END;

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
    kind            TEXT CHECK (kind IN ('follow_up', 'appointment', 'call')),
    due_on TEXT CHECK (due_on IS NULL OR due_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    time            TEXT CHECK (time IS NULL OR time GLOB '[0-2][0-9]:[0-5][0-9]'),
    note TEXT CHECK (note IS NULL OR length(note) <= 300),
    done_on TEXT CHECK (done_on IS NULL OR done_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    consultation_id TEXT
) STRICT;
CREATE INDEX follow_ups_open ON follow_ups (done_on, due_on);
CREATE INDEX follow_ups_by_client ON follow_ups (client_id, done_on, due_on);
