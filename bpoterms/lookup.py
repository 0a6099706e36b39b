"""Resolve a query to one entry, and rank entries for a search; pure functions over a Glossary.

The only module that imports rapidfuzz, and only on the paths that need fuzzy scoring,
so an exact `define` never pays for it.
"""

from __future__ import annotations

import heapq
import re
from typing import TYPE_CHECKING, Any

from .errors import QueryError
from .model import Match, NotFound, SearchHit, Suggestion
from .normalize import compact, expand_abbreviations, inflection_key, normalize, strip_question

if TYPE_CHECKING:
    from .store import Glossary

# A fuzzy candidate must score at least this (0–100) to be given as the answer.
FUZZY_CUTOFF = 86.0
# Below this a candidate is not even worth suggesting.
SUGGEST_CUTOFF = 50.0
SUGGESTIONS = 5
MAX_QUERY_CHARS = 200  # longer queries are cut before fuzzy scoring: no term is that long
MAX_QUERY_WORDS = 12
# Above this many names, fuzzy scoring runs on candidates (close whole-name matches plus names
# sharing a word prefix with the query) instead of every name, to stay fast at 200,000 entries.
SCAN_ALL_NAMES_BELOW = 20_000
CANDIDATES_PER_WORD = 20_000
# An alias hit ranks just below an equally good hit on an entry's own name or acronym.
ALIAS_WEIGHT = 0.95
MATCH_STRATEGIES = ("fuzzy", "exact", "prefix", "substring", "word", "regex")


def clean_query(query: str) -> str:
    """Strip and refuse an empty query (a usage error, not a miss)."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in query).strip()
    if not cleaned:
        raise QueryError("the query is empty")
    return cleaned


def resolve(glossary: Glossary, query: str) -> Match | NotFound:
    """exact/acronym/alias → inflection → question form → fuzzy (with a cutoff).

    Never raises for a query that has any printable character.
    """
    query = clean_query(query)
    found = _resolve_exactly(glossary, query, query)
    if found is not None:
        return found
    question = strip_question(query)
    if question != normalize(query):
        found = _resolve_exactly(glossary, question, query)
        if found is not None:
            return found
    return _resolve_fuzzily(glossary, question or query, query)


def _resolve_exactly(glossary: Glossary, text: str, query: str) -> Match | None:
    hits = glossary.exact_hits(compact(text))
    if hits:
        entry_id, kind = hits[0]
        return Match(glossary.entry_at(entry_id), query, kind, 100.0)
    candidates = glossary.inflected_hits(inflection_key(text))  # ids: alphabetical order
    if not candidates:
        # `FTEs`, `SLAs`: an acronym plural that the word rules keep whole.
        bare = compact(text)
        if len(bare) > 2 and bare.endswith("s"):
            found = glossary.exact_hits(bare[:-1])
            if found:
                return Match(glossary.entry_at(found[0][0]), query, "inflection", 100.0)
        return None
    return Match(glossary.entry_at(candidates[0]), query, "inflection", 100.0)


def _fuzzy_scores(glossary: Glossary, text: str, limit: int) -> list[tuple[int, float]]:
    """Best score per entry for the text against all names, best first, ties by term."""
    owners = glossary.name_table().owners
    query = expand_abbreviations(normalize(text))[:MAX_QUERY_CHARS]
    if not query:
        return []
    best: dict[int, float] = {}
    for score, i in _extract(glossary, query, limit=max(limit * 8, 40), cutoff=SUGGEST_CUTOFF):
        owner = owners[i]
        if score > best.get(owner, -1.0):
            best[owner] = float(score)
    return heapq.nsmallest(limit, best.items(), key=lambda item: (-item[1], item[0]))


def _extract(glossary: Glossary, query: str, *, limit: int | None, cutoff: float) -> list[tuple[float, int]]:
    """(score, position in the name table) of names scoring at least `cutoff`.

    WRatio over every name, or over candidates in a large glossary. Short strings make WRatio
    generous (a two-letter acronym inside a long name), so they are rescored with plain ratio.
    """
    from rapidfuzz import fuzz, process

    names = glossary.name_table().names
    if len(names) < SCAN_ALL_NAMES_BELOW:
        positions = None
        found = process.extract(query, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff)
    else:
        picked = {i for _n, _s, i in process.extract(query, names, scorer=fuzz.QRatio, limit=200, score_cutoff=50)}
        picked |= glossary.name_word_hits(query.split()[:MAX_QUERY_WORDS], CANDIDATES_PER_WORD)
        positions = sorted(picked)
        found = process.extract(
            query, [names[i] for i in positions], scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff
        )
    scored = []
    for name, score, j in found:
        if min(len(query), len(name)) <= 4:
            score = fuzz.ratio(query, name)
            if score < cutoff:
                continue
        scored.append((float(score), j if positions is None else positions[j]))
    return scored


def _resolve_fuzzily(glossary: Glossary, text: str, query: str) -> Match | NotFound:
    ranked = _fuzzy_scores(glossary, text, SUGGESTIONS)
    if ranked:
        position, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        confident = score >= FUZZY_CUTOFF and len(compact(text)) > 3 and score > runner_up
        if confident:
            return Match(glossary.entry_at(position), query, "fuzzy", round(score, 1))
    suggestions = tuple(Suggestion(glossary.entry_at(p), round(s, 1)) for p, s in ranked)
    return NotFound(query, suggestions)


def suggest(glossary: Glossary, query: str, limit: int = SUGGESTIONS) -> tuple[Suggestion, ...]:
    """The nearest entries to a query, for "did you mean"."""
    ranked = _fuzzy_scores(glossary, strip_question(clean_query(query)), limit)
    return tuple(Suggestion(glossary.entry_at(p), round(s, 1)) for p, s in ranked)


# ---------------------------------------------------------------- search


def _matcher(strategy: str, query: str) -> Any:
    """A predicate over normalised text for the dict-style strategies."""
    if strategy == "regex":
        try:
            pattern = re.compile(query, re.IGNORECASE)
        except re.error as exc:
            raise QueryError(f"invalid regular expression: {exc}") from None
        return lambda text, _raw: pattern.search(_raw) is not None
    wanted = normalize(query)
    if strategy == "exact":
        key = compact(query)
        return lambda text, _raw: text.replace(" ", "") == key
    if strategy == "prefix":
        return lambda text, _raw: text.startswith(wanted)
    if strategy == "substring":
        return lambda text, _raw: wanted in text
    if strategy == "word":
        pattern = re.compile(r"(?:^| )" + re.escape(wanted) + r"(?: |$)")
        return lambda text, _raw: pattern.search(text) is not None
    raise QueryError(f"unknown match strategy '{strategy}' (choose from: {', '.join(MATCH_STRATEGIES)})")


def search(
    glossary: Glossary,
    query: str,
    *,
    limit: int = 10,
    category: str | None = None,
    strategy: str = "fuzzy",
) -> list[SearchHit]:
    """Entries ranked by how well the query matches a name, acronym, alias or the definition."""
    query = clean_query(query)
    if limit < 1:
        raise QueryError("--limit must be at least 1")
    allowed = glossary.ids_in_category(category) if category is not None else None
    if strategy == "fuzzy":
        scored = _fuzzy_search(glossary, query, allowed)
    else:
        scored = _strategy_search(glossary, query, strategy, allowed)
    # Entry ids are alphabetical positions, so the id breaks ties in term order.
    ranked = heapq.nsmallest(limit, scored, key=lambda i: (-scored[i][0], i))
    return [SearchHit(glossary.entry_at(i), scored[i][0], scored[i][1]) for i in ranked]


def _strategy_search(
    glossary: Glossary, query: str, strategy: str, allowed: set[int] | None
) -> dict[int, tuple[float, str]]:
    """dict-style strategies: names first (score 100), else the definition (score 50)."""
    matches = _matcher(strategy, query)
    table = glossary.name_table()
    scored: dict[int, tuple[float, str]] = {}
    for name, raw, owner, field_name in zip(table.names, _raw_names(glossary), table.owners, table.fields, strict=True):
        if owner not in scored and (allowed is None or owner in allowed) and matches(name, raw):
            scored[owner] = (100.0, field_name)
    if strategy != "exact":
        for entry_id, entry in enumerate(glossary.entries):
            if entry_id in scored or (allowed is not None and entry_id not in allowed):
                continue
            if matches(normalize(entry.definition), entry.definition):
                scored[entry_id] = (50.0, "definition")
    return scored


def _raw_names(glossary: Glossary) -> list[str]:
    """Names as written (for regular expressions), in name-table order."""
    return [name for entry in glossary.entries for name in entry.names()]


def _fuzzy_search(glossary: Glossary, query: str, allowed: set[int] | None) -> dict[int, tuple[float, str]]:
    """Names scored with rapidfuzz; definitions by how many query words they contain.

    A definition hit scores at most 70, so an entry named like the query ranks above
    entries that merely mention it.
    """
    wanted = expand_abbreviations(normalize(strip_question(query)))[:MAX_QUERY_CHARS]
    words = [w for w in wanted.split() if len(w) > 1] or wanted.split()
    table = glossary.name_table()
    best: dict[int, tuple[float, str]] = {}
    for score, i in _extract(glossary, wanted, limit=None, cutoff=70):
        owner = table.owners[i]
        if allowed is not None and owner not in allowed:
            continue
        field_name = table.fields[i]
        if field_name == "alias":
            score *= ALIAS_WEIGHT
        if score > best.get(owner, (-1.0, ""))[0]:
            best[owner] = (round(score, 1), field_name)
    words = words[:MAX_QUERY_WORDS]
    for entry_id, found in glossary.definition_hits(words).items():
        if allowed is not None and entry_id not in allowed:
            continue
        score = round(70.0 * found / len(words), 1)
        if score > best.get(entry_id, (-1.0, ""))[0]:
            best[entry_id] = (score, "definition")
    return best
