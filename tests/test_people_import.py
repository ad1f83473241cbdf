"""Reading a spreadsheet of people before a workshop: files, headings, rows, and messages.

The files are made here, in memory, with ``csv`` and ``openpyxl``, so each test shows exactly
what it feeds in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from mentorkit.exceptions import ImportRefused, MentorkitError
from mentorkit.io import spreadsheet
from mentorkit.io.people_import import (
    PEOPLE_FILE_ROLES,
    ImportPreview,
    PersonRow,
    RowProblem,
    read_people,
)
from mentorkit.io.spreadsheet import MAX_BYTES

HEADINGS = ["Name", "Email", "Role", "Years of experience", "Unit", "Notes"]
SAVE_AS = "Save it as CSV (UTF-8) or Excel workbook (.xlsx)"


def people(count: int = 30) -> list[list[object]]:
    """``count`` people, as the rows under HEADINGS (years as numbers, or None)."""
    roles = ["Mentor", "mentee", "EITHER", "peer"]
    units = ["Finance", "Research", "", "Operations"]
    return [
        [
            f"Person {i}",
            f"Person.{i}@Example.org",
            roles[i % 4],
            [3, 2.5, None, 12][i % 4],
            units[i % 4],
            f"note {i}" if i % 3 else "",
        ]
        for i in range(count)
    ]


def text(value: object) -> str:
    return "" if value is None else str(value)


def to_csv(rows, headings=HEADINGS, delimiter=",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows([[text(v) for v in row] for row in rows])
    return out.getvalue()


def to_xlsx(rows, headings=HEADINGS, extra_sheet: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "People"
    sheet.append(headings)
    for row in rows:
        sheet.append(list(row))
    if extra_sheet:
        book.create_sheet("Other").append(["not", "people"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refused(data: bytes, filename: str = "people.csv") -> str:
    with pytest.raises(ImportRefused) as caught:
        read_people(data, filename)
    assert isinstance(caught.value, MentorkitError)
    return str(caught.value)


def reasons(preview: ImportPreview) -> dict[int, str]:
    return {p.row: p.reason for p in preview.bad}


# -- Clean files -------------------------------------------------------------------------------


def test_a_clean_csv_of_30_people_is_all_good():
    preview = read_people(to_csv(people()).encode(), "people.csv")
    assert preview.filename == "people.csv"
    assert preview.columns == tuple(HEADINGS)
    assert preview.bad == ()
    assert len(preview.good) == 30
    assert [p.row for p in preview.good] == list(range(2, 32))
    first, second, third, fourth = preview.good[:4]
    assert first == PersonRow(
        row=2,
        name="Person 0",
        email="person.0@example.org",
        role="mentor",
        years=3.0,
        unit="Finance",
        extra={"Notes": ""},
    )
    assert (second.role, second.years, second.extra) == ("mentee", 2.5, {"Notes": "note 1"})
    assert (third.role, third.years, third.unit) == ("either", None, "")
    assert fourth.role == "peer" and fourth.years == 12.0
    assert all(p.role in PEOPLE_FILE_ROLES for p in preview.good)


def test_two_bad_rows_are_left_out_with_their_row_numbers_and_reasons():
    rows = people()
    rows[5][1] = "ben@"  # spreadsheet row 7
    rows[20][1] = "  PERSON.3@example.ORG "  # row 22 repeats row 5's email
    preview = read_people(to_csv(rows).encode(), "people.csv")
    assert len(preview.good) == 28
    assert [p.row for p in preview.bad] == [7, 22]
    assert reasons(preview) == {
        7: "Row 7: the email 'ben@' is not an email address. Write it like name@example.org.",
        22: "Row 22: the email 'person.3@example.org' is also on row 5. Each person needs their "
        "own email address: remove this row if it is the same person, or correct the email.",
    }
    assert {p.row for p in preview.good}.isdisjoint({7, 22})
    assert 5 in {p.row for p in preview.good}  # the first of the two is kept
    assert preview.summary == (
        "28 people are ready to import; 2 rows need fixing (they will be left out)."
    )


def test_semicolon_csv_with_decimal_commas():
    rows = people(4)
    rows[1][3] = "3,5"
    preview = read_people(to_csv(rows, delimiter=";").encode(), "people.csv")
    assert preview.columns == tuple(HEADINGS)
    assert [p.years for p in preview.good] == [3.0, 3.5, None, 12.0]
    assert preview.good[0].name == "Person 0" and preview.bad == ()


def test_tab_separated_and_excel_sep_line():
    tab = read_people(to_csv(people(3), delimiter="\t").encode(), "people.txt")
    assert [p.email for p in tab.good] == [f"person.{i}@example.org" for i in range(3)]
    sep = read_people(("sep=;\r\n" + to_csv(people(3), delimiter=";")).encode(), "people.csv")
    assert [p.row for p in sep.good] == [2, 3, 4]  # Excel hides the sep= line


def test_delimiter_falls_back_to_one_that_finds_the_headings(monkeypatch):
    class Confused:
        def sniff(self, sample, delimiters=None):
            raise csv.Error("Could not determine delimiter")

    monkeypatch.setattr(spreadsheet.csv, "Sniffer", Confused)
    semicolons = read_people(to_csv(people(2), delimiter=";").encode(), "people.csv")
    assert len(semicolons.good) == 2 and semicolons.good[1].name == "Person 1"


def test_utf8_with_bom_keeps_accents_greek_and_cjk():
    rows = people(4)
    rows[0][0], rows[1][0], rows[2][0], rows[3][0] = (
        "Zoë Müller-Ångström",
        "Ελένη Παπαδοπούλου",
        "王小明",
        "Ngô Bảo Châu",
    )
    rows[2][1] = "Wang@Example.cn"
    data = b"\xef\xbb\xbf" + to_csv(rows).encode("utf-8")
    preview = read_people(data, "people.csv")
    assert preview.columns[0] == "Name"  # the byte-order mark is not part of the heading
    assert [p.name for p in preview.good] == [
        "Zoë Müller-Ångström",
        "Ελένη Παπαδοπούλου",
        "王小明",
        "Ngô Bảo Châu",
    ]
    assert preview.good[2].email == "wang@example.cn"


def test_a_windows_1252_csv_is_refused_with_how_to_save_it():
    rows = people(6)
    rows[1][0], rows[2][0], rows[3][4] = "José Müller", "François Dœuf", "Équipe – Nord"
    message = refused(to_csv(rows).encode("cp1252"))
    assert "not UTF-8 text" in message
    assert "Windows-1252 / Latin-1" in message
    assert "line 3" in message  # where the first non-UTF-8 character is
    assert "In Excel choose File › Save As › CSV UTF-8, then import it again." in message


def test_utf16_text_is_refused_as_not_utf8():
    message = refused(to_csv(people(2)).encode("utf-16"), "people.txt")
    assert "not UTF-8 text" in message and "UTF-16" in message and "CSV UTF-8" in message


# -- Excel -----------------------------------------------------------------------------------


def test_xlsx_with_the_same_content_gives_the_same_result():
    rows = people()
    rows[5][1] = "ben@"
    rows[20][1] = "person.3@example.org"
    from_csv = read_people(to_csv(rows).encode(), "people.csv")
    from_xlsx = read_people(to_xlsx(rows), "people.xlsx")
    assert len(from_xlsx.good) == 28
    assert from_xlsx.columns == from_csv.columns
    assert from_xlsx.good == from_csv.good
    assert from_xlsx.bad == from_csv.bad


def stored_as_decimal(workbook: bytes, number: str) -> bytes:
    """The workbook with the cell holding ``number`` stored as ``number.0``, as some programs
    write whole numbers (openpyxl reads those back as floats)."""
    sheet = "xl/worksheets/sheet1.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == sheet:
                assert content.count(f"<v>{number}</v>".encode()) == 1
                content = content.replace(
                    f"<v>{number}</v>".encode(), f"<v>{number}.0</v>".encode()
                )
            target.writestr(item, content)
    return out.getvalue()


def test_xlsx_numbers_and_dates_become_text():
    headings = ["Full Name", "E-mail", "ROLE", "Years", "Team", "Start", "Sessions", "Rate"]
    rows = [
        ["Ana", "ana@example.org", "mentor", 3, "Ops", dt.date(2024, 3, 1), 4.0, 0.1 + 0.2],
        ["Ben", "ben@example.org", "mentee", 2.5, None, dt.datetime(2024, 3, 1, 9, 30), 12, None],
        ["Cy", "cy@example.org", "peer", 7.0, 2024, None, None, True],
    ]
    data = stored_as_decimal(to_xlsx(rows, headings, extra_sheet=True), "4")
    preview = read_people(data, "people.xlsx")
    assert preview.bad == ()
    ana, ben, cy = preview.good
    assert [ana.years, ben.years, cy.years] == [3.0, 2.5, 7.0]
    assert ana.extra == {"Start": "2024-03-01", "Sessions": "4", "Rate": "0.3"}
    assert ben.extra == {"Start": "2024-03-01T09:30:00", "Sessions": "12", "Rate": ""}
    assert (ben.unit, cy.unit, cy.extra["Rate"]) == ("", "2024", "TRUE")


def test_xlsx_is_known_by_its_content_not_its_name():
    preview = read_people(to_xlsx(people(2)), "people.csv")
    assert [p.name for p in preview.good] == ["Person 0", "Person 1"]
    as_text = read_people(to_csv(people(2)).encode(), "people.xlsx")
    assert len(as_text.good) == 2


def test_xlsx_rows_keep_their_spreadsheet_numbers_and_blank_rows_are_skipped():
    rows = people(3)
    preview = read_people(
        to_xlsx([rows[0], [None] * 6, [], rows[1], ["  ", ""], rows[2]]), "p.xlsx"
    )
    assert [p.row for p in preview.good] == [2, 5, 7]
    assert preview.bad == ()


# -- Headings --------------------------------------------------------------------------------


def test_missing_email_and_role_columns_are_named_together():
    data = to_csv([["Ana", "Ops"]], headings=["Name", "Team"]).encode()
    message = refused(data)
    assert "no email and role columns" in message
    assert "Columns found: 'Name', 'Team'" in message
    assert "'e-mail'" in message  # the headings that would be understood


def test_headings_ignore_case_spaces_and_use_aliases():
    headings = ["  FULL NAME ", "Email Address", " role", "Experience (Years)", "Department"]
    preview = read_people(
        to_csv([["Ana", "a@x.org", "Mentor", "4", "Ops"]], headings).encode(), "p.csv"
    )
    assert preview.columns == (
        "FULL NAME",
        "Email Address",
        "role",
        "Experience (Years)",
        "Department",
    )
    assert preview.good[0] == PersonRow(2, "Ana", "a@x.org", "mentor", 4.0, "Ops", {})


@pytest.mark.parametrize(
    ("headings", "expected"),
    [
        (["Name", "Email", "Role", "email"], "'email' appears twice (columns B and D)"),
        (["Name", "Email", "Role", "Unit", "Team"], "'Unit' (column D) and 'Team' (column E) both"),
        (["Name", "Email", "Role", "Notes", "NOTES"], "'NOTES' appears twice"),
    ],
)
def test_repeated_headings_are_refused(headings, expected):
    row = ["Ana", "a@x.org", "mentor", "x", "y"][: len(headings)]
    assert expected in refused(to_csv([row], headings).encode())


def test_a_heading_that_would_run_as_a_formula_is_refused():
    message = refused(to_csv([["Ana", "a@x.org", "mentor", "1"]], HEADINGS[:3] + ["=cmd"]).encode())
    assert "'=cmd' (column D) starts with '='" in message


def test_values_past_the_last_heading_are_a_row_problem():
    data = "Name,Email,Role\r\nSmith, Jo,jo@x.org,mentor\r\nAna,ana@x.org,mentee\r\n"
    preview = read_people(data.encode(), "p.csv")
    assert [p.name for p in preview.good] == ["Ana"]
    assert "there is a value in column D, which has no heading" in preview.bad[0].reason
    assert "contains a comma; put quotes around that value" in preview.bad[0].reason


def test_a_column_without_heading_in_the_middle_is_kept_by_its_letter():
    data = "Name,,Email,Role\r\nAna,keep me,ana@x.org,mentee\r\n"
    preview = read_people(data.encode(), "p.csv")
    assert preview.columns == ("Name", "Column B", "Email", "Role")
    assert preview.good[0].extra == {"Column B": "keep me"}


# -- Files that are not spreadsheets ---------------------------------------------------------


def docx_like() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "looks_like"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "people.pdf", "a PDF document"),
        (docx_like(), "people.docx", "a Word document (.docx)"),
        (docx_like(), "people.xlsx", "a Word document (.docx)"),  # content first
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "people.png", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "scan.jpg", "a JPEG image"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "people.xls",
            "an older Excel 97–2003 workbook (.xls)",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "people.xlsx",
            "a password-protected Excel",
        ),
        (b"<html><table><tr><td>Name</td></tr></table></html>", "people.xls", "a web page"),
    ],
    ids=["pdf", "docx", "docx-named-xlsx", "png", "jpeg", "xls", "encrypted-xlsx", "html"],
)
def test_files_that_are_not_spreadsheets_are_refused(data, filename, looks_like):
    message = refused(data, filename)
    assert f"This file looks like {looks_like}" in message
    assert "CSV (UTF-8)" in message and ".xlsx" in message


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n\r\n"])
def test_an_empty_file_is_refused(data):
    message = refused(data)
    assert "This file is empty" in message and SAVE_AS in message


def test_a_damaged_workbook_is_refused():
    whole = to_xlsx(people(3))
    assert "damaged or incomplete" in refused(whole[: len(whole) // 2], "people.xlsx")


def test_a_file_over_5_mb_is_refused_with_the_figures():
    data = to_csv(people(1)).encode() + b"x" * (5 * 1024 * 1024)
    message = refused(data)
    assert "5.0 MB" in message or "just over 5 MB" in message
    assert f"({len(data):,} bytes)" in message and "at most 5 MB" in message


def test_more_than_5000_people_are_refused_with_the_figures():
    data = to_csv(people(5_003)).encode()
    assert len(data) < MAX_BYTES
    message = refused(data)
    assert "This file has 5,003 rows of people; one import can take at most 5,000." in message
    assert len(read_people(to_csv(people(5_000)).encode(), "p.csv").good) == 5_000


def test_a_quote_that_is_never_closed_is_refused_with_its_row():
    data = (
        'Name,Email,Role\r\nAna,ana@x.org,mentor\r\n"Ben,ben@x.org,mentee\r\nCy,cy@x.org,peer\r\n'
    )
    assert 'Row 3 has a quote mark (") that is never closed' in refused(data.encode())


# -- Rows ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "what"),
    [
        (
            4,
            '=HYPERLINK("http://evil.example","click")',
            'the unit \'=HYPERLINK("http://evil.example","click…\'',
        ),
        (0, "+Ana", "the name '+Ana'"),
        (5, "-2+3+cmd|' /C calc'!A0", "the 'Notes' value '-2+3+cmd|' /C calc'!A0'"),
        (1, "@ana@example.org", "the email '@ana@example.org'"),
        (2, "  =mentor", "the role '=mentor'"),
        (3, "=1+2", "the years of experience '=1+2'"),
        (3, "+3", "the years of experience '+3'"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_bad_rows(column, value, what):
    rows = people(3)
    rows[1][column] = value
    preview = read_people(to_csv(rows).encode(), "people.csv")
    assert [p.row for p in preview.good] == [2, 4]
    mark = value.strip()[0]
    assert preview.bad == (
        RowProblem(
            3,
            f"Row 3: {what} starts with '{mark}', which a spreadsheet would run as a formula. "
            f"Remove the '{mark}' and import again.",
        ),
    )


def test_a_formula_like_phone_number_gets_a_hint():
    rows = [["Ana", "ana@x.org", "mentor", "", "", "+44 20 7946 0000"]]
    (problem,) = read_people(to_csv(rows).encode(), "p.csv").bad
    assert "starts with '+'" in problem.reason and "write 00 in place of the '+'" in problem.reason


@pytest.mark.parametrize("value", ["-2", "-0.5", "- 3"])
def test_negative_years_are_reported_as_negative_not_as_a_formula(value):
    rows = [["Ana", "ana@x.org", "mentor", value, "", ""]]
    (problem,) = read_people(to_csv(rows).encode(), "p.csv").bad
    assert problem.reason.startswith("Row 2: years cannot be negative")
    assert "formula" not in problem.reason


def test_negative_years_from_excel_are_reported_as_negative():
    (problem,) = read_people(to_xlsx([["Ana", "ana@x.org", "mentor", -2, "", ""]]), "p.xlsx").bad
    assert problem.reason.startswith("Row 2: years cannot be negative, but this row has '-2'.")


@pytest.mark.parametrize(
    ("value", "years"),
    [("3", 3.0), ("3.5", 3.5), ("3,5", 3.5), (" 0 ", 0.0), ("70", 70.0), ("", None)],
)
def test_years_accept_plain_numbers(value, years):
    preview = read_people(to_csv([["Ana", "ana@x.org", "mentor", value, "", ""]]).encode(), "p.csv")
    assert preview.bad == () and preview.good[0].years == years


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("three", "'three' is not a number"),
        ("3 years", "'3 years' is not a number"),
        ("nan", "'nan' is not a number"),
        ("70.5", "'70.5' is more than 70"),
    ],
)
def test_years_that_are_not_a_plausible_number_are_bad_rows(value, expected):
    preview = read_people(to_csv([["Ana", "ana@x.org", "mentor", value, "", ""]]).encode(), "p.csv")
    assert preview.good == () and expected in preview.bad[0].reason


def test_emails_already_in_the_programme_are_bad_rows():
    rows = people(4)
    preview = read_people(
        to_csv(rows).encode(),
        "people.csv",
        existing_emails=[" PERSON.1@example.org", "someone.else@example.org", ""],
    )
    assert [p.row for p in preview.good] == [2, 4, 5]
    assert reasons(preview) == {
        3: "Row 3: the email 'person.1@example.org' already belongs to someone in this "
        "programme. If it is the same person, remove this row; if not, correct the email."
    }


@pytest.mark.parametrize(
    ("email", "hint"),
    [
        ("ben", ""),
        ("ben@example", ""),
        ("ben@example..org", ""),
        ("@example.org", "formula"),
        ("ben smith@example.org", "Put only one email address in each row."),
        ("a@x.org; b@x.org", "Put only one email address in each row."),
        ("a@x.org@y.org", "Put only one email address in each row."),
        ("x" * 250 + "@x.org", "the most is 254"),
    ],
)
def test_implausible_emails_are_bad_rows(email, hint):
    preview = read_people(to_csv([["Ana", email, "mentor", "", "", ""]]).encode(), "p.csv")
    assert preview.good == ()
    assert hint in preview.bad[0].reason
    if hint != "formula":
        assert "email" in preview.bad[0].reason


def test_unknown_roles_get_a_suggestion():
    rows = [
        ["Ana", "ana@x.org", "mentr", "", "", ""],
        ["Ben", "ben@x.org", "Mentor", "", "", ""],
        ["Cy", "cy@x.org", "boss", "", "", ""],
        ["Di", "di@x.org", "", "", "", ""],
        ["Ed", "ed@x.org", "MENTEES", "", "", ""],
    ]
    preview = read_people(to_csv(rows).encode(), "p.csv")
    assert [(p.row, p.role) for p in preview.good] == [(3, "mentor")]
    found = reasons(preview)
    assert found[2] == (
        "Row 2: the role 'mentr' is not one we know. Did you mean 'mentor'? "
        "The role must be one of: mentor, mentee, either, peer."
    )
    assert "Did you mean" not in found[4] and "must be one of" in found[4]
    assert found[5] == "Row 5: the role is empty. Write one of: mentor, mentee, either, peer."
    assert "Did you mean 'mentee'?" in found[6]


def test_names_are_required_and_at_most_100_characters():
    rows = [
        ["", "ana@x.org", "mentor", "", "", ""],
        ["B" * 101, "ben@x.org", "mentor", "", "", ""],
        ["C" * 100, "cy@x.org", "mentor", "", "", ""],
    ]
    preview = read_people(to_csv(rows).encode(), "p.csv")
    assert [p.row for p in preview.good] == [4]
    assert reasons(preview)[2] == "Row 2: the name is empty. Write the person's name."
    assert "is 101 characters long; the most is 100" in reasons(preview)[3]


def test_every_problem_in_a_row_is_in_its_one_reason():
    rows = [["", "ben@", "mentr", "-1", "=X()", "ok"]]
    (problem,) = read_people(to_csv(rows).encode(), "p.csv").bad
    assert problem.row == 2
    assert problem.reason.startswith("Row 2: the name is empty.")
    for part in (
        " Also, the email 'ben@' is not an email address.",
        " Also, the role 'mentr' is not one we know. Did you mean 'mentor'?",
        " Also, years cannot be negative",
        " Also, the unit '=X()' starts with '='",
    ):
        assert part in problem.reason
    assert problem.reason.count("Row 2") == 1


def test_blank_rows_are_skipped_silently_and_numbers_stay_as_the_spreadsheet_shows():
    rows = people(3)
    data = to_csv(rows[:1]) + "\r\n,,,,,\r\n  , \t ,\r\n" + to_csv(rows[1:]).split("\r\n", 1)[1]
    preview = read_people(data.encode(), "people.csv")
    assert preview.bad == ()
    assert [p.row for p in preview.good] == [2, 6, 7]


def test_blank_lines_before_the_headings_are_skipped():
    data = "\r\n\r\n" + to_csv(people(1))
    preview = read_people(data.encode(), "people.csv")
    assert preview.good[0].row == 4 and preview.columns == tuple(HEADINGS)


def test_reading_a_bad_row_never_raises_and_nothing_is_half_done():
    rows = [
        ["=1", "=2", "=3", "=4", "=5", "=6"],
        ["", "", "x", "", "", ""],
        ["Ana", "a@x.org", "peer"],
    ]
    preview = read_people(to_csv(rows).encode(), "p.csv")
    assert [p.row for p in preview.bad] == [2, 3]
    assert preview.good == (PersonRow(4, "Ana", "a@x.org", "peer", None, "", {"Notes": ""}),)


# -- Summary and exports ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("good", "bad", "expected"),
    [
        (28, 2, "28 people are ready to import; 2 rows need fixing (they will be left out)."),
        (30, 0, "30 people are ready to import."),
        (1, 1, "1 person is ready to import; 1 row needs fixing (it will be left out)."),
        (0, 3, "No one is ready to import yet; 3 rows need fixing (they will be left out)."),
        (1_200, 0, "1,200 people are ready to import."),
        (0, 0, "There is no one to import: the file has column headings but no rows of people."),
    ],
)
def test_summary(good, bad, expected):
    person = PersonRow(2, "Ana", "a@x.org", "mentor", None, "", {})
    preview = ImportPreview(
        "p.csv", ("Name",), (person,) * good, (RowProblem(3, "Row 3: ..."),) * bad
    )
    assert preview.summary == expected


def test_summary_of_a_file_with_headings_only():
    preview = read_people(b"Name,Email,Role\r\n", "p.csv")
    assert (preview.good, preview.bad) == ((), ())
    assert preview.summary.startswith("There is no one to import")
