"""The shape most glossary files have, read line by line in Python, without libyaml's events.

A large glossary is thousands of entries written the same simple way: block mappings and
sequences, one scalar per line, plain or quoted, flow lists of plain words. For that shape,
reading lines with a few string operations is several times faster than libyaml's event stream,
whose every event is a Python object (at 200,000 entries, 2.7 million of them).

`load` reads only that shape and gives up (returns NOT_PLAIN) on the first line it is not sure of:
anchors, aliases, tags, merge keys, block scalars, multi-line scalars, escapes, flow mappings,
a key given twice, anything malformed. The caller then reads the file with the full loader
(yamlload.py), which also locates every error; so this module never reports one, and whatever it
returns is what the full loader returns for the same text (tests/test_yamlload.py compares them).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from typing import Any

NOT_PLAIN = object()  # "read this with the full loader"

# A line: its indentation, a dash (an item), a key, and the rest (a value, a comment, or nothing).
_LINE = re.compile(r"( *)(-(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_-]{0,200}):(?: +|$))?(.*)")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"(?: +#.*)?')
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'(?: +#.*)?")
_FLOW_LIST = re.compile(r"\[([^\[\]{}#\"']*)\](?: +#.*)?")
# What a plain scalar may not start with (flow and block indicators, quotes), or, in a flow list,
# hold at all besides the separating commas.
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",[]{}:#")
# YAML 1.1 implicit types, as PyYAML's safe loader resolves them; a plain scalar that does not
# start with one of these characters is always a string.
_MAYBE_TYPED = set("~nNtTfFyYoO0123456789+-.")
# A plain scalar starting with none of these is text, read as it stands.
_NOT_TEXT_START = _MAYBE_TYPED | _NOT_PLAIN_START
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
_INT = re.compile(
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"
)
_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_TRUE = {"yes", "true", "on"}
# Decimal integers longer than this stay text: int() refuses over 4,300 digits (CVE-2020-10735).
_MAX_DECIMAL_DIGITS = 4000
# Block nesting deeper than this is left to the full loader, which refuses it by its own rules.
_MAX_DEPTH = 50
# The text is split into lines a piece at a time: a list of every line of a 70 MB file at once
# would cost as much memory as the text again.
_PIECE = 1 << 20


def load(text: str) -> Any:
    """The document as dicts, lists and scalars, as yamlfile.load_document gives it; NOT_PLAIN when the
    text is not in the simple shape (see the module's docstring)."""
    # The open containers, outermost first: (column of their keys or dashes, the dict or list);
    # the innermost is also kept apart, for the usual line: one more key of the same mapping.
    open_: list[tuple[int, Any]] = []
    top_column = -1
    top: Any = None
    pending: tuple[dict[Any, Any], Any, int] | None = None  # a key whose value starts on a later line
    root: Any = NOT_PLAIN
    names: dict[str, Any] = {}  # key text → the key (the same few keys on every entry)
    match_line = _LINE.match
    start = 0
    while start < len(text):
        end = text.find("\n", start + _PIECE)
        end = len(text) if end < 0 else end + 1
        for line in text[start:end].split("\n"):
            if not line.isprintable():
                return NOT_PLAIN  # a tab, a control character, a YAML line break, a BOM, a no-break space
            indent, dash, key, rest = match_line(line).groups()  # type: ignore[union-attr]  # matches any line
            if rest and rest[-1] == " ":
                rest = rest.rstrip(" ")
            if not dash and key is None:
                if not rest or rest[0] == "#":
                    continue  # a blank line or a comment
                return NOT_PLAIN  # a scalar on a line of its own: a continued scalar, or an error
            column = len(indent)
            if dash or pending is not None or column != top_column or type(top) is not dict:
                if pending is not None:
                    owner, pending_name, key_column = pending
                    pending = None
                    # The key's value: a list at the key's own column or deeper, a mapping deeper; else null.
                    if dash and column >= key_column:
                        owner[pending_name] = []
                        open_.append((column, owner[pending_name]))
                    elif not dash and column > key_column:
                        owner[pending_name] = {}
                        open_.append((column, owner[pending_name]))
                # A line closes what is deeper; a key also closes a list at its own column (`terms:` then `- …`).
                while open_ and (
                    open_[-1][0] > column or (not dash and open_[-1][0] == column and type(open_[-1][1]) is list)
                ):
                    open_.pop()
                if not open_:
                    if root is not NOT_PLAIN:
                        return NOT_PLAIN  # a second top-level node
                    root = [] if dash else {}
                    open_.append((column, root))
                top_column, top = open_[-1]
                if top_column != column or type(top) is not (list if dash else dict):
                    return NOT_PLAIN
                if dash:
                    items: list[Any] = open_[-1][1]  # top, checked above
                    if key is None:
                        if not rest or rest[0] == "#":
                            return NOT_PLAIN  # an item on the lines below: rare, left to the full loader
                        value = _value(rest)
                        if value is NOT_PLAIN:
                            return NOT_PLAIN
                        items.append(value)
                        continue
                    item: dict[Any, Any] = {}
                    items.append(item)
                    column += len(dash)
                    open_.append((column, item))
                    top_column, top = column, item
                    if len(open_) > _MAX_DEPTH:
                        return NOT_PLAIN
            mapping: dict[Any, Any] = top  # a dict, checked above
            name = names.get(key)
            if name is None:
                name = names[key] = resolve_plain(key)
            if name in mapping:
                return NOT_PLAIN  # the full loader refuses a key given twice, and says where
            if not rest or rest[0] == "#":
                mapping[name] = None
                pending = (mapping, name, column)
                continue
            first = rest[0]
            if first == '"':
                quoted = _DOUBLE_QUOTED.fullmatch(rest)
                if quoted is None:
                    return NOT_PLAIN
                mapping[name] = quoted.group(1)
                continue
            if first not in _NOT_TEXT_START and " #" not in rest and ": " not in rest and rest[-1] != ":":
                mapping[name] = rest  # plain text, as `_value` would read it (the usual term or category)
                continue
            value = _value(rest)
            if value is NOT_PLAIN:
                return NOT_PLAIN
            mapping[name] = value
        start = end
    return root


def _value(text: str) -> Any:
    """The scalar or flow list `text` (a key's value or a dash's item, without trailing spaces)
    reads as; NOT_PLAIN when unsure."""
    first = text[0]
    if first == '"':
        quoted = _DOUBLE_QUOTED.fullmatch(text)
        return quoted.group(1) if quoted else NOT_PLAIN
    if first == "'":
        quoted = _SINGLE_QUOTED.fullmatch(text)
        return quoted.group(1).replace("''", "'") if quoted else NOT_PLAIN
    if first == "[":
        flow = _FLOW_LIST.fullmatch(text)
        if flow is None:
            return NOT_PLAIN
        inner = flow.group(1).strip(" ")
        if not inner:
            return []
        items = []
        for item in inner.split(","):
            item = item.strip(" ")
            if not item or _indicator_first(item) or not _FLOW_INDICATORS.isdisjoint(item):
                return NOT_PLAIN
            items.append(resolve_plain(item))
        return items
    if _indicator_first(text):
        return NOT_PLAIN
    comment = text.find(" #")
    if comment >= 0:
        text = text[:comment].rstrip(" ")
    if ": " in text or text[-1] == ":":
        return NOT_PLAIN
    return resolve_plain(text)


def _indicator_first(text: str) -> bool:
    """Whether `text` starts with what cannot start a plain scalar (`-5` can; `- 5` cannot)."""
    return text[0] in _NOT_PLAIN_START and not (text[0] == "-" and len(text) > 1 and text[1] != " ")


def resolve_plain(value: str) -> Any:
    """What a plain (unquoted, untagged) scalar means, as PyYAML's safe loader resolves it, except
    that sexagesimal numbers and timestamps stay text."""
    if value and value[0] not in _MAYBE_TYPED:
        return value
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() in _TRUE
    if _INT.match(value) and ":" not in value:
        text = value.replace("_", "")
        sign = -1 if text[0] == "-" else 1
        text = text.lstrip("+-")
        if text in ("0b", "0x"):
            return value  # '0x_' fits YAML's int pattern but has no digits (PyYAML itself crashes)
        if text.startswith("0b"):
            return sign * int(text[2:], 2)
        if text.startswith("0x"):
            return sign * int(text[2:], 16)
        if text != "0" and text.startswith("0"):
            return sign * int(text, 8)
        if len(text) > _MAX_DECIMAL_DIGITS:
            return value  # Python refuses to convert more than 4,300 digits; no glossary needs the number
        return sign * int(text)
    if _FLOAT.match(value) and ":" not in value:
        text = value.replace("_", "").lower()
        if text.endswith("nan"):
            return float("nan")
        return float(text.replace(".inf", "inf"))
    return value  # sexagesimal numbers and timestamps stay text: a glossary has no use for them
