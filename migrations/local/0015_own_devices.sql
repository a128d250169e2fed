-- The server's ids of the other devices of this device's user — her other
-- computers — from every status answer, one per line: a conflict's review then
-- says "you, on computer X" for what she wrote on her laptop, not "someone".
ALTER TABLE sync_enrolment ADD COLUMN own_devices TEXT NOT NULL DEFAULT '';
