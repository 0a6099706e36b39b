"""Every other command's whole-process time, as a ratio to `python -c pass`, for one or two installs.

    .venv/bin/python benchmarks/commands.py                                   # this checkout's command
    .venv/bin/python benchmarks/commands.py --install before=/tmp/venv-before/bin/bpoterms \\
        --install after=/tmp/venv-after/bin/bpoterms --markdown                  # side by side

The speed issue (15) asks that no command lose speed while `define` and `search` gain it.
`run.py` times those two and the panel; this times the rest the same way: each run a fresh process
on the built-in glossary, interleaved with `python -c pass` from this interpreter in the same
rounds (benchmarks/timing.py), medians reported as ratios. Each install runs in a private cache and
config folder of its own (cache formats differ between versions), warmed up once, so a cache is
never being built while the clock runs. To compare versions, install each into its own virtual
environment (`python3 -m venv V && V/bin/pip install -U pip && V/bin/pip install CHECKOUT`) and
pass each one's `bpoterms`: an editable install adds import-hook work to every start-up, so it is
not compared with a regular one.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from timing import Command, appending_a_comment, baseline_command, clean_env, format_table, measure, ratio

TEAM = """terms:
  - term: Work Queue
    acronym: WQ
    definition: A named list of pending customer tickets assigned to one team.
"""
EMAIL = """Hi team, last week's SLA report shows AHT up 40 seconds and FCR down two points.
Service level was 74/20 against the 80/20 target, and abandonment rate hit 9% on Monday.
Can WFM re-run the Erlang C forecast with the new shrinkage and share the revised staffing
plan before the QBR? The client also asked about CSAT and NPS by channel, and whether the
IVR containment rate changed after the new call flow went live.
"""


class Case(NamedTuple):
    label: str
    arguments: list[str]
    ok_codes: tuple[int, ...] = (0,)  # exit codes that count as success
    before: Callable[[], None] | None = None  # run before every timed run, outside the clock


def cases(folder: Path) -> list[Case]:
    """Each command timed."""
    team = folder / "team.yaml"
    team.write_text(TEAM, encoding="utf-8")
    edited = folder / "edited.yaml"
    edited.write_text(TEAM, encoding="utf-8")
    email = folder / "email.txt"
    email.write_text(EMAIL, encoding="utf-8")
    return [
        # Each run is a team's first lookup after an edit: it compiles the team's layer over the
        # built-in one and writes a new answers file.
        Case(
            "-g edited.yaml define AHT, after an edit",
            ["-g", str(edited), "define", "AHT"],
            before=appending_a_comment(edited),
        ),
        Case("-g team.yaml define WQ --json", ["-g", str(team), "define", "WQ", "--json"]),
        Case("--version", ["--version"]),
        Case("--help", ["--help"]),
        Case("define AHT FCR ASA --json", ["define", "AHT", "FCR", "ASA", "--json"]),
        Case("list", ["list"]),
        Case("list --json", ["list", "--json"]),
        Case("random --seed 2026 --json", ["random", "--seed", "2026", "--json"]),
        Case("sources", ["sources"]),
        Case("categories", ["categories"]),
        Case("validate team.yaml", ["validate", str(team)]),
        Case("explain email.txt", ["explain", str(email)]),
        Case("export --format markdown", ["export", "--format", "markdown"]),
        Case("export --format html -o page.html", ["export", "--format", "html", "-o", str(folder / "page.html")]),
        Case("quiz --seed 1 --count 2 --json (no answers)", ["quiz", "--seed", "1", "--count", "2", "--json"], (0, 1)),
        Case(
            "staff --calls 100 --aht 180 --target 80/20 --json",
            ["staff", "--calls", "100", "--aht", "180", "--target", "80/20", "--json"],
        ),
        Case(
            "calc AHT talk=12000 hold=1500 acw=3000 handled=100 --json",
            ["calc", "AHT", "talk=12000", "hold=1500", "acw=3000", "handled=100", "--json"],
        ),
        Case("cache info", ["cache", "info"]),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--install",
        action="append",
        default=[],
        metavar="NAME=COMMAND",
        help="an install to time, by name and the path of its bpoterms command (repeatable; default: "
        "this checkout's .venv/bin/bpoterms)",
    )
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (default 15)")
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    parser.add_argument(
        "--only", action="append", default=[], metavar="TEXT", help="time only commands whose label contains TEXT"
    )
    args = parser.parse_args(argv)
    installs = [tuple(spec.split("=", 1)) for spec in args.install if "=" in spec]
    if len(installs) != len(args.install):
        parser.error("--install takes NAME=COMMAND")
    if not installs:
        installs = [("this checkout", str(Path(__file__).resolve().parent.parent / ".venv" / "bin" / "bpoterms"))]

    with tempfile.TemporaryDirectory(prefix="bpoterms-commands-") as root:
        folder = Path(root)
        env = clean_env(folder)
        baseline = baseline_command(sys.executable, env)
        envs = {}
        for name, _command in installs:
            envs[name] = dict(
                env, BPOTERMS_CACHE_DIR=str(folder / f"cache-{name}"), XDG_CONFIG_HOME=str(folder / "config")
            )
        headers = ["Command", *(f"× pass, {name}" for name, _ in installs)]
        body = []
        passes = []
        for label, arguments, ok_codes, before in cases(folder):
            if args.only and not any(text in label for text in args.only):
                continue
            sys.stderr.write(f"{label}\n")
            timed = [baseline] + [
                Command(f"{name}: {label}", [command, *arguments], envs[name], ok_codes, before=before)
                for name, command in installs
            ]
            series = measure(timed, args.runs, budget=120.0)
            passes.append(series[0].median_ms or 0.0)
            row = [label]
            for each in series[1:]:
                value = ratio(each.median_ms, series[0].median_ms)
                row.append(f"{value:.2f}×" if value is not None else f"{each.status}: {each.message}")
            body.append(row)
        print(f"Python {sys.version.split()[0]} ({sys.executable}); up to {args.runs} runs per command")
        print(f"`python -c pass` median per command: {min(passes):.1f}–{max(passes):.1f} ms")
        print()
        print(format_table(headers, body, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
