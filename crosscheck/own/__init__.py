"""Checking your own code against PyTorch autograd: activations, losses, layers and whole networks."""
