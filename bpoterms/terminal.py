"""The one place that asks about the terminal: is stdout one, how wide, NO_COLOR and FORCE_COLOR.

Stdlib only and free of `typing`, so the fast route decides exactly as the full CLI does
(`commands.Output.decide` calls `decide`) without importing what the full CLI needs.
"""

from __future__ import annotations

import os
import sys

COLOR_CHOICES = ("auto", "always", "never")
# Narrower than this (COLUMNS=0, a 10-column pane) panels and tables lose their text: plain text instead.
MIN_RICH_WIDTH = 20


def decide(color: str) -> tuple[bool, bool, bool]:
    """(rich panels, colour, stdout is a terminal) for `--color`.

    never → plain; always → colour panels; auto → panels on a terminal (or with FORCE_COLOR),
    coloured unless NO_COLOR is set. Too narrow a terminal always gets plain text.
    """
    force = bool(os.environ.get("FORCE_COLOR"))
    tty = sys.stdout is not None and sys.stdout.isatty()
    if color == "never":
        return False, False, tty
    if color == "always":
        return (False, False, tty) if too_narrow() else (True, True, tty)
    rich = (tty or force) and not too_narrow()
    return rich, rich and (force or (tty and not os.environ.get("NO_COLOR"))), tty


def too_narrow() -> bool:
    """The width rich would draw at (COLUMNS first, as rich reads it) is below MIN_RICH_WIDTH."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit():
        return int(columns) < MIN_RICH_WIDTH
    return terminal_width() < MIN_RICH_WIDTH


def terminal_width() -> int:
    """The columns of the terminal on standard output, else 80: what `shutil.get_terminal_size((80,
    24))` answers when COLUMNS is not set, without importing `shutil`, which brings `fnmatch`,
    `zlib`, `bz2` and `lzma` with it (some 3 ms of a terminal lookup)."""
    try:
        columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):  # no stdout, a closed one, or not a terminal
        return 80
    return columns if columns > 0 else 80
