"""Glossary layers: which files are loaded, in which order, and how a later entry overrides or merges."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .test_installed import installed_command

AHT_BUILTIN = "Average Handle Time"


def glossary_file(path: Path, *entries: str, header: str = "terms:\n") -> Path:
    """A user glossary with the given entries (each a YAML block of `key: value` lines, unindented)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join("  - " + "\n    ".join(line for line in entry.strip().splitlines()) + "\n" for entry in entries)
    path.write_text(header + body, encoding="utf-8")
    return path


def aht(definition: str) -> str:
    return f"term: Average Handle Time\nacronym: AHT\ndefinition: {definition}"


def config_folder(home: Path) -> Path:
    return home / "config" / "bpoterms"


def define_json(invoke, *args: str) -> dict:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def run_installed(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, inheriting the test's isolated environment."""
    return subprocess.run([*installed_command(), *args], capture_output=True, text=True, timeout=60, env=os.environ)


# ---------------------------------------------------------------- which files are loaded


def test_a_file_in_the_config_folder_is_loaded_automatically(invoke, isolated_user_folders):
    team = glossary_file(
        config_folder(isolated_user_folders) / "team.yaml", "term: Work Queue\nacronym: WQ\ndefinition: Ours."
    )
    data = define_json(invoke, "define", "WQ")
    assert data["definition"] == "Ours."
    assert data["origin"] == str(team)


def test_only_yaml_files_in_the_config_folder_are_loaded(invoke, isolated_user_folders):
    folder = config_folder(isolated_user_folders)
    glossary_file(folder / "team.yaml", "term: Work Queue\ndefinition: Ours.")
    (folder / "notes.txt").write_text("not: [a glossary\n", encoding="utf-8")
    assert invoke("define", "Work Queue").exit_code == 0


def test_a_folder_in_bpoterms_glossary_loads_every_yaml_file(invoke, tmp_path, monkeypatch):
    folder = tmp_path / "team"
    glossary_file(folder / "a.yaml", "term: Alpha Queue\ndefinition: First file.")
    glossary_file(folder / "b.yaml", "term: Beta Queue\ndefinition: Second file.")
    monkeypatch.setenv("BPOTERMS_GLOSSARY", str(folder))
    assert define_json(invoke, "define", "Alpha Queue")["origin"] == str(folder / "a.yaml")
    assert define_json(invoke, "define", "Beta Queue")["origin"] == str(folder / "b.yaml")


def test_bpoterms_glossary_holds_several_paths_separated_like_path(invoke, tmp_path, monkeypatch):
    one = glossary_file(tmp_path / "one.yaml", "term: Alpha Queue\ndefinition: First file.")
    two = glossary_file(tmp_path / "two.yaml", "term: Beta Queue\ndefinition: Second file.")
    monkeypatch.setenv("BPOTERMS_GLOSSARY", f"{one}{os.pathsep}{two}")
    assert invoke("define", "Alpha Queue").exit_code == 0
    assert invoke("define", "Beta Queue").exit_code == 0


def test_a_folder_given_with_glossary_loads_every_yaml_file(invoke, tmp_path):
    folder = tmp_path / "team"
    glossary_file(folder / "a.yaml", "term: Alpha Queue\ndefinition: First file.")
    glossary_file(folder / "b.yaml", "term: Beta Queue\ndefinition: Second file.")
    result = invoke("--glossary", str(folder), "define", "Alpha Queue", "Beta Queue", "--brief")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["Alpha Queue — First file.", "Beta Queue — Second file."]


def test_no_builtin_leaves_the_builtin_glossary_out(invoke, team_glossary):
    listed = json.loads(invoke("--no-builtin", "-g", str(team_glossary), "list", "--json").stdout)
    assert [e["term"] for e in listed] == ["Average Handle Time", "Work Queue"]
    assert invoke("--no-builtin", "-g", str(team_glossary), "define", "FCR").exit_code == 1


def test_without_no_builtin_both_glossaries_answer(invoke, team_glossary):
    assert invoke("-g", str(team_glossary), "define", "FCR", "WQ").exit_code == 0


# ---------------------------------------------------------------- precedence


@pytest.mark.parametrize(
    ("layers", "winner"),
    [
        ((), "built-in"),
        (("config",), "config"),
        (("config", "env"), "env"),
        (("config", "option"), "option"),
        (("config", "env", "option"), "option"),
        (("env", "option"), "option"),
    ],
)
def test_precedence_is_builtin_then_config_then_environment_then_option(
    layers, winner, invoke, tmp_path, monkeypatch, isolated_user_folders
):
    args: list[str] = []
    if "config" in layers:
        glossary_file(config_folder(isolated_user_folders) / "team.yaml", aht("From the config folder."))
    if "env" in layers:
        monkeypatch.setenv("BPOTERMS_GLOSSARY", str(glossary_file(tmp_path / "env.yaml", aht("From the environment."))))
    if "option" in layers:
        args = ["--glossary", str(glossary_file(tmp_path / "option.yaml", aht("From the option.")))]
    data = define_json(invoke, *args, "define", "AHT")
    expected = {
        "built-in": define_json(invoke, "define", "AHT")["definition"],
        "config": "From the config folder.",
        "env": "From the environment.",
        "option": "From the option.",
    }
    assert data["definition"] == expected[winner]
    assert (data["origin"] == "built-in") == (winner == "built-in")


def test_a_later_glossary_option_wins_over_an_earlier_one(invoke, tmp_path):
    first = glossary_file(tmp_path / "first.yaml", aht("First."))
    second = glossary_file(tmp_path / "second.yaml", aht("Second."))
    assert define_json(invoke, "-g", str(first), "-g", str(second), "define", "AHT")["definition"] == "Second."
    assert define_json(invoke, "-g", str(second), "-g", str(first), "define", "AHT")["definition"] == "First."


def test_sources_lists_every_loaded_file_with_entry_count_and_precedence(
    invoke, tmp_path, monkeypatch, isolated_user_folders
):
    config = glossary_file(
        config_folder(isolated_user_folders) / "team.yaml",
        "term: Alpha Queue\ndefinition: A.",
        "term: Beta Queue\ndefinition: B.",
    )
    env = glossary_file(tmp_path / "env.yaml", "term: Gamma Queue\ndefinition: G.")
    option = glossary_file(
        tmp_path / "option.yaml",
        "term: Delta Queue\ndefinition: D.",
        "term: Epsilon Queue\ndefinition: E.",
        "term: Zeta Queue\ndefinition: Z.",
    )
    monkeypatch.setenv("BPOTERMS_GLOSSARY", str(env))
    files = json.loads(invoke("-g", str(option), "sources", "--json").stdout)["files"]
    assert [(f["path"], f["entries"], f["precedence"], f["builtin"]) for f in files[1:]] == [
        (str(config), 2, 1, False),
        (str(env), 1, 2, False),
        (str(option), 3, 3, False),
    ]
    assert files[0]["path"] == "built-in" and files[0]["precedence"] == 0 and files[0]["builtin"] is True
    assert files[0]["entries"] > 200


def test_sources_in_plain_text_names_the_files_in_precedence_order(invoke, team_glossary):
    lines = invoke("-g", str(team_glossary), "sources").stdout.splitlines()
    start = lines.index("Loaded files (later overrides earlier):")
    assert lines[start + 1].startswith("  0\t") and lines[start + 1].endswith("\tbuilt-in")
    assert lines[start + 2] == f"  1\t2\t{team_glossary}"


# ---------------------------------------------------------------- override and merge


def test_an_entry_with_a_builtin_name_replaces_the_builtin_entry(invoke, tmp_path):
    team = glossary_file(tmp_path / "team.yaml", "term: Average Handle Time\ndefinition: Talk time only, here.")
    result = invoke("-g", str(team), "define", "Average Handle Time", "--color", "never")
    assert result.exit_code == 0
    assert "Talk time only, here." in result.stdout
    assert f"From: {team}" in result.stdout.splitlines()[-1]
    builtin_count = len(json.loads(invoke("list", "--json").stdout))
    assert len(json.loads(invoke("-g", str(team), "list", "--json").stdout)) == builtin_count


def test_an_entry_sharing_only_a_builtin_acronym_is_a_second_reading_not_an_override(invoke, tmp_path):
    team = glossary_file(tmp_path / "team.yaml", "term: Agent Hold Threshold\nacronym: AHT\ndefinition: Ours.")
    data = define_json(invoke, "-g", str(team), "define", "AHT")
    assert data["ambiguous"] is True
    assert [e["term"] for e in data["entries"]] == ["Agent Hold Threshold", AHT_BUILTIN]
    terms = {e["term"] for e in json.loads(invoke("-g", str(team), "list", "--json").stdout)}
    assert {AHT_BUILTIN, "Agent Hold Threshold"} <= terms


def test_replaces_overrides_the_entry_it_names_explicitly(invoke, tmp_path):
    team = glossary_file(
        tmp_path / "team.yaml", "term: Agent Hold Threshold\nacronym: AHT\nreplaces: AHT\ndefinition: Ours."
    )
    data = define_json(invoke, "-g", str(team), "define", "AHT")
    assert (data["term"], data["definition"], data["origin"]) == ("Agent Hold Threshold", "Ours.", str(team))
    terms = {e["term"] for e in json.loads(invoke("-g", str(team), "list", "--json").stdout)}
    assert AHT_BUILTIN not in terms


def test_a_builtin_entry_shows_no_from_line(invoke):
    result = invoke("define", "AHT", "--color", "never")
    assert "From:" not in result.stdout
    assert define_json(invoke, "define", "AHT")["origin"] == "built-in"


def test_merge_true_adds_a_source_quote_and_keeps_the_builtin_definition(invoke, tmp_path):
    builtin = define_json(invoke, "define", "FCR")
    team = glossary_file(
        tmp_path / "team.yaml",
        "term: First Call Resolution\ndefinition: On our account, resolved within 48 hours.\n"
        "aliases: [One and Done]\nmerge: true",
    )
    merged = define_json(invoke, "-g", str(team), "define", "FCR")
    assert merged["definition"] == builtin["definition"]
    assert merged["sources"][: len(builtin["sources"])] == builtin["sources"]
    assert merged["sources"][-1] == {
        "source": "team.yaml",
        "title": "team.yaml",
        "text": "On our account, resolved within 48 hours.",
    }
    assert "One and Done" in merged["aliases"]
    assert define_json(invoke, "-g", str(team), "define", "one and done")["term"] == "First Call Resolution"


def test_a_merged_quote_is_shown_with_sources(invoke, tmp_path):
    team = glossary_file(
        tmp_path / "team.yaml", "term: First Call Resolution\ndefinition: Resolved within 48 hours.\nmerge: true"
    )
    out = invoke("-g", str(team), "define", "FCR", "--sources", "--color", "never").stdout
    assert "    team.yaml:\n      Resolved within 48 hours." in out


def test_merge_with_no_existing_entry_adds_a_new_one(invoke, tmp_path):
    team = glossary_file(tmp_path / "team.yaml", "term: Work Queue\ndefinition: Ours.\nmerge: true")
    assert define_json(invoke, "-g", str(team), "define", "Work Queue")["definition"] == "Ours."


# ---------------------------------------------------------------- attribution, shapes, categories


def test_a_user_file_without_sources_is_attributed_to_the_file_itself(invoke, team_glossary):
    data = define_json(invoke, "-g", str(team_glossary), "define", "WQ")
    assert data["sources"] == [
        {"source": "team.yaml", "title": "team.yaml", "text": data["definition"]},
    ]
    listed = json.loads(invoke("-g", str(team_glossary), "sources", "--json").stdout)["sources"]
    own = next(s for s in listed if s["id"] == "team.yaml")
    assert (own["file"], own["entries"]) == (str(team_glossary), 2)


def test_declared_sources_of_a_user_file_are_quoted_by_id(invoke, tmp_path):
    team = tmp_path / "team.yaml"
    team.write_text(
        "sources:\n  - {id: ops-wiki, title: Operations wiki, url: 'https://wiki.example/ops'}\n"
        "terms:\n  - term: Work Queue\n    definition: Ours.\n"
        "    sources:\n      - {source: ops-wiki, text: The wiki's words.}\n",
        encoding="utf-8",
    )
    data = define_json(invoke, "-g", str(team), "define", "Work Queue")
    assert data["sources"] == [{"source": "ops-wiki", "title": "Operations wiki", "text": "The wiki's words."}]


def test_a_bare_list_of_entries_is_a_valid_glossary(invoke, tmp_path):
    team = tmp_path / "team.yaml"
    team.write_text("- term: Work Queue\n  acronym: WQ\n  definition: Ours.\n", encoding="utf-8")
    assert define_json(invoke, "-g", str(team), "define", "WQ")["term"] == "Work Queue"
    assert invoke("validate", str(team)).exit_code == 0


def test_a_user_file_may_declare_its_own_categories(invoke, tmp_path):
    team = tmp_path / "team.yaml"
    team.write_text(
        "categories:\n  - {id: team-ops, description: Our own operations words.}\n"
        "terms:\n  - term: Work Queue\n    category: team-ops\n    definition: Ours.\n",
        encoding="utf-8",
    )
    categories = json.loads(invoke("-g", str(team), "categories", "--json").stdout)
    assert {"id": "team-ops", "description": "Our own operations words.", "entries": 1} in categories
    listed = json.loads(invoke("-g", str(team), "list", "--category", "team-ops", "--json").stdout)
    assert [e["term"] for e in listed] == ["Work Queue"]
    assert invoke("-g", str(team), "validate").exit_code == 0


def test_an_entry_without_a_category_is_uncategorized(invoke, team_glossary):
    assert define_json(invoke, "-g", str(team_glossary), "define", "WQ")["category"] == "uncategorized"
    categories = json.loads(invoke("-g", str(team_glossary), "categories", "--json").stdout)
    assert {"id": "uncategorized", "description": "", "entries": 2} in categories  # WQ, and AHT replaced


# ---------------------------------------------------------------- every command takes the global options

COMMANDS = [
    ("define", "WQ"),
    ("search", "pending tickets"),
    ("list",),
    ("random", "--seed", "1"),
    ("sources",),
    ("categories",),
    ("validate",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_accepts_the_global_options(command, invoke, team_glossary):
    result = invoke("--no-cache", "--no-builtin", "--glossary", str(team_glossary), *command, "--color", "never")
    assert result.exit_code == 0, result.stderr
    if command[0] in ("define", "search", "list"):
        assert "Work Queue" in result.stdout
    if command[0] == "sources":
        assert "built-in" not in result.stdout and str(team_glossary) in result.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_accepts_the_short_and_equals_forms(command, invoke, team_glossary):
    result = invoke("-g", str(team_glossary), f"--glossary={team_glossary}", *command)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--no-cache", "--no-builtin", "--glossary", "{team}", "define", "WQ", "--json"),
        ("-g", "{team}", "--no-builtin", "define", "WQ", "--json"),
        ("--glossary={team}", "--no-cache", "search", "work queue", "--json"),
    ],
)
def test_the_installed_fast_route_accepts_the_global_options(args, team_glossary):
    result = run_installed(*(a.format(team=team_glossary) for a in args))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    first = data[0] if isinstance(data, list) else data
    assert first["term"] == "Work Queue"


def test_the_installed_command_loads_the_config_folder_and_environment_layers(
    tmp_path, monkeypatch, isolated_user_folders, builtin_layer_remembered
):
    glossary_file(config_folder(isolated_user_folders) / "team.yaml", aht("From the config folder."))
    monkeypatch.setenv(
        "BPOTERMS_GLOSSARY", str(glossary_file(tmp_path / "env.yaml", "term: Work Queue\ndefinition: E."))
    )
    result = run_installed("define", "AHT", "Work Queue", "--json")
    assert result.returncode == 0, result.stderr
    assert [d["definition"] for d in json.loads(result.stdout)] == ["From the config folder.", "E."]


def test_the_installed_fast_route_with_no_builtin_finds_no_builtin_entry(team_glossary):
    result = run_installed("--no-builtin", "-g", str(team_glossary), "define", "FCR")
    assert result.returncode == 1 and result.stdout == ""


# ---------------------------------------------------------------- checking and merging in process


def test_merged_entries_are_ordered_by_folded_term_then_by_term(tmp_path):
    """Two stable sorts in merge_layers stand for one sort by (fold(term), term): case and accent
    variants sit together, capitals first among them, and homonyms keep their file order."""
    from bpoterms import layers
    from bpoterms.model import LoadedFile
    from bpoterms.normalize import fold

    terms = ["beta", "Éclair", "Beta", "alpha", "eclair", "Alpha", "beta", "BETA", "delta"]
    path = glossary_file(tmp_path / "order.yaml", *(f"term: {t}\ndefinition: d{i}" for i, t in enumerate(terms)))
    content = layers.load_text(path.read_text(encoding="utf-8"), path, str(path))
    merged = layers.merge_layers([(content, LoadedFile(str(path), len(terms), 0))])
    expected = sorted((e for e, _merge in content.entries), key=lambda e: (fold(e.term), e.term))
    assert list(merged.entries) == expected
    assert [e.definition for e in merged.entries if e.term == "beta"] == ["d0", "d6"]


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_and_validating_leave_the_garbage_collector_as_they_found_it(tmp_path, enabled):
    """A build pauses the cycle collector (glossary._without_cycle_collection); a good file, a bad
    one and a validation all restore it."""
    import gc

    from bpoterms import GlossaryError, GlossarySpec, load, validate

    good = glossary_file(tmp_path / "good.yaml", "term: Work Queue\ndefinition: Ours.")
    bad = glossary_file(tmp_path / "bad.yaml", "term: Work Queue\ndefinition: Ours.", "term: Broken")
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        loaded = load(GlossarySpec((good,), include_builtin=False))
        assert gc.isenabled() is enabled
        with pytest.raises(GlossaryError, match="missing required field 'definition'"):
            load(GlossarySpec((bad,), include_builtin=False))
        assert gc.isenabled() is enabled
        problems = validate(GlossarySpec((bad,), include_builtin=False))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert [e.term for e in loaded.entries] == ["Work Queue"]
    assert [p.message for p in problems] == ["missing required field 'definition'"]


def test_loading_does_not_look_for_shared_names_but_the_builtin_layer_and_validate_do(tmp_path):
    from bpoterms import GlossarySpec, layers, validate

    path = glossary_file(
        tmp_path / "team.yaml",
        "term: Work Queue\nacronym: WQ\ndefinition: Ours.",
        "term: Wait Queue\nacronym: WQ\ndefinition: Theirs.",
    )
    text = path.read_text(encoding="utf-8")
    shared = "shares the name 'WQ'"
    assert not [f for f in layers.load_text(text, path, str(path)).findings if shared in f.message]
    kept = layers.load_text(text, path, str(path), keep_warnings=True).findings
    assert [f.severity for f in kept if shared in f.message] == ["warning"]
    assert [p.severity for p in validate(GlossarySpec((path,), include_builtin=False)) if shared in p.message] == [
        "warning"
    ]
