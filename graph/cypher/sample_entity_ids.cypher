// Ids of sample (invented) entities whose id starts with a prefix, for removing a sample set.
MATCH (n:Entity)
WHERE n.sample = true AND n.id STARTS WITH $prefix
RETURN n.id AS id
