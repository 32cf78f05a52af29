"""An article in a real browser: written in the rich-text editor with a photo, approved,
published, corrected, and read on the portal with its correction, under the site's CSP."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from caunoi.core.models import RoleName
from caunoi.publishing.models import Article, ArticleState
from tests.conftest import PASSWORD, World, make_person
from tests.publishing.helpers import photo

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _log_in(page: Page, username: str) -> None:
    page.goto("/staff/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.wait_for_load_state()


def _watch_csp(page: Page) -> list[str]:
    """Every console error about the Content Security Policy the page runs into."""
    seen: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            seen.append(message.text)

    page.on("console", listen)
    return seen


def test_an_article_with_a_photo_is_written_approved_published_and_corrected(
    world: World, new_context: Callable[..., BrowserContext], tmp_path: Path, artifacts: Path
) -> None:
    make_person("bientap", world.commune, RoleName.EDITOR)
    make_person("duyet", world.commune, RoleName.APPROVER)
    cover = tmp_path / "cau.jpg"
    cover.write_bytes(photo(1600, 1200).read())

    editor = new_context().new_page()
    csp_errors = _watch_csp(editor)
    _log_in(editor, "bientap")
    editor.goto(f"/staff/units/{world.commune.pk}/articles/new/")
    editor.locator("#id_kind").select_option("news")
    editor.locator("#id_title").fill("Khánh thành cầu Đông")
    editor.locator("#id_summary").fill("Cây cầu mới nối hai thôn.")
    body = editor.get_by_test_id("editor")
    body.click()
    editor.keyboard.type("Sáng nay, xã Đông khánh thành cầu mới.")
    editor.locator("#id_cover").set_input_files(str(cover))
    editor.locator("#id_cover_alt").fill("Cầu Đông ngày khánh thành")
    editor.get_by_role("button", name="Lưu").click()
    expect(editor.get_by_test_id("article-state")).to_have_text("Bản nháp")
    article = Article.objects.get()
    assert "Sáng nay, xã Đông khánh thành cầu mới." in article.body

    # Put the uploaded photo into the text with the editor, at the end.
    editor.goto(f"/staff/articles/{article.pk}/edit/")
    editor.get_by_test_id("editor").click()
    editor.keyboard.press("End")
    editor.get_by_test_id("insert-image").first.click()
    expect(editor.get_by_test_id("editor").locator("img")).to_have_count(1)
    editor.get_by_role("button", name="Lưu").click()
    article.refresh_from_db()
    assert re.search(r'<img src="/media/articles/\d+/images/\w+\.jpg" alt="Cầu Đông', article.body)
    editor.get_by_role("button", name="Gửi duyệt").click()
    expect(editor.get_by_test_id("article-state")).to_have_text("Chờ duyệt")
    editor.screenshot(path=str(artifacts / "article-submitted.png"), full_page=True)

    approver = new_context().new_page()
    csp_errors += _watch_csp(approver)
    _log_in(approver, "duyet")
    approver.goto(f"/staff/articles/{article.pk}/")
    approver.get_by_role("button", name="Duyệt", exact=True).click()
    approver.get_by_role("button", name="Đăng ngay").click()
    expect(approver.get_by_test_id("article-state")).to_have_text("Đã đăng")
    approver.get_by_test_id("correct").click()
    approver.locator("#id_note").fill("Sửa giờ khánh thành: 8 giờ, không phải 9 giờ.")
    approver.get_by_role("button", name="Đính chính").click()
    expect(approver.get_by_test_id("staff-corrections")).to_contain_text("Sửa giờ khánh thành")
    public_url = approver.get_by_test_id("public-link").get_attribute("href")
    assert public_url is not None

    reader = new_context().new_page()
    csp_errors += _watch_csp(reader)
    reader.goto(public_url)
    expect(reader.get_by_test_id("article-title")).to_have_text("Khánh thành cầu Đông")
    expect(reader.get_by_test_id("corrections")).to_contain_text(
        "Sửa giờ khánh thành: 8 giờ, không phải 9 giờ."
    )
    expect(reader.get_by_test_id("corrections")).to_contain_text(
        article.corrections.get().corrected_at.astimezone().strftime("%d/%m/%Y")
    )
    cover_img = reader.get_by_test_id("cover")
    expect(cover_img).to_have_attribute("alt", "Cầu Đông ngày khánh thành")
    for img in (cover_img, reader.locator(".body img")):
        assert img.evaluate("i => i.complete && i.naturalWidth > 0")
    og = reader.locator('meta[property="og:image"]').get_attribute("content") or ""
    assert og.startswith("http")
    assert "/media/articles/" in og
    reader.screenshot(path=str(artifacts / "article-public.png"), full_page=True)
    assert Article.objects.get().state == ArticleState.PUBLISHED
    assert csp_errors == []
