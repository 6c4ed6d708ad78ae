// One entry of the ingestion log: what a run read and changed, and when.
CREATE (r:IngestRun {id: $id})
SET r += $props
RETURN r.id AS id
