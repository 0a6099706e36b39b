"""Glossaries → the documents team leads already publish: Markdown, CSV, Anki notes, JSON, one HTML page.

Stdlib only (the HTML page is a template file beside this module). Every function returns the whole
document as a string, so the CLI can write it atomically or print it; nothing here touches stdout.
Glossary text is untrusted: each format escapes it for its own syntax, and control characters are
made visible with `plain.safe` (JSON excepted: `json` escapes them and must equal `list --json`).

Size: five formats that share one plan (groups, anchors, links between entries); each format is
a section below, and splitting them would scatter that plan across files.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import BpotermsError
from .model import Entry, Quote
from .normalize import fold, normalize
from .plain import entry_fields, safe

if TYPE_CHECKING:
    from .glossary import Glossary

FORMATS = ("markdown", "csv", "anki", "json", "html")
GROUPINGS = ("category", "alpha")
DEFAULT_TITLE = "BPO and contact-center glossary"

CSV_COLUMNS = (
    "term",
    "acronym",
    "aliases",
    "category",
    "definition",
    "formula",
    "see_also",
    "confused_with",
    "notes",
    "sources",
    "quotes",
    "origin",
    "region",
    "direction",
    "example",
    "variants",
)
ANKI_HEADER = (
    "#separator:tab",
    "#html:true",
    "#notetype:Basic",
    "#columns:Front\tBack\tTags\tGUID",
    "#tags column:3",
    "#guid column:4",
)
LIST_SEPARATOR = "; "

# Ids the page and documents use for themselves; no entry anchor may take them.
_RESERVED_IDS = frozenset(
    {
        "top",
        "contents",
        "acronyms",
        "bt-main",
        "bt-controls",
        "bt-search",
        "bt-status",
        "bt-filters",
        "bt-hint",
        "bt-empty",
        "bt-reset",
        "bt-cat-all",
    }
)
_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".tsv": "anki",
}
# Suffixes a format may be written under with --format; a suffix listed only for other formats is refused.
_FITTING_SUFFIXES = {
    "markdown": (".md", ".markdown", ".txt"),
    "csv": (".csv",),
    "anki": (".txt", ".tsv", ".csv"),
    "json": (".json",),
    "html": (".html", ".htm"),
}


# http(s) only, and no whitespace or control character that would break a Markdown link or an attribute.
_LINKABLE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)


class ExportError(BpotermsError):
    """An export that cannot be made as asked (a format that does not fit the file name); exit 2."""


# ---------------------------------------------------------------- anchors and groups


def slug(text: str) -> str:
    """`Average Handle Time` → `average-handle-time`, `T&M` → `t-and-m`: the same words `define` matches."""
    return "-".join(normalize(text).split()) or "entry"


class _Ids:
    """Hands out ids that are unique within one document, first come first served."""

    def __init__(self, reserved: Iterable[str] = _RESERVED_IDS) -> None:
        self.used = set(reserved)

    def take(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}-{n}", n + 1
        self.used.add(candidate)
        return candidate


def anchor_ids(entries: Sequence[Entry], ids: _Ids | None = None) -> list[str]:
    """One id per entry: the slug of its acronym if it has one, else of its term; `-2`, `-3` on a clash.

    Every format takes entry ids first and from here, so `#aht` and the Anki GUID `bpoterms-aht` agree.
    """
    ids = ids or _Ids()
    return [ids.take(slug(entry.acronym or entry.term)) for entry in entries]


@dataclass(frozen=True)
class _Group:
    anchor: str
    heading: str
    description: str
    entries: tuple[Entry, ...]


@dataclass
class _Plan:
    """What every document format shares: the entries, their anchors, their groups, and link targets."""

    glossary: Glossary
    entries: list[Entry]
    anchors: dict[Entry, str]
    groups: list[_Group]
    group_by: str
    title: str
    ids: _Ids
    resolved: dict[str, str | None] = field(default_factory=dict)

    def anchor_of(self, name: str) -> str | None:
        """The anchor of the exported entry a see-also name resolves to; None when it was filtered out.
        Remembered per name: the same names are cross-referenced from many entries."""
        if name not in self.resolved:
            target = self.glossary.get(name)
            self.resolved[name] = self.anchors.get(target) if target is not None else None
        return self.resolved[name]


def category_label(category_id: str) -> str:
    """`outsourcing-models` → `Outsourcing models`: ids are for the command line, labels for readers."""
    words = category_id.replace("-", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) or category_id


def _letter(entry: Entry) -> str:
    first = fold(entry.term)[:1]
    return first.upper() if first.isalpha() else "#"


def _plan(entries: Sequence[Entry], glossary: Glossary, group_by: str, title: str | None) -> _Plan:
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {GROUPINGS}, not {group_by!r}")
    entries = list(entries)
    ids = _Ids()
    anchors = dict(zip(entries, anchor_ids(entries, ids), strict=True))
    buckets: dict[str, list[Entry]] = {}
    if group_by == "category":
        order = [*glossary.categories, *(e.category for e in entries)]
        buckets = {key: [] for key in dict.fromkeys(order)}
        for entry in entries:
            buckets[entry.category].append(entry)
    else:
        for entry in entries:
            buckets.setdefault(_letter(entry), []).append(entry)
    groups = []
    for key, members in buckets.items():
        if not members:
            continue
        if group_by == "category":
            category = glossary.categories.get(key)
            groups.append(
                _Group(
                    ids.take(f"category-{slug(key)}"),
                    category_label(key),
                    category.description if category else "",
                    tuple(members),
                )
            )
        else:
            name = "letter-other" if key == "#" else f"letter-{slug(key)}"
            groups.append(_Group(ids.take(name), key, "", tuple(members)))
    return _Plan(glossary, entries, anchors, groups, group_by, title or DEFAULT_TITLE, ids)


def _loaded_from(glossary: Glossary) -> str:
    labels = ["the built-in glossary" if f.builtin else f.path for f in glossary.files]
    return ", ".join(labels) or "no glossary"


def _source_title(glossary: Glossary, source_id: str) -> tuple[str, str | None, str | None]:
    """Title, publisher and a safe (http/https only) URL for a source id."""
    source = glossary.sources.get(source_id)
    if source is None:
        return source_id, None, None
    url = source.url if source.url and _LINKABLE_URL.fullmatch(source.url) else None
    return source.title, source.publisher, url


def _quoted(quote: Quote, entry: Entry) -> bool:
    """A quote worth showing: not just the entry's own definition repeated (editor or user-file entries)."""
    return " ".join(quote.text.split()) != " ".join(entry.definition.split())


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks inside one are just spaces."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", safe(text)) if block.strip()]


def _one_line(text: str) -> str:
    return " ".join(safe(text).split())


# ---------------------------------------------------------------- Markdown


_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|~]")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")


def _md(text: str) -> str:
    """Inline text that Markdown shows literally: no emphasis, links, HTML or table breaks from glossary text."""
    escaped = _MD_SPECIAL.sub(lambda m: "\\" + m.group(), _one_line(text))
    return _MD_ENTITY.sub("&amp;", escaped)  # `&amp;` in the glossary shows as `&amp;`, not `&`


def _md_block(text: str) -> str:
    """A paragraph that cannot turn into a heading, list, quote or rule because of how it starts."""
    escaped = _md(text)
    ordered = _MD_ORDERED.match(escaped)
    if ordered:
        return f"{ordered.group(1)}\\{ordered.group(2)}{escaped[ordered.end() :]}"
    if escaped[:1] in ("-", "+", "#", "="):
        return "\\" + escaped
    return escaped


def _md_code(text: str) -> str:
    """A code span whose fence is longer than any backtick run inside it."""
    content = _one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content.startswith("`") or content.endswith("`") else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def _md_url(url: str) -> str:
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"


def _md_link(name: str, plan: _Plan) -> str:
    anchor = plan.anchor_of(name)
    return f"[{_md(name)}](#{anchor})" if anchor else _md(name)


def _md_source(glossary: Glossary, source_id: str) -> str:
    title, publisher, url = _source_title(glossary, source_id)
    label = f"[*{_md(title)}*]({_md_url(url)})" if url else f"*{_md(title)}*"
    return label + (f", {_md(publisher)}" if publisher else "")


def _md_entry(entry: Entry, plan: _Plan) -> list[str]:
    heading = _md(entry.term) + (f" ({_md(entry.acronym)})" if entry.acronym else "")
    lines = [f'### <a id="{plan.anchors[entry]}"></a>{heading}', ""]
    for paragraph in _paragraphs(entry.definition):
        lines += [_md_block(paragraph), ""]
    fields = []
    if entry.formula:
        fields.append(f"- **Formula:** {_md_code(entry.formula)}")
    fields += [f"- **{_md(label)}:** {_md(text)}" for label, text in _practice_fields(entry)]
    if entry.aliases:
        fields.append("- **Also called:** " + LIST_SEPARATOR.join(_md(a) for a in entry.aliases))
    if plan.group_by != "category":
        fields.append(f"- **Category:** {_md(category_label(entry.category))}")
    if entry.see_also:
        fields.append("- **See also:** " + ", ".join(_md_link(n, plan) for n in entry.see_also))
    if entry.confused_with:
        fields.append("- **Not to be confused with:** " + ", ".join(_md_link(n, plan) for n in entry.confused_with))
    if entry.notes:
        fields.append("- **Notes:** " + _md(entry.notes))
    if entry.sources:
        fields.append("- **Sources:**")
        for quote in entry.sources:
            said = f": “{_md(quote.text)}”" if _quoted(quote, entry) else ""
            fields.append(f"  - {_md_source(plan.glossary, quote.source)}{said}")
    if entry.origin and entry.origin != "built-in":
        fields.append(f"- **From:** {_md(entry.origin)}")
    if fields:
        lines += [*fields, ""]
    return lines


def to_markdown(
    entries: Sequence[Entry], glossary: Glossary, *, group_by: str = "category", title: str | None = None
) -> str:
    """One GitHub-renderable document: contents, a section per group, an acronym table.

    Anchors are explicit `<a id>` tags (GitHub keeps them, prefixed, and follows `#aht` links to
    them), so links do not depend on any renderer's heading-slug rules.
    """
    plan = _plan(entries, glossary, group_by, title)
    grouping = "by category" if group_by == "category" else "alphabetically"
    count = f"{len(plan.entries)} {'entry' if len(plan.entries) == 1 else 'entries'}"
    lines = [
        f"# {_md(plan.title)}",
        "",
        f"{count}, {grouping}. Exported by bpoterms {__version__} from {_md(_loaded_from(glossary))}.",
        "",
        '## <a id="contents"></a>Contents',
        "",
    ]
    if group_by == "category":
        lines += [f"- [{_md(g.heading)}](#{g.anchor}) ({len(g.entries)})" for g in plan.groups]
    else:
        lines.append(" · ".join(f"[{_md(g.heading)}](#{g.anchor})" for g in plan.groups))
    acronyms = sorted((e for e in plan.entries if e.acronym), key=lambda e: (fold(e.acronym or ""), e.term))
    if acronyms:
        lines += ["", "[Acronyms](#acronyms)"] if group_by != "category" else ["- [Acronyms](#acronyms)"]
    lines.append("")
    for group in plan.groups:
        lines += [f'## <a id="{group.anchor}"></a>{_md(group.heading)}', ""]
        if group.description:
            lines += [_md_block(group.description), ""]
        for entry in group.entries:
            lines += _md_entry(entry, plan)
    if acronyms:
        lines += ['## <a id="acronyms"></a>Acronyms', "", "| Acronym | Term |", "|---|---|"]
        lines += [f"| [{_md(e.acronym or '')}](#{plan.anchors[e]}) | {_md(e.term)} |" for e in acronyms]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------- CSV


def _csv_cell(text: str | None) -> str:
    """Safe text; a leading = + - @ gets a `'` so spreadsheets show it instead of running it as a formula."""
    if not text:
        return ""
    cell = safe(text)
    # A spreadsheet that trims spaces on import (LibreOffice can) would see ` =2+2` as a formula too.
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t") or cell.lstrip()[:1] in ("=", "+", "-", "@") else cell


def csv_row(entry: Entry) -> dict[str, str]:
    """Every field of an entry as text: lists joined by `; `, quotes one per line as `source: text`."""
    return {
        "term": _csv_cell(entry.term),
        "acronym": _csv_cell(entry.acronym),
        "aliases": _csv_cell(LIST_SEPARATOR.join(entry.aliases)),
        "category": _csv_cell(entry.category),
        "definition": _csv_cell(entry.definition),
        "formula": _csv_cell(entry.formula),
        "see_also": _csv_cell(LIST_SEPARATOR.join(entry.see_also)),
        "confused_with": _csv_cell(LIST_SEPARATOR.join(entry.confused_with)),
        "notes": _csv_cell(entry.notes),
        "sources": _csv_cell(LIST_SEPARATOR.join(dict.fromkeys(q.source for q in entry.sources))),
        "quotes": _csv_cell("\n".join(f"{q.source}: {q.text}" for q in entry.sources)),
        "origin": _csv_cell(entry.origin),
        "region": _csv_cell(LIST_SEPARATOR.join(entry.region)),
        "direction": _csv_cell(entry.direction),
        "example": _csv_cell(entry.example.text if entry.example else None),
        "variants": _csv_cell("\n".join(f"{v.name}: {v.formula} ({v.used_by})" for v in entry.variants)),
    }


def _practice_fields(entry: Entry) -> list[tuple[str, str]]:
    """Variants, direction, worked example and region, labelled as `define` labels them."""
    wanted = ("Variant", "Better", "Example", "Region")
    return [(label, text) for label, text, _style in entry_fields(entry) if label.startswith(wanted)]


def to_csv(entries: Sequence[Entry], glossary: Glossary) -> str:
    """RFC 4180 (CRLF, minimal quoting) with a header row, after a UTF-8 byte-order mark.

    The mark is what makes Excel read the file as UTF-8 (× − Σ in formulas); LibreOffice, Google
    Sheets and Python's `utf-8-sig` codec skip it.
    """
    del glossary  # every field is the entry's own; kept for a uniform signature
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for entry in entries:
        writer.writerow(csv_row(entry))
    return "\ufeff" + buffer.getvalue()


# ---------------------------------------------------------------- Anki


def _anki_text(text: str) -> str:
    """HTML for one Anki field: escaped (no raw quote, so Anki's CSV reader never sees one), paragraphs as <br><br>."""
    return "<br><br>".join(_anki_escape(p) for p in _paragraphs(text))


def _anki_escape(text: str) -> str:
    """HTML-escape, and `"` too (Anki's reader would take a leading one as CSV quoting); apostrophes stay readable."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def anki_fields(entry: Entry, anchor: str) -> tuple[str, str, str, str]:
    """Front (term and acronym), back (definition, formula and the practitioners' fields), tags, and a
    stable GUID for re-imports."""
    front = _anki_text(entry.term) + (f" ({_anki_text(entry.acronym)})" if entry.acronym else "")
    if front.startswith("#"):
        front = "&#35;" + front[1:]  # Anki skips lines starting with '#' as comments
    back = _anki_text(entry.definition)
    if entry.formula:
        back += f"<br><br><b>Formula:</b> {_anki_escape(_one_line(entry.formula))}"
    for label, text in _practice_fields(entry):  # variants, direction, example, region: as define labels them
        back += f"<br><b>{_anki_escape(label)}:</b> {_anki_escape(_one_line(text))}"
    tag = _anki_escape(re.sub(r"[\s\"]+", "_", safe(entry.category)).strip("_")) or "uncategorized"
    return front, back, f"bpoterms::{tag}", f"bpoterms-{anchor}"


def to_anki(entries: Sequence[Entry], glossary: Glossary) -> str:
    """Tab-separated notes with the file headers Anki 2.1.55+ reads (separator, HTML, note type, columns).

    No byte-order mark: Anki only recognises `#` header lines at the very start of the file.
    """
    del glossary
    entries = list(entries)
    lines = list(ANKI_HEADER)
    lines += ["\t".join(anki_fields(entry, anchor)) for entry, anchor in zip(entries, anchor_ids(entries), strict=True)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- JSON


def to_json(entries: Sequence[Entry], glossary: Glossary) -> str:
    """Exactly what `bpoterms list --json` prints for the same entries."""
    from .serialize import dumps, entries_list

    return dumps(entries_list(entries, glossary)) + "\n"


# ---------------------------------------------------------------- HTML


def _h(text: str) -> str:
    return html.escape(_one_line(text), quote=True)


def _h_block(text: str) -> str:
    return "".join(f"<p>{html.escape(p, quote=True)}</p>" for p in _paragraphs(text))


def _h_link(name: str, plan: _Plan) -> str:
    anchor = plan.anchor_of(name)
    return f'<a href="#{anchor}">{_h(name)}</a>' if anchor else _h(name)


def _h_source(glossary: Glossary, source_id: str) -> str:
    title, publisher, url = _source_title(glossary, source_id)
    label = (
        f'<cite><a href="{html.escape(url, quote=True)}">{_h(title)}</a></cite>' if url else f"<cite>{_h(title)}</cite>"
    )
    return label + (f", {_h(publisher)}" if publisher else "")


def _html_entry(entry: Entry, plan: _Plan) -> str:
    anchor = plan.anchors[entry]
    names = "|".join(_one_line(n) for n in entry.names())
    acronym = f' <span class="bt-acronym">({_h(entry.acronym)})</span>' if entry.acronym else ""
    parts = [
        f'<article class="bt-entry" id="{anchor}" data-category="{_h(entry.category)}" '
        f'data-names="{html.escape(names, quote=True)}" tabindex="-1">',
        f'<h3><a class="bt-permalink" href="#{anchor}">{_h(entry.term)}{acronym}</a></h3>',
        f'<div class="bt-def">{_h_block(entry.definition)}</div>',
    ]
    fields: list[tuple[str, str]] = []
    if entry.formula:
        fields.append(("Formula", f"<code>{_h(entry.formula)}</code>"))
    fields += [(_h(label), _h(text)) for label, text in _practice_fields(entry)]
    if entry.aliases:
        fields.append(("Also called", LIST_SEPARATOR.join(_h(a) for a in entry.aliases)))
    if plan.group_by != "category":
        fields.append(("Category", _h(category_label(entry.category))))
    if entry.see_also:
        fields.append(("See also", ", ".join(_h_link(n, plan) for n in entry.see_also)))
    if entry.confused_with:
        fields.append(("Not to be confused with", ", ".join(_h_link(n, plan) for n in entry.confused_with)))
    if entry.notes:
        fields.append(("Notes", _h(entry.notes)))
    if entry.sources:
        sources = dict.fromkeys(q.source for q in entry.sources)
        fields.append(
            (
                "Sources" if len(sources) > 1 else "Source",
                LIST_SEPARATOR.join(_h_source(plan.glossary, s) for s in sources),
            )
        )
    if entry.origin and entry.origin != "built-in":
        fields.append(("From", _h(entry.origin)))
    if fields:
        parts.append('<dl class="bt-fields">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in fields) + "</dl>")
    quotes = [q for q in entry.sources if _quoted(q, entry)]
    if quotes:
        figures = "".join(
            f"<figure><blockquote>{_h_block(q.text)}</blockquote>"
            f"<figcaption>— {_h_source(plan.glossary, q.source)}</figcaption></figure>"
            for q in quotes
        )
        parts.append(
            f'<details class="bt-quotes"><summary>What the sources say ({len(quotes)})</summary>{figures}</details>'
        )
    parts.append("</article>")
    return "\n".join(parts)


def _html_filters(plan: _Plan) -> str:
    counts: dict[str, int] = {}
    for entry in plan.entries:
        counts[entry.category] = counts.get(entry.category, 0) + 1
    order = [c for c in dict.fromkeys([*plan.glossary.categories, *counts]) if c in counts]
    chips = [
        '<input type="radio" name="bt-category" id="bt-cat-all" value="" checked>'
        f'<label for="bt-cat-all">All <span class="bt-count">{len(plan.entries)}</span></label>'
    ]
    for category in order:
        chip = plan.ids.take(f"bt-cat-{slug(category)}")
        chips.append(
            f'<input type="radio" name="bt-category" id="{chip}" value="{_h(category)}">'
            f'<label for="{chip}">{_h(category_label(category))} '
            f'<span class="bt-count">{counts[category]}</span></label>'
        )
    return "\n".join(chips)


def _html_nav(plan: _Plan) -> str:
    if plan.group_by == "category":
        return ""
    links = "".join(f'<li><a href="#{g.anchor}">{_h(g.heading)}</a></li>' for g in plan.groups)
    return f'<nav class="bt-nav" aria-label="Jump to a letter"><ul>{links}</ul></nav>'


def _html_groups(plan: _Plan) -> str:
    sections = []
    for group in plan.groups:
        head = f'<section class="bt-group" id="{group.anchor}">\n<h2>{_h(group.heading)}</h2>'
        if group.description:
            head += f'\n<p class="bt-group-description">{_h(group.description)}</p>'
        body = "\n".join(_html_entry(entry, plan) for entry in group.entries)
        sections.append(f"{head}\n{body}\n</section>")
    return "\n".join(sections)


def html_template() -> str:
    """The page: inline CSS and JS only; its Content-Security-Policy forbids every network request."""
    from importlib.resources import files

    return files(__package__).joinpath("templates").joinpath("glossary.html").read_text(encoding="utf-8")


def to_html(
    entries: Sequence[Entry], glossary: Glossary, *, group_by: str = "category", title: str | None = None
) -> str:
    """One self-contained page: search as you type, category filters, an anchor per entry."""
    plan = _plan(entries, glossary, group_by, title)
    count = len(plan.entries)
    values = {
        "title": _h(plan.title),
        "version": html.escape(__version__),
        "summary": _h(
            f"{count} {'entry' if count == 1 else 'entries'} from {_loaded_from(glossary)}. "
            f"Exported by bpoterms {__version__}."
        ),
        "status": f"{count} {'entry' if count == 1 else 'entries'}",
        "filters": _html_filters(plan),
        "nav": _html_nav(plan),
        "groups": _html_groups(plan),
    }
    # One pass over the template: inserted glossary text is never scanned for placeholders.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], html_template())


# ---------------------------------------------------------------- dispatch and writing


def build_document(
    fmt: str, entries: Sequence[Entry], glossary: Glossary, *, group_by: str = "category", title: str | None = None
) -> str:
    """The document for one format name (see FORMATS); grouping and title apply to markdown and html."""
    if fmt == "markdown":
        return to_markdown(entries, glossary, group_by=group_by, title=title)
    if fmt == "html":
        return to_html(entries, glossary, group_by=group_by, title=title)
    if fmt == "csv":
        return to_csv(entries, glossary)
    if fmt == "anki":
        return to_anki(entries, glossary)
    if fmt == "json":
        return to_json(entries, glossary)
    raise ValueError(f"unknown export format {fmt!r} (choose from: {', '.join(FORMATS)})")


def format_for_path(path: str) -> str | None:
    """The format a file name implies (`glossary.html` → html), so `-o x.csv` never holds Markdown."""
    return _SUFFIXES.get(Path(path).suffix.lower())


def choose_format(fmt: str | None, output: str | None) -> str:
    """The format to write: `--format` if given, else the one the `-o` suffix implies, else Markdown.

    Refuses what would surprise: a `.yaml` name (bpoterms would read it back as a broken glossary),
    a suffix that names another format (`-f markdown -o x.csv`), and, without `--format`, a suffix
    that names none (`x.txt`, `x.xlsx`), instead of silently writing Markdown into it.
    """
    if output is None or output == "-":
        return fmt or "markdown"
    suffix = Path(output).suffix.lower()
    if suffix in (".yaml", ".yml"):
        raise ExportError(
            f"will not write '{output}': a {suffix} file is read as a glossary, and export writes "
            f"{', '.join(FORMATS)} (name the file for its format, e.g. .md)"
        )
    if fmt is None:
        if not suffix or suffix == ".":
            return "markdown"
        implied = format_for_path(output)
        if implied is None:
            raise ExportError(
                f"cannot tell the format from '{suffix}' in '{output}': add --format ({', '.join(FORMATS)})"
            )
        return implied
    fitting = {f for f, suffixes in _FITTING_SUFFIXES.items() if suffix in suffixes}
    if fitting and fmt not in fitting:
        raise ExportError(
            f"'{output}' ends in {suffix}, which does not fit --format {fmt} (it fits "
            f"{' or '.join(sorted(fitting))}): change the suffix or the format"
        )
    return fmt


def write_atomic(path: str, text: str, *, protect: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Write an export to `path` (see atomic.write_atomic: whole or not at all, loaded glossaries refused)."""
    from .atomic import write_atomic as write

    write(path, text, protect=protect)
