// Number of entities per kind (an entity with two kinds counts in both).
MATCH (n:Entity)
UNWIND n.kinds AS kind
RETURN kind, count(*) AS count
ORDER BY kind
