// Who funded which project, how much (in which currency) and when.
MATCH (d:Entity)-[f:FUNDS]->(p:Project)
RETURN d.id AS donor, p.id AS project, f.amount AS amount, f.currency AS currency, f.year AS year
