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


-- This device's changes the outbox has not decided yet (no row in `sync_outbox`):
-- the candidates a sync clears to go, found here instead of by a walk of the whole
-- change log. Kept by triggers: a change of this device's enters with its change
-- record, leaves when the outbox takes it in or when it leaves the log, and comes
-- back when the outbox is emptied (an enrolment with another server).
CREATE TABLE sync_waiting (
    seq INTEGER PRIMARY KEY
) STRICT;
INSERT INTO sync_waiting (seq)
SELECT c.seq FROM change_log c
WHERE c.device_id = (SELECT device_id FROM device WHERE singleton = 1)
  AND NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.seq = c.seq);

CREATE TRIGGER sync_waiting_takes_new_changes AFTER INSERT ON change_log
WHEN NEW.device_id = (SELECT device_id FROM device WHERE singleton = 1)
 AND NOT EXISTS (SELECT 1 FROM sync_outbox WHERE seq = NEW.seq)
BEGIN
    INSERT OR IGNORE INTO sync_waiting (seq) VALUES (NEW.seq);
END;

CREATE TRIGGER sync_waiting_gives_up_decided AFTER INSERT ON sync_outbox
BEGIN
    DELETE FROM sync_waiting WHERE seq = NEW.seq;
END;

CREATE TRIGGER sync_waiting_takes_back_undecided AFTER DELETE ON sync_outbox
WHEN EXISTS (SELECT 1 FROM change_log
             WHERE device_id = (SELECT device_id FROM device WHERE singleton = 1) AND seq = OLD.seq)
BEGIN
    INSERT OR IGNORE INTO sync_waiting (seq) VALUES (OLD.seq);
END;

-- A change of this device's that leaves the log (a removed client's) leaves both.
CREATE TRIGGER own_changes_leave_the_log AFTER DELETE ON change_log
WHEN OLD.device_id = (SELECT device_id FROM device WHERE singleton = 1)
BEGIN
    DELETE FROM change_clients WHERE seq = OLD.seq;
    DELETE FROM sync_waiting WHERE seq = OLD.seq;
END;
