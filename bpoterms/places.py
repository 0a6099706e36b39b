"""Where bpoterms keeps things on disk: the home, XDG config and cache folders, as plain strings.

Shared by the cache (`store.py`), glossary discovery (`paths.py`) and the fast route's answers
file (`answers.py`), which must find the cache folder without importing `pathlib`.
"""

from __future__ import annotations

import os


def home() -> str | None:
    """The user's home folder, or None (HOME unset and a uid without a passwd entry, as in containers)."""
    try:
        expanded = os.path.expanduser("~")
    except (KeyError, OSError):
        return None
    return None if expanded == "~" else expanded


def xdg_folder(variable: str, default: str) -> str | None:
    """An XDG base folder: the variable if it holds an absolute path (the spec ignores relative ones), else
    `~/default`; None without a home."""
    value = os.environ.get(variable, "")
    if value and os.path.isabs(value):
        return value
    base = home()
    return os.path.join(base, default) if base is not None else None


def cache_folder() -> str | None:
    """`BPOTERMS_CACHE_DIR`, else `$XDG_CACHE_HOME/bpoterms`, else `~/.cache/bpoterms`; None: no cache."""
    override = os.environ.get("BPOTERMS_CACHE_DIR")
    if override:
        return os.path.abspath(override)
    base = xdg_folder("XDG_CACHE_HOME", ".cache")
    return os.path.join(base, "bpoterms") if base is not None else None
