"""Writes for press: outlets, briefings and their changes, invitations, releases, coverage.
Each is atomic, permission-checked and audited; e-mails go out after commit (press/mail.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit, User
from caunoi.core.permissions import Action, require
from caunoi.core.tasks import enqueue_on_commit
from caunoi.press import recurrence
from caunoi.press.models import (
    Attendance,
    Briefing,
    BriefingItem,
    BriefingSeries,
    BriefingStatus,
    Invitation,
    InvitationMethod,
    Journalist,
    Outlet,
)
from caunoi.press.selectors import outlet_addresses, outlets_for
from caunoi.publishing.models import Article, ArticleState

ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def _outlet_fields(name: str, kind: str, email: str, phone: str, website: str) -> dict[str, str]:
    name = " ".join(name.split())
    if not name:
        raise CaunoiError(_("Hãy nhập tên cơ quan báo chí."))
    return {
        "name": name,
        "kind": kind,
        "email": email.strip(),
        "phone": phone.strip(),
        "website": website.strip(),
    }


@transaction.atomic
def outlet_create(
    *,
    unit: Unit,
    by: User,
    name: str,
    kind: str,
    email: str = "",
    phone: str = "",
    website: str = "",
) -> Outlet:
    require(by, Action.PRESS_MANAGE, unit)
    fields = _outlet_fields(name, kind, email, phone, website)
    if Outlet.objects.filter(unit=unit, name__iexact=fields["name"]).exists():
        raise CaunoiError(
            _("Đơn vị đã có cơ quan báo chí “%(name)s” trong danh sách.") % {"name": fields["name"]}
        )
    outlet = Outlet.objects.create(unit=unit, **fields)
    audit.record("caunoi.press.outlet.created", actor=by, unit=unit, obj=outlet, changes=fields)
    return outlet


@transaction.atomic
def outlet_update(
    *,
    outlet: Outlet,
    by: User,
    name: str,
    kind: str,
    email: str = "",
    phone: str = "",
    website: str = "",
    active: bool = True,
) -> Outlet:
    require(by, Action.PRESS_MANAGE, outlet.unit)
    fields: dict[str, object] = {**_outlet_fields(name, kind, email, phone, website)}
    fields["active"] = active
    before = {key: getattr(outlet, key) for key in fields}
    for key, value in fields.items():
        setattr(outlet, key, value)
    outlet.save()
    audit.record(
        "caunoi.press.outlet.changed",
        actor=by,
        unit=outlet.unit,
        obj=outlet,
        changes=audit.diff(before, fields),
    )
    return outlet


@transaction.atomic
def journalist_add(
    *,
    outlet: Outlet,
    by: User,
    name: str,
    work_email: str = "",
    work_phone: str = "",
    beat: str = "",
) -> Journalist:
    require(by, Action.PRESS_MANAGE, outlet.unit)
    name = " ".join(name.split())
    if not name:
        raise CaunoiError(_("Hãy nhập họ tên phóng viên."))
    journalist = Journalist.objects.create(
        outlet=outlet,
        name=name,
        work_email=work_email.strip(),
        work_phone=work_phone.strip(),
        beat=beat.strip(),
    )
    audit.record("caunoi.press.journalist.added", actor=by, unit=outlet.unit, obj=journalist)
    return journalist


@transaction.atomic
def journalist_remove(*, journalist: Journalist, by: User) -> None:
    require(by, Action.PRESS_MANAGE, journalist.outlet.unit)
    audit.record(
        "caunoi.press.journalist.removed", actor=by, unit=journalist.outlet.unit, obj=journalist
    )
    journalist.delete()


# --- briefings ----------------------------------------------------------------------------------


def _check_length(minutes: int) -> timedelta:
    if minutes <= 0:
        raise CaunoiError(_("Buổi giao ban phải kết thúc sau khi bắt đầu: thời lượng lớn hơn 0."))
    if minutes > 12 * 60:
        raise CaunoiError(_("Một buổi giao ban không dài quá 12 giờ."))
    return timedelta(minutes=minutes)


@transaction.atomic
def series_create(
    *,
    unit: Unit,
    by: User,
    title: str,
    rule: str,
    first_day: date,
    at: time,
    minutes: int = 90,
    place: str = "",
) -> BriefingSeries:
    """A recurring briefing and each of its occurrences (up to a year ahead)."""
    require(by, Action.PRESS_MANAGE, unit)
    title = " ".join(title.split())
    if not title:
        raise CaunoiError(_("Hãy đặt tên cho buổi giao ban."))
    length = _check_length(minutes)
    starts = recurrence.occurrences(rule, first_day=first_day, at=at)
    series = BriefingSeries.objects.create(
        unit=unit,
        title=title,
        rule=rule.strip(),
        first_day=first_day,
        time=at,
        minutes=minutes,
        place=place.strip(),
        created_by=by,
    )
    made = [
        Briefing(
            unit=unit,
            series=series,
            title=title,
            starts_at=start,
            ends_at=start + length,
            planned_at=start,
            place=series.place,
        )
        for start in starts
    ]
    for briefing in made:
        briefing.uid = f"{series.pk}-{briefing.starts_at:%Y%m%dT%H%M}@caunoi"
    Briefing.objects.bulk_create(made)
    audit.record(
        "caunoi.press.series.created",
        actor=by,
        unit=unit,
        obj=series,
        changes={"rule": series.rule, "briefings": len(made)},
    )
    return series


@transaction.atomic
def briefing_create(
    *,
    unit: Unit,
    by: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    agenda: str = "",
    speakers: str = "",
    urgent: bool = True,
) -> Briefing:
    """A one-off briefing, usually an urgent one."""
    require(by, Action.PRESS_MANAGE, unit)
    title = " ".join(title.split())
    if not title:
        raise CaunoiError(_("Hãy đặt tên cho buổi giao ban."))
    if ends_at <= starts_at:
        raise CaunoiError(_("Giờ kết thúc phải sau giờ bắt đầu."))
    briefing = Briefing.objects.create(
        unit=unit,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        agenda=agenda.strip(),
        speakers=speakers.strip(),
        urgent=urgent,
    )
    audit.record("caunoi.press.briefing.created", actor=by, unit=unit, obj=briefing)
    return briefing


def _invited(briefing: Briefing) -> list[Outlet]:
    ids = set(briefing.invitations.values_list("outlet_id", flat=True))
    return list(Outlet.objects.filter(pk__in=ids).order_by("name"))


def _send(briefing: Briefing, outlets: Iterable[Outlet], method: str) -> list[Invitation]:
    from caunoi.press.mail import send_invitations

    made = Invitation.objects.bulk_create(
        Invitation(
            briefing=briefing,
            outlet=outlet,
            method=method,
            sequence=briefing.sequence,
            recipients="\n".join(outlet_addresses(outlet)),
        )
        for outlet in outlets
    )
    if made:
        enqueue_on_commit(send_invitations, [i.pk for i in made])
    return made


@transaction.atomic
def briefing_update(
    *, briefing: Briefing, by: User, title: str, place: str, agenda: str, speakers: str
) -> Briefing:
    """Agenda and speakers are for the record; a new title or place is an update the invited
    outlets receive (SEQUENCE + 1)."""
    require(by, Action.PRESS_MANAGE, briefing.unit)
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    title = " ".join(title.split())
    if not title:
        raise CaunoiError(_("Hãy đặt tên cho buổi giao ban."))
    after = {
        "title": title,
        "place": place.strip(),
        "agenda": agenda.strip(),
        "speakers": speakers.strip(),
    }
    before = {key: getattr(briefing, key) for key in after}
    changes = audit.diff(before, after)
    for key, value in after.items():
        setattr(briefing, key, value)
    announce = not briefing.cancelled and ("title" in changes or "place" in changes)
    if announce:
        briefing.sequence += 1
    briefing.save()
    if announce:
        _send(briefing, _invited(briefing), InvitationMethod.REQUEST)
    audit.record(
        "caunoi.press.briefing.changed", actor=by, unit=briefing.unit, obj=briefing, changes=changes
    )
    return briefing


@transaction.atomic
def briefing_move(
    *, briefing: Briefing, by: User, starts_at: datetime, ends_at: datetime, note: str = ""
) -> Briefing:
    """An exception to the rule (a holiday, a visit): the invited outlets get the update."""
    require(by, Action.PRESS_MANAGE, briefing.unit)
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.cancelled:
        raise CaunoiError(_("Buổi giao ban này đã huỷ; hãy tạo một buổi mới."))
    if ends_at <= starts_at:
        raise CaunoiError(_("Giờ kết thúc phải sau giờ bắt đầu."))
    before = [briefing.starts_at.isoformat(), briefing.ends_at.isoformat()]
    briefing.starts_at, briefing.ends_at = starts_at, ends_at
    briefing.change_note = note.strip()[:300]
    briefing.sequence += 1
    briefing.save()
    _send(briefing, _invited(briefing), InvitationMethod.REQUEST)
    audit.record(
        "caunoi.press.briefing.moved",
        actor=by,
        unit=briefing.unit,
        obj=briefing,
        changes={"when": [before, [starts_at.isoformat(), ends_at.isoformat()]], "note": note},
    )
    return briefing


@transaction.atomic
def briefing_cancel(*, briefing: Briefing, by: User, note: str = "") -> Briefing:
    require(by, Action.PRESS_MANAGE, briefing.unit)
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.cancelled:
        return briefing
    briefing.status = BriefingStatus.CANCELLED
    briefing.change_note = note.strip()[:300]
    briefing.sequence += 1
    briefing.save()
    _send(briefing, _invited(briefing), InvitationMethod.CANCEL)
    audit.record(
        "caunoi.press.briefing.cancelled",
        actor=by,
        unit=briefing.unit,
        obj=briefing,
        changes={"note": note},
    )
    return briefing


def usable(unit: Unit, outlets: Iterable[Outlet]) -> list[Outlet]:
    allowed = set(outlets_for(unit=unit).values_list("pk", flat=True))
    chosen = list(outlets)
    strangers = [o.name for o in chosen if o.pk not in allowed]
    if strangers:
        raise CaunoiError(
            _("Không dùng được cơ quan báo chí ngoài danh sách của đơn vị: %(names)s.")
            % {"names": ", ".join(strangers)}
        )
    return chosen


@transaction.atomic
def briefing_invite(*, briefing: Briefing, outlets: Iterable[Outlet], by: User) -> list[Invitation]:
    """Invite outlets by e-mail with an .ics (METHOD:REQUEST). Every outlet needs an address:
    if one has none, nobody is invited and the message names it."""
    require(by, Action.PRESS_MANAGE, briefing.unit)
    if briefing.cancelled:
        raise CaunoiError(_("Buổi giao ban này đã huỷ, không gửi giấy mời được."))
    chosen = usable(briefing.unit, outlets)
    if not chosen:
        raise CaunoiError(_("Chọn ít nhất một cơ quan báo chí để mời."))
    missing = [o.name for o in chosen if not outlet_addresses(o)]
    if missing:
        raise CaunoiError(
            _(
                "Chưa có e-mail của %(names)s: hãy thêm e-mail toà soạn hoặc e-mail công việc "
                "của phóng viên, rồi gửi lại. Chưa gửi giấy mời nào."
            )
            % {"names": ", ".join(missing)}
        )
    made = _send(briefing, chosen, InvitationMethod.REQUEST)
    audit.record(
        "caunoi.press.briefing.invited",
        actor=by,
        unit=briefing.unit,
        obj=briefing,
        changes={"outlets": [o.name for o in chosen], "sequence": briefing.sequence},
    )
    return made


@transaction.atomic
def item_add(
    *,
    briefing: Briefing,
    by: User,
    title: str = "",
    article: Article | None = None,
    attachment: UploadedFile[Any] | None = None,
) -> BriefingItem:
    require(by, Action.PRESS_MANAGE, briefing.unit)
    if article is None and attachment is None:
        raise CaunoiError(_("Chọn một tin bài đã đăng hoặc đính kèm một tệp."))
    if article is not None and (
        article.state != ArticleState.PUBLISHED or not article.unit.is_within(briefing.unit)
    ):
        raise CaunoiError(_("Chỉ gắn được tin bài đã đăng của đơn vị."))
    if attachment is not None and (attachment.size or 0) > ATTACHMENT_MAX_BYTES:
        raise CaunoiError(_("Tệp đính kèm quá lớn (tối đa 20 MB)."))
    title = " ".join(title.split()) or (
        article.title if article is not None else str(attachment.name if attachment else "")
    )
    item = BriefingItem.objects.create(
        briefing=briefing, title=title[:300], article=article, attachment=attachment or ""
    )
    audit.record("caunoi.press.briefing.item_added", actor=by, unit=briefing.unit, obj=item)
    return item


@transaction.atomic
def attendance_set(*, briefing: Briefing, by: User, present: dict[int, int]) -> int:
    """Record who came: {outlet id: number of people}; outlets left out did not come."""
    require(by, Action.PRESS_MANAGE, briefing.unit)
    outlets = usable(briefing.unit, Outlet.objects.filter(pk__in=present))
    if len(outlets) != len(present):
        raise CaunoiError(_("Có cơ quan báo chí không còn trong danh sách; hãy tải lại trang."))
    if any(n < 1 or n > 50 for n in present.values()):
        raise CaunoiError(_("Số người dự của mỗi cơ quan phải từ 1 đến 50."))
    briefing.attendance.all().delete()
    Attendance.objects.bulk_create(
        Attendance(briefing=briefing, outlet=o, people=present[o.pk]) for o in outlets
    )
    audit.record(
        "caunoi.press.briefing.attendance",
        actor=by,
        unit=briefing.unit,
        obj=briefing,
        changes={"outlets": len(outlets), "people": sum(present.values())},
    )
    return len(outlets)
