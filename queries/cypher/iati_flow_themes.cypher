// The themes of each IATI project (from its DAC sectors).
MATCH (p:Project)-[:FOCUSES_ON]->(t:Theme)
WHERE p.iati_identifier IS NOT NULL
RETURN p.id AS project, t.id AS theme, t.name AS name, t.name_en AS name_en
ORDER BY project, theme
