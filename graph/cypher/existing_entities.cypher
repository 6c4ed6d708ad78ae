// The stored state of the given entities, to tell created / updated / unchanged apart.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, properties(n) AS props, labels(n) AS labels
