"""PyTorch twin: the same networks built from torch's own modules, differentiated by autograd.

This package imports torch only (NumPy arrays are accepted at its edges); it never re-derives a
gradient formula in torch ops and knows nothing of the reference or of the harness.
"""
