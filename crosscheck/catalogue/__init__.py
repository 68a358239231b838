"""The equation catalogue: every documented equation with the cross-checks that compare it with PyTorch."""
