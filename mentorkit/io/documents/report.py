"""A generic report document and its renderers: Markdown, standalone HTML and PDF.

Exports that are "a title, some headings, paragraphs, lists, tables and charts" (the goals &
action plan, a CPD portfolio, a facilitator cohort report) build a :class:`Report` and hand it to
:func:`render_report`. Every string in the model is unescaped user text; each renderer escapes for
its own format, exactly as the agreement renderers in :mod:`mentorkit.io.documents.render` do, and
shares their helpers and look (colours, DejaVu fonts, A4, "Page X of N" footers)."""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass

from mentorkit.core.text import escape
from mentorkit.io.documents.render import (
    DOCUMENT_CSS,
    MEDIA_TYPES,
    html_block,
    md_block,
    md_escape,
    one_line,
    when_text,
)

__all__ = [
    "MEDIA_TYPES",
    "Block",
    "Bullets",
    "Heading",
    "Image",
    "Paragraph",
    "Report",
    "Table",
    "to_html",
    "to_markdown",
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
        if png_size(self.png) is None:
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


def report_title(report: Report) -> str:
    return one_line(report.title) or "Report"


def heading_level(heading: Heading) -> int:
    return min(max(int(heading.level), 1), 3)


def unknown_block(block: object) -> TypeError:
    return TypeError(f"Unknown report block: {type(block).__name__}")


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(bytes(png)).decode("ascii")


def png_size(png: bytes) -> tuple[int, int] | None:
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
    return md_escape(text) or " "


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
    out: list[str] = [f"# {md_escape(report_title(report))}", ""]
    subtitle = [md_escape(line) for line in report.subtitle if one_line(line)]
    if subtitle:
        out += ["\\\n".join(subtitle), ""]

    for block in report.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * heading_level(block)} {md_escape(block.text) or '…'}", ""]
        elif isinstance(block, Paragraph):
            text = md_block(block.text)
            if text:
                if block.muted:
                    text = "\n\n".join(f"*{part}*" for part in text.split("\n\n"))
                out += [text, ""]
        elif isinstance(block, Bullets):
            notes = block.notes or ("",) * len(block.items)
            for item, note in zip(block.items, notes, strict=True):
                line = f"- {md_block(item, '  ')}"
                if one_line(note):
                    line += f"  \n  *{md_escape(note)}*"
                out.append(line)
            if block.items:
                out.append("")
        elif isinstance(block, Table):
            out += _md_table(block)
        elif isinstance(block, Image):
            out += [f"![{md_escape(block.alt)}]({_data_uri(block.png)})", ""]
        else:
            raise unknown_block(block)

    closing = [f"*{md_escape(report.footer)}*"] if one_line(report.footer) else []
    if report.generated_at:
        closing.append(f"*Generated {md_escape(when_text(report.generated_at))}*")
    if closing:
        out += ["---", "", "  \n".join(closing), ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# HTML

_REPORT_CSS = (
    DOCUMENT_CSS
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
        cells = "".join(f'<th scope="col">{html_block(h)}</th>' for h in table.headers)
        out += ["<thead>", f"<tr>{cells}</tr>", "</thead>"]
    out.append("<tbody>")
    for row in table.padded_rows():
        out.append("<tr>" + "".join(f"<td>{html_block(c)}</td>" for c in row) + "</tr>")
    return [*out, "</tbody>", "</table>", "</div>"]


def to_html(report: Report) -> str:
    """The report as a standalone, print-friendly HTML5 page (no scripts, images inline)."""
    title = escape(report_title(report))
    body: list[str] = [f"<h1>{title}</h1>"]
    subtitle = [escape(one_line(line)) for line in report.subtitle if one_line(line)]
    if subtitle:
        body.append(f'<p class="subtitle">{"<br>".join(subtitle)}</p>')

    for block in report.blocks:
        if isinstance(block, Heading):
            level = heading_level(block)
            body.append(f"<h{level}>{escape(one_line(block.text)) or '…'}</h{level}>")
        elif isinstance(block, Paragraph):
            if one_line(block.text):
                muted = ' class="muted"' if block.muted else ""
                body.append(f"<p{muted}>{html_block(block.text)}</p>")
        elif isinstance(block, Bullets):
            if block.items:
                notes = block.notes or ("",) * len(block.items)
                body.append("<ul>")
                for item, note in zip(block.items, notes, strict=True):
                    shown = html_block(item)
                    if one_line(note):
                        shown += f'<br>\n<span class="note">{html_block(note)}</span>'
                    body.append(f"<li>{shown}</li>")
                body.append("</ul>")
        elif isinstance(block, Table):
            body += _html_table(block)
        elif isinstance(block, Image):
            body.append(
                f'<figure><img alt="{escape(one_line(block.alt))}" '
                f'style="width: {float(block.width_mm):g}mm" src="{_data_uri(block.png)}">'
                "</figure>"
            )
        else:
            raise unknown_block(block)

    closing = [escape(one_line(report.footer))] if one_line(report.footer) else []
    if report.generated_at:
        closing.append(f"Generated {escape(when_text(report.generated_at))}")
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
