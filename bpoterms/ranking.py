"""Rank entries for `bpoterms search`: names first (word-aware, then containing the query), then
definitions; or the dict-style strategies (exact, prefix, substring, word, regex).

Split from the resolver (lookup.py): search lists, define decides. A regular expression runs in a
child process with a deadline, so no pattern can hang the command.
"""

from __future__ import annotations

import heapq
import re
from typing import TYPE_CHECKING, Any

from .errors import QueryError
from .lookup import clean_query
from .model import SearchHit
from .normalize import compact, expand_abbreviations, normalize, strip_filler, strip_question
from .scoring import CANDIDATES_PER_WORD, MAX_QUERY_CHARS, MAX_QUERY_WORDS, SCAN_ALL_NAMES_BELOW

if TYPE_CHECKING:
    from .store import Glossary

# An alias hit ranks just below an equally good hit on an entry's own name or acronym.
ALIAS_WEIGHT = 0.95
MATCH_STRATEGIES = ("fuzzy", "exact", "prefix", "substring", "word", "regex")


# A regular expression search stops after this many seconds: Python's engine backtracks without limit
# (`^(\w+\s?)*$` never ends on ordinary text) and cannot be interrupted, so it runs in a child process.
REGEX_SECONDS = 5.0


def _compile_regex(query: str) -> re.Pattern[str]:
    try:
        return re.compile(query, re.IGNORECASE)
    except re.error as exc:
        raise QueryError(f"invalid regular expression: {exc}") from None
    except (RecursionError, OverflowError, ValueError, MemoryError):  # 2,000 nested groups, huge repeats
        raise QueryError("invalid regular expression: too deeply nested or too large") from None


def _matcher(strategy: str, query: str) -> Any:
    """A predicate over normalised text for the dict-style strategies."""
    if strategy == "regex":
        pattern = _compile_regex(query)
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
        scored = glossary.recovering(_fuzzy_search, glossary, query, allowed, limit)  # the index may be damaged
    else:
        scored = _strategy_search(glossary, query, strategy, allowed)
    # Equal scores: the entry more others point to first (Hold Time before Hold Etiquette), then
    # term order (entry ids are alphabetical positions).
    cited = _times_cited(glossary, scored)
    ranked = heapq.nsmallest(limit, scored, key=lambda i: (-scored[i][0], -cited.get(i, 0), i))
    return [SearchHit(glossary.entry_at(i), scored[i][0], scored[i][1]) for i in ranked]


def _strategy_search(
    glossary: Glossary, query: str, strategy: str, allowed: set[int] | None
) -> dict[int, tuple[float, str]]:
    """dict-style strategies: names first (score 100), else the definition (score 50)."""
    if strategy == "regex":
        return _regex_search(glossary, query, allowed)
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


def _regex_search(glossary: Glossary, query: str, allowed: set[int] | None) -> dict[int, tuple[float, str]]:
    """The regex strategy: names as written (score 100), else the definition (50), within REGEX_SECONDS."""
    pattern = _compile_regex(query)
    table = glossary.name_table()
    names = [
        (raw, owner, field_name)
        for raw, owner, field_name in zip(_raw_names(glossary), table.owners, table.fields, strict=True)
        if allowed is None or owner in allowed
    ]
    definitions = [(i, e.definition) for i, e in enumerate(glossary.entries) if allowed is None or i in allowed]

    def scan() -> dict[int, tuple[float, str]]:
        scored: dict[int, tuple[float, str]] = {}
        for raw, owner, field_name in names:
            if owner not in scored and pattern.search(raw) is not None:
                scored[owner] = (100.0, field_name)
        for entry_id, definition in definitions:
            if entry_id not in scored and pattern.search(definition) is not None:
                scored[entry_id] = (50.0, "definition")
        return scored

    try:
        return _bounded(scan, REGEX_SECONDS)
    except TimeoutError:
        raise QueryError(
            f"the regular expression ran for over {REGEX_SECONDS:g} s and was stopped; nested repeats such as "
            "(a+)+ or (\\w+\\s?)* can take forever: simplify it, or use --match substring or word"
        ) from None


def _bounded(work: Any, seconds: float) -> Any:
    """work() in a forked child that is killed after `seconds` (TimeoutError) or when we are interrupted.

    The child only runs the regex over lists already in memory and sends back a marshalled result;
    it touches no file, database or stream. Without fork (Windows) the work runs here, unbounded.
    """
    import marshal
    import os

    if not hasattr(os, "fork"):
        return work()
    import select
    import time

    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # a process limit (containers): answer here, unbounded, rather than not at all
        os.close(read_end)
        os.close(write_end)
        return work()
    if pid == 0:  # the child: answer, then leave without running any clean-up of the parent's
        status = 1
        try:
            import signal

            # Die on our own a little after the deadline, even if the parent was killed outright:
            # SIGALRM's default action ends a process that is stuck inside the regex engine.
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(int(seconds) + 2)
            os.close(read_end)
            data = memoryview(marshal.dumps(work()))
            while data:
                data = data[os.write(write_end, data) :]
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    chunks: list[bytes] = []
    try:
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([read_end], [], [], remaining)
            if ready:
                chunk = os.read(read_end, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
        pid = 0
        if status != 0:
            raise RuntimeError(f"the regex search process failed (status {status})")
        return marshal.loads(b"".join(chunks))
    finally:
        os.close(read_end)
        if pid:
            import signal

            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _raw_names(glossary: Glossary) -> list[str]:
    """Names as written (for regular expressions), in name-table order."""
    return [name for entry in glossary.entries for name in entry.names()]


def _fuzzy_search(glossary: Glossary, query: str, allowed: set[int] | None, limit: int) -> dict[int, tuple[float, str]]:
    """The `limit` best entries (ties included) by name scored word by word, names holding the query
    as a word, a word's start or inside a word (`bot` in `Chatbot`), and definitions by how many
    query words they contain.

    A definition hit scores at most 70, so an entry named like the query ranks above entries that
    merely mention it. Word-aware scores come from names in descending bound order (nameindex.py)
    until no bound can reach the `limit`-th best score; definitions are read only when fewer than
    `limit` entries score above what a definition can.
    """
    from .normalize import american
    from .scoring import name_score, names_worth_scoring

    wanted = expand_abbreviations(" ".join(strip_filler(strip_question(query).split())))[:MAX_QUERY_CHARS]
    words = [w for w in wanted.split() if len(w) > 1] or wanted.split()
    index = glossary.name_index()
    best: dict[int, tuple[float, str]] = {}

    def offer(owner: int, field_name: str, score: float) -> None:
        _offer(best, allowed, owner, field_name, score)

    def kth() -> float:
        return sorted(score for score, _field in best.values())[-limit] if len(best) >= limit else -1.0

    if glossary.name_count() >= SCAN_ALL_NAMES_BELOW:
        containing = _containing_at_scale(index, wanted)
    else:
        containing = _containing(glossary, wanted)
    for owner, field_name, score in containing:
        offer(owner, field_name, score)
    named: list[tuple[float, int, int, str]] = []
    query_words = [american(w) for w in wanted.split()[:MAX_QUERY_WORDS]]
    if query_words:
        for pos, name, owner, field_name in names_worth_scoring(index, query_words, lambda: max(70.0, kth() - 0.05)):
            score = name_score(query_words, [american(w) for w in name.split()])
            if score >= 70:
                named.append((score, pos, owner, field_name))
                offer(owner, field_name, score)
    # Offered again in a fixed order, names by score then position and then the names holding the
    # query, so that which field an entry is found by does not depend on the order bounds gave.
    best.clear()
    for score, _pos, owner, field_name in sorted(named, key=lambda item: (-item[0], item[1])):
        offer(owner, field_name, score)
    for owner, field_name, score in containing:
        offer(owner, field_name, score)
    if len(best) < limit or kth() <= 70.0:
        _offer_definitions(glossary, words[:MAX_QUERY_WORDS], allowed, best)
    return best


def _offer(best: dict[int, tuple[float, str]], allowed: set[int] | None, owner: int, field: str, score: float) -> None:
    """Keep an entry's best name score (an alias a little below an own name), within the filters."""
    if allowed is not None and owner not in allowed:
        return
    if field == "alias":
        score *= ALIAS_WEIGHT
    if score > best.get(owner, (-1.0, ""))[0]:
        best[owner] = (round(score, 1), field)


def _offer_definitions(
    glossary: Glossary, words: list[str], allowed: set[int] | None, best: dict[int, tuple[float, str]]
) -> None:
    """Definitions by the share of query words they hold, at most 70: below an entry named like the query."""
    for entry_id, found in glossary.definition_hits(words).items():
        if allowed is not None and entry_id not in allowed:
            continue
        score = round(70.0 * found / len(words), 1)
        if score > best.get(entry_id, (-1.0, ""))[0]:
            best[entry_id] = (score, "definition")


def _containing(glossary: Glossary, wanted: str) -> list[tuple[int, str, float]]:
    """(owner, field, score) of the names that hold the query, found by scanning every name, below
    SCAN_ALL_NAMES_BELOW names (above it, `_containing_at_scale`)."""
    if len(wanted) < 3:
        return []
    table = glossary.name_table()
    found = []
    for i, name in enumerate(table.names):
        score = _containment_score(wanted, name)
        if score is not None:
            found.append((table.owners[i], table.fields[i], score))
    return found


def _containment_score(wanted: str, name: str) -> float | None:
    """How a name holds the query: as whole words (90, less a little for each other word), at the
    start of a word (80), or inside a word (72); None when it does not hold it.

    Above SCAN_ALL_NAMES_BELOW names the candidates come from the word index, which finds word
    starts only: there a query inside a word (`bot` in Chatbot) is not found (docs/performance.md).
    """
    if wanted not in name:
        return None
    extra = name.count(" ") - wanted.count(" ")
    if f" {wanted} " in f" {name} ":
        return max(90.0 - 3.0 * extra, 76.0)
    if f" {wanted}" in f" {name}":
        return max(80.0 - 2.0 * extra, 70.0)
    return max(72.0 - extra, 65.0)


def _times_cited(glossary: Glossary, scored: dict[int, Any]) -> dict[int, int]:
    """How many entries name each scored entry in see_also or confused_with (counted when the
    glossary was compiled)."""
    return glossary.times_cited() if len(scored) > 2_000 else glossary.times_cited_of(list(scored))


def _containing_at_scale(index: Any, wanted: str) -> list[tuple[int, str, float]]:
    """`_containing` at scale: (owner, field, score) of the names holding the query that have a word
    starting like one of its words (the word index finds word starts only)."""
    if len(wanted) < 3:
        return []
    parts = wanted.split()[:MAX_QUERY_WORDS]
    if len(parts) == 1:
        positions = index.word_hits(parts, CANDIDATES_PER_WORD)
    else:
        # Holding `a b c` means a word ending in `a`, the word `b`, and a word starting with `c`.
        positions = index.holding(index.prefixed(parts[-1]))
        for middle in parts[1:-1]:
            word_id = index.word_id(middle)
            positions &= index.holding([word_id] if word_id is not None else [])
        first = parts[0]
        positions &= index.holding(index.ending_with(first))
        # as `name_word_hits` would have found them: the first CANDIDATES_PER_WORD a word
        hits = index.word_hits(parts, CANDIDATES_PER_WORD)
        positions &= hits
    found = []
    for _pos, name, owner, field_name in index.rows(sorted(positions)):
        score = _containment_score(wanted, name)
        if score is not None:
            found.append((owner, field_name, score))
    return found
