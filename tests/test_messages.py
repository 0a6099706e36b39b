"""Every message the user sees when something is wrong or missing, pinned word for word, through the
real entry point (`bpoterms.fastpath.main`, the console script) and its one error boundary.

Errors are `bpoterms: error: …` with exit 2; misses are `bpoterms: …` with exit 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bpoterms.fastpath import main


def run_main(monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["bpoterms", *argv])
    with pytest.raises(SystemExit) as stopped:
        main()
    out, err = capsys.readouterr()
    return int(stopped.value.code or 0), out, err


def team_file(tmp_path: Path) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text("terms:\n  - {term: Work Queue, acronym: WQ, definition: Tickets waiting for a team.}\n")
    return path


ERRORS = {
    "empty query": (("define", " "), "bpoterms: error: the query is empty"),
    "unknown category in search": (
        ("search", "queue", "--category", "nope"),
        "bpoterms: error: unknown category 'nope' (choose from: business, channels, compliance, contracts, "
        "metrics, outsourcing-models, people, quality, roles, services, technology, workforce)",
    ),
    "invalid regex": (
        ("search", "(", "--match", "regex"),
        "bpoterms: error: invalid regular expression: missing ), unterminated subpattern at position 0",
    ),
    "missing glossary file": (("--glossary", "/nonexistent/team.yaml", "define", "AHT"), None),
    "unknown source in list": (("list", "--source", "nope"), None),
    "fraction where a percentage belongs": (
        ("staff", "--calls", "100", "--aht", "180", "--shrinkage", "0.3"),
        "bpoterms: error: --shrinkage: '0.3' looks like a fraction; write percentages as 85% or 85 "
        "(or 0.3% if you mean less than one percent)",
    ),
    "calc without its inputs": (
        ("calc", "AHT", "talk=100"),
        "bpoterms: error: missing inputs: hold (total hold time), acw (total after-call work time), "
        "handled (interactions handled); e.g. bpoterms calc AHT talk=N hold=N acw=N handled=N",
    ),
}


@pytest.mark.parametrize("case", ERRORS.values(), ids=ERRORS.keys())
def test_an_error_is_one_line_with_exit_2(case, monkeypatch, capsys):
    argv, expected = case
    code, out, err = run_main(monkeypatch, capsys, *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("bpoterms: error: ")
    if expected is not None:
        assert err == expected + "\n"


def test_a_missing_glossary_file_names_it(monkeypatch, capsys):
    code, _out, err = run_main(monkeypatch, capsys, "--glossary", "/nonexistent/team.yaml", "define", "AHT")
    assert (code, err) == (2, "bpoterms: error: /nonexistent/team.yaml: no such file or folder\n")


def test_a_define_miss_is_exit_1_with_suggestions(monkeypatch, capsys, tmp_path):
    code, out, err = run_main(monkeypatch, capsys, "--no-builtin", "-g", str(team_file(tmp_path)), "define", "wrk quue")
    assert (code, out) == (1, "")
    assert err == "bpoterms: no entry for 'wrk quue'\ndid you mean:\n  Work Queue (WQ)  (77.8)\n"


def test_a_search_miss_is_one_line_with_exit_1(monkeypatch, capsys, tmp_path):
    code, out, err = run_main(monkeypatch, capsys, "--no-builtin", "-g", str(team_file(tmp_path)), "search", "zzzz")
    assert (code, out, err) == (1, "", "bpoterms: nothing matches 'zzzz'\n")


def test_an_explain_miss_is_one_line_with_exit_1(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "explain", "--text", "nothing to see here")
    assert (code, out, err) == (1, "", "bpoterms: no glossary terms found\n")


def test_the_typer_route_and_the_fast_route_word_an_error_alike(monkeypatch, capsys):
    fast = run_main(monkeypatch, capsys, "define", " ")
    full = run_main(monkeypatch, capsys, "define", " ", "--brief", "--sources", "--")  # `--`: typer parses it
    assert fast[1:] == full[1:] == ("", "bpoterms: error: the query is empty\n")
