"""Benchmarks of the project itself (not of the reference or torch: `crosscheck bench` times those)."""
