"""Time the staffing solver in-process and `bpoterms staff` as a whole command, against issue 14's targets.

    .venv/bin/python benchmarks/staffing.py                 # full run
    .venv/bin/python benchmarks/staffing.py --quick         # fewer repetitions
    .venv/bin/python benchmarks/staffing.py --markdown      # the tables for docs/staffing.md
    .venv/bin/python benchmarks/staffing.py --pyworkforce /path/to/python3.12

In-process: the least headcount for 80/20 at 10, 100, 1,000 and 4,000 erlangs (AHT 180 s, Erlang A
patience 120 s), each solve from a fresh model (its Erlang B table included); the median of several
repetitions. Whole command: `bpoterms staff ... --json` as a fresh process, its median as a ratio to
`python -c pass` from the same interpreter in the same run, the two interleaved (benchmarks/timing.py).
Targets: the 1,000-erlang Erlang A solve ≤ 20 ms in-process, and ≤ 10× `python -c pass` as a command.

With --pyworkforce PYTHON (a Python ≥ 3.12 with pyworkforce installed; it needs 3.12, numpy, pandas and
OR-Tools), the same queues are solved by pyworkforce in that interpreter, in the same run: answers and
times side by side. pyworkforce takes AHT, ASA and patience in minutes and calls the mean wait of all
calls "average_speed_of_answer"; solves that exceed --pyworkforce-timeout are reported as such.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import bench_env, bpoterms_argv  # noqa: E402
from timing import Command, baseline_command, format_table, measure  # noqa: E402

from bpoterms.staffing import Model, Queue, Targets, solve  # noqa: E402

LOADS = (10, 100, 1000, 4000)  # erlangs
AHT, INTERVAL, PATIENCE = 180, 1800, 120
TARGETS = Targets(service_level=0.8, threshold=20)
SOLVE_TARGET_MS = 20.0  # the 1,000-erlang Erlang A solve
COMMAND_TARGET_X = 10.0

_PYWORKFORCE = r"""
import json, sys, time
from pyworkforce.queuing import ErlangA, ErlangC
load, model, timeout = float(sys.argv[1]), sys.argv[2], float(sys.argv[3])
calls = load * 30 / 3  # per 30-minute interval at 3-minute AHT
started = time.perf_counter()
if model == "erlang-c":
    result = ErlangC(transactions=calls, aht=3, asa=20 / 60, interval=30).required_positions(service_level=0.8)
else:
    result = ErlangA(transactions=calls, aht=3, asa=20 / 60, interval=30, patience=2).required_positions(
        service_level=0.8)
elapsed = time.perf_counter() - started
print(json.dumps({"agents": result["raw_positions"], "service_level": result["service_level"], "seconds": elapsed}))
"""


def queue(load: float, model: str) -> Queue:
    return Queue(load * INTERVAL / AHT, INTERVAL, AHT, model, PATIENCE if model == "erlang-a" else None)


def time_solve(load: float, model: str, repeats: int) -> tuple[float, int, float]:
    """(median ms, agents, service level) of solving from a fresh model each time."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        answer = solve(Model(queue(load, model)), TARGETS)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), answer.agents, answer.service_level


def pyworkforce_solve(python: str, load: float, model: str, timeout: float) -> dict[str, object]:
    try:
        run = subprocess.run(
            [python, "-c", _PYWORKFORCE, str(load), model, str(timeout)],
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"status": f"> {timeout:g} s (stopped)"}
    if run.returncode != 0:
        tail = (run.stderr.strip().splitlines() or ["no output"])[-1]
        return {"status": f"error: {tail[:80]}"}
    return {"status": "ok", **json.loads(run.stdout)}


def staff_args(load: float, model: str) -> list[str]:
    args = ["staff", "--calls", f"{load * INTERVAL / AHT:g}", "--aht", str(AHT), "--target", "80/20", "--json"]
    if model == "erlang-a":
        args += ["--model", "erlang-a", "--patience", f"{PATIENCE}s"]
    return args


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and command runs")
    parser.add_argument("--markdown", action="store_true", help="print the tables in Markdown")
    parser.add_argument("--runs", type=int, help="timed command runs (default 21; 7 with --quick)")
    parser.add_argument("--module", action="store_true", help="time `python -m bpoterms` instead of the script")
    parser.add_argument("--pyworkforce", metavar="PYTHON", help="a Python ≥ 3.12 with pyworkforce, to compare with")
    parser.add_argument("--pyworkforce-timeout", type=float, default=120.0, metavar="SECONDS")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    repeats = 5 if args.quick else 21
    runs = args.runs or (7 if args.quick else 21)

    solve_rows, verdicts = [], []
    for model in ("erlang-c", "erlang-a"):
        for load in LOADS:
            ms, agents, level = time_solve(load, model, repeats)
            row = [model, f"{load:,}", str(agents), f"{level:.2%}", f"{ms:.2f}"]
            if args.pyworkforce:
                theirs = pyworkforce_solve(args.pyworkforce, load, model, args.pyworkforce_timeout)
                if theirs["status"] == "ok":
                    row += [str(theirs["agents"]), f"{theirs['service_level']:.2%}", f"{theirs['seconds'] * 1000:.1f}"]
                else:
                    row += ["", "", str(theirs["status"])]
            solve_rows.append(row)
            if model == "erlang-a" and load == 1000:
                verdicts.append(("1,000-erlang Erlang A solve", f"{ms:.2f} ms", f"≤ {SOLVE_TARGET_MS:g} ms",
                                 ms <= SOLVE_TARGET_MS))  # fmt: skip
    headers = ["model", "erlangs", "agents", "SL", "solve ms (median)"]
    if args.pyworkforce:
        headers += ["pyworkforce agents", "pyworkforce SL", "pyworkforce ms"]
    print("In-process solve, 80/20, AHT 180 s, patience 120 s (Erlang A):\n")
    print(format_table(headers, solve_rows, args.markdown))

    with tempfile.TemporaryDirectory() as folder:
        env = bench_env(Path(folder))
        program = bpoterms_argv(args.module)
        commands = [baseline_command(env=env)]
        for model, load in (("erlang-c", 100), ("erlang-c", 1000), ("erlang-a", 1000), ("erlang-a", 4000)):
            commands.append(Command(f"staff {model} {load:,} erlangs", [*program, *staff_args(load, model)], env))
        series = measure(commands, runs, progress=lambda m: print(m, file=sys.stderr))
    base = series[0].median_ms
    command_rows = [[s.label, f"{s.median_ms:.1f}" if s.ok else s.status, f"{s.median_ms / base:.1f}×" if s.ok else ""]
                    for s in series]  # fmt: skip
    print(f"\nWhole command ({' '.join(program[-1:])} ... --json), median of {runs} runs:\n")
    print(format_table(["command", "median ms", "× python -c pass"], command_rows, args.markdown))
    worst = max(s.median_ms / base for s in series[1:] if s.ok)
    verdicts.append(("slowest staff command", f"{worst:.1f}× python -c pass", f"≤ {COMMAND_TARGET_X:g}×",
                     worst <= COMMAND_TARGET_X))  # fmt: skip
    print("\nTargets:\n")
    verdict_rows = [[t, m, lim, "PASS" if ok else "FAIL"] for t, m, lim, ok in verdicts]
    print(format_table(["target", "measured", "limit", "verdict"], verdict_rows, args.markdown))
    return 1 if args.check and not all(ok for *_, ok in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
