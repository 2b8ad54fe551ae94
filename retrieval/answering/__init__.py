"""Stage 4: a question in, cited clauses out (search, lexical, ranking, references, verdict)."""
