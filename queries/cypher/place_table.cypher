// Provinces and places with their names: the vocabulary for regions and provinces in a project idea.
MATCH (p:Entity)
WHERE p:Province OR p:Place
RETURN p.id AS id, p.name AS name, p.name_en AS name_en, p.aliases AS aliases, p.kinds AS kinds,
       p.place_type AS place_type, p.country AS country
ORDER BY id
