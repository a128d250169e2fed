-- Who may read and write a client, made explicit (issue 13): the psychologist who
-- owns the client, colleagues it is shared with (they read and write it too), and a
-- former owner who keeps read-only the history she had when an administrator moved
-- the client to a colleague. Kept by `tirek-server admin client move|share|unshare`,
-- each logged with who did it and when. See tirek-server's `access.rs`.

-- One row per (client, user) with access. `read_until` is a read-only holder's
-- horizon: the changes of the client up to that `changes.id` (its history when it
-- moved); erasures of it reach her whatever their id.
CREATE TABLE client_access (
    client_id  text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 64),
    user_id    bigint NOT NULL REFERENCES users,
    access     text NOT NULL CHECK (access IN ('owner', 'shared', 'read')),
    read_until bigint,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, user_id),
    CHECK ((access = 'read') = (read_until IS NOT NULL))
);
CREATE UNIQUE INDEX client_access_one_owner ON client_access (client_id) WHERE access = 'owner';
CREATE INDEX client_access_by_user ON client_access (user_id, access);

-- Every client the server holds is owned by the user whose caseload holds it.
INSERT INTO client_access (client_id, user_id, access)
SELECT record_id, owner_id, 'owner' FROM records WHERE entity = 'client';

-- Every change of access an administrator made: who, when, what. Ids only.
CREATE TABLE client_access_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    -- The administrator's login (`--by`), else the server account's name.
    actor         text NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    action        text NOT NULL CHECK (action IN ('move', 'share', 'unshare')),
    client_id     text NOT NULL,
    -- The new owner (move), the colleague shared with or no longer (share, unshare).
    user_id       bigint NOT NULL REFERENCES users,
    -- The former owner (move), and what she keeps: `read` or `none`.
    from_user     bigint REFERENCES users,
    former_access text CHECK (former_access IN ('read', 'none')),
    CHECK ((action = 'move') = (from_user IS NOT NULL AND former_access IS NOT NULL))
);
CREATE INDEX client_access_log_by_client ON client_access_log (client_id, id);

-- A client that left a device's scope: the device is told (in the status answer)
-- to remove what it holds of the client, and says when it has (in a pull request:
-- `done_at`). A device that gets the client back before it removed it loses the
-- notice; one that gets it back after (`returned_at`) pulls its own changes of the
-- client again too, which it removed with the rest.
CREATE TABLE client_removals (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id   text NOT NULL REFERENCES devices,
    client_id   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    done_at     timestamptz,
    returned_at timestamptz,
    UNIQUE (device_id, client_id),
    CHECK (returned_at IS NULL OR done_at IS NOT NULL)
);

-- A consultation belongs to no client by its own fields (its clients are its
-- attendances): it is filed under its first attendee, the client of the first
-- attendance the server stored for it, and its addenda with it. It then moves and is
-- shared with that client. Filed here for what is stored already; the push files the
-- rest as attendances arrive.
WITH first_attendance AS (
    SELECT DISTINCT ON (fields -> 'consultation_id' ->> 1)
           fields -> 'consultation_id' ->> 1 AS consultation_id, client_id
    FROM changes
    WHERE entity = 'attendance' AND base_revision = 0 AND client_id IS NOT NULL
      AND fields -> 'consultation_id' ->> 1 IS NOT NULL
    ORDER BY fields -> 'consultation_id' ->> 1, id
)
UPDATE records r SET client_id = f.client_id
FROM first_attendance f
WHERE r.entity = 'consultation' AND r.record_id = f.consultation_id AND r.client_id IS NULL;

WITH addenda AS (
    SELECT DISTINCT record_id, fields -> 'consultation_id' ->> 1 AS consultation_id
    FROM changes
    WHERE entity = 'addendum' AND base_revision = 0 AND fields -> 'consultation_id' ->> 1 IS NOT NULL
)
UPDATE records r SET client_id = c.client_id
FROM addenda a JOIN records c ON c.entity = 'consultation' AND c.record_id = a.consultation_id
WHERE r.entity = 'addendum' AND r.record_id = a.record_id AND r.client_id IS NULL AND c.client_id IS NOT NULL;

UPDATE changes ch SET client_id = r.client_id
FROM records r
WHERE ch.entity IN ('consultation', 'addendum') AND ch.client_id IS NULL
  AND r.entity = ch.entity AND r.record_id = ch.record_id AND r.client_id IS NOT NULL;

-- A client's records (to move it, to name them in a removal), and the few records
-- filed under no client (the services directory, a consultation before its first
-- attendance, that consultation's addenda), which an attendance may file.
CREATE INDEX records_by_client ON records (client_id) WHERE client_id IS NOT NULL;
CREATE INDEX records_unfiled ON records (entity, record_id) WHERE client_id IS NULL;

-- A client's changes in the server order, for colleagues it is shared with and for
-- moving it (the old index on client_id alone is a prefix of this one).
CREATE INDEX changes_by_client_in_order ON changes (client_id, txid, id) WHERE client_id IS NOT NULL;
DROP INDEX changes_by_client;
