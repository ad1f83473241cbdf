"""A generic report document and its renderers: Markdown, standalone HTML and PDF.

Exports that are "a title, some headings, paragraphs, lists, tables and charts" (the goals &
action plan, a CPD portfolio, a facilitator cohort report) build a :class:`Report` and hand it to
:func:`render_report`. Every string in the model is unescaped user text; each renderer escapes for
its own format, exactly as the agreement renderers in :mod:`mentorkit.io.documents.render` do, and
shares their helpers and look (colours, DejaVu fonts, A4, "Page X of N" footers).
"""

from __future__ import annotations

import base64
import io
import struct
from collections.abc import Callable
from dataclasses import dataclass

from mentorkit.core.text import escape
from mentorkit.exceptions import ConfigError
from mentorkit.io.documents.render import (
    _CSS,
    MEDIA_TYPES,
    MUTED,
    _html_block,
    _md,
    _md_block,
    _one_line,
    _plain,
    _when,
    a4_document,
)

__all__ = [
    "MEDIA_TYPES",
    "RENDERERS",
    "Block",
    "Bullets",
    "Heading",
    "Image",
    "Paragraph",
    "Report",
    "Table",
    "render_report",
    "to_html",
    "to_markdown",
    "to_pdf",
]

# ---------------------------------------------------------------------------------------------
# Model


@dataclass(frozen=True)
class Heading:
    """A section heading; ``level`` 1 to 3 (values outside are clamped)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """Plain user text; newlines are kept, blank lines start a new paragraph."""

    text: str
    muted: bool = False


@dataclass(frozen=True)
class Bullets:
    """A bulleted list, optionally with a muted note under each item."""

    items: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.notes and len(self.notes) != len(self.items):
            raise ValueError(
                f"Bullets has {len(self.items)} items but {len(self.notes)} notes; "
                "give one note per item (empty string for none) or no notes at all."
            )


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``widths`` are optional relative column weights.

    Rows shorter than the header are padded with empty cells.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        columns = len(self.headers)
        if columns and any(len(row) > columns for row in self.rows):
            raise ValueError(f"A table row has more cells than the {columns} headers.")
        if self.widths and (
            len(self.widths) != self.columns or any(not w > 0 for w in self.widths)
        ):
            raise ValueError(
                f"Table widths need one positive weight per column ({self.columns}), "
                f"got {self.widths!r}."
            )

    @property
    def columns(self) -> int:
        """How many columns the table has."""
        return len(self.headers) or max((len(row) for row in self.rows), default=0)

    def padded_rows(self) -> list[tuple[str, ...]]:
        """The body rows, each padded to the full column count."""
        return [tuple(row) + ("",) * (self.columns - len(row)) for row in self.rows]


@dataclass(frozen=True)
class Image:
    """A picture (typically a chart) as PNG bytes, shown ``width_mm`` wide at most."""

    png: bytes
    alt: str
    width_mm: float = 160

    def __post_init__(self) -> None:
        if _png_size(self.png) is None:
            raise ValueError(f"Image {self.alt!r} needs PNG bytes, which these are not.")
        if not float(self.width_mm) > 0:
            raise ValueError(f"Image width_mm must be positive, got {self.width_mm!r}.")


Block = Heading | Paragraph | Bullets | Table | Image


@dataclass(frozen=True)
class Report:
    """A whole report: title, subtitle lines, content blocks and an optional footer line.

    ``footer`` is a short line such as "Goals & action plan · Zoë & Ελένη": it appears in every
    PDF page footer (the title is used when it is empty) and at the end of Markdown and HTML.
    ``generated_at`` is an ISO timestamp, shown in a friendlier form.
    """

    title: str
    subtitle: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()
    footer: str = ""
    generated_at: str = ""


def _title(report: Report) -> str:
    return _one_line(report.title) or "Report"


def _level(heading: Heading) -> int:
    return min(max(int(heading.level), 1), 3)


def _unknown(block: object) -> TypeError:
    return TypeError(f"Unknown report block: {type(block).__name__}")


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(bytes(png)).decode("ascii")


def _png_size(png: bytes) -> tuple[int, int] | None:
    """Pixel width and height from a PNG header, or None when the bytes are not a PNG."""
    data = bytes(png[:24])
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return (width, height) if width and height else None


# ---------------------------------------------------------------------------------------------
# Markdown


def _md_cell(text: object) -> str:
    """One table cell: a single line with ``|`` and all other markup escaped."""
    return _md(text) or " "


def _md_table(table: Table) -> list[str]:
    if not table.columns:
        return []
    headers = tuple(table.headers) or ("",) * table.columns
    out = [
        "| " + " | ".join(_md_cell(h) for h in headers) + " |",
        "| " + " | ".join("---" for _ in headers) + " |",
    ]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.padded_rows()]
    return [*out, ""]


def to_markdown(report: Report) -> str:
    """The report as readable Markdown (GFM tables, images as data URIs), user text escaped."""
    out: list[str] = [f"# {_md(_title(report))}", ""]
    subtitle = [_md(line) for line in report.subtitle if _one_line(line)]
    if subtitle:
        out += ["\\\n".join(subtitle), ""]

    for block in report.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * _level(block)} {_md(block.text) or '…'}", ""]
        elif isinstance(block, Paragraph):
            text = _md_block(block.text)
            if text:
                if block.muted:
                    text = "\n\n".join(f"*{part}*" for part in text.split("\n\n"))
                out += [text, ""]
        elif isinstance(block, Bullets):
            notes = block.notes or ("",) * len(block.items)
            for item, note in zip(block.items, notes, strict=True):
                line = f"- {_md_block(item, '  ')}"
                if _one_line(note):
                    line += f"  \n  *{_md(note)}*"
                out.append(line)
            if block.items:
                out.append("")
        elif isinstance(block, Table):
            out += _md_table(block)
        elif isinstance(block, Image):
            out += [f"![{_md(block.alt)}]({_data_uri(block.png)})", ""]
        else:
            raise _unknown(block)

    closing = [f"*{_md(report.footer)}*"] if _one_line(report.footer) else []
    if report.generated_at:
        closing.append(f"*Generated {_md(_when(report.generated_at))}*")
    if closing:
        out += ["---", "", "  \n".join(closing), ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# HTML

_REPORT_CSS = (
    _CSS
    + """
h1:not(:first-child) { margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; color: #6b3e1f;
  break-after: avoid; page-break-after: avoid; }
p { overflow-wrap: anywhere; }
.subtitle { margin: 0 0 1rem; color: #5a544c; }
.muted, .note { color: #736b60; }
.note { font-size: .92em; }
.table { overflow-x: auto; margin: .8rem 0 1.2rem; }
table { width: 100%; border-collapse: collapse; font-size: .95em; }
th, td { padding: .35rem .5rem; text-align: left; vertical-align: top;
  border-bottom: 1px solid #eadfcd; overflow-wrap: anywhere; }
th { background: #f3e6d3; color: #6b3e1f; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; max-width: 100%; height: auto; }
@media print { h3 { color: #000; } th { color: #000; } }
""".rstrip()
)


def _html_table(table: Table) -> list[str]:
    if not table.columns:
        return []
    out = ['<div class="table">', "<table>"]
    if table.widths:
        total = sum(float(w) for w in table.widths)
        out.append("<colgroup>")
        out += [f'<col style="width: {100 * float(w) / total:.2f}%">' for w in table.widths]
        out.append("</colgroup>")
    if table.headers:
        cells = "".join(f'<th scope="col">{_html_block(h)}</th>' for h in table.headers)
        out += ["<thead>", f"<tr>{cells}</tr>", "</thead>"]
    out.append("<tbody>")
    for row in table.padded_rows():
        out.append("<tr>" + "".join(f"<td>{_html_block(c)}</td>" for c in row) + "</tr>")
    return [*out, "</tbody>", "</table>", "</div>"]


def to_html(report: Report) -> str:
    """The report as a standalone, print-friendly HTML5 page (no scripts, images inline)."""
    title = escape(_title(report))
    body: list[str] = [f"<h1>{title}</h1>"]
    subtitle = [escape(_one_line(line)) for line in report.subtitle if _one_line(line)]
    if subtitle:
        body.append(f'<p class="subtitle">{"<br>".join(subtitle)}</p>')

    for block in report.blocks:
        if isinstance(block, Heading):
            level = _level(block)
            body.append(f"<h{level}>{escape(_one_line(block.text)) or '…'}</h{level}>")
        elif isinstance(block, Paragraph):
            if _one_line(block.text):
                muted = ' class="muted"' if block.muted else ""
                body.append(f"<p{muted}>{_html_block(block.text)}</p>")
        elif isinstance(block, Bullets):
            if block.items:
                notes = block.notes or ("",) * len(block.items)
                body.append("<ul>")
                for item, note in zip(block.items, notes, strict=True):
                    shown = _html_block(item)
                    if _one_line(note):
                        shown += f'<br>\n<span class="note">{_html_block(note)}</span>'
                    body.append(f"<li>{shown}</li>")
                body.append("</ul>")
        elif isinstance(block, Table):
            body += _html_table(block)
        elif isinstance(block, Image):
            body.append(
                f'<figure><img alt="{escape(_one_line(block.alt))}" '
                f'style="width: {float(block.width_mm):g}mm" src="{_data_uri(block.png)}">'
                "</figure>"
            )
        else:
            raise _unknown(block)

    closing = [escape(_one_line(report.footer))] if _one_line(report.footer) else []
    if report.generated_at:
        closing.append(f"Generated {escape(_when(report.generated_at))}")
    if closing:
        body.append(f'<p class="footer">{"<br>".join(closing)}</p>')

    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{title}</title>",
            f"<style>\n{_REPORT_CSS}\n</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


# ---------------------------------------------------------------------------------------------
# PDF

_INK, _MUTED, _ACCENT, _RULE = (43, 42, 40), MUTED, (107, 62, 31), (234, 223, 205)
_SHADE = (243, 230, 211)
_HEADING_SIZES = {1: 16.0, 2: 13.0, 3: 11.5}
_CELL_LINE, _CELL_PAD = 4.75, (1.2, 1.5)  # table line height; padding (vertical, horizontal)


def to_pdf(report: Report) -> bytes:
    """The report as an A4 PDF: plain-text cells, real tables, embedded images, page numbers."""
    title = _plain(_title(report))
    pdf = a4_document(title, _plain(_one_line(report.footer)) or title)
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace

    def write(text: str, size: float = 10.5, style: str = "", colour=_INK, gap: float = 1.5):
        pdf.set_font("DejaVu", style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(
            0,
            size * 0.5,
            _plain(text),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            markdown=False,
        )
        pdf.ln(gap)

    def image_size(block: Image) -> tuple[float, float]:
        """Width and height in mm, scaled down to fit the page width and height."""
        width = min(float(block.width_mm), pdf.epw)
        pixels = _png_size(block.png) or (1, 1)  # Image checks it is a PNG
        height = width * pixels[1] / pixels[0]
        tallest = pdf.h - pdf.t_margin - pdf.b_margin - 4
        if height > tallest:
            width, height = width * tallest / height, tallest
        return width, height

    def room_for(block: Block | None) -> float:
        """Roughly how much of ``block`` must fit under a heading for it not to be orphaned."""
        if isinstance(block, Image):
            return image_size(block)[1]
        if isinstance(block, Table):
            return 22
        return 16

    def heading(block: Heading, following: Block | None) -> None:
        level = _level(block)
        size = _HEADING_SIZES[level]
        needed = size * 0.5 + 8 + room_for(following)
        if pdf.get_y() > pdf.t_margin + 1 and pdf.will_page_break(min(needed, pdf.eph - 8)):
            pdf.add_page()
        if pdf.get_y() > pdf.t_margin + 1:
            pdf.ln(4 if level < 3 else 2)
        write(_one_line(block.text) or "…", size=size, style="B", colour=_ACCENT, gap=0.5)
        if level < 3:
            pdf.set_draw_color(*_RULE)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
            pdf.ln(3)
        else:
            pdf.ln(1)

    def bullets(block: Bullets) -> None:
        notes = block.notes or ("",) * len(block.items)
        for item, note in zip(block.items, notes, strict=True):
            pdf.set_font("DejaVu", "", 10.5)
            pdf.set_text_color(*_ACCENT)
            pdf.cell(5, 5.25, "•")
            pdf.set_text_color(*_INK)
            pdf.multi_cell(
                0, 5.25, _plain(item), new_x=XPos.LMARGIN, new_y=YPos.NEXT, markdown=False
            )
            if _one_line(note):
                pdf.set_x(pdf.l_margin + 5)
                pdf.set_font("DejaVu", "", 9)
                pdf.set_text_color(*_MUTED)
                pdf.multi_cell(
                    0, 4.5, _plain(note), new_x=XPos.LMARGIN, new_y=YPos.NEXT, markdown=False
                )
            pdf.ln(1.5)
        if block.items:
            pdf.ln(1)

    def table_rows(block: Table) -> list[tuple[str, ...]]:
        """Body rows as plain text; a row too tall for one page continues in further rows."""
        weights = [float(w) for w in block.widths] or [1.0] * block.columns
        widths = [pdf.epw * w / sum(weights) - 2 * _CELL_PAD[1] for w in weights]
        most = max(1, int(pdf.eph * 0.6 / _CELL_LINE))  # lines per row, headings leave room
        rows: list[tuple[str, ...]] = []
        for cells in block.padded_rows():
            texts = [_plain(text) for text in cells]
            lines = [
                pdf.multi_cell(
                    width, _CELL_LINE, text, dry_run=True, output="LINES", markdown=False
                )
                if text
                else []
                for width, text in zip(widths, texts, strict=True)
            ]
            if max(len(cell) for cell in lines) <= most:
                rows.append(tuple(texts))
                continue
            for start in range(0, max(len(cell) for cell in lines), most):
                rows.append(tuple("\n".join(cell[start : start + most]) for cell in lines))
        return rows

    def table(block: Table) -> None:
        if not block.columns:
            return
        pdf.set_font("DejaVu", "", 9.5)
        pdf.set_text_color(*_INK)
        pdf.set_draw_color(*_RULE)
        pdf.set_x(pdf.l_margin)
        with pdf.table(
            width=pdf.epw,
            col_widths=tuple(float(w) for w in block.widths) or None,
            first_row_as_headings=bool(block.headers),
            headings_style=FontFace(emphasis="BOLD", color=_ACCENT, fill_color=_SHADE),
            borders_layout="HORIZONTAL_LINES",
            line_height=_CELL_LINE,
            padding=_CELL_PAD,
            text_align="LEFT",
            v_align="TOP",
            markdown=False,
        ) as grid:
            if block.headers:
                row = grid.row()
                for text in block.headers:
                    row.cell(_plain(text))
            for cells in table_rows(block):
                row = grid.row()
                for text in cells:
                    row.cell(text)
        pdf.set_x(pdf.l_margin)
        pdf.ln(4)

    def picture(block: Image) -> None:
        width, height = image_size(block)
        if pdf.will_page_break(height):
            pdf.add_page()
        x = pdf.l_margin + (pdf.epw - width) / 2
        pdf.image(
            io.BytesIO(bytes(block.png)),
            x=x,
            w=width,
            h=height,
            alt_text=_plain(_one_line(block.alt)) or None,
        )
        pdf.set_x(pdf.l_margin)
        pdf.ln(4)

    write(title, size=20, style="B", colour=_ACCENT, gap=1)
    for line in report.subtitle:
        if _one_line(line):
            write(_one_line(line), colour=_MUTED, gap=0.5)
    pdf.ln(2)

    blocks = tuple(report.blocks)
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            heading(block, blocks[index + 1] if index + 1 < len(blocks) else None)
        elif isinstance(block, Paragraph):
            if _one_line(block.text):
                write(block.text, colour=_MUTED if block.muted else _INK, gap=3)
        elif isinstance(block, Bullets):
            bullets(block)
        elif isinstance(block, Table):
            table(block)
        elif isinstance(block, Image):
            picture(block)
        else:
            raise _unknown(block)

    if report.generated_at:
        pdf.ln(4)
        write(f"Generated {_when(report.generated_at)}", size=9, colour=_MUTED)

    return bytes(pdf.output())


# ---------------------------------------------------------------------------------------------
# By format name

RENDERERS: dict[str, Callable[[Report], str | bytes]] = {
    "md": to_markdown,
    "html": to_html,
    "pdf": to_pdf,
}


def render_report(report: Report, fmt: str) -> bytes:
    """The report in format ``fmt`` ("md", "html" or "pdf") as bytes (text is UTF-8).

    The matching media type is ``MEDIA_TYPES[fmt]``.
    """
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise ConfigError(
            f"Unknown export format {fmt!r}. Choose one of: {', '.join(sorted(RENDERERS))}."
        )
    result = renderer(report)
    return result.encode("utf-8") if isinstance(result, str) else result
