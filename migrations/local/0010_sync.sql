-- Sync with the organisation's server (issue 12), kept inside the encrypted
-- profile: the enrolment (server, pinned certificate, the device's token — which
-- therefore never lives in settings.json, a log or a file of its own), where push
-- and pull stand, which of this device's changes left under which number, what the
-- server refused and why, and the records marked for review after a conflict.

-- Exactly one row once the profile is enrolled.
CREATE TABLE sync_enrolment (
    singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
    -- https://host:port, or http://127.0.0.1:port in development.
    server_url     TEXT NOT NULL CHECK (length(server_url) BETWEEN 1 AND 300),
    -- The organisation's CA (or the server's own certificate) as PEM, the only root
    -- trusted for this server; NULL trusts the bundled public roots.
    ca_pem         TEXT CHECK (ca_pem IS NULL OR length(ca_pem) <= 100000),
    -- SHA-256 of the pinned certificate's DER, hex: shown to the person to compare.
    ca_sha256      TEXT CHECK (ca_sha256 IS NULL OR length(ca_sha256) = 64),
    -- The bearer token the server gave at enrolment (it keeps only its hash).
    token          TEXT NOT NULL,
    -- The server's id of the user this device belongs to.
    user_id        INTEGER NOT NULL,
    enrolled_at    INTEGER NOT NULL,
    -- The server's epoch as last seen; a new one means it was restored.
    epoch          TEXT NOT NULL,
    -- The server's high-water mark for this device: every wire number up to it is
    -- stored or refused there.
    acknowledged   INTEGER NOT NULL DEFAULT 0 CHECK (acknowledged >= 0),
    -- Where the next pull starts (`txid.id`, opaque); NULL before the first page.
    pull_cursor    TEXT,
    -- When a sync last finished without an error (ms).
    last_sync_at   INTEGER
) STRICT;

-- The number each of this device's changes travels under. The server needs a
-- device's numbers without gaps, while some changes wait (a client without consent
-- to central storage) and some never leave (values blanked by an erasure before
-- they were sent), so a change gets its wire number when it is cleared to go, in
-- the order of the device's own sequence. `wire_seq` NULL: it stays here for good.
CREATE TABLE sync_outbox (
    seq        INTEGER PRIMARY KEY,
    wire_seq   INTEGER UNIQUE CHECK (wire_seq IS NULL OR wire_seq > 0)
) STRICT;

-- The changes the server refused, with its stable reason.
CREATE TABLE sync_refusals (
    wire_seq   INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (length(kind) <= 50),
    field      TEXT CHECK (field IS NULL OR length(field) <= 100),
    detail     TEXT NOT NULL CHECK (length(detail) <= 1000),
    refused_at INTEGER NOT NULL
) STRICT;

-- Concurrent edits of one field: two changes consecutive in clock order where the
-- later one was not made on the earlier one's value. The later value is shown (the
-- later clock wins, the device id breaks ties); both stay in the change log, which
-- this table points into, so an erasure that blanks the log leaves no value here.
CREATE TABLE sync_reviews (
    entity         TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    field          TEXT NOT NULL,
    earlier_device TEXT NOT NULL,
    earlier_seq    INTEGER NOT NULL,
    later_device   TEXT NOT NULL,
    later_seq      INTEGER NOT NULL,
    marked_at      INTEGER NOT NULL,
    resolved_at    INTEGER,
    PRIMARY KEY (entity, entity_id, field, earlier_device, earlier_seq, later_device, later_seq)
) STRICT;
CREATE INDEX sync_reviews_open ON sync_reviews (resolved_at, entity, entity_id);

-- Pulled changes are looked up by origin for idempotence (the primary key), and a
-- record's changes by entity; a conflict check reads one record's changes in clock order.
CREATE INDEX change_log_by_clock ON change_log (entity, entity_id, hlc, device_id, seq);
