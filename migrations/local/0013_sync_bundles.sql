-- USB sync bundles (issue 13): for a clinic with no connection at all, the device
-- writes what a sync would send into a file sealed to the organisation server's
-- bundle key, and imports the server's answer, sealed with a key only it knows.

-- The server's public bundle key (64 hex digits), from the enrolment answer or a
-- later status; NULL while the server has none.
ALTER TABLE sync_enrolment ADD COLUMN bundle_key TEXT
    CHECK (bundle_key IS NULL OR (length(bundle_key) = 64 AND bundle_key NOT GLOB '*[^0-9a-f]*'));

-- One row per bundle written: the key its answer is sealed with, kept (inside this
-- encrypted profile, as the device's token is) until an answer sealed with it is
-- imported, then blanked — the row stays, so the same answer imported again is
-- recognised and changes nothing.
CREATE TABLE sync_bundles (
    -- The answer key's id (an HKDF output, 32 hex digits): what an answer names.
    key_id       TEXT PRIMARY KEY CHECK (length(key_id) = 32),
    -- The answer key; NULL once its answer was imported.
    answer_key   BLOB CHECK (answer_key IS NULL OR length(answer_key) = 32),
    -- The bundle's random id (its file name carries the first eight digits).
    bundle_id    TEXT NOT NULL CHECK (length(bundle_id) = 32),
    exported_at  INTEGER NOT NULL,
    -- How many changes it carried.
    changes      INTEGER NOT NULL CHECK (changes >= 0),
    answered_at  INTEGER,
    CHECK ((answer_key IS NULL) = (answered_at IS NOT NULL))
) STRICT;
