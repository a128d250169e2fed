-- The first schema of a profile database: who this device is, the change log that
-- is the sync outbox and the record history, and the hash-chained audit trail.
-- Clinical tables arrive with the capabilities that fill them.

CREATE TABLE device (
    -- Exactly one row: this installation's identity inside this profile.
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    device_id   TEXT NOT NULL,
    -- The last per-device sequence number handed to a change record.
    last_seq    INTEGER NOT NULL DEFAULT 0,
    -- The last hybrid-logical-clock value issued, so the clock never runs backwards.
    last_hlc    INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE change_log (
    device_id     TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    hlc           INTEGER NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    base_revision INTEGER NOT NULL,
    -- JSON object: field -> [old, new].
    fields        TEXT NOT NULL,
    author        TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT;

CREATE INDEX change_log_by_entity ON change_log (entity, entity_id);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    event      TEXT NOT NULL,
    record     TEXT,
    -- SHA-256 of the previous row's hash and this row's fields, hex.
    hash       TEXT NOT NULL
) STRICT;
