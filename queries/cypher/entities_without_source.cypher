// Data quality: entities that do not say where they come from.
MATCH (n:Entity)
WHERE n.provenance IS NULL OR n.provenance IN ['', '[]']
RETURN n.id AS id, n.name AS name, n.kinds AS kinds, n.sample AS sample
ORDER BY name
LIMIT $limit
