"""Whole training runs of both implementations, compared step by step, on scikit-learn's data sets."""
