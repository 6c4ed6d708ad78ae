// Every figure the documents report, with the entity it is about.
MATCH (f:Figure)
OPTIONAL MATCH (s:Entity {id: f.subject})
RETURN f.id AS id, f.metric AS metric, f.label AS label, f.label_en AS label_en, f.value AS value,
       f.unit AS unit, f.year AS year, f.period AS period, f.qualifier AS qualifier, f.sample AS sample,
       f.provenance AS provenance, f.subject AS subject, s.name AS subject_name,
       s.name_en AS subject_name_en, s.kinds AS subject_kinds
ORDER BY metric, year, period
