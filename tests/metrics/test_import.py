from __future__ import annotations

from datetime import date

import pytest

from caunoi.channels.models import Channel
from caunoi.core.errors import CaunoiError, ImportRejected
from caunoi.core.models import AuditEntry, RoleName, User
from caunoi.metrics.models import ChannelFigure, ImportBatch, Post, PostFigure
from caunoi.metrics.parsing import DERIVED_ENGAGEMENT
from caunoi.metrics.selectors import rollup
from caunoi.metrics.services import import_confirm, import_preview
from tests.conftest import World, make_person
from tests.metrics.files import FB_PAGE, FB_POSTS, ZALO, csv_bytes, xlsx_bytes


def _import(channel: Channel, by: User, name: str, data: bytes) -> ImportBatch:
    batch, _parsed = import_preview(channel=channel, by=by, file_name=name, data=data)
    return import_confirm(batch=batch, by=by)


def _value(channel: Channel, day: date, metric: str) -> int:
    return ChannelFigure.objects.get(channel=channel, day=day, metric=metric).value


def test_a_facebook_page_export_is_read_past_its_description_row(
    page: Channel, officer: User
) -> None:
    _import(page, officer, "page.csv", csv_bytes(FB_PAGE))
    assert _value(page, date(2026, 1, 3), "reach") == 1400
    assert _value(page, date(2026, 1, 3), "views") == 3100
    assert _value(page, date(2026, 1, 2), "followers") == 3204
    figure = ChannelFigure.objects.get(channel=page, day=date(2026, 1, 1), metric="reach")
    assert figure.raw_name == "Daily Total Reach"


def test_reimporting_the_same_file_does_not_double_count(
    world: World, page: Channel, officer: User
) -> None:
    _import(page, officer, "page.csv", csv_bytes(FB_PAGE))
    again, _parsed = import_preview(
        channel=page, by=officer, file_name="page.csv", data=csv_bytes(FB_PAGE)
    )
    assert again.replaced == again.figures
    import_confirm(batch=again, by=officer)
    result = rollup(unit=world.province, start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert result.total("reach") == 310 + 290 + 1400
    assert result.followers == 3210


def test_an_overlapping_file_replaces_the_days_it_shares(page: Channel, officer: User) -> None:
    _import(page, officer, "page.csv", csv_bytes(FB_PAGE))
    later = [
        FB_PAGE[0],
        ["2026-01-03", "3210", "0", "1500", "3200", "90"],
        ["2026-01-04", "3215", "5", "100", "300", "9"],
    ]
    _import(page, officer, "later.csv", csv_bytes(later))
    assert _value(page, date(2026, 1, 3), "reach") == 1500
    assert ChannelFigure.objects.filter(channel=page, metric="reach").count() == 4


def test_a_missing_column_is_named_and_nothing_is_imported(page: Channel, officer: User) -> None:
    rows = [["Lifetime Total Likes", "Daily Total Reach"], ["3200", "310"]]
    with pytest.raises(ImportRejected) as rejected:
        import_preview(channel=page, by=officer, file_name="p.csv", data=csv_bytes(rows))
    assert rejected.value.errors[0].line == 1
    assert "“Date”" in rejected.value.errors[0].message
    assert not ChannelFigure.objects.exists()


def test_a_date_in_the_wrong_format_names_its_line_and_the_format_to_use(
    page: Channel, officer: User
) -> None:
    rows = [FB_PAGE[0], FB_PAGE[2], ["3 Jan 2026", "3210", "6", "1400", "3100", "80"]]
    with pytest.raises(ImportRejected) as rejected:
        import_preview(channel=page, by=officer, file_name="p.csv", data=csv_bytes(rows))
    (error,) = rejected.value.errors
    assert error.line == 3
    assert "3 Jan 2026" in error.message
    assert "YYYY-MM-DD" in error.message
    assert not ChannelFigure.objects.exists()
    assert not ImportBatch.objects.exists()


def test_every_wrong_line_is_reported_at_once(page: Channel, officer: User) -> None:
    rows = [FB_PAGE[0], ["2026-01-01", "x", "", "-5", "", ""], ["2099-01-01", "1", "", "", "", ""]]
    with pytest.raises(ImportRejected) as rejected:
        import_preview(channel=page, by=officer, file_name="p.csv", data=csv_bytes(rows))
    lines = [e.line for e in rejected.value.errors]
    assert lines == [2, 2, 3]
    assert "chưa tới" in rejected.value.errors[2].message


def test_a_facebook_post_export_keeps_posts_and_adds_up_their_engagement(
    page: Channel, officer: User
) -> None:
    _import(page, officer, "posts.xlsx", xlsx_bytes(FB_POSTS))
    post = Post.objects.get(channel=page, external_id="111_333")
    assert post.title == "Cảnh báo lừa đảo"
    assert post.url == "https://www.facebook.com/111/posts/333"
    figures = {f.metric: f for f in PostFigure.objects.filter(post=post)}
    assert {f.day for f in figures.values()} == {date(2026, 1, 6)}
    assert figures["reach"].value == 5400
    assert figures["engagement"].value == 20 + 140 + 60 + 300
    assert figures["engagement"].raw_name == DERIVED_ENGAGEMENT
    assert figures["comments"].raw_name.endswith("action type - comment")


def test_a_zalo_statistics_export_reads_vietnamese_dates_day_first(
    oa: Channel, world: World
) -> None:
    admin = make_person("bientap.tay", world.sibling, RoleName.EDITOR)
    _import(oa, admin, "zalo.xlsx", xlsx_bytes(ZALO))
    assert _value(oa, date(2026, 2, 2), "followers") == 1511
    assert _value(oa, date(2026, 2, 1), "views") == 340


def test_someone_without_the_import_right_cannot_import(page: Channel, world: World) -> None:
    viewer = make_person("xem.dong", world.commune, RoleName.VIEWER)
    with pytest.raises(Exception, match=r"metrics\.import"):
        import_preview(channel=page, by=viewer, file_name="p.csv", data=csv_bytes(FB_PAGE))


def test_a_file_is_imported_only_once_and_the_import_is_audited(
    page: Channel, officer: User
) -> None:
    batch, _parsed = import_preview(
        channel=page, by=officer, file_name="page.csv", data=csv_bytes(FB_PAGE)
    )
    import_confirm(batch=batch, by=officer)
    with pytest.raises(CaunoiError):
        import_confirm(batch=ImportBatch.objects.get(pk=batch.pk), by=officer)
    entry = AuditEntry.objects.get(action="caunoi.metrics.imported")
    assert entry.changes["figures"][1] == 12


def test_a_template_row_for_an_unknown_article_is_rejected(page: Channel, officer: User) -> None:
    rows = [["Ngày", "Mã bài", "Mã tin caunoi", "Lượt tiếp cận"], ["2026-01-01", "p1", "999", "5"]]
    with pytest.raises(ImportRejected) as rejected:
        import_preview(channel=page, by=officer, file_name="t.csv", data=csv_bytes(rows))
    assert rejected.value.errors[0].line == 2


def test_the_english_template_is_not_mistaken_for_a_facebook_post_export(
    page: Channel, officer: User
) -> None:
    rows = [
        ["date", "post_id", "reach", "comments"],
        ["2026-01-01", "", "300", ""],
        ["2026-01-01", "p1", "120", "4"],
    ]
    batch = _import(page, officer, "template.csv", csv_bytes(rows))
    assert batch.file_format == "template"
    assert _value(page, date(2026, 1, 1), "reach") == 300
    assert PostFigure.objects.get(post__external_id="p1", metric="comments").value == 4
