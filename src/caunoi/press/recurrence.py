"""Recurrence rules the way offices say them, as RFC 5545 RRULEs (dateutil.rrule).

"every second Thursday of the month"  → FREQ=MONTHLY;BYDAY=2TH
"the 1st and 3rd Thursday"            → FREQ=MONTHLY;BYDAY=1TH,3TH
"every two weeks on Thursday"         → FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.conf import settings
from django.utils.translation import gettext as _

from caunoi.core.errors import CaunoiError

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# An unbounded rule is laid out this far ahead; a rule may make at most this many briefings.
HORIZON_DAYS = 366
MOST = 120
_ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}


class RecurrenceError(CaunoiError):
    pass


@dataclass(frozen=True)
class RuleChoice:
    """What the form asks: a pattern and its few parameters."""

    pattern: str  # "monthly" (nth weekdays of the month), "weekly" or "custom"
    weekday: int = 3  # 0 = Monday … 3 = Thursday
    ordinals: tuple[int, ...] = (2,)  # 1..4, or -1 for the last
    interval: int = 1  # every N weeks
    until: date | None = None
    count: int | None = None
    custom: str = ""


def build_rule(choice: RuleChoice) -> str:
    """The RRULE text for a form's choice (not yet checked: see `check_rule`)."""
    if choice.pattern == "custom":
        text = choice.custom.strip()
        return text[6:].strip() if text.upper().startswith("RRULE:") else text
    day = WEEKDAYS[choice.weekday]
    if choice.pattern == "monthly":
        if not choice.ordinals:
            raise RecurrenceError(_("Chọn ít nhất một tuần trong tháng (thứ nhất, thứ hai…)."))
        parts = ["FREQ=MONTHLY", "BYDAY=" + ",".join(f"{n}{day}" for n in choice.ordinals)]
    elif choice.pattern == "weekly":
        if not 1 <= choice.interval <= 8:
            raise RecurrenceError(_("Khoảng cách phải từ 1 đến 8 tuần."))
        parts = ["FREQ=WEEKLY", f"INTERVAL={choice.interval}", f"BYDAY={day}"]
    else:
        raise RecurrenceError(_("Chọn một kiểu lặp lại."))
    if choice.until is not None:
        parts.append(f"UNTIL={choice.until:%Y%m%d}T235959")
    elif choice.count is not None:
        parts.append(f"COUNT={choice.count}")
    return ";".join(parts)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def check_rule(rule: str, *, first_day: date, at: time) -> rrule:
    """Parse `rule` or raise RecurrenceError with a message that says what to fix."""
    text = rule.strip()
    bad = _(
        "Không hiểu quy tắc lặp “%(rule)s”. Hãy chọn một kiểu lặp có sẵn, hoặc viết theo "
        "chuẩn iCalendar, ví dụ FREQ=MONTHLY;BYDAY=2TH (thứ Năm tuần thứ hai hằng tháng)."
    ) % {"rule": text[:120]}
    if not text or "\n" in text or "DTSTART" in text.upper() or len(text) > 300:
        raise RecurrenceError(bad)
    fields = dict(part.split("=", 1) for part in text.upper().split(";") if "=" in part)
    if fields.get("FREQ") not in _ALLOWED_FREQ:
        raise RecurrenceError(bad)
    try:
        parsed = rrulestr(text, dtstart=datetime.combine(first_day, at))
    except (ValueError, TypeError, KeyError, IndexError):
        raise RecurrenceError(bad) from None
    if not isinstance(parsed, rrule):
        raise RecurrenceError(bad)
    return parsed


def occurrences(rule: str, *, first_day: date, at: time) -> list[datetime]:
    """The start times (aware, in the office's zone) the rule gives, bounded: the rule's own
    end, or a year ahead; never more than MOST."""
    parsed = check_rule(rule, first_day=first_day, at=at)
    last = datetime.combine(first_day + timedelta(days=HORIZON_DAYS), time(23, 59))
    starts = []
    for start in parsed.xafter(datetime.combine(first_day, at), count=MOST + 1, inc=True):
        if start > last:
            break
        starts.append(start.replace(tzinfo=_zone()))
    if not starts:
        raise RecurrenceError(
            _("Quy tắc lặp này không cho buổi nào trong một năm kể từ ngày bắt đầu.")
        )
    if len(starts) > MOST:
        raise RecurrenceError(
            _("Quy tắc lặp này cho quá %(most)s buổi trong một năm; hãy chọn lịch thưa hơn.")
            % {"most": MOST}
        )
    return starts


def describe(rule: str) -> str:
    """A reader's sentence for the usual rules; the RRULE itself for any other."""
    fields = dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)
    names = [_("thứ Hai"), _("thứ Ba"), _("thứ Tư"), _("thứ Năm"), _("thứ Sáu"), _("thứ Bảy")]
    names.append(_("Chủ nhật"))
    byday = fields.get("BYDAY", "").split(",") if fields.get("BYDAY") else []
    ordinal_names = {
        "1": _("thứ nhất"),
        "2": _("thứ hai"),
        "3": _("thứ ba"),
        "4": _("thứ tư"),
        "-1": _("cuối cùng"),
    }
    try:
        if fields.get("FREQ") == "MONTHLY" and byday:
            day = names[WEEKDAYS.index(byday[0][-2:])]
            weeks = [ordinal_names[b[:-2]] for b in byday]
            return _("%(day)s tuần %(weeks)s hằng tháng") % {
                "day": day,
                "weeks": _(" và ").join(weeks),
            }
        if fields.get("FREQ") == "WEEKLY" and len(byday) == 1:
            day = names[WEEKDAYS.index(byday[0])]
            interval = int(fields.get("INTERVAL", "1"))
            if interval == 1:
                return _("%(day)s hằng tuần") % {"day": day}
            return _("%(day)s, %(n)s tuần một lần") % {"day": day, "n": interval}
    except (KeyError, ValueError):
        pass
    return rule
