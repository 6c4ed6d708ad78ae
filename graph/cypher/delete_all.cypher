// Empty the database (restore with --replace only).
MATCH (n)
DETACH DELETE n
