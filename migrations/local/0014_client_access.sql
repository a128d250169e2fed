-- Clients whose access changed on the server (issue 13).
--
-- The clients this profile's user holds read-only: she owned them until an
-- administrator moved them to a colleague and kept their history. The server
-- states the list at every sync; writes about them are refused here already.
CREATE TABLE sync_read_only (
    client_id TEXT PRIMARY KEY CHECK (length(client_id) BETWEEN 1 AND 64)
) STRICT;

-- This device's own changes of a client it removed (the client left its scope)
-- that had left under a wire number the server had not answered yet: they stay in
-- the change log, so the numbers the server sees have no gap, until the server
-- acknowledges them (it refuses them: the client is not this user's); then they go.
-- Numbers only.
CREATE TABLE sync_purge (
    seq INTEGER PRIMARY KEY
) STRICT;
