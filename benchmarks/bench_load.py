"""Benchmark: loading the bundled scenarios, the YAML parse alone and the whole loader.

The app loads its whole catalog right after the library window appears (the window itself is
painted from the index cache), the validator loads every file, and the studio checks a file on
every edit. Measured per run over all files in scenarios/: ``yamlsafe.load`` (parse, limits,
positions), ruamel.yaml's pure-Python composer with the same YAML 1.2 rules (the studio's editing
parser, which the loader could use instead: this is why it does not), and ``loader.load_file``
(parse + JSON Schema + semantic checks + model).

    .venv/bin/python benchmarks/bench_load.py [--runs 7] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _timing import median_ms, print_medians, rounded_medians  # noqa: E402
from ruamel.yaml import YAML  # noqa: E402

from simulator.core import yamlsafe  # noqa: E402
from simulator.core.loader import load_file  # noqa: E402


def measure(runs: int) -> dict[str, Any]:
    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    texts = [file.read_text(encoding="utf-8") for file in files]
    results = {
        "yaml_parse_all_ms": median_ms(lambda: [yamlsafe.load(text) for text in texts], runs),
        "ruamel_compose_all_ms": median_ms(lambda: [YAML(typ="safe", pure=True).compose(t) for t in texts], runs),
        "load_file_all_ms": median_ms(lambda: [load_file(file) for file in files], runs),
    }
    return {
        "files": len(files),
        "bytes": sum(len(text.encode("utf-8")) for text in texts),
        "runs": runs,
        "python": sys.version.split()[0],
        "median_ms": rounded_medians(results),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    report = measure(args.runs)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"Loading the bundled scenarios: {report['files']} files, {report['bytes'] // 1000} kB "
        f"(median of {report['runs']} runs)"
    )
    labels = {
        "yaml_parse_all": "YAML parse, limits and positions (yamlsafe.load)",
        "ruamel_compose_all": "ruamel.yaml compose alone (pure Python, YAML 1.2)",
        "load_file_all": "whole loader (parse + schema + checks + model)",
    }
    print_medians(labels, report["median_ms"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
