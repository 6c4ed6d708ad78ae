// Drop the name index, to build it again from the remaining nodes (after a deletion on request,
// so that no index page keeps the deleted name).
DROP INDEX entity_name IF EXISTS
