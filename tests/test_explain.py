"""`bpoterms explain`: which glossary terms a text uses, measured on an annotated corpus, rule by rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bpoterms.explain import explain
from bpoterms.glossary import GlossarySpec, load
from bpoterms.plain import explain_annotated_text as annotated_text

from .conftest import DATA, REPO

CORPUS = DATA / "explain"
CORPUS_TEXTS = sorted(p.stem for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def entries():
    return load(GlossarySpec((), include_builtin=True)).entries


def hits(text: str, entries) -> list[tuple[str, str]]:
    """(term, text as written) for every occurrence, in text order."""
    result = explain(text, entries)
    return [(entry.term, occurrence.text) for occurrence, entry in result.hits()]


def unknown(text: str, entries) -> list[str]:
    return [u.acronym for u in explain(text, entries).unknown_acronyms]


# ---------------------------------------------------------------- the annotated corpus


def expected(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))


def corpus_text(name: str) -> str:
    return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")


def expected_hits(name: str) -> set[tuple[str, int, int, str]]:
    return {(t["term"], o["start"], o["end"], o["text"]) for t in expected(name)["terms"] for o in t["occurrences"]}


def found_hits(name: str, entries) -> set[tuple[str, int, int, str]]:
    result = explain(corpus_text(name), entries)
    return {(t.entry.term, o.start, o.end, o.text) for t in result.terms for o in t.occurrences}


def test_the_corpus_has_a_client_email_an_sla_a_qa_report_and_a_kpi_summary():
    assert {"client_email", "sla_excerpt", "qa_report", "weekly_kpi_summary"} <= set(CORPUS_TEXTS)
    for name in CORPUS_TEXTS:
        assert (CORPUS / f"{name}.expected.json").is_file(), name


@pytest.mark.parametrize("name", CORPUS_TEXTS)
def test_corpus_annotations_point_at_the_text_they_quote(name):
    text = corpus_text(name)
    for term in expected(name)["terms"]:
        for occurrence in term["occurrences"]:
            assert text[occurrence["start"] : occurrence["end"]] == occurrence["text"], (term["term"], occurrence)


@pytest.mark.parametrize("name", CORPUS_TEXTS)
def test_recall_every_expected_hit_is_found(name, entries):
    want, got = expected_hits(name), found_hits(name, entries)
    missing = sorted(want - got, key=lambda hit: hit[1])
    recall = len(want & got) / len(want)
    assert not missing, f"recall {recall:.3f}; missing: {missing}"


@pytest.mark.parametrize("name", CORPUS_TEXTS)
def test_precision_nothing_else_is_found(name, entries):
    want, got = expected_hits(name), found_hits(name, entries)
    extra = sorted(got - want, key=lambda hit: hit[1])
    precision = len(want & got) / len(got) if got else 1.0
    assert not extra, f"precision {precision:.3f}; not expected: {extra}"


@pytest.mark.parametrize("name", CORPUS_TEXTS)
def test_unknown_acronyms_are_exactly_the_expected_ones(name, entries):
    assert unknown(corpus_text(name), entries) == expected(name)["unknown_acronyms"]


@pytest.mark.parametrize("name", CORPUS_TEXTS)
def test_terms_come_in_order_of_first_appearance(name, entries):
    result = explain(corpus_text(name), entries)
    assert [t.entry.term for t in result.terms] == [t["term"] for t in expected(name)["terms"]]


# ---------------------------------------------------------------- matching rules


def test_only_whole_words_match(entries):
    assert hits("SLAB, AHTX, xFCR and WFM2 are no jargon", entries) == []


def test_the_longest_name_wins(entries):
    assert hits("first call resolution", entries) == [("First Call Resolution", "first call resolution")]
    assert hits("Call Center Outsourcing", entries) == [("Contact Center Outsourcing", "Call Center Outsourcing")]
    assert hits("Average Handle Time", entries) == [("Average Handle Time", "Average Handle Time")]


def test_plurals_and_possessives_match(entries):
    found = hits("KPIs, the SLA's terms, SLAs, abandoned calls and Service Level Agreements", entries)
    assert found == [
        ("Key Performance Indicator", "KPIs"),
        ("Service Level Agreement", "SLA's"),
        ("Service Level Agreement", "SLAs"),
        ("Abandoned Call", "abandoned calls"),
        ("Service Level Agreement", "Service Level Agreements"),
    ]


def test_multi_word_names_and_aliases_match_in_any_case(entries):
    found = hits("AVERAGE HANDLE TIME, average handling time, Average Handle Time", entries)
    assert [term for term, _ in found] == ["Average Handle Time"] * 3


@pytest.mark.parametrize("acronym", ["AR", "AP", "FP", "TL", "CES", "AOV", "AHT"])
def test_acronyms_that_are_also_words_match_only_in_capitals(acronym, entries):
    assert hits(f"we saw {acronym.lower()} and {acronym.title()} today", entries) == []
    assert len(hits(f"we saw {acronym} today", entries)) == 1


def test_an_acronym_inside_a_longer_name_must_be_in_capitals_too(entries):
    assert hits("we need it support", entries) == []
    assert hits("we need IT support", entries) == [("IT Support", "IT support")]


def test_mixed_case_acronyms_match_only_as_written(entries):
    assert hits("CCaaS", entries) == [("Contact Center as a Service", "CCaaS")]
    assert hits("ccaas or CCAAS", entries) == []


def test_acronyms_with_an_ampersand_match_only_in_capitals(entries):
    assert hits("F&A and T&M", entries) == [
        ("Finance and Accounting Outsourcing", "F&A"),
        ("Time and Materials Model", "T&M"),
    ]
    assert hits("f&a and t&m", entries) == []


@pytest.mark.parametrize(
    "text",
    [
        "after-call work",
        "after call work",
        "After-Call Work",
        "after-\ncall work",
        "after\ncall work",
        "after-call\r\nwork",
    ],
)
def test_hyphen_and_line_break_variants_match(text, entries):
    assert hits(text, entries) == [("After-Call Work", text)]


def test_a_name_broken_across_lines_matches_as_written(entries):
    assert hits("our first-call\nresolution fell", entries) == [("First Call Resolution", "first-call\nresolution")]


def test_a_blank_line_never_joins_two_words(entries):
    assert hits("talk\n\ntime", entries) == []


def test_other_punctuation_between_words_breaks_a_name(entries):
    assert hits("talk, time and talk. Time", entries) == []


def test_ordinary_words_do_not_match_in_lower_case(entries):
    assert hits("the client and the agent were away, busy or offline; escalation and payroll", entries) == []


def test_ordinary_words_match_when_capitalised_mid_sentence(entries):
    assert hits("approved by the Client and each Agent", entries) == [("Client", "Client"), ("Agent", "Agent")]


@pytest.mark.parametrize(
    "text", ["Client approved it.", "Done. Client approved it.", "- Client approved it", '"Client" said']
)
def test_ordinary_words_do_not_match_at_the_start_of_a_sentence_or_line(text, entries):
    assert hits(text, entries) == []


def test_ordinary_words_match_through_their_longer_names(entries):
    assert hits("a supervisor escalation", entries) == [("Escalation", "supervisor escalation")]


def test_offsets_are_character_offsets_into_the_input(entries):
    text = "Café naïveté — our AHT rose"
    [occurrence] = explain(text, entries).terms[0].occurrences
    assert (occurrence.start, occurrence.end) == (19, 22)
    assert text[occurrence.start : occurrence.end] == "AHT"


def test_a_text_whose_lower_case_has_another_length_is_matched_too(entries):
    text = "İstanbul team: AHT up"  # "İ".lower() is two characters
    [occurrence] = explain(text, entries).terms[0].occurrences
    assert text[occurrence.start : occurrence.end] == "AHT"


def test_single_word_names_of_a_user_glossary_match_in_any_case_unless_ordinary(invoke, tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text(
        "terms:\n"
        "  - {term: Huddle, definition: A short team meeting before a shift.}\n"
        "  - {term: Client, definition: Our customer company.}\n",
        encoding="utf-8",
    )
    result = invoke("--no-builtin", "--glossary", str(path), "explain", "--text", "the huddle and the client", "--json")
    assert [t["term"] for t in json.loads(result.stdout)["terms"]] == ["Huddle"]


def test_each_term_lists_every_occurrence(entries):
    result = explain("AHT, then FCR, then AHT again", entries)
    assert [(t.entry.term, len(t.occurrences)) for t in result.terms] == [
        ("Average Handle Time", 2),
        ("First Call Resolution", 1),
    ]


# ---------------------------------------------------------------- unknown acronyms


def test_unknown_acronyms_are_capital_words_of_two_to_six_letters(entries):
    assert unknown("The CTO, the ABCDEFG, the X and the Q3 plan", entries) == ["CTO"]


def test_unknown_acronyms_skip_the_stop_list(entries):
    assert unknown("OK, I will call at 3 PM US time, FYI", entries) == []


def test_unknown_acronyms_skip_glossary_names_and_their_words(entries):
    assert unknown("AHT and FCR went to IT", entries) == []


def test_an_unknown_acronym_in_plural_or_possessive_counts_once(entries):
    [found] = explain("the CTOs and the CTO's teams", entries).unknown_acronyms
    assert found.acronym == "CTO"
    assert [o.text for o in found.occurrences] == ["CTOs", "CTO's"]


def test_shouted_lines_give_no_unknown_acronyms(entries):
    assert unknown("URGENT REVIEW NEEDED TODAY\nThe WBR deck is late", entries) == ["WBR"]


# ---------------------------------------------------------------- annotation


def test_annotation_spells_out_acronyms_and_aliases(entries):
    assert annotated_text(explain("Our AHT rose", entries)) == "Our AHT [Average Handle Time] rose"
    assert annotated_text(explain("average handling time", entries)) == "average handling time [Average Handle Time]"


def test_annotation_gives_the_acronym_of_a_term_written_out(entries):
    assert annotated_text(explain("first call resolution", entries)) == "first call resolution [FCR]"


def test_annotation_adds_nothing_when_the_text_already_says_it_all(entries):
    assert annotated_text(explain("shrinkage was high", entries)) == "shrinkage was high"


# ---------------------------------------------------------------- the command


def test_explain_lists_each_term_once_in_order_with_its_count_and_definition(invoke):
    result = invoke("explain", "--text", "AHT rose, FCR fell, AHT again", "--color", "never")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Average Handle Time (AHT)  ×2  [metrics]"
    assert lines[1].startswith("  The average total time an agent spends")
    assert lines[2] == "First Call Resolution (FCR)  ×1  [metrics]"
    assert len(lines) == 4


def test_explain_reads_a_file(invoke):
    result = invoke("explain", str(CORPUS / "client_email.txt"), "--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["terms"][0]["term"] == "Quarterly Business Review"
    assert document["unknown_acronyms"] == ["CTO"]


def test_explain_reads_standard_input_with_a_dash(invoke):
    result = invoke("explain", "-", "--color", "never", input="Our NPS is up\n")
    assert result.exit_code == 0
    assert result.stdout.startswith("Net Promoter Score (NPS)  ×1")


def test_explain_reads_piped_standard_input_without_a_file(invoke):
    result = invoke("explain", "--color", "never", input="Our NPS is up\n")
    assert result.exit_code == 0
    assert result.stdout.startswith("Net Promoter Score (NPS)  ×1")


def test_explain_json_gives_terms_with_offsets_and_unknown_acronyms(invoke):
    text = "Our AHT rose; the CTO is late; AHT again"
    result = invoke("explain", "--text", text, "--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert set(document) == {"terms", "unknown_acronyms"}
    [term] = document["terms"]
    assert set(term) == {"term", "acronym", "category", "definition", "occurrences"}
    assert (term["term"], term["acronym"], term["category"]) == ("Average Handle Time", "AHT", "metrics")
    assert term["occurrences"] == [{"start": 4, "end": 7, "text": "AHT"}, {"start": 31, "end": 34, "text": "AHT"}]
    assert document["unknown_acronyms"] == ["CTO"]


@pytest.mark.parametrize("name", CORPUS_TEXTS)
def test_explain_json_matches_the_corpus_annotation(invoke, name):
    document = json.loads(invoke("explain", str(CORPUS / f"{name}.txt"), "--json").stdout)
    assert [{"term": t["term"], "occurrences": t["occurrences"]} for t in document["terms"]] == expected(name)["terms"]


def test_explain_annotate_writes_the_text_with_expansions_in_brackets(invoke):
    result = invoke("explain", "--text", "Our AHT rose", "--annotate", "--color", "never")
    assert result.exit_code == 0
    assert result.stdout == "Our AHT [Average Handle Time] rose\n"


def test_explain_annotate_highlights_terms_on_a_terminal(invoke):
    result = invoke("explain", "--text", "Our AHT rose", "--annotate", "--color", "always")
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    assert "AHT" in result.stdout and "Average Handle Time" in result.stdout


def test_explain_plain_output_has_no_escape_codes(invoke):
    result = invoke("explain", str(CORPUS / "qa_report.txt"), "--color", "never")
    assert "\x1b" not in result.stdout


def test_explain_shows_control_characters_in_the_text_as_visible_escapes(invoke):
    result = invoke("explain", "--text", "AHT \x1b[31mred", "--annotate", "--color", "never")
    assert "\x1b" not in result.stdout
    assert "\\x1b[31mred" in result.stdout


def test_explain_lists_unknown_acronyms_after_the_terms(invoke):
    result = invoke("explain", "--text", "The AHT and the WBR", "--color", "never")
    assert result.stdout.splitlines()[-1] == "Not in any loaded glossary: WBR"


def test_explain_exits_1_when_no_term_is_found(invoke):
    result = invoke("explain", "--text", "Nothing to see here", "--color", "never")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "bpoterms: no glossary terms found\n"


def test_explain_finds_the_terms_of_a_user_glossary(invoke, team_glossary):
    result = invoke("--glossary", str(team_glossary), "explain", "--text", "Move it to the WQ; AHT is fine", "--json")
    terms = {t["term"]: t for t in json.loads(result.stdout)["terms"]}
    assert set(terms) == {"Work Queue", "Average Handle Time"}
    assert terms["Average Handle Time"]["definition"].startswith("On our account")


def test_explain_without_the_builtin_glossary_reports_its_acronyms_as_unknown(invoke, team_glossary):
    result = invoke("--no-builtin", "--glossary", str(team_glossary), "explain", "--text", "WQ and FCR", "--json")
    document = json.loads(result.stdout)
    assert [t["term"] for t in document["terms"]] == ["Work Queue"]
    assert document["unknown_acronyms"] == ["FCR"]


# ---------------------------------------------------------------- bad input


def assert_one_line_error(result, fragment: str) -> None:
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("bpoterms: error: ")
    assert fragment in result.stderr


def test_a_missing_file_is_a_one_line_error(invoke, tmp_path):
    assert_one_line_error(invoke("explain", str(tmp_path / "nope.txt")), "nope.txt: no such file")


def test_a_folder_is_a_one_line_error(invoke, tmp_path):
    assert_one_line_error(invoke("explain", str(tmp_path)), "is a folder")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a user whom file permissions apply to")
def test_an_unreadable_file_is_a_one_line_error(invoke, tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("AHT", encoding="utf-8")
    path.chmod(0)
    try:
        assert_one_line_error(invoke("explain", str(path)), "permission denied")
    finally:
        path.chmod(0o600)


def test_a_file_the_system_refuses_to_read_is_a_one_line_error(invoke, tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("AHT", encoding="utf-8")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)  # explain reads through open(), with a size limit
    assert_one_line_error(invoke("explain", str(path)), "locked.txt: permission denied")


def test_a_non_utf8_file_is_a_one_line_error(invoke, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Our AHT rose\nCafé".encode("latin-1"))
    assert_one_line_error(invoke("explain", str(path)), "not UTF-8 text (byte 0xe9 on line 2)")


def test_non_utf8_standard_input_is_a_one_line_error(invoke):
    assert_one_line_error(invoke("explain", "-", input=b"AHT \xff"), "<stdin>: not UTF-8 text (byte 0xff on line 1)")


@pytest.mark.parametrize("content", ["", "  \n\n"])
def test_an_empty_file_is_a_one_line_error(invoke, tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_text(content, encoding="utf-8")
    assert_one_line_error(invoke("explain", str(path)), "the input is empty")


def test_empty_standard_input_is_a_one_line_error(invoke):
    assert_one_line_error(invoke("explain", input=""), "<stdin>: the input is empty")


def test_an_empty_text_option_is_a_one_line_error(invoke):
    assert_one_line_error(invoke("explain", "--text", " "), "--text: the input is empty")


def test_a_file_and_text_together_are_a_usage_error(invoke, tmp_path):
    assert_one_line_error(invoke("explain", str(tmp_path / "a.txt"), "--text", "AHT"), "not both")


def test_annotate_and_json_together_are_a_usage_error(invoke):
    assert_one_line_error(invoke("explain", "--text", "AHT", "--annotate", "--json"), "cannot be combined")


def test_a_utf8_byte_order_mark_is_not_part_of_the_text(invoke, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfAHT")
    document = json.loads(invoke("explain", str(path), "--json").stdout)
    assert document["terms"][0]["occurrences"] == [{"start": 0, "end": 3, "text": "AHT"}]


def test_explaining_a_text_imports_neither_typer_rich_nor_rapidfuzz():
    code = (
        "import sys\n"
        "from bpoterms.explain import explain\n"
        "from bpoterms.glossary import GlossarySpec, load\n"
        "explain('Our AHT rose', load(GlossarySpec((), include_builtin=True)).entries)\n"
        "print(' '.join(sys.modules))"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
        ).stdout.split()
    )
    assert not {"typer", "rich", "click", "rapidfuzz"} & loaded
