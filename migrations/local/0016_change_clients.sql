-- The clients each of this device's changes is about (a consultation's: its
-- attendees when it was written), written with the change: the caseload and the
-- sync status ask "does this client have a change the server has not acknowledged
-- yet?" of the rows they show, through this index, instead of working out every
-- waiting change's clients at each call. Filled for the changes written before it
-- by the store when the profile opens (`derived_versions` 'change_clients').
CREATE TABLE change_clients (
    seq       INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    PRIMARY KEY (seq, client_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX change_clients_by_client ON change_clients (client_id, seq);

-- A change of this device's that leaves the log (a removed client's) leaves this.
CREATE TRIGGER change_clients_follow_the_log AFTER DELETE ON change_log
WHEN OLD.device_id = (SELECT device_id FROM device WHERE singleton = 1)
BEGIN
    DELETE FROM change_clients WHERE seq = OLD.seq;
END;
