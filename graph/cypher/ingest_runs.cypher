// The ingestion log, newest first.
MATCH (r:IngestRun)
RETURN properties(r) AS run
ORDER BY r.started_at DESC
LIMIT $limit
