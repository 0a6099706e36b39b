"""The one error boundary of both CLI routes, and the exit codes and one-line messages it speaks in.

Kept apart from the command bodies and free of `typing`, the model and the matching stack, so the
fast route (`fastpath.py`) can answer a lookup from the answers file inside the same boundary
without importing them.
"""

from __future__ import annotations

import os
import sys

from .errors import BpotermsError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in bpoterms, not in the user's input


def error_line(message: str) -> None:
    """Every error the user sees: one line on stderr, control characters made visible."""
    from .plain import safe

    sys.stderr.write(f"bpoterms: error: {safe(message)}\n")


def miss_line(message: str) -> None:
    """Every "found nothing" the user sees (exit 1, not an error): one line on stderr."""
    from .plain import safe

    sys.stderr.write(f"bpoterms: {safe(message)}\n")


def internal_error(exc: BaseException) -> int:
    """Report a bug in one line; BPOTERMS_DEBUG=1 shows the traceback instead."""
    if os.environ.get("BPOTERMS_DEBUG"):
        raise exc
    error_line(f"internal error ({type(exc).__name__}: {exc}); set BPOTERMS_DEBUG=1 for details and please report it")
    return EXIT_INTERNAL


def finish(body: Callable[[], int]) -> NoReturn:
    """Run a command and exit with its code: the one error boundary of both CLI routes.

    Quiet on a closed pipe, on Ctrl-C and on SIGTERM/SIGHUP; one line for the core's errors, for an
    unwritable stdout (closed, disk full), and for our bugs.
    """
    from . import streams

    try:
        streams.prepare()
        code = body()
        sys.stdout.flush()
    except BrokenPipeError:
        code = quiet_broken_pipe()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        code = EXIT_INTERRUPTED
    except streams.Terminated as exc:
        code = 128 + exc.signum
    except BpotermsError as exc:
        error_line(str(exc))
        code = exc.exit_code
    except Exception as exc:  # a bug of ours: one line for the user, the traceback on request
        failure = streams.stdout_failure(exc)
        if failure is not None:
            error_line(f"cannot write to standard output: {(failure.strerror or str(failure)).lower()}")
            code = EXIT_USAGE
        else:
            code = internal_error(exc)
    sys.exit(code)


def quiet_broken_pipe() -> int:
    """The reader went away (`| head -1`): stop quietly, as `cat` does."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_OK
