// What each source document contributed: the entities it mentions, counted by kind.
MATCH (e:Entity)-[:MENTIONED_IN]->(d:Document)
UNWIND e.kinds AS kind
RETURN d.id AS document, kind, count(*) AS count
ORDER BY document, count DESC
