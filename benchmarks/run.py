"""Time whole `bpoterms` processes against the start-up targets, as ratios to `python -c pass`.

    .venv/bin/python benchmarks/run.py              # full run: 21 runs, 12,000 and 200,000 entries
    .venv/bin/python benchmarks/run.py --quick      # smoke run: 5 runs, 12,000 and 20,000 entries
    .venv/bin/python benchmarks/run.py --markdown   # the results table for docs/performance.md

Run it with the interpreter of the environment bpoterms is installed in: the `bpoterms` script next
to that interpreter is timed (else `python -m bpoterms`), and `python -c pass` from the same
interpreter is the baseline. Ratios rather than milliseconds make the targets portable across
machines. Every benchmark run gets a private cache folder (BPOTERMS_CACHE_DIR) and an empty config
folder, and each case is run once untimed first, which warms the cache for the warm cases.
Progress goes to stderr; the report goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from generate import ensure_glossary, probes
from timing import (
    Command,
    Series,
    appending_a_comment,
    baseline_command,
    clean_env,
    format_table,
    measure,
    memory_launcher,
    ratio,
    run_process,
)

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "out"
PARSE_SNIPPET = "import sys, yaml\nwith open(sys.argv[1], 'rb') as f:\n    yaml.load(f, Loader=yaml.CSafeLoader)"


@dataclass
class Case:
    """One timed bpoterms command and the targets it is held to (from the speed issue)."""

    id: str
    title: str
    args: list[str]
    max_ratio: float | None = None  # × python -c pass
    stretch_ratio: float | None = None
    near: tuple[str, float] | None = None  # (case id, factor): × pass at most factor × that case's
    max_peak_mib: float | None = None
    max_vs_parse: float | None = None  # rebuild case: median at most this × the YAML parse median
    max_cache_vs_yaml: float | None = None  # the largest cache file at most this × the glossary's size
    ok_codes: tuple[int, ...] = (0,)


@dataclass
class Row:
    """One line of the report."""

    case: str
    series: Series
    baseline_ms: float | None
    target: str = ""
    measured: list[str] = field(default_factory=list)
    verdict: str = "info"
    cache_ratio: float | None = None  # the cache file's size over the YAML's, for cases that check it

    @property
    def x_pass(self) -> float | None:
        return ratio(self.series.median_ms, self.baseline_ms)


def bpoterms_argv(module: bool) -> list[str]:
    """The `bpoterms` script beside this interpreter, else `python -m bpoterms`."""
    script = Path(sys.executable).parent / "bpoterms"
    if not module and script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "bpoterms"]


def bench_env(root: Path) -> dict[str, str]:
    """The user's environment without anything that changes bpoterms' output, loading or start-up."""
    env = {k: v for k, v in clean_env(root).items() if not k.startswith("BPOTERMS_")}
    for sub in ("cache", "config", "xdg-cache"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    env.update(
        BPOTERMS_CACHE_DIR=str(root / "cache"),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_CACHE_HOME=str(root / "xdg-cache"),
        COLUMNS="100",
        LINES="40",
        TERM="xterm-256color",
    )
    return env


def cases(
    medium: Path, medium_probes: dict[str, str], large: Path, large_probes: dict[str, str], medium_n: int, large_n: int
) -> list[Case]:
    m, n = f"{medium_n:,}", f"{large_n:,}"
    # Targets from issue 15 ("As fast as Python allows, at any size").
    return [
        Case(
            "builtin-define",
            "define AHT --json (built-in, warm)",
            ["define", "AHT", "--json"],
            max_ratio=2.0,
            stretch_ratio=1.6,
        ),
        Case(
            "builtin-color",
            "define AHT --color always (rich panel)",
            ["define", "AHT", "--color", "always"],
            max_ratio=4,
        ),
        Case(
            "builtin-search", 'search "handle time" --json (built-in)', ["search", "handle time", "--json"], max_ratio=3
        ),
        Case(
            "medium-define",
            f"{m} entries: define <exact term> --json",
            ["--glossary", str(medium), "define", medium_probes["term"], "--json"],
            max_ratio=2.0,
        ),
        Case(
            "medium-misspelled",
            f"{m} entries: define <misspelling> --json",
            ["--glossary", str(medium), "define", medium_probes["misspelling"], "--json"],
            max_ratio=3,
            ok_codes=(0, 1),
        ),
        Case(
            "large-define",
            f"{n} entries, warm: define <exact term> --json",
            ["--glossary", str(large), "define", large_probes["term"], "--json"],
            max_ratio=2.2,
            max_cache_vs_yaml=1.2,
        ),
        Case(
            "large-misspelled",
            f"{n} entries, warm: define <misspelling> --json",
            ["--glossary", str(large), "define", large_probes["misspelling"], "--json"],
            max_ratio=5,
            ok_codes=(0, 1),
        ),
        Case(
            "large-search",
            f'{n} entries, warm: search "handle time" --json',
            ["--glossary", str(large), "search", large_probes["search"], "--json"],
            max_ratio=6,
            max_peak_mib=300,
        ),
        Case(
            "large-unknown",
            f"{n} entries, warm: define <a phrase no entry names> --json",
            ["--glossary", str(large), "define", "credit score", "--json"],
            ok_codes=(0, 1),
        ),
        Case(
            "large-rebuild",
            f"{n} entries, first run after the file changed: define <term> --json",
            ["define", large_probes["term"], "--json"],
            max_vs_parse=0.5,
            max_peak_mib=400,
        ),
    ]


def _fmt(value: float | None, spec: str = ".1f", suffix: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{suffix}"


def evaluate(case: Case, row: Row, rows: dict[str, Row], parse_row: Row | None) -> None:
    """Fill the row's target text, measured values and verdict from the case's checks."""
    s = row.series
    if not s.ok:
        row.verdict = s.status
        row.measured = [s.message]
        row.target = _target_text(case)
        return
    checks: list[bool | None] = []
    x = row.x_pass
    if case.max_ratio is not None:
        checks.append(x is not None and x <= case.max_ratio)
        row.measured.append(f"{_fmt(x)}×")
        if case.stretch_ratio is not None and x is not None:
            row.measured.append(f"stretch {'met' if x <= case.stretch_ratio else 'missed'}")
    if case.near is not None:
        other = rows.get(case.near[0])
        rel = ratio(x, other.x_pass) if other is not None and other.series.ok else None
        checks.append(None if rel is None else rel <= case.near[1])
        row.measured.append(f"{_fmt(rel, '.2f')}× built-in")
    if case.max_peak_mib is not None:
        checks.append(s.peak_mib is not None and s.peak_mib <= case.max_peak_mib)
        row.measured.append(f"{_fmt(s.peak_mib, '.0f')} MiB")
    if case.max_vs_parse is not None:
        rel = ratio(s.median_ms, parse_row.series.median_ms) if parse_row and parse_row.series.ok else None
        checks.append(None if rel is None else rel <= case.max_vs_parse)
        row.measured.append(f"{_fmt(rel, '.2f')}× parse")
    if case.max_cache_vs_yaml is not None:
        checks.append(None if row.cache_ratio is None else row.cache_ratio <= case.max_cache_vs_yaml)
        row.measured.append(f"cache {_fmt(row.cache_ratio, '.2f')}× YAML")
    row.target = _target_text(case)
    if not checks:  # reported for comparison, held to no target
        row.verdict = "info"
    elif any(c is False for c in checks):
        row.verdict = "FAIL"
    elif any(c is None for c in checks):
        row.verdict = "N/A"
    else:
        row.verdict = "PASS"


def _target_text(case: Case) -> str:
    parts = []
    if case.max_ratio is not None:
        parts.append(f"≤ {case.max_ratio:g}×" + (f" (stretch ≤ {case.stretch_ratio:g}×)" if case.stretch_ratio else ""))
    if case.near is not None:
        parts.append(f"≤ {case.near[1]:g}× built-in")
    if case.max_peak_mib is not None:
        parts.append(f"peak ≤ {case.max_peak_mib:g} MB")
    if case.max_vs_parse is not None:
        parts.append(f"≤ {case.max_vs_parse:g}× YAML parse")
    if case.max_cache_vs_yaml is not None:
        parts.append(f"cache file ≤ {case.max_cache_vs_yaml:g}× YAML")
    return "; ".join(parts)


HEADERS = ("Case", "Runs", "Median ms", "× pass", "Peak MiB", "Target", "Measured", "Result")


def row_cells(row: Row) -> list[str]:
    s = row.series
    return [
        row.case,
        str(len(s.seconds)),
        _fmt(s.median_ms),
        _fmt(row.x_pass, ".2f", "×"),
        _fmt(s.peak_mib, ".0f"),
        row.target or "—",
        "; ".join(row.measured) or "—",
        row.verdict,
    ]


def describe_machine(bpoterms: list[str], env: dict[str, str]) -> list[str]:
    version = run_process([*bpoterms, "--version"], env, 60).stdout.decode().strip() or "unknown"
    return [
        f"{version}; Python {platform.python_version()} ({sys.executable}); {platform.system()} {platform.release()}, "
        f"{os.cpu_count()} CPUs; {time.strftime('%Y-%m-%d %H:%M')}; peak memory via {memory_launcher()}",
    ]


def progress(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, help="timed runs per case (default 21; 5 with --quick)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 5 runs and 20,000 instead of 200,000 entries")
    parser.add_argument("--markdown", action="store_true", help="print the results table in Markdown")
    parser.add_argument("--peers", action="store_true", help="also time dictd's `dict` and `sdcv` on the same data")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="run only cases whose id contains TEXT (repeatable), e.g. --only large",
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--medium", type=int, default=12_000, help="entries in the medium glossary (default 12000)")
    parser.add_argument("--large", type=int, help="entries in the large glossary (default 200000; 20000 with --quick)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a process is killed (default 120)")
    parser.add_argument(
        "--budget",
        type=float,
        default=90.0,
        help="seconds of timed runs per case; slow cases stop early, after 3 runs (default 90)",
    )
    parser.add_argument("--module", action="store_true", help="time `python -m bpoterms` instead of the script")
    parser.add_argument("--save", type=Path, metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the private cache folder (its path is printed)")
    parser.add_argument("--check", action="store_true", help="exit 1 when any case is not PASS")
    args = parser.parse_args(argv)
    runs = args.runs or (5 if args.quick else 21)
    large_n = args.large or (20_000 if args.quick else 200_000)

    root = Path(tempfile.mkdtemp(prefix="bpoterms-bench-"))
    try:
        return _run(args, runs, large_n, root)
    finally:
        if args.keep:
            progress(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def _run(args: argparse.Namespace, runs: int, large_n: int, root: Path) -> int:
    env = bench_env(root)
    bpoterms = bpoterms_argv(args.module)
    check = run_process([*bpoterms, "--version"], env, 60)
    if check.exit_code != 0:
        progress(f"cannot run {' '.join(bpoterms)}: {check.stderr.decode(errors='replace').strip()}")
        progress("run this script with the python of the environment bpoterms is installed in")
        return 2
    progress(f"glossaries in {OUT_DIR} (generated once, reused)")
    medium, medium_meta = ensure_glossary(OUT_DIR, args.medium, args.seed)
    large, large_meta = ensure_glossary(OUT_DIR, large_n, args.seed)
    all_cases = cases(medium, probes(medium_meta), large, probes(large_meta), args.medium, large_n)
    selected = [c for c in all_cases if not args.only or any(text in c.id for text in args.only)]

    baseline_samples: list[float] = []
    rows: dict[str, Row] = {}
    parse_row: Row | None = None
    order: list[Row] = []
    for case in selected:
        progress(f"{case.id}: {case.title}")
        base = baseline_command(sys.executable, env)
        if case.max_vs_parse is None:
            command = Command(case.title, [*bpoterms, *case.args], env, case.ok_codes)
            base_s, case_s = measure([base, command], runs, args.timeout, args.budget, progress=progress)
        else:
            parse_row, base_s, case_s = _measure_rebuild(case, large, bpoterms, env, root, runs, args)
            order.append(parse_row)
        baseline_samples += base_s.seconds
        rows[case.id] = Row(case.title, case_s, base_s.median_ms)
        if case.max_cache_vs_yaml is not None:
            rows[case.id].cache_ratio = _cache_ratio(root, large)
        order.append(rows[case.id])
    for case in selected:
        evaluate(case, rows[case.id], rows, parse_row)

    baseline = Series("python -c pass", baseline_samples)
    lines = [
        *describe_machine(bpoterms, env),
        f"glossaries: {medium.name} ({_mib(medium)}), {large.name} ({_mib(large)}); up to {runs} runs per case",
        f"baseline `python -c pass`: median {_fmt(baseline.median_ms)} ms over {len(baseline_samples)} runs "
        "(each case's × pass uses the baseline runs interleaved with it)",
        "",
    ]
    body = [row_cells(r) for r in order]
    print("\n".join(lines))
    print(format_table(HEADERS, body, args.markdown))
    verdicts = [r.verdict for r in order if r.verdict != "info"]
    print(
        f"\n{verdicts.count('PASS')} PASS, {len(verdicts) - verdicts.count('PASS')} not passing "
        f"({', '.join(sorted(set(verdicts) - {'PASS'})) or 'none'})"
    )

    peer_rows: list[list[str]] = []
    if args.peers:
        import peers

        print()
        peer_headers, peer_rows, notes = peers.run_peers(
            medium, medium_meta, bpoterms, env, root, runs, args.timeout, args.budget, progress
        )
        print("\n".join(notes))
        if peer_rows:
            print(format_table(peer_headers, peer_rows, args.markdown))
    if args.save:
        args.save.write_text(json.dumps(_as_json(order, baseline, peer_rows), indent=2) + "\n", encoding="utf-8")
    return 1 if args.check and any(v != "PASS" for v in verdicts) else 0


def _measure_rebuild(
    case: Case, large: Path, bpoterms: list[str], env: dict[str, str], root: Path, runs: int, args: argparse.Namespace
) -> tuple[Row, Series, Series]:
    """Round-robin: python -c pass, the YAML parse on its own, then bpoterms right after an edit.

    The edit (`appending_a_comment`) is made to a private copy of the file.
    """
    folder = root / "rebuild"
    folder.mkdir(exist_ok=True)
    copy = folder / large.name
    shutil.copyfile(large, copy)
    edit = appending_a_comment(copy)
    parse = Command("PyYAML CSafeLoader parse (own process)", [sys.executable, "-c", PARSE_SNIPPET, str(copy)], env)
    rebuild = Command(case.title, [*bpoterms, "--glossary", str(copy), *case.args], env, case.ok_codes, before=edit)
    base_s, parse_s, rebuild_s = measure(
        [baseline_command(sys.executable, env), parse, rebuild], runs, args.timeout, args.budget * 2, progress=progress
    )
    parse_row = Row(f"PyYAML CSafeLoader parse of {large.name}, own process", parse_s, base_s.median_ms)
    return parse_row, base_s, rebuild_s


def _cache_ratio(root: Path, large: Path) -> float | None:
    """The largest compiled cache in the run's cache folder (the large glossary's: the other
    glossaries are a tenth of its size or less) over the large YAML file's size."""
    caches = list((root / "cache").glob("glossary-*.sqlite3"))
    if not caches:
        return None
    biggest = max(path.stat().st_size for path in caches)
    progress(f"  cache file {biggest / 2**20:.1f} MiB for {large.stat().st_size / 2**20:.1f} MiB of YAML")
    return biggest / large.stat().st_size


def _mib(path: Path) -> str:
    return f"{path.stat().st_size / 2**20:.1f} MiB"


def _as_json(order: list[Row], baseline: Series, peer_rows: list[list[str]]) -> dict[str, object]:
    def series(s: Series) -> dict[str, object]:
        return {
            "median_ms": s.median_ms,
            "runs": len(s.seconds),
            "seconds": s.seconds,
            "peak_mib": s.peak_mib,
            "warmup_ms": None if s.warmup_seconds is None else s.warmup_seconds * 1000,
            "status": s.status,
            "message": s.message,
        }

    return {
        "baseline": series(baseline),
        "cases": [
            {
                "case": r.case,
                "x_pass": r.x_pass,
                "target": r.target,
                "measured": r.measured,
                "verdict": r.verdict,
                **series(r.series),
            }
            for r in order
        ],
        "peers": peer_rows,
    }


if __name__ == "__main__":
    sys.exit(main())
