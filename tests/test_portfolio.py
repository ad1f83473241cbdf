"""The CPD portfolio: what goes in, what never does, and the files read back."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from mentorkit.cli.main import main
from mentorkit.core import paths
from mentorkit.core.spec_loader import load_folder
from mentorkit.core.store import Store
from mentorkit.io.documents.report_formats import render_report
from mentorkit.io.portfolio import build_portfolio
from mentorkit.programme.frameworks import load_frameworks
from mentorkit.programme.plan import plan_beside
from mentorkit.programme.ratings import item_field_id, rating_worksheet

PRIVATE = "I nearly gave up in March — heron-4471"
CHOSEN = "Listening before advising changed the meeting — lynx-9082"
SHARED_NOT_CHOSEN = "We argued about deadlines — ibis-3319"
EVIDENCE = "Certificate in coaching — Ωmega-5"


@pytest.fixture
def seeded(demo, tmp_path):
    store = Store(tmp_path / "mentorkit.sqlite3")
    worksheets = load_folder(paths.worksheets_folder())
    frameworks = load_frameworks(paths.worksheets_folder() / "frameworks")
    pair = store.relationship(1)
    mentor = next(m.person_id for m in pair.members if m.role == "mentor")
    mentee = next(m.person_id for m in pair.members if m.role == "mentee")
    save = lambda ws, person, values: store.save(worksheets[ws], 1, person, values, {})  # noqa: E731
    save(
        "mentoring-agreement",
        mentor,
        {
            "purpose": "Grow as a leader",
            "start_date": "2027-01-10",
            "end_date": "2027-06-30",
            "frequency": "monthly",
        },
    )
    for number, minutes in ((1, 60), (2, 90)):
        ws = worksheets["session-notes"].for_session(number)
        store.save(
            ws,
            1,
            mentor,
            {
                "held_on": f"2027-0{number}-10",
                "minutes": minutes,
                "covered": f"Covered in session {number}",
            },
            {},
        )
    save(
        "reflection-journal",
        mentee,
        {
            "entries": [
                {"_id": "e1", "session": 1, "learned": PRIVATE, "share": False, "portfolio": False},
                {"_id": "e2", "session": 2, "learned": CHOSEN, "share": False, "portfolio": True},
                {
                    "_id": "e3",
                    "session": 2,
                    "learned": SHARED_NOT_CHOSEN,
                    "share": True,
                    "portfolio": False,
                },
            ]
        },
    )
    save(
        "cpd-evidence",
        mentee,
        {
            "evidence": [
                {
                    "_id": "v1",
                    "kind": "certificate",
                    "title": EVIDENCE,
                    "date": "2027-03-01",
                    "hours": 6,
                }
            ]
        },
    )
    save(
        "goals-and-actions",
        mentee,
        {
            "plan": {
                "goals": [
                    {
                        "_id": "g1",
                        "title": "Chair meetings",
                        "objectives": [
                            {
                                "_id": "o1",
                                "outcome": "Chaired two",
                                "measure": "m",
                                "target": "2027-05-01",
                                "actions": [
                                    {
                                        "_id": "a1",
                                        "what": "Observe",
                                        "owner": "mentee",
                                        "status": "done",
                                    }
                                ],
                            }
                        ],
                    }
                ],
                "check_ins": [
                    {
                        "_id": "c1",
                        "session": 2,
                        "date": "2027-02-10",
                        "progress": {"o1": {"percent": 50, "note": ""}},
                    }
                ],
            }
        },
    )
    framework = frameworks["mentee-competencies"]
    for round_id, score in (("baseline", 2), ("follow-up", 4)):
        ws = rating_worksheet(framework, "self", round_id, "yourself")
        values = {item_field_id(d.id, i.id): score for d in framework.domains for i in d.items}
        store.save(ws, 1, mentee, values, {})
    store.close()
    return {
        "store": tmp_path / "mentorkit.sqlite3",
        "worksheets": worksheets,
        "frameworks": frameworks,
        "mentor": mentor,
        "mentee": mentee,
        "codes": demo,
    }


def report_text(seeded, person_id, fmt="html"):
    store = Store(seeded["store"])
    try:
        pair = store.relationship(1)
        worksheets = seeded["worksheets"]
        plan = plan_beside(paths.worksheets_folder(), set(worksheets))
        report = build_portfolio(
            store, worksheets, seeded["frameworks"], pair, store.person(person_id), plan
        )
        return render_report(report, fmt)
    finally:
        store.close()


def test_the_mentee_portfolio_has_every_part_and_only_chosen_reflections(seeded):
    html = report_text(seeded, seeded["mentee"]).decode()
    for expected in (
        "CPD portfolio: Ben Hughes",
        "Profile",
        "Grow as a leader",
        "Chair meetings",
        "50%",
        "Session log",
        "Covered in session 2",
        "Total: 2 sessions, 2.5 hours",
        "Wed 10 February 2027",  # session 2, held on 2027-02-10
        "Mon 1 March 2027",  # the certificate's date
        CHOSEN,
        "Certificate in coaching",
        "8.5 hours (2.5 hours in mentoring sessions, 6 hours from evidence)",
        "data:image/png;base64,",
    ):
        assert expected in html, expected
    assert PRIVATE not in html
    assert SHARED_NOT_CHOSEN not in html  # shared with the partner is not chosen for the portfolio


def test_the_mentor_portfolio_never_holds_the_mentee_journal(seeded):
    html = report_text(seeded, seeded["mentor"]).decode()
    assert "CPD portfolio: Amara Okafor" in html
    for secret in (PRIVATE, CHOSEN, SHARED_NOT_CHOSEN, "Certificate in coaching"):
        assert secret not in html
    assert "No reflections chosen for the portfolio." in html


def test_the_pdf_reads_back(seeded):
    pdf = report_text(seeded, seeded["mentee"], "pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "CPD portfolio: Ben Hughes" in text
    assert "lynx-9082" in text and "Ωmega-5" in text
    assert "heron-4471" not in text


def test_cli_exports_portfolio_and_calendar(seeded, tmp_path, capsys):
    code = seeded["codes"]["Ben Hughes"]
    out = tmp_path / "mine.html"
    assert (
        main(
            [
                "export",
                "portfolio",
                "--relationship",
                "1",
                "--code",
                code,
                "--format",
                "html",
                "--out",
                str(out),
                "--data",
                str(tmp_path),
            ]
        )
        == 0
    )
    assert "lynx-9082" in out.read_text()
    ics = tmp_path / "s.ics"
    assert (
        main(
            [
                "export",
                "calendar",
                "--relationship",
                "1",
                "--code",
                code,
                "--out",
                str(ics),
                "--data",
                str(tmp_path),
            ]
        )
        == 0
    )
    assert ics.read_bytes().count(b"BEGIN:VEVENT") == 6
    outsider = seeded["codes"]["Fran Fletcher"]  # the facilitator: no portfolio of theirs here
    assert (
        main(
            [
                "export",
                "portfolio",
                "--relationship",
                "1",
                "--code",
                outsider,
                "--data",
                str(tmp_path),
            ]
        )
        == 2
    )
    assert "Only the people in the relationship" in capsys.readouterr().err


def test_the_profile_and_evidence_kinds_read_in_words(seeded):
    """The role reads as a word ("Mentee", not ``mentee``), and each kind of evidence as the
    worksheet labels it, so a kind a trainer adds or rewords shows by its label too."""
    evidence = seeded["worksheets"]["cpd-evidence"]
    group = evidence.field("evidence")
    reworded = tuple(
        replace(
            sub,
            options=tuple(
                replace(o, label="Certificate of completion") if o.value == "certificate" else o
                for o in sub.options
            ),
        )
        if sub.id == "kind"
        else sub
        for sub in group.fields
    )
    worksheets = {
        **seeded["worksheets"],
        "cpd-evidence": replace(evidence, fields=(replace(group, fields=reworded),)),
    }
    html = report_text({**seeded, "worksheets": worksheets}, seeded["mentee"]).decode()
    assert "Role in this relationship: Mentee" in html
    assert "Working with: Amara Okafor (mentor)" in html
    assert "Certificate of completion" in html
