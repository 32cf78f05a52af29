from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from caunoi.core.models import RoleName
from caunoi.reports.models import Export, ExportState
from tests.conftest import World, logged_in, make_person
from tests.reports.conftest import SampleSection
from tests.worker import run_worker

pytestmark = pytest.mark.django_db
Q1 = "kind=quarter&year=2026&number=1"


@pytest.fixture
def figures(world: World, sample: SampleSection) -> SampleSection:
    for day in (3, 14, 27):
        sample.add(world.village, date(2026, 1, day), n=1000)  # 3,000 in the commune
        sample.add(world.sibling, date(2026, 2, day), n=40)  # 120 in the sibling
        sample.add(world.sibling, date(2026, 3, day), "sample.answered", n=30)
    sample.add(world.commune, date(2025, 12, 1), n=11)  # the quarter before
    sample.add(world.commune, date(2025, 2, 1), n=22)  # the same quarter last year
    world.commune.population = 12_000
    world.commune.save()
    world.sibling.population = 800
    world.sibling.save()
    return sample


@pytest.fixture
def viewer(world: World) -> Client:
    return logged_in(make_person("xem.tinh", world.province, RoleName.VIEWER))


def _values(html: str) -> dict[str, str]:
    """The headline figures (the first of each key; the child table repeats the keys)."""
    found: dict[str, str] = {}
    for key, value in re.findall(r'data-key="([^"]+)" data-value="([^"]*)"', html):
        found.setdefault(key, value)
    return found


def test_the_dashboard_shows_headline_figures_with_both_comparisons_and_a_chart(
    figures: SampleSection, viewer: Client, world: World
) -> None:
    response = viewer.get(f"/staff/dashboard/{world.province.pk}/?{Q1}")
    html = response.content.decode()
    assert response.status_code == 200
    assert _values(html)["sample.received"] == "3120"
    assert "<svg" in html
    assert "Phản ánh theo tháng" in html
    # Previous quarter 11, same quarter last year 22, each with the change.
    assert "+3.109" in html
    assert "+3.098" in html
    assert 'href="/items/' in html  # drill-down to the underlying items


def test_the_child_table_compares_per_1000_inhabitants_and_sorts(
    figures: SampleSection, viewer: Client, world: World
) -> None:
    html = viewer.get(
        f"/staff/dashboard/{world.province.pk}/?{Q1}&sort=sample.received:1000&dir=desc"
    ).content.decode()
    table = html[html.index('data-testid="children"') :]
    # 120 in 800 people is 150 per 1,000; 3,000 in 12,000 is 250 per 1,000.
    assert table.index("Xã Đông") < table.index("Xã Tây")
    assert "250" in table
    assert "150" in table
    by_count = viewer.get(
        f"/staff/dashboard/{world.province.pk}/?{Q1}&sort=sample.answered&dir=desc"
    ).content.decode()
    table = by_count[by_count.index('data-testid="children"') :]
    assert table.index("Xã Tây") < table.index("Xã Đông")
    assert (
        f"/staff/dashboard/{world.commune.pk}/?{Q1}".replace("&", "&amp;") in table
    )  # drill-down to a child unit


def test_a_period_ending_before_it_starts_is_a_clear_message(viewer: Client, world: World) -> None:
    response = viewer.get(
        f"/staff/dashboard/{world.province.pk}/?kind=range&start=2026-03-05&end=2026-03-01"
    )
    assert response.status_code == 400
    assert "trước khi bắt đầu" in response.content.decode()
    api = viewer.get(f"/api/reports/units/{world.province.pk}?kind=range&start=2026-03-05&end=x")
    assert api.status_code == 400
    assert api.json()["detail"][0]["loc"] == ["query", "end"]


def test_a_unit_outside_your_roles_is_refused_on_screen_in_the_api_and_for_exports(
    viewer: Client, world: World
) -> None:
    other = world.other_province.pk
    assert viewer.get(f"/staff/dashboard/{other}/?{Q1}").status_code == 403
    assert viewer.get(f"/api/reports/units/{other}?kind=year&year=2026").status_code == 403
    response = viewer.post(f"/staff/dashboard/{other}/export/", {"format": "docx", "kind": "year"})
    assert response.status_code == 403
    assert not Export.objects.exists()


def _export(client: Client, unit_id: int, fmt: str) -> bytes:
    response = client.post(
        f"/staff/dashboard/{unit_id}/export/",
        {"format": fmt, "kind": "quarter", "year": "2026", "number": "1"},
    )
    assert response.status_code == 302
    export = Export.objects.latest("id")
    page = client.get(response["Location"]).content.decode()
    assert "progress" in page
    run_worker()
    export.refresh_from_db()
    assert export.state == ExportState.DONE, export.error
    assert export.progress == 100
    download = client.get(f"/staff/exports/{export.pk}/file/")
    assert download.status_code == 200
    return b"".join(download.streaming_content)  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_screen_api_word_and_excel_carry_the_same_numbers(
    figures: SampleSection, viewer: Client, world: World
) -> None:
    screen = _values(viewer.get(f"/staff/dashboard/{world.province.pk}/?{Q1}").content.decode())
    api = viewer.get(f"/api/reports/units/{world.province.pk}?{Q1}").json()
    api_figures = {
        f"{s['key']}.{f['key']}": f["value"] for s in api["sections"] for f in s["figures"]
    }
    assert {k: str(v) for k, v in api_figures.items() if v is not None} == {
        k: v for k, v in screen.items() if k in api_figures and v
    }

    book = load_workbook(io.BytesIO(_export(viewer, world.province.pk, "xlsx")))
    sheet = book["Phản ánh mẫu"]
    assert sheet.freeze_panes == "A2"
    excel = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, max_row=4, values_only=True)}
    assert excel == {
        "Đã tiếp nhận": api_figures["sample.received"],
        "Đã trả lời": api_figures["sample.answered"],
        "Tỉ lệ trả lời": api_figures["sample.answered_share"],
    }
    assert isinstance(excel["Đã tiếp nhận"], int)
    children = book["Đơn vị trực thuộc"]
    header = [c.value for c in children[1]]
    assert header[:2] == ["Đơn vị", "Dân số"]
    column = header.index("Đã tiếp nhận")
    assert header[column + 1] == "Đã tiếp nhận / 1.000 dân"
    rows = {row[0]: row for row in children.iter_rows(min_row=2, values_only=True)}
    assert rows["Xã Đông"][column : column + 2] == (3000, 250.0)

    word = Document(io.BytesIO(_export(viewer, world.province.pk, "docx")))
    cells = [[c.text for c in row.cells] for t in word.tables for row in t.rows]
    assert ["Đã tiếp nhận", "3.120", "11", "22"] in cells
    assert ["Đã trả lời", "90", "0", "0"] in cells


@pytest.mark.django_db(transaction=True)
def test_an_expired_export_can_no_longer_be_downloaded(
    figures: SampleSection, viewer: Client, world: World
) -> None:
    _export(viewer, world.province.pk, "xlsx")
    export = Export.objects.latest("id")
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    response = viewer.get(f"/staff/exports/{export.pk}/file/", follow=True)
    assert "hết hạn" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_default_word_template_has_the_official_layout(
    figures: SampleSection, viewer: Client, world: World
) -> None:
    raw = _export(viewer, world.commune.pk, "docx")
    word = Document(io.BytesIO(raw))
    section = word.sections[0]
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30
    assert round(section.right_margin.mm) == 15
    assert round(section.top_margin.mm) == 20
    assert round(section.bottom_margin.mm) == 20
    assert section.different_first_page_header_footer  # page numbers from page 2
    assert "PAGE" in section.header._element.xml
    assert word.styles["Normal"].font.name == "Times New Roman"
    header = [c.text for row in word.tables[0].rows for c in row.cells]
    assert header[0].splitlines()[:2] == ["ỦY BAN NHÂN DÂN TỈNH THỬ", "ỦY BAN NHÂN DÂN XÃ ĐÔNG"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
    assert "Độc lập - Tự do - Hạnh phúc" in header[1]
    assert header[2].startswith("Số:")
    assert header[2].endswith("/BC-UBND")
    assert re.fullmatch(r"Thử, ngày \d\d tháng \d+ năm \d{4}", header[3])
    place = word.tables[0].rows[1].cells[1].paragraphs[0].runs[0]
    assert place.italic
    text = "\n".join(p.text for p in word.paragraphs)
    assert "BÁO CÁO" in text
    assert "quý I năm 2026" in text
    assert "Nơi nhận:" in word.tables[-1].rows[0].cells[0].text
    assert zipfile.is_zipfile(io.BytesIO(raw))
