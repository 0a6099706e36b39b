"""Find the glossary files a run should use and open their compiled form.

On the warm path this module only stats files and opens the cache; reading, validating and
merging YAML (`layers.py`) is imported only when the cache must be rebuilt.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import store
from .errors import GlossaryError
from .store import Glossary

if TYPE_CHECKING:
    from .model import Problem

BUILTIN_LABEL = "built-in"
SCHEMA_VERSION = 1
MAX_FILE_BYTES = 128 * 1024 * 1024

# ---------------------------------------------------------------- locating files


def builtin_path() -> Path:
    """The glossary shipped in the wheel, or the repository's copy in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "glossary.yaml"
    return packaged if packaged.is_file() else here.parent / "glossary.yaml"


def user_config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "bpoterms"


class GlossarySpec(NamedTuple):
    """Which files to load, in increasing precedence; see `discover`."""

    paths: tuple[Path, ...]
    include_builtin: bool = True


def _expand(path: Path, explicit: bool) -> list[Path]:
    """A folder stands for the `*.yaml` files in it; an explicit missing path is an error."""
    try:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
            if not found and explicit:
                raise GlossaryError(str(path), "folder holds no .yaml glossary files")
            return found
        if not path.exists():
            if explicit:
                raise GlossaryError(str(path), "no such file or folder")
            return []
    except PermissionError:
        raise GlossaryError(str(path), "permission denied") from None
    except OSError as exc:  # a name too long, a broken mount: pathlib only swallows "not found"
        raise GlossaryError(str(path), f"cannot read: {exc.strerror or exc}") from None
    return [path]


def discover(
    cli_paths: Sequence[str] = (),
    include_builtin: bool = True,
    environ: dict[str, str] | None = None,
) -> GlossarySpec:
    """Built-in, then the user's config folder, then BPOTERMS_GLOSSARY, then --glossary."""
    env = os.environ if environ is None else environ
    paths: list[Path] = []
    config = user_config_dir()
    if config.is_dir():
        paths += _expand(config, explicit=False)
    for item in (env.get("BPOTERMS_GLOSSARY") or "").split(os.pathsep):
        if item.strip():
            paths += _expand(Path(item).expanduser(), explicit=True)
    for item in cli_paths:
        paths += _expand(Path(item).expanduser(), explicit=True)
    return GlossarySpec(tuple(paths), include_builtin)


def labelled_files(spec: GlossarySpec) -> list[tuple[Path, str]]:
    """Every file of the spec in precedence order, with the label messages name it by."""
    builtin = [(builtin_path(), BUILTIN_LABEL)] if spec.include_builtin else []
    return builtin + [(path, str(path)) for path in spec.paths]


def load(spec: GlossarySpec | None = None, *, use_cache: bool = False) -> Glossary:
    """The compiled, merged glossary for a spec (default: what `bpoterms` would load).

    With `use_cache`, a fresh cache file is reused and a missing, stale or corrupt one is
    rebuilt; a cache folder that cannot be written only costs speed.
    """
    spec = spec or discover()
    files = [path for path, _label in labelled_files(spec)]
    path = store.cache_file(files) if use_cache else None
    if path is not None:
        try:
            return store.open_cached(path, files)
        except store.StaleCache:
            pass
    stamps = []
    for file in files:
        try:
            stamps.append((*store.stamp(file), store.content_hash(file)))
        except OSError:
            stamps.append((str(file), -1, -1, ""))  # read_text below reports the real problem
    from .layers import load_layers, merge_layers

    merged = merge_layers(load_layers(spec))

    def build(db: Any) -> None:
        store.compile_into(db, merged.entries, merged.sources, merged.categories, merged.files, stamps)

    if path is not None:
        try:
            return store.write_cache(path, build)
        except (OSError, sqlite3.Error):
            pass  # an unwritable cache folder: answer from memory, say nothing
    return store.in_memory(build)


def open_glossary(paths: Sequence[str] = (), include_builtin: bool = True, use_cache: bool = True) -> Glossary:
    """What the CLI loads: the built-in glossary, user layers, and the cache."""
    return load(discover(paths, include_builtin), use_cache=use_cache)


def load_file(path: str | os.PathLike[str]) -> Glossary:
    """One file on its own, without the built-in glossary."""
    return load(GlossarySpec((Path(path),), include_builtin=False))


def validate(spec: GlossarySpec) -> list[Problem]:
    """Every problem in every file of the spec (see `layers.validate`)."""
    from .layers import validate as validate_layers

    return validate_layers(spec)
