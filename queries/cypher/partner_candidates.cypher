// The organisations the partner finder can recommend — donors, international partners and the
// VUSTA system's own organisations — with their public profile (filtered by kind here, not in Python).
MATCH (n:Entity)
WHERE n:Donor OR n:ForeignPartner OR n:InternationalOrganisation OR n:Network
   OR n:MemberAssociation OR n:AffiliatedOrganisation OR n:ProvincialUnion
RETURN n.id AS id, n.name AS name, n.name_en AS name_en, n.kinds AS kinds, n.aliases AS aliases,
       n.sample AS sample, n.country AS country, n.origin_country AS origin_country, n.sector AS sector,
       n.instruments AS instruments, n.typical_grant_min_usd AS grant_min_usd,
       n.typical_grant_max_usd AS grant_max_usd, n.geographic_focus AS geographic_focus,
       n.focus_themes AS focus_themes, n.profile_source AS profile_source
ORDER BY id
