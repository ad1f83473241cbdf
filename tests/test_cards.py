"""Printed access cards: eight to a page, every card's name, code, link and QR code readable."""

from __future__ import annotations

import io
import re

import pytest
import segno
from pypdf import PdfReader

from mentorkit.io.documents import cards as cards_module
from mentorkit.io.documents.cards import INSTRUCTION, Card, code_cards_pdf
from mentorkit.io.documents.render import document_fonts

PROGRAMME = "Spring cohort 2025"
NAMES = [
    "Fran Fletcher",
    "Ελένη Παπαδοπούλου",
    "Дмитрий Иванов",
    "Zoë Brontë-Åkesson",
    "Sam Okafor",
    "Priya Raman",
    "José Núñez",
    "Kim Lee",
    "Ninth Person",
]
CODES = [
    "K7QM-4XRT-9B2H",
    "A1B2-C3D4-E5F6",
    "G7H8-J9K0-M1N2",
    "P3Q4-R5S6-T7V8",
    "W9X0-Y1Z2-A3B4",
    "C5D6-E7F8-G9H0",
    "J1K2-M3N4-P5Q6",
    "R7S8-T9V0-W1X2",
    "Y3Z4-A5B6-C7D8",
]
ROLES = ["Facilitator"] + ["Mentor", "Mentee"] * 4


def make_cards(names=NAMES) -> list[Card]:
    return [
        Card(name, role, code, f"http://192.168.1.20:8866/signin?code={code}")
        for name, role, code in zip(names, ROLES[: len(names)], CODES[: len(names)], strict=True)
    ]


def squash(text: str) -> str:
    """Text without any whitespace, so that wrapped lines compare equal to the original."""
    return re.sub(r"\s+", "", text)


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


@pytest.fixture(scope="module")
def nine() -> tuple[list[Card], PdfReader]:
    cards = make_cards()
    return cards, read(code_cards_pdf(cards, PROGRAMME))


def test_nine_cards_make_two_pages_of_eight_and_one(nine):
    cards, reader = nine
    assert len(reader.pages) == 2
    for page, on_page, elsewhere in (
        (reader.pages[0], cards[:8], cards[8:]),
        (reader.pages[1], cards[8:], cards[:8]),
    ):
        text = squash(page.extract_text())
        for card in on_page:
            assert squash(card.name) in text
            assert card.code in text
            assert squash(card.link) in text
            assert squash(card.role) in text
        for card in elsewhere:
            assert squash(card.name) not in text
            assert card.code not in text
        assert text.count(squash(PROGRAMME)) == len(on_page)
        assert text.count(squash(INSTRUCTION)) == len(on_page)


def test_cards_keep_the_given_order(nine):
    cards, reader = nine
    text = squash(reader.pages[0].extract_text())
    positions = [text.index(card.code) for card in cards[:8]]
    assert positions == sorted(positions)


def test_greek_and_cyrillic_names_survive(nine):
    _, reader = nine
    text = reader.pages[0].extract_text()
    for name in ("Ελένη Παπαδοπούλου", "Дмитрий Иванов", "Zoë Brontë-Åkesson", "José Núñez"):
        assert squash(name) in squash(text)


def test_metadata_title_names_the_programme(nine):
    _, reader = nine
    assert reader.metadata.title == f"Access cards — {PROGRAMME}"


def test_each_page_has_one_image_per_card(nine):
    _, reader = nine
    assert [len(page.images) for page in reader.pages] == [8, 1]


def _decoder():
    """A QR decoder from the installed packages, or None."""
    try:
        import zxingcpp

        return lambda image: [r.text for r in zxingcpp.read_barcodes(image)]
    except ImportError:
        pass
    try:
        from pyzbar import pyzbar

        return lambda image: [r.data.decode() for r in pyzbar.decode(image)]
    except ImportError:
        return None


def _modules(image, size: int) -> tuple[tuple[bool, ...], ...]:
    """Read a rendered QR image back into its matrix of dark modules."""
    grey = image.convert("L")
    scale, border = cards_module.QR_SCALE, cards_module.QR_BORDER
    return tuple(
        tuple(
            grey.getpixel(
                ((border + col) * scale + scale // 2, (border + row) * scale + scale // 2)
            )
            < 128
            for col in range(size)
        )
        for row in range(size)
    )


def test_qr_codes_hold_the_links(nine):
    cards, reader = nine
    decode = _decoder()
    for page, on_page in ((reader.pages[0], cards[:8]), (reader.pages[1], cards[8:])):
        images = [image.image for image in page.images]
        assert len(images) == len(on_page)
        if decode is not None:
            found = sorted(text for image in images for text in decode(image.convert("L")))
            assert found == sorted(card.link for card in on_page)
            continue
        # No decoder installed: compare the printed modules with segno's own matrix.
        expected = []
        for card in on_page:
            qr = segno.make(card.link, error="m", micro=False)
            assert not qr.is_micro
            expected.append(tuple(tuple(bool(m) for m in row) for row in qr.matrix))
            size = qr.symbol_size(scale=cards_module.QR_SCALE, border=cards_module.QR_BORDER)
            assert size in [image.size for image in images]
        rendered = [_modules(image, len(expected[0])) for image in images]
        assert sorted(rendered) == sorted(expected)


def test_qr_png_is_the_links_matrix():
    link = "http://192.168.1.20:8866/signin?code=K7QM-4XRT-9B2H"
    from PIL import Image

    image = Image.open(io.BytesIO(cards_module.qr_png(link)))
    qr = segno.make(link, error="m", micro=False)
    assert image.size == qr.symbol_size(scale=cards_module.QR_SCALE, border=cards_module.QR_BORDER)
    assert _modules(image, len(qr.matrix)) == tuple(
        tuple(bool(m) for m in row) for row in qr.matrix
    )
    other = segno.make(link.replace("K7QM", "K7QN"), error="m", micro=False)
    assert _modules(image, len(other.matrix)) != tuple(
        tuple(bool(m) for m in row) for row in other.matrix
    )


def _fragments(page) -> list[tuple[str, float, float, float]]:
    """Each piece of text on the page with its start (x, y) in mm from the top left, and size."""
    found = []
    height = float(page.mediabox.height)

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            found.append((text, x / 72 * 25.4, (height - y) / 72 * 25.4, size))

    page.extract_text(visitor_text=visit)
    return found


def _name_lines_on_first_card(page, name: str) -> list[str]:
    """The name's lines on the first card, checked to lie beside the QR code and above the code."""
    from fpdf import FPDF

    fragments = _fragments(page)
    code_y = next(y for text, _, y, _ in fragments if text.strip() == CODES[0])
    left = cards_module.MARGIN + cards_module.PAD_X
    qr_left = cards_module.MARGIN + cards_module.CARD_W - cards_module.PAD_X - 32
    measure = FPDF(unit="mm")
    measure.add_font("DejaVu", "B", str(document_fonts()[1]))
    pieces = [f for f in fragments if f[0].strip() and f[0].strip().rstrip("…") in name]
    assert pieces
    for text, x, y, size in pieces:
        measure.set_font("DejaVu", "B", size)
        assert left - 0.01 <= x and x + measure.get_string_width(text) <= qr_left
        assert cards_module.MARGIN < y < code_y
    return [text for text, *_ in pieces]


@pytest.mark.parametrize(
    "long_name",
    [
        " ".join(["Maximiliana Konstantinopoulou-Papadimitriou"] * 2)[:80],
        "W" * 80,
        "Александра Константиновна Ростовцева-Пожарская Ελένη Παπαδοπούλου Zoë Brontë-Åke",
    ],
    ids=["words", "one-word", "cyrillic-greek"],
)
def test_very_long_names_stay_on_their_card(long_name):
    assert len(long_name) == 80
    cards = make_cards([long_name, *NAMES[4:6]])
    page = read(code_cards_pdf(cards, PROGRAMME)).pages[0]
    assert squash(long_name) in squash(page.extract_text())
    assert squash("".join(_name_lines_on_first_card(page, long_name))) == squash(long_name)


def test_names_too_long_for_any_size_are_cut_short():
    name = "Wolfgang Amadeus " * 30
    cards = make_cards([name, *NAMES[4:6]])
    page = read(code_cards_pdf(cards, PROGRAMME)).pages[0]
    lines = _name_lines_on_first_card(page, name)
    assert lines[-1].endswith("…")
    assert len(squash("".join(lines))) < len(squash(name))
    text = squash(page.extract_text())
    assert cards[0].code in text and squash(cards[0].link) in text
    assert text.count(squash(INSTRUCTION)) == 3


def test_user_text_prints_as_plain_text():
    cards = [
        Card("Jo **bold** <b>x</b>", "Mentor [x](y)", "K7QM-4XRT-9B2H", "http://h/signin?code=K"),
        Card("Tab\there\x07bell", "Mentee", "A1B2-C3D4-E5F6", "http://h/signin?code=A"),
    ]
    text = read(code_cards_pdf(cards, "<i>P</i>")).pages[0].extract_text()
    for shown in ("Jo **bold** <b>x</b>", "Mentor [x](y)", "<i>P</i>", "Tab    herebell"):
        assert squash(shown) in squash(text)
    assert "\x07" not in text


def test_relationships_print_on_their_cards():
    cards = make_cards()[:3]
    relationships = {cards[1].code: "Ελένη & Дмитрий", cards[2].name: "Leadership circle"}
    page = read(code_cards_pdf(cards, PROGRAMME, relationships)).pages[0]
    text = squash(page.extract_text())
    assert squash("Ελένη & Дмитрий") in text
    assert squash("Leadership circle") in text
    # Each sits on its own card: its line starts in the card's row and column.
    where = {t.strip(): (x, y) for t, x, y, _ in _fragments(page)}
    right = cards_module.MARGIN + cards_module.CARD_W
    assert where["Ελένη & Дмитрий"][0] > right  # second card: right column, first row
    assert where["Ελένη & Дмитрий"][1] < cards_module.MARGIN + cards_module.CARD_H
    assert where["Leadership circle"][0] < right  # third card: left column, second row
    assert where["Leadership circle"][1] > cards_module.MARGIN + cards_module.CARD_H


def test_no_cards_is_an_error():
    with pytest.raises(ValueError, match="There are no people to print cards for."):
        code_cards_pdf([], PROGRAMME)
