"""Checking the YAML files the city maintains (the registry of bodies, the annex of
resolution 835): every problem at once, each with its line, instead of stopping at the
first. Plain Python, no CKAN.

``compose`` reads the text as a node tree (marks give the lines); a ``NodeChecker`` walks
it, reading values and mappings and collecting ``(line, who, field, message)`` problems.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node

Fields = dict[str, tuple[Node, Node]]


class SyntaxProblem(ValueError):
    """The text is not YAML at all; ``line`` (1-based, 0 if unknown) and ``message``."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def compose(text: str) -> Node | None:
    """The node tree of ``text`` (None for an empty document); ``SyntaxProblem`` if not YAML."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SyntaxProblem(mark.line + 1 if mark is not None else 0, f"not valid YAML: {problem}") from exc


def line(node: Node) -> int:
    # PyYAML marks are 0-based.
    return node.start_mark.line + 1


class NodeChecker:
    """Walks a composed tree, collecting problems instead of stopping. ``who`` names the
    entry a problem belongs to (a body's slug, an annex row's id)."""

    def __init__(self) -> None:
        self.problems: list[Any] = []
        self._constructor = SafeConstructor()
        self._values: dict[int, Any] = {}

    def add(self, line: int, who: str | None, name: str | None, message: str) -> None:
        self.problems.append((line, who, name, message))

    def value(self, node: Node) -> Any:
        """The Python value of a node; an unreadable one (e.g. the date 2021-13-45) is
        reported once and read as null."""
        key = id(node)
        if key not in self._values:
            try:
                self._values[key] = self._constructor.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError, TypeError) as exc:
                self.add(line(node), None, None, f"cannot read value {node.value!r}: {exc}")
                self._values[key] = None
        return self._values[key]

    def mapping(self, node: Node, who: str | None, what: str) -> Fields | None:
        """Key → (key node, value node); reports non-mappings and duplicate keys."""
        if not isinstance(node, MappingNode):
            self.add(line(node), who, what, "must be a mapping")
            return None
        out: Fields = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if not isinstance(key, str):
                self.add(line(key_node), who, what, f"key {key!r} must be text")
            elif key in out:
                self.add(line(key_node), who, key, f"duplicate key (first on line {line(out[key][0])})")
            else:
                out[key] = (key_node, value_node)
        return out
