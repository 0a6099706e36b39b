"""Resolve a query to one entry (`define`); pure functions over a Glossary. Ranking for `search` is ranking.py's.

The resolver's stages and its confidence rule live here (docs/accuracy.md); how close a name
is to a query is measured in `scoring.py`, the only module that imports rapidfuzz, and only on
the paths that need fuzzy matching, so an exact `define` never pays for it.

Size: the resolver's stages, one short function each, in the order `resolve` tries them; they
share the confidence rule, so they stay together.
"""

from __future__ import annotations

from itertools import pairwise

from .errors import QueryError
from .model import Ambiguous, Comparison, Entry, Match, NotFound, Suggestion
from .normalize import (
    CONTEXT_NOUNS,
    METRIC_NOUNS,
    REDUNDANT_NOUNS,
    american,
    compact,
    expand_abbreviations,
    inflection_key,
    normalize,
    spelling_key,
    stem,
    strip_filler,
    strip_question,
)
from .scoring import (
    CANDIDATES_PER_WORD,
    MAX_QUERY_WORDS,
    SCAN_ALL_NAMES_BELOW,
    a_plausible_typo,
    clear_leader,
    edit_distance,
    edit_similarity,
    fuzzy_scores,
    within_one_edit,
    within_one_edit_positions,
)

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from typing import Any

    from .store import Glossary

# A fuzzy candidate must score at least this (0–100) to be given as the answer …
FUZZY_CUTOFF = 88.0
# … and lead the best other entry by this much; otherwise the answer is "did you mean".
FUZZY_MARGIN = 4.0
# A query this short (letters and digits) is never answered by a guess: too many names lie one edit away.
MIN_FUZZY_CHARS = 5
SUGGESTIONS = 5
# Words that join two terms into a comparison: `CSAT vs NPS`, `AHT or ACW`.
_COMPARE_WORDS = (("vs",), ("versus",), ("or",), ("compared", "to"), ("compared", "with"), ("against",))
_DIFFERENCE_OPENERS = (("difference", "between"), ("the", "difference", "between"), ("diff", "between"))

# Longer queries are cut to this before matching: names are far shorter, and every stage's cost
# grows with the query.
MAX_NAME_CHARS = 500

Lookup = Match | Ambiguous | Comparison | NotFound


def clean_query(query: str) -> str:
    """Strip and refuse an empty query (a usage error, not a miss)."""
    printable = query if query.isprintable() else "".join(ch if ch.isprintable() else " " for ch in query)
    cleaned = printable.strip()
    if not cleaned:
        raise QueryError("the query is empty")
    return cleaned


def resolve(glossary: Glossary, query: str) -> Lookup:
    """The entry a query means, every reading of a shared name, both sides of `A vs B`, or a miss.

    Stages, first answer wins: the name as typed (term, acronym, alias); a comparison; the name
    without question words and filler (`what is`, `full form`, `in call center`, `avg`); a metric
    noun dropped (`NPS score`); spelling variants and word forms; then a word-aware fuzzy score
    that must be high and clearly ahead of the next entry. Never raises for a printable query.
    """
    query = clean_query(query)
    text = query[:MAX_NAME_CHARS]  # no name is longer: a megabyte of letters is a miss, found quickly
    found = _by_name(glossary, text, query) if len(query) <= MAX_NAME_CHARS else None
    if isinstance(found, Ambiguous) and "%" in query:  # `sl %`: a percentage is a metric's
        return _the_metric_reading(found)
    if found is not None:
        return found
    asked = strip_question(text).split()
    words = strip_filler(asked)[:MAX_QUERY_WORDS]
    comparison = _comparison(glossary, words, query)
    if comparison is None and words != asked[:MAX_QUERY_WORDS]:
        # each side of a comparison drops its own filler: dropping it from the whole query first
        # takes `bpo` off `kpo vs bpo` as if it were `aht in bpo`
        comparison = _comparison(glossary, asked[:MAX_QUERY_WORDS], query)
    if comparison is not None:
        return comparison
    return _resolve_words(glossary, words, query)


def _resolve_words(glossary: Glossary, words: list[str], query: str) -> Lookup:
    """Every stage after the name as typed, for one term (not a comparison)."""
    core = expand_abbreviations(" ".join(words))
    if not core:
        return NotFound(query)
    found = _by_name(glossary, core, query)
    if found is not None:
        return found
    metric = _without_metric_noun(glossary, core.split(), query)
    if metric is not None:
        return metric
    variant = _by_variant(glossary, core, query)
    if isinstance(variant, Match):
        return variant
    fuzzy = _resolve_fuzzily(glossary, core, query)
    if isinstance(fuzzy, Match):
        return fuzzy
    return (
        _reading_in_context(glossary, core.split(), query)
        or _acronym_with_its_own_words(glossary, core.split(), query)
        or _acronym_with_words_of_its_text(glossary, core.split(), query)
        or _named_in_a_question(glossary, core.split(), query)
        or _with_context_noun(glossary, core.split(), query)
        or _without_generic_tail(glossary, core, query)
        or _part_of_one_name(glossary, core.split(), query)
        or _by_head_word(glossary, core, query)
        or _named_first(glossary, core.split(), query)
        or variant
        or fuzzy
    )


def _with_context_noun(glossary: Glossary, words: list[str], query: str) -> Match | Ambiguous | None:
    """`PCI DSS requirements`, `MSA contract`, `BCP plan`: a name and a noun saying what about it.

    After an acronym any context noun may go; after a full name only the nouns that add nothing
    to it (`build-operate-transfer model`, `transition programme`).
    """
    rests = []
    if len(words) >= 2 and words[-1] in CONTEXT_NOUNS:
        rests.append((words[:-1], words[-1], True))
    if len(words) >= 2 and words[0] in CONTEXT_NOUNS:
        rests.append((words[1:], words[0], False))
    for rest, noun, trailing in rests:
        found: Lookup | None = _by_name(glossary, " ".join(rest), query)
        if found is None and noun in REDUNDANT_NOUNS and trailing:
            found = _by_variant(glossary, " ".join(rest), query)
        # A noun before a full name qualifies it (`process outsourcing` is not Outsourcing): only an
        # acronym may lose a noun in front.
        redundant = noun in REDUNDANT_NOUNS and trailing
        # A short token found by another name than the term reads as an abbreviation (`tnps survey`);
        # an entry's own one-word term is a word (`agent platform` is not Agent).
        if isinstance(found, Match) and (
            found.kind == "acronym"
            or redundant
            or _is_acronym(found.entry)
            or (_acronym_like(rest) and found.kind != "exact")
        ):
            return found
        if isinstance(found, Ambiguous) and all(m.kind == "acronym" for m in found.matches):
            return found
    return None


def _reading_in_context(glossary: Glossary, words: list[str], query: str) -> Match | None:
    """A shared acronym with words that settle which reading is meant: `asr carrier stats` is the
    Answer-Seizure Ratio, `sl target this week` the Service Level.

    The other words are looked for in each reading's own text (its names, definition and notes);
    the answer is the one reading that holds some of them when no other reading holds any.
    """
    if not 2 <= len(words) <= 6:
        return None
    for i, word in enumerate(words):
        found = _by_name(glossary, word, query)
        if not isinstance(found, Ambiguous):
            continue
        others = [w for j, w in enumerate(words) if j != i and w not in _LIGHT and len(w) > 2]
        # A generic noun (`report`, `rules`) settles a reading only through its names, other words
        # through its whole text: `sl report` stays open, `tsr rules` is the Telemarketing Sales Rule.
        generic = {stem(american(w)) for w in others if w in CONTEXT_NOUNS}
        specific = {stem(american(w)) for w in others if w not in CONTEXT_NOUNS}
        if not (generic or specific):
            return None
        overlaps = []
        for match in found.matches:
            entry = match.entry
            names = {stem(american(w)) for w in normalize(" ".join(entry.names())).split()}
            # the notes are left out: they discuss other things (`tsr job opening` is not the rule)
            text = normalize(" ".join((entry.definition, entry.category)))
            words_of_text = names | {stem(american(w)) for w in text.split()}
            overlaps.append(len(generic & names) + len(specific & words_of_text))
        best = max(overlaps)
        if best > 0 and overlaps.count(best) == 1 and sorted(overlaps)[-2] == 0:
            return found.matches[overlaps.index(best)]
        return None
    return None


_LIGHT = frozenset(("this", "that", "the", "for", "and", "with", "what", "does", "mean", "our", "my", "your", "week"))


def _acronym_with_its_own_words(glossary: Glossary, words: list[str], query: str) -> Match | None:
    """`rpa bots`, `dnc list scrub`, `tsr telemarketing rules`: an acronym beside words of its own
    names (or context nouns) means that entry; a word its names lack (`SLA penalty`) leaves it open."""
    if not 2 <= len(words) <= 5:
        return None
    for i, word in enumerate(words):
        found = _by_name(glossary, word, query)
        if not isinstance(found, Match) or found.kind != "acronym":
            continue
        names = {stem(american(w)) for w in normalize(" ".join(found.entry.names())).split()}
        others = [w for j, w in enumerate(words) if j != i and w not in _LIGHT]
        own = [stem(american(w)) in names for w in others]
        if any(own) and all(mine or w in CONTEXT_NOUNS for w, mine in zip(others, own, strict=True)):
            return found
        return None
    return None


# Words too common in definitions to say anything about which entry is meant.
_QUESTION_WORDS = frozenset((
    "how", "when", "where", "why", "who", "which", "can", "should", "do", "does", "did", "is", "are", "be",
    "i", "we", "you", "they", "it", "a", "an", "the", "to", "of", "in", "on", "at", "for", "by", "with",
    "long", "much", "many", "get", "use", "used", "there", "any", "some", "someone", "me", "us", "from",
    "about", "as", "if", "this", "that", "these", "those", "our", "my", "your", "their", "what", "will", "would",
))  # fmt: skip


_QUESTION_OPENERS = frozenset((
    "what", "whats", "how", "when", "where", "why", "who", "which", "can", "should", "do", "does", "is", "are",
))  # fmt: skip
_ASKING_WORDS = frozenset((
    "count", "counts", "compute", "computed", "calculate", "calculated", "measure", "measured", "mean",
    "means", "work", "works", "need", "needed", "read", "say", "said", "happen", "happens", "become",
    "percentage", "percent",
))  # fmt: skip


def _named_in_a_question(glossary: Glossary, words: list[str], query: str) -> Match | None:
    """`how long should acw be`, `what is erlang c used for`, `can i call someone on the dnc list`:
    a question that names one entry, its other words being question words or words of that
    entry's own names and definition.

    The longest run of words that is a name counts; runs of that length naming different
    entries leave the question open, and so does any other word the entry's text lacks.
    """
    typed = normalize(query).split()
    if not typed or typed[0] not in _QUESTION_OPENERS:
        return None
    return _named_with_its_own_words(glossary, words, query, question=True)


def _named_first(glossary: Glossary, words: list[str], query: str) -> Match | None:
    """`forecasted volume`, `dispositioning calls`, `call opening spiel`, `on aux`: a name or a word
    form of one, first, then words of that entry's own names and definition.

    The name must come first: the last word of a compound is what it is about, so `service
    recovery` is not Disaster Recovery and `licence cost per seat` is not Cost per Seat. When
    another entry's name holds every word typed (`in queue`: Calls in Queue), it stays open.
    """
    typed = normalize(query).split()
    if not typed or typed[0] in _QUESTION_OPENERS or _held_by_a_longer_name(glossary, words):
        return None
    return _named_with_its_own_words(glossary, words, query, question=False)


def _held_by_a_longer_name(glossary: Glossary, words: list[str]) -> bool:
    wanted = [stem(american(w)) for w in words]
    table = glossary.name_table()
    for i in _word_positions(glossary, max(words, key=len)):
        name = [stem(american(w)) for w in table.names[i].split()]
        if len(name) > len(wanted) and any(
            name[j : j + len(wanted)] == wanted for j in range(len(name) - len(wanted) + 1)
        ):
            return True
    return False


def _named_with_its_own_words(glossary: Glossary, words: list[str], query: str, *, question: bool) -> Match | None:
    """The entry the longest named run of `words` names, when every other word is its own.

    In a question, when the longest run's entry does not fit, the entry named first (the
    subject: `what is hypercare after go live`) is tried too.
    """
    if not 2 <= len(words) <= MAX_QUERY_WORDS:
        return None
    first = next((i for i, w in enumerate(words) if w not in _LIGHT_BEFORE), 0)
    runs: list[tuple[int, int, Match]] = []  # (size, start, match), longest first
    for size in range(min(5, len(words)), 0, -1):
        starts = range(len(words) - size + 1) if question else range(first, min(first + 1, len(words) - size + 1))
        for start in starts:
            run = " ".join(words[start : start + size])
            if len(compact(run)) < 3 or (size == 1 and run in _QUESTION_WORDS):
                continue
            found: Lookup | None = _by_name(glossary, run, query)
            if found is None and (size > 1 or not question):  # `agents` in a question is too loose
                variant = _by_variant(glossary, run, query)
                found = variant if isinstance(variant, Match) else None
            if found is None and size == 1 and not question:
                found = _by_head_word(glossary, run, query)
            if isinstance(found, Ambiguous) and (not runs or runs[0][0] == size):
                return None  # a shared name as long as any named run: open (`soc` inside `soc 2` is not)
            if isinstance(found, Match) and all(r[2].entry != found.entry for r in runs):
                runs.append((size, start, found))
    if not runs:
        return None
    longest = [r for r in runs if r[0] == runs[0][0]]
    if len(longest) > 1:
        return None  # two entries named as fully: open
    tries = [runs[0]]
    if question and len(runs) > 1:
        earliest = min(runs, key=lambda r: (r[1], -r[0]))
        if earliest is not runs[0]:
            tries.append(earliest)
    for size, start, found in tries:
        if _fits(found, words[:start], words[start + size :], question=question, several=size > 1):
            return Match(found.entry, query, "in context", 100.0)
    return None


def _fits(found: Match, before: list[str], after: list[str], *, question: bool, several: bool) -> bool:
    """Every word around a named run is a question word or the named entry's own."""
    if not question and not all(w in _LIGHT_BEFORE for w in before):
        return False
    # a word standing for a whole name (`labour` for Labor Arbitrage) takes only words of its names
    # beside it: its definition's words would make `labour cost` Labor Arbitrage
    own = _own_words(found.entry, definition=found.kind != "head word")
    if question:
        free = _QUESTION_WORDS | _ASKING_WORDS
        return all(w in free or stem(american(w)) in own for w in before + after)
    # outside a question, each other word is a small joining word or a real word of the entry's; a
    # context noun may follow an acronym or a name of several words (`soc 2 audit`), not `agent`
    nouns_may_follow = found.kind == "acronym" or several
    return all(
        w in _LIGHT_BEFORE or w in _LIGHT or w in _ASKING_WORDS
        or (w not in _QUESTION_WORDS and stem(american(w)) in own)
        or (nouns_may_follow and w in CONTEXT_NOUNS)
        for w in after
    )  # fmt: skip


def _own_words(entry: Entry, *, definition: bool = True) -> set[str]:
    """Stems of the words of an entry's names and definition, and of each two neighbours joined
    (`pick-up` also gives `pickup`)."""
    words = normalize(" ".join((*entry.names(), entry.definition if definition else ""))).split()
    joined = [a + b for a, b in pairwise(words)]
    return {stem(american(w)) for w in (*words, *joined)}


# Words that may stand before a name without changing what it names (`on aux`, `the board`).
# Taglish particles too (`naka aux`, `endo sa bpo`, `nasa avail ka ba`).
_LIGHT_BEFORE = frozenset((
    "on", "in", "the", "a", "an", "my", "our", "at", "to", "sa", "ng", "naka", "nasa", "ka", "ba", "po", "na", "yung",
    "ang", "mga",
))  # fmt: skip


def _acronym_with_words_of_its_text(glossary: Glossary, words: list[str], query: str) -> Match | None:
    """`sla breach`, `kt sessions`, `pci compliance for call centers`: an acronym, first, beside
    words its entry's own text (names, definition, notes) holds; one word the text lacks leaves it
    open (`SLA penalty`), and so does a word before it (`call masking pci` is a kind of masking)."""
    if not 2 <= len(words) <= 6:
        return None
    for i, word in enumerate(words):
        found = _by_name(glossary, word, query)
        if found is None:
            continue
        if not isinstance(found, Match) or not (found.kind == "acronym" or (found.kind == "alias" and len(word) <= 4)):
            return None  # an acronym, or a short alias used as one (`pci` for PCI DSS)
        if any(w not in _LIGHT_BEFORE for w in words[:i]):
            return None  # last in a compound it says what kind: `call masking pci` is masking
        entry = found.entry
        text = normalize(" ".join((*entry.names(), entry.definition, entry.notes or "")))
        own = {stem(american(w)) for w in text.split()}
        others = [w for j, w in enumerate(words) if j != i and w not in _QUESTION_WORDS and w not in _LIGHT]
        if others and all(stem(american(w)) in own or w in CONTEXT_NOUNS for w in others):
            return None if _ends_a_linked_name(glossary, entry, others[-1]) else found
        return None
    return None


def _ends_a_linked_name(glossary: Glossary, entry: Entry, word: str) -> bool:
    """`pii masking` is masking of PII, Data Masking, which points to PII: the last word ends the
    term of an entry linked to the acronym's either way, so the acronym's entry is not the answer."""
    wanted = stem(american(word))
    table = glossary.name_table()
    for i in _word_positions(glossary, word):
        if table.fields[i] != "term" or stem(american(table.names[i].rsplit(" ", 1)[-1])) != wanted:
            continue
        owner = glossary.entry_at(table.owners[i])  # read only for the few names that end in the word
        if owner.term != entry.term and _linked(owner, entry):
            return True
    return False


def _acronym_like(words: list[str]) -> bool:
    """A short single token, as acronyms and their variants are (`tnps`, `wah`)."""
    return len(words) == 1 and len(words[0]) <= 5


def _is_acronym(entry: Entry) -> bool:
    """An entry named by its acronym (`PCI DSS`)."""
    return bool(entry.acronym) and compact(entry.acronym or "") == compact(entry.term)


def _without_generic_tail(glossary: Glossary, text: str, query: str) -> Match | None:
    """`fixed price` → Fixed Price Model, `non voice` → Non-Voice Process: a name less its last, generic
    word, typed as it is or with one plausible typo in eight letters or more (`zero tolerence`)."""
    if len(text) < 4:
        return None
    key = compact(text)
    table = glossary.name_table()
    names = table.names
    if len(names) < SCAN_ALL_NAMES_BELOW:
        positions: Any = range(len(names))
    else:  # at scale, only names sharing the query's first word can be the name less its tail
        positions = sorted(glossary.name_word_hits(text.split()[:1], CANDIDATES_PER_WORD))
    heads = {
        i: names[i].rsplit(" ", 1)[0]
        for i in positions
        if " " in names[i] and names[i].rsplit(" ", 1)[-1] in REDUNDANT_NOUNS
    }
    owners = {table.owners[i] for i, head in heads.items() if head.replace(" ", "") == key}
    if not owners and len(key) >= 8 and not _within_one_edit_of(glossary, key):
        # `zero tolerence` → Zero Tolerance Policy: one plausible typo, when no whole name is as close
        owners = {
            table.owners[i]
            for i, head in heads.items()
            if edit_distance(key, head.replace(" ", "")) == 1 and a_plausible_typo(text.split(), head.split())
        }
    return Match(glossary.entry_at(owners.pop()), query, "head word", 90.0) if len(owners) == 1 else None


def _part_of_one_name(glossary: Glossary, words: list[str], query: str) -> Match | None:
    """`effort score` → Customer Effort Score, `data privacy act` → Data Privacy Act of 2012: words
    that run, in order, through one entry's name and make up at least half of it (exactly half only
    when they end it: `no shows` is No Call No Show, `customer call` is not Customer/Call Center Relations).

    Two words or more; when several entries' names hold the run (`process outsourcing`: Business,
    Knowledge and Legal Process Outsourcing), the one it covers most answers, if only one does. A
    name that ends in a context noun beyond the run is about the run (`exchange rate clause`).
    """
    worded = sum(w not in _LIGHT and not w.isdigit() for w in words)  # `1:1` is no two words of a name
    if not 2 <= len(words) <= 6 or worded < 2:
        return None
    wanted = [stem(american(w)) for w in words]
    table = glossary.name_table()
    cover: dict[int, float] = {}
    for i in _word_positions(glossary, max(words, key=len)):
        name = [stem(american(w)) for w in table.names[i].split()]
        if len(name) <= len(wanted) or 2 * len(wanted) < len(name):
            continue
        starts = [j for j in range(len(name) - len(wanted) + 1) if name[j : j + len(wanted)] == wanted]
        if 2 * len(wanted) == len(name):  # only half of it: the run must be the name's head, its end
            starts = [j for j in starts if j + len(wanted) == len(name)]  # `no shows`, not `customer call`
        # a name ending in a context noun is about the run, not the run itself (`exchange rate clause`)
        if starts and (starts[-1] + len(wanted) == len(name) or table.names[i].split()[-1] not in CONTEXT_NOUNS):
            owner = table.owners[i]
            cover[owner] = max(cover.get(owner, 0.0), len(wanted) / len(name))
    if not cover:
        return None
    best = max(cover.values())
    owners = [owner for owner, share in cover.items() if share == best]
    if len(owners) != 1:
        return None
    return Match(glossary.entry_at(owners[0]), query, "part of a name", round(100.0 * best, 1))


def _by_head_word(glossary: Glossary, text: str, query: str) -> Match | None:
    """`warm` → Warm Transfer, `scorecard` → QA Scorecard: a word only one entry's names hold, or
    the one entry every other holder points to (`hold` → Hold Time, which Hold Rate and Hold
    Etiquette name in their see-also).

    Only for a single word of four letters or more, held by a two-word term (not an alias:
    `optimisation` is not Workforce Engagement Management).
    """
    if " " in text and text.count(" ") == 1 and glossary.is_name_word(text.replace(" ", "")):
        text = text.replace(" ", "")  # `in bound` → inbound
    if " " in text or len(text) < 4 or not text.isalpha():
        return None
    table = glossary.name_table()

    def holders_of(word: str) -> set[int]:
        wanted = stem(american(word))
        return {
            i for i in _word_positions(glossary, word) if wanted in {stem(american(w)) for w in table.names[i].split()}
        }

    holders = holders_of(text)
    if not holders:
        corrected = _one_typo_from_a_name_word(glossary, text)  # `scorcard` → scorecard
        if corrected is None:
            return None
        holders = holders_of(corrected)
    heads = {table.owners[i] for i in holders if table.fields[i] == "term" and table.names[i].count(" ") <= 1}
    everyone = {table.owners[i] for i in holders}
    if len(heads) == 1 and everyone == heads:
        return Match(glossary.entry_at(heads.pop()), query, "head word", 90.0)
    if not heads or len(everyone) > 12:
        return None
    entries = {i: glossary.entry_at(i) for i in everyone}
    parents = [h for h in heads if all(_points_to(entries[o], entries[h]) for o in everyone if o != h)]
    if len(parents) == 1:
        return Match(entries[parents[0]], query, "head word", 90.0)
    return None


def _one_typo_from_a_name_word(glossary: Glossary, word: str) -> str | None:
    """The one word of some name that `word` is a plausible typo of (six letters or more), if unique."""
    if len(word) < 6:
        return None
    close = [w for w in within_one_edit(word, glossary.name_words()) if a_plausible_typo([word], [w])]
    return close[0] if len(close) == 1 else None


def _points_to(entry: Entry, target: Entry) -> bool:
    return target.term in (*entry.see_also, *entry.confused_with)


def _word_positions(glossary: Glossary, word: str) -> list[int]:
    """Name-table positions of names with a word starting like `word` (its first four letters)."""
    names = glossary.name_table().names
    if len(names) < SCAN_ALL_NAMES_BELOW:
        prefix = word[:4]
        # One scan per prefix, remembered: a lookup asks for a prefix or two, which scanning
        # answers about forty times faster than indexing every word of every name would.
        found: dict[str, list[int]] = glossary.derived("names by word prefix", dict)
        if prefix not in found:
            spaced: list[str] = glossary.derived("names after a space", lambda: [f" {name}" for name in names])
            found[prefix] = [i for i, name in enumerate(spaced) if f" {prefix}" in name]
        return found[prefix]
    return sorted(glossary.name_word_hits([word[:4]], CANDIDATES_PER_WORD))


def _by_name(glossary: Glossary, text: str, query: str) -> Match | Ambiguous | None:
    """A name as written: one owner answers; a name several entries share gives every reading.

    When the text is one entry's own term and only another's alias or acronym, the term wins.
    """
    hits = glossary.exact_hits(compact(text))
    if not hits:
        hits = [(i, "spelling") for i, _kind in glossary.exact_hits(spelling_key(text))]
    if not hits:
        return None
    owners = dict.fromkeys(entry_id for entry_id, _kind in hits)
    if len(owners) == 1:
        entry_id, kind = hits[0]
        return Match(glossary.entry_at(entry_id), query, kind, 100.0)
    terms = [entry_id for entry_id, kind in hits if kind == "exact"]
    if len(terms) == 1:
        return Match(glossary.entry_at(terms[0]), query, "exact", 100.0)
    kinds: dict[int, str] = {}
    for entry_id, kind in hits:
        kinds.setdefault(entry_id, kind)
    return Ambiguous(query, tuple(Match(glossary.entry_at(i), query, kinds[i], 100.0) for i in owners))


def _without_metric_noun(glossary: Glossary, words: list[str], query: str) -> Match | Ambiguous | None:
    """`NPS score`, `fcr rate`, `aux time`: the noun adds nothing when the rest is an acronym or a metric."""
    numbers: list[str] = []
    while len(words) > 2 and words[-1].isdigit():
        numbers.insert(0, words[-1])
        words = words[:-1]  # `SL 80/20`: a target's numbers say a metric is meant
    if len(words) < 2 or not (words[-1] in METRIC_NOUNS or words[-1].isdigit()):
        return None
    if words[-1].isdigit():
        numbers.insert(0, words[-1])
    found = _by_name(glossary, " ".join(words[:-1]), query)
    if isinstance(found, Match) and numbers and found.entry.category != "metrics":
        # `sla 80/20`: the numbers say a metric is meant, not the contract; the metric they name
        # answers if the acronym's entry points to it, else nothing does
        target = _by_name(glossary, " ".join(numbers), query)
        if isinstance(target, Match) and target.entry.category == "metrics" and _linked(found.entry, target.entry):
            return target
        return None
    if isinstance(found, Match) and (found.kind == "acronym" or found.entry.category == "metrics"):
        return found
    if isinstance(found, Ambiguous) and numbers:  # `dpa 2012`: the reading whose name holds the numbers
        named = [m for m in found.matches if set(numbers) <= set(normalize(m.entry.term).split())]
        if len(named) == 1:
            return named[0]
    if isinstance(found, Ambiguous):  # `SL percentage`: the metric among the readings, if only one is
        return _the_metric_reading(found)
    return None


def _the_metric_reading(found: Ambiguous) -> Match | Ambiguous:
    metrics = [m for m in found.matches if m.entry.category == "metrics"]
    return metrics[0] if len(metrics) == 1 else found


def _by_variant(glossary: Glossary, text: str, query: str) -> Match | NotFound | None:
    """Plurals, word forms and British spellings: one owner answers, several are only suggested."""
    typed = query.strip()
    if typed.isupper() and " " not in typed:
        return None  # `CWS` is an acronym as typed, not the plural of `CW`
    owners = list(dict.fromkeys(glossary.inflected_hits(inflection_key(text))))
    if not owners and len(typed) > 2 and typed[-1] == "s" and typed[:-1].isupper():
        # `FTEs`, `SLAs`: a plural `s` on an acronym the word rules keep whole
        owners = list(dict.fromkeys(i for i, _kind in glossary.exact_hits(compact(typed[:-1]))))
    if len(owners) == 1:
        return Match(glossary.entry_at(owners[0]), query, "inflection", 100.0)
    if owners:
        return NotFound(query, tuple(Suggestion(glossary.entry_at(i), 90.0) for i in owners[:SUGGESTIONS]))
    return None


def _comparison(glossary: Glossary, words: list[str], query: str) -> Comparison | Match | None:
    """`CSAT vs NPS`, `occupancy or utilization`, `difference between AHT and ACW`: both sides must resolve."""
    sides: tuple[list[str], list[str]] | None = None
    for opener in _DIFFERENCE_OPENERS:
        if tuple(words[: len(opener)]) == opener and "and" in words[len(opener) :]:
            rest = words[len(opener) :]
            cut = rest.index("and")
            sides = (rest[:cut], rest[cut + 1 :])
            break
    if sides is None:
        for i in range(1, len(words) - 1):
            for joiner in _COMPARE_WORDS:
                if tuple(words[i : i + len(joiner)]) == joiner:
                    sides = (words[:i], words[i + len(joiner) :])
                    break
            if sides is not None:
                break
    if sides is None or not sides[0] or not sides[1]:
        return None
    left, right = sides
    attempts = [(left, right)]
    if len(left) == 1 and len(right) > 1:  # `warm vs cold transfer`: the noun is shared, try that first
        attempts.insert(0, ([*left, *right[1:]], right))
    matches: list[Match] | None = None
    for first, second in attempts:
        found_sides = [_resolve_words(glossary, strip_filler(side), " ".join(side)) for side in (first, second)]
        matches = _pair_readings(found_sides)
        if matches is not None:
            break
    else:
        return None
    if matches[0].entry == matches[1].entry:  # `attrition vs turnover`: two names of one entry, which explains both
        return Match(matches[0].entry, query, "same entry", 100.0)
    return Comparison(query, tuple(m._replace(query=query) for m in matches))


def _linked(one: Entry, other: Entry) -> bool:
    return one.term in (*other.see_also, *other.confused_with) or other.term in (*one.see_also, *one.confused_with)


def _pair_readings(sides: list[Lookup]) -> list[Match] | None:
    """Both sides of a comparison as single entries; a shared acronym on one side is read the way
    the other side points to (`TCPA vs TSR`: the Telemarketing Sales Rule), else its one reading
    in the other side's category (`VL vs SL`: Sick Leave)."""
    if not all(isinstance(side, (Match, Ambiguous)) for side in sides):
        return None
    chosen: list[Match] = []
    for side, other in ((sides[0], sides[1]), (sides[1], sides[0])):
        if isinstance(side, Match):
            chosen.append(side)
            continue
        assert isinstance(side, Ambiguous)
        anchors = [other.entry] if isinstance(other, Match) else [m.entry for m in other.matches]  # type: ignore[union-attr]
        linked = [m for m in side.matches if any(_linked(m.entry, anchor) for anchor in anchors)]
        same_category = [m for m in side.matches if any(m.entry.category == a.category for a in anchors)]
        pick = linked if len(linked) == 1 else same_category
        if len(pick) != 1:
            return None
        chosen.append(pick[0])
    return chosen


def _resolve_fuzzily(glossary: Glossary, text: str, query: str) -> Match | Ambiguous | NotFound:
    if len(compact(text)) >= MIN_FUZZY_CHARS:
        leader = clear_leader(glossary, text, FUZZY_CUTOFF, FUZZY_MARGIN)
        if leader is not None:
            return Match(glossary.entry_at(leader[0]), query, "fuzzy", round(leader[1], 1))
    ranked = fuzzy_scores(glossary, text, SUGGESTIONS)
    single = _one_edit_away(glossary, text, query)
    if single is not None:
        return single
    suggestions = tuple(Suggestion(glossary.entry_at(p), round(s, 1)) for p, s in ranked)
    return NotFound(query, suggestions)


def _one_edit_away(glossary: Glossary, text: str, query: str) -> Match | Ambiguous | None:
    """The one name a single typo away (a letter dropped, added, changed, or two swapped).

    Only for queries of five letters or more, and only when no other entry has a name that
    close: `Nuprrl` → Nuprl. Entries that differ only in case or punctuation (`SPOOL`, `spool`)
    count as one name, answered with every reading.
    """
    key = compact(text)
    if len(key) < MIN_FUZZY_CHARS:
        return None
    table = glossary.name_table()
    close = _within_one_edit_of(glossary, key)
    owners = list(dict.fromkeys(table.owners[i] for i in close))
    if not owners:
        return None
    entries = [glossary.entry_at(i) for i in owners]
    if len({compact(e.term) for e in entries}) != 1:
        return None
    name = table.names[close[0]]
    if not a_plausible_typo(text.split(), name.split()):
        return None
    score = round(edit_similarity(key, name.replace(" ", "")), 1)
    matches = tuple(Match(e, query, "one edit", score) for e in entries)
    return matches[0] if len(matches) == 1 else Ambiguous(query, matches)


def _within_one_edit_of(glossary: Glossary, key: str) -> list[int]:
    """Positions of the names one edit from `key` (spaces left out), nearest first, then in table
    order. At scale only the names the word index says might be are checked."""
    candidates = glossary.one_edit_candidates(key) if glossary.name_count() >= SCAN_ALL_NAMES_BELOW else None
    if candidates is None:
        return within_one_edit_positions(key, glossary.compact_names())
    names, ordered = glossary.name_table().names, sorted(candidates)
    return [ordered[i] for i in within_one_edit_positions(key, [names[p].replace(" ", "") for p in ordered])]


def suggest(glossary: Glossary, query: str, limit: int = SUGGESTIONS) -> tuple[Suggestion, ...]:
    """The nearest entries to a query, for "did you mean"."""
    words = strip_filler(strip_question(clean_query(query)).split())
    ranked = fuzzy_scores(glossary, expand_abbreviations(" ".join(words)), limit)
    return tuple(Suggestion(glossary.entry_at(p), round(s, 1)) for p, s in ranked)
