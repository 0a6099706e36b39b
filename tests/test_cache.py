"""The compiled cache: reused when fresh, rebuilt when stale or damaged, never required."""

from __future__ import annotations

import json
import marshal
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bpoterms import store
from bpoterms.glossary import GlossarySpec, load
from bpoterms.sqlite import ROWS_A_STATEMENT, insert_rows


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("glossary-*.sqlite3"))


@pytest.fixture
def cache_folder(isolated_user_folders: Path) -> Path:
    """The test's cache folder, emptied of the precompiled copy every other test starts from."""
    folder = isolated_user_folders / "cache" / "bpoterms"
    for path in cache_files(folder):
        path.unlink()
    return folder


def test_the_first_run_writes_one_cache_file(invoke, cache_folder):
    assert invoke("define", "AHT", "--json").exit_code == 0
    assert len(cache_files(cache_folder)) == 1


def test_a_warm_run_reads_the_cache_without_rebuilding(invoke, cache_folder):
    invoke("define", "AHT")
    (path,) = cache_files(cache_folder)
    before = path.stat().st_mtime_ns
    assert invoke("define", "FCR").exit_code == 0
    assert path.stat().st_mtime_ns == before


def test_no_cache_neither_reads_nor_writes(invoke, cache_folder):
    assert invoke("--no-cache", "define", "AHT").exit_code == 0
    assert not cache_folder.exists() or cache_files(cache_folder) == []


def test_a_changed_glossary_file_is_noticed(invoke, team_glossary):
    assert "talk plus hold" in invoke("--glossary", str(team_glossary), "define", "AHT").stdout
    team_glossary.write_text(
        team_glossary.read_text(encoding="utf-8").replace("talk plus hold", "talk, hold and wrap"), encoding="utf-8"
    )
    assert "talk, hold and wrap" in invoke("--glossary", str(team_glossary), "define", "AHT").stdout


def test_a_touched_but_unchanged_file_keeps_its_cache_answer(invoke, team_glossary):
    first = invoke("--glossary", str(team_glossary), "define", "WQ", "--json").stdout
    os.utime(team_glossary, ns=(1, 1))
    assert invoke("--glossary", str(team_glossary), "define", "WQ", "--json").stdout == first


def test_a_touched_but_unchanged_file_is_hashed_once_not_on_every_run(invoke, team_glossary, monkeypatch):
    invoke("--glossary", str(team_glossary), "define", "WQ")
    os.utime(team_glossary, ns=(1, 1))
    hashed: list[str] = []
    real_hash = store.content_hash
    monkeypatch.setattr(store, "content_hash", lambda path, *rest: hashed.append(str(path)) or real_hash(path, *rest))
    invoke("--glossary", str(team_glossary), "define", "WQ")
    invoke("--glossary", str(team_glossary), "define", "WQ")
    assert hashed == [str(team_glossary)]


@pytest.mark.parametrize("damage", [b"", b"garbage, not a database" * 100, None])
def test_a_corrupt_or_truncated_cache_is_rebuilt(damage, invoke, cache_folder):
    invoke("define", "AHT")
    (path,) = cache_files(cache_folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3] if damage is None else damage)
    result = invoke("define", "AHT", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["acronym"] == "AHT"
    assert result.stderr == ""


def test_a_cache_from_another_version_is_rebuilt(invoke, cache_folder):
    invoke("define", "AHT")
    (path,) = cache_files(cache_folder)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (marshal.dumps("0.0.0-foreign"),))
    assert invoke("define", "AHT").exit_code == 0
    with sqlite3.connect(path) as db:
        (value,) = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    assert marshal.loads(value) != "0.0.0-foreign"


def test_a_cache_with_missing_tables_is_rebuilt(invoke, cache_folder):
    invoke("define", "AHT")
    (path,) = cache_files(cache_folder)
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE keys")
    assert invoke("define", "AHT", "--json").exit_code == 0


@pytest.mark.parametrize(
    ("damage", "args"),
    [
        ("UPDATE postings SET positions = x'010203'", ("define", "abandonmnet", "--json")),  # does not decode
        ("UPDATE postings SET positions = x'ffffff7f'", ("define", "abandonmnet", "--json")),  # no such name
        ("UPDATE postings SET positions = x'010203'", ("search", "handle time", "--json")),
    ],
)
def test_a_word_index_found_damaged_midway_is_rebuilt_and_the_query_answered(damage, args, invoke, cache_folder):
    before = invoke(*args)
    (path,) = cache_files(cache_folder)
    with sqlite3.connect(path) as db:
        db.execute(damage)
    result = invoke(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (before.exit_code, before.stdout, "")
    assert before.exit_code in (0, 1) and before.stdout.strip()
    with sqlite3.connect(path) as db:  # the rebuilt cache holds the index as compiled
        assert all(len(blob) % 4 == 0 for (blob,) in db.execute("SELECT positions FROM postings"))


@pytest.mark.parametrize("damage", ["UPDATE deletions SET words = x'0102'", "UPDATE deletions SET words = x'ffffff7f'"])
def test_a_deletion_index_found_damaged_midway_is_rebuilt_and_the_misspelling_answered(
    damage, invoke, cache_folder, team_glossary, monkeypatch
):
    from bpoterms import nameindex

    monkeypatch.setattr(nameindex, "DELETIONS_FROM", 0)  # the built-in vocabulary is too small to have one
    args = ("--glossary", str(team_glossary), "define", "wrok queue", "--json")
    expected = invoke(*args).stdout
    (path,) = cache_files(cache_folder)
    with sqlite3.connect(path) as db:
        db.execute(damage)
    result = invoke(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected, "")
    assert json.loads(expected)["term"] == "Work Queue"


def test_a_cache_is_trusted_only_with_the_name_index_tables():
    from bpoterms import nameindex

    assert set(nameindex.TABLES) <= store._TABLES


def test_an_unwritable_cache_folder_still_answers_quietly(invoke, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("BPOTERMS_CACHE_DIR", str(blocked / "bpoterms"))
    result = invoke("define", "AHT", "--json")
    assert result.exit_code == 0 and result.stderr == ""


def test_writing_leaves_no_temporary_files(invoke, cache_folder):
    invoke("define", "AHT")
    assert sorted(p.name for p in cache_folder.iterdir()) == [p.name for p in cache_files(cache_folder)]


def test_a_broken_glossary_is_never_cached(invoke, tmp_path, cache_folder):
    broken = tmp_path / "broken.yaml"
    broken.write_text("terms: [\n", encoding="utf-8")
    assert invoke("--glossary", str(broken), "define", "AHT").exit_code == 2
    assert len(cache_files(cache_folder)) == 0


def test_cache_info_lists_the_cache_files(invoke, cache_folder):
    invoke("define", "AHT")
    data = json.loads(invoke("cache", "info", "--json").stdout)
    assert data["folder"] == str(cache_folder)
    assert [f["path"] for f in data["files"]] == [str(p) for p in cache_files(cache_folder)]


def test_cache_clear_removes_the_cache_files(invoke, cache_folder):
    invoke("define", "AHT")
    result = invoke("cache", "clear")
    assert result.stdout.strip() == "removed 1 cache file"
    assert cache_files(cache_folder) == []


def test_cached_and_uncached_loads_agree(cache_folder):
    cold = load(GlossarySpec(()), use_cache=False)
    load(GlossarySpec(()), use_cache=True)
    warm = load(GlossarySpec(()), use_cache=True)
    assert warm.path != store.MEMORY
    assert warm.entries == cold.entries


def test_two_processes_building_the_cache_at_once_both_succeed(cache_folder, team_glossary):
    code = (
        "import json,sys; from bpoterms.glossary import open_glossary; "
        "g = open_glossary([sys.argv[1]]); print(g.get('WQ').term)"
    )
    env = {**os.environ, "BPOTERMS_CACHE_DIR": str(cache_folder)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(team_glossary)], stdout=subprocess.PIPE, text=True, env=env)
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert outputs == ["Work Queue"] * 4
    assert [p.returncode for p in procs] == [0] * 4
    assert len(cache_files(cache_folder)) == 1
    assert load(GlossarySpec((team_glossary,)), use_cache=True).get("WQ").term == "Work Queue"


def test_packing_an_entry_field_by_field_gives_the_bytes_walking_it_gives():
    """pack_entry passes plain fields through and only rebuilds the record-holding ones; marshal
    must write exactly what `_plain` (the general walk) gives, record types of every kind included."""
    from bpoterms.model import Compute, ComputeInput, Entry, Example, Quote, Variant

    full = Entry(
        "Average Handle Time",
        "Talk, hold and wrap-up.",
        acronym="AHT",
        aliases=("Handle Time",),
        see_also=("ACW",),
        sources=(Quote("copc", "Talk plus hold."), Quote("team", "Handle time.")),
        region=("us",),
        direction="lower",
        compute=Compute("(talk + hold) / calls", (ComputeInput("talk", "Talk seconds", "s"),), "s"),
        example=Example("300 s over 2 calls", (("talk", 200.0), ("hold", 100.0)), 150.0),
        variants=(Variant("with wrap-up", "(talk + hold + wrap) / calls", "COPC"),),
    )
    for entry in (full, Entry("Backlog", "Work waiting.")):
        assert store.pack_entry(entry) == store._plain(entry)
        assert marshal.dumps([store.pack_entry(entry)]) == marshal.dumps([store._plain(entry)])
        assert store.unpack_entry(store.pack_entry(entry)) == entry


def test_citations_count_each_citing_entry_once_for_the_last_entry_of_a_term():
    from bpoterms.model import Entry

    entries = [
        Entry("A", "x", see_also=("B", "B", "C"), confused_with=("B",)),
        Entry("B", "x"),
        Entry("B", "y", see_also=("A", "nobody")),
        Entry("C", "x", see_also=("B",)),
    ]
    assert store._citations(entries) == [(0, 1), (2, 2), (3, 1)]


def test_inserting_many_rows_a_statement_writes_every_row_in_order():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t(position INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT, b INTEGER)")
    rows = [(f"row {i}", i) for i in range(2 * ROWS_A_STATEMENT + 3)]
    insert_rows(db, "INSERT INTO t(a, b)", iter(rows), 2)
    assert db.execute("SELECT a, b FROM t ORDER BY position").fetchall() == rows
