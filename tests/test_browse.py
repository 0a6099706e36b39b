"""`bpoterms browse`: ranking, key sequences through prompt_toolkit's pipe input, and the installed
command in a real pseudo-terminal (pty), and on tmux's screen when tmux is installed."""

from __future__ import annotations

import contextlib
import os
import re
import select
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("prompt_toolkit", reason="browse needs prompt_toolkit: pip install 'bpoterms[browse]'")

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from bpoterms import GlossarySpec, load
from bpoterms.browse import Browser, Ranker, highlight
from bpoterms.extra_cli import Color, _needs_quotes
from bpoterms.glossary import open_glossary
from bpoterms.terminal import COLOR_CHOICES

from .test_installed import installed_command

UP, DOWN, ENTER, ESC, CTRL_C, CTRL_N, CTRL_P = "\x1b[A", "\x1b[B", "\r", "\x1b", "\x03", "\x0e", "\x10"
PAGE_DOWN = "\x1b[6~"


@pytest.fixture(scope="module")
def glossary():
    return load()


def drive(ranker: Ranker, keys: str):
    """Run the finder on scripted keys; (the chosen entry or None, the finder afterwards)."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        browser = Browser(ranker, input=pipe, output=DummyOutput())
        return browser.run(), browser


def terms(rows) -> list[str]:
    return [row.entry.term for row in rows]


# ---------------------------------------------------------------- ranking


def test_the_empty_query_lists_every_entry_alphabetically(glossary):
    ranker = Ranker(glossary)
    assert len(ranker.rank("")) == len(glossary)
    assert terms(ranker.rank("")[:5]) == [e.term for e in glossary.entries[:5]]


def test_what_define_answers_comes_first_then_search_hits(glossary):
    ranker = Ranker(glossary)
    assert terms(ranker.rank("what is nps"))[0] == "Net Promoter Score"
    assert terms(ranker.rank("CSAT vs NPS"))[:2] == ["Customer Satisfaction Score", "Net Promoter Score"]
    rows = ranker.rank("handle time")
    assert rows[0].entry.term == "Average Handle Time"
    assert any(row.how == "definition" for row in rows)  # definitions follow the names


def test_a_miss_still_offers_the_resolvers_suggestions(glossary):
    rows = Ranker(glossary).rank("qualty")
    assert rows and "suggestion" in {row.how for row in rows}


def test_every_reading_of_a_shared_name_comes_first(tmp_path):
    path = tmp_path / "cl.yaml"
    path.write_text(
        "ambiguous: [CL]\nterms:\n"
        "  - {term: Customer Lag, acronym: CL, definition: How far customers lag.}\n"
        "  - {term: Change Limit, acronym: CL, definition: A limit on changes.}\n"
        "  - {term: Bulk Customer Lag, definition: Lag in bulk; see CL.}\n",
        encoding="utf-8",
    )
    rows = Ranker(load(GlossarySpec((path,), include_builtin=False))).rank("cl")
    assert terms(rows)[:2] == ["Change Limit", "Customer Lag"]


def test_filters_restrict_every_ranking(glossary):
    metrics = glossary.filtered(category="metrics")
    ranker = Ranker(glossary, metrics, category="metrics")
    assert len(ranker.rank("")) == len(metrics)
    assert {row.entry.category for row in ranker.rank("agent")} == {"metrics"}
    quoting = glossary.filtered(source="unity")
    narrow = Ranker(glossary, quoting, narrow=True)
    rows = narrow.rank("call")
    assert rows and all(any(q.source == "unity" for q in row.entry.sources) for row in rows)


def test_the_instant_prefix_match_of_a_large_glossary(glossary):
    ranker = Ranker(glossary, instant_above=1)
    assert ranker.large
    assert terms(ranker.instant("AHT"))[0] == "Average Handle Time"  # an exact name first
    assert all(any(name.lower().startswith("net") for name in row.entry.names()) for row in ranker.instant("net"))
    assert ranker.instant("zzqqxx") == []


def test_highlight_marks_query_words_ignoring_case():
    assert highlight("Average Handle Time (AHT)", "handle aht") == [(8, 14), (21, 24)]
    assert highlight("Average Handle Time", "a") == [(0, 1)]  # one letter: word starts only
    assert highlight("Average Handle Time", "zz") == []


def test_print_term_quotes_only_what_xargs_would_split():
    assert not _needs_quotes("AHT") and not _needs_quotes("T&M")
    assert _needs_quotes("Average Handle Time") and _needs_quotes("Customer's Voice")
    assert shlex.split(shlex.quote("Customer's Voice")) == ["Customer's Voice"]


def test_the_color_choices_are_the_cores():
    assert [c.value for c in Color] == list(COLOR_CHOICES)


# ---------------------------------------------------------------- key sequences (pipe input)


def test_type_then_enter_chooses_the_best_match(glossary):
    chosen, _ = drive(Ranker(glossary), "aht" + ENTER)
    assert chosen.term == "Average Handle Time"


def test_arrows_and_ctrl_n_ctrl_p_move_the_selection(glossary):
    ranker = Ranker(glossary)
    rows = ranker.rank("handle")
    assert drive(ranker, "handle" + DOWN + DOWN + ENTER)[0] == rows[2].entry
    assert drive(ranker, "handle" + CTRL_N + CTRL_N + CTRL_P + ENTER)[0] == rows[1].entry
    assert drive(ranker, "handle" + UP + UP + ENTER)[0] == rows[0].entry  # stops at the top


def test_page_down_and_the_list_scrolls_to_keep_the_selection_visible(glossary):
    chosen, browser = drive(Ranker(glossary), PAGE_DOWN + PAGE_DOWN + ENTER)
    assert browser.selected > 10 and chosen == browser.rows[browser.selected].entry
    lines = browser.visible_lines(width=60, height=5)
    selected = [line for line in lines if line[0][1] == "> "]
    assert len(lines) == 5 and len(selected) == 1
    assert "".join(text for _style, text in selected[0]).startswith("> " + chosen.title)


def test_esc_and_ctrl_c_quit_without_a_choice(glossary):
    ranker = Ranker(glossary)
    assert drive(ranker, "hand" + ESC)[0] is None
    assert drive(ranker, "hand" + CTRL_C)[0] is None


def test_enter_with_no_match_does_nothing(glossary):
    ranker = Ranker(glossary)
    assert list(ranker.rank("zzqqxx")) == []
    # Enter typed ahead of the ranking waits for it, and an empty ranking chooses nothing; Esc may
    # arrive before or after the ranking lands, so the rows at exit are not part of this contract.
    assert drive(ranker, "zzqqxx" + ENTER + ESC)[0] is None


def test_no_match_is_shown_as_one_line(glossary):
    ranker = Ranker(glossary)
    with create_pipe_input() as pipe:
        browser = Browser(ranker, input=pipe, output=DummyOutput())
        browser._show(ranker.rank("zzqqxx"))
        assert browser.visible_lines(40, 5) == [[("class:empty", "  no matches")]]


def test_backspace_widens_the_filter_again(glossary):
    chosen, _ = drive(Ranker(glossary), "ahtx" + "\x7f" + ENTER)
    assert chosen.term == "Average Handle Time"


def test_a_category_filter_applies_to_what_can_be_chosen(glossary):
    people = glossary.filtered(category="roles")
    chosen, browser = drive(Ranker(glossary, people, category="roles"), "agent" + ENTER)
    assert chosen.category == "roles"
    assert all(row.entry.category == "roles" for row in browser.rows)


def test_enter_right_after_typing_on_a_large_glossary_waits_for_the_full_ranking(glossary):
    # The instant prefix match knows nothing of questions; the full ranking answers NPS.
    ranker = Ranker(glossary, instant_above=1)
    assert ranker.instant("what is nps") == []
    chosen, browser = drive(ranker, "what is nps" + ENTER)
    assert chosen.term == "Net Promoter Score" and not browser.refining


def test_the_preview_is_defines_plain_text_wrapped_to_the_pane(glossary):
    from bpoterms.plain import entry_text

    _, browser = drive(Ranker(glossary), "aht" + ESC)
    entry = browser.rows[0].entry
    lines = ["".join(text for _style, text in line) for line in browser.preview_lines(38)]
    assert all(len(line) <= 38 for line in lines)
    assert lines[0] == entry_text(entry, glossary).split("\n")[0]
    assert " ".join(" ".join(lines).split()) == " ".join(entry_text(entry, glossary).split())


# ---------------------------------------------------------------- the installed command


def test_without_a_terminal_it_says_so_and_exits_2():
    result = subprocess.run(
        [*installed_command(), "browse"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,  # no controlling terminal, as under cron or CI
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("bpoterms: error: browse needs a terminal") and result.stderr.count("\n") == 1


def test_an_unknown_category_is_a_usage_error_before_any_drawing():
    result = subprocess.run(
        [*installed_command(), "browse", "--category", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
    )
    assert result.returncode == 2 and "unknown category 'nope'" in result.stderr


def test_without_prompt_toolkit_the_command_names_what_to_install():
    code = "import sys; sys.modules['prompt_toolkit'] = None; sys.argv = ['bpoterms', 'browse']\n"
    code += "from bpoterms.cli import main\nmain()\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == (
        "bpoterms: error: browse needs the prompt_toolkit package, which is not installed: "
        "pip install 'bpoterms[browse]'\n"
    )


class Pty:
    """The installed command on a pseudo-terminal of a given size, its stdout optionally a pipe."""

    def __init__(self, args: list[str], rows: int = 24, columns: int = 80, pipe_stdout: bool = False) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.out_read = None
        out_write = None
        if pipe_stdout:
            self.out_read, out_write = os.pipe()
        command = [*installed_command(), *args]
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
        self.pid, self.master = pty.fork()
        if self.pid == 0:  # the child: the pty is its controlling terminal
            if out_write is not None:
                os.dup2(out_write, 1)
            os.execve(command[0], command, env)
        if out_write is not None:
            os.close(out_write)
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.initial = termios.tcgetattr(self.master)
        self.screen = b""

    def read_until(self, wanted: bytes, timeout: float = 30.0) -> bytes:
        deadline = time.monotonic() + timeout
        while wanted not in self.screen:
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {wanted!r} in {self.screen[-2000:]!r}")
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.screen += os.read(self.master, 65536)
                except OSError:  # the child exited and closed the terminal
                    break
        return self.screen

    def settle(self, quiet: float = 0.5, timeout: float = 30.0) -> None:
        """Read until the screen stops changing: the keys sent so far have been handled and drawn.

        (The raw stream cannot be searched for text after the first frame: prompt_toolkit redraws
        only the cells that change, moving the cursor over the rest.)"""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                return
            try:
                self.screen += os.read(self.master, 65536)
            except OSError:
                return
        raise AssertionError("the screen never settled")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 30.0) -> tuple[int, bytes]:
        """Wait for the exit status; everything the child wrote to the pipe (if any)."""
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(self.pid, 9)
                raise AssertionError("the finder did not exit")
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                with contextlib.suppress(OSError):  # the child has closed the terminal
                    self.screen += os.read(self.master, 65536)
        stdout = b""
        if self.out_read is not None:
            while chunk := os.read(self.out_read, 65536):
                stdout += chunk
            os.close(self.out_read)
        return os.waitstatus_to_exitcode(status), stdout


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_installed_browse_in_a_pty_prints_the_chosen_term_to_a_pipe_and_restores_the_terminal():
    import termios

    session = Pty(["browse", "--print", "term"], pipe_stdout=True)
    session.read_until(b"\x1b[?1049h")  # the alternate screen: the user's scrollback is left alone
    session.read_until(b"Enter choose")  # the status line is drawn
    session.send("what is nps")
    session.settle()
    session.send(ENTER)
    code, stdout = session.finish()
    assert code == 0
    assert shlex.split(stdout.decode()) == ["Net Promoter Score"]  # exactly the term, quoted for xargs
    assert b"\x1b[?1049l" in session.screen  # back to the normal screen
    after = termios.tcgetattr(session.master)
    assert after[3] & (termios.ICANON | termios.ECHO) == session.initial[3] & (termios.ICANON | termios.ECHO)
    os.close(session.master)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_installed_browse_in_a_pty_esc_exits_130_with_the_terminal_restored():
    import termios

    session = Pty(["browse"], rows=24, columns=40)
    session.read_until(b"Enter choose")
    session.send("hold")
    session.settle()
    session.send(ESC)
    code, _ = session.finish()
    assert code == 130
    assert b"\x1b[?1049l" in session.screen
    after = termios.tcgetattr(session.master)
    assert after[3] & termios.ICANON and after[3] & termios.ECHO  # cooked mode again, echo on
    os.close(session.master)


# ---------------------------------------------------------------- the screen, as tmux shows it

TMUX = shutil.which("tmux")


class Tmux:
    """The installed command in a detached tmux window of a given size, on a private tmux server."""

    def __init__(self, tmp_path: Path, args: list[str], columns: int, rows: int) -> None:
        self.socket = f"bpoterms-test-{os.getpid()}-{columns}x{rows}"
        self.status = tmp_path / "status"
        script = tmp_path / "run.sh"
        exports = "".join(
            f"export {k}={shlex.quote(v)}\n"
            for k, v in os.environ.items()
            if k.startswith(("BPOTERMS", "XDG_", "HOME", "PATH")) and re.fullmatch(r"\w+", k)
        )
        command = " ".join(shlex.quote(part) for part in [*installed_command(), *args])
        script.write_text(f"{exports}{command} > {tmp_path}/stdout\necho $? > {self.status}\nsleep 30\n")
        self.tmux("new-session", "-d", "-x", str(columns), "-y", str(rows), f"sh {script}")
        self.socket_path = self.tmux("display-message", "-p", "#{socket_path}").strip()

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            [TMUX, "-L", self.socket, "-f", os.devnull, *args], capture_output=True, text=True, timeout=30, check=True
        ).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        return self.wait_until(lambda screen: text in screen, timeout)

    def wait_until(self, ready, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while not ready(screen := self.screen()):
            if time.monotonic() > deadline:
                raise AssertionError(f"not ready:\n{screen}")
            time.sleep(0.1)
        return screen

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True, timeout=30)
        if self.socket_path:
            Path(self.socket_path).unlink(missing_ok=True)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
@pytest.mark.parametrize(("columns", "rows"), [(80, 24), (40, 24), (120, 30)])
def test_installed_browse_on_tmuxs_screen_at_several_sizes(tmp_path, columns, rows):
    window = Tmux(tmp_path, ["browse", "--color", "never"], columns, rows)
    try:
        window.wait_for("Enter choose")
        window.keys("-l", "csat vs nps")
        screen = window.wait_until(lambda screen: "\n> Customer Satisfaction Score" in screen)
        lines = screen.rstrip("\n").split("\n")
        assert lines[0] == "> csat vs nps"
        assert lines[1].startswith("> Customer Satisfaction Score")  # the selected row
        assert lines[2].startswith("  Net Promoter Score")
        assert len(lines) <= rows and all(len(line) <= columns for line in lines)
        assert re.match(r" \d+/\d+", lines[-1])  # the status line: rows shown / entries
        if columns >= 100:  # the preview beside the list
            preview = [line.split("│", 1)[1] for line in lines[1:-1]]
        else:  # the preview under the list
            preview = lines[next(i for i, line in enumerate(lines) if line.startswith("─")) + 1 : -1]
        assert preview[0].startswith("Customer Satisfaction Score (CSAT)")
        window.keys("Down", "Enter")
        deadline = time.monotonic() + 30
        while not window.status.exists() or not window.status.read_text().strip():
            assert time.monotonic() < deadline, window.screen()
            time.sleep(0.1)
        assert window.status.read_text().strip() == "0"
        printed = (tmp_path / "stdout").read_text(encoding="utf-8")
        assert printed.startswith("Net Promoter Score (NPS) [metrics]\n  ")  # define's plain text, to the file
    finally:
        window.close()


def test_browse_is_documented():
    from .conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "bpoterms browse" in readme and "docs/img/browse.png" in readme
    assert (REPO / "docs" / "img" / "browse.png").is_file()


def test_open_glossary_layers_reach_browse(team_glossary):
    """The same loading as every command: a team's WQ is there to browse."""
    glossary = open_glossary([str(team_glossary)])
    assert terms(Ranker(glossary).rank("WQ"))[0] == "Work Queue"
