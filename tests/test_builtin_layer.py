"""The built-in glossary's validated layer is kept between compiles (bpoterms/builtin_layer.py): a user
glossary layered on it is recompiled without parsing the unchanged built-in file again."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from bpoterms import builtin_layer, layers, paths
from bpoterms.paths import BUILTIN_LABEL

TEAM = (
    "terms:\n"
    "  - term: Work Queue\n"
    "    acronym: WQ\n"
    "    definition: A named list of pending customer tickets assigned to one team.\n"
    "    see_also: [Occupancy, Queue That Does Not Exist]\n"
    "  - term: Average Handle Time\n"
    "    acronym: AHT\n"
    "    definition: On our account, talk plus hold time only.\n"
    "  - term: First Call Resolution\n"
    "    merge: true\n"
    "    definition: Our auditors count a callback within 24 hours as a repeat.\n"
)
OCCUPANCY = "Very high occupancy means little slack"  # from the built-in definition of Occupancy


@pytest.fixture
def team(tmp_path: Path) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(TEAM, encoding="utf-8")
    return path


@pytest.fixture
def cache(isolated_user_folders: Path) -> Path:
    return isolated_user_folders / "cache" / "bpoterms"


@pytest.fixture(autouse=True)
def new_process(monkeypatch: pytest.MonkeyPatch):
    """Start each test as a new process would, with nothing remembered in memory; calling the returned
    function forgets again (as the next command-line run would). What was remembered before is restored
    afterwards, so no test leaves its layer in memory for the next."""
    monkeypatch.setattr(builtin_layer, "_remembered", None)

    def forget() -> None:
        builtin_layer._remembered = None

    return forget


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The label of every glossary file parsed as YAML from now on (`built-in`, or the file's path)."""
    names: list[str] = []
    parse = layers.parse_yaml

    def counting(text: str, name: str):
        names.append(name)
        return parse(text, name)

    monkeypatch.setattr(layers, "parse_yaml", counting)
    return names


def remembered(cache: Path) -> list[Path]:
    return sorted(cache.glob("builtin-layer-*.bin"))


def edit(path: Path, note: str) -> None:
    """Change a user glossary the way an editor does, so the next run recompiles."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"# {note}\n")


def rewrite(file: Path, old: str, new: str) -> None:
    """Change text inside a remembered layer (same length) and sign it again, as the module's layout says:
    MAGIC, then the SHA-256 of the body, then the body."""
    assert len(old) == len(new)
    data = file.read_bytes()
    start = len(builtin_layer.MAGIC) + 32
    body = data[start:].replace(old.encode(), new.encode())
    assert body != data[start:]
    file.write_bytes(builtin_layer.MAGIC + hashlib.sha256(body).digest() + body)


def brief(invoke, *args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


# ---------------------------------------------------------------- remembered and used


def test_a_glossary_layered_on_the_built_in_one_remembers_the_built_in_layer_in_the_cache_folder(invoke, team, cache):
    assert remembered(cache) == []
    brief(invoke, "-g", str(team), "define", "WQ")
    assert len(remembered(cache)) == 1


def test_a_recompile_after_editing_a_user_glossary_does_not_parse_the_built_in_file(
    invoke, team, cache, new_process, parsed
):
    brief(invoke, "-g", str(team), "define", "WQ")
    assert parsed == [BUILTIN_LABEL, str(team)]
    team.write_text(TEAM.replace("pending customer tickets", "waiting customer tickets"), encoding="utf-8")
    new_process()
    parsed.clear()
    assert "waiting customer tickets" in brief(invoke, "-g", str(team), "define", "WQ", "--brief")
    assert parsed == [str(team)]


def test_the_remembered_layer_is_what_a_recompile_reads_instead_of_the_built_in_file(invoke, team, cache, new_process):
    brief(invoke, "-g", str(team), "define", "WQ")
    (file,) = remembered(cache)
    rewrite(file, OCCUPANCY, "POISONED! occupancy means little slack")
    edit(team, "recompile")
    new_process()
    assert "POISONED!" in brief(invoke, "-g", str(team), "define", "Occupancy", "--brief")


def test_within_one_process_the_built_in_file_is_parsed_once_even_without_the_cache(invoke, team, parsed):
    """What `mcp` and `browse` do when a file changes: load the glossary again in the same process."""
    brief(invoke, "--no-cache", "-g", str(team), "define", "WQ")
    edit(team, "reload")
    brief(invoke, "--no-cache", "-g", str(team), "define", "WQ")
    assert parsed == [BUILTIN_LABEL, str(team), str(team)]


def test_a_broken_user_glossary_still_leaves_the_built_in_layer_remembered(invoke, team, cache, new_process, parsed):
    """A team lead saving a half-edited file, then fixing it: the fix does not pay for the built-in file."""
    team.write_text(TEAM + "  - term: [\n", encoding="utf-8")
    assert invoke("-g", str(team), "define", "WQ").exit_code == 2
    team.write_text(TEAM, encoding="utf-8")
    new_process()
    parsed.clear()
    brief(invoke, "-g", str(team), "define", "WQ")
    assert parsed == [str(team)]


COMMANDS = [
    ("define", "AHT", "--json"),
    ("define", "FCR", "--json"),
    ("define", "WQ", "--json"),
    ("define", "Occupancy"),
    ("search", "handle", "--json"),
    ("list", "--json"),
    ("sources", "--json"),
    ("categories", "--json"),
    ("export", "--format", "json"),
    ("validate",),
]


def test_every_answer_is_the_same_from_the_remembered_layer_as_from_the_yaml(invoke, team, cache, new_process, parsed):
    def answers() -> list[tuple[int, str, str]]:
        results = [invoke("-g", str(team), *command) for command in COMMANDS]  # one compile, then warm
        return [(result.exit_code, result.stdout, result.stderr) for result in results]

    from_yaml = answers()
    assert BUILTIN_LABEL in parsed and len(remembered(cache)) == 1
    for compiled in cache.glob("glossary-*.sqlite3"):
        compiled.unlink()
    new_process()
    parsed.clear()
    from_remembered = answers()
    assert BUILTIN_LABEL not in parsed  # validate too reads the remembered layer
    for command, expected, answer in zip(COMMANDS, from_yaml, from_remembered, strict=True):
        assert answer == expected, command


# ---------------------------------------------------------------- ignored when it cannot be trusted


@pytest.mark.parametrize(
    "damage",
    ["empty", "truncated", "one byte changed", "another format"],
)
def test_a_damaged_remembered_layer_is_ignored_and_rewritten(damage, invoke, team, cache, new_process, parsed):
    expected = brief(invoke, "-g", str(team), "define", "Occupancy", "--json")
    (file,) = remembered(cache)
    data = file.read_bytes()
    damaged = {
        "empty": b"",
        "truncated": data[: len(data) // 2],
        "one byte changed": data[:-100] + bytes([data[-100] ^ 0x01]) + data[-99:],
        "another format": data.replace(builtin_layer.MAGIC, builtin_layer.MAGIC.upper(), 1),
    }[damage]
    file.write_bytes(damaged)
    edit(team, "recompile")
    new_process()
    parsed.clear()
    result = invoke("-g", str(team), "define", "Occupancy", "--json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected, "")
    assert parsed == [BUILTIN_LABEL, str(team)]  # read from the YAML again ...
    edit(team, "recompile again")
    new_process()
    parsed.clear()
    brief(invoke, "-g", str(team), "define", "Occupancy")
    assert parsed == [str(team)]  # ... and remembered again


@pytest.mark.parametrize("in_a_new_process", [True, False], ids=["new process", "same process"])
def test_a_changed_built_in_file_is_read_again(in_a_new_process, invoke, team, tmp_path, monkeypatch, new_process):
    builtin = tmp_path / "installed" / "glossary.yaml"
    builtin.parent.mkdir()
    shutil.copy(paths.builtin_path(), builtin)
    monkeypatch.setattr(paths, "builtin_path", lambda: str(builtin))
    assert OCCUPANCY in brief(invoke, "-g", str(team), "define", "Occupancy", "--brief")
    text = builtin.read_text(encoding="utf-8")
    builtin.write_text(text.replace(OCCUPANCY, "Occupancy near 100% means little slack"), encoding="utf-8")
    if in_a_new_process:
        new_process()
    assert "Occupancy near 100% means" in brief(invoke, "-g", str(team), "define", "Occupancy", "--brief")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_remembered_layer_another_user_owns_is_not_read(invoke, team, cache, new_process):
    brief(invoke, "-g", str(team), "define", "WQ")
    (file,) = remembered(cache)
    rewrite(file, OCCUPANCY, "POISONED! occupancy means little slack")
    os.chown(file, 65534, 65534)
    edit(team, "recompile")
    new_process()
    assert OCCUPANCY in brief(invoke, "-g", str(team), "define", "Occupancy", "--brief")


# ---------------------------------------------------------------- when it is not used


def test_no_cache_does_not_write_the_remembered_layer(invoke, team, cache):
    brief(invoke, "--no-cache", "-g", str(team), "define", "WQ")
    assert remembered(cache) == []


def test_no_cache_does_not_read_the_remembered_layer(invoke, team, cache, new_process):
    brief(invoke, "-g", str(team), "define", "WQ")
    (file,) = remembered(cache)
    rewrite(file, OCCUPANCY, "POISONED! occupancy means little slack")
    poisoned = file.read_bytes()
    new_process()
    assert OCCUPANCY in brief(invoke, "--no-cache", "-g", str(team), "define", "Occupancy", "--brief")
    assert file.read_bytes() == poisoned


def test_the_built_in_glossary_alone_leaves_no_remembered_layer(invoke, cache):
    for compiled in cache.glob("glossary-*.sqlite3"):
        compiled.unlink()
    brief(invoke, "define", "AHT")
    assert list(cache.glob("glossary-*.sqlite3")) != [] and remembered(cache) == []


def test_an_unwritable_cache_folder_still_answers_a_layered_glossary_quietly(invoke, team, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("BPOTERMS_CACHE_DIR", str(blocked / "bpoterms"))
    result = invoke("-g", str(team), "define", "WQ", "--brief")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("Work Queue (WQ)")


def test_cache_clear_removes_the_remembered_layer_and_cache_info_lists_it(invoke, team, cache):
    invoke("-g", str(team), "define", "WQ")
    assert remembered(cache)
    listed = invoke("cache", "info")
    assert remembered(cache)[0].name in listed.stdout
    invoke("cache", "clear")
    assert remembered(cache) == []


# ---------------------------------------------------------------- validate

TOP_KEY = "translators"  # an unknown top-level key: a warning checking the built-in file finds on its own


@pytest.fixture
def builtin_with_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A built-in file with a warning of its own (an unknown top-level key) and one found across files
    (a see_also that names no entry)."""
    builtin = tmp_path / "installed" / "glossary.yaml"
    builtin.parent.mkdir()
    text = Path(paths.builtin_path()).read_text(encoding="utf-8")
    see_also = "  see_also: [Night Differential, Final Pay, Regularization]\n"
    assert text.startswith("schema: 1\n") and see_also in text
    text = text.replace("schema: 1\n", f"schema: 1\n{TOP_KEY}: see the README\n", 1)
    text = text.replace(see_also, "  see_also: [Night Differential, No Such Entry Anywhere]\n", 1)
    builtin.write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "builtin_path", lambda: str(builtin))
    return builtin


def builtin_messages(result) -> list[str]:
    return [p["message"] for p in json.loads(result.stdout) if p["file"] == BUILTIN_LABEL]


def test_validating_a_team_glossary_again_does_not_parse_the_built_in_file(invoke, team, cache, new_process, parsed):
    first = invoke("validate", str(team))
    assert parsed == [BUILTIN_LABEL, str(team)]
    assert remembered(cache)
    new_process()
    parsed.clear()
    again = invoke("validate", str(team))
    assert parsed == [str(team)]
    assert (again.exit_code, again.stdout, again.stderr) == (first.exit_code, first.stdout, first.stderr)
    assert "Queue That Does Not Exist" in again.stdout  # the team file's own warning is still found


def test_the_built_in_files_warnings_are_reported_the_same_from_the_remembered_layer(
    invoke, team, builtin_with_warnings, cache, new_process, parsed
):
    from_the_yaml = invoke("-g", str(team), "validate", "--json")
    assert parsed == [BUILTIN_LABEL, str(team)]
    new_process()
    parsed.clear()
    from_the_layer = invoke("-g", str(team), "validate", "--json")
    assert parsed == [str(team)]
    assert (from_the_layer.exit_code, from_the_layer.stdout) == (from_the_yaml.exit_code, from_the_yaml.stdout)
    messages = builtin_messages(from_the_layer)
    assert [m for m in messages if TOP_KEY in m] and "see_also 'No Such Entry Anywhere' matches no entry" in messages
    assert all(p["line"] > 1 for p in json.loads(from_the_layer.stdout))  # placed in each file's text


def test_a_built_in_file_with_an_error_is_validated_in_full_and_never_remembered(
    invoke, team, builtin_with_warnings, cache
):
    with builtin_with_warnings.open("a", encoding="utf-8") as handle:
        handle.write("  - term: No Definition\n")
    result = invoke("-g", str(team), "validate", "--json")
    problems = [p for p in json.loads(result.stdout) if p["file"] == BUILTIN_LABEL]
    assert result.exit_code == 1
    assert {p["severity"] for p in problems} == {"error", "warning"}
    assert [m for m in builtin_messages(result) if TOP_KEY in m]  # the warnings beside the error
    assert remembered(cache) == []


def test_validate_with_no_cache_neither_reads_nor_writes_the_remembered_layer(
    invoke, team, builtin_with_warnings, cache, new_process
):
    invoke("--no-cache", "validate", str(team))
    assert remembered(cache) == []
    new_process()
    invoke("validate", str(team))
    (file,) = remembered(cache)
    rewrite(file, TOP_KEY, TOP_KEY.upper())
    new_process()
    assert [m for m in builtin_messages(invoke("--no-cache", "-g", str(team), "validate", "--json")) if TOP_KEY in m]
    new_process()
    assert [m for m in builtin_messages(invoke("-g", str(team), "validate", "--json")) if TOP_KEY.upper() in m]
