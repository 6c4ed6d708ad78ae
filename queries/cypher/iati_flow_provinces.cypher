// The provinces each IATI project names in its locations.
MATCH (p:Project)-[:LOCATED_IN]->(v:Province)
WHERE p.iati_identifier IS NOT NULL
RETURN p.id AS project, v.id AS province, v.name AS name, v.name_en AS name_en
ORDER BY project, province
