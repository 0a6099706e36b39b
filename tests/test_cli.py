"""Every command and option of the CLI, in-process with typer's CliRunner, on the real glossary."""

from __future__ import annotations

import json
import re

import pytest

from bpoterms import __version__

ESCAPE = re.compile(r"\x1b\[")
BOX = re.compile(r"[╭╮╰╯│─]")


# ---------------------------------------------------------------- define


def test_define_prints_the_entry_and_exits_0(invoke):
    result = invoke("define", "AHT")
    assert result.exit_code == 0
    assert result.stdout.startswith("Average Handle Time (AHT) [metrics]")
    assert "Formula: " in result.stdout
    assert result.stderr == ""


def test_define_plain_output_has_no_escape_codes_or_boxes_when_piped(invoke):
    result = invoke("define", "AHT", "FCR")
    assert not ESCAPE.search(result.stdout)
    assert not BOX.search(result.stdout)


def test_define_separates_entries_by_a_blank_line(invoke):
    result = invoke("define", "AHT", "FCR")
    paragraphs = result.stdout.strip().split("\n\n")
    assert [p.splitlines()[0] for p in paragraphs] == [
        "Average Handle Time (AHT) [metrics]",
        "First Call Resolution (FCR) [metrics]",
    ]


def test_define_color_always_renders_a_panel_with_colour(invoke):
    result = invoke("define", "AHT", "--color", "always")
    assert ESCAPE.search(result.stdout)
    assert "╭" in result.stdout and "Average Handle Time (AHT)" in result.stdout


def test_define_color_never_is_plain_even_with_force_color(invoke, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = invoke("define", "AHT", "--color", "never")
    assert not ESCAPE.search(result.stdout) and not BOX.search(result.stdout)


def test_define_auto_colour_follows_force_color(invoke, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ESCAPE.search(invoke("define", "AHT").stdout)


def test_define_with_sources_quotes_every_source_by_name(invoke):
    result = invoke("define", "AHT", "--sources")
    for source in ("unity", "bpo-glossary", "office-gurus", "fifty-terms"):
        assert f"    {source} (" in result.stdout


def test_define_brief_prints_one_line_per_term(invoke):
    result = invoke("define", "AHT", "NPS", "--brief")
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Average Handle Time (AHT) — ")


def test_define_json_for_one_term_is_an_object_with_the_contract_fields(invoke):
    result = invoke("define", "AHT", "--json")
    data = json.loads(result.stdout)
    assert set(data) >= {
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
        "match",
    }
    assert data["match"] == {"query": "AHT", "kind": "acronym", "score": 100.0}
    assert {"source", "title", "text"} == set(data["sources"][0])


def test_define_json_for_several_terms_is_a_list_in_order(invoke):
    data = json.loads(invoke("define", "FCR", "AHT", "--json").stdout)
    assert [d["acronym"] for d in data] == ["FCR", "AHT"]


def test_define_not_found_exits_1_with_suggestions_on_stderr(invoke):
    result = invoke("define", "ahtt")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no entry for 'ahtt'" in result.stderr
    assert "did you mean:" in result.stderr and "Average Handle Time (AHT)" in result.stderr


def test_define_not_found_json_is_the_error_object_on_stdout(invoke):
    result = invoke("define", "ahtt", "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert data["error"] == "not_found" and data["query"] == "ahtt"
    assert {"term", "acronym", "score"} == set(data["suggestions"][0])


def test_define_with_one_miss_among_several_prints_the_found_and_exits_1(invoke):
    result = invoke("define", "AHT", "zzzqqqxxx", "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert data[0]["acronym"] == "AHT" and data[1]["error"] == "not_found"


def test_define_dash_reads_terms_from_stdin(invoke):
    result = invoke("define", "-", "--brief", input="AHT\n\nFCR\n")
    assert result.exit_code == 0
    assert [line.split(" (")[0] for line in result.stdout.splitlines()] == [
        "Average Handle Time",
        "First Call Resolution",
    ]


def test_define_dash_with_json_always_gives_a_list(invoke):
    data = json.loads(invoke("define", "-", "--json", input="AHT\n").stdout)
    assert isinstance(data, list) and data[0]["acronym"] == "AHT"


@pytest.mark.parametrize("query", ["", "   "])
def test_define_an_empty_term_is_a_usage_error(query, invoke):
    result = invoke("define", query)
    assert result.exit_code == 2
    assert result.stderr.strip() == "bpoterms: error: the query is empty"


def test_define_without_terms_is_a_usage_error(invoke):
    assert invoke("define").exit_code == 2


def test_define_reports_how_a_fuzzy_match_was_made(invoke):
    data = json.loads(invoke("define", "omnichanel", "--json").stdout)
    assert data["term"] == "Omnichannel" and data["match"]["kind"] == "fuzzy"


def test_define_shows_markup_in_a_definition_literally(invoke, tmp_path):
    glossary = tmp_path / "odd.yaml"
    glossary.write_text('terms:\n  - {term: Odd, definition: "[bold red]loud[/] \\x1b[2J done"}\n', encoding="utf-8")
    result = invoke("--glossary", str(glossary), "define", "Odd", "--color", "always")
    assert "[bold red]loud[/]" in result.stdout
    assert "\x1b[2J" not in result.stdout and "\\x1b[2J" in result.stdout


# ---------------------------------------------------------------- search


def test_search_shows_score_field_and_term(invoke):
    result = invoke("search", "handle time")
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert re.match(r"\s*\d+\.\d\s+(term|alias)\s+Average Handle Time \(AHT\) — ", first)


def test_search_json_is_a_ranked_list_with_the_contract_fields(invoke):
    data = json.loads(invoke("search", "queue", "--json").stdout)
    assert set(data[0]) == {"term", "acronym", "category", "score", "matched_field", "definition"}
    assert [d["score"] for d in data] == sorted((d["score"] for d in data), reverse=True)


def test_search_limit_caps_the_results(invoke):
    assert len(json.loads(invoke("search", "call", "--limit", "3", "--json").stdout)) == 3


def test_search_category_filters(invoke):
    data = json.loads(invoke("search", "time", "--category", "workforce", "--json").stdout)
    assert data and {d["category"] for d in data} == {"workforce"}


def test_search_unknown_category_is_a_usage_error(invoke):
    result = invoke("search", "time", "--category", "nope")
    assert result.exit_code == 2
    assert "unknown category 'nope'" in result.stderr


@pytest.mark.parametrize("strategy", ["exact", "prefix", "substring", "word", "regex", "fuzzy"])
def test_search_accepts_every_match_strategy(strategy, invoke):
    result = invoke("search", "erlang", "--match", strategy, "--json")
    assert result.exit_code == 0
    assert any(d["term"].startswith("Erlang") for d in json.loads(result.stdout))


def test_search_bad_regex_is_a_clean_usage_error(invoke):
    result = invoke("search", "([", "--match", "regex")
    assert result.exit_code == 2
    assert result.stderr.startswith("bpoterms: error: invalid regular expression")


def test_search_with_no_result_exits_1(invoke):
    result = invoke("search", "zzzqqqxxx")
    assert result.exit_code == 1
    assert "nothing matches" in result.stderr


def test_search_unknown_match_strategy_is_a_usage_error(invoke):
    assert invoke("search", "x", "--match", "soundex").exit_code == 2


# ---------------------------------------------------------------- list, random


def test_list_is_alphabetical_one_entry_per_line(invoke):
    lines = invoke("list").stdout.splitlines()
    terms = [line.split("\t")[0] for line in lines]
    assert terms == sorted(terms, key=str.casefold)
    assert "Average Handle Time\tAHT\tmetrics" in lines


def test_list_filters_by_category(invoke):
    lines = invoke("list", "--category", "compliance").stdout.splitlines()
    assert lines and all(line.endswith("\tcompliance") for line in lines)


def test_list_filters_by_source(invoke):
    data = json.loads(invoke("list", "--source", "terms-defined", "--json").stdout)
    assert data and all("terms-defined" in {s["source"] for s in d["sources"]} for d in data)


def test_list_unknown_source_is_a_usage_error(invoke):
    result = invoke("list", "--source", "nope")
    assert result.exit_code == 2 and "unknown source 'nope'" in result.stderr


def test_list_json_is_a_list_of_entry_objects(invoke):
    data = json.loads(invoke("list", "--json").stdout)
    assert len(data) > 200 and "definition" in data[0]


def test_list_no_pager_option_is_accepted(invoke):
    assert invoke("list", "--no-pager", "--color", "always").exit_code == 0


def test_random_with_a_seed_is_reproducible(invoke):
    first = invoke("random", "--seed", "7", "--json").stdout
    assert first == invoke("random", "--seed", "7", "--json").stdout
    assert json.loads(first)["term"]


def test_random_respects_the_category(invoke):
    for seed in range(5):
        data = json.loads(invoke("random", "--category", "metrics", "--seed", str(seed), "--json").stdout)
        assert data["category"] == "metrics"


def test_random_brief_is_one_line(invoke):
    assert len(invoke("random", "--brief", "--seed", "1").stdout.splitlines()) == 1


# ---------------------------------------------------------------- sources, categories


def test_sources_counts_entries_per_source(invoke):
    data = json.loads(invoke("sources", "--json").stdout)
    counts = {s["id"]: s["entries"] for s in data["sources"]}
    assert set(counts) == {"unity", "bpo-glossary", "office-gurus", "fifty-terms", "terms-defined", "bpoterms"}
    assert all(n > 0 for n in counts.values())
    assert data["files"][0] == {
        "path": "built-in",
        "entries": sum(1 for _ in json.loads(invoke("list", "--json").stdout)),
        "precedence": 0,
        "builtin": True,
    }


def test_sources_table_names_publishers(invoke):
    assert "Unity Communications" in invoke("sources").stdout


def test_categories_lists_every_category_with_counts(invoke):
    data = json.loads(invoke("categories", "--json").stdout)
    assert len(data) == 12 and all(c["entries"] > 0 for c in data)
    assert "metrics\t" in invoke("categories").stdout


# ---------------------------------------------------------------- global


def test_version_prints_the_package_version(invoke):
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"bpoterms {__version__}"


@pytest.mark.parametrize("command", ["define", "search", "list", "random", "sources", "categories", "validate"])
def test_every_command_has_help_with_an_example(command, invoke):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and f"bpoterms {command}" in result.stdout


def test_no_arguments_shows_help(invoke):
    result = invoke()
    assert "define" in result.output and "search" in result.output


def test_an_unknown_command_is_a_usage_error(invoke):
    assert invoke("defnie", "AHT").exit_code == 2


def test_shell_completion_offers_terms_and_acronyms():
    from bpoterms.cli import _complete_term

    offered = list(_complete_term(None, "AH"))  # type: ignore[arg-type]
    assert "AHT" in offered
    assert "Average Handle Time" in list(_complete_term(None, "average h"))  # type: ignore[arg-type]


@pytest.mark.parametrize("width", [80, 40])
def test_define_panels_fit_the_terminal_width(width, invoke, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(width))
    result = invoke("define", "AHT", "--sources", "--color", "always")
    plain_lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in result.stdout.splitlines()]
    assert plain_lines and max(len(line) for line in plain_lines) <= width
    assert plain_lines[0].startswith("╭") and plain_lines[-1].startswith("╰")


def test_completion_is_case_insensitive_and_quotes_multi_word_names_for_bash(monkeypatch):
    from bpoterms.cli import _complete_term

    monkeypatch.setenv("_BPOTERMS_COMPLETE", "complete_bash")
    assert "'Warm Transfer'" in list(_complete_term(None, "war"))  # type: ignore[arg-type]
    monkeypatch.setenv("_BPOTERMS_COMPLETE", "complete_zsh")
    assert "Warm Transfer" in list(_complete_term(None, "WAR"))  # type: ignore[arg-type]
