"""Docs are part of the product: every command is documented and the README's claims hold."""

from __future__ import annotations

import re

import pytest
import typer

from bpoterms import load
from bpoterms.cli import app

from .conftest import REPO

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
