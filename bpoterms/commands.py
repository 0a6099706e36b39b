"""Command bodies shared by the typer CLI and the fast path: parsed options in, output and an exit code out.

No typer here, so the fast path can run `define` and `search` without paying for typer's
start-up; errors are raised as the core's own exceptions and worded once, by the caller.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

from . import terminal
from .boundary import EXIT_NOT_FOUND, EXIT_OK, miss_line
from .errors import QueryError
from .model import Ambiguous, Comparison, Match, NotFound

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    from typing import Any

    from .lookup import Lookup

MAX_STDIN_LINE = 10_000  # characters in one line of `define -`; no name is near that long


class Output:
    """Decided once per command: rich panels for a terminal, or plain text for pipes and files."""

    def __init__(self, rich: bool, colour: bool, tty: bool = False) -> None:
        self.rich = rich
        self.colour = colour
        self.tty = tty  # stdout is a terminal (a pager makes sense)

    @classmethod
    def decide(cls, color: str) -> Output:
        """`--color` decided once per command, by `terminal.decide`; commands ask the Output, never the terminal."""
        rich, colour, tty = terminal.decide(color)
        return cls(rich=rich, colour=colour, tty=tty)

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
