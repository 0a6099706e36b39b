"""The SQLite binding, without what `import sqlite3` adds on top of it.

`sqlite3` is `_sqlite3` (the C extension) plus date and time adapters, which import `datetime`:
about a tenth of Python's own start-up on the lookup route, for types the cache never stores.
Every name bpoterms uses (`connect`, `Connection`, the exception classes) is the extension's own
object, the very one `sqlite3` re-exports, so errors raised through either are caught by both.
An interpreter without the bare extension gets the package.

`insert_rows` is how a compile writes its large tables: stepping a statement costs more than
binding a row's values, so rows go in ROWS_A_STATEMENT a statement.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` stays unimported at run time (see record.py)
if TYPE_CHECKING:
    import sqlite3 as sqlite3
else:
    try:
        import _sqlite3 as sqlite3
    except ImportError:  # pragma: no cover - CPython ships the extension beside the package
        import sqlite3 as sqlite3

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

# 256 rows a statement insert a 200,000-entry glossary's keys 2–3 times as fast as one a statement;
# 1,024 values at most, within the 32,766 an SQLite statement takes (999 before SQLite 3.32: four columns).
ROWS_A_STATEMENT = 256


def insert_rows(db: sqlite3.Connection, into: str, rows: Iterable[Sequence[Any]], width: int) -> None:
    """`db.executemany(into + " VALUES (?, …)", rows)`, the same rows in the same order, written
    ROWS_A_STATEMENT rows a statement."""
    from itertools import chain, islice

    values = "(" + ", ".join(["?"] * width) + ")"
    many = f"{into} VALUES " + ", ".join([values] * ROWS_A_STATEMENT)
    each = iter(rows)
    while chunk := list(islice(each, ROWS_A_STATEMENT)):
        if len(chunk) == ROWS_A_STATEMENT:
            db.execute(many, list(chain.from_iterable(chunk)))
        else:
            db.executemany(f"{into} VALUES {values}", chunk)
