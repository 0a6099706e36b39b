"""The typer-free route gives exactly the answers the full CLI gives, and steps aside otherwise."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bpoterms.fastpath import FastCall, parse

from .conftest import run_in_process


def test_a_plain_define_takes_the_fast_route():
    assert parse(["define", "AHT", "--json"]) == FastCall("define", words=["AHT"], json_out=True)


def test_global_options_before_the_command_are_understood():
    call = parse(["--glossary", "a.yaml", "-g", "b.yaml", "--no-builtin", "--no-cache", "define", "WQ"])
    assert call is not None
    assert (call.glossaries, call.include_builtin, call.use_cache) == (["a.yaml", "b.yaml"], False, False)


def test_search_options_are_understood():
    call = parse(["search", "handle time", "-n", "3", "--category=metrics", "--match", "prefix", "--color", "never"])
    assert call == FastCall(
        "search", words=["handle time"], limit=3, category="metrics", strategy="prefix", color="never"
    )


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["define", "--help"],
        ["define"],
        ["define", "AHT", "--frobnicate"],
        ["define", "--", "-x"],
        ["define", "AHT", "--color", "sometimes"],
        ["search", "a", "b"],
        ["search", "x", "--limit", "0"],
        ["search", "x", "--match", "soundex"],
        ["list"],
        ["--version"],
        ["--glossary"],
    ],
)
def test_anything_else_is_left_to_the_full_cli(argv):
    assert parse(argv) is None


FAST_ENTRY = "from bpoterms.fastpath import main; import sys; sys.argv[0] = 'bpoterms'; main()"


def _fast_route(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """The fast route in a new process, as the console script starts it: nothing imported beforehand,
    so a lazy import it lacks cannot be hidden by modules other tests loaded."""
    proc = subprocess.run(
        [sys.executable, "-c", FAST_ENTRY, *args],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    return proc.returncode, proc.stdout, proc.stderr


def _full_cli(args: list[str]) -> tuple[int, str, str]:
    """The full typer CLI's entry (`cli.main`) run in this process, stdout and stderr not terminals."""
    from bpoterms.cli import main

    return run_in_process(main, *args)


@pytest.mark.parametrize(
    "args",
    [
        ["define", "AHT"],
        ["define", "AHT", "FCR", "--json"],
        ["define", "ahtt"],
        ["define", "ahtt", "--json"],
        ["define", "what is nps", "--brief", "--sources"],
        ["define", "AHT", "--color", "always", "--sources"],
        ["define", ""],
        ["search", "handle time", "--json"],
        ["search", "queue", "--limit", "3", "--category", "metrics"],
        ["search", "([", "--match", "regex"],
        ["search", "x", "--category", "nope"],
        ["--version"],
    ],
)
def test_the_fast_route_and_the_full_cli_answer_identically(args, isolated_user_folders, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    assert _fast_route(args, dict(os.environ)) == _full_cli(args)


def test_the_command_names_the_shortcut_knows_are_the_typer_apps_commands():
    import typer.main

    from bpoterms.cli import app
    from bpoterms.fastpath import COMMAND_NAMES

    assert set(typer.main.get_command(app).commands) == COMMAND_NAMES  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["AHT"], ["define", "AHT"]),
        (["-g", "team.yaml", "WQ", "--json"], ["-g", "team.yaml", "define", "WQ", "--json"]),
        (["--no-builtin", "csat vs nps"], ["--no-builtin", "define", "csat vs nps"]),
        (["search", "hold"], ["search", "hold"]),
        (["--help"], ["--help"]),
        ([], []),
    ],
)
def test_a_first_word_that_is_no_command_is_a_term_to_define(argv, expected):
    from bpoterms.fastpath import with_implicit_define

    assert with_implicit_define(argv) == expected


def test_the_installed_command_defines_a_bare_term():
    from .test_installed import installed_command

    result = subprocess.run([*installed_command(), "aht", "--brief"], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.split(" — ")[0]) == (0, "Average Handle Time (AHT)")


def test_the_typer_choices_are_the_cores_lists():
    """Typer needs Enums; the core declares each choice list once, and these must be the same."""
    from bpoterms.cli import Color, ExportFormat, GroupBy, QuizMode, Strategy
    from bpoterms.export import FORMATS, GROUPINGS
    from bpoterms.quiz import MODES
    from bpoterms.ranking import MATCH_STRATEGIES
    from bpoterms.terminal import COLOR_CHOICES

    assert tuple(c.value for c in Color) == COLOR_CHOICES
    assert tuple(s.value for s in Strategy) == MATCH_STRATEGIES
    assert tuple(f.value for f in ExportFormat) == FORMATS
    assert tuple(g.value for g in GroupBy) == GROUPINGS
    assert tuple(m.value for m in QuizMode) == MODES


def test_every_option_the_fast_route_parses_is_an_option_of_the_typer_command():
    import typer.main

    from bpoterms.cli import app
    from bpoterms.fastpath import _DEFINE_FLAGS, _SEARCH_VALUES

    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]

    def options(name: str) -> set[str]:
        return {opt for param in commands[name].params for opt in (*param.opts, *param.secondary_opts)}

    assert set(_DEFINE_FLAGS) | {"--color"} <= options("define")
    assert set(_SEARCH_VALUES) | {"--json"} <= options("search")


@pytest.mark.parametrize("value", ["²", "٣", "0", "-1", "x"])
def test_a_limit_that_is_no_plain_positive_number_is_left_to_the_full_cli(value):
    assert parse(["search", "queue", "--limit", value]) is None


@pytest.mark.parametrize(
    ("setup", "quick"),
    [
        ("", True),
        ("import bpoterms.cli", True),
        ("import threading; threading.Thread(target=threading.Event().wait, daemon=True).start()", False),
        ("import atexit; atexit.register(print, 'bye')", False),
    ],
    ids=["nothing else", "full CLI loaded", "another thread alive", "an exit handler registered"],
)
def test_the_script_skips_teardown_only_when_nothing_is_left_to_finish(setup, quick):
    code = f"{setup}\nfrom bpoterms.fastpath import _nothing_left_to_finish\nprint(_nothing_left_to_finish())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[0] == str(quick)


class _Left(Exception):
    """Raised by the stand-in for `os._exit`, so the test process goes on."""


def test_the_script_leaves_through_os_exit_with_mains_status(monkeypatch, capsys):
    from bpoterms import fastpath

    statuses: list[int] = []

    def leave(status: int) -> None:
        statuses.append(status)
        raise _Left

    monkeypatch.setattr(fastpath, "_nothing_left_to_finish", lambda: True)
    monkeypatch.setattr(fastpath.os, "_exit", leave)
    monkeypatch.setattr(sys, "argv", ["bpoterms", "define", "zzzqqqxxx"])
    with pytest.raises(_Left):
        fastpath.script()
    assert statuses == [1]
    assert capsys.readouterr().err.startswith("bpoterms: ")


def test_the_script_exits_the_usual_way_when_something_is_left_to_finish(monkeypatch):
    from bpoterms import fastpath

    monkeypatch.setattr(fastpath, "_nothing_left_to_finish", lambda: False)
    monkeypatch.setattr(sys, "argv", ["bpoterms", "define", "zzzqqqxxx"])
    with pytest.raises(SystemExit) as stopped:
        fastpath.script()
    assert stopped.value.code == 1


def test_the_console_script_and_python_dash_m_run_the_script():
    import tomllib

    from .conftest import REPO

    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"bpoterms": "bpoterms.fastpath:script"}
    assert (REPO / "bpoterms" / "__main__.py").read_text(encoding="utf-8").rstrip().endswith("script()")
