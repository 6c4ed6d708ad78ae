// Relationships whose sources cite a document (provenance is JSON text; the caller checks the exact file).
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.provenance CONTAINS $document AND NOT b:Document AND type(r) <> 'DESCRIBES'
RETURN type(r) AS type, a.id AS from_id, a.name AS from_name, b.id AS to_id, b.name AS to_name,
       r.provenance AS provenance
ORDER BY from_name, type, to_name
LIMIT $limit
