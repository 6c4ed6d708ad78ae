// The source documents the partner finder cites as evidence: title, publisher, date and address.
MATCH (d:Document)
RETURN d.id AS id, d.name AS title, d.title_en AS title_en, d.publisher AS publisher,
       d.published AS published, d.url AS url, d.sample AS sample
ORDER BY id
