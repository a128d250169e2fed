-- Questionnaire results: which instrument and version, in which language, who filled
-- it in, the answers as given (a JSON array, null for an unanswered item) and what
-- they scored when saved (the total in hundredths, the band, the safety rules that
-- fired). An assessment is final once saved.

CREATE TABLE assessments (
    id                 TEXT PRIMARY KEY,
    revision           INTEGER NOT NULL,
    updated_hlc        INTEGER NOT NULL,
    client_id          TEXT NOT NULL,
    instrument         TEXT NOT NULL CHECK (length(instrument) <= 50),
    instrument_version TEXT CHECK (instrument_version IS NULL OR length(instrument_version) <= 20),
    language           TEXT CHECK (language IS NULL OR language IN ('kk', 'ru', 'en')),
    answers            TEXT NOT NULL CHECK (json_valid(answers) AND json_type(answers) = 'array'),
    total_centi        INTEGER,
    band               TEXT CHECK (band IS NULL OR length(band) <= 50),
    flags              TEXT CHECK (flags IS NULL OR length(flags) <= 500),
    administered_by    TEXT CHECK (administered_by IN ('clinician', 'parent')),
    taken_on           TEXT CHECK (taken_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    created_at         INTEGER
) STRICT;
CREATE INDEX assessments_by_client ON assessments (client_id, instrument, taken_on);

CREATE TRIGGER assessments_are_final BEFORE UPDATE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'an assessment cannot be changed');
END;
