"""The resolver on queries as people type them, one failure class of the first round per test,
on the real glossary: right, or honestly unsure — never confidently wrong."""

from __future__ import annotations

import json

import pytest

from bpoterms import GlossarySpec, load, resolve
from bpoterms.model import Ambiguous, Comparison, Match, NotFound


@pytest.fixture(scope="module")
def glossary():
    return load(GlossarySpec((), include_builtin=True))


def answer(glossary, query: str) -> str | None:
    """The term the resolver answers with, or None when it is unsure."""
    found = resolve(glossary, query)
    return found.entry.term if isinstance(found, Match) else None


def suggested(glossary, query: str) -> list[str]:
    found = resolve(glossary, query)
    assert isinstance(found, NotFound), found
    return [s.entry.term for s in found.suggestions]


# 1. containment and word order are not near-identity


@pytest.mark.parametrize(
    ("query", "not_this"),
    [
        ("agent desktop", "Agent"),
        ("agentic ai", "Agent"),
        ("text to speech", "Automatic Speech Recognition"),
        ("monthly business review", "Quarterly Business Review"),
        ("telemarketing sales", "Telemarketing"),
    ],
)
def test_a_name_contained_in_a_longer_query_is_not_the_answer(glossary, query, not_this):
    assert answer(glossary, query) != not_this


def test_british_utilisation_finds_utilization_not_seat_utilization(glossary):
    assert answer(glossary, "utilisation") == "Utilization"


@pytest.mark.parametrize(("query", "term"), [("text to speech", "Text-to-Speech"), ("agentic ai", "Agentic AI")])
def test_the_longer_name_is_found_when_it_exists(glossary, query, term):
    assert answer(glossary, query) == term


# 2. an acronym plus an ordinary word


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("NPS score", "Net Promoter Score"),
        ("fcr rate", "First Call Resolution"),
        ("aux time", "Auxiliary State"),
        ("AHT full form", "Average Handle Time"),
        ("AHT meaning", "Average Handle Time"),
        ("AHT formula", "Average Handle Time"),
        ("how to calculate AHT", "Average Handle Time"),
        ("AHT in call center", "Average Handle Time"),
        ("PCI DSS requirements", "PCI DSS"),
        ("MSA contract", "Master Services Agreement"),
    ],
)
def test_an_acronym_with_filler_words_finds_the_entry(glossary, query, term):
    assert answer(glossary, query) == term


def test_a_metric_noun_never_turns_a_non_metric_into_an_answer(glossary):
    assert answer(glossary, "transfer pricing") is None


# 3. spelling variants


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("optimisation", None),  # no such entry: must not be a guess
        ("contact centre", "Contact Center"),
        ("wrap up", "After-Call Work"),
        ("wrapup", "After-Call Work"),
        ("escalate", "Escalation"),
        ("forecast", "Forecasting"),
        ("abandoned calls", "Abandoned Call"),
        ("summarisation", "Call Summarization"),
    ],
)
def test_spelling_variants_and_word_forms(glossary, query, term):
    assert answer(glossary, query) == term


# 4. head words


@pytest.mark.parametrize(("query", "term"), [("warm", "Warm Transfer"), ("cold", "Cold Transfer")])
def test_a_word_only_one_entry_holds_finds_it(glossary, query, term):
    assert answer(glossary, query) == term


def test_a_word_several_entries_hold_finds_the_one_the_others_point_to(glossary):
    inbound_outsourcing = glossary.get("Inbound Outsourcing")
    assert "Inbound Calls" in inbound_outsourcing.see_also + inbound_outsourcing.confused_with
    assert answer(glossary, "inbound") == "Inbound Calls"


@pytest.mark.parametrize(("query", "first"), [("hold", "Hold")])
def test_a_word_several_entries_hold_suggests_them_first(glossary, query, first):
    assert suggested(glossary, query)[0].startswith(first)


# 5. homonyms


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("TSR", {"Technical Support Representative", "Telemarketing Sales Rule"}),
        ("SL", {"Service Level", "Sick Leave"}),
        ("CCO", {"Contact Center Outsourcing", "Chief Customer Officer"}),
    ],
)
def test_a_shared_acronym_gives_every_reading(glossary, query, terms):
    found = resolve(glossary, query)
    assert isinstance(found, Ambiguous)
    assert {m.entry.term for m in found.matches} == terms


def test_a_metric_noun_picks_the_metric_among_the_readings(glossary):
    assert answer(glossary, "SL percentage") == "Service Level"


# 6. comparisons


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("CSAT vs NPS", ["Customer Satisfaction Score", "Net Promoter Score"]),
        ("occupancy versus utilization", ["Occupancy", "Utilization"]),
        ("AHT or ACW", ["Average Handle Time", "After-Call Work"]),
        ("difference between SLA and OLA", ["Service Level Agreement", "Operational Level Agreement"]),
        ("warm vs cold transfer", ["Warm Transfer", "Cold Transfer"]),
        ("tcpa vs tsr", ["Telephone Consumer Protection Act", "Telemarketing Sales Rule"]),
    ],
)
def test_a_comparison_gives_both_entries_in_order(glossary, query, terms):
    found = resolve(glossary, query)
    assert isinstance(found, Comparison)
    assert [m.entry.term for m in found.matches] == terms


def test_a_comparison_in_json_is_a_list_of_two_entries(invoke):
    result = invoke("define", "CSAT vs NPS", "--json")
    assert result.exit_code == 0
    assert [e["term"] for e in json.loads(result.stdout)] == ["Customer Satisfaction Score", "Net Promoter Score"]


def test_a_comparison_of_commonly_confused_entries_says_so(invoke):
    out = invoke("define", "occupancy vs utilization", "--color", "never").stdout
    assert out.splitlines()[-1] == "Occupancy and Utilization are often confused: see the notes above."


# misspellings: right when the typo is clear, unsure when it is not


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("abandonmnet rate", "Abandonment Rate"),
        ("omnichanel", "Omnichannel"),
        ("coching", "Coaching"),
        ("chatbott", "Chatbot"),
        ("workforce managment", "Workforce Management"),
    ],
)
def test_a_clear_typo_is_corrected(glossary, query, term):
    found = resolve(glossary, query)
    assert isinstance(found, Match) and (found.entry.term, found.kind) == (term, "fuzzy")


@pytest.mark.parametrize("query", ["ahtt", "ccas", "fixed prise model x", "average handling fee", "in queue"])
def test_a_doubtful_match_is_only_suggested(glossary, query):
    assert answer(glossary, query) is None


@pytest.mark.parametrize(
    "query", ["service dog", "net profit", "python", "exchange rate", "machine gun", "sales tax", "home loan"]
)
def test_everyday_words_are_not_given_a_bpo_meaning(glossary, query):
    assert isinstance(resolve(glossary, query), NotFound)


# search: a single word ranks the entry named by it first


@pytest.mark.parametrize(("query", "first"), [("wrap", "After-Call Work"), ("hold", "Hold Time"), ("queue", "Queue")])
def test_search_ranks_the_entry_a_single_word_names_first(glossary, query, first):
    from bpoterms import search

    assert search(glossary, query)[0].entry.term == first


def test_search_for_bot_includes_chatbot(glossary):
    from bpoterms import search

    assert "Chatbot" in [hit.entry.term for hit in search(glossary, "bot", limit=5)]


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("asr carrier stats", "Answer-Seizure Ratio"),
        ("sl target this week", "Service Level"),
        ("filing sl tomorrow", "Sick Leave"),
        ("tsr agent", "Technical Support Representative"),
        ("tsr rules", "Telemarketing Sales Rule"),
    ],
)
def test_words_beside_a_shared_acronym_settle_its_reading(glossary, query, term):
    assert answer(glossary, query) == term


def test_a_context_noun_that_settles_nothing_leaves_every_reading(glossary):
    found = resolve(glossary, "cco report")
    assert isinstance(found, Ambiguous) and len(found.matches) == 2


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("nps detractors", "Net Promoter Score"),
        ("dnc list scrub", "Do Not Call List"),
        ("prod floor", "Production Floor"),
    ],
)
def test_an_acronym_or_abbreviation_beside_words_of_its_own_names_finds_it(glossary, query, term):
    assert answer(glossary, query) == term


def test_a_word_the_acronym_s_names_lack_leaves_it_open(glossary):
    assert answer(glossary, "SLA penalty") != "Service Level Agreement"


def test_two_typos_in_a_long_word_are_still_one_clear_answer(glossary):
    assert answer(glossary, "absentism") == "Absenteeism"


def test_a_target_s_numbers_after_a_contract_acronym_name_the_metric_it_points_to(glossary):
    assert answer(glossary, "sla 80/20") == "Service Level"


def test_a_noun_before_a_full_name_qualifies_it_and_is_not_dropped(glossary):
    assert answer(glossary, "process outsourcing") != "Outsourcing"


@pytest.mark.parametrize(
    ("query", "term"),
    [("after cal work", "After-Call Work"), ("pci dds", "PCI DSS"), ("ful time equivalent", "Full-Time Equivalent")],
)
def test_a_typo_in_a_three_letter_word_among_exact_words_is_one_clear_answer(glossary, query, term):
    assert answer(glossary, query) == term


def test_a_typo_in_a_lone_short_word_stays_a_suggestion(glossary):
    assert answer(glossary, "qb") is None


def test_a_word_form_too_far_to_pair_is_still_suggested_by_its_start(glossary):
    # `nester` and `nesting` differ in three letters of seven: no answer, but the entry is the suggestion
    assert suggested(glossary, "nester")[:1] == ["Nesting"]


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("effort score", "Customer Effort Score"),
        ("data privacy act", "Data Privacy Act of 2012"),
        ("operating procedure", "Standard Operating Procedure"),
    ],
)
def test_words_that_make_up_most_of_one_name_find_it(glossary, query, term):
    assert answer(glossary, query) == term


def test_words_that_make_up_half_of_a_name_find_it_only_as_its_end(glossary):
    assert answer(glossary, "no shows") == "No Call No Show"
    assert answer(glossary, "customer call") is None  # the first half of Customer/Call Center Relations


def test_numbers_alone_are_not_words_of_a_name(glossary):
    assert answer(glossary, "1:1") is None  # not Enhanced 911 (`9-1-1`)


def test_words_that_run_through_several_names_equally_stay_open(glossary):
    assert answer(glossary, "process outsourcing") is None


def test_a_name_that_is_about_the_words_typed_is_not_them(glossary):
    assert answer(glossary, "exchange rate") is None


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("kt sessions", "Knowledge Transfer"),
        ("sme on the floor", "Subject-Matter Expert"),
        ("how is csat measured", "Customer Satisfaction Score"),
    ],
)
def test_an_acronym_beside_words_of_its_own_text_finds_it(glossary, query, term):
    assert answer(glossary, query) == term


@pytest.mark.parametrize(
    ("query", "term"), [("sla breach", "Service Level Agreement"), ("tat breach", "Turnaround Time")]
)
def test_a_breach_of_an_acronym_is_about_it(glossary, query, term):
    assert answer(glossary, query) == term


@pytest.mark.parametrize(
    ("query", "term"), [("aht in seconds", "Average Handle Time"), ("asa in seconds", "Average Speed of Answer")]
)
def test_a_unit_after_a_metric_adds_nothing(glossary, query, term):
    assert answer(glossary, query) == term


def test_a_reading_s_notes_do_not_settle_a_shared_acronym(glossary):
    assert answer(glossary, "tsr job opening") != "Telemarketing Sales Rule"


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("how long should acw be", "After-Call Work"),
        ("what is erlang c used for", "Erlang C"),
        ("can i call someone on the dnc list", "Do Not Call List"),
        ("what counts as an auto fail", "Auto-Fail"),
    ],
)
def test_a_question_naming_one_entry_finds_it(glossary, query, term):
    assert answer(glossary, query) == term


def test_a_question_with_words_the_named_entry_lacks_stays_open(glossary):
    assert answer(glossary, "how many calls should qa evaluate per agent") is None


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("forecasted volume", "Forecasting"),
        ("dispositioning calls", "Disposition Code"),
        ("call opening spiel", "Call Opening"),
        ("on aux", "Auxiliary State"),
    ],
)
def test_a_name_or_word_form_first_then_words_of_its_own_text_finds_it(glossary, query, term):
    found = resolve(glossary, query)
    assert isinstance(found, Match) and found.entry.term == term and found.kind == "in context"


@pytest.mark.parametrize(
    ("query", "not_this"), [("service recovery", "Disaster Recovery"), ("licence cost per seat", "Cost per Seat")]
)
def test_a_name_last_in_a_compound_is_not_what_the_compound_names(glossary, query, not_this):
    assert answer(glossary, query) != not_this


def test_words_another_name_holds_whole_stay_open(glossary):
    assert answer(glossary, "in queue") != "Queue"


def test_a_short_alias_used_as_an_acronym_beside_its_own_words_finds_it(glossary):
    assert answer(glossary, "pci compliance for call centers") == "PCI DSS"


def test_an_acronym_last_in_a_compound_is_not_what_the_compound_names(glossary):
    assert answer(glossary, "call masking pci") != "PCI DSS"


def test_a_name_word_split_in_two_is_read_joined(glossary):
    assert answer(glossary, "in bound") == "Inbound Calls"


def test_a_percentage_asked_of_a_named_entry_is_that_entry(glossary):
    assert answer(glossary, "how to calculate shrinkage percentage") == "Shrinkage"


@pytest.mark.parametrize(
    ("query", "term"), [("upskilled agents", "Upskilling"), ("whisper to agent", "Whisper Coaching")]
)
def test_only_the_first_name_of_a_compound_is_read_as_what_it_names(glossary, query, term):
    assert answer(glossary, query) == term


def test_a_small_word_after_a_name_outside_a_question_is_not_its_own(glossary):
    # `agent if`: `if` may be in the definition, but outside a question it is a typo's remains, not context
    assert answer(glossary, "agent if") != "Agent"


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("onboardng", "Onboarding"),
        ("up sell", "Upselling"),
        ("uat signoff", "User Acceptance Testing"),
        ("ptp in collections", "Promise to Pay"),
        ("fmla", "Family and Medical Leave Act"),
        ("shrink", "Shrinkage"),
        ("rota", "Scheduling"),
    ],
)
def test_the_vocabulary_gaps_the_held_out_sets_named_are_entries(glossary, query, term):
    assert answer(glossary, query) == term


@pytest.mark.parametrize(
    ("query", "term"), [("fatal", "Auto-Fail"), ("lates", "Tardiness"), ("regu", "Regularization")]
)
def test_floor_words_for_an_entry_are_its_aliases(glossary, query, term):
    assert answer(glossary, query) == term


def test_dpa_is_both_the_agreement_and_the_philippine_act(glossary):
    found = resolve(glossary, "DPA")
    assert isinstance(found, Ambiguous)
    assert {m.entry.term for m in found.matches} == {"Data Processing Agreement", "Data Privacy Act of 2012"}


def test_a_question_s_subject_is_tried_when_a_longer_name_in_it_does_not_fit(glossary):
    assert answer(glossary, "what is hypercare after go live") == "Hypercare"


@pytest.mark.parametrize(("query", "term"), [("naka aux", "Auxiliary State"), ("endo sa bpo", "Endo")])
def test_taglish_particles_around_a_name_change_nothing(glossary, query, term):
    assert answer(glossary, query) == term


@pytest.mark.parametrize(("query", "term"), [("soc 2 type 2 audit", "SOC 2"), ("auto failed call", "Auto-Fail")])
def test_a_context_noun_after_a_name_of_several_words_is_about_it(glossary, query, term):
    assert answer(glossary, query) == term


def test_a_context_noun_after_a_one_word_name_is_not_about_it(glossary):
    assert answer(glossary, "coaching software") is None


@pytest.mark.parametrize("query", ["agent platform", "queue platform", "agent tools"])
def test_a_short_one_word_term_before_a_context_noun_is_a_word_not_an_abbreviation(glossary, query):
    assert answer(glossary, query) is None


@pytest.mark.parametrize(("query", "term"), [("tnps survey", "Net Promoter Score"), ("wah setup", "Work From Home")])
def test_a_short_abbreviation_before_a_context_noun_still_names_its_entry(glossary, query, term):
    assert answer(glossary, query) == term


def test_a_number_meets_its_ordinal(glossary):
    assert answer(glossary, "13 month pay") == "13th Month Pay"


def test_n_between_two_words_is_and(glossary):
    assert answer(glossary, "full n final") == "Final Pay"


def test_a_name_less_its_generic_last_word_with_one_typo_finds_it(glossary):
    assert answer(glossary, "zero tolerence") == "Zero Tolerance Policy"


def test_a_status_word_after_a_name_adds_nothing(glossary):
    assert answer(glossary, "bgv check failed") == "Background Verification"


def test_a_typo_nearer_a_whole_name_does_not_fall_to_a_name_less_its_tail(tmp_path):
    # FOLDOC: `routwing` is one edit from Routeing and from Routing Policy less its last word
    path = tmp_path / "g.yaml"
    path.write_text(
        "- {term: Routeing, definition: British spelling of routing in network texts.}\n"
        "- {term: Routing Policy, definition: Rules a router follows to choose a path.}\n"
        "- {term: Routing, definition: Choosing the path a packet or a call takes.}\n",
        encoding="utf-8",
    )
    small = load(GlossarySpec((path,), include_builtin=False))
    found = resolve(small, "routwing")
    assert not (isinstance(found, Match) and found.entry.term == "Routing Policy")


def test_an_acronym_before_the_last_word_of_a_linked_entry_s_name_is_left_open(glossary):
    # `pii masking` is masking of PII: Data Masking, which points to PII, ends in `masking`
    assert answer(glossary, "pii masking") is None
    assert suggested(glossary, "pii masking")[0] == "Data Masking"


def test_a_word_standing_for_a_name_takes_only_its_names_words_beside_it(glossary):
    # `labour` alone stands for Labor Arbitrage, but `cost` is only in its definition
    assert answer(glossary, "labour") == "Labor Arbitrage"
    assert answer(glossary, "labour cost") is None


@pytest.mark.parametrize("query", ["kpo vs bpo", "what is the difference between kpo and bpo"])
def test_a_comparison_keeps_a_side_that_is_also_filler(glossary, query):
    found = resolve(glossary, query)
    assert isinstance(found, Comparison)
    assert [m.entry.term for m in found.matches] == ["Knowledge Process Outsourcing", "Business Process Outsourcing"]


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("occ rate", "Occupancy"),
        ("util", "Utilization"),
        ("service lvl", "Service Level"),
        ("warm xfer", "Warm Transfer"),
        ("sked", "Scheduling"),
        ("customer sat", "Customer Satisfaction Score"),
        ("avg speed of ans", "Average Speed of Answer"),
    ],
)
def test_dashboard_and_floor_shorthand_is_spelled_out(glossary, query, term):
    assert answer(glossary, query) == term


def test_how_do_i_work_out_asks_how_to_calculate(glossary):
    assert answer(glossary, "how do i work out occupancy") == "Occupancy"


@pytest.mark.parametrize(
    ("query", "term"),
    [("attrition vs turnover", "Attrition"), ("planned vs unplanned shrinkage", "Shrinkage")],
)
def test_a_comparison_of_two_names_of_one_entry_answers_that_entry(glossary, query, term):
    found = resolve(glossary, query)
    assert isinstance(found, Match) and found.entry.term == term and found.kind == "same entry"


def test_a_percent_sign_picks_the_metric_among_a_shared_acronym_s_readings(glossary):
    assert answer(glossary, "sl %") == "Service Level"


def test_numbers_after_a_shared_acronym_pick_the_reading_named_with_them(glossary):
    assert answer(glossary, "dpa 2012") == "Data Privacy Act of 2012"


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("aht kya hai", "Average Handle Time"),
        ("ano ang undertime", "Undertime"),
        ("wht is nesting", "Nesting"),
    ],
)
def test_questions_in_hinglish_tagalog_or_with_a_typo_are_questions(glossary, query, term):
    assert answer(glossary, query) == term
