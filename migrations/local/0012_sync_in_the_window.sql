-- Sync in the window (issue 13): whether the person paused the background sync.
-- A pause is hers to lift; it survives a restart of the app.
ALTER TABLE sync_enrolment ADD COLUMN paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1));
