"""The `browse` and `mcp` commands: thin typer front ends to bpoterms/browse.py and bpoterms/mcp_server.py.

A typer module beside cli.py, which calls `register(app)`. prompt_toolkit and the mcp SDK are
imported only inside these commands, so no other command's start-up pays for them; when one is
missing the command says which package to install, in one line, and exits 2.
"""

from __future__ import annotations

import shlex
import sys
from enum import Enum
from typing import Annotated, Any, NoReturn

import typer

from .boundary import EXIT_INTERRUPTED, EXIT_NOT_FOUND, EXIT_USAGE, error_line
from .commands import Output
from .errors import BpotermsError


def register(app: typer.Typer) -> None:
    """Add `browse` and `mcp` to the bpoterms app."""
    app.command("browse")(browse)
    app.command("mcp")(mcp)


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    error_line(message)
    raise typer.Exit(code)


def _missing(exc: ImportError, package: str, extra: str, command: str) -> NoReturn:
    """One line naming what to install, when `package` (not something else) failed to import."""
    if exc.name is not None and exc.name.split(".")[0] != package:
        raise exc
    _fail(f"{command} needs the {package} package, which is not installed: pip install 'bpoterms[{extra}]'")


def _glossary(ctx: typer.Context) -> Any:
    """What the global options name (--glossary, --no-builtin, --no-cache), as every command loads it."""
    from .glossary import open_glossary

    settings = ctx.obj
    try:
        return open_glossary(
            list(getattr(settings, "glossaries", [])),
            getattr(settings, "include_builtin", True),
            getattr(settings, "use_cache", True),
        )
    except BpotermsError as exc:
        _fail(str(exc), exc.exit_code)


class Color(str, Enum):  # the members of terminal.COLOR_CHOICES (tests/test_browse.py checks)
    auto = "auto"
    always = "always"
    never = "never"


class PrintWhat(str, Enum):
    entry = "entry"
    term = "term"


# ---------------------------------------------------------------- browse


def browse(
    ctx: typer.Context,
    category: Annotated[
        str | None, typer.Option("--category", "-c", help="Only entries in this category (see `bpoterms categories`).")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only entries quoting this source id (see `bpoterms sources`).")
    ] = None,
    print_: Annotated[
        PrintWhat,
        typer.Option(
            "--print",
            case_sensitive=False,
            help="What Enter prints: the entry as `define` shows it, or only its term "
            "(quoted when it has spaces, so `| xargs bpoterms define` reads one term).",
        ),
    ] = PrintWhat.entry,
    color: Annotated[
        Color,
        typer.Option(
            "--color",
            case_sensitive=False,
            help="Colour: auto (a terminal without NO_COLOR), always, or never (also plain in the finder).",
        ),
    ] = Color.auto,
) -> None:
    """Find an entry interactively when you do not know its name: type to filter, Enter to print it.

    Filtering ranks as `define` and `search` do (names, acronyms and aliases, then definitions),
    with the matching letters highlighted and the selected entry previewed. Up/Down or
    Ctrl-P/Ctrl-N move, PageUp/PageDown jump, Enter prints the entry and exits 0, Esc or Ctrl-C
    quits with exit 130. The finder draws on the terminal even when stdout is a pipe; without a
    terminal it exits 2. Takes the same filters and glossaries as `list`.

    Examples:

      bpoterms browse

      bpoterms browse --category metrics

      bpoterms browse --print term | xargs bpoterms define --sources

      bpoterms --glossary team.yaml browse --source team
    """
    try:
        from . import browse as finder
    except ImportError as exc:
        _missing(exc, "prompt_toolkit", "browse", "browse")
    glossary = _glossary(ctx)
    entries = None
    if category is not None or source is not None:
        try:
            entries = glossary.filtered(category=category, source=source)
        except BpotermsError as exc:
            _fail(str(exc), exc.exit_code)
        if not entries:
            _fail("no entries to browse (the filters match nothing)", EXIT_NOT_FOUND)
    title = " ".join(f"{name}: {value}" for name, value in (("category", category), ("source", source)) if value)
    out = Output.decide(color.value)
    try:
        chosen = finder.browse(
            glossary,
            entries,
            category=category,
            narrow=source is not None,
            colour=color.value != "never",
            title=title,
        )
    except BpotermsError as exc:
        _fail(str(exc), exc.exit_code)
    if chosen is None:
        raise typer.Exit(EXIT_INTERRUPTED)
    if print_ is PrintWhat.term:
        from .plain import safe

        term = safe(chosen.term)
        sys.stdout.write((shlex.quote(term) if _needs_quotes(term) else term) + "\n")
        return
    from .commands import print_results
    from .model import Match

    print_results([Match(chosen, chosen.term, "exact", 100.0)], glossary, out, sources=False, brief=False)


def _needs_quotes(term: str) -> bool:
    """xargs splits on blanks and reads quotes and backslashes: such a term goes out shell-quoted."""
    return any(ch.isspace() or ch in "'\"\\" for ch in term)


# ---------------------------------------------------------------- mcp


def mcp(ctx: typer.Context) -> None:
    """Serve the loaded glossaries to AI assistants: a Model Context Protocol server on stdin/stdout.

    An MCP client (Claude Desktop, VS Code, any other) starts this command and calls its tools:
    define (terms, acronyms, questions; homonyms and misses answered as `define --json` does),
    search, explain (the jargon in a text) and staff (Erlang C/A staffing). Results are the
    documented JSON shapes (docs/json.md). The glossaries are the CLI's: --glossary,
    BPOTERMS_GLOSSARY and the config folder, re-read when a file changes. Needs the optional
    mcp package: pip install 'bpoterms[mcp]'. Runs until the client disconnects.

    Examples:

      bpoterms mcp

      bpoterms --glossary ~/team/glossary.yaml mcp
    """
    from .glossary import Reloading

    settings = ctx.obj
    glossaries = Reloading(
        list(getattr(settings, "glossaries", [])),
        getattr(settings, "include_builtin", True),
        getattr(settings, "use_cache", True),
    )
    try:
        glossaries.get()  # a broken file is reported at once, before the SDK's second of imports
    except BpotermsError as exc:
        _fail(str(exc), exc.exit_code)
    try:
        from . import mcp_server
    except ImportError as exc:
        _missing(exc, "mcp", "mcp", "mcp")
    try:
        server = mcp_server.build_server(glossaries)
    except BpotermsError as exc:
        _fail(str(exc), exc.exit_code)
    if sys.stdin is not None and sys.stdin.isatty():
        sys.stderr.write("bpoterms: serving MCP on stdin/stdout; an MCP client starts this command (Ctrl-C stops)\n")
    server.run("stdio")
