// Which region each province belongs to (a province LOCATED_IN a Place of place_type 'region').
MATCH (p:Province)-[:LOCATED_IN]->(r:Place)
WHERE r.place_type = 'region'
RETURN p.id AS province, r.id AS region
