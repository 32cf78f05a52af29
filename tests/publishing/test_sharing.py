from __future__ import annotations

import feedparser
import pytest
from django.test import Client

from caunoi.core.models import AuditEntry, RoleName
from caunoi.publishing import services, sharing
from caunoi.publishing.models import Article, Revision
from caunoi.publishing.services import ArticleError
from tests.conftest import World, make_person
from tests.publishing.helpers import published


def test_a_province_topic_is_offered_to_its_communes_but_not_to_another_province(
    world: World,
) -> None:
    admin = make_person("tinh", world.province, RoleName.APPROVER)
    topic = sharing.topic_create(unit=world.province, name="Chuyển đổi số", by=admin)
    assert topic.slug == "chuyen-doi-so"
    assert topic in sharing.topics_for(world.village)
    assert sharing.topics_for(world.other_province) == []
    editor = make_person("ed", world.other_province, RoleName.EDITOR)
    with pytest.raises(ArticleError, match="Chỉ chọn chủ đề"):
        services.article_create(
            unit=world.other_province, kind="news", title="X", topics=[topic], by=editor
        )
    assert not Article.objects.exists()


def test_a_topic_name_used_above_is_refused_below(world: World) -> None:
    admin = make_person("tinh", world.province, RoleName.APPROVER)
    sharing.topic_create(unit=world.province, name="Chuyển đổi số", by=admin)
    with pytest.raises(ArticleError, match="Đã có chủ đề"):
        sharing.topic_create(unit=world.commune, name="chuyen doi so", by=admin)


def test_a_topic_page_and_its_feeds_list_the_subtrees_articles_of_that_topic(
    world: World,
) -> None:
    admin = make_person("tinh", world.province, RoleName.APPROVER)
    topic = sharing.topic_create(unit=world.province, name="Chuyển đổi số", by=admin)
    published(world.village, "Thôn Một dùng VNeID", topics=[topic])
    published(world.village, "Họp thôn")
    page = Client().get("/u/tinh-thu/xa-dong/chu-de/chuyen-doi-so/").content.decode()
    assert "Thôn Một dùng VNeID" in page
    assert "Họp thôn" not in page
    for fmt in ("rss", "atom"):
        response = Client().get(f"/u/tinh-thu/xa-dong/chu-de/chuyen-doi-so.{fmt}")
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.bozo_exception
        assert [e.title for e in parsed.entries] == ["Thôn Một dùng VNeID"]
    assert Client().get("/u/tinh-khac/chu-de/chuyen-doi-so/").status_code == 404
    assert "Chuyển đổi số" in Client().get("/u/tinh-thu/xa-dong/").content.decode()


def test_a_correction_shows_on_the_public_page_with_its_date_and_keeps_a_revision(
    world: World,
) -> None:
    approver = make_person("duyet", world.commune, RoleName.APPROVER)
    article = published(world.commune, "Lịch tiêm chủng", by=approver)
    before = article.revisions.count()
    correction = sharing.article_correct(
        article=article,
        title="Lịch tiêm chủng",
        summary="",
        body="<p>Thứ Sáu, không phải thứ Năm</p>",
        note="Sửa ngày tiêm: thứ Sáu.",
        by=approver,
    )
    article.refresh_from_db()
    assert article.state == "published"
    assert article.revisions.count() == before + 1
    assert correction.revision == Revision.objects.filter(article=article).last()
    assert AuditEntry.objects.filter(action="caunoi.article.corrected").count() == 1
    url = f"/u/tinh-thu/xa-dong/bai/{article.pk}-lich-tiem-chung/"
    page = Client().get(url).content.decode()
    assert "Sửa ngày tiêm: thứ Sáu." in page
    assert correction.corrected_at.astimezone().strftime("%d/%m/%Y") in page
    assert "Thứ Sáu, không phải thứ Năm" in page


def test_a_correction_needs_a_note_and_a_published_article(world: World) -> None:
    approver = make_person("duyet", world.commune, RoleName.APPROVER)
    article = published(world.commune, "Lịch tiêm chủng", by=approver)
    with pytest.raises(ArticleError, match="Hãy ghi nội dung đính chính"):
        sharing.article_correct(
            article=article, title="Lịch mới", summary="", body="", note=" ", by=approver
        )
    article.refresh_from_db()
    assert article.title == "Lịch tiêm chủng"
    services.article_unpublish(article=article, by=approver)
    with pytest.raises(ArticleError, match="Chỉ đính chính"):
        sharing.article_correct(
            article=article, title="X", summary="", body="", note="Sửa", by=approver
        )


def test_a_commune_reshares_a_province_article_credited_with_a_canonical_link_to_the_source(
    world: World,
) -> None:
    source = published(world.province, "Cảnh báo lừa đảo qua điện thoại", kind="scam_warning")
    commune_approver = make_person("xa", world.commune, RoleName.APPROVER)
    sharing.article_reshare(article=source, unit=world.commune, by=commune_approver)
    news = Client().get("/u/tinh-thu/xa-dong/tin-tuc/").content.decode()
    copy_url = f"/u/tinh-thu/xa-dong/bai/{source.pk}-canh-bao-lua-dao-qua-dien-thoai/"
    assert copy_url in news
    assert "chia sẻ lại từ Tỉnh Thử" in news
    assert "Cảnh báo lừa đảo" in Client().get("/u/tinh-thu/xa-dong/canh-bao/").content.decode()
    assert "Cảnh báo lừa đảo" not in Client().get("/u/tinh-thu/xa-tay/tin-tuc/").content.decode()
    page = Client().get(copy_url)
    assert page.status_code == 200
    text = page.content.decode()
    canonical = f"http://testserver/u/tinh-thu/bai/{source.pk}-canh-bao-lua-dao-qua-dien-thoai/"
    assert f'<link rel="canonical" href="{canonical}">' in text
    assert 'data-testid="reshare-credit"' in text
    # The sibling commune did not re-share it: its address for it leads to the source.
    other = Client().get(f"/u/tinh-thu/xa-tay/bai/{source.pk}-canh-bao-lua-dao-qua-dien-thoai/")
    assert other.status_code == 301


def test_a_correction_of_the_source_shows_in_every_reshare(world: World) -> None:
    province_approver = make_person("tinh", world.province, RoleName.APPROVER)
    source = published(world.province, "Giá nước sạch", by=province_approver)
    sharing.article_reshare(article=source, unit=world.commune, by=province_approver)
    sharing.article_reshare(article=source, unit=world.village, by=province_approver)
    copy = f"/u/tinh-thu/xa-dong/bai/{source.pk}-gia-nuoc-sach/"
    assert "Giá mới" not in Client().get(copy).content.decode()
    sharing.article_correct(
        article=source,
        title="Giá nước sạch",
        summary="",
        body="<p>Giá mới 9.000 đồng/m³</p>",
        note="Cập nhật giá.",
        by=province_approver,
    )
    for path in (copy, f"/u/tinh-thu/xa-dong/thon-mot/bai/{source.pk}-gia-nuoc-sach/"):
        page = Client().get(path).content.decode()
        assert "Giá mới 9.000 đồng/m³" in page
        assert "Cập nhật giá." in page


def test_only_an_ancestors_published_article_can_be_reshared(world: World) -> None:
    admin = make_person("tinh", world.province, RoleName.APPROVER)
    commune_article = published(world.commune, "Tin xã", by=admin)
    with pytest.raises(ArticleError, match="cấp trên"):
        sharing.article_reshare(article=commune_article, unit=world.sibling, by=admin)
    with pytest.raises(ArticleError, match="cấp trên"):
        sharing.article_reshare(article=commune_article, unit=world.commune, by=admin)
    sharing.article_reshare(article=commune_article, unit=world.village, by=admin)
    with pytest.raises(ArticleError, match="đã chia sẻ lại"):
        sharing.article_reshare(article=commune_article, unit=world.village, by=admin)
    outsider = make_person("thon", world.sibling, RoleName.APPROVER)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        sharing.article_reshare(article=commune_article, unit=world.village, by=outsider)
    assert AuditEntry.objects.filter(action="caunoi.article.reshared").count() == 1
