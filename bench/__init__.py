"""Benchmarks: a synthetic graph at scale and the product's figures measured on it."""
