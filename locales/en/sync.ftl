# Sync with the organisation's server: errors, refusals and the status lines of
# `tirek sync` (and, later, the window's sync panel).

error-sync-not-enrolled = This profile is not connected to the organisation's server yet. Ask the administrator for an enrolment code and enrol first.
error-sync-bad-address = The server address is not usable. It looks like https://server.example.kz:8443.
error-sync-insecure = The server address must start with https://. Plain http:// is only for a test server on this computer, started for development.
error-sync-bad-certificate = The certificate file holds no certificate. Ask the administrator for the organisation's certificate (a .pem or .crt file).
error-sync-no-connection = The server cannot be reached. Your work is saved on this computer and will be sent at the next sync.
error-sync-certificate-mismatch = The server did not show the organisation's certificate, so nothing was sent. It may be another computer posing as the server: tell the administrator.
error-sync-code-invalid = The enrolment code is wrong, already used or expired. Ask the administrator for a new one.
error-sync-already-enrolled = The server already knows this profile on this computer. If it was revoked, ask the administrator to enrol it again.
error-sync-unauthenticated = The server does not recognise this computer any more. Ask the administrator for a new enrolment code.
error-sync-device-revoked = The administrator has disconnected this computer from the server. Your work stays on this computer; ask the administrator what to do next.
error-sync-version = The server speaks protocol version { $supported } and this app speaks { $ours }. Update Tirek (or ask the administrator to update the server) to sync again.
error-sync-clock = The server refused the changes because this computer's clock is far ahead. Set the correct date and time, then sync again.
error-sync-device-diverged = This profile no longer matches what the server holds for this computer: it was restored from an older backup or copied from another computer. Nothing more was sent and nothing here is lost. Do not work on both copies; ask the administrator to set up sync for this computer again.
error-sync-server = The server could not finish the sync just now. Nothing was lost; try again later.
error-sync-busy = The server is busy and asked this computer to wait. Nothing was lost; sync again in a few minutes.
error-sync-garbage = The server's answer was cut off or unreadable, so nothing of it was used. Try again; if it repeats, tell the administrator.

sync-refused-unknown-entity = the server does not know this kind of record (update the server)
sync-refused-unknown-field = the server does not know one of its fields (update the server)
sync-refused-too-long = a value is longer than the server allows
sync-refused-wrong-kind = a value is of the wrong kind
sync-refused-bad-record-id = the record's id is not valid
sync-refused-malformed = the change is incomplete
sync-refused-wrong-device = the change names another computer
sync-refused-not-author = the change names another author
sync-refused-out-of-scope = the record belongs to another psychologist's caseload
sync-refused-not-permitted = your role may not change this record
sync-refused-record-final = the record was already signed or saved as final; make corrections as an addendum
sync-refused-unknown-record = the server does not have this record (it may have been deleted or erased)
sync-refused-record-exists = the server already has a record with this id
sync-refused-series-taken = another computer already numbers its letters in this letter's number series; the next letters get a new series, and this letter stays on this computer
sync-refused-other = the server refused the change

sync-enrolled = Connected to { $server }.
sync-enrolled-fingerprint = Certificate fingerprint (SHA-256): { $sha256 }. Compare it with the one the administrator gave you.
sync-done = Sent { $pushed } changes ({ $stored } new, { $duplicates } already there), received { $pulled }.
sync-done-repaired = This computer was missing changes the server holds; it received them all again.
sync-done-in-step = This computer holds everything the server holds for you.
sync-done-not-in-step = This computer does not yet hold everything the server holds for you; the next sync will carry on.
sync-status-not-enrolled = Not connected to a server.
sync-status-server = Server: { $server }
sync-status-last = Last successful sync: { $when }
sync-status-never = Last successful sync: never
sync-status-waiting = Changes waiting to go: { $count }
sync-status-acknowledged = Changes on the server: { $count }
sync-status-consent = Records waiting for the client's consent to central storage: { $count }
sync-status-refused = Changes the server refused: { $count }
sync-status-refused-line = { $entity } { $record }: { $reason }
sync-status-reviews = Records marked for review: { $count }
sync-status-review-line = { $entity } { $record }, { $field }: shown “{ $later }”, other version “{ $earlier }”

# The addendum that keeps a computer's words when the same draft was signed on another computer first.
sync-signed-elsewhere = This consultation was signed on another computer at the same time, and that version was kept. The version signed on this computer differed:

# Sync by USB stick: the file this computer writes for the server, and the server's answer.
error-sync-bundle-no-key = The server has not given this computer its key for sync files yet. Sync once over the network (or ask the administrator), then write the file again.
error-sync-bundle-unreadable = This file is not a Tirek sync file. Choose the answer the server wrote: its name ends in -answer.tirekbundle.
error-sync-bundle-newer = This sync file was made by a newer version of Tirek. Update Tirek, then import it again.
error-sync-bundle-not-an-answer = This is the file this computer wrote for the server. Take it to the administrator, and import here the answer the server writes: its name ends in -answer.tirekbundle.
error-sync-bundle-other-device = This answer is for another computer or another profile, so nothing of it was imported. Import it in the profile that wrote the file for the server.
error-sync-bundle-damaged = The answer is damaged or was changed after the server wrote it, so nothing of it was imported. Copy it from the server again, or write a new file for the server.
sync-bundle-written = Wrote { $path } with { $changes } changes for the server. Take it to the administrator, then import the answer the server writes.
sync-bundle-already-imported = This answer was imported already: nothing changed.
