// How many invented (demo) entities the graph holds: the app says so on every page when any.
MATCH (n:Entity)
WHERE n.sample = true
RETURN count(n) AS count
