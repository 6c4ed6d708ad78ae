// The stored state of the given relationships, found from their start entities: each start
// entity is looked up once and its outgoing relationships read once (a relationship's id names
// both endpoints, so the end entity needs no lookup of its own).
UNWIND $rows AS row
WITH row.from_id AS from_id, collect(row.id) AS wanted
MATCH (:Entity {id: from_id})-[r]->()
WHERE r.id IN wanted
RETURN r.id AS id, type(r) AS type, properties(r) AS props
