"""The write side: readers for curated files and documents, validation, entity resolution,
provenance, and the load itself through :mod:`graph`. Never talks to the UI."""
