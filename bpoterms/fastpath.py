"""The console-script entry: a typer-free route for the commands people run dozens of times a day.

Importing typer and building its command tree costs several times Python's own start-up, so
plain `define` and `search` invocations are parsed here; anything else (help, completion,
other commands, an option this parser does not know, a malformed value) goes to the typer CLI
in `cli.py`, which owns every usage message. Both routes run the same bodies in `commands.py`.
"""

from __future__ import annotations

import os
import sys

from .commands import COLOR_CHOICES, finish, with_implicit_define
from .ranking import MATCH_STRATEGIES


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
        if value.lower() not in COLOR_CHOICES:
            return False
        call.color = value.lower()
    elif attribute == "strategy":
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
    from .commands import run_define, run_search
    from .glossary import open_glossary

    glossary = open_glossary(call.glossaries, call.include_builtin, call.use_cache)
    if call.command == "define":
        return run_define(
            glossary, call.words, json_out=call.json_out, sources=call.sources, brief=call.brief, color=call.color
        )
    return run_search(
        glossary, call.words[0], limit=call.limit, category=call.category, strategy=call.strategy,
        json_out=call.json_out, color=call.color,
    )  # fmt: skip


def main() -> None:
    """`bpoterms`: the fast route when it applies, the full typer CLI otherwise."""
    if not os.environ.get("_BPOTERMS_COMPLETE"):
        sys.argv[1:] = with_implicit_define(sys.argv[1:])
    call = None if os.environ.get("_BPOTERMS_COMPLETE") else parse(sys.argv[1:])
    if call is None:
        from .cli import main as full_cli

        full_cli()
        return
    finish(lambda: run(call))
