"""The terminal's width, read without `shutil`: the answer `shutil.get_terminal_size` gives."""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import struct
import sys
import termios
from collections.abc import Callable, Iterator

import pytest

from bpoterms import terminal


@pytest.fixture
def stdout_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[int], None]]:
    """Make standard output a pseudo-terminal `columns` wide (COLUMNS unset, as in most shells)."""
    opened: list[int] = []
    monkeypatch.delenv("COLUMNS", raising=False)

    def make(columns: int) -> None:
        leader, follower = pty.openpty()
        opened.extend((leader, follower))
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        stream = os.fdopen(follower, "w", closefd=False)
        monkeypatch.setattr(sys, "__stdout__", stream)

    yield make
    for descriptor in opened:
        os.close(descriptor)


@pytest.mark.parametrize("columns", [57, 132])
def test_the_width_is_the_terminals_as_shutil_reads_it(stdout_on_a_terminal, columns):
    stdout_on_a_terminal(columns)
    assert terminal.terminal_width() == columns == shutil.get_terminal_size((80, 24)).columns


def test_a_terminal_that_reports_no_width_gets_the_fallback(stdout_on_a_terminal):
    stdout_on_a_terminal(0)
    assert terminal.terminal_width() == 80 == shutil.get_terminal_size((80, 24)).columns


def test_standard_output_that_is_not_a_terminal_gets_the_fallback(monkeypatch, tmp_path):
    monkeypatch.delenv("COLUMNS", raising=False)
    with open(tmp_path / "out.txt", "w") as file:
        monkeypatch.setattr(sys, "__stdout__", file)
        assert terminal.terminal_width() == 80 == shutil.get_terminal_size((80, 24)).columns


def test_no_standard_output_gets_the_fallback(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(sys, "__stdout__", None)
    assert terminal.terminal_width() == 80


def test_a_pane_narrower_than_twenty_columns_gets_plain_text_even_with_color_always(stdout_on_a_terminal):
    stdout_on_a_terminal(12)
    assert terminal.decide("always")[:2] == (False, False)


def test_a_pane_twenty_columns_wide_gets_panels_with_color_always(stdout_on_a_terminal):
    stdout_on_a_terminal(20)
    assert terminal.decide("always")[:2] == (True, True)
