// Relationships from one entity to another, for the given ordered pairs: new evidence for a
// relationship the graph already holds is attached to it rather than to a second one.
UNWIND $pairs AS pair
MATCH (a:Entity {id: pair.from_id})-[r]->(b:Entity {id: pair.to_id})
RETURN a.id AS from_id, b.id AS to_id, type(r) AS type, r.id AS id, r.role AS role
