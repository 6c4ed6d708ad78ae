// Restore ingestion-log entries from a backup (idempotent by id).
UNWIND $rows AS row
MERGE (r:IngestRun {id: row.id})
SET r += row.props
