"""Reading a spreadsheet: the numbered rows of a CSV or XLSX file, or a message saying why not.

A file that cannot be read at all (not CSV or XLSX, not UTF-8, too big, a zip bomb, no rows)
raises :class:`~mentorkit.exceptions.ImportRefused` with what to do. The file type is decided by
the content first (an XLSX file is a zip holding ``xl/``; a PDF, an image, a Word document or a
legacy ``.xls`` is recognised by its first bytes), and the extension only second (to name what an
unreadable file probably is). A CSV file must be UTF-8; the encoding is never guessed silently.
The one reader for every import: people, applications, frameworks.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable
from pathlib import PurePath

from mentorkit.exceptions import ImportRefused

MAX_BYTES = 5 * 1024 * 1024  # the file as uploaded
MAX_ROWS = 5_000  # people (non-blank rows under the headings)
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an XLSX file unzipped: guards against zip bombs

SAVE_AS = "Save it as CSV (UTF-8) or Excel workbook (.xlsx) and import it again."

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters pasted from web pages
_SEP_LINE = re.compile(r"sep=(.)[ \t]*\r?\n?", re.IGNORECASE)


SAVE_UTF8 = (
    "In Excel choose File › Save As › CSV UTF-8, then import it again. "
    "(In LibreOffice, choose the character set “Unicode (UTF-8)” when you save.)"
)
UTF16 = "UTF-16, which Excel calls “Unicode Text”"

HeadingsFit = Callable[[list[str]], bool]
"""Whether a row of headings makes sense to the reader that asked (it picks the CSV delimiter)."""


def spreadsheet_rows(
    data: bytes, filename: str, fits: HeadingsFit | None = None
) -> tuple[list[tuple[int, list[str]]], str | None]:
    """The numbered rows of a CSV or XLSX file, and the CSV delimiter (None for XLSX);
    anything else, too big or not UTF-8 is refused with what to do. ``fits`` says whether a row
    of headings makes sense, so that a CSV file's delimiter is the one that gives such headings."""
    data = bytes(data)
    _check_size(data)
    ext = PurePath(filename or "").suffix.lower()
    if _is_zip(data):
        return _xlsx_rows(data, ext), None
    _refuse_if_not_text(data, ext)
    return _csv_rows(data, ext, fits)


def _check_size(data: bytes) -> None:
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise ImportRefused(
            "This file is empty: there is nothing in it to import. "
            "Check that you picked the right file. " + SAVE_AS
        )
    if len(data) > MAX_BYTES:
        size = f"{len(data) / (1024 * 1024):.1f}"
        size = "just over 5" if size == f"{MAX_BYTES / (1024 * 1024):.1f}" else size
        raise ImportRefused(
            f"This file is {size} MB ({len(data):,} bytes); one import can take at most "
            f"{MAX_BYTES // (1024 * 1024)} MB. Split the people into smaller files and import "
            "them one after another."
        )


def _too_many(count: int) -> ImportRefused:
    return ImportRefused(
        f"This file has {count:,} rows of people; one import can take at most {MAX_ROWS:,}. "
        "Split the people into smaller files and import them one after another."
    )


def _is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def _refused_as(what: str, advice: str = SAVE_AS) -> ImportRefused:
    return ImportRefused(f"This file looks like {what}, not a spreadsheet of people. {advice}")


# -- XLSX ------------------------------------------------------------------------------------


def _xlsx_rows(data: bytes, ext: str) -> list[tuple[int, list[str]]]:
    """The first worksheet's rows as text, numbered as Excel shows them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        what = "an Excel workbook" if ext in (".xlsx", ".xlsm") else "a zip file"
        raise ImportRefused(
            f"This file looks like {what}, but it is damaged or incomplete ({error}). Download "
            "it again, or open it in Excel and save it again. " + SAVE_AS
        ) from None
    if not any(n.startswith("xl/") for n in names):
        raise _refused_as(_describe_zip(names, mimetype, ext))
    if "xl/workbook.bin" in names:
        raise _refused_as(
            "an Excel binary workbook (.xlsb)",
            "In Excel choose File › Save As › Excel Workbook (.xlsx), then import it again.",
        )
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRefused(
            f"This workbook unpacks to {unpacked / (1024 * 1024):,.0f} MB; one import can take "
            f"at most {MAX_UNPACKED_BYTES // (1024 * 1024)} MB unpacked. Keep only the sheet of "
            "people (delete other sheets, pictures and formatting) or split it into smaller files."
        )

    import openpyxl  # only when needed: importing mentorkit stays light

    damaged = (
        "Open it in Excel and save it again as Excel Workbook (.xlsx), "
        "or save it as CSV (UTF-8), then import it again."
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged workbook
            raise ImportRefused(
                f"This Excel workbook could not be read ({type(error).__name__}: {error}). "
                + damaged
            ) from None
        try:
            if not book.worksheets:
                raise ImportRefused(
                    "This Excel workbook has no worksheet with cells in it (only charts). Put "
                    "the people on the first sheet, one row each, and import it again."
                )
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # some programs write wrong dimensions; read every row
            values = sheet.iter_rows(values_only=True)
            return _take(
                (number, [_cell_text(v) for v in row]) for number, row in enumerate(values, 1)
            )
        except ImportRefused:
            raise
        except Exception as error:
            raise ImportRefused(
                f"The first worksheet of this Excel workbook could not be read "
                f"({type(error).__name__}: {error}). " + damaged
            ) from None
        finally:
            book.close()


def _describe_zip(names: set[str], mimetype: bytes, ext: str) -> str:
    if any(n.startswith("word/") for n in names):
        return "a Word document (.docx)"
    if any(n.startswith("ppt/") for n in names):
        return "a PowerPoint presentation (.pptx)"
    if b"opendocument.spreadsheet" in mimetype:
        return "an OpenDocument spreadsheet (.ods)"
    if b"opendocument" in mimetype:
        return "an OpenDocument text or presentation file"
    if any(n.startswith("Index/") for n in names) or ext == ".numbers":
        return "an Apple Numbers file"
    if ext in (".xlsx", ".xlsm"):
        return "a zip file with an .xlsx name, but without the parts of an Excel workbook"
    return "a zip archive"


def _cell_text(value: object) -> str:
    """A cell value as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # 15 significant digits, as Excel shows: 0.1 + 0.2 reads 0.3, not 0.30000000000000004
        return format(value, ".15g")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


# -- CSV -------------------------------------------------------------------------------------


_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image (a photo or a scan)"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office files, and encrypted .xlsx


def _refuse_if_not_text(data: bytes, ext: str) -> None:
    """Refuse the formats we can tell from their first bytes."""
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise _refused_as(what)
    if data[:12].startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise _refused_as("a WebP image")
    if data[4:8] == b"ftyp":
        raise _refused_as("a photo or video (HEIC or MP4)")
    if data.startswith(_OLE):
        if ext in (".xlsx", ".xlsm"):
            raise _refused_as(
                "a password-protected Excel workbook",
                "Open it in Excel, remove the password (File › Info › Protect Workbook), "
                "then save it as Excel workbook (.xlsx) or CSV (UTF-8) and import it again.",
            )
        what = {
            ".doc": "an older Word document (.doc)",
            ".ppt": "an older PowerPoint presentation (.ppt)",
            ".msg": "an Outlook message (.msg)",
        }.get(ext, "an older Excel 97–2003 workbook (.xls)")
        raise _refused_as(what)
    start = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:2048].lower()
    if start.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
            raise _refused_as("an Excel 2003 XML spreadsheet")
        if b"<html" in start or b"<!doctype html" in start:
            raise _refused_as("a web page (HTML), perhaps saved with a spreadsheet name")
        raise _refused_as("an XML or HTML file")


def _csv_rows(
    data: bytes, ext: str, fits: HeadingsFit | None = None
) -> tuple[list[tuple[int, list[str]]], str]:
    text = _decode(data, ext)
    delimiter = None
    sep = _SEP_LINE.match(text)  # Excel's "sep=;" first line: it names the delimiter, not a row
    if sep and sep.group(1) in ",;\t|":
        delimiter, text = sep.group(1), text[sep.end() :]
    if delimiter is None:
        delimiter = _delimiter(text, fits)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        if "end of data" in str(error):  # a quote that is never closed swallows the rest
            row = _count_records(text, delimiter) + 1
            raise ImportRefused(
                f'Row {row} has a quote mark (") that is never closed, so everything after it '
                "would run together into one cell. Remove that quote mark, or close it, "
                "and import the file again."
            ) from None
        try:  # stray quotes in the middle of a cell: read them as a spreadsheet would
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as error2:
            row = _count_records(text, delimiter) + 1
            raise ImportRefused(
                f"This CSV file could not be read past row {row} ({error2}). Open it in a "
                "spreadsheet and check that row for a cell that is very long or a quote mark "
                "that is never closed, then save it as CSV (UTF-8) and import it again."
            ) from None
    return _take(enumerate(records, 1)), delimiter


def _count_records(text: str, delimiter: str) -> int:
    count = 0
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            count += 1
    except csv.Error:
        pass
    return count


def _decode(data: bytes, ext: str) -> str:
    body = data.removeprefix(b"\xef\xbb\xbf")
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _not_utf8(UTF16, None)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        sample = body[max(0, error.start - 32_768) : error.start + 32_768]
        if b"\x00" in body[:4096] and not _looks_utf16(sample):
            raise _not_text(ext) from None
        encoding = _guess_encoding(sample)
        raise _not_utf8(encoding, None if encoding == UTF16 else line) from None
    if "\x00" in text:  # UTF-16 without a byte-order mark, or a binary file
        if _looks_utf16(body[:65_536]):
            raise _not_utf8(UTF16, None)
        raise _not_text(ext)
    return text


def _not_text(ext: str) -> ImportRefused:
    named = f" (it is named {ext})" if ext else ""
    return _refused_as(f"a program's own file format rather than text{named}")


def _not_utf8(encoding: str | None, line: int | None) -> ImportRefused:
    looks = f"it looks like {encoding}" if encoding else "it uses an older, non-Unicode encoding"
    where = f"; the first character that is not UTF-8 is on line {line}" if line else ""
    return ImportRefused(f"This file is not UTF-8 text ({looks}{where}). {SAVE_UTF8}")


def _looks_utf16(sample: bytes) -> bool:
    return _guess_encoding(sample) == UTF16


_WESTERN = "Windows-1252 / Latin-1 or a similar older encoding"
_NAMED = {  # encodings worth naming; other single-byte code pages are lumped with Western
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp866": "DOS Cyrillic (code page 866)",
    "koi8_r": "KOI8-R (Cyrillic)",
    "koi8_u": "KOI8-U (Cyrillic)",
    "iso8859_5": "ISO-8859-5 (Cyrillic)",
    "mac_cyrillic": "Mac Cyrillic",
    "cp1253": "Windows-1253 (Greek)",
    "iso8859_7": "ISO-8859-7 (Greek)",
    "mac_greek": "Mac Greek",
    "cp1255": "Windows-1255 (Hebrew)",
    "iso8859_8": "ISO-8859-8 (Hebrew)",
    "cp1256": "Windows-1256 (Arabic)",
    "iso8859_6": "ISO-8859-6 (Arabic)",
    "cp874": "Windows-874 (Thai)",
    "tis_620": "TIS-620 (Thai)",
    "shift_jis": "Shift JIS (Japanese)",
    "shift_jis_2004": "Shift JIS (Japanese)",
    "shift_jisx0213": "Shift JIS (Japanese)",
    "cp932": "Shift JIS (Japanese)",
    "euc_jp": "EUC-JP (Japanese)",
    "gb2312": "GB2312 (Chinese)",
    "gbk": "GBK (Chinese)",
    "gb18030": "GB18030 (Chinese)",
    "big5": "Big5 (Chinese)",
    "cp950": "Big5 (Chinese)",
    "euc_kr": "EUC-KR (Korean)",
    "cp949": "EUC-KR (Korean)",
}
_SINGLE_BYTE = re.compile(r"cp\d+|iso8859_\d+|latin_1|mac_\w+")


def _guess_encoding(sample: bytes) -> str | None:
    """A likely encoding, to name in a message only; never used to decode. Small files are
    often taken for a neighbouring code page, so the Latin ones are named together."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is installed with mentorkit's dependencies
        return None
    try:
        best = from_bytes(sample).best()
    except Exception:  # pragma: no cover - a hint is not worth failing for
        return None
    if best is None:
        return None
    if any(
        n.startswith(("utf_16", "utf_32")) for n in (best.encoding, *best.could_be_from_charset)
    ):
        return UTF16
    if best.encoding in _NAMED:
        return _NAMED[best.encoding]
    if _SINGLE_BYTE.fullmatch(best.encoding):
        return _WESTERN
    return best.encoding.replace("_", "-").upper()


def _delimiter(text: str, fits: HeadingsFit | None = None) -> str:
    """``csv.Sniffer`` picks among comma, semicolon and tab (comma if it cannot tell). If the
    headings only make sense with another of the three, that one is used instead."""
    sample = text[:65_536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # whole lines only
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        sniffed = ","
    for candidate in (sniffed, *(d for d in ",;\t" if d != sniffed)):
        heading = _first_record(sample, candidate)
        if fits is not None and fits(heading):
            return candidate
    return sniffed


def _first_record(sample: str, delimiter: str) -> list[str]:
    try:
        for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
            if any(clean_cell(c) for c in record):
                return record
    except csv.Error:
        pass
    return []


# -- Rows ------------------------------------------------------------------------------------


def _take(rows: Iterable[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """The non-blank rows (headings first), refusing more than MAX_ROWS people. Rows past the
    limit are counted, not kept, so the message can give the real figure."""
    kept: list[tuple[int, list[str]]] = []
    extra = 0
    for number, cells in rows:
        if not any(clean_cell(c) for c in cells):
            continue  # blank rows are skipped silently
        if len(kept) <= MAX_ROWS:  # the headings and MAX_ROWS people
            kept.append((number, cells))
        else:
            extra += 1
    if extra:
        raise _too_many(MAX_ROWS + extra)
    return kept


def split_header(
    rows: list[tuple[int, list[str]]],
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if not rows:
        raise ImportRefused(
            "This file has no column headings and no people: every row is blank. Check that "
            "you picked the right file (for a workbook, the people must be on the first "
            "sheet). " + SAVE_AS
        )
    (_, header), *people = rows
    return header, people


def clean_cell(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip().strip(_INVISIBLE).strip()


def heading_key(heading: str) -> str:
    return " ".join(clean_cell(heading).split()).casefold()


def column_letter(index: int) -> str:
    """The spreadsheet column letter for a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quoted(value: str, limit: int = 40) -> str:
    """A value quoted for a message, on one line and not too long."""
    value = " ".join(value.split())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return f"'{value}'"
