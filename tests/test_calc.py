"""The formula evaluator: its grammar, its errors, and every `compute` formula in the built-in glossary."""

from __future__ import annotations

import pytest

from bpoterms import GlossarySpec, load
from bpoterms.calc import CalcError, evaluate, format_number, parse, parse_assignments, substitute

# ---------------------------------------------------------------- the grammar


@pytest.mark.parametrize(
    ("expression", "values", "result"),
    [
        ("(talk + hold + acw) / handled", {"talk": 12000, "hold": 1500, "acw": 3000, "handled": 100}, 165),
        ("answered_within / offered * 100", {"answered_within": 720, "offered": 900}, 80),
        ("-a + 3", {"a": 1}, 2),
        ("-(a - b) * 2", {"a": 1, "b": 4}, 6),
        ("+a", {"a": 5}, 5),
        ("min(a, b, 7)", {"a": 9, "b": 8}, 7),
        ("max(a, 2)", {"a": 1}, 2),
        ("ceil(a / 0.7)", {"a": 14}, 20),
        ("floor(2.9)", {}, 2),
        ("round(a, 2)", {"a": 3.14159}, 3.14),
        ("round(2.5)", {}, 2),
        ("sqrt(x)", {"x": 16}, 4),
        ("exp(0)", {}, 1),
        ("ln(1)", {}, 0),
        ("abs(a - b)", {"a": 2, "b": 5}, 3),
        ("1 - 2 - 3", {}, -4),
        ("2 * 3 + 4 * 5", {}, 26),
        ("8 / 4 / 2", {}, 1),
        (".5 + 1.", {}, 1.5),
    ],
)
def test_arithmetic(expression, values, result):
    assert evaluate(expression, values) == pytest.approx(result)


def test_names_are_listed_in_order_of_first_appearance():
    assert parse("(talk + hold + talk) / handled").names == ("talk", "hold", "handled")
    assert parse("max(a, 2) * min(b, a)").names == ("a", "b")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("a ** 2", r"\*\* \(powers\)"),
        ("a // 2", "floor division"),
        ("a % 2", "remainder"),
        ("__import__('os').system('true')", "not a function"),
        ("a.b", "not allowed"),
        ("a[0]", "not allowed"),
        ("'text'", "not allowed"),
        ("1e3", "decimals"),
        ("0x10", "decimals"),
        ("1_000", "decimals"),
        ("True", "not an input name"),
        ("Talk", "lower_snake_case"),
        ("not a", "minus sign"),
        ("~a", "minus sign"),
        ("a if b else c", "not allowed"),
        ("a < b", "not allowed"),
        ("lambda: 1", "not allowed"),
        ("[a]", "not allowed"),
        ("sqrt(x=1)", "plain arguments"),
        ("sqrt(*a)", "plain arguments"),
        ("sqrt(1, 2)", "takes 1 argument"),
        ("min(1)", "at least 2"),
        ("round(1, 2, 3)", "1 to 2"),
        ("sin(1)", "not a function"),
        ("min + 1", "is a function"),
        ("", "empty"),
        ("(a", "not an arithmetic expression"),
        ("a = 1", "not an arithmetic expression"),
        ("a; b", "not an arithmetic expression"),
    ],
)
def test_everything_outside_the_grammar_is_refused_by_name(expression, message):
    with pytest.raises(CalcError, match=message):
        parse(expression)


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(CalcError):
        parse("(" * 500 + "1" + ")" * 500)
    with pytest.raises(CalcError, match="nested too deeply"):
        parse("-" * 150 + "1")


def test_a_missing_input_is_named():
    with pytest.raises(CalcError, match="missing inputs: hold, handled"):
        evaluate("(talk + hold) / handled", {"talk": 1})


def test_division_by_zero_names_the_divisor():
    with pytest.raises(CalcError, match=r"division by zero: \(offered - abandoned\) is 0"):
        evaluate("answered / (offered - abandoned)", {"answered": 1, "offered": 5, "abandoned": 5})


@pytest.mark.parametrize(
    ("expression", "values", "message"),
    [
        ("sqrt(a)", {"a": -1}, "square root"),
        ("ln(a)", {"a": 0}, "logarithm"),
        ("exp(a)", {"a": 1000}, "too large"),
        ("a * a", {"a": 1e200}, "too large"),
        ("round(a, 1.5)", {"a": 1}, "whole number"),
    ],
)
def test_impossible_arithmetic_is_an_error_never_inf_or_nan(expression, values, message):
    with pytest.raises(CalcError, match=message):
        evaluate(expression, values)


def test_substitution_puts_the_numbers_in_and_keeps_the_layout():
    values = {"talk": 12000, "hold": 1500, "acw": 3000, "handled": 100}
    assert substitute("(talk + hold + acw) / handled", values) == "(12000 + 1500 + 3000) / 100"
    assert substitute("a - b", {"a": 5, "b": -2}) == "5 - (-2)"
    assert substitute("max(a_1, 2) / ln(b)", {"a_1": 2.5, "b": 3}) == "max(2.5, 2) / ln(3)"


def test_numbers_are_written_as_people_write_them():
    assert format_number(165.0) == "165"
    assert format_number(0.25) == "0.25"
    assert format_number(100 / 3) == "33.333333"
    assert format_number(-4.0) == "-4"
    assert format_number(1e20) == "100000000000000000000"


def test_command_line_assignments():
    assert parse_assignments(["talk=12000", "hold = 1.5", "acw=-3"]) == {"talk": 12000, "hold": 1.5, "acw": -3}
    for bad, message in [
        (["talk"], "name=value"),
        (["=5"], "name=value"),
        (["Talk=5"], "lower_snake_case"),
        (["talk=five"], "not a number"),
        (["talk=nan"], "not a number"),
        (["talk=1,000"], "without commas"),
        (["talk=1", "talk=2"], "twice"),
    ]:
        with pytest.raises(CalcError, match=message):
            parse_assignments(bad)


# ---------------------------------------------------------------- the glossary's own formulas

# The built-in glossary alone: collected before any fixture runs, so not `load()`, which would also
# read the developer's own config folder and BPOTERMS_GLOSSARY.
ENTRIES = [e for e in load(GlossarySpec((), include_builtin=True)).entries if e.compute is not None]


def test_the_glossary_has_formulas_to_compute():
    assert len(ENTRIES) >= 20


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.term)
def test_every_formula_parses_and_declares_exactly_its_inputs(entry):
    expression = parse(entry.compute.expression)
    declared = {item.name for item in entry.compute.inputs}
    assert set(expression.names) <= declared, f"undeclared inputs in {entry.term}"
    for variant in entry.variants:
        if variant.expression:
            parse(variant.expression)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.example and e.example.inputs], ids=lambda e: e.term)
def test_every_formula_gives_its_own_worked_example(entry):
    values = dict(entry.example.inputs)
    assert entry.example.result is not None
    assert round(evaluate(entry.compute.expression, values), 3) == pytest.approx(entry.example.result, abs=1e-9)
