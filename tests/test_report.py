"""Generic report exports: user text stays text, tables and images survive every format."""

from __future__ import annotations

import base64
import io

import pytest

from mentorkit import ConfigError
from mentorkit.core.text import markdown
from mentorkit.io.documents.report import (
    MEDIA_TYPES,
    Bullets,
    Heading,
    Image,
    Paragraph,
    Report,
    Table,
    to_html,
    to_markdown,
)
from mentorkit.io.documents.report_formats import RENDERERS, render_report
from mentorkit.io.documents.report_pdf import to_pdf

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
NAMES = "Zoë, Ελένη, Дмитрий"


def chart_png() -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 2.5), dpi=80)
    ax = fig.subplots()
    ax.bar(["Goal 1", "Goal 2", "Goal 3"], [3, 1, 2])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def report(*blocks, title: str = "Goals & action plan") -> Report:
    return Report(
        title=title,
        subtitle=(NAMES, "Spring cohort"),
        blocks=blocks,
        footer="Goals & action plan · Zoë & Дмитрий",
        generated_at="2025-03-05T09:00:00+00:00",
    )


def sample() -> Report:
    return report(
        Heading("# Goals"),
        Paragraph("Stars *bold* and # hash\nsecond line"),
        Paragraph(SCRIPT),
        Bullets(("Speak at a conference", "Ship | the tool"), ("by June", "")),
        Heading("Actions", 3),
        Table(
            ("Action", "Owner | lead", "Due"),
            (("Draft talk | outline\nthen slides", NAMES, "2025-04-01"), (SCRIPT, "Zoë")),
            widths=(4, 2, 1),
        ),
        title=f"Plan {SCRIPT}",
    )


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# ---------------------------------------------------------------------------------------------
# Markdown


def test_markdown_escapes_markup_in_user_text():
    text = to_markdown(sample())
    assert SCRIPT not in text
    assert r"\<script\>alert\(1\)\</script\>" in text
    assert "Stars \\*bold\\* and \\# hash\\\nsecond line" in text
    assert r"## \# Goals" in text
    assert text.startswith("# Plan \\<script\\>")
    assert "### Actions" in text


def test_markdown_renders_user_text_as_text_only():
    page = markdown(to_markdown(sample()))
    assert "<script" not in page and "<strong>" not in page and "<em>bold" not in page
    assert ESCAPED in page
    assert "<table>" in page


def test_markdown_table_cell_with_pipe_and_newline_stays_one_row():
    text = to_markdown(sample())
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert len(rows) == 4  # header, delimiter, two body rows
    assert rows[0] == r"| Action | Owner \| lead | Due |"
    assert rows[1] == "| --- | --- | --- |"
    assert rows[2].startswith(r"| Draft talk \| outline then slides | Zoë, Ελένη, Дмитрий |")
    assert rows[3].count(" | ") == 2  # the short row is padded to three cells
    # A GFM renderer agrees: three rows of three cells.
    page = markdown(text)
    assert page.count("<tr>") == 3
    assert "Draft talk | outline then slides" in page


def test_markdown_bullets_notes_and_closing_lines():
    text = to_markdown(sample())
    assert "- Speak at a conference  \n  *by June*" in text
    assert r"- Ship \| the tool" in text
    assert "*Generated 5 March 2025, 09:00 UTC*" in text
    assert text.rstrip().endswith("*Generated 5 March 2025, 09:00 UTC*")


def test_markdown_image_is_a_data_uri_with_escaped_alt():
    png = chart_png()
    text = to_markdown(report(Image(png, f"Progress [chart] {SCRIPT}")))
    expected_uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    assert f"![Progress \\[chart\\] \\<script\\>alert\\(1\\)\\</script\\>]({expected_uri})" in text


# ---------------------------------------------------------------------------------------------
# HTML


def test_html_escapes_title_paragraph_cell_and_alt():
    png = chart_png()
    page = to_html(
        report(Paragraph(SCRIPT), Table(("A",), ((SCRIPT,),)), Image(png, SCRIPT), title=SCRIPT)
    )
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert "<script" not in page.lower()
    assert f"<title>{ESCAPED}</title>" in page
    assert f"<h1>{ESCAPED}</h1>" in page
    assert f"<p>{ESCAPED}</p>" in page
    assert f"<td>{ESCAPED}</td>" in page
    assert f'alt="{ESCAPED}"' in page


def test_html_image_is_an_inline_data_uri():
    png = chart_png()
    page = to_html(report(Image(png, "Progress chart", width_mm=120)))
    assert f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}"' in page
    assert 'alt="Progress chart"' in page
    assert "width: 120mm" in page


def test_html_table_has_header_widths_and_line_breaks():
    page = to_html(sample())
    assert '<th scope="col">Owner | lead</th>' in page
    assert '<col style="width: 57.14%">' in page
    assert "<td>Draft talk | outline<br>\nthen slides</td>" in page
    assert "<td></td>" in page  # padded short row
    assert '<span class="note">by June</span>' in page
    assert "Stars *bold* and # hash<br>\nsecond line" in page


# ---------------------------------------------------------------------------------------------
# PDF


def test_pdf_shows_title_names_and_table_cells():
    data = to_pdf(sample())
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert f"Plan {SCRIPT}" in text
    assert NAMES in text
    assert "Draft talk | outline" in text
    assert "Owner | lead" in text
    assert "Stars *bold* and # hash" in text
    assert "Page 1 of 1" in text


def test_pdf_long_table_breaks_onto_more_pages():
    from pypdf import PdfReader

    rows = tuple((f"Action {n}", f"Owner {n}", "2025-04-01") for n in range(200))
    data = to_pdf(report(Table(("Action", "Owner", "Due"), rows)))
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    later = "\n".join(page.extract_text() for page in pages[1:])
    assert "Action 199" in later and "Owner 150" in later
    assert "Action" in pages[1].extract_text().splitlines()[0]  # headings repeat on each page
    assert f"Page 2 of {len(pages)}" in pages[1].extract_text()


def test_pdf_splits_a_row_too_tall_for_one_page():
    long = " ".join(["Meeting every fortnight helps us keep going."] * 150)
    text = pdf_text(to_pdf(report(Table(("Note", "Who"), ((long, "Zoë"), ("after", "Ελένη"))))))
    assert text.count("Meeting every fortnight") == 150
    assert "after" in text


def test_pdf_embeds_an_image():
    from pypdf import PdfReader

    data = to_pdf(report(Heading("Progress"), Image(chart_png(), "Progress chart", width_mm=400)))
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages[0].images) >= 1


# ---------------------------------------------------------------------------------------------
# Model and dispatch


def test_render_report_gives_bytes_for_every_format():
    for fmt in RENDERERS:
        data = render_report(sample(), fmt)
        assert isinstance(data, bytes) and data
        assert fmt in MEDIA_TYPES
    assert "Дмитрий" in render_report(sample(), "md").decode("utf-8")


def test_render_report_refuses_an_unknown_format():
    with pytest.raises(ConfigError, match="html, md, pdf"):
        render_report(sample(), "docx")


def test_model_rejects_inconsistent_blocks():
    with pytest.raises(ValueError):
        Bullets(("a", "b"), ("only one note",))
    with pytest.raises(ValueError):
        Table(("A", "B"), (("1", "2", "3"),))
    with pytest.raises(ValueError):
        Table(("A", "B"), (), widths=(1,))
    with pytest.raises(ValueError):
        Image(b"not a png", "broken")
