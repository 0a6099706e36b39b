"""Word-aware fuzzy scoring: how well a typed query names an entry, 0–100.

The only module that imports rapidfuzz. Split from the resolver (`lookup.py`), which decides
what to answer; this module only measures, so its rules can be tested one by one.
"""

from __future__ import annotations

from .normalize import american, stem

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

    from .store import Glossary

# The most a name scores when some content word of the query or the name has no counterpart.
UNPAIRED_CAP = 85.0
# A name holding every word of the query is suggested with at least this score (less 2 a word it adds).
HEAD_WORD_FLOOR = 72.0
# Below this a candidate is not even worth suggesting.
SUGGEST_CUTOFF = 50.0
# clear_leader's floor is set this far below its thresholds, so that rounding never skips a name.
_SLACK = 1e-6
MAX_QUERY_CHARS = 200  # longer queries are cut before fuzzy scoring: no term is that long
MAX_QUERY_WORDS = 12
# Fuzzy scoring takes its candidates from the word index of names (nameindex.py) at every size.
# Below this many names, search and the resolver's prefix checks also scan every name, which finds
# a query inside a word (`bot` in Chatbot), something the index (whole words, word starts) cannot.
SCAN_ALL_NAMES_BELOW = 20_000
CANDIDATES_PER_WORD = 20_000
# Small words that say little about which entry is meant: they weigh less when scoring names.
_LIGHT_WORDS = frozenset(("of", "and", "the", "a", "an", "to", "for", "in", "on", "per", "by", "with", "or"))


# word_similarity is pure and asked about the same few pairs many times in one lookup (every query
# word against the words of a hundred candidate names, several stages over), so each pair is worked
# out once per process; the table is emptied when it grows past a bound, so a long batch stays small.
_SIMILARITIES: dict[tuple[str, str], float] = {}
_SIMILARITIES_MAX = 100_000


def word_similarity(a: str, b: str) -> float:
    """0–100 for two single words: the same stem counts nearly as equal; a swap of two letters is one edit."""
    if a == b:
        return 100.0
    known = _SIMILARITIES.get((a, b))
    if known is None:
        if len(_SIMILARITIES) >= _SIMILARITIES_MAX:
            _SIMILARITIES.clear()
        known = _SIMILARITIES[a, b] = _word_similarity(a, b)
    return known


def _word_similarity(a: str, b: str) -> float:
    if stem(a) == stem(b) or _same_number(a, b):
        return 96.0
    return max(edit_similarity(a, b), edit_similarity(stem(a), stem(b)))


ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")


def _same_number(a: str, b: str) -> bool:
    """`13` and `13th`: a number and its ordinal."""
    short, long = sorted((a, b), key=len)
    return short.isdigit() and long[: len(short)] == short and long[len(short) :] in ORDINAL_SUFFIXES


def edit_similarity(a: str, b: str, single_words: bool = True) -> float:
    """0–100 by edits; one typo in a word of six letters or more scores 92, two in nine or more 85.

    Five-letter acronyms stay strict: `CPaaS` is one letter from `CCaaS`.
    """
    if a == b:
        return 100.0
    from rapidfuzz.distance import OSA

    longest = max(len(a), len(b))
    distance = OSA.distance(a, b)
    similarity = (1.0 - distance / longest) * 100.0
    if distance == 1 and min(len(a), len(b)) >= 5 and max(len(a), len(b)) >= 6:
        similarity = max(similarity, 92.0)
    elif distance == 2 and min(len(a), len(b)) >= 9:
        two_typos_in_a_long_word = single_words and max(len(a), len(b)) >= 10
        similarity = max(similarity, 88.0 if two_typos_in_a_long_word else 85.0)
    if min(len(a), len(b)) <= 3:
        similarity *= 0.8  # `ar` and `ap` are one edit apart and mean different things
    elif a[0] != b[0] and a[:2] != b[1::-1]:
        similarity *= 0.9  # typos rarely change the first letter: `fixed` and `mixed` are two words
    return similarity


def _weight(word: str) -> float:
    return max(0.5 * len(word), 1.5) if word in _LIGHT_WORDS else float(len(word))


def _every_word_paired(query_words: list[str], name_words: list[str]) -> bool:
    """Each content word on either side has a close counterpart on the other."""

    def paired(words: list[str], others: list[str]) -> bool:
        return all(w in _LIGHT_WORDS or any(word_similarity(w, o) >= 70.0 for o in others) for w in words)

    return paired(query_words, name_words) and paired(name_words, query_words)


def name_score(query_words: list[str], name_words: list[str]) -> float:
    """How well a query names an entry, 0–100, word by word and in order.

    Every word on both sides is accounted for: a query word matched to no name word (`agent
    desktop` against `Agent`) and a name word the query leaves out (`warm` against `Warm
    Transfer`) both cost their length, so containment is never near-identity; order is kept,
    so `text to speech` does not meet `speech to text`. Joined and split words (`wrapup`,
    `wrap up`) meet through the whole-string comparison.
    """
    m, k = len(query_words), len(name_words)
    if not m or not k:
        return 0.0
    best = [[0.0] * (k + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        q = query_words[i - 1]
        for j in range(1, k + 1):
            n = name_words[j - 1]
            pair = best[i - 1][j - 1]
            similarity = word_similarity(q, n)
            if similarity >= 70.0:
                pair += (_weight(q) + _weight(n)) * similarity / 100.0
            best[i][j] = max(pair, best[i - 1][j], best[i][j - 1])
    total = sum(map(_weight, query_words)) + sum(map(_weight, name_words))
    aligned = 100.0 * best[m][k] / total if total else 0.0
    if not _every_word_paired(query_words, name_words):
        aligned = min(aligned, UNPAIRED_CAP)  # a word left over on either side: never an answer
    whole = edit_similarity("".join(query_words), "".join(name_words), single_words=False)  # `wrapup` / `wrap up`
    if m == k:
        whole = min(whole, UNPAIRED_CAP)  # as many words on both sides: only worth a suggestion
    return max(aligned, whole)


def fuzzy_scores(glossary: Glossary, text: str, limit: int) -> list[tuple[int, float]]:
    """Best word-aware score per entry, best first, ties by term; at most `limit` entries.

    The names come from the word index best bound first (nameindex.py), and stop once no bound
    can reach the `limit`-th score found. Done again on a rebuilt copy if the index turns out
    damaged midway (`Glossary.recovering`).
    """

    def floor(best: dict[int, float]) -> float:
        return max(SUGGEST_CUTOFF, sorted(best.values())[-limit]) if len(best) >= limit else SUGGEST_CUTOFF

    return _best_first(glossary.recovering(_best_scores, glossary, text, floor), limit)


def clear_leader(glossary: Glossary, text: str, at_least: float, margin: float) -> tuple[int, float] | None:
    """The entry `fuzzy_scores` ranks first, with its score, if that score is at least `at_least`
    and at least `margin` above the runner-up's (0 when there is none); otherwise None.

    The same answer as deciding from `fuzzy_scores(glossary, text, 2)`, for less work: a name
    matters only if it could score above both `at_least - margin` and the best score found less
    `margin` (it could then lead, or come within the margin of the leader), so the scorer stops at
    that floor instead of at the runner-up's score. A misspelt name at 200,000 entries leaves a
    few hundred names to score instead of thousands.
    """
    least = max(SUGGEST_CUTOFF, at_least - margin) - _SLACK

    def floor(best: dict[int, float]) -> float:
        return max(least, max(best.values()) - margin - _SLACK) if best else least

    top = _best_first(glossary.recovering(_best_scores, glossary, text, floor), 2)
    if not top:
        return None
    runner_up = top[1][1] if len(top) > 1 else 0.0
    return top[0] if top[0][1] >= at_least and top[0][1] - runner_up >= margin else None


def _best_first(best: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The `limit` best (entry, score) pairs, best first, equal scores by entry (alphabetical)."""
    import heapq  # only here: an exact lookup imports this module but never ranks

    return heapq.nsmallest(limit, best.items(), key=lambda item: (-item[1], item[0]))


def _best_scores(glossary: Glossary, text: str, floor: Callable[[dict[int, float]], float]) -> dict[int, float]:
    """Each entry's best word-aware score (SUGGEST_CUTOFF or more) over the names the index yields
    until no bound reaches `floor(scores so far)`; `floor` must never fall as scores are added."""
    query = text[:MAX_QUERY_CHARS]
    query_words = [american(w) for w in query.split()[:MAX_QUERY_WORDS]]
    best: dict[int, float] = {}
    if not query_words:
        return best
    for _pos, name, owner, field in names_worth_scoring(glossary.name_index(), query_words, lambda: floor(best)):
        name_words = [american(w) for w in name.split()]
        score = name_score(query_words, name_words)
        if score < HEAD_WORD_FLOOR and _holds_every_word(query_words, name_words):
            # `warm` → Warm Transfer: worth suggesting first, never enough to answer on its own
            score = max(score, HEAD_WORD_FLOOR - 2.0 * (len(name_words) - len(query_words)))
        if field == "alias":
            score *= 0.995  # an equally good own name ranks first
        if score >= SUGGEST_CUTOFF and score > best.get(owner, -1.0):
            best[owner] = score
    return best


def names_worth_scoring(
    index: Any, query_words: list[str], floor: Callable[[], float]
) -> Iterator[tuple[int, str, int, str]]:
    """(position, name, owner, field) of the names in a word index (a `nameindex.NameIndex`, which
    imports this module), best upper bound first, whose `name_score` could still reach `floor()`
    (asked again before each batch, as the caller's scores grow)."""
    joined = "".join(query_words)
    for _bound, rows in index.batches(query_words, floor):
        least = floor()
        for pos, name, owner, field, aligned in rows:
            if aligned < least and whole_score(joined, len(query_words), name) < least:
                continue  # neither part of name_score can reach the scores found
            yield pos, name, owner, field


def whole_score(joined_query: str, query_count: int, name: str) -> float:
    """`name_score`'s whole-string part for a query of `query_count` words joined as `joined_query`."""
    name_words = name.split()
    whole = edit_similarity(joined_query, "".join(american(w) for w in name_words), single_words=False)
    return min(whole, UNPAIRED_CAP) if len(name_words) == query_count else whole


def _holds_every_word(query_words: list[str], name_words: list[str]) -> bool:
    stems = {stem(w) for w in name_words}
    return all(stem(w) in stems for w in query_words)


def a_plausible_typo(query_words: list[str], name_words: list[str]) -> bool:
    """One edit that a typo makes: not in the first letter, and not in a word of two letters, nor in
    a lone word of three (`in queue` is not `on queue`, `qb` is not `qa`). A three-letter word among
    others typed exactly is (`after cal work`, `pci dds`). Joined or split words always are."""
    if len(query_words) != len(name_words):
        return True
    for typed, meant in zip(query_words, name_words, strict=True):
        if typed != meant:
            shortest = min(len(typed), len(meant))
            if shortest <= 2 or (shortest == 3 and len(query_words) == 1):
                return False
            return typed[0] == meant[0] or (shortest > 3 and typed[:2] == meant[1::-1])
    return True


def close_choices(text: str, choices: list[str], cutoff: float) -> list[int]:
    """Positions of the choices within `cutoff` normalised OSA similarity (0-1) of `text`."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    close = process.extract(text, choices, scorer=OSA.normalized_similarity, score_cutoff=cutoff, limit=None)
    return [i for _choice, _score, i in close]


def within_one_edit_positions(key: str, keys: list[str]) -> list[int]:
    """Positions of the keys one edit from `key` (a letter dropped, added, changed, or two swapped)."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return [i for _key, _distance, i in process.extract(key, keys, scorer=OSA.distance, score_cutoff=1, limit=None)]


def within_one_edit(key: str, keys: list[str]) -> list[str]:
    return [keys[i] for i in within_one_edit_positions(key, keys)]


def edit_distance(a: str, b: str) -> int:
    """Edits between two words, a swap of two neighbouring letters counting as one."""
    from rapidfuzz.distance import OSA

    return int(OSA.distance(a, b))
