"""A competency framework typed once in a spreadsheet (CSV or XLSX), made into a framework file.

The sheet has a row of headings, then one row per item: the domain, the item, and optionally
the domain's description (on any one of its rows)::

    Domain   | Item                                            | Description
    Relate   | Uses open questions to deepen the conversation  | Building the relationship.
    Relate   | Offers a safe place to raise worries            |

The scale and anchors are options (they are the same for every item). Every problem is
reported with its row number, and nothing is written until there are none.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mentorkit.core.spec_loader import ID_PATTERN
from mentorkit.exceptions import ImportRefused, SpecError
from mentorkit.io.spreadsheet import (
    clean_cell,
    heading_key,
    quoted,
    split_header,
    spreadsheet_rows,
)
from mentorkit.programme.frameworks import (
    RATED,
    Domain,
    Framework,
    Item,
    Scale,
    parse_framework,
)

HEADINGS = {
    "domain": "domain",
    "area": "domain",
    "competency area": "domain",
    "cluster": "domain",
    "item": "item",
    "behaviour": "item",
    "behavior": "item",
    "statement": "item",
    "competency": "item",
    "description": "description",
    "domain description": "description",
}
"""Headings (any case) and the column each one names."""
MAX_ID = 40


@dataclass(frozen=True)
class ScaleOptions:
    """The scale every item is rated on, as given on the command line."""

    points: int = 5
    anchors: dict[int, str] = field(default_factory=dict)
    not_applicable: bool = True


@dataclass
class _Domain:
    title: str
    row: int
    description: str = ""
    description_row: int = 0
    items: list[tuple[int, str]] = field(default_factory=list)


def parse_anchors(values: list[str]) -> dict[int, str]:
    """``["1=Not yet", "5=Consistently"]`` as ``{1: "Not yet", 5: "Consistently"}``;
    ImportRefused saying which one is not written ``POINT=LABEL``."""
    anchors: dict[int, str] = {}
    for value in values:
        point, sep, label = value.partition("=")
        if not sep or not point.strip().isdigit() or not label.strip():
            raise ImportRefused(
                f"The anchor {quoted(value)} is not written as POINT=LABEL. Write, for "
                "example, --anchor 1='Not yet' --anchor 5=Consistently."
            )
        anchors[int(point)] = label.strip()
    return anchors


def _scale_problems(scale: ScaleOptions) -> list[str]:
    if scale.points < 2:
        return [
            f"The scale has {scale.points} point{'s' if scale.points != 1 else ''}: a rating "
            "needs at least two to choose from. Give --points 4, 5 or more."
        ]
    return [
        f"The anchor {point}={quoted(label)} is not a point of the scale (1 to {scale.points}). "
        f"Give anchors for points 1 to {scale.points} only, or raise --points."
        for point, label in sorted(scale.anchors.items())
        if not 1 <= point <= scale.points
    ]


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    problems: list[str] = []
    for index, heading in enumerate(header):
        column = HEADINGS.get(heading_key(heading))
        if column and column not in found:
            found[column] = index
    for needed in ("domain", "item"):
        if needed not in found:
            named = ", ".join(quoted(h) for h in header if clean_cell(h)) or "none"
            problems.append(
                f"Row 1: there is no {needed!r} column (the headings are {named}). Name the "
                "columns Domain, Item and, if you like, Description."
            )
    return found, problems


def _cell(cells: list[str], index: int | None) -> str:
    return clean_cell(cells[index]) if index is not None and index < len(cells) else ""


def _read_domains(
    rows: list[tuple[int, list[str]]], columns: dict[str, int]
) -> tuple[list[_Domain], list[str]]:
    domains: dict[str, _Domain] = {}
    problems: list[str] = []
    for row, cells in rows:
        domain = " ".join(_cell(cells, columns["domain"]).split())
        item = " ".join(_cell(cells, columns["item"]).split())
        description = " ".join(_cell(cells, columns.get("description")).split())
        if not (domain or item or description):
            continue
        if not domain:
            problems.append(
                f"Row {row}: the item {quoted(item or description)} has no domain. Write its "
                "domain on every row (a merged cell counts only on its first row)."
            )
            continue
        entry = domains.setdefault(domain.casefold(), _Domain(domain, row))
        if description:
            if entry.description and description != entry.description:
                problems.append(
                    f"Row {row}: the domain {quoted(domain)} already has a different "
                    f"description (row {entry.description_row}). Give it on one row only."
                )
            elif not entry.description:
                entry.description, entry.description_row = description, row
        if not item:
            continue
        earlier = next((r for r, text in entry.items if text.casefold() == item.casefold()), 0)
        if earlier:
            problems.append(
                f"Row {row}: the item {quoted(item)} is already in {quoted(domain)} (row "
                f"{earlier}). Remove one of them, or reword it if they differ."
            )
            continue
        entry.items.append((row, item))
    for entry in domains.values():
        if not entry.items:
            problems.append(
                f"Row {entry.row}: the domain {quoted(entry.title)} has no items to rate. Add "
                "its items in the Item column, or remove the row."
            )
    if not domains and not problems:
        problems.append(
            "There is nothing to import: the file has headings but no rows of items. Put one "
            "item on each row, under the headings."
        )
    return list(domains.values()), problems


def slug(text: str, taken: set[str], fallback: str) -> str:
    """A framework id (lower-case letters, digits and ``_``) made from ``text``, not in
    ``taken`` (which it joins)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", plain)
    base = ""
    for word in words:
        if len(base) + len(word) + 1 > MAX_ID:
            break
        base = f"{base}_{word}" if base else word
    if not base or not base[0].isalpha():
        base = f"{fallback}_{base}" if base else fallback
    made, n = base, 2
    while made in taken:
        made, n = f"{base}_{n}", n + 1
    taken.add(made)
    return made


def read_framework(
    data: bytes,
    filename: str,
    *,
    framework_id: str,
    title: str,
    rated: str,
    scale: ScaleOptions,
    replaces: str = "",
    alongside: bool = False,
    sources: tuple[str, ...] = (),
) -> Framework:
    """The framework a spreadsheet holds; ImportRefused listing every problem (by row)."""
    problems = _scale_problems(scale)
    if not ID_PATTERN.match(framework_id):
        problems.append(
            f"The id {framework_id!r} is not a simple name. Give --id with lower-case letters, "
            "digits and dashes, starting with a letter (e.g. --id our-mentor-framework)."
        )
    if rated not in RATED:
        problems.append(f"--rated is {rated!r}: give mentor, mentee or anyone.")
    rows, _ = spreadsheet_rows(data, filename, lambda h: not _columns(h)[1])
    header, body = split_header(rows)
    columns, missing = _columns(header)
    problems += missing
    domains: list[_Domain] = []
    if not missing:
        domains, row_problems = _read_domains(body, columns)
        problems += row_problems
    if problems:
        count = len(problems)
        raise ImportRefused(
            f"Nothing was imported from {Path(filename).name}: {count} thing"
            f"{'s' if count != 1 else ''} to fix first.\n" + "\n".join(f"  {p}" for p in problems)
        )
    domain_ids: set[str] = set()
    built = []
    for entry in domains:
        item_ids: set[str] = set()
        items = tuple(Item(slug(text, item_ids, "item"), text) for _, text in entry.items)
        built.append(
            Domain(slug(entry.title, domain_ids, "domain"), entry.title, entry.description, items)
        )
    return Framework(
        framework_id,
        title,
        rated,
        Scale(scale.points, dict(sorted(scale.anchors.items())), scale.not_applicable),
        tuple(built),
        sources=sources,
        notes=f"Imported from {Path(filename).name}.",
        replaces=replaces,
        alongside=alongside,
    )


def framework_yaml(framework: Framework, origin: str) -> str:
    """The framework file for ``framework``, with a comment saying where it came from; it
    reads back to the same framework."""
    data: dict = {"id": framework.id, "title": framework.title, "rated": framework.rated}
    if framework.replaces:
        data["replaces"] = framework.replaces
    if framework.alongside:
        data["alongside"] = True
    data["scale"] = {
        "points": framework.scale.points,
        **({"anchors": framework.scale.anchors} if framework.scale.anchors else {}),
        "not_applicable": framework.scale.not_applicable,
    }
    if framework.sources:
        data["sources"] = list(framework.sources)
    data["notes"] = framework.notes
    data["domains"] = [
        {
            "id": d.id,
            "title": d.title,
            **({"description": d.description} if d.description else {}),
            "items": [{"id": i.id, "text": i.text} for i in d.items],
        }
        for d in framework.domains
    ]
    head = (
        f"# Imported from {origin} on {dt.date.today().isoformat()} by mentorkit kit "
        "import-framework.\n# Reword freely; keep the ids once people have rated against them.\n"
    )
    text = head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    parse_framework(text, origin)  # raises SpecError if the file would not read back
    return text


def import_framework(folder: Path, framework: Framework, origin: str, force: bool = False) -> Path:
    """Write ``framework`` into the frameworks ``folder`` as ``<id>.yaml`` once the folder's
    frameworks, with it, are all fine together; ImportRefused (nothing written) otherwise."""
    from mentorkit.programme.frameworks import load_frameworks

    target = folder / f"{framework.id}.yaml"
    if target.exists() and not force:
        raise ImportRefused(
            f"{target} already exists. Give another --id, or add --force to replace it."
        )
    text = framework_yaml(framework, origin)
    try:
        load_frameworks(folder, adding=(target, text))
    except SpecError as error:
        raise ImportRefused(
            "Nothing was imported: with it, the kit's frameworks would not work together.\n"
            + "\n".join(f"  {p}" for p in error.problems)
            + "\nGive --replaces ID to use it instead of another framework, or --alongside "
            "to rate it as well."
        ) from None
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
