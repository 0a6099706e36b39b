"""The optional fields practitioners need (region, direction, compute, example, variants):
read from YAML, validated with located messages, and shown by `define`, `--json` and exports."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import DATA

METRIC = DATA / "fields" / "metric.yaml"


def define(invoke, *args: str):
    return invoke("--no-builtin", "-g", str(METRIC), "define", "TCPH", *args)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_json_carries_every_new_field(invoke):
    data = json.loads(define(invoke, "--json").stdout)
    assert data["region"] == ["Philippines", "India"]
    assert data["direction"] == "higher"
    assert data["compute"] == {
        "expression": "closed / hours",
        "inputs": [
            {"name": "closed", "description": "tickets closed", "unit": "tickets"},
            {"name": "hours", "description": "productive hours", "unit": "hours"},
        ],
        "unit": "tickets per hour",
    }
    assert data["example"] == {
        "text": "54 tickets closed in 6 productive hours: 54 / 6 = 9 per hour.",
        "inputs": {"closed": 54.0, "hours": 6.0},
        "result": 9.0,
    }
    assert data["variants"] == [
        {
            "name": "Paid hours",
            "formula": "tickets closed / paid hours",
            "used_by": "some back-office teams",
            "expression": "closed / paid_hours",
        }
    ]


def test_an_entry_without_them_has_empty_values_in_json(invoke, team_glossary):
    data = json.loads(invoke("--no-builtin", "-g", str(team_glossary), "define", "WQ", "--json").stdout)
    assert (data["region"], data["direction"], data["compute"], data["example"], data["variants"]) == (
        [],
        None,
        None,
        None,
        [],
    )


def test_define_shows_variant_direction_example_region_and_how_to_calculate(invoke):
    out = define(invoke).stdout
    assert "  Variant, Paid hours: tickets closed / paid hours (used by some back-office teams)\n" in out
    assert "  Better: higher\n" in out
    assert "  Example: 54 tickets closed in 6 productive hours: 54 / 6 = 9 per hour.\n" in out
    assert "  Calculate: bpoterms calc TCPH closed=54 hours=6\n" in out
    assert "  Region: Philippines, India\n" in out


def test_the_fields_survive_the_compiled_cache(invoke):
    first = define(invoke, "--json").stdout
    second = define(invoke, "--json").stdout  # answered from the cache written by the first run
    assert json.loads(first) == json.loads(second)


def test_markdown_export_shows_the_example_and_variants(invoke, tmp_path):
    out = tmp_path / "g.md"
    invoke("--no-builtin", "-g", str(METRIC), "export", "--format", "markdown", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "**Example:** 54 tickets closed in 6 productive hours" in text
    assert "**Variant, Paid hours:**" in text


def test_a_direction_outside_the_three_is_refused_where_it_stands(invoke, tmp_path):
    path = write(tmp_path / "t.yaml", "terms:\n  - term: X\n    definition: x\n    direction: up\n")
    result = invoke("--no-builtin", "-g", str(path), "define", "X")
    assert result.exit_code == 2
    assert result.stderr == (
        f"bpoterms: error: {path}:4:16: 'direction' must be one of higher, lower, target, found 'up'\n"
    )


def test_an_example_input_that_is_not_a_number_is_refused(invoke, tmp_path):
    path = write(
        tmp_path / "t.yaml",
        "terms:\n  - term: X\n    definition: x\n    example: {text: t, inputs: {a: lots}}\n",
    )
    result = invoke("--no-builtin", "-g", str(path), "define", "X")
    assert result.exit_code == 2
    assert "example input 'a' must be a number, found a string" in result.stderr


def test_a_variant_must_say_who_uses_it(invoke, tmp_path):
    path = write(
        tmp_path / "t.yaml",
        "terms:\n  - term: X\n    definition: x\n    variants:\n      - {name: A, formula: a / b}\n",
    )
    lines = invoke("validate", str(path)).stdout.splitlines()
    assert lines == [f"{path}:5:9: error: missing required field 'used_by'"]
