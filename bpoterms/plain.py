"""Plain-text output for pipes, files and `--color never`: no escape codes, no box drawing.

Stdlib only, so piped output never pays for importing rich.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .model import Category, Entry, LoadedFile, NotFound, Problem, SearchHit, Source

if TYPE_CHECKING:
    from .glossary import Glossary

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """Control characters from a glossary or a query become visible `\\xNN`, never live escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def source_label(glossary: Glossary, source_id: str) -> str:
    source = glossary.sources.get(source_id)
    if source is None or source.title == source_id:
        return source_id
    return f"{source_id} ({source.title})"


def entry_text(entry: Entry, glossary: Glossary, *, show_sources: bool = False) -> str:
    """One paragraph per entry: heading line, then indented fields."""
    lines = [f"{safe(entry.title)} [{safe(entry.category)}]", f"  {safe(entry.definition)}"]
    if entry.formula:
        lines.append(f"  Formula: {safe(entry.formula)}")
    if entry.aliases:
        lines.append(f"  Also: {safe('; '.join(entry.aliases))}")
    if entry.see_also:
        lines.append(f"  See also: {safe(', '.join(entry.see_also))}")
    if entry.confused_with:
        lines.append(f"  Not to be confused with: {safe(', '.join(entry.confused_with))}")
    if entry.notes:
        lines.append(f"  Notes: {safe(entry.notes)}")
    if show_sources:
        lines.append("  Sources:")
        for quote in entry.sources:
            lines.append(f"    {safe(source_label(glossary, quote.source))}:")
            lines.append(f"      {safe(quote.text)}")
    else:
        names = ", ".join(dict.fromkeys(q.source for q in entry.sources))
        lines.append(f"  Sources: {safe(names)}")
    if entry.origin and entry.origin != "built-in":
        lines.append(f"  From: {safe(entry.origin)}")
    return "\n".join(lines)


def brief_text(entry: Entry) -> str:
    return f"{safe(entry.title)} — {safe(entry.definition)}"


def not_found_text(miss: NotFound) -> str:
    lines = [f"bpoterms: no entry for '{safe(miss.query)}'"]
    if miss.suggestions:
        lines.append("did you mean:")
        lines += [f"  {safe(s.entry.title)}  ({s.score:g})" for s in miss.suggestions]
    return "\n".join(lines)


def hits_text(hits: Iterable[SearchHit]) -> str:
    return "\n".join(
        f"{hit.score:5.1f}  {hit.matched_field:<10}  {safe(hit.entry.title)} — {safe(hit.entry.definition)}"
        for hit in hits
    )


def list_text(entries: Iterable[Entry]) -> str:
    return "\n".join(f"{safe(e.term)}\t{safe(e.acronym or '')}\t{safe(e.category)}" for e in entries)


def sources_text(rows: Iterable[tuple[Source, int]], files: Iterable[LoadedFile]) -> str:
    lines = [
        f"{safe(s.id)}\t{count}\t{safe(s.title)}" + (f" — {safe(s.publisher)}" if s.publisher else "")
        for s, count in rows
    ]
    lines.append("")
    lines.append("Loaded files (later overrides earlier):")
    lines += [f"  {f.precedence}\t{f.entries}\t{safe(f.path)}" for f in files]
    return "\n".join(lines)


def categories_text(rows: Iterable[tuple[Category, int]]) -> str:
    return "\n".join(f"{safe(c.id)}\t{count}\t{safe(c.description)}" for c, count in rows)


def problems_text(problems: Iterable[Problem]) -> str:
    return "\n".join(f"{safe(p.file)}:{p.line}:{p.column}: {p.severity}: {safe(p.message)}" for p in problems)
