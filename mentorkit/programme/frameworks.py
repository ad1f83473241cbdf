"""Competency frameworks as data: domains, their behaviours, and the scale they are rated on.

A framework file (YAML, in ``worksheets/frameworks/``)::

    id: mentor-competencies
    title: Mentor competencies
    rated: mentor              # whose competencies: mentor, mentee or anyone
    scale: {points: 5, anchors: {1: Not yet, 5: Consistently}, not_applicable: true}
    sources: [Ahern (2003) …]
    domains:
      - id: relate
        title: Relate
        description: Building the relationship.
        items:
          - {id: open_questions, text: Uses open questions to deepen the conversation}

Every problem in every file is reported at once, with file, line and place, like worksheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mentorkit.core.spec_loader import ID_PATTERN
from mentorkit.core.yamlfile import Collector, join, read_yaml, suggest, unknown_keys
from mentorkit.exceptions import SpecError, SpecProblem

FRAMEWORK_KEYS = frozenset({"id", "title", "rated", "scale", "sources", "notes", "domains"})
SCALE_KEYS = frozenset({"points", "anchors", "not_applicable"})
DOMAIN_KEYS = frozenset({"id", "title", "description", "items"})
ITEM_KEYS = frozenset({"id", "text"})
RATED = ("mentor", "mentee", "anyone")


@dataclass(frozen=True)
class Scale:
    points: int
    anchors: dict[int, str]
    not_applicable: bool


@dataclass(frozen=True)
class Item:
    id: str
    text: str


@dataclass(frozen=True)
class Domain:
    id: str
    title: str
    description: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    rated: str
    scale: Scale
    domains: tuple[Domain, ...]
    sources: tuple[str, ...] = ()
    notes: str = ""
    source: str = ""

    @property
    def items(self) -> tuple[tuple[Domain, Item], ...]:
        """Every (domain, item) pair, in order."""
        return tuple((d, i) for d in self.domains for i in d.items)


def _scale(raw: object, out: Collector) -> Scale:
    if not isinstance(raw, dict):
        out.add(
            "scale",
            "The framework needs a scale.",
            "Add scale: {points: 5, anchors: {1: Not yet, 5: Consistently}}",
        )
        return Scale(5, {}, False)
    unknown_keys(raw, SCALE_KEYS, "scale", out)
    points = raw.get("points")
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        out.add(
            "scale.points",
            f"A scale needs at least two points (it has {points!r}).",
            "Write points: 5, or any whole number from 2.",
        )
        points = 0
    anchors: dict[int, str] = {}
    raw_anchors = raw.get("anchors") or {}
    if not isinstance(raw_anchors, dict):
        out.add(
            "scale.anchors", "anchors must map points to labels.", "Write anchors: {1: Not yet}"
        )
    else:
        for key, label in raw_anchors.items():
            if isinstance(key, bool) or not isinstance(key, int) or not 1 <= key <= max(points, 1):
                out.add(
                    join("scale.anchors", str(key)),
                    f"The anchor {key!r} does not match a point of the scale (1 to {points}).",
                    "Use the scale's point numbers as anchor keys.",
                )
            else:
                anchors[key] = str(label)
    not_applicable = raw.get("not_applicable", False)
    if not isinstance(not_applicable, bool):
        out.add(
            "scale.not_applicable",
            "not_applicable must be true or false.",
            "Write not_applicable: true",
        )
        not_applicable = False
    return Scale(points or 5, anchors, not_applicable)


def _ids_ok(value: object, path: str, seen: set[str], out: Collector, what: str) -> bool:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        out.add(
            join(path, "id"),
            f"The {what} id {value!r} is missing or not a simple name.",
            "Use lower-case letters, digits, - and _, starting with a letter.",
        )
        return False
    if value in seen:
        out.add(
            join(path, "id"),
            f"The {what} id {value!r} is used twice.",
            f"Give each {what} its own id.",
        )
        return False
    seen.add(value)
    return True


def _domains(raw: object, out: Collector) -> tuple[Domain, ...]:
    if not isinstance(raw, list) or not raw:
        out.add("domains", "The framework has no domains.", "Add domains: with at least one.")
        return ()
    domains: list = []
    domain_ids: set[str] = set()
    for index, entry in enumerate(raw):
        path = join("domains", index)
        if not isinstance(entry, dict):
            out.add(path, "A domain must be a mapping.", "Start it with - id: your_domain")
            continue
        unknown_keys(entry, DOMAIN_KEYS, path, out)
        ok = _ids_ok(entry.get("id"), path, domain_ids, out, "domain")
        if not entry.get("title"):
            out.add(join(path, "title"), "The domain has no title.", "Add title: …")
        items_raw = entry.get("items")
        if not isinstance(items_raw, list) or not items_raw:
            out.add(
                join(path, "items"),
                "This domain is empty: it has no items to rate.",
                "Add items: with at least one {id: …, text: …}.",
            )
            items_raw = []
        items: list = []
        item_ids: set[str] = set()
        for item_index, item in enumerate(items_raw):
            item_path = join(join(path, "items"), item_index)
            if not isinstance(item, dict):
                out.add(item_path, "An item must be a mapping.", "Write - {id: x, text: …}")
                continue
            unknown_keys(item, ITEM_KEYS, item_path, out)
            if _ids_ok(item.get("id"), item_path, item_ids, out, "item"):
                if not item.get("text"):
                    out.add(join(item_path, "text"), "The item has no text.", "Add text: …")
                items.append(Item(item["id"], str(item.get("text", ""))))
        if ok:
            domains.append(
                Domain(
                    entry["id"],
                    str(entry.get("title", "")),
                    str(entry.get("description", "")),
                    tuple(items),
                )
            )
    return tuple(domains)


def parse_framework(text: str, file: str = "<text>") -> Framework:
    """Parse one framework; raise SpecError listing every problem."""
    raw, out = read_yaml(text, file, "Add id, title, scale and domains.")
    unknown_keys(raw, FRAMEWORK_KEYS, "", out)
    if not isinstance(raw.get("id"), str) or not ID_PATTERN.match(raw["id"]):
        out.add(
            "id",
            f"The framework id {raw.get('id')!r} is missing or not a simple name.",
            "Use lower-case letters, digits and dashes.",
        )
    if not raw.get("title"):
        out.add("title", "The framework has no title.", "Add title: …")
    rated = raw.get("rated", "anyone")
    if rated not in RATED:
        out.add("rated", f"rated is {rated!r}.", suggest(str(rated), RATED))
    sources = raw.get("sources", [])
    if not isinstance(sources, list):
        out.add("sources", "sources must be a list.", "Write sources: [Ahern (2003) …]")
        sources = []
    scale = _scale(raw.get("scale"), out)
    domains = _domains(raw.get("domains"), out)
    if out.problems:
        raise SpecError(out.problems)
    return Framework(
        raw["id"],
        str(raw["title"]),
        rated,
        scale,
        domains,
        tuple(str(s) for s in sources),
        str(raw.get("notes", "")),
    )


def load_frameworks(folder: str | Path) -> dict[str, Framework]:
    """Every framework in a folder (none if it does not exist); all problems raised at once."""
    folder = Path(folder)
    problems: list[SpecProblem] = []
    frameworks: dict[str, Framework] = {}
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        try:
            framework = parse_framework(path.read_text(encoding="utf-8"), str(path))
        except SpecError as error:
            problems.extend(error.problems)
            continue
        if framework.id in frameworks:
            problems.append(
                SpecProblem(
                    str(path),
                    1,
                    "id",
                    f"The framework id {framework.id!r} "
                    f"is also used by {frameworks[framework.id].source}.",
                    "Give each framework its own id.",
                )
            )
            continue
        frameworks[framework.id] = Framework(**{**framework.__dict__, "source": str(path)})
    if problems:
        raise SpecError(problems)
    return frameworks
