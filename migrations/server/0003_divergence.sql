-- A refused change keeps the digest of its identity, as a stored one does in
-- `changes.digest`: a change sent again under the same device and sequence number
-- is compared with what was received the first time, so that a profile restored
-- from an older backup or copied to a second computer — two histories under one
-- device's name — is refused (`device_diverged`) instead of having its new changes
-- taken for old ones and dropped.
ALTER TABLE refusals ADD COLUMN digest bigint;
