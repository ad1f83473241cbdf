"""Competency frameworks as data: domains, their behaviours, and the scale they are rated on.

A framework file (YAML, in ``worksheets/frameworks/``)::

    id: mentor-competencies
    title: Mentor competencies
    rated: mentor              # whose competencies: mentor, mentee or anyone
    replaces: mentor-competencies   # optional: use this one instead of that framework
    alongside: true            # optional: rate this as well as the others for the same role
    scale: {points: 5, anchors: {1: Not yet, 5: Consistently}, not_applicable: true}
    sources: [Ahern (2003) …]
    domains:
      - id: relate
        title: Relate
        description: Building the relationship.
        items:
          - {id: open_questions, text: Uses open questions to deepen the conversation}

Every problem in every file is reported at once, with file, line and place, like worksheets.
Two frameworks in use for the same people (the same ``rated``, or one rated by anyone) are an
error naming both files, unless one replaces the other or says it is rated alongside.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mentorkit.core.spec_loader import ID_PATTERN
from mentorkit.core.yamlfile import Collector, join, read_yaml, suggest, unknown_keys
from mentorkit.exceptions import SpecError, SpecProblem

FRAMEWORK_KEYS = frozenset(
    {"id", "title", "rated", "replaces", "alongside", "scale", "sources", "notes", "domains"}
)
SCALE_KEYS = frozenset({"points", "anchors", "not_applicable"})
DOMAIN_KEYS = frozenset({"id", "title", "description", "items"})
ITEM_KEYS = frozenset({"id", "text"})
RATED = ("mentor", "mentee", "anyone")
WHO = {"mentor": "mentors", "mentee": "mentees (and peers)", "anyone": "everyone"}


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
    replaces: str = ""
    alongside: bool = False
    lines: tuple[tuple[str, int], ...] = ()
    """The line of each top-level key, for problems found across files."""

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
    rated = raw.get("rated")
    if rated is None:
        out.add(
            "rated",
            "The framework does not say whose competencies it rates.",
            "Add rated: mentor, rated: mentee or rated: anyone.",
        )
        rated = "anyone"
    elif rated not in RATED:
        out.add("rated", f"rated is {rated!r}.", suggest(str(rated), RATED))
    replaces = raw.get("replaces", "")
    if replaces and (not isinstance(replaces, str) or not ID_PATTERN.match(replaces)):
        out.add(
            "replaces",
            f"replaces is {replaces!r}, not a framework id.",
            "Write the id of the framework this one is used instead of, e.g. "
            "replaces: mentor-competencies",
        )
        replaces = ""
    alongside = raw.get("alongside", False)
    if not isinstance(alongside, bool):
        out.add("alongside", "alongside must be true or false.", "Write alongside: true")
        alongside = False
    if replaces and alongside:
        out.add(
            "alongside",
            "A framework cannot both replace another and be rated alongside it.",
            "Keep replaces: to use this one instead, or alongside: true to rate both.",
        )
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
        replaces=replaces or "",
        alongside=alongside,
        lines=tuple((k, v) for k, v in out.lines.items() if k and "." not in k),
    )


def load_frameworks(
    folder: str | Path, adding: tuple[Path, str] | None = None
) -> dict[str, Framework]:
    """The frameworks in use from a folder (none if it does not exist): every file except
    those another one replaces. All problems, in files and between them, raised at once.
    ``adding`` is a (path, text) read as if it were already written there."""
    folder = Path(folder)
    problems: list[SpecProblem] = []
    frameworks: dict[str, Framework] = {}
    texts = {
        path: path.read_text(encoding="utf-8")
        for path in (sorted(folder.glob("*.y*ml")) if folder.is_dir() else [])
    }
    if adding:
        texts[adding[0]] = adding[1]
    for path, text in sorted(texts.items()):
        try:
            framework = parse_framework(text, str(path))
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
    in_use = _in_use(frameworks, problems)
    if problems:
        raise SpecError(problems)
    return in_use


def _problem(framework: Framework, key: str, message: str, fix: str) -> SpecProblem:
    return SpecProblem(framework.source, dict(framework.lines).get(key), key, message, fix)


def _in_use(frameworks: dict[str, Framework], problems: list[SpecProblem]) -> dict[str, Framework]:
    """The frameworks not replaced by another; a replacement of an unknown framework, two
    replacing one, and two in use for the same people without ``alongside`` are problems."""
    replaced_by: dict[str, Framework] = {}
    for framework in frameworks.values():
        target = framework.replaces
        if not target:
            continue
        if target == framework.id:
            problems.append(
                _problem(
                    framework,
                    "replaces",
                    "A framework cannot replace itself.",
                    "Write the id of the other framework, or remove replaces:.",
                )
            )
        elif target not in frameworks:
            problems.append(
                _problem(
                    framework,
                    "replaces",
                    f"It replaces {target!r}, but no framework in this folder has that id.",
                    suggest(target, frameworks)
                    + " Or remove replaces: if there is nothing to replace.",
                )
            )
        elif target in replaced_by:
            problems.append(
                _problem(
                    framework,
                    "replaces",
                    f"{replaced_by[target].source} replaces {target!r} too.",
                    "Let one framework replace it; give the other alongside: true to rate both.",
                )
            )
        else:
            replaced_by[target] = framework
    in_use = {k: f for k, f in frameworks.items() if k not in replaced_by}
    seen: list[Framework] = []
    for framework in in_use.values():
        for earlier in seen:
            same_people = "anyone" in (framework.rated, earlier.rated) or (
                framework.rated == earlier.rated
            )
            if same_people and not (framework.alongside or earlier.alongside):
                who = WHO[framework.rated if framework.rated != "anyone" else earlier.rated]
                problems.append(
                    _problem(
                        framework,
                        "rated",
                        f"Both {earlier.source} and {framework.source} are rated by {who}, "
                        "who would be asked to rate themselves on both.",
                        f"To use this one instead, add replaces: {earlier.id} to it. To rate "
                        "both, add alongside: true to it.",
                    )
                )
        seen.append(framework)
    return in_use
