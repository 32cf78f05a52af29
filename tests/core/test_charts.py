from __future__ import annotations

import xml.etree.ElementTree as ET

from caunoi.core.charts import bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_a_bar_chart_draws_one_bar_per_value_and_describes_itself() -> None:
    svg = bar_chart(
        title="Tin đã đăng", labels=["T1", "T2", "T3"], series={"A": [1, 2, 3], "B": [0, 5, 1]}
    )
    root = ET.fromstring(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 6
    assert root.get("role") == "img"
    assert "B: T1 0, T2 5, T3 1" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    assert "style=" not in svg  # the CSP allows no inline style


def test_the_tallest_bar_fits_the_plot() -> None:
    root = ET.fromstring(bar_chart(title="x", labels=["a"], series={"s": [7]}))
    (bar,) = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert 0 < float(bar.get("height", "0")) <= 260


def test_text_is_escaped() -> None:
    svg = line_chart(title="<b>", labels=["<x>"], series={"a&b": [1]})
    ET.fromstring(svg)
    assert "<b>" not in svg
