"""The compiled glossary: merged, validated entries in an indexed SQLite file, reused across runs.

Parsing YAML costs seconds for a large team glossary, so the CLI compiles the merged layers
once into a cache file and answers later runs from its indexes: an exact lookup reads one key
row and one entry, never the whole glossary. The same compiled form, built in memory, serves
`--no-cache` and unwritable cache folders, so there is one code path to test.

Size: the cache's whole life — schema, compiling, opening with its checks, the cache folder and
its safety rules — kept together because each part depends on the schema.
"""

from __future__ import annotations

import functools
import marshal
import os
import stat as stat_module
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from itertools import chain

from . import __version__, places
from .errors import BpotermsError, UnknownNameError
from .model import Category, Compute, ComputeInput, Entry, Example, LoadedFile, Quote, Source, Variant
from .normalize import compact, inflection_key_of, normalize, spelling_key_of
from .sqlite import insert_rows, sqlite3

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, NamedTuple, TypeVar

    from _typeshed import StrPath

    from . import nameindex

    T = TypeVar("T")
else:
    from .record import NamedTuple

FORMAT = 15  # bump when the schema or the meaning of any column changes
MEMORY = ":memory:"
# A temporary build file this old was left by a killed process (a live build keeps writing to its file).
STALE_BUILD_SECONDS = 300

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE entries(id INTEGER PRIMARY KEY, body BLOB NOT NULL);  -- id: a block of BLOCK entries
CREATE TABLE categories_of(category TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY(category, id)) WITHOUT ROWID;
CREATE TABLE keys(key TEXT NOT NULL, rank INTEGER NOT NULL, PRIMARY KEY(key, rank)) WITHOUT ROWID;
CREATE TABLE inflected(key TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY(key, id)) WITHOUT ROWID;
CREATE TABLE cited(id INTEGER PRIMARY KEY, times INTEGER NOT NULL);
CREATE VIRTUAL TABLE definitions USING fts5(
    definition, content='', columnsize=0, detail=none, tokenize='unicode61 remove_diacritics 2'
);
"""
# With the name index's (nameindex.TABLES, written here so that an exact lookup, which never reads
# the index, does not import it; a test keeps the two lists in step).
_TABLES = {
    "meta",
    "entries",
    "categories_of",
    "keys",
    "inflected",
    "cited",
    "definitions",
    "names",
    "postings",
    "deletions",
}
# Entries are stored BLOCK at a time, marshalled and deflated against a dictionary of sample blocks
# (meta `zdict`): one entry costs one small decompression, the file a fraction of the YAML's size.
BLOCK = 32
# A rank is kind * KIND_STEP + entry id: one integer orders the hits and says what each is.
KIND_STEP = 10_000_000
_KINDS = ("exact", "acronym", "alias")
_RANK_OF = {kind: n * KIND_STEP for n, kind in enumerate(_KINDS)}  # a key's rank: kind, then entry


class StaleCache(Exception):
    """The cache file cannot be trusted for this configuration; it will be rebuilt."""


class CacheError(BpotermsError):
    """The cache folder cannot be listed or cleared (`cache info`, `cache clear`); exit 2."""


# ---------------------------------------------------------------- the compiled glossary


def pack_entry(entry: Entry) -> Any:
    """The entry as nested plain tuples (marshal reads nothing else), field by field in model order.

    Only sources, compute, example and variants hold records; the other fields (strings, None,
    tuples of strings) are plain as they are. Field by field, a 200,000-entry compile packs in a
    fifth of the time `_plain(entry)` takes, with the same result (a test compares the two).
    """
    (term, definition, acronym, aliases, category, formula, see_also, confused_with, notes, sources, origin,
     region, direction, compute, example, variants) = entry  # fmt: skip
    return (term, definition, acronym, aliases, category, formula, see_also, confused_with, notes,
            tuple(map(tuple, sources)),  # a Quote holds two strings
            origin, region, direction,
            compute and _plain(compute), example and _plain(example), variants and _plain(variants))  # fmt: skip


def _plain(value: Any) -> Any:
    if type(value) is tuple:  # plain already unless it holds a record: most are tuples of strings
        for item in value:
            if isinstance(item, tuple):
                return tuple(map(_plain, value))
        return value
    if isinstance(value, tuple):  # a record (marshal refuses tuple subclasses)
        return tuple(map(_plain, value))
    return value


def unpack_entry(plain: Any) -> Entry:
    """The inverse of `pack_entry`: only the fields holding nested model types need rebuilding."""
    try:
        return _unpack_checked(plain)
    except (ValueError, TypeError, EOFError, IndexError) as exc:  # a damaged row: marshal or shape
        raise StaleCache(f"damaged entry: {exc}") from None


def _deflate_blocks(entries: Sequence[Entry]) -> tuple[bytes, Iterator[tuple[int, bytes]]]:
    """(dictionary, iterator of (block id, deflated block)): BLOCK entries a block, each block
    compressed on its own against a dictionary made of sample blocks. Blocks are made one at a
    time, so the build never holds the marshalled glossary whole."""

    def block(i: int) -> bytes:
        return marshal.dumps([pack_entry(e) for e in entries[i * BLOCK : (i + 1) * BLOCK]])

    count = (len(entries) + BLOCK - 1) // BLOCK
    step = max(1, count // 8)
    zdict = b"".join(block(i) for i in range(0, count, step))[-32_768:]
    return zdict, ((i, _deflate(block(i), zdict)) for i in range(count))


def _deflate(data: bytes, zdict: bytes) -> bytes:
    import zlib

    compressor = _compressors.get(zdict)
    if compressor is None:
        compressor = _compressors[zdict] = zlib.compressobj(1, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY, zdict)
    each = compressor.copy()  # priming with the dictionary once is cheaper than for every block
    return each.compress(data) + each.flush()


_compressors: dict[bytes, Any] = {}


def _deflate_block(block: list[Any], zdict: bytes) -> bytes:
    """One block of packed entries as stored (the inverse of `_inflate_block`)."""
    return _deflate(marshal.dumps(block), zdict)


def _inflate_block(body: bytes, zdict: bytes) -> list[Any]:
    import zlib

    try:
        plain = marshal.loads(zlib.decompressobj(-15, zdict).decompress(body))
    except (zlib.error, ValueError, TypeError, EOFError) as exc:
        raise StaleCache(f"damaged entries: {exc}") from None
    if not isinstance(plain, list):
        raise StaleCache("damaged entries: not a block")
    return plain


def _unpack_checked(plain: Any) -> Entry:
    raw = Entry._make(plain)
    compute = raw.compute and Compute(raw.compute[0], tuple(ComputeInput(*i) for i in raw.compute[1]), raw.compute[2])
    return raw._replace(
        sources=tuple(Quote(*quote) for quote in raw.sources),
        compute=compute,
        example=raw.example and Example(*raw.example),
        variants=tuple(Variant(*variant) for variant in raw.variants),
    )


def _recovering(method: Callable[..., Any]) -> Callable[..., Any]:
    """Damage found after opening (a malformed page, a row that does not unmarshal) rebuilds the
    glossary from its YAML once, and the call is answered from the rebuilt copy."""

    @functools.wraps(method)
    def wrapper(self: Glossary, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            damage: Exception = exc
        except StaleCache as exc:
            damage = exc
        if self._rebuild is None:
            raise damage
        self._recover()
        return method(self, *args, **kwargs)

    return wrapper


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
            connection.execute(
                "SELECT key, value FROM meta WHERE key IN ('count', 'sources', 'categories', 'files', 'zdict')"
            )
        )
        try:
            self._zdict: bytes = meta["zdict"]
            self._count: int = marshal.loads(meta["count"])
            self.sources: dict[str, Source] = {s[0]: Source(*s) for s in marshal.loads(meta["sources"])}
            self.categories: dict[str, Category] = {c[0]: Category(*c) for c in marshal.loads(meta["categories"])}
            self.files: tuple[LoadedFile, ...] = tuple(LoadedFile(*f) for f in marshal.loads(meta["files"]))
        except (KeyError, ValueError, TypeError, EOFError) as exc:
            raise StaleCache(f"incomplete metadata: {exc}") from None
        self._cache: dict[int, Entry] = {}
        self._blocks: dict[int, list[Any]] = {}
        self._all: tuple[Entry, ...] | None = None
        self._names: NameTable | None = None
        self._compact_names: list[str] | None = None
        self._derived: dict[str, Any] = {}
        self._index: nameindex.NameIndex | None = None
        self._every_key: dict[str, list[tuple[int, str]]] | None = None
        self._rebuild: Callable[[], Glossary] | None = None

    def rebuild_with(self, rebuild: Callable[[], Glossary]) -> None:
        """How to get a fresh copy if this (cached) one turns out to be damaged; used once."""
        self._rebuild = rebuild

    def _recover(self) -> None:
        import contextlib  # damage is rare: the lookup route does not import this

        rebuild, self._rebuild = self._rebuild, None
        assert rebuild is not None
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        if self.path != MEMORY:
            with contextlib.suppress(OSError):
                os.unlink(self.path)  # so the rebuild writes a fresh file instead of trusting this one
        fresh = rebuild()
        self._db, self.path, self._count = fresh._db, fresh.path, fresh._count
        self.sources, self.categories, self.files = fresh.sources, fresh.categories, fresh.files
        self._zdict, self._blocks, self._index = fresh._zdict, {}, None
        self._cache, self._all, self._names = {}, None, None

    def __len__(self) -> int:
        return self._count

    @property
    @_recovering
    def entries(self) -> tuple[Entry, ...]:
        """Every entry, alphabetical; loaded in full only by the commands that show them all."""
        if self._all is None:
            zdict = self._zdict
            self._all = tuple(
                unpack_entry(plain)
                for (body,) in self._db.execute("SELECT body FROM entries ORDER BY id")
                for plain in _inflate_block(body, zdict)
            )
            if len(self._all) != self._count:
                self._all = None
                raise StaleCache("entries are missing")
        return self._all

    @_recovering
    def entry_at(self, entry_id: int) -> Entry:
        if self._all is not None:
            return self._all[entry_id]
        entry = self._cache.get(entry_id)
        if entry is None:
            block_id, offset = divmod(entry_id, BLOCK)
            block = self._blocks.get(block_id)
            if block is None:
                row = self._db.execute("SELECT body FROM entries WHERE id = ?", (block_id,)).fetchone()
                if row is None:
                    raise StaleCache(f"entry {entry_id} is missing")
                block = self._blocks[block_id] = _inflate_block(row[0], self._zdict)
            if not 0 <= offset < len(block):
                raise StaleCache(f"entry {entry_id} is missing")
            entry = self._cache[entry_id] = unpack_entry(block[offset])
        return entry

    @_recovering
    def exact_hits(self, key: str) -> list[tuple[int, str]]:
        """(entry id, kind) for a compact key, best kind first, then alphabetical."""
        if not key:
            return []  # the key of no name (punctuation-only names have a key of their own)
        if self._every_key is not None:
            return list(self._every_key.get(key, ()))
        rows = self._db.execute("SELECT rank FROM keys WHERE key = ? ORDER BY rank", (key,))
        return [(rank % KIND_STEP, _KINDS[rank // KIND_STEP]) for (rank,) in rows]

    @_recovering
    def read_every_key(self) -> None:
        """Hold the whole key table in memory, for a caller about to look up every name (the
        answers file): one query instead of one a name. Lookups answer exactly as before."""
        every: dict[str, list[tuple[int, str]]] = {}
        for key, rank in self._db.execute("SELECT key, rank FROM keys ORDER BY key, rank"):
            every.setdefault(key, []).append((rank % KIND_STEP, _KINDS[rank // KIND_STEP]))
        self._every_key = every

    @_recovering
    def inflected_hits(self, key: str) -> list[int]:
        if not key:
            return []
        return [
            entry_id for (entry_id,) in self._db.execute("SELECT id FROM inflected WHERE key = ? ORDER BY id", (key,))
        ]

    def get(self, name: str) -> Entry | None:
        """The entry a name, acronym or alias belongs to, or None."""
        hits = self.exact_hits(compact(name))
        return self.entry_at(hits[0][0]) if hits else None

    @_recovering
    def times_cited(self) -> dict[int, int]:
        """Entry id → how many entries name it in see_also or confused_with (counted when compiled)."""
        if "cited" not in self._derived:
            self._derived["cited"] = dict(self._db.execute("SELECT id, times FROM cited"))
        cited: dict[int, int] = self._derived["cited"]
        return cited

    @_recovering
    def times_cited_of(self, ids: Sequence[int]) -> dict[int, int]:
        """`times_cited` for a few entries only (entries nobody cites are left out)."""
        if "cited" in self._derived:
            everyone: dict[int, int] = self._derived["cited"]
            return {i: everyone[i] for i in ids if i in everyone}
        found: dict[int, int] = {}
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(f"SELECT id, times FROM cited WHERE id IN ({marks})", chunk))
        return found

    @_recovering
    def name_table(self) -> NameTable:
        if self._names is None:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'names'").fetchone()
            if row is None:
                raise StaleCache("name table is missing")
            try:
                self._names = NameTable(*marshal.loads(row[0]))
            except (ValueError, TypeError, EOFError) as exc:
                raise StaleCache(f"damaged name table: {exc}") from None
        return self._names

    @_recovering
    def compact_names(self) -> list[str]:
        """The name table's names without spaces (`wrapup`), for edit-distance look-ups."""
        if self._compact_names is None:
            self._compact_names = [name.replace(" ", "") for name in self.name_table().names]
        return self._compact_names

    def name_words(self) -> list[str]:
        """Every distinct word of every name, sorted, for correcting a typo in a single word: the word
        index's vocabulary, read with it, instead of splitting every name (a third of a second at
        200,000 entries)."""
        return self.name_index().vocab

    def is_name_word(self, word: str) -> bool:
        """Whether some name holds `word` as one of its words."""
        return self.name_index().word_id(word) is not None

    def derived(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value computed once from this glossary and kept while it is open (e.g. citation counts)."""
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]

    def ids_in_category(self, category: str) -> set[int]:
        self._check_category(category)
        return {i for (i,) in self._db.execute("SELECT id FROM categories_of WHERE category = ?", (category,))}

    def definition_hits(self, words: Sequence[str]) -> Counter[int]:
        """How many of the words start a word of each entry's definition (full-text index)."""
        return self._word_hits("definitions", words, limit=-1)

    @_recovering
    def name_index(self) -> nameindex.NameIndex:
        """The word index of the names (nameindex.py): candidates for fuzzy matching at scale."""
        if self._index is None:
            from . import nameindex

            try:
                self._index = nameindex.NameIndex(self._db)
            except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
                raise StaleCache(f"damaged name index: {exc}") from None
        return self._index

    @_recovering
    def recovering(self, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)`, done again once on a rebuilt copy if the cache turns out damaged midway: for
        work that reads the cache through the word index, whose reads find damage only as they go
        (`nameindex.DamagedIndex`), after answers have begun to be put together."""
        return work(*args)

    def name_count(self) -> int:
        """How many names (terms, acronyms, aliases) the name table holds, without loading it."""
        return len(self._names.names) if self._names is not None else len(self.name_index())

    @_recovering
    def one_edit_candidates(self, key: str) -> set[int] | None:
        """Positions of names that might be one edit from `key`, from the word index (see
        `NameIndex.one_edit_candidates`); None where checking every name is as quick."""
        return self.name_index().one_edit_candidates(key)

    @_recovering
    def name_word_hits(self, words: Sequence[str], limit: int) -> set[int]:
        """Positions in the name table of names with a word starting like one of the words."""
        return self.name_index().word_hits(words, limit)

    @_recovering
    def _word_hits(self, table: str, words: Sequence[str], limit: int) -> Counter[int]:
        found: Counter[int] = Counter()
        for word in dict.fromkeys(words):
            phrase = '"' + word.replace('"', '""') + '"*'
            try:
                rows = self._db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?", (phrase, limit))
                found.update(row_id for (row_id,) in rows)
            except sqlite3.OperationalError as exc:
                if "malformed" in str(exc) or "corrupt" in str(exc):
                    raise StaleCache(f"damaged index: {exc}") from None
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
    stamps: Sequence[tuple[Any, ...]] = (),
) -> None:
    """Write merged entries (already alphabetical) and their indexes into an empty database
    (glossary.py pauses the cycle collector meanwhile)."""
    db = connection
    db.executescript(_SCHEMA)
    zdict, blocks = _deflate_blocks(entries)
    db.executemany("INSERT INTO entries(id, body) VALUES (?, ?)", blocks)
    _compressors.clear()
    insert_rows(db, "INSERT INTO categories_of(category, id)", ((e.category, i) for i, e in enumerate(entries)), 2)
    # One row a statement: FTS5 writes its pending rows out at each statement's end, so its index
    # (and its shadow tables) would differ.
    db.executemany("INSERT INTO definitions(rowid, definition) VALUES (?, ?)", enumerate(e.definition for e in entries))
    # Two passes, each table's rows written and dropped before the next are made: at 200,000
    # entries either list of rows is tens of megabytes, the larger part of a build's peak.
    # A name's keys are made from its normalised form, not by normalising the name again.
    keys: list[tuple[str, int]] = []
    names: list[str] = []
    owners: list[int] = []
    fields: list[str] = []
    for i, entry in enumerate(entries):
        named = [(entry.term, "term", _RANK_OF["exact"] + i)]
        if entry.acronym:
            named.append((entry.acronym, "acronym", _RANK_OF["acronym"] + i))
        named += [(alias, "alias", _RANK_OF["alias"] + i) for alias in entry.aliases]
        first_rank: dict[str, int] = {}  # an entry's key is written once, with its best kind
        for name, field, rank in named:
            normalized = normalize(name)
            names.append(normalized)
            owners.append(i)
            fields.append(field)
            first_rank.setdefault(normalized.replace(" ", "") or compact(name), rank)  # = compact(name)
            first_rank.setdefault(spelling_key_of(normalized), rank)  # `utilisation` is found as `utilization`
        first_rank.pop("", None)
        keys += first_rank.items()
    keys.sort()
    insert_rows(db, "INSERT OR IGNORE INTO keys(key, rank)", keys, 2)
    del keys
    inflected: dict[tuple[str, int], None] = {}
    normalized_names = iter(names)  # each entry's names, normalised, in the order entry.names() gives them
    for i, entry in enumerate(entries):
        for name in entry.names():
            inflected_key = inflection_key_of(name, next(normalized_names))
            if inflected_key:  # a name of punctuation only has no word form to share
                inflected[(inflected_key, i)] = None
    insert_rows(db, "INSERT INTO inflected(key, id)", sorted(inflected), 2)
    del inflected
    from . import nameindex

    nameindex.compile_into(db, names, owners, fields)
    insert_rows(db, "INSERT INTO cited(id, times)", _citations(entries), 2)
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
    db.execute("INSERT INTO meta(key, value) VALUES ('zdict', ?)", (zdict,))
    db.commit()


def _citations(entries: Sequence[Entry]) -> list[tuple[int, int]]:
    """(entry id, times other entries name it in see_also or confused_with), for ranking ties.

    Names are counted first and each term looked up once: twice as fast at 200,000 entries as
    looking each cited name up among the terms. Of entries sharing a term, the last is the cited one.
    """
    each_once = (
        entry.see_also
        if len(entry.see_also) < 2 and not entry.confused_with
        else {*entry.see_also, *entry.confused_with}
        for entry in entries
    )
    times_named = Counter(chain.from_iterable(each_once))
    cited = []
    for i in range(len(entries) - 1, -1, -1):
        times = times_named.pop(entries[i].term, 0)
        if times:
            cited.append((i, times))
    cited.reverse()
    return cited


# ---------------------------------------------------------------- the cache folder


def cache_dir() -> Path | None:
    """The cache folder (see `places.cache_folder`) as a Path, for the `cache` commands; None: no cache.
    (Opening a glossary works on strings: `pathlib` is not imported on that route.)"""
    from pathlib import Path

    folder = places.cache_folder()
    return Path(folder) if folder is not None else None


def _real(path: StrPath) -> str:
    """The absolute path with symlinks resolved: the same file always gets the same cache name."""
    return os.path.realpath(os.path.abspath(path))


def cache_file(files: Sequence[StrPath]) -> str | None:
    """One cache file per configuration (which files, in which order, for which version); None: no cache."""
    import zlib  # a name, not a proof: open_cached checks every file's stamp and hash

    folder = places.cache_folder()
    if folder is None:
        return None
    config = repr((FORMAT, __version__, sys.version_info[:2], [_real(p) for p in files])).encode()
    return os.path.join(folder, f"glossary-{zlib.crc32(config):08x}{zlib.adler32(config):08x}.sqlite3")


def safe_folder(folder: StrPath) -> bool:
    """False for a folder others may write to without the sticky bit: they could swap our files in it."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        return True  # created by us, with our umask
    except OSError:
        return False
    shared = info.st_mode & (stat_module.S_IWGRP | stat_module.S_IWOTH)
    return not shared or bool(info.st_mode & stat_module.S_ISVTX)


def owned_by_us(info: os.stat_result) -> bool:
    geteuid = getattr(os, "geteuid", None)
    return geteuid is None or info.st_uid == geteuid()


Stamp = tuple[str, int, int, int, int, int]


def stamp(path: StrPath) -> Stamp:
    """What identifies a file's content without reading it: where it really is, size, times, device, inode."""
    info = os.stat(path)
    return (_real(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_dev, info.st_ino)


def content_hash(path: StrPath, limit: int | None = None) -> str:
    """SHA-256 of the file, reading at most `limit` bytes (a device or a growing file cannot stall it)."""
    import hashlib

    digest = hashlib.sha256()
    left = limit
    with open(path, "rb") as handle:
        while left is None or left > 0:
            block = handle.read(1 << 20 if left is None else min(1 << 20, left))
            if not block:
                break
            digest.update(block)
            if left is not None:
                left -= len(block)
    return digest.hexdigest()


def _restamp(path: str, stamps: list[tuple[Any, ...]]) -> None:
    """Record the new stamps of files touched but unchanged (a checkout, a copy, `touch`), proven
    unchanged by their hash: without this, every later run would hash them again, which for a large
    glossary costs more than the lookup. A cache that cannot be written is only hashed again."""
    try:
        db = sqlite3.connect(path)
        try:
            with db:
                db.execute("UPDATE meta SET value = ? WHERE key = 'stamps'", (marshal.dumps(stamps),))
        finally:
            db.close()
    except sqlite3.Error:
        pass


def open_cached(path: str, files: Sequence[StrPath]) -> Glossary:
    """Open a cache file and prove it describes exactly these files now; else StaleCache.

    A file another user wrote is never trusted: the stamps cannot prove it was not edited.
    """
    try:
        info = os.stat(path)
        if not stat_module.S_ISREG(info.st_mode):
            raise StaleCache("no cache yet")
        if not owned_by_us(info):
            raise StaleCache("written by another user")
        db = _open_read_only(path)
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
        if [s[0] for s in stamps] != [_real(p) for p in files]:
            raise StaleCache("different files")
        current, touched = [], False
        for saved, file in zip(stamps, files, strict=True):
            now = stamp(file)
            if now[1:] != tuple(saved[1:6]):
                if now[1] != saved[1] or content_hash(file) != saved[6]:
                    raise StaleCache(f"{saved[0]} changed")
                touched = True  # the same content under a new stamp
            current.append((*now, saved[6]))
        if touched:
            _restamp(path, current)
        return Glossary(db, str(path))
    except FileNotFoundError:
        raise StaleCache("no cache yet") from None
    except (sqlite3.Error, KeyError, ValueError, TypeError, EOFError, IndexError, OSError) as exc:
        raise StaleCache(f"unreadable cache: {exc}") from None


def write_cache(path: str, build: Any) -> Glossary:
    """Build into a temporary file beside the cache, then rename it into place atomically.

    Two processes starting at once both build and both rename; either result is complete.
    Leftovers of builds that were killed (SIGKILL, a power cut) are removed first.
    """
    from pathlib import Path

    from .atomic import replace_atomically

    folder = Path(path).parent
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(folder)

    def fill(temporary: str) -> None:
        db = sqlite3.connect(temporary)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            build(db)
        finally:
            db.close()

    replace_atomically(Path(path), fill)
    return Glossary(_open_read_only(path), path)


def _open_read_only(path: str) -> sqlite3.Connection:
    """A read-only connection that reads the file through a memory map: the word index's arrays and
    the entries' blocks are megabytes at 200,000 entries, and mapped pages are read without being
    copied into SQLite's page cache first (about 2 ms of a 200,000-entry lookup). The cache is only
    ever replaced by a rename, never truncated in place, so the mapping stays valid."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    db.execute("PRAGMA mmap_size = 1073741824")
    return db


# The compiled glossaries, and the fast route's answers files (answers.py) made from them.
_CACHE_FILES = ("glossary-*.sqlite3", "answers-*.bin", "builtin-layer-*.bin")


def _builds(folder: Path) -> list[Path]:
    return sorted(p for pattern in _CACHE_FILES for p in folder.glob(f".{pattern.split('-')[0]}-*.tmp"))


def _cache_files(folder: Path) -> list[Path]:
    return sorted(p for pattern in _CACHE_FILES for p in folder.glob(pattern))


def remove_stale_builds(folder: Path, older_than: float = STALE_BUILD_SECONDS) -> int:
    """Delete temporary build files untouched for `older_than` seconds; returns how many."""
    import contextlib

    removed = 0
    now = time.time()
    for leftover in _builds(folder):
        with contextlib.suppress(OSError):
            info = leftover.lstat()
            if now - info.st_mtime > older_than and owned_by_us(info):
                leftover.unlink()
                removed += 1
    return removed


def in_memory(build: Any) -> Glossary:
    db = sqlite3.connect(MEMORY, check_same_thread=False)
    build(db)
    return Glossary(db)


class CacheListing(NamedTuple):
    folder: Path | None
    files: list[tuple[Path, int]]  # cache files with their sizes in bytes
    unfinished: list[tuple[Path, int]]  # temporary files of builds in progress or interrupted


def cache_listing() -> CacheListing:
    """What `cache info` shows; an unreadable folder is a CacheError."""
    folder = cache_dir()
    if folder is None:
        return CacheListing(None, [], [])
    try:
        if not folder.is_dir():
            return CacheListing(folder, [], [])
        files = [(p, p.stat().st_size) for p in _cache_files(folder)]
        unfinished = [(p, p.lstat().st_size) for p in _builds(folder)]
    except OSError as exc:
        raise CacheError(f"cannot read the cache folder {folder}: {(exc.strerror or str(exc)).lower()}") from None
    return CacheListing(folder, files, unfinished)


def cache_entries() -> list[Path]:
    return [path for path, _size in cache_listing().files]


def clear_cache() -> int:
    """Remove every cache file (and leftovers of interrupted builds); returns how many."""
    folder = cache_dir()
    removed = 0
    if folder is None:
        return 0
    try:
        if folder.is_dir():
            for path in [*_cache_files(folder), *_builds(folder)]:
                path.unlink(missing_ok=True)
                removed += 1
    except OSError as exc:
        raise CacheError(f"cannot clear {folder}: {(exc.strerror or str(exc)).lower()}") from None
    return removed
