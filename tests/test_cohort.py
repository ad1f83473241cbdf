"""The facilitator's cohort figures, report and data: privacy first, then the numbers."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import math
import re
import zipfile
from pathlib import Path

import pytest
from pages import sign_in_as, text_of

from mentorkit.core import access
from mentorkit.core.store import Store
from mentorkit.exceptions import NotAllowed
from mentorkit.facilitator import cohort, dashboard
from mentorkit.facilitator.programme_answers import programme_tables
from mentorkit.io.documents.cohort_report import averages_chart, cohort_report
from mentorkit.io.documents.report import Bullets, Heading, Paragraph, Table
from mentorkit.io.documents.report_formats import render_report
from mentorkit.io.tables import to_csv, to_xlsx
from mentorkit.programme import ratings
from mentorkit.programme.frameworks import load_frameworks

BOTH_ENGINES = True  # every test that uses the store runs on SQLite and on PostgreSQL

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def frameworks():
    return load_frameworks(ROOT / "worksheets" / "frameworks")


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def words(report) -> str:
    """The report's headings, paragraphs and list items as plain text."""
    parts = []
    for block in report.blocks:
        if isinstance(block, Bullets):
            parts += block.items
        elif isinstance(block, (Heading, Paragraph)):
            parts.append(block.text)
    return "\n".join(parts)


def csv_tables(data: bytes) -> dict[str, list[list[str]]]:
    """Each CSV in the zip, checked to start with a UTF-8 byte-order mark, as rows."""
    tables = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            raw = archive.read(name)
            assert raw.startswith(b"\xef\xbb\xbf"), name
            tables[name] = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    return tables


def xlsx_cells(data: bytes) -> dict[str, list]:
    """Every cell of every sheet, checked never to be a formula."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    cells = {}
    for sheet in workbook.worksheets:
        found = []
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                found.append(cell)
        cells[sheet.title] = found
    return cells


# --- privacy --------------------------------------------------------------------------------


def seed_secrets(store, worksheets, frameworks, relationship, mentor_id, mentee_id) -> list[str]:
    """A distinctive string in every private and relationship field we can reach, and the
    programme-visibility answer "Maybe later" (closing reflection, mentor_next)."""
    secrets: list[str] = []

    def secret(name: str) -> str:
        value = f"zqx{name.replace('_', '')}731"
        secrets.append(value)
        return value

    rid = relationship.id
    start = TODAY - dt.timedelta(days=40)

    def save(worksheet, author, values):
        """Save on top of what the author sees (a partner's shared answers stay)."""
        seen = store.load(worksheet, rid, author)
        store.save(worksheet, rid, author, {**seen.values, **values}, seen.revisions)

    save(
        worksheets["mentoring-agreement"],
        mentor_id,
        {
            "purpose": secret("purpose"),
            "frequency": "monthly",
            "start_date": start.isoformat(),
            "duration": secret("duration"),
            "when_where": secret("whenwhere"),
            "reply_time": secret("replytime"),
            "confidentiality": secret("confidentiality"),
            "issues": secret("issues"),
            "ending": secret("ending"),
        },
    )
    save(
        worksheets["getting-to-know-each-other"],
        mentor_id,
        {
            "mentor_background": secret("mentorbackground"),
            "mentee_background": secret("menteebackground"),
            "mentee_hopes": secret("menteehopes"),
            "mentor_hopes": secret("mentorhopes"),
            "meeting_times": secret("meetingtimes"),
            "response_time": secret("responsetime"),
            "shared_interests": [{"_id": "i1", "what": secret("what"), "note": secret("note")}],
            "first_impressions": secret("firstimpressionsmentor"),
        },
    )
    save(
        worksheets["getting-to-know-each-other"],
        mentee_id,
        {"first_impressions": secret("firstimpressionsmentee")},
    )
    save(
        worksheets["negotiating-expectations"],
        mentee_id,
        {
            "expectations": [
                {
                    "_id": "e1",
                    "text": secret("expectation"),
                    "clarifications": secret("clarifications"),
                    "outcome": "reworded",
                    "shared_wording": secret("sharedwording"),
                }
            ]
        },
    )
    save(
        worksheets["our-sessions"],
        mentor_id,
        {"schedule": [{"number": 1, "date": start.isoformat(), "place": secret("place")}]},
    )
    plan = {
        "goals": [
            {
                "_id": "g1",
                "title": secret("goaltitle"),
                "why": secret("goalwhy"),
                "areas": [secret("area")],
                "objectives": [
                    {
                        "_id": "o1",
                        "outcome": secret("outcome"),
                        "measure": secret("measure"),
                        "actions": [
                            {
                                "_id": "a1",
                                "what": secret("actionwhat"),
                                "resources": secret("resources"),
                                "owner": "mentee",
                                "status": "in_progress",
                                "due": (TODAY + dt.timedelta(days=20)).isoformat(),
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
                "date": TODAY.isoformat(),
                "progress": {"o1": {"percent": 40, "note": secret("checkinnote")}},
            }
        ],
    }
    save(worksheets["goals-and-actions"], mentee_id, {"plan": plan})
    save(
        worksheets["session-notes"].for_session(1),
        mentor_id,
        {
            "held_on": start.isoformat(),
            "minutes": 75,
            "covered": secret("covered"),
            "notes": secret("sessionnotes"),
            "decisions": [{"_id": "d1", "decision": secret("decision")}],
            "feedback_from_mentor": secret("feedbackmentor"),
            "feedback_from_mentee": secret("feedbackmentee"),
        },
    )
    save(
        worksheets["reflection-journal"],
        mentor_id,
        {
            "entries": [
                {
                    "_id": "j1",
                    "session": 1,
                    "happened": secret("happened"),
                    "learned": secret("learned"),
                    "differently": secret("differently"),
                    "share": True,  # shown to the partner, never to the facilitator
                },
                {"_id": "j2", "session": 1, "happened": secret("privatejournal"), "share": False},
            ]
        },
    )
    save(
        worksheets["cpd-evidence"],
        mentee_id,
        {
            "evidence": [
                {
                    "_id": "v1",
                    "kind": "course",
                    "title": secret("evidencetitle"),
                    "details": secret("evidencedetails"),
                }
            ]
        },
    )
    save(
        worksheets["closure"],
        mentor_id,
        {
            "achieved": secret("achieved"),
            "worked": secret("worked"),
            "did_not_work": secret("didnotwork"),
            "next": secret("next"),
        },
    )
    save(
        worksheets["closing-reflection"],
        mentor_id,
        {
            "thanks": secret("thanks"),
            "take_away": secret("takeaway"),
            "mentor_next": "maybe",  # programme visibility: the facilitator may see it
            "mentor_how": secret("mentorhow"),
        },
    )
    mentor_framework = frameworks["mentor-competencies"]
    rating = ratings.rating_worksheet(mentor_framework, "self", "baseline", "yourself")
    values = {ratings.item_field_id(d.id, i.id): 4 for d, i in mentor_framework.items} | {
        ratings.comment_field_id(d.id): secret(f"comment{d.id}") for d in mentor_framework.domains
    }
    save(rating, mentor_id, {**values, "rated_on": TODAY.isoformat()})
    partner = ratings.rating_worksheet(
        mentor_framework, f"partner-{mentor_id}", "baseline", "your mentor"
    )
    save(
        partner,
        mentee_id,
        {ratings.comment_field_id(mentor_framework.domains[0].id): secret("partnercomment")},
    )
    return secrets


def test_no_private_or_relationship_answer_reaches_any_output(demo, monkeypatch, frameworks):
    from mentorkit.core import paths
    from mentorkit.core.spec_loader import load_folder
    from mentorkit.ui.apps.cohort import cohort_app

    worksheets = load_folder(ROOT / "worksheets")
    store = Store(paths.database_path())
    programme = store.programme()
    pair = store.relationships(programme.id)[0]
    mentor, mentee = (m.person_id for m in pair.members)
    secrets = seed_secrets(store, worksheets, frameworks, pair, mentor, mentee)
    stored = json.dumps([a.values for a in store.latest_answers(programme.id)])
    assert all(s in stored for s in secrets)  # seeded, so their absence below means something
    assert len(secrets) > 40

    facilitator = next(p for p in store.people(programme.id) if p.is_facilitator)
    report = cohort_report(
        store, programme.id, worksheets, frameworks, None, TODAY, viewer=facilitator
    )
    rows = dashboard.dashboard_rows(store, programme.id, worksheets, None, TODAY)
    tables = programme_tables(store, programme.id, worksheets, rows, viewer=facilitator)
    xlsx = xlsx_cells(to_xlsx(tables))
    outputs = {
        "pdf": pdf_text(render_report(report, "pdf")),
        "html": render_report(report, "html").decode(),
        "md": render_report(report, "md").decode(),
        "csv": json.dumps(csv_tables(to_csv(tables)), ensure_ascii=False),
        "xlsx": json.dumps({k: [str(c.value) for c in v] for k, v in xlsx.items()}),
    }
    answers = tables["answers"]
    assert list(answers.itertuples(index=False, name=None)) == [
        (
            "Amara Okafor & Ben Hughes",
            "Amara Okafor",
            "My closing reflection",
            "Would you like to mentor someone in future?",
            "Maybe later",
        )
    ]

    sign_in_as(monkeypatch, demo, "Fran Fletcher")
    root = cohort_app()
    page = root.children[2].page
    app_parts = [text_of(root)]
    for kind in ("pdf", "csv", "xlsx"):
        page.prepare_download(kind)
        link = page.downloads.value
        assert 'class="mk-download mk-download-now"' in link, link  # downloads at once
        app_parts.append(link)
        data = base64.b64decode(re.search(r"base64,([^\"]+)", link).group(1))
        if kind == "pdf":
            app_parts.append(pdf_text(data))
        elif kind == "csv":
            app_parts.append(json.dumps(csv_tables(data), ensure_ascii=False))
        else:
            app_parts.append(
                json.dumps([str(c.value) for v in xlsx_cells(data).values() for c in v])
            )
    outputs["app"] = "\n".join(app_parts)

    for name, text in outputs.items():
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{name} shows {leaked}"
        if name != "app":  # the page itself shows figures; its downloads carry the answer
            assert "Maybe later" in text, name
    assert "Maybe later" in "\n".join(app_parts[1:])
    # The partner does see the shared journal entry: the filter is the facilitator's, not luck.
    shared = store.load(worksheets["reflection-journal"], pair.id, mentee, mentor).values
    assert "zqxhappened731" in json.dumps(shared)
    store.close()


def test_answers_are_read_as_the_facilitator_only(programme, shipped):
    rows = dashboard.dashboard_rows(programme.store, programme.pair.programme_id, shipped)
    with pytest.raises(NotAllowed):
        programme_tables(
            programme.store, programme.pair.programme_id, shipped, rows, viewer=programme.mentor
        )


def test_the_cohort_page_is_for_facilitators_only(demo, monkeypatch):
    from mentorkit.ui.apps.cohort import cohort_app

    sign_in_as(monkeypatch, demo, "Amara Okafor")
    assert "This page is for the programme's facilitator" in text_of(cohort_app())


def test_the_cohort_page_shows_charts_averages_and_downloads(demo, monkeypatch):
    from mentorkit.ui.apps.cohort import cohort_app

    sign_in_as(monkeypatch, demo, "Fran Fletcher")
    root = cohort_app()
    text = text_of(root)
    assert text.count("data:image/png;base64,") >= 2
    assert "Competency self-ratings" in text and "No self-ratings yet." in text
    page = root.children[2].page
    assert [b.description for b in page.buttons.values()] == [
        "Cohort report (PDF)",
        "Programme data (CSV)",
        "Programme data (Excel)",
    ]
    page.buttons["xlsx"].click()
    assert 'download="programme-data.xlsx"' in page.downloads.value

    def broken(kind):
        raise RuntimeError("disk full at /secret/path")

    page.make = broken
    page.prepare_download("pdf")
    assert "Something went wrong on our side while making the file" in page.downloads.value
    assert "/secret/path" not in page.downloads.value


# --- competency averages --------------------------------------------------------------------


@pytest.fixture
def rated(store, frameworks):
    """Three mentees and two mentors who rated themselves (and one partner rating, which must
    not count)."""
    prog = store.create_programme("Averages")
    access.add_person(store, prog.id, "Fran", is_facilitator=True)
    pairs = []
    for n in range(3):
        mentor, _ = access.add_person(store, prog.id, f"Mentor {n}")
        mentee, _ = access.add_person(store, prog.id, f"Mentee {n}")
        pair = store.add_relationship(
            prog.id, "one-to-one", [(mentor.id, "mentor"), (mentee.id, "mentee")]
        )
        pairs.append((pair, mentor, mentee))
    mentee_fw, mentor_fw = frameworks["mentee-competencies"], frameworks["mentor-competencies"]

    def rate(framework, whose, round_id, pair, person, by_domain):
        worksheet = ratings.rating_worksheet(framework, whose, round_id, "x")
        values = {}
        for domain in framework.domains:
            scores = by_domain.get(domain.id, [])
            for item, score in zip(domain.items, scores, strict=False):
                values[ratings.item_field_id(domain.id, item.id)] = score
        store.save(worksheet, pair.id, person.id, values, {})

    na = "n/a"
    mentee_scores = [
        {"respect": [5, 4, 3, na], "initiative": [na, na, na, na]},
        {"respect": [2, 2, 2, 2], "initiative": [4, 4, 4, 4]},
        {"respect": [3, na, na, na], "initiative": [1, 2, 3, 4]},
    ]
    for (pair, _mentor, mentee), scores in zip(pairs, mentee_scores, strict=True):
        rate(mentee_fw, "self", "baseline", pair, mentee, scores)
    pair, mentor, mentee = pairs[0]
    rate(mentee_fw, f"partner-{mentee.id}", "baseline", pair, mentor, {"respect": [1, 1, 1, 1]})
    rate(mentee_fw, "self", "follow-up", pair, mentee, {"respect": [5, 5, 5, 5]})
    first = mentor_fw.domains[0].id
    for (pair, mentor, _), score in zip(pairs[:2], (4, 2), strict=True):
        rate(mentor_fw, "self", "baseline", pair, mentor, {first: [score] * 10})
    return prog, mentee_fw, mentor_fw


def _group(averages, domain, role, round_id="baseline"):
    found = averages[
        (averages["domain"] == domain)
        & (averages["role"] == role)
        & (averages["round"] == round_id)
    ]
    assert len(found) == 1, found
    return found.iloc[0]


def test_three_mentees_get_a_mean_of_their_own_means(store, rated, frameworks):
    prog, mentee_fw, _ = rated
    averages = cohort.competency_averages(store, prog.id, frameworks)
    assert list(averages.columns) == cohort.AVERAGE_COLUMNS
    respect = _group(averages, "Respect", "mentee")
    # Each person's mean first (n/a left out): 4.0, 2.0, 3.0, then their mean. An item-level
    # mean would be 23 / 8 = 2.875, and counting the partner's 1s would lower it further.
    assert respect["mean"] == pytest.approx(3.0)
    assert (respect["people"], bool(respect["suppressed"])) == (3, False)
    assert respect["framework"] == mentee_fw.title
    # Someone who answered n/a to every item of a domain has no score there: two left.
    initiative = _group(averages, "Initiative", "mentee")
    assert initiative["people"] == 2 and bool(initiative["suppressed"])
    assert math.isnan(initiative["mean"])
    follow_up = _group(averages, "Respect", "mentee", "follow-up")
    assert follow_up["people"] == 1 and math.isnan(follow_up["mean"])


def test_two_mentors_are_suppressed_unless_the_threshold_allows(store, rated, frameworks):
    prog, _, mentor_fw = rated
    domain = mentor_fw.domains[0].title
    mentors = _group(cohort.competency_averages(store, prog.id, frameworks), domain, "mentor")
    assert mentors["people"] == 2 and bool(mentors["suppressed"]) and math.isnan(mentors["mean"])
    loose = _group(cohort.competency_averages(store, prog.id, frameworks, 2), domain, "mentor")
    assert loose["mean"] == pytest.approx(3.0) and not bool(loose["suppressed"])


def test_suppressed_groups_say_so_in_the_report_and_chart(store, rated, frameworks):
    prog, _, mentor_fw = rated
    report = cohort_report(store, prog.id, {}, frameworks, None, TODAY)
    table_rows = [
        row
        for block in report.blocks
        if isinstance(block, Table) and block.headers[0] == "Domain"
        for row in block.rows
    ]
    assert ("Respect", "Mentees", "Baseline", "3.0", "3") in table_rows
    assert ("Initiative", "Mentees", "Baseline", "fewer than 3 people", "2") in table_rows
    domain = mentor_fw.domains[0].title
    assert (domain, "Mentors", "Baseline", "fewer than 3 people", "2") in table_rows
    assert "fewer than 3 people" in render_report(report, "md").decode()
    averages = cohort.competency_averages(store, prog.id, frameworks)
    assert averages_chart(averages, mentor_fw) is None  # every mentor group too small
    assert "Every group has fewer than 3 people so far" in words(report)
    figure = averages_chart(averages, frameworks["mentee-competencies"])
    ax = figure.axes[0]
    assert "fewer than 3 people" in [t.get_text() for t in ax.texts]
    widths = sorted(round(p.get_width(), 2) for p in ax.patches if p.get_width() > 0)
    assert widths == [3.0]  # only Respect, baseline: the one group of three


def test_no_ratings_means_an_empty_table(programme, frameworks):
    averages = cohort.competency_averages(programme.store, programme.pair.programme_id, frameworks)
    assert averages.empty and list(averages.columns) == cohort.AVERAGE_COLUMNS


# --- spreadsheets: nothing runs as a formula ------------------------------------------------


def test_csv_and_xlsx_neutralise_formulas(programme, shipped):
    store = programme.store
    pid = programme.pair.programme_id
    ((person, _code),) = access.add_people(
        store,
        pid,
        [('=HYPERLINK("x")', "x@example.org", {"role": "mentee", "unit": "@SUM(1)", "years": 2})],
    )
    store.add_relationship(
        pid, "one-to-one", [(programme.mentor.id, "mentor"), (person.id, "mentee")], "+cmd|calc"
    )
    rows = dashboard.dashboard_rows(store, pid, shipped)
    tables = programme_tables(store, pid, shipped, rows)

    people = csv_tables(to_csv(tables))["people.csv"]
    assert people[0] == ["Name", "Email", "Role", "Unit", "Years of experience", "Relationships"]
    row = next(r for r in people if "HYPERLINK" in r[0])
    assert row[:5] == ['\'=HYPERLINK("x")', "x@example.org", "Mentee", "'@SUM(1)", "2.0"]
    relationships = csv_tables(to_csv(tables))["relationships.csv"]
    assert any(r[0] == "'+cmd|calc" for r in relationships)

    cells = xlsx_cells(to_xlsx(tables))  # also checks no cell is a formula
    assert set(cells) == {"people", "relationships", "answers"}
    values = {c.value for sheet in cells.values() for c in sheet}
    assert {'\'=HYPERLINK("x")', "'@SUM(1)", "'+cmd|calc"} <= values
    assert not any(isinstance(v, str) and v[:1] in "=+-@" for v in values)
    headers = [c for c in cells["people"] if c.row == 1]
    assert headers and all(c.font.bold for c in headers)
    name_cell = next(c for c in cells["people"] if c.value == '\'=HYPERLINK("x")')
    assert name_cell.data_type == "s"


def test_tables_hold_only_the_listed_columns(programme, shipped):
    pid = programme.pair.programme_id
    rows = dashboard.dashboard_rows(programme.store, pid, shipped)
    tables = programme_tables(programme.store, pid, shipped, rows)
    assert set(tables) == {"people", "relationships", "answers"}
    titles = [ws.title for ws in dashboard.tracked_worksheets(shipped)]
    assert list(tables["relationships"].columns) == [
        "Relationship",
        "Kind",
        "Members",
        *titles,
        "Last activity",
        "Sessions",
        "Hours",
        "Flags",
    ]
    assert list(tables["answers"].columns) == [
        "Relationship",
        "Person",
        "Worksheet",
        "Question",
        "Answer",
    ]
    assert len(tables["people"]) == 5 and tables["answers"].empty


# --- completion, sessions, goals --------------------------------------------------------------


def test_completion_matrix_shape_and_values(programme, shipped):
    store, pair = programme.store, programme.pair
    store.save(
        shipped["getting-to-know-each-other"],
        pair.id,
        programme.mentor.id,
        {"mentor_background": "x"},
        {},
    )
    for person in (programme.mentor, programme.mentee):
        store.save(
            shipped["closing-reflection"], pair.id, person.id, {"thanks": "t", "take_away": "k"}, {}
        )
    rows = dashboard.dashboard_rows(store, pair.programme_id, shipped)
    matrix = cohort.completion_matrix(rows)
    tracked = dashboard.tracked_worksheets(shipped)
    assert matrix.shape == (2, len(tracked))
    assert list(matrix.columns) == [ws.title for ws in tracked]
    assert list(matrix.index) == ["Amara & Ben", "Olu & Pat"]
    assert matrix.loc["Amara & Ben", "Getting to know each other"] == 1
    assert matrix.loc["Amara & Ben", "My closing reflection"] == 2
    assert int(matrix.loc["Amara & Ben"].sum()) == 3
    assert int(matrix.loc["Olu & Pat"].sum()) == 0
    assert set(matrix.to_numpy().ravel()) <= {0, 1, 2}
    assert cohort.completion_matrix([]).shape == (0, 0)


def test_session_summary_and_goal_progress(programme, shipped):
    store, pair = programme.store, programme.pair
    notes = shipped["session-notes"]
    for number, minutes in ((1, 90), (2, 30)):
        store.save(
            notes.for_session(number),
            pair.id,
            programme.mentor.id,
            {"held_on": TODAY.isoformat(), "minutes": minutes},
            {},
        )
    plan = {
        "goals": [
            {"_id": "g1", "objectives": [{"_id": "o1"}, {"_id": "o2"}]},
            {"_id": "g2", "objectives": [{"_id": "o3"}]},
        ],
        "check_ins": [
            {
                "_id": "c1",
                "date": TODAY.isoformat(),
                "progress": {"o1": {"percent": 20}, "o2": {"percent": 60}, "o3": {"percent": 100}},
            }
        ],
    }
    store.save(shipped["goals-and-actions"], pair.id, programme.mentee.id, {"plan": plan}, {})
    rows = dashboard.dashboard_rows(store, pair.programme_id, shipped)
    assert cohort.session_summary(rows) == {
        "relationships": 2,
        "sessions": 2,
        "hours": 2.0,
        "mean_sessions": 1.0,
        "mean_hours": 1.0,
        "without_sessions": 1,
    }
    assert cohort.goal_progress_distribution(rows) == [pytest.approx(70.0)]  # (40 + 100) / 2
    md = words(cohort_report(store, pair.programme_id, shipped, {}, None, TODAY))
    assert "2 sessions logged across 2 relationships." in md
    assert "2 hours in total." in md and "1 relationship has no session logged yet." in md
    assert "the median is 70%" in md


def test_report_title_overview_and_sections(programme, shipped):
    pid = programme.pair.programme_id
    report = cohort_report(programme.store, pid, shipped, {}, None, TODAY)
    assert report.title == "Cohort report — Test programme"
    md = words(report)
    assert "4 people taking part (1 mentor, 1 mentee, 2 peers), and 1 facilitator." in md
    assert "2 relationships (mentor and mentee: 1, peer mentoring: 1)." in md
    headings = [b.text for b in report.blocks if isinstance(b, Heading) and b.level == 2]
    assert headings == [
        "Overview",
        "Worksheet completion",
        "Competency self-ratings",
        "Progress on goals",
        "Sessions and hours",
        "Answers shared with the programme",
    ]
    assert render_report(report, "pdf").startswith(b"%PDF")
