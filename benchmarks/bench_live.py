"""Benchmark: a live session on loopback, with the key exchange and sealed frames of protocol 3.

Measured on one machine, the trainees' apps and the host in one process (so they share one GIL:
on a classroom network each app has its own computer, and the host does less than here):

- the SPAKE2 key exchange: one side's arithmetic (what the host spends per join), and a whole
  exchange with sealing one frame each way;
- joins per second: trainees joining one after another (handshake, sealed join, welcome with
  the scenario file), with the host's rate cap lifted so the machine is measured, not the cap
  (the default cap is ``HostLimits.handshakes_per_second``);
- answer round trip: one trainee alone, then 30 trainees answering at once, each their whole
  conversation: the time from sending an answer to its ack (the host replays and scores every
  answer; each app's own scoring happens on its own computer, so it is left out here).

    .venv/bin/python benchmarks/bench_live.py [--trainees 30] [--joins 60] [--runs 20] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _timing import median_ms  # noqa: E402

from simulator.classroom.channel import Handshake  # noqa: E402
from simulator.classroom.client import LiveClient  # noqa: E402
from simulator.classroom.host import LiveHost  # noqa: E402
from simulator.classroom.host_events import HostLimits  # noqa: E402
from simulator.core.catalog import Catalog  # noqa: E402
from simulator.core.scoring.scorer import RubricScorer  # noqa: E402
from simulator.storage.classroom import ClassroomStore  # noqa: E402
from simulator.storage.store import Store  # noqa: E402

PATH = ROOT / "tests" / "data" / "paths" / "stolen-wallet--resolved_well.txt"


def handshake_ms(runs: int) -> dict[str, float]:
    trainee = Handshake("K7P4XR", host=False)

    def host_side() -> None:  # what the host computes per join: its message and the shared key
        Handshake("K7P4XR", host=True).finish(trainee.outgoing)

    def whole() -> None:
        a, b = Handshake("K7P4XR", host=False), Handshake("K7P4XR", host=True)
        to_host, to_trainee = a.finish(b.outgoing), b.finish(a.outgoing)
        to_trainee.open(to_host.seal(b'{"type":"join","name":"Ana"}'))
        to_host.open(to_trainee.seal(b'{"type":"ack","index":0,"finished":false}'))

    return {"host_side_ms": median_ms(host_side, runs), "whole_exchange_ms": median_ms(whole, runs)}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(trainees: int, joins: int, runs: int) -> dict[str, Any]:
    scenario = Catalog([ROOT / "scenarios"]).get("stolen-wallet")
    answers = [line for line in PATH.read_text().splitlines() if line.strip()]
    result: dict[str, Any] = handshake_ms(runs)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "trainer.sqlite3"
        classroom = ClassroomStore(Store(database))
        group = classroom.add_group("Benchmark class")
        assignment = classroom.assign(group.id, scenario, "practice", 60)
        classroom.close()
        limits = HostLimits(handshakes_per_second=1e6, handshake_burst=1_000_000, max_joined_per_peer=1_000)
        with LiveHost(assignment, scenario, RubricScorer(), database=database, bind="127.0.0.1", port=0,
                      limits=limits) as host:  # fmt: skip
            started = time.perf_counter()
            for n in range(joins):
                LiveClient.connect(*host.address, host.code, f"Joiner {n}").close()
            result["joins_per_s"] = joins / (time.perf_counter() - started)

            alone = round_trips(host, answers, 1, "Alone")
            trips = round_trips(host, answers, trainees, "Trainee")
        result |= {
            "trainees": trainees,
            "answers": len(trips),
            "alone_round_trip_median_ms": statistics.median(alone),
            "round_trip_median_ms": statistics.median(trips),
            "round_trip_p95_ms": percentile(trips, 0.95),
            "round_trip_max_ms": max(trips),
            "default_cap_per_s": HostLimits().handshakes_per_second,
        }
    return result


def round_trips(host: LiveHost, answers: list[str], trainees: int, prefix: str) -> list[float]:
    """Each of ``trainees`` plays the whole path at once; the time from each send to its ack."""
    clients = [LiveClient.connect(*host.address, host.code, f"{prefix} {n}") for n in range(trainees)]
    trips: list[float] = []
    lock = threading.Lock()
    gate = threading.Barrier(trainees)

    def play(client: LiveClient) -> None:
        gate.wait()
        for index, line in enumerate(answers):  # the path's turns are 0, 1, 2...: no local engine needed
            sent = time.perf_counter()  # (each app scores locally on its own computer, not the host's)
            client.send_answer(index, line, 3.0)
            ack = client.messages.get(timeout=60)
            assert ack["type"] == "ack" and ack["index"] == index, ack
            with lock:
                trips.append((time.perf_counter() - sent) * 1000)

    threads = [threading.Thread(target=play, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    for client in clients:
        client.close()
    return trips


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--joins", type=int, default=60)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.trainees, args.joins, args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"key exchange, host's side        {result['host_side_ms']:8.1f} ms (median)")
    print(f"key exchange, both sides + seal  {result['whole_exchange_ms']:8.1f} ms (median)")
    cap = result["default_cap_per_s"]
    print(f"joins, one after another         {result['joins_per_s']:8.1f} /s (the host's default cap: {cap:.0f}/s)")
    print(f"answer -> ack, one trainee alone  {result['alone_round_trip_median_ms']:8.1f} ms (median)")
    print(f"answer -> ack, {result['trainees']} trainees at once ({result['answers']} answers):")
    for key in ("round_trip_median_ms", "round_trip_p95_ms", "round_trip_max_ms"):
        print(f"  {key.removeprefix('round_trip_'):28} {result[key]:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
