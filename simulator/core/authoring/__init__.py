"""The trainer studio's Qt-free core: edit, template, import, check and lay out scenarios.

Everything here works on scenario text and the core model only, so the studio window is a thin
view over it and the same operations can be tested (and benchmarked) without a display.
"""
