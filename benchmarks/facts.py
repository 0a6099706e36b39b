"""Measure the facts the start-up design rests on, rather than assuming them.

    python benchmarks/facts.py                                   # import costs, YAML vs json/marshal
    python benchmarks/facts.py --typer-python /tmp/typer-0.27.3/bin/python \\
                               --typer-python /tmp/typer-0.29.2/bin/python --only typer
    python benchmarks/facts.py --only floors                    # each route beside its unavoidable imports

Four questions: what each heavy import costs (`yaml`, `rapidfuzz`, `rich.console`, `typer`),
how close each common command comes to the imports it cannot do without (its floor),
what a trivial six-command typer app costs to start under each typer version (each installed in a
throwaway venv; see docs/performance.md), and how slow and memory-hungry PyYAML's C loader is on a
large glossary compared with loading the same data from JSON or marshal, which is what decides
whether a compiled cache is worth having. Every number is a whole process or is measured inside a
fresh one, and peak memory is that process's own max RSS.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from generate import ensure_glossary
from timing import Command, Series, baseline_command, clean_env, format_table, measure, ratio, run_process

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "out"
MODULES = ("yaml", "rapidfuzz", "rich.console", "typer", "bpoterms.cli")
LOADERS = {
    "PyYAML CSafeLoader": "import yaml\nwith open(path, 'rb') as f:\n    yaml.load(f, Loader=yaml.CSafeLoader)",
    "json": "import json\nwith open(path, 'rb') as f:\n    json.load(f)",
    "marshal": "import marshal\nwith open(path, 'rb') as f:\n    marshal.load(f)",
}
# The child times only the load (imports included), and prints seconds; the parent times the process.
TIMED = (
    "import sys, time\npath = sys.argv[1]\nstarted = time.perf_counter()\n{body}\nprint(time.perf_counter() - started)"
)


def _fmt(value: float | None, spec: str = ".1f") -> str:
    return "—" if value is None else f"{value:{spec}}"


def _progress(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# ---------------------------------------------------------------- imports


def importtime_us(python: str, module: str, env: dict[str, str], repeats: int = 5) -> float | None:
    """Median cumulative microseconds `-X importtime` reports for the module itself (after a warm-up)."""
    pattern = re.compile(r"import time:\s*\d+\s*\|\s*(\d+)\s*\|\s*(.+)$")
    values = []
    run_process([python, "-c", f"import {module}"], env, timeout=60)
    for _ in range(repeats):
        run = run_process([python, "-X", "importtime", "-c", f"import {module}"], env, timeout=60)
        for line in run.stderr.decode("utf-8", "replace").splitlines():
            found = pattern.match(line)
            if found and found.group(2).strip() == module:
                values.append(int(found.group(1)))
    return statistics.median(values) if values else None


def import_costs(python: str, env: dict[str, str], runs: int, markdown: bool) -> str:
    """Per module: extra process time over `python -c pass` (interleaved), and -X importtime's figure."""
    body = []
    for module in MODULES:
        _progress(f"import {module}")
        base, imp = measure(
            [baseline_command(python, env), Command(f"import {module}", [python, "-c", f"import {module}"], env)], runs
        )
        if not imp.ok:
            body.append([f"import {module}", "—", "—", "—", "—", imp.message])
            continue
        extra = (imp.median_ms or 0) - (base.median_ms or 0)
        cumulative = importtime_us(python, module, env)
        x_pass = ratio(imp.median_ms, base.median_ms)
        body.append(
            [
                f"`import {module}`",
                _fmt(imp.median_ms),
                _fmt(extra),
                _fmt(x_pass, ".2f"),
                _fmt(cumulative / 1000 if cumulative else None),
                _fmt(imp.peak_mib, ".0f"),
            ]
        )
    headers = ("Command", "Process ms", "Over `python -c pass` ms", "× pass", "-X importtime cumulative ms", "Peak MiB")
    return format_table(headers, body, markdown)


# ---------------------------------------------------------------- floors

# Each route's floor: a process that only imports what the route cannot do without. The launcher
# a current installer writes (pip 25.0 and later, uv) imports only `sys` before bpoterms runs; older
# pips' launchers also import `re`. An exact define reads one answer from a file; any other lookup
# reads the compiled SQLite cache (the extension alone, its blocks deflated), remembers normalised
# names (functools) and writes JSON with json's C string encoder; a misspelling or a search scores
# names with rapidfuzz (which imports `re` and `typing` itself); a panel is drawn by rich.
_CACHE = "_sqlite3, zlib, _json"
FLOORS = (
    ("define AHT --json (exact, answers file)", "import sys", ["define", "AHT", "--json"]),
    ("define AHT --json --sources (exact, full route)", f"import functools, {_CACHE}",
     ["define", "AHT", "--json", "--sources"]),
    ("define abandonmnet --json (misspelling)", f"import rapidfuzz, {_CACHE}", ["define", "abandonmnet", "--json"]),
    ('search "handle time" --json', f"import rapidfuzz, {_CACHE}", ["search", "handle time", "--json"]),
    ("define AHT --color always (panel)", "import rich.console, rich.panel, _sqlite3, zlib",
     ["define", "AHT", "--color", "always"]),
)  # fmt: skip


def bpoterms_argv(python: str) -> list[str]:
    """The `bpoterms` script installed beside this interpreter (what a user runs)."""
    return [str(Path(python).parent / "bpoterms")]


def floors(python: str, env: dict[str, str], runs: int, markdown: bool) -> str:
    """Per route: the command, the floor process, both as × pass, and what is left above the floor."""
    body = []
    for label, floor_code, args in FLOORS:
        _progress(label)
        base, floor, command = measure(
            [
                baseline_command(python, env),
                Command(f"floor: {floor_code}", [python, "-c", floor_code], env),
                Command(label, [*bpoterms_argv(python), *args], env, ok_codes=(0, 1)),
            ],
            runs,
        )
        floor_x = ratio(floor.median_ms, base.median_ms)
        command_x = ratio(command.median_ms, base.median_ms)
        above = None if floor_x is None or command_x is None else command_x - floor_x
        body.append(
            [
                label,
                f"`{floor_code}`",
                _fmt(floor_x, ".2f"),
                _fmt(command_x, ".2f"),
                _fmt(above, ".2f"),
                _fmt(base.median_ms),
            ]
        )
    headers = ("Command", "Floor process", "floor × pass", "command × pass", "above the floor", "pass ms")
    return format_table(headers, body, markdown)


# ---------------------------------------------------------------- typer


def typer_startup(pythons: Sequence[str], env: dict[str, str], runs: int, markdown: bool) -> str:
    """The trivial app's `define` command and `--help`, per interpreter (one typer version each)."""
    app = str(HERE / "typer_startup.py")
    body = []
    for python in pythons:
        version = run_process([python, "-c", "import typer; print(typer.__version__)"], timeout=60)
        label = f"typer {version.stdout.decode().strip() or '?'}"
        _progress(label)
        commands = [
            baseline_command(python, env),
            Command(f"{label}: define AHT --json", [python, app, "define", "AHT", "--json"], env),
            Command(f"{label}: --help", [python, app, "--help"], env),
        ]
        base, run, helped = measure(commands, runs)
        for series in (run, helped):
            body.append(
                [
                    series.label,
                    _fmt(series.median_ms),
                    _fmt(base.median_ms),
                    _fmt(ratio(series.median_ms, base.median_ms), ".2f") + "×",
                    _fmt(series.peak_mib, ".0f"),
                ]
            )
    return format_table(("Command", "Median ms", "`python -c pass` ms", "× pass", "Peak MiB"), body, markdown)


# ---------------------------------------------------------------- YAML vs json/marshal


def converted(yaml_path: Path) -> tuple[Path, Path]:
    """JSON and marshal copies of the glossary's data, made once (in a child, to keep this process small)."""
    json_path, marshal_path = yaml_path.with_suffix(".json"), yaml_path.with_suffix(".marshal")
    fresh = all(p.is_file() and p.stat().st_mtime >= yaml_path.stat().st_mtime for p in (json_path, marshal_path))
    if not fresh:
        script = (
            "import json, marshal, sys, yaml\n"
            "with open(sys.argv[1], 'rb') as f:\n    data = yaml.load(f, Loader=yaml.CSafeLoader)\n"
            "with open(sys.argv[2], 'w', encoding='utf-8') as f:\n    json.dump(data, f, ensure_ascii=False)\n"
            "with open(sys.argv[3], 'wb') as f:\n    marshal.dump(data, f)\n"
        )
        argv = [sys.executable, "-c", script, str(yaml_path), str(json_path), str(marshal_path)]
        run = run_process(argv, timeout=600)
        if run.exit_code != 0:
            raise SystemExit(f"converting {yaml_path} failed: {run.stderr.decode(errors='replace')[-500:]}")
    return json_path, marshal_path


def load_costs(sizes: Sequence[int], seed: int, env: dict[str, str], runs: int, timeout: float, markdown: bool) -> str:
    body = []
    for size in sizes:
        _progress(f"loading {size:,} entries")
        yaml_path, _meta = ensure_glossary(OUT_DIR, size, seed)
        json_path, marshal_path = converted(yaml_path)
        files = {"PyYAML CSafeLoader": yaml_path, "json": json_path, "marshal": marshal_path}
        commands = [baseline_command(sys.executable, env)]
        commands += [
            Command(name, [sys.executable, "-c", TIMED.format(body=LOADERS[name]), str(path)], env, keep_stdout=True)
            for name, path in files.items()
        ]
        base, *loads = measure(commands, runs, timeout, budget=240, progress=_progress)
        yaml_ms = _inner_ms(loads[0])
        for series, path in zip(loads, files.values(), strict=True):
            inner = _inner_ms(series)
            x_pass = ratio(series.median_ms, base.median_ms)
            body.append(
                [
                    f"{size:,} entries: {series.label}",
                    f"{path.stat().st_size / 2**20:.1f}",
                    str(len(series.seconds)),
                    _fmt(inner),
                    _fmt(series.median_ms),
                    _fmt(x_pass, ".1f") + "×",
                    _fmt(series.peak_mib, ".0f"),
                    _fmt(ratio(inner, yaml_ms), ".3f"),
                ]
            )
    headers = ("Load", "File MiB", "Runs", "Load ms (in process)", "Process ms", "× pass", "Peak MiB", "× YAML load")
    return format_table(headers, body, markdown)


def _inner_ms(series: Series) -> float | None:
    values = [float(out.decode().strip()) * 1000 for out in series.stdouts if out.strip()]
    return statistics.median(values) if values else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only",
        choices=("imports", "floors", "typer", "load"),
        action="append",
        help="measure only these sections (repeatable; default all)",
    )
    parser.add_argument(
        "--typer-python",
        action="append",
        default=[],
        metavar="PYTHON",
        help="an interpreter with one typer version installed (repeatable)",
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[12_000, 200_000], help="glossary sizes to load")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=21, help="runs per start-up measurement (default 21)")
    parser.add_argument("--load-runs", type=int, default=5, help="runs per load measurement (default 5)")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    sections = set(args.only or ("imports", "floors", "typer", "load"))
    print(f"Python {sys.version.split()[0]} ({sys.executable})\n")
    with tempfile.TemporaryDirectory(prefix="bpoterms-facts-") as root:
        env = clean_env(root)
        if "imports" in sections:
            print("Import costs\n")
            print(import_costs(sys.executable, env, args.runs, args.markdown) + "\n")
        if "floors" in sections:
            print("Each route beside its floor (the imports it cannot do without)\n")
            print(floors(sys.executable, env, args.runs, args.markdown) + "\n")
        if "typer" in sections:
            if args.typer_python:
                print("Typer start-up (benchmarks/typer_startup.py)\n")
                print(typer_startup(args.typer_python, env, args.runs, args.markdown) + "\n")
            else:
                print("Typer start-up: skipped (give --typer-python for each version to compare)\n")
        if "load" in sections:
            print("Loading the same glossary data: YAML vs json vs marshal\n")
            print(load_costs(args.sizes, args.seed, env, args.load_runs, args.timeout, args.markdown) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
