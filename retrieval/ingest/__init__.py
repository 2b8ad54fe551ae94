"""Stage 1: policy files in, clauses out (readers per format, markup, chunking, the corpus folder)."""
