"""The built-in glossary's validated layer, kept between compiles so an unchanged file is not parsed again.

A glossary layered on the built-in one is compiled again whenever one of its files changes: a team
lead saving `team.yaml`, `mcp` and `browse` reloading a changed file. Each time, the built-in file
(some 760 entries, unchanged) would be parsed and validated again, which costs about as much as
compiling the merged result; `bpoterms validate team.yaml` would do the same on every run. Instead
its layer (what merging needs of it: entries, sources, categories, ambiguous names, replacements,
and what `validate` reports from it: each entry's place and the file's own warnings) is remembered

- in memory, for the rest of the process, whatever the cache options (a pure function of the text);
- in the cache folder, for layered glossaries loaded or validated with the cache: read instead of
  the YAML, and written whenever the YAML had to be parsed. `--no-cache` neither reads nor writes
  it; the built-in glossary alone never needs it (its compiled cache serves every later run).

Both are keyed by the file's text (SHA-256), its path and label, the format, the version and the
code that validated it, so a changed file, an upgrade or an edited checkout reads the YAML again.
A missing, damaged or stale file is rewritten; a folder that cannot be written only costs speed.

Layout: MAGIC, the SHA-256 of the body, the body: marshal((key, layer)) of plain tuples, lists and
strings. Data only, never pickle: loading marshal data calls nothing (pickle can call any function
while loading), the values are only rebuilt into the model's tuples, and, as for the compiled cache,
a file another user owns is never read.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from . import __version__, store
from .layers import FileContent, _Finding, load_text
from .model import Category, Entry, Source
from .paths import BUILTIN_LABEL
from .yamlfile import read_text

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from typing import Any

FORMAT = 2  # bump when the layout or the meaning of what is stored changes
MAGIC = b"bpoterms built-in layer\n"
_DIGEST = 32  # bytes of SHA-256

_remembered: tuple[tuple[Any, ...], FileContent] | None = None  # (key, layer) of the last built-in read
_code: tuple[tuple[str, int, int], ...] | None = None


def reader(folder: str | None) -> Callable[[str], FileContent]:
    """What `layers.load_layers` calls for the built-in file; `folder`: the cache folder, or None."""
    return lambda path: load(path, folder)


def load(path: str | Path, folder: str | None, label: str = BUILTIN_LABEL) -> FileContent:
    """The built-in file's layer: remembered in memory, else in `folder`, else parsed and validated
    (its first error raises GlossaryError, as `layers.load_text` does) and remembered."""
    return checked(path, folder, label)[0]


def checked(path: str | Path, folder: str | None, label: str = BUILTIN_LABEL) -> tuple[FileContent, str]:
    """The layer, as `load` gives it, and the file's text: what `validate` needs to place the layer's
    warnings. A file with an error is never remembered (`load_text` raises), and for a file without
    one, checking stops nowhere, so the layer holds every warning that checking it in full finds."""
    global _remembered
    text = read_text(path)
    key = _key(os.fspath(path), label, text)
    if _remembered is not None and _remembered[0] == key:
        return _copy(_remembered[1]), text
    file = _file_for(folder, os.fspath(path)) if folder is not None else None
    content = _read(file, key) if file is not None else None
    if content is None:
        content = _copy(load_text(text, path, label, keep_warnings=True))
        if file is not None:
            _write(file, key, content)
    _remembered = (key, content)
    return _copy(content), text


def _file_for(folder: str, path: str) -> str:
    """The remembered layer's file in the cache folder: one per built-in file and Python version."""
    import zlib

    name = repr((FORMAT, sys.version_info[:2], os.path.realpath(path))).encode()
    return os.path.join(folder, f"builtin-layer-{zlib.crc32(name):08x}.bin")


def _key(path: str, label: str, text: str) -> tuple[Any, ...]:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return (FORMAT, __version__, sys.version_info[:2], path, label, _code_stamp(), digest)


def _code_stamp() -> tuple[tuple[str, int, int], ...]:
    """Every module of the package by name, size and time, taken once a process: a checkout whose
    code changed (the version did not) validates the YAML again."""
    global _code
    if _code is None:
        here = os.path.dirname(os.path.abspath(__file__))
        try:
            found = [(e.name, e.stat()) for e in os.scandir(here) if e.name.endswith(".py")]
        except OSError:
            found = []
        _code = tuple(sorted((name, info.st_size, info.st_mtime_ns) for name, info in found))
    return _code


def _copy(content: FileContent) -> FileContent:
    """What merging and `validate` read of a layer, in containers of its own (the remembered one is
    never shared)."""
    return FileContent(
        content.name,
        list(content.entries),
        dict(content.sources),
        dict(content.categories),
        set(content.ambiguous),
        list(content.findings),
        list(content.where),
        dict(content.replaces),
    )


def _read(file: str, key: tuple[Any, ...]) -> FileContent | None:
    """The layer stored in `file` for exactly this key; None if it is missing, damaged, stale or not ours."""
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO put there cannot stall us
    except (OSError, ValueError):
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or not store.owned_by_us(info):
                return None
            data = handle.read()
    except OSError:
        return None
    body = data[len(MAGIC) + _DIGEST :]
    if not data.startswith(MAGIC) or data[len(MAGIC) : len(MAGIC) + _DIGEST] != hashlib.sha256(body).digest():
        return None
    try:
        saved_key, layer = marshal.loads(body)
        return _layer(layer) if saved_key == key else None
    except (ValueError, TypeError, EOFError, IndexError, store.StaleCache):
        return None


def _write(file: str, key: tuple[Any, ...], content: FileContent) -> None:
    """Store the layer atomically; a folder that cannot be written is left as it is."""
    from .atomic import replace_atomically

    layer = (
        content.name,
        [(store.pack_entry(entry), merge) for entry, merge in content.entries],
        [tuple(source) for source in content.sources.values()],
        [tuple(category) for category in content.categories.values()],
        sorted(content.ambiguous),
        sorted(content.replaces.items()),
        [(finding.path, finding.message, finding.severity, finding.at_key) for finding in content.findings],
        list(content.where),
    )
    body = marshal.dumps((key, layer))
    data = MAGIC + hashlib.sha256(body).digest() + body

    def fill(temporary: str) -> None:
        with open(temporary, "wb") as handle:
            handle.write(data)

    try:
        os.makedirs(os.path.dirname(file), exist_ok=True)
        replace_atomically(Path(file), fill)
    except (OSError, ValueError):
        pass


def _layer(plain: Any) -> FileContent:
    """The inverse of the layer `_write` stores."""
    name, entries, sources, categories, ambiguous, replaces, findings, where = plain
    built: list[tuple[Entry, bool]] = [(store.unpack_entry(entry), bool(merge)) for entry, merge in entries]
    return FileContent(
        str(name),
        built,
        {source[0]: Source(*source) for source in sources},
        {category[0]: Category(*category) for category in categories},
        set(ambiguous),
        [_Finding(tuple(at), str(message), str(severity), bool(at_key)) for at, message, severity, at_key in findings],
        [tuple(at) for at in where],
        dict(replaces),
    )
