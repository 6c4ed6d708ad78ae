// Every relationship between entities with its properties, for a backup.
MATCH (a:Entity)-[r]->(b:Entity)
RETURN a.id AS from_id, b.id AS to_id, type(r) AS type, properties(r) AS props
