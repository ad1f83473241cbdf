"""The worksheet ids the code relies on, in one place, and the ids of per-session copies.

The apps and documents look these worksheets up by id (the agreement is made from the
negotiation, the dashboard counts session notes, the goals page opens the goal plan...). A
trainer may reword any of them, but not rename or remove them; ``mentorkit check`` says which
page needs a worksheet a folder lacks. A worksheet marked ``per_session`` is filled in once
per session; each copy has its own id, made and read only by :func:`session_copy_id` and
:func:`split_session_id`.
"""

from __future__ import annotations

EXPECTATIONS = "negotiating-expectations"
AGREEMENT = "mentoring-agreement"
GOALS = "goals-and-actions"
SCHEDULE = "our-sessions"
NOTES = "session-notes"
JOURNAL = "reflection-journal"
CLOSURE = "closure"
EVIDENCE = "cpd-evidence"
CLOSING_REFLECTION = "closing-reflection"
APPLICATION = "application"
"""The application form (in the worksheets folder's ``applications/``)."""

RELIED_ON = {
    EXPECTATIONS: "the mentoring agreement is made from the negotiated expectations",
    AGREEMENT: "the agreement page and the dashboard",
    GOALS: "the goals page, agendas and the portfolio",
    SCHEDULE: "session dates on the home page, agendas and the calendar file",
    NOTES: "the session pages and the dashboard's count of sessions held",
    JOURNAL: "the reflection journal and the portfolio",
    CLOSURE: "the closure session's page and the portfolio",
    EVIDENCE: "the portfolio's evidence",
    CLOSING_REFLECTION: "the portfolio's closing reflection",
}
"""Worksheets of the worksheets folder the pages need, and what needs each."""

_SESSION = "--session-"


def session_copy_id(worksheet_id: str, number: int) -> str:
    """The id of session ``number``'s copy of a per-session worksheet."""
    return f"{worksheet_id}{_SESSION}{number}"


def split_session_id(worksheet_id: str) -> tuple[str, int | None]:
    """``(the worksheet's id, the session number)`` of a stored id; None for a worksheet
    that is not a per-session copy."""
    base, found, number = worksheet_id.rpartition(_SESSION)
    if found and number.isdigit():
        return base, int(number)
    return worksheet_id, None


def missing(worksheet_ids: set[str]) -> dict[str, str]:
    """The relied-on worksheets a folder lacks, with what needs each."""
    return {wid: why for wid, why in RELIED_ON.items() if wid not in worksheet_ids}
