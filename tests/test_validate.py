"""`bpoterms validate`: every problem as FILE:LINE:COLUMN: severity: message, at the right place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def report(invoke, path: Path) -> list[str]:
    """The lines `validate PATH` prints (it exits 1 whenever it prints any)."""
    result = invoke("validate", str(path))
    assert result.exit_code == (1 if result.stdout else 0), result.stderr
    return result.stdout.splitlines()


CLEAN = """\
terms:
  - term: Work Queue
    acronym: WQ
    definition: A named list of pending tickets.
    see_also: [Average Handle Time]
"""


# ---------------------------------------------------------------- one problem per kind, at its line


def test_a_clean_file_prints_nothing_and_exits_0(invoke, tmp_path):
    result = invoke("validate", str(write(tmp_path / "team.yaml", CLEAN)))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_a_yaml_syntax_error_is_reported_at_its_line(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "terms:\n"
        "  - term: Work Queue\n"
        "    definition: A list\n"
        "   - term: Misaligned\n"  # line 4: one space short
        "    definition: x\n",
    )
    [line] = report(invoke, path)
    assert line.startswith(f"{path}:4:")
    assert ": error: YAML syntax error: " in line


def test_an_unclosed_bracket_is_reported_where_yaml_gives_up(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - term: X\n    aliases: [a, b\n    definition: x\n")
    assert report(invoke, path) == [f"{path}:4:15: error: YAML syntax error: did not find expected ',' or ']'"]


def test_a_missing_definition_is_reported_at_its_entry(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "terms:\n  - term: Work Queue\n    definition: Fine.\n  - term: Backlog Age\n    acronym: BA\n",
    )
    assert report(invoke, path) == [f"{path}:4:5: error: missing required field 'definition'"]


def test_a_missing_term_is_reported_at_its_entry(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - definition: No name.\n")
    assert report(invoke, path) == [f"{path}:2:5: error: missing required field 'term'"]


def test_a_number_for_a_term_is_a_type_error_at_the_value(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - term: 42\n    definition: A number.\n")
    assert report(invoke, path) == [f"{path}:2:11: error: 'term' must be a string, found a number (quote it)"]


def test_a_string_for_aliases_is_a_type_error_at_the_value(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - term: Work Queue\n    aliases: WQ list\n    definition: x\n")
    assert report(invoke, path) == [f"{path}:3:14: error: 'aliases' must be a list of strings, found a string"]


def test_a_true_for_a_definition_is_a_type_error(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - term: Work Queue\n    definition: yes\n")
    assert report(invoke, path) == [f"{path}:3:17: error: 'definition' must be a string, found true/false (quote it)"]


def test_an_unknown_key_is_a_warning_with_did_you_mean_at_the_key(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - term: Work Queue\n    acronymn: WQ\n    definition: x\n")
    assert report(invoke, path) == [f"{path}:3:5: warning: unknown key 'acronymn' (did you mean 'acronym'?)"]


def test_an_unknown_top_level_key_is_a_warning(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "term:\n  - term: Work Queue\n    definition: x\n")
    lines = report(invoke, path)
    assert f"{path}:1:1: warning: unknown top-level key 'term' (did you mean 'terms'?)" in lines


def test_two_entries_with_one_name_are_a_warning_at_the_second(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "terms:\n"
        "  - term: Work Queue\n"
        "    definition: First.\n"
        "  - term: Backlog Age\n"
        "    definition: Other.\n"
        "  - term: work queue\n"  # line 6
        "    definition: Second.\n",
    )
    assert report(invoke, path) == [
        f"{path}:6:5: warning: 'work queue' shares the name 'work queue' with 'Work Queue': both are kept, "
        "and `define work queue` shows both (list it under 'ambiguous:' if that is meant)"
    ]


def test_two_entries_with_one_acronym_are_a_warning_at_the_second(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "terms:\n"
        "  - term: Work Queue\n"
        "    acronym: WQ\n"
        "    definition: First.\n"
        "  - term: Wait Queue\n"  # line 5
        "    acronym: WQ\n"
        "    definition: Second.\n",
    )
    assert report(invoke, path) == [
        f"{path}:5:5: warning: 'Wait Queue' shares the name 'WQ' with 'Work Queue': both are kept, "
        "and `define WQ` shows both (list it under 'ambiguous:' if that is meant)"
    ]


def test_a_see_also_that_resolves_nowhere_is_a_warning_at_the_item(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "terms:\n  - term: Work Queue\n    definition: x\n    see_also: [Average Handle Time, Nowhere Term]\n",
    )
    assert report(invoke, path) == [f"{path}:4:37: warning: see_also 'Nowhere Term' matches no entry"]


def test_a_confused_with_that_resolves_nowhere_is_a_warning(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "terms:\n  - term: Work Queue\n    definition: x\n    confused_with:\n      - Nowhere Term\n",
    )
    assert report(invoke, path) == [f"{path}:5:9: warning: confused_with 'Nowhere Term' matches no entry"]


def test_an_unknown_category_is_a_warning_with_did_you_mean(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - term: Work Queue\n    category: metrcs\n    definition: x\n")
    assert report(invoke, path) == [f"{path}:3:15: warning: unknown category 'metrcs' (did you mean 'metrics'?)"]


def test_a_builtin_or_declared_category_is_known(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "categories: [team-ops]\n"
        "terms:\n"
        "  - {term: Work Queue, category: team-ops, definition: x}\n"
        "  - {term: Queue Metric, category: metrics, definition: y}\n",
    )
    assert report(invoke, path) == []


def test_a_quote_naming_an_undeclared_source_is_an_error_at_the_id(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "sources:\n"
        "  - {id: ops-wiki, title: Operations wiki}\n"
        "terms:\n"
        "  - term: Work Queue\n"
        "    definition: x\n"
        "    sources:\n"
        "      - {source: ops-wiki, text: Fine.}\n"
        "      - {source: team-wiki, text: Unknown.}\n",
    )
    assert report(invoke, path) == [f"{path}:8:18: error: unknown source id 'team-wiki' (declare it under 'sources:')"]


def test_problems_in_a_bare_list_are_located(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "- term: Work Queue\n  definition: x\n- term: Wait Queue\n  definition: y\n  see_also: [Nowhere Term]\n",
    )
    assert report(invoke, path) == [f"{path}:5:14: warning: see_also 'Nowhere Term' matches no entry"]


def test_a_broken_entry_does_not_shift_the_lines_of_later_warnings(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "terms:\n  - term: Broken Entry\n  - term: Work Queue\n    definition: x\n    see_also: [Nowhere Term]\n",
    )
    assert report(invoke, path) == [
        f"{path}:2:5: error: missing required field 'definition'",
        f"{path}:5:16: warning: see_also 'Nowhere Term' matches no entry",
    ]


def test_every_problem_of_a_file_is_reported_in_line_order(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "terms:\n"
        "  - term: Work Queue\n"
        "    definition: x\n"
        "    see_also: [Nowhere Term]\n"
        "  - term: 42\n"
        "    definition: y\n"
        "  - term: Work Queue\n"
        "    definition: z\n"
        "    colour: blue\n",
    )
    assert report(invoke, path) == [
        f"{path}:4:16: warning: see_also 'Nowhere Term' matches no entry",
        f"{path}:5:11: error: 'term' must be a string, found a number (quote it)",
        f"{path}:7:5: warning: 'Work Queue' shares the name 'Work Queue' with 'Work Queue': both are kept, "
        "and `define Work Queue` shows both (list it under 'ambiguous:' if that is meant)",
        f"{path}:9:5: warning: unknown key 'colour'",
    ]


# ---------------------------------------------------------------- exit codes and JSON


def test_warnings_alone_exit_1(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - term: Work Queue\n    definition: x\n    colour: blue\n")
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{path}:4:5: warning: unknown key 'colour'"]


def test_warnings_never_stop_a_load(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - term: Work Queue\n    definition: x\n    colour: blue\n")
    assert invoke("-g", str(path), "define", "Work Queue").exit_code == 0


def test_json_is_a_list_of_located_problems(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "terms:\n  - term: 42\n    definition: x\n    acronymn: X\n")
    result = invoke("validate", str(path), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "file": str(path),
            "line": 2,
            "column": 11,
            "severity": "error",
            "message": "'term' must be a string, found a number (quote it)",
        },
        {
            "file": str(path),
            "line": 4,
            "column": 5,
            "severity": "warning",
            "message": "unknown key 'acronymn' (did you mean 'acronym'?)",
        },
    ]


def test_json_for_a_clean_file_is_an_empty_list_and_exit_0(invoke, tmp_path):
    result = invoke("validate", str(write(tmp_path / "team.yaml", CLEAN)), "--json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_json_reports_an_unreadable_file_as_a_problem(invoke, tmp_path):
    path = write(tmp_path / "team.yaml", "")
    result = invoke("validate", str(path), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"file": str(path), "line": 1, "column": 1, "severity": "error", "message": "file is empty"}
    ]


def test_loading_refuses_a_file_with_the_same_location_validate_gives(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml", "terms:\n  - term: Work Queue\n    definition: x\n  - term: [a]\n    definition: y\n"
    )
    [problem] = report(invoke, path)
    result = invoke("-g", str(path), "define", "WQ")
    assert result.exit_code == 2
    assert result.stderr == "bpoterms: error: " + problem.replace(": error: ", ": ", 1) + "\n"


# ---------------------------------------------------------------- which files are checked


def test_validate_checks_every_file_it_is_given(invoke, tmp_path):
    broken = write(tmp_path / "a.yaml", "terms: [\n")
    missing_field = write(tmp_path / "b.yaml", "terms:\n  - term: Work Queue\n")
    lines = invoke("validate", str(broken), str(missing_field)).stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [str(broken), str(missing_field)]


def test_validate_of_a_folder_checks_every_yaml_file_in_it(invoke, tmp_path):
    write(tmp_path / "team" / "a.yaml", CLEAN)
    bad = write(tmp_path / "team" / "b.yaml", "terms:\n  - term: Backlog Age\n")
    assert report(invoke, tmp_path / "team") == [f"{bad}:2:5: error: missing required field 'definition'"]


def test_validate_without_paths_reports_a_broken_user_file_and_still_checks_the_builtin(
    invoke, tmp_path, isolated_user_folders
):
    broken = write(isolated_user_folders / "config" / "bpoterms" / "broken.yaml", "terms:\n  - term: [x\n")
    good = write(tmp_path / "good.yaml", CLEAN)  # its see_also names a built-in entry
    result = invoke("-g", str(good), "validate")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{broken}:3:1: error: YAML syntax error: ")


def test_without_the_builtin_glossary_a_see_also_naming_a_builtin_entry_warns(invoke, tmp_path):
    good = write(tmp_path / "good.yaml", CLEAN)
    result = invoke("--no-builtin", "-g", str(good), "validate")
    assert result.stdout.splitlines() == [f"{good}:5:16: warning: see_also 'Average Handle Time' matches no entry"]


def test_validate_of_a_path_resolves_names_against_the_builtin_glossary(invoke, tmp_path):
    result = invoke("validate", str(write(tmp_path / "team.yaml", CLEAN)))
    assert (result.exit_code, result.stdout) == (0, "")


def test_validate_of_a_path_reports_only_that_path(invoke, tmp_path, isolated_user_folders):
    write(isolated_user_folders / "config" / "bpoterms" / "broken.yaml", "terms: [\n")
    result = invoke("validate", str(write(tmp_path / "team.yaml", CLEAN)))
    assert (result.exit_code, result.stdout) == (0, "")


def test_validate_of_a_path_resolves_names_against_the_other_loaded_files(invoke, tmp_path):
    other = write(tmp_path / "other.yaml", "terms:\n  - term: Backlog Age\n    definition: x\n")
    team = write(
        tmp_path / "team.yaml", "terms:\n  - term: Work Queue\n    definition: y\n    see_also: [Backlog Age]\n"
    )
    assert invoke("-g", str(other), "validate", str(team)).exit_code == 0
    assert invoke("validate", str(team)).exit_code == 1


def test_validate_of_a_missing_path_exits_2(invoke, tmp_path):
    result = invoke("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"bpoterms: error: {tmp_path / 'nope.yaml'}: no such file or folder\n"


@pytest.mark.parametrize("extra", [(), ("--json",)])
def test_validate_never_writes_to_the_files(extra, invoke, tmp_path, isolated_user_folders):
    files = [
        write(tmp_path / "clean.yaml", CLEAN),
        write(tmp_path / "broken.yaml", "terms:\n  - term: [x\n"),
        write(tmp_path / "warned.yaml", "terms:\n  - term: Backlog Age\n    definition: x\n    colour: blue\n"),
        write(isolated_user_folders / "config" / "bpoterms" / "config.yaml", CLEAN.replace("Work Queue", "Wait List")),
    ]
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in files]
    invoke("validate", *(str(p) for p in files[:3]), *extra)
    invoke(*(a for p in files[:3] for a in ("-g", str(p))), "validate", *extra)
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in files] == before


def test_a_plain_word_alias_that_heads_another_entry_is_a_warning(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "terms:\n"
        "  - term: Widget Rework\n"
        "    aliases: [Rework, Reworked Widgets]\n"
        "    definition: Doing a widget again.\n"
        "  - term: Rework Ratio\n"
        "    definition: The share of widgets done twice.\n",
    )
    assert report(invoke, path) == [
        f"{path}:3:15: warning: alias 'Rework' is a plain word that also heads 'Rework Ratio': "
        "`define` would answer it with this entry only"
    ]


def test_an_alias_that_is_a_form_of_the_entrys_own_word_is_no_warning(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "terms:\n"
        "  - term: Utilization\n"
        "    aliases: [Utilisation]\n"
        "    definition: Time on contact work over paid time.\n"
        "  - term: Seat Utilization\n"
        "    definition: Seats in use over seats available.\n",
    )
    assert report(invoke, path) == []


def test_a_plain_word_alias_is_fine_when_the_entries_it_heads_point_to_it(invoke, tmp_path):
    path = write(
        tmp_path / "team.yaml",
        "terms:\n"
        "  - term: Widget Rework\n"
        "    aliases: [Rework]\n"
        "    definition: Doing a widget again.\n"
        "  - term: Rework Ratio\n"
        "    see_also: [Widget Rework]\n"
        "    definition: The share of widgets done twice.\n",
    )
    assert report(invoke, path) == []


def test_a_see_also_aliasing_the_terms_list_is_reported_for_the_entries_it_holds(invoke, tmp_path):
    """Checked entries are released only in a document without aliases: here the alias still shows
    the entries it points to, so each item is reported as the mapping it is."""
    path = write(
        tmp_path / "team.yaml",
        "terms: &all\n  - term: A\n    definition: x\n  - term: B\n    definition: y\n    see_also: *all\n",
    )
    message = f"{path}:6:15: error: 'see_also' items must be non-empty strings, found a mapping"
    assert report(invoke, path) == [message, message]
