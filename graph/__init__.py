"""The model (schema) and the connection (store) of the VUSTA partner graph."""
