"""Stage 5: what is made from answers and clauses (compare, obligations, exports, feedback, evaluation)."""
