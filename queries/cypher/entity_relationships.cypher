// The relationships of one entity, in both directions, with the entity at the other end.
MATCH (n:Entity {id: $id})-[r]-(m:Entity)
RETURN type(r) AS type, startNode(r) = n AS outgoing, properties(r) AS props,
       m.id AS other_id, m.name AS other_name, m.name_en AS other_name_en, m.kinds AS other_kinds,
       m.visibility AS other_visibility
ORDER BY type, other_name
LIMIT $limit
