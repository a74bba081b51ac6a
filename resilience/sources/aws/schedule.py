"""AWS schedule expressions (``cron(...)``, ``rate(...)``) to the longest gap between runs."""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable
from datetime import date, timedelta

_MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$", re.I)
_CRON = re.compile(r"^cron\((.*)\)$", re.I)
_UNIT = {"minute": 1, "hour": 60, "day": 1440}
# Two years from a fixed start, so leap years and weekday patterns repeat at least once.
_WINDOW_START = date(2025, 1, 1)
_WINDOW_DAYS = 2 * 366 + 31


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int]:
    out: set[int] = set()
    for part in field.split(","):
        part = part.strip().upper()
        if names:
            for name, number in names.items():
                part = part.replace(name, str(number))
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
            if step < 1:
                raise ValueError("step must be positive")
        if part in ("*", "?", ""):
            start, end = low, high
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = int(a), int(b)
        else:
            start = int(part)
            end = high if step > 1 else start
        if not (low <= start <= high and low <= end <= high):
            raise ValueError(f"{part} is outside {low}-{high}")
        out.update(range(start, end + 1, step))
    return out


def _aws_dow(day: date) -> int:
    return (day.weekday() + 1) % 7 + 1


def _dom_matcher(field: str) -> Callable[[date], bool] | None:
    if field in ("*", "?"):
        return None
    if field.upper() in ("L", "LW"):
        return lambda d: d.day == calendar.monthrange(d.year, d.month)[1]
    if field.upper().endswith("W"):  # nearest weekday to day n: approximated as day n
        field = field[:-1]
    days = _values(field, 1, 31)
    return lambda d: d.day in days


def _dow_matcher(field: str) -> Callable[[date], bool] | None:
    if field in ("*", "?"):
        return None
    text = field.upper()
    for name, number in _DAYS.items():
        text = text.replace(name, str(number))
    if "#" in text:
        day_text, nth_text = text.split("#", 1)
        dow, nth = int(day_text), int(nth_text)
        return lambda d: _aws_dow(d) == dow and (d.day - 1) // 7 + 1 == nth
    if text.endswith("L") and text != "L":
        dow = int(text[:-1])
        return lambda d: _aws_dow(d) == dow and d.day + 7 > calendar.monthrange(d.year, d.month)[1]
    days = _values(text, 1, 7)
    return lambda d: _aws_dow(d) in days


def _cron_gap(expression: str) -> timedelta | None:
    fields = expression.split()
    if len(fields) != 6:
        return None
    minute, hour, dom, month, dow, _year = fields
    minutes = _values(minute, 0, 59)
    hours = _values(hour, 0, 23)
    months = _values(month, 1, 12, _MONTHS)
    by_dom, by_dow = _dom_matcher(dom), _dow_matcher(dow)
    times = sorted(h * 60 + m for h in hours for m in minutes)
    if not times:
        return None
    days = []
    for offset in range(_WINDOW_DAYS):
        d = _WINDOW_START + timedelta(days=offset)
        if d.month in months and (by_dom is None or by_dom(d)) and (by_dow is None or by_dow(d)):
            days.append(offset)
    if not days or (len(days) == 1 and len(times) == 1):
        return None
    worst = max((b - a for a, b in zip(times, times[1:], strict=False)), default=0)
    for a, b in zip(days, days[1:], strict=False):
        worst = max(worst, (b - a) * 1440 + times[0] - times[-1])
    return timedelta(minutes=worst)


@functools.lru_cache(maxsize=512)
def schedule_interval(expression: str | None) -> timedelta | None:
    """The longest time between two runs of ``expression``; None when it cannot be read.

    Cached: a cron expression is checked against two years of days (about 1.5 ms), and an
    estate repeats the same few schedules in every plan, account and region."""
    if not expression:
        return None
    text = expression.strip()
    rate = _RATE.match(text)
    if rate:
        unit = rate.group(2).lower().rstrip("s")
        return timedelta(minutes=int(rate.group(1)) * _UNIT[unit])
    cron = _CRON.match(text)
    if cron:
        try:
            return _cron_gap(cron.group(1))
        except ValueError:
            return None
    return None
