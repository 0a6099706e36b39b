"""Rich renderables for a terminal: the core's only rich user (the front ends draw what it builds).

Every piece of glossary or query text goes through `Text` (never markup strings), so
`[bold red]` in a definition is shown as typed, and control characters are made visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from .model import Category, Entry, LoadedFile, NotFound, Problem, SearchHit, Source
from .plain import entry_fields, safe, source_label

if TYPE_CHECKING:
    from rich.table import Table

    from .explain import Explanation
    from .glossary import Glossary
    from .quiz import Answer, Question, Result


def _t(text: str, style: str = "") -> Text:
    return Text(safe(text), style=style)


def _field(label: str, value: str, style: str = "") -> Text:
    line = Text()
    line.append(f"{label}: ", style="bold")
    line.append(safe(value), style=style)
    return line


def entry_panel(entry: Entry, glossary: Glossary, *, show_sources: bool = False) -> Panel:
    parts: list[RenderableType] = [_t(entry.definition)]
    parts += [_field(label, value, style) for label, value, style in entry_fields(entry)]
    if show_sources:
        for quote in entry.sources:
            parts.append(Text(""))
            parts.append(_t(source_label(glossary, quote.source), "bold magenta"))
            parts.append(_t(quote.text))
    else:
        names = ", ".join(dict.fromkeys(q.source for q in entry.sources))
        parts.append(_field("Sources", names, "dim"))
    if entry.origin and entry.origin != "built-in":
        parts.append(_field("From", entry.origin, "dim"))
    title = _t(entry.title, "bold")
    return Panel(
        Group(*parts),
        title=title,
        title_align="left",
        subtitle=_t(entry.category, "dim"),
        subtitle_align="right",
        box=box.ROUNDED,
        expand=False,
        padding=(0, 1),
    )


def brief_line(entry: Entry) -> Text:
    line = _t(entry.title, "bold")
    line.append(" — ")
    line.append(safe(entry.definition))
    return line


def heading(text: str) -> Text:
    return Text(safe(text), style="bold")


def not_found(miss: NotFound) -> Text:
    text = Text("no entry for ", style="red")
    text.append(repr(safe(miss.query)), style="bold red")
    if miss.suggestions:
        text.append("\ndid you mean:")
        for s in miss.suggestions:
            text.append("\n  ")
            text.append(safe(s.entry.title), style="bold")
            text.append(f"  ({s.score:g})", style="dim")
    return text


def _table(title: str | None = None) -> Table:
    """A table as every listing draws it; rich.table is imported here, as a `define` panel needs none."""
    from rich.table import Table

    return Table(title=title, box=box.SIMPLE_HEAD, show_edge=False)


def hits_table(hits: Iterable[SearchHit]) -> Table:
    table = _table()
    table.add_column("score", justify="right", style="dim")
    table.add_column("matched", style="dim")
    table.add_column("term", style="bold", overflow="fold")
    table.add_column("definition", overflow="fold", ratio=1)
    for hit in hits:
        table.add_row(f"{hit.score:.1f}", hit.matched_field, _t(hit.entry.title), _t(hit.entry.definition))
    return table


def list_table(entries: Iterable[Entry]) -> Table:
    table = _table()
    table.add_column("term", style="bold", overflow="fold")
    table.add_column("acronym")
    table.add_column("category", style="dim")
    for entry in entries:
        table.add_row(_t(entry.term), _t(entry.acronym or ""), _t(entry.category))
    return table


def sources_tables(rows: Iterable[tuple[Source, int]], files: Iterable[LoadedFile]) -> Group:
    sources = _table(title="Sources")
    sources.add_column("id", style="bold")
    sources.add_column("entries", justify="right")
    sources.add_column("title", overflow="fold")
    sources.add_column("publisher", style="dim")
    for source, count in rows:
        sources.add_row(_t(source.id), str(count), _t(source.title), _t(source.publisher or ""))
    loaded = _table(title="Loaded files (later overrides earlier)")
    loaded.add_column("precedence", justify="right")
    loaded.add_column("entries", justify="right")
    loaded.add_column("file", overflow="fold")
    for f in files:
        loaded.add_row(str(f.precedence), str(f.entries), _t(f.path))
    return Group(sources, loaded)


def categories_table(rows: Iterable[tuple[Category, int]]) -> Table:
    table = _table()
    table.add_column("category", style="bold")
    table.add_column("entries", justify="right")
    table.add_column("description", overflow="fold")
    for category, count in rows:
        table.add_row(_t(category.id), str(count), _t(category.description))
    return table


def problems_text(problems: Iterable[Problem]) -> Text:
    text = Text()
    for i, p in enumerate(problems):
        if i:
            text.append("\n")
        text.append(f"{safe(p.file)}:{p.line}:{p.column}: ", style="bold")
        text.append(f"{p.severity}: ", style="red" if p.severity == "error" else "yellow")
        text.append(safe(p.message))
    return text


# ---------------------------------------------------------------- explain and quiz


def explain_summary(result: Explanation) -> Text:
    from .explain import first_sentence

    text = Text()
    for hits in result.terms:
        entry = hits.entry
        text.append(safe(entry.title), style="bold cyan")
        text.append(f"  ×{len(hits.occurrences)}", style="bold")
        text.append(f"  {safe(entry.category)}\n", style="dim")
        text.append(f"  {safe(first_sentence(entry.definition))}\n")
    if result.unknown_acronyms:
        text.append("\nNot in any loaded glossary: ", style="yellow")
        text.append(", ".join(safe(u.acronym) for u in result.unknown_acronyms))
    text.rstrip()
    return text


def explain_annotated(result: Explanation) -> Text:
    from .explain import annotated_segments

    text = Text()
    for piece, entry, expanded in annotated_segments(result):
        text.append(safe(piece.replace("\r\n", "\n")), style="bold cyan underline" if entry else "")
        if expanded:
            text.append(f" [{safe(expanded)}]", style="dim")
    text.rstrip()
    return text


def quiz_question(question: Question, total: int) -> Text:
    from .quiz import LETTERS

    text = Text()
    text.append(f"{question.number}/{total}  ", style="dim")
    text.append(safe(question.prompt), style="bold")
    for i, option in enumerate(question.options):
        text.append(f"\n  {LETTERS[i]}) ", style="cyan")
        text.append(safe(option))
    return text


def quiz_feedback(graded: Answer) -> Text:

    if graded.skipped:
        text = Text("  skipped: ", style="yellow")
    elif graded.correct:
        text = Text("  right: ", style="green")
    else:
        text = Text(f"  wrong ({safe(graded.given)}): ", style="red")
    text.append(safe(graded.question.expected), style="bold")
    return text


def quiz_summary(outcome: Result) -> Text:
    from .plain import quiz_summary_text

    lines = quiz_summary_text(outcome).split("\n")
    text = Text("\n" + lines[0], style="bold")
    for line in lines[1:]:
        text.append("\n" + line, style="" if line.startswith("  ") else "bold")
    return text
