"""Benchmarks against the alternatives a user would pick instead: run `python -m benchmarks`."""
