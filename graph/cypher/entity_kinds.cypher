// The kinds of the given entities, to check a relationship's endpoints against the schema.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, n.kinds AS kinds
