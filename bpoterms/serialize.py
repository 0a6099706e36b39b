"""Model objects → JSON-ready dicts. The JSON contract (docs/json.md) lives here and only here."""

from __future__ import annotations

from collections.abc import Iterable

try:  # json's own string encoder, in C, without importing json's decoder and scanner
    from _json import encode_basestring
except ImportError:  # pragma: no cover - CPython builds `_json`; other interpreters may not
    from json.encoder import encode_basestring

from .model import (
    Ambiguous,
    Category,
    Comparison,
    Compute,
    Entry,
    Example,
    LoadedFile,
    Match,
    NotFound,
    Problem,
    SearchHit,
    Source,
)

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from typing import Any

    from .explain import Explanation
    from .glossary import Glossary
    from .lookup import Lookup
    from .quiz import Result


def entry_dict(entry: Entry, glossary: Glossary) -> dict[str, Any]:
    """Every field of an entry, with each quote's source title spelled out."""
    return {
        "term": entry.term,
        "acronym": entry.acronym,
        "aliases": list(entry.aliases),
        "category": entry.category,
        "definition": entry.definition,
        "formula": entry.formula,
        "see_also": list(entry.see_also),
        "confused_with": list(entry.confused_with),
        "notes": entry.notes,
        "sources": [
            {"source": quote.source, "title": _title(glossary, quote.source), "text": quote.text}
            for quote in entry.sources
        ],
        "origin": entry.origin,
        "region": list(entry.region),
        "direction": entry.direction,
        "compute": compute_dict(entry.compute) if entry.compute else None,
        "example": example_dict(entry.example) if entry.example else None,
        "variants": [variant._asdict() for variant in entry.variants],
    }


def compute_dict(compute: Compute) -> dict[str, Any]:
    return {
        "expression": compute.expression,
        "inputs": [item._asdict() for item in compute.inputs],
        "unit": compute.unit,
    }


def example_dict(example: Example) -> dict[str, Any]:
    return {"text": example.text, "inputs": dict(example.inputs), "result": example.result}


def _title(glossary: Glossary, source_id: str) -> str:
    source = glossary.sources.get(source_id)
    return source.title if source else source_id


def match_dict(match: Match, glossary: Glossary) -> dict[str, Any]:
    data = entry_dict(match.entry, glossary)
    data["match"] = match_info(match)
    return data


def match_info(match: Match) -> dict[str, Any]:
    """How a query reached its entry: the last member of an entry's document (`match_dict`)."""
    return {"query": match.query, "kind": match.kind, "score": match.score}


def match_member(match: Match) -> str:
    """The end of an entry's document: its `"match"` member (`match_info`) and the closing brace, as
    `dumps(match_dict(...))` lays them out. The answers file stores this per name (an entry's
    documents differ between its names only here) and makes some 7,000 of them: written out
    directly, without a dict and `dumps` for each (tests/test_serialize.py compares the two)."""
    return (
        '\n  "match": {\n    "query": ' + encode_basestring(match.query)
        + ',\n    "kind": ' + encode_basestring(match.kind)
        + ',\n    "score": ' + _encode_scalar(match.score) + "\n  }\n}\n"
    )  # fmt: skip


def not_found_dict(miss: NotFound) -> dict[str, Any]:
    return {
        "error": "not_found",
        "query": miss.query,
        "suggestions": [{"term": s.entry.term, "acronym": s.entry.acronym, "score": s.score} for s in miss.suggestions],
    }


def lookup_dict(result: Lookup, glossary: Glossary) -> dict[str, Any] | list[dict[str, Any]]:
    """An entry; `{"ambiguous": true, ...}` for a shared name; a list of two for `A vs B`; or a miss."""
    if isinstance(result, Match):
        return match_dict(result, glossary)
    if isinstance(result, Ambiguous):
        return {
            "ambiguous": True,
            "query": result.query,
            "entries": [match_dict(m, glossary) for m in result.matches],
        }
    if isinstance(result, Comparison):
        return [match_dict(m, glossary) for m in result.matches]
    return not_found_dict(result)


def hit_dict(hit: SearchHit) -> dict[str, Any]:
    entry = hit.entry
    return {
        "term": entry.term,
        "acronym": entry.acronym,
        "category": entry.category,
        "score": hit.score,
        "matched_field": hit.matched_field,
        "definition": entry.definition,
    }


def source_dict(source: Source, count: int) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "file": source.file,
        "url": source.url,
        "entries": count,
    }


def file_dict(loaded: LoadedFile) -> dict[str, Any]:
    return {"path": loaded.path, "entries": loaded.entries, "precedence": loaded.precedence, "builtin": loaded.builtin}


def category_dict(category: Category, count: int) -> dict[str, Any]:
    return {"id": category.id, "description": category.description, "entries": count}


def problem_dict(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "severity": problem.severity,
        "message": problem.message,
    }


_FLAT_VALUES = frozenset((str, int, float, bool, type(None)))


def _encode_scalar(value: str | float | bool | None) -> str:
    """A scalar as `json.dumps(value, ensure_ascii=False)` writes it (floats as json's `floatstr`)."""
    if type(value) is str:
        return encode_basestring(value)
    if type(value) is float:
        if value != value:
            return "NaN"
        return "Infinity" if value == _INFINITY else "-Infinity" if value == -_INFINITY else float.__repr__(value)
    if type(value) is bool:
        return "true" if value else "false"
    return "null" if value is None else int.__repr__(value)


_INFINITY = float("inf")


def dumps(data: Any) -> str:
    """One JSON document, as `json.dumps(data, ensure_ascii=False, indent=2)` writes it: non-ASCII
    kept readable, control characters escaped.

    Documents made of dicts with string keys, lists and scalars (everything this module builds) are
    laid out here from scalars json's C encoder writes: json's indented layout is pure Python, and
    importing json costs more than a lookup. Anything else goes to json itself;
    tests/test_serialize.py compares the two on generated documents.
    """
    try:
        return _layout(data, "\n")
    except _NotPlain:
        import json

        return json.dumps(data, ensure_ascii=False, indent=2)


class _NotPlain(Exception):
    """A value `_layout` leaves to json (a tuple, a subclass, a non-string key)."""


def _layout(value: Any, newline: str) -> str:
    kind = type(value)
    if kind in _FLAT_VALUES:
        return _encode_scalar(value)
    inner = newline + "  "
    if kind is dict:
        if not value:
            return "{}"
        members = []
        for key, member in value.items():
            if type(key) is not str:
                raise _NotPlain
            # A string, most of an entry's members, is encoded here rather than through a call.
            text = encode_basestring(member) if type(member) is str else _layout(member, inner)
            members.append(f"{encode_basestring(key)}: {text}")
        return "{" + inner + ("," + inner).join(members) + newline + "}"
    if kind is list:
        if not value:
            return "[]"
        items = [encode_basestring(item) if type(item) is str else _layout(item, inner) for item in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    raise _NotPlain


def entries_list(entries: Iterable[Entry], glossary: Glossary) -> list[dict[str, Any]]:
    return [entry_dict(entry, glossary) for entry in entries]


def explanation_dict(result: Explanation) -> dict[str, Any]:
    """The `explain --json` document; offsets are Python string indices into the decoded input."""
    return {
        "terms": [
            {
                "term": hits.entry.term,
                "acronym": hits.entry.acronym,
                "category": hits.entry.category,
                "definition": hits.entry.definition,
                "occurrences": [{"start": o.start, "end": o.end, "text": o.text} for o in hits.occurrences],
            }
            for hits in result.terms
        ],
        "unknown_acronyms": [u.acronym for u in result.unknown_acronyms],
    }


def quiz_result_dict(result: Result) -> dict[str, Any]:
    """The `quiz --json` document, for training records."""
    quiz = result.quiz
    return {
        "seed": quiz.seed,
        "mode": quiz.mode,
        "category": quiz.category,
        "planned": len(quiz.questions),
        "asked": len(result.answers),
        "correct": result.correct,
        "skipped": sum(a.skipped for a in result.answers),
        "ended_early": result.ended_early,
        "questions": [
            {
                "number": a.question.number,
                "prompt": a.question.prompt,
                "options": list(a.question.options) or None,
                "term": a.question.entry.term,
                "acronym": a.question.entry.acronym,
                "category": a.question.entry.category,
                "expected": a.question.expected,
                "answer": None if a.skipped else a.given,
                "skipped": a.skipped,
                "correct": a.correct,
            }
            for a in result.answers
        ],
        "missed": [{"term": e.term, "acronym": e.acronym, "definition": e.definition} for e in result.missed()],
    }


def cache_dict(listing: Any, format_version: int) -> dict[str, Any]:
    """The `cache info --json` document."""
    return {
        "folder": str(listing.folder) if listing.folder else None,
        "files": [{"path": str(p), "bytes": size} for p, size in listing.files],
        "unfinished": [{"path": str(p), "bytes": size} for p, size in listing.unfinished],
        "format": format_version,
    }
