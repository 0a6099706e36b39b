"""Staffing maths against published worked examples and an independent exact computation.

The exact side never uses the module's shortcuts (the Erlang B recursion, the incomplete-gamma
closed form, scaled logarithms): it builds the birth–death distribution state by state with
`fractions` (whole-number weights, so no rounding at all), and uses 50-digit `decimal` only where
an exponential enters (the service level).
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

from bpoterms.quantities import InputError, format_percent, parse_duration, parse_percent, parse_target
from bpoterms.staffing import (
    MAX_AGENTS,
    Model,
    Queue,
    StaffingError,
    Targets,
    erlang_b,
    erlang_c,
    meets,
    scheduled,
    shortfalls,
    solve,
)

TARGET_80_20 = Targets(service_level=0.8, threshold=20)


# ---------------------------------------------------------------- published worked examples


def test_call_centre_helper_worked_example_100_calls_in_30_minutes():
    """Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example"
    (callcentrehelper.com): 100 calls per 30 minutes, AHT 180 s, 80% in 20 s, 30% shrinkage →
    14 agents, service level 88.8%, ASA 7.8 s, occupancy 71.4%, 20 agents to schedule.
    """
    model = Model(Queue(calls=100, interval=1800, aht=180))
    answer = solve(model, TARGET_80_20)
    assert model.traffic == 10
    assert answer.agents == 14
    assert round(answer.service_level * 100, 1) == 88.8
    assert round(answer.asa, 1) == 7.8
    assert round(answer.occupancy * 100, 1) == 71.4
    assert answer.p_abandon == 0
    assert scheduled(answer.agents, 0.30) == (20, pytest.approx(20.0))


def test_the_same_example_with_13_agents_gives_79_56_percent_and_misses_80_20():
    """The same article's previous step: 13 agents give a service level of 79.56%, short of 80%."""
    thirteen = Model(Queue(100, 1800, 180)).metrics(13, 20)
    assert round(thirteen.service_level * 100, 2) == 79.56
    assert not meets(thirteen, TARGET_80_20)
    assert shortfalls(thirteen, TARGET_80_20) == ["service level 79.56% < 80% in 20 s"]


def test_the_glossary_audits_worked_example_24_erlangs():
    """/work/shared/reviews/glossary-audit.md item 5 (after ICMI and Gans, Koole & Mandelbaum 2003):
    360 calls an hour at 240 s AHT is 24 erlangs; 80/20 takes 29 agents, SL 84.0%, ASA 11.6 s,
    occupancy 82.8%; with 32% shrinkage, 29 / 0.68 = 43 scheduled.
    """
    model = Model(Queue(calls=360, interval=3600, aht=240))
    answer = solve(model, TARGET_80_20)
    assert model.traffic == 24
    assert answer.agents == 29
    assert round(answer.service_level * 100, 1) == 84.0
    assert round(answer.asa, 1) == 11.6
    assert round(answer.occupancy * 100, 1) == 82.8
    assert scheduled(29, 0.32)[0] == 43
    assert not meets(model.metrics(28, 20), TARGET_80_20)


def test_erlang_a_staffs_below_the_load_where_the_issue_says_it_should():
    """Issue 14: for A = 1000 erlangs, patience 120 s, target 80/20, the least N is 892 (AHT 180 s)."""
    model = Model(Queue(calls=10_000, interval=1800, aht=180, model="erlang-a", patience=120))
    answer = solve(model, TARGET_80_20)
    assert model.traffic == 1000
    assert answer.agents == 892
    assert answer.service_level >= 0.8 > model.metrics(891, 20).service_level


# ---------------------------------------------------------------- the exact reference


def exact_low(n: int, a: Fraction) -> Fraction:
    """Σ_{j<N} π_j / π_N = Σ_{j<N} N!/j! · A^(j−N), from whole numbers: T_j = N!/j! · q^(N−j) · p^j for A = p/q."""
    p, q = a.numerator, a.denominator
    term, total = p**n, 0
    for j in range(n - 1, -1, -1):
        term = term * (j + 1) * q // p  # exact: term holds p^(j+1)
        total += term
    return Fraction(total, p**n)


def exact_erlang_c(n: int, a: Fraction, aht: int, t: int) -> dict[str, float]:
    low = exact_low(n, a)
    b = 1 / (low + 1)
    c = n * b / (n - a * (1 - b))
    with localcontext() as ctx:
        ctx.prec = 50
        decay = (-(Decimal((n - a).numerator) / Decimal((n - a).denominator)) * t / aht).exp()
        sl = 1 - Decimal(c.numerator) / Decimal(c.denominator) * decay
    return {"p_wait": float(c), "service_level": float(sl), "asa": float(c * aht / (n - a)), "occupancy": float(a / n)}


def queue_weights(c: Fraction, x: Fraction) -> tuple[list[int], int, Fraction]:
    """p_n = π_(N+n) / π_N = xⁿ / ((c+1)…(c+n)) for n = 0 … n_max, as whole numbers W_n / P, and a bound on the rest.

    With c = C/D and x = X/D, p_n = Xⁿ / Π_(i≤n) (C + iD); W_n = Xⁿ · Π_(n<i≤n_max) (C + iD) and
    P = Π_(i≤n_max) (C + iD), so no fraction is ever reduced on the way.
    """
    d = math.lcm(c.denominator, x.denominator)
    big_c, big_x = int(c * d), int(x * d)
    n_max = int(max(0, x - c) + 40 * math.sqrt(float(x)) + 60)
    weights = [big_x**n_max]
    for n in range(n_max, 0, -1):
        weights.append(weights[-1] * (big_c + n * d) // big_x)  # exact: W_n holds Xⁿ
    weights.reverse()
    ratio = x / (c + n_max + 1)
    assert ratio < 1
    return weights, weights[0], Fraction(big_x**n_max, weights[0]) * ratio / (1 - ratio)


def exact_erlang_a(n: int, a: Fraction, aht: int, patience: int, t: int) -> dict[str, float]:
    """M/M/N+M state by state. P(wait), P(abandon), mean wait: exact rationals (abandon rate θ·E[Lq] = λ·P(ab)).

    Service level: a caller who finds n waiting is answered within T with probability
    c/(c+n+1) · P(Bin(n+c+1, 1−q) ≥ n+1), q = e^(−θT) (the (n+1)-th order statistic of c+n+1
    exponentials, which needs c = Nμ/θ whole), summed per state in 50-digit decimals.
    """
    k = Fraction(patience, aht)  # μ/θ
    c, x = n * k, a * k
    weights, scale, rest = queue_weights(c, x)
    low = exact_low(n, a)
    queue = Fraction(sum(weights), scale)
    z = low + queue
    assert rest < Fraction(1, 10**25) * z
    waiting_len = Fraction(sum(i * w for i, w in enumerate(weights)), scale)  # E[Lq] / π_N
    p_abandon = waiting_len / x / z
    result = {
        "p_wait": float(queue / z),
        "p_abandon": float(p_abandon),
        "mean_wait": float(p_abandon * patience),
        "occupancy": float(a * (1 - p_abandon) / n),
    }
    if c.denominator == 1:
        whole = int(c)
        with localcontext() as ctx:
            ctx.prec = 50
            q = (-Decimal(t) / Decimal(patience)).exp()
            p = 1 - q
            tail = 1 - q ** (whole + 1)  # F(0) = P(Bin(c+1, p) ≥ 1)
            pmf = (whole + 1) * p * q**whole  # g(0) = P(Bin(c+1, p) = 1)
            answered, weight = Decimal(0), Decimal(1)
            x_d = Decimal(x.numerator) / Decimal(x.denominator)
            for i in range(len(weights)):
                if i:
                    weight = weight * x_d / (whole + i)  # p_i, in decimals
                share = Decimal(whole) / Decimal(whole + i + 1)
                answered += weight * share * tail
                tail -= q * pmf  # F(i+1) = F(i) − q·g(i)
                pmf = pmf * p * (whole + i + 2) / (i + 2)
            low_d = Decimal(low.numerator) / Decimal(low.denominator)
            z_d = Decimal(z.numerator) / Decimal(z.denominator)
            result["service_level"] = float((low_d + answered) / z_d)
    return result


def test_the_reference_per_state_formula_matches_the_hypoexponential_distribution():
    """The per-state answer probability used above, against the textbook hypoexponential CDF."""
    c, theta, t = 5, Fraction(1, 120), 20
    with localcontext() as ctx:
        ctx.prec = 50
        q = (-Decimal(t) * theta.numerator / theta.denominator).exp()
        for n in range(6):
            # wait V = Σ_{i=0..n} Exp(θ(c+i)); answered within T ⇔ V ≤ T and V < patience ~ Exp(θ)
            rates = [Decimal(c + i) * theta.numerator / theta.denominator for i in range(n + 1)]
            th = Decimal(theta.numerator) / theta.denominator
            direct = Decimal(0)
            for i, r in enumerate(rates):
                weight = Decimal(1)
                for j, s in enumerate(rates):
                    if j != i:
                        weight *= s / (s - r)
                direct += weight * r * (1 - (-(r + th) * t).exp()) / (r + th)
            binomial = sum(
                Decimal(math.comb(n + c + 1, j)) * (1 - q) ** j * q ** (n + c + 1 - j) for j in range(n + 1, n + c + 2)
            )
            assert abs(direct - Decimal(c) / (c + n + 1) * binomial) < Decimal("1e-40")


LOADS = [(5, 1800, 180), (30, 1800, 180), (240, 1800, 180), (1500, 1800, 180), (10_000, 1800, 180), (40_000, 1800, 180)]


@pytest.mark.parametrize(("calls", "interval", "aht"), LOADS, ids=lambda v: str(v))
def test_erlang_c_matches_exact_fractions_at_the_answer_and_one_below(calls, interval, aht):
    model = Model(Queue(calls, interval, aht))
    a = Fraction(calls * aht, interval)
    answer = solve(model, TARGET_80_20)
    exacts = {}  # n → the exact values, each computed once (exact fractions are slow at the larger loads)
    for n in (answer.agents, answer.agents - 1):
        if n <= a:
            assert not model.metrics(n, 20).stable
            continue
        exacts[n], got = exact_erlang_c(n, a, aht, 20), model.metrics(n, 20)
        for key, value in exacts[n].items():
            assert getattr(got, key) == pytest.approx(value, rel=1e-9, abs=1e-12), (n, key)
    assert exacts[answer.agents]["service_level"] >= 0.8
    if answer.agents - 1 > a:
        assert exacts[answer.agents - 1]["service_level"] < 0.8


@pytest.mark.parametrize(("calls", "interval", "aht"), LOADS, ids=lambda v: str(v))
@pytest.mark.parametrize("patience", [180, 360])  # c = Nμ/θ whole: the exact service level applies
def test_erlang_a_matches_exact_fractions_at_the_answer_and_one_below(calls, interval, aht, patience):
    model = Model(Queue(calls, interval, aht, "erlang-a", patience))
    a = Fraction(calls * aht, interval)
    answer = solve(model, TARGET_80_20)
    exacts = {}  # n → the exact values, each computed once (exact fractions are slow at the larger loads)
    for n in {answer.agents, max(1, answer.agents - 1)}:
        exacts[n], got = exact_erlang_a(n, a, aht, patience, 20), model.metrics(n, 20)
        for key, value in exacts[n].items():
            assert getattr(got, key) == pytest.approx(value, rel=1e-9, abs=1e-12), (n, key)
    assert exacts[answer.agents]["service_level"] >= 0.8
    if answer.agents > 1:
        assert exacts[answer.agents - 1]["service_level"] < 0.8


@pytest.mark.parametrize(("calls", "agents"), [(30, 1), (240, 12), (1500, 60)])
def test_erlang_a_overloaded_and_with_awkward_patience_matches_the_exact_rationals(calls, agents):
    """Far below the load, and patience 120 s with AHT 180 s (c not whole): waits, abandons, occupancy."""
    model = Model(Queue(calls, 1800, 180, "erlang-a", 120))
    exact = exact_erlang_a(agents, Fraction(calls * 180, 1800), 180, 120, 20)
    got = model.metrics(agents, 20)
    for key, value in exact.items():
        assert getattr(got, key) == pytest.approx(value, rel=1e-9, abs=1e-12), key


def test_erlang_b_and_c_helpers_agree_with_the_exact_values():
    a = Fraction(10)
    b = 1 / (exact_low(10, a) + 1)
    assert erlang_b(10, 10.0) == pytest.approx(float(b), rel=1e-13)
    assert erlang_c(14, 10.0) == pytest.approx(exact_erlang_c(14, a, 180, 20)["p_wait"], rel=1e-13)
    assert erlang_c(10, 10.0) == 1.0 and erlang_c(3, 0.0) == 0.0
    assert erlang_b(0, 0.0) == 1.0 and erlang_b(4, 0.0) == 0.0


# ---------------------------------------------------------------- the solver


def _linear_least(model: Model, targets: Targets) -> int:
    n = 1
    while not meets(model.metrics(n, targets.threshold), targets):
        n += 1
    return n


@pytest.mark.parametrize(
    "targets",
    [
        Targets(0.8, 20),
        Targets(0.9, 10, asa=15),
        Targets(None, 20, max_abandon=0.02),
        Targets(0.5, 60, max_occupancy=0.85),
        Targets(0.95, 0),
    ],
)
@pytest.mark.parametrize(("calls", "patience"), [(7, 30), (120, 300), (800, 60)])
def test_the_erlang_a_search_finds_the_least_headcount_a_scan_finds(targets, calls, patience):
    model = Model(Queue(calls, 1800, 180, "erlang-a", patience))
    assert solve(model, targets).agents == _linear_least(model, targets)


def test_every_stated_constraint_binds():
    model = Model(Queue(100, 1800, 180))
    assert solve(model, Targets(0.8, 20)).agents == 14
    assert solve(model, Targets(0.8, 20, asa=2)).agents == 16  # ASA 1.7 s needs 16
    assert solve(model, Targets(0.8, 20, max_occupancy=0.65)).agents == 16  # 10/16 = 62.5%
    assert solve(model, Targets(None, 20, max_occupancy=0.85)).agents == 12
    assert solve(model, Targets(None, 20)).agents == 11  # no target: the first stable headcount


def test_the_least_erlang_c_headcount_is_never_at_or_below_the_traffic():
    for calls in (1, 3, 50, 99, 100, 101):
        answer = solve(Model(Queue(calls, 1800, 180)), Targets(0.01, 20))
        assert answer.agents > answer.traffic and answer.stable


def test_zero_calls_need_no_agents():
    for model in ("erlang-c", "erlang-a"):
        answer = solve(Model(Queue(0, 1800, 180, model, 120 if model == "erlang-a" else None)), TARGET_80_20)
        assert answer.agents == 0 and answer.service_level == 1.0 and answer.asa == 0.0


def test_an_unstable_erlang_c_headcount_is_reported_as_such_with_no_waits():
    m = Model(Queue(100, 1800, 180)).metrics(10, 20)
    assert not m.stable
    assert m.asa is None and m.mean_wait is None
    assert m.p_wait == 1.0 and m.service_level == 0.0
    assert shortfalls(m, TARGET_80_20)[0].startswith("unstable")


# ---------------------------------------------------------------- scale and edges


def test_ten_thousand_agents_and_more_stay_finite_and_exact():
    for model, patience in (("erlang-c", None), ("erlang-a", 120)):
        engine = Model(Queue(200_000, 1800, 180, model, patience))  # 20,000 erlangs
        answer = solve(engine, TARGET_80_20)
        # Erlang C needs a little over the load; Erlang A, with 120 s patience, about A·(1 − P(abandon)).
        low, high = (20_001, 20_300) if model == "erlang-c" else (16_000, 20_000)
        assert low <= answer.agents < high
        assert all(math.isfinite(v) for v in answer if isinstance(v, float))
        assert answer.service_level >= 0.8 > engine.metrics(answer.agents - 1, 20).service_level


@pytest.mark.parametrize("agents", [1, 2, 500, 30_000, 1_000_000])
@pytest.mark.parametrize("patience", [1, 120, 36_000])
def test_erlang_a_extremes_give_probabilities_and_real_waits(agents, patience):
    """Erlang B underflows past 1e-308 at a million agents for 10 erlangs; the logarithms carry on."""
    for calls in (100, 40_000):
        m = Model(Queue(calls, 1800, 180, "erlang-a", patience)).metrics(agents, 20)
        for value in (m.p_wait, m.service_level, m.occupancy, m.p_abandon):
            assert 0.0 <= value <= 1.0
        assert m.asa is not None and m.asa >= 0 and 0 <= m.mean_wait <= patience
        assert m.p_abandon <= m.p_wait


def test_erlang_c_with_a_million_agents_for_ten_erlangs_is_simply_instant_service():
    m = Model(Queue(100, 1800, 180)).metrics(1_000_000, 20)
    assert m.p_wait == 0.0 and m.service_level == 1.0 and m.asa == 0.0


def test_headcounts_past_the_limit_are_refused():
    with pytest.raises(StaffingError, match="at most"):
        Model(Queue(100, 1800, 180)).metrics(MAX_AGENTS + 1, 20)


@pytest.mark.parametrize(
    ("queue", "message"),
    [
        (Queue(-1, 1800, 180), "negative"),
        (Queue(10, 0, 180), "interval"),
        (Queue(10, 1800, 0), "AHT"),
        (Queue(10, 1800, float("nan")), "finite"),
        (Queue(10, 1800, 180, "erlang-a"), "patience"),
        (Queue(10, 1800, 180, "erlang-a", 0), "patience"),
        (Queue(10, 1800, 180, "erlang-c", 60), "only to Erlang A"),
        (Queue(10, 1800, 180, "erlang-x"), "unknown model"),
        (Queue(1e12, 1800, 180), "more than one queue"),
    ],
)
def test_queues_that_make_no_sense_are_refused(queue, message):
    with pytest.raises(StaffingError, match=message):
        Model(queue)


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        (Targets(1.0, 20), "below 100%"),
        (Targets(0.8, -1), "threshold"),
        (Targets(0.8, 20, asa=0), "ASA"),
        (Targets(0.8, 20, max_occupancy=0), "occupancy"),
        (Targets(0.8, 20, max_abandon=0.05), "Erlang A"),
    ],
)
def test_targets_that_cannot_be_met_or_stated_are_refused(targets, message):
    with pytest.raises(StaffingError, match=message):
        solve(Model(Queue(100, 1800, 180)), targets)


def test_erlang_a_needs_some_target():
    with pytest.raises(StaffingError, match="needs a target"):
        solve(Model(Queue(100, 1800, 180, "erlang-a", 60)), Targets(None, 20))


def test_scheduled_headcount_rounds_up_but_not_for_binary_noise():
    assert scheduled(14, 0.30) == (20, pytest.approx(20.0))
    assert scheduled(29, 0.32) == (43, pytest.approx(42.647, abs=1e-3))
    assert scheduled(10, 0.0) == (10, 10.0)
    with pytest.raises(StaffingError):
        scheduled(10, 1.0)


# ---------------------------------------------------------------- quantities


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("180", 180), ("90s", 90), ("3m", 180), ("30m", 1800), ("1h", 3600), ("1.5h", 5400), ("1h30m", 5400),
     ("4m30s", 270), (" 20 ", 20), ("2 min", 120), ("0", 0)],
)  # fmt: skip
def test_durations(text, seconds):
    assert parse_duration(text, "--aht") == seconds


@pytest.mark.parametrize("text", ["", "abc", "3x", "-5", "1e3", "nan", "inf", "3m-", "m"])
def test_bad_durations_name_the_option(text):
    with pytest.raises(InputError, match="--aht"):
        parse_duration(text, "--aht")


@pytest.mark.parametrize(("text", "fraction"), [("85%", 0.85), ("85", 0.85), ("0.5%", 0.005), ("100", 1.0), ("0", 0.0)])
def test_percentages(text, fraction):
    assert parse_percent(text, "--shrinkage") == pytest.approx(fraction)


def test_a_fraction_is_refused_with_the_reason():
    with pytest.raises(InputError, match=r"looks like a fraction; write percentages as 85% or 85"):
        parse_percent("0.85", "--max-occupancy")


@pytest.mark.parametrize("text", ["101", "-5%", "85%%", "eighty", ""])
def test_bad_percentages(text):
    with pytest.raises(InputError):
        parse_percent(text, "--shrinkage")


def test_targets():
    assert parse_target("80/20") == (0.8, 20)
    assert parse_target("90%/15s") == (0.9, 15)
    assert parse_target("80/1m") == (0.8, 60)
    assert parse_target("none") == (None, 20)
    for bad in ("80", "80/", "/20", "0.8/20", "100/20", "0/20", "80/x"):
        with pytest.raises(InputError, match="--target"):
            parse_target(bad)


def test_percent_format():
    assert format_percent(0.8) == "80%"
    assert format_percent(0.888) == "88.8%"
