// Ids of the ingestion-log entries written by the given commands (the demo loads).
MATCH (r:IngestRun)
WHERE r.command IN $commands
RETURN r.id AS id
