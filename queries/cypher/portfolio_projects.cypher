// Aid projects with their year, size, instrument and place (the portfolio the partner finder learns from);
// themes/provinces/region as written on the project, used when no FOCUSES_ON / LOCATED_IN link says it;
// provenance: the sources the record cites (the evidence the finder shows).
MATCH (p:Project)
RETURN p.id AS id, p.name AS name, p.year AS year, p.start_year AS start_year, p.end_year AS end_year,
       p.amount_usd AS amount_usd, p.instrument AS instrument, p.region AS region, p.themes AS themes,
       p.provinces AS provinces, p.sample AS sample, p.provenance AS provenance
ORDER BY id
