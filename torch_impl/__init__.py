"""PyTorch twin: the same networks built from torch's own modules, differentiated by autograd.

This package imports torch only (NumPy arrays are accepted at its edges); it never re-derives a
gradient formula in torch ops and knows nothing of the reference or of the harness.
"""

# The devices the twin can be asked to run on; torch_impl.runtime says which are available here.
# Defined here, without torch, for the command-line options that list them before any torch loads.
DEVICES = ("cpu", "cuda", "mps")
