// The relationships that reach an entity, with their properties: what a merge re-creates on
// the surviving entity.
MATCH (n:Entity {id: $id})<-[r]-(m:Entity)
RETURN type(r) AS type, m.id AS other, properties(r) AS props
