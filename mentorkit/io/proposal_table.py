"""The matching proposal as a CSV file a facilitator can open in a spreadsheet: one row per
proposed pair (or peer pair), then one row per person left unmatched with the reason why. Every
cell is neutralised so no cell runs as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from mentorkit.core.text import neutralise
from mentorkit.matching import Applicant, Proposal

# --------------------------------------------------------------------------------------------
# Writing the proposal

PROPOSAL_HEADER = (
    "Status",
    "Mentor",
    "Mentor email",
    "Mentee",
    "Mentee email",
    "Score",
    "Reason 1",
    "Reason 2",
    "Reason 3",
    "Locked",
    "Why unmatched",
)
PEER_HEADER = ("Status", "Peer", "Peer email", "Partner", "Partner email", *PROPOSAL_HEADER[5:])


def proposal_csv(proposal: Proposal, applicants: Iterable[Applicant]) -> str:
    """The proposal as CSV text: one row per proposed pair (in peer mode, per peer pair), with
    its score, its three largest reasons and whether it was locked; then one row per person
    left unmatched, with why. Every cell is neutralised against spreadsheet formulas."""
    by_id = {a.id: a for a in applicants}

    def person(ident: str) -> list[str]:
        app = by_id.get(ident)
        return [app.label, app.email] if app else [ident, ""]

    peer = proposal.mode == "peer"
    rows: list[list[str]] = []
    pairs = (
        [(p.first_id, p.second_id, p) for p in proposal.peers]
        if peer
        else [(p.mentor_id, p.mentee_id, p) for p in proposal.pairs]
    )
    for first, second, pair in pairs:
        reasons = [f"{r.text} ({r.points:g} points)" for r in pair.reasons[:3]]
        reasons += [""] * (3 - len(reasons))
        rows.append(
            [
                "Matched",
                *person(first),
                *person(second),
                f"{pair.score:.1f}",
                *reasons,
                "yes" if pair.locked else "",
                "",
            ]
        )
    for left in proposal.unmatched:
        app = by_id.get(left.applicant_id)
        role = app.role if app else ""
        blank = ["", ""]
        if peer:
            status, cells = "Unmatched", person(left.applicant_id) + blank
        elif role == "mentor":
            status, cells = "Unmatched mentor", person(left.applicant_id) + blank
        else:
            status = "Unmatched mentee" if role == "mentee" else "Unmatched (either)"
            cells = blank + person(left.applicant_id)
        rows.append([status, *cells, "", "", "", "", "", left.why])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PEER_HEADER if peer else PROPOSAL_HEADER)
    writer.writerows([[neutralise(cell) for cell in row] for row in rows])
    return out.getvalue()
