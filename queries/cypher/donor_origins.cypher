// Donors and foreign or international partners, with the country they come from and where they are.
MATCH (n:Entity)
WHERE n:Donor OR n:ForeignPartner OR n:InternationalOrganisation
OPTIONAL MATCH (n)-[:LOCATED_IN]->(p:Entity)
RETURN n.id AS id, n.name AS name, n.kinds AS kinds, n.origin_country AS origin_country,
       n.country AS country, n.sample AS sample, collect(p.name) AS located_in
ORDER BY name
