"""A handler takes a report from intake to a public answer; the citizen follows, reopens and
rates it; the sweep escalates, closes and erases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from caunoi.core.models import AuditEntry, Notification
from caunoi.feedback import followers, handling
from caunoi.feedback.models import Outcome, Report, Status
from caunoi.feedback.sweep import sweep
from tests.feedback.conftest import Feedback
from tests.feedback.test_intake import submit
from tests.mail import Inbox, body_of, subject_of
from tests.worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def answered(fb: Feedback, **given: object) -> Report:
    report = submit(fb, **given)
    report = handling.report_acknowledge(report=report, by=fb.handler)
    return handling.report_resolve(
        report=report, by=fb.handler, outcome=Outcome.FIXED, answer="Đã thay bóng đèn ngày 3/3."
    )


def test_an_answer_records_working_days_and_counts_on_time(fb: Feedback) -> None:
    report = answered(fb)
    assert report.status == Status.RESOLVED
    assert report.working_days_to_answer is not None
    assert report.on_time() is True
    assert [e.status for e in report.events.all()] == ["received", "acknowledged", "resolved"]


def test_a_handler_of_another_commune_cannot_touch_the_report(fb: Feedback) -> None:
    report = submit(fb)
    with pytest.raises(PermissionDenied):
        handling.report_acknowledge(report=report, by=fb.sibling_handler)


def test_outcomes_need_their_reason(fb: Feedback) -> None:
    report = submit(fb)
    with pytest.raises(handling.ReportError, match="lý do"):
        handling.report_resolve(
            report=report, by=fb.handler, outcome=Outcome.CANNOT_FIX, answer="Không làm được."
        )
    with pytest.raises(handling.ReportError, match="cơ quan có thẩm quyền"):
        handling.report_resolve(
            report=report, by=fb.handler, outcome=Outcome.NOT_OURS, answer="Không phải của xã."
        )
    assert Report.objects.get(pk=report.pk).status == Status.RECEIVED


def test_rerouting_keeps_the_reason_and_tells_the_new_unit(fb: Feedback) -> None:
    report = submit(fb)
    handling.report_reroute(
        report=report, to=fb.world.sibling, reason="Cột đèn thuộc xã Tây", by=fb.handler
    )
    run_worker()
    event = report.events.get(kind="rerouted")
    assert event.note == "Cột đèn thuộc xã Tây"
    assert event.to_unit == fb.world.sibling
    assert Notification.objects.filter(
        recipient=fb.sibling_handler, action="caunoi.report.rerouted"
    )


def test_the_citizen_reopens_with_their_link_only_and_within_the_window(fb: Feedback) -> None:
    report = answered(fb)
    with pytest.raises(handling.ReportError):
        handling.report_reopen(report=report, secret="guess", reason="Vẫn hỏng")
    reopened = handling.report_reopen(report=report, secret=report.secret, reason="Vẫn hỏng")
    assert reopened.status == Status.IN_PROGRESS
    assert reopened.reopened == 1
    again = handling.report_resolve(
        report=reopened, by=fb.handler, outcome=Outcome.FIXED, answer="Đã sửa lần hai."
    )
    Report.objects.filter(pk=again.pk).update(answered_at=timezone.now() - timedelta(days=31))
    with pytest.raises(handling.ReportError, match="30"):
        handling.report_reopen(report=again, secret=again.secret, reason="Lại hỏng")


def test_the_citizen_rates_the_answer(fb: Feedback) -> None:
    report = answered(fb)
    rated = handling.report_rate(report=report, secret=report.secret, rating=4, comment="Nhanh")
    assert rated.rating == 4
    with pytest.raises(handling.ReportError):
        handling.report_rate(report=report, secret=report.secret, rating=9)


def test_seeing_contact_details_is_audited_and_limited_to_the_unit_s_handlers(
    fb: Feedback,
) -> None:
    from caunoi.feedback.services import Contact

    report = submit(fb, contact=Contact(name="Lê Thị Hoa", phone="0987654321"))
    contact = handling.report_contact(report=report, by=fb.handler)
    assert contact.phone == "0987654321"
    assert AuditEntry.objects.filter(action="caunoi.report.contact_viewed", actor=fb.handler)
    with pytest.raises(PermissionDenied):
        handling.report_contact(report=report, by=fb.sibling_handler)


def test_public_text_masks_phones_and_waits_for_a_handler(fb: Feedback) -> None:
    report = submit(fb, description="Gọi tôi 0912 345 678 hoặc an@example.com nhé, đèn hỏng.")
    assert report.public_text == ""
    handling.report_acknowledge(report=report, by=fb.handler)
    report.refresh_from_db()
    assert "0912 345 678" not in report.public_text
    assert "an@example.com" not in report.public_text
    handling.report_redact(report=report, by=fb.handler, public_description="Đèn hỏng.")
    report.refresh_from_db()
    assert report.public_text == "Đèn hỏng."


def test_a_follower_confirms_by_e_mail_then_gets_the_answer(fb: Feedback, smtp: Inbox) -> None:
    report = submit(fb)
    follower = followers.follow_request(report=report, email="dan@example.com")
    run_worker()
    (confirm,) = smtp.to("dan@example.com")
    assert report.public_id in subject_of(confirm)
    assert f"/phan-anh/theo-doi/{follower.token}/" in body_of(confirm)
    handling.report_acknowledge(report=report, by=fb.handler)
    run_worker()
    assert len(smtp.to("dan@example.com")) == 1  # not confirmed yet: nothing more
    followers.follow_confirm(token=follower.token)
    handling.report_resolve(
        report=report, by=fb.handler, outcome=Outcome.FIXED, answer="Đã thay bóng đèn."
    )
    run_worker()
    last = smtp.to("dan@example.com")[-1]
    assert "Đã thay bóng đèn." in body_of(last)
    assert last["List-Unsubscribe"]


def test_merging_answers_the_duplicate_and_moves_its_followers(fb: Feedback) -> None:
    first, second = submit(fb), submit(fb)
    follower = followers.follow_request(report=second, email="b@example.com")
    handling.report_merge(report=second, into=first, by=fb.handler)
    second.refresh_from_db()
    follower.refresh_from_db()
    assert second.outcome == Outcome.DUPLICATE
    assert second.duplicate_of == first
    assert follower.report == first


def test_the_sweep_escalates_overdue_reports_closes_old_answers_and_erases_contacts(
    fb: Feedback,
) -> None:
    from caunoi.feedback.services import Contact

    late = submit(fb)
    Report.objects.filter(pk=late.pk).update(deadline=timezone.now() - timedelta(hours=1))
    old = answered(fb, contact=Contact(phone="0987654321"))
    Report.objects.filter(pk=old.pk).update(answered_at=timezone.now() - timedelta(days=31))
    result = sweep()
    assert (result.escalated, result.closed) == (1, 1)
    late.refresh_from_db()
    assert late.escalated_to == fb.world.province
    later = sweep(timezone.now() + timedelta(days=91))
    assert later.erased == 1
    old.refresh_from_db()
    assert old.contact_phone == ""
    assert old.contact_erased_at is not None
