// Organisations that carry an IATI organisation identifier (set by the IATI import), to resolve
// participating organisations of later imports to them.
MATCH (o:Entity)
WHERE o.iati_org_ref IS NOT NULL
RETURN o.id AS id, o.iati_org_ref AS ref, o.kinds AS kinds
