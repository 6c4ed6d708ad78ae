// Every funding link to a project with its amount and currency.
MATCH (d:Entity)-[f:FUNDS]->(p:Project)
RETURN d.id AS donor, p.id AS project, p.sample AS sample, f.amount AS amount, f.currency AS currency
ORDER BY project, donor
