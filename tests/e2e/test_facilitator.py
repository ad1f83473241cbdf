"""The facilitator's pages: importing people, pairing them, printing access cards, watching the
dashboard, and withdrawing and renewing codes. Only the facilitator may open these pages."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
import unicodedata
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import Locator, Page, expect

from mentorkit.testing import sign_in_with_link

from .conftest import HOME_PATH, Demo, sign_in, status, text_box, wait_loaded

pytestmark = pytest.mark.e2e

FACILITATOR = "Fran Fletcher"
SETUP = "programme-setup.ipynb"
DASHBOARD = "dashboard.ipynb"
COHORT = "cohort.ipynb"
FIRST_WORKSHEET = "Getting to know each other"
FOR_FACILITATOR = "This page is for the programme's facilitator"
CODE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
DASHBOARD_WAIT_MS = 20_000
"""The dashboard reads the programme again every 5 s; a change shows well within this."""

MENTORS = [
    ("Priya Raman", 18, "Medical Illustration"),
    ("David Osei", 22, "Clinical Photography"),
    ("Margaret Hall", 25, "Medical Illustration"),
    ("Owen Price", 12, "Ophthalmic Imaging"),
    ("Rachel Stein", 15, "Clinical Photography"),
    ("Samuel Adeyemi", 9, "Graphic Design"),
    ("Catherine Walsh", 20, "Medical Illustration"),
    ("Ian McLeod", 16, "Video Production"),
    ("Yasmin Haddad", 11, "Ophthalmic Imaging"),
    ("Peter Novak", 14, "Graphic Design"),
]
MENTEES = [
    ("José Álvarez", 2, "Clinical Photography"),
    ("Lucy Bennett", 1, "Medical Illustration"),
    ("Tariq Aziz", 3, "Ophthalmic Imaging"),
    ("Emily Carter", 0.5, "Graphic Design"),
    ("Noah Fischer", 2, "Video Production"),
    ("Grace Kim", 4, "Clinical Photography"),
    ("Liam O'Brien", 1, "Medical Illustration"),
    ("Sofia Rossi", 3, "Graphic Design"),
    ("Jack Turner", 2, "Clinical Photography"),
    ("Mia Wong", 1, "Ophthalmic Imaging"),
    ("Oliver Grant", 5, "Video Production"),
    ("Aisha Bello", 2, "Medical Illustration"),
    ("Harry Doyle", 1, "Clinical Photography"),
    ("Zara Hussain", 3, "Graphic Design"),
    ("Ethan Clarke", 2, "Ophthalmic Imaging"),
    ("Chloe Evans", 1, "Medical Illustration"),
    ("Daniel Moore", 4, "Video Production"),
    ("Ruby Shaw", 2, "Clinical Photography"),
    ("Adam Nowak", 1, "Graphic Design"),
    ("Isla Reid", 3, "Medical Illustration"),
]
MENTOR, MENTEE = "Priya Raman", "José Álvarez"
PAIR = f"{MENTOR} & {MENTEE}"
BAD_EMAIL = "harry.doyle.example.org"  # Harry Doyle's: the @ is missing
DUPLICATE = ("Ruby Shaw", "Lucy Bennett")  # Ruby's row repeats Lucy's email


def email_of(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.lower().replace("'", "").replace(" ", ".") + "@example.org"


def people_csv(folder: Path) -> tuple[Path, dict[str, int]]:
    """The workshop's spreadsheet of 30 people (two of them with a bad email), saved as a CSV
    file; returns its path and each name's row number as a spreadsheet shows it."""
    people = [(*m, "mentor") for m in MENTORS] + [(*m, "mentee") for m in MENTEES]
    rows: dict[str, int] = {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name", "email", "role", "years of experience", "unit"])
    for number, (name, years, unit, role) in enumerate(people, 2):
        email = email_of(name)
        if name == "Harry Doyle":
            email = BAD_EMAIL
        elif name == DUPLICATE[0]:
            email = email_of(DUPLICATE[1])
        writer.writerow([name, email, role, f"{years:g}", unit])
        rows[name] = number
    path = folder / "spring-cohort.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, rows


# --- pages --------------------------------------------------------------------------------


def page_url(demo: Demo, notebook: str) -> str:
    return f"{demo.url}/voila/render/{notebook}"


def open_setup(page: Page, demo: Demo) -> Page:
    page.goto(page_url(demo, SETUP))
    expect(page.get_by_role("heading", name="Set up the programme")).to_be_visible()
    expect(page.locator(".mk-import-file")).to_be_visible()
    return page


def open_dashboard(page: Page, demo: Demo) -> Page:
    page.goto(page_url(demo, DASHBOARD))
    expect(page.locator(".mk-dash-table table")).to_be_visible()
    return page


def upload(page: Page, file) -> None:
    """Choose ``file`` (a path or a {"name", "mimeType", "buffer"} dict) in the import box.

    ipywidgets 8's FileUpload is a button whose file input is never put in the page (the
    button clicks it from code), so the file is given to the file chooser it opens.
    """
    with page.expect_file_chooser() as chooser:
        page.locator(".mk-import-file").click()
    chooser.value.set_files(file)


def pair_options(page: Page) -> Locator:
    return page.locator(".mk-pair-others select option")


def dash_row(page: Page, title: str) -> Locator:
    return page.locator(".mk-dash-table tr.mk-dash-row").filter(
        has=page.locator("td:first-child b", has_text=re.compile(f"^{re.escape(title)}$"))
    )


def worksheet_cell(row: Locator, title: str) -> Locator:
    return row.locator(f'td.mk-ws-cell[title^="{title}:"]')


def complete_cell(row: Locator) -> Locator:
    return row.locator("td:nth-last-child(5)")


def last_activity_cell(row: Locator) -> Locator:
    return row.locator("td:nth-last-child(4)")


def sessions_cell(row: Locator) -> Locator:
    return row.locator("td:nth-last-child(2)")


def shown_time(moment: dt.datetime) -> str:
    """A time as the dashboard's last-activity column writes it: "9 Nov, 14:05"."""
    return moment.strftime("%d %b, %H:%M").lstrip("0")


def times_between(start: dt.datetime, end: dt.datetime) -> re.Pattern[str]:
    """Any minute from ``start`` to ``end``, as the dashboard writes it."""
    minutes, moment = [], start.replace(second=0, microsecond=0)
    while moment <= end:
        minutes.append(re.escape(shown_time(moment)))
        moment += dt.timedelta(minutes=1)
    return re.compile(f"^({'|'.join(minutes)})$")


# --- the access cards ----------------------------------------------------------------------


def cards_pdf(page: Page) -> bytes:
    link = page.locator(".mk-new-codes a.mk-cards")
    expect(link).to_have_attribute("download", "access-cards.pdf")
    href = link.get_attribute("href")
    assert href.startswith("data:application/pdf;base64,"), href[:80]
    return base64.b64decode(href.split(",", 1)[1])


def read_cards(pdf: bytes, programme: str) -> tuple[int, dict[str, tuple[str, str, str]]]:
    """The PDF's page count, and each card's name -> (role, code, sign-in link), from the text
    printed on it (a name too long for one line is joined up again)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    cards: dict[str, tuple[str, str, str]] = {}
    for page in reader.pages:
        text = page.extract_text()
        assert text.startswith(programme), text[:200]
        for chunk in text.split(programme + "\n")[1:]:
            lines = chunk.strip().splitlines()
            role_at = next(i for i, line in enumerate(lines) if line in ("Mentor", "Mentee"))
            name = ""
            for piece in lines[:role_at]:
                name += piece if not name or name.endswith("-") else " " + piece
            code = next(line for line in lines if CODE.match(line))
            link = next(line for line in lines if "/signin?code=" in line)
            assert name not in cards, f"two cards for {name}"
            cards[name] = (lines[role_at], code, link)
    return len(reader.pages), cards


# --- the tests ------------------------------------------------------------------------------


def test_workshop_import_pair_cards_and_live_dashboard(fresh_demo, new_context, tmp_path):
    demo = fresh_demo
    spreadsheet, row_of = people_csv(tmp_path)
    fran_context = new_context()
    fran = open_setup(sign_in(fran_context, demo, FACILITATOR), demo)
    expect(pair_options(fran)).to_have_count(8)  # the demo's people
    # A backup holds everyone's private answers: the page never offers one.
    expect(fran.locator(".mk-backup, a[download$='.zip']")).to_have_count(0)
    expect(fran.get_by_text(re.compile("backup", re.IGNORECASE))).to_have_count(0)

    # The preview: 28 ready, and exactly the two bad rows, each with its number and reason.
    upload(fran, spreadsheet)
    expect(fran.locator(".mk-import-summary")).to_have_text(
        "28 people are ready to import; 2 rows need fixing (they will be left out)."
    )
    bad, dup = row_of["Harry Doyle"], row_of[DUPLICATE[0]]
    first = row_of[DUPLICATE[1]]
    bad_rows = fran.locator(".mk-import-bad tbody tr")
    expect(bad_rows).to_have_count(2)
    expect(bad_rows.nth(0).locator("td")).to_have_text(
        [
            str(bad),
            f"Row {bad}: the email '{BAD_EMAIL}' is not an email address. "
            "Write it like name@example.org.",
        ]
    )
    expect(bad_rows.nth(1).locator("td")).to_have_text(
        [
            str(dup),
            f"Row {dup}: the email '{email_of(DUPLICATE[1])}' is also on row {first}. Each "
            "person needs their own email address: remove this row if it is the same person, "
            "or correct the email.",
        ]
    )
    expect(fran.locator(".mk-import-good tbody tr")).to_have_count(28)
    confirm = fran.locator(".mk-import-confirm")
    expect(confirm).to_be_enabled()
    expect(confirm).to_have_text("Import 28 people")

    # She fixes nothing and imports the 28.
    confirm.click()
    expect(fran.get_by_text("Imported 28 people from spring-cohort.csv.")).to_be_visible()
    expect(confirm).to_be_disabled()
    expect(fran.locator(".mk-import-summary")).to_have_count(0)
    new_codes = fran.locator(".mk-new-codes")
    expect(new_codes.get_by_role("heading")).to_have_text("New access codes (28)")
    expect(new_codes.locator("code")).to_have_count(28)
    expect(pair_options(fran)).to_have_count(8 + 28)

    # The cards: 28 people, eight to a page, each with a working sign-in link.
    pages, cards = read_cards(cards_pdf(fran), "Demo mentoring programme")
    assert pages == 4
    imported = {name for name, *_ in MENTORS + MENTEES} - {"Harry Doyle", DUPLICATE[0]}
    assert set(cards) == imported, set(cards) ^ imported
    role, code, link = cards[MENTEE]
    assert role == "Mentee" and cards[MENTOR][0] == "Mentor"
    assert link == f"{demo.url}/signin?code={code}"
    table = {
        row.locator("td").nth(0).inner_text(): row.locator("code").inner_text()
        for row in new_codes.locator("tbody tr").all()
    }
    assert table == {name: card[1] for name, card in cards.items()}

    # She pairs Priya with José.
    fran.locator(".mk-pair-kind select").select_option(label="Mentor and mentee")
    fran.locator(".mk-pair-mentor select").select_option(label=f"{MENTOR} ({email_of(MENTOR)})")
    fran.locator(".mk-pair-others select").select_option(label=f"{MENTEE} ({email_of(MENTEE)})")
    fran.locator(".mk-pair-create").click()
    expect(fran.get_by_text(f"Created: {PAIR}.")).to_be_visible()

    # The dashboard, in another tab: the new pair, nothing started.
    board = open_dashboard(fran_context.new_page(), demo)
    row = dash_row(board, PAIR)
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_contain_text(f"{MENTOR} (mentor), {MENTEE} (mentee)")
    cells = row.locator("td.mk-ws-cell")
    expect(cells.first).to_be_visible()
    worksheets = cells.count()
    expect(row.locator('td.mk-ws-cell[title$=": Not started"]')).to_have_count(worksheets)
    expect(worksheet_cell(row, FIRST_WORKSHEET)).to_have_count(1)
    expect(complete_cell(row)).to_have_text(f"0 of {worksheets}")
    expect(last_activity_cell(row)).to_have_text("—")
    expect(sessions_cell(row)).to_have_text("0")

    # José signs in with the link printed on his card and opens their first worksheet.
    jose = new_context().new_page()
    jose.goto(link)
    expect(jose.locator("#code")).to_have_value(code)  # the link fills the code in
    jose.get_by_role("button", name="Sign in").click()
    expect(jose.get_by_text(f"Hello, {MENTEE}")).to_be_visible()
    expect(jose.locator("section.mk-relationship h2")).to_have_text([PAIR])
    jose.locator("a.mk-open", has_text=FIRST_WORKSHEET).click()
    expect(jose).to_have_url(re.compile(r"/getting-to-know-each-other\.ipynb\?relationship=\d+$"))
    wait_loaded(jose)
    expect(jose.get_by_role("banner")).to_contain_text(f"Signed in as {MENTEE}")
    before = dt.datetime.now()
    text_box(jose, "mentee_hopes").fill("Confidence photographing in theatre, and a wider network")
    expect(status(jose)).to_have_text("Unsaved changes")
    expect(status(jose)).to_have_text(re.compile(r"^Saved \d{1,2}:\d{2}$"))
    saved = dt.datetime.now()

    # Fran's dashboard tab catches up by itself: no reload.
    started = worksheet_cell(row, FIRST_WORKSHEET)
    expect(started).to_have_attribute(
        "title", f"{FIRST_WORKSHEET}: In progress", timeout=DASHBOARD_WAIT_MS
    )
    expect(started).to_have_class(re.compile(r"\bprogress\b"))
    expect(last_activity_cell(row)).to_have_text(times_between(before, saved))
    expect(complete_cell(row)).to_have_text(f"0 of {worksheets}")
    expect(row.locator('td.mk-ws-cell[title$=": Not started"]')).to_have_count(worksheets - 1)
    assert board.url.endswith(DASHBOARD)

    # The facilitator's pages are not for José.
    for notebook, hidden in (
        (DASHBOARD, "table, .mk-dash-table, .mk-dash-show"),
        (SETUP, "table, .mk-import-file, .mk-import-summary, .mk-pair-create, .mk-codes-people"),
        (COHORT, "table, .mk-cohort-charts, .mk-cohort-downloads"),
    ):
        jose.goto(page_url(demo, notebook))
        expect(jose.locator(".mk-notice")).to_contain_text(FOR_FACILITATOR)
        expect(jose.locator(hidden)).to_have_count(0)
        expect(jose.get_by_text("Traceback")).to_have_count(0)


def plain_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Spring cohort: list of participants")
    return bytes(pdf.output())


NOT_UTF8 = re.compile(
    r"^old-export\.csv: This file is not UTF-8 text \(it looks like .+; the first character "
    r"that is not UTF-8 is on line 2\)\. In Excel choose File › Save As › CSV UTF-8, then "
    r"import it again\."
)


def test_bad_files_are_refused_plainly(fresh_demo, new_context):
    page = open_setup(sign_in(new_context(), fresh_demo, FACILITATOR), fresh_demo)
    people = pair_options(page)
    expect(people).to_have_count(8)
    confirm = page.locator(".mk-import-confirm")
    expect(confirm).to_be_disabled()
    preview = page.locator(".mk-import-summary")
    refused = page.locator(".mk-message.mk-error")

    # A good file first, so that each bad one must also take its preview away.
    upload(
        page,
        {
            "name": "one-person.csv",
            "mimeType": "text/csv",
            "buffer": b"name,email,role\r\nNina Brandt,nina.brandt@example.org,mentee\r\n",
        },
    )
    expect(preview).to_have_text("1 person is ready to import.")
    expect(confirm).to_be_enabled()

    latin = "name,email,role\r\nJosé Álvarez,jose.alvarez@example.org,mentee\r\n"
    bad_files = [
        (
            {"name": "participants.pdf", "mimeType": "application/pdf", "buffer": plain_pdf()},
            re.compile(
                r"^participants\.pdf: This file looks like a PDF document, not a spreadsheet "
                r"of people\. Save it as CSV \(UTF-8\) or Excel workbook \(\.xlsx\) and import "
                r"it again\.$"
            ),
        ),
        (
            {"name": "old-export.csv", "mimeType": "text/csv", "buffer": latin.encode("cp1252")},
            NOT_UTF8,
        ),
        (
            {
                "name": "names-only.csv",
                "mimeType": "text/csv",
                "buffer": b"name,years of experience,unit\r\nNina Brandt,2,Graphic Design\r\n",
            },
            re.compile(
                r"^names-only\.csv: The file has no email and role columns\. Columns found: "
                r"'name', 'years of experience', 'unit'\. The first row must hold the column "
                r"headings; add the missing columns .*Nothing was imported"
            ),
        ),
    ]
    for file, message in bad_files:
        upload(page, file)
        expect(refused).to_have_text(message)
        expect(preview).to_have_count(0)
        expect(confirm).to_be_disabled()
        expect(page.get_by_text("Traceback")).to_have_count(0)
        expect(page.get_by_text("could not be read")).to_have_count(0)  # not the catch-all
        expect(people).to_have_count(8)

    expect(page.get_by_text(re.compile(r"^Imported \d"))).to_have_count(0)
    expect(page.locator(".mk-new-codes code")).to_have_count(0)
    page.reload()
    expect(people).to_have_count(8)


def test_withdrawn_code_cannot_sign_in(fresh_demo, new_context):
    demo = fresh_demo
    old_code = demo.codes["Ben Hughes"]
    ben_context = new_context()
    ben = sign_in(ben_context, demo, "Ben Hughes")
    fran = open_setup(sign_in(new_context(), demo, FACILITATOR), demo)
    chooser = fran.locator(".mk-codes-people select")

    chooser.select_option(label="Ben Hughes")
    fran.locator(".mk-codes-revoke").click()
    expect(fran.get_by_text("Withdrew 1 code.")).to_be_visible()
    expect(chooser.locator("option", has_text="Ben Hughes")).to_have_text(
        "Ben Hughes (code withdrawn)"
    )

    # Ben's browser is signed out: home sends him to the sign-in page.
    ben.reload()
    expect(ben).to_have_url(re.compile(r"/signin\?next=%2Fvoila%2Frender%2Fhome\.ipynb"))
    expect(ben.locator("#code")).to_be_visible()
    expect(ben.get_by_text("Hello,")).to_have_count(0)

    # His old code is refused.
    stranger = new_context().new_page()
    response = sign_in_with_link(stranger, demo.url, old_code)
    assert response.status == 403
    expect(stranger.get_by_role("alert")).to_contain_text("That access code was not recognised")
    stranger.goto(demo.url + HOME_PATH)
    expect(stranger.locator("#code")).to_be_visible()

    # Fran makes him a new code; it works, and the old one still does not.
    chooser.select_option(label="Ben Hughes (code withdrawn)")
    fran.locator(".mk-codes-renew").click()
    expect(fran.get_by_text("Made 1 new code.")).to_be_visible()
    new_codes = fran.locator(".mk-new-codes")
    expect(new_codes.locator("tbody tr td").first).to_have_text("Ben Hughes")
    new_code = new_codes.locator("code").inner_text()
    assert CODE.match(new_code) and new_code != old_code, new_code
    expect(new_codes.locator("a.mk-cards")).to_have_attribute("download", "access-cards.pdf")
    expect(chooser.locator("option", has_text="Ben Hughes")).to_have_text("Ben Hughes")

    assert sign_in_with_link(stranger, demo.url, old_code).status == 403
    sign_in_with_link(ben, demo.url, new_code)
    expect(ben.get_by_text("Hello, Ben Hughes")).to_be_visible()
    expect(ben).to_have_url(re.compile(re.escape(HOME_PATH) + "$"))
