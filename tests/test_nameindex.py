"""The word index of names (nameindex.py): the candidates fuzzy matching scores, best bound first."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpoterms import GlossarySpec, load, nameindex
from bpoterms.normalize import american
from bpoterms.scoring import name_score, within_one_edit_positions

from .conftest import DATA, builtin_glossary, builtin_names


@pytest.fixture(scope="module")
def team_floor():
    return load(GlossarySpec((DATA / "team_floor.yaml",), include_builtin=False))


@pytest.fixture(scope="module")
def builtin():
    return builtin_glossary()


@pytest.fixture(scope="module")
def builtin_with_deletions():
    """The built-in glossary with its short words filed in the deletion index, which only
    vocabularies of DELETIONS_FROM words have."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nameindex, "DELETIONS_FROM", 0)
        return load(GlossarySpec((), include_builtin=True))


@pytest.fixture
def deletions_looked_up_wherever_they_find_every_word():
    """Looked up at every length the index answers for, however many comparisons that saves."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nameindex, "KEY_COST", 0)
        yield


def test_the_index_counts_every_name_of_the_name_table(team_floor):
    assert team_floor.name_index().__len__() == len(team_floor.name_table().names)


def test_rows_give_each_position_its_name_owner_and_field(team_floor):
    table = team_floor.name_table()
    rows = team_floor.name_index().rows([3, 0, 7])
    assert rows == [(i, table.names[i], table.owners[i], table.fields[i]) for i in (3, 0, 7)]


def test_word_hits_find_the_names_with_a_word_starting_like_the_query_word(team_floor):
    names = team_floor.name_table().names
    expected = {i for i, name in enumerate(names) if any(w.startswith("trans") for w in name.split())}
    assert expected and team_floor.name_word_hits(["trans"], 20_000) == expected


def test_word_hits_stop_at_the_limit_in_table_order(team_floor):
    every = sorted(team_floor.name_word_hits(["a"], 20_000))
    assert len(every) > 3 and team_floor.name_word_hits(["a"], 3) == set(every[:3])


@pytest.mark.parametrize("suffix", ["time", "e", "s", "ing", "zzz", "aht"])
def test_ending_with_finds_every_vocabulary_word_ending_so_and_no_other(suffix, builtin):
    index = builtin.name_index()
    expected = [i for i, word in enumerate(index.vocab) if word.endswith(suffix)]
    assert index.ending_with(suffix) == expected
    assert expected or suffix == "zzz"


def test_ending_with_finds_the_first_and_the_last_word_of_the_vocabulary(builtin):
    vocab = builtin.name_index().vocab
    assert builtin.name_index().ending_with(vocab[0])[0] == 0
    assert builtin.name_index().ending_with(vocab[-1])[-1] == len(vocab) - 1


@pytest.mark.parametrize(("typed", "meant"), [("transfr", "transfer"), ("tranfser", "transfer"), ("holld", "hold")])
def test_similar_words_pair_a_typo_with_its_word(typed, meant, team_floor):
    index = team_floor.name_index()
    assert meant in [index.vocab[i] for i in index.similar_words(typed)]


@pytest.mark.parametrize("query", ["abandonmnet rate", "custmer satisfaction", "average handel time", "service levle"])
def test_batches_give_the_names_in_ranked_order_with_each_batchs_best_bound(query, builtin):
    index = builtin.name_index()
    words = [american(w) for w in query.split()]
    ranked = index.ranked(words)
    batches = list(index.batches(words))
    assert len(batches) > 1
    assert [(pos, aligned) for _bound, rows in batches for pos, *_row, aligned in rows] == [
        (pos, aligned) for _bound, pos, aligned in ranked
    ]
    assert [bound for bound, _rows in batches] == [bound for bound, _pos, _aligned in ranked[::64]]


GROUPED_QUERIES = ["abandonmnet rate", "custmer satisfaction", "average handel time", "service levle", "cost per seat"]


@pytest.mark.parametrize("query", GROUPED_QUERIES)
def test_no_name_left_in_a_group_is_bounded_above_the_groups_bound(query, builtin):
    # a group is worked out only when the scorer gets down to its bound: a name above it would be missed
    _bounded, groups, bounds_of = builtin.name_index()._bounds([american(w) for w in query.split()])
    assert groups
    for group_bound, positions in groups:
        assert max(-negative for negative, _pos, _aligned in bounds_of(positions)) <= group_bound


@pytest.mark.parametrize("query", GROUPED_QUERIES)
def test_a_name_is_bounded_one_by_one_or_left_in_a_group_never_both(query, builtin):
    bounded, groups, _bounds_of = builtin.name_index()._bounds([american(w) for w in query.split()])
    each = [pos for _negative, pos, _aligned in bounded]
    grouped = [pos for _bound, positions in groups for pos in positions]
    assert len(set(each + grouped)) == len(each) + len(grouped)


@pytest.mark.parametrize("query", GROUPED_QUERIES)
@pytest.mark.parametrize("floor", [60.0, 72.0, 76.5, 80.0, 84.0, 88.0, 92.0])
def test_a_group_opened_under_a_floor_gives_exactly_its_names_whose_bound_reaches_it(query, floor, builtin):
    # names whose letters alone keep them below the floor are passed over without being bounded
    _bounded, groups, open_group = builtin.name_index()._bounds([american(w) for w in query.split()])
    for _bound, positions in groups:
        assert open_group(positions, floor) == [b for b in open_group(positions) if -b[0] >= floor]


@pytest.mark.parametrize(("query", "floor"), [("average handel time", 80.0), ("service levle", 85.0)])
def test_batches_under_a_floor_give_exactly_the_ranked_names_reaching_it(query, floor, builtin):
    index = builtin.name_index()
    words = [american(w) for w in query.split()]
    given = [pos for _bound, rows in index.batches(words, lambda: floor) for pos, *_row in rows]
    assert given == [pos for bound, pos, _aligned in index.ranked(words) if bound >= floor]


@pytest.mark.parametrize("floor", [80.0, 90.0, 101.0])
def test_a_group_below_the_floor_is_never_worked_out(floor, builtin, monkeypatch):
    index = builtin.name_index()
    words = ["average", "handel", "time"]
    _bounded, groups, _bounds_of = index._bounds(words)
    below = {pos for bound, positions in groups if bound < floor for pos in positions}
    assert below
    worked_out: list[int] = []
    asked: list[list[str]] = []
    original = index._bounds

    def spy(query_words):
        asked.append(query_words)
        bounded, groups, bounds_of = original(query_words)

        def spied(positions, *floor):
            positions = list(positions)
            worked_out.extend(positions)
            return bounds_of(positions, *floor)

        return bounded, groups, spied

    monkeypatch.setattr(index, "_bounds", spy)
    monkeypatch.setattr(index, "_kept_bounds", None)  # nothing kept from an earlier pass over the words
    list(index.batches(words, lambda: floor))
    assert asked == [words]
    assert not below & set(worked_out)


@pytest.mark.parametrize("floor", [None, 60.0, 85.0])
def test_a_second_pass_over_the_same_words_gives_the_same_batches(floor, builtin):
    index = builtin.name_index()
    words = ["average", "handel", "time"]
    least = None if floor is None else (lambda: floor)
    first = list(index.batches(words, least))
    assert first
    assert list(index.batches(words, least)) == first


def test_the_bounds_are_worked_out_once_for_a_leader_and_then_the_five_best(builtin, monkeypatch):
    from bpoterms import scoring

    index = builtin.name_index()
    asked: list[list[str]] = []
    original = index._bounds

    def counting(query_words):
        asked.append(query_words)
        return original(query_words)

    monkeypatch.setattr(index, "_bounds", counting)
    monkeypatch.setattr(index, "_kept_bounds", None)
    assert scoring.clear_leader(builtin, "fixed prise model x", 88.0, 4.0) is None
    assert scoring.fuzzy_scores(builtin, "fixed prise model x", 5)
    assert asked == [["fixed", "prize", "model", "x"]]  # in American spelling


@pytest.mark.parametrize(
    "query",
    ["abandonmnet rate", "warm tranfser", "custmer satisfaction", "hold", "wrapup", "wrap up", "abandonmnet"],
)
def test_the_bound_is_never_below_the_score_of_the_name(query, team_floor):
    table = team_floor.name_table()
    words = [american(w) for w in query.split()]
    for bound, pos, _aligned in team_floor.name_index().ranked(words):
        assert name_score(words, [american(w) for w in table.names[pos].split()]) <= bound + 1e-9


@pytest.mark.parametrize(
    "query",
    [
        "licence cost per seat",
        "time and materials vs fixed price",
        "statment of work",
        "cost of poor qualty",
        "step in",
    ],
)
def test_a_name_pairing_a_light_word_of_the_query_is_not_bounded_below_its_score(query, builtin):
    # `per`, `of`, `and`: small words weigh little, but a name's own `per` pairs the query's
    table = builtin.name_table()
    words = [american(w) for w in query.split()]
    ranked = builtin.name_index().ranked(words)
    assert ranked
    for bound, pos, _aligned in ranked:
        assert name_score(words, [american(w) for w in table.names[pos].split()]) <= bound + 1e-9


@pytest.mark.parametrize(("typed", "meant"), [("13", "13th"), ("13th", "13th")])
def test_similar_words_pair_a_number_with_its_ordinal(typed, meant, builtin):
    index = builtin.name_index()
    assert meant in [index.vocab[i] for i in index.similar_words(typed)]


def test_a_name_holding_the_ordinal_of_a_number_in_the_query_is_not_bounded_below_its_score(builtin):
    table = builtin.name_table()
    words = ["13", "month", "pay"]
    scores = {}
    for bound, pos, _aligned in builtin.name_index().ranked(words):
        scores[table.names[pos]] = score = name_score(words, table.names[pos].split())
        assert score <= bound + 1e-9
    assert scores["13th month pay"] > 95


def test_names_come_best_bound_first(team_floor):
    bounds = [bound for bound, _pos, _aligned in team_floor.name_index().ranked(["abandonmnet", "rate"])]
    assert bounds and bounds == sorted(bounds, reverse=True)


def test_a_name_pairing_no_query_word_nor_holding_a_part_of_one_is_no_candidate(team_floor):
    table = team_floor.name_table()
    positions = {pos for _bound, pos, _aligned in team_floor.name_index().ranked(["abandonmnet"])}
    # `abandon rate` pairs a word; `net promoter score` holds the end of the query word
    assert positions and all("abandon" in table.names[pos] or "net" in table.names[pos].split() for pos in positions)


@pytest.mark.parametrize(("typed", "meant"), [("wrapup", "wrap up"), ("abandonmnet", "abandon rate")])
def test_names_met_only_through_the_joined_strings_are_candidates(typed, meant, team_floor):
    table = team_floor.name_table()
    words = [american(w) for w in typed.split()]
    assert name_score(words, meant.split()) >= 50
    listed = {table.names[pos] for _bound, pos, _aligned in team_floor.name_index().ranked(words)}
    assert meant in listed


def test_names_holding_a_word_that_starts_like_a_long_query_word_are_candidates(builtin):
    table = builtin.name_table()
    listed = {table.names[pos] for _bound, pos, _aligned in builtin.name_index().ranked(["nester"])}
    assert "nesting" in listed


@pytest.mark.parametrize("text", ["", "abc", "aab", "queue", "wrap up 24x7", "Ünïcode-ß"])
def test_letter_bits_bound_the_edits_between_two_strings(text):
    from rapidfuzz.distance import OSA

    from bpoterms.nameindex import letters

    for other in ["", "abc", "bca", "queues", "wrapup", "24x7 up", "ünicode"]:
        edits = OSA.distance(text, other)
        a, b = letters(text), letters(other)
        assert (a & ~b).bit_count() <= edits and (b & ~a).bit_count() <= edits


def test_the_compiled_bounds_of_a_name_are_those_of_its_joined_words(builtin):
    # compile_into sums each name's bounds from its words'; the module's docstring defines them on
    # the joined words: both must agree, repeated words, digits, British spellings and long names too
    from bpoterms.nameindex import NameIndex, compile_into, letters
    from bpoterms.scoring import _weight
    from bpoterms.sqlite import sqlite3

    names = [
        *builtin.name_table().names,
        "",
        "wrap up wrap",
        "colour of the 24x7 centre",
        "x" * 300,
        "a " * 20 + "b" * 5000,
    ]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL)")
    compile_into(db, names, [0] * len(names), ["term"] * len(names))
    index = NameIndex(db)
    holders: dict[str, list[int]] = {}
    for pos, name in enumerate(names):
        words = name.split()
        joined = "".join(american(w) for w in words)
        weight = 255 if len(set(words)) < len(words) else min(255, int(2 * sum(_weight(american(w)) for w in words)))
        assert index.weights[pos] == weight
        assert index.shapes[pos] == min(len(joined), 4095) << 4 | min(len(words), 15)
        assert index.letters[pos] == letters(joined)
        for word in dict.fromkeys(words):
            holders.setdefault(word, []).append(pos)
    assert index.vocab == sorted(holders)
    assert all(index.positions(i).tolist() == holders[word] for i, word in enumerate(index.vocab))


@given(
    st.dictionaries(st.integers(0, 50), st.floats(0, 10)),
    st.sets(st.integers(0, 50)),
    st.floats(0, 10),
    st.floats(0, 10),
)
def test_adding_a_weight_to_each_position_sums_as_the_plain_loop_does(totals, positions, weight, start):
    expected = dict(totals)
    for pos in positions:
        expected[pos] = expected.get(pos, start) + weight
    counted_before = positions & totals.keys()
    assert sorted(nameindex._add_to_each(totals, positions, weight, start)) == sorted(counted_before)
    assert totals == expected


@given(st.text("abcdeilnorstuy", max_size=16), st.sampled_from([0.6, 0.7, 0.85]), st.booleans())
def test_close_words_are_the_words_a_search_of_the_whole_vocabulary_finds(builtin, text, cutoff, stems):
    # close_words compares only the words whose length allows `cutoff`: it must miss none
    from bpoterms.scoring import close_choices

    index = builtin.name_index()
    words = index.stems() if stems else index.vocab
    assert sorted(index.close_words(text, cutoff, stems=stems)) == sorted(close_choices(text, words, cutoff))


@pytest.mark.parametrize("text", ["representative", "telecommunications", "implementation"])
def test_a_long_word_is_compared_with_the_words_of_a_similar_length_only(text, builtin, monkeypatch):
    from bpoterms import scoring

    index = builtin.name_index()
    compared: list[str] = []
    real = scoring.close_choices
    monkeypatch.setattr(scoring, "close_choices", lambda t, words, c: compared.extend(words) or real(t, words, c))
    found = index.close_words(text, 0.7)
    assert compared and len(compared) < len(index.vocab) / 2
    assert all(0.7 * len(text) - 1 <= len(word) <= len(text) / 0.7 + 1 for word in compared)
    assert sorted(found) == sorted(real(text, index.vocab, 0.7))


def _edited(data: st.DataObject, word: str) -> str:
    """`word` with up to three letters deleted, added, changed or swapped with the next."""
    for _ in range(data.draw(st.integers(0, 3))):
        at = data.draw(st.integers(0, len(word)))
        edit = data.draw(st.sampled_from(["delete", "add", "change", "swap"]))
        letter = data.draw(st.sampled_from("aeilnorstxz"))
        if edit == "add":
            word = word[:at] + letter + word[at:]
        elif at < len(word) and edit == "delete":
            word = word[:at] + word[at + 1 :]
        elif at < len(word) and edit == "change":
            word = word[:at] + letter + word[at + 1 :]
        elif at + 1 < len(word):
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word


@given(st.data(), st.sampled_from([0.34, 0.5, 0.6, 0.7, 0.85]), st.booleans(), st.sampled_from([0, 1, 20]))
def test_close_words_looked_up_by_deletions_are_the_words_a_search_of_the_whole_vocabulary_finds(
    builtin_with_deletions, data, cutoff, stems, key_cost
):
    # the lengths the index answers for must be those where it holds every close word: the query is
    # a short word of the vocabulary a few edits away, so that some words are close to it
    from bpoterms.scoring import close_choices

    index = builtin_with_deletions.name_index()
    words = index.stems() if stems else index.vocab
    text = _edited(data, data.draw(st.sampled_from([word for word in words if len(word) <= 7])))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nameindex, "KEY_COST", key_cost)  # 0: looked up at every length the index answers for
        found = index.close_words(text, cutoff, stems=stems)
    assert sorted(found) == sorted(close_choices(text, words, cutoff))


@pytest.mark.parametrize(
    ("text", "cutoff", "looked_up"),
    [
        ("tiem", 0.6, {3, 4, 5}),
        ("handel", 0.6, {4, 5}),
        ("sla", 0.6, {2, 3, 4, 5}),
        ("qa", 0.6, {2, 3}),
        ("ahdnle", 0.7, {5}),
    ],
)
def test_the_words_of_the_lengths_looked_up_are_not_compared_one_by_one(
    text, cutoff, looked_up, builtin_with_deletions, deletions_looked_up_wherever_they_find_every_word, monkeypatch
):
    from bpoterms import scoring

    index = builtin_with_deletions.name_index()
    of_those_lengths = [word for word in index.vocab if len(word) in looked_up]
    compared: list[str] = []
    real = scoring.close_choices
    monkeypatch.setattr(scoring, "close_choices", lambda t, words, c: compared.extend(words) or real(t, words, c))
    found = index.close_words(text, cutoff)
    assert sum(len(word) in looked_up for word in compared) < len(of_those_lengths) / 10
    assert sorted(found) == sorted(real(text, index.vocab, cutoff))


def test_a_five_letter_word_two_edits_from_a_shorter_query_word_is_found_through_its_deletions(
    builtin_with_deletions, deletions_looked_up_wherever_they_find_every_word
):
    # its second letter changed and its third dropped (two edits): the word loses two letters to meet
    # the query word's key; at a cutoff of 0.5 two edits in five letters are close enough
    from bpoterms.scoring import close_choices

    index = builtin_with_deletions.name_index()
    for word in [word for word in index.vocab if len(word) == 5 and word.isalpha()][:60]:
        typed = word[0] + ("x" if word[1] != "x" else "z") + word[3:]
        expected = close_choices(typed, index.vocab, 0.5)
        assert index.vocab.index(word) in expected
        assert sorted(index.close_words(typed, 0.5)) == sorted(expected)


def test_a_short_word_is_filed_under_its_one_letter_deletions():
    assert nameindex._deletions("cat", nameindex.deleted_letters(3)) == {"cat", "at", "ct", "ca"}


def test_a_five_letter_word_is_filed_under_its_deletions_down_to_three_letters():
    keys = nameindex._deletions("level", nameindex.deleted_letters(5))
    assert {"level", "evel", "lvel", "leel", "levl", "leve", "vel", "lel", "lev", "eel"} <= keys
    assert {len(key) for key in keys} == {3, 4, 5}


def test_a_small_vocabulary_has_no_deletion_index(builtin, builtin_with_deletions):
    def filed(glossary):
        return glossary.name_index()._db.execute("SELECT count(*) FROM deletions").fetchone()[0]

    assert len(builtin.name_index().vocab) < nameindex.DELETIONS_FROM
    assert filed(builtin) == 0
    assert filed(builtin_with_deletions) > len(builtin_with_deletions.name_index().vocab)


def test_the_stems_are_those_of_each_word_of_the_vocabulary(builtin):
    # stored only where a stem is not its word: the others must come back as the word itself
    from bpoterms.normalize import stem

    index = builtin.name_index()
    expected = [stem(american(word)) for word in index.vocab]
    assert index.stems() == expected
    assert 0 < sum(s != w for s, w in zip(expected, index.vocab, strict=True)) < len(expected)


@pytest.mark.parametrize("which", ["builtin", "team_floor"])
def test_the_name_words_are_every_distinct_word_of_every_name_sorted(which, request):
    glossary = request.getfixturevalue(which)
    every = sorted({word for name in glossary.name_table().names for word in name.split()})
    assert glossary.name_words() == every
    assert all(glossary.is_name_word(word) for word in every)


@pytest.mark.parametrize("word", ["handl", "handlee", "", "time handle"])
def test_a_word_no_name_holds_is_no_name_word(word, builtin):
    assert "handle" in builtin.name_words()
    assert not builtin.is_name_word(word)


def one_edit_apart(draw: st.DrawFn, text: str) -> str:
    """`text` with one edit a typist makes (or none), anywhere in it, the middle included."""
    at = draw(st.integers(0, len(text) - 1))
    edit = draw(st.sampled_from(["swap", "drop", "add", "change", "none"]))
    letter = draw(st.sampled_from("aeirstnx"))
    if edit == "swap" and at + 1 < len(text):
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    if edit == "drop":
        return text[:at] + text[at + 1 :]
    if edit == "add":
        return text[:at] + letter + text[at:]
    if edit == "change":
        return text[:at] + letter + text[at + 1 :]
    return text


@st.composite
def keys_near_builtin_names(draw: st.DrawFn) -> str:
    """A built-in name of six characters or more, spaces and hyphens left out, with one edit: a key
    of five characters or more, as `_one_edit_away` takes."""
    joined = [key for name in builtin_names() if len(key := name.lower().replace(" ", "").replace("-", "")) >= 6]
    return one_edit_apart(draw, draw(st.sampled_from(joined)))


@settings(max_examples=60, deadline=None)
@given(key=keys_near_builtin_names())
def test_the_names_one_edit_from_a_key_are_among_its_candidates(key):
    glossary = builtin_glossary()
    candidates = glossary.name_index().one_edit_candidates(key, most_words=10**6)
    assert candidates is not None
    assert set(within_one_edit_positions(key, glossary.compact_names())) <= candidates


@settings(max_examples=40, deadline=None)
@given(key=keys_near_builtin_names())
def test_at_scale_the_names_one_edit_from_a_key_are_those_checking_every_name_finds(key):
    from bpoterms import lookup

    glossary = builtin_glossary()
    every = within_one_edit_positions(key, glossary.compact_names())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lookup, "SCAN_ALL_NAMES_BELOW", 0)  # the built-in glossary counts as large
        assert lookup._within_one_edit_of(glossary, key) == every


def test_a_key_whose_candidates_come_from_too_many_words_has_none(builtin):
    assert builtin.name_index().one_edit_candidates("averagehandletime", most_words=0) is None
    assert builtin.name_index().one_edit_candidates("averagehandletime") is not None


def every_key_one_edit_from(text: str) -> set[str]:
    """`text` with each letter dropped, changed, doubled or swapped with the next, wherever it is."""
    keys = set()
    for at in range(len(text)):
        keys |= {text[:at] + text[at + 1 :], text[:at] + "x" + text[at + 1 :], text[:at] + text[at] + text[at:]}
        if at + 1 < len(text):
            keys.add(text[:at] + text[at + 1] + text[at] + text[at + 2 :])
    return {key for key in keys if len(key) >= 5}


@pytest.mark.parametrize("name", ["averagehandletime", "wrapup", "netpromoterscore", "occupancy", "qascorecard"])
def test_a_name_is_among_the_candidates_of_every_key_one_edit_from_it_the_middle_included(name, builtin):
    index = builtin.name_index()
    for key in every_key_one_edit_from(name):
        expected = set(within_one_edit_positions(key, builtin.compact_names()))
        assert expected <= index.one_edit_candidates(key, most_words=10**6), key
