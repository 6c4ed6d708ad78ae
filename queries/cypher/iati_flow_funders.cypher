// Who funds (or extends funds to) each IATI project, with the IATI role.
MATCH (d:Entity)-[f:FUNDS]->(p:Project)
WHERE p.iati_identifier IS NOT NULL
RETURN p.id AS project, d.id AS donor, d.name AS name, d.name_en AS name_en, f.role AS role
ORDER BY project, donor
