"""Rendered output compared byte for byte with checked-in golden files under tests/golden/.

Panels, tables and plain lists come from the real CLI in-process (CliRunner) at a pinned width
over a small team glossary (tests/data/team_floor.yaml, loaded with --no-builtin), so that growing
the built-in glossary never changes them; `--help` comes from the installed command, as a user's
shell runs it, at COLUMNS=80.

When a change to the output is intended, rewrite the files and review the diff before committing:

    BPOTERMS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import DATA
from .test_installed import installed_command

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("BPOTERMS_UPDATE_GOLDEN") == "1"
TEAM = ("--no-builtin", "-g", "team_floor.yaml")  # relative, so the panel's `From:` line names no machine's path


def matches_golden(name: str, actual: str) -> None:
    """Compare `actual` with tests/golden/`name`; with BPOTERMS_UPDATE_GOLDEN=1, write it there instead."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert path.exists(), f"{path} is missing: run with BPOTERMS_UPDATE_GOLDEN=1 to write it"
    assert actual == path.read_bytes().decode("utf-8"), f"differs from {path} (BPOTERMS_UPDATE_GOLDEN=1 rewrites it)"


@pytest.fixture
def team_cli(invoke, monkeypatch):
    """The CLI over the team glossary, at a given terminal width; stdout of a run that succeeded."""
    monkeypatch.chdir(DATA)

    def run(*args: str, columns: int = 80) -> str:
        monkeypatch.setenv("COLUMNS", str(columns))
        result = invoke(*TEAM, *args)
        assert (result.exit_code, result.stderr) == (0, "")
        return result.stdout

    return run


def installed_help(*args: str) -> str:
    result = subprocess.run(
        [*installed_command(), *args, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert (result.returncode, result.stderr) == (0, "")
    return result.stdout


def test_a_define_panel_with_sources_at_80_columns(team_cli):
    matches_golden("define_aht_sources_80.txt", team_cli("define", "AHT", "--sources", "--color", "always"))


def test_a_define_panel_at_40_columns(team_cli):
    matches_golden("define_aht_40.txt", team_cli("define", "AHT", "--color", "always", columns=40))


def test_a_search_table_at_80_columns(team_cli):
    matches_golden("search_time_80.txt", team_cli("search", "time", "--limit", "3", "--color", "always"))


def test_list_of_one_category_in_plain_text(team_cli):
    matches_golden("list_metrics.txt", team_cli("list", "--category", "metrics"))


def test_top_level_help_at_80_columns():
    matches_golden("help_80.txt", installed_help())


def test_define_help_at_80_columns():
    matches_golden("help_define_80.txt", installed_help("define"))
