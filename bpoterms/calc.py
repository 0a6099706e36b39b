"""Evaluate a metric's `compute` expression on named numbers: a whitelist of arithmetic, never `eval`.

The grammar: decimal numbers, lower_snake_case input names, `+ - * /`, parentheses, unary minus,
and the functions min max ceil floor round sqrt exp ln abs. The text is parsed with `ast` and
only those node types are walked; anything else (attributes, subscripts, `**`, keywords, strings,
`1e3`, `0x10`) is refused with a message that names it. A missing input is named; division by
zero, a square root of a negative number and the like are errors, never inf or NaN.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Mapping
from typing import NamedTuple

from .quantities import InputError

NAME = re.compile(r"[a-z][a-z0-9_]*")
_DECIMAL = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)")
MAX_LENGTH = 2000


class CalcError(InputError):
    """An expression outside the grammar, a missing input, or arithmetic with no answer."""


def _ln(x: float) -> float:
    if x <= 0:
        raise CalcError(f"ln of {format_number(x)}: the logarithm needs a number above 0")
    return math.log(x)


def _sqrt(x: float) -> float:
    if x < 0:
        raise CalcError(f"sqrt of {format_number(x)}: the square root needs a number of 0 or more")
    return math.sqrt(x)


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise CalcError(f"exp of {format_number(x)} is too large to compute") from None


def _round(x: float, places: float = 0) -> float:
    if places != int(places):
        raise CalcError("round takes a whole number of decimal places")
    return float(round(x, int(places)))


# name → (function, fewest arguments, most arguments or None for any number)
FUNCTIONS: dict[str, tuple[Callable[..., float], int, int | None]] = {
    "min": (min, 2, None),
    "max": (max, 2, None),
    "ceil": (lambda x: float(math.ceil(x)), 1, 1),
    "floor": (lambda x: float(math.floor(x)), 1, 1),
    "round": (_round, 1, 2),
    "sqrt": (_sqrt, 1, 1),
    "exp": (_exp, 1, 1),
    "ln": (_ln, 1, 1),
    "abs": (abs, 1, 1),
}
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_REFUSED = {
    ast.Pow: "** (powers)", ast.FloorDiv: "// (floor division)", ast.Mod: "% (remainder)",
    ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>",
}  # fmt: skip


class Expression(NamedTuple):
    """A parsed, checked expression and the input names it reads, in order of first appearance."""

    text: str
    tree: ast.expr
    names: tuple[str, ...]


def parse(text: str) -> Expression:
    """Check `text` against the grammar; CalcError names the first thing outside it."""
    if not isinstance(text, str) or not text.strip():
        raise CalcError("the expression is empty")
    if len(text) > MAX_LENGTH:
        raise CalcError(f"the expression is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise CalcError(f"'{text}' is not an arithmetic expression ({exc.msg})") from None
    except (ValueError, RecursionError, MemoryError):
        raise CalcError(f"'{text[:60]}' is not an arithmetic expression") from None
    names: dict[str, None] = {}
    _check(tree, text.strip(), names, 0)
    return Expression(text.strip(), tree, tuple(names))


def _check(node: ast.AST, source: str, names: dict[str, None], depth: int) -> None:
    if depth > 100:
        raise CalcError("the expression is nested too deeply")
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _OPERATORS:
            what = _REFUSED.get(type(node.op), type(node.op).__name__)
            raise CalcError(f"'{what}' is not allowed; use + - * / and the functions {', '.join(FUNCTIONS)}")
        _check(node.left, source, names, depth + 1)
        _check(node.right, source, names, depth + 1)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise CalcError("only a minus sign may stand before a number or a bracket")
        _check(node.operand, source, names, depth + 1)
    elif isinstance(node, ast.Constant):
        segment = ast.get_source_segment(source, node) or repr(node.value)
        if node.value is None or isinstance(node.value, bool):
            raise CalcError(f"'{segment}' is not an input name; names are lower_snake_case, like talk_time")
        if not isinstance(node.value, (int, float)) or not _DECIMAL.fullmatch(segment):
            raise CalcError(f"'{segment}' is not allowed; numbers are written in decimals, like 12.5")
    elif isinstance(node, ast.Name):
        if not NAME.fullmatch(node.id):
            raise CalcError(f"'{node.id}' is not an input name; names are lower_snake_case, like talk_time")
        if node.id in FUNCTIONS:
            raise CalcError(f"'{node.id}' is a function; call it with brackets, like {node.id}(x)")
        names.setdefault(node.id, None)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            called = ast.get_source_segment(source, node.func) or "this"
            raise CalcError(f"'{called}' is not a function bpoterms knows ({', '.join(FUNCTIONS)})")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise CalcError(f"{node.func.id} takes plain arguments, without names or *")
        _, fewest, most = FUNCTIONS[node.func.id]
        if len(node.args) < fewest or (most is not None and len(node.args) > most):
            wanted = f"{fewest}" if fewest == most else f"{fewest} to {most}" if most else f"at least {fewest}"
            raise CalcError(f"{node.func.id} takes {wanted} argument{'s' if most != 1 else ''}, got {len(node.args)}")
        for arg in node.args:
            _check(arg, source, names, depth + 1)
    else:
        segment = ast.get_source_segment(source, node) or type(node).__name__
        raise CalcError(f"'{segment}' is not allowed; use numbers, input names, + - * /, brackets and functions")


def evaluate(expression: Expression | str, values: Mapping[str, float]) -> float:
    """The expression's value for these inputs; CalcError for a missing input or an impossible step."""
    parsed = parse(expression) if isinstance(expression, str) else expression
    missing = [name for name in parsed.names if name not in values]
    if missing:
        raise CalcError(f"missing input{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
    result = _eval(parsed.tree, parsed.text, values)
    if not math.isfinite(result):
        raise CalcError("the result is too large to compute")
    return result


def _eval(node: ast.AST, source: str, values: Mapping[str, float]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.Name):
        return float(values[node.id])
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, source, values)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, source, values), _eval(node.right, source, values)
        if isinstance(node.op, ast.Add):
            result = left + right
        elif isinstance(node.op, ast.Sub):
            result = left - right
        elif isinstance(node.op, ast.Mult):
            result = left * right
        else:
            if right == 0:
                divisor = ast.get_source_segment(source, node.right) or "the divisor"
                if not isinstance(node.right, (ast.Name, ast.Constant, ast.Call)):
                    divisor = f"({divisor})"
                raise CalcError(f"division by zero: {divisor} is 0")
            result = left / right
        if not math.isfinite(result):
            raise CalcError("a step of the calculation is too large to compute")
        return result
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    function = FUNCTIONS[node.func.id][0]
    try:
        return float(function(*(_eval(arg, source, values) for arg in node.args)))
    except OverflowError:
        raise CalcError(f"{node.func.id}: the value is too large to compute") from None


def format_number(value: float) -> str:
    """Numbers as people write them: 12000, 0.25, 33.333, -4 (no exponent, at most 6 decimals)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def substitute(expression: Expression | str, values: Mapping[str, float]) -> str:
    """The expression's text with each input name replaced by its number (negatives in brackets)."""
    parsed = parse(expression) if isinstance(expression, str) else expression

    def number(match: re.Match[str]) -> str:
        name = match.group(0)
        if name in FUNCTIONS or name not in values:
            return name
        text = format_number(values[name])
        return f"({text})" if text.startswith("-") else text

    return re.sub(r"(?<![\w.])[a-z][a-z0-9_]*(?![\w(])", number, parsed.text)


def parse_assignments(arguments: list[str]) -> dict[str, float]:
    """`name=value` words from the command line; CalcError for anything else."""
    values: dict[str, float] = {}
    for word in arguments:
        name, sign, raw = word.partition("=")
        name = name.strip()
        if not sign or not name:
            raise CalcError(f"'{word}' is not an input; write name=value, like handled=100")
        if not NAME.fullmatch(name):
            raise CalcError(f"'{name}' is not an input name; names are lower_snake_case, like talk_time")
        text = raw.strip()
        if "," in text:
            raise CalcError(f"{name}: write '{raw}' without commas (12000, or 1.5 for one and a half)")
        if not re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", text):
            raise CalcError(f"{name}: '{raw}' is not a number")
        if name in values:
            raise CalcError(f"{name} is given twice")
        values[name] = float(text)
    return values
