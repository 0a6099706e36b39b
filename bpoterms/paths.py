"""Which glossary files a run loads, in which order: the built-in file, the config folder,
BPOTERMS_GLOSSARY and --glossary.

Its own module so that both the opener (`glossary.py`) and the YAML reader (`layers.py`) can use
it without importing each other. Stats paths only; reads no file. Paths are strings, handled with
`os.path`: every lookup runs this module, and `pathlib` costs a third of Python's start-up to import.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence

from . import places
from .errors import GlossaryError

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from .record import NamedTuple

BUILTIN_LABEL = "built-in"
SCHEMA_VERSION = 1
MAX_FILE_BYTES = 128 * 1024 * 1024

# ---------------------------------------------------------------- locating files


def builtin_path() -> str:
    """The glossary shipped in the wheel, or the repository's copy in a source checkout."""
    here = os.path.dirname(os.path.realpath(__file__))
    packaged = os.path.join(here, "glossary.yaml")
    return packaged if os.path.isfile(packaged) else os.path.join(os.path.dirname(here), "glossary.yaml")


def user_config_dir() -> str | None:
    """`$XDG_CONFIG_HOME/bpoterms` (absolute paths only, as the XDG spec says), else `~/.config/bpoterms`;
    None when there is no home folder to put it in."""
    base = places.xdg_folder("XDG_CONFIG_HOME", ".config")
    return os.path.join(base, "bpoterms") if base is not None else None


class GlossarySpec(NamedTuple):
    """Which files to load, in increasing precedence; see `discover`."""

    paths: tuple[str, ...]
    include_builtin: bool = True


def _mode(path: str) -> int | None:
    """The path's st_mode, None when nothing is there; other errors (permission, a name too long)
    are raised, as `pathlib`'s `is_dir` and `exists` raise them."""
    try:
        return os.stat(path).st_mode
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return None
        raise


def _expand(path: str, explicit: bool) -> list[str]:
    """A folder stands for the `*.yaml` files in it; an explicit missing path is an error.

    In a folder, names starting with `.` or `#` (editor lock and backup files such as Emacs's
    `.#team.yaml`) and dangling symlinks are skipped. A device, FIFO or socket is refused, named
    or found in a folder: it has no size to check and may never end (`/dev/zero`).
    """
    try:
        mode = _mode(path)
        if mode is not None and stat.S_ISDIR(mode):
            found = sorted(
                os.path.join(path, name)
                for name in os.listdir(path)
                if name.endswith((".yaml", ".yml"))
                and not name.startswith((".", "#"))
                and _mode(os.path.join(path, name)) is not None
            )
            if not found and explicit:
                raise GlossaryError(str(path), "folder holds no .yaml glossary files")
            for each in found:
                _refuse_special(each)
            return found
        if mode is None:
            if explicit:
                raise GlossaryError(str(path), "no such file or folder")
            return []
        _refuse_special(path)
    except PermissionError:
        raise GlossaryError(str(path), "permission denied") from None
    except OSError as exc:  # a name too long, a broken mount: os.path only swallows "not found"
        raise GlossaryError(str(path), f"cannot read: {exc.strerror or exc}") from None
    return [path]


def _refuse_special(path: str) -> None:
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise GlossaryError(str(path), f"not a regular file ({kind}); save the glossary to a file and load that")


def tidy(path: str) -> str:
    """A path as `pathlib` spells it (no empty or `.` parts, no trailing slash; `""` is `.`), so that
    `./team.yaml` and `team.yaml` name one layer and messages name files as before."""
    head = "/" if path.startswith("/") else ""
    parts = [part for part in path.split("/") if part and part != "."]
    return head + "/".join(parts) if parts else head or "."


def discover(
    cli_paths: Sequence[str] = (),
    include_builtin: bool = True,
    environ: dict[str, str] | None = None,
) -> GlossarySpec:
    """Built-in, then the user's config folder, then BPOTERMS_GLOSSARY, then --glossary."""
    env = os.environ if environ is None else environ
    paths: list[str] = []
    config = user_config_dir()
    if config is not None:
        try:
            mode = _mode(config)
            present = mode is not None and stat.S_ISDIR(mode)
        except OSError as exc:  # a parent folder (XDG_CONFIG_HOME itself) that cannot be searched
            reason = "permission denied" if isinstance(exc, PermissionError) else f"cannot read: {exc.strerror or exc}"
            raise GlossaryError(str(config), reason) from None
        if present:
            paths += _expand(config, explicit=False)
    for item in (env.get("BPOTERMS_GLOSSARY") or "").split(os.pathsep):
        if item.strip():
            paths += _expand(tidy(os.path.expanduser(item)), explicit=True)
    for item in cli_paths:
        paths += _expand(tidy(os.path.expanduser(item)), explicit=True)
    return GlossarySpec(tuple(paths), include_builtin)


def labelled_files(spec: GlossarySpec) -> list[tuple[str, str]]:
    """Every file of the spec in precedence order, with the label messages name it by."""
    builtin = [(builtin_path(), BUILTIN_LABEL)] if spec.include_builtin else []
    return builtin + [(os.fspath(path), os.fspath(path)) for path in spec.paths]  # a caller's Path too
