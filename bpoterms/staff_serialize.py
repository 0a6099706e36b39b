"""The JSON and CSV contracts of `staff` and `calc`: results → plain dicts and rows; no I/O.

All times are seconds and all rates fractions from 0 to 1 (docs/staffing.md). Rates are rounded to
6 decimals, times to 3, so documents are stable and readable; nothing is ever inf or NaN (an
unstable Erlang C queue has `"stable": false` and null waits).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .staffing import CONVENTIONS, Metrics, Queue, Targets, shortfalls

if TYPE_CHECKING:  # the interval-plan module is imported only when a plan is staffed
    from .forecast import Plan


def staff_notes(metrics: Metrics, targets: Targets, what_if: bool) -> list[str]:
    """What a staffing result needs said beside its figures, worded once for the CLI, JSON and MCP."""
    notes = []
    missed = shortfalls(metrics, targets)
    if what_if and missed:
        notes.append("misses the targets: " + "; ".join(missed))
    elif what_if and metrics.stable:
        notes.append("meets every stated target")
    if metrics.stable and 0 < metrics.agents < metrics.traffic:
        notes.append(
            f"{metrics.agents} agents is below the traffic of {metrics.traffic:.2f} erlangs: Erlang A lets"
            f" callers who hang up ({metrics.p_abandon:.1%} of calls) carry the difference"
        )
    return notes


CSV_COLUMNS = (
    "agents", "scheduled", "scheduled_fractional", "traffic", "p_wait", "service_level", "asa", "mean_wait",
    "occupancy", "p_abandon", "stable", "meets_targets",
)  # fmt: skip


def _number(value: float) -> float | int:
    """42.0 → 42: counts and seconds as people wrote them."""
    return int(value) if float(value).is_integer() else value


def _rate(value: float) -> float:
    return round(value, 6)


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def metrics_dict(metrics: Metrics, targets: Targets, model: str, shrinkage: float) -> dict[str, Any]:
    """One headcount's figures under the `staff --json` key names."""
    from .staffing import scheduled

    count, exact = scheduled(metrics.agents, shrinkage)
    return {
        "model": model,
        "agents": metrics.agents,
        "scheduled": count,
        "scheduled_fractional": round(exact, 4),
        "traffic": _rate(metrics.traffic),
        "p_wait": _rate(metrics.p_wait),
        "service_level": _rate(metrics.service_level),
        "asa": _seconds(metrics.asa),
        "mean_wait": _seconds(metrics.mean_wait),
        "occupancy": _rate(metrics.occupancy),
        "p_abandon": _rate(metrics.p_abandon),
        "stable": metrics.stable,
        "meets_targets": not shortfalls(metrics, targets),
    }


def inputs_dict(queue: Queue, targets: Targets, shrinkage: float, agents: int | None) -> dict[str, Any]:
    return {
        "calls": _number(queue.calls),
        "interval": _number(queue.interval),
        "aht": _number(queue.aht),
        "model": queue.model,
        "patience": queue.patience,
        "target": {"service_level": targets.service_level, "threshold": targets.threshold},
        "asa": targets.asa,
        "max_occupancy": targets.max_occupancy,
        "max_abandon": targets.max_abandon,
        "shrinkage": shrinkage,
        "agents": agents,
    }


def staff_dict(
    queue: Queue,
    metrics: Metrics,
    targets: Targets,
    *,
    shrinkage: float,
    agents: int | None,
    notes: list[str],
    table: Iterable[Metrics] | None = None,
) -> dict[str, Any]:
    """The whole `staff --json` document: the answer (or the what-if), its inputs and conventions."""
    doc = metrics_dict(metrics, targets, queue.model, shrinkage)
    doc["notes"] = notes
    doc["inputs"] = inputs_dict(queue, targets, shrinkage, agents)
    doc["conventions"] = dict(CONVENTIONS)
    if table is not None:
        doc["table"] = [metrics_dict(m, targets, queue.model, shrinkage) for m in table]
    return doc


def plan_dict(plan: Plan, targets: Targets, *, model: str, patience: float | None, shrinkage: float) -> dict[str, Any]:
    """`staff --forecast --json`: one object per interval, the day's totals, inputs and conventions."""
    totals = plan.totals
    return {
        "model": model,
        "file": plan.file,
        "interval": _number(plan.interval),
        "intervals": [
            {
                "start": i.row.start,
                "line": i.row.line,
                "calls": _number(i.row.calls),
                "aht": _number(i.aht),
                **metrics_dict(i.metrics, targets, model, shrinkage),
            }
            for i in plan.intervals
        ],
        "totals": {
            "calls": _number(totals.calls),
            "peak_agents": totals.peak_agents,
            "peak_start": totals.peak_start,
            "agent_hours": round(totals.agent_hours, 4),
            "scheduled_hours": round(totals.scheduled_hours, 4),
            "service_level": _rate(totals.service_level),
            "asa": _seconds(totals.asa),
            "p_abandon": _rate(totals.p_abandon),
        },
        "inputs": {
            "interval": _number(plan.interval),
            "interval_from_file": plan.interval_from_file,
            "model": model,
            "patience": patience,
            "target": {"service_level": targets.service_level, "threshold": targets.threshold},
            "asa": targets.asa,
            "max_occupancy": targets.max_occupancy,
            "max_abandon": targets.max_abandon,
            "shrinkage": shrinkage,
        },
        "conventions": dict(CONVENTIONS),
    }


def csv_text(rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...]) -> str:
    """Rows as CSV with a header; None becomes an empty cell, booleans true/false."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            cells.append("" if value is None else str(value).lower() if isinstance(value, bool) else value)
        writer.writerow(cells)
    return out.getvalue()


def plan_csv(doc: Mapping[str, Any]) -> str:
    return csv_text(doc["intervals"], ("start", "calls", "aht", *CSV_COLUMNS))


def calc_dict(
    entry_term: str,
    acronym: str | None,
    variant: str | None,
    expression: str,
    values: Mapping[str, float],
    substituted: str,
    result: float,
    unit: str | None,
) -> dict[str, Any]:
    """`calc --json`: what was computed, from what, and the result with its unit."""
    return {
        "term": entry_term,
        "acronym": acronym,
        "variant": variant,
        "expression": expression,
        "inputs": dict(values),
        "substituted": substituted,
        "result": result,
        "unit": unit,
    }
