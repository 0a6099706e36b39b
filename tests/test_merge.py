"""Merging glossary layers (bpoterms.layers.merge_layers), through small real files and `bpoterms.load`.

What a later file does to an earlier one: the same term overrides, `replaces:` overrides the entry
it names, `merge: true` adds a quote and names. The CLI side of these rules, over the built-in
glossary, is in test_layers.py; entries sharing an acronym or alias (homonyms) are in test_homonyms.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bpoterms import GlossarySpec, load
from bpoterms.model import Quote

EARLIER = (
    "terms:\n"
    "  - {term: Average Handle Time, acronym: AHT, aliases: [Handle Time], definition: Talk plus hold plus wrap-up.}\n"
    "  - {term: First Call Resolution, acronym: FCR, aliases: [One and Done], definition: Solved at first contact.}\n"
    "  - {term: Work Queue, acronym: WQ, definition: Pending tickets.}\n"
)


@pytest.fixture
def layers(tmp_path: Path):
    """Load the given file texts as layers, first lowest, without the built-in glossary."""

    def merged(*texts: str):
        paths = []
        for number, text in enumerate(texts, 1):
            path = tmp_path / f"layer{number}.yaml"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        return load(GlossarySpec(tuple(paths), include_builtin=False))

    return merged


def one(term: str, definition: str, **fields: str) -> str:
    """A one-entry glossary file."""
    extra = "".join(f", {key}: {value}" for key, value in fields.items())
    return f"terms:\n  - {{term: {term}{extra}, definition: {definition}}}\n"


def terms(glossary) -> list[str]:
    return [entry.term for entry in glossary.entries]


# ---------------------------------------------------------------- the same term overrides


def test_a_later_entry_with_the_same_term_overrides_the_earlier_one(layers, tmp_path):
    glossary = layers(EARLIER, one("Average Handle Time", "Talk time only."))
    entry = glossary.get("Average Handle Time")
    assert (entry.definition, entry.origin) == ("Talk time only.", str(tmp_path / "layer2.yaml"))


def test_the_same_term_is_matched_in_any_case_and_punctuation(layers):
    glossary = layers(EARLIER, one("average handle-time", "Talk time only."))
    assert terms(glossary) == ["average handle-time", "First Call Resolution", "Work Queue"]


def test_an_overridden_entry_takes_its_acronym_and_aliases_with_it(layers):
    glossary = layers(EARLIER, one("Average Handle Time", "Talk time only."))
    assert (glossary.get("AHT"), glossary.get("Handle Time")) == (None, None)


def test_the_last_of_three_layers_wins(layers):
    glossary = layers(EARLIER, one("Work Queue", "Second."), one("Work Queue", "Third."))
    assert [e.definition for e in glossary.entries if e.term == "Work Queue"] == ["Third."]


# ---------------------------------------------------------------- replaces: by any name


@pytest.mark.parametrize("name", ["First Call Resolution", "FCR", "One and Done", "one-and-done"])
def test_replaces_overrides_the_entry_it_names_by_any_of_its_names(name, layers):
    glossary = layers(EARLIER, one("Fix Rate", "Ours.", replaces=f"'{name}'"))
    assert terms(glossary) == ["Average Handle Time", "Fix Rate", "Work Queue"]


def test_replaces_a_name_no_earlier_entry_has_only_adds_the_entry(layers):
    glossary = layers(EARLIER, one("Fix Rate", "Ours.", replaces="Nothing Like It"))
    assert terms(glossary) == ["Average Handle Time", "First Call Resolution", "Fix Rate", "Work Queue"]


def test_replaces_names_entries_of_earlier_files_only(layers):
    same_file = (
        "terms:\n"
        "  - {term: Fix Rate, replaces: Hold Rate, definition: Ours.}\n"
        "  - {term: Hold Rate, definition: Also ours.}\n"
    )
    assert terms(layers(same_file)) == ["Fix Rate", "Hold Rate"]


# ---------------------------------------------------------------- merge: true


def test_merge_keeps_the_earlier_definition_and_origin(layers, tmp_path):
    glossary = layers(EARLIER, one("Work Queue", "Our wording.", merge="true"))
    entry = glossary.get("Work Queue")
    assert (entry.definition, entry.origin) == ("Pending tickets.", str(tmp_path / "layer1.yaml"))


def test_merge_adds_the_later_definition_as_a_quote_after_the_earlier_ones(layers):
    glossary = layers(EARLIER, one("Work Queue", "Our wording.", merge="true"))
    assert glossary.get("Work Queue").sources == (
        Quote("layer1.yaml", "Pending tickets."),
        Quote("layer2.yaml", "Our wording."),
    )


def test_merge_adds_the_later_aliases(layers):
    glossary = layers(EARLIER, one("Work Queue", "Ours.", merge="true", aliases="[Backlog, Ticket Pile]"))
    assert glossary.get("Work Queue").aliases == ("Backlog", "Ticket Pile")
    assert glossary.get("ticket pile").term == "Work Queue"


def test_merge_by_acronym_adds_the_later_term_as_an_alias(layers):
    glossary = layers(EARLIER, one("Wait Queue", "Ours.", acronym="WQ", merge="true"))
    assert terms(glossary) == ["Average Handle Time", "First Call Resolution", "Work Queue"]
    assert glossary.get("Wait Queue").term == "Work Queue"


def test_merge_does_not_repeat_an_alias_the_entry_already_has(layers):
    glossary = layers(EARLIER, one("First Call Resolution", "Ours.", merge="true", aliases="[One and Done]"))
    assert glossary.get("First Call Resolution").aliases == ("One and Done",)


def test_merge_under_the_acronym_adds_no_alias_repeating_the_acronym(layers):
    glossary = layers(EARLIER, one("FCR", "Ours.", merge="true"))
    assert glossary.get("First Call Resolution").aliases == ("One and Done",)


def test_merge_adds_no_alias_differing_from_one_it_has_only_in_case_or_punctuation(layers):
    glossary = layers(EARLIER, one("First Call Resolution", "Ours.", merge="true", aliases="[one-and-done]"))
    assert glossary.get("First Call Resolution").aliases == ("One and Done",)


def test_merge_prefers_the_entry_of_the_same_term_to_one_of_the_same_acronym(layers):
    glossary = layers(EARLIER, one("Work Queue", "Ours.", acronym="AHT", merge="true"))
    assert len(glossary.get("Work Queue").sources) == 2
    assert len(glossary.get("Average Handle Time").sources) == 1


def test_merge_goes_into_the_entry_that_overrode_the_first(layers):
    glossary = layers(EARLIER, one("Work Queue", "Second."), one("Work Queue", "Third.", merge="true"))
    entry = glossary.get("Work Queue")
    assert (entry.definition, [q.text for q in entry.sources]) == ("Second.", ["Second.", "Third."])


# ---------------------------------------------------------------- nothing is dropped


def test_an_override_drops_only_the_entry_it_overrides(layers):
    glossary = layers(EARLIER, one("Average Handle Time", "Talk time only."), one("Hold Rate", "Holds per call."))
    assert terms(glossary) == ["Average Handle Time", "First Call Resolution", "Hold Rate", "Work Queue"]


def test_a_merge_adds_no_entry(layers):
    assert len(layers(EARLIER, one("FCR", "Ours.", merge="true")).entries) == 3


def test_the_merged_entries_are_alphabetical_whatever_the_file_order(layers):
    glossary = layers(one("zebra queue", "z."), EARLIER, one("Abandon Rate", "a."))
    assert terms(glossary) == [
        "Abandon Rate",
        "Average Handle Time",
        "First Call Resolution",
        "Work Queue",
        "zebra queue",
    ]
