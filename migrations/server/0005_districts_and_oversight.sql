-- Where a clinic is (a district id of data/regions.toml, such as
-- `turkistan.sairam`), and what a supervisor oversees: her team (the default),
-- every team of the clinics of one district, or of one region. A district or
-- regional supervisor pulls the caseloads of all of them, read-only.
ALTER TABLE clinics ADD COLUMN district text CHECK (district ~ '^[a-z0-9_]+\.[a-z0-9_]+$');
CREATE INDEX clinics_by_district ON clinics (district);

ALTER TABLE users
    ADD COLUMN oversees_district text CHECK (oversees_district ~ '^[a-z0-9_]+\.[a-z0-9_]+$'),
    ADD COLUMN oversees_region text CHECK (oversees_region ~ '^[a-z0-9_]+$'),
    ADD CHECK (oversees_district IS NULL OR oversees_region IS NULL),
    ADD CHECK ((oversees_district IS NULL AND oversees_region IS NULL) OR role = 'supervisor');
