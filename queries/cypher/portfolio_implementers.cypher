// Which organisation implemented which project.
MATCH (o:Entity)-[i:IMPLEMENTS]->(p:Project)
RETURN o.id AS organisation, p.id AS project, i.year AS year
