"""`bpoterms validate`: every problem in every file, and the cross-file checks loading skips
(see_also and confused_with that name no entry, unknown categories, plain-word aliases)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .errors import GlossaryError
from .layers import FileContent, _did_you_mean, _Finding, _problems, merge_layers, read_file
from .model import UNCATEGORIZED, Entry, LoadedFile, Problem
from .normalize import fold
from .paths import BUILTIN_LABEL, GlossarySpec, labelled_files


def validate(spec: GlossarySpec, builtin: Callable[[str], tuple[FileContent, str]] | None = None) -> list[Problem]:
    """Every problem in every file of the spec; a broken file never hides the others.

    `builtin`, when given, supplies the built-in file's layer and text (`builtin_layer.checked`) when
    the file has no error; one with an error is checked here in full, every problem reported.
    """
    files = labelled_files(spec)
    problems: list[Problem] = []
    good: list[tuple[FileContent, LoadedFile]] = []
    texts: dict[str, str] = {}
    for precedence, (path, label) in enumerate(files):
        try:
            content, text = _checked(path, label, builtin)
        except GlossaryError as exc:
            problems.append(Problem(exc.file, exc.line or 1, exc.column or 1, "error", exc.reason))
            continue
        problems += _problems(content, text)
        texts[label] = text
        good.append((content, LoadedFile(label, len(content.entries), precedence, label == BUILTIN_LABEL)))
    problems += _cross_reference_problems(good, texts)
    order = {label: i for i, (_path, label) in enumerate(files)}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.line, p.column))


def _checked(
    path: str, label: str, builtin: Callable[[str], tuple[FileContent, str]] | None
) -> tuple[FileContent, str]:
    if builtin is not None and label == BUILTIN_LABEL:
        try:
            return builtin(path)
        except GlossaryError:
            pass  # an error in the built-in file: read_file below finds it and every other problem
    return read_file(path, label)


def _cross_reference_problems(good: list[tuple[FileContent, LoadedFile]], texts: dict[str, str]) -> list[Problem]:
    """see_also / confused_with that resolve nowhere, and unknown categories (warnings)."""
    merged = merge_layers(good)
    known_categories = {c for content, _ in good for c in content.categories}
    heads = _head_words(merged.entries)
    problems: list[Problem] = []
    for content, _ in good:
        findings: list[_Finding] = []
        for (entry, _merge), where in zip(content.entries, content.where, strict=True):
            for j, alias in enumerate(entry.aliases):
                others = _generic_alias_owners(alias, entry, heads)
                if others:
                    findings.append(
                        _Finding(
                            (*where, "aliases", j),
                            f"alias '{alias}' is a plain word that also heads '{others[0]}'"
                            f"{f' and {len(others) - 1} more' if len(others) > 1 else ''}: "
                            "`define` would answer it with this entry only",
                            "warning",
                        )
                    )
            for key in ("see_also", "confused_with"):
                for j, name in enumerate(getattr(entry, key)):
                    if merged.get(name) is None:
                        findings.append(_Finding((*where, key, j), f"{key} '{name}' matches no entry", "warning"))
            if known_categories and entry.category != UNCATEGORIZED and entry.category not in known_categories:
                findings.append(
                    _Finding(
                        (*where, "category"),
                        f"unknown category '{entry.category}'{_did_you_mean(entry.category, sorted(known_categories))}",
                        "warning",
                    )
                )
        if findings:
            problems += _problems(FileContent(content.name, findings=findings), texts[content.name])
    return problems


def _head_words(entries: Sequence[Entry]) -> dict[str, list[Entry]]:
    """The first and last word (stemmed) of every term of two words or more → those entries."""
    from .normalize import stem

    heads: dict[str, list[Entry]] = {}
    for entry in entries:
        words = fold(entry.term).replace("-", " ").split()
        if len(words) >= 2:
            for word in dict.fromkeys((stem(words[0]), stem(words[-1]))):
                heads.setdefault(word, []).append(entry)
    return heads


def _generic_alias_owners(alias: str, entry: Entry, heads: dict[str, list[Entry]]) -> list[str]:
    """Other entries whose term starts or ends with this alias, when the alias is one plain word
    (not an acronym, not a form of the entry's own one-word term): `Transfer` for Call Transfer.

    A shorthand the family agrees on is no accident: when every such entry points to this one in
    `see_also` or `confused_with` (`Adherence` for Schedule Adherence, which Real-Time Adherence
    links to), there is nothing to warn about.
    """
    from .normalize import stem

    if not alias.isalpha() or alias.isupper():
        return []
    word = stem(fold(alias))
    if " " not in entry.term and "-" not in entry.term and stem(fold(entry.term)) == word:
        return []
    others = [other for other in heads.get(word, []) if other.term != entry.term]
    if all(entry.term in (*other.see_also, *other.confused_with) for other in others):
        return []
    return [other.term for other in others]
