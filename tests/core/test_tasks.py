from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from caunoi.core.tasks import check_in, enqueue_on_commit
from tests.worker import run_worker


@pytest.mark.django_db(transaction=True)
def test_a_task_is_enqueued_only_after_commit_and_a_worker_runs_it() -> None:
    with transaction.atomic():
        enqueue_on_commit(check_in, "hello")
        assert DBTaskResult.objects.count() == 0
    stored = DBTaskResult.objects.get()
    assert stored.status == TaskResultStatus.READY

    run_worker()

    result = check_in.get_result(str(stored.id))
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value is not None
    assert result.return_value["note"] == "hello"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_enqueues_nothing() -> None:
    def write_that_fails() -> None:
        with transaction.atomic():
            enqueue_on_commit(check_in, "never")
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError):
        write_that_fails()
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_health_reports_the_queue(client: object) -> None:
    check_in.enqueue("waiting")
    body = client.get("/healthz").json()  # type: ignore[attr-defined]
    assert body["status"] == "ok"
    assert body["tasks"]["ready"] == 1
