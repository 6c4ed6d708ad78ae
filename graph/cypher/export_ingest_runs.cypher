// The ingestion log, for a backup.
MATCH (r:IngestRun)
RETURN properties(r) AS props
