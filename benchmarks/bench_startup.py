"""Benchmark: process start to the library window on screen, next to a bare PySide6 window.

Both are measured in the same run, alternating, as separate processes; each
prints the wall-clock time its first window is shown and quits. Uses the real
display when DISPLAY is set (run under xvfb-run), otherwise Qt's offscreen platform.

    .venv/bin/python benchmarks/bench_startup.py [--runs 7]

Target (issue #4): the app at most 1.5x the bare window.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1100, 780)
window.show()
def shown():
    print(f"shown {time.time():.6f}", flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def launch(command: list[str], env: dict[str, str]) -> float:
    start = time.time()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    line = next(x for x in result.stdout.splitlines() if x.startswith("shown "))
    if "cards=0" in line:
        raise SystemExit("the library was shown without its scenarios: not a fair measurement")
    return float(line.split()[1]) - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users' Pythons cache bytecode; measure what they get
    env.pop("EMPATHY_TRAINER_DATA", None)
    home = Path(tempfile.mkdtemp())
    # The default data folder (platformdirs), inside a scratch XDG_DATA_HOME.
    app_env = {**env, "EMPATHY_TRAINER_QUIT_WHEN_SHOWN": "1", "XDG_DATA_HOME": str(home)}
    from simulator.core.index import INDEX_FILE
    from simulator.storage.paths import data_dir, database_path
    from simulator.storage.store import Store

    os.environ["XDG_DATA_HOME"] = str(home)  # platformdirs reads the process environment
    data = data_dir(environ=app_env)
    store = Store(database_path(data))
    store.add_trainee("Benchmark")  # one trainee: the app opens straight on the library
    store.close()
    app_cmd = [sys.executable, "-m", "simulator"]
    bare_cmd = [sys.executable, "-c", BARE]
    cold_times = []
    for _ in range(3):  # as after installing or editing every scenario: no scenario index yet
        (data / INDEX_FILE).unlink(missing_ok=True)
        cold_times.append(launch(app_cmd, app_env))
    launch(bare_cmd, env)  # warm the OS file cache for both
    launch(app_cmd, app_env)
    app_times, bare_times = [], []
    for _ in range(args.runs):
        bare_times.append(launch(bare_cmd, env))
        app_times.append(launch(app_cmd, app_env))
    bare, app = statistics.median(bare_times), statistics.median(app_times)
    platform = env.get("QT_QPA_PLATFORM") or f"xcb on {env.get('DISPLAY')}"
    print(f"Start-up to first window ({platform}, median of {args.runs}):")
    print(f"  bare PySide6 window : {bare * 1000:7.0f} ms")
    print(f"  Empathy Trainer     : {app * 1000:7.0f} ms   (library with its 5 scenario cards)")
    print(f"  first start, no scenario index yet: {statistics.median(cold_times) * 1000:.0f} ms")
    print(f"  ratio               : {app / bare:7.2f}x   target <= 1.5x: {'met' if app / bare <= 1.5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
