// Where organisations are based (their LOCATED_IN province or place).
MATCH (n:Entity)-[:LOCATED_IN]->(p:Entity)
WHERE (p:Province OR p:Place) AND NOT n:Project AND NOT n:Province AND NOT n:Place
RETURN n.id AS id, p.id AS place
