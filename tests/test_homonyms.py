"""Names shared by several entries (homonyms): every entry is kept and every reading is shown,
in one file and across layers; symbols that carry meaning (C++, C#, .NET) stay in the keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bpoterms import GlossarySpec, load, resolve
from bpoterms.model import Ambiguous, Match


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def shared_acronym(tmp_path: Path) -> Path:
    """The issue's reproduction: two entries share CL, a third contains one of their names."""
    return write(
        tmp_path / "cl.yaml",
        "ambiguous: [CL]\n"
        "terms:\n"
        "  - {term: Customer Lag, acronym: CL, definition: How far customers lag.}\n"
        "  - {term: Change Limit, acronym: CL, definition: A limit on changes.}\n"
        "  - {term: Bulk Customer Lag, definition: Lag in bulk.}\n",
    )


def only(path: Path):
    return load(GlossarySpec((path,), include_builtin=False))


def test_entries_sharing_an_acronym_in_one_file_are_all_kept(shared_acronym):
    assert [e.term for e in only(shared_acronym).entries] == ["Bulk Customer Lag", "Change Limit", "Customer Lag"]


def test_a_full_name_still_finds_its_own_entry_when_the_acronym_is_shared(shared_acronym):
    match = resolve(only(shared_acronym), "Customer Lag")
    assert isinstance(match, Match) and match.entry.term == "Customer Lag"


def test_the_shared_acronym_gives_every_reading(shared_acronym):
    found = resolve(only(shared_acronym), "cl")
    assert isinstance(found, Ambiguous)
    assert [m.entry.term for m in found.matches] == ["Change Limit", "Customer Lag"]


def test_define_of_a_shared_acronym_exits_0_with_every_reading_in_json(invoke, shared_acronym):
    result = invoke("--no-builtin", "-g", str(shared_acronym), "define", "CL", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["ambiguous"], data["query"]) == (True, "CL")
    assert [(e["term"], e["match"]["kind"]) for e in data["entries"]] == [
        ("Change Limit", "acronym"),
        ("Customer Lag", "acronym"),
    ]


def test_define_of_a_shared_acronym_prints_a_heading_and_each_entry(invoke, shared_acronym):
    out = invoke("--no-builtin", "-g", str(shared_acronym), "define", "CL", "--brief").stdout
    assert out == (
        "'CL' has 2 meanings:\nChange Limit (CL) — A limit on changes.\nCustomer Lag (CL) — How far customers lag.\n"
    )


def test_a_shared_name_not_declared_ambiguous_loads_and_validate_warns(invoke, tmp_path):
    path = write(
        tmp_path / "t.yaml",
        "terms:\n  - {term: Sick Leave, acronym: SL, definition: Paid leave when ill.}\n"
        "  - {term: Service Level, acronym: SL, definition: Calls answered in time.}\n",
    )
    assert invoke("--no-builtin", "-g", str(path), "define", "SL").exit_code == 0
    lines = invoke("validate", str(path)).stdout.splitlines()
    assert lines == [
        f"{path}:3:5: warning: 'Service Level' shares the name 'SL' with 'Sick Leave': both are kept, and "
        "`define SL` shows both (list it under 'ambiguous:' if that is meant)"
    ]


def test_a_team_entry_sharing_a_builtin_acronym_adds_a_reading_across_layers(invoke, tmp_path):
    team = write(tmp_path / "team.yaml", "terms:\n  - {term: Team Sales Report, acronym: TSR, definition: Ours.}\n")
    data = json.loads(invoke("-g", str(team), "define", "TSR", "--json").stdout)
    terms = [e["term"] for e in data["entries"]]
    assert "Team Sales Report" in terms and "Technical Support Representative" in terms


def test_nothing_is_dropped_when_layers_share_names(tmp_path):
    first = write(tmp_path / "a.yaml", "terms:\n  - {term: Alpha, acronym: X, aliases: [Shared], definition: a}\n")
    second = write(tmp_path / "b.yaml", "terms:\n  - {term: Beta, acronym: X, aliases: [Shared], definition: b}\n")
    glossary = load(GlossarySpec((first, second), include_builtin=False))
    assert [e.term for e in glossary.entries] == ["Alpha", "Beta"]


@pytest.mark.parametrize(
    ("query", "term"), [("C", "C"), ("C++", "C++"), ("c#", "C#"), (".NET", ".NET"), ("NET", "NET")]
)
def test_symbols_that_carry_meaning_stay_in_the_keys(query, term, tmp_path):
    path = write(
        tmp_path / "langs.yaml",
        "terms:\n"
        + "".join(
            f"  - {{term: '{name}', definition: The {name} thing.}}\n" for name in ("C", "C++", "C#", ".NET", "NET")
        ),
    )
    match = resolve(only(path), query)
    assert isinstance(match, Match) and match.entry.term == term


@pytest.mark.parametrize("query", ["T&M", "t & m", "T and M"])
def test_ampersand_forms_meet(query, tmp_path):
    path = write(tmp_path / "tm.yaml", "terms:\n  - {term: Time and Materials, acronym: T&M, definition: x}\n")
    match = resolve(only(path), query)
    assert isinstance(match, Match) and match.entry.term == "Time and Materials"
