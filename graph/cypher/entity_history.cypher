// The ingestion runs that changed an entity (app edits, reviewed documents, merges, undos), newest first.
MATCH (r:IngestRun)
WHERE $id IN r.entity_ids
RETURN properties(r) AS run
ORDER BY r.started_at DESC
LIMIT $limit
