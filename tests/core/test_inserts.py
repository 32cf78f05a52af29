"""Rows written together: the same rows `save()` writes, the same signals, one statement on
PostgreSQL, and all or nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from caunoi.core import audit
from caunoi.core.inserts import insert_returning_pk, insert_together
from caunoi.core.models import AuditEntry, AuditLogIsAppendOnly
from caunoi.core.tasks import check_in, task_row, tasks_enqueued
from caunoi.feedback.models import CalendarDay, DayKind
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_rows_written_together_read_back_as_save_writes_them(world: World) -> None:
    saved = audit.record(
        "caunoi.test.saved", actor=None, unit=world.commune, obj=world.village, changes={"a": [1]}
    )
    together = audit.entry(
        "caunoi.test.together",
        actor=None,
        unit=world.commune,
        obj=world.village,
        changes={"a": [1]},
    )
    with CaptureQueriesContext(connection) as done:
        insert_together([together, audit.entry("caunoi.test.second", actor=None)])
    if connection.vendor == "postgresql":
        assert len(done.captured_queries) == 1
    found = AuditEntry.objects.get(action="caunoi.test.together")
    fields = ("actor_label", "unit_id", "object_type", "object_id", "object_label", "changes")
    assert [getattr(found, f) for f in fields] == [getattr(saved, f) for f in fields]
    assert found.at is not None
    assert found.at >= saved.at
    assert AuditEntry.objects.filter(action="caunoi.test.second").exists()


def test_rows_written_together_send_the_save_signals() -> None:
    seen: list[tuple[str, bool]] = []

    def before(instance: Any, **kwargs: Any) -> None:
        seen.append(("pre", instance.action == "caunoi.test.signals"))

    def after(instance: Any, created: bool, **kwargs: Any) -> None:
        seen.append(("post", created))

    pre_save.connect(before, sender=AuditEntry, dispatch_uid="test-before")
    post_save.connect(after, sender=AuditEntry, dispatch_uid="test-after")
    try:
        insert_together([audit.entry("caunoi.test.signals", actor=None)])
    finally:
        pre_save.disconnect(sender=AuditEntry, dispatch_uid="test-before")
        post_save.disconnect(sender=AuditEntry, dispatch_uid="test-after")
    assert seen == [("pre", True), ("post", True)]


def test_when_one_row_is_refused_none_is_written() -> None:
    bad = ("INSERT INTO core_auditentry (action) VALUES (NULL)", [])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_together([audit.entry("caunoi.test.refused", actor=None)], more=[bad])
    assert not AuditEntry.objects.filter(action="caunoi.test.refused").exists()


def test_a_row_inserted_with_its_id_back_is_a_saved_row() -> None:
    made = CalendarDay(day=date(2031, 9, 2), kind=DayKind.HOLIDAY, name="Quốc khánh")
    insert_returning_pk(made)
    assert made.pk is not None
    assert not made._state.adding
    assert CalendarDay.objects.get(pk=made.pk).name == "Quốc khánh"


def test_a_model_with_its_own_save_is_saved_by_it() -> None:
    # AuditEntry.save refuses a row that already has an id: it must run, not be gone around.
    entry = audit.entry("caunoi.test.own_save", actor=None)
    entry.pk = 10**9
    with pytest.raises(AuditLogIsAppendOnly):
        insert_returning_pk(entry)


def test_a_task_row_is_the_row_enqueue_makes() -> None:
    with transaction.atomic():
        row = task_row(check_in, "hello")
        assert row is not None
        insert_together([row])
        tasks_enqueued([row])
    stored = DBTaskResult.objects.get(pk=row.pk)
    assert stored.args_kwargs == {"args": ["hello"], "kwargs": {}}
    assert stored.task_path == check_in.module_path
    assert stored.status == "READY"
    assert stored.run_after is not None  # set by django-tasks' pre_save handler
    assert stored.task_result.task == check_in


def test_the_driver_remembers_the_parsing_of_a_long_statement(world: World) -> None:
    if connection.vendor != "postgresql":
        return  # psycopg's cache; SQLite has no client-side parsing to remember
    from psycopg import _queries

    parsed = _queries._query2pg  # values bound on the server (a prepared statement)
    rows = [audit.entry(f"caunoi.test.long.{n}", actor=None) for n in range(8)]  # 64 params
    insert_together(rows)
    before = parsed.cache_info().hits
    insert_together([audit.entry(f"caunoi.test.again.{n}", actor=None) for n in range(8)])
    assert parsed.cache_info().hits == before + 1


def _prepared() -> tuple[int, int]:
    """(statements prepared on this connection, times they ran)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), coalesce(sum(generic_plans + custom_plans), 0) "
            "FROM pg_prepared_statements"
        )
        count, runs = cursor.fetchone()
    return int(count), int(runs)


def test_rows_written_together_are_a_statement_postgresql_prepares_once(world: World) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite: no server to parse and plan
    write = [audit.entry("caunoi.test.prepared", actor=None) for _m in (1, 2)]
    insert_together(write)
    count, runs = _prepared()
    for _n in range(3):
        insert_together([audit.entry("caunoi.test.prepared", actor=None) for _m in (1, 2)])
    assert _prepared() == (count, runs + 3)  # run again, never prepared again
    assert AuditEntry.objects.filter(action="caunoi.test.prepared").count() == 8


def test_without_prepared_statements_rows_are_still_written_together(world: World) -> None:
    if connection.vendor != "postgresql":
        return
    connection.ensure_connection()
    raw: Any = connection.connection
    allowed = raw.prepare_threshold
    before = _prepared()
    raw.prepare_threshold = None  # CAUNOI_DB_PREPARED_STATEMENTS=off, for a pooler
    try:
        with CaptureQueriesContext(connection) as done:
            insert_together(
                [audit.entry(f"caunoi.test.unprepared.{m}", actor=None) for m in (1, 2)]
            )
    finally:
        raw.prepare_threshold = allowed
    assert len(done.captured_queries) == 1
    assert "'caunoi.test.unprepared.1'" in done.captured_queries[0]["sql"]  # bound on the client
    assert _prepared() == before
    assert AuditEntry.objects.filter(action__startswith="caunoi.test.unprepared.").count() == 2
