"""One normalisation for both the index and the query, so the two can never disagree.

Stdlib only: this module runs on every start-up path.
"""

from __future__ import annotations

from functools import lru_cache

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    import re

# Each ASCII character but a letter or a digit, as a space (a `bytes.translate` table; the upper
# half is never used). Word boundaries are found without `re`: importing it costs about a third of
# Python's own start-up, and an exact lookup needs nothing else from it (the few patterns below
# compile on first use). `str.translate` would do the same at twice the cost: it looks each
# character up in a dict, for every text anew.
_ASCII_NON_ALNUM_AS_SPACE = bytes(code if chr(code).isalnum() else 32 for code in range(128)) + bytes(range(128, 256))
# The same, with capitals made small: the whole of `normalize` for most names, in one pass.
_ASCII_WORD_CHARS_LOWER = _ASCII_NON_ALNUM_AS_SPACE.translate(
    bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
)

# Question forms people type into a terminal ("what is nps", "what does SLA mean"),
# as word sequences of the normalised query; longest first.
_QUESTION_PREFIXES = sorted(
    (
        tuple(phrase.split())
        for phrase in (
            "what is",
            "what are",
            "what s",
            "whats",
            "what does",
            "what do",
            "what",
            "what is meant by",
            "who is",
            "who are",
            "define",
            "definition of",
            "meaning of",
            "explain",
            "tell me about",
            "what is the meaning of",
            "wht is",
            "wat is",
            "ano ang",  # Tagalog: `ano ang undertime`
            "ano ba ang",
            "ano yung",
            "ano ba yung",
        )
    ),
    key=len,
    reverse=True,
)
_QUESTION_SUFFIXES = (
    ("stand", "for"), ("stands", "for"), ("mean",), ("means",),
    ("kya", "hota", "hai"), ("kya", "hai"), ("ka", "matlab"),  # Hinglish: `aht kya hai`
)  # fmt: skip
_ARTICLES = {"a", "an", "the"}

# Abbreviations common in chat and notes; expanded only for fuzzy matching.
ABBREVIATIONS = {
    "avg": "average",
    "mgmt": "management",
    "mgr": "manager",
    "svc": "service",
    "svcs": "services",
    "cust": "customer",
    "tech": "technical",
    "num": "number",
    "pct": "percent",
    "amt": "amount",
    "info": "information",
    "prod": "production",
    "sched": "schedule",
    "sup": "supervisor",
    "ot": "overtime",
    "lvl": "level",
    "occ": "occupancy",
    "util": "utilization",
    "xfer": "transfer",
    "xfers": "transfers",
    "sked": "schedule",
    "sat": "satisfaction",
    "ans": "answer",
    "res": "resolution",
}


def fold(text: str) -> str:
    """Casefold and strip accents, so `Café` and `cafe` meet."""
    if text.isascii():
        return text.lower()  # the common case, without the per-character accent scan (or its module)
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _symbol_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Symbols that carry meaning in a name, spelled as words so they survive the word split:
    `C++` is not `C`, `C#` is not `C`, `.NET` is not `NET`. Compiled on first use: a process
    start-up pays for every pattern compiled at import, and few queries hold these symbols."""
    import re

    return re.compile(r"\+"), re.compile(r"(?<=\w)#"), re.compile(r"(?<![\w.])\.(?=[^\W\d_])")


# How many names' forms a process remembers: all of the built-in glossary's with room to spare, for
# a process that compiles again; bounded, so a 200,000-entry build does not hold them all.
NAMES_REMEMBERED = 8192


@lru_cache(maxsize=NAMES_REMEMBERED)  # a process's lookups and layers normalise the same names again
def normalize(text: str) -> str:
    """Lower-case words separated by single spaces; `&` reads as `and`.

    `T & M`, `t&m` and `T and M` all become `t and m`; `first-call resolution`
    becomes `first call resolution`; `C++` becomes `c plus plus`.
    """
    if text.isascii() and "+" not in text and "#" not in text and "." not in text:
        # Most names: `fold` is lower-casing, and lower-casing and the word split are one byte table.
        words = text.encode().replace(b"&", b" and ").translate(_ASCII_WORD_CHARS_LOWER).split()
        return b" ".join(words).decode()
    folded = fold(text).replace("&", " and ").replace("_", " ")
    if "+" in folded or "#" in folded or "." in folded:
        plus, sharp, leading_dot = _symbol_patterns()
        folded = leading_dot.sub(" dot ", sharp.sub(" sharp ", plus.sub(" plus ", folded)))
    return _words(folded)


def _words(text: str) -> str:
    r"""The runs of letters and digits, one space apart: what `re.sub(r"[^\w]+", " ", text).strip()`
    gives once `_` is a space (`\w` is exactly `str.isalnum` and `_`)."""
    if text.isascii():
        return b" ".join(text.encode().translate(_ASCII_NON_ALNUM_AS_SPACE).split()).decode()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def compact(text: str) -> str:
    """The lookup key: the normalised form without spaces (`T & M` → `tandm`).

    A name of punctuation only (`!!!`, `???`) keeps its symbols, folded: an empty key would make
    every such name, and every such query, one and the same.
    """
    return normalize(text).replace(" ", "") or "".join(fold(text).split())


def singular_word(word: str) -> str:
    """A crude English singular, applied identically to index and query.

    Over-stemming (`status` → `statu`) is harmless because both sides get it.
    """
    if len(word) <= 2:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


# British spellings, applied to index and query alike (so over-reach costs nothing): whole words,
# then endings.
_BRITISH_WORDS = {
    "programme": "program", "programmes": "programs", "judgement": "judgment", "enquiry": "inquiry",
    "enquiries": "inquiries", "cheque": "check", "catalogue": "catalog", "dialogue": "dialog",
    "licence": "license", "defence": "defense", "offence": "offense", "practise": "practice",
    "analyse": "analyze", "analysed": "analyzed", "analysing": "analyzing", "artefact": "artifact",
    "aeroplane": "airplane", "fulfil": "fulfill", "fulfilment": "fulfillment", "enrol": "enroll",
    "enrolment": "enrollment", "instal": "install", "instalment": "installment", "skilful": "skillful",
    "storey": "story", "tonne": "ton", "grey": "gray", "mum": "mom", "queueing": "queuing",
}  # fmt: skip
_BRITISH_ENDINGS = (
    ("isations", "izations"), ("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes"),
    ("ise", "ize"), ("yse", "yze"), ("tre", "ter"), ("tres", "ters"), ("elled", "eled"), ("elling", "eling"),
    ("eller", "eler"), ("ellers", "elers"), ("alled", "aled"), ("alling", "aling"), ("aller", "aler"),
    ("allers", "alers"), ("ogue", "og"), ("ogues", "ogs"),
)  # fmt: skip


@lru_cache(maxsize=1)
def _our_pattern() -> re.Pattern[str]:
    """labour, behaviour, colour; not hour, four. Compiled on first use (see `_symbol_patterns`)."""
    import re

    return re.compile(r"(?<=[a-z]{3})our(s|ed|ing|ite|ites|able)?$")


@lru_cache(maxsize=65536)
def american(word: str) -> str:
    """A British spelling in its American form (`utilisation` → `utilization`, `centre` → `center`)."""
    mapped = _BRITISH_WORDS.get(word)
    if mapped is not None:
        return mapped
    for ending, replacement in _BRITISH_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)] + replacement
    if "our" in word:
        return _our_pattern().sub(lambda m: "or" + (m.group(1) or ""), word)
    return word


_SUFFIXES = (
    "izations", "ization", "ations", "ation", "ating", "ments", "ment", "ings", "ing", "ated", "ates",
    "ate", "ed", "es", "s", "e",
)  # fmt: skip


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem for word forms (`escalate`, `escalation` → `escal`; `forecasting` → `forecast`).

    Index and query get the same stem, so over-stemming only ever merges keys; where two
    entries then share a key the resolver asks "did you mean" instead of choosing.
    """
    word = american(word)
    if len(word) <= 4 or not word.isalpha():
        return word  # `lass`, `vale`, `ramp`: too short to tell a suffix from the word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65536)
def word_form(word: str) -> str:
    """One word of an inflection key: its singular, stemmed (`escalations` → `escal`)."""
    return stem(singular_word(word))


@lru_cache(maxsize=NAMES_REMEMBERED)
def inflection_key(text: str) -> str:
    """The lookup key with every word reduced to its stem and possessives dropped.

    Catches plurals, word forms and British spellings: `abandoned calls`, `Utilisation`. A name
    written in capitals is an acronym as written (`CMIS` is not the plural of `CMI`), and so is
    a query in capitals (`CWS` is not `CW`s); `FTEs`, with its small `s`, is a plural.
    """
    return inflection_key_of(text, None)


def inflection_key_of(text: str, normalized: str | None) -> str:
    """`inflection_key` of a name, from its normalised form when given (a compile has it at hand)."""
    bare = text.replace("'s", "").replace("’s", "")
    if bare.isupper():
        return compact(bare)
    if normalized is None or bare != text:
        normalized = normalize(bare)
    return "".join(map(word_form, normalized.split()))


@lru_cache(maxsize=NAMES_REMEMBERED)
def spelling_key(text: str) -> str:
    """The compact key with British spellings made American, words otherwise kept whole."""
    return spelling_key_of(normalize(text))


def spelling_key_of(normalized: str) -> str:
    """`spelling_key` of a name from its normalised form, for a compile that has that at hand."""
    return "".join(map(american, normalized.split()))


# Words people add around a term that do not change which entry they mean, as word sequences.
# `metric` nouns (score, rate, …) are only dropped when what remains names a metric or an acronym.
_LEADING_FILLER = sorted(
    (
        tuple(phrase.split())
        for phrase in (
            "how to calculate", "how do you calculate", "how do i calculate", "how is", "how are",
            "how to work out", "how do you work out", "how do i work out", "work out",
            "how to compute", "calculate", "calculation of", "formula for", "formula of", "the formula for",
            "full form of", "the full form of", "abbreviation of", "acronym", "meaning", "definition",
            "what is the full form of", "what is the formula for", "what is the definition of",
            "how do you measure", "how to measure", "how is measured", "how to improve", "how to reduce",
            "how to increase", "how to lower", "ways to improve", "tips to improve", "what is a good",
            "what is good", "whats a good", "what s a good", "a good", "why is my", "why is our", "go", "going",
            "gone", "example of", "examples of", "types of", "good", "ideal", "typical", "acceptable",
            "what counts as", "what qualifies as", "is this", "my", "our",
        )
    ),
    key=len,
    reverse=True,
)  # fmt: skip
_TRAILING_FILLER = sorted(
    (
        tuple(phrase.split())
        for phrase in (
            "meaning", "full form", "fullform", "formula", "definition", "abbreviation", "acronym",
            "calculation", "calculated", "calculate", "explained", "example", "examples",
            "in call center", "in call centre", "in contact center", "in contact centre", "in bpo",
            "in a call center", "in a call centre", "in a contact center", "in the call center", "call center",
            "in customer service", "in wfm", "in qa", "in cx", "in telecom", "in outsourcing", "in business",
            "bpo", "term", "stands for", "stand for", "mean", "means", "meant", "is", "definition and formula",
            "low", "high", "too low", "too high", "so low", "so high", "dropping", "rising", "mean in bpo",
            "meaning in bpo", "in bpo industry", "in the bpo industry", "in call centers", "in call centres",
            "in seconds", "in minutes", "in hours", "in secs", "in mins", "in percent",
            "in a contract", "in the contract", "in contract", "in contracts", "in an sla", "in the sla", "in sla",
            "in an sow", "in the sow", "in outsourcing contracts", "in qa", "in quality",
            "failed", "passed", "pending", "rejected", "cleared",
        )
    ),
    key=len,
    reverse=True,
)  # fmt: skip
METRIC_NOUNS = frozenset(("score", "rate", "ratio", "percentage", "percent", "time", "metric", "kpi", "level"))
# Nouns people put after an acronym to say what about it they mean (`PCI DSS requirements`, `MSA
# contract`): dropped only when what remains is an acronym. Role words (team, analyst) are not here:
# `RTA team` may name a role rather than the metric.
CONTEXT_NOUNS = frozenset((
    "survey", "surveys", "scrub", "scrubbing", "requirement", "requirements", "training", "compliance",
    "menu", "platform", "platforms", "contract", "contracts", "document", "documents", "announcement",
    "call", "calls", "strategy", "pricing", "setup", "system", "systems", "software", "tool", "tools",
    "report", "reports", "reporting", "policy", "policies", "rules", "rule", "law", "regulation", "standard",
    "certification", "audit", "process", "model", "solution", "solutions", "vendor", "vendors", "provider",
    "providers", "company", "companies", "industry", "services", "service", "program", "programme",
    "template", "checklist", "target", "targets", "goal", "benchmark", "benchmarks", "data", "number",
    "clause", "clauses", "response", "responses", "period", "plan", "plans", "sector", "form", "letter",
    "request", "requests", "pricing", "fee", "fees", "agreement", "india", "philippines", "uk", "us",
    "setup", "forecast", "forecasts", "calculator", "example", "examples", "definition", "meaning",
    "breach", "breaches", "breached",
))  # fmt: skip
# Nouns that add nothing to a full name either side: `Fixed Price Model` is asked for as `fixed price`,
# `Build-Operate-Transfer` as `build-operate-transfer model`.
REDUNDANT_NOUNS = frozenset(("model", "process", "plan", "program", "programme", "policy", "list"))


def strip_filler(words: list[str]) -> list[str]:
    """`how to calculate aht`, `AHT full form`, `aht in call center` → `aht` (metric nouns stay)."""
    words = list(words)
    changed = True
    while changed and len(words) > 1:
        changed = False
        for phrase in _LEADING_FILLER:
            if tuple(words[: len(phrase)]) == phrase and len(words) > len(phrase):
                words = words[len(phrase) :]
                changed = True
                break
        for phrase in _TRAILING_FILLER:
            if tuple(words[-len(phrase) :]) == phrase and len(words) > len(phrase):
                words = words[: -len(phrase)]
                changed = True
                break
        if len(words) > 1 and words[0] in _ARTICLES:
            words = words[1:]
            changed = True
    return words


def strip_question(text: str) -> str:
    """`what is nps?` → `nps`; returns the normalised text when it is no question."""
    words = normalize(text).split()
    for prefix in _QUESTION_PREFIXES:
        if tuple(words[: len(prefix)]) == prefix and len(words) > len(prefix):
            words = words[len(prefix) :]
            break
    typed = text.split()
    if len(words) > 1 and words[0] in _ARTICLES and typed and fold(typed[0]) == words[0]:
        words = words[1:]  # `the SLA`, but not `A-aw`
    for suffix in _QUESTION_SUFFIXES:
        if tuple(words[-len(suffix) :]) == suffix and len(words) > len(suffix):
            words = words[: -len(suffix)]
            break
    return " ".join(words)


def expand_abbreviations(normalized: str) -> str:
    """`avg handle time` → `average handle time`, for the fuzzy stage only; an `n` between two
    words is `and` (`full n final`)."""
    words = normalized.split()
    return " ".join(
        "and" if word == "n" and 0 < i < len(words) - 1 else ABBREVIATIONS.get(word, word)
        for i, word in enumerate(words)
    )
