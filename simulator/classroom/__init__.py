"""Classroom: rosters, assignments, projector and live sessions, results files and cohort reports.

Qt-free (an import-linter contract holds it to that): the desktop UI builds its views on the
objects here, and the storage of groups, assignments and their results is
:class:`simulator.storage.classroom.ClassroomStore`. See docs/classroom.md.
"""
