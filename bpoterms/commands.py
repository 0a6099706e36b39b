"""Command bodies shared by the typer CLI and the fast path: parsed options in, output and an exit code out.

No typer here, so the fast path can run `define` and `search` without paying for typer's
start-up; errors are raised as the core's own exceptions and worded once, by the caller.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from .errors import BpotermsError, QueryError

if TYPE_CHECKING:
    from .lookup import Lookup
from .model import Ambiguous, Comparison, Match, NotFound

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in bpoterms, not in the user's input
# Narrower than this (COLUMNS=0, a 10-column pane) panels and tables lose their text: plain text instead.
MIN_RICH_WIDTH = 20
MAX_STDIN_LINE = 10_000  # characters in one line of `define -`; no name is near that long
COLOR_CHOICES = ("auto", "always", "never")
# Every subcommand's name; tests/test_fastpath.py checks it against the typer app. A first word
# that is none of these is a term: `bpoterms AHT` means `bpoterms define AHT`.
COMMAND_NAMES = frozenset(
    ("define", "search", "list", "random", "sources", "categories", "validate", "cache", "export", "explain", "quiz",
     "staff", "calc", "browse", "mcp")
)  # fmt: skip
_GLOBAL_OPTIONS_WITH_VALUES = ("--glossary", "-g")


def with_implicit_define(argv: list[str]) -> list[str]:
    """`bpoterms AHT` → `bpoterms define AHT`, after any global options; anything else unchanged."""
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        i += 2 if argv[i] in _GLOBAL_OPTIONS_WITH_VALUES else 1
    if i < len(argv) and argv[i] not in COMMAND_NAMES:
        return [*argv[:i], "define", *argv[i:]]
    return argv


class Output:
    """Decided once per command: rich panels for a terminal, or plain text for pipes and files."""

    def __init__(self, rich: bool, colour: bool, tty: bool = False) -> None:
        self.rich = rich
        self.colour = colour
        self.tty = tty  # stdout is a terminal (a pager makes sense)

    @classmethod
    def decide(cls, color: str) -> Output:
        """`--color`: never → plain; always → colour panels; auto → a terminal (or FORCE_COLOR), NO_COLOR honoured.

        The one place that asks about the terminal (is it one, how wide, NO_COLOR/FORCE_COLOR);
        commands ask the Output, never the terminal.
        """
        force = bool(os.environ.get("FORCE_COLOR"))
        tty = sys.stdout is not None and sys.stdout.isatty()
        if color == "never":
            return cls(rich=False, colour=False, tty=tty)
        if color == "always":
            return cls(rich=True, colour=True, tty=tty) if not _too_narrow() else cls(rich=False, colour=False, tty=tty)
        rich = (tty or force) and not _too_narrow()
        return cls(rich=rich, colour=rich and (force or (tty and not os.environ.get("NO_COLOR"))), tty=tty)

    def console(self, stderr: bool = False) -> Any:
        from rich.console import Console

        return Console(
            stderr=stderr,
            force_terminal=self.colour or None,
            no_color=not self.colour,
            highlight=False,
            emoji=False,
            markup=False,
            soft_wrap=False,
        )

    def print(self, plain_text: str, renderable: Callable[[], Any] | None = None, *, stderr: bool = False) -> None:
        if self.rich and renderable is not None:
            self.console(stderr).print(renderable())
        else:
            stream = sys.stderr if stderr else sys.stdout
            stream.write(plain_text + "\n")


def _too_narrow() -> bool:
    """The width rich would draw at (COLUMNS first, as rich reads it) is below MIN_RICH_WIDTH."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit():
        return int(columns) < MIN_RICH_WIDTH
    import shutil

    return shutil.get_terminal_size((80, 24)).columns < MIN_RICH_WIDTH


def error_line(message: str) -> None:
    """Every error the user sees: one line on stderr, control characters made visible."""
    from .plain import safe

    sys.stderr.write(f"bpoterms: error: {safe(message)}\n")


def miss_line(message: str) -> None:
    """Every "found nothing" the user sees (exit 1, not an error): one line on stderr."""
    from .plain import safe

    sys.stderr.write(f"bpoterms: {safe(message)}\n")


def emit_json(data: Any) -> None:
    from .serialize import dumps

    sys.stdout.write(dumps(data) + "\n")


def rich_renderers() -> Any:
    """The rich renderers, imported only when a terminal is drawn on."""
    from . import render as module

    return module


def stdin_terms() -> Iterator[str]:
    """Terms one per line, each as soon as its line arrives (`yes AHT | bpoterms define -` streams)."""
    stdin = sys.stdin
    if stdin is None:
        raise QueryError("'-' reads terms from standard input, but there is none")
    number = 0
    while True:
        line = stdin.readline(MAX_STDIN_LINE + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_STDIN_LINE and not line.endswith("\n"):
            raise QueryError(f"line {number} of standard input is over {MAX_STDIN_LINE:,} characters: not a term")
        if any(ch.isprintable() and not ch.isspace() for ch in line):  # blank or undecodable lines are skipped
            yield line.strip()


def run_define(glossary: Any, terms: Sequence[str], *, json_out: bool, sources: bool, brief: bool, color: str) -> int:
    """Resolve each term; print entries (stdout) and misses (stderr, or JSON); 1 if any was missed.

    With '-' the terms come from stdin and each answer is printed (and flushed) as its line arrives.
    """
    from .lookup import resolve

    batch = list(terms) == ["-"]
    queries: Iterable[str] = stdin_terms() if batch else list(terms)
    if not batch and not terms:
        raise QueryError("no terms to define")
    missed = False
    count = 0

    def results() -> Iterator[Lookup]:
        nonlocal missed, count
        for query in queries:
            result = resolve(glossary, query)
            missed = missed or isinstance(result, NotFound)
            count += 1
            yield result

    if json_out:
        from .serialize import dumps, lookup_dict

        if not batch and len(terms) == 1:
            emit_json(lookup_dict(next(results()), glossary))
        else:  # a JSON array, written item by item: the same text as dumps(list)
            for result in results():
                item = "\n".join("  " + line for line in dumps(lookup_dict(result, glossary)).split("\n"))
                sys.stdout.write(("[\n" if count == 1 else ",\n") + item)
                sys.stdout.flush()
            if count:
                sys.stdout.write("\n]\n")
    else:
        print_results(results(), glossary, Output.decide(color), sources, brief)
    if count == 0:
        raise QueryError("no terms to define")
    return EXIT_NOT_FOUND if missed else EXIT_OK


def print_results(results: Iterable[Lookup], glossary: Any, out: Output, sources: bool, brief: bool) -> None:
    """Entries on stdout (every reading of a shared name, both sides of a comparison), misses on stderr."""
    from . import plain

    first = True

    def show(entry: Any) -> None:
        nonlocal first
        if brief:
            out.print(plain.brief_text(entry), lambda: rich_renderers().brief_line(entry))
            return
        if not first and not out.rich:
            sys.stdout.write("\n")
        first = False
        out.print(
            plain.entry_text(entry, glossary, show_sources=sources),
            lambda: rich_renderers().entry_panel(entry, glossary, show_sources=sources),
        )

    for result in results:
        if isinstance(result, NotFound):
            out.print(plain.not_found_text(result), lambda: rich_renderers().not_found(result), stderr=True)  # noqa: B023 (drawn at once, inside the loop)
        elif isinstance(result, Match):
            show(result.entry)
        else:
            if isinstance(result, Ambiguous):
                heading = plain.readings_heading(result.query, len(result.matches))
                out.print(heading, lambda: rich_renderers().heading(heading))  # noqa: B023 (drawn at once, inside the loop)
            for match in result.matches:
                show(match.entry)
            if isinstance(result, Comparison):
                note = plain.comparison_note(result.matches[0].entry, result.matches[1].entry)
                if note:
                    out.print(note, lambda: rich_renderers().heading(note))  # noqa: B023 (drawn at once, inside the loop)
        sys.stdout.flush()


def run_search(
    glossary: Any, query: str, *, limit: int, category: str | None, strategy: str, json_out: bool, color: str
) -> int:
    """Ranked hits (stdout); 1 when nothing matches."""
    from .ranking import search

    hits = search(glossary, query, limit=limit, category=category, strategy=strategy)
    if json_out:
        from .serialize import hit_dict

        emit_json([hit_dict(h) for h in hits])
    elif hits:
        from . import plain

        Output.decide(color).print(plain.hits_text(hits), lambda: rich_renderers().hits_table(hits))
    else:
        shown = query if len(query) <= 80 else query[:77] + "..."
        miss_line(f"nothing matches '{shown}'")
    return EXIT_OK if hits else EXIT_NOT_FOUND


def page(text: str, *, styles: bool) -> bool:
    """Show text through $PAGER (default less, else more); False when no pager showed it, so the
    caller prints it instead (pydoc's pager ignores a pager that is missing or fails: output lost)."""
    import shutil
    import subprocess

    command = os.environ.get("PAGER", "").strip() or next((name for name in ("less", "more") if shutil.which(name)), "")
    if not command:
        return False
    if not styles:
        from rich.text import Text

        text = Text.from_ansi(text).plain
    data = text.encode(getattr(sys.stdout, "encoding", None) or "utf-8", "replace")
    try:
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE)
    except OSError:
        return False
    try:
        assert process.stdin is not None
        process.stdin.write(data)
        process.stdin.close()
    except OSError:
        pass  # the pager quit before reading everything (q in less)
    while True:
        try:
            return process.wait() == 0
        except KeyboardInterrupt:
            continue  # Ctrl-C belongs to the pager, as with pydoc and git


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
