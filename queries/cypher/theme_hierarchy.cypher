// Broader themes: (narrower)-[:PART_OF]->(broader) between themes.
MATCH (t:Theme)-[:PART_OF]->(b:Theme)
RETURN t.id AS theme, b.id AS broader
