"""The robustness audit's 25 failures (../shared/reviews/robustness-audit.md), each reproduced.

Cases that need a device node, a private mount namespace or another user build their own sandbox
(mknod in a temporary folder, `unshare -m` with a tmpfs, `setpriv`) and skip where the machine
cannot. Every test here runs in well under two seconds.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bpoterms import export, ranking, store, streams
from bpoterms.glossary import GlossarySpec, load
from bpoterms.paths import builtin_path
from bpoterms.plain import safe

from .test_installed import first_line, installed_command, with_ctrl_c_as_on_a_terminal

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
TEAM = "terms:\n  - term: Work Queue\n    acronym: WQ\n    definition: A named list.\n"


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 20, **kwargs):
    """The installed command, as a shell runs it (through `boundary.finish`)."""
    return subprocess.run(
        [*installed_command(), *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


def shell(command: str, env: dict[str, str] | None = None, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """A shell line with `$B` standing for the installed command."""
    b = " ".join(f"'{part}'" for part in installed_command())
    return subprocess.run(
        command.replace("$B", b),
        shell=True,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def _stop(process: subprocess.Popen) -> None:
    process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def one_line_error(stderr: str, fragment: str) -> None:
    assert stderr.startswith("bpoterms: error: ") and stderr.count("\n") == 1, stderr
    assert "internal error" not in stderr and fragment in stderr, stderr


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- F1 export -o and non-regular targets


def _device(path: Path, minor: int) -> Path:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (OSError, AttributeError):
        pytest.skip("cannot create device nodes here (needs root)")
    return path


def test_f1_export_to_a_device_node_writes_through_and_keeps_the_device(invoke, tmp_path):
    null = _device(tmp_path / "null", 3)
    result = invoke("export", "-c", "metrics", "-o", str(null))
    assert result.exit_code == 0
    assert stat.S_ISCHR(null.stat().st_mode) and [p.name for p in tmp_path.iterdir()] == ["null"]


def test_f1_export_to_a_full_device_is_one_line_exit_2(invoke, tmp_path):
    full = _device(tmp_path / "full", 7)
    result = invoke("export", "-c", "metrics", "-o", str(full))
    assert result.exit_code == 2
    one_line_error(result.stderr, "no space left on device")
    assert stat.S_ISCHR(full.stat().st_mode)


def test_f1_export_to_a_fifo_writes_to_its_reader(invoke, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = invoke("export", "-c", "metrics", "-f", "json", "-o", str(fifo))
    reader.join(5)
    assert result.exit_code == 0 and stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])[0]["category"] == "metrics"


def test_f1_export_through_a_symlink_replaces_its_target_and_keeps_the_link(invoke, tmp_path):
    real = write(tmp_path / "real.md", "old\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert invoke("export", "-c", "metrics", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("# BPO and contact-center glossary")


def test_f1_export_to_dev_stdout_writes_to_standard_output():
    if not Path("/dev/stdout").exists():
        pytest.skip("no /dev/stdout")
    result = run("export", "-c", "metrics", "-f", "json", "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["category"] == "metrics"
    assert Path("/dev/stdout").is_symlink() or not Path("/dev/stdout").is_file()


def test_f1_as_root_in_a_private_tmpfs_dev_export_keeps_dev_null_a_device(tmp_path):
    """The audit's root case, in a private mount namespace so the real /dev is never at risk."""
    if not ROOT or not Path("/usr/bin/unshare").exists():
        pytest.skip("needs root and unshare")
    dev = tmp_path / "dev"
    dev.mkdir()
    result = shell(
        f"unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs {dev} && mknod -m 666 {dev}/null c 1 3 && "
        f"$B export -c metrics -o {dev}/null && stat -c %F {dev}/null'"
    )
    if "mount" in result.stderr and result.returncode != 0:
        pytest.skip(f"cannot mount here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "character special file"


def test_f1_export_onto_a_full_disk_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    if not ROOT or not Path("/usr/bin/unshare").exists():
        pytest.skip("needs root and unshare")
    disk = tmp_path / "disk"
    disk.mkdir()
    result = shell(
        f"unshare -m --propagation private sh -c 'mount -t tmpfs -o size=64k tmpfs {disk} && echo old > {disk}/g.md "
        f"&& $B export -o {disk}/g.md; echo rc=$?; ls -A {disk}; cat {disk}/g.md'"
    )
    if "mount:" in result.stderr:
        pytest.skip(f"cannot mount here: {result.stderr.strip()}")
    assert result.stdout.split() == ["rc=2", "g.md", "old"], result
    one_line_error(result.stderr, "no space left on device")


# ---------------------------------------------------------------- F2 export onto a loaded glossary, suffixes


def test_f2_export_onto_a_glossary_in_the_config_folder_is_refused(invoke, isolated_user_folders):
    team = write(isolated_user_folders / "config" / "bpoterms" / "team.yaml", TEAM)
    result = invoke("export", "-c", "uncategorized", "-o", str(team))
    assert result.exit_code == 2 and team.read_text(encoding="utf-8") == TEAM
    assert invoke("define", "WQ").exit_code == 0


def test_f2_export_onto_a_glossary_given_with_glossary_is_refused_whatever_its_suffix(invoke, tmp_path):
    team = write(tmp_path / "team.txt", TEAM)
    result = invoke("--glossary", str(team), "export", "-f", "markdown", "-o", str(team))
    assert result.exit_code == 2 and "it is a glossary file that bpoterms loads" in result.stderr
    assert team.read_text(encoding="utf-8") == TEAM


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["-o", "x.yaml"], "a .yaml file is read as a glossary"),
        (["-f", "json", "-o", "x.yml"], "a .yml file is read as a glossary"),
        (["-o", "x.txt"], "cannot tell the format from '.txt'"),
        (["-o", "x.xlsx"], "cannot tell the format from '.xlsx'"),
        (["-f", "markdown", "-o", "x.csv"], "does not fit --format markdown"),
    ],
)
def test_f2_a_suffix_that_does_not_fit_the_format_is_refused(invoke, tmp_path, args, fragment):
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = invoke("export", *args)
    assert result.exit_code == 2
    one_line_error(result.stderr, fragment)
    assert list(tmp_path.iterdir()) == []


def test_f2_a_fitting_suffix_or_an_explicit_format_still_works(tmp_path):
    assert export.choose_format("anki", str(tmp_path / "deck.txt")) == "anki"
    assert export.choose_format(None, str(tmp_path / "deck.tsv")) == "anki"
    assert export.choose_format(None, str(tmp_path / "GLOSSARY")) == "markdown"
    assert export.choose_format("anki", str(tmp_path / "deck.anki")) == "anki"


# ---------------------------------------------------------------- F3 regex search time


def test_f3_a_catastrophic_regex_stops_at_the_deadline_with_exit_2(invoke, monkeypatch):
    monkeypatch.setattr(ranking, "REGEX_SECONDS", 0.4)
    started = time.monotonic()
    result = invoke("search", r"^(\w+\s?)*$", "--match", "regex")
    assert time.monotonic() - started < 1.5
    assert result.exit_code == 2
    one_line_error(result.stderr, "ran for over 0.4 s and was stopped")


def test_f3_a_hostile_definition_cannot_hang_the_textbook_pattern(invoke, tmp_path, monkeypatch):
    monkeypatch.setattr(ranking, "REGEX_SECONDS", 0.4)
    hostile = write(tmp_path / "h.yaml", f"terms:\n  - term: Hostile\n    definition: {'a' * 40}!\n")
    result = invoke("--no-builtin", "--glossary", str(hostile), "search", "(a+)+$", "--match", "regex")
    assert result.exit_code == 2 and "was stopped" in result.stderr


def _children(pid: int) -> list[int]:
    """The processes `pid` has started and not yet reaped, from /proc."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it ended while we looked
        if int(fields[1]) == pid:
            found.append(int(stat_file.parent.name))
    return found


def _wait_for_a_child(process: subprocess.Popen, timeout: float = 20.0) -> None:
    """Return once `process` has forked a child (the regex search's worker), or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while not _children(process.pid):
        assert process.poll() is None, f"it ended first with {process.returncode}"
        assert time.monotonic() < deadline, f"no worker process within {timeout:g} s"
        time.sleep(0.01)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the regex worker through /proc")
def test_f3_ctrl_c_stops_a_running_regex_search_at_once():
    process = subprocess.Popen(
        [*installed_command(), "search", r"^(\w+\s?)*$", "--match", "regex"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=with_ctrl_c_as_on_a_terminal,
    )
    try:
        _wait_for_a_child(process)  # ready: the search is running in its forked worker
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=1.5) == 130
    finally:
        _stop(process)


def test_f3_ordinary_regex_searches_still_answer(invoke):
    result = invoke("search", "^erlang [abc]$", "--match", "regex", "--json")
    assert result.exit_code == 0 and {hit["term"] for hit in json.loads(result.stdout)} >= {"Erlang B", "Erlang C"}


# ---------------------------------------------------------------- F4 input limits


def test_f4_explain_dev_zero_is_refused_at_the_limit():
    result = run("explain", "/dev/zero", timeout=10)
    assert result.returncode == 2
    one_line_error(result.stderr, "/dev/zero: more than 4 MiB of text")


def test_f4_explain_a_file_over_the_limit_is_refused(invoke, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"Our AHT and FCR and SLA " * (4 * 2**20 // 24 + 1))
    result = invoke("explain", str(big))
    assert result.exit_code == 2 and "more than 4 MiB" in result.stderr


def test_f4_a_device_or_fifo_as_a_glossary_is_refused(invoke, tmp_path):
    fifo = tmp_path / "g.yaml"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):
        result = invoke("--glossary", path, "define", "AHT")
        assert result.exit_code == 2 and "not a regular file" in result.stderr


def test_f4_a_symlink_to_dev_zero_in_the_config_folder_is_refused(invoke, isolated_user_folders):
    folder = isolated_user_folders / "config" / "bpoterms"
    folder.mkdir(parents=True)
    (folder / "z.yaml").symlink_to("/dev/zero")
    result = invoke("define", "AHT")
    assert result.exit_code == 2 and "z.yaml: not a regular file (a device)" in result.stderr


def test_f4_define_dash_answers_each_line_as_it_arrives():
    process = subprocess.Popen(
        [*installed_command(), "define", "-", "--brief"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("AHT\n")
        process.stdin.flush()
        answered: list[str] = []
        reader = threading.Thread(target=lambda: answered.append(process.stdout.readline()))
        reader.start()
        reader.join(5)
        assert answered and answered[0].startswith("Average Handle Time (AHT) — ")  # stdin still open
        process.stdin.write("FCR\n")
        process.stdin.close()
        assert process.wait(timeout=5) == 0
    finally:
        _stop(process)


def test_f4_define_dash_json_streams_the_same_array_as_before(invoke):
    result = invoke("define", "-", "--json", input="AHT\nzzzqqq\n")
    assert result.exit_code == 1
    docs = json.loads(result.stdout)
    assert len(docs) == 2 and docs[0]["term"] == "Average Handle Time" and "term" not in docs[1]
    assert result.stdout == json.dumps(docs, ensure_ascii=False, indent=2) + "\n"


def test_f4_an_endless_line_on_stdin_is_refused(invoke):
    result = invoke("define", "-", input="A" * 20_000)
    assert result.exit_code == 2 and "line 1 of standard input is over" in result.stderr


# ---------------------------------------------------------------- F5 and F14 the environment is not a bug


def test_f5_no_home_and_no_xdg_still_answers(invoke, monkeypatch):
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "BPOTERMS_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    # What HOME unset and a uid without a passwd entry look like: `~` cannot be expanded.
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)
    assert invoke("define", "AHT", "--brief").exit_code == 0
    assert invoke("list").exit_code == 0
    assert invoke("validate").exit_code == 0
    info = invoke("cache", "info")
    assert info.exit_code == 0 and info.stdout.startswith("cache folder: none (no home folder")


def test_f5_a_uid_without_passwd_entry_and_no_home_answers():
    if not ROOT or not Path("/usr/bin/setpriv").exists():
        pytest.skip("needs root and setpriv")
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    env.pop("BPOTERMS_CACHE_DIR", None)
    result = subprocess.run(
        ["setpriv", "--reuid=54321", "--regid=54321", "--clear-groups", *installed_command(), "define", "AHT"],
        capture_output=True,
        text=True,
        timeout=20,
        env=env,
        cwd="/",
    )
    if "Permission denied" in result.stderr and result.returncode == 126:
        pytest.skip("this install is not readable by other users")
    assert result.returncode == 0, result.stderr


@pytest.fixture
def open_tmp():
    """A temporary folder that other users can reach (pytest's own tmp_path sits in a private folder)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp())
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o700)
    shutil.rmtree(folder)


@pytest.mark.parametrize("which", ["config", "cache"])
def test_f5_an_unreadable_config_or_cache_parent_is_not_a_bug(open_tmp, which):
    if not ROOT or not Path("/usr/bin/setpriv").exists():
        pytest.skip("needs root and setpriv to act as another user")
    tmp_path = open_tmp
    locked = tmp_path / "locked"
    (locked / "bpoterms").mkdir(parents=True)
    locked.chmod(0)
    variable = "XDG_CONFIG_HOME" if which == "config" else "XDG_CACHE_HOME"
    env = {**os.environ, variable: str(locked), "HOME": str(tmp_path)}
    env.pop("BPOTERMS_CACHE_DIR", None)
    if which == "cache":
        env["XDG_CONFIG_HOME"] = str(tmp_path / "none")
    result = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *installed_command(), "define", "AHT"],
        capture_output=True,
        text=True,
        timeout=20,
        env=env,
        cwd="/",
    )
    locked.chmod(0o700)
    if result.returncode == 126:
        pytest.skip("this install is not readable by other users")
    if which == "config":  # the user's glossaries cannot be read: said in one line, like an unreadable file
        assert result.returncode == 2
        one_line_error(result.stderr, f"{locked}/bpoterms: permission denied")
    else:  # an unusable cache only costs speed
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("redirect", "fragment"), [(">&-", "bad file descriptor"), (">/dev/full", "no space left")])
def test_f5_stdout_closed_or_full_is_one_line_exit_2(redirect, fragment):
    for args in ("define AHT --brief", "--no-cache list", "--version"):
        result = shell(f"$B {args} {redirect}")
        if args == "--version" and redirect == ">&-":
            assert result.returncode == 2
        if args != "--version":
            assert result.returncode == 2, result.stderr
            one_line_error(result.stderr, f"cannot write to standard output: {fragment}")


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_f5_a_non_utf8_terminal_gets_replacement_characters(encoding):
    result = run("define", "AHT", "--brief", env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 0 and result.stdout.startswith("Average Handle Time (AHT) ? ")


def test_f14_export_to_a_file_succeeds_with_stdout_closed(tmp_path):
    result = shell(f"$B export -c metrics -o {tmp_path}/x.md >&-")
    assert result.returncode == 0 and result.stderr.startswith("bpoterms: wrote ")
    assert (tmp_path / "x.md").read_text(encoding="utf-8").startswith("# BPO")


# ---------------------------------------------------------------- F6 a damaged cache is rebuilt


def _cache_file(folder: Path) -> Path:
    """The compiled built-in glossary as this process reads it (the folder may also hold the installed
    command's, compiled from its own copy of the built-in file: conftest.run_console_script_once)."""
    path = Path(str(store.cache_file([builtin_path()])))
    assert path.parent == folder and path.exists()
    return path


@pytest.fixture
def cache(isolated_user_folders: Path) -> Path:
    return isolated_user_folders / "cache" / "bpoterms"


def test_f6_malformed_pages_found_after_opening_rebuild_the_cache(invoke, cache):
    assert invoke("define", "AHT").exit_code == 0
    path = _cache_file(cache)
    info = path.stat()
    data = bytearray(path.read_bytes())
    third = len(data) // 3
    data[third : third + 20000] = b"\xa5" * 20000
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    for args in (("list",), ("list",), ("export", "-f", "csv")):
        result = invoke(*args)
        assert result.exit_code == 0 and result.stderr == ""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_f6_a_row_that_does_not_unmarshal_is_rebuilt(invoke, cache):
    invoke("define", "AHT")
    with sqlite3.connect(_cache_file(cache)) as db:
        db.execute("UPDATE entries SET body = x'deadbeef'")
    result = invoke("define", "AHT", "--brief")
    assert result.exit_code == 0 and result.stdout.startswith("Average Handle Time")
    assert invoke("list").exit_code == 0


# ---------------------------------------------------------------- F7 signals and leftovers


def test_f7_sigterm_during_a_cache_build_leaves_no_temporary(cache, monkeypatch):
    for path in cache.glob("*"):
        path.unlink()

    def killed(*args: object, **kwargs: object) -> None:
        raise streams.Terminated(signal.SIGTERM)

    monkeypatch.setattr(store, "compile_into", killed)
    with pytest.raises(streams.Terminated):
        load(GlossarySpec(()), use_cache=True)
    assert list(cache.iterdir()) == []


def test_f7_leftovers_of_killed_builds_are_listed_and_removed_when_stale(invoke, cache):
    leftover = cache / ".glossary-0123456789abcdef.sqlite3.99999.tmp"
    leftover.write_bytes(b"x" * 100)
    info = json.loads(invoke("cache", "info", "--json").stdout)
    assert [f["path"] for f in info["unfinished"]] == [str(leftover)]
    assert "unfinished builds: 1" in invoke("cache", "info").stdout
    os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    for path in cache.glob("glossary-*"):
        path.unlink()
    assert invoke("define", "AHT").exit_code == 0  # a build
    assert not leftover.exists()


def test_f7_sigterm_while_exporting_leaves_the_target_and_no_temporary(tmp_path, monkeypatch):
    target = write(tmp_path / "g.md", "old\n")

    def killed(fd: int) -> None:
        raise streams.Terminated(signal.SIGTERM)

    monkeypatch.setattr(os, "fsync", killed)
    with pytest.raises(streams.Terminated):
        export.write_atomic(str(target), "new\n")
    assert [p.name for p in tmp_path.iterdir()] == ["g.md"] and target.read_text(encoding="utf-8") == "old\n"


def test_f7_sigterm_unwinds_and_exits_143():
    process = subprocess.Popen(
        [*installed_command(), "define", "-", "--brief"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdin is not None
        process.stdin.write(b"AHT\n")
        process.stdin.flush()
        assert first_line(process.stdout).startswith(b"Average Handle Time")  # ready: waiting for the next line
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=3) == 143
        assert b"internal error" not in process.stderr.read()  # type: ignore[union-attr]
    finally:
        _stop(process)


# ---------------------------------------------------------------- F8, F9, F22 the cache's identity and trust


def test_f8_the_same_relative_path_in_two_folders_gets_each_its_own_answer(tmp_path, monkeypatch):
    for name, meaning in (("a", "Alpha"), ("b", "Bravo")):
        team = write(tmp_path / name / "team.yaml", TEAM.replace("A named list.", f"{meaning} team meaning."))
        os.utime(team, ns=(1_700_000_000_000_000_000,) * 2)
    for name, meaning in (("a", "Alpha"), ("b", "Bravo"), ("a", "Alpha")):
        monkeypatch.chdir(tmp_path / name)
        glossary = load(GlossarySpec((Path("team.yaml"),), include_builtin=False), use_cache=True)
        assert glossary.get("WQ").definition == f"{meaning} team meaning."


def test_f9_a_relative_xdg_cache_home_is_ignored(invoke, tmp_path, monkeypatch):
    monkeypatch.delenv("BPOTERMS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "relcache")
    monkeypatch.setenv("XDG_CONFIG_HOME", "relconfig")
    monkeypatch.chdir(tmp_path)
    assert invoke("define", "AHT").exit_code == 0
    assert list(tmp_path.iterdir()) == []
    assert store.cache_dir() == Path.home() / ".cache" / "bpoterms"


def test_f22_a_cache_file_written_by_another_user_is_not_trusted(invoke, cache):
    if not ROOT:
        pytest.skip("needs root to give a file to another user")
    invoke("define", "AHT")
    path = _cache_file(cache)
    with sqlite3.connect(path) as db:
        (row_id, body) = db.execute("SELECT id, body FROM entries").fetchone()
        (zdict,) = db.execute("SELECT value FROM meta WHERE key = 'zdict'").fetchone()
        block = store._inflate_block(body, zdict)
        entry = store.unpack_entry(block[0])
        block[0] = store.pack_entry(entry._replace(definition="POISONED by another user"))
        db.execute("UPDATE entries SET body = ? WHERE id = ?", (store._deflate_block(block, zdict), row_id))
    os.chown(path, 65534, 65534)
    result = invoke("define", entry.term, "--brief")
    assert result.exit_code == 0 and "POISONED" not in result.stdout


def test_f22_a_shared_folder_without_the_sticky_bit_is_not_used(invoke, tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("BPOTERMS_CACHE_DIR", str(shared))
    assert invoke("define", "AHT").exit_code == 0
    assert list(shared.iterdir()) == []
    assert store.safe_folder(tmp_path) and not store.safe_folder(shared)


# ---------------------------------------------------------------- the default XDG folders
# With XDG_CONFIG_HOME and XDG_CACHE_HOME unset (or relative, which the XDG spec says to ignore), the
# config folder is ~/.config/bpoterms and the cache ~/.cache/bpoterms; HOME is a temporary folder here.


@pytest.fixture
def no_xdg(monkeypatch, isolated_user_folders: Path) -> Path:
    """XDG_CONFIG_HOME, XDG_CACHE_HOME and BPOTERMS_CACHE_DIR unset; the (temporary) home folder."""
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "BPOTERMS_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    assert Path.home() == isolated_user_folders
    return isolated_user_folders


def test_without_xdg_config_home_glossaries_are_read_from_dot_config_bpoterms(invoke, no_xdg):
    write(no_xdg / ".config" / "bpoterms" / "team.yaml", TEAM)
    result = invoke("--no-builtin", "define", "WQ", "--brief")
    assert (result.exit_code, result.stdout) == (0, "Work Queue (WQ) — A named list.\n")


def test_without_xdg_cache_home_the_cache_is_written_to_dot_cache_bpoterms(invoke, no_xdg, tmp_path):
    team = write(tmp_path / "team.yaml", TEAM)
    assert invoke("--no-builtin", "-g", str(team), "define", "WQ").exit_code == 0
    assert [p.suffix for p in (no_xdg / ".cache" / "bpoterms").iterdir()] == [".sqlite3"]


def test_cache_info_names_dot_cache_bpoterms_without_xdg_cache_home(invoke, no_xdg):
    result = invoke("cache", "info", "--json")
    assert json.loads(result.stdout)["folder"] == str(no_xdg / ".cache" / "bpoterms")


def test_a_relative_xdg_config_home_is_ignored_for_dot_config_bpoterms(invoke, no_xdg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", "relconfig")
    write(tmp_path / "relconfig" / "bpoterms" / "team.yaml", TEAM.replace("A named list.", "From the relative folder."))
    write(no_xdg / ".config" / "bpoterms" / "team.yaml", TEAM)
    assert invoke("--no-builtin", "define", "WQ", "--brief").stdout == "Work Queue (WQ) — A named list.\n"


def test_a_relative_xdg_cache_home_is_ignored_for_dot_cache_bpoterms(invoke, no_xdg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relcache")
    team = write(tmp_path / "team.yaml", TEAM)
    assert invoke("--no-builtin", "-g", str(team), "define", "WQ").exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["team.yaml"]
    assert [p.suffix for p in (no_xdg / ".cache" / "bpoterms").iterdir()] == [".sqlite3"]


# ---------------------------------------------------------------- F10, F11 output that was lost


@pytest.mark.parametrize("columns", ["0", "1", "10"])
def test_f10_a_very_narrow_terminal_gets_plain_text(invoke, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    result = invoke("define", "AHT", "--color", "always")
    assert "The average total time an agent spends" in result.stdout
    result = invoke("search", "queue", "--color", "always", "-n", "2")
    assert "Queue" in result.stdout and result.exit_code == 0


@pytest.mark.parametrize("pager", ["/nonexistent/pager", "false"])
def test_f11_a_missing_or_failing_pager_does_not_swallow_list(pager):
    if not Path("/usr/bin/script").exists():
        pytest.skip("util-linux `script` is not installed")
    command = " ".join(f"'{part}'" for part in installed_command())
    result = subprocess.run(
        ["script", "-qec", f"{command} list --category compliance", "/dev/null"],
        capture_output=True,
        text=True,
        timeout=20,
        env={**os.environ, "PAGER": pager},
    )
    assert result.returncode == 0
    assert "Health Insurance Portability and Accountability Act" in result.stdout


# ---------------------------------------------------------------- F12, F13, F23, F24 export details


def test_f12_markdown_keeps_html_entities_literal(invoke, tmp_path):
    glossary = write(
        tmp_path / "e.yaml",
        'terms:\n  - term: Entity Test\n    definition: "Write &amp; or &copy; literally; AT&T stays."\n',
    )
    result = invoke("--no-builtin", "--glossary", str(glossary), "export", "-f", "markdown")
    assert "Write &amp;amp; or &amp;copy; literally; AT&T stays." in result.stdout


def test_f13_a_valid_248_byte_name_is_written(invoke, tmp_path):
    target = tmp_path / ("g" * 245 + ".md")
    assert invoke("export", "-c", "metrics", "-o", str(target)).exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_f23_a_source_url_with_a_newline_is_not_linked(invoke, tmp_path):
    glossary = write(
        tmp_path / "u.yaml",
        'sources:\n  - id: s\n    title: Site\n    url: "https://example.com/a\\n# Injected heading"\n'
        "terms:\n  - term: Linked\n    definition: x\n    sources:\n      - source: s\n        text: quoted words\n",
    )
    result = invoke("--no-builtin", "--glossary", str(glossary), "export", "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "](<https://example.com" not in result.stdout and "\n# Injected" not in result.stdout


def test_f24_export_to_an_empty_name_says_so(invoke):
    result = invoke("export", "-o", "")
    assert result.exit_code == 2
    one_line_error(result.stderr, "no output file given")


def test_f24_a_long_query_is_not_echoed_whole(invoke):
    result = invoke("search", "zq" * 40_000, "--match", "substring")
    assert result.exit_code == 1 and len(result.stderr) < 200


def test_f24_merge_keys_work_and_tags_are_located(invoke, tmp_path):
    merged = write(tmp_path / "m.yaml", "base: &b\n  definition: merged\nterms:\n  - <<: *b\n    term: Merged Term\n")
    result = invoke("--no-builtin", "--glossary", str(merged), "define", "Merged Term", "--brief")
    assert result.exit_code == 0 and result.stdout == "Merged Term — merged\n"
    tagged = write(tmp_path / "t.yaml", "terms:\n  - term: X\n    definition: !!binary aGk=\n")
    result = invoke("--glossary", str(tagged), "define", "AHT")
    assert result.exit_code == 2 and f"{tagged}:3:17: YAML error: unsupported YAML tag" in result.stderr


# ---------------------------------------------------------------- F15 to F18 hostile glossaries and queries


def test_f15_a_600_character_word_in_a_name_does_not_break_explain(invoke, tmp_path):
    glossary = write(
        tmp_path / "lt.yaml", f'terms:\n  - term: Token Alias\n    aliases: ["{"x" * 600}"]\n    definition: x\n'
    )
    result = invoke("--glossary", str(glossary), "explain", "--text", f"Our AHT rose and {'x' * 600} too")
    assert result.exit_code == 0 and "Token Alias" in result.stdout


def test_f16_a_deeply_nested_regex_is_an_invalid_regex(invoke):
    result = invoke("search", "(" * 2000 + "a" + ")" * 2000, "--match", "regex")
    assert result.exit_code == 2
    one_line_error(result.stderr, "invalid regular expression")


def test_f17_an_integer_over_4300_digits_stays_text(invoke, tmp_path):
    glossary = write(tmp_path / "n.yaml", f"terms:\n  - term: {'1' * 4301}\n    definition: x\n")
    assert invoke("--glossary", str(glossary), "define", "AHT").exit_code == 0
    assert invoke("validate", str(glossary)).exit_code == 0


def test_f18_duplicate_keys_are_errors_that_validate_reports(invoke, tmp_path):
    twice = write(
        tmp_path / "d.yaml",
        "terms:\n  - term: First\n    definition: one\nterms:\n  - term: Second\n    definition: two\n",
    )
    result = invoke("validate", str(twice))
    assert result.exit_code == 1 and f"{twice}:4:1: error: YAML error: duplicate key 'terms'" in result.stdout
    inside = write(tmp_path / "d2.yaml", "terms:\n  - term: A\n    definition: first\n    definition: second\n")
    result = invoke("--no-builtin", "--glossary", str(inside), "list")
    assert result.exit_code == 2 and "duplicate key 'definition'" in result.stderr


# ---------------------------------------------------------------- F20, F21, F25 names, files and characters


def test_f20_names_of_punctuation_only_are_told_apart(invoke, tmp_path):
    glossary = write(
        tmp_path / "p.yaml",
        'terms:\n  - term: "!!!"\n    definition: bangs\n  - term: "???"\n    definition: questions\n',
    )
    result = invoke("--no-builtin", "--glossary", str(glossary), "define", "!!!", "%%", "--brief")
    assert result.exit_code == 1 and result.stdout == "!!! — bangs\n"
    assert invoke("validate", str(glossary)).exit_code == 0


def test_f21_hidden_lock_and_dangling_files_in_the_config_folder_are_skipped(invoke, isolated_user_folders):
    folder = isolated_user_folders / "config" / "bpoterms"
    write(folder / "team.yaml", TEAM)
    (folder / ".#team.yaml").symlink_to("user@host.12345:1700000000")
    write(folder / ".hidden.yaml", "terms: [\n")
    (folder / "gone.yaml").symlink_to(folder / "missing.yaml")
    result = invoke("define", "WQ", "--brief")
    assert result.exit_code == 0 and result.stdout == "Work Queue (WQ) — A named list.\n"


def test_f25_bidi_and_invisible_characters_are_shown_escaped(invoke, tmp_path):
    glossary = write(
        tmp_path / "b.yaml", 'terms:\n  - term: Spoof\n    definition: "safe \\u202e evil \\u200b hidden"\n'
    )
    result = invoke("--no-builtin", "--glossary", str(glossary), "define", "Spoof", "--brief")
    assert result.stdout == "Spoof — safe \\u202e evil \\u200b hidden\n"
    assert safe("\u2066x\u2069") == "\\u2066x\\u2069" and safe("\x1b") == "\\x1b"


def test_exactly_the_control_and_invisible_characters_are_escaped_whatever_the_character():
    """`safe` works from a table, not a pattern (no `re` on a plain define's route); over every
    character it escapes exactly what the pattern of control and invisible characters names."""
    import re

    pattern = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    escaped = pattern.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", every)
    assert safe(every) == escaped


# ---------------------------------------------------------------- no 70 for anything a user can do


def test_exit_70_is_left_for_bugs_only(tmp_path):
    """A bug still says so (the one case that should give 70)."""
    code = "import sys; from bpoterms.boundary import finish\nfinish(lambda: 1 / 0)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert result.returncode == 70 and "internal error (ZeroDivisionError" in result.stderr


# ---------------------------------------------------------------- the audit's lower-severity observations


def test_a_csv_cell_starting_with_spaces_then_a_formula_is_neutralised():
    assert export._csv_cell(" =2+2") == "' =2+2"
    assert export._csv_cell("Plain text") == "Plain text"


def test_anki_tags_carry_no_raw_markup(invoke, tmp_path):
    glossary = write(
        tmp_path / "a.yaml", "terms:\n  - term: Tagged\n    category: '><script>x</script>'\n    definition: x\n"
    )
    result = invoke("--no-builtin", "--glossary", str(glossary), "export", "-f", "anki")
    assert "<script>" not in result.stdout and "&lt;script&gt;" in result.stdout


# ---------------------------------------------------------------- property: no 70, no hang, no stray writes

_WORDS = st.sampled_from(
    ["AHT", "fcr", "what is nps", "(a+)+$", "^(\\w+\\s?)*$", "[", "", " ", "-", "\u202e", "x" * 300]
)
_ARGV = st.one_of(
    st.tuples(st.just("define"), _WORDS, st.sampled_from(["--brief", "--json", "--sources", "--color=always"])),
    st.tuples(
        st.just("search"), _WORDS, st.sampled_from(["--match=regex", "--match=word", "--json", "-n1", "-c", "metrics"])
    ),
    st.tuples(st.sampled_from(["list", "random", "sources", "categories", "validate"]), st.just("--json")),
    st.tuples(st.just("explain"), st.just("--text"), _WORDS),
    st.tuples(st.just("export"), st.sampled_from(["-f", "--title"]), st.sampled_from(["csv", "anki", "html", "x"])),
    st.tuples(st.just("cache"), st.just("info")),
)
_ENV = st.fixed_dictionaries(
    {},
    optional={
        "HOME": st.sampled_from(["", "relative/home", "/nonexistent/home"]),
        "XDG_CONFIG_HOME": st.sampled_from(["", "rel", "/nonexistent"]),
        "XDG_CACHE_HOME": st.sampled_from(["", "rel", "/nonexistent", "/dev/null"]),
        "COLUMNS": st.sampled_from(["0", "1", "5", "300", "abc", "-3"]),
        "PAGER": st.sampled_from(["false", "/nonexistent/pager", ""]),
        "LC_ALL": st.sampled_from(["C", "en_US.ISO-8859-1", "xx_XX.bogus"]),
        "NO_COLOR": st.just("1"),
    },
)
_SCALARS = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(), st.just("1" * 4400))
_ENTRY = st.dictionaries(
    st.sampled_from(["term", "acronym", "aliases", "definition", "category", "see_also", "notes", "<<", "owner"]),
    st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3)),
    max_size=6,
)
_DOCUMENT = st.one_of(
    st.builds(lambda entries: {"terms": entries}, st.lists(_ENTRY, max_size=4)),
    st.text(max_size=80),
    st.lists(_ENTRY, max_size=3),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=_ARGV, env=_ENV, document=_DOCUMENT, with_glossary=st.booleans())
def test_random_commands_environments_and_glossaries_never_exit_70_hang_or_write_stray_files(
    runner, tmp_path, monkeypatch, argv, env, document, with_glossary
):
    import hashlib

    import yaml

    from bpoterms.cli import app

    monkeypatch.setattr(ranking, "REGEX_SECONDS", 0.5)
    monkeypatch.chdir(tmp_path)
    watched = tmp_path / "watched"
    watched.mkdir(exist_ok=True)
    glossary = watched / "team.yaml"
    text = document if isinstance(document, str) else yaml.safe_dump(document, allow_unicode=True)
    glossary.write_text(text, encoding="utf-8")
    write(watched / "notes.md", "do not touch\n")

    def snapshot() -> dict[str, str]:
        return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(watched.rglob("*")) if p.is_file()}

    before = snapshot()
    globals_ = ["--no-builtin", "--glossary", str(glossary)] if with_glossary else []
    started = time.monotonic()
    result = runner.invoke(app, [*globals_, *argv], env=env, input="")
    assert time.monotonic() - started < 10
    assert result.exception is None or isinstance(result.exception, SystemExit), (argv, env, result.exception)
    assert result.exit_code in (0, 1, 2), (argv, env, result.exit_code, result.stderr)
    assert snapshot() == before


def test_an_undecodable_line_in_define_dash_does_not_stop_the_batch():
    result = subprocess.run(
        [*installed_command(), "define", "-", "--brief"], input=b"\xff\nAHT\n", capture_output=True, timeout=20
    )
    assert result.returncode == 0 and result.stdout.startswith(b"Average Handle Time (AHT)")


def test_f19_checking_an_entry_never_rescans_the_findings_of_earlier_entries():
    """Loading and validation stay linear in the number of problems (32,000 bad entries took 102 s)."""
    from bpoterms.layers import FileContent, _check_entry, _Finding
    from bpoterms.model import Source

    class NoFullScan(list):
        def __iter__(self):
            raise AssertionError("the findings of earlier entries were scanned again")

    content = FileContent("team.yaml")
    content.findings = NoFullScan(_Finding(("terms", i), "earlier problem") for i in range(1000))
    source = Source("team.yaml", "team.yaml")
    assert _check_entry({"term": 42, "definition": "x"}, ("terms", 1000), content, source) is None
    assert _check_entry({"term": "Fine", "definition": "x"}, ("terms", 1001), content, source) is not None
    assert len(content.findings) == 1001
