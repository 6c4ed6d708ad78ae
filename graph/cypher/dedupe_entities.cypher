// Every entity's names, kinds, provenance and number of relationships: the input of
// `python -m ingest dedupe` (documents and figures are not deduplicated).
MATCH (n:Entity)
WHERE NOT 'Document' IN n.kinds AND NOT 'Figure' IN n.kinds
RETURN n.id AS id, n.name AS name, n.name_en AS name_en, n.aliases AS aliases, n.kinds AS kinds,
       n.provenance AS provenance, n.sample AS sample, COUNT { (n)--() } AS degree
