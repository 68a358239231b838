"""The harness: cases, loading one set of weights into both implementations, convention mapping,
comparison, the case matrix, reports and the command line."""
