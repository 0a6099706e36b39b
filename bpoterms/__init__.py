"""bpoterms: a glossary of BPO and contact-center jargon, usable as a library and a CLI.

The public API loads glossaries and resolves queries without importing typer or rich. Names are
imported on first use (PEP 562), so `import bpoterms.fastpath` does not pay for modules a
lookup never needs.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (about 7 ms) on every start-up

__version__ = "0.1.0"


def version_line() -> str:
    """What `bpoterms --version` prints, on the fast route (fastpath.py) and the typer one alike."""
    return f"bpoterms {__version__}\n"


_EXPORTS = {
    "BpotermsError": "errors", "GlossaryError": "errors", "QueryError": "errors", "UnknownNameError": "errors",
    "GlossarySpec": "glossary", "discover": "glossary", "load": "glossary", "load_file": "glossary",
    "open_glossary": "glossary", "validate": "glossary",
    "Glossary": "store",
    "resolve": "lookup", "search": "ranking", "suggest": "lookup",
    "Category": "model", "Entry": "model", "Match": "model", "NotFound": "model", "Problem": "model",
    "Quote": "model", "SearchHit": "model", "Source": "model", "Suggestion": "model",
}  # fmt: skip
__all__ = [
    "BpotermsError", "Category", "Entry", "Glossary", "GlossaryError", "GlossarySpec", "Match", "NotFound",
    "Problem", "QueryError", "Quote", "SearchHit", "Source", "Suggestion", "UnknownNameError", "__version__",
    "discover", "load", "load_file", "open_glossary", "resolve", "search", "suggest", "validate",
]  # fmt: skip

if TYPE_CHECKING:
    from typing import Any

    from .errors import BpotermsError, GlossaryError, QueryError, UnknownNameError
    from .glossary import GlossarySpec, discover, load, load_file, open_glossary, validate
    from .lookup import resolve, suggest
    from .model import Category, Entry, Match, NotFound, Problem, Quote, SearchHit, Source, Suggestion
    from .ranking import search
    from .store import Glossary


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'bpoterms' has no attribute '{name}'")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
