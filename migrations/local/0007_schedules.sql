-- Questionnaire schedules: repeat an instrument every N weeks for a client. The
-- next due date is worked out from the last time it was filled in, so a schedule
-- is never "done", only stopped.

CREATE TABLE schedules (
    id           TEXT PRIMARY KEY,
    revision     INTEGER NOT NULL,
    updated_hlc  INTEGER NOT NULL,
    client_id    TEXT NOT NULL,
    instrument   TEXT NOT NULL CHECK (length(instrument) <= 50),
    every_weeks  INTEGER NOT NULL CHECK (every_weeks BETWEEN 1 AND 104),
    starts_on    TEXT NOT NULL CHECK (starts_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    stopped_on   TEXT CHECK (stopped_on IS NULL OR stopped_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')
) STRICT;
CREATE INDEX schedules_active ON schedules (stopped_on, client_id);
