"""The core every capability builds on: the operator registry, cases and the matrix, traces of both
implementations, the convention mapping, comparison and tolerances."""
