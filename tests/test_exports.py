"""Agreement exports: hostile and awkward user text stays text in Markdown, HTML and PDF."""

from __future__ import annotations

import io

import pytest

from mentorkit.core.text import markdown
from mentorkit.exceptions import ConfigError
from mentorkit.io.documents.render import (
    MEDIA_TYPES,
    RENDERERS,
    render,
    to_html,
    to_markdown,
    to_pdf,
)
from mentorkit.programme.agreement_document import (
    AgreedExpectation,
    AgreementDocument,
    OpenPoint,
    Section,
)

SCRIPT = "<script>alert(1)</script>"
NAMES = "Zoë, Ελένη, Дмитрий"
LONG = " ".join(["Meeting every fortnight helps us keep going."] * 67)[:3000]
SHARED = "We meet every other Tuesday at the library café"


def document() -> AgreementDocument:
    return AgreementDocument(
        programme="Zoë's programme <b>2025</b>",
        title="Mentoring agreement",
        relationship="Zoë & Дмитрий",
        model="One-to-one",
        members=(("Zoë", "mentor"), ("Дмитрий", "mentee"), ("Ελένη", "facilitator")),
        version=2,
        sections=(
            Section(
                "# heading",
                (
                    ("What do you hope for? **bold**", SCRIPT),
                    ("Links", "[link](javascript:x)\nsecond line\n\nnew paragraph"),
                    ("People", NAMES),
                    ("The long answer", LONG),
                    ("One long word", "x" * 400),
                ),
            ),
        ),
        expectations=(
            AgreedExpectation("We meet on Tuesdays", "Zoë", shared_wording=SHARED),
            AgreedExpectation("Reply within two days", "Дмитрий"),
        ),
        open_points=(OpenPoint("How we end the relationship", "Ελένη", "after three months"),),
        confirmations=(("Zoë", "2025-03-04T10:15:00+00:00"),),
        waiting_for=("Дмитрий",),
        generated_at="2025-03-05T09:00:00+00:00",
    )


@pytest.fixture(scope="module")
def pdf_text() -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(to_pdf(document())))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_markdown_escapes_markup_in_user_text():
    text = to_markdown(document())
    assert SCRIPT not in text
    assert r"\<script\>alert\(1\)\</script\>" in text
    assert r"\*\*bold\*\*" in text
    assert r"## \# heading" in text
    assert r"\[link\]\(javascript:x\)" in text


def test_markdown_renders_user_text_as_text_only():
    html = markdown(to_markdown(document()))
    assert "<script" not in html and "<b>" not in html and "<strong>bold" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_markdown_keeps_line_breaks_inside_answers():
    assert "javascript:x\\)\\\nsecond line\n\nnew paragraph" in to_markdown(document())


def test_markdown_shows_version_wording_and_confirmations():
    text = to_markdown(document())
    assert "**Version 2**" in text
    assert SHARED in text and "originally: We meet on Tuesdays" in text
    assert "To discuss later: How we end the relationship (after three months)" in text
    assert "Confirmed by Zoë" in text and "Not yet confirmed by Дмитрий" in text
    assert "Zoë, Ελένη, Дмитрий" in text


def test_html_has_no_script_and_escapes_user_text():
    page = to_html(document())
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;2025&lt;/b&gt;" in page
    assert "**bold**" in page


def test_html_keeps_line_breaks_inside_answers():
    assert "javascript:x)<br>\nsecond line<br>\n<br>\nnew paragraph" in to_html(document())


def test_pdf_is_a_pdf():
    assert to_pdf(document()).startswith(b"%PDF")


def test_pdf_shows_user_text_literally(pdf_text):
    assert SCRIPT in pdf_text
    assert "**bold**" in pdf_text
    assert "[link](javascript:x)" in pdf_text


def test_pdf_shows_accented_greek_and_cyrillic_names(pdf_text):
    assert NAMES in pdf_text


def test_pdf_shows_version_confirmation_and_shared_wording(pdf_text):
    assert "Version 2" in pdf_text
    assert "Confirmed by Zoë" in pdf_text
    assert "Not yet confirmed by Дмитрий" in pdf_text
    assert SHARED in " ".join(pdf_text.split())


def test_pdf_wraps_long_text_onto_more_pages():
    from pypdf import PdfReader

    long = document()
    section = Section("Long", tuple((f"Question {n}", LONG) for n in range(6)))
    long = AgreementDocument(**{**long.__dict__, "sections": (section,)})
    assert len(PdfReader(io.BytesIO(to_pdf(long))).pages) >= 3


def test_render_gives_bytes_for_every_format():
    for fmt in RENDERERS:
        data = render(document(), fmt)
        assert isinstance(data, bytes) and data
        assert fmt in MEDIA_TYPES
    assert "Дмитрий" in render(document(), "md").decode("utf-8")


def test_render_refuses_an_unknown_format():
    with pytest.raises(ConfigError, match="html, md, pdf"):
        render(document(), "docx")
