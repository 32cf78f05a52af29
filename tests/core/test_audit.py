from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from caunoi.core import audit
from caunoi.core.models import AuditEntry, AuditLogIsAppendOnly, User
from caunoi.core.services import unit_update
from tests.conftest import World, logged_in


def test_a_write_records_who_what_where_and_the_changed_fields(
    world: World, commune_admin: User
) -> None:
    unit_update(unit=world.village, name="Thôn Mới", kind="village", code="V1", by=commune_admin)
    entry = AuditEntry.objects.get()
    assert entry.action == "caunoi.unit.updated"
    assert entry.actor == commune_admin
    assert entry.unit == world.village
    assert entry.changes == {"name": ["Thôn Một", "Thôn Mới"], "code": [None, "V1"]}


def test_entries_cannot_be_edited_or_deleted(world: World) -> None:
    entry = audit.record("caunoi.test.done", actor=None, unit=world.commune)
    entry.action = "caunoi.test.changed"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().action == "caunoi.test.done"


def test_the_screen_filters_by_action_actor_and_dates(world: World, commune_admin: User) -> None:
    audit.record("caunoi.unit.updated", actor=commune_admin, unit=world.village)
    audit.record("caunoi.role.granted", actor=None, unit=world.commune)
    audit.record("caunoi.unit.updated", actor=None, unit=world.sibling)  # outside the subtree
    client = logged_in(commune_admin)
    url = f"/staff/units/{world.commune.pk}/audit/"
    assert len(client.get(url).context["page"]) == 2
    assert len(client.get(url, {"action": "caunoi.unit"}).context["page"]) == 1
    assert len(client.get(url, {"actor": "admin.dong"}).context["page"]) == 1
    today = timezone.localdate()
    assert len(client.get(url, {"since": today.isoformat()}).context["page"]) == 2
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert len(client.get(url, {"since": tomorrow}).context["page"]) == 0


def test_a_reversed_date_range_is_a_clear_error(world: World, commune_admin: User) -> None:
    client = logged_in(commune_admin)
    response = client.get(
        f"/staff/units/{world.commune.pk}/audit/", {"since": "2026-05-02", "until": "2026-05-01"}
    )
    assert response.status_code == 400
    assert "Từ ngày" in response.content.decode()


def test_the_audit_screen_pages_with_a_fixed_number_of_queries(
    world: World, commune_admin: User, django_assert_max_num_queries: object
) -> None:
    for n in range(120):
        audit.record(f"caunoi.test.n{n % 7}", actor=None, unit=world.village)
    client = logged_in(commune_admin)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(f"/staff/units/{world.commune.pk}/audit/", {"page": 2})
    assert len(response.context["page"]) == 50
