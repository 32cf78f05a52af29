"""Charts as inline SVG, drawn on the server: no script, no CDN, nothing the CSP must allow
(presentation attributes only, no style attributes). Every chart carries a title and a text
description for screen readers; pages show the same numbers in a table beside it.

    bar_chart(title=_("Tin đã đăng"), labels=["T1", "T2"], series={"Facebook": [3, 5]})
    line_chart(title=..., labels=[...], series={...})
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Distinguishable for common colour blindness (Okabe–Ito).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 28, 52


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)


def _frame(
    title: str, series: dict[str, Sequence[float]], top: float, labels: Sequence[str]
) -> list[str]:
    summary = "; ".join(
        f"{name}: "
        + ", ".join(f"{label} {number_format(v)}" for label, v in zip(labels, values, strict=False))
        for name, values in series.items()
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="11" '
        f'font-family="sans-serif">',
        f"<title>{escape(title)}</title><desc>{escape(summary)}</desc>",
        f'<text x="{LEFT}" y="16" font-weight="bold" font-size="13">{escape(title)}</text>',
    ]
    plot_h = HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#444">'
            f"{escape(number_format(round(value, 1)))}</text>"
        )
    # Legend along the bottom.
    x = LEFT
    for index, name in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 5}" fill="#222">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    return parts


def _x_labels(labels: Sequence[str], centre: list[float]) -> list[str]:
    every = max(1, len(labels) // 12)
    return [
        f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#444">'
        f"{escape(label)}</text>"
        for index, (label, cx) in enumerate(zip(labels, centre, strict=True))
        if index % every == 0
    ]


def _tip(name: str, label: str, value: float) -> str:
    return f"<title>{escape(name)} — {escape(label)}: {escape(number_format(value))}</title>"


def bar_chart(
    *, title: str, labels: Sequence[str], series: dict[str, Sequence[float]]
) -> SafeString:
    """Grouped bars: one group per label, one bar per series."""
    top = _nice_max(max((v for values in series.values() for v in values), default=0))
    parts = _frame(title, series, top, labels)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(1, len(labels))
    bar = group * 0.8 / max(1, len(series))
    centres = []
    for i in range(len(labels)):
        x0 = LEFT + group * i + group * 0.1
        centres.append(x0 + group * 0.4)
        for s, (name, values) in enumerate(series.items()):
            value = values[i] if i < len(values) else 0
            h = plot_h * value / top
            parts.append(
                f'<rect x="{x0 + bar * s:.1f}" y="{TOP + plot_h - h:.1f}" '
                f'width="{max(bar - 1, 1):.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}">{_tip(name, labels[i], value)}</rect>'
            )
    parts += _x_labels(labels, centres)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def line_chart(
    *, title: str, labels: Sequence[str], series: dict[str, Sequence[float]]
) -> SafeString:
    """One line per series over the labels (days, months, quarters)."""
    top = _nice_max(max((v for values in series.values() for v in values), default=0))
    parts = _frame(title, series, top, labels)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(labels) - 1) if len(labels) > 1 else 0
    xs = [LEFT + step * i if len(labels) > 1 else LEFT + plot_w / 2 for i in range(len(labels))]
    for s, (name, values) in enumerate(series.items()):
        colour = PALETTE[s % len(PALETTE)]
        points = " ".join(
            f"{xs[i]:.1f},{TOP + plot_h - plot_h * v / top:.1f}"
            for i, v in enumerate(values[: len(xs)])
        )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        for i, v in enumerate(values[: len(xs)]):
            y = TOP + plot_h - plot_h * v / top
            parts.append(
                f'<circle cx="{xs[i]:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"{_tip(name, labels[i], v)}</circle>"
            )
    parts += _x_labels(labels, xs)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
