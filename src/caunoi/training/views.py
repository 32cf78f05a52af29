"""Staff screens for training: courses, completion per unit with who is still missing, sessions
with participants and attendance, and certificates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.core.errors import CaunoiError
from caunoi.core.models import RoleName, User
from caunoi.core.permissions import Action, require, units_where
from caunoi.core.selectors import people_in
from caunoi.staff.views import _context, _unit, _user
from caunoi.training import forms, selectors, services
from caunoi.training.models import Course, Participant, TrainingSession


@login_required
def course_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.TRAINING_MANAGE)
    form = forms.CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(unit=unit, by=_user(request), **form.cleaned_data)
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã tạo khoá tập huấn."))
            return redirect("training:course", pk=course.pk)
    period = forms.period_from(request.GET)
    return render(
        request,
        "training/courses.html",
        _context(
            request,
            unit,
            courses=list(selectors.courses_for(unit=unit)[:100]),
            form=form,
            period=period,
            figures=selectors.figures(unit=unit, start=period.start, end=period.end),
        ),
        status=400 if form.errors else 200,
    )


def _course(request: HttpRequest, pk: int) -> Course:
    course = get_object_or_404(Course.objects.select_related("unit"), pk=pk)
    require(_user(request), Action.TRAINING_MANAGE, course.unit)
    return course


def _session_form(request: HttpRequest, course: Course) -> forms.SessionForm:
    form = forms.SessionForm(request.POST or None)
    units = units_where(_user(request), Action.TRAINING_MANAGE).filter(
        path__startswith=course.unit.path
    )
    form.fields["unit"].choices = [  # type: ignore[attr-defined]
        (u.pk, "— " * (u.depth - course.unit.depth) + u.name) for u in units.order_by("path")[:500]
    ]
    return form


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    user = _user(request)
    form = _session_form(request, course)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                course=course,
                by=user,
                unit=_unit(request, data["unit"], Action.TRAINING_MANAGE),
                level=data["level"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                trainer=data["trainer"],
            )
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm lớp tập huấn."))
            return redirect("training:session", pk=session.pk)
    period = forms.period_from(request.GET)
    done = selectors.completion(course=course, unit=course.unit, start=period.start, end=period.end)
    roles = dict(RoleName.choices)
    return render(
        request,
        "training/course.html",
        _context(
            request,
            course.unit,
            course=course,
            required=[roles.get(r, r) for r in course.required_roles],
            sessions=list(selectors.sessions_of(course=course)),
            targets=list(course.targets.select_related("person").order_by("person__full_name")),
            staff=list(people_in(unit=course.unit)[:500]),
            form=form,
            period=period,
            completion=done,
        ),
        status=400 if form.errors else 200,
    )


def _people(request: HttpRequest, field: str = "person") -> list[User]:
    ids = {int(v) for v in request.POST.getlist(field) if v.isdigit()}
    return list(User.objects.filter(pk__in=ids))


@login_required
@require_POST
def course_targets(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    try:
        if request.POST.get("remove", "").isdigit():
            person = get_object_or_404(User, pk=int(request.POST["remove"]))
            services.course_target_remove(course=course, person=person, by=_user(request))
            messages.success(request, _("Đã bỏ khỏi danh sách phải dự."))
        else:
            n = services.course_targets_add(
                course=course, people=_people(request), by=_user(request)
            )
            messages.success(request, _("Đã thêm %(n)s người vào danh sách phải dự.") % {"n": n})
    except CaunoiError as error:
        messages.error(request, str(error))
    return redirect("training:course", pk=course.pk)


def _session(request: HttpRequest, pk: int) -> TrainingSession:
    session = selectors.session_detail(pk=pk)
    if session is None:
        raise Http404
    require(_user(request), Action.TRAINING_MANAGE, session.unit)
    return session


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    participants = list(selectors.participants_of(session=session))
    registered = {p.person_id for p in participants}
    return render(
        request,
        "training/session.html",
        _context(
            request,
            session.unit,
            session=session,
            participants=participants,
            candidates=[p for p in people_in(unit=session.unit)[:500] if p.pk not in registered],
        ),
    )


@login_required
@require_POST
def session_participants(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    try:
        n = services.participants_add(session=session, people=_people(request), by=_user(request))
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã thêm %(n)s học viên.") % {"n": n})
    return redirect("training:session", pk=session.pk)


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    try:
        present, done = services.attendance_record(
            session=session,
            by=_user(request),
            attended=_people(request, "attended"),
            completed=_people(request, "completed"),
        )
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Đã điểm danh: %(present)s có mặt, %(done)s hoàn thành.")
            % {"present": present, "done": done},
        )
    return redirect("training:session", pk=session.pk)


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(
        Participant.objects.select_related("session__unit", "session__course__unit", "person"),
        pk=pk,
    )
    require(_user(request), Action.TRAINING_MANAGE, participant.session.unit)
    # fpdf takes seconds to import on a busy machine: only when a certificate is asked for.
    from caunoi.training.certificates import certificate_pdf

    if not participant.completed:
        messages.error(request, _("Chỉ cấp giấy chứng nhận cho học viên đã hoàn thành lớp."))
        return redirect("training:session", pk=participant.session_id)
    response = HttpResponse(certificate_pdf(participant), content_type="application/pdf")
    name = slugify(str(participant.person)) or str(participant.pk)
    response["Content-Disposition"] = f'inline; filename="giay-chung-nhan-{name}.pdf"'
    return response
