"""The fast intake path: settings remembered between requests are forgotten as soon as they
change, a report and everything written with it commit together, and one request stays a
handful of statements."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections
from django.db.models.signals import pre_save
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from caunoi.core.inserts import insert_together
from caunoi.core.models import AuditEntry
from caunoi.feedback import services as feedback_services
from caunoi.feedback.models import (
    CalendarDay,
    Category,
    CategoryAttribute,
    DayKind,
    Report,
    ReportEvent,
    UnitArea,
)
from caunoi.open311.models import ApiKey, Submission
from caunoi.open311.services import apikey_revoke
from caunoi.reports.models import Count
from tests.feedback.conftest import set_area, square
from tests.open311.conftest import IN_COMMUNE, Open311


def ok(response: Any) -> str:
    assert response.status_code == 200, response.content
    return str(response.json()[0]["service_request_id"])


def test_a_key_revoked_after_it_was_used_is_refused_at_once(o311: Open311) -> None:
    ok(o311.post())
    key = ApiKey.objects.get(name="App xã Đông")
    apikey_revoke(key=key, by=None)
    assert o311.post().status_code == 403


def test_a_key_revoked_by_a_bulk_update_is_refused_too(o311: Open311) -> None:
    from django.utils import timezone

    ok(o311.post())
    ApiKey.objects.filter(name="App xã Đông").update(revoked_at=timezone.now())
    assert o311.post().status_code == 403


def test_a_category_switched_off_after_use_is_refused(o311: Open311) -> None:
    ok(o311.post())
    Category.objects.filter(code="lighting").update(active=False)
    response = o311.post()
    assert response.status_code == 400
    assert "service_code" in response.content.decode()


def test_a_question_made_required_after_use_is_asked_for(o311: Open311) -> None:
    ok(o311.post())
    CategoryAttribute.objects.create(
        category=o311.lighting, code="pole", datatype="string", required=True, description="Cột?"
    )
    response = o311.post()
    assert response.status_code == 400
    assert "attribute[pole]" in response.content.decode()
    ok(o311.post(**{"attribute[pole]": "C12"}))


def test_an_area_moved_after_use_changes_the_routing(o311: Open311) -> None:
    first = Report.objects.get(public_id=ok(o311.post()))
    assert first.unit == o311.world.commune
    UnitArea.objects.filter(unit=o311.world.commune).delete()
    UnitArea.objects.filter(unit=o311.world.sibling).delete()
    set_area(o311.world.sibling, square(IN_COMMUNE[0] - 0.1, IN_COMMUNE[1] - 0.1, 0.3))
    second = Report.objects.get(
        public_id=ok(o311.post(api_key=o311.province_key, jurisdiction_id="tinhthu.gov.vn"))
    )
    assert second.unit == o311.world.sibling


def test_a_holiday_added_after_use_moves_the_deadline(o311: Open311) -> None:
    from django.utils import timezone

    first = Report.objects.get(public_id=ok(o311.post()))
    assert first.deadline is not None
    start = timezone.localdate(first.created_at)
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(day=date.fromordinal(start.toordinal() + n), kind=DayKind.HOLIDAY)
            for n in range(0, 30)
            if not CalendarDay.objects.filter(day=date.fromordinal(start.toordinal() + n)).exists()
        ]
    )
    second = Report.objects.get(public_id=ok(o311.post()))
    assert second.deadline is not None
    assert second.deadline > first.deadline + (second.created_at - first.created_at)


def test_the_notification_task_is_stored_with_the_report(o311: Open311) -> None:
    report = Report.objects.get(public_id=ok(o311.post()))
    tasks = DBTaskResult.objects.filter(task_path="caunoi.feedback.tasks.report_received")
    assert [t.args_kwargs["args"] for t in tasks] == [[report.pk]]


def _nothing_of_the_report_is_left() -> None:
    assert not Report.objects.exists()
    assert not ReportEvent.objects.exists()
    assert not Submission.objects.exists()
    assert not AuditEntry.objects.filter(action="caunoi.report.received").exists()
    assert not Count.objects.filter(key__contains="received").exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="report_received").exists()


def test_when_a_write_fails_nothing_of_the_report_is_left(o311: Open311) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    pre_save.connect(broken, sender=Submission, dispatch_uid="broken-submission")
    try:
        with pytest.raises(RuntimeError):
            o311.post()
    finally:
        pre_save.disconnect(dispatch_uid="broken-submission", sender=Submission)
    _nothing_of_the_report_is_left()


def test_when_the_database_refuses_the_rows_after_the_report_nothing_is_left(
    o311: Open311, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(objs: Any, *, more: Any = ()) -> None:
        # The last part of the one statement breaks a NOT NULL constraint in the database.
        bad = (
            "INSERT INTO reports_count (unit_id, key, day, value) VALUES (NULL, 'x', NULL, 1)",
            [],
        )
        insert_together(objs, more=[*more, bad])

    monkeypatch.setattr(feedback_services, "insert_together", refused)
    with pytest.raises(IntegrityError):
        o311.post()
    _nothing_of_the_report_is_left()


def test_a_taken_public_id_is_drawn_again(o311: Open311, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = ok(o311.post())
    drawn = iter([taken, "ZZZZ-2345"])
    monkeypatch.setattr(feedback_services, "new_public_id", lambda: next(drawn))
    assert ok(o311.post()) == "ZZZZ-2345"
    assert Report.objects.count() == Submission.objects.count() == 2
    assert DBTaskResult.objects.filter(task_path__endswith="report_received").count() == 2
    assert (
        sum(
            Count.objects.filter(unit=o311.world.commune, key="feedback.received").values_list(
                "value", flat=True
            )
        )
        == 2
    )


def test_a_report_after_the_first_takes_a_handful_of_statements(o311: Open311) -> None:
    ok(o311.post())
    with CaptureQueriesContext(connection) as done:
        ok(o311.post())
    statements = [q["sql"] for q in done.captured_queries]
    assert not [s for s in statements if s.startswith("SELECT") and "caunoi_settings" not in s]
    if connection.vendor != "postgresql":
        assert len(statements) <= 10, statements
        return
    # The stamp, the report; then its history line, audit entry, the key's record, the
    # notification task and the roll-up counters in one statement (and the test's savepoint
    # around them).
    writes = [s for s in statements if "SAVEPOINT" not in s]
    assert len(writes) == 3, statements
    assert writes[1].startswith('INSERT INTO "feedback_report"')
    for table in (
        "feedback_reportevent",
        "core_auditentry",
        "open311_submission",
        "django_tasks_database_dbtaskresult",
        "reports_count",
    ):
        assert f"INSERT INTO {table}" in writes[2].replace('"', ""), table


def test_with_a_task_backend_outside_the_database_the_notice_waits_for_the_commit(
    o311: Open311, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    import django_tasks_db.backend

    class Elsewhere:  # any backend that is not the database one
        pass

    monkeypatch.setattr(django_tasks_db.backend, "DatabaseBackend", Elsewhere)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        report = Report.objects.get(public_id=ok(o311.post()))
    assert not DBTaskResult.objects.filter(task_path__endswith="report_received").exists()
    assert len(waiting) == 1
    waiting[0]()
    (task,) = DBTaskResult.objects.filter(task_path__endswith="report_received")
    assert task.args_kwargs["args"] == [report.pk]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_report_and_its_rows_are_one_statement(o311: Open311) -> None:
    ok(o311.post())
    with CaptureQueriesContext(connection) as done:
        public_id = ok(o311.post())
    writes = [q["sql"] for q in done.captured_queries if "caunoi_settings" not in q["sql"]]
    if connection.vendor == "postgresql":
        # The report's id was drawn ahead of time, so nothing waits for it: one statement,
        # which PostgreSQL commits by itself (no BEGIN, no COMMIT).
        assert len(writes) == 1, writes
        assert writes[0].startswith('WITH w0 AS (INSERT INTO "feedback_report"')
        assert 'INSERT INTO "open311_submission"' in writes[0]
    report = Report.objects.get(public_id=public_id)
    assert Submission.objects.filter(report=report).exists()
    assert ReportEvent.objects.filter(report=report).exists()
    assert AuditEntry.objects.filter(action="caunoi.report.received", object_id=str(report.pk))
    assert DBTaskResult.objects.filter(args_kwargs__args=[report.pk]).exists()
    assert (
        sum(
            Count.objects.filter(unit=o311.world.commune, key="feedback.received").values_list(
                "value", flat=True
            )
        )
        == 2
    )


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_refused_row_leaves_nothing_of_the_report(
    o311: Open311, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(objs: Any, *, more: Any = ()) -> None:
        bad = (
            "INSERT INTO reports_count (unit_id, key, day, value) VALUES (NULL, 'x', NULL, 1)",
            [],
        )
        insert_together(objs, more=[*more, bad])

    monkeypatch.setattr(feedback_services, "insert_together", refused)
    with pytest.raises(IntegrityError):
        o311.post()
    _nothing_of_the_report_is_left()


def _kept_connection_at_a_new_request() -> None:
    # What Django does when a request starts on a kept connection (the test client skips it).
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is not None
    assert not connection.health_check_done


@pytest.mark.django_db(transaction=True)
def test_on_a_kept_connection_the_settings_read_is_the_health_check(
    o311: Open311, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite connections are not health-checked
    ok(o311.post())
    _kept_connection_at_a_new_request()
    checks: list[bool] = []
    real = connections["default"].is_usable
    monkeypatch.setattr(connections["default"], "is_usable", lambda: checks.append(True) or real())
    ok(o311.post())
    assert checks == []  # no SELECT 1 round trip: the stamp read was the check
    assert connection.health_check_done


@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_that_went_stale_is_replaced_and_the_report_taken(
    o311: Open311,
) -> None:
    if connection.vendor != "postgresql":
        return
    import psycopg

    ok(o311.post())
    _kept_connection_at_a_new_request()
    stale = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(
        dbname=params["dbname"],
        user=params.get("user"),
        host=params.get("host"),
        port=params.get("port"),
        password=params.get("password"),
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [stale])
    public_id = ok(o311.post())
    assert connection.connection.info.backend_pid != stale
    assert Report.objects.filter(public_id=public_id).exists()
