-- The services directory and referral letters. A service is the clinic's own list
-- (change-logged like everything else, so it syncs); a referral is a letter to one,
-- a draft until issued, when it gets its outgoing number, the snapshot it was
-- printed from and that PDF's hash — none of which can change afterwards. Its
-- status then moves on (delivered, attended or declined) with dates and a note.

CREATE TABLE services (
    id          TEXT PRIMARY KEY,
    revision    INTEGER NOT NULL,
    updated_hlc INTEGER NOT NULL,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    kind        TEXT NOT NULL CHECK (kind IN ('psychiatry', 'rehabilitation', 'respite_care', 'peer_group',
                                              'social_protection', 'family_support_centre', 'ngo')),
    region      TEXT CHECK (region IS NULL OR length(region) <= 40),
    district    TEXT CHECK (district IS NULL OR length(district) <= 40),
    address     TEXT CHECK (address IS NULL OR length(address) <= 300),
    phone       TEXT NOT NULL CHECK (phone GLOB '+7[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    languages   TEXT NOT NULL DEFAULT '' CHECK (length(languages) <= 20),
    notes       TEXT CHECK (notes IS NULL OR length(notes) <= 20000),
    example     INTEGER NOT NULL DEFAULT 0 CHECK (example IN (0, 1)),
    archived_at INTEGER
) STRICT;
CREATE INDEX services_by_district ON services (district, kind);

CREATE TABLE referrals (
    id                 TEXT PRIMARY KEY,
    revision           INTEGER NOT NULL,
    updated_hlc        INTEGER NOT NULL,
    client_id          TEXT NOT NULL,
    service_id         TEXT,
    recipient          TEXT CHECK (recipient IS NULL OR length(recipient) <= 300),
    recipient_address  TEXT CHECK (recipient_address IS NULL OR length(recipient_address) <= 20000),
    reason             TEXT CHECK (reason IS NULL OR length(reason) <= 20000),
    findings           TEXT CHECK (findings IS NULL OR length(findings) <= 20000),
    service_requested  TEXT CHECK (service_requested IS NULL OR length(service_requested) <= 300),
    urgency            TEXT NOT NULL DEFAULT 'routine' CHECK (urgency IN ('routine', 'soon', 'urgent')),
    language           TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'en')),
    signatory_name     TEXT CHECK (signatory_name IS NULL OR length(signatory_name) <= 300),
    signatory_position TEXT CHECK (signatory_position IS NULL OR length(signatory_position) <= 300),
    created_at         INTEGER NOT NULL,
    status             TEXT NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'issued', 'delivered', 'attended', 'declined')),
    number             TEXT UNIQUE,
    issued_on          TEXT CHECK (issued_on IS NULL OR issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    snapshot           TEXT,
    pdf_sha256         TEXT,
    delivered_on       TEXT,
    outcome_on         TEXT,
    outcome_note       TEXT CHECK (outcome_note IS NULL OR length(outcome_note) <= 20000),
    CHECK ((status = 'draft') = (number IS NULL)),
    CHECK (number IS NULL OR (issued_on IS NOT NULL AND snapshot IS NOT NULL AND pdf_sha256 IS NOT NULL))
) STRICT;
CREATE INDEX referrals_by_client ON referrals (client_id);
CREATE INDEX referrals_by_status ON referrals (status, issued_on);

CREATE TRIGGER referrals_issued_are_final BEFORE UPDATE ON referrals
WHEN OLD.number IS NOT NULL AND (
    NEW.client_id IS NOT OLD.client_id OR NEW.service_id IS NOT OLD.service_id
    OR NEW.recipient IS NOT OLD.recipient OR NEW.recipient_address IS NOT OLD.recipient_address
    OR NEW.reason IS NOT OLD.reason OR NEW.findings IS NOT OLD.findings
    OR NEW.service_requested IS NOT OLD.service_requested OR NEW.urgency IS NOT OLD.urgency
    OR NEW.language IS NOT OLD.language OR NEW.signatory_name IS NOT OLD.signatory_name
    OR NEW.signatory_position IS NOT OLD.signatory_position OR NEW.number IS NOT OLD.number
    OR NEW.issued_on IS NOT OLD.issued_on OR NEW.snapshot IS NOT OLD.snapshot
    OR NEW.pdf_sha256 IS NOT OLD.pdf_sha256)
BEGIN
    SELECT RAISE(ABORT, 'an issued letter cannot change');
END;

-- The letter series this profile issues from on this computer, and its next
-- number. Not clinical and never synced: a series belongs to one computer.
CREATE TABLE letter_series (
    series       TEXT PRIMARY KEY CHECK (length(series) = 8),
    device_id    TEXT NOT NULL,
    installation TEXT NOT NULL,
    next_number  INTEGER NOT NULL CHECK (next_number >= 1)
) STRICT;
