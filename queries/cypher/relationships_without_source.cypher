// Data quality: relationships that do not say where they come from.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.provenance IS NULL OR r.provenance IN ['', '[]']
RETURN type(r) AS type, a.id AS from_id, a.name AS from_name, b.id AS to_id, b.name AS to_name,
       r.sample AS sample
ORDER BY from_name, type, to_name
LIMIT $limit
