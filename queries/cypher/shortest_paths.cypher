// The shortest connections between two entities, found by the database itself (the
// `database` analytics mode, see queries/paths.py): no in-process projection is needed, so it
// serves graphs too large for one (a million entities) and a Neo4j cluster or Aura.
// Provenance relationships and the avoided kinds are never passed through.
MATCH (a:Entity {id: $from_id})
MATCH (b:Entity {id: $to_id})
MATCH p = allShortestPaths((a)-[*..6]-(b))
WHERE none(r IN relationships(p) WHERE type(r) IN $skip_types)
  AND none(n IN nodes(p) WHERE n <> a AND n <> b AND any(k IN labels(n) WHERE k IN $avoid))
RETURN [n IN nodes(p) | {id: n.id, name: n.name, name_en: n.name_en, aliases: n.aliases, kinds: n.kinds,
        visibility: n.visibility}] AS nodes,
       [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id}] AS rels
LIMIT $limit
