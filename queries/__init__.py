"""The read side: named Cypher queries and networkx analytics. The same functions serve the
CLI (``python -m queries``) and the app."""
