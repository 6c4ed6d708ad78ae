// Number of relationships per type.
MATCH (:Entity)-[r]->(:Entity)
RETURN type(r) AS type, count(*) AS count
ORDER BY type
