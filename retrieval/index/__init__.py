"""Stage 2: clauses and vectors on disk (building, the stored index and manifest, vector stores)."""
