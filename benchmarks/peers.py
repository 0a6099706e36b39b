"""`run.py --peers`: the same lookups with dictd's `dict` client and with `sdcv`, on the same data.

These are the classic Unix dictionary programs; they set the bar for what "instant" means for a
terminal lookup. The glossary is converted by convert.py (dictd via `dictfmt`, StarDict by its own
writer); the dictd server runs on 127.0.0.1 on a free port for the duration and is stopped after.
A tool that is not installed is reported and skipped (Debian: dictd dict dictfmt sdcv).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from convert import read_records, write_dictd, write_stardict
from generate import probes
from timing import Command, baseline_command, measure, ratio

HEADERS = ("Tool", "Query", "Runs", "Median ms", "× pass", "Peak MiB", "Exit codes accepted")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_dictd(folder: Path, index: Path, data: Path) -> tuple[subprocess.Popen[bytes], int] | None:
    """A private dictd on 127.0.0.1, or None when it does not answer within a few seconds."""
    port = _free_port()
    config = folder / "dictd.conf"
    config.write_text(
        f'global {{\n  listen_to 127.0.0.1\n  port {port}\n  pid_file "{folder / "dictd.pid"}"\n}}\n'
        f'database bpoterms {{\n  data "{data}"\n  index "{index}"\n}}\n',
        encoding="utf-8",
    )
    server = subprocess.Popen(
        ["dictd", "-c", str(config), "-d", "nodetach"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server, port
        except OSError:
            if server.poll() is not None:
                return None
            time.sleep(0.05)
    _stop(server)
    return None


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def run_peers(
    glossary: Path,
    meta: dict[str, object],
    bpoterms: list[str],
    env: dict[str, str],
    root: Path,
    runs: int,
    timeout: float,
    budget: float,
    progress: Callable[[str], None],
) -> tuple[tuple[str, ...], list[list[str]], list[str]]:
    """Table headers, rows and notes comparing bpoterms, sdcv and dict on one glossary."""
    queries = probes(meta)
    notes = [f"Peers on {glossary.name} ({meta['entries']:,} entries; bpoterms with --no-builtin, same data)"]
    have_sdcv = shutil.which("sdcv") is not None
    have_dictd = all(shutil.which(tool) for tool in ("dictd", "dict", "dictfmt"))
    if not have_sdcv:
        notes.append("sdcv: not installed, skipped (apt-get install sdcv)")
    if not have_dictd:
        notes.append("dictd: dictd, dict or dictfmt not installed, skipped (apt-get install dictd dict dictfmt)")
    if not (have_sdcv or have_dictd):
        return HEADERS, [], notes

    folder = root / "peers"
    folder.mkdir(exist_ok=True)
    for path in (root, folder):
        path.chmod(0o755)  # dictd drops root privileges and must still read its files
    progress("peers: converting the glossary")
    records = read_records(glossary)
    server = None
    tools: list[tuple[str, list[str], tuple[int, ...]]] = [
        ("bpoterms", [*bpoterms, "--no-builtin", "--glossary", str(glossary), "define"], (0, 1)),
    ]
    if have_sdcv:
        write_stardict(records, folder / "stardict" / "bpoterms", "bpoterms")
        tools.append(("sdcv", ["sdcv", "-n", "-x", "-0", "-1", "-2", str(folder / "stardict")], (0, 1, 2)))
    try:
        if have_dictd:
            index, data = write_dictd(records, folder / "dictd" / "bpoterms", "bpoterms")
            started = _start_dictd(folder, index, data)
            if started is None:
                notes.append("dictd: the server did not start, skipped")
            else:
                server, port = started
                tools.append(
                    (
                        "dict (dictd on 127.0.0.1)",
                        ["dict", "-h", "127.0.0.1", "-p", str(port), "-d", "bpoterms"],
                        (0, 20, 21),
                    )
                )
        rows: list[list[str]] = []
        for kind, key in (("exact term", "term"), ("acronym", "acronym"), ("misspelling", "misspelling")):
            query = queries.get(key)
            if not query:
                continue
            progress(f"peers: {kind} {query!r}")
            commands = [baseline_command(sys.executable, env)]
            for name, argv, codes in tools:
                exact = ["-e"] if name == "sdcv" and kind != "misspelling" else []
                json_flag = ["--json"] if name == "bpoterms" else []
                commands.append(Command(name, [*argv, *exact, query, *json_flag], env, codes))
            base, *measured = measure(commands, runs, timeout, budget, progress=progress)
            for (_name, _argv, codes), series in zip(tools, measured, strict=True):
                rows.append(
                    [
                        series.label,
                        f"{kind}: {query}",
                        str(len(series.seconds)),
                        f"{series.median_ms:.1f}" if series.ok else series.status,
                        f"{ratio(series.median_ms, base.median_ms) or 0:.2f}×" if series.ok else series.message,
                        f"{series.peak_mib:.0f}" if series.peak_mib else "—",
                        ", ".join(map(str, codes)),
                    ]
                )
        notes.append("dict's time is the client's; the lookup itself happens in the already-running dictd server.")
        return HEADERS, rows, notes
    finally:
        if server is not None:
            _stop(server)
