"""The sessions pages: the schedule with its calendar file, and each session's notes with
its agenda and the action adder; and the session log the CPD portfolio reads."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import html
import re

import pytest
from icalendar import Calendar
from pages import sign_in_as, text_of

from mentorkit.core import paths
from mentorkit.core.spec_loader import load_folder
from mentorkit.core.store import Store
from mentorkit.programme import agenda, schedule
from mentorkit.programme.kit_specs import load_specs
from mentorkit.ui.apps import schedule_app, session_notes_app

START = dt.date(2030, 1, 15)
# Monthly from the start date; 15 June 2030 is a Saturday, so session 6 moves to Monday.
SUGGESTED = {**{n: dt.date(2030, n, 15) for n in range(1, 6)}, 6: dt.date(2030, 6, 17)}
TITLES = {
    1: "Getting to know each other",
    2: "Setting objectives",
    3: "Two-way discussion",
    4: "Two-way discussion",
    5: "Two-way discussion",
    6: "Reflection and closure",
}
LEADS = {1: "both of you", 2: "Amara Okafor", 3: "Amara Okafor", 4: "Ben Hughes", 5: "Amara Okafor"}
PARKED = {
    "_id": "x1",
    "text": "How we give feedback",
    "outcome": "later",
    "later_session": "3",
    "_by": "Ben Hughes",
}
PARKED_FOR_A_DAY = {  # for session 5, or on session 3's date
    "_id": "x2",
    "text": "Who we tell about our meetings",
    "outcome": "later",
    "later_session": "5",
    "later_date": "2030-03-15",
    "_by": "Amara Okafor",
}


def goals_plan() -> dict:
    action = {"owner": "mentee", "status": "not_started", "resources": ""}
    return {
        "goals": [
            {
                "_id": "g1",
                "title": "Speak up in meetings",
                "why": "",
                "areas": [],
                "stretch": False,
                "objectives": [
                    {
                        "_id": "o1",
                        "outcome": "Chaired two meetings",
                        "measure": "Two meetings chaired",
                        "target": "2030-06-30",
                        "actions": [
                            {
                                **action,
                                "_id": "a1",
                                "what": "Read the chairing guide",
                                "due": "2030-03-01",
                            },
                            {**action, "_id": "a2", "what": "Book a room", "due": "2030-04-01"},
                            {
                                **action,
                                "_id": "a3",
                                "what": "Already finished",
                                "due": "2030-02-01",
                                "status": "done",
                            },
                        ],
                    }
                ],
            }
        ],
        "check_ins": [],
    }


# --- helpers ------------------------------------------------------------------------------


def worksheets() -> dict:
    return load_folder(paths.worksheets_folder())


def open_store(tmp_path) -> Store:
    return Store(tmp_path / "mentorkit.sqlite3")


def person_id(store: Store, name: str) -> int:
    return next(m.person_id for m in store.relationship(1).members if m.name == name)


def stored(tmp_path, worksheet_id: str, viewer: str = "Ben Hughes") -> dict:
    """What the store holds for relationship 1 under ``worksheet_id`` (read as ``viewer``)."""
    sheets = worksheets()
    base = worksheet_id.split("--")[0]
    worksheet = dataclasses.replace(sheets[base], id=worksheet_id)
    store = open_store(tmp_path)
    try:
        return store.load(worksheet, 1, person_id(store, viewer)).values
    finally:
        store.close()


def seed(tmp_path, worksheet_id: str, values: dict, author: str = "Ben Hughes") -> None:
    store = open_store(tmp_path)
    try:
        store.save(worksheets()[worksheet_id], 1, person_id(store, author), values, {})
    finally:
        store.close()


def plain(widget) -> str:
    """A widget tree's text without its tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", "\n".join(_values(widget))))


def _values(widget) -> list[str]:
    own = [widget.value] if isinstance(getattr(widget, "value", None), str) else []
    return own + [v for child in getattr(widget, "children", ()) for v in _values(child)]


def table_rows(markup: str) -> dict[int, list[str]]:
    """The sessions table as {number: [session, when, leads, notes]} in plain text."""
    rows = {}
    for row in re.findall(r"<tr><td>(.*?)</tr>", markup, re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in row.split("</td><td>")]
        cells[-1] = cells[-1].removesuffix("</td>")
        number = int(re.match(r"Session (\d+)", cells[0]).group(1))
        rows[number] = cells
    return rows


def draw_schedule(monkeypatch, demo, name: str = "Ben Hughes"):
    sign_in_as(monkeypatch, demo, name)
    monkeypatch.setenv("QUERY_STRING", "relationship=1")
    root = schedule_app()
    return root, root.children[-1].page


def draw_notes(monkeypatch, demo, query: str, name: str = "Ben Hughes"):
    sign_in_as(monkeypatch, demo, name)
    monkeypatch.setenv("QUERY_STRING", query)
    root = session_notes_app()
    return root, root.children[-1]


@pytest.fixture
def agreed(demo, tmp_path):
    """The demo programme with relationship 1's agreement starting on START, monthly."""
    seed(
        tmp_path,
        "mentoring-agreement",
        {"start_date": START.isoformat(), "end_date": "2030-07-31", "frequency": "monthly"},
    )
    return demo


@pytest.fixture
def planned(agreed, tmp_path):
    """As ``agreed``, with a goals plan and two expectations parked for session 3 (one by its
    number, one by its date)."""
    seed(tmp_path, "goals-and-actions", {"plan": goals_plan()})
    seed(
        tmp_path,
        "negotiating-expectations",
        {"expectations": [dict(PARKED), dict(PARKED_FOR_A_DAY)]},
    )
    return agreed


# --- the schedule page --------------------------------------------------------------------


def test_schedule_suggests_saves_reloads_and_checks_the_order(agreed, monkeypatch, tmp_path):
    root, page = draw_schedule(monkeypatch, agreed)
    editor = page.form.fields[schedule.SCHEDULE_FIELD]
    text = text_of(root)
    assert "Suggested dates" in text and "Traceback" not in text
    assert sorted(editor.rows) == [1, 2, 3, 4, 5, 6]
    assert editor.dates() == SUGGESTED
    for number, title in TITLES.items():
        assert f"Session {number}: {title}" in plain(editor.rows[number].heading)
    assert [editor.rows[n].lead.value for n in range(1, 7)] == [
        "both",
        "mentor",
        "mentor",
        "mentee",
        "mentor",
        "both",
    ]
    table = table_rows(page.table.value)
    assert sorted(table) == [1, 2, 3, 4, 5, 6]
    assert table[1][0] == "Session 1: Getting to know each other"
    assert table[3][1] == "Fri 15 March 2030"
    assert {n: table[n][2] for n in (3, 4, 5)} == {
        3: "Amara Okafor",
        4: "Ben Hughes",
        5: "Amara Okafor",
    }
    assert table[1][2] == "both of you"
    assert stored(tmp_path, "our-sessions") == {}  # a suggestion stores nothing

    # Changing one date, then saving, stores the whole schedule.
    editor.rows[2].date.value = dt.date(2030, 2, 20)
    assert page.form.save() is True
    rows = stored(tmp_path, "our-sessions")["schedule"]
    assert [r["number"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert {r["number"]: r["date"] for r in rows} == {
        **{n: d.isoformat() for n, d in SUGGESTED.items()},
        2: "2030-02-20",
    }
    assert [r["lead"] for r in rows] == ["both", "mentor", "mentor", "mentee", "mentor", "both"]
    assert table_rows(page.table.value)[2][1] == "Wed 20 February 2030"  # redrawn after the save

    # Reloading shows the saved date, and no longer calls the dates suggestions.
    root, page = draw_schedule(monkeypatch, agreed)
    editor = page.form.fields[schedule.SCHEDULE_FIELD]
    assert editor.dates() == {**SUGGESTED, 2: dt.date(2030, 2, 20)}
    assert "Suggested dates" not in text_of(root)
    assert table_rows(page.table.value)[2][1] == "Wed 20 February 2030"

    # Session 3 before session 2: a message beside the row, and nothing saved.
    editor.rows[4].place.value = "Library, room 2"
    editor.rows[3].date.value = dt.date(2030, 2, 10)
    assert "before session 2" in text_of(editor.rows[3].message)
    assert "Wed 20 February 2030" in text_of(editor.rows[3].message)
    assert text_of(editor.rows[2].message) == "" and text_of(editor.rows[4].message) == ""
    assert page.form.save() is False
    assert page.form.status_text.startswith("Not saved")
    assert "before session 2" in text_of(editor.message)
    saved = {r["number"]: r for r in stored(tmp_path, "our-sessions")["schedule"]}
    assert saved[3]["date"] == "2030-03-15" and saved[2]["date"] == "2030-02-20"
    # … and nothing on screen is lost.
    assert editor.dates() == {**SUGGESTED, 2: dt.date(2030, 2, 20), 3: dt.date(2030, 2, 10)}
    assert editor.rows[4].place.value == "Library, room 2"
    assert "before session 2" in text_of(editor.rows[3].message)

    # Putting it right saves everything that was waiting.
    editor.rows[3].date.value = dt.date(2030, 3, 1)
    assert text_of(editor.rows[3].message) == ""
    assert page.form.save() is True
    saved = {r["number"]: r for r in stored(tmp_path, "our-sessions")["schedule"]}
    assert saved[3]["date"] == "2030-03-01" and saved[4]["place"] == "Library, room 2"


def test_calendar_file_has_every_session_with_its_details(agreed, monkeypatch, tmp_path):
    _root, page = draw_schedule(monkeypatch, agreed)
    editor = page.form.fields[schedule.SCHEDULE_FIELD]
    editor.rows[2].time.value = "14:30"
    editor.rows[2].place.value = "Café Nero, High St"
    assert page.form.save() is True

    def calendar() -> Calendar:
        page.prepare_calendar()
        link = re.search(
            r'<a [^>]*class="mk-download[^"]*"[^>]*href="data:text/calendar;base64,([^"]+)"',
            page.download.value,
        )
        assert link, page.download.value
        return Calendar.from_ical(base64.b64decode(link.group(1)))

    first = calendar()
    events = first.walk("VEVENT")
    assert len(events) == 6
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries[0] == "Session 1: Getting to know each other"
    for number, summary in enumerate(summaries, start=1):
        assert summary.startswith(f"Session {number}: {TITLES[number]}")
    assert "Amara Okafor" in summaries[1]  # session 2 is led by the mentor
    infos = page.infos()
    for event, info in zip(events, infos, strict=True):
        start = event["DTSTART"].dt
        day = start.date() if isinstance(start, dt.datetime) else start
        assert day == info.date == SUGGESTED[info.number]
    second_start, second_end = events[1]["DTSTART"].dt, events[1]["DTEND"].dt
    assert second_start == dt.datetime(2030, 2, 15, 14, 30)
    assert second_end - second_start == dt.timedelta(minutes=60)
    assert not isinstance(events[0]["DTSTART"].dt, dt.datetime)  # no time: all day
    assert str(events[1]["LOCATION"]) == "Café Nero, High St"
    description = str(events[0]["DESCRIPTION"])
    assert "Take time to meet properly." in description
    assert "Agenda:" in description
    assert "Led by both of you." in description
    assert "Led by Amara Okafor." in str(events[1]["DESCRIPTION"])
    assert "Agree what happens before the next session" in description

    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 6
    assert [str(e["UID"]) for e in calendar().walk("VEVENT")] == uids


# --- the session notes page ---------------------------------------------------------------


def test_session_notes_show_the_agenda_and_keep_notes_per_session(planned, monkeypatch, tmp_path):
    root, box = draw_notes(monkeypatch, planned, "relationship=1&session=3")
    text = text_of(root)
    assert "Session 3: Two-way discussion" in text
    assert "Fri 15 March 2030" in text
    assert "led by Amara Okafor" in text
    assert "The first of three conversations in which you take turns to lead." in text
    agenda_items = [
        html.unescape(i) for i in re.findall(r"<li>(.*?)</li>", root.children[-1].children[0].value)
    ]
    assert "Come back to: How we give feedback (raised by Ben Hughes)." in agenda_items
    assert "Come back to: Who we tell about our meetings (raised by Amara Okafor)." in agenda_items
    assert "Action due Fri 1 March: Read the chairing guide (mentee)." in agenda_items
    assert not any("Book a room" in i or "Already finished" in i for i in agenda_items)
    assert agenda_items[-1].startswith("Agree what happens before the next session")

    form = box.form
    assert form.fields["held_on"].value == "2030-03-15"
    assert form.fields["minutes"].value == 60
    form.fields["covered"].input.value = "Feedback, and the <chairing> guide"
    assert form.save() is True
    saved = stored(tmp_path, "session-notes--session-3")
    assert saved["covered"] == "Feedback, and the <chairing> guide"
    assert saved["held_on"] == "2030-03-15" and saved["minutes"] == 60
    assert stored(tmp_path, "session-notes") == {}
    assert stored(tmp_path, "session-notes--session-4") == {}

    root, box = draw_notes(monkeypatch, planned, "relationship=1&session=4")
    text = text_of(root)
    assert "Session 4: Two-way discussion" in text and "led by Ben Hughes" in text
    assert "How we give feedback" not in text  # parked for session 3 only
    assert box.form.fields["covered"].value is None
    assert box.form.fields["held_on"].value == "2030-04-15"

    _root, box = draw_notes(monkeypatch, planned, "relationship=1&session=3", "Amara Okafor")
    assert box.form.fields["covered"].value == "Feedback, and the <chairing> guide"


def test_action_adder_checks_and_adds_to_the_plan(planned, monkeypatch, tmp_path):
    _root, box = draw_notes(monkeypatch, planned, "relationship=1&session=3")
    adder = box.adder
    assert adder.added.value == ""
    adder.add()
    assert "Say what the action is" in adder.message.value
    adder.what.value = "Practise <b>chairing</b>"
    adder.add()
    assert "Choose who will do it" in adder.message.value
    assert stored(tmp_path, "goals-and-actions")["plan"] == goals_plan()  # nothing added yet

    adder.objective.value = "o1"  # chosen (the dropdown starts with nothing chosen)
    adder.owner.value = "mentee"
    adder.due.value = dt.date(2030, 3, 10)
    adder.add()
    plan = stored(tmp_path, "goals-and-actions")["plan"]
    assert len(plan["goals"]) == 1
    actions = plan["goals"][0]["objectives"][0]["actions"]
    assert [a["_id"] for a in actions[:3]] == ["a1", "a2", "a3"]
    new = actions[3]
    assert new["what"] == "Practise <b>chairing</b>" and new["session"] == 3
    assert new["owner"] == "mentee" and new["due"] == "2030-03-10"
    assert new["status"] == "not_started"
    assert "Added in this session" in adder.added.value
    assert "Practise &lt;b&gt;chairing&lt;/b&gt;" in adder.added.value
    assert "<b>chairing</b>" not in adder.added.value
    assert "Practise &lt;b&gt;chairing&lt;/b&gt;" in adder.message.value
    assert (adder.what.value, adder.owner.value, adder.due.value) == ("", "", None)
    assert "Read the chairing guide" not in adder.added.value  # not added in a session

    _root, box = draw_notes(monkeypatch, planned, "relationship=1&session=4")
    assert box.adder.added.value == ""  # added in session 3, not 4


def test_action_adder_makes_a_goal_when_there_are_none(agreed, monkeypatch, tmp_path):
    _root, box = draw_notes(monkeypatch, agreed, "relationship=1&session=2", "Amara Okafor")
    adder = box.adder
    assert [value for _label, value in adder.objective.options] == [""]
    for what in ("Send the article", "Draft a plan"):
        adder.what.value = what
        adder.owner.value = "mentor"
        adder.add()
        assert "Added" in adder.message.value
    goals = stored(tmp_path, "goals-and-actions")["plan"]["goals"]
    assert [g["title"] for g in goals] == ["Actions agreed in our sessions"]
    actions = goals[0]["objectives"][0]["actions"]
    assert [(a["what"], a["owner"], a["session"], a["due"]) for a in actions] == [
        ("Send the article", "mentor", 2, None),
        ("Draft a plan", "mentor", 2, None),
    ]
    listed = text_of(adder.added)
    assert "Send the article" in listed and "Draft a plan" in listed
    assert len(adder.objective.options) == 2  # the new objective, and the gathering goal


# --- the session log ----------------------------------------------------------------------


def test_session_log_and_total_hours_read_the_notes(agreed, monkeypatch, tmp_path):
    for number, minutes in ((1, None), (3, "90")):
        _root, box = draw_notes(monkeypatch, agreed, f"relationship=1&session={number}")
        form = box.form
        if minutes:
            form.fields["minutes"].input.value = minutes
        form.fields["covered"].input.value = f"What we did in session {number}"
        assert form.save() is True

    sheets = worksheets()
    store = open_store(tmp_path)
    try:
        ben = person_id(store, "Ben Hughes")
        infos = schedule.sessions(store, sheets, 1, ben, load_specs(paths.worksheets_folder()).plan)
        log = agenda.session_log(store, sheets, 1, ben, infos)
    finally:
        store.close()
    assert [(e.number, e.minutes) for e in log] == [(1, 60), (3, 90)]
    assert [e.held_on for e in log] == [SUGGESTED[1], SUGGESTED[3]]
    assert log[0].title == "Getting to know each other"
    assert log[1].covered == "What we did in session 3"
    assert agenda.total_hours(log) == 2.5


# --- bad links and other people -----------------------------------------------------------


@pytest.mark.parametrize(
    "session",
    [
        "99",
        "abc",
        "0",
        "-1",
        "²",
    ],
)
def test_a_session_that_does_not_exist_gets_a_plain_message(agreed, monkeypatch, session):
    root, _box = draw_notes(monkeypatch, agreed, f"relationship=1&session={session}")
    text = text_of(root)
    assert f"There is no session '{session}'" in text
    assert "Sorry, this page cannot be shown" in text
    assert "Traceback" not in text and "went wrong on our side" not in text


def test_without_a_session_the_page_lists_them(agreed, monkeypatch):
    root, box = draw_notes(monkeypatch, agreed, "relationship=1")
    assert not hasattr(box, "form")
    text = text_of(root)
    assert "Choose a session" in text
    table = table_rows(box.value)
    assert sorted(table) == [1, 2, 3, 4, 5, 6]
    assert table[3][1] == "Fri 15 March 2030"
    assert "session-notes.ipynb?relationship=1&session=3" in text


def test_someone_outside_the_relationship_is_refused(agreed, monkeypatch):
    root, _box = draw_notes(monkeypatch, agreed, "relationship=1&session=3", "Chloe Martin")
    text = text_of(root)
    assert "not part of" in text
    assert "Two-way discussion" not in text and "Traceback" not in text
    sign_in_as(monkeypatch, agreed, "Chloe Martin")
    assert "not part of" in text_of(schedule_app())


def test_facilitator_sees_the_schedule_read_only(agreed, monkeypatch, tmp_path):
    _root, page = draw_schedule(monkeypatch, agreed)  # the pair save their schedule first
    page.form.fields[schedule.SCHEDULE_FIELD].rows[2].date.value = dt.date(2030, 2, 20)
    assert page.form.save() is True
    before = stored(tmp_path, "our-sessions")

    root, page = draw_schedule(monkeypatch, agreed, "Fran Fletcher")
    text = text_of(root)
    assert "Your sessions" in text and "Traceback" not in text
    editor = page.form.fields[schedule.SCHEDULE_FIELD]
    assert page.form.read_only and page.form.status_text == "Read only"
    assert page.form.save_button.disabled
    assert sorted(editor.rows) == [1, 2, 3, 4, 5, 6]
    # The pair's dates and agreement are theirs (visibility "relationship"): no dates here.
    table = table_rows(page.table.value)
    assert sorted(table) == [1, 2, 3, 4, 5, 6] and table[4][2] == "Ben Hughes"
    assert {row[1] for row in table.values()} == {"no date yet"}
    assert "mk-open-session" not in page.table.value  # no links to the pair's notes
    editor.rows[3].date.value = dt.date(2030, 3, 20)
    assert page.form.save() is False
    assert stored(tmp_path, "our-sessions") == before


def test_facilitator_cannot_edit_the_schedule_rows(agreed, monkeypatch):
    _root, page = draw_schedule(monkeypatch, agreed, "Fran Fletcher")
    rows = page.form.fields[schedule.SCHEDULE_FIELD].rows.values()
    assert all(r.date.disabled and r.time.disabled and r.place.disabled for r in rows)
    assert all(r.lead.disabled for r in rows)


def test_action_adder_starts_with_a_choice_it_shows(planned, monkeypatch):
    _root, box = draw_notes(monkeypatch, planned, "relationship=1&session=3")
    objective = box.adder.objective
    assert objective.value in [value for _label, value in objective.options]
