"""Empathy Trainer: an offline simulator for practising difficult customer conversations."""

__version__ = "0.1.0"
