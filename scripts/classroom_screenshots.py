"""Screenshots of the trainer's classroom: assignments, projector, live dashboard, report (and its PDF).

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/classroom_screenshots.py

A generated cohort of twelve plays the stolen-wallet scenario (scripted good, average and poor
paths) so the report has something to show; two trainees join the live session over loopback.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.application.attempts import Attempts, play_through  # noqa: E402
from simulator.classroom.client import LiveClient  # noqa: E402
from simulator.core.catalog import Catalog  # noqa: E402
from simulator.core.scoring.scorer import RubricScorer  # noqa: E402
from simulator.storage.classroom import ClassroomStore  # noqa: E402
from simulator.storage.store import Store  # noqa: E402
from simulator.ui import theme  # noqa: E402
from simulator.ui.classroom.report_document import write_pdf  # noqa: E402
from simulator.ui.classroom.window import ClassroomWindow  # noqa: E402
from simulator.ui.tasks import TaskRunner  # noqa: E402

PATHS = ROOT / "tests" / "data" / "paths"
NAMES = ["Ana Silva", "Ben Okafor", "Cleo Martin", "Dev Patel", "Eli Novak", "Fatima Zahra",
         "Gus Berg", "Hana Sato", "Ivan Petrov", "Jo Kim", "Kai Lund", "Lea Roux"]  # fmt: skip
ROUTES = ["resolved_well", "resolved_well", "supervisor_handover", "hung_up"]


def lines(route: str) -> list[str]:
    text = (PATHS / f"stolen-wallet--{route}.txt").read_text(encoding="utf-8")
    return [x for x in text.splitlines() if x.strip()]


def main() -> int:
    out = ROOT / "docs" / "screenshots"
    app = QApplication(sys.argv)
    theme.apply(app, "light")
    data = Path(tempfile.mkdtemp())
    store = Store(data / "db.sqlite3")
    classroom = ClassroomStore(store)
    scenario = Catalog([ROOT / "scenarios"]).get("stolen-wallet")
    attempts = Attempts(store, RubricScorer)
    group = classroom.add_group("November cohort")
    classroom.import_roster([(name, group.name) for name in NAMES])
    assignment = classroom.assign(group.id, scenario, "practice", 70, attempt_limit=3)
    rng = random.Random(7)
    for trainee in classroom.members(group.id)[:-2]:
        for _ in range(rng.randint(1, 3)):
            seed, seconds = rng.randint(1, 9), rng.randint(5, 40)
            answers = lines(rng.choice(ROUTES))
            attempt = play_through(attempts, trainee.id, scenario, answers, seed=seed, answer_seconds=seconds)
            classroom.link_attempt(assignment.id, attempt)

    runner = TaskRunner(lambda error: print("failed:", error), synchronous=True)
    window = ClassroomWindow(classroom, lambda: [scenario], runner.run, store.path, "Jo Trainer")
    window.resize(1280, 820)
    window.show()

    def shot(name: str) -> None:
        for _ in range(8):
            app.processEvents()
        window.grab().save(str(out / f"{name}.png"))
        print("saved", out / f"{name}.png")

    window.tabs.setCurrentWidget(window.assignments)
    shot("classroom-assignments")
    window.run_projector(assignment.id)
    view = window.projector
    for line in lines("resolved_well")[:2]:
        view.answer.setPlainText(line)
        view.submit()
        view.next_turn()
    view.answer.setPlainText(lines("resolved_well")[2])
    view.submit()
    shot("classroom-projector")
    window.host_live(assignment.id, port=0)
    host = window.host_view.host
    clients = []
    for name, count in (("Ana Silva", 3), ("Ben Okafor", 1), ("Cleo Martin", 0)):
        client = LiveClient.connect("127.0.0.1", host.address[1], host.code, name)
        playing = client.play(attempts.scorer)
        for line in lines("resolved_well")[:count]:
            playing.respond(line)
        clients.append(client)
    for _ in range(40):
        app.processEvents()
        if sum(r.turn_count for r in window.host_view.refresh().rows) == 4:
            break
        QApplication.instance().thread().msleep(50)  # type: ignore[union-attr]
    shot("classroom-dashboard")
    window.show_report(assignment.id)
    shot("classroom-report")
    assert window.report.report is not None
    pdf = data / "classroom-report.pdf"
    write_pdf(window.report.report, pdf)
    if shutil.which("pdftoppm"):  # the PDF's first page, as a trainer would see it printed
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(out / "classroom-report-pdf")], check=True)  # fmt: skip
        print("saved", out / "classroom-report-pdf.png")
    for client in clients:
        client.close()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
