// The version (last-updated-datetime) the graph holds of each given IATI activity.
UNWIND $ids AS id
MATCH (p:Project {id: id})
RETURN p.id AS id, p.iati_last_updated AS last_updated
