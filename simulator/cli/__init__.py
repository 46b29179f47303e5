"""Command-line shell around the core: validate, list, play, score, calibrate."""
