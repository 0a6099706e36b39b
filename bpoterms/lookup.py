"""Resolve a query to one entry, and rank entries for a search; pure functions over a Glossary.

The only module that imports rapidfuzz, and only on the paths that need fuzzy scoring,
so an exact `define` never pays for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .errors import QueryError
from .model import Entry, Match, NotFound, SearchHit, Suggestion
from .normalize import compact, expand_abbreviations, fold, inflection_key, normalize, strip_question

if TYPE_CHECKING:
    from .glossary import Glossary

# A fuzzy candidate must score at least this (0–100) to be given as the answer.
FUZZY_CUTOFF = 86.0
# Below this a candidate is not even worth suggesting.
SUGGEST_CUTOFF = 50.0
SUGGESTIONS = 5
MAX_QUERY_CHARS = 200  # longer queries are cut before fuzzy scoring: no term is that long
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
    index = glossary.index
    hits = index.exact.get(compact(text))
    if hits:
        position, kind = hits[0]
        return Match(glossary.entries[position], query, kind, 100.0)
    key = inflection_key(text)
    candidates = index.inflected.get(key)
    if not candidates:
        # `KPIs`, `SLAs`: an acronym plural that the word rules keep whole.
        bare = compact(text)
        if len(bare) > 2 and bare.endswith("s"):
            found = index.exact.get(bare[:-1])
            if found:
                return Match(glossary.entries[found[0][0]], query, "inflection", 100.0)
        return None
    best = min(candidates, key=lambda p: (fold(glossary.entries[p].term), p))
    return Match(glossary.entries[best], query, "inflection", 100.0)


def _choices(glossary: Glossary) -> tuple[list[str], list[int]]:
    """Every name, acronym and alias in normalised form, with the entry each belongs to."""
    names: list[str] = []
    owners: list[int] = []
    for position, entry in enumerate(glossary.entries):
        for name in entry.names():
            names.append(normalize(name))
            owners.append(position)
    return names, owners


def _fuzzy_scores(glossary: Glossary, text: str, limit: int) -> list[tuple[int, float]]:
    """Best score per entry for the text against all names, best first, ties by term."""
    from rapidfuzz import fuzz, process

    names, owners = _choices(glossary)
    query = expand_abbreviations(normalize(text))[:MAX_QUERY_CHARS]
    if not query:
        return []
    best: dict[int, float] = {}
    results = process.extract(query, names, scorer=fuzz.WRatio, limit=max(limit * 8, 40), score_cutoff=SUGGEST_CUTOFF)
    for _name, score, i in results:
        # Short strings make WRatio generous (a two-letter acronym inside a long name);
        # plain ratio keeps acronym-length queries honest.
        if min(len(query), len(names[i])) <= 4:
            score = fuzz.ratio(query, names[i])
            if score < SUGGEST_CUTOFF:
                continue
        owner = owners[i]
        if score > best.get(owner, -1.0):
            best[owner] = float(score)
    ranked = sorted(best.items(), key=lambda item: (-item[1], fold(glossary.entries[item[0]].term)))
    return ranked[:limit]


def _resolve_fuzzily(glossary: Glossary, text: str, query: str) -> Match | NotFound:
    ranked = _fuzzy_scores(glossary, text, SUGGESTIONS)
    if ranked:
        position, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        confident = score >= FUZZY_CUTOFF and len(compact(text)) > 3 and score > runner_up
        if confident:
            return Match(glossary.entries[position], query, "fuzzy", round(score, 1))
    suggestions = tuple(Suggestion(glossary.entries[p], round(s, 1)) for p, s in ranked)
    return NotFound(query, suggestions)


def suggest(glossary: Glossary, query: str, limit: int = SUGGESTIONS) -> tuple[Suggestion, ...]:
    """The nearest entries to a query, for "did you mean"."""
    ranked = _fuzzy_scores(glossary, strip_question(clean_query(query)), limit)
    return tuple(Suggestion(glossary.entries[p], round(s, 1)) for p, s in ranked)


# ---------------------------------------------------------------- search


_WORD = re.compile(r"\w+")


def _fields(entry: Entry) -> list[tuple[str, str]]:
    fields = [("term", entry.term)]
    if entry.acronym:
        fields.append(("acronym", entry.acronym))
    fields += [("alias", alias) for alias in entry.aliases]
    return fields


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
    entries = glossary.filtered(category=category)
    hits = _fuzzy_search(entries, query) if strategy == "fuzzy" else _strategy_search(entries, query, strategy)
    hits.sort(key=lambda hit: (-hit.score, fold(hit.entry.term)))
    return hits[:limit]


def _strategy_search(entries: Sequence[Entry], query: str, strategy: str) -> list[SearchHit]:
    matches = _matcher(strategy, query)
    hits = []
    for entry in entries:
        for field_name, raw in _fields(entry):
            if matches(normalize(raw), raw):
                hits.append(SearchHit(entry, 100.0, field_name))
                break
        else:
            if strategy != "exact" and matches(normalize(entry.definition), entry.definition):
                hits.append(SearchHit(entry, 50.0, "definition"))
    return hits


def _fuzzy_search(entries: Sequence[Entry], query: str) -> list[SearchHit]:
    """Names scored with rapidfuzz; definitions by how many query words they contain.

    A definition hit scores at most 70, so an entry named like the query ranks above
    entries that merely mention it.
    """
    from rapidfuzz import fuzz, process

    wanted = expand_abbreviations(normalize(strip_question(query)))[:MAX_QUERY_CHARS]
    words = [w for w in wanted.split() if len(w) > 1] or wanted.split()
    names: list[str] = []
    owners: list[tuple[int, str]] = []
    for position, entry in enumerate(entries):
        for field_name, raw in _fields(entry):
            names.append(normalize(raw))
            owners.append((position, field_name))
    best: dict[int, tuple[float, str]] = {}
    for _name, score, i in process.extract(wanted, names, scorer=fuzz.WRatio, limit=None, score_cutoff=70):
        if min(len(wanted), len(names[i])) <= 4:
            score = fuzz.ratio(wanted, names[i])
            if score < 70:
                continue
        position, field_name = owners[i]
        if field_name == "alias":
            score *= ALIAS_WEIGHT
        if score > best.get(position, (-1.0, ""))[0]:
            best[position] = (float(score), field_name)
    if words:
        patterns = [re.compile(r"\b" + re.escape(w)) for w in words]
        for position, entry in enumerate(entries):
            text = fold(entry.definition)
            found = sum(1 for p in patterns if p.search(text))
            if not found:
                continue
            score = 70.0 * found / len(patterns)
            if score > best.get(position, (-1.0, ""))[0]:
                best[position] = (round(score, 1), "definition")
    return [SearchHit(entries[p], round(s, 1), f) for p, (s, f) in best.items()]
