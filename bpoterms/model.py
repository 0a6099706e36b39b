"""Immutable value types shared by every layer; stdlib only.

NamedTuples rather than dataclasses: they are as immutable and compact, and building them at
import time costs a fraction of what dataclasses (and the `inspect` module they pull in) cost on
every start-up of a command-line tool. At run time they come from `record.py`, which builds the
same classes without importing `typing`; mypy checks them as `typing.NamedTuple`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from .record import NamedTuple

UNCATEGORIZED = "uncategorized"


class Category(NamedTuple):
    id: str
    description: str


class Source(NamedTuple):
    """A publication an entry's text is quoted from (or a user's glossary file)."""

    id: str
    title: str
    publisher: str | None = None
    file: str | None = None
    url: str | None = None


class Quote(NamedTuple):
    """What one source says about an entry, in its own words."""

    source: str
    text: str


class ComputeInput(NamedTuple):
    """One named quantity a metric's expression reads."""

    name: str
    description: str
    unit: str | None = None


class Compute(NamedTuple):
    """A metric's formula in the arithmetic `bpoterms calc` evaluates (never Python's eval)."""

    expression: str
    inputs: tuple[ComputeInput, ...] = ()
    unit: str | None = None


class Example(NamedTuple):
    """A worked example: the numbers in, the result out, and the arithmetic written out."""

    text: str
    inputs: tuple[tuple[str, float], ...] = ()
    result: float | None = None


class Variant(NamedTuple):
    """One of the competing conventions for a metric, and who uses it."""

    name: str
    formula: str
    used_by: str
    expression: str | None = None


DIRECTIONS = ("higher", "lower", "target")  # which way a metric should move: up, down, or into a band


class Entry(NamedTuple):
    term: str
    definition: str
    acronym: str | None = None
    aliases: tuple[str, ...] = ()
    category: str = UNCATEGORIZED
    formula: str | None = None
    see_also: tuple[str, ...] = ()
    confused_with: tuple[str, ...] = ()
    notes: str | None = None
    sources: tuple[Quote, ...] = ()
    origin: str = ""  # the glossary file the entry was loaded from
    region: tuple[str, ...] = ()  # where the term, or this meaning of it, is used; empty: everywhere
    direction: str | None = None  # one of DIRECTIONS, for metrics
    compute: Compute | None = None
    example: Example | None = None
    variants: tuple[Variant, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.term} ({self.acronym})" if self.acronym else self.term

    def names(self) -> tuple[str, ...]:
        """Every name the entry answers to: term, acronym, aliases."""
        return (self.term, *((self.acronym,) if self.acronym else ()), *self.aliases)


class Match(NamedTuple):
    """A resolved lookup: which entry, reached how, with what confidence (0–100)."""

    entry: Entry
    query: str
    kind: str
    score: float


class Ambiguous(NamedTuple):
    """A name several entries share (a homonym): every reading, none preferred."""

    query: str
    matches: tuple[Match, ...]


class Comparison(NamedTuple):
    """`A vs B`: both entries, in the order asked."""

    query: str
    matches: tuple[Match, ...]


class Suggestion(NamedTuple):
    entry: Entry
    score: float


class NotFound(NamedTuple):
    """A lookup that found no confident answer, with the nearest candidates."""

    query: str
    suggestions: tuple[Suggestion, ...] = ()


class SearchHit(NamedTuple):
    entry: Entry
    score: float
    matched_field: str  # term, acronym, alias or definition


class LoadedFile(NamedTuple):
    """One glossary file as loaded, for `bpoterms sources`."""

    path: str
    entries: int
    precedence: int  # 0 is the built-in glossary; higher overrides lower
    builtin: bool = False


class Problem(NamedTuple):
    """One finding of `validate`, located in its file."""

    file: str
    line: int
    column: int
    severity: str  # "error" or "warning"
    message: str
