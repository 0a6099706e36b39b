"""Resolution order and search ranking, on the real glossary (and, for the path taken above
SCAN_ALL_NAMES_BELOW names, a small team file), without the CLI."""

from __future__ import annotations

import sys

import pytest

from bpoterms import GlossarySpec, QueryError, load, resolve, scoring, search
from bpoterms.lookup import FUZZY_CUTOFF
from bpoterms.model import Match, NotFound
from bpoterms.nameindex import NameIndex

from .conftest import DATA


@pytest.fixture(scope="module")
def glossary():
    return load(GlossarySpec((), include_builtin=True))


def resolved(glossary, query: str) -> Match:
    result = resolve(glossary, query)
    assert isinstance(result, Match), result
    return result


def test_an_exact_term_name_resolves_as_exact(glossary):
    match = resolved(glossary, "Average Handle Time")
    assert (match.entry.acronym, match.kind, match.score) == ("AHT", "exact", 100.0)


def test_an_acronym_resolves_as_acronym_in_any_case(glossary):
    assert resolved(glossary, "aht").kind == "acronym"
    assert resolved(glossary, "aht").entry.term == "Average Handle Time"


def test_an_alias_resolves_as_alias(glossary):
    match = resolved(glossary, "Average Handling Time")
    assert (match.entry.term, match.kind) == ("Average Handle Time", "alias")


@pytest.mark.parametrize("query", ["t&m", "T & M", "T and M"])
def test_ampersand_spacing_and_the_word_and_are_equivalent(query, glossary):
    assert resolved(glossary, query).entry.term == "Time and Materials Model"


def test_f_and_a_finds_finance_and_accounting(glossary):
    assert resolved(glossary, "f and a").entry.acronym == "F&A"


def test_hyphens_and_spaces_are_equivalent(glossary):
    assert resolved(glossary, "first-call resolution").entry.acronym == "FCR"


@pytest.mark.parametrize(("query", "acronym"), [("FTEs", "FTE"), ("SLAs", "SLA"), ("SLA's", "SLA")])
def test_acronym_plurals_and_possessives_resolve_as_inflections(query, acronym, glossary):
    match = resolved(glossary, query)
    assert (match.entry.acronym, match.kind) == (acronym, "inflection")


def test_kpis_finds_key_performance_indicator(glossary):
    assert resolved(glossary, "KPIs").entry.term == "Key Performance Indicator"


def test_a_plural_phrase_resolves_to_its_singular_entry(glossary):
    match = resolved(glossary, "abandoned calls")
    assert (match.entry.term, match.kind) == ("Abandoned Call", "inflection")


def test_a_singular_phrase_finds_an_entry_named_in_the_plural(glossary):
    assert resolved(glossary, "inbound call").entry.term == "Inbound Calls"


@pytest.mark.parametrize(
    ("question", "acronym"),
    [("what is nps", "NPS"), ("What does SLA mean?", "SLA"), ("what's a KPI", "KPI"), ("define AHT", "AHT")],
)
def test_question_forms_are_stripped_to_the_term(question, acronym, glossary):
    assert resolved(glossary, question).entry.acronym == acronym


def test_a_question_keeps_the_kind_of_the_underlying_match(glossary):
    assert resolved(glossary, "what is nps").kind == "acronym"


@pytest.mark.parametrize(
    ("typo", "term"),
    [
        ("abandonmnet rate", "Abandonment Rate"),
        ("omnichanel", "Omnichannel"),
        ("workforce managment", "Workforce Management"),
    ],
)
def test_misspellings_resolve_fuzzily_above_the_cutoff(typo, term, glossary):
    match = resolved(glossary, typo)
    assert (match.entry.term, match.kind) == (term, "fuzzy")
    assert FUZZY_CUTOFF <= match.score <= 100


def test_chat_abbreviations_are_expanded_before_the_name_lookup(glossary):
    match = resolved(glossary, "avg handle time")
    assert (match.entry.term, match.kind) == ("Average Handle Time", "exact")


def test_a_weak_fuzzy_match_is_not_given_as_the_answer(glossary):
    result = resolve(glossary, "ahtt")
    assert isinstance(result, NotFound)
    assert "Average Handle Time" in [s.entry.term for s in result.suggestions]


def test_suggestions_stop_at_five(glossary):
    result = resolve(glossary, "servce")  # more than five names lie near it
    assert isinstance(result, NotFound)
    assert len(result.suggestions) == 5


def test_suggestions_come_best_first(glossary):
    result = resolve(glossary, "qualty scorecrd thing")
    assert isinstance(result, NotFound)
    scores = [s.score for s in result.suggestions]
    assert len(scores) >= 2, "an order needs at least two suggestions to show"
    assert result.suggestions[0].entry.term == "QA Scorecard"
    assert scores == sorted(scores, reverse=True)


def test_nonsense_finds_nothing(glossary):
    result = resolve(glossary, "zzzqqqxxx")
    assert isinstance(result, NotFound)


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_an_empty_query_is_a_query_error(query, glossary):
    with pytest.raises(QueryError):
        resolve(glossary, query)


@pytest.mark.parametrize("query", ["café", "Ω", "🙂 emoji", "x" * 1_000_000, "\x1b[2J\x00\x07"])
def test_unusual_queries_get_an_answer_not_an_exception(query, glossary):
    assert isinstance(resolve(glossary, query), Match | NotFound)


def test_search_finds_a_word_that_only_appears_in_definitions(glossary):
    hits = search(glossary, "payroll", limit=50)
    fields = {h.entry.term: h.matched_field for h in hits}
    assert fields.get("Human Resources Outsourcing") == "definition"


def test_search_ranks_a_name_match_above_definition_mentions(glossary):
    hits = search(glossary, "handle time")
    assert hits[0].entry.acronym == "AHT"
    assert hits[0].matched_field in ("term", "alias")


def test_search_stops_at_the_limit(glossary):
    assert len(search(glossary, "queue", limit=50, category="metrics")) > 3
    assert len(search(glossary, "queue", limit=3, category="metrics")) == 3


def test_search_with_a_category_keeps_only_that_category(glossary):
    assert {h.entry.category for h in search(glossary, "queue", limit=50)} - {"metrics"}, "others match too"
    categories = {h.entry.category for h in search(glossary, "queue", limit=50, category="metrics")}
    assert categories == {"metrics"}


@pytest.mark.parametrize(
    ("strategy", "query", "expected"),
    [
        ("exact", "aht", "Average Handle Time"),
        ("prefix", "omnich", "Omnichannel"),
        ("substring", "handle ti", "Average Handle Time"),
        ("word", "erlang", "Erlang"),
        ("regex", r"^erlang [abc]$", "Erlang C"),
    ],
)
def test_dict_style_strategies_find_the_expected_entry(strategy, query, expected, glossary):
    terms = [h.entry.term for h in search(glossary, query, strategy=strategy, limit=50)]
    assert expected in terms


def test_an_invalid_regex_is_a_query_error(glossary):
    with pytest.raises(QueryError, match="regular expression"):
        search(glossary, "([", strategy="regex")


def test_ties_are_broken_by_how_often_entries_are_cited_then_alphabetically(glossary):
    hits = search(glossary, "erlang", strategy="prefix", limit=50)
    same = [h.entry for h in hits if h.score == hits[0].score]
    assert len(same) >= 2, "a tie needs at least two hits with the top score"
    cited = {e.term: sum(e.term in (*other.see_also, *other.confused_with) for other in glossary.entries) for e in same}
    terms = [e.term for e in same]
    assert terms == sorted(terms, key=lambda t: (-cited[t], t.casefold()))
    assert len(set(cited.values())) > 1, "the tie-break by citations must be exercised"


# ---------------------------------------------------------------- above SCAN_ALL_NAMES_BELOW names
# Fuzzy scoring takes its candidates from the word index at every size. Above SCAN_ALL_NAMES_BELOW
# (20,000) names, search and the resolver's prefix checks use the index too instead of scanning
# every name. These tests lower the threshold below the size of a small real file, so that path
# runs in milliseconds, and expect the answers of the scan.


@pytest.fixture(scope="module")
def team_floor():
    return load(GlossarySpec((DATA / "team_floor.yaml",), include_builtin=False))


@pytest.fixture
def at_scale(monkeypatch):
    """Run lookups as if the glossary held more than SCAN_ALL_NAMES_BELOW names."""

    def lower() -> None:
        # Every module that took the constant by name (`from .scoring import SCAN_ALL_NAMES_BELOW`).
        users = [m for name, m in sorted(sys.modules.items()) if name.startswith("bpoterms.")]
        users = [m for m in users if hasattr(m, "SCAN_ALL_NAMES_BELOW")]
        assert scoring in users and len(users) > 1
        for module in users:
            monkeypatch.setattr(module, "SCAN_ALL_NAMES_BELOW", 10)

    return lower


def test_a_misspelling_is_scored_on_candidates_from_the_word_index_below_the_threshold(team_floor, monkeypatch):
    assert len(team_floor.name_table().names) < scoring.SCAN_ALL_NAMES_BELOW
    asked: list[list[str]] = []
    original = NameIndex.batches

    def spy(self, query_words, floor=None):
        asked.append(list(query_words))
        return original(self, query_words, floor)

    monkeypatch.setattr(NameIndex, "batches", spy)
    found = resolve(team_floor, "abandonmnet rate")
    assert isinstance(found, Match) and found.entry.term == "Abandonment Rate"
    assert asked == [["abandonmnet", "rate"]]


def test_a_lowered_threshold_sends_search_through_the_word_index(team_floor, at_scale, monkeypatch):
    asked: list[str] = []
    original = NameIndex.word_hits

    def spy(self, words, limit):
        asked.extend(words)
        return original(self, words, limit)

    monkeypatch.setattr(NameIndex, "word_hits", spy)
    search(team_floor, "transfer")
    assert asked == [], "below the threshold every name is scanned for the query"
    at_scale()
    search(team_floor, "transfer")
    assert asked


@pytest.mark.parametrize(
    ("query", "term", "kind"),
    [
        ("abandonmnet rate", "Abandonment Rate", "fuzzy"),  # a misspelling
        ("workforce managment", "Workforce Management", "fuzzy"),
        ("omnichanel", "Omnichannel", "fuzzy"),  # a one-letter typo, scored
        ("agnet", "Agent", "one edit"),  # a typo too short to score, one edit from one name
        ("warm", "Warm Transfer", "head word"),  # the one entry whose name holds the word
        ("hold", "Hold Time", "head word"),  # the entry the other holders point to
        ("scorcard", "QA Scorecard", "head word"),  # a head word with a typo
    ],
)
def test_define_gives_the_same_answer_above_the_threshold(query, term, kind, team_floor, at_scale):
    scanned = resolve(team_floor, query)
    assert isinstance(scanned, Match) and (scanned.entry.term, scanned.kind) == (term, kind)
    at_scale()
    assert resolve(team_floor, query) == scanned


@pytest.mark.parametrize("query", ["transfer", "promoter", "abandon ratio", "transfer time"])
def test_define_suggests_the_same_entries_above_the_threshold(query, team_floor, at_scale):
    scanned = resolve(team_floor, query)
    assert isinstance(scanned, NotFound) and scanned.suggestions
    at_scale()
    assert resolve(team_floor, query) == scanned


def test_a_name_without_its_generic_last_word_resolves_the_same_above_the_threshold(team_floor, at_scale):
    scanned = resolve(team_floor, "pay per minute")
    assert isinstance(scanned, Match) and scanned.entry.term == "Pay Per Minute Model"
    at_scale()
    assert resolve(team_floor, "pay per minute") == scanned


@pytest.mark.parametrize(
    "query", ["handle time", "transfer", "score", "hold", "wrap up", "custmer satisfaction", "calls answered"]
)
def test_search_finds_the_same_hits_with_the_same_scores_above_the_threshold(query, team_floor, at_scale):
    def hits() -> list[tuple[float, str, str]]:  # best first; equal scores in term order, as ties may differ
        return sorted((-h.score, h.entry.term, h.matched_field) for h in search(team_floor, query, limit=100))

    scanned = hits()
    assert scanned
    at_scale()
    assert hits() == scanned


@pytest.mark.xfail(
    strict=True,
    reason="a documented limit: at scale search's candidates come from the word index, which finds word "
    "starts only, so a query inside a word (`bot` in Chatbot) is not found there",
)
def test_search_finds_a_query_inside_a_word_above_the_threshold(team_floor, at_scale):
    scanned = search(team_floor, "bot")
    assert [hit.entry.term for hit in scanned] == ["Chatbot"]
    at_scale()
    assert search(team_floor, "bot") == scanned
