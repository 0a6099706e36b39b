"""Interval plans: read a day's forecast (CSV: start, calls, optional AHT), staff every interval, total the day.

A header row is optional. With one, columns are found by name (start/interval/time, calls/volume/
offered/contacts, aht/handle_time) and others are ignored; without one, the columns are start,
calls and, optionally, AHT. Blank lines and lines starting with '#' are skipped. Starts are times
(`08:30`) or date-times (`2026-05-04 23:30`, needed for a plan that runs past midnight); they must
increase, by a multiple of the interval length. Every bad row is reported as `FILE:LINE: message`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from .quantities import InputError, format_duration, parse_duration
from .staffing import Metrics, Model, Queue, StaffingError, Targets, scheduled, solve

_START_NAMES = ("start", "interval", "interval_start", "time", "period", "datetime", "date_time", "timestamp")
_CALLS_NAMES = ("calls", "volume", "offered", "calls_offered", "contacts", "forecast", "forecast_calls")
_AHT_NAMES = ("aht", "handle_time", "aht_seconds", "aht_s", "average_handle_time")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
MAX_ROWS = 100_000


class ForecastError(InputError):
    """A forecast file that cannot be used, located at its line."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file, self.line, self.reason = file, line, reason
        super().__init__(f"{file}:{line}: {reason}" if line is not None else f"{file}: {reason}")


class Row(NamedTuple):
    """One interval of the forecast, as read."""

    line: int
    start: str
    seconds: float  # the start as seconds (since midnight, or since year 1 for date-times)
    calls: float
    aht: float | None


class Interval(NamedTuple):
    """One interval of the plan: what was forecast and what it takes."""

    row: Row
    aht: float
    metrics: Metrics
    scheduled: int
    scheduled_fractional: float


class Totals(NamedTuple):
    calls: float
    peak_agents: int
    peak_start: str
    agent_hours: float
    scheduled_hours: float  # agent hours / (1 − shrinkage)
    service_level: float  # call-weighted mean of the intervals' service levels
    asa: float | None  # weighted by answered calls
    p_abandon: float  # call-weighted


class Plan(NamedTuple):
    file: str
    interval: float
    interval_from_file: bool
    intervals: tuple[Interval, ...]
    totals: Totals


def _start_seconds(text: str, file: str, line: int) -> tuple[float, bool]:
    """(seconds, is a date-time) for `08:30`, `8:30:00`, `2026-05-04 08:30` or `2026-05-04T08:30`."""
    raw = text.strip()
    match = _TIME.fullmatch(raw)
    if match:
        hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
        if hours > 23 or minutes > 59 or seconds > 59:
            raise ForecastError(file, line, f"'{raw}' is not a time of day")
        return hours * 3600 + minutes * 60 + seconds, False
    from datetime import datetime

    try:
        stamp = datetime.fromisoformat(raw)
    except ValueError:
        raise ForecastError(
            file, line, f"'{raw}' is not an interval start (write a time, 08:30, or a date-time, 2026-05-04 08:30)"
        ) from None
    return stamp.toordinal() * 86400.0 + stamp.hour * 3600 + stamp.minute * 60 + stamp.second, True


def _columns(header: list[str], file: str, line: int) -> tuple[int, int, int | None]:
    names = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in header]

    def find(choices: Sequence[str], label: str, required: bool) -> int | None:
        for i, name in enumerate(names):
            if name in choices:
                return i
        if required:
            raise ForecastError(
                file, line, f"the header names no {label} column (call it one of: {', '.join(choices[:4])})"
            )
        return None

    start = find(_START_NAMES, "interval start", True)
    calls = find(_CALLS_NAMES, "calls", True)
    assert start is not None and calls is not None
    return start, calls, find(_AHT_NAMES, "AHT", False)


def read_rows(text: str, file: str) -> list[Row]:
    """Parse the CSV text into rows; the first bad row raises ForecastError naming FILE:LINE."""
    reader = csv.reader(io.StringIO(text), strict=True)
    rows: list[Row] = []
    layout: tuple[int, int, int | None] | None = None
    kind: bool | None = None
    try:
        for cells in reader:
            line = reader.line_num
            if not cells or not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue
            if layout is None:
                if len(cells) < 2:
                    raise ForecastError(file, line, "expected an interval start and a call count, separated by a comma")
                if not _NUMBER.fullmatch(cells[1].strip()):
                    layout = _columns(cells, file, line)
                    continue
                layout = (0, 1, 2 if len(cells) > 2 else None)
            start_col, calls_col, aht_col = layout
            if len(cells) <= max(start_col, calls_col):
                needed = max(start_col, calls_col) + 1
                raise ForecastError(file, line, f"expected at least {needed} columns, found {len(cells)}")
            seconds, is_stamp = _start_seconds(cells[start_col], file, line)
            if kind is not None and is_stamp != kind:
                raise ForecastError(file, line, "mixes times and date-times; use one form for every interval start")
            kind = is_stamp
            calls_text = cells[calls_col].strip()
            if not _NUMBER.fullmatch(calls_text):
                raise ForecastError(file, line, f"calls: '{calls_text}' is not a number")
            calls = float(calls_text)
            if calls < 0:
                raise ForecastError(file, line, f"calls cannot be negative (got {calls_text})")
            aht = None
            if aht_col is not None and aht_col < len(cells) and cells[aht_col].strip():
                try:
                    aht = parse_duration(cells[aht_col], "AHT")
                except InputError as exc:
                    raise ForecastError(file, line, str(exc)) from None
                if aht <= 0:
                    raise ForecastError(file, line, "AHT must be longer than 0 seconds")
            rows.append(Row(line, cells[start_col].strip(), seconds, calls, aht))
            if len(rows) > MAX_ROWS:
                raise ForecastError(file, line, f"more than {MAX_ROWS:,} intervals; split the plan")
    except csv.Error as exc:
        raise ForecastError(file, reader.line_num, f"not valid CSV: {exc}") from None
    if not rows:
        raise ForecastError(file, None, "no intervals (expected rows of start,calls[,aht])")
    return rows


def interval_length(rows: list[Row], file: str, interval: float | None) -> tuple[float, bool]:
    """The interval length, given or else the smallest gap between starts; every gap must be a multiple of it.

    Returns (seconds, taken from the file).
    """
    for before, row in pairwise(rows):
        if row.seconds <= before.seconds:
            hint = (
                "; a plan that runs past midnight needs dates (2026-05-04 23:30)"
                if row.seconds < before.seconds
                else ""
            )
            raise ForecastError(
                file, row.line, f"interval starts must increase: {row.start} follows {before.start}{hint}"
            )
    from_file = interval is None
    if interval is None:
        gaps = [b.seconds - a.seconds for a, b in pairwise(rows)]
        interval = min(gaps) if gaps else 1800.0
    for before, row in pairwise(rows):
        steps = (row.seconds - before.seconds) / interval
        if abs(steps - round(steps)) > 1e-6:
            raise ForecastError(
                file,
                row.line,
                f"{row.start} starts {format_duration(row.seconds - before.seconds)} after {before.start},"
                f" which is not a whole number of {format_duration(interval)} intervals",
            )
    return interval, from_file


def plan(
    text: str,
    file: str,
    *,
    interval: float | None,
    aht: float | None,
    targets: Targets,
    shrinkage: float = 0.0,
    model: str = "erlang-c",
    patience: float | None = None,
) -> Plan:
    """Staff every interval of a forecast for the same targets, and total the day."""
    rows = read_rows(text, file)
    length, from_file = interval_length(rows, file, interval)
    intervals = []
    for row in rows:
        row_aht = row.aht if row.aht is not None else aht
        if row_aht is None:
            raise ForecastError(file, row.line, "no AHT: give --aht, or an AHT column in the file")
        try:
            metrics = solve(Model(Queue(row.calls, length, row_aht, model, patience)), targets)
        except StaffingError as exc:
            raise ForecastError(file, row.line, str(exc)) from None
        count, exact = scheduled(metrics.agents, shrinkage)
        intervals.append(Interval(row, row_aht, metrics, count, exact))
    return Plan(file, length, from_file, tuple(intervals), totals(intervals, length, shrinkage))


def totals(intervals: list[Interval], length: float, shrinkage: float) -> Totals:
    calls = math.fsum(i.row.calls for i in intervals)
    peak = max(intervals, key=lambda i: i.metrics.agents)  # the first of equal peaks
    agent_hours = math.fsum(i.metrics.agents for i in intervals) * length / 3600
    if calls > 0:
        service_level = math.fsum(i.metrics.service_level * i.row.calls for i in intervals) / calls
        p_abandon = math.fsum(i.metrics.p_abandon * i.row.calls for i in intervals) / calls
    else:
        service_level, p_abandon = 1.0, 0.0
    answered = [
        (i.metrics.asa, i.row.calls * (1 - i.metrics.p_abandon)) for i in intervals if i.metrics.asa is not None
    ]
    weight = math.fsum(w for _, w in answered)
    asa = math.fsum(a * w for a, w in answered) / weight if weight > 0 else None
    return Totals(
        calls,
        peak.metrics.agents,
        peak.row.start,
        agent_hours,
        agent_hours / (1 - shrinkage),
        service_level,
        asa,
        p_abandon,
    )
