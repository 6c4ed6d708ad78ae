// The themes of each project.
MATCH (p:Project)-[:FOCUSES_ON]->(t:Theme)
RETURN p.id AS project, t.id AS theme
