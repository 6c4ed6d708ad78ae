// Drop the unique id constraint (and its index), to build it again from the remaining nodes
// (after a deletion on request, so that no index page keeps the deleted id).
DROP CONSTRAINT entity_id IF EXISTS
