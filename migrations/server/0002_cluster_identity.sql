-- Where the database lives, so that the server notices a restore by itself: the
-- cluster's system identifier (a new cluster, e.g. a dump restored elsewhere), its
-- current timeline (a point-in-time recovery or a promoted standby) and the
-- database's oid (a dump restored into a new database of the same cluster). When
-- it differs from what is recorded here, the database is not the one whose changes
-- devices acknowledged last: the server takes a new epoch (tirek-server's `db.rs`),
-- devices re-send what it lacks and pull from the start.
ALTER TABLE server_epoch ADD COLUMN cluster text;
UPDATE server_epoch SET cluster =
    (SELECT system_identifier::text FROM pg_control_system())
    || '/' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)
    || '/' || (SELECT oid::text FROM pg_database WHERE datname = current_database());
ALTER TABLE server_epoch ALTER COLUMN cluster SET NOT NULL;
