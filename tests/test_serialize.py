"""serialize.dumps: the one JSON layout, whichever way it is produced."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bpoterms import GlossarySpec, glossary, load
from bpoterms.model import Match
from bpoterms.serialize import dumps, entry_dict, match_dict, match_member

scalars = st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none())


@given(st.dictionaries(st.text(), scalars, max_size=6))
def test_a_flat_object_is_laid_out_exactly_as_json_lays_it_out(data):
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)


@given(st.dictionaries(st.text(), st.one_of(scalars, st.lists(scalars, max_size=3)), max_size=4))
def test_a_nested_document_is_laid_out_exactly_as_json_lays_it_out(data):
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)


documents = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3), max_leaves=12
)


@given(documents)
def test_any_document_of_dicts_lists_and_scalars_is_laid_out_exactly_as_json_lays_it_out(data):
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)


@given(
    st.recursive(
        st.one_of(scalars, st.tuples(scalars, scalars)),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.one_of(st.text(), st.integers(), st.booleans(), st.none()), inner, max_size=3)
        ),
        max_leaves=8,
    )
)
def test_tuples_and_keys_that_are_not_strings_are_written_as_json_writes_them(data):
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)


@pytest.fixture(scope="module")
def builtin():
    """The built-in glossary compiled in memory (no cache folder is read before the tests' own are set)."""
    return load(GlossarySpec((), include_builtin=True))


@given(st.text(), st.sampled_from(["exact", "acronym", "alias", "fuzzy", "inflection"]), st.floats())
def test_the_stored_match_member_is_how_an_entry_document_ends(builtin, query, kind, score):
    match = Match(builtin.entries[0], query, kind, score)
    without_match = dumps(entry_dict(match.entry, builtin))  # ends with "\n}"
    assert dumps(match_dict(match, builtin)) + "\n" == without_match[:-2] + "," + match_member(match)


def test_a_match_member_keeps_non_ascii_readable_and_escapes_control_characters():
    assert dumps({"query": "café\x1b", "kind": "fuzzy", "score": 91.5}) == (
        '{\n  "query": "café\\u001b",\n  "kind": "fuzzy",\n  "score": 91.5\n}'
    )


def test_holding_every_key_in_memory_answers_every_name_as_the_database_does():
    from bpoterms.normalize import compact, spelling_key

    opened = glossary.open_glossary()
    keys = {compact(n) for e in opened.entries for n in e.names()} | {"", "nosuchname", spelling_key("Agent")}
    from_database = {key: opened.exact_hits(key) for key in keys}
    opened.read_every_key()
    assert {key: opened.exact_hits(key) for key in keys} == from_database
    assert from_database[compact("AHT")]  # the comparison covers real hits, not only misses
