"""The roll-up's charts, drawn by core.charts (inline SVG); pages show the same numbers in a
table beside each one."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from caunoi.core.charts import bar_chart, line_chart
from caunoi.metrics.selectors import RollUp


def rollup_charts(result: RollUp) -> dict[str, SafeString]:
    labels = [b.label for b in result.buckets]
    return {
        "reach": line_chart(
            title=_("Lượt tiếp cận và lượt tương tác"),
            labels=labels,
            series={
                _("Lượt tiếp cận"): [b.reach for b in result.buckets],
                _("Lượt tương tác"): [b.engagement for b in result.buckets],
            },
        ),
        "items": bar_chart(
            title=_("Tin bài đã đăng theo loại"),
            labels=labels,
            series={
                kind: [float(n) for n in values] for kind, values in result.kinds_by_bucket.items()
            }
            or {_("Tin bài"): [0.0] * len(labels)},
        ),
    }
