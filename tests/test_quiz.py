"""`bpoterms quiz`: every option, answered through standard input as a trainee's terminal would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bpoterms.glossary import GlossarySpec, load

from .conftest import REPO

PAIR = """\
terms:
  - term: Average Handle Time
    acronym: AHT
    aliases: [Average Handling Time]
    category: metrics
    definition: Average handle time is the mean length of one interaction, from greeting to wrap-up.
  - term: Hold Time
    aliases: [Average Hold Time]
    category: metrics
    definition: The time a caller spends on hold during an answered call.
"""

SMALL = """\
terms:
  - {term: Average Handle Time, acronym: AHT, category: metrics, definition: Mean length of one interaction.}
  - {term: Hold Time, category: metrics, definition: Time a caller spends on hold.}
  - {term: First Call Resolution, acronym: FCR, category: metrics, definition: Share of issues solved at once.}
  - {term: Net Promoter Score, acronym: NPS, category: metrics, definition: Would customers recommend us.}
  - {term: Huddle, category: tiny, definition: A short stand-up meeting of a team before a shift.}
  - {term: Floor Walker, category: tiny, definition: A helper who answers agents' questions on the floor.}
  - {term: Buddy, category: tiny, definition: An experienced agent paired with a new hire.}
"""


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    path = tmp_path / "pair.yaml"
    path.write_text(PAIR, encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def builtin():
    return load(GlossarySpec((), include_builtin=True))


def run_json(invoke, *args: str, input: str = "", glossary: Path | None = None) -> dict:
    prefix = ("--no-builtin", "--glossary", str(glossary)) if glossary else ()
    result = invoke(*prefix, "quiz", *args, "--json", input=input)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def terms(document: dict) -> list[str]:
    return [q["term"] for q in document["questions"]]


# ---------------------------------------------------------------- --count, --seed, --category


def test_ten_questions_by_default(invoke):
    document = run_json(invoke, input="?\n" * 10)
    assert (document["planned"], document["asked"]) == (10, 10)


def test_count_sets_the_number_of_questions(invoke):
    document = run_json(invoke, "--count", "3", input="?\n" * 3)
    assert (document["planned"], document["asked"]) == (3, 3)


def test_a_count_beyond_the_pool_asks_every_entry_once(invoke, pair):
    document = run_json(invoke, "--count", "5", input="?\n" * 5, glossary=pair)
    assert document["planned"] == 1  # only one entry has an acronym
    assert terms(document) == ["Average Handle Time"]


def test_a_count_below_one_is_a_usage_error(invoke):
    result = invoke("quiz", "--count", "0")
    assert result.exit_code == 2


def test_the_same_seed_gives_the_same_quiz(invoke):
    first = run_json(invoke, "--seed", "7", "--count", "5", input="?\n" * 5)
    second = run_json(invoke, "--seed", "7", "--count", "5", input="?\n" * 5)
    assert terms(first) == terms(second)
    assert first["seed"] == 7


def test_different_seeds_give_different_quizzes(invoke):
    first = run_json(invoke, "--seed", "7", "--count", "5", input="?\n" * 5)
    second = run_json(invoke, "--seed", "8", "--count", "5", input="?\n" * 5)
    assert terms(first) != terms(second)


def test_without_a_seed_the_result_names_the_seed_that_replays_it(invoke):
    first = run_json(invoke, "--count", "5", input="?\n" * 5)
    replay = run_json(invoke, "--seed", str(first["seed"]), "--count", "5", input="?\n" * 5)
    assert terms(replay) == terms(first)


def test_category_limits_the_questions_to_that_category(invoke):
    document = run_json(invoke, "--category", "workforce", "--count", "5", input="?\n" * 5)
    assert document["category"] == "workforce"
    assert {q["category"] for q in document["questions"]} == {"workforce"}


def test_an_unknown_category_is_a_usage_error(invoke):
    result = invoke("quiz", "--category", "nonsense")
    assert result.exit_code == 2
    assert result.stderr.startswith("bpoterms: error: unknown category 'nonsense'")


# ---------------------------------------------------------------- --mode


def test_acronym_mode_asks_what_each_acronym_stands_for(invoke, builtin):
    document = run_json(invoke, "--mode", "acronym", "--count", "5", input="?\n" * 5)
    for question in document["questions"]:
        assert question["prompt"] == f"What does {question['acronym']} stand for?"


def test_term_mode_shows_the_definition_with_the_term_blanked_out(invoke, pair):
    document = run_json(invoke, "--mode", "term", "--count", "2", "--seed", "1", input="?\n?\n", glossary=pair)
    prompts = {q["term"]: q["prompt"] for q in document["questions"]}
    assert prompts["Average Handle Time"] == (
        "Which term is this? _____ is the mean length of one interaction, from greeting to wrap-up."
    )


def test_term_mode_accepts_the_term_or_its_acronym(invoke, pair):
    order = terms(run_json(invoke, "--mode", "term", "--seed", "3", input="?\n?\n", glossary=pair))
    answers = {"Average Handle Time": "AHT", "Hold Time": "hold time"}
    document = run_json(
        invoke, "--mode", "term", "--seed", "3", input="".join(answers[t] + "\n" for t in order), glossary=pair
    )
    assert [q["correct"] for q in document["questions"]] == [True, True]


def test_choice_mode_offers_four_terms_of_one_category_including_the_answer(invoke, builtin):
    document = run_json(invoke, "--mode", "choice", "--count", "5", input="?\n" * 5)
    for question in document["questions"]:
        options = question["options"]
        assert len(options) == len(set(options)) == 4
        assert question["term"] in options
        assert {builtin.get(option).category for option in options} == {question["category"]}
        assert question["expected"] == f"{'ABCD'[options.index(question['term'])]}) {question['term']}"


@pytest.mark.parametrize("how", ["letter", "lower-case letter", "number", "typed term"])
def test_choice_mode_accepts_the_letter_number_or_name_of_the_right_option(invoke, small, how):
    args = ("--mode", "choice", "--category", "metrics", "--count", "1", "--seed", "4")
    [question] = run_json(invoke, *args, input="?\n", glossary=small)["questions"]
    letter = question["expected"][0]
    reply = {
        "letter": letter,
        "lower-case letter": letter.lower(),
        "number": str("ABCD".index(letter) + 1),
        "typed term": question["term"].upper(),
    }[how]
    [graded] = run_json(invoke, *args, input=reply + "\n", glossary=small)["questions"]
    assert graded["correct"] is True


def test_choice_mode_marks_a_wrong_letter_wrong(invoke, small):
    args = ("--mode", "choice", "--category", "metrics", "--count", "1", "--seed", "4")
    [question] = run_json(invoke, *args, input="?\n", glossary=small)["questions"]
    wrong = next(letter for letter in "ABCD" if letter != question["expected"][0])
    [graded] = run_json(invoke, *args, input=wrong + "\n", glossary=small)["questions"]
    assert graded["correct"] is False


def test_choice_mode_in_a_category_of_fewer_than_four_entries_is_a_usage_error(invoke, small):
    result = invoke("--no-builtin", "--glossary", str(small), "quiz", "--mode", "choice", "--category", "tiny")
    assert result.exit_code == 2
    assert result.stderr == ("bpoterms: error: category 'tiny' has only 3 entries; --mode choice needs at least 4\n")


def test_acronym_mode_in_a_category_without_acronyms_is_a_usage_error(invoke, small):
    result = invoke("--no-builtin", "--glossary", str(small), "quiz", "--category", "tiny")
    assert result.exit_code == 2
    assert "no entry in category 'tiny' has an acronym" in result.stderr


# ---------------------------------------------------------------- grading


@pytest.mark.parametrize(
    "reply",
    [
        "Average Handle Time",
        "average handle time",
        "AVERAGE HANDLE-TIME!",
        "Avrage Handle Time",
        "Average Handling Time",
        "the average handle times",
    ],
)
def test_typed_answers_are_graded_leniently(invoke, pair, reply):
    [question] = run_json(invoke, input=reply + "\n", glossary=pair)["questions"]
    assert question["correct"] is True
    assert question["answer"] == reply


@pytest.mark.parametrize("reply", ["Average Hold Time", "Average Handle", "AHT", "Talk Time"])
def test_other_names_incomplete_answers_and_the_acronym_itself_are_wrong(invoke, pair, reply):
    [question] = run_json(invoke, input=reply + "\n", glossary=pair)["questions"]
    assert question["correct"] is False


def test_the_right_answer_is_shown_after_each_question(invoke, pair):
    result = invoke("--no-builtin", "--glossary", str(pair), "quiz", "--color", "never", input="Average Hold Time\n")
    assert result.stdout.splitlines()[:2] == [
        "1/1  What does AHT stand for?",
        "  wrong (Average Hold Time): Average Handle Time",
    ]


def test_a_right_answer_is_confirmed(invoke, pair):
    result = invoke(
        "--no-builtin", "--glossary", str(pair), "quiz", "--color", "never", input="average handling time\n"
    )
    assert "  right: Average Handle Time" in result.stdout.splitlines()


def test_a_question_mark_skips_and_counts_as_missed(invoke, pair):
    document = run_json(invoke, input="?\n", glossary=pair)
    [question] = document["questions"]
    assert (question["skipped"], question["answer"], question["correct"]) == (True, None, False)
    assert document["skipped"] == 1
    assert [m["term"] for m in document["missed"]] == ["Average Handle Time"]


def test_a_skip_shows_the_answer(invoke, pair):
    result = invoke("--no-builtin", "--glossary", str(pair), "quiz", "--color", "never", input="?\n")
    assert "  skipped: Average Handle Time" in result.stdout.splitlines()


def test_an_empty_line_ends_the_quiz_early(invoke):
    document = run_json(invoke, "--count", "3", input="?\n\nnever read\n")
    assert (document["asked"], document["planned"], document["ended_early"]) == (1, 3, True)


def test_the_end_of_input_ends_the_quiz_early(invoke):
    document = run_json(invoke, "--count", "3", input="?\n")
    assert (document["asked"], document["ended_early"]) == (1, True)


def test_the_summary_gives_the_score_and_the_missed_terms_with_their_definitions(invoke, pair):
    order = terms(run_json(invoke, "--mode", "term", "--seed", "5", input="?\n?\n", glossary=pair))
    answers = {"Average Handle Time": "Average Handle Time", "Hold Time": "no idea"}
    result = invoke(
        "--no-builtin", "--glossary", str(pair), "quiz", "--mode", "term", "--seed", "5", "--color", "never",
        input="".join(answers[t] + "\n" for t in order),
    )  # fmt: skip
    assert result.exit_code == 0
    summary = result.stdout.split("\n\n")[-1].splitlines()
    assert summary == [
        "Score: 1/2 (50%)",
        "To review:",
        "  Hold Time — The time a caller spends on hold during an answered call.",
    ]


def test_the_summary_says_when_the_quiz_was_stopped_early(invoke):
    result = invoke("quiz", "--count", "3", "--color", "never", input="?\n")
    assert "Score: 0/1 (0%), stopped after 1 of 3 questions" in result.stdout


# ---------------------------------------------------------------- --json, --color, glossaries


def test_json_prints_one_document_and_no_questions(invoke):
    result = invoke("quiz", "--count", "2", "--seed", "1", "--json", input="?\nFirst Call Resolution\n")
    assert result.exit_code == 0
    document = json.loads(result.stdout)  # the whole of stdout is one JSON document
    assert set(document) == {
        "seed", "mode", "category", "planned", "asked", "correct", "skipped", "ended_early", "questions", "missed",
    }  # fmt: skip
    assert set(document["questions"][0]) == {
        "number", "prompt", "options", "term", "acronym", "category", "expected", "answer", "skipped", "correct",
    }  # fmt: skip
    assert "1/2" not in result.stdout


def test_answers_piped_in_work_without_a_terminal_on_the_real_glossary(invoke):
    result = invoke("quiz", "--seed", "1", "--count", "2", input="Average Handle Time\nFirst Call Resolution\n")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1/2  What does ")
    assert lines[2].startswith("2/2  What does ")
    assert "Score: 0/2 (0%)" in lines


def test_plain_output_has_no_escape_codes(invoke):
    result = invoke("quiz", "--count", "2", "--color", "never", input="?\n?\n")
    assert "\x1b" not in result.stdout


def test_color_always_draws_with_rich(invoke):
    result = invoke("quiz", "--count", "1", "--color", "always", input="?\n")
    assert "\x1b[" in result.stdout


def test_quiz_on_a_user_glossary(invoke, team_glossary):
    order = terms(run_json(invoke, "--seed", "2", input="?\n?\n", glossary=team_glossary))
    assert sorted(order) == ["Average Handle Time", "Work Queue"]
    document = run_json(invoke, "--seed", "2", input="".join(t + "\n" for t in order), glossary=team_glossary)
    assert document["correct"] == 2


def test_quiz_with_a_user_glossary_on_top_of_the_builtin_one(invoke, team_glossary):
    result = invoke("--glossary", str(team_glossary), "quiz", "--count", "300", "--json", input="?\n" * 300)
    assert "Work Queue" in terms(json.loads(result.stdout))


def test_an_exact_answer_is_graded_without_importing_rapidfuzz_typer_or_rich():
    code = (
        "import sys\n"
        "from bpoterms.glossary import GlossarySpec, load\n"
        "from bpoterms.quiz import build_quiz, grade\n"
        "quiz = build_quiz(load(GlossarySpec((), include_builtin=True)), count=1, seed=1)\n"
        "assert grade(quiz.questions[0], quiz.questions[0].entry.term)\n"
        "print(' '.join(sys.modules))"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
        ).stdout.split()
    )
    assert not {"typer", "rich", "click", "rapidfuzz"} & loaded


@pytest.fixture(scope="module")
def builtin_acronym_questions():
    """One acronym question per built-in entry, keyed by acronym."""
    from bpoterms.quiz import build_quiz

    glossary = load(GlossarySpec((), include_builtin=True))
    quiz = build_quiz(glossary, count=len(glossary), seed=7, mode="acronym")
    return {q.entry.acronym: q for q in quiz.questions}


@pytest.mark.parametrize(
    ("acronym", "reply"),
    [
        ("BPO", "business process offshoring"),
        ("WFM", "workflow management"),
        ("SLA", "service line agreement"),
        ("FCR", "final call resolution"),
    ],
)
def test_an_answer_with_a_different_word_is_wrong_however_close_the_string(builtin_acronym_questions, acronym, reply):
    from bpoterms.quiz import grade

    assert grade(builtin_acronym_questions[acronym], reply) is False


@pytest.mark.parametrize(
    ("acronym", "reply"),
    [
        ("BPO", "bussiness process outsourcing"),
        ("WFM", "workforce managment"),
        ("SLA", "service level agreemnt"),
        ("FCR", "first call resolutoin"),
    ],
)
def test_a_typo_in_each_word_is_still_right(builtin_acronym_questions, acronym, reply):
    from bpoterms.quiz import grade

    assert grade(builtin_acronym_questions[acronym], reply) is True
