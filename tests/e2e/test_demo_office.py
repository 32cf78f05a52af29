"""The demo office in a real browser: open the portal, log in as each demo role, switch
language, and see the right units. Screenshots go to test-artifacts/e2e/ (git-ignored)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import BrowserContext, Page, Response, expect

from caunoi.core.demo import _PEOPLE, DEMO_COMMUNE, DEMO_PASSWORD, DEMO_PROVINCE, load_demo
from caunoi.core.models import Role, RoleName, Unit, UnitKind, User

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

NewContext = Callable[..., BrowserContext]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def english(text: str) -> str:
    """`text` as the English catalogue has it (itself while no English translation exists)."""
    with translation.override("en"):
        return translation.gettext(text)


def html_lang(page: Page) -> str | None:
    return page.locator("html").get_attribute("lang")


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> Response | None:
    """Submit the staff login form; return the response to the POST."""
    page.goto("/staff/login/")
    form = page.locator("form:has(#id_username)")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill(password)
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/staff/login/")
    ) as posted:
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    response: Response = posted.value
    return response


def role_unit(username: str) -> Unit:
    return Role.objects.select_related("unit").get(user__username=username).unit


def units_outside(unit: Unit) -> list[Unit]:
    """Units a role on `unit` must not reach: another province, a commune elsewhere, the parent."""
    other_province = Unit.objects.add_root(
        {"name": "Tỉnh Khác", "kind": UnitKind.PROVINCE, "slug": "tinh-khac", "code": "99"}
    )
    outside: list[Unit] = [other_province]
    commune = (
        Unit.objects.filter(kind=UnitKind.COMMUNE)
        .exclude(path__startswith=unit.path)
        .exclude(pk=other_province.pk)
        .order_by("path")
        .first()
    )
    if commune is not None:
        outside.append(commune)
    parent = Unit.objects.get_parent(unit)
    if parent is not None:
        outside.append(parent)
    return outside


def test_portal_anonymous_sets_no_cookie_and_switches_language(page: Page, artifacts: Path) -> None:
    load_demo()
    province = Unit.objects.get(code=DEMO_PROVINCE)
    children = {u.name for u in Unit.objects.get_children(province)}
    assert DEMO_COMMUNE in children

    response = page.goto("/")
    assert response is not None
    assert response.ok
    expect(page).to_have_url(re.compile(r"/u/lang-son/$"))
    # Accept-Language says English (the context's locale); the portal still starts in Vietnamese.
    assert html_lang(page) == "vi"
    assert "public" in (response.headers.get("cache-control") or "")
    expect(page.get_by_test_id("portal-unit")).to_have_text(province.name)
    listed = page.get_by_test_id("portal-children").locator("li > a").all_inner_texts()
    assert set(listed) == children
    assert page.context.cookies() == []
    page.screenshot(path=artifacts / "portal-province-vi.png", full_page=True)

    sub_units = english("Đơn vị trực thuộc")
    assert sub_units != "Đơn vị trực thuộc", "no compiled English catalogue"
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/u/lang-son/$"))
    assert html_lang(page) == "en"
    expect(page.get_by_test_id("portal-children-heading")).to_contain_text(sub_units)
    expect(page.get_by_test_id("lang-vi")).to_be_visible()
    assert [c["name"] for c in page.context.cookies()] == ["django_language"]
    page.screenshot(path=artifacts / "portal-province-en.png", full_page=True)

    # The choice follows the visitor down the tree, to the commune and its villages.
    page.get_by_test_id("portal-children").get_by_role("link", name=DEMO_COMMUNE).click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("portal-unit")).to_have_text(DEMO_COMMUNE)
    assert html_lang(page) == "en"
    expect(page.get_by_test_id("portal-children")).to_contain_text("Thôn Bản Chắt")
    page.screenshot(path=artifacts / "portal-commune-en.png", full_page=True)


@pytest.mark.parametrize(("username", "role"), [(p[0], p[2]) for p in _PEOPLE])
def test_each_demo_role_sees_its_units_only(
    new_context: NewContext, artifacts: Path, username: str, role: str
) -> None:
    load_demo()
    unit = role_unit(username)
    outside = units_outside(unit)
    page = new_context().new_page()

    response = log_in(page, username)
    assert response is not None
    assert response.status == 302, f"{username} could not log in"
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_test_id("unit-name")).to_have_text(unit.name)
    options = page.get_by_test_id("unit-switch").locator("option").all_inner_texts()
    assert [o.strip() for o in options] == [unit.name]

    menu = page.locator("nav.menu")
    is_admin = role == RoleName.UNIT_ADMIN
    expected_links = 1 if is_admin else 0
    expect(menu.locator(f'a[href="/staff/units/{unit.pk}/people/"]')).to_have_count(expected_links)
    expect(menu.locator(f'a[href="/staff/units/{unit.pk}/audit/"]')).to_have_count(expected_links)
    page.screenshot(path=artifacts / f"staff-home-{username}.png", full_page=True)

    own = page.goto(f"/staff/units/{unit.pk}/")
    assert own is not None
    assert own.status == 200
    people = page.goto(f"/staff/units/{unit.pk}/people/")
    assert people is not None
    assert people.status == (200 if is_admin else 403)
    for stranger in outside:
        answer = page.goto(f"/staff/units/{stranger.pk}/")
        assert answer is not None
        assert answer.status == 403, f"{username} reached {stranger.name}"


def test_staff_language_choice_is_kept(new_context: NewContext, artifacts: Path) -> None:
    load_demo()
    page = new_context().new_page()
    log_in(page, "bientap.dinhlap")
    expect(page.get_by_test_id("unit-name")).to_have_text(DEMO_COMMUNE)
    assert html_lang(page) == "vi"

    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    assert html_lang(page) == "en"
    expect(page.locator("nav.menu")).to_contain_text(english("Tổng quan"))
    expect(page.get_by_test_id("lang-vi")).to_be_visible()

    page.reload()
    assert html_lang(page) == "en"
    page.screenshot(path=artifacts / "staff-home-en.png", full_page=True)
    assert User.objects.get(username="bientap.dinhlap").language == "en"

    # Kept on the account: another browser, logged in afresh, opens in English too.
    elsewhere = new_context().new_page()
    log_in(elsewhere, "bientap.dinhlap")
    expect(elsewhere.get_by_test_id("unit-name")).to_have_text(DEMO_COMMUNE)
    assert html_lang(elsewhere) == "en"


def test_phone_screens_do_not_scroll_sideways(new_context: NewContext, artifacts: Path) -> None:
    load_demo()
    staff = new_context(**PHONE).new_page()
    log_in(staff, "quantri.dinhlap")
    expect(staff.get_by_test_id("unit-name")).to_have_text(DEMO_COMMUNE)
    assert staff.evaluate(NO_HORIZONTAL_SCROLL), "staff home scrolls sideways on a phone"
    staff.screenshot(path=artifacts / "phone-staff-home.png", full_page=True)
    staff.goto(f"/staff/units/{role_unit('quantri.dinhlap').pk}/")
    assert staff.evaluate(NO_HORIZONTAL_SCROLL), "staff unit page scrolls sideways on a phone"
    staff.screenshot(path=artifacts / "phone-staff-unit.png", full_page=True)

    public = new_context(**PHONE).new_page()
    public.goto("/u/lang-son/")
    expect(public.get_by_test_id("portal-children")).to_contain_text(DEMO_COMMUNE)
    assert public.evaluate(NO_HORIZONTAL_SCROLL), "portal page scrolls sideways on a phone"
    public.screenshot(path=artifacts / "phone-portal-province.png", full_page=True)


def test_repeated_wrong_passwords_lock_the_login(page: Page, artifacts: Path) -> None:
    province = Unit.objects.add_root(
        {"name": "Tỉnh Thử", "kind": UnitKind.PROVINCE, "slug": "tinh-thu", "code": "T1"}
    )
    password = "a-long-test-password-42"
    for username in ("khoa.thu", "dongnghiep.thu"):
        user = User.objects.create_user(username=username, password=password)
        Role.objects.create(user=user, unit=province, name=RoleName.VIEWER)

    for attempt in range(1, 5):
        response = log_in(page, "khoa.thu", f"wrong-{attempt}")
        assert response is not None
        assert response.status == 200
        expect(page.locator(".card [role=alert]")).to_be_visible()
        expect(page.get_by_test_id("locked-out")).to_have_count(0)
    # The fifth failure reaches AXES_FAILURE_LIMIT: it is answered with the lock-out page.
    response = log_in(page, "khoa.thu", "wrong-5")
    assert response is not None
    assert response.status == 429

    # The sixth attempt is refused even with the right password, on a page that says why.
    response = log_in(page, "khoa.thu", password)
    assert response is not None
    assert response.status == 429
    locked = page.get_by_test_id("locked-out")
    expect(locked).to_be_visible()
    expect(locked.locator("h1")).to_have_text("Đăng nhập tạm thời bị khoá")
    expect(locked).to_contain_text(f"{settings.AXES_FAILURE_LIMIT} lần")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    expect(locked).to_contain_text(f"{minutes} phút")
    assert "sessionid" not in {c["name"] for c in page.context.cookies()}
    page.screenshot(path=artifacts / "staff-locked-out.png", full_page=True)

    # The lock is on that username: a colleague at the same computer still logs in.
    response = log_in(page, "dongnghiep.thu", password)
    assert response is not None
    assert response.status == 302
    expect(page.get_by_test_id("unit-name")).to_have_text("Tỉnh Thử")
