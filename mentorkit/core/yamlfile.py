"""Reading YAML while remembering the line of every key, so problems can name their line.

Shared by the worksheet and framework loaders: ``read_yaml`` gives plain Python data and a
:class:`Collector` that turns (path, what is wrong, how to fix) into located problems.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from mentorkit.exceptions import SpecError, SpecProblem

_LAST_SEGMENT = re.compile(r"(\.[^.\[\]]+|\[\d+\])$|^[^.\[\]]+$")
_SCALARS = yaml.constructor.SafeConstructor()
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Collector:
    """Gathers problems for one file, knowing the line of every path in it."""

    def __init__(self, file: str, lines: dict[str, int]):
        self.file, self.lines = file, lines
        self.problems: list[SpecProblem] = []

    def add(self, path: str, message: str, fix: str) -> None:
        """Record a problem at ``path`` (its own line, or its nearest parent's)."""
        probe = path
        line = self.lines.get(probe)
        while line is None and probe:
            probe = _LAST_SEGMENT.sub("", probe)
            line = self.lines.get(probe)
        self.problems.append(SpecProblem(self.file, line, path, message, fix))


def join(path: str, key: str | int) -> str:
    """``fields`` + 2 -> ``fields[2]``; ``fields[2]`` + ``id`` -> ``fields[2].id``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def suggest(word: str, choices: Iterable[str]) -> str:
    """ "Did you mean …?" for a near miss, else the list of choices."""
    close = difflib.get_close_matches(str(word), list(choices), n=1)
    return f"Did you mean {close[0]!r}?" if close else f"Use one of: {', '.join(sorted(choices))}."


def unknown_keys(raw: dict, allowed: Iterable[str], path: str, out: Collector) -> None:
    """Report every key of ``raw`` that is not allowed (typos are errors)."""
    allowed = set(allowed)
    for key in raw:
        if key not in allowed:
            out.add(join(path, str(key)), f"Unknown key {key!r}.", suggest(str(key), allowed))


def _scalar(node: yaml.Node) -> Any:
    return _SCALARS.construct_object(node, deep=True)


def _plain(node: yaml.Node, path: str, lines: dict[str, int], dupes: list[tuple[str, int]]) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = (
                _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            )
            child = join(path, str(key))
            if key in result:
                dupes.append((child, key_node.start_mark.line + 1))
            lines[child] = key_node.start_mark.line + 1
            result[key] = _plain(value_node, child, lines, dupes)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, join(path, i), lines, dupes) for i, item in enumerate(node.value)]
    return _scalar(node)


def read_yaml(text: str, file: str, empty_fix: str) -> tuple[dict[str, Any], Collector]:
    """Parse a YAML mapping; raise SpecError if it is not valid YAML or not a mapping.

    Duplicate keys are reported in the returned collector along with later problems.
    """
    out = Collector(file, {})
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise SpecError(
            [
                SpecProblem(
                    file,
                    mark.line + 1 if mark else None,
                    "",
                    f"This is not valid YAML: {problem}.",
                    "Check the indentation and colons on that line.",
                )
            ]
        ) from None
    if node is None:
        raise SpecError([SpecProblem(file, 1, "", "The file is empty.", empty_fix)])
    dupes: list[tuple[str, int]] = []
    raw = _plain(node, "", out.lines, dupes)
    for path, line in dupes:
        out.problems.append(
            SpecProblem(file, line, path, "This key appears twice.", "Keep only one.")
        )
    if not isinstance(raw, dict):
        raise SpecError(
            [
                SpecProblem(
                    file,
                    1,
                    "",
                    "The file must be a mapping of keys.",
                    "Start it with id: and title: lines.",
                )
            ]
        )
    return raw, out


def read_spec_file(path: Path) -> str:
    """A spec file's text; a file that cannot be read is a SpecError saying so."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(
            [
                SpecProblem(
                    str(path),
                    None,
                    "",
                    f"The file cannot be read ({error}).",
                    "Check the file exists and is saved as UTF-8 text.",
                )
            ]
        ) from None
