-- Risk flags: raised by an instrument's safety rule (PHQ-9 item 9, a severe PBA…)
-- or by the clinician; each needs a risk form (level, actions taken, safety plan,
-- contacts) signed by the psychologist, and stays open until resolved. Once the
-- form is signed it cannot change; the resolution is added later.

CREATE TABLE risk_flags (
    id             TEXT PRIMARY KEY,
    revision       INTEGER NOT NULL,
    updated_hlc    INTEGER NOT NULL,
    client_id      TEXT NOT NULL,
    assessment_id  TEXT,
    source         TEXT CHECK (source IN ('rule', 'clinician')),
    rule           TEXT CHECK (rule IS NULL OR length(rule) <= 50),
    raised_at      INTEGER,
    level          TEXT CHECK (level IS NULL OR level IN ('low', 'moderate', 'high', 'imminent')),
    actions        TEXT CHECK (actions IS NULL OR length(actions) <= 20000),
    safety_plan    TEXT CHECK (safety_plan IS NULL OR length(safety_plan) <= 20000),
    contacts       TEXT CHECK (contacts IS NULL OR length(contacts) <= 20000),
    form_signed_at INTEGER,
    form_signed_by TEXT,
    resolved_at    INTEGER,
    resolved_by    TEXT,
    resolution     TEXT CHECK (resolution IS NULL OR length(resolution) <= 20000)
) STRICT;
CREATE INDEX risk_flags_open ON risk_flags (client_id, resolved_at);

CREATE TRIGGER risk_forms_signed_are_final BEFORE UPDATE ON risk_flags
WHEN OLD.form_signed_at IS NOT NULL AND (
    NEW.level IS NOT OLD.level OR NEW.actions IS NOT OLD.actions OR NEW.safety_plan IS NOT OLD.safety_plan
    OR NEW.contacts IS NOT OLD.contacts OR NEW.form_signed_at IS NOT OLD.form_signed_at)
BEGIN
    SELECT RAISE(ABORT, 'a signed risk form cannot change');
END;
