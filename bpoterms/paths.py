"""Which glossary files a run loads, in which order: the built-in file, the config folder,
BPOTERMS_GLOSSARY and --glossary.

Its own module so that both the opener (`glossary.py`) and the YAML reader (`layers.py`) can use
it without importing each other. Stats paths only; reads no file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from . import store
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
