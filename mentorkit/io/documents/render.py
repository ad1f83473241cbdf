"""Renderers for the mentoring agreement: Markdown, standalone HTML and PDF.

Each takes an :class:`AgreementDocument` (unescaped user text) and escapes for its own format:
Markdown punctuation is backslash-escaped, HTML goes through :func:`mentorkit.core.text.escape`, and
the PDF writes plain text cells, so user text never turns into markup anywhere.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from mentorkit.core.dates import date_words
from mentorkit.core.text import escape
from mentorkit.exceptions import ConfigError
from mentorkit.programme.agreement_document import AgreementDocument

# ---------------------------------------------------------------------------------------------
# Shared helpers


def one_line(text: object) -> str:
    """Collapse all whitespace (newlines included) to single spaces."""
    return " ".join(str(text or "").split())


def _lines(text: object) -> list[str]:
    """Split text into lines with normalised line endings and no surrounding blank lines."""
    return str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")


def when_text(value: str) -> str:
    """A friendlier form of an ISO date ("Tue 2 March 2027") or timestamp ("2 March 2027,
    14:05 UTC"); anything else is returned unchanged."""
    value = (value or "").strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if len(value) <= 10:
        return date_words(moment.date())
    shown = f"{moment.day} {moment:%B %Y, %H:%M}"
    offset = moment.utcoffset()
    if offset is None:
        return shown
    return f"{shown} UTC" if not offset else f"{shown} (UTC{moment:%z})"


def _and(names: list[str]) -> str:
    """Join names as prose: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _reworded(text: str, shared: str | None) -> bool:
    return bool(shared) and one_line(shared) != one_line(text)


# ---------------------------------------------------------------------------------------------
# Markdown

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~=$])")


def md_escape(text: object) -> str:
    """Escape one line of user text so that no Markdown or HTML in it takes effect."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def md_block(text: object, indent: str = "") -> str:
    """Escape multi-line user text: lines become hard breaks, blank lines new paragraphs.

    ``indent`` is put before every continuation line so the text stays inside a list item.
    """
    paragraphs: list[list[str]] = [[]]
    for line in _lines(text):
        if line.strip():
            paragraphs[-1].append(md_escape(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    return f"\n\n{indent}".join(f"\\\n{indent}".join(p) for p in paragraphs if p)


def to_markdown(doc: AgreementDocument) -> str:
    """The agreement as readable Markdown, with all user text escaped."""
    out: list[str] = [f"# {md_escape(doc.title) or 'Mentoring agreement'}", ""]
    facts = [
        ("Programme", doc.programme),
        ("Relationship", doc.relationship),
        ("Model", doc.model),
    ]
    out += [f"**{label}:** {md_escape(value)}  " for label, value in facts if one_line(value)]
    out += [f"**Version {doc.version}**", ""]

    if doc.members:
        out += ["## People", ""]
        out += [
            f"- {md_escape(name)} ({md_escape(role)})" if role else f"- {md_escape(name)}"
            for name, role in doc.members
        ]
        out.append("")

    for section in doc.sections:
        out += [f"## {md_escape(section.heading) or 'More'}", ""]
        for question, answer in section.items:
            out += [f"**{md_escape(question)}**", "", md_block(answer) or "*No answer yet.*", ""]

    if doc.expectations:
        out += ["## Agreed expectations", ""]
        for item in doc.expectations:
            line = f"- {md_block(item.wording, '  ')}  \n  *raised by {md_escape(item.raised_by)}*"
            if _reworded(item.text, item.shared_wording):
                line += f" (originally: {md_block(item.text, '  ')})"
            out.append(line)
        out.append("")

    if doc.open_points:
        out += ["## Open points", ""]
        for point in doc.open_points:
            when = f" ({md_escape(point.when)})" if one_line(point.when) else ""
            out.append(
                f"- To discuss later: {md_block(point.text, '  ')}{when}  \n"
                f"  *raised by {md_escape(point.raised_by)}*"
            )
        out.append("")

    if doc.notes:
        out += ["## Notes", ""]
        out += [f"- {md_block(note, '  ')}" for note in doc.notes]
        out.append("")

    out += ["## Confirmations", ""]
    out += [
        f"- Confirmed by {md_escape(name)}, {md_escape(when_text(at))}"
        for name, at in doc.confirmations
    ]
    if doc.confirmations:
        out.append("")
    if doc.waiting_for:
        out += [f"Not yet confirmed by {_and([md_escape(name) for name in doc.waiting_for])}.", ""]
    elif doc.confirmations:
        out += ["Everyone has confirmed this version.", ""]
    else:
        out += ["Nobody has confirmed this version yet.", ""]

    if doc.generated_at:
        out += ["---", "", f"*Generated {md_escape(when_text(doc.generated_at))}*", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# HTML

DOCUMENT_CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #faf6ef; color: #2b2a28;
  font: 16px/1.55 Georgia, "DejaVu Serif", "Times New Roman", serif; }
main { max-width: 46rem; margin: 2rem auto; padding: 2rem 2.5rem; background: #fff;
  border: 1px solid #eadfcd; border-radius: 6px; }
h1 { font-size: 1.8rem; margin: 0 0 .4rem; color: #6b3e1f; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; color: #6b3e1f;
  border-bottom: 1px solid #eadfcd; break-after: avoid; page-break-after: avoid; }
.facts { margin: 0 0 1rem; color: #5a544c; }
.facts span { display: inline-block; margin-right: 1.2rem; }
.version { display: inline-block; padding: .1rem .6rem; border-radius: 1rem;
  background: #f3e6d3; color: #6b3e1f; font-weight: bold; }
.question { margin: 1rem 0 .2rem; font-weight: bold; break-after: avoid; page-break-after: avoid; }
.answer { margin: 0 0 .8rem; overflow-wrap: anywhere; }
ul { padding-left: 1.3rem; }
li { margin: .4rem 0; overflow-wrap: anywhere; break-inside: avoid; }
.who, .original, .footer { color: #736b60; font-size: .92em; }
.waiting { color: #8a4b12; }
.footer { margin-top: 2rem; border-top: 1px solid #eadfcd; padding-top: .6rem; }
@page { size: A4; margin: 18mm; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { margin: 0; padding: 0; border: 0; max-width: none; }
  h1, h2 { color: #000; }
}
""".strip()


def html_block(text: object) -> str:
    """Escape multi-line user text, keeping its line breaks as ``<br>``."""
    return "<br>\n".join(escape(line) for line in _lines(text))


def to_html(doc: AgreementDocument) -> str:
    """The agreement as a standalone, print-friendly HTML5 page (no scripts)."""
    title = escape(one_line(doc.title) or "Mentoring agreement")
    body: list[str] = [f"<h1>{title}</h1>", '<p class="facts">']
    for label, value in (
        ("Programme", doc.programme),
        ("Relationship", doc.relationship),
        ("Model", doc.model),
    ):
        if one_line(value):
            body.append(f"<span><strong>{label}:</strong> {escape(value)}</span>")
    body += [f'<span class="version">Version {doc.version}</span>', "</p>"]

    if doc.members:
        body += ["<h2>People</h2>", "<ul>"]
        for name, role in doc.members:
            shown = f"{escape(name)} ({escape(role)})" if role else escape(name)
            body.append(f"<li>{shown}</li>")
        body.append("</ul>")

    for section in doc.sections:
        body.append(f"<h2>{escape(one_line(section.heading) or 'More')}</h2>")
        for question, answer in section.items:
            shown = html_block(answer) or "<em>No answer yet.</em>"
            body += [
                f'<p class="question">{escape(question)}</p>',
                f'<p class="answer">{shown}</p>',
            ]

    if doc.expectations:
        body += ["<h2>Agreed expectations</h2>", "<ul>"]
        for item in doc.expectations:
            line = f'{html_block(item.wording)}<br>\n<span class="who">raised by {escape(item.raised_by)}</span>'
            if _reworded(item.text, item.shared_wording):
                line += f' <span class="original">(originally: {html_block(item.text)})</span>'
            body.append(f"<li>{line}</li>")
        body.append("</ul>")

    if doc.open_points:
        body += ["<h2>Open points</h2>", "<ul>"]
        for point in doc.open_points:
            when = f" ({escape(point.when)})" if one_line(point.when) else ""
            body.append(
                f"<li>To discuss later: {html_block(point.text)}{when}<br>\n"
                f'<span class="who">raised by {escape(point.raised_by)}</span></li>'
            )
        body.append("</ul>")

    if doc.notes:
        body += ["<h2>Notes</h2>", "<ul>"]
        body += [f"<li>{html_block(note)}</li>" for note in doc.notes]
        body.append("</ul>")

    body.append("<h2>Confirmations</h2>")
    if doc.confirmations:
        body.append("<ul>")
        for name, at in doc.confirmations:
            body.append(f"<li>Confirmed by {escape(name)}, {escape(when_text(at))}</li>")
        body.append("</ul>")
    if doc.waiting_for:
        waiting = _and([escape(name) for name in doc.waiting_for])
        body.append(f'<p class="waiting">Not yet confirmed by {waiting}.</p>')
    elif doc.confirmations:
        body.append("<p>Everyone has confirmed this version.</p>")
    else:
        body.append("<p>Nobody has confirmed this version yet.</p>")

    if doc.generated_at:
        body.append(f'<p class="footer">Generated {escape(when_text(doc.generated_at))}</p>')

    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{title} (version {doc.version})</title>",
            f"<style>\n{DOCUMENT_CSS}\n</style>",
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


def document_fonts() -> tuple[Path, Path]:
    """The DejaVu Sans regular and bold TTF files that matplotlib ships."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise ConfigError(
            "PDF export needs the DejaVu Sans fonts that matplotlib ships: pip install matplotlib"
        )
    folder = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        raise ConfigError(
            f"PDF export needs the DejaVu Sans fonts, not found in {folder}. "
            "Reinstall matplotlib: pip install --force-reinstall matplotlib"
        )
    return regular, bold


def plain(text: object) -> str:
    """User text for a PDF cell: normalised line endings, tabs as spaces, no control characters."""
    text = "\n".join(_lines(text)).replace("\t", "    ")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs"))


def a4_document(title: str, footer: str):
    """An A4 fpdf2 document with DejaVu fonts, margins, metadata and a footer reading
    "Page X of N" on the left and ``footer`` on the right; its first page is added."""
    try:
        from fpdf import FPDF
    except ImportError as error:
        raise ConfigError("PDF export needs fpdf2: pip install fpdf2") from error
    regular, bold = document_fonts()

    class _Document(FPDF):
        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("DejaVu", size=8)
            self.set_text_color(*MUTED)
            # Page numbers on the left: fpdf2 sizes "{nb}" by the alias, so flush left stays exact.
            self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="L")
            self.set_x(self.l_margin)
            self.cell(0, 6, footer, align="R")

    pdf = _Document(format="A4", unit="mm")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_title(title)
    pdf.set_creator("mentorkit")
    pdf.add_page()
    return pdf


MUTED = (115, 107, 96)
"""The colour of secondary text in every PDF."""


def to_pdf(doc: AgreementDocument) -> bytes:
    """The agreement as an A4 PDF, with plain-text cells and page numbers in the footer."""
    title = plain(one_line(doc.title)) or "Mentoring agreement"
    ink, muted, accent, rule = (43, 42, 40), MUTED, (107, 62, 31), (234, 223, 205)
    pdf = a4_document(f"{title} (version {doc.version})", f"{title} · Version {doc.version}")
    from fpdf.enums import XPos, YPos

    def write(text: str, size: float = 10.5, style: str = "", colour=ink, gap: float = 1.5):
        pdf.set_font("DejaVu", style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(
            0, size * 0.5, plain(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, markdown=False
        )
        pdf.ln(gap)

    def bullet(text: str, note: str = "") -> None:
        pdf.set_font("DejaVu", "", 10.5)
        pdf.set_text_color(*accent)
        pdf.cell(5, 5.25, "•")
        pdf.set_text_color(*ink)
        pdf.multi_cell(0, 5.25, plain(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, markdown=False)
        if note:
            pdf.set_x(pdf.l_margin + 5)
            pdf.set_font("DejaVu", "", 9)
            pdf.set_text_color(*muted)
            pdf.multi_cell(0, 4.5, plain(note), new_x=XPos.LMARGIN, new_y=YPos.NEXT, markdown=False)
        pdf.ln(1.5)

    def heading(text: str) -> None:
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(4)
        write(one_line(text), size=13, style="B", colour=accent, gap=0.5)
        pdf.set_draw_color(*rule)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(3)

    write(title, size=20, style="B", colour=accent, gap=2)
    for label, value in (
        ("Programme", doc.programme),
        ("Relationship", doc.relationship),
        ("Model", doc.model),
    ):
        if one_line(value):
            write(f"{label}: {one_line(value)}", size=10.5, colour=muted, gap=0.5)
    write(f"Version {doc.version}", size=11, style="B", gap=2)

    if doc.members:
        heading("People")
        for name, role in doc.members:
            bullet(f"{one_line(name)} ({one_line(role)})" if role else one_line(name))

    for section in doc.sections:
        heading(section.heading or "More")
        for question, answer in section.items:
            if pdf.will_page_break(15):
                pdf.add_page()
            write(question, style="B", gap=0.8)
            write(answer if one_line(answer) else "No answer yet.", gap=3)

    if doc.expectations:
        heading("Agreed expectations")
        for item in doc.expectations:
            note = f"raised by {one_line(item.raised_by)}"
            if _reworded(item.text, item.shared_wording):
                note += f" (originally: {item.text.strip()})"
            bullet(item.wording, note)

    if doc.open_points:
        heading("Open points")
        for point in doc.open_points:
            when = f" ({one_line(point.when)})" if one_line(point.when) else ""
            bullet(f"To discuss later: {point.text.strip()}{when}", f"raised by {point.raised_by}")

    if doc.notes:
        heading("Notes")
        for note in doc.notes:
            bullet(note)

    heading("Confirmations")
    for name, at in doc.confirmations:
        bullet(f"Confirmed by {one_line(name)}, {when_text(at)}")
    if doc.waiting_for:
        write(f"Not yet confirmed by {_and([one_line(n) for n in doc.waiting_for])}.", style="B")
    elif doc.confirmations:
        write("Everyone has confirmed this version.")
    else:
        write("Nobody has confirmed this version yet.")

    if doc.generated_at:
        pdf.ln(4)
        write(f"Generated {when_text(doc.generated_at)}", size=9, colour=muted)

    return bytes(pdf.output())


# ---------------------------------------------------------------------------------------------
# By format name

RENDERERS: dict[str, Callable[[AgreementDocument], str | bytes]] = {
    "md": to_markdown,
    "html": to_html,
    "pdf": to_pdf,
}

MEDIA_TYPES: dict[str, str] = {
    "md": "text/markdown",
    "html": "text/html",
    "pdf": "application/pdf",
}


def render(doc: AgreementDocument, fmt: str) -> bytes:
    """The agreement in format ``fmt`` ("md", "html" or "pdf") as bytes (text is UTF-8)."""
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise ConfigError(
            f"Unknown export format {fmt!r}. Choose one of: {', '.join(sorted(RENDERERS))}."
        )
    result = renderer(doc)
    return result.encode("utf-8") if isinstance(result, str) else result
