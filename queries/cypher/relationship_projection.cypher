// All relationships between entities: the projection networkx analytics work on.
MATCH (a:Entity)-[r]->(b:Entity)
RETURN a.id AS source, b.id AS target, type(r) AS type, r.year AS year, r.since AS since
