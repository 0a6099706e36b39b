"""The `staff` and `calc` commands: read the options, call the staffing and calc cores, print plain or rich text.

A typer module beside cli.py, which calls `register(app)`; like cli.py it is the only kind of
module that prints or exits. Every value is taken as text and read by bpoterms.quantities, so a
bad number is one line on stderr and exit 2, never click's usage block. Rich is imported only when
a terminal is drawn on.

Size: two commands with many options each, their plain and rich output side by side, so a
figure is shown the same way in both.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any, NoReturn

import typer

from .boundary import EXIT_NOT_FOUND, EXIT_USAGE, error_line
from .commands import Output, emit_json
from .errors import BpotermsError
from .terminal import COLOR_CHOICES

BAR_WIDTH = 24


def register(app: typer.Typer) -> None:
    """Add `staff` and `calc` to the bpoterms app."""
    app.command("staff")(staff)
    app.command("calc")(calc)


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    error_line(message)
    raise typer.Exit(code)


def _color(value: str) -> str:
    if value.lower() not in COLOR_CHOICES:
        _fail(f"--color: '{value}' is not one of {', '.join(COLOR_CHOICES)}")
    return value.lower()


JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout (see docs/staffing.md).")]
ColorOpt = Annotated[
    str, typer.Option("--color", help="Colour and tables: auto (a terminal without NO_COLOR), always, or never.")
]


# ---------------------------------------------------------------- staff


def staff(
    calls: Annotated[str | None, typer.Option("--calls", help="Calls offered in one interval, e.g. 100.")] = None,
    interval: Annotated[
        str | None, typer.Option("--interval", help="Interval length: 30m (the default), 15m, 1h, or seconds.")
    ] = None,
    aht: Annotated[str | None, typer.Option("--aht", help="Average handle time: 180, 3m, 4m30s.")] = None,
    target: Annotated[
        str,
        typer.Option("--target", help="Service level target: 80/20 = 80% answered within 20 s; 'none' drops it."),
    ] = "80/20",
    shrinkage: Annotated[
        str | None, typer.Option("--shrinkage", help="Share of paid time off the phones: 30% (or 30).")
    ] = None,
    max_occupancy: Annotated[
        str | None, typer.Option("--max-occupancy", help="Staff so that occupancy stays at or below this: 85%.")
    ] = None,
    asa: Annotated[str | None, typer.Option("--asa", help="Staff so that ASA is at most this: 30s.")] = None,
    model: Annotated[str, typer.Option("--model", help="erlang-c (no abandons) or erlang-a (with --patience).")] = (
        "erlang-c"
    ),
    patience: Annotated[
        str | None, typer.Option("--patience", help="Erlang A: callers' mean patience before hanging up: 120s.")
    ] = None,
    max_abandon: Annotated[
        str | None, typer.Option("--max-abandon", help="Erlang A: staff so that abandonment is at most this: 5%.")
    ] = None,
    agents: Annotated[
        str | None, typer.Option("--agents", help="What-if: the figures for this many agents instead of solving.")
    ] = None,
    forecast: Annotated[
        str | None,
        typer.Option(
            "--forecast", metavar="FILE", help="CSV of interval starts and calls (optional AHT): staff every interval."
        ),
    ] = None,
    table: Annotated[
        bool, typer.Option("--table", help="Show the figures for the headcounts around the answer, with SL bars.")
    ] = False,
    json_out: JsonOpt = False,
    csv_out: Annotated[bool, typer.Option("--csv", help="Print CSV (one row per headcount or interval).")] = False,
    color: ColorOpt = "auto",
) -> None:
    """Agents needed for a queue (Erlang C or Erlang A), or the service a given headcount gives.

    Without --agents: the least number of agents that meets every stated target (service level,
    --asa, --max-occupancy, --max-abandon), with no hidden floor: Erlang A may staff below the
    traffic, and says so. With --agents N: that headcount's figures (what-if). Scheduled headcount
    is ceil(agents / (1 − shrinkage)). See docs/staffing.md.

    Conventions: service level = calls answered within the threshold / calls offered (abandons
    count against it); ASA = mean wait of answered calls; mean wait = mean wait of all offered
    calls, abandoners included; occupancy = carried load / agents. --json gives times in seconds
    and rates as fractions 0–1.

    Durations are seconds (180) or have a unit (90s, 3m, 1h); percentages are 85% or 85, never
    0.85. Defaults: 30-minute interval, target 80/20, Erlang C.

    Examples:

      bpoterms staff --calls 100 --aht 180 --target 80/20 --shrinkage 30%

      bpoterms staff --calls 100 --aht 3m --agents 13

      bpoterms staff --calls 2000 --aht 180 --model erlang-a --patience 120s --max-abandon 5% --table

      bpoterms staff --forecast day.csv --aht 180 --shrinkage 30% --csv > plan.csv
    """
    from .quantities import parse_count, parse_duration, parse_number, parse_percent, parse_target
    from .staffing import MODELS, Targets

    colour = _color(color)
    if json_out and csv_out:
        _fail("--json and --csv cannot be combined")
    try:
        model_name = model.strip().lower()
        if model_name not in MODELS:
            _fail(f"--model: '{model}' is not one of {', '.join(MODELS)}")
        level, threshold = parse_target(target)
        targets = Targets(
            service_level=level,
            threshold=threshold,
            asa=parse_duration(asa, "--asa") if asa is not None else None,
            max_occupancy=parse_percent(max_occupancy, "--max-occupancy") if max_occupancy is not None else None,
            max_abandon=parse_percent(max_abandon, "--max-abandon") if max_abandon is not None else None,
        )
        share_off = parse_percent(shrinkage, "--shrinkage") if shrinkage is not None else 0.0
        if share_off >= 1:
            _fail("--shrinkage: must be below 100%")
        length = parse_duration(interval, "--interval") if interval is not None else None
        handle = parse_duration(aht, "--aht") if aht is not None else None
        mean_patience = parse_duration(patience, "--patience") if patience is not None else None
        if model_name == "erlang-a" and mean_patience is None:
            _fail("--model erlang-a needs --patience: how long callers wait on average before hanging up, e.g. 120s")
        if model_name == "erlang-c" and mean_patience is not None:
            _fail("--patience needs --model erlang-a (Erlang C assumes callers never hang up)")
        if forecast is not None:
            if calls is not None or agents is not None or table:
                _fail(
                    "--forecast takes its calls from the file; it cannot be combined with --calls, --agents or --table"
                )
            _staff_forecast(forecast, length, handle, targets, share_off, model_name, mean_patience, json_out, csv_out,
                            colour)  # fmt: skip
            return
        if calls is None:
            _fail("give --calls (calls offered in one interval), or --forecast FILE")
        if handle is None:
            _fail("give --aht, the average handle time (e.g. 180 or 3m)")
        headcount = parse_count(agents, "--agents") if agents is not None else None
        _staff_one(
            parse_number(calls, "--calls"), length or 1800.0, handle, targets, share_off, model_name, mean_patience,
            headcount, table, json_out, csv_out, colour,
        )  # fmt: skip
    except BpotermsError as exc:
        _fail(str(exc), exc.exit_code)


def _staff_one(
    calls: float,
    length: float,
    aht: float,
    targets: Any,
    shrinkage: float,
    model_name: str,
    patience: float | None,
    headcount: int | None,
    table: bool,
    json_out: bool,
    csv_out: bool,
    color: str,
) -> None:
    from .staff_serialize import staff_notes
    from .staffing import Model, Queue, curve, staff

    queue = Queue(calls, length, aht, model_name, patience)
    engine = Model(queue)
    metrics = staff(engine, targets, headcount)
    notes = staff_notes(metrics, targets, what_if=headcount is not None)
    rows = list(curve(engine, metrics.agents, targets)) if table else None
    if json_out or csv_out:
        from .staff_serialize import CSV_COLUMNS, csv_text, metrics_dict, staff_dict

        if csv_out:
            listed = rows if rows is not None else [metrics]
            sys.stdout.write(csv_text([metrics_dict(m, targets, model_name, shrinkage) for m in listed], CSV_COLUMNS))
            return
        emit_json(staff_dict(queue, metrics, targets, shrinkage=shrinkage, agents=headcount, notes=notes, table=rows))
        return
    out = Output.decide(color)
    out.print(
        _staff_text(queue, metrics, targets, shrinkage, headcount, notes, rows),
        lambda: _staff_rich(queue, metrics, targets, shrinkage, headcount, notes, rows),
    )


# ---------------------------------------------------------------- staff: text


def _sl(value: float, target: float | None) -> str:
    """88.8%, with more decimals when one would hide which side of the target it falls (79.996%)."""
    for places in range(1, 5):
        if target is None or (value < target) == (round(value, places + 2) < target):
            break
    return f"{value:.{places}%}"


def _seconds(value: float | None) -> str:
    return "none answered" if value is None else f"{value:.1f} s"


def _heading(queue: Any, metrics: Any, targets: Any, headcount: int | None) -> tuple[str, str]:
    from .quantities import format_duration, format_percent

    model = "Erlang A" if queue.model == "erlang-a" else "Erlang C"
    calls = f"{queue.calls:g} call{'s' if queue.calls != 1 else ''}"
    first = f"{model}: {calls} in {format_duration(queue.interval)}, AHT {queue.aht:g} s"
    if queue.patience is not None:
        first += f", patience {queue.patience:g} s"
    wanted = []
    if targets.service_level is not None:
        wanted.append(f"{format_percent(targets.service_level)} answered within {targets.threshold:g} s")
    if targets.asa is not None:
        wanted.append(f"ASA ≤ {targets.asa:g} s")
    if targets.max_occupancy is not None:
        wanted.append(f"occupancy ≤ {format_percent(targets.max_occupancy)}")
    if targets.max_abandon is not None:
        wanted.append(f"abandonment ≤ {format_percent(targets.max_abandon)}")
    second = ("what-if for " if headcount is not None else "target: ") + (", ".join(wanted) or "none stated")
    return first, second


def _figures(queue: Any, metrics: Any, targets: Any, shrinkage: float) -> list[tuple[str, str, str]]:
    """(label, value, remark) rows shared by the plain and the rich view."""
    from .quantities import format_percent
    from .staffing import scheduled

    count, exact = scheduled(metrics.agents, shrinkage)
    rows = [("agents", str(metrics.agents), "")]
    if shrinkage:
        rows.append(("scheduled", str(count), f"{metrics.agents} / (1 − {format_percent(shrinkage)}) = {exact:.1f}"))
    rows.append(("traffic", f"{metrics.traffic:.2f} erlangs", ""))
    if not metrics.stable:
        rows.append(("stable", "no", "agents ≤ traffic: the queue grows without limit"))
        return rows
    rows.append(("P(wait)", f"{metrics.p_wait:.1%}", ""))
    rows.append(("service level", _sl(metrics.service_level, targets.service_level), f"within {targets.threshold:g} s"))
    rows.append(("ASA", _seconds(metrics.asa), "answered calls"))
    rows.append(("occupancy", f"{metrics.occupancy:.1%}", ""))
    if queue.model == "erlang-a":
        rows.append(("abandoned", f"{metrics.p_abandon:.1%}", ""))
        rows.append(("mean wait", _seconds(metrics.mean_wait), "all calls, abandoners included"))
    return rows


def _staff_text(
    queue: Any, metrics: Any, targets: Any, shrinkage: float, headcount: int | None, notes: list[str], rows: Any
) -> str:
    first, second = _heading(queue, metrics, targets, headcount)
    lines = [first, second, ""]
    figures = _figures(queue, metrics, targets, shrinkage)
    width = max(len(label) for label, _, _ in figures)
    for label, value, remark in figures:
        lines.append(f"  {label:<{width}}  {value}" + (f"  ({remark})" if remark else ""))
    if notes:
        lines.append("")
        lines += [f"note: {note}" for note in notes]
    if rows is not None:
        lines += ["", *_table_text(queue, rows, targets, metrics.agents)]
    return "\n".join(lines)


def _bar(fraction: float, width: int = BAR_WIDTH) -> tuple[int, int]:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return filled, width - filled


def _plain_bar(fraction: float, target: float | None) -> str:
    """`###########|####....`: the service level, with the target marked where it falls."""
    filled, empty = _bar(fraction)
    cells = ["#"] * filled + ["."] * empty
    if target is not None:
        cells[min(BAR_WIDTH - 1, round(target * BAR_WIDTH))] = "|"
    return "".join(cells)


def _table_cells(queue: Any, m: Any, targets: Any) -> list[str]:
    if not m.stable:
        cells = [str(m.agents), "unstable", "", ""]
        return cells + (["", ""] if queue.model == "erlang-a" else [])
    cells = [str(m.agents), _sl(m.service_level, targets.service_level), _seconds(m.asa), f"{m.occupancy:.1%}"]
    if queue.model == "erlang-a":
        cells += [f"{m.p_abandon:.1%}", _seconds(m.mean_wait)]
    return cells


def _table_headers(queue: Any) -> list[str]:
    headers = ["agents", "SL", "ASA", "occupancy"]
    return headers + (["abandoned", "mean wait"] if queue.model == "erlang-a" else [])


def _table_text(queue: Any, rows: Any, targets: Any, answer: int) -> list[str]:
    from .staffing import meets

    headers = _table_headers(queue)
    body = [_table_cells(queue, m, targets) for m in rows]
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)) + "  service level"]
    for m, cells in zip(rows, body, strict=True):
        bar = _plain_bar(m.service_level if m.stable else 0.0, targets.service_level)
        mark = " <" if m.agents == answer else (" ok" if meets(m, targets) else "")
        lines.append("  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)) + f"  {bar}{mark}")
    return lines


def _staff_rich(
    queue: Any, metrics: Any, targets: Any, shrinkage: float, headcount: int | None, notes: list[str], rows: Any
) -> Any:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from .staffing import meets

    first, second = _heading(queue, metrics, targets, headcount)
    parts: list[Any] = [Text(first, style="bold"), Text(second, style="dim")]
    figures = Table(box=None, show_header=False, padding=(0, 2, 0, 2))
    figures.add_column(style="cyan")
    figures.add_column(justify="right", style="bold")
    figures.add_column(style="dim")
    good = meets(metrics, targets)
    for label, value, remark in _figures(queue, metrics, targets, shrinkage):
        style = ("green" if good else "red") if label in ("agents", "service level") else ""
        figures.add_row(label, Text(value, style=style), remark)
    parts.append(figures)
    for note in notes:
        parts.append(Text(f"note: {note}", style="yellow"))
    if rows is not None:
        curve = Table(box=box.SIMPLE_HEAD, show_edge=False)
        for header in _table_headers(queue):
            curve.add_column(header, justify="right")
        curve.add_column("service level")
        for m in rows:
            ok = meets(m, targets)
            glyphs = {"#": ("█", "green" if ok else "red"), ".": ("·", "dim"), "|": ("│", "bold")}
            bar = Text()
            for char in _plain_bar(m.service_level if m.stable else 0.0, targets.service_level):
                glyph, style = glyphs[char]
                bar.append(glyph, style=style)
            if m.agents == metrics.agents:
                bar.append(" ◀", style="bold")
            curve.add_row(*_table_cells(queue, m, targets), bar, style="bold" if m.agents == metrics.agents else "")
        parts.append(curve)
    return Group(*parts)


# ---------------------------------------------------------------- staff --forecast


def _read_forecast(path: str) -> str:
    from pathlib import Path

    from .quantities import InputError

    try:
        if path == "-":
            if sys.stdin is None:
                raise InputError("--forecast -: there is no standard input")
            raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        else:
            file = Path(path)
            if file.is_dir():
                raise InputError(f"{path}: is a folder, not a CSV file")
            raw = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text") from None


def _staff_forecast(
    path: str,
    length: float | None,
    aht: float | None,
    targets: Any,
    shrinkage: float,
    model_name: str,
    patience: float | None,
    json_out: bool,
    csv_out: bool,
    color: str,
) -> None:
    from .forecast import plan
    from .staff_serialize import plan_csv, plan_dict
    from .staffing import check_targets

    check_targets(targets, model_name)
    name = "<stdin>" if path == "-" else path
    result = plan(
        _read_forecast(path), name, interval=length, aht=aht, targets=targets, shrinkage=shrinkage, model=model_name,
        patience=patience,
    )  # fmt: skip
    if json_out or csv_out:
        doc = plan_dict(result, targets, model=model_name, patience=patience, shrinkage=shrinkage)
        if csv_out:
            sys.stdout.write(plan_csv(doc))
        else:
            emit_json(doc)
        return
    out = Output.decide(color)
    out.print(
        _plan_text(result, targets, shrinkage, model_name, patience),
        lambda: _plan_rich(result, targets, shrinkage, model_name, patience),
    )


def _plan_heading(plan: Any, targets: Any, shrinkage: float, model_name: str, patience: float | None) -> str:
    from .plain import safe
    from .quantities import format_duration, format_percent

    model = "Erlang A" if model_name == "erlang-a" else "Erlang C"
    source = " (from the file)" if plan.interval_from_file else ""
    parts = [f"{safe(plan.file)}: {len(plan.intervals)} intervals of {format_duration(plan.interval)}{source}", model]
    if patience is not None:
        parts[-1] += f", patience {patience:g} s"
    if targets.service_level is not None:
        parts.append(f"target {format_percent(targets.service_level)} in {targets.threshold:g} s")
    if shrinkage:
        parts.append(f"shrinkage {format_percent(shrinkage)}")
    return ", ".join(parts)


def _plan_rows(plan: Any, targets: Any, model_name: str) -> tuple[list[str], list[list[str]]]:
    from .plain import safe

    headers = ["start", "calls", "AHT", "erlangs", "agents", "scheduled", "SL", "ASA", "occupancy"]
    if model_name == "erlang-a":
        headers.append("abandoned")
    body = []
    for i in plan.intervals:
        m = i.metrics
        cells = [
            safe(i.row.start), f"{i.row.calls:g}", f"{i.aht:g}", f"{m.traffic:.2f}", str(m.agents), str(i.scheduled),
            _sl(m.service_level, targets.service_level), _seconds(m.asa) if i.row.calls else "-", f"{m.occupancy:.1%}",
        ]  # fmt: skip
        if model_name == "erlang-a":
            cells.append(f"{m.p_abandon:.1%}")
        body.append(cells)
    return headers, body


def _plan_totals(plan: Any, shrinkage: float, model_name: str) -> str:
    from .plain import safe
    from .quantities import format_percent

    t = plan.totals
    parts = [
        f"{t.calls:,.0f} calls",
        f"peak {t.peak_agents} agents at {safe(t.peak_start)}",
        f"{t.agent_hours:,.1f} agent-hours",
        f"{t.scheduled_hours:,.1f} scheduled hours"
        + (f" ({format_percent(shrinkage)} shrinkage)" if shrinkage else ""),
        f"SL {t.service_level:.1%}",
    ]
    if t.asa is not None:
        parts.append(f"ASA {t.asa:.1f} s")
    if model_name == "erlang-a":
        parts.append(f"abandoned {t.p_abandon:.1%}")
    weighted = "SL, ASA and abandonment" if model_name == "erlang-a" else "SL and ASA"
    return "day: " + ", ".join(parts) + f" ({weighted} weighted by calls)"


def _plan_text(plan: Any, targets: Any, shrinkage: float, model_name: str, patience: float | None) -> str:
    headers, body = _plan_rows(plan, targets, model_name)
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(headers)]
    lines = [_plan_heading(plan, targets, shrinkage, model_name, patience), ""]
    lines.append(
        "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths, strict=True)))
    )
    for cells in body:
        lines.append(
            "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        )
    lines += ["", _plan_totals(plan, shrinkage, model_name)]
    return "\n".join(lines)


def _plan_rich(plan: Any, targets: Any, shrinkage: float, model_name: str, patience: float | None) -> Any:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    headers, body = _plan_rows(plan, targets, model_name)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for i, header in enumerate(headers):
        table.add_column(header, justify="left" if i == 0 else "right", style="bold" if header == "agents" else "")
    peak = plan.totals.peak_agents
    for interval, cells in zip(plan.intervals, body, strict=True):
        table.add_row(*cells, style="yellow" if interval.metrics.agents == peak else "")
    return Group(
        Text(_plan_heading(plan, targets, shrinkage, model_name, patience), style="bold"),
        table,
        Text(_plan_totals(plan, shrinkage, model_name)),
    )


# ---------------------------------------------------------------- calc


def calc(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(help="The metric: a name, acronym or alias, as for `define`.")],
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="The formula's inputs as name=value, e.g. handled=100.", show_default=False),
    ] = None,
    variant: Annotated[
        str | None, typer.Option("--variant", help="Use one of the metric's named variants (see `define`).")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")] = False,
    color: ColorOpt = "auto",
) -> None:
    """Evaluate a metric's formula on your numbers, showing the formula with the numbers put in.

    Every metric with a machine-readable formula takes its inputs as name=value; `define` shows
    each one's inputs and a worked example. Metrics with competing conventions (service level,
    abandonment rate, ...) take --variant NAME. Formulas are plain arithmetic, never code.
    Exits 1 when the term is unknown or has no formula to compute, 2 for a bad or missing input.

    Examples:

      bpoterms calc AHT talk=12000 hold=1500 acw=3000 handled=100

      bpoterms calc "service level" answered_within=720 offered=900 --json

      bpoterms calc "abandonment rate" --variant "answered + abandoned" abandoned=45 answered=955
    """
    from .calc import CalcError, evaluate, format_number, parse, parse_assignments, substitute

    colour = _color(color)
    try:
        values = parse_assignments(list(inputs or []))
        entry = _calc_entry(ctx, term)
        if entry.compute is None:
            known = f"; its formula is {entry.formula}" if entry.formula else ""
            _fail(f"{entry.title} has no formula bpoterms can compute{known}", EXIT_NOT_FOUND)
        chosen = _variant(entry, variant)
        expression = parse(chosen.expression if chosen is not None and chosen.expression else entry.compute.expression)
        described = {item.name: item for item in entry.compute.inputs}
        unknown = [name for name in values if name not in expression.names]
        missing = [name for name in expression.names if name not in values]
        if missing:
            what = ", ".join(
                f"{name} ({described[name].description})" if name in described else name for name in missing
            )
            usage = " ".join(f"{name}=N" for name in expression.names)
            term = term if term.replace("-", "").isalnum() else f'"{term}"'
            raise CalcError(
                f"missing input{'s' if len(missing) > 1 else ''}: {what}; e.g. bpoterms calc {term} {usage}"
            )
        if unknown:
            raise CalcError(
                f"unknown input{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: {entry.title} takes"
                f" {', '.join(expression.names)}"
            )
        result = evaluate(expression, values)
    except BpotermsError as exc:
        _fail(str(exc), exc.exit_code)
    substituted = substitute(expression, values)
    unit = entry.compute.unit
    if json_out:
        from .staff_serialize import calc_dict

        emit_json(
            calc_dict(entry.term, entry.acronym, chosen.name if chosen else None, expression.text,
                      {n: values[n] for n in expression.names}, substituted, result, unit)
        )  # fmt: skip
        return
    shown = format_number(round(result, 3)) + _unit_suffix(unit)
    lines = _calc_lines(entry, chosen, expression, described, values, substituted, shown)
    Output.decide(colour).print("\n".join(text for text, _ in lines), lambda: _calc_rich(lines))


def _unit_suffix(unit: str | None) -> str:
    if not unit:
        return ""
    return unit if unit == "%" else f" {unit}"


def _calc_entry(ctx: typer.Context, term: str) -> Any:
    """The entry TERM names, resolved as `define` does; a miss is printed with suggestions, exit 1."""
    from .glossary import open_glossary
    from .lookup import resolve
    from .model import Ambiguous, Comparison, Match, NotFound

    settings = ctx.obj
    glossary = open_glossary(
        getattr(settings, "glossaries", []),
        getattr(settings, "include_builtin", True),
        getattr(settings, "use_cache", True),
    )
    found = resolve(glossary, term)
    if isinstance(found, Match):
        return found.entry
    if isinstance(found, Ambiguous):
        computable = [m.entry for m in found.matches if m.entry.compute is not None]
        if len(computable) == 1:
            return computable[0]
        names = " or ".join(f"'{m.entry.term}'" for m in found.matches)
        _fail(f"'{term}' names several entries; say which: {names}")
    if isinstance(found, Comparison):
        _fail("calc computes one metric at a time")
    assert isinstance(found, NotFound)
    from . import plain

    out = Output.decide("never")
    out.print(plain.not_found_text(found), stderr=True)
    raise typer.Exit(EXIT_NOT_FOUND)


def _variant(entry: Any, wanted: str | None) -> Any:
    from .calc import CalcError
    from .normalize import fold

    if wanted is None:
        return None
    if not entry.variants:
        raise CalcError(f"{entry.title} has no variants")
    key = fold(wanted)
    exact = [v for v in entry.variants if fold(v.name) == key]
    partial = exact or [v for v in entry.variants if key and key in fold(v.name)]
    names = "; ".join(v.name for v in entry.variants)
    if len(partial) != 1:
        problem = "matches several variants" if partial else "is not a variant"
        raise CalcError(f"--variant '{wanted}' {problem} of {entry.title}: {names}")
    chosen = partial[0]
    if not chosen.expression:
        raise CalcError(f"the variant '{chosen.name}' has no formula bpoterms can compute; it is {chosen.formula}")
    return chosen


def _calc_lines(
    entry: Any, chosen: Any, expression: Any, described: dict[str, Any], values: dict[str, float], substituted: str,
    shown: str,
) -> list[tuple[str, str]]:  # fmt: skip
    """(text, style) lines shared by the plain and the rich view."""
    from .calc import format_number
    from .plain import safe

    title = safe(entry.title) + (f", {safe(chosen.name)} ({safe(chosen.used_by)})" if chosen else "")
    lines = [(title, "bold"), (f"  {safe(expression.text)}", "green")]
    width = max(len(n) for n in expression.names) if expression.names else 0
    for name in expression.names:
        item = described.get(name)
        unit = f" {item.unit}" if item is not None and item.unit else ""
        about = f"  {safe(item.description)}" if item is not None else ""
        lines.append((f"    {name:<{width}} = {format_number(values[name])}{safe(unit)}{about}", "dim"))
    lines.append((f"  = {safe(substituted)}", ""))
    lines.append((f"  = {safe(shown)}", "bold"))
    return lines


def _calc_rich(lines: list[tuple[str, str]]) -> Any:
    from rich.text import Text

    text = Text()
    for i, (line, style) in enumerate(lines):
        text.append(("\n" if i else "") + line, style=style)
    return text
