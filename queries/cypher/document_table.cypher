// The source documents, each with the number of entities it mentions.
MATCH (d:Document)
RETURN d.id AS id, d.name AS title, d.title_en AS title_en, d.published AS published,
       d.publisher AS publisher, d.kind_of_text AS kind_of_text, d.file AS file, d.url AS url, d.retrieved AS retrieved,
       d.sample AS sample,
       COUNT { (:Entity)-[:MENTIONED_IN]->(d) } AS entities
ORDER BY id
