// Every relationship of the given entities, both directions, with ends and properties (before-images).
UNWIND $ids AS id
MATCH (n:Entity {id: id})-[r]-(m:Entity)
RETURN DISTINCT r.id AS id, type(r) AS type, startNode(r).id AS from_id, endNode(r).id AS to_id,
       properties(r) AS props
