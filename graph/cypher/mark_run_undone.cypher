// Mark a run as undone by another run.
MATCH (r:IngestRun {id: $id})
SET r.undone_by = $by, r.status = 'undone'
