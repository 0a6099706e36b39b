"""Shared fixtures: every test runs with its own empty config and cache folders."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from bpoterms.cli import app

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def pytest_collection_finish(session: pytest.Session) -> None:
    """Take what collecting made (modules, test items, fixtures: some 150,000 objects a worker) out
    of the cycle collector's reach, and let it run less often. Each full pass walked all of them
    again: 2 to 3 seconds a worker, a tenth of the suite, on objects that live until the end. The
    tests' own garbage is still collected; bpoterms pauses the collector while it compiles anyway."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 1_000)


def run_in_process(main: Callable[[], Any], *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of an entry point (`fastpath.main`, the console script's, or
    `cli.main`, the full typer CLI's) run in this process as `bpoterms *args`, stdout and stderr not
    terminals: a reference for what a new process prints, without starting one."""
    import io
    import sys
    from contextlib import redirect_stderr, redirect_stdout

    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    sys.argv = ["bpoterms", *args]
    try:
        with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as stopped:
            main()
    finally:
        sys.argv = saved
    return int(stopped.value.code or 0), out.getvalue(), err.getvalue()


@functools.cache
def builtin_glossary() -> Any:
    """The built-in glossary compiled in memory, once a worker: for tests of pure functions of it,
    among them hypothesis tests, which cannot take pytest fixtures."""
    from bpoterms import GlossarySpec, load

    return load(GlossarySpec((), include_builtin=True))


@functools.cache
def builtin_names() -> list[str]:
    """Every name (term, acronym, alias) of the built-in glossary, as written."""
    return [name for entry in builtin_glossary().entries for name in entry.names()]


def made_once_per_session(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A file `make(path)` writes, made once for the whole test session, however many worker processes
    (pytest-xdist) it has: the first to ask makes it, under a lock; the others wait and get the same file.
    For inputs that take seconds to make and that the tests using them only read."""
    import os

    try:
        import fcntl
    except ImportError:  # Windows: no flock, so each worker makes its own
        fcntl = None  # type: ignore[assignment]

    folder = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER") and fcntl is not None:
        folder = folder.parent  # the session's folder, shared by its workers (each has its own basetemp in it)
    path = folder / "made-once" / name
    path.parent.mkdir(exist_ok=True)
    with open(path.parent / f"{name}.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            partial = path.with_name(f"{name}.partial")
            make(partial)
            partial.replace(path)
    return path


@pytest.fixture(scope="session")
def pyyaml_safe_load(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Any]:
    """`yaml.safe_load(text)`, a fresh copy on each call, for a text as large as the built-in glossary's: parsed
    once a session (PyYAML's pure-Python safe loader takes seconds on it), kept by pickle under the text's hash."""
    import hashlib
    import pickle

    import yaml

    def safe_load(text: str) -> Any:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        made = made_once_per_session(
            tmp_path_factory,
            f"safe_load-{digest}.pickle",
            lambda path: path.write_bytes(pickle.dumps(yaml.safe_load(text))),
        )
        return pickle.loads(made.read_bytes())

    return safe_load


@pytest.fixture(scope="session")
def compiled_builtin_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in glossary compiled once per test session, so each test starts from a copy
    instead of recompiling it (a test that needs an empty or damaged cache makes its own).

    Compiling it also leaves the built-in layer remembered in this worker's memory (builtin_layer.py),
    so the tests' own compiles, with user glossaries or `--no-cache`, do not parse the built-in file
    again. Its copy in the cache folder, written only under user glossaries, is not copied into each
    test's folder: the tests of the cache folder's contents expect only compiled glossaries there."""
    import os

    from bpoterms import glossary

    folder = tmp_path_factory.mktemp("compiled-cache")
    saved = {name: os.environ.get(name) for name in ("BPOTERMS_CACHE_DIR", "XDG_CONFIG_HOME", "BPOTERMS_GLOSSARY")}
    os.environ["BPOTERMS_CACHE_DIR"] = str(folder)
    os.environ["XDG_CONFIG_HOME"] = str(folder / "no-config")
    os.environ.pop("BPOTERMS_GLOSSARY", None)
    try:
        glossary.open_glossary([], True, True).close()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    run_console_script_once(folder, "list", "--json")
    return folder


def run_console_script_once(cache: Path, *args: str) -> None:
    """Run the installed `bpoterms` once with `cache` as its cache folder and no user glossaries, so
    the caches it writes there can start the tests that run it.

    The console script may read another copy of the package than the tests import: after a plain
    `pip install .` (the README's set-up, and CI) it runs the copy in site-packages, with its own
    built-in glossary file, while the tests import this checkout. Its caches are then its own (their
    keys hold the file's path and the code's stamps), and without this every test that runs it would
    first parse and compile the built-in glossary again. After an editable install both are one copy
    and this run finds its caches already made."""
    import os
    import subprocess

    from .test_installed import installed_command

    env = {name: value for name, value in os.environ.items() if not name.startswith("BPOTERMS_")}
    env |= {"BPOTERMS_CACHE_DIR": str(cache), "XDG_CONFIG_HOME": str(cache / "no-config")}
    # Not checked: a command that fails here fails the tests that run it, which say why.
    subprocess.run([*installed_command(), *args], env=env, cwd=cache, capture_output=True, check=False, timeout=60)


@pytest.fixture(scope="session")
def remembered_builtin_layer_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The built-in glossary's remembered layer as bpoterms writes it to a cache folder (builtin_layer.py)
    the first time it compiles a glossary layered on the built-in one: made once per worker, by the
    module's own `load` with nothing remembered in memory, and by the installed command (see
    `run_console_script_once`). Its key (version, code, the file's text) is what a new process of
    the same installed copy computes, so such a process reads it."""
    from bpoterms import builtin_layer
    from bpoterms.paths import builtin_path

    folder = tmp_path_factory.mktemp("remembered-builtin-layer")
    saved = builtin_layer._remembered
    builtin_layer._remembered = None
    try:
        builtin_layer.load(builtin_path(), str(folder))
    finally:
        builtin_layer._remembered = saved
    installed = tmp_path_factory.mktemp("remembered-by-the-console-script")
    (installed / "layer.yaml").write_text("terms:\n  - term: Layer Check\n    definition: One entry on top.\n")
    run_console_script_once(installed, "--glossary", str(installed / "layer.yaml"), "list", "--json")
    files = {file.name: file for file in [*folder.glob("builtin-layer-*.bin"), *installed.glob("builtin-layer-*.bin")]}
    assert files, "no remembered layer was written"
    return list(files.values())


@pytest.fixture
def builtin_layer_remembered(isolated_user_folders: Path, remembered_builtin_layer_files: list[Path]) -> None:
    """For a test that runs the installed command on a glossary layered on the built-in one, where the
    test is not about the remembered layer: the test's cache folder holds it, as a user's does after
    their first such run, so each new process reads it instead of parsing and validating the built-in
    YAML again (a tenth of a second or more a process). test_builtin_layer.py tests the layer itself."""
    import shutil

    for file in remembered_builtin_layer_files:
        shutil.copy2(file, isolated_user_folders / "cache" / "bpoterms" / file.name)


@pytest.fixture(autouse=True)
def isolated_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, compiled_builtin_cache: Path
) -> Iterator[Path]:
    """Keep the developer's own glossaries, cache and colour settings out of every test."""
    import shutil
    import tempfile

    # A new empty folder of its own, as `mktemp("home")` would make, without its numbering: that scans
    # the session's temporary folder on every call, and there is one home per test in it.
    homes = tmp_path_factory.getbasetemp() / "homes"
    homes.mkdir(exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="home-", dir=homes))
    cache = home / "cache" / "bpoterms"
    cache.mkdir(parents=True)
    for compiled in compiled_builtin_cache.glob("glossary-*.sqlite3"):
        shutil.copy2(compiled, cache / compiled.name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("BPOTERMS_CACHE_DIR", str(home / "cache" / "bpoterms"))
    for name in ("BPOTERMS_GLOSSARY", "NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "xterm-256color")
    yield home
    # The cache folder goes when the test ends; the rest of the home stays for inspecting a failure.
    # Its copy of the compiled glossary is over a megabyte: kept for every test, the copies came to
    # 2.3 GB a run, which the system then wrote to disk and pytest deleted three runs later.
    shutil.rmtree(cache, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def click_commands_built_once():
    """typer turns the app into click commands on every `CliRunner.invoke` (tens of milliseconds, more
    than most commands take); the commands are the same each time, so build each app's once a session."""
    built: dict[int, tuple[typer.Typer, Any]] = {}  # id → (the app, kept alive so its id stays its own; its command)

    def get_command(typer_app: typer.Typer) -> Any:
        if id(typer_app) not in built:
            built[id(typer_app)] = (typer_app, typer.main.get_command(typer_app))
        return built[id(typer_app)][1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", get_command)
        yield


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner):
    """Run the real CLI in-process; stdout and stderr are kept apart."""

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def team_glossary(tmp_path: Path) -> Path:
    """A small user glossary file, as a team lead would write it."""
    path = tmp_path / "team.yaml"
    path.write_text(
        "terms:\n"
        "  - term: Work Queue\n"
        "    acronym: WQ\n"
        "    definition: A named list of pending customer tickets assigned to one team.\n"
        "  - term: Average Handle Time\n"
        "    acronym: AHT\n"
        "    definition: On our account, talk plus hold time only; wrap-up is tracked separately.\n",
        encoding="utf-8",
    )
    return path
