"""Time whole processes and read each one's own peak memory, interleaved with a baseline.

Shared by run.py, facts.py and peers.py. A command's cost is what a person waits for: interpreter
start, imports, loading and printing. So every measurement is a fresh process, and each is compared
with `python -c pass` from the same interpreter, run in alternation with it so that machine noise
(frequency scaling, other load) hits both alike.

Peak memory is measured in separate runs through a small launcher, never read from the timed runs:
on Linux a child's max RSS starts at its parent's (fork copies the counters, vfork and exec carry the
parent's high-water mark over), so `os.wait4` or `getrusage(RUSAGE_CHILDREN)` in this Python process
would report at least this process's own peak, which after generating a large glossary is hundreds of
MB. GNU `/usr/bin/time` (about 1 MB) is the launcher when present; otherwise a minimal Python one,
whose own 8–10 MB then become the floor of every figure.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

OUTPUT_LIMIT = 64 * 1024  # bytes of stdout/stderr kept per run, for checks and error messages
GNU_TIME = "/usr/bin/time"
# Fallback launcher: spawn argv[2:], wait, write the child's max RSS (KiB) to the file argv[1].
_LAUNCHER = (
    "import os, sys\n"
    "pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status) & 255)\n"
)


@dataclass(frozen=True)
class Run:
    """One finished (or killed) process."""

    seconds: float
    max_rss_kib: int
    exit_code: int | None  # None when killed for taking too long
    stdout: bytes = b""
    stderr: bytes = b""

    @property
    def timed_out(self) -> bool:
        return self.exit_code is None


def memory_launcher() -> str:
    """Which tool measures peak memory: GNU time if it is installed, else the Python fallback."""
    return GNU_TIME if os.access(GNU_TIME, os.X_OK) else "python launcher"


def peak_rss_kib(argv: Sequence[str], env: dict[str, str] | None = None, timeout: float = 120.0) -> Run:
    """Run argv once through the memory launcher; the Run's max_rss_kib is the command's own peak."""
    with tempfile.TemporaryDirectory() as folder:
        report = os.path.join(folder, "rss")
        if memory_launcher() == GNU_TIME:
            wrapped = [GNU_TIME, "-f", "%M", "-o", report, *argv]
        else:
            wrapped = [sys.executable, "-I", "-S", "-c", _LAUNCHER, report, *argv]
        run = run_process(wrapped, env, timeout)
        try:
            with open(report, encoding="utf-8") as f:
                lines = f.read().split()
            kib = int(lines[-1]) if lines else 0
        except (OSError, ValueError):
            kib = 0
        exit_code = run.exit_code
        if kib == 0 and exit_code == 0:
            exit_code = -1  # the launcher itself failed
        return Run(run.seconds, kib, exit_code, run.stdout, run.stderr)


def run_process(
    argv: Sequence[str], env: dict[str, str] | None = None, timeout: float = 120.0, cwd: str | None = None
) -> Run:
    """Run argv to completion (killed after `timeout` seconds) and time it.

    The Run's max_rss_kib is what wait4 reports, which includes this process's own peak (see the
    module docstring); use `peak_rss_kib` for memory.

    Output goes to temporary files rather than pipes, so a chatty child never blocks on a full pipe
    and the parent does no reading while the clock runs.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=cwd)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        err.seek(0)
        return Run(
            seconds=elapsed,
            max_rss_kib=int(usage.ru_maxrss),  # KiB on Linux
            exit_code=None if killed.is_set() else proc.returncode,
            stdout=out.read(OUTPUT_LIMIT),
            stderr=err.read(OUTPUT_LIMIT),
        )


@dataclass
class Command:
    """One thing to time: argv, environment, the exit codes that count as success, and an untimed set-up."""

    label: str
    argv: list[str]
    env: dict[str, str] | None = None
    ok_codes: tuple[int, ...] = (0,)
    before: Callable[[], None] | None = None  # runs before every execution, outside the clock
    keep_stdout: bool = False  # keep each timed run's stdout (for children that report their own timings)


@dataclass
class Series:
    """The timed runs of one command: durations, peak memory, and why it stopped if it did."""

    label: str
    seconds: list[float] = field(default_factory=list)
    max_rss_kib: int = 0
    status: str = "ok"  # ok, TIMEOUT or ERROR
    message: str = ""
    warmup_seconds: float | None = None
    stdouts: list[bytes] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok" and bool(self.seconds)

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.seconds) * 1000 if self.seconds else None

    @property
    def peak_mib(self) -> float | None:
        return self.max_rss_kib / 1024 if self.max_rss_kib else None


def _execute(command: Command, timeout: float, memory: bool = False) -> Run:
    if command.before is not None:
        command.before()
    if memory:
        return peak_rss_kib(command.argv, command.env, timeout)
    return run_process(command.argv, command.env, timeout)


def _failure(command: Command, run: Run, timeout: float) -> tuple[str, str] | None:
    if run.timed_out:
        return "TIMEOUT", f"killed after {timeout:g} s"
    if run.exit_code not in command.ok_codes:
        tail = run.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["(no stderr)"]
        return "ERROR", f"exit {run.exit_code}: {tail[0][:200]}"
    return None


def measure(
    commands: Sequence[Command],
    runs: int,
    timeout: float = 120.0,
    budget: float = 90.0,
    min_runs: int = 3,
    progress: Callable[[str], None] | None = None,
    memory_runs: int = 2,
) -> list[Series]:
    """Warm each command up once, run them round-robin `runs` times (fewer if slow), then measure memory.

    A round is one run of every command, so a baseline placed first in the list is measured between
    every two runs of the others. Rounds stop early once `min_runs` are done and another would take
    the timed rounds past `budget` seconds (the warm-up is not counted: it may be building a cache);
    a command that times out or fails is dropped from later rounds and reported as such. Peak memory
    is the largest of `memory_runs` extra runs through the memory launcher (one when rounds are slow).
    """
    series = [Series(c.label) for c in commands]
    live = list(range(len(commands)))
    for i in list(live):
        run = _execute(commands[i], timeout)
        series[i].warmup_seconds = run.seconds
        failed = _failure(commands[i], run, timeout)
        if failed:
            series[i].status, series[i].message = failed
            live.remove(i)
    timed = last_round = 0.0
    done = 0
    while done < runs and (done < min_runs or timed + last_round <= budget):
        if len(commands) > 1 and len(live) <= 1:
            break  # nothing left to compare with
        if progress is not None and last_round > 5:
            progress(f"  round {done + 1} (the last took {last_round:.0f} s)")
        started = time.perf_counter()
        for i in list(live):
            run = _execute(commands[i], timeout)
            failed = _failure(commands[i], run, timeout)
            if failed:
                series[i].status, series[i].message = failed
                live.remove(i)
                continue
            series[i].seconds.append(run.seconds)
            if commands[i].keep_stdout:
                series[i].stdouts.append(run.stdout)
        last_round = time.perf_counter() - started
        timed += last_round
        done += 1
    for _ in range(1 if last_round > 5 else memory_runs):
        for i in live:
            run = _execute(commands[i], timeout, memory=True)
            if run.exit_code in commands[i].ok_codes:
                series[i].max_rss_kib = max(series[i].max_rss_kib, run.max_rss_kib)
    return series


# Variables that would make the measured processes unlike a user's: no bytecode cache, import
# tracing, debug allocators, forced colour.
DROPPED_ENV = (
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONPROFILEIMPORTTIME",
    "PYTHONDEVMODE",
    "PYTHONTRACEMALLOC",
    "PYTHONMALLOC",
    "PYTHONINSPECT",
    "PYTHONVERBOSE",
    "NO_COLOR",
    "FORCE_COLOR",
)


def clean_env(root: str | os.PathLike[str]) -> dict[str, str]:
    """The current environment, minus DROPPED_ENV, with bytecode cached under `root/pycache`.

    A user's installed package has its .pyc files (pip compiles them at install). A private
    PYTHONPYCACHEPREFIX gives every measured process that state after one warm-up run, whatever
    the source tree's own __pycache__ holds, and writes nothing into the source tree.
    """
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(os.fspath(root), "pycache")
    return env


def appending_a_comment(path: Path) -> Callable[[], None]:
    """An edit to run before each timed run (`Command.before`): a comment line appended to the file,
    so its content, size and mtime all change but not its entries, and any cache keyed on them must
    be rebuilt."""
    edits = iter(range(1, 1_000_000))

    def edit() -> None:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"# benchmark edit {next(edits)}\n")

    return edit


def baseline_command(python: str = sys.executable, env: dict[str, str] | None = None) -> Command:
    """`python -c pass`: the floor every start-up is compared with."""
    return Command("python -c pass", [python, "-c", "pass"], env)


def ratio(value_ms: float | None, reference_ms: float | None) -> float | None:
    if value_ms is None or not reference_ms:
        return None
    return value_ms / reference_ms


def format_table(headers: Sequence[str], body: Sequence[Sequence[str]], markdown: bool) -> str:
    """An aligned plain-text table, or a Markdown one for the docs."""
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |" for cells in body]
        return "\n".join(lines)
    widths = [max(len(h), *(len(cells[i]) for cells in body)) if body else len(h) for i, h in enumerate(headers)]
    rows = [list(headers), ["-" * w for w in widths], *[list(cells) for cells in body]]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip() for cells in rows)
