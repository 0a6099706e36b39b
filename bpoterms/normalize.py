"""One normalisation for both the index and the query, so the two can never disagree.

Stdlib only: this module runs on every start-up path.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+")
_SPACES = re.compile(r"\s+")

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
        )
    ),
    key=len,
    reverse=True,
)
_QUESTION_SUFFIXES = (("stand", "for"), ("stands", "for"), ("mean",), ("means",))
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
}


def fold(text: str) -> str:
    """Casefold and strip accents, so `Café` and `cafe` meet."""
    if text.isascii():
        return text.lower()  # the common case, without the per-character accent scan
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces; `&` reads as `and`.

    `T & M`, `t&m` and `T and M` all become `t and m`; `first-call resolution`
    becomes `first call resolution`.
    """
    folded = fold(text).replace("&", " and ").replace("_", " ")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", folded)).strip()


def compact(text: str) -> str:
    """The lookup key: the normalised form without spaces (`T & M` → `tandm`)."""
    return normalize(text).replace(" ", "")


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


def inflection_key(text: str) -> str:
    """The lookup key with every word made singular and possessives dropped."""
    words = normalize(text.replace("'s", "").replace("’s", "")).split()
    return "".join(singular_word(word) for word in words)


def strip_question(text: str) -> str:
    """`what is nps?` → `nps`; returns the normalised text when it is no question."""
    words = normalize(text).split()
    for prefix in _QUESTION_PREFIXES:
        if tuple(words[: len(prefix)]) == prefix and len(words) > len(prefix):
            words = words[len(prefix) :]
            break
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    for suffix in _QUESTION_SUFFIXES:
        if tuple(words[-len(suffix) :]) == suffix and len(words) > len(suffix):
            words = words[: -len(suffix)]
            break
    return " ".join(words)


def expand_abbreviations(normalized: str) -> str:
    """`avg handle time` → `average handle time`, for the fuzzy stage only."""
    return " ".join(ABBREVIATIONS.get(word, word) for word in normalized.split())
