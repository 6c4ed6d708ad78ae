// Which of the given ids have no entity in the graph (dangling references).
UNWIND $ids AS id
OPTIONAL MATCH (n:Entity {id: id})
WITH id, n
WHERE n IS NULL
RETURN id
