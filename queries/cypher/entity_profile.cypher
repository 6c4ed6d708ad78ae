// One entity with all its properties.
MATCH (n:Entity {id: $id})
RETURN n.id AS id, n.kinds AS kinds, properties(n) AS props
