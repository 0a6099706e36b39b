"""Shared fixtures: every test runs with its own empty config and cache folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bpoterms.cli import app

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the developer's own glossaries, cache and colour settings out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("BPOTERMS_CACHE_DIR", str(home / "cache" / "bpoterms"))
    for name in ("BPOTERMS_GLOSSARY", "NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "xterm-256color")
    return home


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner):
    """Run the real CLI in-process; stdout and stderr are kept apart."""

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def team_glossary(tmp_path: Path) -> Path:
    """A small user glossary file, as a team lead would write it."""
    path = tmp_path / "team.yaml"
    path.write_text(
        "terms:\n"
        "  - term: Work Queue\n"
        "    acronym: WQ\n"
        "    definition: A named list of pending customer tickets assigned to one team.\n"
        "  - term: Average Handle Time\n"
        "    acronym: AHT\n"
        "    definition: On our account, talk plus hold time only; wrap-up is tracked separately.\n",
        encoding="utf-8",
    )
    return path
