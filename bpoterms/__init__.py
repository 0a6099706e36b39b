"""bpoterms: a glossary of BPO and contact-center jargon, usable as a library and a CLI.

The public API loads glossaries and resolves queries without importing typer or rich.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import BpotermsError, GlossaryError, QueryError, UnknownNameError
from .glossary import GlossarySpec, discover, load, load_file, open_glossary, validate
from .lookup import resolve, search, suggest
from .store import Glossary
from .model import Category, Entry, Match, NotFound, Problem, Quote, SearchHit, Source, Suggestion

__all__ = [
    "BpotermsError",
    "Category",
    "Entry",
    "Glossary",
    "GlossaryError",
    "GlossarySpec",
    "Match",
    "NotFound",
    "Problem",
    "QueryError",
    "Quote",
    "SearchHit",
    "Source",
    "Suggestion",
    "UnknownNameError",
    "__version__",
    "discover", "open_glossary",
    "load",
    "load_file",
    "resolve",
    "search",
    "suggest",
    "validate",
]
