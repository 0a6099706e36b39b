"""The console-script entry: a typer-free route for the commands people run dozens of times a day.

Importing typer and building its command tree costs several times Python's own start-up, so
plain `define` and `search` invocations are parsed here; anything else (help, completion,
other commands, an option this parser does not know, a malformed value) goes to the typer CLI
in `cli.py`, which owns every usage message. Both routes run the same bodies in `commands.py`,
inside the same error boundary (`boundary.finish`).

A `define` of one name as it is written in the glossary is answered first from the answers file
(`answers.py`): output that `commands.run_define` printed earlier for that query, stored after a
full-route `define` opened the same glossary. This module imports only `os`, `sys` and those
two small modules until it knows the answer is not stored.
"""

from __future__ import annotations

import os
import sys

from . import __version__, answers, places, terminal, version_line
from .boundary import finish

# Every subcommand's name; tests/test_fastpath.py checks it against the typer app. A first word
# that is none of these is a term: `bpoterms AHT` means `bpoterms define AHT`.
COMMAND_NAMES = frozenset(
    ("define", "search", "list", "random", "sources", "categories", "validate", "cache", "export", "explain", "quiz",
     "staff", "calc", "browse", "mcp")
)  # fmt: skip
_GLOBAL_OPTIONS_WITH_VALUES = ("--glossary", "-g")
ANSWERS_FORMAT = 1  # bump when what decides an answers file's validity changes
# A larger glossary gets an empty answers file: rendering every name would cost more than it saves.
ANSWERS_MAX_ENTRIES = 25_000


def with_implicit_define(argv: list[str]) -> list[str]:
    """`bpoterms AHT` → `bpoterms define AHT`, after any global options; anything else unchanged."""
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        i += 2 if argv[i] in _GLOBAL_OPTIONS_WITH_VALUES else 1
    if i < len(argv) and argv[i] not in COMMAND_NAMES:
        return [*argv[:i], "define", *argv[i:]]
    return argv


class FastCall:
    """The parsed options of one fast `define` or `search` (a plain class: no dataclass import cost)."""

    def __init__(self, command: str, **options: object) -> None:
        self.command = command
        self.glossaries: list[str] = []
        self.include_builtin = True
        self.use_cache = True
        self.words: list[str] = []
        self.json_out = False
        self.sources = False
        self.brief = False
        self.color = "auto"
        self.limit = 10
        self.category: str | None = None
        self.strategy = "fuzzy"
        for name, value in options.items():
            if not hasattr(self, name):
                raise TypeError(f"unknown option {name}")
            setattr(self, name, value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FastCall) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"FastCall({vars(self)!r})"


_DEFINE_FLAGS = {"--json": "json_out", "--sources": "sources", "-s": "sources", "--brief": "brief", "-b": "brief"}
_SEARCH_VALUES = {"--limit": "limit", "-n": "limit", "--category": "category", "-c": "category", "--match": "strategy",
                  "-m": "strategy", "--color": "color"}  # fmt: skip


def parse(argv: list[str]) -> FastCall | None:
    """A FastCall for the simple forms of `define` and `search`, else None (the typer CLI decides)."""
    args = list(argv)
    globals_: dict[str, object] = {"glossaries": [], "include_builtin": True, "use_cache": True}
    while args and args[0].startswith("-"):
        flag = args.pop(0)
        if flag == "--no-builtin":
            globals_["include_builtin"] = False
        elif flag == "--no-cache":
            globals_["use_cache"] = False
        elif flag in ("--glossary", "-g") and args:
            globals_["glossaries"].append(args.pop(0))  # type: ignore[attr-defined]
        elif flag.startswith("--glossary=") and len(flag) > len("--glossary="):
            globals_["glossaries"].append(flag.split("=", 1)[1])  # type: ignore[attr-defined]
        else:
            return None
    if not args or args[0] not in ("define", "search"):
        return None
    call = FastCall(args.pop(0), **globals_)  # type: ignore[arg-type]
    values = {"--color": "color"} if call.command == "define" else _SEARCH_VALUES
    while args:
        token = args.pop(0)
        name, _, inline = token.partition("=") if token.startswith("--") else (token, "", "")
        if call.command == "define" and token in _DEFINE_FLAGS:
            setattr(call, _DEFINE_FLAGS[token], True)
        elif call.command == "search" and token == "--json":
            call.json_out = True
        elif name in values:
            value = inline if inline else (args.pop(0) if args else None)
            if value is None or not _accept(call, values[name], value):
                return None
        elif (token == "-" and call.command == "define") or not token.startswith("-"):
            call.words.append(token)
        else:
            return None  # --help, --, unknown options: the full CLI explains
    if not call.words or (call.command == "search" and len(call.words) != 1):
        return None
    return call


def _accept(call: FastCall, attribute: str, value: str) -> bool:
    if attribute == "color":
        if value.lower() not in terminal.COLOR_CHOICES:
            return False
        call.color = value.lower()
    elif attribute == "strategy":
        from .ranking import MATCH_STRATEGIES

        if value.lower() not in MATCH_STRATEGIES:
            return False
        call.strategy = value.lower()
    elif attribute == "limit":
        if not (value.isascii() and value.isdigit()) or int(value) < 1:  # `²` is a digit to isdigit()
            return False
        call.limit = int(value)
    else:
        call.category = value
    return True


def run(call: FastCall) -> int:
    stored = _stored_answer(call)
    if stored is not None:
        status, code, text = stored
        if status == answers.HIT:
            sys.stdout.write(text)
            return code
    from .commands import run_define, run_search
    from .glossary import open_glossary

    glossary = open_glossary(call.glossaries, call.include_builtin, call.use_cache)
    if call.command == "search":
        return run_search(
            glossary, call.words[0], limit=call.limit, category=call.category, strategy=call.strategy,
            json_out=call.json_out, color=call.color,
        )  # fmt: skip
    code = run_define(
        glossary, call.words, json_out=call.json_out, sources=call.sources, brief=call.brief, color=call.color
    )
    if stored is not None and stored[0] == answers.STALE:
        sys.stdout.flush()  # the answer is out before the answers file is written
        try:
            _remember(call)
        except Exception:  # a cache that could not be written must not fail an answered lookup
            if os.environ.get("BPOTERMS_DEBUG"):
                raise
    return code


def _answerable(call: FastCall) -> bool:
    """One query, the cache allowed, and output the answers file holds (JSON, or plain text)."""
    return (
        call.command == "define"
        and call.use_cache
        and len(call.words) == 1
        and call.words[0] != "-"
        and not (call.sources or call.brief)
        and (call.json_out or not terminal.decide(call.color)[0])
    )


def _answers_path(call: FastCall) -> tuple[str, str] | None:
    """(the answers file, the inputs it must have been made for), or None without a cache folder."""
    folder = places.cache_folder()
    if folder is None:
        return None
    env = os.environ
    listed = [*call.glossaries, *(env.get("BPOTERMS_GLOSSARY") or "").split(os.pathsep)]
    relative = any(item.strip() and not os.path.isabs(os.path.expanduser(item)) for item in listed)
    inputs = repr(
        (ANSWERS_FORMAT, __version__, sys.version_info[:2], call.include_builtin, call.glossaries,
         env.get("BPOTERMS_GLOSSARY", ""), env.get("XDG_CONFIG_HOME", ""), env.get("HOME", ""),
         os.getcwd() if relative else "")
    )  # fmt: skip
    return os.path.join(folder, answers.file_name(inputs)), inputs


def _stored_answer(call: FastCall) -> tuple[int, int, str] | None:
    """What the answers file says for this call; None when the call is not one it could hold."""
    if not _answerable(call):
        return None
    where = _answers_path(call)
    if where is None:
        return None
    path, inputs = where
    return answers.read(path, inputs, call.words[0], call.json_out)


def _checks(call: FastCall) -> list[tuple[str, answers.Stat]]:
    """Every file and folder whose change could change an answer, with its stat now: the glossary
    files, the folders and names that discovery consulted, and bpoterms's own modules."""
    from .glossary import discover
    from .paths import builtin_path, user_config_dir

    package = os.path.dirname(os.path.abspath(__file__))
    consulted = [os.path.join(package, name) for name in sorted(os.listdir(package)) if name.endswith(".py")]
    if call.include_builtin:
        consulted.append(str(builtin_path()))
    config = user_config_dir()
    if config is not None:
        consulted.append(str(config))
    for item in [*(os.environ.get("BPOTERMS_GLOSSARY") or "").split(os.pathsep), *call.glossaries]:
        if item.strip():
            consulted.append(os.path.abspath(os.path.expanduser(item)))
    consulted += [str(path) for path in discover(call.glossaries, call.include_builtin).paths]
    return [(path, answers.stat_of(path)) for path in consulted]


def _remember(call: FastCall) -> None:
    """Write the answers file for this call's glossary: what `run_define` prints for each name.

    Best effort: an unwritable or unsafe cache folder, or a file that changed meanwhile, only
    means the next lookup takes the full route again.
    """
    import contextlib
    import io
    from pathlib import Path

    from .commands import run_define
    from .glossary import open_glossary
    from .lookup import resolve
    from .model import Match, NotFound
    from .serialize import match_member
    from .store import safe_folder

    where = _answers_path(call)
    if where is None:
        return
    path, inputs = where
    if not safe_folder(Path(path).parent):
        return
    checks = _checks(call)
    glossary = open_glossary(call.glossaries, call.include_builtin, True)
    small = len(glossary) <= ANSWERS_MAX_ENTRIES  # a larger glossary gets an empty answers file
    if small:
        glossary.read_every_key()  # every name is about to be resolved

    def printed(query: str, json_out: bool) -> tuple[int, str, str]:
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err = io.StringIO(), io.StringIO()
        try:
            code = run_define(glossary, [query], json_out=json_out, sources=False, brief=False, color="never")
        finally:
            sys.stdout, sys.stderr = saved
        return code, out.getvalue(), err.getvalue()

    def printed_both(query: str) -> tuple[int, str, str] | None:
        """(exit code, JSON text, plain text), or None when the two forms differ in code or write to stderr."""
        json_code, json_text, json_err = printed(query, True)
        plain_code, plain_text, plain_err = printed(query, False)
        return (json_code, json_text, plain_text) if json_code == plain_code and not (json_err or plain_err) else None

    stored: dict[str, tuple[int, str, str, str]] = {}
    # An entry's JSON document differs between its names only in its last member, `match`, and its
    # plain text not at all: both are printed once an entry, and the layout of `match` is checked
    # against that printed document before it is reused for the entry's other names.
    reusable: dict[int, tuple[int, str, str] | None] = {}  # entry number: (code, JSON head, plain text)
    entries = glossary.entries if small else ()
    for number, entry in enumerate(entries):
        for name in entry.names():
            forms = {name, name.lower(), name.upper()} if name == entry.acronym else {name, name.lower()}
            for query in sorted(forms):
                if query in stored or query != query.strip():
                    continue
                result = resolve(glossary, query)
                if isinstance(result, NotFound):
                    continue
                if isinstance(result, Match) and result.entry == entry:
                    if number not in reusable:
                        both, tail = printed_both(query), match_member(result)
                        fits = both is not None and both[1].endswith(tail)
                        reusable[number] = (both[0], both[1][: -len(tail)], both[2]) if both and fits else None
                    reused = reusable[number]
                    if reused is not None:
                        code, head, plain_text = reused
                        stored[query] = (code, head, match_member(result), plain_text)
                        continue
                both = printed_both(query)
                if both is not None:
                    stored[query] = (both[0], both[1], "", both[2])
    if _checks(call) == checks:
        with contextlib.suppress(OSError):
            answers.write(path, inputs, checks, stored)


def _print_version() -> int:
    sys.stdout.write(version_line())
    return 0


def main() -> None:
    """`bpoterms`: the fast route when it applies, the full typer CLI otherwise."""
    if sys.argv[1:] == ["--version"]:  # what scripts and installers ask: no need to build the typer app
        finish(_print_version)
    if not os.environ.get("_BPOTERMS_COMPLETE"):
        sys.argv[1:] = with_implicit_define(sys.argv[1:])
    call = None if os.environ.get("_BPOTERMS_COMPLETE") else parse(sys.argv[1:])
    if call is None:
        from .cli import main as full_cli

        full_cli()
        return
    finish(lambda: run(call))


def script() -> None:
    """The `bpoterms` console script and `python -m bpoterms`: `main`, then leave without teardown.

    Why: by the time a command has printed, the interpreter holds all it loaded (a large glossary's
    word index; rapidfuzz's, typer's and rich's modules), and freeing it object by object at exit
    took 5.5 ms of a 56 ms misspelling at 200,000 entries and some 13 ms of every typer command
    (benchmarks/run.py and commands.py; docs/performance.md). Nothing is left to do by then: the
    files a command writes (the cache, the answers file, an export) are closed and renamed into
    place before its body returns. So once stdout and stderr are flushed the process leaves with
    `os._exit`, unless another thread is alive or an exit handler is registered (what a normal exit
    would still run), the status is not a number, or a flush fails: then it exits the usual way.
    `main` itself always raises SystemExit, so tests and callers that run it in process are
    unaffected.
    """
    try:
        main()
    except SystemExit as exit_:
        code = 0 if exit_.code is None else exit_.code
        if not isinstance(code, int) or not _nothing_left_to_finish():
            raise
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:  # None: Python started with that descriptor closed
                    stream.flush()
        except (OSError, ValueError):
            raise exit_ from None
        os._exit(code)


def _nothing_left_to_finish() -> bool:
    """No other thread is alive and no exit handler is registered (`atexit` counts them in CPython;
    elsewhere, assume some are)."""
    import atexit

    count_handlers = getattr(atexit, "_ncallbacks", None)
    if count_handlers is None or count_handlers() != 0:
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1
