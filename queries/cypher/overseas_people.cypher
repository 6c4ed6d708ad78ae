// Overseas Vietnamese intellectuals with their profile (contact details are redacted by the
// caller unless the person consented, see graph/privacy.py).
MATCH (p:Person)
WHERE p.overseas = true
RETURN p.id AS id, p.name AS name, p.country_of_residence AS country, p.city_of_residence AS city,
       p.institution AS institution, p.position AS position, p.expertise AS expertise,
       p.degrees AS degrees, p.languages AS languages, p.years_abroad AS years_abroad,
       p.consent AS consent, p.visibility AS visibility, p.email AS email, p.phone AS phone,
       p.sample AS sample
