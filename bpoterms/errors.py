"""The package's own exceptions; the CLI maps each to one line and an exit code."""

from __future__ import annotations


class BpotermsError(Exception):
    """Base class: anything the core raises on purpose."""

    exit_code = 2


class GlossaryError(BpotermsError):
    """A glossary file cannot be used; carries where and why, for a one-line message."""

    def __init__(self, file: str, reason: str, line: int | None = None, column: int | None = None):
        self.file = file
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.reason}"


class QueryError(BpotermsError):
    """A query that cannot be run at all (empty, or a regular expression that does not compile)."""


class UnknownNameError(BpotermsError):
    """A category or source named in an option does not exist."""
