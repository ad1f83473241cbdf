"""Tables out: a set of named pandas tables as a zip of CSV files or one XLSX workbook, every
text cell neutralised so that no cell runs as a formula in a spreadsheet."""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from mentorkit.core.text import neutralise


def _value(value: Any) -> Any:
    """A cell as a plain Python value: None for missing, numbers as numbers, the rest as
    neutralised text (a leading =, +, -, @, tab or return gets an apostrophe)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float)):
        return value
    return neutralise(str(value))


def _records(frame: pd.DataFrame) -> Iterable[list[Any]]:
    yield [_value(str(column)) for column in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        yield [_value(cell) for cell in row]


def to_csv(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """A zip file holding one CSV per table (UTF-8 with a byte-order mark, so spreadsheets
    read accents right), every text cell neutralised against formulas."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables.items():
            text = io.StringIO(newline="")
            writer = csv.writer(text, lineterminator="\r\n")
            for record in _records(frame):
                writer.writerow(["" if cell is None else cell for cell in record])
            archive.writestr(f"{name}.csv", text.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()


def to_xlsx(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """An Excel workbook with one sheet per table: bold headings, the heading row frozen,
    and every text cell neutralised and stored as a string, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for name, frame in tables.items():
        sheet = workbook.create_sheet(title=str(name)[:31])
        widths: dict[int, int] = {}
        for row_number, record in enumerate(_records(frame), start=1):
            for column_number, value in enumerate(record, start=1):
                cell = sheet.cell(row=row_number, column=column_number)
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    cell.value = value
                    cell.data_type = "s"  # text, whatever it starts with
                else:
                    cell.value = value
                if row_number == 1:
                    cell.font = bold
                longest = max((len(line) for line in str(value or "").splitlines()), default=0)
                widths[column_number] = max(widths.get(column_number, 8), min(longest + 2, 60))
        for column_number, width in widths.items():
            sheet.column_dimensions[get_column_letter(column_number)].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
