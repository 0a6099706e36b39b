"""Read the quantities people type on a command line: durations, percentages, service level targets.

Durations: plain seconds (`180`) or a number with a unit (`90s`, `3m`, `30m`, `1h`, `1.5h`, `1h30m`).
Percentages: `85%` or `85`; never a fraction, because `0.85` could mean 85% or 0.85%.
Targets: `80/20` is 80% of calls answered within 20 seconds (`80%/20s`, `90/1m` work too).
Every error is an InputError whose message names the option and says what would be accepted.
"""

from __future__ import annotations

import math
import re

from .errors import BpotermsError


class InputError(BpotermsError):
    """A value on the command line that cannot be read as what the option expects."""


_UNIT_SECONDS = {"s": 1.0, "sec": 1.0, "secs": 1.0, "m": 60.0, "min": 60.0, "mins": 60.0, "h": 3600.0, "hr": 3600.0}
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_PART = re.compile(rf"({_NUMBER})\s*([a-z]+)")
_DURATION = re.compile(rf"(?:{_NUMBER}\s*[a-z]+\s*)+")
_PLAIN_NUMBER = re.compile(rf"[+-]?{_NUMBER}")


def parse_number(text: str, what: str) -> float:
    """A plain decimal number (`100`, `12.5`); words, `nan`, `inf` and empty strings are refused."""
    raw = text.strip().replace("_", "")
    if not _PLAIN_NUMBER.fullmatch(raw):
        raise InputError(f"{what}: '{text}' is not a number")
    return float(raw)


def parse_count(text: str, what: str) -> int:
    """A whole number of at least 1 (agents)."""
    value = parse_number(text, what)
    if value != int(value):
        raise InputError(f"{what}: '{text}' is not a whole number")
    if value < 1:
        raise InputError(f"{what}: must be at least 1, got '{text}'")
    return int(value)


def parse_duration(text: str, what: str) -> float:
    """Seconds from `180`, `90s`, `3m`, `30m`, `1h` or `1h30m`; negative durations are refused."""
    raw = text.strip().lower()
    if raw.startswith("-"):
        raise InputError(f"{what}: a duration cannot be negative, got '{text}'")
    if _PLAIN_NUMBER.fullmatch(raw):
        return float(raw)
    if _DURATION.fullmatch(raw):
        total = 0.0
        for number, unit in _PART.findall(raw):
            if unit not in _UNIT_SECONDS:
                break
            total += float(number) * _UNIT_SECONDS[unit]
        else:
            return total
    raise InputError(f"{what}: '{text}' is not a duration (write seconds, or a unit: 90s, 3m, 30m, 1h)")


def parse_percent(text: str, what: str) -> float:
    """A fraction 0–1 from `85%` or `85`; `0.85` is refused because it reads both ways."""
    raw = text.strip()
    has_sign = raw.endswith("%")
    number = raw[:-1].strip() if has_sign else raw
    if not _PLAIN_NUMBER.fullmatch(number):
        raise InputError(f"{what}: '{text}' is not a percentage (write it as 85% or 85)")
    value = float(number)
    if value < 0:
        raise InputError(f"{what}: a percentage cannot be negative, got '{text}'")
    if not has_sign and 0 < value < 1:
        raise InputError(
            f"{what}: '{text}' looks like a fraction; write percentages as 85% or 85"
            f" (or {text}% if you mean less than one percent)"
        )
    if value > 100:
        raise InputError(f"{what}: a percentage cannot be above 100%, got '{text}'")
    return value / 100


def parse_target(text: str, what: str = "--target") -> tuple[float | None, float]:
    """`80/20` → (0.80, 20.0): the share of calls and the seconds they must be answered within.

    `none` drops the service level target (the threshold stays 20 s for the figures shown).
    """
    raw = text.strip()
    if raw.lower() == "none":
        return None, 20.0
    share, slash, threshold = raw.partition("/")
    if not slash or not share.strip() or not threshold.strip():
        raise InputError(f"{what}: '{text}' is not a target; write it as 80/20 (80% answered within 20 seconds)")
    level = parse_percent(share, what)
    if level == 0 or level >= 1:
        raise InputError(f"{what}: the share answered must be above 0% and below 100%, got '{share.strip()}'")
    return level, parse_duration(threshold, what)


def format_duration(seconds: float) -> str:
    """The way people say an interval: 30 min, 1 h, 90 s, 1 h 30 min."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        if minutes >= 60 and minutes % 60 == 0:
            return f"{minutes // 60} h"
        if minutes > 60:
            return f"{minutes // 60} h {minutes % 60} min"
        return f"{minutes} min"
    return f"{seconds:g} s"


def format_percent(fraction: float, places: int = 1) -> str:
    """0.8883 → '88.8%'; whole percentages lose the trailing '.0' (80%, not 80.0%)."""
    text = f"{fraction * 100:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".") if float(text) == math.floor(float(text)) else text
    return text + "%"
