"""The SQLite binding, without what `import sqlite3` adds on top of it.

`sqlite3` is `_sqlite3` (the C extension) plus date and time adapters, which import `datetime`:
about a tenth of Python's own start-up on the lookup route, for types the cache never stores.
Every name bpoterms uses (`connect`, `Connection`, the exception classes) is the extension's own
object, the very one `sqlite3` re-exports, so errors raised through either are caught by both.
An interpreter without the bare extension gets the package.
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
