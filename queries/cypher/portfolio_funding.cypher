// Who funded which project, how much and when.
MATCH (d:Entity)-[f:FUNDS]->(p:Project)
RETURN d.id AS donor, p.id AS project, f.amount AS amount, f.year AS year
