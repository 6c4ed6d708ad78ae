// Every entity with its labels and properties, for a backup.
MATCH (n:Entity)
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
