// One entity per statement and transaction: the naive baseline the benchmark compares the
// batched loader against (not used by the product's loader).
MERGE (n:Entity {id: $id})
SET n += $props
