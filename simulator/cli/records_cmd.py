"""``records export|status|send``: learning records (xAPI) from the command line.

``export`` writes attempts' statements to a JSON file for an LMS or LRS without a
live connection (the same ids and bodies the app sends). ``status`` says which
LRS is configured and how many statements wait. ``send`` queues anything missing
and sends once, in the foreground; like the app it sends nothing unless a
trainer configured an LRS in the app's settings.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    records = commands.add_parser("records", help="export, check or send learning records (xAPI statements)")
    actions = records.add_subparsers(dest="records_command", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write attempts' xAPI statements to a JSON file")
    export.add_argument("output", type=Path, metavar="FILE", help="the JSON file to write ('-' for standard output)")
    export.add_argument("--trainee", metavar="NAME", help="only this trainee's attempts")
    export.add_argument("--attempt", type=int, action="append", metavar="ID", help="only this attempt (repeatable)")
    export.set_defaults(handler=run, action=run_export)
    status = actions.add_parser("status", help="the configured LRS and how many statements wait")
    status.set_defaults(handler=run, action=run_status)
    send = actions.add_parser("send", help="send waiting statements to the configured LRS now")
    send.set_defaults(handler=run, action=run_send)


@contextmanager
def _records(args: argparse.Namespace) -> Iterator[Any]:
    from simulator.application.compose import data_dir, open_store
    from simulator.records.service import LearningRecords

    store = open_store(data_dir(args.data_dir))
    try:
        yield LearningRecords(store)
    finally:
        store.close()


def run(args: argparse.Namespace) -> int:
    """Any action; a database that cannot be used is one clear line, as elsewhere."""
    from simulator.application.data import StorageError

    try:
        with _records(args) as records:
            return int(args.action(args, records))
    except StorageError as exc:
        print(f"records {args.records_command}: {exc}", file=sys.stderr)
        return 1


def run_export(args: argparse.Namespace, records: Any) -> int:
    from simulator.application import trainees

    store = records.store
    if args.attempt:
        ids = list(args.attempt)
        known = set(records.all_attempt_ids())
        missing = [i for i in ids if i not in known]
        if missing:
            print(f"records export: no attempt {', '.join(map(str, missing))}", file=sys.stderr)
            return 1
    elif args.trainee:
        trainee = next((t for t in trainees.listed(store) if t.name.casefold() == args.trainee.casefold()), None)
        if trainee is None:
            print(f"records export: no trainee called {args.trainee!r}", file=sys.stderr)
            return 1
        ids = [a.id for a in trainees.attempts(store, trainee.id)]
    else:
        ids = records.all_attempt_ids()
    if str(args.output) == "-":
        print(json.dumps(records.export_bodies(ids), ensure_ascii=False, indent=2))
        return 0
    try:
        count = records.export(args.output, ids)
    except OSError as exc:
        print(f"records export: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"Wrote {count} statement(s) of {len(set(ids))} attempt(s) to {args.output}")
    return 0


def run_status(args: argparse.Namespace, records: Any) -> int:
    loaded = records.load()
    counts = records.counts()
    if loaded.config is not None:
        where = "the system keyring" if loaded.secret_in == "keyring" else "the database (no keyring available)"
        print(f"LRS: {loaded.config.endpoint} (secret in {where})")
    elif loaded.problem:
        print(f"LRS: configured, but {loaded.problem}")
    else:
        print("LRS: none configured; nothing is sent anywhere")
    print(f"waiting: {counts.pending}  sent: {counts.sent}  rejected by the LRS: {counts.rejected}")
    if counts.pending and counts.last_error:
        print(f"last problem: {counts.last_error}")
    return 0


def run_send(args: argparse.Namespace, records: Any) -> int:
    loaded = records.load()
    if loaded.config is None:
        print(f"records send: {loaded.problem or 'no LRS is configured; nothing was sent'}", file=sys.stderr)
        return 1
    records.catch_up()
    records.sender.configure(loaded.config)
    done = records.sender.drain()
    counts = records.counts()
    print(f"sent: {done.sent}  already there: {done.conflicts}  rejected: {done.rejected}  waiting: {counts.pending}")
    if done.failure is not None:
        print(f"records send: {done.failure.message}", file=sys.stderr)
        return 1
    return 0
