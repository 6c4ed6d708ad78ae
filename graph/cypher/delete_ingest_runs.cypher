// Remove ingestion-log entries by id (the demo's own, when the demo data is removed).
UNWIND $ids AS id
MATCH (r:IngestRun {id: id})
DELETE r
