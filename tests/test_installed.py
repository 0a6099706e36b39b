"""The installed `bpoterms` command, as a user's shell runs it."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import run_in_process


def installed_command() -> list[str]:
    """The console script beside this interpreter, else `python -m bpoterms`."""
    script = Path(sys.executable).parent / "bpoterms"
    if script.exists():
        return [str(script)]
    found = shutil.which("bpoterms")
    return [found] if found else [sys.executable, "-m", "bpoterms"]


def with_ctrl_c_as_on_a_terminal() -> None:
    """For `Popen(preexec_fn=...)`: SIGINT at its default in the child, as a shell on a terminal
    starts a command. A runner started in the background of a non-interactive shell ignores SIGINT,
    and a child inherits that, so without this Ctrl-C would be tested against a process told to
    ignore it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def first_line(stream, timeout: float = 20.0) -> bytes:
    """The first line a child process writes to `stream` (a binary pipe), waiting at most `timeout` seconds.

    A readiness signal: once a line is out, the child has started and reached the point that wrote it.
    """
    fd = stream.fileno()
    deadline = time.monotonic() + timeout
    data = b""
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(remaining, 0.0))
        if not ready:
            raise AssertionError(f"no line within {timeout:g} s; got {data!r}")
        chunk = os.read(fd, 65536)
        if not chunk:
            raise AssertionError(f"the stream closed before a whole line; got {data!r}")
        data += chunk
    return data


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*installed_command(), *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_installed_define_json_parses_as_json():
    result = run("define", "AHT", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["term"] == "Average Handle Time"


def test_installed_output_to_a_pipe_has_no_escape_codes():
    result = run("define", "AHT")
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout and "╭" not in result.stdout


def test_installed_not_found_exits_1():
    result = run("define", "zzzqqqxxx")
    assert result.returncode == 1 and result.stdout == ""


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run([sys.executable, "-m", "bpoterms", "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("bpoterms ")


def test_a_closed_pipe_exits_quietly():
    """`bpoterms list | head -1`: no BrokenPipeError traceback."""
    command = " ".join(f"'{part}'" for part in installed_command())
    result = subprocess.run(f"{command} list | head -1", shell=True, capture_output=True, text=True, timeout=60)
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_a_usage_error_exits_2_without_a_traceback():
    result = run("search", "x", "--limit", "zero")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_exits_130_quietly():
    import signal

    proc = subprocess.Popen(
        [*installed_command(), "define", "-", "--brief"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=with_ctrl_c_as_on_a_terminal,
    )
    try:
        assert proc.stdin is not None
        proc.stdin.write(b"AHT\n")
        proc.stdin.flush()
        # Ready: the first answer is out, so it has started and now waits on stdin for the next line.
        assert first_line(proc.stdout).startswith(b"Average Handle Time (AHT)")
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130
    assert b"Traceback" not in err


def test_the_installed_package_finds_its_glossary_from_any_folder(tmp_path):
    code = "from bpoterms.glossary import builtin_path; print(builtin_path())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    shipped = Path(out.stdout.strip())
    assert shipped.read_bytes() == (Path(__file__).resolve().parent.parent / "glossary.yaml").read_bytes()


def test_installed_define_works_from_another_folder(tmp_path):
    result = subprocess.run([*installed_command(), "define", "CCaaS", "--brief"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)  # fmt: skip
    assert result.returncode == 0 and result.stdout.startswith("Contact Center as a Service (CCaaS) — ")


@pytest.mark.parametrize("entry", ["bpoterms.fastpath", "bpoterms.cli"])
def test_a_bug_is_reported_in_one_line_with_exit_70(entry, tmp_path):
    code = (
        "import sys, bpoterms.commands as c\n"
        "def boom(*a, **k):\n    raise RuntimeError('simulated bug')\n"
        "c.run_define = boom\n"
        "import bpoterms.cli\nbpoterms.cli.run_define = boom\n"
        f"from {entry} import main\nsys.argv = ['bpoterms', 'define', 'AHT']\nmain()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60,
                            env={**os.environ, "BPOTERMS_DEBUG": ""})  # fmt: skip
    assert result.returncode == 70
    assert result.stderr.startswith("bpoterms: error: internal error (RuntimeError: simulated bug)")
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_the_pager_path_runs_on_a_terminal(tmp_path):
    script = shutil.which("script")
    if script is None:
        pytest.skip("util-linux `script` is not installed")
    command = " ".join(f"'{part}'" for part in installed_command())
    result = subprocess.run([script, "-qc", f"{command} list --category compliance", "/dev/null"],
                            capture_output=True, text=True, timeout=60, env={**os.environ, "PAGER": "cat"})  # fmt: skip
    assert result.returncode == 0
    assert "Health Insurance Portability and Accountability Act" in result.stdout
    assert "Traceback" not in result.stdout


def test_a_fast_route_answer_larger_than_a_pipe_buffer_arrives_whole():
    """The console script leaves a fast-route run with `os._exit` once stdout is flushed: all of an
    80 KB answer still arrives, the same as the run in process prints."""
    from bpoterms.fastpath import main

    args = ("search", "time", "--limit", "500", "--json")
    result = run(*args)
    code, expected, _ = run_in_process(main, *args)
    assert len(result.stdout) > 65536
    assert (result.returncode, json.loads(result.stdout)) == (code, json.loads(expected))


def test_a_fast_route_miss_keeps_its_exit_status_and_its_line_on_stderr():
    from bpoterms.fastpath import main

    result = run("define", "zzzqqqxxx")
    assert (result.returncode, result.stderr) == run_in_process(main, "define", "zzzqqqxxx")[::2]
    assert result.stderr.startswith("bpoterms: ")


def test_a_fast_route_answer_cut_short_by_its_reader_exits_quietly():
    command = " ".join(f"'{part}'" for part in installed_command())
    result = subprocess.run(
        f"{command} search time --limit 500 --json | head -c 10", shell=True, capture_output=True, text=True, timeout=60
    )
    assert len(result.stdout) == 10
    assert result.stderr == ""


def test_a_typer_command_writing_a_file_leaves_it_whole(tmp_path):
    """A full-CLI run leaves with `os._exit` too: the export it wrote is complete and in place."""
    from bpoterms.cli import main

    written, expected = tmp_path / "installed.md", tmp_path / "in-process.md"
    result = run("export", "--format", "markdown", "-o", str(written))
    code, _, _ = run_in_process(main, "export", "--format", "markdown", "-o", str(expected))
    assert (result.returncode, code) == (0, 0)
    assert written.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
    assert len(written.read_bytes()) > 65536
