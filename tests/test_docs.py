"""Docs are part of the product: every command is documented and the README's claims hold."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import typer

from bpoterms import fastpath, load
from bpoterms.cli import app

from .conftest import REPO, run_in_process

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert f"bpoterms {command}" in README


def test_the_readme_states_the_real_entry_count():
    count = len(load().entries)
    assert f"{count} entries" in README


def test_the_readme_states_the_real_number_of_added_industry_terms():
    own = [e for e in load().entries if [q.source for q in e.sources] == ["bpoterms"]]
    assert f"{len(own)} industry terms" in README


def test_the_readme_has_the_two_setup_commands_that_ci_runs():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.+?)\n```", README)
    assert blocks[0] in ci and blocks[1] in ci
    assert "bpoterms define AHT" in blocks[0] and "pytest" in blocks[1]


@pytest.mark.parametrize("doc", ["json.md", "glossary-format.md"])
def test_linked_docs_exist(doc):
    assert f"docs/{doc}" in README
    assert (REPO / "docs" / doc).is_file()


def _console_examples(document: str) -> list[tuple[str, str]]:
    """Each `$ bpoterms ...` line of a document's code blocks with the lines shown under it.
    Examples fed by a pipe are left to their own tests."""
    blocks: list[list[str]] = []
    inside = False
    for line in (REPO / document).read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = not inside
            if inside:
                blocks.append([])
        elif inside:
            blocks[-1].append(line)
    examples = []
    for block in blocks:
        for example in re.split(r"\n(?=\$ )", "\n".join(block).strip("\n")):
            command, _, shown = example.partition("\n")
            while _unclosed_quote(command) and shown:  # a quoted argument that goes on to the next line
                line, _, shown = shown.partition("\n")
                command += "\n" + line
            if command.startswith("$ bpoterms ") and "|" not in command and not _names_a_readers_file(command):
                examples.append((command[2:], shown.rstrip("\n")))
    return examples


def _unclosed_quote(command: str) -> bool:
    try:
        shlex.split(command)
    except ValueError:
        return True
    return False


def _names_a_readers_file(command: str) -> bool:
    """`explain weekly_kpi_summary.txt`, `--glossary small.yaml`: a file of the reader's, not the repository's."""
    words = shlex.split(command)
    return any(Path(word).suffix in {".txt", ".yaml", ".csv"} and not (REPO / word).exists() for word in words)


def _as_pattern(shown: str) -> str:
    """A line `...` stands for any lines; a line ending in ` ...` for the rest of a longer line."""
    pattern = []
    for line in shown.splitlines():
        if line.strip() == "...":
            pattern.append(r"(?:[^\n]*\n)*?")
        elif line.endswith(" ..."):
            pattern.append(re.escape(line[:-3]) + r"[^\n]*\n")
        else:
            pattern.append(re.escape(line) + r"\n")
    return "".join(pattern)


README_EXAMPLES = _console_examples("README.md")
STAFFING_EXAMPLES = _console_examples("docs/staffing.md")
EXPLAIN_EXAMPLES = _console_examples("docs/explain-and-quiz.md")


def test_the_readme_shows_examples_of_define_and_search():
    commands = [command for command, _shown in README_EXAMPLES]
    assert "bpoterms define AHT" in commands
    assert any(command.startswith("bpoterms search ") for command in commands)


def test_the_staffing_guide_shows_examples_of_staff_and_calc():
    commands = [command for command, _shown in STAFFING_EXAMPLES]
    assert any(command.startswith("bpoterms staff --forecast ") for command in commands)
    assert any(command.startswith("bpoterms calc ") for command in commands)


DOCUMENTED_EXAMPLES = README_EXAMPLES + STAFFING_EXAMPLES + EXPLAIN_EXAMPLES


@pytest.mark.parametrize(("command", "shown"), DOCUMENTED_EXAMPLES, ids=[c for c, _shown in DOCUMENTED_EXAMPLES])
def test_a_documented_example_prints_what_the_document_shows(command, shown, monkeypatch):
    monkeypatch.chdir(REPO)  # the examples name files by their path in the repository
    _status, out, err = run_in_process(fastpath.main, *shlex.split(command)[1:])
    assert re.fullmatch(_as_pattern(shown), out + err), f"the documented output of `{command}` is out of date"


def test_the_explain_guide_states_each_corpus_text_s_expected_hits():
    guide = (REPO / "docs" / "explain-and-quiz.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)\.txt` \| (\d+) \| (\d+) \| ([^|]*) \|$", guide, re.M)
    corpus = REPO / "tests" / "data" / "explain"
    assert {name for name, *_ in rows} == {path.stem for path in corpus.glob("*.txt")}
    for name, hits, terms, unknown in rows:
        expected = json.loads((corpus / f"{name}.expected.json").read_text(encoding="utf-8"))
        assert int(hits) == sum(len(term["occurrences"]) for term in expected["terms"]), name
        assert int(terms) == len(expected["terms"]), name
        assert unknown.strip() == (", ".join(expected["unknown_acronyms"]) or "none"), name
