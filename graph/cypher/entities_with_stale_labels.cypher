// Entities whose kind labels differ from their `kinds` property (set in the same transaction
// as the data); the loader brings the labels in line right after each load.
MATCH (n:Entity)
WHERE any(kind IN n.kinds WHERE NOT kind IN labels(n))
   OR any(label IN labels(n) WHERE label <> 'Entity' AND NOT label IN n.kinds)
RETURN n.id AS id, n.kinds AS kinds, labels(n) AS labels
LIMIT $limit
