"""Hardening: every unusable glossary gets one line on stderr naming the file and exit 2, never a traceback;
hostile text and queries are shown safely; no command ever writes to a user's glossary."""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from bpoterms import fastpath

from .conftest import made_once_per_session, run_in_process
from .test_installed import installed_command

BIG = 50 * 2**20


def run_installed(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command (for `define`, its typer-free fast route) in the test's environment."""
    return subprocess.run([*installed_command(), *args], capture_output=True, text=True, timeout=120, env=os.environ)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def assert_refused(code: int, stdout: str, stderr: str, expected: str) -> None:
    """Exit 2, nothing on stdout, and exactly the one expected line on stderr.

    `{column}` in `expected` stands for any column: where libyaml itself stops a file (its own
    nesting limit) the column depends on the installed libyaml, the rest of the line does not.
    """
    assert "Traceback" not in stderr
    assert (code, stdout) == (2, "")
    pattern = re.escape(f"bpoterms: error: {expected}\n").replace(re.escape("{column}"), r"[0-9]+")
    assert re.fullmatch(pattern, stderr), stderr


# ---------------------------------------------------------------- unusable glossary files


class Case(NamedTuple):
    make: Callable[[Path], Path]  # builds the bad glossary under tmp_path, returns the path to pass
    expected: str  # the stderr message after "bpoterms: error: ", with {path} for the path


def _folder_named_yaml(tmp: Path) -> Path:
    (tmp / "team" / "x.yaml").mkdir(parents=True)
    write(tmp / "team" / "a.yaml", "terms:\n  - {term: Work Queue, definition: x}\n")
    return tmp / "team"


def _alias_bomb(tmp: Path) -> Path:
    levels = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    return write(
        tmp / "bomb.yaml", "\n".join(levels) + "\nterms:\n  - term: Lol\n    definition: lol\n    aliases: *l9\n"
    )


CASES = {
    "syntax error": Case(
        lambda tmp: write(tmp / "team.yaml", "terms:\n  - term: X\n    aliases: [a, b\n    definition: x\n"),
        "{path}:4:15: YAML syntax error: did not find expected ',' or ']'",
    ),
    "number for a term": Case(
        lambda tmp: write(tmp / "team.yaml", "terms:\n  - term: 42\n    definition: x\n"),
        "{path}:2:11: 'term' must be a string, found a number (quote it)",
    ),
    "string for aliases": Case(
        lambda tmp: write(tmp / "team.yaml", "terms:\n  - term: X\n    aliases: Y\n    definition: x\n"),
        "{path}:3:14: 'aliases' must be a list of strings, found a string",
    ),
    "missing definition": Case(
        lambda tmp: write(tmp / "team.yaml", "terms:\n  - term: Work Queue\n"),
        "{path}:2:5: missing required field 'definition'",
    ),
    "empty file": Case(lambda tmp: write(tmp / "team.yaml", ""), "{path}: file is empty"),
    "blank file": Case(lambda tmp: write(tmp / "team.yaml", "\n  \n\t\n"), "{path}: file is empty"),
    "only comments": Case(
        lambda tmp: write(tmp / "team.yaml", "# nothing yet\n"),
        "{path}:1:1: expected a mapping with a 'terms' list, found empty",
    ),
    "a list where terms belong": Case(
        lambda tmp: write(tmp / "team.yaml", "- - a\n  - b\n"),
        "{path}:1:3: an entry must be a mapping with 'term' and 'definition', found a list",
    ),
    "empty folder": Case(
        lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", "{path}: folder holds no .yaml glossary files"
    ),
    "folder named x.yaml in a folder": Case(_folder_named_yaml, "{path}/x.yaml: is a folder, not a glossary file"),
    "missing path": Case(lambda tmp: tmp / "nope.yaml", "{path}: no such file or folder"),
    "name too long": Case(lambda tmp: tmp / ("a" * 5000 + ".yaml"), "{path}: cannot read: File name too long"),
    "not UTF-8": Case(
        lambda tmp: write(tmp / "team.yaml", "terms:\n  - term: Caf\xe9\n".encode("latin-1")),
        "{path}:2: not UTF-8 text (byte 0xe9)",
    ),
    "a raw control character": Case(
        lambda tmp: write(tmp / "team.yaml", 'terms:\n  - term: X\n    definition: "a\x1bb"\n'),
        "{path}:3:19: YAML error: unacceptable character #x001b: control characters are not allowed",
    ),
    "two documents": Case(
        lambda tmp: write(tmp / "team.yaml", "terms: []\n---\nterms: []\n"),
        "{path}:2:1: YAML error: expected a single document in the file, found more",
    ),
    "an undefined alias": Case(
        lambda tmp: write(tmp / "team.yaml", "terms:\n  - term: X\n    definition: *nope\n"),
        "{path}:3:17: YAML error: found undefined alias 'nope'",
    ),
    "alias bomb": Case(_alias_bomb, "{path}:14:14: 'aliases' items must be non-empty strings, found a list"),
    "nesting bomb": Case(
        lambda tmp: write(tmp / "team.yaml", "terms: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        "{path}:1:{{column}}: YAML error: nested more than 100 levels deep",
    ),
    "python tag": Case(
        lambda tmp: write(
            tmp / "team.yaml",
            f"terms:\n  - term: X\n    definition: !!python/object/apply:os.system ['touch {tmp}/marker']\n",
        ),
        "{path}:3:17: YAML error: unsupported YAML tag tag:yaml.org,2002:python/object/apply:os.system",
    ),
    "python tag on a mapping": Case(
        lambda tmp: write(
            tmp / "team.yaml",
            f"terms:\n  - !!python/object/new:subprocess.Popen {{args: [touch, {tmp}/marker]}}\n",
        ),
        "{path}:2:5: YAML error: unsupported YAML tag tag:yaml.org,2002:python/object/new:subprocess.Popen",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_define_refuses_a_bad_glossary_with_one_line_naming_the_file(case, invoke, tmp_path):
    path = case.make(tmp_path)
    result = invoke("--glossary", str(path), "define", "AHT")
    assert_refused(result.exit_code, result.stdout, result.stderr, case.expected.format(path=path))
    assert not (tmp_path / "marker").exists()


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_fast_route_refuses_a_bad_glossary_the_same_way(case, tmp_path):
    path = case.make(tmp_path)
    code, stdout, stderr = run_in_process(fastpath.main, "--glossary", str(path), "define", "AHT", "--json")
    assert_refused(code, stdout, stderr, case.expected.format(path=path))
    assert not (tmp_path / "marker").exists()


@pytest.mark.parametrize("case", [CASES["syntax error"], CASES["missing definition"]], ids=["syntax", "schema"])
def test_the_installed_fast_route_refuses_a_bad_glossary_the_same_way(case, tmp_path, builtin_layer_remembered):
    """The console script's own process, for one error of each kind; the test above runs every case
    through the same entry point in this process."""
    path = case.make(tmp_path)
    result = run_installed("--glossary", str(path), "define", "AHT", "--json")
    assert_refused(result.returncode, result.stdout, result.stderr, case.expected.format(path=path))


@pytest.mark.parametrize("command", [("list",), ("search", "queue"), ("sources",), ("random",), ("categories",)])
def test_every_command_refuses_a_bad_glossary(command, invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - term: 42\n    definition: x\n")
    result = invoke("-g", str(path), *command)
    assert_refused(
        result.exit_code,
        result.stdout,
        result.stderr,
        f"{path}:2:11: 'term' must be a string, found a number (quote it)",
    )


def test_a_bad_file_in_the_config_folder_is_refused_by_name(invoke, isolated_user_folders):
    path = write(isolated_user_folders / "config" / "bpoterms" / "team.yaml", "terms: [\n")
    result = invoke("define", "AHT")
    assert result.exit_code == 2 and result.stderr.startswith(f"bpoterms: error: {path}:2:1: YAML syntax error: ")


def test_a_folder_named_like_a_glossary_in_the_config_folder_is_refused(invoke, isolated_user_folders):
    folder = isolated_user_folders / "config" / "bpoterms" / "x.yaml"
    folder.mkdir(parents=True)
    result = invoke("define", "AHT")
    assert_refused(result.exit_code, result.stdout, result.stderr, f"{folder}: is a folder, not a glossary file")
    installed = run_installed("define", "AHT")
    assert_refused(
        installed.returncode, installed.stdout, installed.stderr, f"{folder}: is a folder, not a glossary file"
    )


def test_a_bad_path_in_bpoterms_glossary_is_refused_by_name(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("BPOTERMS_GLOSSARY", str(tmp_path / "nope.yaml"))
    result = invoke("define", "AHT")
    assert_refused(result.exit_code, result.stdout, result.stderr, f"{tmp_path / 'nope.yaml'}: no such file or folder")


def test_a_python_tag_never_runs(invoke, tmp_path):
    path = CASES["python tag"].make(tmp_path)
    invoke("-g", str(path), "define", "AHT")
    invoke("validate", str(path))
    run_installed("-g", str(path), "define", "AHT")
    assert not (tmp_path / "marker").exists()


def test_a_number_yaml_cannot_read_stays_text(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - term: Hex Code\n    definition: 0x_\n")
    result = invoke("--no-builtin", "-g", str(path), "define", "Hex Code", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["definition"] == "0x_"


# ---------------------------------------------------------------- unreadable files and folders


def test_an_unreadable_file_is_refused(invoke, tmp_path, monkeypatch):
    """Simulated: tests often run as root, whom file permissions do not stop."""
    path = write(tmp_path / "team.yaml", "terms:\n  - {term: Work Queue, definition: x}\n")
    real_read_bytes = pathlib.Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    result = invoke("--no-cache", "-g", str(path), "define", "AHT")
    assert_refused(result.exit_code, result.stdout, result.stderr, f"{path}: permission denied")


def test_an_unreadable_folder_is_refused(invoke, tmp_path, monkeypatch):
    folder = tmp_path / "team"
    write(folder / "a.yaml", "terms:\n  - {term: Work Queue, definition: x}\n")
    real_listdir = os.listdir

    def refuse(path: str = "."):  # as listing a folder without read permission fails (root lists anything)
        if os.fspath(path) == str(folder):
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", refuse)
    result = invoke("-g", str(folder), "define", "AHT")
    assert_refused(result.exit_code, result.stdout, result.stderr, f"{folder}: permission denied")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission_is_refused(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - {term: Work Queue, definition: x}\n")
    path.chmod(0)
    try:
        result = invoke("-g", str(path), "define", "AHT")
        assert_refused(result.exit_code, result.stdout, result.stderr, f"{path}: permission denied")
        installed = run_installed("-g", str(path), "define", "AHT")
        assert_refused(installed.returncode, installed.stdout, installed.stderr, f"{path}: permission denied")
    finally:
        path.chmod(0o644)


# ---------------------------------------------------------------- large junk

# Over layers._PROBE_BYTES, so a file of it takes the same route as 50 MB of it: read whole (it is under
# MAX_FILE_BYTES), decoded, then refused by the early look at a large file's first events, not a full parse.
PROBED = 2 * 2**20  # the fixture checks it stays over layers._PROBE_BYTES

# The words kinds are where the early look matters (parsed whole, 50 MB of them would take minutes),
# so they stay at 50 MB; prose (one string) and random bytes (refused when decoded) take the same
# route at 2 MiB as at 50 MB and cost the most to make and refuse, so they are made at 2 MiB.
JUNK = {
    "random bytes (2 MiB)": (PROBED, lambda size: os.urandom(size)),
    "prose (2 MiB)": (PROBED, lambda size: b"lorem ipsum dolor sit amet\n" * (size // 27)),
    "a list of words (50 MiB)": (BIG, lambda size: b"- lorem\n" * (size // 8)),
    "a terms list of words (50 MiB)": (BIG, lambda size: b"terms:\n" + b"- lorem\n" * (size // 8)),
}


@pytest.fixture(scope="module", params=list(JUNK), ids=list(JUNK))
def junk(request, tmp_path_factory) -> Path:
    """Each kind written once a session, shared by the workers: the tests only read it."""
    from bpoterms.layers import _PROBE_BYTES

    size, make = JUNK[request.param]
    name = "junk-" + request.param.split(" (")[0].replace(" ", "-") + ".yaml"
    path = made_once_per_session(tmp_path_factory, name, lambda path: path.write_bytes(make(size)))
    assert path.stat().st_size >= size - 64 > _PROBE_BYTES
    return path


def test_large_junk_is_refused(junk, invoke):
    result = invoke("-g", str(junk), "define", "AHT")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"bpoterms: error: {junk}") and result.stderr.count("\n") == 1


def test_large_junk_is_refused_by_the_installed_command(junk, builtin_layer_remembered):
    result = run_installed("-g", str(junk), "define", "AHT")  # finishing at all is the point: no hang, no crash
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"bpoterms: error: {junk}") and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("head", "filler"),
    [
        ("lorem ipsum\n", "dolor sit amet\n"),  # prose: one string
        ("# notes\n---\n  lorem ipsum\n", "  dolor sit amet\n"),
        ("- lorem\n", "- ipsum\n"),  # a list whose first entry is a word
        ("terms:\n- 42\n", "- 43\n"),
    ],
    ids=["prose", "prose after a comment", "a list of words", "a terms list of numbers"],
)
def test_a_file_over_a_megabyte_is_refused_with_the_line_a_small_one_gets(head, filler, invoke, tmp_path):
    """A large file is looked at before it is parsed whole (it may be fifty megabytes of junk):
    that early look says what the full check says, at the same place."""
    small = write(tmp_path / "small.yaml", head)
    large = write(tmp_path / "large.yaml", head + filler * ((1 << 20) // len(filler) + 1))
    refusals = [invoke("-g", str(path), "define", "AHT") for path in (small, large)]
    assert [r.exit_code for r in refusals] == [2, 2]
    assert refusals[1].stderr.replace(str(large), str(small)) == refusals[0].stderr
    assert refusals[0].stderr.startswith(f"bpoterms: error: {small}:") and refusals[0].stderr.count("\n") == 1


# ---------------------------------------------------------------- hostile text in a glossary

HOSTILE = "Red \x1b[31mALERT\x1b[0m, bell \x07, [bold]markup[/bold], <b>html</b>, [link=file:///etc]x[/link]."


@pytest.fixture
def hostile_glossary(tmp_path: Path) -> Path:
    escaped = json.dumps(HOSTILE)  # a JSON string is a valid YAML double-quoted scalar
    return write(
        tmp_path / "team.yaml",
        f"terms:\n  - term: Escape Test\n    acronym: ESC\n    definition: {escaped}\n    notes: {escaped}\n",
    )


VISIBLE = "Red \\x1b[31mALERT\\x1b[0m, bell \\x07, [bold]markup[/bold], <b>html</b>, [link=file:///etc]x[/link]."


@pytest.mark.parametrize("extra", [(), ("--color", "never"), ("--brief",), ("--sources",)])
def test_markup_and_control_characters_are_shown_literally_in_plain_output(extra, hostile_glossary, invoke):
    result = invoke("-g", str(hostile_glossary), "define", "ESC", *extra)
    assert result.exit_code == 0
    assert VISIBLE in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


@pytest.mark.parametrize("extra", [(), ("--brief",), ("--sources",)])
def test_markup_and_control_characters_are_shown_literally_in_rich_output(extra, hostile_glossary, invoke):
    result = invoke("-g", str(hostile_glossary), "define", "ESC", "--color", "always", *extra)
    assert result.exit_code == 0
    assert "\x1b[31mALERT" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b[31mALERT" in result.stdout
    assert "[bold]markup[/bold]" in result.stdout and "<b>html</b>" in result.stdout


def test_json_keeps_hostile_text_exact(hostile_glossary, invoke):
    result = invoke("-g", str(hostile_glossary), "define", "ESC", "--json")
    assert "\x1b" not in result.stdout  # escaped as \u001b by JSON itself
    data = json.loads(result.stdout)
    assert data["definition"] == HOSTILE and data["notes"] == HOSTILE


@pytest.mark.parametrize("command", [("list",), ("search", "Escape"), ("random",)])
def test_other_commands_show_hostile_text_escaped(command, hostile_glossary, invoke):
    for colour in ("never", "always"):
        result = invoke("--no-builtin", "-g", str(hostile_glossary), *command, "--color", colour)
        assert result.exit_code == 0
        assert "\x1b[31mALERT" not in result.stdout and "\x07" not in result.stdout


def test_validate_shows_hostile_keys_escaped(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", 'terms:\n  - term: X\n    definition: x\n    "\\e[2Jkey": 1\n')
    result = invoke("validate", str(path))
    assert result.stdout == f"{path}:4:5: warning: unknown key '\\x1b[2Jkey'\n"


# ---------------------------------------------------------------- hostile queries


@pytest.mark.parametrize("command", ["define", "search"])
@pytest.mark.parametrize("query", ["", " ", "\t\n"])
def test_an_empty_or_blank_query_exits_2(command, query, invoke):
    result = invoke(command, query)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", "bpoterms: error: the query is empty\n")


@pytest.mark.parametrize("query", ["", "   "])
def test_the_installed_fast_route_refuses_an_empty_query(query):
    result = run_installed("define", query)
    assert (result.returncode, result.stderr) == (2, "bpoterms: error: the query is empty\n")


@pytest.mark.parametrize("command", ["define", "search"])
@pytest.mark.parametrize(
    "query",
    [
        "a" * 2**20,
        "AHT " * 2**18,
        "\x1b[2J\x07 AHT \x00" * 1000,
        "".join(chr(c) for c in range(1, 32)) + "AHT" + "\x7f\x9b",
    ],
    ids=["1 MB of one letter", "1 MB of words", "escape sequences", "every control character"],
)
def test_a_huge_or_control_character_query_gets_a_clean_answer(command, query, invoke):
    result = invoke(command, query, "--json")
    assert result.exit_code in (0, 1)
    json.loads(result.stdout)
    plain = invoke(command, query, "--color", "never")
    assert plain.exit_code == result.exit_code
    for stream in (plain.stdout, plain.stderr):
        assert "\x1b" not in stream and "\x07" not in stream and "\x00" not in stream
    assert plain.stderr.count("\n") <= 7  # a miss: one line, "did you mean:", at most five suggestions


def test_the_installed_fast_route_answers_a_long_control_character_query():
    result = run_installed("define", "\x1b[2J\x07 AHT " * 8000, "--json")  # under the kernel's argument limit
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr
    json.loads(result.stdout)


@pytest.fixture
def non_ascii_glossary(tmp_path: Path) -> Path:
    return write(
        tmp_path / "team.yaml",
        "terms:\n"
        "  - {term: Café Culture, definition: How a site's break room shapes morale.}\n"
        "  - {term: Ohm Rating, acronym: Ω, definition: Resistance of a headset cable.}\n"
        "  - {term: Robot Desk 🤖, definition: The bot escalation queue.}\n",
    )


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("café culture", "Café Culture"),
        ("cafe culture", "Café Culture"),
        ("CAFÉ CULTURE", "Café Culture"),
        ("Ω", "Ohm Rating"),
        ("robot desk 🤖", "Robot Desk 🤖"),
    ],
)
def test_non_ascii_queries_find_non_ascii_entries(query, term, non_ascii_glossary, invoke):
    result = invoke("-g", str(non_ascii_glossary), "define", query, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["term"] == term


@pytest.mark.parametrize("query", ["café", "Ω", "🤖", "日本語"])
def test_non_ascii_queries_against_the_builtin_glossary_are_answered_cleanly(query, invoke):
    result = invoke("define", query, "--json")
    assert result.exit_code in (0, 1)
    assert json.loads(result.stdout)


@pytest.mark.parametrize("query", ["café culture", "Ω"])
def test_the_installed_fast_route_handles_non_ascii_queries(query, non_ascii_glossary, builtin_layer_remembered):
    result = run_installed("-g", str(non_ascii_glossary), "define", query, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["term"] in ("Café Culture", "Ohm Rating")


# ---------------------------------------------------------------- no command writes to a user's glossary

EVERY_COMMAND = [
    ("define", "WQ"),
    ("define", "WQ", "--json"),
    ("search", "queue"),
    ("list",),
    ("list", "--json"),
    ("random", "--seed", "1"),
    ("sources",),
    ("categories",),
    ("validate",),
    ("export", "--format", "json"),
    ("explain", "--text", "Our WQ and AHT rose."),
    ("quiz", "--seed", "1", "--count", "1"),
    ("cache", "info"),
]


@pytest.mark.parametrize("command", EVERY_COMMAND, ids=" ".join)
def test_no_command_writes_to_a_users_glossary(command, invoke, team_glossary, isolated_user_folders):
    config = write(
        isolated_user_folders / "config" / "bpoterms" / "config.yaml", "- {term: Wait List, definition: x}\n"
    )
    files = [team_glossary, config]
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in files]
    invoke("-g", str(team_glossary), *command, input="Work Queue\n")
    invoke("--no-cache", "-g", str(team_glossary), *command, input="Work Queue\n")
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in files] == before
    assert sorted(p.name for p in team_glossary.parent.iterdir()) == ["team.yaml"]
