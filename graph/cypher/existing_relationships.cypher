// The stored state of the given relationships (found from their endpoints).
UNWIND $rows AS row
MATCH (a:Entity {id: row.from_id})-[r]->(b:Entity {id: row.to_id})
WHERE r.id = row.id
RETURN r.id AS id, type(r) AS type, properties(r) AS props
