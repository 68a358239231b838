"""NumPy reference: the documents' equations, one function each, in the column layout.

X is features x examples, W[l] is n[l] x n[l-1], b[l] is n[l] x 1. This package imports
NumPy only; it knows nothing of torch or of the harness.
"""
