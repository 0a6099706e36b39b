"""Flashcard drills over the glossary: build questions from a seed, grade typed answers leniently.

I/O-free: the CLI asks, reads and prints; this module decides what to ask and what counts as
right. Edit distances (rapidfuzz, via scoring.py) are computed only when an answer is neither exactly right
nor exactly wrong.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from .errors import QueryError
from .explain import Matcher
from .model import Entry
from .normalize import compact, normalize

if TYPE_CHECKING:
    from .glossary import Glossary

MODES = ("acronym", "term", "choice")
CHOICES = 4  # options in a multiple-choice question
LETTERS = "ABCD"
SKIP = "?"
MIN_FUZZY_CHARS = 5  # shorter answers (acronyms) must be exact: one letter off is another acronym
BLANK = "_____"
_ARTICLES = ("a", "an", "the")


class Question(NamedTuple):
    number: int
    mode: str
    entry: Entry
    prompt: str
    options: tuple[str, ...] = ()  # choice mode: the terms to choose from, in display order
    correct_option: int | None = None  # choice mode: index of the right one
    accepted: frozenset[str] = frozenset()  # answer keys that are right
    rivals: frozenset[str] = frozenset()  # answer keys naming another entry: certainly wrong

    @property
    def expected(self) -> str:
        """The answer shown after the question."""
        if self.correct_option is not None:
            return f"{LETTERS[self.correct_option]}) {self.options[self.correct_option]}"
        return self.entry.term


class Quiz(NamedTuple):
    seed: int
    mode: str
    category: str | None
    questions: tuple[Question, ...]


class Answer(NamedTuple):
    question: Question
    given: str
    correct: bool

    @property
    def skipped(self) -> bool:
        return self.given == SKIP


class Result(NamedTuple):
    quiz: Quiz
    answers: tuple[Answer, ...]

    @property
    def correct(self) -> int:
        return sum(a.correct for a in self.answers)

    @property
    def ended_early(self) -> bool:
        return len(self.answers) < len(self.quiz.questions)

    def missed(self) -> list[Entry]:
        """Entries answered wrongly or skipped, once each, in question order."""
        return list({a.question.entry.term: a.question.entry for a in self.answers if not a.correct}.values())


# ---------------------------------------------------------------- answer keys


def _stem(word: str) -> str:
    """`handling`, `handle`, `handles` → `handl`: so Handle/Handling and plurals grade alike."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not (suffix == "s" and word.endswith("ss")):
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def answer_key(text: str) -> str:
    """Case, punctuation, articles and word endings removed: what two answers must share."""
    words = normalize(text).split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(_stem(w) for w in words)


def _all_keys(entries: Sequence[Entry]) -> dict[str, set[int]]:
    owners: dict[str, set[int]] = {}
    for position, entry in enumerate(entries):
        for name in entry.names():
            owners.setdefault(answer_key(name), set()).add(position)
    return owners


# ---------------------------------------------------------------- building


def _has_acronym(entry: Entry) -> bool:
    return bool(entry.acronym) and compact(entry.acronym or "") != compact(entry.term)


def _expansions(entry: Entry) -> list[str]:
    """What an acronym may be answered with: the term and aliases that spell it out."""
    short = compact(entry.acronym or "")
    return [entry.term] + [
        alias for alias in entry.aliases
        if any(ch.islower() for ch in alias) and not compact(alias).startswith(short)
    ]  # fmt: skip


def masked_definition(entry: Entry) -> str:
    """The definition with the entry's own names blanked out, so it does not give the answer away."""
    found = Matcher([entry], ordinary=()).explain(entry.definition)
    text = entry.definition
    for occurrence, _ in reversed(found.hits()):
        text = text[: occurrence.start] + BLANK + text[occurrence.end :]
    return text


def build_quiz(
    glossary: Glossary,
    *,
    count: int = 10,
    mode: str = "acronym",
    category: str | None = None,
    seed: int | None = None,
) -> Quiz:
    """Pick `count` distinct entries and phrase a question for each; the same seed gives the same quiz."""
    if mode not in MODES:
        raise QueryError(f"unknown quiz mode '{mode}' (choose from: {', '.join(MODES)})")
    if count < 1:
        raise QueryError("--count must be at least 1")
    everything = list(glossary.entries)
    pool = glossary.filtered(category=category)
    by_category: dict[str, list[Entry]] = {}
    for entry in everything:
        by_category.setdefault(entry.category, []).append(entry)
    where = f"category '{category}'" if category else "the loaded glossaries"
    if mode == "acronym":
        eligible = [e for e in pool if _has_acronym(e)]
        if not eligible:
            raise QueryError(f"no entry in {where} has an acronym; try --mode term")
    elif mode == "choice":
        eligible = [e for e in pool if len(by_category[e.category]) >= CHOICES]
        if not eligible and category:
            size = len(pool)
            raise QueryError(
                f"category '{category}' has only {size} {'entry' if size == 1 else 'entries'};"
                f" --mode choice needs at least {CHOICES}"
            )
        if not eligible:
            raise QueryError(f"no category has {CHOICES} or more entries, which --mode choice needs")
    else:
        eligible = pool
    if seed is None:
        seed = random.SystemRandom().randrange(1_000_000)
    rng = random.Random(seed)
    chosen = rng.sample(eligible, min(count, len(eligible)))
    owners = _all_keys(everything)
    positions = {id(e): i for i, e in enumerate(everything)}
    questions = []
    for number, entry in enumerate(chosen, start=1):
        mine = positions[id(entry)]
        if mode == "acronym":
            names = _expansions(entry)
            prompt = f"What does {entry.acronym} stand for?"
        else:
            names = list(entry.names())
            prompt = f"Which term is this? {masked_definition(entry)}"
        accepted = frozenset(answer_key(n) for n in names) - {""}
        rivals = frozenset(k for k, who in owners.items() if mine not in who)
        options: tuple[str, ...] = ()
        correct_option = None
        if mode == "choice":
            picks = [entry, *_distractors(entry, by_category[entry.category], glossary, rng)]
            rng.shuffle(picks)
            options = tuple(e.term for e in picks)
            correct_option = picks.index(entry)
        questions.append(Question(number, mode, entry, prompt, options, correct_option, accepted, rivals))
    return Quiz(seed, mode, category, tuple(questions))


def _distractors(entry: Entry, same_category: list[Entry], glossary: Glossary, rng: random.Random) -> list[Entry]:
    """Three wrong options from the entry's category; terms it is confused with or related to first."""
    others = [e for e in same_category if e.term != entry.term]
    related = []
    for name in (*entry.confused_with, *entry.see_also):
        found = glossary.get(name)
        if found is not None and found.category == entry.category and found.term != entry.term and found not in related:
            related.append(found)
    rng.shuffle(related)
    picks = related[: CHOICES - 2]  # leave room for at least one unrelated option
    rest = [e for e in others if e not in picks]
    picks += rng.sample(rest, CHOICES - 1 - len(picks))
    return picks


# ---------------------------------------------------------------- grading


def _close(key: str, accepted: frozenset[str]) -> bool:
    """Right when the answer has the accepted words, in order, each with at most a typo.

    Word by word, not over the whole string: `final call resolution` is not FCR and `service
    line agreement` is not an SLA, though each is close as a string.
    """
    if len(key) < MIN_FUZZY_CHARS:
        return False
    words = key.split()
    return any(
        len(a) >= MIN_FUZZY_CHARS and len(a.split()) == len(words) and all(map(_typo_of, words, a.split()))
        for a in accepted
    )


def _typo_of(given: str, wanted: str) -> bool:
    """One edit (a swap of two letters counts as one) in a word of 4–7 letters, two from 8; short words exact."""
    if given == wanted:
        return True
    longest = max(len(given), len(wanted))
    if longest <= 3:
        return False
    from .scoring import edit_distance

    return edit_distance(given, wanted) <= (1 if longest <= 7 else 2)


def _option_index(text: str, count: int) -> int | None:
    letter = text.strip().rstrip(").").strip().upper()
    if len(letter) == 1 and letter in LETTERS[:count]:
        return LETTERS.index(letter)
    if letter.isdigit() and 1 <= int(letter) <= count:
        return int(letter) - 1
    return None


def grade(question: Question, text: str) -> bool:
    """Right if it names the entry (exactly, or with small typos); wrong if it names another entry."""
    if question.correct_option is not None:
        index = _option_index(text, len(question.options))
        if index is not None:
            return index == question.correct_option
    key = answer_key(text)
    if not key:
        return False
    if key in question.accepted:
        return True
    if key in question.rivals:
        return False
    return _close(key, question.accepted)


def answer(question: Question, text: str) -> Answer:
    """One typed line, graded; `?` is a skip (counted as missed)."""
    given = text.strip()
    if given == SKIP:
        return Answer(question, SKIP, False)
    return Answer(question, given, grade(question, given))
