"""Staff screens for briefings: the calendar, a recurring series, an urgent briefing, and one
briefing's page (agenda, information given, invitations, attendance, move, cancel)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.core.errors import CaunoiError
from caunoi.core.permissions import Action, can, require
from caunoi.press import forms, recurrence, selectors, services
from caunoi.press.models import Briefing, Outlet
from caunoi.publishing.selectors import published_in
from caunoi.staff.views import _context, _unit, _user


def _month(request: HttpRequest) -> date:
    text = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        today = timezone.localdate()
        return date(today.year, today.month, 1)


@login_required
def briefing_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    first = _month(request)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    by_day: dict[date, list[Briefing]] = defaultdict(list)
    shown = list(selectors.briefings_between(unit=unit, start=weeks[0][0], end=weeks[-1][-1]))
    for briefing in shown:
        by_day[timezone.localtime(briefing.starts_at).date()].append(briefing)
    previous = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return render(
        request,
        "press/calendar.html",
        _context(
            request,
            unit,
            first=first,
            weeks=[[(day, by_day.get(day, [])) for day in week] for week in weeks],
            previous=previous,
            following=following,
            listed=[b for b in shown if b.starts_at.month == first.month],
            may_manage=can(_user(request), Action.PRESS_MANAGE, unit),
            feed_url=f"{unit.get_portal_url()}giao-ban.ics",
        ),
    )


@login_required
def series_new(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PRESS_MANAGE)
    form = forms.SeriesForm(request.POST or None, initial={"first_day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            series = services.series_create(
                unit=unit,
                by=_user(request),
                title=data["title"],
                rule=data["rule"],
                first_day=data["first_day"],
                at=data["at"],
                minutes=data["minutes"],
                place=data["place"],
            )
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            count = series.briefings.count()
            messages.success(
                request,
                _("Đã lên lịch %(n)s buổi giao ban: %(rule)s.")
                % {"n": count, "rule": recurrence.describe(series.rule)},
            )
            return redirect(f"/staff/units/{unit.pk}/press/?month={series.first_day:%Y-%m}")
    return render(
        request,
        "press/series_form.html",
        _context(request, unit, form=form),
        status=400 if form.errors else 200,
    )


@login_required
def urgent_new(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PRESS_MANAGE)
    form = forms.UrgentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            briefing = services.briefing_create(
                unit=unit,
                by=_user(request),
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                agenda=data["agenda"],
                speakers=data["speakers"],
            )
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã tạo buổi giao ban đột xuất."))
            return redirect("press:briefing", pk=briefing.pk)
    return render(
        request,
        "press/urgent_form.html",
        _context(request, unit, form=form),
        status=400 if form.errors else 200,
    )


def _briefing(request: HttpRequest, pk: int, action: Action = Action.UNIT_VIEW) -> Briefing:
    briefing = selectors.briefing_detail(pk=pk)
    if briefing is None:
        raise Http404
    require(_user(request), action, briefing.unit)
    return briefing


def _item_form(briefing: Briefing, data: object = None, files: object = None) -> forms.ItemForm:
    form = forms.ItemForm(data, files)  # type: ignore[arg-type]
    articles = published_in(unit=briefing.unit)[:200]
    form.fields["article"].choices = [("", "—")] + [(a.pk, a.title) for a in articles]  # type: ignore[attr-defined]
    return form


@login_required
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = _briefing(request, pk)
    local_start = timezone.localtime(briefing.starts_at)
    outlets = list(selectors.outlets_with_journalists(unit=briefing.unit).filter(active=True))
    present = selectors.attendance_of(briefing)
    invited = {i.outlet_id for i in briefing.invitations.all()}
    return render(
        request,
        "press/briefing.html",
        _context(
            request,
            briefing.unit,
            briefing=briefing,
            may_manage=can(_user(request), Action.PRESS_MANAGE, briefing.unit),
            rule=recurrence.describe(briefing.series.rule) if briefing.series else "",
            edit_form=forms.BriefingForm(
                initial={
                    "title": briefing.title,
                    "place": briefing.place,
                    "agenda": briefing.agenda,
                    "speakers": briefing.speakers,
                }
            ),
            move_form=forms.MoveForm(
                initial={
                    "day": local_start.date(),
                    "start": local_start.time(),
                    "end": timezone.localtime(briefing.ends_at).time(),
                }
            ),
            cancel_form=forms.CancelForm(),
            item_form=_item_form(briefing),
            items=list(briefing.items.select_related("article__unit")),
            outlets=[
                (o, o.pk in invited, present.get(o.pk, 0), bool(selectors.outlet_addresses(o)))
                for o in outlets
            ],
            invitations=list(briefing.invitations.select_related("outlet")[:50]),
            coverage=list(briefing.coverage.select_related("outlet")),
        ),
    )


def _back(briefing: Briefing) -> HttpResponse:
    return redirect("press:briefing", pk=briefing.pk)


def _report(request: HttpRequest, form: object) -> None:
    errors = getattr(form, "errors", {})
    for field, problems in errors.items():
        label = form.fields[field].label if field in form.fields else ""  # type: ignore[attr-defined]
        for problem in problems:
            messages.error(request, f"{label}: {problem}" if label else str(problem))


@login_required
@require_POST
def briefing_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    briefing = _briefing(request, pk, Action.PRESS_MANAGE)
    user = _user(request)
    try:
        if step == "edit":
            form = forms.BriefingForm(request.POST)
            if not form.is_valid():
                _report(request, form)
                return _back(briefing)
            services.briefing_update(briefing=briefing, by=user, **form.cleaned_data)
            messages.success(request, _("Đã lưu buổi giao ban."))
        elif step == "move":
            move = forms.MoveForm(request.POST)
            if not move.is_valid():
                _report(request, move)
                return _back(briefing)
            data = move.cleaned_data
            services.briefing_move(
                briefing=briefing,
                by=user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                note=data["note"],
            )
            messages.success(request, _("Đã dời lịch; cơ quan đã mời sẽ nhận lịch mới."))
        elif step == "cancel":
            note = forms.CancelForm(request.POST)
            note.is_valid()
            services.briefing_cancel(
                briefing=briefing, by=user, note=note.cleaned_data.get("note", "")
            )
            messages.success(request, _("Đã huỷ buổi giao ban; cơ quan đã mời sẽ nhận thông báo."))
        elif step == "invite":
            ids = [int(v) for v in request.POST.getlist("outlet") if v.isdigit()]
            chosen = list(Outlet.objects.filter(pk__in=ids).prefetch_related("journalists"))
            made = services.briefing_invite(briefing=briefing, outlets=chosen, by=user)
            messages.success(request, _("Đã gửi giấy mời tới %(n)s cơ quan.") % {"n": len(made)})
        elif step == "attendance":
            present: dict[int, int] = {}
            for key in request.POST:
                value = request.POST.get(key, "")
                if key.startswith("outlet-") and value.strip() not in ("", "0"):
                    try:
                        present[int(key[7:])] = int(value)
                    except ValueError:
                        raise CaunoiError(_("Số người dự phải là số.")) from None
            count = services.attendance_set(briefing=briefing, by=user, present=present)
            messages.success(request, _("Đã ghi %(n)s cơ quan dự.") % {"n": count})
        elif step == "items":
            item = _item_form(briefing, request.POST, request.FILES)
            if not item.is_valid():
                _report(request, item)
                return _back(briefing)
            data = item.cleaned_data
            article = (
                published_in(unit=briefing.unit).filter(pk=data["article"]).first()
                if data["article"]
                else None
            )
            services.item_add(
                briefing=briefing,
                by=user,
                title=data["title"],
                article=article,
                attachment=data["attachment"],
            )
            messages.success(request, _("Đã thêm thông tin cung cấp."))
        else:
            raise Http404
    except CaunoiError as error:
        messages.error(request, str(error))
    return _back(briefing)


@login_required
def item_download(request: HttpRequest, pk: int, item: int) -> FileResponse:
    briefing = _briefing(request, pk)
    found = get_object_or_404(briefing.items, pk=item)
    if not found.attachment:
        raise Http404
    return FileResponse(found.attachment.open("rb"), as_attachment=True)
