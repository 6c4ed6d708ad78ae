// Every project with its provenance and how many donors and implementers it has (to check sources).
MATCH (p:Project)
RETURN p.id AS id, p.name AS name, p.sample AS sample, p.provenance AS provenance,
       p.amount_usd AS amount_usd,
       COUNT { (:Entity)-[:FUNDS]->(p) } AS donors, COUNT { (:Entity)-[:IMPLEMENTS]->(p) } AS implementers
ORDER BY id
