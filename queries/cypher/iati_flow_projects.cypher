// Projects imported from IATI activity files, with their year, USD value and recipient countries.
MATCH (p:Project)
WHERE p.iati_identifier IS NOT NULL
RETURN p.id AS id, p.name AS name, p.name_en AS name_en, p.iati_identifier AS identifier, p.year AS year,
       p.amount_usd AS amount_usd, p.amount_basis AS amount_basis, p.status AS status, p.sample AS sample,
       p.recipient_countries AS countries
ORDER BY id
