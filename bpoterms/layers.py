"""Validate each glossary file into the model, with located problems, and merge the layers.

Parsing is yamlfile.py's job and `bpoterms validate`'s cross-file checks are validation.py's;
this module turns a parsed document into entries and decides which entries survive the layers.

Size: every check of one entry's fields (each with a located message) sits here, next to the
merging rules that decide which entries survive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from pathlib import Path

from .errors import GlossaryError
from .model import (
    DIRECTIONS,
    UNCATEGORIZED,
    Category,
    Compute,
    ComputeInput,
    Entry,
    Example,
    LoadedFile,
    Problem,
    Quote,
    Source,
    Variant,
)
from .normalize import compact, fold
from .paths import BUILTIN_LABEL, SCHEMA_VERSION, GlossarySpec, labelled_files
from .yamlfile import Path_, _nodes, locate, parse_yaml, read_text

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from typing import Any

ENTRY_KEYS = (
    "term", "acronym", "aliases", "category", "definition", "formula",
    "see_also", "confused_with", "notes", "sources", "merge",
    "region", "direction", "compute", "example", "variants", "replaces",
)  # fmt: skip
TOP_KEYS = ("schema", "title", "categories", "sources", "terms", "ambiguous")
_STRING_LISTS = ("aliases", "see_also", "confused_with", "region")
_OPTIONAL_STRINGS = ("acronym", "category", "formula", "notes", "replaces")
_METRIC_KEYS = ("direction", "compute", "example", "variants")
_KNOWN_ENTRY_KEYS = frozenset(ENTRY_KEYS)  # a set: one subset test answers for every key of an entry


_PROBE_BYTES = 1 << 20
_PROBE_EVENTS = 100_000


def _probe(text: str, name: str) -> None:
    """Refuse a large file that is one string, or whose first entry is not a mapping, before
    parsing all of it.

    Fifty megabytes of words, one per line, is valid YAML: parsing it takes many seconds only to
    refuse it at line 1. The first events already say so; fifty megabytes of prose is one string,
    whose event comes after one scan, not three (the parse, then the scan that locates the error).
    (Only for large files, where it pays.)
    """
    import yaml

    from .yamlload import _scalar

    wanted = {(), ("terms",), ("terms", 0), (0,)}
    kinds: dict[Path_, Any] = {}
    try:
        for path, _key, event in _nodes(text, wanted, _PROBE_EVENTS):
            kinds[path] = type(event)
            if path == ():
                if type(event) is not yaml.ScalarEvent:
                    continue
                wording = _not_a_glossary  # the whole file is one string (prose)
            elif path == (0,) and kinds[()] is yaml.SequenceStartEvent:
                wording = _not_an_entry
            elif path == ("terms", 0) and kinds[()] is yaml.MappingStartEvent:
                if kinds[("terms",)] is not yaml.SequenceStartEvent:
                    continue
                wording = _not_an_entry
            else:
                continue
            if type(event) is yaml.ScalarEvent:
                found = _describe(_scalar(event))
            elif type(event) is yaml.SequenceStartEvent:
                found = "a list"
            else:
                return  # a mapping (or an alias): parse it properly
            mark = event.start_mark
            raise GlossaryError(name, wording(found), mark.line + 1, mark.column + 1)
    except yaml.YAMLError:
        return  # the full parse reports it


# ---------------------------------------------------------------- validating one document


# The classes below are written out rather than made with `dataclasses`, whose import (inspect, ast,
# dis, tokenize) costs most of Python's own start-up on the route that compiles a team glossary.


class _Finding:
    """One problem in a file: where in the document (`at_key`: at the key, not its value), what, how bad."""

    __slots__ = ("at_key", "message", "path", "severity")

    def __init__(self, path: Path_, message: str, severity: str = "error", at_key: bool = False) -> None:
        self.path, self.message, self.severity, self.at_key = path, message, severity, at_key

    def __repr__(self) -> str:
        return f"_Finding({self.path!r}, {self.message!r}, {self.severity!r}, {self.at_key!r})"


class FileContent:
    """One file's validated content, before merging."""

    __slots__ = ("ambiguous", "categories", "entries", "findings", "name", "replaces", "sources", "where")

    def __init__(
        self,
        name: str,
        entries: list[tuple[Entry, bool]] | None = None,
        sources: dict[str, Source] | None = None,
        categories: dict[str, Category] | None = None,
        ambiguous: set[str] | None = None,
        findings: list[_Finding] | None = None,
        where: list[Path_] | None = None,
        replaces: dict[int, str] | None = None,
    ) -> None:
        self.name = name
        self.entries = [] if entries is None else entries  # (entry, merge flag)
        self.sources = {} if sources is None else sources
        self.categories = {} if categories is None else categories
        self.ambiguous = set() if ambiguous is None else ambiguous
        self.findings = [] if findings is None else findings
        self.where = [] if where is None else where  # each entry's place in the document
        self.replaces = {} if replaces is None else replaces  # entry position → the name it replaces


def _describe(value: Any) -> str:
    kinds = {
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a mapping",
        type(None): "empty",
    }
    return kinds.get(type(value), type(value).__name__)


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _check_top(data: Any, content: FileContent, file_source: Source) -> list[Any]:
    """Validate the document's outer shape; returns the raw term list."""
    if isinstance(data, list):
        return data  # a bare list of entries is a valid user glossary
    if not isinstance(data, dict):
        content.findings.append(_Finding((), _not_a_glossary(_describe(data))))
        return []
    for key in data:
        if key not in TOP_KEYS:
            content.findings.append(
                _Finding((key,), f"unknown top-level key '{key}'{_did_you_mean(str(key), TOP_KEYS)}", "warning", True)
            )
    schema = data.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        content.findings.append(
            _Finding(("schema",), f"unsupported schema {schema!r} (this version reads schema {SCHEMA_VERSION})")
        )
    for i, raw in enumerate(_as_list(data, "categories", content)):
        if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"].strip():
            content.categories[raw["id"]] = Category(raw["id"], str(raw.get("description") or ""))
        elif isinstance(raw, str) and raw.strip():
            content.categories[raw] = Category(raw, "")
        else:
            content.findings.append(_Finding(("categories", i), "a category needs an 'id' string"))
    for i, raw in enumerate(_as_list(data, "sources", content)):
        if not (isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"].strip()):
            content.findings.append(_Finding(("sources", i), "a source needs an 'id' string"))
            continue
        bad = [
            k for k in ("title", "publisher", "file", "url") if raw.get(k) is not None and not isinstance(raw[k], str)
        ]
        for key in bad:
            content.findings.append(
                _Finding(("sources", i, key), f"'{key}' must be a string, found {_describe(raw[key])}")
            )
        content.sources[raw["id"]] = Source(
            id=raw["id"],
            title=str(raw.get("title") or raw["id"]),
            publisher=raw.get("publisher") if isinstance(raw.get("publisher"), str) else None,
            file=raw.get("file") if isinstance(raw.get("file"), str) else None,
            url=raw.get("url") if isinstance(raw.get("url"), str) else None,
        )
    content.sources.setdefault(file_source.id, file_source)
    for name in _as_list(data, "ambiguous", content):
        if isinstance(name, str):
            content.ambiguous.add(compact(name))
    if "terms" not in data:
        content.findings.append(_Finding((), "no 'terms' list in this file"))
        return []
    return _as_list(data, "terms", content)


def _as_list(data: dict[str, Any], key: str, content: FileContent) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        content.findings.append(_Finding((key,), f"'{key}' must be a list, found {_describe(value)}"))
        return []
    return value


def _not_a_glossary(found: str) -> str:
    return f"expected a mapping with a 'terms' list, found {found}"


def _not_an_entry(found: str) -> str:
    return f"an entry must be a mapping with 'term' and 'definition', found {found}"


def _check_entry(raw: Any, where: Path_, content: FileContent, file_source: Source) -> tuple[Entry, bool] | None:
    """One raw mapping → an Entry, recording every problem found on the way."""
    findings = content.findings
    if not isinstance(raw, dict):
        findings.append(_Finding(where, _not_an_entry(_describe(raw))))
        return None
    first_finding = len(findings)  # only this entry's findings are counted: linear however many came before
    if not raw.keys() <= _KNOWN_ENTRY_KEYS:
        for key in raw:
            if key not in ENTRY_KEYS:
                findings.append(
                    _Finding(
                        (*where, key), f"unknown key '{key}'{_did_you_mean(str(key), ENTRY_KEYS)}", "warning", True
                    )
                )
    for key in ("term", "definition"):
        value = raw.get(key)
        if value is None:
            findings.append(_Finding(where, f"missing required field '{key}'"))
        elif not isinstance(value, str):
            findings.append(_Finding((*where, key), f"'{key}' must be a string, found {_describe(value)} (quote it)"))
        elif not value.strip():
            findings.append(_Finding((*where, key), f"'{key}' is empty"))
    for key in _OPTIONAL_STRINGS:
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            findings.append(_Finding((*where, key), f"'{key}' must be a string, found {_describe(value)} (quote it)"))
        elif isinstance(value, str) and not value.strip():
            findings.append(_Finding((*where, key), f"'{key}' is empty (leave it out or use null)"))
    for key in _STRING_LISTS:
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            findings.append(_Finding((*where, key), f"'{key}' must be a list of strings, found {_describe(value)}"))
            continue
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                findings.append(
                    _Finding((*where, key, i), f"'{key}' items must be non-empty strings, found {_describe(item)}")
                )
    merge = raw.get("merge", False)
    if not isinstance(merge, bool):
        findings.append(_Finding((*where, "merge"), f"'merge' must be true or false, found {_describe(merge)}"))
    quotes = _check_quotes(raw, where, content, file_source)
    # Most entries are not metrics: they skip building that check's helpers.
    extras = _check_metric_fields(raw, where, findings) if not raw.keys().isdisjoint(_METRIC_KEYS) else {}
    if len(findings) > first_finding and any(f.severity == "error" for f in findings[first_finding:]):
        return None
    definition = raw["definition"].strip()
    # The fields in Entry's order, not by keyword: binding a dozen keywords cost a third of building
    # a large file's entries. A metric's few extra fields are set by keyword after.
    entry = Entry(
        raw["term"].strip(),  # term
        definition,
        raw.get("acronym") or None,
        tuple(raw.get("aliases") or ()),
        raw.get("category") or UNCATEGORIZED,
        raw.get("formula"),
        tuple(raw.get("see_also") or ()),
        tuple(raw.get("confused_with") or ()),
        raw.get("notes"),
        tuple(Quote(source, text if text is not None else definition) for source, text in quotes)
        if quotes
        else (Quote(file_source.id, definition),),  # sources
        content.name,  # origin
        tuple(raw.get("region") or ()),
    )
    return (entry._replace(**extras) if extras else entry), bool(merge)


def _check_metric_fields(raw: dict[str, Any], where: Path_, findings: list[_Finding]) -> dict[str, Any]:
    """direction, compute, example and variants: checked here, built into the model's types."""
    built: dict[str, Any] = {}

    def bad(path: Path_, message: str) -> None:
        findings.append(_Finding((*where, *path), message))

    def text(mapping: dict[str, Any], key: str, path: Path_, required: bool) -> str | None:
        value = mapping.get(key)
        if value is None:
            if required:
                bad(path, f"missing required field '{key}'")
            return None
        if not isinstance(value, str) or not value.strip():
            bad((*path, key), f"'{key}' must be a non-empty string, found {_describe(value)}")
            return None
        return value.strip()

    def mapping(key: str, path: Path_, value: Any) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            bad(path, f"'{key}' must be a mapping, found {_describe(value)}")
            return None
        return value

    def number(value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    direction = raw.get("direction")
    if direction is not None:
        if direction not in DIRECTIONS:
            bad(("direction",), f"'direction' must be one of {', '.join(DIRECTIONS)}, found {direction!r}")
        else:
            built["direction"] = direction
    if raw.get("compute") is not None and (compute := mapping("compute", ("compute",), raw["compute"])) is not None:
        expression = text(compute, "expression", ("compute",), True)
        inputs: list[ComputeInput] = []
        declared = compute.get("inputs") or {}
        if not isinstance(declared, dict):
            bad(("compute", "inputs"), f"'inputs' must be a mapping of names, found {_describe(declared)}")
            declared = {}
        for name, spec in declared.items():
            here: Path_ = ("compute", "inputs", name)
            if isinstance(spec, str):
                spec = {"description": spec}
            if not isinstance(spec, dict):
                bad(here, f"input '{name}' must be a mapping with a 'description', found {_describe(spec)}")
                continue
            description = text(spec, "description", here, True)
            unit = text(spec, "unit", here, False)
            if description is not None:
                inputs.append(ComputeInput(str(name), description, unit))
        unit = text(compute, "unit", ("compute",), False)
        if expression is not None:
            built["compute"] = Compute(expression, tuple(inputs), unit)
    if raw.get("example") is not None and (example := mapping("example", ("example",), raw["example"])) is not None:
        example_text = text(example, "text", ("example",), True)
        values = example.get("inputs") or {}
        if not isinstance(values, dict):
            bad(("example", "inputs"), f"'inputs' must be a mapping of numbers, found {_describe(values)}")
            values = {}
        for name, value in values.items():
            if not number(value):
                bad(("example", "inputs", name), f"example input '{name}' must be a number, found {_describe(value)}")
        result = example.get("result")
        if result is not None and not number(result):
            bad(("example", "result"), f"'result' must be a number, found {_describe(result)}")
        if example_text is not None:
            pairs = tuple((str(k), float(v)) for k, v in values.items() if number(v))
            built["example"] = Example(example_text, pairs, float(result) if isinstance(result, (int, float)) else None)
    variants = raw.get("variants")
    if variants is not None:
        if not isinstance(variants, list):
            bad(("variants",), f"'variants' must be a list, found {_describe(variants)}")
            variants = []
        built_variants = []
        for i, item in enumerate(variants):
            if (variant := mapping("variants item", ("variants", i), item)) is None:
                continue
            fields = [text(variant, key, ("variants", i), True) for key in ("name", "formula", "used_by")]
            expression = text(variant, "expression", ("variants", i), False)
            name, formula, used_by = fields
            if name is not None and formula is not None and used_by is not None:
                built_variants.append(Variant(name, formula, used_by, expression))
        built["variants"] = tuple(built_variants)
    return built


def _check_quotes(
    raw: dict[str, Any], where: Path_, content: FileContent, file_source: Source
) -> list[tuple[str, str | None]]:
    value = raw.get("sources")
    if value is None:
        return []
    if not isinstance(value, list):
        content.findings.append(_Finding((*where, "sources"), f"'sources' must be a list, found {_describe(value)}"))
        return []
    quotes: list[tuple[str, str | None]] = []
    for i, item in enumerate(value):
        here = (*where, "sources", i)
        if isinstance(item, str):
            item = {"source": item}
        if not isinstance(item, dict) or not isinstance(item.get("source"), str):
            content.findings.append(_Finding(here, "a source quote needs a 'source' id string"))
            continue
        text = item.get("text")
        if text is not None and (not isinstance(text, str) or not text.strip()):
            content.findings.append(_Finding((*here, "text"), "a quote's 'text' must be a non-empty string"))
            continue
        for key in item:
            if key not in ("source", "text"):
                content.findings.append(
                    _Finding((*here, key), f"unknown key '{key}' in a source quote", "warning", True)
                )
        if item["source"] not in content.sources:
            content.findings.append(
                _Finding((*here, "source"), f"unknown source id '{item['source']}' (declare it under 'sources:')")
            )
            continue
        quotes.append((item["source"], text))
    return quotes


def _check_duplicates(content: FileContent) -> None:
    """Two entries of one file sharing a name are both kept (homonyms); unless the name is declared
    under `ambiguous:`, validate warns, since a shared name is more often a slip than a second meaning."""
    owner: dict[str, str] = {}  # each name's key → the term of the first entry with that name
    ambiguous = content.ambiguous
    for position, (entry, _merge) in enumerate(content.entries):
        for name in dict.fromkeys(map(compact, entry.names())):
            if not name or name in ambiguous:
                continue
            first = owner.get(name)
            if first is not None:  # an earlier entry's: one entry's own keys are distinct
                shared = _name_for(entry, name)
                content.findings.append(
                    _Finding(
                        content.where[position],
                        f"'{entry.term}' shares the name '{shared}' with '{first}': both are kept, and "
                        f"`define {shared}` shows both (list it under 'ambiguous:' if that is meant)",
                        "warning",
                    )
                )
            else:
                owner[name] = entry.term


def _name_for(entry: Entry, key: str) -> str:
    return next((n for n in entry.names() if compact(n) == key), key)


def read_file(path: str | Path, label: str | None = None) -> tuple[FileContent, str]:
    """Parse and check one file in full (as `validate` does) and return it with its text; raises
    GlossaryError only when it cannot be parsed at all. Loading stops at the first error instead:
    see `load_text`."""
    path = Path(path)
    text = read_text(path)
    return check_text(text, path, label or str(path)), text


def check_text(
    text: str, path: str | Path, name: str, *, first_error: bool = False, shared_names: bool = True
) -> FileContent:
    """Validate one file's text (read from `path`, named `name` in messages). With `first_error`
    (loading, which refuses the file anyway) checking stops at the first error. Without
    `shared_names` (loading, which reports no warning) names shared between entries, which only
    ever warn, are not looked for: a second of a 200,000-entry build."""
    path = Path(path)
    if first_error and len(text) > _PROBE_BYTES:
        _probe(text, name)
    data = parse_yaml(text, name)
    content = FileContent(name)
    file_source = Source(id=path.name, title=path.name, file=str(path))
    raw_terms = _check_top(data, content, file_source)
    if first_error and any(f.severity == "error" for f in content.findings):
        return content
    base: Path_ = ("terms",) if isinstance(data, dict) else ()
    # Each parsed entry is released once checked, so a large file's parsed entries are not all held
    # beside the new ones; only without aliases (`*name`), where no entry can be part of another.
    release = "*" not in text
    for i, raw in enumerate(raw_terms):
        where = (*base, i)
        checked = _check_entry(raw, where, content, file_source)
        if checked is not None:
            replaces = raw.get("replaces")
            if isinstance(replaces, str) and replaces.strip():
                content.replaces[len(content.entries)] = replaces.strip()
            content.entries.append(checked)
            content.where.append(where)
        elif first_error:
            return content
        if release:
            raw_terms[i] = None
    if shared_names:
        _check_duplicates(content)
    return content


def load_text(text: str, path: str | Path, label: str, *, keep_warnings: bool = False) -> FileContent:
    """One file's text validated for loading: its first error, if any, is raised as a GlossaryError.
    Loading reports no warning, so names shared between entries (only ever a warning, and the
    costliest check) are looked for only with `keep_warnings`: the built-in layer, which `validate`
    reuses."""
    content = check_text(text, path, label, first_error=True, shared_names=keep_warnings)
    errors = [f for f in content.findings if f.severity == "error"]
    if errors:
        content.findings = errors[:1]
        problem = _problems(content, text)[0]
        raise GlossaryError(problem.file, problem.message, problem.line, problem.column)
    return content


def _problems(content: FileContent, text: str | None) -> list[Problem]:
    if not content.findings:
        return []
    marks = locate(text, [(f.path, f.at_key) for f in content.findings]) if text else {}
    problems = []
    for f in content.findings:
        line, column = marks.get((f.path, f.at_key), (1, 1))
        problems.append(Problem(content.name, line, column, f.severity, f.message))
    return problems


# ---------------------------------------------------------------- the merged glossary


class Merged:
    """Every entry of every layer after overrides and merges, alphabetical; ready to compile."""

    __slots__ = ("_names", "ambiguous", "categories", "entries", "files", "sources")

    def __init__(
        self,
        entries: tuple[Entry, ...],
        sources: dict[str, Source],
        categories: dict[str, Category],
        files: tuple[LoadedFile, ...],
        ambiguous: frozenset[str] = frozenset(),
    ) -> None:
        self.entries, self.sources, self.categories, self.files = entries, sources, categories, files
        self.ambiguous = ambiguous
        self._names: dict[str, Entry] | None = None

    def get(self, name: str) -> Entry | None:
        """The entry a name belongs to (the first, alphabetically); validation asks once per see_also."""
        if self._names is None:
            self._names = {}
            for entry in self.entries:
                for each in entry.names():
                    self._names.setdefault(compact(each), entry)
        return self._names.get(compact(name))


def _merge_into(existing: Entry, extra: Entry) -> Entry:
    """The later entry's quote and names added to the earlier one; a name it already has, in any
    spelling of case or punctuation (`one-and-done`, `One and Done`), or its acronym, is not repeated."""
    taken = {compact(name) for name in existing.names()}
    aliases = list(existing.aliases)
    for name in (*extra.aliases, extra.term):
        key = compact(name)
        if key and key not in taken:
            taken.add(key)
            aliases.append(name)
    return existing._replace(sources=(*existing.sources, *extra.sources), aliases=tuple(aliases))


def merge_layers(layers: Sequence[tuple[FileContent, LoadedFile]]) -> Merged:
    """Combine the layers; nothing is dropped except by an explicit override.

    A later layer's entry replaces earlier entries with the same term, or the entries it names
    in `replaces:`; with `merge: true` it adds its quote to the earlier entry of that term or
    acronym instead. Entries that only share an acronym or alias are homonyms: all are kept.
    """
    entries: list[Entry | None] = []
    by_term: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    sources: dict[str, Source] = {}
    categories: dict[str, Category] = {}
    ambiguous: set[str] = set()

    def live(positions: Iterable[int], before: int) -> list[int]:
        return [p for p in positions if p < before and entries[p] is not None]

    for number, (content, _loaded) in enumerate(layers):
        indexed = number < len(layers) - 1  # only later layers look entries up: the last is not indexed
        sources.update(content.sources)
        categories.update(content.categories)
        ambiguous |= content.ambiguous
        layer_start = len(entries)
        if not (indexed or by_term or by_name):
            # Nothing earlier to replace or merge into, and no later layer to look these entries up:
            # each is kept as it is, without the lookup keys (a 200,000-entry file alone skips them all).
            entries += [entry for entry, _merge in content.entries]
            continue
        for position, (entry, merge) in enumerate(content.entries):
            term_key = compact(entry.term)
            if merge:
                keys = [term_key] + ([compact(entry.acronym)] if entry.acronym else [])
                target = next((p for k in keys for p in live(by_term.get(k, by_name.get(k, [])), layer_start)), None)
                if target is not None:
                    current = entries[target]
                    assert current is not None
                    entries[target] = _merge_into(current, entry)
                    continue
            earlier = by_term.get(term_key)
            replaced = live(earlier, layer_start) if earlier else []
            named = content.replaces.get(position)
            if named is not None:
                replaced += live(by_name.get(compact(named), []), layer_start)
            for p in replaced:
                entries[p] = None
            entries.append(entry)
            if indexed:
                by_term.setdefault(term_key, []).append(len(entries) - 1)
                for name in dict.fromkeys(compact(n) for n in entry.names()):
                    by_name.setdefault(name, []).append(len(entries) - 1)
    kept = [e for e in entries if e is not None]
    for category in dict.fromkeys(map(attrgetter("category"), kept)):
        if category not in categories:
            categories[category] = Category(category, "")
    # Alphabetical by (fold(term), term), as two stable sorts: the costly one compares plain terms,
    # and the second runs over input already nearly in order.
    kept.sort(key=attrgetter("term"))
    kept.sort(key=lambda e: fold(e.term))
    return Merged(tuple(kept), sources, categories, tuple(loaded for _, loaded in layers), frozenset(ambiguous))


def load_layers(
    spec: GlossarySpec, builtin: Callable[[str], FileContent] | None = None
) -> list[tuple[FileContent, LoadedFile]]:
    """Read every file of the spec; the first error in any of them aborts the load.

    `builtin`, when given, supplies the built-in file's layer instead (builtin_layer.py keeps it
    between compiles, so an unchanged built-in file is not parsed again).
    """
    layers = []
    for precedence, (path, label) in enumerate(labelled_files(spec)):
        if builtin is not None and label == BUILTIN_LABEL:
            content = builtin(path)
        else:
            content = load_text(read_text(path), path, label)
        layers.append((content, LoadedFile(label, len(content.entries), precedence, label == BUILTIN_LABEL)))
    return layers
