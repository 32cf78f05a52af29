from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from caunoi.core.models import RoleName
from caunoi.publishing.models import Article, ArticleState
from tests.conftest import World, logged_in, make_person

S = ArticleState


def test_an_editor_writes_submits_and_an_approver_publishes_on_screen(world: World) -> None:
    editor = logged_in(make_person("editor", world.commune, RoleName.EDITOR))
    approver = logged_in(make_person("approver", world.commune, RoleName.APPROVER))
    response = editor.post(
        f"/staff/units/{world.commune.pk}/articles/new/",
        {
            "kind": "news",
            "title": "Thông báo lịch cắt điện",
            "summary": "Chủ nhật",
            "body": "<p>Từ 7h đến 11h</p><script>x</script>",
        },
    )
    article = Article.objects.get()
    assert response["Location"] == f"/staff/articles/{article.pk}/"
    assert "script" not in article.body
    editor.post(f"/staff/articles/{article.pk}/submit/")
    page = approver.get(f"/staff/articles/{article.pk}/").content.decode()
    assert "Trả lại để sửa" in page
    assert "Duyệt" in page
    approver.post(f"/staff/articles/{article.pk}/request-changes/", {"comment": "Ghi rõ xã"})
    assert "Ghi rõ xã" in editor.get(f"/staff/articles/{article.pk}/").content.decode()
    editor.post(
        f"/staff/articles/{article.pk}/edit/",
        {"title": "Thông báo lịch cắt điện xã Đông", "summary": "", "body": "<p>x</p>"},
    )
    editor.post(f"/staff/articles/{article.pk}/submit/")
    approver.post(f"/staff/articles/{article.pk}/approve/")
    approver.post(f"/staff/articles/{article.pk}/publish/")
    assert Article.objects.get().state == S.PUBLISHED


def test_a_refused_step_is_a_message_not_an_error_page(world: World) -> None:
    editor_user = make_person("editor", world.commune, RoleName.EDITOR)
    editor = logged_in(editor_user)
    editor.post(f"/staff/units/{world.commune.pk}/articles/new/", {"kind": "news", "title": "A"})
    article = Article.objects.get()
    page = editor.post(f"/staff/articles/{article.pk}/approve/", follow=True)
    assert page.status_code == 403
    both = logged_in(make_person("both", world.commune, RoleName.APPROVER))
    editor.post(f"/staff/articles/{article.pk}/submit/")
    approver_page = both.post(
        f"/staff/articles/{article.pk}/request-changes/", {"comment": ""}, follow=True
    )
    assert "cần sửa gì" in approver_page.content.decode()
    assert Article.objects.get().state == S.IN_REVIEW


def test_an_empty_title_is_a_field_error(world: World) -> None:
    editor = logged_in(make_person("editor", world.commune, RoleName.EDITOR))
    response = editor.post(
        f"/staff/units/{world.commune.pk}/articles/new/", {"kind": "news", "title": ""}
    )
    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert not Article.objects.exists()


def test_scheduling_on_screen_and_the_lateness_shown(world: World) -> None:
    editor = make_person("editor", world.commune, RoleName.EDITOR)
    approver = make_person("approver", world.commune, RoleName.APPROVER)
    client = logged_in(approver)
    article = Article.objects.create(
        unit=world.commune, kind="news", title="Hẹn giờ", author=editor, state=S.APPROVED
    )
    at = timezone.localtime() + timedelta(days=1)
    client.post(f"/staff/articles/{article.pk}/schedule/", {"at": at.strftime("%Y-%m-%dT%H:%M")})
    article.refresh_from_db()
    assert article.state == S.SCHEDULED
    assert article.scheduled_for == at.replace(second=0, microsecond=0)
    Article.objects.filter(pk=article.pk).update(
        state=S.PUBLISHED, published_at=timezone.now(), published_late_by=timedelta(minutes=42)
    )
    page = client.get(f"/staff/articles/{article.pk}/").content.decode()
    assert "Đăng muộn 42 phút" in page


def test_revisions_compare_and_restore_on_screen(world: World) -> None:
    editor = logged_in(make_person("editor", world.commune, RoleName.EDITOR))
    editor.post(
        f"/staff/units/{world.commune.pk}/articles/new/",
        {"kind": "news", "title": "Bản một", "body": "<p>Dòng cũ</p>"},
    )
    article = Article.objects.get()
    editor.post(
        f"/staff/articles/{article.pk}/edit/",
        {"title": "Bản hai", "summary": "", "body": "<p>Dòng mới</p>"},
    )
    diff = editor.get(f"/staff/articles/{article.pk}/compare/", {"a": 1, "b": 2})
    marks = {line: mark for mark, line in diff.context["diff"]}
    assert marks["Dòng cũ"] == "-"
    assert marks["Dòng mới"] == "+"
    editor.post(f"/staff/articles/{article.pk}/revisions/1/restore/")
    article.refresh_from_db()
    assert article.title == "Bản một"
    assert article.revisions.count() == 3


def test_articles_outside_the_subtree_are_refused(world: World) -> None:
    outsider = logged_in(make_person("outsider", world.sibling, RoleName.APPROVER))
    author = make_person("author", world.commune, RoleName.EDITOR)
    article = Article.objects.create(unit=world.commune, kind="news", title="X", author=author)
    assert outsider.get(f"/staff/articles/{article.pk}/").status_code == 403
    assert outsider.get(f"/staff/units/{world.commune.pk}/articles/").status_code == 403
    assert outsider.post(f"/staff/articles/{article.pk}/archive/").status_code == 403


def test_the_article_list_filters_by_state_with_fixed_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    author = make_person("author", world.village, RoleName.EDITOR)
    for n in range(25):
        Article.objects.create(
            unit=world.village,
            kind="news",
            title=f"Tin {n}",
            author=author,
            state=S.PUBLISHED if n % 2 else S.DRAFT,
        )
    client = logged_in(make_person("viewer", world.commune, RoleName.VIEWER))
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = client.get(f"/staff/units/{world.commune.pk}/articles/", {"state": "draft"})
    assert len(response.context["page"]) == 13
