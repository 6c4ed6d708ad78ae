// Every entity's names, for the search index built in queries/search.py.
MATCH (n:Entity)
RETURN n.id AS id, n.name AS name, n.name_en AS name_en, n.aliases AS aliases,
       n.kinds AS kinds, n.sample AS sample, n.visibility AS visibility
