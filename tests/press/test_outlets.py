"""Outlets: a commune uses its province's list without being able to change it, journalists
are kept as work contacts, and only press staff see them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from caunoi.core.models import RoleName
from caunoi.press import services
from caunoi.press.models import Briefing, Journalist, Outlet
from tests.conftest import World, logged_in, make_person


def test_a_commune_sees_its_provinces_outlets_but_cannot_change_them(world: World) -> None:
    provincial = make_person("tinh", world.province, RoleName.EDITOR)
    paper = services.outlet_create(
        unit=world.province, by=provincial, name="Báo tỉnh", kind="newspaper", email="a@b.example"
    )
    services.journalist_add(
        outlet=paper, by=provincial, name="Hà Thị Tin", work_email="tin@b.example"
    )
    commune = logged_in(make_person("xa", world.commune, RoleName.EDITOR))
    listing = commune.get(f"/staff/units/{world.commune.pk}/press/outlets/").content.decode()
    assert "Báo tỉnh" in listing
    page = commune.get(f"/staff/press/outlets/{paper.pk}/").content.decode()
    assert "tin@b.example" in page
    assert "chỉ cấp trên sửa được" in page
    refused = commune.post(
        f"/staff/press/outlets/{paper.pk}/", {"name": "Đổi tên", "kind": "tv", "active": "on"}
    )
    assert refused.status_code == 403
    assert Outlet.objects.get().name == "Báo tỉnh"


def test_a_sibling_commune_and_a_viewer_do_not_see_the_contacts(world: World) -> None:
    officer = make_person("xa", world.commune, RoleName.EDITOR)
    paper = services.outlet_create(unit=world.commune, by=officer, name="Báo xã", kind="online")
    services.journalist_add(outlet=paper, by=officer, name="Lò Văn A", work_phone="0912")
    sibling = logged_in(make_person("tay", world.sibling, RoleName.EDITOR))
    assert sibling.get(f"/staff/press/outlets/{paper.pk}/").status_code == 403
    viewer = logged_in(make_person("xem", world.commune, RoleName.VIEWER))
    assert viewer.get(f"/staff/press/outlets/{paper.pk}/").status_code == 403
    assert viewer.get(f"/staff/units/{world.commune.pk}/press/outlets/").status_code == 403


def test_adding_an_outlet_twice_is_a_form_message(world: World) -> None:
    officer = logged_in(make_person("xa", world.commune, RoleName.EDITOR))
    url = f"/staff/units/{world.commune.pk}/press/outlets/"
    officer.post(url, {"name": "Báo xã", "kind": "online", "email": "x@y.example"})
    again = officer.post(url, {"name": "báo xã", "kind": "online"})
    assert again.status_code == 400
    assert "đã có cơ quan báo chí" in again.content.decode()
    journalist = officer.post(
        f"/staff/press/outlets/{Outlet.objects.get().pk}/journalists/",
        {"name": "Lò Văn A", "work_email": "không phải e-mail"},
        follow=True,
    )
    assert "E-mail công việc" in journalist.content.decode()
    assert not Journalist.objects.exists()


def test_moving_and_cancelling_from_the_briefing_page(world: World) -> None:
    user = make_person("xa", world.commune, RoleName.EDITOR)
    officer = logged_in(user)
    start = timezone.localtime(timezone.now() + timedelta(days=10)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    briefing = services.briefing_create(
        unit=world.commune,
        by=user,
        title="Giao ban",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    url = f"/staff/press/briefings/{briefing.pk}/"
    bad = officer.post(
        url + "move/",
        {"day": start.date().isoformat(), "start": "10:00", "end": "09:00"},
        follow=True,
    ).content.decode()
    assert "Giờ kết thúc phải sau giờ bắt đầu" in bad
    officer.post(
        url + "move/",
        {"day": start.date().isoformat(), "start": "08:00", "end": "09:30", "note": "Ngày lễ"},
    )
    moved = Briefing.objects.get()
    assert timezone.localtime(moved.starts_at).hour == 8
    assert moved.sequence == 1
    officer.post(url + "cancel/", {"note": "Bão"})
    page = officer.get(url).content.decode()
    assert "Đã huỷ" in page
    assert "Bão" in page
