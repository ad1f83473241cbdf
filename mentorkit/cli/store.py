"""The ``store`` command (``mentorkit store copy SRC DST``) and the ``--store`` option: which
database the programme is kept in, when it is not the data folder's SQLite file."""

from __future__ import annotations

import argparse
import os

from mentorkit.core import paths
from mentorkit.core.store.engine import NOT_A_STORE_URL, STORE_HELP, is_url
from mentorkit.exceptions import ConfigError

_WITHOUT_STORE = ("store", "check", "preview")
"""Commands that take no ``--store``: ``store`` names its own, the others use none."""


def add_store_option(sub: argparse._SubParsersAction) -> None:
    """``--store`` on every command that opens the programme."""
    for name, parser in sub.choices.items():
        if name not in _WITHOUT_STORE:
            parser.add_argument("--store", help=STORE_HELP)


def use_store(args: argparse.Namespace) -> None:
    """Put ``--store`` in ``$MENTORKIT_STORE``, for this command and what it starts; refuse
    anything but a PostgreSQL URL there (a SQLite file is chosen with --data)."""
    url = getattr(args, "store", None) or paths.store_url()
    if url and not is_url(url):
        raise ConfigError(NOT_A_STORE_URL)
    if url:
        os.environ["MENTORKIT_STORE"] = url


def add_parsers(sub: argparse._SubParsersAction) -> None:
    store = sub.add_parser("store", help="copy a programme between SQLite and PostgreSQL")
    store_sub = store.add_subparsers(dest="store_command", required=True)
    copy = store_sub.add_parser(
        "copy",
        help="copy every row of a programme into an empty database, and check the copy",
        description="SRC and DST are each a postgresql:// URL, a SQLite file, or a data "
        "folder (its mentorkit.sqlite3). DST must be empty: a new file, or a database with no "
        "tables. Nothing is written to DST unless the whole copy succeeds and matches.",
    )
    copy.add_argument("source", metavar="SRC", help="where the programme is now")
    copy.add_argument("target", metavar="DST", help="the empty database to copy it into")


def store_command(args: argparse.Namespace) -> int:
    from mentorkit.core.store.copy import copy_store

    report = copy_store(args.source, args.target)
    print(report.describe())
    return 0


COMMANDS = {"store": store_command}
