// Every theme of the taxonomy with its names and keywords: the partner finder's vocabulary.
MATCH (t:Theme)
RETURN t.id AS id, t.name AS name, t.name_en AS name_en, t.aliases AS aliases,
       t.keywords AS keywords, t.dac_codes AS dac_codes
ORDER BY id
