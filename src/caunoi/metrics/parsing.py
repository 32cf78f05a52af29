"""From rows of an uploaded file to figures, with every problem reported by its line.

A value left empty means "not reported": no figure is written for it (a zero is written as 0)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.errors import ImportRejected, RowError
from caunoi.metrics.layouts import LAYOUTS, Layout, detect, header_key
from caunoi.metrics.models import ENGAGEMENT_PARTS, Metric
from caunoi.metrics.reading import Cell, Row, read_rows

DERIVED_ENGAGEMENT = "caunoi:reactions+comments+shares+clicks"
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T].*)?$")
MAX_REPORTED = 200


@dataclass
class ParsedPost:
    external_id: str
    line: int
    title: str = ""
    url: str = ""
    published_at: datetime | None = None
    article_id: int | None = None


@dataclass(frozen=True)
class ParsedFigure:
    line: int
    day: date
    post: str | None  # the platform's post id, or None for the channel as a whole
    metric: str
    raw_name: str
    value: int


@dataclass
class Parsed:
    layout: Layout
    rows: int = 0
    posts: dict[str, ParsedPost] = field(default_factory=dict)
    figures: list[ParsedFigure] = field(default_factory=list)

    @property
    def first_day(self) -> date | None:
        return min((f.day for f in self.figures), default=None)

    @property
    def last_day(self) -> date | None:
        return max((f.day for f in self.figures), default=None)

    def totals(self) -> dict[str, int]:
        """Sum of each metric in the file (followers: the largest value)."""
        sums: Counter[str] = Counter()
        for f in self.figures:
            if f.metric == Metric.FOLLOWERS:
                sums[f.metric] = max(sums[f.metric], f.value)
            else:
                sums[f.metric] += f.value
        return dict(sums)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_day(cell: Cell, layout: Layout) -> date | None:
    """The day in a cell, or None when it cannot be read."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    try:
        if found := _ISO.match(text):
            return date(int(found[1]), int(found[2]), int(found[3]))
        if found := _SLASHED.match(text):
            first, second, year = int(found[1]), int(found[2]), int(found[3])
            day, month = (first, second) if layout.day_first else (second, first)
            return date(year, month, day)
    except ValueError:
        return None
    return None


def _published(cell: Cell, layout: Layout) -> datetime | None:
    if isinstance(cell, datetime):
        moment = cell
    else:
        day = parse_day(cell, layout)
        if day is None:
            return None
        moment = datetime.combine(day, time(12))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_count(cell: Cell) -> int | str | None:
    """An integer, None for an empty cell, or the text that is not a count (an error)."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell if cell >= 0 else str(cell)
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() and cell >= 0 else str(cell)
    if isinstance(cell, date):
        return str(cell)
    text = str(cell).replace("\u00a0", "").replace(" ", "").strip()
    if text in ("", "-", "—"):
        return None
    if _GROUPED.match(text):
        text = text.replace(".", "").replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return str(cell)
    if number < 0 or number != number.to_integral_value():
        return str(cell)
    return int(number)


def _find(headers: list[str], names: tuple[str, ...]) -> int | None:
    keys = [header_key(h) for h in headers]
    for name in names:
        if header_key(name) in keys:
            return keys.index(header_key(name))
    return None


class _Columns:
    def __init__(self, layout: Layout, header: Row) -> None:
        self.headers = [_text(c) for c in header.cells]
        self.date = _find(self.headers, layout.date_headers)
        self.post = _find(self.headers, layout.post_id_headers)
        self.title = _find(self.headers, layout.title_headers)
        self.url = _find(self.headers, layout.url_headers)
        self.article = _find(self.headers, layout.article_headers)
        self.published = _find(self.headers, layout.published_headers)
        self.metrics: dict[str, int] = {}
        for metric, names in layout.metrics.items():
            index = _find(self.headers, names)
            if index is not None:
                self.metrics[metric] = index

    def missing(self, layout: Layout, line: int) -> list[RowError]:
        errors = []
        if layout.date_headers and self.date is None:
            errors.append(self._need(line, layout.date_headers[0]))
        if layout.post_required and self.post is None:
            errors.append(self._need(line, layout.post_id_headers[0]))
        if layout.post_required and self.published is None:
            errors.append(self._need(line, layout.published_headers[0]))
        if not self.metrics:
            wanted = ", ".join(f"“{names[0]}”" for names in layout.metrics.values())
            errors.append(
                RowError(line, _("không có cột số liệu nào; cần ít nhất một cột: %s") % wanted)
            )
        return errors

    @staticmethod
    def _need(line: int, name: str) -> RowError:
        return RowError(line, _("thiếu cột “%(name)s” ở dòng tiêu đề") % {"name": name})


def _cell(row: Row, index: int | None) -> Cell:
    if index is None or index >= len(row.cells):
        return None
    return row.cells[index]


def _is_description(row: Row, columns: _Columns) -> bool:
    """Facebook's exports put a sentence describing each column under the header row."""
    texts = [_text(_cell(row, i)) for i in columns.metrics.values()]
    return any(re.search(r"[A-Za-zÀ-ỹ]{3}", t) for t in texts) and all(
        isinstance(parse_count(_cell(row, i)), str) or not _text(_cell(row, i))
        for i in columns.metrics.values()
    )


def _choose_layout(rows: list[Row], chosen: str) -> tuple[Layout, Row]:
    header = next((r for r in rows if not r.blank()), None)
    if header is None:
        raise ImportRejected([RowError(1, _("tệp không có dòng nào"))])
    if chosen in LAYOUTS:
        return LAYOUTS[chosen], header
    layout = detect([_text(c) for c in header.cells])
    if layout is None:
        raise ImportRejected(
            [
                RowError(
                    header.line,
                    _(
                        "không nhận ra dạng tệp từ dòng tiêu đề; hãy chọn dạng tệp, hoặc dùng "
                        "tệp mẫu của caunoi (cột đầu là “Ngày”)"
                    ),
                )
            ]
        )
    return layout, header


def parse(name: str, data: bytes, *, layout: str = "auto", today: date | None = None) -> Parsed:
    """Every figure of the file, or ImportRejected listing every problem with its line."""
    rows = read_rows(name, data)
    chosen, header = _choose_layout(rows, layout)
    columns = _Columns(chosen, header)
    errors = columns.missing(chosen, header.line)
    if errors:
        raise ImportRejected(errors)
    today = today or timezone.localdate()
    parsed = Parsed(chosen)
    seen: dict[tuple[date, str | None, str], int] = {}
    body = [r for r in rows if r.line > header.line and not r.blank()]
    if body and _is_description(body[0], columns):
        body = body[1:]
    for row in body:
        parsed.rows += 1
        _parse_row(row, chosen, columns, parsed, seen, errors, today)
        if len(errors) > MAX_REPORTED:
            break
    if not errors and not parsed.figures:
        errors.append(RowError(header.line + 1, _("tệp không có số liệu nào dưới dòng tiêu đề")))
    if errors:
        raise ImportRejected(errors)
    _derive_engagement(parsed)
    return parsed


def _parse_row(
    row: Row,
    layout: Layout,
    columns: _Columns,
    parsed: Parsed,
    seen: dict[tuple[date, str | None, str], int],
    errors: list[RowError],
    today: date,
) -> None:
    post_id = _text(_cell(row, columns.post)) or None
    if layout.post_required and post_id is None:
        errors.append(RowError(row.line, _("thiếu mã bài (cột “%s”)") % layout.post_id_headers[0]))
        return
    day_cell = _cell(row, columns.published if layout.post_required else columns.date)
    day = parse_day(day_cell, layout)
    if day is None:
        errors.append(
            RowError(
                row.line,
                _(
                    "ngày “%(value)s” không đọc được; hãy ghi theo dạng %(format)s hoặc YYYY-MM-DD "
                    "(ví dụ %(example)s)"
                )
                % {
                    "value": _text(day_cell),
                    "format": layout.date_format(),
                    "example": layout.date_example(),
                },
            )
        )
        return
    if day > today:
        errors.append(
            RowError(row.line, _("ngày %(day)s chưa tới; hãy sửa lại ngày") % {"day": day})
        )
        return
    if post_id is not None:
        _remember_post(row, layout, columns, parsed, post_id, errors)
    for metric, index in columns.metrics.items():
        value = parse_count(_cell(row, index))
        raw = layout.raw_prefix + metric if layout.raw_prefix else columns.headers[index]
        if isinstance(value, str):
            errors.append(
                RowError(
                    row.line,
                    _("cột “%(column)s”: “%(value)s” không phải số nguyên không âm")
                    % {"column": columns.headers[index], "value": value},
                )
            )
            continue
        if value is None:
            continue
        key = (day, post_id, metric)
        if key in seen:
            errors.append(
                RowError(
                    row.line,
                    _("%(metric)s ngày %(day)s đã có ở dòng %(line)d; hãy bỏ một dòng")
                    % {"metric": Metric(metric).label, "day": day, "line": seen[key]},
                )
            )
            continue
        seen[key] = row.line
        parsed.figures.append(ParsedFigure(row.line, day, post_id, metric, raw, value))


def _remember_post(
    row: Row,
    layout: Layout,
    columns: _Columns,
    parsed: Parsed,
    post_id: str,
    errors: list[RowError],
) -> None:
    post = parsed.posts.setdefault(post_id, ParsedPost(post_id, row.line))
    post.title = post.title or _text(_cell(row, columns.title))[:300]
    url = _text(_cell(row, columns.url))
    if url.startswith(("http://", "https://")):
        post.url = url[:500]
    if columns.published is not None and post.published_at is None:
        post.published_at = _published(_cell(row, columns.published), layout)
    article = _text(_cell(row, columns.article))
    if article:
        if not article.isdigit():
            errors.append(
                RowError(
                    row.line,
                    _("mã tin caunoi “%(value)s” phải là một số (xem địa chỉ trang tin)")
                    % {"value": article},
                )
            )
        else:
            post.article_id = int(article)


def _derive_engagement(parsed: Parsed) -> None:
    """Where a row gives reactions, comments, shares or clicks but no total, add their sum."""
    totals: dict[tuple[date, str | None], int] = {}
    given: set[tuple[date, str | None]] = set()
    lines: dict[tuple[date, str | None], int] = {}
    for f in parsed.figures:
        key = (f.day, f.post)
        if f.metric == Metric.ENGAGEMENT:
            given.add(key)
        elif f.metric in ENGAGEMENT_PARTS:
            totals[key] = totals.get(key, 0) + f.value
            lines.setdefault(key, f.line)
    for key, total in totals.items():
        if key not in given:
            parsed.figures.append(
                ParsedFigure(
                    lines[key], key[0], key[1], Metric.ENGAGEMENT, DERIVED_ENGAGEMENT, total
                )
            )
