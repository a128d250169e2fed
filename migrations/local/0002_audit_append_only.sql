-- The audit trail is append-only: the database itself refuses to change or remove
-- a row. (Someone holding the key could drop these triggers; the hash chain still
-- shows where the trail was touched — `tirek audit verify`.)

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
