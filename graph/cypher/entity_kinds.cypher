// The kinds of the given entities, to check a relationship's endpoints against the schema: one
// row per combination of kinds with its entities' ids (a row per entity cost the driver more
// than the lookup itself).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.kinds AS kinds, collect(n.id) AS ids
