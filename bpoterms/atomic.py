"""The one atomic writer: a file is replaced whole or not at all, never left half-written.

Used for what users ask for (`export -o`) and for the compiled cache (`store.write_cache`):
both fill a temporary file beside the target and rename it into place, with the signals that
could strand the temporary file held off while it is created. Only user files get the extra
care: a symlink is followed, a device or FIFO is written through, a loaded glossary is refused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import BpotermsError


class WriteError(BpotermsError):
    """A file that cannot be written (missing or unwritable folder, a protected file); exit 2."""


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder"
    if isinstance(exc, NotADirectoryError):
        return "a part of the path is not a folder"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return (exc.strerror or str(exc)).lower()


def _final_mode(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets what the umask allows, not mkstemp's 0600."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(target.stat().st_mode)
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


# Names of this process's own descriptors (`/dev/stdout`, `/proc/self/fd/1`): always written through,
# even when they lead to a regular file, since replacing the name would not reach the open descriptor.
_DESCRIPTOR_PATH = re.compile(r"^/(?:dev/(?:stdout|stderr|fd/\d+)|proc/(?:self|thread-self|\d+)/fd/\d+)$")
# Signals that must not land between creating a temporary file and remembering its name.
_DEFERRED = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _refuse_protected(path: str, target: str, protect: Iterable[str | os.PathLike[str]]) -> None:
    """`-o` naming a glossary that bpoterms loads would destroy it: refuse, whatever the suffix."""
    try:
        info: os.stat_result | None = os.stat(target)
    except OSError:
        info = None
    real = os.path.realpath(target)
    for each in protect:
        try:
            same = os.path.realpath(each) == real or (info is not None and _same_file(os.stat(each), info))
        except OSError:
            same = False
        if same:
            raise WriteError(f"will not write '{path}': it is a glossary file that bpoterms loads")


def write_atomic(path: str, text: str, *, protect: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Write UTF-8 via a temporary file in the same folder and os.replace: readers see the old file or the new.

    A symlink is followed and its target replaced (the link stays a link). What is not a regular
    file (a device such as /dev/null, a FIFO, `/dev/stdout`) is written through, never replaced.
    The files in `protect` (the loaded glossaries) are never written. On any failure the temporary
    file is removed and the target is untouched.
    """
    if not path:
        raise WriteError("no output file given: -o needs a file name (or '-' for standard output)")
    target = os.path.expanduser(path)
    data = text.encode("utf-8")
    _refuse_protected(path, target, protect)
    try:
        info: os.stat_result | None = os.stat(target)  # follows symlinks
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise WriteError(f"cannot write '{path}': {_reason(exc)}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise WriteError(f"cannot write '{path}': it is a folder")
    if info is not None and (not stat.S_ISREG(info.st_mode) or _DESCRIPTOR_PATH.match(os.path.abspath(target))):
        _write_through(path, target, data, info)
        return
    real = Path(os.path.realpath(target))
    folder = real.parent
    try:
        folder_exists = folder.is_dir()
    except OSError as exc:
        raise WriteError(f"cannot write '{path}': {_reason(exc)}") from None
    if not folder_exists:
        shown = folder if os.path.islink(target) else Path(target).parent
        raise WriteError(f"cannot write '{path}': folder '{shown}' does not exist")
    if info is not None and not os.access(real, os.W_OK):
        raise WriteError(f"cannot write '{path}': the file is read-only")
    mode = _final_mode(real)

    def fill(temporary: str) -> None:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        with contextlib.suppress(FileNotFoundError):
            if not stat.S_ISREG(os.lstat(real).st_mode):  # swapped for a device or FIFO meanwhile
                raise WriteError(f"cannot write '{path}': it is no longer a regular file")

    try:
        replace_atomically(real, fill)
    except OSError as exc:
        raise WriteError(f"cannot write '{path}': {_reason(exc)}") from None


def replace_atomically(target: Path, fill: Callable[[str], None], *, prefix: str | None = None) -> None:
    """Create a temporary file beside `target`, let `fill` write it (by name), then rename it over
    `target`. On any failure, Ctrl-C or SIGTERM included, the temporary file is removed and
    `target` is untouched; the temporary name is short, so a 255-byte target name still fits."""
    temporary: str | None = None
    try:
        blocked = _block_signals()
        try:
            fd, temporary = tempfile.mkstemp(prefix=prefix or f".{target.name[:24]}.", suffix=".tmp", dir=target.parent)
            os.close(fd)
        finally:
            _restore_signals(blocked)
        fill(temporary)
        os.replace(temporary, target)
        temporary = None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _write_through(path: str, target: str, data: bytes, info: os.stat_result) -> None:
    """Open and write, as `cat > target` does: a FIFO waits for its reader, /dev/full says it is full."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | (os.O_TRUNC if stat.S_ISREG(info.st_mode) else 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        raise WriteError(f"cannot write '{path}': {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BrokenPipeError:
        raise  # the reader went away (`-o /dev/stdout | head`): as quiet as any closed pipe
    except OSError as exc:
        raise WriteError(f"cannot write '{path}': {_reason(exc)}") from None


def _block_signals() -> set[int | signal.Signals] | None:
    if not _DEFERRED or not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)


def _restore_signals(previous: set[int | signal.Signals] | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
