"""The `bpoterms` command: parse arguments, call the core, pick a renderer, map errors to exit codes.

The typer app; staff_cli.py and extra_cli.py add their commands to it (the three are the only typer
users). Core errors become one line and an exit code at one boundary, the app's group; the command
bodies shared with the fast route are in commands.py. Exit codes are listed in the README.

Size: one short function per typer command, each with its help text and examples; the logic
they call lives in the core.
"""

from __future__ import annotations

import os
import random as random_module
import shlex
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from . import version_line
from .boundary import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, error_line, finish, miss_line
from .commands import Output, emit_json, page, run_define, run_search
from .commands import rich_renderers as _render
from .errors import BpotermsError
from .model import Entry


class _ErrorBoundary(TyperGroup):
    """The typer route's one error boundary: any core error a command raises becomes one line on
    stderr and its exit code here, so commands never catch them (the fast route's is `finish`)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BpotermsError as exc:
            error_line(str(exc))
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_ErrorBoundary,
    name="bpoterms",
    help="Look up BPO and contact-center jargon, offline: AHT, FCR, CCaaS, T&M, F&A and 700 more.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
cache_app = typer.Typer(help="Inspect or clear the compiled glossary cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")
__import__("bpoterms.staff_cli", fromlist=["register"]).register(app)  # staff, calc: bpoterms/staff_cli.py
__import__("bpoterms.extra_cli", fromlist=["register"]).register(app)  # browse, mcp: bpoterms/extra_cli.py


# Typer wants Enums for choices. Written out so type checkers see the members;
# tests/test_fastpath.py checks them against the core's own lists (COLOR_CHOICES, MATCH_STRATEGIES).


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class Strategy(str, Enum):
    fuzzy = "fuzzy"
    exact = "exact"
    prefix = "prefix"
    substring = "substring"
    word = "word"
    regex = "regex"


@dataclass
class Settings:
    """Global options, given before the command."""

    glossaries: list[str] = field(default_factory=list)
    include_builtin: bool = True
    use_cache: bool = True


# ---------------------------------------------------------------- output plumbing


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """The one place typer commands report errors: one line on stderr, then the exit code."""
    error_line(message)
    raise typer.Exit(code)


def _glossary(ctx: typer.Context) -> Any:
    """Load what the global options name; every core error becomes one line and exit 2."""
    from .glossary import open_glossary

    settings: Settings = ctx.obj or Settings()
    return open_glossary(settings.glossaries, settings.include_builtin, settings.use_cache)


def _filtered(ctx: typer.Context, category: str | None, source: str | None) -> tuple[Any, list[Entry]]:
    """The loaded glossary and its entries in a category and/or quoting a source (unknown names: exit 2)."""
    glossary = _glossary(ctx)
    return glossary, glossary.filtered(category=category, source=source)


JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout (see docs/json.md).")]
ColorOpt = Annotated[
    Color,
    typer.Option(
        "--color",
        help="Colour and panels: auto (a terminal without NO_COLOR), always, or never (plain text).",
        case_sensitive=False,
    ),
]
CategoryOpt = Annotated[
    str | None, typer.Option("--category", "-c", help="Only entries in this category (see `bpoterms categories`).")
]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(version_line())
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_callback(
    ctx: typer.Context,
    glossary: Annotated[
        list[str] | None,
        typer.Option(
            "--glossary",
            "-g",
            metavar="PATH",
            help="Also load this glossary file or folder (repeatable; later ones take precedence).",
        ),
    ] = None,
    no_builtin: Annotated[bool, typer.Option("--no-builtin", help="Leave the built-in glossary out.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the compiled cache.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """bpoterms: a glossary of business process outsourcing and contact-center jargon.

    Examples:

      bpoterms define AHT

      bpoterms define "what is nps" --json | jq -r .definition

      bpoterms search queue --limit 5
    """
    ctx.obj = Settings(list(glossary or []), not no_builtin, not no_cache)


# ---------------------------------------------------------------- define


def _complete_term(ctx: typer.Context, incomplete: str) -> Iterator[str]:
    """Shell completion: term names and acronyms starting with what has been typed."""
    from .glossary import open_glossary
    from .normalize import fold

    try:
        glossary = open_glossary([], True, True)
    except BpotermsError:
        return
    wanted = fold(incomplete.strip("'\""))
    # bash inserts a candidate as typed, so a multi-word name must arrive quoted; zsh and fish quote it themselves
    quote = "bash" in os.environ.get("_BPOTERMS_COMPLETE", "")
    for entry in glossary.entries:
        for name in dict.fromkeys((entry.acronym, entry.term)):
            if name and fold(name).startswith(wanted):
                yield shlex.quote(name) if quote and " " in name else name


@app.command()
def define(
    ctx: typer.Context,
    terms: Annotated[
        list[str],
        typer.Argument(
            help="Terms, acronyms or questions to look up; '-' reads one per line from stdin.",
            autocompletion=_complete_term,
            show_default=False,
        ),
    ],
    json_out: JsonOpt = False,
    sources: Annotated[
        bool, typer.Option("--sources", "-s", help="Show what each source says, in its own words.")
    ] = False,
    brief: Annotated[bool, typer.Option("--brief", "-b", help="One line per entry: term — definition.")] = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Define one or more terms: exact names, acronyms, aliases, plurals, questions, misspellings.

    Exits 0 when every term was found, 1 when any was not (the found ones are still printed).

    Examples:

      bpoterms define AHT

      bpoterms define "t&m" KPIs "what does SLA mean"

      bpoterms define abandonmnet rate --json

      printf 'AHT\\nFCR\\n' | bpoterms define - --brief
    """
    glossary = _glossary(ctx)
    code = run_define(glossary, terms, json_out=json_out, sources=sources, brief=brief, color=color.value)
    raise typer.Exit(code)


# ---------------------------------------------------------------- search


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to look for in names, acronyms, aliases and definitions.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many results.")] = 10,
    category: CategoryOpt = None,
    match: Annotated[
        Strategy,
        typer.Option(
            "--match",
            "-m",
            help="How to match: fuzzy (ranked), or exact, prefix, substring, word, regex.",
            case_sensitive=False,
        ),
    ] = Strategy.fuzzy,
    json_out: JsonOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Search every entry and rank the matches; shows the score and which field matched.

    Exits 0 with results, 1 with none.

    Examples:

      bpoterms search "handle time"

      bpoterms search payroll --category services

      bpoterms search '^call' --match regex --json | jq -r '.[].term'
    """
    glossary = _glossary(ctx)
    code = run_search(
        glossary, query, limit=limit, category=category, strategy=match.value, json_out=json_out, color=color.value
    )
    raise typer.Exit(code)


# ---------------------------------------------------------------- list, random


@app.command("list")
def list_entries(
    ctx: typer.Context,
    category: CategoryOpt = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only entries quoting this source id (see `bpoterms sources`).")
    ] = None,
    json_out: JsonOpt = False,
    pager: Annotated[bool, typer.Option("--pager/--no-pager", help="Page long output on a terminal.")] = True,
    color: ColorOpt = Color.auto,
) -> None:
    """List entries alphabetically (term, acronym, category).

    Examples:

      bpoterms list --category metrics

      bpoterms list --source unity --json | jq length
    """
    glossary, entries = _filtered(ctx, category, source)
    if json_out:
        from .serialize import entries_list

        emit_json(entries_list(entries, glossary))
        return
    from . import plain

    out = Output.decide(color.value)
    if out.rich and pager and out.tty:
        # less shows colour only with -R; like git, default to LESS=FRX and keep a user's own LESS.
        os.environ.setdefault("LESS", "FRX")
        console = out.console()
        with console.capture() as captured:
            console.print(_render().list_table(entries))
        drawn = captured.get()
        if not page(drawn, styles=out.colour and "R" in os.environ["LESS"].upper()):
            sys.stdout.write(drawn)  # no pager, or it failed: the output is never lost
        return
    out.print(plain.list_text(entries), lambda: _render().list_table(entries))


@app.command("random")
def random_entry(
    ctx: typer.Context,
    category: CategoryOpt = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Pick reproducibly: the same seed gives the same entry.")
    ] = None,
    json_out: JsonOpt = False,
    brief: Annotated[bool, typer.Option("--brief", "-b", help="One line: term — definition.")] = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Show one entry at random: a term of the day.

    Examples:

      bpoterms random --category workforce

      bpoterms random --seed 2026 --json
    """
    glossary, entries = _filtered(ctx, category, None)
    if not entries:
        fail("no entries to choose from", EXIT_NOT_FOUND)
    entry: Entry = random_module.Random(seed).choice(entries)
    if json_out:
        from .serialize import entry_dict

        emit_json(entry_dict(entry, glossary))
        return
    from . import plain

    out = Output.decide(color.value)
    if brief:
        out.print(plain.brief_text(entry), lambda: _render().brief_line(entry))
    else:
        out.print(plain.entry_text(entry, glossary), lambda: _render().entry_panel(entry, glossary))


# ---------------------------------------------------------------- sources, categories


@app.command()
def sources(ctx: typer.Context, json_out: JsonOpt = False, color: ColorOpt = Color.auto) -> None:
    """List the sources entries quote, with entry counts, and every loaded glossary file.

    Example:

      bpoterms sources --json | jq '.sources[] | {id, entries}'
    """
    glossary = _glossary(ctx)
    counts: Counter[str] = Counter(source for e in glossary.entries for source in {q.source for q in e.sources})
    rows = [(s, counts[s.id]) for s in glossary.sources.values() if counts[s.id]]
    if json_out:
        from .serialize import file_dict, source_dict

        emit_json({"sources": [source_dict(s, n) for s, n in rows], "files": [file_dict(f) for f in glossary.files]})
        return
    from . import plain

    Output.decide(color.value).print(
        plain.sources_text(rows, glossary.files), lambda: _render().sources_tables(rows, glossary.files)
    )


@app.command()
def categories(ctx: typer.Context, json_out: JsonOpt = False, color: ColorOpt = Color.auto) -> None:
    """List the categories with their entry counts.

    Example:

      bpoterms categories
    """
    glossary = _glossary(ctx)
    counts = Counter(e.category for e in glossary.entries)
    rows = [(c, counts[c.id]) for c in glossary.categories.values()]
    if json_out:
        from .serialize import category_dict

        emit_json([category_dict(c, n) for c, n in rows])
        return
    from . import plain

    Output.decide(color.value).print(plain.categories_text(rows), lambda: _render().categories_table(rows))


# ---------------------------------------------------------------- cache


@cache_app.command("info")
def cache_info(json_out: JsonOpt = False) -> None:
    """Show where the compiled cache lives and what it holds.

    Example:

      bpoterms cache info
    """
    from . import store
    from .serialize import cache_dict

    listing = store.cache_listing()
    data = cache_dict(listing, store.FORMAT)
    if json_out:
        emit_json(data)
        return
    from .plain import safe

    folder = (
        safe(data["folder"]) if listing.folder else "none (no home folder: set XDG_CACHE_HOME or BPOTERMS_CACHE_DIR)"
    )
    lines = [f"cache folder: {folder}", f"cache files: {len(listing.files)}"]
    lines += [f"  {safe(f['path'])}  ({f['bytes']} bytes)" for f in data["files"]]
    if listing.unfinished:
        lines.append(f"unfinished builds: {len(listing.unfinished)} (removed after 5 minutes, or by `cache clear`)")
        lines += [f"  {safe(f['path'])}  ({f['bytes']} bytes)" for f in data["unfinished"]]
    sys.stdout.write("\n".join(lines) + "\n")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every compiled cache file; the next run rebuilds what it needs.

    Example:

      bpoterms cache clear
    """
    from . import store

    removed = store.clear_cache()
    sys.stdout.write(f"removed {removed} cache file{'s' if removed != 1 else ''}\n")


# ---------------------------------------------------------------- validate


@app.command()
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files or folders to check (default: everything that would be loaded).", show_default=False
        ),
    ] = None,
    json_out: JsonOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Check glossary files; one line per problem as FILE:LINE:COLUMN: severity: message.

    Exits 0 when clean, 1 when any problem (error or warning) is found.

    Examples:

      bpoterms validate team.yaml

      bpoterms validate --json | jq '.[] | select(.severity == "error")'
    """
    from .glossary import validate as run_validate
    from .paths import GlossarySpec, _expand, discover, tidy

    settings: Settings = ctx.obj or Settings()
    spec = discover(settings.glossaries, settings.include_builtin)
    report: set[str] | None = None
    if paths:  # report only these files, but resolve their names against everything loaded
        files = [p for item in paths for p in _expand(tidy(os.path.expanduser(item)), explicit=True)]
        spec = GlossarySpec(tuple(dict.fromkeys((*spec.paths, *files))), spec.include_builtin)
        report = {str(p) for p in files}
    problems = [p for p in run_validate(spec, settings.use_cache) if report is None or p.file in report]
    if json_out:
        from .serialize import problem_dict

        emit_json([problem_dict(p) for p in problems])
    elif problems:
        from . import plain

        Output.decide(color.value).print(plain.problems_text(problems), lambda: _render().problems_text(problems))
    raise typer.Exit(EXIT_NOT_FOUND if problems else EXIT_OK)


# ---------------------------------------------------------------- export


class ExportFormat(str, Enum):
    markdown = "markdown"
    csv = "csv"
    anki = "anki"
    json = "json"
    html = "html"


class GroupBy(str, Enum):
    category = "category"
    alpha = "alpha"


@app.command()
def export(
    ctx: typer.Context,
    format_: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            show_default=False,
            help="markdown, csv, anki, json or html (default: from the --output suffix, else markdown).",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE atomically instead of stdout."),
    ] = None,
    category: CategoryOpt = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only entries quoting this source id (see `bpoterms sources`).")
    ] = None,
    group_by: Annotated[
        GroupBy,
        typer.Option("--group-by", case_sensitive=False, help="Sections for markdown and html: category or alpha."),
    ] = GroupBy.category,
    title: Annotated[
        str | None, typer.Option("--title", help="Heading of the markdown and html documents.", show_default=False)
    ] = None,
) -> None:
    """Export the loaded glossaries (built-in plus yours) as Markdown, CSV, Anki notes, JSON or one HTML page.

    Takes the same filters as `list`. With -o the file is replaced atomically (never half-written);
    a confirmation goes to stderr. See docs/export.md.

    Examples:

      bpoterms export --format markdown -o GLOSSARY.md

      bpoterms export -o glossary.html --title "Team glossary"

      bpoterms --glossary team.yaml export -f csv -c metrics > metrics.csv

      bpoterms export --format anki -o bpoterms-anki.txt
    """
    from . import export as exporter
    from .glossary import loaded_paths

    fmt = exporter.choose_format(format_.value if format_ is not None else None, output)
    glossary, entries = _filtered(ctx, category, source)
    if not entries:
        fail("no entries to export (the filters match nothing)", EXIT_NOT_FOUND)
    document = exporter.build_document(fmt, entries, glossary, group_by=group_by.value, title=title)
    if output is None or output == "-":
        sys.stdout.write(document)
        return
    settings: Settings = ctx.obj or Settings()
    exporter.write_atomic(output, document, protect=loaded_paths(settings.glossaries, settings.include_builtin))
    from .plain import safe

    noun = "entry" if len(entries) == 1 else "entries"
    sys.stderr.write(f"bpoterms: wrote {len(entries)} {noun} ({fmt}) to {safe(output)}\n")


# ---------------------------------------------------------------- explain, quiz


def _explain_source(file: str | None, text: str | None) -> str:
    """The text to explain: --text, a file, or standard input ('-', or piped with no FILE)."""
    from .explain import check_input, read_input

    if text is not None and file is not None:
        fail("give either FILE or --text, not both")
    if text is not None:
        return check_input(text, "--text")
    if file is None or file == "-":
        stdin = sys.stdin
        if stdin is None:
            fail("nothing to explain: there is no standard input")
        if file is None and stdin.isatty():
            fail("nothing to explain: give a FILE, '-' for standard input, or --text")
        return read_input(None, stdin)
    return read_input(file)


@app.command()
def explain(
    ctx: typer.Context,
    file: Annotated[
        str | None,
        typer.Argument(
            help="Text file to explain; '-' (or no FILE with piped input) reads standard input.", show_default=False
        ),
    ] = None,
    text: Annotated[str | None, typer.Option("--text", "-t", help="Explain this text instead of a file.")] = None,
    annotate: Annotated[
        bool,
        typer.Option(
            "--annotate",
            "-a",
            help="Print the text itself, each term highlighted (terminal) or followed by [its expansion].",
        ),
    ] = False,
    json_out: JsonOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Find the glossary terms and acronyms in a text: a client email, an SLA, a QA report.

    Lists each term once, in order of first appearance, with its one-line definition and how
    often it occurs, then the all-capital words no loaded glossary knows (hints for a team
    glossary). Acronyms match only in capitals; everyday words such as Client or Agent only when
    capitalised mid-sentence. See docs/explain-and-quiz.md. Exits 0 when a term was found, 1 when none.

    Examples:

      bpoterms explain client-email.txt

      bpoterms explain --text "Our AHT rose and FCR fell" --annotate

      cat report.txt | bpoterms explain --json | jq -r '.terms[].term'

      bpoterms --glossary team.yaml explain notes.txt
    """
    from .explain import explain as run_explain
    from .plain import explain_annotated_text, explain_summary_text
    from .serialize import explanation_dict

    if annotate and json_out:
        fail("--annotate and --json cannot be combined")
    source = _explain_source(file, text)
    glossary = _glossary(ctx)
    result = run_explain(source, glossary.entries)
    if json_out:
        emit_json(explanation_dict(result))
    else:
        out = Output.decide(color.value)
        if annotate:
            out.print(explain_annotated_text(result), lambda: _render().explain_annotated(result))
        elif result.terms or result.unknown_acronyms:
            out.print(explain_summary_text(result), lambda: _render().explain_summary(result))
        if not result.terms:
            miss_line("no glossary terms found")
    raise typer.Exit(EXIT_OK if result.terms else EXIT_NOT_FOUND)


class QuizMode(str, Enum):
    acronym = "acronym"
    term = "term"
    choice = "choice"


def _quiz_reader(out: Any, json_out: bool) -> Any:
    """Answers line by line from stdin (so it runs without a terminal); Rich prompts on a terminal."""
    stdin = sys.stdin
    if stdin is None:
        return lambda: None
    if out.rich and not json_out and stdin.isatty():
        from rich.prompt import Prompt
        from rich.text import Text

        console = out.console()

        def ask_rich() -> str | None:
            try:
                return Prompt.ask(Text("answer", style="bold"), console=console, default="", show_default=False)
            except EOFError:
                return None

        return ask_rich

    def ask_plain() -> str | None:
        if stdin.isatty() and not json_out:
            sys.stdout.write("> ")
            sys.stdout.flush()
        line = stdin.readline()
        return line.rstrip("\r\n") if line else None

    return ask_plain


@app.command()
def quiz(
    ctx: typer.Context,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="How many questions to ask.")] = 10,
    category: CategoryOpt = None,
    mode: Annotated[
        QuizMode,
        typer.Option(
            "--mode",
            "-m",
            case_sensitive=False,
            help="acronym: expand an acronym; term: name the term a definition describes; choice: pick it from four.",
        ),
    ] = QuizMode.acronym,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Ask the same questions in the same order every time.")
    ] = None,
    json_out: JsonOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """A flashcard drill for training: acronyms, definitions, or multiple choice.

    Answers are read line by line from standard input, so it runs without a terminal too. Typed
    answers are graded leniently (case, punctuation, small typos, Handle/Handling); the right
    answer is shown after each question. '?' skips; an empty line or the end of input stops early.
    Ends with the score and the missed terms. With --json only the result document is printed.

    Examples:

      bpoterms quiz

      bpoterms quiz --mode choice --category metrics --count 5

      printf 'Average Handle Time\\nFirst Call Resolution\\n' | bpoterms quiz --seed 1 --count 2 --json
    """
    from .plain import quiz_feedback_text, quiz_question_text, quiz_summary_text
    from .quiz import Result, answer, build_quiz
    from .serialize import quiz_result_dict

    glossary = _glossary(ctx)
    drill = build_quiz(glossary, count=count, mode=mode.value, category=category, seed=seed)
    out = Output.decide(color.value)
    ask = _quiz_reader(out, json_out)
    total = len(drill.questions)
    answers = []
    for question in drill.questions:
        if not json_out:
            out.print(quiz_question_text(question, total), lambda: _render().quiz_question(question, total))  # noqa: B023 (drawn at once, inside the loop)
        line = ask()
        if line is None or not line.strip():
            break
        graded = answer(question, line)
        answers.append(graded)
        if not json_out:
            out.print(quiz_feedback_text(graded), lambda: _render().quiz_feedback(graded))  # noqa: B023 (drawn at once, inside the loop)
    outcome = Result(drill, tuple(answers))
    if json_out:
        emit_json(quiz_result_dict(outcome))
        return
    if not out.rich:
        sys.stdout.write("\n")
    out.print(quiz_summary_text(outcome), lambda: _render().quiz_summary(outcome))


# ---------------------------------------------------------------- entry point


def main() -> None:
    """Console-script entry for everything the fast route leaves to typer."""
    finish(_run_typer)


def _run_typer() -> int:
    """Typer's own outcomes as exit codes; `finish` handles the rest."""
    try:
        rv = app(prog_name="bpoterms", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.TyperException as exc:  # click's usage errors: already worded for people
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            error_line(str(exc))
        return getattr(exc, "exit_code", EXIT_USAGE)
    except typer.Abort:
        raise KeyboardInterrupt from None
    return rv if isinstance(rv, int) else EXIT_OK
