"""`bpoterms browse`: a full-screen, fzf-style finder over the loaded glossaries, built on prompt_toolkit.

Typing filters with the core's own ranking (bpoterms.lookup): first what `define` would answer
(`resolve`: the entry, every reading of a shared name, both sides of `A vs B`), then `search`
(names, acronyms and aliases, then definitions), then the resolver's "did you mean" suggestions.
The preview pane is `define`'s plain text.

The query box never waits for the ranking: each keystroke only schedules it, in a worker thread
that always ranks the latest query. Keys typed ahead of it (arrows, Enter) apply to the ranking of
what was typed before them. On a glossary too large to rank within a keystroke (INSTANT_ABOVE
names) an instant prefix match on names is shown meanwhile, and keys apply to what is shown.

Like the core, this module prints nothing and never exits: `browse` returns the chosen entry, or
None when the user quits; extra_cli.py prints and picks the exit code. Only that command imports
it, so no other command pays for importing prompt_toolkit.

Size: one prompt_toolkit application — layout, key bindings, the ranking worker and the preview —
whose parts only make sense together.
"""

from __future__ import annotations

import contextlib
import os
import sys
import textwrap
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from prompt_toolkit.application import Application, get_app
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import (
    BufferControl,
    DynamicContainer,
    FormattedTextControl,
    HSplit,
    Layout,
    UIContent,
    UIControl,
    VSplit,
    Window,
)
from prompt_toolkit.layout.dimension import Dimension
from prompt_toolkit.layout.processors import BeforeInput
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.styles import Style

from .errors import BpotermsError, QueryError
from .lookup import resolve
from .model import Ambiguous, Comparison, Entry, Match, NotFound
from .normalize import compact, normalize
from .plain import entry_text, safe
from .ranking import search

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.key_binding import KeyPressEvent
    from prompt_toolkit.output import Output

    from .store import Glossary

LIMIT = 500  # rows a query can show; the full ranking costs the same for 10 or 500
INSTANT_LIMIT = 100  # rows of the instant prefix match on a large glossary
# From this many names (terms, acronyms, aliases) up, ranking takes long enough (hundreds of ms at
# 200,000 entries) that an instant prefix match is shown while it runs; the built-in glossary ranks
# in tens of milliseconds, not worth a flicker.
INSTANT_ABOVE = 20_000
WIDE = 100  # columns from which the preview sits beside the list rather than under it
PROMPT = "> "

STYLE = Style.from_dict(
    {
        "prompt": "bold",
        "row": "",
        "match": "bold underline ansicyan",
        "category": "ansibrightblack",
        "selected": "reverse",
        "selected match": "bold underline",
        "selected category": "",
        "empty": "italic ansibrightblack",
        "line": "ansibrightblack",
        "preview": "",
        "preview.title": "bold",
        "status": "reverse",
    }
)


class NoTerminal(BpotermsError):
    """browse was started without a terminal to draw on (a pipe, a cron job, CI)."""


class Row(NamedTuple):
    entry: Entry
    how: str  # how it matched: exact, acronym, alias, inflection, fuzzy, term, definition, suggestion; "" when listed


# ---------------------------------------------------------------- ranking (no UI)


class _Listing(Sequence[Row]):
    """Every entry of a glossary, alphabetical, read one row at a time: 200,000 rows cost nothing up front."""

    def __init__(self, glossary: Glossary) -> None:
        self._glossary = glossary

    def __len__(self) -> int:
        return len(self._glossary)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return Row(self._glossary.entry_at(index), "")


class Ranker:
    """The rows for a query, restricted to the entries browse may show (`list`'s filters).

    `entries` is the filtered list (`Glossary.filtered`), or None for every entry.
    """

    def __init__(
        self,
        glossary: Glossary,
        entries: Sequence[Entry] | None = None,
        *,
        category: str | None = None,
        narrow: bool = False,
        limit: int = LIMIT,
        instant_above: int = INSTANT_ABOVE,
    ) -> None:
        self.glossary = glossary
        self.category = category
        self.limit = limit
        self._allowed = None if entries is None else set(entries)
        self.listing: Sequence[Row] = _Listing(glossary) if entries is None else [Row(e, "") for e in entries]
        # With a source filter `search` cannot narrow for us, so ask it for everything and filter after.
        self._search_limit = len(glossary) if narrow else limit
        self.large = len(glossary.name_table().names) >= instant_above
        self._prefix: tuple[list[str], list[int]] | None = None

    def _keep(self, rows: dict[Entry, Row], entry: Entry, how: str) -> None:
        if entry not in rows and (self._allowed is None or entry in self._allowed):
            rows[entry] = Row(entry, how)

    def rank(self, query: str) -> Sequence[Row]:
        """The full ranking: resolve's answer, then search hits, then suggestions; the listing when empty."""
        if not query.strip():
            return self.listing
        try:
            found = resolve(self.glossary, query)
            hits = search(self.glossary, query, limit=self._search_limit, category=self.category)
        except QueryError:  # nothing printable typed
            return []
        rows: dict[Entry, Row] = {}
        if isinstance(found, Match):
            self._keep(rows, found.entry, found.kind)
        elif isinstance(found, (Ambiguous, Comparison)):
            for match in found.matches:
                self._keep(rows, match.entry, match.kind)
        for hit in hits:
            self._keep(rows, hit.entry, hit.matched_field)
        if isinstance(found, NotFound):
            for suggestion in found.suggestions:
                self._keep(rows, suggestion.entry, "suggestion")
        return list(rows.values())[: self.limit]

    def instant(self, query: str) -> Sequence[Row]:
        """A prefix match on names, for a large glossary while the full ranking runs: exact names
        first (as `define` finds them), then names starting with the query, alphabetically."""
        if not query.strip():
            return self.listing
        key = normalize(query)
        rows: dict[Entry, Row] = {}
        glossary = self.glossary
        for entry_id, kind in glossary.exact_hits(compact(query)):
            self._keep(rows, glossary.entry_at(entry_id), kind)
        if not key:
            return list(rows.values())
        names, order = self._prefix_index()
        table = glossary.name_table()
        position = bisect_left(names, key)
        scanned = 0
        while position < len(names) and len(rows) < INSTANT_LIMIT and scanned < 20 * INSTANT_LIMIT:
            if not names[position].startswith(key):
                break
            i = order[position]
            self._keep(rows, glossary.entry_at(table.owners[i]), table.fields[i])
            position += 1
            scanned += 1
        return list(rows.values())

    def _prefix_index(self) -> tuple[list[str], list[int]]:
        """Normalised names sorted, with their positions in the name table; built on first use."""
        if self._prefix is None:
            names = self.glossary.name_table().names
            order = sorted(range(len(names)), key=names.__getitem__)
            self._prefix = ([names[i] for i in order], order)
        return self._prefix

    def prepare(self) -> None:
        """Do the one-off work before the first keystroke rather than during it."""
        if self.large:
            self._prefix_index()


def highlight(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) spans of `text` where a word of the query occurs, ignoring case; merged, in order.

    One-letter words only count at the start of a word, so typing `a` does not light up every a.
    """
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer: positions would drift
        return []
    spans: list[tuple[int, int]] = []
    for word in {w for w in query.lower().split() if w}:
        at = low.find(word)
        while at != -1:
            if len(word) > 1 or at == 0 or not low[at - 1].isalnum():
                spans.append((at, at + len(word)))
            at = low.find(word, at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# ---------------------------------------------------------------- the application


class _ListControl(UIControl):
    """Draws only the rows that fit, so a 200,000-row listing renders as fast as a 20-row one."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser

    def create_content(self, width: int, height: int | None) -> UIContent:
        lines = self.browser.visible_lines(width, height or 1)
        return UIContent(get_line=lambda i: lines[i], line_count=len(lines), show_cursor=False)

    def is_focusable(self) -> bool:
        return False


class _PreviewControl(UIControl):
    def __init__(self, browser: Browser) -> None:
        self.browser = browser

    def create_content(self, width: int, height: int | None) -> UIContent:
        lines = self.browser.preview_lines(width)
        return UIContent(get_line=lambda i: lines[i], line_count=len(lines), show_cursor=False)

    def is_focusable(self) -> bool:
        return False


class Browser:
    """The application's state and layout: query, ranked rows, selection and scroll position."""

    def __init__(
        self,
        ranker: Ranker,
        *,
        input: Input | None = None,
        output: Output | None = None,
        color_depth: ColorDepth | None = None,
        title: str = "",
    ) -> None:
        self.ranker = ranker
        self.title = title
        self.query = ""
        self.rows: Sequence[Row] = ranker.listing
        self.selected = 0
        self.top = 0
        self.moved = False  # the user moved the selection since the query last changed
        self.refining = False  # a full ranking for the current query is on its way
        self._worker_busy = False
        self._accept_when_ranked = False
        self._queued_moves = 0
        self.preview_offset = 0  # lines of the preview scrolled away (Shift-Up/Shift-Down)
        self._wrapped: tuple[Any, list[StyleAndTextTuples]] = (None, [])
        self.buffer = Buffer(multiline=False, on_text_changed=self._text_changed)
        self.app: Application[Entry | None] = Application(
            layout=Layout(self._container(), focused_element=self.buffer),
            key_bindings=self._bindings(),
            style=STYLE,
            full_screen=True,
            input=input,
            output=output,
            color_depth=color_depth,
        )
        self.app.ttimeoutlen = 0.05  # a lone Esc quits at once, not after half a second

    def run(self) -> Entry | None:
        self.ranker.prepare()
        return self.app.run()

    # ------------------------------------------------------------ filtering

    def _text_changed(self, buffer: Buffer) -> None:
        """Echo at once; rank in the worker. A large glossary shows its instant prefix match meanwhile,
        a small one keeps the previous rows for the few milliseconds the ranking takes."""
        self.query = buffer.text
        self.moved = False
        self._accept_when_ranked = False
        self._queued_moves = 0
        if not self.query.strip():
            self.refining = False
            self._show(self.ranker.listing)
            return
        if self.ranker.large:
            self._show(self.ranker.instant(self.query))
        self.refining = True
        if not self._worker_busy:
            self._worker_busy = True
            self.app.create_background_task(self._refine())

    async def _refine(self) -> None:
        """Rank the latest query in a worker thread; a query typed meanwhile is ranked next."""
        try:
            while True:
                query = self.query
                rows = await _in_thread(self.ranker.rank, query)
                if query == self.query:
                    break
        finally:
            self._worker_busy = False
        if not self.refining:  # the box was emptied meanwhile
            return
        self.refining = False
        if self.moved and self.rows:  # the user chose among the instant rows: keep it, wherever it now ranks
            self._show(rows, keep=self.rows[self.selected].entry)
        else:
            self._show(rows)
        if self._queued_moves:  # arrow keys pressed before the rows they move through
            self.move(self._queued_moves)
        if self._accept_when_ranked:
            self._accept()
        self.app.invalidate()

    def _show(self, rows: Sequence[Row], keep: Entry | None = None) -> None:
        self.rows = rows
        self.selected = 0
        self.top = 0
        self.preview_offset = 0
        if keep is not None:
            for i, row in enumerate(rows):
                if row.entry == keep:
                    self.selected = i
                    break

    # ------------------------------------------------------------ keys

    def _bindings(self) -> KeyBindings:
        keys = KeyBindings()
        keys.add("up")(lambda _e: self.move(-1))
        keys.add("c-p")(lambda _e: self.move(-1))
        keys.add("down")(lambda _e: self.move(1))
        keys.add("c-n")(lambda _e: self.move(1))
        keys.add("pageup")(lambda _e: self.move(-self._page()))
        keys.add("pagedown")(lambda _e: self.move(self._page()))
        keys.add("s-up")(lambda _e: self.scroll_preview(-1))
        keys.add("s-down")(lambda _e: self.scroll_preview(1))

        @keys.add("enter")
        def _enter(_event: KeyPressEvent) -> None:
            if self.refining and not self.moved:
                self._accept_when_ranked = True  # typed ahead: Enter takes the best match, not a provisional one
            else:
                self._accept()

        @keys.add("escape", eager=True)
        @keys.add("c-c")
        @keys.add("c-g")
        def _quit(event: KeyPressEvent) -> None:
            event.app.exit(result=None)

        return keys

    def _accept(self) -> None:
        if self.rows:
            self.app.exit(result=self.rows[self.selected].entry)

    def move(self, step: int) -> None:
        if self.refining and not self.ranker.large:  # typed ahead of the ranking: move once it arrives
            self._queued_moves += step
            return
        if self.rows:
            self.selected = max(0, min(len(self.rows) - 1, self.selected + step))
            self.moved = True
            self.preview_offset = 0

    def scroll_preview(self, step: int) -> None:
        self.preview_offset = max(0, self.preview_offset + step)

    def _page(self) -> int:
        info = self._list_window.render_info
        return max(1, (info.window_height if info else 10) - 1)

    # ------------------------------------------------------------ drawing

    def _container(self) -> Any:
        prompt = Window(
            BufferControl(self.buffer, input_processors=[BeforeInput(PROMPT, style="class:prompt")]), height=1
        )
        self._list_window = Window(_ListControl(self), wrap_lines=False)
        preview = Window(_PreviewControl(self), wrap_lines=False, style="class:preview")
        status = Window(FormattedTextControl(self._status_text), height=1, style="class:status", char=" ")

        def body() -> Any:
            size = get_app().output.get_size()
            if size.columns >= WIDE:
                return VSplit(
                    [
                        HSplit([self._list_window], width=Dimension(weight=2)),
                        Window(width=1, char="│", style="class:line"),
                        HSplit([preview], width=Dimension(weight=3)),
                    ]
                )
            list_rows = max(3, (size.rows - 3) * 2 // 5)
            return HSplit(
                [
                    HSplit([self._list_window], height=Dimension.exact(list_rows)),
                    Window(height=1, char="─", style="class:line"),
                    preview,
                ]
            )

        return HSplit([prompt, DynamicContainer(body), status])

    def visible_lines(self, width: int, height: int) -> list[StyleAndTextTuples]:
        """The rows that fit, scrolled so the selection shows; the selected row drawn across the width."""
        if not self.rows:
            text = "  (ranking…)" if self.refining else "  no matches"
            return [[("class:empty", text)]]
        if self.selected < self.top:
            self.top = self.selected
        elif self.selected >= self.top + height:
            self.top = self.selected - height + 1
        self.top = max(0, min(self.top, max(0, len(self.rows) - height)))
        end = min(len(self.rows), self.top + height)
        return [self._row_line(self.rows[i], i == self.selected, width) for i in range(self.top, end)]

    def _row_line(self, row: Row, selected: bool, width: int) -> StyleAndTextTuples:
        base = "class:selected " if selected else ""
        title = safe(row.entry.title)
        line: StyleAndTextTuples = [(base + "class:row", "> " if selected else "  ")]
        at = 0
        for start, end in highlight(title, self.query):
            line.append((base + "class:row", title[at:start]))
            line.append((base + "class:match", title[start:end]))
            at = end
        line.append((base + "class:row", title[at:]))
        note = safe(row.entry.category) + (" · in definition" if row.how == "definition" else "")
        line.append((base + "class:category", f"  {note}"))
        if selected:
            used = sum(len(fragment[1]) for fragment in line)
            line.append((base + "class:row", " " * max(0, width - used)))
        return line

    def preview_lines(self, width: int) -> list[StyleAndTextTuples]:
        """`define`'s plain text for the selected entry, word-wrapped to the pane, from the scroll offset."""
        if not self.rows:
            return []
        entry = self.rows[self.selected].entry
        if self._wrapped[0] != (entry, width):
            lines: list[StyleAndTextTuples] = []
            for number, line in enumerate(entry_text(entry, self.ranker.glossary).split("\n")):
                indent = " " * (len(line) - len(line.lstrip(" ")))
                style = "class:preview.title" if number == 0 else ""
                pieces = textwrap.wrap(line, max(10, width), subsequent_indent=indent + "  ") or [""]
                lines += [[(style, piece)] for piece in pieces]
            self._wrapped = ((entry, width), lines)
        lines = self._wrapped[1]
        self.preview_offset = max(0, min(self.preview_offset, len(lines) - 1))
        return lines[self.preview_offset :]

    def _status_text(self) -> StyleAndTextTuples:
        count = f" {len(self.rows)}/{len(self.ranker.listing)}" + ("…" if self.refining else "")
        parts = [count]
        if self.title:
            parts.append(self.title)
        parts.append("↑↓ move  Enter choose  Esc quit")
        return [("class:status", "  ".join(parts))]


async def _in_thread(function: Any, *args: Any) -> Any:
    """`function(*args)` in a daemon thread: unlike an executor's, it never holds up the exit after Enter."""
    import asyncio
    import threading

    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def settle(outcome: Any, failed: bool) -> None:
        if not future.done():
            (future.set_exception if failed else future.set_result)(outcome)

    def work() -> None:
        try:
            outcome, failed = function(*args), False
        except BaseException as exc:  # handed to the awaiting task, which re-raises it
            outcome, failed = exc, True
        with contextlib.suppress(RuntimeError):  # the finder has already closed its event loop
            loop.call_soon_threadsafe(settle, outcome, failed)

    threading.Thread(target=work, name="bpoterms-browse-rank", daemon=True).start()
    return await future


# ---------------------------------------------------------------- the terminal


@contextlib.contextmanager
def terminal() -> Iterator[tuple[Input, Output]]:
    """The user's terminal, even when stdout is a pipe (`browse --print term | xargs ...`), as fzf does.

    Raises NoTerminal, worded for one line, when there is none to draw on.
    """
    from prompt_toolkit.input import create_input
    from prompt_toolkit.output import create_output

    if os.environ.get("TERM") == "dumb":
        raise NoTerminal("browse needs a full-screen terminal, and TERM is 'dumb'")
    if sys.platform == "win32":
        if not (sys.stdin and sys.stdin.isatty() and sys.stdout and sys.stdout.isatty()):
            raise NoTerminal("browse needs a terminal: standard input and output are not a console")
        yield create_input(), create_output()
        return
    try:
        reader = open("/dev/tty", encoding="utf-8")  # noqa: SIM115  (closed below, after the app)
    except OSError:
        raise NoTerminal("browse needs a terminal, and this process has none (use search or list in scripts)") from None
    try:
        writer = open("/dev/tty", "w", encoding="utf-8")  # noqa: SIM115
    except OSError:
        reader.close()
        raise NoTerminal("browse needs a terminal, and /dev/tty cannot be written") from None
    try:
        yield create_input(reader), create_output(writer)
    finally:
        reader.close()
        writer.close()


def browse(
    glossary: Glossary,
    entries: Sequence[Entry] | None = None,
    *,
    category: str | None = None,
    narrow: bool = False,
    colour: bool = True,
    title: str = "",
) -> Entry | None:
    """Run the finder on the user's terminal; the chosen entry, or None when the user quit."""
    ranker = Ranker(glossary, entries, category=category, narrow=narrow)
    with terminal() as (tty_in, tty_out):
        depth = None if colour else ColorDepth.MONOCHROME
        return Browser(ranker, input=tty_in, output=tty_out, color_depth=depth, title=title).run()
