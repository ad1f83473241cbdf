"""The facilitator's set-up page, drawn headlessly: import with a preview, pair, codes."""

from __future__ import annotations

import base64
import io
import re
from datetime import datetime, timezone

from pages import sign_in_as, text_of
from pypdf import PdfReader

from mentorkit.core import access
from mentorkit.core.store import Store
from mentorkit.ui.apps import setup_app


def csv_of(rows: list[str]) -> bytes:
    return ("name,email,role,years of experience,unit,Site\n" + "\n".join(rows) + "\n").encode()


def upload(panel, name: str, data: bytes) -> None:
    panel.upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime.now(timezone.utc),
        },
    )


def panels(monkeypatch, demo):
    sign_in_as(monkeypatch, demo, "Fran Fletcher")
    box = setup_app().children[-1]
    return box, box.panels


def test_a_pair_cannot_open_set_up(demo, monkeypatch):
    sign_in_as(monkeypatch, demo, "Ben Hughes")
    assert "This page is for the programme's facilitator" in text_of(setup_app())


def test_import_shows_bad_rows_then_imports_only_the_good_ones(demo, monkeypatch, tmp_path):
    box, (importer, pairs, codes, cards) = panels(monkeypatch, demo)
    rows = [
        f"Person {i},p{i}@example.org,{'mentor' if i % 3 == 0 else 'mentee'},{i % 9},Unit {i},North"
        for i in range(28)
    ]
    rows.insert(5, "Bad Email,not-an-email,mentee,2,Lab,North")
    rows.insert(9, "Twice,p1@example.org,mentor,5,Lab,North")
    upload(importer, "people.csv", csv_of(rows))
    page = text_of(box)
    assert "28 people are ready to import" in page
    assert "Row 7" in page and "not an email address" in page
    assert "Row 11" in page and "p1@example.org" in page
    assert importer.confirm.description == "Import 28 people" and not importer.confirm.disabled
    store = Store(tmp_path / "mentorkit.sqlite3")
    before = len(store.people(1))
    assert len(store.people(1)) == before  # nothing before confirming
    importer.confirm.click()
    assert len(store.people(1)) == before + 28
    assert "Imported 28 people from people.csv" in text_of(box)
    link = re.search(r'href="data:application/pdf;base64,([^"]+)"', cards.widget.value).group(1)
    pdf = PdfReader(io.BytesIO(base64.b64decode(link)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Person 0" in text and len(pdf.pages) == 4  # 28 cards, 8 a page
    code = re.search(r"<code>([0-9A-Z-]{14})</code>", cards.widget.value).group(1)
    assert access.sign_in(store, code).name == "Person 0"
    person = next(p for p in store.people(1) if p.name == "Person 4")
    assert store.person_details(person.id)["extra"] == {"Site": "North"}
    # Importing the same file again adds nobody: every email is already there.
    upload(importer, "people.csv", csv_of(rows))
    assert importer.confirm.disabled and "No one is ready to import yet" in text_of(box)
    store.close()


def test_a_file_that_is_not_a_spreadsheet_is_refused_plainly(demo, monkeypatch):
    box, (importer, *_rest) = panels(monkeypatch, demo)
    upload(importer, "people.pdf", b"%PDF-1.4 not a spreadsheet")
    assert "CSV (UTF-8) or Excel workbook" in text_of(box)
    assert importer.confirm.disabled


def test_pairing_checks_choices_and_creates_relationships(demo, monkeypatch, tmp_path):
    box, (importer, pairs, codes, cards) = panels(monkeypatch, demo)
    upload(
        importer,
        "p.csv",
        csv_of(
            [
                "Ada,ada@example.org,mentor,9,A,N",
                "Bo,bo@example.org,mentee,1,A,N",
                "Cy,cy@example.org,mentee,1,A,N",
            ]
        ),
    )
    importer.confirm.click()
    ids = {label.split(" (")[0]: pid for label, pid in pairs.others.options}
    pairs.create()
    assert "Choose the mentor" in pairs.message.value
    pairs.mentor.value = ids["Ada"]
    pairs.others.value = (ids["Bo"], ids["Cy"])
    pairs.create()
    assert "Choose one mentee" in pairs.message.value
    pairs.others.value = (ids["Ada"],)
    pairs.create()
    assert "cannot also be their own mentee" in pairs.message.value
    pairs.others.value = (ids["Bo"],)
    pairs.create()
    assert (
        "Created: Ada &amp; Bo" in pairs.message.value or "Created: Ada & Bo" in pairs.message.value
    )
    store = Store(tmp_path / "mentorkit.sqlite3")
    made = store.relationships(1)[-1]
    assert [(m.name, m.role) for m in made.members] == [("Ada", "mentor"), ("Bo", "mentee")]
    store.close()


def test_codes_can_be_withdrawn_and_made_again(demo, monkeypatch, tmp_path):
    box, (importer, pairs, codes, cards) = panels(monkeypatch, demo)
    ben = next(pid for label, pid in codes.people.options if label.startswith("Ben Hughes"))
    codes.people.value = (ben,)
    codes.revoke()
    assert "Withdrew 1 code" in codes.message.value
    store = Store(tmp_path / "mentorkit.sqlite3")
    assert not store.person(ben).code_active
    codes.people.value = (ben,)
    codes.renew()
    fresh = re.search(r"<code>([0-9A-Z-]{14})</code>", cards.widget.value).group(1)
    assert access.sign_in(store, fresh).id == ben
    assert "Ben Hughes" in text_of(cards.widget)
    store.close()


def test_the_set_up_page_offers_no_backup(demo, monkeypatch):
    """A backup holds everyone's private answers: only the operator makes one, on the
    machine (``mentorkit backup``), never through a page."""
    box, _ = panels(monkeypatch, demo)

    def tree(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from tree(child)

    widgets = list(tree(box))
    assert not any("mk-backup" in getattr(w, "_dom_classes", ()) for w in widgets)
    labels = [getattr(w, "description", "") for w in widgets if hasattr(w, "on_click")]
    assert labels and not any("backup" in label.lower() for label in labels)
    page = text_of(box).lower()
    assert "backup" not in page and ".zip" not in page and "data:application/zip" not in page
