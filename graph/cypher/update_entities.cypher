// Update existing entities by id; row.props holds every property (null removes one).
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n += row.props
