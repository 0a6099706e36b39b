"""`bpoterms export`: each format from the real glossary, read back the way its users' tools read it."""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from bpoterms import load
from bpoterms.export import ANKI_HEADER, CSV_COLUMNS, anchor_ids, category_label, slug
from bpoterms.model import Entry

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def glossary():
    return load()


@pytest.fixture
def tricky_glossary(tmp_path: Path) -> Path:
    """A user glossary whose text is full of markup, separators and spreadsheet formulas."""
    path = tmp_path / "tricky.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            terms:
              - term: Script Test
                acronym: XSS
                category: quality
                definition: >-
                  Beware <script>alert(1)</script> & <b>bold</b>, *stars*,
                  [a link](http://example.com) | pipe.
                formula: "=1+1"
              - term: Quoted, Multi-line
                aliases: ["Alias, With Comma", "Another"]
                see_also: [Script Test, Average Handle Time]
                definition: |-
                  First line with "double quotes", commas; and semicolons.

                  # Second paragraph, which starts like a heading.
            """
        ),
        encoding="utf-8",
    )
    return path


def run_ok(invoke, *args: str) -> str:
    """The whole command line (global options first); stdout of a successful run."""
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def export(invoke, *args: str) -> str:
    return run_ok(invoke, "export", *args)


@pytest.fixture(scope="module")
def made_in_this_module() -> dict[object, Any]:
    return {}


@pytest.fixture
def builtin_export(invoke, made_in_this_module):
    """`export(invoke, *args)` for the tests that only read an export of the built-in glossary: the real
    command runs in the first such test's folders, and the other tests of this module read its output
    (a full export takes a tenth of a second or more, the same every time)."""

    def export_of(*args: str) -> str:
        if args not in made_in_this_module:
            made_in_this_module[args] = export(invoke, *args)
        return made_in_this_module[args]

    return export_of


def section(markdown: str, anchor: str) -> str:
    """One entry's Markdown, from its heading to the next heading."""
    match = re.search(rf'^### <a id="{re.escape(anchor)}"></a>.*?(?=^##)', markdown, re.S | re.M)
    assert match, anchor
    return match.group()


# ---------------------------------------------------------------- anchors


def test_slugs_follow_the_words_define_matches():
    assert slug("Average Handle Time") == "average-handle-time"
    assert slug("T&M") == "t-and-m"
    assert slug("Café  Agent!") == "cafe-agent"
    assert slug("???") == "entry"


def test_anchor_ids_use_the_acronym_else_the_term_and_are_made_unique():
    entries = [Entry("Average Handle Time", "x", acronym="AHT"), Entry("AHT", "y"), Entry("Contents", "z")]
    assert anchor_ids(entries) == ["aht", "aht-2", "contents-2"]


# ---------------------------------------------------------------- markdown


def test_markdown_has_a_title_contents_and_a_section_per_category_in_glossary_order(builtin_export, glossary):
    markdown = builtin_export("--format", "markdown")
    assert markdown.startswith("# BPO and contact-center glossary\n")
    sections = re.findall(r'^## <a id="category-[^"]+"></a>(.+)$', markdown, re.M)
    used = {e.category for e in glossary.entries}
    assert sections == [category_label(c) for c in glossary.categories if c in used]
    for category in used:
        assert f"(#category-{category})" in markdown


def test_markdown_gives_every_entry_a_heading_with_an_anchor(builtin_export, glossary):
    markdown = builtin_export("--format", "markdown")
    headings = re.findall(r'^### <a id="([^"]+)"></a>(.+)$', markdown, re.M)
    assert len(headings) == len(glossary.entries)
    assert ("aht", "Average Handle Time (AHT)") in headings
    assert ("abandoned-call", "Abandoned Call") in headings
    assert ("t-and-m", "Time and Materials Model (T&M)") in headings


def test_markdown_anchor_ids_are_unique(builtin_export):
    ids = re.findall(r'<a id="([^"]+)"></a>', builtin_export("--format", "markdown"))
    assert len(ids) == len(set(ids))


def test_markdown_links_all_lead_to_anchors_in_the_document(builtin_export):
    markdown = builtin_export("--format", "markdown")
    ids = set(re.findall(r'<a id="([^"]+)"></a>', markdown))
    targets = re.findall(r"\]\(#([^)]+)\)", markdown)
    assert len(targets) > 1000
    assert set(targets) <= ids


def test_markdown_see_also_links_to_the_related_entry(builtin_export):
    aht = section(builtin_export("--format", "markdown"), "aht")
    assert "- **See also:** [Talk Time](#talk-time), " in aht
    assert "[First Call Resolution](#fcr)" in aht


def test_markdown_shows_the_formula_as_code(builtin_export):
    aht = section(builtin_export("--format", "markdown"), "aht")
    assert (
        "- **Formula:** `(total talk time + total hold time + total after-call work time) / interactions handled`"
        in aht
    )


def test_markdown_attributes_each_quote_to_its_source_title(builtin_export):
    aht = section(builtin_export("--format", "markdown"), "aht")
    assert "  - *80 Essential Jargon to Help You Understand BPO*, Unity Communications: “AHT measures" in aht
    assert aht.count("\n  - *") == 4


def test_markdown_lists_every_acronym_in_a_table_linked_to_its_entry(builtin_export, glossary):
    markdown = builtin_export("--format", "markdown")
    table = markdown.split('## <a id="acronyms"></a>Acronyms', 1)[1]
    rows = re.findall(r"^\| \[(.+?)\]\(#(.+?)\) \| (.+?) \|$", table, re.M)
    assert len(rows) == sum(1 for e in glossary.entries if e.acronym)
    assert ("AHT", "aht", "Average Handle Time") in rows


def test_markdown_grouped_alphabetically_has_letter_sections_in_order(invoke, glossary):
    markdown = export(invoke, "--format", "markdown", "--group-by", "alpha")
    letters = re.findall(r'^## <a id="letter-[^"]+"></a>(.+)$', markdown, re.M)
    assert letters == sorted(letters) and letters[:2] in (["A", "B"], ["#", "A"])  # `#`: terms starting with a digit
    assert len(re.findall(r"^### ", markdown, re.M)) == len(glossary.entries)
    assert "- **Category:** Metrics" in section(markdown, "aht")
    assert section(markdown, "aht") in markdown.split('<a id="letter-a"></a>A', 1)[1].split("\n## ", 1)[0]


def test_markdown_renders_as_commonmark_with_its_anchors_and_links(builtin_export, glossary):
    rendered = MarkdownIt("commonmark").enable("table").render(builtin_export("--format", "markdown"))
    assert rendered.count("<h3>") == len(glossary.entries)
    assert '<h3><a id="aht"></a>Average Handle Time (AHT)</h3>' in rendered
    assert '<a href="#fcr">First Call Resolution</a>' in rendered
    assert (
        "<code>(total talk time + total hold time + total after-call work time) / interactions handled</code>"
        in rendered
    )
    assert rendered.count("<table>") == 1


def test_markdown_shows_markup_in_glossary_text_literally(invoke, tricky_glossary):
    markdown = run_ok(invoke, "--glossary", str(tricky_glossary), "export", "--format", "markdown")
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
    assert f"<p>Beware {escaped}, *stars*, [a link](http://example.com) | pipe.</p>" in rendered
    assert "<script" not in rendered
    assert "<em>stars</em>" not in rendered and 'href="http://example.com"' not in rendered
    assert rendered.count("<h1>") == 1
    assert "<p># Second paragraph, which starts like a heading.</p>" in rendered


def test_markdown_links_see_also_only_to_entries_in_the_export(invoke):
    aht = section(export(invoke, "--format", "markdown", "--category", "metrics"), "aht")
    assert "[Talk Time](#talk-time)" in aht
    assert ", Workforce Management, " in aht  # a workforce entry: not exported, so not a dead link


# ---------------------------------------------------------------- CSV


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
        return list(reader)


def test_csv_parses_back_to_one_row_per_entry_under_a_header(invoke, tmp_path, glossary):
    out = tmp_path / "glossary.csv"
    export(invoke, "--format", "csv", "-o", str(out))
    rows = read_csv(out)
    assert [r["term"] for r in rows] == [e.term for e in glossary.entries]
    assert [r["definition"] for r in rows] == [e.definition for e in glossary.entries]


def test_csv_holds_every_field_with_lists_joined_by_semicolons(invoke, tmp_path, glossary):
    out = tmp_path / "glossary.csv"
    export(invoke, "--format", "csv", "-o", str(out))
    row = next(r for r in read_csv(out) if r["acronym"] == "AHT")
    aht = glossary.get("AHT")
    assert row == {
        "term": "Average Handle Time",
        "acronym": "AHT",
        "aliases": "; ".join(aht.aliases),
        "category": "metrics",
        "definition": aht.definition,
        "formula": aht.formula,
        "see_also": "; ".join(aht.see_also),
        "confused_with": "; ".join(aht.confused_with),
        "notes": aht.notes,
        "sources": "; ".join(dict.fromkeys(q.source for q in aht.sources)),
        "quotes": "\n".join(f"{q.source}: {q.text}" for q in aht.sources),
        "origin": "built-in",
        "region": "",
        "direction": aht.direction or "",
        "example": aht.example.text if aht.example else "",
        "variants": "\n".join(f"{v.name}: {v.formula} ({v.used_by})" for v in aht.variants),
    }
    assert "; " in row["aliases"] and "; " in row["see_also"]


def test_csv_quotes_commas_double_quotes_and_newlines(invoke, tmp_path, tricky_glossary):
    out = tmp_path / "glossary.csv"
    run_ok(invoke, "--glossary", str(tricky_glossary), "export", "--format", "csv", "-o", str(out))
    row = next(r for r in read_csv(out) if r["term"] == "Quoted, Multi-line")
    assert row["definition"] == (
        'First line with "double quotes", commas; and semicolons.\n\n# Second paragraph, which starts like a heading.'
    )
    assert row["aliases"] == "Alias, With Comma; Another"
    assert row["origin"] == str(tricky_glossary)


def test_csv_is_utf8_with_a_byte_order_mark_and_crlf_rows(invoke, tmp_path):
    out = tmp_path / "glossary.csv"
    export(invoke, "--format", "csv", "-o", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfterm,acronym,")
    assert raw.split(b"\n", 1)[0].endswith(b"\r")
    assert "calls offered × 100".encode() in raw


def test_csv_cells_that_would_run_as_spreadsheet_formulas_are_shown_as_text(invoke, tmp_path, tricky_glossary):
    out = tmp_path / "glossary.csv"
    run_ok(invoke, "--glossary", str(tricky_glossary), "export", "--format", "csv", "-o", str(out))
    row = next(r for r in read_csv(out) if r["acronym"] == "XSS")
    assert row["formula"] == "'=1+1"


# ---------------------------------------------------------------- Anki


def anki_notes(text: str) -> list[list[str]]:
    lines = text.splitlines()
    assert tuple(lines[: len(ANKI_HEADER)]) == ANKI_HEADER
    return [line.split("\t") for line in lines[len(ANKI_HEADER) :]]


def test_anki_file_starts_with_the_headers_anki_reads(builtin_export):
    lines = builtin_export("--format", "anki").splitlines()
    assert lines[:6] == [
        "#separator:tab",
        "#html:true",
        "#notetype:Basic",
        "#columns:Front\tBack\tTags\tGUID",
        "#tags column:3",
        "#guid column:4",
    ]


def test_anki_has_one_note_per_entry_in_four_columns(builtin_export, glossary):
    notes = anki_notes(builtin_export("--format", "anki"))
    assert len(notes) == len(glossary.entries)
    assert all(len(note) == 4 for note in notes)
    assert not any(note[0].startswith("#") for note in notes)  # Anki would skip it as a comment
    assert not any('"' in field for note in notes for field in note)  # Anki would read CSV quoting


def test_anki_front_is_term_and_acronym_back_is_definition_and_formula(builtin_export, glossary):
    notes = anki_notes(builtin_export("--format", "anki"))
    front, back, tags, _guid = next(n for n in notes if n[3] == "bpoterms-aht")
    assert front == "Average Handle Time (AHT)"
    formula = "(total talk time + total hold time + total after-call work time) / interactions handled"
    aht = glossary.get("AHT")
    assert back.startswith(f"{aht.definition}<br><br><b>Formula:</b> {formula}<br>")
    assert f"<br><b>Example:</b> {aht.example.text}" in back
    assert "<br><b>Better:</b> within a target band" in back
    assert tags == "bpoterms::metrics"


def test_anki_guids_are_unique(builtin_export, glossary):
    guids = [note[3] for note in anki_notes(builtin_export("--format", "anki"))]
    assert len(set(guids)) == len(glossary.entries)


def test_anki_escapes_html_and_keeps_each_note_on_one_line(invoke, tricky_glossary):
    notes = anki_notes(run_ok(invoke, "--glossary", str(tricky_glossary), "export", "--format", "anki"))
    script = next(n for n in notes if n[0] == "Script Test (XSS)")
    assert script[1].startswith("Beware &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;")
    quoted = next(n for n in notes if n[0] == "Quoted, Multi-line")
    assert quoted[1] == (
        "First line with &quot;double quotes&quot;, commas; and semicolons.<br><br>"
        "# Second paragraph, which starts like a heading."
    )
    assert quoted[2] == "bpoterms::uncategorized"


# ---------------------------------------------------------------- JSON


def test_json_export_is_exactly_list_json(invoke):
    assert export(invoke, "--format", "json") == invoke("list", "--json").stdout


def test_json_export_with_filters_is_exactly_list_json_with_the_same_filters(invoke):
    exported = export(invoke, "--format", "json", "--category", "metrics", "--source", "unity")
    assert exported == invoke("list", "--category", "metrics", "--source", "unity", "--json").stdout
    assert {e["category"] for e in json.loads(exported)} == {"metrics"}


# ---------------------------------------------------------------- HTML


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of each element id'd by `text_of`."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.tags if a.get("id")]


@pytest.fixture
def builtin_html(builtin_export, made_in_this_module) -> tuple[str, Page]:
    """The HTML export of the built-in glossary and the page parsed from it (a megabyte: parsed once)."""
    text = builtin_export("--format", "html")
    if "parsed html" not in made_in_this_module:
        made_in_this_module["parsed html"] = Page(text)
    return text, made_in_this_module["parsed html"]


def test_html_is_one_self_contained_page_that_forbids_network_requests(builtin_html):
    text, page = builtin_html
    assert not page.all("link") and not page.all("iframe") and not page.all("img")
    assert not [a for _, a in page.tags if "src" in a]
    assert "url(" not in text and "@import" not in text
    csp = page.all("meta", http_equiv="Content-Security-Policy")
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")


def test_html_declares_language_charset_and_a_phone_viewport(builtin_html):
    _text, page = builtin_html
    assert page.all("html", lang="en")
    assert page.all("meta", charset="utf-8")
    assert page.all("meta", name="viewport", content="width=device-width, initial-scale=1")


def test_html_search_box_has_a_label(builtin_html):
    _text, page = builtin_html
    (box,) = page.all("input", type="search")
    assert page.all("label", for_=box["id"])


def test_html_has_a_labelled_filter_per_exported_category(builtin_html, glossary):
    _text, page = builtin_html
    radios = page.all("input", type="radio", name="bt-category")
    used = {e.category for e in glossary.entries}
    assert [r["value"] for r in radios] == ["", *[c for c in glossary.categories if c in used]]
    assert all(page.all("label", for_=r["id"]) for r in radios)


def test_html_gives_every_entry_an_anchor_from_its_acronym_or_term(builtin_html, glossary):
    _text, page = builtin_html
    articles = page.all("article")
    assert len(articles) == len(glossary.entries)
    ids = [a["id"] for a in articles]
    assert "aht" in ids and "abandoned-call" in ids and "t-and-m" in ids
    assert len(page.ids()) == len(set(page.ids()))


def test_html_links_all_lead_to_ids_in_the_page(builtin_html):
    _text, page = builtin_html
    targets = [a["href"][1:] for a in page.all("a") if (a.get("href") or "").startswith("#")]
    assert len(targets) > 1000
    assert set(targets) <= set(page.ids())


def test_html_escapes_markup_in_glossary_text(invoke, tricky_glossary):
    text = run_ok(invoke, "--glossary", str(tricky_glossary), "export", "--format", "html")
    assert SCRIPT not in text and "<b>bold" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in text
    page = Page(text)
    assert len(page.all("script")) == 2  # the page's own two, nothing from the glossary
    assert "Beware <script>alert(1)</script> & <b>bold</b>, *stars*" in "".join(page.text)


def test_html_grouped_alphabetically_has_letter_sections_and_a_letter_index(invoke):
    page = Page(export(invoke, "--format", "html", "--group-by", "alpha"))
    sections = [a["id"] for a in page.all("section")]
    assert "letter-a" in sections[:2] and all(s.startswith("letter-") for s in sections)
    nav_links = [a["href"] for a in page.all("a") if (a.get("href") or "").startswith("#letter-")]
    assert nav_links == [f"#{s}" for s in sections]


def test_html_title_option_names_the_page(invoke):
    text = export(invoke, "--format", "html", "--title", "Team <Alpha> glossary")
    assert "<title>Team &lt;Alpha&gt; glossary</title>" in text
    assert "<h1>Team &lt;Alpha&gt; glossary</h1>" in text


# ---------------------------------------------------------------- output file


def test_output_file_holds_what_stdout_would(invoke, tmp_path):
    out = tmp_path / "GLOSSARY.md"
    result = invoke("export", "--format", "markdown", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == export(invoke, "--format", "markdown")


def test_output_reports_what_it_wrote_on_stderr(invoke, tmp_path, glossary):
    out = tmp_path / "glossary.html"
    result = invoke("export", "--output", str(out))
    assert result.stderr == f"bpoterms: wrote {len(glossary.entries)} entries (html) to {out}\n"


def test_output_leaves_no_temporary_files(invoke, tmp_path):
    for fmt in ("markdown", "csv", "anki", "json", "html"):
        export(invoke, "--format", fmt, "-o", str(tmp_path / f"glossary.{fmt}"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"glossary.{f}" for f in ("anki", "csv", "html", "json", "markdown")
    )


def test_output_replaces_an_existing_file(invoke, tmp_path, glossary):
    out = tmp_path / "glossary.json"
    out.write_text("old and much longer content " * 100_000, encoding="utf-8")
    export(invoke, "--format", "json", "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))[0]["term"] == glossary.entries[0].term


def test_output_keeps_an_existing_files_permissions(invoke, tmp_path):
    out = tmp_path / "glossary.md"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    export(invoke, "-o", str(out))
    assert out.stat().st_mode & 0o777 == 0o640


def test_output_creates_a_new_file_with_the_umask_permissions_not_private_ones(invoke, tmp_path):
    previous = os.umask(0o022)
    try:
        export(invoke, "-o", str(tmp_path / "glossary.md"))
    finally:
        os.umask(previous)
    assert (tmp_path / "glossary.md").stat().st_mode & 0o777 == 0o644


def test_output_into_a_missing_folder_is_one_line_exit_2_and_creates_nothing(invoke, tmp_path):
    result = invoke("export", "-o", str(tmp_path / "missing" / "glossary.md"))
    assert result.exit_code == 2
    missing = tmp_path / "missing"
    target = missing / "glossary.md"
    assert result.stderr == f"bpoterms: error: cannot write '{target}': folder '{missing}' does not exist\n"
    assert list(tmp_path.iterdir()) == []


def test_output_into_an_unwritable_folder_is_one_line_exit_2_and_leaves_nothing(invoke, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("this user (root?) can write to a read-only folder")
        result = invoke("export", "-o", str(folder / "glossary.md"))
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and "permission denied" in result.stderr
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_output_into_a_folder_that_refuses_new_files_is_one_line_exit_2(invoke, tmp_path, monkeypatch):
    """What an unwritable folder does to a non-root user, made to happen for root too."""

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "glossary.md"
    result = invoke("export", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"bpoterms: error: cannot write '{out}': permission denied\n"
    assert list(tmp_path.iterdir()) == []


def test_output_that_fails_while_replacing_keeps_the_old_file_and_no_temporary(invoke, tmp_path, monkeypatch):
    out = tmp_path / "glossary.md"
    out.write_text("previous export\n", encoding="utf-8")

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    result = invoke("export", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"bpoterms: error: cannot write '{out}': no space left on device\n"
    assert [p.name for p in tmp_path.iterdir()] == ["glossary.md"]
    assert out.read_text(encoding="utf-8") == "previous export\n"


def test_output_to_a_folder_is_an_error(invoke, tmp_path):
    result = invoke("export", "-o", str(tmp_path))
    assert result.exit_code == 2 and "it is a folder" in result.stderr


def test_format_follows_the_output_suffix_when_not_given(invoke, tmp_path):
    export(invoke, "-o", str(tmp_path / "g.html"))
    export(invoke, "-o", str(tmp_path / "g.csv"))
    assert (tmp_path / "g.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert (tmp_path / "g.csv").read_text(encoding="utf-8-sig").startswith("term,acronym,")


def test_format_defaults_to_markdown(invoke):
    assert export(invoke).startswith("# BPO and contact-center glossary\n")


def test_unknown_format_is_a_usage_error(invoke):
    result = invoke("export", "--format", "docx")
    assert result.exit_code == 2


# ---------------------------------------------------------------- what gets exported


def test_export_of_a_user_glossary_adds_its_entries_and_overrides_built_in_ones(
    invoke, tmp_path, team_glossary, glossary
):
    out = tmp_path / "team.csv"
    run_ok(invoke, "--glossary", str(team_glossary), "export", "--format", "csv", "-o", str(out))
    rows = {r["term"]: r for r in read_csv(out)}
    assert len(rows) == len(glossary.entries) + 1  # Work Queue added; Average Handle Time replaced
    assert rows["Work Queue"]["origin"] == str(team_glossary)
    assert rows["Average Handle Time"]["definition"].startswith("On our account, talk plus hold time only")


def test_export_of_a_user_glossary_alone(invoke, team_glossary):
    markdown = run_ok(invoke, "--no-builtin", "--glossary", str(team_glossary), "export")
    headings = re.findall(r'^### <a id="([^"]+)"></a>(.+)$', markdown, re.M)
    assert headings == [("aht", "Average Handle Time (AHT)"), ("wq", "Work Queue (WQ)")]
    assert "- **From:** " + str(team_glossary).replace("_", "\\_") in markdown  # escaped, renders as the path


def test_category_filter_exports_only_that_category(invoke, tmp_path):
    out = tmp_path / "metrics.csv"
    export(invoke, "--format", "csv", "--category", "metrics", "-o", str(out))
    rows = read_csv(out)
    assert {r["category"] for r in rows} == {"metrics"}
    assert len(rows) == len(json.loads(invoke("list", "--category", "metrics", "--json").stdout))


def test_source_filter_exports_only_entries_quoting_that_source(invoke):
    notes = anki_notes(export(invoke, "--format", "anki", "--source", "office-gurus"))
    assert len(notes) == len(json.loads(invoke("list", "--source", "office-gurus", "--json").stdout))


def test_unknown_category_is_a_usage_error(invoke):
    result = invoke("export", "--category", "nonsense")
    assert result.exit_code == 2 and result.stderr.startswith("bpoterms: error: unknown category 'nonsense'")


def test_filters_that_match_nothing_exit_1_and_write_nothing(invoke, tmp_path):
    out = tmp_path / "empty.md"
    result = invoke("export", "--category", "compliance", "--source", "unity", "-o", str(out))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert not out.exists()
