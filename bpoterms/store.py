"""Open the glossary the CLI needs: from the compiled cache when it is fresh, else from YAML."""

from __future__ import annotations

from collections.abc import Sequence

from .glossary import Glossary, discover, load


def open_glossary(paths: Sequence[str], include_builtin: bool = True, use_cache: bool = True) -> Glossary:
    """The merged glossary named by the global options."""
    del use_cache  # the compiled cache arrives with the speed work; loading is correct without it
    return load(discover(paths, include_builtin))
