"""Qt-free core: scenario model, loading and validation, the engine, scoring.

Nothing in this package may import PySide6; ``tests/core/test_architecture.py``
enforces that so the CLI, tests and batch tools never need a display.
"""
