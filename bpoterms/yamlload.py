"""Safe YAML → plain Python for glossary files, several times as fast as `yaml.load(CSafeLoader)`.

PyYAML's C loader parses in C but then builds a tree of node objects and runs every value
through generic Python constructor machinery. A glossary needs only mappings, lists, strings,
numbers, booleans and null, so we build them directly from libyaml's events (a text in the simple
shape most glossaries have is read from its lines before this module is even imported:
`yamlfile.load_document`, plainyaml.py). Any explicit tag other than
those core types is refused, so no document can construct a Python object. Aliases are converted
once and shared (never expanded), so an alias bomb costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from .plainyaml import resolve_plain

_CORE = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _CORE + "str", _CORE + "map", _CORE + "seq"

# A glossary nests five deep. libyaml slows quadratically with flow nesting ('[[[[…': 100,000
# levels take half a minute, 50 MB of them forever), so refuse long before that.
MAX_DEPTH = 100
# Characters above which the parser reads the text as a stream (see `_Chunks`).
STREAM_ABOVE = 4 * 2**20


class UnsupportedTag(yaml.MarkedYAMLError):
    """A tag that would construct something other than plain data (located, when known)."""

    def __init__(self, problem: str, mark: Any = None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


Loader = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader


def load_events(text: str) -> Any:
    """The document built straight from libyaml's event stream: composing PyYAML node objects
    first costs ten times what the parse itself does. A key given twice in one mapping is an
    error (YAML 1.2 forbids it; PyYAML silently keeps the last value, dropping the first). Merge
    keys (`<<: *base`) work as in PyYAML: the mapping's own keys win over merged ones.
    """
    stack: list[Any] = []  # open containers; a dict is paired with its pending key
    keys: list[Any] = []
    merges: list[list[tuple[Any, Any]] | None] = []  # per open container: (merged value, its mark), read at its end
    anchors: dict[str, Any] = {}
    root: Any = None
    documents = 0
    _missing = object()
    _merge = object()

    def attach(value: Any, event: Any) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        container = stack[-1]
        if isinstance(container, list):
            container.append(value)
        elif keys[-1] is _missing:
            try:
                hash(value)
            except TypeError:
                raise UnsupportedTag("a mapping key must be a plain value", event.start_mark) from None
            if value in container:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {value!r}: the first value would be silently dropped",
                    problem_mark=event.start_mark,
                )
            keys[-1] = value
        elif keys[-1] is _merge:
            # Kept as given and read when the mapping closes: a `[*a, *b]` list is still empty now.
            pending = merges[-1] if merges[-1] is not None else []
            merges[-1] = [*pending, (value, event.start_mark)]
            keys[-1] = _missing
        else:
            container[keys[-1]] = value
            keys[-1] = _missing

    for event in _events(text):
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if (
                event.value == "<<"
                and event.tag is None
                and not event.style
                and stack
                and isinstance(stack[-1], dict)
                and keys[-1] is _missing
            ):
                keys[-1] = _merge
                continue
            value = _scalar(event)
            if event.anchor:
                anchors[event.anchor] = value
            attach(value, event)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            mapping = kind is yaml.MappingStartEvent
            if len(stack) >= MAX_DEPTH:
                problem = f"nested more than {MAX_DEPTH} levels deep"
                raise yaml.MarkedYAMLError(problem=problem, problem_mark=event.start_mark)
            _check_collection_tag(event, _MAP if mapping else _SEQ)
            container: Any = {} if mapping else []
            if event.anchor:
                anchors[event.anchor] = container
            attach(container, event)
            stack.append(container)
            keys.append(_missing)
            merges.append(None)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done, pending = stack.pop(), merges.pop()
            keys.pop()
            for given, mark in pending or ():
                sources = given if isinstance(given, list) else [given]
                if not all(isinstance(source, dict) for source in sources):
                    raise yaml.MarkedYAMLError(
                        problem="a merge key (<<) takes a mapping or a list of mappings", problem_mark=mark
                    )
                for source in sources:
                    for key, value in source.items():
                        done.setdefault(key, value)  # its own keys first, then earlier merges over later
        elif kind is yaml.AliasEvent:
            if event.anchor not in anchors:
                raise yaml.MarkedYAMLError(
                    problem=f"found undefined alias {event.anchor!r}", problem_mark=event.start_mark
                )
            attach(anchors[event.anchor], event)  # shared, never copied: an alias bomb stays small
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise yaml.MarkedYAMLError(
                    problem="expected a single document in the file, found more", problem_mark=event.start_mark
                )
    return root


def _events(text: str) -> Iterator[Any]:
    """libyaml's events, with its own depth limit (newer releases stop at 1,000 levels, in their
    own words) reported as ours, so the message does not change with the installed libyaml."""
    try:
        yield from yaml.parse(_Chunks(text) if len(text) > STREAM_ABOVE else text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" not in (exc.problem or ""):
            raise
        raise yaml.MarkedYAMLError(
            problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=exc.problem_mark
        ) from None


class _Chunks:
    """The text as a stream the parser reads piece by piece. Given the whole string, PyYAML's C
    parser first copies it into one UTF-8 buffer (as large again as a large file's text: 75 MB
    more at the peak of a 200,000-entry build); read from a stream, it encodes a piece at a time,
    for about a tenth more parsing time, so only texts above STREAM_ABOVE are streamed. Not
    `io.StringIO`: it copies the text at four bytes a character (288 MB for a 72 MB text)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._at = 0

    def read(self, size: int = -1) -> str:
        start = self._at
        self._at = len(self._text) if size < 0 else start + size
        return self._text[start : self._at]


def _check_collection_tag(event: Any, expected: str) -> None:
    if event.tag not in (None, "!", expected):
        raise UnsupportedTag(f"unsupported YAML tag {event.tag}", event.start_mark)


def _scalar(event: Any) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        return resolve_plain(event.value) if event.implicit[0] and not event.style else event.value
    if tag == _STR:
        return event.value
    if tag in (_CORE + "int", _CORE + "float", _CORE + "bool", _CORE + "null"):
        value = resolve_plain(event.value)
        expected = {"int": int, "float": float, "bool": bool, "null": type(None)}[tag[len(_CORE) :]]
        if type(value) is not expected:
            raise UnsupportedTag(f"{event.value!r} is not a valid {tag}", event.start_mark)
        return value
    raise UnsupportedTag(f"unsupported YAML tag {tag}", event.start_mark)
