"""Plain-text output for pipes, files and `--color never`: no escape codes, no box drawing.

Stdlib only, so piped output never pays for importing rich.
"""

from __future__ import annotations

from .model import Category, Entry, LoadedFile, NotFound, Problem, SearchHit, Source

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from collections.abc import Iterable

    from .explain import Explanation, UnknownAcronym
    from .glossary import Glossary
    from .quiz import Answer, Question, Result

# C0 and C1 controls; and the invisible characters that reorder or hide text on a terminal ("Trojan
# Source"): bidi embeddings, overrides and isolates, marks, zero-width space, word joiner, BOM.
_CONTROL_CODES = (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200B, 0x200E, 0x200F,
                  *range(0x202A, 0x202F), 0x2060, *range(0x2066, 0x206A), 0xFEFF)  # fmt: skip
# Each as its visible escape, a `str.translate` table: no `re` on the route of a plain `define`.
_VISIBLE = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _CONTROL_CODES}


def safe(text: str) -> str:
    """Control and invisible characters from a glossary or a query become visible `\\xNN` / `\\uNNNN`."""
    return text.translate(_VISIBLE)


def source_label(glossary: Glossary, source_id: str) -> str:
    source = glossary.sources.get(source_id)
    if source is None or source.title == source_id:
        return source_id
    return f"{source_id} ({source.title})"


def calc_hint(entry: Entry) -> str:
    """The command that evaluates a metric, with the example's numbers where there are some."""
    assert entry.compute is not None
    values = dict(entry.example.inputs) if entry.example else {}
    arguments = " ".join(
        f"{item.name}={values[item.name]:g}" if item.name in values else f"{item.name}=N"
        for item in entry.compute.inputs
    )
    name = entry.acronym or entry.term
    quoted = name if name.replace("-", "").isalnum() else f'"{name}"'
    return f"bpoterms calc {quoted} {arguments}".rstrip()


def entry_fields(entry: Entry) -> list[tuple[str, str, str]]:
    """(label, text, style) for every optional field `define` shows, in display order.

    The one list both the plain and the rich renderer draw, so a new field is shown in one edit.
    """
    fields: list[tuple[str, str, str]] = []
    if entry.formula:
        fields.append(("Formula", entry.formula, "green"))
    for variant in entry.variants:
        fields.append((f"Variant, {variant.name}", f"{variant.formula} (used by {variant.used_by})", "green"))
    if entry.direction:
        fields.append(("Better", {"higher": "higher", "lower": "lower", "target": "within a target band"}
                       .get(entry.direction, entry.direction), ""))  # fmt: skip
    if entry.example:
        fields.append(("Example", entry.example.text, ""))
    if entry.compute:
        fields.append(("Calculate", calc_hint(entry), "dim"))
    if entry.region:
        fields.append(("Region", ", ".join(entry.region), ""))
    if entry.aliases:
        fields.append(("Also", "; ".join(entry.aliases), "dim"))
    if entry.see_also:
        fields.append(("See also", ", ".join(entry.see_also), "cyan"))
    if entry.confused_with:
        fields.append(("Not to be confused with", ", ".join(entry.confused_with), "yellow"))
    if entry.notes:
        fields.append(("Notes", entry.notes, "italic"))
    return fields


def entry_text(entry: Entry, glossary: Glossary, *, show_sources: bool = False) -> str:
    """One paragraph per entry: heading line, then indented fields."""
    lines = [f"{safe(entry.title)} [{safe(entry.category)}]", f"  {safe(entry.definition)}"]
    lines += [f"  {label}: {safe(value)}" for label, value, _style in entry_fields(entry)]
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


def readings_heading(query: str, count: int) -> str:
    return f"'{safe(query)}' has {count} meanings:"


def comparison_note(first: Entry, second: Entry) -> str | None:
    """Said under `A vs B` when the glossary records the pair as commonly confused."""
    if second.term in first.confused_with or first.term in second.confused_with:
        return f"{safe(first.title)} and {safe(second.title)} are often confused: see the notes above."
    return None


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


# ---------------------------------------------------------------- explain and quiz


def explain_summary_text(result: Explanation) -> str:
    from . import explain

    """Default plain output: each term once, in order of first appearance, with its count."""
    lines: list[str] = []
    for hits in result.terms:
        entry = hits.entry
        lines.append(f"{safe(entry.title)}  ×{len(hits.occurrences)}  [{safe(entry.category)}]")
        lines.append(f"  {safe(explain.first_sentence(entry.definition))}")
    if result.unknown_acronyms:
        if lines:
            lines.append("")
        lines.append("Not in any loaded glossary: " + ", ".join(_unknown_label(u) for u in result.unknown_acronyms))
    return "\n".join(lines)


def _unknown_label(unknown: UnknownAcronym) -> str:
    count = len(unknown.occurrences)
    return safe(unknown.acronym) + (f" ×{count}" if count > 1 else "")


def explain_annotated_text(result: Explanation) -> str:
    from . import explain

    """The text with `[expansion]` after each hit: `Our AHT [Average Handle Time] rose`."""
    out: list[str] = []
    for piece, _entry, expanded in explain.annotated_segments(result):
        out.append(safe(piece.replace("\r\n", "\n")))
        if expanded:
            out.append(f" [{safe(expanded)}]")
    return "".join(out).rstrip("\n")


def quiz_question_text(question: Question, total: int) -> str:
    from . import quiz

    lines = [f"{question.number}/{total}  {safe(question.prompt)}"]
    lines += [f"  {quiz.LETTERS[i]}) {safe(option)}" for i, option in enumerate(question.options)]
    return "\n".join(lines)


def quiz_feedback_text(result: Answer) -> str:
    expected = safe(result.question.expected)
    if result.skipped:
        return f"  skipped: {expected}"
    if result.correct:
        return f"  right: {expected}"
    return f"  wrong ({safe(result.given)}): {expected}"


def quiz_summary_text(result: Result) -> str:
    asked = len(result.answers)
    lines = [f"Score: {result.correct}/{asked}" + (f" ({round(100 * result.correct / asked)}%)" if asked else "")]
    if result.ended_early:
        lines[0] += f", stopped after {asked} of {len(result.quiz.questions)} questions"
    missed = result.missed()
    if missed:
        lines.append("To review:")
        lines += [f"  {brief_text(e)}" for e in missed]
    return "\n".join(lines)
