"""The facilitator's ``match`` command: propose pairs from a file of applications.

It reads the applications (CSV or XLSX), reports the rows that need fixing, matches everyone
else and writes the proposal as a CSV file to review. It touches no programme data.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from mentorkit.core import paths
from mentorkit.exceptions import ConfigError

if TYPE_CHECKING:
    from mentorkit.matching import Pairing, PeerPair

MODES = ("one-to-one", "group", "peer")  # matching.MODES, without importing numpy here
DEFAULT_OUT = "match-proposal.csv"


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the ``match`` command."""
    match = sub.add_parser(
        "match", help="propose mentoring pairs from a CSV or XLSX file of applications"
    )
    match.add_argument("file", help="the applications, as CSV or XLSX")
    match.add_argument(
        "--weights",
        help="weights file (default: worksheets/matching/weights.yaml, or built-in weights)",
    )
    match.add_argument("--mode", choices=MODES, default="one-to-one")
    match.add_argument(
        "--out", default=DEFAULT_OUT, help=f"CSV file to write (default: {DEFAULT_OUT})"
    )
    match.add_argument(
        "--lock",
        action="extend",
        nargs="+",
        default=[],
        metavar="MENTOR_EMAIL:MENTEE_EMAIL",
        help="keep this pair whatever else happens (for peers, either order)",
    )
    match.add_argument(
        "--forbid",
        action="extend",
        nargs="+",
        default=[],
        metavar="A:B",
        help="never pair these two (emails or ids)",
    )


def _pairs(items: list[str], option: str, example: str, ids: dict[str, str]):
    out = []
    for item in items:
        first, colon, second = item.partition(":")
        if not colon or not first.strip() or not second.strip():
            raise ConfigError(f"Write {option} as {example}, not {item!r}.")
        out.append(tuple(ids.get(x.strip().casefold(), x.strip()) for x in (first, second)))
    return out


def _weights(args: argparse.Namespace):
    from mentorkit.matching import Weights, load_weights

    if args.weights:
        return load_weights(args.weights), args.weights
    default = paths.worksheets_folder() / "matching" / "weights.yaml"
    if default.is_file():
        return load_weights(default), str(default)
    return Weights(), "the built-in weights"


def match_command(args: argparse.Namespace) -> int:
    """``mentorkit match applications.csv [--mode ...] [--lock A:B ...] [--forbid A:B ...]``."""
    from mentorkit.io.applications import read_applications
    from mentorkit.io.proposal_table import proposal_csv
    from mentorkit.matching import match

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"Cannot read {path}: {error.strerror}.") from None
    weights, source = _weights(args)
    preview = read_applications(data, path.name)
    for problem in preview.bad:
        print(f"  {problem.reason}")
    print(preview.summary)
    if not preview.good:
        return 1
    ids = {}
    for app in preview.good:
        ids[app.id.casefold()] = app.id
        if app.email:
            ids.setdefault(app.email.casefold(), app.id)
    locks = _pairs(args.lock, "--lock", "MENTOR_EMAIL:MENTEE_EMAIL", ids)
    forbids = _pairs(args.forbid, "--forbid", "A:B", ids)
    proposal = match(preview.good, weights, locks=locks, forbids=forbids, mode=args.mode)
    by_id = {a.id: a for a in preview.good}

    def who(ident: str) -> str:
        app = by_id[ident]
        return f"{app.label} <{app.email}>" if app.email and app.email != app.label else app.label

    pairs: list[tuple[str, str, Pairing | PeerPair, str]]
    if args.mode == "peer":
        pairs = [(p.first_id, p.second_id, p, "+") for p in proposal.peers]
    else:
        pairs = [(p.mentor_id, p.mentee_id, p, "→") for p in proposal.pairs]
    print(
        f"Proposed {len(pairs)} pair{'s' if len(pairs) != 1 else ''} "
        f"(total score {proposal.total_score:.1f}; weights from {source}):"
    )
    for first, second, pair, arrow in pairs:
        top = pair.reasons[0].text if pair.reasons else ""
        locked = "  [locked]" if pair.locked else ""
        print(f"  {who(first)} {arrow} {who(second)}: {pair.score:.1f}. {top}{locked}")
    if proposal.unmatched:
        print(f"Not matched ({len(proposal.unmatched)}):")
        for left in proposal.unmatched:
            print(f"  {who(left.applicant_id)}: {left.why}")
    for note in proposal.notes:
        print(f"Note: {note}")
    out = Path(args.out)
    out.write_bytes(proposal_csv(proposal, preview.good).encode("utf-8-sig"))
    print(f"Wrote the proposal to {out}")
    return 0


COMMANDS = {"match": match_command}
