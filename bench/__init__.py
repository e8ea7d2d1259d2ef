"""Benchmarks, not tests: `python bench/webhook.py` from the repo root (see its docstring)."""
