"""Staff screens for press releases (which outlets receive each one) and the coverage log."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit
from caunoi.core.permissions import Action, require
from caunoi.press import forms, releasing, selectors
from caunoi.press.models import Briefing, Outlet
from caunoi.publishing.models import Article, ArticleKind
from caunoi.reports.sections import Period, PeriodError
from caunoi.staff.views import _context, _unit, _user


@login_required
def release_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PRESS_MANAGE)
    page = Paginator(selectors.releases_in(unit=unit), 30).get_page(request.GET.get("page"))
    sent = selectors.release_counts(articles=[a.pk for a in page])
    rows = [(a, sent.get(a.pk, (0, 0))) for a in page]
    return render(request, "press/releases.html", _context(request, unit, page=page, rows=rows))


@login_required
def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.select_related("unit"), pk=pk, kind=ArticleKind.PRESS_RELEASE
    )
    require(_user(request), Action.PRESS_MANAGE, article.unit)
    outlets = list(selectors.outlets_with_journalists(unit=article.unit).filter(active=True))
    if request.method == "POST":
        ids = {int(v) for v in request.POST.getlist("outlet") if v.isdigit()}
        try:
            n = releasing.release_outlets_set(
                article=article, outlets=[o for o in outlets if o.pk in ids], by=_user(request)
            )
        except CaunoiError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã chọn %(n)s cơ quan nhận thông cáo.") % {"n": n})
            return redirect("press:release", pk=article.pk)
    chosen = {r.outlet_id: r for r in selectors.release_outlets(article=article)}
    return render(
        request,
        "press/release.html",
        _context(
            request,
            article.unit,
            article=article,
            outlets=[(o, chosen.get(o.pk), bool(selectors.outlet_addresses(o))) for o in outlets],
        ),
    )


def _period(request: HttpRequest) -> Period:
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
        end = date.fromisoformat(request.GET.get("to", ""))
        return Period(start, end)
    except (ValueError, PeriodError):
        return Period.year(today.year)


def _coverage_form(unit: Unit, data: object = None) -> forms.CoverageForm:
    form = forms.CoverageForm(data)  # type: ignore[arg-type]
    outlets = selectors.outlets_for(unit=unit)
    form.fields["outlet"].choices = [(o.pk, o.name) for o in outlets]  # type: ignore[attr-defined]
    briefings = Briefing.objects.filter(unit=unit, starts_at__lte=timezone.now()).order_by(
        "-starts_at"
    )[:40]
    form.fields["briefing"].choices = [("", "—")] + [  # type: ignore[attr-defined]
        (b.pk, f"{timezone.localtime(b.starts_at):%d/%m/%Y} — {b.title}") for b in briefings
    ]
    releases = selectors.published_releases(unit=unit)[:40]
    form.fields["release"].choices = [("", "—")] + [  # type: ignore[attr-defined]
        (a.pk, a.title) for a in releases
    ]
    return form


@login_required
def coverage_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, Action.PRESS_MANAGE)
    form = _coverage_form(unit, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            releasing.coverage_add(
                unit=unit,
                by=_user(request),
                outlet=get_object_or_404(Outlet, pk=data["outlet"]),
                title=data["title"],
                url=data["url"],
                published_on=data["published_on"],
                briefing=Briefing.objects.filter(pk=data["briefing"]).first()
                if data["briefing"]
                else None,
                release=Article.objects.filter(pk=data["release"]).first()
                if data["release"]
                else None,
            )
        except CaunoiError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã ghi bài báo."))
            return redirect("press:coverage", pk=unit.pk)
    period = _period(request)
    items = selectors.coverage_in(unit=unit).filter(
        published_on__gte=period.start, published_on__lte=period.end
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "press/coverage.html",
        _context(
            request,
            unit,
            form=form,
            page=page,
            period=period,
            figures=selectors.figures(unit=unit, start=period.start, end=period.end),
            query=f"from={period.start}&to={period.end}",
        ),
        status=400 if form.errors else 200,
    )
