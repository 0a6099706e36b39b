"""Find the glossary files a run should use and open their compiled form.

On the warm path this module only stats files and opens the cache; reading, validating and
merging YAML (`layers.py`) is imported only when the cache must be rebuilt.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from . import places, store
from .errors import GlossaryError
from .paths import MAX_FILE_BYTES, GlossarySpec, labelled_files
from .paths import builtin_path as builtin_path  # re-exported: callers name these from here
from .paths import discover as discover
from .sqlite import sqlite3
from .store import Glossary

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    T = TypeVar("T")

    from .model import Problem


def load(spec: GlossarySpec | None = None, *, use_cache: bool = False) -> Glossary:
    """The compiled, merged glossary for a spec (default: what `bpoterms` would load).

    With `use_cache`, a fresh cache file is reused and a missing, stale or corrupt one is
    rebuilt (also when the damage shows only later, mid-command); a cache folder that cannot be
    written, is shared without the sticky bit, or does not exist (no home folder) only costs speed.
    """
    spec = spec or discover()
    files = [path for path, _label in labelled_files(spec)]
    path = store.cache_file(files) if use_cache else None
    if path is not None and not store.safe_folder(os.path.dirname(path)):
        path = None
    if path is not None:
        try:
            cached = store.open_cached(path, files)
        except store.StaleCache:
            pass
        else:
            cached.rebuild_with(lambda: _compile(spec, files, path))
            return cached
    return _compile(spec, files, path)


def _compile(spec: GlossarySpec, files: list[str], path: str | None) -> Glossary:
    """Read, validate and merge the YAML, then compile it into the cache file (or memory)."""
    return _without_cycle_collection(_read_and_compile, spec, files, path)


def _read_and_compile(spec: GlossarySpec, files: list[str], path: str | None) -> Glossary:
    stamps = []
    for file in files:
        try:
            now = store.stamp(file)
            digest = store.content_hash(file, MAX_FILE_BYTES + 1) if now[1] <= MAX_FILE_BYTES else ""
            stamps.append((*now, digest))
        except OSError:
            stamps.append((str(file), -1, -1, -1, -1, -1, ""))  # read_text below reports the real problem
    from . import builtin_layer
    from .layers import load_layers, merge_layers

    folder = _builtin_layer_folder(spec, use_cache=path is not None)
    merged = merge_layers(load_layers(spec, builtin_layer.reader(folder)))

    def build(db: Any) -> None:
        store.compile_into(db, merged.entries, merged.sources, merged.categories, merged.files, stamps)

    if path is not None:
        try:
            return store.write_cache(path, build)
        except (OSError, sqlite3.Error):
            pass  # an unwritable cache folder: answer from memory, say nothing
    return store.in_memory(build)


def loaded_paths(paths: Sequence[str] = (), include_builtin: bool = True) -> list[str]:
    """Every glossary file a run with these options reads, and the built-in one: what `export -o` must
    never overwrite."""
    try:
        spec = discover(paths, include_builtin)
    except GlossaryError:
        spec = GlossarySpec((), include_builtin)
    return [builtin_path(), *spec.paths]


def open_glossary(paths: Sequence[str] = (), include_builtin: bool = True, use_cache: bool = True) -> Glossary:
    """What the CLI loads: the built-in glossary, user layers, and the cache."""
    return load(discover(paths, include_builtin), use_cache=use_cache)


class Reloading:
    """The glossaries a run with these options loads, reopened whenever the set of files or one of
    them changes: for a process that answers many requests (`bpoterms mcp`) while a team edits its
    glossary."""

    def __init__(self, paths: Sequence[str] = (), include_builtin: bool = True, use_cache: bool = True) -> None:
        self.paths = list(paths)
        self.include_builtin = include_builtin
        self.use_cache = use_cache
        self._stamp: tuple[tuple[str, int, int], ...] | None = None
        self._glossary: Glossary | None = None

    def get(self) -> Glossary:
        """The current glossary; raises GlossaryError when a file is unusable."""
        spec = discover(self.paths, self.include_builtin)
        stamp = tuple(_size_and_time(path) for path, _label in labelled_files(spec))
        if self._glossary is None or stamp != self._stamp:
            self._glossary = load(spec, use_cache=self.use_cache)
            self._stamp = stamp
        return self._glossary


def _size_and_time(path: str) -> tuple[str, int, int]:
    try:
        info = os.stat(path)
    except OSError:
        return (path, -1, -1)
    return (path, info.st_size, info.st_mtime_ns)


def load_file(path: str | os.PathLike[str]) -> Glossary:
    """One file on its own, without the built-in glossary."""
    return load(GlossarySpec((os.fspath(path),), include_builtin=False))


def validate(spec: GlossarySpec, use_cache: bool = True) -> list[Problem]:
    """Every problem in every file of the spec (see `validation.validate`). With user layers and the
    cache, the built-in file's checked layer is remembered in the cache folder, as loading does, so
    checking a team glossary does not parse the unchanged built-in file again."""
    from . import builtin_layer
    from .validation import validate as validate_layers

    folder = _builtin_layer_folder(spec, use_cache)
    return _without_cycle_collection(validate_layers, spec, lambda path: builtin_layer.checked(path, folder))


def _without_cycle_collection(work: Callable[..., T], *args: Any) -> T:
    """`work(*args)` with Python's cycle collector paused. Reading and compiling a glossary makes
    millions of dicts, tuples and rows that live until it ends, and each collection pass walks all
    of them again, to find reference cycles that none of it forms: at 200,000 entries, more than
    half the time of checking the entries went on such passes. The collector is restored as it was."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        return work(*args)
    finally:
        if collecting:
            gc.enable()


def _builtin_layer_folder(spec: GlossarySpec, use_cache: bool) -> str | None:
    """Where the built-in file's validated layer is remembered between runs (builtin_layer.py): the
    cache folder, and only when other layers sit on the built-in glossary (alone, it is served by
    its compiled cache); None: in memory only."""
    folder = places.cache_folder() if use_cache and spec.paths else None
    return folder if folder is not None and store.safe_folder(folder) else None
