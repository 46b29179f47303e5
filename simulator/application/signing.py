"""The classroom's keys, as the trainer's and the trainee's windows use them.

The trainer signs every assignment file with one key kept in their data folder; a trainee's app
pins the first key it sees per group (trust on first use) and refuses files from any other. The
keys live in storage; the windows ask here, so that no window reaches storage itself.
"""

from __future__ import annotations

from pathlib import Path

from simulator.classroom.assignment_file import AssignmentFileError, AssignmentTicket
from simulator.storage.classroom_keys import fingerprint, public_hex, signing_key, trust, trusted_key


def trainer_fingerprint(data_dir: Path) -> str:
    """The fingerprint of this trainer's signing key (made on first use), for trainees to compare."""
    return fingerprint(public_hex(signing_key(data_dir)))


def trust_signer(folder: Path, ticket: AssignmentTicket) -> str | None:
    """Trust on first use, per group: the first signed file pins the trainer's key; a later file signed by
    another key is refused. Returns a note with the fingerprint to compare the first time, else None."""
    group = ticket.assignment.group_uid
    pinned = trusted_key(folder, group)
    if pinned is None:
        trust(folder, group, ticket.signer)
        return (
            f"First file from the trainer of {ticket.assignment.group_name}: "
            f"their key is {fingerprint(ticket.signer)}. "
            "Check it matches the key your trainer's app shows."
        )
    if pinned != ticket.signer:
        raise AssignmentFileError(
            f"signed by a different key ({fingerprint(ticket.signer)}) than earlier files for "
            f"{ticket.assignment.group_name} ({fingerprint(pinned)}): it is not from your trainer, so it was not opened"
        )
    return None
