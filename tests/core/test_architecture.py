"""The core stays Qt-free, so the CLI, batch tools and tests never need a display."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import ROOT

CORE = ROOT / "simulator" / "core"
FORBIDDEN = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "simulator.ui", "simulator.storage", "simulator.speech")


def _imports(path: str) -> set[str]:
    tree = ast.parse((CORE / path).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_core_module_imports_qt_or_the_shells() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        for name in _imports(str(path.relative_to(CORE))):
            if name.startswith(FORBIDDEN):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, offenders


def test_importing_the_whole_core_loads_no_qt() -> None:
    """Catches indirect imports too: import every core module, then look at sys.modules."""
    code = (
        "import importlib, pkgutil, sys, simulator.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'simulator.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6')]\n"
        "print(len([m for m in sys.modules if m.startswith('simulator.core')]), bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert int(result.stdout.split()[0]) > 15  # the walk really imported the core
