"""Applications to the mentoring scheme: reading the file, the rows to fix, the proposal CSV,
and ``mentorkit match`` from the command line.

The files are made here, in memory, with ``csv`` and ``openpyxl``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from mentorkit.cli.main import main
from mentorkit.exceptions import ImportRefused
from mentorkit.io.applications import ApplicationsPreview, read_applications
from mentorkit.io.proposal_table import PEER_HEADER, PROPOSAL_HEADER, proposal_csv
from mentorkit.matching import Applicant, load_weights, match

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS = ROOT / "worksheets" / "matching" / "weights.yaml"
HEAD = [
    "Name",
    "Email",
    "Role",
    "Years of experience",
    "Offers",
    "Seeks",
    "Goals",
    "Model",
    "Frequency",
    "Slots",
    "UTC offset",
    "Capacity",
    "Avoid",
    "rating:relate",
]
TAGS = ["management", "Interpersonal skills", "specialist technical"]
GOALS = ["lead a team", "research careers", "confidence presenting", "data skills"]
SLOTS = ["wed-pm", "thu-am", "fri-eve"]
FREQUENCIES = ["monthly", "fortnightly", "six-weekly"]


def mentor(i: int) -> dict[str, object]:
    return {
        "Name": f"Mentor {i}",
        "Email": f"mentor{i}@example.org",
        "Role": "mentor" if i % 5 else "Senior",
        "Years of experience": 5 + i % 10,
        "Offers": f"{TAGS[i % 3]}; {TAGS[(i + 1) % 3]}",
        "Goals": GOALS[i % 4],
        "Frequency": FREQUENCIES[i % 3],
        "Slots": f"mon-am; {SLOTS[i % 3]}",
        "UTC offset": [0, 1, -1][i % 3],
        "Capacity": 1 + i % 3,
        "rating:relate": 3 + i % 3,
    }


def mentee(j: int) -> dict[str, object]:
    return {
        "Name": f"Mentee {j}",
        "Email": f"mentee{j}@example.org",
        "Role": "mentee" if j % 4 else "Junior",
        "Years of experience": j % 2,
        "Seeks": TAGS[j % 3],
        "Goals": GOALS[(j + 1) % 4],
        "Model": "one to one",
        "Frequency": FREQUENCIES[j % 3],
        "Slots": f"mon-am, {SLOTS[j % 3]}",
        "UTC offset": [0, 1, 1.5][j % 3],
        "rating:relate": 1 + j % 5,
    }


def pool() -> list[dict[str, object]]:
    """20 mentors (capacities 1-3, 39 places) and 40 mentees. Mentee 0 is the only one who
    seeks grant writing, which only mentor 0 offers, so they would be paired; but mentee 0
    asked not to be paired with mentor 0."""
    rows = [mentor(i) for i in range(20)] + [mentee(j) for j in range(40)]
    rows[0].update(Offers="management; own:grant writing", Goals="grant proposals funding")
    rows[20].update(
        Seeks="own:Grant  Writing", Goals="grant proposals funding", Avoid="Mentor0@Example.org"
    )
    return rows


def text(value: object) -> str:
    return "" if value is None else str(value)


def to_csv(rows, head=HEAD) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(head)
    writer.writerows([[text(row.get(h)) for h in head] for row in rows])
    return out.getvalue().encode("utf-8")


def to_xlsx(rows, head=HEAD) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(head)
    for row in rows:
        sheet.append([row.get(h) for h in head])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(rows, head=HEAD) -> ApplicationsPreview:
    return read_applications(to_csv(rows, head), "applications.csv")


def pairs_by_email(proposal, apps) -> set[tuple[str, str]]:
    email = {a.id: a.email for a in apps}
    return {(email[p.mentor_id], email[p.mentee_id]) for p in proposal.pairs}


# --------------------------------------------------------------------------------------------
# Reading


def test_a_clean_file_of_sixty_gives_sixty_applicants_and_a_proposal_that_keeps_the_rules():
    preview = read(pool())
    assert preview.bad == ()
    assert len(preview.good) == 60
    assert preview.summary == "60 applications are ready to match (20 mentors, 40 mentees)."
    by_email = {a.email: a for a in preview.good}
    first, junior = by_email["mentor0@example.org"], by_email["mentee0@example.org"]
    assert first.role == "mentor" and junior.role == "mentee"  # "Senior", "Junior"
    assert first.id == "mentor0@example.org"  # no id column: the email
    assert first.offers == {"management", "grant-writing"}
    assert junior.seeks == {"grant-writing"}
    assert junior.avoid == {"mentor0@example.org"}
    assert by_email["mentor1@example.org"].offers == {"interpersonal", "specialist-technical"}
    assert by_email["mentee2@example.org"].utc_offset == 1.5
    assert by_email["mentee2@example.org"].slots == {"mon-am", "fri-eve"}
    assert by_email["mentee2@example.org"].frequency == "six_weekly"
    assert by_email["mentor2@example.org"].capacity == 3
    assert by_email["mentor2@example.org"].ratings == {"relate": 5.0}
    assert preview.rows["mentee0@example.org"] == 22  # headings are row 1

    weights = load_weights(WEIGHTS)
    proposal = match(preview.good, weights)
    pairs = pairs_by_email(proposal, preview.good)
    assert ("mentor0@example.org", "mentee0@example.org") not in pairs
    load: dict[str, int] = {}
    for mentor_email, _ in pairs:
        load[mentor_email] = load.get(mentor_email, 0) + 1
    assert all(load[e] <= by_email[e].capacity for e in load)
    mentees = [m for _, m in pairs]
    assert len(mentees) == len(set(mentees)) == 39  # every place filled, one mentee waits
    (left,) = [u for u in proposal.unmatched if u.applicant_id.startswith("mentee")]
    assert left.why.startswith("No mentor had capacity left")

    # Without the not-to-pair wish the two would have been paired: the check above can fail.
    free = [a if a.email != "mentee0@example.org" else _without_avoid(a) for a in preview.good]
    assert ("mentor0@example.org", "mentee0@example.org") in pairs_by_email(
        match(free, weights), free
    )


def _without_avoid(app: Applicant) -> Applicant:
    from dataclasses import replace

    return replace(app, avoid=frozenset())


def test_bad_rows_are_reported_with_their_row_number_and_every_reason():
    rows = [mentor(1), mentee(1), mentee(2)]
    rows += [
        {**mentee(3), "Email": ""},  # row 5
        {**mentee(4), "Seeks": "managment"},  # row 6
        {**mentor(5), "Capacity": 0},  # row 7
        {**mentee(6), "Avoid": "mentor1@example.org; ghost@example.org"},  # row 8
        {**mentor(7), "Years of experience": 1.5},  # row 9
        {**mentee(8), "Email": "MENTEE1@example.org"},  # row 10, same as row 3
        {**mentor(9), "Capacity": "two", "Offers": "cooking", "Slots": "mon-night"},  # row 11
        {**mentee(10), "Seeks": "own:knitting; interpersonal"},  # row 12: fine
    ]
    preview = read(rows)
    reasons = {p.row: p.reason for p in preview.bad}
    assert sorted(reasons) == [5, 6, 7, 8, 9, 10, 11]
    assert reasons[5].startswith("Row 5: the email is empty.")
    assert (
        "the expertise sought 'managment' is not a tag we know. Did you mean 'management'?"
        in (reasons[6])
    )
    assert "own:managment" in reasons[6]
    assert reasons[7].startswith("Row 7: the capacity is 0, so this mentor could take no mentees")
    assert "'ghost@example.org'" in reasons[8] and "nobody in this file" in reasons[8]
    assert "mentor1@example.org" not in reasons[8]  # that one is in the file
    assert "under two years' experience can only apply as mentee" in reasons[9]
    assert "also on row 3" in reasons[10]
    assert reasons[11].count(" Also, ") == 2  # capacity, tag and slot: one line
    assert "capacity 'two' is not a whole number" in reasons[11]
    assert "'cooking' is not a tag we know" in reasons[11]
    assert "Did you mean" not in reasons[11].split("cooking")[1].split("Also")[0]
    assert "time slot 'mon-night'" in reasons[11]
    assert [a.email for a in preview.good] == [
        "mentor1@example.org",
        "mentee1@example.org",
        "mentee2@example.org",
        "mentee10@example.org",
    ]
    assert preview.good[-1].seeks == {"knitting", "interpersonal"}
    assert preview.summary.endswith("7 rows need fixing (they will be left out).")


FORMULA = '=HYPERLINK("http://evil.example","Mentor 1")'


def test_names_emails_and_ids_that_a_spreadsheet_would_run_are_refused_by_row():
    head = ["Id", *HEAD]
    rows = [mentor(1), mentee(1)]
    rows += [
        {**mentor(2), "Name": FORMULA},  # row 4
        {**mentee(3), "Name": "@SUM(1+1)", "Email": "=cmd@example.org"},  # row 5
        {**mentee(4), "Id": "+44 20 7946 0000"},  # row 6
        {**mentee(5), "Name": "  -2+3"},  # row 7: spaces do not hide it
    ]
    preview = read(rows, head)
    reasons = {p.row: p.reason for p in preview.bad}
    assert sorted(reasons) == [4, 5, 6, 7]
    assert reasons[4].startswith('Row 4: the name \'=HYPERLINK("http://evil.example",')
    assert reasons[4].endswith(
        "…' starts with '=', which a spreadsheet would run as a formula. Remove the '=' and "
        "import again."
    )
    assert reasons[5].startswith("Row 5: the name '@SUM(1+1)' starts with '@'")
    assert "Also, the email '=cmd@example.org' starts with '='" in reasons[5]
    assert reasons[6].startswith("Row 6: the id '+44 20 7946 0000' starts with '+'")
    assert "write 00 in place of the '+'" in reasons[6]
    assert reasons[7].startswith("Row 7: the name '-2+3' starts with '-'")
    assert [a.name for a in preview.good] == ["Mentor 1", "Mentee 1"]


def test_the_same_refusal_as_the_people_import():
    from mentorkit.io.people_import import read_people

    people = read_people(b"name,email,role\r\n=1+2,a@example.org,mentee\r\n", "people.csv")
    applications = read([{**mentee(1), "Name": "=1+2"}])
    assert [p.reason for p in applications.bad] == [p.reason for p in people.bad]
    assert people.bad[0].reason.startswith("Row 2: the name '=1+2' starts with '='")


def test_the_proposal_csv_neutralises_every_cell():
    people = [
        Applicant(id="m", name=FORMULA, role="mentor", years=9, email="@m.example.org"),
        Applicant(id="e", name="-Ben", role="mentee", years=1, email="+e@example.org"),
        Applicant(id="x", name="=Left", role="mentee", years=1),
    ]
    proposal = match(people, load_weights(WEIGHTS))
    rows = list(csv.reader(io.StringIO(proposal_csv(proposal, people), newline="")))
    cells = [cell for row in rows[1:] for cell in row if cell]
    assert {"'" + FORMULA, "'@m.example.org", "'-Ben", "'+e@example.org", "'=Left"} <= set(cells)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_missing_required_columns_refuse_the_file_and_name_them():
    head = ["Full name", "E-mail", "Offers"]
    with pytest.raises(ImportRefused) as caught:
        read([mentor(1)], head)
    message = str(caught.value)
    assert "no role and years of experience columns" in message
    assert "'Years of experience'" not in message.split("Columns found:")[1].split(".")[0]


def test_headings_are_case_insensitive_with_aliases_and_unused_columns_are_named():
    head = ["FULL NAME", "E-Mail", "Applying as", "experience (years)", "Offers", "Timestamp"]
    rows = [{**mentor(1), "FULL NAME": "Ann", "E-Mail": "ann@example.org"}]
    rows[0].update({"Applying as": "mentor", "experience (years)": 9, "Timestamp": "today"})
    preview = read(rows, head)
    assert preview.bad == ()
    (ann,) = preview.good
    assert (ann.name, ann.email, ann.role, ann.years) == ("Ann", "ann@example.org", "mentor", 9)
    assert preview.ignored == ("Timestamp",)
    assert "Columns not used: 'Timestamp'." in preview.summary


def test_an_xlsx_file_reads_the_same_as_the_csv_file():
    rows = pool() + [{**mentee(50), "Seeks": "managment"}]
    from_csv = read_applications(to_csv(rows), "applications.csv")
    from_xlsx = read_applications(to_xlsx(rows), "applications.xlsx")
    assert len(from_xlsx.good) == 60 and len(from_xlsx.bad) == 1
    assert from_xlsx.good == from_csv.good
    assert from_xlsx.bad == from_csv.bad
    assert dict(from_xlsx.rows) == dict(from_csv.rows)


# --------------------------------------------------------------------------------------------
# The proposal CSV and the command line


def run_match(tmp_path, capsys, rows, *options):
    sheet = tmp_path / "applications.csv"
    sheet.write_bytes(to_csv(rows))
    out = tmp_path / "proposal.csv"
    code = main(["match", str(sheet), "--weights", str(WEIGHTS), "--out", str(out), *options])
    printed = capsys.readouterr()
    return code, out, printed


def proposal_rows(out: Path) -> list[list[str]]:
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_command_line_prints_the_matches_and_writes_the_csv(tmp_path, capsys):
    rows = pool()
    rows[3]["Name"] = "Mentor 3 – Zoë"
    rows.append({**mentee(41), "Email": "not-an-email"})
    code, out, printed = run_match(tmp_path, capsys, rows)
    assert code == 0, printed.err
    assert "Row 62: the email 'not-an-email' is not an email address." in printed.out
    assert "60 applications are ready to match (20 mentors, 40 mentees); 1 row needs" in (
        printed.out
    )
    assert "Proposed 39 pairs" in printed.out
    assert "Not matched (" in printed.out and "No mentor had capacity left" in printed.out

    preview = read(rows)
    proposal = match(preview.good, load_weights(WEIGHTS))
    table = proposal_rows(out)
    assert table[0] == list(PROPOSAL_HEADER)
    matched = [r for r in table[1:] if r[0] == "Matched"]
    unmatched = [r for r in table[1:] if r[0] != "Matched"]
    assert {(r[2], r[4]) for r in matched} == pairs_by_email(proposal, preview.good)
    assert len(matched) == 39 and len(unmatched) == len(proposal.unmatched)
    for r in matched:
        assert float(r[5]) > 0 and all(r[6:9]) and r[9] == "" and r[10] == ""
        assert r[6].endswith(" points)")
    assert any(r[3] == "Mentee 1" and r[4] == "mentee1@example.org" for r in matched)
    lonely = [r for r in unmatched if r[0] == "Unmatched mentee"]
    assert len(lonely) == 1 and lonely[0][10].startswith("No mentor had capacity left")
    cells = [c for r in table for c in r]
    assert rows[3]["Name"] in cells
    assert text(rows[3]["Name"]) in printed.out


def test_a_locked_pair_is_kept(tmp_path, capsys):
    rows = pool()
    weights = load_weights(WEIGHTS)
    preview = read(rows)
    before = pairs_by_email(match(preview.good, weights), preview.good)
    wanted = ("mentor4@example.org", "mentee5@example.org")
    assert wanted not in before  # so the lock has something to do
    code, out, printed = run_match(tmp_path, capsys, rows, "--lock", ":".join(wanted).upper())
    assert code == 0, printed.err
    table = proposal_rows(out)
    locked = [r for r in table[1:] if (r[2], r[4]) == wanted]
    assert len(locked) == 1 and locked[0][9] == "yes"
    assert "Mentor 4 <mentor4@example.org> → Mentee 5 <mentee5@example.org>" in printed.out
    assert "[locked]" in printed.out


def test_a_forbidden_pair_is_not_proposed(tmp_path, capsys):
    rows = pool()
    preview = read(rows)
    before = pairs_by_email(match(preview.good, load_weights(WEIGHTS)), preview.good)
    pair = sorted(before)[0]
    code, out, printed = run_match(tmp_path, capsys, rows, "--forbid", f"{pair[1]}:{pair[0]}")
    assert code == 0, printed.err
    assert pair not in {(r[2], r[4]) for r in proposal_rows(out)[1:]}


@pytest.mark.parametrize(
    ("locks", "rule"),
    [
        (["mentor0@example.org:mentee0@example.org"], "Not-to-pair: Mentee 0 asked not to be"),
        (
            ["mentor3@example.org:mentee1@example.org", "mentor3@example.org:mentee2@example.org"],
            "Capacity: Mentor 3 is locked to 2 mentees but can take 1",
        ),
        (["mentee1@example.org:mentee2@example.org"], "Eligibility: Mentee 1 applied only as"),
    ],
)
def test_an_impossible_lock_exits_2_naming_the_rule(tmp_path, capsys, locks, rule):
    code, out, printed = run_match(tmp_path, capsys, pool(), "--lock", *locks)
    assert code == 2
    assert "These locks cannot all be kept" in printed.err
    assert rule in printed.err
    assert not out.exists()


def test_a_lock_written_without_a_colon_is_refused(tmp_path, capsys):
    code, out, printed = run_match(tmp_path, capsys, pool(), "--lock", "mentor1@example.org")
    assert code == 2
    assert "Write --lock as MENTOR_EMAIL:MENTEE_EMAIL" in printed.err
    assert not out.exists()


def test_peer_proposals_use_peer_headings():
    rows = [{**mentee(j), "Role": "either", "Years of experience": 3} for j in range(5)]
    preview = read(rows)
    proposal = match(preview.good, load_weights(WEIGHTS), mode="peer")
    table = list(csv.reader(io.StringIO(proposal_csv(proposal, preview.good))))
    assert table[0] == list(PEER_HEADER)
    assert [r[0] for r in table[1:]] == ["Matched", "Matched", "Unmatched"]
    named = {r[2] for r in table[1:]} | {r[4] for r in table[1:3]}
    assert named == {a.email for a in preview.good}


def test_the_summary_says_who_could_be_either_in_words():
    rows = [
        mentor(0),
        mentee(0),
        mentee(1),
        {**mentee(2), "Role": "either", "Years of experience": 3},
    ]
    assert read(rows).summary == (
        "4 applications are ready to match (1 mentor, 2 mentees, 1 who could be either)."
    )
    both = [{**mentee(j), "Role": "either", "Years of experience": 3} for j in range(2)]
    assert read(both).summary == "2 applications are ready to match (2 who could be either)."
