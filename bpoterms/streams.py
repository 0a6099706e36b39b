"""The standard streams as the error boundary needs them: a closed, full or non-UTF-8 stdout is the
user's environment, not a bug, so a failed write to it must be told apart from any other OSError.

`prepare()` runs once per command, in `boundary.finish`: stdout is rebuilt over a raw writer that
remembers its own failure, with `errors="replace"` so a Latin-1 or ASCII terminal gets `?` instead of
a UnicodeEncodeError; descriptors 0-2 that are closed are held on /dev/null, so a file the command
opens can never become "stdout". Stdlib only, and no `contextlib` or `enum`: it runs on every start-up.
"""

from __future__ import annotations

import errno
import io
import os

try:  # the C module under `signal`, without the IntEnum wrappers that cost ~2 ms of start-up (enum)
    import _signal as signal  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - other Pythons
    import signal
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, on the start-up path
if TYPE_CHECKING:
    from typing import Any


class Terminated(BaseException):
    """SIGTERM or SIGHUP: unwinds like Ctrl-C, so `finally` blocks remove temporary files."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, _frame: Any) -> None:
    raise Terminated(signum)


class _Stdout(io.RawIOBase):
    """Descriptor 1, or a closed stdout (`>&-`) whose every write fails with EBADF, as `ls >&-` reports."""

    def __init__(self, fd: int | None) -> None:
        super().__init__()
        self._fd = fd
        self.failure: OSError | None = None
        self.discard = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.discard:
            return len(data)
        try:
            if self._fd is None:
                raise OSError(errno.EBADF, os.strerror(errno.EBADF))
            return os.write(self._fd, data)
        except BrokenPipeError:
            raise  # the reader left (`| head -1`): finish stops quietly
        except OSError as exc:
            self.failure = exc
            raise

    def isatty(self) -> bool:
        return self._fd is not None and os.isatty(self._fd)

    def fileno(self) -> int:
        if self._fd is None:
            raise io.UnsupportedOperation("standard output is closed")
        return self._fd


_raw: _Stdout | None = None


def prepare() -> None:
    """Make the streams safe for one command (see the module docstring); also turn SIGTERM and
    SIGHUP into `Terminated`."""
    global _raw
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            try:  # noqa: SIM105 (contextlib is not imported on the start-up path)
                signal.signal(number, _terminate)
            except (ValueError, OSError):  # not the main thread
                pass
    closed = set()
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.add(fd)
            try:
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)
            except OSError:
                pass
    if 2 in closed or sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
    current = sys.stdout
    if 1 in closed or current is None:
        _raw = _Stdout(None)
        encoding, line_buffering = "utf-8", False
    else:
        try:
            fd = current.fileno()
        except (OSError, ValueError, AttributeError):
            return  # a replaced stream (a test runner's capture): leave it alone
        try:  # noqa: SIM105 (as above)
            current.flush()
        except OSError:
            pass
        _raw = _Stdout(fd)
        encoding = getattr(current, "encoding", None) or "utf-8"
        line_buffering = bool(getattr(current, "line_buffering", False))
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_raw), encoding=encoding, errors="replace", line_buffering=line_buffering
    )


def stdout_failure(exc: BaseException) -> OSError | None:
    """The error if `exc` is a failed write to standard output (closed, full disk, I/O error), else None.

    What was not written is then dropped, so leaving the process does not fail on it again.
    """
    if _raw is None or _raw.failure is None or not isinstance(exc, OSError):
        return None
    _raw.discard = True
    return _raw.failure
