"""Read one glossary file's text and parse it as YAML, every error located to line and column.

With yamlload.py (and layers.py's probe of huge files), the only users of yaml; imported only when a
file is not in the simple shape the line reader takes (plainyaml.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import GlossaryError
from .paths import MAX_FILE_BYTES

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from typing import Any

Path_ = tuple  # a location inside a document: ("terms", 3, "aliases", 1); to mypy, tuple[Any, ...]


def read_text(path: str | Path) -> str:
    """The file's text, or a GlossaryError saying in plain words why it cannot be read."""
    path = Path(path)
    name = str(path)
    try:
        if path.is_dir():
            raise GlossaryError(name, "is a folder, not a glossary file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise GlossaryError(
                name, f"file is too large ({size // 2**20} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB)"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GlossaryError(name, "no such file") from None
    except PermissionError:
        raise GlossaryError(name, "permission denied") from None
    except IsADirectoryError:
        raise GlossaryError(name, "is a folder, not a glossary file") from None
    except OSError as exc:
        raise GlossaryError(name, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise GlossaryError(name, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", line) from None
    if not text.strip():
        raise GlossaryError(name, "file is empty")
    return text


def load_document(text: str) -> Any:
    """The document as dicts, lists and scalars; raises yaml.YAMLError (or yamlload.UnsupportedTag).

    A text in the simple shape most glossaries have is read by the line reader (plainyaml.py),
    which never raises. PyYAML, whose import alone is about twice Python's start-up, is imported
    only for any other text: libyaml's events read it (`yamlload.load_events`), and find every error.
    """
    from .plainyaml import NOT_PLAIN
    from .plainyaml import load as load_plain

    plain = load_plain(text)
    if plain is not NOT_PLAIN:
        return plain
    from . import yamlload

    return yamlload.load_events(text)


def parse_yaml(text: str, name: str) -> Any:
    """Safe-load YAML (no tag can construct Python objects), errors located to line and column."""
    try:
        return load_document(text)
    except RecursionError:
        raise GlossaryError(name, "YAML nesting is too deep") from None
    except Exception as exc:
        import yaml  # imported already: only libyaml's route raises

        if not isinstance(exc, yaml.YAMLError):
            raise
        raise _located(exc, text, name) from None


def _located(exc: Any, text: str, name: str) -> GlossaryError:
    """A YAML error as one located message."""
    import yaml

    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        syntax = isinstance(exc, (yaml.scanner.ScannerError, yaml.parser.ParserError))
        reason = f"{'YAML syntax error' if syntax else 'YAML error'}: {exc.problem or exc.context}"
        if mark is None:
            return GlossaryError(name, reason)
        return GlossaryError(name, reason, mark.line + 1, mark.column + 1)
    if isinstance(exc, yaml.reader.ReaderError):  # a control character: located by its offset
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return GlossaryError(name, f"YAML error: {str(exc).splitlines()[0]}", line, column)
    return GlossaryError(name, f"YAML error: {str(exc).splitlines()[0]}")


def _nodes(text: str, wanted: set[Path_], limit: int | None = None) -> Iterator[tuple[Path_, Any, Any]]:
    """(path, key event or None, node event) for each node whose path is in `wanted`, in file order.

    Streams libyaml's events, so memory stays flat however large or deep the file, and a caller
    stops reading as soon as it has what it needs. A node reached through an alias is the alias.
    `limit` caps the number of events read.
    """
    from itertools import islice

    import yaml

    from .yamlload import Loader, _scalar

    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    frames: list[list[Any]] = []  # [path (None: not wanted), is mapping, next index, pending key event]
    for event in islice(yaml.parse(text, Loader=Loader), limit):
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frames.pop()
            continue
        if kind is not yaml.ScalarEvent and kind is not yaml.AliasEvent and kind not in starts:
            continue
        key_event = None
        path: Path_ | None = ()
        if frames:
            frame = frames[-1]
            if frame[1] and frame[3] is None:  # a mapping key, not a node of its own
                frame[3] = event
                if kind in starts:
                    frames.append([None, kind is yaml.MappingStartEvent, 0, None])
                continue
            if frame[1]:
                key_event, frame[3] = frame[3], None
                step: Any = _scalar(key_event) if type(key_event) is yaml.ScalarEvent else object()
            else:
                step, frame[2] = frame[2], frame[2] + 1
            path = None if frame[0] is None else (*frame[0], step)
            if path is not None and path not in wanted:
                path = None
        if path is not None:
            yield path, key_event, event
        if kind in starts:
            frames.append([path, kind is yaml.MappingStartEvent, 0, None])


def locate(text: str, paths: Iterable[tuple[Path_, bool]]) -> dict[tuple[Path_, bool], tuple[int, int]]:
    """Line and column (1-based) of each location (its key's, with `at_key`), from the event stream.

    Only called when there is something to report. Reading stops once every location is found,
    so refusing a huge file for a mistake near its top costs almost nothing.
    """
    import yaml

    wanted = list(dict.fromkeys(paths))
    prefixes = {path[:i] for path, _ in wanted for i in range(len(path) + 1)}
    nodes: dict[Path_, Any] = {}
    keys: dict[Path_, Any] = {}
    pending = set(wanted)
    for path, key_event, event in _nodes(text, prefixes):
        if path in nodes:
            continue  # a repeated key: the first one
        nodes[path] = event.start_mark
        if key_event is not None:
            keys[path] = key_event.start_mark
        if type(event) is yaml.AliasEvent:  # what lies behind an alias is located at the alias
            pending = {item for item in pending if item[0][: len(path)] != path}
        pending.discard((path, False))
        pending.discard((path, True))
        if not pending:
            break
    found: dict[tuple[Path_, bool], tuple[int, int]] = {}
    for path, at_key in wanted:
        mark = keys.get(path) if at_key else None
        if mark is None:
            mark = next((nodes[path[:i]] for i in range(len(path), -1, -1) if path[:i] in nodes), None)
        found[(path, at_key)] = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return found
