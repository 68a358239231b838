"""Timings: the reference's forward+backward against torch's, on one network at several batch sizes."""
