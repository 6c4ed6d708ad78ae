// Figures (numbers) about the given entity, which go when the entity goes.
MATCH (f:Entity)-[:DESCRIBES]->(n:Entity {id: $id})
RETURN f.id AS id
