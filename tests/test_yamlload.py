"""The glossary YAML loader reads exactly what PyYAML's safe loader reads, and nothing unsafe."""

from __future__ import annotations

import pytest
import yaml

from bpoterms import yamlload
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


def test_the_builtin_glossary_loads_exactly_as_pyyaml_loads_it():
    text = (REPO / "glossary.yaml").read_text(encoding="utf-8")
    assert yamlload.load(text) == yaml.safe_load(text)


@pytest.mark.parametrize("text", SNIPPETS)
def test_scalars_and_collections_match_pyyaml(text):
    assert yamlload.load(text) == yaml.safe_load(text)


def test_dates_stay_text_rather_than_becoming_date_objects():
    assert yamlload.load("d: 2024-01-01\n") == {"d": "2024-01-01"}


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
        yamlload.load(text)


def test_an_alias_is_shared_not_copied():
    data = yamlload.load("a: &x [1, 2]\nb: *x\n")
    assert data["a"] is data["b"]


def test_an_alias_bomb_loads_instantly_as_shared_lists():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    data = yamlload.load("\n".join(levels) + "\n")
    assert data["a11"][0] is data["a10"]


@pytest.mark.parametrize("text", ["a: 1\n---\nb: 2\n", "a: *nope\n", "a: [1\n", "? [1, 2]\n: x\n"])
def test_malformed_documents_raise_yaml_errors(text):
    with pytest.raises(yaml.YAMLError):
        yamlload.load(text)
