"""Find the glossary files a run should use and open their compiled form.

On the warm path this module only stats files and opens the cache; reading, validating and
merging YAML (`layers.py`) is imported only when the cache must be rebuilt.
"""

from __future__ import annotations

import os
import sqlite3
import stat
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


def user_config_dir() -> Path | None:
    """`$XDG_CONFIG_HOME/bpoterms` (absolute paths only, as the XDG spec says), else `~/.config/bpoterms`;
    None when there is no home folder to put it in."""
    base = store.xdg_dir("XDG_CONFIG_HOME", ".config")
    return base / "bpoterms" if base is not None else None


class GlossarySpec(NamedTuple):
    """Which files to load, in increasing precedence; see `discover`."""

    paths: tuple[Path, ...]
    include_builtin: bool = True


def _expand(path: Path, explicit: bool) -> list[Path]:
    """A folder stands for the `*.yaml` files in it; an explicit missing path is an error.

    In a folder, names starting with `.` or `#` (editor lock and backup files such as Emacs's
    `.#team.yaml`) and dangling symlinks are skipped. A device, FIFO or socket is refused, named
    or found in a folder: it has no size to check and may never end (`/dev/zero`).
    """
    try:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix in (".yaml", ".yml") and not p.name.startswith((".", "#")) and p.exists()
            )
            if not found and explicit:
                raise GlossaryError(str(path), "folder holds no .yaml glossary files")
            for each in found:
                _refuse_special(each)
            return found
        if not path.exists():
            if explicit:
                raise GlossaryError(str(path), "no such file or folder")
            return []
        _refuse_special(path)
    except PermissionError:
        raise GlossaryError(str(path), "permission denied") from None
    except OSError as exc:  # a name too long, a broken mount: pathlib only swallows "not found"
        raise GlossaryError(str(path), f"cannot read: {exc.strerror or exc}") from None
    return [path]


def _refuse_special(path: Path) -> None:
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise GlossaryError(str(path), f"not a regular file ({kind}); save the glossary to a file and load that")


def discover(
    cli_paths: Sequence[str] = (),
    include_builtin: bool = True,
    environ: dict[str, str] | None = None,
) -> GlossarySpec:
    """Built-in, then the user's config folder, then BPOTERMS_GLOSSARY, then --glossary."""
    env = os.environ if environ is None else environ
    paths: list[Path] = []
    config = user_config_dir()
    if config is not None:
        try:
            present = config.is_dir()
        except OSError as exc:  # a parent folder (XDG_CONFIG_HOME itself) that cannot be searched
            reason = "permission denied" if isinstance(exc, PermissionError) else f"cannot read: {exc.strerror or exc}"
            raise GlossaryError(str(config), reason) from None
        if present:
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
    rebuilt (also when the damage shows only later, mid-command); a cache folder that cannot be
    written, is shared without the sticky bit, or does not exist (no home folder) only costs speed.
    """
    spec = spec or discover()
    files = [path for path, _label in labelled_files(spec)]
    path = store.cache_file(files) if use_cache else None
    if path is not None and not store.safe_folder(path.parent):
        path = None
    if path is not None:
        try:
            cached = store.open_cached(path, files)
        except store.StaleCache:
            pass
        else:
            cached.rebuild_with(lambda: _compile(spec, files, path))
            return cached
    return _compile(spec, files, path)


def _compile(spec: GlossarySpec, files: list[Path], path: Path | None) -> Glossary:
    """Read, validate and merge the YAML, then compile it into the cache file (or memory)."""
    stamps = []
    for file in files:
        try:
            now = store.stamp(file)
            digest = store.content_hash(file, MAX_FILE_BYTES + 1) if now[1] <= MAX_FILE_BYTES else ""
            stamps.append((*now, digest))
        except OSError:
            stamps.append((str(file), -1, -1, -1, -1, -1, ""))  # read_text below reports the real problem
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


def loaded_paths(paths: Sequence[str] = (), include_builtin: bool = True) -> list[Path]:
    """Every glossary file a run with these options reads, and the built-in one: what `export -o` must
    never overwrite."""
    try:
        spec = discover(paths, include_builtin)
    except GlossaryError:
        spec = GlossarySpec((), include_builtin)
    return [builtin_path(), *spec.paths]


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
