// Remove relationships given by their endpoints and id (undoing a run, removing one in the app).
UNWIND $rows AS row
MATCH (a:Entity {id: row.from_id})-[r]->(b:Entity {id: row.to_id})
WHERE r.id = row.id
DELETE r
