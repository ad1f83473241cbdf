"""Printable access cards: one card per person, eight to an A4 page, for handing out in the room.

Each card shows the programme, the person's name and role (and relationship, when known), a QR
code of their sign-in link, the access code in a large monospace font so it can be typed, and the
link itself. All user text is written as plain text cells, so nothing in it becomes markup.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mentorkit.exceptions import ConfigError
from mentorkit.io.documents.render import document_fonts, one_line, plain

INSTRUCTION = (
    "Scan the code or open the link, then keep this card: it is your key to your worksheets."
)

# Page and card geometry, in millimetres (A4 portrait, 2 columns x 4 rows).
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 8.0
COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS
CARD_W = (PAGE_W - 2 * MARGIN) / COLUMNS
CARD_H = (PAGE_H - 2 * MARGIN) / ROWS
PAD_X, PAD_Y = 5.0, 4.5
QR_SIZE = 32.0
QR_SCALE = 10
"""Pixels per QR module in the embedded PNG."""
QR_BORDER = 4
"""Quiet zone around the QR code, in modules (part of the PNG)."""

INK, MUTED, ACCENT, RULE = (43, 42, 40), (115, 107, 96), (107, 62, 31), (205, 196, 182)
ELLIPSIS = "…"
_PIECES = re.compile(r"[^-]*-+|[^-]+")
"""A word's pieces: a line may break after a hyphen."""


@dataclass(frozen=True)
class Card:
    """One person's access card."""

    name: str
    role: str
    code: str
    link: str


def _mono_font(regular: Path) -> Path:
    """DejaVu Sans Mono, from the same matplotlib folder as DejaVu Sans."""
    mono = regular.parent / "DejaVuSansMono.ttf"
    if not mono.is_file():
        raise ConfigError(
            f"Access cards need the DejaVu Sans Mono font, not found in {regular.parent}. "
            "Reinstall matplotlib: pip install --force-reinstall matplotlib"
        )
    return mono


def qr_png(link: str) -> bytes:
    """The QR code of ``link`` (error level M) as a PNG, rendered in memory."""
    import segno

    try:
        qr = segno.make(link, error="m", micro=False)
    except segno.DataOverflowError as error:
        raise ValueError(f"This sign-in link is too long for a QR code: {link[:60]}…") from error
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return buf.getvalue()


def code_cards_pdf(
    cards: Sequence[Card],
    programme: str,
    relationship_of: Mapping[str, str] | None = None,
) -> bytes:
    """Access cards as an A4 PDF, eight per page, in the given order.

    ``relationship_of`` optionally gives the relationship to print on a card, keyed by the card's
    code or, failing that, by the person's name.
    """
    if not cards:
        raise ValueError("There are no people to print cards for.")
    try:
        from fpdf import FPDF
    except ImportError as error:
        raise ConfigError("PDF export needs fpdf2: pip install fpdf2") from error

    regular, bold = document_fonts()
    mono = _mono_font(regular)
    programme_name = plain(one_line(programme))
    relationship_of = relationship_of or {}

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.add_font("DejaVuMono", "", str(mono))
    pdf.set_title(f"Access cards — {programme_name}")
    pdf.set_creator("mentorkit")

    def wrap(text: str, width: float) -> tuple[list[str], bool]:
        """The lines ``text`` wraps to at the current font in ``width``, breaking at spaces and
        after hyphens; and whether a word had to be split elsewhere because it was too wide."""
        lines: list[str] = []
        current, split = "", False
        for word in text.split(" "):
            for i, piece in enumerate(_PIECES.findall(word) or [word]):
                candidate = f"{current} {piece}" if current and i == 0 else current + piece
                if pdf.get_string_width(candidate) <= width:
                    current = candidate
                    continue
                if current:
                    lines.append(current)
                while len(piece) > 1 and pdf.get_string_width(piece) > width:
                    cut = 1
                    while pdf.get_string_width(piece[: cut + 1]) <= width:
                        cut += 1
                    lines.append(piece[:cut])
                    piece, split = piece[cut:], True
                current = piece
        if current:
            lines.append(current)
        return lines, split

    def shorten(line: str, width: float) -> str:
        """``line`` cut with an ellipsis so that it fits ``width``."""
        while line and pdf.get_string_width(line + ELLIPSIS) > width:
            line = line[:-1]
        return line.rstrip() + ELLIPSIS

    def fit(
        text: str,
        width: float,
        height: float,
        family: str,
        style: str,
        sizes: Sequence[float],
        leading: float = 1.2,
    ) -> tuple[float, float, list[str]]:
        """The largest size (and its line height and lines) at which ``text`` fits the box.

        Words are only split across lines at the smallest size; if even that does not fit,
        the text is cut with an ellipsis rather than run out of the box.
        """
        for size in sizes:
            pdf.set_font(family, style, size)
            line_h = size * 0.3528 * leading
            lines, split = wrap(text, width)
            if len(lines) * line_h <= height and (size == sizes[-1] or not split):
                return size, line_h, lines
        size = sizes[-1]
        pdf.set_font(family, style, size)
        line_h = size * 0.3528 * leading
        keep = max(1, int(height // line_h))
        lines, _ = wrap(text, width)
        if len(lines) > keep:
            lines = lines[: keep - 1] + [shorten(lines[keep - 1], width)]
        return size, line_h, lines

    def put(lines: list[str], x: float, y: float, width: float, line_h: float, align="L"):
        for i, line in enumerate(lines):
            pdf.set_xy(x, y + i * line_h)
            pdf.cell(width, line_h, line, align=align, markdown=False)

    def cut_lines() -> None:
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.set_dash_pattern(dash=1.5, gap=1.5)
        for col in range(COLUMNS + 1):
            x = MARGIN + col * CARD_W
            pdf.line(x, MARGIN, x, PAGE_H - MARGIN)
        for row in range(ROWS + 1):
            y = MARGIN + row * CARD_H
            pdf.line(MARGIN, y, PAGE_W - MARGIN, y)
        pdf.set_dash_pattern()

    def card(item: Card, left: float, top: float) -> None:
        x, y = left + PAD_X, top + PAD_Y
        inner_w, inner_h = CARD_W - 2 * PAD_X, CARD_H - 2 * PAD_Y
        bottom = y + inner_h

        # Programme, small and muted, on one line.
        pdf.set_text_color(*MUTED)
        size, line_h, lines = fit(programme_name, inner_w, 3.4, "DejaVu", "", (7.5, 7, 6.5, 6))
        put(lines, x, y, inner_w, line_h)

        # The QR code on the right; name, role and relationship beside it.
        row_top = y + 5.0
        qr_x = x + inner_w - QR_SIZE
        pdf.image(io.BytesIO(qr_png(item.link)), x=qr_x, y=row_top, w=QR_SIZE, h=QR_SIZE)
        text_w = qr_x - x - 3.0

        role = plain(one_line(item.role))
        relation = relationship_of.get(item.code, relationship_of.get(item.name, ""))
        relation = plain(one_line(relation))
        role_h = 5.0 if role else 0.0
        pdf.set_font("DejaVu", "", 8)
        relation_h = min(2, len(wrap(relation, text_w)[0])) * 3.4 if relation else 0.0

        name = plain(one_line(item.name)) or "—"
        name_box = QR_SIZE - role_h - relation_h - 1.0
        pdf.set_text_color(*INK)
        size, line_h, lines = fit(
            name, text_w, name_box, "DejaVu", "B", (18, 16, 14, 13, 12, 11, 10, 9, 8, 7), 1.15
        )
        put(lines, x, row_top + 1.0, text_w, line_h)
        below = row_top + 1.0 + len(lines) * line_h + 1.0

        if role:
            pdf.set_text_color(*ACCENT)
            size, line_h, lines = fit(role, text_w, role_h, "DejaVu", "B", (10.5, 9.5, 8.5, 7.5))
            put(lines, x, below, text_w, line_h)
            below += role_h
        if relation:
            pdf.set_text_color(*MUTED)
            size, line_h, lines = fit(relation, text_w, relation_h, "DejaVu", "", (8, 7.5, 7))
            put(lines, x, below, text_w, line_h)

        # The instruction sits at the bottom; the code and the link stack above it.
        pdf.set_text_color(*MUTED)
        size, line_h, lines = fit(INSTRUCTION, inner_w, 6.4, "DejaVu", "", (7, 6.5, 6, 5.5))
        instruction_top = bottom - len(lines) * line_h
        put(lines, x, instruction_top, inner_w, line_h)

        code_top = row_top + QR_SIZE + 1.5
        code = plain(one_line(item.code))
        pdf.set_text_color(*INK)
        size, line_h, lines = fit(
            code, inner_w, 8.0, "DejaVuMono", "", (18, 16, 14, 12, 10, 9, 8), 1.1
        )
        put(lines, x, code_top, inner_w, line_h, align="C")
        link_top = code_top + len(lines) * line_h + 0.8

        link = plain(one_line(item.link))
        pdf.set_text_color(*MUTED)
        size, line_h, lines = fit(
            link, inner_w, instruction_top - 0.8 - link_top, "DejaVu", "", (7, 6.5, 6, 5.5, 5)
        )
        put(lines, x, link_top, inner_w, line_h, align="C")

    for index, item in enumerate(cards):
        slot = index % PER_PAGE
        if slot == 0:
            pdf.add_page()
            cut_lines()
        column, row = slot % COLUMNS, slot // COLUMNS
        card(item, MARGIN + column * CARD_W, MARGIN + row * CARD_H)

    return bytes(pdf.output())
