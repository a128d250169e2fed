-- Which version of its derivation each derived column was computed with. The store
-- derives some columns in Rust (a client's folded search key and sort key, see
-- `tirek-store/src/derived.rs`); when a new Tirek derives one differently, opening
-- the profile finds the stored version different and recomputes the column for
-- every row in one transaction. Like the columns, never change-logged or synced.

CREATE TABLE derived_versions (
    name    TEXT PRIMARY KEY,
    version INTEGER NOT NULL
) STRICT;

-- The client keys as 0004 folded them: case, ё and Kazakh letters only.
INSERT INTO derived_versions (name, version) VALUES ('client_keys', 1);
