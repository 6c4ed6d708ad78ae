// The entities one source document mentions, with where in the document.
MATCH (e:Entity)-[r:MENTIONED_IN]->(d:Document {id: $id})
RETURN e.id AS id, e.name AS name, e.name_en AS name_en, e.kinds AS kinds, e.sample AS sample,
       r.provenance AS provenance
ORDER BY name
LIMIT $limit
