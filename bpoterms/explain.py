"""Find the glossary terms and acronyms a piece of running text uses, and the acronyms no glossary knows.

Pure and stdlib only: the CLI reads the input and prints; this module only matches and formats.

Matching works on word tokens, not on regular expressions over names, so a 1 MB text costs one
tokenising pass plus a dictionary lookup per word, whatever the size of the glossary. The rules,
each there because text written by people breaks the naive version:

- Whole words only: a name matches whole tokens (`SLA` never inside `SLAB`).
- Longest match wins: at each position the longest name is taken (`first call resolution` is
  one hit, not `call`), then matching resumes after it.
- Plurals and possessives on the last word: `KPIs`, `SLA's`, `abandoned calls`.
- Between the words of a name the text may put spaces, a hyphen, or one line break (`after-call
  work`, `first-call\\nresolution`, `after-\\ncall work`); a blank line never joins two words.
- Words are compared case-insensitively, except acronym-like words (two or more letters with a
  capital after the first: `AHT`, `KPIs`, `CCaaS`, `GoS`, and the letters around `&` in `F&A`),
  which must be written exactly as in the glossary. So `IT support` matches and `it support`
  does not; `CCaaS` matches and `ccaas` does not.
- Ordinary words (`ORDINARY`: `Client`, `Agent`, `Escalation`, `Available`, `Not Ready`…) name
  glossary entries but would flood the output as plain English. Such a name matches only when
  written capitalised (every word) and not at the start of a sentence or line: `the Client
  approved` is a hit, `the client approved` and `Client approved` are not. The entries stay
  reachable through their longer names (`Supervisor Escalation`, `Remote Agent`).
- Unknown acronyms: all-capital tokens of 2–6 letters (a plural `s` or `'s` allowed) that are
  no word of any loaded name, not in `STOP_ACRONYMS`, not part of a hit, and not on a shouted line
  (a line of two or more words with no lower-case letter: a heading, not an acronym).

Size: the matching rules below are one algorithm (a trie walk with its exceptions); the text,
not the glossary, decides the cost.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .errors import QueryError
from .model import Entry
from .normalize import normalize

# Names that are everyday English words or phrases; see the module docstring for how they match.
ORDINARY = frozenset({
    "accounting", "adherence", "agent", "associate", "available", "away", "barge", "busy", "captive",
    "client", "conformance", "disposition", "escalation", "heads", "interval", "lean", "macros",
    "offline", "pacing", "payroll", "ramp", "roster", "scheduling", "script", "scripts", "scripting",
    "supervisor", "transfer", "transition", "turnover", "whisper", "queue", "wrap", "refresher", "program",
    "dialer", "dialler", "account", "campaign", "process", "seat", "site", "pilot", "backlog", "intent",
    "conference in", "consumer needs", "customer needs", "first attempt", "not ready", "on call",
    "required staff", "staff required", "break", "lunch", "lunch break", "meal break", "rest break", "paid break",
})  # fmt: skip

# All-capital words that are not jargon anyone would add to a glossary.
STOP_ACRONYMS = frozenset({
    "I", "A", "OK", "US", "USA", "UK", "EU", "PM", "AM", "ID", "TV", "FYI", "ASAP", "CC", "BCC",
    "RE", "FW", "FWD", "PS", "NB", "TBD", "TBC", "NA", "EOD", "COB", "ETA", "NO", "YES", "NOT",
    "AND", "OR", "THE", "DO", "ALL", "NEW", "NOTE", "NOW", "URGENT",
    "UTC", "GMT", "EST", "EDT", "CST", "CDT", "PST", "PDT", "IST", "CET",
})  # fmt: skip

# A word (letters and digits, with a possessive `'s` kept on it), or a joining sign names use.
_TOKEN = re.compile(r"[^\W_]+(?:['’][sS](?![^\W_]))?|[&/()]")
# An all-capital word of 2–6 letters, with a plural or possessive s: a candidate unknown acronym.
_CAPITALS = re.compile(r"(?<![^\W_])([A-Z]{2,6})(?:s|['’][sS])?(?![^\W_])")
# The gap after a word (at most 40 characters of anything but word characters and &/()) and the next word.
_NEXT_TOKEN = re.compile(r"((?:_|[^\w&/()]){0,40}?)(" + _TOKEN.pattern + ")")
_NO_GAPS = [""]
# The candidate pattern spells out at most this many characters of a word; a longer word (a hostile or
# pasted name) ends in "any word characters", and the trie walk that follows checks the whole word.
_PATTERN_PREFIX = 32
# The most text `explain` reads (a file, stdin or --text): a long contract is a few hundred KB, and
# explaining 4 MiB takes a few seconds; more is refused instead of running for minutes.
MAX_INPUT_BYTES = 4 * 2**20
_HYPHENS = ("-", "\u2010", "\u2011")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]][.!?])\s+(?=[A-Z0-9\"“(])")
# Skipped when looking back for the start of a sentence: quotes, brackets and list bullets.
_LEADERS = " \t\u00a0\"'“‘([*•-#>"


# ---------------------------------------------------------------- results


class Occurrence(NamedTuple):
    """Where a name occurs: character offsets into the input (`text[start:end] == text`)."""

    start: int
    end: int
    text: str


class TermHits(NamedTuple):
    entry: Entry
    occurrences: tuple[Occurrence, ...]


class UnknownAcronym(NamedTuple):
    acronym: str
    occurrences: tuple[Occurrence, ...]


class Explanation(NamedTuple):
    """Terms in order of first appearance, each once, with every occurrence."""

    text: str
    terms: tuple[TermHits, ...]
    unknown_acronyms: tuple[UnknownAcronym, ...] = ()

    def hits(self) -> list[tuple[Occurrence, Entry]]:
        """Every occurrence in text order (they never overlap), for annotating."""
        found = [(occ, t.entry) for t in self.terms for occ in t.occurrences]
        found.sort(key=lambda pair: pair[0].start)
        return found


# ---------------------------------------------------------------- compiled names


class _Name(NamedTuple):
    entry: int
    text: str
    rank: int  # 0 term, 1 acronym, 2 alias: the tie-break when two entries share a name
    cased: tuple[str | None, ...]  # per token: the exact spelling required, or None
    gaps: tuple[str, ...]  # per token: the punctuation before it besides spaces and hyphens
    ordinary: bool


class _Node:
    """One word of the trie: the words that may follow, and the names that end here."""

    __slots__ = ("children", "names")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.names: list[_Name] = []


def _is_cased(token: str, before: str | None, after: str | None, is_acronym: bool) -> bool:
    """Acronym-like words must be written as in the glossary; plain words match in any case."""
    if not any(ch.isalpha() for ch in token):
        return False
    if is_acronym and any(ch.isupper() for ch in token):
        return True
    if len(token) == 1:
        return token.isupper() and "&" in (before, after)  # the F and A of F&A
    return sum(ch.isalpha() for ch in token) >= 2 and any(ch.isupper() for ch in token[1:])


def _gap_core(gap: str) -> str | None:
    """What a gap between two words holds besides spacing and one hyphen; None if it cannot join."""
    if gap == " " or gap == "":
        return ""
    if gap.count("\n") > 1:
        return None
    core = _SPACE.sub("", gap)
    if core in _HYPHENS:
        return ""
    return core if core in ("", ",") else None


class Matcher:
    """Every name of a set of entries, compiled into a word trie; reusable for many texts."""

    def __init__(self, entries: Sequence[Entry], ordinary: Iterable[str] = ORDINARY) -> None:
        self.entries = tuple(entries)
        ordinary_names = frozenset(ordinary)
        self._root = _Node()
        self._known_words: set[str] = set()
        for position, entry in enumerate(self.entries):
            named = [(entry.term, 0)] + ([(entry.acronym, 1)] if entry.acronym else [])
            named += [(alias, 2) for alias in entry.aliases]
            for name, rank in named:
                self._add(position, name, rank, name == entry.acronym, normalize(name) in ordinary_names)
        for node in self._walk_nodes():
            node.names.sort(key=lambda n: (n.rank, n.entry))
        # Every word that can begin a match, inflected forms included, as one regular expression:
        # the regex engine skips the words that begin nothing, so Python sees only candidates.
        starts: set[str] = set()
        for first in self._root.children:
            if first[0].isalnum():
                starts.add(first)
                if first.endswith("y"):
                    starts.add(first[:-1] + "ie")  # agency → agencie(s)
        body = _trie_pattern(starts) if starts else "(?!)"
        self._pattern = rf"(?<![^\W_])(?:{body})(?:s|es|['’]s)?(?![^\W_])"
        self._candidates = re.compile(self._pattern)
        self._candidates_any_case: re.Pattern[str] | None = None

    def _add(self, position: int, name: str, rank: int, is_acronym: bool, ordinary: bool) -> None:
        matches = list(_TOKEN.finditer(name))
        if not matches:
            return
        tokens = [m.group() for m in matches]
        cased: list[str | None] = []
        gaps: list[str] = []
        for i, token in enumerate(tokens):
            before = tokens[i - 1] if i else None
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            cased.append(token if _is_cased(token, before, after, is_acronym) else None)
            gap = name[matches[i - 1].end() : matches[i].start()] if i else ""
            core = _gap_core(gap)
            gaps.append(core if core is not None else _SPACE.sub("", gap).strip("-"))
            self._known_words.add(token.lower())
        node = self._root
        for token in tokens:
            node = node.children.setdefault(token.lower(), _Node())
        node.names.append(_Name(position, name, rank, tuple(cased), tuple(gaps), ordinary))

    def _walk_nodes(self) -> Iterable[_Node]:
        stack = [self._root]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(node.children.values())

    # ------------------------------------------------------------ matching

    def explain(self, text: str) -> Explanation:
        """Scan once, left to right, taking the longest valid name at each candidate word."""
        lowered = text.lower()
        if len(lowered) == len(text):  # the usual case: offsets in the lower-cased copy are the text's
            candidates = self._candidates.finditer(lowered)
        else:
            lowered = ""
            if self._candidates_any_case is None:
                self._candidates_any_case = re.compile(self._pattern, re.IGNORECASE)
            candidates = self._candidates_any_case.finditer(text)
        hits: dict[int, list[Occurrence]] = {}
        spans: list[tuple[int, int]] = []
        covered = 0
        for candidate in candidates:
            position = candidate.start()
            if position < covered:
                continue  # inside the previous hit
            found = self._longest(text, lowered, position)
            if found is None:
                continue
            end, name = found
            hits.setdefault(name.entry, []).append(Occurrence(position, end, text[position:end]))
            spans.append((position, end))
            covered = end
        terms = tuple(TermHits(self.entries[p], tuple(occ)) for p, occ in hits.items())
        return Explanation(text, terms, self._unknown(text, spans))

    def _longest(self, text: str, lowered: str, position: int) -> tuple[int, _Name] | None:
        """The longest name starting at `position` that passes every rule, as (end offset, name)."""
        match = _TOKEN.match(text, position)
        if match is None:
            return None
        start, end = match.span()
        word = match.group()
        low = lowered[start:end] if lowered else word.lower()
        child = self._root.children.get(low)
        if child is not None and not child.children and low[-1] != "s":
            # The common case, a one-word name such as an acronym: nothing longer to look for.
            words = [(start, end, word)]
            for name in child.names:
                if _valid(text, words, _NO_GAPS, 0, name, None):
                    return end, name
            return None
        candidates: list[tuple[int, list[_Name], str | None]] = []  # (last word, names, inflected core)
        words = []
        gaps: list[str] = [""]
        node = self._root
        while match is not None:
            start, end = match.span()
            word = match.group()
            low = lowered[start:end] if lowered else word.lower()
            words.append((start, end, word))
            last = len(words) - 1
            if low[-1] == "s":
                for core_low, core_text in _inflections(low, word):
                    child = node.children.get(core_low)
                    if child is not None and child.names:
                        candidates.append((last, child.names, core_text))
            child = node.children.get(low)
            if child is None:
                break
            if child.names:
                candidates.append((last, child.names, None))
            if not child.children:
                break
            node = child
            following = _NEXT_TOKEN.match(text, end)
            if following is None:
                break
            gap = following.group(1)
            core = "" if gap == " " else _gap_core(gap)
            if core is None:
                break
            gaps.append(core)
            match = _TOKEN.match(text, following.start(2))
        for last, names, inflected in reversed(candidates):
            for name in names:
                if _valid(text, words, gaps, last, name, inflected):
                    return words[last][1], name
        return None

    def _unknown(self, text: str, spans: list[tuple[int, int]]) -> tuple[UnknownAcronym, ...]:
        found: dict[str, list[Occurrence]] = {}
        shouted: dict[int, bool] = {}
        hit_starts = [start for start, _ in spans]
        for m in _CAPITALS.finditer(text):
            core = m.group(1)
            if core in STOP_ACRONYMS or core.lower() in self._known_words:
                continue
            k = bisect_right(hit_starts, m.start()) - 1
            if k >= 0 and spans[k][1] > m.start():
                continue  # part of a glossary name
            if _is_shouted(text, m.start(), shouted):
                continue
            found.setdefault(core, []).append(Occurrence(m.start(), m.end(), m.group()))
        return tuple(UnknownAcronym(a, tuple(occ)) for a, occ in found.items())


def _valid(
    text: str, words: list[tuple[int, int, str]], gaps: list[str], last: int, name: _Name, inflected: str | None
) -> bool:
    """Case, punctuation between words, and the ordinary-word rule, for one candidate name."""
    for k, want in enumerate(name.cased):
        if k and gaps[k] != name.gaps[k]:
            return False
        if want is None:
            continue
        got = inflected if (inflected is not None and k == last) else words[k][2]
        if got != want:
            return False
    if name.ordinary:
        if not all(w[2][0].isupper() for w in words[: last + 1] if w[2][0].isalpha()):
            return False
        if _starts_sentence(text, words[0][0]):
            return False
    return True


def _is_shouted(text: str, position: int, seen: dict[int, bool]) -> bool:
    """A line of two or more words without a lower-case letter is a heading or shouting."""
    line_start = text.rfind("\n", 0, position) + 1
    if line_start not in seen:
        line_end = text.find("\n", position)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if line.upper() != line:  # a lower-case letter: an ordinary line
            seen[line_start] = False
        else:
            seen[line_start] = sum(1 for w in line.split() if sum(ch.isalpha() for ch in w) >= 2) >= 2
    return seen[line_start]


def _trie_pattern(words: Iterable[str]) -> str:
    """One alternation for many words, shared prefixes factored out, so matching never backtracks far.

    Words are spelled out to `_PATTERN_PREFIX` characters (then any word characters), which keeps
    the pattern shallow: one level of recursion and of regex nesting per character.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word[:_PATTERN_PREFIX]:
            node = node.setdefault(ch, {})
        node["" if len(word) <= _PATTERN_PREFIX else "*"] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch and ch != "*"]
        if "*" in node:
            branches.append(r"[^\W_]+")
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


def _inflections(low: str, original: str | None = None) -> list[tuple[str, str]]:
    """(lower-case core, core as written) of a word that may end a name: `KPIs` → `kpi`, `KPI`."""
    original = low if original is None else original
    if low.endswith(("'s", "’s")):
        return [(low[:-2], original[:-2])]
    if len(low) <= 2 or not low.endswith("s") or low.endswith("ss"):
        return []
    forms = [(low[:-1], original[:-1])]
    if low.endswith("ies") and len(low) > 4:
        forms.append((low[:-3] + "y", original[:-3] + "y"))
    elif low.endswith("es") and len(low) > 3:
        forms.append((low[:-2], original[:-2]))
    return forms


def _starts_sentence(text: str, position: int) -> bool:
    k = position - 1
    while k >= 0 and text[k] in _LEADERS:
        k -= 1
    return k < 0 or text[k] in "\n\r.!?"


# ---------------------------------------------------------------- entry points

_MATCHERS: dict[int, tuple[tuple[Entry, ...], Matcher]] = {}


def matcher_for(entries: Sequence[Entry]) -> Matcher:
    """A compiled Matcher, reused while the same entries tuple is alive (one per process in practice)."""
    key = id(entries)
    cached = _MATCHERS.get(key)
    if cached is not None and cached[0] is entries:
        return cached[1]
    matcher = Matcher(entries)
    if isinstance(entries, tuple):
        _MATCHERS.clear()
        _MATCHERS[key] = (entries, matcher)
    return matcher


def explain(text: str, entries: Sequence[Entry]) -> Explanation:
    """The glossary terms a text uses (e.g. `explain(text, glossary.entries)`)."""
    return matcher_for(entries).explain(text)


def read_input(file: str | None, stdin: Any = None) -> str:
    """The text of a file, or of `stdin` when `file` is None: at most MAX_INPUT_BYTES, UTF-8."""
    limit = MAX_INPUT_BYTES
    if file is None:
        name = "<stdin>"
        buffer = getattr(stdin, "buffer", None)
        raw = buffer.read(limit + 1) if buffer is not None else stdin.read(limit + 1).encode("utf-8", "surrogateescape")
    else:
        name = file
        path = Path(file)
        try:
            if path.is_dir():
                raise QueryError(f"{file}: is a folder, not a text file")
            with path.open("rb") as handle:
                raw = handle.read(limit + 1)
        except FileNotFoundError:
            raise QueryError(f"{file}: no such file") from None
        except PermissionError:
            raise QueryError(f"{file}: permission denied") from None
        except OSError as exc:
            raise QueryError(f"{file}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > limit:
        raise QueryError(f"{name}: more than {limit // 2**20} MiB of text; explain reads at most that (split the text)")
    return decode_input(raw, name)


def decode_input(raw: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or a QueryError worded for one line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise QueryError(f"{name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line})") from None
    return check_input(text, name)


def check_input(text: str, name: str) -> str:
    if len(text) > MAX_INPUT_BYTES:
        raise QueryError(f"{name}: more than {MAX_INPUT_BYTES // 2**20} MiB of text; explain reads at most that")
    if not text.strip():
        raise QueryError(f"{name}: the input is empty")
    return text


# ---------------------------------------------------------------- output (no I/O)


def first_sentence(definition: str) -> str:
    """The one-line gist of a definition: its first sentence."""
    return _SENTENCE_END.split(definition.strip(), maxsplit=1)[0]


def expansion(occurrence: Occurrence, entry: Entry) -> str | None:
    """What to put in brackets after a hit: the full term for an acronym or alias, the acronym for
    a term written out, nothing when the text already says everything the glossary name would."""
    said = f" {normalize(occurrence.text)} "
    if f" {normalize(entry.term)} " not in said and f" {normalize(entry.term)}s " not in said:
        return entry.term
    if entry.acronym and f" {normalize(entry.acronym)} " not in said:
        return entry.acronym
    return None


def annotated_segments(result: Explanation) -> list[tuple[str, Entry | None, str | None]]:
    """The text cut into (piece, entry or None, expansion) for an annotating renderer."""
    pieces: list[tuple[str, Entry | None, str | None]] = []
    at = 0
    text = result.text
    for occurrence, entry in result.hits():
        if occurrence.start > at:
            pieces.append((text[at : occurrence.start], None, None))
        pieces.append((occurrence.text, entry, expansion(occurrence, entry)))
        at = occurrence.end
    if at < len(text):
        pieces.append((text[at:], None, None))
    return pieces
