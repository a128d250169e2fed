-- The first clinical table: the client (the parent or guardian). Only the columns
-- the store's change log needs to be proven on; the caseload (issue 4) adds the rest
-- in its own migration. Every clinical row carries its revision and the hybrid
-- logical clock of its last change.

CREATE TABLE clients (
    id            TEXT PRIMARY KEY,
    revision      INTEGER NOT NULL,
    updated_hlc   INTEGER NOT NULL,
    family_name   TEXT,
    given_name    TEXT,
    patronymic    TEXT
) STRICT;
