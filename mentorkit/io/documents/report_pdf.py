"""A report as PDF (fpdf2): headings, paragraphs, bullets, tables that break across pages with
their header repeated, and images scaled to fit, in a font that carries every script people
type.
"""

from __future__ import annotations

import io

from mentorkit.io.documents.render import (
    MUTED,
    a4_document,
    one_line,
    plain,
    when_text,
)
from mentorkit.io.documents.report import (
    Block,
    Bullets,
    Heading,
    Image,
    Paragraph,
    Report,
    Table,
    heading_level,
    png_size,
    report_title,
    unknown_block,
)

_INK, _MUTED, _ACCENT, _RULE = (43, 42, 40), MUTED, (107, 62, 31), (234, 223, 205)
_CELL_LINE, _CELL_PAD = 4.75, (1.2, 1.5)  # table line height; padding (vertical, horizontal)
_SHADE = (243, 230, 211)
_HEADING_SIZES = {1: 16.0, 2: 13.0, 3: 11.5}


def to_pdf(report: Report) -> bytes:
    """The report as an A4 PDF: plain-text cells, real tables, embedded images, page numbers."""
    title = plain(report_title(report))
    pdf = a4_document(title, plain(one_line(report.footer)) or title)
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace

    def write(text: str, size: float = 10.5, style: str = "", colour=_INK, gap: float = 1.5):
        pdf.set_font("DejaVu", style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(
            0,
            size * 0.5,
            plain(text),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            markdown=False,
        )
        pdf.ln(gap)

    def image_size(block: Image) -> tuple[float, float]:
        """Width and height in mm, scaled down to fit the page width and height."""
        width = min(float(block.width_mm), pdf.epw)
        pixels = png_size(block.png) or (1, 1)  # Image checks it is a PNG
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
        level = heading_level(block)
        size = _HEADING_SIZES[level]
        needed = size * 0.5 + 8 + room_for(following)
        if pdf.get_y() > pdf.t_margin + 1 and pdf.will_page_break(min(needed, pdf.eph - 8)):
            pdf.add_page()
        if pdf.get_y() > pdf.t_margin + 1:
            pdf.ln(4 if level < 3 else 2)
        write(one_line(block.text) or "…", size=size, style="B", colour=_ACCENT, gap=0.5)
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
                0, 5.25, plain(item), new_x=XPos.LMARGIN, new_y=YPos.NEXT, markdown=False
            )
            if one_line(note):
                pdf.set_x(pdf.l_margin + 5)
                pdf.set_font("DejaVu", "", 9)
                pdf.set_text_color(*_MUTED)
                pdf.multi_cell(
                    0, 4.5, plain(note), new_x=XPos.LMARGIN, new_y=YPos.NEXT, markdown=False
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
            texts = [plain(text) for text in cells]
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
                    row.cell(plain(text))
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
            alt_text=plain(one_line(block.alt)) or None,
        )
        pdf.set_x(pdf.l_margin)
        pdf.ln(4)

    write(title, size=20, style="B", colour=_ACCENT, gap=1)
    for line in report.subtitle:
        if one_line(line):
            write(one_line(line), colour=_MUTED, gap=0.5)
    pdf.ln(2)

    blocks = tuple(report.blocks)
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            heading(block, blocks[index + 1] if index + 1 < len(blocks) else None)
        elif isinstance(block, Paragraph):
            if one_line(block.text):
                write(block.text, colour=_MUTED if block.muted else _INK, gap=3)
        elif isinstance(block, Bullets):
            bullets(block)
        elif isinstance(block, Table):
            table(block)
        elif isinstance(block, Image):
            picture(block)
        else:
            raise unknown_block(block)

    if report.generated_at:
        pdf.ln(4)
        write(f"Generated {when_text(report.generated_at)}", size=9, colour=_MUTED)

    return bytes(pdf.output())
