-- `change_log_by_clock` (entity, entity_id, hlc, device_id, seq) begins with the
-- columns of `change_log_by_entity` (entity, entity_id) and serves every lookup of a
-- record's history that one did. Each change written kept both up to date: the
-- first sync of a large caseload wrote every change into one index too many.
DROP INDEX change_log_by_entity;
