"""The glossary YAML loader reads exactly what PyYAML's safe loader reads, and nothing unsafe."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bpoterms import GlossarySpec, load, plainyaml, yamlload
from bpoterms.yamlfile import load_document
from bpoterms.yamlload import UnsupportedTag

from .conftest import REPO

SNIPPETS = [
    "a: 1\nb: 0x1F\nc: 1.5\nd: .inf\ne: ~\nf: yes\ng: '1'\ni: 0o7\nj: 017\nk: -3\nm: 1_000\nn: +.5\no: No\n",
    "p: !!str 5\nq: !!int '7'\nr:\nlong: |\n  multi\n  line\ns: 1e5\nt: 1.0e+5\nu: -.INF\nv: 0b101\n",
    "x: &a [1, 2]\ny: *a\nz: &s hello\nw: *s\n",
    "- - - x\n",
    "a: null\nb: Null\nc: NULL\nd: tRue\ne: 'yes'\nf: \"a: b\"\n",
    "terms:\n  - term: 'T&M'\n    aliases: [T & M, 'Time and Materials']\n"
    "    definition: >\n      folded\n      text\n",
    "",
]


def test_the_builtin_glossary_loads_exactly_as_pyyaml_loads_it(pyyaml_safe_load):
    text = (REPO / "glossary.yaml").read_text(encoding="utf-8")
    assert load_document(text) == pyyaml_safe_load(text)


@pytest.mark.parametrize("text", SNIPPETS)
def test_scalars_and_collections_match_pyyaml(text):
    assert load_document(text) == yaml.safe_load(text)


def test_dates_stay_text_rather_than_becoming_date_objects():
    assert load_document("d: 2024-01-01\n") == {"d": "2024-01-01"}


@pytest.mark.parametrize(
    "text",
    [
        "- !!python/object/apply:os.system ['echo hi']\n",
        "!!python/name:os.system\n",
        "a: !custom x\n",
        "a: !!binary aGk=\n",
        "a: !!set {x: null}\n",
    ],
)
def test_tags_beyond_plain_data_are_refused(text):
    with pytest.raises(UnsupportedTag):
        load_document(text)


def test_an_alias_is_shared_not_copied():
    data = load_document("a: &x [1, 2]\nb: *x\n")
    assert data["a"] is data["b"]


def test_an_alias_bomb_loads_instantly_as_shared_lists():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    data = load_document("\n".join(levels) + "\n")
    assert data["a11"][0] is data["a10"]


@pytest.mark.parametrize("text", ["a: 1\n---\nb: 2\n", "a: *nope\n", "a: [1\n", "? [1, 2]\n: x\n"])
def test_malformed_documents_raise_yaml_errors(text):
    with pytest.raises(yaml.YAMLError):
        load_document(text)


# ---------------------------------------------------------------- differential: the same as yaml.safe_load

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["yes", "No", "on", "~", "null", "0x1F", "017", "1_000", "1:30", "2024-01-01", "<<", "- x"])
)
KEYS = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(KEYS, children, max_size=4)
        | st.builds(lambda shared: {"first": shared, "again": shared}, children)  # dumped as an anchor and alias
    ),
    max_leaves=12,
)
STYLES = {"block": False, "flow": True, "mixed": None}


@settings(max_examples=50, deadline=None)
@given(document=DOCUMENTS, style=st.sampled_from(sorted(STYLES)))
def test_any_dumped_document_loads_as_safe_load_loads_it(document, style):
    text = yaml.safe_dump(document, default_flow_style=STYLES[style], allow_unicode=True, sort_keys=False)
    assert load_document(text) == yaml.safe_load(text)


# ---------------------------------------------------------------- merge keys, as safe_load reads them


def _flow(mapping: dict) -> str:
    return yaml.safe_dump(mapping, default_flow_style=True, allow_unicode=True, width=float("inf")).strip()


@settings(max_examples=50, deadline=None)
@given(
    base=st.dictionaries(KEYS, SCALARS, max_size=4),
    own=st.dictionaries(KEYS, SCALARS, max_size=4),
    first=st.booleans(),
)
def test_any_mapping_merged_into_another_loads_as_safe_load_loads_it(base, own, first):
    items = [_flow(own)[1:-1]] if own else []
    items.insert(0 if first else len(items), "<<: *base")
    text = f"base: &base {_flow(base)}\nchild: {{{', '.join(items)}}}\n"
    assert load_document(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "base: &base {a: 1, b: 2}\nchild:\n  <<: *base\n  c: 3\n",
        "base: &base {a: 1, b: 2}\nchild:\n  <<: *base\n  a: 9\n",  # the mapping's own key wins
        "base: &base {a: 1, b: 2}\nchild:\n  a: 9\n  <<: *base\n",  # wherever the merge key stands
        "x: &x {a: 1}\ny: &y {a: 2, b: 2}\nchild:\n  <<: [*x, *y]\n",  # an earlier mapping in the list wins
        "x: &x {a: 1}\nboth: &both [*x]\nchild:\n  <<: *both\n",  # a list given by an alias
        "base: &base {a: 1}\nchild: {<<: *base, b: 2}\n",  # in a flow mapping
        "child:\n  <<: {a: 1, b: 2}\n  c: 3\n",  # a mapping written in place
        "a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc:\n  <<: *b\n  z: 3\n",  # a merged mapping that merges in turn
        "child:\n  '<<': not a merge\n",  # quoted, it is an ordinary key
    ],
)
def test_merge_keys_load_as_safe_load_loads_them(text):
    assert load_document(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "child:\n  <<: 1\n",
        "child:\n  <<: text\n",
        "x: &x [1, 2]\nchild:\n  <<: *x\n",
        "child:\n  <<: [1, 2]\n",
    ],
)
def test_a_merge_key_of_anything_but_mappings_is_an_error_as_in_safe_load(text):
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(text)
    with pytest.raises(yaml.YAMLError):
        load_document(text)


def test_glossary_entries_can_share_fields_through_a_merge_key(tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text(
        "defaults: &metric {category: metrics, definition: A number the floor is measured by.}\n"
        "terms:\n"
        "  - {<<: *metric, term: Hold Rate}\n"
        "  - {<<: *metric, term: Transfer Rate, definition: The share of calls passed to another agent.}\n",
        encoding="utf-8",
    )
    entries = load(GlossarySpec((path,), include_builtin=False)).entries
    assert [(e.term, e.category, e.definition) for e in entries] == [
        ("Hold Rate", "metrics", "A number the floor is measured by."),
        ("Transfer Rate", "metrics", "The share of calls passed to another agent."),
    ]


# ---------------------------------------------------------------- large texts are streamed


def test_a_streamed_text_loads_exactly_as_the_whole_string_does(monkeypatch):
    from bpoterms.paths import builtin_path

    text = Path(builtin_path()).read_text(encoding="utf-8")
    assert len(text) < yamlload.STREAM_ABOVE  # read whole by default
    whole = load_document(text)
    monkeypatch.setattr(yamlload, "STREAM_ABOVE", 0)
    assert load_document(text) == whole


@pytest.mark.parametrize(
    "text",
    [
        "terms: [a, b\n",
        "terms:\n  - term: x\n   definition: y\n",
        "terms:\n  - term: caf\u00e9 \x07\n",
        "terms: {a: 1, a: 2}\n",
        "terms: !!python/object:os.system {}\n",
        "terms: " + "[" * 150 + "]" * 150 + "\n",
        "first: 1\n---\nsecond: 2\n",
        "\u00e9t\u00e9: [\u00e0, \u00e8]\n" * 40 + "oops: [\n",
    ],
    ids=["unclosed", "indentation", "control character", "duplicate key", "python tag", "deep", "two", "accents"],
)
def test_a_streamed_text_is_refused_with_the_same_message_and_place(text, monkeypatch):
    from bpoterms.errors import GlossaryError
    from bpoterms.yamlfile import parse_yaml

    def refusal() -> tuple[str, int | None, int | None]:
        with pytest.raises(GlossaryError) as caught:
            parse_yaml(text, "team.yaml")
        return caught.value.reason, caught.value.line, caught.value.column

    whole = refusal()
    monkeypatch.setattr(yamlload, "STREAM_ABOVE", 0)
    assert refusal() == whole


# ---------------------------------------------------------------- the line reader (plainyaml.py)

USUAL_GLOSSARY = """\
# Our floor's words.
schema: 1
title: Team glossary
terms:
- term: Work Queue
  acronym: WQ
  category: workforce
  aliases: [Queue, Work Queues]
  definition: "A named list of pending tickets: one team works it. #1 on the wallboard."
  see_also: []
- term: 'Team Leader''s Huddle'   # quoted because of the apostrophe
  definition: A short stand-up before the shift, 10 minutes at most
  formula: ~
  related:
    - Huddle
    - Pre-shift Briefing
  extra:
    minutes: 10
    share: 0.5
    billable: no
"""


def test_a_glossary_written_the_usual_way_is_read_line_by_line_as_the_events_read_it():
    read = plainyaml.load(USUAL_GLOSSARY)
    assert read is not plainyaml.NOT_PLAIN
    assert read == yamlload.load_events(USUAL_GLOSSARY) == yaml.safe_load(USUAL_GLOSSARY)


@pytest.mark.parametrize(
    "text",
    [
        "a: some\n  continued text\n",  # a plain scalar over two lines
        "a:\n  text on the next line\n",
        "a: |\n  kept\n",
        "a: >\n  folded\n",
        "a: &x 1\nb: *x\n",
        "base: {a: 1}\n",
        "a: !!str 1\n",
        'a: "tab\\tescape"\n',
        "a: 1\na: 2\n",  # a key given twice: the full loader says where
        "a: b: c\n",
        'a: "x" y\n',
        "a: 'x'#y\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "a:\tb\n",
        "a: b\r\n",
        "\ufeffa: b\n",
        "a: b\u2028c\n",
        "a: no-break\u00a0space\n",  # libyaml reads it; the line reader leaves it to libyaml
        "<<: {a: 1}\n",
        "? a\n: b\n",
        "- - a\n",
        "-\n  a: 1\n",
        "a: [b, [c]]\n",
        "a: [b: c]\n",
        "a: [b,, c]\n",
        "a: 1\n  b: 2\n",
        "  a: 1\nb: 2\n",
        "a: 1\n- b\n",
        "just text\n",
        "# only a comment\n",
        "",
    ],
)
def test_anything_outside_the_usual_shape_is_left_to_the_full_loader(text):
    assert plainyaml.load(text) is plainyaml.NOT_PLAIN


@pytest.mark.parametrize(
    "text",
    [
        "terms:\n- a\n- b\nafter: 1\n",  # a list at its key's own column, closed by the next key
        "a:\n  - 1\n  - x\nb:\n  c:\n    d: yes\n",
        "- a: 1\n  b:\n  - x\n- c\n",
        "a: value # comment\nb: value#not-a-comment\nc: 'it''s' # comment\nd: \"q # r\"\n",
        "a:\nb: # nothing\n",  # null values
        "a: [ ]\nb: [x y, 0x1F, 017, ~, on, 1_000, 2024-01-01, -1]\n",
        "a: 1.5e+3\nb: .inf\nc: -.INF\nd: +1\ne: 0b101\nf: 1:30\ng: 2024-01-01\n",
        "yes: no\nnull: true\n",  # keys resolve as values do
        "a: caf\u00e9 \U0001f600\nb: [\u00e0, \u00e8]\n",
        "a: x  \nb: 'y'  \n",  # trailing spaces
        "   a: 1\n   b: [c]\n",  # a document indented as a whole
        "-   a: 1\n    b: 2\n",  # an item's mapping at the item's own column
    ],
)
def test_the_line_reader_reads_what_the_events_read(text):
    read = plainyaml.load(text)
    assert read is not plainyaml.NOT_PLAIN
    assert read == yamlload.load_events(text)


LINE_PARTS = st.tuples(
    st.sampled_from(["", " ", "  ", "   ", "    "]),
    st.sampled_from(["", "- ", "-  ", "-", "? ", "--- "]),
    st.sampled_from(["", "a: ", "b:", "term: ", "yes: ", "a:b ", "'q': ", "<<: ", "a : "]),
    st.sampled_from(
        [
            "",
            "x",
            "x y",
            '"q"',
            '"q" # c',
            '"q"#c',
            "'s''t'",
            "'s",
            "[a, b]",
            "[]",
            "[a, [b]]",
            "{a: b}",
            "# c",
            "x # c",
            "x#c",
            "a: b",
            "x:",
            "- x",
            "&a x",
            "*a",
            "!t x",
            "|",
            ">",
            "1:30",
            "0x1F",
            "~",
            "yes",
            "-5",
            "caf\u00e9",
            "\t",
            "x\\y",
        ]
    ),
)


@settings(max_examples=400, deadline=None)
@given(lines=st.lists(LINE_PARTS, min_size=1, max_size=8))
def test_whatever_the_line_reader_reads_the_events_read_the_same(lines):
    text = "".join(indent + dash + key + value + "\n" for indent, dash, key, value in lines)
    read = plainyaml.load(text)
    if read is not plainyaml.NOT_PLAIN:
        assert read == yamlload.load_events(text)  # never a document the full loader would refuse
