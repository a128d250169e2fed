-- Two facts the server keeps for devices because a device cannot keep them alone.
--
-- The furthest head of each device's audit trail the server has seen (sent with
-- every push): a trail whose last rows were removed is still a valid hash chain,
-- so only a copy of its head kept elsewhere shows the loss (`tirek audit verify`
-- asks the server for it).
ALTER TABLE devices
    ADD COLUMN audit_id bigint CHECK (audit_id > 0),
    ADD COLUMN audit_hash text CHECK (audit_hash ~ '^[0-9a-f]{64}$'),
    ADD COLUMN audit_seen_at timestamptz,
    ADD CHECK ((audit_id IS NULL) = (audit_hash IS NULL));

-- Which device numbers its letters in which series (eight digits; see
-- ARCHITECTURE.md, "Outgoing letter numbers"). The first device to push a letter
-- numbered in a series owns it; a letter of another device in the same series is
-- refused (`series_taken`) and that device draws a new series.
CREATE TABLE letter_series (
    series     text PRIMARY KEY CHECK (series ~ '^[0-9]{8}$'),
    device_id  text NOT NULL REFERENCES devices,
    claimed_at timestamptz NOT NULL DEFAULT now()
);
