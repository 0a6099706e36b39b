"""The word index of names: which names hold which words, so fuzzy matching scores a few names.

Fuzzy matching takes its candidates from here at every size, and so does search above
`scoring.SCAN_ALL_NAMES_BELOW` names (below it, search also scans every name for the query inside
a word). The index is compiled into the cache (`store.compile_into`):

- `vocab`: every distinct word of every normalised name, sorted (a word's id is its position), and
  the stem of each (`scoring.word_similarity` pairs words by edits and by stems), stored only
  where it is not the word itself (`stemmed_ids`, `stemmed`);
- `vocab_by_length`, `stems_by_length`: the word ids ordered by the length of the word, and of its
  stem, so the similarity search reads only the words long enough and short enough to be close;
- `postings`: for each word id, the ascending positions (in the name table) of the names holding it;
- `deletions`: at DELETIONS_FROM words or more, each word of up to SHORT_WORD letters, and each
  stem, filed under itself and the strings it becomes with letters deleted (`deleted_letters`:
  one, or down to three letters left: `cat` under `cat`, `at`, `ct`, `ca`; `level` under `evel`
  … and `vel`, `lel` …), so the similarity search finds the short words close to a query word
  by looking up the query's own deletions instead of comparing it with every short word (see
  `close_words`);
- `names`: each name with its owner and field, read a few rows at a time;
- `name_weights`: per name, twice the summed weight its words have in `scoring.name_score`, rounded
  down (255: no bound, for a long name or one that repeats a word);
- `name_shapes`: per name, the length of its words joined (American spellings, as `name_score`
  joins them) times 16 plus its word count (15: fifteen or more), two bytes;
- `name_letters`: per name, which letters its joined words hold once and twice (see `letters`),
  eight bytes: with the length, a lower bound of the edits between the joined query and the
  joined name, so the bound covers `name_score`'s whole-string comparison too.

A typo'd query word is paired with the vocabulary words `word_similarity` would pair it with
(the short words among them looked up in `deletions`, the others found with rapidfuzz over the
words of a length that could be close, then all checked with `word_similarity` itself); a name
holding some of those words gets an upper bound of the score `name_score` can give it, and names
are scored best bound first until no bound can beat the scores already found. Most names hold a
single paired word; they are bounded a group at a time first (by that word's weight and the
name's shape), and one by one only when the scorer reaches the group's bound. Names that pair no
query word can still meet it through the joined strings (`wrapup`, `wrap up`; `abandonmnet`,
`abandon metric`; `nester`, `nesting`): the names holding a word that starts or ends a query word,
that starts with the first four letters of a long query word, or that is close to two query words
joined, are candidates too, bounded by that comparison alone.

Size: the index's layout is written (`compile_into`), read (`NameIndex`) and used for the bounds
here, so a change to one of the three is made beside the others.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from .normalize import american
from .sqlite import insert_rows, sqlite3

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from typing import Any

TABLES = ("names", "postings", "deletions")
FIELDS = ("term", "acronym", "alias")
SCHEMA = """
CREATE TABLE names(pos INTEGER PRIMARY KEY, name TEXT NOT NULL, owner INTEGER NOT NULL, field INTEGER NOT NULL);
CREATE TABLE postings(word INTEGER PRIMARY KEY, positions BLOB NOT NULL);
CREATE TABLE deletions(key TEXT PRIMARY KEY, words BLOB NOT NULL, stems BLOB) WITHOUT ROWID;
"""
# Most words of a large glossary are short (30,000 of 35,000 at 200,000 entries have three or four
# letters), so every short query word was compared with most of the vocabulary. Words up to
# SHORT_WORD letters are filed in `deletions`, in a vocabulary of DELETIONS_FROM words or more
# (below, comparing with every word takes a fraction of a millisecond, and a compile is not slowed).
SHORT_WORD = 5
DELETIONS_FROM = 5_000
# Looking up a key in the deletion index costs about as much as comparing twenty words (measured at
# 200,000 entries); where a query word has more deletions than that, comparing is cheaper.
KEY_COST = 20
# Above this many words whose names might be one edit from a key, those names are too many to be
# worth finding through the index: the caller checks every name instead.
ONE_EDIT_WORDS = 2_000
# How many names are read and scored at a time, best bound first.
BATCH = 64
# (minus the upper bound of `name_score`, position, upper bound of its word-by-word part)
Bounded = tuple[float, int, float]
# The bounds of those of a group's names whose bound reaches a floor (by default, of all of them).
BoundsOf = Callable[..., list[Bounded]]
# What `NameIndex._bounds` gives: names bounded one by one, groups of names with their bound, and the
# function that bounds a group's names.
Candidates = tuple[list[Bounded], list[tuple[float, list[int]]], BoundsOf]
_TYPECODE = "I"
# Bits of `letters`: a-z seen once (bits 0-25) and twice (26-51), 0-9 seen once (52-61).
_ONCE = {chr(c): 1 << (c - 97) for c in range(97, 123)} | {str(d): 1 << (52 + d) for d in range(10)}
_TWICE = {chr(c): 1 << (c - 97 + 26) for c in range(97, 123)}
_LETTERS_ONCE = (1 << 26) - 1  # the bits of a-z seen once: shifted by 26, seen twice


def letters(text: str) -> int:
    """The letters and digits `text` holds, once and twice, as bits: the bits one string has and
    another lacks count at least the edits between them (each edit adds or removes at most one
    letter on either side; a swap none), other characters ignored."""
    seen = 0
    for char in text:
        once = _ONCE.get(char)
        if once is not None:
            seen |= _TWICE.get(char, 0) if seen & once else once
    return seen


def whole_bound(
    query_length: int, query_letters: int, query_words: int, shape: int, name_letters: int, edits: int = -1
) -> float:
    """At least `scoring.edit_similarity` of the joined query and the joined name (as
    `name_score` compares them), from lengths, word counts and letters only (or `edits`, a lower
    bound of the edits between them found so already)."""
    from .scoring import UNPAIRED_CAP

    length, words = shape >> 4, shape & 15
    longest, shortest = max(query_length, length), min(query_length, length)
    if edits < 0:
        edits = max(
            abs(query_length - length),
            (query_letters & ~name_letters).bit_count(),
            (name_letters & ~query_letters).bit_count(),
        )
    if edits == 0:
        similarity = 100.0
    else:
        similarity = (1.0 - edits / longest) * 100.0
        if edits == 1 and shortest >= 5 and longest >= 6:
            similarity = max(similarity, 92.0)
        elif edits == 2 and shortest >= 9:
            similarity = max(similarity, 85.0)
    if shortest <= 3:
        similarity *= 0.8
    return min(similarity, UNPAIRED_CAP) if words == query_words else similarity


def compile_into(db: sqlite3.Connection, names: Sequence[str], owners: Sequence[int], fields: Sequence[str]) -> None:
    """Write the word index of the name table (positions are list positions).

    A name's bounds are made from its words' (`_Words`), and there are far fewer distinct words than
    names (some 33,000 in 300,000 at 200,000 entries): each word is worked out once, and one pass,
    a few operations per word of every name, adds up each name's bounds and files it under its words.
    """
    from .normalize import stem
    from .scoring import _weight

    db.executescript(SCHEMA)
    field_ids = {field: i for i, field in enumerate(FIELDS)}
    insert_rows(
        db,
        "INSERT INTO names(pos, name, owner, field)",
        zip(range(len(names)), names, owners, map(field_ids.__getitem__, fields), strict=True),
        4,
    )
    words_met = _Words(_weight)
    weights = bytearray(len(names))
    shapes = array("H", bytes(2 * len(names)))
    held = array("Q", bytes(8 * len(names)))
    for i, name in enumerate(names):
        words = name.split()
        name_weight, length, name_letters, repeats = 0.0, 0, 0, False
        for word in words:
            weight, size, word_letters, holders = words_met[word]
            if holders and holders[-1] == i:  # the name repeats the word: filed once, no weight bound
                repeats = True
            else:
                holders.append(i)
            name_weight += weight
            length += size
            # A letter held once by two words is held twice by the joined words.
            name_letters |= word_letters | (name_letters & word_letters & _LETTERS_ONCE) << 26
        doubled, count = int(2 * name_weight), len(words)  # capped by comparisons, cheaper than min()
        weights[i] = 255 if repeats or doubled > 255 else doubled
        shapes[i] = (length if length < 4095 else 4095) << 4 | (count if count < 15 else 15)
        held[i] = name_letters
    vocab = sorted(words_met)
    postings = ((i, words_met[word][3].tobytes()) for i, word in enumerate(vocab))
    insert_rows(db, "INSERT INTO postings(word, positions)", postings, 2)
    stems = [stem(american(w)) for w in vocab]
    changed = [i for i, (word, its_stem) in enumerate(zip(vocab, stems, strict=True)) if its_stem != word]
    meta = {
        "vocab": "\n".join(vocab).encode(),
        # Most words are their own stems (all but 923 of 34,626 at 200,000 entries): only the others are stored.
        "stemmed_ids": array(_TYPECODE, changed).tobytes(),
        "stemmed": "\n".join(stems[i] for i in changed).encode(),
        "vocab_by_length": _by_length(vocab),
        "stems_by_length": _by_length(stems),
        "name_weights": bytes(weights),
        "name_shapes": shapes.tobytes(),
        "name_letters": held.tobytes(),
    }
    db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", meta.items())
    if len(vocab) >= DELETIONS_FROM:
        insert_rows(db, "INSERT INTO deletions(key, words, stems)", _deletion_rows(vocab, stems), 3)


def deleted_letters(length: int) -> int:
    """How many letters at most a word of `length` letters (up to SHORT_WORD) loses in the keys it is
    filed under: one, or as many as leave three. Fewer letters left would file each word under
    keys shared by thousands (there are 676 two-letter strings)."""
    return max(1, length - 3)


def _deletions(word: str, most: int) -> set[str]:
    """`word` and every string it becomes with up to `most` letters deleted."""
    found, level = {word}, {word}
    for _ in range(min(most, len(word))):
        level = {key[:k] + key[k + 1 :] for key in level for k in range(len(key))}
        found |= level
    return found


def _deletion_rows(vocab: list[str], stems: list[str]) -> Iterator[tuple[str, bytes, bytes | None]]:
    """(key, ids of the words, ids of the stems) for each string that a word or stem of up to
    SHORT_WORD letters is, or becomes with letters deleted (`deleted_letters`); the ids ascending."""
    filed: dict[str, tuple[array[int], array[int]]] = {}

    def keys_of(word: str) -> set[str]:
        return _deletions(word, deleted_letters(len(word))) if len(word) <= SHORT_WORD else set()

    for i, (word, its_stem) in enumerate(zip(vocab, stems, strict=True)):
        of_word = keys_of(word)
        for column, keys in enumerate((of_word, of_word if its_stem == word else keys_of(its_stem))):
            for key in keys:
                held = filed.get(key)
                if held is None:
                    held = filed[key] = (array(_TYPECODE), array(_TYPECODE))
                held[column].append(i)
    # Most short words are their own stems: a key's stems are stored only where they differ (NULL: the same).
    return (
        (key, words.tobytes(), None if stems == words else stems.tobytes())
        for key, (words, stems) in sorted(filed.items())
    )


class _Words(dict[str, "tuple[float, int, int, array[int]]"]):
    """Each word of the names compiled, as met: its share of a name's bounds (its `_weight`, the
    length and `letters` of its American spelling; summed, or for letters combined, they are the
    bounds of the joined words) and the ascending positions of the names holding it."""

    def __init__(self, weight_of: Callable[[str], float]) -> None:
        super().__init__()
        self._weight_of = weight_of

    def __missing__(self, word: str) -> tuple[float, int, int, array[int]]:
        spelled = american(word)
        share = self[word] = (self._weight_of(spelled), len(spelled), letters(spelled), array(_TYPECODE))
        return share


def _most_edits(query_length: int, query_words: int, shape: int, least: float) -> int:
    """The most edits (at least the length gap) at which `whole_bound` of a name of this shape still
    reaches `least`, or -1 where even the length gap is too many. `whole_bound` falls as the edits
    grow, so the edits are counted up from the gap until it drops below."""
    edits, longest = abs(query_length - (shape >> 4)), max(query_length, shape >> 4)
    if whole_bound(query_length, 0, query_words, shape, 0, edits) < least:
        return -1
    while edits < longest and whole_bound(query_length, 0, query_words, shape, 0, edits + 1) >= least:
        edits += 1
    return edits


def _by_length(words: list[str]) -> bytes:
    """The positions of the words, shortest word first (ties in position order), as `array` bytes."""
    return array(_TYPECODE, sorted(range(len(words)), key=lambda i: len(words[i]))).tobytes()


def _of_length(words: list[str], order: Sequence[int], length: int) -> range:
    """The span of `order` (word ids, shortest word first) holding the words of `length` letters."""
    start = bisect.bisect_left(order, length, key=lambda i: len(words[i]))
    return range(start, bisect.bisect_right(order, length, lo=start, key=lambda i: len(words[i])))


def _native(blob: bytes, typecode: str) -> memoryview:
    """The blob read as items of `typecode`, as `array.tobytes` wrote them, without a copy (a blob
    of the wrong length raises TypeError: a damaged index)."""
    return memoryview(blob).cast(typecode)  # type: ignore[call-overload]  # typeshed wants a literal


def _add_to_each(totals: dict[int, float], positions: Iterable[int], weight: float, start: float) -> list[int]:
    """`totals[pos] = totals.get(pos, start) + weight` for each of the (distinct) positions; returns
    the positions that were counted already.

    A plain loop over the posting list as it is: at 200,000 entries it is called with some 3,000
    positions six times a query, and building sets to do the same with set and dict operations in C
    took twice as long (3.5 ms a query)."""
    counted = []
    first = start + weight
    get = totals.get
    for pos in positions:
        total = get(pos)
        if total is None:
            totals[pos] = first
        else:
            totals[pos] = total + weight
            counted.append(pos)
    return counted


class DamagedIndex(sqlite3.DatabaseError):
    """Stored data of the index that does not decode, found after the cache was opened: damage
    to the database's content, so it is recovered from as the database's own errors are (the
    glossary rebuilt from its YAML, the work done again)."""


class NameIndex:
    """The word index of one open glossary (see the module's docstring)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        meta = dict(
            db.execute(
                "SELECT key, value FROM meta WHERE key IN "
                "('vocab', 'stemmed_ids', 'stemmed', 'vocab_by_length', 'stems_by_length', 'name_weights', "
                "'name_shapes', 'name_letters')"
            )
        )
        vocab = bytes(meta["vocab"]).decode()
        self.vocab: list[str] = vocab.split("\n") if vocab else []
        self._vocab_text = vocab  # the words, a newline between each: searched by `ending_with`
        stemmed = bytes(meta["stemmed"]).decode()
        self._stemmed = list(
            zip(_native(meta["stemmed_ids"], _TYPECODE), stemmed.split("\n") if stemmed else [], strict=True)
        )
        if self._stemmed and self._stemmed[-1][0] >= len(self.vocab):
            raise ValueError("a stem of a word the vocabulary does not hold")
        self._stems: list[str] | None = None
        self._vocab_by_length = _native(meta["vocab_by_length"], _TYPECODE)
        self._stems_by_length = _native(meta["stems_by_length"], _TYPECODE)
        # Read in place, not copied into arrays: the letters alone are 2.5 MB at 200,000 entries.
        self.weights: bytes = bytes(meta["name_weights"])
        self.shapes: Sequence[int] = _native(meta["name_shapes"], "H")
        self.letters: Sequence[int] = _native(meta["name_letters"], "Q")
        self._postings: dict[int, array[int]] = {}
        self._unbounded: list[int] | None = None
        self._kept_bounds: tuple[tuple[str, ...], Candidates] | None = None
        self._has_deletions: bool | None = None  # read at the first similarity search

    def __len__(self) -> int:
        """How many names the table holds."""
        return len(self.weights)

    def stems(self) -> list[str]:
        if self._stems is None:
            stems = list(self.vocab)
            for i, its_stem in self._stemmed:
                stems[i] = its_stem
            self._stems = stems
        return self._stems

    def positions(self, word_id: int) -> array[int]:
        found = self._postings.get(word_id)
        if found is None:
            row = self._db.execute("SELECT positions FROM postings WHERE word = ?", (word_id,)).fetchone()
            found = array(_TYPECODE)
            if row is not None:
                try:
                    found.frombytes(row[0])
                except (TypeError, ValueError):
                    raise DamagedIndex(f"the postings of word {word_id} do not decode") from None
                if found and found[-1] >= len(self.weights):  # ascending: the last is the largest
                    raise DamagedIndex(f"the postings of word {word_id} name a name the index does not hold")
            self._postings[word_id] = found
        return found

    def prefixed(self, prefix: str) -> range:
        """Ids of the vocabulary words starting with `prefix`."""
        start = bisect.bisect_left(self.vocab, prefix)
        end = bisect.bisect_left(self.vocab, prefix + "\U0010ffff", start)
        return range(start, end)

    def ending_with(self, suffix: str) -> list[int]:
        """Ids of the vocabulary words ending with `suffix` (no newline in it), found in the words'
        text by `str.find` rather than by testing each word, for a fraction of the time."""
        if not self.vocab:
            return []
        text, wanted, found = self._vocab_text + "\n", suffix + "\n", []
        word_id, counted = 0, 0
        at = text.find(wanted)
        while at != -1:  # a match ends at the newline closing its word; newlines before it count its id
            word_id += text.count("\n", counted, at)
            counted = at
            found.append(word_id)
            at = text.find(wanted, at + len(wanted))
        return found

    def one_edit_candidates(self, key: str, most_words: int = ONE_EDIT_WORDS) -> set[int] | None:
        """Positions of the names whose words, joined, might be one edit from `key` (five characters
        or more): every name that is, and others; None when they would come from more than
        `most_words` words, where checking every name is as quick.

        One edit (a character dropped, added, changed, or two swapped) leaves unchanged either the
        first half of `key` or what follows its middle character: the joined words of a name one
        edit away start with the one or end with the other. So either the name's first word is a
        prefix of that start or starts with it, or its last word is a suffix of that end or ends
        with it; the names holding such a word anywhere are returned.
        """
        half = len(key) // 2
        head, tail = key[:half], key[half + 1 :]
        parts = [head[:n] for n in range(1, len(head))] + [tail[n:] for n in range(1, len(tail))]
        words = {i for i in map(self.word_id, parts) if i is not None}
        words.update(self.prefixed(head))
        if len(words) > most_words:
            return None
        words.update(self.ending_with(tail))
        if len(words) > most_words:
            return None
        return self.holding(sorted(words))

    def word_id(self, word: str) -> int | None:
        """The id of `word` in the vocabulary; None when no name holds it."""
        i = bisect.bisect_left(self.vocab, word)
        return i if i < len(self.vocab) and self.vocab[i] == word else None

    def holding(self, word_ids: Sequence[int] | range) -> set[int]:
        found: set[int] = set()
        for word_id in word_ids:
            found.update(self.positions(word_id))
        return found

    def word_hits(self, words: Sequence[str], limit: int) -> set[int]:
        """Positions of names with a word starting like one of the words (as a full-text prefix
        query `"word"*` finds them: a word of several tokens needs them all, the last as a prefix);
        at most `limit` a word, the first in table order."""
        from .normalize import normalize

        found: set[int] = set()
        for word in dict.fromkeys(words):
            tokens = normalize(word).split()
            if not tokens:
                continue
            hits = self.holding(self.prefixed(tokens[-1]))
            for token in tokens[:-1]:
                i = self.word_id(token)
                hits.intersection_update(self.positions(i) if i is not None else ())
            found.update(sorted(hits)[:limit] if len(hits) > limit else hits)
        return found

    def rows(self, positions: Sequence[int]) -> list[tuple[int, str, int, str]]:
        """(position, name, owner, field) for the given positions, in the order given."""
        found: dict[int, tuple[int, str, int, str]] = {}
        for pos, name, owner, field in self._select_in(
            "SELECT pos, name, owner, field FROM names WHERE pos", positions
        ):
            found[pos] = (pos, name, owner, FIELDS[field])
        return [found[p] for p in positions if p in found]

    def similar_words(self, word: str) -> list[int]:
        """Ids of the vocabulary words `scoring.word_similarity` scores 70 or more against `word`
        (an American spelling, as `name_score` compares them)."""
        from .normalize import stem
        from .scoring import word_similarity

        # word_similarity >= 70 needs the same stem, or edits leaving >= 70 % of the longer word or
        # stem: a normalised similarity of 0.7 (0.6 leaves room for the British endings).
        ids = set(self.close_words(word, 0.6))
        ids.update(self.close_words(stem(word), 0.6, stems=True))
        ids.update(self._same_numbers(word))
        return sorted(i for i in ids if word_similarity(word, american(self.vocab[i])) >= 70.0)

    def close_words(self, text: str, cutoff: float, stems: bool = False) -> list[int]:
        """Ids of the vocabulary words within `cutoff` (above 0) normalised OSA similarity (0-1) of
        `text` (with `stems`, of the words whose stems are), in no order.

        Only words of a length that could be that close are compared: the similarity is 1 - edits /
        the longer length, and the edits are at least the difference of the lengths. At 200,000
        entries most words are three or four letters long, so a long query word is compared with a
        few hundred words, not 35,000; the short words close to a query word are looked up in the
        deletion index where it finds all of them (`_filed_lengths`).
        """
        from .scoring import close_choices

        words, order = (self.stems(), self._stems_by_length) if stems else (self.vocab, self._vocab_by_length)
        # Rounded outwards: a word too many is compared, never one too few.
        shortest, longest = math.ceil(len(text) * cutoff - 1e-9), int(len(text) / cutoff + 1e-9)
        filed = self._filed_lengths(len(text), shortest, longest, cutoff, words, order)
        candidates: list[int] = []
        for length in range(shortest, longest + 1):
            if length not in filed:
                span = _of_length(words, order, length)
                candidates += order[span.start : span.stop]
        if 2 * len(candidates) > len(words):  # most of the words: not worth picking them out
            return close_choices(text, words, cutoff)
        if filed:  # the index also files longer words under a key: those of other lengths were scanned
            found = self._deleted_to(text, filed, "coalesce(stems, words)" if stems else "words")
            candidates += [i for i in found if len(words[i]) in filed]
        return [candidates[i] for i in close_choices(text, [words[i] for i in candidates], cutoff)]

    def _filed_lengths(
        self, size: int, shortest: int, longest: int, cutoff: float, words: list[str], order: Sequence[int]
    ) -> dict[int, int]:
        """{word length: letters it may lose} for the lengths between `shortest` and `longest` at
        which the deletion index holds every word within `cutoff` of a query word of `size`
        letters, and looking them up there is cheaper than comparing the query word with each word
        of the length; a close word is filed under a key of its length or at most that many letters
        shorter.

        Two words within some edits are equal once both lose letters: a changed or swapped letter
        costs one deletion on each side, an added one a deletion on its own side. So a word within
        the edits the cutoff allows loses, besides what the query word loses, at most those edits
        less the difference in length when it is not longer than the query word (`handle` and
        `hand`: none; `handel` and `hnde`: one), and at most all of them when it is longer. The
        index finds it when that is at most what its words lose (`deleted_letters`).
        """
        if self._has_deletions is None:
            self._has_deletions = self._db.execute("SELECT 1 FROM deletions LIMIT 1").fetchone() is not None
        if not self._has_deletions or size == 0:
            return {}
        filed: dict[int, int] = {}
        for length in range(max(shortest, 1), min(longest, SHORT_WORD) + 1):
            edits = int((1.0 - cutoff) * max(size, length) + 1e-9)  # the most the cutoff allows, rounded up
            lost = edits - max(size - length, 0)
            if lost > deleted_letters(length):
                continue
            # Keys looked up (the query word's deletions to this length and up to `lost` shorter),
            # against the words compared otherwise.
            keys = sum(math.comb(size, size - key) for key in range(length - max(lost, 0), min(length, size) + 1))
            if KEY_COST * keys < len(_of_length(words, order, length)):
                filed[length] = max(lost, 0)
        return filed

    def _deleted_to(self, text: str, filed: dict[int, int], column: str) -> list[int]:
        """Ids of the words (or stems) of the deletion index filed under `text` or under a string
        `text` becomes by deleting letters, of a length in `filed` or at most its letters lost shorter."""
        wanted = {key for length, lost in filed.items() for key in range(length - lost, length + 1)}
        keys = [key for key in _deletions(text, len(text) - min(wanted)) if len(key) in wanted]
        found: set[int] = set()
        for (blob,) in self._select_in(f"SELECT {column} FROM deletions WHERE key", keys):
            try:
                found.update(_native(blob, _TYPECODE))
            except TypeError:
                raise DamagedIndex("a row of the deletion index does not decode") from None
        if found and max(found) >= len(self.vocab):
            raise DamagedIndex("the deletion index names a word the vocabulary does not hold")
        return list(found)

    def _select_in(self, select: str, values: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """The rows of `select` + ` IN (values)`, asked 500 values at a time (SQLite's limit on a
        statement's parameters is 999 in older builds)."""
        for start in range(0, len(values), 500):
            chunk = list(values[start : start + 500])
            yield from self._db.execute(f"{select} IN ({','.join('?' * len(chunk))})", chunk)

    def _same_numbers(self, word: str) -> list[int]:
        """Ids of the number and its ordinals (`13`, `13th`): too many edits apart for the
        similarity search, yet `word_similarity` pairs them."""
        from .scoring import ORDINAL_SUFFIXES

        number = word[:-2] if word[-2:] in ORDINAL_SUFFIXES else word
        if not number.isdigit():
            return []
        forms = (number, *(number + suffix for suffix in ORDINAL_SUFFIXES))
        return [i for i in map(self.word_id, forms) if i is not None]

    def joined_or_split(self, query_words: list[str]) -> set[int]:
        """Positions of names that may meet the query only through the joined strings: names
        holding a word of three letters or more that starts or ends a query word (`wrap` and `up`
        in `wrapup`, `abandon` in `abandonmnet`), a word starting with the first four letters of a
        query word of five or more (`nesting` for `nester`: too many edits to pair as words), or
        a word close to two query words joined (`overtime` for `overt ime`). A British part finds
        the American word too."""
        found: list[int] = []
        for word in dict.fromkeys(query_words):
            for cut in range(3, len(word)):
                for part in {word[:cut], word[len(word) - cut :], american(word[:cut])}:
                    i = self.word_id(part)
                    if i is not None:
                        found.append(i)
            if len(word) >= 5:
                found += self.prefixed(word[:4])
        if len(query_words) > 1:
            for pair in {query_words[i] + query_words[i + 1] for i in range(len(query_words) - 1)}:
                found += self.close_words(pair, 0.7)
        return self.holding(list(dict.fromkeys(found)))

    def ranked(self, query_words: list[str]) -> list[tuple[float, int, float]]:
        """(upper bound of `name_score`, position, upper bound of its word-by-word part) of every
        name pairing some query word or met by `joined_or_split`, best first (see `_bounds`)."""
        bounded, deferred, bounds_of = self._bounds(query_words)
        for _group_bound, positions in deferred:
            bounded += bounds_of(positions)
        return [(-negative, pos, aligned) for negative, pos, aligned in sorted(bounded)]

    def _bounds(self, query_words: list[str]) -> Candidates:
        """The candidates' bounds, part of them worked out name by name and the rest left in groups.

        Returns (minus the upper bound of `name_score`, position, upper bound of its word-by-word
        part) of some names, in no order; groups of the other names, each with a bound none of its
        names exceeds, highest first; and the function that works out the names' own bounds (for a
        group when its bound is reached). Together they cover every name pairing some query word or
        met by `joined_or_split`.

        The word-by-word part counts every paired query word and every name word that pairs with
        some query word at full similarity, against all the words of both; it is capped at
        UNPAIRED_CAP when some content word of the query is paired with nothing in the name, and
        at least HEAD_WORD_FLOOR when every query word is paired. The whole-string part is
        `whole_bound`.

        Why groups: at 200,000 entries a query has some 10,000 candidates, and the scorer usually
        stops after a few hundred. Most candidates hold one of the words paired with one query word
        (`time` in a name, for `handle time`): the word-by-word part of all such names is bounded by
        that word's weight alone, and the whole-string part by the name's shape alone (its words'
        joined length and count), so they are grouped by shape, and a group is worked out name by
        name only if the scorer gets down to its bound.
        """
        from .scoring import _LIGHT_WORDS, HEAD_WORD_FLOOR, UNPAIRED_CAP, _weight

        distinct = list(dict.fromkeys(query_words))
        heavy = [w for w in distinct if w not in _LIGHT_WORDS] or distinct
        similar = {w: self.similar_words(w) for w in heavy}
        total_query = sum(map(_weight, query_words))
        light = sum(_weight(w) for w in query_words if w not in similar)  # counted as paired: an upper bound
        paired_query: dict[int, float] = {}
        for word, ids in similar.items():
            _add_to_each(paired_query, self.holding(ids), _weight(word) * query_words.count(word), light)
        paired_name: dict[int, float] = {}
        paired_ids = {i for ids in similar.values() for i in ids}
        word_weights = {i: _weight(american(self.vocab[i])) for i in paired_ids}
        # Names holding two or more paired words, or one paired word and a word pairing a light query
        # word, are bounded one by one; so are the names with no weight bound (255).
        one_by_one = set(self._unbounded_names())
        for word_id, weight in word_weights.items():
            one_by_one.update(_add_to_each(paired_name, self.positions(word_id), weight, 0.0))
        # A name's words that pair a light word of the query (`per` in `cost per seat`) count on the
        # name's side too; light words alone do not make a name a candidate.
        for word_id in {i for w in distinct if w not in similar for i in self.similar_words(w)} - paired_ids:
            weight = _weight(american(self.vocab[word_id]))
            for pos in self.positions(word_id):
                if pos in paired_name:
                    paired_name[pos] += weight
                    one_by_one.add(pos)
        joined = "".join(query_words)
        query_length, query_letters, count = len(joined), letters(joined), len(query_words)
        weights, shapes, held = self.weights, self.shapes, self.letters
        known: dict[int, float] = {}  # whole_bound by shape and edits (shape << 12 | edits): few distinct pairs
        cap, head_floor, least_paired = UNPAIRED_CAP, HEAD_WORD_FLOOR, total_query - 1e-9

        def bounds_of(positions: Iterable[int], whole_only: bool = False) -> list[Bounded]:
            # This loop runs once per name bounded (thousands for some queries at 200,000 entries),
            # so `whole_bound`'s edits and the bounds are written inline, without calls. With
            # `whole_only`, for names pairing no query word, only the whole-string part is bounded.
            bounded: list[Bounded] = []
            append = bounded.append
            for pos in positions:
                shape, name_letters = shapes[pos], held[pos]
                length_gap = query_length - (shape >> 4)
                edits = length_gap if length_gap >= 0 else -length_gap
                missing = (query_letters & ~name_letters).bit_count()
                if missing > edits:
                    edits = missing
                extra = (name_letters & ~query_letters).bit_count()
                if extra > edits:
                    edits = extra
                whole = known.get(shape << 12 | edits)  # edits: at most the longer length, below 4096
                if whole is None:
                    whole = known[shape << 12 | edits] = whole_bound(query_length, 0, count, shape, 0, edits)
                if whole_only:
                    append((-whole, pos, 0.0))
                    continue
                paired = paired_query[pos]
                weight = weights[pos]
                if weight == 255:  # a long name, or one repeating a word: no bound
                    aligned = 100.0
                else:
                    name_weight = weight / 2.0  # at most half a point below the name's weight
                    named = paired_name[pos]
                    if named > name_weight + 0.5:
                        named = name_weight + 0.5
                    aligned = 100.0 * (paired + named) / (total_query + name_weight)
                if paired < least_paired:  # a query word paired with nothing in the name
                    if aligned > cap:
                        aligned = cap
                elif aligned < head_floor:
                    aligned = head_floor
                elif aligned > 100.0:
                    aligned = 100.0
                append((-(aligned if aligned > whole else whole), pos, aligned))
            return bounded

        # A name holding one paired word and nothing else pairing the query: its query side is the
        # weight of the query words that word pairs (plus the light words), its name side that
        # word's weight w, and its own weight at least w - 0.5 (the compiled weight is rounded down
        # to a half), so its word-by-word part is at most 100 (query side + w) / (total + w - 0.5).
        alone_at_most = 0.0
        grouped: set[int] = set()
        for word_id, weight in word_weights.items():
            query_side = light + sum(
                _weight(word) * query_words.count(word) for word, ids in similar.items() if word_id in ids
            )
            if query_side >= least_paired:  # pairs every query word: such names come first, one by one
                continue
            alone = min(cap, 100.0 * (query_side + weight) / (total_query + weight - 0.5))
            alone_at_most = max(alone_at_most, alone)
            grouped.update(self.positions(word_id))
        grouped -= one_by_one
        # The whole-string part of a group's names is at most `whole_bound` of their shape with
        # the length gap as the edits. A little is added to each group's bound against rounding.
        # Names are put in lists by shape, not sorted by it: a third of the time for some 10,000 names.
        of_shape: defaultdict[int, list[int]] = defaultdict(list)
        for pos in grouped:
            of_shape[shapes[pos]].append(pos)
        groups: dict[float, list[int]] = {}
        for shape, members in of_shape.items():
            bound = max(alone_at_most, whole_bound(query_length, 0, count, shape, 0, abs(query_length - (shape >> 4))))
            groups.setdefault(bound + 1e-9, []).extend(members)

        def open_group(positions: Iterable[int], least: float = -math.inf) -> list[Bounded]:
            # A grouped name's word-by-word part is at most `alone_at_most`. Below `least`, only its
            # whole-string part can reach the floor, and that falls as the edits grow (`whole_bound`):
            # a name whose edits by length and letters pass the most its shape allows is not bounded.
            if alone_at_most < least:
                most_of: dict[int, int] = {}  # `_most_edits` by shape
                kept = []
                for pos in positions:
                    shape, name_letters = shapes[pos], held[pos]
                    most = most_of.get(shape)
                    if most is None:
                        most = most_of[shape] = _most_edits(query_length, count, shape, least)
                    missing, extra = query_letters & ~name_letters, name_letters & ~query_letters
                    if missing.bit_count() <= most and extra.bit_count() <= most:
                        kept.append(pos)
                positions = kept
            return [b for b in bounds_of(positions) if -b[0] >= least]

        bounded = bounds_of(paired_query.keys() - grouped)
        bounded += bounds_of(self.joined_or_split(query_words).difference(paired_query), whole_only=True)
        return bounded, sorted(groups.items(), reverse=True), open_group

    def _bounds_kept(self, query_words: list[str]) -> Candidates:
        """`_bounds` of the query words, worked out once for two passes in a row over the same words
        (the resolver asks for a clear leader, then, without one, for the five best); copies of its
        lists, which `batches` uses up."""
        key = tuple(query_words)
        if self._kept_bounds is None or self._kept_bounds[0] != key:
            self._kept_bounds = (key, self._bounds(query_words))
        bounded, groups, bounds_of = self._kept_bounds[1]
        return list(bounded), list(groups), bounds_of

    def _unbounded_names(self) -> list[int]:
        """Positions of the names with no weight bound (a long name, or one repeating a word):
        some 200 of 300,000 at 200,000 entries, found by scanning the weights for 255."""
        if self._unbounded is None:
            found, at = [], self.weights.find(255)
            while at != -1:
                found.append(at)
                at = self.weights.find(255, at + 1)
            self._unbounded = found
        return self._unbounded

    def batches(
        self, query_words: list[str], floor: Callable[[], float] | None = None
    ) -> Iterator[tuple[float, list[tuple[int, str, int, str, float]]]]:
        """(best bound of the batch, its rows), names in descending bound order, BATCH at a time;
        each row (position, name, owner, field, bound of its word-by-word score). With `floor`
        (asked before each batch, as the caller's scores grow), only the names whose bound reaches it.

        The names come off a heap, in `ranked`'s order: the scorer usually stops after a few
        batches of some 10,000 candidates at 200,000 entries, so sorting them all is wasted. A
        group of `_bounds` joins the heap, its names bounded one by one, before any name is taken
        whose bound is not above the group's: so the order is `ranked`'s exactly, and a group
        whose bound is below the floor is never worked out."""
        from heapq import heapify, heappop, heappush

        pending, groups, bounds_of = self._bounds_kept(query_words)
        heapify(pending)
        groups.reverse()  # lowest bound first: the next group is taken off the end
        while True:
            least = floor() if floor is not None else -math.inf
            chunk: list[Bounded] = []
            while len(chunk) < BATCH:
                while groups and groups[-1][0] >= least and (not pending or groups[-1][0] >= -pending[0][0]):
                    for bounded in bounds_of(groups.pop()[1], least):
                        heappush(pending, bounded)
                if not pending or -pending[0][0] < least:
                    break
                chunk.append(heappop(pending))
            if not chunk:
                return
            aligned = {pos: bound for _negative, pos, bound in chunk}
            rows = self.rows([pos for _negative, pos, _aligned in chunk])
            yield -chunk[0][0], [(*row, aligned[row[0]]) for row in rows]
