"""The compiled glossary: merged, validated entries in an indexed SQLite file, reused across runs.

Parsing YAML costs seconds for a large team glossary, so the CLI compiles the merged layers
once into a cache file and answers later runs from its indexes: an exact lookup reads one key
row and one entry, never the whole glossary. The same compiled form, built in memory, serves
`--no-cache` and unwritable cache folders, so there is one code path to test.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__
from .errors import UnknownNameError
from .model import Category, Compute, ComputeInput, Entry, Example, LoadedFile, Quote, Source, Variant
from .normalize import compact, inflection_key, normalize, spelling_key

FORMAT = 6  # bump when the schema or the meaning of any column changes
MEMORY = ":memory:"

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE entries(id INTEGER PRIMARY KEY, category TEXT NOT NULL, body BLOB NOT NULL);
CREATE TABLE keys(key TEXT NOT NULL, id INTEGER NOT NULL, kind TEXT NOT NULL, rank INTEGER NOT NULL);
CREATE TABLE inflected(key TEXT NOT NULL, id INTEGER NOT NULL);
CREATE VIRTUAL TABLE definitions USING fts5(definition, content='', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE name_words USING fts5(name, content='', tokenize='unicode61 remove_diacritics 2');
"""
_INDEXES = """
CREATE INDEX keys_key ON keys(key);
CREATE INDEX inflected_key ON inflected(key);
CREATE INDEX entries_category ON entries(category);
"""
_TABLES = {"meta", "entries", "keys", "inflected", "definitions", "name_words"}
_KIND_RANK = {"exact": 0, "acronym": 1, "alias": 2}


class StaleCache(Exception):
    """The cache file cannot be trusted for this configuration; it will be rebuilt."""


# ---------------------------------------------------------------- the compiled glossary


def _pack(entry: Entry) -> bytes:
    """The entry as nested plain tuples (marshal reads nothing else), field by field in model order."""
    return marshal.dumps(_plain(entry))


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    return value


def _unpack(blob: bytes) -> Entry:
    """The inverse of `_pack`: only the fields holding nested model types need rebuilding."""
    raw = Entry._make(marshal.loads(blob))
    compute = raw.compute and Compute(raw.compute[0], tuple(ComputeInput(*i) for i in raw.compute[1]), raw.compute[2])
    return raw._replace(
        sources=tuple(Quote(*quote) for quote in raw.sources),
        compute=compute,
        example=raw.example and Example(*raw.example),
        variants=tuple(Variant(*variant) for variant in raw.variants),
    )


class NameTable(NamedTuple):
    """Every name, acronym and alias, normalised, with its entry id and field: the fuzzy stage's input."""

    names: list[str]
    owners: list[int]
    fields: list[str]


class Glossary:
    """A compiled glossary. Entry ids are positions in alphabetical order (0 … len-1).

    Entries are read on demand, so answering one lookup costs the same for 200 entries as
    for 200,000.
    """

    def __init__(self, connection: sqlite3.Connection, path: str = MEMORY) -> None:
        self._db = connection
        self.path = path
        meta = dict(
            connection.execute("SELECT key, value FROM meta WHERE key IN ('count', 'sources', 'categories', 'files')")
        )
        try:
            self._count: int = marshal.loads(meta["count"])
            self.sources: dict[str, Source] = {s[0]: Source(*s) for s in marshal.loads(meta["sources"])}
            self.categories: dict[str, Category] = {c[0]: Category(*c) for c in marshal.loads(meta["categories"])}
            self.files: tuple[LoadedFile, ...] = tuple(LoadedFile(*f) for f in marshal.loads(meta["files"]))
        except (KeyError, ValueError, TypeError, EOFError) as exc:
            raise StaleCache(f"incomplete metadata: {exc}") from None
        self._cache: dict[int, Entry] = {}
        self._all: tuple[Entry, ...] | None = None
        self._names: NameTable | None = None

    def __len__(self) -> int:
        return self._count

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every entry, alphabetical; loaded in full only by the commands that show them all."""
        if self._all is None:
            self._all = tuple(_unpack(body) for (body,) in self._db.execute("SELECT body FROM entries ORDER BY id"))
        return self._all

    def entry_at(self, entry_id: int) -> Entry:
        if self._all is not None:
            return self._all[entry_id]
        entry = self._cache.get(entry_id)
        if entry is None:
            row = self._db.execute("SELECT body FROM entries WHERE id = ?", (entry_id,)).fetchone()
            if row is None:
                raise StaleCache(f"entry {entry_id} is missing")
            entry = self._cache[entry_id] = _unpack(row[0])
        return entry

    def exact_hits(self, key: str) -> list[tuple[int, str]]:
        """(entry id, kind) for a compact key, best kind first, then alphabetical."""
        rows = self._db.execute("SELECT id, kind FROM keys WHERE key = ? ORDER BY rank", (key,))
        return [(entry_id, kind) for entry_id, kind in rows]

    def inflected_hits(self, key: str) -> list[int]:
        return [
            entry_id for (entry_id,) in self._db.execute("SELECT id FROM inflected WHERE key = ? ORDER BY id", (key,))
        ]

    def get(self, name: str) -> Entry | None:
        """The entry a name, acronym or alias belongs to, or None."""
        hits = self.exact_hits(compact(name))
        return self.entry_at(hits[0][0]) if hits else None

    def name_table(self) -> NameTable:
        if self._names is None:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'names'").fetchone()
            if row is None:
                raise StaleCache("name table is missing")
            self._names = NameTable(*marshal.loads(row[0]))
        return self._names

    def ids_in_category(self, category: str) -> set[int]:
        self._check_category(category)
        return {i for (i,) in self._db.execute("SELECT id FROM entries WHERE category = ?", (category,))}

    def definition_hits(self, words: Sequence[str]) -> Counter[int]:
        """How many of the words start a word of each entry's definition (full-text index)."""
        return self._word_hits("definitions", words, limit=-1)

    def name_word_hits(self, words: Sequence[str], limit: int) -> set[int]:
        """Positions in the name table of names with a word starting like one of the words."""
        return set(self._word_hits("name_words", words, limit))

    def _word_hits(self, table: str, words: Sequence[str], limit: int) -> Counter[int]:
        found: Counter[int] = Counter()
        for word in dict.fromkeys(words):
            phrase = '"' + word.replace('"', '""') + '"*'
            try:
                rows = self._db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?", (phrase, limit))
                found.update(row_id for (row_id,) in rows)
            except sqlite3.OperationalError:
                continue  # a word the full-text syntax cannot express matches nothing
        return found

    def _check_category(self, category: str) -> None:
        if category not in self.categories:
            choices = ", ".join(sorted(self.categories))
            raise UnknownNameError(f"unknown category '{category}' (choose from: {choices})")

    def filtered(self, category: str | None = None, source: str | None = None) -> list[Entry]:
        """Entries in one category and/or quoting one source; unknown names raise."""
        if category is not None:
            self._check_category(category)
        if source is not None and source not in self.sources:
            choices = ", ".join(sorted(self.sources))
            raise UnknownNameError(f"unknown source '{source}' (choose from: {choices})")
        return [
            e
            for e in self.entries
            if (category is None or e.category == category)
            and (source is None or any(q.source == source for q in e.sources))
        ]

    def close(self) -> None:
        self._db.close()


# ---------------------------------------------------------------- compiling


def compile_into(
    connection: sqlite3.Connection,
    entries: Sequence[Entry],
    sources: dict[str, Source],
    categories: dict[str, Category],
    files: Sequence[LoadedFile],
    stamps: Sequence[tuple[str, int, int, str]] = (),
) -> None:
    """Write merged entries (already alphabetical) and their indexes into an empty database."""
    db = connection
    db.executescript(_SCHEMA)
    db.executemany(
        "INSERT INTO entries(id, category, body) VALUES (?, ?, ?)",
        ((i, e.category, _pack(e)) for i, e in enumerate(entries)),
    )
    db.executemany("INSERT INTO definitions(rowid, definition) VALUES (?, ?)", enumerate(e.definition for e in entries))
    keys: list[tuple[str, int, str, int]] = []
    inflected: dict[tuple[str, int], None] = {}
    names: list[str] = []
    owners: list[int] = []
    fields: list[str] = []
    for i, entry in enumerate(entries):
        named = [(entry.term, "exact")]
        if entry.acronym:
            named.append((entry.acronym, "acronym"))
        named += [(alias, "alias") for alias in entry.aliases]
        seen: set[str] = set()
        for name, kind in named:
            normalized = normalize(name)
            key = normalized.replace(" ", "")  # compact(name), without normalising twice
            names.append(normalized)
            owners.append(i)
            fields.append("term" if kind == "exact" else kind)
            for each in (key, spelling_key(name)):  # `utilisation` is found as `utilization`
                if each and each not in seen:
                    seen.add(each)
                    keys.append((each, i, kind, _KIND_RANK[kind] * 10_000_000 + i))
            inflected[(inflection_key(name), i)] = None
    db.executemany("INSERT INTO name_words(rowid, name) VALUES (?, ?)", enumerate(names))
    db.executemany("INSERT INTO keys(key, id, kind, rank) VALUES (?, ?, ?, ?)", keys)
    db.executemany("INSERT INTO inflected(key, id) VALUES (?, ?)", inflected)
    db.executescript(_INDEXES)
    meta: dict[str, Any] = {
        "format": FORMAT,
        "version": __version__,
        "python": sys.version_info[:2],
        "count": len(entries),
        "sources": [(s.id, s.title, s.publisher, s.file, s.url) for s in sources.values()],
        "categories": [(c.id, c.description) for c in categories.values()],
        "files": [(f.path, f.entries, f.precedence, f.builtin) for f in files],
        "stamps": list(stamps),
        "names": (names, owners, fields),
    }
    db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", ((k, marshal.dumps(v)) for k, v in meta.items()))
    db.commit()


# ---------------------------------------------------------------- the cache folder


def cache_dir() -> Path:
    override = os.environ.get("BPOTERMS_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bpoterms"


def cache_file(files: Sequence[Path]) -> Path:
    """One cache file per configuration (which files, in which order, for which version)."""
    import zlib  # a name, not a proof: open_cached checks every file's stamp and hash

    config = repr((FORMAT, __version__, sys.version_info[:2], [str(p) for p in files])).encode()
    return cache_dir() / f"glossary-{zlib.crc32(config):08x}{zlib.adler32(config):08x}.sqlite3"


def stamp(path: Path) -> tuple[str, int, int]:
    info = path.stat()
    return (str(path), info.st_size, info.st_mtime_ns)


def content_hash(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_cached(path: Path, files: Sequence[Path]) -> Glossary:
    """Open a cache file and prove it describes exactly these files now; else StaleCache."""
    if not path.is_file():
        raise StaleCache("no cache yet")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables >= _TABLES:
            raise StaleCache("tables are missing")
        meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('format', 'version', 'python', 'stamps')"))
        if (
            marshal.loads(meta["format"]) != FORMAT
            or marshal.loads(meta["version"]) != __version__
            or tuple(marshal.loads(meta["python"])) != sys.version_info[:2]
        ):
            raise StaleCache("written by another version")
        stamps = marshal.loads(meta["stamps"])
        if [s[0] for s in stamps] != [str(p) for p in files]:
            raise StaleCache("different files")
        for (name, size, mtime, digest), file in zip(stamps, files, strict=True):
            now = stamp(file)
            if now[1:] != (size, mtime) and (now[1] != size or content_hash(file) != digest):
                raise StaleCache(f"{name} changed")
        return Glossary(db, str(path))
    except (sqlite3.Error, KeyError, ValueError, TypeError, EOFError, OSError) as exc:
        raise StaleCache(f"unreadable cache: {exc}") from None


def write_cache(path: Path, build: Any) -> Glossary:
    """Build into a temporary file beside the cache, then rename it into place atomically.

    Two processes starting at once both build and both rename; either result is complete.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        db = sqlite3.connect(temporary)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            build(db)
        finally:
            db.close()
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()
    return Glossary(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False), str(path))


def in_memory(build: Any) -> Glossary:
    db = sqlite3.connect(MEMORY, check_same_thread=False)
    build(db)
    return Glossary(db)


def cache_entries() -> list[Path]:
    folder = cache_dir()
    return sorted(folder.glob("glossary-*.sqlite3")) if folder.is_dir() else []


def clear_cache() -> int:
    """Remove every cache file (and leftovers of interrupted builds); returns how many."""
    folder = cache_dir()
    removed = 0
    if folder.is_dir():
        for path in [*folder.glob("glossary-*.sqlite3"), *folder.glob(".glossary-*.tmp")]:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
