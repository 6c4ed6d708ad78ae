// One entry of the ingestion log.
MATCH (r:IngestRun {id: $id})
RETURN properties(r) AS run
