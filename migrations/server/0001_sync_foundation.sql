-- The sync server's first schema: who may sync (organisations, clinics, teams,
-- users, their enrolled devices and one-time enrolment codes), the changes they
-- pushed in one server order, the refusals they were answered with, the state of
-- each record the server needs to judge the next change, and the server's epoch.
--
-- Secrets are stored only as SHA-256 hashes (device tokens, enrolment codes).
-- Timestamps are timestamptz (UTC on the wire).

-- The server's identity since its last restore. A restored server gets a new epoch
-- (`tirek-server admin epoch renew`), which tells devices to re-send what it lacks.
CREATE TABLE server_epoch (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    epoch      uuid NOT NULL DEFAULT gen_random_uuid(),
    renewed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO server_epoch DEFAULT VALUES;

CREATE TABLE organisations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 300),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE clinics (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);

CREATE TABLE teams (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id  bigint NOT NULL REFERENCES clinics,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (clinic_id, name)
);

-- A psychologist and a supervisor belong to a team (a supervisor sees her team's
-- caseloads); an administrator manages accounts and belongs to none.
CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations,
    team_id         bigint REFERENCES teams,
    login           text NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 100),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    role            text NOT NULL CHECK (role IN ('psychologist', 'supervisor', 'administrator')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- A disabled user's devices are refused, all of them at once.
    disabled_at     timestamptz,
    CHECK ((role = 'administrator') = (team_id IS NULL))
);
CREATE INDEX users_by_team ON users (team_id);

-- A device is one app profile on one computer. Its id is the one its change records
-- carry (made by the device); `author` is the profile that enrolled it, the only
-- author its changes may name. `acknowledged_seq` is its high-water mark: every
-- change up to it is stored or refused.
CREATE TABLE devices (
    id               text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    user_id          bigint NOT NULL REFERENCES users,
    author           text NOT NULL CHECK (length(author) BETWEEN 1 AND 64),
    token_sha256     bytea NOT NULL CHECK (length(token_sha256) = 32),
    app_version      text NOT NULL CHECK (length(app_version) <= 50),
    enrolled_at      timestamptz NOT NULL DEFAULT now(),
    last_sync_at     timestamptz,
    revoked_at       timestamptz,
    acknowledged_seq bigint NOT NULL DEFAULT 0 CHECK (acknowledged_seq >= 0)
);
CREATE INDEX devices_by_user ON devices (user_id);

-- One-time codes an administrator hands a user to enrol a device: single use,
-- expiring, stored as a hash only.
CREATE TABLE enrolment_codes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code_sha256    bytea NOT NULL UNIQUE CHECK (length(code_sha256) = 32),
    user_id        bigint NOT NULL REFERENCES users,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz,
    used_by_device text REFERENCES devices,
    CHECK ((used_at IS NULL) = (used_by_device IS NULL))
);

-- Every accepted change, once. (device_id, device_seq) makes a push idempotent.
--
-- The server order is (txid, id), not id alone: `id` comes from a sequence, handed
-- out before commit, so rows become visible out of id order and a reader trusting
-- "the highest id I saw" skips a row whose transaction commits late. `txid` is the
-- inserting transaction's id; a pull returns only rows whose txid is below the
-- snapshot's xmin — every transaction below xmin has finished — so every row a
-- later pull could see sorts after every row an earlier pull returned. See
-- tirek-server's `pull.rs`.
CREATE TABLE changes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    txid          xid8 NOT NULL DEFAULT pg_current_xact_id(),
    device_id     text NOT NULL REFERENCES devices,
    device_seq    bigint NOT NULL CHECK (device_seq > 0),
    entity        text NOT NULL,
    record_id     text NOT NULL,
    -- The client the record belongs to, if any; the user whose caseload holds it.
    client_id     text,
    owner_id      bigint NOT NULL REFERENCES users,
    base_revision bigint NOT NULL CHECK (base_revision >= 0),
    hlc           bigint NOT NULL CHECK (hlc >= 0),
    author        text NOT NULL,
    -- {"field": [old, new]}, as on the device; emptied when the client is erased.
    fields        jsonb NOT NULL,
    -- tirek_protocol::checksum::change_digest, for the scope checksum (bit_xor).
    digest        bigint NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (device_id, device_seq)
);
CREATE INDEX changes_in_server_order ON changes (owner_id, txid, id);
CREATE INDEX changes_by_record ON changes (entity, record_id);
CREATE INDEX changes_by_client ON changes (client_id) WHERE client_id IS NOT NULL;

-- The changes the server refused, with the reason it gave: a change sent again is
-- answered the same way, and the device's high-water mark can pass it.
CREATE TABLE refusals (
    device_id   text NOT NULL REFERENCES devices,
    device_seq  bigint NOT NULL CHECK (device_seq > 0),
    kind        text NOT NULL,
    field       text,
    detail      text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, device_seq)
);

-- What the server must know of each record to judge the next change to it: whose
-- caseload it is in, whether it is final (signed, saved, issued) or gone.
CREATE TABLE records (
    entity    text NOT NULL,
    record_id text NOT NULL,
    client_id text,
    owner_id  bigint NOT NULL REFERENCES users,
    final     boolean NOT NULL DEFAULT false,
    gone      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (entity, record_id)
);
