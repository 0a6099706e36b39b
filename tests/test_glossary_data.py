"""The shipped glossary.yaml: format, coverage of all five sources, and cross-reference integrity."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from bpoterms.glossary import GlossarySpec, builtin_path, load, validate
from bpoterms.normalize import compact

from .conftest import DATA, REPO

GLOSSARY_FILE = REPO / "glossary.yaml"
HEADINGS = DATA / "source_headings"
SOURCE_FILES = {
    "unity": "000_304808f2a86ef58b.txt",
    "bpo-glossary": "001_267cb61a8535c287.txt",
    "office-gurus": "002_b84d7ee933c27f61.txt",
    "fifty-terms": "003_67fb265cbc488653.txt",
    "terms-defined": "004_6720cdd520b24523.txt",
}
# How many definitions each source really holds (headings restored and lists split included).
MIN_DEFINITIONS = {"unity": 76, "bpo-glossary": 48, "office-gurus": 20, "fifty-terms": 50, "terms-defined": 16}
FIELDS = (
    "term",
    "acronym",
    "aliases",
    "category",
    "definition",
    "formula",
    "see_also",
    "confused_with",
    "notes",
    "sources",
)
# Optional fields for practitioners, written after `notes` and before `sources` when present.
OPTIONAL_FIELDS = ("region", "direction", "compute", "example", "variants")
METRICS_WITH_FORMULAS = (
    "AHT",
    "FCR",
    "Abandonment Rate",
    "ASA",
    "Answer Rate",
    "Occupancy",
    "Utilization",
    "NPS",
    "CSAT",
    "CES",
    "Conversion Rate",
    "AOV",
    "TPH",
    "CCS",
    "CAGR",
    "Service Level",
    "Shrinkage",
    "Schedule Adherence",
)


@pytest.fixture(scope="module")
def raw(pyyaml_safe_load) -> dict:
    return pyyaml_safe_load(GLOSSARY_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def glossary():
    return load(GlossarySpec((), include_builtin=True))


def heading_lines(source_id: str) -> list[str]:
    """The source's headings as printed; `Heading -> Entry` maps a heading that is deliberately no
    name of the entry (a list item or a generic phrase, with the reason in the file)."""
    lines = (HEADINGS / f"{source_id}.txt").read_text(encoding="utf-8").splitlines()
    cleaned = [re.sub(r"\s+#.*$", "", line).strip() for line in lines if line.strip() and not line.startswith("#")]
    return [line.split(" -> ")[-1] for line in cleaned]


def names_in_heading(line: str) -> list[str]:
    """`Average handling time (AHT)` → both names; `A / B (C)` → three."""
    names = []
    for part in line.split(" / "):
        names += re.findall(r"\(([^)]+)\)", part)
        base = re.sub(r"\s*\([^)]*\)\s*", " ", part).strip()
        if base:
            names.append(base)
    return names


def test_the_glossary_loads_with_safe_load(raw):
    assert raw["schema"] == 1
    assert isinstance(raw["terms"], list) and raw["terms"]


def test_the_packaged_glossary_is_the_repository_file():
    assert Path(builtin_path()).read_bytes() == GLOSSARY_FILE.read_bytes()


def test_validate_finds_no_problem_in_the_builtin_glossary():
    assert validate(GlossarySpec((), include_builtin=True)) == []


def test_every_entry_has_every_field_and_no_empty_string(raw):
    order = (*FIELDS[:-1], *OPTIONAL_FIELDS, FIELDS[-1])
    for entry in raw["terms"]:
        present = tuple(entry)
        assert set(FIELDS) <= set(present), entry["term"]
        assert present == tuple(key for key in order if key in entry), entry["term"]
        for key in ("term", "category", "definition"):
            assert isinstance(entry[key], str) and entry[key].strip(), (entry["term"], key)
        for key in ("acronym", "formula", "notes"):
            assert entry[key] is None or (isinstance(entry[key], str) and entry[key].strip()), (entry["term"], key)
        for key in ("aliases", "see_also", "confused_with"):
            assert all(isinstance(v, str) and v.strip() for v in entry[key]), (entry["term"], key)


def test_categories_are_the_documented_fixed_list(raw):
    ids = [c["id"] for c in raw["categories"]]
    assert 9 <= len(ids) <= 13
    assert all(c["description"].strip() for c in raw["categories"])
    assert {e["category"] for e in raw["terms"]} == set(ids)


def test_every_quote_names_a_declared_source_with_text(raw):
    declared = {s["id"] for s in raw["sources"]}
    assert declared == {*SOURCE_FILES, "bpoterms"}
    for entry in raw["terms"]:
        assert entry["sources"], entry["term"]
        for quote in entry["sources"]:
            assert quote["source"] in declared
            if quote["source"] != "bpoterms":
                assert quote["text"].strip(), entry["term"]


def test_sources_name_their_files(raw):
    for source in raw["sources"]:
        if source["id"] in SOURCE_FILES:
            assert source["file"] == SOURCE_FILES[source["id"]]
            assert source["title"].strip()


def test_definitions_are_one_short_paragraph(raw):
    for entry in raw["terms"]:
        words = len(entry["definition"].split())
        assert 12 <= words <= 65, (entry["term"], words)
        assert "\n" not in entry["definition"].strip()


def heading_owner(glossary, line: str):
    """The one entry every name in a heading belongs to (a shared acronym narrows to it), or None."""
    owners = None
    for name in names_in_heading(line):
        terms = {glossary.entry_at(i).term for i, _kind in glossary.exact_hits(compact(name))}
        owners = terms if owners is None else owners & terms
    return glossary.get(owners.pop()) if owners and len(owners) == 1 else None


@pytest.mark.parametrize("source_id", sorted(SOURCE_FILES))
def test_every_heading_of_the_source_resolves_to_one_entry(source_id, glossary):
    unresolved = [line for line in heading_lines(source_id) if heading_owner(glossary, line) is None]
    assert unresolved == []


@pytest.mark.parametrize("source_id", sorted(SOURCE_FILES))
def test_every_heading_resolves_to_an_entry_quoting_that_source(source_id, glossary):
    missing = []
    for line in heading_lines(source_id):
        entry = heading_owner(glossary, line)
        if entry is not None and source_id not in {q.source for q in entry.sources}:
            missing.append((line, entry.term))
    assert missing == []


@pytest.mark.parametrize("source_id", sorted(SOURCE_FILES))
def test_each_source_contributes_at_least_its_real_number_of_definitions(source_id, raw):
    quotes = sum(1 for e in raw["terms"] for q in e["sources"] if q["source"] == source_id)
    assert len(heading_lines(source_id)) >= MIN_DEFINITIONS[source_id]
    assert quotes >= MIN_DEFINITIONS[source_id]


def test_at_least_forty_industry_terms_are_added_by_bpoterms(raw):
    own = [e for e in raw["terms"] if [q["source"] for q in e["sources"]] == ["bpoterms"]]
    assert len(own) >= 40


def test_the_built_in_glossary_holds_at_least_600_entries(raw):
    assert len(raw["terms"]) >= 600


def test_no_name_belongs_to_two_entries_unless_declared_ambiguous(raw):
    ambiguous = {compact(n) for n in raw.get("ambiguous") or []}
    owners: dict[str, set[str]] = {}
    for entry in raw["terms"]:
        for name in [entry["term"], entry["acronym"], *entry["aliases"]]:
            if name:
                owners.setdefault(compact(name), set()).add(entry["term"])
    shared = {k: v for k, v in owners.items() if len(v) > 1 and k not in ambiguous}
    assert shared == {}


def test_see_also_and_confused_with_resolve_to_other_entries(raw):
    terms = {e["term"] for e in raw["terms"]}
    for entry in raw["terms"]:
        for name in entry["see_also"] + entry["confused_with"]:
            assert name in terms and name != entry["term"], (entry["term"], name)


def test_confused_with_is_symmetric(raw):
    pairs = {(e["term"], c) for e in raw["terms"] for c in e["confused_with"]}
    assert {(b, a) for a, b in pairs} == pairs


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Occupancy", "Utilization"),
        ("Service Level Agreement", "Service Level"),
        ("Schedule Adherence", "Schedule Conformance"),
        ("Multichannel Support", "Omnichannel"),
        ("Offshore Outsourcing", "Offshoring"),
        ("Customer Service", "Customer Care"),
        ("Call Center", "Contact Center"),
        ("Customer Satisfaction Score", "Net Promoter Score"),
        ("Customer Effort Score", "Customer Satisfaction Score"),
    ],
)
def test_commonly_confused_pairs_point_at_each_other(one, other, glossary):
    assert other in glossary.get(one).confused_with


@pytest.mark.parametrize("name", METRICS_WITH_FORMULAS)
def test_standard_metrics_have_a_formula(name, glossary):
    assert glossary.get(name).formula


def test_entries_are_sorted_alphabetically(raw):
    terms = [e["term"] for e in raw["terms"]]
    assert terms == sorted(terms, key=str.casefold)


@pytest.mark.parametrize(
    ("typed", "term"),
    [
        ("HIPPA", "Health Insurance Portability and Accountability Act"),
        ("Average Handling Time", "Average Handle Time"),
        ("Wrap-up time", "After-Call Work"),
        ("F&A", "Finance and Accounting Outsourcing"),
        ("T&M", "Time and Materials Model"),
        ("Interactive Voice Response (IVR) system", "Interactive Voice Response"),
    ],
)
def test_variant_spellings_the_sources_use_are_aliases(typed, term, glossary):
    assert glossary.get(typed).term == term


@pytest.mark.parametrize(
    "term",
    [
        "Health Insurance Portability and Accountability Act",
        "Enterprise Resource Planning",
        "Calling Line Identification",
        "Customer Lifetime Value",
        "Centum Call Seconds",
        "Dialed Number Identification Service",
        "Business Process Outsourcing",
        "Business-to-Consumer",
        "Full-Time Equivalent",
        "Offshoring",
    ],
)
def test_known_source_errors_are_explained_in_notes(term, glossary):
    assert glossary.get(term).notes


def test_source_files_exist_beside_the_repository_when_present():
    seeds = REPO.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for name in SOURCE_FILES.values():
        assert (seeds / name).is_file()


def test_counts_per_category_are_reported_by_the_glossary(glossary):
    counts = Counter(e.category for e in glossary.entries)
    assert sum(counts.values()) == len(glossary.entries)
    assert min(counts.values()) >= 3


# ---------------------------------------------------------------- practitioners' fields

REGIONS = {"Philippines", "India", "United Kingdom", "United States", "European Union", "Canada", "Australia"}


def test_every_metric_has_a_formula_and_a_worked_example(glossary):
    missing = [e.term for e in glossary.entries if e.category == "metrics" and not (e.formula and e.example)]
    assert missing == []


def test_every_formula_has_a_worked_example(glossary):
    assert [e.term for e in glossary.entries if e.formula and not e.example] == []


def test_every_computable_formula_has_numbers_in_and_a_result_out(glossary):
    bare = [e.term for e in glossary.entries if e.compute and not (e.example and e.example.inputs)]
    assert bare == []
    assert [e.term for e in glossary.entries if e.compute and e.example and e.example.result is None] == []


def test_most_metrics_can_be_calculated(glossary):
    metrics = [e for e in glossary.entries if e.category == "metrics"]
    assert sum(1 for e in metrics if e.compute) >= 0.9 * len(metrics)


def test_every_variant_names_who_uses_it(glossary):
    assert all(v.used_by.strip() for e in glossary.entries for v in e.variants)


@pytest.mark.parametrize(
    "term",
    [
        "Service Level",
        "Abandonment Rate",
        "Utilization",
        "First Call Resolution",
        "Customer Effort Score",
        "Average Speed of Answer",
    ],
)
def test_metrics_with_competing_conventions_list_them(term, glossary):
    assert len(glossary.get(term).variants) >= 2


def test_service_level_variants_give_cisco_s_three_results_on_the_same_calls():
    from bpoterms.calc import evaluate

    calls = {"offered": 100, "answered_within": 70, "abandoned_within": 10}
    entry = load(GlossarySpec((), include_builtin=True)).get("Service Level")
    results = sorted(
        round(evaluate(v.expression, {k: float(x) for k, x in calls.items()}), 1)
        for v in entry.variants
        if v.expression and set(_names(v.expression)) <= set(calls)
    )
    assert {70.0, 77.8, 80.0} <= set(results)


def _names(expression: str) -> list[str]:
    return re.findall(r"[a-z_]+", expression)


def test_regions_come_from_the_documented_list(glossary):
    assert {r for e in glossary.entries for r in e.region} <= REGIONS


@pytest.mark.parametrize("region", ["Philippines", "India", "United Kingdom", "United States"])
def test_each_region_has_its_floor_vocabulary(region, glossary):
    assert sum(1 for e in glossary.entries if region in e.region) >= 3


@pytest.mark.parametrize(
    ("name", "terms"),
    [
        ("SL", {"Service Level", "Sick Leave"}),
        ("TSR", {"Technical Support Representative", "Telemarketing Sales Rule"}),
    ],
)
def test_regional_and_global_meanings_are_kept_apart(name, terms, glossary):
    owners = {glossary.entry_at(i).term for i, _kind in glossary.exact_hits(compact(name))}
    assert owners == terms


def test_directions_are_only_the_documented_three(glossary):
    assert {e.direction for e in glossary.entries} <= {None, "higher", "lower", "target"}


@pytest.mark.parametrize(
    ("term", "cited"),
    [
        ("Telemarketing Sales Rule", "16 CFR"),
        ("Telephone Consumer Protection Act", "47"),
        ("PCI DSS", "4.0.1"),
        ("Pacing", "310.4(b)(4)"),
    ],
)
def test_entries_resting_on_a_law_or_standard_name_it(term, cited, glossary):
    entry = glossary.get(term)
    assert cited in f"{entry.definition} {entry.notes or ''}"
