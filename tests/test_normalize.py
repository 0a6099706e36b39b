"""The one normalisation shared by index and query (bpoterms/normalize.py), one behaviour per test."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpoterms.normalize import (
    american,
    compact,
    expand_abbreviations,
    fold,
    inflection_key,
    normalize,
    singular_word,
    spelling_key,
    stem,
    strip_filler,
    strip_question,
)

# ---------------------------------------------------------------- fold


def test_fold_lower_cases_ascii():
    assert fold("AHT Queue") == "aht queue"


@pytest.mark.parametrize(("text", "folded"), [("Café", "cafe"), ("ÀÉÎ", "aei"), ("naïve", "naive")])
def test_fold_strips_accents(text, folded):
    assert fold(text) == folded


def test_fold_casefolds_beyond_lower_case():
    assert fold("Straße") == "strasse"


@pytest.mark.parametrize(("text", "folded"), [("ＡＨＴ", "aht"), ("ﬁle", "file")])
def test_fold_reads_compatibility_forms_as_their_plain_letters(text, folded):
    assert fold(text) == folded


# ---------------------------------------------------------------- normalize


@pytest.mark.parametrize(("name", "normal"), [("C++", "c plus plus"), ("a+b", "a plus b")])
def test_normalize_spells_plus_as_a_word(name, normal):
    assert normalize(name) == normal


def test_normalize_spells_a_sharp_after_a_letter_as_a_word():
    assert normalize("C#") == "c sharp"


def test_normalize_drops_a_hash_that_follows_no_letter():
    assert normalize("#hashtag") == "hashtag"


def test_normalize_spells_a_leading_dot_before_a_letter_as_a_word():
    assert normalize(".NET") == "dot net"


@pytest.mark.parametrize(("text", "normal"), [("ASP.NET", "asp net"), ("3.5", "3 5")])
def test_normalize_reads_a_dot_inside_a_name_or_number_as_a_separator(text, normal):
    assert normalize(text) == normal


def test_normalize_keeps_c_cplusplus_csharp_and_dotnet_apart():
    forms = [normalize(name) for name in ("C", "C++", "C#", ".NET", "NET")]
    assert len(set(forms)) == 5


@pytest.mark.parametrize("text", ["T & M", "t&m", "T and M", "t  AND  m"])
def test_normalize_reads_an_ampersand_as_and(text):
    assert normalize(text) == "t and m"


@pytest.mark.parametrize("text", ["first-call resolution", "first call resolution", "First_Call  Resolution"])
def test_normalize_treats_hyphens_underscores_and_spaces_alike(text):
    assert normalize(text) == "first call resolution"


def test_normalize_collapses_and_trims_white_space():
    assert normalize("  wrap \t up\n ") == "wrap up"


def test_normalize_of_punctuation_only_is_empty():
    assert normalize("!!!") == ""


# ---------------------------------------------------------------- compact


def test_compact_is_the_normal_form_without_spaces():
    assert compact("T & M") == "tandm"


def test_compact_makes_joined_and_split_words_meet():
    assert compact("wrap-up") == compact("Wrapup") == "wrapup"


def test_compact_keeps_the_symbols_of_a_punctuation_only_name():
    assert (compact("!!!"), compact("? ?")) == ("!!!", "??")


# ---------------------------------------------------------------- singular_word


@pytest.mark.parametrize(("word", "singular"), [("calls", "call"), ("agents", "agent")])
def test_singular_word_drops_a_final_s(word, singular):
    assert singular_word(word) == singular


def test_singular_word_turns_ies_into_y():
    assert singular_word("policies") == "policy"


@pytest.mark.parametrize(
    ("word", "singular"), [("boxes", "box"), ("wishes", "wish"), ("matches", "match"), ("buzzes", "buzz")]
)
def test_singular_word_drops_es_after_a_sibilant(word, singular):
    assert singular_word(word) == singular


def test_singular_word_keeps_a_double_s():
    assert singular_word("class") == "class"


@pytest.mark.parametrize("word", ["as", "is", "s"])
def test_singular_word_leaves_words_of_two_letters_or_fewer(word):
    assert singular_word(word) == word


# ---------------------------------------------------------------- stem


@pytest.mark.parametrize("word", ["escalate", "escalation", "escalated", "escalating"])
def test_stem_gives_word_forms_one_stem(word):
    assert stem(word) == "escal"


def test_stem_drops_ing():
    assert stem("forecasting") == "forecast"


@pytest.mark.parametrize("word", ["ramp", "lass", "vale", "rate"])
def test_stem_leaves_words_of_four_letters_or_fewer_untouched(word):
    assert stem(word) == word


@pytest.mark.parametrize("word", ["abc1", "a2p", "24x7s"])
def test_stem_leaves_words_with_digits_untouched(word):
    assert stem(word) == word


def test_stem_drops_only_a_suffix_that_leaves_three_letters():
    assert stem("rated") == "rat"  # not `r` + `ated`


@pytest.mark.parametrize(
    ("british", "american_form"), [("utilisation", "utilization"), ("organisations", "organizations")]
)
def test_stem_meets_british_and_american_spellings(british, american_form):
    assert stem(british) == stem(american_form)


# ---------------------------------------------------------------- american


@pytest.mark.parametrize(
    ("british", "american_form"),
    [("programme", "program"), ("enquiry", "inquiry"), ("licence", "license"), ("queueing", "queuing")],
)
def test_american_maps_whole_british_words(british, american_form):
    assert american(british) == american_form


@pytest.mark.parametrize(
    ("british", "american_form"),
    [
        ("utilisation", "utilization"),
        ("organised", "organized"),
        ("analyse", "analyze"),
        ("centre", "center"),
        ("travelled", "traveled"),
        ("cancelling", "canceling"),
        ("catalogues", "catalogs"),
    ],
)
def test_american_maps_british_endings(british, american_form):
    assert american(british) == american_form


@pytest.mark.parametrize(
    ("british", "american_form"), [("labour", "labor"), ("colours", "colors"), ("behaviour", "behavior")]
)
def test_american_turns_our_into_or_after_three_letters(british, american_form):
    assert american(british) == american_form


@pytest.mark.parametrize("word", ["hour", "four", "tour"])
def test_american_leaves_short_our_words_alone(word):
    assert american(word) == word


@pytest.mark.parametrize("word", ["ise", "tre", "ogue"])
def test_american_leaves_a_word_that_is_only_an_ending(word):
    assert american(word) == word


def test_american_leaves_an_american_word_as_it_is():
    assert american("utilization") == "utilization"


def test_spelling_key_is_the_compact_key_in_american_spelling():
    assert spelling_key("Utilisation Rate") == "utilizationrate"


# ---------------------------------------------------------------- inflection_key


def test_inflection_key_reduces_a_plural_phrase_to_its_singular():
    assert inflection_key("abandoned calls") == inflection_key("Abandoned Call")


def test_inflection_key_reads_a_small_s_after_capitals_as_a_plural():
    assert inflection_key("FTEs") == inflection_key("FTE") == "fte"


@pytest.mark.parametrize("text", ["SLA's", "SLA’s"])
def test_inflection_key_drops_possessives(text):
    assert inflection_key(text) == "sla"


@pytest.mark.parametrize(("acronym", "shorter"), [("CMIS", "CMI"), ("CWS", "CW")])
def test_inflection_key_keeps_a_name_in_capitals_whole(acronym, shorter):
    assert inflection_key(acronym) == acronym.lower()
    assert inflection_key(acronym) != inflection_key(shorter)


def test_inflection_key_meets_british_and_american_word_forms():
    assert inflection_key("Utilisation") == inflection_key("utilization")


def test_inflection_key_has_no_spaces():
    assert inflection_key("First-Call Resolutions") == "firstcallresolution"


# ---------------------------------------------------------------- strip_question


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("what is nps?", "nps"),
        ("What does SLA mean?", "sla"),
        ("what's NPS", "nps"),
        ("define AHT", "aht"),
        ("what does FCR stand for", "fcr"),
        ("tell me about erlang c", "erlang c"),
        ("what is the meaning of TAT", "tat"),
    ],
)
def test_strip_question_leaves_the_term(question, term):
    assert strip_question(question) == term


def test_strip_question_drops_a_leading_article_typed_as_a_word():
    assert strip_question("the SLA") == "sla"


def test_strip_question_keeps_a_letter_that_is_part_of_a_hyphenated_name():
    assert strip_question("A-aw") == "a aw"


def test_strip_question_returns_a_plain_term_normalised():
    assert strip_question("First-Call Resolution") == "first call resolution"


def test_strip_question_never_strips_everything():
    assert strip_question("define") == "define"


# ---------------------------------------------------------------- strip_filler


@pytest.mark.parametrize(
    "phrase",
    ["how to calculate aht", "aht full form", "aht in call center", "what is a good aht", "aht meaning in bpo"],
)
def test_strip_filler_drops_words_around_the_term(phrase):
    assert strip_filler(phrase.split()) == ["aht"]


def test_strip_filler_drops_a_leading_article():
    assert strip_filler(["the", "aht"]) == ["aht"]


def test_strip_filler_keeps_metric_nouns():
    assert strip_filler(["nps", "score"]) == ["nps", "score"]


def test_strip_filler_keeps_a_lone_filler_word():
    assert strip_filler(["calculate"]) == ["calculate"]


def test_strip_filler_does_not_change_its_argument():
    words = ["how", "to", "calculate", "aht"]
    strip_filler(words)
    assert words == ["how", "to", "calculate", "aht"]


# ---------------------------------------------------------------- expand_abbreviations


def test_expand_abbreviations_spells_out_chat_abbreviations():
    assert expand_abbreviations("avg handle time") == "average handle time"


def test_expand_abbreviations_expands_every_word_it_knows():
    assert expand_abbreviations("tech svc mgmt") == "technical service management"


def test_expand_abbreviations_spells_out_dashboard_shorthand_of_workforce_metrics():
    assert expand_abbreviations("occ util service lvl") == "occupancy utilization service level"


def test_expand_abbreviations_leaves_other_words():
    assert expand_abbreviations("average handle time") == "average handle time"


def test_expand_abbreviations_only_expands_whole_words():
    assert expand_abbreviations("avgs mgmtx") == "avgs mgmtx"


def test_n_between_two_words_expands_to_and_but_not_alone():
    from bpoterms.normalize import expand_abbreviations

    assert expand_abbreviations("full n final") == "full and final"
    assert expand_abbreviations("n") == "n"


@given(st.text(max_size=40) | st.text(alphabet="aZ9 _-.,\t\n\x1c\x85\u00a0\u2003\u200b²½ª\u0663\u0301é日", max_size=40))
@settings(max_examples=400, deadline=None)
def test_words_are_split_exactly_as_the_word_pattern_splits_them(text):
    """normalize finds word boundaries without `re` (which an exact lookup would otherwise import
    for this alone); the result is what the pattern `[^\\w]+` gives, on any text."""
    from bpoterms.normalize import _words

    assert _words(text.replace("_", " ")) == re.sub(r"[^\w]+", " ", text.replace("_", " ")).strip()


@given(st.text(alphabet=st.characters(max_codepoint=127, blacklist_characters="+#."), max_size=40))
@settings(max_examples=400, deadline=None)
def test_an_ascii_name_normalises_as_the_general_route_does(text):
    """ASCII text without C++/C#/.NET symbols takes a shortcut through one byte table (most names
    do: a compile normalises every one); it gives what folding, `&` as `and` and the word split give."""
    from bpoterms.normalize import _words

    assert normalize(text) == _words(fold(text).replace("&", " and ").replace("_", " "))


@pytest.mark.parametrize("text", ["Utilisation Rates", "T&M centre", "C++ labour", "programme", "!!!", ""])
def test_the_keys_of_a_normalised_name_are_the_keys_of_the_name(text):
    from bpoterms.normalize import spelling_key_of, word_form

    assert spelling_key_of(normalize(text)) == spelling_key(text)
    assert "".join(map(word_form, normalize(text).split())) == inflection_key(text.lower())
