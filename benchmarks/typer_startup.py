"""A trivial six-command typer app: how much start-up does typer itself cost?

Timed by `benchmarks/facts.py --typer-python PY` against `PY -c pass`, once per typer version, each
installed in its own throwaway venv. The commands mirror bpoterms' parameter shapes (arguments,
options, enums, lists), because typer's per-parameter work is what differs between versions.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


@app.command()
def define(
    terms: Annotated[list[str], typer.Argument(help="Terms to define.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    brief: Annotated[bool, typer.Option("--brief", "-b", help="One line each.")] = False,
    color: Annotated[Color, typer.Option("--color", help="Colour.")] = Color.auto,
) -> None:
    """Define terms."""
    typer.echo(" ".join(terms))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many.")] = 10,
    category: Annotated[str | None, typer.Option("--category", "-c", help="Only this category.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search entries."""
    typer.echo(query)


@app.command("list")
def list_entries(
    category: Annotated[str | None, typer.Option("--category", "-c", help="Only this category.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List entries."""
    typer.echo("list")


@app.command("random")
def random_entry(
    seed: Annotated[int | None, typer.Option("--seed", help="Seed.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show a random entry."""
    typer.echo("random")


@app.command()
def categories(json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List categories."""
    typer.echo("categories")


@app.command()
def validate(
    paths: Annotated[list[str] | None, typer.Argument(help="Files to check.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check files."""
    typer.echo("validate")


if __name__ == "__main__":
    app()
