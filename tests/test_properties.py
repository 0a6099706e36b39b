"""Property tests: no query and no glossary document, however strange, makes the CLI crash or lie about JSON."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bpoterms.layers import ENTRY_KEYS

# Function-scoped fixtures (the CLI runner, the isolated home folder) are safe to share between
# examples: each example writes its own file and runs with --no-cache.
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)  # surrogates cannot be written as UTF-8
NAMES = st.sampled_from(["Work Queue", "WQ", "Average Handle Time", "AHT", "Café", "Ω", "", " "]) | TEXT
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8
)

PLAUSIBLE = {
    "term": NAMES,
    "acronym": NAMES,
    "definition": TEXT,
    "aliases": st.lists(NAMES, max_size=3),
    "see_also": st.lists(NAMES, max_size=3),
    "confused_with": st.lists(NAMES, max_size=3),
    "category": st.sampled_from(["metrics", "team-ops", "uncategorized"]) | TEXT,
    "sources": st.lists(st.fixed_dictionaries({"source": NAMES}, optional={"text": TEXT}) | NAMES, max_size=2),
    "merge": st.booleans(),
}
ENTRIES = st.builds(
    lambda known, unknown: {**unknown, **known},
    st.fixed_dictionaries({}, optional={key: PLAUSIBLE.get(key, TEXT) | VALUES for key in ENTRY_KEYS}),
    st.dictionaries(TEXT, VALUES, max_size=2),
)
DOCUMENTS = (
    st.fixed_dictionaries(
        {},
        optional={
            "schema": st.just(1) | VALUES,
            "title": TEXT,
            "categories": st.lists(st.fixed_dictionaries({"id": NAMES}, optional={"description": TEXT}) | VALUES),
            "sources": st.lists(st.fixed_dictionaries({"id": NAMES}, optional={"title": TEXT}) | VALUES, max_size=3),
            "terms": st.lists(ENTRIES, max_size=5) | VALUES,
            "ambiguous": st.lists(NAMES, max_size=2) | VALUES,
        },
    )
    | st.lists(ENTRIES, max_size=5)
    | VALUES
)


@st.composite
def glossary_texts(draw: st.DrawFn) -> str:
    """A YAML document built from the format's own keys, sometimes cut or spliced with random text."""
    text = yaml.safe_dump(draw(DOCUMENTS), allow_unicode=True, sort_keys=False)
    how = draw(st.sampled_from(["as is", "as is", "cut", "spliced", "random text"]))
    if how == "cut":
        return text[: draw(st.integers(0, len(text)))]
    if how == "spliced":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(TEXT) + text[at:]
    if how == "random text":
        return draw(TEXT)
    return text


# ---------------------------------------------------------------- any query


@SETTINGS
@given(query=st.text(st.characters(exclude_categories=("Cs",)), max_size=80))
def test_any_query_gets_an_exit_code_and_json_never_an_exception(invoke, query):
    for command in ("define", "search"):
        result = invoke(command, "--json", "--", query)
        assert result.exit_code in (0, 1, 2), (command, result.stderr)
        if result.exit_code in (0, 1):
            json.loads(result.stdout)
        else:
            assert result.stdout == "" and result.stderr.count("\n") == 1


# ---------------------------------------------------------------- any glossary document


def one_error_line(stderr: str, path: Path) -> str:
    assert stderr.startswith(f"bpoterms: error: {path}") and stderr.count("\n") == 1, stderr
    return stderr[len("bpoterms: error: ") : -1]


@SETTINGS
@given(text=glossary_texts())
def test_any_glossary_document_gets_an_exit_code_and_json_never_an_exception(invoke, tmp_path_factory, text):
    path = tmp_path_factory.mktemp("doc") / "team.yaml"
    path.write_text(text, encoding="utf-8")
    options = ("--no-cache", "--no-builtin", "-g", str(path))

    checked = invoke("--no-builtin", "validate", str(path), "--json")
    assert checked.exit_code in (0, 1)
    problems = json.loads(checked.stdout)
    assert all(set(p) == {"file", "line", "column", "severity", "message"} and p["file"] == str(path) for p in problems)
    assert all(p["line"] >= 1 and p["column"] >= 1 and p["severity"] in ("error", "warning") for p in problems)
    assert checked.exit_code == (1 if problems else 0)
    errors = [p for p in problems if p["severity"] == "error"]

    listed = invoke(*options, "list", "--json")
    assert listed.exit_code in (0, 2)
    assert (listed.exit_code == 2) == bool(errors), "loading refuses exactly the files validate finds errors in"
    if listed.exit_code == 0:
        assert isinstance(json.loads(listed.stdout), list)
    else:
        said = one_error_line(listed.stderr, path)
        assert any(
            said
            in (f"{p['file']}:{p['line']}:{p['column']}: {p['message']}", f"{p['file']}:{p['line']}: {p['message']}")
            or said == f"{p['file']}: {p['message']}"
            for p in errors
        ), (said, errors)

    defined = invoke(*options, "define", "--json", "--", "Work Queue")
    assert defined.exit_code in (0, 1, 2)
    if defined.exit_code == 2:
        assert one_error_line(defined.stderr, path) == one_error_line(listed.stderr, path)
    else:
        json.loads(defined.stdout)
