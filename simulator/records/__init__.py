"""Learning records: xAPI statements about attempts, an offline outbox, and sending them to an LRS.

Qt-free (an import-linter contract says so): the desktop app, the command line and the tests use
the same code. Nothing here opens a network connection unless a trainer configured an LRS.
"""
