"""The answers file: the fast route prints what the full route printed, and never anything stale."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from bpoterms import answers, fastpath
from bpoterms.commands import run_define
from bpoterms.glossary import open_glossary

from .conftest import run_in_process
from .test_installed import installed_command


def bpoterms(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, as a shell runs it (stdout a pipe: plain text)."""
    return subprocess.run([*installed_command(), *args], capture_output=True, text=True, timeout=60)


def full_route(*args: str) -> tuple[int, str, str]:
    """The reference a stored answer must equal: `bpoterms *args` run in this process through the console
    script's function. Used for `--no-cache` runs, which never read or write an answers file and print
    what a new process prints."""
    return run_in_process(fastpath.main, *args)


def answers_files() -> list[Path]:
    return sorted(Path(os.environ["BPOTERMS_CACHE_DIR"]).glob("answers-*.bin"))


def outcome(result: subprocess.CompletedProcess[str]) -> tuple[int, str, str]:
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def answered_home(tmp_path_factory: pytest.TempPathFactory, compiled_builtin_cache: Path) -> dict[str, str]:
    """A user's folders after one `define` wrote the answers file, shared by the tests that only read it
    (building the file takes a full-route define; a test that changes or removes it makes its own)."""
    import shutil

    home = tmp_path_factory.mktemp("answered-home")
    cache = home / "cache" / "bpoterms"
    cache.mkdir(parents=True)
    for compiled in compiled_builtin_cache.glob("glossary-*.sqlite3"):
        shutil.copy2(compiled, cache / compiled.name)
    folders = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "BPOTERMS_CACHE_DIR": str(cache),
    }
    command = [*installed_command(), "define", "AHT"]
    written = subprocess.run(command, capture_output=True, text=True, timeout=60, env={**os.environ, **folders})
    assert written.returncode == 0 and list(cache.glob("answers-*.bin")), written.stderr
    return folders


@pytest.fixture
def answered(answered_home: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Run this test in the folders of `answered_home`."""
    for name, value in answered_home.items():
        monkeypatch.setenv(name, value)


def stored(args: list[str]) -> bool:
    """Whether the answers file in this test's folders holds the answer to `bpoterms *args`."""
    call = fastpath.parse(args)
    where = None if call is None or not fastpath._answerable(call) else fastpath._answers_path(call)
    return where is not None and answers.read(*where, call.words[0], call.json_out)[0] == answers.HIT


def test_the_first_define_writes_the_answers_file_and_prints_the_full_routes_answer():
    first = bpoterms("define", "AHT", "--json")
    assert answers_files(), "the first define writes the answers file"
    assert outcome(first) == full_route("--no-cache", "define", "AHT", "--json")
    assert first.returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ["define", "AHT", "--json"],
        ["define", "aht"],
        ["define", "average handle time", "--json"],
        ["define", "Average Handle Time"],
        ["define", "TSR", "--json"],  # a shared acronym: every reading
        ["define", "tsr"],
        ["define", "Wrap-Up Time", "--json"],  # an alias
        ["define", "T&M"],  # meaningful symbols
    ],
)
def test_an_answer_from_the_file_is_the_full_routes_answer_to_the_byte(args, answered):
    from_the_file = bpoterms(*args)
    assert outcome(from_the_file) == full_route("--no-cache", *args)
    assert from_the_file.returncode == 0
    stored = fastpath._stored_answer(fastpath.parse(args))
    assert stored is not None and stored[0] == answers.HIT, "the answer came from the file"


def test_every_stored_answer_is_what_run_define_prints(answered, monkeypatch):
    """Each entry's document is printed once and its `match` member re-laid for its other names;
    this checks that reuse against the real command for every name the file holds."""
    import functools

    call = fastpath.parse(["define", "AHT"])
    assert call is not None
    bpoterms("define", "AHT")  # rewrites the file if a module of bpoterms changed since it was written
    where = fastpath._answers_path(call)
    assert where is not None
    path, inputs = where
    # Each read checks the stat of every file the answers were made from (some fifty): nothing changes
    # them during this test, so each is taken once, for real, and reused by the twenty thousand reads.
    monkeypatch.setattr(answers, "stat_of", functools.cache(answers.stat_of))
    glossary = open_glossary([], True, True)
    checked = 0
    for entry in glossary.entries:
        for name in entry.names():
            for query in {name, name.lower(), name.upper()}:
                for json_out in (True, False):
                    status, code, text = answers.read(path, inputs, query, json_out)
                    if status != answers.HIT:
                        continue
                    out, err = io.StringIO(), io.StringIO()
                    with redirect_stdout(out), redirect_stderr(err):
                        expected_code = run_define(
                            glossary, [query], json_out=json_out, sources=False, brief=False, color="never"
                        )
                    assert (code, text) == (expected_code, out.getvalue()), query
                    checked += 1
    assert checked > 5000  # term, acronym and aliases of 725 entries, as typed and in lower case, two forms each


def test_an_edited_user_glossary_is_answered_from_its_new_text(tmp_path, builtin_layer_remembered):
    team = tmp_path / "team.yaml"
    team.write_text("terms:\n  - term: Work Queue\n    acronym: WQ\n    definition: Old meaning.\n", encoding="utf-8")
    assert "Old meaning." in bpoterms("-g", str(team), "define", "WQ").stdout
    assert "Old meaning." in bpoterms("-g", str(team), "define", "WQ").stdout  # from the file
    team.write_text("terms:\n  - term: Work Queue\n    acronym: WQ\n    definition: New meaning.\n", encoding="utf-8")
    assert "New meaning." in bpoterms("-g", str(team), "define", "WQ").stdout


def test_a_glossary_added_to_the_config_folder_is_seen_at_once(builtin_layer_remembered):
    bpoterms("define", "AHT")
    assert "talk time, hold time" in bpoterms("define", "AHT").stdout
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "bpoterms"
    config.mkdir(parents=True)
    (config / "team.yaml").write_text(
        "terms:\n  - term: Average Handle Time\n    acronym: AHT\n    definition: Our account's own meaning.\n",
        encoding="utf-8",
    )
    assert "Our account's own meaning." in bpoterms("define", "AHT").stdout


def test_a_damaged_answers_file_is_ignored_and_rewritten():
    expected = bpoterms("define", "AHT", "--json")
    (path,) = answers_files()
    path.write_bytes(path.read_bytes()[:5000])
    assert outcome(bpoterms("define", "AHT", "--json")) == outcome(expected)
    assert path.stat().st_size > 5000
    assert outcome(bpoterms("define", "AHT", "--json")) == outcome(expected)


def test_queries_the_file_does_not_hold_take_the_full_route(answered):
    for args in (
        ["define", "ahtt"],
        ["define", "AHT", "--sources"],
        ["define", "AHT", "--brief"],
        ["define", "nps score"],
    ):
        assert outcome(bpoterms(*args)) == full_route("--no-cache", *args), args


def test_no_cache_writes_no_answers_file():
    assert full_route("--no-cache", "define", "AHT")[0] == 0
    assert answers_files() == []


def test_an_answer_from_the_file_imports_neither_typing_re_json_sqlite_nor_the_model(answered):
    bpoterms("define", "AHT", "--json")  # rewrites the file if a module of bpoterms changed since it was written
    assert stored(["define", "AHT", "--json"])
    code = (
        "import sys; sys.argv = ['bpoterms', 'define', 'AHT', '--json']\n"
        "from bpoterms.fastpath import main\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0\n"
        "print('\\nMODULES', ' '.join(sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert '"term": "Average Handle Time"' in out.stdout
    loaded = set(out.stdout.split("MODULES", 1)[1].split())
    heavy = {"typing", "re", "json", "sqlite3", "pathlib", "enum", "bpoterms.model", "bpoterms.lookup"}
    assert not heavy & loaded


def test_the_reader_tells_a_miss_from_a_stale_file(tmp_path):
    watched = tmp_path / "glossary.yaml"
    watched.write_text("x", encoding="utf-8")
    path = str(tmp_path / "answers.bin")
    checks = [(str(watched), answers.stat_of(str(watched)))]
    answers.write(path, "inputs", checks, {"AHT": (0, '{"term": 1,', '"tail"}\n', "plain\n")})
    assert answers.read(path, "inputs", "AHT", True) == (answers.HIT, 0, '{"term": 1,"tail"}\n')
    assert answers.read(path, "inputs", "AHT", False) == (answers.HIT, 0, "plain\n")
    assert answers.read(path, "inputs", "FCR", True)[0] == answers.MISS
    assert answers.read(path, "other inputs", "AHT", True)[0] == answers.STALE
    watched.write_text("xy", encoding="utf-8")
    assert answers.read(path, "inputs", "AHT", True)[0] == answers.STALE


def test_many_answers_spread_over_buckets_are_each_found(tmp_path):
    path = str(tmp_path / "answers.bin")
    stored = {f"term {n}": (0, f"head {n % 7}", f" tail {n}", f"plain {n % 3}") for n in range(2000)}
    answers.write(path, "inputs", [], stored)
    for query, (code, head, tail, plain) in stored.items():
        assert answers.read(path, "inputs", query, True) == (answers.HIT, code, head + tail)
        assert answers.read(path, "inputs", query, False) == (answers.HIT, code, plain)


# A quarter of 2,049, 5,250 and 8,451 is 512, 1,312 and 2,112, multiples of 32 or more: an even bucket
# count then filed names by their first bytes (331, 32 and 40 in the fullest bucket).
@pytest.mark.parametrize("count", [2049, 4100, 5250, 8451])
def test_names_sharing_their_first_letters_spread_over_every_bucket(count):
    from collections import Counter

    names = list(dict.fromkeys(open_glossary().name_table().names))
    names = list(dict.fromkeys(names + [name.upper() for name in names] + [name.title() for name in names]))[:count]
    buckets = answers.bucket_count(len(names))
    filled = Counter(answers.bucket_of(name, buckets) for name in names)
    assert len(names) == count
    assert max(filled.values()) <= 6 * len(names) / buckets


def test_a_glossary_above_the_size_limit_gets_an_empty_answers_file_without_reading_every_key(monkeypatch):
    from bpoterms.store import Glossary

    monkeypatch.setattr(fastpath, "ANSWERS_MAX_ENTRIES", 10)  # the built-in glossary counts as large
    read_every_key = []
    monkeypatch.setattr(Glossary, "read_every_key", lambda self: read_every_key.append(self))
    call = fastpath.parse(["define", "AHT", "--json"])
    assert call is not None
    fastpath._remember(call)
    where = fastpath._answers_path(call)
    assert where is not None and answers_files() == [Path(where[0])]
    assert answers.read(*where, "AHT", True)[0] == answers.MISS  # usable, and holding no answer
    assert read_every_key == []
