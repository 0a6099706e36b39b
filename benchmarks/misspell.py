"""Seeded misspellings of headwords, for `foldoc.py`: the typing slips people really make.

Five kinds, each a single slip on a letter (digits and punctuation are never touched):

- transposition: two adjacent, different letters swapped (`compiler` → `copmiler`);
- dropped: one letter left out (`compiler` → `compier`);
- doubled: one letter typed twice (`compiler` → `compiiler`);
- neighbour: one letter replaced by a key next to it on a QWERTY keyboard (`compiler` → `compoler`);
- joined: the space between two words left out (`Common Lisp` → `CommonLisp`; multi-word headwords only).

A misspelling that is itself a name of some entry (compared by `name_key`: case and runs of
spaces ignored) is not a misspelling and is drawn again, as is a repeat of an earlier query.
The same seed gives the same queries on the same headwords.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Sequence
from typing import NamedTuple

KINDS = ("transposition", "dropped", "doubled", "neighbour", "joined")
MIN_LENGTH = 4

_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_ROW_OFFSET = (0.0, 0.5, 0.75, 1.25)  # how far each row sits to the right of the one above, in keys


def _neighbours() -> dict[str, str]:
    """Keys touching each key on a QWERTY keyboard (same row either side, the rows above and below)."""
    where = {key: (row, col + _ROW_OFFSET[row]) for row, keys in enumerate(_ROWS) for col, key in enumerate(keys)}
    near: dict[str, str] = {}
    for key, (row, x) in where.items():
        near[key] = "".join(
            other
            for other, (other_row, other_x) in where.items()
            if other != key and abs(other_row - row) <= 1 and abs(other_x - x) <= (1.0 if other_row == row else 0.75)
        )
    return near


NEIGHBOURS = _neighbours()


class Query(NamedTuple):
    text: str  # what is typed
    intended: str  # the headword it was made from
    kind: str  # one of KINDS


def name_key(name: str) -> str:
    """A name for "is this exactly a headword": case and runs of spaces ignored, punctuation kept."""
    return " ".join(name.casefold().split())


def _same_case(original: str, replacement: str) -> str:
    return replacement.upper() if original.isupper() else replacement


def misspell(word: str, kind: str, rng: random.Random) -> str | None:
    """One slip of `kind` at a random place in `word`, or None when the word offers no place for it."""
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if kind == "transposition":
        places = [i for i in letters if i + 1 in letters and word[i].lower() != word[i + 1].lower()]
        if not places:
            return None
        i = rng.choice(places)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "dropped":
        if len(letters) < 2:
            return None
        i = rng.choice(letters)
        return word[:i] + word[i + 1 :]
    if kind == "doubled":
        if not letters:
            return None
        i = rng.choice(letters)
        return word[:i] + word[i] + word[i:]
    if kind == "neighbour":
        places = [i for i in letters if word[i].lower() in NEIGHBOURS]
        if not places:
            return None
        i = rng.choice(places)
        near = [k for k in NEIGHBOURS[word[i].lower()] if k.isalpha()]
        return word[:i] + _same_case(word[i], rng.choice(near)) + word[i + 1 :]
    if kind == "joined":
        spaces = [i for i, ch in enumerate(word) if ch == " " and 0 < i < len(word) - 1]
        if not spaces:
            return None
        i = rng.choice(spaces)
        return word[:i] + word[i + 1 :]
    raise ValueError(f"unknown kind of misspelling: {kind}")


def generate(
    headwords: Sequence[str],
    count: int,
    seed: int,
    taken: Collection[str],
    kinds: Sequence[str] = KINDS,
) -> tuple[list[Query], Counter[str]]:
    """`count` misspellings, the kinds taking turns, and how many draws per kind were rejected.

    Headwords are drawn at random (at least MIN_LENGTH characters; a joined-words query needs a
    space). `taken` holds the `name_key` of every name in the dictionary: a slip landing on one
    of them is rejected.
    """
    rng = random.Random(seed)
    long_enough = sorted({h for h in headwords if len(h) >= MIN_LENGTH})
    pools = {kind: [h for h in long_enough if " " in h.strip()] if kind == "joined" else long_enough for kind in kinds}
    queries: list[Query] = []
    seen: set[str] = set()
    rejected: Counter[str] = Counter()
    for n in range(count):
        kind = kinds[n % len(kinds)]
        pool = pools[kind]
        for _attempt in range(1000):
            headword = rng.choice(pool)
            text = misspell(headword, kind, rng)
            if text is None:
                continue
            if name_key(text) in taken or name_key(text) in seen:
                rejected[kind] += 1
                continue
            seen.add(name_key(text))
            queries.append(Query(text, headword, kind))
            break
        else:
            raise RuntimeError(f"no {kind} misspelling found after 1000 draws")
    return queries, rejected
