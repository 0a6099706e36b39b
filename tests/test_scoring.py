"""The scorer's clear leader (scoring.clear_leader): the resolver's fuzzy answer, decided with a
higher floor than the full ranking needs, and always as the full ranking decides it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpoterms import GlossarySpec, load, nameindex, scoring

from .conftest import builtin_glossary, builtin_names


@pytest.fixture
def builtin():
    return builtin_glossary()


def decided_by_the_ranking(glossary, text: str, at_least: float, margin: float) -> tuple[int, float] | None:
    """The leader as the resolver once decided it: from the two best of `fuzzy_scores`."""
    ranked = scoring.fuzzy_scores(glossary, text, 2)
    if not ranked:
        return None
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    return ranked[0] if ranked[0][1] >= at_least and ranked[0][1] - runner_up >= margin else None


TYPED = [
    "average handel time",  # a typo: one clear leader
    "abandonmnet rate",
    "custmer satisfaction",
    "service levle",
    "first cal resolution",
    "hold",  # several entries hold the word: close scores, no leader
    "queue",
    "cost per seat",
    "qualty",
    "zzzz qqqq",  # nothing near
    "",
]


@pytest.mark.parametrize("text", TYPED)
@pytest.mark.parametrize(("at_least", "margin"), [(88.0, 4.0), (70.0, 10.0), (95.0, 0.5), (50.0, 0.0)])
def test_the_clear_leader_is_the_one_the_full_ranking_decides(builtin, text, at_least, margin):
    assert scoring.clear_leader(builtin, text, at_least, margin) == decided_by_the_ranking(
        builtin, text, at_least, margin
    )


def test_the_typed_queries_include_both_a_leader_and_none(builtin):
    decisions = [scoring.clear_leader(builtin, text, 88.0, 4.0) for text in TYPED]
    assert any(d is None for d in decisions) and any(d is not None for d in decisions)


@st.composite
def misspelt_names(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(builtin_names())).lower()
    if len(name) > 3:
        at = draw(st.integers(0, len(name) - 2))
        edit = draw(st.sampled_from(["swap", "drop", "change", "none"]))
        if edit == "swap":
            name = name[:at] + name[at + 1] + name[at] + name[at + 2 :]
        elif edit == "drop":
            name = name[:at] + name[at + 1 :]
        elif edit == "change":
            name = name[:at] + draw(st.sampled_from("aeiostn")) + name[at + 1 :]
    return name


@settings(max_examples=60, deadline=None)
@given(text=misspelt_names(), at_least=st.floats(50.0, 100.0), margin=st.floats(0.0, 20.0))
def test_any_misspelt_name_gets_the_leader_the_full_ranking_decides(text, at_least, margin):
    glossary = builtin_glossary()
    assert scoring.clear_leader(glossary, text, at_least, margin) == decided_by_the_ranking(
        glossary, text, at_least, margin
    )


def test_the_leader_is_decided_scoring_fewer_names_than_the_ranking(builtin, monkeypatch):
    scored: list[str] = []
    score = scoring.name_score

    def counting(query_words, name_words):
        scored.append(" ".join(name_words))
        return score(query_words, name_words)

    monkeypatch.setattr(scoring, "name_score", counting)
    scoring.fuzzy_scores(builtin, "average handel time", 5)
    by_ranking = len(scored)
    scored.clear()
    assert scoring.clear_leader(builtin, "average handel time", 88.0, 4.0) is not None
    assert 0 < len(scored) < by_ranking


@pytest.mark.parametrize("text", [t for t in TYPED if t and t != "zzzz qqqq"])  # each has a runner-up
def test_a_runner_up_just_inside_the_margin_denies_the_lead_and_just_outside_grants_it(builtin, text):
    (leader, best), (_other, runner_up) = scoring.fuzzy_scores(builtin, text, 2)
    gap = best - runner_up
    assert scoring.clear_leader(builtin, text, best, gap + 0.01) is None
    assert scoring.clear_leader(builtin, text, best, max(gap - 0.01, 0.0)) == (leader, best)


def test_a_runner_up_bounded_just_inside_the_margin_is_still_scored(tmp_path, monkeypatch):
    # `Zorbu Latex` pairs two of the three words typed: its bound is its score, 83.3. Any floor above the
    # best score (100) less the margin (20) would pass it over and call the lead clear. Names are taken
    # one at a time, so that the floor is asked again before each (it is asked before each batch).
    monkeypatch.setattr(nameindex, "BATCH", 1)
    path = tmp_path / "words.yaml"
    path.write_text(
        "terms:\n"
        + "".join(
            f"  - term: {name}\n    definition: A made-up name.\n" for name in ("Zorbu Latex Quix", "Zorbu Latex")
        )
    )
    glossary = load(GlossarySpec((path,), include_builtin=False))
    assert [round(score, 1) for _pos, score in scoring.fuzzy_scores(glossary, "zorbu latex quix", 2)] == [100.0, 83.3]
    assert scoring.clear_leader(glossary, "zorbu latex quix", 90.0, 20.0) is None
    assert scoring.clear_leader(glossary, "zorbu latex quix", 90.0, 16.0) is not None
