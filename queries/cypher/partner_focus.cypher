// The themes each organisation (not project) focuses on.
MATCH (n:Entity)-[:FOCUSES_ON]->(t:Theme)
WHERE NOT n:Project
RETURN n.id AS id, t.id AS theme
