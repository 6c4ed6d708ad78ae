// Where each project took place (provinces, or whole regions).
MATCH (p:Project)-[:LOCATED_IN]->(v:Entity)
WHERE v:Province OR v:Place
RETURN p.id AS project, v.id AS place
