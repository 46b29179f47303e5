"""Take the README's screenshots from the real window (run under Xvfb: see README).

xvfb-run -a -s "-screen 0 1280x1000x24" .venv/bin/python scripts/screenshots.py [--dark]

``--size 1024x700`` is the screen a laptop has: under Xvfb start Xvfb with that screen; without a
display the script uses Qt's offscreen platform with a screen of that size. Windows then open the
way they do for a new user there (``simulator.ui.geometry.fit_window``), and the size goes into the
file names. ``--studio`` and ``--classroom`` take the trainer's windows instead of the trainee's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.application.attempts import Attempts  # noqa: E402
from simulator.core.catalog import Catalog  # noqa: E402
from simulator.core.scoring.scorer import RubricScorer  # noqa: E402
from simulator.storage.paths import database_path  # noqa: E402
from simulator.storage.store import Store, now  # noqa: E402
from simulator.ui import theme  # noqa: E402
from simulator.ui.main_window import MainWindow  # noqa: E402

PATHS = ROOT / "tests" / "data" / "paths"


def lines(name: str) -> list[str]:
    return [x for x in (PATHS / name).read_text(encoding="utf-8").splitlines() if x.strip()]


def seed_history(store: Store, catalog: Catalog, trainee_id: int) -> None:
    """A few weeks of practice, so the progress page has something to show."""
    runs = [
        ("stolen-wallet", "stolen-wallet--hung_up.txt", 20),
        ("delayed-order", "delayed-order--chargeback_filed.txt", 17),
        ("stolen-wallet", "stolen-wallet--supervisor_handover.txt", 14),
        ("blocked-project-manager", "blocked-project-manager--lead_takes_over.txt", 11),
        ("internet-outage", "internet-outage--sorted_for_tomorrow.txt", 8),
        ("delayed-order", "delayed-order--resolved_well.txt", 5),
        ("stolen-wallet", "stolen-wallet--resolved_well.txt", 2),
    ]
    attempts = Attempts(store, RubricScorer)
    for scenario_id, path, days_ago in runs:
        scenario = catalog.get(scenario_id)
        attempt = attempts.start(trainee_id, scenario, "practice", seed=days_ago)
        store.db.execute(
            "UPDATE attempts SET started = ? WHERE id = ?", [(now() - timedelta(days=days_ago)).isoformat(), attempt.id]
        )
        attempt.shown_at = now() - timedelta(days=days_ago)
        for answer in lines(path):
            attempt.shown_at += timedelta(seconds=40)
            attempts.answer(attempt, answer, answered_at=attempt.shown_at + timedelta(seconds=25))
            if attempt.finished:
                break


VOICE_ANSWER = "Maria, that sounds really frightening. I am locking your card right now so nothing else can go through."


def voice_shots(window: MainWindow, store: Store, data: Path, shot: Callable[[str], None]) -> None:
    """A phone turn answered aloud: real espeak-ng speech through the microphone path and tiny.en."""
    from PySide6.QtTest import QTest

    from simulator.speech.recognizer import WhisperRecognizer
    from simulator.speech.tts import EspeakProgram, VoiceSettings, default_synthesizer
    from simulator.ui.audio_devices import RecordingSpeaker, WavMicrophone
    from simulator.ui.voice import VoiceServices

    spoken = data / "answer.wav"
    EspeakProgram().render(VOICE_ANSWER, VoiceSettings(rate=160), spoken)
    recognizer = WhisperRecognizer()
    recognizer.load()
    microphone = WavMicrophone(spoken, speed=1.0)
    window.set_voice_services(
        VoiceServices(default_synthesizer(data / "voice-cache"), recognizer, microphone, RecordingSpeaker())
    )
    window.start("stolen-wallet", "practice")
    conversation = window.conversation
    QTest.qWait(1200)  # the trainee listens, then answers
    conversation.voice.start()
    QTest.qWait(1900)  # mid-word: the meter moves
    shot("voice-recording")
    QTest.qWait(4600)  # the whole answer is in: stop, as a trainee clicks Stop; recognition fills the box
    conversation.voice.stop()
    QTest.qWait(3000)
    shot("voice")
    conversation.answer.setPlainText(conversation.answer.toPlainText().replace(" car ", " card "))  # the trainee's fix
    conversation._send()
    for answer in lines("stolen-wallet--resolved_well.txt")[1:]:
        conversation.answer.setPlainText(answer)
        conversation._send()
    QTest.qWait(500)
    debrief = window.debrief
    debrief.scroll_area.ensureWidgetVisible(debrief.turn_cards[0], 0, 0)
    debrief.scroll_area.verticalScrollBar().setValue(debrief.turn_cards[0].y() - 10)
    shot("debrief-voice")


def studio_shots(app: QApplication, store: Store, data: Path, out: Path, suffix: str = "") -> None:
    """The studio on a copy of the bundled scenarios, with one override already made."""
    import shutil

    from simulator.ui.studio.window import StudioWindow

    folder = data / "scenarios"
    shutil.copytree(ROOT / "scenarios", folder)
    store.set_trainer_passphrase("Jo Trainer", "correct horse battery")
    settings = QSettings(str(data / "studio.ini"), QSettings.Format.IniFormat)
    studio = StudioWindow(folder, store, "Jo Trainer", synchronous=True, settings=settings)
    studio.show()

    def shot(name: str) -> None:
        for _ in range(5):
            app.processEvents()
        studio.grab().save(str(out / f"{name}{suffix}.png"))
        print("saved", out / f"{name}{suffix}.png")

    studio.refresh_files(select=folder / "stolen-wallet.yaml")
    studio.graph.fit()
    studio.select_node("still_charging")
    shot("studio-graph")
    studio.select_node("opening")
    studio.playtest_here()
    for answer in lines("stolen-wallet--resolved_well.txt")[:2]:
        studio.playtest.answer.setText(answer)
        studio.playtest.send()
    shot("studio-playtest")
    studio.tabs.setCurrentWidget(studio.scenario_editor)
    form = studio.scenario_editor
    ids = [form.criteria.item(i).text() for i in range(form.criteria.count())]
    form.criteria.setCurrentRow(ids.index("lock_card_first"))
    form.ensureWidgetVisible(form.criteria)
    shot("studio-rubric")
    studio.tabs.setCurrentWidget(studio.tuning)
    studio.tuning.load(ROOT / "tests" / "data" / "calibration" / "set_a.jsonl")
    studio.tuning.add_sample("Maria, I'm going to suspend the card this second.", {"lock_card_first": True})
    studio.tuning.check()
    shot("studio-tuning")
    studio.pages.setCurrentWidget(studio.review)
    review = studio.review
    review.table.selectRow(0)
    missed = [
        review.tree.topLevelItem(t).child(c)
        for t in range(review.tree.topLevelItemCount())
        for c in range(review.tree.topLevelItem(t).childCount())
        if review.tree.topLevelItem(t).child(c).text(1) == "missed"
    ]
    review.tree.setCurrentItem(missed[0] if missed else review.tree.topLevelItem(0).child(0))
    review.ask_override = lambda _l, _s, current: (
        not current,
        "Listened to the recording: it was there, in other words.",
    )
    review.override_selected()
    review.table.selectRow(0)
    shot("studio-review")


def classroom_shots(app: QApplication, store: Store, catalog: Catalog, data: Path, out: Path, suffix: str) -> None:
    """The trainer's classroom with a group of three and one assignment, every tab."""
    from simulator.application.compose import classroom_of
    from simulator.ui.classroom.window import ClassroomWindow
    from simulator.ui.tasks import TaskRunner

    classroom = classroom_of(store)
    group = classroom.add_group("Morning cohort")
    classroom.import_roster([(name, "Morning cohort") for name in ("Ana Silva", "Ben Okafor", "Cleo Martin")])
    classroom.assign(group.id, catalog.get("stolen-wallet"), "practice", 60)
    runner = TaskRunner(lambda error: print("task failed:", error), synchronous=True)
    settings = QSettings(str(data / "classroom.ini"), QSettings.Format.IniFormat)
    window = ClassroomWindow(
        classroom, lambda: catalog.scenarios, runner.run, store.path, "Jo Trainer", settings=settings
    )
    window.show()
    for index, name in enumerate(["groups", "assignments", "live", "projector", "results", "report"]):
        window.tabs.setCurrentIndex(index)
        for _ in range(5):
            app.processEvents()
        path = out / f"classroom-{name}{suffix}.png"
        window.grab().save(str(path))
        print("saved", path)
    window.close()


def offscreen_screen(size: str, folder: Path) -> None:
    """No display: Qt's offscreen platform with one screen of ``size`` (it reads its screens from a file)."""
    width, height = (int(n) for n in size.split("x"))
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96, "dpr": 1}
    config = folder / "screens.json"
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--voice", action="store_true", help="only the phone call answered aloud, and its debrief")
    parser.add_argument("--studio", action="store_true", help="only the trainer studio")
    parser.add_argument("--classroom", action="store_true", help="only the trainer's classroom window")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", help="screen size WIDTHxHEIGHT, e.g. 1024x700; added to the file names")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp())
    if args.size and not os.environ.get("DISPLAY"):
        offscreen_screen(args.size, data)
    app = QApplication(sys.argv)
    theme.apply(app, "dark" if args.dark else "light")
    store = Store(database_path(data))
    catalog = Catalog([ROOT / "scenarios"])
    window = MainWindow(
        catalog,
        store,
        ROOT / "assets",
        QSettings(str(data / "s.ini"), QSettings.Format.IniFormat),
        synchronous=True,
        typing_delay_ms=0,
    )
    trainee = store.add_trainee("Ana Silva")
    seed_history(store, catalog, trainee.id)
    window.set_trainee(trainee)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = ("-dark" if args.dark else "") + (f"-{args.size}" if args.size else "")

    def shot(name: str) -> None:
        for _ in range(5):
            app.processEvents()
        window.grab().save(str(args.out / f"{name}{suffix}.png"))
        print("saved", args.out / f"{name}{suffix}.png")

    if args.studio:
        studio_shots(app, store, data, args.out, suffix)
        return 0
    if args.classroom:
        classroom_shots(app, store, catalog, data, args.out, suffix)
        return 0
    if args.voice:
        voice_shots(window, store, data, shot)
        return 0
    shot("library")
    window.start("stolen-wallet", "practice")
    for answer in lines("stolen-wallet--resolved_well.txt")[:2]:
        window.conversation.answer.setPlainText(answer)
        window.conversation._send()
    window.conversation.show_hint()
    shot("conversation")
    for answer in lines("stolen-wallet--resolved_well.txt")[2:]:
        window.conversation.answer.setPlainText(answer)
        window.conversation._send()
    shot("debrief")
    window.debrief.scroll_area.ensureWidgetVisible(window.debrief.recap_label)
    shot("debrief-recap")
    window.show_progress()
    shot("progress")
    window.runner.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
