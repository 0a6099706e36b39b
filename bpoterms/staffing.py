"""Staffing maths for one queue: Erlang C (M/M/N) and Erlang A (M/M/N+M), in floating point, stdlib only.

No factorials and no big numbers, so it holds up past 10,000 agents:

- Erlang B comes from its recursion B(n) = A·B(n−1) / (n + A·B(n−1)), which only ever handles
  numbers between 0 and 1; once B falls below 1e-290 it continues in logarithms.
- Erlang C follows from B: C = N·B / (N − A·(1 − B)).
- Erlang A is the exact stationary distribution of the M/M/N+M birth–death chain (arrival rate λ,
  service rate μ per agent, abandonment rate θ = 1/patience per waiting caller), every weight taken
  relative to π_N and summed in scaled logarithms. With c = Nμ/θ and x = λ/θ, the queue weights are
  p_n = π_{N+n}/π_N = xⁿ / ((c+1)(c+2)…(c+n)). A caller who finds n others waiting is answered with
  probability c/(c+n+1) after a wait whose law is exact: e^(−θW) is Beta(c+1, n+1) distributed. Summed
  over n, the calls answered after the threshold T have the closed weight (c/x)·e^(x(1−q))·q^c·S(xq),
  with q = e^(−θT) and S(y) = Σ_{n≥1} yⁿ/((c+1)…(c+n)) (a scaled lower incomplete gamma function), so
  the service level is exact, not simulated or approximated.

Conventions (also in CONVENTIONS, `--help`, `--json` and docs/staffing.md): service level = calls
answered within T / calls offered, so abandons count against it; ASA = mean wait of answered calls;
mean_wait = mean wait of every offered call, abandoners included; occupancy = carried load / N.

Size: Erlang B, C and A with their solver and what-if, which share the same numerics.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

from .errors import BpotermsError

MODELS = ("erlang-c", "erlang-a")
MAX_TRAFFIC = 1_000_000.0  # erlangs; far past any single queue, and keeps every table in memory
MAX_AGENTS = 2_000_000
CONVENTIONS = {
    "service_level": "calls answered within the threshold / calls offered (abandons count against it)",
    "asa": "mean wait of answered calls, in seconds",
    "mean_wait": "mean wait of all offered calls, abandoners included, in seconds",
    "occupancy": "carried load / agents, where carried load = traffic × share of calls answered",
    "p_wait": "share of offered calls that find every agent busy",
    "p_abandon": "share of offered calls that hang up before an answer (always 0 in Erlang C)",
    "scheduled": "ceil(agents / (1 − shrinkage))",
    "units": "times in seconds, rates as fractions from 0 to 1",
}
_TINY = 1e-290  # below this, Erlang B continues in logarithms rather than underflow
_EPSILON = 1e-18  # a series stops when its next term is this small against its sum


class StaffingError(BpotermsError):
    """Inputs that describe no queue (negative calls, zero AHT) or targets no headcount can meet."""


class Queue(NamedTuple):
    """One queue in one interval: what arrives and how long it takes."""

    calls: float  # offered in the interval
    interval: float = 1800.0  # seconds
    aht: float = 180.0  # seconds
    model: str = "erlang-c"
    patience: float | None = None  # mean seconds before a waiting caller hangs up (Erlang A only)

    @property
    def traffic(self) -> float:
        """Offered load A in erlangs: the average number of agents the calls would keep busy."""
        return self.calls * self.aht / self.interval


class Targets(NamedTuple):
    """What the least headcount must meet; None leaves a constraint out."""

    service_level: float | None = 0.8
    threshold: float = 20.0  # seconds
    asa: float | None = None  # seconds
    max_occupancy: float | None = None
    max_abandon: float | None = None

    def stated(self) -> bool:
        return any(v is not None for v in (self.service_level, self.asa, self.max_occupancy, self.max_abandon))


class Metrics(NamedTuple):
    """How a queue performs with a given number of agents. Rates are fractions, times seconds."""

    agents: int
    traffic: float
    stable: bool  # False only for Erlang C with agents ≤ traffic: the queue grows without limit
    p_wait: float
    service_level: float
    asa: float | None  # None when nothing is answered or the queue is unstable
    mean_wait: float | None
    occupancy: float
    p_abandon: float


def check_queue(queue: Queue) -> None:
    """Raise StaffingError, worded for a person, when the inputs describe no queue."""
    if queue.model not in MODELS:
        raise StaffingError(f"unknown model '{queue.model}' (choose {' or '.join(MODELS)})")
    for name, value in (("calls", queue.calls), ("interval", queue.interval), ("AHT", queue.aht)):
        if not math.isfinite(value):
            raise StaffingError(f"{name} must be a finite number, got {value}")
    if queue.calls < 0:
        raise StaffingError(f"calls cannot be negative (got {queue.calls:g})")
    if queue.interval <= 0:
        raise StaffingError("the interval must be longer than 0 seconds")
    if queue.aht <= 0:
        raise StaffingError("AHT must be longer than 0 seconds")
    if queue.model == "erlang-a":
        if queue.patience is None:
            raise StaffingError("Erlang A needs the callers' mean patience (--patience, e.g. 120s)")
        if not (math.isfinite(queue.patience) and queue.patience > 0):
            raise StaffingError("patience must be longer than 0 seconds")
    elif queue.patience is not None:
        raise StaffingError("patience applies only to Erlang A (--model erlang-a)")
    if queue.traffic > MAX_TRAFFIC:
        raise StaffingError(f"{queue.traffic:,.0f} erlangs is more than one queue can be ({MAX_TRAFFIC:,.0f} at most)")


def check_targets(targets: Targets, model: str) -> None:
    """Targets no headcount can meet, or that the model cannot express, are input errors."""
    if targets.service_level is not None and not 0 < targets.service_level < 1:
        raise StaffingError("the service level target must be above 0% and below 100%: no queue answers every call")
    if not (math.isfinite(targets.threshold) and targets.threshold >= 0):
        raise StaffingError("the service level threshold must be 0 seconds or more")
    if targets.asa is not None and not (math.isfinite(targets.asa) and targets.asa > 0):
        raise StaffingError("the ASA target must be longer than 0 seconds")
    if targets.max_occupancy is not None and not 0 < targets.max_occupancy <= 1:
        raise StaffingError("the maximum occupancy must be above 0% and at most 100%")
    if targets.max_abandon is not None:
        if model != "erlang-a":
            raise StaffingError("a maximum abandonment needs Erlang A (--model erlang-a --patience ...)")
        if not 0 < targets.max_abandon <= 1:
            raise StaffingError("the maximum abandonment must be above 0% and at most 100%")


# ---------------------------------------------------------------- Erlang B


class _ErlangB:
    """B(n, A) for n = 0, 1, 2, … by the recursion, extended on demand and kept for reuse, up to the
    first n where B < _TINY; past it, in logarithms (a million agents for ten erlangs costs what two
    hundred do, not a million steps of the recursion)."""

    def __init__(self, traffic: float) -> None:
        self.a = traffic
        self.values = [1.0]
        self.small_from: int | None = None  # first n with B(n) < _TINY: the recursion stops there

    def _extend(self, n: int) -> None:
        if self.small_from is not None:
            return
        values, a = self.values, self.a
        b = values[-1]
        for k in range(len(values), n + 1):
            b = a * b / (k + a * b)
            values.append(b)
            if b < _TINY:
                self.small_from = k
                return

    def value(self, n: int) -> float:
        if n >= len(self.values):
            self._extend(n)
            if n >= len(self.values):  # past _TINY: zero, or all but, as the recursion would have it
                return math.exp(self.log_value(n))
        return self.values[n]

    def log_value(self, n: int) -> float:
        """log B(n, A), exact to rounding even where B itself underflows."""
        if n >= len(self.values):
            self._extend(n)
        if self.small_from is None or n < self.small_from:
            return math.log(self.values[n])
        # Past _TINY, A·B ≪ n, so B(k) = A·B(k−1)/k to within 1e-290 relative: a product in logs.
        m = self.small_from - 1
        return math.log(self.values[m]) + (n - m) * math.log(self.a) - (math.lgamma(n + 1) - math.lgamma(m + 1))


def erlang_b(agents: int, traffic: float) -> float:
    """Erlang B: the share of calls blocked with `agents` lines and `traffic` erlangs offered."""
    if agents < 0 or traffic < 0:
        raise StaffingError("agents and traffic cannot be negative")
    if traffic == 0:
        return 1.0 if agents == 0 else 0.0
    b = 1.0
    for k in range(1, agents + 1):
        b = traffic * b / (k + traffic * b)
    return b


def erlang_c(agents: int, traffic: float) -> float:
    """Erlang C: the probability that a call waits (1.0 when agents ≤ traffic: every call waits)."""
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    b = erlang_b(agents, traffic)
    return agents * b / (agents - traffic * (1 - b))


# ---------------------------------------------------------------- evaluation


class Model:
    """One queue's performance for any headcount; keeps its Erlang B table between evaluations."""

    def __init__(self, queue: Queue) -> None:
        check_queue(queue)
        self.queue = queue
        self.traffic = queue.traffic
        self.b = _ErlangB(self.traffic)

    def metrics(self, agents: int, threshold: float = 20.0) -> Metrics:
        if agents < 0:
            raise StaffingError("the number of agents cannot be negative")
        if agents > MAX_AGENTS:
            raise StaffingError(f"{agents:,} agents is more than bpoterms computes ({MAX_AGENTS:,} at most)")
        a = self.traffic
        if a == 0:  # nothing offered: nothing waits, nothing is missed
            return Metrics(agents, 0.0, True, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0)
        if self.queue.model == "erlang-a":
            return self._erlang_a(agents, threshold)
        return self._erlang_c(agents, threshold)

    def _erlang_c(self, n: int, t: float) -> Metrics:
        a, aht = self.traffic, self.queue.aht
        if n <= a:
            return Metrics(n, a, False, 1.0, 0.0, None, None, 1.0 if n else 0.0, 0.0)
        b = self.b.value(n)
        c = n * b / (n - a * (1 - b))
        sl = 1.0 - c * math.exp(-(n - a) * t / aht)
        asa = c * aht / (n - a)
        return Metrics(n, a, True, c, _unit(sl), asa, asa, a / n, 0.0)

    def _erlang_a(self, n: int, t: float) -> Metrics:
        a, aht, patience = self.traffic, self.queue.aht, self.queue.patience
        assert patience is not None
        if n == 0:  # no one is ever answered; every caller waits out their patience
            return Metrics(0, a, True, 1.0, 0.0, None, patience, 0.0, 1.0)
        c = n * patience / aht  # Nμ/θ
        x = a * patience / aht  # λ/θ
        log_queue, s_queue, s_abandon, s_wait = _queue_series(c, x)
        # Calls answered after T, relative to π_N: (c/x)·e^(x(1−q))·q^c·S(xq), with q = e^(−θT).
        theta_t = t / patience
        if t > 0:
            log_s, s_late = _tail_series(c, x * math.exp(-theta_t))
            log_late = math.log(c / x) - x * math.expm1(-theta_t) - c * theta_t + log_s
        else:  # T = 0: every answered caller who waited at all is late
            log_late, s_late = log_queue, s_queue - s_abandon
        b = self.b.value(n)
        log_low = math.log1p(-b) - self.b.log_value(n)  # Σ_{k<N} π_k / π_N = (1 − B)/B
        top = max(log_low, log_queue + math.log(s_queue))
        low, scale = math.exp(log_low - top), math.exp(log_queue - top)
        z = low + scale * s_queue
        p_wait = scale * s_queue / z
        p_abandon = scale * s_abandon / z
        late = math.exp(log_late - top) * s_late / z
        answered = 1.0 - p_abandon
        asa = patience * scale * s_wait / z / answered if answered > 0 else None
        return Metrics(
            n,
            a,
            True,
            _unit(p_wait),
            _unit(1.0 - p_abandon - late),
            asa,
            p_abandon * patience,  # Little's law with exponential patience: E[wait] = P(abandon)/θ
            _unit(a * answered / n),
            _unit(p_abandon),
        )


def _unit(value: float) -> float:
    """Rounding can leave a probability a hair outside [0, 1]; clamp it back."""
    return min(1.0, max(0.0, value))


def _log_rising(c: float, y: float, n: int) -> float:
    """log(yⁿ / ((c+1)(c+2)…(c+n))), summed directly when short (exact) and by lgamma when long."""
    if n <= 64:
        return sum(math.log(y / (c + i)) for i in range(1, n + 1))
    return n * math.log(y) - (math.lgamma(c + n + 1) - math.lgamma(c + 1))


def _queue_series(c: float, x: float) -> tuple[float, float, float, float]:
    """Sums over n ≥ 0 of p_n = xⁿ/((c+1)…(c+n)), scaled by the largest term p_peak.

    Returns log p_peak and the scaled sums of p_n (callers waiting), p_n·(n+1)/(c+n+1) (they
    abandon), and p_n·c/(c+n+1)·H_n (their wait when answered, in units of 1/θ), where
    H_n = Σ_{i=1}^{n+1} 1/(c+i) is the mean of the Beta-tilted wait. Terms are summed outward from
    the peak until they no longer count, so the work is O(√x), whatever N is.
    """
    peak = max(0, math.floor(x - c))
    harmonic = math.fsum(1.0 / (c + i) for i in range(1, peak + 2))
    total = abandon = wait = 0.0
    term, h, n = 1.0, harmonic, peak
    while True:  # from the peak upward
        share = c / (c + n + 1)
        total += term
        abandon += term * (1.0 - share)
        wait += term * share * h
        n += 1
        term *= x / (c + n)
        h += 1.0 / (c + n + 1)
        if term < _EPSILON * total:
            break
    term, h, n = 1.0, harmonic, peak
    while n > 0:  # and downward to n = 0
        term *= (c + n) / x
        h -= 1.0 / (c + n + 1)
        n -= 1
        share = c / (c + n + 1)
        total += term
        abandon += term * (1.0 - share)
        wait += term * share * h
        if term < _EPSILON * total:
            break
    return _log_rising(c, x, peak), total, abandon, wait


def _tail_series(c: float, y: float) -> tuple[float, float]:
    """S(y) = Σ_{n≥1} yⁿ/((c+1)…(c+n)) as (log of its largest term, sum scaled by that term)."""
    peak = max(1, math.floor(y - c))
    total, term, n = 0.0, 1.0, peak
    while True:
        total += term
        n += 1
        term *= y / (c + n)
        if term < _EPSILON * total:
            break
    term, n = 1.0, peak
    while n > 1:
        term *= (c + n) / y
        n -= 1
        total += term
        if term < _EPSILON * total:
            break
    return _log_rising(c, y, peak), total


# ---------------------------------------------------------------- targets and the solver


def shortfalls(metrics: Metrics, targets: Targets) -> list[str]:
    """What a headcount misses, worded for people; empty when it meets every stated target."""
    missed = []
    if not metrics.stable:
        missed.append(
            f"unstable: {metrics.agents} agents for {metrics.traffic:.2f} erlangs, the queue grows without limit"
        )
        return missed
    if targets.service_level is not None and metrics.service_level < targets.service_level:
        missed.append(
            f"service level {metrics.service_level:.2%} < {targets.service_level:.0%} in {targets.threshold:g} s"
        )
    if targets.asa is not None and (metrics.asa is None or metrics.asa > targets.asa):
        asa = "none answered" if metrics.asa is None else f"{metrics.asa:.1f} s"
        missed.append(f"ASA {asa} > {targets.asa:g} s")
    if targets.max_occupancy is not None and metrics.occupancy > targets.max_occupancy:
        missed.append(f"occupancy {metrics.occupancy:.1%} > {targets.max_occupancy:.0%}")
    if targets.max_abandon is not None and metrics.p_abandon > targets.max_abandon:
        missed.append(f"abandonment {metrics.p_abandon:.2%} > {targets.max_abandon:.1%}")
    return missed


def meets(metrics: Metrics, targets: Targets) -> bool:
    return not shortfalls(metrics, targets)


def _ceiling(traffic: float) -> int:
    """A headcount past any sensible answer: the solver gives up there rather than loop."""
    return min(MAX_AGENTS, math.ceil(2 * traffic + 20 * math.sqrt(traffic) + 100))


def solve(model: Model, targets: Targets) -> Metrics:
    """The least number of agents that meets every stated target, and its metrics.

    No hidden floor: Erlang A may answer with fewer agents than erlangs of traffic, and so it may.
    Erlang C is scanned upward from the first stable headcount (each step is O(1) on the Erlang B
    table); Erlang A, whose every evaluation sums a series, by galloping and bisection, which is
    exact because service level, ASA, abandonment and occupancy all improve as agents are added.
    """
    check_targets(targets, model.queue.model)
    a = model.traffic
    if a == 0:
        return model.metrics(0, targets.threshold)
    limit = _ceiling(a)
    if model.queue.model == "erlang-c":
        start = math.floor(a) + 1
        if targets.max_occupancy is not None:
            start = max(start, math.ceil(a / targets.max_occupancy - 1e-9))
        for n in range(start, limit + 1):
            m = model.metrics(n, targets.threshold)
            if meets(m, targets):
                return m
        raise StaffingError(f"no headcount up to {limit:,} meets the targets")
    if not targets.stated():
        raise StaffingError("Erlang A needs a target to staff for: --target, --asa, --max-occupancy or --max-abandon")

    def ok(n: int) -> bool:
        return meets(model.metrics(n, targets.threshold), targets)

    guess = max(1, math.ceil(a))
    if ok(guess):
        hi, step = guess, 1
        lo = guess - step
        while lo > 0 and ok(lo):
            hi, step = lo, step * 2
            lo = max(0, hi - step)
    else:
        lo, step = guess, 1
        hi = guess + step
        while not ok(hi):
            if hi >= limit:
                raise StaffingError(f"no headcount up to {limit:,} meets the targets")
            lo, step = hi, step * 2
            hi = min(limit, lo + step)
    while hi - lo > 1:  # ok(hi) holds, ok(lo) does not (or lo is 0)
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return model.metrics(hi, targets.threshold)


def staff(model: Model, targets: Targets, agents: int | None = None) -> Metrics:
    """The least headcount meeting every target, or with `agents` that headcount's figures (a
    what-if): the one entry point for `bpoterms staff` and the MCP `staff` tool."""
    if agents is None:
        return solve(model, targets)
    check_targets(targets, model.queue.model)
    return model.metrics(agents, targets.threshold)


def curve(model: Model, center: int, targets: Targets, span: int = 6) -> Iterator[Metrics]:
    """Metrics for the headcounts around an answer: the staffing curve people read."""
    for n in range(max(1, center - span), center + span + 1):
        yield model.metrics(n, targets.threshold)


def scheduled(agents: int, shrinkage: float) -> tuple[int, float]:
    """Headcount to schedule so that `agents` remain after shrinkage: ceil(N / (1 − s)) and N / (1 − s)."""
    if not 0 <= shrinkage < 1:
        raise StaffingError("shrinkage must be at least 0% and below 100%")
    exact = agents / (1 - shrinkage)
    return math.ceil(round(exact, 9)), exact  # 14 / 0.7 is 20.000000000000004 in binary: still 20
