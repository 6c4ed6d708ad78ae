// Changes whenever a run writes: the key under which analytics projections are cached.
MATCH (r:IngestRun)
RETURN count(r) AS runs, max(r.finished_at) AS last_change
