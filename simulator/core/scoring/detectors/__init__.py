"""Built-in detectors for the core rubric, one module per criterion.

Each detector is a plain function ``(Answer, ScoringContext) -> Detection``;
``registry.CORE_DETECTORS`` maps criterion ids to them. This package file
imports nothing, so reading the types in ``base`` does not compile every
detector's patterns.
"""
